"""Building the TCO model's inputs: from a site spec, and the named scenarios.

:func:`inputs_from_site` makes :class:`TcoInputs` from a :class:`dcplan.site.Site` and the
power results, with the ``sources`` of each input for the Assumptions table;
:func:`fleet_phases` turns the site's dated fleet into the deployment ramp;
:data:`SCENARIOS` are the notebook's named cost overrides; :func:`price_note` says when the
IT prices are not the fleet's own (it and the rule for such H100 stand-ins, :func:`stand_in_prices`, are in
:mod:`dcplan.tco_stand_in`, re-exported here), :func:`revenue_note` when the price per GPU-hour sold is not (it and
the fleet's own sourced price, :func:`fleet_revenue_price`, are in :mod:`dcplan.tco_revenue`, re-exported here).

The input types and their checks are in :mod:`dcplan.tco_input_types`, the Assumptions
table and the asset-class lives in :mod:`dcplan.tco_assumptions`, the site plant's water use and
:func:`month_shares` in :mod:`dcplan.tco_site_plant`; this module re-exports them, and :mod:`dcplan.tco`
re-exports most names here. A site's whole deterministic TCO, as the tco notebook runs it:
:func:`dcplan.tco_site.site_tco`.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ._ts import did_you_mean
from .errors import InputError
from .tco_assumptions import ASSET_CLASSES, ASSUMPTION_COLUMNS, ECONOMIC_LIFE_YEARS, assumptions_table, tag_source
from .tco_input_types import (ElectricityByPvAge, TcoInputs, calendar_months, electricity_by_pv_age_usd,
                              electricity_monthly_usd, load_costs, month_on_or_after,
                              pv_ages_billed, tranches, whole_months)
from .tco_ramp import first_purchase_month, operations_start_month
from .tco_revenue import (REVENUE_PRICED_ACCELERATORS, REVENUE_PRICES_USD_PER_GPU_H,  # noqa: F401
                          REVENUE_ROW_ACCELERATOR, _SCENARIO_PRICE_SOURCES, fleet_revenue_price,
                          revenue_caveat, revenue_note)
from .tco_site_plant import (month_shares, needs_site_year, quiet_site_year, site_plant_wue, site_sewer_billed,
                              site_sewer_month_frac)
from .tco_stand_in import (GB200_NVL72_RACK_USD, IT_PRICE_KEYS, PRICED_ACCELERATORS,  # noqa: F401
                           STAND_IN_PRICES, _stand_in_sources, _unpriced, price_note, stand_in_price_words,
                           stand_in_prices)
# not in __all__, imported from here by dcplan.specs.finance and dcplan.tco_uncertainty
from .tco_input_types import _MONTH_KEYS, _check, _numbers, cost_keys, default_cost  # noqa: F401

__all__ = ["TcoInputs", "load_costs", "electricity_monthly_usd", "ElectricityByPvAge",
           "electricity_by_pv_age_usd", "pv_ages_billed", "SCENARIOS", "scenario",
           "fleet_phases", "fleet_phase_mix", "grid_phases", "grid_capacity",
           "inputs_from_site", "price_note", "PRICED_ACCELERATORS", "STAND_IN_PRICES", "IT_PRICE_KEYS",
           "stand_in_prices", "stand_in_price_words",
           "revenue_note", "revenue_caveat", "fleet_revenue_price", "REVENUE_PRICES_USD_PER_GPU_H",
           "REVENUE_ROW_ACCELERATOR", "REVENUE_PRICED_ACCELERATORS", "ASSET_CLASSES",
           "ECONOMIC_LIFE_YEARS", "assumptions_table", "ASSUMPTION_COLUMNS", "whole_months",
           "operations_start_month", "first_purchase_month", "tranches", "calendar_months",
           "month_on_or_after", "month_shares", "scenario_source", "scenario_sources", "scenario_range_text",
           "SCENARIO_PROVENANCE",
           "BOUND_PROVENANCE"]

#: Named scenarios for the notebook: cost overrides and which grid-delay quantile to use.
#:
#: ===================  ===================================================================
#: name                 meaning (source)
#: ===================  ===================================================================
#: ``base``             costs.csv defaults, planned energization (no grid delay)
#: ``high-escalation``  electricity +6 %/yr sustained, data/costs.csv's high (the EIA US average
#:                      industrial price's fastest multi-year rise, 2002-2008)
#: ``grid-delay-p50``   median energization delay from ``dcplan.grid``
#: ``grid-delay-p90``   P90 energization delay from ``dcplan.grid``
#: ``low-price``        1.99 USD/GPU-h (RunPod H100, Mar 2026, unverified; data/costs.csv's low)
#:                      and -10 %/yr (estimate: no source)
#: ===================  ===================================================================
#:
#: The scenarios are the same for every site, deliberately: a named stress applied across a portfolio (the index's
#: NPV table lists each site's scenario, so ``low-price`` must be one price at every site), whose values carry
#: their ``data/costs.csv`` (or dcplan's) provenance, which the H100 stand-in rule
#: (:func:`dcplan.tco_stand_in.stand_in_prices`) and :func:`dcplan.tco_revenue.revenue_note` read. A site's own
#: range of such a key (``finance.ranges``) is not taken; its labels say so (:func:`scenario_range_text`), and the
#: site's range still sets the base case's tornado and Monte Carlo.
#:
#: Provenance of each value (the Assumptions table shows it: :func:`scenario_source`): a value
#: equal to its ``data/costs.csv`` row's low or high is that figure (:data:`BOUND_PROVENANCE` where
#: the bound's source, vintage and status are not the row's); any other is dcplan's scenario
#: assumption, status ``estimate``, explained in :data:`SCENARIO_PROVENANCE`.
SCENARIOS = {
    "base": {"costs": {}, "delay_quantile": None},
    "high-escalation": {"costs": {"electricity_escalation_frac": 0.06}, "delay_quantile": None},
    "grid-delay-p50": {"costs": {}, "delay_quantile": 0.5},
    "grid-delay-p90": {"costs": {}, "delay_quantile": 0.9},
    "low-price": {"costs": {"revenue_usd_per_gpu_h": 1.99, "revenue_escalation_frac": -0.10},
                  "delay_quantile": None},
}
#: (scenario, key) -> (why, vintage) of a :data:`SCENARIOS` value that is not a ``data/costs.csv``
#: figure: dcplan's own assumption (status ``estimate``).
SCENARIO_PROVENANCE = {
    ("low-price", "revenue_escalation_frac"): (
        "-10 %/yr, no source: a fall inside data/costs.csv's range (-0.15 to 0; cloud H100 prices fell up to "
        "~45 % in 2025, usage.ai / costnimbus, secondary)", "2025"),
}
#: (key, "low" or "high") -> (source, vintage, status) of a ``data/costs.csv`` bound whose own
#: provenance is not its row's (the row's source, vintage and status are the value's): from the
#: row's source and description text.
BOUND_PROVENANCE = {
    ("revenue_usd_per_gpu_h", "low"): ("RunPod H100 1.99 USD/GPU-h via costnimbus.com (unverified)", "2026-03",
                                       "unverified"),
    ("revenue_usd_per_gpu_h", "high"): ("Azure H100 6.98 USD/GPU-h after the 2025 cuts via costnimbus.com "
                                        "(unverified)", "2026-03", "unverified"),
}


def scenario(name: str) -> dict:
    """The :data:`SCENARIOS` entry ``name`` (``costs`` overrides, ``delay_quantile``)."""
    if name not in SCENARIOS:
        raise InputError(f"unknown scenario {name!r}{did_you_mean(name, list(SCENARIOS))}; "
                         f"allowed: {', '.join(SCENARIOS)}", field="scenario")
    return {"costs": dict(SCENARIOS[name]["costs"]), "delay_quantile": SCENARIOS[name]["delay_quantile"]}


def _scenario_value_words(name: str, key: str) -> str:
    """What scenario ``name``'s value of ``key`` is: ``"data/costs.csv's low"`` (or high) or ``"dcplan's scenario
    assumption"``."""
    v, r = float(scenario(name)["costs"][key]), load_costs().loc[key]
    for bound in ("low", "high"):
        if v == float(r[bound]):
            return f"data/costs.csv's {bound}"
    return "dcplan's scenario assumption"


