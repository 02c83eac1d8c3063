"""Part-load power of the CRAH fans and loop pumps (dcplan.thermal_part_load), and the year plant sized
at the design IT's losses.

A mechanical engineer's findings: CRAH fans and the variable-speed loop pumps were linear in the heat
(``c Q``) while variable-speed movers at part flow draw far less; and the year plant was sized on the
largest hourly losses, not the losses at the design IT (Phoenix's plant 9.4 % above its design IT).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import DcplanWarning, InputError
from dcplan.thermal_part_load import mover_power_frac
from dcplan.thermal_plant_params import cooling_defaults

# ASHRAE 90.1-2016 Appendix G Table G3.1.3.15 Method 2 (VAV fan, fixed static pressure), as NREL
# openstudio-standards implements it; openstudio-standards Pump:VariableSpeed "VSD No Reset"
FAN = (0.0013, 0.1470, 0.9506, -0.0998)
PUMP = (0.0, 0.5726, -0.301, 0.7347)
LINEAR = dict(crah_fan_plr_c0=0.0, crah_fan_plr_c1=1.0, crah_fan_plr_c2=0.0, crah_fan_plr_c3=0.0,
              crah_fan_min_flow_frac=0.0, pump_plr_c0=0.0, pump_plr_c1=1.0, pump_plr_c2=0.0, pump_plr_c3=0.0,
              pump_min_flow_frac=0.0)   # the former law, power = c Q


def _c(coef, x):
    return coef[0] + coef[1] * x + coef[2] * x ** 2 + coef[3] * x ** 3


def _weather(db, wb, hours=4, start="2025-07-01 01:00"):
    idx = pd.date_range(start, periods=hours, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": np.full(hours, float(db)), "temp_wet_bulb_degc": np.full(hours, float(wb))},
                        index=idx)


def test_the_bundled_curves_are_the_published_polynomials():
    v = cooling_defaults()
    assert tuple(v[f"crah_fan_plr_c{i}"] for i in range(4)) == FAN
    assert tuple(v[f"pump_plr_c{i}"] for i in range(4)) == PUMP
    assert (v["crah_fan_min_flow_frac"], v["pump_min_flow_frac"]) == (0.2, 0.25)


@pytest.mark.parametrize("kind, want", [
    # by hand, divided by the curve at x = 1 (fan 0.0013 + 0.1470 + 0.9506 - 0.0998 = 0.9991;
    # pump 0.5726 - 0.301 + 0.7347 = 1.0063) so that the design flow draws the design power:
    # fan  x = 0.5:  0.0013 + 0.0735 + 0.23765 - 0.012475 = 0.299975 -> 0.300245
    #      x = 0.25: 0.0013 + 0.03675 + 0.0594125 - 0.0015594 = 0.0959031 -> 0.0959895
    # pump x = 0.5:  0.2863 - 0.07525 + 0.0918375 = 0.3028875 -> 0.300991
    #      x = 0.25: 0.14315 - 0.0188125 + 0.0114797 = 0.1358172 -> 0.134967 (the 25 % minimum flow itself)
    ("fan", {1.0: 1.0, 0.5: 0.299975 / 0.9991, 0.25: 0.09590313 / 0.9991}),
    ("pump", {1.0: 1.0, 0.5: 0.3028875 / 1.0063, 0.25: 0.13581719 / 1.0063}),
])
def test_curve_at_full_half_and_quarter_flow(kind, want):
    v = cooling_defaults()
    for x, f in want.items():
        assert mover_power_frac(x, v, kind) == pytest.approx(f, rel=1e-6)


def test_floors_above_and_off():
    """Below its minimum flow a mover draws the curve's power there (fan 0.2: 0.0679256 / 0.9991; pump 0.25);
    above the design flow the design kW per kW is held (x); with no heat it is off."""
    v = cooling_defaults()
    assert mover_power_frac(0.1, v, "fan") == pytest.approx(_c(FAN, 0.2) / _c(FAN, 1.0), rel=1e-12)
    assert mover_power_frac(0.1, v, "fan") == pytest.approx(0.0679256 / 0.9991, rel=1e-9)  # 0.0013 + 0.0294 + 0.038024 - 0.0007984
    assert mover_power_frac(0.05, v, "pump") == pytest.approx(_c(PUMP, 0.25) / _c(PUMP, 1.0), rel=1e-12)
    assert mover_power_frac(1.1, v, "fan") == pytest.approx(1.1, rel=1e-12)
    assert mover_power_frac(0.0, v, "pump") == 0.0


def _half_load_by_hand():
    """One hour of an air plant at half its design IT (500 of 1,000 kW), losses 0: the air loop's heat at
    the design IT is Q_ref = 1000 / (1 - 0.046 x 1.0 - 0.0155 x 0.9) = 1063.773 kW (CRAH fans 0.046 kW/kW, all
    their heat in the air; chilled-water pumps 0.0155 kW/kW, 0.9 of it in the water). The hour's heat solves
    Q = 500 + Q_ref (0.046 F_fan(Q / Q_ref) + 0.01395 F_pump(Q / Q_ref)), found here by bisection on the
    polynomials written out above: Q = 518.377 kW (x = 0.4873), CRAH fans 0.046 Q_ref F_fan = 14.062 kW,
    pumps 0.0155 Q_ref F_pump = 4.794 kW (linear, as before: Q = 500 / 0.94005 = 531.887 kW, fans 24.467,
    pumps 8.244 kW)."""
    q_ref = 1000.0 / (1.0 - 0.046 - 0.9 * 0.0155)
    lo, hi = 500.0, 600.0
    for _ in range(200):
        q = 0.5 * (lo + hi)
        g = q - 500.0 - q_ref * (0.046 * _c(FAN, q / q_ref) / _c(FAN, 1.0)
                                 + 0.9 * 0.0155 * _c(PUMP, q / q_ref) / _c(PUMP, 1.0))
        lo, hi = (q, hi) if g < 0 else (lo, q)
    x = q / q_ref
    return q, 0.046 * q_ref * _c(FAN, x) / _c(FAN, 1.0), 0.0155 * q_ref * _c(PUMP, x) / _c(PUMP, 1.0)


def _air_hour(it_kw, **kw):
    # tower fans and tower-water pumps left out (0 kW/kW): fans_kw and pumps_kw are the CRAH fans and chw pumps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        return thermal.plant_hourly(it_kw, _weather(30.0, 20.0), {"type": "air"}, design_it_kw=1000.0,
                                    electrical_losses_kw=0.0, tower_fan_kw_per_kw=0.0, cw_pump_kw_per_kw=0.0, **kw)


def test_one_hour_at_half_load_by_hand():
    q, fans, pumps = _half_load_by_hand()
    assert (q, fans, pumps) == pytest.approx((518.377, 14.062, 4.794), abs=1e-3)
    h = _air_hour(500.0)
    assert h["heat_load_kw"].iloc[0] == pytest.approx(q, rel=1e-9)
    assert h["fans_kw"].iloc[0] == pytest.approx(fans, rel=1e-9)
    assert h["pumps_kw"].iloc[0] == pytest.approx(pumps, rel=1e-9)
    # energy balance: the heat the loop removes is the base load plus the in-loop share of that same power
    assert h["heat_load_kw"].iloc[0] == pytest.approx(500.0 + 1.0 * fans + 0.9 * pumps, rel=1e-12)
    # the former linear law moves more: part-load hours go down
    lin = _air_hour(500.0, **LINEAR)
    assert lin["fans_kw"].iloc[0] == pytest.approx(0.046 * 500.0 / 0.94005, rel=1e-9)
    assert h["cooling_kw"].iloc[0] < lin["cooling_kw"].iloc[0]


def test_design_hour_unchanged():
    """At the design IT the movers run at their design flow (x = 1): every figure is the linear law's."""
    h, lin = _air_hour(1000.0), _air_hour(1000.0, **LINEAR)
    for col in ("heat_load_kw", "fans_kw", "pumps_kw", "chiller_kw", "cooling_kw", "facility_kw", "capacity_it_kw"):
        np.testing.assert_allclose(h[col], lin[col], rtol=1e-12, err_msg=col)
    assert h["fans_kw"].iloc[0] == pytest.approx(0.046 * 1000.0 / 0.94005, rel=1e-12)


