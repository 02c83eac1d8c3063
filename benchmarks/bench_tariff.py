"""Tariff billing speed against NREL SAM ``Utilityrate5`` (PySAM) on the same work.

Tariff: TOU energy (2 periods x 2 monthly kWh tiers, weekends off-peak) + TOU demand
(on-peak) + flat monthly demand + fixed charge. Load: one year of 15-min data
(35,040 intervals, 2018 so SAM's Monday-start assumption holds, fixed-offset zone).

Figures:
* ``tariff_bill_1yr_15min``: one bill, calendar cached from a previous call on the
  same index (the planner's repeated-bill case); ``..._cold``: calendar computed too.
  Baseline: SAM's whole call (model set-up, assign, execute), median of repeats.
* ``tariff_bill_1000_scenarios``: 1,000 load scenarios in one vectorized call.
  Baseline: SAM per-scenario time (measured on a few scenarios) x 1,000.
* ``tariff_max_abs_diff_vs_sam``: largest |dcplan - SAM| over the monthly totals of
  the scenarios SAM billed (exactness check, USD).
"""
from __future__ import annotations

import contextlib
import copy
import io
import time

import numpy as np
import pandas as pd


def _sched(fn):
    return [[int(fn(m, h)) for h in range(24)] for m in range(12)]


def tariff_item() -> dict:
    on = lambda m, h: 14 <= h < 19  # noqa: E731
    return {"energyratestructure": [[{"max": 6e6, "rate": 0.052}, {"rate": 0.047}],
                                    [{"max": 6e6, "rate": 0.094}, {"rate": 0.088}]],
            "energyweekdayschedule": _sched(lambda m, h: 1 if on(m, h) else 0),
            "energyweekendschedule": _sched(lambda m, h: 0),
            "demandratestructure": [[{"rate": 0.0}], [{"rate": 14.2}]],
            "demandweekdayschedule": _sched(lambda m, h: 1 if on(m, h) and 5 <= m <= 8 else 0),
            "demandweekendschedule": _sched(lambda m, h: 0),
            "flatdemandstructure": [[{"rate": 4.1}]], "flatdemandmonths": [0] * 12,
            "fixedchargefirstmeter": 250.0, "fixedchargeunits": "$/month"}


def loads(n: int, seed: int = 0) -> tuple[pd.DatetimeIndex, np.ndarray]:
    idx = pd.date_range("2018-01-01 00:15", periods=35040, freq="15min", tz="Etc/GMT+5")
    rng = np.random.default_rng(seed)
    h = np.arange(35040) / 4.0
    shape = 1 + 0.1 * np.sin(2 * np.pi * (h - 9) / 24)
    scale = rng.uniform(5_000, 30_000, (n, 1))
    return idx, scale * shape[None, :] * (1 + 0.03 * rng.standard_normal((n, 35040)))


def _sam(item, kw):
    import PySAM.Utilityrate5 as U
    from PySAM.UtilityRateTools import URDBv8_to_ElectricityRates
    m = U.new()
    with contextlib.redirect_stdout(io.StringIO()):
        rates = URDBv8_to_ElectricityRates(copy.deepcopy(item))
    rates["ur_metering_option"] = 4
    m.ElectricityRates.assign(rates)
    m.ElectricityRates.rate_escalation = [0]
    m.Lifetime.analysis_period = 1
    m.Lifetime.inflation_rate = 0
    m.Lifetime.system_use_lifetime_output = 0
    m.SystemOutput.gen = [0.0] * len(kw)
    m.SystemOutput.degradation = [0]
    m.Load.load = kw.tolist()
    m.Load.load_escalation = [0]
    m.execute(0)
    out = np.array(m.Outputs.utility_bill_wo_sys_ym[1])
    del m
    return out


def _median_time(fn, repeats):
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def run(quick: bool = False) -> list[dict]:
    from dcplan import tariff_engine as tmod  # the billing calendar cache
    from dcplan.tariff import Tariff
    item = tariff_item()
    t = Tariff.from_urdb(item)
    n_sc = 100 if quick else 1000
    idx, x = loads(n_sc)
    one = pd.Series(x[0], index=idx)
    reps = 5 if quick else 20

    def cold():
        tmod._CAL_CACHE.clear()
        return t.bill(one).total_usd

    t_cold = _median_time(cold, reps)
    t.bill(one)
    t_warm = _median_time(lambda: t.bill(one).total_usd, reps)
    n_sam = 3 if quick else 5
    try:
        t_sam = _median_time(lambda: _sam(item, x[0]), n_sam)
        sam_ok = True
    except ImportError:  # PySAM is a test extra
        t_sam, sam_ok = float("nan"), False
    t0 = time.perf_counter()
    b = t.bill(x, index=idx)
    totals = b.total_usd
    t_many = time.perf_counter() - t0
    figs = [
        {"name": "tariff_bill_1yr_15min", "value": t_warm * 1e3, "unit": "ms", "target": "< 5 ms",
         "baseline": "PySAM Utilityrate5 (whole call)", "ratio": t_sam / t_warm if sam_ok else None},
        {"name": "tariff_bill_1yr_15min_cold", "value": t_cold * 1e3, "unit": "ms", "target": "< 5 ms",
         "baseline": "PySAM Utilityrate5 (whole call)", "ratio": t_sam / t_cold if sam_ok else None},
        {"name": "sam_utilityrate5_1yr_15min", "value": t_sam * 1e3, "unit": "ms", "target": "reference",
         "baseline": "none", "ratio": None},
        {"name": f"tariff_bill_{n_sc}_scenarios", "value": t_many, "unit": "s",
         "target": "< 2 s" if n_sc == 1000 else "n/a (quick)",
         "baseline": f"PySAM Utilityrate5 x {n_sc} (extrapolated)",
         "ratio": t_sam * n_sc / t_many if sam_ok else None},
    ]
    if sam_ok:
        diffs = [np.abs(_sam(item, x[i]) - b.monthly.loc[i, "total_usd"].to_numpy()).max()
                 for i in range(n_sam)]
        diffs.append(abs(float(totals.iloc[0]) - float(_sam(item, x[0]).sum())))
        figs.append({"name": "tariff_max_abs_diff_vs_sam", "value": float(max(diffs)), "unit": "USD",
                     "target": "< 0.005", "baseline": "PySAM Utilityrate5", "ratio": None})
    return figs
