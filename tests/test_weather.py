"""dcplan.weather: readers, re-stamping, wet bulb and climate summaries."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import DcplanWarning, InputError
from dcplan.weather import (COLUMNS, climate_summary, hours_above, load_weather, monthly_profile,
                            saturation_pressure_pa, wet_bulb_degc)

from conftest import (CHICAGO_EPW, DULLES_EPW, GREENSBORO_TMY3, MIAMI_TMY2, PHOENIX_EPW, WEATHER,
                      wet_bulb_from_dew_over_water)


@pytest.mark.parametrize("path", [PHOENIX_EPW, DULLES_EPW, CHICAGO_EPW, GREENSBORO_TMY3, MIAMI_TMY2,
                                  WEATHER / "703165TY.csv"], ids=lambda p: p.name)
def test_every_bundled_file_gives_one_hour_ending_calendar_year(path):
    w = load_weather(path, year=2025)
    assert list(w.columns) == COLUMNS
    assert len(w) == 8760 and w.index.freq == "h" and w.index.tz is not None
    # interval-ending labels: the first hour of 2025 ends at 01:00, the last at 00:00 of 2026
    assert w.index[0].strftime("%Y-%m-%d %H:%M") == "2025-01-01 01:00"
    assert w.index[-1].strftime("%Y-%m-%d %H:%M") == "2026-01-01 00:00"
    assert not w.isna().any().any()
    # night: the first hour of 1 Jan (00-01 h local standard time) has no sun anywhere in the US
    assert w["ghi"].iloc[0] == 0.0


def test_phoenix_matches_published_tmy3_statistics(phoenix_weather):
    # docs/reference-data.md §9a (derived from the same EPW): annual mean 23.8 °C, max 44.4 °C,
    # hours > 35 °C: 1,230, > 40 °C: 310. Rounding of the published figures: 0.05 °C, exact counts.
    w = phoenix_weather
    assert w["temp_air"].mean() == pytest.approx(23.8, abs=0.05)
    assert w["temp_air"].max() == pytest.approx(44.4, abs=0.05)
    assert int((w["temp_air"] > 35).sum()) == 1230
    assert int((w["temp_air"] > 40).sum()) == 310


def test_phoenix_monthly_table_matches_reference(phoenix_weather):
    # docs/reference-data.md §9a Phoenix table: mean dry bulb Jan 13.0, Jul 35.6; mean daily max Jul 41.6;
    # mean wet bulb Jan 6.2, Jul 21.1 (computed there from dew point, as ours; 0.05 K: the table's
    # rounding). January's 6.2 took a sub-zero dew point as a frost point (over ice): over water, the file's
    # convention (tests/test_weather_wet_bulb.py), it is 6.30, PsychroLib's mean of that humidity (conftest)
    m = monthly_profile(phoenix_weather)
    assert m.loc[1, "temp_air_mean_degc"] == pytest.approx(13.0, abs=0.05)
    assert m.loc[7, "temp_air_mean_degc"] == pytest.approx(35.6, abs=0.05)
    assert m.loc[7, "temp_air_daily_max_degc"] == pytest.approx(41.6, abs=0.05)
    jan = phoenix_weather[(phoenix_weather.index - pd.Timedelta("1h")).month == 1]  # hours starting in January
    ref = np.mean(wet_bulb_from_dew_over_water(jan.temp_air, jan.temp_dew, jan.pressure))
    assert m.loc[1, "temp_wet_bulb_mean_degc"] == pytest.approx(ref, abs=2e-3) == pytest.approx(6.30, abs=0.005)
    assert m.loc[7, "temp_wet_bulb_mean_degc"] == pytest.approx(21.1, abs=0.05)


def test_dulles_annual_figures_match_reference():
    # docs/reference-data.md §9a Dulles: annual mean 12.7 °C, max 37.2 °C, min -16.1 °C.
    s = climate_summary(load_weather(DULLES_EPW))
    assert s["temp_air_mean_degc"] == pytest.approx(12.7, abs=0.05)
    assert s["temp_air_max_degc"] == pytest.approx(37.2, abs=0.05)
    assert s["temp_air_min_degc"] == pytest.approx(-16.1, abs=0.05)


def test_economizer_hour_counts_match_reference(phoenix_weather):
    # docs/reference-data.md §3c "Economizer feasibility — Phoenix (TMY3)": dry bulb < 24 °C: 4,443 h,
    # < 35: 7,396 h; wet bulb < 18: 6,683 h, < 22: 8,198 h, < 24: 8,728 h; Dulles wet bulb < 18:
    # 6,584 h, < 22: 8,094 h, < 24: 8,628 h (their wet bulb from dew point and station pressure, as
    # ours: exact. From the files' RH, rounded to whole percent and not smoothed at the month
    # joins as dry bulb and dew point are, Phoenix < 22 came out 8,214 h.)
    w = phoenix_weather
    assert int((w["temp_air"] < 24).sum()) == 4443
    assert int((w["temp_air"] < 35).sum()) == 7396
    assert [int((w["temp_wet_bulb_degc"] < t).sum()) for t in (18, 22, 24)] == [6683, 8198, 8728]
    d = load_weather(DULLES_EPW)
    assert [int((d["temp_wet_bulb_degc"] < t).sum()) for t in (18, 22, 24)] == [6584, 8094, 8628]


def test_tmy2_is_converted_from_tenths():
    # TMY2 stores dry bulb in tenths of °C; Miami's annual mean is about 24-25 °C
    # (NOAA normals 1961-90 for Miami: 24.9 °C), never 200 °C.
    w = load_weather(MIAMI_TMY2)
    assert 23.0 < w["temp_air"].mean() < 26.0
    assert w["wind_speed"].max() < 25.0


def test_tz_conversion_keeps_regular_index():
    w = load_weather(PHOENIX_EPW, tz="America/New_York")
    assert str(w.index.tz) == "America/New_York" and w.index.freq == "h"


@pytest.mark.parametrize("tz, shift_h", [("America/Los_Angeles", -1), ("Australia/Sydney", 18),
                                          ("America/Phoenix", 0)])
def test_civil_year_is_whole_when_the_zone_clock_differs_from_the_station(tz, shift_h):
    # The Phoenix file is a year of UTC-7 standard time. On the Los Angeles clock (UTC-8 on
    # 1 January) it runs from 00:00 on 1 January, and in Sydney (UTC+11 in summer) from 19:00:
    # a bill saw a 13th month. The civil year is 1 Jan 01:00 .. 1 Jan 00:00 on the zone's clock;
    # every hour keeps its instant except the |shift| wrapped ones, which move by 365 days.
    std = load_weather(PHOENIX_EPW)
    w = load_weather(PHOENIX_EPW, tz=tz)
    assert w.attrs["civil_shift_h"] == shift_h and len(w) == 8760 and w.index.freq == "h"
    assert w.index[0] == pd.Timestamp("2025-01-01 01:00", tz=tz)
    assert w.index[-1] == pd.Timestamp("2026-01-01 00:00", tz=tz)
    ending = (w.index - pd.Timedelta("1h")).tz_localize(None)
    assert ending.year.unique().tolist() == [2025] and ending.month.nunique() == 12
    kept = w.index.intersection(std.index)
    assert len(kept) == 8760 - abs(shift_h)
    pd.testing.assert_frame_equal(w.loc[kept].tz_convert(std.index.tz), std.loc[kept], check_freq=False)
    moved = w.index.difference(std.index)
    year = pd.Timedelta(days=365)
    back = moved + year if shift_h > 0 else moved - year
    np.testing.assert_array_equal(w.loc[moved].to_numpy(), std.loc[back.tz_convert(std.index.tz)].to_numpy())


@pytest.mark.parametrize("tz, shift_h", [("Asia/Kolkata", 12), ("America/St_Johns", 3)])
def test_civil_year_in_a_half_hour_zone_moves_whole_hours_only(tz, shift_h):
    # +05:30 and -03:30 against the file's -07:00: rounding the 12.5 h (3.5 h) to whole hours
    # moved every label 30 min off its instant; the labels now stay at half past
    std = load_weather(PHOENIX_EPW)
    w = load_weather(PHOENIX_EPW, tz=tz)
    assert w.attrs["civil_shift_h"] == shift_h and len(w) == 8760
    assert w.index[0] == pd.Timestamp("2025-01-01 01:30", tz=tz)
    assert w.index[-1] == pd.Timestamp("2026-01-01 00:30", tz=tz)
    kept = w.index.intersection(std.index)
    assert len(kept) == 8760 - shift_h
    pd.testing.assert_frame_equal(w.loc[kept].tz_convert(std.index.tz), std.loc[kept], check_freq=False)
    assert ((w.index - pd.Timedelta("1h")).tz_localize(None).to_period("M")).nunique() == 12


def test_leap_year_fills_feb29_with_warning():
    with pytest.warns(DcplanWarning, match="leap year"):
        w = load_weather(CHICAGO_EPW, year=2024)
    assert len(w) == 8784
    feb28 = w.loc["2024-02-28 01:00":"2024-02-29 00:00", "temp_air"].to_numpy()
    feb29 = w.loc["2024-02-29 01:00":"2024-03-01 00:00", "temp_air"].to_numpy()
    np.testing.assert_array_equal(feb28, feb29)


# --- wet bulb ---------------------------------------------------------------

def test_saturation_pressure_matches_reference_values():
    # Triple point of water: 611.657 Pa (IAPWS). Over liquid water, IAPWS-95 (Wagner & Pruss 2002):
    # 20 °C: 2339.2 Pa, 40 °C: 7384.9 Pa. Hyland-Wexler (1983), which ASHRAE uses, departs from
    # IAPWS-95 by up to ~0.03 % in this range, hence rtol 5e-4.
    got = saturation_pressure_pa([0.01, 20.0, 40.0])
    np.testing.assert_allclose(got, [611.657, 2339.2, 7384.9], rtol=5e-4)


def test_saturation_pressure_matches_psychrolib_over_ice_and_water():
    # PsychroLib 2.5 implements the same Hyland-Wexler equations independently; at the triple point it
    # takes the ice branch (the two branches meet there to 6e-9), hence rtol 1e-8.
    psychrolib = pytest.importorskip("psychrolib")
    psychrolib.SetUnitSystem(psychrolib.SI)
    t = np.array([-40.0, -20.0, -0.5, 0.01, 5.0, 25.0, 45.0])
    ref = [psychrolib.GetSatVapPres(x) for x in t]
    np.testing.assert_allclose(saturation_pressure_pa(t), ref, rtol=1e-8)


def test_wet_bulb_equals_dry_bulb_when_saturated():
    # analytic: at 100 % RH the air cannot take up more water, so Twb = Tdb
    t = np.array([-10.0, 0.5, 15.0, 30.0])
    np.testing.assert_allclose(wet_bulb_degc(t, 100.0, 101325.0), t, atol=1e-6)


def test_wet_bulb_matches_psychrolib_across_range():
    # PsychroLib 2.5 (ASHRAE 2017 formulae, independent implementation); its own bisection stops at
    # 0.001 K, so compare within 0.002 K.
    psychrolib = pytest.importorskip("psychrolib")
    psychrolib.SetUnitSystem(psychrolib.SI)
    rng = np.random.default_rng(0)
    t = rng.uniform(-25, 48, 300)
    rh = rng.uniform(3, 100, 300)
    p = rng.uniform(80_000, 103_000, 300)
    ref = [psychrolib.GetTWetBulbFromRelHum(a, r / 100, q) for a, r, q in zip(t, rh, p)]
    np.testing.assert_allclose(wet_bulb_degc(t, rh, p), ref, atol=2e-3)


def test_wet_bulb_textbook_point():
    # Sea level, 25 °C dry bulb, 50 % RH: wet bulb 17.9 °C on the ASHRAE psychrometric chart No. 1
    # (chart read to 0.1 K).
    assert wet_bulb_degc(25.0, 50.0, 101325.0) == pytest.approx(17.9, abs=0.1)


def test_wet_bulb_accepts_scalar_array_series():
    s = pd.Series([30.0, 20.0], index=pd.date_range("2025-07-01", periods=2, freq="h", tz="UTC"))
    out = wet_bulb_degc(s, 40.0, 101325.0)
    assert isinstance(out, pd.Series) and out.name == "temp_wet_bulb_degc"
    assert isinstance(wet_bulb_degc(30.0, 40.0, 101325.0), float)
    assert wet_bulb_degc(np.array([30.0]), 40.0, 101325.0).shape == (1,)


def test_wet_bulb_rejects_bad_humidity():
    with pytest.raises(InputError, match="relative_humidity"):
        wet_bulb_degc(20.0, 130.0, 101325.0)


def test_hours_above_counts_both_bulbs(phoenix_weather):
    h = hours_above(phoenix_weather, thresholds=[35.0, 24.0])
    assert h.loc[35.0, "drybulb_h"] == 1230  # docs/reference-data.md §9a
    assert h.loc[24.0, "wetbulb_h"] < h.loc[24.0, "drybulb_h"]  # wet bulb never exceeds dry bulb


# --- bad files ----------------------------------------------------------------

def test_a_folder_is_not_a_weather_file(tmp_path):
    with pytest.raises(InputError, match=r"is a folder, not a weather file; allowed: a TMY2"):
        load_weather(tmp_path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_weather(tmp_path / "nope.epw")


def test_unknown_extension(tmp_path):
    f = tmp_path / "w.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="extension"):
        load_weather(f)


def test_truncated_epw_reports_row_count(tmp_path):
    lines = PHOENIX_EPW.read_text().splitlines()
    f = tmp_path / "short.epw"
    f.write_text("\n".join(lines[:8 + 100]) + "\n")
    with pytest.raises(InputError, match=r"short\.epw.*8760 hourly rows.*got 100"):
        load_weather(f)


def test_missing_value_code_is_caught(tmp_path):
    # EPW uses 99.9 for a missing dry bulb; it must not pass as a 99.9 °C afternoon
    lines = PHOENIX_EPW.read_text().splitlines()
    fields = lines[8 + 5].split(",")
    fields[6] = "99.9"
    lines[8 + 5] = ",".join(fields)
    f = tmp_path / "gap.epw"
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"gap\.epw: temp_air: value 99\.9 at 2025-01-01 06:00"):
        load_weather(f)


def test_rows_out_of_order(tmp_path):
    lines = PHOENIX_EPW.read_text().splitlines()
    lines[8 + 10], lines[8 + 11] = lines[8 + 11], lines[8 + 10]
    f = tmp_path / "swap.epw"
    f.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match="row 11"):
        load_weather(f)


def test_every_problem_of_a_weather_file_is_reported(tmp_path):
    # two bad columns: load_weather names the first and counts the rest; weather_problems lists both
    from dcplan.weather import weather_problems
    from dcplan.validate import validate_file
    lines = PHOENIX_EPW.read_text().splitlines()
    for row in (8 + 5, 8 + 9):
        f = lines[row].split(",")
        f[6] = "99.9"        # dry bulb: EPW missing code
        f[21] = "999"        # wind speed: EPW missing code
        lines[row] = ",".join(f)
    p = tmp_path / "two.epw"
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError, match=r"two\.epw: temp_air: value 99\.9 at 2025-01-01 06:00.*2 rows in all.*\+1 more problem"):
        load_weather(p)
    probs = weather_problems(p)
    assert [e.field for e in probs] == ["temp_air", "wind_speed"]
    assert [q.field for q in validate_file(p)] == ["temp_air", "wind_speed"]


# ---------------------------------------------------------------------------
# parsed weather shared between a render's kernels (DCPLAN_WEATHER_SHARED_DIR)

@pytest.fixture
def shared(tmp_path, monkeypatch):
    from dcplan import weather
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv(weather.SHARED_DIR_ENV, str(folder))
    return folder


def test_shared_weather_is_the_parsed_frame_and_follows_edits(shared, tmp_path, monkeypatch):
    import os
    import shutil

    from dcplan import weather
    src = tmp_path / "site.epw"
    shutil.copy(PHOENIX_EPW, src)
    first = load_weather(src, tz="America/Phoenix")
    assert len(list(shared.glob("*.pkl"))) == 1
    def no_parsing(*args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(weather, "_read_raw", no_parsing)
    again = load_weather(src, tz="America/Phoenix")  # from the folder: nothing parsed
    pd.testing.assert_frame_equal(again, first)
    assert again.attrs == first.attrs and again is not first
    monkeypatch.undo()
    monkeypatch.setenv(weather.SHARED_DIR_ENV, str(shared))
    # other arguments are other frames
    assert load_weather(src).index.tz != first.index.tz
    assert len(list(shared.glob("*.pkl"))) == 2
    # an edited file is parsed again (its time stamp and size are in the key)
    text = src.read_text().splitlines(keepends=True)
    row = text[8].split(",")
    row[6] = "45.0"  # dry bulb of the first hour
    text[8] = ",".join(row)
    src.write_text("".join(text))
    os.utime(src, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    edited = load_weather(src, tz="America/Phoenix")
    assert edited["temp_air"].iloc[0] == 45.0 and first["temp_air"].iloc[0] != 45.0


def test_shared_weather_keeps_warnings_and_ignores_unsafe_or_broken_files(shared, tmp_path, monkeypatch):
    import os

    from dcplan import weather
    # a leap year's frame comes with its warning, every time: it is not shared
    for _ in range(2):
        with pytest.warns(DcplanWarning, match="leap year"):
            load_weather(PHOENIX_EPW, year=2024)
    assert list(shared.glob("*.pkl")) == []
    # a broken shared file is parsed over
    ref = load_weather(PHOENIX_EPW)
    (f,) = shared.glob("*.pkl")
    f.write_bytes(b"not a pickle")
    pd.testing.assert_frame_equal(load_weather(PHOENIX_EPW), ref)
    # a folder others may write to is not read from (frames are unpickled)
    os.chmod(shared, 0o777)
    assert weather._shared_path(PHOENIX_EPW, 2025, None, "epw") is None
    os.chmod(shared, 0o700)
    monkeypatch.setenv(weather.SHARED_DIR_ENV, str(tmp_path / "no-such-folder"))
    pd.testing.assert_frame_equal(load_weather(PHOENIX_EPW), ref)  # nothing to share into: parsed


def test_unknown_time_zone_is_an_input_error_naming_field_and_value():
    """Was a bare zoneinfo KeyError (no file, no field): the command line could not print it as
    one line with exit code 2 (DESIGN.md, 'Exit codes')."""
    with pytest.raises(InputError, match=r"Phoenix.*\.epw: tz: unknown time zone 'America/Phenix'"):
        load_weather(PHOENIX_EPW, tz="America/Phenix")


def test_shared_weather_names_this_callers_file(shared, tmp_path, monkeypatch):
    """A frame shared under the resolved path kept the first caller's spelling of it in
    attrs['source']: a relative path from another process's working directory."""
    import shutil
    src = tmp_path / "site.epw"
    shutil.copy(PHOENIX_EPW, src)
    monkeypatch.chdir(tmp_path)
    first = load_weather("site.epw")
    again = load_weather(src)  # same resolved file: from the shared folder
    assert len(list(shared.glob("*.pkl"))) == 1
    assert first.attrs["source"] == "site.epw" and again.attrs["source"] == str(src)



