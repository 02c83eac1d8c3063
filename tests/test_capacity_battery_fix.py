"""The capacity check on a battery whose power is above the peak excess: the hours of storage a
battery of the excess's power would need (``storage_at_peak_excess_h``), and the planner's note
(``grid.battery_fix_note``) that such a battery is no practical fix at that power, what the sized one
is, and what else closes the gap.

Hand criteria (as tests/test_battery_sizing.py). With a round-trip efficiency of 1 the deficit
recursion of ``dcplan.grid_battery.battery_energy_needed_kwh`` rises by the excess in each hour over
and falls by ``min(P, headroom)`` in each hour under (floored at 0, full); the usable energy a battery
of power P needs is its largest deficit, its storage hours that energy / P. A battery lasts at most
12 h (``BATTERY_DURATION_RANGE_H``). Research Triangle's first stage (the finding these tests answer):
a 5.2 MW / 62.7 MWh battery for a 178 kW excess, read as a recommendation.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dcplan import grid


def _hourly(values) -> pd.Series:
    idx = pd.date_range("2025-07-01 01:00", periods=len(values), freq="h", tz="Etc/GMT+5")
    return pd.Series(np.asarray(values, dtype=float), index=idx, name="facility_kw")


def test_a_small_excess_lasting_days_gets_its_storage_hours_and_a_note_naming_the_12_h_battery():
    # 100 kW over a 1,000 kW limit for 120 h, then 1,000 kW under it for 120 h: at 100 kW the battery
    # gives 120 x 100 = 12,000 kWh and takes it back (100 kW of 1,000 kW headroom for 120 h): 120 h of
    # storage. 12,000 kWh at any power >= 100 kW, so the 12 h limit sets P = 12,000 / 12 = 1,000 kW:
    # 10 x the excess (the Research Triangle shape: 29 x there). Hours over 120, energy over 12.0 MWh.
    cc = grid.capacity_check(_hourly([1100.0] * 120 + [0.0] * 120), 1000.0, round_trip_eff_frac=1.0)
    b = cc.options.loc["battery"]
    assert b["storage_at_peak_excess_h"] == pytest.approx(120.0, rel=1e-12)  # float sums of whole kWh
    assert b["feasible"] and b["power_kw"] == pytest.approx(1000.0, rel=1e-8)
    assert grid.battery_fix_note(cc) == (
        "a battery of the peak excess's power, 100 kW, is no practical fix: it would need 12,000 kWh, 120.0 h of "
        "storage, beyond a battery's 12 h. The 1,000 kW / 12,000 kWh (usable) battery is the smallest within a "
        "battery's rules, its power set by the 12 h duration limit (usable energy / 12 h), not by the excess "
        "(10.0 x it). What else closes the gap: curtail or cap 100 kW of load in the 120 h over (12.0 MWh in the "
        "year), or generate it on site")
    # the other options carry no storage hours
    assert cc.options[["storage_at_peak_excess_h"]].drop(index="battery").isna().all().all()


def test_the_split_excess_note_gives_the_raised_power_and_its_ratio():
    # tests/test_battery_sizing.py's SPLIT: 1,000 kW over 10,000 kW for 10 h, 2,000 kW under for 1 h, over
    # again for 10 h, then 2,000 kW under for 30 h. At 1,000 kW: 10,000 - 1,000 + 10,000 = 19,000 kWh, 19.0 h.
    # P = 20,000 / 13 = 1,538.5 kW (E(P) = 20,000 - P <= 12 P), E = 18,461.5 kWh; 1.54 x the excess;
    # 20 h over, 20,000 kWh = 20.0 MWh
    load = _hourly([11000.0] * 10 + [8000.0] + [11000.0] * 10 + [8000.0] * 30)
    cc = grid.capacity_check(load, 10000.0, round_trip_eff_frac=1.0)
    assert cc.options.loc["battery", "storage_at_peak_excess_h"] == pytest.approx(19.0, rel=1e-12)
    assert grid.battery_fix_note(cc) == (
        "a battery of the peak excess's power, 1,000 kW, is no practical fix: it would need 19,000 kWh, 19.0 h of "
        "storage, beyond a battery's 12 h. The 1,538 kW / 18,462 kWh (usable) battery is the smallest within a "
        "battery's rules, its power set by the 12 h duration limit (usable energy / 12 h), not by the excess "
        "(1.5 x it). What else closes the gap: curtail or cap 1,000 kW of load in the 20 h over (20.0 MWh in the "
        "year), or generate it on site")


def test_a_battery_raised_for_its_recharge_has_no_finite_storage_at_the_excess():
    # 1,000 kW over for 2 h, 5,000 kW under for 1 h: at 1,000 kW it takes back 1,000 of the 2,000 kWh it
    # gave, so its deficit grows every year (no energy suffices: inf); 2,000 kW / 2,000 kWh does it
    cc = grid.capacity_check(_hourly([11000.0, 11000.0, 5000.0]), 10000.0, round_trip_eff_frac=1.0)
    assert math.isinf(cc.options.loc["battery", "storage_at_peak_excess_h"])
    # it was called "no fix" like the 12 h case: it is a working battery, raised only to recharge between the peaks
    assert grid.battery_fix_note(cc) == (
        "a battery of the peak excess's power, 1,000 kW, cannot recharge in the hours under the limit what it gives "
        "(its deficit grows every year). The 2,000 kW / 2,000 kWh (usable) battery, 1.0 h of storage, covers the "
        "excess: it gives at most the 1,000 kW, its power raised to 2.0 x the excess only to recharge between the "
        "peaks (the smallest power that does, within a battery's rules). What else closes the gap: curtail or cap "
        "1,000 kW of load in the 2 h over (2.0 MWh in the year), or generate it on site")
    assert "no fix" not in grid.battery_note(cc) and grid.battery_note(cc) == grid.battery_fix_note(cc)


def test_no_note_when_the_battery_is_the_excess_or_none_works_or_there_is_no_excess():
    # within 12 h at the peak excess: 1,000 kW over for 4 h, 8 h of 5,000 kW under; eta 0.85 split evenly:
    # 4,000 / sqrt(0.85) = 4,338.6 kWh, 4.339 h at 1,000 kW
    cc = grid.capacity_check(_hourly([11000.0] * 4 + [5000.0] * 8), 10000.0)
    assert cc.options.loc["battery", "storage_at_peak_excess_h"] == pytest.approx(4 / math.sqrt(0.85), rel=1e-12)
    assert grid.battery_fix_note(cc) == ""
    # no battery up to the contract: 100 kW over for 200 h, 1,000 kW under for 200 h: 20,000 kWh, 200 h at
    # 100 kW (20 h even at 1,000 kW); its infeasible_reason says why, not this note
    cc = grid.capacity_check(_hourly([1100.0] * 200 + [0.0] * 200), 1000.0, round_trip_eff_frac=1.0)
    assert cc.options.loc["battery", "storage_at_peak_excess_h"] == pytest.approx(200.0, rel=1e-12)
    assert not cc.options.loc["battery", "feasible"] and grid.battery_fix_note(cc) == ""
    # no excess: no storage
    cc = grid.capacity_check(_hourly([9000.0] * 4), 10000.0)
    assert cc.options.loc["battery", "storage_at_peak_excess_h"] == 0.0
    assert grid.battery_fix_note(cc) == ""


def test_the_battery_note_gives_kw_and_hours_in_every_case():
    """grid.battery_note: what the battery option is, with its kW and hours, where the notebook said nothing (a
    battery of the excess's power; no excess) or only the reason (no battery works: Northern Virginia's first stage
    said "too little room under the limit ..." with no kW nor hours, where other sites' lines gave both)."""
    # no excess
    assert grid.battery_note(grid.capacity_check(_hourly([9000.0] * 4), 10000.0)) == (
        "no battery needed: the load is within the capacity in every hour")
    # 1,000 kW over for 4 h, 8 h of 5,000 kW under, eta 1: 4,000 kWh at 1,000 kW, 4.0 h; 4.0 MWh over
    cc = grid.capacity_check(_hourly([11000.0] * 4 + [5000.0] * 8), 10000.0, round_trip_eff_frac=1.0)
    assert grid.battery_note(cc) == (
        "a 1,000 kW / 4,000 kWh (usable) battery, 4.0 h of storage, covers the excess, 1,000 kW over at peak in the "
        "4 h over (4.0 MWh in the year), recharged only below the limit. Or curtail or cap 1,000 kW of load in "
        "those hours, or generate it on site")
    # the 12 h case: battery_fix_note's text
    cc = grid.capacity_check(_hourly([1100.0] * 120 + [0.0] * 120), 1000.0, round_trip_eff_frac=1.0)
    assert grid.battery_note(cc) == grid.battery_fix_note(cc) != ""
    # none works, by duration: 100 kW over for 200 h, 1,000 kW under for 200 h: 200 h at 100 kW, 20 h even at the
    # contracted 1,000 kW; 20,000 kWh = 20.0 MWh over
    cc = grid.capacity_check(_hourly([1100.0] * 200 + [0.0] * 200), 1000.0, round_trip_eff_frac=1.0)
    assert grid.battery_note(cc) == (
        "no practical battery for 100 kW over at peak in the 200 h over (20.0 MWh in the year) (at 100 kW a battery "
        "would need 200.0 h of storage): needs 20.0 h of storage, beyond a battery's 12 h, even at 1,000 kW (the "
        "contracted capacity); curtail or add generation")
    # none works, by recharge: 1,000 kW over for 4 h and no hour under (4,000 kWh over, 0 room): the NV shape
    cc = grid.capacity_check(_hourly([11000.0] * 4), 10000.0, round_trip_eff_frac=1.0)
    assert grid.battery_note(cc).startswith(
        "no practical battery for 1,000 kW over at peak in the 4 h over (4.0 MWh in the year): too little room under "
        "the limit to recharge what it draws")
