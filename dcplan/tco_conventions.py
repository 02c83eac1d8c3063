"""The TCO's MACRS conventions by tax year: the mid-quarter test and the year of the horizon's sale.

Part of the TCO model (:func:`dcplan.tco_tax_lines.tax_depreciation`). The tax years are the owner's (model month
``m`` is in tax year ``(m + lead) // 12``, :func:`dcplan.tco_tax_schedule.tax_year_lead_months`; ``lead`` 0: the
project years); every month here is a month of that count, ``m + lead`` ("tax months": tax year ``t // 12``,
month ``t % 12 + 1`` of it).

* :func:`mid_quarter_years`: IRC §168(d)(3): when more than 40 % of the depreciable basis of the MACRS property a
  tax year places in service (real property excluded; property placed in service and disposed of in the same tax
  year excluded, Treas. Reg. §1.168(d)-1(b)(3); bonus not deducted from the basis tested) is placed in service in
  its last three months, **all** that year's MACRS personal property takes the mid-quarter convention (IRS Pub 946
  ch. 4, "Which Convention Applies?"; Tables A-2 to A-5 by quarter placed in service), else the half-year
  convention (Table A-1). Tested per case of a batch and per tax year.
* :func:`schedule_in_service`: a basis's deductions by tax year under its year's convention, bonus in full in the
  year placed in service (IRC §168(k), whatever the convention), and, when it is still held at the horizon's sale,
  the sale's tax year's deduction cut to the convention's share for the year of disposition
  (:func:`dcplan.finance_depreciation.disposal_year_factor`: half-year 50 %; mid-quarter by quarter of the sale;
  the 39-year shell to the middle of the month of the sale; nothing when placed in service in that tax year).
  Book straight line (``TcoInputs.depreciation = "straight-line"``) is a full-year book method: unchanged.
"""
from __future__ import annotations

import functools

import numpy as np

from .finance_depreciation import depreciation_fractions, disposal_year_factor
from .tco_tax import MID_QUARTER_SHARE

__all__ = ["mid_quarter_years", "schedule_in_service", "convention_code", "year_share", "CONVENTION_HALF_YEAR",
           "OTHER_CONVENTION"]


@functools.lru_cache(maxsize=4096)
def _cached(method, life, month_placed, bonus_frac, mid_quarter):
    f = depreciation_fractions(method, life, month_placed=month_placed, bonus_frac=bonus_frac, mid_quarter=mid_quarter)
    f.setflags(write=False)
    return f


def _fractions(method, life, month_placed, bonus_frac, mid_quarter):
    """:func:`depreciation_fractions`, cached (a Monte Carlo batch asks for the same few schedules many times)."""
    return _cached(method, life, int(month_placed), float(bonus_frac), bool(mid_quarter))


#: Convention codes of :func:`convention_code`: 0 half-year, 1-4 mid-quarter placed in that quarter, -1 another
#: method's (mid-month real property, book straight line).
CONVENTION_HALF_YEAR, OTHER_CONVENTION = 0, -1


