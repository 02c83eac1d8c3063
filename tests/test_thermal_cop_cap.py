"""The chiller COP cap (chiller_cop_max, 12.0, an estimate) is reported where it decides the plant.

A cooling engineer found the 19 degC chilled-water chiller reaches the cap at full load, so the
design-hour PUE rested on it without saying so. The plant's hourly frame now carries each loop's
running COP and the hours (and power) of chillers at the cap; plant_summary counts them.

Hand case: an air plant whose air loop rejects through a dry cooler in series with an air-cooled
chiller, no economizer (the chiller carries the whole loop every hour). The chiller's COP is the
docstring's ``COP = min(COP_max, eta (Ts + 273.15) / (Tdb + A_cond - Ts))`` with ``eta`` fixed by the
AHRI 550/590 air-cooled point ``eta = COP_r (35 + A_cond - 6.7) / (6.7 + 273.15)``; with the CSV's
COP_r 2.96 and A_cond 15 K, eta = 2.96 x 43.3 / 279.85 = 0.458. Ts is the air loop's chilled water
(the server inlet 25 degC less crah_approach_k 6 K = 19 degC, read back from the frame as inlet -
approach). At 5 degC dry bulb the lift is 5 + 15 - 19 = 1 K: Carnot-based COP ~134, above the cap;
at 35 degC it is 31 K: COP ~4.3, below it.
"""
from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from conftest import DATA
from dcplan import thermal

AIR_DRY_NO_ECON = {"type": "air", "liquid_class": None, "air_heat_rejection": "dry", "economizer": False}


def _csv():
    with open(DATA / "cooling_defaults.csv", newline="") as fh:
        return {r["key"]: r for r in csv.DictReader(fh)}


def _weather(dbs):
    idx = pd.date_range("2025-07-01 01:00", periods=len(dbs), freq="h", tz="Etc/GMT+7")
    db = np.asarray(dbs, float)
    return pd.DataFrame({"temp_air": db, "temp_wet_bulb_degc": db - 8.0}, index=idx)


def _uncapped_cop(t_supply, t_db, rows):
    """The docstring's Carnot-fraction COP of an air-cooled chiller, no cap. [-]"""
    cop_r = float(rows["chiller_cop_rated_air"]["value"])
    a_cond = float(rows["aircooled_cond_approach_k"]["value"])
    t_chw_r, t_db_r = float(rows["chiller_rating_chw_degc"]["value"]), float(rows["chiller_rating_db_degc"]["value"])
    eta = cop_r * (t_db_r + a_cond - t_chw_r) / (t_chw_r + 273.15)
    return eta * (t_supply + 273.15) / (t_db + a_cond - t_supply)


@pytest.fixture(scope="module")
def cold_and_hot():
    rows = _csv()
    w = _weather([5.0, 35.0])
    return rows, thermal.plant_hourly(1000.0, w, AIR_DRY_NO_ECON, design_it_kw=1000.0)


def test_a_low_lift_hour_is_counted_at_the_cap_and_a_hot_hour_is_not(cold_and_hot):
    rows, h = cold_and_hot
    cap = float(rows["chiller_cop_max"]["value"])
    assert cap == 12.0 and rows["chiller_cop_max"]["status"] == "estimate"
    assert (h["derate_kw"] == 0).all()   # the plant carries the load: the supply is the setpoint
    t_supply = h["temp_inlet_degc"] - float(rows["crah_approach_k"]["value"])
    assert t_supply.to_numpy() == pytest.approx([19.0, 19.0], abs=1e-9)   # 25 - 6 (CSV), both hours
    cold, hot = (_uncapped_cop(t_supply.iloc[i], db, rows) for i, db in enumerate((5.0, 35.0)))
    assert cold == pytest.approx(133.8, abs=0.1) and cold > cap    # 0.458 x 292.15 / 1 K
    assert hot == pytest.approx(4.32, abs=0.01) and hot < cap      # 0.458 x 292.15 / 31 K
    # the frame's running COP: the cap in the cold hour, the hand Carnot COP in the hot one (float rounding)
    assert h["chiller_cop_air"].to_numpy() == pytest.approx([cap, hot], rel=1e-9)
    assert h["chiller_cop_liquid"].isna().all()   # an air plant: no liquid loop
    assert h["chiller_cop_at_cap"].tolist() == [True, False]
    # no economizer: the chiller removes the whole loop heat, drawing heat / COP (cap 12 in the cold hour)
    assert h["chiller_kw"].to_numpy() == pytest.approx(h["heat_load_kw"].to_numpy() / np.array([cap, hot]), rel=1e-9)
    assert h["chiller_at_cop_cap_kw"].to_numpy() == pytest.approx([h["chiller_kw"].iloc[0], 0.0], rel=1e-12)
    s = thermal.plant_summary(h)
    assert s["chiller_cop_cap_h"] == 1 and s["chiller_cop_max"] == cap
    want = h["chiller_kw"].iloc[0] / h["chiller_kw"].sum()
    assert s["chiller_cop_cap_energy_frac"] == pytest.approx(want, rel=1e-12)
    # the cold hour's chiller energy at COP 12 against the hot hour's at 4.32, same heat: 4.32 / (12 + 4.32)
    assert s["chiller_cop_cap_energy_frac"] == pytest.approx(hot / (cap + hot), rel=1e-3)


