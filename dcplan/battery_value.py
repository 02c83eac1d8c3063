"""What the site battery costs a year, to set beside what it takes off the bill.

The site bill (:func:`dcplan.pipeline.run_site_year`) is the bill of the grid draw after the
on-site PV and the site battery (``interconnection.battery``): it counts the battery's peak
shaving and shifting as a saving and nothing of the battery's cost. A site with a battery would
then look cheaper per GPU-hour than the same site without it, however dear the battery, and a
sweep over the battery's size would always favour the largest. The TCO (:mod:`dcplan.tco`) pays
the battery's capex and O&M over its horizon; for the one-year figures (site analysis, portfolio
comparison, sweep), which are year-1 bills at today's rates, the battery's life cost is put in
the same year-1 terms as its saving, exactly as the PV's is (:mod:`dcplan.solar_value`):

    annual cost = (capex + O&M_1 x L_om) / L_save

    L_save = sum_{t=1..n} (1 + e) ** (t - 1) / (1 + r) ** t
    L_om   = sum_{t=1..n} (1 + i) ** (t - 1) / (1 + r) ** t

``L_save`` is the present value of a 1-USD year-1 bill saving over the battery's life, rising
with the electricity escalation ``e``; it has no fade term: the TCO repeats the typical year's
dispatch every year (the battery holds its nameplate energy over its life), so the battery's
saving is counted the same way here. Constant capacity is assumed, so the augmentation that keeps
it (cells added as the battery fades) must be in its O&M: NREL ATB 2020 (Battery Storage, O&M costs,
from Cole & Frazier 2020) puts a utility battery's fixed O&M, augmentation included, at 2.5 % of
capital cost a year; dcplan's ``maintenance_facility_frac`` (2 %, an estimate) is below it. The
saving is also an upper bound for a real controller: the dispatch has perfect foresight
(:mod:`dcplan.battery_bill`, :func:`dcplan.grid_battery.demand_targets_kw`). ``L_om`` is that of
1 USD of year-1 O&M rising with
inflation ``i``; ``r`` is the site's discount rate and ``n`` the battery's economic life
(:data:`dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS` ``["battery"]``, 15 yr,
:data:`dcplan.specs.finance.BATTERY_LIFE_YEARS`). So the year-1 saving less the annual cost is
the battery's net present value over its life divided by ``L_save``: positive exactly when the
battery pays for itself over its life (before tax, with no incentive, as the PV's).

``capex = battery_usd_per_kwh x energy_kwh``, the nameplate energy
(``interconnection.battery.energy_mwh`` x 1000), as the TCO's ``capex_battery_usd``
(:func:`dcplan.tco_inputs.inputs_from_site`); ``O&M_1 = maintenance_facility_frac x capex``, the
battery's share of the TCO's ``opex_maintenance_facility_usd`` (facility, interconnection and
battery capex x that fraction a year). Both from ``data/costs.csv``, or the site's
``finance.costs``; ``e``, ``i`` and ``r`` as the TCO takes them (``finance.costs`` over the
``finance:`` section). Left out, as they are of the PV's annual cost: the TCO's insurance and
property tax on the battery's capex (``insurance_frac``, ``property_tax_frac`` a year), its tax
depreciation and its residual value at the TCO's horizon.
"""
from __future__ import annotations

from typing import Any

from .solar_value import finance_lookup, life_factors

__all__ = ["battery_annual_cost", "paid_for_text", "BATTERY_CAPEX_KEY", "BATTERY_OM_KEY"]

#: data/costs.csv keys of the battery's installed cost [USD/kWh] and its O&M [share of capex a year]
#: (the TCO's, :func:`dcplan.tco_cashflows._opex`).
BATTERY_CAPEX_KEY = "battery_usd_per_kwh"
BATTERY_OM_KEY = "maintenance_facility_frac"


def battery_annual_cost(site) -> dict[str, Any]:
    """The site battery's cost a year in year-1 terms (module docstring) and its parts.

    Parameters
    ----------
    site : dcplan.site.Site
        Its ``interconnection.battery`` (none: all costs 0) and ``finance``.

    Returns
    -------
    dict
        ``energy_kwh`` [kWh, nameplate], ``capex_usd`` [USD], ``om_usd`` [USD, year 1],
        ``life_years`` [yr], ``discount_rate_frac``, ``electricity_escalation_frac``,
        ``inflation_frac``, ``saving_factor`` (``L_save`` [yr]), ``om_factor`` (``L_om`` [yr]),
        ``annual_cost_usd`` [USD/yr] and ``sources`` (key -> where the figure came from). All
        costs 0 without a battery (no ``interconnection.battery`` section).
    """
    from .tco_assumptions import ECONOMIC_LIFE_YEARS
    bat = getattr(getattr(site, "interconnection", None), "battery", None)
    kwh = 1000.0 * float(bat.energy_mwh) if bat is not None else 0.0
    src = {"energy_kwh": ("site.interconnection.battery.energy_mwh x 1000" if bat is not None
                          else "site: no interconnection.battery section (0)")}
    cost, rate = finance_lookup(site, src)
    r, e, i = rate("discount_rate_frac"), rate("electricity_escalation_frac"), rate("inflation_frac")
    life = float(ECONOMIC_LIFE_YEARS["battery"])
    l_save, l_om = life_factors(r, e, i, life)   # no fade: the TCO repeats year-1 dispatch
    capex = cost(BATTERY_CAPEX_KEY) * kwh
    om = cost(BATTERY_OM_KEY) * capex
    return {"energy_kwh": kwh, "capex_usd": capex, "om_usd": om, "life_years": life, "discount_rate_frac": r,
            "electricity_escalation_frac": e, "inflation_frac": i, "saving_factor": l_save, "om_factor": l_om,
            "annual_cost_usd": (capex + om * l_om) / l_save if kwh > 0 else 0.0, "sources": src}


def paid_for_text(pv_annual_cost_usd: float, battery_annual_cost_usd: float) -> str:
    """What an electricity cost adds to the bill, for its label: ``""`` when neither the PV's nor
    the battery's annual cost is above 0, else e.g. ``"on-site PV's and battery's annualised cost"``
    (naming only the ones the site has).

    >>> paid_for_text(613_498.0, 0.0)
    "on-site PV's annualised cost"
    >>> paid_for_text(613_498.0, 193_000.0)
    "on-site PV's and battery's annualised cost"
    >>> paid_for_text(0.0, 193_000.0)
    "site battery's annualised cost"
    >>> paid_for_text(0.0, float("nan"))
    ''
    """
    pv = float(pv_annual_cost_usd or 0.0) > 0
    bat = float(battery_annual_cost_usd or 0.0) > 0
    if pv and bat:
        return "on-site PV's and battery's annualised cost"
    if pv:
        return "on-site PV's annualised cost"
    return "site battery's annualised cost" if bat else ""
