"""Rack density: the kW a fleet's compute racks draw at full load, against the published ranges for their cooling.

The cooling plant model (:mod:`dcplan.thermal_plant`) counts cooling per kW of IT heat, whatever
the kW per rack: a 57 kW air-cooled rack gets the air plant's PUE of a 29 kW one. The density
itself is stated here, with the reference ranges of ``docs/reference-data.md`` s.2, for the
rack_power and site_analysis reports:

================================  ==========  ===============================================  ==========
figure                            value       source (docs/reference-data.md s.2)                   status
================================  ==========  ===============================================  ==========
air-cooled AI rack                30-40 kW    vamsitalkstech.com (2026)                        unverified
practical air-cooling ceiling     ~30 kW      yobitel.com knowledge base (2026; DLC 80-120+)   unverified
4 x DGX H100 per rack             40.8 kW     4 x 10.2 kW (illustrative)                       derived
liquid-cooled high-density rack   60-120 kW   vamsitalkstech.com; techinfrahub; build.inc      unverified
================================  ==========  ===============================================  ==========

A compute rack is its servers alone (``units_per_rack`` x the unit's full-load power): what its busway
tap-off or rack PDU sees. Its share of the catalog's rack gear (``rack_addons``: InfiniBand and
management switches, a share of a storage node) sits in separate network/storage racks, which the rack
counts (``racks``) do not count; it is stated beside the compute rack. A fleet phase may set its own
``units_per_rack`` (:func:`dcplan.power_fleet.phase_layout`): the gear scales with the servers, so the IT
power does not change with the layout, except that a phase's partial last rack carries a full rack's share of
the gear (385 hgx-b200: 5,801.5 kW of design IT in 77 full racks of 5, 5,803.0 kW in 129 racks of 3, the last
holding 1).

An air-cooled compute rack is held to one rule, a site phase's as a data/hardware.csv row's
(:func:`dcplan.catalog_bands.air_rack_level`): at or above :data:`~dcplan.catalog_bands.LIQUID_RACK_MIN_KW`
(60 kW, where liquid-cooled racks start) it is refused (:func:`air_rack_errors`, raised by
:func:`dcplan.power.check_air_coolable` in ``dcplan validate`` and the site-year chain); above
:data:`~dcplan.catalog_bands.AIR_RACK_MAX_KW` (40.8 kW, the densest air-cooled layout the reference data
give) it is warned (:func:`rack_layout_warnings`, run by ``dcplan validate`` and ``render`` with the site's
other plausibility warnings).
"""
from __future__ import annotations

import math

import pandas as pd

from .paths import doc_ref
from .catalog_bands import AIR_RACK_MAX_KW, AIR_RACK_REFUSED, LIQUID_RACK_MIN_KW, air_rack_fit, air_rack_level
from .errors import InputError
from .power import hardware
from .power_fleet import _as_fleet, _phase_hw, phase_layout
from .power_rack import rack_gear_power_kw, rack_power_kw

__all__ = ["AIR_AI_RACK_KW", "AIR_CEILING_KW", "LIQUID_AI_RACK_KW", "AIR_RACK_MAX_KW", "REFERENCE", "rack_kw",
           "rack_gear_kw", "rack_density_table", "rack_density_notes", "rack_count_notes", "rack_layout_warnings",
           "air_rack_errors", "rack_figures", "rack_row_figures"]

