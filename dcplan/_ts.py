"""Time-series conventions shared by every model function.

dcplan time series are ``pandas`` objects on a tz-aware, regular
``DatetimeIndex`` with a fixed ``freq``. Values are **interval-ending**
averages: the value labelled 01:00 is the mean over 00:00-01:00. Anything that
groups by calendar period (month, hour of day, weekday) must use the interval
*start* (:func:`interval_start`), so the interval ending at midnight on 1 Feb
belongs to January.
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from . import _text
from .errors import InputError


# one did-you-mean for the package (case-insensitive): dcplan._text's
did_you_mean = _text.did_you_mean
unknown_key_message = _text.unknown_key_message


def step_s(x: pd.Series | pd.DataFrame | pd.DatetimeIndex, name: str, fix: str = "resample or fill first") -> float:
    """Return the fixed time step of ``x`` in seconds, or raise a clear error.

    Checks that the index is a tz-aware ``DatetimeIndex`` with a fixed frequency
    (or one that can be inferred: regular, monotonic, no duplicates). ``fix``: what mends a
    gap, said in the error (:func:`irregularity`).
    """
    idx = _datetime_index(x, name)
    if idx.tz is None:
        raise InputError("need a tz-aware DatetimeIndex, got naive timestamps; "
                         "localize first (e.g. .tz_localize('America/New_York'))", field=name)
    if len(idx) < 2:
        raise InputError(f"need at least 2 timestamps to know the step, got {len(idx)}", field=name)
    if idx.freq is not None:
        return pd.Timedelta(idx.freq).total_seconds()
    problem = irregularity(idx, fix=fix)
    if problem:
        raise InputError(problem, field=name)
    return (idx[1] - idx[0]).total_seconds()


#: What to do about an index that is not regular, by problem (``fix`` covers gaps).
_SORT_FIX = "sort first (.sort_index())"
_DUPLICATE_FIX = "drop or average the repeated rows first (e.g. x[~x.index.duplicated()])"
_NAT_FIX = ("drop those rows or repair their times first (tz_localize(ambiguous='NaT') or "
            "nonexistent='NaT' makes a NaT of a wall time the zone repeats or skips)")


def _datetime_index(x, name: str) -> pd.DatetimeIndex:
    """The index of ``x`` (a DatetimeIndex itself, or a Series' or DataFrame's index).

    Anything else is named as what it is, with how to make an index of it: a list's or an
    array's ``.index`` is a method or missing, and a Series of timestamps has them as its
    values (its index is a RangeIndex)."""
    fix = "pass a pandas DatetimeIndex, e.g. pd.DatetimeIndex(x)"
    if isinstance(x, pd.DatetimeIndex):
        return x
    if isinstance(x, (pd.Series, pd.DataFrame)):
        idx = x.index
        if isinstance(idx, pd.DatetimeIndex):
            return idx
        on = _an(type(idx).__name__)
        if isinstance(x, pd.Series) and pd.api.types.is_datetime64_any_dtype(x.dtype):
            raise InputError(f"need a tz-aware DatetimeIndex, got a Series of timestamps (on {on}); "
                             f"{fix}", field=name)
        raise InputError(f"need a tz-aware DatetimeIndex, got a {type(x).__name__} on {on}; put the "
                         "timestamps in its index (e.g. x.set_axis(pd.DatetimeIndex(times)))", field=name)
    if isinstance(x, pd.Index):
        got = f"{_an(type(x).__name__)} of {x.dtype}"
    elif isinstance(x, np.ndarray):
        got = f"an ndarray of {x.dtype}"
    elif isinstance(x, (list, tuple)):
        got = f"a {type(x).__name__}"
    else:
        got = type(x).__name__
    raise InputError(f"need a tz-aware DatetimeIndex, got {got}; {fix}", field=name)


def _an(noun: str) -> str:
    return ("an " if noun[:1] in "AEIOUaeiou" else "a ") + noun


def irregularity(idx: pd.DatetimeIndex, fix: str | None = None, *, at=None, fixes: dict | None = None) -> str | None:
    """Describe the first problem that stops ``idx`` being regular, or None.

    With ``fix`` (what mends a gap, e.g. ``"resample or fill first"``), the description
    ends with what mends that problem: sorting for timestamps out of order, dropping
    repeats for duplicates, ``fix`` for an irregular step. Resampling or filling does not
    sort an index (``Tariff.bill(fill='interpolate')`` refuses an unsorted one).

    For an index read from a file (``dcplan bill``, ``dcplan validate``): ``at(i)`` names the
    ``i``-th stamp (as the file writes it, with its row: :func:`dcplan.tariff_load_stamps.as_written`),
    and a duplicate then also names the stamp it repeats; ``fixes`` replaces the Python-API
    advice for ``"nat"``, ``"duplicate"`` and ``"order"`` (said in the command line's terms).
    """
    name = at or (lambda i: str(idx[i]))
    how = {"nat": _NAT_FIX, "duplicate": _DUPLICATE_FIX, "order": _SORT_FIX, **(fixes or {})}
    if idx.hasnans:  # NaT: neither out of order nor a gap, and sorting would not mend it
        i = int(np.argmax(idx.isna()))
        return (f"missing timestamp (NaT) {f'after {name(i - 1)}' if i else 'in the first row'}"
                + (f"; {how['nat']}" if fix else ""))
    if idx.has_duplicates:
        i = int(np.argmax(idx.duplicated()))
        first = f", the same instant as {name(int(np.argmax(idx == idx[i])))}" if at else ""
        return f"duplicate timestamp {name(i)}{first}" + (f"; {how['duplicate']}" if fix else "")
    d = np.diff(idx.as_unit("ns").asi8)  # asi8 is in the index unit (us in pandas 3): go via ns
    if (d <= 0).any():
        i = int(np.argmax(d <= 0))
        after = f", after {name(i)}" if at else f" (after {name(i)})"  # (at's names end in "(row n)")
        return (f"timestamps not increasing at {name(i + 1)}{after}"
                + (f"; {how['order']}" if fix else ""))
    if len(d) and (d != d[0]).any():
        i = int(np.argmax(d != d[0]))
        return (f"irregular step at {name(i + 1)}: {duration_text(int(d[i]))} after {name(i)} "
                f"where the step is {duration_text(int(d[0]))} (gap or missing rows)"
                + (f"; {fix}" if fix else ""))
    return None


def duration_text(ns: int) -> str:
    """A duration in nanoseconds in the largest unit of h, min, s, ms, us that writes it
    whole (``2 h``, ``90 min``, ``30 s``), never pandas' ``0 days 02:00:00``.

    >>> duration_text(7_200_000_000_000), duration_text(5_400_000_000_000)
    ('2 h', '90 min')
    """
    ns = int(ns)
    for unit, size in (("h", 3_600_000_000_000), ("min", 60_000_000_000), ("s", 1_000_000_000),
                       ("ms", 1_000_000), ("us", 1_000)):
        if ns % size == 0:
            return f"{ns // size} {unit}"
    return f"{ns} ns"


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




def numeric_problem(values: pd.Series) -> str | None:
    """None when ``values`` hold numbers (an int, float or bool dtype, or an object column of
    real numbers and missing values); else its dtype and the first value that is not a number,
    with its label (``"dtype str, e.g. '1000.0' at 2024-01-01 01:00:00-06:00"``).

    Text is refused even when it reads as a number: ``astype(float)`` would turn ``"1000"``
    into 1000 silently, and a column of text is a file read wrong (a header row in the data,
    a thousands separator), not a load or a weather value.
    """
    dt = values.dtype
    if pd.api.types.is_numeric_dtype(dt):
        return None
    v = values.to_numpy(dtype=object)
    if dt == object:
        bad = np.fromiter((not (x is None or x is pd.NA or isinstance(x, numbers.Real)) for x in v),
                          bool, len(v))
        if not bad.any():
            return None
    else:
        bad = ~pd.isna(values).to_numpy(dtype=bool)  # text, dates...: the first value present
    if not bad.any():
        return f"dtype {dt}"
    i = int(np.argmax(bad))
    return f"dtype {dt}, e.g. {v[i]!r} at {values.index[i]}"
