"""On-site PV behind the meter in dcplan.schedule (dcplan.schedule_pv).

The scheduler billed the site load ``PUE x (base + jobs)`` whatever the site's PV: a site whose PV
covers a quarter of its energy (Phoenix) saw neither the PV in its bill nor the value of moving work
into the sunny hours. Now ``pv_kw`` makes every strategy buy the grid import ``max(0, site - pv)``,
with no credit for PV left over, as dcplan.pipeline bills a site. Every expected number below is
worked by hand from the case's few intervals; tolerances cover HiGHS's feasibility tolerance (1e-7
relative) only.
"""
from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.errors import InputError
from dcplan.schedule_pv import PV_UNITS_RATIO_MAX, grid_import_kw
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff

TZ = "Etc/GMT+5"
T0 = "2025-07-01 00:00"


def _idx(periods, freq="1h"):
    return pd.date_range(pd.Timestamp(T0, tz=TZ) + pd.Timedelta(freq), periods=periods, freq=freq)


def _job(name, e, p, es=T0, dl=None, pre=True, **kw):
    return dict(name=name, energy_kwh=e, power_kw=p, earliest_start=pd.Timestamp(es, tz=TZ),
                deadline=pd.Timestamp(dl, tz=TZ), preemptible=pre, **kw)


def test_grid_import_is_clipped_at_zero():
    # site 3, 1, 1 kW less PV 0, 3, 0 kW: 3, -2 -> 0 (no export), 1
    assert grid_import_kw(np.array([3.0, 1.0, 1.0]), np.array([0.0, 3.0, 0.0])).tolist() == [3.0, 0.0, 1.0]
    site = np.array([1.0, 2.0])
    assert grid_import_kw(site, None) is site  # without PV: the site load itself


def test_job_moves_into_the_pv_hour_and_the_bill_is_the_clipped_import():
    # 3 hours, flat 0.10 $/kWh, must-run 1 kW, PUE 1; PV 3 kW in hour 2 only: a surplus of 2 kW there.
    # One preemptible job of 2 kWh at <= 2 kW anywhere in the 3 hours.
    idx = _idx(3)
    t = Tariff.flat(0.10)
    pv = pd.Series([0.0, 3.0, 0.0], index=idx)
    r = S.optimize([_job("a", 2.0, 2.0, dl="2025-07-01 03:00")], idx, tariff=t, base_it_kw=1.0, pv_kw=pv)
    # optimum (unique): the job's 2 kW in hour 2 fill the surplus; import 1, max(0, 1 + 2 - 3) = 0, 1 kW
    assert r.schedule["a"].tolist() == pytest.approx([0.0, 2.0, 0.0], abs=1e-6)
    assert r.load["grid_import_kw"].tolist() == pytest.approx([1.0, 0.0, 1.0], abs=1e-6)
    # bill = 0.10 x (1 + 0 + 1) kWh = 0.20 $
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(0.20, rel=1e-7)
    assert r.lp_components["energy_usd"] == pytest.approx(0.20, rel=1e-7)
    # run-ASAP: 2 kW in hour 1; site 3, 1, 1 kW; import 3, max(0, 1 - 3) = 0 (2 kW spilled, no credit), 1
    # = 4 kWh -> 0.40 $
    assert r.load["grid_import_kw_asap"].tolist() == pytest.approx([3.0, 0.0, 1.0], abs=1e-9)
    assert r.costs.at["asap", "bill_total_usd"] == pytest.approx(0.40, rel=1e-9)
    assert r.savings["vs_asap_usd"] == pytest.approx(0.20, rel=1e-6)
    assert r.costs.at["asap", "peak_site_kw"] == pytest.approx(3.0) and r.costs.at["asap", "peak_grid_kw"] == 3.0
    assert r.load["pv_kw"].tolist() == [0.0, 3.0, 0.0]


