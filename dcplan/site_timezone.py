"""Time-zone names that are not a site's zone: the :class:`dcplan.site.Site` timezone check and its
hints (split from :mod:`dcplan.site_problems`, which re-exports every name here).
"""
from __future__ import annotations

import functools
import math
import os
import re

from ._text import did_you_mean


#: Areas of the tz database whose zones are places, named ``Region/City`` (``America/New_York``).
#: Every other name is a fixed offset (``EST``, ``Etc/GMT+5``, ``UTC``) or an old alias kept for
#: backward compatibility (``US/Eastern``, ``EST5EDT``, ``Japan``): tz database, files ``etcetera``
#: and ``backward`` (https://data.iana.org/time-zones/tz-link.html, "Theory and pragmatics").
PLACE_AREAS = frozenset({"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
                         "Europe", "Indian", "Pacific"})

#: Names the tz database resolves to one UTC offset all year that are no place's zone
#: (besides every ``Etc/...`` name): the tz database's ``EST``, ``MST`` and ``HST``, and UTC's names.
_FIXED_NAMES = frozenset({"EST", "MST", "HST", "UTC", "UCT", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich",
                          "Universal", "Zulu"})

#: The US zones of the POSIX-style names, which the tz database made links only in release
#: 2024b (before, zones of their own with the same rules since 1967; tz NEWS 2024b).
_POSIX_DST_NAMES = {"EST5EDT": "America/New_York", "CST6CDT": "America/Chicago",
                    "MST7MDT": "America/Denver", "PST8PDT": "America/Los_Angeles"}

#: Example zones per standard UTC offset [h]: one that keeps daylight saving and one that
#: does not (None: no example), each with where it is the clock. US zones first (the
#: bundled sites and URDB tariffs are US); the tz database's zone1970.tab lists the rest.
#: Examples only: the site's own Region/City zone is the one to give. A test checks each
#: one's offset and daylight saving against the tz database.
OFFSET_EXAMPLES = {
    -10.0: (("America/Adak", "the western Aleutians"), ("Pacific/Honolulu", "Hawaii")),
    -9.0: (("America/Anchorage", "most of Alaska"), None),
    -8.0: (("America/Los_Angeles", "US Pacific"), None),
    -7.0: (("America/Denver", "US Mountain"), ("America/Phoenix", "most of Arizona")),
    -6.0: (("America/Chicago", "US Central"), ("America/Regina", "Saskatchewan")),
    -5.0: (("America/New_York", "US Eastern"), ("America/Panama", "Panama")),
    -4.0: (("America/Halifax", "Atlantic Canada"), ("America/Puerto_Rico", "Puerto Rico")),
    -3.5: (("America/St_Johns", "Newfoundland"), None),
    0.0: (("Europe/London", "the UK"), ("Africa/Abidjan", "Cote d'Ivoire")),
    1.0: (("Europe/Paris", "France"), ("Africa/Lagos", "Nigeria")),
    2.0: (("Europe/Athens", "Greece"), ("Africa/Johannesburg", "South Africa")),
    5.5: (None, ("Asia/Kolkata", "India")),
    8.0: (None, ("Asia/Singapore", "Singapore")),
    9.0: (None, ("Asia/Tokyo", "Japan")),
    10.0: (("Australia/Sydney", "New South Wales"), ("Australia/Brisbane", "Queensland")),
}

#: A UTC offset written as a time zone: ``-5``, ``UTC-5``, ``GMT+5:30``, ``-05:00``, ``5.5``.
_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*([+\-\u2212]?)\s*(\d{1,2}(?:\.\d+)?)(?::?(\d{2}))?$", re.IGNORECASE)


def _offset_text(h: float) -> str:
    return f"UTC{h:+g} h"


