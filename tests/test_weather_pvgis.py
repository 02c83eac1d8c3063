"""PVGIS typical years (CSV, JSON, EPW) read on UTC (dcplan.weather_pvgis).

PVGIS stamps its rows in UTC; its EPW carries the same rows under a header naming the place's zone. Read as an
EPW, such a file put every hour an hour or more early (the timing check warned, nothing corrected it), and its
CSV and JSON were not read at all. The files here are SYNTHETIC conversions of real data: Chicago O'Hare's TMY3
EPW (bundled) rewritten in PVGIS's layouts (the JRC's TMY tool: ``time(UTC)`` stamps ``YYYYMMDD:HHMM``, the row
stamped ``t`` holding the hour from ``t``; T2m, RH, G(h), Gb(n), Gd(h), IR(h), WS10m, WD10m, SP in Pa; no dew
point), its rows moved from the header's UTC-6 h onto UTC. Read back, the frame must be Chicago's own, hour for
hour, on the site's clock; a dew point derived from the whole-percent RH within the rounding that implies.
"""
from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from pvlib.iotools import read_epw

from conftest import CHICAGO_EPW, bundled_site_copy
from dcplan.errors import InputError
from dcplan.weather import load_weather, weather_problems

#: Chicago O'Hare's header zone (the EPW's LOCATION line) [h]
CHICAGO_H = -6
#: Source year of each month, as a PVGIS TMY lists them (any years: the stamps' month, day and hour matter)
MONTH_YEARS = (2018, 2007, 2009, 2013, 2008, 2006, 2011, 2010, 2020, 2006, 2007, 2016)
COLUMNS = ("T2m", "RH", "G(h)", "Gb(n)", "Gd(h)", "IR(h)", "WS10m", "WD10m", "SP")


def _pvgis_rows(epw=CHICAGO_EPW):
    """(stamps, {column: values}) of ``epw``'s rows on UTC, as PVGIS lays them out (SYNTHETIC conversion)."""
    data, meta = read_epw(str(epw))
    assert meta["TZ"] == CHICAGO_H
    # PVGIS's row j starts at UTC hour j of 1 January; the EPW's row i ends at local standard hour i + 1, so
    # it starts at UTC hour i - CHICAGO_H: PVGIS row j is EPW row j + CHICAGO_H (around the year's end)
    shift = -CHICAGO_H

    def roll(col):
        return np.roll(data[col].to_numpy(dtype=float), shift)
    start = pd.date_range("2025-01-01 00:00", periods=8760, freq="h")
    stamps = [f"{MONTH_YEARS[t.month - 1]}{t:%m%d:%H%M}" for t in start]
    values = {"T2m": roll("temp_air"), "RH": roll("relative_humidity"), "G(h)": roll("ghi"),
              "Gb(n)": roll("dni"), "Gd(h)": roll("dhi"), "IR(h)": roll("ghi_infrared"),
              "WS10m": roll("wind_speed"), "WD10m": roll("wind_direction"), "SP": roll("atmospheric_pressure")}
    return stamps, values


