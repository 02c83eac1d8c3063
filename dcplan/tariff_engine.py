"""Vectorized billing engine behind :meth:`dcplan.tariff.Tariff.bill`.

Pure numpy on arrays shaped (n_scenarios, n_steps); no per-interval Python loop.
Conventions are documented in :mod:`dcplan.tariff`; this module implements them:

* calendar from interval *start* in the index's local time (month, hour, weekday);
* energy per (month, TOU period, tier) with tiers filled chronologically within a
  calendar month (an interval that crosses a tier bound is split);
* demand per (month, period) = max of the interval average (or of the demand-window
  average) kW; demand tiers are blocks, the last one open (:func:`tier_split`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import _ts
from .errors import InputError
from .tariff_holidays import HolidayCalendar

_NS_H = 3_600_000_000_000
_NS_D = 24 * _NS_H
#: Allowed load steps [s]: 5 min to 1 h, dividing an hour.
ALLOWED_STEPS_S = (300, 600, 900, 1200, 1800, 3600)
#: :data:`ALLOWED_STEPS_S` as errors list them.
ALLOWED_STEPS_TEXT = "5, 10, 15, 20, 30 min, 1 h"


@dataclass(frozen=True, eq=False)
class Calendar:
    """Per-interval calendar arrays for one load index (computed once per index)."""

    index: pd.DatetimeIndex
    step_s: float
    month_of_year: np.ndarray   # (N,) 0..11, local, interval start
    hour: np.ndarray            # (N,) 0..23
    weekend: np.ndarray         # (N,) bool: Sat/Sun or holiday
    month_id: np.ndarray        # (N,) 0..M-1 billing month
    month_starts: np.ndarray    # (M,) first interval of each month
    month_label: pd.PeriodIndex  # (M,)
    month_moy: np.ndarray       # (M,) 0..11
    month_year: np.ndarray      # (M,)
    days_in_month: np.ndarray   # (M,) calendar days
    days_covered: np.ndarray    # (M,) days the load covers on the local clock (fractional)
    local_start_ns: np.ndarray  # (N,) local wall-clock interval start [ns]
    slot: np.ndarray            # (N,) weekend * 288 + month_of_year * 24 + hour
    memo: dict = field(default_factory=dict)

    def cached(self, name, anchors: tuple, fn):
        """Memoize ``fn()`` per calendar, keyed by ``name`` and the identity of ``anchors``."""
        key = (name,) + tuple(id(a) for a in anchors)
        hit = self.memo.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], anchors)):
            return hit[1]
        val = fn()
        if len(self.memo) >= 64:  # bound memory when many tariffs are billed on one index
            self.memo.clear()
        self.memo[key] = (anchors, val)
        return val

    def periods(self, weekday: np.ndarray, weekend: np.ndarray) -> np.ndarray:
        """Period index of every interval from 12 x 24 weekday/weekend schedules."""
        return self.cached("periods", (weekday, weekend),
                           lambda: np.concatenate([weekday.ravel(), weekend.ravel()])[self.slot])


def calendar(index: pd.DatetimeIndex, holidays=None, field: str = "load_kw.index") -> Calendar:
    """Check ``index`` and compute the billing calendar.

    ``field`` names ``index`` in errors: ``load_kw.index`` for a bill, ``index`` for the
    price and period of an index (:meth:`dcplan.tariff.Tariff.energy_price`).

    ``holidays``: None, a country code for :func:`holidays.country_holidays` (e.g.
    ``"US"`` or ``"US-VA"``), a ``holidays.HolidayBase``, a tariff's
    :class:`~dcplan.tariff_holidays.HolidayCalendar` (date rules) or an iterable of dates.
    Holidays are billed on the weekend schedules (energy and demand).
    """
    # fill='interpolate' mends a gap in a bill's load, not an index out of order or with repeats
    # (it refuses those): irregularity says what does; step_s checks an index without a freq, this
    # one also an index whose freq is negative (a reversed date_range)
    fix = "resample or pass fill='interpolate'" if field == "load_kw.index" else "resample first"
    step = _ts.step_s(index, field, fix=fix)
    irr = _ts.irregularity(index, fix=fix)
    if irr:
        raise InputError(irr, field=field)
    if int(step) not in ALLOWED_STEPS_S or step != int(step):
        raise InputError(f"interval {_ts.duration_text(round(step * 1e9))} not supported; allowed: {ALLOWED_STEPS_TEXT}",
                         field=field)
    start = index - pd.Timedelta(seconds=step)
    ns = _local_ns(start)  # local wall clock
    days = ns // _NS_D
    hour = (ns - days * _NS_D) // _NS_H
    # per-day quantities (local days are non-decreasing, also across DST), then repeat
    first = np.flatnonzero(np.r_[True, days[1:] != days[:-1]])
    day_idx = np.repeat(np.arange(len(first)), np.diff(np.r_[first, len(days)]))
    uday = days[first]
    weekend_d = (uday + 3) % 7 >= 5  # 1970-01-01 was a Thursday; Monday = 0
    mon_abs_d = uday.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if holidays is not None:
        hol_days = _holiday_days(holidays, mon_abs_d[0] // 12 + 1970, mon_abs_d[-1] // 12 + 1970)
        if len(hol_days):
            weekend_d = weekend_d | np.isin(uday, hol_days)
    month_d = mon_abs_d - mon_abs_d[0]
    n_months = int(month_d[-1]) + 1
    month_id = month_d[day_idx]
    weekend = weekend_d[day_idx]
    month_starts = first[np.searchsorted(month_d, np.arange(n_months))]
    months_abs = np.arange(mon_abs_d[0], mon_abs_d[0] + n_months)
    moy = months_abs % 12
    year = months_abs // 12 + 1970
    dim = np.array([pd.Period(year=int(y), month=int(m) + 1, freq="M").days_in_month
                    for y, m in zip(year, moy)])
    labels = pd.PeriodIndex([pd.Period(year=int(y), month=int(m) + 1, freq="M")
                             for y, m in zip(year, moy)], name="month")
    present = np.bincount(month_d, minlength=n_months) > 0
    if not present.all():
        missing = labels[~present][0]
        raise InputError(f"no load in billing month {missing}; the load has a gap",
                         field=field + ".index")
    moy_i = moy[month_id]
    slot = weekend * 288 + moy_i * 24 + hour
    # days covered: first interval start to last interval end of each month on the local
    # wall clock, so a whole month is exactly its calendar days (also at a DST change)
    last = np.r_[month_starts[1:] - 1, len(ns) - 1]
    covered = (ns[last] + int(round(step * 1e9)) - ns[month_starts]) / _NS_D
    return Calendar(index, step, moy_i, hour, weekend, month_id, month_starts,
                    labels, moy, year, dim, covered, ns, slot)


def _local_ns(start: pd.DatetimeIndex) -> np.ndarray:
    """Local wall-clock ns of a tz-aware index (= ``start.tz_localize(None)``, faster).

    The UTC offset is read at ~512 sample points; only the stretches between samples
    whose offsets differ (DST changes: at most a few per year, never two within one
    stretch of <= 1/512 of the series) are converted element by element.
    """
    utc = start.as_unit("ns").asi8
    n = len(utc)
    pos = np.unique(np.r_[np.arange(0, n, max(1, n // 512)), n - 1])
    samp = start[pos].tz_localize(None).as_unit("ns").asi8 - utc[pos]
    if (samp == samp[0]).all():
        return utc + samp[0]
    off = np.r_[np.repeat(samp[:-1], np.diff(pos)), samp[-1:]]
    for i in np.flatnonzero(samp[1:] != samp[:-1]):
        a, b = pos[i], pos[i + 1] + 1
        off[a:b] = start[a:b].tz_localize(None).as_unit("ns").asi8 - utc[a:b]
    return utc + off


def _holiday_days(spec, y0: int, y1: int) -> np.ndarray:
    import datetime as _dt

    epoch = _dt.date(1970, 1, 1)
    if isinstance(spec, HolidayCalendar):  # a tariff's own rules: no holidays-package import
        return np.array([(d - epoch).days for d in spec.dates(int(y0), int(y1))], dtype=np.int64)
    import holidays as _hol
    if isinstance(spec, str):
        country, _, subdiv = spec.partition("-")
        try:
            cal = _hol.country_holidays(country, subdiv=subdiv or None, years=range(int(y0), int(y1) + 1))
        except (NotImplementedError, KeyError) as exc:
            raise InputError(f"unknown holiday calendar {spec!r}{_calendar_hint(_hol, country, subdiv)} ({exc}); "
                             "use a country code such as 'US' or 'US-VA'", field="holidays") from None
        dates = list(cal.keys())
    elif isinstance(spec, _hol.HolidayBase):
        for y in range(int(y0), int(y1) + 1):
            spec.get(f"{y}-01-01")  # populate the years of the load
        dates = list(spec.keys())
    else:
        try:
            dates = [d if type(d) is _dt.date else pd.Timestamp(d).date() for d in spec]
        except (TypeError, ValueError) as exc:
            raise InputError(f"need a country code (e.g. 'US'), a holidays calendar or a list of "
                             f"dates, got {spec!r:.80} ({exc})", field="holidays") from None
    return np.array(sorted({(d - epoch).days for d in dates}), dtype=np.int64)


def _calendar_hint(hol, country: str, subdiv: str) -> str:
    """`` (did you mean 'US-VA'?)`` for a holiday calendar code the ``holidays`` package does not
    have, its country and subdivision compared case-insensitively (:func:`dcplan._ts.did_you_mean`)."""
    try:
        known = hol.list_supported_countries()
    except Exception:  # noqa: BLE001 - an older holidays package: no suggestion
        return ""
    if country not in known:
        return _ts.did_you_mean(country, known)
    if subdiv:
        hint = _ts.did_you_mean(subdiv, known[country])
        return hint.replace("mean '", f"mean '{country}-") if hint else ""
    return ""


@dataclass(frozen=True, eq=False)
class Runs:
    """Maximal runs of consecutive intervals sharing (month, energy period, demand period).

    Every charge is constant within a run, so the bill needs only each run's kWh and
    maximum kW: two reductions over the full-resolution load, the rest is on runs
    (about 10^3 per year instead of 35,040 intervals).
    """

    starts: np.ndarray       # (R,) first interval of each run
    month: np.ndarray        # (R,) billing month
    ep: np.ndarray           # (R,) energy period
    dp: np.ndarray           # (R,) demand period
    month_first: np.ndarray  # (M,) first run of each month
    memo: dict = field(default_factory=dict)


def runs(cal: Calendar, ep: np.ndarray, dp: np.ndarray) -> Runs:
    """Runs of ``cal`` for energy periods ``ep`` and demand periods ``dp`` (memoized)."""
    def build():
        mi = cal.month_id
        change = np.r_[True, (mi[1:] != mi[:-1]) | (ep[1:] != ep[:-1]) | (dp[1:] != dp[:-1])]
        st = np.flatnonzero(change)
        month = mi[st]
        return Runs(st, month, ep[st], dp[st], np.searchsorted(month, np.arange(len(cal.month_starts))))
    return cal.cached("runs", (ep, dp), build)


#: Most indicator matrices kept per :class:`Runs` (one per number of energy periods is typical).
_RUNS_MEMO_MAX = 8


def run_group_sum(x: np.ndarray, g: np.ndarray, k: int, r: Runs | None = None,
                  key=None) -> np.ndarray:
    """Sum run columns ``x`` (S, R) into ``k`` groups ``g`` (R,) -> (S, k).

    With ``r`` and a hashable ``key`` that determines ``g`` for these runs (e.g. the
    number of periods in ``g = month * n_periods + period``), the (R, k) indicator
    matrix is memoized in ``r.memo`` (at most ``_RUNS_MEMO_MAX`` entries).
    """
    if x.shape[0] == 1:
        return np.bincount(g, weights=x[0], minlength=k)[None, :]
    mkey = ("ind", key, k)
    ind = r.memo.get(mkey) if r is not None and key is not None else None
    if ind is None:
        ind = np.zeros((len(g), k))
        ind[np.arange(len(g)), g] = 1.0
        if r is not None and key is not None:
            if len(r.memo) >= _RUNS_MEMO_MAX:
                r.memo.clear()
            r.memo[mkey] = ind
    return x @ ind


def run_group_max(x: np.ndarray, g: np.ndarray, k: int) -> np.ndarray:
    """Max of run columns ``x`` (S, R) per group ``g`` (R,) -> (S, k); nan for empty groups."""
    order = np.argsort(g, kind="stable")
    gs = g[order]
    st = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
    out = np.full((x.shape[0], k), np.nan)
    out[:, gs[st]] = np.maximum.reduceat(x[:, order], st, axis=1)
    return out


def windowed_demand(kw: np.ndarray, cal: Calendar, window_min: float | None, method: str) -> np.ndarray:
    """Demand series: interval average, or the block / rolling average over the window (rolling: the
    intervals before the first full window take the first full window's average)."""
    if window_min is None:
        return kw
    w_s = window_min * 60.0
    if w_s <= cal.step_s:
        return kw
    n = w_s / cal.step_s
    if abs(n - round(n)) > 1e-9:
        raise InputError(f"demand window {window_min} min is not a multiple of the load interval "
                         f"{cal.step_s / 60:g} min", field="demandwindow")
    n = int(round(n))
    if method == "rolling":
        # sliding windows of n intervals ending at each interval; the intervals before the first full
        # window (the series start) take its average, as they lie in it: a window shorter than the
        # tariff's would average fewer readings (one 15-min reading as a 30-min demand)
        c = np.cumsum(kw, axis=1)
        out = np.empty_like(kw)
        m = min(n, kw.shape[1])  # a series shorter than the window: one window, all of it
        out[:, :m] = (c[:, m - 1] / m)[:, None]
        out[:, n:] = (c[:, n:] - c[:, :-n]) / n
        return out
    # block: clock-aligned windows (e.g. :00-:15); each interval gets its block's average.
    # A new block also starts where the local clock goes back (fall-back DST), so the
    # repeated hour's blocks are not merged with the first pass of that hour.
    def build():
        ns = cal.local_start_ns
        b = ns // int(w_s * 1e9)
        st = np.flatnonzero(np.r_[True, (b[1:] != b[:-1]) | (ns[1:] < ns[:-1])])
        return st, np.diff(np.r_[st, len(b)])
    st, cnt = cal.cached(f"block{w_s}", (cal.local_start_ns,), build)
    return np.repeat(np.add.reduceat(kw, st, axis=1) / cnt, cnt, axis=1)


def tier_split(total: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Split block quantities ``total`` (...,) over tier upper bounds ``upper`` (..., T).

    The last bound is treated as open, as for energy tiers (:func:`energy_by_tier`): demand
    above a last tier's ``max`` is billed at that tier's rate, never dropped (SAM 7.1 bills
    nothing above it; :mod:`dcplan.tariff_lint` warns of such a ``max``). A tier above an
    open (infinite) bound gets 0: periods with fewer tiers are padded with ``inf`` bounds
    (after their own last tier, whose finite bound the padding tier at the same rate
    continues), and ``inf - inf`` would otherwise make the bill NaN.
    """
    upper = np.asarray(upper, float)
    lower = np.concatenate([np.zeros(upper.shape[:-1] + (1,)), upper[..., :-1]], axis=-1)
    upper = np.concatenate([upper[..., :-1], np.full(upper.shape[:-1] + (1,), np.inf)], axis=-1)
    t = total[..., None]
    with np.errstate(invalid="ignore"):
        return np.where(np.isinf(lower), 0.0, np.clip(t, lower, upper) - lower)


def energy_by_tier(e_run: np.ndarray, r: Runs, cal: Calendar, upper: np.ndarray,
                   daily: bool, n_periods: int, peak_kw: np.ndarray | None = None) -> np.ndarray:
    """kWh per (scenario, month, period, tier), tiers filled chronologically per month.

    ``e_run`` (S, R) kWh of each run; ``upper`` (P, T) tier bounds [kWh per month, or
    per day when ``daily``: then times the days the load covers in the month,
    ``cal.days_covered``, so a partial month gets a partial limit; monthly bounds are not
    prorated; per kW of the month's peak when ``peak_kw`` (S, M) is given: then times it, as SAM
    bills kWh/kW tiers]; the last bound is treated as open (see :mod:`dcplan.tariff`).
    Within a run the bound is constant, so the kWh below a bound telescopes to
    ``min(c_end, hi) - min(c_start, hi)`` of the run's cumulative month kWh: an
    interval that crosses a bound is split at it, exactly as interval by interval.
    """
    s = e_run.shape[0]
    m_count = len(cal.month_starts)
    n_t = upper.shape[1]
    g = r.month * n_periods + r.ep
    k = m_count * n_periods
    total = run_group_sum(e_run, g, k, r, key=n_periods).reshape(s, m_count, n_periods)
    out = np.empty((s, m_count, n_periods, n_t))
    if n_t == 1:
        out[..., 0] = total
        return out
    cs = np.cumsum(e_run, axis=1)
    base = np.zeros((s, m_count))
    base[:, 1:] = cs[:, r.month_first[1:] - 1]
    cum_end = cs - base[:, r.month]
    cum_start = cum_end - e_run
    scale = cal.days_covered[r.month] if daily else 1.0
    if peak_kw is not None:  # (S, R): each scenario's bound scales with its own month's peak
        scale = scale * np.asarray(peak_kw, float)[:, r.month]
    prev = None
    for t in range(n_t - 1):  # a handful of tiers; vectorized over scenarios and runs
        hi = upper[r.ep, t] * scale
        upto = run_group_sum(np.minimum(cum_end, hi) - np.minimum(cum_start, hi), g, k, r,
                             key=n_periods)
        upto = upto.reshape(s, m_count, n_periods)
        out[..., t] = upto - (prev if prev is not None else 0.0)
        prev = upto
    out[..., n_t - 1] = np.maximum(total - prev, 0.0)
    return out


def ratchet(peaks: np.ndarray, cal: Calendar, frac: np.ndarray, lookback: int,
            months_mask: np.ndarray, prior_peaks_kw: np.ndarray | None) -> np.ndarray:
    """Billing demand with a ratchet: max(peak_m, frac[moy_m] x max of earlier peaks).

    ``peaks`` (S, M); earlier peaks are those of the ``lookback`` preceding months whose
    calendar month is flagged in ``months_mask``; months before the load use
    ``prior_peaks_kw`` (12 values by calendar month, default 0). Loops over months
    (a few dozen), vectorized over scenarios.
    """
    s, m_count = peaks.shape
    prior = np.zeros((s, 12)) if prior_peaks_kw is None else np.broadcast_to(
        np.asarray(prior_peaks_kw, float), (s, 12))
    moy_hist = np.concatenate([(cal.month_moy[0] - lookback + np.arange(lookback)) % 12,
                               cal.month_moy])
    hist = np.concatenate([prior[:, moy_hist[:lookback]], peaks], axis=1)
    use = months_mask[moy_hist]
    masked = np.where(use[None, :], hist, 0.0)
    out = peaks.copy()
    for m in range(m_count):
        j = m + lookback
        ref = masked[:, j - lookback:j].max(axis=1)
        out[:, m] = np.maximum(peaks[:, m], frac[cal.month_moy[m]] * ref)
    return out


#: Calendars of recent indexes (billing many loads on one index reuses one).
_CAL_CACHE: dict = {}


def cached_calendar(index, holidays, field: str = "load_kw.index") -> Calendar:
    """Calendar of ``index`` (cached: billing many loads on one index reuses it).

    ``field`` names ``index`` in errors (see :func:`calendar`)."""
    if not isinstance(index, pd.DatetimeIndex):
        if isinstance(index, (pd.Series, pd.DataFrame)) and isinstance(index.index, pd.DatetimeIndex):
            raise InputError(f"need a tz-aware DatetimeIndex, got a {type(index).__name__}; pass its "
                             ".index", field=field)
        _ts.step_s(index, field)  # raises, naming what index is and how to make one
    if len(index) < 2 or index.tz is None:
        return calendar(index, holidays, field)
    hkey = holiday_key(holidays, index)
    key = (index[0].value, index[-1].value, len(index), str(index.tz), hkey)
    cal = _CAL_CACHE.get(key)
    if cal is None or not cal.index.equals(index):
        cal = calendar(index, holidays, field)
        if len(_CAL_CACHE) > 16:
            _CAL_CACHE.clear()
        _CAL_CACHE[key] = cal
    return cal


def holiday_key(holidays, index: pd.DatetimeIndex):
    """Cache key of a holiday calendar: the code itself, or the holiday dates.

    Never the object's ``id``: a new list can reuse a freed list's id, and a list
    or ``holidays.HolidayBase`` can change between bills.
    """
    if holidays is None or isinstance(holidays, (str, HolidayCalendar)):
        return holidays  # hashable, compared by value
    y0, y1 = (index[0] - pd.Timedelta(days=1)).year, index[-1].year  # years the calendar reads
    return ("dates",) + tuple(_holiday_days(holidays, y0, y1).tolist())
