"""Monte Carlo distributions checked against the inputs' allowed ranges before the model runs.

:func:`dcplan.tco_uncertainty.monte_carlo` draws each input from the distribution the caller
gives. A distribution that reaches outside what the input allows (a tax rate typed in percent,
``("triangular", 15, 21, 26)``; a normal discount rate whose tail passes below 0) used to fail in
the model on one random draw ("tax_rate_frac: must be a fraction in [0, 1), got 18.094"), quoting
a number the caller never gave. :func:`check_distributions` names the distribution and its
parameters instead (``field="distributions.<input>"``), with a percent hint for fractions and
rates:

* a distribution with bounded support (``truncnormal``, ``uniform``, ``triangular``, ``fixed``,
  ``quantiles``) is refused when its support leaves the allowed range;
* an unbounded one (``normal``; ``lognormal`` above) is refused when more than
  :data:`DRAWS_OUTSIDE_MAX_FRAC` of its probability lies outside, with that share: the draws would
  leave the range (use ``truncnormal``).

The allowed ranges are the model's own (``dcplan.tco_input_types._BOUNDS``, as
:class:`~dcplan.tco_input_types.TcoInputs` and :func:`dcplan.tco.evaluate` check them).
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from scipy import stats

from .errors import InputError
from .tco_input_types import _BOUNDS, _NONNEG

__all__ = ["check_distributions", "support", "check_ranges", "percentile_levels", "quantile_points",
           "DRAWS_OUTSIDE_MAX_FRAC"]

#: Largest share of an unbounded distribution's probability that may lie outside the input's allowed
#: range: one draw in a billion, so even 1,000,000 draws (the notebook's most) leave it with a chance
#: of about 0.1 %. A normal discount rate of mean 0.08 and sd 0.01 (8 sd from 0: 6e-16) passes; sd
#: 0.02 (4 sd: 3.2e-5, a draw below 0 in about one run in three of 10,000 draws) is refused.
DRAWS_OUTSIDE_MAX_FRAC = 1e-9


def _bounds(name: str) -> tuple:
    return _BOUNDS.get(name, (0.0, True, math.inf, True, _NONNEG))


def _g(x) -> str:
    return f"{float(x):g}"


def _shown(kind: str, args: tuple) -> str:
    """The distribution as the caller gave it (a quantiles table by its range)."""
    if kind == "quantiles":
        v = np.asarray(args[1], dtype=float)
        return f"('quantiles', {len(v)} points from {_g(v[0])} to {_g(v[-1])})"
    return "(" + ", ".join([repr(kind)] + [_g(a) for a in args]) + ")"


def _percent_hint(name: str, kind: str, args: tuple, lo: float, hi: float) -> str:
    """``; ... give (0.15, 0.21, 0.26)`` when the input is a fraction or a rate (at most 1), the
    distribution's values read as percents (each 0 or at least 1 in size, one above 1; a normal's sd
    aside) and divided by 100 fit its range."""
    if hi != 1.0 or kind == "quantiles":
        return ""
    loc = {"normal": (0, 1), "lognormal": (0,), "truncnormal": (0, 1, 2, 3), "uniform": (0, 1),
           "triangular": (0, 1, 2), "fixed": (0,)}[kind]
    vals = [float(args[i]) for i in loc if not (kind in ("normal", "truncnormal") and i == 1)]
    # percents: every value 0 or at least 1 in size, one above 1 (15, 21, 26; not 0.5 to 1.2)
    if not (any(abs(v) > hi for v in vals) and all(v == 0 or abs(v) >= 1 for v in vals)):
        return ""
    vals = [float(args[i]) for i in loc]
    scaled = [v / 100.0 for v in vals]
    if not all(lo <= s <= hi for i, s in zip(loc, scaled) if not (kind in ("normal", "truncnormal") and i == 1)):
        return ""
    new = list(args)
    for i, s in zip(loc, scaled):
        new[i] = s
    return (f"; {name} is a fraction, so these look like percents: give "
            f"{_shown(kind, tuple(new))}")


def _share_outside(kind: str, args: tuple, lo: float, hi: float) -> tuple[float, float]:
    """The probability of a draw below ``lo`` and above ``hi`` (normal, lognormal)."""
    if kind == "normal":
        mu, sd = (float(a) for a in args)
        return float(stats.norm.cdf((lo - mu) / sd)), float(stats.norm.sf((hi - mu) / sd))
    med, sig = (float(a) for a in args)
    below = float(stats.norm.cdf((math.log(lo) - math.log(med)) / sig)) if lo > 0 else 0.0
    above = float(stats.norm.sf((math.log(hi) - math.log(med)) / sig)) if math.isfinite(hi) else 0.0
    return below, above


def _pct(x: float) -> str:
    return f"{100.0 * x:.3g} %"


def support(spec: tuple) -> tuple[float, float] | None:
    """The lowest and highest value a distribution ``(kind, *params)`` draws, ``(low, high)``; None for an unbounded
    one (``normal``, ``lognormal``).

    >>> support(("triangular", 0.21, 0.21, 0.30085)), support(("normal", 0.08, 0.01))
    ((0.21, 0.30085), None)
    """
    kind, args = spec[0], tuple(spec[1:])
    if kind in ("normal", "lognormal"):
        return None
    if kind == "quantiles":
        v = np.asarray(args[1], dtype=float)
        return float(v[0]), float(v[-1])
    if kind == "truncnormal":
        return float(args[2]), float(args[3])
    if kind == "triangular":
        return float(args[0]), float(args[2])
    if kind == "uniform":
        return float(args[0]), float(args[1])
    return float(args[0]), float(args[0])


def check_distributions(distributions: Mapping[str, tuple], draws: Mapping[str, np.ndarray],
                        known: Mapping[str, float]) -> None:
    """Refuse a distribution that reaches outside its input's allowed range (module docstring).

    Parameters
    ----------
    distributions : mapping of str to tuple
        ``{input_key: (kind, *params)}``, already checked by :func:`dcplan.tco_uncertainty.sample`.
    draws : mapping of str to ndarray
        The draws :func:`~dcplan.tco_uncertainty.sample` made from them: a draw outside the range
        (possible only within :data:`DRAWS_OUTSIDE_MAX_FRAC`) is refused naming the distribution too.
    known : mapping of str to float
        The model's inputs (``TcoInputs.params()``); an unknown key is left to the model's own error.

    Raises
    ------
    InputError
        ``field="distributions.<input>"``, naming the distribution, its parameters, the allowed range
        and, for an unbounded distribution, the share of its draws outside it.
    """
    for name, spec in distributions.items():
        if name not in known:
            continue
        kind, args = spec[0], tuple(spec[1:])
        lo, lo_inc, hi, hi_inc, what = _bounds(name)
        field, shown = f"distributions.{name}", _shown(kind, args)
        allowed = f"outside what {name} allows, {what}"
        if kind in ("normal", "lognormal"):
            below, above = _share_outside(kind, args, lo, hi)
            if below + above > DRAWS_OUTSIDE_MAX_FRAC:
                parts = ([f"{_pct(below)} below {_g(lo)}"] if below > 0 else []) + \
                        ([f"{_pct(above)} above {_g(hi)}"] if above > 0 else [])
                fix = (f"use ('truncnormal', {_g(args[0])}, {_g(args[1])}, low, high) with low and high inside it"
                       if kind == "normal" else "narrow it (a smaller sigma) or use a bounded distribution")
                raise InputError(f"{shown} would draw values {allowed}: {_pct(below + above)} of its draws "
                                 f"({', '.join(parts)}); {fix}"
                                 + _percent_hint(name, kind, args, lo, hi), field=field)
        else:
            a, b = support(spec)
            # an end of a continuous distribution is drawn with probability 0: only a fixed value or a
            # quantiles table's end (held beyond its probabilities) must itself be allowed
            exact = kind in ("fixed", "quantiles")
            low_bad = a < lo or (exact and a == lo and not lo_inc)
            high_bad = b > hi or (exact and b == hi and not hi_inc)
            if low_bad or high_bad:
                span = f"is {_g(a)}" if a == b else f"draws from {_g(a)} to {_g(b)}"
                raise InputError(f"{shown} {span}, reaching {allowed}"
                                 + _percent_hint(name, kind, args, lo, hi), field=field)
        x = np.asarray(draws[name], dtype=float)
        bad = (x < lo if lo_inc else x <= lo) | (x > hi if hi_inc else x >= hi) | ~np.isfinite(x)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{shown}: draw {i} is {_g(x[i])}, {allowed}", field=field)


def quantile_points(args, field: str) -> tuple[np.ndarray, np.ndarray]:
    """The ``(probs, values)`` of a ``quantiles`` distribution (:func:`dcplan.tco_uncertainty.sample`), checked:
    two lists of the same length (>= 2) of finite numbers, probabilities increasing within [0, 1], values
    not decreasing (an inverse CDF)."""
    try:
        probs, vals = (np.asarray(a, dtype=float) for a in args)
    except (TypeError, ValueError):
        probs = vals = None
    ok = (probs is not None and probs.ndim == vals.ndim == 1 and len(probs) == len(vals) >= 2
          and np.isfinite(probs).all() and np.isfinite(vals).all())
    if not ok:
        raise InputError(f"quantiles needs two lists of the same length (>= 2) of finite numbers, probabilities "
                         f"and values, got {args!r:.120}", field=field)
    if probs[0] < 0 or probs[-1] > 1 or not (np.diff(probs) > 0).all():
        raise InputError(f"quantiles' probabilities must increase within [0, 1], got {probs.tolist()!r:.120}",
                         field=field)
    if not (np.diff(vals) >= 0).all():
        raise InputError(f"quantiles' values must not decrease (an inverse CDF), got {vals.tolist()!r:.120}",
                         field=field)
    return probs, vals


def check_ranges(ranges: Mapping[str, tuple[float, float]], known: Mapping[str, float]) -> None:
    """Refuse a tornado range (:func:`dcplan.tco_uncertainty.tornado`, ``{input: (low, high)}``,
    numbers) whose low or high end is outside what the input allows, naming the range
    (``field="ranges.<input>"``) with the percent hint the Monte Carlo's distributions get: a
    discount rate swung over ``(5.5, 12)`` was refused by the model as "discount_rate_frac: ... got
    5.5", without saying it read as percents. An unknown key is left to the caller's own error."""
    for name, (a, b) in ranges.items():
        if name not in known:
            continue
        lo, lo_inc, hi, hi_inc, what = _bounds(name)
        a, b = float(a), float(b)
        if a < lo or (a == lo and not lo_inc) or b > hi or (b == hi and not hi_inc):
            hint = _percent_hint(name, "uniform", (a, b), lo, hi)
            if hint:  # the uniform's words, as a tornado range
                hint = hint.replace("('uniform', ", "(")
            raise InputError(f"({_g(a)}, {_g(b)}) reaches outside what {name} allows, {what}{hint}",
                             field=f"ranges.{name}")


def percentile_levels(q) -> np.ndarray:
    """The percentiles ``q`` of :func:`dcplan.tco_uncertainty.percentiles`, checked: numbers in
    [0, 100], in percent. ``q`` all <= 1 (``[0.1, 0.5, 0.9]``) is refused as fractions: it computed
    the 0.1th percentile (a draw in a thousand) where the 10th was meant."""
    try:
        qa = np.asarray(q, dtype=float).ravel()
    except (TypeError, ValueError):
        qa = np.array([np.nan])
    if qa.size == 0 or not np.all(np.isfinite(qa)) or np.any((qa < 0) | (qa > 100)):
        raise InputError(f"percentiles must be numbers in [0, 100], got {q!r}", field="q")
    if np.all(qa <= 1.0):
        raise InputError(f"every percentile is <= 1, got {q!r}: q is in percent (10, 50, 90 for the 10th, 50th "
                         f"and 90th percentiles), not fractions; give {[round(100 * x, 10) for x in qa.tolist()]!r}",
                         field="q")
    return qa
