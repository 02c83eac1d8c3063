"""A weather file whose hours are off (rows in UTC, or labelled at the hour's start) is warned of: each day's
irradiance centres on solar noon in a file whose hours are right (dcplan.weather_timing).

Independent references: clear-sky irradiance built from pvlib's NREL SPA solar position (not the Spencer
equation of time the check uses) centres on noon; the same values under a header one zone east sit one hour early."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import DcplanWarning
from dcplan.site import load_site
from dcplan.site_slips import weather_timing_warnings
from dcplan.validate import validate_file
from dcplan.weather import load_weather
from dcplan.weather_timing import MAX_OFFSET_H, irradiance_offset_h

from conftest import CHICAGO_EPW, DATA, GREENSBORO_TMY3, bundled_site_copy

PVLIB_DATA = GREENSBORO_TMY3.parent


@pytest.mark.parametrize("path", [*sorted((DATA / "weather").glob("*.epw")), GREENSBORO_TMY3,
                                  PVLIB_DATA / "12839.tm2", PVLIB_DATA / "703165TY.csv"])
def test_files_whose_hours_are_right_centre_on_solar_noon(path):
    w = load_weather(path, year=2025)
    assert abs(w.attrs["irradiance_offset_h"]) < 0.1
    assert w.attrs["irradiance_days"] >= 300  # Sand Point, AK (703165TY): 319 days with 500 Wh/m2 or more


def _clear_sky_ghi(lat, lon, tz_h):
    """A year of hour-ending rows on UTC+tz_h standard time: 1000 x cos(zenith) at each hour's middle (SPA)."""
    import pvlib
    mid = pd.date_range("2025-01-01 00:30", periods=8760, freq="h", tz=f"Etc/GMT{-tz_h:+d}")
    zen = pvlib.solarposition.get_solarposition(mid, lat, lon)["apparent_zenith"].to_numpy()
    return np.maximum(0.0, np.cos(np.radians(zen))) * 1000.0


@pytest.mark.parametrize("lat,lon,tz_h", [(40.0, -105.0, -7), (-33.9, 151.2, 10), (52.4, 4.9, 1), (64.1, -21.9, 0)])
def test_clear_sky_centres_on_noon_and_a_zone_off_moves_it_an_hour(lat, lon, tz_h):
    ghi = _clear_sky_ghi(lat, lon, tz_h)
    assert irradiance_offset_h(ghi, tz_h, lon)[0] == pytest.approx(0.0, abs=0.02)
    # the same rows under a header one zone east: each row read an hour earlier than it was
    assert irradiance_offset_h(ghi, tz_h + 1, lon)[0] == pytest.approx(-1.0, abs=0.02)
    # rows stamped in UTC under the local header (PVGIS serves UTC): off by the zone
    utc = _clear_sky_ghi(lat, lon, 0)
    assert irradiance_offset_h(utc, tz_h, lon)[0] == pytest.approx(-tz_h, abs=0.02)


def _epw_hour_early(path):
    """Chicago's EPW with every data value moved one row earlier (SYNTHETIC: a file labelled at the hour's start)."""
    lines = CHICAGO_EPW.read_text().splitlines()
    head, rows = lines[:8], [ln.split(",") for ln in lines[8:]]
    values = [r[6:] for r in rows]
    values = values[1:] + values[:1]
    path.write_text("\n".join(head + [",".join(r[:6] + v) for r, v in zip(rows, values)]) + "\n")
    return path


def test_a_file_an_hour_early_is_warned_of_on_the_site(tmp_path):
    f = _epw_hour_early(tmp_path / "chicago_hour_start.epw")
    site = bundled_site_copy(tmp_path, "chicago-il", "early", weather={"file": str(f)})
    texts = weather_timing_warnings(load_site(site))
    assert len(texts) == 1 and texts[0].startswith(f"{site}: weather.file: chicago_hour_start.epw: its irradiance "
                                                   "centres 1.03 h before solar noon on the file's clock")
    assert "over the year's 365 days of sun" in texts[0] and "about 1 h off" in texts[0]
    with pytest.warns(DcplanWarning) as rec:  # dcplan validate says it
        assert validate_file(site) == []
    assert [str(w.message) for w in rec if "solar noon" in str(w.message)] == texts
    # the file as distributed: nothing to say (every bundled site's render and validate would fail on a warning)
    assert weather_timing_warnings(load_site(bundled_site_copy(tmp_path, "chicago-il", "ok"))) == []
    assert MAX_OFFSET_H == 0.5


def test_dcplan_validate_of_the_file_itself_says_it(tmp_path, capsys):
    from dcplan.cli import main
    f = _epw_hour_early(tmp_path / "early.epw")
    with pytest.warns(DcplanWarning, match=r"early\.epw: its irradiance centres 1\.03 h before solar noon"):
        assert main(["validate", str(f)]) == 0
    assert main(["validate", str(CHICAGO_EPW)]) == 0  # the file as distributed: no warning (an error here)


def test_a_ghi_without_a_day_has_no_offset():
    """Constant GHI, 24 hours a day: its hours sit evenly round the 24-hour circle, so its weighted mean there is 0
    by hand and no time of day can be read from it: NaN and 0 days (it read 11 h or so before, an offset no file
    has); a clear-sky year (its sun rising and setting) still reads 0 h."""
    off, days = irradiance_offset_h(np.full(8760, 500.0), -7, -105.0)
    assert np.isnan(off) and days == 0
    assert irradiance_offset_h(_clear_sky_ghi(40.0, -105.0, -7), -7, -105.0)[0] == pytest.approx(0.0, abs=0.02)
