"""What is wrong with a weather file, and where (part of :mod:`dcplan.weather`).

:func:`dcplan.weather.load_weather` reads a file with pvlib's reader, then checks the
table here (:func:`table_problems`): 8760 rows running 1 Jan hour 1 to 31 Dec hour 24 in
order (8784 with 29 Feb: a leap year's record, e.g. an actual-year file of 2024), every needed
column present, every value a number within its plausible range, and no dew point above its
row's dry bulb (beyond :data:`DEW_ABOVE_DRY_TOLERANCE_K` of rounding).
Each problem names the file, the column, the data row and its line in the file, the value
and what is allowed. When pvlib cannot read a file at all (a garbled hour, a line cut
short, a stray comma), :func:`unreadable_detail` finds the first line that breaks the
format, so the error says where instead of repeating pandas' message.

* :func:`weather_problems` lists every problem of one file (``dcplan validate FILE``).
* :func:`site_weather_problems` checks the file a site names, then the site against the
  file's station (:func:`dcplan.site.station_problems`): what ``dcplan render`` checks for
  every site of the portfolio before its first run, and ``dcplan validate`` for a site.
  Both read the file with the loader's own reader and checks, so a file passes exactly
  when :func:`~dcplan.weather.load_weather` accepts it.

Checked files are remembered
----------------------------
A check costs pvlib's import (0.4-0.6 s on a shared 2-core machine: pvlib imports scipy)
plus its parse (0.03-0.05 s a file); render's plan process imports neither otherwise. A
file that passes is remembered with its station (header) in ``$DCPLAN_CACHE_DIR/weather-checks``
(default ``$XDG_CACHE_HOME/dcplan``, else ``~/.cache/dcplan``; an empty ``DCPLAN_CACHE_DIR``
turns this off) under the SHA-256 of its content, its format and year, the checking code
(``weather.py``, ``weather_header.py``, ``weather_nsrdb.py``, ``weather_pvgis.py``, ``weather_timing.py``, ``weather_hourly.py``,
this module) and the pvlib, pandas and numpy versions: an edited file or new code is checked again; an
unchanged file costs a read and a hash (about 2 ms for an EPW). Entries are small JSON files, never code; a
file with problems is never remembered.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import hashlib
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .paths import CACHE_DIR_ENV
from .weather_check_cache import _CACHE_FORMAT, _cache_dir, _cache_get, _cache_put, _code_digest

__all__ = ["table_problems", "unreadable_detail", "weather_problems", "checked_file",
           "site_weather_problems", "CACHE_DIR_ENV"]

#: Lines before the first data row: EPW 8 (LOCATION to DATA PERIODS; EnergyPlus Auxiliary
#: Programs, "Weather Converter Program"), TMY3 2 (station line, column names; NREL TMY3
#: User's Manual, 2008), TMY2 1 (NREL TMY2 User's Manual, 1995), NSRDB 3 (metadata names,
#: their values, column names: dcplan.weather_nsrdb).
_HEADER_LINES = {"epw": 8, "tmy3": 2, "tmy2": 1, "nsrdb": 3}
#: Fields of an EPW data line (EnergyPlus Auxiliary Programs; pvlib.iotools.read_epw names 35).
_EPW_FIELDS = 35
#: Characters of a TMY2 data line: a blank, then the fixed-width fields pvlib.iotools.read_tmy2
#: reads (NREL TMY2 User's Manual, 1995, Table 3-1).
_TMY2_WIDTH = 142
#: Units of the checked columns as dcplan holds them (module docstring of dcplan.weather).
_UNITS = {"temp_air": "°C", "temp_dew": "°C", "relative_humidity": "%", "pressure": "Pa",
          "ghi": "W/m²", "dni": "W/m²", "dhi": "W/m²", "wind_speed": "m/s"}
_ORDER = "rows must run 1 Jan hour 1 to 31 Dec hour 24, one per hour"


# ---------------------------------------------------------------------------
# rows, lines and labels

@functools.lru_cache(maxsize=2)
def _typical_mdh(leap: bool = False) -> np.ndarray:
    """(month, day, hour-ending 1..24) of the 8760 rows of a typical year, or with ``leap`` the
    8784 rows of a leap year's record (29 Feb after 28 Feb)."""
    end = pd.date_range("2024-01-01 01:00" if leap else "2025-01-01 01:00", periods=8784 if leap else 8760,
                        freq="h")
    start = end - pd.Timedelta(hours=1)
    out = np.column_stack([start.month, start.day, start.hour + 1]).astype(int)
    out.flags.writeable = False
    return out


