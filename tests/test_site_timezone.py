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
"""
from __future__ import annotations

import datetime as dt
import re
import warnings

import pytest
import yaml

from dcplan.errors import DcplanWarning
from dcplan.site import SiteError, load_portfolio, load_site
from dcplan.site_problems import OFFSET_EXAMPLES
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

#: What the examples say for a site on Miami's file and on Sand Point's: the station's standard
#: offset (the file's header), then example zones for it.
NEAR_MIAMI = ("(the station of its weather file keeps UTC-5 h), e.g. 'America/New_York' (US Eastern: UTC-5 h in "
              "winter, with daylight saving), or where clocks stay on UTC-5 h all year, that place's zone, e.g. "
              "'America/Panama' (Panama)")
NEAR_SAND_POINT = ("(the station of its weather file keeps UTC-9 h), e.g. 'America/Anchorage' (most of Alaska: "
                   "UTC-9 h in winter, with daylight saving)")


@pytest.mark.parametrize("tz, place, head, examples", [
    ("EST", MIAMI, "'EST' is a fixed offset, UTC-5 h all year, not a place's time zone", NEAR_MIAMI),
    # the sign trap: POSIX's GMT+5 is 5 h west, UTC-5
    ("Etc/GMT+5", MIAMI, "'Etc/GMT+5' is a fixed offset, UTC-5 h all year (POSIX signs: Etc/GMT+5 is 5 h west "
     "of Greenwich, UTC-5 h), not a place's time zone", NEAR_MIAMI),
    # the examples follow the station's offset, not the name's (MST for Miami is a wrong zone too)
    ("MST", MIAMI, "'MST' is a fixed offset, UTC-7 h all year", NEAR_MIAMI),
    ("HST", SAND_POINT, "'HST' is a fixed offset, UTC-10 h all year", NEAR_SAND_POINT),
    ("UTC", MIAMI, "'UTC' is a fixed offset, UTC+0 h all year", NEAR_MIAMI),
    ("GMT", MIAMI, "'GMT' is a fixed offset, UTC+0 h all year", NEAR_MIAMI),
    ("Etc/UTC", SAND_POINT, "'Etc/UTC' is a fixed offset, UTC+0 h all year", NEAR_SAND_POINT),
])
def test_a_fixed_offset_zone_is_refused_naming_file_field_value_and_what_to_give(tmp_path, tz, place, head,
                                                                                  examples):
    f = _site(tmp_path, place, tz)
    line = _error(f)
    assert line.startswith(f"{f}: timezone: {head}"), line
    assert "a fixed offset keeps standard time all year" in line
    assert line.endswith(f"allowed: the IANA Region/City zone of the site {examples}"), line


@pytest.mark.parametrize("tz, longitude, examples", [
    # no weather station to go by (a sweep's override, a file not found): the name's offset...
    ("MST", None, ", e.g. 'America/Denver' (US Mountain: UTC-7 h in winter, with daylight saving), or where "
                  "clocks stay on UTC-7 h all year, that place's zone, e.g. 'America/Phoenix' (most of Arizona)"),
    ("HST", -157.8, ", e.g. 'America/Adak' (the western Aleutians: UTC-10 h in winter, with daylight saving), or "
                    "where clocks stay on UTC-10 h all year, that place's zone, e.g. 'Pacific/Honolulu' (Hawaii)"),
    # ... or the longitude's, when the name's is over 2 h of sun time away (-80.27 / 15 = -5.4 h)
    ("UTC", -80.27, " (its longitude -80.27 is near UTC-5 h), e.g. 'America/New_York'"),
    ("Etc/GMT-14", None, " (the tz database's zone1970.tab lists them)"),
])
def test_without_a_station_the_examples_follow_the_name_or_the_longitude(tz, longitude, examples):
    from dcplan.site_problems import timezone_name_problem
    why = timezone_name_problem(tz, longitude)
    assert f"allowed: the IANA Region/City zone of the site{examples}" in why, why


@pytest.mark.parametrize("written", ["timezone: -5\n", "timezone: '-5'\n", "timezone: -5.0\n"])
def test_a_utc_offset_number_or_text_gets_the_same_message(tmp_path, written):
    """Unquoted, YAML reads ``-5`` as a number: it said "Input should be a valid string, got -5"."""
    f = _site(tmp_path, MIAMI, "America/New_York")
    f.write_text(f.read_text().replace("timezone: America/New_York\n", written))
    assert _error(f) == (
        f"{f}: timezone: '-5' is a UTC offset (UTC-5 h), not a time zone: a site's tariff hours are its local "
        "clock hours, and a fixed offset keeps standard time all year: where clocks go forward in summer, every "
        f"summer hour would be billed an hour off; allowed: the IANA Region/City zone of the site {NEAR_MIAMI}")


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


@pytest.mark.parametrize("tz", ["America/New_York", "America/Indiana/Indianapolis", "America/Fort_Wayne"])
def test_region_city_zones_load(tmp_path, tz):
    # America/Fort_Wayne is a backward link too, but Region/City: accepted (its rules are right)
    assert load_site(_site(tmp_path, MIAMI, tz)).timezone == tz


def test_an_unknown_zone_suggests_a_region_city_zone(tmp_path):
    line = _error(_site(tmp_path, MIAMI, "America/New_Yrok"))
    assert line.endswith("timezone: unknown IANA timezone 'America/New_Yrok' (did you mean 'America/New_York'?); "
                         "allowed: an IANA Region/City zone, e.g. 'America/New_York'"), line


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

@pytest.mark.parametrize("place, tz, zone_h, station_h, file", [
    (MIAMI, "America/Chicago", -6, -5, "12839.tm2"),
    (SAND_POINT, "America/Adak", -10, -9, "703165TY.csv"),
])
def test_a_zone_an_hour_off_the_station_loads_with_a_warning(tmp_path, place, tz, zone_h, station_h, file):
    """Within the +-1 h allowance (a site across a zone border from its station), but the TMY2
    and TMY3 headers state the station's standard offset exactly: said, not silent."""
    f = _site(tmp_path, place, tz)
    site = load_site(f)
    text = (f"{f}: timezone: {tz!r} keeps standard time UTC{zone_h} h, but the station of its weather file "
            f"{file} keeps UTC{station_h} h (the file's header), 1 h apart: right only for a site across a "
            "time-zone border from its station; otherwise tariff hours and billing months are off by that much: "
            "check timezone")
    with pytest.warns(DcplanWarning, match=re.escape(text)):
        load_site_weather(site)
    with pytest.warns(DcplanWarning, match=re.escape(text)):  # dcplan validate: still no problem
        assert validate_file(f) == []


@pytest.mark.parametrize("place, tz", [(MIAMI, "America/New_York"), (SAND_POINT, "America/Anchorage")])
def test_the_stations_own_zone_loads_without_a_warning(tmp_path, place, tz):
    site = load_site(_site(tmp_path, place, tz))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w = load_site_weather(site, tz=site.timezone)
    assert str(w.index.tz) == tz


def test_the_bundled_sites_keep_their_stations_offset():
    """No bundled site gets the warning (each sits at or near its station, in its zone)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        for s in load_portfolio():
            load_site_weather(s)
