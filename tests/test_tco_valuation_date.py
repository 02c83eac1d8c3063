"""Tornado and Monte Carlo NPVs valued at one date, the base case's project start (dcplan.tco_revalue).

A dated case's project start is fleet_start - build_months, so a case with a longer build used to be
valued at an earlier date than the base case: a lender's engineer found a one-GPU case's 12-month build
NPV (31,529 USD at 2026-01) compared with the 0-month build's (37,615 USD at 2027-01), 2,522 USD of the
drop being only the date (31,529 x 1.08 = 34,051). Expected values here are summed by hand from the
revenue of each calendar month and the discount factors, apart from the model.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan import tco
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_revalue import start_shift_months, valuation_text
from dcplan.tco_uncertainty import monte_carlo, percentiles, tornado

#: Days of each calendar month in the model's 365-day year (leap days are not modelled).
DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _one_gpu(build=0.0, horizon=2, fleet_start="2027-01-01") -> TcoInputs:
    """One GPU at 50 % utilization selling at 2 USD/GPU-h (24 USD per day), every other input 0 (no
    tax, no escalation, no capex, so no residual): each operating month earns 24 x its days."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0, revenue_usd_per_gpu_h=2.0, discount_rate_frac=0.08,
             build_months=build)
    return TcoInputs(n_accelerators=1, it_capacity_kw=1.0, it_energy_kwh=8760.0, utilization_frac=0.5,
                     horizon_years=horizon, costs=c, fleet_start=fleet_start)


def _hand_pv_from_2027_01(months: int, rate: float = 0.08) -> float:
    """PV at 2027-01 of the first ``months`` months of revenue from January 2027 (end of month m, (1 + rate)^(-m/12))."""
    rev = 24.0 * np.tile(DAYS, 8)[:months]
    return float((rev * (1.0 + rate) ** -(np.arange(1, months + 1) / 12.0)).sum())


def test_one_gpu_builds_differ_only_by_the_lost_operating_months():
    # the engineer's case: one GPU, no build cost, fleet from 2027-01, an 8-year horizon, builds of 0, 12, 24 months
    base = _one_gpu(build=0.0, horizon=8)
    # each case's own NPV, at its own project start: build 0 from 2027-01 (96 operating months); build 12 from
    # 2026-01 (12 months of build, then 2027-01 to 2033-12); build 24 from 2025-01. Hand sums; float sums of up to
    # 96 terms: rel 1e-12
    own0 = run_tco(base, 0.0).summary["npv_usd"]
    own12 = run_tco(base.with_costs(build_months=12.0), 0.0).summary["npv_usd"]
    own24 = run_tco(base.with_costs(build_months=24.0), 0.0).summary["npv_usd"]
    assert own0 == pytest.approx(_hand_pv_from_2027_01(96), rel=1e-12)
    assert own12 == pytest.approx(_hand_pv_from_2027_01(84) / 1.08, rel=1e-12)      # valued a year earlier
    assert own24 == pytest.approx(_hand_pv_from_2027_01(72) / 1.08 ** 2, rel=1e-12)  # two years earlier
    # the tornado values both bars at the base case's start, 2027-01: the same months from 2027-01, so each
    # differs from the base only by the operating months the longer build loses at the horizon's end
    tr = tornado(base, 0.0, ranges={"build_months": (12.0, 24.0)}).set_index("input")
    row = tr.loc["build_months"]
    assert row["base_metric"] == pytest.approx(own0, rel=1e-12)
    assert row["metric_at_low"] == pytest.approx(_hand_pv_from_2027_01(84), rel=1e-12)
    assert row["metric_at_high"] == pytest.approx(_hand_pv_from_2027_01(72), rel=1e-12)
    assert row["metric_at_low"] == pytest.approx(own12 * 1.08, rel=1e-12)
    assert row["metric_at_high"] == pytest.approx(own24 * 1.08 ** 2, rel=1e-12)
    lost_2034 = _hand_pv_from_2027_01(96) - _hand_pv_from_2027_01(84)       # 2034's 12 months
    lost_2033_2034 = _hand_pv_from_2027_01(96) - _hand_pv_from_2027_01(72)  # 2033's and 2034's
    assert row["base_metric"] - row["metric_at_low"] == pytest.approx(lost_2034, rel=1e-9)
    assert row["base_metric"] - row["metric_at_high"] == pytest.approx(lost_2033_2034, rel=1e-9)


