"""A grid delay moves the fleet only by what the plan's slack does not absorb; in-service phases at
their dates; whole months as dcplan.grid counts them; operations start; holding within the horizon.

A finance tester found (tests in /tmp/tt_s4, f04, f08, f10, f11, rep_h2, rep_h3):

* 24 MW planned 2026-06-01, fleet from 2027-01-01 (7 months of slack): a grid delay of 3 months cut
  the NPV from 573.0 to 543.3 M USD, of 7 months to 505.2 M, though the capacity still came before the
  first GPU: the delay moved the fleet's purchases and the grid phases, counting it twice. Now a
  tranche is bought ``max(0, delay - max(0, slack))`` months late, ``slack`` its planned start less
  the planned energization of the capacity that powers it (dcplan.tco_ramp.tranche_plan).
* a phase marked ``in_service`` dated after the fleet's start powered the fleet from month 0;
* an energization on 2028-07-16 counted from July (30.4375-day months rounded half up), where
  dcplan.grid.capacity_timeline counts it from August;
* staff were paid from month 12 while the first GPU ran in month 19;
* a 2-year horizon failed in the tornado (build_months' high end 26), and a Monte Carlo with most
  draws held at a cap did not say so in its headline labels.

Hand calculations use a "bare" case (every cost zero except those a test switches on; build 12
months; 100 GPUs; each month its calendar month's hours, an undated case's month 0 a January; revenue 2
USD/GPU-h at utilization 1).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dcplan import grid, tco, tco_ramp
from dcplan.errors import InputError
from dcplan.site import load_portfolio
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_delay import median_delay_case, scenario_delay_source
from dcplan.tco_export import CONVENTIONS
from dcplan.tco_export_case import mc_rows
from dcplan.tco_horizon import (held_label, held_note, hold_distributions, hold_ranges, last_build_month,
                                last_delay_month)
from dcplan.tco_uncertainty import monte_carlo, percentiles, sample, tornado


def bare(grid_ph=None, phases=((0.0, 1.0),), **kw) -> TcoInputs:
    """test_tco_grid_power's bare case (no costs but the ones a test sets), one tranche by default."""
    from test_tco_grid_power import bare as bare_case
    return bare_case(grid=grid_ph, phases=phases, **kw)


# 100 GPUs x 1.0 utilization x the month's hours x 2 USD/GPU-h a month at full fleet (test_tco_grid_power)
ON = dict(revenue_usd_per_gpu_h=2.0, server_usd_per_accelerator=10_000.0)
FULL_USD = 100 * np.tile(np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24.0, 4) * 2.0
BILL_USD = 1.2e6


@pytest.fixture(scope="module")
def nv():
    return load_portfolio()["northern-virginia"]


def _with_phases(site, phases):
    """``site`` with other interconnection phases (dicts of the spec's fields)."""
    ph = [site.interconnection.phases[0].model_copy(update=p) for p in phases]
    return site.model_copy(update={"interconnection": site.interconnection.model_copy(update={"phases": ph})})


# ---------------------------------------------------------------------------
# 1. the slack absorbs the delay; each tranche by its own capacity

