"""The tower water's air is the tower fans' air (design airflow x fan speed, EnergyPlus's), 2026.

Hand psychrometrics here (ASHRAE Fundamentals 2017 ch. 1: Hyland-Wexler eq. 6, eqs. 22, 30, 33;
the leaving air solved by bisection), independent of dcplan.thermal_water's Newton solve.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal, thermal_plant
from dcplan.thermal_water import tower_evaporation_l_per_kwh

DH = 1.6 * 4.186 * 5.6          # design air enthalpy rise, L/G x c_pw x range [kJ/kg]
P = 101325.0


def _ws(t):
    tk = t + 273.15
    pws = math.exp(-5.8002206e3 / tk + 1.3914993 - 4.8640239e-2 * tk + 4.1764768e-5 * tk ** 2
                   - 1.4452093e-8 * tk ** 3 + 6.5459673 * math.log(tk))
    return 0.621945 * pws / (P - pws)


def _evap_kg_per_kg_air(tdb, twb, dh):
    """W_out - W_in of air entering at (tdb, twb), leaving saturated dh kJ/kg richer (above 0 degC)."""
    w_in = ((2501 - 2.326 * twb) * _ws(twb) - 1.006 * (tdb - twb)) / (2501 + 1.86 * tdb - 4.186 * twb)
    h_out = 1.006 * tdb + w_in * (2501 + 1.86 * tdb) + dh
    lo, hi = -20.0, 60.0
    for _ in range(80):
        m = 0.5 * (lo + hi)
        lo, hi = (m, hi) if 1.006 * m + _ws(m) * (2501 + 1.86 * m) < h_out else (lo, m)
    return _ws(lo) - w_in


def test_full_fan_speed_at_half_heat_passes_twice_the_air():
    """Hot dry hour (40 / 21 degC), a tower rejecting half its design heat with its fans at full
    speed: air = Qrej_d / dh, twice the design-ratio air Qrej / dh; each kg rises dh / 2. Evaporation
    per kWh = 3600 dW(dh/2) / (dh/2) by hand, to 1e-5; more than at the design ratio (air_ratio 1),
    as more dry air through the same water evaporates more."""
    full = tower_evaporation_l_per_kwh(40.0, 21.0, lg_ratio=1.6, range_k=5.6, air_ratio=2.0)
    assert full == pytest.approx(3600 * _evap_kg_per_kg_air(40.0, 21.0, DH / 2) / (DH / 2), rel=1e-5)
    design = tower_evaporation_l_per_kwh(40.0, 21.0, lg_ratio=1.6, range_k=5.6)
    assert design == pytest.approx(3600 * _evap_kg_per_kg_air(40.0, 21.0, DH) / DH, rel=1e-5)
    assert full > 1.1 * design


def test_plant_water_is_of_the_air_its_fans_move(monkeypatch):
    """A day of chiller hours (35 / 25.5 degC) at 60 % of the design IT: the tower's fans run at full
    speed (a compressor runs), so its air is the design airflow Qrej_d / dh and the evaporation
    Qrej x 3600 dW(dh Qrej / Qrej_d) / (dh Qrej / Qrej_d), by hand, x 4/3 for blowdown (4 cycles)."""
    real, seen = thermal_plant._tower_evaporation_l, []

    def spy(q, speed, q_design, *rest):
        seen.append((np.array(q), np.array(speed), q_design))
        return real(q, speed, q_design, *rest)
    monkeypatch.setattr(thermal_plant, "_tower_evaporation_l", spy)
    idx = pd.date_range("2025-07-01 01:00", periods=24, freq="h", tz="Etc/GMT+7")
    w = pd.DataFrame({"temp_air": 35.0, "temp_wet_bulb_degc": 25.5}, index=idx)
    h = thermal.plant_hourly(600.0, w, {"type": "air", "liquid_class": None}, design_it_kw=1000.0,
                             electrical_losses_kw=30.0)
    (q_rej, speed, q_design), = seen
    assert (h["chiller_kw"] > 0).all() and (speed == 1.0).all()
    x = q_rej / q_design
    assert 0.4 < x[0] < 0.8
    dh = DH * x[0]
    want = q_rej[0] * 3600 * _evap_kg_per_kg_air(35.0, 25.5, dh) / dh * 4.0 / 3.0
    np.testing.assert_allclose(h["water_l"], want, rtol=1e-5)
    # the air following the heat (the pre-2026 model) would evaporate less
    old = q_rej[0] * 3600 * _evap_kg_per_kg_air(35.0, 25.5, DH) / DH * 4.0 / 3.0
    assert h["water_l"].iloc[0] > old
