"""Typical-year weather: TMY2, TMY3, EPW and NSRDB (PSM3/PSM4 CSV) files into one hourly frame.

:func:`load_weather` reads a file through ``pvlib.iotools`` and returns 8760
hourly rows (8784 for a leap year) under pvlib's variable names, so the frame
passes into pvlib unchanged, plus dcplan's psychrometric wet bulb:

============================  ======  =========================================
column                        unit    meaning
============================  ======  =========================================
``temp_air``                  °C      dry-bulb temperature
``temp_dew``                  °C      dew-point temperature
``relative_humidity``         %       relative humidity (0-100)
``pressure``                  Pa      station pressure
``ghi``, ``dni``, ``dhi``     W/m²    global horizontal, direct normal, diffuse
``wind_speed``                m/s     wind speed
``temp_wet_bulb_degc``        °C      thermodynamic wet bulb (ASHRAE 2017), from dry bulb,
                                      dew point and station pressure
============================  ======  =========================================

Conventions
-----------
* **One calendar year.** TMY months come from different source years; the rows
  are re-stamped, in file order, onto the calendar year ``year``.
* **Interval-ending labels.** Every typical-year row is an hourly value for the
  hour that *ends* at the label: the first row is labelled ``YEAR-01-01 01:00``
  and the last ``YEAR+1-01-01 00:00``. pvlib's readers disagree on this (its
  ``read_tmy3`` labels hours by their end, ``read_epw`` and ``read_tmy2`` by
  their start), so dcplan ignores their labels and checks the file order
  against the month/day/hour they report.
* **Time zone.** The file's local standard time (a fixed UTC offset, no DST),
  as TMY data are; pass ``tz`` to convert (e.g. the site's IANA zone). The year
  stays the calendar year on that zone's clock (hours of difference on 1 January
  wrap from one end of the typical year to the other).
* **Leap years.** Typical years have 8760 hours. For a leap ``year``, 29 Feb is
  filled with a copy of 28 Feb and a :class:`~dcplan.errors.DcplanWarning` says so.
  A file with 29 Feb (8784 rows: a leap year's record, e.g. an actual-year file of 2024)
  keeps it in a leap ``year``; in another year its 29 Feb is left out, with a warning
  (:func:`_leap_day`).

**Checks.** A file is refused with an :class:`~dcplan.errors.InputError` naming the file,
column, data row and line, the value and what is allowed (:mod:`dcplan.weather_check`,
which also holds :func:`weather_problems` and :func:`site_weather_problems`: the checks
``dcplan validate`` and render's plan make before any notebook runs).

Wet bulb follows ASHRAE Handbook—Fundamentals (2017), ch. 1: saturation
pressure from the Hyland-Wexler equations (eqs. 5-6), humidity ratio
(eq. 20/22) and the wet-bulb relation (eqs. 33 and 35), solved by bisection
(:mod:`dcplan.weather_psychro`, whose names this module re-exports).
"""
from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DcplanWarning, InputError
# what a file is, from its name and first line (re-exported: dcplan.site and tests import them here)
from .weather_header import (_HEADERS, FORMATS, _detect_format, first_line_kind, header_problem,  # noqa: F401
                             source_id_mismatch, station_id)
from .weather_nsrdb import NSRDB_MAP, read_nsrdb
from .weather_pvgis import PVGIS_MAP, is_pvgis_epw, read_pvgis
from .weather_timing import timing_facts
from .weather_check import (checked_file, file_rows, site_weather_problems, table_problems, unreadable_detail,
                            weather_problems)
# psychrometrics (ASHRAE 2017 ch. 1), re-exported: dcplan.thermal_water and tests import them here
from .weather_psychro import (_AT_ZERO_DEGC, _MW_RATIO, _RH_ROUNDING_PCT, _TRIPLE_POINT_DEGC,  # noqa: F401
                              _dew_point_degc, _w_from_wet_bulb, saturation_pressure_pa,
                              saturation_pressure_water_pa, wet_bulb_degc)
