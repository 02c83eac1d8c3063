"""Demand above a last demand tier's ``max`` is billed at that tier's rate (the bound is open).

A tariff analyst billed PG&E B-19 with ``flatdemandstructure [[{"rate": 33.95, "max": 1000}]]`` on a
flat 5 MW load: dcplan billed 1,000 kW of the 5,000 kW peak (demand 1,155,600 USD instead of
2,785,200: 12 x 4,000 kW x 33.95 missing), while ``dcplan validate`` warned "usage beyond it is
billed at this tier's rate (dcplan treats the last bound as open)" and energy tiers did just that.
:meth:`Tariff.demand_charges` reported ``upper_kw`` 1000, so a scheduler saw demand above it as free.
Now the last demand bound is open, as the last energy bound (flat, TOU and coincident demand, and
the scheduler's tier split, which is the engine's); SAM 7.1 bills nothing above it (shown below).
"""
from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest

from dcplan.schedule_lp_rows import tier_split as lp_tier_split
from dcplan.tariff import Tariff
from dcplan.tariff_lint import item_warnings

ZERO = [[0] * 24 for _ in range(12)]  # shared: never given to SAM (its converter adds 1 in place)
TOL = 1e-6  # USD: sums of a few dozen products of round numbers


def _sched(fn):
    return [[fn(m, h) for h in range(24)] for m in range(12)]


def _b19(flat_max=None):
    """A B-19-shaped item (the analyst's pge-b19.json, figures approximate, 2024 vintage): energy by
    TOU period, TOU demand summer peak 27.41 / part-peak 5.64 (Jun-Sep weekdays), winter peak 2.18
    (16-21 h every day Oct-May), flat demand 33.95 $/kW, optionally with a closed last tier."""
    summer = lambda m: 5 <= m <= 8  # noqa: E731 (0-based months Jun-Sep)
    d_wd = lambda m, h: ((1 if 16 <= h < 21 else 2 if (14 <= h < 16 or 21 <= h < 23) else 0) if summer(m)  # noqa: E731
                         else 3 if 16 <= h < 21 else 0)
    d_we = lambda m, h: 0 if summer(m) else (3 if 16 <= h < 21 else 0)  # noqa: E731
    flat = {"rate": 33.95} if flat_max is None else {"rate": 33.95, "max": flat_max}
    return {"label": "b19", "energyratestructure": [[{"rate": 0.1}]],
            "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO,
            "demandratestructure": [[{"rate": 0.0}], [{"rate": 27.41}], [{"rate": 5.64}], [{"rate": 2.18}]],
            "demandweekdayschedule": _sched(d_wd), "demandweekendschedule": _sched(d_we),
            "flatdemandstructure": [[flat]], "flatdemandmonths": [0] * 12}


def _flat_year(kw=5000.0, tz="America/Los_Angeles"):
    idx = pd.date_range("2025-01-01 00:15", "2026-01-01 00:00", freq="15min", tz=tz)
    return pd.Series(kw, index=idx)


def test_b19_flat_demand_with_a_closed_last_tier_bills_the_whole_peak():
    """Hand: flat 12 x 5,000 kW x 33.95 = 2,037,000; TOU summer (4 months, weekdays have peak and
    part-peak hours) 4 x 5,000 x (27.41 + 5.64) = 661,000; winter (8 months) 8 x 5,000 x 2.18 = 87,200;
    demand 2,785,200 USD, the same with and without the max of 1,000 kW (was 1,155,600 with it)."""
    hand = 12 * 5000 * 33.95 + 4 * 5000 * (27.41 + 5.64) + 8 * 5000 * 2.18
    assert hand == pytest.approx(2_785_200.0, abs=TOL)
    load = _flat_year()
    closed = Tariff.from_urdb(_b19(flat_max=1000)).bill(load)
    assert closed.demand_usd == pytest.approx(hand, abs=TOL)
    assert Tariff.from_urdb(_b19()).bill(load).demand_usd == pytest.approx(hand, abs=TOL)
    # the breakdown bills all 5,000 kW on the flat charge's one tier every month
    flat = closed.breakdown.query("charge == 'flat_demand'")
    assert flat["quantity"].tolist() == pytest.approx([5000.0] * 12, abs=1e-9)


def test_two_flat_tiers_last_closed_bill_the_excess_at_the_last_rate():
    """10 $/kW to 1,000 kW, then 8 $/kW to 3,000 kW (last max) on 5,000 kW: by hand
    1,000 x 10 + 4,000 x 8 = 42,000 USD a month (SAM 7.1: 1,000 x 10 + 2,000 x 8 = 26,000,
    demand above 3,000 kW unbilled; the analyst's closedtier.py printed 312,000 for the year)."""
    u = {"label": "t", "energyratestructure": [[{"rate": 0.05}]], "energyweekdayschedule": ZERO,
         "energyweekendschedule": ZERO, "flatdemandmonths": [0] * 12,
         "flatdemandstructure": [[{"rate": 10.0, "max": 1000}, {"rate": 8.0, "max": 3000}]]}
    b = Tariff.from_urdb(u).bill(_flat_year(tz="UTC"))
    assert b.monthly["demand_usd"].tolist() == pytest.approx([1000 * 10 + 4000 * 8] * 12, abs=TOL)
    bd = b.breakdown
    lines = bd[(bd.charge == "flat_demand") & (bd.month == pd.Period("2025-01", "M"))]
    assert lines["quantity"].tolist() == pytest.approx([1000.0, 4000.0], abs=1e-9)


