"""The greedy baseline with on-site PV (dcplan.schedule_baselines.greedy).

Every strategy is billed on the grid import after the site's PV, ``max(0, pue (base + fixed + f) -
pv)``. Greedy ranked hours by the tariff's price alone, so at a PV site it left the free sunny hours
to the optimizer and the published "saving vs greedy" counted the PV as the optimizer's. Now an
interval's price for greedy is what the job adds to the import's bill there: 0 for the part of its
site load the PV surplus (PV above the load already there, less the jobs placed before) covers, the
energy price for the rest, ranked at the job's full power. Every expected number is worked by hand
from the case's few intervals; bills to float rounding (1e-9 relative).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan import schedule_baselines as B
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff

from test_schedule import _constrained_case

TZ = "Etc/GMT+5"
T0 = "2025-07-01 00:00"


def _idx(periods, freq="1h"):
    return pd.date_range(pd.Timestamp(T0, tz=TZ) + pd.Timedelta(freq), periods=periods, freq=freq)


def _job(name, e, p, dl, pre=True):
    return dict(name=name, energy_kwh=e, power_kw=p, earliest_start=pd.Timestamp(T0, tz=TZ),
                deadline=pd.Timestamp(dl, tz=TZ), preemptible=pre)


def _tou(*usd_per_kwh):
    """A tariff of one price per hour of the day from 00:00 (the last one for the rest of the day)."""
    return Tariff.tou(usd_per_kwh[-1], [{"name": f"h{h}", "usd_per_kwh": v, "hours": [h], "days": "all"}
                                        for h, v in enumerate(usd_per_kwh[:-1])])


@pytest.mark.parametrize("pv_kw, flex, bill_usd", [
    # surplus 2.6 - 1 = 1.6 kW: the job's 2 kW there cost 0.40 x (2 - 1.6) = 0.16 $/h, under hour 1's
    # 0.10 x 2 = 0.20 $/h: hour 2. Import 1, max(0, 1 + 2 - 2.6) = 0.4 kW -> 0.10 + 0.40 x 0.4 = 0.26 $
    (2.6, [0.0, 2.0], 0.26),
    # surplus 1.4 kW: 0.40 x 0.6 = 0.24 $/h, over 0.20: hour 1 (a greedy pricing the PV hour at 0 whatever
    # the job's size would take hour 2 and bill 0.10 + 0.40 x 0.6 = 0.34 $). Import 3, 0 -> 0.30 $
    (2.4, [2.0, 0.0], 0.30),
])
def test_greedy_counts_the_pv_surplus_only_up_to_its_size(pv_kw, flex, bill_usd):
    # 2 hours at 0.10, 0.40 $/kWh, must-run 1 kW, PUE 1, PV in hour 2; one job of 2 kWh at <= 2 kW
    idx = _idx(2)
    r = S.optimize([_job("a", 2.0, 2.0, "2025-07-01 02:00")], idx, tariff=_tou(0.10, 0.40), base_it_kw=1.0,
                   pv_kw=pd.Series([0.0, pv_kw], index=idx))
    assert (r.load["site_kw_greedy"] - 1.0).tolist() == pytest.approx(flex, abs=1e-12)
    assert r.costs.at["greedy", "bill_total_usd"] == pytest.approx(bill_usd, rel=1e-9)


def test_a_second_job_finds_the_surplus_the_first_took():
    # 3 hours at 0.10, 0.20, 0.40 $/kWh, must-run 1 kW, PV 3 kW in hour 3 (a surplus of 2 kW). Jobs a and b,
    # each 2 kWh at <= 2 kW, same deadline: a first (list order). a: hour 3 (0 $/h against 0.20 and 0.40 at
    # 2 kW). b: the surplus is gone, hour 3 costs 0.40 x 2 = 0.80 $/h: hour 1 (0.20 $/h).
    # Import 3, 1, max(0, 1 + 2 - 3) = 0 kW -> 0.30 + 0.20 = 0.50 $ (with hour 3 still free for b:
    # import 3 there -> 0.10 + 0.20 + 0.40 x 2 = 1.10 $)
    idx = _idx(3)
    jobs = [_job("a", 2.0, 2.0, "2025-07-01 03:00"), _job("b", 2.0, 2.0, "2025-07-01 03:00")]
    r = S.optimize(jobs, idx, tariff=_tou(0.10, 0.20, 0.40), base_it_kw=1.0,
                   pv_kw=pd.Series([0.0, 0.0, 3.0], index=idx))
    kw, failed = S.greedy(r.problem)
    assert failed == []
    np.testing.assert_allclose(kw, [[0.0, 0.0, 2.0], [2.0, 0.0, 0.0]], atol=1e-12)
    assert r.load["grid_import_kw_greedy"].tolist() == pytest.approx([3.0, 1.0, 0.0], abs=1e-12)
    assert r.costs.at["greedy", "bill_total_usd"] == pytest.approx(0.50, rel=1e-9)


def test_a_non_preemptible_run_starts_in_the_pv_hours():
    # 4 hours at 0.10, 0.10, 0.40, 0.40 $/kWh, must-run 1 kW, PV 3 kW in hours 3-4 (surplus 2 kW). One
    # uninterrupted run of 2 kW for 2 h (4 kWh). Starts: hour 1: 0.10 x 2 x 2 = 0.40 $; hour 2: 0.20 + 0
    # = 0.20 $; hour 3: 0 $ -> hour 3. By price alone it started in hour 1. Import 1, 1, 0, 0 -> 0.20 $
    idx = _idx(4)
    r = S.optimize([_job("n", 4.0, 2.0, "2025-07-01 04:00", pre=False)], idx, tariff=_tou(0.10, 0.10, 0.40, 0.40),
                   base_it_kw=1.0, pv_kw=pd.Series([0.0, 0.0, 3.0, 3.0], index=idx))
    assert r.load["grid_import_kw_greedy"].tolist() == pytest.approx([1.0, 1.0, 0.0, 0.0], abs=1e-12)
    assert r.costs.at["greedy", "bill_total_usd"] == pytest.approx(0.20, rel=1e-9)
    price_only = S.greedy(S.optimize([_job("n", 4.0, 2.0, "2025-07-01 04:00", pre=False)], idx,
                                     tariff=_tou(0.10, 0.10, 0.40, 0.40), base_it_kw=1.0).problem)[0]
    np.testing.assert_allclose(price_only, [[2.0, 2.0, 0.0, 0.0]], atol=1e-12)


def test_the_rolling_horizon_bills_the_same_greedy():
    # the 4-hour case of tests/test_schedule_pv.py::test_baselines_bill_their_import_after_pv (0.30, 0.10,
    # 0.20, 0.40 $/kWh, must-run 1 kW, PV 3 kW in hour 4, a 2 kWh job at <= 2 kW), by rolling horizon:
    # its greedy is dcplan.schedule_baselines.greedy over the whole index: the PV hour, 0.60 $
    idx = _idx(4)
    pv = pd.Series([0.0, 0.0, 0.0, 3.0], index=idx)
    t = _tou(0.30, 0.10, 0.20, 0.40)
    r = rolling_horizon([_job("a", 2.0, 2.0, "2025-07-01 04:00")], idx, tariff=t, commit="2h", lookahead="0h",
                        base_it_kw=1.0, pv_kw=pv)
    assert r.load["grid_import_kw_greedy"].tolist() == pytest.approx([1.0, 1.0, 1.0, 0.0], abs=1e-12)
    assert r.costs.at["greedy", "bill_total_usd"] == pytest.approx(0.60, rel=1e-9)
    one = S.optimize([_job("a", 2.0, 2.0, "2025-07-01 04:00")], idx, tariff=t, base_it_kw=1.0, pv_kw=pv)
    assert r.costs.at["greedy", "bill_total_usd"] == one.costs.at["greedy", "bill_total_usd"]


def _pv_case(seed, pv_peak_kw):
    """tests/test_schedule.py's constrained 3-day case (must-run 2,000 kW at PUE 1.2: 2,400 kW at the
    site) with a PV bell 07:00-19:00 peaking at ``pv_peak_kw``."""
    idx, _, kw = _constrained_case(seed)
    jobs = S.generate_jobs(idx[0] - pd.Timedelta("15min"), 3, n_jobs=30, n_training=2, n_nonpreemptible=6,
                           flex_kw=4000, seed=seed)
    h = (idx - pd.Timedelta("15min")).hour.to_numpy() + (idx - pd.Timedelta("15min")).minute.to_numpy() / 60 + 0.125
    pv = pd.Series(pv_peak_kw * np.clip(np.sin(np.pi * (h - 7.0) / 12.0), 0.0, None), index=idx)
    return S.build_problem(jobs, idx, pv_kw=pv, **kw)[0]


@pytest.mark.parametrize("seed", [0, 1])
def test_compiled_greedy_with_pv_equals_the_python_list_scheduler(seed):
    # as tests/test_schedule.py::test_compiled_baselines_equal_the_python_list_scheduler, with a PV surplus
    # (peak 6,000 kW over the site's 2,400 kW must-run): the same floats, the same jobs left, one pass and
    # repaired; and the PV does move work (the placement differs from the price-only greedy's)
    p = _pv_case(seed, 6000.0)
    assert B._pv_surplus_kw(p) is not None and (~p.preemptible).any()
    for per_job in (True, False):
        ref, ref_failed = B._place(p, B._greedy_order(p), B._greedy_choose(p), True, per_job)
        got, got_failed = B._place_fast(p, B._greedy_order(p), True, True, per_job)
        assert np.array_equal(got, ref) and got_failed == ref_failed
        ref, ref_failed = B._repair(lambda o: B._place(p, o, B._greedy_choose(p), True, per_job),
                                    B._greedy_order(p), p.names)
        got, got_failed = S.greedy(p, per_job=per_job)
        assert np.array_equal(got, ref) and got_failed == ref_failed
    price_only = S.greedy(dataclasses.replace(p, pv_kw=None), per_job=False)[0]
    assert not np.array_equal(S.greedy(p, per_job=False)[0], price_only)


def test_pv_that_never_exceeds_the_must_run_load_changes_nothing():
    # PV peaking at 2,000 kW under the site's 2,400 kW must-run: no surplus anywhere, so greedy is the
    # price-only heuristic, to the bit (the import is site - pv, the job's cost the price at every hour)
    p = _pv_case(0, 2000.0)
    assert p.pv_kw.max() > 0 and B._pv_surplus_kw(p) is None
    got, failed = S.greedy(p)
    ref, ref_failed = S.greedy(dataclasses.replace(p, pv_kw=None))
    assert np.array_equal(got, ref) and failed == ref_failed