# climate summaries (pure functions of a weather frame), re-exported: dcplan.weather_stats
from .weather_stats import (COOLING_THRESHOLDS_DEGC, TEMP_DEGC_RANGE, air_economizer_envelope_hours,  # noqa: F401
                            check_temperature_columns, climate_summary, design_table, duration_curve,
                            free_cooling_hours, freeze_note, freezing_hours, hours_above, monthly_profile)

__all__ = ["load_weather", "load_site_weather", "weather_problems", "site_weather_problems", "checked_file",
           "wet_bulb_degc", "saturation_pressure_pa",
           "COLUMNS", "climate_summary", "hours_above", "monthly_profile", "duration_curve",
           "free_cooling_hours", "check_temperature_columns", "TEMP_DEGC_RANGE", "design_table",
           "air_economizer_envelope_hours", "freezing_hours", "freeze_note"]

#: Columns of a dcplan weather frame, in order.
COLUMNS = ["temp_air", "temp_dew", "relative_humidity", "pressure", "ghi", "dni", "dhi",
           "wind_speed", "temp_wet_bulb_degc"]

#: Physically plausible ranges used to catch missing-value codes (EPW 99.9, 999999...).
#: Air temperature: :data:`TEMP_DEGC_RANGE` (-90 to 60 degC), the range ``dcplan.solar``
#: and the climate checks use too. It was -70 here with no source; the WMO world records
#: (-89.2 degC at Vostok, 1983; 56.7 degC at Death Valley, 1913) are the sourced bounds,
#: and the wider one refuses no real reading while kelvin (>= 183) and degF years
#: (warm hours > 60) still fall outside.
_RANGES = {
    "temp_air": TEMP_DEGC_RANGE, "temp_dew": (TEMP_DEGC_RANGE[0], 40.0), "relative_humidity": (0.0, 110.0),
    "pressure": (30_000.0, 110_000.0), "ghi": (0.0, 1_600.0), "dni": (0.0, 1_500.0),
    "dhi": (0.0, 1_000.0), "wind_speed": (0.0, 60.0),
}

# column maps from each reader's output to pvlib names, and a unit factor
_EPW_MAP = {"temp_air": ("temp_air", 1.0), "temp_dew": ("temp_dew", 1.0),
            "relative_humidity": ("relative_humidity", 1.0), "pressure": ("atmospheric_pressure", 1.0),
            "ghi": ("ghi", 1.0), "dni": ("dni", 1.0), "dhi": ("dhi", 1.0), "wind_speed": ("wind_speed", 1.0)}
_TMY3_MAP = {"temp_air": ("temp_air", 1.0), "temp_dew": ("temp_dew", 1.0),
             "relative_humidity": ("relative_humidity", 1.0), "pressure": ("pressure", 100.0),  # mbar->Pa
             "ghi": ("ghi", 1.0), "dni": ("dni", 1.0), "dhi": ("dhi", 1.0), "wind_speed": ("wind_speed", 1.0)}
# TMY2 stores dry bulb, dew point and wind speed in tenths (NREL TMY2 user's manual,
# 1995, Table 3-1); pvlib.iotools.read_tmy2 returns the raw integers.
_TMY2_MAP = {"temp_air": ("DryBulb", 0.1), "temp_dew": ("DewPoint", 0.1),
             "relative_humidity": ("RHum", 1.0), "pressure": ("Pressure", 100.0),  # mbar->Pa
             "ghi": ("GHI", 1.0), "dni": ("DNI", 1.0), "dhi": ("DHI", 1.0), "wind_speed": ("Wspd", 0.1)}


