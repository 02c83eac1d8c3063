"""Grid-facing steps of a site's IT power: the largest rise and fall over 1 s and over 60 s.

A utility's large-load study asks how fast and how far a data centre's demand moves, not only
its peak: a synchronous training fleet drops from full power to near idle at every checkpoint
and on every interruption, and climbs back as fast. :func:`power_steps` reads those figures off
a 1-s IT power series (:func:`dcplan.power.site_it_kw` on a 1 s index):

* ``rise_1s_mw`` / ``fall_1s_mw``: the largest increase / decrease between consecutive seconds,
  ``max(P[i] - P[i-1])`` and ``max(P[i-1] - P[i])`` (both >= 0, a fall given as its size) [MW];
* ``rise_60s_mw`` / ``fall_60s_mw``: the same over 60 s, ``P[i] - P[i-60]`` [MW];
* ``ramp_max_mw_per_min``: the largest 1-s change said per minute (x 60 s/min) [MW/min]: at the
  model's resolution a 5.8 MW step within a second is a rate of about 350 MW/min, i.e. a step,
  not a ramp;
* ``steps_per_day``: how many steps a day exceed ``threshold_frac`` x the design IT. A step is a
  run of consecutive 1-s changes of one sign (a zero change or a change of sign ends it), its
  size the run's net change, so a fall spread over two seconds is one step. The count is over
  the series' span, scaled to a day (86,400 s), so give at least a day to count a daily event.

The threshold :data:`STEP_THRESHOLD_FRAC` (10 % of design IT) is a dcplan choice, not a published
figure: ``shared/reference-data.md`` has no step or ramp limit for large loads (it lists Dominion's and
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

__all__ = ["STEP_THRESHOLD_FRAC", "STEP_WINDOW_S", "power_steps", "step_events"]

#: A step counts when its size exceeds this share of the design IT power [frac]. A dcplan choice
#: (2026), not a published figure: shared/reference-data.md has no large-load step limit, and each
#: utility's study sets its own. It does not separate a training fleet's checkpoints from its
#: iterations: at northern-virginia the iterations' 1-s swings reach 2.13 MW (13 % of the design IT,
#: their 90th percentile) every few seconds, so the count at 10 % (about 32,000 a day) is mostly of
#: that oscillation; its checkpoint and interruption steps (about 70 % of design IT) are what a count
#: at 50 % finds (91 a day there).
STEP_THRESHOLD_FRAC = 0.10
#: The longer window of :func:`power_steps`, a minute as ramp limits are usually stated per minute. [s]
STEP_WINDOW_S = 60


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


def step_events(it_kw: pd.Series) -> pd.Series:
    """The steps of a 1-s IT power series: net change of each run of consecutive 1-s changes of one
    sign [kW] (positive a rise, negative a fall), labelled by the run's last second. A zero change
    or a change of sign ends a run (module docstring)."""
    v = _checked(it_kw)
    d = np.diff(v)
    sign = np.sign(d)
    if not sign.any():
        return pd.Series([], index=it_kw.index[:0], dtype=float, name="step_kw")
    # a new run where the sign changes; zero changes belong to no run
    start = np.r_[True, sign[1:] != sign[:-1]]
    run_id = np.cumsum(start) - 1
    keep = sign != 0
    sums = np.bincount(run_id[keep], weights=d[keep], minlength=run_id[-1] + 1)
    last = np.zeros(run_id[-1] + 1, dtype=int)
    np.maximum.at(last, run_id[keep], np.nonzero(keep)[0])   # each run's last change
    used = np.unique(run_id[keep])
    return pd.Series(sums[used], index=it_kw.index[last[used] + 1], name="step_kw")


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
        ``rise_1s_mw``, ``fall_1s_mw``, ``rise_60s_mw``, ``fall_60s_mw`` (sizes, >= 0) [MW],
        ``ramp_max_mw_per_min`` [MW/min], ``steps_per_day`` [1/d] (steps above the threshold in
        the span, x 86,400 s / the span), ``steps`` (their number in the span), ``threshold_kw``
        [kW] and ``span_days`` [d].
    """
    v = _checked(it_kw)
    ok = isinstance(design_it_kw, (int, float, np.integer, np.floating)) and not isinstance(design_it_kw, bool)
    if not (ok and np.isfinite(design_it_kw) and design_it_kw > 0):
        raise InputError(f"must be a finite number of kW > 0, got {design_it_kw!r}", field="design_it_kw")
    ok = isinstance(threshold_frac, (int, float, np.integer, np.floating)) and not isinstance(threshold_frac, bool)
    if not (ok and 0.0 < threshold_frac <= 1.0):
        raise InputError(f"must be a share of the design IT in (0, 1] (0.1 for 10 %), got {threshold_frac!r}",
                         field="threshold_frac")
    d1 = np.diff(v)
    d60 = v[STEP_WINDOW_S:] - v[:-STEP_WINDOW_S]
    threshold_kw = float(threshold_frac) * float(design_it_kw)
    ev = step_events(it_kw)
    n = int((ev.abs() > threshold_kw).sum())
    span_days = len(v) / 86400.0          # interval-ending 1-s averages: n samples cover n seconds
    big1 = max(float(d1.max()), float(-d1.min()), 0.0)
    return {"rise_1s_mw": max(float(d1.max()), 0.0) / 1000.0, "fall_1s_mw": max(float(-d1.min()), 0.0) / 1000.0,
            "rise_60s_mw": max(float(d60.max()), 0.0) / 1000.0, "fall_60s_mw": max(float(-d60.min()), 0.0) / 1000.0,
            "ramp_max_mw_per_min": big1 * 60.0 / 1000.0, "steps_per_day": n / span_days, "steps": n,
            "threshold_kw": threshold_kw, "span_days": span_days}
