"""Benchmarks of dcplan.thermal: one year at 1 s, a 100-case lag x margin sweep, hourly plant.

* ``thermal_year_1s``: 31,536,000 one-second steps for one hall (controller, lagged
  actuator, throttle logic), summary-only mode (no per-step arrays), float32 input.
  Target < 2 s after the one-time numba compile (compiled before timing).
  Baseline: the **same kernel as a plain Python loop** (``_kernel.py_func``, numba's
  uncompiled original), timed on 200,000 steps and **scaled linearly** to one year.
* ``thermal_sweep_100x1week``: 10 lags (0-180 s) x 10 plant margins (-0.2..0.25),
  one week at 1 s each (60.5 M steps in all), summary-only. Target < 10 s.
  Baseline: the plain Python loop scaled linearly from its per-step time.
* ``thermal_plant_hourly``: one year of the hourly plant (8760 h, vectorized numpy).
"""
from __future__ import annotations

import time

import numpy as np

YEAR_S = 365 * 24 * 3600
WEEK_S = 7 * 24 * 3600


def _plain_python_per_step(it, n_steps: int) -> float:
    """Seconds per step of the uncompiled kernel (numba ``py_func``) on ``n_steps``."""
    from dcplan import thermal_dynamics as td
    from dcplan.thermal_dynamics import _kernel, _kernel_args, _prepare
    p = dict(td.DYNAMICS_DEFAULTS)
    sub = it.iloc[:n_steps]
    s = _prepare(sub, lag_s=p["lag_s"], delay_frac=p["delay_frac"], strategy="reactive", capacity_kw=None,
                 margin_frac=0.1, thermal_mass_kj_per_k=None, forecast_kw=None, forecast_horizon_s=None, p=p)
    e32 = np.empty(0, np.float32)
    args = _kernel_args(s, p, use_ff=False, on_gpu=False, store=False,
                        outs=(e32, e32, e32, e32, np.empty(0, np.bool_)), stats=np.zeros(9))
    t0 = time.perf_counter()
    _kernel.py_func(*args)
    return (time.perf_counter() - t0) / n_steps


def run(quick: bool = False) -> list[dict]:
    from dcplan.thermal import plant_hourly, simulate_lag, sweep_lag, training_load_kw
    n_year = YEAR_S // 20 if quick else YEAR_S
    n_week = WEEK_S // 20 if quick else WEEK_S
    it = training_load_kw("2025-01-01", n_year, peak_kw=1000.0, seed=0, dtype=np.float32)
    simulate_lag(it.iloc[:1000], summary_only=True)          # one-time compile (cached on disk)
    t0 = time.perf_counter()
    simulate_lag(it, summary_only=True)
    t_year = time.perf_counter() - t0
    per_step_py = _plain_python_per_step(it, 20_000 if quick else 200_000)
    base_year = per_step_py * n_year

    week = it.iloc[:n_week]
    lags = np.linspace(0, 180, 10)
    margins = np.linspace(-0.2, 0.25, 10)
    t0 = time.perf_counter()
    sweep_lag(week, lags, margins)
    t_sweep = time.perf_counter() - t0
    base_sweep = per_step_py * n_week * len(lags) * len(margins)

    import pandas as pd
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="Etc/GMT+5")
    rng = np.random.default_rng(0)
    tdb = 12 + 12 * np.sin(np.arange(8760) * 2 * np.pi / 8760) + rng.normal(0, 3, 8760)
    w = pd.DataFrame({"temp_air": tdb, "temp_wet_bulb_degc": tdb - 4}, index=idx)
    plant_hourly(1000.0, w)
    t0 = time.perf_counter()
    plant_hourly(1000.0, w)
    t_plant = time.perf_counter() - t0

    tag = " (quick: 1/20 size)" if quick else ""
    return [
        {"name": f"thermal_year_1s{tag}", "value": t_year, "unit": "s",
         "target": "< 2 s for 31.5 M steps",
         "baseline": f"plain Python loop (kernel py_func), {20_000 if quick else 200_000} steps scaled linearly",
         "ratio": base_year / t_year, "steps": n_year, "baseline_s": base_year},
        {"name": f"thermal_sweep_100x1week{tag}", "value": t_sweep, "unit": "s",
         "target": "< 10 s for 100 cases x 1 week at 1 s",
         "baseline": "plain Python loop scaled linearly", "ratio": base_sweep / t_sweep,
         "steps": n_week * 100, "baseline_s": base_sweep},
        {"name": "thermal_plant_hourly_8760h", "value": t_plant, "unit": "s", "target": "< 0.1 s",
         "baseline": "none", "ratio": None},
    ]