def _read_raw(path: Path, fmt: str) -> tuple[pd.DataFrame, dict, dict]:
    """Read with pvlib; return (data, meta, column map)."""
    from pvlib import iotools

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if fmt == "epw":
                data, meta = iotools.read_epw(str(path))
                cmap = _EPW_MAP
                if is_pvgis_epw(path):  # PVGIS's EPW: rows in UTC, the header's zone the place's (weather_pvgis)
                    meta = {**meta, "station_TZ": meta.get("TZ", np.nan), "TZ": 0.0}
            elif fmt == "tmy3":
                data, meta = iotools.read_tmy3(str(path), map_variables=True)
                cmap = _TMY3_MAP
            elif fmt == "tmy2":
                data, meta = iotools.read_tmy2(str(path))
                cmap = _TMY2_MAP
            elif fmt == "nsrdb":  # an NSRDB PSM3/PSM4 CSV (dcplan.weather_nsrdb)
                data, meta = read_nsrdb(path)
                cmap = NSRDB_MAP
            elif fmt == "pvgis":  # PVGIS's TMY CSV or JSON (dcplan.weather_pvgis): rows in UTC
                data, meta = read_pvgis(path)
                cmap = PVGIS_MAP
            else:
                raise InputError(f"unknown weather format {fmt!r}; allowed: auto, epw, tmy3, tmy2, nsrdb, pvgis",
                                 file=str(path), field="format")
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("weather file not found", file=str(path)) from None
    except Exception as e:  # pvlib raises many kinds on malformed files
        # a bad header line, or the first data line that breaks the format, says more than
        # pvlib's KeyError or pandas' "time data ... doesn't match format"
        head = header_problem(path, fmt) or unreadable_detail(path, fmt, e)
        said = (str(e).strip().splitlines() or [""])[0]  # (pandas adds lines of advice)
        raise InputError(f"cannot read as {fmt.upper()}: " + (head or f"{type(e).__name__}: {said}"),
                         file=str(path)) from None
    return data, meta, cmap


def on_clock(meta: dict, rows_utc_offset_h: float | None) -> dict:
    """``meta`` of a read file with its rows on the clock ``rows_utc_offset_h`` [h] (a site's
    ``weather.rows_utc_offset_h``: the file's rows are stamped in another zone than its header's), the header's
    zone kept as the station's (``station_TZ``); ``meta`` itself when None."""
    if rows_utc_offset_h is None:
        return meta
    return {**meta, "station_TZ": meta.get("station_TZ", meta.get("TZ", np.nan)), "TZ": float(rows_utc_offset_h)}


def _station(meta: dict) -> dict:
    """The header fields a frame's ``attrs`` keep: station name, position, altitude, the station's UTC offset
    (``utc_offset_h``: the header's zone, NaN where the file names none, as PVGIS's CSV) and that of the clock
    its rows are stamped in (``rows_utc_offset_h``: the same but for PVGIS's files, whose rows are in UTC)."""
    rows_h = float(meta.get("TZ", 0.0))
    return {
        "station": str(meta.get("city") or meta.get("Name") or meta.get("City") or "").strip('"'),
        "latitude": float(meta.get("latitude", np.nan)),
        "longitude": float(meta.get("longitude", np.nan)),
        "altitude_m": float(meta.get("altitude", np.nan)),
        "utc_offset_h": float(meta.get("station_TZ", rows_h)),
        "rows_utc_offset_h": rows_h,
    }


def _ashrae_design(path: Path, fmt: str) -> dict | None:
    """The ASHRAE cooling design conditions an EPW header carries (its ``DESIGN CONDITIONS``
    line: the Climate Design Data of the ASHRAE Handbook, from the station's long-term record),
    or None (TMY2/TMY3 files, NSRDB CSVs, or an EPW without them).

    After the ``Cooling`` token the fields are: hottest month, its mean daily dry-bulb range [K],
    the 0.4 % dry bulb and its mean coincident wet bulb, the 1 % and 2 % pairs, then the 0.4 %, 1 %
    and 2 % evaporation wet bulbs and their mean coincident dry bulbs [degC], all kept
    (``cooling_db_1p0_degc``, ``evap_wb_2p0_degc``, ...) (EnergyPlus Auxiliary Programs,
    "EPW header: DESIGN CONDITIONS"; Phoenix Sky Harbor: 43.4 / 21.1 and 24.5 / 35.8 degC)."""
    if fmt != "epw":
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = [fh.readline() for _ in range(8)]
        row = next((ln.strip().split(",") for ln in lines if ln.startswith("DESIGN CONDITIONS")), None)
        if row is None or "Cooling" not in row:
            return None
        c = row.index("Cooling")
        v = [float(x) for x in row[c + 2:c + 11]]   # range, DB/MCWB x3, WB 0.4 %, MCDB
    except (OSError, ValueError, IndexError):
        return None                                  # a header without the figures: the TMY's percentiles
    out = {"cooling_db_0p4_degc": v[1], "cooling_mcwb_0p4_degc": v[2], "evap_wb_0p4_degc": v[7],
           "evap_mcdb_0p4_degc": v[8], "hottest_month_db_range_k": v[0],
           "source": (row[2].strip() or "ASHRAE Climate Design Data") + ", EPW header"}
    out.update({"cooling_db_1p0_degc": v[3], "cooling_mcwb_1p0_degc": v[4],
                "cooling_db_2p0_degc": v[5], "cooling_mcwb_2p0_degc": v[6]})
    try:  # the 1 % and 2 % evaporation pairs follow (design_conditions takes them when asked)
        e = [float(x) for x in row[c + 11:c + 15]]
        if len(e) == 4:
            out.update({"evap_wb_1p0_degc": e[0], "evap_mcdb_1p0_degc": e[1],
                        "evap_wb_2p0_degc": e[2], "evap_mcdb_2p0_degc": e[3]})
    except ValueError:
        pass
    out.update(_ashrae_extremes(row))
    ok = (-30.0 <= out["cooling_db_0p4_degc"] <= 60.0 and -30.0 <= out["evap_wb_0p4_degc"] <= 40.0
          and out["evap_wb_0p4_degc"] <= out["cooling_db_0p4_degc"] + 0.5)
    return out if ok else None


