"""PVGIS typical years (the EU JRC's TMY tool: CSV, JSON and EPW) as dcplan weather (part of :mod:`dcplan.weather`).

PVGIS (the European Commission JRC's Photovoltaic Geographical Information System) serves a typical
meteorological year for any point of most of the world, built by the ISO 15927-4 procedure from satellite
irradiance (PVGIS-SARAH, -NSRDB or -ERA5) and ERA5 reanalysis (JRC, "PVGIS typical meteorological year (TMY)
generator"; Huld et al., Atmosphere 9, 53, 2018): for a site outside the US it is often the only typical year
at hand. It comes as CSV, JSON or EPW, and pvlib reads all three (:func:`pvlib.iotools.read_pvgis_tmy`).

**Its rows are in UTC.** The CSV's time column is ``time(UTC)`` (``20180101:0000``) and the JSON's the same;
neither names a zone for the place. PVGIS's EPW holds the same rows, ``2018,1,1,1`` being the CSV's
``20180101:0000`` (the CSV and EPW of pvlib's test data for 45 N 8 E, both PVGIS 5.3 downloads), yet its
LOCATION line declares the place's zone (``1`` there): read as an EPW, every hour's weather would land an hour
early there (eight in Perth). dcplan therefore reads:

* **CSV and JSON** (``weather.format: pvgis``; ``auto`` knows a ``.json`` file and a ``.csv`` whose first line
  is ``Latitude (decimal degrees): ...``): the row stamped ``t`` (UTC) is the hour from ``t`` to ``t + 1 h``,
  labelled by its end as dcplan's other formats are, on UTC. With the site's zone (:func:`dcplan.weather.
  load_site_weather`) the typical year is wrapped onto the site's calendar year as a station's standard time
  is (:func:`dcplan.weather._civil_year`).
* **An EPW from PVGIS** (told by its ``COMMENTS 2`` line, ``Irradiance Time Offset (h): ...``, which PVGIS
  writes and EnergyPlus's converter does not): its rows on UTC, not on the LOCATION line's zone, which stays the
  station's (checked against the site's zone).

PVGIS's irradiance is from instantaneous satellite images: its ``Irradiance Time Offset`` (0.18 h in the CSV
above) says they are taken about ten minutes after the stamped hour, so a PVGIS hour's sun is centred some
0.3 h before the middle dcplan gives it (within :data:`dcplan.weather_timing.MAX_OFFSET_H`; dcplan does not
interpolate). There is no dew point: it is derived from ``T2m`` and ``RH`` (ASHRAE 2017 ch. 1, as for an NSRDB
file: :mod:`dcplan.weather_nsrdb`). Pressure ``SP`` is in Pa, wind ``WS10m`` at 10 m as in a TMY. PVGIS's TMY
has no 29 Feb (8,760 rows).
"""
from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["read_pvgis", "PVGIS_MAP", "is_pvgis_epw", "pvgis_data_lines", "pvgis_line_problem", "pvgis_json_problem",
           "PVGIS_FIRST_LINE", "PVGIS_ROWS"]

#: Columns of :func:`pvlib.iotools.read_pvgis_tmy` (``map_variables=True``) for dcplan's; every unit is dcplan's
#: (°C, %, W/m², m/s, Pa). ``temp_dew`` is derived from ``temp_air`` and ``relative_humidity``.
PVGIS_MAP = {"temp_air": ("temp_air", 1.0), "temp_dew": ("temp_dew", 1.0),
             "relative_humidity": ("relative_humidity", 1.0), "pressure": ("pressure", 1.0),
             "ghi": ("ghi", 1.0), "dni": ("dni", 1.0), "dhi": ("dhi", 1.0), "wind_speed": ("wind_speed", 1.0)}
#: How a PVGIS TMY CSV starts (the JRC's TMY tool, "Outputs: csv"): latitude, longitude, elevation lines.
PVGIS_FIRST_LINE = "Latitude (decimal degrees):"
#: Rows of a PVGIS typical year: 365 days of 24 hours (no 29 Feb).
PVGIS_ROWS = 8760
#: A PVGIS data line: ``YYYYMMDD:HHMM,`` then the values.
_STAMP = re.compile(r"^\d{8}:\d{4},")
#: The comment PVGIS writes into its EPW header (``COMMENTS 2,Irradiance Time Offset (h):-0.8239``).
_EPW_MARK = "irradiance time offset"
#: Header lines of an EPW (LOCATION to DATA PERIODS), where PVGIS's mark is looked for.
_EPW_HEADER_LINES = 8


