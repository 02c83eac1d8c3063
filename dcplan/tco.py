"""Total cost of ownership: capex, opex, cash flows, NPV/IRR and unit costs of a site.

Pure functions on plain inputs (a site's whole case, as the tco notebook runs it from the site's models:
:func:`dcplan.tco_site.site_tco`, re-exported here). The other modules' results enter as numbers: the
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
  electricity bill) of month ``m`` are those of that calendar month, and the export names it. A case
  evaluated with a ``build_months`` other than its inputs' own (a tornado end, a Monte Carlo draw: ``params`` of
  :func:`evaluate`) keeps this calendar and project start: the build overruns, and the fleet starts the
  difference later, the grid phases at their dates (:mod:`dcplan.tco_revalue`). An
  undated case (``fleet_start`` None) starts in a January. Years are **project years** (year ``y``:
  months ``12 (y - 1) .. 12 y - 1``), not calendar years: escalation steps and the tax year follow
  them (a tax year equal to the project year, a fiscal year when the project does not start in
  January), unless the owner's tax year begins in another month (``TcoInputs.tax_year_start_month``, 1 a
  calendar-year taxpayer): then the tax depreciation and a rate schedule follow the owner's tax years
  (:mod:`dcplan.tco_tax_schedule`), escalation still the project years.
* Prices are the prices of year 1; in project year ``y`` (1-based) non-electricity opex
  is multiplied by ``(1 + inflation_frac) ** (y - 1)`` and the price per GPU-hour by
  ``(1 + revenue_escalation_frac) ** (y - 1)``. The electricity bill is at the tariff's own prices,
  those of its price date (``TcoInputs.electricity_price_month``, the tariff's ``startdate``): month
  ``m`` pays it times ``(1 + electricity_escalation_frac) ** k``, ``k`` the whole 12-month steps from the
  price month to ``m``'s calendar month (negative before it: deflated;
  :func:`dcplan.tco_electricity.price_years`); without a price date, or undated, ``k = y - 1``.
* Hours: each month has the hours of its calendar month in a 365-day year (744 h in January, 672 h in
  February; :data:`dcplan.tco_electricity.HOURS_BY_CALENDAR_MONTH`), for GPU-hours, revenue and
  tokens as for the bill and the IT energy (a constant draw when no monthly shares are given): 8,760 h
  in every 12 consecutive months. Leap days are not modelled (the bill comes from a typical 365-day
  weather year): Feb 29 has no hours, revenue and bill.
* IT maintenance, network, insurance and property tax on IT accrue per installed
  tranche (from its own start), water per operating share (each month its calendar month's share
  of the typical year's water, ``TcoInputs.water_month_frac``; IT energy likewise); insurance, property tax and
  maintenance of the building and plant from the end of the build (month ``build_months``,
  when they are placed in service: a finished building is insured, taxed and maintained
  whether powered or not, so in a grid delay it carries them idle), operations staff from the
  first month a GPU operates. IT maintenance, insurance and property tax on IT are shares of the
  price each installed tranche was bought for (its first purchase or latest refresh, at
  ``(1 + it_price_change_frac) ** (project year bought - 1)`` times the year-1 price), inflated, never
  of a depreciated value (conservative: personal-property tax is usually assessed on a depreciated
  value); the other shares of capex are of year-1 prices. Insurance (``insurance_frac``) is not charged on
  the on-site PV's capex: its O&M figure (``pv_om_usd_per_kw_dc_year``, NREL ATB) includes its
  insurance; its property tax is charged. The maintenance of the building
  and plant is two lines: ``opex_maintenance_facility_usd``, ``maintenance_facility_frac`` of the
  facility, interconnection and battery capex, and ``opex_maintenance_pv_usd``, the on-site PV's
  fixed O&M ``pv_om_usd_per_kw_dc_year`` x ``pv_kw_dc`` (a sourced figure per kWdc, not a share of
  its capex), each a year's amount per year from the end of the build, inflated as other opex.
* Electricity in month ``m`` of operation is the bill (``bill.monthly``) of its calendar month,
  ``(fleet_start - build_months + m)`` (undated: ``m mod 12``), so a partial first year pays the
  months it operates. With on-site PV
  the bill rises as the PV ages: given an :class:`ElectricityByPvAge` (the bills of the
  typical year at each PV age, :func:`dcplan.pipeline.electricity_by_pv_age`), month ``m``
  pays the bill at the PV's age in whole years since it was placed in service.
* Residual value at the end of the horizon: remaining straight-line value over the
  economic life (IT: the refresh cycle, at most :data:`dcplan.tco_it_life.IT_RESIDUAL_LIFE_MAX_YEARS`,
  6 yr; other classes: :data:`ECONOMIC_LIFE_YEARS`). A fleet a refresh replaces is disposed of at
  zero proceeds (its residual is zero by then): the tax basis it has left is deducted in the tax year
  of the refresh: the year of disposition's depreciation, in ``depreciation_usd``, and the rest, a loss on
  disposal at zero proceeds (IRC §165; Form 4797), in ``loss_on_disposal_usd``, deducted at the same rate
  (:func:`dcplan.tco_tax_lines._disposal_year_part`; the export's Depreciation sheet has a row for each part).
  It is treated as a sale at that value in the last month of year ``H`` (IRC §1001): the gain
  or loss ``residual_c - basis_c`` per asset class ``c`` enters the taxable income of
  the owner's tax year of the sale (year ``H`` when the tax years are the project years; with
  ``tax_year_start_month`` the last tax year, cut by the horizon: its months in the horizon, at its
  rate), where ``basis_c`` is the class's capex over the horizon (all purchases,
  refreshes included) less its tax depreciation over the horizon, which in the sale's tax year
  is that of the year of disposition (below). A gain is taxed as ordinary income (IRC §1245
  depreciation recapture; for the building, §1250 and §291) at ``tax_rate_frac``: the model has
  one rate, and a C corporation's capital gains are taxed at its ordinary rate (26 U.S.C. 11(b), no
  §1201 alternative rate since P.L. 115-97); a loss is deducted. Lines ``residual_tax_basis_usd``
  (``sum_c basis_c``) and ``residual_gain_usd`` (``residual_value_usd - residual_tax_basis_usd``) show it in year ``H``.
  NPV and IRR include that sale, the paybacks leave it out; :func:`run_tco`'s summary gives its
  present value after the tax on its gain (``residual_sale_pv_usd``) and the NPV without it, and
  :func:`dcplan.tco_notes.residual_sale_note` says so when the sale is most of a positive NPV (a
  short horizon sells nearly new assets: a 1-year NPV can be positive only because of it).
* Income tax: ``tax_rate_frac * taxable_income_usd`` per year, with ``taxable_income_usd =
  revenue - opex - depreciation + residual_gain_usd`` (the gain only in year ``H``), so
  every year's tax reconciles from the lines; with a rate schedule by calendar year
  (``TcoInputs.tax_rate_schedule``, :mod:`dcplan.tco_tax_schedule`) each year (the model's tax year) at the
  rate of the calendar year it begins in, as statutes key a rate to "taxable years beginning in" a year (an owner
  whose tax year begins in another month, ``TcoInputs.tax_year_start_month``: each month at the rate of the year
  its own tax year begins in; 1, a calendar-year taxpayer: its calendar year's); a negative value is a
  tax saving (assumes the owner has other taxable income). Depreciation is MACRS (IRS
  Pub 946) per asset class, or book straight line over the economic lives (full-year
  convention from the year placed in service).
* MACRS uses the half-year convention (Pub 946 Table A-1), or the mid-quarter convention
  where IRC §168(d)(3) requires it: when more than 40 % of a tax year's MACRS basis (real
  property and property placed in service and disposed of in the same year excluded, bonus
  not deducted) is placed in service in its last three months, all that year's MACRS property
  takes Pub 946 Tables A-2 to A-5 by the quarter placed in service (e.g. IT bought in October
  when ``build_months`` is 9: 5 % then 38 % for 5-yr property instead of 20 % and 32 %), computed
  from the declining balance and the quarter's mid-point (:mod:`dcplan.tco_conventions`); the
  test is per tax year and per case of a batch. The 39-yr shell uses the mid-month convention in
  its month of the tax year placed in service (Table A-7a). The horizon's sale is a disposition:
  its tax year deducts half its amount (half-year), 12.5/37.5/62.5/87.5 % by the sale's quarter
  (mid-quarter), the months to the middle of the sale's month (mid-month), and nothing for
  property placed in service in that tax year (Pub 946 ch. 4 and ch. 1); the Depreciation sheet's
  ``convention`` column says which convention each purchase took and what its sale year deducted.
  Book straight line (``depreciation="straight-line"``) keeps its full-year convention.
* Bonus depreciation (IRC §168(k)): ``TcoInputs.bonus_depreciation_frac`` (the site's
  ``finance.bonus_depreciation_frac``, default 0) of the basis of every MACRS class (all have a
  recovery period of 20 years or less; not the 39-yr shell) is deducted in the tax year placed in
  service, the rest (basis reduced by the bonus) on its MACRS table. The base case takes none
  (conservative); 26 U.S.C. 168(k) as amended by P.L. 119-21 (2025) allows 100 % for qualified
  property acquired after 2025-01-19 unless the owner elects out (a tax adviser should confirm).
* Discounting: monthly, end of month. The cash flow of month ``m`` (1 = the project's first
  month) is discounted by ``(1 + r) ** (-m / 12)``, ``r`` the annual ``discount_rate_frac``:
  ``NPV = sum_m CF_m (1 + r) ** (-m / 12)``, ``m = 1..12H``. IRR is the annual effective
  rate of the monthly flows (``(1 + monthly IRR) ** 12 - 1``; with several roots, the one where
  NPV falls through zero as the rate rises, nearest the discount rate); paybacks come from the
  cumulative monthly flows **before the residual sale at the horizon** (the sale and the tax on its
  gain left out; linear within a month), in years. Depreciation, taxable income
  and tax are annual and paid as 1/12 per month of their year (with the owner's tax years,
  ``tax_year_start_month``, a tax year's depreciation is booked evenly over its own months within the
  horizon, and a month's taxable income is its project year's income before depreciation / 12 less that
  month's deduction: :func:`dcplan.tco_tax_lines.tax_lines`); the residual sale is in the
  last month. The annual frame is the readable summary (project-year sums of the months):
  discounting its years at year end would move a payment by up to 11 months, so NPV jumped
  when ``build_months`` moved the IT purchase across a year boundary.
* Unit costs are levelized: PV of pre-tax costs (capex + opex - residual) over the PV
  of GPU-hours (at the stated utilization), IT MWh or tokens, both monthly. The rate is
  ``discount_rate_frac``, nominal and after tax as NPV's and IRR's flows are (after income tax);
  ``tco_pv_usd`` and the unit costs discount pre-tax costs at that same rate, a stated convention.

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
from .errors import InputError
from .tco_cashflows import HOURS_PER_MONTH, LINES, cash_flow_lines
from .tco_depreciation_table import depreciation_table
from .tco_inputs import (ASSET_CLASSES, ECONOMIC_LIFE_YEARS, SCENARIOS, ElectricityByPvAge, TcoInputs, _numbers,
                         assumptions_table, calendar_months, electricity_monthly_usd, fleet_phases,
                         grid_capacity, grid_phases, inputs_from_site, load_costs, month_shares,
                         operations_start_month, price_note, pv_ages_billed, scenario, tranches, whole_months)
from .tco_labels import METRIC_UNITS, SUMMARY_LABELS, summary_unit
from .tco_site import SiteTco, site_tco  # a site's whole deterministic case, as the tco notebook runs it
from .tco_tax_schedule import tax_year_labels, tax_year_lead_months

__all__ = ["TcoInputs", "TcoResult", "load_costs", "electricity_monthly_usd", "ElectricityByPvAge",
           "pv_ages_billed", "run_tco",
           "evaluate", "metrics", "cost_shares", "inputs_from_site", "ASSET_CLASSES", "SUMMARY_LABELS",
           "fleet_phases", "grid_phases", "grid_capacity", "ECONOMIC_LIFE_YEARS", "LINES", "CATEGORIES",
           "INDUSTRY_SHARES", "HOURS_PER_MONTH",
           "SCENARIOS", "scenario",
           "price_note", "assumptions_table", "METRIC_UNITS", "summary_unit", "whole_months", "tranches",
           "operations_start_month", "calendar_months", "month_shares", "site_tco", "SiteTco"]

#: :data:`LINES` (rows of the cash-flow frame, with unit and cost category) and
#: :data:`HOURS_PER_MONTH` (730 h, the mean month; each month has its calendar month's hours) are defined in
#: :mod:`dcplan.tco_cashflows`, which computes the lines.
CATEGORIES = ("it_hardware", "power_and_cooling", "building", "operations")
#: Industry shares quoted in trade press (unverified; docs/reference-data.md §7): power and
#: cooling 25-40 % of AI infrastructure expense, hardware acquisition ~30 %.
INDUSTRY_SHARES = {"power_and_cooling": (0.25, 0.40), "it_hardware": (0.30, 0.30)}

# ---------------------------------------------------------------------------
# The model (vectorized over cases)

class _Lines(dict):
    """:func:`evaluate`'s result: a dict of lines that knows its period length."""

    period_months: int = 1


