"""Tornado and Monte Carlo cases share the base case's project start: a longer build is an overrun (dcplan.tco_revalue).

A corporate-finance audit found a tornado end or draw of a longer build_months modelled as starting construction
earlier (project start fleet_start - build_months, the fleet held at its planned date) and then revalued to the
base case's start: chicago-il's 26-month end started construction in 2024-02, 13 months before the plan's as_of,
with revenue still from 2026-04 (NPV 213.8 M USD, against 194.7 M USD with the fleet 14 months late). Now every
case starts construction at the base case's project start and a build other than the base's moves the fleet by
the difference, the grid phases staying at their dates. Expected values here are summed by hand from each
calendar month's revenue and bill and the discount factors, apart from the model.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan import tco
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_revalue import overrun_inputs, valuation_text
from dcplan.tco_uncertainty import monte_carlo, percentiles, tornado

#: Days of each calendar month in the model's 365-day year (leap days are not modelled).
DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
#: The flat electricity bill of each calendar month while the fleet operates. [USD]
BILL = np.full(12, 100.0)


def _one_gpu(build=6.0, horizon=3, fleet_start="2027-01-01", **kw) -> TcoInputs:
    """One GPU at 50 % utilization selling at 2 USD/GPU-h (24 USD per day), a flat bill of 100 USD a month
    while it operates, every other input 0 (no tax, escalation, capex or residual)."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0, revenue_usd_per_gpu_h=2.0, discount_rate_frac=0.08,
             build_months=build)
    return TcoInputs(n_accelerators=1, it_capacity_kw=1.0, it_energy_kwh=8760.0, utilization_frac=0.5,
                     horizon_years=horizon, costs=c, fleet_start=fleet_start, **kw)


def _hand_npv(first_month: int, start_cal: int = 6, horizon: int = 3, rate: float = 0.08) -> float:
    """NPV at the project start (calendar month ``start_cal``, 0 = January: 2026-07) of a GPU operating from
    model month ``first_month`` (0-based) to the horizon's end: month m = 1..12H earns 24 x its days less 100,
    discounted (1 + rate)^(-m/12) (end of month)."""
    m = np.arange(1, 12 * horizon + 1)
    cal = (start_cal + m - 1) % 12
    flow = np.where(m - 1 >= first_month, 24.0 * DAYS[cal] - 100.0, 0.0)
    return float((flow * (1.0 + rate) ** (-m / 12.0)).sum())


def test_a_longer_build_moves_revenue_later_from_the_same_project_start():
    # base: a 6-month build from 2026-07, the fleet from 2027-01 (model month 6). The tornado's 10-month end is a
    # 4-month overrun: construction still from 2026-07, revenue and the bill from 2027-05 (model month 10); its
    # 4-month end, a 2-month gain: from 2026-11. Hand sums of 36 terms: rel 1e-6 (the brief's), float error ~1e-14
    base = _one_gpu()
    assert run_tco(base, BILL).summary["npv_usd"] == pytest.approx(_hand_npv(6), rel=1e-6)
    row = tornado(base, BILL, ranges={"build_months": (4.0, 10.0)}).set_index("input").loc["build_months"]
    assert row["metric_at_high"] == pytest.approx(_hand_npv(10), rel=1e-6)
    assert row["metric_at_low"] == pytest.approx(_hand_npv(4), rel=1e-6)
    # the old model started the 10-month case in 2026-03 with revenue from 2027-01, moved to 2026-07: not this
    old = _hand_npv(10, start_cal=2) * 1.08 ** (4 / 12)
    assert abs(row["metric_at_high"] - old) > 1e-3 * abs(old)
    # a Monte Carlo draw of the same build is the same case, and so is the single run of overrun_inputs
    mc = monte_carlo(base, BILL, {"build_months": ("fixed", 10.0)}, n_draws=3)
    np.testing.assert_allclose(mc["npv_usd"], _hand_npv(10), rtol=1e-6)
    late = overrun_inputs(base, 10.0)
    assert str(late.fleet_start) == "2027-05" and str(tco.calendar_months(late)[0]) == "2026-07"
    assert run_tco(late, BILL).summary["npv_usd"] == pytest.approx(_hand_npv(10), rel=1e-6)


