"""Before a sweep runs: the weather every case would load (part of :mod:`dcplan.sweep`).

Each case's site as the case sees it, for what decides whether
:func:`dcplan.weather.load_site_weather` accepts it: the weather file, format and year (the
base site's, or the sweep's ``weather.*`` overrides), checked as render's plan checks them
(:func:`dcplan.weather_check.checked_file`: a body cut short, a word in a data column,
missing hours), then the case's position, time zone and elevation (the base site's, or
the sweep's) against that file's station (:func:`dcplan.site.station_problems`). Without
this every such case failed with a pvlib or pandas traceback.

A problem is filed where it comes from: on the sweep file's ``fixed.<path>`` or
``axes.<path>`` (naming the value and the site) when a value the sweep sets causes it (the
file it reads, or the station field it sets), else once on the base site's file.
"""
from __future__ import annotations

from .errors import InputError
from .sweep_spec import SweepSpec, apply_overrides

__all__ = ["case_weather_problems", "check_case_weather", "STATION_FIELDS", "MAX_WEATHER_PROBLEMS"]

#: Site fields compared with the station of the weather file (:func:`dcplan.site.station_problems`).
STATION_FIELDS = ("latitude", "longitude", "timezone", "elevation_m")
#: Overrides that change which weather file is read, or how (its format and calendar year).
FILE_FIELDS = ("weather.file", "weather", "weather.format", "weather.year")
#: Most weather problems one check lists; the rest are counted (a sampled sweep may give
#: each case its own).
MAX_WEATHER_PROBLEMS = 50


def _key(d: dict) -> tuple:
    return tuple(sorted((k, repr(v)) for k, v in d.items()))


def _cause(field: str, sov: dict, file_ov: str | None) -> str | None:
    """The override a station problem on ``field`` comes from, or None (the base site's own).
    The distance problem is reported on ``weather.file`` but comes from the position."""
    if field in sov:
        return field
    if field == "weather.file":
        pos = next((k for k in ("latitude", "longitude") if k in sov), None)
        if pos is not None:
            return pos
    return file_ov if file_ov in ("weather", "weather.file") else None


def case_weather_problems(spec: SweepSpec, cases: list | None = None) -> tuple[list[tuple[str, str, str]], int]:
    """``([(file, field, message), ...], total)``: the problems of every case whose weather
    its run could not load (module docstring), the first :data:`MAX_WEATHER_PROBLEMS`
    distinct ones listed, ``total`` counting them all. Every distinct combination of the
    overrides that matter is checked once; an unchanged file costs a hash."""
    from .site import station_problems
    from .weather_check import checked_file
    cases = spec.cases() if cases is None else cases
    sweep_file = spec.file or f"sweep {spec.name!r} (built in code)"
    files: dict = {}
    seen_cases: set = set()
    seen: set = set()
    out: list[tuple[str, str, str]] = []
    total = 0
    for c in cases:
        wov = {k: v for k, v in c.overrides.items() if k == "weather" or k.startswith("weather.")}
        sov = {k: v for k, v in c.overrides.items() if k in STATION_FIELDS}
        key = (c.site.id, _key(wov), _key(sov))
        if key in seen_cases:
            continue
        seen_cases.add(key)
        try:
            site = apply_overrides(c.site, wov, c.base_dir) if wov else c.site
        except InputError:
            continue  # the spec's own value check reports it (SweepSpec._check_values)
        if sov:  # each value was validated on its own by the spec; these fields only meet the station
            site = site.model_copy(update=sov)
        fkey = (site.weather_path, site.weather.format, int(site.weather.year), site.weather.rows_utc_offset_h)
        if fkey not in files:
            files[fkey] = checked_file(*fkey)
        errors, station = files[fkey]
        file_ov = next((k for k in FILE_FIELDS if k in wov), None)  # the override that picks the file
        if errors:
            found = [("weather.file", f"{site.weather_path}: {e.field + ': ' if e.field else ''}{e.detail}", file_ov)
                     for e in errors]
        else:  # a station problem comes from the field the sweep sets, else from the file it picks
            found = [(f, m, _cause(f, sov, file_ov)) for f, m in station_problems(site, station)]
        for field, msg, k in found:
            if k is None:  # the base site's own problem, whatever the sweep sets
                item = (site.source_file or f"site {site.id!r} (built in code)", field, msg)
            else:
                src = {**wov, **sov}
                section = "fixed" if k in spec.fixed else "axes"
                also = "" if field == k else f", its {field}"
                item = (sweep_file, f"{section}.{k}", f"value {src[k]!r} (site {site.id}{also}): {msg}")
            if item in seen:
                continue
            seen.add(item)
            total += 1
            if len(out) < MAX_WEATHER_PROBLEMS:
                out.append(item)
    if total > len(out):
        out.append((sweep_file, "", f"... and {total - len(out):,} more weather problems of other cases"))
    return out, total


def check_case_weather(spec: SweepSpec, cases: list | None = None) -> None:
    """Refuse, before any case runs, a sweep with a case whose weather its run could not
    load (:func:`case_weather_problems`). One :class:`~dcplan.site.SiteError` lists every
    problem (the first :data:`MAX_WEATHER_PROBLEMS`) and counts them all."""
    from .site import SiteError, combine_site_errors
    problems, total = case_weather_problems(spec, cases)
    if not problems:
        return
    by_file: dict[str, list] = {}
    for file, field, msg in problems:
        by_file.setdefault(file, []).append((field, msg))
    err = combine_site_errors([SiteError(f, p) for f, p in by_file.items()])
    raise SiteError(err.file, err.problems, total=total)
