"""Where a design day's condition comes from (dcplan.thermal_design_day.design_conditions).

The plant's chillers are selected for the ASHRAE 0.4 % condition of the EPW header's DESIGN
CONDITIONS line when the weather file has it (dcplan.thermal_plant_params.chiller_design_conditions),
so the design day uses the same values: one design condition per site. A file without the line (a
TMY3 CSV) falls back to the typical year's percentile, as the plant's selection does.

The header figures are read here from the file's second line, independently of dcplan's reader,
and checked against the published ASHRAE 2009 Climate Design Data (ASHRAE Handbook of
Fundamentals 2009, ch. 14, station tables; the figures the EPW files print):

* Phoenix Sky Harbor (722780): hottest month 7, daily range 12.0 K; 0.4 % DB 43.4 / MCWB 21.1;
  2 % DB 41.2 / MCWB 20.9; 0.4 % evaporation WB 24.5 / MCDB 35.8 degC.
* Chicago O'Hare (725300): hottest month 7, daily range 10.5 K; 0.4 % DB 33.3 / MCWB 23.7;
  0.4 % evaporation WB 25.5 / MCDB 31.2 degC.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.thermal_plant_params import chiller_design_conditions
from dcplan.weather import load_weather

from conftest import CHICAGO_EPW, GREENSBORO_TMY3, PHOENIX_EPW

AIR_DRY = {"type": "air", "liquid_class": None, "air_heat_rejection": "dry"}
AIR_TOWER = {"type": "air", "liquid_class": None}


def _header_cooling(path) -> dict:
    """The EPW DESIGN CONDITIONS line's cooling block (EnergyPlus Auxiliary Programs, "EPW header:
    DESIGN CONDITIONS"): after "Cooling" the hottest month, its mean daily range [K], the 0.4 / 1 / 2 %
    dry bulb with mean coincident wet bulb, then the 0.4 / 1 / 2 % evaporation wet bulb with mean
    coincident dry bulb [degC]."""
    line = path.read_text(encoding="utf-8", errors="replace").splitlines()[1].split(",")
    assert line[0] == "DESIGN CONDITIONS"
    v = [float(x) for x in line[line.index("Cooling") + 1:][:14]]
    return {"month": v[0], "range_k": v[1], "db_0p4": v[2], "mcwb_0p4": v[3], "db_1": v[4], "mcwb_1": v[5],
            "db_2": v[6], "mcwb_2": v[7], "wb_0p4": v[8], "mcdb_0p4": v[9], "wb_1": v[10], "mcdb_1": v[11],
            "wb_2": v[12], "mcdb_2": v[13]}


def _quantile_by_hand(x, q) -> float:
    """numpy's default quantile, by hand: the sorted values at position q (n - 1), linear between."""
    s = np.sort(np.asarray(x, float))
    pos = q * (s.size - 1)
    i = int(pos)
    return float(s[i] + (pos - i) * (s[i + 1] - s[i]))


@pytest.fixture(scope="module")
def phoenix():
    return load_weather(PHOENIX_EPW)


def test_the_test_files_headers_carry_the_published_ashrae_2009_figures():
    # exact: the files print the table's one-decimal figures
    phx = _header_cooling(PHOENIX_EPW)
    assert phx == {"month": 7.0, "range_k": 12.0, "db_0p4": 43.4, "mcwb_0p4": 21.1, "db_1": 42.3, "mcwb_1": 21.0,
                   "db_2": 41.2, "mcwb_2": 20.9, "wb_0p4": 24.5, "mcdb_0p4": 35.8, "wb_1": 24.0, "mcdb_1": 35.4,
                   "wb_2": 23.5, "mcdb_2": 35.1}
    chi = _header_cooling(CHICAGO_EPW)
    assert (chi["range_k"], chi["db_0p4"], chi["mcwb_0p4"], chi["wb_0p4"], chi["mcdb_0p4"]) == (
        10.5, 33.3, 23.7, 25.5, 31.2)


