"""Sampling error of the TCO's Monte Carlo: how far its figures move with another seed.

A Monte Carlo of ``n`` draws estimates its figures with an error that falls as ``1/sqrt(n)``: the
share of draws with NPV < 0, ``p``, has the binomial standard error ``sqrt(p (1 - p) / n)``
(:func:`prob_se`); the median NPV has a distribution-free confidence interval from the order
statistics of the draws (:func:`median_interval`: the number of draws below the true median is
Binomial(n, 1/2), whatever the NPV's distribution). :func:`sampling_figures` gives both as figures to
publish, :func:`sampling_note` in a sentence, and :func:`check_sampling` warns (DcplanWarning) when
``n_draws`` is too small for P(NPV < 0) to be read to :data:`SE_WARN_FRAC`.

References
----------
.. [1] W. J. Conover, *Practical Nonparametric Statistics*, 3rd ed., Wiley, 1999, §3.2 (confidence
   interval for a quantile from the order statistics; for n = 100 and 95 %, the median's interval runs
   from the 40th to the 61st smallest draw).
"""
from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import stats

from .errors import DcplanWarning

__all__ = ["SE_WARN_FRAC", "MEDIAN_CONFIDENCE", "prob_se", "median_interval", "draws_for_se", "sampling_figures",
           "sampling_note", "check_sampling", "SAMPLING_LABELS"]

#: Largest standard error of P(NPV < 0) the report takes without a warning: 0.01, one percentage point,
#: the precision the probability is shown to (``0.0%`` in the workbook, one decimal in the report). The
#: tco notebook's default 10,000 draws keeps it below 0.005 at any p (sqrt(0.25 / 10,000)).
SE_WARN_FRAC = 0.01
#: Confidence of :func:`median_interval` (at least this: order statistics give discrete levels).
MEDIAN_CONFIDENCE = 0.95
#: Labels of :func:`sampling_figures`' keys (results.json, the export's Summary).
SAMPLING_LABELS = {
    "mc_prob_npv_negative_se_frac": "Sampling standard error of the probability NPV < 0 (binomial, sqrt(p (1 - p) / "
                                    "n) over the n Monte Carlo draws: how far another seed moves it, not the "
                                    "uncertainty of the inputs)",
    "mc_npv_p50_ci_low_usd": "Median NPV of the Monte Carlo, low end of its 95 % sampling interval (distribution-free, "
                             "from the draws' order statistics: where another seed's median may lie)",
    "mc_npv_p50_ci_high_usd": "Median NPV of the Monte Carlo, high end of its 95 % sampling interval (distribution-free, "
                              "from the draws' order statistics: where another seed's median may lie)",
}


def prob_se(p: float, n: int) -> float:
    """Binomial standard error of a share ``p`` estimated from ``n`` independent draws, ``sqrt(p (1 - p) / n)``.

    >>> prob_se(0.5, 2500)
    0.01
    """
    if not 0.0 <= p <= 1.0 or n < 1:
        raise ValueError(f"prob_se: need p in [0, 1] and n >= 1, got p={p!r}, n={n!r}")
    return math.sqrt(p * (1.0 - p) / n)


def draws_for_se(p: float, se: float = SE_WARN_FRAC) -> int:
    """The fewest draws for which :func:`prob_se` ``(p, n)`` is at most ``se``: ``ceil(p (1 - p) / se^2)``.

    >>> draws_for_se(0.5)
    2500
    """
    return max(1, math.ceil(p * (1.0 - p) / se ** 2 - 1e-9))


