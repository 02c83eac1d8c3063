"""A water-cooled chiller under 150 tons on the default rated COP (dcplan.thermal_plant_checks.small_chiller_warnings).

data/cooling_defaults.csv's ``chiller_cop_rated_water`` is 6.28 = 3.517 / 0.560 kW/ton, ASHRAE 90.1-2016 Table
6.8.1-3 path A centrifugal >= 400 tons; NREL openstudio-standards' transcription (ashrae_90_1_2016.chillers.json,
read 2026-12) gives 0.560 from 150 tons and 0.610 kW/ton below: COP 3.517 / 0.610 = 5.7656, shown 5.77.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import DcplanWarning
from dcplan.thermal_plant_checks import small_chiller_warnings
from dcplan.thermal_plant_params import cooling_defaults, plant_params


def _weather(db, wb, n=3):
    idx = pd.date_range("2025-07-01 01:00", periods=n, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": np.full(n, db), "temp_wet_bulb_degc": np.full(n, wb)}, index=idx)


def test_default_is_the_2016_400_ton_row():
    # 3.517 / 0.560 = 6.2804: the CSV keeps two decimals
    assert cooling_defaults()["chiller_cop_rated_water"] == pytest.approx(3.517 / 0.560, abs=5e-3)


def test_small_chiller_named_with_its_tons_class_and_override():
    p = plant_params({"type": "air"})
    got = small_chiller_warnings(p, {"air": 400.0}, cooling_defaults())
    # 400 kW / 3.517 kW per ton = 113.7 tons < 150; the class's 0.610 kW/ton is COP 5.7656
    assert len(got) == 1
    text = got[0]
    assert "the air loop's water-cooled chiller is sized for 114 tons (400 kW of heat" in text
    assert "below 150 tons" in text and "default rated COP 6.28 (0.560 kW/ton" in text
    assert "0.610 kW/ton (COP 5.77)" in text and "chiller_cop_rated_water=5.77" in text


@pytest.mark.parametrize("kw", [150 * 3.517 + 0.1, 6_000.0])   # 150.0 tons and up: the default's own class
def test_no_warning_from_150_tons(kw):
    assert small_chiller_warnings(plant_params({"type": "air"}), {"air": kw}, cooling_defaults()) == []


def test_no_warning_with_a_given_rated_cop():
    p = plant_params({"type": "air"}, chiller_cop_rated_water=5.77)
    assert small_chiller_warnings(p, {"air": 400.0}, cooling_defaults()) == []


def _chiller_warnings(it_kw, cooling, **kw):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        thermal.plant_hourly(it_kw, _weather(30.0, 22.0), cooling, **kw)
    return [str(r.message) for r in rec if issubclass(r.category, DcplanWarning)
            and "chiller_cop_rated_water:" in str(r.message)]


def test_plant_hourly_warns_for_a_small_air_plant_only():
    # 300 kW of IT: the air loop's design heat is 1.1 x (300 kW + losses < 10 %) / (1 - fan and pump heat < 10 %)
    # < 1.1 x 330 / 0.9 = 403 kW = 115 tons < 150; 2,000 kW of IT: at least 1.1 x 2,000 / 3.517 = 626 tons
    small = _chiller_warnings(300.0, {"type": "air"})
    assert len(small) == 1 and "the air loop's water-cooled chiller" in small[0]
    tons = float(small[0].split("sized for ")[1].split(" tons")[0])
    assert 1.1 * 300.0 / 3.517 <= tons < 1.1 * 330.0 / 0.9 / 3.517
    assert _chiller_warnings(2_000.0, {"type": "air"}) == []
    # an air-cooled chiller (dry rejection) is another table row (1.188 kW/ton): no word
    assert _chiller_warnings(300.0, {"type": "air", "air_heat_rejection": "dry"}) == []
    # the rated COP given: no word
    assert _chiller_warnings(300.0, {"type": "air"}, chiller_cop_rated_water=5.77) == []