def file_year(data: pd.DataFrame, fmt: str) -> int | None:
    """The calendar year of a file's rows when they all share one (an actual-year file, e.g. a
    2024 record), else None: a typical year's months come from different years, and a TMY2
    file gives two-digit years (the century cannot be told)."""
    try:
        if fmt == "epw":
            years = pd.to_numeric(data["year"], errors="coerce")
        elif fmt == "tmy3":
            years = pd.to_datetime(data["Date (MM/DD/YYYY)"], format="%m/%d/%Y").dt.year
        elif fmt in ("nsrdb", "pvgis"):  # (PVGIS: each month's source year, on UTC: dcplan.weather_pvgis)
            years = pd.to_numeric(data["Year" if fmt == "nsrdb" else "year"], errors="coerce")
        else:
            return None
    except (KeyError, ValueError):
        return None
    u = pd.unique(years.to_numpy())
    return int(u[0]) if len(u) == 1 and np.isfinite(u[0]) and 1800 <= u[0] <= 2200 else None


def _n(k: int, what: str) -> str:
    return f"{k} {what}" + ("" if k == 1 else "s")


def _mdh(r) -> str:
    """``21 Jan hour 22`` for a (month, day, hour-ending) row."""
    m, d, h = (int(x) for x in r)
    month = calendar.month_abbr[m] if 1 <= m <= 12 else f"month {m}"
    return f"{d} {month} hour {h}"


def _data_lines(path: Path, fmt: str) -> list[tuple[int, str]]:
    """(line number, text) of each data row as the reader counts them: after the header,
    blank lines skipped for the CSV formats (pandas' ``read_csv`` skips them); PVGIS's CSV: its stamped rows
    (:func:`dcplan.weather_pvgis.pvgis_data_lines`)."""
    if fmt == "pvgis":
        from .weather_pvgis import pvgis_data_lines
        return pvgis_data_lines(path)
    skip = _HEADER_LINES[fmt]
    out = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for no, line in enumerate(fh, start=1):
            if no <= skip:
                continue
            text = line.rstrip("\r\n")
            if fmt != "tmy2" and not text.strip():
                continue
            out.append((no, text))
    return out


class _Where:
    """``data row N, line L`` of row ``i``; reads the file only when a problem is reported."""

    def __init__(self, path: Path, fmt: str, n_fields: int):
        self.path, self.fmt, self.n_fields = path, fmt, n_fields
        self._lines: list[tuple[int, str]] | None = None

    @property
    def lines(self) -> list[tuple[int, str]]:
        if self._lines is None:
            try:
                self._lines = _data_lines(self.path, self.fmt)
            except OSError:
                self._lines = []
        return self._lines

    def line(self, i: int) -> int | None:
        """The file line of data row ``i`` (0-based), None when it cannot be told."""
        return self.lines[i][0] if 0 <= i < len(self.lines) else None

    def __call__(self, i: int) -> str:
        ln = self.line(i)
        return f"data row {i + 1}" + (f", line {ln}" if ln else "")

    def row(self, i: int) -> str:
        """``data row N (line L)``: the same, to stand in a sentence."""
        ln = self.line(i)
        return f"data row {i + 1}" + (f" (line {ln})" if ln else "")

    def short(self, i: int) -> str:
        """``, whose line has only 6 of 35 fields`` when row ``i``'s line is cut short."""
        if not 0 <= i < len(self.lines):
            return ""
        text = self.lines[i][1]
        if self.fmt == "tmy2":
            n = len(text)
            return f", whose line has only {n} of {_TMY2_WIDTH} characters" if n < _TMY2_WIDTH else ""
        n = len(text.split(","))
        return f", whose line has only {n} of {self.n_fields} fields" if n < self.n_fields else ""


