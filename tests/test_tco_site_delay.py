"""The TCO headline at the site's own grid delay, and the tornado's delay range in words.

A tester found the index's first TCO headline for Sand Point, AK, "NPV after tax (base: grid
delay 0 months): +56.8 M USD", while the same report's Monte Carlo drew the site's own delay
(median 32.9 months, p10-p90 11.7-68.5): the plan (power on the planned dates) lay below the
site's 10th percentile and nothing said so. And the report said the tornado "takes its
10th-90th percentile" of the delay while its CSV showed 0-68 months: the range is widened to
the base case (a tornado's bar must contain it), which the text did not say.

Numbers: Phoenix (data/sites/phoenix-az.yaml) files 2025-01-15 and plans its first phase for
2026-09-01, 19 whole months + 17 of 31 days = 19.548 months; its delay at a quantile is
dcplan.grid's time to power there less those months (tests/test_tco_delay_risk.py). Its 10th
percentile is set by the equipment, not the grid (az-aps grid p10 18 months): the power
transformer's low end 130 weeks (data/equipment_lead_times.csv, ~2.5 yr; 130 / 4.348 = 29.9
months, with switchgear) puts the p10 of the later of the two at 30.70 months, a delay of 30.70 - 19.55 = 11.15 months
(11.1 as shown; 9.4 with the former, unsourced 120-week low end).
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from dcplan import grid, tco
from dcplan.errors import InputError
from dcplan.site import load_portfolio
from dcplan.tco import TcoInputs, run_tco, whole_months
from dcplan.tco_delay import (delay_basis_text, delay_vs_site_note, median_delay_case, scenario_delay_months,
                              tornado_delay_note)
from dcplan.tco_uncertainty import site_delay_range, tornado

PLANNED = 19 + 17 / 31  # Phoenix: filed 2025-01-15, first phase planned 2026-09-01 [months]
KW = dict(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7)


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def _delay(ic, qs):
    """dcplan.grid's time to power at ``qs`` less the months Phoenix plans (hand: the module docstring)."""
    return grid.time_to_power(ic.region, quantiles=list(qs))["time_to_power_months"].to_numpy() - PLANNED


def test_scenario_delay_months_is_dcplan_grid_at_the_scenario_quantile(pf):
    ic = pf["phoenix-az"].interconnection
    d50, d90 = _delay(ic, (0.5, 0.9))
    assert scenario_delay_months("base", ic) == 0.0 == scenario_delay_months("high-escalation", ic)
    assert scenario_delay_months("grid-delay-p50", ic) == pytest.approx(d50, abs=1e-9)
    assert scenario_delay_months("grid-delay-p90", ic) == pytest.approx(d90, abs=1e-9)
    assert scenario_delay_months("grid-delay-p50", None) == 0.0  # no interconnection: the planned dates
    with pytest.raises(InputError, match="unknown scenario 'p50'"):
        scenario_delay_months("p50", ic)


def test_npv_at_the_median_delay_is_the_grid_delay_p50_scenarios(pf):
    site = pf["phoenix-az"]
    ic = site.interconnection
    (d50,) = _delay(ic, (0.5,))
    assert whole_months(d50) == 18.0  # 17.96 months, rounded half up as the model runs it
    base = tco.inputs_from_site(site, **KW)  # the plan: delay 0
    med = median_delay_case(base, ic, "base")
    assert med.delay_months == pytest.approx(d50, abs=1e-9) and med.months_used == 18.0
    assert med.label == ("NPV after tax at the site's median grid delay (18 months, dcplan.grid; the "
                         "grid-delay-p50 scenario's delay); a delay of the time to power (the later of the grid wait "
                         "and the long-lead equipment), not of the grid wait alone: medians from filing 24.0 months "
                         "(grid wait) and 34.5 (equipment), set by the equipment")
    assert med.note == ""
    # the same figures as the grid-delay-p50 scenario itself (exact: the same inputs)
    p50 = tco.inputs_from_site(site, delay_months=scenario_delay_months("grid-delay-p50", ic), **KW)
    assert run_tco(med.inputs, 4.0e6).summary == run_tco(p50, 4.0e6).summary
    # operations start at the build's 12 months (costs.csv) + the 18 months of delay
    assert run_tco(med.inputs, 4.0e6).summary["operations_start_month"] == 12.0 + 18.0
    assert run_tco(med.inputs, 4.0e6).summary["npv_usd"] < run_tco(base, 4.0e6).summary["npv_usd"]
    # the scenario that already runs at the median, and a site without interconnection: nothing to add
    assert median_delay_case(p50, ic, "grid-delay-p50") is None
    assert median_delay_case(base, None, "base") is None
    # another scenario keeps its own inputs, and the label says so
    hi = tco.inputs_from_site(site, **KW, **tco.scenario("high-escalation")["costs"])
    mh = median_delay_case(hi, ic, "high-escalation")
    assert mh.inputs.params()["electricity_escalation_frac"] == 0.06  # the scenario: data/costs.csv high
    assert mh.inputs.params()["delay_months"] == pytest.approx(d50, abs=1e-9)
    assert "delay, the other inputs as scenario high-escalation); a delay of the time to power" in mh.label