@functools.lru_cache(maxsize=1)
def _link_targets() -> dict[str, str]:
    """``{alias: zone}`` from the ``L`` (link) lines of the tz database's ``tzdata.zi``, read
    where :mod:`zoneinfo` reads zones (``zoneinfo.TZPATH``, then the ``tzdata`` package); {}
    when there is none."""
    import zoneinfo
    text = None
    for root in zoneinfo.TZPATH:
        try:
            with open(os.path.join(root, "tzdata.zi"), encoding="utf-8") as fh:
                text = fh.read()
            break
        except OSError:
            continue
    if text is None:
        try:
            import importlib.resources
            text = importlib.resources.files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text(encoding="utf-8")
        except (ImportError, OSError):
            return {}
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            out[parts[2]] = parts[1]
    return out


#: Old names of Region/City form and the zone each is a link to, from the tz database's ``backward``
#: file (https://data.iana.org/time-zones/tz-link.html; e.g. "Link Asia/Kolkata Asia/Calcutta"): the
#: common ones, used only when no ``tzdata.zi`` or zone table can be read (:func:`place_alias`). A test
#: checks each against the installed tz database.
_COMMON_ALIASES = {
    "Asia/Calcutta": "Asia/Kolkata", "Asia/Saigon": "Asia/Ho_Chi_Minh", "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon", "Asia/Dacca": "Asia/Dhaka", "Asia/Istanbul": "Europe/Istanbul",
    "Australia/NSW": "Australia/Sydney", "Australia/ACT": "Australia/Sydney", "Australia/Canberra": "Australia/Sydney",
    "Australia/Victoria": "Australia/Melbourne", "Australia/Queensland": "Australia/Brisbane",
    "Australia/West": "Australia/Perth", "Australia/South": "Australia/Adelaide", "Australia/North": "Australia/Darwin",
    "Australia/Tasmania": "Australia/Hobart", "Europe/Kiev": "Europe/Kyiv",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires", "America/Indianapolis": "America/Indiana/Indianapolis",
    "America/Fort_Wayne": "America/Indiana/Indianapolis", "Pacific/Samoa": "Pacific/Pago_Pago",
}


def place_alias(name: str) -> str | None:
    """The zone a Region/City ``name`` is an old alias of (``Asia/Calcutta`` -> ``Asia/Kolkata``), None
    when ``name`` is a zone of its own. An alias: a link of the tz database (``tzdata.zi``) that neither
    zone table lists (``zone.tab``, ``zone1970.tab``: :func:`dcplan.tz_places.zone_countries`), so the
    links the tables keep as a country's zone (``Europe/Copenhagen``, a link to ``Europe/Berlin`` since
    2022) are zones; without the tables or ``tzdata.zi``, :data:`_COMMON_ALIASES`."""
    from .tz_places import zone_countries
    listed = zone_countries()
    links = _link_targets()
    if not listed or not links:
        return _COMMON_ALIASES.get(name)
    if name in listed:
        return None
    target = links.get(name)
    return target if target and target != name else None


def _examples(h: float) -> str:
    """``, e.g. 'America/New_York' (US Eastern: UTC-5 h in winter, with daylight saving), or
    where clocks stay on UTC-5 h all year, that place's zone, e.g. 'America/Panama' (Panama)``
    for the standard offset ``h`` [h] (:data:`OFFSET_EXAMPLES`); where to look when it has none.
    For a site whose place is not known, or without the tz database's zone table."""
    dst, fixed = OFFSET_EXAMPLES.get(float(h), (None, None))
    out = ""
    if dst:
        out += f", e.g. {dst[0]!r} ({dst[1]}: {_offset_text(h)} in winter, with daylight saving)"
    if fixed:
        out += (f"{', or' if dst else ';'} where clocks stay on {_offset_text(h)} all year, that place's zone, "
                f"e.g. {fixed[0]!r} ({fixed[1]})")
    return out or " (the tz database's zone1970.tab lists them)"


#: Farthest the city of a zone keeping the other daylight-saving rule is named as a second
#: example (:func:`_place_examples`): the farthest a site's weather station may be
#: (:data:`dcplan.site.MAX_STATION_DISTANCE_KM`); beyond it, no candidate for the site's clock
#: (Phoenix to Denver, 939 km, is within). [km]
MAX_ALTERNATIVE_KM = 1000.0

