"""Plausibility of a loaded site: figures each valid alone that do not fit together.

The site loader (:mod:`dcplan.site`) checks each section on its own; these checks set one
section against another, with dcplan's own models. ``dcplan validate`` runs them on every
site and portfolio it loads (:mod:`dcplan.validate`):

==============================  ==========  =================================================
check                           kind        what
==============================  ==========  =================================================
:func:`request_warnings`        warning     ``interconnection.requested_mw`` below the fleet's
                                            design IT power (:func:`dcplan.power.fleet_design_it_kw`):
                                            the facility draws at least its IT power, so the
                                            request cannot power the whole fleet. A warning, not
                                            an error: a campus may request the rest in a later
                                            stage, beyond the planning horizon. Or above
                                            :data:`REQUEST_ABOVE_DESIGN_RATIO` x the nameplate IT (kW as MW?)
:func:`contract_warnings`       warning     the contracted capacity (:func:`dcplan.grid.contracted_mw`)
                                            at or above the design IT but below the design facility
                                            power (full design IT through the plant in the typical
                                            year's worst hour, :mod:`dcplan.design_hours`; the
                                            interconnection notebook's ``facility_design_kw``), with the
                                            GPUs it never powers (its ``gpus_never_powered``)
:func:`phase_start_warnings`    warning     a ``fleet.phases[i].start`` before
                                            ``interconnection.filed`` with no interconnection
                                            phase ``in_service``: the grid figures count from the
                                            filing date, so the unpowered time before it is lost
:func:`equipment_order_warnings` warning   ``interconnection.equipment_ordered`` more than
                                            :data:`EQUIPMENT_ORDERED_LATE_MONTHS` after ``filed``
                                            (a mistyped year?), with the median time to power it gives
:func:`accelerator_cap_warnings` warning   ``fleet.cap_w_per_accelerator`` at or above an accelerator's
                                            TDP (data/hardware.csv ``accelerator_tdp_w``): it never
                                            binds (1000 x a cap that would: mW typed as W?)
:func:`unit_cap_warnings`       warning     ``fleet.cap_kw_per_unit`` at or above a unit's full-load
                                            power (:func:`dcplan.power_fleet.fleet_unit_cap_notes`):
                                            it never binds
:func:`air_plant_warnings`      warning     ``cooling.type: air`` with keys only a liquid loop reads
                                            (``liquid_class``, ``trim_chiller``, ``liquid_heat_frac``)
                                            given in the file: ignored
:func:`air_server_on_liquid_warnings` warning ``cooling.type: liquid`` on a phase of units
                                            data/hardware.csv lists as air-cooled (the HGX
                                            servers): run as direct-liquid-cooled versions
                                            of them, at the air-cooled server's power; says
                                            whether the file or the default chose the plant
                                            (:mod:`dcplan.cooling_default`)
:func:`fleet_phase_warnings`    warning     a fleet phase of 0 units; one label on phases of other hardware;
                                            two interconnection phases of one label
:func:`phase_after_horizon_warnings` warning a fleet phase starting after the TCO's horizon (its IT never bought)
:mod:`dcplan.rack_density`      warning     an air-cooled compute rack above 40.8 kW (4 x DGX H100, the densest air
                                            layout of docs/reference-data.md s.2; ``rack_layout_warnings``) and below
                                            60 kW (at or above: refused, ``air_rack_errors``)
:mod:`dcplan.site_vintage`      warning     a fleet phase starting before its accelerator's data/hardware.csv vintage year
:mod:`dcplan.site_fleet_late`   warning     a fleet starting more than 24 months after its new capacity is energized
:mod:`dcplan.plan_dates`        warning     a fleet start, a pending grid phase's date or the TCO's project start before today
:mod:`dcplan.site_climate_checks` warning  a tower loop in a freezing climate a dry cooler would serve (``tower_freeze_warnings``)
:mod:`dcplan.site_tariff_utility` warning  the tariff JSON's ``utility`` not ``interconnection.utility``
:mod:`dcplan.tariff_lint`       warning     a flat tariff of 0 $/kWh (``flat_no_energy_warnings``)
:mod:`dcplan.site_battery_target` warning ``battery.target: demand`` on a tariff billing demand in some hours only
:mod:`dcplan.site_slips`        warning     a figure whose size reads as another unit: a
                                            ``finance.costs`` override far outside its
                                            data/costs.csv range, a contract demand far from the
                                            request, a time to power in years, grid carbon in t/MWh,
                                            PV in MW; a leap weather year (``slip_warnings``)
:func:`design_peak_warnings`    warning     ``fleet.diversity_frac`` below 1 puts the design IT
                                            (:func:`dcplan.power.fleet_design_it_kw`: full load,
                                            caps applied, x diversity_frac) below the fleet's own
                                            1 s peak IT in the rack_power notebook's window (2 h
                                            from the full build-out weather year's peak hour, the
                                            model's, seed 0; about 10 ms once compiled): the plant
                                            and the loss chain sized on it run beyond their rating;
                                            gives the hourly peak's bound beside it
                                            (:mod:`dcplan.site_design_peak`)
:func:`diversity_problem`       error       ``fleet.diversity_frac`` so low that the design IT,
                                            which rates the transformer/UPS/PDU chain, is below the
                                            fleet's peak IT / :func:`max_it_per_design_frac`: the
                                            chain would run beyond
                                            :data:`dcplan.power.MAX_LOAD_FRAC` and every run of the
                                            site fails (also raised by :func:`dcplan.pipeline.run_site_year`)
==============================  ==========  =================================================

Warnings are :class:`~dcplan.errors.DcplanWarning` texts ``file: field: message``
(:func:`warn_site` issues them), as the site's time-zone warnings
(:func:`dcplan.site.station_offset_warning`).
"""
from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import pandas as pd

