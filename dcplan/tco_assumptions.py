"""The Assumptions table of a TCO run, and the tax and book lives of the asset classes.

Part of the TCO model: :mod:`dcplan.tco_inputs` re-exports every public name here, and
:mod:`dcplan.tco` most of them. :func:`assumptions_table` lists every input of one
:func:`dcplan.tco.run_tco` call (``TcoResult.assumptions``) with its value, unit, source,
vintage and status: the ``data/costs.csv`` rows, the :class:`~dcplan.tco_input_types.TcoInputs`
fields, the depreciation lives, the derived months and the electricity bills.
:data:`ASSET_CLASSES` and :data:`ECONOMIC_LIFE_YEARS` are the model's fixed tax and book
lives, with their sources; they and the report's notes on the tax treatment (:func:`tax_loss_note`,
:func:`mid_quarter_note`, :func:`pv_credit_note`) live in :mod:`dcplan.tco_tax`. What each cost
input is (:data:`COST_QUANTITIES`) lives in :mod:`dcplan.tco_cost_table`. Both are re-exported here.
"""
from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd

from . import finance
from .tco_input_types import (_MONTH_KEYS, ElectricityByPvAge, TcoInputs, calendar_months, electricity_monthly_usd,
                              load_costs, pv_ages_billed, whole_months)
from .tco_cost_table import COOLING_TYPE_TEXT, COST_QUANTITIES, cost_row  # noqa: F401  (re-exported)
from .tco_grid_dates import delay_months_note, delay_whole_months
from .tco_ramp import grid_entries, operations_start_month
from .tco_tax_schedule import MONTH_NAMES
# the asset classes' tax and book lives and the report's tax notes: their own module (for length), re-exported here
from .tco_tax import (_TAX_SOURCES, ASSET_CLASSES, ECONOMIC_LIFE_YEARS, MID_QUARTER_FIRST_YEAR_RATIO,  # noqa: F401
                      MID_QUARTER_SHARE, TAX_LOSS_TREATMENT, mid_quarter_note, pv_credit_note, tax_loss_note)

__all__ = ["ASSET_CLASSES", "ECONOMIC_LIFE_YEARS", "ASSUMPTION_COLUMNS", "assumptions_table", "COST_QUANTITIES",
           "TAX_LOSS_TREATMENT", "tax_loss_note", "STATUSES", "split_source_status", "tag_source",
           "INPUT_EQUALS_ESTIMATE", "given_status"]

#: Units and descriptions of the :class:`TcoInputs` fields in the Assumptions table.
_FIELD_ROWS = {
    "n_accelerators": ("accelerators", "accelerators installed"),
    "it_capacity_kw": ("kW", "critical IT capacity the facility is built for"),
    "it_energy_kwh": ("kWh/yr", "IT energy of a full operating year"),
    "utilization_frac": ("frac", "accelerator utilization (share of GPU-hours sold)"),
    "horizon_years": ("yr", "analysis horizon from project start"),
    "bonus_depreciation_frac": ("frac", "bonus depreciation, IRC 168(k): share of the MACRS basis (classes of 20 yr "
                                        "or less) deducted in the tax year placed in service"),
    "pv_kw_dc": ("kWdc", "on-site PV"),
    "battery_kwh": ("kWh", "battery energy capacity"),
    "sewer_billed_frac": ("frac", "share of the cooling-tower make-up water billed for sewer: 1 on supply, the "
                                  "blowdown share 1 / tower_cycles on discharge, 12 x the winter months' mean "
                                  "share of the typical year x the billed share on a winter average "
                                  "(finance.sewer_billing)"),
    "live_fleet_frac": ("frac", "share of the fleet powered by grid capacity in service from the start "
                                "(starts at its planned month, not moved by delay_months)"),
}
ASSUMPTION_COLUMNS = ("key", "value", "unit", "description", "source", "vintage", "status")
#: The Assumptions table's ``status`` vocabulary: ``input`` (given by the site or a caller),
#: ``primary`` / ``secondary`` / ``unverified`` / ``estimate`` (a sourced figure's strength, as
#: ``data/costs.csv`` and docs/reference-data.md's legend; estimate = no source, a planner must replace
#: it), ``derived`` (computed by a dcplan model or from other inputs), ``convention`` (a fixed model
#: convention) and ``not given``; a costs.csv default whose range is weaker adds it, "primary (range: unverified)";
#: a given value equal to a costs.csv default that is an estimate reads :data:`INPUT_EQUALS_ESTIMATE`.
STATUSES = ("input", "primary", "secondary", "unverified", "estimate", "derived", "convention", "not given")
_TAG = re.compile(r"(?s)(.*?)\s*\{(?:vintage ([^{}]*?); )?status (" + "|".join(STATUSES) + r")\}")