def test_capacity_planned_before_the_fleet_absorbs_a_delay_up_to_its_slack():
    """Grid capacity for the whole fleet 7 months before the fleet's start (offset -7). Delays of 0,
    3 and 7 months still energize it by month 12 + (-7) + delay <= 12: nothing changes (the old code
    moved the fleet by the delay: revenue from month 15 at delay 3). A delay of 10 moves the purchase
    by 10 - 7 = 3 months, to month index 15, when the grid (12 - 7 + 10 = 15) is energized."""
    runs = {d: run_tco(bare(grid_ph=((-7.0, 1.0),), delay_months=d, **ON), BILL_USD) for d in (0.0, 3.0, 7.0, 10.0)}
    want = np.zeros(48)
    want[12:] = 1.0
    for d in (0.0, 3.0, 7.0):
        m = runs[d].monthly
        np.testing.assert_allclose(m["revenue_usd"], FULL_USD * want, rtol=1e-14)
        assert m["capex_it_usd"][m["capex_it_usd"] > 0].to_dict() == {13: 1_000_000.0}  # 100 x 10,000, month 13
        assert runs[d].summary["operations_start_month"] == 12.0
        assert runs[d].summary["npv_usd"] == pytest.approx(runs[0.0].summary["npv_usd"], rel=1e-12)
    m = runs[10.0].monthly
    want[12:15] = 0.0
    np.testing.assert_allclose(m["revenue_usd"], FULL_USD * want, rtol=1e-14)
    assert m["capex_it_usd"][m["capex_it_usd"] > 0].to_dict() == {16: 1_000_000.0}
    assert runs[10.0].summary["operations_start_month"] == 15.0
    assert runs[10.0].summary["waiting_for_power_gpu_months"] == 0.0


def test_each_tranche_moves_by_the_part_of_the_delay_its_own_slack_does_not_absorb():
    """Fleet halves planned at 0 and 12; grid 0.6 of the fleet at -7 and 0.6 more at 18; delay 10.
    Phase 1 on grid phase 1: slack 0 - (-7) = 7, bought 3 late (month index 15). Phase 2: its first
    0.1 on grid phase 1 (slack 19: on plan, 24), its last 0.4 on grid phase 2 (slack 12 - 18 = -6:
    short on the plan, the whole 10 months: 34). Grid: 0.6 from 12 - 7 + 10 = 15, 1.2 from
    12 + 18 + 10 = 40. Operating: 0.5 (15-23), 0.6 (24-39), 1.0 (40-47); 0.4 x 100 GPUs wait 34-39."""
    inp = bare(grid_ph=((-7.0, 0.6), (18.0, 0.6)), phases=((0.0, 0.5), (12.0, 0.5)), delay_months=10.0, **ON)
    plan = tco_ramp.tranche_plan(inp)
    assert [(o, s, mv) for o, _, s, mv in plan] == [(0.0, 7.0, True), (12.0, 19.0, True), (12.0, -6.0, True)]
    np.testing.assert_allclose([f for _, f, _, _ in plan], [0.5, 0.1, 0.4], rtol=1e-12)
    r = run_tco(inp, BILL_USD)
    want = np.zeros(48)
    want[15:24], want[24:40], want[40:] = 0.5, 0.6, 1.0
    np.testing.assert_allclose(r.monthly["revenue_usd"], FULL_USD * want, rtol=1e-14)
    capex = r.monthly["capex_it_usd"]
    assert sorted(capex[capex > 0].index) == [16, 25, 35]                     # 1-based months
    assert capex.loc[[16, 25, 35]].tolist() == pytest.approx([500_000.0, 100_000.0, 400_000.0], rel=1e-12)
    assert r.summary["waiting_for_power_gpu_months"] == pytest.approx(0.4 * 100 * 6, rel=1e-12)
    # the note says the rule and how far this case's delay moves each part (0, 3 and 10 months)
    note = tco_ramp.power_wait_note(inp)
    assert tco_ramp.PURCHASE_RULE in note and "bought on the fleet's plan (capex" not in note
    assert note.endswith("At this case's grid delay of 10 months the purchases move by 0 months (10% of the "
                         "fleet), 3 months (50% of the fleet), 10 months (40% of the fleet).")
    assert "max(0, delay - k)" in CONVENTIONS["grid_power"]
    assert "bought on the fleet's plan (the plan is what is approved)" not in CONVENTIONS["grid_power"]


def test_without_grid_phases_the_delay_moves_the_whole_fleet_as_before():
    # no grid information: the rule of the model before grid phases, delay 3 -> revenue from 15
    r = run_tco(bare(delay_months=3.0, **ON), BILL_USD)
    want = np.zeros(48)
    want[15:] = 1.0
    np.testing.assert_allclose(r.monthly["revenue_usd"], FULL_USD * want, rtol=1e-14)
    assert r.summary["operations_start_month"] == 15.0


