"""A tariff read interval by interval, for a scheduler (part of :mod:`dcplan.tariff`).

:class:`IntervalPrices` holds the methods :class:`~dcplan.tariff.Tariff` inherits that read a parsed tariff on a
time grid rather than bill a load: :meth:`~IntervalPrices.energy_price` (each interval's $/kWh),
:meth:`~IntervalPrices.demand_period` (its TOU demand period) and :meth:`~IntervalPrices.demand_charges` (the
demand-charge structure, one row per kind, period, month and tier). :mod:`dcplan.schedule`'s tariff adapter builds
its LP from them; they are called on a tariff as ever (``tariff.energy_price(index)``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .tariff_clock import check_clock
from .tariff_engine import cached_calendar as _cached_calendar

__all__ = ["IntervalPrices"]


class IntervalPrices:
    """Prices for optimisation: the part of :class:`~dcplan.tariff.Tariff` (which inherits it) that reads the
    tariff's own fields on an index. Holds no state of its own."""

    def energy_price(self, index: pd.DatetimeIndex, *, tier: int = 0, holidays=None) -> pd.Series:
        """Energy price of each interval of ``index`` at the given tier. [$/kWh]

        Includes ``adj``, fuel adjustments, the real-time price and energy escalation.
        """
        cal = _cached_calendar(check_clock(self, index), self.holidays if holidays is None else holidays, "index")
        p = np.where(cal.weekend, self.energy_weekend[cal.month_of_year, cal.hour],
                     self.energy_weekday[cal.month_of_year, cal.hour])
        t = min(int(tier), self.energy_rate.shape[1] - 1)
        price = self.energy_rate[p, t].astype(float)
        if self.fuel_adj_usd_per_kwh is not None:
            price = price + self.fuel_adj_usd_per_kwh[cal.month_of_year]
        if self.rtp_usd_per_kwh is not None:
            from .tariff_bill import rtp_on
            price = price + rtp_on(self.rtp_usd_per_kwh, cal)
        f = self.escalation_frac_per_year.get("energy", 0.0)
        if f:
            price = price * (1 + f) ** (cal.month_year[cal.month_id] - self.escalation_base_year)
        return pd.Series(price, index=index, name="price_usd_per_kwh")

    def demand_period(self, index: pd.DatetimeIndex, *, holidays=None) -> pd.Series:
        """TOU demand period index of each interval (0 everywhere when there is none)."""
        cal = _cached_calendar(check_clock(self, index), self.holidays if holidays is None else holidays, "index")
        if self.demand_rate is None:
            return pd.Series(0, index=index, name="demand_period")
        p = np.where(cal.weekend, self.demand_weekend[cal.month_of_year, cal.hour],
                     self.demand_weekday[cal.month_of_year, cal.hour])
        return pd.Series(p, index=index, name="demand_period")

    def demand_charges(self) -> pd.DataFrame:
        """Demand-charge structure for a scheduler: one row per (kind, period, month, tier).

        Columns: ``kind`` ("flat", "tou", "4cp"), ``period``, ``month`` (1-12),
        ``tier``, ``upper_kw`` (tier bound; inf if open, and for the last tier, which
        bills all demand above the one below it, as :meth:`~dcplan.tariff.Tariff.bill` does) and ``usd_per_kw``
        [$/kW-month]; use :meth:`demand_period` to map intervals to TOU periods.
        """
        rows = []
        up = lambda u, p, t: np.inf if t == u.shape[1] - 1 else float(u[p, t])  # noqa: E731 (last tier open)
        if self.flat_rate is not None:
            for m in range(12):
                p = int(self.flat_months[m])
                for t in range(self.flat_rate.shape[1]):
                    rows.append(("flat", p, m + 1, t, up(self.flat_upper, p, t), self.flat_rate[p, t]))
        if self.demand_rate is not None:
            for m in range(12):
                present = set(self.demand_weekday[m]) | set(self.demand_weekend[m])
                for p in sorted(present):
                    for t in range(self.demand_rate.shape[1]):
                        rows.append(("tou", int(p), m + 1, t, up(self.demand_upper, p, t), self.demand_rate[p, t]))
        if self.fourcp_usd_per_kw_month:
            rows += [("4cp", 0, m + 1, 0, np.inf, self.fourcp_usd_per_kw_month) for m in range(12)]
        return pd.DataFrame(rows, columns=["kind", "period", "month", "tier", "upper_kw", "usd_per_kw"])
