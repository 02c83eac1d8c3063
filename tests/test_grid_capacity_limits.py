"""Capacity check: a battery needing more storage hours than a battery has, at every power up to
the contracted capacity, is no option; the quantiles error prints plain numbers.

Hand criteria: with a round-trip efficiency of 1 (no losses either way), a battery that serves an
excess of X kW for n hours, recharged by n hours of headroom of at least X, needs n * X kWh
whatever its power P >= X (the deficit recursion of
``dcplan.grid_battery.battery_energy_needed_kwh`` rises by X per hour over and falls by at least X
per hour under, ending the year at 0, so it repeats); its duration is n X / P h, against the site
file's longest battery, 12 h (``BATTERY_DURATION_RANGE_H``), at powers up to the contracted
capacity (``BATTERY_POWER_MAX_FRAC_OF_CONTRACT`` x the contract, the largest a site file accepts).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import grid
from dcplan.errors import InputError
from dcplan.specs.interconnection import BATTERY_DURATION_RANGE_H, BATTERY_POWER_MAX_FRAC_OF_CONTRACT


def _hourly(values) -> pd.Series:
    idx = pd.date_range("2025-07-01 01:00", periods=len(values), freq="h", tz="Etc/GMT+5")
    return pd.Series(np.asarray(values, dtype=float), index=idx, name="facility_kw")


def _over_then_under(hours_over: int) -> pd.Series:
    # 100 kW over a 1,000 kW limit for n h, then 1,000 kW under it (no load) for n h
    return _hourly([1100.0] * hours_over + [0.0] * hours_over)


def test_a_battery_needing_more_than_12_h_at_the_contract_is_infeasible_with_the_reason():
    assert BATTERY_DURATION_RANGE_H[1] == 12.0  # the site spec's longest battery
    assert BATTERY_POWER_MAX_FRAC_OF_CONTRACT == 1.0
    cc = grid.capacity_check(_over_then_under(130), 1000.0, round_trip_eff_frac=1.0)
    b = cc.options.loc["battery"]
    # the size at the peak excess is still given (it holds the limit): 100 kW, 130 h x 100 kW = 13,000 kWh
    assert b["power_kw"] == pytest.approx(100.0)
    assert b["energy_kwh"] == pytest.approx(13000.0)
    # 13,000 kWh at any power; at 1,000 kW (the contract) 13 h: more than a battery's 12 h
    assert not b["feasible"]
    reason = ("needs 13.0 h of storage, beyond a battery's 12 h, even at 1,000 kW (the contracted capacity); "
              "curtail or add generation")
    assert b["infeasible_reason"] == reason
    assert b["note"].endswith(f"({reason})")
    # generation still covers it; curtailment (no flexible load) does not, with its own reason
    assert cc.options.loc["onsite_generation", "feasible"]
    assert cc.options.loc["onsite_generation", "infeasible_reason"] == ""
    assert cc.options.loc["curtail_flexible_load", "infeasible_reason"].startswith(
        "the flexible load does not cover the excess (the worst interval")


def test_a_battery_of_exactly_12_h_at_the_contract_is_feasible():
    # 120 h over, 120 h under: 12,000 kWh / 1,000 kW = 12 h, the longest the site file accepts; at the
    # peak excess, 100 kW, it would be 120 h, so the power is raised to the contract
    cc = grid.capacity_check(_over_then_under(120), 1000.0, round_trip_eff_frac=1.0)
    b = cc.options.loc["battery"]
    assert b["energy_kwh"] == pytest.approx(12000.0)
    assert b["power_kw"] == pytest.approx(1000.0, rel=1e-8)
    assert b["feasible"] and b["infeasible_reason"] == ""
    assert b["power_basis"].startswith("power set by the 12 h duration limit")


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
