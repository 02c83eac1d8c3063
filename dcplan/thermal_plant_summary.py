"""Annual figures of :func:`dcplan.thermal_plant.plant_hourly`'s hourly frame (part of :mod:`dcplan.thermal_plant`,
which re-exports them): :func:`annual_pue`, :func:`derate_hours`, :func:`plant_summary` and
:func:`site_cooling_summary`.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .thermal_plant_params import ASHRAE_AIR_CLASSES, W_CLASS_MAX_DEGC, plant_params

__all__ = ["annual_pue", "derate_hours", "plant_summary", "site_cooling_summary", "water_split_m3"]


def annual_pue(hourly: pd.DataFrame) -> float:
    """Energy-weighted PUE: ``sum(facility_kw) / sum(it_kw)`` over equal hourly steps."""
    return float(hourly["facility_kw"].sum() / hourly["it_kw"].sum())


def derate_hours(hourly: pd.DataFrame) -> pd.DataFrame:
    """Hours in which the plant cannot remove the full IT heat.

    Returns the rows of :func:`plant_hourly` with ``derate_kw > 0`` (columns
    ``it_kw``, ``capacity_it_kw``, ``derate_kw``, ``throttle_frac``, ``throttled_overload_kw``
    (when the frame has it), ``temp_inlet_degc``, ``temp_liquid_supply_degc``); ``len()`` is the count.
    """
    cols = ["it_kw", "capacity_it_kw", "derate_kw", "throttle_frac", "throttled_overload_kw", "temp_inlet_degc",
            "temp_liquid_supply_degc"]
    cols = [c for c in cols if c in hourly.columns]   # (a frame saved before throttled_overload_kw)
    return hourly.loc[hourly["derate_kw"] > 1e-9, cols]


def water_split_m3(water_m3: float, cycles: float) -> dict[str, float]:
    """A cooling tower's make-up water split into what it evaporates and what it blows down.

    The plant counts make-up = evaporation ``E`` + blowdown ``E / (cycles - 1)``
    (:mod:`dcplan.thermal_water`, EnergyPlus *ConcentrationRatio*; drift not counted), so of
    ``water_m3`` the share ``(cycles - 1) / cycles`` evaporates and ``1 / cycles`` is blown down;
    one ``cycles`` (``tower_cycles``) for every tower of the plant, so the split holds for the
    year as for each hour. For a disclosure (GRI 303-3/4/5, CDP water): withdrawal = ``water_m3``
    (the make-up), consumption = evaporated, discharge = blowdown.

    Parameters
    ----------
    water_m3 : float
        Make-up water (evaporation + blowdown). [m3]
    cycles : float
        Cycles of concentration, >= 2 (the plant's ``tower_cycles``). [-]

    Returns
    -------
    dict
        ``water_evaporated_m3`` and ``water_blowdown_m3`` [m3]; the blowdown is ``water_m3`` less
        the evaporation, so the two add up to ``water_m3`` (to float rounding).

    Examples
    --------
    >>> water_split_m3(100.0, 4.0)
    {'water_evaporated_m3': 75.0, 'water_blowdown_m3': 25.0}
    """
    if not (np.isfinite(cycles) and cycles >= 2.0):
        raise ValueError(f"tower_cycles must be >= 2 cycles of concentration, got {cycles!r}")
    evaporated = water_m3 * (cycles - 1.0) / cycles
    return {"water_evaporated_m3": evaporated, "water_blowdown_m3": water_m3 - evaporated}


def _tower_cycles(rec: dict, cooling: Any) -> float:
    # the cycles the plant ran with (plant_hourly records them, overrides included), else the cooling's
    if "tower_cycles" in rec:
        return float(rec["tower_cycles"])
    return float(plant_params(cooling).values["tower_cycles"])


def plant_summary(hourly: pd.DataFrame, cooling: Any = None) -> dict[str, float]:
    """Annual figures from :func:`plant_hourly` output.

    The ASHRAE air and liquid classes for the hours-outside-envelope counts come
    from ``cooling`` if given, else from the plant :func:`plant_hourly` recorded in
    ``hourly.attrs["plant"]``, else from the default spec.

    Returns
    -------
    dict
        ``annual_pue``, ``ppue_cooling``, ``itue``, ``tue`` (= PUE x ITUE),
        ``loaded_h`` (hours with IT load; the hour counts below are of those hours only, so
        a fleet deployed part-way through the year does not count its empty hours as free
        cooling or inside the envelope), ``free_cooling_h`` (hours with no compressor running
        anywhere in the plant: every loop's chiller off, a liquid plant's air-loop chiller
        included; at least the hours that pass the climate screen (:func:`free_cooling_limits`, with
        ``chiller_design_wb_degc`` the weather's: the plant's Merkel tower) of every loop with a chiller,
        while the IT load is within the design: for the air loop
        the wet bulb with ``air_heat_rejection: tower``, the dry bulb with ``dry``),
        ``partial_economizer_h``, ``derate_h``, ``throttled_frac`` (IT-energy-weighted share of GPU time
        throttled for lack of hourly plant capacity: only hours whose capacity is below the hour's IT load;
        throttling by the cooling control lag within an hour is not in it, see
        :mod:`dcplan.thermal_dynamics`; every GPU counts as throttled in an hour whose capacity is
        below even the fully throttled hall), ``throttled_overload_h`` (hours with
        ``throttled_overload_kw > 0``: capacity below the fully throttled hall, so throttling cannot
        shed all of ``derate_kw``) and ``throttled_overload_kwh`` (the heat throttling cannot shed,
        summed), ``hours_outside_recommended_h``, ``hours_outside_allowable_h``,
        ``liquid_over_class_h``, ``water_m3`` (evaporation and blowdown of every loop that
        rejects to a cooling tower: 0 when ``heat_rejection`` (liquid plants) and
        ``air_heat_rejection`` are both ``dry``; drift not counted) and its split
        (:func:`water_split_m3`): ``water_evaporated_m3`` (consumption, GRI 303-5) and
        ``water_blowdown_m3`` (discharge, GRI 303-4), their sum ``water_m3``, ``wue_l_per_kwh`` (site WUE: water per
        IT kWh), ``it_kwh``, ``cooling_kwh``, ``facility_kwh``, ``peak_facility_kw``,
        ``peak_cooling_kw``; ``chiller_cop_cap_h`` (loaded hours in which some chiller runs at its COP cap
        ``chiller_cop_max``, an estimate: the plant's power in those hours rests on it; 0 for a frame
        without ``chiller_cop_at_cap``), ``chiller_cop_cap_energy_frac`` (those chillers' share of the
        year's chiller energy, ``sum(chiller_at_cop_cap_kw) / sum(chiller_kw)``; 0 with no chiller
        energy) and ``chiller_cop_max`` (the cap the plant ran with; NaN if unrecorded)
        (:mod:`dcplan.thermal_chiller_cop`).

    Raises
    ------
    InputError
        ``it_kw`` 0 in every hour (no figure is defined).
    """
    h = hourly
    if not (h["it_kw"] > 0).any():  # every ratio below divides by the IT energy: NaN and numpy warnings
        raise InputError(f"it_kw is 0 kW in every one of the {len(h):,} hours ({h.index[0]} .. {h.index[-1]}): "
                         "no IT load, so PUE, ITUE and WUE are undefined; a fleet whose phases start after these "
                         "hours (site_it_kw's default deployed='dated') draws nothing: pass deployed='all' for a "
                         "full build-out year", field="hourly.it_kw")
    rec = h.attrs.get("plant") or {}
    if cooling is None and "ashrae_class" in rec:   # the plant plant_hourly recorded
        ashrae_class, liquid_class = rec["ashrae_class"], rec.get("liquid_class")
    else:
        p = plant_params(cooling)
        ashrae_class, liquid_class = p.ashrae_class, p.liquid_class
    step_h = rec.get("step_h", 1.0)
    it_kwh = float(h["it_kw"].sum() * step_h)   # hourly means x 1 h
    rec_lo, rec_hi, al_lo, al_hi = ASHRAE_AIR_CLASSES[ashrae_class]
    loaded = h["it_kw"] > 0   # an hour without IT load is neither cooled for free nor out of envelope
    tin = h["temp_inlet_degc"].where(loaded)
    econ = h["economizer_frac"]
    liq = h["temp_liquid_supply_degc"].where(loaded)
    ov = h["throttled_overload_kw"] if "throttled_overload_kw" in h else pd.Series(0.0, index=h.index)
    return {
        "annual_pue": annual_pue(h),
        "ppue_cooling": float((h["it_kw"].sum() + h["cooling_kw"].sum()) / h["it_kw"].sum()),
        "itue": float(h["it_kw"].sum() / h["compute_kw"].sum()),
        "tue": float(h["facility_kw"].sum() / h["compute_kw"].sum()),
        "loaded_h": int(loaded.sum()),
        "free_cooling_h": int(h["free_cooling"].sum()),
        "partial_economizer_h": int(((econ > 1e-9) & ~h["free_cooling"] & loaded).sum()),
        "derate_h": int((h["derate_kw"] > 1e-9).sum()),
        "throttled_frac": float((h["throttle_frac"] * h["it_kw"]).sum() / h["it_kw"].sum()),
        "throttled_overload_h": int((ov > 1e-9).sum()),
        "throttled_overload_kwh": float(ov.sum() * step_h),
        "hours_outside_recommended_h": int(((tin < rec_lo) | (tin > rec_hi)).sum()),
        "hours_outside_allowable_h": int(((tin < al_lo) | (tin > al_hi)).sum()),
        "liquid_over_class_h": int((liq > W_CLASS_MAX_DEGC.get(liquid_class or "", np.inf)).sum()),
        "water_m3": float(h["water_l"].sum() / 1000.0),
        **water_split_m3(float(h["water_l"].sum() / 1000.0), _tower_cycles(rec, cooling)),
        "wue_l_per_kwh": float(h["water_l"].sum() / it_kwh),
        "it_kwh": it_kwh,
        "cooling_kwh": float(h["cooling_kw"].sum() * step_h),
        "facility_kwh": float(h["facility_kw"].sum() * step_h),
        "peak_facility_kw": float(h["facility_kw"].max()),
        "peak_cooling_kw": float(h["cooling_kw"].max()),
        **_cop_cap_figures(h, loaded, rec),
    }


def _cop_cap_figures(h: pd.DataFrame, loaded: pd.Series, rec: dict) -> dict[str, float]:
    """``chiller_cop_cap_h``, ``chiller_cop_cap_energy_frac`` and ``chiller_cop_max`` of :func:`plant_summary`."""
    if "chiller_cop_at_cap" not in h:   # (a frame saved before the columns)
        return {"chiller_cop_cap_h": 0, "chiller_cop_cap_energy_frac": 0.0,
                "chiller_cop_max": float(rec.get("chiller_cop_max", np.nan))}
    chiller_kwh = float(h["chiller_kw"].sum())
    return {"chiller_cop_cap_h": int((h["chiller_cop_at_cap"] & loaded).sum()),
            "chiller_cop_cap_energy_frac": float(h["chiller_at_cop_cap_kw"].sum() / chiller_kwh) if chiller_kwh > 0
            else 0.0,
            "chiller_cop_max": float(rec.get("chiller_cop_max", np.nan))}


def site_cooling_summary(it_kw, weather: pd.DataFrame, cooling: Any = None, *,
                         electrical_losses_kw=None, **kwargs) -> dict[str, float]:
    """One call for the site notebook: :func:`plant_hourly` then :func:`plant_summary`.

    Parameters are those of :func:`plant_hourly`. Returns the
    :func:`plant_summary` dict (annual PUE, free-cooling hours, derate hours,
    throttled fraction, WUE, ...).
    """
    from .thermal_plant import plant_hourly
    h = plant_hourly(it_kw, weather, cooling, electrical_losses_kw=electrical_losses_kw, **kwargs)
    return plant_summary(h, cooling)
