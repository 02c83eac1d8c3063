"""Climate findings from a site author testing unusual climates.

* A site far above or below its weather station (Phoenix Sky Harbor's file, station 337 m, a site
  at 830 m) passed ``dcplan validate`` silently though every climate figure is the station's:
  now a warning beyond 200 m (refused beyond 500 m, as before).
* A ``weather.source`` naming another station (Sand Point's file, USAF 703165, with "Cold Bay
  USAF 702310") passed ``dcplan validate``; only a render warned. Now ``site_weather_problems``
  (validate, render's plan) warns too.
* Air-side economizer hours were dry bulb only: beside them, the hours within the recommended
  envelope's moisture limits (ASHRAE TC 9.9, 5th ed. 2021: dew point -9 to 15 °C, RH <= 70 %).
* Freezing hours (Sand Point: 1,640 h dry bulb, 2,390 h wet bulb below 0 °C) were never mentioned.
* ``wet_bulb_degc`` refused a relative humidity of 100.00000000000001 % (rounding noise).
"""
from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import gc_noise as _gc_noise
import yaml

from conftest import MIAMI_TMY2, PHOENIX_EPW, bundled_site_copy, wet_bulb_from_dew_over_water
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_site
from dcplan.weather import (air_economizer_envelope_hours, freeze_note, freezing_hours, load_site_weather,
                            load_weather, saturation_pressure_pa, site_weather_problems, wet_bulb_degc)


def _frame(t_air, t_dew, t_wb=None):
    idx = pd.date_range("2025-01-01 01:00", periods=len(t_air), freq="h", tz="UTC")
    return pd.DataFrame({"temp_air": t_air, "temp_dew": t_dew,
                         "temp_wet_bulb_degc": t_air if t_wb is None else t_wb}, index=idx)


# ---------------------------------------------------------------------------
# 5. rounding noise in the relative humidity

def test_wet_bulb_reads_rounding_noise_at_a_bound_as_the_bound():
    # RH from a dew point equal to the dry bulb: 100 * pws(20) / pws(20), which float arithmetic may
    # give as 100.00000000000001 %; saturated air's wet bulb is its dry bulb (the definition)
    assert wet_bulb_degc(20.0, 100.00000000000001, 101325.0) == pytest.approx(20.0, abs=1e-6)
    assert wet_bulb_degc(20.0, 100.0 + 5e-10, 101325.0) == wet_bulb_degc(20.0, 100.0, 101325.0)
    assert wet_bulb_degc(20.0, -5e-10, 101325.0) == wet_bulb_degc(20.0, 0.0, 101325.0)
    t = np.array([-25.0, -14.4, 0.0, 25.0])  # the first two give 100.00000000000001 % this way
    rh = 100.0 * saturation_pressure_pa(t) / saturation_pressure_pa(t)
    assert (rh[:2] > 100.0).all()
    assert wet_bulb_degc(t, rh, 101325.0) == pytest.approx(t, abs=1e-6)
    # a real out-of-range value is still refused
    with pytest.raises(InputError) as ei:
        wet_bulb_degc(20.0, 100.001, 101325.0)
    assert str(ei.value) == ("relative_humidity: must be in [0, 100] % (not NaN; within 1e-09 % of a bound is read "
                             "as the bound), got 100.001")
    with pytest.raises(InputError, match=r"got -0\.5$"):
        wet_bulb_degc(20.0, -0.5, 101325.0)


# ---------------------------------------------------------------------------
# 3. outdoor air against the recommended envelope's moisture limits

def test_envelope_hours_by_hand():
    # saturation pressures, ASHRAE Fundamentals 2017 ch. 1 Table 3 [kPa]: -9 °C 0.2840 (ice), 9 °C 1.1481,
    # 10 °C 1.2282, 12 °C 1.4028, 13 °C 1.4982, 18 °C 2.0647, 20 °C 2.3392, 24 °C 2.9852
    w = _frame([20.0, 10.0, 18.0, 22.0, -20.0, 30.0, 24.0, 5.0],
               [10.0, 9.0, 13.0, 16.0, -25.0, 10.0, 12.0, -9.0])
    # 20/10: RH 1.2282/2.3392 = 52.5 %                         within
    # 10/9: outdoor RH 93 %, at the 18 °C supply 1.1481/2.0647 = 55.6 %: within (tempered with return air)
    # 18/13: 1.4982/2.0647 = 72.6 % > 70 %                        too humid (dew point within -9..15)
    # 22/16: dew point above 15 °C                                too humid
    # -20/-25: dew point below -9 °C                              too dry
    # 30/10: above the 24 °C changeover
    # 24/12: at the changeover, 1.4028/2.9852 = 47.0 %            within
    # 5/-9: the dew point's lower bound, 0.2840/2.0647 = 13.8 %   within
    assert air_economizer_envelope_hours(w) == {"within_h": 4.0, "too_humid_h": 2.0, "too_dry_h": 1.0,
                                                "above_changeover_h": 1.0}
    # outdoor air at 13 °C dew point is within the limits once supplied warmer than 18 °C: 20 °C gives 64.0 %
    assert air_economizer_envelope_hours(_frame([20.0], [13.0]))["within_h"] == 1.0
    assert air_economizer_envelope_hours(w, changeover_degc=35.0)["above_changeover_h"] == 0.0