#: Air-cooled AI inference racks, kW/rack (docs/reference-data.md s.2: vamsitalkstech.com 2026, unverified).
AIR_AI_RACK_KW = (30.0, 40.0)
#: Practical air-cooling ceiling, kW/rack (docs/reference-data.md s.2: yobitel.com 2026, "~30 air vs 80-120+ DLC",
#: unverified).
AIR_CEILING_KW = 30.0
#: Liquid-cooled high-density AI racks, kW/rack (docs/reference-data.md s.2: vamsitalkstech.com, techinfrahub,
#: build.inc 2025-26, unverified).
LIQUID_AI_RACK_KW = (LIQUID_RACK_MIN_KW, 120.0)
#: The reference text a rack's label cites, by the cooling the model gives it.
REFERENCE = {
    "air": (f"air-cooled AI racks {AIR_AI_RACK_KW[0]:g}-{AIR_AI_RACK_KW[1]:g} kW, practical air-cooling ceiling "
            f"~{AIR_CEILING_KW:g} kW ({doc_ref('reference-data.md', 's.2')}, both unverified)"),
    "liquid": (f"liquid-cooled high-density AI racks {LIQUID_AI_RACK_KW[0]:g}-{LIQUID_AI_RACK_KW[1]:g} kW "
               f"({doc_ref('reference-data.md', 's.2')}, unverified)"),
}
_GEAR_WHERE = "sits in separate network/storage racks, not counted in racks"
#: What a rack's kW rests on, in its label: each unit's data/hardware.csv ``max_kw``, the vendor's stated maximum
#: input (DGX H100 10.2 kW, DGX B200 14.3 kW), a reported rack power (GB200 NVL72 ~120 kW) or an estimate
#: (mi300x-8), not a measured draw: an 8-GPU H100 node training peaked at ~8.4 kW of its 10.2 kW (Latif et al.,
#: IEEE Access 13, 2025; data/SOURCES.md "Hardware catalog").
_RATED = "the units' rated maximum input (data/hardware.csv max_kw, not a measured draw)"


def rack_kw(hardware_key, fleet_or_site=None, units_per_rack=None) -> float:
    """Full-load power of one full compute rack of ``hardware_key`` [kW/rack]: ``units_per_rack`` units (default
    the catalog's) at utilisation 1, without the rack gear (:func:`rack_gear_kw`, in other racks); with a fleet
    or site, held to its power caps (``cap_w_per_accelerator``, ``cap_kw_per_unit``), as
    :func:`dcplan.power.fleet_design_it_kw` counts a unit: :func:`dcplan.power.rack_power_kw` at utilisation 1.
    No ``diversity_frac``: that is the hall's, not a rack's. 4 x hgx-b200: 4 x 14.3 = 57.2 kW; 2 a rack: 28.6 kW;
    gb200-nvl72: 120 kW."""
    fleet = None if fleet_or_site is None else _as_fleet(fleet_or_site)[0]
    caps = {} if fleet is None else {"cap_w_per_accelerator": fleet.cap_w_per_accelerator,
                                     "cap_kw_per_unit": fleet.cap_kw_per_unit}
    return float(rack_power_kw(1.0, hardware_key, units_per_rack=units_per_rack, **caps))


def rack_gear_kw(hardware_key, units_per_rack=None) -> float:
    """A compute rack's share of its catalog rack gear (``rack_addons``) at full load [kW/rack]: the catalog
    rack's gear x ``units_per_rack`` / the catalog's ``units_per_rack`` (the gear scales with the servers).
    It sits in separate network/storage racks (:func:`dcplan.power.rack_gear_power_kw` at utilisation 1).
    hgx-b200: 1.5 x 1.7 + 0.15 + 0.25 x 1.5 = 3.075 kW at 4 a rack, 1.5375 kW at 2."""
    return float(rack_gear_power_kw(1.0, hardware_key, units_per_rack=units_per_rack))


