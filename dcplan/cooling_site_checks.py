"""Validate-time checks of a site's cooling plant against its own weather and stated figures.

* :func:`dew_point_site_warnings`: a loop's water below the room's dew point limit
  (:func:`dcplan.thermal_plant_checks.dew_point_warnings`, naming the site file);
* :func:`rejector_hours_warnings`: a liquid loop with no chiller (``trim_chiller`` false) whose
  tower or dry cooler cannot make the loop's supply in more of the typical year's hours than a plant
  selected for the site's design condition leaves uncovered (:data:`UNCOVERED_SHARE_MAX`): a W32 dry
  cooler at Phoenix makes 30 degC water only at dry bulb <= 22 degC (30 - 8 K approach) at full design
  heat, and 2,154 h of the year are above 32 degC, when no dry cooler of any size can make it;
* :func:`design_pue_warning`: a stated ``cooling.design_pue`` far below the plant's own design-hour
  PUE (the connection request it was planned with leaves out the difference).

:func:`site_cooling_warnings` gathers the first two for ``dcplan validate``
(``dcplan.site_plausibility.site_warnings`` calls it); the site_analysis notebook issues the third,
where the design hour is computed.
"""
from __future__ import annotations

from typing import Any

from .errors import InputError

__all__ = ["UNCOVERED_SHARE_MAX", "DESIGN_PUE_TOLERANCE", "dew_point_site_warnings", "rejector_hours_warnings",
           "design_pue_warning", "site_cooling_warnings"]

#: Share of the year's hours a plant may leave above its design condition: ASHRAE's annual 0.4 %
#: design condition (Handbook of Fundamentals ch. 14), the condition the plant model selects its
#: chillers for (:func:`dcplan.thermal.chiller_design_conditions`): 35 h of 8,760. [frac]
UNCOVERED_SHARE_MAX = 0.004

#: A stated design PUE more than this below the plant's design-hour PUE is warned (dcplan's
#: tolerance: the design-hour PUE of the bundled plants moves by ~0.01-0.02 between the weather's
#: design days, so 0.05 is a gap of a different plant, not of rounding). [-]
DESIGN_PUE_TOLERANCE = 0.05


def _where(site) -> str:
    return site.source_file or f"site {site.id!r}"


def dew_point_site_warnings(site) -> list[str]:
    """:func:`dcplan.thermal_plant_checks.dew_point_warnings` of the site's plant, naming its file."""
    from .thermal_plant_checks import dew_point_warnings
    from .thermal_plant_params import plant_params
    try:
        p = plant_params(site.cooling)
    except InputError:
        return []   # (refused where the site loads)
    return dew_point_warnings(p, where=_where(site))


