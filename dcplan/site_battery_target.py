"""The warning for a battery shaving the all-hours peak on a tariff that bills demand in some hours only.

``interconnection.battery.target: demand`` (:func:`dcplan.grid_battery.demand_targets_kw`) holds each
month's lowest all-hours peak. On a tariff whose demand charge counts only some hours (a TOU demand
period, e.g. APS E-32 TOU L's weekdays 15:00-20:00 with no all-hours charge) it spends its charge on peaks
the bill never charges and leaves the billed ones, and the energy-price spread, unused: on Phoenix (2 MW /
4 MWh) its year-1 saving was 160,626 USD and the battery "costs more than it saves" (-27,655 USD a year
net), where ``target: bill`` (:mod:`dcplan.battery_bill`) saved 268,379 USD, +80,099 USD a year net (storage
audit). The verdict flips with the target, so :func:`battery_target_warnings` says so (``dcplan validate``
and ``dcplan render``, through ``dcplan.site_plausibility.site_warnings``).

The test, on the site's tariff (:func:`dcplan.pipeline.site_tariff`): in some month, the demand rate an
hour counts in (the flat all-hours rate plus its TOU period's rate, each at its dearest tier) differs
between hours. A flat demand charge alone, or TOU periods of one rate, bill every hour alike and are not
warned; nor is a site whose tariff does not read (the tariff's own checks say why).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError

__all__ = ["hourly_demand_rates_differ", "battery_target_warnings"]


def _top(rates) -> np.ndarray:
    """Each period's dearest tier [$/kW-month]."""
    return np.asarray(rates, dtype=float).max(axis=1)


def hourly_demand_rates_differ(tariff) -> bool:
    """Whether, in some month, ``tariff``'s demand rate differs between hours (module docstring).

    >>> from dcplan.tariff import Tariff
    >>> hourly_demand_rates_differ(Tariff.flat(0.1, demand_usd_per_kw=10.0))
    False
    >>> hourly_demand_rates_differ(Tariff.flat(0.1).with_demand_charge(10.0, hours=range(15, 20)))
    True
    """
    if tariff.demand_rate is None:
        return False
    tou = _top(tariff.demand_rate)
    flat = np.zeros(12) if tariff.flat_rate is None else _top(tariff.flat_rate)[np.asarray(tariff.flat_months)]
    for m in range(12):
        periods = np.union1d(tariff.demand_weekday[m], tariff.demand_weekend[m]).astype(int)
        hourly = flat[m] + tou[periods]
        if hourly.max() > 0 and hourly.max() != hourly.min():
            return True
    return False


def battery_target_warnings(site) -> list[str]:
    """The warning for ``battery.target: demand`` on a tariff whose demand rate differs between hours
    (module docstring); empty otherwise."""
    ic = site.interconnection
    battery = getattr(ic, "battery", None) if ic is not None else None
    if battery is None or battery.target != "demand" or site.tariff is None:
        return []
    from .pipeline import site_tariff
    try:
        tariff = site_tariff(site)
    except InputError:
        return []
    if tariff is None or not hourly_demand_rates_differ(tariff):
        return []
    where = site.source_file or f"site {site.id!r}"
    named = f"tariff.file {site.tariff_path}" if site.tariff_path is not None else f"the tariff {tariff.name!r}"
    from .battery_bill import unpriced_feature
    feature = unpriced_feature(tariff, 3600.0)
    if feature is None:
        allowed = ("allowed: target: bill (the least bill under the tariff's own hours and prices), or keep "
                   "target: demand only as a deliberately simple controller")
    else:  # target: bill would be refused (dcplan.battery_bill.check_bill_tariff): do not send the planner there
        allowed = (f"target: bill (the least bill) cannot price this tariff's {feature} exactly and is refused "
                   "for it, so keep target: demand only as a deliberately simple controller, its saving a low "
                   "estimate; allowed: target: bill on a tariff without that feature (dcplan.battery_bill)")
    return [f"{where}: interconnection.battery.target: demand shaves each month's all-hours peak, while {named} "
            "bills demand at different rates in different hours (a TOU demand charge): the battery spends its "
            "charge on peaks the bill does not charge, and its saving, and so the TCO's verdict on it, can be far "
            "below what it can earn (for example, the bundled Phoenix site on APS E-32 TOU L with a 2 MW / 4 MWh "
            "battery, not this site's: 159,004 against 266,700 USD a year, tests/test_battery_bill.py); "
            f"{allowed}"]