def _month_day_hour(data: pd.DataFrame, fmt: str, path: Path) -> np.ndarray:
    """(month, day, hour-ending 1..24) of each row, from the file's own fields."""
    try:
        if fmt == "tmy3":
            d = pd.to_datetime(data["Date (MM/DD/YYYY)"], format="%m/%d/%Y")
            h = data["Time (HH:MM)"].astype(str).str.split(":").str[0].astype(int)
            return np.column_stack([d.dt.month, d.dt.day, h]).astype(int)
        if fmt == "nsrdb":  # Hour 0-23 starts the hour: the hour ending at Hour + 1 (dcplan.weather_nsrdb)
            return np.column_stack([data["Month"], data["Day"], data["Hour"] + 1]).astype(int)
        return np.column_stack([data["month"], data["day"], data["hour"]]).astype(int)
    except (KeyError, ValueError) as e:
        raise InputError(f"cannot read the date/hour fields: {e}", file=str(path)) from None


def _row_labels(year: int, tz, leap_rows: bool = False) -> pd.DatetimeIndex:
    """Hour-ending labels of the file rows in ``year``: 8760, 29 Feb skipped in a leap year; with
    ``leap_rows`` (a file that has 29 Feb) 8784, in ``year`` if it is a leap year, else in the
    leap year before it."""
    if leap_rows:
        while not calendar.isleap(year):
            year -= 1
    idx = pd.date_range(pd.Timestamp(year=year, month=1, day=1, hour=1, tz=tz),
                        pd.Timestamp(year=year + 1, month=1, day=1, hour=0, tz=tz), freq="h")
    if leap_rows:
        return idx
    start = idx - pd.Timedelta(hours=1)
    return idx[~((start.month == 2) & (start.day == 29))]


def _per_hour(got: np.ndarray, want: np.ndarray) -> int | None:
    """``k`` when the table is sub-hourly, ``k`` records per hour: ``k`` x the rows of ``want``, each hour's
    (month, day, hour) on ``k`` rows in a row (a half-hourly EPW, DATA PERIODS ``1,2``: 17,520 rows, two of
    each hour, minutes 30 and 60); else None."""
    n, full = len(got), len(want)
    if full == 0 or n <= full or n % full:
        return None
    k = n // full
    g = got.reshape(full, k, got.shape[1])
    return k if (g == want[:, None, :]).all() else None


def _count_detail(got: np.ndarray, where: _Where, want: np.ndarray) -> str:
    """Why a table does not have the rows of ``want``: where its hours first leave that year."""
    n, full = len(got), len(want)
    k = _per_hour(got, want)
    if k is not None:
        step = "half-hourly" if k == 2 else f"{60 / k:g}-minute"
        both = f"{where.row(0)} and {where.row(1)} are both" if k == 2 else \
            f"{where.row(0)} to {where.row(k - 1)} are all"
        return (f"the file looks {step} ({k} records per hour: {both} "
                f"{_mdh(got[0])}); dcplan reads hourly weather only; allowed: an hourly file, one record per "
                f"hour ({full:,} rows; an EPW's DATA PERIODS header says 1 record per hour)")
    m = min(n, full)
    bad = np.flatnonzero((got[:m] != want[:m]).any(axis=1))
    if not bad.size:
        if n == 0:
            return f"no data rows after the header; {_ORDER}"
        if n < full:
            return (f"the rows stop at {_mdh(got[n - 1])} ({where(n - 1)}{where.short(n - 1)}): "
                    f"the file is cut short; {_ORDER}")
        return f"{_n(n - full, 'row')} after 31 Dec hour 24, from {where.row(full)} on; {_ORDER}"
    i = int(bad[0])
    g = got[i]
    later = np.flatnonzero((want[i:] == g).all(axis=1))
    if n < full and later.size and 0 < later[0] <= full - n:
        k = int(later[0])
        gap = _mdh(want[i]) if k == 1 else f"{_mdh(want[i])} to {_mdh(want[i + k - 1])}"
        return f"{_n(k, 'hour')} missing, {gap}: {where.row(i)} is {_mdh(g)}; {_ORDER}"
    if i > 0 and (g == got[i - 1]).all():
        return f"{where.row(i)} repeats {_mdh(g)}; {_ORDER}"
    return f"{where.row(i)} is {_mdh(g)}, expected {_mdh(want[i])}; {_ORDER}"