#: Fields after the ``Extremes`` token of an EPW DESIGN CONDITIONS line (ASHRAE 2009 format; EnergyPlus
#: Auxiliary Programs, "EPW header: DESIGN CONDITIONS"): 1 %, 2.5 % and 5 % extreme wind speeds, the
#: extreme maximum wet bulb, the mean and standard deviation of the extreme annual minimum and maximum
#: dry bulb, then the 5-, 10-, 20- and 50-year return-period minimum and maximum dry bulbs. Kept:
#: (position after the token, key). Chicago O'Hare: 28.5, -23.7, 35.9, ..., 40.9 degC.
_EXTREME_FIELDS = ((3, "extreme_wb_max_degc"), (4, "extreme_db_mean_min_degc"), (5, "extreme_db_mean_max_degc"),
                   (9, "extreme_db_max_5yr_degc"), (11, "extreme_db_max_10yr_degc"),
                   (13, "extreme_db_max_20yr_degc"), (15, "extreme_db_max_50yr_degc"))


def _ashrae_extremes(row: list[str]) -> dict:
    """The extremes of an EPW DESIGN CONDITIONS line (:data:`_EXTREME_FIELDS`), or {} when it has
    none, or figures that are not numbers or not in order (mean maximum <= 5-year <= ... <= 50-year)."""
    if "Extremes" not in row:
        return {}
    e = row.index("Extremes") + 1
    try:
        out = {k: float(row[e + i]) for i, k in _EXTREME_FIELDS}
    except (ValueError, IndexError):
        return {}
    maxes = [out[k] for _, k in _EXTREME_FIELDS[2:]]
    ok = (all(-90.0 <= v <= 60.0 for v in out.values()) and maxes == sorted(maxes)
          and out["extreme_wb_max_degc"] <= out["extreme_db_max_50yr_degc"])
    return out if ok else {}