def test_a_build_months_bar_is_its_own_npv_moved_by_the_model_discounting():
    # a full case (default costs, tax, IT capex and refresh, residual sale) with a 12-month base build from
    # 2026-10: the bar's ends are the deterministic runs' NPVs, each valued at its own start 2025-10 - (b - 12)
    # months, times 1.08^((b - 12) / 12) (monthly discounting: month m at 1.08^(-m/12)); a tco_pv_usd bar moves alike
    inp = TcoInputs(n_accelerators=256, it_capacity_kw=400.0, it_energy_kwh=2.8e6, horizon_years=10,
                    fleet_start="2026-10-01", costs={"build_months": 12.0})
    bill = 3.0e5
    ranges = {"build_months": (9.4, 20.0)}          # 9.4 runs as 9 whole months (rounded half up)
    for metric in ("npv_usd", "tco_pv_usd"):
        row = tornado(inp, bill, ranges=ranges, metric=metric).set_index("input").loc["build_months"]
        for end, b in (("metric_at_low", 9.0), ("metric_at_high", 20.0)):
            own = run_tco(inp.with_costs(build_months=b), bill)
            assert str(own.calendar_months[0]) == ("2026-01" if b == 9.0 else "2025-02")
            want = own.summary[metric] * 1.08 ** ((b - 12.0) / 12.0)
            assert row[end] == pytest.approx(want, rel=1e-12), (metric, end)
        assert row["base_metric"] == pytest.approx(run_tco(inp, bill).summary[metric], rel=1e-12)
    # the label says the date: the base case's project start, 2025-10
    tr = tornado(inp, bill, ranges=ranges)
    assert "every case valued at the base case's project start, 2025-10" in tr.attrs["metric"]["label"]
    assert tr.attrs["metric"]["valued_at"] == valuation_text(inp)
    assert "ends its horizon earlier and operates fewer months within it" in tr.attrs["metric"]["label"]


def test_monte_carlo_draws_valued_at_the_base_start():
    base = _one_gpu(build=0.0)
    # every draw a 12-month build: each draw is that case's NPV moved to 2027-01 (hand sum of 2027's months),
    # so percentiles and P(NPV < 0) compare draws at one date
    mc = monte_carlo(base, 0.0, {"build_months": ("fixed", 12.0)}, n_draws=5)
    np.testing.assert_allclose(mc["npv_usd"], _hand_pv_from_2027_01(12), rtol=1e-12)
    assert mc.attrs["monte_carlo"]["valued_at"].startswith("every case valued at the base case's project start, 2027-01")
    pct = percentiles(mc, ["npv_usd"])
    assert pct.attrs["monte_carlo"]["valued_at"] == mc.attrs["monte_carlo"]["valued_at"]
    # a draw of the discount rate with the build: moved at the draw's own rate, 1.10^(12/12), its flows
    # discounted at 10 % to 2027-01: hand sum at 10 %
    mc = monte_carlo(base, 0.0, {"build_months": ("fixed", 12.0), "discount_rate_frac": ("fixed", 0.10)},
                     n_draws=2)
    np.testing.assert_allclose(mc["npv_usd"], _hand_pv_from_2027_01(12, rate=0.10), rtol=1e-12)


def test_undated_cases_share_month_zero_and_are_not_moved():
    # an undated case's month 0 is a January whatever the build (the fleet moves instead): nothing is moved
    undated = _one_gpu(build=0.0, fleet_start=None)
    assert start_shift_months(undated, np.array([0.0, 12.0])).tolist() == [0.0, 0.0]
    own12 = run_tco(undated.with_costs(build_months=12.0), 0.0).summary["npv_usd"]
    row = tornado(undated, 0.0, ranges={"build_months": (0.0, 12.0)}).set_index("input").loc["build_months"]
    assert row["metric_at_high"] == pytest.approx(own12, rel=1e-12)
    assert valuation_text(undated).startswith("every case valued at the project start (an undated case")
