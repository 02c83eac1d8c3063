"""Validate-time checks of a site's cooling plant against its own weather and stated figures.

* :func:`dew_point_site_warnings`: a loop's water below the room's dew point limit
  (:func:`dcplan.thermal_plant_checks.dew_point_warnings`, naming the site file);
* :func:`rejector_hours_warnings`: a liquid loop with no chiller (``trim_chiller`` false) that the plant
  model derates (:func:`liquid_rejector_hours`: its tower or dry cooler cannot hold even the W-class
  maximum) in more of the typical year's hours than a plant selected for the site's design condition
  leaves uncovered (:data:`UNCOVERED_SHARE_MAX`). The model lets the supply drift from its setpoint
  (class maximum - ``liquid_supply_margin_k``) up to the class maximum before it derates, so the warning
  counts the hours above the maximum, and gives the drift hours only as information: a W32 dry cooler
  at Phoenix at the design IT (1 / 1.1 of its design heat, approach 8 / 1.1 = 7.27 K) holds 32 degC up to
  24.7 degC dry bulb, and the year has 4,159 h above that (2,155 h at or above 32 degC, when no
  dry cooler of any size makes the water); a W32 tower at Miami drifts above 30 degC in 1,262 h but
  derates in only 2 (no warning);
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
           "liquid_rejector_hours", "design_pue_warning", "site_cooling_warnings"]

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


def _supply_water_degc(p: Any, t, load_frac, design_wb: float | None):
    """The water [degC] a chiller-free liquid loop's rejector makes at full airflow in each hour, carrying
    ``load_frac`` x its nameplate heat ``Qd`` (:mod:`dcplan.thermal_plant_loop`, "free-only capacity"): a
    dry cooler's ``To + A x``; a tower's ``To + Ahx + A(To, x)``, its Merkel approach, the tower selected at
    ``design_wb``. The model's supply is ``max(Ts, that)``; its capacity falls short of the load (it derates)
    where that is above the class maximum, or ``x > 1`` (the nameplate)."""
    from .thermal_plant_params import rejection_approach_k, tower_design
    a, hx = rejection_approach_k(p, p.heat_rejection)
    if p.heat_rejection == "dry":
        return t + a * load_frac
    from .thermal_tower_merkel import tower_approach_k
    return t + hx + tower_approach_k(t, load_frac, **tower_design(p, design_wb))


def _outdoor_limit_degc(p: Any, water_degc: float, load_frac: float, design_wb: float | None) -> float:
    """Outdoor temperature [degC] (dry bulb, or wet bulb for a tower) up to which the rejector at
    ``load_frac`` x its nameplate heat makes ``water_degc``: the root of :func:`_supply_water_degc` =
    ``water_degc`` (it rises with the outdoor temperature: a tower's approach widens by well under 1 K per
    K as the wet bulb falls), by bisection."""
    import numpy as np
    lo, hi = -60.0, float(water_degc)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if float(_supply_water_degc(p, np.array([mid]), load_frac, design_wb)[0]) > water_degc:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def liquid_rejector_hours(p: Any, weather, load_frac=None) -> dict | None:
    """What the plant model does, hour by hour, with a liquid loop that has no chiller (``p``: resolved
    :class:`~dcplan.thermal_plant_params.PlantParams`, ``type: liquid``, ``trim_chiller`` false; None
    otherwise) on ``weather``: its supply is the water its tower or dry cooler makes, never below the
    setpoint ``Ts`` (``liquid_supply_degc``), and it derates the IT only where even the W-class maximum
    ``Tmax`` (``liquid_max_degc``) cannot be held (:mod:`dcplan.thermal_plant_loop`: ``free_cap`` at
    ``t_max``). At the design IT in every hour the loop carries ``1 / (1 + margin_frac)`` of its nameplate.

    Returns ``n`` (hours), ``derate_h`` (hours the model derates at the design IT), ``drift_h`` (hours the
    supply is above ``Ts`` but within ``Tmax``: no derate), ``never_h`` (of ``derate_h``, hours the outdoor
    temperature, plus the plate HX's approach for a tower, is at or above ``Tmax``: no rejector of any size
    makes that water), ``limit_max_degc`` and ``limit_set_degc`` (the outdoor temperatures above which the
    loop derates / drifts at the design IT), ``design_wb_degc`` (the tower's selection wet bulb, None for a
    dry cooler), ``load_frac`` (``1 / (1 + margin_frac)``), and with ``load_frac`` given (the hour's IT over
    the design IT, array on ``weather``'s hours) ``derate_load_h``, the hours the model derates at that
    load (also where it is above the nameplate)."""
    import numpy as np

    from .thermal_plant_params import _chiller_design
    if p.type != "liquid" or p.trim_chiller:
        return None
    dry = p.heat_rejection == "dry"
    t = weather["temp_air" if dry else "temp_wet_bulb_degc"].to_numpy(float)
    design_wb = None
    if not dry:   # the tower is selected with the chillers, at the weather's design wet bulb
        design_wb = float(_chiller_design(p.values, weather["temp_air"].to_numpy(float), t,
                                          getattr(weather, "attrs", {}).get("ashrae_design"))["chiller_design_wb_degc"])
    x = 1.0 / (1.0 + p.values["margin_frac"])
    ts, tmax = p.liquid_supply_degc, p.liquid_max_degc
    hx = 0.0 if dry else p.values["hx_approach_k"]
    water = _supply_water_degc(p, t, x, design_wb) if len(t) else t
    derate = water > tmax
    out = {"n": len(t), "derate_h": int(derate.sum()), "drift_h": int(((water > ts) & ~derate).sum()),
           "never_h": int((t + hx >= tmax).sum()), "design_wb_degc": design_wb, "load_frac": x,
           "limit_max_degc": _outdoor_limit_degc(p, tmax, x, design_wb),
           "limit_set_degc": _outdoor_limit_degc(p, ts, x, design_wb)}
    if load_frac is not None:
        lf = np.asarray(load_frac, float) * x   # over the nameplate
        out["derate_load_h"] = int(((_supply_water_degc(p, t, lf, design_wb) > tmax) | (lf > 1.0 + 1e-12)).sum())
    return out


def rejector_hours_warnings(p: Any, weather, where: str = "", *, design_it_kw: float | None = None,
                            site_load=None) -> list[str]:
    """The warning for a liquid loop with no chiller (``p``: resolved
    :class:`~dcplan.thermal_plant_params.PlantParams`, ``type: liquid``, ``trim_chiller`` false) that the plant
    model derates at the design IT in more than :data:`UNCOVERED_SHARE_MAX` of ``weather``'s hours
    (:func:`liquid_rejector_hours`: its tower or dry cooler cannot hold even the W-class maximum there); ``[]``
    otherwise. It gives those hours, of them the hours no rejector of any size can make the water, and, as
    information, the hours the supply runs between its setpoint and the class maximum without a derate. Its
    advice (a trim chiller, a tower, a warmer class) comes only with such a derate. ``design_it_kw``: named in
    the text [kW]; ``site_load``: the site's hourly IT over its design IT on ``weather``'s hours (or a function
    returning it, called only when there is a warning): the hours the model derates at that load too."""
    h = liquid_rejector_hours(p, weather)
    if h is None or not h["n"] or h["derate_h"] <= UNCOVERED_SHARE_MAX * h["n"]:
        return []
    from .thermal_plant_params import W_CLASS_MAX_DEGC, rejection_approach_k
    n, dry = h["n"], p.heat_rejection == "dry"
    ts, tmax, cls = p.liquid_supply_degc, p.liquid_max_degc, p.liquid_class
    a, hx = rejection_approach_k(p, p.heat_rejection)
    rig, bulb = ("dry cooler", "dry bulb") if dry else ("cooling tower", "wet bulb")
    appr = (f"drycooler_approach_k {a:g} K" if dry else
            f"tower_approach_k {a:g} K at its {h['design_wb_degc']:.1f} degC design wet bulb (Merkel: wider in "
            f"cooler air), + hx_approach_k {hx:g} K")
    load = site_load() if callable(site_load) else site_load
    at_load = ""
    if load is not None:
        k = liquid_rejector_hours(p, weather, load)["derate_load_h"]
        at_load = f"; at the site's own hourly IT (every phase deployed, as site_analysis's derate_h) in {k:,} h"
    it = f" ({design_it_kw:,.0f} kW)" if design_it_kw else ""
    never = h["never_h"]
    fixes = ["a trim chiller (cooling.trim_chiller: true)"]
    if dry:
        fixes.append("a cooling tower (cooling.heat_rejection: tower; it evaporates water)")
    warmer = [c for c, x in W_CLASS_MAX_DEGC.items() if x > tmax]
    if warmer:
        fixes.append(f"a warmer loop (cooling.liquid_class {' or '.join(warmer[-2:])}, if the servers allow it)")
    if never < h["derate_h"]:   # (a larger rejector carries the same heat at a smaller approach)
        fixes.append(f"for the other {h['derate_h'] - never:,} h, a larger plant (margin_frac)")
    pre = f"{where}: " if where else ""
    return [f"{pre}cooling.heat_rejection: the {cls} liquid loop has no chiller (trim_chiller false), and its {rig} "
            f"({appr}) cannot hold even the {cls} class maximum, {tmax:g} degC, at the design IT{it} once the "
            f"{bulb} is above {h['limit_max_degc']:.1f} degC (the design IT is 1 / (1 + margin_frac "
            f"{p.values['margin_frac']:g}) of its design heat): the plant model derates the IT in {h['derate_h']:,} h "
            f"of the weather's {n:,} ({100 * h['derate_h'] / n:.1f} %), more than the {100 * UNCOVERED_SHARE_MAX:g} % "
            f"({UNCOVERED_SHARE_MAX * n:.0f} h) a plant selected for the site's design condition leaves uncovered"
            f"{at_load}; in {never:,} h of them the {bulb}" + ("" if dry else f" + {hx:g} K")
            + f" is at or above {tmax:g} degC itself, when no {rig} of any size can make the water; allowed: "
            f"{', or '.join(fixes)}. Information, not a derate: in {h['drift_h']:,} h more ({bulb} "
            f"{h['limit_set_degc']:.1f} to {h['limit_max_degc']:.1f} degC) the supply runs above its {ts:g} degC "
            "setpoint, within the class maximum"]


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
    checks name that), at its design IT and, when there is a warning, at its own hourly IT. The weather is
    loaded here with its loader's warnings held back (a time zone a neighbour of the station's, a far
    station): the site's weather checks issue those once (``dcplan validate`` said them twice)."""
    import warnings

    from .errors import DcplanWarning
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)
            w = load_site_weather(site)
    except (InputError, OSError, ValueError):
        return out
    from . import power
    try:
        design = float(power.fleet_design_it_kw(site))
    except (InputError, ValueError, KeyError):
        design = None

    def site_load():
        """The site's hourly IT over its design IT (as site_analysis's year: every phase deployed), or None."""
        if not design:
            return None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DcplanWarning)
                return power.site_it_kw(site, w.index, deployed="all").to_numpy(float) / design
        except (InputError, ValueError, KeyError):
            return None
    return out + rejector_hours_warnings(p, w, where=_where(site), design_it_kw=design, site_load=site_load)
