"""Tests of the heat-rejection nameplate and the server-fan uplift fixed point of the hourly
cooling plant (dcplan.thermal_plant / thermal_plant_loop).

Every expected number is a hand calculation from the equations in the module docstrings of
``dcplan.thermal_plant_loop`` ("design heat rejection", economizer fixed point, fan power)
and ``dcplan.thermal_plant`` ("IT fans"), with the defaults of ``data/cooling_defaults.csv``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal, thermal_plant, thermal_water
from dcplan.errors import DcplanWarning

from test_tower_merkel_ref import ACC, approach, root

AIR = {"type": "air", "liquid_class": None}
#: a bare air loop: no margin, no CRAH fan or CHW pump (k = 0, so Q = IT), no tower-water
#: pumps (Qrej carries no pump heat) and the chiller COP capped at 5, its rated COP 5 too (a cap below the rated
#: COP is refused; rated 5 scales the Carnot fraction by 5 / 6.28: the design COP at the
#: design wet bulb 25.5 degC is 11.60 x 5 / 6.28 = 9.23 uncapped, so COP_d = 5 and every warm hour runs at 5)
BARE = dict(electrical_losses_kw=0.0, margin_frac=0.0, crah_fan_kw_per_kw=0.0, chw_pump_kw_per_kw=0.0,
            cw_pump_kw_per_kw=0.0, chiller_cop_rated_water=5.0, chiller_cop_max=5.0)
def _l_per_kwh(db, wb, p=101325.0):
    """Tower make-up water per kWh rejected at dry bulb ``db``, wet bulb ``wb``, pressure ``p``:
    the SaturatedExit evaporation of dcplan.thermal_water (worked by hand in
    tests/test_thermal_water.py) at the default L/G 1.6 and range 5.6 K, x cycles 4 / 3. Used
    here only to read the heat a tower rejects back from ``water_l``. [L/kWh]"""
    return thermal_water.tower_evaporation_l_per_kwh(db, wb, p, lg_ratio=1.6, range_k=5.6) * 4.0 / 3.0


def _weather(db, wb, hours=4, start="2025-07-01 01:00"):
    idx = pd.date_range(start, periods=hours, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": np.broadcast_to(np.asarray(db, float), hours),
                         "temp_wet_bulb_degc": np.broadcast_to(np.asarray(wb, float), hours)}, index=idx)


# ------------------------------------------------------------------ tower nameplate = condenser heat
def test_tower_nameplate_is_design_condenser_heat_cop5(heat_probe):
    """Design IT 1000 kW, bare loop: Qd = 1000 kW, COP_d = 5. A tower serving the chiller
    rejects the evaporator load plus the compressor work at design, Qd (1 + 1/COP_d) = 1.2 Qd
    = 1200 kW (EnergyPlus CoolingTower:SingleSpeed, nominal capacity x 1.25 for COP 4;
    ASHRAE Handbook condenser heat). Its fans draw 0.0127 kW per kW of that nameplate at
    full speed: 15.24 kW.
    * design hour (IT 1000, wet bulb 25.5, no economizer): chiller 200 kW, the tower rejects
      1200 kW (read back from the tower water, 1200 x _l_per_kwh(35, 25.5)), fans 15.24 kW;
    * half load (IT 500) on the same hour: the compressor runs, so the fans still run at full
      speed and draw 15.24 kW (sized on Qd and scaled max(Qrej, Qd), the old model drew
      0.0127 x 1000 = 12.7 kW); the tower rejects 500 x 1.2 = 600 kW.
    Tolerance: float rounding."""
    hot = _weather(35.0, 25.5)
    full = thermal.plant_hourly(1000.0, hot, AIR, **BARE)
    half = thermal.plant_hourly(500.0, hot, AIR, design_it_kw=1000.0, **BARE)
    for h, it in ((full, 1000.0), (half, 500.0)):
        assert h["economizer_frac"].eq(0.0).all() and h["derate_kw"].eq(0.0).all()
        assert h["it_fan_uplift_kw"].eq(0.0).all()
        np.testing.assert_allclose(h["chiller_kw"], it / 5.0, rtol=1e-12)
        np.testing.assert_allclose(h["water_l"] / _l_per_kwh(35.0, 25.5), 1.2 * it, rtol=1e-12)   # condenser heat
        np.testing.assert_allclose(h["fans_kw"], 0.0127 * 1200.0, rtol=1e-12)         # nameplate, full speed
        np.testing.assert_allclose(h["pumps_kw"], 0.0, atol=1e-12)
        np.testing.assert_allclose(h["facility_kw"], it + it / 5.0 + 15.24, rtol=1e-12)


def test_free_cooling_tower_rejects_the_loop_heat_only(heat_probe):
    """Cold hour (wet bulb -6 degC), IT 1000, bare loop: no compressor, so the tower rejects just
    the loop heat, 1000 kW. The tower is still the 1200 kW one (its nameplate is set by the
    design hour): its approach at full airflow with 1000 / 1200 of its design heat at -6 degC wet
    bulb is the Merkel A = 14.0374 K (selected for 3.9 K at 25.5 degC; a 3.9 x approach gave 3.25 K,
    speed 0.1383 -> the 0.2 minimum, 0.12192 kW), needed speed 14.0374 / (CHW 19 - HX 1.5 - (-6)) =
    0.59734 (approach ~ 1 / airflow); fan power 0.0127 x 1200 x 0.59734^3 = 3.2482 kW. Tolerance: the
    approach table's 0.03 K, 3 x 0.03 / 14.04 of the fan power; the water: float rounding."""
    h = thermal.plant_hourly(1000.0, _weather(-5.0, -6.0), AIR, **BARE)
    assert h["free_cooling"].all() and h["economizer_frac"].eq(1.0).all()
    np.testing.assert_allclose(h["water_l"] / _l_per_kwh(-5.0, -6.0), 1000.0, rtol=1e-12)
    a = approach(-6.0, 1000.0 / 1200.0)
    assert (a, a / 23.5, 0.0127 * 1200.0 * (a / 23.5) ** 3) == pytest.approx((14.0374, 0.59734, 3.2482), abs=1e-4)
    np.testing.assert_allclose(h["fans_kw"], 0.0127 * 1200.0 * (a / 23.5) ** 3, rtol=3.0 * ACC / a)