def _file_range(name: str, factor: float, lo: float, hi: float) -> str:
    """The plausible range of column ``name`` in the file's own units."""
    unit = _UNITS[name]
    if factor == 100.0 and name == "pressure":
        return f"{lo / 100:g} to {hi / 100:g} mbar"
    if factor == 0.1:
        return f"{lo * 10:g} to {hi * 10:g} tenths of {unit}"
    return f"{lo:g} to {hi:g} {unit}"


# ---------------------------------------------------------------------------
# a read table

def table_problems(data: pd.DataFrame, meta: dict, fmt: str, cmap: dict, path: Path,
                   year: int) -> tuple[list[InputError], dict]:
    """Every problem of a table pvlib read, and its columns in pvlib names and units.

    ``cmap`` maps each pvlib name to the reader's column and a unit factor
    (:func:`dcplan.weather._read_raw`). Problems name the file, the column, the data row
    with its line in the file, the value and what is allowed.
    """
    from .weather import _RANGES
    file = str(path)
    where = _Where(path, fmt, _EPW_FIELDS if fmt == "epw" else len(data.columns))
    got = _month_day_hour(data, fmt, path)
    n = len(data)
    # a file with 29 Feb is a leap year's record (an actual year, e.g. 2024): 8784 rows
    leap_rows = bool(((got[:, 0] == 2) & (got[:, 1] == 29)).any()) if n else False
    want = _typical_mdh(leap_rows)
    if n != len(want):
        what = (f"{len(want)} hourly rows of a leap year's record (the file has 29 Feb)" if leap_rows
                else "8760 hourly rows of a typical year")
        return [InputError(f"expected {what}, got {n}: {_count_detail(got, where, want)}", file=file)], {}
    problems: list[InputError] = []
    bad = np.flatnonzero((got != want).any(axis=1))
    if bad.size:
        i = int(bad[0])
        ln = where.line(i)
        rep = i > 0 and bool((got[i] == got[i - 1]).all())  # a repeated hour (8760 rows: one is missing)
        problems.append(InputError(
            f"row {i + 1} is month {got[i, 0]}, day {got[i, 1]}, hour {got[i, 2]}"
            f"{f' (line {ln})' if ln else ''}{', the same hour as the row before: a repeated hour' if rep else ''}"
            f"; expected {want[i, 0]}/{want[i, 1]} hour {want[i, 2]}: "
            f"rows must run 1 Jan hour 1 to 31 Dec hour 24 in order ({_n(bad.size, 'row')} out of place)",
            file=file))
    cols = {}
    for name, (src, factor) in cmap.items():
        if src not in data.columns:
            problems.append(InputError(f"column {src!r} (for {name}) missing", file=file, field=src))
            continue
        cols[name] = pd.to_numeric(data[src], errors="coerce").to_numpy(dtype=float) * factor
    labels = _row_labels((file_year(data, fmt) or year) if leap_rows else year,
                         dt.timezone(dt.timedelta(hours=float(meta.get("TZ", 0.0)))), leap_rows)
    for name, (lo, hi) in _RANGES.items():
        if name not in cols:
            continue
        v = cols[name]
        badm = ~np.isfinite(v) | (v < lo) | (v > hi)
        if not badm.any():
            continue
        i = int(np.argmax(badm))
        src, factor = cmap[name]
        more = f"; {int(badm.sum())} rows in all" if badm.sum() > 1 else ""
        if np.isfinite(v[i]):
            msg = (f"value {float(v[i])!r} at {labels[i]} ({where(i)}) outside plausible range "
                   f"[{lo}, {hi}] (missing-value code or wrong units?){more}")
        else:
            raw = data[src].iloc[i]
            text = "" if raw is None or (isinstance(raw, float) and np.isnan(raw)) else str(raw).strip()
            at = f"at {labels[i]} ({where(i)}{where.short(i)})"
            what = (f"value {text!r} {at} is not a number" if text and text.lower() != "nan"
                    else f"no value {at}: an empty field or NaN")
            msg = f"{what}; allowed: a number, plausibly {_file_range(name, factor, lo, hi)}{more}"
        problems.append(InputError(msg, file=file, field=src))
    if "temp_air" in cols and "temp_dew" in cols:
        problems += _dew_above_dry(cols["temp_air"], cols["temp_dew"], labels, where, file, cmap["temp_dew"][0])
    return problems, cols