def test_the_capped_hours_power_rests_on_the_cap(cold_and_hot):
    """A cap of 10 instead of 12 moves the cold hour's chiller power by 12 / 10 and leaves the hot hour's."""
    rows, h12 = cold_and_hot
    h10 = thermal.plant_hourly(1000.0, _weather([5.0, 35.0]), AIR_DRY_NO_ECON, design_it_kw=1000.0,
                               chiller_cop_max=10.0)
    assert h10["chiller_kw"].iloc[0] == pytest.approx(h12["chiller_kw"].iloc[0] * 12.0 / 10.0, rel=1e-9)
    assert h10["chiller_kw"].iloc[1] == pytest.approx(h12["chiller_kw"].iloc[1], rel=1e-12)
    assert thermal.plant_summary(h10)["chiller_cop_max"] == 10.0


def test_no_hour_at_the_cap_counts_zero_and_columns_are_added_only():
    """A hot frame (35 degC all day): the chiller never reaches the cap; the frame keeps its columns."""
    h = thermal.plant_hourly(1000.0, _weather([35.0] * 4), AIR_DRY_NO_ECON, design_it_kw=1000.0)
    s = thermal.plant_summary(h)
    assert s["chiller_cop_cap_h"] == 0 and s["chiller_cop_cap_energy_frac"] == 0.0
    assert list(h.columns[:4]) == ["it_kw", "it_fan_uplift_kw", "electrical_losses_kw", "heat_load_kw"]
    assert list(h.columns[-4:]) == ["chiller_cop_air", "chiller_cop_liquid", "chiller_cop_at_cap",
                                    "chiller_at_cop_cap_kw"]
    # a frame saved before the columns: the summary still runs, counting none
    old = h.drop(columns=list(h.columns[-4:]))
    old.attrs = h.attrs
    assert thermal.plant_summary(old)["chiller_cop_cap_h"] == 0


def test_water_cooled_chiller_at_19_degc_reaches_the_cap_at_a_mild_wet_bulb():
    """The cooling engineer's case: a water-cooled chiller at 19 degC chilled water and a 15 degC wet bulb
    (tower water ~wet bulb + approach; lift well below 15 K) sits at the cap; chiller_cop says 12 exactly.
    eta (water) = 6.28 x (29.4 + 5.6 - 6.7) / 279.85 = 0.6351; the cap binds below a lift of
    0.6351 x 292.15 / 12 = 15.46 K, i.e. a condenser below 34.46 degC: 15 + A + 5.6 with A < 13.86 K."""
    assert thermal.chiller_cop(19.0, 15.0, "water") == 12.0
    # and at the 25.5 degC design wet bulb with the 3.9 K design approach the lift is 25.5 + 3.9 + 5.6 - 19 = 16 K:
    # COP 0.6351 x 292.15 / 16 = 11.60, just under the cap
    assert thermal.chiller_cop(19.0, 25.5, "water") == pytest.approx(6.28 * 28.3 / 279.85 * 292.15 / 16.0, rel=1e-3)
