"""Sub-hourly weather made hourly (dcplan.weather_hourly): NSRDB 30-minute CSVs through load_weather, sub-hourly
frames through run_site_year's weather_for_site, and hourly frames in a zone half an hour off UTC.

Before, all three were refused (a 30-minute NSRDB file: "rows every 30 minutes ... dcplan reads hourly data"; a
30-minute frame: "average it to hourly means") or, the last, accepted half an hour off. The 30-minute NSRDB file
here is SYNTHETIC FROM REAL data: the bundled Greensboro TMY3 (pvlib's 723170TYA.CSV) interpolated to 30-minute
samples (tests/test_weather_nsrdb.py ``_nsrdb(half_hourly=True)``); the clear-sky days are pvlib's Ineichen model.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import psychrolib
import pytest
import pvlib

from conftest import GREENSBORO_TMY3
from dcplan import pipeline
from dcplan.api_inputs import weather_for_site
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_site
from dcplan.weather import load_weather
from dcplan.weather_hourly import hourly_means
from dcplan.weather_timing import frame_irradiance_offset_h
from test_weather_nsrdb import COLUMNS, _nsrdb


def _smoothed(x: np.ndarray) -> np.ndarray:
    """By hand: hourly values x_h (each at its hour's middle) interpolated to 30-minute samples (x_h at h:30, the
    mean of x_{h-1} and x_h at h:00, x_0 at the first 00:00) and each hour's trapezoid over h:00, h:30, h+1:00
    (weights 1/4, 1/2, 1/4) is (x_{h-1} + 6 x_h + x_{h+1}) / 8; the first hour (7 x_0 + x_1) / 8; the last (a whole
    year: its closing sample the year's first, x_0, the year wrapping), (x_{n-2} + 5 x_{n-1} + 2 x_0) / 8."""
    out = (np.r_[x[0], x[:-1]] + 6.0 * x + np.r_[x[1:], x[-1]]) / 8.0
    out[-1] = (x[-2] + 5.0 * x[-1] + 2.0 * x[0]) / 8.0
    return out


@pytest.fixture(scope="module")
def gso30(tmp_path_factory):
    return _nsrdb(tmp_path_factory.mktemp("nsrdb30") / "gso_30min.csv", half_hourly=True)


def test_a_30_minute_nsrdb_file_is_read_as_each_hours_trapezoid_mean(gso30):
    """The NSRDB's default single-year interval was refused; it is read, each hour the trapezoid mean of its
    samples: the hand formula of :func:`_smoothed` for every column and hour, the year's irradiation the TMY3's,
    the wet bulb recomputed from the hour's means (PsychroLib, independently), the hours centred where the TMY3's
    are (the plain mean of each hour's two samples stands for h:15, and the day then lands a quarter hour late)."""
    w = load_weather(gso30)
    t = load_weather(GREENSBORO_TMY3)
    raw = pd.read_csv(GREENSBORO_TMY3, skiprows=1)
    assert w.index.equals(t.index) and len(w) == 8760
    for col, src, factor in (("ghi", "GHI", 1.0), ("dni", "DNI", 1.0), ("temp_air", "Temperature", 1.0),
                             ("temp_dew", "Dew Point", 1.0), ("pressure", "Pressure", 100.0),
                             ("wind_speed", "Wind Speed", 1.0)):
        # abs 1e-9: float sums of the same numbers in another order
        np.testing.assert_allclose(w[col].to_numpy(), _smoothed(raw[COLUMNS[src]].to_numpy(float)) * factor,
                                   rtol=0, atol=1e-9)
    # the weights of each sample sum to one over the year: the year's irradiation is the file's, to rounding
    assert float(w["ghi"].sum()) == pytest.approx(float(raw["GHI (W/m^2)"].sum()), rel=1e-12)
    assert float(w["ghi"].sum()) == 1_566_203.0  # Wh/m2, the TMY3's sum of GHI x 1 h
    psychrolib.SetUnitSystem(psychrolib.SI)
    for i in (4000, 4500, 5000):  # summer hours, dew point above 0 degC (PsychroLib and the files agree there)
        ref = psychrolib.GetTWetBulbFromTDewPoint(w["temp_air"].iloc[i], w["temp_dew"].iloc[i], w["pressure"].iloc[i])
        assert w["temp_wet_bulb_degc"].iloc[i] == pytest.approx(ref, abs=0.01)  # abs: the bisection's tolerance
    assert w.attrs["resampled_from_min"] == 30.0 and "from 30-minute data" in w.attrs["resampled_note"]
    assert "trapezoid" in w.attrs["resampled_note"]
    # the sun: the trapezoid keeps the hours' centre (within 0.01 h of the TMY3's), the plain mean does not
    assert w.attrs["irradiance_offset_h"] == pytest.approx(t.attrs["irradiance_offset_h"], abs=0.01)
    ghi30 = np.column_stack([np.r_[raw["GHI (W/m^2)"].iloc[0], (raw["GHI (W/m^2)"].to_numpy()[:-1]
                                                              + raw["GHI (W/m^2)"].to_numpy()[1:]) / 2],
                             raw["GHI (W/m^2)"].to_numpy()]).mean(axis=1)
    naive, _ = frame_irradiance_offset_h(t.index, ghi30, -79.95)
    # each hour's plain mean stands for h:15, a quarter hour before its middle: read at the middle, the day's
    # irradiance lands a quarter hour after solar noon (half the 30-minute step)
    assert naive == pytest.approx(0.25, abs=0.05)


def test_a_30_minute_nsrdb_file_with_a_bad_value_names_its_line(tmp_path):
    f = _nsrdb(tmp_path / "bad.csv", half_hourly=True)
    lines = f.read_text().splitlines()
    fields = lines[3 + 100].split(",")  # data row 101 (line 104): 3 Jan, Hour 2, Minute 0
    fields[list(COLUMNS).index("GHI") + 5] = "-999"
    lines[3 + 100] = ",".join(fields)
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as ei:
        load_weather(f)
    assert ei.value.field == "ghi" and "value -999 outside plausible range [0, 1600]" in ei.value.detail
    assert "data row 101, line 104" in ei.value.detail


def _clear_day(step: str, tz="Etc/GMT+7") -> tuple[pd.Series, float]:
    """Phoenix's clear-sky GHI on 21 June 2025 (pvlib Ineichen at pvlib's SPA), sampled at ``step`` from 00:00 to
    the last step before 24:00 on ``tz``, and the day's irradiation [Wh/m2] from 10-second samples (their mean x
    24 h; the trapezoid error at 10 s is below 1e-6 of the day)."""
    loc = pvlib.location.Location(33.43, -112.02, altitude=337)
    fine = pd.date_range("2025-06-21", "2025-06-22", freq="10s", tz=tz, inclusive="left")
    truth = float(loc.get_clearsky(fine)["ghi"].mean()) * 24.0
    idx = pd.date_range("2025-06-21", "2025-06-22", freq=step, tz=tz, inclusive="left")
    return loc.get_clearsky(idx)["ghi"].rename("ghi"), truth


@pytest.mark.parametrize("step, tol", [("30min", 0.005), ("15min", 0.0015), ("5min", 0.0002)])
def test_a_clear_days_samples_keep_its_irradiation_and_its_noon(step, tol):
    """Instantaneous clear-sky samples (as the NSRDB's rows are) made hourly: the day's irradiation within ``tol``
    of the 10-second integral (the trapezoid's error over a smooth day, shrinking with the step: 0.5 %, 0.15 %,
    0.02 %), each hour the trapezoid over its samples (numpy's, by hand), and the day centred on solar noon
    within 0.02 h (dcplan.weather_timing's estimate; the plain mean of each hour's samples stands for a point half
    a step before the hour's middle, so read at the middle the day lands half a step after noon)."""
    g, truth = _clear_day(step)
    h = hourly_means(g.to_frame(), "instant")
    assert len(h) == 24 and str(h.index[0]) == "2025-06-21 01:00:00-07:00"
    assert float(h["ghi"].sum()) == pytest.approx(truth, rel=tol)
    k = len(g) // 24
    s = np.r_[g.to_numpy(), g.to_numpy()[-1]]  # the day's closing sample held (midnight: 0 either way)
    by_hand = [np.trapezoid(s[j * k:(j + 1) * k + 1], dx=1.0 / k) for j in range(24)]
    np.testing.assert_allclose(h["ghi"].to_numpy(), by_hand, rtol=0, atol=1e-9)
    off, days = frame_irradiance_offset_h(h.index, h["ghi"].to_numpy(), -112.02)
    assert days == 1 and abs(off) < 0.02
    plain = g.resample("1h", closed="left", label="right").mean()
    off_plain, _ = frame_irradiance_offset_h(plain.index, plain.to_numpy(), -112.02)
    assert off_plain == pytest.approx(pd.Timedelta(step) / pd.Timedelta("1h") / 2, abs=0.02)  # half a step late


@pytest.mark.parametrize("labels, closed", [("end", "right"), ("start", "left")])
def test_interval_means_are_pandas_resample_of_them(labels, closed):
    """Rows that are interval means (their label the interval's end, or its start): each hour the mean of its
    rows, as pandas' resample gives it by hand; the irradiation (sum x step) kept to rounding."""
    rng = np.random.default_rng(7)
    start = pd.Timestamp("2025-03-01 00:15" if labels == "end" else "2025-03-01 00:00", tz="America/Chicago")
    idx = pd.date_range(start, periods=4 * 72, freq="15min")
    f = pd.DataFrame({"ghi": rng.uniform(0, 900, len(idx)), "temp_air": rng.uniform(-5, 30, len(idx)),
                      "wind_speed": rng.uniform(0, 9, len(idx))}, index=idx)
    h = hourly_means(f, labels)
    ref = f.resample("1h", closed=closed, label="right").mean()
    pd.testing.assert_frame_equal(h, ref, check_freq=False, rtol=0, atol=1e-9)
    assert float(h["ghi"].sum()) == pytest.approx(float(f["ghi"].sum()) / 4.0, rel=1e-12)


def test_an_hour_missing_an_interval_is_refused_naming_it():
    g, _ = _clear_day("30min")
    f = g.to_frame().drop(pd.Timestamp("2025-06-21 12:30", tz="Etc/GMT+7"))
    with pytest.raises(InputError) as ei:
        hourly_means(f, "instant")
    assert "the hour ending 2025-06-21 13:00:00-07:00 lacks 2025-06-21 12:30:00-07:00" in ei.value.detail
    assert "every one of its 2 intervals" in ei.value.detail
    idx = pd.date_range("2025-06-21", periods=96, freq="25min", tz="UTC")
    with pytest.raises(InputError, match="a row every 25 minutes, which does not divide the hour"):
        hourly_means(pd.DataFrame({"ghi": 0.0}, index=idx), "end")


def test_a_wet_bulb_without_the_air_to_recompute_it_is_refused():
    idx = pd.date_range("2025-06-21 00:30", periods=48, freq="30min", tz="UTC")
    f = pd.DataFrame({"ghi": 0.0, "temp_air": 20.0, "temp_wet_bulb_degc": 15.0}, index=idx)
    with pytest.raises(InputError) as ei:
        hourly_means(f)
    assert ei.value.field == "temp_wet_bulb_degc" and "no pressure, temp_dew or relative_humidity" in ei.value.detail


@pytest.fixture(scope="module")
def phoenix():
    s = load_site("phoenix-az")
    return s, pipeline.site_weather(s)


def test_a_30_minute_frame_of_interval_means_is_averaged_for_the_run(phoenix):
    """Phoenix's year as 30-minute rows labelled at their ends, each hour's GHI split into a first half 20 W/m2
    below its mean and a second 20 above (clipped where the mean is below 20). It was refused ("average it to
    hourly means"); it is averaged, with a DcplanWarning, to the site's own frame: GHI by hand (the mean of each
    hour's halves is the hour's), the wet bulb recomputed from the same air (the halves' air is the hour's)."""
    s, w = phoenix
    g = w["ghi"].to_numpy()
    d = np.where(g >= 20.0, 20.0, 0.0)
    idx = pd.date_range(w.index[0] - pd.Timedelta("30min"), periods=2 * len(w), freq="30min", name=w.index.name)
    half = pd.DataFrame(np.repeat(w.to_numpy(), 2, axis=0), columns=w.columns, index=idx)
    half["ghi"] = np.column_stack([g - d, g + d]).ravel()
    with pytest.warns(DcplanWarning, match="hourly means averaged from 30-minute data"):
        got = weather_for_site(s, half)
    assert got.index.equals(w.index)
    np.testing.assert_allclose(got["ghi"].to_numpy(), g, rtol=0, atol=1e-9)
    np.testing.assert_allclose(got["temp_wet_bulb_degc"].to_numpy(), w["temp_wet_bulb_degc"].to_numpy(), atol=1e-9)
    assert float(got["ghi"].sum()) == pytest.approx(float(half["ghi"].sum()) / 2.0, abs=1e-6)  # Wh/m2 kept
    assert got.attrs["resampled_from_min"] == 30.0 and got.attrs["resampled_labels"] == "end"


def test_a_raw_nsrdb_like_utc_frame_must_say_its_labels_and_then_is_read_as_samples(phoenix):
    """Phoenix's year as the NSRDB's 30-minute samples in UTC (stamps at :00 and :30, the values at those instants:
    the hour's value at :30, the interpolation at :00, as :func:`_smoothed`). Read as dcplan's interval ends it
    centres a quarter hour early: refused, saying to name its labels. Named 'instant', each hour is the trapezoid
    of its samples: the hand formula, on the site's civil year, the year's irradiation kept."""
    s, w = phoenix
    x = w["ghi"].to_numpy()
    at0 = np.r_[x[0], (x[:-1] + x[1:]) / 2]
    idx = pd.date_range(w.index[0] - pd.Timedelta("1h"), periods=2 * len(w), freq="30min").tz_convert("UTC")
    cols = {c: np.column_stack([np.r_[v[0], (v[:-1] + v[1:]) / 2], v]).ravel()
            for c, v in ((c, w[c].to_numpy()) for c in w.columns if c != "temp_wet_bulb_degc")}
    raw = pd.DataFrame({**cols, "temp_wet_bulb_degc": 0.0}, index=idx)
    assert np.array_equal(raw["ghi"].to_numpy()[::2], at0)
    with pytest.raises(InputError) as ei:
        weather_for_site(s, raw)
    assert ei.value.field == "weather.index" and "names no labels" in ei.value.detail
    assert "weather.attrs['interval_labels'] = 'instant'" in ei.value.detail
    raw.attrs["interval_labels"] = "instant"
    with pytest.warns(DcplanWarning, match="from 30-minute data"):
        got = weather_for_site(s, raw)
    assert got.index.equals(w.index)
    np.testing.assert_allclose(got["ghi"].to_numpy(), _smoothed(x), rtol=0, atol=1e-9)
    assert float(got["ghi"].sum()) == pytest.approx(float(x.sum()), rel=1e-12)


def _kolkata():
    """A site at Kolkata (UTC+5:30) and its clear-sky year (pvlib Ineichen, 6-minute means of each hour): hours on
    the site's clock labelled at their ends, and the NSRDB's way, UTC hours stamped at their middles (hh:30 UTC,
    which is hh:00 on the site's clock)."""
    base = load_site("phoenix-az")
    s = base.model_copy(update={"latitude": 22.57, "longitude": 88.36, "timezone": "Asia/Kolkata"})
    loc = pvlib.location.Location(22.57, 88.36)
    fine = pd.date_range("2024-12-31 18:03", "2026-01-01 05:57", freq="6min", tz="UTC")  # each 6 min's middle
    g = loc.get_clearsky(fine)["ghi"]
    ist = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="Asia/Kolkata")
    local = pd.DataFrame({"ghi": g.groupby(_hour_end(fine, "Asia/Kolkata")).mean().reindex(ist).to_numpy(),
                          "temp_air": 25.0}, index=ist)
    utc_hours = pd.date_range("2024-12-31 19:00", periods=8760, freq="h", tz="UTC")
    mid = pd.DataFrame({"ghi": g.groupby(fine.floor("h")).mean().reindex(utc_hours).to_numpy(), "temp_air": 25.0},
                       index=utc_hours + pd.Timedelta("30min"))
    return s, local, mid


