"""Inputs the hourly cooling plant refuses: weather in kelvin or degF, NaN temperatures for the
chiller COP, tower cycles of concentration too close to 1 (dcplan.thermal_plant*)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import InputError
from dcplan.weather import free_cooling_hours, load_weather

from conftest import PHOENIX_EPW

AIR = {"type": "air", "liquid_class": None}


@pytest.fixture(scope="module")
def phoenix():
    return load_weather(PHOENIX_EPW)


def _in(w, to_unit, cols=("temp_air", "temp_wet_bulb_degc")):
    return w.assign(**{c: to_unit(w[c]) for c in cols})


def _mild():
    """24 hours at 30 degC dry bulb, 20 degC wet bulb."""
    idx = pd.date_range("2025-07-01 01:00", periods=24, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": 30.0, "temp_wet_bulb_degc": 20.0}, index=idx)


def _kelvin(t):
    return t + 273.15


def _fahrenheit(t):
    return t * 9.0 / 5.0 + 32.0


# ------------------------------------------------------------------ weather units
@pytest.mark.parametrize("cooling", [AIR, None], ids=["air", "W32"])
def test_plant_refuses_phoenix_weather_in_kelvin(phoenix, cooling):
    # the tester's case: Phoenix in K gave PUE 1.26 (air) / 1.14 (W32) and 8,760 derate hours,
    # no error. First hour of the year: the file's dry bulb + 273.15 K (data/weather EPW row 1)
    w = _in(phoenix, _kelvin)
    first = float(w["temp_air"].iloc[0])
    assert first > 200   # kelvin, not degC
    with pytest.raises(InputError, match=(
            rf"^weather\.temp_air: temp_air must be in \[-90, 60\] degC, got {first:g} at "
            rf"{w.index[0]} \(8760 value\(s\) outside; wrong units \(kelvin or degF\?\)")):
        thermal.plant_hourly(1000.0, w, cooling)


def test_plant_refuses_fahrenheit_naming_the_first_bad_hour(phoenix):
    # degF: the first hour above 60 "degC" is the first hour warmer than (60 - 32) x 5/9 =
    # 15.56 degC; found here on the file itself (hand count: comparison, exact)
    w = _in(phoenix, _fahrenheit)
    bad = w["temp_air"] > 60.0
    i = int(np.argmax(bad.to_numpy()))
    t_c = phoenix["temp_air"]
    assert t_c.iloc[i] > (60 - 32) * 5 / 9 and not (t_c.iloc[:i] > (60 - 32) * 5 / 9).any()
    with pytest.raises(InputError, match=(
            rf"^weather\.temp_air: temp_air must be in \[-90, 60\] degC, got {w['temp_air'].iloc[i]:g} at "
            rf"{w.index[i]} \({int(bad.sum())} value\(s\) outside; wrong units")):
        thermal.plant_hourly(1000.0, w, AIR)


def test_plant_refuses_a_wet_bulb_column_in_kelvin_alone():
    idx = pd.date_range("2025-07-01 01:00", periods=24, freq="h", tz="Etc/GMT+7")
    w = pd.DataFrame({"temp_air": 30.0, "temp_wet_bulb_degc": 20.0 + 273.15}, index=idx)
    # (it also exceeds the dry bulb; the units are named first, as the likelier slip)
    with pytest.raises(InputError, match=r"^weather\.temp_wet_bulb_degc: temp_wet_bulb_degc must be in "
                                         r"\[-90, 60\] degC, got 293\.15 at 2025-07-01 01:00:00-07:00"):
        thermal.plant_hourly(1000.0, w, AIR)


def test_the_bounds_are_the_solar_checks_and_are_inclusive():
    from dcplan.solar import _WEATHER_RANGES
    from dcplan.weather import TEMP_DEGC_RANGE
    # the same plausible range as dcplan.solar's (WMO records -89.2 / 56.7 degC), one definition
    # for the plant and the climate screen (dcplan.weather.TEMP_DEGC_RANGE)
    assert TEMP_DEGC_RANGE == _WEATHER_RANGES["temp_air"][:2] == (-90.0, 60.0)
    idx = pd.date_range("2025-07-01 01:00", periods=2, freq="h", tz="UTC")
    w = pd.DataFrame({"temp_air": [-90.0, 60.0], "temp_wet_bulb_degc": [-90.0, 40.0]}, index=idx)
    # the ends themselves are weather (hand count: -90 <= 0 and 60 > 0)
    assert free_cooling_hours(w, 10.0, 10.0, wet=False) == 1.0
    with pytest.raises(InputError, match=r"temp_air must be in \[-90, 60\] degC, got 60\.01"):
        free_cooling_hours(w.assign(temp_air=[-90.0, 60.01]), 10.0, 10.0, wet=False)


def test_free_cooling_hours_refuses_kelvin_and_nan(phoenix):
    # before: kelvin gave 0 h and NaN hours were silently not counted
    with pytest.raises(InputError, match=r"^weather\.temp_wet_bulb_degc: temp_wet_bulb_degc must be in "
                                         r"\[-90, 60\] degC, got .* \(8760 value\(s\) outside; wrong units"):
        free_cooling_hours(_in(phoenix, _kelvin), 30.0, 5.4, wet=True)
    w = phoenix.copy()
    w.iloc[5, w.columns.get_loc("temp_air")] = np.nan
    with pytest.raises(InputError, match=rf"^weather\.temp_air: temp_air is missing \(NaN/inf\) at "
                                         rf"{w.index[5]} \(1 value\(s\)\)"):
        free_cooling_hours(w, 30.0, 8.0, wet=False)
    assert free_cooling_hours(w, 30.0, 5.4, wet=True) > 0   # the other column is fine


# ------------------------------------------------------------------ chiller COP
def test_chiller_cop_refuses_nan_and_infinite_temperatures():
    # before: chiller_cop(19, nan) returned 12.0 (the COP cap: NaN compared False everywhere)
    for args, field in [((19.0, float("nan")), "t_out_degc"), ((float("nan"), 20.0), "t_chw_degc"),
                        ((19.0, np.array([20.0, np.inf])), "t_out_degc"),
                        ((19.0, float("nan"), "air"), "t_out_degc")]:
        with pytest.raises(InputError, match=rf"^{field}: must be a finite temperature in degC, got (nan|inf)"):
            thermal.chiller_cop(*args)
    # finite arrays still pass: at the AHRI point (6.7 degC CHW, wet bulb 29.4 - 3.9 K tower
    # approach) the rated 6.28 (data/cooling_defaults.csv), by construction; float rounding
    cop = thermal.chiller_cop(np.array([6.7, 6.7]), np.array([25.5, 25.5]))
    np.testing.assert_allclose(cop, 6.28, rtol=1e-12)


# ------------------------------------------------------------------ tower cycles
def test_tower_cycles_below_two_are_refused_and_two_is_allowed():
    # 1.0001 gave 14,782 L/kWh (blowdown = evaporation / (cycles - 1) = 10,000 x evaporation).
    # Floor 2: EnergyPlus CoolingTower "Blowdown Concentration Ratio" minimum 2.0 (typical 3-5)
    for cycles in (1.0001, 1.5, 1.99):
        with pytest.raises(InputError, match=(rf"^tower_cycles: override tower_cycles={cycles!r} is outside "
                                              r"the allowed range \[2, inf\) \(finite\): cycles of concentration")):
            thermal.plant_params(None, tower_cycles=cycles)
    with pytest.raises(InputError, match=r"tower_cycles=1\.0001 is outside the allowed range \[2, inf\)"):
        thermal.plant_hourly(1000.0, _mild(), tower_cycles=1.0001)
    # the floor itself: tower water = evaporation x cycles / (cycles - 1) (dcplan.thermal_plant_loop),
    # 2 x evaporation at 2 cycles, 4/3 x at the default 4: ratio 1.5 (same heat, same evaporation);
    # float rounding only
    at2 = thermal.plant_hourly(1000.0, _mild(), AIR, tower_cycles=2.0)["water_l"]
    at4 = thermal.plant_hourly(1000.0, _mild(), AIR, tower_cycles=4.0)["water_l"]
    np.testing.assert_allclose(at2 / at4, 1.5, rtol=1e-12)


def test_design_it_far_below_the_peak_is_refused_naming_the_design():
    # the loss chain is rated for the design IT; at half the peak its stages would run at about
    # 2x their capacity, beyond power.MAX_LOAD_FRAC (1.5): refused, naming design_it_kw and what
    # a site sets (fleet.diversity_frac), not the chain's rated_kw the caller never passed
    from dcplan.errors import InputError
    from dcplan.thermal_plant import plant_hourly
    from dcplan.weather import load_weather
    from conftest import PHOENIX_EPW
    w = load_weather(PHOENIX_EPW, year=2025).iloc[:48]
    it = pd.Series(1000.0, index=w.index)
    with pytest.raises(InputError, match=r"design_it_kw: 500 kW sizes the transformer/UPS/PDU chain, which would "
                                         r"carry up to 1,000 kW of IT, beyond its overload limit.*diversity_frac"):
        plant_hourly(it, w, {"type": "liquid", "liquid_class": "W32"}, design_it_kw=500.0)
    assert plant_hourly(it, w, {"type": "liquid", "liquid_class": "W32"}, design_it_kw=900.0)["pue"].min() > 1.0