#: How far a dew point may lie above its row's dry bulb and still be read as saturated air
#: (wet bulb = dew point = dry bulb): the files store tenths of a kelvin, and a dew point
#: derived from a rounded humidity can round a few tenths above a foggy hour's dry bulb. [K]
DEW_ABOVE_DRY_TOLERANCE_K = 0.5


def _dew_above_dry(t_air: np.ndarray, t_dew: np.ndarray, labels, where: _Where, file: str,
                   src: str) -> list[InputError]:
    """A dew point more than :data:`DEW_ABOVE_DRY_TOLERANCE_K` above the dry bulb: no air
    holds that much water (its dew point is at most its dry bulb, at saturation), so the
    row's humidity is wrong (a swapped column, a value of another hour); the wet bulb would
    silently have been the dry bulb."""
    with np.errstate(invalid="ignore"):
        bad = t_dew > t_air + DEW_ABOVE_DRY_TOLERANCE_K
    if not bad.any():
        return []
    i = int(np.argmax(bad))
    more = f"; {int(bad.sum())} rows in all" if bad.sum() > 1 else ""
    return [InputError(
        f"dew point {float(t_dew[i]):g} °C above the dry bulb {float(t_air[i]):g} °C at {labels[i]} "
        f"({where(i)}): no air holds that much water (its dew point is at most its dry bulb, at "
        f"saturation); allowed: a dew point at most {DEW_ABOVE_DRY_TOLERANCE_K:g} K above the dry bulb "
        f"(rounding), read as saturated air{more}", file=file, field=src)]


# ---------------------------------------------------------------------------
# a file pvlib cannot read

def _digits(s: str) -> bool:
    return re.fullmatch(r"[0-9]+", s) is not None


def _epw_line_problem(lines: list[tuple[int, str]]) -> str | None:
    time_fields = (("year", 0, None), ("month", 1, (1, 12)), ("day", 2, (1, 31)), ("hour", 3, (1, 24)))
    for r, (no, text) in enumerate(lines):
        f = [x.strip() for x in text.split(",")]
        at = f"line {no} (data row {r + 1})"
        if len(f) > _EPW_FIELDS:
            return (f"{at} has {len(f)} comma-separated fields; an EPW data line has {_EPW_FIELDS} "
                    "(a comma inside a value?)")
        for name, j, rng in time_fields:
            if j >= len(f):
                return (f"{at} ends after {len(f)} field(s), before its {name}: the line is cut short "
                        f"(a truncated file?); an EPW data line has {_EPW_FIELDS} fields")
            if not _digits(f[j]) or (rng and not rng[0] <= int(f[j]) <= rng[1]):
                allowed = "a whole number" + (f" from {rng[0]} to {rng[1]}" if rng else "")
                return f"{at}: {name} is {f[j]!r}; allowed: {allowed}"
        try:
            dt.date(int(f[0]), int(f[1]), int(f[2]))
        except ValueError:
            return f"{at}: month {f[1]}, day {f[2]} is not a date of year {f[0]}"
    return None