from .errors import DcplanWarning, InputError
from .site import LIQUID_LOOP_KEYS

__all__ = ["request_warnings", "REQUEST_ABOVE_DESIGN_RATIO", "contract_warnings", "phase_start_warnings",
           "equipment_order_warnings", "EQUIPMENT_ORDERED_LATE_MONTHS", "accelerator_cap_warnings",
           "fleet_phase_warnings", "phase_after_horizon_warnings", "unit_cap_warnings", "air_plant_warnings", "site_warnings",
           "warn_site", "LIQUID_ONLY_KEYS",
           "max_it_per_design_frac", "diversity_problem", "check_design_covers_peak", "design_peak_warnings",
           "design_below_peak_message", "site_checks"]


def _where(site) -> str:
    return site.source_file or f"site {site.id!r}"


#: A request above this many times the fleet's nameplate IT power (design IT at diversity_frac 1)
#: is flagged: the facility draws
#: about 1.1-1.6 x its IT power (PUE), so 20 x would power a dozen such fleets, while a kW figure
#: typed as MW is 1000 x. A plausibility heuristic of dcplan's (no published source). [-]
REQUEST_ABOVE_DESIGN_RATIO = 20.0


def request_warnings(site) -> list[str]:
    """The warning for a site whose ``interconnection.requested_mw`` [MW] x 1000 is below its
    fleet's design IT power [kW] (:func:`dcplan.power.fleet_design_it_kw`, full build-out):
    facility power is IT plus cooling and losses, never less than the IT power, so the request
    cannot power the whole fleet, whatever the weather; or above :data:`REQUEST_ABOVE_DESIGN_RATIO`
    times its nameplate IT power (a kW figure typed as MW?). Empty without an interconnection (or when the fleet's
    hardware is unknown: that is the fleet's own problem)."""
    ic = site.interconnection
    if ic is None:
        return []
    from .power_fleet import fleet_design_it_kw
    try:
        design_kw = float(fleet_design_it_kw(site))
    except InputError:
        return []
    nameplate_kw = design_kw / float(site.fleet.diversity_frac)  # (a diversity_frac too low is its own error)
    if 1000.0 * ic.requested_mw > REQUEST_ABOVE_DESIGN_RATIO * nameplate_kw:
        return [f"{_where(site)}: interconnection.requested_mw: {ic.requested_mw:,.6g} MW is "
                f"{1000.0 * ic.requested_mw / nameplate_kw:,.0f} x the fleet's nameplate IT power, {nameplate_kw:,.0f} "
                f"kW ({nameplate_kw / 1000.0:,.4g} MW): more than {REQUEST_ABOVE_DESIGN_RATIO:g} x, while the facility "
                "draws about 1.1-1.6 x its IT power. A figure in kW typed as MW? The grid figures (hours over the "
                "first stage, stranded GPUs, cost of waiting) take the request as given. Keep it if the campus "
                "requests power for fleets beyond this one"]
    if not 1000.0 * ic.requested_mw < design_kw:
        return []
    return [f"{_where(site)}: interconnection.requested_mw: {ic.requested_mw:g} MW "
            f"({1000.0 * ic.requested_mw:,.0f} kW) is below the fleet's design IT power, {design_kw:,.0f} kW "
            f"(every phase at full utilisation x fleet.diversity_frac {site.fleet.diversity_frac:g}): powering "
            f"the whole fleet needs at least {design_kw:,.0f} kW plus cooling and losses, so part of it stays "
            "unpowered in the grid figures (deployment ramp, stranded GPUs, cost of waiting). Raise requested_mw, "
            "or keep it if the campus will request the rest in a later stage"]