# ---------------------------------------------------------------------------
# a corrupt body: every case is a clear InputError naming the file, row/line, column, value
# and what is allowed (was pandas' "time data ... doesn't match format", "TypeError: operation
# 'sub' not supported", "value nan ... outside plausible range" or a bare row count)

def _edit(src, fn, tmp_path, name):
    """A copy of bundled file ``src`` whose lines (with their ends) ``fn`` changed."""
    lines = src.read_text().splitlines(keepends=True)
    p = tmp_path / name
    p.write_text("".join(fn(lines)))
    return p


def _set(lines, i, j, value):
    """Field ``j`` (comma-separated) of line ``i`` (0-based) set to ``value``."""
    f = lines[i].split(",")
    f[j] = value
    lines[i] = ",".join(f)
    return lines


# EPW: 8 header lines, so data row r is line r + 8 (0-based index r + 7); field 6 dry bulb,
# field 3 hour. TMY3: 2 header lines, field 31 "Dry-bulb (C)". TMY2: 1 header line.
# Phoenix's row 101 is 5 Jan hour 5 (24 x 4 + 5), stamped 2025-01-05 05:00 at UTC-7.
BODY_CASES = [
    ("cut.epw", PHOENIX_EPW, lambda L: L[:8 + 4000],
     r"expected 8760 hourly rows of a typical year, got 4000: the rows stop at 16 Jun hour 16 "
     r"\(data row 4000, line 4008\): the file is cut short; rows must run 1 Jan hour 1 to 31 Dec hour 24"),
    ("cut_mid_line.epw", PHOENIX_EPW, lambda L: L[:8 + 4000] + [L[8 + 4000][:20]],
     r"got 4001: the rows stop at 16 Jun hour 17 \(data row 4001, line 4009, whose line has only 6 of 35 fields\)"),
    ("cut_in_date.epw", PHOENIX_EPW, lambda L: L[:8 + 4000] + [L[8 + 4000][:6]],
     r"cannot read as EPW: line 4009 \(data row 4001\) ends after 2 field\(s\), before its day: the line is cut short"),
    ("word.epw", PHOENIX_EPW, lambda L: _set(L, 8 + 100, 6, "2x.5"),
     r"temp_air: value '2x\.5' at 2025-01-05 05:00:00-07:00 \(data row 101, line 109\) is not a number; "
     r"allowed: a number, plausibly -90 to 60 °C"),
    ("empty.epw", PHOENIX_EPW, lambda L: _set(L, 8 + 100, 21, ""),
     r"wind_speed: no value at 2025-01-05 05:00:00-07:00 \(data row 101, line 109\): an empty field or NaN; "
     r"allowed: a number, plausibly 0 to 60 m/s"),
    ("nan.epw", PHOENIX_EPW, lambda L: _set(L, 8 + 100, 8, "NaN"),
     r"relative_humidity: no value at 2025-01-05 05:00:00-07:00 \(data row 101, line 109\)"),
    ("hour.epw", PHOENIX_EPW, lambda L: _set(L, 8 + 100, 3, "x"),
     r"cannot read as EPW: line 109 \(data row 101\): hour is 'x'; allowed: a whole number from 1 to 24"),
    ("month.epw", PHOENIX_EPW, lambda L: _set(L, 8 + 100, 1, "13"),
     r"cannot read as EPW: line 109 \(data row 101\): month is '13'; allowed: a whole number from 1 to 12"),
    ("comma.epw", PHOENIX_EPW, lambda L: _set(L, 8 + 100, 6, "20,5"),
     r"cannot read as EPW: line 109 \(data row 101\) has 36 comma-separated fields; an EPW data line has 35"),
    # row 501 is 21 Jan hour 21 (24 x 20 + 21)
    ("gap.epw", PHOENIX_EPW, lambda L: L[:8 + 500] + L[8 + 501:],
     r"got 8759: 1 hour missing, 21 Jan hour 21: data row 501 \(line 509\) is 21 Jan hour 22"),
    ("gap3.epw", PHOENIX_EPW, lambda L: L[:8 + 500] + L[8 + 503:],
     r"got 8757: 3 hours missing, 21 Jan hour 21 to 21 Jan hour 23: data row 501 \(line 509\) is 21 Jan hour 24"),
    ("twice.epw", PHOENIX_EPW, lambda L: L[:8 + 501] + [L[8 + 500]] + L[8 + 501:],
     r"got 8761: data row 502 \(line 510\) repeats 21 Jan hour 21"),
    # a half-hourly EPW (each hour's record twice): said so, not "row 2 repeats 1 Jan hour 1"
    ("halfhour.epw", PHOENIX_EPW, lambda L: L[:8] + [r for r in L[8:] for _ in (0, 1)],
     r"got 17520: the file looks half-hourly \(2 records per hour: data row 1 \(line 9\) and data row 2 "
     r"\(line 10\) are both 1 Jan hour 1\); dcplan reads hourly weather only; allowed: an hourly file"),
    ("extra.epw", PHOENIX_EPW, lambda L: L + L[8:10],
     r"got 8762: 2 rows after 31 Dec hour 24, from data row 8761 \(line 8769\) on"),
    # 21 Jan hour 21 written twice over hours 21 and 22 (8760 rows: hour 22 is missing)
    ("repeat.epw", PHOENIX_EPW, lambda L: L[:8 + 501] + [L[8 + 500]] + L[8 + 502:],
     r"row 502 is month 1, day 21, hour 21 \(line 510\), the same hour as the row before: a repeated hour; "
     r"expected 1/21 hour 22"),
    ("swap.epw", PHOENIX_EPW, lambda L: L[:8 + 10] + [L[8 + 11], L[8 + 10]] + L[8 + 12:],
     r"row 11 is month 1, day 1, hour 12 \(line 19\); expected 1/1 hour 11: rows must run 1 Jan hour 1 "
     r"to 31 Dec hour 24 in order \(2 rows out of place\)"),
    ("cut.csv", GREENSBORO_TMY3, lambda L: L[:2 + 3000],
     r"got 3000: the rows stop at 5 May hour 24 \(data row 3000, line 3002\): the file is cut short"),
    ("word.csv", GREENSBORO_TMY3, lambda L: _set(L, 2 + 100, 31, "abc"),
     r"temp_air: value 'abc' at 2025-01-05 05:00:00-05:00 \(data row 101, line 103\) is not a number"),
    ("pressure.csv", GREENSBORO_TMY3, lambda L: _set(L, 2 + 100, 40, ""),
     r"pressure: no value at .*: an empty field or NaN; allowed: a number, plausibly 300 to 1100 mbar"),
    ("date.csv", GREENSBORO_TMY3, lambda L: _set(L, 2 + 100, 0, "01/0x/1988"),
     r"cannot read as TMY3: line 103 \(data row 101\): Date \(MM/DD/YYYY\) is '01/0x/1988'; allowed: a date"),
    ("time.csv", GREENSBORO_TMY3, lambda L: _set(L, 2 + 100, 1, "1x:00"),
     r"cannot read as TMY3: line 103 \(data row 101\): Time \(HH:MM\) is '1x:00'; allowed: the hour ending"),
    ("gap.csv", GREENSBORO_TMY3, lambda L: L[:2 + 500] + L[2 + 501:],
     r"got 8759: 1 hour missing, 21 Jan hour 21: data row 501 \(line 503\) is 21 Jan hour 22"),
    ("cut.tm2", MIAMI_TMY2, lambda L: L[:1 + 3000] + [L[1 + 3000][:60] + "\n"],
     r"cannot read as TMY2: line 3002 \(data row 3001\) has 60 characters; a TMY2 data line has 142"),
    ("word.tm2", MIAMI_TMY2, lambda L: L[:1 + 100] + [L[1 + 100][:60] + "x" + L[1 + 100][61:]] + L[1 + 101:],
     r"cannot read as TMY2: line 102 \(data row 101\): '\dx' where a number belongs"),
    ("gap.tm2", MIAMI_TMY2, lambda L: L[:1 + 100] + L[1 + 101:],
     r"got 8759: 1 hour missing, 5 Jan hour 5: data row 101 \(line 102\) is 5 Jan hour 6"),
]


