"""Small finance functions: NPV, IRR, payback, levelized cost, depreciation schedules.

Pure functions on plain numbers and arrays (no pandas needed), used by
:mod:`dcplan.tco`. Conventions follow numpy-financial: ``values[0]`` happens at
``t = 0`` (not discounted), ``values[t]`` at the end of period ``t``.

Periods shorter than a year: ``periods_per_year`` (12 for months) makes period ``t``
happen ``t / periods_per_year`` years after ``t = 0`` while ``rate`` stays the **annual**
rate, discounting period ``t`` by ``(1 + rate) ** (-t / periods_per_year)`` (the same as
the per-period rate ``(1 + rate) ** (1 / periods_per_year) - 1``). :func:`irr_result` then
returns the annual effective rate (``(1 + IRR per period) ** periods_per_year - 1``) and
the paybacks are in years. :mod:`dcplan.tco` uses monthly periods, end of month.

Rates are fractions per year: every public function that takes a discount rate (:func:`npv`,
:func:`revalue`, :func:`discounted_payback_years`, :func:`levelized_cost`, the
``discount_rate_frac`` of :func:`irr_result` and :func:`irr`) refuses one that is not finite, is
<= -1 or is above 1 (100 %/yr, :data:`RATE_MAX_FRAC`) with an :class:`~dcplan.errors.InputError`:
``npv(8, ...)`` is 8 % typed as a percent, not an 800 %/yr rate. The IRR search is not limited
(an IRR above 100 %/yr is found); it evaluates NPV at any rate internally.

Depreciation schedules are fractions of the depreciable basis per tax year:

* MACRS GDS, half-year convention: 200 % declining balance switching to
  straight line for 3, 5, 7 and 10-year property, 150 % DB for 15 and 20-year
  property (IRS Publication 946 (2024), Appendix A, Table A-1).
* Nonresidential real property: 39-year straight line, mid-month convention
  (IRS Publication 946 (2024), Table A-7a).
* Book straight line with a full-year or half-year convention.

Examples
--------
>>> round(npv(0.1, [-100.0, 60.0, 60.0]), 4)
4.1322
>>> round(irr([-100.0, 60.0, 60.0]), 6)
0.130662
>>> round(npv(0.1, [-100.0, 60.0, 60.0], periods_per_year=12), 4)   # two months, not years
18.5798
>>> round(irr([-100.0, 5.0, 100.0], periods_per_year=12), 6)   # annual effective rate
0.349817
>>> macrs_fractions(5).round(4).tolist()
[0.2, 0.32, 0.192, 0.1152, 0.1152, 0.0576]
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from .errors import InputError

__all__ = ["npv", "revalue", "irr", "irr_result", "IrrResult", "payback_years", "discounted_payback_years",
           "levelized_cost", "macrs_fractions", "straight_line_fractions", "real_property_fractions",
           "depreciation_fractions", "depreciation_matrix", "depreciation_in_service", "MACRS_GDS_HALF_YEAR_PCT",
           "MACRS_CLASSES", "RATE_MAX_FRAC"]

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


#: Highest rate per year the public functions take: 1 = 100 %/yr. Rates are fractions, so a rate
#: above it is almost always a percent typed as a number (8 for 8 %), which would discount at
#: 800 %/yr without a word. Code that must evaluate higher rates (the IRR search) uses :func:`_npv`.
RATE_MAX_FRAC = 1.0


def _rate_domain_ok(rate, field: str = "discount_rate_frac") -> np.ndarray:
    """``rate`` as floats; a rate that is not finite or is <= -1 (no discount factor) is an error."""
    r = np.asarray(rate, dtype=float)
    if not np.all(np.isfinite(r)) or np.any(r <= -1.0):
        bad = r[~np.isfinite(r) | (r <= -1.0)].ravel()[0]
        raise InputError(f"must be a finite rate > -1 (-100 %) per year, as a fraction (0.08 for 8 %), got {bad}",
                         field=field)
    return r


def _rate_ok(rate, field: str = "discount_rate_frac") -> None:
    """The check of every public function's rate: finite, > -1 and at most :data:`RATE_MAX_FRAC`
    (100 %/yr), a fraction per year; a larger value is refused as a likely percent."""
    r = _rate_domain_ok(rate, field)
    if np.any(r > RATE_MAX_FRAC):
        bad = float(r[r > RATE_MAX_FRAC].ravel()[0])
        raise InputError(f"must be a rate per year as a fraction, > -1 and <= {RATE_MAX_FRAC:g} "
                         f"({RATE_MAX_FRAC:.0%}/yr), got {bad:g}: {bad:g} looks like a percent: give "
                         f"{bad / 100.0:g}", field=field)


def _ppy(periods_per_year) -> float:
    if (isinstance(periods_per_year, bool) or not isinstance(periods_per_year, (int, float, np.integer, np.floating))
            or not math.isfinite(periods_per_year) or periods_per_year <= 0):
        raise InputError(f"must be a number of periods per year > 0 (1 for years, 12 for months), got "
                         f"{periods_per_year!r}", field="periods_per_year")
    return float(periods_per_year)


def _values(values, field: str = "values") -> np.ndarray:
    try:
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        r = repr(values)
        raise InputError(f"need a sequence of cash flows as numbers, got {r if len(r) <= 60 else r[:57] + '...'}",
                         field=field) from None
    if v.ndim == 0 or v.shape[-1] == 0:
        raise InputError(f"need a non-empty sequence of cash flows, got {values!r}", field=field)
    if not np.all(np.isfinite(v)):
        raise InputError("cash flows must be finite (no NaN/inf)", field=field)
    return v


def npv(rate, values, periods_per_year: float = 1) -> float | np.ndarray:
    r"""Net present value: :math:`\sum_t v_t (1 + r)^{-t / p}`, ``t = 0, 1, ...``.

    Parameters
    ----------
    rate : float or ndarray
        Discount rate per **year**, a fraction in (-1, 1] (0.08 for 8 %; a rate above 1 is refused
        as a likely percent, :data:`RATE_MAX_FRAC`). An array of shape ``(n,)`` with ``values``
        of shape ``(n, T)`` evaluates ``n`` cases at once. [frac/yr]
    values : array_like
        Cash flows, ``values[..., 0]`` at ``t = 0`` (undiscounted), ``values[..., t]`` at
        the end of period ``t``. [USD]
    periods_per_year : float, default 1
        ``p``: periods per year (1: yearly flows; 12: monthly flows). [1/yr]

    Returns
    -------
    float or ndarray
        NPV. [USD]
    """
    _rate_ok(rate, field="rate")
    return _npv(rate, values, periods_per_year)


def _npv(rate, values, periods_per_year: float = 1) -> float | np.ndarray:
    """:func:`npv` at any rate > -1, also above :data:`RATE_MAX_FRAC` (100 %/yr): for code that
    evaluates NPV as a function of the rate (an IRR search, a test of NPV at an IRR above
    100 %), not for a discount rate a user gave."""
    r = _rate_domain_ok(rate, field="rate")
    v = _values(values)
    p = _ppy(periods_per_year)
    t = np.arange(v.shape[-1]) / p
    disc = (1.0 + r[..., None]) ** (-t)
    out = (v * disc).sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


@dataclass(frozen=True)
class IrrResult:
    """Internal rate of return and why it is what it is.

    ``rate_frac`` is None when no IRR exists; ``reason`` then says why. When the
    cash flows change sign more than once and several IRRs exist, the one returned is a
    rate at which NPV falls through zero as the rate rises (positive just below it,
    negative just above: the project earns that rate, as it does with one IRR), the
    nearest the discount rate when there are several such; ``reason`` lists all roots found.
    """

    rate_frac: float | None
    reason: str


def revalue(value: float, rate, months: float) -> float:
    """A present value moved ``months`` later (negative: earlier) at the annual ``rate``:
    ``value (1 + rate) ** (months / 12)``, the monthly convention of :func:`npv` with 12
    periods a year. Two NPVs valued at different dates compare only once moved to one date;
    the sum of discounted flows is the same flows valued at the later date. ``rate``: a
    fraction per year in (-1, 1], as :func:`npv`. [same unit]

    >>> round(revalue(100.0, 0.08, 12), 10)       # a year later at 8 %/yr
    108.0
    >>> round(revalue(108.0, 0.08, -12), 10)
    100.0
    """
    _rate_ok(rate, field="rate")
    return float(value) * (1.0 + float(rate)) ** (float(months) / 12.0)


def irr_result(values, *, lo: float = -0.99, hi: float = 10.0, periods_per_year: float = 1,
               discount_rate_frac: float | None = None) -> IrrResult:
    """IRR by bracketing sign changes of NPV(r) on a grid and refining with Brent's method.

    NPV (:func:`npv`, with ``periods_per_year``) is evaluated on a log-spaced grid of
    ``1 + r`` in ``[1 + lo, 1 + hi]``; every sign change is refined with
    :func:`scipy.optimize.brentq` (xtol 1e-12).

    With several roots (cash flows that change sign more than once: an IT refresh, a
    late outlay) the IRR returned is a root at which NPV crosses from positive to negative
    as the rate rises, so NPV is positive at a discount rate just below it and negative
    just above, as with a single IRR; of several such roots, the one nearest
    ``discount_rate_frac`` (0 when not given). Only when no root is of that kind (NPV
    rises through every root) is it the root nearest that rate. ``reason`` names every
    root and which was returned.

    >>> r = irr_result([-100.0, 230.0, -132.0])   # NPV = 0 at 10 % (rising) and 20 % (falling)
    >>> round(r.rate_frac, 10), r.reason[:27]
    (0.2, '2 IRRs (10.0000%, 20.0000%)')

    Parameters
    ----------
    values : array_like
        Cash flows per period, ``values[0]`` at ``t = 0``. [USD]
    lo, hi : float
        Search range of the annual rate. [frac/yr]
    periods_per_year : float, default 1
        Periods per year of ``values`` (12: monthly flows). The rate found is the annual
        effective rate, ``(1 + IRR per period) ** periods_per_year - 1``. [1/yr]
    discount_rate_frac : float, optional
        The rate the IRR is compared with, to choose among several roots (see above);
        default 0. A fraction per year in (-1, 1], as :func:`npv`'s rate. [frac/yr]

    Returns
    -------
    IrrResult
        ``rate_frac`` per year. [frac/yr]
    """
    v = _values(values)
    p = _ppy(periods_per_year)
    ref = 0.0
    if discount_rate_frac is not None:
        _rate_ok(discount_rate_frac)
        ref = float(discount_rate_frac)
    if v.ndim != 1:
        raise InputError(f"irr takes one cash-flow series, got shape {v.shape}", field="values")
    nz = v[v != 0.0]
    if nz.size == 0:
        return IrrResult(None, "all cash flows are zero: every rate gives NPV = 0")
    signs = np.sign(nz)
    changes = int(np.count_nonzero(signs[1:] != signs[:-1]))
    if changes == 0:
        kind = "positive" if signs[0] > 0 else "negative"
        return IrrResult(None, f"cash flows are all {kind}: NPV never crosses zero, no IRR exists")
    t = np.arange(v.size) / p

    def f(r: float) -> float:
        return float(np.sum(v * (1.0 + r) ** (-t)))

    grid = np.expm1(np.linspace(math.log1p(lo), math.log1p(hi), 2001))
    with np.errstate(over="ignore", invalid="ignore"):
        vals = np.array([f(r) for r in grid])
    roots, falling = [], []          # falling: NPV > 0 just below the root, < 0 just above
    for i in range(grid.size - 1):
        a, b = vals[i], vals[i + 1]
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        if a == 0.0:
            roots.append(float(grid[i]))
            falling.append(i > 0 and vals[i - 1] > 0.0 > b)
        elif a * b < 0.0:
            roots.append(float(brentq(f, grid[i], grid[i + 1], xtol=1e-12, rtol=1e-12)))
            falling.append(a > 0.0)
    if vals[-1] == 0.0:
        roots.append(float(grid[-1]))
        falling.append(bool(vals[-2] > 0.0))
    if not roots:
        # NPV still positive at the top of the range: the IRR is above it (a loss throughout: below)
        side = f"above {hi:.0%} (NPV is still positive there)" if vals[-1] > 0 else \
            f"below {lo:.0%} or none (NPV is negative throughout)" if vals[0] < 0 else "outside it"
        return IrrResult(None, f"NPV does not cross zero for rates in [{lo:.0%}, {hi:.0%}]: "
                               f"no IRR in that range; it is {side}")
    if len(roots) > 1:
        down = [x for x, d in zip(roots, falling) if d]
        best = min(down or roots, key=lambda x: abs(x - ref))
        where = f"the discount rate {ref:.2%}" if discount_rate_frac is not None else "zero"
        why = ((f"the rate at which NPV falls through zero as the rate rises (NPV > 0 below it, < 0 above)"
                + (f", nearest {where}" if len(down) > 1 else ""))
               if down else f"no root where NPV falls as the rate rises; the one nearest {where}")
        return IrrResult(best, f"{len(roots)} IRRs ({', '.join(f'{x:.4%}' for x in roots)}); "
                               f"returned {best:.4%}: {why}")
    best = roots[0]
    return IrrResult(best, "unique IRR" if changes == 1 else
                     f"cash flows change sign {changes} times; one IRR found in range")


def irr(values, periods_per_year: float = 1, discount_rate_frac: float | None = None) -> float | None:
    """Internal rate of return per year [frac/yr], or None when none exists (see
    :func:`irr_result`; ``periods_per_year`` 12 for monthly flows; ``discount_rate_frac``
    chooses among several roots)."""
    return irr_result(values, periods_per_year=periods_per_year,
                      discount_rate_frac=discount_rate_frac).rate_frac


def payback_years(values, periods_per_year: float = 1) -> float | None:
    """Simple payback: when the cumulative cash flow turns non-negative for good, linear
    within a period.

    ``values[0]`` is at ``t = 0``; period ``t`` cash is assumed spread evenly over
    ``(t-1, t]``. With several sign changes (e.g. an IT refresh after the first payback)
    it is the *last* crossing, after which the cumulative sum stays >= 0 to the end of
    the horizon, not the first one. Returns None when the cumulative sum is negative at
    the end. [yr]: periods divided by ``periods_per_year`` (1: yearly flows, 12: monthly).

    Examples
    --------
    >>> payback_years([-100.0, 30.0, 30.0, 30.0, 30.0])   # cum -10 after 3, +20 after 4
    3.3333333333333335
    >>> payback_years([-100.0, 150.0, -100.0, 100.0])   # back below zero in period 2
    2.5
    >>> payback_years([-100.0, 30.0, 30.0, 30.0, 30.0], periods_per_year=12)   # months
    0.2777777777777778
    """
    v = _values(values)
    p = _ppy(periods_per_year)
    cum = np.cumsum(v)
    if cum[0] >= 0 and np.all(cum >= 0):
        return 0.0
    neg = np.nonzero(cum < 0)[0]
    last_neg = neg[-1]
    if last_neg == v.size - 1:
        return None
    # cum crosses zero during period last_neg + 1
    frac = -cum[last_neg] / v[last_neg + 1]
    return float((last_neg + frac) / p)


def discounted_payback_years(rate, values, periods_per_year: float = 1) -> float | None:
    """Payback of the discounted cash flows (see :func:`payback_years`), period ``t``
    discounted by ``(1 + rate) ** (-t / periods_per_year)`` (``rate`` a fraction per year in
    (-1, 1], as :func:`npv`). [yr]"""
    _rate_ok(rate, field="rate")
    v = _values(values)
    p = _ppy(periods_per_year)
    return payback_years(v * (1.0 + rate) ** (-np.arange(v.size) / p), p)


def levelized_cost(rate, costs, quantities, periods_per_year: float = 1) -> float:
    r"""Levelized cost :math:`\sum_t c_t (1+r)^{-t/p} / \sum_t q_t (1+r)^{-t/p}`.

    Parameters
    ----------
    rate : float
        Discount rate per year, a fraction in (-1, 1] (as :func:`npv`). [frac/yr]
    costs : array_like
        Costs per period. [USD]
    quantities : array_like
        Output per period (GPU-h, MWh, tokens), same length. [unit]
    periods_per_year : float, default 1
        ``p`` (12: monthly periods). [1/yr]

    Returns
    -------
    float
        [USD per unit]; NaN when the discounted quantity is zero.
    """
    c, q = _values(costs, "costs"), _values(quantities, "quantities")
    if c.shape[-1] != q.shape[-1]:
        raise InputError(f"costs has {c.shape[-1]} periods but quantities {q.shape[-1]}",
                         field="quantities")
    den = npv(rate, q, periods_per_year)
    return float(npv(rate, c, periods_per_year) / den) if den != 0 else float("nan")


# ---------------------------------------------------------------------------
# Depreciation

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


def depreciation_fractions(method: str, life_years: float, month_placed: int = 1) -> np.ndarray:
    """Fractions per year for a method name: ``macrs`` (GDS half-year; life 3-20),
    ``real-property`` (mid-month, placed in service in calendar month ``month_placed``,
    1-12; see :func:`real_property_fractions`), ``straight-line`` (full-year) or
    ``straight-line-half-year``. ``month_placed`` only changes ``real-property``."""
    if method == "macrs":
        if life_years not in MACRS_CLASSES:
            raise InputError(f"MACRS life must be one of {sorted(MACRS_CLASSES)} years, got "
                             f"{life_years!r}", field="life_years")
        return macrs_fractions(int(life_years))
    if method == "real-property":
        return real_property_fractions(life_years, month_placed)
    if method == "straight-line":
        return straight_line_fractions(life_years)
    if method == "straight-line-half-year":
        return straight_line_fractions(life_years, "half-year")
    raise InputError(f"unknown depreciation method {method!r}; allowed: macrs, real-property, "
                     "straight-line, straight-line-half-year", field="method")


def depreciation_matrix(method: str, life: float, n_years: int) -> np.ndarray:
    """Tax depreciation by year ``(n_years, n_years)``: row ``i`` is the schedule of a basis of 1
    placed in service in year ``i`` (:func:`depreciation_fractions`, cut at the horizon)."""
    f = depreciation_fractions(method, life)
    mat = np.zeros((n_years, n_years))
    for i in range(n_years):
        k = min(f.size, n_years - i)
        mat[i, i:i + k] = f[:k]
    return mat


def depreciation_in_service(basis: np.ndarray, method: str, life: float, month: np.ndarray,
                     n_years: int) -> np.ndarray:
    """Tax depreciation ``(n, n_years)`` of ``basis`` ``(n, 1)`` [USD] placed in service in
    month ``month`` ``(n, 1)`` (integer, 0 = the first month of tax year 1: the TCO's tax years are
    its project years, 12 months from the project start).

    The schedule starts in the tax year containing ``month``; ``real-property`` uses its
    calendar month for the mid-month convention (IRS Pub 946 Table A-7a).
    """
    dep = np.zeros((basis.shape[0], n_years))
    for mo in np.unique(month):
        sel = month[:, 0] == mo
        y0 = int(mo) // 12
        f = depreciation_fractions(method, life, month_placed=int(mo) % 12 + 1)
        k = min(f.size, n_years - y0)
        dep[sel, y0:y0 + k] = basis[sel] * f[:k]
    return dep
