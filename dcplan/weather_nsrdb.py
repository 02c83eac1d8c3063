"""NSRDB PSM3/PSM4 CSVs ("SAM CSV") as dcplan weather (part of :mod:`dcplan.weather`).

NREL's National Solar Radiation Database serves its typical years (``tmy-2022``, ...) and single
years (``2023``) as CSV files: a line of metadata names (Source, Location ID, Latitude, Longitude,
Time Zone, Elevation, Local Time Zone, ``<column> Units``, ...), a line of their values, the column
names, then one row per interval with ``Year, Month, Day, Hour, Minute`` (NREL, "Standard Time Series
Data File Format", the SAM CSV format). SAM downloads and reads these files, and pvlib reads them with
:func:`pvlib.iotools.read_nsrdb_psm4` (PSM3 files too: the same format).

dcplan reads them as it reads TMY2, TMY3 and EPW files (:func:`dcplan.weather.load_weather`):

* **Hourly rows in local standard time, or in UTC.** The rows must run 1 Jan hour 0 to 31 Dec hour 23,
  one per hour (8,760; 8,784 with 29 Feb). Row ``Hour h`` is the hour from ``h:00`` to ``h+1:00``,
  labelled by its end as dcplan's other formats are: SAM's convention, "the first row of data in the
  weather file is for the time step beginning at 12 a.m. (midnight) on January 1, local standard time.
  For hourly data, the first row is for the hour ending at 1 a.m." (SAM help, "Weather File Time
  Convention"); the ``Minute`` (0 or 30) is where in the hour the NSRDB took its values. A file
  downloaded in UTC (``utc=true``: metadata ``Time Zone`` 0 beside the place's ``Local Time Zone``) is
  read on UTC, as a PVGIS file is (:mod:`dcplan.weather_pvgis`), and wrapped onto the site's year; its
  ``Local Time Zone`` is the station's, checked against the site's zone. A time zone that is not a whole
  hour is refused (pvlib's reader takes whole hours).
* **Rows every 30, 15 or 5 minutes** (30 minutes is the NSRDB's usual single-year download) are made hourly:
  each row is the value at its ``Minute`` (the NSRDB's values are instantaneous at their stamps, as its hourly
  rows at Minute 30 stand for the hour at its middle), and each hour ending ``h+1:00`` is the trapezoid mean of
  the samples from ``h:00`` to ``h+1:00`` (``(v(h:00) + 2 v(h:30) + v(h+1:00)) / 4`` for 30-minute rows), which
  keeps the year's irradiation and centres each hour at its middle (:mod:`dcplan.weather_hourly`). The frame's
  ``attrs`` say so (``resampled_from_min``, ``resampled_note``). The file's rows are checked before averaging
  (a whole year of them, every value a number in range), naming their lines.
* **Units** as the metadata states them (``Temperature Units`` c, ``Pressure Units`` mbar, ``GHI
  Units`` w/m2, ``Wind Speed Units`` m/s, ...); another unit is refused, naming it.
* **Humidity.** The NSRDB serves dew point and relative humidity as separate attributes, and a
  download may hold one: the other is derived from it and the dry bulb (ASHRAE 2017 ch. 1: ``RH = 100
  p_ws(t_dew) / p_ws(t)``, the dew point its inverse, :mod:`dcplan.weather_psychro`), both over liquid
  water below 0 °C too, as the meteorological convention has them
  (:func:`dcplan.weather_psychro.saturation_pressure_water_pa`). A file with
  neither is refused, naming the attributes to download.
* **Station** (the checks against the site: :func:`dcplan.site.station_problems`): the metadata's
  Latitude, Longitude, Elevation and Time Zone; its number is the NSRDB Location ID.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .weather_psychro import _dew_point_degc, saturation_pressure_water_pa

__all__ = ["read_nsrdb", "NSRDB_MAP", "NSRDB_UNITS"]

#: Columns of :func:`pvlib.iotools.read_nsrdb_psm4` (``map_variables=True``) for dcplan's, with the factor
#: to dcplan's units: pressure in mbar (the NSRDB's, ``Pressure Units``) to Pa.
NSRDB_MAP = {"temp_air": ("temp_air", 1.0), "temp_dew": ("temp_dew", 1.0),
             "relative_humidity": ("relative_humidity", 1.0), "pressure": ("pressure", 100.0),
             "ghi": ("ghi", 1.0), "dni": ("dni", 1.0), "dhi": ("dhi", 1.0), "wind_speed": ("wind_speed", 1.0)}
#: The units an NSRDB CSV's metadata may state for the columns dcplan reads (compared without case),
#: which :data:`NSRDB_MAP` converts: the NSRDB's own (developer.nrel.gov, NSRDB data download
#: documentation: c, w/m2, mbar, m/s, %).
NSRDB_UNITS = {"Temperature Units": ("c",), "Dew Point Units": ("c",), "Pressure Units": ("mbar",),
               "GHI Units": ("w/m2",), "DNI Units": ("w/m2",), "DHI Units": ("w/m2",),
               "Wind Speed Units": ("m/s",), "Relative Humidity Units": ("%",)}


def read_nsrdb(path: Path) -> tuple[pd.DataFrame, dict]:
    """``(data, meta)`` of an NSRDB CSV: pvlib's reader's, with both humidity columns (one derived
    from the other), ``meta`` keyed as dcplan's other formats' (``TZ``, ``city``, ``latitude``,
    ``longitude``, ``altitude``; ``TZ`` the clock of the rows, ``station_TZ`` the place's ``Local Time Zone``).
    Rows finer than hourly are averaged to hours (:func:`_hourly`; ``meta['resampled_from_min']`` the step).
    Raises :class:`~dcplan.errors.InputError` for a file in a zone that is not a whole hour, sub-hourly rows that
    are not a whole year's or hold a bad value, a unit other than :data:`NSRDB_UNITS`, or no
    humidity column; pvlib's own errors (a file it cannot parse) propagate for
    :func:`dcplan.weather._read_raw` to explain."""
    from pvlib import iotools

    from .weather_header import nsrdb_metadata
    file = str(path)
    head = nsrdb_metadata(path)
    for key in ("Time Zone", "Local Time Zone"):
        v = head.get(key, "0")
        try:
            whole = float(v).is_integer()
        except ValueError:
            continue  # not a number: pvlib's error, explained by dcplan.weather._read_raw
        if not whole:
            raise InputError(f"{key} {v} is not a whole hour, which pvlib's NSRDB reader "
                             "(pvlib.iotools.read_nsrdb_psm4) requires; allowed: a whole-hour offset (the NSRDB's "
                             "US data), or the site's weather as an EPW file", file=file, field=key)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data, meta = iotools.read_nsrdb_psm4(str(path), map_variables=True)
    # the rows' clock (Time Zone: 0 for a download in UTC) and the place's (Local Time Zone: the station's)
    tz, local = meta.get("Time Zone"), meta.get("Local Time Zone", meta.get("Time Zone"))
    minutes = sorted(pd.unique(data["Minute"]))
    step_min = None
    if len(minutes) > 1:  # 30-, 15- or 5-minute rows: each hour's mean (dcplan.weather_hourly)
        data, step_min = _hourly(data, path, len(minutes))
    for key, allowed in NSRDB_UNITS.items():
        unit = str(meta.get(key, "")).strip()
        if unit and unit.lower() not in allowed:
            raise InputError(f"{unit!r}; allowed: {' or '.join(allowed)} (the NSRDB's own unit, which dcplan "
                             "converts)", file=file, field=key)
    data = _with_humidity(data, file)
    city = str(meta.get("City", "") or "").strip()
    out = {**meta, "TZ": float(tz), "station_TZ": float(local),
           "city": city if city and city != "-" else f"NSRDB {meta.get('Location ID', '')}"}
    if step_min is not None:
        out["resampled_from_min"] = step_min
    return data, out


def _hourly(data: pd.DataFrame, path: Path, per_hour: int) -> tuple[pd.DataFrame, float]:
    """An NSRDB table of ``per_hour`` rows an hour (30-, 15- or 5-minute data) as the hourly table an hourly
    download gives (Year, Month, Day, Hour of each hour's start, Minute 30; the columns of :data:`NSRDB_MAP`),
    each hour the trapezoid mean of its samples (:func:`dcplan.weather_hourly.hourly_means`, ``labels="instant"``:
    the NSRDB's rows are the values at their Minute), and the step [min].

    Refused (InputError naming the file, column, stamp, data row and line): rows other than a whole year's
    (``per_hour`` x 8,760, or 8,784 with 29 Feb), a value that is not a number or lies outside the plausible
    ranges of :func:`dcplan.weather.load_weather`, a dew point above its dry bulb; the grid's gaps name the hour.
    The checks are made on the file's rows, before averaging, so they name its lines (a mean of rows that pass
    them passes them too: the ranges are intervals, and dew <= dry holds for the means of rows where it holds)."""
    from .weather import _RANGES
    from .weather_check import DEW_ABOVE_DRY_TOLERANCE_K, _Where
    from .weather_hourly import hourly_means, step_minutes
    file = str(path)
    step_min = step_minutes(data.index) or 60.0 / per_hour
    feb29 = bool(((data["Month"] == 2) & (data["Day"] == 29)).any())
    want = per_hour * (8784 if feb29 else 8760)
    if len(data) != want:
        raise InputError(f"{len(data):,} rows of {step_min:g}-minute data; expected {want:,} ({per_hour} an hour, "
                         f"{'8,784 hours: a leap year with 29 Feb' if feb29 else '8,760 hours: a year'}): a year cut "
                         "short or rows missing; allowed: a whole year of rows, every interval of every hour "
                         "(download the year again)", file=file, field="Minute")
    where = _Where(path, "nsrdb", len(data.columns))
    factors = {name: factor for name, (_, factor) in NSRDB_MAP.items()}
    cols = [c for c in NSRDB_MAP if c in data.columns]
    num = {c: pd.to_numeric(data[c], errors="coerce").to_numpy(dtype=float) for c in cols}
    for c in cols:
        lo, hi = _RANGES[c]
        v = num[c] * factors[c]
        bad = ~np.isfinite(v) | (v < lo) | (v > hi)
        if bad.any():
            i = int(np.argmax(bad))
            what = (f"value {str(data[c].iloc[i]).strip()!r} is not a number" if not np.isfinite(v[i]) else
                    f"value {num[c][i]:g} outside plausible range [{lo / factors[c]:g}, {hi / factors[c]:g}] "
                    "(missing-value code or wrong units?)")
            raise InputError(f"{what} at {data.index[i]} ({where(i)}); {int(bad.sum())} row(s) in all; allowed: a "
                             "number in the plausible range in every row, as an hour's mean needs all of its "
                             "intervals", file=file, field=c)
    if "temp_air" in num and "temp_dew" in num:
        above = num["temp_dew"] - num["temp_air"] > DEW_ABOVE_DRY_TOLERANCE_K
        if above.any():
            i = int(np.argmax(above))
            raise InputError(f"dew point {num['temp_dew'][i]:g} degC above the dry bulb {num['temp_air'][i]:g} at "
                             f"{data.index[i]} ({where(i)}); allowed: at most {DEW_ABOVE_DRY_TOLERANCE_K:g} K above "
                             "(saturated air)", file=file, field="temp_dew")
    # the rows' instants on one calendar year (a typical year's months come from different years: its Year jumps)
    ref = 2000 if feb29 else 2001
    stamps = pd.to_datetime(pd.DataFrame({"year": ref, "month": data["Month"], "day": data["Day"],
                                          "hour": data["Hour"], "minute": data["Minute"]}))
    idx = pd.DatetimeIndex(stamps).tz_localize(data.index.tz)
    hourly = hourly_means(pd.DataFrame(num, index=idx), "instant", name=path.name, file=file, field="Minute")
    start = hourly.index - pd.Timedelta("1h")  # the hour each row ends: Hour is its start (the file's convention)
    year = data["Year"].to_numpy()[:len(start) * per_hour:per_hour]  # the Year of each hour's first row
    out = pd.DataFrame({"Year": year, "Month": start.month, "Day": start.day, "Hour": start.hour,
                        "Minute": 30}, index=data.index[:len(start) * per_hour:per_hour] + pd.Timedelta("30min"))
    for c in cols:
        out[c] = hourly[c].to_numpy()
    return out, step_min


def _with_humidity(data: pd.DataFrame, file: str) -> pd.DataFrame:
    """``data`` with ``temp_dew`` and ``relative_humidity`` both: the one missing derived from the other
    and ``temp_air`` (rows where an input is not a number stay NaN: the table check names them)."""
    has_dew, has_rh = "temp_dew" in data.columns, "relative_humidity" in data.columns
    if has_dew and has_rh:
        return data
    if not (has_dew or has_rh):
        raise InputError("no humidity column: the file has neither 'Dew Point' nor 'Relative Humidity'; "
                         "allowed: a file with either (download the attribute dew_point or relative_humidity too)",
                         file=file, field="Dew Point")
    data = data.copy()
    t = pd.to_numeric(data["temp_air"], errors="coerce").to_numpy(dtype=float) if "temp_air" in data else None
    if t is None:
        return data  # the table check names the missing dry bulb
    with np.errstate(invalid="ignore"):
        if has_dew:
            td = pd.to_numeric(data["temp_dew"], errors="coerce").to_numpy(dtype=float)
            data["relative_humidity"] = 100.0 * saturation_pressure_water_pa(td) / saturation_pressure_water_pa(t)
        else:
            rh = pd.to_numeric(data["relative_humidity"], errors="coerce").to_numpy(dtype=float)
            pw = np.clip(rh, 0.0, 100.0) / 100.0 * saturation_pressure_water_pa(t)
            ok = np.isfinite(pw) & np.isfinite(t) & (pw > 0)
            td = np.full_like(t, np.nan)
            td[ok] = _dew_point_degc(pw[ok], t[ok], over_water=True)
            data["temp_dew"] = td
    return data
