"""The Python entry points a library user calls directly (:mod:`dcplan.api_inputs`): a weather
frame passed to ``run_site_year``, a PV position far from the weather's station, wrong argument
types, an IT year with no load, and every module's ``__all__``.
"""
from __future__ import annotations

import importlib
import pkgutil
import warnings

import numpy as np
import pandas as pd
import pytest

import dcplan
from dcplan import pipeline, power, solar, thermal
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_site
from dcplan.weather import load_site_weather


@pytest.fixture(scope="module")
def phoenix():
    s = load_site("phoenix-az")
    return s, pipeline.run_site_year(s)


def test_a_frame_in_another_zone_is_put_on_the_site_clock(phoenix):
    """The same weather in UTC, or in the file's standard time, holds the same instants; on the
    site's clock it is the same frame, so the bill is the same to the cent (it moved -4.35 % before:
    the TOU hours were read on the UTC clock)."""
    s, y = phoenix
    w = pipeline.site_weather(s)
    for frame in (w.tz_convert("UTC"), load_site_weather(s)):
        got = pipeline.run_site_year(s, weather=frame)
        assert str(got.weather.index.tz) == s.timezone
        assert got.weather.index.equals(w.index)
        assert got.bill.total_usd == pytest.approx(y.bill.total_usd, abs=0.01)


def test_a_frame_from_a_far_station_is_refused_naming_both_positions(phoenix):
    """Chicago O'Hare (41.98 N, 87.92 W) is about 2,300 km from Phoenix (haversine), beyond the
    1,000 km site_weather allows (dcplan.site_station.MAX_STATION_DISTANCE_KM)."""
    s, _ = phoenix
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        chicago = load_site_weather(load_site("chicago-il"))
    with pytest.raises(InputError) as ei:
        pipeline.run_site_year(s, weather=chicago)
    e = ei.value
    assert e.field == "weather"
    assert f"({s.latitude:g}, {s.longitude:g})" in e.detail and "(41.98, -87.92" in e.detail
    assert "weather frame passed" in e.detail and "Chicago" in e.detail
    with pytest.raises(InputError, match="need an hourly weather DataFrame") as ei:
        pipeline.run_site_year(s, weather=chicago["temp_air"])
    assert ei.value.field == "weather"


def test_a_frame_of_another_year_than_the_sites_weather_year_is_refused(phoenix):
    """An auditor's finding: load_weather(..., year=2024) passed for Phoenix (weather.year 2025) ran in silence,
    billing 2024's calendar (8,784 hours, its weekdays) as 2025's, and site_tco's leap note then named 2025
    beside 8,784 hours. The sweep varies the year only through weather.year, so no caller needs another year."""
    from dcplan.weather import load_weather
    s, _ = phoenix
    assert s.weather.year == 2025
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)  # 2024 is a leap year: 29 Feb filled (said by the loader)
        w24 = load_weather(s.weather_path, year=2024, tz=s.timezone, format=s.weather.format)
    assert len(w24) == 8784
    for frame in (w24, w24.tz_convert("UTC")):  # on the site's clock or converted to it
        with pytest.raises(InputError) as ei:
            pipeline.run_site_year(s, weather=frame)
        e = ei.value
        assert e.field == "weather.year" and e.file == s.source_file
        assert "starts in 2024 (its first interval begins 2024-01-01 00:00 America/Phoenix)" in e.detail
        assert "the site's weather.year is 2025" in e.detail and "8,784 hours" in e.detail
        assert "pass weather of 2025 (dcplan.pipeline.site_weather(site)" in e.detail
        assert "or set the site's weather.year to 2024" in e.detail
    # the site's own year loaded by hand is the site's frame: accepted (the first test bills it)
    own = load_weather(s.weather_path, year=2025, tz=s.timezone, format=s.weather.format)
    from dcplan.api_inputs import weather_for_site
    assert weather_for_site(s, own) is own


def test_a_whole_utc_year_without_freq_is_put_on_the_civil_year_not_refused(phoenix):
    """A typical year in UTC read back from a file (a CSV or parquet round trip leaves its index without freq)
    was not put on the civil year, as the same frame with freq is: its first hour on Phoenix's clock (UTC-7) began
    2024-12-31 17:00, and the weather.year check refused it as weather of 2024 ("set the site's weather.year to
    2024"). By hand: 8,760 hours labelled 2025-01-01 01:00 UTC onwards are 2024-12-31 18:00 MST onwards; the civil
    year wraps the first 7 to the end, so the result starts 2025-01-01 01:00 MST with the frame's 8th row. (The
    frame is the site's values relabelled, so its sun would be 7 h off, which is refused, test_api_inputs: it keeps
    the columns without irradiance.)"""
    from dcplan.api_inputs import weather_for_site
    s, _ = phoenix
    w = pipeline.site_weather(s).drop(columns=["ghi", "dni", "dhi"])
    utc = pd.DataFrame(w.to_numpy(), columns=w.columns,
                       index=pd.date_range("2025-01-01 01:00", periods=len(w), freq="h", tz="UTC", name=w.index.name))
    bare = utc.copy()
    bare.index = pd.DatetimeIndex(list(utc.index), name=w.index.name)  # as read back from a file: no freq
    assert bare.index.freq is None and len(bare) == 8760
    got = weather_for_site(s, bare)
    assert got.index[0] == pd.Timestamp("2025-01-01 01:00", tz=s.timezone) and len(got) == 8760
    np.testing.assert_array_equal(got.to_numpy()[0], utc.to_numpy()[7])  # wrapped by the 7-hour offset
    np.testing.assert_array_equal(got.to_numpy()[-7], utc.to_numpy()[0])
    pd.testing.assert_frame_equal(got, weather_for_site(s, utc), check_freq=False)  # as the frame with freq