def is_pvgis_epw(path: str | Path) -> bool:
    """Whether an EPW file is PVGIS's: a ``COMMENTS`` line of its header gives PVGIS's ``Irradiance Time
    Offset`` (its rows are then in UTC, module docstring). Reads the header's eight lines."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for _ in range(_EPW_HEADER_LINES):
                line = fh.readline()
                if line.upper().startswith("COMMENTS") and _EPW_MARK in line.lower():
                    return True
    except OSError:
        return False
    return False


def pvgis_data_lines(path: str | Path) -> list[tuple[int, str]]:
    """(line number, text) of each data row of a PVGIS TMY CSV: the lines after the ``time(UTC)`` column names
    up to the first that is not stamped ``YYYYMMDD:HHMM`` (the descriptions PVGIS appends). Empty for a JSON
    file (no line to name) or a file without the column names."""
    out: list[tuple[int, str]] = []
    if Path(path).suffix.lower() == ".json":
        return out
    with open(path, encoding="utf-8", errors="replace") as fh:
        started = False
        for no, line in enumerate(fh, start=1):
            text = line.rstrip("\r\n")
            if not started:
                started = text.lower().startswith("time(utc)")
                continue
            if not _STAMP.match(text):
                break
            out.append((no, text))
    return out


def _location(meta: dict) -> tuple[float, float, float]:
    """(latitude, longitude, elevation) from pvlib's metadata of a PVGIS CSV (``inputs``) or JSON
    (``inputs.location``)."""
    inputs = meta.get("inputs") or {}
    where = inputs.get("location", inputs)
    return tuple(float(where.get(k, float("nan"))) for k in ("latitude", "longitude", "elevation"))


def read_pvgis(path: Path) -> tuple[pd.DataFrame, dict]:
    """``(data, meta)`` of a PVGIS TMY CSV or JSON: pvlib's reader's columns with ``temp_dew`` derived, and
    ``month``, ``day``, ``hour`` (hour-ending 1..24 on UTC: the row stamped ``t`` is the hour ending ``t + 1 h``)
    for dcplan's order checks; ``meta`` keyed as dcplan's other formats' (``TZ`` 0: the rows' clock;
    ``station_TZ`` NaN: PVGIS names no zone for the place; ``city``, ``latitude``, ``longitude``, ``altitude``).
    Raises :class:`~dcplan.errors.InputError` for a CSV whose stamped rows are not :data:`PVGIS_ROWS` (a
    time series of several years is not a typical year); pvlib's own errors propagate for
    :func:`dcplan.weather._read_raw` to explain."""
    from pvlib import iotools  # (here: the format checks import this module, and need neither it nor pandas)

    from .weather_nsrdb import _with_humidity
    file = str(path)
    kind = "json" if path.suffix.lower() == ".json" else "csv"
    if kind == "csv":
        n = len(pvgis_data_lines(path))
        if n != PVGIS_ROWS:
            raise InputError(f"{n:,} rows stamped YYYYMMDD:HHMM after the time(UTC) column names; a PVGIS typical "
                             f"year has {PVGIS_ROWS:,} (allowed: the TMY tool's CSV; a time series of several years "
                             "is no typical year)", file=file, field="time(UTC)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data, meta = iotools.read_pvgis_tmy(file, pvgis_format=kind, map_variables=True)
    start = data.index  # UTC, the start of each row's hour
    data = _with_humidity(data.reset_index(drop=True), file)
    data["month"], data["day"], data["hour"] = start.month, start.day, start.hour + 1
    data["year"] = start.year
    lat, lon, alt = _location(meta)
    out = {"TZ": 0.0, "station_TZ": float("nan"), "latitude": lat, "longitude": lon, "altitude": alt,
           "city": f"PVGIS {lat:.3f}, {lon:.3f}"}
    return data, out


def pvgis_json_problem(path: str | Path) -> str | None:
    """What is wrong with a ``.json`` file read as PVGIS, before pvlib reads it: not JSON, or JSON without the
    TMY tool's ``outputs.tmy_hourly`` (a tariff's JSON, a PVGIS hourly series); None when it has them."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            doc = json.load(fh)
    except OSError as e:
        return f"cannot read: {e.strerror or e}"
    except json.JSONDecodeError as e:
        return f"not JSON: {e.msg} at line {e.lineno}, column {e.colno}"
    rows = doc.get("outputs", {}).get("tmy_hourly") if isinstance(doc, dict) and isinstance(
        doc.get("outputs"), dict) else None
    if not isinstance(rows, list):
        return ("not a PVGIS TMY JSON: no outputs.tmy_hourly list (allowed: the JSON of PVGIS's TMY tool; a "
                "tariff's JSON belongs in tariff.file)")
    return None


def pvgis_line_problem(path: str | Path, lines: list[tuple[int, str]]) -> str | None:
    """The first data line of a PVGIS TMY CSV (``lines``: :func:`pvgis_data_lines`) with another number of
    fields than its ``time(UTC)`` column names, or a field that is not a number; None when none is found."""
    if not lines:
        return None
    with open(path, encoding="utf-8", errors="replace") as fh:
        names = next((ln.strip() for ln in fh if ln.lower().startswith("time(utc)")), "")
    k = len(names.split(","))
    for r, (no, text) in enumerate(lines):
        f = [x.strip() for x in text.split(",")]
        at = f"line {no} (data row {r + 1})"
        if len(f) != k:
            return f"{at} has {len(f)} comma-separated fields; the time(UTC) column names have {k}"
        for name, v in zip(names.split(",")[1:], f[1:]):
            try:
                float(v)
            except ValueError:
                return f"{at}: {name.strip()} is {v!r}; allowed: a number"
    return None