def _hour_end(t: pd.DatetimeIndex, tz: str) -> pd.DatetimeIndex:
    """The end of the hour on ``tz``'s clock that each instant lies in."""
    return t.tz_convert(tz).floor("h") + pd.Timedelta("1h")


def test_half_past_utc_stamps_at_a_half_hour_site_are_judged_on_its_clock_by_the_sun():
    """Kolkata: hh:30 UTC is hh:00 on the site's clock. A frame of the site's hours labelled at their ends (in
    UTC: hh:30) centres on solar noon (within 0.05 h) and is kept; the NSRDB's UTC hours stamped at their middles,
    the same stamps, centre 0.49 h early and were accepted (inside the 0.5 h of the timing check), every hour half
    an hour off: refused, naming the +30 min that puts each hour's end at its label."""
    s, local, mid = _kolkata()
    assert mid.index[0].tz_convert("Asia/Kolkata") == pd.Timestamp("2025-01-01 01:00", tz="Asia/Kolkata")
    off_local, _ = frame_irradiance_offset_h(local.index, local["ghi"].to_numpy(), 88.36)
    off_mid, _ = frame_irradiance_offset_h(mid.index, mid["ghi"].to_numpy(), 88.36)
    assert abs(off_local) < 0.05 and off_mid == pytest.approx(-0.5, abs=0.05)
    got = weather_for_site(s, local.tz_convert("UTC"))
    assert got.index.equals(local.index)
    np.testing.assert_array_equal(got["ghi"].to_numpy(), local["ghi"].to_numpy())
    with pytest.raises(InputError) as ei:
        weather_for_site(s, mid)
    e = ei.value
    assert e.field == "weather.index"
    assert "its labels are on the hour on Asia/Kolkata but at 30 min past on UTC" in e.detail
    assert "allowed: within 0.25 h" in e.detail and "pd.Timedelta('30min')" in e.detail
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fixed = weather_for_site(s, mid.set_axis(mid.index + pd.Timedelta("30min")))
    # the UTC hours kept, each at its end: half past on the site's clock, as load_weather keeps such hours
    assert str(fixed.index[0]) == "2025-01-01 01:30:00+05:30" and len(fixed) == 8760
    off_fixed, _ = frame_irradiance_offset_h(fixed.index, fixed["ghi"].to_numpy(), 88.36)
    assert abs(off_fixed) < 0.05


