"""A weather frame passed to ``run_site_year`` whose labels mark another instant than dcplan's (each hour labelled
at its end: STYLE.md, :func:`dcplan.weather.load_weather`) is refused saying the shift, not moved in silence
(:func:`dcplan.api_inputs.weather_for_site`).

The frames are the bundled typical years as pvlib and the NSRDB label them: pvlib's ``read_epw`` stamps each EPW
row at the *start* of its hour (pvlib.iotools.read_epw: ``hour - 1``), as raw NSRDB/PSM3 and PVGIS frames are; an
hourly NSRDB file stamps each row at its middle (Minute 30). A whole year of those in UTC or in the file's fixed
offset was converted and wrapped onto the site's civil year by its labels: every hour's weather landed one hour
(half an hour) early, and the hours' GHI then lit hours whose sun is down (checked here with pvlib's solar position,
independently of dcplan's timing check).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from pvlib.iotools import read_epw
from pvlib.solarposition import get_solarposition

from conftest import CHICAGO_EPW
from dcplan import pipeline
from dcplan.api_inputs import weather_for_site
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_site
from dcplan.weather import load_weather


@pytest.fixture(scope="module")
def phoenix():
    s = load_site("phoenix-az")
    return s, pipeline.site_weather(s)


def _lit_while_dark_h(w: pd.DataFrame, lat: float, lon: float) -> int:
    """Hours with GHI > 0 whose sun is below the horizon (by more than 0.5 deg, refraction and the sun's disc) at
    both ends of the interval that ends at the label (pvlib's NREL SPA)."""
    up = [get_solarposition(t, lat, lon)["apparent_elevation"].to_numpy() for t in (w.index - pd.Timedelta("1h"),
                                                                                   w.index)]
    return int(((w["ghi"].to_numpy() > 0) & (np.maximum(*up) < -0.5)).sum())


def test_a_utc_year_labelled_at_each_hours_start_is_refused_naming_the_shift(phoenix):
    """Phoenix's year, each hour labelled at its start and put on UTC (pvlib's frames from an NSRDB or PVGIS
    download with utc=True are so), was accepted and shifted one hour early: the hours dcplan's sun puts below the
    horizon at both ends of the hour then carried GHI in 262 hours instead of 0 (pvlib's solar position). It is
    refused on weather.index; the shift it names (+1 h)
    gives the site's own frame back, value for value."""
    s, w = phoenix
    assert _lit_while_dark_h(w, s.latitude, s.longitude) == 0  # the site's own frame: no sun-down hour lit
    early = w.assign(ghi=np.roll(w["ghi"].to_numpy(), -1))  # what the old code ran: each hour's GHI an hour early
    assert _lit_while_dark_h(early, s.latitude, s.longitude) == 262
    start_utc = w.set_axis((w.index - pd.Timedelta("1h")).tz_convert("UTC"))
    with pytest.raises(InputError) as ei:
        weather_for_site(s, start_utc)
    e = ei.value
    assert e.field == "weather.index" and e.file == s.source_file
    assert "centres 0.9" in e.detail and "h before solar noon" in e.detail  # one hour early, less the 0.0x of the file
    assert "labelled at the start of each hour" in e.detail and "allowed: within 0.5 h" in e.detail
    assert "shift its index by +1 h (weather.index + pd.Timedelta('1h'))" in e.detail
    fixed = start_utc.set_axis(start_utc.index + pd.Timedelta("1h"))
    got = weather_for_site(s, fixed)
    assert got.index.equals(w.index)
    np.testing.assert_array_equal(got.to_numpy(), w.to_numpy())


def test_pvlibs_read_epw_frame_is_refused_and_its_shift_is_the_sites_own_year():
    """pvlib's read_epw of Chicago's EPW (coerce_year 2025) labels each row at its hour's start on the header's
    fixed UTC-6 h: 2025-01-01 00:00-06:00 first. Given a wet bulb (the column run_site_year also needs) it was
    converted to America/Chicago and wrapped by its labels, the whole year an hour early. Refused; shifted by the
    hour it names, it is site_weather's frame, GHI for GHI."""
    s = load_site("chicago-il")
    w = pipeline.site_weather(s)
    data, meta = read_epw(str(CHICAGO_EPW), coerce_year=2025)
    assert str(data.index[0]) == "2025-01-01 00:00:00-06:00" and meta["TZ"] == -6
    frame = data.rename(columns={"atmospheric_pressure": "pressure"})
    frame["temp_wet_bulb_degc"] = w["temp_wet_bulb_degc"].to_numpy()
    frame = frame[list(w.columns)]
    with pytest.raises(InputError, match=r"shift its index by \+1 h") as ei:
        weather_for_site(s, frame)
    assert ei.value.field == "weather.index"
    got = weather_for_site(s, frame.set_axis(frame.index + pd.Timedelta("1h")))
    assert got.index.equals(w.index)
    np.testing.assert_array_equal(got["ghi"].to_numpy(), w["ghi"].to_numpy())
    np.testing.assert_allclose(got["temp_air"].to_numpy(), w["temp_air"].to_numpy(), atol=1e-12)


def test_hours_stamped_at_their_middle_are_refused_not_put_on_half_past(phoenix):
    """An hourly NSRDB file stamps each row at Minute 30, the middle of its hour; pvlib's reader keeps that stamp.
    Phoenix's year so stamped (00:30-07:00 first) was accepted, its labels wrapped to 01:30, 02:30, ... on the
    site's clock (every tariff and PV hour half an hour off the clock's) and each hour's weather moved an hour.
    Refused on weather.index; +30 min gives the site's own frame."""
    s, w = phoenix
    mid = w.set_axis((w.index - pd.Timedelta("30min")).tz_convert("Etc/GMT+7"))
    with pytest.raises(InputError) as ei:
        weather_for_site(s, mid)
    e = ei.value
    assert e.field == "weather.index" and e.file == s.source_file
    assert "labels its hours 30 min past the hour (first label 2025-01-01T00:30:00-07:00)" in e.detail
    assert "pd.Timedelta('30min')" in e.detail and "allowed: labels on the hour" in e.detail
    got = weather_for_site(s, mid.set_axis(mid.index + pd.Timedelta("30min")))
    assert got.index.equals(w.index)
    np.testing.assert_array_equal(got.to_numpy(), w.to_numpy())


def test_a_files_own_timing_is_run_as_site_weather_runs_it(tmp_path):
    """A frame read by load_weather from a file whose rows are on UTC under a UTC-6 h header (a PVGIS EPW
    without PVGIS's mark: dcplan validate warns, site_weather reads it as it is) is that file's, not a frame
    relabelled by hand: accepted as site_weather accepts it (its attrs' irradiance_offset_h, +6 h: each
    UTC hour read as the header's, 6 h late, is its own)."""
    from test_weather_pvgis import write_pvgis_epw
    s = load_site("chicago-il")
    f = write_pvgis_epw(tmp_path / "utc.epw", mark=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        w = load_weather(f, tz=s.timezone)
    assert w.attrs["irradiance_offset_h"] == pytest.approx(6.0, abs=0.25)
    assert weather_for_site(s, w) is w


def test_standard_time_values_under_civil_labels_are_named_so_not_told_to_shift():
    """A typical year's values (standard time, as weather files keep them) put under Chicago's civil wall-clock
    labels (a CSV's local stamps localized, the hour skipped in March and the one repeated in November dropped)
    are an hour early in summer time only. It was refused for its irregular step; the whole-year shift the timing
    check would name (+1 h) puts winter wrong, so it names the summer-time mix-up instead."""
    s = load_site("chicago-il")
    w = pipeline.site_weather(s)
    wall = pd.date_range("2025-01-01 01:00", periods=8760, freq="h").tz_localize(s.timezone, nonexistent="NaT",
                                                                                 ambiguous="NaT")
    frame = pd.DataFrame(w.to_numpy(), columns=w.columns, index=wall)
    frame = frame[frame.index.notna()]
    assert len(frame) == 8758  # 9 March 02:00 does not exist; 2 November 01:00 is ambiguous
    with pytest.raises(InputError) as ei:
        weather_for_site(s, frame)
    e = ei.value
    assert e.field == "weather.index" and "its hours of summer time centre 1.0" in e.detail
    assert "on standard time" in e.detail and "shift its index" not in e.detail


# a half-hourly frame is averaged now, no longer refused: tests/test_weather_hourly.py
# (test_a_30_minute_frame_of_interval_means_is_averaged_for_the_run)


@pytest.mark.parametrize("how", ["constant 500 W/m2", "each day's mean every hour"])
def test_a_ghi_without_a_day_is_not_told_to_shift(phoenix, how):
    """A what-if frame whose GHI does not rise and set (constant, or each day's mean repeated hourly: daily data
    spread over the hours) has no time of day to tell its hours by: its 24 hours of a day sit evenly round the
    clock, so by hand their GHI-weighted mean on the 24-hour circle is 0 (sum of cos and sin of 24 equally spaced
    angles) and its "centre" only the rounding of that zero. It was refused as mistimed, told to shift its index
    (11.06 h after solar noon for the constant frame: 'shift its index by -11 h'; 2.53 h before for the daily
    means), a shift that puts nothing right; it is accepted as it was before the timing check (the site's clock
    kept, every value as passed)."""
    s, w = phoenix
    g = w["ghi"]
    frame = w.assign(ghi=500.0) if how.startswith("constant") else w.assign(
        ghi=g.groupby(w.index.date).transform("mean"))
    got = weather_for_site(s, frame)
    assert got.index.equals(w.index)
    np.testing.assert_array_equal(got["ghi"].to_numpy(), frame["ghi"].to_numpy())


def test_a_midsummer_month_at_825_n_is_still_told_by_its_sun():
    """The sun up all day (Alert, 82.5 deg N, June, clear sky from pvlib's Ineichen model at pvlib's SPA solar
    position) still rises and falls through the day: a month of it labelled at each hour's start is refused naming
    the +1 h shift, and labelled at the end (each row the hour ending at its label) accepted. The check gives up
    only on a GHI without a day (dcplan.weather_timing.MIN_CONCENTRATION), not on a polar summer."""
    import pvlib
    base = load_site("phoenix-az")
    s = base.model_copy(update={"latitude": 82.5, "longitude": -62.3, "timezone": "America/Toronto",
                                "weather": base.weather.model_copy(update={"year": 2025})})
    idx = pd.date_range("2025-06-01 01:00", "2025-07-01 00:00", freq="h", tz="America/Toronto")
    cs = pvlib.location.Location(82.5, -62.3).get_clearsky(idx - pd.Timedelta("30min"))  # each hour's middle
    w = pd.DataFrame({"ghi": cs["ghi"].to_numpy(), "dni": cs["dni"].to_numpy(), "dhi": cs["dhi"].to_numpy(),
                      "temp_air": 5.0, "wet_bulb": 3.0}, index=idx)
    assert float(w["ghi"].min()) > 20.0  # the sun is up at midnight
    assert weather_for_site(s, w).index.equals(idx)
    with pytest.raises(InputError) as ei:
        weather_for_site(s, w.set_axis(idx - pd.Timedelta("1h")))
    assert "labelled at the start of each hour" in ei.value.detail and "shift its index by +1 h" in ei.value.detail


def test_a_frame_shorter_than_a_month_is_not_judged_by_its_sun(phoenix):
    """A week of the bundled Chicago year already centres 0.48 h from solar noon (clear mornings, cloudy
    afternoons: a review, 2026-12), at the 0.5 h limit, so a correct actual-weather week could be refused; the sun
    judges a frame only from MIN_TIMING_DAYS (28) days. Phoenix's June labelled at each hour's start in UTC: 21
    days pass unjudged, 35 days are refused naming the +1 h shift (as the whole year is)."""
    from dcplan.api_inputs import MIN_TIMING_DAYS
    assert MIN_TIMING_DAYS == 28
    s, w = phoenix
    for days, refused in ((21, False), (35, True)):
        part = w.iloc[24 * 150:24 * (150 + days)]
        start_utc = part.set_axis((part.index - pd.Timedelta("1h")).tz_convert("UTC"))
        if refused:
            with pytest.raises(InputError, match=r"shift its index by \+1 h"):
                weather_for_site(s, start_utc)
        else:
            got = weather_for_site(s, start_utc)
            assert len(got) == 24 * days