def mid_quarter_years(placed, n: int, n_years: int) -> tuple[np.ndarray, np.ndarray]:
    """Which tax years take the mid-quarter convention, per case: ``(mq (n, Y) bool, share (n, Y))``.

    Parameters
    ----------
    placed : iterable of (ndarray, ndarray, ndarray or None)
        The MACRS personal property (every MACRS class; not the 39-year shell): ``(tax_month (n or 1, 1),
        basis (n or 1, 1), disposed_tax_month (n or 1, 1) or None)``, the month placed in service and the month
        disposed of (a refresh's, or the horizon's sale: property placed in service in the sale's tax year is
        disposed of in it), in tax months. [months, USD]
    n, n_years : int
        Cases and tax years ``Y``.

    Returns
    -------
    mq : ndarray (n, Y) bool
        ``share > MID_QUARTER_SHARE`` (IRC §168(d)(3): "more than 40 percent").
    share : ndarray (n, Y)
        The share of the year's tested basis placed in service in its last three months (NaN: none placed). [frac]
    """
    tot, q4 = np.zeros((n, n_years)), np.zeros((n, n_years))
    yrs = np.arange(n_years)
    for mo, basis, gone in placed:
        mo = np.broadcast_to(np.asarray(mo, dtype=int), (n, 1))
        b = np.broadcast_to(np.asarray(basis, dtype=float), (n, 1))
        ty = mo // 12
        keep = np.ones((n, 1), dtype=bool) if gone is None else (np.broadcast_to(gone, (n, 1)) // 12 != ty)
        at = (ty == yrs) & keep                                           # (n, Y)
        tot += b * at
        q4 += b * at * (mo % 12 >= 9)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(tot > 0, q4 / np.where(tot > 0, tot, 1.0), np.nan)
    return np.nan_to_num(share, nan=0.0) > MID_QUARTER_SHARE, share


def year_share(share: np.ndarray | None, tax_month) -> np.ndarray | None:
    """Each case's ``share`` ``(n, Y)`` (:func:`mid_quarter_years`) at the tax year of ``tax_month`` ``(n or 1, 1)``
    ``(n,)``: NaN past the ``Y`` tax years; None without ``share``."""
    if share is None:
        return None
    ty = np.asarray(tax_month, dtype=int).reshape(-1) // 12
    n = max(share.shape[0], ty.size)
    ty = np.broadcast_to(ty, (n,))
    rows = np.arange(n) if share.shape[0] > 1 else np.zeros(n, dtype=int)
    inside = ty < share.shape[1]
    out = np.full(n, np.nan)
    out[inside] = share[rows[inside], ty[inside]]
    return out


def convention_code(method: str, tax_month: np.ndarray, mq: np.ndarray | None) -> np.ndarray:
    """The convention of each case's purchase ``(n,)``: ``-1`` (:data:`OTHER_CONVENTION`) unless ``macrs``;
    0 half-year; 1-4 mid-quarter, the quarter of the tax year placed in service (``mq``: :func:`mid_quarter_years`'s,
    ``(n, Y)``; None: half-year everywhere)."""
    mo = np.asarray(tax_month, dtype=int).reshape(-1)
    if method != "macrs":
        return np.full(mo.size, OTHER_CONVENTION)
    if mq is None:
        return np.zeros(mo.size, dtype=int)
    ty = mo // 12
    n = max(mq.shape[0], mo.size)
    mo, ty = np.broadcast_to(mo, (n,)), np.broadcast_to(ty, (n,))
    inside = ty < mq.shape[1]
    flag = np.zeros(n, dtype=bool)
    rows = np.arange(n) if mq.shape[0] > 1 else np.zeros(n, dtype=int)
    flag[inside] = mq[rows[inside], ty[inside]]
    return np.where(flag, (mo % 12) // 3 + 1, CONVENTION_HALF_YEAR)


def schedule_in_service(basis: np.ndarray, method: str, life, tax_month: np.ndarray, n_years: int,
                        bonus_frac: float = 0.0, mq: np.ndarray | None = None,
                        sale_tax_month: int | None = None, return_factor: bool = False):
    """Tax depreciation ``(n, Y)`` of ``basis`` ``(n or 1, 1)`` [USD] placed in service in ``tax_month``
    ``(n or 1, 1)`` (module docstring), by tax year.

    The schedule (:func:`dcplan.finance_depreciation.depreciation_fractions`) starts in the tax year of
    ``tax_month``: MACRS under the half-year convention, or the mid-quarter one where ``mq`` (``(n, Y)``,
    :func:`mid_quarter_years`) marks that year, by the quarter placed in service, with ``bonus_frac`` in that
    year; ``real-property`` mid-month in its month of the tax year; ``straight-line`` full-year. ``life``: a
    number or ``(n,)`` (book lives of a batch). ``sale_tax_month``: the tax month the property is sold (the
    horizon's sale): that tax year deducts :func:`dcplan.finance_depreciation.disposal_year_factor` of its
    amount under the convention (not for book straight line), and none after; None: held (a caller writes off
    what a refresh leaves). Property placed in service after the ``Y`` tax years deducts nothing in them.
    ``return_factor``: also return the disposal-year factor applied ``(n,)`` (NaN: no sale within the schedule).
    """
    mo = np.asarray(tax_month, dtype=int)
    b = np.asarray(basis, dtype=float)
    n = max(b.shape[0], mo.shape[0], 1 if mq is None else mq.shape[0], np.size(life) if np.ndim(life) else 1)
    mo = np.broadcast_to(mo, (n, 1))[:, 0]
    b = np.broadcast_to(b, (n, 1))
    lives = np.broadcast_to(np.asarray(life, dtype=float), (n,)) if np.ndim(life) else np.full(n, float(life))
    code = convention_code(method, mo[:, None], mq)
    dep = np.zeros((n, n_years))
    factor = np.full(n, np.nan)
    ulives, li = np.unique(lives, return_inverse=True)
    keys, inv = np.unique((mo.astype(np.int64) * ulives.size + li) * 6 + (code + 1), return_inverse=True)
    for j, key in enumerate(keys):          # each (month, life, convention) once: a batch has few
        sel = inv == j
        key = int(key)
        c, rest = key % 6 - 1, key // 6
        m_, u = rest // ulives.size, ulives[rest % ulives.size]
        y0 = m_ // 12
        if y0 >= n_years:
            continue
        mon = m_ % 12 + 1
        lf = int(u) if method == "macrs" else u
        f = _fractions(method, lf, month_placed=mon, bonus_frac=bonus_frac if method == "macrs" else 0.0,
                                   mid_quarter=c >= 1)
        k = min(f.size, n_years - y0)
        row = f[:k].copy()
        if sale_tax_month is not None and method != "straight-line":
            ys = int(sale_tax_month) // 12 - y0                    # the sale's recovery year, 0-based
            if 0 <= ys < k:
                conv = "mid-month" if method == "real-property" else ("mid-quarter" if c >= 1 else "half-year")
                factor[sel] = disposal_year_factor(f.size, ys + 1, conv, mon, int(sale_tax_month) % 12 + 1)
                row[ys] *= factor[sel][0]
                row[ys + 1:] = 0.0
        dep[sel, y0:y0 + k] = b[sel] * row
    return (dep, factor) if return_factor else dep
