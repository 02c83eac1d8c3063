"""Inputs of :mod:`dcplan.schedule` on the schedule grid: alignment, tariff adapter, limits.

Everything :func:`dcplan.schedule.build_problem` turns into the arrays of a
:class:`~dcplan.schedule_lp.Problem`:

* :func:`cap_from_timeline` and the alignment of scalars, arrays and (coarser)
  interval-ending Series onto the schedule index (``_align``);
* the tariff adapter: :func:`demand_charges_from_tariff` reads the demand-charge
  structure (flat and TOU charges, demand tiers, contract floors, ratchets with the
  memory of their look-back months) of a :class:`~dcplan.tariff.Tariff`, and
  ``_fourcp_coef`` its 4CP charge as a linear cost on site kW;
* the site limits: utility curtailment events (``_curtail_ub``) and 4CP avoidance
  windows (``_windows_mask``);
* the job table's windows and runs on the index (``_job_arrays_from_frame``);
* argument checks: the schedule index (:func:`index_step_s`), durations (``_steps``: a rolling
  horizon's commit and look-ahead), solver options, prior peaks and the synthetic job
  generator's arguments (:func:`check_generator_args`).

:mod:`dcplan.schedule` re-exports all of them (:mod:`dcplan.schedule_rolling` imports
them from there).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import _ts
from .errors import InputError
from .schedule_lp import DemandCharge

__all__ = ["cap_from_timeline", "demand_charges_from_tariff"]


# ---------------------------------------------------------------------------- input alignment
def index_step_s(index) -> float:
    """Step of the schedule index, which must be a tz-aware, regular ``DatetimeIndex``. [s]

    Anything else (a list or array of timestamps) is refused with its own type named (the
    check of :func:`dcplan._ts.step_s` would read the ``.index`` attribute of a list: a method).
    """
    if not isinstance(index, pd.DatetimeIndex):
        raise InputError(f"need a tz-aware DatetimeIndex (e.g. pandas.date_range(..., tz=...) or "
                         f"pandas.DatetimeIndex(values)), got {type(index).__name__}", field="index")
    return _ts.step_s(index, "index")


def index_clock(tariff, index: pd.DatetimeIndex) -> None:
    """Refuse a schedule ``index`` on UTC under a ``tariff`` whose charges depend on the clock hour or weekday
    (:func:`dcplan.tariff_clock.check_clock`, naming the argument ``index``): its prices and demand periods would
    be read on UTC hours, every TOU period shifted by the site's UTC offset. No tariff (prices given): nothing."""
    if tariff is not None and hasattr(tariff, "energy_rate") and isinstance(index, pd.DatetimeIndex):
        from .tariff_clock import check_clock
        check_clock(tariff, index, "index")


def _align(x, index: pd.DatetimeIndex, name: str, default=None, posinf_ok: bool = False) -> np.ndarray | None:
    """Scalar, array (N,) or Series on ``index`` (or on a coarser interval-ending grid); finite
    values only (``posinf_ok``: +inf too, "no limit")."""
    n = len(index)
    if x is None:
        return None if default is None else np.full(n, float(default))
    try:
        return _align_numbers(x, index, name, posinf_ok)
    except (TypeError, ValueError) as e:
        if isinstance(e, InputError):
            raise
        raise InputError(f"need numbers (a number, an array of {n} or a Series), got {x!r:.80}",
                         field=name) from None


def _align_numbers(x, index: pd.DatetimeIndex, name: str, posinf_ok: bool) -> np.ndarray:
    n = len(index)
    if np.isscalar(x):
        v = np.full(n, float(x))
    elif isinstance(x, pd.Series):
        if x.index.equals(index):
            v = x.to_numpy(dtype=float)
        else:
            st = _ts.step_s(x, name)
            own = _ts.step_s(index, "index")
            if st < own or abs(st / own - round(st / own)) > 1e-9:
                raise InputError(f"step {st / 60:g} min is not a multiple of the schedule step {own / 60:g} "
                                 "min; reindex it onto the schedule index (for a step timeline use "
                                 "dcplan.schedule.cap_from_timeline)", field=name)
            v = x.to_numpy(dtype=float)[_coarse_positions(x.index, index, st, own, name)]
    else:
        v = np.asarray(x, dtype=float)
        if v.shape != (n,):
            raise InputError(f"need shape ({n},), got {v.shape}", field=name)
    bad = ~np.isfinite(v) if not posinf_ok else np.isnan(v) | (v == -np.inf)
    if bad.any():
        j = int(np.argmax(bad))
        raise InputError(f"NaN/inf at {index[j]}", field=name)
    return v