def test_partial_economizer_sees_the_compressor_heat_in_the_tower_water(heat_probe):
    """Mild hour (wet bulb 15 degC), IT 1000, bare loop, COP 5 (capped). The tower water that
    feeds the plate HX carries the loop heat and this hour's compressor heat:
    Tfree = 15 + 1.5 + A(15, x), x = (1000 + (1 - e) 1000 / 5) / 1200, and e = (24.5 - Tfree) / 5.5,
    with A the Merkel approach of the tower selected for 3.9 K at 25.5 degC. By bisection on e:
    e = 0.166360, x = 0.972273, A = 7.0850 K; chiller (1 - e) 1000 / 5 = 166.728 kW, Qrej = 1166.728 kW.
    (A 3.9 x approach: e = 0.845361, chiller 30.928 kW; the older model, tower sized on Qd and fed the
    loop heat only: Tfree = 15 + 1.5 + 3.9 = 20.4, e = 0.727273.) The fixed point is checked on the
    model's own outputs: e == (24.5 - (16.5 + A(15, Qrej / 1200))) / 5.5 with Qrej read from the tower
    water and A the model's approach function. Tolerance: the approach table's 0.03 K, 0.03 / 5.5 on e;
    the read-back: the tower-water fixed point's 1e-9 K; the 6-decimal figures to 1e-6."""
    from dcplan.thermal_tower_merkel import tower_approach_k
    h = thermal.plant_hourly(1000.0, _weather(20.0, 15.0), AIR, **BARE)
    e = root(lambda e: e - (8.0 - approach(15.0, (1000.0 + (1.0 - e) * 200.0) / 1200.0)) / 5.5, 0.0, 1.0)
    x = (1000.0 + (1.0 - e) * 200.0) / 1200.0
    assert (e, x, approach(15.0, x)) == pytest.approx((0.166360, 0.972273, 7.085018), abs=1e-6)
    np.testing.assert_allclose(h["economizer_frac"], e, atol=ACC / 5.5)
    np.testing.assert_allclose(h["chiller_kw"], (1.0 - h["economizer_frac"]) * 1000.0 / 5.0, rtol=1e-12)
    q_rej = h["water_l"] / _l_per_kwh(20.0, 15.0)
    np.testing.assert_allclose(q_rej, 1000.0 + (1.0 - h["economizer_frac"]) * 200.0, rtol=1e-12)
    np.testing.assert_allclose(h["economizer_frac"], (24.5 - (16.5 + tower_approach_k(15.0, q_rej.to_numpy() / 1200.0)))
                               / 5.5, atol=1e-9)
    # compressor running: tower fans at full speed on the nameplate
    np.testing.assert_allclose(h["fans_kw"], 0.0127 * 1200.0, rtol=1e-12)


