"""Hours whose capacity is below even the fully throttled hall (dcplan.thermal_plant.plant_hourly).

Throttling sheds at most ``(1 - throttle_power_frac)`` of the IT (every GPU throttled). Before,
``throttle_frac`` was clipped at 1 silently and ``derate_kw`` was documented as "what throttling
sheds", while in such hours it was up to twice that (the tester's Phoenix W32 dry-cooled plant:
3,417 h, 18.4 GWh derate of which throttling could shed 8.7 GWh). The heat throttling cannot shed
is now its own column, ``throttled_overload_kw``, counted in the summary, and warned of once.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import DcplanWarning

# W32 liquid loop on a dry cooler without trim chiller; the air loop (15 % of the IT heat) free on
# its cooling tower at a 5 degC wet bulb, so only the liquid loop limits
PLANT = {"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry", "trim_chiller": False}


def _weather(db):
    idx = pd.date_range("2025-07-01 01:00", periods=len(db), freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": np.asarray(db, float), "temp_wet_bulb_degc": 5.0}, index=idx)


def test_heat_throttling_cannot_shed_is_its_own_column_and_warned_once():
    """Hand calc (as tests/test_thermal_plant.py's dry-cooler derate): the liquid loop carries
    1.1 x 0.85 x 1,000 = 935 kW of IT heat at nameplate and ``935 (32 - Tdb) / 8`` kW free (8 K
    approach), i.e. ``1,100 (32 - Tdb) / 8`` kW of IT, capped at 1,100; the air loop (free on its tower) holds
    its nameplate, the x with 0.15 x + L(x) = 1.1 (150 + L(1000)), L the chain's losses AT x: 1,097.70 kW
    (tests/test_thermal_plant.py's design-conditions test). Tdb 20, 26, 28, 30 degC ->
    capacity 1,097.70, 825, 550, 275 kW at 1,000 kW IT. Derate ``1000 - cap`` = 0, 175, 450, 725 kW;
    throttling sheds at most 0.4 x 1,000 = 400 kW, so the throttled hall (600 kW) is above capacity
    by ``max(0, 600 - cap)`` = 0, 0, 50, 325 kW (throttled_overload_kw), 2 h and 375 kWh;
    throttle_frac = derate / 400 capped at 1 = 0, 0.4375, 1, 1, so throttled_frac (IT-weighted,
    equal IT) = 2.4375 / 4 = 0.609375. Tolerance: float rounding of the loop sums (1e-9 kW)."""
    with pytest.warns(DcplanWarning) as rec:
        h = thermal.plant_hourly(1000.0, _weather([20.0, 26.0, 28.0, 30.0]), PLANT)
    msgs = [str(w.message) for w in rec if issubclass(w.category, DcplanWarning)]
    assert len(msgs) == 1   # once per call, not per hour
    from scipy.optimize import brentq
    from dcplan.power import electrical_losses_kw

    def loss(x):
        return float(electrical_losses_kw(x, rated_kw=1000.0))
    air_it = brentq(lambda x: 0.15 * x + loss(x) - 1.1 * (150.0 + loss(1000.0)), 1000.0, 1100.0, xtol=1e-10)
    assert air_it == pytest.approx(1097.70, abs=0.005)
    np.testing.assert_allclose(h["capacity_it_kw"], [air_it, 825.0, 550.0, 275.0], rtol=0, atol=1e-7)
    np.testing.assert_allclose(h["derate_kw"], [0.0, 175.0, 450.0, 725.0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(h["throttled_overload_kw"], [0.0, 0.0, 50.0, 325.0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(h["throttle_frac"], [0.0, 0.4375, 1.0, 1.0], rtol=0, atol=1e-12)
    # what throttling sheds: derate less the overload, never above 0.4 x IT
    np.testing.assert_allclose(h["derate_kw"] - h["throttled_overload_kw"], [0.0, 175.0, 400.0, 400.0],
                               rtol=0, atol=1e-9)
    s = thermal.plant_summary(h)
    assert s["derate_h"] == 3 and s["throttled_overload_h"] == 2
    assert s["throttled_overload_kwh"] == pytest.approx(375.0, abs=1e-6)
    assert s["throttled_frac"] == pytest.approx(0.609375, abs=1e-12)
    assert list(thermal.derate_hours(h)["throttled_overload_kw"]) == pytest.approx([0.0, 50.0, 325.0], abs=1e-9)
    m = msgs[0]
    # the hours, the heat throttling cannot shed, the worst hour's figures and the remedies
    assert "in 2 h (first 2025-07-01 03:00:00-07:00)" in m
    assert "375 kWh of the 1,350 kWh derate cannot be shed by throttling" in m
    assert ("Worst hour 2025-07-01 04:00:00-07:00: IT 1,000 kW, capacity 275 kW, throttled hall 600 kW, "
            "325 kW the plant cannot remove even throttled") in m
    # the worst hour's dry bulb, 30 degC, is the W32 loop's 30 degC supply, but the plant lets the supply drift to
    # the class maximum, 32 degC, before it derates: its capacity there is 275 kW > 0 (hand calc above), 1,100 x
    # (32 - 30) / 8 per nameplate, so a 4 x larger dry cooler carries the 1,000 kW: a larger plant is advised. (It
    # said "no dry cooler of any size can make that water" here until 2026-12, testing against the 30 degC supply.)
    assert "margin_frac" in m and "trim_chiller: true" in m and "heat_rejection: tower" in m
    assert "of any size" not in m
    assert "a warmer liquid loop (liquid_class W40 or W45, if the servers allow it)" in m


def test_no_rejector_of_any_size_only_at_or_above_the_class_maximum():
    """Dry bulb 33 degC is above the W32 class maximum (32 degC): capacity 1,100 x max(0, 32 - 33) / 8 = 0 kW
    (hand calc of the test above), and no dry cooler of any size makes water below the air it is cooled by, so a
    larger plant is not advised there; a trim chiller, towers and a warmer loop are."""
    with pytest.warns(DcplanWarning) as rec:
        h = thermal.plant_hourly(1000.0, _weather([20.0, 33.0]), PLANT)
    assert h["capacity_it_kw"].iloc[1] == pytest.approx(0.0, abs=1e-9)
    m = [str(w.message) for w in rec if issubclass(w.category, DcplanWarning)][0]
    assert ("(in that hour the dry bulb, 33.0 degC, is at or above the 32 degC class maximum of the liquid supply: "
            "no dry cooler of any size can make that water, so a larger plant does not help)") in m
    assert "margin_frac" not in m and "trim_chiller: true" in m and "heat_rejection: tower" in m


def test_a_derate_throttling_can_shed_does_not_warn():
    """Capacity 825 kW at 26 degC (hand calc above) is above the throttled hall's 600 kW: a derate
    of 175 kW that throttling sheds, no overload and no warning (DcplanWarning is an error here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        h = thermal.plant_hourly(1000.0, _weather([26.0, 26.0]), PLANT)
    assert h["derate_kw"].iloc[0] == pytest.approx(175.0, abs=1e-9)
    assert (h["throttled_overload_kw"] == 0.0).all()
    s = thermal.plant_summary(h)
    assert s["throttled_overload_h"] == 0 and s["throttled_overload_kwh"] == 0.0


def test_throttle_power_frac_sets_the_overload():
    """At throttle_power_frac 0.2 the throttled hall is 200 kW: capacity 275 kW at 30 degC holds it
    (no overload), though the 725 kW derate needs 725 / 800 = 0.906 of the GPUs throttled."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        h = thermal.plant_hourly(1000.0, _weather([30.0, 30.0]), PLANT, throttle_power_frac=0.2)
    assert h["throttled_overload_kw"].iloc[0] == 0.0
    assert h["throttle_frac"].iloc[0] == pytest.approx(725.0 / 800.0, abs=1e-12)


def test_overload_advice_keeps_a_larger_plant_when_the_rejector_can_make_the_water():
    """Worst hour at 29 degC dry bulb, below the W32 loop's 30 degC supply: capacity 1,100 (32 - 29) / 8
    = 412.5 kW of IT (hand calc above), under the 600 kW throttled hall, so the warning fires; a larger dry
    cooler (smaller approach at the hour's heat) can still carry more there, so it is advised."""
    with pytest.warns(DcplanWarning) as rec:
        thermal.plant_hourly(1000.0, _weather([20.0, 26.0, 28.0, 29.0]), PLANT)
    m = [str(w.message) for w in rec if issubclass(w.category, DcplanWarning)][0]
    assert "capacity 412 kW" in m or "capacity 413 kW" in m
    assert "a larger plant (margin_frac, design_it_kw)" in m and "no dry cooler of any size" not in m
