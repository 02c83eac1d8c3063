"""Depreciation schedules of :mod:`dcplan.finance` (re-exported there): fractions of the
depreciable basis per tax year.

* MACRS GDS, half-year convention: 200 % declining balance switching to
  straight line for 3, 5, 7 and 10-year property, 150 % DB for 15 and 20-year
  property (IRC §168(b)), **computed** from the convention's formulas, not read from
  the printed table: it matches IRS Publication 946 (2024), Appendix A, Table A-1 to the
  table's printed rounding (15-year property, year 4: 7.695 % computed, 7.70 % printed;
  :data:`MACRS_GDS_HALF_YEAR_PCT` holds the printed table the tests compare with).
* MACRS GDS, mid-quarter convention (IRC §168(d)(3): required for a tax year's MACRS personal property when more
  than 40 % of its depreciable basis is placed in service in the year's last three months): the same declining
  balance and switch, from the middle of the quarter placed in service (:func:`macrs_mid_quarter_fractions`),
  matching IRS Publication 946 (2024), Appendix A, Tables A-2 to A-5 to their printed rounding
  (:data:`MACRS_GDS_MID_QUARTER_PCT` holds the printed rows the tests compare with).
* The year of disposition (:func:`disposal_year_factor`): the share of that year's table amount a property
  disposed of before the end of its recovery period deducts, under its convention (Pub 946 ch. 4, "Property
  disposed of before end of recovery period"): half-year 50 %; mid-quarter 12.5, 37.5, 62.5 or 87.5 % by quarter
  of disposal; mid-month (real property) the months to the middle of the month of disposal; none in the year
  placed in service (Pub 946 ch. 1, property "placed in service and disposed of in the same year" cannot be
  depreciated; bonus likewise, Treas. Reg. §1.168(k)-2(g)(1)(i)).
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
           "MACRS_CLASSES", "BONUS_MAX_RECOVERY_YEARS", "macrs_mid_quarter_fractions", "MACRS_GDS_MID_QUARTER_PCT",
           "convention_midpoint_frac", "disposal_year_factor", "MID_QUARTER_DISPOSAL_PCT", "CONVENTIONS"]

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
#: IRS Publication 946 (2024), Appendix A, Tables A-2 to A-5 (GDS, mid-quarter convention, placed in service in
#: the first to fourth quarter of the tax year), percent of basis per recovery year, as printed: quarter -> recovery
#: period -> row (the rows the tests compare :func:`macrs_mid_quarter_fractions` with; 3- and 5-year complete,
#: 7- and 15-year fourth quarter complete, first years of the others).
MACRS_GDS_MID_QUARTER_PCT = {
    1: {3: [58.33, 27.78, 12.35, 1.54], 5: [35.00, 26.00, 15.60, 11.01, 11.01, 1.38],
        7: [25.00, 21.43, 15.31, 10.93, 8.75], 15: [8.75]},
    2: {3: [41.67, 38.89, 14.14, 5.30], 5: [25.00, 30.00, 18.00, 11.37, 11.37, 4.26],
        7: [17.85, 23.47, 16.76, 11.97, 8.87], 15: [6.25]},
    3: {3: [25.00, 50.00, 16.67, 8.33], 5: [15.00, 34.00, 20.40, 12.24, 11.30, 7.06],
        7: [10.71, 25.51, 18.22, 13.02, 9.30], 15: [3.75]},
    4: {3: [8.33, 61.11, 20.37, 10.19], 5: [5.00, 38.00, 22.80, 13.68, 10.94, 9.58],
        7: [3.57, 27.55, 19.68, 14.06, 10.04, 8.73, 8.73, 7.64],
        15: [1.25, 9.88, 8.89, 8.00, 7.20, 6.48, 5.90, 5.90, 5.90, 5.91, 5.90, 5.91, 5.90, 5.91, 5.90, 5.17]},
}
#: Pub 946 ch. 4, "Property disposed of before end of recovery period", mid-quarter convention: the percent of a
#: full year's depreciation deducted in the year of disposal, by quarter of disposal (the quarter's middle).
MID_QUARTER_DISPOSAL_PCT = (12.5, 37.5, 62.5, 87.5)
#: The MACRS conventions of :func:`convention_midpoint_frac` (IRC §168(d)).
CONVENTIONS = ("half-year", "mid-quarter", "mid-month")
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
    return _db_switch_fractions(int(recovery_years), 0.5)


def _db_switch_fractions(n: int, first_frac: float) -> np.ndarray:
    """Declining balance at ``k / n`` switching to straight line (IRC §168(b)(1)-(2)) for property placed in
    service ``first_frac`` of a year before the end of its first tax year (its convention's mid-point: half-year
    0.5, mid-quarter 0.875 .. 0.125): year 1 ``rate x first_frac``; year ``y`` the larger of ``rem x rate`` and
    straight line over the life left, ``rem / (n - first_frac - (y - 2))``; year ``n + 1`` the rest."""
    if n not in MACRS_CLASSES:
        raise InputError(f"MACRS recovery period must be one of {sorted(MACRS_CLASSES)} years, got {n!r}",
                         field="recovery_years")
    rate = MACRS_CLASSES[n] / n
    out = np.zeros(n + 1)
    out[0] = rate * first_frac
    rem = 1.0 - out[0]
    for y in range(2, n + 1):
        d = max(rem * rate, rem / (n - first_frac - (y - 2)))
        out[y - 1] = d
        rem -= d
    out[n] = rem
    return out


def macrs_mid_quarter_fractions(recovery_years: int, quarter: int) -> np.ndarray:
    """MACRS GDS mid-quarter-convention fractions per tax year (``recovery_years + 1`` values) of property
    placed in service in quarter ``quarter`` (1-4) of the tax year.

    The property is treated as placed in service at the middle of its quarter (IRC §168(d)(4)(C)), so year 1
    has ``f = (12 - (3 q - 1.5)) / 12`` of a year (0.875, 0.625, 0.375, 0.125) of declining balance at
    ``k / N``; later years take the larger of declining balance and straight line over the life left
    (``N - f - (y - 2)`` years at the start of year ``y``); the last year the rest (recovery ends ``1 - f``
    into it). Computed, not read from the printed table: it matches IRS Pub 946 Tables A-2 to A-5 to their
    printed rounding (tested against :data:`MACRS_GDS_MID_QUARTER_PCT`).

    >>> macrs_mid_quarter_fractions(5, 4).round(4).tolist()
    [0.05, 0.38, 0.228, 0.1368, 0.1094, 0.0958]

    Parameters
    ----------
    recovery_years : int
        3, 5, 7, 10, 15 or 20. [yr]
    quarter : int
        Quarter of the tax year placed in service, 1-4.

    Returns
    -------
    ndarray
        Fractions of basis, summing to 1. [frac]
    """
    if isinstance(quarter, (bool, np.bool_)) or quarter not in (1, 2, 3, 4):
        raise InputError(f"must be a quarter of the tax year, 1-4, got {_short(quarter)}", field="quarter")
    return _db_switch_fractions(recovery_years, 1.0 - convention_midpoint_frac("mid-quarter", 3 * int(quarter)))


def convention_midpoint_frac(convention: str, month_of_tax_year: int) -> float:
    """Share of the tax year before the convention's mid-point for month ``month_of_tax_year`` (1-12 of the
    owner's tax year): where a property placed in service, or disposed of, in that month is treated as placed
    or disposed (IRC §168(d)(4)): ``half-year`` 0.5 whatever the month; ``mid-quarter`` the middle of its
    quarter, ``(3 q - 1.5) / 12``, 0.125, 0.375, 0.625, 0.875 (Pub 946's disposal percentages,
    :data:`MID_QUARTER_DISPOSAL_PCT`); ``mid-month`` the middle of the month, ``(m - 0.5) / 12``.

    >>> [convention_midpoint_frac("mid-quarter", m) for m in (1, 6, 9, 12)]
    [0.125, 0.375, 0.625, 0.875]
    """
    if isinstance(month_of_tax_year, (bool, np.bool_)) or month_of_tax_year not in range(1, 13):
        raise InputError(f"must be a month of the tax year, 1-12, got {_short(month_of_tax_year)}",
                         field="month_of_tax_year")
    m = int(month_of_tax_year)
    if convention == "half-year":
        return 0.5
    if convention == "mid-quarter":
        return (3 * ((m - 1) // 3 + 1) - 1.5) / 12.0
    if convention == "mid-month":
        return (m - 0.5) / 12.0
    raise InputError(f"unknown convention {convention!r}; allowed: {', '.join(CONVENTIONS)}", field="convention")


def disposal_year_factor(n_schedule: int, recovery_year: int, convention: str, month_placed: int,
                         month_disposed: int) -> float:
    """Share of its schedule's amount for the year of disposition that a property disposed of in that year
    deducts (Pub 946 ch. 4, "Property disposed of before end of recovery period"; Treas. Reg. §1.168(d)-1(c)).

    ``recovery_year`` (1 = the tax year placed in service) of a schedule of ``n_schedule`` years, the
    property placed in service in month ``month_placed`` and disposed of in month ``month_disposed`` of their
    tax years (1-12), both under ``convention`` (:func:`convention_midpoint_frac`, ``d`` the disposal's
    mid-point and ``e`` the placement's):

    * year 1: 0, property placed in service and disposed of in the same tax year is not depreciated (Pub 946
      ch. 1, "What Property Cannot Be Depreciated"; no bonus either, Treas. Reg. §1.168(k)-2(g)(1)(i));
    * years 2 .. ``n_schedule - 1``: ``d`` of the full year's amount (half-year 50 %; mid-quarter 12.5, 37.5,
      62.5, 87.5 % by quarter disposed; mid-month the months to the middle of the month disposed, over 12);
    * the schedule's last year, in which recovery ends ``e`` into the year: ``min(1, d / e)`` of its amount
      (half-year: all of it, the table's last year is already the half year);
    * after the schedule: 0 (nothing is left).

    >>> disposal_year_factor(6, 3, "half-year", 7, 12), disposal_year_factor(6, 3, "mid-quarter", 11, 5)
    (0.5, 0.375)
    """
    k = int(recovery_year)
    if k < 1:
        raise InputError(f"must be a recovery year >= 1 (1: the tax year placed in service), got {recovery_year!r}",
                         field="recovery_year")
    if k == 1 or k > n_schedule:
        return 0.0
    d = convention_midpoint_frac(convention, month_disposed)
    if k < n_schedule:
        return d
    e = convention_midpoint_frac(convention, month_placed)
    return min(1.0, d / e)


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
                           bonus_frac: float = 0.0, mid_quarter: bool = False) -> np.ndarray:
    """Fractions per year for a method name: ``macrs`` (GDS half-year; life 3-20),
    ``real-property`` (mid-month, placed in service in calendar month ``month_placed``,
    1-12; see :func:`real_property_fractions`), ``straight-line`` (full-year) or
    ``straight-line-half-year``. ``month_placed`` only changes ``real-property``.
    ``bonus_frac`` (0-1): the share of the basis taken as bonus depreciation in the first year
    (:func:`bonus_fractions`), for ``macrs`` only (every MACRS class here has a recovery period
    of at most :data:`BONUS_MAX_RECOVERY_YEARS`, IRC §168(k)(2)(A)(i)(I)); the other methods
    (real property, book straight line) take none. ``mid_quarter``: ``macrs`` under the mid-quarter convention,
    placed in service in the quarter of the tax year of ``month_placed`` (:func:`macrs_mid_quarter_fractions`;
    bonus is taken in full in the year placed in service whatever the convention)."""
    b = _bonus(bonus_frac)
    if method == "macrs":
        if life_years not in MACRS_CLASSES:
            raise InputError(f"MACRS life must be one of {sorted(MACRS_CLASSES)} years, got "
                             f"{life_years!r}", field="life_years")
        if mid_quarter:
            if month_placed not in range(1, 13):
                raise InputError(f"must be an integer month 1-12, got {month_placed!r}", field="month_placed")
            f = macrs_mid_quarter_fractions(int(life_years), (int(month_placed) - 1) // 3 + 1)
        else:
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