def load_weather(source: str | Path, year: int = 2025, tz: str | None = None,
                 format: str = "auto", rows_utc_offset_h: float | None = None) -> pd.DataFrame:
    """Read a typical-year weather file into dcplan's hourly frame.

    Parameters
    ----------
    source : str or path
        A TMY2 (``.tm2``), TMY3 (``.csv``), EPW (``.epw``), NSRDB PSM3/PSM4 (``.csv``, "SAM CSV":
        :mod:`dcplan.weather_nsrdb`) or PVGIS TMY (``.csv``, ``.json``: :mod:`dcplan.weather_pvgis`, rows in UTC;
        an EPW from PVGIS is read on UTC too) file.
    year : int, default 2025
        Calendar year the typical year is re-stamped onto.
    tz : str, optional
        Convert the index to this time zone (e.g. ``"America/New_York"``);
        default keeps the file's fixed-offset local standard time. The year stays the
        calendar year on that zone's clock: where its 1 January offset differs from the
        station's standard time, the hours of difference wrap from one end of the typical
        year to the other (``attrs["civil_shift_h"]``; see :func:`_civil_year`).
    format : {"auto", "epw", "tmy3", "tmy2", "nsrdb", "pvgis"}
        File format; ``auto`` goes by the extension (a ``.csv`` by its first line: TMY3, NSRDB or PVGIS; a
        ``.json``: PVGIS),
        and where it says nothing (``.txt``) by the first line.
    rows_utc_offset_h : float, optional
        The UTC offset [h] of the clock the file's rows are stamped in, when it is not the header's (a site's
        ``weather.rows_utc_offset_h``: 0 for rows in UTC): the rows are read on it (:func:`on_clock`). Default:
        the header's (UTC for PVGIS's files and an NSRDB CSV in UTC, which say so).

    Returns
    -------
    pandas.DataFrame
        Hourly, tz-aware, ``freq='h'``, interval-ending labels; columns
        :data:`COLUMNS`. ``attrs`` holds ``source``, ``station``, ``station_id`` and
        ``station_id_kind`` (the header's WMO, USAF or WBAN number, :func:`station_id`),
        ``latitude``, ``longitude``, ``altitude_m``, ``utc_offset_h`` (the station's zone, NaN for PVGIS's
        CSV and JSON, which name none), ``rows_utc_offset_h`` (the clock the rows are stamped in: 0 for
        PVGIS's files, else the header's), ``format``, ``civil_shift_h``,
        ``file_hours`` and ``file_year`` (the file's rows: 8784 with 29 Feb; their one calendar
        year, 0 for a typical year's mix: :func:`dcplan.weather_check.file_rows`),
        ``irradiance_offset_h`` and ``irradiance_days`` (where its irradiance centres against solar noon:
        :func:`dcplan.weather_timing.timing_facts`; ``dcplan validate`` warns beyond half an hour), and for an EPW
        whose header has them ``ashrae_design``: the ASHRAE 0.4 % cooling dry bulb and evaporation
        wet bulb with their coincident values (:func:`_ashrae_design`), which the cooling plant
        selects its chillers for, and the header's extremes (:func:`_ashrae_extremes`).

    Raises
    ------
    InputError
        Missing file, unknown format, a line pvlib cannot read, wrong number of
        rows (missing, repeated or extra hours, a file cut short), rows out of
        calendar order, missing columns, values that are not numbers or lie
        outside physical ranges (missing-value codes), or a dew point more than
        0.5 K above its row's dry bulb (:data:`dcplan.weather_check.DEW_ABOVE_DRY_TOLERANCE_K`;
        up to that, the air is read as saturated), each naming the file, column,
        timestamp, data row and line. A file of another format than the one it is
        read as (by its first line) is named as such (:func:`header_problem`); an NSRDB
        CSV in other units is refused saying how to download it; one of 30-, 15- or 5-minute rows is averaged
        to hours (each hour the trapezoid mean of its samples, the irradiation kept; ``attrs``
        ``resampled_from_min`` and ``resampled_note``), its rows checked first (:mod:`dcplan.weather_nsrdb`,
        :mod:`dcplan.weather_hourly`).
    """
    path = Path(source)
    if path.is_dir():
        raise InputError("is a folder, not a weather file; allowed: a TMY2 (.tm2), TMY3 (.csv), EPW (.epw), NSRDB "
                         "(.csv) or PVGIS (.csv, .json) file", file=str(path))
    if not path.is_file():
        raise InputError("weather file not found", file=str(path))
    if not isinstance(year, (int, np.integer)) or not 1900 <= int(year) <= 2100:
        raise InputError(f"year must be an integer in [1900, 2100], got {year!r}", file=str(path), field="year")
    if tz is not None:
        try:
            pd.Timestamp("2025-01-01", tz=tz)
        except Exception:  # noqa: BLE001 - zoneinfo, pytz and dateutil raise different kinds
            raise InputError(f"unknown time zone {tz!r}; allowed: an IANA zone such as "
                             "'America/New_York', or None for the file's local standard time",
                             file=str(path), field="tz") from None
    if isinstance(format, str):
        format = format.strip().lower()  # "EPW" is epw
    fmt = _detect_format(path) if format == "auto" else format
    shared = _shared_path(path, int(year), tz, fmt, rows_utc_offset_h)
    if shared is not None:
        df = _shared_get(shared)
        if df is not None:
            df.attrs["source"] = str(path)  # this caller's path (the key is the resolved path)
            return df
    data, meta, cmap = _read_raw(path, fmt)
    meta = on_clock(meta, rows_utc_offset_h)

    problems, cols = table_problems(data, meta, fmt, cmap, path, int(year))
    if problems:
        e = problems[0]
        if len(problems) > 1:
            raise InputError(f"{e.detail} (+{len(problems) - 1} more problem(s); `dcplan validate "
                             f"{path.name}` lists them all)", file=e.file, field=e.field)
        raise e

    offset_h = float(meta.get("TZ", 0.0))
    tzinfo = dt.timezone(dt.timedelta(hours=offset_h))
    year = int(year)
    rows = file_rows(data, fmt, len(cols["temp_air"]))
    timing = timing_facts(cols, _station(meta))  # the irradiance against solar noon (the file's rows, as read)
    leap = pd.Timestamp(year=year, month=1, day=1).is_leap_year
    warned = _leap_day(cols, leap, path, year, rows)
    nrows = 8784 if leap else 8760
    idx = pd.date_range(pd.Timestamp(year=year, month=1, day=1, hour=1, tz=tzinfo),
                        periods=nrows, freq="h", name="time")
    df = pd.DataFrame(cols, index=idx)

    df["relative_humidity"] = df["relative_humidity"].clip(upper=100.0)
    # the humidity from the dew point, not the RH column: typical-year files round RH to whole
    # percent and, at the joins between months taken from different years, smooth dry bulb and
    # dew point but not RH (up to 2.9 K of wet bulb apart there)
    # dew point over liquid water below 0 °C too (the files' convention, saturation_pressure_water_pa); the RH
    # wet_bulb_degc takes is ASHRAE's, over ice below 0 °C: air above ice saturation there is read as saturated
    t_air = df["temp_air"].to_numpy()
    rh_dew = np.minimum(100.0, 100.0 * saturation_pressure_water_pa(df["temp_dew"].to_numpy())
                        / saturation_pressure_pa(t_air))
    df["temp_wet_bulb_degc"] = wet_bulb_degc(t_air, rh_dew, df["pressure"].to_numpy())
    shift_h = 0
    if tz is not None:
        df, shift_h = _civil_year(df.tz_convert(tz), year)
    sid, kind = station_id(meta, fmt)
    df.attrs.update({"source": str(path), "format": fmt, **_station(meta), "station_id": sid,
                     "station_id_kind": kind, "civil_shift_h": shift_h, **rows, **timing, **_resampled(meta)})
    design = _ashrae_design(path, fmt)
    if design is not None:  # the plant selects its chillers for these (dcplan.thermal_plant_params)
        df.attrs["ashrae_design"] = design
    if shared is not None and not warned:  # a frame that comes with its warning is not shared
        _shared_put(shared, df)
    return df