@pytest.mark.slow
def test_a_render_on_a_30_minute_nsrdb_file_says_its_rows_were_averaged(gso30, tmp_path):
    """End to end, as a planner runs it: a site on the NSRDB's 30-minute file renders, its climate report's
    weather format says the rows were averaged (it said only "NSRDB"), and its figures are those of the hourly
    means: the mean dry bulb, by hand from the file's samples with the weights of :func:`_smoothed`."""
    import json
    import yaml
    from conftest import bundled_site_copy
    from dcplan.report import render
    site = bundled_site_copy(tmp_path, "research-triangle-nc", "rt30", name="RT (NSRDB 30 min)",
                             weather={"file": str(gso30), "format": "auto"})
    (pf := tmp_path / "pf.yaml").write_text(yaml.safe_dump({"name": "t", "sites": [str(site)]}))
    s = render(portfolio=pf, notebooks=["site_climate"], out=tmp_path / "r", jobs=1, progress=False)
    assert s.ok
    got = json.loads((tmp_path / "r" / "rt30" / "site_climate" / "results.json").read_text())["results"]
    assert got["weather_format"]["value"] == "NSRDB, its 30-minute rows averaged to hours"
    raw = pd.read_csv(GREENSBORO_TMY3, skiprows=1)["Dry-bulb (C)"].to_numpy(float)
    # the smoothing's weights sum to one for every sample but the ends (7/8 + 1/8 and 1/8 + 7/8): the mean is the
    # TMY3's to rounding; the report rounds to 0.1 degC
    assert got["temp_air_mean_degc"]["value"] == pytest.approx(float(_smoothed(raw).mean()), abs=0.05)


