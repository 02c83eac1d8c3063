"""The windows of :mod:`dcplan.schedule_rolling` (each window's inputs and the tail after it), and
the local week a schedule covers.

* :func:`local_week`: the schedule grid of whole local days, midnight to midnight on the local
  clock (a week across a clock change is 167 or 169 h), also where a day has no midnight (a
  clock change at 00:00) or two;
* :func:`window_args`: the slices of the aligned whole-index inputs a window's problem is built from;
* :func:`window_tail`: the :class:`~dcplan.schedule_lp.Tail` where a window's deferred work lands
  (formulation: :mod:`dcplan.schedule_lp_rows`), with the demand each of its months is expected
  to have anyway (persistence forecast; :mod:`dcplan.schedule_rolling`'s docstring).

With on-site PV (``pf.pv_kw``) both carry it: the window's problem and its tail bill the grid
import after it (:mod:`dcplan.schedule_pv`), and the expected demand is that of the import.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError
from .schedule_lp import Tail
from .schedule_pv import grid_import_kw

__all__ = ["window_args", "window_tail", "local_week", "local_day_start", "LocalWeek"]


def local_day_start(day, tz) -> pd.Timestamp:
    """The first instant of local calendar day ``day`` in time zone ``tz``.

    Its midnight, where that exists once; where a clock change at 00:00 skips it (America/Santiago
    on 7 Sep 2025: 00:00 -> 01:00) the first instant after the gap (01:00); where a clock going
    back at 01:00 repeats it (America/Havana on 2 Nov 2025) the first of its two passes (00:00
    -04:00, daylight time).

    Parameters
    ----------
    day : datetime.date, str or timestamp
        The local calendar day (a time of day is refused).
    tz : str or tzinfo
        IANA time zone (``America/New_York``).

    Returns
    -------
    pandas.Timestamp
        tz-aware.
    """
    d = pd.Timestamp(day)
    if d.tzinfo is not None or d != d.normalize():
        raise InputError(f"a local calendar day (YYYY-MM-DD, no time or zone), got {day!r}", field="week_start")
    a = d.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    if pd.isna(a):  # a repeated midnight: the earlier pass
        a = min(d.tz_localize(tz, ambiguous=True, nonexistent="shift_forward"),
                d.tz_localize(tz, ambiguous=False, nonexistent="shift_forward"))
    return a


@dataclass(frozen=True)
class LocalWeek:
    """Whole local days on a schedule grid (:func:`local_week`).

    Attributes
    ----------
    first_day : datetime.date
        The first local day.
    days : int
        Number of local days. [d]
    start, end : pandas.Timestamp
        First instant of the first day and of the day after the last (:func:`local_day_start`);
        tz-aware.
    index : pandas.DatetimeIndex
        Interval-ending grid from ``start + step`` to ``end``, fixed ``freq`` (elapsed time: across
        a clock change it holds the hours that passed, 167 or 169 in a week).
    """

    first_day: dt.date
    days: int
    start: pd.Timestamp
    end: pd.Timestamp
    index: pd.DatetimeIndex

    @property
    def hours(self) -> float:
        """Elapsed hours from ``start`` to ``end`` (168 for a week without a clock change). [h]"""
        return (self.end - self.start) / pd.Timedelta("1h")

    @property
    def text(self) -> str:
        """The span in words: ``Mon 03 Mar 2025 00:00 to Mon 10 Mar 2025 00:00 local time, 167 h (the
        clocks change in it)``."""
        t = f"{self.start:%a %d %b %Y %H:%M} to {self.end:%a %d %b %Y %H:%M} local time, {self.hours:g} h"
        notes = []
        if self.hours != 24 * self.days:
            notes.append(f"not {24 * self.days}: the clocks change in it")
        for day, ts in ((self.first_day, self.start), (self.first_day + dt.timedelta(days=self.days), self.end)):
            if ts.hour or ts.minute:
                notes.append(f"{day:%a %d %b} has no local midnight (the clocks go forward at 00:00): it starts "
                             f"at {ts:%H:%M}")
        return t + (f" ({'; '.join(notes)})" if notes else "")


def local_week(first_day, tz, *, days: int = 7, step: str = "15min") -> LocalWeek:
    """The schedule grid of ``days`` whole local days from ``first_day``: local midnight to local midnight.

    A week from Monday runs to the next Monday's first instant (:func:`local_day_start`), so
    across a clock change it is 167 h (spring) or 169 h (autumn), not 168 absolute hours (which
    would end at 01:00 on the Monday after a spring change, or an hour before the Sunday ends after
    an autumn one). Tariff periods and billing months are local clock times, so the week's bill is
    then that of the days named.

    Parameters
    ----------
    first_day : datetime.date or str
        First local day (YYYY-MM-DD).
    tz : str or tzinfo
        IANA time zone of the local clock.
    days : int, default 7
        Whole local days, >= 1. [d]
    step : str, default "15min"
        Grid step, dividing the span into whole intervals. [pandas offset]

    Returns
    -------
    LocalWeek

    Examples
    --------
    >>> w = local_week("2025-03-03", "America/New_York")
    >>> w.hours, len(w.index), str(w.index[-1])
    (167.0, 668, '2025-03-10 00:00:00-04:00')
    """
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 1:
        raise InputError(f"a whole number of days >= 1, got {days!r}", field="days")
    stp = pd.Timedelta(step)
    if stp <= pd.Timedelta(0):
        raise InputError(f"a positive duration such as 15min, got {step!r}", field="step")
    first = pd.Timestamp(first_day)
    start = local_day_start(first, tz)
    end = local_day_start(first + pd.Timedelta(days=int(days)), tz)
    n = (end - start) / stp
    if n != int(n):
        raise InputError(f"{step!r} does not divide the {(end - start) / pd.Timedelta('1h'):g} h from {start} to {end} "
                         "into whole intervals", field="step")
    index = pd.date_range(start + stp, end, freq=stp)
    return LocalWeek(first.date(), int(days), start, end, index)


def window_args(full_kw, pf, a, b) -> dict:
    """Per-window slices of the aligned full-index inputs."""
    out = dict(full_kw)
    out["cap_kw"] = None
    out["it_cap_kw"] = None  # in the full problem's flexible bound (below)
    out["base_it_kw"] = pf.base_it_kw[a:b]
    out["pue"] = pf.pue[a:b]
    # the full problem's flexible bound already holds cap and 4CP windows; pass it as a cap
    # (+inf where neither limits the interval: no cap there)
    out["cap_kw"] = (pf.flex_ub_kw[a:b] + pf.base_it_kw[a:b]) * pf.pue[a:b]
    if not np.isfinite(out["cap_kw"]).any():
        out["cap_kw"] = None
    out["cp_windows"] = None
    out["headroom_it_kw"] = None if pf.headroom_it_kw is None else pf.headroom_it_kw[a:b]
    out["carbon_kg_per_kwh"] = None
    out["carbon_usd_per_t"] = 0.0
    out["price_usd_per_kwh"] = pf.energy_usd_per_kwh[a:b] + pf.carbon_usd_per_kwh[a:b]
    out["pv_kw"] = None if pf.pv_kw is None else pf.pv_kw[a:b]
    return out


def window_tail(b, sel, defers_pre, np_opt, t0g, t1g, pre, done, e_tot, started, ja, room_full, fixed, price_site,
                pf, mabs, hist, dt):
    """The :class:`~dcplan.schedule_lp.Tail` after a window ending before interval ``b``, or None
    when the window defers nothing: from ``b`` to the last deadline of the work it may defer,
    with the jobs released later that are due by then (and, of one due later, the energy its
    power cannot do after the tail)."""
    defers = defers_pre | np_opt
    if not defers.any():
        return None
    n_end = int(t1g[sel][defers].max()) + 1
    nt = n_end - b
    open_ = np.where(pre, done < e_tot - 1e-6, started < 0)
    kw = np.where(pre, ja["power_kw"], ja["run_kw"])
    # jobs released later: those due in the tail, and of those due after it the energy their
    # power cannot do after it (it competes for the tail's room too)
    later = np.flatnonzero((t0g >= b) & (t0g < n_end) & open_)
    l_end = np.minimum(t1g[later], n_end - 1)
    l_kwh = np.maximum((e_tot - done)[later] - kw[later] * np.maximum(t1g[later] - (n_end - 1), 0) * dt, 0.0)
    keep = l_kwh > 1e-9
    later, l_end, l_kwh = later[keep], l_end[keep], l_kwh[keep]
    # power of the jobs that may run in each interval (the aggregate's own limit)
    dp = np.zeros(nt + 1)
    ws = sel[defers]
    np.add.at(dp, np.zeros(len(ws), np.int64), kw[ws])
    np.add.at(dp, t1g[ws] - b + 1, -kw[ws])
    np.add.at(dp, t0g[later] - b, kw[later])
    np.add.at(dp, l_end - b + 1, -kw[later])
    sl = slice(b, n_end)
    ub = np.minimum(np.maximum(room_full[sl] - fixed[sl], 0.0), np.cumsum(dp)[:nt])
    m_tail = mabs[sl]
    # persistence: the month before the one the window ends in, if this run scheduled it (not a
    # prior year's peak passed in for the ratchet: the bill of a tariff without one ignores it)
    m_prev = int(mabs[b - 1]) - 1
    if m_prev < int(mabs[0]):
        m_prev = None
    base_grid = grid_import_kw(pf.pue * pf.drawn_base_it_kw, pf.pv_kw)  # the must-run's grid import, as drawn
    m_pos = {int(a): i for i, a in enumerate(pf.months)}
    rates, floors = {}, {}
    for ch in pf.demand:  # every tail month: the window may hold none of a charge's intervals
        rates[ch.name], floors[ch.name] = {}, {}
        for mon in np.unique(m_tail):
            mon = int(mon)
            rates[ch.name][mon] = ch.usd_per_kw[m_pos[mon]]
            inside = ch.member & (mabs == mon)
            # expected anyway: contract floor, the must-run peak, the peak already set in the month,
            # the previous month's peak (persistence)
            floors[ch.name][mon] = max([ch.floor_kw, float(base_grid[inside].max(initial=0.0)),
                                        hist[ch.name].get(mon, 0.0),
                                        hist[ch.name].get(m_prev, 0.0) if m_prev is not None else 0.0])
    job_end = np.where(defers, t1g[sel] - b, -1)
    return Tail(usd_per_kw=price_site[sl] * dt + pf.fourcp_usd_per_kw[sl] * pf.pue[sl], ub_kw=ub,
                site_const_kw=pf.pue[sl] * (pf.drawn_base_it_kw[sl] + fixed[sl]), pue=pf.pue[sl], month_abs=m_tail,
                member={ch.name: ch.member[sl] for ch in pf.demand}, month_usd_per_kw=rates, month_floor_kw=floors,
                upper_kw={ch.name: ch.upper_kw for ch in pf.demand},
                job_end=job_end, later_start=t0g[later] - b, later_end=l_end - b, later_kwh=l_kwh,
                job_kw=kw[sel], later_kw=kw[later], job_block=ja["block"][sel],
                job_block_first=ja["block"][sel] - (b - t0g[sel]) % ja["block"][sel],
                pv_kw=None if pf.pv_kw is None else pf.pv_kw[sl])
