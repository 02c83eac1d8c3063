"""What the on-site PV costs a year, to set beside what it takes off the bill (owner: solar).

The site bill (:func:`dcplan.pipeline.run_site_year`) is the bill of the grid draw after the
PV: it counts the PV's energy as a saving and nothing of the PV's cost. A site with PV would
then look cheaper per GPU-hour than the same site without it, however dear the PV, and a sweep
over ``solar.dc_kw`` would always favour the largest array. The TCO (:mod:`dcplan.tco`) pays
the PV's capex and O&M over its horizon; for the one-year figures (site analysis, portfolio
comparison, sweep), which are year-1 bills at today's rates, the PV's life cost is put in the
same year-1 terms as its saving:

    annual cost = (capex + O&M_1 x L_om) / L_save

    L_save = sum_{t=1..n} (1 + e) ** (t - 1) x (1 - d x (t - 1)) / (1 + r) ** t
    L_om   = sum_{t=1..n} (1 + i) ** (t - 1) / (1 + r) ** t

``L_save`` is the present value of a 1-USD year-1 bill saving over the PV's life: it rises with
the electricity escalation ``e`` and falls with the PV's degradation ``d`` (the TCO's linear
``1 - d x age``); ``L_om`` that of 1 USD of year-1 O&M rising with inflation ``i``; ``r`` is the
site's discount rate and ``n`` the PV's economic life
(:data:`dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS`, 30 yr). So the year-1 saving less the
annual cost is the PV's net present value over its life divided by ``L_save``: positive exactly
when the PV pays for itself over its life (before tax, with no incentive, as the TCO), and the
saving and the cost are compared on one basis (a year-1 saving against a level 30-year payment
would not be). It takes the saving to scale with the PV's energy as it degrades (demand charges
make it a little less than proportional). ``capex = pv_usd_per_kw_dc x dc_kw`` and ``O&M_1 =
pv_om_usd_per_kw_dc_year x dc_kw`` (``data/costs.csv``, or the site's ``finance.costs``); ``e``,
``i`` and ``r`` as the TCO takes them (``finance.costs`` over the ``finance:`` section).
Every array is costed at one ``pv_usd_per_kw_dc``, derived for a ground-mounted single-axis tracked
array of about 2 MWdc (LBNL's 2023 utility-scale average plus NREL's small-plant balance-of-system gap,
``data/SOURCES.md``): a fixed-tilt array costs about 67 USD/kWdc less, one of tens of MWdc about 420 less;
a site gives its own price in ``finance.costs.pv_usd_per_kw_dc`` (:func:`pv_price_text`).

**What the saving is made of** (:func:`pv_saving_parts`, :func:`pv_value`). The year-1 saving is
the bill without the PV (:func:`dcplan.pipeline.bill_without_pv`) less the bill with it, split by
charge: energy, demand, and fixed and other charges (a minimum charge's top-up). The demand part is
an **upper bound**: the model's PV is an hourly mean, while a demand charge is set by the month's
highest 15- or 30-minute interval, and a cloud over the array in that interval puts the peak back
(the bill's own note that demand charges from hourly means are a lower bound is about the load's
sub-hourly spikes; for the PV's saving the error runs the other way). So the net value is also
given without the demand part, a figure that counts no firm PV capacity: the PV's value lies
between the two. The break-even installed cost (:func:`pv_breakeven_usd_per_kw_dc`) is the
``capex / dc_kw`` at which the net value is 0:

    saving - (c x kW + O&M_1 x L_om) / L_save = 0   =>   c = (saving x L_save - O&M_1 x L_om) / kW

The basis (30-year life, the site's discount rate, before tax, no incentive) is not the TCO's (its
``finance.horizon_years``, after tax, every asset sold at its remaining straight-line value at the
horizon), so the change the PV makes to the TCO's NPV can have the opposite sign (:func:`pv_value_text` says so).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .errors import InputError

__all__ = ["capital_recovery_factor", "pv_annual_cost", "PV_CAPEX_KEY", "PV_OM_KEY", "finance_lookup",
           "life_factors", "pv_saving_parts", "pv_breakeven_usd_per_kw_dc", "pv_value", "pv_value_of_year",
           "pv_price_text", "pv_value_text", "pv_verdict_clause", "DEMAND_UPPER_BOUND"]

#: data/costs.csv keys of the PV's installed cost [USD/kWdc] and fixed O&M [USD/kWdc-yr].
PV_CAPEX_KEY = "pv_usd_per_kw_dc"
PV_OM_KEY = "pv_om_usd_per_kw_dc_year"


def capital_recovery_factor(rate_frac: float, years: float) -> float:
    """The level yearly payment per unit of capital repaid over ``years`` at ``rate_frac``.

    ``CRF = r / (1 - (1 + r) ** -n)``; ``1 / n`` at ``r = 0``.

    >>> round(capital_recovery_factor(0.08, 30), 6)
    0.088827
    >>> capital_recovery_factor(0.0, 20)
    0.05
    """
    r, n = float(rate_frac), float(years)
    if not math.isfinite(r) or not 0.0 <= r <= 1.0:
        raise InputError(f"must be a discount rate in [0, 1] per year (a fraction: 8 % is 0.08), got {rate_frac!r}",
                         field="rate_frac")
    if not math.isfinite(n) or n <= 0:
        raise InputError(f"must be a life in years > 0, got {years!r}", field="years")
    return 1.0 / n if r == 0.0 else r / (1.0 - (1.0 + r) ** -n)


def finance_lookup(site, src: dict):
    """``(cost, rate)``: ``cost(key)`` a data/costs.csv figure, ``rate(key)`` a ``finance:`` rate, each
    with the site's ``finance.costs`` over it (as :func:`dcplan.tco_inputs.inputs_from_site`), and
    where each came from written into ``src`` (key -> source)."""
    from .tco_input_types import default_cost
    fin = site.finance
    overrides = dict(getattr(fin, "costs", {}) or {})

    def cost(key):
        if key in overrides:
            src[key] = f"site.finance.costs.{key}"
            return float(overrides[key])
        src[key] = f"data/costs.csv {key}"
        return default_cost(key)

    def rate(key):
        if key in overrides:
            src[key] = f"site.finance.costs.{key}"
            return float(overrides[key])
        src[key] = f"site.finance.{key}"
        return float(getattr(fin, key))
    return cost, rate


def life_factors(r: float, e: float, i: float, life: float, degradation_frac_per_year: float = 0.0):
    """``(L_save, L_om)`` of the module docstring over ``life`` years: the present value at ``r`` of a
    1-USD year-1 saving rising with ``e`` and falling linearly by ``degradation_frac_per_year``, and of
    1 USD of year-1 O&M rising with ``i``. [yr]"""
    capital_recovery_factor(r, life)  # checks the rate and the life
    t = np.arange(1, int(round(life)) + 1, dtype=float)
    disc = (1.0 + r) ** -t
    fade = np.clip(1.0 - degradation_frac_per_year * (t - 1), 0.0, None)
    return float(np.sum((1.0 + e) ** (t - 1) * fade * disc)), float(np.sum((1.0 + i) ** (t - 1) * disc))


def pv_annual_cost(site) -> dict[str, Any]:
    """The site's on-site PV's cost a year in year-1 terms (module docstring) and its parts.

    Returns
    -------
    dict
        ``dc_kw`` [kWdc], ``capex_usd`` [USD], ``om_usd`` [USD, year 1], ``capex_usd_per_kw_dc``
        [USD/kWdc] and ``om_usd_per_kw_dc_year`` [USD/kWdc-yr] (the unit prices), ``life_years`` [yr],
        ``discount_rate_frac``, ``electricity_escalation_frac``, ``inflation_frac``,
        ``degradation_frac_per_year`` [frac/yr], ``saving_factor`` (``L_save`` [yr]),
        ``om_factor`` (``L_om`` [yr]), ``annual_cost_usd`` [USD/yr] and ``sources`` (key -> where
        the figure came from). All costs 0 without PV (no ``solar:`` section or ``dc_kw: 0``).
    """
    from .specs.solar import PV_DEGRADATION_FRAC_PER_YEAR
    from .tco_assumptions import ECONOMIC_LIFE_YEARS
    solar = getattr(site, "solar", None)
    kw = float(solar.dc_kw) if solar is not None else 0.0
    src = {}
    cost, rate = finance_lookup(site, src)
    r, e, i = rate("discount_rate_frac"), rate("electricity_escalation_frac"), rate("inflation_frac")
    d = getattr(solar, "degradation_frac_per_year", None) if solar is not None else None
    d = float(PV_DEGRADATION_FRAC_PER_YEAR if d is None else d)
    life = float(ECONOMIC_LIFE_YEARS["pv"])
    l_save, l_om = life_factors(r, e, i, life, d)
    capex = cost(PV_CAPEX_KEY) * kw
    om = cost(PV_OM_KEY) * kw
    return {"dc_kw": kw, "capex_usd": capex, "om_usd": om, "capex_usd_per_kw_dc": cost(PV_CAPEX_KEY),
            "om_usd_per_kw_dc_year": cost(PV_OM_KEY), "life_years": life, "discount_rate_frac": r,
            "electricity_escalation_frac": e, "inflation_frac": i, "degradation_frac_per_year": d,
            "saving_factor": l_save, "om_factor": l_om,
            "annual_cost_usd": (capex + om * l_om) / l_save if kw > 0 else 0.0, "sources": src}


#: Why the PV's demand-charge saving is an upper bound (the labels and texts say it in these words).
DEMAND_UPPER_BOUND = ("an upper bound: it comes from hourly-mean PV, while a demand charge is set by the month's "
                      "highest 15- or 30-minute interval, and a cloud over the array in that interval puts the "
                      "peak back")


def pv_saving_parts(bill_without_pv, bill_with_pv) -> dict[str, float]:
    """The PV's year-1 bill saving, split by charge (module docstring).

    Parameters
    ----------
    bill_without_pv, bill_with_pv : dcplan.tariff_bill.Bill
        :func:`dcplan.pipeline.bill_without_pv` of the site-year and its bill (``y.bill``).

    Returns
    -------
    dict
        ``total_usd`` (the whole saving), ``energy_usd`` (energy charges), ``demand_usd`` (demand
        charges, coincident-peak included: an upper bound, :data:`DEMAND_UPPER_BOUND`) and
        ``other_usd`` (fixed charges and a minimum charge's top-up); the parts add up to the
        total. [USD/yr]
    """
    def d(name):
        return float(getattr(bill_without_pv, name)) - float(getattr(bill_with_pv, name))
    return {"total_usd": d("total_usd"), "energy_usd": d("energy_usd"), "demand_usd": d("demand_usd"),
            "other_usd": d("fixed_usd") + d("minimum_usd")}


def pv_breakeven_usd_per_kw_dc(saving_usd: float, pvc: dict) -> float:
    """The installed PV cost per kWdc at which the PV's net value a year is 0 (module docstring):
    ``(saving x L_save - O&M_1 x L_om) / kW``, with ``pvc`` from :func:`pv_annual_cost` (its O&M,
    factors and size). [USD/kWdc]"""
    kw = float(pvc["dc_kw"])
    if not kw > 0:
        raise InputError(f"needs a PV array (dc_kw > 0), got {kw!r}", field="solar.dc_kw")
    return (float(saving_usd) * pvc["saving_factor"] - pvc["om_usd"] * pvc["om_factor"]) / kw


def pv_value(parts: dict, pvc: dict) -> dict[str, float]:
    """The PV's net value a year, with and without its demand-charge saving, and the break-even
    installed costs (module docstring).

    Parameters
    ----------
    parts : dict
        :func:`pv_saving_parts`.
    pvc : dict
        :func:`pv_annual_cost` of the site (with PV).

    Returns
    -------
    dict
        ``saving_usd``, ``energy_usd``, ``demand_usd``, ``other_usd`` (the parts), ``annual_cost_usd``,
        ``net_value_usd`` (saving less cost), ``net_value_without_demand_usd`` (the same without the
        demand part: no firm PV capacity) [USD/yr]; ``breakeven_usd_per_kw_dc`` and
        ``breakeven_without_demand_usd_per_kw_dc`` (:func:`pv_breakeven_usd_per_kw_dc`),
        ``capex_usd_per_kw_dc`` (the price used) [USD/kWdc].
    """
    total, demand, cost = parts["total_usd"], parts["demand_usd"], pvc["annual_cost_usd"]
    return {"saving_usd": total, "energy_usd": parts["energy_usd"], "demand_usd": demand,
            "other_usd": parts["other_usd"], "annual_cost_usd": cost, "net_value_usd": total - cost,
            "net_value_without_demand_usd": total - demand - cost,
            "breakeven_usd_per_kw_dc": pv_breakeven_usd_per_kw_dc(total, pvc),
            "breakeven_without_demand_usd_per_kw_dc": pv_breakeven_usd_per_kw_dc(total - demand, pvc),
            "capex_usd_per_kw_dc": pvc["capex_usd_per_kw_dc"]}


def pv_value_of_year(y) -> dict | None:
    """:func:`pv_value` of a computed :class:`dcplan.pipeline.SiteYear` (its bill without the PV
    against its bill), or None without PV or without a tariff."""
    from .pipeline import bill_without_pv
    pvc = pv_annual_cost(y.site)
    if not pvc["dc_kw"] > 0 or y.bill is None:
        return None
    return pv_value(pv_saving_parts(bill_without_pv(y), y.bill), pvc)


def pv_price_text(pvc: dict) -> str:
    """The installed PV price used and where it came from, e.g. ``"1,500 USD/kWdc (data/costs.csv
    pv_usd_per_kw_dc, derived for a tracked array of about 2 MWdc: ...)"``: the default price says which
    array it is for; a site's own price says it is the site's."""
    price = f"{pvc['capex_usd_per_kw_dc']:,.0f} USD/kWdc"
    if pvc["sources"].get(PV_CAPEX_KEY, "").startswith("site."):
        return f"{price} (the site's own price, finance.costs.{PV_CAPEX_KEY})"
    return (f"{price} (data/costs.csv {PV_CAPEX_KEY}, derived for a ground-mounted single-axis tracked array of "
            f"about 2 MWdc: a fixed-tilt array costs about 67 USD/kWdc less, one of tens of MWdc about 420 less; give "
            f"the site's own price in finance.costs.{PV_CAPEX_KEY})")


def _usd(v: float) -> str:
    """A signed amount in whole USD: ``+41,687``, ``-29,630``."""
    return f"{v:+,.0f}"


def pv_value_text(value: dict, pvc: dict, horizon_years: int | None = None) -> str:
    """The PV's value a year in words, for the site analysis: whether it pays for itself over its
    life, on what basis, how much of it rests on the demand-charge saving (an upper bound, with the
    net value without it when there is one), the break-even installed cost against the price used,
    and that the TCO (``horizon_years``, after tax, residual sale) can give the opposite sign.

    ``value`` from :func:`pv_value`, ``pvc`` from :func:`pv_annual_cost`.
    """
    net, low = value["net_value_usd"], value["net_value_without_demand_usd"]
    demand = value["demand_usd"]
    basis = (f"over its {pvc['life_years']:g}-year life at the {100 * pvc['discount_rate_frac']:g} % discount rate, "
             "before tax and without any tax credit or incentive")
    head = (f"The PV's net value is {_usd(net)} USD a year (year-1 bill saving {value['saving_usd']:,.0f} USD less "
            f"its cost a year {value['annual_cost_usd']:,.0f} USD; {basis})")
    has_demand = abs(demand) >= 0.5
    if net >= 0 and (low >= 0 or not has_demand):
        verdict = ("it pays for itself on these numbers" + (", even without its demand-charge saving" if has_demand
                                                             else ""))
    elif net >= 0:
        verdict = "it pays for itself only with its demand-charge saving, which is " + DEMAND_UPPER_BOUND
    else:
        verdict = "it does not pay for itself on these numbers"
    text = f"{head}: {verdict}."
    if has_demand:
        text += (f" Of the saving, {demand:,.0f} USD ({100 * demand / value['saving_usd']:.0f} %) is demand charges"
                 + ("" if net >= 0 > low else f", {DEMAND_UPPER_BOUND}")
                 + f"; without them the net value is {_usd(low)} USD a year (no firm PV capacity counted): the PV's "
                 f"value lies between {_usd(low)} and {_usd(net)} USD a year.")
    if net > 0:
        text += (f" A saving {100 * net / value['saving_usd']:.1f} % lower (less sun, lower rates) would bring the "
                 "net value to 0.")
    text += (f" It breaks even at an installed cost of {value['breakeven_usd_per_kw_dc']:,.0f} USD/kWdc"
             + (f" ({value['breakeven_without_demand_usd_per_kw_dc']:,.0f} without the demand-charge saving)"
                if has_demand else "")
             + f", against {pv_price_text(pvc)}.")
    horizon = f"its {horizon_years:g}-year horizon" if horizon_years else "its horizon"
    text += (f" The tco notebook values the PV on another basis ({horizon}, after tax, the PV sold at its remaining "
             "straight-line value at the horizon), so the change the PV makes to its NPV can have the opposite sign.")
    return text


def pv_verdict_clause(value: dict | None) -> str | None:
    """The verdict's caveat on the on-site PV when whether it pays for itself rests on its
    demand-charge saving (net value >= 0 with it, < 0 without it), or when it does not pay for
    itself even with it (net value < 0: the verdict said nothing of such a PV); else None."""
    if value is None or value["net_value_without_demand_usd"] >= 0:
        return None
    if value["net_value_usd"] < 0:
        with_demand = (f", with its demand-charge saving of {value['demand_usd']:,.0f} USD a year, itself an upper "
                       "bound" if value["demand_usd"] > 0 else "")
        return (f"its on-site PV does not pay for itself on these numbers (net value {_usd(value['net_value_usd'])} "
                f"USD a year over its life, before tax{with_demand})")
    return (f"its on-site PV pays for itself (net value {_usd(value['net_value_usd'])} USD a year over its life, "
            f"before tax) only with its demand-charge saving of {value['demand_usd']:,.0f} USD a year, {DEMAND_UPPER_BOUND} "
            f"(without it {_usd(value['net_value_without_demand_usd'])} USD a year)")