@pytest.mark.parametrize("path", [PHOENIX_EPW, CHICAGO_EPW], ids=["phoenix", "chicago"])
def test_an_epw_with_the_header_gives_its_ashrae_0p4_conditions(path):
    """Both bases at 0.4 %: the header's pairs and hottest-month daily range, exactly (dcplan reads
    the same one-decimal figures); the source names ASHRAE and the header."""
    h = _header_cooling(path)
    w = load_weather(path)
    dry = thermal.design_conditions(w)
    wet = thermal.design_conditions(w, basis="wet_bulb")
    assert (dry["t_max_degc"], dry["wb_coincident_degc"], dry["daily_range_k"]) == (
        h["db_0p4"], h["mcwb_0p4"], h["range_k"])
    assert (wet["wb_coincident_degc"], wet["t_max_degc"], wet["daily_range_k"]) == (
        h["wb_0p4"], h["mcdb_0p4"], h["range_k"])
    for c in (dry, wet):
        assert c["source"] == "ASHRAE 0.4 % (Climate Design Data 2009 ASHRAE Handbook, EPW header)"


def test_the_design_day_peaks_at_the_condition_the_chillers_are_selected_for(phoenix):
    """One design condition per site: the dry-bulb day's peak (hours ending 14 and 15, fraction 0
    of ASHRAE's Table 6) is the air-cooled chiller's design dry bulb (Phoenix: 43.4 degC, above the
    AHRI 35 degC, so the site's value governs; it used to peak at the typical year's 42.8). The
    evaporation day peaks at the header's 24.5 degC wet bulb; a water-cooled chiller there is
    selected for the AHRI point (25.5 degC, the harsher). The day keeps the source. Tolerance: the
    wet bulb is the bisection's (1e-6 K)."""
    dry = thermal.design_conditions(phoenix)
    day = thermal.design_day(**dry)
    assert day["temp_air"].iloc[13] == day["temp_air"].max() == 43.4
    assert day["temp_air"].iloc[4] == pytest.approx(43.4 - 12.0, abs=1e-12)   # fraction 1.00: T_max - range
    assert day["temp_wet_bulb_degc"].iloc[13] == pytest.approx(21.1, abs=1e-6)
    assert day.attrs["design_condition_source"] == dry["source"]
    sel_db = chiller_design_conditions(phoenix, AIR_DRY)
    assert sel_db["chiller_design_db_degc"] == day["temp_air"].max()
    wet_day = thermal.design_day(**thermal.design_conditions(phoenix, basis="wet_bulb"))
    assert wet_day["temp_wet_bulb_degc"].max() == pytest.approx(24.5, abs=1e-6)
    sel_wb = chiller_design_conditions(phoenix, AIR_TOWER)
    # the AHRI point: 29.4 degC entering condenser water - 3.9 K tower approach; float rounding
    assert sel_wb["chiller_design_wb_degc"] == pytest.approx(25.5, abs=1e-9)
    assert sel_wb["chiller_design_wb_basis"] == "AHRI 550/590"


def test_a_tmy3_file_without_the_header_falls_back_to_the_typical_year_percentile():
    """Greensboro TMY3 CSV (no DESIGN CONDITIONS line): the 99.6th percentile of its hours (hand
    quantile) and the mean wet bulb of the hours within 1 K of it, as the chillers' selection falls
    back to (there the AHRI 35 degC point, above Greensboro's 33.3, governs). Tolerance: float
    rounding of a mean."""
    w = load_weather(GREENSBORO_TMY3)
    assert "ashrae_design" not in w.attrs
    c = thermal.design_conditions(w)
    t = w["temp_air"]
    t_max = _quantile_by_hand(t, 0.996)
    assert c["t_max_degc"] == pytest.approx(t_max, abs=1e-12)
    assert c["wb_coincident_degc"] == pytest.approx(
        float(w.loc[(t - t_max).abs() <= 1.0, "temp_wet_bulb_degc"].mean()), rel=1e-12)
    assert c["source"] == "typical-year 99.6th percentile"
    wet = thermal.design_conditions(w, basis="wet_bulb")
    assert wet["wb_coincident_degc"] == pytest.approx(_quantile_by_hand(w["temp_wet_bulb_degc"], 0.996), abs=1e-12)
    assert wet["source"] == "typical-year 99.6th percentile"


