"""A weather file read as a format it is not, an NSRDB PSM3 CSV in UTC, and impossible humidity.

Each file here is a bundled one renamed or with one value changed, so the only thing wrong
is the thing under test.
"""
from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from dcplan.errors import InputError
from dcplan.site import SiteError, load_site
from dcplan.validate import detect_kind, validate_file
from dcplan.weather import header_problem, load_weather

from conftest import DATA

PHX = DATA / "weather" / "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
TMY3 = DATA / "weather" / "723170TYA.CSV"
TMY2 = DATA / "weather" / "12839.tm2"
SET = "(the format given, or the extension's), but its first line is"
PSM3_HEAD = ("Source,Location ID,City,State,Country,Latitude,Longitude,Time Zone,Elevation,Local Time Zone\n"
             "NSRDB,123456,-,-,-,33.45,-111.98,0,337,-7\n"
             "Year,Month,Day,Hour,Minute,GHI,DNI,DHI,Temperature,Dew Point,Relative Humidity,Pressure,Wind Speed\n")


def _psm3(path):
    rows = "".join(f"2002,1,1,{h},30,0,0,0,10.0,5.6,74,977.0,1.5\n" for h in range(24))
    path.write_text(PSM3_HEAD + rows)
    return path


@pytest.mark.parametrize("src, fmt, is_", [
    (PHX, "tmy2", "the EPW LOCATION line: set the weather format to epw"),  # was: line 5 ... cut short
    (TMY3, "tmy2", "the TMY3 station line: set the weather format to tmy3"),  # was: a raw ValueError
    (TMY2, "epw", "the TMY2 header line: set the weather format to tmy2"),
    (TMY2, "tmy3", "the TMY2 header line: set the weather format to tmy2"),
])
def test_a_file_read_as_another_format_says_which_it_is(src, fmt, is_):
    with pytest.raises(InputError) as ei:
        load_weather(src, format=fmt)
    assert ei.value.file == str(src)
    assert ei.value.detail == (f"cannot read as {fmt.upper()}: read as {fmt.upper()} {SET} {is_} "
                               "(or auto, with the matching extension)")


def test_an_epw_named_tm2_says_so(tmp_path):
    f = shutil.copy(PHX, tmp_path / "phx.tm2")
    with pytest.raises(InputError, match=re.escape(f"read as TMY2 {SET} the EPW LOCATION line: set the "
                                                   "weather format to epw")):
        load_weather(f)


@pytest.mark.parametrize("weather", [f"file: {PHX}\n  format: tmy2", "file: phx.tm2"])
def test_a_site_whose_weather_is_not_tmy2_is_refused_as_it_loads(tmp_path, weather):
    shutil.copy(PHX, tmp_path / "phx.tm2")
    text = (DATA / "sites" / "phoenix-az.yaml").read_text()
    text = re.sub(r"weather:\n  file: \S+\n  format: epw", f"weather:\n  {weather}", text)
    (tmp_path / "s.yaml").write_text(text)
    with pytest.raises(SiteError) as ei:
        load_site(tmp_path / "s.yaml")
    field, msg = ei.value.problems[0]
    assert field == "weather.file"
    assert msg.endswith(f": read as TMY2 {SET} the EPW LOCATION line: set the weather format to epw "
                        "(or auto, with the matching extension)")


def test_tmy2_header_fields_are_checked(tmp_path):
    # NREL TMY2 User's Manual (1995) Table 2-1, fields as pvlib.iotools.read_tmy2 splits them
    f = tmp_path / "x.tm2"
    f.write_text(" 12839 MIAMI                  FL  -5 X 25 48 W  80 16     2\n")
    assert header_problem(f) == "the first line's latitude hemisphere (field 5) must be N or S, got 'X'"
    f.write_text(" 94728 NEW YORK CITY  NY  -5 N 40 47 W  73 58    40\n")
    assert header_problem(f) == ("the first line's time zone (field 4) must be a whole number, got 'CITY' "
                                 "(a city name with a blank in it shifts the fields: write it with '_')")
    assert header_problem(TMY2) is None