def write_pvgis_csv(path, lat=41.98, lon=-87.92, elev=201.0, rows=None):
    stamps, values = rows or _pvgis_rows()
    lines = [f"Latitude (decimal degrees): {lat:.3f}", f"Longitude (decimal degrees): {lon:.3f}",
             f"Elevation (m): {elev:.1f}", "Irradiance Time Offset (h): 0.0000", "month,year"]
    lines += [f"{m},{y}" for m, y in enumerate(MONTH_YEARS, start=1)]
    lines.append("time(UTC)," + ",".join(COLUMNS))
    for i, s in enumerate(stamps):
        lines.append(s + "," + ",".join(f"{values[c][i]:g}" for c in COLUMNS))
    lines += ["", "T2m: 2-m air temperature (degree Celsius)", "RH: relative humidity (%)",
              "PVGIS (c) European Union, 2001-2024"]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def write_pvgis_json(path, lat=41.98, lon=-87.92, elev=201.0):
    stamps, values = _pvgis_rows()
    hourly = [{"time(UTC)": s, **{c: float(values[c][i]) for c in COLUMNS}} for i, s in enumerate(stamps)]
    doc = {"inputs": {"location": {"latitude": lat, "longitude": lon, "elevation": elev},
                      "meteo_data": {"radiation_db": "SYNTHETIC (Chicago O'Hare TMY3 EPW)"}},
           "outputs": {"months_selected": [{"month": m, "year": y} for m, y in enumerate(MONTH_YEARS, start=1)],
                       "tmy_hourly": hourly},
           "meta": {"inputs": {}, "outputs": {}}}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def write_pvgis_epw(path, mark=True):
    """Chicago's EPW with its rows on UTC (its header still UTC-6 h), as PVGIS writes its EPW; with ``mark``
    the COMMENTS 2 line PVGIS writes."""
    text = CHICAGO_EPW.read_text(encoding="utf-8").splitlines()
    head, body = text[:8], text[8:]
    if mark:
        head = [("COMMENTS 2,Irradiance Time Offset (h):-1.0000" if ln.startswith("COMMENTS 2") else ln)
                for ln in head]
    # each data line's values (field 6 on) move CHICAGO_H hours on; its date and hour fields stay
    fields = [ln.split(",") for ln in body]
    values = [f[6:] for f in fields]
    rolled = values[-6:] + values[:-6]  # the line for UTC hour-ending h holds local hour-ending h - 6
    out = [",".join(f[:6] + v) for f, v in zip(fields, rolled)]
    path.write_text("\n".join(head + out) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def chicago():
    return load_weather(CHICAGO_EPW, tz="America/Chicago")


@pytest.mark.parametrize("kind", ["csv", "json", "epw"])
def test_pvgis_rows_in_utc_read_back_as_the_file_they_came_from(tmp_path, chicago, kind):
    writer = {"csv": write_pvgis_csv, "json": write_pvgis_json, "epw": write_pvgis_epw}[kind]
    f = writer(tmp_path / f"tmy_41.980_-87.920.{kind}")
    w = load_weather(f, tz="America/Chicago")
    assert w.attrs["format"] == ("epw" if kind == "epw" else "pvgis")
    assert w.attrs["rows_utc_offset_h"] == 0.0
    assert len(w) == 8760 and w.index.equals(chicago.index)
    for col in ("temp_air", "relative_humidity", "pressure", "ghi", "dni", "dhi", "wind_speed"):
        np.testing.assert_allclose(w[col].to_numpy(), chicago[col].to_numpy(), atol=1e-9, err_msg=col)
    if kind == "epw":
        np.testing.assert_allclose(w["temp_dew"], chicago["temp_dew"], atol=1e-9)
    else:  # PVGIS has no dew point: from T2m and RH; above 0 degC (over water) Magnus's (Alduchov & Eskridge
        # 1996: a = 17.625, b = 243.04 degC; within 0.1 K of the ASHRAE relation there) is an independent check
        t, rh, td = (w[c].to_numpy() for c in ("temp_air", "relative_humidity", "temp_dew"))
        g = np.log(rh / 100.0) + 17.625 * t / (243.04 + t)
        magnus = 243.04 * g / (17.625 - g)
        above = td > 0.5
        assert above.sum() > 5000 and np.abs(td - magnus)[above].max() < 0.1
    # the sun where it belongs: the irradiance centres on solar noon as the EPW's does
    assert w.attrs["irradiance_offset_h"] == pytest.approx(chicago.attrs["irradiance_offset_h"], abs=1e-9)
    # without the site's zone: the rows' own clock, UTC, the year from 1 Jan 01:00 UTC
    bare = load_weather(f)
    assert str(bare.index.tz) == "UTC" and bare.index[0] == pd.Timestamp("2025-01-01 01:00", tz="UTC")


def test_pvgis_station_is_its_point_and_names_no_zone(tmp_path):
    w = load_weather(write_pvgis_csv(tmp_path / "t.csv", lat=41.98, lon=-87.92, elev=201.0))
    assert (w.attrs["latitude"], w.attrs["longitude"], w.attrs["altitude_m"]) == (41.98, -87.92, 201.0)
    assert np.isnan(w.attrs["utc_offset_h"])  # PVGIS names no zone for the place
    assert w.attrs["file_year"] == 0  # months from different years
    epw = load_weather(write_pvgis_epw(tmp_path / "t.epw"))
    assert epw.attrs["utc_offset_h"] == CHICAGO_H  # the header's zone stays the station's


def test_an_epw_in_utc_without_pvgis_mark_is_still_warned_of(tmp_path):
    from dcplan.weather_timing import timing_problem
    w = load_weather(write_pvgis_epw(tmp_path / "t.epw", mark=False))
    assert w.attrs["rows_utc_offset_h"] == CHICAGO_H  # taken at its header's word
    # the sun's UTC hours stamped as UTC-6 h: 6 h after solar noon on the header's clock
    assert w.attrs["irradiance_offset_h"] == pytest.approx(6.0, abs=0.1)
    assert "h after solar noon" in timing_problem(w.attrs, "t.epw")


def test_a_site_on_a_pvgis_csv_validates_and_gets_its_zone(tmp_path):
    from dcplan.site import load_site
    from dcplan.weather import load_site_weather, site_weather_problems
    f = write_pvgis_csv(tmp_path / "tmy_chicago.csv")
    site_file = bundled_site_copy(tmp_path, "chicago-il", "pvgis_chi",
                                  weather={"file": str(f), "format": "auto", "source": "SYNTHETIC PVGIS layout"})
    site = load_site(site_file)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert site_weather_problems(site) == []
        w = load_site_weather(site, tz=site.timezone)
    assert w.attrs["format"] == "pvgis" and len(w) == 8760


@pytest.mark.parametrize("edit, expect", [
    (lambda t: t.replace("Latitude (decimal degrees): 41.980", "Latitude (decimal degrees): north"),
     "latitude must be a number"),
    (lambda t: "\n".join(ln for i, ln in enumerate(t.splitlines()) if i != 500), "8,759 rows stamped"),
    (lambda t: t.replace("20180101:0500,", "20180101:0500,abc,", 1), "fields"),
])
def test_a_broken_pvgis_csv_says_where(tmp_path, edit, expect):
    f = write_pvgis_csv(tmp_path / "t.csv")
    f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_weather(f)
    assert expect in str(e.value) and "t.csv" in str(e.value)
    assert weather_problems(f)


def test_a_json_that_is_not_pvgis_tmy_is_named_so(tmp_path):
    f = tmp_path / "tariff.json"
    f.write_text(json.dumps({"items": [{"label": "x"}]}), encoding="utf-8")
    with pytest.raises(InputError, match="not a PVGIS TMY JSON"):
        load_weather(f)


@pytest.mark.slow
def test_a_render_on_a_pvgis_json_gives_the_epw_sites_dry_bulb_hours(tmp_path):
    """The site_climate report of a site on the PVGIS layout counts the hours above each dry-bulb threshold the
    EPW it came from counts (pvlib's reader of the EPW, counted here), and says what it read."""
    from dcplan.report import render
    f = write_pvgis_json(tmp_path / "tmy_41.980_-87.920_2005_2023.json")
    bundled_site_copy(tmp_path, "chicago-il", "chi_pvgis",
                      weather={"file": str(f), "format": "auto", "source": "SYNTHETIC PVGIS layout of O'Hare's EPW"})
    (tmp_path / "portfolio.yaml").write_text("name: pvgis\nsites:\n  - chi_pvgis.yaml\n", encoding="utf-8")
    summary = render(portfolio=tmp_path / "portfolio.yaml", notebooks=["site_climate"], out=tmp_path / "reports",
                     jobs=1, progress=False)
    (res,) = summary.results
    assert res.ok, res.error
    got = {k: v["value"] for k, v in res.results.items()}
    assert got["weather_format"] == "PVGIS"
    assert got["weather_rows_clock"] == "UTC (the file's rows: PVGIS names no zone)"
    t = read_epw(str(CHICAGO_EPW))[0]["temp_air"].to_numpy()
    for limit in (18, 24, 27, 32):
        assert got[f"hours_drybulb_above_{limit}_h"] == int((t > limit).sum()), limit


def test_dcplan_validate_knows_pvgis_files_as_weather(tmp_path):
    from dcplan import validate as V
    from dcplan.validate_kinds import detect_kind
    files = [write_pvgis_csv(tmp_path / "tmy.csv"), write_pvgis_json(tmp_path / "tmy.json"),
             write_pvgis_epw(tmp_path / "tmy.epw")]
    for f in files:
        assert detect_kind(f) == "weather", f.name
        assert V.validate_file(f) == [], f.name
    tariff = tmp_path / "rate.json"
    tariff.write_text(json.dumps({"items": [{"label": "x"}]}), encoding="utf-8")
    assert detect_kind(tariff) == "tariff"
