"""Capacity check: a battery needing more storage hours than a battery has is no option; the
quantiles error prints plain numbers.

Hand criteria: with a round-trip efficiency of 1 (no losses either way), a battery of power P
that serves an excess of P for n hours, recharged by n hours of headroom of P, needs n * P kWh
(the deficit recursion of ``dcplan.grid_battery.battery_energy_needed_kwh`` rises by P per hour
over and falls by P per hour under, ending the year at 0, so it repeats); its duration is n h,
against the site file's longest battery, 12 h (``BATTERY_DURATION_RANGE_H``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import grid
from dcplan.errors import InputError
from dcplan.specs.interconnection import BATTERY_DURATION_RANGE_H


def _hourly(values) -> pd.Series:
    idx = pd.date_range("2025-07-01 01:00", periods=len(values), freq="h", tz="Etc/GMT+5")
    return pd.Series(np.asarray(values, dtype=float), index=idx, name="facility_kw")


def _over_then_under(hours_over: int) -> pd.Series:
    # 1,000 kW over a 10,000 kW limit for n h, then 1,000 kW under it for n h
    return _hourly([11000.0] * hours_over + [9000.0] * hours_over)


def test_a_battery_needing_more_than_12_h_is_infeasible_with_the_reason():
    assert BATTERY_DURATION_RANGE_H[1] == 12.0  # the site spec's longest battery
    cc = grid.capacity_check(_over_then_under(13), 10000.0, round_trip_eff_frac=1.0)
    b = cc.options.loc["battery"]
    # the size still holds the limit (module docstring): 1,000 kW, 13 h x 1,000 kW = 13,000 kWh
    assert b["power_kw"] == pytest.approx(1000.0)
    assert b["energy_kwh"] == pytest.approx(13000.0)
    # 13 h of storage: more than a battery's 12 h (it was feasible=True before)
    assert not b["feasible"]
    assert b["infeasible_reason"] == "needs 13.0 h of storage: beyond a battery's 12 h; curtail or add generation"
    assert b["note"].endswith("(needs 13.0 h of storage: beyond a battery's 12 h; curtail or add generation)")
    # generation still covers it; curtailment (no flexible load) does not, with its own reason
    assert cc.options.loc["onsite_generation", "feasible"]
    assert cc.options.loc["onsite_generation", "infeasible_reason"] == ""
    assert cc.options.loc["curtail_flexible_load", "infeasible_reason"].startswith(
        "the flexible load does not cover the excess (the worst interval")


def test_a_battery_of_exactly_12_h_is_feasible():
    # 12 h over, 12 h under: 12,000 kWh / 1,000 kW = 12 h, the longest the site file accepts
    cc = grid.capacity_check(_over_then_under(12), 10000.0, round_trip_eff_frac=1.0)
    b = cc.options.loc["battery"]
    assert b["energy_kwh"] == pytest.approx(12000.0)
    assert b["feasible"] and b["infeasible_reason"] == ""


def test_a_battery_that_cannot_recharge_says_so_in_its_reason():
    # tests/test_grid.py's hand case: draws 8,000 / 0.9 kWh, the headroom recharges at most 5,400
    cc = grid.capacity_check(_hourly([8000, 12000, 15000, 9000, 11000, 7000]), 10000.0, round_trip_eff_frac=0.81)
    b = cc.options.loc["battery"]
    assert not b["feasible"]
    assert b["infeasible_reason"].startswith("too little room under the limit to recharge what it draws")


def test_no_excess_leaves_every_reason_empty():
    cc = grid.capacity_check(_hourly([9000.0] * 4), 10000.0)
    assert cc.options["feasible"].all()
    assert (cc.options["infeasible_reason"] == "").all()


def test_quantiles_error_prints_plain_numbers():
    # was "got [np.float64(0.5), np.float64(1.0)]"
    with pytest.raises(InputError, match=r"^quantiles: must be strictly between 0 and 1, got \[0\.5, 1\.0\]$"):
        grid.time_to_power("nc-duke", quantiles=[0.5, 1.0])
    with pytest.raises(InputError, match=r"got \[0\.0, 0\.5\]$"):
        grid.lead_time_quantiles(36.0, 30.0, 60.0, quantiles=np.array([0.0, 0.5]))
    # text is refused as input, not a bare numpy conversion error
    with pytest.raises(InputError, match=r"^quantiles: must be numbers strictly between 0 and 1, got \['a'\]$"):
        grid.lead_time_quantiles(36.0, 30.0, 60.0, quantiles=["a"])
