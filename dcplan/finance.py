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

Every argument is checked at entry: a bad one (a rate given as text or None, a rate array whose
shape does not fit the cash flows, a search range with ``lo <= -1`` or ``hi <= lo``, a fraction of a
year or a negative month where whole ones are counted, a non-finite amount) is an
:class:`~dcplan.errors.InputError` naming the argument (``field``), the value and what is allowed,
never a numpy error or a NaN result.

Depreciation schedules (:mod:`dcplan.finance_depreciation`, re-exported here) are fractions of the
depreciable basis per tax year:

* MACRS GDS, half-year convention: 200 % declining balance switching to
  straight line for 3, 5, 7 and 10-year property, 150 % DB for 15 and 20-year
  property (IRS Publication 946 (2024), Appendix A, Table A-1); the mid-quarter convention
  (IRC §168(d)(3); Tables A-2 to A-5) by quarter placed in service; the share of the year of
  disposition's amount a property disposed of deducts (Pub 946 ch. 4).
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
from scipy.optimize import brentq, minimize_scalar

from .errors import InputError
from .finance_depreciation import (MACRS_CLASSES, MACRS_GDS_HALF_YEAR_PCT, MACRS_GDS_MID_QUARTER_PCT,  # noqa: F401
                                   depreciation_fractions, depreciation_in_service, depreciation_matrix,
                                   disposal_year_factor, macrs_fractions, macrs_mid_quarter_fractions,
                                   real_property_fractions, straight_line_fractions)

__all__ = ["npv", "revalue", "irr", "irr_result", "IrrResult", "payback_years", "discounted_payback_years",
           "levelized_cost", "macrs_fractions", "straight_line_fractions", "real_property_fractions",
           "depreciation_fractions", "depreciation_matrix", "depreciation_in_service", "MACRS_GDS_HALF_YEAR_PCT",
           "MACRS_CLASSES", "RATE_MAX_FRAC", "macrs_mid_quarter_fractions", "MACRS_GDS_MID_QUARTER_PCT",
           "disposal_year_factor"]


#: Highest rate per year the public functions take: 1 = 100 %/yr. Rates are fractions, so a rate
#: above it is almost always a percent typed as a number (8 for 8 %), which would discount at
#: 800 %/yr without a word. Code that must evaluate higher rates (the IRR search) uses :func:`_npv`.
RATE_MAX_FRAC = 1.0


def _short(x) -> str:
    r = repr(x)
    return r if len(r) <= 60 else r[:57] + "..."


def _rate_domain_ok(rate, field: str = "discount_rate_frac") -> np.ndarray:
    """``rate`` as floats; text, None, a bool or anything not a real number is an error (``"0.08"``
    is not silently 0.08, nor None a NaN), as is a rate that is not finite or is <= -1 (no discount
    factor)."""
    kind = None if isinstance(rate, (str, bytes, bool, np.bool_)) or rate is None else np.asarray(rate).dtype.kind
    if kind not in ("i", "u", "f"):
        raise InputError(f"must be a number (a rate per year as a fraction, 0.08 for 8 %), or an array of numbers, "
                         f"got {_short(rate)}", field=field)
    r = np.asarray(rate, dtype=float)
    if not np.all(np.isfinite(r)) or np.any(r <= -1.0):
        bad = r[~np.isfinite(r) | (r <= -1.0)].ravel()[0]
        raise InputError(f"must be a finite rate > -1 (-100 %) per year, as a fraction (0.08 for 8 %), got {bad}",
                         field=field)
    return r


def _one_rate(rate, field: str = "rate") -> float:
    """A single rate (:func:`_rate_ok`) for a function of one cash-flow series."""
    _rate_ok(rate, field)
    if np.ndim(rate) != 0:
        raise InputError(f"must be one rate (a number): this function takes one cash-flow series, got an array of "
                         f"shape {np.shape(rate)}; use npv for several rates at once", field=field)
    return float(rate)