def _compare(kw: float, plant: str) -> str:
    """Where ``kw`` per rack sits against the reference range of the ``plant`` cooling it."""
    if plant == "air":
        lo, hi = AIR_AI_RACK_KW
        if kw <= AIR_CEILING_KW:
            return f"within the ~{AIR_CEILING_KW:g} kW practical air-cooling ceiling"
        if kw <= hi:
            return (f"within the {lo:g}-{hi:g} kW of air-cooled AI racks, above the ~{AIR_CEILING_KW:g} kW practical "
                    "air-cooling ceiling")
        if kw < LIQUID_AI_RACK_KW[0]:
            return (f"above the {lo:g}-{hi:g} kW of air-cooled AI racks and {kw / AIR_CEILING_KW:.1f} x the "
                    f"~{AIR_CEILING_KW:g} kW practical air-cooling ceiling")
        where = "in" if kw <= LIQUID_AI_RACK_KW[1] else "above"
        return (f"above the {lo:g}-{hi:g} kW of air-cooled AI racks, {kw / AIR_CEILING_KW:.1f} x the "
                f"~{AIR_CEILING_KW:g} kW practical air-cooling ceiling and {where} the {LIQUID_AI_RACK_KW[0]:g}-"
                f"{LIQUID_AI_RACK_KW[1]:g} kW of liquid-cooled racks: in practice such a rack needs rear-door heat "
                "exchangers or liquid cooling, which the air plant modelled (CRAH + chiller + tower) does not "
                "include")
    lo, hi = LIQUID_AI_RACK_KW
    where = "within" if lo <= kw <= hi else "below" if kw < lo else "above"
    return f"{where} the {lo:g}-{hi:g} kW of liquid-cooled high-density AI racks"


def _layouts(site):
    """``{row key: (hw, units_per_rack, [(phase index, phase, racks)])}`` of the phases with units, one row per
    hardware and layout: keyed by the hardware key, or ``<key>-<n>-per-rack`` where phases of one hardware
    use different layouts."""
    fleet, _ = _as_fleet(site)
    groups: dict = {}
    for i, (ph, hw) in enumerate(zip(fleet.phases, _phase_hw(fleet))):
        if ph.count <= 0:
            continue
        n, racks, _ = phase_layout(ph, hw)
        groups.setdefault((hw.key, n), (hw, n, []))[2].append((i, ph, racks))
    per_key = {}
    for key, _ in groups:
        per_key[key] = per_key.get(key, 0) + 1
    return {(key if per_key[key] == 1 else f"{key}-{n}-per-rack"): g for (key, n), g in groups.items()}


def _partial(i, ph, n) -> str:
    """The note on phase ``i``'s last rack when it is partial, else ""."""
    last = ph.count % n
    if not last:
        return ""
    name = f"fleet.phases[{i}]" + (f" ({ph.label})" if ph.label else "")
    return (f"{name}: {ph.count:,} {ph.hardware} at {n} per rack fill {math.ceil(ph.count / n):,} compute racks, the "
            f"last holding {last} of {n} (a partial rack, which carries a full rack's share of the gear)")


def rack_density_table(site, *, check_air: bool = True) -> pd.DataFrame:
    """One row per hardware type and layout of ``site``'s fleet (phases with units; see :func:`_layouts` for the
    index): ``hardware`` (its key), ``units_per_rack`` (the phase's, else data/hardware.csv's), ``kw_per_rack`` (one compute rack,
    :func:`rack_kw` with the site's caps), ``gear_kw_per_rack`` (its share of the rack gear, :func:`rack_gear_kw`),
    ``racks`` (compute racks over those phases), ``partial`` (the phases whose last rack is partial, in words),
    ``unit_cooling`` (data/hardware.csv), ``plant`` (the site's ``cooling.type``, the cooling the model gives every
    rack), ``label`` (what the figure counts and the reference range it is compared with) and ``note`` (where
    it sits in that range). An air-cooled site whose compute rack is at or above 60 kW is refused (InputError,
    :func:`dcplan.power.check_air_coolable`: :func:`air_rack_errors`), as its site-year is, unless ``check_air`` is
    False (the layout of a sweep case that failed so: :func:`dcplan.sweep_worker._known_figures`)."""
    from .power import check_air_coolable
    if check_air:
        check_air_coolable(site)
    fleet, _ = _as_fleet(site)
    plant = site.cooling.type
    caps = " held to the fleet's power caps" if (fleet.cap_w_per_accelerator or fleet.cap_kw_per_unit) else ""
    rows = {}
    for key, (hw, n, phases) in _layouts(site).items():
        kw, gear = rack_kw(hw, fleet, n), rack_gear_kw(hw, n)
        what = f"{n} x {hw.key}" if hw.kind != "rack" else f"the {hw.key} rack"
        label = (f"Rack density, {hw.key}: one full compute rack ({what}) at full utilisation{caps}, kW per rack, "
                 f"at {_RATED}; {plant}-cooled in the model; its share of the network/storage gear, {gear:.2f} kW, "
                 f"{_GEAR_WHERE}; reference: {REFERENCE[plant]}")
        rows[key] = {"hardware": hw.key, "units_per_rack": n, "kw_per_rack": kw, "gear_kw_per_rack": gear,
                     "racks": sum(r for _, _, r in phases),
                     "partial": "; ".join(t for t in (_partial(i, ph, n) for i, ph, _ in phases) if t),
                     "unit_cooling": hw.cooling, "plant": plant, "label": label, "note": _compare(kw, plant)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=[
        "hardware", "units_per_rack", "kw_per_rack", "gear_kw_per_rack", "racks", "partial", "unit_cooling", "plant", "label",
        "note"])