def _tmy3_line_problem(path: Path, lines: list[tuple[int, str]]) -> str | None:
    with open(path, encoding="utf-8", errors="replace") as fh:
        fh.readline()
        k = len(fh.readline().split(","))
    for r, (no, text) in enumerate(lines):
        f = [x.strip() for x in text.split(",")]
        at = f"line {no} (data row {r + 1})"
        if len(f) > k:
            return (f"{at} has {len(f)} comma-separated fields; the column-name line (line 2) has {k} "
                    "(a comma inside a value?)")
        if len(f) < 2:
            return f"{at} ends after {len(f)} field(s), before its time: the line is cut short (a truncated file?)"
        try:
            dt.datetime.strptime(f[0], "%m/%d/%Y")
        except ValueError:
            return f"{at}: Date (MM/DD/YYYY) is {f[0]!r}; allowed: a date such as 01/31/1988"
        hh, _, mm = f[1].partition(":")
        if not (_digits(hh) and _digits(mm)):
            return f"{at}: Time (HH:MM) is {f[1]!r}; allowed: the hour ending, 01:00 to 24:00"
    return None


def _tmy2_line_problem(lines: list[tuple[int, str]], err: BaseException) -> str | None:
    for r, (no, text) in enumerate(lines):
        if len(text) < _TMY2_WIDTH:
            return (f"line {no} (data row {r + 1}) has {len(text)} characters; a TMY2 data line has "
                    f"{_TMY2_WIDTH} (fixed-width fields): the line is cut short (a truncated file?)")
    m = re.search(r'not an integer " (.*) "', str(err))
    if m and m.group(1).strip():
        val = m.group(1)
        for r, (no, text) in enumerate(lines):
            if val in text:
                return (f"line {no} (data row {r + 1}): {val.strip()!r} where a number belongs; TMY2 "
                        "fields are fixed-width numbers (NREL TMY2 User's Manual, 1995)")
    return None


def unreadable_detail(path: Path, fmt: str, err: BaseException) -> str | None:
    """Where a file that pvlib's reader refused (``err``) breaks its format: the first data
    line whose date or hour fields are not what the format allows, that has more fields
    than the format's (a stray comma) or that is cut short. None when no line is found."""
    try:
        lines = _data_lines(path, fmt)
        if fmt == "epw":
            return _epw_line_problem(lines)
        if fmt == "tmy3":
            return _tmy3_line_problem(path, lines)
        if fmt == "tmy2":
            return _tmy2_line_problem(lines, err)
        if fmt == "pvgis":
            from .weather_pvgis import pvgis_line_problem
            return pvgis_line_problem(path, lines)
    except OSError:
        pass
    return None


# ---------------------------------------------------------------------------
# files and sites

def _check(path: Path, fmt: str, year: int, rows_h: float | None = None) -> tuple[list[InputError], dict | None]:
    """The loader's reader and checks, without building the frame (``rows_h``: the rows' clock, as
    :func:`dcplan.weather.load_weather`'s ``rows_utc_offset_h``)."""
    from . import weather as wx
    try:
        data, meta, cmap = wx._read_raw(path, fmt)
    except InputError as e:
        return [e], None
    meta = wx.on_clock(meta, rows_h)
    problems, cols = table_problems(data, meta, fmt, cmap, path, int(year))
    if problems:
        return problems, None
    from .weather_timing import timing_facts
    sid, kind = wx.station_id(meta, fmt)
    station = wx._station(meta)
    return problems, {**station, "station_id": sid, "station_id_kind": kind,
                      **file_rows(data, fmt, len(next(iter(cols.values())))), **timing_facts(cols, station)}


def file_rows(data: pd.DataFrame, fmt: str, n: int) -> dict:
    """``file_hours`` (8760, or 8784 for a file with 29 Feb) and ``file_year`` (:func:`file_year`,
    0 when the rows do not share one year) of a checked table of ``n`` rows."""
    return {"file_hours": float(n), "file_year": float(file_year(data, fmt) or 0)}


def weather_problems(source: str | Path, format: str = "auto", year: int = 2025) -> list[InputError]:
    """Every problem found in a weather file (empty when :func:`~dcplan.weather.load_weather`
    would accept it)."""
    from .weather import _detect_format
    path = Path(source)
    if not path.is_file():
        return [InputError("weather file not found", file=str(path))]
    try:
        fmt = _detect_format(path) if format == "auto" else format
    except InputError as e:
        return [e]
    return _check(path, fmt, int(year))[0]