def test_median_delay_after_the_horizon_gives_no_npv_and_says_why(pf):
    # Northern Virginia's median delay is 19.08 months; this hand-built case has no grid dates (no grid phases,
    # no filing or planned date), so the month rule has no date to count from and the delay runs rounded half
    # up, 19 (a site's dated case runs 20: tests/test_month_rule.py); with the 12-month build operations
    # would start in month 31, after a 2-year horizon (months 0-23): the model has no NPV there
    ic = pf["northern-virginia"].interconnection
    inp = TcoInputs(horizon_years=2, **KW)
    med = median_delay_case(inp, ic)
    assert med.inputs is None and med.months_used == 19.0
    assert med.note == ("At the site's median grid delay (19 months, dcplan.grid) operations would start in "
                        "month 31, after the 2-year horizon: the model has no NPV for it; lengthen "
                        "finance.horizon_years to see one.")


def test_the_plan_below_the_sites_10th_percentile_is_said_plainly(pf):
    ic = pf["phoenix-az"].interconnection
    p10, p50, p90 = _delay(ic, (0.1, 0.5, 0.9))
    assert (round(p10, 1), round(p50, 1), round(p90, 1)) == (11.1, 18.0, 34.8)  # as the text shows them
    assert delay_vs_site_note(0.0, ic) == (
        "The case's grid delay, 0 months (the planned energization dates), is below the site's own 10th "
        "percentile (median 18.0, 10th-90th percentile 11.1-34.8 months, dcplan.grid): power arrives later than "
        "this case assumes in more than 99.9 % of the site's modelled outcomes (dcplan.grid's time-to-power "
        "distribution, counted in whole months as the case runs its delay).")
    # was "in more than 90 %": the model's own share is 1 - F(19.548 + 0.5) (no dates: 0 whole months hold up
    # to 0.5 month), and the transformer's p10 alone, 130 weeks = 29.9 months, is 10 months past that, so the
    # share is above 99.9 % (tests/test_grid_on_time.py checks it against the closed form)
    assert delay_vs_site_note(p50, ic) == ""                 # the grid-delay-p50 scenario: within
    assert delay_vs_site_note(40.0, ic).startswith("The case's grid delay, 40 months, is above the site's own "
                                                   "90th percentile")
    assert delay_vs_site_note(0.0, None) == ""
    # the grid-delay-p90 scenario runs at the p90 rounded half up (34.8 -> 35 months): that is the
    # site's 90th percentile in whole months, not "above" it (the note compared 35 with 34.8)
    for sid in ("research-triangle-nc", "phoenix-az", "chicago-il", "northern-virginia"):
        site_ic = pf[sid].interconnection
        for name in ("grid-delay-p50", "grid-delay-p90"):
            assert delay_vs_site_note(scenario_delay_months(name, site_ic), site_ic) == "", (sid, name)
    assert delay_vs_site_note(36.0, ic) != ""  # 36 > 35: above it