def test_tower_nameplate_with_default_movers_and_a_trim_chiller():
    """Default movers (air loop k = 0.05995, tower-water pumps 0.9 x 0.0093 to the tower), no
    losses, design IT 1000: Qd = 1.1 x 1000 / 0.94005 = 1170.150 kW, COP_d = 11.5960 (rated 6.28), Qrej_d =
    Qd (1 + 1/COP_d) / 0.99163 = 1281.789 kW; the design hour at 1000 kW draws 0.0127 Qrej_d.
    A liquid W32 tower loop with a half-size trim chiller (the floor trim_chiller_min_frac 0.5: at
    the AHRI 25.5 degC design wet bulb its tower and plate HX deliver 25.5 + 3.9 + 1.5 = 30.9 degC,
    so the economizer carries e_d = (40 - 30.9) / 10 = 0.91 of the loop and 1 - e_d < 0.5) rejects at
    most the loop heat plus the trim chiller's compressor work at its rated capacity:
    Qrej_d = (Qd_liq + 0.5 Qd_liq / 12) / 0.99163, Qd_liq = 1.1 x 850 / (1 - 0.018) =
    952.138 kW, COP_d = 12 (capped: lift 35 - 30 = 5 K) -> 1000.182 kW; without the trim chiller
    Qd_liq / 0.99163 = 960.175 kW. Compared through the fan power of a cold hour (wet bulb -10 degC;
    air loop and liquid loop both free; difference of the two plants = liquid tower only): the liquid
    tower rejects Q_liq / 0.99163 = x Qrej_d, x = 0.872727 (with the trim chiller) or 0.909091, at full
    airflow with the Merkel approach A(-10, x) = 16.1366 / 16.6052 K (tower selected for 3.9 K at 25.5
    degC), so its fans turn at A / (30 - 1.5 + 10) = 0.419133 / 0.431303 and draw 0.0127 Qrej_d s^3:
    difference -0.043093 kW (the bigger tower turns slower). Tolerance: the approach table's 0.03 K in
    each A (bounds on the difference)."""
    cop_d = 6.28 * (35 - 6.7) / 279.85 * 292.15 / 16.0
    qd = 1.1 * 1000.0 / (1.0 - 0.05995)
    q_rej_d = qd * (1.0 + 1.0 / cop_d) / (1.0 - 0.9 * 0.0093)
    assert (qd, q_rej_d) == pytest.approx((1170.150, 1281.789), abs=1e-3)
    h = thermal.plant_hourly(1000.0, _weather(35.0, 25.5), AIR, electrical_losses_kw=0.0)
    assert h["economizer_frac"].eq(0.0).all()
    np.testing.assert_allclose(h["fans_kw"], 0.046 * 1000.0 / 0.94005 + 0.0127 * q_rej_d, rtol=1e-12)

    qd_liq = 1.1 * 850.0 / (1.0 - 0.9 * 0.02)
    with_trim = (qd_liq + 0.5 * qd_liq / 12.0) / (1.0 - 0.9 * 0.0093)
    without = qd_liq / (1.0 - 0.9 * 0.0093)
    assert (qd_liq, with_trim, without) == pytest.approx((952.138, 1000.182, 960.175), abs=1e-3)
    cold = _weather(-5.0, -10.0)
    w32 = {"type": "liquid", "liquid_class": "W32"}
    a = thermal.plant_hourly(1000.0, cold, {**w32, "trim_chiller": True}, electrical_losses_kw=0.0)
    assert (a.attrs["plant"]["trim_chiller_frac"], a.attrs["plant"]["trim_chiller_basis"]) == (0.5, "floor")
    b = thermal.plant_hourly(1000.0, cold, w32, electrical_losses_kw=0.0)
    assert a["free_cooling"].all() and b["free_cooling"].all()
    q_rej = 850.0 / (1.0 - 0.9 * 0.02) / (1.0 - 0.9 * 0.0093)

    def fans(q_rej_d, da):
        return 0.0127 * q_rej_d * ((approach(-10.0, q_rej / q_rej_d) + da) / 38.5) ** 3
    assert (q_rej / with_trim, q_rej / without) == pytest.approx((0.872727, 0.909091), abs=1e-6)
    assert fans(with_trim, 0.0) - fans(without, 0.0) == pytest.approx(-0.043093, abs=1e-6)
    diff = (a["fans_kw"] - b["fans_kw"]).to_numpy()
    assert (diff >= fans(with_trim, -ACC) - fans(without, ACC)).all()
    assert (diff <= fans(with_trim, ACC) - fans(without, -ACC)).all()


