"""Where the tz database's zones are: the zone nearest a site, and the clock rule it keeps.

The tz database lists each zone with the coordinates of its principal city in
``zone1970.tab`` (one row per zone whose clocks have agreed since 1970; ``zone.tab``, one
row per country and zone, when it is missing) [1]_. dcplan reads it from the ``tzdata``
package (installed with pvlib, and what :mod:`zoneinfo` falls back to), else from the
system's zoneinfo folders (``zoneinfo.TZPATH``). Without either, :func:`zone_places` is
empty and callers fall back to their own examples
(:data:`dcplan.site_problems.OFFSET_EXAMPLES`).

Used to suggest a site's zone from its place (a fixed offset or an unknown name refused
by :mod:`dcplan.site`) and to warn when a site's zone keeps daylight saving and the
nearest zone on the same standard time does not, or the other way round (``America/Denver``
for a site in Phoenix: :func:`dst_rule_mismatch`). Standard library only.

References
----------
.. [1] IANA tz database, ``zone1970.tab`` header comments (public domain),
   https://data.iana.org/time-zones/tz-link.html
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
import zoneinfo
from typing import NamedTuple

__all__ = ["ZonePlace", "zone_places", "zone_countries", "country_names", "countries_text", "zone_rule", "same_clock",
           "distance_km", "nearest_zone",
           "dst_rule_mismatch", "dst_rule_text", "DST_NEAREST_RATIO"]

#: Tables read, in this order (first found wins).
ZONE_TABLES = ("zone1970.tab", "zone.tab")

#: A zone city keeping the configured zone's own daylight-saving rule this many times as far
#: from the site as the nearest city that keeps the other rule still counts as the site's
#: (no warning): a site between two cities of different rules, on the same standard time,
#: may keep either (Laredo, TX: Monterrey, without daylight saving, about 215 km away;
#: Matamoros, with it, about 275 km; Window Rock, AZ, Navajo Nation: Phoenix about 375 km,
#: Ciudad Juarez 498 km). At a zone's own city the ratio is large (Phoenix site:
#: America/Phoenix's city 9 km away, the nearest UTC-7 city keeping daylight saving over
#: 500 km). [-]
DST_NEAREST_RATIO = 2.0


class ZonePlace(NamedTuple):
    """One row of the zone table: the zone and its principal city [deg N, deg E]."""
    zone: str
    latitude: float
    longitude: float

    @property
    def city(self) -> str:
        """The city the zone is named after: ``America/Argentina/Buenos_Aires`` -> ``Buenos Aires``."""
        return self.zone.rsplit("/", 1)[-1].replace("_", " ")


_ISO6709 = re.compile(r"^([+-])(\d{2})(\d{2})(\d{2})?([+-])(\d{3})(\d{2})(\d{2})?$")


def _iso6709(text: str) -> tuple[float, float] | None:
    """``+332654-1120424`` -> (33.448, -112.073): ISO 6709 sign-degrees-minutes[-seconds]."""
    m = _ISO6709.match(text)
    if not m:
        return None
    s1, d1, m1, x1, s2, d2, m2, x2 = m.groups()
    lat = int(d1) + int(m1) / 60 + int(x1 or 0) / 3600
    lon = int(d2) + int(m2) / 60 + int(x2 or 0) / 3600
    return (-lat if s1 == "-" else lat), (-lon if s2 == "-" else lon)


def _table_text(name: str) -> tuple[str, str] | None:
    """(text, where) of the zone table ``name``: the ``tzdata`` package's, else the first
    system zoneinfo folder's that has it; None when none does."""
    try:
        import importlib.resources
        f = importlib.resources.files("tzdata.zoneinfo").joinpath(name)
        return f.read_text(encoding="utf-8"), f"tzdata package {name}"
    except (ImportError, OSError):
        pass
    for root in zoneinfo.TZPATH:
        p = os.path.join(root, name)
        try:
            with open(p, encoding="utf-8") as fh:
                return fh.read(), p
        except OSError:
            continue
    return None


