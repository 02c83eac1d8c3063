"""Tests of dcplan.schedule_rolling (rolling-horizon scheduling) beyond tests/test_schedule.py."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import DATA

from dcplan import schedule as S
from dcplan.schedule_rolling import rolling_horizon
from dcplan.errors import DcplanWarning, InputError
from dcplan.tariff import Tariff

TZ = "Etc/GMT+5"


def _idx(start, periods, freq="1h"):
    return pd.date_range(pd.Timestamp(start, tz=TZ) + pd.Timedelta(freq), periods=periods, freq=freq)


def test_one_interval_tail_is_scheduled_not_dropped():
    # 49 hourly intervals, commit 24 h: windows 0-24, 24-48 and a one-interval tail 48-49.
    # The job's window is the last two hours (labels 00:00 and 01:00 on 3 July): 10 kWh at
    # <= 10 kW fits in either; the flat price and the demand charge favour 5 + 5 kW, so 5 kWh
    # fall in the tail hour, which the old loop dropped (5 of 10 kWh placed)
    idx = _idx("2025-07-01 00:00", 49)
    t = Tariff.flat(0.10).with_demand_charge(1.0)
    job = dict(name="a", energy_kwh=10.0, power_kw=10.0, earliest_start=pd.Timestamp("2025-07-02 23:00", tz=TZ),
               deadline=idx[-1])
    r = rolling_horizon([job], idx, tariff=t, commit="24h", lookahead="12h", cap_kw=1000.0)
    assert r.jobs["energy_done_kwh"].tolist() == pytest.approx([10.0], rel=1e-9)
    assert r.load["flex_it_kw"].sum() * 1.0 == pytest.approx(10.0, rel=1e-9)  # kWh on the 1-h grid
    assert r.costs.at["optimized", "jobs_not_placed"] == 0


def test_notice_on_the_last_interval_leaves_a_one_interval_window_that_is_solved():
    # a curtailment (5 kW) known only at the start of the last hour: the last window is that
    # hour alone. 25 kWh at <= 10 kW in the last three hours; the last hour costs 0.30 $/kWh
    # (0.10 before), so the first window runs 10 + 10 kWh and leaves 5 kWh: exactly what the
    # event allows in the last hour (the old loop dropped that window: 20 of 25 kWh placed)
    idx = _idx("2025-07-01 00:00", 24)
    t = Tariff.tou(0.10, [{"name": "late", "usd_per_kwh": 0.30, "hours": [23]}])
    job = dict(name="a", energy_kwh=25.0, power_kw=10.0, earliest_start=pd.Timestamp("2025-07-01 21:00", tz=TZ),
               deadline=idx[-1])
    ev = [dict(start=pd.Timestamp("2025-07-01 23:00", tz=TZ), end=pd.Timestamp("2025-07-02 00:00", tz=TZ),
               limit_kw=5.0, notice_h=0.0)]
    r = rolling_horizon([job], idx, tariff=t, commit="1D", lookahead="0h", cap_kw=1000.0, curtailments=ev)
    assert (r.windows["start"] == pd.Timestamp("2025-07-01 23:00", tz=TZ)).any()
    assert r.load["site_kw"].iloc[-3:].tolist() == pytest.approx([10.0, 10.0, 5.0], abs=1e-6)
    assert r.jobs["energy_done_kwh"].tolist() == pytest.approx([25.0], rel=1e-9)


@pytest.mark.parametrize("kw,tariff", [({}, Tariff.flat(0.1).with_demand_charge(1.0)),
                                       ({"cap_kw": 100.0}, Tariff.flat(0.1))])
def test_no_cap_and_no_demand_charge_run(kw, tariff):
    idx = _idx("2025-07-01 00:00", 48)
    job = dict(name="a", energy_kwh=10.0, power_kw=10.0, earliest_start=idx[0] - pd.Timedelta("1h"),
               deadline=idx[-1])
    r = rolling_horizon([job], idx, tariff=tariff, commit="1D", lookahead="6h", **kw)
    assert r.jobs["energy_done_kwh"].tolist() == pytest.approx([10.0], rel=1e-9)
    # the bill of the load is the reference for the costs
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(
        tariff.bill(r.load["site_kw"]).total_usd, rel=1e-12)
    if "cap_kw" in kw:
        assert r.peaks_kw.empty and isinstance(r.peaks_kw.index, pd.PeriodIndex)


def test_ramp_limit_holds_across_window_boundaries():
    # cheap hours 0-3 each day; 400 kWh at <= 100 kW in 48 h; ramp 30 kW/h. One-day windows with
    # no look-ahead: without the link the second window jumped 0 -> 100 kW at its first hour
    idx = _idx("2025-07-01 00:00", 48)
    t = Tariff.tou(0.30, [{"name": "cheap", "usd_per_kwh": 0.05, "hours": [0, 1, 2, 3]}]).with_demand_charge(0.01)
    job = dict(name="p", energy_kwh=400.0, power_kw=100.0, earliest_start=idx[0] - pd.Timedelta("1h"),
               deadline=idx[-1])
    r = rolling_horizon([job], idx, tariff=t, commit="1D", lookahead="0h", cap_kw=1000.0, ramp_kw=30.0)
    s = np.r_[0.0, r.load["site_kw"].to_numpy()]
    assert np.abs(np.diff(s[1:])).max() <= 30.0 + 1e-6
    assert r.jobs["energy_done_kwh"].tolist() == pytest.approx([400.0], rel=1e-6)
    # optimize on the whole index respects the same limit (reference)
    o = S.optimize([job], idx, tariff=t, cap_kw=1000.0, ramp_kw=30.0)
    assert np.abs(np.diff(o.load["site_kw"].to_numpy())).max() <= 30.0 + 1e-6


def test_deferral_respects_the_room_shared_after_the_window():
    # two 1200-kWh jobs (100 kW each) in 24 h under a 150-kW cap; cheap (0.05 $/kWh) hours
    # 12-23. Each job alone could defer all its energy past the first 12-h window (100 kW x
    # 12 h), but together they need 2400 kWh and the last 12 h hold 150 x 12 = 1800 kWh.
    # Hand calc of the optimum: 1800 kWh cheap x 0.05 + 600 kWh x 0.30 + 150 kW x 0.01 $/kW
    # demand = 90 + 180 + 1.5 = 271.5 $ (the old bound left the second window infeasible)
    idx = _idx("2025-07-01 00:00", 24)
    t = Tariff.tou(0.30, [{"name": "cheap", "usd_per_kwh": 0.05, "hours": list(range(12, 24))}]
                   ).with_demand_charge(0.01)
    jobs = [dict(name=n, energy_kwh=1200.0, power_kw=100.0, earliest_start=idx[0] - pd.Timedelta("1h"),
                 deadline=idx[-1]) for n in "AB"]
    r = rolling_horizon(jobs, idx, tariff=t, commit="12h", lookahead="0h", cap_kw=150.0)
    assert r.jobs["energy_done_kwh"].tolist() == pytest.approx([1200.0, 1200.0], rel=1e-6)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(271.5, rel=1e-6)


def test_a_non_preemptible_run_committed_in_a_ramp_window_sits_where_it_was_solved():
    # with a ramp limit each window starts one committed interval early; a run started in the
    # second window must be booked at its own hours. Cheap hours 0-2 (0.05 $/kWh), else 0.30;
    # a 3-h non-preemptible 100 kW job released at hour 24 runs at hours 24-26 of day 2:
    # energy 300 kWh x 0.05 = 15 $ (one hour later it would pay 0.30 for its third hour)
    idx = _idx("2025-07-01 00:00", 48)
    t = Tariff.tou(0.30, [{"name": "cheap", "usd_per_kwh": 0.05, "hours": [0, 1, 2]}])
    job = dict(name="np", energy_kwh=300.0, power_kw=100.0, preemptible=False,
               earliest_start=idx[23], deadline=idx[-1])
    r = rolling_horizon([job], idx, tariff=t, commit="1D", lookahead="0h", cap_kw=1000.0, ramp_kw=100.0)
    flex = r.load["flex_it_kw"].to_numpy()
    assert np.flatnonzero(flex > 0).tolist() == [24, 25, 26] and flex[24:27].tolist() == [100.0] * 3
    assert r.costs.at["optimized", "bill_energy_usd"] == pytest.approx(15.0, abs=1e-9)


def test_an_optional_non_preemptible_job_starts_in_a_cheap_hour_now_rather_than_late():
    # cheap hours 2-5 (0.05 $/kWh; labels 03:00-06:00), else 0.30; a 4-h, 100 kW job due at
    # 22:00; windows of 12 h + 6 h look-ahead. In the first window it need not start (it could
    # start as late as 18:00), but left unstarted it pays its cheapest later run (all at 0.30):
    # so it runs in the cheap hours, 400 kWh x 0.05 = 20 $, as optimize does (no longer 120 $)
    tz = "Etc/GMT+5"
    idx = pd.date_range(pd.Timestamp("2025-07-01 01:00", tz=tz), periods=24, freq="1h")
    t = Tariff.tou(0.30, [{"name": "cheap", "usd_per_kwh": 0.05, "hours": [2, 3, 4, 5]}])
    job = dict(name="np", energy_kwh=400.0, power_kw=100.0, preemptible=False,
               earliest_start=idx[0] - pd.Timedelta("1h"), deadline=pd.Timestamp("2025-07-01 22:00", tz=tz))
    r = rolling_horizon([job], idx, tariff=t, commit="12h", lookahead="6h", cap_kw=1000.0)
    assert r.costs.at["optimized", "bill_energy_usd"] == pytest.approx(20.0, abs=1e-9)
    assert S.optimize([job], idx, tariff=t, cap_kw=1000.0).costs.at["optimized", "bill_energy_usd"] \
        == pytest.approx(20.0, abs=1e-9)


def test_rolling_savings_compare_the_same_work_only():
    # the hand-built cases of tests/test_schedule.py over a one-window "year" (4 hourly
    # intervals; TOU prices by start hour; no demand charge)
    def tou(prices):
        return Tariff.tou(prices[0], [{"name": f"h{h}", "usd_per_kwh": v, "hours": [h], "days": "all"}
                                      for h, v in enumerate(prices) if h and v != prices[0]])

    def job(name, es, dl, pre=True):
        return dict(name=name, energy_kwh=2.0, power_kw=1.0, preemptible=pre,
                    earliest_start=pd.Timestamp(es, tz=TZ), deadline=pd.Timestamp(dl, tz=TZ))
    idx = _idx("2025-07-01 00:00", 4)
    # 0.3, 0.2, 0.1, 0.4 $/kWh (a tariff refuses rates above 2 $/kWh): greedy's first pass leaves B
    # unplaced; repaired it runs the only feasible schedule, A in hours 0-1 and B in 2-3:
    # 0.3 + 0.2 + 0.1 + 0.4 = 1.0 $ like the optimum
    jobs = [job("A", "2025-07-01 00:00", "2025-07-01 03:00"), job("B", "2025-07-01 02:00", "2025-07-01 04:00")]
    r = rolling_horizon(jobs, idx, tariff=tou([0.3, 0.2, 0.1, 0.4]), commit="1D", lookahead="0h", cap_kw=1.0)
    assert r.costs["jobs_not_placed"].tolist() == [0, 0, 0]
    assert r.costs["bill_total_usd"].tolist() == pytest.approx([1.0, 1.0, 1.0], abs=1e-6)
    assert r.savings.tolist() == pytest.approx([0.0, 0.0], abs=1e-6) and r.not_comparable == {}
    # 0.1, 0.5, 0.1, 1.0 $/kWh: no order lets greedy place both P and N (tests/test_schedule.py); it
    # bills 0.2 $ for P alone, so it gets no saving; ASAP does the optimum's work: 1.7 $ each
    jobs = [job("P", "2025-07-01 00:00", "2025-07-01 03:00"), job("N", "2025-07-01 00:00", "2025-07-01 04:00", False)]
    r = rolling_horizon(jobs, idx, tariff=tou([0.1, 0.5, 0.1, 1.0]), commit="1D", lookahead="0h", cap_kw=1.0)
    assert r.costs.at["greedy", "jobs_not_placed"] == 1
    assert r.costs.at["greedy", "bill_total_usd"] == pytest.approx(0.2, abs=1e-9)
    assert r.annual_savings_usd == pytest.approx(0.0, abs=1e-6)
    assert np.isnan(r.savings["vs_greedy_usd"]) and list(r.not_comparable) == ["vs_greedy_usd"]
    assert "greedy left 1 of 2 jobs unplaced" in r.not_comparable["vs_greedy_usd"]
    # without baselines there is nothing to compare with: NaN and the reason, not a KeyError
    r = rolling_horizon(jobs, idx, tariff=tou([0.1, 0.5, 0.1, 1.0]), commit="1D", lookahead="0h", cap_kw=1.0,
                        baselines=False)
    assert np.isnan(r.annual_savings_usd) and "baselines=False" in r.not_comparable["vs_asap_usd"]


def _month_end_case():
    # 14 days from 25 July: energy 0.05 $/kWh in July, 0.04 in August; 10 $/kW-month demand.
    # N (non-preemptible, 100 kW x 1 h) sets July's peak at 100 kW in the first hour; P
    # needs 8,400 kWh at <= 100 kW by 8 August
    idx = _idx("2025-07-25 00:00", 14 * 24)
    price = pd.Series(np.where((idx - pd.Timedelta("1h")).month == 7, 0.05, 0.04), index=idx)
    t = Tariff.rtp(price).with_demand_charge(10.0)
    t0 = pd.Timestamp("2025-07-25 00:00", tz=TZ)
    jobs = [dict(name="N", energy_kwh=100.0, power_kw=100.0, earliest_start=t0, deadline=t0 + pd.Timedelta("1h"),
                 preemptible=False),
            dict(name="P", energy_kwh=8400.0, power_kw=100.0, earliest_start=t0,
                 deadline=pd.Timestamp("2025-08-08 00:00", tz=TZ))]
    return idx, t, jobs


def test_deferral_into_next_month_pays_the_peak_it_sets_there():
    # Hand calc: in July P runs under the 100-kW peak N already set, at 0.05 $/kWh; in August
    # every kWh also raises August's peak: spread flat over its 168 h, 10 / 168 = 0.06 $/kWh
    # on top of 0.04, dearer than July. Optimum: all of P in July:
    # 8,500 kWh x 0.05 + 100 kW x 10 = 1,425 $. The first window (7 + 2 days) sees August's
    # cheaper energy; priced without the peak it deferred P there (August peak 50 kW: 1,841 $)
    idx, t, jobs = _month_end_case()
    r = rolling_horizon(jobs, idx, tariff=t, commit="7D", lookahead="2D")
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(1425.0, abs=0.5)
    peaks = r.peaks_kw["flat"]
    assert peaks[pd.Period("2025-07", "M")] == pytest.approx(100.0, abs=1e-6)
    assert peaks.get(pd.Period("2025-08", "M"), 0.0) == pytest.approx(0.0, abs=1e-6)  # no August peak
    assert S.optimize(jobs, idx, tariff=t).costs.at["optimized", "bill_total_usd"] == pytest.approx(1425.0, abs=0.5)


def test_deferral_within_the_month_under_its_peak_stays_free():
    # Same month throughout (1-4 July): N sets a 100-kW peak at the first hour; energy costs
    # 0.10 $/kWh on 1-2 July and 0.05 on 3-4 July; P needs 2,000 kWh at <= 100 kW by the end.
    # One-day windows, no look-ahead: the first windows must see that P's energy fits under
    # the peak already set (100 kW x 48 cheap hours), so it all waits for the cheap days.
    # Hand calc: 100 kWh x 0.10 + 2,000 kWh x 0.05 + 100 kW x 10 $/kW = 1,110 $
    idx = _idx("2025-07-01 00:00", 96)
    price = pd.Series(np.where(np.arange(96) < 48, 0.10, 0.05), index=idx)
    t = Tariff.rtp(price).with_demand_charge(10.0)
    t0 = idx[0] - pd.Timedelta("1h")
    jobs = [dict(name="N", energy_kwh=100.0, power_kw=100.0, earliest_start=t0, deadline=idx[0], preemptible=False),
            dict(name="P", energy_kwh=2000.0, power_kw=100.0, earliest_start=t0, deadline=idx[-1])]
    r = rolling_horizon(jobs, idx, tariff=t, commit="1D", lookahead="0h")
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(1110.0, abs=0.5)
    assert r.load["flex_it_kw"].iloc[1:48].sum() == pytest.approx(0.0, abs=1e-6)


def test_three_weeks_across_a_month_end_stay_near_the_full_horizon_optimum():
    # The bundled ComEd large-load tariff (demand charge per month), 21 days from 21 July,
    # 60 synthetic jobs on 2 MW of flexible IT beside 3 MW must-run, 6.5 MW cap. Reference:
    # optimize over the whole three weeks (HiGHS, MIP gap <= 1e-3). The rolling horizon
    # (7-day commits, 2-day look-ahead) must come within 0.5 % of it. Without the demand cost
    # of deferred work it pushed July's work into August (a new 5.8 MW peak there) and billed
    # 9 % above the optimum, 7 % above run-ASAP
    tz = "America/Chicago"
    t = Tariff.from_urdb(DATA / "tariffs" / "comed-il-large-load.json")
    start = pd.Timestamp("2025-07-21 00:00", tz=tz)
    idx = pd.date_range(start + pd.Timedelta("1h"), periods=21 * 24, freq="1h", tz=tz)
    jobs = S.generate_jobs(start, 21, n_jobs=60, n_training=3, n_nonpreemptible=10, flex_kw=2000.0, seed=1, step="1h")
    kw = dict(tariff=t, base_it_kw=3000.0, pue=1.3, cap_kw=6500.0)
    r = rolling_horizon(jobs, idx, **kw)
    o = S.optimize(jobs, idx, **kw)
    best = o.costs.at["optimized", "bill_total_usd"]
    roll = r.costs.at["optimized", "bill_total_usd"]
    assert best * (1 - 2e-3) <= roll <= best * 1.005
    assert roll < r.costs.at["asap", "bill_total_usd"]


def test_a_later_job_mix_that_cannot_fit_is_reported_by_its_own_window():
    # day 1: job A (10 kWh, may defer to the end of day 2); day 2: jobs B and C released at
    # 12:00 need 600 kWh each at <= 100 kW by 18:00 under a 150-kW cap: 1,200 kWh where 900 fit.
    # The first window (day 1, no look-ahead) sees them only in the tail after it and must
    # still solve; the window that holds them does the 900 kWh that fit, and the warning and
    # the shortfall name it (this used to stop the run)
    idx = _idx("2025-07-01 00:00", 48)
    t = Tariff.flat(0.10).with_demand_charge(1.0)
    t0 = idx[0] - pd.Timedelta("1h")
    rel, due = pd.Timestamp("2025-07-02 12:00", tz=TZ), pd.Timestamp("2025-07-02 18:00", tz=TZ)
    jobs = [dict(name="A", energy_kwh=10.0, power_kw=10.0, earliest_start=t0, deadline=idx[-1])] + [
        dict(name=n, energy_kwh=600.0, power_kw=100.0, earliest_start=rel, deadline=due) for n in "BC"]
    with pytest.warns(DcplanWarning, match=r"300\.0 kWh in all.*first short window 2025-07-02 00:00"):
        r = rolling_horizon(jobs, idx, tariff=t, commit="1D", lookahead="0h", cap_kw=150.0)
    assert r.shortfall["unplaced_kwh"].sum() == pytest.approx(300.0, rel=1e-6)
    assert set(r.shortfall.index) <= {"B", "C"}
    assert r.jobs.at["A", "energy_done_kwh"] == pytest.approx(10.0)
    assert r.load["flex_it_kw"].iloc[36:42].tolist() == pytest.approx([150.0] * 6, abs=1e-6)  # 12:00-18:00 full


def _two_days(day2_price=0.05):
    """48 hourly intervals from 1 July: 0.30 $/kWh on day 1, ``day2_price`` on day 2."""
    idx = _idx("2025-07-01 00:00", 48)
    price = np.where(np.arange(48) < 24, 0.30, day2_price)
    return idx, Tariff.rtp(pd.Series(price, index=idx))


def test_the_tail_knows_a_soft_headroom_and_its_penalty():
    # day 2 has soft headroom 50 kW IT (throttling above it costs 3.86 $/kWh); P: 2,000 kWh at
    # <= 200 kW by the end of day 2; one-day windows, no look-ahead. Hand calc: 50 kW x 24 h =
    # 1,200 kWh on day 2 at 0.05 + 800 kWh on day 1 at 0.30 = 60 + 240 = 300 $, nothing throttled.
    # (The tail saw no headroom: day 1 deferred all it could into day 2 and ran it throttled.)
    idx, t = _two_days()
    head = pd.Series(np.where(np.arange(48) < 24, 1000.0, 50.0), index=idx)
    job = dict(name="P", energy_kwh=2000.0, power_kw=200.0, earliest_start=idx[0] - pd.Timedelta("1h"),
               deadline=idx[-1])
    r = rolling_horizon([job], idx, tariff=t, cap_kw=1000.0, headroom_it_kw=head, headroom_mode="soft",
                        commit="1D", lookahead="0h")
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(300.0, abs=1e-6)
    assert (r.load["flex_it_kw"] - head).clip(lower=0).sum() == pytest.approx(0.0, abs=1e-6)


def test_the_tail_knows_the_ramp_limit():
    # ramp 20 kW/h; P: 4,000 kWh at <= 200 kW by the end of day 2. Day 2 from 0 kW ramps
    # 20, 40, .. 200 and holds: 3,900 kWh at most, so day 1 must end ramping up. Hand calc of the
    # optimum: 10 kW in day 1's last hour, then 30, 50, .. 190 (9 h, 990 kWh) and 15 h at 200 kW
    # (3,000 kWh): 10 x 0.30 + 3,990 x 0.05 = 202.5 $ (the tail without the ramp left day 2
    # infeasible)
    idx, t = _two_days()
    job = dict(name="P", energy_kwh=4000.0, power_kw=200.0, earliest_start=idx[0] - pd.Timedelta("1h"),
               deadline=idx[-1])
    r = rolling_horizon([job], idx, tariff=t, cap_kw=1000.0, ramp_kw=20.0, commit="1D", lookahead="0h")
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(202.5, abs=1e-6)


def test_the_tail_knows_a_curtailment_already_announced():
    # an event at 0 kW on 2 July 00:00-20:00, announced 30 h ahead (known to the first window).
    # P: 2,000 kWh at <= 200 kW by the end of day 2. Hand calc: 4 h x 200 kW after the event at
    # 0.05 + 1,200 kWh on day 1 at 0.30 = 40 + 360 = 400 $ (the tail without the event deferred
    # into it and left day 2 infeasible)
    idx, t = _two_days()
    ev = [dict(start=pd.Timestamp("2025-07-02 00:00", tz=TZ), end=pd.Timestamp("2025-07-02 20:00", tz=TZ),
               limit_kw=0.0, notice_h=30.0)]
    job = dict(name="P", energy_kwh=2000.0, power_kw=200.0, earliest_start=idx[0] - pd.Timedelta("1h"),
               deadline=idx[-1])
    r = rolling_horizon([job], idx, tariff=t, cap_kw=1000.0, curtailments=ev, commit="1D", lookahead="0h")
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(400.0, abs=1e-6)


def test_a_window_lengthened_for_one_run_takes_the_run_it_then_obliges():
    # A (4 h x 100 kW, 19:00 .. 02:00) must start in the first one-day window, which is lengthened
    # to 02:00 for its run; B (4 h, 23:00 .. 05:00) must then start by 01:00, inside the longer
    # window: the window is lengthened again to B's deadline (it was cut at 02:00: infeasible).
    # Hand calc: A 19-23, B 23-03, never both: 800 kWh x 0.10 + 100 kW x 5 $/kW = 580 $
    idx = _idx("2025-07-01 00:00", 72)
    t = Tariff.flat(0.10).with_demand_charge(5.0)
    ts = lambda s: pd.Timestamp(s, tz=TZ)  # noqa: E731
    jobs = [dict(name="A", energy_kwh=400.0, power_kw=100.0, earliest_start=ts("2025-07-01 19:00"),
                 deadline=ts("2025-07-02 02:00"), preemptible=False),
            dict(name="B", energy_kwh=400.0, power_kw=100.0, earliest_start=ts("2025-07-01 23:00"),
                 deadline=ts("2025-07-02 05:00"), preemptible=False)]
    r = rolling_horizon(jobs, idx, tariff=t, commit="1D", lookahead="0h")
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(580.0, abs=1e-6)


@pytest.mark.parametrize("ratchet", [0.0, 0.01])
def test_a_prior_years_peak_is_no_forecast_for_next_month(ratchet):
    # No ratchet: the bill ignores prior_peaks_kw, so must the tail (it took next month's floor
    # from the prior year's July peak, 4 MW, and deferred work into August as if free up to it).
    # A 1 % ratchet bills at least 40 kW from it, below every month's peak here: the same bill
    # (the ratchet's forecast for next month took the prior year's peak too).
    # 30 days from 22 July; 0.05 $/kWh in July, 0.04 in August; 15 $/kW-month; must-run 1 MW;
    # N (2 MW x 1 h at the start) sets July's peak at 3 MW; P: 400 MWh at <= 2 MW by 20 August.
    # Hand calc: P all in July under that peak (240 h x 2 MW holds 480 MWh): energy 402 MWh x
    # 0.05 + must-run 240 MWh x 0.05 + 480 MWh x 0.04 = 20,100 + 12,000 + 19,200; demand
    # 3,000 + 1,000 kW x 15 = 60,000: 111,300 $
    idx = _idx("2025-07-22 00:00", 30 * 24)
    price = pd.Series(np.where((idx - pd.Timedelta("1h")).month == 7, 0.05, 0.04), index=idx)
    t = Tariff.rtp(price).with_demand_charge(15.0)
    if ratchet:
        t = dataclasses.replace(t, ratchet_frac=np.full(12, ratchet), ratchet_lookback_months=11)
    t0 = idx[0] - pd.Timedelta("1h")
    jobs = [dict(name="P", energy_kwh=400000.0, power_kw=2000.0, earliest_start=t0,
                 deadline=pd.Timestamp("2025-08-20 00:00", tz=TZ)),
            dict(name="N", energy_kwh=2000.0, power_kw=2000.0, earliest_start=t0, deadline=t0 + pd.Timedelta("1h"),
                 preemptible=False)]
    r = rolling_horizon(jobs, idx, tariff=t, base_it_kw=1000.0, cap_kw=5000.0, prior_peaks_kw=[4000.0] * 12)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(111300.0, abs=1.0)


def test_the_tail_holds_room_for_a_later_job_due_after_it():
    # cap 100 kW, 49 hourly intervals; 0.30 $/kWh on day 1, 0.05 after. A: 1,200 kWh at <= 100 kW,
    # due at the end of day 2. C: released at the start of day 2, 2,500 kWh at <= 100 kW, due an
    # hour after A: it needs every hour from its release. The first window's tail (to A's deadline)
    # left C out, deferred A into day 2 and left the next window infeasible. Hand calc: A all on
    # day 1, 1,200 x 0.30 + 2,500 x 0.05 + 100 kW x 0.01 $/kW = 360 + 125 + 1 = 486 $
    idx = _idx("2025-07-01 00:00", 49)
    t = Tariff.rtp(pd.Series(np.where(np.arange(49) < 24, 0.30, 0.05), index=idx)).with_demand_charge(0.01)
    jobs = [dict(name="A", energy_kwh=1200.0, power_kw=100.0, earliest_start=idx[0] - pd.Timedelta("1h"),
                 deadline=idx[47]),
            dict(name="C", energy_kwh=2500.0, power_kw=100.0, earliest_start=idx[23], deadline=idx[48])]
    r = rolling_horizon(jobs, idx, tariff=t, cap_kw=100.0, commit="1D", lookahead="0h")
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(486.0, abs=1e-6)


def test_the_tail_holds_each_job_to_its_own_power_and_deadline():
    # 31 July - 2 August, one-day windows, no look-ahead; 0.10 $/kWh in July, 0.05 in August,
    # 10 $/kW-month. X: 300 kWh at <= 100 kW by 1 Aug 03:00; Y: 2,400 kWh at <= 100 kW by 2 Aug
    # 00:00 (all of 1 August at full power); Z: 10 kWh at <= 1 MW by 3 August. One power limit
    # for all jobs let the tail put X's energy beside Y at Z's power; now each job has its own.
    # Hand calc: X in July (12.5 kW over 24 h): 30 $ + 125 $ demand; Y on 1 August: 120 $ +
    # 1,000 $ demand; Z on 2 August under that peak: 0.5 $. Total 1,275.5 $ (was 2,135.5 $)
    idx = _idx("2025-07-31 00:00", 72)
    t = Tariff.rtp(pd.Series(np.where((idx - pd.Timedelta("1h")).month == 7, 0.10, 0.05), index=idx)
                   ).with_demand_charge(10.0)
    t0 = idx[0] - pd.Timedelta("1h")
    ts = lambda s: pd.Timestamp(s, tz=TZ)  # noqa: E731
    jobs = [dict(name="X", energy_kwh=300.0, power_kw=100.0, earliest_start=t0, deadline=ts("2025-08-01 03:00")),
            dict(name="Y", energy_kwh=2400.0, power_kw=100.0, earliest_start=t0, deadline=ts("2025-08-02 00:00")),
            dict(name="Z", energy_kwh=10.0, power_kw=1000.0, earliest_start=t0, deadline=ts("2025-08-03 00:00"))]
    r = rolling_horizon(jobs, idx, tariff=t, commit="1D", lookahead="0h")
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(1275.5, abs=1e-6)


def test_the_tail_prices_a_demand_charge_the_window_holds_no_interval_of():
    # Saturday 5 July to Monday 7 July; 0.10 $/kWh at the weekend, 0.05 on Monday; a 10 $/kW-month
    # demand charge on weekdays only. P: 2,400 kWh at <= 100 kW by Monday's end; one-day windows.
    # The weekend windows hold no weekday interval, so their tail saw no demand charge and left
    # P for Monday (1,120 $). Hand calc: on Monday a kWh costs 0.05 + 10 $/kW / 24 h = 0.47 $ at
    # best; at the weekend 0.10: all of P at the weekend, 2,400 x 0.10 = 240 $
    idx = _idx("2025-07-05 00:00", 72)
    t = Tariff.rtp(pd.Series(np.where(np.arange(72) < 48, 0.10, 0.05), index=idx)).with_demand_charge(
        10.0, hours=list(range(24)), days="weekday")
    job = dict(name="P", energy_kwh=2400.0, power_kw=100.0, earliest_start=idx[0] - pd.Timedelta("1h"),
               deadline=idx[-1])
    r = rolling_horizon([job], idx, tariff=t, commit="1D", lookahead="0h", baselines=False)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(240.0, abs=1e-6)


def test_a_month_the_ratchet_bills_is_billed_once_in_the_tail():
    # 29 July - 7 August; 0.05 $/kWh in July, 0.04 in August; 10 $/kW-month with a 100 %
    # ratchet. N (100 kW x 1 h at the start) sets July's peak: August is billed at least 100 kW
    # whatever it draws, so P (4,800 kWh at <= 100 kW by 7 August) runs in August for free
    # demand-wise. The tail priced August's peak and the ratchet's billing demand both (twice)
    # and kept P in July. Hand calc: 100 x 0.05 + 4,800 x 0.04 + (100 + 100) kW x 10 = 2,197 $
    # (optimize agrees without the ratchet's look-ahead past the horizon)
    idx = _idx("2025-07-29 00:00", 10 * 24)
    t = Tariff.rtp(pd.Series(np.where((idx - pd.Timedelta("1h")).month == 7, 0.05, 0.04), index=idx)
                   ).with_demand_charge(10.0)
    t = dataclasses.replace(t, ratchet_frac=np.full(12, 1.0), ratchet_lookback_months=11)
    t0 = idx[0] - pd.Timedelta("1h")
    jobs = [dict(name="N", energy_kwh=100.0, power_kw=100.0, earliest_start=t0, deadline=t0 + pd.Timedelta("1h"),
                 preemptible=False),
            dict(name="P", energy_kwh=4800.0, power_kw=100.0, earliest_start=t0, deadline=idx[-1])]
    r = rolling_horizon(jobs, idx, tariff=t, commit="1D", lookahead="0h", baselines=False)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(2197.0, abs=1e-6)
    assert S.optimize(jobs, idx, tariff=t, ratchet_lookahead=False).costs.at[
        "optimized", "bill_total_usd"] == pytest.approx(2197.0, abs=1e-6)


def _job(idx, name, kwh, **kw):
    """A job at <= 100 kW over the whole index (``kw``: more fields, e.g. ``min_run_h``)."""
    return dict(name=name, energy_kwh=kwh, power_kw=100.0, earliest_start=idx[0] - pd.Timedelta("1h"),
                deadline=idx[-1], **kw)


def _curtail(start, end, notice_h, limit_kw=0.0):
    """One curtailment event on 1 July (local clock times ``"HH:MM"``)."""
    return [dict(start=pd.Timestamp(f"2025-07-01 {start}", tz=TZ), end=pd.Timestamp(f"2025-07-01 {end}", tz=TZ),
                 limit_kw=limit_kw, notice_h=notice_h)]


def _block_case(prices, commit, lookahead, curtailments=None):
    """One job of 200 kWh at <= 100 kW from 00:00 to 06:00 with 2-h min-run blocks (power may
    change only at 00:00, 02:00, 04:00), on hourly prices ``prices`` (interval-starting hours 0-5)."""
    idx = _idx("2025-07-01 00:00", 6)
    periods = [{"name": f"h{h}", "usd_per_kwh": v, "hours": [h]} for h, v in enumerate(prices)]
    t = Tariff.tou(1.0, periods)
    job = _job(idx, "train", 200.0, min_run_h=2.0)
    r = rolling_horizon([job], idx, tariff=t, commit=commit, lookahead=lookahead, cap_kw=1000.0,
                        curtailments=curtailments)
    o = S.optimize([job], idx, tariff=t, cap_kw=1000.0, curtailments=curtailments)
    return r, o


def test_a_min_run_block_runs_on_past_the_commit_at_its_power():
    # blocks 0-1, 2-3, 4-5 cost 2.0, 0.55, 1.2 $ per kW run over the block: the whole optimum is
    # block 2-3 at 100 kW, 0.05 x 100 + 0.50 x 100 = 55 $. A 3-h commit cuts that block: its
    # second hour is held at the 100 kW of its first (the old loop restarted the blocks at 03:00
    # and ran 50 + 50 kW in hours 3-4: 60 $, power changing mid-block)
    r, o = _block_case([1.0, 1.0, 0.05, 0.50, 0.60, 0.60], "3h", "3h")
    assert r.load["flex_it_kw"].tolist() == pytest.approx([0, 0, 100, 100, 0, 0], abs=1e-6)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(55.0, rel=1e-9)
    assert o.costs.at["optimized", "bill_total_usd"] == pytest.approx(55.0, rel=1e-9)


def test_a_curtailment_notice_preempts_a_block_instead_of_holding_it():
    # as above, but at 03:00 a curtailment to 0 kW for that hour is announced (no notice): the
    # block 2-3 stops after its first hour instead of running on into the event, and the last
    # 100 kWh run in block 4-5 at 50 kW: 0.05 x 100 + 0.60 x 100 = 65 $
    ev = _curtail("03:00", "04:00", 0.0)
    r, _ = _block_case([1.0, 1.0, 0.05, 0.50, 0.60, 0.60], "3h", "3h", curtailments=ev)
    assert r.load["flex_it_kw"].tolist() == pytest.approx([0, 0, 100, 0, 50, 50], abs=1e-6)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(65.0, rel=1e-9)
    assert r.shortfall.empty


def test_a_block_the_window_end_cuts_is_one_block_with_the_tail():
    # no look-ahead: the first window is hours 0-2 and cuts block 2-3 after its first hour.
    # Block 2-3 costs 0.05 + 1.0 = 1.05 $/kW, block 4-5 1.0 $/kW: the optimum is 4-5 at 100 kW,
    # 100 $. Unlinked, the window took cheap hour 2 alone (100 kW) and the next one left hour 3
    # empty: 55 $ on a schedule that breaks the block (power changing at 03:00)
    r, o = _block_case([1.0, 1.0, 0.05, 1.0, 0.50, 0.50], "3h", "0h")
    assert r.load["flex_it_kw"].tolist() == pytest.approx([0, 0, 0, 0, 100, 100], abs=1e-6)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(100.0, rel=1e-9)
    assert o.costs.at["optimized", "bill_total_usd"] == pytest.approx(100.0, rel=1e-9)


def test_the_tail_runs_a_deferred_job_in_its_min_run_blocks():
    # 250 kWh at <= 100 kW from 00:00 to 04:00, blocks 0-1 and 2-3; prices 0.10, 0.10, 0.05,
    # 1.00. Whole optimum: block 0-1 at 100 kW, block 2-3 at 25 kW: 20 + 1.25 + 25 = 46.25 $.
    # A tail that ignored the blocks deferred 100 kWh to the cheap hour 2, committed 75 kW in
    # block 0-1 (15 $) and the next window had to run 50 kW in hours 2 and 3 (52.5 $): 67.5 $
    idx = _idx("2025-07-01 00:00", 4)
    t = Tariff.tou(0.10, [{"name": "cheap", "usd_per_kwh": 0.05, "hours": [2]},
                          {"name": "peak", "usd_per_kwh": 1.0, "hours": [3]}])
    job = _job(idx, "train", 250.0, min_run_h=2.0)
    r = rolling_horizon([job], idx, tariff=t, commit="2h", lookahead="0h", cap_kw=1000.0)
    assert r.load["flex_it_kw"].tolist() == pytest.approx([100, 100, 25, 25], abs=1e-6)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(46.25, rel=1e-9)


def test_a_curtailment_announced_too_late_leaves_work_short_and_reported_not_a_failed_run():
    # 300 kWh at <= 100 kW from 00:00 to 06:00; hours 0-1 cost 1.0 $/kWh, the rest 0.10. The first
    # window (hours 0-1, no look-ahead) defers all of it to the cheap hours. At 02:00 a curtailment
    # to 0 kW for 03:00-06:00 is announced: only hour 2 is left, 100 kWh. The run goes on with
    # 200 kWh short (it used to stop with "no feasible schedule"), says so, and the savings are
    # not a number: the baselines knew the event and did all 300 kWh
    idx = _idx("2025-07-01 00:00", 6)
    t = Tariff.tou(0.10, [{"name": "dear", "usd_per_kwh": 1.0, "hours": [0, 1]}])
    job = _job(idx, "a", 300.0)
    ev = _curtail("03:00", "06:00", 1.0)
    with pytest.warns(DcplanWarning, match=r"1 job\(s\) left short, 200\.0 kWh.*'a' 200\.0 kWh"):
        r = rolling_horizon([job], idx, tariff=t, commit="2h", lookahead="0h", cap_kw=1000.0, curtailments=ev)
    assert r.load["flex_it_kw"].tolist() == pytest.approx([0, 0, 100, 0, 0, 0], abs=1e-6)
    assert r.shortfall.loc["a", "unplaced_kwh"] == pytest.approx(200.0, rel=1e-9)
    assert r.shortfall.loc["a", "reason"].startswith("window 2025-07-01 02:00")
    assert r.costs.at["optimized", "jobs_not_placed"] == 1
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(10.0, rel=1e-9)  # 100 kWh x 0.10
    assert r.costs.at["asap", "jobs_not_placed"] == 0
    assert np.isnan(r.savings["vs_asap_usd"]) and "vs_asap_usd" in r.not_comparable
    assert r.windows["unserved_kwh"].iloc[0] == 0.0 and r.windows["unserved_kwh"].iloc[1] == pytest.approx(200.0)


def test_no_shortfall_in_the_usual_case():
    r, _ = _block_case([1.0, 1.0, 0.05, 0.50, 0.60, 0.60], "3h", "3h")
    assert r.shortfall.empty and (r.windows["unserved_kwh"] == 0).all()


def test_the_tail_lands_a_non_preemptible_run_as_one_run_not_as_divisible_energy():
    # cap 150 kW; X and Y: 3 h x 100 kW each, non-preemptible, due at the end of day 2; prices
    # 0.30 $/kWh on day 1, 1.00 on day 2 except its last 4 h at 0.05. As divisible energy both
    # runs fit the 4 cheap hours (600 kWh under 150 kW), so the first window (day 1, no look-ahead)
    # deferred both and paid 220 $ (above run-ASAP's 180 $). As runs, at most 1.5 runs fit
    # there (an hour shared by two runs holds 150 kW): run X on day 1 (90 $) and Y in the cheap
    # hours (15 $), 105 $, the whole optimum
    idx = _idx("2025-07-01 00:00", 48)
    price = np.full(48, 0.30)
    price[24:] = 1.0
    price[44:] = 0.05
    t = Tariff.rtp(pd.Series(price, index=idx))
    jobs = [dict(name=n, energy_kwh=300.0, power_kw=100.0, earliest_start=idx[0] - pd.Timedelta("1h"),
                 deadline=idx[-1], preemptible=False) for n in "XY"]
    r = rolling_horizon(jobs, idx, tariff=t, commit="1D", lookahead="0h", cap_kw=150.0)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(105.0, rel=1e-9)
    assert S.optimize(jobs, idx, tariff=t, cap_kw=150.0).costs.at["optimized", "bill_total_usd"] == \
        pytest.approx(105.0, rel=1e-9)


def test_a_curtailment_announced_after_a_run_started_stops_it_and_the_job_runs_again():
    # a 4-h, 100-kW non-preemptible run; hours 0-3 cost 0.10 $/kWh, the rest 1.00. The first
    # window starts it at 00:00. At 02:00 a curtailment to 0 kW for 02:00-03:00 is announced:
    # the run cannot pause, so it stops (200 kWh billed and lost, 20 $) and runs again from
    # 03:00 to 07:00 (10 + 300 $): 330 $. It used to run on through the event (100 kW over its
    # 0-kW limit) without a word
    idx = _idx("2025-07-01 00:00", 8)
    t = Tariff.tou(1.0, [{"name": "cheap", "usd_per_kwh": 0.10, "hours": [0, 1, 2, 3]}])
    job = _job(idx, "np", 400.0, preemptible=False)
    ev = _curtail("02:00", "03:00", 0.0)
    with pytest.warns(DcplanWarning, match=r"1 non-preemptible run\(s\) stopped .*'np' at 2025-07-01 02:00"):
        r = rolling_horizon([job], idx, tariff=t, commit="2h", lookahead="4h", cap_kw=1000.0, curtailments=ev)
    assert r.load["site_kw"].tolist() == pytest.approx([100, 100, 0, 100, 100, 100, 100, 0], abs=1e-6)
    assert r.jobs.at["np", "lost_kwh"] == pytest.approx(200.0)
    assert r.jobs.at["np", "energy_done_kwh"] == pytest.approx(400.0)
    assert r.shortfall.empty
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(330.0, rel=1e-9)
    # too late to run again (deadline 06:00): short, and the reason says why
    idx6 = idx[:6]
    job6 = dict(job, deadline=idx6[-1])
    with pytest.warns(DcplanWarning):
        r6 = rolling_horizon([job6], idx6, tariff=t, commit="2h", lookahead="4h", cap_kw=1000.0, curtailments=ev)
    assert r6.load["site_kw"].tolist() == pytest.approx([100, 100, 0, 0, 0, 0], abs=1e-6)
    assert r6.shortfall.loc["np", "reason"] == "its run was stopped by a curtailment announced at 2025-07-01 02:00:00-05:00"


def test_a_curtailment_too_late_to_ramp_down_to_exceeds_the_ramp_limit_by_the_least_it_takes():
    # 200 kWh at <= 100 kW, hours 0-1 at 0.10 $/kWh and the rest 1.00; ramp limit 50 kW/h. The
    # first window (hours 0-1, no look-ahead) runs 100 and 75 kW and leaves 25 kW for hour 2, so
    # that the ramp down stays within 50 kW/h (0.10 x 175 + 25 = 42.5 $). At 02:00 a curtailment
    # to 0 kW for 02:00-04:00 is announced: 75 -> 0 kW breaks the limit by 25 kW whatever is done
    # (the run used to stop with "no feasible schedule"); the last 25 kWh run in hour 4 or 5: both cost
    # 1.00 $/kWh and the last window (hours 4-5) has the same objective, 25.0 $, either way (HiGHS with
    # presolve took hour 4, without it hour 5), so the test asks for the 25 kWh in those two hours
    idx = _idx("2025-07-01 00:00", 6)
    t = Tariff.tou(1.0, [{"name": "cheap", "usd_per_kwh": 0.10, "hours": [0, 1]}])
    job = _job(idx, "a", 200.0)
    ev = _curtail("02:00", "04:00", 0.0)
    with pytest.warns(DcplanWarning, match=r"ramp limit is exceeded by up to 25\.0 kW in 1 window"):
        r = rolling_horizon([job], idx, tariff=t, commit="2h", lookahead="0h", cap_kw=1000.0, ramp_kw=50.0,
                            curtailments=ev)
    site = r.load["site_kw"].to_numpy()
    assert site[:4].tolist() == pytest.approx([100, 75, 0, 0], abs=1e-6)
    assert site[4:].sum() == pytest.approx(25.0, abs=1e-6) and site[4:].min() >= -1e-9
    assert r.windows["ramp_excess_kw"].tolist() == pytest.approx([0.0, 25.0, 0.0], abs=1e-6)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(42.5, rel=1e-9)
    assert r.shortfall.empty


def test_a_notice_within_an_interval_is_acted_on_for_that_whole_interval():
    # a curtailment to 0 kW from 00:30 to 02:00, announced at 00:30 (no notice), on an hourly grid;
    # 200 kWh at <= 100 kW, hours 0-1 at 0.10 $/kWh, the rest 1.00. The interval 00:00-01:00
    # holds part of the event, so its (average) load must meet the limit: the window from 00:00
    # knows it. It used to learn it only from 01:00, after committing 100 kW in 00:00-01:00,
    # over the limit without a word. All 200 kWh run in the dear hours: 200 $
    idx = _idx("2025-07-01 00:00", 6)
    t = Tariff.tou(1.0, [{"name": "cheap", "usd_per_kwh": 0.10, "hours": [0, 1]}])
    job = _job(idx, "a", 200.0)
    ev = _curtail("00:30", "02:00", 0.0)
    r = rolling_horizon([job], idx, tariff=t, commit="2h", lookahead="0h", cap_kw=1000.0, curtailments=ev)
    assert r.load["site_kw"].iloc[:2].tolist() == pytest.approx([0.0, 0.0], abs=1e-6)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(200.0, rel=1e-9)
    assert r.shortfall.empty


def test_the_optimized_schedule_is_said_to_leave_jobs_short_not_unplaced():
    # a planner-tester's finding: at utilisation_frac 1 the rolling horizon left 62 of 10,400 jobs short by 1,342.8
    # kWh in all, which the labels called "unplaced" (a list baseline leaves whole jobs out; a window's MILP serves
    # part of a job's energy)
    from dcplan.schedule_baselines import unequal_work
    costs = pd.DataFrame({"jobs_not_placed": [2, 0, 3]}, index=["optimized", "greedy", "asap"])
    why = unequal_work(costs, 10)
    assert why["greedy"] == ("optimized left 2 of 10 jobs short of their energy: the bills are not for the same work, "
                             "so no saving is given")
    assert why["asap"].startswith("asap left 3 of 10 jobs unplaced under the site limits; optimized left 2 of 10 jobs "
                                  "short of their energy")


@pytest.mark.parametrize("freq,n", [("1h", 72), ("15min", 288)])
def test_of_plans_the_tail_prices_the_same_the_window_does_the_work_now(freq, n):
    # one flat price, no demand charge: doing a job's work now or deferring it past the window costs the same but
    # for the tail's tie-break (TAIL_TIE_BREAK_USD_PER_KWH per kWh deferred; its view of the future is the
    # optimistic one). 240 kWh at <= 10 kW, due in 3 days, one-day windows without look-ahead: the first day holds
    # all of it (10 kW x 24 h), and does it; without the tie-break a window deferred 10 kWh to day 2 (checked when
    # the cost moved from the deferred columns onto the tail's load, an identical objective that HiGHS solves
    # faster)
    idx = _idx("2025-07-01 00:00", n, freq)
    jobs = [dict(name="P", energy_kwh=240.0, power_kw=10.0, earliest_start=idx[0] - pd.Timedelta(freq),
                 deadline=idx[-1])]
    r = rolling_horizon(jobs, idx, tariff=Tariff.flat(0.10), commit="1D", lookahead="0h")
    flex = r.load["flex_it_kw"].to_numpy()
    day = n // 3
    step_h = pd.Timedelta(freq) / pd.Timedelta("1h")
    assert flex[:day].sum() * step_h == pytest.approx(240.0, rel=1e-9)
    assert flex[day:].sum() == pytest.approx(0.0, abs=1e-9)