def scenario_range_text(name: str, ranges) -> str:
    """What scenario ``name`` leaves of the case's own ranges (``ranges``: ``TcoInputs.ranges``, a site's
    ``finance.ranges``), ``""`` when it sets no key of them: the scenarios are the same for every site
    (:data:`SCENARIOS`), so its value is not the site's range's end.

    >>> scenario_range_text("low-price", {"revenue_usd_per_gpu_h": (5.0, 7.0, "offtake")}).split(": ")
    ["scenario low-price's revenue_usd_per_gpu_h 1.99 is data/costs.csv's low, the same for every site", "not the \
site's own range 5-7 (site.finance.ranges.revenue_usd_per_gpu_h), below it"]
    >>> scenario_range_text("base", {"revenue_usd_per_gpu_h": (5.0, 7.0, "offtake")})
    ''
    """
    parts = []
    for k, v in scenario(name)["costs"].items():
        if k not in (ranges or {}):
            continue
        r = ranges[k]  # (low, high, source), or a site's RangeSpec
        lo, hi = (float(r.low), float(r.high)) if hasattr(r, "low") else (float(r[0]), float(r[1]))
        where = "below it" if v < lo else "above it" if v > hi else "inside it"
        parts.append(f"{k} {v:g} is {_scenario_value_words(name, k)}, the same for every site: not the site's own "
                     f"range {lo:g}-{hi:g} (site.finance.ranges.{k}), {where}")
    return f"scenario {name}'s " + "; ".join(parts) if parts else ""


