"""Types of the TCO model's inputs and their checks: :class:`TcoInputs` and :class:`ElectricityByPvAge`.

Part of the TCO model: :mod:`dcplan.tco_inputs` re-exports every public name here, and
:mod:`dcplan.tco` most of them. :class:`TcoInputs` checks each input once, when it is made:
the allowed range of every field and ``data/costs.csv`` override (``_BOUNDS``), the
deployment phases and the ``sources`` keys. ``data/costs.csv`` holds every cost default with
its tornado range, unit, source, vintage and status (:func:`load_costs`, read once per
process). Also here: the whole-month timing the model runs on (:func:`whole_months`,
:func:`tranches`; the fleet's ramp under the grid is :mod:`dcplan.tco_ramp`). The electricity bill a run is given, as
12 monthly costs (:func:`electricity_monthly_usd`) or per PV age (:class:`ElectricityByPvAge`), and the date its
prices are at are in :mod:`dcplan.tco_electricity` (re-exported here).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ._ts import did_you_mean
from .errors import InputError
from .specs.finance import HORIZON_MAX_YEARS, REVENUE_MAX_USD_PER_GPU_H
from .tco_cost_table import (COOLING_DEFAULT_ROWS, COOLING_TYPES, _costs_table, cost_keys,  # noqa: F401
                             cost_row, default_cost, load_costs)
from .tco_electricity import (ElectricityByPvAge, _short, electricity_by_pv_age_usd,  # noqa: F401  (re-exported)
                              electricity_monthly_usd)
from .tco_input_checks import (PHASE_MIX_COLUMNS, _check_grid_phases, _check_phases, _grid_key,  # noqa: F401
                               _month_shares, _phase_mix)
from .tco_labels import plain_number

__all__ = ["TcoInputs", "ElectricityByPvAge", "load_costs", "cost_keys", "default_cost", "cost_row",
           "COOLING_DEFAULT_ROWS", "COOLING_TYPES",
           "electricity_monthly_usd", "electricity_by_pv_age_usd", "pv_ages_billed", "whole_months",
           "tranches", "month_on_or_after", "calendar_months"]

# Allowed range per input: (low, low inclusive, high, high inclusive, what it means).
# Rates per year are fractions in (-1, 1], as FinanceSpec and Tariff.with_escalation take
# them, so a rate typed in percent (8 for 8 %) is an error, not an 800 %/yr rate; the
# same for the yearly cost shares (maintenance, insurance, property tax).
_RATE = (-1.0, False, 1.0, True, "a rate per year > -1 (-100 %) and <= 1, as a fraction (0.08 for 8 %)")
_SHARE = (0.0, True, 1.0, True, "a share per year in [0, 1] as a fraction (0.10 for 10 %)")
_BOUNDS = {
    # a cost of capital is not negative (a negative rate makes later cash worth more)
    "discount_rate_frac": (0.0, True, 1.0, True, "a rate per year in [0, 1] as a fraction (0.08 for 8 %)"),
    "inflation_frac": _RATE,
    "electricity_escalation_frac": _RATE,
    "it_price_change_frac": _RATE,
    "revenue_escalation_frac": _RATE,
    "maintenance_it_frac": _SHARE,
    "maintenance_facility_frac": _SHARE,
    "insurance_frac": _SHARE,
    "property_tax_frac": _SHARE,
    "facility_shell_frac": (0.0, True, 1.0, True, "a fraction in [0, 1]"),
    "facility_electrical_frac_of_critical": (0.0, True, 1.0, True, "a fraction in [0, 1]"),
    "tax_rate_frac": (0.0, True, 1.0, False, "a fraction in [0, 1)"),
    "utilization_frac": (0.0, True, 1.0, True, "a fraction in [0, 1]"),
    "sewer_billed_frac": (0.0, True, 1.0, True, "a share of the make-up water in [0, 1] (1: sewer billed on supply; "
                          "1 / tower_cycles: on the blowdown, with an evaporation deduct meter; "
                          "12 x the winter months' mean share x the billed share: a winter average)"),
    "it_refresh_years": (1.0, True, 50.0, True, "a life in years >= 1 (and <= 50)"),
    # GPU rentals are ~1-10 USD/GPU-h (data/costs.csv 1.99-6.98): 4916 is a slip, not a price
    "revenue_usd_per_gpu_h": (0.0, True, REVENUE_MAX_USD_PER_GPU_H, True,
                              f"a price of one GPU for one hour in [0, {REVENUE_MAX_USD_PER_GPU_H:g}] USD/GPU-h "
                              "(rentals are about 1-10 USD/GPU-h; a larger figure is a slip: a price per server, "
                              "per month or a misplaced decimal point)"),
}
#: Most hours a year can have (a leap year): a year's IT energy above capacity x this is impossible.
HOURS_MAX_PER_YEAR = 8784.0
_NONNEG = "a number >= 0"
#: costs.csv inputs in months: the model runs on whole months (:func:`whole_months`).
_MONTH_KEYS = ("build_months", "delay_months")


def whole_months(months):
    """Months rounded half up to whole months, as the model uses them (10.5 -> 11, 2.5 -> 3).

    The model runs on whole calendar months: ``build_months``, ``delay_months``, phase
    offsets and the IT refresh cycle (``12 * it_refresh_years``) are rounded so, never half to
    even (Python's ``round``, which made 2.5 -> 2 and 10.5 -> 10). The Assumptions table shows
    the months used next to the value given.

    >>> whole_months(10.5), whole_months(2.5), whole_months(0.5), whole_months(7.49)
    (11.0, 3.0, 1.0, 7.0)
    """
    out = np.floor(np.asarray(months, dtype=float) + 0.5)
    return float(out) if out.ndim == 0 else out


def month_on_or_after(d, field: str = "fleet_start") -> pd.Period:
    """The first whole calendar month starting on or after date ``d``, as a monthly ``pandas.Period``:
    the month a date counts from in :func:`dcplan.grid.capacity_timeline` and :func:`dcplan.grid.gpu_plan`
    (capacity energized 2028-07-16 powers GPUs from August 2028). A ``Period`` is taken as its month.

    >>> str(month_on_or_after("2026-07-01")), str(month_on_or_after("2026-07-16"))
    ('2026-07', '2026-08')
    """
    if isinstance(d, pd.Period):
        return d.asfreq("M")
    try:
        t = pd.Timestamp(d)
    except (TypeError, ValueError):
        t = None
    if t is None or t is pd.NaT or isinstance(d, (bool, int, float, np.number)):
        raise InputError(f"must be a date (YYYY-MM-DD, datetime.date, Timestamp or Period), got {_short(d)}",
                         field=field)
    if t.tzinfo is not None:
        t = t.tz_localize(None)
    m = t.to_period("M")
    return m if t == m.to_timestamp() else m + 1


def calendar_months(inputs, build: float | None = None) -> pd.PeriodIndex | None:
    """The calendar month of each model month ``0..12 H - 1`` (``TcoResult.monthly`` rows 1..12H),
    ``fleet_start - build + m``; None for an undated case. ``build``: whole months, default the
    inputs' ``build_months`` (rounded half up)."""
    if inputs.fleet_start is None:
        return None
    b = int(whole_months(inputs.params()["build_months"] if build is None else build))
    return pd.period_range(inputs.fleet_start - b, periods=12 * inputs.horizon_years, freq="M", name="calendar_month")


def tranches(phases, live_fleet_frac: float = 0.0) -> list[tuple[float, float, bool]]:
    """``(offset_months, fleet_frac, delayed)`` per tranche: the phases in deployment order,
    the first ``live_fleet_frac`` of the fleet not delayed (a phase split where it ends).

    Offsets are whole months (:func:`whole_months`), from the end of the build.

    >>> tranches(((0, 0.5), (6, 0.5)), 0.75)
    [(0.0, 0.5, False), (6.0, 0.25, False), (6.0, 0.25, True)]
    """
    out, done = [], 0.0
    for off, frac in phases:
        off, frac = whole_months(off), float(frac)
        live = min(max(live_fleet_frac - done, 0.0), frac)
        if live > 0:
            out.append((off, live, False))
        if frac - live > 1e-12:
            out.append((off, frac - live, True))
        done += frac
    return out


def _numbers(name: str, v, what: str) -> np.ndarray:
    """``v`` as a float array; a bool, text or anything not a real number is an error (``True``
    is not silently 1.0, nor ``"0.08"`` 0.08)."""
    if isinstance(v, (bool, np.bool_, str, bytes)) or np.asarray(v).dtype.kind not in "iuf":
        raise InputError(f"must be a number ({what}), got {_short(v)}", field=name)
    return np.asarray(v, dtype=float)


def _check(name: str, v) -> None:
    lo, lo_inc, hi, hi_inc, what = _BOUNDS.get(name, (0.0, True, math.inf, True, _NONNEG))
    a = _numbers(name, v, what)
    bad = ~np.isfinite(a) | (a < lo if lo_inc else a <= lo) | (a > hi if hi_inc else a >= hi)
    if np.any(bad):
        raise InputError(f"must be {what}, got {float(a[bad].ravel()[0])!r}", field=name)


#: TcoInputs fields a ``sources`` entry may name (besides the ``data/costs.csv`` keys).
_SOURCE_FIELDS = ("n_accelerators", "it_capacity_kw", "it_energy_kwh", "utilization_frac", "horizon_years",
                  "pv_kw_dc", "battery_kwh", "depreciation", "phases", "live_fleet_frac", "grid_phases",
                  "fleet_start", "it_energy_month_frac", "water_month_frac", "facility_energy_kwh",
                  "electricity_price_month", "bonus_depreciation_frac", "phase_mix", "grid_dates", "phase_units",
                  "cooling_type", "tax_rate_schedule", "tax_year_start_month", "sewer_billed_frac", "sewer_month_frac")


def _check_sources(sources, name: str = "sources", costs=None) -> None:
    """``sources`` (or ``source_notes``, ``name``): input name -> non-empty text; with ``costs``, a cost key must be
    one of them (a note is on a value the case gives)."""
    if not isinstance(sources, Mapping):
        raise InputError(f"must be a mapping of input name to source text, got {sources!r}", field=name)
    known = set(_SOURCE_FIELDS) | set(load_costs().index)
    for k, v in sources.items():
        if k not in known:
            raise InputError(f"unknown input {k!r}{did_you_mean(str(k), sorted(known))}; allowed: "
                             "TcoInputs fields and data/costs.csv keys", field=f"{name}.{k}")
        if not isinstance(v, str) or not v.strip():
            raise InputError(f"must be a non-empty text saying where the input came from, got {v!r}",
                             field=f"{name}.{k}")
        if costs is not None and k not in _SOURCE_FIELDS and k not in costs:
            raise InputError(f"{k!r} is not given in costs: a note is on a value the case gives (a default's source "
                             "is its data/costs.csv row's)", field=f"{name}.{k}")


@dataclass(frozen=True)
class TcoInputs:
    """Everything :func:`run_tco` needs besides the electricity bill.

    Parameters
    ----------
    n_accelerators : int
        Accelerators (GPUs) installed. [-]
    it_capacity_kw : float
        Critical IT capacity the facility is built for (sizes facility and
        interconnection capex). [kW]
    it_energy_kwh : float
        IT energy of one full year of operation (from ``dcplan.power``). [kWh]
    utilization_frac : float, default 0.8
        Share of accelerator-hours sold / used; the stated utilization of $/GPU-hour. The
        default is an ESTIMATE (a busy fleet), not a measurement;
        :func:`~dcplan.tco_inputs.inputs_from_site` takes the site's ``fleet.utilisation_frac``. [frac]
    horizon_years : int, default 10
        Analysis horizon from project start (build included), 1-20: at most the 20-year economic life
        of the electrical and mechanical plant (15 with a battery), which the model buys once and does
        not replace (:data:`dcplan.specs.finance.HORIZON_MAX_YEARS`). [yr]
    pv_kw_dc, battery_kwh : float, default 0
        On-site PV [kWdc] and battery [kWh].
    depreciation : {"macrs", "straight-line"}
        Tax MACRS per :data:`~dcplan.tco_assumptions.ASSET_CLASSES` or book straight line over economic lives.
    bonus_depreciation_frac : float, default 0
        Bonus depreciation, IRC §168(k): the share of the basis of every MACRS class with a recovery
        period of 20 years or less (IT, PV, battery, the 15-year plant and interconnection; not the
        39-year building shell) deducted in the tax year it is placed in service, the rest (the basis
        reduced by the bonus) on the MACRS table (:func:`dcplan.finance_depreciation.bonus_fractions`).
        Default 0: no bonus depreciation (a conservative base case). Under 26 U.S.C. 168(k) as amended
        by P.L. 119-21 (2025) qualified property acquired after 2025-01-19 takes 100 % (1.0) unless the
        owner elects out; a tax adviser should confirm what the project's property qualifies for. MACRS
        only: with ``depreciation="straight-line"`` it must be 0. [frac, 0-1]
    costs : mapping, optional
        Overrides of ``data/costs.csv`` values by key (e.g. ``{"discount_rate_frac": 0.1}``).
    phases : tuple of (offset_months, fleet_frac), default ((0, 1),)
        Deployment ramp: each tranche of the fleet is planned ``offset_months`` after the end of
        the build and holds ``fleet_frac`` of the accelerators (fractions sum to 1); a grid delay
        moves a tranche's purchase by the part of the delay its planned slack does not absorb
        (:mod:`dcplan.tco_ramp`; without ``grid_phases``: the whole delay). IT capex, refreshes,
        IT maintenance and network follow the installed share; revenue, water and output the
        operating share (the installed share, capped by ``grid_phases`` when given); so does the
        electricity bill, scaled by the operating share before full build-out (an
        energy-proportional approximation: the bill is of the full build-out load; with a
        ``phase_mix``, the operating share of the full build-out's IT energy).
    live_fleet_frac : float, default 0
        Share of the fleet that grid capacity in service from the start powers (an existing
        campus: interconnection phases marked ``in_service`` energized by the fleet's first start,
        see :func:`dcplan.tco_inputs.grid_capacity`). The first ``live_fleet_frac`` of the
        accelerators in deployment order (a tranche is split where the share ends) starts at
        its planned month, ``build_months`` + its offset, whatever ``delay_months`` is (with a
        ``phase_mix``: the share of the whole fleet's design facility power, each phase at its own
        kW per GPU). A delayed
        tranche that would start after the horizon is never bought. [frac, 0-1]
    grid_phases : tuple of (offset_months, fleet_frac[, True]), optional
        The interconnection phases, for a fleet that may only run on grid capacity energized: each
        adds ``fleet_frac`` (its MW over the whole fleet's facility power at design,
        :func:`~dcplan.tco_inputs.grid_phases`; may exceed 1) of powerable fleet ``offset_months``
        after the end of the build (the fleet's first phase start; negative: energized before
        it) at its planned date, shifted by ``delay_months``; an entry ``(offset, frac, True)`` is
        a phase in service at its date, which the delay does not move. The share of the fleet
        **operating** in a month is then ``min(installed share, min(1, live_fleet_frac + the
        grid_phases energized by then))``: revenue, GPU-hours, tokens, IT energy, water and
        electricity follow it. The purchases follow the fleet's plan, moved only by the part of
        the grid delay each tranche's slack does not absorb (:func:`dcplan.tco_ramp.tranche_plan`):
        IT capex, refreshes, IT maintenance, network and insurance and property tax on IT follow
        the **installed** share, so a GPU waiting for power costs from its purchase and earns
        nothing until powered. None (default): no grid information, every installed GPU runs and
        the part of the fleet not on ``live_fleet_frac`` is bought ``delay_months`` late (the
        model before grid phases); ``()``: only the capacity in service (``live_fleet_frac``)
        powers the fleet.
    phase_mix : tuple of (kw, energy, tokens), optional
        A fleet of several hardware generations: one triple per entry of ``phases``, the phase's
        facility kW at design, IT energy of a full build-out year and tokens per second, **per GPU**
        (any unit: each column is divided by its mean over the fleet's GPUs, ``sum(fleet_frac x
        value) = 1``, as stored). The grid capacity (``grid_phases``, ``live_fleet_frac``: shares of
        the whole fleet's design facility power) then powers each tranche at its own kW per GPU, in
        start order (the oldest first: a hall already running keeps its power), each up to its
        installed GPUs; a month's IT energy (and with it water and the electricity bill) is
        ``it_energy_kwh`` x the sum of the operating GPU shares times their energy weight, its tokens
        the sum of GPU-hours times their token weight times ``tokens_per_s_per_accelerator`` (the fleet's
        average) (:func:`dcplan.tco_ramp.tranche_ramp`). None (default), or the same figures for every
        phase: every GPU is the fleet's average GPU. :func:`~dcplan.tco_inputs.inputs_from_site` fills
        it for a fleet of several hardware types (:func:`~dcplan.tco_inputs.fleet_phase_mix`). [-]
    grid_dates : tuple of (offset_months, filed, planned), optional
        The dates of the pending ``grid_phases`` (matched on their offset): a phase so dated moves under the
        grid delay, as computed, to the first month starting on or after its delayed date, as
        :func:`dcplan.grid.capacity_timeline` counts it (:func:`dcplan.tco_grid_dates.energized_shift`);
        one not dated by the delay in whole months. :func:`~dcplan.tco_inputs.inputs_from_site` fills it
        from the site's ``interconnection:`` when ``grid_phases`` are given
        (:func:`dcplan.tco_grid_dates.grid_dates`).
    phase_units : tuple of int, optional
        GPUs of the rack or server each entry of ``phases`` is bought and powered by, whole (72 for a GB200
        NVL72 rack: :mod:`dcplan.tco_units`): tranches split and capacity powers whole units only, as
        :func:`dcplan.grid.deployment_ramp` counts them. None (default): a continuous share of the fleet. [GPUs]
    fleet_start : date-like, optional
        The fleet's first phase start (site ``fleet.phases`` earliest ``start``), which is the end of
        the build, model month ``build_months``: it puts the model on the calendar. It is stored as the
        first whole calendar month starting on or after the date (a ``pandas.Period``; 2026-07-16 ->
        2026-08), as :func:`dcplan.grid.gpu_plan` and :func:`dcplan.tco_inputs.grid_phases` count a
        date. Model month ``m`` (0-based, 0 = project start) is then the calendar month ``fleet_start
        - build_months + m`` (:func:`calendar_months`): it pays the bill of that calendar month, and the
        export names it (``2026-07``). The project start therefore moves with the inputs' own
        ``build_months``, while the fleet's start and the grid phases' dates, which are calendar dates,
        stay put; a case evaluated with another ``build_months`` (a tornado end, a Monte Carlo draw) keeps
        this project start and moves the fleet instead, a construction overrun (:mod:`dcplan.tco_revalue`).
        None (default): an undated case,
        model month 0 is a January (the typical year's first month), as before dates were given.
    it_energy_month_frac, water_month_frac : 12 numbers, optional
        The typical year's IT energy and plant water by calendar month (January..December), as
        shares of the year (each sums to 1; any 12 non-negative numbers with a positive sum are
        divided by their sum). Model month ``m`` takes the share of its calendar month
        (``fleet_start - build_months + m``, as the bill), times 12, of the year's IT energy and
        water, so a Phoenix July uses more tower water than its January while the annual totals are
        unchanged; :func:`~dcplan.tco_inputs.inputs_from_site` callers pass the site's hourly model
        by month (``dcplan.pipeline.run_site_year``). None (default): 1/12 of the year each month.
        [frac]
    electricity_price_month : date-like, optional
        The date the bill's prices are at: the tariff's ``startdate``
        (:func:`dcplan.tco_electricity.tariff_price_date`), stored as the first whole month on or after
        it. A dated case escalates the bill from it in 12-month steps, deflating the months before it
        (:func:`dcplan.tco_electricity.price_years`). None (default), or an undated case: the bill is at
        the project start's prices, escalated by project year.
    cooling_type : {"air", "liquid"}, default "air"
        The site's ``cooling.type`` (one for the whole plant; a liquid plant's air loop serves its air-cooled
        units): picks the ``data/costs.csv`` default of ``facility_usd_per_mw`` and its tornado and Monte
        Carlo range, row ``facility_usd_per_mw`` (air) or ``facility_liquid_usd_per_mw`` (liquid)
        (:func:`load_costs`); a value in ``costs`` wins over either.
    sewer_billed_frac : float, default 1
        Share of the make-up water (``wue_l_per_kwh`` x IT energy) the utility bills sewer on, at
        ``sewer_usd_per_m3`` (``opex_sewer_usd``; ``water_usd_per_m3`` is on all of it): 1 when sewer is billed on
        the supply meter (a site's ``finance.sewer_billing: on_supply``, the default), the towers' blowdown share
        ``1 / tower_cycles`` with an evaporation deduct meter (``on_discharge``:
        :func:`dcplan.thermal_plant_summary.water_split_m3`), 12 x the winter months' mean share of the
        typical year's make-up x the billed share on a winter average (``winter_average``, the City of
        Phoenix's rule: :func:`dcplan.tco_site_plant.winter_average_billed_frac`), as
        :func:`~dcplan.tco_inputs.inputs_from_site` sets it; one number for every month the TCO bills
        (build, ramp and every Monte Carlo or tornado case alike). [frac, 0-1]
    sewer_month_frac : 12 numbers, optional
        The billed sewer volume by calendar month, as ``water_month_frac`` (shares of the year, divided by
        their sum). None (default): the make-up's own, ``water_month_frac`` (sewer on a share of each month's
        water). A winter average bills the same volume every month, so
        :func:`~dcplan.tco_inputs.inputs_from_site` gives it 1/12 each: the year's ``sewer_billed_frac`` x
        make-up in twelve equal bills (a Phoenix July bills what its February does). [frac]
    sources : mapping of str to str, optional
        Where an input came from, by field name (``utilization_frac``, ``phases``...) or
        ``data/costs.csv`` key, e.g. ``{"discount_rate_frac": "site.finance.discount_rate_frac"}``;
        :func:`~dcplan.tco_inputs.inputs_from_site` fills it. Inputs not listed are shown as given by the caller
        (a field) or as the ``data/costs.csv`` row (a cost not overridden) in
        ``TcoResult.assumptions``. Provenance only: it does not change the result and is not
        compared by ``==``.
    ranges : mapping of str to (low, high, source), optional
        The case's own uncertainty range of a ``data/costs.csv`` input (a site's ``finance.ranges``,
        :mod:`dcplan.specs.finance_ranges`), which :func:`dcplan.tco_ranges.default_ranges` takes in place of the
        row's low/high (absolute bounds in the input's unit), and the range tables name with its ``source``
        (:func:`dcplan.tco_range_source.range_source_text`). It does not change the deterministic result. Checked as
        a site's are (:func:`dcplan.tco_range_source.check_case_ranges`): a key a site may give a range
        (not ``delay_months`` or ``wue_l_per_kwh``), ends the input allows and within its plausibility band,
        ``low < high`` and ``low <= base <= high`` for the case's value (a scenario's value excepted).
    source_notes : mapping of str to str, optional
        The case's own word on where a value it gives came from (a site's ``finance.sources``,
        :mod:`dcplan.specs.finance_sources`), by field name or ``costs`` key: the Assumptions table adds it to the
        input's source, ``"site.finance.tax_rate_frac: <text>"``. Provenance only, as ``sources``.
    tax_rate_schedule : mapping of int to float, or sequence of (year, rate), optional
        The income tax rate by calendar year (a site's ``finance.tax_rate_frac`` given as a mapping,
        :mod:`dcplan.tco_tax_schedule`): each rate from 1 January of its year until the next listed year, the first
        rate before the first year. Stored as ``((year, rate), ...)``. Needs a dated case (``fleet_start``). The
        scalar ``tax_rate_frac`` (``costs``) is then the schedule's last rate, its anchor, set here (``costs`` may
        give it only equal to that): a value of ``tax_rate_frac`` other than the anchor (a tornado end, a Monte Carlo
        draw) shifts every year's rate by the difference, never past the range's end. None (default):
        ``tax_rate_frac`` for every year. [frac]
    tax_year_start_month : int, optional
        The month (1-12) the owner's tax year begins (a site's ``finance.tax_year_start_month``): with a
        ``tax_rate_schedule`` each model month pays the rate of the calendar year its tax year begins in, ``y`` for
        a month of ``y`` from this month on, else ``y - 1`` (1: a calendar-year taxpayer, each month its own year's
        rate; :func:`dcplan.tco_tax_schedule.tax_years`), and the tax depreciation follows the owner's tax years
        (:func:`dcplan.tco_tax_schedule.tax_year_lead_months`; with one rate too). None (default): the project's
        start month, each tax year a project year.
    """

    n_accelerators: int
    it_capacity_kw: float
    it_energy_kwh: float
    utilization_frac: float = 0.8
    horizon_years: int = 10
    pv_kw_dc: float = 0.0
    battery_kwh: float = 0.0
    depreciation: str = "macrs"
    costs: Mapping[str, float] = field(default_factory=dict)
    phases: tuple = ((0.0, 1.0),)
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    live_fleet_frac: float = 0.0
    grid_phases: tuple | None = None
    fleet_start: pd.Period | None = None
    it_energy_month_frac: tuple | None = None
    water_month_frac: tuple | None = None
    electricity_price_month: pd.Period | None = None
    bonus_depreciation_frac: float = 0.0
    phase_mix: tuple | None = None
    grid_dates: tuple | None = None
    phase_units: tuple | None = None
    cooling_type: str = "air"
    ranges: Mapping[str, tuple] = field(default_factory=dict)
    source_notes: Mapping[str, str] = field(default_factory=dict, compare=False)
    tax_rate_schedule: tuple | None = None
    tax_year_start_month: int | None = None
    sewer_billed_frac: float = 1.0
    sewer_month_frac: tuple | None = None

    def __post_init__(self):
        from .tco_range_source import check_input_ranges  # {key: (low, high, source)}
        object.__setattr__(self, "ranges", check_input_ranges(self.ranges))
        if self.cooling_type not in COOLING_TYPES:
            raise InputError(f"must be one of {', '.join(COOLING_TYPES)} (the site's cooling.type), got "
                             f"{_short(self.cooling_type)}", field="cooling_type")
        for name in ("it_energy_month_frac", "water_month_frac", "sewer_month_frac"):
            object.__setattr__(self, name, _month_shares(name, getattr(self, name)))
        if self.fleet_start is not None:  # the first whole calendar month on or after the date
            object.__setattr__(self, "fleet_start", month_on_or_after(self.fleet_start, field="fleet_start"))
        if self.electricity_price_month is not None:
            object.__setattr__(self, "electricity_price_month",
                               month_on_or_after(self.electricity_price_month, field="electricity_price_month"))
        _check_phases(self.phases)
        object.__setattr__(self, "phase_mix", _phase_mix(self.phase_mix, self.phases))
        _check_grid_phases(self.grid_phases)
        if self.grid_dates is not None:  # hashable: ((offset, filed ISO, planned ISO), ...)
            try:
                gd = tuple((float(o), pd.Timestamp(f).date().isoformat(), pd.Timestamp(p).date().isoformat())
                           for o, f, p in self.grid_dates)
            except (TypeError, ValueError):
                raise InputError("must be None or a sequence of (offset_months, filed date, planned date) of the "
                                 f"pending grid phases, got {_short(self.grid_dates)}", field="grid_dates") from None
            object.__setattr__(self, "grid_dates", gd)
        if self.grid_phases is not None:  # hashable and ordered by energization
            object.__setattr__(self, "grid_phases", tuple(sorted((_grid_key(g) for g in self.grid_phases),
                                                                 key=lambda g: (g[0], g[1], len(g)))))
        if (isinstance(self.n_accelerators, (bool, np.bool_))
                or not isinstance(self.n_accelerators, (int, np.integer, float, np.floating))
                or not float(self.n_accelerators).is_integer()):
            raise InputError(f"must be a whole number of accelerators, got {_short(self.n_accelerators)}",
                             field="n_accelerators")
        from .tco_units import check_phase_units  # whole racks / servers per phase (None: a continuous share)
        object.__setattr__(self, "phase_units", check_phase_units(self.phase_units, self.phases, self.n_accelerators))
        if not isinstance(self.costs, Mapping):
            raise InputError(f"must be a mapping of data/costs.csv key to value, got {_short(self.costs)}",
                             field="costs")
        if (isinstance(self.live_fleet_frac, (bool, np.bool_))
                or not isinstance(self.live_fleet_frac, (int, float, np.integer, np.floating))
                or not 0.0 <= float(self.live_fleet_frac) <= 1.0):
            raise InputError(f"must be a fraction in [0, 1] (the share of the fleet capacity already in "
                             f"service powers), got {self.live_fleet_frac!r}", field="live_fleet_frac")
        for name in ("n_accelerators", "it_capacity_kw", "it_energy_kwh", "pv_kw_dc", "battery_kwh"):
            _check(name, getattr(self, name))
        if float(self.it_energy_kwh) > float(self.it_capacity_kw) * HOURS_MAX_PER_YEAR * (1.0 + 1e-12):
            raise InputError(f"{plain_number(self.it_energy_kwh)} kWh in a year is more than "
                             f"it_capacity_kw={plain_number(self.it_capacity_kw)} kW can deliver running flat out "
                             f"all year ({plain_number(float(self.it_capacity_kw) * HOURS_MAX_PER_YEAR)} kWh in "
                             f"{HOURS_MAX_PER_YEAR:,.0f} h); it must be at most capacity x {HOURS_MAX_PER_YEAR:,.0f} "
                             "h (check the units: kWh of one year, kW of IT)", field="it_energy_kwh")
        _check("utilization_frac", self.utilization_frac)
        _check("sewer_billed_frac", self.sewer_billed_frac)
        hsrc = self.sources.get("horizon_years", "") if isinstance(self.sources, Mapping) else ""
        hname = f"{self.horizon_years!r}" + (f" ({hsrc})" if hsrc else "")
        if (isinstance(self.horizon_years, (bool, np.bool_)) or not isinstance(self.horizon_years, (int, np.integer))
                or not 1 <= self.horizon_years <= HORIZON_MAX_YEARS):  # as the site's finance.horizon_years
            why = ("" if isinstance(self.horizon_years, (bool, np.bool_)) or not isinstance(
                self.horizon_years, (int, np.integer)) or self.horizon_years < 1 else
                f": the model buys the facility's electrical and mechanical plant once and does not replace it "
                f"at the end of its {HORIZON_MAX_YEARS}-year economic life (dcplan.tco_assumptions."
                "ECONOMIC_LIFE_YEARS; only IT is bought again, every it_refresh_years)")
            raise InputError(f"must be an integer number of years in 1-{HORIZON_MAX_YEARS}, got {hname}{why}",
                             field="horizon_years")
        from .tco_assumptions import ECONOMIC_LIFE_YEARS  # (imports this module)
        battery_life = int(ECONOMIC_LIFE_YEARS["battery"])
        if float(self.battery_kwh) > 0 and self.horizon_years > battery_life:
            raise InputError(f"{hname} years is longer than the "
                             f"{battery_life}-year economic life of the battery (battery_kwh={float(self.battery_kwh):g}; "
                             "dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS), which the model buys once and does not "
                             f"replace: use a horizon of at most {battery_life} years with a battery",
                             field="horizon_years")
        if self.depreciation not in ("macrs", "straight-line"):
            raise InputError(f"must be 'macrs' or 'straight-line', got {self.depreciation!r}",
                             field="depreciation")
        b = self.bonus_depreciation_frac
        if (isinstance(b, (bool, np.bool_)) or not isinstance(b, (int, float, np.integer, np.floating))
                or not 0.0 <= float(b) <= 1.0):
            raise InputError(f"must be a share of the MACRS basis in [0, 1] taken as bonus depreciation in the year "
                             f"placed in service (0 = none, 1 = 100 %, IRC §168(k)), got {_short(b)}",
                             field="bonus_depreciation_frac")
        if float(b) > 0 and self.depreciation != "macrs":
            raise InputError(f"{float(b):g} needs depreciation='macrs' (bonus depreciation is a tax deduction of "
                             f"MACRS property), got depreciation={self.depreciation!r}: set it to 0 or use MACRS",
                             field="bonus_depreciation_frac")
        self._set_tax_schedule()
        table = load_costs()
        for k, v in self.costs.items():
            if k not in table.index:
                raise InputError(f"unknown cost input {k!r}{did_you_mean(k, list(table.index))}; "
                                 f"keys are those of data/costs.csv", field=f"costs.{k}")
            if np.ndim(v) != 0:
                raise InputError(f"must be a single number, got {_short(v)}", field=k)
            _check(k, v)
        from .tco_range_source import check_case_ranges  # the site file's checks of finance.ranges, on the case
        check_case_ranges(self)
        p = self.params()
        from .tco_ramp import first_purchase_month  # the ramp's rule (it imports this module)
        first = first_purchase_month(self)
        if first >= 12 * self.horizon_years:
            raise InputError(self._horizon_message(p, first), field="horizon_years")
        _check_sources(self.sources)  # after the inputs: a typo'd cost key is reported as such
        _check_sources(self.source_notes, "source_notes", self.costs)

    def _set_tax_schedule(self) -> None:
        """Check ``tax_rate_schedule`` (:func:`dcplan.tco_tax_schedule.schedule_problem`), store it as
        ``((year, rate), ...)`` and put its anchor (last rate) in ``costs`` when ``costs`` does not give
        ``tax_rate_frac``."""
        from .tco_tax_schedule import anchor_rate, as_schedule, schedule_problem, start_month_problem
        why = start_month_problem(self.tax_year_start_month)
        if why:
            raise InputError(why, field="tax_year_start_month")
        if self.tax_year_start_month is not None:
            object.__setattr__(self, "tax_year_start_month", int(self.tax_year_start_month))
        v = self.tax_rate_schedule
        if v is None:
            return
        why = schedule_problem(v)
        if why:
            raise InputError(why, field="tax_rate_schedule")
        sched = as_schedule(v)
        if self.fleet_start is None:
            raise InputError("a tax-rate schedule by calendar year needs a dated case (fleet_start: the calendar "
                             "of the model months); give fleet_start, or one tax_rate_frac for every year",
                             field="tax_rate_schedule")
        object.__setattr__(self, "tax_rate_schedule", sched)
        if not isinstance(self.costs, Mapping):
            return
        given = self.costs.get("tax_rate_frac")
        if given is None:
            object.__setattr__(self, "costs", {**self.costs, "tax_rate_frac": anchor_rate(sched)})
        elif isinstance(given, (bool, np.bool_)) or not isinstance(given, (int, float, np.integer, np.floating)) \
                or float(given) != anchor_rate(sched):
            raise InputError(f"is {_short(given)}, but tax_rate_schedule gives the rate by calendar year (its last "
                             f"rate, {anchor_rate(sched):g}, is tax_rate_frac): give one or the other (with_costs("
                             "tax_rate_frac=...) replaces the schedule by one rate)", field="costs.tax_rate_frac")

    def params(self) -> dict[str, float]:
        """All numeric inputs of the model: costs.csv defaults, overrides, utilization."""
        p = load_costs(cooling_type=self.cooling_type)["value"].astype(float).to_dict()
        p.update({k: float(v) for k, v in self.costs.items()})
        p["utilization_frac"] = float(self.utilization_frac)
        return p

    def _horizon_message(self, p, first: float) -> str:
        """Why the horizon ends before the fleet's first GPUs are bought (month ``first``), and the fix."""
        from .tco_assumptions import split_source_status  # (imports this module)
        from .tco_grid_dates import delay_whole_months    # the month rule (imports this module)
        b, d = whole_months(p["build_months"]), float(delay_whole_months(self, p["delay_months"]))
        src = self.sources.get("delay_months")
        src = split_source_status(src)[0] if src else src
        dtext = f"delay_months {d:g}{f' from {src}' if src else ''}"
        extra = first - b
        if extra == d and d > 0:
            parts = f"build_months {b:g} + {dtext}"
        elif extra == 0:
            parts = f"build_months {b:g}" + ("; capacity in service powers part of the fleet from the end of the "
                                             "build" if self.live_fleet_frac > 0 else "")
        else:
            parts = (f"build_months {b:g} + {extra:g} months: the first tranche's planned offset and the part of "
                     f"{dtext} the plan's slack does not absorb")
        hsrc = self.sources.get("horizon_years", "")
        fix = (f"lengthen {hsrc.removeprefix('site.')} in the site file" if hsrc.startswith("site.")
               else "lengthen the horizon")
        return (f"horizon_years={self.horizon_years}{f' ({hsrc})' if hsrc else ''} ends before operations start "
                f"at month {first:g} ({parts}, in whole months): the fleet's first GPUs would be bought then; {fix}")

    def with_costs(self, **overrides) -> "TcoInputs":
        """Copy with more cost overrides (``utilization_frac`` allowed too), every other field kept
        (:func:`dataclasses.replace`): a field-by-field copy dropped the case's own ``ranges`` (a site's
        ``finance.ranges``) from a tornado end or Monte Carlo draw of ``build_months``
        (:func:`dcplan.tco_revalue.overrun_inputs`)."""
        # an input set here is the caller's, whatever the site said before
        src = {k: v for k, v in self.sources.items() if k not in overrides}
        notes = {k: v for k, v in self.source_notes.items() if k not in overrides}  # the site's word on its value
        c = dict(self.costs)
        util = overrides.pop("utilization_frac", self.utilization_frac)
        c.update(overrides)
        # a rate set here is one rate for every year: it replaces a schedule (dcplan.tco_tax_schedule)
        sched = None if "tax_rate_frac" in overrides else self.tax_rate_schedule
        return replace(self, utilization_frac=util, costs=c, sources=src, source_notes=notes, tax_rate_schedule=sched)


def pv_ages_billed(inputs: "TcoInputs") -> int:
    """How many years of PV age a run bills: from the PV placed in service (``build_months``,
    whole months) to the horizon's last month, ``(12 H - 1 - build) // 12 + 1``."""
    return (12 * inputs.horizon_years - 1 - int(whole_months(inputs.params()["build_months"]))) // 12 + 1


def _short(v) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."
