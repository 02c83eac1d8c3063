"""dcplan.schedule_demand: the billed demand of each demand charge, and the rolling result's own IT per strategy.

A black-box run of the off-peak notebook (research-triangle-nc, Duke OPT-V: 3.63 $/kW-month on the
all-hours peak and 16.5 $/kW-month on the on-peak peak) published "reduction in billed demand"
995.5 kW, the all-hours charge's (worth 3,614 USD), while the on-peak demand fell 3,142 kW (worth
51,846 USD): ``billed_demand_kw`` took the highest kW over both charges. Now each charge is given
on its own, and the one billed demand only where one charge is priced.

With ``-p utilisation_frac 1`` the rolling run-ASAP bill (53 jobs unplaced) was published beside
the optimized schedule's IT energy: :attr:`RollingResult.work_short` now says which strategy did
less work, and by how much, from its own IT (``load.it_kw_<strategy>``).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import DATA

from dcplan import schedule as S
from dcplan.schedule_demand import billed_demand_by_charge, billed_demand_kw, compare_demand_charges
from dcplan.schedule_rolling import RollingResult, rolling_horizon
from dcplan.tariff import Tariff

TZ = "America/Phoenix"  # no DST: every day 24 h
PEAK = list(range(14, 20))  # start hours 14-19: 0.20 $/kWh and the 10 $/kW on-peak demand charge


def _two_charges():
    t = Tariff.tou(0.10, [{"name": "peak", "usd_per_kwh": 0.20, "hours": PEAK, "days": "all"}])
    return t.with_demand_charge(10.0, hours=PEAK, name="on_peak").with_demand_charge(4.0)


def test_each_demand_charge_is_given_with_its_billed_demand_and_saving():
    idx = pd.date_range("2025-07-15 01:00", periods=24, freq="h", tz=TZ)
    t = _two_charges()
    # one job: 300 kW for 2 h (600 kWh) at most, released 13:00, due midnight; must-run 100 kW, PUE 1
    job = {"name": "a", "energy_kwh": 600.0, "power_kw": 300.0,
           "earliest_start": pd.Timestamp("2025-07-15 13:00", tz=TZ),
           "deadline": pd.Timestamp("2025-07-16 00:00", tz=TZ)}
    r = S.optimize([job], idx, tariff=t, base_it_kw=100.0, pue=1.0)
    # by hand. run-ASAP: the job at 13:00-15:00, 400 kW on site; 14:00 is on-peak: all-hours and on-peak
    # billed demand 400 kW. Optimized: its window's off-peak start hours are 13, 20, 21, 22, 23 (5 h); x kW
    # in each of the 6 on-peak hours and y = (600 - 6x) / 5 in each off-peak one cost 4 (100 + y) + 10 (100 + x)
    # = 1,880 + 5.2 x USD of demand (and more energy with x): x = 0, y = 120 kW. All-hours demand 220 kW,
    # on-peak 100 kW (the must-run alone). abs 1e-6: an LP solved to optimality (no binaries)
    d = r.demand_by_charge
    assert list(d.index) == ["all_hours", "tou_on_peak"]
    assert d.at["all_hours", "asap_kw"] == pytest.approx(400.0, abs=1e-6)
    assert d.at["all_hours", "optimized_kw"] == pytest.approx(220.0, abs=1e-6)
    assert d.at["tou_on_peak", "asap_kw"] == pytest.approx(400.0, abs=1e-6)
    assert d.at["tou_on_peak", "optimized_kw"] == pytest.approx(100.0, abs=1e-6)
    # saving: all-hours 4 x (400 - 220) = 720 USD, on-peak 10 x (400 - 100) = 3,000 USD; together the bill's
    # demand saving, 3,720 USD
    assert d.at["all_hours", "saving_usd"] == pytest.approx(720.0, abs=1e-5)
    assert d.at["tou_on_peak", "saving_usd"] == pytest.approx(3000.0, abs=1e-5)
    assert r.savings["vs_asap_demand_usd"] == pytest.approx(3720.0, abs=1e-5)
    assert d["saving_usd"].sum() == pytest.approx(r.savings["vs_asap_demand_usd"], abs=1e-9)
    assert d.at["all_hours", "usd_per_kw"] == 4.0 and d.at["tou_on_peak", "usd_per_kw"] == 10.0
    assert d.at["tou_on_peak", "text"] == \
        "the TOU demand charge of period on_peak (every day 14:00-20:00), 10 $/kW-month"
    # two charges, two peaks: no one billed demand (it was the higher of them, 400 -> 220 kW: 180 kW)
    assert np.isnan(r.costs.at["asap", "billed_demand_kw"]) and np.isnan(r.savings["billed_demand_reduction_kw"])


def test_the_duke_tariff_names_each_periods_hours_and_rate():
    # data/tariffs/duke-nc-opt-tou.json, read here by hand: flat demand 3.63 $/kW; TOU demand periods
    # 0 (0 $/kW), 1 (16.5 $/kW: weekdays at start hours 13-20 in June-September), 2 (9.8 $/kW: weekdays at
    # start hours 6-12 in the other months); weekends period 0
    j = json.loads((DATA / "tariffs" / "duke-nc-opt-tou.json").read_text())
    j = j["items"][0] if "items" in j else j
    assert j["demandweekdayschedule"][6][13:21] == [1] * 8 and j["demandweekdayschedule"][11][6:13] == [2] * 7
    t = Tariff.from_urdb(DATA / "tariffs" / "duke-nc-opt-tou.json")
    tz = "America/New_York"
    load = pd.Series(1000.0, index=pd.date_range("2025-07-01 01:00", periods=24 * 62, freq="h", tz=tz))
    load[load.index.hour == 15] = 1500.0  # an on-peak hour every day (weekends too: the all-hours charge)
    d = billed_demand_by_charge(t.bill(load), t)
    assert list(d.index) == ["all_hours", "tou_1"]  # period 0 is priced at 0 $/kW: not a charge here
    # period 1 applies only in June-September (the schedule above): its words say the months, even for a bill of
    # July and August alone (the tester read "period 1 (weekdays 13:00-21:00)" as all year)
    assert d.at["tou_1", "hours"] == "Jun-Sep weekdays 13:00-21:00" and d.at["tou_1", "usd_per_kw"] == 16.5
    assert d.at["tou_1", "text"] == "the TOU demand charge of period 1 (Jun-Sep weekdays 13:00-21:00), 16.5 $/kW-month"
    # July + August: 1,500 kW each month; the all-hours charge 3.63 x 1,500 x 2 = 10,890 USD, the on-peak one
    # 16.5 x 1,500 x 2 = 49,500 USD (rel 1e-12: float products)
    assert d["billed_kw"].tolist() == pytest.approx([1500.0, 1500.0], rel=1e-12)
    assert d["demand_usd"].tolist() == pytest.approx([10890.0, 49500.0], rel=1e-12)
    assert np.isnan(billed_demand_kw(t.bill(load)))  # two priced charges
    # December: period 2 in the morning, 9.8 $/kW
    dec = pd.Series(1000.0, index=pd.date_range("2025-12-01 01:00", periods=24 * 7, freq="h", tz=tz))
    d = billed_demand_by_charge(t.bill(dec), t)
    # period 2: the other months, October to May across the year's end
    assert d.at["tou_2", "hours"] == "Oct-May weekdays 06:00-13:00" and d.at["tou_2", "usd_per_kw"] == 9.8
    # with a holiday list (billed on the weekend schedule) the weekday schedule's days are weekdays except holidays
    from dcplan.tariff_holidays import nerc_calendar
    th = Tariff.from_urdb(DATA / "tariffs" / "duke-nc-opt-tou.json", holidays=nerc_calendar())
    assert billed_demand_by_charge(th.bill(load), th).at["tou_1", "hours"] == \
        "Jun-Sep weekdays except holidays 13:00-21:00"


def test_compare_demand_charges_is_nan_where_the_work_differs():
    t = Tariff.flat(0.1).with_demand_charge(4.0)
    idx = pd.date_range("2025-07-01 01:00", periods=24, freq="h", tz=TZ)
    bills = {"asap": t.bill(pd.Series(300.0, index=idx)), "optimized": t.bill(pd.Series(200.0, index=idx))}
    d = compare_demand_charges(bills, t)
    # 4 x (300 - 200) = 400 USD (abs: float products)
    assert d.at["all_hours", "reduction_kw"] == pytest.approx(100.0, abs=1e-9)
    assert d.at["all_hours", "saving_usd"] == pytest.approx(400.0, abs=1e-9)
    d = compare_demand_charges(bills, t, not_comparable="asap left 1 of 2 jobs unplaced")
    assert d[["reduction_kw", "saving_usd"]].isna().all().all() and d.at["all_hours", "asap_kw"] == 300.0
    # one charge: the billed demand is unambiguous
    assert billed_demand_kw(bills["asap"]) == pytest.approx(300.0, abs=1e-9)
    # no bills (a schedule without a tariff): no charges, the columns all the same
    d = compare_demand_charges({})
    assert d.empty and {"asap_kw", "optimized_kw", "reduction_kw", "saving_usd"} <= set(d.columns)
    # a tariff without demand charges: none
    assert compare_demand_charges({k: Tariff.flat(0.1).bill(pd.Series(1.0, index=idx)) for k in bills}).empty


def test_work_short_names_the_strategy_and_the_it_energy_it_did():
    # a hand-built result: 4 hourly intervals, must-run 1,000 kW, one job of 2,000 kWh. The optimized
    # schedule did it all (IT 6,000 kWh), run-ASAP only 1,000 kWh of it (IT 5,000 kWh of the 6,000 asked)
    idx = pd.date_range("2025-07-01 01:00", periods=4, freq="h", tz=TZ)
    load = pd.DataFrame({"base_it_kw": 1000.0, "it_kw_optimized": [1500.0, 1500.0, 1500.0, 1500.0],
                         "it_kw_asap": [2000.0, 1000.0, 1000.0, 1000.0]}, index=idx)
    costs = pd.DataFrame({"jobs_not_placed": [0, 1], "bill_total_usd": [1.0, 1.0]}, index=["optimized", "asap"])
    jobs = pd.DataFrame({"energy_kwh": [2000.0]}, index=pd.Index(["a"], name="name"))
    r = RollingResult(load, costs, pd.DataFrame(), jobs, 0.0, {}, pd.DataFrame())
    assert r.work_short == {"asap": "run-ASAP left 1 of 1 jobs unplaced under the site limits: its load is 5.0 of "
                                    "the 6.0 MWh of IT work asked (must-run + jobs), so its bill is not that of the "
                                    "scheduled work"}


def test_rolling_load_gives_each_strategys_own_it():
    # tests/test_schedule_rolling.py's P/N case: 4 hourly intervals, cap 1 kW, P (2 kWh by 03:00) and N
    # (non-preemptible, 2 h by 04:00) at 1 kW: no order lets greedy place both, so it does P alone (2 kWh)
    tz = "Etc/GMT+5"
    idx = pd.date_range(pd.Timestamp("2025-07-01 01:00", tz=tz), periods=4, freq="h")
    prices = [0.1, 0.5, 0.1, 1.0]
    t = Tariff.tou(prices[0], [{"name": f"h{h}", "usd_per_kwh": v, "hours": [h], "days": "all"}
                               for h, v in enumerate(prices) if h and v != prices[0]])
    jobs = [dict(name=n, energy_kwh=2.0, power_kw=1.0, preemptible=pre,
                 earliest_start=pd.Timestamp("2025-07-01", tz=tz), deadline=pd.Timestamp(dl, tz=tz))
            for n, dl, pre in (("P", "2025-07-01 03:00", True), ("N", "2025-07-01 04:00", False))]
    r = rolling_horizon(jobs, idx, tariff=t, commit="1D", lookahead="0h", cap_kw=1.0)
    # 1-h intervals: kW sums are kWh; must-run 0. Optimized and run-ASAP 4 kWh, greedy 2 (abs: float sums)
    assert [r.load[f"it_kw_{k}"].sum() for k in ("optimized", "asap", "greedy")] == pytest.approx([4.0, 4.0, 2.0],
                                                                                                   abs=1e-9)
    assert list(r.work_short) == ["greedy"]
    assert "the greedy baseline left 1 of 2 jobs unplaced under the site limits: its load is 2.0 of the 4.0 kWh" \
        in r.work_short["greedy"]
