"""Tests of dcplan.thermal_design_day.governing_design_day: the design day that leaves a plant
the least capacity is the dry-bulb day for a dry cooler and the evaporation (wet-bulb) day for
a cooling tower, as the physics of each kind of heat rejection says."""
from __future__ import annotations

import pytest

from dcplan import thermal
from dcplan.errors import DcplanWarning, InputError
from dcplan.thermal_plant_params import plant_params
from dcplan.weather import load_weather

from conftest import PHOENIX_EPW


@pytest.fixture(scope="module")
def phoenix():
    return load_weather(PHOENIX_EPW)


def _nameplate_it_kw():
    """The default W32 liquid plant's IT capacity at 1000 kW design IT where both loops hold their nameplates
    (tests/test_thermal_plant.py's design-conditions test): the smaller of the liquid loop's 935 / 0.85 = 1100 kW
    and the air loop's x with 0.15 x + L(x) = 1.1 (150 + L(1000)), L the default chain's losses AT x:
    1097.70 kW (brentq)."""
    from scipy.optimize import brentq
    from dcplan.power import electrical_losses_kw

    def loss(x):
        return float(electrical_losses_kw(x, rated_kw=1000.0))
    air_it = brentq(lambda x: 0.15 * x + loss(x) - 1.1 * (150.0 + loss(1000.0)), 1000.0, 1100.0, xtol=1e-9)
    return min(air_it, 935.0 / 0.85)


def _min_capacity(w, plant, basis):
    day = thermal.design_day(**thermal.design_conditions(w, basis=basis))
    return float(thermal.plant_hourly(1000.0, day, plant)["capacity_it_kw"].min())


def test_a_dry_cooler_is_governed_by_the_dry_bulb_day(phoenix):
    # W45: a dry cooler holding a 43 degC supply; Phoenix's 0.4 % dry bulb (~43 degC) is above
    # 43 - 8 K approach, so the hot dry day derates it; the evaporation day (cooler dry bulb) does not
    # (its hottest dry-bulb hours leave it below 0.6 x IT, 220 kW: warned)
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"):
        g = thermal.governing_design_day(1000.0, phoenix, {"type": "liquid", "liquid_class": "W45"})
    assert g["basis"] == "dry_bulb" and not g["tie"]
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"):
        low = _min_capacity(phoenix, {"type": "liquid", "liquid_class": "W45"}, "dry_bulb")
    assert g["min_capacity_kw"]["dry_bulb"] == pytest.approx(low)
    assert g["min_capacity_kw"]["dry_bulb"] < g["min_capacity_kw"]["wet_bulb"]
    assert g["conditions"]["dry_bulb"]["t_max_degc"] > g["conditions"]["wet_bulb"]["t_max_degc"]


def test_a_tower_is_governed_by_the_evaporation_day(phoenix):
    # W32 tower with a 7 K approach: the evaporation day's ~24.0 degC wet bulb + 7 K + 1.5 K
    # heat-exchanger approach = 32.5 degC, over W32's 32 degC; the dry-bulb day's coincident
    # ~21.2 degC wet bulb gives 29.7 degC, within it
    plant = plant_params({"type": "liquid", "liquid_class": "W32"}, tower_approach_k=7.0)
    g = thermal.governing_design_day(1000.0, phoenix, plant)
    assert g["conditions"]["wet_bulb"]["wb_coincident_degc"] + 7.0 + 1.5 > 32.0
    assert g["conditions"]["dry_bulb"]["wb_coincident_degc"] + 7.0 + 1.5 < 32.0
    assert g["basis"] == "wet_bulb" and not g["tie"]
    assert g["min_capacity_kw"]["wet_bulb"] == pytest.approx(_min_capacity(phoenix, plant, "wet_bulb"))
    # the dry-bulb day leaves the nameplate (1097.70 kW: the air loop, 10 % margin); the evaporation day less
    assert _nameplate_it_kw() == pytest.approx(1097.70, abs=0.005)
    assert g["min_capacity_kw"]["dry_bulb"] == pytest.approx(_nameplate_it_kw(), rel=1e-9)
    assert g["min_capacity_kw"]["wet_bulb"] < 1090.0


def test_a_plant_neither_day_derates_is_a_tie_on_the_dry_bulb_day(phoenix):
    # default W32 tower: 24.0 + 3.9 + 1.5 = 29.4 degC, within 32 degC on both days: the nameplate on both
    g = thermal.governing_design_day(1000.0, phoenix, {"type": "liquid", "liquid_class": "W32"})
    assert g["tie"] and g["basis"] == "dry_bulb"
    assert g["min_capacity_kw"] == pytest.approx({"dry_bulb": _nameplate_it_kw(), "wet_bulb": _nameplate_it_kw()},
                                                 rel=1e-9)
    for bad in (0.0, -5.0, True, "1000"):
        with pytest.raises(InputError, match="it_kw: must be a number of kW > 0"):
            thermal.governing_design_day(bad, phoenix)
