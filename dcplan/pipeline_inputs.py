"""The site's weather and tariff for the chain, parsed once per process per file.

Part of :mod:`dcplan.pipeline` (import from there): :func:`site_weather` and :func:`site_tariff` cache what they
parse by the file's resolved path, modification time and size (an edited file is re-read, an unchanged one never
is); :func:`load_counts` says how often each file was parsed, :func:`clear_caches` forgets them.
"""
from __future__ import annotations

import collections
import dataclasses
import functools
import threading
from pathlib import Path

import pandas as pd

from .errors import InputError
from .site import Site

__all__ = ["site_weather", "site_tariff", "load_counts", "clear_caches"]

#: Files parsed in this process, by (kind, path): shows "once per worker" in tests.
_LOADS: collections.Counter = collections.Counter()
_LOCK = threading.Lock()   # Dask workers may run several threads


def _stamp(path: Path) -> tuple[str, int, int]:
    p = Path(path).resolve()
    st = p.stat()
    return str(p), st.st_mtime_ns, st.st_size


@functools.lru_cache(maxsize=32)
def _weather_cached(path: str, mtime_ns: int, size: int, year: int, fmt: str, tz: str | None,
                    rows_h: float | None = None):
    from .weather import load_weather
    _LOADS[("weather", path)] += 1
    return load_weather(path, year=year, format=fmt, tz=tz, rows_utc_offset_h=rows_h)


@functools.lru_cache(maxsize=64)
def _tariff_cached(path: str, mtime_ns: int, size: int, label: str | None, side: tuple = ()):
    """``side``: the stamps of the files the tariff names (an RTP price series), so an edited
    price file is re-read too (it was not: a sweep or notebook kept the old prices in-process)."""
    from .tariff import Tariff
    _LOADS[("tariff", path)] += 1
    return Tariff.from_urdb(path, label=label)


def site_weather(site: Site, copy: bool = True, civil: bool = True) -> pd.DataFrame:
    """The site's hourly weather, parsed once per process per file.

    Cached by resolved path, modification time and size, so an edited file is
    re-read and an unchanged one never is.

    Parameters
    ----------
    copy : bool, default True
        Return a copy, so the caller may modify it without touching the cache.
    civil : bool, default True
        In the site's civil time zone (tariff periods are clock hours); ``False``:
        the file's local standard time.
    """
    tz = site.timezone if civil else None
    with _LOCK:
        try:
            w = _weather_cached(*_stamp(site.weather_path), site.weather.year, site.weather.format, tz,
                                site.weather.rows_utc_offset_h)
        except InputError as e:
            if e.file is None:
                e.file = site.source_file
            raise
    from .site import station_problems
    problems = station_problems(site, w.attrs)   # as dcplan.weather.load_site_weather checks
    if problems:
        field, msg = problems[0]
        raise InputError(msg, file=site.source_file or None, field=field)
    return w.copy() if copy else w


@functools.lru_cache(maxsize=64)
def _flat_tariff_cached(usd_per_kwh: float, demand_usd_per_kw: float | None, fixed_usd_per_month: float | None,
                        source: str):
    from .tariff import Tariff
    name = f"flat {usd_per_kwh:g} $/kWh"
    if demand_usd_per_kw:
        name += f" + {demand_usd_per_kw:g} $/kW-month"
    if fixed_usd_per_month:
        name += f" + {fixed_usd_per_month:g} $/month"
    t = Tariff.flat(usd_per_kwh, demand_usd_per_kw=demand_usd_per_kw,
                    fixed_usd_per_month=fixed_usd_per_month or 0.0, name=f"{name} ({source})")
    return dataclasses.replace(t, metadata={"source": source, "form": "flat (site file tariff: section)"})


def _side_stamp(path: Path) -> tuple:
    """(path, mtime_ns, size) of a file a tariff names, or (path,) when it cannot be read (the
    tariff's own parse then reports it)."""
    try:
        return _stamp(path)
    except OSError:
        return (str(path),)


def site_tariff(site: Site):
    """The site's :class:`dcplan.tariff.Tariff` (parsed once per process per file), or None.

    A ``tariff.file`` is read as URDB JSON (its ``label`` item). A flat ``tariff:`` section
    (``flat_usd_per_kwh``, optional ``demand_usd_per_kw`` and ``fixed_usd_per_month``, and
    its ``source``; :mod:`dcplan.specs.tariff`) is :meth:`dcplan.tariff.Tariff.flat` of those
    rates, named ``"flat <rates> (<source>)"`` (the bill's ``tariff_name``, which the reports
    print) with the source in ``Tariff.metadata["source"]``.

    ``tariff.contract_demand_kw`` floors billing demand at the contracted kW
    (take-or-pay), in either form. The typical year is billed at the tariff's own prices (those of its
    URDB ``startdate``); :mod:`dcplan.tco` escalates the bill from that date by
    ``finance.electricity_escalation_frac`` (:mod:`dcplan.tco_electricity`). Holidays the
    tariff file names (``dcplan_holidays``, :mod:`dcplan.tariff_holidays`) travel
    with the Tariff (``Tariff.holidays``), so the site bill, ``energy_price`` and
    ``demand_period`` (the scheduler's prices) all bill them on the weekend schedules;
    a tariff without them bills every weekday as a weekday (a flat rate has no periods).
    """
    if site.tariff is None:
        return None
    spec = site.tariff
    if spec.flat_usd_per_kwh is not None:  # the flat form: no file (site.tariff_path is for a file)
        t = _flat_tariff_cached(spec.flat_usd_per_kwh, spec.demand_usd_per_kw, spec.fixed_usd_per_month,
                                spec.source)
    else:
        from .report_plan import tariff_side_files
        side = tuple(_side_stamp(p) for p in tariff_side_files(site.tariff_path))
        with _LOCK:
            t = _tariff_cached(*_stamp(site.tariff_path), spec.label, side)
    kw = spec.contract_demand_kw
    return t if kw is None else t.with_contract_demand(kw, min_frac=spec.contract_min_frac,
                                                       tou_min_frac=spec.contract_tou_min_frac)


def load_counts() -> dict[str, int]:
    """How often each file was parsed in this process: ``{"weather:/path": n, ...}``."""
    return {f"{k}:{p}": n for (k, p), n in _LOADS.items()}


def clear_caches() -> None:
    """Forget cached weather and tariffs (and the load counts) in this process."""
    with _LOCK:
        _weather_cached.cache_clear()
        _tariff_cached.cache_clear()
        _flat_tariff_cached.cache_clear()
        _LOADS.clear()