def rack_density_notes(site) -> list[str]:
    """A sentence per hardware type (and layout) of ``site``'s fleet: its compute rack's kW against the reference
    range of the cooling the model gives it (:func:`rack_density_table`), its gear share and where that sits,
    and that the plant model's PUE does not depend on the density. ``[]`` for a fleet without units."""
    out = []
    for key, r in rack_density_table(site).iterrows():
        what = "the rack" if hardware(r.hardware).kind == "rack" else f"{r.units_per_rack} units"
        out.append(f"{key}: {r.kw_per_rack:.1f} kW per compute rack ({what} at full load; its share of the "
                   f"network/storage gear, {r.gear_kw_per_rack:.1f} kW, {_GEAR_WHERE}), {r.plant}-cooled in the "
                   f"model: {r.note} ("
                   f"{doc_ref('reference-data.md', 's.2')}, unverified). The plant model counts cooling per "
                   "kW of heat whatever the density, so its PUE does not reflect it")
    return out


def rack_count_notes(site) -> list[str]:
    """The compute racks of ``site``'s fleet in words: one sentence per hardware type and layout (racks and units
    per rack), then each phase whose last rack is partial. The network/storage racks holding the rack gear are
    not counted."""
    t = rack_density_table(site)
    out = [f"{key}: {int(r.racks):,} compute racks of {r.units_per_rack} (network/storage racks not counted)"
           for key, r in t.iterrows()]
    return out + [p for r in t.itertuples() if r.partial for p in r.partial.split("; ")]


def _air_phases(site, as_air: bool = False):
    """``(where, [(i, phase, hw, units_per_rack, kW per compute rack)])`` of an air-cooled site's phases of at least
    one unit (:func:`rack_kw`: the phase's ``units_per_rack`` x the unit's full-load power, the fleet's caps
    applied); no phases for a liquid plant (unless ``as_air``: the fleet as an air plant would hold it) or a fleet
    whose hardware is unknown (its own problem)."""
    where = site.source_file or f"site {site.id!r}"
    if site.cooling.type != "air" and not as_air:
        return where, []
    try:
        fleet, _ = _as_fleet(site)
        hws = _phase_hw(fleet)
    except InputError:
        return where, []
    out = []
    for i, (ph, hw) in enumerate(zip(fleet.phases, hws)):
        if ph.count > 0:
            n = phase_layout(ph, hw)[0]
            out.append((i, ph, hw, n, rack_kw(hw, fleet, n)))
    return where, out


def _given(i, ph) -> str:
    """Where phase ``i``'s ``units_per_rack`` comes from: the site file's phase or data/hardware.csv."""
    return f"fleet.phases[{i}].units_per_rack" if ph.units_per_rack is not None else "data/hardware.csv units_per_rack"