def test_design_hour_pue_of_a_site_unchanged():
    """The design-hour PUE (full design IT on the design days) is that of the linear law, to 1e-9."""
    from dcplan.site import load_site
    from dcplan.weather import load_site_weather
    site = load_site("phoenix-az")
    w = load_site_weather(site)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        new = thermal.design_hour_pue(1000.0, w, site.cooling)
        days = [thermal.plant_hourly(1000.0, thermal.design_day(**thermal.design_conditions(w, basis=b)),
                                     site.cooling, design_it_kw=1000.0, **LINEAR)["pue"].max()
                for b in ("dry_bulb", "wet_bulb")]
    assert new["pue"] == pytest.approx(max(days), rel=1e-9)


def test_capacity_counts_the_movers_at_full_load_power():
    """capacity_it_kw counts the movers at their full-load kW per kW (a rating figure): cap (1 - k). At the
    nameplate (cap = Qd = 1.1 Q_ref) that is 1.1 x 1000 kW at any hour's load; in a chiller-limited hour the
    linear law's figure (at part flow the movers would take less: base_carried_kw, more than cap (1 - k))."""
    from dcplan.thermal_part_load import base_carried_kw, loop_heat_kw
    np.testing.assert_allclose(_air_hour(500.0)["capacity_it_kw"], 1100.0, rtol=1e-12)
    v, q_ref = cooling_defaults(), 1000.0 / 0.94005
    q, _, _ = _half_load_by_hand()
    # base_carried_kw inverts the heat balance: 518.377 kW of heat at x = 0.487 carries 500 kW, more than
    # the full-load rating's 518.377 x 0.94005 = 487.3 kW
    assert base_carried_kw(q, q_ref, 0.046, 0.9 * 0.0155, v) == pytest.approx(500.0, rel=1e-9)
    assert loop_heat_kw(500.0, q_ref, 0.046, 0.9 * 0.0155, v) == pytest.approx(q, rel=1e-9)
    assert q * 0.94005 < 500.0