def contract_warnings(site) -> list[str]:
    """The warning for a site whose contracted capacity (:func:`dcplan.grid.contracted_mw`: the sum of
    ``interconnection.phases``, else ``requested_mw``) [MW] x 1000 is below its fleet's design facility
    power [kW]: full design IT through the cooling plant and the site's electrical chain
    (``electrical:``) in the typical year's worst hour
    (:func:`dcplan.design_hours.typical_year_worst_hour`, the ``interconnection`` notebook's
    ``facility_design_kw``), with the GPUs it never powers there (its ``gpus_never_powered``,
    :func:`dcplan.design_hours.gpus_never_powered`). The hourly load at the fleet's own utilisation may
    still fit under the contract (site_analysis's ``hours_over_contract_h`` 0), but the ramp, the TCO's
    grid capacity and offpeak_scheduling's site cap count the design figure.

    Empty without an interconnection, when :func:`request_warnings` warns already (a request below
    the design IT, or far above the fleet), or when the model cannot run the fleet or read the weather
    (problems of their own). About 40 ms beyond the weather file's read (cached per process), and the first
    time a tower design is met its Merkel table (0.3 s, then kept: :mod:`dcplan._solved_cache`)."""
    ic = site.interconnection
    if ic is None or request_warnings(site):
        return []
    from .design_hours import gpus_never_powered, hour_text, typical_year_worst_hour
    from .grid import contracted_mw
    from .pipeline import site_weather
    from .power_fleet import fleet_design_it_kw, fleet_table
    try:
        design_kw = float(fleet_design_it_kw(site))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)  # (the weather's and the plant's own notes)
            worst = typical_year_worst_hour(design_kw, site_weather(site, copy=False), site.cooling,
                                            electrical_chain=site.electrical.stages())
        n_gpus = int(fleet_table(site)["accelerators"].sum())
    except InputError:
        return []
    cap_mw = contracted_mw(ic)
    facility_kw = worst["facility_kw"]
    if not 1000.0 * cap_mw < facility_kw:
        return []
    field = "interconnection.phases" if ic.phases else "interconnection.requested_mw"
    what = (f"the sum of interconnection.phases; requested_mw {ic.requested_mw:,.6g} MW" if ic.phases
            else "interconnection.requested_mw, no phases")
    at_least = "at least " if worst["short"] else ""
    short = ("; the plant is short in that hour, so this counts cooling only for the heat it removes"
             if worst["short"] else "")
    if n_gpus > 0:
        from .grid_ramp import power_unit_gpus   # whole racks or servers, as the interconnection notebook counts
        ft = fleet_table(site)
        unit = power_unit_gpus(ft.loc[ft["accelerators"] > 0, "hardware"])
        never = gpus_never_powered(cap_mw, facility_kw / n_gpus, n_gpus, unit)
        whole = f" (whole {unit}-GPU racks or servers)" if unit > 1 else ""
        gpus = (f": at {facility_kw / n_gpus:.3f} kW per GPU it powers {n_gpus - never:,}{whole} of the {n_gpus:,} GPUs, so "
                f"{never:,} are never powered, however long one waits (the interconnection notebook's "
                "gpus_never_powered)")
    else:
        gpus = ": the fleet's full load does not fit under it in that hour"
    return [f"{_where(site)}: {field}: the contracted capacity, {cap_mw:,.6g} MW ({1000.0 * cap_mw:,.0f} kW: {what}), "
            f"is below the fleet's design facility power, {at_least}{facility_kw:,.0f} kW (the interconnection "
            f"notebook's facility_design_kw: design IT {design_kw:,.0f} kW x PUE {worst['pue']:.4f}, its IT, cooling "
            f"and losses at full design IT in the typical year's worst hour, {hour_text(worst)}{short}){gpus}. "
            "The hourly load at the fleet's own utilisation may still fit under the contract (site_analysis's "
            "hours_over_contract_h), but the deployment ramp, the TCO's grid capacity and offpeak_scheduling's "
            f"site cap count this figure. allowed: at least {_ceil_sig(facility_kw / 1000.0, 4):g} MW contracted to "
            "power the whole fleet; keep it if the campus will contract the rest in a later stage"]


