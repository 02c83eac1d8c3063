"""Weather columns :func:`dcplan.solar.pv_ac_kw` refuses: text, and the one air-temperature
range it shares with :mod:`dcplan.weather` (API tester findings 3 and 6)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import solar
from dcplan.errors import InputError
from dcplan.weather import _RANGES
from dcplan.weather_stats import TEMP_DEGC_RANGE

TZ = "America/Phoenix"


def _weather() -> pd.DataFrame:
    """Two clear-ish days: GHI a half sine 06:00-19:00 peaking at 900 W/m2 (the tester's f06)."""
    idx = pd.date_range("2024-06-01 01:00", periods=48, freq="1h", tz=TZ)
    h = (idx - pd.Timedelta("30min")).hour.to_numpy()
    ghi = np.clip(900 * np.sin(np.pi * (h - 6) / 13), 0, None)
    return pd.DataFrame({"ghi": ghi, "dni": ghi * 0.8, "dhi": ghi * 0.15, "temp_air": 35.0,
                         "wind_speed": 2.0}, index=idx)


P = dict(latitude=33.45, longitude=-112.07, dc_kw=1000.0)


@pytest.mark.parametrize("column, unit", [("ghi", "W/m2"), ("temp_air", "degC"), ("wind_speed", "m/s")])
def test_a_weather_column_of_text_is_refused(column, unit):
    # a ghi column of strings gave the same 28,968 kWh as the numbers: '0.0' read as 0 W/m2
    w = _weather().astype({column: str})
    with pytest.raises(InputError, match=rf"^weather\.{column}: {column} must be numbers \[{unit}\], got dtype \w+, "
                                         rf"e\.g\. '[0-9.]+' at 2024-06-01 01:00:00-07:00; convert first, "
                                         rf"e\.g\. pd\.to_numeric\(weather\['{column}'\]\)$"):
        solar.pv_ac_kw(w, **P)


def test_numbers_held_as_objects_are_still_weather():
    w = _weather()
    ref = solar.pv_ac_kw(w, **P)
    out = solar.pv_ac_kw(w.astype({"ghi": object}), **P)
    np.testing.assert_array_equal(out.to_numpy(), ref.to_numpy())  # same numbers: exactly equal


def test_air_temperature_range_is_one_constant():
    # solar said [-90, 60] and weather [-70, 60]: one range now, the sourced WMO records
    # (-89.2 degC Vostok 1983, 56.7 degC Death Valley 1913) in dcplan.weather_stats
    assert TEMP_DEGC_RANGE == (-90.0, 60.0)
    assert solar._WEATHER_RANGES["temp_air"][:2] == TEMP_DEGC_RANGE
    assert _RANGES["temp_air"] == TEMP_DEGC_RANGE


def test_a_record_cold_hour_passes_both_checks():
    from dcplan.weather import wet_bulb_degc
    # -80 degC was refused by wet_bulb_degc (weather's -70 bound) but passed pv_ac_kw (-90)
    w = _weather()
    w["temp_air"] = -80.0
    assert solar.pv_ac_kw(w, **P).max() > 0
    # saturated air: wet bulb = dry bulb (ASHRAE 2017 ch. 1); Vostok's record at its ~624 hPa
    # station pressure. abs 1e-6: the bisection's resolution
    assert wet_bulb_degc(-89.2, 100.0, 62_400.0) == pytest.approx(-89.2, abs=1e-6)
    with pytest.raises(InputError, match=r"^temp_air: must be a dry bulb in °C within \[-90, 60\]"):
        wet_bulb_degc(-95.0, 100.0, 101_325.0)


def test_irradiance_in_kw_per_m2_is_warned():
    """A weather frame with GHI, DNI and DHI divided by 1000 gave exactly 0 kWh AC for a year,
    silently (the largest GHI 0.97 passes every range check). Every week of pvlib's Sand Point,
    AK TMY3 (55.3 N) peaks at 151 W/m2 or more; the warning is below 20 W/m2 over a week."""
    from dcplan.errors import DcplanWarning
    from dcplan.solar import pv_ac_kw
    from dcplan.weather import load_weather
    from conftest import PHOENIX_EPW
    w = load_weather(PHOENIX_EPW, year=2025)
    kw = w.copy()
    kw[["ghi", "dni", "dhi"]] = kw[["ghi", "dni", "dhi"]] / 1000.0
    with pytest.warns(DcplanWarning, match=r"weather\.ghi: the largest value over 365 days is 1\.\d+ W/m2, below 20: "
                                           r"irradiance \(ghi, dni, dhi\) given in kW/m2\?"):
        pv_ac_kw(kw, latitude=33.45, longitude=-111.98, dc_kw=1000.0)
    pv_ac_kw(w.iloc[:24 * 6], latitude=33.45, longitude=-111.98, dc_kw=1000.0)  # W/m2: no warning