def test_an_exceedance_the_header_does_not_hold_uses_the_percentile_and_the_header_range(phoenix):
    """5 %: ASHRAE lists 0.4, 1 and 2 % only, so the typical year's 95th percentile is used (hand
    quantile); the header's hottest-month daily range (12.0 K) is kept, and the source says both."""
    c = thermal.design_conditions(phoenix, 0.05)
    assert c["t_max_degc"] == pytest.approx(_quantile_by_hand(phoenix["temp_air"], 0.95), abs=1e-12)
    assert c["daily_range_k"] == 12.0
    assert c["source"].startswith("typical-year 95th percentile (the frame's ASHRAE header values hold no 5 %)")
    assert "daily range ASHRAE (Climate Design Data 2009" in c["source"]


def test_the_1_and_2_percent_values_come_from_the_header(phoenix):
    """The reader keeps the header's 1 % and 2 % pairs (Phoenix, read from the line by this test:
    1 % 42.3 / 21.0 and 2 % 41.2 / 20.9 dry bulb / MCWB; 1 % 24.0 / 35.4 and 2 % 23.5 / 35.1
    evaporation WB / MCDB), and design_conditions takes them at 1 % and 2 %."""
    h = _header_cooling(PHOENIX_EPW)
    assert (h["db_1"], h["mcwb_1"], h["db_2"], h["mcwb_2"]) == (42.3, 21.0, 41.2, 20.9)
    assert (h["wb_1"], h["mcdb_1"], h["wb_2"], h["mcdb_2"]) == (24.0, 35.4, 23.5, 35.1)
    for frac, db, mcwb, wb, mcdb, tag in ((0.01, h["db_1"], h["mcwb_1"], h["wb_1"], h["mcdb_1"], "1"),
                                          (0.02, h["db_2"], h["mcwb_2"], h["wb_2"], h["mcdb_2"], "2")):
        c = thermal.design_conditions(phoenix, frac)
        assert (c["t_max_degc"], c["wb_coincident_degc"], c["daily_range_k"]) == (db, mcwb, 12.0)
        assert c["source"] == f"ASHRAE {tag} % (Climate Design Data 2009 ASHRAE Handbook, EPW header)"
        e = thermal.design_conditions(phoenix, frac, basis="wet_bulb")
        assert (e["wb_coincident_degc"], e["t_max_degc"]) == (wb, mcdb)
        assert e["source"] == f"ASHRAE {tag} % (Climate Design Data 2009 ASHRAE Handbook, EPW header)"


def test_a_frame_shorter_than_a_year_ignores_the_header(phoenix):
    """A July week keeps the file's attrs, but ASHRAE's values describe a year: its own 99.6th
    percentile (hand quantile), as the chillers' selection takes a short frame's own hours."""
    week = phoenix.loc["2025-07-14":"2025-07-20"]
    assert "ashrae_design" in week.attrs
    c = thermal.design_conditions(week)
    assert c["t_max_degc"] == pytest.approx(_quantile_by_hand(week["temp_air"], 0.996), abs=1e-12)
    assert c["source"] == f"99.6th percentile of the frame's {len(week)} hours"


def test_the_design_day_runs_on_local_standard_time():
    """ASHRAE's daily profile is of local standard time (its peak, hours 14-15, is 15-16 h on a
    summer clock): design_conditions names the frame's standard time as a fixed-offset zone, so a
    design day from a civil-time frame (America/Chicago, CDT in July) is not laid an hour early."""
    w = load_weather(CHICAGO_EPW, tz="America/Chicago")
    c = thermal.design_conditions(w)
    assert c["tz"] == "Etc/GMT+6"  # UTC-6, POSIX signs
    peak = thermal.design_day(**c)["temp_air"].idxmax()
    assert peak.utcoffset() == pd.Timedelta(hours=-6) and peak.hour == 14  # 14:00 CST ...
    assert peak.tz_convert("America/Chicago").hour == 15                 # ... is 15:00 on the July clock
    assert thermal.design_conditions(load_weather(PHOENIX_EPW, tz="America/Phoenix"))["tz"] == "Etc/GMT+7"
    assert thermal.design_conditions(load_weather(CHICAGO_EPW))["tz"] == "Etc/GMT+6"  # the file's own LST
