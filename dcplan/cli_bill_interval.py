"""``dcplan bill --interval`` and ``--fill``: averaging a load to a coarser billing interval
(:func:`to_interval`), what ``--fill interpolate`` filled (:func:`_fill_note`), and durations as the
options take them (:func:`duration_text`). Split from :mod:`dcplan.cli_bill`, which re-exports them.

numpy and pandas are imported inside the functions (see :mod:`dcplan.cli_bill`).
"""
from __future__ import annotations

from .errors import InputError


def _fill_note(load) -> str | None:
    """What ``--fill interpolate`` fills in a load read from a file: missing intervals on the
    load's own (most common) step and empty readings, and the longest run of them."""
    import numpy as np
    import pandas as pd
    idx = load.index
    if len(idx) < 2 or idx.has_duplicates or not idx.is_monotonic_increasing:
        return None  # refused by the bill with its own error
    d = np.diff(idx.as_unit("ns").asi8)
    vals, counts = np.unique(d, return_counts=True)
    step = pd.Timedelta(int(vals[np.argmax(counts)]), "ns")
    full = pd.date_range(idx[0], idx[-1], freq=step)
    gap = ~full.isin(idx) | full.isin(idx[load.isna().to_numpy()])
    n = int(gap.sum())
    if n == 0:
        return None
    edges = np.flatnonzero(np.diff(np.r_[0, gap.astype(np.int8), 0]))
    runs = edges.reshape(-1, 2)
    a, b = max(runs, key=lambda r: r[1] - r[0])
    return (f"Filled: {n:,} of {len(full):,} intervals ({n / len(full):.1%}) by linear interpolation (--fill), "
            f"billed as if metered; the longest gap is {b - a:,} intervals ({_span_text((b - a) * step)}), "
            f"{full[a]} to {full[b - 1]}")


def _span_text(td) -> str:
    """A gap's length as a reader says it: ``14 days``, ``1 day``, else :func:`duration_text`
    (``36h``, ``45min``), never pandas' ``14 days 00:00:00``."""
    import pandas as pd
    td = pd.Timedelta(td)
    if td >= pd.Timedelta(days=1) and td % pd.Timedelta(days=1) == pd.Timedelta(0):
        d = td // pd.Timedelta(days=1)
        return f"{d} day" + ("s" if d != 1 else "")
    return duration_text(td)


def duration_text(td) -> str:
    """A duration as ``--interval`` takes it: the largest unit that writes it whole, of h, min,
    s, ms, us and ns (``1h``, ``15min``, ``90min``, ``30s``), never pandas' ``0 days 01:00:00``.

    >>> import pandas as pd; duration_text(pd.Timedelta("7min")), duration_text(pd.Timedelta(hours=24))
    ('7min', '24h')
    """
    import pandas as pd
    ns = pd.Timedelta(td).value
    for unit, size in (("h", 3_600_000_000_000), ("min", 60_000_000_000), ("s", 1_000_000_000),
                       ("ms", 1_000_000), ("us", 1_000)):
        if ns % size == 0:
            return f"{ns // size}{unit}"
    return f"{ns}ns"