def test_tornado_delay_bar_contains_the_base_and_the_text_says_so(pf):
    """Kept: the range is the p10-p90 widened to the base, since a tornado's bar must contain the
    base case (each input swings about it, the others held there). Fixed: the text says so."""
    ic = pf["phoenix-az"].interconnection
    p10, p90 = _delay(ic, (0.1, 0.9))
    last = 12 * 10 - 1 - 12  # 10-year horizon, 12-month build: operations must start by month 107
    lo, hi = site_delay_range(ic, base=0.0, max_months=last)
    assert (lo, hi) == pytest.approx((0.0, p90), abs=1e-9)
    inp = TcoInputs(**KW)  # delay 0, the base scenario's
    row = tornado(inp, 4.0e6, ranges={"delay_months": (lo, hi)}).set_index("input").loc["delay_months"]
    # the bar runs from the base (0 months: the low end is the base case itself) to the p90 in whole months
    assert (row["low"], row["base"], row["high"]) == (0.0, 0.0, 35.0)
    assert row["metric_at_low"] == row["base_metric"] and row["metric_at_high"] < row["base_metric"]
    assert tornado_delay_note(ic, 0.0, lo, hi, max_months=last) == (
        "Tornado grid-delay range: 0-35 months (whole months, as the model runs), from the case's own 0 months "
        "to the site's 90th percentile (34.8 months, dcplan.grid). The case's 0 months lies below the site's "
        "10th percentile (11.1 months), and a tornado's bar must contain the base case (each input swings about "
        "it), so the range is widened to it: not the site's 10th-90th percentile.")
    # a case within the p10-p90 (the grid-delay-p50 scenario's 18 months): the plain percentiles
    lo50, hi50 = site_delay_range(ic, base=18.0, max_months=last)
    assert tornado_delay_note(ic, 18.0, lo50, hi50, max_months=last) == (
        "Tornado grid-delay range: 11-35 months (whole months, as the model runs), from the site's 10th "
        "percentile (11.1 months, dcplan.grid) to the site's 90th percentile (34.8 months, dcplan.grid).")
    # the high end held at the horizon's last start month (a 3-year horizon: 36 - 1 - 12 = 23)
    lo3, hi3 = site_delay_range(ic, base=0.0, max_months=23)
    assert hi3 == 23.0
    assert tornado_delay_note(ic, 0.0, lo3, hi3, max_months=23).startswith(
        "Tornado grid-delay range: 0-23 months (whole months, as the model runs), from the case's own 0 months "
        "to 23 months, the last at which the fleet's first GPUs are still bought within the horizon (the site's "
        "90th percentile is 34.8 months, dcplan.grid).")


def test_tco_notebook_states_the_tornado_range_and_the_median_headline():
    """The notebook's prose said the tornado "takes its 10th-90th percentile"; it now says the range is
    widened to the case's delay and prints it; and it publishes the median-delay NPV as a headline."""
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "widened to contain the case's own delay" in md and "a tornado's bar must contain the base case" in md
    assert "tornado_note = tornado_delay_note(spec.interconnection" in code and "print(tornado_note)" in code
    # the deterministic case's glue is dcplan.tco_site.site_tco, which the notebook calls
    site_code = (Path(__file__).resolve().parents[1] / "dcplan" / "tco_site.py").read_text()
    assert "med, med_result = case.median, case.median_result" in code
    assert "med = median_delay_case(inputs, site.interconnection, scenario)" in site_code
    assert ('heads["npv_grid_delay_p50_usd"] = p50_figs["npv_grid_delay_p50_usd"] = (\n'
            '        med_result.summary["npv_usd"], "USD", with_stand_in(med.label + (f"; {p50_caveat}" if p50_caveat '
            'else "")))') in code
    assert "delay_months = scenario_delay_months(scenario, site.interconnection)" in site_code