def _resampled(meta: dict) -> dict:
    """``resampled_from_min`` and ``resampled_note`` of a file whose rows were finer than hourly and were averaged
    to hours (an NSRDB CSV of 30-, 15- or 5-minute rows: :mod:`dcplan.weather_nsrdb`), else {}."""
    step = meta.get("resampled_from_min")
    if step is None:
        return {}
    from .weather_hourly import averaged_note
    # the file is a whole year (dcplan.weather_nsrdb refuses any other): its last hour closes on its first sample
    return {"resampled_from_min": float(step), "resampled_labels": "instant", "resampled_closing": "wrap",
            "resampled_note": averaged_note(float(step), "instant", closing="wrap")}


def _leap_day(cols: dict, leap: bool, path: Path, year: int, rows: dict) -> bool:
    """Fit the file's rows (``cols``, edited in place) to ``year``'s hours; True when a warning
    said how.

    * a typical year (8760 rows, no 29 Feb) in a leap ``year``: 29 Feb is a copy of 28 Feb;
    * a leap year's record (8784 rows: 29 Feb, e.g. an actual-year file of 2024) in a leap
      ``year``: its own 29 Feb, as recorded (no warning);
    * such a record in a year that is not a leap year: its 29 Feb is left out, as EnergyPlus
      does unless told to observe a leap year (EnergyPlus Auxiliary Programs, "EPW header:
      HOLIDAYS/DAYLIGHT SAVINGS", LeapYear Observed) and as pvlib's PSM3 reader does with
      ``leap_day=False``; the other 365 days keep their month, day and hour.
    """
    feb29 = slice(59 * 24, 60 * 24)  # rows of 29 Feb in a leap year's 8784 (31 + 28 days before it)
    if rows["file_hours"] == 8784:
        if leap:
            return False
        for k, v in cols.items():
            cols[k] = np.delete(v, np.arange(feb29.start, feb29.stop))
        own = int(rows["file_year"])
        keep = f"weather.year {own}, the file's own," if own else "a leap weather.year"
        warnings.warn(f"{path.name}: {year} is not a leap year; the file's 29 Feb (a leap year's record, 8,784 "
                      f"hours) is left out (give {keep} to keep it)", DcplanWarning, stacklevel=3)
        return True
    if leap:
        feb28 = slice(58 * 24, 59 * 24)  # rows of 28 Feb
        for k, v in cols.items():
            cols[k] = np.concatenate([v[:59 * 24], v[feb28], v[59 * 24:]])
        warnings.warn(f"{path.name}: {year} is a leap year; 29 Feb filled with a copy of 28 Feb",
                      DcplanWarning, stacklevel=3)
        return True
    return False