def scenario_source(name: str, key: str, ranges=None) -> str:
    """Source text of scenario ``name``'s value of ``key`` for ``TcoInputs.sources``, with the vintage
    and status the Assumptions table shows (:func:`dcplan.tco_assumptions.split_source_status`).

    A value equal to the ``data/costs.csv`` row's low or high is that figure: "scenario X: data/costs.csv
    row K's low (source)" with its vintage and status (the row's, or :data:`BOUND_PROVENANCE`); any other
    value is dcplan's scenario assumption, status ``estimate`` (:data:`SCENARIO_PROVENANCE`). With the case's own
    range of ``key`` in ``ranges`` (a site's ``finance.ranges``), it says the scenario does not take it
    (:func:`scenario_range_text`).

    >>> scenario_source("low-price", "revenue_escalation_frac")[:60]
    "scenario low-price: dcplan's scenario assumption (dcplan.tco"
    """
    costs = scenario(name)["costs"]
    if key not in costs:
        raise InputError(f"scenario {name!r} does not set {key!r}; it sets: {', '.join(costs) or 'nothing'}",
                         field="scenario")
    v, r = float(costs[key]), load_costs().loc[key]
    own = {key: ranges[key]} if key in (ranges or {}) else {}
    mine = f"; {scenario_range_text(name, own).removeprefix(f'scenario {name}' + chr(39) + 's ')}" if own else ""
    for bound in ("low", "high"):
        if v == float(r[bound]):
            src, vintage, status = BOUND_PROVENANCE.get((key, bound), (r["source"], str(r["vintage"]), r["status"]))
            return tag_source(f"scenario {name}: data/costs.csv row {key}'s {bound} ({src}){mine}", vintage, status)
    why, vintage = SCENARIO_PROVENANCE.get((name, key), ("no source recorded", ""))
    return tag_source(f"scenario {name}: dcplan's scenario assumption (dcplan.tco_inputs.SCENARIOS): {why}{mine}",
                      vintage or None, "estimate")


def scenario_sources(name: str) -> dict[str, str]:
    """:func:`scenario_source` of every cost scenario ``name`` sets: the ``sources`` of
    :func:`inputs_from_site` for the scenario's ``costs``."""
    return {k: scenario_source(name, k) for k in scenario(name)["costs"]}


#: A source text naming a scenario without its provenance (as the tco notebook wrote it): replaced
#: by :func:`scenario_source` in :func:`inputs_from_site`.
_SCENARIO_TEXT = re.compile(r"scenario (\S+) \(dcplan\.tco(?:_inputs)?\.SCENARIOS\)")


def fleet_phases(fleet, accelerators_per_unit=None) -> tuple:
    """Deployment ramp ``((offset_months, fleet_frac), ...)`` from a ``fleet:`` section.

    Offsets are whole calendar months from the earliest phase start, each start counted from
    the first whole month on or after it (:func:`month_on_or_after`, as the TCO's ``fleet_start``,
    :func:`grid_phases` and :func:`dcplan.grid.gpu_plan` count dates): a fleet from 2026-07-16
    (August) with a phase on 2027-01-01 (January) puts it 5 months in. Fractions are each phase's
    share of the accelerators. ``accelerators_per_unit`` maps hardware key to accelerators per
    catalog unit (default: ``dcplan.power.hardware``).
    """
    if accelerators_per_unit is None:
        from .power import hardware
        accelerators_per_unit = {p.hardware: hardware(p.hardware).accelerators_per_unit
                                 for p in fleet.phases}
    first = _month_on_or_after(min(p.start for p in fleet.phases))
    rows = sorted((float(_month_on_or_after(p.start) - first), p.count * accelerators_per_unit[p.hardware])
                  for p in fleet.phases)
    total = sum(c for _, c in rows)
    if total <= 0:
        raise InputError("the fleet has no accelerators", field="fleet.phases")
    merged: dict[float, float] = {}
    for off, c in rows:
        if c > 0:
            merged[off] = merged.get(off, 0.0) + c / total
    return tuple(merged.items())