def phase_start_warnings(site) -> list[str]:
    """One warning per fleet phase (of at least one unit) that starts before
    ``interconnection.filed`` when no interconnection phase is ``in_service``: nothing powers
    it before the request is filed, and the grid figures (:func:`dcplan.grid.ramp_band`) start
    at the filing month, so the time its GPUs wait before it is not counted. A site with power
    already (an ``in_service`` phase) may well run hardware from before its new request."""
    ic = site.interconnection
    if ic is None or any(p.in_service for p in ic.phases):
        return []
    return [f"{_where(site)}: fleet.phases[{i}].start: {ph.start} is before interconnection.filed "
            f"({ic.filed}) and no interconnection phase is in_service: nothing powers the phase until the "
            "request is filed, and the grid figures (deployment ramp, stranded GPUs, cost of waiting) start at "
            "the filing date, so its GPUs' wait before it is not counted. A site with power already: mark that "
            f"interconnection phase in_service: true; otherwise start the phase on or after {ic.filed}"
            for i, ph in enumerate(site.fleet.phases) if ph.count > 0 and ph.start < ic.filed]


#: An ``interconnection.equipment_ordered`` more than this many months after ``filed`` is flagged: 36
#: months (3 years), the median grid wait of most ``data/interconnection.csv`` rows (nc-duke, il-comed,
#: tx-ercot, ga-georgia-power). A plan orders its long-lead equipment around filing, so one ordered after
#: the grid would usually be ready waits on itself; a year mistyped (2035 for 2025) is likelier. The spec
#: itself allows up to 600 months (dcplan.specs.interconnection.EQUIPMENT_ORDERED_MAX_MONTHS_AFTER_FILED).
#: A plausibility heuristic of dcplan's (no published source). [months]
EQUIPMENT_ORDERED_LATE_MONTHS = 36


def equipment_order_warnings(site) -> list[str]:
    """The warning for a site whose ``interconnection.equipment_ordered`` is more than
    :data:`EQUIPMENT_ORDERED_LATE_MONTHS` after ``interconnection.filed`` (a mistyped year?), with
    the median time to power it gives (:func:`dcplan.grid.time_to_power`, given the months already waited without
    power as the reports publish it, :func:`dcplan.plan_dates.with_wait`)."""
    ic = site.interconnection
    if ic is None or ic.equipment_ordered is None:
        return []
    from .grid import time_to_power
    from .grid_lead_time import equipment_plan
    months = equipment_plan(ic)[1]
    if not months > EQUIPMENT_ORDERED_LATE_MONTHS:
        return []
    from .plan_dates import with_wait  # the median the reports publish: given the months already waited
    ttp = float(time_to_power(with_wait(site).interconnection).loc[0.5, "time_to_power_months"])
    return [f"{_where(site)}: interconnection.equipment_ordered: {ic.equipment_ordered} is {round(months, 2):g} months after "
            f"interconnection.filed ({ic.filed}), more than {EQUIPMENT_ORDERED_LATE_MONTHS} (the median grid wait of "
            "most data/interconnection.csv rows): the equipment's deliveries count from it, so the median time to "
            f"power is {ttp:.1f} months after filing ({ttp / 12:.1f} years), and every figure that waits for power "
            "(energization dates, cost of waiting, the TCO's grid delay) with it. A mistyped year? Keep it only if "
            "the order truly waits that long (dcplan.site_plausibility.EQUIPMENT_ORDERED_LATE_MONTHS)"]


def accelerator_cap_warnings(site) -> list[str]:
    """One warning per unit type whose accelerators' TDP (data/hardware.csv ``accelerator_tdp_w``) is at
    or below ``fleet.cap_w_per_accelerator`` [W]: the cap never binds there (power never exceeds the
    TDP at full load), as :func:`unit_cap_warnings` says of ``cap_kw_per_unit``. When the cap / 1000
    would be a cap that binds (from the accelerator's idle power up to below its TDP), the text asks
    whether a figure in mW was typed (960,000 for 960 W). Units without accelerators and phases of 0
    units are left out; an unknown hardware key is the fleet's own problem."""
    cap = site.fleet.cap_w_per_accelerator
    if cap is None:
        return []
    from .power import hardware
    out, seen = [], set()
    for ph in site.fleet.phases:
        if ph.count <= 0 or ph.hardware in seen:
            continue
        seen.add(ph.hardware)
        try:
            hw = hardware(ph.hardware)
        except InputError:
            continue
        if not hw.accelerators_per_unit or cap < hw.accelerator_tdp_w:
            continue
        tdp, idle = float(hw.accelerator_tdp_w), float(hw.accelerator_idle_w)
        milli = (f"; {cap:,.7g} is 1000 x {cap / 1000.0:,.7g}: a figure in mW typed as W? ({cap / 1000.0:,.7g} W "
                 "would bind)" if idle <= cap / 1000.0 < tdp else "")
        out.append(f"{_where(site)}: fleet.cap_w_per_accelerator: {cap:,.7g} W is at or above the {tdp:,.7g} W TDP of "
                   f"each accelerator of {hw.key!r} (data/hardware.csv accelerator_tdp_w): it never binds there, so those units "
                   f"draw the same with the cap as without it{milli}; allowed: a cap from the {idle:,.7g} W idle power up to "
                   f"below {tdp:,.7g} W binds; leave it out for no cap")
    return out