def _civil_year(df: pd.DataFrame, year: int) -> tuple[pd.DataFrame, int]:
    """The typical year on the civil calendar year: labels from 1 Jan 01:00 to 1 Jan 00:00 of
    the next year on the zone's clock, and the hours it moved.

    The file's year is whole in its station's standard time. Where the zone's clock on
    1 January differs from that (summer time in the Southern Hemisphere; a site west of a
    time-zone border, within :data:`dcplan.site.MAX_STATION_OFFSET_DIFF_H` of the station),
    the converted year starts or ends that many hours off and a bill would have a thirteenth,
    one-hour month. The typical year is cyclic, so those hours wrap from one end of the year
    to the other: every hour keeps its instant, except the moved ones, which keep their
    clock time and move by exactly the length of the year (365 or 366 days). Only whole
    hours move: in a zone a half hour off the station's (India, Newfoundland, central
    Australia) the labels stay at half past, 01:30 on 1 January to 00:30 a year later.
    """
    start = pd.Timestamp(year=year, month=1, day=1, hour=1).tz_localize(df.index.tz)
    # whole hours only: a zone half an hour off the station's keeps its labels at half past
    # (every instant kept; the year still has its 12 months)
    shift_h = int(np.floor((df.index[0] - start) / pd.Timedelta("1h") + 1e-9))
    if shift_h == 0:
        return df, 0
    first = df.index[0] - pd.Timedelta(hours=shift_h)
    out = pd.DataFrame(np.roll(df.to_numpy(), shift_h, axis=0), columns=df.columns,
                       index=pd.date_range(first, periods=len(df), freq="h", name=df.index.name))
    return out.astype(df.dtypes.to_dict()), shift_h


# ---------------------------------------------------------------------------
# A render's parsed weather, shared between its runs' kernels

#: Environment variable naming a folder where parsed weather frames are shared between
#: processes. ``dcplan render`` sets it for its kernels (a private folder, removed when
#: the render ends): the runs of a render read each site's file over and over (every
#: per-site notebook, plus the portfolio notebooks and the peers a site is ranked
#: against), and pvlib's parsers take 0.1-0.2 s a file. A frame is shared under the
#: file's resolved path, modification time and size and the arguments, so an edited
#: file is parsed again.
SHARED_DIR_ENV = "DCPLAN_WEATHER_SHARED_DIR"
_SHARED_FORMAT = 6  # 2: attrs carry the EPW header's ASHRAE design conditions; 3: their 1 % and 2 % too;
# 4: the header's extremes and station number; 5: rows_utc_offset_h (PVGIS's rows in UTC); 6: resampled_* (an
# NSRDB CSV of sub-hourly rows averaged to hours)


