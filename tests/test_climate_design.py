"""site_climate sets the typical year beside the ASHRAE design conditions of the EPW header.

The report published only typical-year extremes ("Max dry bulb" 35.0 degC for Chicago) and called
the duration curve's tail "what the plant must handle", though the plant's chillers are selected
for a design condition (dcplan.thermal_plant_params.chiller_design_conditions) and the EPW header
carries the station's ASHRAE design conditions and extremes. The ASHRAE figures here are the ones
printed in the files' DESIGN CONDITIONS lines (Climate Design Data 2009 ASHRAE Handbook); the
typical-year ones are the tester's (Phoenix 42.8, Chicago 32.2, Dulles 33.9 degC 0.4 % dry bulb;
Phoenix 23.97, Chicago 25.41 degC 0.4 % wet bulb).
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import CHICAGO_EPW, DULLES_EPW, GREENSBORO_TMY3, PHOENIX_EPW
from dcplan.weather import design_table, load_weather


def test_an_epw_header_gives_its_extremes():
    # Chicago O'Hare's line: Extremes,11.1,9.4,8.6,28.5,-23.7,35.9,4.5,1.9,-27,37.3,-29.6,38.4,-32.2,39.5,-35.5,40.9
    a = load_weather(CHICAGO_EPW).attrs["ashrae_design"]
    assert {k: v for k, v in a.items() if k.startswith("extreme_")} == {
        "extreme_wb_max_degc": 28.5, "extreme_db_mean_min_degc": -23.7, "extreme_db_mean_max_degc": 35.9,
        "extreme_db_max_5yr_degc": 37.3, "extreme_db_max_10yr_degc": 38.4, "extreme_db_max_20yr_degc": 39.5,
        "extreme_db_max_50yr_degc": 40.9}
    # Phoenix: Extremes,8.2,7.1,5.8,27.7,1.3,45.8,...,-2.5,49.8
    p = load_weather(PHOENIX_EPW).attrs["ashrae_design"]
    got = (p["extreme_wb_max_degc"], p["extreme_db_mean_max_degc"], p["extreme_db_max_50yr_degc"])
    assert got == (27.7, 45.8, 49.8)


def test_extremes_out_of_order_are_dropped_and_the_cooling_figures_kept(tmp_path):
    lines = CHICAGO_EPW.read_text(encoding="utf-8").splitlines(keepends=True)
    assert ",38.4,-32.2,39.5,-35.5,40.9" in lines[1]
    lines[1] = lines[1].replace(",38.4,-32.2,39.5,-35.5,40.9", ",38.4,-32.2,39.5,-35.5,30.9")  # 50-year < 20-year
    f = tmp_path / "chicago.epw"
    f.write_text("".join(lines), encoding="utf-8")
    a = load_weather(f).attrs["ashrae_design"]
    assert a["cooling_db_0p4_degc"] == 33.3 and not any(k.startswith("extreme_") for k in a)


@pytest.mark.parametrize("path, db, ashrae_db, wb, ashrae_wb", [
    (PHOENIX_EPW, 42.8, 43.4, 23.97, 24.5),
    (CHICAGO_EPW, 32.2, 33.3, 25.41, 25.5),
    (DULLES_EPW, 33.9, 34.1, None, 25.4),
])
def test_design_table_sets_the_typical_year_beside_ashrae(path, db, ashrae_db, wb, ashrae_wb):
    t = design_table(load_weather(path))
    assert t.at["cooling_db_0p4", "typical_year_degc"] == pytest.approx(db, abs=0.05)
    assert t.at["cooling_db_0p4", "ashrae_degc"] == ashrae_db
    if wb is not None:
        assert t.at["evap_wb_0p4", "typical_year_degc"] == pytest.approx(wb, abs=0.005)
    assert t.at["evap_wb_0p4", "ashrae_degc"] == ashrae_wb


def test_design_table_coincident_values_follow_the_design_day_rule():
    """The typical year's mean coincident wet bulb is dcplan.thermal.design_conditions' (the mean over
    the hours within 1 K of the 0.4 % dry bulb) for a frame without the header's figures."""
    from dcplan.thermal import design_conditions
    w = load_weather(CHICAGO_EPW)
    t = design_table(w)
    bare = w.copy()
    bare.attrs = {}
    c = design_conditions(bare, 0.004, basis="dry_bulb")
    assert t.at["cooling_mcwb_0p4", "typical_year_degc"] == pytest.approx(c["wb_coincident_degc"], abs=1e-12)
    e = design_conditions(bare, 0.004, basis="wet_bulb")
    assert t.at["evap_mcdb_0p4", "typical_year_degc"] == pytest.approx(e["t_max_degc"], abs=1e-12)
    # the hottest hour: Chicago's typical year peaks at 35.0 degC, ASHRAE's mean annual extreme is 35.9
    assert t.at["db_max", "typical_year_degc"] == 35.0 and t.at["db_max", "ashrae_degc"] == 35.9
    assert np.isnan(t.at["db_max_50yr", "typical_year_degc"]) and t.at["db_max_50yr", "ashrae_degc"] == 40.9


