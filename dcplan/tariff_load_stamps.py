"""A ``dcplan bill`` load CSV's timestamps named as the file writes them, for ``dcplan validate``
and ``dcplan bill``.

:func:`dcplan.validate` may read a load on the UTC clock (offsets that change at DST, no
``--tz``); its problems still name each stamp on the file's own offset and by its row, as
the reader's own errors do (``row 302: value 'ERR'``), so the user finds them in the file.

:func:`check_read_load` runs, on a load ``dcplan bill`` read from a file, the checks
:meth:`dcplan.tariff.Tariff.bill` makes of any load (:func:`dcplan._ts.irregularity`, the
NaN and negative readings of :func:`dcplan.tariff_bill.prepare_load`), before the bill does, so
their errors are said in the file's and the command line's terms: the file's time and value
columns, each stamp as written with its row, ``--fill interpolate`` rather than the Python
keyword; and a clock that repeats an hour under a ``--tz`` without that fall-back is named as
the daylight-saving data it is (:func:`fall_back_problem`).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from ._ts import irregularity
from .errors import InputError


def as_written(file: str, s) -> Callable[..., str]:
    """``at(i)``: the ``i``-th stamp of the load ``s`` read from ``file`` as the file writes it (on
    its own UTC offset, not the UTC clock validate may read it on), ``row=True`` with its row as
    the load reader counts them (header = 1, as "row 302: value 'ERR'"); ``s.index[i]`` when the
    file's first column cannot be matched to ``s``."""
    try:
        raw = pd.read_csv(file, usecols=[0], dtype=str).iloc[:, 0].str.strip().tolist()
    except (ValueError, OSError, pd.errors.ParserError):
        raw = []

    def at(i: int, row: bool = True) -> str:
        if len(raw) != len(s):
            return str(s.index[i])
        try:
            stamp = str(pd.Timestamp(raw[i]))
        except (ValueError, TypeError):
            stamp = repr(raw[i])
        return f"{stamp} (row {i + 2})" if row else stamp
    return at


def irregularity_at(idx, at: Callable[[int], str]) -> str | None:
    """:func:`dcplan._ts.irregularity`'s first problem of ``idx``, its stamps named by ``at`` (a
    duplicate also names the stamp it repeats)."""
    return irregularity(idx, at=at)


#: What mends each problem of a load file's stamps, in ``dcplan bill``'s terms (for
#: :func:`dcplan._ts.irregularity`'s ``fixes``); a gap: :data:`GAP_FIX`.
CLI_FIXES = {"duplicate": "keep one row per interval (delete or average the repeated rows)",
             "order": "sort the rows by time",
             "nat": "give every row a timestamp"}
GAP_FIX = "add the missing rows, or pass --fill interpolate to fill them linearly"


def check_read_load(load: pd.Series, path: str, fill: str | None = None) -> None:
    """Refuse what the bill would refuse of a load read from ``path`` by
    :func:`dcplan.cli_bill.read_load_csv` (its ``attrs`` name the file's columns), in the file's
    terms (see the module docstring). With ``fill`` (``--fill interpolate``), gaps and empty
    readings are filled, so only repeated or unordered stamps and an empty first or last
    reading are refused."""
    time_col = str(load.attrs.get("time_column", "timestamp"))
    col = str(load.attrs.get("column", load.name))
    if len(load) < 2:
        raise InputError(f"need at least 2 timestamps to know the step, got {len(load)}", file=path,
                         field=time_col)  # (dcplan validate's words for it)
    named: list = []

    def at(i: int, row: bool = True) -> str:  # the file is read again only to name a problem
        if not named:
            named.append(as_written(path, load))
        return named[0](i, row)
    problem = irregularity(load.index)  # (cheap when regular; named as the file has it when not)
    if problem:
        problem = irregularity(load.index, fix=GAP_FIX, at=at, fixes=CLI_FIXES)
    if problem and not problem.startswith("irregular step"):
        raise fall_back_problem(load, path, at) or InputError(problem, file=path, field=time_col)
    kw = load.to_numpy(dtype=float)
    bad = ~np.isfinite(kw)
    if fill and bad.any() and (bad[0] or bad[-1]):
        j = 0 if bad[0] else len(kw) - 1
        raise InputError(f"no reading at {at(j)}: --fill interpolate fills only between readings, not the "
                         f"{'first' if j == 0 else 'last'} row; give it a value or remove the row",
                         file=path, field=col)
    if bad.any() and not fill:
        j = int(np.argmax(bad))
        raise InputError(f"NaN/inf load at {at(j)}: an empty, NaN or infinite value in column {col!r}; give "
                         "every interval a reading, or pass --fill interpolate to fill them linearly",
                         file=path, field=col)
    neg = kw < 0
    if neg.any():
        j = int(np.argmax(neg))
        raise InputError(f"negative load {kw[j]:g} kW at {at(j)} in column {col!r}; bills here are for imports "
                         "only: set exports to 0 in the file", file=path, field=col)
    if problem and not fill:
        raise InputError(problem, file=path, field=time_col)