def unit_cap_warnings(site) -> list[str]:
    """:func:`dcplan.power_fleet.fleet_unit_cap_notes` as warnings on the site file."""
    from .power_fleet import fleet_unit_cap_notes
    try:
        notes = fleet_unit_cap_notes(site)
    except InputError:  # an unknown hardware key: the fleet's own problem
        return []
    return [f"{_where(site)}: {note}" for note in notes]


#: The cooling keys only a liquid plant reads (``heat_rejection`` on an air plant is refused
#: by the spec itself).
LIQUID_ONLY_KEYS = tuple(k for k in LIQUID_LOOP_KEYS if k != "heat_rejection")  # those type 'air' ignores


def air_plant_warnings(site) -> list[str]:
    """The warning for a ``cooling.type: air`` site whose file sets keys only a liquid loop
    reads (:data:`LIQUID_ONLY_KEYS`): the model ignores them, which a reader of the file may
    not expect. A warning, not an error: a sweep may switch a liquid site to air."""
    c = site.cooling
    if c.type != "air":
        return []
    given = [k for k in LIQUID_ONLY_KEYS if k in c.model_fields_set and getattr(c, k) is not None]  # null: none
    if not given:
        return []
    vals = ", ".join(f"{k} {getattr(c, k)!r}" for k in given)
    return [f"{_where(site)}: cooling.{given[0]}: type 'air' has no liquid loop, so {vals} "
            f"{'is' if len(given) == 1 else 'are'} ignored; allowed: leave {'it' if len(given) == 1 else 'them'} "
            "out, or set cooling.type: liquid"]


def air_server_on_liquid_warnings(site) -> list[str]:
    """The warning for a ``cooling.type: liquid`` site with phases of units data/hardware.csv lists as
    air-cooled (the HGX/DGX servers): :func:`dcplan.cooling_default.air_server_on_liquid_warnings`, which
    says whether the file or the default chose the liquid plant, what it does to those servers (their
    heat counted as captured by the direct-to-chip loop, a liquid plant's PUE) and what to write. A
    warning, not an error: a liquid-cooled version of such a server exists, and a sweep may compare
    plants. (The reverse, a liquid-only unit on an air plant, is refused.)"""
    from .cooling_default import air_server_on_liquid_warnings as warnings_
    return warnings_(site)


def fleet_phase_warnings(site) -> list[str]:
    """:func:`dcplan.specs.fleet.phase_warnings` (a phase of 0 units, one label on phases of different hardware)
    and :func:`dcplan.specs.interconnection.phase_label_warnings` (two grid phases of one label), naming the file."""
    from .specs.fleet import phase_warnings
    from .specs.interconnection import phase_label_warnings
    ic = site.interconnection
    texts = phase_warnings(site.fleet) + (phase_label_warnings(ic) if ic is not None else [])
    return [f"{_where(site)}: {t}" for t in texts]


