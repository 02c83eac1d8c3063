"""Checks of a workload profile's shape parameters and mean (:mod:`dcplan.workload`).

Each generator of :mod:`dcplan.workload` checks its ``fleet.profile`` parameters here: names and
defaults from :data:`dcplan.specs.fleet.PROFILE_PARAMS`, shares in [0, 1], durations > 0, event
rates >= 0 and at most :data:`MAX_EVENT_RATES` (the memory a year of events needs); and, when a
mean utilisation is out of a shape's reach, which means it can reach (:func:`_reachable`).
"""
from __future__ import annotations

import math

from ._ts import unknown_key_message
from .errors import InputError
from .specs.fleet import PROFILE_PARAMS

__all__ = ["MAX_EVENT_RATES"]


#: Largest event rates of the profiles [events per hour or day]: every event of a UTC year is
#: drawn at once (the bursts of :class:`Inference`, the interruptions of :class:`Training`), so a
#: rate sets the memory a run needs: 1,000,000 bursts an hour asked 8.8e9 draws a year, 65 GiB per
#: array. One event a minute on average (525,600 a year, 4 MB an array) is the bound: a burst is a
#: demand surge above the diurnal base, and swings faster than that are the profile's noise
#: (``noise_minute_frac``, ``noise_second_frac``); an interruption holds the fleet for at least a
#: whole checkpoint period, so more than one a minute are absorbed by the restarts before them.
MAX_EVENT_RATES = {"burst_rate_per_h": (60.0, "an hour", "one burst a minute on average; faster swings are the "
                                                         "profile's noise, noise_minute_frac and noise_second_frac"),
                   "interruptions_per_day": (1440.0, "a day", "one a minute on average; each restart holds the fleet "
                                                              "for at least a checkpoint period, so more are absorbed")}


def _check_rate(k: str, v: float) -> None:
    """InputError when event rate ``k`` exceeds :data:`MAX_EVENT_RATES` (the memory a year of them needs)."""
    if k not in MAX_EVENT_RATES or v <= MAX_EVENT_RATES[k][0]:
        return
    hi, per, why = MAX_EVENT_RATES[k]
    n_year = v * (8760.0 if per == "an hour" else 365.0)
    raise InputError(f"must be at most {hi:g} {per} ({why}), got {v:g}: the model draws every event of a year at "
                     f"once, {n_year:.3g} a year here, {n_year * 8 / 2 ** 30:.3g} GiB for each array of them",
                     field=f"profile.{k}")


def _check_params(kind: str, params: dict) -> dict:
    allowed = PROFILE_PARAMS[kind]
    for k, v in params.items():
        if k not in allowed:
            raise InputError(unknown_key_message(k, allowed), field=f"profile.{k}")
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
            raise InputError(f"must be a finite number, got {v!r}", field=f"profile.{k}")
    out = dict(allowed)
    out.update({k: float(v) for k, v in params.items()})
    for k, v in out.items():
        if k.endswith(("_frac", "_ratio")) and not 0.0 <= v <= 1.0:
            raise InputError(f"must be in [0, 1], got {v}", field=f"profile.{k}")
        if k.endswith(("_per_h", "_per_day")):     # rates: 0 means none
            if v < 0:
                raise InputError(f"must be >= 0, got {v}", field=f"profile.{k}")
            _check_rate(k, v)
        elif k.endswith(("_s", "_h")) and v <= 0:
            raise InputError(f"must be > 0, got {v}", field=f"profile.{k}")
    return out


def _reachable(lo: float, hi: float, fixes: str) -> str:
    """What to do about a mean a shape cannot reach: the means it can reach, ``lo..hi``
    clipped to [0, 1] and rounded inwards (3 decimals, so every mean shown is reachable),
    then ``fixes`` (the shape parameters to change)."""
    lo, hi = max(lo, 0.0), min(hi, 1.0)
    if lo > hi + 1e-12:
        return f"no mean is reachable with this shape: {fixes}"
    shown_lo, shown_hi = math.ceil(lo * 1000 - 1e-9) / 1000, math.floor(hi * 1000 + 1e-9) / 1000
    if shown_lo > shown_hi:  # a range narrower than the rounding
        return f"the only mean reachable with this shape is about {lo:.4f}: change the mean, or {fixes}"
    return (f"allowed with this shape: a mean of {shown_lo:.3f} to {shown_hi:.3f}; change the mean, "
            f"or {fixes}")


def _check_mean(m: float) -> float:
    if isinstance(m, bool) or not isinstance(m, (int, float)) or not 0.0 <= m <= 1.0:
        raise InputError(f"must be a number in [0, 1], got {m!r}", field="mean_util_frac")
    return float(m)