def test_pv_above_the_load_gives_no_export_credit():
    # PV 5 kW every hour against a site of at most 1 + 2 kW: the import is 0 everywhere, never negative,
    # and so is every bill (energy 0.10 $/kWh, demand 10 $/kW-month, no fixed charge): 0 $
    idx = _idx(3)
    t = Tariff.flat(0.10, demand_usd_per_kw=10.0)
    r = S.optimize([_job("a", 2.0, 2.0, dl="2025-07-01 03:00")], idx, tariff=t, base_it_kw=1.0,
                   pv_kw=pd.Series(5.0, index=idx))
    for k in ("optimized", "asap", "greedy"):
        assert r.costs.at[k, "bill_total_usd"] == 0.0
        assert r.costs.at[k, "peak_grid_kw"] == 0.0
    assert (r.load["grid_import_kw"] == 0.0).all()
    assert r.lp_components["energy_usd"] == 0.0 and r.lp_components["demand_usd"] == pytest.approx(0.0, abs=1e-9)
    assert r.solve["objective_usd"] == pytest.approx(0.0, abs=1e-9)  # the LP pays nothing for the surplus


def test_demand_charge_is_on_the_net_import():
    # 6 hours, 0.10 $/kWh, flat demand 10 $/kW-month (one month), must-run 2 kW, PV 3 kW in hours 3-4.
    # Job: 6 kWh at <= 3 kW anywhere in the 6 hours.
    idx = _idx(6)
    t = Tariff.flat(0.10, demand_usd_per_kw=10.0)
    pv = pd.Series([0.0, 0.0, 3.0, 3.0, 0.0, 0.0], index=idx)
    r = S.optimize([_job("a", 6.0, 3.0, dl="2025-07-01 06:00")], idx, tariff=t, base_it_kw=2.0, pv_kw=pv,
                   mip_rel_gap=0.0)
    # optimum: 3 kW in hours 3 and 4 (import 2 + 3 - 3 = 2 kW there), so the import is 2 kW all day:
    # peak 2 kW (the must-run's, a floor no schedule beats) -> 20 $; energy 6 x 2 kWh x 0.10 = 1.20 $
    assert r.schedule["a"].tolist() == pytest.approx([0, 0, 3, 3, 0, 0], abs=1e-6)
    assert r.costs.at["optimized", "bill_demand_usd"] == pytest.approx(20.0, rel=1e-7)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(21.20, rel=1e-7)
    assert r.lp_components["demand_usd"] == pytest.approx(20.0, rel=1e-7)
    # the site's own peak is 5 kW (2 + 3) in the PV hours: a demand charge on the site load would bill 50 $
    assert r.costs.at["optimized", "peak_site_kw"] == pytest.approx(5.0, rel=1e-7)
    # run-ASAP: 3 kW in hours 1-2; import 5, 5, max(0, 2 - 3) = 0, 0, 2, 2 kW: peak 5 -> 50 $,
    # energy 14 kWh -> 1.40 $; 51.40 $
    assert r.costs.at["asap", "bill_demand_usd"] == pytest.approx(50.0, rel=1e-9)
    assert r.costs.at["asap", "bill_total_usd"] == pytest.approx(51.40, rel=1e-9)
    assert r.savings["vs_asap_usd"] == pytest.approx(30.20, rel=1e-6)


def test_baselines_bill_their_import_after_pv():
    # 4 hours at 0.30, 0.10, 0.20, 0.40 $/kWh (TOU by start hour 0-3), must-run 1 kW, PV 3 kW in hour 4.
    # Job: 2 kWh at <= 2 kW anywhere.
    idx = _idx(4)
    t = Tariff.tou(0.30, [{"name": n, "usd_per_kwh": v, "hours": [h], "days": "all"}
                          for n, v, h in (("cheap", 0.10, 1), ("mid", 0.20, 2), ("peak", 0.40, 3))])
    pv = pd.Series([0.0, 0.0, 0.0, 3.0], index=idx)
    r = S.optimize([_job("a", 2.0, 2.0, dl="2025-07-01 04:00")], idx, tariff=t, base_it_kw=1.0, pv_kw=pv)
    # run-ASAP: hour 1; import 3, 1, 1, max(0, 1 - 3) = 0 -> 0.90 + 0.10 + 0.20 = 1.20 $
    # optimized: the PV hour, dearest by price but free; import 1, 1, 1, 0 -> 0.30 + 0.10 + 0.20 = 0.60 $
    # greedy: by effective price (dcplan.schedule_baselines: 0 up to the PV surplus of 3 - 1 = 2 kW), the PV
    # hour too, 0 $ against 0.10 x 2 = 0.20 $/h in hour 2: the same 0.60 $, no saving. (Ranked by the tariff
    # alone it took hour 2, import 1, 3, 1, 0 -> 0.80 $, and the optimizer was credited 0.20 $ for the PV.)
    assert r.load["grid_import_kw_asap"].tolist() == pytest.approx([3.0, 1.0, 1.0, 0.0], abs=1e-12)
    assert r.load["grid_import_kw_greedy"].tolist() == pytest.approx([1.0, 1.0, 1.0, 0.0], abs=1e-12)
    want = {"asap": 1.20, "greedy": 0.60, "optimized": 0.60}
    for k, usd in want.items():
        assert r.costs.at[k, "bill_total_usd"] == pytest.approx(usd, rel=1e-7), k
        # the model's own costing of each schedule (evaluate / LP components) is the bill too
        assert r.costs.at[k, "energy_usd"] == pytest.approx(usd, rel=1e-7), k
    assert r.savings[["vs_asap_usd", "vs_greedy_usd"]].tolist() == pytest.approx([0.60, 0.0], rel=1e-6, abs=1e-6)