def air_rack_errors(site, *, as_air: bool = False) -> list[tuple[str, str]]:
    """``(field, message)`` of each fleet phase (of at least one unit) of an air-cooled site (``cooling.type: air``)
    whose compute rack (:func:`rack_kw`, the fleet's caps applied) is at or above
    :data:`~dcplan.catalog_bands.LIQUID_RACK_MIN_KW` (60 kW, where liquid-cooled high-density racks start:
    :func:`~dcplan.catalog_bands.air_rack_level`, the rule an air-cooled data/hardware.csv row is refused by): no
    air plant cools such a rack. The field is the phase's ``units_per_rack`` (its ``hardware`` when one unit is
    already at or above 60 kW, or it is a rack-scale unit); allowed: the most units per rack below 60 kW
    (:func:`~dcplan.catalog_bands.air_rack_fit`), or ``cooling.type: liquid``. Raised by
    :func:`dcplan.power.check_air_coolable`. hgx-b200 at 5 a rack: 5 x 14.3 = 71.5 kW, allowed 4 (57.2 kW).
    ``as_air``: the site's fleet as if its plant were air-cooled (a sweep's or reference plant's air case)."""
    fleet = site.fleet
    caps = " held to the fleet's power caps" if (fleet.cap_w_per_accelerator or fleet.cap_kw_per_unit) else ""
    out = []
    for i, ph, hw, n, kw in _air_phases(site, as_air)[1]:
        if air_rack_level(kw) != "error":
            continue
        unit = kw / n
        below, fit = air_rack_fit(unit)
        what = f"the {hw.key} rack" if hw.kind == "rack" else f"{n} x {hw.key} per rack" + (
            "" if ph.units_per_rack is not None else " (data/hardware.csv units_per_rack; the phase sets none)")
        layout = (f"units_per_rack: {below} or fewer ({below} x {unit:.4g} = {below * unit:.1f} kW; at most {fit} for "
                  f"{AIR_RACK_MAX_KW:g} kW, the densest air-cooled layout the reference data give), or "
                  if below >= 1 and hw.kind != "rack" else "")
        out.append((f"fleet.phases[{i}]." + ("units_per_rack" if layout else "hardware"), (
            f"{what} is {kw:.1f} kW per compute rack at full load ({n} x {unit:.4g} kW{caps}) on an air-cooled site "
            f"(cooling.type air): {AIR_RACK_REFUSED}; allowed: {layout}cooling.type: liquid (a direct-liquid-cooled "
            "version of the servers)")))
    return out


def rack_layout_warnings(site) -> list[str]:
    """One warning per fleet phase (of at least one unit) of an air-cooled site (``cooling.type: air``) whose
    compute rack (:func:`rack_kw`: the phase's ``units_per_rack`` x the unit's full-load power, the fleet's caps
    applied) is above :data:`~dcplan.catalog_bands.AIR_RACK_MAX_KW` (40.8 kW, 4 x DGX H100: the densest air-cooled
    layout in docs/reference-data.md s.2) and below the 60 kW at which it is refused (:func:`air_rack_errors`;
    :func:`~dcplan.catalog_bands.air_rack_level`). The air plant modelled counts cooling per kW of heat, so its
    PUE does not say that such a rack needs rear-door heat exchangers or liquid cooling in practice. Names the
    site file, the phase, the kW, the threshold and the units_per_rack that fits. Empty for a liquid plant or a
    fleet whose hardware is unknown (its own problem)."""
    where, phases = _air_phases(site)
    out = []
    for i, ph, hw, n, kw in phases:
        if air_rack_level(kw) != "warning":
            continue
        unit = kw / n
        fit = air_rack_fit(unit)[1]
        layout = (f"set fleet.phases[{i}].units_per_rack: {fit} ({fit} x {unit:.4g} = {fit * unit:.1f} kW) for an "
                  "air-cooled layout, or " if fit >= 1 and hw.kind != "rack" else "")
        out.append(f"{where}: fleet.phases[{i}]: {n} x {hw.key} per rack ({_given(i, ph)}) is "
                   f"{kw:.1f} kW per compute rack at full load ({n} x {unit:.4g} kW), above the {AIR_RACK_MAX_KW:g} kW "
                   "of the densest air-cooled layout the reference data give (4 x DGX H100 at 10.2 kW, "
                   f"{doc_ref('reference-data.md', 's.2')}, beside air-cooled AI racks of 30-40 kW and a ~30 kW "
                   "practical "
                   "air-cooling ceiling, unverified): in practice such a rack needs rear-door heat exchangers or "
                   "liquid cooling, which the air plant modelled (CRAH + chiller + tower) does not include, and its "
                   f"PUE does not reflect it; allowed: at most {AIR_RACK_MAX_KW:g} kW per air-cooled compute rack: "
                   f"{layout}cooling.type: liquid (a direct-liquid-cooled version of the servers; rear-door heat "
                   "exchangers are not modelled)")
    return out


