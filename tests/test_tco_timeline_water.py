"""TCO timeline and water findings (third TCO round): first power by dcplan.grid's month rule, build_months
warnings and the tornado's build_months row, the delay_months label, the monthly export's spread tax lines,
and the water-use range about the plant's own WUE.

1. The interconnection notebook counts a phase "from the first month that starts on or after its energization
   date" (dcplan.grid.capacity_timeline); the TCO added the delay, rounded to whole months, to the planned
   month. northern-virginia at its median delay: dcplan.grid dates phase 1 2028-08-04 (power from September
   2028) but the TCO ran from August 2028, a month of revenue before energization; phase 2 2030-02-03 (March
   2030) ran from February. Phoenix with no ``phases`` (one phase of requested_mw at the filing date,
   2025-01-15): dcplan.grid 2028-03-01 (March), the TCO April (Feb 2025 + round(37.5) = 38 months).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import gc_noise as _gc_noise

from dcplan import grid, tco, tco_export, tco_ramp
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_build_checks import BUILD_TIMING_TEXT, build_months_warnings
from dcplan.tco_delay import scenario_delay_months
from dcplan.tco_grid_dates import energized_shift
from dcplan.tco_tornado_table import BUILD_MONTHS_BAR_TEXT, tornado_sources_table
from dcplan.tco_uncertainty import default_distributions, default_ranges, tornado
from dcplan.tco_water_range import PLANT_WUE_RANGE_TEXT

KW = dict(n_accelerators=4096, it_capacity_kw=15_000.0, it_energy_kwh=1.0e8)
DESIGN_KW = 20_000.0  # facility kW at design: 12 MW = 0.6 of the fleet, 10 MW = 0.5


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


def _case(site, scenario="grid-delay-p50"):
    d = scenario_delay_months(scenario, site.interconnection)
    live, g = tco.grid_capacity(site.interconnection, site.fleet, DESIGN_KW)
    return tco.inputs_from_site(site, delay_months=d, phases=tco.fleet_phases(site.fleet), live_fleet_frac=live,
                                grid_phases=g, **KW), d


def _first_month(inputs, above: float) -> pd.Period:
    """The calendar month the operating share of the fleet first exceeds ``above``."""
    _, _, run = tco_ramp.fleet_ramp(inputs, tco.whole_months(inputs.params()["build_months"]),
                                    inputs.params()["delay_months"], 12 * inputs.horizon_years)
    return tco.calendar_months(inputs)[int(np.flatnonzero(run[0] > above + 1e-9)[0])]


# ---------------------------------------------------------------------------
# 1. first power: the first month starting on or after the energization date, as dcplan.grid


def test_energized_shift_by_hand():
    # filed 2024-06-01, planned 2027-01-01 (31 months after filing): + 19.08 months = 50.08 months after
    # filing, 2028-08-01 plus 0.08 of August's 31 days (3 days) = 2028-08-04: power from September 2028,
    # 20 months after January 2027 (rounding the delay to 19 gave August)
    assert energized_shift("2024-06-01", "2027-01-01", 19.083) == 20.0
    # filed 2025-01-15, planned then (counts from February 2025): + 37.51 months = 2028-02-15 plus 0.51 of
    # its month's 29 days (15 days) = 2028-03-01, a month start: March 2028, 37 months after February 2025
    assert energized_shift("2025-01-15", "2025-01-15", 37.51) == 37.0
    # no delay: the planned month; a whole delay from a month start: exactly that many months
    assert energized_shift("2024-06-01", "2027-01-01", 0.0) == 0.0
    assert energized_shift("2024-06-01", "2027-01-01", 12.0) == 12.0
    np.testing.assert_array_equal(energized_shift("2024-06-01", "2027-01-01", np.array([[0.0], [19.083], [12.0]])),
                                  [[0.0], [20.0], [12.0]])


@pytest.mark.parametrize("filed, planned", [("2024-06-01", "2027-01-01"), ("2025-01-31", "2026-03-31"),
                                             ("2023-08-30", "2024-02-29"), ("2025-01-15", "2025-01-15")])
def test_energized_shift_over_many_delays_is_the_grid_rule_date_by_date(filed, planned):
    # the vectorized, cached month arithmetic against dcplan.grid's own date, one delay at a time: month-end
    # filings (clipped days), a leap day, a filing on its planned date; delays drawn as a Monte Carlo draws them
    from dcplan.tco_input_types import month_on_or_after
    delays = np.concatenate([[0.0, 1.0, 12.0, 0.5], np.random.default_rng(7).uniform(0.0, 60.0, 400)])
    got = energized_shift(filed, planned, delays)
    base = month_on_or_after(planned).ordinal
    want = [month_on_or_after(grid._energized(planned, False, float(d), filed)).ordinal - base for d in delays]
    np.testing.assert_array_equal(got, want)
    assert energized_shift(filed, planned, delays[:50]).tolist() == got[:50].tolist()   # the cache, asked again


def test_northern_virginia_median_delay_powers_from_the_interconnection_notebooks_months(pf):
    nv = pf["northern-virginia"]
    inp, d = _case(nv)
    # dcplan.grid's dates at the median (the interconnection notebook's): 2028-08-04 and 2030-02-03
    dates = grid.energization_dates(nv.interconnection, quantiles=[0.5])["energized_p50"].tolist()
    assert [t.date().isoformat() for t in dates] == ["2028-08-04", "2030-02-03"]
    # so power from September 2028 and March 2030 (phase 2 adds 0.6 of the fleet to phase 1's 0.6)
    assert _first_month(inp, 0.0) == pd.Period("2028-09", "M")
    assert _first_month(inp, 0.6) == pd.Period("2030-03", "M")
    ops = run_tco(inp, 1.2e7).summary["operations_start_month"]
    assert tco.calendar_months(inp)[int(ops)] == pd.Period("2028-09", "M")
    # the capacity timeline of dcplan.grid agrees month for month
    cap = grid.capacity_timeline(nv.interconnection, delay_months=d)
    assert cap[cap > 0].index[0] == pd.Timestamp("2028-09-01")
    assert cap[cap > 12].index[0] == pd.Timestamp("2030-03-01")
    # the wait note states the delay in whole months by the month rule (dcplan.grid_ramp): 20, the months phase
    # 1's first powered month moves (Jan 2027 -> Sep 2028), not 19.08 rounded half up (19, the old value, beside
    # which the phases' 20-month moves needed "A move longer than the whole-month delay ..."). By hand: phase 2
    # (planned Jul 2028) powers from Mar 2030, 20 months late too; the fleet's second tranche (0.5, Jan 2028)
    # takes 0.1 from phase 1 planned 12 months ahead of it (bought max(0, 20 - 12) = 8 months late) and 0.4
    # from phase 2, planned after its start (the whole 20); the first tranche, 0.5 on phase 1, 20.
    note = tco_ramp.power_wait_note(inp)
    assert "powered from Mar 2030" in note
    assert note.endswith("At this case's grid delay of 20 months the purchases move by 8 months (10% of the fleet), "
                         "20 months (90% of the fleet).")
    assert "A move longer than the whole-month delay" not in note


def test_phoenix_without_phases_powers_from_march_2028(pf):
    px = pf["phoenix-az"]
    site = px.model_copy(update={"interconnection": px.interconnection.model_copy(update={"phases": None})})
    inp, d = _case(site)
    assert grid.energization_dates(site.interconnection, quantiles=[0.5])["energized_p50"][0] == \
        pd.Timestamp("2028-03-01")
    assert _first_month(inp, 0.0) == pd.Period("2028-03", "M")  # not April (Feb 2025 + round(37.5))
    assert inp.grid_dates == ((-20.0, "2025-01-15", "2025-01-15"),)


def test_an_undated_grid_phase_still_moves_by_the_whole_month_delay():
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=100.0, it_energy_kwh=1e5, grid_phases=((0.0, 1.0),),
                    costs={"build_months": 12.0, "delay_months": 4.4})
    assert tco_ramp.operations_start_month(inp) == 16.0   # 12 + round(4.4)


# ---------------------------------------------------------------------------
# 2. build_months: warned before the filing and below the catalog band; the tornado row says what it is


def _with_build(site, b):
    return site.model_copy(update={"finance": site.finance.model_copy(update={"build_months": b})})


def test_a_build_starting_before_the_filing_warns_with_the_dates(pf):
    px = _with_build(pf["phoenix-az"], 60)
    want = (f"{px.source_file}: finance.build_months: 60 months puts the project start (construction start, the "
            "month the NPV is valued at) at 2021-10, 39 months before the interconnection request was filed "
            "(interconnection.filed: 2025-01-15): build_months never moves first operations (the fleet's first "
            "start, 2026-10, is the site file's), it only starts the project earlier, so the NPV is valued at "
            "2021-10; allowed: a project start in or after the filing month, build_months at most 21 here (or a "
            "later fleet.phases start)")
    assert build_months_warnings(px, 60, "finance.build_months") == [want]
    with pytest.warns(DcplanWarning) as rec:
        tco.inputs_from_site(px, **KW)
    assert want in [str(w.message) for w in rec]
    # 2026-10 less 21 months is 2025-01, the filing month: no warning
    assert build_months_warnings(px, 21) == []
    # an existing campus (a phase in service): its build predates the new request, not warned
    ph = px.interconnection.phases[0].model_copy(update={"in_service": True})
    campus = px.model_copy(update={"interconnection": px.interconnection.model_copy(update={"phases": (ph,)})})
    assert build_months_warnings(campus, 60) == []


def test_a_build_below_the_catalog_band_warns_naming_it(pf):
    px = _with_build(pf["phoenix-az"], 0)
    want = (f"{px.source_file}: finance.build_months: 0 months is below the catalog band's low of 3 months "
            "(dcplan.catalog_bands, data/costs.csv build_months: 3-96 months; long-lead equipment takes 46-110 "
            "weeks, 11-26 months (Cushman & Wakefield 2025)): the TCO builds the facility in 0 months before the "
            "fleet's first start; allowed without this warning: 3-96 months")
    with pytest.warns(DcplanWarning) as rec:
        tco.inputs_from_site(px, **KW)
    assert [str(w.message) for w in rec if not _gc_noise(w)] == [want]


def test_no_bundled_site_warns_on_its_build(pf):
    for sid in ("chicago-il", "northern-virginia", "phoenix-az", "research-triangle-nc"):
        with warnings.catch_warnings():
            warnings.simplefilter("error", DcplanWarning)
            tco.inputs_from_site(pf[sid], **KW)


def test_the_tornado_table_says_the_build_bar_is_overrun_risk_and_the_water_range_illustrative():
    inp = TcoInputs(costs={"wue_l_per_kwh": 2.18, "revenue_usd_per_gpu_h": 2.0}, **KW)
    r = run_tco(inp, 1.0e6)
    tr = tornado(inp, 1.0e6, ranges={"build_months": (11.0, 26.0), "wue_l_per_kwh": (1.526, 2.834)})
    t = tornado_sources_table(r, tr, inp)
    assert t.loc["build_months", "source"].endswith(
        "; the bar is construction-overrun risk: construction starts at the base case's project start in every "
        "case, and a build longer than the case's own finishes later, so the fleet, its revenue and its costs start "
        "that many months later (a shorter one: earlier) within the same horizon, the grid phases at their planned "
        "dates (dcplan.tco_revalue)")
    assert BUILD_MONTHS_BAR_TEXT == "the bar is " + BUILD_TIMING_TEXT
    assert t.loc["wue_l_per_kwh", "source"].endswith("; " + PLANT_WUE_RANGE_TEXT)
    assert "ILLUSTRATIVE" in PLANT_WUE_RANGE_TEXT


# ---------------------------------------------------------------------------
# 3. labels


def test_delay_months_is_described_as_the_slip_past_the_planned_dates():
    # the tco notebook always gives the delay (inputs_from_site: the scenario's, 0 for base): this description
    a = run_tco(TcoInputs(costs={"delay_months": 3.0}, **KW), 1.0e6).assumptions.set_index("key")
    assert a.loc["delay_months", "description"].startswith(
        "Slip of grid energization past the interconnection's planned dates (0 = as planned): value from ")


def test_the_notebook_calls_transformer_and_switchgear_the_sites_own_equipment():
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "utility-side transformer" not in text
    assert "That delay includes the site's own long-lead equipment, its transformer and switchgear" in text


# ---------------------------------------------------------------------------
# 4. the monthly export names the tax lines an even spread of the tax year's figure


def test_monthly_export_names_the_tax_year_spread():
    inp = TcoInputs(costs={"server_usd_per_accelerator": 10_000.0, "build_months": 7.0, "revenue_usd_per_gpu_h": 2.0},
                    fleet_start="2028-08-01", **KW)
    r = run_tco(inp, 1.0e6)
    m = tco_export.workbook_frames(r)["Monthly"]
    for k in ("depreciation_usd", "taxable_income_usd", "income_tax_usd"):
        assert k not in m.columns
        # 1/12 of the tax (project) year's figure in every month of the year, before the asset too
        np.testing.assert_allclose(m[k + "_tax_year_even_spread"].to_numpy().reshape(-1, 12),
                                   np.repeat(r.annual.loc[k].to_numpy()[:, None] / 12.0, 12, axis=1), rtol=1e-12)
    # the IT bought 2028-08 (month 8 of the project year from 2028-01): its year's depreciation from January
    assert m.loc[1, "calendar_month"] == "2028-01" and m.loc[1, "depreciation_usd_tax_year_even_spread"] > 0
    about = tco_export.workbook_frames(r)["About"].set_index("item")["text"]
    assert "named <line>_tax_year_even_spread: not from placement in service" in about["monthly"]


# ---------------------------------------------------------------------------
# 5. the water use swings about the plant's own WUE


def test_the_water_range_is_built_around_the_plants_own_wue():
    phx = TcoInputs(costs={"wue_l_per_kwh": 2.18}, **KW)         # Phoenix's tower plant, 2.18 L/kWh
    assert default_ranges(phx)["wue_l_per_kwh"] == pytest.approx((0.7 * 2.18, 1.3 * 2.18), rel=1e-12)
    assert default_distributions(phx)["wue_l_per_kwh"] == pytest.approx(("triangular", 1.526, 2.18, 2.834))
    nv = TcoInputs(costs={"wue_l_per_kwh": 0.328}, **KW)           # northern-virginia's plant
    assert default_ranges(nv)["wue_l_per_kwh"] == pytest.approx((0.2296, 0.4264), rel=1e-12)
    dry = TcoInputs(costs={"wue_l_per_kwh": 0.0}, **KW)            # a dry plant uses no water: no range
    assert "wue_l_per_kwh" not in default_ranges(dry)
    # not given (no plant): data/costs.csv's generic 0-1.8 L/kWh, as before
    assert default_ranges(TcoInputs(**KW))["wue_l_per_kwh"] == (0.0, 1.8)