def split_source_status(text: str) -> tuple[str, str | None, str | None]:
    """``(source, vintage, status)`` of a source text (``TcoInputs.sources``): how a caller says
    more than where an input came from.

    - a trailing ``{vintage V; status S}`` or ``{status S}`` (``S`` one of :data:`STATUSES`) is
      taken off the text and gives the vintage and status (:func:`tag_source` writes it);
    - a text starting ``"derived: "`` is a dcplan model's result: status ``derived``;
    - any other text: vintage and status None (the table's default, ``input``).

    >>> split_source_status("scenario x: an estimate {status estimate}")
    ('scenario x: an estimate', None, 'estimate')
    >>> split_source_status("derived: dcplan.tco.fleet_phases(site.fleet)")
    ('derived: dcplan.tco.fleet_phases(site.fleet)', None, 'derived')
    >>> split_source_status("site.finance.discount_rate_frac")
    ('site.finance.discount_rate_frac', None, None)
    """
    text = str(text)
    m = _TAG.fullmatch(text)
    if m:
        return m.group(1), m.group(2), m.group(3)
    return text, None, ("derived" if text.startswith("derived: ") else None)


#: Status of a value a site or caller gives that equals its ``data/costs.csv`` default of status ``estimate``
#: (:func:`given_status`): the bundled sites' discount rate, 0.08, is dcplan's own 8 %, "no primary WACC found", not
#: a rate the site sourced, and a reviewer reading ``input`` took it for one (a reviewer's finding).
INPUT_EQUALS_ESTIMATE = "input (equals dcplan's estimate default)"


def given_status(value: float, source: str, row) -> str:
    """The Assumptions status of a given value (``value``, from ``source``) of a ``data/costs.csv`` input (``row``:
    of :func:`load_costs`): :data:`INPUT_EQUALS_ESTIMATE` when it equals the row's value and the row's status is
    ``estimate`` (no source found), unless a named scenario sets it (``source`` ``"scenario ..."``: the base
    scenario's 0-month grid delay is the plan's own dates, not the estimate's); else ``input``.

    >>> row = {"value": 0.08, "status": "estimate"}
    >>> given_status(0.08, "site.finance.discount_rate_frac", row), given_status(0.09, "site.finance.x", row)
    ("input (equals dcplan's estimate default)", 'input')
    >>> given_status(0.21, "site.finance.tax_rate_frac", {"value": 0.21, "status": "primary"})
    'input'
    """
    if (str(row["status"]) == "estimate" and float(value) == float(row["value"])
            and not str(source).startswith("scenario ")):
        return INPUT_EQUALS_ESTIMATE
    return "input"


#: Strongest first: a range weaker than its value is added to the Assumptions status (:func:`with_range_status`).
_RANGE_ORDER = ("primary", "derived", "secondary", "unverified", "estimate")


def with_range_status(status: str, row) -> str:
    """The Assumptions status of a ``data/costs.csv`` default, with its range's status where the range is weaker:
    ``"primary (range: unverified)"`` for the price per GPU-hour (AWS's price, costnimbus.com's range). ``row``: of
    :func:`load_costs`; a range as strong or stronger, or a status outside :data:`_RANGE_ORDER`, leaves ``status``.

    >>> with_range_status("primary", {"range_status": "secondary"})
    'primary (range: secondary)'
    >>> with_range_status("estimate", {"range_status": "derived"})
    'estimate'
    """
    rs = str(row.get("range_status", "") or "")
    if status in _RANGE_ORDER and rs in _RANGE_ORDER and _RANGE_ORDER.index(rs) > _RANGE_ORDER.index(status):
        return f"{status} (range: {rs})"
    return status