def test_a_byte_order_mark_before_the_epw_header_is_no_problem(tmp_path):
    # pvlib reads such a file (load_weather accepts it); the site check refused it
    f = tmp_path / "bom.epw"
    f.write_bytes(b"\xef\xbb\xbf" + PHX.read_bytes())
    assert header_problem(f) is None


def test_an_nsrdb_csv_cut_short_is_a_weather_file_cut_short(tmp_path):
    """An NSRDB CSV was refused as a format dcplan did not read; it is read now (tests/test_weather_nsrdb.py, a
    download in UTC too), and one of a single day says where its rows stop."""
    f = _psm3(tmp_path / "psm3.csv")
    with pytest.raises(InputError) as ei:
        load_weather(f)
    assert ei.value.detail == (
        "expected 8760 hourly rows of a typical year, got 24: the rows stop at 1 Jan hour 24 (data row 24, line 27): "
        "the file is cut short; rows must run 1 Jan hour 1 to 31 Dec hour 24, one per hour")
    # dcplan validate: a weather file with that problem, not a meter's load CSV
    assert detect_kind(f) == "weather"
    probs = validate_file(f)
    assert len(probs) == 1 and "the file is cut short" in probs[0].message


def _epw_with_dew(tmp_path, excess_k):
    lines = PHX.read_text().splitlines(keepends=True)
    f = lines[8 + 500].split(",")  # data row 501 (line 509)
    f[7] = f"{float(f[6]) + excess_k:.1f}"
    lines[8 + 500] = ",".join(f)
    out = tmp_path / "dew.epw"
    out.write_text("".join(lines))
    return out, float(f[6])


def test_a_dew_point_above_the_dry_bulb_is_refused(tmp_path):
    f, t_air = _epw_with_dew(tmp_path, 5.0)
    assert t_air == 12.8
    with pytest.raises(InputError) as ei:
        load_weather(f)  # was: loaded, wet bulb = dry bulb
    assert ei.value.file == str(f) and ei.value.field == "temp_dew"
    assert ei.value.detail == (
        "dew point 17.8 °C above the dry bulb 12.8 °C at 2025-01-21 21:00:00-07:00 (data row 501, line 509): "
        "no air holds that much water (its dew point is at most its dry bulb, at saturation); allowed: a dew "
        "point at most 0.5 K above the dry bulb (rounding), read as saturated air")
    assert [p.field for p in validate_file(f)] == ["temp_dew"]


def test_a_dew_point_a_rounding_above_the_dry_bulb_is_saturated_air(tmp_path):
    f, t_air = _epw_with_dew(tmp_path, 0.3)
    w = load_weather(f)
    row = w.iloc[500]
    assert row.temp_dew == pytest.approx(t_air + 0.3)
    # saturated: the wet bulb is the dry bulb (to the bisection's 1e-6 K)
    assert row.temp_wet_bulb_degc == pytest.approx(t_air, abs=1e-6)
    assert np.isfinite(w.temp_wet_bulb_degc).all()