def test_a_humid_climate_has_far_fewer_envelope_hours_than_dry_bulb_hours():
    # Miami (TMY2, WBAN 12839): 3,667 h at or below the 24 °C changeover (8,760 - 5,093 above it)
    w = load_weather(MIAMI_TMY2)
    e = air_economizer_envelope_hours(w)
    assert e["above_changeover_h"] == float((w["temp_air"] > 24.0).sum()) == 5093.0
    assert sum(e.values()) == 8760.0
    # hours by hand: dew point 15 °C or below and above -9 °C, and RH at max(dry bulb, 18 °C) <= 70 %, here
    # with the Magnus formula (Alduchov & Eskridge 1996: 6.1094 exp(17.625 T / (T + 243.04)) hPa), not the
    # Hyland-Wexler equations dcplan uses; they differ by < 0.1 % of the pressure: the same hours
    t, dew = w["temp_air"].to_numpy(), np.minimum(w["temp_dew"].to_numpy(), w["temp_air"].to_numpy())

    def magnus(x):
        return 6.1094 * np.exp(17.625 * x / (x + 243.04))

    rh = 100.0 * magnus(dew) / magnus(np.maximum(t, 18.0))
    by_hand = (t <= 24.0) & (dew >= -9.0) & (dew <= 15.0) & (rh <= 70.0)
    assert e["within_h"] == pytest.approx(float(by_hand.sum()), abs=5)
    assert e["within_h"] < 0.5 * (8760.0 - 5093.0)  # 1,334 h of 3,667 when written


# ---------------------------------------------------------------------------
# 4. freezing hours

def test_freezing_hours_and_the_note():
    w = _frame([-3.0, 1.0, 0.0, 5.0], [-5.0, -4.0, -2.0, 0.0], t_wb=[-4.0, -0.5, -0.8, 2.0])
    h = freezing_hours(w)
    assert h == {"drybulb_below_0_h": 1.0, "wetbulb_below_0_h": 3.0}  # 0.0 is not below 0
    assert freeze_note(h, ["tower"]) == (
        "3 h of the typical year have a wet bulb below 0 °C and 1 h a dry bulb below 0 °C. An open cooling tower "
        "needs freeze protection in such hours (basin heaters, a bypass of the fill, or an isolated loop with glycol "
        "on a dry cooler); its energy and water are not modelled: the plant model runs the tower, with its "
        "evaporation, as in any other hour.")
    assert freeze_note(h, ["dry"]).endswith(
        "A dry cooler's loop needs glycol (or draining) below 0 °C dry bulb; the glycol's lower heat transfer and "
        "added pumping are not modelled.")
    assert freeze_note({"drybulb_below_0_h": 0.0, "wetbulb_below_0_h": 0.0}, ["tower"]) is None


def test_sand_points_freezing_hours():
    pytest.importorskip("psychrolib")
    import pvlib
    path = os.path.join(os.path.dirname(pvlib.__file__), "data", "703165TY.csv")
    h = freezing_hours(load_weather(path))
    # independently: pvlib's own read of the file, and PsychroLib's wet bulb from dry bulb, dew point (over
    # water, the file's convention: conftest), pressure. 2,390 h reading a sub-zero dew point as a frost point
    raw, _ = pvlib.iotools.read_tmy3(path, map_variables=True)
    assert h["drybulb_below_0_h"] == float((raw["temp_air"] < 0).sum()) == 1640.0
    cold = raw[raw["temp_air"] < 5.0]  # a wet bulb below 0 °C needs a cold hour
    wb = wet_bulb_from_dew_over_water(cold["temp_air"], cold["temp_dew"], cold["pressure"] * 100.0)
    assert h["wetbulb_below_0_h"] == float(sum(x < 0 for x in wb)) == 2375.0


# ---------------------------------------------------------------------------
# 1. a site far above or below its weather station

def _write_phx(tmp_path, elevation_m: float):
    f = bundled_site_copy(tmp_path, "phoenix-az", "phx-high")
    d = yaml.safe_load(f.read_text())
    d["elevation_m"] = elevation_m
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    return f


def test_a_site_far_above_its_station_warns_with_both_elevations(tmp_path):
    from dcplan.validate import validate_file
    f = _write_phx(tmp_path, 830.0)
    site = load_site(f)
    want = (f"{f}: elevation_m: 830 m, but the station of its weather file {PHOENIX_EPW.name} is at 337 m (the "
            "file's header), 493 m apart: every climate figure (dry bulb, wet bulb, free-cooling hours, design "
            "conditions) is the station's, not adjusted to the site's height; the site is 493 m above the station, "
            "so its air is about 3.2 K cooler than the file's (the standard lapse of 6.5 K per km, ICAO standard "
            "atmosphere): free-cooling hours read low and design temperatures high. Allowed without this warning: "
            "within 200 m (refused beyond 500 m). Expected: the typical year of a station near the site's height; "
            "keep it if none is nearer")
    for check in (site_weather_problems, load_site_weather):  # dcplan validate and render's plan; the notebooks
        with pytest.warns(DcplanWarning) as rec:
            check(site)
        assert [str(r.message) for r in rec if not _gc_noise(r)] == [want]
    with pytest.warns(DcplanWarning, match="493 m apart"):
        assert validate_file(f) == []  # still ok (exit 0), with the warning