@pytest.mark.slow
def test_tco_render_publishes_the_npv_at_the_sites_median_delay(tmp_path):
    """Phoenix (B200, interconnection section): the base report's headlines are the plan's NPV and,
    next, the grid-delay-p50 scenario's NPV; the price per GPU-hour and its note are published, and
    the workbook carries the notes."""
    import pandas as pd

    from dcplan.report import render
    runs = {}
    for scn in ("base", "grid-delay-p50"):
        s = render(sites=["phoenix-az"], notebooks=["tco"], out=tmp_path / scn, jobs=1, progress=False,
                   parameters={"n_draws": 200, "scenario": scn})
        assert s.ok, s.table()
        runs[scn] = json.loads((tmp_path / scn / "phoenix-az" / "tco" / "results.json").read_text())["results"]
    base, p50 = runs["base"], runs["grid-delay-p50"]
    heads = [k for k, r in base.items() if r["headline"]]
    # the median-delay case leads (a grid planner's finding: the base case's planned dates have a chance below
    # 0.1 % at Phoenix; its label says so), the deterministic case beside it
    assert heads[:2] == ["npv_grid_delay_p50_usd", "npv_usd"]
    # the same figure as the grid-delay-p50 scenario's own report (the same inputs, one model)
    assert base["npv_grid_delay_p50_usd"]["value"] == pytest.approx(p50["npv_usd"]["value"], rel=1e-12)
    assert base["grid_delay_p50_months"]["value"] == p50["delay_months"]["value"] == 18.0
    label = base["npv_grid_delay_p50_usd"]["label"]
    assert label.startswith("NPV after tax at the site's median grid delay (18 months")
    assert "npv_grid_delay_p50_usd" not in p50  # that scenario's headline is already the median
    # the revenue price, its source and its note (B200 sold at the H100 price of costs.csv)
    assert base["revenue_usd_per_gpu_h"]["value"] == 4.916
    assert "data/costs.csv row revenue_usd_per_gpu_h" in base["revenue_usd_per_gpu_h"]["label"]
    assert "hgx-b200" in base["revenue_note"]["value"]
    folder = tmp_path / "base" / "phoenix-az" / "tco" / "outputs"
    notes = pd.read_excel(folder / "phoenix-az_base_tco.xlsx", sheet_name="Summary").set_index("key")["note"]
    assert notes["revenue_note"] == base["revenue_note"]["value"]
    assert notes["npv_grid_delay_p50"].startswith(label + ": ")
    assert notes["grid_delay_vs_site"].startswith("The case's grid delay, 0 months (the planned energization dates), "
                                                  "is below the site's own 10th percentile")
    assert notes["tornado_grid_delay"].startswith("Tornado grid-delay range: 0-35 months")
    sens = pd.read_csv(folder / "phoenix-az_base_tco_sensitivity.csv").set_index("input")
    assert (sens.loc["delay_months", "low"], sens.loc["delay_months", "high"]) == (0.0, 35.0)
    assert np.isfinite(base["irr_grid_delay_p50_frac"]["value"])


def test_the_median_delay_says_it_is_the_time_to_powers_not_the_grid_waits(pf):
    """A finance reviewer tying the tco report to the interconnection report: the TCO's "site's median grid delay"
    at Phoenix is 18 months after the planned 2026-09-01, while interconnection's grid wait alone has a median of
    24.0 months from filing (data/interconnection.csv az-aps), 2027-01-15, only 4.5 months late; the 18 months
    are the long-lead equipment's (the power transformer's median 150 weeks, data/equipment_lead_times.csv:
    150 x 7 / 30.4375 = 34.50 months from filing). The interconnection labels named the part that sets the date;
    the tco labels did not. Research Triangle's grid wait (nc-duke median 36.0 months) is later than the
    equipment's 34.5: set by the grid wait."""
    assert 150 * 7 / 30.4375 == pytest.approx(34.50, abs=0.005)
    phx = delay_basis_text(pf["phoenix-az"].interconnection)
    assert phx == ("a delay of the time to power (the later of the grid wait and the long-lead equipment), not of "
                   "the grid wait alone: medians from filing 24.0 months (grid wait) and 34.5 (equipment), set by "
                   "the equipment")
    assert delay_basis_text(pf["research-triangle-nc"].interconnection).endswith(
        "medians from filing 36.0 months (grid wait) and 34.5 (equipment), set by the grid wait")
    assert delay_basis_text(None) == ""
    # no long-lead equipment: the delay is the grid wait's alone, nothing to add
    from dcplan.sweep_overrides import apply_overrides
    bare = apply_overrides(pf["phoenix-az"], {"interconnection.equipment": "none"})
    assert delay_basis_text(bare.interconnection) == ""
    # the tco notebook puts it on both labels that state the delay in months
    from conftest import ROOT
    src = (ROOT / "notebooks" / "tco.ipynb").read_text()
    assert src.count("delay_basis_text(spec.interconnection)") == 1  # the median delay's label
    # the scenario's delay_months label: at the scenario's own percentile (the notebook's JSON escapes the quotes)
    assert 'spec.interconnection, tco.SCENARIOS[scenario][\\"delay_quantile\\"])' in src


