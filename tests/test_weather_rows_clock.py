"""A site's ``weather.rows_utc_offset_h``: a file whose rows are on another clock than its header's is read right.

The timing check (dcplan.weather_timing) warned of such a file, but nothing in dcplan could use it: the planner
had to shift the rows by hand. The files here are SYNTHETIC edits of Chicago O'Hare's TMY3 EPW (bundled): its
values moved onto UTC under the header's UTC-6 h (as a UTC database exports them), or one row early (labelled at
the hour's start). Read with the clock the warning names, each must be Chicago's own year, hour for hour.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import CHICAGO_EPW, bundled_site_copy
from dcplan.site import SiteError, load_site
from dcplan.weather import load_site_weather, load_weather, site_weather_problems
from dcplan.weather_timing import suggested_rows_clock_h, timing_problem
from test_weather_pvgis import write_pvgis_epw


def _rolled_epw(path, rows):
    """Chicago's EPW with every data line's values (field 6 on) taken from the line ``rows`` later (around the
    year's end); its date and hour fields and header unchanged."""
    text = CHICAGO_EPW.read_text(encoding="utf-8").splitlines()
    head, body = text[:8], text[8:]
    fields = [ln.split(",") for ln in body]
    values = [f[6:] for f in fields]
    values = values[rows:] + values[:rows]
    path.write_text("\n".join(head + [",".join(f[:6] + v) for f, v in zip(fields, values)]) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chicago():
    return load_weather(CHICAGO_EPW, tz="America/Chicago")


@pytest.mark.parametrize("kind, clock", [("utc", 0.0), ("hour_start", -7.0)])
def test_the_clock_the_warning_names_reads_the_file_as_chicagos_year(tmp_path, chicago, kind, clock):
    f = (write_pvgis_epw(tmp_path / "utc.epw", mark=False) if kind == "utc"
         else _rolled_epw(tmp_path / "early.epw", 1))  # each line holds the next hour's values: labelled at its start
    as_is = load_weather(f)
    assert suggested_rows_clock_h(as_is.attrs) == clock  # rows in UTC: 0; an hour early: one zone west of -6
    assert f"weather.rows_utc_offset_h: {clock:g} " in timing_problem(as_is.attrs, f.name)
    w = load_weather(f, tz="America/Chicago", rows_utc_offset_h=clock)
    assert w.index.equals(chicago.index)
    pd.testing.assert_frame_equal(w, chicago, check_exact=True)
    assert (w.attrs["utc_offset_h"], w.attrs["rows_utc_offset_h"]) == (-6.0, clock)  # the station keeps its zone
    assert abs(w.attrs["irradiance_offset_h"]) < 0.1 and timing_problem(w.attrs, f.name) is None


def test_a_site_giving_the_clock_validates_clean_and_gets_chicagos_weather(tmp_path, chicago):
    f = write_pvgis_epw(tmp_path / "utc.epw", mark=False)
    base = bundled_site_copy(tmp_path, "chicago-il", "chi_utc",
                             weather={"file": str(f), "source": "SYNTHETIC: O'Hare's EPW on UTC"})
    # without the clock: render and validate warn, naming the value to give
    with pytest.warns(Warning, match=r"weather.rows_utc_offset_h: 0 "):
        from dcplan.site_slips import weather_timing_warnings
        for text in weather_timing_warnings(load_site(base)):
            warnings.warn(text)
    fixed = bundled_site_copy(tmp_path, "chicago-il", "chi_fixed",
                              weather={"file": str(f), "source": "SYNTHETIC: O'Hare's EPW on UTC",
                                       "rows_utc_offset_h": 0})
    site = load_site(fixed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert site_weather_problems(site) == []
        assert weather_timing_warnings(site) == []
        w = load_site_weather(site, tz=site.timezone)
    pd.testing.assert_frame_equal(w, chicago, check_exact=True)
    from dcplan.pipeline import site_weather
    pd.testing.assert_frame_equal(site_weather(site), chicago, check_exact=True)


@pytest.mark.parametrize("value, ok", [(5.75, True), (-3.5, True), (0, True), (5.3, False), (15, False)])
def test_the_clock_is_a_utc_offset_in_quarter_hours(tmp_path, value, ok):
    p = bundled_site_copy(tmp_path, "chicago-il", "chi", weather={"rows_utc_offset_h": value})
    if ok:
        assert load_site(p).weather.rows_utc_offset_h == value
        return
    with pytest.raises(SiteError) as ei:
        load_site(p)
    (field, msg), = [(f, m) for f, m in ei.value.problems if f == "weather.rows_utc_offset_h"]
    assert ("quarter hours" in msg) if value == 5.3 else ("less than or equal to 14" in msg)


def test_the_rows_clock_keys_the_shared_weather(tmp_path, monkeypatch):
    """Two sites on one file, read on two clocks, do not share a parsed frame (render's shared folder, where
    a frame is kept under the file and the arguments it was read with)."""
    from dcplan.weather import SHARED_DIR_ENV
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o700)
    monkeypatch.setenv(SHARED_DIR_ENV, str(shared))
    f = write_pvgis_epw(tmp_path / "utc.epw", mark=False)
    a = load_weather(f, rows_utc_offset_h=0.0)
    assert len(list(shared.iterdir())) == 1  # kept for the render's other runs
    b = load_weather(f)
    assert len(list(shared.iterdir())) == 2
    assert a.attrs["rows_utc_offset_h"] == 0.0 and b.attrs["rows_utc_offset_h"] == -6.0
    assert a.index[0] == pd.Timestamp("2025-01-01 01:00", tz="UTC") and b.index[0].utcoffset() == pd.Timedelta("-6h")
    assert load_weather(f, rows_utc_offset_h=0.0).attrs["rows_utc_offset_h"] == 0.0  # from the folder


def test_the_report_says_which_clock_the_rows_were_read_on(tmp_path):
    from dcplan.weather_timing import rows_clock_text
    from test_weather_pvgis import write_pvgis_csv
    epw = load_weather(CHICAGO_EPW)
    assert rows_clock_text(epw.attrs) == "UTC-6 h, the header's (the station's standard time)"
    utc = write_pvgis_epw(tmp_path / "pvgis.epw")  # PVGIS's EPW: its rows in UTC under the station's zone
    assert rows_clock_text(load_weather(utc).attrs) == (
        "UTC (the file's rows), under a header of UTC-6 h (the station's zone)")
    assert rows_clock_text(load_weather(write_pvgis_csv(tmp_path / "p.csv")).attrs) == (
        "UTC (the file's rows: PVGIS names no zone)")
    given = load_weather(write_pvgis_epw(tmp_path / "u.epw", mark=False), rows_utc_offset_h=0.0)
    assert rows_clock_text(given.attrs, 0.0) == (
        "UTC (the site's weather.rows_utc_offset_h), under a header of UTC-6 h (the station's zone)")