def tag_source(text: str, vintage: str | None, status: str) -> str:
    """``text`` with the vintage and status the Assumptions table reads back
    (:func:`split_source_status`); an existing tag is replaced.

    >>> tag_source("RunPod via costnimbus.com", "2026-03", "unverified")
    'RunPod via costnimbus.com {vintage 2026-03; status unverified}'
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {status!r}")
    base = split_source_status(text)[0]
    return f"{base} {{vintage {vintage}; status {status}}}" if vintage else f"{base} {{status {status}}}"


def _noted(inputs: TcoInputs, key: str, source: str) -> str:
    """``source`` with the case's own text on where input ``key``'s value came from, when it gives one
    (``inputs.source_notes``: a site's ``finance.sources``): ``"site.finance.tax_rate_frac: <text>"``."""
    note = (getattr(inputs, "source_notes", None) or {}).get(key)
    return f"{source}: {note}" if note else source


def _num(x: float) -> str:
    """``x`` as a reader writes it: 11,700,000 and 0.3, not 1.17e+07."""
    return f"{x:,.0f}" if abs(x) >= 1000 and float(x).is_integer() else f"{x:g}"


def _given(key: str, row_description: str) -> str:
    """What input ``key`` is, for a value the site or caller gave (:data:`COST_QUANTITIES`)."""
    what = COST_QUANTITIES.get(key) or re.split(r" \(|; |: ", row_description, maxsplit=1)[0]
    return what[:1].upper() + what[1:]


def _electricity_status(electricity) -> str:
    """The status of the bill rows: an :class:`ElectricityByPvAge` that names its tariff takes the status of
    that tariff's prices (:func:`dcplan.input_status.tariff_price_status`: ``estimate`` for the bundled files'
    dcplan-estimated prices, ``unverified`` for a file that gives no status); another tariff's bill of a
    modelled load (a ``Bill``, an :class:`ElectricityByPvAge` without its tariff) is ``derived``; a number or
    12 numbers the caller gives are an ``input``."""
    if isinstance(electricity, ElectricityByPvAge) and electricity.tariff is not None:
        from .input_status import tariff_price_status
        return tariff_price_status(electricity.tariff)[2]
    return "derived" if isinstance(electricity, ElectricityByPvAge) or hasattr(electricity, "monthly") else "input"


def _tariff_status_text(electricity: ElectricityByPvAge) -> str:
    """``"; billed on tariff file x.json, its prices' status (dcplan_price_status): ..."``: the tariff the
    bills are on and how far its prices are sourced (:mod:`dcplan.input_status`)."""
    if electricity.tariff is None:
        return "; the tariff is not named (ElectricityByPvAge.tariff not given), so its prices' status is unknown"
    from .input_status import PRICE_STATUS_KEY, tariff_price_status
    name, text, _ = tariff_price_status(electricity.tariff)
    return f"; billed on {name}, its prices' status ({PRICE_STATUS_KEY}): {text}"


def _electricity_source(electricity) -> str:
    if isinstance(electricity, ElectricityByPvAge):
        return ("caller: run_tco(electricity=ElectricityByPvAge), the tariff bills of the hourly load "
                f"with the PV in its years of service 1 to {electricity.monthly_usd.shape[0]} (whole years of age 0 to "
                f"{electricity.monthly_usd.shape[0] - 1}: dcplan.pipeline.electricity_by_pv_age; row "
                "electricity_pv_ageNN is year NN of service; the horizon bills the years it reaches)"
                + _tariff_status_text(electricity)
                + "; this row: PV in its first year")
    if getattr(electricity, "monthly", None) is not None:
        return "caller: run_tco(electricity=Bill), the year-1 tariff bill (dcplan.tariff), month by month"
    if hasattr(electricity, "total_usd"):
        return "caller: run_tco(electricity=...).total_usd, spread evenly over the 12 months"
    if np.ndim(electricity) == 0:
        return "caller: run_tco(electricity=annual total), spread evenly over the 12 months"
    return "caller: run_tco(electricity=12 monthly totals)"


def _grid_rows(inputs: TcoInputs, given: tuple) -> list[tuple]:
    """Assumptions rows of ``TcoInputs.grid_phases``: how many, and each phase's offset and share;
    ``given`` is the ``(source, vintage, status)`` of the field."""
    g = inputs.grid_phases
    source, vintage, status = given
    if g is None:
        return [("grid_phases", float("nan"), "phases",
                 "interconnection phases not in service that cap the operating fleet: none given, so every "
                 "installed GPU operates (no grid capacity check)", source, "", "not given")]
    rows = [("grid_phases", float(len(g)), "phases",
             "interconnection phases: the share of the fleet operating in a month is at most live_fleet_frac + "
             "the shares of the phases energized by then (dcplan.tco_ramp); GPUs installed beyond it wait for "
             "power (bought, no revenue or energy); a tranche is bought max(0, delay_months - its slack) months "
             "late, its slack the months its capacity was planned to be energized before its start", source, vintage,
             status)]
    for i, (o, f, moves) in enumerate(grid_entries(g)):
        given = float(g[i][0])
        rows += [(f"grid_phase{i + 1}_offset_months", o, "months",
                  "energization after the end of the build (the fleet's first phase start), " +
                  ("planned, shifted by delay_months" if moves else "in service at this date, not moved by "
                   "delay_months") + ("" if o == given else
                                      f" [given {given:g}; the model uses whole months, rounded half up]"),
                  source, vintage, status),
                 (f"grid_phase{i + 1}_fleet_frac", f, "frac",
                  "share of the fleet the phase's capacity powers at design facility power", source, vintage,
                  status)]
    return rows


def _price_row(inputs: TcoInputs) -> tuple:
    """The Assumptions row ``electricity_price_month``: the date the bill's prices are at, in
    months from the project start (NaN without a price date or undated), and how it is escalated."""
    from .tco_electricity import electricity_offset_text
    off, what = electricity_offset_text(inputs)
    src = inputs.sources.get("electricity_price_month")
    if src:
        text, vintage, status = split_source_status(src)
        return ("electricity_price_month", off, "months", what, text, vintage or "",
                status or ("not given" if inputs.electricity_price_month is None else "input"))
    given = inputs.electricity_price_month is not None
    return ("electricity_price_month", off, "months", what,
            "caller: TcoInputs.electricity_price_month" if given else "TcoInputs.electricity_price_month not given",
            "", "input" if given else "not given")


def _mix_rows(inputs: TcoInputs, given) -> list[tuple]:
    """Rows of ``TcoInputs.phase_mix``: each tranche's facility kW, IT energy and tokens per GPU over the
    fleet's average (a fleet of several hardware types), or one row saying every GPU is the average."""
    if inputs.phase_mix is None:
        return [("phase_mix", float("nan"), "x", "per-GPU facility kW, IT energy and tokens of each tranche over the "
                 "fleet's average: not given, every GPU is the fleet's average (one hardware type)",
                 "dcplan.tco default (no phase mix)", "", "not given")]
    rows = [("phase_mix", float(len(inputs.phase_mix)), "tranches", "tranches with their own hardware's figures "
             "(several hardware types): the grid powers them in start order at their own kW per GPU", *given)]
    for i, mix in enumerate(inputs.phase_mix):
        for what, key, x in zip(("facility kW at design", "IT energy", "tokens per second"),
                                ("kw", "it_energy", "tokens"), mix):
            rows.append((f"phase{i + 1}_{key}_per_gpu_x", float(x), "x",
                         f"tranche's {what} per GPU over the fleet's average", *given))
    return rows


def assumptions_table(inputs: TcoInputs, electricity, *, it_avg_kw: float | None = None,
                      facility_energy_kwh: float | None = None, bill_hours_h: float = 8760.0) -> pd.DataFrame:
    """Every input of one :func:`dcplan.tco.run_tco` call (``TcoResult.assumptions``).

    Columns :data:`ASSUMPTION_COLUMNS`: key, value (numeric; NaN where not given), unit,
    description, source, vintage, status (see :class:`dcplan.tco.TcoResult`).

    ``source`` is the ``data/costs.csv`` row, the site spec field (``inputs.sources``) or
    the caller's argument; ``vintage`` is costs.csv's for a default, empty otherwise, except a
    fleet's example throughput (``tokens_per_s_per_accelerator`` from :func:`inputs_from_site`),
    which keeps its figure's source, vintage and status
    (:func:`dcplan.power_tokens.throughput_provenance`).
    A site's own tornado and Monte Carlo range (``inputs.ranges``, its ``finance.ranges``) is added to the
    input's source, with its ends and source text (:func:`dcplan.tco_range_source.range_source_text`), and its
    status reads ``"<status> (range: the site's own)"``.
    A given input's own source text (``inputs.source_notes``, a site's ``finance.sources``) follows the field it
    came from: ``"site.finance.tax_rate_frac: <text>"`` (:func:`_noted`); its status stays ``input``, or
    :data:`INPUT_EQUALS_ESTIMATE` when the value equals a costs.csv default of status estimate (:func:`given_status`).
    Month inputs show the whole months the model uses (:func:`whole_months`, half up:
    ``build_months``, phase offsets; derived ``it_refresh_months``, ``placed_in_service_month``,
    ``operations_start_month``; ``delay_months`` by the month rule,
    :func:`dcplan.tco_grid_dates.delay_whole_months`: a site's case, with dates, the months its first
    pending grid phase's first powered month moves, e.g. northern-virginia's 90th percentile 53.05 -> 54;
    a case without dates, half up); the description gives the value passed when it was not a whole month.
    """
    from .tco_range_source import range_source_text
    elec12 = electricity_monthly_usd(electricity)
    t = load_costs(cooling_type=inputs.cooling_type)  # a liquid-cooled site's facility cost: its own row
    p = inputs.params()
    src = inputs.sources
    defaults = {f.name: f.default for f in dataclasses.fields(TcoInputs)}
    rows = []
    for k in t.index:
        r = t.loc[k]
        given = k in inputs.costs
        own_range = range_source_text(inputs, k)  # the site's own range (finance.ranges), with its source
        source = src.get(k, f"caller: TcoInputs.costs[{k!r}]")
        # the caller's word: a vintage and status tag or "derived: " (split_source_status)
        source, tag_vintage, tag_status = split_source_status(source)
        # a given value: what the input is and where the value came from, not the default row's particulars
        # (a scenario's: its name, the provenance in the source column)
        came = (f"{source.split(':', 1)[0]} (its provenance in the source column)" if source.startswith("scenario ")
                and ":" in source else source)
        same = given and float(p[k]) == float(r["value"])
        default = (f"equal to the data/costs.csv default" if same
                   else f"not the data/costs.csv default ({_num(r['value'])} {r['unit']})")
        if k == "tax_rate_frac" and inputs.tax_rate_schedule is not None:  # the value is the schedule's last rate
            default = f"the rate by year's last rate, {default}"
        came = came.removeprefix("derived: ")
        value, what = p[k], (f"{_given(k, r['description'])}: value from {came}; {default}" if given
                             else r["description"])
        if k in _MONTH_KEYS:  # the whole months the model runs on, and the value given if it differs
            dated = k == "delay_months" and bool(inputs.grid_dates)  # the month rule (dcplan.tco_grid_dates)
            value = float(delay_whole_months(inputs, p[k])) if k == "delay_months" else whole_months(p[k])
            if value != p[k]:
                how = f"by the month rule: {delay_months_note(inputs, p[k])}" if dated else "rounded half up"
                what += f" [given {p[k]:g}; the model uses whole months, {how}]"
        if given:
            # a fleet's example throughput (inputs_from_site): the figure's own vintage and status
            prov = None
            if k == "tokens_per_s_per_accelerator":
                from .power_tokens import split_throughput_source  # on first use: dcplan.power is not light
                prov = split_throughput_source(source)
            if prov is not None:  # the figure's sources go in the source column, not twice
                what = what.replace(source, "the site fleet's example throughput (dcplan.power.example_throughput; "
                                            "its figures in the source column)")
            if k == "tax_rate_frac" and inputs.tax_rate_schedule is not None:  # the rates by year follow
                from .tco_tax_schedule import case_range, shift_text  # the range the tornado swings by default
                what += f"; {shift_text(inputs.tax_rate_schedule, case_range(inputs))} (rows {k}_from_<year>)"
            row = (k, value, r["unit"], what, *(prov or (_noted(inputs, k, source), tag_vintage or "",
                                                         tag_status or given_status(p[k], source, r))))
            rows.append(row[:4] + (row[4] + (f"; {own_range}" if own_range else ""),) + row[5:])
            if k == "tax_rate_frac":
                from .tco_tax_schedule import schedule_rows
                rows += schedule_rows(inputs, value, row[4], row[6])
        else:
            # a source text for a default is a note on it, e.g. the H100 price standing in for another
            # accelerator (inputs_from_site), which may carry its own status
            note = f"; {source}" if k in src else ""
            rows.append((k, value, r["unit"], what, f"data/costs.csv row {cost_row(k, inputs.cooling_type)}: "
                         f"{r['source']}{note}" + (f"; {own_range}" if own_range else ""),
                         tag_vintage or str(r["vintage"]),
                         f"{tag_status or r['status']} (range: the site's own)" if own_range
                         else with_range_status(tag_status or r["status"], r)))

    def field_source(name):
        if name in src:
            return split_source_status(src[name])[0]
        same = getattr(inputs, name) == defaults[name]
        return f"caller: TcoInputs.{name}" + (f" (equals its default {defaults[name]!r})" if same else "")

    def given(name, default="input"):
        """``(source, vintage, status)`` of a field: the caller's text, and its tag or "derived: " prefix."""
        text, vintage, status = split_source_status(src[name]) if name in src else (field_source(name), None, None)
        return _noted(inputs, name, text), vintage or "", status or default

    for name, (unit, what) in _FIELD_ROWS.items():
        rows.append((name, float(getattr(inputs, name)), unit, what, *given(name)))
    rows.append(("cooling_type", float(inputs.cooling_type == "liquid"), "1 = liquid, 0 = air", COOLING_TYPE_TEXT,
                 *given("cooling_type")))

    # depreciation: the method, and per asset class the life and convention it uses
    macrs = inputs.depreciation == "macrs"
    rows.append(("depreciation", 1.0 if macrs else 0.0, "1 = MACRS (tax), 0 = book straight line",
                 "depreciation method: " + ("MACRS tax depreciation per asset class (IRS Pub 946)" if macrs else
                                            "book straight line over the economic lives"),
                 *given("depreciation")))
    for key, (method, life) in ASSET_CLASSES.items():
        if macrs:
            how = (f"{life}-yr straight line, mid-month convention in the month placed in service and in the "
                   "month of the horizon's sale (IRS Pub 946 Table A-7a, ch. 4)" if method == "real-property" else
                   f"MACRS GDS {life}-yr, {finance.MACRS_CLASSES[life] * 100:.0f} % declining balance "
                   "switching to straight line, half-year convention (Pub 946 Table A-1), or mid-quarter by the "
                   "quarter placed in service (Tables A-2 to A-5) in a tax year with more than 40 % of its MACRS "
                   "basis placed in service in its last quarter (IRC §168(d)(3)); the tax year of the horizon's "
                   "sale deducts the convention's share for the year of disposition (Pub 946 ch. 4)")
            source, status = _TAX_SOURCES[key]
            value = float(life)
        elif key == "it":
            how, source, status = ("book straight line over the IT refresh cycle, full-year convention "
                                   "from the year placed in service", "= it_refresh_years", "derived")
            value = p["it_refresh_years"]
        else:
            how = "book straight line over the economic life, full-year convention from the year placed in service"
            source, status = "dcplan.tco.ECONOMIC_LIFE_YEARS (estimate)", "estimate"
            value = ECONOMIC_LIFE_YEARS[key]
        rows.append((f"depreciation_life_{key}_years", value, "yr", f"{key}: {how}", source, "", status))
    for key, life in ECONOMIC_LIFE_YEARS.items():
        rows.append((f"economic_life_{key}_years", life, "yr",
                     f"{key}: economic life for the residual value at the end of the horizon (straight line)",
                     "dcplan.tco.ECONOMIC_LIFE_YEARS (estimate)", "", "estimate"))
    refresh_m = max(whole_months(12.0 * p["it_refresh_years"]), 1.0)
    ops = operations_start_month(inputs)
    ops_source = ("derived: the first month the fleet's installed share (phases, bought as dcplan.tco_ramp) meets "
                  "grid capacity energized (grid_phases shifted by delay_months, a dated one to the first month on or after "
                  "its delayed date as dcplan.grid counts it; live_fleet_frac)"
                  if inputs.grid_phases is not None else
                  "derived: build_months + the first tranche's offset, in whole months (rounded half up); capacity "
                  f"in service powers {inputs.live_fleet_frac:.0%} of the fleet, the rest starts delay_months later"
                  if inputs.live_fleet_frac > 0 else
                  "derived: build_months + delay_months + the first tranche's offset, each in whole months "
                  "(rounded half up)")
    cal = calendar_months(inputs)
    if cal is None:
        cal_rows = [("fleet_start", float("nan"), "month of year",
                     "the fleet's first start (the end of the build): not given, an undated case",
                     field_source("fleet_start"), "", "not given"),
                    ("calendar_start_month", 1.0, "month of year",
                     "calendar month of month 1 (the project start), 1 = January: an undated case is billed from a "
                     "January", "dcplan.tco convention for an undated case", "", "convention")]
    else:
        # the unit names the year: a value of 7 alone did not say which July (a reviewer's finding)
        cal_rows = [("fleet_start", float(inputs.fleet_start.month), f"month of {inputs.fleet_start.year}",
                     f"the fleet's first start (the end of the build, month build_months + 1): {inputs.fleet_start}, "
                     "the first whole month on or after the date given (value: the month's number, 1 = January, of the "
                     "year the unit names; the finance export: the month itself, unit YYYY-MM)",
                     *given("fleet_start")),
                    ("calendar_start_month", float(cal[0].month), f"month of {cal[0].year}",
                     f"calendar month of month 1 (the project start): {cal[0]}, build_months before fleet_start; month "
                     f"m is {cal[0]} + (m - 1) months and pays that calendar month's bill (value: the month's "
                     "number, 1 = January, of the year the unit names; the finance export: the month itself, unit "
                     "YYYY-MM)",
                     "derived: fleet_start - build_months (whole months)", "", "derived")]
    rows += [
        *cal_rows,
        ("placed_in_service_month", whole_months(p["build_months"]), "months",
         "facility, interconnection, PV and battery placed in service (depreciation starts in its tax "
         "year), months after project start; each IT purchase in its own month",
         "derived: build_months in whole months (rounded half up)", "", "derived"),
        ("operations_start_month", float("nan") if ops is None else ops, "months",
         "operations start: the first month a GPU operates (revenue; operations staff paid from it), months "
         "after project start" + (" [none within the horizon: the grid capacity is energized after it]"
                                  if ops is None else ""), ops_source, "", "derived"),
        ("it_refresh_months", refresh_m, "months",
         "IT refresh cycle the model uses (purchases; residual: straight line over it, at most 6 yr, tco_it_life)" +
         ("" if refresh_m == 12.0 * p["it_refresh_years"] else
          f" [it_refresh_years {p['it_refresh_years']:g} x 12 = {12.0 * p['it_refresh_years']:g} months, "
          "rounded half up to whole months]"),
         "derived: 12 x it_refresh_years in whole months (rounded half up, at least 1)", "", "derived"),
        ("hours_per_year", 8760.0, "h/yr", "hours of a year for GPU-hours and the mean IT draw (365 days); each "
         "month has its calendar month's hours in a 365-day year (744 h in January, 672 h in February; leap days "
         "are not modelled), as the bill and IT energy",
         "dcplan.tco convention", "", "convention"),
        ("tax_losses_offset_in_year", 1.0, "-", TAX_LOSS_TREATMENT, "dcplan.tco convention (26 U.S.C. 172 for the carry-forward)",
         "", "convention"),
        *[(f"phase{i + 1}_offset_months", whole_months(o), "months", "tranche's planned start after the build" +
           ("" if whole_months(o) == float(o) else
            f" [given {float(o):g}; the model uses whole months, rounded half up]"),
           *given("phases")) for i, (o, _) in enumerate(inputs.phases)],
        *[(f"phase{i + 1}_fleet_frac", float(f), "frac", "tranche share of the accelerators",
           *given("phases")) for i, (_, f) in enumerate(inputs.phases)],
        ("phase_units", float("nan") if inputs.phase_units is None else float(len(inputs.phase_units)), "tranches",
         "GPUs of the rack or server each tranche is bought and powered by, whole (dcplan.tco_units): " + (
             ", ".join(f"phase {i + 1}: {u}" for i, u in enumerate(inputs.phase_units)) if inputs.phase_units
             else "none: a continuous share of the fleet"), *given("phase_units")),
        ("tax_rate_schedule", float("nan") if inputs.tax_rate_schedule is None else
         float(len(inputs.tax_rate_schedule)), "years listed",
         "income tax rate by calendar year (dcplan.tco_tax_schedule): " + (
             "rows tax_rate_frac_from_<year>; each tax year (project year) at the rate of the calendar year it "
             "begins in" if inputs.tax_rate_schedule else "none: tax_rate_frac for every year"),
         *(given("tax_rate_schedule") if inputs.tax_rate_schedule else (field_source("tax_rate_schedule"), "",
                                                                        "not given"))),
        ("tax_year_start_month", float("nan") if inputs.tax_year_start_month is None else
         float(inputs.tax_year_start_month), "month (1-12)",
         "the month the owner's tax year begins (dcplan.tco_tax_schedule.tax_years): " + (
             f"{MONTH_NAMES[inputs.tax_year_start_month - 1]}: the tax depreciation follows these tax years (MACRS "
             "year 1 the tax year placed in service; the Depreciation sheet's tax_year_YYYY columns when they are "
             "not the project years) and a month of a rate schedule pays the rate of the calendar year its tax "
             "year begins in" if inputs.tax_year_start_month is not None else
             "none: the project's start month, each tax year a project year"),
         *(given("tax_year_start_month") if inputs.tax_year_start_month is not None
           else (field_source("tax_year_start_month"), "", "not given"))),
        *_mix_rows(inputs, given("phase_mix") if inputs.phase_mix is not None else None),
        *_grid_rows(inputs, given("grid_phases")),
        ("grid_dates", float("nan") if inputs.grid_dates is None else float(len(inputs.grid_dates)), "phases",
         "pending interconnection phases dated by the site (filed, planned): under delay_months, as computed, each "
         "powers GPUs from the first month on or after its delayed date (dcplan.grid's rule); "
         + ("; ".join(f"offset {o:g}: filed {f}, planned {d}" for o, f, d in inputs.grid_dates)
            if inputs.grid_dates else "none: grid phases move by delay_months in whole months"),
         *given("grid_dates")),
        ("electricity_typical_year_usd", float(elec12.sum()), "USD/yr",
         "tariff bill of the hourly grid draw of the typical year (the facility load less on-site PV and battery; "
         "exports not credited) at the tariff's own prices (Assumptions electricity_price_month), before escalation",
         _electricity_source(electricity), "", _electricity_status(electricity)),
        _price_row(inputs),
    ]
    rows += [(f"electricity_typical_year_month{m + 1:02d}_usd", float(x), "USD",
              "typical-year bill of the month at the tariff's own prices",
              _electricity_source(electricity), "", _electricity_status(electricity)) for m, x in enumerate(elec12)]
    if isinstance(electricity, ElectricityByPvAge) and electricity.parts is not None:
        from .tco_bill_parts import STANDING_RULE
        rows.append(("electricity_standing_year1_usd", float(electricity.parts.standing_usd.sum()), "USD/yr",
                     "bill of no load over the typical year at the tariff's own prices: fixed customer charges "
                     f"{float(electricity.parts.fixed_usd.sum()):,.0f} USD and contract-demand floor "
                     f"{float(electricity.parts.floor_demand_usd.sum()):,.0f} USD (with any minimum top-up), paid in "
                     f"full from the first month a GPU operates; {STANDING_RULE}",
                     "derived: the tariff's bill of a zero load over the typical year's hours "
                     "(dcplan.tco_bill_parts.bill_parts)", "", "derived"))
    if isinstance(electricity, ElectricityByPvAge):
        tab = electricity.monthly_usd
        rows.append(("pv_degradation_frac_per_year", electricity.degradation_frac_per_year, "frac/yr",
                     "loss of PV output per year of age, a share of its first-year output (linear); each "
                     "month is billed at the PV's age in whole years since it was placed in service",
                     electricity.source, electricity.vintage, electricity.status))
        n_ages = min(tab.shape[0], pv_ages_billed(inputs))
        src_age = _electricity_source(electricity).replace("; this row: PV in its first year", "")
        rows += [(f"electricity_pv_age{a + 1:02d}_usd", float(tab[a].sum()), "USD/yr",
                  f"bill of the typical year at the tariff's own prices with the PV in its year {a + 1} of service"
                  + (" (= electricity_typical_year_usd)" if a == 0 else ""), src_age, "", _electricity_status(electricity))
                 for a in range(n_ages)]
        rows += [(f"electricity_pv_age{a + 1:02d}_month{m + 1:02d}_usd", float(tab[a, m]), "USD",
                  f"bill of the month at the tariff's own prices with the PV in its year {a + 1} of service",
                  src_age, "", _electricity_status(electricity)) for a in range(1, n_ages) for m in range(12)]
    for name, what in (("it_energy_month_frac", "IT energy"), ("water_month_frac", "plant water")):
        shares = getattr(inputs, name)
        if shares is None:
            rows.append((name, float("nan"), "frac", f"{what} by calendar month: not given, a constant draw (each "
                         "month its days / 365 of the year)", "dcplan.tco default (no monthly shares given)", "",
                         "not given"))
        else:
            rows += [(f"{name.removesuffix('_frac')}{m + 1:02d}_frac", x, "frac",
                      f"share of the typical year's {what} in calendar month {m + 1} (1 = January)",
                      *given(name)) for m, x in enumerate(shares)]
    sewer = inputs.sewer_month_frac  # the billed sewer volume by month: one row when the same every month
    if sewer is None:
        rows.append(("sewer_month_frac", float("nan"), "frac", "billed sewer volume by calendar month: not given, "
                     "each month's own make-up (water_month_frac) x sewer_billed_frac", "dcplan.tco default "
                     "(TcoInputs.sewer_month_frac None: sewer follows the make-up)", "", "not given"))
    elif max(sewer) - min(sewer) <= 1e-12:
        rows.append(("sewer_month_frac", float(sewer[0]), "frac", "share of the year's billed sewer volume in each "
                     "calendar month: the same every month (a winter average is billed every month alike), so "
                     "opex_sewer_usd is flat within a year at full build-out", *given("sewer_month_frac")))
    else:
        rows += [(f"sewer_month{m + 1:02d}_frac", x, "frac", f"share of the year's billed sewer volume in calendar "
                  f"month {m + 1} (1 = January)", *given("sewer_month_frac")) for m, x in enumerate(sewer)]
    if it_avg_kw is not None:
        rows.append(("it_avg_kw", float(it_avg_kw), "kW", "mean IT draw (for tokens per joule of IT)",
                     "caller: run_tco(it_avg_kw=...)", "", "input"))
    else:
        rows.append(("it_avg_kw", inputs.it_energy_kwh / 8760.0, "kW", "mean IT draw (for tokens per joule of IT)",
                     "derived: it_energy_kwh / 8760 (run_tco default)", "", "derived"))
    if facility_energy_kwh is not None:
        rows.append(("facility_energy_kwh", float(facility_energy_kwh), "kWh/yr",
                     "facility energy of a full year (effective electricity price, tokens per facility joule)",
                     *(given("facility_energy_kwh") if "facility_energy_kwh" in src else
                       ("caller: run_tco(facility_energy_kwh=...)", "", "input"))))
    else:
        rows.append(("facility_energy_kwh", float("nan"), "kWh/yr",
                     "facility energy of a full year: not given, so tokens_per_j_facility and "
                     "electricity_usd_per_mwh_facility are undefined",
                     "caller: run_tco(facility_energy_kwh) not given", "", "not given"))
    rows.append(("bill_hours_h", float(bill_hours_h), "h",
                 "hours of the typical year the electricity bill covers (8,784 in a leap weather year): "
                 "electricity_usd_per_mwh_facility divides the bill by the facility energy of those hours",
                 *(("caller: run_tco(bill_hours_h=...)", "", "input") if bill_hours_h != 8760.0 else
                   ("dcplan.tco default: a 365-day year (run_tco bill_hours_h)", "", "convention"))))
    df = pd.DataFrame(rows, columns=list(ASSUMPTION_COLUMNS))
    df["value"] = df["value"].astype(float)
    seen = ~df["key"].duplicated(keep="last")
    return df[seen].reset_index(drop=True)