def phase_after_horizon_warnings(site) -> list[str]:
    """One warning per fleet phase (of at least one unit) that starts after the TCO's horizon: the project
    starts ``build_months`` (the site's ``finance.costs.build_months`` or ``finance.build_months``, else
    data/costs.csv's) before the first phase's month (each start counted from the first whole month on or
    after it, :func:`dcplan.tco_inputs.month_on_or_after`) and runs ``finance.horizon_years``, as
    :func:`dcplan.tco_input_types.calendar_months` counts them. The TCO buys none of such a phase's IT and it
    earns nothing, while the facility sized for the whole fleet is paid in full."""
    from .specs.finance import HORIZON_MAX_YEARS
    from .tco_inputs import default_cost, month_on_or_after, whole_months
    f, phases = site.finance, site.fleet.phases
    build = f.costs.get("build_months", f.build_months)
    build = int(whole_months(default_cost("build_months") if build is None else build))
    first = min(month_on_or_after(ph.start) for ph in phases)
    start = first - build
    end = start + (12 * f.horizon_years - 1)
    out = []
    for i, ph in enumerate(phases):
        m = month_on_or_after(ph.start)
        if ph.count <= 0 or m <= end:
            continue
        need = -(-(m.ordinal - start.ordinal + 1) // 12)
        fix = (f"finance.horizon_years of at least {need} to count it" if need <= HORIZON_MAX_YEARS else
               f"leave the phase out of this site: counting it needs {need} years, beyond the longest horizon "
               f"({HORIZON_MAX_YEARS} years)")
        out.append(f"{_where(site)}: fleet.phases[{i}].start: {ph.start}{f' ({ph.label})' if ph.label else ''} is "
                   f"after the TCO's horizon: finance.horizon_years {f.horizon_years} from the project start {start} "
                   f"(build_months {build} before the first phase's month, {first}) ends {end}, so the TCO buys none "
                   "of this phase's IT and it earns nothing, while the facility sized for the whole fleet is paid in "
                   f"full; allowed: a start by {end.end_time.date()}, or {fix}")
    return out


def battery_warnings(site) -> list[str]:
    """The site battery's warnings (:func:`dcplan.specs.interconnection.battery_warnings`: a round-trip
    efficiency below its floor), naming the site file."""
    from .specs.interconnection import battery_warnings as spec_warnings
    ic = site.interconnection
    if ic is None or ic.battery is None:
        return []
    return [f"{_where(site)}: {text}" for text in spec_warnings(ic.battery)]


def site_checks() -> tuple[tuple, tuple]:
    """:func:`site_warnings`' checks: those that read neither ``solar``, ``tariff``, ``finance`` nor
    ``grid_carbon_kg_per_mwh`` (tested; a sweep keeps their texts per site variant: :mod:`dcplan.sweep_checks`),
    then the others."""
    from .cooling_site_checks import site_cooling_warnings
    from .plan_dates import plan_date_warnings
    from .rack_density import rack_layout_warnings
    from .site_brownfield import brownfield_warnings
    from .site_climate_checks import tower_freeze_warnings  # a tower a dry cooler would replace in a freezing climate
    from .site_tariff_utility import tariff_utility_warnings  # a tariff of another utility
    from .tariff_lint import flat_no_energy_warnings  # flat_usd_per_kwh: 0
    from .site_battery_target import battery_target_warnings  # target: demand on a TOU demand charge
    from .site_fleet_late import fleet_late_warnings
    from .site_slips import slip_warnings
    from .site_files import bundled_fallback_warnings  # a relative name read from the bundled data/
    from .site_vintage import vintage_warnings
    plant = (request_warnings, contract_warnings, phase_start_warnings, vintage_warnings, fleet_late_warnings,
             equipment_order_warnings, accelerator_cap_warnings, unit_cap_warnings, air_plant_warnings,
             air_server_on_liquid_warnings, fleet_phase_warnings, rack_layout_warnings, design_peak_warnings,
             battery_warnings, brownfield_warnings, site_cooling_warnings)
    other = (phase_after_horizon_warnings, slip_warnings, tower_freeze_warnings, tariff_utility_warnings,
             flat_no_energy_warnings, battery_target_warnings, plan_date_warnings, bundled_fallback_warnings)
    return plant, other


def site_warnings(site) -> list[str]:
    """Every warning text of this module for ``site`` (see the module docstring): :func:`site_checks`' in turn."""
    return [text for group in site_checks() for check in group for text in check(site)]


def warn_site(site, stacklevel: int = 2) -> list[str]:
    """Issue :func:`site_warnings` as :class:`~dcplan.errors.DcplanWarning` (``stacklevel`` as
    :func:`warnings.warn`'s: 2, the caller); returns their texts."""
    texts = site_warnings(site)
    for text in texts:
        warnings.warn(text, DcplanWarning, stacklevel=stacklevel)
    return texts


def shared_name_warnings(pf) -> list[str]:
    """One message per site of portfolio ``pf`` whose ``name`` an earlier site already has: two sites of
    one name read as one site in a comparison's tables, charts and sentences (a 22-site screen's score
    chart merged their bars); the reports tell them apart as "name [id]"
    (:func:`dcplan.portfolio_report.display_names`). ``dcplan validate`` and ``dcplan render`` warn them."""
    file = pf.source_file or "portfolio"
    first_of: dict = {}
    out = []
    for s in pf.sites:
        other = first_of.setdefault(s.name, s)
        if other is not s:
            out.append(f"{file}: sites {other.id!r} ({other.source_file}) and {s.id!r} ({s.source_file}) share "
                       f"the name {s.name!r}; the reports tell them apart as '{s.name} [<id>]'; give each site "
                       "its own name (allowed: a name no other site of the portfolio has)")
    return out


def warn_shared_names(pf) -> None:
    """Issue :func:`shared_name_warnings` as :class:`~dcplan.errors.DcplanWarning`."""
    for text in shared_name_warnings(pf):
        warnings.warn(text, DcplanWarning, stacklevel=2)


# ----------------------------------------------------------------------- design IT vs peak IT

def max_it_per_design_frac(chain=None) -> float:
    """Largest IT load per kW of design IT the transformer/UPS/PDU chain carries [-].

    :func:`dcplan.power.electrical_losses_kw` rates each stage at ``design IT x oversize``
    and refuses a load fraction beyond :data:`dcplan.power.MAX_LOAD_FRAC` (1.5) at any
    stage. A stage upstream carries the IT load plus the losses of the stages below it, so
    the bound on the IT load is below 1.5: for the default chain (PDU, UPS 2N, transformer,
    :data:`dcplan.power.ELECTRICAL_STAGES`) the transformer binds first, at an IT load of
    1.4265 x the design IT (a quadratic per stage; ``tests/test_site_plausibility.py``
    derives it). Found by bisection on the loss function itself, so it follows the chain's
    coefficients; ``chain`` is a sequence of stage names or dicts ``{a, b, c, oversize}`` (a
    site's ``electrical.stages()``; default :data:`dcplan.power.DEFAULT_CHAIN`).
    """
    from .power_electrical import DEFAULT_CHAIN
    chain = DEFAULT_CHAIN if chain is None else chain
    return _max_it_per_design_frac(tuple(st if isinstance(st, str) else tuple(sorted(dict(st).items()))
                                         for st in chain))


@functools.lru_cache(maxsize=8)
def _max_it_per_design_frac(key: tuple) -> float:
    """:func:`max_it_per_design_frac` of a chain given hashable (a dict stage as its sorted items)."""
    from .power_electrical import MAX_LOAD_FRAC, electrical_losses_kw
    chain = tuple(st if isinstance(st, str) else dict(st) for st in key)

    def carries(x: float) -> bool:
        try:
            electrical_losses_kw(x, rated_kw=1.0, chain=chain)
        except InputError:
            return False
        return True

    lo, hi = 0.0, float(MAX_LOAD_FRAC)
    while carries(hi):  # (a chain whose stages are all oversized carries more than 1.5)
        lo, hi = hi, 2.0 * hi
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if carries(mid) else (lo, mid)
        if hi - lo <= 1e-13 * hi:
            break
    return lo


def _ceil_sig(x: float, digits: int = 3) -> float:
    """``x`` > 0 rounded up to ``digits`` significant digits (0.48459 -> 0.485)."""
    k = 10.0 ** (math.floor(math.log10(x)) - digits + 1)
    return round(math.ceil(x / k - 1e-9) * k, 12)


def _diversity_message(site, peak_kw: float, design_kw: float) -> str | None:
    """The problem of ``fleet.diversity_frac`` when the peak IT ``peak_kw`` overloads the chain
    rated for ``design_kw`` (None when it does not, or when the peak is above what the chain
    carries at a diversity_frac of 1, :func:`max_it_per_design_frac` x the nameplate, where no
    diversity_frac helps: that is the measured data's problem)."""
    d = site.fleet.diversity_frac
    cap = max_it_per_design_frac(site.electrical.stages())   # the site's own chain, as the pipeline rates it
    if not peak_kw > cap * design_kw * (1.0 + 1e-9):
        return None
    nameplate = design_kw / d
    need = peak_kw / (cap * nameplate)
    if need > 1.0:
        return None
    from .power_electrical import MAX_LOAD_FRAC
    return (f"{d:g} sets the design IT power to {design_kw:,.0f} kW (nameplate {nameplate:,.0f} kW x {d:g}), which "
            f"rates the transformer/UPS/PDU chain, but the fleet's IT power peaks at {peak_kw:,.0f} kW, "
            f"{peak_kw / design_kw:.3g} x the design IT: beyond the chain's overload limit (a stage carries at most "
            f"MAX_LOAD_FRAC {MAX_LOAD_FRAC:g} x its capacity, which with the losses of the stages below it is "
            f"{cap:.4f} x the design IT at the IT load), so every run of the site fails; allowed: at least "
            f"{_ceil_sig(need):g} (peak IT {peak_kw:,.0f} kW / ({cap:.4f} x nameplate {nameplate:,.0f} kW)); "
            "diversity_frac is the coincident peak over the sum of unit peaks (1 for a synchronous training fleet)")


def check_design_covers_peak(site, it_kw: pd.Series, design_it_kw: float) -> None:
    """InputError (field ``fleet.diversity_frac``, the site's file) when the design IT
    ``design_it_kw`` [kW] is too low for the peak of ``it_kw`` [kW]: the chain rated for it
    would carry more than :func:`max_it_per_design_frac` x its rating. The message gives the
    smallest ``diversity_frac`` that works for this peak. (Server-fan uplift in hot hours, which
    the thermal plant adds, can raise the peak a little further.)"""
    msg = _diversity_message(site, float(np.max(np.asarray(it_kw, float))) if len(it_kw) else 0.0,
                             float(design_it_kw))
    if msg:
        raise InputError(msg, file=site.source_file or None, field="fleet.diversity_frac")


def _year_design_and_peak(site, seed: int = 0, series: bool = False) -> tuple | None:
    """(design IT, peak IT) [kW] of the site's full build-out weather year at 1 h (the weather
    year's hours, as :func:`dcplan.pipeline.run_site_year` runs it at ``seed``), or None when
    the power model cannot run the fleet (unknown hardware, a data file that does not read or
    cover the year: problems of their own). ``series``: the year's hourly IT [kW] too, third."""
    from .power_fleet import fleet_design_it_kw, site_it_kw
    year = site.weather.year
    hours = pd.date_range(f"{year}-01-01 01:00", f"{year + 1}-01-01 00:00", freq="1h", tz=site.timezone)
    try:
        design_kw = float(fleet_design_it_kw(site))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)  # (the model's own notes; not this check's)
            it_kw = site_it_kw(site, hours, seed=seed, deployed="all")
    except InputError:
        return None
    return (design_kw, float(it_kw.max())) + ((it_kw,) if series else ())