@pytest.mark.parametrize("name, src, edit, text", BODY_CASES, ids=[c[0] for c in BODY_CASES])
def test_corrupt_body_is_one_clear_input_error(tmp_path, name, src, edit, text):
    """Truncated files, words and empty fields in data columns, garbled dates and hours, stray
    commas, missing, repeated and extra hours, rows out of order: the loader refuses each with
    an InputError (not KeyError/ValueError/TypeError) on one line that names the file, where
    (data row, line), the column or field, the value and what is allowed. weather_problems (dcplan
    validate, render's plan) gives the same first problem, so both accept exactly the same files."""
    from dcplan.weather import weather_problems
    p = _edit(src, edit, tmp_path, name)
    with pytest.raises(InputError) as ei:
        load_weather(p)
    msg = str(ei.value)
    assert type(ei.value) is InputError and msg.startswith(f"{p}: "), msg
    assert re.search(text, msg), msg
    assert "\n" not in msg and "Traceback" not in msg
    probs = weather_problems(p)
    assert probs and str(probs[0]) == msg.split(" (+")[0]


def test_line_numbers_count_blank_lines_the_reader_skips(tmp_path):
    """pandas skips blank lines, so data row and file line part: the message gives both right."""
    p = _edit(PHOENIX_EPW, lambda L: _set(L[:8 + 50] + ["\n", "   \n"] + L[8 + 50:], 8 + 100 + 2, 6, "hot"),
              tmp_path, "blank.epw")
    with pytest.raises(InputError, match=r"value 'hot' at 2025-01-05 05:00:00-07:00 \(data row 101, line 111\)"):
        load_weather(p)