# CACHE_DIR_ENV (imported above from dcplan.paths, re-exported): the variable naming the folder whose
# ``weather-checks`` holds the files that passed (module docstring); empty: remember nothing between processes.
# The folder's entries: dcplan.weather_check_cache.
_REMEMBERED: dict[str, dict] = {}  # this process's passes, by key


def checked_file(path: str | Path, format: str = "auto", year: int = 2025,
                 rows_utc_offset_h: float | None = None) -> tuple[list[InputError], dict | None]:
    """(problems, station) of a weather file: every problem, as :func:`weather_problems`; when
    there is none, the header fields :func:`dcplan.site.station_problems` compares and the
    station's number (``station_id``, ``station_id_kind``: the ``attrs`` of
    :func:`~dcplan.weather.load_weather` without ``source``, ``format``, ``civil_shift_h`` and
    ``ashrae_design``).
    A file that passed before, unchanged, is not read again by pvlib (module docstring)."""
    from .weather import _detect_format
    path = Path(path)
    if not path.is_file():
        return [InputError("weather file not found", file=str(path))], None
    try:
        fmt = _detect_format(path) if format == "auto" else format
        content = path.read_bytes()
    except InputError as e:
        return [e], None
    except OSError as e:
        return [InputError(f"cannot read: {e.strerror or e}", file=str(path))], None
    rows_h = None if rows_utc_offset_h is None else float(rows_utc_offset_h)
    h = hashlib.sha256(repr((_CACHE_FORMAT, _code_digest(), fmt, int(year), rows_h)).encode())
    h.update(content)
    key = h.hexdigest()[:40]
    folder = _cache_dir()
    station = _REMEMBERED.get(key)
    if station is None and folder is not None:
        station = _cache_get(folder / f"{key}.json")
        if station is not None:  # a hit is recent use: the oldest-used entries go first
            try:
                os.utime(folder / f"{key}.json")
            except OSError:
                pass
    if station is not None:
        _REMEMBERED[key] = station
        return [], dict(station)
    problems, station = _check(path, fmt, int(year), rows_h)
    if not problems:
        try:  # remembered only if the file pvlib read is the one hashed (not saved over meanwhile)
            unchanged = path.read_bytes() == content
        except OSError:
            unchanged = False
        if unchanged:
            _REMEMBERED[key] = dict(station)
            if folder is not None:
                _cache_put(folder, key, station)
    return problems, station


def site_checked_file(site) -> tuple[list[InputError], dict | None]:
    """:func:`checked_file` of the weather file a site names, read as the site says (its format, year and the
    clock of its rows, ``weather.rows_utc_offset_h``)."""
    w = site.weather
    return checked_file(site.weather_path, w.format, w.year, w.rows_utc_offset_h)


def site_weather_problems(site) -> list[tuple[str, str]]:
    """Problems of a site's weather, as ``(field, message)`` pairs on the site file.

    The file the site names, read and checked as :func:`~dcplan.weather.load_site_weather`
    reads it (its format and year): each problem on ``weather.file``, naming the weather
    file, its column, row and line. When the file passes, the site against the file's
    station (:func:`dcplan.site.station_problems`: distance, time zone, elevation). Empty
    when ``load_site_weather(site)`` would return the site's weather. The warnings
    ``load_site_weather`` issues are issued here too (a :class:`~dcplan.errors.DcplanWarning`
    each; the site is still ok): those of :func:`~dcplan.site.station_problems` (a far station,
    a neighbouring time zone), a site far above or below the station
    (:func:`dcplan.site_station.station_elevation_warning`) and a ``weather.source`` naming another
    station's number than the file's header (:func:`dcplan.weather.warn_source_mismatch`).
    """
    import warnings

    from .errors import DcplanWarning
    from .site import station_problems
    from .site_station import station_elevation_warning
    from .weather import warn_source_mismatch
    path = site.weather_path
    problems, station = site_checked_file(site)
    if problems:
        return [("weather.file", f"{path}: {e.field + ': ' if e.field else ''}{e.detail}") for e in problems]
    found = station_problems(site, station)
    text = None if found else station_elevation_warning(site, station)
    if text:
        warnings.warn(text, DcplanWarning, stacklevel=2)
    warn_source_mismatch(site, station, stacklevel=2)
    return found