def test_dry_cooler_nameplate_is_the_loop_heat_and_fans_stop_when_bypassed():
    """A dry cooler in series with an air-cooled trim chiller: the chiller rejects its own heat,
    so the dry cooler's nameplate stays the liquid loop's Qd_liq = 1.1 x 850 / 0.982 =
    952.138 kW. Free hour (dry bulb 10 degC, IT 1000): needed speed 8 x (850/0.982) / Qd_liq /
    (30 - 10) = 0.36364, fan 0.02 x Qd_liq x 0.36364^3, the same with or without the trim
    chiller. Hot hour (dry bulb 45 degC): Tfree = 45 + 8/1.1 > return 40 -> economizer 0, the
    dry cooler has nothing to reject and is bypassed: its fans are off (the old model ran them
    at full speed, 0.02 x 952.138 = 19.04 kW, for no heat). The dry cooler's fan power is the
    change in fans_kw when drycooler_fan_kw_per_kw is set to 0. Tolerance: float rounding."""
    dry = {"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry"}
    qd_liq = 1.1 * 850.0 / (1.0 - 0.9 * 0.02)
    speed = 8.0 * (1.0 / 1.1) / 20.0
    assert (qd_liq, speed) == pytest.approx((952.138, 0.36364), abs=1e-3)
    for trim in (False, True):
        plant = {**dry, "trim_chiller": trim}
        kw = dict(electrical_losses_kw=0.0)
        mild = _weather(10.0, 5.0)
        d = (thermal.plant_hourly(1000.0, mild, plant, **kw)["fans_kw"]
             - thermal.plant_hourly(1000.0, mild, plant, drycooler_fan_kw_per_kw=0.0, **kw)["fans_kw"])
        np.testing.assert_allclose(d, 0.02 * qd_liq * speed ** 3, rtol=1e-9)
    hot = _weather(45.0, 24.0)
    plant = {**dry, "trim_chiller": True}
    h = thermal.plant_hourly(1000.0, hot, plant, electrical_losses_kw=0.0)
    off = thermal.plant_hourly(1000.0, hot, plant, electrical_losses_kw=0.0, drycooler_fan_kw_per_kw=0.0)
    np.testing.assert_allclose(h["fans_kw"], off["fans_kw"], rtol=1e-12)


# ------------------------------------------------------------------ server-fan uplift fixed point
def _inlet_implied_by_uplift(h, it0_kw, fan_frac, n_exp=1.0):
    """Invert U(T) = it0 fan_frac ((1 + 0.1 (T - 27))^n - 1) for T (uplift > 0 only). [degC]"""
    flow = (1.0 + h["it_fan_uplift_kw"] / (it0_kw * fan_frac)) ** (1.0 / n_exp)
    return 27.0 + (flow - 1.0) / 0.1