def test_monte_carlo_tornado_and_median_case_use_the_same_rule(nv):
    # delays of 0 to 7 months are all absorbed by the 7 months of slack: every draw is the base case
    inp = bare(grid_ph=((-7.0, 1.0),), **ON)
    base = run_tco(inp, BILL_USD).summary["npv_usd"]
    mc = monte_carlo(inp, BILL_USD, {"delay_months": ("uniform", 0.0, 7.0)}, n_draws=200, seed=3)
    np.testing.assert_allclose(mc["npv_usd"], base, rtol=1e-12)
    tr = tornado(inp, BILL_USD, ranges={"delay_months": (0.0, 7.0)}).set_index("input")
    assert tr.loc["delay_months", "swing"] == 0.0
    # NV with its 24 MW planned 2026-06-01, 7 months before its fleet (2027-01-01, halves at 0 and 12):
    # the median case's delay d (dcplan.grid: time to power less the 24 months filed 2024-06-01 to
    # 2026-06-01) dates the phase 2026-06-01 + d months, after a month start (d not whole): it powers GPUs
    # from the next month, ceil(d) months after June 2026 (dcplan.grid.capacity_timeline's rule, not
    # round(d)); phase 1 (slack 7) moves by ceil(d) - 7: the first GPU runs at 12 + ceil(d) - 7
    site = _with_phases(nv, [{"energized": "2026-06-01", "mw": 24.0}])
    live, g = tco.grid_capacity(site.interconnection, site.fleet, 20_000.0)
    assert (live, g) == (0.0, ((-7.0, 1.2),))
    inp = tco.inputs_from_site(site, n_accelerators=9216, it_capacity_kw=16_000.0, it_energy_kwh=1.2e8,
                               phases=tco.fleet_phases(site.fleet), live_fleet_frac=live, grid_phases=g)
    d = float(grid.time_to_power(site.interconnection.region, quantiles=[0.5])["time_to_power_months"].iloc[0]) - 24.0
    assert math.floor(d + 0.5) > 19
    med = median_delay_case(inp, site.interconnection)
    assert d != math.floor(d)
    moved = math.ceil(d)
    # its whole months are those its ramp runs (the month rule): d = 26.08 dates the phase 2028-08-04, power from
    # Sep 2028, 27 months after Jun 2026 (was round(d) = 26, a month fewer than the ramp moved)
    assert med.months_used == moved == 27
    on = grid.capacity_timeline(site.interconnection, delay_months=d)
    assert on[on > 0].index[0] == pd.Timestamp("2026-06-01") + pd.DateOffset(months=moved)  # dcplan.grid agrees
    s = run_tco(med.inputs, 1.2e7).summary
    assert s["operations_start_month"] == 12 + moved - 7
    capex = run_tco(med.inputs, 1.2e7).monthly["capex_it_usd"]
    assert sorted(capex[capex > 0].index)[:1] == [12 + moved - 7 + 1]      # both halves bought then (1-based)
    # the horizon caps follow the rule: a 3-year horizon takes delays up to 36 - 1 - 12 + 7 = 30 months
    inp3 = bare(grid_ph=((-7.0, 1.0),), horizon=3, **ON)
    assert last_delay_month(inp3) == 30.0
    # a longer build is an overrun from the same project start, the grid phase at its date (month 12 - 7 = 5, at a
    # 10-month delay month 15): a build of 15 months or more finds power on, so the fleet is bought within the
    # horizon up to a 35-month build (was 36 - 1 - 3: the grid moved with the build, 3 months of delay unabsorbed)
    assert last_build_month(inp3, delay_months=10.0) == 36 - 1
    assert last_build_month(inp3, delay_months=40.0) == -1.0   # power at month 45, after the horizon: no build