def test_a_build_overrun_absorbs_a_grid_delay_up_to_it():
    # one grid phase planned at the fleet's start (month 6, 2027-01). A 10-month build (4 months over) with a
    # 3-month grid delay: power from month 9, the fleet ready at 10: it operates from 10, as without a delay.
    # With a 6-month delay power comes at month 12: the purchase moves max(0, 6 - 4) = 2 months, from 12.
    base = _one_gpu(grid_phases=((0.0, 1.0),))
    for delay, first in ((3.0, 10), (6.0, 12)):
        mc = monte_carlo(base, BILL, {"build_months": ("fixed", 10.0), "delay_months": ("fixed", delay)},
                         n_draws=2)
        np.testing.assert_allclose(mc["npv_usd"], _hand_npv(first), rtol=1e-6)
        one = run_tco(overrun_inputs(base, 10.0).with_costs(delay_months=delay), BILL).summary["npv_usd"]
        assert one == pytest.approx(_hand_npv(first), rel=1e-6)


def test_build_months_bar_ends_are_the_overrun_cases_single_runs():
    # a full case (default costs, tax, IT capex and refresh, residual sale) with a 12-month build and grid phases:
    # each bar end is the deterministic run of overrun_inputs (the same project start, 2025-10); the batch and the
    # single run sum the same terms in another order: rel 1e-9
    inp = TcoInputs(n_accelerators=256, it_capacity_kw=400.0, it_energy_kwh=2.8e6, horizon_years=10,
                    fleet_start="2026-10-01", costs={"build_months": 12.0}, grid_phases=((-1.0, 0.5), (6.0, 0.6)))
    bill = 3.0e5
    ranges = {"build_months": (9.4, 20.0)}          # 9.4 runs as 9 whole months (rounded half up)
    for metric in ("npv_usd", "tco_pv_usd"):
        row = tornado(inp, bill, ranges=ranges, metric=metric).set_index("input").loc["build_months"]
        for end, b in (("metric_at_low", 9.4), ("metric_at_high", 20.0)):
            own = run_tco(overrun_inputs(inp, b), bill)
            assert str(own.calendar_months[0]) == "2025-10"
            assert row[end] == pytest.approx(own.summary[metric], rel=1e-9), (metric, end)
        assert row["base_metric"] == pytest.approx(run_tco(inp, bill).summary[metric], rel=1e-12)
    tr = tornado(inp, bill, ranges=ranges)
    label = tr.attrs["metric"]["label"]
    assert "every case valued at the base case's project start, 2025-10" in label
    assert "construction overrun" in label and tr.attrs["metric"]["valued_at"] == valuation_text(inp)


def test_monte_carlo_provenance_says_the_common_start():
    mc = monte_carlo(_one_gpu(), BILL, {"build_months": ("fixed", 8.0)}, n_draws=2)
    start = "every case valued at the base case's project start, 2026-07"
    assert mc.attrs["monte_carlo"]["valued_at"].startswith(start)
    assert percentiles(mc, ["npv_usd"]).attrs["monte_carlo"]["valued_at"] == mc.attrs["monte_carlo"]["valued_at"]


def test_undated_cases_move_the_fleet_from_a_january_start():
    # an undated case's month 0 is a January whatever the build: a 10-month build operates from month 10 (November)
    undated = _one_gpu(fleet_start=None)
    row = tornado(undated, BILL, ranges={"build_months": (6.0, 10.0)}).set_index("input").loc["build_months"]
    assert row["metric_at_high"] == pytest.approx(_hand_npv(10, start_cal=0), rel=1e-6)
    assert valuation_text(undated).startswith("every case valued at the project start (an undated case")