def test_every_bundled_file_has_no_problems():
    from dcplan.weather import weather_problems
    for p in (PHOENIX_EPW, DULLES_EPW, CHICAGO_EPW, GREENSBORO_TMY3, MIAMI_TMY2, WEATHER / "703165TY.csv"):
        assert weather_problems(p) == [], p


# ---------------------------------------------------------------------------
# checked files are remembered (DCPLAN_CACHE_DIR): render's plan checks every site's file

@pytest.fixture
def check_cache(tmp_path, monkeypatch):
    from dcplan import weather_check
    folder = tmp_path / "cache"
    monkeypatch.setenv(weather_check.CACHE_DIR_ENV, str(folder))
    monkeypatch.setattr(weather_check, "_REMEMBERED", {})
    return folder / "weather-checks"


def test_a_passing_file_is_remembered_by_content_and_an_edit_is_checked_again(check_cache, tmp_path, monkeypatch):
    import shutil

    from dcplan import weather, weather_check
    from dcplan.weather import checked_file
    src = tmp_path / "site.epw"
    shutil.copy(PHOENIX_EPW, src)
    problems, station = checked_file(src)
    # the header's station, as load_weather's attrs give it (LOCATION line: 33.45, -111.98, -7.0, 337.0),
    # and its rows: a typical year's 8760, its months from different years (no one file year: 0)
    # and where its irradiance centres against solar noon (dcplan.weather_timing: right hours, 365 days of sun)
    timing = {k: station.pop(k) for k in ("irradiance_offset_h", "irradiance_days")}
    assert abs(timing["irradiance_offset_h"]) < 0.1 and timing["irradiance_days"] == 365.0
    assert problems == [] and station == {"station": "Phoenix Sky Harbor Intl Ap", "latitude": 33.45,
                                          "longitude": -111.98, "altitude_m": 337.0, "utc_offset_h": -7.0,
                                          "rows_utc_offset_h": -7.0,
                                          "station_id": "722780", "station_id_kind": "WMO",
                                          "file_hours": 8760.0, "file_year": 0.0}
    station.update(timing)
    assert {k: load_weather(src).attrs[k] for k in station} == station
    assert len(list(check_cache.glob("*.json"))) == 1

    def no_parsing(*args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(weather, "_read_raw", no_parsing)
    monkeypatch.setattr(weather_check, "_REMEMBERED", {})  # a new process: from the folder
    assert checked_file(src) == ([], station)
    copy = tmp_path / "elsewhere.epw"  # same content under another name: remembered too
    shutil.copy(src, copy)
    assert checked_file(copy) == ([], station)
    with pytest.raises(AssertionError, match="parsed again"):
        checked_file(src, year=2030)  # another year is another key
    monkeypatch.undo()
    monkeypatch.setenv(weather_check.CACHE_DIR_ENV, str(check_cache.parent))
    # an edit (a word in the dry bulb) is read again, and a failing file is never remembered
    _edit(PHOENIX_EPW, lambda L: _set(L, 8 + 100, 6, "hot"), tmp_path, "site.epw")
    (e,) = checked_file(src)[0]
    assert e.field == "temp_air" and "'hot'" in e.detail
    assert len(list(check_cache.glob("*.json"))) == 1


def test_a_file_saved_over_during_its_check_is_not_remembered(check_cache, tmp_path, monkeypatch):
    """The content is hashed, then pvlib reads the file again: a file saved over in between
    (a copy still running, an editor saving) passed under the hash of the content it had
    before, so a cut-short file was remembered as good in every later process."""
    import shutil

    from dcplan import weather_check
    from dcplan.weather import checked_file
    src = tmp_path / "site.epw"
    cut = "".join(PHOENIX_EPW.read_text().splitlines(keepends=True)[:8 + 4000])
    src.write_text(cut)
    real = weather_check._check

    def check_after_the_copy_finished(path, fmt, year, rows_h=None):
        shutil.copy(PHOENIX_EPW, path)
        return real(path, fmt, year, rows_h)

    monkeypatch.setattr(weather_check, "_check", check_after_the_copy_finished)
    assert checked_file(src)[0] == []  # what was read is the complete file: it passes now
    assert list(check_cache.glob("*.json")) == []  # but not under the cut file's hash
    monkeypatch.setattr(weather_check, "_check", real)
    src.write_text(cut)  # the cut content again, in a new process: checked, and refused
    monkeypatch.setattr(weather_check, "_REMEMBERED", {})
    (e,) = checked_file(src)[0]
    assert "got 4000" in e.detail


def test_check_cache_ignores_a_broken_entry_and_can_be_turned_off(check_cache, tmp_path, monkeypatch):
    from dcplan import weather_check
    from dcplan.weather import checked_file
    ok = checked_file(PHOENIX_EPW)
    (entry,) = check_cache.glob("*.json")
    entry.write_text("{not json")
    monkeypatch.setattr(weather_check, "_REMEMBERED", {})
    assert checked_file(PHOENIX_EPW) == ok  # checked again, and remembered again
    assert entry.read_text().startswith("{")
    import json
    json.loads(entry.read_text())
    monkeypatch.setenv(weather_check.CACHE_DIR_ENV, "")  # empty: nothing kept between processes
    monkeypatch.setattr(weather_check, "_REMEMBERED", {})
    entry.unlink()
    assert checked_file(PHOENIX_EPW) == ok
    assert list(check_cache.glob("*.json")) == []


def test_check_cache_removes_temporaries_left_by_a_killed_writer(check_cache, tmp_path):
    """A process killed between writing and renaming an entry leaves a .tmp; it is removed once
    older than an hour (a younger one may be another process's write in progress)."""
    import os
    import time

    from dcplan.weather import checked_file
    check_cache.mkdir(parents=True)
    old, young = check_cache / ".abc.tmp", check_cache / ".def.tmp"
    old.write_text("{")
    young.write_text("{")
    t = time.time() - 2 * 3600
    os.utime(old, (t, t))
    assert checked_file(PHOENIX_EPW)[0] == []  # a pass is remembered: housekeeping runs
    assert not old.exists() and young.exists()


def test_a_site_whose_weather_file_is_a_folder_says_so(tmp_path):
    from dcplan.site import load_site
    from conftest import DATA
    (tmp_path / "weather").mkdir()
    text = (DATA / "sites" / "phoenix-az.yaml").read_text()
    site = tmp_path / "s.yaml"
    site.write_text(re.sub(r"(?m)^  file: .*$", "  file: weather", text, count=1))
    with pytest.raises(InputError, match=r"weather\.file: .*weather is a folder, not a weather file"):
        load_site(site)


def test_a_format_the_file_is_not_says_which_format_it_is():
    # format: tmy3 on an EPW file said "the first line's time zone (field 4) must be a number, got 'USA'"
    with pytest.raises(InputError, match=r"read as TMY3 .* first line is the EPW LOCATION line: set the weather "
                                         r"format to epw"):
        load_weather(PHOENIX_EPW, format="tmy3")
    with pytest.raises(InputError, match=r"read as EPW .* first line is the TMY3 station line: set the weather "
                                         r"format to tmy3"):
        load_weather(GREENSBORO_TMY3, format="epw")
