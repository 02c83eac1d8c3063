"""Declining demand tiers in the scheduling MILP (dcplan.schedule_lp_rows._order_tiers).

A block of kW priced lower than the one below it ("10 $/kW to 1,000 kW, then 8 $/kW") makes the
demand charge concave in the peak; the LP alone would fill the cheap tier first. These tests
check the ordered tiers against optima derived by hand and against Tariff.bill of the schedule.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff

TZ = "Etc/GMT+5"
INF = np.inf


def _idx(start, periods, freq="1h"):
    return pd.date_range(pd.Timestamp(start, tz=TZ) + pd.Timedelta(freq), periods=periods, freq=freq)


def _job(name, e, p, es, dl, pre=True):
    return dict(name=name, energy_kwh=e, power_kw=p, earliest_start=pd.Timestamp(es, tz=TZ),
                deadline=pd.Timestamp(dl, tz=TZ), preemptible=pre)


def _declining_flat(rates=(10.0, 1.0), upper=(2.0, INF), **kw) -> Tariff:
    """Free energy; flat monthly demand ``rates[0]`` $/kW up to ``upper[0]`` kW, then ``rates[1]``."""
    t = Tariff.flat(0.0).with_demand_charge(rates[0])
    return dataclasses.replace(t, flat_rate=np.array([[0.0] * len(rates), list(rates)]),
                               flat_upper=np.array([[INF] * len(rates), list(upper)]), **kw)


# Two hours, one preemptible job of 6 kWh (<= 6 kW), no other load; energy free in hour 1 and p $/kWh
# in hour 2; demand 10 $/kW on the first 2 kW of the month's peak x, 1 $/kW above.
# By hand: the 6 kWh need x >= 3 kW; with x kW in hour 1 and 6 - x in hour 2 the cost is
# 10*2 + (x - 2) + p (6 - x) = 24 + (1 - p)(x - 6), linear in x on [3, 6]:
#   p = 2   -> x = 6 (all in the free hour): demand 20 + 4 = 24 $, energy 0      -> 24 $
#   p = 0.5 -> x = 3 (3 kWh each hour):      demand 20 + 1 = 21 $, energy 1.5 $ -> 22.5 $
# (a model billing the first tier's 10 $/kW throughout would pick x = 3 at p = 2; one filling the
# 1 $/kW tier first would bill 6 $ of demand at x = 6)
@pytest.mark.parametrize("p_usd, peak_kw, demand_usd, objective_usd", [(2.0, 6.0, 24.0, 24.0),
                                                                       (0.5, 3.0, 21.0, 22.5)])
def test_declining_tiers_hand_optimum(p_usd, peak_kw, demand_usd, objective_usd):
    idx = _idx("2025-07-01 00:00", 2)
    price = pd.Series([0.0, p_usd], index=idx)
    dc = [S.DemandCharge("flat", np.ones(2, bool), np.array([[10.0, 1.0]]), np.array([2.0, INF]))]
    r = S.optimize([_job("a", 6.0, 6.0, "2025-07-01 00:00", "2025-07-01 02:00")], idx,
                   price_usd_per_kwh=price, demand_charges=dc, mip_rel_gap=1e-9)
    # solver tolerances: 1e-7 relative on kW and USD
    assert r.load["site_kw"].max() == pytest.approx(peak_kw, rel=1e-7)
    assert r.lp_components["demand_usd"] == pytest.approx(demand_usd, rel=1e-7)
    assert r.costs.at["optimized", "objective_usd"] == pytest.approx(objective_usd, rel=1e-7)


def test_declining_tiers_billing_demand_at_a_contract_floor_above_the_load():
    # contract floor 50 kW, the load at most 6 kW: billing demand 50 kW -> 10*2 + 1*48 = 68 $
    # (the open last tier's big-M must cover floors, not only the load)
    idx = _idx("2025-07-01 00:00", 2)
    dc = [S.DemandCharge("flat", np.ones(2, bool), np.array([[10.0, 1.0]]), np.array([2.0, INF]), 50.0)]
    r = S.optimize([_job("a", 6.0, 6.0, "2025-07-01 00:00", "2025-07-01 02:00")], idx,
                   price_usd_per_kwh=0.0, demand_charges=dc)
    assert r.lp_components["demand_usd"] == pytest.approx(68.0, rel=1e-7)


def test_declining_tiers_with_ratchet_memory_hand_optimum():
    # the hand instance above at p = 2 $/kWh, with a 100 % ratchet over 11 months: each kW of July's
    # peak also bills the 11 following months (forecast floor 0: no load but the job). Cost
    # 12 D(x) + 2 (6 - x) with D(x) = 20 + (x - 2): slope 12 - 2 > 0 -> x = 3 kW, the least peak;
    # July's demand D(3) = 21 $, the 11 later months 11 x 21 = 231 $ (both read from the tier vars)
    idx = _idx("2025-07-01 00:00", 2)
    price = pd.Series([0.0, 2.0], index=idx)
    t = _declining_flat(ratchet_frac=np.ones(12), ratchet_lookback_months=11)
    r = S.optimize([_job("a", 6.0, 6.0, "2025-07-01 00:00", "2025-07-01 02:00")], idx, tariff=t,
                   price_usd_per_kwh=price, mip_rel_gap=1e-9)
    assert r.load["site_kw"].max() == pytest.approx(3.0, rel=1e-7)
    assert r.lp_components["demand_usd"] == pytest.approx(21.0, rel=1e-7)
    assert r.lp_components["ratchet_future_usd"] == pytest.approx(231.0, rel=1e-7)


def _declining_tou() -> Tariff:
    """TOU energy (0.25 $/kWh 12-20 h, else 0.05); flat demand 5 $/kW to 3 kW then 2 $/kW; on-peak
    (12-20 h) demand 12 $/kW to 4 kW, 20 $/kW to 6 kW, then 3 $/kW (mixed: rises, then falls)."""
    t = Tariff.tou(0.05, [{"name": "peak", "usd_per_kwh": 0.25, "hours": list(range(12, 20)), "days": "all"}])
    t = t.with_demand_charge(12.0, hours=list(range(12, 20)))
    t = dataclasses.replace(t, demand_rate=np.array([[0.0, 0.0, 0.0], [12.0, 20.0, 3.0]]),
                            demand_upper=np.array([[INF, INF, INF], [4.0, 6.0, INF]]))
    return dataclasses.replace(
        t, flat_rate=np.array([[0.0, 0.0], [5.0, 2.0]]), flat_upper=np.array([[INF, INF], [3.0, INF]]),
        flat_months=np.ones(12, np.int64))


def test_declining_tiers_lp_demand_equals_the_bill_of_the_schedule():
    # two days hourly, one month; the MILP's demand cost (read from its tier vars) equals Tariff.bill
    # of the load it schedules (solver tolerance 1e-7 relative), with peaks past the breakpoints
    idx = _idx("2025-07-01 00:00", 48)
    t = _declining_tou()
    jobs = [_job("a", 60.0, 6.0, "2025-07-01 00:00", "2025-07-03 00:00"),
            _job("b", 6.0, 3.0, "2025-07-01 10:00", "2025-07-01 16:00", pre=False),
            _job("c", 30.0, 8.0, "2025-07-02 11:00", "2025-07-02 19:00")]
    r = S.optimize(jobs, idx, tariff=t, base_it_kw=1.0, mip_rel_gap=1e-9)
    bill = t.bill(r.load["site_kw"])
    assert r.load["site_kw"].max() > 3.0  # the flat charge's 2 $/kW tier is in use
    assert r.lp_components["demand_usd"] == pytest.approx(bill.demand_usd, rel=1e-7)
    assert r.lp_components["energy_usd"] == pytest.approx(bill.energy_usd, rel=1e-9)
    for k in ("asap", "greedy"):
        assert r.costs.at["optimized", "bill_total_usd"] <= r.costs.at[k, "bill_total_usd"] * (1 + 1e-9)


def test_declining_tiers_rolling_horizon_bills_no_more_than_the_baselines():
    # ten days hourly in windows of 3 days (+1 day look-ahead) across a month boundary: the tail's
    # new-month peaks are priced over the ordered tiers too; all work done, and the bill (Tariff.bill
    # of the load) no higher than the ASAP and greedy baselines'
    idx = _idx("2025-07-26 00:00", 240)
    t = _declining_tou()
    jobs = [_job("a", 200.0, 6.0, "2025-07-26 00:00", "2025-08-04 00:00"),
            _job("b", 20.0, 4.0, "2025-07-30 10:00", "2025-08-01 00:00", pre=False),
            _job("c", 60.0, 8.0, "2025-07-31 00:00", "2025-08-02 00:00"),
            _job("d", 40.0, 5.0, "2025-08-02 00:00", "2025-08-05 00:00"),
            _job("e", 12.0, 4.0, "2025-08-03 06:00", "2025-08-04 18:00", pre=False)]
    r = rolling_horizon(jobs, idx, tariff=t, commit="3D", lookahead="1D", base_it_kw=1.0)
    assert np.allclose(r.jobs["energy_done_kwh"], r.jobs["energy_kwh"], rtol=1e-6)
    c = r.costs
    assert c.at["optimized", "bill_total_usd"] == pytest.approx(t.bill(r.load["site_kw"]).total_usd, rel=1e-12)
    for k in ("asap", "greedy"):
        assert c.at["optimized", "bill_total_usd"] <= c.at[k, "bill_total_usd"] * (1 + 1e-9)