#: Farthest the nearest zone city on the standard time of a site's weather station may be for
#: the examples to follow the station (:func:`_allowed`): twice the farthest a station may be
#: from its site (:data:`dcplan.site.MAX_STATION_DISTANCE_KM`; Sand Point, AK, to Anchorage is
#: 901 km). Farther, the file is another place's (its own check says so when the weather is
#: loaded) and the examples follow the site's place. [km]
MAX_STATION_ZONE_KM = 2000.0
#: A zone whose city is this near the site is named first [km]; farther, the nearest city is no
#: guide to the site's own zone (Miami's nearest on UTC-5 is Havana, 365 km; Research Triangle's
#: America/Kentucky/Monticello, while New York is 682 km): the :data:`OFFSET_EXAMPLES` zones instead.
#: A dcplan choice (2026), not a published figure: about the radius of a metropolitan region.
NEAR_ZONE_KM = 250.0


def _place_examples(latitude: float, longitude: float, h: float | None, near_km: float = NEAR_ZONE_KM) -> str | None:
    """``, e.g. the zone whose city is nearest the site on UTC-7 h: 'America/Phoenix' (Phoenix,
    9 km away: UTC-7 h all year), or where clocks go forward in summer, the nearest such
    zone: 'America/Ciudad_Juarez' (Ciudad Juarez, 549 km away)``: the zone of the tz
    database's zone table (:mod:`dcplan.tz_places`) whose city is nearest the site [deg],
    among those keeping standard time ``h`` [h] this year (any, when None), and the nearest
    keeping the other daylight-saving rule, within :data:`MAX_ALTERNATIVE_KM`; None when the
    nearest is farther than :data:`NEAR_ZONE_KM` (the caller names :data:`OFFSET_EXAMPLES`'). When the
    nearest keeps the same clock all year as the :data:`OFFSET_EXAMPLES` zone of its rule
    (America/Kentucky/Monticello and America/New_York), that zone is named too. None
    without a zone table or a zone on ``h``."""
    from .tz_places import nearest_zone, same_clock, zone_rule
    # the clocks kept this year by the wall clock, not plan_dates.today(): the zones a site can be given now (the
    # suite's DCPLAN_TODAY of 2000 would name 2000's rules: most of Mexico kept daylight saving until 2022); in a
    # sweep's case the clock of the process that started it (plan_dates.machine_today), not the worker's
    from .plan_dates import machine_today
    year = machine_today().year
    near = nearest_zone(latitude, longitude, year, h)
    if near is None:
        return None
    p, km = near
    if km > near_km:
        return None
    std, dst = zone_rule(p.zone, year)
    rule = f"standard time {_offset_text(std)}, with daylight saving" if dst else f"{_offset_text(std)} all year"
    ref = OFFSET_EXAMPLES.get(std, (None, None))[0 if dst else 1]
    if ref and ref[0] != p.zone and same_clock(ref[0], p.zone, year):
        rule += f"; in {year} the same clock as {ref[0]!r}, {ref[1]}"
    out = (f", e.g. the zone whose city is nearest the site on {_offset_text(std)}: {p.zone!r} ({p.city}, "
           f"{km:,.0f} km away: {rule})")
    alt = nearest_zone(latitude, longitude, year, std, not dst)
    if alt is not None and alt[1] <= MAX_ALTERNATIVE_KM:
        where = f"stay on {_offset_text(std)} all year" if dst else "go forward in summer"
        out += (f", or where clocks {where}, the nearest such zone: {alt[0].zone!r} ({alt[0].city}, "
                f"{alt[1]:,.0f} km away)")
    return out


