"""The TCO's electricity bill of a partly built fleet: the standing charges it pays in full.

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

**When the site is billed**: from the first month any of its GPUs operates (draws power:
``operations_start_month``, the first month of ``energy_m > 0``), per case; the months before (the
build, GPUs installed waiting for grid power) pay no bill, as before. From then on the standing
charges are paid in full every month.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["BillParts", "bill_parts", "partial_fleet_bill", "STANDING_RULE"]

#: The rule in words (the electricity row's description, the notebook).
STANDING_RULE = ("before full build-out the bill is the full build-out bill's energy part (and any minimum top-up) "
                 "scaled by the share of the full build-out's IT energy operating, its demand charges scaled the "
                 "same way but not below what the contract-demand floor bills, and its fixed customer charges in "
                 "full, never less than the bill of no load; the site is billed from the first month a GPU operates "
                 "(dcplan.tco_bill_parts)")


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
    """

    fixed_usd: np.ndarray
    demand_usd: np.ndarray
    floor_demand_usd: np.ndarray
    standing_usd: np.ndarray

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


def partial_fleet_bill(bills: np.ndarray, share: np.ndarray, parts: BillParts | None, calendar) -> np.ndarray:
    """The bill of each month at the operating ``share`` of the full build-out's IT energy. [USD]

    Parameters
    ----------
    bills : ndarray (1 or n, M)
        Each month's full build-out bill (its calendar month, the PV at its age). [USD]
    share : ndarray (1 or n, M)
        Share of the full build-out's IT energy operating; 0 before the site is billed. [frac]
    parts : BillParts or None
        None: the whole bill scaled by ``share`` (no parts known).
    calendar : callable
        Maps a (12,) calendar-month array onto the months ``(1 or n, M)`` as ``bills``
        (:func:`dcplan.tco_ramp.monthly_electricity`).

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
    rest = bills - fixed - demand                      # energy and minimum top-ups: scale with the load
    part = np.maximum(standing, fixed + share * rest + np.maximum(share * demand, floor))
    return np.where(share > 1e-12, part, 0.0)     # billed from the first month a GPU operates