# ---------------------------------------------------------------------------
# 2. phases in service count from their own dates; 4. whole months as dcplan.grid counts them

def test_a_phase_in_service_dated_after_the_fleet_start_powers_it_from_that_date(nv):
    """In service at offset 5 (0.6 of the fleet), not moved by a 4-month delay: the 0.6 it powers is
    bought on plan (12), the rest (beyond all the capacity) 4 months late (16). Operating: nothing
    until 12 + 5 = 17, then 0.6. Waiting: 0.6 x 100 x 4 (12-15) + 100 (16) + 0.4 x 100 x 31 (17-47)."""
    r = run_tco(bare(grid_ph=((5.0, 0.6, True),), delay_months=4.0, **ON), BILL_USD)
    want = np.zeros(48)
    want[17:] = 0.6
    np.testing.assert_allclose(r.monthly["revenue_usd"], FULL_USD * want, rtol=1e-14)
    capex = r.monthly["capex_it_usd"]
    assert capex[capex > 0].index.tolist() == [13, 17]
    assert capex.loc[[13, 17]].tolist() == pytest.approx([600_000.0, 400_000.0], rel=1e-12)
    assert r.summary["waiting_for_power_gpu_months"] == pytest.approx(240.0 + 100.0 + 1240.0, rel=1e-12)
    assert r.summary["operations_start_month"] == 17.0
    rows = r.assumptions.set_index("key")
    assert "in service at this date, not moved by delay_months" in rows.loc["grid_phase1_offset_months", "description"]
    # from a site: 6 MW in service since 2026-06 (before the fleet: live from the start), 6 MW in service
    # from 2028-06-01 (17 months after 2027-01-01), 12 MW planned 2028-07-01 (18). Design 20,000 kW.
    site = _with_phases(nv, [{"energized": "2026-06-01", "mw": 6.0, "in_service": True},
                             {"energized": "2028-06-01", "mw": 6.0, "in_service": True},
                             {"energized": "2028-07-01", "mw": 12.0}])
    live, g = tco.grid_capacity(site.interconnection, site.fleet, 20_000.0)
    assert live == pytest.approx(0.3, rel=1e-12)
    assert g == ((17.0, 0.3, True), (18.0, 0.6))
    # the interconnection notebook's timeline agrees: 6 MW in Jan 2027, 12 MW from Jun 2028, 24 MW from Jul
    cap = grid.capacity_timeline(site.interconnection, "2027-01-01", "2028-12-01")
    assert cap.loc["2027-01-01"] == 6.0 and cap.loc["2028-05-01"] == 6.0
    assert cap.loc["2028-06-01"] == 12.0 and cap.loc["2028-07-01"] == 24.0
    with pytest.raises(InputError, match="grid_phases"):
        bare(grid_ph=((5.0, 0.6, "yes"),))


@pytest.mark.parametrize("day, months", [("2028-07-16", 19.0), ("2028-07-31", 19.0), ("2028-06-16", 18.0),
                                         ("2028-07-01", 18.0)])
def test_mid_month_energization_counts_from_the_next_month_as_the_capacity_timeline(nv, day, months):
    """Fleet from 2027-01-01. 2028-07-16 counts from August 2028, 19 months on (30.4375-day months
    rounded half up gave 562 / 30.4375 = 18.46 -> 18, July); 2028-06-16 from July (18, was 17);
    2028-07-01 from July (18, unchanged)."""
    site = _with_phases(nv, [{"energized": "2027-01-01", "mw": 12.0}, {"energized": day, "mw": 12.0}])
    assert tco.grid_phases(site.interconnection, site.fleet, 20_000.0) == ((0.0, 0.6), (months, 0.6))
    cap = grid.capacity_timeline(site.interconnection, "2027-01-01", "2029-12-01")
    first_full = cap.index[cap >= 24.0][0]
    assert (first_full.year - 2027) * 12 + first_full.month - 1 == months