@pytest.mark.parametrize("n_exp", [1.0, 3.0], ids=["linear-fan", "affinity-fan"])
def test_reported_inlet_is_the_inlet_the_uplift_used(n_exp):
    """Hot hour (40 / 27 degC), air plant at half size (margin -0.5), IT 1000 kW: the inlet
    runs above the 27 degC knee. The inlet the reported uplift implies (the formula inverted)
    equals the reported inlet within the fixed point's 1e-4 K. The old code took the uplift
    from a first-pass inlet and reported a second-pass inlet: 0.020 K apart here with linear
    fans (28.0054 reported, 27.9857 implied), 0.064 K with affinity-law fans (exponent 3).
    The heat balance holds at the fixed point: heat_load = (IT + uplift + losses) /
    (1 - 0.05995), facility = IT + losses + cooling. Tolerance: the stated 1e-4 K; rounding
    for the balances."""
    w = _weather(40.0, 27.0)
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"):   # half size < 0.6 x IT
        h = thermal.plant_hourly(1000.0, w, AIR, margin_frac=-0.5, server_fan_power_exp=n_exp)
    assert (h["temp_inlet_degc"] > 27.0).all() and (h["it_fan_uplift_kw"] > 0).all()
    implied = _inlet_implied_by_uplift(h, 1000.0, 0.08, n_exp)
    np.testing.assert_allclose(implied, h["temp_inlet_degc"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(h["it_kw"], 1000.0 + h["it_fan_uplift_kw"], rtol=1e-12)
    np.testing.assert_allclose(h["heat_load_kw"], (h["it_kw"] + h["electrical_losses_kw"]) / 0.94005, rtol=1e-12)
    np.testing.assert_allclose(h["facility_kw"], h["it_kw"] + h["electrical_losses_kw"] + h["cooling_kw"],
                               rtol=1e-12)


def test_uplift_fixed_point_only_touches_hours_above_the_knee():
    """A mix of cold hours at 400 kW IT (inside the half-size plant's 515 kW of heat: no
    shortfall, no uplift) and hot hours at 1000 kW (short, above the knee). The cold hours are
    exactly those of a plant run on the cold hours alone (the fixed point works on the hot
    hours only and leaves the others as computed at it0); the hot hours agree with a run on
    the hot hours alone. The three runs are the same plant: its chiller selection is stated
    (``chiller_design_wb_degc``), since each short frame would otherwise be selected for its own
    hottest hour (27 degC wet bulb in two of them, the AHRI 25.5 degC in the cold one).
    Tolerance: float rounding."""
    db = np.r_[np.full(3, 5.0), np.full(3, 40.0)]
    wb = np.r_[np.full(3, 2.0), np.full(3, 27.0)]
    kw = dict(margin_frac=-0.5, electrical_losses_kw=30.0, design_it_kw=1000.0, chiller_design_wb_degc=27.0)
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"):   # the hot hours
        mixed = thermal.plant_hourly(np.r_[np.full(3, 400.0), np.full(3, 1000.0)], _weather(db, wb, hours=6), AIR,
                                     **kw)
    cold = thermal.plant_hourly(400.0, _weather(5.0, 2.0, hours=3), AIR, **kw)
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"):
        hot = thermal.plant_hourly(1000.0, _weather(40.0, 27.0, hours=3), AIR, **kw)
    assert mixed["it_fan_uplift_kw"].iloc[:3].eq(0.0).all() and (mixed["it_fan_uplift_kw"].iloc[3:] > 0).all()
    cols = ["it_kw", "electrical_losses_kw", "facility_kw", "temp_inlet_degc", "fans_kw", "chiller_kw", "water_l"]
    np.testing.assert_allclose(mixed[cols].iloc[:3].to_numpy(), cold[cols].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(mixed[cols].iloc[3:].to_numpy(), hot[cols].to_numpy(), rtol=1e-12)


def test_uplift_not_converged_warns(monkeypatch):
    """With the pass cap forced to 1 the delivered inlet is still 0.016 K above the one the
    first uplift came from (27.7664 vs 27.75 degC), so the result is flagged as degraded with
    a DcplanWarning naming the tolerance."""
    monkeypatch.setattr(thermal_plant, "_UPLIFT_MAX_PASSES", 1)
    # (a half-size plant is below the fully throttled hall too: that is warned of as well)
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"), \
            pytest.warns(DcplanWarning, match=r"did not converge in 1 passes.*tolerance 0.0001 K"):
        r = thermal.plant_hourly(1000.0, _weather(-5.0, -10.0), AIR, electrical_losses_kw=0.0, margin_frac=-0.5)
    # degraded, not inconsistent: the IT power is the base plus the uplift it reports (the last
    # pass's uplift, not one more step the plant was never run at)
    np.testing.assert_allclose(r["it_kw"] - 1000.0, r["it_fan_uplift_kw"], rtol=1e-12)