def test_a_percentile_delays_basis_compares_the_parts_at_that_percentile(pf):
    """The grid-delay-p90 scenario's delay_months label said "medians ... set by the equipment" at Phoenix, where
    at the 90th percentile the grid wait is the later part: data/interconnection.csv az-aps p90 48 months from
    filing, the power transformer's p90 208 weeks = 208 x 7 / 30.4375 = 47.84 months (switchgear's 48 weeks,
    11.0 months, is never the later item), so the p90 delay is set by the grid wait. The label compares the parts
    at the delay's own percentile; None (no quantile) says nothing."""
    assert 208 * 7 / 30.4375 == pytest.approx(47.84, abs=0.005)
    ic = pf["phoenix-az"].interconnection
    assert delay_basis_text(ic, 0.9).endswith("not of the grid wait alone: 90th percentiles from filing 48.0 months "
                                              "(grid wait) and 47.8 (equipment), set by the grid wait")
    assert delay_basis_text(ic, 0.5) == delay_basis_text(ic)  # the median by default
    assert delay_basis_text(ic, None) == ""
    from dcplan.tco import SCENARIOS
    assert SCENARIOS["grid-delay-p90"]["delay_quantile"] == 0.9 and SCENARIOS["base"]["delay_quantile"] is None


def test_the_interconnection_driver_names_the_part_at_a_percentile(pf):
    """time_to_power_driver takes the quantile delay_basis_text compares the parts at: at Phoenix's 90th percentile
    the grid wait (az-aps p90 48 months from filing, data/interconnection.csv) is later than the power transformer
    (208 weeks x 7 / 30.4375 = 47.84 months), the reverse of the median (24.0 against 34.5)."""
    ic = pf["phoenix-az"].interconnection
    ttp = grid.time_to_power(ic, quantiles=[0.5, 0.9])
    p90 = grid.time_to_power_driver(ic, ttp, quantile=0.9)
    assert p90.startswith("set by the grid wait (") and "90th percentile 48.0 months; " in p90
    assert p90.endswith(" 90th percentile 47.8; the later of the two dates, drawn independently, so its 90th "
                        "percentile is at or above both")
    assert "median" not in p90
    assert grid.time_to_power_driver(ic, ttp) == grid.time_to_power_driver(ic, ttp, quantile=0.5)
    # (part, grid wait, equipment) at the median: 24.0 and 150 weeks = 34.50 months; abs: the one decimal shown
    assert grid.time_to_power_setter(ttp, 0.5) == ("equipment", pytest.approx(24.0, abs=0.05),
                                                   pytest.approx(34.5, abs=0.05))
    assert grid.time_to_power_setter(ttp, 0.9)[0] == "grid wait"


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_the_tco_and_interconnection_labels_name_the_same_part(pf, q):
    """One source for which part sets the date (dcplan.grid.time_to_power_setter): the tco's delay basis and the
    interconnection's driver name the same part at every bundled site and percentile (Phoenix's changes between
    the median and the 90th percentile, the module docstring and the test above)."""
    seen = set()
    for site in pf.sites:
        name, ic = site.id, site.interconnection
        if ic is None or not (basis := delay_basis_text(ic, q)):
            continue
        driver = grid.time_to_power_driver(ic, grid.time_to_power(ic, quantiles=[q]), quantile=q)
        part = basis.rsplit("set by the ", 1)[1]
        assert part in ("equipment", "grid wait"), (name, basis)
        assert driver.startswith("set by the grid wait") == (part == "grid wait"), (name, q, basis, driver)
        seen.add(part)
    if q == 0.5:
        assert seen == {"equipment", "grid wait"}  # Phoenix's equipment and Research Triangle's grid wait (above)


def test_a_quantile_is_worded_as_an_ordinal_percentile():
    """quantile_words wrote every percentile with "th": a 0.01, 0.22 or 0.33 quantile (time_to_power_driver takes
    any) read "1th", "22th", "33th percentile". English ordinals: st/nd/rd after a last digit 1/2/3, but 11-13th."""
    from dcplan.grid_lead_time import quantile_words
    qs = (0.5, 0.9, 0.1, 0.01, 0.02, 0.03, 0.11, 0.12, 0.13, 0.21, 0.22, 0.33, 0.975)
    assert [quantile_words(q) for q in qs] == [
        "median", "90th percentile", "10th percentile", "1st percentile", "2nd percentile", "3rd percentile",
        "11th percentile", "12th percentile", "13th percentile", "21st percentile", "22nd percentile",
        "33rd percentile", "97.5th percentile"]