# ---------------------------------------------------------------------------
# 5. operations start: the first month a GPU operates; staff from then

def test_staff_are_paid_from_the_first_month_a_gpu_operates():
    """Capacity for the whole fleet 6 months after its start, no delay: the GPUs bought in month
    index 12 run from 18. Staff 2 FTE/MW x 1 MW x 120,000 USD = 20,000 USD a month from 18 (1-based
    19), none before (the old code paid them from 12: 6 x 20,000 USD while nothing ran)."""
    r = run_tco(bare(grid_ph=((6.0, 1.0),), staff_fte_per_mw=2.0, staff_usd_per_fte=120_000.0, **ON), BILL_USD)
    m = r.monthly
    assert m.loc[1:18, "opex_staff_usd"].abs().max() == 0.0
    np.testing.assert_allclose(m.loc[19:48, "opex_staff_usd"], 20_000.0, rtol=1e-14)
    assert int(m.index[m["revenue_usd"] > 0][0]) == 19
    assert r.summary["operations_start_month"] == 18.0
    row = r.assumptions.set_index("key").loc["operations_start_month"]
    assert row["value"] == 18.0 and row["description"].startswith("operations start: the first month a GPU operates")
    assert tco.SUMMARY_LABELS["operations_start_month"].startswith("Operations start: the first month a GPU operates")


def test_no_gpu_operating_within_the_horizon_has_no_operations_start_and_no_unit_cost():
    # grid energized 200 months after the fleet's start: past the 48-month horizon
    inp = bare(grid_ph=((200.0, 1.0),), staff_fte_per_mw=2.0, staff_usd_per_fte=120_000.0, **ON)
    r = run_tco(inp, BILL_USD)
    assert r.summary["operations_start_month"] is None and r.summary["usd_per_gpu_hour"] is None
    assert r.monthly["opex_staff_usd"].abs().max() == 0.0
    assert math.isnan(r.assumptions.set_index("key").loc["operations_start_month", "value"])
    assert tco_ramp.no_output_note(inp) == ("no GPU operates within the 4-year horizon: the grid capacity to power "
                                            "the fleet is energized after it (interconnection phases, grid delay)")
    assert tco_ramp.no_output_note(bare(**ON)) == ""


# ---------------------------------------------------------------------------
# 6. the horizon: messages, the tornado's ranges and the Monte Carlo's draws held within it

def test_short_horizon_message_names_the_site_file_field_and_the_delay_source(nv):
    """NV with a 3-year horizon at its 90th-percentile delay d (time to power less the 31 months
    filed 2024-06-01 to the first planned phase 2027-01-01): operations would start at month
    12 + round(d)."""
    site = nv.model_copy(update={"finance": nv.finance.model_copy(update={"horizon_years": 3})})
    d = float(grid.time_to_power(nv.interconnection.region, quantiles=[0.9])["time_to_power_months"].iloc[0]) - 31.0
    used = math.floor(d + 0.5)
    with pytest.raises(InputError, match=(
            rf"horizon_years=3 \(site\.finance\.horizon_years\) ends before operations start at month {12 + used} "
            rf"\(build_months 12 \+ delay_months {used} from scenario grid-delay-p90: the 90th percentile of the "
            r"site's grid energization delay \(dcplan\.grid\.energization_delay_months\), in whole months\): the "
            r"fleet's first GPUs would be bought then; lengthen finance\.horizon_years in the site file")):
        tco.inputs_from_site(site, n_accelerators=9216, it_capacity_kw=16_000.0, it_energy_kwh=1.2e8,
                             delay_months=d, sources={"delay_months": scenario_delay_source("grid-delay-p90")})


