"""The cooling-lag model's liquid-loop defaults are the hourly plant's, read from data/cooling_defaults.csv.

A sources audit found ``temp_supply_degc`` 30 and ``liquid_dt_k`` 10 of
:data:`dcplan.thermal_dynamics.DYNAMICS_DEFAULTS` documented as data/cooling_defaults.csv's (the W32 maximum
less ``liquid_supply_margin_k``, and ``liquid_dt_k``) but written in as literals: an edit of the CSV would have
moved the hourly plant and not the cooling-lag model.
"""
from __future__ import annotations

import pytest

from conftest import with_edited_data
from dcplan import thermal
from dcplan.thermal_plant_params import plant_params

D = thermal.DYNAMICS_DEFAULTS
_W32 = {"type": "liquid", "liquid_class": "W32"}


def test_liquid_loop_defaults_are_the_hourly_plants():
    # W32 maximum 32 degC (reference-data 3b) - 2 K margin = 30 degC supply; 10 K rise; setpoint 30 + 10 = 40
    # degC (hand, from the CSV rows); exact: sums of the CSV's one-decimal figures
    p = plant_params(_W32)
    assert D["temp_supply_degc"] == p.liquid_supply_degc == 30.0
    assert D["liquid_dt_k"] == p.values["liquid_dt_k"] == 10.0
    assert D["temp_setpoint_degc"] == D["temp_supply_degc"] + D["liquid_dt_k"] == 40.0


def test_an_edit_of_the_csv_moves_both_models(tmp_path):
    # margin 2 -> 3 K and rise 10 -> 12 K (inside the rows' plausibility bands): the hourly plant's supply is
    # 32 - 3 = 29 degC and the cooling-lag model's must be too, with 12 K and a 29 + 12 = 41 degC setpoint (hand)
    def edit(text: str) -> str:
        text = text.replace("liquid_supply_margin_k,2.0,K,", "liquid_supply_margin_k,3.0,K,")
        return text.replace("liquid_dt_k,10.0,K,", "liquid_dt_k,12.0,K,")
    out = with_edited_data(tmp_path, {"cooling_defaults.csv": edit},
                           "from dcplan import thermal\n"
                           "from dcplan.thermal_plant_params import plant_params\n"
                           "p = plant_params({'type': 'liquid', 'liquid_class': 'W32'})\n"
                           "d = thermal.DYNAMICS_DEFAULTS\n"
                           "print(p.liquid_supply_degc, p.values['liquid_dt_k'], d['temp_supply_degc'], "
                           "d['liquid_dt_k'], d['temp_setpoint_degc'])")
    assert [float(x) for x in out.split()] == pytest.approx([29.0, 12.0, 29.0, 12.0, 41.0], abs=1e-12)