def _coarse_positions(src: pd.DatetimeIndex, index: pd.DatetimeIndex, step_s: float, own_step_s: float,
                      name: str) -> np.ndarray:
    """Position in ``src`` (labels of a coarser interval-ending series, step ``step_s``) of the
    series interval that holds each interval of ``index`` (step ``own_step_s``). [-]

    Found on the series' own labels, not on whole steps counted from 1970 UTC: the hourly
    series of a zone whose UTC offset is not a whole number of hours (Asia/Kolkata +05:30,
    Asia/Kathmandu +05:45) ends its intervals at :30 or :15 past the UTC hour. Interval
    ``(t - own, t]`` of the schedule must lie in one series interval ``(src[k-1], src[k]]``
    (``src[0] - step_s`` before the first label), else an InputError says which.
    """
    s = src.as_unit("ns").asi8
    t = index.as_unit("ns").asi8
    pos = np.searchsorted(s, t, side="left")  # the first series label at or after each schedule label
    k = np.minimum(pos, len(s) - 1)
    lo = np.where(k > 0, s[k - 1], s[0] - int(round(step_s * 1e9)))  # where series interval k starts
    own = int(round(own_step_s * 1e9))
    outside = (pos >= len(s)) | ((k == 0) & (t - own < lo))
    if outside.any():
        j = int(np.argmax(outside))
        raise InputError(f"no value for the interval ending {index[j]} (series covers {src[0]} .. {src[-1]})",
                         field=name)
    split = t - own < lo
    if split.any():
        j = int(np.argmax(split))
        raise InputError(f"the schedule's interval ending {index[j]} straddles the series' intervals ending "
                         f"{src[k[j] - 1]} and {src[k[j]]}: the series' labels must fall on the schedule's "
                         "grid (reindex it onto the schedule index)", field=name)
    return k


def cap_from_timeline(timeline_kw: pd.Series, index: pd.DatetimeIndex) -> pd.Series:
    """Step timeline (value applies from its timestamp on, e.g. monthly contracted kW from
    :func:`dcplan.grid.capacity_timeline` x 1000) onto interval-ending ``index``. [kW]

    An interval takes the value in force at its start.
    """
    tl = timeline_kw.sort_index()
    starts = _ts.interval_start(index)
    ti = tl.index if tl.index.tz is not None else tl.index.tz_localize(index.tz)
    pos = np.searchsorted(ti.as_unit("ns").asi8, starts.as_unit("ns").asi8, side="right") - 1
    if (pos < 0).any():
        raise InputError(f"timeline starts {ti[0]}, after the first interval start {starts[0]}",
                         field="timeline_kw")
    return pd.Series(tl.to_numpy(float)[pos], index=index, name="cap_kw")


def _month_abs(index: pd.DatetimeIndex, step_s: float) -> np.ndarray:
    start = (index - pd.Timedelta(seconds=step_s)).tz_localize(None)
    return (start.year.to_numpy() * 12 + start.month.to_numpy() - 1).astype(np.int64)