def test_demand_window_averages_the_clipped_import():
    # 15-min grid, a 30-min demand window (block average), as Tariff.bill forms it: the import of each
    # 15 min is clipped at 0 before averaging. Must-run 2 kW, PV 4 kW in the first 15 min, no jobs to
    # move (a 0.5 kWh job at 2 kW pinned to the last 15 min). Import: 0 (2 - 4 clipped), 2, 2, 4 kW.
    # Blocks (0 + 2) / 2 = 1 and (2 + 4) / 2 = 3 kW: peak 3 kW -> 30 $ at 10 $/kW (unclipped: -2, 2 -> 0).
    idx = _idx(4, "15min")
    t = dataclasses.replace(Tariff.flat(0.0).with_demand_charge(10.0), demand_window_min=30.0)
    pv = pd.Series([4.0, 0.0, 0.0, 0.0], index=idx)
    job = _job("a", 0.5, 2.0, es="2025-07-01 00:45", dl="2025-07-01 01:00")
    r = S.optimize([job], idx, tariff=t, base_it_kw=2.0, pv_kw=pv)
    assert r.load["grid_import_kw"].tolist() == pytest.approx([0.0, 2.0, 2.0, 4.0], abs=1e-9)
    assert r.lp_components["demand_usd"] == pytest.approx(30.0, rel=1e-7)
    assert r.costs.at["optimized", "bill_demand_usd"] == pytest.approx(30.0, rel=1e-9)


def test_without_pv_the_model_and_its_results_are_unchanged():
    # tests/test_schedule.py::test_preemptible_job_takes_cheapest_hours_hand_calc: 2 kWh at <= 1 kW in the
    # two cheapest of the prices 3, 1, 2, 4 $/kWh: 3 $. The model: 4 flexible-load columns + 4 job columns
    # (one per 1-h block), 4 balance rows + 1 energy row; zero PV adds nothing (no interval with PV)
    idx = _idx(4)
    price = pd.Series([3.0, 1.0, 2.0, 4.0], index=idx)
    job = [_job("a", 2.0, 1.0, dl="2025-07-01 04:00")]
    for pv in (None, pd.Series(0.0, index=idx)):
        r = S.optimize(job, idx, price_usd_per_kwh=price, pv_kw=pv)
        assert r.schedule["a"].tolist() == pytest.approx([0.0, 1.0, 1.0, 0.0], abs=1e-7)
        assert r.costs.at["optimized", "energy_usd"] == pytest.approx(3.0, rel=1e-9)
        assert (r.solve["n_vars"], r.solve["n_rows"]) == (8, 5)
        assert (r.load["grid_import_kw"] == r.load["site_kw"]).all()
    # PV in one interval adds one import column and its row: 9, 6. PV 0.5 kW in hour 2 (price 1): the
    # job stays in hours 2 and 3; import 0.5 + 1 kWh -> 0.5 x 1 + 1 x 2 = 2.5 $
    pv = pd.Series([0.0, 0.5, 0.0, 0.0], index=idx)
    r = S.optimize(job, idx, price_usd_per_kwh=price, pv_kw=pv)
    assert (r.solve["n_vars"], r.solve["n_rows"]) == (9, 6)
    assert r.costs.at["optimized", "energy_usd"] == pytest.approx(2.5, rel=1e-7)
    # PV that never exceeds the must-run load (1 kW) adds nothing either: the import 1 + f - 0.5 is linear
    # in the job's load. Import 1, 1.5, 2, 1 kW at 3, 1, 2, 4 $/kWh: 3 + 1.5 + 4 + 4 = 12.5 $
    r = S.optimize(job, idx, price_usd_per_kwh=price, base_it_kw=1.0, pv_kw=pv)
    assert (r.solve["n_vars"], r.solve["n_rows"]) == (8, 5)
    assert r.schedule["a"].tolist() == pytest.approx([0.0, 1.0, 1.0, 0.0], abs=1e-7)
    assert r.costs.at["optimized", "energy_usd"] == pytest.approx(12.5, rel=1e-7)


