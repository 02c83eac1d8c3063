"""How a published probability is shown: never as floating-point noise, never rounded to a certainty.

A probability computed from a model's tail (:func:`dcplan.grid.on_time_frac` at a lognormal's far end, or
``1 - (1 - p)``) lands on values such as 1.1e-16 or 7.5e-22 that are 0 to the model's precision, and the report's
value column showed them as "1.11e-14 %" and "7.49e-20 %" beside "0 %" for the same event at another site; a
Monte Carlo share of 9,996 draws in 10,000 showed as "100 %". :func:`probability_text` shows a probability below
0.1 % as "< 0.1 %" and above 99.9 % as "> 99.9 %" (the bounds of :func:`dcplan.tco_delay.share_words`, which says
the same in words in the labels), between them as :func:`dcplan.results.format_value` shows a fraction. Only the
display changes: results.json keeps the exact value.

Only the keys of :data:`PROBABILITY_KEYS` are probabilities: other fractions (a MIP gap of 1e-5, a mismatch of
4e-5 of the site's energy) are measurements whose small size is the information, shown as they are.
"""
from __future__ import annotations

import math
from numbers import Real

__all__ = ["PROBABILITY_KEYS", "PROB_LOW_FRAC", "PROB_HIGH_FRAC", "is_probability", "probability_text",
           "shown_probability", "ON_TIME_DIFFERENCE_NOTE"]

#: The published ``frac`` figures that are probabilities (a key's last ``.``-part: a portfolio's
#: ``<site>.<key>`` too): the interconnection notebook's chance of power by the planned date
#: (``p_on_time_frac``, ``p_on_time_grid_only_frac``, and ``p_on_time_unconditioned_frac``, the same chance over
#: the whole wait from filing: left out of this set, it showed as "7.49e-20 %" beside the "< 0.1 %" of
#: ``p_on_time_frac`` for the same value in the same report and index), the TCO's chance of its case's grid dates
#: (``npv_case_grid_on_time_frac``), and the Monte Carlo's shares of draws (``mc_prob_npv_negative_frac``;
#: ``mc_npv_base_percentile_frac``, the share of draws at or below the base case's NPV, and
#: ``mc_npv_grid_delay_p50_percentile_frac``, the same of the NPV at the site's median grid delay), and the
#: portfolio comparison's shares of its 20,000 weight draws in which a site is best (``best_share_uniform_frac``,
#: ``best_share_near_frac``, :func:`dcplan.portfolio_robustness.win_shares`: left out of this set, a share of
#: 0.99995 showed as "100 %", a certainty the draws do not give).
PROBABILITY_KEYS = frozenset({"p_on_time_frac", "p_on_time_grid_only_frac", "p_on_time_unconditioned_frac",
                              "npv_case_grid_on_time_frac",
                              "mc_prob_npv_negative_frac", "mc_npv_base_percentile_frac",
                              "mc_npv_grid_delay_p50_percentile_frac",
                              "best_share_uniform_frac", "best_share_near_frac"})
#: Below this a probability shows as "< 0.1 %", above :data:`PROB_HIGH_FRAC` as "> 99.9 %": one decimal of a
#: percent, the precision of :func:`dcplan.tco_delay.share_words` and more than a 10,000-draw Monte Carlo's
#: sampling error (about 0.5 % at 50 %; dcplan.tco_sampling) or the lead-time model's inputs support.
PROB_LOW_FRAC = 0.001
PROB_HIGH_FRAC = 0.999

#: Why the TCO's chance of its on-plan grid dates (``npv_case_grid_on_time_frac``) and the interconnection
#: notebook's chance of power by the planned date (``p_on_time_frac``) differ slightly for the same event
#: (northern-virginia 0.441 % against 0.435 %): one sentence, in both labels.
ON_TIME_DIFFERENCE_NOTE = (
    "The TCO's npv_case_grid_on_time_frac counts whole days and months (dcplan.tco_grid_dates): a delay under half a "
    "day, which dcplan.grid dates to the planned day itself, is on time there, so it can be slightly above the "
    "interconnection report's p_on_time_frac, the time to power within the planned months exactly "
    "(in dcplan's bundled example portfolio, northern-virginia: 0.441 % against 0.435 %).")


def is_probability(key) -> bool:
    """Whether the published figure ``key`` is a probability (:data:`PROBABILITY_KEYS`, matched on its last
    ``.``-part). ``is_probability("chicago-il.p_on_time_frac")`` is True; ``"week_mip_gap_frac"`` False."""
    return isinstance(key, str) and key.rsplit(".", 1)[-1] in PROBABILITY_KEYS


def probability_text(frac: float) -> str:
    """A probability [frac] as a report shows it: ``"< 0.1 %"`` below :data:`PROB_LOW_FRAC` (0 and
    floating-point noise such as 1.1e-16 included), ``"> 99.9 %"`` above :data:`PROB_HIGH_FRAC` (1 included:
    1 - 1e-22 is 1 in floating point), else :func:`dcplan.results.format_value`'s percent to three significant
    figures.

    >>> probability_text(1.1102230246251565e-16), probability_text(0.0004), probability_text(0.5)
    ('< 0.1 %', '< 0.1 %', '50 %')
    >>> probability_text(0.9996), probability_text(0.004407828531541869), probability_text(0.001)
    ('> 99.9 %', '0.441 %', '0.1 %')
    """
    f = float(frac)
    if not math.isfinite(f):
        raise ValueError(f"probability_text: a probability must be a finite number, got {frac!r}")
    if f < PROB_LOW_FRAC:
        return "< 0.1 %"
    if f > PROB_HIGH_FRAC:
        return "> 99.9 %"
    from .results import format_value
    return format_value(f, "frac")


def shown_probability(key, value, unit) -> str | None:
    """:func:`probability_text` of ``value`` when the figure ``key`` is a probability (:func:`is_probability`)
    published as a finite number in ``frac``; None otherwise (the caller shows it as any other figure)."""
    if unit != "frac" or not is_probability(key) or isinstance(value, bool) or not isinstance(value, Real):
        return None
    if not math.isfinite(float(value)):
        return None
    return probability_text(value)
