"""What the TCO report says about its inputs: the price per GPU-hour borrowed from the H100, the
description of a value the site or its plant model gave, and the tax of a loss year.

A tester's Sand Point, AK site (GB200) earned 4.916 USD/GPU-h, the AWS H100 Capacity Block
price of data/costs.csv, and nothing said so (only the borrowed server price was flagged);
Miami's Assumptions row ``wue_l_per_kwh`` showed the plant's 2.17 L/kWh next to the default
row's "liquid-cooled with mostly dry heat rejection"; and income tax went negative in loss
years with no word of what that assumes.
"""
from __future__ import annotations

import pytest

from dcplan import tco
from dcplan.errors import InputError
from dcplan.site import load_portfolio
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_assumptions import COST_QUANTITIES, TAX_LOSS_TREATMENT, tax_loss_note
from dcplan.tco_export import read_workbook, write_export
from dcplan.tco_inputs import REVENUE_PRICED_ACCELERATORS, revenue_note

KW = dict(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


# ---------------------------------------------------------------------------
# the price per GPU-hour: an H100 price

def test_revenue_note_names_the_h100_price_and_its_source(pf):
    nova = pf["northern-virginia"]  # GB200 NVL72, no price of its own
    # costs.csv: AWS p5.48xlarge Capacity Blocks 39.33 USD/h for 8 x H100 -> 4.916 USD/GPU-h
    assert tco.load_costs().at["revenue_usd_per_gpu_h", "value"] == pytest.approx(39.33 / 8, abs=5e-4)
    assert revenue_note(nova, tco.inputs_from_site(nova, **KW)) == (
        "Revenue is priced at 4.916 USD/GPU-h, the H100 figure of data/costs.csv (AWS p5.48xlarge Capacity "
        "Blocks, 8 x H100, per GPU; AWS EC2 Capacity Blocks pricing page (copy, value; a 2024 rate, valid to "
        "2025-01-01); costnimbus.com (low/high, unverified), 2024 (valid to 2025-01-01)/2026-03); no sourced price per GPU-hour is bundled for gb200-nvl72. "
        "Set finance.revenue_usd_per_gpu_h to the price this fleet will sell at.")
    # Phoenix's B200 is not H100 either; Chicago's H200 has its own sourced price (AWS p5e, 5.408 USD/GPU-h:
    # tests/test_tco_revenue_prices.py), so no note
    assert "hgx-b200" in revenue_note(pf["phoenix-az"], tco.inputs_from_site(pf["phoenix-az"], **KW))
    assert revenue_note(pf["chicago-il"], tco.inputs_from_site(pf["chicago-il"], **KW)) == ""


def test_revenue_note_is_silent_for_a_price_of_the_site_or_an_h100_fleet(pf):
    nova = pf["northern-virginia"]
    own = nova.model_copy(update={"finance": nova.finance.model_copy(update={"revenue_usd_per_gpu_h": 3.0})})
    assert revenue_note(own, tco.inputs_from_site(own, **KW)) == ""            # the site's own price
    assert revenue_note(nova, tco.inputs_from_site(nova, revenue_usd_per_gpu_h=3.0, **KW)) == ""  # the caller's
    rtp = pf["research-triangle-nc"]  # all HGX H100: the fleet the price is sourced for
    assert REVENUE_PRICED_ACCELERATORS == {"h100-sxm", "h200-sxm"}  # the H200: the same AWS page (2026)
    assert revenue_note(rtp, tco.inputs_from_site(rtp, **KW)) == ""


def test_revenue_note_of_the_low_price_scenario_says_its_price_is_an_h100_one_too(pf):
    nova = pf["northern-virginia"]
    low = tco.inputs_from_site(nova, **KW, **tco.scenario("low-price")["costs"])
    assert revenue_note(nova, low, "low-price") == (
        "Revenue is priced at 1.99 USD/GPU-h, the low-price scenario's price, an H100 figure (RunPod H100, "
        "Mar 2026, unverified); no sourced price per GPU-hour is bundled for gb200-nvl72. The scenario sets it "
        "over finance.revenue_usd_per_gpu_h; run another scenario for the site's price.")


def test_tco_notebook_prints_and_publishes_the_revenue_price_with_its_source():
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert 'rev = result.assumptions.set_index("key").loc["revenue_usd_per_gpu_h"]' in code
    # published and exported as a numeric Summary row from the same tuple (figures=)
    assert 'p50_figs["revenue_usd_per_gpu_h"] = (float(rev["value"]), "USD/GPU-h",' in code
    assert 'publish({"revenue_usd_per_gpu_h": p50_figs["revenue_usd_per_gpu_h"]})' in code
    assert "figures=p50_figs" in code
    assert "rev_note = revenue_note(spec, inputs, scenario)" in code and '"revenue_note": rev_note' in code


# ---------------------------------------------------------------------------
# a value given by the site or caller: described as such, not with the default row's text

def test_a_given_value_is_described_by_where_it_came_from_not_by_the_default_row():
    plant = "the site's plant model, typical year"
    inp = TcoInputs(costs={"wue_l_per_kwh": 2.17}, sources={"wue_l_per_kwh": plant}, **KW)
    a = run_tco(inp, 1.0e4).assumptions.set_index("key")
    assert a.loc["wue_l_per_kwh", "value"] == 2.17 and a.loc["wue_l_per_kwh", "source"] == plant
    assert a.loc["wue_l_per_kwh", "description"] == (
        "Water use per kWh of IT energy: value from the site's plant model, typical year; not the data/costs.csv "
        "default (0.3 L/kWh IT)")
    assert "liquid-cooled" not in a.loc["wue_l_per_kwh", "description"]
    # a default keeps the costs.csv row's text, which describes it
    row = tco.load_costs().loc["water_usd_per_m3", "description"]
    assert a.loc["water_usd_per_m3", "description"] == row
    # large defaults as written: 11,700,000 USD/MW, not 1.17e+07
    big = run_tco(TcoInputs(costs={"facility_usd_per_mw": 1.0e7}, **KW), 1.0e4).assumptions.set_index("key")
    assert big.loc["facility_usd_per_mw", "description"] == (
        "Construction cost per MW of critical IT: value from caller: TcoInputs.costs['facility_usd_per_mw']; "
        "not the data/costs.csv default (11,700,000 USD/MW)")
    # every costs.csv row has a description of its own for a given value
    assert set(tco.load_costs().index) <= set(COST_QUANTITIES)


def test_inputs_from_site_takes_the_callers_sources(pf):
    site = pf["phoenix-az"]
    src = "the site's plant model, typical year: its water use over the IT energy"
    inp = tco.inputs_from_site(site, wue_l_per_kwh=2.17, sources={"wue_l_per_kwh": src}, **KW)
    assert inp.sources["wue_l_per_kwh"] == src
    assert run_tco(inp, 1.0e4).assumptions.set_index("key").loc["wue_l_per_kwh", "source"] == src
    with pytest.raises(InputError, match="mapping of input name to source text") as e:
        tco.inputs_from_site(site, sources="plant", **KW)
    assert e.value.field == "sources"


# ---------------------------------------------------------------------------
# tax in loss years: a saving, offset against other income (stated)

def _loss_case() -> TcoInputs:
    """No revenue, no capex, only staff: 1 FTE/MW x 1 MW x 120,000 USD/FTE-yr from month 0."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0, staff_fte_per_mw=1.0, staff_usd_per_fte=120_000.0, tax_rate_frac=0.21)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, horizon_years=3, costs=c)


def test_loss_years_are_named_with_the_saving_and_the_assumption():
    r = run_tco(_loss_case(), 0.0)
    # taxable income -120,000 USD each year; tax 0.21 x -120,000 = -25,200 a year, -75,600 over 3 years
    assert list(r.annual.loc["income_tax_usd"]) == pytest.approx([-25_200.0] * 3, abs=1e-6)
    assert tax_loss_note(r.annual) == ("Income tax is negative in years 1, 2, 3 (a saving of 75,600 USD in all). "
                                       + TAX_LOSS_TREATMENT)
    assert "consolidated group" in TAX_LOSS_TREATMENT and "does not carry losses forward" in TAX_LOSS_TREATMENT
    assert "26 U.S.C. 172" in TAX_LOSS_TREATMENT
    # a case with no loss year: nothing to say
    profit = _loss_case().with_costs(revenue_usd_per_gpu_h=100.0)
    assert tax_loss_note(run_tco(profit, 0.0).annual) == ""


def test_the_tax_loss_assumption_reaches_the_assumptions_and_the_workbook(tmp_path):
    r = run_tco(_loss_case(), 0.0)
    a = r.assumptions.set_index("key")
    assert a.loc["tax_losses_offset_in_year", "value"] == 1.0
    assert a.loc["tax_losses_offset_in_year", "description"] == TAX_LOSS_TREATMENT
    assert a.loc["tax_losses_offset_in_year", "status"] == "convention"
    write_export(r, tmp_path, stem="loss", notes={"tax_losses": tax_loss_note(r.annual)})
    wb = read_workbook(tmp_path / "loss.xlsx")
    about = wb["About"].set_index("item")["text"]
    assert about["tax"].endswith(TAX_LOSS_TREATMENT)                 # always, as a convention
    assert about["caveat_tax_losses"].startswith("Income tax is negative in years 1, 2, 3")
    summary = wb["Summary"].set_index("key")
    assert summary.loc["tax_losses", "label"] == ("Loss years: negative income tax (a saving), offset against "
                                                  "other income")
    assert wb["Assumptions"].set_index("key").loc["tax_losses_offset_in_year", "description"] == TAX_LOSS_TREATMENT


def test_tco_notebook_states_the_tax_loss_assumption():
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "a consolidated group" in md and "does not carry losses forward" in md
    assert "tax_note = tax_loss_note(result.annual)" in code and '"tax_losses": tax_note' in code


# ---------------------------------------------------------------------------
# GPUs waiting for grid power: the label is not repeated in the figure

def test_the_power_wait_figure_does_not_repeat_its_label():
    """The TCO notebook printed "GPUs waiting for grid power: GPUs wait for grid power: up to 655 GPUs ...":
    the published figure (and the export's power_wait row) now holds the sentence without its lead-in."""
    import nbformat
    from pathlib import Path

    from dcplan import tco_ramp
    from dcplan.tco_notes import power_wait_text
    # 100 GPUs in two halves (build 12 months, the second half 6 months later); the grid powers 0.6 of the fleet
    # from the start and the rest 9 months later: 0.4 x 100 = 40 GPUs wait months 19-21 (1-based), 3 months
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0, build_months=12.0)
    inp = TcoInputs(n_accelerators=100, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=1.0,
                    horizon_years=4, costs=c, phases=((0.0, 0.5), (6.0, 0.5)), grid_phases=((0.0, 0.6), (9.0, 0.6)))
    note = tco_ramp.power_wait_note(inp)
    text = power_wait_text(note)
    assert note == "GPUs wait for grid power: " + text       # only the lead-in goes
    assert text.startswith("up to 40 GPUs for 3 months (month ") and "120 GPU-months in all" in text
    assert "wait for grid power" not in text.split(",")[0]
    assert power_wait_text("") == ""
    # the notebook publishes and exports the sentence without it, under its own label
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert 'publish("power_wait_note", power_wait_text(wait_note) or' in code
    assert '"power_wait": power_wait_text(wait_note)' in code
