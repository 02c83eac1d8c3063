"""Must-run IT the cooling plant cannot cool is throttled away: it draws nothing, so no bill includes it.

An operations-research audit of the off-peak scheduler found that on a hot afternoon where the must-run IT (500 kW)
exceeds the plant's IT headroom (480 kW), ``res.load`` showed ``throttle_it_kw`` 20 but ``site_kw`` = PUE x 500:
every strategy's grid import, energy bill and demand peak included the 20 kW the plant cannot cool (and the
objective charged the throttling penalty on it as well). Each hand figure below is of PUE x (must-run - throttled +
flexible) at the tariff's rates.

The instance (hand): hourly, two days of July 2024 in Phoenix (one billing month, no DST); PUE 1.2; a flat tariff of
0.10 USD/kWh and 20 USD/kW-month on the monthly peak; must-run IT 500 kW in the hot hours 13:00-17:00 (8 hours),
where the plant's headroom is 480 kW, and 400 kW in the other 40 hours (headroom 1,000 kW); one preemptible job of
1,200 kWh at up to 300 kW over the two days.

- IT drawn: 40 h x 400 + 8 h x 480 + 1,200 = 21,040 kWh; site 1.2 x 21,040 = 25,248 kWh; energy bill 2,524.80 USD
  in every strategy (the old code billed 1.2 x 21,200 x 0.10 = 2,544.00).
- Demand, optimized: no flexible room in the hot hours (hard headroom), so the job runs in the cool hours at up to
  80 kW without raising the peak, which is the hot hours' drawn 1.2 x 480 = 576 kW: 11,520 USD (old: 1.2 x 500 = 600
  kW, 12,000 USD). Run-ASAP and greedy (flat price: blind to the demand charge) run the job at 300 kW for 4 cool
  hours: 1.2 x 700 = 840 kW, 16,800 USD (either code).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff

TZ = "America/Phoenix"
PUE = 1.2
ENERGY_USD = 0.10 * 1.2 * (40 * 400 + 8 * 480 + 1200)   # 2,524.80 USD (module docstring)
DEMAND_USD = {"optimized": 20.0 * 1.2 * 480, "greedy": 20.0 * 1.2 * 700, "asap": 20.0 * 1.2 * 700}


def _instance():
    idx = pd.date_range("2024-07-01 01:00", periods=48, freq="h", tz=TZ)  # interval-ending
    hot = ((idx - pd.Timedelta(hours=1)).hour >= 13) & ((idx - pd.Timedelta(hours=1)).hour < 17)
    base = pd.Series(np.where(hot, 500.0, 400.0), index=idx)
    head = pd.Series(np.where(hot, 480.0, 1000.0), index=idx)
    job = schedule.Job("train", idx[0] - pd.Timedelta(hours=1), idx[-1], energy_kwh=1200.0, power_kw=300.0)
    kw = dict(tariff=Tariff.flat(0.10, demand_usd_per_kw=20.0), headroom_it_kw=head, base_it_kw=base, pue=PUE)
    return idx, job, kw, hot


def test_bills_leave_out_the_must_run_the_plant_cannot_cool():
    idx, job, kw, hot = _instance()
    res = schedule.optimize([job], idx, **kw)
    for k in ("optimized", "greedy", "asap"):
        c = res.costs.loc[k]
        assert c["jobs_not_placed"] == 0
        # rel 1e-6: the LP's job split is exact to HiGHS's feasibility tolerance (1e-7 kW)
        assert c["bill_energy_usd"] == pytest.approx(ENERGY_USD, rel=1e-6), k
        assert c["bill_demand_usd"] == pytest.approx(DEMAND_USD[k], rel=1e-6), k
        # the model's own components are the bill's, and the objective is them plus the penalty on 20 kW x 8 h
        assert c["energy_usd"] == pytest.approx(c["bill_energy_usd"], rel=1e-9), k
        assert c["demand_usd"] == pytest.approx(c["bill_demand_usd"], rel=1e-6), k
        assert c["throttle_usd"] == pytest.approx(20.0 * 8 * res.problem.throttle_usd_per_kwh, rel=1e-9), k
        assert c["objective_usd"] == pytest.approx(c["bill_energy_usd"] + c["bill_demand_usd"] + c["throttle_usd"],
                                                   rel=1e-6), k
    # HiGHS's objective leaves out the constants (module docstring of dcplan.schedule_lp): the drawn must-run's
    # energy, 0.12 x (40 x 400 + 8 x 480) = 2,380.80 USD, and the penalty on the must-run excess
    const = 0.10 * PUE * (40 * 400 + 8 * 480) + 20.0 * 8 * res.problem.throttle_usd_per_kwh
    assert res.solve["objective_usd"] + const == pytest.approx(res.costs.at["optimized", "objective_usd"], rel=1e-6)
    load = res.load
    # 20 kW throttled in each hot hour, none elsewhere; IT asked 500 there, drawn 480 (hand)
    assert load["throttle_it_kw"].to_numpy() == pytest.approx(np.where(hot, 20.0, 0.0), abs=1e-9)
    assert load.loc[hot, "it_kw"].to_numpy() == pytest.approx(500.0, abs=1e-6)
    assert load["drawn_it_kw"].to_numpy() == pytest.approx((load["it_kw"] - load["throttle_it_kw"]).to_numpy(),
                                                           abs=1e-9)
    assert load.loc[hot, "site_kw"].to_numpy() == pytest.approx(PUE * 480.0, rel=1e-9)
    assert res.costs.at["optimized", "peak_site_kw"] == pytest.approx(PUE * 480.0, rel=1e-6)
    assert load.loc[hot, "site_kw_asap"].to_numpy() == pytest.approx(PUE * 480.0, rel=1e-9)


@pytest.mark.parametrize("penalty", [None, 1e-4])
def test_soft_headroom_leaves_out_the_same_must_run_and_throttles_no_work_to_shave_a_peak(penalty):
    # soft mode: the must-run excess draws nothing, as in hard mode, and the throttled kW of the LP never lowers
    # the draw: even at a penalty of 1e-4 USD/kWh, where throttling 1 kW over the 8 hot hours to shave the 20
    # USD/kW-month peak would pay, the flexible work is billed as it runs, so nothing is throttled beyond the 20 kW
    # must-run excess and the model's demand charge is the bill's (hand figures of the module docstring)
    idx, job, kw, hot = _instance()
    res = schedule.optimize([job], idx, headroom_mode="soft", throttle_usd_per_kwh=penalty, **kw)
    c = res.costs.loc["optimized"]
    assert c["bill_energy_usd"] == pytest.approx(ENERGY_USD, rel=1e-6)
    assert c["bill_demand_usd"] == pytest.approx(DEMAND_USD["optimized"], rel=1e-6)
    assert c["demand_usd"] == pytest.approx(c["bill_demand_usd"], rel=1e-6)
    assert res.load["throttle_it_kw"].to_numpy() == pytest.approx(
        np.where(hot, 20.0 + res.load["flex_it_kw"], 0.0), abs=1e-6)


def test_rolling_horizon_bills_leave_out_the_must_run_the_plant_cannot_cool():
    idx, job, kw, hot = _instance()
    r = rolling_horizon([job], idx, commit="1D", lookahead="1D", **kw)
    for k in ("optimized", "greedy", "asap"):
        c = r.costs.loc[k]
        assert c["jobs_not_placed"] == 0
        assert c["bill_energy_usd"] == pytest.approx(ENERGY_USD, rel=1e-6), k
        assert c["bill_demand_usd"] == pytest.approx(DEMAND_USD[k], rel=1e-6), k
    assert r.load["throttle_it_kw"].to_numpy() == pytest.approx(np.where(hot, 20.0, 0.0), abs=1e-9)
    for k in ("optimized", "greedy", "asap"):
        drawn = r.load[f"drawn_it_kw_{k}"]
        assert drawn.to_numpy() == pytest.approx((r.load[f"it_kw_{k}"] - r.load["throttle_it_kw"]).to_numpy())
        assert r.load[f"site_kw_{k}"].to_numpy() == pytest.approx(PUE * drawn.to_numpy(), rel=1e-12)
    # the peaks carried between windows are of the drawn load too: July's optimized peak 1.2 x 480 (hand)
    assert float(r.peaks_kw.iloc[0].max()) == pytest.approx(PUE * 480.0, rel=1e-6)
