"""Rack density: the kW a fleet's racks draw at full load, against the published ranges for their cooling.

The cooling plant model (:mod:`dcplan.thermal_plant`) counts cooling per kW of IT heat, whatever
the kW per rack: a 60 kW air-cooled rack gets the air plant's PUE of a 44 kW one. The density
itself is stated here, with the reference ranges of ``shared/reference-data.md`` s.2, for the
rack_power and site_analysis reports:

================================  ==========  ===============================================  ==========
figure                            value       source (reference-data.md s.2)                   status
================================  ==========  ===============================================  ==========
air-cooled AI rack                30-40 kW    vamsitalkstech.com (2026)                        unverified
practical air-cooling ceiling     ~30 kW      yobitel.com knowledge base (2026; DLC 80-120+)   unverified
liquid-cooled high-density rack   60-120 kW   vamsitalkstech.com; techinfrahub; build.inc      unverified
================================  ==========  ===============================================  ==========

All three are unverified, and the bundled sites' air-cooled racks already sit above the air figures
(4 x hgx-h100 or hgx-h200: 43.9 kW; 4 x hgx-b200 at Phoenix: 60.3 kW), so these are stated notes
(:func:`rack_density_notes`), not ``dcplan validate`` warnings: no sourced figure separates an air
rack that works from one that does not above 44 kW.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .power import _addons_kw_array, _unit_kw_array, hardware
from .power_fleet import _as_fleet, _phase_hw

__all__ = ["AIR_AI_RACK_KW", "AIR_CEILING_KW", "LIQUID_AI_RACK_KW", "REFERENCE", "rack_kw", "rack_density_table",
           "rack_density_notes"]

#: Air-cooled AI inference racks, kW/rack (reference-data.md s.2: vamsitalkstech.com 2026, unverified).
AIR_AI_RACK_KW = (30.0, 40.0)
#: Practical air-cooling ceiling, kW/rack (reference-data.md s.2: yobitel.com 2026, "~30 air vs 80-120+ DLC",
#: unverified).
AIR_CEILING_KW = 30.0
#: Liquid-cooled high-density AI racks, kW/rack (reference-data.md s.2: vamsitalkstech.com, techinfrahub,
#: build.inc 2025-26, unverified).
LIQUID_AI_RACK_KW = (60.0, 120.0)
#: The reference text a rack's label cites, by the cooling the model gives it.
REFERENCE = {
    "air": (f"air-cooled AI racks {AIR_AI_RACK_KW[0]:g}-{AIR_AI_RACK_KW[1]:g} kW, practical air-cooling ceiling "
            f"~{AIR_CEILING_KW:g} kW (shared/reference-data.md s.2, both unverified)"),
    "liquid": (f"liquid-cooled high-density AI racks {LIQUID_AI_RACK_KW[0]:g}-{LIQUID_AI_RACK_KW[1]:g} kW "
               "(shared/reference-data.md s.2, unverified)"),
}


def rack_kw(hardware_key, fleet_or_site=None) -> float:
    """Full-load power of one full rack of ``hardware_key`` [kW/rack]: ``units_per_rack`` units at
    utilisation 1 plus the rack's gear (``rack_addons``), as :func:`dcplan.power.rack_power_kw` (1.0);
    with a fleet or site, held to its power caps (``cap_w_per_accelerator``, ``cap_kw_per_unit``), as
    :func:`dcplan.power.fleet_design_it_kw` counts a unit. No ``diversity_frac``: that is the hall's,
    not a rack's. 4 x hgx-h100: 4 x 10.2 + 1.5 x 1.7 + 0.15 + 0.25 x 1.5 = 43.875 kW."""
    hw = hardware(hardware_key)
    fleet = None if fleet_or_site is None else _as_fleet(fleet_or_site)[0]
    cap_w = None if fleet is None else fleet.cap_w_per_accelerator
    cap_kw = None if fleet is None else fleet.cap_kw_per_unit
    one = np.ones(1)
    unit = float(_unit_kw_array(one, hw, "linear", cap_w_per_accelerator=cap_w, cap_kw_per_unit=cap_kw)[0])
    return hw.units_per_rack * unit + float(_addons_kw_array(one, hw)[0])


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
        return (f"above the {lo:g}-{hi:g} kW of air-cooled AI racks, {kw / AIR_CEILING_KW:.1f} x the "
                f"~{AIR_CEILING_KW:g} kW practical air-cooling ceiling and in the {LIQUID_AI_RACK_KW[0]:g}-"
                f"{LIQUID_AI_RACK_KW[1]:g} kW of liquid-cooled racks: in practice such a rack needs rear-door heat "
                "exchangers or liquid cooling, which the air plant modelled (CRAH + chiller + tower) does not "
                "include")
    lo, hi = LIQUID_AI_RACK_KW
    where = "within" if lo <= kw <= hi else "below" if kw < lo else "above"
    return f"{where} the {lo:g}-{hi:g} kW of liquid-cooled high-density AI racks"


def rack_density_table(site) -> pd.DataFrame:
    """One row per hardware type of ``site``'s fleet (phases with units), indexed by key: ``units_per_rack``,
    ``kw_per_rack`` (:func:`rack_kw` with the site's caps), ``unit_cooling`` (data/hardware.csv), ``plant``
    (the site's ``cooling.type``, the cooling the model gives every rack), ``label`` (what the figure counts
    and the reference range it is compared with) and ``note`` (where it sits in that range)."""
    fleet, _ = _as_fleet(site)
    plant = site.cooling.type
    rows = {}
    for ph, hw in zip(fleet.phases, _phase_hw(fleet)):
        if ph.count <= 0 or hw.key in rows:
            continue
        kw = rack_kw(hw, fleet)
        caps = " held to the fleet's power caps" if (fleet.cap_w_per_accelerator or fleet.cap_kw_per_unit) else ""
        what = (f"{hw.units_per_rack} x {hw.key} + rack gear" if hw.units_per_rack > 1 else f"{hw.key} + rack gear")
        label = (f"Rack density, {hw.key}: one full rack ({what}) at full utilisation{caps}, kW per rack, "
                 f"{plant}-cooled in the model; reference: {REFERENCE[plant]}")
        rows[hw.key] = {"units_per_rack": hw.units_per_rack, "kw_per_rack": kw, "unit_cooling": hw.cooling,
                        "plant": plant, "label": label, "note": _compare(kw, plant)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["units_per_rack", "kw_per_rack", "unit_cooling",
                                                                  "plant", "label", "note"])


def rack_density_notes(site) -> list[str]:
    """A sentence per hardware type of ``site``'s fleet: its kW per rack against the reference range of
    the cooling the model gives it (:func:`rack_density_table`), and that the plant model's PUE does not
    depend on it. ``[]`` for a fleet without units."""
    t = rack_density_table(site)
    out = []
    for key, r in t.iterrows():
        what = f"{r.units_per_rack} units + rack gear" if r.units_per_rack > 1 else "the rack + its gear"
        out.append(f"{key}: {r.kw_per_rack:.1f} kW per rack ({what} at full load), {r.plant}-cooled in the model: "
                   f"{r.note} (shared/reference-data.md s.2, unverified). The plant model counts cooling per kW of "
                   "heat whatever the density, so its PUE does not reflect it")
    return out