def fall_back_problem(load: pd.Series, path: str, at: Callable[..., str]) -> InputError | None:
    """The error for naive stamps whose clock goes back (a repeated or earlier time) at the time a
    daylight-saving clock falls back, read in a ``--tz`` that does not fall back then (``EST``,
    UTC-5 all year, for a New York meter's local clock): the repeated hour is real data of a
    clock that keeps daylight saving, not a duplicated row. None when the stamps had offsets, the
    clock does not go back, or no zone's clock repeats that time
    (:func:`dcplan.tariff_load_zones.fall_back_zone`)."""
    tz = load.attrs.get("naive_tz")
    if not tz:
        return None
    from .tariff_load_zones import fall_back_zone, offset_text
    wall = load.index.tz_localize(None)
    d = np.diff(wall.as_unit("ns").asi8)
    if not (d <= 0).any():
        return None
    i = int(np.argmax(d <= 0)) + 1  # the first stamp of the repeat
    if "start" in str(load.attrs.get("stamps", "")):  # labels moved to ends: the time as written
        wall = wall - (load.index[1] - load.index[0])
    ns = load.index.as_unit("ns").asi8
    off_min = (load.index.tz_localize(None).as_unit("ns").asi8 - ns) // 60_000_000_000
    fixed = len(np.unique(off_min)) == 1
    zone = fall_back_zone(wall[i], int(off_min[i]) if fixed else None)
    if zone is None:
        return None
    about = (f"{tz} keeps UTC{offset_text(off_min[i])} all year (a fixed offset, no daylight saving)" if fixed
             else f"{tz}'s clock does not repeat that time")
    import zoneinfo
    t = wall[i].to_pydatetime()
    o0, o1 = (zoneinfo.ZoneInfo(zone).utcoffset(t.replace(fold=f)).total_seconds() // 60 for f in (0, 1))
    return InputError(f"the file's clock repeats {wall[i]:%Y-%m-%d %H:%M}: {at(i)} comes after {at(i - 1)}, a "
                      f"daylight-saving fall-back, so its times are on a clock that keeps daylight saving, such as "
                      f"{zone}, and {about}. A naive time in the repeated hour is ambiguous: write the stamps with "
                      f"UTC offsets ({wall[i]:%Y-%m-%dT%H:%M}{offset_text(o0)} the first time, {offset_text(o1)} the "
                      f"second) and give --tz {zone}", file=path, field="--tz")


def dst_order_note(naive: pd.DatetimeIndex, idx: pd.DatetimeIndex, tz: str) -> str | None:
    """The note of a load whose naive stamps in a repeated (fall-back) hour were told apart by the
    row order (``dcplan bill --dst-from-order``): which hours, and the offsets each pass was read
    at. ``naive``: the stamps as written; ``idx``: localized in ``tz``. None when no hour repeats."""
    from .tariff_load_zones import offset_text
    wall = naive.as_unit("ns").asi8
    off = (idx.tz_localize(None).as_unit("ns").asi8 - idx.as_unit("ns").asi8) // 60_000_000_000
    rep = np.flatnonzero(np.diff(wall) <= 0) + 1  # first stamp of each second pass
    if not len(rep):
        return None
    parts = []
    for i in rep:
        d = naive[i]
        first = int(np.flatnonzero(wall == wall[i])[0])
        parts.append(f"{d:%Y-%m-%d %H:%M} (row {first + 2} at {offset_text(off[first])}, row {i + 2} at "
                     f"{offset_text(off[i])})")
    return (f"Note:   the {tz} clock repeats the times from {', '.join(parts)}: they were read from the row "
            "order (--dst-from-order), the first pass as daylight time, the second as standard time; if the file "
            "is not in time order there, write the stamps with UTC offsets instead")