def test_a_frame_labelled_at_interval_start_is_told_so_not_that_it_is_last_years(phoenix):
    """A raw NSRDB/PSM3 frame labels each interval at its start, 00:00 on 1 January first (pvlib's readers give it
    so); dcplan labels at the end (STYLE.md s.2; load_weather's first hour is 01:00). The weather.year check read
    such a frame of 2025 as beginning 2024-12-31 23:00, "weather of 2024", and told the user to set weather.year to
    2024. By hand: Phoenix's own year (labels 2025-01-01 01:00 .. 2026-01-01 00:00 MST) moved back one hour starts
    2025-01-01 00:00 MST; a UTC 30-minute frame from 2025-01-01 00:00 UTC starts 2024-12-31 17:00 MST, its first
    interval 16:30, and one 30-minute shift leaves it in 2024 on Phoenix's clock: it was told to shift (the advice
    failed), and is told instead that its labels are not the problem."""
    from dcplan.api_inputs import weather_for_site
    s, _ = phoenix
    w = pipeline.site_weather(s)
    assert w.index[0] == pd.Timestamp("2025-01-01 01:00", tz=s.timezone) and s.weather.year == 2025
    start = w.copy()
    start.index = w.index - pd.Timedelta("1h")  # labelled at the start of each hour, on the site's clock
    # UTC, every 30 minutes (not a whole hourly year, so not wrapped onto the civil year)
    for frame, on, one, begins in ((start, "America/Phoenix", "1h", "2024-12-31 23:00"),):
        with pytest.raises(InputError) as ei:
            weather_for_site(s, frame)
        e = ei.value
        assert e.field == "weather.year" and e.file == s.source_file
        assert f"starts in 2024 (its first interval begins {begins} America/Phoenix)" in e.detail
        assert e.detail.endswith(
            f"; its first label is 2025-01-01 00:00 {on}, the start of 2025: the frame looks labelled at the start of "
            "each interval (as raw NSRDB/PSM3 frames are), but dcplan labels each interval at its end (01:00 for the "
            f"first hour of the year); shift its index by one interval (weather.index + pd.Timedelta('{one}')), or "
            "load the file through dcplan.weather.load_weather, which labels it so"), e.detail
        assert "set the site's weather.year to 2024" not in e.detail  # the year is right, the labels are not
    # the shift it names gives the site's own frame back, accepted
    fixed = start.copy()
    fixed.index = start.index + pd.Timedelta("1h")
    pd.testing.assert_frame_equal(weather_for_site(s, fixed), w, check_freq=False)
    # a UTC 30-minute frame from 2025-01-01 00:00 UTC (raw PSM3) is 2024-12-31 17:00 on Phoenix's clock (UTC-7).
    # A frame finer than hourly is now averaged to hours (dcplan.weather_hourly; it was refused as weather of 2024):
    # read as dcplan's labels (interval ends) its first hour lacks the interval before 00:00 UTC, refused, saying the
    # labels look like the start's or the instant's; said so, it is a whole UTC year of hours, which is put on the
    # site's civil year as an hourly UTC year is (the 7 hours before 1 January 00:00 MST wrapped to the year's end)
    half = pd.DataFrame({"temp_air": 20.0},
                        index=pd.date_range("2025-01-01 00:00", periods=17520, freq="30min", tz="UTC"))
    with pytest.raises(InputError) as ei:
        weather_for_site(s, half)
    e = ei.value
    assert e.field == "weather.index" and "the hour ending 2024-12-31 17:00:00-07:00 is cut short" in e.detail
    assert "weather.attrs['interval_labels']" in e.detail
    half.attrs["interval_labels"] = "instant"
    with pytest.warns(DcplanWarning, match="averaged from 30-minute data"):
        got = weather_for_site(s, half)
    assert got.index.equals(w.index) and (got["temp_air"] == 20.0).all()
    # a frame of the year before, labelled as dcplan does, is still told to pass 2025 or set weather.year
    early = w.copy()
    early.index = w.index - pd.Timedelta("2h")
    with pytest.raises(InputError, match=r"or set the site's weather.year to 2024") as ei:
        weather_for_site(s, early)
    assert "labelled at the start" not in ei.value.detail