def _allowed(h: float | None, latitude: float | None, longitude: float | None,
             station_h: float | None = None) -> str:
    """What a site's ``timezone`` may be, with example zones for the standard offset its
    weather file states for the station, ``station_h`` [h], when known; else for the offset
    ``h`` [h], or where the site's longitude [deg E] is more than 2 h of sun time from it
    (``UTC`` given for a US site) for the whole hour nearest the longitude's. With the site's
    ``latitude`` and ``longitude`` [deg], the examples are the zones nearest it when the nearest
    city is within :data:`NEAR_ZONE_KM` (:func:`_place_examples`; for ``h`` None, an unknown
    name, the nearest of any offset), and
    a station with no zone city on its offset within :data:`MAX_STATION_ZONE_KM` of the site
    is not followed; else the examples are :data:`OFFSET_EXAMPLES`'."""
    from .plan_dates import machine_today
    from .tz_places import nearest_zone, zone_places
    head = "allowed: the IANA Region/City zone of the site"
    placed = latitude is not None and longitude is not None and bool(zone_places())
    if station_h is not None and placed:
        near = nearest_zone(latitude, longitude, machine_today().year, station_h)  # this year's clocks, as above
        if near is None or near[1] > MAX_STATION_ZONE_KM:
            station_h = None  # the weather file of another place
    if station_h is not None:
        head, h = f"{head} (the station of its weather file keeps {_offset_text(station_h)})", station_h
    elif h is not None and longitude is not None and abs(h - longitude / 15.0) > 2.0:
        # the offset given is not the place's (UTC for a US site): the zone nearest the site, if near
        near_text = _place_examples(latitude, longitude, None) if placed else None
        if near_text is not None:
            return head + near_text
        h = float(round(longitude / 15.0))
        head = f"{head} (its longitude {longitude:g} is near {_offset_text(h)})"
    if placed:
        # no offset to go by (an unknown name, no station): the nearest zone city however far
        near_text = _place_examples(latitude, longitude, h, near_km=NEAR_ZONE_KM if h is not None else math.inf)
        if near_text is not None:
            return head + near_text
    if h is None:
        return "allowed: an IANA Region/City zone, e.g. 'America/New_York'"
    return head + _examples(h)


#: Why a fixed offset is wrong for a site: its tariff hours are its clock's.
_WHY_FIXED = ("a site's tariff hours are its local clock hours, and a fixed offset keeps standard time all year: "
              "where clocks go forward in summer, every summer hour would be billed an hour off")


def _other_offset(zone: str, station_h: float | None) -> bool:
    """True when ``zone`` keeps another standard time this year than the site's weather station, ``station_h``
    [h] (its file's header): a name spelt like the one given (a city with no zone of its own, America/Miami, is
    close to America/Merida, UTC-6 h) is then no guide to the site's zone. False when ``station_h`` is None."""
    if station_h is None:
        return False
    import datetime as dt
    import zoneinfo

    from .tz_places import zone_rule
    try:
        return abs(zone_rule(zone, dt.date.today().year)[0] - station_h) > 1e-9
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # a zone zoneinfo cannot read: kept
        return False