def test_a_whole_year_of_samples_closes_its_last_hour_on_its_first_sample_and_says_so():
    """The year's last hour of 30-minute samples closes on 1 January 00:00 of the next year, which a year's file
    does not hold. It held the last sample (23:30 weighted 3/4, as if the air stayed at 23:30's); a whole year
    now wraps to its own first sample (a typical year repeats), and a frame that is not a whole year still holds,
    each said in attrs. By hand, 30-minute temperatures: the last hour's trapezoid (v(23:00) + 2 v(23:30) +
    v(00:00 next)) / 4 = (4 + 2 x 2 + 10) / 4 = 4.5 degC with the wrap (0.0 held: (4 + 2 x 2 + 2) / 4 = 2.5)."""
    idx = pd.date_range("2025-01-01 00:00", "2025-12-31 23:30", freq="30min", tz="Etc/GMT+5")
    temp = np.full(len(idx), 7.0)
    temp[0], temp[-2], temp[-1] = 10.0, 4.0, 2.0
    frame = pd.DataFrame({"temp_air": temp, "ghi": 0.0}, index=idx)
    out = hourly_means(frame, "instant")
    assert len(out) == 8760 and out.index[-1] == pd.Timestamp("2026-01-01 00:00", tz="Etc/GMT+5")
    assert out["temp_air"].iloc[-1] == pytest.approx(4.5, abs=1e-12)  # was 2.5 (the last sample held)
    assert out.attrs["resampled_closing"] == "wrap"
    assert "the last hour closed on the first sample, the year wrapping" in out.attrs["resampled_note"]
    # a part year (to 30 June 23:30): the sample after it is not known; held, and said
    part = hourly_means(frame.loc[:"2025-06-30 23:30"], "instant")
    assert part.attrs["resampled_closing"] == "hold"
    assert "closed on the last sample, held" in part.attrs["resampled_note"]
    # interval means close on their own rows: nothing to say
    assert hourly_means(frame, "start").attrs["resampled_closing"] == ""


