"""A site's ``timezone``: only an IANA Region/City zone, and a warning for a neighbouring zone.

Found onboarding Miami (pvlib's TMY2 12839.tm2, header "-5") and Sand Point, AK (pvlib's TMY3
703165TY.csv, header "-9.0"):

- ``EST``, ``Etc/GMT+5``, ``UTC`` (fixed offsets) loaded silently, so tariff hours ran on standard
  time all summer at a place that keeps daylight saving; ``Etc/GMT+5`` is also UTC-5, not +5.
- ``US/Eastern``/``EST5EDT`` (aliases with the right rules) are refused too, naming the zone to
  write (one spelling per zone in site files).
- ``timezone: -5`` (a YAML number) said only "Input should be a valid string".
- ``America/Chicago`` for Miami, ``America/Adak`` for Sand Point passed the station check
  (+-1 h, for a site across a zone border from its station) without a word: now a warning.

Then (review and black-box test of the above, on the Phoenix site):

- ``timezone: America`` (``US``, ``Europe``: folders of the tz database) raised zoneinfo's
  ``IsADirectoryError`` as a traceback.
- the example zones ignored the site's place: ``MST`` for Phoenix suggested 'America/Denver'
  first; ``CST`` or ``JST`` always 'America/New_York'. Now the zone whose city (the tz
  database's zone1970.tab) is nearest the site, with its distance, when that city is within
  250 km (``dcplan.site_problems.NEAR_ZONE_KM``); farther (Miami: Havana, 365 km; Sand Point:
  Anchorage, 901 km) the nearest city is no guide, and the examples are ``OFFSET_EXAMPLES``'.
- ``America/Denver`` for Phoenix loaded silently (standard times agree; Denver keeps daylight
  saving, Phoenix does not): now a warning.
- unquoted ``+5:30``/``-5:00`` are YAML 1.1 base-60 integers (330, -300): reported as
  "UTC+3.5 h"; now named as the number YAML read.
"""
from __future__ import annotations

import datetime as dt
import math
import re
import warnings

import pytest
import yaml

from dcplan.errors import DcplanWarning
from dcplan.site import SiteError, load_portfolio, load_site
from dcplan.site_problems import NEAR_ZONE_KM, OFFSET_EXAMPLES
from dcplan.validate import validate_file
from dcplan.weather import load_site_weather

from conftest import MIAMI_TMY2, WEATHER, bundled_site_copy

SAND_POINT_TMY3 = WEATHER / "703165TY.csv"

#: Miami: the TMY2 header's station (25 48 N, 80 16 W, 2 m, UTC-5); Sand Point, AK: the TMY3
#: header's (55.317, -160.517, 7 m, UTC-9).
MIAMI = {"name": "Miami, FL", "latitude": 25.8, "longitude": -80.27, "elevation_m": 2.0,
         "weather": {"file": str(MIAMI_TMY2), "format": "tmy2", "year": 2025, "source": "NREL TMY2 12839"}}
SAND_POINT = {"name": "Sand Point, AK", "latitude": 55.317, "longitude": -160.517, "elevation_m": 7.0,
              "weather": {"file": str(SAND_POINT_TMY3), "format": "tmy3", "year": 2025,
                          "source": "NREL TMY3 703165"}}


#: Principal cities of zones, from the tz database's zone1970.tab (ISO 6709 there, in degrees
#: here), for the distances the messages state: (latitude [deg N], longitude [deg E]).
CITY = {"America/Havana": (23 + 8 / 60, -(82 + 22 / 60)),                       # +2308-08222
        "America/Cancun": (21 + 5 / 60, -(86 + 46 / 60)),                        # +2105-08646
        "America/Anchorage": (61 + 13 / 60 + 5 / 3600, -(149 + 54 / 60 + 1 / 3600)),  # +611305-1495401
        "America/Phoenix": (33 + 26 / 60 + 54 / 3600, -(112 + 4 / 60 + 24 / 3600)),   # +332654-1120424
        "America/Ciudad_Juarez": (31 + 44 / 60, -(106 + 29 / 60)),                # +3144-10629
        "America/Denver": (39 + 44 / 60 + 21 / 3600, -(104 + 59 / 60 + 3 / 3600)),    # +394421-1045903
        "America/Chicago": (41 + 51 / 60, -(87 + 39 / 60)),                      # +415100-0873900
        "Asia/Tokyo": (35 + 39 / 60 + 16 / 3600, 139 + 44 / 60 + 41 / 3600),       # +353916+1394441
        "America/Monterrey": (25 + 40 / 60, -(100 + 19 / 60))}                   # +2540-10019

#: The bundled Phoenix site (data/sites/phoenix-az.yaml), Chicago site, and Tokyo.
PHOENIX_AT, CHICAGO_AT, TOKYO_AT = (33.45, -111.98), (41.98, -87.92), (35.7, 139.7)