def design_below_peak_message(site, peak_kw: float, design_kw: float,
                              where: str = "in the full build-out weather year at 1 h") -> str | None:
    """What is wrong with ``fleet.diversity_frac`` when the design IT ``design_kw`` [kW]
    (:func:`dcplan.power.fleet_design_it_kw`: every unit and its rack gear at full utilisation,
    the fleet's power caps applied, x ``diversity_frac``) is below the fleet's own peak IT
    ``peak_kw`` [kW] (``where``: the span and step it is the peak of), or None when it is not.

    The grid request check, the cooling plant and the transformer/UPS/PDU chain are sized on
    the design IT, so in the peak hours they run beyond their rating (the chain's loss model is
    fitted up to 1 x its rating; only beyond :func:`max_it_per_design_frac` is the run refused,
    :func:`check_design_covers_peak`). The message gives the smallest ``diversity_frac`` whose
    design covers this peak: peak / (design / diversity_frac), rounded up to 3 digits."""
    d = float(site.fleet.diversity_frac)
    if not peak_kw > design_kw * (1.0 + 1e-9):
        return None
    full = design_kw / d
    need = min(_ceil_sig(peak_kw / full), 1.0)
    fl = site.fleet
    caps = ", the fleet's power caps applied," if (fl.cap_w_per_accelerator or fl.cap_kw_per_unit) else ""
    return (f"{d:g} sets the design IT power to {design_kw:,.0f} kW ({full:,.0f} kW with every unit and its rack "
            f"gear at full utilisation{caps} x {d:g}), below the fleet's own peak: its IT power peaks "
            f"at {peak_kw:,.0f} kW {where}, {peak_kw / design_kw:.3g} x the design IT. The cooling plant and the "
            "transformer/UPS/PDU chain are sized on the design IT, so at the peak they run beyond their rating "
            "(the loss model is fitted up to 1 x a stage's rating); allowed: a diversity_frac of at least "
            f"{need:g} (peak {peak_kw:,.0f} kW / {full:,.0f} kW at full utilisation) covers this peak; keep a lower "
            "one only if the fleet's units never peak together (diversity_frac is the coincident peak over the sum "
            "of unit peaks, 1 for a synchronous training fleet)")


def design_peak_warnings(site, *, seed: int = 0) -> list[str]:
    """The warning for a site whose ``fleet.diversity_frac`` (below 1) puts its design IT below its
    fleet's own 1 s peak IT: :func:`dcplan.site_design_peak.design_peak_warnings`."""
    from .site_design_peak import design_peak_warnings as warnings_1s
    return warnings_1s(site, seed=seed)


def diversity_problem(site, *, seed: int = 0) -> tuple[str, str] | None:
    """``("fleet.diversity_frac", message)`` of :func:`check_design_covers_peak` on the
    site's full build-out year at 1 h (the weather year's hours, as
    :func:`dcplan.pipeline.run_site_year` runs it at ``seed``), or None. A fleet the power
    model cannot run (unknown hardware, a data file that does not read or cover the year)
    gives None: those are problems of their own. A site with ``diversity_frac`` 1 is not
    checked (the design IT is the nameplate, which no peak exceeds)."""
    if site.fleet.diversity_frac >= 1.0:
        return None
    got = _year_design_and_peak(site, seed)
    if got is None:
        return None
    msg = _diversity_message(site, got[1], got[0])
    return None if msg is None else ("fleet.diversity_frac", msg)
