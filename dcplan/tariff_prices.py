"""Real-time price series: the CSV reader and the checks shared with :meth:`Tariff.rtp`.

A price series is interval-ending, tz-aware and regular: one step throughout, or a step
of whole days whose labels keep the same local clock time (daily prices ending at local
midnight: the day of a DST change lasts 23 or 25 hours, which is not a gap). The
CSV reader (dcplan extension key ``dcplan_rtp_price_file``) and :meth:`Tariff.rtp`
accept the same series; both refuse a series whose median is implausible in $/kWh
(:data:`MAX_MEDIAN_PRICE_USD_PER_KWH`), the mark of prices in $/MWh. A series read from a CSV
keeps the file and its first and last rows' UTC offsets in ``attrs``, so a load interval
without a price names that file and the prices' span on its clock (:func:`no_price_error`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

#: Highest median of a real-time price series accepted. [$/kWh]
#: No wholesale market's annual median comes near it: the dearest annual averages on
#: record are about 0.3 EUR/kWh (Italy's PUN and the German day-ahead price in 2022),
#: while a series in $/MWh read as $/kWh has a median of 10-300. The median, not the
#: maximum, is checked: single intervals do reach 5 $/kWh (ERCOT's offer cap, 5,000 $/MWh)
#: or 9 $/kWh (ERCOT's cap in February 2021), but only for hours a year. (A series of a
#: few days inside such an event could exceed it; bill a longer series.)
MAX_MEDIAN_PRICE_USD_PER_KWH = 1.0

_NS_H = 3_600_000_000_000
_NS_D = 24 * _NS_H


def median_slip_message(median: float) -> str:
    """The error for a price series whose median is above :data:`MAX_MEDIAN_PRICE_USD_PER_KWH`."""
    return (f"median price {median:g} $/kWh is above {MAX_MEDIAN_PRICE_USD_PER_KWH:g} $/kWh, which no wholesale "
            f"or real-time price series reaches over a year; allowed: prices in $/kWh. In $/MWh divide by 1000 "
            f"(median {median / 1000:g} $/kWh); in cents per kWh divide by 100 (median {median / 100:g} $/kWh)")


def step_problem(ns: np.ndarray, wall_ns: np.ndarray | None = None) -> tuple[int, int] | None:
    """``(row, usual step ns)`` of the first step that breaks regularity, or None.

    ``ns`` are increasing absolute times; ``wall_ns`` the same times on the local clock.
    Regular: one step throughout, or a whole-day step on the local clock (``wall_ns``; without
    it, days of 24 h +/- 1 h, as at a DST change).
    """
    d = np.diff(ns)
    vals, counts = np.unique(d, return_counts=True)
    step = int(vals[np.argmax(counts)])  # the usual step: a gap is the odd one out
    if (d == step).all():
        return None
    if wall_ns is not None:
        dw = np.diff(wall_ns)
        if dw[0] > 0 and dw[0] % _NS_D == 0 and (dw == dw[0]).all():
            return None
    else:
        k = np.round(d / _NS_D)
        if k[0] >= 1 and (k == k[0]).all() and (np.abs(d - k * _NS_D) <= _NS_H).all():
            return None
    return int(np.argmax(d != step)) + 1, step


def step_ns(price: pd.Series) -> int:
    """Length of a checked price series' first interval. [ns]

    The step after it, except for whole days: the first label's day on the local clock of
    the index (a day at a DST change lasts 23 or 25 h), or on an index without that clock
    (UTC labels of local days) k x 24 h.
    """
    idx = price.index
    ns = idx.as_unit("ns").asi8
    d0 = int(ns[1] - ns[0])
    wall = idx[:2].tz_localize(None)
    dw = wall[1] - wall[0]
    if dw >= pd.Timedelta(days=1) and dw % pd.Timedelta(days=1) == pd.Timedelta(0):
        start = (wall[:1] - dw).tz_localize(idx.tz, ambiguous=np.ones(1, bool), nonexistent="shift_forward")
        return int(ns[0] - start.as_unit("ns").asi8[0])
    k = round(d0 / _NS_D)
    return k * _NS_D if k >= 1 and abs(d0 - k * _NS_D) <= _NS_H else d0


def check_price_series(price, name: str = "price_usd_per_kwh") -> pd.Series:
    """Check a real-time price Series and return it as floats named ``price_usd_per_kwh``.

    Needs a tz-aware DatetimeIndex, at least two rows, unique increasing labels, a
    regular step (:func:`step_problem`; any length, the load is matched to it when
    billed), finite prices and a median at most :data:`MAX_MEDIAN_PRICE_USD_PER_KWH`. [$/kWh]
    """
    if not isinstance(price, pd.Series):
        raise InputError(f"need a pandas Series, got {type(price).__name__}", field=name)
    idx = price.index
    if not isinstance(idx, pd.DatetimeIndex) or idx.tz is None:
        raise InputError(f"need a tz-aware DatetimeIndex, got {type(idx).__name__}, "
                         f"tz={getattr(idx, 'tz', None)}; localize first", field=name)
    if len(idx) < 2:
        raise InputError(f"need at least 2 prices to know the price interval, got {len(idx)}", field=name)
    try:
        v = price.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError("prices must be numbers in $/kWh", field=name) from None
    if not np.isfinite(v).all():
        raise InputError(f"price is NaN/inf at {idx[~np.isfinite(v)][0]}", field=name)
    ns = idx.as_unit("ns").asi8
    d = np.diff(ns)
    if (d <= 0).any():
        i = int(np.argmax(d <= 0))
        raise InputError(f"timestamps not increasing at {idx[i + 1]} (after {idx[i]})", field=name)
    bad = step_problem(ns, idx.tz_localize(None).as_unit("ns").asi8)
    if bad is not None:
        bad = step_problem(ns)  # (a UTC index of daily local prices, as the CSV gives: days of 23/25 h)
    if bad is not None:
        j, step = bad
        raise InputError(f"irregular step at {idx[j]}: {_duration(int(d[j - 1]))} after {idx[j - 1]} where "
                         f"the step is {_duration(step)} (a gap or missing rows)", field=name)
    med = float(np.median(v))
    if med > MAX_MEDIAN_PRICE_USD_PER_KWH:
        raise InputError(median_slip_message(med), field=name)
    return pd.Series(v, index=idx, name="price_usd_per_kwh")


def read_price_csv(name: str, file: str | None):
    """Read a real-time price CSV (dcplan extension key ``dcplan_rtp_price_file``).

    Columns: ``timestamp`` (ISO 8601 with a UTC offset on every row, interval-ending) and
    ``price_usd_per_kwh``; a relative path is relative to the tariff file's folder. The rows
    are checked here, when the tariff is read (so ``dcplan validate`` sees it too): a time
    without an offset (it would be read on the wrong clock), a price that is not a finite
    number, a repeated time, rows out of order, and a step that changes (a gap or missing
    rows: the usual step is the most common one) are errors that name the CSV's row (its
    line number, the header being row 1) and the time as written. Daily prices ending at the
    same local time each day are regular across a DST change (the step is read on the clock
    of the offsets as written: the 23-h day is not a gap). A median above
    :data:`MAX_MEDIAN_PRICE_USD_PER_KWH` is refused as prices in $/MWh. [$/kWh]
    """
    field = "dcplan_rtp_price_file"
    if not isinstance(name, str) or not name.strip():
        raise _err(f"must be the path of a price CSV, got {name!r}", field, file)
    path = Path(name)
    if not path.is_absolute():
        path = (Path(file).parent if file else Path.cwd()) / path
    if not path.is_file():
        raise _err(f"price file {str(path)!r} not found", field, file)
    try:  # as text: the rows are checked as written (read_csv would make "n/a" a silent NaN)
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as exc:
        raise _err(f"{path.name}: not a readable CSV: {str(exc).strip()}", field, file) from None
    if list(df.columns) != ["timestamp", "price_usd_per_kwh"]:
        raise _err(f"{path.name}: columns must be timestamp, price_usd_per_kwh; got {list(df.columns)}",
                   field, file)
    if len(df) < 2:
        raise _err(f"{path.name}: {len(df)} data row(s); need at least two to know the price interval",
                   field, file)
    raw = df["timestamp"].str.strip()
    text = df["price_usd_per_kwh"].str.strip()

    def bad(j: int, msg: str) -> InputError:
        return _err(f"{path.name} row {j + 2}: {msg}", field, file)

    # an offset after a time of day (a date alone, 2025-01-01, ends in "-01" and is not one)
    has_offset = raw.str.contains(r"[T ]\d\d(?::?\d\d){0,2}(?:\.\d+)?\s*(?:[+-]\d\d(?::?\d\d)?|Z)$", regex=True)
    if not has_offset.all():
        j = int(np.argmax(~has_offset.to_numpy()))
        if not raw.iloc[j]:
            raise bad(j, "empty timestamp")
        raise bad(j, f"timestamp {raw.iloc[j]!r} has no UTC offset; write every time with its offset "
                     "(ISO 8601, e.g. 2025-01-01T01:00-06:00): a time without one could be read on the wrong "
                     "clock")
    when = pd.to_datetime(raw, utc=True, format="ISO8601", errors="coerce")
    if when.isna().any():
        j = int(np.argmax(when.isna().to_numpy()))
        raise bad(j, f"timestamp {raw.iloc[j]!r} is not an ISO 8601 time with a UTC offset "
                     "(e.g. 2025-01-01T01:00-06:00)")
    price = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    nonfinite = ~np.isfinite(price)
    if nonfinite.any():
        j = int(np.argmax(nonfinite))
        got = repr(text.iloc[j]) if text.iloc[j] else "an empty cell"
        what = "not a finite number" if np.isinf(price[j]) else "not a number"
        raise bad(j, f"timestamp {raw.iloc[j]!r}: price is {what} (got {got}); give every interval a "
                     "price in $/kWh")
    idx = pd.DatetimeIndex(when)
    ns = idx.as_unit("ns").asi8
    dup = pd.Index(ns).duplicated()
    if dup.any():
        j = int(np.argmax(dup))
        first = int(np.argmax(ns == ns[j]))
        raise bad(j, f"timestamp {raw.iloc[j]!r} is the same time as row {first + 2} ({raw.iloc[first]!r}); "
                     "keep one price per interval")
    d = np.diff(ns)
    if (d < 0).any():
        j = int(np.argmax(d < 0)) + 1
        raise bad(j, f"timestamp {raw.iloc[j]!r} is before the row above it ({raw.iloc[j - 1]!r}); sort the rows "
                     "by time")
    # the local clock as written (each row's own offset): daily prices ending at local midnight
    # keep a 24-h step on it across a DST change
    off = raw.str.extract(r"([+-])(\d\d):?(\d\d)?$")
    sign = np.where(off[0] == "-", -1, 1)
    off_ns = sign * (off[1].fillna("0").astype(int) * 60 + off[2].fillna("0").astype(int)).to_numpy() * 60 * 10**9
    problem = step_problem(ns, ns + off_ns)
    if problem is not None:
        j, step = problem
        raise bad(j, f"timestamp {raw.iloc[j]!r} comes {_duration(d[j - 1])} after the row above it "
                     f"({raw.iloc[j - 1]!r}) where the step is {_duration(step)}; a gap or missing rows: give "
                     "every interval a price")
    med = float(np.median(price))
    if med > MAX_MEDIAN_PRICE_USD_PER_KWH:
        raise _err(f"{path.name}: {median_slip_message(med)}", field, file)
    out = pd.Series(price, index=idx, name="price_usd_per_kwh")
    # where the prices came from, for the bill's "no price for the load interval" error: the file,
    # and the UTC offsets of its first and last rows (its span on its own clock) [min]
    out.attrs["file"] = str(path)
    out.attrs["utc_offsets_min"] = (int(off_ns[0] // 60_000_000_000), int(off_ns[-1] // 60_000_000_000))
    return out


def no_price_error(price: pd.Series, load_index: pd.DatetimeIndex, j: int, p_step_ns: int,
                   start: np.ndarray) -> InputError:
    """The error for load interval ``j`` (of ``load_index``, interval starts ``start`` [ns]) without a
    price (:func:`dcplan.tariff_bill.rtp_on`): the price series' span, first interval
    start .. last interval end, on the clock of the price CSV's own offsets (``attrs`` set by
    :func:`dcplan.tariff_prices.read_price_csv`, which names the file) or the index's."""
    import datetime as _dt

    a = price.index[0] - pd.Timedelta(p_step_ns, "ns")
    b = price.index[-1]
    offs = price.attrs.get("utc_offsets_min")
    if offs:  # the CSV's clock: the first row's offset for the start, the last row's for the end
        a = a.tz_convert(_dt.timezone(_dt.timedelta(minutes=int(offs[0]))))
        b = b.tz_convert(_dt.timezone(_dt.timedelta(minutes=int(offs[1]))))
    p_ns = price.index.as_unit("ns").asi8
    outside = start[j] < p_ns[0] - p_step_ns or load_index.as_unit("ns").asi8[j] > p_ns[-1]
    why = ("is outside them: bill a load inside that span, or give prices for the load's span" if outside else
           "lies across two price intervals: each price interval must contain whole load intervals "
           "(the price labels are not on the load's interval ends)")
    file = price.attrs.get("file")  # (the error names it: the prices are that file's)
    msg = (f"no price for the load interval ending {load_index[j]}: the prices cover {a} .. {b} (first interval "
           f"start .. last interval end, intervals of {_duration(p_step_ns)}), and this load interval {why}")
    return InputError(msg, file=file, field="timestamp") if file else InputError(msg, field="price_usd_per_kwh")


def _err(msg: str, field: str, file: str | None) -> InputError:
    return InputError(msg, field=field, file=file)


def _duration(ns: int) -> str:
    """A length of time for a message: ``15 min``, ``6 h``, ``1 d`` (else pandas' text)."""
    td = pd.Timedelta(int(ns), "ns")
    minutes = td / pd.Timedelta(minutes=1)
    if minutes != int(minutes):
        return str(td)
    if minutes % 1440 == 0:
        return f"{minutes / 1440:g} d"
    return f"{minutes / 60:g} h" if minutes % 60 == 0 else f"{minutes:g} min"
