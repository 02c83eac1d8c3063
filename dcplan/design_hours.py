"""The two "worst hours" at full design IT that notebooks quote, and labels that say which is which.

* The **design hour** (:func:`dcplan.thermal.design_hour_pue`): full design IT on the site's
  ASHRAE-style design days (the 0.4 % dry-bulb and wet-bulb conditions,
  :func:`dcplan.thermal_design_day.design_conditions`), in their hour of highest PUE. The plant's
  chillers are selected for that condition (:func:`dcplan.thermal_plant_params.chiller_design_conditions`);
  ``site_analysis`` publishes its PUE and a site's stated ``cooling.design_pue`` is checked against it.
* The **typical year's worst hour** (:func:`typical_year_worst_hour`): full design IT through the
  plant in every hour of the typical weather year, in its hour of highest facility power. A 0.4 %
  condition is exceeded in about 35 hours of a year, so a typical year's hottest hours are usually
  harsher than the design days (Chicago's TMY3: wet bulb up to 26.9 degC against the 0.4 % design
  25.5 degC) and this hour draws more than the design hour. ``interconnection`` counts each GPU at it
  (``kw_per_gpu``): the most a GPU draws in any hour of the modelled year.

Neither sizes the grid contract: the contracted capacity is the site's own
(``interconnection.requested_mw`` and ``phases``), which the model checks the load against.

:func:`facility_peak_figures` publishes the two full-build-out facility peaks ``interconnection``
sets side by side: the hourly load's peak (``facility_peak_kw``: the typical year's highest hourly
mean at the fleet's own utilisation, what the capacity check counts) and the design figure
(``facility_design_kw``: design IT x the typical year's worst-hour PUE, what sizing counts).
"""
from __future__ import annotations


import pandas as pd

__all__ = ["typical_year_worst_hour", "design_hour_label", "worst_hour_label", "compare_words",
           "facility_peak_figures", "gpus_never_powered", "hour_text"]


def typical_year_worst_hour(design_it_kw: float, weather: pd.DataFrame, cooling=None, *,
                            electrical_chain=None) -> dict:
    """Full design IT [kW] through the plant (:func:`dcplan.thermal_plant.plant_hourly`) in every hour
    of ``weather``; its hour of highest facility power. ``electrical_chain``: the transformer/UPS/PDU
    chain of the losses (a site's ``electrical.stages()``, as :func:`dcplan.pipeline.run_site_year`
    runs it; default :data:`dcplan.power.DEFAULT_CHAIN`).

    Returns
    -------
    dict
        ``facility_kw`` [kW] and ``pue`` of that hour, ``hour`` (its label, interval end),
        ``temp_air_degc`` and ``temp_wet_bulb_degc`` [degC] there, and ``short`` (the plant cannot
        carry the design IT in that hour: its PUE counts cooling only for the heat it removes).
    """
    from .thermal_plant import plant_hourly
    h = plant_hourly(float(design_it_kw), weather, cooling, electrical_chain=electrical_chain)
    t = h["facility_kw"].idxmax()
    return {"facility_kw": float(h.loc[t, "facility_kw"]), "pue": float(h.loc[t, "pue"]), "hour": t,
            "temp_air_degc": float(weather.loc[t, "temp_air"]),
            "temp_wet_bulb_degc": float(weather.loc[t, "temp_wet_bulb_degc"]),
            "short": bool(h.loc[t, "derate_kw"] > 1e-9)}


def compare_words(worst_pue: float, design_pue: float) -> str:
    """``"higher"``, ``"lower"`` or ``"the same"`` (to 4 decimals): the typical year's worst hour
    against the design hour."""
    a, b = round(worst_pue, 4), round(design_pue, 4)
    return "higher" if a > b else "lower" if a < b else "the same"


def _design_day_text(design_hour: dict, weather: pd.DataFrame) -> str:
    from .thermal_design_day import design_conditions
    c = design_conditions(weather, basis=design_hour["basis"])
    day = ("dry-bulb day: %.1f °C dry bulb, %.1f °C coincident wet bulb" % (c["t_max_degc"], c["wb_coincident_degc"])
           if design_hour["basis"] == "dry_bulb" else
           "wet-bulb day: %.1f °C wet bulb, %.1f °C coincident dry bulb" % (c["wb_coincident_degc"], c["t_max_degc"]))
    return f"hour ending {design_hour['hour_ending']:d}:00 of the {c['source']} {day}"


def hour_text(worst: dict) -> str:
    """Which hour ``worst`` (:func:`typical_year_worst_hour`) is, in words: its label (interval end) on
    the site's clock with that clock's UTC offset then (daylight saving where the zone keeps it; the
    cooling_lag notebook gives hours in local standard time, so one hour reads an hour apart there), and
    its dry-bulb and wet-bulb temperatures."""
    h = pd.Timestamp(worst["hour"])
    off = "" if h.tzinfo is None else f"local clock, UTC{h.utcoffset().total_seconds() / 3600:+g} h; "
    return (f"{h:%Y-%m-%d %H:%M} ({off}interval end), {worst['temp_air_degc']:.1f} °C dry bulb, "
            f"{worst['temp_wet_bulb_degc']:.1f} °C wet bulb")


