"""Synthetic bursty training load of the cooling-lag model (part of :mod:`dcplan.thermal_dynamics`,
which re-exports it; moved here for length).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .cooling_lag_params import PAUSE_JITTER_FRAC, pause_problem
from .errors import InputError

__all__ = ["training_load_kw"]


def training_load_kw(start, periods: int, *, peak_kw: float = 1000.0, step_s: float = 1.0,
                     period_s: float = 600.0, low_s: float = 60.0, low_frac: float = 0.3,
                     jitter_frac: float = PAUSE_JITTER_FRAC, noise_frac: float = 0.02, seed: int = 0,
                     tz: str = "UTC", dtype=np.float64) -> pd.Series:
    """Synthetic bursty training load for demos and tests (not a power model).

    Flat high load (``peak_kw`` less a small noise) with synchronous drops to
    ``low_frac * peak_kw`` for ``low_s`` seconds (checkpoint / evaluation /
    collective stalls) roughly every ``period_s`` (spacing jittered by
    ``jitter_frac``, seeded). ``dcplan.power`` provides fleet-based profiles.

    Parameters
    ----------
    start : str or pandas.Timestamp
        First timestamp (localized to ``tz`` when naive).
    periods : int
        Number of steps, >= 2.
    peak_kw : float, default 1000
        Full load, > 0. [kW]
    step_s : float, default 1
        Time step, > 0. [s]
    period_s : float, default 600
        Mean spacing of the pauses, >= ``step_s``. [s]
    low_s : float, default 60
        Length of each pause, in ``[0, period_s)`` (a pause ends before the next is due). [s]
    low_frac, jitter_frac, noise_frac : float
        Load in a pause, spacing jitter (+-) and noise depth, each in [0, 1]. [frac]

    Returns
    -------
    pandas.Series
        ``it_kw`` on a tz-aware index with freq ``step_s``. [kW]
    """
    def num(name, v, ok, allowed):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not math.isfinite(v) or not ok(float(v)):
            raise InputError(f"{v!r}: allowed: {name} {allowed}", field=name)
        return float(v)
    if isinstance(periods, (bool, np.bool_)) or not isinstance(periods, (int, np.integer)) or periods < 2:
        raise InputError(f"{periods!r}: allowed: periods an integer >= 2", field="periods")
    peak_kw = num("peak_kw", peak_kw, lambda x: x > 0, "> 0 kW")
    step_s = num("step_s", step_s, lambda x: x > 0, "> 0 s")
    period_s = num("period_s", period_s, lambda x: x >= step_s, f">= step_s ({step_s:g} s)")
    low_s = num("low_s", low_s, lambda x: x >= 0, "in [0, period_s)")
    err = pause_problem(low_s, period_s)  # the rule the cooling_lag notebook's render precheck applies too
    if err is not None:
        raise err
    for name, v in (("low_frac", low_frac), ("jitter_frac", jitter_frac), ("noise_frac", noise_frac)):
        num(name, v, lambda x: 0 <= x <= 1, "in [0, 1]")
    rng = np.random.default_rng(seed)
    n = int(periods)
    t_end = n * step_s
    n_ev = int(t_end / period_s) + 2
    gaps = period_s * (1.0 + jitter_frac * (rng.random(n_ev) * 2.0 - 1.0))
    starts = np.cumsum(gaps)
    starts = starts[starts < t_end]
    level = np.ones(n, dtype=np.float64)
    i0 = (starts / step_s).astype(np.int64)
    i1 = np.minimum(((starts + low_s) / step_s).astype(np.int64), n)
    delta = np.zeros(n + 1)
    np.add.at(delta, i0, 1)
    np.add.at(delta, i1, -1)
    low = np.cumsum(delta[:-1]) > 0
    level[low] = low_frac
    if noise_frac > 0:
        level *= 1.0 - noise_frac * rng.random(n)
    t0 = pd.Timestamp(start)
    t0 = t0.tz_localize(tz) if t0.tz is None else t0
    idx = pd.date_range(t0, periods=n, freq=pd.Timedelta(seconds=step_s))
    return pd.Series((peak_kw * level).astype(dtype), index=idx, name="it_kw")