def test_tornado_holds_the_build_range_within_a_two_year_horizon():
    # horizon 24 months, first purchase = build: the last build is 23 (data/costs.csv's high is 26)
    inp = bare(horizon=2, **ON)
    with pytest.raises(InputError, match="puts operations start at month 26"):
        tornado(inp, BILL_USD, ranges={"build_months": (6.0, 26.0)})
    ranges, note = hold_ranges(inp, {"build_months": (6.0, 26.0), "revenue_usd_per_gpu_h": (1.0, 3.0)})
    assert ranges == {"build_months": (6.0, 23.0), "revenue_usd_per_gpu_h": (1.0, 3.0)}
    assert note == ("Tornado: the high end of build_months (26) held at 23 months: the last month at which the "
                    "fleet's first GPUs are still bought within the 2-year horizon (the other input at the case's "
                    "value).")
    assert tornado(inp, BILL_USD, ranges=ranges).set_index("input").loc["build_months", "high"] == 23.0
    # a range with nothing left beside the base is left out
    assert hold_ranges(bare(horizon=2, build_months=23.0, **ON), {"build_months": (23.0, 26.0)})[0] == {}


def test_monte_carlo_holds_the_draws_within_the_horizon_and_the_labels_say_so():
    """Horizon 2, build triangular (6, 12, 26), delay uniform over 0-24 (as a quantile table): build is
    held at 23, P(build > 23) = (26 - 23)^2 / ((26 - 6)(26 - 12)) = 9/280; then the delay at the last
    month with a build of 23, 0: every draw (the table's P(delay > 0) = 1)."""
    inp = bare(horizon=2, **ON)
    dists = {"build_months": ("triangular", 6.0, 12.0, 26.0), "delay_months": ("quantiles", (0.0, 1.0), (0.0, 24.0))}
    with pytest.raises(InputError, match="narrow the distribution"):
        monte_carlo(inp, BILL_USD, dists, n_draws=500)
    held_d, held = hold_distributions(inp, dists)
    assert held["build_months"] == {"share_frac": pytest.approx(9 / 280, rel=1e-12), "months": 23.0}
    assert held["delay_months"] == {"share_frac": 1.0, "months": 0.0}
    x = sample(held_d, 20_000, seed=0)
    assert x["build_months"].max() == 23.0 and x["delay_months"].max() == 0.0
    # 9/280 = 3.2 % of the draws at the cap: binomial sd sqrt(0.032 x 0.968 / 20,000) = 0.0012, 4 sd
    assert (x["build_months"] >= 23.0).mean() == pytest.approx(9 / 280, abs=0.005)
    # below the cap the table follows the triangle: its median, 12 + ... F(12) = 6/20 = 0.3 < 0.5, so
    # median = 26 - sqrt(0.5 x 20 x 14) = 14.17 (rel 1e-3: 1,001-point table, linear between points)
    assert np.interp(0.5, held_d["build_months"][1], held_d["build_months"][2]) == pytest.approx(
        26.0 - math.sqrt(0.5 * 20 * 14), rel=1e-3)
    mc = monte_carlo(inp, BILL_USD, held_d, n_draws=500, seed=0)
    assert held_note(held, 2) == ("Monte Carlo: 3.2% of the draws of build_months held at 23 months; 100.0% of the "
                                  "draws of delay_months held at 0 months, the last at which the fleet's first GPUs "
                                  "are still bought within the 2-year horizon (a later purchase has no case to "
                                  "model).")
    # the headline labels say so from 10 % of the draws (the p10 is then a held draw), in the workbook too
    assert held_label("NPV, median (50th percentile) of the Monte Carlo", held) == (
        "NPV, median (50th percentile) of the Monte Carlo (100.0% of draws with delay_months held at 0 months "
        "to stay within the horizon)")
    assert held_label("NPV, 10th percentile of the Monte Carlo (downside)", held) == (
        "NPV, 10th percentile of the Monte Carlo (downside; 100.0% of draws with delay_months held at 0 months "
        "to stay within the horizon)")
    assert held_label("x", {"delay_months": {"share_frac": 0.05, "months": 9.0}}) == "x"
    mc.attrs["monte_carlo"]["held_within_horizon"] = held
    rows, _ = mc_rows(run_tco(inp, BILL_USD), percentiles(mc, ["npv_usd"]), 0.5)
    labels = {k: lab for k, lab, *_ in rows}
    assert labels["mc_npv_p50_usd"] == held_label("NPV, Monte Carlo median (50th percentile; every draw "
                                                  "valued at the base case's project start)", held)
    assert labels["mc_prob_npv_negative_frac"].endswith("delay_months held at 0 months to stay within the horizon)")