def rejector_hours_warnings(p: Any, weather, where: str = "") -> list[str]:
    """The warning for a liquid loop with no chiller (``p``: resolved
    :class:`~dcplan.thermal_plant_params.PlantParams`, ``type: liquid``, ``trim_chiller`` false) whose
    heat rejector cannot hold the loop's supply at full design heat in more than
    :data:`UNCOVERED_SHARE_MAX` of ``weather``'s hours: the hours the outdoor dry bulb (dry cooler) or wet
    bulb (tower) is above the rejector's limit (:func:`dcplan.thermal_plant_params.rejector_limit_degc`, as
    :func:`dcplan.thermal.free_cooling_limits`: a dry cooler's ``supply - approach``; a tower's Merkel
    approach at the limit's wet bulb, the tower selected at the chillers' design wet bulb of ``weather``),
    and of them the hours the outdoor temperature (plus the plate heat exchanger's approach) is at or above
    the supply itself, when no rejector of any size can make the water. ``[]`` otherwise."""
    from .thermal_plant_params import W_CLASS_MAX_DEGC, _chiller_design, rejector_limit_degc
    if p.type != "liquid" or p.trim_chiller:
        return []
    dry = p.heat_rejection == "dry"
    t = weather["temp_air" if dry else "temp_wet_bulb_degc"].to_numpy(float)
    n = len(t)
    if not n:
        return []
    design_wb = None
    if not dry:   # the tower is selected with the chillers, at the weather's design wet bulb
        design_wb = _chiller_design(p.values, weather["temp_air"].to_numpy(float), t,
                                    getattr(weather, "attrs", {}).get("ashrae_design"))["chiller_design_wb_degc"]
    limit, a, hx = rejector_limit_degc(p, p.heat_rejection, p.liquid_supply_degc, design_wb)
    above = int((t > limit).sum())
    if above <= UNCOVERED_SHARE_MAX * n:
        return []
    never = int((t + hx >= p.liquid_supply_degc).sum())
    rig, bulb = ("dry cooler", "dry bulb") if dry else ("cooling tower", "wet bulb")
    appr = (f"drycooler_approach_k {a:g} K" if dry else
            f"tower_approach_k {p.values['tower_approach_k']:g} K at {design_wb:g} degC wet bulb, {a:.2f} K at the "
            f"limit (Merkel), + hx_approach_k {hx:g} K")
    warmer = [c for c, x in W_CLASS_MAX_DEGC.items() if x > p.liquid_max_degc]
    fixes = ["a trim chiller (cooling.trim_chiller: true)"]
    if dry:
        fixes.append("a cooling tower (cooling.heat_rejection: tower; it evaporates water)")
    if warmer:
        fixes.append(f"a warmer loop (cooling.liquid_class {' or '.join(warmer[-2:])}, if the servers allow it)")
    pre = f"{where}: " if where else ""
    return [f"{pre}cooling.heat_rejection: the {p.liquid_class} liquid loop has no chiller (trim_chiller false), and "
            f"its {rig} ({appr}) holds the {p.liquid_supply_degc:g} degC supply at full design heat only at {bulb} <= "
            f"{limit:.4g} degC: {above:,} h of the weather's {n:,} ({100 * above / n:.1f} %) are above that, more than "
            f"the {100 * UNCOVERED_SHARE_MAX:g} % ({UNCOVERED_SHARE_MAX * n:.0f} h) a plant selected for the site's "
            f"design condition leaves uncovered; in {never:,} h the {bulb}"
            + ("" if dry else f" + {hx:g} K") + f" is at or above the {p.liquid_supply_degc:g} degC supply itself, "
            f"when no {rig} of any size can make the water. The plant model derates the IT in such hours (fewer at "
            "part load, where the approach is smaller: site_analysis's derate_h); a larger plant (margin_frac, "
            f"design_it_kw) does not help there; allowed: {', or '.join(fixes)}"]


def design_pue_warning(stated: float | None, plant_pue: float, design_it_kw: float, where: str = "",
                       short_kw: float = 0.0) -> str | None:
    """The warning for a stated ``cooling.design_pue`` more than :data:`DESIGN_PUE_TOLERANCE` below the
    plant's design-hour PUE ``plant_pue`` (:func:`dcplan.thermal.design_hour_pue`): the field, its
    value, the plant's figure and the facility kW the stated figure leaves out of a connection request
    sized on it, ``(plant_pue - stated) x design_it_kw`` [kW]; None when not (or nothing stated).
    ``short_kw``: design IT the plant cannot carry on its design days (its PUE then counts cooling only
    for the heat removed, so the gap is larger still)."""
    if stated is None or not stated < plant_pue - DESIGN_PUE_TOLERANCE:
        return None
    gap_kw = (plant_pue - stated) * design_it_kw
    pre = f"{where}: " if where else ""
    return (f"{pre}cooling.design_pue {stated:g} is {plant_pue - stated:.3f} below the plant's design-hour PUE "
            f"{plant_pue:.3f} (full design IT on the site's design days, dcplan.thermal.design_hour_pue): at the "
            f"{design_it_kw:,.0f} kW design IT a connection request sized on it leaves out {gap_kw:,.0f} kW of "
            "facility power" + (f" (more still: the plant is {short_kw:,.0f} kW short on its design days, and its "
                                "PUE counts cooling only for the heat it removes)" if short_kw > 0 else "")
            + f"; allowed: a design_pue within {DESIGN_PUE_TOLERANCE:g} of the plant's, or a plant that reaches the "
            "stated figure")


def site_cooling_warnings(site) -> list[str]:
    """Every validate-time cooling warning of ``site``: :func:`dew_point_site_warnings` and
    :func:`rejector_hours_warnings` on its weather (none when the weather cannot be read: the weather
    checks name that)."""
    from .thermal_plant_params import plant_params
    out = dew_point_site_warnings(site)
    try:
        p = plant_params(site.cooling)
    except InputError:
        return out
    if p.type != "liquid" or p.trim_chiller:
        return out
    from .weather import load_site_weather
    try:
        w = load_site_weather(site)
    except (InputError, OSError, ValueError):
        return out
    return out + rejector_hours_warnings(p, w, where=_where(site))