def parse_zone_table(text: str) -> tuple[ZonePlace, ...]:
    """The rows of a ``zone1970.tab`` or ``zone.tab`` text (tab-separated: countries,
    ISO 6709 coordinates, zone, comment; ``#`` lines are comments)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        ll = _iso6709(cols[1].strip())
        if ll is not None:
            out.append(ZonePlace(cols[2].strip(), *ll))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def zone_countries() -> dict[str, frozenset[str]]:
    """``{zone: ISO 3166 alpha-2 codes}`` of every zone the tz database's tables list: ``zone.tab``
    (one row per country and zone: ``IT`` for ``Europe/Rome``, ``VA`` for ``Europe/Vatican``) and
    ``zone1970.tab`` (a zone with the countries whose clocks agree with it since 1970:
    ``Europe/Rome``: ``IT,SM,VA``), read as :func:`zone_places` reads them; {} without either table.
    A zone named by neither (``Asia/Calcutta``, an old alias; ``UTC``) is no key."""
    out: dict[str, set] = {}
    for name in ZONE_TABLES:
        found = _table_text(name)
        for line in (found[0] if found else "").splitlines():
            cols = line.split("\t")
            if line.startswith("#") or len(cols) < 3:
                continue
            out.setdefault(cols[2].strip(), set()).update(c.strip().upper() for c in cols[0].split(",") if c.strip())
    return {z: frozenset(c) for z, c in out.items()}


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """``{ISO 3166 alpha-2 code: the usual English name}`` from the tz database's ``iso3166.tab``
    (read as :func:`zone_countries` reads the zone tables): ``VA``: ``Vatican City``; {} without it."""
    found = _table_text("iso3166.tab")
    out = {}
    for line in (found[0] if found else "").splitlines():
        cols = line.split("\t")
        if not line.startswith("#") and len(cols) >= 2 and cols[0].strip():
            out[cols[0].strip().upper()] = cols[1].strip()
    return out


def countries_text(codes) -> str:
    """ISO 3166 alpha-2 ``codes`` (sorted) with their names where ``iso3166.tab`` gives them:
    ``IT (Italy), SM (San Marino), VA (Vatican City)``; a code it does not name stays a code."""
    names = country_names()
    return ", ".join(f"{c} ({names[c]})" if c in names else c for c in sorted(codes))


@functools.lru_cache(maxsize=1)
def zone_places() -> tuple[ZonePlace, ...]:
    """Every zone of the tz database's zone table (:data:`ZONE_TABLES`) that :mod:`zoneinfo`
    can load, with its principal city; empty when no table is found."""
    for name in ZONE_TABLES:
        found = _table_text(name)
        if found is None:
            continue
        rows = []
        for p in parse_zone_table(found[0]):
            try:
                zoneinfo.ZoneInfo(p.zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
                continue  # a zone newer than the zoneinfo rules in use
            rows.append(p)
        if rows:
            return tuple(rows)
    return ()


@functools.lru_cache(maxsize=4096)
def zone_rule(zone: str, year: int) -> tuple[float, bool]:
    """(standard UTC offset [h], keeps daylight saving) of ``zone`` in ``year``, from its UTC
    offset at noon on the 15th of each month: standard time is the smallest, and the zone
    keeps daylight saving when they differ (so on either hemisphere)."""
    z = zoneinfo.ZoneInfo(zone)
    offs = {z.utcoffset(dt.datetime(year, m, 15, 12)).total_seconds() / 3600.0 for m in range(1, 13)}
    return min(offs), len(offs) > 1


@functools.lru_cache(maxsize=256)
def same_clock(zone_a: str, zone_b: str, year: int) -> bool:
    """Whether two zones show the same UTC offset at noon on every day of ``year`` (the same
    clock, though their daylight saving may start or end at another hour of the same day)."""
    a, b = zoneinfo.ZoneInfo(zone_a), zoneinfo.ZoneInfo(zone_b)
    day = dt.datetime(year, 1, 1, 12)
    while day.year == year:
        if a.utcoffset(day) != b.utcoffset(day):
            return False
        day += dt.timedelta(days=1)
    return True


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of the mean Earth radius, 6371.0 km (IUGG). [km]"""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def nearest_zone(latitude: float, longitude: float, year: int, std_h: float | None = None,
                 keeps_dst: bool | None = None) -> tuple[ZonePlace, float] | None:
    """The zone whose principal city is nearest (``latitude``, ``longitude``) [deg], and that
    distance [km]: among the zones keeping standard time ``std_h`` [h] in ``year`` and
    (``keeps_dst`` given) keeping daylight saving or not. None when none does, or without a
    zone table.

    The zones are tried nearest first (a stable sort: of zones at the same distance, the first in the table, as a
    scan of the table keeping the first nearest finds), so a zone's rule is read only until one keeps the rule
    asked: a few zones instead of every zone of the table (each a :mod:`zoneinfo` file and twelve offsets, about
    12 ms a year in all, in each notebook run that loads its site's weather)."""
    if std_h is None and keeps_dst is None or not (math.isfinite(latitude) and math.isfinite(longitude)):
        best = None
        for p in zone_places():
            if std_h is not None or keeps_dst is not None:
                std, dst = zone_rule(p.zone, year)
                if (std_h is not None and std != std_h) or (keeps_dst is not None and dst != keeps_dst):
                    continue
            d = distance_km(latitude, longitude, p.latitude, p.longitude)
            if best is None or d < best[1]:
                best = (p, d)
        return best
    by_distance = sorted(((distance_km(latitude, longitude, p.latitude, p.longitude), i, p)
                          for i, p in enumerate(zone_places())), key=lambda t: (t[0], t[1]))
    for d, _, p in by_distance:
        std, dst = zone_rule(p.zone, year)
        if (std_h is None or std == std_h) and (keeps_dst is None or dst == keeps_dst):
            return p, d
    return None


