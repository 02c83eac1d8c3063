"""Ranks that treat equal figures as equal: competition ranks on a relative tolerance.

Two sites' figures computed along different float paths differ in their last bits: a tester's two
identical hardware sites had annual PUEs 1.179173090895796 and 1.1791730908957954, which an exact rank
(``pandas.Series.rank(method="min")``) put 4th and 3rd, and two sites shown as PUE 1.106 were ranked 1
and 2. Here figures within :data:`REL_TOL` of each other (relative, :func:`math.isclose`; :data:`ABS_TOL`
near zero, where a figure such as the months to first power of the earliest site is 0) are tied and share
the better rank, as the portfolio comparison's scores (:data:`dcplan.portfolio_compare.TIE_TOLERANCE`) and
its first-power dates are.

Why 1e-9 and not the displayed precision: float noise is about 1e-16 of the figure, so 1e-9 ties every
figure that is the same up to how it was summed, and no two figures that really differ (a PUE shown as
1.106 may be 1.1056 or 1.1064: 7e-4 apart); rounding to the display would tie 1.1064 with 1.1056 but not
with 1.1066, across a rounding edge. Figures that differ but print alike are printed with more digits
instead (:func:`decimals_apart`), so a rank 1 and a rank 2 never read the same figure.
"""
from __future__ import annotations

import math

import pandas as pd

__all__ = ["REL_TOL", "ABS_TOL", "tied", "competition_ranks", "all_tied", "decimals_apart"]

#: Relative tolerance within which two figures are equal (tied). [-]
REL_TOL = 1e-9
#: Absolute tolerance near zero (a figure of 0 and one of 4e-16). [the figure's unit]
ABS_TOL = 1e-12


def tied(a: float, b: float) -> bool:
    """Whether ``a`` and ``b`` are the same figure up to float noise (:data:`REL_TOL`, :data:`ABS_TOL`).

    >>> tied(1.179173090895796, 1.1791730908957954), tied(1.1056, 1.1064)
    (True, False)
    """
    return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=ABS_TOL)


def competition_ranks(values: pd.Series, *, low_is_good: bool = True) -> pd.Series:
    """Competition rank (1 = best; ties share the better rank, the next rank skips) of each figure of
    ``values`` that has one (NaN: left out), figures :func:`tied` to the first of their run in sorted order
    counting as equal.

    >>> competition_ranks(pd.Series([1.179173090895796, 1.1791730908957954, 1.2, 1.1], index=list("abcd"))).to_dict()
    {'d': 1, 'b': 2, 'a': 2, 'c': 4}
    """
    vals = values.dropna().astype(float).sort_values(ascending=low_is_good, kind="stable")
    out, i, v = {}, 0, vals.to_numpy()
    while i < len(v):
        j = i
        while j + 1 < len(v) and tied(v[j + 1], v[i]):
            j += 1
        for k in range(i, j + 1):
            out[vals.index[k]] = i + 1
        i = j + 1
    return pd.Series(out, dtype=int)


def all_tied(values: pd.Series) -> bool:
    """Whether every figure of ``values`` that has one is tied with the lowest (one rank for all)."""
    r = competition_ranks(values)
    return len(r) > 0 and bool((r == 1).all())


def decimals_apart(values: pd.Series, least: int, most: int = 12) -> int:
    """Decimals (at least ``least``, at most ``most``) at which no two figures of ``values`` that are not
    :func:`tied` print alike (``f"{x:.{n}f}"``): 1.1056 and 1.1064 are both "1.106" at 3, so 4.

    >>> decimals_apart(pd.Series([1.1056, 1.1064, 1.3]), 3), decimals_apart(pd.Series([1.1, 1.1 + 1e-15]), 3)
    (4, 3)
    """
    v = sorted(float(x) for x in values.dropna())
    pairs = [(a, b) for a, b in zip(v, v[1:]) if not tied(a, b)]
    for n in range(least, most + 1):
        if all(f"{a:.{n}f}" != f"{b:.{n}f}" for a, b in pairs):
            return n
    return most
