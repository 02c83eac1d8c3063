"""Depreciation schedules of :mod:`dcplan.finance` (re-exported there): fractions of the
depreciable basis per tax year.

* MACRS GDS, half-year convention: 200 % declining balance switching to
  straight line for 3, 5, 7 and 10-year property, 150 % DB for 15 and 20-year
  property (IRC §168(b)), **computed** from the convention's formulas, not read from
  the printed table: it matches IRS Publication 946 (2024), Appendix A, Table A-1 to the
  table's printed rounding (15-year property, year 4: 7.695 % computed, 7.70 % printed;
  :data:`MACRS_GDS_HALF_YEAR_PCT` holds the printed table the tests compare with).
* Nonresidential real property: 39-year straight line, mid-month convention, computed
  likewise (IRS Publication 946 (2024), Table A-7a, to its printed rounding).
* Book straight line with a full-year or half-year convention.
* Bonus (special) depreciation, IRC §168(k) (26 U.S.C. 168(k) as amended by P.L. 119-21, 2025:
  100 % for qualified property acquired after 19 January 2025): a share of the basis of MACRS
  property with a recovery period of 20 years or less deducted in the tax year placed in
  service, the rest (the basis reduced by the bonus) on the MACRS table
  (:func:`bonus_fractions`); real property (39 yr) takes none.

>>> macrs_fractions(5).round(4).tolist()
[0.2, 0.32, 0.192, 0.1152, 0.1152, 0.0576]
"""
from __future__ import annotations

import math

import numpy as np

from .errors import InputError

__all__ = ["macrs_fractions", "straight_line_fractions", "real_property_fractions", "depreciation_fractions",
           "depreciation_matrix", "depreciation_in_service", "bonus_fractions", "MACRS_GDS_HALF_YEAR_PCT",
           "MACRS_CLASSES", "BONUS_MAX_RECOVERY_YEARS"]

#: IRS Publication 946 (2024), Appendix A, Table A-1 (GDS, half-year convention), percent of
#: basis per recovery year, as printed. Used by the tests to check :func:`macrs_fractions`.
MACRS_GDS_HALF_YEAR_PCT = {
    3: [33.33, 44.45, 14.81, 7.41],
    5: [20.00, 32.00, 19.20, 11.52, 11.52, 5.76],
    7: [14.29, 24.49, 17.49, 12.49, 8.93, 8.92, 8.93, 4.46],
    10: [10.00, 18.00, 14.40, 11.52, 9.22, 7.37, 6.55, 6.55, 6.56, 6.55, 3.28],
    15: [5.00, 9.50, 8.55, 7.70, 6.93, 6.23, 5.90, 5.90, 5.91, 5.90, 5.91, 5.90, 5.91, 5.90,
         5.91, 2.95],
    20: [3.750, 7.219, 6.677, 6.177, 5.713, 5.285, 4.888, 4.522, 4.462, 4.461, 4.462, 4.461,
         4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 4.462, 4.461, 2.231],
}
#: Recovery period [yr] -> declining-balance factor (IRC §168(b)(1)-(2); Pub 946 Table A-1).
MACRS_CLASSES = {3: 2.0, 5: 2.0, 7: 2.0, 10: 2.0, 15: 1.5, 20: 1.5}
#: Longest MACRS recovery period that qualifies for bonus depreciation [yr]: IRC §168(k)(2)(A)(i)(I)
#: ("property to which this section applies which has a recovery period of 20 years or less").
BONUS_MAX_RECOVERY_YEARS = 20


def _short(x) -> str:
    r = repr(x)
    return r if len(r) <= 60 else r[:57] + "..."


