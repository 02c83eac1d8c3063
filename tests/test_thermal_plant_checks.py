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
from dcplan.thermal_plant_checks import small_chiller_warnings, warn_small_chillers
from dcplan.thermal_plant_params import cooling_defaults


def _weather(db, wb, n=3):
    idx = pd.date_range("2025-07-01 01:00", periods=n, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": np.full(n, db), "temp_wet_bulb_degc": np.full(n, wb)}, index=idx)


def test_default_is_the_2016_400_ton_row():
    # 3.517 / 0.560 = 6.2804: the CSV keeps two decimals
    assert cooling_defaults()["chiller_cop_rated_water"] == pytest.approx(3.517 / 0.560, abs=5e-3)


def _plant(kw, cop=None):
    """A plant run's attrs["plant"] with one air-loop water-cooled chiller of ``kw`` heat."""
    d = cooling_defaults()["chiller_cop_rated_water"]
    return {"water_chiller_design_kw": {"air": kw}, "chiller_cop_rated_water": d if cop is None else cop}


def test_small_chiller_named_with_its_tons_class_and_override():
    got = small_chiller_warnings(_plant(400.0), cooling_defaults(), "site.yaml")
    # 400 kW / 3.517 kW per ton = 113.7 tons < 150; the class's 0.610 kW/ton is COP 5.7656
    assert len(got) == 1
    text = got[0]
    assert text.startswith("site.yaml: chiller_cop_rated_water: the air loop's water-cooled chiller is sized for "
                           "114 tons (400 kW of heat")
    assert "below 150 tons" in text and "default rated COP 6.28 (0.560 kW/ton" in text
    assert "0.610 kW/ton (COP 5.77)" in text and "chiller_cop_rated_water=5.77" in text
    # what the low reading is, by hand: 0.610 / 0.560 kW/ton = 1.0893, 8.9 % more power at the rating point; and
    # that a site cannot set it (CoolingSpec has no rated-COP field): the override is plant_hourly's keyword
    assert "draws 6.28 / 5.77 - 1 = 8.9 % more at the rating point" in text
    assert "a site file cannot set the rated COP" in text and "dcplan.thermal.plant_hourly's keyword" in text
    from dcplan.specs.cooling import CoolingSpec
    assert "chiller_cop_rated_water" not in CoolingSpec.model_fields


@pytest.mark.parametrize("kw", [150 * 3.517 + 0.1, 6_000.0])   # 150.0 tons and up: the default's own class
def test_no_warning_from_150_tons(kw):
    assert small_chiller_warnings(_plant(kw), cooling_defaults()) == []


def test_no_warning_with_a_given_rated_cop():
    assert small_chiller_warnings(_plant(400.0, cop=5.77), cooling_defaults()) == []


def _run(it_kw, cooling, **kw):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        h = thermal.plant_hourly(it_kw, _weather(30.0, 22.0), cooling, **kw)
    assert not [r for r in rec if "chiller_cop_rated_water:" in str(r.message)]   # a what-if run says nothing
    return h


def test_a_small_air_plants_run_records_its_chiller_and_the_site_chain_warns():
    # 300 kW of IT: the air loop's design heat is 1.1 x (300 kW + losses < 10 %) / (1 - fan and pump heat < 10 %)
    # < 1.1 x 330 / 0.9 = 403 kW = 115 tons < 150, at least 1.1 x 300 = 330 kW = 94 tons; 2,000 kW of IT: at
    # least 1.1 x 2,000 / 3.517 = 626 tons
    h = _run(300.0, {"type": "air"})
    kw = h.attrs["plant"]["water_chiller_design_kw"]["air"]
    assert 1.1 * 300.0 <= kw < 1.1 * 330.0 / 0.9
    with pytest.warns(DcplanWarning, match=rf"s.yaml: chiller_cop_rated_water: the air loop's water-cooled chiller is "
                                           rf"sized for {kw / 3.517:,.0f} tons"):
        warn_small_chillers(h, "s.yaml")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_small_chillers(_run(2_000.0, {"type": "air"}))
        # an air-cooled chiller (dry rejection) is another table row (1.188 kW/ton): none recorded
        dry = _run(300.0, {"type": "air", "air_heat_rejection": "dry"})
        assert dry.attrs["plant"]["water_chiller_design_kw"] == {}
        warn_small_chillers(dry)
        # the rated COP given: no word
        warn_small_chillers(_run(300.0, {"type": "air"}, chiller_cop_rated_water=5.77))
