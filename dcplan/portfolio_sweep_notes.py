"""What the ``portfolio_sweep`` notebook says beside its cases (part of the portfolio reports).

* :func:`air_server_liquid_note` — a liquid case of a site whose fleet has air-cooled servers
  (``data/hardware.csv`` ``cooling`` air, e.g. ``hgx-h200``) models a direct-liquid-cooled version of
  them at the air-cooled server's power; ``dcplan validate`` warns on a site file that sets it
  (:func:`dcplan.site_plausibility.liquid_plant_warnings`), so a sweep's best case that is one says so.
* :func:`missing_reasons` — why a case that ran has no cost or no first power (a site without a
  tariff has no bill, one without an interconnection request no first power), so its table does not
  show a bare NaN.
* :func:`earliest_first_power` — the headline's earliest first power among the cases that ran, or why
  there is none (no site of the portfolio has an interconnection request); :func:`no_cost_text` why there is
  no lowest cost (no site has a tariff).
* :func:`no_air_cases` — why a site gets liquid cases only (its air cases are not run), so the count of cases,
  short of sites x cases, is said by site.
* :func:`price_date_note` — the sites' tariffs priced more than a year apart (each case's ``bill_price_date``):
  the cost axis and the lowest cost compare each bill restated at one date (``cost_price_date``,
  :func:`dcplan.portfolio_compare.sweep_case_table`), so they rest in part on the assumed escalation, said as
  ``portfolio_comparison`` says it (:func:`dcplan.portfolio_robustness.price_date_warning`).
"""
from __future__ import annotations

import pandas as pd

__all__ = ["air_cooled_units", "air_server_liquid_note", "earliest_first_power", "missing_reasons",
           "no_air_cases", "no_cost_text", "price_date_note"]


def air_cooled_units(site) -> list[str]:
    """The hardware keys of ``site``'s fleet phases (with units) that ``data/hardware.csv`` lists as air-cooled."""
    from .errors import InputError
    from .power import hardware
    out = []
    for ph in getattr(site.fleet, "phases", None) or ():
        if ph.count <= 0 or ph.hardware in out:
            continue
        try:
            if hardware(ph.hardware).cooling == "air":
                out.append(ph.hardware)
        except InputError:
            continue
    return out


def air_server_liquid_note(row, sites_by_id: dict) -> str:
    """For a sweep case (a row of :func:`dcplan.portfolio_compare.sweep_case_table`) with
    ``cooling.type`` liquid on a site with air-cooled servers, what the case models; else ``""``.

    >>> air_server_liquid_note({"cooling.type": "air", "site": "x"}, {})
    ''
    """
    if str(row.get("cooling.type", "")) != "liquid":
        return ""
    site = sites_by_id.get(str(row.get("site")))
    units = air_cooled_units(site) if site is not None else []
    if not units:
        return ""
    return (f"a liquid case of air-cooled servers ({', '.join(units)} in data/hardware.csv): it models a "
            "direct-liquid-cooled version of them at the air-cooled server's power (fans included), whose price and "
            "availability are not in the figures; dcplan validate warns on a site file that sets it")


def no_air_cases(sites) -> dict[str, str]:
    """Site id -> why the sweep runs no air case of it, for the ``sites`` given (the notebook's liquid-only ones):
    its units liquid-cooled only (:func:`dcplan.power.liquid_only_phases`: "gb200-nvl72 liquid-cooled only in
    data/hardware.csv"), else its compute racks at or above 60 kW as air-cooled
    (:func:`dcplan.rack_density.air_rack_errors`)."""
    from .power import liquid_only_phases
    out = {}
    for s in sites:
        liquid = liquid_only_phases(s)
        out[s.id] = (", ".join(dict.fromkeys(s.fleet.phases[i].hardware for i in liquid))
                     + " liquid-cooled only in data/hardware.csv" if liquid
                     else "compute racks of 60 kW or more as air-cooled")
    return out