def dst_rule_mismatch(zone: str, latitude: float, longitude: float,
                      year: int) -> tuple[ZonePlace, float] | None:
    """The zone city nearest the site on ``zone``'s standard time, and its distance [km],
    when it keeps daylight saving in ``year`` and ``zone`` does not, or the other way round,
    and no city keeping ``zone``'s own rule is within :data:`DST_NEAREST_RATIO` times that
    distance; else None (also without a zone table).

    >>> p, km = dst_rule_mismatch("America/Denver", 33.45, -111.98, 2025)  # doctest: +SKIP
    >>> p.zone, round(km)                                                   # doctest: +SKIP
    ('America/Phoenix', 9)
    """
    try:
        std, dst = zone_rule(zone, year)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None
    other = nearest_zone(latitude, longitude, year, std, not dst)
    if other is None:
        return None
    own = nearest_zone(latitude, longitude, year, std, dst)
    if own is not None and own[1] <= DST_NEAREST_RATIO * other[1]:
        return None
    return other


def dst_rule_text(where: str, zone: str, latitude: float, longitude: float, year: int) -> str | None:
    """The warning for a site (file ``where``) at (``latitude``, ``longitude``) [deg] whose
    ``zone`` keeps daylight saving in ``year`` while the zone city nearest it on the same
    standard time does not, or the other way round (:func:`dst_rule_mismatch`): standard times
    agree, so the station check of :mod:`dcplan.site` is silent, but every tariff hour of the
    daylight-saving months is an hour off. None when they agree."""
    found = dst_rule_mismatch(zone, latitude, longitude, year)
    if found is None:
        return None
    from .plan_dates import machine_today  # (a sweep's case: the clock of the process that started it)
    now = machine_today().year  # the clocks kept now by the wall clock, not a plan's today (DCPLAN_TODAY)
    if now != year and dst_rule_mismatch(zone, latitude, longitude, now) is None:
        # the neighbours' clocks of another year are no guide to the place's (Matamoros kept no
        # daylight saving in 1990, Houston did): warn only on a difference that holds today too
        return None
    p, km = found
    std, dst = zone_rule(zone, year)
    keeps, other = ("keeps", "does not") if dst else ("does not keep", "does")
    return (f"{where}: timezone: {zone!r} {keeps} daylight saving in {year}; {p.zone!r}, {km:,.0f} km away (its "
            f"city {p.city} is the nearest zone city on the same standard time, UTC{std:+g} h), {other}: if the "
            f"site keeps {p.city}'s clock, every tariff hour of the daylight-saving months is billed an hour off: "
            "check timezone")
