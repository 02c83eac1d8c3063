"""Tests of the chiller's condensing temperature and of hours short of capacity in the hourly
cooling plant (dcplan.thermal_plant / thermal_plant_loop).

Every expected number is a hand calculation of one hour from the equations in the module
docstring of ``dcplan.thermal_plant_loop`` ("tower water", chiller COP, "hours short of
capacity"), with the defaults of ``data/cooling_defaults.csv``:

* Carnot fraction ``eta = 6.28 (35 - 6.7) / 279.85 = 0.635069`` (AHRI 550/590: COP 6.28 at
  6.7 degC chilled water, 29.4 + 5.6 = 35 degC condensing); at the air loop's 19 degC chilled
  water ``E = eta x 292.15 = 185.5353`` and ``COP = min(12, E / (Tcond - 19))``;
* design COP ``COP_d = E / (25.5 + 3.9 + 5.6 - 19) = E / 16 = 11.5960`` (design wet bulb
  29.4 - 3.9 with the tower at its design heat rejection, full approach 3.9 K): the chiller and
  its tower selected at the AHRI point, stated in ``BARE`` (``chiller_design_wb_degc=25.5``),
  since a frame shorter than a year is otherwise selected for its own hottest hour, here 27 or
  28 degC (``dcplan.thermal_plant_params.chiller_design_conditions``);
* a *bare* air loop (no losses, margin 0, no CRAH fans or pumps: Q = IT) at design IT
  1000 kW: ``Qd = 1000 kW``, tower nameplate ``Qrej_d = Qd (1 + 1/COP_d) = 1086.237 kW``;
  (COP 6.28: the data/cooling_defaults.csv row since 2026-12, 90.1-2016's 0.560 kW/ton; the figures below were
  re-derived for it from the same equations)
* tower water ``Tw = Twb + A(Twb, Qrej / Qrej_d)``, condensing at ``Tw + 5.6``: ``A`` the Merkel approach
  of the tower selected for 3.9 K at 25.5 degC (range 5.6 K, L/G 1.6), from the point-by-point solution
  of tests/test_tower_merkel_ref.py; the plant's table is within its 0.03 K (the tolerances below).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal, thermal_plant_loop, thermal_water
from dcplan.errors import DcplanWarning, InputError
from dcplan.thermal_tower_merkel import tower_approach_k

from test_tower_merkel_ref import ACC, approach, root

AIR = {"type": "air", "liquid_class": None}
BARE = dict(electrical_losses_kw=0.0, margin_frac=0.0, crah_fan_kw_per_kw=0.0, chw_pump_kw_per_kw=0.0,
            cw_pump_kw_per_kw=0.0, chiller_design_wb_degc=25.5)
def _l_per_kwh(db, wb, p=101325.0):
    """Tower make-up water per kWh rejected at dry bulb ``db``, wet bulb ``wb``, pressure ``p``:
    the SaturatedExit evaporation of dcplan.thermal_water (worked by hand in
    tests/test_thermal_water.py) at the default L/G 1.6 and range 5.6 K, x cycles 4 / 3. Used
    here only to read the heat a tower rejects back from ``water_l``. [L/kWh]"""
    return thermal_water.tower_evaporation_l_per_kwh(db, wb, p, lg_ratio=1.6, range_k=5.6) * 4.0 / 3.0
E = 6.28 * (35 - 6.7) / 279.85 * 292.15     # eta x (19 + 273.15) [K]
COP_D = E / 16.0
Q_REJ_D = 1000.0 * (1.0 + 1.0 / COP_D)


def _weather(db, wb, hours=4, start="2025-07-01 01:00"):
    idx = pd.date_range(start, periods=hours, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": np.broadcast_to(np.asarray(db, float), hours),
                         "temp_wet_bulb_degc": np.broadcast_to(np.asarray(wb, float), hours)}, index=idx)


def test_constants_hand_calc():
    # the figures the docstrings below quote; tolerance = their printed decimals
    assert (E, COP_D, Q_REJ_D) == pytest.approx((185.5353, 11.5960, 1086.237), abs=1e-3)


# ----------------------------------------------------------------- chiller_cop(tower_load_frac)
def test_chiller_cop_at_part_tower_load():
    """Tcond = Twb + A(Twb, x) + 5.6 with x = Qrej / Qrej_d and A the Merkel approach of the tower
    selected for 3.9 K at 25.5 degC (chiller_cop's default). Wet bulb 27, x = 0.5: A = 2.0191 K,
    Tcond = 34.6191, COP = E / 15.6191 = 11.8787; x = 1 is the default: A = 3.5048 K (below 3.9 K: warmer
    air than the design), Tcond 36.1048, COP = E / 17.1048 = 10.8470. Wet bulb 25.5, x = 0.5: A = 2.2520 K,
    lift 14.352 K -> E / 14.352 = 12.93, capped at 12. (At the rated COP 6.1: 11.5383 and 10.5361.)
    Array in, array out. Tolerance: the approach table's 0.03 K in the lift."""
    a_half, a_full = approach(27.0, 0.5), approach(27.0, 1.0)
    assert (a_half, a_full, approach(25.5, 0.5)) == pytest.approx((2.0191, 3.5048, 2.2520), abs=1e-4)
    want = [E / (27.0 + a_half + 5.6 - 19.0), E / (27.0 + a_full + 5.6 - 19.0)]
    assert want == pytest.approx([11.8787, 10.8470], abs=1e-4)
    rel = ACC / 15.0
    assert thermal.chiller_cop(19.0, 27.0, "water", tower_load_frac=0.5) == pytest.approx(want[0], rel=rel)
    assert thermal.chiller_cop(19.0, 27.0, "water") == pytest.approx(want[1], rel=rel)
    assert thermal.chiller_cop(19.0, 27.0, "water", tower_load_frac=1.0) == thermal.chiller_cop(19.0, 27.0, "water")
    assert thermal.chiller_cop(19.0, 25.5, "water", tower_load_frac=0.5) == 12.0
    # at the design wet bulb and heat the design approach exactly: COP_d
    assert thermal.chiller_cop(19.0, 25.5, "water") == pytest.approx(COP_D, rel=1e-12)
    cops = thermal.chiller_cop(19.0, 27.0, "water", tower_load_frac=np.array([0.5, 1.0]))
    np.testing.assert_allclose(cops, want, rtol=rel)


def test_chiller_cop_tower_load_frac_is_checked():
    with pytest.raises(InputError, match=r"tower_load_frac.*water-cooled chillers only"):
        thermal.chiller_cop(19.0, 35.0, "air", tower_load_frac=0.5)
    with pytest.raises(InputError, match=r"tower_load_frac.*finite and >= 0"):
        thermal.chiller_cop(19.0, 25.0, "water", tower_load_frac=-0.1)
    with pytest.raises(InputError, match=r"tower_load_frac.*finite and >= 0"):
        thermal.chiller_cop(19.0, 25.0, "water", tower_load_frac=np.array([0.5, np.nan]))


# ------------------------------------------------------ 1. condensing on this hour's tower water
def test_half_load_chiller_hour_condenses_on_the_colder_tower_water(heat_probe):
    """Bare air loop, design IT 1000 kW, hot hour (35 / 27 degC): no economizer (tower water
    above the 24.5 degC return), COP below its cap, no shortfall (COP > COP_d: rated capacity).
    * IT 500 kW: the tower rejects Qrej = 500 (1 + 1/COP), so Tw = 27 + A(27, x) with
      x = 500 (1 + 1/COP) / 1086.237 and A the Merkel approach (tower selected for 3.9 K at 25.5 degC),
      and COP = E / (Tw - 13.4). Bisection on Tw: x = 0.49905, A = 2.01584 K, Tw = 29.01584 degC,
      COP = 11.88122, chiller 500 / COP = 42.0832 kW. The condensing temperature, 34.61584 degC, is below
      the full-heat 27 + A(27, 1) + 5.6 = 36.1048 degC. (At the rated COP 6.1: Tw 29.01576, 43.3248 kW.)
    * the design hour (25.5 degC wet bulb, IT 1000): Qrej = Qrej_d, so Tcond = 35 degC and
      COP = COP_d: chiller 1000 / 11.5960 = 86.2369 kW, as at the full approach.
    Tolerance: the approach table's 0.03 K on Tw (COP relative 0.03 / 15.6); the read-back of the
    model's own fixed point: float rounding; printed figures to their decimals."""
    half = thermal.plant_hourly(500.0, _weather(35.0, 27.0), AIR, design_it_kw=1000.0, **BARE)

    def x_at(t):
        return 500.0 * (1.0 + (t - 13.4) / E) / Q_REJ_D
    t_tw = root(lambda t: t - 27.0 - approach(27.0, x_at(t)), 27.0, 33.0)
    cop = E / (t_tw - 13.4)
    assert (x_at(t_tw), t_tw, cop, 500.0 / cop) == pytest.approx((0.49905, 29.01584, 11.88122, 42.0832), abs=1e-4)
    assert t_tw + 5.6 < 27.0 + approach(27.0, 1.0) + 5.6
    assert cop < 12.0 and cop > COP_D
    assert half["economizer_frac"].eq(0.0).all() and half["derate_kw"].eq(0.0).all()
    np.testing.assert_allclose(half["chiller_kw"], 500.0 / cop, rtol=ACC / 15.6)
    assert (half["chiller_kw"] < 500.0 / (E / (27.0 + approach(27.0, 1.0) + 5.6 - 19.0))).all()  # < at full heat
    cop_run = 500.0 / half["chiller_kw"]
    np.testing.assert_allclose(half["water_l"] / _l_per_kwh(35.0, 27.0), 500.0 * (1.0 + 1.0 / cop_run), rtol=1e-12)
    # read back from the outputs alone: the COP the chiller ran at is the Carnot fraction at the
    # water the tower delivers (the model's approach function) with the heat it rejected (from its evaporation)
    t_from_tower = 27.0 + tower_approach_k(27.0, half["water_l"].to_numpy() / _l_per_kwh(35.0, 27.0) / Q_REJ_D)
    np.testing.assert_allclose(cop_run, E / (t_from_tower + 5.6 - 19.0), rtol=1e-9)   # the fixed point's 1e-9 K

    design = thermal.plant_hourly(1000.0, _weather(35.0, 25.5), AIR, **BARE)   # (to the fixed point's 1e-9 K)
    np.testing.assert_allclose(design["chiller_kw"], 1000.0 / COP_D, rtol=1e-9)
    np.testing.assert_allclose(design["water_l"] / _l_per_kwh(35.0, 25.5), Q_REJ_D, rtol=1e-9)


def test_partial_economizer_with_uncapped_cop_solves_the_quadratic(heat_probe):
    """Both the economizer share and the COP move with the tower water: bare air loop at design
    (IT 1000 kW), wet bulb 13 degC (at 17 degC, as with a 3.9 K approach at any wet bulb, the Merkel
    tower's ~6 K leaves no economizer), COP cap raised to 30 so the COP is not capped (a what-if; the
    design COP 11.5960 is unchanged). With e = clip((23 - Tw) / 5.5, 0, 1), COP = E / (Tw - 13.4) and
    the tower's heat x = (1000 + (1 - e) 1000 / COP) / 1086.237, Tw = 13 + A(13, x) (Merkel, tower
    selected for 3.9 K at 25.5 degC): by bisection x = 0.94103, A = 7.63039 K, Tw = 20.63039 degC,
    e = 0.430837, COP = 25.66047, chiller (1 - e) 1000 / COP = 22.1805 kW. Checked also on the outputs
    alone: e equals the economizer share at the water the tower delivers (the model's approach
    function) with the heat it rejected, and so does the COP. Tolerance: the approach table's 0.03 K on
    Tw (e to 0.03 / 5.5 absolute, the COP to 0.03 / 7.2 relative); the read-back: float rounding."""
    h = thermal.plant_hourly(1000.0, _weather(18.0, 13.0), AIR, chiller_cop_max=30.0, **BARE)

    def x_at(t):
        e = min(1.0, max(0.0, (23.0 - t) / 5.5))
        return (1000.0 + (1.0 - e) * 1000.0 * (t - 13.4) / E) / Q_REJ_D
    t_tw = root(lambda t: t - 13.0 - approach(13.0, x_at(t)), 13.0, 28.0)
    e, cop = (23.0 - t_tw) / 5.5, E / (t_tw - 13.4)
    assert (x_at(t_tw), t_tw, e, cop) == pytest.approx((0.94103, 20.63039, 0.430837, 25.66047), abs=1e-5)
    assert (1.0 - e) * 1000.0 / cop == pytest.approx(22.1805, abs=1e-4)
    np.testing.assert_allclose(h["economizer_frac"], e, atol=ACC / 5.5)
    np.testing.assert_allclose(h["chiller_kw"], (1.0 - e) * 1000.0 / cop, rtol=ACC / 7.2 + ACC / 5.5 / (1.0 - e))
    t_tw = 13.0 + tower_approach_k(13.0, h["water_l"].to_numpy() / _l_per_kwh(18.0, 13.0) / Q_REJ_D)
    np.testing.assert_allclose(h["economizer_frac"], (24.5 - 1.5 - t_tw) / 5.5, atol=1e-9)   # the fixed point's 1e-9 K
    np.testing.assert_allclose((1.0 - h["economizer_frac"]) * 1000.0 / h["chiller_kw"],
                               E / (t_tw + 5.6 - 19.0), rtol=1e-9)


def test_every_hour_of_a_year_sits_on_the_tower_water_fixed_point(weather_chicago, heat_probe):
    """A Chicago year, air plant at constant IT 1000 kW, no losses (so Q = 1000 / (1 - k),
    k = 0.05995, Qd = 1.1 Q). In every hour the outputs satisfy the loop equations at the tower
    water the tower delivers: Tw = Twb + A(Twb, Qrej / Qrej_d) (the model's Merkel approach,
    dcplan.thermal_tower_merkel.tower_approach_k, checked against a point solution in
    tests/test_thermal_tower_merkel.py) with Qrej read from the tower water
    (water_l / _l_per_kwh, the hour's make-up per kWh) and Qrej_d = Qd (1 + 1/COP_d) / (1 - 0.9 x 0.0093);
    e = clip((24.5 - 1.5 - Tw) / 5.5, 0, 1) and, in chiller hours, chiller_kw = (1 - e) Q / COP
    with COP = min(12, E / (Tw + 5.6 - 19)). Free, partial and full-chiller hours, capped and
    uncapped COPs all occur. Tolerance: 1e-9 (float rounding through the water read-back)."""
    w = weather_chicago
    h = thermal.plant_hourly(1000.0, w, AIR, electrical_losses_kw=0.0)
    q = 1000.0 / (1.0 - 0.05995)
    q_rej_d = 1.1 * q * (1.0 + 1.0 / COP_D) / (1.0 - 0.9 * 0.0093)
    wb = w["temp_wet_bulb_degc"].to_numpy()
    t_tw = wb + tower_approach_k(wb, h["water_l"].to_numpy() / _l_per_kwh(
        w["temp_air"].to_numpy(), wb, w["pressure"].to_numpy()) / q_rej_d)
    e = np.clip((23.0 - t_tw) / 5.5, 0.0, 1.0)
    np.testing.assert_allclose(h["economizer_frac"], e, rtol=0, atol=1e-9)
    cop = np.minimum(12.0, E / (t_tw + 5.6 - 19.0))
    on = e < 1.0
    assert on.sum() > 1000 and (~on).sum() > 1000
    assert (cop[on] < 12.0).any() and (cop[on] == 12.0).any() and ((e > 0) & on).any()
    # (the fixed point's 1e-9 K moves e by 2e-10: 2e-8 kW of chiller power, a large share of a tiny one)
    np.testing.assert_allclose(h["chiller_kw"][on], (1.0 - e[on]) * q / cop[on], rtol=1e-9, atol=1e-7)
    assert h["derate_kw"].eq(0.0).all()


# ------------------------------------------------------------ 2. hours short of capacity
def test_short_hour_chiller_draws_power_for_its_capacity_only(heat_probe):
    """Bare air loop at design (IT 1000 kW), wet bulb 28 degC (above the design 25.5): the COP is
    below COP_d, so the chiller's capacity is Qch = 1000 COP / COP_d < Q = 1000 kW: short.
    The chiller removes Qch and draws Qch / COP = 1000 / COP_d = 86.2369 kW (compressor at its
    power limit); the tower rejects Qch + 86.2369 = 1000 (COP + 1) / COP_d, i.e. x = (COP + 1) / (COP_d + 1)
    of its design heat, so Tw = 28 + A(28, x) (Merkel, the tower selected for 3.9 K at 25.5 degC) and
    COP = E / (Tw - 13.4): by bisection COP = 10.51564, x = 0.91423, A = 3.04375 K, Tw = 31.0437 degC,
    Qch = 906.8367 kW. So capacity_it_kw = 906.8367 (Q = IT here), derate 93.1633 kW, and the heat the
    plant does not remove is the shortfall, not tower load: heat rejected + derate + tower fans =
    facility. (At the rated COP 6.1: COP 10.21398, Qch 906.8137 kW. Before the Merkel tower: chiller 1000 / COP(full
    approach, Tcond 37.5 degC) = 1000 / 9.74148 = 102.654 kW,
    tower fed the full 1000 kW.) The supply rises by 5.5 x 0.093 K: inlet 25.51 degC, below the
    27 degC fan knee, no uplift. Tolerance: the approach table's 0.03 K on Tw (COP and Qch to
    0.03 / 17.6 relative); the chiller's power at its limit and the energy balance: the tower-water
    fixed point's 1e-9 K; printed figures to their decimals."""
    h = thermal.plant_hourly(1000.0, _weather(35.0, 28.0), AIR, **BARE)
    cop = root(lambda c: c - E / (28.0 + approach(28.0, (c + 1.0) / (COP_D + 1.0)) - 13.4), 5.0, 12.0)
    x = (cop + 1.0) / (COP_D + 1.0)
    q_ch = 1000.0 * cop / COP_D
    t_tw = 28.0 + approach(28.0, x)
    assert (cop, x, q_ch, t_tw) == pytest.approx((10.51564, 0.91423, 906.8367, 31.0437), abs=1e-4)
    assert cop == pytest.approx(E / (t_tw - 13.4), rel=1e-12)
    assert h["it_fan_uplift_kw"].eq(0.0).all() and (h["temp_inlet_degc"] < 27.0).all()
    np.testing.assert_allclose(h["chiller_kw"], 1000.0 / COP_D, rtol=1e-9)
    rel = ACC / 17.6
    np.testing.assert_allclose(h["capacity_it_kw"], q_ch, rtol=rel)
    np.testing.assert_allclose(h["derate_kw"], 1000.0 - h["capacity_it_kw"], rtol=1e-9)
    q_rej = h["water_l"] / _l_per_kwh(35.0, 28.0)
    np.testing.assert_allclose(q_rej, h["capacity_it_kw"] + 1000.0 / COP_D, rtol=1e-9)
    tower_fans = 0.0127 * Q_REJ_D     # full speed while the compressor runs
    np.testing.assert_allclose(h["fans_kw"], tower_fans, rtol=1e-12)
    np.testing.assert_allclose(q_rej + h["derate_kw"] + tower_fans, h["facility_kw"], rtol=1e-12)
    np.testing.assert_allclose(h["temp_inlet_degc"], 25.0 + 5.5 * (1000.0 - h["capacity_it_kw"]) / 1000.0, rtol=1e-9)
    assert h["temp_inlet_degc"].iloc[0] == pytest.approx(25.0 + 5.5 * (1000.0 - q_ch) / 1000.0, abs=5.5 * rel)


def test_short_hour_air_cooled_trim_chiller_draws_power_for_its_capacity_only():
    """Liquid W32 loop on a dry cooler with a half-size air-cooled trim chiller, dry bulb 45 degC
    (no free cooling: Tfree > return 40 degC; free capacity at 32 degC: none). Air-cooled COP:
    eta_air = 2.96 x (50 - 6.7) / 279.85 = 0.457988, COP_d = eta_air x 303.15 / 20 = 6.94196,
    this hour eta_air x 303.15 / 30 = 4.62797 (Tcond = 45 + 15 = 60 degC). Qd_liq = 1.1 x 850 /
    0.982 = 952.138 kW; capacity Qch = 0.5 Qd_liq x 4.62797 / 6.94196 = 317.3795 kW < the loop's
    865.6 kW: short. The trim chiller draws Qch / COP = 0.5 Qd_liq / COP_d = 68.5785 kW (before:
    the whole loop, 865.6 / 4.62797 = 187.03 kW). IT the liquid loop carries: 317.3795 x 0.982 /
    0.85 = 366.667 kW. The trim chiller's power is the difference to the same plant without it
    (the air loop is the same in both). The trim chiller is selected at the AHRI 35 degC
    (``chiller_design_db_degc=35``; this 4-hour frame would otherwise select it for its own 45 degC,
    where it has its rated capacity), half size by choice (``trim_chiller_frac=0.5``: sized for
    35 degC it would carry the whole loop, the dry cooler's water 35 + 8 = 43 degC being above the
    40 degC return). Tolerance: float rounding; printed figures to decimals."""
    dry = {"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry"}
    w = _weather(45.0, 24.0)
    kw = dict(electrical_losses_kw=0.0, chiller_design_db_degc=35.0, trim_chiller_frac=0.5)
    # both below the fully throttled hall (366.7 and 0 kW < 0.6 x 1000): warned
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"):
        trim = thermal.plant_hourly(1000.0, w, {**dry, "trim_chiller": True}, **kw)
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"):
        none = thermal.plant_hourly(1000.0, w, {**dry, "trim_chiller": False}, **kw)
    eta_air = 2.96 * (50 - 6.7) / 279.85
    cop_d, cop = eta_air * 303.15 / 20.0, eta_air * 303.15 / 30.0
    qd_liq = 1.1 * 850.0 / 0.982
    q_ch = 0.5 * qd_liq * cop / cop_d
    assert (cop_d, cop, q_ch, q_ch / cop) == pytest.approx((6.94196, 4.62797, 317.3795, 68.5785), abs=1e-4)
    np.testing.assert_allclose(trim["chiller_kw"] - none["chiller_kw"], q_ch / cop, rtol=1e-9)
    np.testing.assert_allclose(trim["chiller_kw"] - none["chiller_kw"], 0.5 * qd_liq / cop_d, rtol=1e-9)
    np.testing.assert_allclose(trim["capacity_it_kw"], q_ch * 0.982 / 0.85, rtol=1e-12)
    assert q_ch * 0.982 / 0.85 == pytest.approx(366.667, abs=1e-3)


def test_tower_water_not_settling_warns(monkeypatch):
    """The short hour above needs ~12 substitution passes; with the cap forced to 1 the result
    is flagged as degraded with a DcplanWarning naming the tolerance."""
    monkeypatch.setattr(thermal_plant_loop, "_TOWER_MAX_PASSES", 1)
    with pytest.warns(DcplanWarning, match=r"did not settle in 1 passes in 4 hours \(tolerance 1e-09 K\)"):
        thermal.plant_hourly(1000.0, _weather(35.0, 28.0), AIR, **BARE)


@pytest.fixture(scope="module")
def weather_chicago():
    from conftest import CHICAGO_EPW
    from dcplan.weather import load_weather
    return load_weather(CHICAGO_EPW)
