"""What the off-peak MILP leaves out of a tiered energy rate, in words (part of :mod:`dcplan.schedule`).

The schedule prices each interval's energy at its period's first tier (``Tariff.energy_price``, tier 0); the
bill of the result applies every tier (:mod:`dcplan.tariff_bill`). Where a period's tiers charge different
rates the schedule thus optimises on a spread the bill may not charge (a month past the first tier's bound
pays the later tiers' rates): :func:`tier_warning` says so with each period's rates and bounds, so a planner
can see how far the first tier reaches. Tiers of one rate (URDB lists some so) change nothing and are not
warned of.
"""
from __future__ import annotations

import numpy as np

__all__ = ["tier_warning"]

#: Periods listed in the warning; more are counted, not listed.
MAX_PERIODS_LISTED = 6
#: What a tier bound (``Tariff.energy_upper``) counts, by ``Tariff.energy_tier_unit``: a ``kWh/kW`` bound is kWh per
#: kW of the billing month's peak demand (:mod:`dcplan.tariff_tier_units`; a ``kWh/hp`` one is stored so), not
#: kWh: "200 kWh a month" for 200 kWh/kW understated a 12 MW site's first tier 12,000-fold.
TIER_BOUND_WORDS = {"kWh": "kWh a month", "kWh daily": "kWh a day",
                    "kWh/kW": "kWh per kW of the month's peak demand, a month",
                    "kWh/kW daily": "kWh per kW of the month's peak demand, a day"}


def tier_warning(tariff) -> str | None:
    """The warning for ``tariff``'s energy tiers (a :class:`dcplan.tariff.Tariff`), or None when no period's
    tiers differ in rate.

    Each period whose tiers differ is listed as ``"period 1: 0.07 USD/kWh up to 1,000,000 kWh a month, then
    0.06"``: its rates (the tier's ``rate`` + ``adj``, as parsed) and the bounds (``energy_upper``, per month or,
    for a ``kWh daily`` tariff, per day; a ``kWh/kW`` bound per kW of the month's peak: :data:`TIER_BOUND_WORDS`)
    of every tier but the last. Fuel adjustments, a real-time price and
    escalation apply to every tier alike and are left out.

    >>> from dcplan.tariff import Tariff
    >>> t = Tariff(name="x", energy_rate=np.array([[0.07, 0.06], [0.13, 0.13]]),
    ...            energy_upper=np.array([[1e6, np.inf], [np.inf, np.inf]]))
    >>> print(tier_warning(t))  # doctest: +NORMALIZE_WHITESPACE
    tariff 'x' has energy tiers of different rates (period 0: 0.07 USD/kWh up to 1,000,000 kWh a month, then
    0.06); the schedule prices every interval at its period's first-tier rate, so it optimises on a spread the
    bill may not charge: the bill of the result applies every tier (its cost and savings are billed right), but
    a month whose energy passes a first tier's bound is scheduled on the first tier's prices, not the rates it
    pays
    """
    rate = np.asarray(tariff.energy_rate, dtype=float)
    if rate.ndim != 2 or rate.shape[1] < 2:
        return None
    upper = np.asarray(tariff.energy_upper, dtype=float)
    per = TIER_BOUND_WORDS.get(str(getattr(tariff, "energy_tier_unit", "kWh")), "kWh a month")
    differ = [p for p in range(rate.shape[0]) if not np.all(rate[p] == rate[p, 0])]
    if not differ:
        return None
    names = getattr(tariff, "energy_period_names", None)
    parts = []
    for p in differ[:MAX_PERIODS_LISTED]:
        name = f"period {p}" + (f" ({names[p]})" if names and p < len(names) and names[p] else "")
        text = f"{rate[p, 0]:.4g} USD/kWh"
        for t in range(1, rate.shape[1]):
            bound = upper[p, t - 1]
            if not np.isfinite(bound):
                break
            amount = f"{bound:,.0f}" if bound >= 100 else f"{bound:.4g}"   # 1,000,000 kWh; 12.5 kWh/kW
            text += f" up to {amount} {per}, then {rate[p, t]:.4g}"
        parts.append(f"{name}: {text}")
    more = len(differ) - MAX_PERIODS_LISTED
    listed = "; ".join(parts) + (f"; and {more} more period(s)" if more > 0 else "")
    return (f"tariff {tariff.name!r} has energy tiers of different rates ({listed}); the schedule prices every "
            "interval at its period's first-tier rate, so it optimises on a spread the bill may not charge: the "
            "bill of the result applies every tier (its cost and savings are billed right), but a month whose "
            "energy passes a first tier's bound is scheduled on the first tier's prices, not the rates it pays")