def missing_reasons(cases: pd.DataFrame, sites_by_id: dict) -> pd.Series:
    """Why each case that ran has no cost per IT MWh or no first power, ``""`` where it has both
    (or failed: its ``status`` says why), indexed as ``cases``."""
    out = {}
    for i, r in cases.iterrows():
        why = []
        site = sites_by_id.get(str(r.get("site")))
        if r.get("status") == "ok" and site is not None:
            if pd.isna(r.get("cost_usd_per_it_mwh")):
                why.append("no cost: the site has no tariff: section, so no bill" if site.tariff is None
                           else "no cost: no bill or no IT energy")
            if pd.isna(r.get("first_power_months")):
                why.append("no first power: the site has no interconnection: request" if site.interconnection is None
                           else "no first power: no energization date")
        out[i] = "; ".join(why)
    return pd.Series(out, dtype=object).reindex(cases.index).fillna("")


def earliest_first_power(cases: pd.DataFrame, sites_by_id: dict) -> str:
    """The earliest ``first_energized_median`` (an ISO date) among the cases of ``cases`` that ran (``status``
    ok), or ``"n/a: <why>"`` when none has one: no case ran, or no site of theirs has an interconnection
    request (the sweep then has no first power to compare), or none of the requests has an energization date."""
    ran = cases[cases["status"] == "ok"] if "status" in cases else cases
    dates = ran["first_energized_median"].dropna() if "first_energized_median" in ran else pd.Series(dtype=object)
    if len(dates):
        return str(dates.min())
    if ran.empty:
        return "n/a: no case ran"
    sites = [sites_by_id.get(str(s)) for s in ran["site"].unique()]
    if all(s is not None and s.interconnection is None for s in sites):
        return "n/a: no site of the portfolio has an interconnection: request, so no case has a first power"
    return "n/a: no case has an energization date"


def no_cost_text(sites, what: str = "case") -> str:
    """``"n/a: <why>"``, published in place of a lowest cost per IT MWh that no ``what`` (a sweep case, a site as
    specified) of ``sites`` has: none of them has a tariff (no bill), or none that ran has a bill."""
    if all(s.tariff is None for s in sites):
        return "n/a: no site of the portfolio has a tariff: section, so no bill"
    return f"n/a: no {what} that ran has a bill"


def price_date_note(cases: pd.DataFrame, names: dict) -> str:
    """:func:`dcplan.portfolio_robustness.price_date_warning` of the price dates of the sites of the cases that ran
    with a cost (``cost_usd_per_it_mwh``; a site's cases share its tariff, its first date is taken): "" when they
    lie within a year, or no case has a ``bill_price_date``. A site's cases may escalate at several rates (a
    ``finance.electricity_escalation_frac`` axis): the sentence gives each site's range of them. A site whose tariff
    is a superseded rate (the cases' ``bill_enddate``) is named too
    (:func:`dcplan.portfolio_robustness.superseded_warning`), whatever the dates."""
    from .portfolio_robustness import price_date_warning
    need = {"status", "cost_usd_per_it_mwh", "bill_price_date", "site"}
    if not need <= set(cases.columns):
        return ""
    ran = cases[(cases["status"] == "ok") & cases["cost_usd_per_it_mwh"].notna()].dropna(subset=["bill_price_date"])
    dates = ran.groupby("site", sort=False)["bill_price_date"].first()
    esc = None
    if {"cost_price_date", "electricity_escalation_frac", "escalation_factor"} <= set(ran.columns):
        # the cases' bills restated at one date (sweep_case_table): said, with each site's rates (several under a
        # finance.electricity_escalation_frac axis: their range) and the largest factor
        rate = "electricity_escalation_frac"
        esc = ran.groupby("site", sort=False).agg(cost_price_date=("cost_price_date", "first"),
                                                  electricity_escalation_frac=(rate, "min"),
                                                  electricity_escalation_max_frac=(rate, "max"),
                                                  escalation_factor=("escalation_factor", "max"))
    text = price_date_warning(dates, {s: names.get(s, s) for s in dates.index}, list(dates.index),
                              comparison="the cost axis (and the lowest cost)", escalated=esc)
    if "bill_enddate" in ran:  # a site's tariff that is a superseded rate (its enddate): said with the dates
        from .portfolio_robustness import superseded_warning
        ended = ran.groupby("site", sort=False)["bill_enddate"].first()
        text = "; ".join(w for w in (text, superseded_warning(ended, names, list(ended.index))) if w)
    return text
