"""Every cooling default has a physical range, and the chillers' design condition checks its
weather as the plant does (dcplan.thermal_plant_params).

Overrides used to fall back to ``(-inf, inf)`` for keys without a bound: ``chiller_rating_chw_degc=44``
(the AHRI 44 degF typed as degC) ran and gave an annual PUE of 2.4; the degF rating points
(95 degF air, 85 degF condenser water), a server-fan knee of 80.6 (degF) and a 0 K air-cooled
condenser approach were accepted too. And ``chiller_design_conditions`` (public) took kelvin
weather, returning a 315.95 degC design dry bulb.
"""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal, thermal_plant_params
from dcplan.errors import InputError
from dcplan.paths import data_path
from dcplan.thermal_plant_params import _OVERRIDE_BOUNDS, chiller_design_conditions


def _csv_rows():
    with open(data_path("cooling_defaults.csv"), newline="") as fh:
        return {row["key"]: row for row in csv.DictReader(fh)}


def test_every_csv_key_has_a_bound_that_holds_its_default():
    rows = _csv_rows()
    assert set(rows) == set(_OVERRIDE_BOUNDS), set(rows) ^ set(_OVERRIDE_BOUNDS)
    for k, row in rows.items():
        lo, hi, lo_in, hi_in = _OVERRIDE_BOUNDS[k]
        assert lo > -np.inf, k   # every key bounded below
        if row["value"].strip():
            x = float(row["value"])
            assert (x >= lo if lo_in else x > lo) and (x <= hi if hi_in else x < hi), (k, x)
        # temperatures in degC have finite ranges (degF / kelvin fall outside); fractions [0, 1]
        if row["unit"] == "degC":
            assert hi <= 60.0, k
        if row["unit"] == "frac" and k != "margin_frac":
            assert lo >= 0.0 and hi <= 1.0, k
        if k.endswith("_approach_k") or k.endswith("_dt_k") or k == "condenser_rise_k":
            assert (lo, lo_in) == (0.0, False), k   # > 0: divisors, a 0 K exchanger is infinite


@pytest.mark.parametrize("key, value, allowed", [
    ("chiller_rating_chw_degc", 44.0, r"\(0, 30\]"),      # 44 degF (AHRI 6.7 degC)
    ("chiller_rating_db_degc", 95.0, r"\[10, 60\]"),      # 95 degF (35 degC)
    ("chiller_rating_ecwt_degc", 85.0, r"\[10, 45\]"),    # 85 degF (29.4 degC)
    ("chiller_rating_ecwt_degc", 302.55, r"\[10, 45\]"),  # kelvin
    ("server_fan_knee_degc", 80.6, r"\[5, 45\]"),          # 80.6 degF (27 degC)
    ("aircooled_cond_approach_k", 0.0, r"\(0, inf\)"),
    ("hx_approach_k", 0.0, r"\(0, inf\)"),
    ("crah_approach_k", 0.0, r"\(0, inf\)"),
    ("condenser_rise_k", 0.0, r"\(0, inf\)"),
    ("tower_fan_kw_per_kw", 1.27, r"\[0, 1\]"),            # 1.27 % typed as kW/kW
    ("server_fan_power_exp", 4.0, r"\(0, 3\]"),
    ("server_fan_flow_per_k", -0.1, r"\[0, 1\]"),
    ("trim_chiller_min_frac", 50.0, r"\[0, 1\]"),
])
def test_unit_mistakes_are_refused_naming_field_value_and_range(key, value, allowed):
    with pytest.raises(InputError, match=rf"^{key}: override {key}={value!r} is outside the allowed range {allowed}"):
        thermal.plant_params({"type": "air", "liquid_class": None}, **{key: value})


def test_temperature_bounds_say_degc():
    with pytest.raises(InputError, match=r"chiller_rating_chw_degc.*AHRI 550/590: 6.7.*degF or kelvin"):
        thermal.plant_params(None, chiller_rating_chw_degc=44.0)


def test_a_rating_point_without_a_lift_is_refused():
    """Chilled water 30 degC at the rating point, condensing at 20 + 5.6 = 25.6 degC (water-cooled):
    the Carnot fraction would be negative."""
    with pytest.raises(InputError, match=r"chiller_rating_chw_degc: the water-cooled rating point condenses at "
                                         r"25.6 degC, not above its chilled water"):
        thermal.plant_params(None, chiller_rating_chw_degc=30.0, chiller_rating_ecwt_degc=20.0)


def _year(db, wb):
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": db, "temp_wet_bulb_degc": wb}, index=idx)


def test_chiller_design_conditions_checks_its_weather_like_the_plant():
    w = _year(np.linspace(0.0, 42.8, 8760), np.linspace(-5.0, 24.0, 8760))
    air_dry = {"type": "air", "liquid_class": None, "air_heat_rejection": "dry"}
    assert thermal.chiller_design_conditions is chiller_design_conditions   # re-exported
    ok = thermal.chiller_design_conditions(w, air_dry)
    # 99.6th percentile of an evenly spaced 0..42.8 ramp: 0.996 x 42.8 = 42.6288
    assert ok["chiller_design_db_degc"] == pytest.approx(0.996 * 42.8, rel=1e-12)
    assert ok["chiller_design_db_basis"] == "TMY 99.6th percentile (typically below ASHRAE's 0.4 %)"
    for bad, match in ((w.assign(temp_air=w["temp_air"] + 273.15), r"weather.temp_air: .*\[-90, 60\] degC.*kelvin"),
                       (w.assign(temp_air=w["temp_air"] * 1.8 + 32.0), r"weather.temp_air: .*\[-90, 60\] degC"),
                       (w.assign(temp_wet_bulb_degc=w["temp_air"] + 5.0),
                        r"weather.temp_wet_bulb_degc: .*wet bulb cannot exceed dry bulb"),
                       (w.iloc[:0], r"weather: has no hours"),
                       (w.assign(temp_air=np.nan), r"weather.temp_air: 8760 hours are NaN")):
        with pytest.raises(InputError, match=match):
            thermal.chiller_design_conditions(bad, air_dry)
    # the same check as the plant's (one function)
    with pytest.raises(InputError, match=r"weather.temp_air: .*\[-90, 60\] degC"):
        thermal.plant_hourly(1000.0, w.assign(temp_air=w["temp_air"] + 273.15), air_dry)
    assert thermal_plant_params._checked_weather(w)[0].shape == (8760,)