def test_the_notebook_publishes_a_missing_unit_cost_as_not_available():
    """The headline read "Levelized cost per GPU-hour ...: None USD/GPU-h" when the grid came after
    the horizon; it is published as "n/a: <why>" without a unit, as the offpeak notebook does."""
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    # a unit cost with no output says why_none; any other missing figure the export's reason
    assert 'why = why_none if key in na_output else tco_export.none_reason(result, key)' in src
    assert 'return (f"n/a: {why}", None, text)' in src
    assert '"usd_per_gpu_hour": figure("usd_per_gpu_hour", "USD/GPU-h",' in src
    # the deterministic case's glue is dcplan.tco_site.site_tco, which the notebook calls
    assert "case = site_tco(spec, scenario=scenario" in src
    assert "grid_capacity(site.interconnection, site.fleet, design_kw)" in (
        Path(__file__).resolve().parents[1] / "dcplan" / "tco_site.py").read_text()
    assert "hold_ranges(inputs, ranges)" in src and "hold_distributions(inputs, dists)" in src
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "bought on the plan's date" not in prose and "max(0, delay − *k*)" in prose


@pytest.mark.slow
def test_render_publishes_na_when_the_grid_comes_after_the_horizon(tmp_path):
    """Northern Virginia with its 24 MW planned for 2040-01-01, 13 years after the fleet (2027-01-01):
    no GPU operates within the 10-year horizon. The headline read "...: None USD/GPU-h"; now the
    figure is "n/a: <why>" without a unit, as is the operations start."""
    import json

    import yaml

    from conftest import DATA

    from dcplan.report import render
    d = yaml.safe_load((DATA / "sites" / "northern-virginia.yaml").read_text())
    for sec, key in (("weather", "file"), ("tariff", "file")):
        d[sec][key] = str(DATA / d[sec][key])
    d["id"], d["name"] = "late", "Grid after the horizon"
    d["interconnection"]["phases"] = [{"energized": "2040-01-01", "mw": 24}]
    (tmp_path / "late.yaml").write_text(yaml.safe_dump(d, sort_keys=False))
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: t\nsites: [late.yaml]\n")
    s = render(portfolio=pf, notebooks=["tco"], out=tmp_path / "out", jobs=1, progress=False,
               parameters={"n_draws": 100, "export_dir": ""})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "out" / "late" / "tco" / "results.json").read_text())["results"]
    why = ("n/a: no GPU operates within the 10-year horizon: the grid capacity to power the fleet is energized "
           "after it (interconnection phases, grid delay)")
    for k in ("usd_per_gpu_hour", "usd_per_million_tokens", "operations_start_month"):
        assert res[k]["value"] == why and res[k]["unit"] is None, k
    assert res["usd_per_gpu_hour"]["headline"] is True


def test_every_scenario_names_where_its_delay_comes_from():
    # the tornado's table of inputs and the Assumptions show it: base read "caller: inputs_from_site(...)"
    assert scenario_delay_source("base") == "scenario base: no grid delay, the planned energization dates (0 months)"
    assert scenario_delay_source("grid-delay-p90").startswith("scenario grid-delay-p90: the 90th percentile")
    # a percentile of dcplan.grid's delay is a model's result: the Assumptions row says derived
    from dcplan.tco_assumptions import split_source_status
    assert split_source_status(scenario_delay_source("grid-delay-p90"))[2] == "derived"
