"""Weighted operating score of a portfolio's sites (the ``portfolio_comparison`` notebook).

Each criterion (a column of :func:`dcplan.pipeline.case_figures` figures, lower is better)
is min-max scaled across the scored sites, best 0 and worst 1, and the score is the
weighted mean of the scaled criteria (0 = best on every criterion). Scaling is relative:
adding or removing a site changes the other sites' scaled values and can change which
site is best. A site without a figure a weighted criterion needs (a site with no
``tariff:`` section has no electricity cost) is not scored, and is left out of every
criterion's range, so it does not move the others' scores; it is listed with the reason.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .errors import InputError

__all__ = ["weighted_score", "Score"]


@dataclass
class Score:
    """Output of :func:`weighted_score`.

    Attributes
    ----------
    score : pandas.Series
        Score of each scored site, lowest (best) first. [0-1]
    scaled : pandas.DataFrame
        Each weighted criterion scaled 0 (best) to 1 (worst) across the scored sites. [0-1]
    unscored : dict
        Site -> why it has no score (the criteria it lacks).
    """

    score: pd.Series
    scaled: pd.DataFrame
    unscored: dict


def weighted_score(table: pd.DataFrame, weights: dict[str, float]) -> Score:
    """Score the sites (rows of ``table``) on the ``weights``' columns, lower is better.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per site, a column per criterion (lower is better).
    weights : dict
        Column -> weight, each a finite number >= 0, summing to > 0 (a negative weight
        would reward the worse value). A criterion of weight 0 is not used.
    """
    for k, w in weights.items():
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
            raise InputError(f"must be a finite weight >= 0 (a negative weight rewards the worse value), got {w!r}",
                             field=k)
        if k not in table.columns:
            raise InputError(f"no such criterion; allowed: {', '.join(map(str, table.columns))}", field=k)
    total = float(sum(weights.values()))
    if total <= 0:
        raise InputError(f"the weights must sum to > 0, got {weights}", field="weights")
    used = [k for k, w in weights.items() if w > 0]
    crit = table[used].astype(float)
    missing = crit.isna()
    unscored = {sid: "no " + ", ".join(c for c in used if missing.at[sid, c]) for sid in crit.index
                if missing.loc[sid].any()}
    ok = crit[~missing.any(axis=1)]
    span = ok.max() - ok.min()
    scaled = ((ok - ok.min()) / span.where(span > 0)).fillna(0.0)  # a criterion all sites tie on: 0 for all
    score = sum(scaled[k] * weights[k] for k in used) / total if len(ok) else pd.Series(dtype=float)
    return Score(pd.Series(score, dtype=float).sort_values(kind="stable"), scaled, unscored)