def to_interval(load: pd.Series, interval: str) -> pd.Series:
    """Average a finer interval-ending load to ``interval`` (whole intervals only; an interval
    with a NaN reading is NaN, so the bill refuses it or ``--fill`` fills it).

    Intervals are ``interval`` of elapsed time, ending on the local clock: hours end at :00 local
    in a whole-hour zone, also across a DST change, and at :00 local in a +05:30 zone (:30 UTC).
    A zone whose clock moves by less than ``interval`` at DST (Australia/Lord_Howe: 30 min) cannot
    end them on its clock all year: they keep the alignment of the first reading (its UTC offset
    modulo ``interval``), so a load that starts on the clock starts with a whole interval, and
    ``attrs["interval_note"]`` says so, with the longest interval that ends on the clock all year.
    """
    import numpy as np
    import pandas as pd
    from . import _ts
    try:
        target = pd.Timedelta(interval)
    except ValueError:
        raise InputError(f"not a duration: {interval!r} (e.g. 15min, 1h)", field="--interval") from None
    step = pd.Timedelta(seconds=_ts.step_s(load, "load_kw"))
    if target == step:
        return load
    from .tariff_engine import ALLOWED_STEPS_S, ALLOWED_STEPS_TEXT
    if target not in [pd.Timedelta(seconds=s) for s in ALLOWED_STEPS_S]:  # first: no load step makes it
        # billable (and before averaging, which would blame a DST day's short intervals instead)
        raise InputError(f"interval {interval} is not supported; allowed: {ALLOWED_STEPS_TEXT}",
                         field="--interval")
    if target < step or target % step:
        raise InputError(f"cannot bill a {duration_text(step)} load at {duration_text(target)}: need a "
                         "multiple of the load step", field="--interval")
    n = target // step
    ns = load.index.as_unit("ns").asi8
    # interval ends on the local clock (a +05:30 zone's hours end at :00 local, not :30): each
    # stamp's UTC offset modulo the interval; one alignment for all, so every interval lasts
    # `target` (a clock moving 30 min at DST cannot keep hours on the hour all year)
    off = load.index.tz_localize(None).as_unit("ns").asi8 - ns
    phases = np.unique(off % target.value)
    phase = int(off[0] % target.value)  # the first reading's: a load starting on the clock starts whole
    lab = -(-(ns + phase) // target.value) * target.value - phase
    g = pd.Series(load.to_numpy(), index=lab).groupby(level=0)
    mean, cnt = g.mean(), g.size()
    # a NaN reading makes its interval NaN (refused, or filled by --fill), never averaged away
    mean[g.count() != cnt] = np.nan
    if (cnt != n).any():
        bad = pd.Timestamp(int(cnt.index[np.argmax((cnt != n).to_numpy())]), tz="UTC").tz_convert(load.index.tz)
        raise InputError(f"interval ending {bad} has {int(cnt[cnt != n].iloc[0])} of {n} readings; "
                         "trim the load to whole intervals", field="--interval")
    idx = pd.DatetimeIndex(pd.to_datetime(mean.index.to_numpy(), utc=True)).tz_convert(load.index.tz)
    out = pd.Series(mean.to_numpy(), index=idx, name=load.name)
    if len(phases) > 1:
        out.attrs["interval_note"] = _off_clock_note(idx, off, phase, target, step, ALLOWED_STEPS_S)
    return out


def _off_clock_note(idx, off, phase: int, target, step, allowed_s) -> str:
    """The note for intervals that cannot end on the local clock all year (:func:`to_interval`):
    ``off`` each reading's UTC offset [ns], ``phase`` the alignment kept (offset modulo ``target``)."""
    import numpy as np
    import pandas as pd

    from ._ts import duration_text as text
    from .tariff_load_zones import offset_text
    offs = np.unique(off)
    on = [offset_text(o // 60_000_000_000) for o in offs if (o - phase) % target.value == 0]
    away = [offset_text(o // 60_000_000_000) for o in offs if (o - phase) % target.value != 0]
    wall = idx.tz_localize(None).as_unit("ns").asi8 % target.value
    n_off = int((wall != 0).sum())
    past = text(int(np.median(wall[wall != 0]))) if n_off else "0 min"
    moves = text(int(np.min(np.diff(offs))))
    fit = [s for s in sorted(allowed_s, reverse=True) if step <= pd.Timedelta(seconds=s) < target
           and pd.Timedelta(seconds=s) % step == pd.Timedelta(0) and len({int(v) % (s * 10**9) for v in offs}) == 1]
    option = f"--interval {duration_text(pd.Timedelta(seconds=fit[0]))}" if fit else None
    return (f"Note:   {idx.tz}'s clock moves by {moves} at daylight saving, so intervals of {text(target.value)} "
            f"cannot end on its hours all year: they end on the hour while its UTC offset is {', '.join(on)} and "
            f"{past} past it while {', '.join(away)} ({n_off:,} of {len(idx):,} intervals), and TOU hours, "
            f"weekdays and months are read from those intervals' starts, {past} off the clock; bill "
            + (f"at {text(fit[0] * 10**9)} ({option}) or " if option else "")
            + f"on the load's own {text(step.value)} step to keep every interval on the clock")
