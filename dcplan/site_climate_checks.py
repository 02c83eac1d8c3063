"""Validate-time checks of a site's plant and PV against its climate's freezing hours.

* :func:`tower_freeze_warnings`: a cooling tower on the plant's first loop (a liquid plant's
  facility-water loop, else the air loop) in a climate with more than :data:`FREEZE_HOURS_SHARE` of
  the year's hours at a wet bulb below 0 degC, where a dry cooler on that loop would hold its supply
  with no compressor in all but that share of the hours too: the tower then buys almost no hour a dry
  cooler does not give, while it evaporates water all year and needs freeze protection the model
  leaves out (Sand Point, AK's default W32 liquid plant: 2,375 h of wet bulb below 0 degC, and a dry
  cooler holds its 30 degC supply in 8,760 h). A tower the climate's warm hours need (Chicago's air
  plant, whose chilled water a dry cooler cannot make in summer) is not warned: the site_analysis
  labels (:func:`tower_freeze_clause`) and site_climate's freeze note say what is not modelled there;
* :func:`tower_freeze_clause`: that clause for the water, WUE and PUE labels of any plant with a
  tower loop in such a climate;
* :func:`snow_clause`: the PV yield's caveat (no snow model) when the site's array sees more than
  :data:`FREEZE_HOURS_SHARE` of the year's hours below 0 degC dry bulb.

``dcplan.site_plausibility.site_warnings`` calls :func:`tower_freeze_warnings` (``dcplan validate``
and ``dcplan render``).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import DcplanWarning, InputError

__all__ = ["FREEZE_HOURS_SHARE", "freeze_figures", "tower_freeze_warnings", "tower_freeze_clause", "snow_clause"]

#: A climate with more than this share of the year's hours below 0 degC (35 h of 8,760) counts as
#: freezing: ASHRAE's annual 99.6 % heating design condition (Handbook of Fundamentals 2017 ch. 14)
#: leaves the coldest 0.4 % of hours out of a plant's design, so at more than 0.4 % of hours below 0 degC
#: the design condition itself is below freezing and freeze protection is part of the plant's design.
#: The same share as :data:`dcplan.cooling_site_checks.UNCOVERED_SHARE_MAX` (the 0.4 % cooling condition),
#: which also bounds the hours a dry cooler may leave uncovered here. Phoenix's 20 h of wet bulb below
#: 0 degC are under it. [frac]
FREEZE_HOURS_SHARE = 0.004

#: Months a snow season can reach, said in the snow clause (month numbers -> names). [-]
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _where(site) -> str:
    return site.source_file or f"site {site.id!r}"


def freeze_figures(site, weather: pd.DataFrame | None = None) -> dict | None:
    """The freezing hours of the site's typical year and what its plant's loops reject to.

    Returns ``{"hours_h", "wetbulb_below_0_h", "drybulb_below_0_h", "wetbulb_below_m10_h",
    "tower_loops" (loop names rejecting to a tower, liquid first), "first_loop", "first_supply_degc",
    "dry_alt_h" (hours a dry cooler on the first loop holds its supply at full design heat, the
    site_climate what-if; None when the first loop is already dry or has no free path), "freezing"
    (wet bulb below 0 degC in more than :data:`FREEZE_HOURS_SHARE` of the hours)}``, or None when the
    weather or the plant does not read (problems of their own). ``weather``: the site's hourly frame
    (:func:`dcplan.pipeline.site_weather`), read when not given."""
    from . import thermal, weather as wx
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)
            if weather is None:
                from .pipeline import site_weather
                weather = site_weather(site, copy=False)
            tower_wb = thermal.chiller_design_conditions(weather, site.cooling)["chiller_design_wb_degc"]
            limits = thermal.free_cooling_limits(site.cooling, chiller_design_wb_degc=tower_wb)
            first = next(iter(limits))
            own = limits[first]
            dry_alt_h = None
            if own["wet"] and own["free_path"]:
                alt = thermal.free_cooling_limits(site.cooling, rejection="dry",
                                                  chiller_design_wb_degc=tower_wb)[first]
                dry_alt_h = float(wx.free_cooling_hours(weather, alt["supply_degc"], alt["approach_k"], wet=False))
            frz = wx.freezing_hours(weather)
    except (InputError, KeyError, ValueError):
        return None
    step_h = pd.Timedelta(weather.index.freq or "h").total_seconds() / 3600.0
    hours_h = float(len(weather) * step_h)
    wb = weather["temp_wet_bulb_degc"].to_numpy(dtype=float)
    return {"hours_h": hours_h, "wetbulb_below_0_h": frz["wetbulb_below_0_h"],
            "drybulb_below_0_h": frz["drybulb_below_0_h"],
            "wetbulb_below_m10_h": float(np.sum(wb < -10.0) * step_h),
            "tower_loops": [k for k, v in limits.items() if v["rejection"] == "tower"],
            "first_loop": first, "first_supply_degc": float(own["supply_degc"]), "dry_alt_h": dry_alt_h,
            "freezing": frz["wetbulb_below_0_h"] > FREEZE_HOURS_SHARE * hours_h}


def _loops_text(loops) -> str:
    names = {"liquid": "the liquid loop's", "air": "the air (CRAH) loop's"}
    return " and ".join(names[k] for k in loops) + (" cooling towers" if len(loops) > 1 else " cooling tower")


def tower_freeze_clause(figs: dict | None) -> str:
    """``"; <loops' towers> run in N h of wet bulb below 0 °C ..."``: what the plant model leaves out
    there (freeze protection: basin heaters, an indoor sump, a fill bypass; their energy and water; below
    -10 °C the tower table's coldest wet bulb), for the water, WUE and PUE labels; "" when the plant has
    no tower loop or the climate is not freezing (:func:`freeze_figures`)."""
    if not figs or not figs["tower_loops"] or not figs["freezing"]:
        return ""
    return (f"; {_loops_text(figs['tower_loops'])} run in {figs['wetbulb_below_0_h']:,.0f} h of wet bulb below 0 °C "
            "(freeze protection needed: basin heaters, an indoor sump, a fill bypass; its energy and water are not "
            "modelled: the model runs the tower, with its evaporation, as in any other hour"
            + (f", at about -10 °C's approach in the {figs['wetbulb_below_m10_h']:,.0f} h below about -10 °C"
               if figs["wetbulb_below_m10_h"] > 0 else "") + ")")


def tower_freeze_warnings(site, weather: pd.DataFrame | None = None) -> list[str]:
    """The warning for a site whose plant's first loop rejects to a cooling tower in a freezing climate
    (:func:`freeze_figures` ``freezing``) where a dry cooler on that loop would hold its supply with no
    compressor in at least ``1 - FREEZE_HOURS_SHARE`` of the hours: the tower's water, WUE and PUE are
    then the figures of a plant the climate does not call for, with its freeze protection left out.
    Empty otherwise (see the module docstring)."""
    figs = freeze_figures(site, weather)
    if not figs or not figs["freezing"] or figs["first_loop"] not in figs["tower_loops"]:
        return []
    alt, hours = figs["dry_alt_h"], figs["hours_h"]
    if alt is None or alt < (1.0 - FREEZE_HOURS_SHARE) * hours:
        return []
    field = "cooling.heat_rejection" if figs["first_loop"] == "liquid" else "cooling.air_heat_rejection"
    given = "cooling" in site.model_fields_set and field.split(".")[1] in site.cooling.model_fields_set
    chosen = ("set in the file" if given else "the default: the file has no cooling: section"
              if "cooling" not in site.model_fields_set else "the default")
    dry = ("{type: liquid, heat_rejection: dry, air_heat_rejection: dry}" if figs["first_loop"] == "liquid"
           else "air_heat_rejection: dry")
    return [f"{_where(site)}: {field}: {_loops_text(figs['tower_loops'])} ({chosen}) reject heat in a climate "
            f"with {figs['wetbulb_below_0_h']:,.0f} h of wet bulb below 0 °C and {figs['drybulb_below_0_h']:,.0f} h of "
            f"dry bulb below 0 °C in the typical year (more than {100 * FREEZE_HOURS_SHARE:g} % of its hours, "
            f"{FREEZE_HOURS_SHARE * hours:,.0f} h: ASHRAE's 99.6 % heating design condition is below freezing): an open "
            "tower needs freeze protection there (basin heaters, an indoor sump, a fill bypass), whose energy and "
            "water are not modelled, and it evaporates water all year (site_analysis's water_m3 and WUE), while a "
            f"dry cooler on the {figs['first_loop']} loop holds its {figs['first_supply_degc']:g} °C supply with no "
            f"compressor in {alt:,.0f} of the {hours:,.0f} h (site_climate's what-if) with no water and no freezing "
            f"basin; allowed: keep the tower if the site needs it, or compare cooling: {dry}"]


def snow_clause(site, weather: pd.DataFrame) -> str:
    """``"; no snow model: ..."`` for the PV yield's labels when the site has PV and more than
    :data:`FREEZE_HOURS_SHARE` of the typical year's hours below 0 °C dry bulb (snow can lie on the array
    in those months; the weather files carry no snowfall the model could use), naming the hours and the
    months they fall in; "" otherwise. Snow losses are site-specific and vary widely (Marion et al.,
    "Measured and modeled photovoltaic system energy losses from snow for Colorado and Wisconsin
    locations", Solar Energy 97, 2013, the model of ``pvlib.snow``, needs hourly snowfall); the clause
    gives no figure of them."""
    if site.solar is None or not float(site.solar.dc_kw) > 0:
        return ""
    step_h = pd.Timedelta(weather.index.freq or "h").total_seconds() / 3600.0
    cold = weather["temp_air"] < 0.0
    below_h = float(cold.sum() * step_h)
    if not below_h > FREEZE_HOURS_SHARE * len(weather) * step_h:
        return ""
    # hour-ending stamps: the hour ending at midnight belongs to the day before
    by_month = cold.groupby((weather.index - pd.Timedelta(hours=step_h)).month).sum() * step_h
    months = [_MONTHS[m - 1] for m, h in by_month.items() if h > 0]
    return (f"; no snow model: {below_h:,.0f} h of the typical year are below 0 °C dry bulb ({', '.join(months)}), when "
            "snow can cover the array, and its losses are not counted (pvlib.snow's model, Marion et al. 2013, needs "
            "hourly snowfall, which the weather file does not give), so the yield reads high by an unknown amount")
