"""Total cost of ownership: capex, opex, cash flows, NPV/IRR and unit costs of a site.

Pure functions on plain inputs. The other modules' results enter as numbers: the
IT capacity and energy (``dcplan.power``), the year-1 electricity bill of the hourly
facility load (``dcplan.tariff``: a ``Bill`` or its total or 12 monthly totals), the
grid energization delay (``dcplan.grid``). Defaults for every cost come from
``data/costs.csv`` (value, tornado range, unit, source, vintage, status).

Timeline and conventions
------------------------
* Month 0 is the start of the project. Facility, interconnection,
  PV and battery capex are spent evenly over ``build_months``; the fleet's tranches are planned
  from ``build_months`` on (``phases``). The model runs on whole months: ``build_months``,
  ``delay_months``, phase offsets and ``12 * it_refresh_years`` are rounded half up
  (:func:`whole_months`: 10.5 -> 11), and the Assumptions table shows the months used.
  A grid delay shifts IT purchases and revenue later, not the building: without ``grid_phases``
  the fleet by ``delay_months``, except the share capacity already in service powers
  (``live_fleet_frac``), which starts at ``build_months`` plus its phase offset.
* Grid capacity (``grid_phases``, :mod:`dcplan.tco_ramp`): the share of the fleet **operating**
  in a month is the installed share capped at what the capacity energized by then powers (the
  phases at their planned dates shifted by ``delay_months``, phases in service at their dates,
  capacity in service from the start). A tranche is bought ``max(0, delay_months - max(0,
  slack))`` months after its planned start, ``slack`` its planned start less the planned
  energization of the capacity powering it. GPUs beyond the capacity **wait for power**: IT
  capex, refreshes, IT maintenance, network, insurance and property tax on IT follow the
  installed share; revenue, GPU-hours, tokens, IT energy, water and electricity the operating
  share. Operations start in the first month a GPU operates (``operations_start_month``).
* Placed in service (start of tax depreciation): facility, interconnection, PV and
  battery at the end of the build, month ``build_months``, so their whole basis starts
  depreciating in the tax year containing that month (the construction years before it
  deduct nothing); each IT purchase in the tax year containing its purchase month.
* IT is bought at each tranche's start and again every ``it_refresh_years`` at
  ``(1 + it_price_change_frac) ** year`` times the first price. With a deployment ramp
  (``phases``) each tranche is bought, refreshed and earns from its own start.
* Calendar: the fleet's first start (``TcoInputs.fleet_start``, the site's earliest fleet phase
  ``start``; a date that is not a month start counts from the first whole month on or after it, as
  the interconnection's energization dates do) is model month ``build_months``, so model month ``m``
  (0-based) is the calendar month ``fleet_start - build_months + m`` (:func:`calendar_months`; a
  fleet starting 2026-07-01 after a 12-month build: month 0 is 2025-07). Seasonal inputs (the
  electricity bill) of month ``m`` are those of that calendar month, and the export names it. An
  undated case (``fleet_start`` None) starts in a January. Years are **project years** (year ``y``:
  months ``12 (y - 1) .. 12 y - 1``), not calendar years: escalation steps and the tax year follow
  them (a tax year equal to the project year, a fiscal year when the project does not start in
  January).
* Prices are the prices of year 1; in project year ``y`` (1-based) non-electricity opex
  is multiplied by ``(1 + inflation_frac) ** (y - 1)``, the electricity bill by
  ``(1 + electricity_escalation_frac) ** (y - 1)`` (two separate rates) and the price per
  GPU-hour by ``(1 + revenue_escalation_frac) ** (y - 1)``.
* IT maintenance, network, insurance and property tax on IT accrue per installed
  tranche (from its own start), water per operating share (each month its calendar month's share
  of the typical year's water, ``TcoInputs.water_month_frac``; IT energy likewise); insurance, property tax and
  maintenance of the building and plant from the end of the build (month ``build_months``,
  when they are placed in service: a finished building is insured, taxed and maintained
  whether powered or not, so in a grid delay it carries them idle), operations staff from the
  first month a GPU operates. Shares of capex are of year-1 prices.
* Electricity in month ``m`` of operation is the bill (``bill.monthly``) of its calendar month,
  ``(fleet_start - build_months + m)`` (undated: ``m mod 12``), so a partial first year pays the
  months it operates. With on-site PV
  the bill rises as the PV ages: given an :class:`ElectricityByPvAge` (the bills of the
  typical year at each PV age, :func:`dcplan.pipeline.electricity_by_pv_age`), month ``m``
  pays the bill at the PV's age in whole years since it was placed in service.
* Residual value at the end of the horizon: remaining straight-line value over the
  economic life (IT: the refresh cycle; other classes: :data:`ECONOMIC_LIFE_YEARS`).
  It is treated as a sale at that value at the end of year ``H`` (IRC §1001): the gain
  or loss ``residual_c - basis_c`` per asset class ``c`` enters the taxable income of
  year ``H``, where ``basis_c`` is the class's capex over the horizon (all purchases,
  refreshes included) less its tax depreciation over the horizon. A gain is taxed as
  depreciation recapture (IRC §1245) at ``tax_rate_frac`` (no separate capital-gain
  rate); a loss is deducted. Lines ``residual_tax_basis_usd`` (``sum_c basis_c``) and
  ``residual_gain_usd`` (``residual_value_usd - residual_tax_basis_usd``) show it in year ``H``.
* Income tax: ``tax_rate_frac * taxable_income_usd`` per year, with ``taxable_income_usd =
  revenue - opex - depreciation + residual_gain_usd`` (the gain only in year ``H``), so
  every year's tax reconciles from the lines; a negative value is a
  tax saving (assumes the owner has other taxable income). Depreciation is MACRS (IRS
  Pub 946) per asset class, or book straight line over the economic lives (full-year
  convention from the year placed in service).
* MACRS uses the half-year convention (Pub 946 Table A-1) for every purchase, also
  where IRC §168(d)(3) requires the mid-quarter convention (more than 40 % of a year's
  depreciable basis, real property excluded, placed in service in its last quarter,
  e.g. IT bought in October when ``build_months`` is 9; Pub 946 Tables A-2 to A-5).
  For a year triggered by fourth-quarter purchases the model then deducts too much in
  the year placed in service (5-yr: 20 % instead of 5 %) and too little later; total
  depreciation is the same, but it is deducted too early (tax is paid later than the
  law allows), so after-tax NPV and IRR are slightly overstated. The 39-yr shell uses
  the mid-month convention in its month of the tax year placed in service (Table A-7a).
* Discounting: monthly, end of month. The cash flow of month ``m`` (1 = the project's first
  month) is discounted by ``(1 + r) ** (-m / 12)``, ``r`` the annual ``discount_rate_frac``:
  ``NPV = sum_m CF_m (1 + r) ** (-m / 12)``, ``m = 1..12H``. IRR is the annual effective
  rate of the monthly flows (``(1 + monthly IRR) ** 12 - 1``; with several roots, the one where
  NPV falls through zero as the rate rises, nearest the discount rate); paybacks come from the
  cumulative monthly flows **before the residual sale at the horizon** (the sale and the tax on its
  gain left out; linear within a month), in years. Depreciation, taxable income
  and tax are annual and paid as 1/12 per month of their year; the residual sale is in the
  last month. The annual frame is the readable summary (project-year sums of the months):
  discounting its years at year end would move a payment by up to 11 months, so NPV jumped
  when ``build_months`` moved the IT purchase across a year boundary.
* Unit costs are levelized: PV of pre-tax costs (capex + opex - residual) over the PV
  of GPU-hours (at the stated utilization), IT MWh or tokens, both monthly.

Asset classes (:data:`ASSET_CLASSES`)

=================  ==============  ===================================================
item               tax schedule    source
=================  ==============  ===================================================
IT                 MACRS 5 yr      Pub 946 Table B-1 asset class 00.12 (computers)
shell              39 yr SL        IRC §168(c) nonresidential real property, Table A-7a
electrical         MACRS 15 yr     estimate (cost-segregation practice; 39 yr if not)
mechanical         MACRS 15 yr     estimate (as electrical)
interconnection    MACRS 15 yr     Pub 946 asset class 00.3 land improvements (estimate)
PV, battery        MACRS 5 yr      IRC §168(e)(3)(B)(vi) energy property
=================  ==============  ===================================================
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import finance
from ._ts import did_you_mean
from .errors import InputError
from .tco_inputs import (ASSET_CLASSES, ECONOMIC_LIFE_YEARS, SCENARIOS, ElectricityByPvAge, TcoInputs, _check,
                         _numbers, assumptions_table, calendar_months, electricity_monthly_usd, fleet_phases,
                         grid_capacity, grid_phases, inputs_from_site, load_costs, month_shares,
                         operations_start_month, price_note, pv_ages_billed, scenario, tranches, whole_months)
from .tco_ramp import fleet_ramp, monthly_electricity
from .tco_labels import METRIC_UNITS, SUMMARY_LABELS, summary_unit

__all__ = ["TcoInputs", "TcoResult", "load_costs", "electricity_monthly_usd", "ElectricityByPvAge",
           "pv_ages_billed", "run_tco",
           "evaluate", "metrics", "cost_shares", "inputs_from_site", "ASSET_CLASSES", "SUMMARY_LABELS",
           "fleet_phases", "grid_phases", "grid_capacity", "ECONOMIC_LIFE_YEARS", "LINES", "CATEGORIES",
           "INDUSTRY_SHARES",
           "SCENARIOS", "scenario",
           "price_note", "assumptions_table", "METRIC_UNITS", "summary_unit", "whole_months", "tranches",
           "operations_start_month", "calendar_months", "month_shares"]

HOURS_PER_MONTH = 8760.0 / 12.0

#: Rows of the cash-flow frame, in order, with (unit, category for the cost shares).
LINES = {
    "capex_it_usd": ("USD", "it_hardware"),
    "capex_facility_shell_usd": ("USD", "building"),
    "capex_facility_electrical_usd": ("USD", "power_and_cooling"),
    "capex_facility_mechanical_usd": ("USD", "power_and_cooling"),
    "capex_interconnection_usd": ("USD", "power_and_cooling"),
    "capex_pv_usd": ("USD", "power_and_cooling"),
    "capex_battery_usd": ("USD", "power_and_cooling"),
    "opex_electricity_usd": ("USD", "power_and_cooling"),
    "opex_maintenance_it_usd": ("USD", "it_hardware"),
    "opex_maintenance_facility_usd": ("USD", "power_and_cooling"),
    "opex_staff_usd": ("USD", "operations"),
    "opex_network_usd": ("USD", "operations"),
    "opex_water_usd": ("USD", "power_and_cooling"),
    "opex_insurance_usd": ("USD", "operations"),
    "opex_property_tax_usd": ("USD", "operations"),
    "residual_value_usd": ("USD", None),
    "total_capex_usd": ("USD", None),
    "total_opex_usd": ("USD", None),
    "total_cost_usd": ("USD", None),
    "revenue_usd": ("USD", None),
    "depreciation_usd": ("USD", None),
    "residual_tax_basis_usd": ("USD", None),
    "residual_gain_usd": ("USD", None),
    "taxable_income_usd": ("USD", None),
    "income_tax_usd": ("USD", None),
    "net_cash_flow_usd": ("USD", None),
    "gpu_hours": ("GPU-h", None),
    "it_energy_mwh": ("MWh", None),
    "tokens": ("tokens", None),
}
CATEGORIES = ("it_hardware", "power_and_cooling", "building", "operations")
#: Industry shares quoted in trade press (unverified; reference-data.md §7): power and
#: cooling 25-40 % of AI infrastructure expense, hardware acquisition ~30 %.
INDUSTRY_SHARES = {"power_and_cooling": (0.25, 0.40), "it_hardware": (0.30, 0.30)}

# ---------------------------------------------------------------------------
# The model (vectorized over cases)

class _Lines(dict):
    """:func:`evaluate`'s result: a dict of lines that knows its period length."""

    period_months: int = 1


