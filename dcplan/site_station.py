"""A site against the station of its weather file (part of :mod:`dcplan.site`, which
re-exports these): distance, time zone and elevation, as ``dcplan validate`` and
``dcplan render`` check them before any run (:func:`station_problems`), with warnings for a
station beyond :data:`STATION_WARN_DISTANCE_KM` (another climate), a neighbouring time zone
(on ``weather.file`` when the site's zone fits its place: the station is across a zone border,
:func:`zone_fits_place`), a daylight-saving rule the place does not keep, and an elevation that
reads as the station's height in feet or with the wrong sign.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .errors import DcplanWarning
from .tz_places import distance_km as _distance_km

if TYPE_CHECKING:
    from .site import Site

__all__ = ["station_problems", "station_offset_warning", "dst_rule_warning", "station_distance_warning",
           "station_zone_file_warning", "zone_fits_place", "MAX_STATION_DISTANCE_KM", "STATION_WARN_DISTANCE_KM",
           "MAX_STATION_OFFSET_DIFF_H", "MAX_STATION_ELEVATION_DIFF_M", "STATION_WARN_ELEVATION_DIFF_M",
           "station_elevation_warning", "STATION_KEYS", "station_problems_beside"]

#: Farthest a site may be from the station of its weather file [km]. The file's
#: irradiance follows the sun at the station: 1000 km east or west at US latitudes is
#: 11-14 deg of longitude, the sun 45-55 min early or late. A longitude with the wrong
#: sign (US longitudes are west, negative) puts a US site 9,000-15,000 km away.
MAX_STATION_DISTANCE_KM = 1000.0

#: Distance from the station of its weather file beyond which a site gets a warning (below the
#: refusal at :data:`MAX_STATION_DISTANCE_KM`) [km]. That limit follows the sun's timing alone;
#: the temperatures and humidity that drive the cooling plant part much sooner, with latitude,
#: coast and height: the bundled Greensboro (NC) and Dulles (VA) stations, 388 km apart, differ by
#: 1.7 K in annual mean dry bulb and 1.6 K in annual mean wet bulb, and Miami to Atlanta (969 km,
#: within the refusal) is another climate. A typical-year file stands for the climate around its
#: station: a dcplan choice (2026), not a published figure, of about the radius of a metropolitan
#: region (as :data:`dcplan.site_problems.NEAR_ZONE_KM`) and 2.5 x the farthest bundled pair
#: (Research Triangle on the Greensboro file, 101 km).
STATION_WARN_DISTANCE_KM = 250.0

#: Largest difference between the standard time of a site's zone and the UTC offset of its
#: (near) weather station's file: a site across a time-zone border from its station keeps an
#: hour more or less; two hours or more is a wrong ``timezone`` (its TOU hours would be off).
#: Any difference within it is a :class:`~dcplan.errors.DcplanWarning`
#: (:func:`station_offset_warning`): TMY2, TMY3 and EPW headers state the station's standard
#: offset exactly, so a neighbouring zone (America/Chicago for Miami) is otherwise silent. [h]
MAX_STATION_OFFSET_DIFF_H = 1.0

#: Largest difference between a site's ``elevation_m`` and the altitude in its weather file's
#: header [m]. The file's dry bulb and pressure are the station's: air cools about 6.5 K per km
#: of height (ICAO standard atmosphere, ISO 2533:1975) and loses about 6 % of its pressure per
#: 500 m (pvlib ``alt2pres``: 95,461 Pa at 500 m against 101,325 Pa at sea level), so 500 m is
#: about 3 K on every hour of the year: a different cooling climate and air density. The
#: stations of a typical-year set usually sit within a few hundred metres of the sites they
#: serve (the bundled pairs differ by 0, 0, 8 and 153 m); a typo (1,500 for 150), feet entered
#: as metres (over this limit from a station height of about 220 m; below it, a warning,
#: :func:`_elevation_slip`) or the weather file of another place differs more. A mountain site whose nearest station lies far below needs a station
#: at a similar height, not a wider limit.
MAX_STATION_ELEVATION_DIFF_M = 500.0

#: Difference between a site's ``elevation_m`` and its weather station's altitude beyond which the
#: site gets a :class:`~dcplan.errors.DcplanWarning` (:func:`station_elevation_warning`), below the
#: refusal at :data:`MAX_STATION_ELEVATION_DIFF_M` [m]. Every climate figure is the station's (the
#: wet bulb from the file's own pressure; ``elevation_m`` feeds only these checks and the PV
#: model): by the standard lapse rate of 6.5 K per km (:data:`STANDARD_LAPSE_K_PER_M`) 200 m is
#: 1.3 K on every hour, about the 1.7 K of annual mean dry bulb between the bundled Greensboro and
#: Dulles stations that :data:`STATION_WARN_DISTANCE_KM` treats as another climate. A dcplan
#: choice (2026), not a published figure; it passes the bundled Research Triangle site, 153 m
#: below its Greensboro station (1.0 K), the nearest typical year it has.
STATION_WARN_ELEVATION_DIFF_M = 200.0

#: Temperature lapse rate of the ICAO standard atmosphere (ISO 2533:1975) in the troposphere,
#: 6.5 K per km. Real lapse near the ground varies (inversions in valleys); it sizes the
#: difference a warning names, it is not applied to any figure. [K/m]
STANDARD_LAPSE_K_PER_M = 0.0065


def station_problems(site: Site, station: dict) -> list[tuple[str, str]]:
    """The site's position, time zone and elevation against the station of its weather file.

    ``station`` holds the file header's ``latitude`` and ``longitude`` [deg],
    ``utc_offset_h`` [h] and ``altitude_m`` [m] (the ``attrs`` of
    :func:`dcplan.weather.load_weather`). Returns ``(field, message)`` pairs, empty when
    the site is within :data:`MAX_STATION_DISTANCE_KM`, its time zone keeps a standard
    time within :data:`MAX_STATION_OFFSET_DIFF_H` of the station's and its
    ``elevation_m`` is within :data:`MAX_STATION_ELEVATION_DIFF_M` of the station's.
    A site far from the station gets that problem alone (the file is the wrong one). A site
    beyond :data:`STATION_WARN_DISTANCE_KM` (another climate) gets a
    :class:`~dcplan.errors.DcplanWarning` (:func:`station_distance_warning`), as does a zone
    within the allowance but not at the station's offset (:func:`station_offset_warning`; on
    ``weather.file``, naming the distance, when the station is that far and the zone fits the
    site's place: :func:`station_zone_file_warning`).
    """
    lat, lon = site.latitude, site.longitude
    slat, slon = float(station["latitude"]), float(station["longitude"])
    d = _distance_km(lat, lon, slat, slon)
    if not d > MAX_STATION_DISTANCE_KM:  # (a header without coordinates, NaN: nothing to compare)
        problems, said = _offset_problems(site, station, d)
        if not said and d > STATION_WARN_DISTANCE_KM:  # (the zone's warning on the file names the distance)
            warnings.warn(station_distance_warning(site, d, slat, slon), DcplanWarning, stacklevel=2)
        return problems + _elevation_problems(site, station)
    where = (f"the site ({lat:g}, {lon:g}) is {d:,.0f} km from the station of its weather file "
             f"{site.weather_path.name} ({slat:g}, {slon:g}, from the file's header); "
             f"allowed: at most {MAX_STATION_DISTANCE_KM:,.0f} km")
    near = MAX_STATION_DISTANCE_KM
    if _distance_km(lat, -lon, slat, slon) <= near:
        return [("longitude", f"{where}. Is the sign of longitude {lon:g} wrong? Longitude is "
                              f"degrees east: west is negative (every contiguous-US site)")]
    if _distance_km(-lat, lon, slat, slon) <= near:
        return [("latitude", f"{where}. Is the sign of latitude {lat:g} wrong? South is negative")]
    if abs(lon) <= 90 and _distance_km(lon, lat, slat, slon) <= near:
        return [("latitude", f"{where}. Are latitude and longitude swapped?")]
    return [("weather.file", f"{where}: use a typical year from a station near the site")]


def _offset_problems(site: Site, station: dict, d_km: float = float("nan")) -> tuple[list[tuple[str, str]], bool]:
    """The site's time zone against the UTC offset of its weather file's header (see
    :func:`station_problems`), and its daylight-saving rule against the place's
    (:func:`dst_rule_warning`); and whether a warning on ``weather.file`` named the station's
    distance ``d_km`` [km]: a station beyond :data:`STATION_WARN_DISTANCE_KM` on another offset
    while the site's zone fits its place (:func:`zone_fits_place`) is the file to check, not the
    zone (a near station on another offset keeps the zone's warning: its header or the zone is wrong)."""
    import math
    off = float(station.get("utc_offset_h", float("nan")))
    said = False
    if math.isfinite(off):
        from .tz_places import zone_rule
        # standard time = the zone's smallest UTC offset in the weather's year (either hemisphere;
        # Europe/Dublin's winter GMT, which the tz database calls negative daylight saving)
        h = zone_rule(site.timezone, site.weather.year)[0]
        if abs(h - off) > MAX_STATION_OFFSET_DIFF_H:
            return [("timezone", f"{site.timezone!r} keeps standard time UTC{h:+g} h, but the station of its "
                                 f"weather file {site.weather_path.name}, near the site, keeps UTC{off:+g} h (the "
                                 f"file's header); allowed: within {MAX_STATION_OFFSET_DIFF_H:g} h (a time-zone "
                                 "border). Tariff hours and billing months follow the site's zone: check timezone")], \
                False
        if h != off:  # allowed, but only right across a zone border: say so
            # a far station (another climate) and a zone that fits the place: the file is what to check
            fits = zone_fits_place(site, h, off) if d_km > STATION_WARN_DISTANCE_KM else None
            if fits is not None:
                warnings.warn(station_zone_file_warning(site, h, off, d_km, fits), DcplanWarning, stacklevel=3)
                said = True
            else:
                warnings.warn(station_offset_warning(site, h, off), DcplanWarning, stacklevel=3)
    from .grid_lead_time import region_country_warning  # the country of the site's zone, not its region's
    from .site_slips import grid_carbon_country_warnings, tariff_country_warnings  # ... nor its tariff's, its carbon's
    for text in (dst_rule_warning(site), region_country_warning(site), *tariff_country_warnings(site),
                 *grid_carbon_country_warnings(site)):
        if text:
            warnings.warn(text, DcplanWarning, stacklevel=3)
    return [], said


def zone_fits_place(site: Site, zone_h: float, station_h: float):
    """``((city, km), (city, km))``: the zone cities nearest the site [km] keeping standard time
    ``zone_h`` (its zone's) and ``station_h`` (its weather station's) [h] in the weather year,
    when the first is the nearer (:func:`dcplan.tz_places.nearest_zone`): the site's zone fits its
    place (Columbus, OH, in America/New_York: Vevay, IN, 223 km, against Knox, IN, on UTC-6 h,
    340 km), so a station on the other offset is the weather file of another place. None when it
    does not (Miami in America/Chicago), or without the tz database's zone table."""
    from .tz_places import nearest_zone
    y = site.weather.year
    own = nearest_zone(site.latitude, site.longitude, y, zone_h)
    other = nearest_zone(site.latitude, site.longitude, y, station_h)
    if own is None or other is None or not own[1] < other[1]:
        return None
    return (own[0].city, own[1]), (other[0].city, other[1])


def station_zone_file_warning(site: Site, zone_h: float, station_h: float, d_km: float, fits) -> str:
    """The warning, on ``weather.file``, for a site whose zone (standard time ``zone_h`` [h]) fits
    its place (``fits``: :func:`zone_fits_place`) while its weather station, ``d_km`` [km] away
    (beyond :data:`STATION_WARN_DISTANCE_KM`), keeps ``station_h`` [h]: the file is another
    place's, across a time-zone border."""
    (own, own_km), (other, other_km) = fits
    where = site.source_file or f"site {site.id!r}"
    far = (f"; at more than {STATION_WARN_DISTANCE_KM:,.0f} km its temperatures and humidity, which drive the "
           "cooling plant, are another climate's")
    return (f"{where}: weather.file: {site.weather_path.name} is a station keeping UTC{station_h:+g} h (the file's "
            f"header), {d_km:,.0f} km from the site, while the site's timezone {site.timezone!r} (UTC{zone_h:+g} h) "
            f"fits its place (the nearest zone city on UTC{zone_h:+g} h, {own}, is {own_km:,.0f} km away; on "
            f"UTC{station_h:+g} h, {other}, {other_km:,.0f} km): the weather file is a station's across a time-zone "
            f"border{far}. Expected: the typical year of a station near the site, in its zone; keep it if none is "
            "nearer")


def station_distance_warning(site: Site, d_km: float, slat: float, slon: float) -> str:
    """The warning for a site ``d_km`` [km] from the station of its weather file (at ``slat``,
    ``slon`` [deg]), beyond :data:`STATION_WARN_DISTANCE_KM` and within
    :data:`MAX_STATION_DISTANCE_KM`."""
    where = site.source_file or f"site {site.id!r}"
    return (f"{where}: weather.file: the site ({site.latitude:g}, {site.longitude:g}) is {d_km:,.0f} km from the "
            f"station of its weather file {site.weather_path.name} ({slat:g}, {slon:g}, from the file's header): more "
            f"than {STATION_WARN_DISTANCE_KM:,.0f} km, where temperatures and humidity, which drive the cooling plant, "
            f"are another climate's (refused beyond {MAX_STATION_DISTANCE_KM:,.0f} km, where the sun's timing "
            "is off too). Expected: the typical year of a station near the site; keep it if none is nearer")


def station_offset_warning(site: Site, zone_h: float, station_h: float) -> str:
    """The warning for a site whose zone keeps standard time ``zone_h`` [h], within
    :data:`MAX_STATION_OFFSET_DIFF_H` of, but not at, its weather station's ``station_h`` [h]."""
    where = site.source_file or f"site {site.id!r}"
    return (f"{where}: timezone: {site.timezone!r} keeps standard time UTC{zone_h:+g} h, but the station of its "
            f"weather file {site.weather_path.name} keeps UTC{station_h:+g} h (the file's header), "
            f"{abs(zone_h - station_h):g} h apart: right only for a site across a time-zone border from its "
            f"station; otherwise tariff hours and billing months are off by that much{_place_note(site, zone_h)}: "
            "check timezone")


def _place_note(site: Site, zone_h: float) -> str:
    """``; the sun at the site's longitude 16.87 keeps UTC+1.12 h (longitude / 15), 1.12 h from the zone's
    UTC+0 h, and the nearest zone city on UTC+0 h, London, is 1,735 km away``: how far the zone is from the
    site's place (the city part without the tz database's zone table). Mean solar time is 4 minutes
    per degree of longitude, 1 h per 15 degrees (it is what standard times approximate)."""
    from .tz_places import nearest_zone
    sun_h = site.longitude / 15.0
    out = (f"; the sun at the site's longitude {site.longitude:g} keeps UTC{sun_h:+.2f} h (longitude / 15), "
           f"{abs(sun_h - zone_h):.2f} h from the zone's UTC{zone_h:+g} h")
    near = nearest_zone(site.latitude, site.longitude, site.weather.year, zone_h)
    if near is not None:
        out += f", and the nearest zone city on UTC{zone_h:+g} h, {near[0].city}, is {near[1]:,.0f} km away"
    return out


def dst_rule_warning(site: Site) -> str | None:
    """The warning for a site whose zone keeps daylight saving in its weather year and the zone
    city nearest it on the same standard time does not, or the other way round (``America/Denver``
    for Phoenix: the station check is silent); None when they agree
    (:func:`dcplan.tz_places.dst_rule_text`)."""
    from .tz_places import dst_rule_text
    return dst_rule_text(site.source_file or f"site {site.id!r}", site.timezone, site.latitude, site.longitude,
                         site.weather.year)


#: Feet per metre (international foot, 0.3048 m exactly).
_FT_PER_M = 1.0 / 0.3048
#: A station this high or higher [m] makes its height in feet, or with the wrong sign, differ
#: from it by more than a site's own height above or below the station usually does; lower, a
#: slip is too small to tell from a real difference (and matters less: 30 m is 0.2 K).
_SLIP_MIN_STATION_M = 30.0


def _slip_question(e: float, alt: float) -> str | None:
    """What ``elevation_m`` ``e`` looks like against the station's ``alt``: its height in feet
    (x 3.2808, within 5 %) or with the wrong sign (within 5 %); None otherwise."""
    import math
    if not (math.isfinite(alt) and alt >= _SLIP_MIN_STATION_M):
        return None
    if abs(e - alt * _FT_PER_M) <= 0.05 * alt * _FT_PER_M:
        return f"the station's {alt:g} m is {alt * _FT_PER_M:,.0f} ft: was elevation_m given in feet?"
    if abs(e + alt) <= 0.05 * alt:
        return f"the station is at +{alt:g} m: is the sign of elevation_m wrong?"
    return None


def _elevation_slip(site: Site, alt: float) -> str | None:
    """A warning when ``elevation_m`` is within :data:`MAX_STATION_ELEVATION_DIFF_M` of the
    station's ``alt`` but reads as the station's height in feet or with the wrong sign
    (:func:`_slip_question`): a 201 m station (Chicago O'Hare) lets 672 or -205 through the
    limit. A warning, not an error: a site may really lie that far above."""
    why = _slip_question(site.elevation_m, alt)
    if why is None:
        return None
    e, where = site.elevation_m, site.source_file or f"site {site.id!r}"
    return (f"{where}: elevation_m: {e:g} m, but the station of its weather file {site.weather_path.name} is at "
            f"{alt:g} m (the file's header); {why} elevation_m is metres above sea level (the PV model's "
            "location takes it)")


def _elevation_problems(site: Site, station: dict) -> list[tuple[str, str]]:
    """The site's elevation against the altitude of its weather file's header (see
    :func:`station_problems`)."""
    alt = float(station.get("altitude_m", float("nan")))
    diff = abs(site.elevation_m - alt)
    if not diff > MAX_STATION_ELEVATION_DIFF_M:  # (NaN, a header without altitude: nothing to compare)
        text = _elevation_slip(site, alt)
        if text:  # within the limit, but the station's height in feet or with the wrong sign: say so
            warnings.warn(text, DcplanWarning, stacklevel=4)
        return []
    return [("elevation_m", f"{site.elevation_m:g} m, but the station of its weather file "
                            f"{site.weather_path.name} is at {alt:g} m (the file's header), {diff:,.0f} m "
                            f"apart; allowed: within {MAX_STATION_ELEVATION_DIFF_M:g} m (the file's "
                            "temperatures are the station's: about 6.5 K per km of height). "
                            + (f"{slip[0].upper()}{slip[1:]} " if (slip := _slip_question(site.elevation_m, alt))
                               else "")
                            + "Correct elevation_m, or choose the weather file of a station at the site's height")]


def station_elevation_warning(site: Site, station: dict) -> str | None:
    """The warning for a site whose ``elevation_m`` lies more than
    :data:`STATION_WARN_ELEVATION_DIFF_M` from the altitude of its weather file's header
    (``station["altitude_m"]``, the ``attrs`` of :func:`dcplan.weather.load_weather`) and within
    :data:`MAX_STATION_ELEVATION_DIFF_M` (beyond, :func:`station_problems` refuses it); None
    otherwise, when the elevation reads as the station's height in feet or with the wrong sign
    (:func:`_elevation_slip` warns then), and when the station is beyond
    :data:`STATION_WARN_DISTANCE_KM` (:func:`station_distance_warning` already says its figures
    are another climate's and asks for a near station). Issued by :func:`dcplan.weather.site_weather_problems`
    (``dcplan validate``, render's plan) and :func:`dcplan.weather.load_site_weather`.
    Sky Harbor's station at 337 m and a site at 830 m: 493 m apart, about 3.2 K."""
    import math
    alt = float(station.get("altitude_m", float("nan")))
    e = float(site.elevation_m)
    diff = e - alt
    if not (math.isfinite(diff) and STATION_WARN_ELEVATION_DIFF_M < abs(diff) <= MAX_STATION_ELEVATION_DIFF_M):
        return None
    if _slip_question(e, alt) is not None:
        return None
    d = _distance_km(site.latitude, site.longitude, float(station.get("latitude", float("nan"))),
                     float(station.get("longitude", float("nan"))))
    if d > STATION_WARN_DISTANCE_KM:
        return None
    where = site.source_file or f"site {site.id!r}"
    k = abs(diff) * STANDARD_LAPSE_K_PER_M
    if diff > 0:
        side = (f"the site is {diff:,.0f} m above the station, so its air is about {k:.1f} K cooler than the "
                "file's (the standard lapse of 6.5 K per km, ICAO standard atmosphere): free-cooling hours "
                "read low and design temperatures high")
    else:
        side = (f"the site is {-diff:,.0f} m below the station, so its air is about {k:.1f} K warmer than the "
                "file's (the standard lapse of 6.5 K per km, ICAO standard atmosphere): free-cooling hours "
                "read high and design temperatures low")
    return (f"{where}: elevation_m: {e:g} m, but the station of its weather file {site.weather_path.name} is at "
            f"{alt:g} m (the file's header), {abs(diff):,.0f} m apart: every climate figure (dry bulb, wet bulb, "
            f"free-cooling hours, design conditions) is the station's, not adjusted to the site's height; {side}. "
            f"Allowed without this warning: within {STATION_WARN_ELEVATION_DIFF_M:g} m (refused beyond "
            f"{MAX_STATION_ELEVATION_DIFF_M:g} m). Expected: the typical year of a station near the site's height; "
            "keep it if none is nearer")


#: The top-level keys of a site file the weather checks read (:func:`station_problems_beside`).
STATION_KEYS = ("latitude", "longitude", "timezone", "elevation_m", "weather")

#: A fleet that loads, standing in for a site's refused ``fleet:`` in :func:`station_problems_beside`
#: (the weather checks read no fleet).
_STAND_IN_FLEET = {"phases": [{"hardware": "hgx-h100", "count": 1, "start": "2026-01-01"}]}


def station_problems_beside(found: list[tuple[str, str]], site: "Site | None" = None,
                            data: dict | None = None) -> list[tuple[str, str]]:
    """The site's weather checks (:func:`dcplan.weather_check.site_weather_problems`: the weather file's
    problems, else the site against its station: distance, time zone, elevation) for a site file that has
    other problems, ``found`` (``(field, message)`` pairs), so ``dcplan validate`` lists them all at once: a
    ``longitude`` with the wrong sign beside a tariff file not found, not only after it is fixed. ``site``:
    the loaded site (its other parts failed the loader's later checks); else ``data``, the file's mapping,
    from which a stand-in is loaded with the sections that have problems left out (a refused ``fleet:``
    stood in for: the weather checks read none). Empty when a problem is on one of :data:`STATION_KEYS`
    (that problem is said instead) or no stand-in loads. Problems already in ``found`` are not repeated."""
    import re
    tops = {re.split(r"[.\[:]", f or "", maxsplit=1)[0] for f, _ in found}
    if tops & set(STATION_KEYS):
        return []
    if site is None:
        if not isinstance(data, dict):
            return []
        site = _stand_in(data, tops - {""})
        if site is None:
            return []
    from .weather_check import site_weather_problems
    with warnings.catch_warnings():  # the file is refused: its warnings are said once it loads (as before)
        warnings.simplefilter("ignore", DcplanWarning)
        return [p for p in site_weather_problems(site) if p not in found]


def _stand_in(data: dict, bad: set[str]):
    """The site of ``data`` with its top-level sections ``bad`` left out (a ``fleet`` stood in for, with
    the ``cooling`` that may refer to it), or None when that does not load either."""
    from pydantic import ValidationError

    from .errors import InputError
    from .site import Site
    d = {k: v for k, v in data.items() if k not in bad}
    if "fleet" in bad or "cooling" in bad:
        d["fleet"] = _STAND_IN_FLEET
        d.pop("cooling", None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DcplanWarning)   # said by the file's own load, or not at all
            return Site.model_validate(d)
    except (ValidationError, InputError):
        return None
