"""The greedy baseline takes the earliest of equally priced hours.

It ranked hours by differences of a cumulative price sum, so hours of the same price differed by
rounding noise and the job landed wherever the noise was lowest: on a day at 0.05 $/kWh off-peak
a 2-hour job released at midnight ran 22:00-24:00 instead of 00:00-02:00.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan import schedule_baselines as B
from dcplan.tariff import Tariff

TZ = "America/Phoenix"


def _problem(jobs, days=7):
    idx = pd.date_range("2025-07-14 01:00", periods=24 * days, freq="h", tz=TZ)
    t = Tariff.tou(0.05, [{"name": "peak", "usd_per_kwh": 0.20, "hours": list(range(14, 20)), "days": "all"}])
    return S.build_problem(jobs, idx, tariff=t, base_it_kw=100.0)[0], idx


@pytest.mark.parametrize("day", range(7))
def test_greedy_takes_the_earliest_of_equal_prices(day):
    t0 = pd.Timestamp("2025-07-14", tz=TZ) + pd.Timedelta(days=day)
    jobs = [
        # preemptible: 200 kW for 2 h, the whole day open: its cheapest hours are the 18 off-peak ones, all
        # 0.05 $/kWh, so by the rule (earliest of equals) 00:00-02:00
        {"name": "a", "energy_kwh": 400.0, "power_kw": 200.0, "earliest_start": t0,
         "deadline": t0 + pd.Timedelta("1D")},
        # non-preemptible: 100 kW for 3 h from 06:00, due 14:00: every start 06:00-11:00 costs the same,
        # so 06:00-09:00
        {"name": "b", "energy_kwh": 300.0, "power_kw": 100.0, "earliest_start": t0 + pd.Timedelta("6h"),
         "deadline": t0 + pd.Timedelta("14h"), "preemptible": False},
    ]
    p, idx = _problem(jobs)
    starts = idx - pd.Timedelta("1h")
    want = {"a": [t0, t0 + pd.Timedelta("1h")], "b": [t0 + pd.Timedelta(f"{h}h") for h in (6, 7, 8)]}
    fast, failed = B.greedy(p)
    ref, failed_ref = B._place(p, B._greedy_order(p), B._greedy_choose(p))  # the plain-Python reference
    assert failed == failed_ref == []
    for kw in (fast, ref):
        for j, name in enumerate(p.names):
            assert list(starts[kw[j] > 1e-9]) == want[name], name
    np.testing.assert_array_equal(fast, ref)  # the compiled and the reference schedulers agree exactly
