"""The weather a PV run reads, checked (part of :mod:`dcplan.solar`, which re-exports these).

:func:`_check_weather`: a DataFrame on an hourly tz-aware index with the columns the PV model
needs (:data:`REQUIRED_WEATHER_COLUMNS`, pvlib names and units), numbers only, no gaps, each in
its plausible range (:data:`_WEATHER_RANGES`: a value outside is a unit slip or a missing-value
code), and a warning when irradiance reads as kW/m2 (:func:`_warn_kw_per_m2`).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._ts import numeric_problem, step_s
from .errors import DcplanWarning, InputError
from .weather_stats import TEMP_DEGC_RANGE

#: Weather columns :func:`dcplan.solar.pv_ac_kw` needs (pvlib names; W/m2, degC, m/s).
REQUIRED_WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
_HOUR_S = 3600.0

#: Plausible ranges of the weather columns the PV model uses (pvlib units). Air temperature:
#: :data:`dcplan.weather_stats.TEMP_DEGC_RANGE`, the one range every weather check uses (the
#: WMO world records, -89.2 degC at Vostok, 1983, and 56.7 degC at Death Valley, 1913);
#: pressure: 300-1100 hPa (Everest summit to the highest sea-level readings); irradiance: as
#: ``dcplan.weather``'s file checks (hourly means). A value outside is a unit slip (kelvin,
#: degF, hPa, Wh vs kWh) or a missing-value code, not weather.
_WEATHER_RANGES = {"temp_air": (*TEMP_DEGC_RANGE, "degC"), "wind_speed": (0.0, 60.0, "m/s"),
                   "pressure": (30_000.0, 110_000.0, "Pa"), "ghi": (0.0, 1_600.0, "W/m2"),
                   "dni": (0.0, 1_500.0, "W/m2"), "dhi": (0.0, 1_000.0, "W/m2")}


def _check_weather(weather) -> pd.DataFrame:
    if not isinstance(weather, pd.DataFrame):
        raise InputError(f"need a pandas DataFrame (dcplan.weather.load_weather), got "
                         f"{type(weather).__name__}", field="weather")
    missing = [c for c in REQUIRED_WEATHER_COLUMNS if c not in weather.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(map(repr, missing))}; need "
                         f"{', '.join(REQUIRED_WEATHER_COLUMNS)} (pvlib names; W/m2, degC, m/s), "
                         f"got {', '.join(map(str, weather.columns))}", field="weather")
    step = step_s(weather, "weather")
    if step != _HOUR_S:
        raise InputError(f"need hourly data (step 3600 s), got a step of {step:g} s; resample to "
                         "hourly means with interval-ending labels first", field="weather")
    for c in REQUIRED_WEATHER_COLUMNS + tuple(c for c in ("pressure", "albedo") if c in weather):
        problem = numeric_problem(weather[c])  # before to_numpy(float), which reads "800" as 800
        if problem:
            unit = _WEATHER_RANGES[c][2] if c in _WEATHER_RANGES else "0-1"
            raise InputError(f"{c} must be numbers [{unit}], got {problem}; convert first, e.g. "
                             f"pd.to_numeric(weather[{c!r}])", field=f"weather.{c}")
        v = weather[c].to_numpy(dtype=float)
        bad = ~np.isfinite(v)
        if bad.any():
            i = int(np.argmax(bad))
            raise InputError(f"{c} is missing (NaN/inf) at {weather.index[i]}; fill gaps first",
                             field=f"weather.{c}")
    for c, (lo, hi, unit) in _WEATHER_RANGES.items():
        if c not in weather:
            continue
        v = weather[c].to_numpy(dtype=float)
        bad = (v < lo) | (v > hi)
        if bad.any():
            i = int(np.argmax(bad))
            raise InputError(f"{c} must be in [{lo:g}, {hi:g}] {unit}, got {v[i]:g} at "
                             f"{weather.index[i]} ({int(bad.sum())} value(s) outside; wrong "
                             "units or a missing-value code?)", field=f"weather.{c}")
    _warn_kw_per_m2(weather)
    if "albedo" in weather:
        a = weather["albedo"].to_numpy(dtype=float)
        if ((a < 0) | (a > 1)).any():
            i = int(np.argmax((a < 0) | (a > 1)))
            raise InputError(f"albedo must be in [0, 1], got {a[i]:g} at {weather.index[i]}",
                             field="weather.albedo")
    return weather


#: Largest GHI [W/m2] below which a weather frame of :data:`KW_PER_M2_MIN_DAYS` days or more whose
#: irradiance is not all zero reads as given in kW/m2: every week of pvlib's Sand Point, AK
#: TMY3 (55.3 N, the northernmost bundled with pvlib) peaks at 151 W/m2 or more. A warning, not
#: an error: a polar-night week may peak lower. [W/m2]
KW_PER_M2_MAX_GHI = 20.0
#: Span [days] a frame needs before its peak GHI says anything about its unit.
KW_PER_M2_MIN_DAYS = 7


def _warn_kw_per_m2(weather: pd.DataFrame) -> None:
    """Warn when irradiance looks given in kW/m2: every GHI above 0 but below
    :data:`KW_PER_M2_MAX_GHI` over a week or more (the PV model then makes no AC at all,
    silently: the inverter's own losses exceed so little DC)."""
    ghi = weather["ghi"].to_numpy(dtype=float)
    days = len(ghi) * _HOUR_S / 86400.0
    top = float(ghi.max()) if len(ghi) else 0.0
    if days >= KW_PER_M2_MIN_DAYS and 0.0 < top < KW_PER_M2_MAX_GHI:
        warnings.warn(f"weather.ghi: the largest value over {days:,.0f} days is {top:.4g} W/m2, below "
                      f"{KW_PER_M2_MAX_GHI:g}: irradiance (ghi, dni, dhi) given in kW/m2? The PV model reads W/m2 "
                      "(multiply by 1000)", DcplanWarning, stacklevel=4)