def fleet_phase_mix(site) -> tuple | None:
    """``TcoInputs.phase_mix`` of a site's fleet, aligned with :func:`fleet_phases` ``(site.fleet)``: per
    tranche, its GPUs' ``(facility kW at design, IT energy a year, tokens per second)`` per GPU; None for a
    fleet of one hardware type (every GPU is the fleet's average: the model as for one GPU type).

    By hardware type: the kW is its units' design IT power (:func:`dcplan.power.fleet_design_it_kw`) per
    GPU, times the site's worst-hour facility/IT ratio, which is the same for every type and cancels in
    the shares (the TCO's ``grid_phases`` are shares of the whole fleet's facility power at design);
    the IT energy is its units' share of the full build-out year's hourly IT power as
    :func:`dcplan.pipeline.run_site_year` models it (:func:`dcplan.power.fleet_it_kw` by hardware type on
    the site's weather clock, every phase deployed, seed 0), per GPU (a ``data`` workload's measured site
    total cannot be split: its design kW stands in); tokens per second its
    :func:`dcplan.power.example_throughput` (GB200 parts the GB200 figure, others the H100 one), the
    figures the fleet's average is built from. Phases starting the same month are one tranche: their
    GPUs' mean. [kW, kWh, tokens/s per GPU]
    """
    from .power import fleet_design_it_kw, fleet_it_kw, fleet_table, hardware
    from .power_tokens import example_throughput
    fleet = site.fleet
    t = fleet_table(site)
    gpus: dict[str, float] = {}
    for key, n in zip(t["hardware"], t["accelerators"]):
        if n > 0:
            gpus[key] = gpus.get(key, 0.0) + float(n)
    if len(gpus) < 2:
        return None
    per_gpu = {}
    for key, n in gpus.items():
        sub = fleet.model_copy(update={"phases": tuple(p for p in fleet.phases if p.hardware == key)})
        per_gpu[key] = [fleet_design_it_kw(site.model_copy(update={"fleet": sub})) / n, None,
                        example_throughput(sub)[0]]
    if fleet.workload == "data":  # a measured site total: no split by hardware
        for v in per_gpu.values():
            v[1] = v[0]
    else:
        from .pipeline import site_weather
        by_hw = fleet.model_copy(update={"phases": tuple(p.model_copy(update={"label": p.hardware})
                                                         for p in fleet.phases)})
        hall = fleet_it_kw(site.model_copy(update={"fleet": by_hw}), site_weather(site).index, level="hall",
                           deployed="all")
        for key, v in per_gpu.items():
            v[1] = float(hall[key].sum()) / gpus[key]
    first = _month_on_or_after(min(p.start for p in fleet.phases))
    by_off: dict[float, list] = {}
    for p in fleet.phases:
        n = p.count * hardware(p.hardware).accelerators_per_unit
        if n > 0:
            by_off.setdefault(float(_month_on_or_after(p.start) - first), []).append((n, per_gpu[p.hardware]))
    return tuple(tuple(sum(n * v[c] for n, v in rows) / sum(n for n, _ in rows) for c in range(3))
                 for _, rows in sorted(by_off.items()))


def _month_on_or_after(d) -> int:
    """Month number (``pandas.Period.ordinal``) of :func:`month_on_or_after` ``d``: differences are months."""
    return int(month_on_or_after(d).ordinal)


def _design_kw(facility_design_kw) -> float:
    f = float(facility_design_kw)
    if not math.isfinite(f) or f <= 0:
        raise InputError(f"must be a facility power > 0 kW, got {facility_design_kw!r}", field="facility_design_kw")
    return f


def grid_phases(interconnection, fleet, facility_design_kw: float) -> tuple | None:
    """The interconnection phases as the TCO's ``grid_phases``: ``((offset_months, fleet_frac), ...)``,
    or None when the site has no ``interconnection:`` section. A request without ``phases`` is one
    phase of ``requested_mw`` planned at the filing date, as :mod:`dcplan.grid` reads it (the
    interconnection notebook caps the fleet by it too).

    ``offset_months`` is the phase's ``energized`` date after the fleet's earliest phase start (the
    TCO's end of the build) in whole calendar months, each date counting from the first month that
    starts on or after it, as :func:`dcplan.grid.capacity_timeline` counts capacity and
    :func:`dcplan.grid.gpu_plan` the fleet (capacity energized 2028-07-16 powers GPUs from August
    2028; negative: energized before the fleet starts); ``fleet_frac = 1000 * mw / facility_design_kw``,
    the share of the whole fleet the phase's capacity powers at design (as
    :func:`dcplan.grid.deployment_ramp` divides capacity by facility power per GPU). Phases in service
    (``in_service: true``, dates that are facts) that count from after the fleet's first start are
    ``(offset_months, fleet_frac, True)``: the grid delay does not move them. Those counting from
    the fleet's first start or before are left out: they are the TCO's ``live_fleet_frac``
    (:func:`grid_capacity` gives both).

    Parameters
    ----------
    interconnection : dcplan.site.InterconnectionSpec or None
        The site's ``interconnection:`` section.
    fleet : FleetSpec
        The site's ``fleet:`` section (its phases' ``start`` dates).
    facility_design_kw : float
        Facility power of the whole fleet at design IT in the worst hour (IT plus cooling). [kW]

    Returns
    -------
    tuple or None
        ``()`` when every phase is in service from the fleet's first start.
    """
    if interconnection is None:
        return None
    from .grid import _phases   # a request without phases: requested_mw planned at the filing date
    f = _design_kw(facility_design_kw)
    first = _month_on_or_after(min(p.start for p in fleet.phases))
    out = []
    for planned, mw, _firm, _label, in_service in _phases(interconnection):
        off = float(_month_on_or_after(planned) - first)
        if not in_service:
            out.append((off, 1000.0 * float(mw) / f))
        elif off > 0:  # in service at a date after the fleet starts: from that date, never moved
            out.append((off, 1000.0 * float(mw) / f, True))
    return tuple(out)