def evaluate(inputs: TcoInputs, electricity, params: Mapping[str, np.ndarray] | None = None,
             period_months: int = 1) -> dict[str, np.ndarray]:
    """Cash-flow lines for one or many cases, shape ``(n_cases, n_periods)``.

    Parameters
    ----------
    inputs : TcoInputs
        Sizing and default parameters.
    electricity : Bill, float, 12 values or ElectricityByPvAge
        Year-1 electricity bill (see :func:`electricity_monthly_usd`), or the bills at each PV
        age. [USD]
    params : mapping of str to array (n,), optional
        Per-case values replacing ``inputs.params()`` entries (tornado, Monte Carlo).
    period_months : {1, 12}, default 1
        Monthly (the basis of :func:`metrics`) or project-year periods (12 months from the project
        start, which is a calendar year only for a January start). Depreciation,
        taxable income and tax are annual; monthly periods carry a twelfth of the year's
        amount. The residual value, its tax basis and gain are in the last period.

    Returns
    -------
    dict of str to ndarray
        Every key of :data:`LINES`. [USD, GPU-h, MWh, tokens]
    """
    out = _evaluate(inputs, electricity, params, period_months)
    lines = _Lines({k: out[k] for k in LINES})
    lines.period_months = period_months
    return lines


def _evaluate(inputs: TcoInputs, electricity, params: Mapping[str, np.ndarray] | None,
              period_months: int) -> dict[str, np.ndarray]:
    """:func:`evaluate`, plus ``capex_initial_usd`` ``(n,)``: non-IT capex and the first
    purchase of every IT tranche within the horizon (no refreshes) [USD],
    ``residual_sale_cash_usd`` ``(n, T)``: the part of ``net_cash_flow_usd`` that is the sale at
    the residual value at the horizon (its price in the last period, less the tax on its gain,
    paid over year ``H`` as the year's tax is) [USD], and
    ``operations_start_month`` ``(n,)``: the first month a GPU operates (``12 H``: none). [months]"""
    if period_months not in (1, 12):
        raise InputError(f"must be 1 or 12, got {period_months!r}", field="period_months")
    p = inputs.params()
    if params:
        for k, v in params.items():
            if k not in p:
                raise InputError(f"unknown input {k!r}{did_you_mean(k, list(p))}", field=k)
            _check(k, v)
            p[k] = v
    col = {k: np.asarray(v, dtype=float).reshape(-1, 1) for k, v in p.items()}
    n = max(c.shape[0] for c in col.values())
    H = inputs.horizon_years
    M, P = 12 * H, period_months
    T = M // P
    start = np.arange(T) * P
    end = start + P
    yidx = start // 12
    build = whole_months(col["build_months"])                         # rounded half up
    delay = whole_months(col["delay_months"])
    # tranche purchase months (n, 1), moved by the part of the delay the plan's slack does not absorb;
    # installed and operating (what the grid energized by then can power) shares per month (n, M):
    # dcplan.tco_ramp
    ph, inst_m, run_m = fleet_ramp(inputs, build, delay, M)
    first = ph[0][0]
    for s_k, _ in ph[1:]:
        first = np.minimum(first, s_k)
    if np.any(first >= M):
        raise InputError(f"operations start at month {float(first.max()):g} at the earliest (the fleet's first "
                         f"GPUs bought), after the {H}-year horizon", field="horizon_years")
    on = run_m > 1e-12             # operations (revenue, staff) from the first month a GPU operates (M: never)
    ops = np.where(on.any(axis=1, keepdims=True), on.argmax(axis=1)[:, None], M).astype(float)

    def per(x):  # monthly (k, M) -> periods (k, T)
        return x if P == 1 else x.reshape(x.shape[0], T, P).sum(axis=2)

    active = np.clip(end - np.maximum(start, ops), 0.0, P)           # (n, T) months operating
    yfrac = active / 12.0
    # the finished building and plant, from the end of the build (insured, taxed and maintained
    # whether powered or not; in a grid delay they stand idle)
    bfrac = np.clip(end - np.maximum(start, build), 0.0, P) / 12.0

    def by_year(rate):  # (1 + rate) ** (project year - 1) of each period, (n, T)
        return ((1.0 + rate) ** np.arange(H))[:, yidx]

    infl = by_year(col["inflation_frac"])
    out: dict[str, np.ndarray] = {}

    # electricity: the bill of each month's calendar month at full build-out, times the share of the
    # fleet operating (an energy-proportional approximation), escalated by project year
    # model month m is the calendar month fleet_start - build + m (undated: month 0 is a January)
    fm = None if inputs.fleet_start is None else inputs.fleet_start.month - 1
    bills = monthly_electricity(electricity, M, build, fm)          # (1 or n, M)
    elec = per(bills * run_m)
    dep_months = per(inst_m)                                         # fleet-weighted months installed
    run_months = per(run_m)                                          # fleet-weighted months operating
    dfrac = dep_months / 12.0
    out["opex_electricity_usd"] = elec * by_year(col["electricity_escalation_frac"]) * col["electricity_cost_mult"]

    # capex
    mw = inputs.it_capacity_kw / 1000.0
    fac = col["facility_usd_per_mw"] * mw
    shell = fac * col["facility_shell_frac"]
    elec_cap = (fac - shell) * col["facility_electrical_frac_of_critical"]
    mech = fac - shell - elec_cap
    inter = col["interconnection_usd_per_mw"] * mw
    pv = col["pv_usd_per_kw_dc"] * inputs.pv_kw_dc
    batt = col["battery_usd_per_kwh"] * inputs.battery_kwh
    spread = np.where(build > 0, np.clip(np.minimum(end, build) - start, 0.0, None)
                      / np.maximum(build, 1.0), (start == 0) * 1.0)
    non_it = {"facility_shell": shell, "facility_electrical": elec_cap,
              "facility_mechanical": mech, "interconnection": inter, "pv": pv, "battery": batt}
    for key, amt in non_it.items():
        out[f"capex_{key}_usd"] = amt * spread
    it_unit = inputs.n_accelerators * (col["server_usd_per_accelerator"]
                                       + col["network_usd_per_accelerator"]
                                       + col["storage_usd_per_accelerator"])
    refresh_m = np.maximum(whole_months(col["it_refresh_years"] * 12.0), 1.0)
    capex_it = np.zeros((n, T))
    it_first = np.zeros((n, 1))                                      # first buy of each tranche
    res_it = np.zeros((n, 1))
    for s_k, frac in ph:
        last_pm, last_cost = s_k.copy(), np.zeros((n, 1))
        k = 0
        while True:
            pm = s_k + k * refresh_m
            valid = pm < M
            if not valid.any():
                break
            cost = frac * it_unit * (1.0 + col["it_price_change_frac"]) ** (pm // 12) * valid
            capex_it += cost * ((pm // P) == np.arange(T))
            if k == 0:
                it_first = it_first + cost
            last_pm = np.where(valid, pm, last_pm)
            last_cost = np.where(valid, cost, last_cost)
            k += 1
        res_it = res_it + last_cost * np.clip(1.0 - (M - last_pm) / refresh_m, 0.0, None)
    out["capex_it_usd"] = capex_it

    # opex (rates are year-1 prices; inflated by project year)
    other_cap = fac + inter + pv + batt
    util = col["utilization_frac"]
    out["opex_maintenance_it_usd"] = col["maintenance_it_frac"] * it_unit * dfrac * infl
    out["opex_maintenance_facility_usd"] = col["maintenance_facility_frac"] * other_cap * bfrac * infl
    out["opex_staff_usd"] = col["staff_fte_per_mw"] * mw * col["staff_usd_per_fte"] * yfrac * infl
    out["opex_network_usd"] = (col["network_usd_per_accelerator_year"] * inputs.n_accelerators
                               * dfrac * infl)
    # IT energy and water follow the typical year's calendar months (1/12 each when not given)
    def seasonal(frac):  # operating months weighted by 12 x the calendar month's share, (n, T)
        if frac is None:
            return run_months
        return per(run_m * monthly_electricity(12.0 * np.asarray(frac), M, build, fm))

    water_m3 = col["wue_l_per_kwh"] * inputs.it_energy_kwh / 1000.0
    out["opex_water_usd"] = water_m3 * col["water_usd_per_m3"] * seasonal(inputs.water_month_frac) / 12.0 * infl
    # insured / taxed value: the building and plant from the end of the build, the IT of
    # each phase once it is installed (as IT maintenance), at its year-1 price
    cap_years = it_unit * dfrac + other_cap * bfrac
    out["opex_insurance_usd"] = col["insurance_frac"] * cap_years * infl
    out["opex_property_tax_usd"] = col["property_tax_frac"] * cap_years * infl

    # residual value at the end of the horizon (straight line over economic life), per class
    res_by = {"it": res_it}
    for key, amt in non_it.items():
        res_by[key] = amt * np.clip(1.0 - (M - build) / (12.0 * ECONOMIC_LIFE_YEARS[key]), 0.0, None)
    res = sum(res_by.values())
    residual = np.zeros((n, T))
    residual[:, -1:] = res
    out["residual_value_usd"] = residual

    sold_h = inputs.n_accelerators * util * HOURS_PER_MONTH * run_months
    out["revenue_usd"] = sold_h * col["revenue_usd_per_gpu_h"] * by_year(col["revenue_escalation_frac"])
    out["gpu_hours"] = np.broadcast_to(sold_h, (n, T)).copy()
    out["it_energy_mwh"] = np.broadcast_to(inputs.it_energy_kwh / 1000.0 / 12.0
                                           * seasonal(inputs.it_energy_month_frac), (n, T)).copy()
    out["tokens"] = sold_h * 3600.0 * col["tokens_per_s_per_accelerator"]

    cap_keys = [k for k in LINES if k.startswith("capex_")]
    opex_keys = [k for k in LINES if k.startswith("opex_")]
    for k in cap_keys + opex_keys:
        out[k] = np.broadcast_to(out[k], (n, T)).astype(float, copy=True)
    out["total_capex_usd"] = sum(out[k] for k in cap_keys)
    out["total_opex_usd"] = sum(out[k] for k in opex_keys)
    out["total_cost_usd"] = out["total_capex_usd"] + out["total_opex_usd"] - out["residual_value_usd"]

    # depreciation and tax, per project (= tax) year. Placed in service: each IT purchase
    # in its own month; the other classes at the end of the build (month ``build``).
    def annual(x):
        return x if P == 12 else x.reshape(x.shape[0], H, 12).sum(axis=2)

    in_service = np.broadcast_to(build, (n, 1)).astype(int)
    dep = np.zeros((n, H))
    left = np.zeros((n, 1))            # tax basis not yet depreciated at the end, all classes
    for key, (method, life) in ASSET_CLASSES.items():
        if key == "it":
            capa = annual(out["capex_it_usd"])
            if not capa.any():
                continue
            basis = capa.sum(axis=1, keepdims=True)
            if inputs.depreciation == "macrs":
                dep_k = capa @ finance.depreciation_matrix(method, life, H)
            else:
                lives = np.atleast_1d(p["it_refresh_years"])
                if lives.size == 1:
                    dep_k = capa @ finance.depreciation_matrix("straight-line", float(lives[0]), H)
                else:  # per-case IT life in a Monte Carlo / tornado batch
                    dep_k = np.stack([capa[i] @ finance.depreciation_matrix("straight-line", float(lives[i]), H)
                                      for i in range(n)])
        else:
            basis = np.broadcast_to(non_it[key], (n, 1))
            if not basis.any():
                continue
            if inputs.depreciation != "macrs":
                method, life = "straight-line", ECONOMIC_LIFE_YEARS[key]
            dep_k = finance.depreciation_in_service(basis, method, life, in_service, H)
        dep += dep_k
        left += basis - dep_k.sum(axis=1, keepdims=True)
    # the assets are sold at the residual value at the end: gain (recapture) or loss on the
    # tax basis left; a class with no basis has no residual either
    gain = res - left
    taxable = annual(out["revenue_usd"]) - annual(out["total_opex_usd"]) - dep
    taxable[:, -1:] += gain
    tax = col["tax_rate_frac"] * taxable
    if P == 1:
        dep, taxable, tax = (np.repeat(x / 12.0, 12, axis=1) for x in (dep, taxable, tax))
    out["depreciation_usd"] = dep
    for k, v in (("residual_tax_basis_usd", left), ("residual_gain_usd", gain)):
        out[k] = np.zeros((n, T))
        out[k][:, -1:] = v
    out["taxable_income_usd"] = np.broadcast_to(taxable, (n, T)).copy()
    out["income_tax_usd"] = np.broadcast_to(tax, (n, T)).copy()
    out["net_cash_flow_usd"] = (out["revenue_usd"] + out["residual_value_usd"] - out["total_capex_usd"]
                                - out["total_opex_usd"] - out["income_tax_usd"])
    # the cash of the residual sale at the horizon: its price in the last period less the tax on its
    # gain (a loss: a saving), paid as the year's tax is (1/12 a month of year H); paybacks leave it out
    sale = np.zeros((n, T))
    sale[:, -1:] += res
    sale[:, -(12 // P):] -= col["tax_rate_frac"] * gain / (12 // P)
    out["residual_sale_cash_usd"] = sale
    out["capex_initial_usd"] = (sum(non_it.values()) + it_first)[:, 0]
    out["operations_start_month"] = np.broadcast_to(ops, (n, 1))[:, 0].copy()   # M: no GPU operates
    # GPU-months installed but not powered (waiting for grid capacity), per case
    out["waiting_for_power_gpu_months"] = np.broadcast_to(
        inputs.n_accelerators * (inst_m - run_m).sum(axis=1), (n,)).copy()
    return out


def metrics(lines: Mapping[str, np.ndarray], discount_rate_frac,
            period_months: int | None = None) -> dict[str, np.ndarray]:
    """Summary metrics per case from **monthly** lines (monthly discounting, end of month).

    Month ``m`` (1 = the project's first month) is discounted by ``(1 + r) ** (-m / 12)``, ``r`` the
    annual ``discount_rate_frac``. Returns ``npv_usd`` (after tax), ``tco_usd`` (nominal
    pre-tax cost net of residual), ``tco_pv_usd``, ``usd_per_gpu_hour``, ``usd_per_mwh_it``,
    ``usd_per_million_tokens`` (levelized: PV cost / PV quantity, both monthly), each an array
    of shape ``(n_cases,)``. A unit cost with no output over the horizon (utilization 0, no IT
    energy) is ``inf`` or NaN here; :func:`run_tco`'s summary gives None for it.

    Parameters
    ----------
    lines : mapping of str to ndarray (n_cases, 12 * horizon_years)
        :func:`evaluate` with ``period_months=1`` (its default). Annual lines are refused:
        discounting yearly sums at the year end moves a cash flow by up to 11 months,
        so NPV jumped when a payment crossed a year boundary.
    discount_rate_frac : float or ndarray (n_cases,)
        Annual discount rate. [frac/yr]
    period_months : {1}, optional
        The lines' period, when ``lines`` is not :func:`evaluate`'s own object (a ``dict``
        copy loses which period its columns are: annual columns read as months gave a wrong
        NPV without an error). Lines of unknown period are refused.
    """
    pm = getattr(lines, "period_months", None) if period_months is None else period_months
    if pm is None:
        raise InputError("lines of unknown period (a copy of evaluate()'s lines loses it): pass "
                         "evaluate()'s own lines, or period_months=1 for monthly lines", field="period_months")
    if pm != 1:
        raise InputError(f"metrics needs monthly lines (evaluate(..., period_months=1)), got "
                         f"period_months={pm}", field="lines")
    r = np.asarray(discount_rate_frac, dtype=float).reshape(-1, 1)
    finance._rate_ok(r)
    T = lines["net_cash_flow_usd"].shape[1]
    disc = (1.0 + r) ** (-np.arange(1, T + 1) / 12.0)               # end of month m, m = 1..T

    def pv(x):
        return (x * disc).sum(axis=1)

    cost_pv = pv(lines["total_cost_usd"])
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "npv_usd": pv(lines["net_cash_flow_usd"]),
            "tco_usd": lines["total_cost_usd"].sum(axis=1),
            "tco_pv_usd": cost_pv,
            "usd_per_gpu_hour": cost_pv / pv(lines["gpu_hours"]),
            "usd_per_mwh_it": cost_pv / pv(lines["it_energy_mwh"]),
            "usd_per_million_tokens": cost_pv / pv(lines["tokens"]) * 1e6,
        }


# ---------------------------------------------------------------------------
# One deterministic run, as frames

@dataclass(frozen=True)
class TcoResult:
    """Output of :func:`run_tco`.

    Attributes
    ----------
    annual : DataFrame
        Line items (rows, :data:`LINES`) x project years 1..H (columns; year ``y`` is months
        ``12 (y - 1) + 1 .. 12 y``). [USD, ...]
    monthly : DataFrame
        Months 1..12H (rows) x line items (columns); sums to ``annual`` per year. NPV, IRR,
        paybacks and unit costs are computed from it (monthly discounting, end of month).
    summary : dict
        Key figures: NPV, IRR, payback, TCO, unit costs, shares (see :func:`run_tco`);
        None where a figure does not exist (no IRR, no payback, no facility energy, a unit
        cost with no output over the horizon to divide by).
    units : dict
        Unit of every summary key.
    shares : DataFrame
        Cost by category (nominal, pre-tax, before residual) and share of total.
    assumptions : DataFrame
        Every input of the run, one row each: ``key, value, unit, description, source,
        vintage, status``. ``value`` is numeric (NaN: not given); the depreciation method
        is ``depreciation`` = 1 (MACRS) or 0 (book straight line), with the life and
        convention of each asset class in ``depreciation_life_<class>_years``.
        ``source``: the ``data/costs.csv`` row, the site spec field or the caller's
        argument; ``vintage``: costs.csv's date of the figure, empty where it is not a
        costs.csv default; ``status``: costs.csv's (primary, secondary, derived, estimate),
        ``input`` (given by the site or caller), ``derived``, ``convention`` (a fixed
        model convention) or ``not given``.
    irr_reason : str
        Why there is no IRR, when there is none ("" otherwise).
    calendar_months : PeriodIndex or None
        The calendar month of each row of ``monthly`` (``2026-07``...; :func:`calendar_months`),
        None for an undated case (``TcoInputs.fleet_start`` None).
    """

    annual: pd.DataFrame
    monthly: pd.DataFrame
    summary: dict
    units: dict
    shares: pd.DataFrame
    assumptions: pd.DataFrame
    irr_reason: str
    calendar_months: pd.PeriodIndex | None = None


def cost_shares(annual: pd.DataFrame) -> pd.DataFrame:
    """Nominal cost per category and its share (capex + opex over the horizon, pre-tax).

    Categories per :data:`LINES`: ``it_hardware`` (IT capex, refreshes, IT maintenance),
    ``power_and_cooling`` (electricity, electrical and mechanical plant, interconnection,
    PV, battery, their O&M, water), ``building`` (shell), ``operations`` (staff, network,
    insurance, property tax). Compare with :data:`INDUSTRY_SHARES`.
    """
    tot = annual.sum(axis=1)
    rows = {c: sum(tot[k] for k, (_, cat) in LINES.items() if cat == c) for c in CATEGORIES}
    s = pd.Series(rows, name="cost_usd", dtype=float)
    out = s.to_frame()
    out["share_frac"] = s / s.sum() if s.sum() else np.nan
    out.index.name = "category"
    return out


def run_tco(inputs: TcoInputs, electricity, *, it_avg_kw: float | None = None,
            facility_energy_kwh: float | None = None) -> TcoResult:
    """Deterministic TCO of one site.

    Parameters
    ----------
    inputs : TcoInputs
    electricity : Bill, float, 12 values or ElectricityByPvAge
        Year-1 tariff bill of the hourly grid draw (facility load less on-site PV; not a flat
        price), or its bills at each age of the on-site PV (:func:`dcplan.pipeline.electricity_by_pv_age`). [USD]
    it_avg_kw : float, optional
        Mean IT draw for tokens per watt; default ``it_energy_kwh / 8760``. [kW]
    facility_energy_kwh : float, optional
        Facility energy of a full year, for the effective price and tokens per
        facility watt. [kWh]

    Returns
    -------
    TcoResult
        ``summary`` keys (discounted figures from the monthly flows, end of month; see the
        module docstring): ``npv_usd``, ``irr_frac`` (annual effective; None when no IRR
        exists, see ``irr_reason``; with several roots the one where NPV falls through zero as the
        rate rises, nearest the discount rate: :func:`dcplan.finance.irr_result`), ``payback_years``
        (simple, after tax, from project start, of the cash flows **before the residual sale at the
        horizon**: the sale at the residual value and the tax on its gain are left out, as a sale
        assumed at the end recovers nothing during the horizon; NPV and IRR include it; None if
        never), ``discounted_payback_years`` (the same flows, discounted), ``tco_usd``, ``tco_pv_usd``,
        ``usd_per_gpu_hour``, ``usd_per_mwh_it``, ``usd_per_million_tokens`` (None when
        there is no output over the horizon to divide by), ``tokens_per_j_it``
        (tokens/s per W of IT = "tokens per watt"),
        ``tokens_per_j_facility`` and ``electricity_usd_per_mwh_facility`` (None without
        ``facility_energy_kwh``), ``electricity_year1_usd``, ``capex_initial_usd``
        (facility, interconnection, PV and battery capex plus the first purchase of every
        IT tranche that starts within the horizon, at its purchase-year price; IT
        refreshes excluded), ``share_<category>_frac``, ``operations_start_month`` (the first
        month a GPU operates; None when none operates within the horizon),
        ``waiting_for_power_gpu_months`` (GPU-months installed but not powered by the grid
        capacity energized by then, ``TcoInputs.grid_phases``; 0 without them).
    """
    for name, v in (("it_avg_kw", it_avg_kw), ("facility_energy_kwh", facility_energy_kwh)):
        if v is not None and not (np.isfinite(_numbers(name, v, "kW or kWh")) and v >= 0):
            raise InputError(f"must be a finite number >= 0, got {v}", field=name)
    full = _evaluate(inputs, electricity, None, 12)
    lines = {k: full[k] for k in LINES}
    p = inputs.params()
    H = inputs.horizon_years
    years = pd.Index(range(1, H + 1), name="year")
    annual = pd.DataFrame({k: v[0] for k, v in lines.items()}, index=years).T
    annual.index.name = "line_item"
    mfull = _evaluate(inputs, electricity, None, 1)
    mlines = _Lines({k: mfull[k] for k in LINES})
    mlines.period_months = 1
    monthly = pd.DataFrame({k: v[0] for k, v in mlines.items()},
                           index=pd.Index(range(1, 12 * H + 1), name="month"))
    # every headline figure from the monthly flows, month m discounted at m / 12 years
    # a unit cost with no output over the horizon to divide by (inf or NaN) does not exist: None
    m = {k: float(v[0]) if math.isfinite(v[0]) else None
         for k, v in metrics(mlines, p["discount_rate_frac"]).items()}
    cf = np.concatenate([[0.0], monthly["net_cash_flow_usd"].to_numpy()])   # t = 0, months 1..12H
    # several IRRs: the one where NPV falls through zero, nearest the discount rate (finance.irr_result)
    ir = finance.irr_result(cf, periods_per_year=12, discount_rate_frac=p["discount_rate_frac"])
    # paybacks: the cash flows before the residual sale at the horizon (a sale assumed at the end
    # is no recovery of the investment during the horizon); NPV and IRR keep it (a terminal value)
    cf_ops = cf - np.concatenate([[0.0], mfull["residual_sale_cash_usd"][0]])
    shares = cost_shares(annual)
    elec12 = electricity_monthly_usd(electricity)
    it_avg = it_avg_kw if it_avg_kw is not None else inputs.it_energy_kwh / 8760.0
    tok_s = p["tokens_per_s_per_accelerator"] * inputs.n_accelerators * p["utilization_frac"]
    ops = float(full["operations_start_month"][0])
    summary = {
        **m,
        "irr_frac": ir.rate_frac,
        "payback_years": finance.payback_years(cf_ops, periods_per_year=12),
        "discounted_payback_years": finance.discounted_payback_years(p["discount_rate_frac"], cf_ops,
                                                                     periods_per_year=12),
        "electricity_year1_usd": float(elec12.sum()),
        # non-IT capex + the first purchase of every IT tranche (no refreshes)
        "capex_initial_usd": float(full["capex_initial_usd"][0]),
        "tokens_per_j_it": tok_s / (it_avg * 1000.0) if it_avg > 0 else None,
        "tokens_per_j_facility": (tok_s / (facility_energy_kwh / 8760.0 * 1000.0)
                                  if facility_energy_kwh else None),
        "utilization_frac": p["utilization_frac"],
        # the first month a GPU operates (revenue, operations staff); None: none within the horizon
        "operations_start_month": ops if ops < 12 * H else None,
        # installed but not powered by the grid capacity energized by then
        "waiting_for_power_gpu_months": float(full["waiting_for_power_gpu_months"][0]),
        "discount_rate_frac": p["discount_rate_frac"],
    }
    summary["electricity_usd_per_mwh_facility"] = (float(elec12.sum()) / (facility_energy_kwh / 1000.0)
                                                   if facility_energy_kwh else None)
    for c in CATEGORIES:
        summary[f"share_{c}_frac"] = float(shares.loc[c, "share_frac"])
    units = {k: summary_unit(k) for k in summary}
    return TcoResult(annual, monthly, summary, units, shares,
                     assumptions_table(inputs, electricity, it_avg_kw=it_avg_kw,
                                       facility_energy_kwh=facility_energy_kwh), ir.reason,
                     calendar_months(inputs))