def test_an_epw_header_gives_its_ashrae_design_conditions_and_a_tmy3_csv_none():
    """The EPW DESIGN CONDITIONS line (ASHRAE 2009 Climate Design Data, the station's long-term
    record): after "Cooling" the hottest month, its daily range, the 0.4 % dry bulb / mean
    coincident wet bulb, ..., the 0.4 % evaporation wet bulb / mean coincident dry bulb. The figures
    are those printed in the files' headers (Chicago O'Hare: Cooling,7,10.5,33.3,23.7,...,25.5,31.2;
    Phoenix: Cooling,7,12,43.4,21.1,...,24.5,35.8). A TMY3 CSV has no such line."""
    from conftest import CHICAGO_EPW, GREENSBORO_TMY3, PHOENIX_EPW
    from dcplan.weather import load_weather
    got = {k: v for k, v in load_weather(CHICAGO_EPW).attrs["ashrae_design"].items()
           if k != "source" and not k.startswith("extreme_")}  # (extremes: tests/test_climate_design.py)
    # Chicago's line: Cooling,7,10.5,33.3,23.7,31.6,23,30.1,22.1,25.5,31.2,24.5,29.6,23.5,28.1
    assert got == {"cooling_db_0p4_degc": 33.3, "cooling_mcwb_0p4_degc": 23.7, "evap_wb_0p4_degc": 25.5,
                   "evap_mcdb_0p4_degc": 31.2, "hottest_month_db_range_k": 10.5,
                   "cooling_db_1p0_degc": 31.6, "cooling_mcwb_1p0_degc": 23.0, "cooling_db_2p0_degc": 30.1,
                   "cooling_mcwb_2p0_degc": 22.1, "evap_wb_1p0_degc": 24.5, "evap_mcdb_1p0_degc": 29.6,
                   "evap_wb_2p0_degc": 23.5, "evap_mcdb_2p0_degc": 28.1}
    phx = load_weather(PHOENIX_EPW).attrs["ashrae_design"]
    assert (phx["cooling_db_0p4_degc"], phx["evap_wb_0p4_degc"]) == (43.4, 24.5)
    assert phx["source"] == "Climate Design Data 2009 ASHRAE Handbook, EPW header"
    assert "ashrae_design" not in load_weather(GREENSBORO_TMY3).attrs


def test_an_epw_without_design_conditions_falls_back_to_the_typical_year(tmp_path):
    from conftest import PHOENIX_EPW
    from dcplan.thermal_plant_params import chiller_design_conditions
    from dcplan.weather import load_weather
    lines = PHOENIX_EPW.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
    lines[1] = "DESIGN CONDITIONS,0\n"   # a header that gives none (EnergyPlus allows 0 sets)
    f = tmp_path / "nodesign.epw"
    f.write_text("".join(lines), encoding="utf-8")
    w = load_weather(f)
    assert "ashrae_design" not in w.attrs
    c = chiller_design_conditions(w, {"type": "air", "liquid_class": None, "air_heat_rejection": "dry"})
    assert c["chiller_design_db_degc"] == pytest.approx(42.8, abs=1e-9)   # the TMY's 99.6th percentile
    assert c["chiller_design_db_basis"].startswith("TMY 99.6th percentile")


@pytest.mark.parametrize("src, name, fmt", [(PHX, "phoenix.txt", "epw"), (TMY3, "greensboro.dat", "tmy3"),
                                            (TMY2, "miami", "tmy2")])
def test_auto_reads_a_file_whose_extension_says_nothing_by_its_first_line(tmp_path, src, name, fmt):
    """An EPW saved as .txt was refused ("cannot tell the weather format from the extension '.txt'")
    though its first line is the EPW LOCATION line."""
    f = tmp_path / name
    shutil.copy(src, f)
    w = load_weather(f)
    assert w.attrs["format"] == fmt
    np.testing.assert_array_equal(w["temp_air"].to_numpy(), load_weather(src)["temp_air"].to_numpy())
    assert header_problem(f) is None


def test_auto_with_an_extension_and_a_first_line_of_no_format_names_both(tmp_path):
    f = tmp_path / "w.txt"
    f.write_text("Phoenix hourly weather, but in a format dcplan cannot tell\n")
    with pytest.raises(InputError) as ei:
        load_weather(f)
    assert ei.value.field == "format" and ei.value.detail == (
        "cannot tell the weather format from the extension '.txt'; its first line is no EPW, TMY3, TMY2, NSRDB or "
        "PVGIS header either; allowed: .epw (EPW), .csv (TMY3, NSRDB or PVGIS), .tm2 (TMY2), .json (PVGIS), or give "
        "the format: weather.format (tmy2, tmy3, epw, nsrdb or pvgis) in a site file (format= to "
        "dcplan.weather.load_weather)")
    g = _psm3(tmp_path / "psm3.txt")  # an NSRDB CSV by its first line: read as one (a day of it)
    with pytest.raises(InputError, match="expected 8760 hourly rows"):
        load_weather(g)
