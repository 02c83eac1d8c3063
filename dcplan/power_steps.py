"""Grid-facing steps of a site's IT power: the whole steps, and the largest changes within 1, 10 and 60 s.

A utility's large-load study asks how fast and how far a data centre's demand moves, not only
its peak: a synchronous training fleet drops from full power to near idle at every checkpoint
and on every interruption, and climbs back as fast. :func:`power_steps` reads those figures off
a 1-s IT power series (:func:`dcplan.power.site_it_kw` on a 1 s index, interval-ending 1-s averages):

* ``step_up_mw`` / ``step_down_mw``: the largest **step**, the net change of one unbroken run of
  1-s changes of one sign (a zero change or a change of sign ends it), a fall given as its size
  [MW], with ``step_up_s`` / ``step_down_s`` the seconds it spans (its number of 1-s changes) and
  ``step_up_end`` / ``step_down_end`` the interval end of its last second. The model steps
  instantly, but at a fractional second, so the 1-s averages split one step between two seconds
  (northern-virginia: 5,105 -> 9,923 -> 15,735 kW, a 10.63 MW step over 2 s read as 4.82 + 5.81 MW);
  the run puts it back together. Not every run is 2 s: a step next to an iteration's swing of the
  same sign merges with it (northern-virginia's largest fall, 15,734.6 -> 14,309.2 -> 8,486.9 ->
  4,487.9 kW, spans 3 s: a 1.4 MW iteration swing, then the interruption's drop; of its 91 steps a
  day above 50 % of the design IT, 45 span 2 s and 46 span 3 s), and a slow drift is a run too: the
  seconds say which it is (:func:`step_span_label` words them for a published label);
* ``rise_<w>s_mw`` / ``fall_<w>s_mw`` for ``w`` in :data:`STEP_WINDOWS_S` (1, 10, 60): the largest
  net rise / fall within ``w`` seconds, ``max(P[j] - P[i])`` / ``max(P[i] - P[j])`` over
  ``0 < j - i <= w`` (both >= 0) [MW]; at 1 s the largest change between consecutive 1-s averages,
  which understates a step that falls mid-second (above: 5.81 of 10.63 MW). A ramp limit stated in
  MW per minute compares with the 60-s figure, the net change within a minute; the largest 1-s
  change x 60 (an earlier ``ramp_max_mw_per_min``, 349 MW/min there) is half a step said as a rate,
  no ramp a utility study can use, and is no longer given;
* ``steps_per_day``: how many steps a day exceed ``threshold_frac`` x the design IT (each step
  counted once, so a fall spread over two seconds is one). The count is over the series' span,
  scaled to a day (86,400 s), so give at least a day to count a daily event.

The threshold :data:`STEP_THRESHOLD_FRAC` (10 % of design IT) is a dcplan choice, not a published
figure: ``docs/reference-data.md`` has no step or ramp limit for large loads (it lists Dominion's and
ERCOT's large-load queues only), and utilities set their own in each study.

These are steps of **IT power before any UPS or battery smoothing**, at the model's 1-s resolution:
faster transients (the GPUs' millisecond power swings) are not modelled, and what the utility meter
sees is after the UPS, the electrical losses and the cooling plant's slower response.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._ts import step_s
from .errors import InputError

__all__ = ["STEP_THRESHOLD_FRAC", "STEP_WINDOW_S", "STEP_WINDOWS_S", "power_steps", "step_events",
           "step_span_label", "drift_words"]

#: A step counts when its size exceeds this share of the design IT power [frac]. A dcplan choice
#: (2026), not a published figure: docs/reference-data.md has no large-load step limit, and each
#: utility's study sets its own. It does not separate a training fleet's checkpoints from its
#: iterations: at northern-virginia the iterations' 1-s swings reach 2.13 MW (13 % of the design IT,
#: their 90th percentile) every few seconds, so the count at 10 % (about 32,000 a day) is mostly of
#: that oscillation; its checkpoint and interruption steps (about 70 % of design IT) are what a count
#: at 50 % finds (91 a day there).
STEP_THRESHOLD_FRAC = 0.10
#: The longest window of :func:`power_steps`, a minute as ramp limits are usually stated per minute. [s]
STEP_WINDOW_S = 60
#: The windows :func:`power_steps` gives the largest net rise and fall within [s]: 1 s (consecutive
#: 1-s averages), 10 s and a minute; a dcplan choice of windows, not a published set.
STEP_WINDOWS_S = (1, 10, STEP_WINDOW_S)


def _checked(it_kw, name: str = "it_kw") -> np.ndarray:
    """``it_kw``'s values [kW], after checking it is a 1-s series of finite values >= 0 (InputError)."""
    if not isinstance(it_kw, pd.Series):
        raise InputError(f"need a pandas Series of IT power [kW] on a 1 s index, got {type(it_kw).__name__}",
                         field=name)
    st = step_s(it_kw, name)
    if st != 1.0:
        raise InputError(f"need a 1 s step (the steps are read at 1 s and over {STEP_WINDOW_S} s), got {st:g} s; "
                         "allowed: dcplan.power.site_it_kw on a 1 s index", field=name)
    if len(it_kw) <= STEP_WINDOW_S:
        raise InputError(f"{len(it_kw)} seconds is too short for a change over {STEP_WINDOW_S} s; allowed: more "
                         f"than {STEP_WINDOW_S} seconds (a day or more to count a daily event)", field=name)
    v = np.asarray(it_kw, dtype=float)
    bad = ~(np.isfinite(v) & (v >= 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(f"{float(v[i])!r} kW at {it_kw.index[i]} is not a finite power >= 0; allowed: IT power in kW, "
                         ">= 0, no NaN", field=name)
    return v


def _runs(v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The runs of consecutive 1-s changes of one sign of ``v``: each one's net change [kW], and the
    positions in ``np.diff(v)`` of its first and last change. A zero change belongs to no run."""
    d = np.diff(v)
    sign = np.sign(d)
    if not sign.any():
        return np.zeros(0), np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    # a new run where the sign changes; zero changes belong to no run
    start = np.r_[True, sign[1:] != sign[:-1]]
    run_id = np.cumsum(start) - 1
    keep = sign != 0
    n = run_id[-1] + 1
    sums = np.bincount(run_id[keep], weights=d[keep], minlength=n)
    pos = np.nonzero(keep)[0]
    first = np.full(n, len(d), dtype=int)
    last = np.zeros(n, dtype=int)
    np.minimum.at(first, run_id[keep], pos)   # each run's first change
    np.maximum.at(last, run_id[keep], pos)    # and its last
    used = np.unique(run_id[keep])
    return sums[used], first[used], last[used]


def step_events(it_kw: pd.Series) -> pd.Series:
    """The steps of a 1-s IT power series: net change of each run of consecutive 1-s changes of one
    sign [kW] (positive a rise, negative a fall), labelled by the run's last second. A zero change
    or a change of sign ends a run (module docstring)."""
    v = _checked(it_kw)
    sums, _, last = _runs(v)
    return pd.Series(sums, index=it_kw.index[last + 1], name="step_kw")


#: A run of 1-s changes longer than :data:`STEP_WINDOW_S` said in a label: no step, a drift.
_DRIFT = ("longer than the {w} s of a ramp window: a slow drift of the load, with any step in it merged into its "
          "net change, not one step; the largest change within 10 s is step_rise_10s_mw / step_fall_10s_mw")


def step_span_label(direction: str, seconds: int) -> str:
    """The label of ``step_up_s`` / ``step_down_s`` (``direction`` "up" or "down"), built from the value
    ``seconds`` (:func:`power_steps`): how many seconds the run spans, and what a span says. The model's
    instant step at a fractional second spans 2 s of 1-s averages; a run of up to :data:`STEP_WINDOW_S`
    (60) s includes an iteration's swing of the same sign next to the step (merged into its net change);
    a longer one is a slow drift of the load with any step in it merged in, not one step (:func:`drift_words`: a
    serving or mixed fleet's diurnal climb, 7,447 s at phoenix-az); 1 s is a step on a whole second; 0 is no step."""
    if direction not in ("up", "down"):
        raise InputError(f"must be 'up' or 'down', got {direction!r}", field="direction")
    n = int(seconds)
    change = "rises" if direction == "up" else "falls"
    head = f"Seconds the largest step {direction} spans: its run of 1-s {change}"
    if n <= 0:
        return f"{head}; none in the day"
    if n == 1:
        what = "one 1-s change: a step on a whole second"
    elif n == 2:
        what = "the model's instant step, at a fractional second, split between two 1-s averages"
    elif n > STEP_WINDOW_S:
        what = _DRIFT.format(n=n, w=STEP_WINDOW_S)
    else:
        what = ("more than the 2 s of the model's instant step at a fractional second: the run includes "
                "an iteration's power swing (or a drift) next to the step, merged into its net change")
    return f"{head}, spans {n} s ({what})"


def drift_words(seconds: int) -> str:
    """What a largest "step" of ``seconds`` [s] is, for the ``step_up_mw`` / ``step_down_mw`` label: "" for a run of
    up to :data:`STEP_WINDOW_S` (60) s, a step (with an iteration's swing beside it at most); for a longer run,
    "; a slow drift of the load, not one step: ...". A serving or mixed fleet of many independent units has a
    smooth 1-s load (their swings average out) but for its fleet-wide demand bursts, so its longest run of rises is
    its diurnal climb, hours long, a burst's step merged in: phoenix-az's 0.54 MW over 7,447 s is a 0.34 MW burst
    (its step_rise_10s_mw) on a 0.2 MW climb, which the label called one step.

    >>> drift_words(2), drift_words(61)[:50]
    ('', '; a slow drift of the load, not one step: a run lo')
    """
    n = int(seconds)
    if n <= STEP_WINDOW_S:
        return ""
    return (f"; a slow drift of the load, not one step: a run longer than the {STEP_WINDOW_S} s of a ramp window, "
            "with any step in it merged in (the largest change within 10 s is step_rise_10s_mw / step_fall_10s_mw)")


def _within(v: np.ndarray, w: int) -> tuple[float, float]:
    """Largest net rise and fall (its size) of ``v`` within ``w`` samples: ``max(v[j] - v[i])`` and
    ``max(v[i] - v[j])`` over ``0 < j - i <= w``, both >= 0 [v's unit]."""
    rise = fall = 0.0
    for lag in range(1, w + 1):
        d = v[lag:] - v[:-lag]
        rise, fall = max(rise, float(d.max())), max(fall, float(-d.min()))
    return rise, fall


def power_steps(it_kw: pd.Series, design_it_kw: float, *, threshold_frac: float = STEP_THRESHOLD_FRAC) -> dict:
    """The grid-facing step figures of a 1-s IT power series (module docstring).

    Parameters
    ----------
    it_kw : pandas.Series
        Site IT power on a tz-aware 1 s index (:func:`dcplan.power.site_it_kw`), more than 60 s
        long, finite and >= 0. [kW]
    design_it_kw : float
        The design IT power the step threshold is a share of (> 0). [kW]
    threshold_frac : float, default :data:`STEP_THRESHOLD_FRAC` (0.10, a dcplan choice)
        A step counts in ``steps_per_day`` when its size exceeds this share of ``design_it_kw``,
        in (0, 1]. [frac]

    Returns
    -------
    dict
        ``step_up_mw``, ``step_down_mw`` (the largest net step up and down, sizes >= 0, 0 without
        one) [MW], ``step_up_s``, ``step_down_s`` (the seconds each spans, 0 without one) [s],
        ``step_up_end``, ``step_down_end`` (interval end of each one's last second, None without
        one); ``rise_<w>s_mw``, ``fall_<w>s_mw`` for w in :data:`STEP_WINDOWS_S` (largest net
        change within w s, sizes >= 0) [MW]; ``steps_per_day`` [1/d] (steps above the threshold
        in the span, x 86,400 s / the span), ``steps`` (their number in the span),
        ``threshold_kw`` [kW] and ``span_days`` [d].
    """
    v = _checked(it_kw)
    ok = isinstance(design_it_kw, (int, float, np.integer, np.floating)) and not isinstance(design_it_kw, bool)
    if not (ok and np.isfinite(design_it_kw) and design_it_kw > 0):
        raise InputError(f"must be a finite number of kW > 0, got {design_it_kw!r}", field="design_it_kw")
    ok = isinstance(threshold_frac, (int, float, np.integer, np.floating)) and not isinstance(threshold_frac, bool)
    if not (ok and 0.0 < threshold_frac <= 1.0):
        raise InputError(f"must be a share of the design IT in (0, 1] (0.1 for 10 %), got {threshold_frac!r}",
                         field="threshold_frac")
    threshold_kw = float(threshold_frac) * float(design_it_kw)
    sums, first, last = _runs(v)
    n = int((np.abs(sums) > threshold_kw).sum())
    span_days = len(v) / 86400.0          # interval-ending 1-s averages: n samples cover n seconds
    out: dict = {}
    for key, pick in (("up", sums > 0), ("down", sums < 0)):
        if pick.any():
            k = np.nonzero(pick)[0][int(np.argmax(np.abs(sums[pick])))]   # the largest; ties: the first
            out.update({f"step_{key}_mw": abs(float(sums[k])) / 1000.0, f"step_{key}_s": int(last[k] - first[k] + 1),
                        f"step_{key}_end": it_kw.index[last[k] + 1]})
        else:
            out.update({f"step_{key}_mw": 0.0, f"step_{key}_s": 0, f"step_{key}_end": None})
    for w in STEP_WINDOWS_S:
        rise, fall = _within(v, w)
        out.update({f"rise_{w}s_mw": rise / 1000.0, f"fall_{w}s_mw": fall / 1000.0})
    return {**out, "steps_per_day": n / span_days, "steps": n, "threshold_kw": threshold_kw, "span_days": span_days}