def test_hourly_pv_is_spread_over_a_15_min_grid():
    # an hourly PV series (interval-ending) on a 15-min schedule: each 15 min takes its hour's kW.
    # PV 4 kW in the hour to 01:00, must-run 1 kW, 0.10 $/kWh, 8 x 15 min; a 1 kWh job at <= 4 kW:
    # into the first hour (import max(0, 1 + f - 4) stays 0 up to f = 3 kW): import 0 there, 1 kW after
    # -> 4 x 0.25 h x 1 kW = 1 kWh -> 0.10 $
    idx = _idx(8, "15min")
    pv = pd.Series([4.0, 0.0], index=_idx(2))
    r = S.optimize([_job("a", 1.0, 4.0, dl="2025-07-01 02:00")], idx, tariff=Tariff.flat(0.10), base_it_kw=1.0,
                   pv_kw=pv)
    assert r.load["pv_kw"].tolist() == [4.0] * 4 + [0.0] * 4
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(0.10, rel=1e-7)
    assert r.load["grid_import_kw"].iloc[:4].tolist() == pytest.approx([0.0] * 4, abs=1e-7)


def test_rolling_horizon_defers_work_into_tomorrows_pv_and_carries_the_import_peak():
    # 48 hours, 0.10 $/kWh, flat demand 10 $/kW-month, must-run 1 kW; PV 3 kW in hours 31-32 (day 2).
    # Job: 4 kWh at <= 2 kW, any time in the 48 hours. Windows of one day, no look-ahead: the first
    # window sees the PV only through its tail, so it must defer the work there.
    idx = _idx(48)
    t = Tariff.flat(0.10, demand_usd_per_kw=10.0)
    pv = pd.Series(0.0, index=idx)
    pv.iloc[30:32] = 3.0
    r = rolling_horizon([_job("a", 4.0, 2.0, dl="2025-07-03 00:00")], idx, tariff=t, commit="24h", lookahead="0h",
                        base_it_kw=1.0, pv_kw=pv)
    # optimized: 2 kW in the two PV hours (import max(0, 1 + 2 - 3) = 0); 1 kW the other 46 hours:
    # energy 46 kWh -> 4.60 $, peak 1 kW -> 10 $; 14.60 $
    flex = r.load["flex_it_kw"].to_numpy()
    assert flex[30:32] == pytest.approx([2.0, 2.0], abs=1e-6) and flex.sum() == pytest.approx(4.0, rel=1e-9)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(14.60, rel=1e-7)
    # the peak carried between windows is the import's: 1 kW (the site load's is 3 kW in the PV hours)
    assert r.peaks_kw.iloc[0, 0] == pytest.approx(1.0, rel=1e-7)
    # run-ASAP: 2 kW in hours 1-2: import 3, 3 kW; 0 in the PV hours (1 - 3 clipped); 1 kW the other 44:
    # 50 kWh -> 5.00 $, peak 3 kW -> 30 $; 35.00 $
    assert r.costs.at["asap", "bill_total_usd"] == pytest.approx(35.0, rel=1e-9)
    assert r.costs.at["asap", "peak_grid_kw"] == 3.0
    assert r.savings["vs_asap_usd"] == pytest.approx(20.40, rel=1e-6)