def grid_capacity(interconnection, fleet, facility_design_kw: float) -> tuple[float, tuple | None]:
    """``(live_fleet_frac, grid_phases)`` of a site for :func:`inputs_from_site`.

    ``live_fleet_frac``: the share of the fleet that phases in service counting from the fleet's
    first start or before power, ``min(1, 1000 * their MW / facility_design_kw)`` (as
    :func:`dcplan.grid.live_fleet_frac`, which counts every phase in service whatever its date);
    ``grid_phases``: :func:`grid_phases`, with the phases in service dated after the fleet's start
    counted from their dates. 0 and None for a site without an ``interconnection:`` section.
    """
    g = grid_phases(interconnection, fleet, facility_design_kw)
    if g is None:
        return 0.0, None
    first = _month_on_or_after(min(p.start for p in fleet.phases))
    mw = sum(float(p.mw) for p in (interconnection.phases or ()) if p.in_service
             and _month_on_or_after(p.energized) <= first)
    return min(1.0, 1000.0 * mw / _design_kw(facility_design_kw)), g


def inputs_from_site(site, *, n_accelerators: int, it_capacity_kw: float, it_energy_kwh: float,
                     delay_months: float | None = None, battery_kwh: float | None = None, phases=None,
                     live_fleet_frac: float | None = None, grid_phases=None, sources=None,
                     it_energy_month_frac=None, water_month_frac=None, electricity_price_date=None,
                     site_year=None, **costs) -> TcoInputs:
    """Build :class:`TcoInputs` from a :class:`dcplan.site.Site` and the power results.

    Uses ``site.finance`` (discount rate, horizon, inflation, electricity escalation, bonus
    depreciation and its optional fields; ``finance.ranges``, the site's own uncertainty ranges, as
    ``TcoInputs.ranges``), ``site.fleet.utilisation_frac``, ``site.solar.dc_kw`` and, when
    present, ``site.interconnection.battery.energy_mwh``; ``costs`` are further overrides
    of ``data/costs.csv``. ``phases`` default: a single tranche (whole fleet at operations
    start); pass ``fleet_phases(site.fleet)`` for the fleet's dated ramp. Throughput
    (``tokens_per_s_per_accelerator``), unless the site's costs or ``costs`` set it, is
    the fleet's :func:`dcplan.power.example_throughput` (GB200 parts their own figure). The price per
    GPU-hour sold (``revenue_usd_per_gpu_h``), unless the site or ``costs`` set it, is the fleet's own
    sourced price when it has one (:func:`fleet_revenue_price`: an H200 fleet's), else the
    ``data/costs.csv`` H100 figure (:func:`revenue_note` says so). ``cooling_type`` is ``site.cooling.type``: a liquid
    site's facility cost default is row ``facility_liquid_usd_per_mw`` (a site's own figure wins).
    The water use ``wue_l_per_kwh``, unless the site or ``costs`` set it, is the site's own plant's
    (:func:`dcplan.tco_site_plant.site_plant_wue`: its modelled water over the IT energy of ``site_year``, the
    site's :func:`dcplan.pipeline.run_site_year`, run here when not given), not ``data/costs.csv``'s generic
    0.3 L/kWh, which only an object that is no :class:`dcplan.site.Site` gets. A year run here serves both the WUE
    and a winter-average sewer rule's make-up by month (:func:`dcplan.tco_site_plant.site_sewer_billed`): one run.

    Electricity escalation comes from ``finance.electricity_escalation_frac`` only: the
    bill passed to :func:`dcplan.tco.run_tco` must be the typical year at the tariff's own prices (do not
    also escalate the tariff itself with ``Tariff.with_escalation``, or the rise is counted twice).
    ``electricity_price_date`` is the date those prices are at (``TcoInputs.electricity_price_month``):
    a date, a :class:`dcplan.tariff.Tariff` or URDB JSON path (its ``startdate``,
    :func:`dcplan.tco_electricity.tariff_price_date`), or None (default): the site's own tariff's
    ``startdate`` (:func:`dcplan.pipeline.site_tariff`; a flat tariff or a file without one, or no
    tariff: no price date, the bill is at the project start's prices).

    ``delay_months`` default: 0 (planned energization); ``live_fleet_frac``: the share of
    the fleet capacity in service from the start powers, which the delay does not move;
    ``grid_phases``: None (no grid capacity check); ``it_energy_month_frac``, ``water_month_frac``:
    None (1/12 of the year each month), or the typical year's shares by calendar month
    (:func:`month_shares` of the site's hourly IT power and plant water). ``phases`` equal to
    :func:`fleet_phases` ``(site.fleet)`` of a fleet of several hardware types get its
    :func:`fleet_phase_mix` (``TcoInputs.phase_mix``: each tranche powered, drawing IT energy and
    serving tokens at its own hardware's figures; the token weights are 1 when the site or caller sets
    ``tokens_per_s_per_accelerator``, a figure for every GPU). Pass both from :func:`grid_capacity` of the
    site for the operating ramp to wait for the interconnection's phases. The result's ``sources`` name the
    site spec field (``site.finance.discount_rate_frac``...) or the argument each input came
    from, for the Assumptions table of :func:`dcplan.tco.run_tco`; the site's ``finance.sources`` text of a value it
    gives, still its own here (not replaced by ``costs`` or ``sources``), is ``TcoInputs.source_notes``, which the
    table adds after the field. ``sources`` (a mapping of input
    name to text) says where caller-given ``costs`` came from, e.g. ``{"wue_l_per_kwh": "the site's
    plant model"}``, instead of ``caller: inputs_from_site(wue_l_per_kwh=...)``.
    """
    src = {k: f"caller: inputs_from_site({k}=...)" for k in ("n_accelerators", "it_capacity_kw", "it_energy_kwh")}
    if battery_kwh is None:
        bat = getattr(getattr(site, "interconnection", None), "battery", None)
        battery_kwh = 1000.0 * bat.energy_mwh if bat is not None else 0.0
        src["battery_kwh"] = ("site.interconnection.battery.energy_mwh x 1000" if bat is not None
                              else "site: no interconnection.battery section (0)")
    else:
        src["battery_kwh"] = "caller: inputs_from_site(battery_kwh=...)"
    f = site.finance
    c = {}
    set_in_file = getattr(f, "model_fields_set", None)
    for k in ("discount_rate_frac", "inflation_frac", "electricity_escalation_frac"):
        v = getattr(f, k)
        if set_in_file is None or k in set_in_file:
            c[k], src[k] = v, f"site.finance.{k}"
        elif k not in cost_keys() or default_cost(k) != float(v):
            c[k], src[k] = v, f"site spec default (dcplan.specs.finance.FinanceSpec.{k}; the site file does not set it)"
        # else: not in the site file and its default is the data/costs.csv row's, which the
        # Assumptions table then credits (with its source and vintage), not the site file
    c["delay_months"] = 0.0 if delay_months is None else float(delay_months)
    src["delay_months"] = ("inputs_from_site default: 0 (planned energization)" if delay_months is None
                           else "caller: inputs_from_site(delay_months=...)")
    tax_schedule = None
    for k in ("tax_rate_frac", "build_months", "it_refresh_years", "revenue_usd_per_gpu_h"):
        v = getattr(f, k, None)
        if k == "tax_rate_frac" and isinstance(v, Mapping):  # by calendar year (dcplan.tco_tax_schedule)
            if "tax_rate_frac" not in costs:  # a caller's rate is one rate for every year: no schedule
                from .tco_tax_schedule import anchor_rate, as_schedule
                tax_schedule = as_schedule(v)
                c[k], src[k] = anchor_rate(tax_schedule), f"site.finance.{k}"
                src["tax_rate_schedule"] = f"site.finance.{k}"
        elif v is not None:
            c[k] = float(v)
            src[k] = f"site.finance.{k}"
    site_costs = dict(getattr(f, "costs", {}) or {})
    from .specs.finance import NOT_SITE_COSTS  # refused when the site loads; a site built otherwise too
    for k in site_costs:
        if k in NOT_SITE_COSTS:
            raise InputError(f"{k}: {NOT_SITE_COSTS[k]}; got {site_costs[k]!r}", field=f"finance.costs.{k}")
    c.update(site_costs)
    src.update({k: f"site.finance.costs.{k}" for k in site_costs})
    c.update(costs)
    src.update({k: f"caller: inputs_from_site({k}=...)" for k in costs})
    # the site's typical year, when the caller gives none and both the plant's WUE and a winter-average sewer
    # rule's months read it: run once here for both (quietly, as each would; their sources say it was run here)
    year, run_here = site_year, False
    if site_year is None and all(needs_site_year(site, c, water_month_frac)):
        year, run_here = quiet_site_year(site), True
    if "wue_l_per_kwh" not in c and (own_wue := site_plant_wue(site, year, run_here=run_here)) is not None:
        c["wue_l_per_kwh"], src["wue_l_per_kwh"] = own_wue  # the site's plant, as the tco notebook
    # all make-up, its blowdown, or a winter average of the typical year's make-up by month
    sewer_frac, src["sewer_billed_frac"] = site_sewer_billed(site, year, water_month_frac, run_here=run_here)
    if (sewer_months := site_sewer_month_frac(site)) is not None:  # a winter average: the same bill every month
        src["sewer_month_frac"] = ("derived: site.finance.sewer_billing: winter_average, billed alike every month "
                                   "(dcplan.tco_site_plant.site_sewer_month_frac)")
    own_price = None if "revenue_usd_per_gpu_h" in c else fleet_revenue_price(site)  # the fleet's sourced price
    if own_price is not None:
        c["revenue_usd_per_gpu_h"], src["revenue_usd_per_gpu_h"] = own_price
    own_rate = "tokens_per_s_per_accelerator" not in c and bool(getattr(site.fleet, "phases", None))
    if own_rate:
        # the fleet's hardware, as the other notebooks (no phases: the costs.csv figure)
        # its source text carries the figure's vintage and status (THROUGHPUT_PROVENANCE), which
        # the Assumptions table shows (dcplan.power_tokens.split_throughput_source)
        from .power_tokens import example_throughput, throughput_provenance
        c["tokens_per_s_per_accelerator"] = example_throughput(site)[0]
        src["tokens_per_s_per_accelerator"] = throughput_provenance(site)[0]
    # the plant's type picks the facility cost default (data/costs.csv; a site's own figure wins)
    cooling = getattr(getattr(site, "cooling", None), "type", None) or "air"
    src["cooling_type"] = "site.cooling.type" if hasattr(site, "cooling") else "site: no cooling section (air)"
    src.update(utilization_frac="site.fleet.utilisation_frac", horizon_years="site.finance.horizon_years",
               pv_kw_dc="site.solar.dc_kw",
               phases=("inputs_from_site default: whole fleet at operations start" if phases is None
                       else "caller: inputs_from_site(phases=...)"),
               live_fleet_frac=("inputs_from_site default: no grid capacity in service (0)" if live_fleet_frac is None
                                else "caller: inputs_from_site(live_fleet_frac=...)"),
               grid_phases=("inputs_from_site default: none (every installed GPU operates)" if grid_phases is None
                            else "caller: inputs_from_site(grid_phases=...)"))
    for k, v in (("it_energy_month_frac", it_energy_month_frac), ("water_month_frac", water_month_frac)):
        src[k] = ("inputs_from_site default: 1/12 of the year each month" if v is None
                  else f"caller: inputs_from_site({k}=...)")
    # bonus depreciation (IRC 168(k)): the site's finance.bonus_depreciation_frac, default 0 (none)
    bonus = float(getattr(f, "bonus_depreciation_frac", 0.0) or 0.0)
    src["bonus_depreciation_frac"] = (
        "site.finance.bonus_depreciation_frac" if hasattr(f, "bonus_depreciation_frac") and (
            set_in_file is None or "bonus_depreciation_frac" in set_in_file)
        else "site spec default (dcplan.specs.finance.FinanceSpec.bonus_depreciation_frac: 0, no bonus depreciation; "
             "the site file does not set it)")
    price_month, src["electricity_price_month"], dated_by = _price_date(site, electricity_price_date)
    starts = [p.start for p in (getattr(site.fleet, "phases", None) or ())]
    fleet_start = min(starts) if starts else None
    src["fleet_start"] = ("site.fleet.phases: the earliest start (the end of the build), from the first whole month "
                          "on or after it" if starts else "site: no fleet.phases (undated: model month 1 is a January)")
    mix = units = None
    if getattr(site.fleet, "phases", None) and (phases is None or tuple(phases) == fleet_phases(site.fleet)):
        from .tco_units import check_phase_units, common_unit, fleet_phase_units  # whole racks / servers
        units = fleet_phase_units(site.fleet)
        units = (common_unit(units),) if phases is None else units
        try:  # a caller's GPU count that is not the fleet's whole units: a continuous share, as before
            check_phase_units(units, ((0.0, 1.0),) if phases is None else tuple(phases), n_accelerators)
        except InputError:
            units = None
    if units is not None:
        src["phase_units"] = ("derived: dcplan.tco_units.fleet_phase_units(site.fleet): each phase's hardware is "
                              "bought and powered in whole units (data/hardware.csv accelerators_per_unit: a rack or "
                              "a server)")
    if phases is not None and getattr(site.fleet, "phases", None) and tuple(phases) == fleet_phases(site.fleet):
        src["phases"] = ("derived: dcplan.tco.fleet_phases(site.fleet), the site's fleet.phases: start dates in whole "
                         "months from the first, each phase's share of the accelerators")
        mix = fleet_phase_mix(site)
        if mix is not None:  # a token rate set by the site or caller is every GPU's
            mix = tuple((kw, e, tok if own_rate else 1.0) for kw, e, tok in mix)
            tokens = (" and example throughput (dcplan.power.example_throughput)" if own_rate else
                      "; tokens per second: the site's or caller's tokens_per_s_per_accelerator for every GPU")
            src["phase_mix"] = ("derived: dcplan.tco_inputs.fleet_phase_mix(site): per GPU of each hardware type, its "
                                "design IT kW (dcplan.power.fleet_design_it_kw), IT energy of the full build-out year "
                                "(dcplan.power.fleet_it_kw by hardware, as dcplan.pipeline.run_site_year)" + tokens)
    if sources is not None and not isinstance(sources, Mapping):
        raise InputError(f"must be a mapping of input name to source text, got {sources!r}", field="sources")
    src.update(sources or {})  # the caller's word on where its inputs came from
    for k, text in list(src.items()):  # "scenario X (dcplan.tco.SCENARIOS)": the value's own provenance
        m = _SCENARIO_TEXT.fullmatch(text)
        if m and m.group(1) in SCENARIOS and SCENARIOS[m.group(1)]["costs"].get(k) == c.get(k, math.nan):
            src[k] = scenario_source(m.group(1), k, getattr(f, "ranges", None))  # says it is not the site's range
    src.update(_stand_in_sources(site, c, src))
    # the site's word on where a value it gives comes from (finance.sources): kept while the value is still its own
    notes = {k: t for k, t in (getattr(f, "sources", None) or {}).items()
             if src.get(k) in (f"site.finance.{k}", f"site.finance.costs.{k}")}
    if getattr(f, "tax_year_start_month", None) is not None:
        src["tax_year_start_month"] = "site.finance.tax_year_start_month"
    gdates = None
    if grid_phases is not None:  # the pending phases' dates: a delayed phase powers from dcplan.grid's month
        from .tco_grid_dates import grid_dates as _grid_dates
        gdates = _grid_dates(getattr(site, "interconnection", None), site.fleet)
        if gdates is not None:
            src["grid_dates"] = ("derived: site interconnection.filed and phases' energized dates (dcplan.tco_grid_dates."
                                 "grid_dates): a delayed phase powers GPUs from the first month on or after its delayed "
                                 "date, as dcplan.grid.capacity_timeline")
    inputs = TcoInputs(n_accelerators=int(n_accelerators), it_capacity_kw=float(it_capacity_kw),
                       it_energy_kwh=float(it_energy_kwh), utilization_frac=site.fleet.utilisation_frac,
                       horizon_years=f.horizon_years, pv_kw_dc=site.solar.dc_kw,
                       battery_kwh=float(battery_kwh), costs=c,
                       phases=((0.0, 1.0),) if phases is None else tuple(phases), sources=src,
                       live_fleet_frac=0.0 if live_fleet_frac is None else live_fleet_frac,
                       grid_phases=grid_phases, fleet_start=fleet_start,
                       it_energy_month_frac=it_energy_month_frac, water_month_frac=water_month_frac,
                       electricity_price_month=price_month, bonus_depreciation_frac=bonus, phase_mix=mix,
                       grid_dates=gdates, phase_units=units, cooling_type=cooling,
                       ranges=dict(getattr(f, "ranges", None) or {}),  # the site's own (finance.ranges)
                       source_notes=notes, tax_rate_schedule=tax_schedule,
                       tax_year_start_month=getattr(f, "tax_year_start_month", None), sewer_billed_frac=sewer_frac,
                       sewer_month_frac=sewer_months)
    # prices dated years before the project start: the bill rests on the assumed escalation (a caveat)
    from .tco_electricity import stale_price_date_message
    stale = stale_price_date_message(inputs, *dated_by) if dated_by is not None else None
    # build_months never moves operations: a long one starts construction before filing; one below the band
    from .tco_build_checks import build_months_warnings
    bsrc = src.get("build_months", "data/costs.csv default build_months")
    msgs = ([stale] if stale else []) + build_months_warnings(site, inputs.params()["build_months"],
                                                               bsrc.removeprefix("site."))
    from .tco_it_life import it_refresh_warnings  # a cycle above the band: the same GPUs run on, valued at most 6 yr
    msgs += it_refresh_warnings(inputs.params()["it_refresh_years"], src.get(
        "it_refresh_years", "data/costs.csv default it_refresh_years").removeprefix("site."),
        str(getattr(site, "source_file", None) or getattr(site, "name", "site")))
    from .tco_tax_schedule import start_before_schedule_message  # months a tax schedule gives no rate for
    early = start_before_schedule_message(inputs, str(getattr(site, "source_file", None) or getattr(site, "name", "")))
    msgs += [early] if early else []
    if msgs:
        import warnings

        from .errors import DcplanWarning
        for m in msgs:
            warnings.warn(m, DcplanWarning, stacklevel=2)
    return inputs