def evaluate(inputs: TcoInputs, electricity, params: Mapping[str, np.ndarray] | None = None,
             period_months: int = 1, tax_rate_range: tuple[float, float] | None = None) -> dict[str, np.ndarray]:
    """Cash-flow lines for one or many cases, shape ``(n_cases, n_periods)``.

    Parameters
    ----------
    inputs : TcoInputs
        Sizing and default parameters.
    electricity : Bill, float, 12 values or ElectricityByPvAge
        Electricity bill of the typical year at the tariff's own prices (see
        :func:`electricity_monthly_usd`; their date: ``TcoInputs.electricity_price_month``), or the
        bills at each PV age. [USD]
    params : mapping of str to array (n,), optional
        Per-case values replacing ``inputs.params()`` entries (tornado, Monte Carlo). A ``build_months``
        other than the inputs' own is a construction overrun from the same project start
        (:mod:`dcplan.tco_revalue`).
    period_months : {1, 12}, default 1
        Monthly (the basis of :func:`metrics`) or project-year periods (12 months from the project
        start, which is a calendar year only for a January start). Depreciation,
        taxable income and tax are annual; monthly periods carry a twelfth of the year's
        amount. The residual value, its tax basis and gain are in the last period.
    tax_rate_range : (low, high), optional
        With a tax-rate schedule (``inputs.tax_rate_schedule``): the range the cases' ``tax_rate_frac`` are taken
        from (a tornado's range, a Monte Carlo distribution's support); a case's shift of the schedule stops at
        its end (:mod:`dcplan.tco_tax_schedule`). Default: the case's own range
        (:func:`dcplan.tco_tax_schedule.case_range`).

    Returns
    -------
    dict of str to ndarray
        Every key of :data:`LINES`. [USD, GPU-h, MWh, tokens]

    Notes
    -----
    The lines are computed by :func:`dcplan.tco_cashflows.cash_flow_lines` (capex, IT purchases and
    refreshes, opex, output, residual value and tax, each in its own helper).
    """
    out = cash_flow_lines(inputs, electricity, params, period_months, tax_rate_range)
    lines = _Lines({k: out[k] for k in LINES})
    lines.period_months = period_months
    return lines