def test_rolling_horizon_without_pv_is_unchanged():
    # the same 48 hours and job without PV (and no demand charge): the work costs 0.10 $/kWh anywhere, so
    # any schedule bills the site's 48 x 1 + 4 = 52 kWh -> 5.20 $, and the grid import is the site load
    idx = _idx(48)
    r = rolling_horizon([_job("a", 4.0, 2.0, dl="2025-07-03 00:00")], idx, tariff=Tariff.flat(0.10),
                        commit="24h", lookahead="0h", base_it_kw=1.0)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(5.20, rel=1e-7)
    assert (r.load["grid_import_kw_optimized"] == r.load["site_kw_optimized"]).all()
    assert (r.load["pv_kw"] == 0.0).all()


# ---------------------------------------------------------------------------- refused inputs
@pytest.mark.parametrize("pv, match", [
    (pd.Series([0.0, -1.0, 0.0]), r"^pv_kw: must be >= 0 \(on-site AC generation at the meter, behind it; .*got -1 kW "
                                  r"at 2025-07-01 02:00:00-05:00"),
    (pd.Series([0.0, np.nan, 0.0]), r"^pv_kw: NaN/inf at 2025-07-01 02:00:00-05:00"),
    (np.zeros(5), r"^pv_kw: need shape \(3,\), got \(5,\)"),
    ("sunny", r"^pv_kw: need numbers"),
])
def test_bad_pv_is_refused(pv, match):
    idx = _idx(3)
    if isinstance(pv, pd.Series):
        pv.index = idx
    with pytest.raises(InputError, match=match):
        S.optimize([_job("a", 1.0, 1.0, dl="2025-07-01 03:00")], idx, price_usd_per_kwh=0.1, pv_kw=pv)


def test_pv_on_another_index_is_refused():
    idx = _idx(3)
    other = pd.Series(1.0, index=_idx(3) + pd.Timedelta("1D"))  # the next day: no value for these hours
    with pytest.raises(InputError, match=r"^pv_kw: no value for the interval ending 2025-07-01 01:00:00-05:00 "
                                         r"\(series covers 2025-07-02 01:00:00-05:00"):
        S.optimize([_job("a", 1.0, 1.0, dl="2025-07-01 03:00")], idx, price_usd_per_kwh=0.1, pv_kw=other)
    finer = pd.Series(1.0, index=_idx(12, "15min"))  # a 15-min series on an hourly schedule: resample it first
    with pytest.raises(InputError, match=r"^pv_kw: step 15 min is not a multiple of the schedule step 60 min"):
        S.optimize([_job("a", 1.0, 1.0, dl="2025-07-01 03:00")], idx, price_usd_per_kwh=0.1, pv_kw=finer)


def test_pv_in_watts_is_refused_with_a_units_hint():
    # the highest site load the schedule can reach: PUE 1.2 x (must-run 1 + job 2) = 3.6 kW; PV of a 4 kW
    # plant given in W (4000) is over 1000 x that: "is it in W?"
    idx = _idx(3)
    assert PV_UNITS_RATIO_MAX == 1000.0
    with pytest.raises(InputError, match=r"^pv_kw: 4,000 kW at 2025-07-01 02:00:00-05:00 is over 1000 times the "
                                         r"highest site load the schedule can reach \(3.6 kW\): is it in W\?"):
        S.optimize([_job("a", 2.0, 2.0, dl="2025-07-01 03:00")], idx, price_usd_per_kwh=0.1, base_it_kw=1.0,
                   pue=1.2, pv_kw=pd.Series([0.0, 4000.0, 0.0], index=idx))
    # 3,000 kW (833 x) is not refused: a big PV plant beside a small load is odd, not a unit slip
    r = S.optimize([_job("a", 2.0, 2.0, dl="2025-07-01 03:00")], idx, price_usd_per_kwh=0.1, base_it_kw=1.0,
                   pue=1.2, pv_kw=pd.Series([0.0, 3000.0, 0.0], index=idx))
    assert r.costs.at["optimized", "energy_usd"] == pytest.approx(0.1 * 1.2 * 2.0, rel=1e-7)  # hours 1, 3 at 1.2 kW


