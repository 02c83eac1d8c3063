"""Cooling plant (hourly) and cooling-lag dynamics (seconds): ``dcplan.thermal``.

Two time scales, one public namespace:

* :mod:`dcplan.thermal_plant` -- hourly plant over a typical year:
  :func:`plant_hourly` (cooling and facility power, capacity, economizer,
  water, inlet temperature), :func:`annual_pue`, :func:`derate_hours`,
  :func:`plant_summary` and the one-call :func:`site_cooling_summary` for the
  site notebook; helpers :func:`chiller_cop`, :func:`liquid_flow_l_per_min`,
  :func:`it_from_compute_kw`, :func:`plant_params`, :func:`cooling_defaults`,
  :func:`free_cooling_limits` (each loop's no-compressor limit in the plant's own
  setpoints and approaches, for the climate screen of ``site_climate``), and
  :func:`chiller_design_conditions` (the outdoor condition the plant's chillers are
  selected for, from the weather).
* :mod:`dcplan.thermal_dynamics` -- seconds-scale lumped model with a lagged
  cooling actuator and GPU throttling: :func:`simulate_lag`,
  :func:`summarize_throttling`, :func:`sweep_lag`, and the synthetic
  :func:`training_load_kw` profile for demos and tests.

* :mod:`dcplan.thermal_design_day` -- :func:`design_day`, an ASHRAE-style
  24-hour cooling design day (e.g. :data:`PHOENIX_DESIGN_DAY`, or
  :func:`design_conditions` of a site's weather) to run the plant on, and
  :func:`design_hour_pue`, the plant's PUE at full design IT in its worst design hour (and
  whether the plant carries that IT there), and
  :func:`governing_design_day`, the design day that leaves a plant the least capacity.

* :mod:`dcplan.thermal_extremes` -- :func:`~dcplan.thermal_extremes.extreme_hour_capacity`, what IT the
  plant carries at full design IT in the hours of the extremes an EPW header states (1-in-10- and
  1-in-20-year dry bulb, extreme wet bulb), which the typical year leaves out.

Facility power for the rest of the chain (tariffs, TCO, site analysis) is
``plant_hourly(...)["facility_kw"]`` = IT + electrical losses + cooling.
"""
from .thermal_design_day import (DESIGN_DAY_FRACTIONS, PHOENIX_DESIGN_DAY, design_conditions, design_day,
                                 design_hour_pue, governing_design_day)
from .thermal_dynamics import (restart_throttle_delays, simc_tuning, simulate_lag,  # DYNAMICS_DEFAULTS: below
                               summarize_throttling, sweep_lag, training_load_kw)
from .thermal_plant import (ASHRAE_AIR_CLASSES, LIQUID_CLASS_PLANT, W_CLASS_MAX_DEGC, PlantParams,
                            annual_pue, chiller_cop, chiller_design_conditions, cooling_defaults, derate_hours,
                            free_cooling_limits, it_from_compute_kw, liquid_flow_l_per_min, plant_hourly,
                            plant_params, plant_summary, site_cooling_summary)

__all__ = ["plant_hourly", "annual_pue", "derate_hours", "plant_summary", "site_cooling_summary",
           "chiller_cop", "liquid_flow_l_per_min", "it_from_compute_kw", "plant_params",
           "cooling_defaults", "free_cooling_limits", "chiller_design_conditions", "PlantParams", "W_CLASS_MAX_DEGC",
           "ASHRAE_AIR_CLASSES", "LIQUID_CLASS_PLANT", "simulate_lag", "summarize_throttling", "sweep_lag",
           "restart_throttle_delays",
           "training_load_kw", "simc_tuning", "DYNAMICS_DEFAULTS", "design_day", "design_conditions", "design_hour_pue",
           "governing_design_day",
           "DESIGN_DAY_FRACTIONS",
           "PHOENIX_DESIGN_DAY"]


def __getattr__(name: str):
    """``DYNAMICS_DEFAULTS``: :data:`dcplan.thermal_dynamics.DYNAMICS_DEFAULTS`, read from the data files when asked."""
    if name == "DYNAMICS_DEFAULTS":
        from . import thermal_dynamics
        return thermal_dynamics.DYNAMICS_DEFAULTS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