def test_a_tmy3_file_has_no_ashrae_column_values():
    t = design_table(load_weather(GREENSBORO_TMY3))
    assert t["ashrae_degc"].isna().all() and t["typical_year_degc"].drop("db_max_50yr").notna().all()


@pytest.mark.slow
def test_site_climate_publishes_the_design_conditions_and_says_what_each_threshold_means(tmp_path):
    from dcplan.report import render
    from dcplan.site import load_portfolio
    sites = ["chicago-il", "research-triangle-nc"]
    s = render(sites=sites, notebooks=["site_climate"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    res = {k: json.loads((tmp_path / k / "site_climate" / "results.json").read_text())["results"] for k in sites}
    src = "Climate Design Data 2009 ASHRAE Handbook, EPW header"

    c = res["chicago-il"]
    assert c["ashrae_design_source"]["value"] == src
    for key, want in (("cooling_db_0p4", 33.3), ("cooling_mcwb_0p4", 23.7), ("cooling_db_1p0", 31.6),
                      ("evap_wb_0p4", 25.5), ("db_max", 35.9), ("db_max_50yr", 40.9), ("wb_max", 28.5)):
        r = c[f"ashrae_{key}_degc"]
        assert (r["value"], r["unit"]) == (want, "°C") and r["label"].endswith(f"(ASHRAE design conditions: {src})")
    assert c["ashrae_db_max_50yr_degc"]["label"].startswith("dry bulb of a 50-year return period")
    assert c["temp_air_p99p6_degc"]["value"] == pytest.approx(32.2, abs=0.05)
    assert c["temp_air_max_degc"]["label"].startswith("Max dry bulb of the typical year")
    # the chillers (water-cooled: a tower) are selected for the AHRI point, 29.4 degC entering condenser water
    # less the 3.9 K tower approach (data/cooling_defaults.csv) = 25.5 degC, ASHRAE's 25.5 not above it
    d = c["chiller_design_wb_degc"]
    assert d["value"] == pytest.approx(25.5, abs=1e-9) and d["label"].endswith("(here: AHRI 550/590)")
    wb = load_weather(CHICAGO_EPW)["temp_wet_bulb_degc"]
    assert c["hours_wetbulb_above_chiller_design_h"]["value"] == float((wb > 25.5).sum())
    # the header's station beside the site file's free text
    assert c["weather_station_id"]["value"] == "WMO 725300"
    assert c["weather_station"]["value"] == "Chicago Ohare Intl Ap"
    assert c["weather_source_text"]["value"] == load_portfolio("default")["chicago-il"].weather.source

    g = res["research-triangle-nc"]
    assert g["ashrae_design_source"]["value"].startswith("none: this TMY3 file has no ASHRAE design conditions")
    assert not any(k.startswith("ashrae_") and k != "ashrae_design_source" for k in g)
    assert g["weather_station_id"]["value"] == "USAF 723170"

    # the inlet-air thresholds are dry-bulb figures that say so; no wet bulb is counted against them
    for r in res.values():
        assert not any(k.startswith("hours_wetbulb_above_") and k != "hours_wetbulb_above_chiller_design_h" for k in r)
        assert r["hours_drybulb_above_32_h"]["label"] == (
            "Hours outdoor dry bulb > 32 °C: the A1 allowable upper limit: outdoor air alone would put A1 inlets "
            "outside the allowable range (dry bulb only; humidity limits not applied)")
    nb = (tmp_path / "chicago-il" / "site_climate" / "notebook.ipynb").read_text()
    assert "what the plant must handle" not in nb and "dcplan.thermal_plant_params.chiller_design_conditions" in nb


def test_the_climate_headlines_say_they_are_the_stations_where_it_is_not_at_the_site():
    # an auditor's finding: Research Triangle's "Mean dry bulb" 14.4 °C is Greensboro's, 101 km away and 153 m up
    # (great circle from the site's 35.9, -78.86 to the station's 36.1, -79.95 in its TMY3 header; 273 - 120 m)
    from dcplan.site import load_site
    from dcplan.tz_places import distance_km
    from dcplan.verdict_inputs import station_where
    from dcplan.weather import load_site_weather
    spec = load_site("research-triangle-nc")
    w = load_site_weather(spec)
    d = distance_km(35.9, -78.86, 36.1, -79.95)
    assert 95 < d < 105
    assert station_where(spec, w.attrs) == (f"at the weather station GREENSBORO PIEDMONT TRIAD INT, {d:,.0f} km from "
                                            "the site, 153 m higher")
    # Phoenix's site is its station's own place: nothing to say
    px = load_site("phoenix-az")
    assert station_where(px, load_site_weather(px).attrs) == ""