def test_a_site_below_its_station_warns_and_one_within_200_m_does_not(tmp_path):
    f = _write_phx(tmp_path, 87.0)  # 250 m below Sky Harbor's 337 m: 1.6 K warmer by 6.5 K/km
    with pytest.warns(DcplanWarning, match=r"the site is 250 m below the station, so its air is about 1\.6 K warmer "
                                           r"than the file's .*: free-cooling hours read high and design "
                                           r"temperatures low"):
        site_weather_problems(load_site(f))
    for e in (137.0, 537.0):  # 200 m either way: no warning
        g = _write_phx(tmp_path, e)
        with warnings.catch_warnings():
            warnings.simplefilter("error", DcplanWarning)
            assert site_weather_problems(load_site(g)) == []
            load_site_weather(load_site(g))
    # beyond 500 m: refused, as before (one problem, no warning besides)
    g = _write_phx(tmp_path, 900.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        ((field, msg),) = site_weather_problems(load_site(g))
    assert field == "elevation_m" and "563 m apart; allowed: within 500 m" in msg


def test_the_bundled_sites_are_within_the_warning_band():
    """Their elevation_m against the stations' (337/337, 201/201, 90/82, 120/273 m): at most 153 m."""
    from dcplan.site import load_portfolio
    from dcplan.site_station import STATION_WARN_ELEVATION_DIFF_M
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        for s in load_portfolio():
            assert site_weather_problems(s) == []
            diff = abs(s.elevation_m - load_site_weather(s).attrs["altitude_m"])
            assert diff <= 153.0 < STATION_WARN_ELEVATION_DIFF_M


# ---------------------------------------------------------------------------
# 2. a weather.source naming another station, found by dcplan validate

def test_validate_warns_of_a_source_naming_another_station(tmp_path, monkeypatch):
    from dcplan import weather_check
    from dcplan.validate import validate_file
    f = bundled_site_copy(tmp_path, "chicago-il", "chicago-copy")
    d = yaml.safe_load(f.read_text())
    d["weather"]["source"] = "NREL TMY3, Phoenix Sky Harbor Intl AP WMO 722780, EPW from EnergyPlus weather set"
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    want = (f"{f}: weather.source names WMO 722780, but the header of the weather file "
            "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw gives WMO 725300 (Chicago Ohare Intl Ap); allowed: a "
            "source naming the file's own station: correct weather.source or weather.file")
    monkeypatch.setenv(weather_check.CACHE_DIR_ENV, str(tmp_path / "cache"))
    for _ in range(2):  # checked, then remembered (the station's number is remembered with it)
        monkeypatch.setattr(weather_check, "_REMEMBERED", {})
        with pytest.warns(DcplanWarning) as rec:
            assert site_weather_problems(load_site(f)) == []
        assert [str(r.message) for r in rec if not _gc_noise(r)] == [want]
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(f) == []
    assert want in [str(r.message) for r in rec]


def test_the_changeover_is_the_codes_dry_bulb_high_limit_and_says_so():
    """A sources audit found the 24 °C changeover called "a common changeover" with no source: it is the 75 °F
    fixed dry-bulb high limit of energy codes for dry climates (Washington State Energy Code, WAC 51-11C-40333,
    Table C403.3.3.3: economizer off when "outdoor air temperature exceeds 75°F"), taken for every site."""
    import json

    from conftest import ROOT
    from dcplan.weather_stats import (AIR_ECONOMIZER_CHANGEOVER_DEGC, AIR_ECONOMIZER_CHANGEOVER_SOURCE,
                                      COOLING_THRESHOLDS_DEGC)
    # 75 °F = (75 - 32) / 1.8 = 23.89 °C (hand), to the whole degree the thresholds are counted in
    assert AIR_ECONOMIZER_CHANGEOVER_DEGC == round((75.0 - 32.0) / 1.8) == 24.0
    assert AIR_ECONOMIZER_CHANGEOVER_DEGC in COOLING_THRESHOLDS_DEGC
    assert "75 °F" in AIR_ECONOMIZER_CHANGEOVER_SOURCE and "C403.3.3.3" in AIR_ECONOMIZER_CHANGEOVER_SOURCE
    # published with its source: site_climate's labels of the 24 °C hours take the text, and say it is an assumption
    nb = json.loads((ROOT / "notebooks" / "site_climate.ipynb").read_text())
    src = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert "common air-side economizer changeover" not in src
    assert src.count("AIR_ECONOMIZER_CHANGEOVER_SOURCE") >= 3       # imported, the 24 °C count, the envelope hours
    assert "the changeover dcplan assumes" in src