def test_pv_far_from_the_weather_station_warns_naming_both_positions(phoenix):
    """Longitude +111.98 for Phoenix is in China, ~11,000 km from the Sky Harbor station: the
    array's sun no longer matches the station's irradiance. The right position gives no warning."""
    s, _ = phoenix
    w = pipeline.site_weather(s)
    with pytest.warns(DcplanWarning, match=r"\(33.45, 111.98\) is .* km from the station .*\(33.45, -111.98.*sign "
                                           r"of the longitude"):
        solar.pv_ac_kw(w, 33.45, 111.98, dc_kw=100.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        solar.pv_ac_kw(w, s.latitude, s.longitude, dc_kw=100.0)
        bare = w.copy()
        bare.attrs = {}
        solar.pv_ac_kw(bare, 33.45, 111.98, dc_kw=100.0)  # no station named: nothing to compare


def test_wrong_types_at_entry_points_are_input_errors():
    with pytest.raises(InputError) as ei:
        pipeline.run_site_year("phoenix-az")
    assert ei.value.field == "site" and "need a dcplan.site.Site" in ei.value.detail
    assert "got str 'phoenix-az'" in ei.value.detail and "load_site('phoenix-az')" in ei.value.detail
    with pytest.raises(InputError, match="need a site name .* got NoneType None") as ei:
        load_site(None)
    assert ei.value.field == "name_or_path"
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 10, "start": "2025-01-01"}],
             "workload": "data", "data_file": "unused.csv", "utilisation_frac": 0.5}
    idx = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="America/Phoenix")
    df = pd.DataFrame({"it_kw": 5000.0}, index=idx)
    with pytest.raises(InputError, match=r"need a pandas Series .* got DataFrame of 48 rows.*data\['it_kw'\]") as ei:
        power.site_it_kw(fleet, idx, deployed="all", data=df)
    assert ei.value.field == "data"


def test_measured_it_kw_problems_are_named_as_it_kw_and_by_timestamp():
    fleet = {"phases": [{"hardware": "hgx-h100", "count": 10, "start": "2025-01-01"}],
             "workload": "data", "data_file": "unused.csv", "utilisation_frac": 0.5}
    idx = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="America/Phoenix")
    nan = pd.Series(5000.0, index=idx, name="it_kw")
    nan.iloc[5] = np.nan
    with pytest.raises(InputError, match=r"value nan at 2025-01-01 06:00:00-07:00 outside >= 0") as ei:
        power.site_it_kw(fleet, idx, data=nan)
    assert ei.value.field == "data (it_kw)"
    neg = pd.Series(5000.0, index=idx, name="it_kw")
    neg.iloc[7] = -3.0
    with pytest.raises(InputError, match=r"value -3.0 at 2025-01-01 08:00:00-07:00"):
        power.site_it_kw(fleet, idx, data=neg)
    for bad, said in ((pd.Series(5000.0, index=idx.tz_localize(None), name="it_kw"), "naive timestamps"),
                      (pd.Series(5000.0, index=idx.delete(3), name="it_kw"), "gap or missing rows")):
        with pytest.raises(InputError, match=said) as ei:
            power.site_it_kw(fleet, idx, data=bad)
        assert ei.value.field == "data (it_kw)" and "utilisation_frac" not in str(ei.value)


def test_the_docstring_example_draws_power_and_an_empty_year_is_refused(phoenix):
    """site_it_kw's example (deployed='all') on the bundled 2025 weather draws power; the default
    'dated' is 0 kW before the fleet's 2026-27 phases, and plant_summary of such a year says so
    instead of returning NaN with numpy warnings."""
    s, y = phoenix
    w = y.weather
    assert "deployed=\"all\"" in power.site_it_kw.__doc__
    assert power.site_it_kw(s, w.index, deployed="all").min() > 0
    with pytest.warns(DcplanWarning, match="no fleet phase is deployed"):
        dated = power.site_it_kw(s, w.index)
    assert (dated == 0).all()
    hourly = thermal.plant_hourly(dated, w, s.cooling, design_it_kw=y.design_it_kw, fleet=s)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(InputError, match=r"0 kW in every one of the 8,760 hours.*deployed='all'") as ei:
            thermal.plant_summary(hourly, s.cooling)
    assert ei.value.field == "hourly.it_kw"


def test_every_modules_all_resolves():
    """``from dcplan.<module> import *`` works for every module: each name in ``__all__`` exists
    (schedule_baselines listed two names that live in schedule_explain)."""
    missing = []
    for m in pkgutil.walk_packages(dcplan.__path__, "dcplan."):
        if m.name == "dcplan.__main__":
            continue
        mod = importlib.import_module(m.name)
        missing += [f"{m.name}.{n}" for n in getattr(mod, "__all__", ()) if not hasattr(mod, n)]
    assert missing == []
    ns: dict = {}
    exec("from dcplan.schedule_baselines import *", ns)  # noqa: S102 (the tester's line)
    assert "greedy" in ns and "explain_infeasible" not in ns