def test_tou_demand_with_a_closed_last_tier_and_padding_of_a_shorter_period():
    """TOU demand: period 0 (hours 0-11) 1 $/kW to 100 kW (its only tier, closed); period 1
    (12-23 h) 2 $/kW to 100 kW, 3 $/kW to 150 kW (closed). 200 kW all January 2023 (UTC):
    by hand 200 x 1 + (100 x 2 + 100 x 3) = 700 USD (was 100 x 1 + 100 x 2 + 50 x 3 = 450).
    Period 0 is padded to two tiers (the padding continues its own last tier at 1 $/kW)."""
    u = {"demandratestructure": [[{"rate": 1.0, "max": 100}],
                                 [{"rate": 2.0, "max": 100}, {"rate": 3.0, "max": 150}]],
         "demandweekdayschedule": [[0] * 12 + [1] * 12] * 12,
         "demandweekendschedule": [[0] * 12 + [1] * 12] * 12}
    load = pd.Series(200.0, index=pd.date_range("2023-01-01 01:00", "2023-02-01 00:00", freq="h", tz="UTC"))
    # hours on the UTC clock, as by hand: tz="UTC" says so (a UTC index is refused without it: tariff_clock)
    assert Tariff.from_urdb(u).bill(load, tz="UTC").demand_usd == pytest.approx(700.0, abs=TOL)


def test_coincident_demand_with_a_closed_last_tier_bills_the_excess():
    """Coincident charge 5 $/kW with max 100 kW; 300 kW at one system peak in January:
    by hand 300 x 5 = 1,500 USD (was 100 x 5 = 500)."""
    u = {"coincidentratestructure": [[{"rate": 5.0, "max": 100}]], "coincidentrateschedule": ZERO}
    load = pd.Series(300.0, index=pd.date_range("2023-01-01 01:00", "2023-02-01 00:00", freq="h", tz="UTC"))
    b = Tariff.from_urdb(u).bill(load, coincident_peaks=["2023-01-10 18:00+00:00"])
    assert b.demand_usd == pytest.approx(1500.0, abs=TOL)


def test_demand_charges_reports_the_last_tier_open_and_the_scheduler_splits_alike():
    t = Tariff.from_urdb({"label": "t", "energyratestructure": [[{"rate": 0.05}]],
                          "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO,
                          "flatdemandmonths": [0] * 12,
                          "flatdemandstructure": [[{"rate": 10.0, "max": 1000}, {"rate": 8.0, "max": 3000}]]})
    dc = t.demand_charges()
    jan = dc[(dc.kind == "flat") & (dc.month == 1)]
    # tier 0 keeps its bound (1,000 kW); the last tier bills all demand above it (was upper_kw 3000)
    assert jan["upper_kw"].tolist() == [1000.0, np.inf]
    # a closed single TOU tier (B-19 flat max 1000) is reported open too
    dc19 = Tariff.from_urdb(_b19(flat_max=1000)).demand_charges()
    assert (dc19["upper_kw"] == np.inf).all()
    # the scheduling LP's tier widths (its tier_split is the engine's): 1,000 kW, then unbounded
    assert lp_tier_split(np.inf, [1000.0, 3000.0]).tolist() == [1000.0, np.inf]
    assert lp_tier_split(5000.0, [1000.0, 3000.0]).tolist() == [1000.0, 4000.0]


def test_validate_warning_on_a_closed_demand_tier_is_true_and_names_sams_difference(tmp_path):
    item = _b19(flat_max=1000)
    f = tmp_path / "b19.json"
    f.write_text(json.dumps(item))
    (w,) = item_warnings(copy.deepcopy(item), str(f))
    assert w == (f"{f}: flatdemandstructure[0][0].max: the last tier has max 1000 (kW); usage beyond it is "
                 "billed at this tier's rate (dcplan treats the last bound as open; SAM 7.1 bills no demand "
                 "above it); if the tariff has another tier above it, add it, else remove this max")


def test_sam_drops_demand_above_a_closed_last_tier_and_agrees_once_it_is_open():
    """SAM 7.1 (Utilityrate5) on 5,000 kW with flat demand 10 $/kW, max 1,000 kW: 12 x 1,000 x 10 =
    120,000 USD (the excess is dropped); with the max removed it bills 12 x 5,000 x 10 = 600,000 USD,
    which is what dcplan bills in both cases. Tolerance: a cent."""
    pytest.importorskip("PySAM.Utilityrate5")
    from tests.test_tariff_sam import sam_bill
    idx = pd.date_range("2018-01-01 01:00", periods=8760, freq="h", tz="Etc/GMT+5")
    load = pd.Series(5000.0, index=idx)
    u = {"energyratestructure": [[{"rate": 0.05}]], "energyweekdayschedule": _sched(lambda m, h: 0),
         "energyweekendschedule": _sched(lambda m, h: 0),  # two lists: a deep copy keeps aliases
         "flatdemandstructure": [[{"rate": 10.0, "max": 1000}]], "flatdemandmonths": [0] * 12}
    sam_closed = sam_bill(u, load.to_numpy())["charge_wo_sys_dc_fixed_ym"][1].sum()
    assert sam_closed == pytest.approx(12 * 1000 * 10.0, abs=0.005)
    u_open = copy.deepcopy(u)
    del u_open["flatdemandstructure"][0][0]["max"]
    sam_open = sam_bill(u_open, load.to_numpy())["charge_wo_sys_dc_fixed_ym"][1].sum()
    assert sam_open == pytest.approx(12 * 5000 * 10.0, abs=0.005)
    assert Tariff.from_urdb(u).bill(load).demand_usd == pytest.approx(sam_open, abs=0.005)