def _price_date(site, given) -> tuple:
    """``(price date or None, source text, (what, date) or None)`` of the bill's prices for
    :func:`inputs_from_site`: ``given`` (a date, a Tariff or a URDB path), else the site tariff's
    ``startdate``; ``what`` names where the date comes from (for the stale-prices warning)."""
    from .tco_electricity import tariff_label, tariff_price_date
    if given is None:
        if getattr(site, "tariff", None) is None:
            return None, "site: no tariff: section (no price date: the bill is at the project start's prices)", None
        from .pipeline import site_tariff
        tariff = site_tariff(site)
        d, text = tariff_price_date(tariff)
        text, what = f"site tariff: {text}", f"the site's {tariff_label(tariff)}"
    elif hasattr(given, "metadata") or str(given).lower().endswith(".json"):
        d, text = tariff_price_date(given)
        text, what = f"caller: inputs_from_site(electricity_price_date=...): {text}", tariff_label(given)
    else:
        return given, "caller: inputs_from_site(electricity_price_date=...)", (
            "the caller's price date (inputs_from_site(electricity_price_date=...))", given)
    # a date the tariff file says is assumed (dcplan_startdate_note "assumed: ...") is an estimate
    return (d, (tag_source(text, None, "estimate") if d is not None and "(assumed" in text else text),
            None if d is None else (what, d))