def _shared_path(path: Path, year: int, tz, fmt: str, rows_h: float | None = None) -> Path | None:
    import hashlib

    from ._render_shared import folder
    where = folder(SHARED_DIR_ENV)  # frames are unpickled from there: only a private folder (else: parse)
    if where is None:
        return None
    try:
        st = path.stat()
        key = repr((_SHARED_FORMAT, str(path.resolve()), st.st_mtime_ns, st.st_size, year,
                    None if tz is None else str(tz), fmt, rows_h))
    except OSError:
        return None
    return where / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pkl")


def _shared_get(file: Path) -> pd.DataFrame | None:
    from ._render_shared import get
    df = get(file)  # None: absent, half-written elsewhere, unreadable: parse instead
    return df if isinstance(df, pd.DataFrame) else None


def _shared_put(file: Path, df: pd.DataFrame) -> None:
    from ._render_shared import put
    put(file, df)  # atomic: a reader sees the whole frame or none


def load_site_weather(site, tz: str | None = None) -> pd.DataFrame:
    """:func:`load_weather` for a :class:`dcplan.site.Site` (its file, format and year).

    ``tz`` defaults to the file's local standard time; pass ``site.timezone``
    to get the site's civil time. A site farther from the file's station than
    :data:`dcplan.site.MAX_STATION_DISTANCE_KM` (e.g. a US longitude with the wrong
    sign), whose time zone keeps a standard time more than
    :data:`dcplan.site.MAX_STATION_OFFSET_DIFF_H` from the station's, or whose
    ``elevation_m`` is more than :data:`dcplan.site.MAX_STATION_ELEVATION_DIFF_M` from the
    station's is an :class:`~dcplan.errors.InputError` naming the site file and field
    (:func:`dcplan.site.station_problems`); more than
    :data:`dcplan.site_station.STATION_WARN_ELEVATION_DIFF_M` is a
    :class:`~dcplan.errors.DcplanWarning` (:func:`dcplan.site_station.station_elevation_warning`:
    the figures are the station's). A ``weather.source`` that names a station number
    (WMO, USAF or WBAN) other than the file header's is a :class:`~dcplan.errors.DcplanWarning`
    (:func:`source_id_mismatch`). :func:`site_weather_problems` lists them all
    without building the frame.
    """
    from .site import station_problems
    from .site_station import station_elevation_warning
    try:
        w = load_weather(site.weather_path, year=site.weather.year, tz=tz, format=site.weather.format,
                         rows_utc_offset_h=site.weather.rows_utc_offset_h)
    except InputError as e:
        if e.file is None:
            e.file = site.source_file
        raise
    problems = station_problems(site, w.attrs)
    if problems:
        field, msg = problems[0]
        raise InputError(msg, file=site.source_file or None, field=field)
    text = station_elevation_warning(site, w.attrs)
    if text:  # far above or below the station: the figures are the station's
        warnings.warn(text, DcplanWarning, stacklevel=2)
    warn_source_mismatch(site, w.attrs, stacklevel=3)
    return w


def warn_source_mismatch(site, attrs: dict, stacklevel: int = 2) -> None:
    """A :class:`~dcplan.errors.DcplanWarning` when the site's free-text ``weather.source`` (the
    provenance a report prints) names a station number other than the one the header of its
    weather file gives (``attrs`` of :func:`load_weather`; :func:`source_id_mismatch`)."""
    sid, kind = attrs.get("station_id", ""), attrs.get("station_id_kind", "")
    named = source_id_mismatch(site.weather.source, sid, kind)
    if named is not None:
        warnings.warn(f"{site.source_file or site.name}: weather.source names {named[0]} {named[1]}, but the "
                      f"header of the weather file {site.weather_path.name} gives {kind} {sid} "
                      f"({attrs.get('station') or 'no name'}); allowed: a source naming the file's own station: "
                      "correct weather.source or weather.file", DcplanWarning, stacklevel=stacklevel)