def median_interval(draws, confidence: float = MEDIAN_CONFIDENCE) -> tuple[float, float, int, int, float]:
    """Distribution-free confidence interval of the median from ``n`` draws' order statistics [1]_.

    The number of draws below the true median is Binomial(n, 1/2): the interval from the ``j``-th to
    the ``(n + 1 - j)``-th smallest draw covers it with probability ``1 - 2 B(j - 1)`` (``B`` that
    binomial's CDF); ``j`` is the largest with that coverage at least ``confidence``. Non-finite draws
    are left out.

    Returns
    -------
    tuple
        ``(low, high, j, k, coverage)``: the interval's ends, their 1-based ranks among the sorted
        finite draws, and its exact coverage. NaNs and ranks 0 with fewer than 6 finite draws (no
        95 % interval exists: the extremes cover 1 - 2 / 2^n).

    >>> median_interval(np.arange(1.0, 101.0))[:4]
    (40.0, 61.0, 40, 61)
    """
    x = np.sort(np.asarray(draws, dtype=float))
    x = x[np.isfinite(x)]
    n = len(x)
    j = int(stats.binom.ppf((1.0 - confidence) / 2.0, n, 0.5)) if n else 0  # B(j) >= alpha/2 at this j
    while j > 0 and 2.0 * stats.binom.cdf(j - 1, n, 0.5) > 1.0 - confidence + 1e-12:
        j -= 1
    while 2.0 * stats.binom.cdf(j, n, 0.5) <= 1.0 - confidence + 1e-12:  # the largest such j
        j += 1
    if j < 1:
        return math.nan, math.nan, 0, 0, math.nan
    k = n + 1 - j
    return float(x[j - 1]), float(x[k - 1]), j, k, float(1.0 - 2.0 * stats.binom.cdf(j - 1, n, 0.5))


def sampling_figures(npv_draws) -> dict[str, tuple]:
    """The Monte Carlo's sampling error as figures to publish, ``{key: (value, unit, label)}``
    (:data:`SAMPLING_LABELS`): the standard error of P(NPV < 0) and the median's 95 % interval."""
    x = np.asarray(npv_draws, dtype=float)
    n = len(x)
    p = float((x < 0).mean())
    lo, hi, *_ = median_interval(x)
    return {"mc_prob_npv_negative_se_frac": (prob_se(p, n), "frac", SAMPLING_LABELS["mc_prob_npv_negative_se_frac"]),
            "mc_npv_p50_ci_low_usd": (lo if math.isfinite(lo) else None, "USD", SAMPLING_LABELS["mc_npv_p50_ci_low_usd"]),
            "mc_npv_p50_ci_high_usd": (hi if math.isfinite(hi) else None, "USD",
                                       SAMPLING_LABELS["mc_npv_p50_ci_high_usd"])}


def sampling_note(npv_draws) -> str:
    """The sampling error of P(NPV < 0) and of the median NPV, in a sentence (the report's line, the
    export's caveat ``montecarlo_sampling``)."""
    x = np.asarray(npv_draws, dtype=float)
    n = len(x)
    p = float((x < 0).mean())
    lo, hi, j, k, cover = median_interval(x)
    med = float(np.median(x[np.isfinite(x)])) if np.isfinite(x).any() else math.nan
    text = (f"Sampling error of the Monte Carlo ({n:,} draws; another seed gives other figures): P(NPV < 0) = "
            f"{p:.1%} with a standard error of {prob_se(p, n):.4f} (sqrt(p (1 - p) / n))")
    if j:
        text += (f"; the median NPV, {med / 1e6:,.1f} M USD, lies with {cover:.1%} confidence between "
                 f"{lo / 1e6:,.1f} and {hi / 1e6:,.1f} M USD (the sorted draws of rank {j:,} and {k:,}, "
                 "distribution-free)")
    return text + ". The percentiles are shown to the dollar: read them to this precision."


def check_sampling(n_draws: int, prob: float, se_max: float = SE_WARN_FRAC) -> float:
    """The standard error of P(NPV < 0) = ``prob`` from ``n_draws`` draws (:func:`prob_se`), warning
    (DcplanWarning) when it exceeds ``se_max``, naming ``n_draws``, the error and the draws needed."""
    se = prob_se(float(prob), int(n_draws))
    if se > se_max:
        warnings.warn(DcplanWarning(
            f"n_draws {int(n_draws):,}: the Monte Carlo's P(NPV < 0) = {prob:.3f} has a sampling standard error of "
            f"{se:.4f} (sqrt(p (1 - p) / n)), above {se_max:g}: another seed moves it by up to about {2 * se:.1%} "
            f"(two standard errors), and its median NPV with it. Use n_draws >= {draws_for_se(prob, se_max):,} (2,500 at any p; the "
            "notebook's default is 10,000)."), stacklevel=2)
    return se