def test_negative_price_in_a_pv_hour_is_refused():
    # the import max(0, site - pv) priced below zero is concave: no LP bills it; a negative price where
    # there is no PV is fine (the import is the site load there, linear)
    idx = _idx(3)
    job = [_job("a", 1.0, 1.0, dl="2025-07-01 03:00")]
    with pytest.raises(InputError, match=r"^pv_kw: a negative price of grid import \(-0.05 \$/kW over the interval, "
                                         r"energy \+ carbon \+ 4CP\) at 2025-07-01 02:00:00-05:00, where there is PV"):
        S.optimize(job, idx, price_usd_per_kwh=pd.Series([0.1, -0.05, 0.1], index=idx),
                   pv_kw=pd.Series([0.0, 2.0, 0.0], index=idx))
    # -0.05 $/kWh in hour 1, PV only in hour 2: the job takes hour 1 and earns 0.05 $
    r = S.optimize(job, idx, price_usd_per_kwh=pd.Series([-0.05, 0.1, 0.1], index=idx),
                   pv_kw=pd.Series([0.0, 2.0, 0.0], index=idx))
    assert r.schedule["a"].tolist() == pytest.approx([1.0, 0.0, 0.0], abs=1e-7)
    assert r.costs.at["optimized", "energy_usd"] == pytest.approx(-0.05, rel=1e-7)


def test_optimum_with_pv_equals_brute_force_enumeration():
    # tests/test_schedule.py's enumeration case (three non-preemptible jobs, 12 hours from 08:00, cap 3.5 kW,
    # TOU 0.30 $/kWh 14-19 h else 0.10, flat demand 2 $/kW) with PV 0-2.5 kW over the middle of the day:
    # every combination of starts billed by Tariff.bill of max(0, site - pv): the exact MILP (gap 0) finds
    # its least bill. The cap holds the site load, PV or not.
    idx = pd.date_range(pd.Timestamp("2025-07-01 08:00", tz=TZ) + pd.Timedelta("1h"), periods=12, freq="1h")
    t = Tariff.tou(0.10, [{"name": "peak", "usd_per_kwh": 0.30, "hours": list(range(14, 19)), "days": "all"}]) \
        .with_demand_charge(2.0)
    pv = pd.Series([0.0, 0.5, 1.2, 2.0, 2.5, 2.5, 2.0, 1.5, 0.8, 0.2, 0.0, 0.0], index=idx)
    jobs = [_job("a", 3.0, 1.0, "2025-07-01 08:00", "2025-07-01 20:00", pre=False),
            _job("b", 4.0, 2.0, "2025-07-01 09:00", "2025-07-01 20:00", pre=False),
            _job("c", 2.0, 2.0, "2025-07-01 08:00", "2025-07-01 16:00", pre=False)]
    base = 0.5
    r = S.optimize(jobs, idx, tariff=t, cap_kw=3.5, base_it_kw=base, pv_kw=pv, mip_rel_gap=0.0)
    p, _ = S.build_problem(jobs, idx, tariff=t, cap_kw=3.5, base_it_kw=base)
    best = np.inf
    ranges = [range(int(p.t0[j]), int(p.t1[j]) - int(p.n_run[j]) + 2) for j in range(3)]
    for starts in itertools.product(*ranges):
        kw = np.full(len(idx), base)
        for j, s0 in enumerate(starts):
            kw[s0:s0 + p.n_run[j]] += p.run_kw[j]
        if (kw > 3.5 + 1e-9).any():
            continue
        best = min(best, t.bill(pd.Series(np.maximum(kw - pv.to_numpy(), 0.0), index=idx)).total_usd)
    assert np.isfinite(best)
    assert r.costs.at["optimized", "bill_total_usd"] == pytest.approx(best, rel=1e-7)
    # the LP's own costing of its schedule is that bill (energy and demand on the import)
    lp = r.lp_components
    assert lp["energy_usd"] + lp["demand_usd"] == pytest.approx(best, rel=1e-7)
    assert (r.load["site_kw"] <= 3.5 + 1e-7).all()


def test_rolling_horizon_refuses_bad_pv():
    # the whole index's problem checks pv_kw as optimize does, before any window
    idx = _idx(48)
    pv = pd.Series(0.0, index=idx)
    pv.iloc[5] = -2.0
    with pytest.raises(InputError, match=r"^pv_kw: must be >= 0 .*got -2 kW at 2025-07-01 06:00:00-05:00"):
        rolling_horizon([_job("a", 4.0, 2.0, dl="2025-07-03 00:00")], idx, tariff=Tariff.flat(0.10), commit="24h",
                        base_it_kw=1.0, pv_kw=pv)