# ---------------------------------------------------------------------------- tariff adapter
def demand_charges_from_tariff(tariff, index: pd.DatetimeIndex, *, prior_peaks_kw=None,
                               history_kw: dict | None = None, future_floor_kw: float = 0.0,
                               ratchet_lookahead: bool = True) -> list[DemandCharge]:
    """Demand charges of ``tariff`` on ``index`` in the scheduling model's terms.

    Parameters
    ----------
    tariff : dcplan.tariff.Tariff
    index : pandas.DatetimeIndex
        Schedule index (interval-ending).
    prior_peaks_kw : sequence of 12 floats, optional
        As :meth:`Tariff.bill`: peaks (Jan..Dec) of the year before ``index``. [kW]
    history_kw : dict, optional
        ``{charge name: {absolute month: peak kW}}`` (overrides ``prior_peaks_kw``);
        used by the rolling horizon.
    future_floor_kw : float
        Forecast own peak of months after the horizon (ratchet memory). [kW]
    ratchet_lookahead : bool
        Add the ratchet's months after the horizon to the objective.
    """
    step = index_step_s(index)
    mabs = _month_abs(index, step)
    months = np.unique(mabs)
    esc_f = tariff.escalation_frac_per_year.get("demand", 0.0) if tariff.escalation_base_year else 0.0

    def esc(a):
        return (1.0 + esc_f) ** (np.asarray(a) // 12 - tariff.escalation_base_year) if esc_f else np.ones(
            np.shape(a))

    rat = tariff.ratchet_frac is not None and tariff.ratchet_lookback_months > 0
    L = int(tariff.ratchet_lookback_months) if rat else 0
    mask = tariff.ratchet_months_mask if tariff.ratchet_months_mask is not None else np.ones(12, bool)
    out = []

    def hist_for(name):
        if history_kw is not None:
            return dict(history_kw.get(name, {}))
        if prior_peaks_kw is None:
            return {}
        pp = check_prior_peaks(prior_peaks_kw)
        return {int(a): float(pp[int(a) % 12]) for a in range(int(months[0]) - 12, int(months[0]))}

    def future(rate_fn, floor):
        if not (rat and ratchet_lookahead):
            return []
        return [(a, rate_fn(a), max(floor, future_floor_kw)) for a in range(int(months[-1]) + 1,
                                                                              int(months[-1]) + 1 + L)]

    if tariff.flat_rate is not None:
        floor = tariff.contract_kw * tariff.contract_min_frac_flat if tariff.contract_kw is not None else 0.0

        def flat_rate(a):
            return tariff.flat_rate[int(tariff.flat_months[int(a) % 12])] * esc(a)
        rates = np.array([flat_rate(a) for a in months])
        out.append(DemandCharge("flat", np.ones(len(index), bool), rates,
                                tariff.flat_upper[int(tariff.flat_months[int(months[0]) % 12])].astype(float),
                                floor, tariff.ratchet_frac if rat else None, L, mask, hist_for("flat"),
                                future(flat_rate, floor)))
    if tariff.demand_rate is not None:
        dp = tariff.demand_period(index).to_numpy()
        floor = tariff.contract_kw * tariff.contract_min_frac_tou if tariff.contract_kw is not None else 0.0
        names = tariff.demand_period_names or tuple(range(tariff.demand_rate.shape[0]))
        tou_rat = rat and tariff.flat_rate is None
        for q in np.unique(dp):
            if not tariff.demand_rate[q].any() and not floor:
                continue
            nm = f"tou:{names[q]}"

            def tou_rate(a, q=q):
                return tariff.demand_rate[q] * esc(a)
            rates = np.array([tou_rate(a) for a in months])
            out.append(DemandCharge(nm, dp == q, rates, tariff.demand_upper[q].astype(float), floor,
                                    tariff.ratchet_frac if tou_rat else None, L if tou_rat else 0, mask,
                                    hist_for(nm), future(tou_rate, floor) if tou_rat else []))
    return out


def _fourcp_coef(tariff, index, step_s) -> np.ndarray:
    """Linear 4CP cost on site kW: 12 x rate / n_peaks(year) / n_intervals per peak. [$/kW]"""
    c = np.zeros(len(index))
    if tariff is None or not tariff.fourcp_usd_per_kw_month:
        return c
    a = index.as_unit("ns").asi8
    iv = pd.Timedelta(tariff.fourcp_interval).value
    years = [pd.Timestamp(t).tz_convert(index.tz).year for t in tariff.fourcp_peaks]
    esc_f = tariff.escalation_frac_per_year.get("demand", 0.0) if tariff.escalation_base_year else 0.0
    for ts, y in zip(tariff.fourcp_peaks, years):
        lo, hi = np.searchsorted(a, ts.value - iv, "right"), np.searchsorted(a, ts.value, "right")
        if hi <= lo:
            continue
        k = years.count(y)
        f = (1 + esc_f) ** (y + 1 - tariff.escalation_base_year) if esc_f else 1.0
        c[lo:hi] += 12.0 * tariff.fourcp_usd_per_kw_month * f / k / (hi - lo)
    return c


# ---------------------------------------------------------------------------- limits and windows
def _windows_mask(windows, index, step_s, name) -> np.ndarray:
    """Boolean (N,) from a bool Series on ``index`` or a list of (start, end) times."""
    if windows is None:
        return np.zeros(len(index), bool)
    if isinstance(windows, pd.Series):
        return _align(windows.astype(float), index, name) > 0.5
    m = np.zeros(len(index), bool)
    starts = index - pd.Timedelta(seconds=step_s)
    for i, w in enumerate(windows):
        try:
            s, e = pd.Timestamp(w[0]), pd.Timestamp(w[1])
        except (TypeError, ValueError, IndexError):
            raise InputError(f"need (start, end), got {w!r}", field=f"{name}[{i}]") from None
        if s.tz is None or e.tz is None:
            raise InputError(f"{w!r} needs time zones", field=f"{name}[{i}]")
        m |= (index > s) & (starts < e)
    return m


