"""What a weather file is, from its name and first line (part of :mod:`dcplan.weather`).

:func:`header_problem` reads one line, so a site's weather file is checked when the site
loads, before any run: a file that is not the format it is read as (an EPW read as TMY2
or TMY3, a TMY3 CSV read as TMY2 or EPW, a TMY2 file read as EPW or TMY3) is told by its
first line and named, with the format to set (an NSRDB PSM3/PSM4 CSV, "SAM CSV", is the
format ``nsrdb``); a first line that is not its format's header says which field is wrong.
The names are re-exported by :mod:`dcplan.weather`.
"""
from __future__ import annotations

import re
from pathlib import Path

from .errors import InputError

__all__ = ["header_problem", "first_line_kind", "FORMATS", "station_id", "source_id_mismatch", "nsrdb_metadata",
           "rows_utc_offset_h"]

#: Weather formats dcplan reads, as ``weather.format`` (site YAML) and ``format=`` name them.
FORMATS = ("auto", "epw", "tmy3", "tmy2", "nsrdb", "pvgis")


def _detect_format(path: Path) -> str:
    """The format ``auto`` reads ``path`` as: by its extension (.epw, .csv, .tm2, .json; a .csv whose first
    line is an NSRDB CSV's metadata names is ``nsrdb``, one starting ``Latitude (decimal degrees):`` PVGIS's
    TMY CSV, ``pvgis``; a .json is PVGIS's TMY JSON), else by its first line
    (:func:`first_line_kind`: an EPW saved as ``.txt`` is read as EPW), else an InputError naming the
    extension and what is allowed."""
    suf = path.suffix.lower()
    if suf == ".epw":
        return "epw"
    if suf in (".tm2", ".tmy2"):
        return "tmy2"
    if suf == ".json":
        return "pvgis"
    first = _first_line(path)
    kind = None if first is None else first_line_kind(first)
    if suf == ".csv":
        return kind if kind in ("nsrdb", "pvgis") else "tmy3"
    if kind in _FIRST_LINE:
        return kind
    said = "" if first is None else "; its first line is no EPW, TMY3, TMY2, NSRDB or PVGIS header either"
    raise InputError(f"cannot tell the weather format from the extension {path.suffix!r}{said}; "
                     "allowed: .epw (EPW), .csv (TMY3, NSRDB or PVGIS), .tm2 (TMY2), .json (PVGIS), or give the "
                     "format: weather.format (tmy2, tmy3, epw, nsrdb or pvgis) in a site file (format= to "
                     "dcplan.weather.load_weather)",
                     file=str(path), field="format")


