"""A site far from the station of its weather file: a warning beyond
``dcplan.site_station.STATION_WARN_DISTANCE_KM`` (250 km), below the refusal at 1,000 km.

A black-box tester's Atlanta site on Miami's TMY2 (969 km: another climate for the cooling
plant) validated "ok" without a word; Columbus, OH on Chicago O'Hare's EPW (470 km) was told
"'America/New_York' ... check timezone" though that zone is Columbus's: the weather file is
what is off. Station coordinates from the files' headers (Miami TMY2: 25 48 N, 80 16 W; O'Hare
EPW: 41.98, -87.92); zone cities from the tz database's zone1970.tab.
"""
from __future__ import annotations

import math
import re
import warnings

import pytest

from conftest import gc_noise as _gc_noise
import yaml

from conftest import CHICAGO_EPW, MIAMI_TMY2, bundled_site_copy

from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio, load_site, station_problems
from dcplan.site_station import MAX_STATION_DISTANCE_KM, STATION_WARN_DISTANCE_KM
from dcplan.validate import validate_file
from dcplan.weather import load_site_weather

MIAMI_STATION = (25.8, -(80 + 16 / 60))       # TMY2 header: N 25 48, W 80 16
OHARE_STATION = (41.98, -87.92)               # EPW LOCATION line
VEVAY = (38 + 44 / 60 + 52 / 3600, -(85 + 4 / 60 + 2 / 3600))     # America/Indiana/Vevay +384452-0850402 (UTC-5)
KNOX = (41 + 17 / 60 + 45 / 3600, -(86 + 37 / 60 + 30 / 3600))    # America/Indiana/Knox +411745-0863730 (UTC-6)


def _km(p: tuple, q: tuple) -> float:
    """Haversine distance [km] on a sphere of 6371 km (the mean Earth radius)."""
    (la1, lo1), (la2, lo2) = p, q
    a = (math.sin(math.radians(la2 - la1) / 2) ** 2
         + math.cos(math.radians(la1)) * math.cos(math.radians(la2)) * math.sin(math.radians(lo2 - lo1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _site(tmp_path, site_id: str, lat: float, lon: float, elevation_m: float, weather: dict,
          tz: str = "America/New_York"):
    """data/sites/research-triangle-nc.yaml moved to (lat, lon) on the weather file ``weather``."""
    f = bundled_site_copy(tmp_path, "research-triangle-nc", site_id)
    d = yaml.safe_load(f.read_text())
    d.update(latitude=lat, longitude=lon, elevation_m=elevation_m, timezone=tz, weather=weather)
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    return f


MIAMI_WX = {"file": str(MIAMI_TMY2), "format": "tmy2", "year": 2025, "source": "NREL TMY2 12839"}
OHARE_WX = {"file": str(CHICAGO_EPW), "format": "epw", "year": 2025, "source": "EPW 725300"}


def test_a_site_in_another_climate_on_a_far_station_is_warned(tmp_path):
    """Atlanta (33.75, -84.39, 320 m) on Miami's file: 969 km, within the 1,000 km refusal."""
    d = _km((33.75, -84.39), MIAMI_STATION)
    assert round(d) == 969 and STATION_WARN_DISTANCE_KM < d < MAX_STATION_DISTANCE_KM
    f = _site(tmp_path, "atlanta", 33.75, -84.39, 320.0, MIAMI_WX)
    text = (f"{f}: weather.file: the site (33.75, -84.39) is 969 km from the station of its weather file 12839.tm2 "
            "(25.8, -80.2667, from the file's header): more than 250 km, where temperatures and humidity, which "
            "drive the cooling plant, are another climate's (refused beyond 1,000 km, where the sun's timing is off "
            "too). Expected: the typical year of a station near the site; keep it if none is nearer")
    with pytest.warns(DcplanWarning, match=re.escape(text)):
        assert validate_file(f) == []
    with pytest.warns(DcplanWarning, match=re.escape(text)):  # and as a run loads the weather
        load_site_weather(load_site(f))


@pytest.mark.parametrize("dlat, warned", [(2.2, False), (2.3, True)])
def test_the_warning_starts_beyond_250_km(tmp_path, dlat, warned):
    """Due north of Miami's station: 2.2 deg of latitude is 244.6 km, 2.3 deg 255.8 km (6371 km x
    the angle in radians)."""
    lat = MIAMI_STATION[0] + dlat
    assert _km((lat, MIAMI_STATION[1]), MIAMI_STATION) == pytest.approx(6371.0 * math.radians(dlat), rel=1e-9)
    site = load_site(_site(tmp_path, "north", lat, MIAMI_STATION[1], 2.0, MIAMI_WX))
    station = {"latitude": MIAMI_STATION[0], "longitude": MIAMI_STATION[1], "altitude_m": 2.0, "utc_offset_h": -5.0}
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always", DcplanWarning)
        assert station_problems(site, station) == []
    assert [("is 256 km from the station" in str(w.message)) for w in rec] == ([True] if warned else [])


def test_a_zone_that_fits_the_site_points_at_the_weather_file_not_the_zone(tmp_path):
    """Columbus, OH (39.96, -83.00, 240 m) in America/New_York on O'Hare's file (UTC-6): the
    nearest zone city on UTC-5 (Vevay, IN, 223 km) is nearer than the nearest on UTC-6 (Knox, IN,
    340 km), so the zone is the place's: one warning, on weather.file, with the distance (470 km);
    none saying "check timezone"."""
    col = (39.96, -83.0)
    assert (round(_km(col, OHARE_STATION)), round(_km(col, VEVAY)), round(_km(col, KNOX))) == (470, 223, 340)
    f = _site(tmp_path, "columbus", *col, 240.0, OHARE_WX)
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(f) == []
    assert [str(w.message) for w in rec if not _gc_noise(w)] == [
        f"{f}: weather.file: USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw is a station keeping UTC-6 h (the file's "
        "header), 470 km from the site, while the site's timezone 'America/New_York' (UTC-5 h) fits its place (the "
        "nearest zone city on UTC-5 h, Vevay, is 223 km away; on UTC-6 h, Knox, 340 km): the weather file is a "
        "station's across a time-zone border; at more than 250 km its temperatures and humidity, which drive the "
        "cooling plant, are another climate's. Expected: the typical year of a station near the site, in its zone; "
        "keep it if none is nearer"]


def test_a_zone_that_does_not_fit_the_place_keeps_the_timezone_warning(tmp_path):
    """The same far station with America/Chicago at Columbus (UTC-6: the station's) is silent on
    the zone; a zone nearer the station's than the place's (Miami in America/Chicago: Merida,
    UTC-6, 1,094 km; Havana, UTC-5, 365 km) keeps "check timezone" (tests/test_site_timezone.py)."""
    f = _site(tmp_path, "columbus-central", 39.96, -83.0, 240.0, OHARE_WX, tz="America/Chicago")
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(f) == []
    assert len(rec) == 1 and "is 470 km from the station of its weather file" in str(rec[0].message)


def test_the_bundled_sites_are_near_their_stations():
    """Research Triangle (35.90, -78.86) on the Greensboro TMY3 (36.1, -79.95: 101 km) is the
    farthest; none is warned."""
    assert round(_km((35.90, -78.86), (36.1, -79.95))) == 101
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        for s in load_portfolio():
            load_site_weather(s)
            assert validate_file(s.source_file) == []