def _haversine_km(p: tuple, q: tuple) -> float:
    """Great-circle distance [km] between (latitude, longitude) pairs [deg], by the haversine
    formula on a sphere of 6371 km (the mean Earth radius)."""
    (la1, lo1), (la2, lo2) = p, q
    a = (math.sin(math.radians(la2 - la1) / 2) ** 2
         + math.cos(math.radians(la1)) * math.cos(math.radians(la2)) * math.sin(math.radians(lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _km(place: tuple, zone: str) -> str:
    """Distance from ``place`` to ``zone``'s city (:data:`CITY`) as the messages print it."""
    return f"{_haversine_km(place, CITY[zone]):,.0f} km"


#: The year the example zones' rules are stated for (the current one).
YEAR = dt.date.today().year


def _site(tmp_path, place: dict, tz, site_id: str = "miami-fl"):
    """data/sites/research-triangle-nc.yaml moved to ``place`` (its fleet, tariff and
    interconnection kept: only the place matters here) with ``timezone: tz``."""
    f = bundled_site_copy(tmp_path, "research-triangle-nc", site_id)
    d = yaml.safe_load(f.read_text())
    d.update(place, timezone=tz)
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    return f


def _error(f) -> str:
    with pytest.raises(SiteError) as ei:
        load_site(f)
    (line,) = [x for x in ei.value.all_lines() if ": timezone: " in x]
    return line


# --------------------------------------------------------------------------- 1. fixed offsets

#: A zone city this near the site is named first; farther, the nearest city is no guide to the
#: site's zone and the examples are dcplan.site_problems.OFFSET_EXAMPLES' (the lead's rule,
#: dcplan.site_problems.NEAR_ZONE_KM). [km]
NEAR_KM = 250.0


def _offset_examples(h: float) -> str:
    """The examples of :data:`OFFSET_EXAMPLES` for standard offset ``h`` [h], worded as the
    messages word them: its zone keeping daylight saving, then its zone that does not."""
    dst, fixed = OFFSET_EXAMPLES[h]
    out = f", e.g. {dst[0]!r} ({dst[1]}: UTC{h:+g} h in winter, with daylight saving)" if dst else ""
    if fixed:
        out += (f"{', or' if dst else ';'} where clocks stay on UTC{h:+g} h all year, that place's zone, "
                f"e.g. {fixed[0]!r} ({fixed[1]})")
    return out


#: What the examples say for a site on Miami's file and on Sand Point's: the station's standard
#: offset (the file's header), then example zones for it. The zone cities nearest them on those
#: offsets are farther than NEAR_KM (Havana 365 km from Miami, Anchorage 901 km from Sand Point:
#: test_the_distances_are_the_ones_of_the_zone_table), so the examples are OFFSET_EXAMPLES':
#: 'America/New_York' and 'America/Panama' for UTC-5 h, 'America/Anchorage' for UTC-9 h.
MIAMI_EXAMPLES = "(the station of its weather file keeps UTC-5 h)" + _offset_examples(-5.0)
SAND_POINT_EXAMPLES = "(the station of its weather file keeps UTC-9 h)" + _offset_examples(-9.0)


def test_the_distances_are_the_ones_of_the_zone_table():
    """This file's distances: Havana is 365 km from Miami, Cancun 845, Anchorage 901 from Sand
    Point, Phoenix 9 from the bundled Phoenix site (a great-circle calculator gives the same)."""
    assert [_km((25.8, -80.27), "America/Havana"), _km((25.8, -80.27), "America/Cancun"),
            _km((55.317, -160.517), "America/Anchorage"), _km(PHOENIX_AT, "America/Phoenix")] == [
        "365 km", "845 km", "901 km", "9 km"]


@pytest.mark.parametrize("tz, place, head, examples", [
    ("EST", MIAMI, "'EST' is a fixed offset, UTC-5 h all year, not a place's time zone", MIAMI_EXAMPLES),
    # the sign trap: POSIX's GMT+5 is 5 h west, UTC-5
    ("Etc/GMT+5", MIAMI, "'Etc/GMT+5' is a fixed offset, UTC-5 h all year (POSIX signs: Etc/GMT+5 is 5 h west "
     "of Greenwich, UTC-5 h), not a place's time zone", MIAMI_EXAMPLES),
    # the examples follow the station's offset, not the name's (MST for Miami is a wrong zone too)
    ("MST", MIAMI, "'MST' is a fixed offset, UTC-7 h all year", MIAMI_EXAMPLES),
    ("HST", SAND_POINT, "'HST' is a fixed offset, UTC-10 h all year", SAND_POINT_EXAMPLES),
    ("UTC", MIAMI, "'UTC' is a fixed offset, UTC+0 h all year", MIAMI_EXAMPLES),
    ("GMT", MIAMI, "'GMT' is a fixed offset, UTC+0 h all year", MIAMI_EXAMPLES),
    ("Etc/UTC", SAND_POINT, "'Etc/UTC' is a fixed offset, UTC+0 h all year", SAND_POINT_EXAMPLES),
])
def test_a_fixed_offset_zone_is_refused_naming_file_field_value_and_what_to_give(tmp_path, tz, place, head,
                                                                                  examples):
    f = _site(tmp_path, place, tz)
    line = _error(f)
    assert line.startswith(f"{f}: timezone: {head}"), line
    assert "a fixed offset keeps standard time all year" in line
    assert line.endswith(f"allowed: the IANA Region/City zone of the site {examples}"), line


@pytest.mark.parametrize("tz, longitude, examples", [
    # no weather station and no latitude to go by (a sweep's override, a file not found): the
    # name's offset, from dcplan.site_problems.OFFSET_EXAMPLES...
    ("MST", None, ", e.g. 'America/Denver' (US Mountain: UTC-7 h in winter, with daylight saving), or where "
                  "clocks stay on UTC-7 h all year, that place's zone, e.g. 'America/Phoenix' (most of Arizona)"),
    ("HST", -157.8, ", e.g. 'America/Adak' (the western Aleutians: UTC-10 h in winter, with daylight saving), or "
                    "where clocks stay on UTC-10 h all year, that place's zone, e.g. 'Pacific/Honolulu' (Hawaii)"),
    # ... or the longitude's, when the name's is over 2 h of sun time away (-80.27 / 15 = -5.4 h)
    ("UTC", -80.27, " (its longitude -80.27 is near UTC-5 h), e.g. 'America/New_York'"),
    ("Etc/GMT-14", None, " (the tz database's zone1970.tab lists them)"),
])
def test_without_a_place_the_examples_follow_the_name_or_the_longitude(tz, longitude, examples):
    from dcplan.site_problems import timezone_name_problem
    why = timezone_name_problem(tz, None, longitude)
    assert f"allowed: the IANA Region/City zone of the site{examples}" in why, why


#: What the examples say for the bundled Phoenix site without a weather station: the zone whose
#: city is nearest (Phoenix, not Denver, which US Mountain's daylight saving put first), then the
#: nearest keeping the other daylight-saving rule.
NEAR_PHOENIX = (f", e.g. the zone whose city is nearest the site on UTC-7 h: 'America/Phoenix' (Phoenix, "
                f"{_km(PHOENIX_AT, 'America/Phoenix')} away: UTC-7 h all year), or where clocks go forward in summer, "
                f"the nearest such zone: 'America/Ciudad_Juarez' (Ciudad Juarez, "
                f"{_km(PHOENIX_AT, 'America/Ciudad_Juarez')} away)")


@pytest.mark.parametrize("tz, place, examples", [
    # the tester's repro: every spelling of Phoenix's offset, and names the tz database does not know
    ("MST", PHOENIX_AT, NEAR_PHOENIX),
    ("-7", PHOENIX_AT, NEAR_PHOENIX),
    ("UTC-7", PHOENIX_AT, NEAR_PHOENIX),
    ("Etc/GMT+7", PHOENIX_AT, NEAR_PHOENIX),
    ("UTC", PHOENIX_AT, NEAR_PHOENIX),  # an offset far from the place: its nearest zone, not the longitude's hour
    ("Mountain", PHOENIX_AT, NEAR_PHOENIX),
    ("EDT", PHOENIX_AT, NEAR_PHOENIX),
    ("Eastern Standard Time", PHOENIX_AT, NEAR_PHOENIX),
    # an unknown name: the nearest zone of any offset (Chicago's, 27 km; Tokyo's, 6 km)
    ("CST", CHICAGO_AT, f", e.g. the zone whose city is nearest the site on UTC-6 h: 'America/Chicago' (Chicago, "
                        f"{_km(CHICAGO_AT, 'America/Chicago')} away: standard time UTC-6 h, with daylight saving)"),
    ("JST", TOKYO_AT, f", e.g. the zone whose city is nearest the site on UTC+9 h: 'Asia/Tokyo' (Tokyo, "
                      f"{_km(TOKYO_AT, 'Asia/Tokyo')} away: UTC+9 h all year)"),
])
def test_with_the_sites_place_the_examples_are_the_zones_nearest_it(tz, place, examples):
    from dcplan.site_problems import timezone_name_problem
    why = timezone_name_problem(tz, *place)
    assert why.endswith(f"allowed: the IANA Region/City zone of the site{examples}"), why


def test_the_nearest_zone_is_named_only_within_near_zone_km():
    """The rule: the zone whose city is nearest the site on its offset is named first only when
    that city is within 250 km; farther, it is no guide to the site's zone (Miami's nearest on
    UTC-5 h is Havana), and the examples are OFFSET_EXAMPLES' ('America/New_York' first). The
    nearest cities are the zone table's (test_the_nearest_zones_are_the_nearest_in_the_zone_table),
    their distances this file's haversine."""
    from dcplan.site_problems import timezone_name_problem
    assert NEAR_ZONE_KM == NEAR_KM
    head = "allowed: the IANA Region/City zone of the site"
    # Miami: Havana 365 km away, farther than 250 km (no station given: the offset's examples)
    miami = (25.8, -80.27)
    assert _haversine_km(miami, CITY["America/Havana"]) > NEAR_KM
    assert OFFSET_EXAMPLES[-5.0][0][0] == "America/New_York"
    why = timezone_name_problem("-5", *miami)
    assert why.endswith(f"{head}{_offset_examples(-5.0)}"), why
    assert "Havana" not in why
    # Phoenix: its own zone's city 9 km away, within 250 km: named first, with its distance
    assert _haversine_km(PHOENIX_AT, CITY["America/Phoenix"]) <= NEAR_KM
    why = timezone_name_problem("-7", *PHOENIX_AT)
    assert why.endswith(f"{head}{NEAR_PHOENIX}"), why


def test_the_nearest_zones_are_the_nearest_in_the_zone_table():
    """The zones the messages name, against every row of the tzdata package's zone1970.tab,
    read here with its own parser: the nearest on the offset (standard time from zoneinfo:
    UTC offset less daylight saving, January and July)."""
    import importlib.resources
    import zoneinfo
    text = importlib.resources.files("tzdata.zoneinfo").joinpath("zone1970.tab").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        m = re.match(r"^[A-Z,]+\t([+-])(\d\d)(\d\d)(\d\d)?([+-])(\d{3})(\d\d)(\d\d)?\t(\S+)", line)
        if m:
            s1, a, b, c, s2, d, e, f, zone = m.groups()
            lat = (int(a) + int(b) / 60 + int(c or 0) / 3600) * (-1 if s1 == "-" else 1)
            lon = (int(d) + int(e) / 60 + int(f or 0) / 3600) * (-1 if s2 == "-" else 1)
            rows.append((zone, lat, lon))
    CITY_FROM_TABLE = {z: (la, lo) for z, la, lo in rows}
    for zone, (la, lo) in CITY.items():  # this file's coordinates are the table's
        assert CITY_FROM_TABLE[zone] == pytest.approx((la, lo), abs=1e-9), zone

    def std_dst(zone):
        z = zoneinfo.ZoneInfo(zone)
        ts = [dt.datetime(YEAR, 1, 15, 12), dt.datetime(YEAR, 7, 15, 12)]
        return {(z.utcoffset(t) - z.dst(t)).total_seconds() / 3600 for t in ts}, any(z.dst(t) for t in ts)

    def nearest(place, h, dst=None):
        cands = [r for r in rows if std_dst(r[0])[0] == {h} and dst in (None, std_dst(r[0])[1])]
        return min(cands, key=lambda r: _haversine_km(place, r[1:]))[0]
    assert nearest((25.8, -80.27), -5) == "America/Havana"
    assert nearest((25.8, -80.27), -5, False) == "America/Cancun"
    assert nearest((55.317, -160.517), -9) == "America/Anchorage"
    assert nearest(PHOENIX_AT, -7) == "America/Phoenix"
    assert nearest(PHOENIX_AT, -7, True) == "America/Ciudad_Juarez"
    assert nearest(CHICAGO_AT, -6) == "America/Chicago"


def test_without_a_zone_table_the_examples_are_dcplans_own(monkeypatch):
    """A Python whose zoneinfo has no zone1970.tab or zone.tab (no tzdata package, no system
    tz database files) keeps the examples of OFFSET_EXAMPLES."""
    from dcplan import tz_places
    from dcplan.site_problems import timezone_name_problem
    monkeypatch.setattr(tz_places, "zone_places", lambda: ())
    assert timezone_name_problem("MST", *PHOENIX_AT).endswith(
        "allowed: the IANA Region/City zone of the site, e.g. 'America/Denver' (US Mountain: UTC-7 h in winter, "
        "with daylight saving), or where clocks stay on UTC-7 h all year, that place's zone, e.g. 'America/Phoenix' "
        "(most of Arizona)")
    assert tz_places.dst_rule_mismatch("America/Denver", *PHOENIX_AT, 2025) is None


def test_the_zone_table_comes_from_the_tzdata_package():
    """An installed wheel: the table is read with importlib.resources from the tzdata package
    (a dependency of pvlib), not from the source tree."""
    from dcplan import tz_places
    text, where = tz_places._table_text("zone1970.tab")
    assert where == "tzdata package zone1970.tab"
    assert len(tz_places.parse_zone_table(text)) > 300  # 312 rows in tzdata 2026.6's


@pytest.mark.parametrize("written", ["timezone: -5\n", "timezone: '-5'\n", "timezone: -5.0\n"])
def test_a_utc_offset_number_or_text_gets_the_same_message(tmp_path, written):
    """Unquoted, YAML reads ``-5`` as a number: it said "Input should be a valid string, got -5"."""
    f = _site(tmp_path, MIAMI, "America/New_York")
    f.write_text(f.read_text().replace("timezone: America/New_York\n", written))
    assert _error(f) == (
        f"{f}: timezone: '-5' is a UTC offset (UTC-5 h), not a time zone: a site's tariff hours are its local "
        "clock hours, and a fixed offset keeps standard time all year: where clocks go forward in summer, every "
        f"summer hour would be billed an hour off; allowed: the IANA Region/City zone of the site {MIAMI_EXAMPLES}")


@pytest.mark.parametrize("tz, offset", [("UTC-5", "UTC-5 h"), ("-05:00", "UTC-5 h"), ("GMT+5:30", "UTC+5.5 h")])
def test_other_spellings_of_an_offset_are_refused_as_offsets(tmp_path, tz, offset):
    assert f"timezone: {tz!r} is a UTC offset ({offset}), not a time zone" in _error(_site(tmp_path, MIAMI, tz))


# --------------------------------------------------------------------------- aliases

@pytest.mark.parametrize("tz, zone", [
    ("US/Eastern", "America/New_York"),
    ("EST5EDT", "America/New_York"),   # a link since tz 2024b; named from dcplan's own table before
    ("US/Aleutian", "America/Adak"),
    ("Canada/Saskatchewan", "America/Regina"),
])
def test_an_alias_is_refused_naming_its_region_city_zone(tmp_path, tz, zone):
    """Decided: refused, not accepted, so every site file spells a zone one way (a sweep over
    ``timezone`` or a portfolio table compares names)."""
    assert _error(_site(tmp_path, MIAMI, tz)).endswith(
        f"timezone: {tz!r} is an old alias of {zone!r} (the tz database's 'backward' names); allowed: an IANA "
        f"Region/City zone: use {zone!r} (the same clock rules)")


@pytest.mark.parametrize("tz", ["America/New_York", "America/Indiana/Indianapolis"])
def test_region_city_zones_load(tmp_path, tz):
    assert load_site(_site(tmp_path, MIAMI, tz)).timezone == tz


def test_a_region_city_alias_is_refused_naming_its_zone(tmp_path):
    # America/Fort_Wayne is a link in the tz database's 'backward' file (Region/City in form, but an old
    # name), refused as Asia/Calcutta and Japan are, naming the zone it links to
    line = _error(_site(tmp_path, MIAMI, "America/Fort_Wayne"))
    assert line.endswith("timezone: 'America/Fort_Wayne' is an old alias of 'America/Indiana/Indianapolis' (the tz "
                         "database's 'backward' names); allowed: an IANA Region/City zone: use "
                         "'America/Indiana/Indianapolis' (the same clock rules)")


def test_an_unknown_zone_suggests_a_region_city_zone(tmp_path):
    line = _error(_site(tmp_path, MIAMI, "America/New_Yrok"))
    assert line.endswith("timezone: unknown IANA timezone 'America/New_Yrok' (did you mean 'America/New_York'?); "
                         f"allowed: the IANA Region/City zone of the site {MIAMI_EXAMPLES}"), line


def test_a_city_without_a_zone_of_its_own_gets_no_zone_of_another_offset_as_did_you_mean(tmp_path):
    """'America/Miami' (Miami keeps America/New_York's clock) was answered "did you mean 'America/Merida'?":
    Merida, Mexico, on UTC-6 h all year, while the site's TMY2 station keeps UTC-5 h (its header's -5): a
    suggestion on another standard time than the station's is left out, the allowed zones said as before."""
    import zoneinfo
    assert "America/Miami" not in zoneinfo.available_timezones()
    line = _error(_site(tmp_path, MIAMI, "America/Miami"))
    assert line.endswith("timezone: unknown IANA timezone 'America/Miami'; "
                         f"allowed: the IANA Region/City zone of the site {MIAMI_EXAMPLES}"), line
    from dcplan.site_timezone import timezone_name_problem
    # without a station to go by the closest name is still offered (no offset to check it against)
    assert timezone_name_problem("America/Miami").startswith(
        "unknown IANA timezone 'America/Miami' (did you mean 'America/Merida'?)")


@pytest.mark.parametrize("tz", ["America", "US", "Europe", "America/Indiana"])
def test_a_folder_of_the_tz_database_is_refused_not_a_traceback(tmp_path, tz):
    """zoneinfo raises IsADirectoryError (an OSError) for a folder name: it was a traceback."""
    assert _error(_site(tmp_path, MIAMI, tz)).endswith(
        f"timezone: {tz!r} is a folder of the tz database, not a time zone; allowed: the IANA Region/City zone of "
        f"the site {MIAMI_EXAMPLES}")


@pytest.mark.parametrize("written, number, hm", [("+5:30", 330, "5:30"), ("-5:00", -300, "-5:00"),
                                                 ("-4:30", -270, "-4:30")])
def test_an_unquoted_h_mm_is_named_as_the_base_60_number_yaml_read(tmp_path, written, number, hm):
    """YAML 1.1 reads an unquoted 5:30 as 5 * 60 + 30 = 330: it was reported as "'330' is a UTC
    offset (UTC+3.5 h)" (3:30 read back from the digits)."""
    f = _site(tmp_path, MIAMI, "America/New_York")
    f.write_text(f.read_text().replace("timezone: America/New_York\n", f"timezone: {written}\n"))
    assert yaml.safe_load(f.read_text())["timezone"] == number  # (PyYAML: YAML 1.1, as dcplan reads)
    assert _error(f) == (
        f"{f}: timezone: a number {number}: YAML reads an unquoted {hm} as {number} (base 60); write the site's IANA "
        "Region/City zone (quoted or not), not a UTC offset: a site's tariff hours are its local clock hours, and "
        "a fixed offset keeps standard time all year: where clocks go forward in summer, every summer hour would "
        f"be billed an hour off; allowed: the IANA Region/City zone of the site {MIAMI_EXAMPLES}")


@pytest.mark.parametrize("h", sorted(OFFSET_EXAMPLES))
def test_the_example_zones_keep_the_offsets_they_are_given_for(h):
    """Each example of dcplan.site_problems.OFFSET_EXAMPLES against the tz database: the first
    keeps standard time ``h`` and daylight saving, the second ``h`` all year (2025)."""
    import zoneinfo
    dst, fixed = OFFSET_EXAMPLES[h]
    days = [dt.datetime(2025, m, 15, 12) for m in range(1, 13)]
    for pair, keeps_dst in ((dst, True), (fixed, False)):
        if pair is None:
            continue
        z = zoneinfo.ZoneInfo(pair[0])
        std = {(z.utcoffset(t) - z.dst(t)).total_seconds() / 3600 for t in days}
        assert std == {h}, pair
        assert any(z.dst(t) for t in days) == keeps_dst, pair


# --------------------------------------------------------------------------- 2. a neighbouring zone

@pytest.mark.parametrize("place, tz, zone_h, station_h, file, city", [
    (MIAMI, "America/Chicago", -6, -5, "12839.tm2", "Merida, is 1,094 km"),
    (SAND_POINT, "America/Adak", -10, -9, "703165TY.csv", "Adak, is 1,128 km"),
])
def test_a_zone_an_hour_off_the_station_loads_with_a_warning(tmp_path, place, tz, zone_h, station_h, file, city):
    """Within the +-1 h allowance (a site across a zone border from its station), but the TMY2
    and TMY3 headers state the station's standard offset exactly: said, not silent; with how far the
    zone is from the sun time of the site's longitude (longitude / 15, by hand) and the nearest zone
    city on the zone's offset (tz_places; great-circle distance)."""
    f = _site(tmp_path, place, tz)
    import yaml
    lon = yaml.safe_load(f.read_text())["longitude"]
    sun = lon / 15
    text = (f"{f}: timezone: {tz!r} keeps standard time UTC{zone_h} h, but the station of its weather file "
            f"{file} keeps UTC{station_h} h (the file's header), 1 h apart: right only for a site across a "
            "time-zone border from its station; otherwise tariff hours and billing months are off by that much; "
            f"the sun at the site's longitude {lon:g} keeps UTC{sun:.2f} h (longitude / 15), {abs(sun - zone_h):.2f} h "
            f"from the zone's UTC{zone_h} h, and the nearest zone city on UTC{zone_h} h, {city} away: check timezone")
    _warns_on_load_and_validate(f, text)


def _warns_on_load_and_validate(f, text: str) -> None:
    """Site file ``f`` loads, warns ``text`` (exactly) when its weather is loaded, and ``dcplan
    validate`` warns the same while it reports no problem (a warning, not an error)."""
    site = load_site(f)
    with pytest.warns(DcplanWarning, match=re.escape(text)):
        load_site_weather(site)
    with pytest.warns(DcplanWarning, match=re.escape(text)):
        assert validate_file(f) == []


@pytest.mark.parametrize("place, tz", [(MIAMI, "America/New_York"), (SAND_POINT, "America/Anchorage")])
def test_the_stations_own_zone_loads_without_a_warning(tmp_path, place, tz):
    site = load_site(_site(tmp_path, place, tz))
    with warnings.catch_warnings():
        # dcplan's warnings only: an "error" filter on every category also turned the garbage
        # collector's ResourceWarnings for sockets earlier tests left open into 15 pytest warnings
        warnings.simplefilter("error", DcplanWarning)
        w = load_site_weather(site, tz=site.timezone)
    assert str(w.index.tz) == tz


def test_the_bundled_sites_keep_their_stations_offset():
    """No bundled site gets the warning (each sits at or near its station, in its zone)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        for s in load_portfolio():
            load_site_weather(s)


# ----------------------------------------------------------------- 3. a zone with another daylight-saving rule

def test_a_zone_keeping_daylight_saving_where_the_place_does_not_loads_with_a_warning(tmp_path):
    """America/Denver for Phoenix: both UTC-7 h standard, so the station check is silent, but
    Denver goes forward in summer and Phoenix does not: every summer tariff hour an hour off."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "phoenix-az")
    f.write_text(f.read_text().replace("timezone: America/Phoenix", "timezone: America/Denver"))
    text = (f"{f}: timezone: 'America/Denver' keeps daylight saving in 2025; 'America/Phoenix', "
            f"{_km(PHOENIX_AT, 'America/Phoenix')} away (its city Phoenix is the nearest zone city on the same "
            "standard time, UTC-7 h), does not: if the site keeps Phoenix's clock, every tariff hour of the "
            "daylight-saving months is billed an hour off: check timezone")
    _warns_on_load_and_validate(f, text)


@pytest.mark.parametrize("place, tz, nearest, expected", [
    # the other way round: America/Phoenix at Denver (Denver's city 5 km away)
    ((39.74, -104.98), "America/Phoenix", "America/Denver", True),
    # Monterrey, MX (no daylight saving since 2022) given US Central: its own city 2 km away
    ((25.67, -100.32), "America/Chicago", "America/Monterrey", True),
    # Tucson: Phoenix's city 177 km away, the nearest UTC-7 h city keeping daylight saving 420 km
    ((32.2, -110.9), "America/Denver", "America/Phoenix", True),
    # near a border between the rules, either may be the site's: no warning (DST_NEAREST_RATIO).
    # Laredo, TX: Monterrey (none) 219 km, Matamoros (US rules) 272 km; Window Rock, AZ (Navajo
    # Nation, which keeps daylight saving): Phoenix 371 km, Ciudad Juarez 498 km
    ((27.5, -99.5), "America/Chicago", None, False),
    ((35.67, -109.05), "America/Denver", None, False),
    # the zone of the place: silent
    (PHOENIX_AT, "America/Phoenix", None, False),
    ((39.74, -104.98), "America/Denver", None, False),
])
def test_the_daylight_saving_warning_follows_the_nearest_zone_city(place, tz, nearest, expected):
    from dcplan.site import dst_rule_warning
    site = load_portfolio()["phoenix-az"].model_copy(update={"latitude": place[0], "longitude": place[1],
                                                             "timezone": tz})
    text = dst_rule_warning(site)
    if not expected:
        assert text is None, text
        return
    keeps, other = ("does not keep", "does") if tz == "America/Phoenix" else ("keeps", "does not")
    assert f"timezone: {tz!r} {keeps} daylight saving in 2025; {nearest!r}, {_km(place, nearest)} away" in text
    assert f"), {other}: if the site keeps" in text


def test_no_bundled_or_test_site_gets_the_daylight_saving_warning():
    """The four bundled sites, and the places this file and tests/test_site.py move them to
    with their own zones (Miami, Sand Point; Blythe, CA in tests/test_civil_year.py)."""
    from dcplan.site import dst_rule_warning
    sites = list(load_portfolio())
    phx = sites[[s.id for s in sites].index("phoenix-az")]
    for place, tz in (((25.8, -80.27), "America/New_York"), ((55.317, -160.517), "America/Anchorage"),
                      ((33.61, -114.6), "America/Los_Angeles"), ((25.8, -80.27), "America/Chicago"),
                      ((55.317, -160.517), "America/Adak")):
        sites.append(phx.model_copy(update={"latitude": place[0], "longitude": place[1], "timezone": tz}))
    assert [dst_rule_warning(s) for s in sites] == [None] * len(sites)


def test_an_unknown_name_without_an_offset_names_the_nearest_zone_however_far():
    # no station and no offset in the name: the 250 km rule has nothing to fall back on, so the
    # nearest zone city is named (Sand Point to Anchorage, 901 km: NEAR_SAND_POINT's distance above)
    from dcplan.site_problems import timezone_name_problem
    msg = timezone_name_problem("CST", 55.317, -160.517)
    assert msg.startswith("unknown IANA timezone 'CST'") and "'America/Anchorage' (Anchorage, 901 km away" in msg


@pytest.mark.parametrize("lat, lon, zone", [(21.31, -157.86, "Pacific/Honolulu"), (42.33, -83.05, "America/Detroit"),
                                            (43.6, -116.2, "America/Boise")])
def test_utc_far_from_the_place_names_the_places_own_zone(lat, lon, zone):
    # no weather station: 'UTC' is hours from these places' sun time; the zone whose city is at the
    # site is named (each city's own zone, within a few km), not the longitude's rounded hour
    from dcplan.site_problems import timezone_name_problem
    msg = timezone_name_problem("UTC", lat, lon)
    assert f"nearest the site on" in msg and f"{zone!r} (" in msg, msg


@pytest.mark.parametrize("value", [15, 2025, float("inf"), float("nan")])
def test_a_number_that_is_no_base_60_offset_is_named_as_a_number(value):
    # PyYAML reads h:mm in base 60 only from 1:00 (15 is not '0:15'); 2025 would be '33:45', no offset
    from dcplan.site_problems import timezone_name_problem
    msg = timezone_name_problem(value, 35.9, -78.86)
    assert msg.startswith(f"a number {value!r} is not a time zone; allowed:"), msg
    assert "base 60" not in msg


@pytest.mark.parametrize("zone, lat, lon, year", [("America/Chicago", 29.76, -95.37, 1990),    # Houston
                                                  ("America/New_York", 39.10, -84.51, 2005)])  # Cincinnati
def test_an_old_weather_year_does_not_warn_where_only_the_neighbours_clock_was_different(zone, lat, lon, year):
    # Matamoros kept no daylight saving in 1990, Indiana/Vevay none in 2005: those years' neighbours
    # are no guide to Houston's or Cincinnati's clock, which keeps daylight saving then and now
    from dcplan.tz_places import dst_rule_mismatch, dst_rule_text
    assert dst_rule_mismatch(zone, lat, lon, year) is not None  # the neighbour of that year differs ...
    assert dst_rule_text("f.yaml", zone, lat, lon, year) is None  # ... but not today: no warning
    # Phoenix on America/Denver differs in both years: it warns for an old weather year too
    assert "America/Phoenix" in dst_rule_text("f.yaml", "America/Denver", 33.45, -111.98, 1990)


def test_dublins_winter_gmt_is_its_standard_time_against_the_station():
    """Europe/Dublin keeps GMT (UTC+0) in winter and IST (UTC+1) in summer; the tz database calls
    IST standard time and the winter a negative daylight saving, so "UTC offset less dst()" read
    +1 h all year and a Dublin site on a Dublin Airport file (header UTC+0) warned "1 h apart".
    Hand: Dublin's clocks read UTC+0 on 15 January and UTC+1 on 15 July; a station header of 0
    is right, +1 is the one-hour-off case; London (positive daylight saving) agrees."""
    from dcplan.site import station_problems
    base = load_site("chicago-il")
    for zone, lat, lon in (("Europe/Dublin", 53.35, -6.26), ("Europe/London", 51.47, -0.45)):
        site = base.model_copy(update={"timezone": zone, "latitude": lat, "longitude": lon, "elevation_m": 80.0,
                                       "interconnection": None,  # its ComEd region is not Ireland's grid
                                       "tariff": None,  # nor its ComEd rate Ireland's prices
                                       "grid_carbon_kg_per_mwh": None})  # nor its eGRID figure Ireland's grid
        station = {"latitude": lat + 0.05, "longitude": lon, "altitude_m": 80.0, "utc_offset_h": 0.0}
        with warnings.catch_warnings():
            warnings.simplefilter("error", DcplanWarning)
            assert station_problems(site, station) == []
        with pytest.warns(DcplanWarning, match=r"keeps standard time UTC\+0 h, but the station .* keeps UTC\+1 h"):
            assert station_problems(site, {**station, "utc_offset_h": 1.0}) == []


def test_nearest_zone_tried_nearest_first_finds_what_a_scan_of_the_table_finds(monkeypatch):
    """nearest_zone reads zone rules nearest first and stops at the first zone keeping the rule asked (a few
    zones, not all 312): against a scan of every zone keeping the first nearest (the rule it replaced, written
    out here), on a world grid of places plus the bundled sites, both daylight-saving rules and none, standard
    times -10 to +10 h and no filter, in 1990 (Matamoros kept no daylight saving) and 2025: the same zone and the
    same distance, exactly (both are the one distance_km of the same two points)."""
    from dcplan import tz_places

    def scan(by_table, year, std_h, keeps_dst):  # by_table: every zone and its distance, in table order
        best = None
        for p, d in by_table:
            std, dst = tz_places.zone_rule(p.zone, year)
            if (std_h is not None and std != std_h) or (keeps_dst is not None and dst != keeps_dst):
                continue
            if best is None or d < best[1]:
                best = (p, d)
        return best

    places = [(la, lo) for la in range(-60, 76, 30) for lo in range(-180, 180, 60)]
    places += [PHOENIX_AT, CHICAGO_AT, (25.8, -80.27), (55.317, -160.517), (39.04, -77.49), (35.9, -78.8)]
    rules = [(h, d) for h in (-8.0, -7.0, -6.0, -5.0, 0.0, 1.0, 5.5, 10.0) for d in (True, False, None)]
    rules += [(None, True), (None, False)]
    checked = found = 0
    for lat, lon in places:
        by_table = [(p, tz_places.distance_km(lat, lon, p.latitude, p.longitude)) for p in tz_places.zone_places()]
        for year in (1990, 2025):
            for std_h, keeps_dst in rules:
                got = tz_places.nearest_zone(lat, lon, year, std_h, keeps_dst)
                assert got == scan(by_table, year, std_h, keeps_dst), (lat, lon, year, std_h, keeps_dst)
                checked += 1
                found += got is not None
    assert checked == 2 * len(places) * len(rules) and found > checked // 3  # not all "no such zone"
    # the rule of a zone is read only for zones nearer than the one found (and that one)
    tz_places.zone_rule.cache_clear()
    seen = []
    real = tz_places.zone_rule
    monkeypatch.setattr(tz_places, "zone_rule", lambda z, y: seen.append(z) or real(z, y))
    p, km = tz_places.nearest_zone(*CHICAGO_AT, 2025, -6.0, True)
    assert p.zone == "America/Chicago" and len(seen) < 10
