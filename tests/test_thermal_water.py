"""Cooling-tower water of dcplan.thermal_water: the EnergyPlus SaturatedExit air-side balance.

Every expected figure is derived here from ASHRAE Fundamentals 2017 ch. 1 formulas written out in
this file (Hyland-Wexler saturation pressure over water, eq. 6; humidity ratio, eq. 22; wet-bulb
relation, eq. 33; moist-air enthalpy, eq. 30), solved by a plain bisection of its own, or from a
published rule of thumb; never read back from the module.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dcplan import pipeline, thermal
from dcplan.errors import InputError
from dcplan.site import load_site
from dcplan.thermal_water import tower_evaporation_l_per_kwh, tower_water_l

LG, RANGE_K = 1.6, 5.6          # the defaults (data/cooling_defaults.csv)
DH = LG * 4.186 * RANGE_K       # air enthalpy rise 37.50656 kJ/kg dry air
P0 = 101325.0


def _pws(t):
    """Saturation pressure over liquid water [Pa], Hyland-Wexler (ASHRAE 2017 ch. 1 eq. 6)."""
    tk = t + 273.15
    return math.exp(-5.8002206e3 / tk + 1.3914993 - 4.8640239e-2 * tk + 4.1764768e-5 * tk ** 2
                    - 1.4452093e-8 * tk ** 3 + 6.5459673 * math.log(tk))


def _ws(t, p=P0):
    return 0.621945 * _pws(t) / (p - _pws(t))             # eq. 22 [kg/kg]


def _h(t, w):
    return 1.006 * t + w * (2501.0 + 1.86 * t)             # eq. 30 [kJ/kg dry air]


def _w_from_wb(t, twb, p=P0):
    """Humidity ratio from dry and wet bulb above 0 degC (eq. 33)."""
    return ((2501.0 - 2.326 * twb) * _ws(twb, p) - 1.006 * (t - twb)) / (2501.0 + 1.86 * t - 4.186 * twb)


def _by_hand(t, twb, p=P0, dh=DH):
    """(W_in, h_in, T_out, W_out, L evaporated per kWh) of one hour, by bisection on T_out."""
    w_in = _w_from_wb(t, twb, p)
    h_out = _h(t, w_in) + dh
    lo, hi = 0.01, 60.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if _h(mid, _ws(mid, p)) > h_out else (mid, hi)
    t_out = 0.5 * (lo + hi)
    return w_in, _h(t, w_in), t_out, _ws(t_out, p), 3600.0 * (_ws(t_out, p) - w_in) / dh


def test_saturation_pressure_written_out_matches_steam_tables():
    # vapour pressure of water at 30 degC, 4.2470 kPa (IAPWS-95, e.g. CRC Handbook / NIST
    # webbook); Hyland-Wexler (1983) gives 4.2460: 5e-4 covers the two formulations
    assert _pws(30.0) == pytest.approx(4247.0, rel=5e-4)


def test_one_design_hour_worked_by_hand():
    """35 degC dry bulb, 25.5 degC wet bulb (the AHRI design wet bulb), sea level. By the formulas
    above: W_in = 0.016673 kg/kg, h_in = 77.99 kJ/kg; the air leaves saturated at h_in + 37.507 =
    115.50 kJ/kg, i.e. at 32.83 degC, W_out = 0.032191; evaporation 3600 x 0.015518 / 37.507 =
    1.4894 L per kWh rejected: the whole heat (share 1.005 at h_fg 2430 kJ/kg; the dry bulb 9.5 K
    above the wet bulb adds adiabatic evaporation). Printed figures to their decimals; the
    module to 1e-6 (its Newton stop leaves ~1e-9; the bisection here 1e-12 K)."""
    w_in, h_in, t_out, w_out, l_per_kwh = _by_hand(35.0, 25.5)
    assert w_in == pytest.approx(0.016673, abs=5e-7) and h_in == pytest.approx(77.99, abs=5e-3)
    assert t_out == pytest.approx(32.83, abs=5e-3) and w_out == pytest.approx(0.032191, abs=5e-7)
    assert l_per_kwh == pytest.approx(1.4894, abs=5e-5)
    assert tower_evaporation_l_per_kwh(35.0, 25.5, lg_ratio=LG, range_k=RANGE_K) == pytest.approx(l_per_kwh, rel=1e-6)


def test_saturated_inlet_evaporates_the_saturation_lines_latent_share():
    """Air entering saturated (dry bulb = wet bulb) and leaving saturated stays on the saturation
    line: the water carries most but not all of the heat (the rest warms the air, 30 -> 36.2 degC
    by the hand bisection): 1.1565 L/kWh, share 0.78 at h_fg 2430 kJ/kg; the module to 1e-6."""
    _, _, t_out, _, l_per_kwh = _by_hand(30.0, 30.0)
    assert (t_out, l_per_kwh) == pytest.approx((36.21, 1.1565), abs=5e-3)
    got = tower_evaporation_l_per_kwh(30.0, 30.0, lg_ratio=LG, range_k=RANGE_K)
    assert got == pytest.approx(l_per_kwh, rel=1e-6)
    assert 0.75 < got / 3600.0 * 2430.0 < 1.0


def test_hot_dry_air_evaporates_more_than_the_heat():
    """Phoenix-like hour, 43 degC dry bulb, 21 degC wet bulb: the dry air is cooled by evaporation
    too (it gives sensible heat to the water), so the water carries more than the heat rejected:
    evaporated share > 1 (physical; the former fixed 0.9 could not show it). Cold saturated air
    (2 degC) warms mostly sensibly: share < 0.6."""
    hot = tower_evaporation_l_per_kwh(43.0, 21.0, lg_ratio=LG, range_k=RANGE_K)
    assert hot == pytest.approx(_by_hand(43.0, 21.0)[4], rel=1e-6)
    assert hot * 2430.0 / 3600.0 > 1.1
    cold = tower_evaporation_l_per_kwh(2.0, 2.0, lg_ratio=LG, range_k=RANGE_K)
    assert cold == pytest.approx(_by_hand(2.0, 2.0)[4], rel=1e-6)
    assert cold * 2430.0 / 3600.0 < 0.6


def test_design_condition_agrees_with_the_published_rules_of_thumb():
    """Rules of thumb for a tower at summer design: evaporation 0.00085 x flow x range [degF]
    (Marley / CTI) to 1 % of the flow per 10 degF of range (ASHRAE HVAC S&E, "Cooling Towers").
    Per kWh rejected (flow x 4.186 x range_K): 0.00085 x 1.8 / 4.186 x 3600 = 1.316 L/kWh and
    0.001 x 1.8 / 4.186 x 3600 = 1.548 L/kWh. At 35 / 25.5 degC the balance gives 1.4894: inside."""
    got = tower_evaporation_l_per_kwh(35.0, 25.5, lg_ratio=LG, range_k=RANGE_K)
    assert 0.00085 * 1.8 / 4.186 * 3600 < got < 0.001 * 1.8 / 4.186 * 3600


def test_lower_pressure_evaporates_a_little_more():
    """At 1,000 m (89,875 Pa, ASHRAE eq. 3) the same dry and wet bulb hold slightly more water
    per kg of dry air at saturation: evaporation rises ~2 %; the hand bisection at that pressure."""
    lo = tower_evaporation_l_per_kwh(30.0, 22.0, 89875.0, lg_ratio=LG, range_k=RANGE_K)
    assert lo == pytest.approx(_by_hand(30.0, 22.0, 89875.0)[4], rel=1e-6)
    assert 1.01 < lo / tower_evaporation_l_per_kwh(30.0, 22.0, lg_ratio=LG, range_k=RANGE_K) < 1.04


def test_scalar_array_series_and_blowdown():
    idx = pd.date_range("2025-07-01 01:00", periods=3, freq="h", tz="Etc/GMT+7")
    db, wb = np.array([35.0, 30.0, 43.0]), np.array([25.5, 30.0, 21.0])
    arr = tower_evaporation_l_per_kwh(db, wb, lg_ratio=LG, range_k=RANGE_K)
    ser = tower_evaporation_l_per_kwh(pd.Series(db, index=idx), pd.Series(wb, index=idx), lg_ratio=LG,
                                      range_k=RANGE_K)
    assert isinstance(ser, pd.Series) and ser.index.equals(idx)
    np.testing.assert_allclose(ser.to_numpy(), arr, rtol=0)
    for i in range(3):   # an hour's result does not depend on the other hours in the frame
        assert tower_evaporation_l_per_kwh(db[i], wb[i], lg_ratio=LG, range_k=RANGE_K) == arr[i]
    # make-up = evaporation x cycles / (cycles - 1): blowdown = evaporation / (cycles - 1)
    water = tower_water_l(pd.Series([1000.0, 500.0, 0.0], index=idx), db, wb, lg_ratio=LG, range_k=RANGE_K,
                          cycles=4.0)
    np.testing.assert_allclose(water.to_numpy(), np.array([1000.0, 500.0, 0.0]) * arr * 4.0 / 3.0, rtol=1e-15)
    assert tower_water_l(1000.0, 35.0, 25.5, lg_ratio=LG, range_k=RANGE_K, cycles=2.0) == pytest.approx(
        2000.0 * arr[0], rel=1e-15)


def test_bad_inputs_are_refused():
    kw = dict(lg_ratio=LG, range_k=RANGE_K)
    with pytest.raises(InputError, match=r"lg_ratio: must be in \[0.75, 2.2\]"):
        tower_evaporation_l_per_kwh(30.0, 20.0, lg_ratio=10.0, range_k=RANGE_K)
    with pytest.raises(InputError, match=r"pressure_pa: must be station pressure in Pa"):
        tower_evaporation_l_per_kwh(30.0, 20.0, 1013.25, **kw)           # hPa
    with pytest.raises(InputError, match=r"temp_wet_bulb_degc: wet bulb above the dry bulb"):
        tower_evaporation_l_per_kwh(20.0, 30.0, **kw)
    with pytest.raises(InputError, match=r"temp_air: must be finite"):
        tower_evaporation_l_per_kwh(np.nan, 20.0, **kw)
    with pytest.raises(InputError, match=r"cycles: must be >= 2"):
        tower_water_l(1.0, 30.0, 20.0, cycles=1.5, **kw)
    with pytest.raises(InputError, match=r"tower_lg_ratio.*\[0.75, 2.2\]"):
        thermal.plant_params(None, tower_lg_ratio=0.5)
    with pytest.raises(InputError, match=r"lg_ratio: must be a number, got 'abc'"):
        tower_evaporation_l_per_kwh(30.0, 20.0, lg_ratio="abc", range_k=RANGE_K)
    # the old fixed-share keys: what replaced them, not a did-you-mean to a key of another meaning
    for old in ("tower_latent_frac", "h_fg_kj_per_kg"):
        with pytest.raises(InputError, match=rf"{old}: '{old}' was removed \(2026\): cooling-tower water now follows"):
            thermal.plant_params(None, **{old: 0.9})
    idx = pd.date_range("2025-07-01 01:00", periods=2, freq="h", tz="Etc/GMT+7")
    w = pd.DataFrame({"temp_air": 30.0, "temp_wet_bulb_degc": 20.0, "pressure": 1013.0}, index=idx)
    with pytest.raises(InputError, match=r"weather.pressure: must be station pressure in Pa"):
        thermal.plant_hourly(1000.0, w, {"type": "air", "liquid_class": None})


def test_plant_water_follows_the_hours_air(monkeypatch):
    """Same tower heat, different air: an air plant in free cooling at -5 / -6 degC and the same IT in
    a humid 20 / 19 degC hour reject almost the same heat per kWh of IT, but the cold hour's water per
    kWh rejected is that of its own air (the hand figure below 0 degC needs eq. 35, so the module's
    value is checked against the warm hour's hand figure only), and lower. The tower heat Qrej and the
    fans' speed s are read from the plant's call of the water model; its air is s x the design airflow
    (Qrej_d / dh), so ``air_ratio`` = s Qrej_d / Qrej (2026: before, the air followed the heat, ratio 1)."""
    from dcplan import thermal_plant
    real, seen = thermal_plant._tower_evaporation_l, []

    def spy(q, speed, q_design, *rest):
        seen.append((np.array(q), np.array(speed), q_design))
        return real(q, speed, q_design, *rest)
    monkeypatch.setattr(thermal_plant, "_tower_evaporation_l", spy)
    idx = pd.date_range("2025-01-01 01:00", periods=2, freq="h", tz="Etc/GMT+7")
    w = pd.DataFrame({"temp_air": [-5.0, 20.0], "temp_wet_bulb_degc": [-6.0, 19.0]}, index=idx)
    air = {"type": "air", "liquid_class": None}
    h = thermal.plant_hourly(1000.0, w, air, electrical_losses_kw=50.0)
    (q_rej, speed, q_design), = seen
    assert (speed > 0).all() and (speed <= 1).all()
    ratio = speed * q_design / q_rej
    per_kwh = tower_evaporation_l_per_kwh(w["temp_air"], w["temp_wet_bulb_degc"], lg_ratio=LG, range_k=RANGE_K,
                                          air_ratio=ratio)
    at_design = tower_evaporation_l_per_kwh(w["temp_air"], w["temp_wet_bulb_degc"], lg_ratio=LG, range_k=RANGE_K)
    assert at_design.iloc[1] == pytest.approx(_by_hand(20.0, 19.0)[4], rel=1e-6)
    assert per_kwh.iloc[0] < 0.75 * per_kwh.iloc[1]
    # the plant's water is that make-up on the heat its towers reject (x cycles 4 / 3 for blowdown):
    # read back, that heat closes the energy balance, every kW the site draws ends as heat and an air
    # plant's tower rejects all but its own fan power (a few % of it), in both hours
    np.testing.assert_allclose(h["water_l"], q_rej * per_kwh * 4.0 / 3.0, rtol=1e-12)
    heat_kw = pd.Series(q_rej, index=idx)
    assert ((heat_kw <= h["facility_kw"]) & (heat_kw >= 0.95 * h["facility_kw"])).all(), (heat_kw, h["facility_kw"])
    # so the cold hour's water is lower by its air's share, not by its heat: a fixed share of the heat
    # would give water in the ratio of the heat (> 0.9 here)
    assert heat_kw.iloc[0] / heat_kw.iloc[1] > 0.9
    assert h["water_l"].iloc[0] / h["water_l"].iloc[1] < 0.7


@pytest.mark.slow
def test_site_ranking_follows_the_weather():
    """The tester's psychrometric check (SaturatedExit with a design L/G): over its tower heat
    Chicago's towers evaporate ~22 % less than a fixed 90 % share, Phoenix's 11-33 % more, so the
    WUE ranking of the two reverses: under the fixed share Chicago (2.06 L/kWh) was above Phoenix
    (1.97); with the air-side balance Phoenix is above Chicago. Chicago's heat-weighted share is
    below 0.9 and Phoenix's above it (read as WUE against the fixed share's 1.78 L per kWh
    rejected)."""
    wue = {sid: pipeline.run_site_year(load_site(sid)).cooling["wue_l_per_kwh"] for sid in ("chicago-il", "phoenix-az")}
    assert wue["phoenix-az"] > wue["chicago-il"] * 1.2
    # 2026: the tower's air is its fans' (design airflow x fan speed), not the heat's at the design L/G: more air
    # through the same water, Chicago 1.57 -> 1.62, Phoenix 2.21 -> 2.49 L/kWh (was < 2.4; dry air gains most)
    assert 1.3 < wue["chicago-il"] < 1.8 and 2.3 < wue["phoenix-az"] < 2.7