def _base60_text(v: float) -> str:
    """How YAML 1.1 reads a number back to the ``h:mm`` it was written as: 330 -> ``5:30``,
    -300 -> ``-5:00`` (an unquoted ``5:30`` is a base-60 integer, 5 * 60 + 30)."""
    a = abs(v)
    hours = int(a // 60)
    return f"{'-' if v < 0 else ''}{hours}:{a - 60 * hours:02g}"


def timezone_name_problem(name: str | float, latitude: float | None = None, longitude: float | None = None,
                          station_h: float | None = None) -> str | None:
    """Why ``name`` is no site's time zone, or None when it is an IANA ``Region/City`` zone
    (:data:`PLACE_AREAS`) that :mod:`zoneinfo` loads.

    Refused: a UTC offset (``-5``, ``UTC-5``; a YAML number too, and one over 14 as the
    base-60 number YAML reads an unquoted ``5:30`` as, 330), a fixed-offset name (``EST``,
    ``Etc/GMT+5``, ``UTC``: standard time all year, wrong for a place that keeps daylight
    saving), an old alias (``US/Eastern``, ``EST5EDT``, ``Asia/Calcutta``: :func:`place_alias`; the
    message names its Region/City zone,
    which keeps the same rules), a folder of the tz database (``America``) and a name it does
    not know (``CST``, ``Mountain``). The examples follow the standard offset of the site's
    weather station, ``station_h`` [h] (its file's header), when given, else the name's offset
    or the site's ``longitude`` [deg E]; with ``latitude`` [deg N] too, they are the zones
    whose cities are nearest the site, when within :data:`NEAR_ZONE_KM` (:func:`_allowed`).
    """
    import datetime as dt
    import zoneinfo
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        if not math.isfinite(name) or (abs(name) > 14 and not (name == int(name) and 60 <= abs(name) <= 14 * 60 + 45)):
            return (f"a number {name!r} is not a time zone; "
                    f"{_allowed(None, latitude, longitude, station_h)}")
        if abs(name) > 14:  # no hour offset: an unquoted h:mm (1:00 and later), read in base 60
            hm = _base60_text(name)
            h = -(abs(name) / 60.0) if name < 0 else name / 60.0
            return (f"a number {name:g}: YAML reads an unquoted {hm} as {name:g} (base 60); write the site's IANA "
                    f"Region/City zone (quoted or not), not a UTC offset: {_WHY_FIXED}; "
                    f"{_allowed(h, latitude, longitude, station_h)}")
        name = f"{name:g}"
    m = _OFFSET_RE.match(name.strip())
    if m and name not in _FIXED_NAMES:
        h = float(m.group(2)) + (int(m.group(3)) / 60.0 if m.group(3) else 0.0)
        h = -h if m.group(1) in ("-", "\u2212") else h
        return (f"{name!r} is a UTC offset ({_offset_text(h)}), not a time zone: {_WHY_FIXED}; "
                f"{_allowed(h, latitude, longitude, station_h)}")
    try:
        z = zoneinfo.ZoneInfo(name)
    except IsADirectoryError:  # a folder of zones (America, US, America/Indiana): OSError, not "not found"
        return (f"{name!r} is a folder of the tz database, not a time zone; "
                f"{_allowed(None, latitude, longitude, station_h)}")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        places = sorted(z for z in zoneinfo.available_timezones() if z.split("/", 1)[0] in PLACE_AREAS)
        hint = did_you_mean(name, places)
        if hint and _other_offset(hint.split("'")[1], station_h):
            hint = ""  # 'America/Miami' -> 'America/Merida' (Mexico, UTC-6 h; Miami's station UTC-5 h): see allowed
        return f"unknown IANA timezone {name!r}{hint}; " + _allowed(None, latitude, longitude, station_h)
    if name.split("/", 1)[0] in PLACE_AREAS and "/" in name:
        zone = place_alias(name)  # an old name (Asia/Calcutta): as Japan, its Region/City zone
        if zone is None:
            return None
        return (f"{name!r} is an old alias of {zone!r} (the tz database's 'backward' names); allowed: an IANA "
                f"Region/City zone: use {zone!r} (the same clock rules)")
    jan = dt.datetime(2025, 1, 15, 12)
    h = (z.utcoffset(jan) - (z.dst(jan) or dt.timedelta(0))).total_seconds() / 3600.0
    if name in _FIXED_NAMES or name.startswith("Etc/"):
        sign = ""
        if re.fullmatch(r"Etc/GMT[+-]\d+", name):
            sign = (f" (POSIX signs: {name} is {abs(h):g} h {'west' if h < 0 else 'east'} of Greenwich, "
                    f"{_offset_text(h)})")
        return (f"{name!r} is a fixed offset, {_offset_text(h)} all year{sign}, not a place's time zone: "
                f"{_WHY_FIXED}; {_allowed(h, latitude, longitude, station_h)}")
    zone = _POSIX_DST_NAMES.get(name) or _link_targets().get(name)
    if zone and zone.split("/", 1)[0] in PLACE_AREAS:
        return (f"{name!r} is an old alias of {zone!r} (the tz database's 'backward' names); allowed: an IANA "
                f"Region/City zone: use {zone!r} (the same clock rules)")
    return (f"{name!r} is not a Region/City zone of the tz database; "
            f"{_allowed(h, latitude, longitude, station_h)}")
