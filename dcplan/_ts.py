"""Time-series conventions shared by every model function.

dcplan time series are ``pandas`` objects on a tz-aware, regular
``DatetimeIndex`` with a fixed ``freq``. Values are **interval-ending**
averages: the value labelled 01:00 is the mean over 00:00-01:00. Anything that
groups by calendar period (month, hour of day, weekday) must use the interval
*start* (:func:`interval_start`), so the interval ending at midnight on 1 Feb
belongs to January.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._text import did_you_mean, unknown_key_message  # noqa: F401  (re-exported)
from .errors import InputError


def step_s(x: pd.Series | pd.DataFrame | pd.DatetimeIndex, name: str) -> float:
    """Return the fixed time step of ``x`` in seconds, or raise a clear error.

    Checks that the index is a tz-aware ``DatetimeIndex`` with a fixed frequency
    (or one that can be inferred: regular, monotonic, no duplicates).
    """
    idx = x if isinstance(x, pd.DatetimeIndex) else x.index
    if not isinstance(idx, pd.DatetimeIndex):
        raise InputError(f"need a tz-aware DatetimeIndex, got {type(idx).__name__}", field=name)
    if idx.tz is None:
        raise InputError("need a tz-aware DatetimeIndex, got naive timestamps; "
                         "localize first (e.g. .tz_localize('America/New_York'))", field=name)
    if len(idx) < 2:
        raise InputError(f"need at least 2 timestamps to know the step, got {len(idx)}", field=name)
    if idx.freq is not None:
        return pd.Timedelta(idx.freq).total_seconds()
    problem = irregularity(idx)
    if problem:
        raise InputError(problem + "; resample or fill first", field=name)
    return (idx[1] - idx[0]).total_seconds()


def irregularity(idx: pd.DatetimeIndex) -> str | None:
    """Describe the first problem that stops ``idx`` being regular, or None."""
    if idx.has_duplicates:
        dup = idx[idx.duplicated()][0]
        return f"duplicate timestamp {dup}"
    d = np.diff(idx.as_unit("ns").asi8)  # asi8 is in the index unit (us in pandas 3): go via ns
    if (d <= 0).any():
        i = int(np.argmax(d <= 0))
        return f"timestamps not increasing at {idx[i + 1]} (after {idx[i]})"
    if len(d) and (d != d[0]).any():
        i = int(np.argmax(d != d[0]))
        gap = pd.Timedelta(int(d[i]), "ns")
        return (f"irregular step at {idx[i + 1]}: {gap} after {idx[i]} "
                f"where the step is {pd.Timedelta(int(d[0]), 'ns')} (gap or missing rows)")
    return None


def interval_start(idx: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Interval-start timestamps for interval-ending labels (label - step).

    A step of whole days steps back on the local calendar (a day at a DST change lasts
    23 or 25 hours), so a daily label at local midnight starts at the previous local
    midnight, not an hour off it.
    """
    step = pd.Timedelta(seconds=step_s(idx, "index"))
    if step >= pd.Timedelta(days=1) and step % pd.Timedelta(days=1) == pd.Timedelta(0):
        wall = idx.tz_localize(None) - step
        return wall.tz_localize(idx.tz, ambiguous=np.ones(len(idx), bool), nonexistent="shift_forward")
    return idx - step


