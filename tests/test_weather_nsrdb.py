"""NSRDB PSM3/PSM4 CSVs ("SAM CSV"), the files NREL's NSRDB and SAM serve, read as weather.

They were refused ("this is an NSRDB PSM3/PSM4 CSV ..., which dcplan does not read"). The files here are
SYNTHETIC conversions: the bundled Greensboro TMY3 (pvlib's 723170TYA.CSV) rewritten in the NSRDB layout
(three header lines; Year, Month, Day, Hour 0-23 starting each hour, Minute 30), so the same hours read
through both readers must give the same frame, value for value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import psychrolib
import pytest
import yaml

from dcplan.errors import InputError
from dcplan.report import render
from dcplan.site import load_site
from dcplan.validate import validate_file
from dcplan.weather import load_site_weather, load_weather, weather_problems
from dcplan.weather_header import header_utc_offset_h

from conftest import GREENSBORO_TMY3, bundled_site_copy

META_NAMES = ("Source,Location ID,City,State,Country,Latitude,Longitude,Time Zone,Elevation,Local Time Zone,"
              "Dew Point Units,DHI Units,DNI Units,GHI Units,Temperature Units,Pressure Units,Relative Humidity Units,"
              "Wind Speed Units,Version")
#: Greensboro's station as its TMY3 header gives it: 36.1 N, 79.95 W, UTC-5, 273 m
META_VALUES = "NSRDB,123456,-,-,-,36.1,-79.95,-5,273,-5,c,w/m2,w/m2,w/m2,c,mbar,%,m/s,4.0.1"
COLUMNS = {"Temperature": "Dry-bulb (C)", "Dew Point": "Dew-point (C)", "DHI": "DHI (W/m^2)", "DNI": "DNI (W/m^2)",
           "GHI": "GHI (W/m^2)", "Relative Humidity": "RHum (%)", "Pressure": "Pressure (mbar)",
           "Wind Speed": "Wspd (m/s)"}


def _nsrdb(path, *, values=META_VALUES, drop=(), half_hourly=False, utc=False, cut=0):
    """Greensboro's TMY3 as an NSRDB CSV at ``path``: each TMY3 row (its hour ending HH:00) is the NSRDB row
    of Hour HH - 1, Minute 30; ``drop`` leaves columns out; ``half_hourly``: 30-minute rows, SYNTHETIC from the
    real hourly ones (each hour's row at Minute 30 the TMY3's value, its row at Minute 0 the mean of its value and
    the hour before's: a linear interpolation between the hours' middles; 1 Jan 00:00 the first hour's value);
    ``cut``: the last rows left out (a download cut short); ``utc``: the rows on UTC (Time Zone 0), as the NSRDB
    serves them with utc=true: the row of UTC hour j holds the TMY3's local hour j - 5 (the last five of the year
    first)."""
    raw = pd.read_csv(GREENSBORO_TMY3, skiprows=1)
    date = pd.to_datetime(raw["Date (MM/DD/YYYY)"], format="%m/%d/%Y")
    ending = raw["Time (HH:MM)"].str.split(":").str[0].astype(int)
    cols = {k: raw[v] for k, v in COLUMNS.items() if k not in drop}
    if utc:
        values = values.replace("-79.95,-5,273", "-79.95,0,273")
        cols = {k: np.roll(v.to_numpy(), 5) for k, v in cols.items()}
    out = pd.DataFrame({"Year": date.dt.year, "Month": date.dt.month, "Day": date.dt.day, "Hour": ending - 1,
                        "Minute": 30, **cols})
    if half_hourly:
        at0 = {k: np.concatenate([np.asarray(v, float)[:1], (np.asarray(v, float)[:-1] + np.asarray(v, float)[1:]) / 2])
               for k, v in cols.items()}
        out = pd.concat([out.assign(Minute=0, **at0), out]).sort_index(kind="stable")
    if cut:
        out = out.iloc[:-cut]
    with open(path, "w") as fh:
        fh.write(f"{META_NAMES}\n{values}\n")
        out.to_csv(fh, index=False)
    return path


def test_the_same_hours_read_as_nsrdb_and_as_tmy3_give_the_same_frame(tmp_path):
    f = _nsrdb(tmp_path / "gso.csv")
    w = load_weather(f)
    assert w.attrs["format"] == "nsrdb"  # auto: a .csv whose first line is the NSRDB metadata names
    pd.testing.assert_frame_equal(w, load_weather(GREENSBORO_TMY3), check_exact=True)
    # the first row (Hour 0) is the hour ending 01:00 local standard time, as the TMY3's first (01:00)
    assert str(w.index[0]) == "2025-01-01 01:00:00-05:00" and str(w.index[-1]) == "2026-01-01 00:00:00-05:00"
    # the station from the metadata line: what a site is checked against
    assert {k: w.attrs[k] for k in ("latitude", "longitude", "altitude_m", "utc_offset_h", "station_id",
                                    "station_id_kind", "station")} == {
        "latitude": 36.1, "longitude": -79.95, "altitude_m": 273.0, "utc_offset_h": -5.0, "station_id": "123456",
        "station_id_kind": "NSRDB location", "station": "NSRDB 123456"}
    assert header_utc_offset_h(f) == -5.0
    assert weather_problems(f) == [] and validate_file(f) == []


def test_a_download_in_utc_is_read_on_utc_and_gives_the_local_files_hours(tmp_path):
    """A file downloaded in UTC (metadata Time Zone 0, Local Time Zone -5) was refused; it is read on UTC and, on
    the site's zone, is the local file hour for hour (its Local Time Zone the station's, for the site checks)."""
    f = _nsrdb(tmp_path / "gso_utc.csv", utc=True)
    w = load_weather(f, tz="America/New_York")
    local = load_weather(GREENSBORO_TMY3, tz="America/New_York")
    assert w.index.equals(local.index)
    pd.testing.assert_frame_equal(w, local, check_exact=True)
    assert (w.attrs["utc_offset_h"], w.attrs["rows_utc_offset_h"]) == (-5.0, 0.0)
    assert w.attrs["irradiance_offset_h"] == pytest.approx(local.attrs["irradiance_offset_h"], abs=1e-9)
    assert str(load_weather(f).index[0]) == "2025-01-01 01:00:00+00:00"  # its own clock: UTC
    assert header_utc_offset_h(f) == -5.0  # the place's zone (site checks, zone hints)
    assert weather_problems(f) == [] and validate_file(f) == []


def _pws_over_water_pa(t_degc: float) -> float:
    """Saturation vapour pressure over liquid water [Pa], the meteorological convention of a dew point and an RH
    (WMO-No. 8, vol. I annex 4.B), below 0 °C too: PsychroLib's (ASHRAE 2017 ch. 1, Hyland-Wexler eq. 6) at and
    above the triple point, where it is over water; below it over supercooled water, Murphy & Koop (2005, Q. J. R.
    Meteorol. Soc. 131, eq. 10), written here (PsychroLib is over ice there: a frost point)."""
    import math
    if t_degc >= 0.01:
        return psychrolib.GetSatVapPres(t_degc)
    tk = t_degc + 273.15
    return math.exp(54.842763 - 6763.22 / tk - 4.210 * math.log(tk) + 0.000367 * tk
                    + math.tanh(0.0415 * (tk - 218.8))
                    * (53.878 - 1331.22 / tk - 9.44523 * math.log(tk) + 0.014025 * tk))


@pytest.mark.parametrize("drop", ["Relative Humidity", "Dew Point"])
def test_the_humidity_column_a_download_lacks_is_derived_from_the_other(tmp_path, drop):
    from scipy.optimize import brentq
    f = _nsrdb(tmp_path / "gso.csv", drop=(drop,))
    w = load_weather(f)
    psychrolib.SetUnitSystem(psychrolib.SI)
    # RH = 100 p_ws(dew) / p_ws(dry bulb), the dew point its inverse, both over liquid water at every temperature
    # (the NSRDB's convention, as the weather files'; since ca51aaf): abs 0.01, the files' rounding is far coarser
    for i in (100, 2000, 5000, 7000):  # a cold night, a mild day, summer
        t, td, rh = w["temp_air"].iloc[i], w["temp_dew"].iloc[i], w["relative_humidity"].iloc[i]
        if drop == "Relative Humidity":
            assert rh == pytest.approx(100 * _pws_over_water_pa(td) / _pws_over_water_pa(t), abs=0.01)
        else:
            ref = brentq(lambda x: _pws_over_water_pa(x) - rh / 100 * _pws_over_water_pa(t), -100.0, t + 1.0,
                         xtol=1e-9)
            assert td == pytest.approx(ref, abs=0.01)
    # the cold night (-2.8 °C dry bulb, -14.4 °C dew point in the file, 41 %RH): over ice (PsychroLib's, a frost
    # point) it would read 36.08 %RH and -13.00 °C, as dcplan derived it before ca51aaf; over water 40.40 %RH and
    # -14.22 °C
    t = w["temp_air"].iloc[100]
    if drop == "Relative Humidity":
        assert (t, w["temp_dew"].iloc[100]) == (-2.8, -14.4)
        assert w["relative_humidity"].iloc[100] == pytest.approx(40.40, abs=0.005)
        assert 100 * psychrolib.GetRelHumFromTDewPoint(t, -14.4) == pytest.approx(36.08, abs=0.005)
    else:
        assert (t, w["relative_humidity"].iloc[100]) == (-2.8, 41.0)
        assert w["temp_dew"].iloc[100] == pytest.approx(-14.22, abs=0.005)
        assert psychrolib.GetTDewPointFromRelHum(t, 0.41) == pytest.approx(-13.00, abs=0.005)
    # the column the file has is the file's
    kept = "temp_dew" if drop == "Relative Humidity" else "relative_humidity"
    np.testing.assert_array_equal(w[kept], load_weather(GREENSBORO_TMY3)[kept])


def test_a_file_without_humidity_cut_short_in_pa_or_garbled_says_what_to_do(tmp_path):
    cases = [
        (dict(drop=("Dew Point", "Relative Humidity")), "Dew Point",
         "no humidity column: the file has neither 'Dew Point' nor 'Relative Humidity'; allowed: a file with either "
         "(download the attribute dew_point or relative_humidity too)"),
        (dict(half_hourly=True, cut=1), "Minute",  # 8,760 hours x 2, less the last row (30-minute rows are read)
         "17,519 rows of 30-minute data; expected 17,520 (2 an hour, 8,760 hours: a year): a year cut short or rows "
         "missing; allowed: a whole year of rows, every interval of every hour (download the year again)"),
        (dict(values=META_VALUES.replace(",mbar,", ",Pa,")), "Pressure Units",
         "'Pa'; allowed: mbar (the NSRDB's own unit, which dcplan converts)"),
        (dict(values=META_VALUES.replace("273,-5", "273,-5.5")), "Local Time Zone",  # pvlib's int() refuses it
         "Local Time Zone -5.5 is not a whole hour, which pvlib's NSRDB reader (pvlib.iotools.read_nsrdb_psm4) "
         "requires; allowed: a whole-hour offset (the NSRDB's US data), or the site's weather as an EPW file"),
        (dict(values=META_VALUES.replace("36.1,", "abc,")), None,  # pvlib's ValueError, said where
         "cannot read as NSRDB: the second line's Latitude must be a number, got 'abc' (an NSRDB CSV's three header "
         "lines: metadata names (Source, Location ID, Latitude, Longitude, Time Zone, Elevation, ...), their values, "
         "then the column names (Year, Month, Day, Hour, ...))"),
    ]
    for i, (kw, field, detail) in enumerate(cases):
        f = _nsrdb(tmp_path / f"bad{i}.csv", **kw)
        with pytest.raises(InputError) as ei:
            load_weather(f)
        assert (ei.value.field, ei.value.detail) == (field, detail)


def test_an_nsrdb_csv_named_as_tmy3_says_to_set_nsrdb(tmp_path):
    f = _nsrdb(tmp_path / "gso.csv")
    with pytest.raises(InputError) as ei:
        load_weather(f, format="tmy3")
    assert ei.value.detail == (
        "cannot read as TMY3: read as TMY3 (the format given, or the extension's), but its first line is an NSRDB "
        "CSV's metadata names (Source, Location ID, ...): set the weather format to nsrdb (or auto, with the "
        "matching extension)")
    assert load_weather(f, format="NSRDB").attrs["format"] == "nsrdb"


def test_a_site_on_an_nsrdb_file_is_checked_against_its_station_and_renders(tmp_path):
    f = _nsrdb(tmp_path / "gso.csv")
    s = load_site(bundled_site_copy(tmp_path, "research-triangle-nc", "rt-nsrdb", weather={
        "file": str(f), "format": "nsrdb", "source": "SYNTHETIC: Greensboro TMY3 as NSRDB"}))
    tmy3 = load_site(bundled_site_copy(tmp_path, "research-triangle-nc", "rt"))
    pd.testing.assert_frame_equal(load_site_weather(s, tz=s.timezone), load_site_weather(tmy3, tz=s.timezone),
                                  check_exact=True)
    # a station 20 degrees east of the site's (about 1,800 km): refused as a TMY3's would be
    far = _nsrdb(tmp_path / "far.csv", values=META_VALUES.replace("-79.95", "-59.95"))
    bad = load_site(bundled_site_copy(tmp_path, "research-triangle-nc", "far",
                                      weather={"file": str(far), "format": "auto"}))
    with pytest.raises(InputError, match=r"from the station of its weather file far\.csv \(36\.1, -59\.95"):
        load_site_weather(bad)


@pytest.mark.slow
def test_a_render_on_the_nsrdb_file_gives_the_tmy3_sites_climate_figures(tmp_path):
    f = _nsrdb(tmp_path / "gso.csv")
    sites = [bundled_site_copy(tmp_path, "research-triangle-nc", "nsrdb", name="RT (NSRDB)",
                               weather={"file": str(f), "format": "auto"}),
             bundled_site_copy(tmp_path, "research-triangle-nc", "tmy3", name="RT (TMY3)")]
    (pf := tmp_path / "pf.yaml").write_text(yaml.safe_dump({"name": "t", "sites": [str(s) for s in sites]}))
    s = render(portfolio=pf, notebooks=["site_climate"], out=tmp_path / "r", jobs=1, progress=False)
    assert s.ok
    import json
    a = json.loads((tmp_path / "r" / "nsrdb" / "site_climate" / "results.json").read_text())["results"]
    b = json.loads((tmp_path / "r" / "tmy3" / "site_climate" / "results.json").read_text())["results"]
    same = [k for k in b if isinstance(b[k].get("value"), (int, float)) and not k.startswith("weather_")]
    assert len(same) > 20 and all(a[k]["value"] == b[k]["value"] for k in same), \
        [k for k in same if a[k]["value"] != b[k]["value"]]
    assert a["weather_format"]["value"] == "NSRDB"