def design_hour_label(design_hour: dict, worst: dict, weather: pd.DataFrame) -> str:
    """The label of the design-hour PUE (``site_analysis``): which hour it is, the condition the plant
    is selected for, and the typical year's own worst hour beside it (its PUE, higher or lower)."""
    return (f"Design-hour PUE (full design IT in the worst hour of the site's design days: "
            f"{_design_day_text(design_hour, weather)}; the plant's chillers are selected for the harsher of this "
            "condition and their AHRI rating point. "
            f"The typical year's own worst hour at full design IT, {hour_text(worst)}, is "
            f"{compare_words(worst['pue'], design_hour['pue'])}: PUE {worst['pue']:.4f}")


def worst_hour_label(worst: dict, design_hour: dict, weather: pd.DataFrame) -> str:
    """The label of ``kw_per_gpu`` (``interconnection``): facility power per GPU at full design IT in
    the typical year's worst hour, which hour, its PUE, and the design hour's beside it."""
    w = compare_words(worst["pue"], design_hour["pue"])
    return (f"Facility power per GPU at full design IT in the typical year's worst hour ({hour_text(worst)}; "
            f"PUE {worst['pue']:.4f}, {w + ' than' if w != 'the same' else 'the same as'} the design hour's "
            f"{design_hour['pue']:.4f}: the {_design_day_text(design_hour, weather)}, the plant's design condition "
            "with its chillers' AHRI rating point)")


def gpus_never_powered(contracted_mw: float, kw_per_gpu: float, n_gpus: int, gpus_per_unit: int = 1) -> int:
    """GPUs a contracted capacity ``contracted_mw`` [MW] never powers when each draws ``kw_per_gpu`` [kW]
    (facility power per GPU at full design IT in the typical year's worst hour,
    :func:`typical_year_worst_hour` / GPUs), powered in whole units of ``gpus_per_unit`` GPUs (a rack or
    server, :func:`dcplan.grid_ramp.power_unit_gpus`):
    ``max(0, n_gpus - u floor(1000 contracted_mw / (kw_per_gpu u)))``, the ``interconnection`` notebook's
    ``gpus_never_powered`` (a shortfall, not a wait). 0 without GPUs.

    >>> gpus_never_powered(17.0, 18_516.5 / 9_216, 9_216)   # 17,000 / 2.00917 = 8,461.2 powered
    755
    >>> gpus_never_powered(17.0, 18_516.5 / 9_216, 9_216, 72)   # 117 whole NVL72 racks = 8,424 powered
    792
    """
    if n_gpus <= 0 or kw_per_gpu <= 0:
        return 0
    from .grid_ramp import whole_units_gpus
    powered = int(whole_units_gpus(float(contracted_mw) * 1000.0, float(kw_per_gpu), int(gpus_per_unit)))
    return max(0, int(n_gpus) - powered)


def facility_peak_figures(facility_kw: pd.Series, it_kw: pd.Series, worst: dict, design_it_kw: float,
                          n_gpus: int, fleet) -> dict:
    """The two full-build-out facility peaks ``interconnection`` publishes, each labelled with what it
    counts and which figures use it, as ``{key: (value, unit, label)}``.

    * ``facility_peak_kw``: the highest hour of ``facility_kw`` [kW], the site chain's hourly load (hourly
      means of the modelled load at the fleet's own utilisation, full build-out, typical year): what
      the capacity check and ``hours_over_first_stage_h`` count.
    * ``facility_design_kw``: ``worst["facility_kw"]`` [kW] (:func:`typical_year_worst_hour`): design IT
      x the typical year's worst-hour PUE, ``kw_per_gpu`` x the GPUs: what sizing counts (the ramp's
      GPUs powered, ``gpus_never_powered``, the tco notebook's grid capacity, offpeak_scheduling's site cap).

    ``it_kw`` [kW] is the hourly IT load behind ``facility_kw``; ``fleet`` the site's ``fleet:`` section
    (its ``workload`` and ``utilisation_frac``, said in the label).
    """
    peak, design = float(facility_kw.max()), float(worst["facility_kw"])
    gap = design - peak   # each label gives the gap as a share of the figure it is compared with
    of_design, of_peak = (abs(gap) / design if design > 0 else 0.0), (abs(gap) / peak if peak > 0 else 0.0)
    side = "above" if gap >= 0 else "below"
    short = ("; the plant is short in that hour, so this counts cooling only for the heat it removes"
             if worst["short"] else "")
    return {
        "facility_peak_kw": (peak, "kW", (
            "Peak facility power of the modelled hourly load (full build-out, typical year): the highest hourly "
            f"mean at the fleet's own utilisation ({fleet.workload} workload, mean utilisation "
            f"{fleet.utilisation_frac:.0%}; IT up to {float(it_kw.max()):,.0f} kW of the {design_it_kw:,.0f} kW design "
            f"IT), {abs(gap):,.0f} kW ({of_design:.0%}) {'below' if side == 'above' else 'above'} facility_design_kw; "
            "what the capacity check and hours_over_first_stage_h count (within an hour the 1-s load swings above "
            "its hourly mean: rack_power shows it at 1 s in the IT load's peak hour)")),
        "facility_design_kw": (design, "kW", (
            f"Design facility power (full build-out): design IT {design_it_kw:,.0f} kW x the typical year's "
            f"worst-hour PUE {worst['pue']:.4f} ({hour_text(worst)}){short}, = kw_per_gpu x {n_gpus:,} GPUs; what "
            "sizing counts: the ramp's GPUs powered, gpus_never_powered, the tco notebook's grid capacity and "
            "offpeak_scheduling's site cap; the typical year's worst hour is about an average year's peak, not a "
            f"design extreme (site_climate's extreme_year_shortfall_kw); {abs(gap):,.0f} kW ({of_peak:.0%}) {side} "
            "facility_peak_kw")),
    }