def _first_line(path: Path) -> str | None:
    """The first line of ``path`` (stripped, without a byte-order mark), or None when it cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.readline().strip().lstrip("\ufeff")
    except OSError:
        return None


#: First-line header of each text format: (what it must hold, minimum comma-separated
#: fields, positions that must be numbers). EPW: EnergyPlus Auxiliary Programs, "Weather
#: Converter Program" (LOCATION, city, state, country, source, WMO, latitude, longitude,
#: time zone, elevation). TMY3: NREL TMY3 User's Manual (2008) table 1-1 (USAF, name,
#: state, time zone, latitude, longitude, elevation).
_HEADERS = {
    "epw": ("the EPW LOCATION line: LOCATION,city,state,country,source,WMO,latitude,longitude,"
            "time zone,elevation", 10, (6, 7, 8, 9)),
    "tmy3": ("the TMY3 station line: USAF,name,state,time zone,latitude,longitude,elevation", 7,
             (3, 4, 5, 6)),
}
#: The TMY2 header line (NREL TMY2 User's Manual, 1995, Table 2-1), as pvlib.iotools.read_tmy2
#: reads it: fields separated by blanks, so a city name with a blank in it shifts the others.
_TMY2_HEADER = ("the TMY2 header line: WBAN number, city, state, time zone, latitude (N or S, degrees, "
                "minutes), longitude (E or W, degrees, minutes), elevation, separated by blanks")
#: (position in the blank-separated TMY2 header, name, what it must be) as pvlib reads them
_TMY2_FIELDS = ((0, "WBAN number", "digits"), (3, "time zone", "int"), (4, "latitude hemisphere", "NS"),
                (5, "latitude degrees", "num"), (6, "latitude minutes", "num"),
                (7, "longitude hemisphere", "EW"), (8, "longitude degrees", "num"),
                (9, "longitude minutes", "num"), (10, "elevation", "num"))
_TMY2_LINE = re.compile(r"^\s*\d{5}\s.*\s[NS]\s+\d+\s+\d+\s+[EW]\s+\d+\s+\d+\s+-?\d+\s*$")
#: What each format's first line is called in a message.
_FIRST_LINE = {"epw": "the EPW LOCATION line", "tmy3": "the TMY3 station line",
               "tmy2": "the TMY2 header line",
               "nsrdb": "an NSRDB CSV's metadata names (Source, Location ID, ...)",
               "pvgis": "PVGIS's TMY (its CSV's 'Latitude (decimal degrees): ...' line, or its JSON)"}
#: The first line of an NSRDB CSV (the PSM3 and PSM4 downloads, "SAM CSV": NREL, "Standard Time Series
#: Data File Format"): its metadata names; the second line holds their values, the third the column names.
_NSRDB_KEYS = {"source", "location id", "latitude", "longitude", "time zone", "elevation"}
_NSRDB_HEADER = ("an NSRDB CSV's three header lines: metadata names (Source, Location ID, Latitude, Longitude, "
                 "Time Zone, Elevation, ...), their values, then the column names (Year, Month, Day, Hour, ...)")


def first_line_kind(first: str) -> str | None:
    """The format whose header ``first`` (a file's first line) is: ``"epw"``, ``"tmy3"``,
    ``"tmy2"``, ``"nsrdb"`` (an NSRDB PSM3/PSM4 CSV), ``"pvgis"`` (a PVGIS TMY CSV) or None (none of them)."""
    from .weather_pvgis import PVGIS_FIRST_LINE
    if first.lower().startswith(PVGIS_FIRST_LINE.lower()):
        return "pvgis"
    fields = [f.strip() for f in first.split(",")]
    if fields[0].upper() == "LOCATION":
        return "epw"
    if len(fields) >= 6 and {f.lower() for f in fields} >= _NSRDB_KEYS:
        return "nsrdb"
    if len(fields) == 7 and fields[0].isdigit():
        return "tmy3"
    if len(fields) == 1 and _TMY2_LINE.match(first):
        return "tmy2"
    return None


def _tmy2_problem(first: str) -> str | None:
    """What is wrong with a TMY2 header line ``first`` as pvlib reads it, or None."""
    tokens = first.split()
    if not tokens or not tokens[0].isdigit():
        return f"not a TMY2 file: the first line must be {_TMY2_HEADER}; it starts {first[:40]!r}"
    if len(tokens) < 11:
        return (f"the first line must be {_TMY2_HEADER} (11 fields); it has {len(tokens)}: "
                f"{first[:80]!r}")
    for i, name, kind in _TMY2_FIELDS:
        v = tokens[i]
        if kind in ("NS", "EW"):
            ok, allowed = v in tuple(kind), f"{kind[0]} or {kind[1]}"
        elif kind == "digits":
            ok, allowed = v.isdigit(), "a number"
        else:
            try:
                (int if kind == "int" else float)(v)
                ok = True
            except ValueError:
                ok = False
            allowed = "a whole number" if kind == "int" else "a number"
        if not ok:
            shifted = (" (a city name with a blank in it shifts the fields: write it with '_')"
                       if len(tokens) > 11 else "")
            return f"the first line's {name} (field {i + 1}) must be {allowed}, got {v!r}{shifted}"
    return None


def header_problem(path: str | Path, format: str = "auto") -> str | None:
    """What is wrong with the first line of a weather file read as ``format`` (EPW, TMY3,
    TMY2 or NSRDB), or None: a file of another format (which to set), or a header whose fields are
    missing or not numbers. Reads one line (an NSRDB CSV: two): cheap enough to check every site's
    file before a render starts."""
    path = Path(path)
    fmt = _detect_format(path) if format == "auto" else format
    if fmt not in _FIRST_LINE:
        return None
    if fmt == "pvgis" and path.suffix.lower() == ".json":
        from .weather_pvgis import pvgis_json_problem
        return pvgis_json_problem(path)
    want = (_HEADERS[fmt][0] if fmt in _HEADERS else _NSRDB_HEADER if fmt == "nsrdb" else _PVGIS_HEADER
            if fmt == "pvgis" else _TMY2_HEADER)
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            first = fh.readline().strip()
    except OSError as e:
        return f"cannot read: {e.strerror or e}"
    first = first.lstrip("\ufeff")  # a byte-order mark is no part of the header
    if "\ufffd" in first or any(ord(ch) < 32 and ch != "\t" for ch in first):
        return (f"not a text file (its first line holds bytes that are not UTF-8 text): not an {fmt.upper()} "
                f"file; the first line must be {want}")
    other = first_line_kind(first)
    if other is None and first.startswith("{") and path.suffix.lower() == ".json":
        from .weather_pvgis import pvgis_json_problem
        other = None if pvgis_json_problem(path) else "pvgis"  # PVGIS's TMY JSON, read as another format
    if other and other != fmt:  # a format given (or taken from the extension) that the file is not
        return (f"read as {fmt.upper()} (the format given, or the extension's), but its first line is "
                f"{_FIRST_LINE[other]}: set the weather format to {other} "
                "(or auto, with the matching extension)")
    if fmt == "tmy2":
        return _tmy2_problem(first)
    if fmt == "nsrdb":
        return _nsrdb_problem(path, first)
    if fmt == "pvgis":
        return _pvgis_problem(first)
    fields = [f.strip() for f in first.split(",")]
    _, n_min, numeric = _HEADERS[fmt]
    if fmt == "epw" and fields[0].upper() != "LOCATION":
        return f"not an EPW file: the first line must be {want}; it starts {first[:40]!r}"
    if fmt == "tmy3" and not fields[0].isdigit():  # a TMY3 file starts with its station's USAF number
        return (f"not a TMY3 file: the first line must be {want} (starting with the station's USAF number); it "
                f"starts {first[:40]!r}. A CSV of other data? A site's weather is a TMY2 (.tm2), TMY3 (.csv), "
                "EPW (.epw), NSRDB (.csv) or PVGIS (.csv, .json) typical-year file")
    if len(fields) < n_min:
        return (f"the first line must be {want} ({n_min} fields); it has {len(fields)}: "
                f"{first[:80]!r}")
    for i in numeric:
        try:
            float(fields[i])
        except ValueError:
            name = want.split(": ", 1)[1].split(",")[i]
            return f"the first line's {name} (field {i + 1}) must be a number, got {fields[i]!r}"
    return None


def _nsrdb_problem(path: Path, first: str) -> str | None:
    """What is wrong with an NSRDB CSV's metadata (its first two lines), or None."""
    if first_line_kind(first) != "nsrdb":
        return f"not an NSRDB CSV: the file must start with {_NSRDB_HEADER}; it starts {first[:40]!r}"
    meta = nsrdb_metadata(path)
    for key in ("Latitude", "Longitude", "Time Zone", "Elevation"):
        try:
            float(meta.get(key, ""))
        except ValueError:
            return f"the second line's {key} must be a number, got {meta.get(key, '')!r} ({_NSRDB_HEADER})"
    return None


#: The header of a PVGIS TMY CSV (JRC, PVGIS TMY tool, "Outputs: csv"), as pvlib.iotools.read_pvgis_tmy reads it.
_PVGIS_HEADER = ("a PVGIS TMY CSV's header: 'Latitude (decimal degrees): 45.000', 'Longitude (decimal degrees): "
                 "8.000', 'Elevation (m): 250.0', the months' years, then the time(UTC) column names")


def _pvgis_problem(first: str) -> str | None:
    """What is wrong with the first line of a PVGIS TMY CSV, or None."""
    if first_line_kind(first) != "pvgis":
        return f"not a PVGIS TMY CSV: the file must start with {_PVGIS_HEADER}; it starts {first[:40]!r}"
    value = first.split(":", 1)[1].strip()
    try:
        float(value)
    except ValueError:
        return f"the first line's latitude must be a number, got {value!r} ({_PVGIS_HEADER})"
    return None


def nsrdb_metadata(path: str | Path) -> dict:
    """``{name: value}`` of an NSRDB CSV's first two lines (text), {} when they cannot be read."""
    import csv
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            names = next(csv.reader([fh.readline().lstrip("\ufeff")]))
            values = next(csv.reader([fh.readline()]))
    except (OSError, StopIteration):
        return {}
    return {k.strip(): v.strip() for k, v in zip(names, values)}


#: Position of the station's standard UTC offset [h] in each format's first line: EPW
#: field 9, TMY3 field 4 (comma-separated), TMY2 field 4 (blank-separated); as :data:`_HEADERS`.
#: An NSRDB CSV's is its second line's ``Time Zone`` (:func:`nsrdb_metadata`).
_OFFSET_FIELD = {"epw": 8, "tmy3": 3, "tmy2": 3}


def rows_utc_offset_h(path: str | Path, format: str = "auto") -> float | None:
    """The UTC offset [h] of the clock a weather file's rows are stamped in: 0 for PVGIS's CSV, JSON and EPW
    (:mod:`dcplan.weather_pvgis`: UTC, whatever zone an EPW's header declares), an NSRDB CSV's ``Time Zone``
    (0 for a download in UTC), else the header's
    (:func:`header_utc_offset_h`); None when that cannot be told."""
    path = Path(path)
    try:
        fmt = _detect_format(path) if format == "auto" else format
    except InputError:
        return None
    if fmt == "pvgis":
        return None if header_problem(path, fmt) else 0.0
    if fmt == "nsrdb" and not header_problem(path, fmt):  # Time Zone: 0 for a download in UTC
        return float(nsrdb_metadata(path)["Time Zone"])
    if fmt == "epw":
        from .weather_pvgis import is_pvgis_epw
        if is_pvgis_epw(path) and not header_problem(path, fmt):
            return 0.0
    return header_utc_offset_h(path, fmt)


def header_utc_offset_h(path: str | Path, format: str = "auto") -> float | None:
    """The standard UTC offset [h] the first line of a weather file states for its station
    (``-5`` for Miami's TMY2), or None when the file cannot be read or its header does not
    pass :func:`header_problem`; None for PVGIS's CSV and JSON too (they name no zone for the place: their
    rows are in UTC, :func:`rows_utc_offset_h`). Reads one line."""
    path = Path(path)
    try:
        fmt = _detect_format(path) if format == "auto" else format
        if fmt == "nsrdb" and not header_problem(path, fmt):  # the place's zone, also of a file in UTC
            meta = nsrdb_metadata(path)
            return float(meta.get("Local Time Zone") or meta["Time Zone"])
        if fmt not in _OFFSET_FIELD or header_problem(path, fmt):
            return None
        with open(path, encoding="utf-8", errors="replace") as fh:
            first = fh.readline().strip().lstrip("\ufeff")
    except (InputError, OSError):
        return None
    fields = first.split() if fmt == "tmy2" else [f.strip() for f in first.split(",")]
    try:
        return float(fields[_OFFSET_FIELD[fmt]])
    except (IndexError, ValueError):
        return None


#: The station number a weather file's header gives, by format: (pvlib's metadata key, what the
#: number is). EPW: the LOCATION line's WMO field; TMY3: the station line's USAF number (the
#: WMO number with a trailing digit, 723170 for WMO 72317); TMY2: the header's WBAN number.
_STATION_ID = {"epw": ("WMO_code", "WMO"), "tmy3": ("USAF", "USAF"), "tmy2": ("WBAN", "WBAN"),
               "nsrdb": ("Location ID", "NSRDB location")}
#: A station number named in free text: "WMO 725300", "WMO# 725300", "USAF 723170", "WBAN 12839".
_ID_IN_TEXT = re.compile(r"\b(WMO|USAF|WBAN)\s*(?:#|no\.?|number)?\s*:?\s*(\d{5,6})\b", re.IGNORECASE)
#: Kinds of station number that count one series: a WMO number (5 digits) is a USAF number (6) less its
#: last digit; a WBAN number is another series and is compared only with a WBAN number.
_ID_SERIES = {"WMO": "wmo", "USAF": "wmo", "WBAN": "wban"}


def station_id(meta: dict, fmt: str) -> tuple[str, str]:
    """``(number, kind)`` of the station a weather file's header names (pvlib's metadata ``meta`` of a
    ``fmt`` file): ``("725300", "WMO")`` for Chicago O'Hare's EPW, ``("723170", "USAF")`` for
    Greensboro's TMY3, ``("12839", "WBAN")`` for Miami's TMY2; ``("", kind)`` when the header has none."""
    key, kind = _STATION_ID.get(fmt, ("", ""))
    return str(meta.get(key, "") or "").strip().strip('"'), kind


def source_id_mismatch(source: str, number: str, kind: str) -> tuple[str, str] | None:
    """``(kind, number)`` of a station number that the free text ``source`` (a site's
    ``weather.source``) names and that differs from the header's ``number`` of ``kind``
    (:func:`station_id`), or None: the text names none of that series (a WMO number against a TMY2
    file's WBAN number is not compared), or one that matches (``WMO 72278`` matches ``722780``)."""
    if not number or kind not in _ID_SERIES:
        return None
    named = [(k.upper(), n) for k, n in _ID_IN_TEXT.findall(source or "")
             if _ID_SERIES[k.upper()] == _ID_SERIES[kind]]
    if not named:
        return None
    def six(n: str) -> str:  # a 5-digit WMO number as the USAF number of its main station
        return n + "0" if _ID_SERIES[kind] == "wmo" and len(n) == 5 else n
    if any(six(n) == six(number) for _, n in named):
        return None
    return named[0]