def test_the_year_plant_is_sized_at_the_design_it_losses():
    """A fleet whose hourly IT never reaches the design IT: the plant is the one sized at the design IT and its
    chain losses (the design-day plant), whatever the hourly peak. Its nameplate carries 1.1 x (design IT +
    losses at it) of base load, so in a cool hour at the nameplate capacity_it_kw is the x with
    x + L(x) = 1.1 (D + L(D)): 1.1 x 1,064.374 = 1,170.811 kW, x = 1,099.52 kW (L(1,099.52) = 71.29 kW; brentq), the
    losses at that IT, whatever the hour's own 800 kW (until 2026-12: 1.1 (D + L(D)) - L(800) = 1,118.61 kW)."""
    from scipy.optimize import brentq
    from dcplan.power import electrical_losses_kw
    w = _weather(5.0, 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        h = thermal.plant_hourly(800.0, w, {"type": "air"}, design_it_kw=1000.0)

    def loss(x):
        return float(electrical_losses_kw(x, rated_kw=1000.0))
    l_d = loss(1000.0)
    cap = brentq(lambda x: x + loss(x) - 1.1 * (1000.0 + l_d), 1000.0, 1170.0, xtol=1e-10)
    assert cap == pytest.approx(1099.52, abs=0.005)
    np.testing.assert_allclose(h["capacity_it_kw"], cap, rtol=1e-9)
    # (before: sized on L(800 kW), the hourly peak's losses: 1.1 (1000 + L(800)) less, a smaller nameplate)
    l_h = loss(800.0)
    assert brentq(lambda x: x + loss(x) - 1.1 * (1000.0 + l_h), 900.0, 1170.0) < cap


@pytest.mark.parametrize("over, field", [
    (dict(crah_fan_plr_c0=-1.0, crah_fan_plr_c1=0.0, crah_fan_plr_c2=0.0, crah_fan_plr_c3=0.0), "crah_fan_plr_c0"),
    (dict(pump_plr_c1=2.0, pump_plr_c2=-2.0, pump_plr_c3=0.5), "pump_plr_c2"),   # falls between x 0.5 and 1
    (dict(crah_fan_min_flow_frac=1.0), "crah_fan_min_flow_frac"),
])
def test_a_curve_the_model_cannot_use_is_refused(over, field):
    with pytest.raises(InputError) as e:
        _air_hour(500.0, **over)
    assert e.value.field == field