def _finite_number(x, field: str, what: str) -> float:
    """``x`` as a float; text, a bool, None or a value that is not finite is an error."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)) \
            or not math.isfinite(x):
        raise InputError(f"must be a finite number ({what}), got {_short(x)}", field=field)
    return float(x)


def _rate_ok(rate, field: str = "discount_rate_frac") -> None:
    """The check of every public function's rate: finite, > -1 and at most :data:`RATE_MAX_FRAC`
    (100 %/yr), a fraction per year; a larger value is refused as a likely percent."""
    r = _rate_domain_ok(rate, field)
    if np.any(r > RATE_MAX_FRAC):
        bad = float(r[r > RATE_MAX_FRAC].ravel()[0])
        # both readings: the fraction typed (1.5 = 150 %/yr, refused) and the percent meant (1.5 % = 0.015)
        raise InputError(f"must be a rate per year as a fraction, > -1 and <= {RATE_MAX_FRAC:g} "
                         f"({RATE_MAX_FRAC:.0%}/yr), got {bad:g}: as a fraction that is {100.0 * bad:g}%/yr, above the "
                         f"allowed {RATE_MAX_FRAC:.0%}/yr; for {bad:g} % give {bad / 100.0:g}", field=field)


def _ppy(periods_per_year) -> float:
    if (isinstance(periods_per_year, bool) or not isinstance(periods_per_year, (int, float, np.integer, np.floating))
            or not math.isfinite(periods_per_year) or periods_per_year <= 0):
        raise InputError(f"must be a number of periods per year > 0 (1 for years, 12 for months), got "
                         f"{periods_per_year!r}", field="periods_per_year")
    return float(periods_per_year)


def _values(values, field: str = "values", one: bool = False) -> np.ndarray:
    """``values`` as a float array (``one``: a single series, 1-D); text is not read as numbers."""
    try:
        if isinstance(values, (str, bytes)) or np.asarray(values).dtype.kind in "USb":
            raise TypeError
        v = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"need a sequence of cash flows as numbers, got {_short(values)}", field=field) from None
    if one and v.ndim != 1:
        raise InputError(f"need one cash-flow series (1-D), got shape {v.shape}", field=field)
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
        of shape ``(n, T)`` evaluates ``n`` cases at once (and with ``values`` of shape ``(T,)``, one
        series at ``n`` rates); any other shape is refused. [frac/yr]
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
    if not (r.ndim == 0 or r.shape == v.shape[:-1] or (v.ndim == 1 and r.ndim == 1)):
        raise InputError(f"has shape {r.shape} but values {v.shape}: give one rate, one per cash-flow series "
                         f"(shape {v.shape[:-1]}) or, for one series, a 1-D array of rates", field="rate")
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
    r = _one_rate(rate)
    value = _finite_number(value, "value", "a present value [same unit]")
    months = _finite_number(months, "months", "months later, negative for earlier")
    return value * (1.0 + r) ** (months / 12.0)


def irr_result(values, *, lo: float = -0.99, hi: float = 10.0, periods_per_year: float = 1,
               discount_rate_frac: float | None = None) -> IrrResult:
    """IRR by bracketing sign changes of NPV(r) on a grid and refining with Brent's method.

    NPV (:func:`npv`, with ``periods_per_year``) is evaluated on a log-spaced grid of
    ``1 + r`` in ``[1 + lo, 1 + hi]`` (2,001 points, about 0.35 % apart in ``1 + r`` over the default
    range); every sign change is refined with :func:`scipy.optimize.brentq` (xtol 1e-12). Two roots
    closer than the grid step (10.0 % and 10.1 %) leave no sign change between grid points: where the
    grid's NPV has a local maximum below zero or a local minimum above it (its differences change sign)
    close enough to zero that the curve between the points could cross it (within twice the larger
    neighbouring difference; a parabola's vertex lies within a quarter of it), the extremum is found
    with :func:`scipy.optimize.minimize_scalar` (bounded) and, when it crosses zero, both roots are
    bracketed on either side of it. With no root, ``reason`` says whether NPV is negative or positive
    throughout the range, as the grid and the refined extrema show it.

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
        Search range of the annual rate, ``-1 < lo < hi``, both finite. [frac/yr]
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
    lo = _finite_number(lo, "lo", "the lowest annual rate searched, > -1 (-100 %)")
    hi = _finite_number(hi, "hi", "the highest annual rate searched, above lo")
    if lo <= -1.0:
        raise InputError(f"must be > -1 (-100 %/yr: no discount factor at or below it), got {lo:g}", field="lo")
    if hi <= lo:
        raise InputError(f"must be above lo ({lo:g}), got {hi:g}: give the range as lo < hi", field="hi")
    ref = 0.0
    if discount_rate_frac is not None:
        ref = _one_rate(discount_rate_frac, field="discount_rate_frac")
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
    found = _grid_roots(f, grid, vals) + _extremum_roots(f, grid, vals, 64 * np.finfo(float).eps * np.abs(v).sum())
    found.sort()
    roots, falling = [x for x, _ in found], [d for _, d in found]
    if not roots:   # the grid and every extremum that could reach zero have one sign
        fin = vals[np.isfinite(vals)]
        if fin.size < vals.size:
            side = "outside it or was not found (NPV overflows at some rates of the range)"
        elif np.all(fin > 0):
            # NPV tends to the first nonzero flow as the rate rises: negative there, a root lies above
            side = (f"above {hi:.0%}" + ("" if nz[0] < 0 else " or none")
                    + " (NPV is positive throughout the range)")
        else:
            # NPV tends to +-inf with the last nonzero flow's sign as the rate falls to -100 %
            side = (f"below {lo:.0%}" + ("" if nz[-1] > 0 else " or none")
                    + " (NPV is negative throughout the range)")
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


def _grid_roots(f, grid: np.ndarray, vals: np.ndarray) -> list[tuple[float, bool]]:
    """``(root, falling)`` for every sign change (or zero) of ``vals`` between grid points,
    refined with brentq; ``falling``: NPV > 0 just below the root and < 0 just above."""
    out = []
    for i in range(grid.size - 1):
        a, b = vals[i], vals[i + 1]
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        if a == 0.0:
            out.append((float(grid[i]), bool(i > 0 and vals[i - 1] > 0.0 > b)))
        elif a * b < 0.0:
            out.append((float(brentq(f, grid[i], grid[i + 1], xtol=1e-12, rtol=1e-12)), bool(a > 0.0)))
    if vals[-1] == 0.0:
        out.append((float(grid[-1]), bool(vals[-2] > 0.0)))
    return out


def _extremum_roots(f, grid: np.ndarray, vals: np.ndarray, tol: float) -> list[tuple[float, bool]]:
    """Roots in pairs between grid points with no sign change: at each local maximum of ``vals``
    below zero (minimum above) whose neighbours' differences leave room to reach zero, the extremum
    is refined (bounded Brent) and, if it crosses zero, a root is bracketed on each side of it. A
    refined extremum within ``tol`` of zero touches it: one (double) root there, ``falling`` False."""
    out = []
    d = np.diff(vals)
    for i in range(1, grid.size - 1):
        y = vals[i - 1:i + 2]
        if not np.all(np.isfinite(y)) or not (np.all(y < 0.0) or np.all(y > 0.0)):
            continue
        s = 1.0 if y[1] < 0.0 else -1.0     # +1: a maximum below zero; -1: a minimum above it
        if not (s * d[i - 1] > 0.0 > s * d[i]) or abs(y[1]) > 2.0 * max(abs(d[i - 1]), abs(d[i])):
            continue
        a, b = float(grid[i - 1]), float(grid[i + 1])
        ext = minimize_scalar(lambda r: -s * f(r), bounds=(a, b), method="bounded",
                              options={"xatol": 1e-14 * max(1.0, abs(grid[i]))})
        xm, ym = float(ext.x), f(float(ext.x))
        if abs(ym) <= tol:
            out.append((xm, False))
        elif s * ym > 0.0:   # crosses zero: below and above the extremum
            out.append((float(brentq(f, a, xm, xtol=1e-12, rtol=1e-12)), s < 0))
            out.append((float(brentq(f, xm, b, xtol=1e-12, rtol=1e-12)), s > 0))
    return out


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
    the end, by more than rounding (1e-12 of the sum of the flows' sizes: flows that sum to zero
    pay back at the end). [yr]: periods divided by ``periods_per_year`` (1: yearly flows, 12: monthly).

    Examples
    --------
    >>> payback_years([-100.0, 30.0, 30.0, 30.0, 30.0])   # cum -10 after 3, +20 after 4
    3.3333333333333335
    >>> payback_years([-100.0, 150.0, -100.0, 100.0])   # back below zero in period 2
    2.5
    >>> payback_years([-100.0, 30.0, 30.0, 30.0, 30.0], periods_per_year=12)   # months
    0.2777777777777778
    """
    v = _values(values, one=True)
    p = _ppy(periods_per_year)
    cum = np.cumsum(v)
    # a cumulative within rounding of zero is zero: the sum of n flows carries up to ~n eps sum|v| of
    # rounding (an 8 % annuity discounted at 8 % ends at -1e-12, not 0); 1e-12 sum|v| is far above
    # that and far below any cash that matters (1 USD in 1e12)
    tol = 1e-12 * float(np.abs(v).sum())
    neg = np.nonzero(cum < -tol)[0]
    if neg.size == 0:
        return 0.0
    last_neg = neg[-1]
    if last_neg == v.size - 1:
        return None
    # cum crosses zero during period last_neg + 1 (at its end at the latest: within the tolerance)
    frac = min(1.0, -cum[last_neg] / v[last_neg + 1])
    return float((last_neg + frac) / p)


def discounted_payback_years(rate, values, periods_per_year: float = 1) -> float | None:
    """Payback of the discounted cash flows (see :func:`payback_years`), period ``t``
    discounted by ``(1 + rate) ** (-t / periods_per_year)`` (``rate`` a fraction per year in
    (-1, 1], as :func:`npv`). [yr]"""
    r = _one_rate(rate)
    v = _values(values, one=True)
    p = _ppy(periods_per_year)
    return payback_years(v * (1.0 + r) ** (-np.arange(v.size) / p), p)


def levelized_cost(rate, costs, quantities, periods_per_year: float = 1) -> float:
    r"""Levelized cost :math:`\sum_t c_t (1+r)^{-t/p} / \sum_t q_t (1+r)^{-t/p}`.

    Parameters
    ----------
    rate : float
        Discount rate per year, a fraction in (-1, 1] (as :func:`npv`). [frac/yr]
    costs : array_like
        Costs per period. [USD]
    quantities : array_like
        Output per period (GPU-h, MWh, tokens), same length, each >= 0 (an output is never
        negative; a negative one would offset the others and inflate the unit cost). [unit]
    periods_per_year : float, default 1
        ``p`` (12: monthly periods). [1/yr]

    Returns
    -------
    float
        [USD per unit].

    Raises
    ------
    InputError
        When every quantity is zero (field ``quantities``): there is no output to divide by, so no
        cost per unit exists (it was NaN).
    """
    _one_rate(rate)
    c, q = _values(costs, "costs", one=True), _values(quantities, "quantities", one=True)
    if c.shape[-1] != q.shape[-1]:
        raise InputError(f"costs has {c.shape[-1]} periods but quantities {q.shape[-1]}",
                         field="quantities")
    neg = np.flatnonzero(q < 0)
    if neg.size:
        i = int(neg[0])
        raise InputError(f"period {i} is {q[i]:g}; allowed: an output of 0 or more in every period "
                         f"({neg.size} negative)", field="quantities")
    if not np.any(q > 0):   # >= 0 each (above) and none > 0: the discounted sum is 0
        raise InputError(f"every period's output is 0 ({q.size} period{'s' if q.size != 1 else ''}): no output to "
                         "divide the cost by, so no cost per unit exists; allowed: an output > 0 in at least one "
                         "period", field="quantities")
    return float(npv(rate, c, periods_per_year) / npv(rate, q, periods_per_year))