def _whole(x, field: str, what: str) -> int:
    """``x`` as an int >= 0; a fraction (2.5), a negative number or a non-number is an error."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)) \
            or not math.isfinite(x) or x < 0 or float(x) != int(x):
        raise InputError(f"must be a whole number >= 0 ({what}), got {_short(x)}", field=field)
    return int(x)


def _life(life_years, field="life_years") -> float:
    if not isinstance(life_years, (int, float, np.integer, np.floating)) or not math.isfinite(
            life_years) or life_years <= 0:
        raise InputError(f"must be a positive number of years, got {life_years!r}", field=field)
    return float(life_years)


def macrs_fractions(recovery_years: int) -> np.ndarray:
    """MACRS GDS half-year-convention fractions per tax year (``recovery_years + 1`` values).

    Year 1 takes half a year of declining balance at rate ``k / N`` (``k`` = 2 for 3-10
    year property, 1.5 for 15-20 year property); later years take the larger of the
    declining-balance amount and straight line over the remaining life
    (``N - y + 1.5`` years at the start of year ``y``); the last year takes the rest.
    Matches IRS Pub 946 Table A-1 to its printed rounding (tested).

    Parameters
    ----------
    recovery_years : int
        3, 5, 7, 10, 15 or 20. [yr]

    Returns
    -------
    ndarray
        Fractions of basis, summing to 1. [frac]
    """
    if recovery_years not in MACRS_CLASSES:
        raise InputError(f"MACRS recovery period must be one of {sorted(MACRS_CLASSES)} years, "
                         f"got {recovery_years!r}", field="recovery_years")
    n = int(recovery_years)
    rate = MACRS_CLASSES[n] / n
    out = np.zeros(n + 1)
    rem = 1.0
    out[0] = rate / 2.0
    rem -= out[0]
    for y in range(2, n + 1):
        d = max(rem * rate, rem / (n - y + 1.5))
        out[y - 1] = d
        rem -= d
    out[n] = rem
    return out


def real_property_fractions(life_years: float = 39.0, month_placed: int = 1) -> np.ndarray:
    """Straight line with the mid-month convention (nonresidential real property, 39 yr).

    Year 1 gets ``(12 - month + 0.5) / 12`` of a year's ``1/life``; full years follow;
    the final year takes the remainder (IRS Pub 946 Table A-7a; month 1 prints
    2.461 %, 2.564 % x 38, 0.107 %).

    Parameters
    ----------
    life_years : float, default 39
        Recovery period (IRC §168(c): 39 yr nonresidential real property). [yr]
    month_placed : int, default 1
        Month placed in service, 1-12.
    """
    life = _life(life_years)
    if month_placed not in range(1, 13):
        raise InputError(f"must be an integer month 1-12, got {month_placed!r}", field="month_placed")
    # a life shorter than the first (partial) year deducts the whole basis in year 1
    first = min((12 - month_placed + 0.5) / 12.0 / life, 1.0)
    n_full = int(math.floor(life - (12 - month_placed + 0.5) / 12.0 + 1e-12))
    out = [first] + [1.0 / life] * n_full
    rest = 1.0 - sum(out)
    if rest > 1e-12:
        out.append(rest)
    return np.array(out)


def straight_line_fractions(life_years: float, convention: str = "full-year") -> np.ndarray:
    """Book straight-line fractions per year.

    ``full-year``: ``1/life`` each year (a fractional last year takes the rest);
    ``half-year``: half a year in the first and in the last year.

    Parameters
    ----------
    life_years : float
        Useful life (> 0). [yr]
    convention : {"full-year", "half-year"}
    """
    life = _life(life_years)
    if convention == "full-year":
        n = int(math.floor(life + 1e-12))
        out = [1.0 / life] * n
    elif convention == "half-year":
        out = [min(0.5 / life, 1.0)]  # life < 0.5 yr: the whole basis in year 1, no more
        n = int(math.floor(life - 0.5 + 1e-12))
        out += [1.0 / life] * n
    else:
        raise InputError(f"must be 'full-year' or 'half-year', got {convention!r}", field="convention")
    rest = 1.0 - sum(out)
    if rest > 1e-12:
        out.append(rest)
    return np.array(out)


def _bonus(bonus_frac) -> float:
    if isinstance(bonus_frac, (bool, np.bool_)) or not isinstance(
            bonus_frac, (int, float, np.integer, np.floating)) or not 0.0 <= bonus_frac <= 1.0:
        raise InputError(f"must be a share of the basis in [0, 1] (1 = 100 % bonus depreciation, IRC §168(k)), "
                         f"got {_short(bonus_frac)}", field="bonus_depreciation_frac")
    return float(bonus_frac)


def bonus_fractions(fractions, bonus_frac: float) -> np.ndarray:
    """A MACRS schedule with bonus depreciation (IRC §168(k)): ``bonus_frac`` of the basis in the
    tax year placed in service, the rest, ``1 - bonus_frac``, on ``fractions`` (the basis is reduced
    by the bonus before the regular MACRS deduction, §168(k)(1)(B)).

    >>> bonus_fractions(macrs_fractions(5), 0.4).round(4).tolist()
    [0.52, 0.192, 0.1152, 0.0691, 0.0691, 0.0346]

    Parameters
    ----------
    fractions : array_like
        The MACRS fractions per tax year (:func:`macrs_fractions`), summing to 1. [frac]
    bonus_frac : float
        Share of the basis taken as bonus depreciation, 0-1 (P.L. 119-21: 1 for qualified
        property acquired after 2025-01-19, unless the owner elects out). [frac]
    """
    b = _bonus(bonus_frac)
    out = (1.0 - b) * np.asarray(fractions, dtype=float)
    out[0] += b
    return out


def depreciation_fractions(method: str, life_years: float, month_placed: int = 1,
                           bonus_frac: float = 0.0) -> np.ndarray:
    """Fractions per year for a method name: ``macrs`` (GDS half-year; life 3-20),
    ``real-property`` (mid-month, placed in service in calendar month ``month_placed``,
    1-12; see :func:`real_property_fractions`), ``straight-line`` (full-year) or
    ``straight-line-half-year``. ``month_placed`` only changes ``real-property``.
    ``bonus_frac`` (0-1): the share of the basis taken as bonus depreciation in the first year
    (:func:`bonus_fractions`), for ``macrs`` only (every MACRS class here has a recovery period
    of at most :data:`BONUS_MAX_RECOVERY_YEARS`, IRC §168(k)(2)(A)(i)(I)); the other methods
    (real property, book straight line) take none."""
    b = _bonus(bonus_frac)
    if method == "macrs":
        if life_years not in MACRS_CLASSES:
            raise InputError(f"MACRS life must be one of {sorted(MACRS_CLASSES)} years, got "
                             f"{life_years!r}", field="life_years")
        f = macrs_fractions(int(life_years))
        return bonus_fractions(f, b) if b > 0 and life_years <= BONUS_MAX_RECOVERY_YEARS else f
    if method == "real-property":
        return real_property_fractions(life_years, month_placed)
    if method == "straight-line":
        return straight_line_fractions(life_years)
    if method == "straight-line-half-year":
        return straight_line_fractions(life_years, "half-year")
    raise InputError(f"unknown depreciation method {method!r}; allowed: macrs, real-property, "
                     "straight-line, straight-line-half-year", field="method")


def depreciation_matrix(method: str, life: float, n_years: int, bonus_frac: float = 0.0) -> np.ndarray:
    """Tax depreciation by year ``(n_years, n_years)``: row ``i`` is the schedule of a basis of 1
    placed in service in year ``i`` (:func:`depreciation_fractions`, with ``bonus_frac`` of bonus
    depreciation for MACRS, cut at the horizon); ``n_years`` a whole number >= 0."""
    n_years = _whole(n_years, "n_years", "years of the horizon")
    f = depreciation_fractions(method, life, bonus_frac=bonus_frac)
    mat = np.zeros((n_years, n_years))
    for i in range(n_years):
        k = min(f.size, n_years - i)
        mat[i, i:i + k] = f[:k]
    return mat


def depreciation_in_service(basis: np.ndarray, method: str, life: float, month: np.ndarray,
                            n_years: int, bonus_frac: float = 0.0) -> np.ndarray:
    """Tax depreciation ``(n, n_years)`` of ``basis`` ``(n, 1)`` [USD] placed in service in
    month ``month`` ``(n, 1)`` (integer, 0 = the first month of tax year 1: the TCO's tax years are
    its project years, 12 months from the project start).

    The schedule starts in the tax year containing ``month``; ``real-property`` takes the month of
    the **tax year** it is placed in service in (``month mod 12 + 1``: 1 = the tax year's first month,
    the project start's calendar month, not January) for the mid-month convention (IRS Pub 946
    Table A-7a, whose months are those of the owner's tax year). A purchase placed in
    service after the last of the ``n_years`` deducts nothing within them. ``bonus_frac``: bonus
    depreciation of MACRS property in the tax year placed in service (:func:`depreciation_fractions`).
    """
    n_years = _whole(n_years, "n_years", "tax years of the horizon")
    try:
        b = np.asarray(basis, dtype=float)
        mon = np.asarray(month, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"basis and month must be arrays of numbers, got {_short(basis)} and {_short(month)}",
                         field="basis") from None
    if b.ndim != 2 or b.shape[1] != 1 or not np.all(np.isfinite(b)):
        raise InputError(f"must be a column of finite amounts, shape (n, 1), got shape {b.shape}", field="basis")
    if mon.shape != b.shape:
        raise InputError(f"must be one month per basis row, shape {b.shape}, got shape {mon.shape}", field="month")
    bad = ~np.isfinite(mon) | (mon < 0) | (mon != np.floor(mon))
    if bad.any():
        raise InputError(f"must be whole months >= 0 (0 = the first month of tax year 1), got "
                         f"{mon[bad].ravel()[0]:g}", field="month")
    dep = np.zeros((b.shape[0], n_years))
    for mo in np.unique(mon).astype(int):
        sel = mon[:, 0] == mo
        y0 = mo // 12
        if y0 >= n_years:   # placed in service after the horizon
            continue
        f = depreciation_fractions(method, life, month_placed=mo % 12 + 1, bonus_frac=bonus_frac)
        k = min(f.size, n_years - y0)
        dep[sel, y0:y0 + k] = b[sel] * f[:k]
    return dep