def test_a_correct_15_minute_year_with_afternoon_clouds_is_not_taken_for_start_labels():
    """The unlabelled sub-hourly check refused a frame centred more than a quarter step before solar noon (15-minute
    rows: 0.0625 h). Weather alone centres a correct frame that far: the bundled 12839.tm2 year centres 0.075 h early
    (afternoon clouds). Its year as 15-minute means labelled at their ends, dcplan's (SYNTHETIC FROM REAL: each hour's
    clearness, GHI / clear-sky GHI, on pvlib's Haurwitz clear sky at each quarter hour's middle, so each hour's mean
    is the file's), is now let through; the same year as 30-minute means labelled at their starts (centred a further
    quarter hour early) is still refused."""
    import types

    from dcplan.api_inputs import SUBHOURLY_WEATHER_EARLY_H, _check_subhourly_labels
    from conftest import DATA
    w = load_weather(DATA / "weather" / "12839.tm2")
    lon = w.attrs["longitude"]
    loc = pvlib.location.Location(w.attrs["latitude"], lon)
    idx = pd.date_range(w.index[0] - pd.Timedelta("45min"), w.index[-1], freq="15min")
    cs = loc.get_clearsky(idx - pd.Timedelta("7.5min"), model="haurwitz")["ghi"].to_numpy()
    cs_h = pd.Series(cs, index=idx).groupby(idx.ceil("h")).mean().reindex(w.index).to_numpy()
    kt = np.divide(w["ghi"].to_numpy(), cs_h, out=np.zeros(len(w)), where=cs_h > 0)
    q = pd.DataFrame({"ghi": cs * np.repeat(kt, 4)}, index=idx)
    sun = cs_h > 0  # each hour the file's, the same clouds (but a few dawn hours of 1-2 W/m2 with no clear sky)
    np.testing.assert_allclose(q["ghi"].groupby(idx.ceil("h")).mean().reindex(w.index).to_numpy()[sun],
                               w["ghi"].to_numpy()[sun], atol=1e-9)
    off, days = frame_irradiance_offset_h(q.index, q["ghi"], lon)
    # -0.075 h: past a quarter of 15 minutes (old limit) and within the weather allowance (a year of sun: 0.1 h)
    assert -SUBHOURLY_WEATHER_EARLY_H < off < -0.25 / 4 and days == 365
    site = types.SimpleNamespace(longitude=lon, source_file="")
    _check_subhourly_labels(site, q, 15.0)  # was: InputError "... looks labelled at each interval's start ..."
    half = q.groupby(np.arange(len(q)) // 2).mean()
    half.index = idx[::2]  # each 30-minute mean labelled at its start: 0.25 h early on top of the clouds' 0.075
    with pytest.raises(InputError, match="looks labelled at each interval's start or instant"):
        _check_subhourly_labels(site, half, 30.0)