def _finite_nonneg(v, field: str) -> float:
    """``v`` as a float, which must be finite and >= 0 (else an InputError naming ``field``)."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        f = None
    if f is None or not np.isfinite(f) or f < 0:
        raise InputError(f"must be a finite number >= 0, got {v!r}", field=field)
    return f


def check_solver_options(mip_rel_gap, time_limit_s) -> tuple[float, float]:
    """``(mip_rel_gap, time_limit_s)`` as floats: a gap >= 0 (HiGHS's relative MIP gap; a negative
    one only made scipy warn) and a time limit > 0 (``inf``: none), else an InputError."""
    try:
        gap = float(mip_rel_gap)
    except (TypeError, ValueError):
        gap = None
    if gap is None or isinstance(mip_rel_gap, bool) or not np.isfinite(gap) or gap < 0:
        raise InputError(f"mip_rel_gap must be >= 0 (a finite relative gap, e.g. 1e-3 for 0.1 %), got "
                         f"{mip_rel_gap!r}", field="mip_rel_gap")
    try:
        lim = float(time_limit_s)
    except (TypeError, ValueError):
        lim = None
    if lim is None or isinstance(time_limit_s, bool) or np.isnan(lim) or lim <= 0:
        raise InputError(f"time_limit_s must be > 0 seconds (inf: no limit), got {time_limit_s!r}",
                         field="time_limit_s")
    return gap, lim


def _duration(v, name: str, allowed: str) -> pd.Timedelta | None:
    """``v`` as a pandas duration ("7D", "24h", a Timedelta), or None when it is none. A number
    without a unit (``24``, ``"24"``: pandas would read nanoseconds) is an InputError."""
    try:
        float(v)
        bare = not isinstance(v, bool)
    except (TypeError, ValueError):
        bare = False
    if bare:
        raise InputError(f"{name} {v!r} is a number without a unit; give a duration such as '7D' or '24h' "
                         f"({allowed})", field=name)
    try:
        td = pd.Timedelta(v)
    except (TypeError, ValueError):
        return None
    return None if td is pd.NaT else td


def _steps(length, name: str, step_s: float, *, minimum: int) -> int:
    """``length`` (a pandas duration: "7D", "36h") in whole steps of the index, at least ``minimum``."""
    st = f"{step_s / 3600:g} h" if step_s >= 3600 else f"{step_s / 60:g} min"
    what = f"at least one step of the index ({st})" if minimum else ">= 0"
    td = _duration(length, name, what)
    if td is None:
        raise InputError(f"{name} {length!r} is not a length of time; allowed: a duration ({what}), e.g. 7D, "
                         "36h or 90min", field=name)
    k = int(round(td.total_seconds() / step_s))
    if td.total_seconds() < 0 or k < minimum:
        raise InputError(f"{name} {length!r} must be {what}", field=name)
    return k


def check_generator_args(start, days, n_jobs, n_training, n_nonpreemptible, flex_kw, utilisation_frac,
                         kw_per_accelerator, step, seed) -> tuple[pd.Timestamp, pd.Timedelta]:
    """The arguments of :func:`dcplan.schedule_generate.generate_jobs`, checked before any draw: an
    InputError names the argument, its value and what is allowed. Returns ``start`` as a
    Timestamp and ``step`` as a Timedelta."""
    try:
        ts = pd.Timestamp(start)
    except (TypeError, ValueError):
        ts = None
    if ts is None or ts is pd.NaT or ts.tz is None:
        raise InputError(f"must be a tz-aware timestamp (e.g. '2025-07-07T00:00-05:00'), got {start!r}", field="start")
    for name, v, lo in (("n_jobs", n_jobs, 1), ("n_training", n_training, 0),
                        ("n_nonpreemptible", n_nonpreemptible, 0), ("seed", seed, 0)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise InputError(f"must be a whole number >= {lo}, got {v!r}", field=name)
    if n_training + n_nonpreemptible > n_jobs:
        raise InputError(f"n_training + n_nonpreemptible = {n_training + n_nonpreemptible} "
                         f"exceeds n_jobs = {n_jobs}", field="n_jobs")

    def real(v):
        return not isinstance(v, bool) and isinstance(v, (int, float, np.integer, np.floating))
    for name, v in (("days", days), ("kw_per_accelerator", kw_per_accelerator), ("flex_kw", flex_kw)):
        if not (name == "flex_kw" and v is None) and not (real(v) and 0 < v < np.inf):
            raise InputError(f"must be a finite number > 0{' (or None)' if name == 'flex_kw' else ''}, got {v!r}",
                             field=name)
    if not (real(utilisation_frac) and 0 < utilisation_frac <= 1):
        raise InputError(f"must be a fraction in (0, 1], got {utilisation_frac!r}", field="utilisation_frac")
    stp = _duration(step, "step", "a positive duration")
    if stp is None or stp <= pd.Timedelta(0):
        raise InputError(f"must be a positive duration such as '15min' or '1h', got {step!r}", field="step")
    if pd.Timedelta(days=float(days)) < stp:
        raise InputError(f"{days!r} days is shorter than one step of {step!r}: job times are rounded to the step",
                         field="days")
    if flex_kw is not None and flex_kw < kw_per_accelerator:
        raise InputError(f"{flex_kw!r} kW is less than one accelerator (kw_per_accelerator {kw_per_accelerator:g} "
                         "kW): the mix needs room for at least one", field="flex_kw")
    return ts, stp


def check_prior_peaks(prior_peaks_kw) -> np.ndarray | None:
    """``prior_peaks_kw`` as 12 floats (Jan..Dec), checked as :meth:`Tariff.bill` checks them
    (the same message), or None."""
    if prior_peaks_kw is None:
        return None
    from .tariff import _check_prior_peaks
    return _check_prior_peaks(prior_peaks_kw, 1).reshape(12)


def _curtail_ub(curtailments, index, step_s, known_at=None) -> np.ndarray:
    """Site kW limit per interval from curtailment events (inf where none)."""
    ub = np.full(len(index), np.inf)
    if curtailments is None:
        return ub
    df = pd.DataFrame(curtailments)
    need = {"start", "end", "limit_kw"}
    if not need <= set(df.columns):
        raise InputError(f"curtailment events need columns {sorted(need)} (optional notice_h), got "
                         f"{list(df.columns)}", field="curtailments")
    starts = index - pd.Timedelta(seconds=step_s)
    # the limits from their own column (a row of mixed types would turn a NaN limit into NaT)
    lims = [_finite_nonneg(v, f"curtailments[{i}].limit_kw") for i, v in enumerate(df["limit_kw"].tolist())]
    for (i, ev), lim in zip(df.iterrows(), lims):
        s, e = pd.Timestamp(ev["start"]), pd.Timestamp(ev["end"])
        if s.tz is None or e.tz is None or e <= s:
            raise InputError(f"event {i}: need tz-aware start < end, got {s} .. {e}", field="curtailments")
        if known_at is not None:
            notice = s - pd.Timedelta(hours=float(ev.get("notice_h", 0.0) or 0.0))
            if notice > known_at:
                continue
        sel = (index > s) & (starts < e)
        ub[sel] = np.minimum(ub[sel], lim)
    return ub


# ---------------------------------------------------------------------------- job arrays
def _job_arrays_from_frame(jf: pd.DataFrame, index: pd.DatetimeIndex, step_s: float) -> dict:
    """Job window and run arrays on ``index`` (interval-ending labels)."""
    dt = step_s / 3600.0
    starts = index - pd.Timedelta(seconds=step_s)
    es = pd.DatetimeIndex(jf["earliest_start"]).tz_convert(index.tz)
    dl = pd.DatetimeIndex(jf["deadline"]).tz_convert(index.tz)
    t0 = np.searchsorted(starts.as_unit("ns").asi8, es.as_unit("ns").asi8, side="left")
    t1 = np.searchsorted(index.as_unit("ns").asi8, dl.as_unit("ns").asi8, side="right") - 1
    outside = (es < starts[0]) | (dl > index[-1])
    if outside.any():
        j = int(np.argmax(outside))
        raise InputError(f"job {jf.index[j]!r} window {es[j]} .. {dl[j]} is not inside the schedule "
                         f"{starts[0]} .. {index[-1]}", field=f"jobs[{jf.index[j]!r}]")
    e = jf["energy_kwh"].to_numpy(float)
    pw = jf["power_kw"].to_numpy(float)
    n_run = np.ceil(e / (pw * dt) - 1e-9).astype(np.int64)
    # min_run_h rounded up to whole steps (the 1e-9 absorbs float noise: 0.75 h / 0.25 h is 3)
    block = np.maximum(1, np.ceil(jf["min_run_h"].to_numpy(float) / dt - 1e-9)).astype(np.int64)
    pre = jf["preemptible"].to_numpy(bool)
    return dict(names=list(jf.index), preemptible=pre, power_kw=pw, energy_lo_kwh=e.copy(),
                energy_hi_kwh=e.copy(), t0=t0, t1=t1, block=np.where(pre, block, 1), n_run=n_run,
                run_kw=e / (n_run * dt), np_optional=np.zeros(len(jf), bool),
                priority=jf["priority"].to_numpy(float))