def rack_figures(site) -> dict[str, tuple]:
    """The rack figures a report publishes (:func:`dcplan.results.publish` records ``key: (value, unit, label)``),
    per row of :func:`rack_density_table`: ``rack_kw.<key>`` (one compute rack at full load), ``rack_gear_kw.<key>``
    (its share of the network/storage gear, in other racks) and ``racks.<key>`` (compute racks, saying which
    phase's last rack is partial); then ``racks_total``, every compute rack of the fleet at full build-out. The
    network/storage racks are counted in none of them. ``{}`` for a fleet without units."""
    t = rack_density_table(site)
    if not len(t):
        return {}
    out = {f"rack_kw.{k}": (r.kw_per_rack, "kW", r.label) for k, r in t.iterrows()}
    out.update({f"rack_gear_kw.{k}": (r.gear_kw_per_rack, "kW", (
        f"Rack gear share of one {r.hardware} compute rack ({r.units_per_rack} a rack) at full load: its catalog "
        f"rack_addons (switches, a storage share) x {r.units_per_rack} / the catalog's units_per_rack, kW per rack; "
        "the gear sits in separate network/storage racks, not counted in racks")) for k, r in t.iterrows()})
    out.update({f"racks.{k}": (int(r.racks), "racks", (
        f"Compute racks of {r.hardware} at {r.units_per_rack} a rack, full build-out (network/storage racks not "
        "counted)" + (f"; partial last rack: {r.partial}" if r.partial else ""))) for k, r in t.iterrows()})
    out["racks_total"] = (int(t["racks"].sum()), "racks", "Compute racks of the whole fleet, full build-out (every "
                                                         "phase; network/storage racks not counted)")
    return out


def rack_row_figures(site, *, check_air: bool = True) -> dict[str, float]:
    """The rack figures of a sweep row (:func:`dcplan.pipeline.case_figures`), the scalars of
    :func:`rack_figures`: ``racks_total`` [racks], every compute rack of the fleet at full build-out
    (:math:`\\sum_p \\lceil N_p / n_p \\rceil`, :func:`dcplan.power_fleet.phase_layout`; network/storage racks not
    counted), and ``rack_kw_max`` [kW/rack], the densest full compute rack of its layouts at full load
    (:func:`rack_kw`: ``n_p`` x the unit's full-load power, held to the fleet's caps, without the rack gear, which
    sits in other racks): the figure an air-cooled rack is held to, warned above
    :data:`~dcplan.catalog_bands.AIR_RACK_MAX_KW` (40.8 kW) and refused at or above
    :data:`~dcplan.catalog_bands.LIQUID_RACK_MIN_KW` (60 kW). 384 hgx-b200 at 2 a rack: 192 racks of
    2 x 14.3 = 28.6 kW; at 1 a rack: 384 of 14.3 kW. ``check_air``: :func:`rack_density_table`'s."""
    t = rack_density_table(site, check_air=check_air)
    return {"racks_total": int(t["racks"].sum()), "rack_kw_max": float(t["kw_per_rack"].max())}
