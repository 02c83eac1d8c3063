"""Caveats of a TCO run that the report states in words: how much of the NPV is the assumed sale
of the assets at the horizon, and a site battery the TCO pays for that never discharges.

Each function returns the report's sentence, or ``""`` when there is nothing to say; the ``tco``
notebook prints it and passes it to the finance export's caveats (``caveat_<key>`` rows), as
:func:`dcplan.tco_assumptions.pv_credit_note`.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["RESIDUAL_SALE_SHARE_MAX", "residual_sale_note", "battery_idle_note"]

#: Above this share of a positive NPV, the residual sale at the horizon is said to carry the NPV: the
#: report names it with the NPV without it. Half: most of the NPV is then a sale assumed at book value,
#: not cash earned during the horizon (a finance reviewer's rule of thumb, not a standard).
RESIDUAL_SALE_SHARE_MAX = 0.5


def _usd(x: float) -> str:
    return f"{x:,.0f} USD"


def residual_sale_note(result) -> str:
    """The report's sentence when the residual sale at the horizon carries the NPV.

    The model sells every asset at its residual (straight-line book) value at the end of the horizon
    (:mod:`dcplan.tco`); NPV and IRR count the sale, less the tax on its gain. Over a short horizon
    the assets are nearly new and that sale is most of the NPV (a 1-year NPV of +8 M USD was -158 M
    without it). Said when the NPV is positive and the sale's present value
    (``summary["residual_sale_pv_usd"]``) is more than :data:`RESIDUAL_SALE_SHARE_MAX` of it, with
    the NPV without it (``npv_without_residual_sale_usd``); ``""`` otherwise.

    Parameters
    ----------
    result : TcoResult
        :func:`dcplan.tco.run_tco`'s result.
    """
    s = result.summary
    npv, sale = s.get("npv_usd"), s.get("residual_sale_pv_usd")
    if npv is None or sale is None or not npv > 0 or not sale > RESIDUAL_SALE_SHARE_MAX * npv:
        return ""
    rest = npv - sale
    years = len(result.annual.columns)
    head = (f"The NPV of {_usd(npv)} rests on the assumed sale of every asset at its residual (book) value at the "
            f"end of the {years}-year horizon: that sale, less the tax on its gain, is worth {_usd(sale)} at the "
            f"project start (residual_sale_pv_usd), ")
    if rest <= 0:
        body = (f"more than the whole NPV: without it the NPV is {_usd(rest)} (npv_without_residual_sale_usd), "
                "so the NPV is positive only because of the sale. ")
    else:
        body = (f"{sale / npv:.0%} of the NPV; without it the NPV is {_usd(rest)} (npv_without_residual_sale_usd). ")
    return (head + body + "The IRR counts the sale too and the levelized unit costs net the residual value out of "
            "the costs; the paybacks leave it out. A sale at book value assumes a buyer at that price at the "
            "horizon; a longer horizon_years relies less on it.")


def battery_idle_note(interconnection, dispatch: pd.DataFrame | None, result) -> str:
    """The report's sentence when the site's battery never discharges over the typical year, yet the
    TCO pays for it.

    The pipeline dispatches ``interconnection.battery`` against the net load behind the meter
    (:func:`dcplan.grid.battery_dispatch`, ``SiteYear.battery``); with ``target: contract`` it only
    shaves the grid draw above the contracted capacity, so a load that never reaches it leaves the
    battery idle and the bill as without it, while the TCO charges its capex
    (``capex_battery_usd``) and its O&M, insurance and property tax. ``target: demand`` (shave each
    month's peak, the demand charge) would use it. ``""`` when there is no battery, it discharges, or
    the TCO charges nothing for it.

    Parameters
    ----------
    interconnection : InterconnectionSpec or None
        The site's ``interconnection`` section (its ``battery``).
    dispatch : DataFrame or None
        The battery's dispatch over the typical year (``SiteYear.battery``: ``load_kw``,
        ``target_kw``, ``discharge_kw`` [kW]).
    result : TcoResult
        :func:`dcplan.tco.run_tco`'s result (the battery's capex).
    """
    bat = getattr(interconnection, "battery", None)
    if bat is None or dispatch is None or float(dispatch["discharge_kw"].max()) > 0.0:
        return ""
    m = result.monthly
    capex = float(m["capex_battery_usd"].sum()) if "capex_battery_usd" in m else 0.0
    if not capex > 0:
        return ""
    load, target = float(dispatch["load_kw"].max()), float(dispatch["target_kw"].min())
    name = (f"The site's battery (interconnection.battery: {bat.power_mw:g} MW / {bat.energy_mwh:g} MWh, "
            f"target: {bat.target})")
    if bat.target == "contract":
        why = (f"it holds the grid draw to the contracted capacity, {target:,.0f} kW, and the load behind the meter "
               f"(facility less on-site PV) peaks at {load:,.0f} kW, below it, so it never has a peak to shave")
        fix = ("target: demand (shave each month's peak, cutting the demand charges) would use it; or leave the "
               "battery out")
    else:
        why = "no monthly peak of the load behind the meter is one it can lower"
        fix = "a battery of another size, or none, would suit this load"
    return (f"{name} never discharges over the typical year: {why}. The electricity bill is the same as "
            f"without it, yet the TCO pays its {_usd(capex)} capex and its O&M, insurance and property tax. "
            f"{fix}.")
