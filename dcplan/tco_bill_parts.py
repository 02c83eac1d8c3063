"""The TCO's electricity bill of a partly built fleet: the standing charges it pays in full, and the
on-site PV's output it uses whole.

Before full build-out the TCO bills a month at the share ``s`` of the full build-out's IT energy the
fleet draws (``energy_m`` of :mod:`dcplan.tco_cashflows`). Scaling the whole full build-out bill by
``s`` shrank the charges that do not follow the load: a tariff's fixed customer charges and the
demand a ``contract_demand_kw`` floors (take-or-pay, :meth:`dcplan.tariff.Tariff.with_contract_demand`).
With the bill's parts (:class:`BillParts`, :func:`bill_parts`) a month of calendar month ``c`` pays

``max(standing_c, fixed_c + s x (bill_c - fixed_c - demand_c) + max(s x demand_c, floor_demand_c))``

(:func:`partial_fleet_bill`): the fixed charges whole, the energy (and minimum-charge) part scaled by
``s`` as before, the demand charges scaled by ``s`` but never below what the contract floor bills, and
never less than the bill of no load at all (``standing_c``: fixed charges, the floor's demand charges
and any monthly minimum top-up). At ``s = 1`` it is the full build-out bill. The demand part is exact
for a demand charge of one rate whose floor is the contract (``rate x max(s x peak, floor)``); tiered or
ratcheted demand charges are scaled as the energy is (an approximation, as before).

**The on-site PV is not scaled.** ``bill_c`` is the bill of the facility load *less the PV*; scaling it
by ``s`` scaled the PV's saving by ``s`` too, as if a half-built fleet used half the array's output. The
array produces the same energy whatever ``s`` is, and the partial load absorbs all of it up to that load:
the meter draws ``max(0, s x facility_kw - pv_kw)`` each hour, not ``s x max(0, facility_kw - pv_kw)``
(PV tester finding, northern-virginia: the 2027 half-fleet year saved 56,061 USD of PV against ~112k).
:func:`with_partial_pv_bills` bills that meter load (through the site's battery, as
:func:`dcplan.pipeline.electricity_by_pv_age` bills the full load) at the operating shares of
:data:`SHARE_GRID_FRAC` and each PV age, and keeps per calendar month what it differs from the rule above
(``BillParts.pv_correction_usd``, at most 0: the PV's saving the scaled rule leaves out; 0 at ``s = 0``
and ``s = 1``); :func:`partial_fleet_bill` adds it, interpolated linearly in ``s``, to the rule. A site
without PV has no correction (the rule above is its bill).

**When the site is billed**: from the first month any of its GPUs operates (draws power:
``operations_start_month``, the first month of ``energy_m > 0``), per case; the months before (the
build, GPUs installed waiting for grid power) pay no bill, as before (the PV's output then is spilled:
the bill credits no export). From then on the standing charges are paid in full every month.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["BillParts", "bill_parts", "partial_fleet_bill", "with_partial_pv_bills", "SHARE_GRID_FRAC",
           "STANDING_RULE"]

#: The rule in words (the electricity row's description, the notebook).
STANDING_RULE = ("before full build-out the bill is the full build-out bill's energy part (and any minimum top-up) "
                 "scaled by the share of the full build-out's IT energy operating, its demand charges scaled the "
                 "same way but not below what the contract-demand floor bills, and its fixed customer charges in "
                 "full, never less than the bill of no load; with on-site PV, less the part of the PV's saving that "
                 "scaling leaves out (the meter draws max(0, share x facility - PV): the array's whole output serves "
                 "the partial load); the site is billed from the first month a GPU operates (dcplan.tco_bill_parts)")

#: Operating shares at which :func:`with_partial_pv_bills` bills the partial load with the PV: 0 to 1 in
#: steps of 0.0125, and 0.001 .. 0.02 closer (the first steps of a bill of a small load bend most).
#: dcplan's choice, not a sourced figure: the correction is interpolated linearly between them; the bill of
#: ``max(0, s x facility - PV)`` is convex in ``s``, so the interpolation can only overstate it. The bill bends
#: most at shares where the PV covers the partial load in some hours (up to max(PV) / min(facility), 0.16 at a
#: northern-virginia copy with 1 MW of PV): there a verifier measured up to 0.73 % of the partial month's bill at
#: shares of 2-6 % (+115 USD in a month at 0.021; +1,298 USD over a year at 0.03), under 0.01 % above about 6 %,
#: and under 0.02 % of the full build-out month's bill at any share (tests/test_tco_pv_partial.py checks bills
#: between the points against the tariff's own bill of the meter load, to 0.05 %). [frac]
SHARE_GRID_FRAC = np.unique(np.concatenate([np.linspace(0.0, 1.0, 81), [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015]]))


@dataclass(frozen=True)
class BillParts:
    """The parts of a typical year's full build-out bill that do not scale with the load, per calendar
    month January..December at the tariff's prices. [USD]

    Attributes
    ----------
    fixed_usd : ndarray (12,)
        Fixed (customer) charges of the full build-out bill (``Bill.monthly["fixed_usd"]``). [USD]
    demand_usd : ndarray (12,)
        Demand charges of the full build-out bill (``Bill.monthly["demand_usd"]``). [USD]
    floor_demand_usd : ndarray (12,)
        Demand charges of the bill of no load: what the contract-demand floor bills (0 without one). [USD]
    standing_usd : ndarray (12,)
        The whole bill of no load: fixed charges, the floor's demand charges, any minimum top-up. [USD]
    share_grid_frac : ndarray (K,), optional
        Operating shares, rising from 0 to 1, at which ``pv_correction_usd`` is given
        (:data:`SHARE_GRID_FRAC`). [frac]
    pv_correction_usd : ndarray (n_ages, 12, K), optional
        At PV age ``a`` (the rows of ``ElectricityByPvAge.monthly_usd``, or 1 row for every age), calendar
        month ``c`` and share ``share_grid_frac[k]``: the bill of the meter load ``max(0, s x facility - PV)``
        less the scaled rule's bill (:func:`partial_fleet_bill` without it); at most 0 (the PV's saving the
        rule leaves out). None (with ``share_grid_frac``): no correction, a site without PV.
        :func:`with_partial_pv_bills` fills both. [USD]
    """

    fixed_usd: np.ndarray
    demand_usd: np.ndarray
    floor_demand_usd: np.ndarray
    standing_usd: np.ndarray
    share_grid_frac: np.ndarray | None = None
    pv_correction_usd: np.ndarray | None = None

    def __post_init__(self):
        for name in ("fixed_usd", "demand_usd", "floor_demand_usd", "standing_usd"):
            try:
                v = np.array(getattr(self, name), dtype=float)
            except (TypeError, ValueError):
                raise InputError(f"need 12 monthly amounts (USD), got {getattr(self, name)!r}",
                                 field=f"electricity.parts.{name}") from None
            if v.shape != (12,) or not np.all(np.isfinite(v)):
                raise InputError(f"need 12 finite monthly amounts (USD, January first), got shape {v.shape}",
                                 field=f"electricity.parts.{name}")
            v.setflags(write=False)
            object.__setattr__(self, name, v)
        if (self.share_grid_frac is None) != (self.pv_correction_usd is None):
            raise InputError("give share_grid_frac and pv_correction_usd together (or neither)",
                             field="electricity.parts.pv_correction_usd")
        if self.share_grid_frac is None:
            return
        try:
            g = np.array(self.share_grid_frac, dtype=float)
            c = np.array(self.pv_correction_usd, dtype=float)
        except (TypeError, ValueError):
            raise InputError("need numbers: shares [frac] and corrections [USD]",
                             field="electricity.parts.pv_correction_usd") from None
        if (g.ndim != 1 or g.size < 2 or not np.all(np.isfinite(g)) or g[0] != 0.0 or g[-1] != 1.0
                or not np.all(np.diff(g) > 0)):
            raise InputError(f"need shares rising strictly from 0 to 1, got {_short(g)}",
                             field="electricity.parts.share_grid_frac")
        if c.ndim != 3 or c.shape[0] < 1 or c.shape[1:] != (12, g.size) or not np.all(np.isfinite(c)):
            raise InputError(f"need finite corrections of shape (n_ages, 12, {g.size}) (USD), got shape {c.shape}",
                             field="electricity.parts.pv_correction_usd")
        for name, v in (("share_grid_frac", g), ("pv_correction_usd", c)):
            v.setflags(write=False)
            object.__setattr__(self, name, v)


def _short(v) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


def _by_calendar_month(monthly: pd.DataFrame, col: str) -> np.ndarray:
    m = monthly[col]
    if len(m) != 12:
        raise InputError(f"the bill covers {len(m)} months; need the bill of one year (12 months)",
                         field="electricity")
    idx = m.index
    if isinstance(idx, (pd.PeriodIndex, pd.DatetimeIndex)):
        m = m.iloc[np.argsort(idx.month)]
    return np.asarray(m, dtype=float)


def bill_parts(bill, tariff, index: pd.DatetimeIndex, **bill_kwargs) -> BillParts:
    """The :class:`BillParts` of a full build-out ``bill`` (a ``dcplan.tariff`` Bill of one load over
    one year), with the bill of no load on ``tariff`` over the same hours ``index`` (tz-aware, fixed
    frequency: the load's index) and ``bill_kwargs`` (as the bill was billed:
    :func:`dcplan.pipeline.site_bill_kwargs`)."""
    monthly = getattr(bill, "monthly", None)
    if monthly is None or not np.isscalar(getattr(bill, "total_usd", None)):
        raise InputError("need the Bill of one load (the full build-out's)", field="electricity")
    if not callable(getattr(tariff, "bill", None)):
        raise InputError(f"need a dcplan.tariff.Tariff, got {type(tariff).__name__}", field="tariff")
    zero = tariff.bill(pd.Series(0.0, index=index, name="grid_kw"), **bill_kwargs).monthly
    return BillParts(_by_calendar_month(monthly, "fixed_usd"), _by_calendar_month(monthly, "demand_usd"),
                     _by_calendar_month(zero, "demand_usd"), _by_calendar_month(zero, "total_usd"))


def _rule(bills, share, fixed, demand, floor, standing):
    """The scaled rule of the module docstring (no PV correction), elementwise. [USD]"""
    rest = bills - fixed - demand                      # energy and minimum top-ups: scale with the load
    return np.maximum(standing, fixed + share * rest + np.maximum(share * demand, floor))


def partial_fleet_bill(bills: np.ndarray, share: np.ndarray, parts: BillParts | None, calendar) -> np.ndarray:
    """The bill of each month at the operating ``share`` of the full build-out's IT energy. [USD]

    Parameters
    ----------
    bills : ndarray (1 or n, M)
        Each month's full build-out bill (its calendar month, the PV at its age). [USD]
    share : ndarray (1 or n, M)
        Share of the full build-out's IT energy operating; 0 before the site is billed. [frac]
    parts : BillParts or None
        None: the whole bill scaled by ``share`` (no parts known). With ``pv_correction_usd`` the
        PV's correction is added, interpolated linearly in the share (clipped to 0..1).
    calendar : callable
        Maps a (12,) calendar-month array, or an ``(n_ages, 12)`` table by PV age and calendar month,
        onto the months ``(1 or n, M)`` as ``bills``, by lookup (each month takes the entry of its
        calendar month and PV age: :func:`dcplan.tco_ramp.monthly_electricity`).

    >>> p = BillParts(fixed_usd=[100.0] * 12, demand_usd=[1000.0] * 12, floor_demand_usd=[800.0] * 12,
    ...               standing_usd=[900.0] * 12)
    >>> cal = lambda x: np.asarray(x, dtype=float)[None, :3]
    >>> # full bill 3,100 (energy 2,000): at 50 %: 100 + 0.5 x 2,000 + max(500, 800) = 1,900
    >>> partial_fleet_bill(np.full((1, 3), 3100.0), np.array([[0.0, 0.5, 1.0]]), p, cal)
    array([[   0., 1900., 3100.]])
    """
    if parts is None:
        return bills * share
    fixed, demand = calendar(parts.fixed_usd), calendar(parts.demand_usd)
    floor, standing = calendar(parts.floor_demand_usd), calendar(parts.standing_usd)
    part = _rule(bills, share, fixed, demand, floor, standing)
    if parts.pv_correction_usd is not None:
        part = part + _pv_correction(parts, share, calendar)
    return np.where(share > 1e-12, part, 0.0)     # billed from the first month a GPU operates


def _pv_correction(parts: BillParts, share: np.ndarray, calendar) -> np.ndarray:
    """``parts.pv_correction_usd`` at each month's PV age, calendar month and share (linear in the share
    between the points of ``parts.share_grid_frac``), ``(1 or n, M)``. [USD]"""
    corr, g = parts.pv_correction_usd, parts.share_grid_frac
    n_ages = corr.shape[0]
    # calendar is a lookup: mapping the month numbers 0..11 (the ages 0..n-1) gives each month's own
    cal = np.rint(calendar(np.arange(12.0))).astype(int)
    age = (np.zeros_like(cal) if n_ages == 1 else
           np.rint(calendar(np.repeat(np.arange(n_ages, dtype=float)[:, None], 12, axis=1))).astype(int))
    s = np.clip(np.asarray(share, dtype=float), 0.0, 1.0)
    k = np.clip(np.searchsorted(g, s, side="right") - 1, 0, g.size - 2)
    w = (s - g[k]) / (g[k + 1] - g[k])
    cal, age, k, w = np.broadcast_arrays(cal, age, k, w)
    return (1.0 - w) * corr[age, cal, k] + w * corr[age, cal, k + 1]


def with_partial_pv_bills(parts: BillParts, y, electricity, tariff, shares=None, **bill_kwargs) -> BillParts:
    """``parts`` with the PV's correction of a partly built fleet (``BillParts.pv_correction_usd``).

    At each operating share ``s`` of ``shares`` (default :data:`SHARE_GRID_FRAC`) and each PV age ``a``
    of ``electricity`` (its rows), bills on ``tariff`` (with ``bill_kwargs``, as the full bills were billed:
    :func:`dcplan.tariff_site.site_bill_kwargs`) the meter load ``max(0, s x facility_kw - f_a x pv_kw)``
    of the site-year ``y`` (:func:`dcplan.pipeline.run_site_year`; ``f_a = max(0, 1 - d x a)``, ``d`` the
    PV's ``electricity.degradation_frac_per_year``), after the site's battery when it has one (dispatched
    again for each load, as :func:`dcplan.pipeline.electricity_by_pv_age` does; a battery's dispatch at
    the first PV age stands for every age), and keeps per calendar month what that bill differs from the
    scaled rule (:func:`partial_fleet_bill` without the correction). The bill at ``s = 1`` must be
    ``electricity``'s own bill at that age (the same load, tariff and billing), else an InputError. A
    site-year without PV output returns ``parts`` unchanged (no correction: the rule is its bill).
    """
    from .tco_electricity import ElectricityByPvAge
    if not isinstance(parts, BillParts):
        raise InputError(f"need a BillParts (dcplan.tco_bill_parts.bill_parts), got {type(parts).__name__}",
                         field="electricity.parts")
    if not isinstance(electricity, ElectricityByPvAge):
        raise InputError(f"need the bills by PV age (dcplan.pipeline.electricity_by_pv_age), got "
                         f"{type(electricity).__name__}", field="electricity")
    fac, pv = getattr(y, "facility_kw", None), getattr(y, "pv_kw", None)
    if not isinstance(fac, pd.Series) or not isinstance(pv, pd.Series) or not fac.index.equals(pv.index):
        raise InputError("need a site-year with hourly facility_kw and pv_kw on one index "
                         "(dcplan.pipeline.run_site_year)", field="y")
    if not (pv > 0).any():
        return parts
    g = SHARE_GRID_FRAC if shares is None else np.asarray(shares, dtype=float)
    tab = electricity.monthly_usd
    site = getattr(y, "site", None)
    battery = (site is not None and getattr(site, "interconnection", None) is not None
               and site.interconnection.battery is not None)
    d = electricity.degradation_frac_per_year
    n_ages = 1 if (d == 0.0 or battery or (tab == tab[0]).all()) else tab.shape[0]
    f_age = np.clip(1.0 - d * np.arange(n_ages), 0.0, None)
    F, P = fac.to_numpy(dtype=float), pv.to_numpy(dtype=float)
    b = np.empty((n_ages, 12, g.size))
    for a, f in enumerate(f_age):                  # one bill of len(g) loads per age: memory stays small
        if battery:
            from .pipeline import _grid_kw   # the site's meter: PV, then the battery (as run_site_year)
            cols = [_grid_kw(site, fac * x, pv * f)[0].clip(lower=0.0).to_numpy() for x in g]
        else:
            cols = [np.maximum(0.0, x * F - f * P) for x in g]
        loads = pd.DataFrame(np.column_stack(cols), index=fac.index)
        total = tariff.bill(loads, **bill_kwargs).monthly["total_usd"].unstack("scenario")   # (months, loads)
        if len(total) != 12:
            raise InputError(f"the bill covers {len(total)} months; need the bill of one year (12 months)",
                             field="electricity")
        if isinstance(total.index, (pd.PeriodIndex, pd.DatetimeIndex)):
            total = total.iloc[np.argsort(total.index.month)]
        b[a] = total.to_numpy(dtype=float)
    full = b[:, :, -1]
    want = tab[:n_ages]
    if not np.allclose(full, want, rtol=1e-6, atol=1e-6 * max(1.0, float(np.abs(want).max()))):
        raise InputError("the bill of the full load at share 1 is not the electricity's own bill: bill the "
                         "partial loads on the tariff, site-year and billing options the bills by PV age were "
                         "billed with", field="electricity.parts")
    rule = _rule(full[:, :, None], g[None, None, :], parts.fixed_usd[None, :, None],
                 parts.demand_usd[None, :, None], parts.floor_demand_usd[None, :, None],
                 parts.standing_usd[None, :, None])
    corr = b - rule
    corr[:, :, -1] = 0.0            # the full load is the full bill (checked above)
    return dataclasses.replace(parts, share_grid_frac=g, pv_correction_usd=corr)