def metrics(lines: Mapping[str, np.ndarray], discount_rate_frac,
            period_months: int | None = None) -> dict[str, np.ndarray]:
    """Summary metrics per case from **monthly** lines (monthly discounting, end of month).

    Month ``m`` (1 = the project's first month) is discounted by ``(1 + r) ** (-m / 12)``, ``r`` the
    annual ``discount_rate_frac``. Returns ``npv_usd`` (after tax), ``tco_usd`` (nominal
    pre-tax cost net of residual), ``tco_pv_usd``, ``usd_per_gpu_hour``, ``usd_per_mwh_it``,
    ``usd_per_million_tokens`` (levelized: PV cost / PV quantity, both monthly; the pre-tax
    ``total_cost_usd`` discounted at the same after-tax rate as the NPV, a convention), each an array
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
        :func:`dcplan.finance.irr_result`'s reason: why there is no IRR, when there is none; else how the one given
        was found ("unique IRR", "cash flows change sign 3 times; one IRR found in range", or which of several IRRs).
    calendar_months : PeriodIndex or None
        The calendar month of each row of ``monthly`` (``2026-07``...; :func:`calendar_months`),
        None for an undated case (``TcoInputs.fleet_start`` None).
    depreciation : DataFrame or None
        The tax depreciation by asset class and purchase placed in service, tax years ``year_1 ..
        year_H`` as columns, summing to ``annual``'s ``depreciation_usd`` + ``loss_on_disposal_usd`` (the
        ``_loss_on_disposal`` rows to the latter; the owner's tax years ``tax_year_YYYY`` instead when
        ``TcoInputs.tax_year_start_month`` is not the project's start month, summing to ``monthly``'s lines over
        each one's months)
        (:func:`dcplan.tco_depreciation_table.depreciation_table`); None when not computed.
    """

    annual: pd.DataFrame
    monthly: pd.DataFrame
    summary: dict
    units: dict
    shares: pd.DataFrame
    assumptions: pd.DataFrame
    irr_reason: str
    calendar_months: pd.PeriodIndex | None = None
    depreciation: pd.DataFrame | None = None


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
            facility_energy_kwh: float | None = None, bill_hours_h: float = 8760.0) -> TcoResult:
    """Deterministic TCO of one site.

    Parameters
    ----------
    inputs : TcoInputs
    electricity : Bill, float, 12 values or ElectricityByPvAge
        Tariff bill of the hourly grid draw of the typical year at the tariff's own prices (facility
        load less on-site PV; not a flat price; their date: ``TcoInputs.electricity_price_month``), or its bills at each age of the on-site PV (:func:`dcplan.pipeline.electricity_by_pv_age`). [USD]
    it_avg_kw : float, optional
        Mean IT draw for tokens per watt; default ``it_energy_kwh / 8760``. [kW]
    facility_energy_kwh : float, optional
        Facility energy of a full year, for the effective price and tokens per
        facility watt. [kWh]
    bill_hours_h : float, default 8760
        Hours of the typical year ``electricity`` bills: 8,784 for a leap weather year, whose bill is the
        leap year's own while ``facility_energy_kwh`` is scaled to 8,760 h
        (:func:`dcplan.tco_site_plant.year_energies`). ``electricity_usd_per_mwh_facility`` divides the bill
        by the facility energy of the same hours, ``facility_energy_kwh x bill_hours_h / 8760``, as
        site_analysis's ``usd_per_mwh_facility`` does. [h]

    Returns
    -------
    TcoResult
        ``summary`` keys (discounted figures from the monthly flows, end of month; see the
        module docstring): ``npv_usd``, ``residual_sale_pv_usd`` (the present value of the assumed sale of
        every asset at its residual value at the horizon, less the tax on its gain: the part of ``npv_usd``
        that is that sale; discounted as NPV is), ``npv_without_residual_sale_usd`` (``npv_usd -
        residual_sale_pv_usd``: the NPV of the cash flows the paybacks use), ``irr_frac`` (annual
        effective; None when no IRR exists, see ``irr_reason``; with several roots the one where NPV falls through zero as the
        rate rises, nearest the discount rate: :func:`dcplan.finance.irr_result`), ``payback_years``
        (simple, after tax, from project start, of the cash flows **before the residual sale at the
        horizon**: the sale at the residual value and the tax on its gain are left out, as a sale
        assumed at the end recovers nothing during the horizon; NPV and IRR include it; None if
        never), ``discounted_payback_years`` (the same flows, discounted), ``tco_usd``, ``tco_pv_usd``,
        ``usd_per_gpu_hour``, ``usd_per_mwh_it``, ``usd_per_million_tokens`` (None when
        there is no output over the horizon to divide by), ``tokens_per_j_it``
        (tokens/s per W of IT = "tokens per watt"),
        ``tokens_per_j_facility`` and ``electricity_usd_per_mwh_facility`` (None without
        ``facility_energy_kwh``), ``electricity_typical_year_usd`` (the typical-year bill at the tariff's own
        prices, those of ``TcoInputs.electricity_price_month``, before escalation: no project year's bill),
        ``electricity_first_operating_year_usd`` (``opex_electricity_usd`` of the 12 months from
        ``operations_start_month``, fewer when the horizon ends first; None when no GPU operates),
        ``capex_initial_usd``
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
    if not (np.isfinite(_numbers("bill_hours_h", bill_hours_h, "h")) and bill_hours_h > 0):
        raise InputError(f"must be a finite number of hours > 0 (8760, or 8784 for a leap weather year), "
                         f"got {bill_hours_h}", field="bill_hours_h")
    full = cash_flow_lines(inputs, electricity, None, 12)
    lines = {k: full[k] for k in LINES}
    p = inputs.params()
    H = inputs.horizon_years
    years = pd.Index(range(1, H + 1), name="year")
    annual = pd.DataFrame({k: v[0] for k, v in lines.items()}, index=years).T
    annual.index.name = "line_item"
    mfull = cash_flow_lines(inputs, electricity, None, 1)
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
    sale = np.concatenate([[0.0], mfull["residual_sale_cash_usd"][0]])
    cf_ops = cf - sale
    # how much of the NPV is that sale: its present value, discounted as NPV is (month m at m / 12 years)
    sale_pv = finance.npv(p["discount_rate_frac"], sale, periods_per_year=12)
    shares = cost_shares(annual)
    elec12 = electricity_monthly_usd(electricity)
    it_avg = it_avg_kw if it_avg_kw is not None else inputs.it_energy_kwh / 8760.0
    tok_s = p["tokens_per_s_per_accelerator"] * inputs.n_accelerators * p["utilization_frac"]
    ops = float(full["operations_start_month"][0])
    summary = {
        "npv_usd": m["npv_usd"],
        "residual_sale_pv_usd": sale_pv,
        "npv_without_residual_sale_usd": m["npv_usd"] - sale_pv,
        **m,
        "irr_frac": ir.rate_frac,
        "payback_years": finance.payback_years(cf_ops, periods_per_year=12),
        "discounted_payback_years": finance.discounted_payback_years(p["discount_rate_frac"], cf_ops,
                                                                     periods_per_year=12),
        "electricity_typical_year_usd": float(elec12.sum()),
        # what the cash flows pay for the first 12 months a GPU operates (escalated, operating share)
        "electricity_first_operating_year_usd": (
            float(monthly["opex_electricity_usd"].iloc[int(ops):int(ops) + 12].sum()) if ops < 12 * H else None),
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
    # the bill over the facility energy of the hours it bills (a leap weather year: 8,784 h, not the 8,760 h
    # facility_energy_kwh is scaled to)
    summary["electricity_usd_per_mwh_facility"] = (
        float(elec12.sum()) / (facility_energy_kwh * (float(bill_hours_h) / 8760.0) / 1000.0)
        if facility_energy_kwh else None)
    for c in CATEGORIES:
        summary[f"share_{c}_frac"] = float(shares.loc[c, "share_frac"])
    units = {k: summary_unit(k) for k in summary}
    cal = calendar_months(inputs)
    return TcoResult(annual, monthly, summary, units, shares,
                     assumptions_table(inputs, electricity, it_avg_kw=it_avg_kw,
                                       facility_energy_kwh=facility_energy_kwh, bill_hours_h=bill_hours_h), ir.reason,
                     cal, depreciation_table(full["depreciation_tranches"], H, cal, tax_years=tax_year_labels(inputs),
                                             lead_months=tax_year_lead_months(inputs)))
