"""Tests of the hourly cooling plant (dcplan.thermal / thermal_plant)."""
from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal, thermal_water
from dcplan.errors import DcplanWarning, InputError
from dcplan.thermal_plant import cooling_defaults

from conftest import CHICAGO_EPW, DULLES_EPW, GREENSBORO_TMY3, PHOENIX_EPW
from test_tower_merkel_ref import ACC, approach, heat_within, root

D = cooling_defaults()


def _overloaded():
    """Expect the warning of an hour whose capacity is below even the fully throttled hall (0.6 x IT):
    ``plant_hourly`` names the heat throttling cannot shed (``throttled_overload_kw``)."""
    return pytest.warns(DcplanWarning, match="below even the fully throttled hall")


def _weather(db, wb, hours=24, start="2025-07-01 01:00"):
    """Constant synthetic hourly weather (interval-ending labels, fixed offset tz)."""
    idx = pd.date_range(start, periods=hours, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": np.broadcast_to(np.asarray(db, float), hours),
                         "temp_wet_bulb_degc": np.broadcast_to(np.asarray(wb, float), hours)}, index=idx)


def _l_per_kwh(db, wb, p=101325.0):
    """Tower make-up water per kWh rejected at dry bulb ``db``, wet bulb ``wb``, pressure ``p``:
    the SaturatedExit evaporation of dcplan.thermal_water (worked by hand in
    tests/test_thermal_water.py) at the default L/G 1.6 and range 5.6 K, x cycles 4 / 3. Used
    here only to read the heat a tower rejects back from ``water_l``. [L/kWh]"""
    return thermal_water.tower_evaporation_l_per_kwh(db, wb, p, lg_ratio=1.6, range_k=5.6) * 4.0 / 3.0


@pytest.fixture(scope="module")
def weathers():
    from dcplan.weather import load_weather
    return {name: load_weather(path) for name, path in
            [("phoenix", PHOENIX_EPW), ("dulles", DULLES_EPW), ("chicago", CHICAGO_EPW),
             ("greensboro", GREENSBORO_TMY3)]}


def test_chiller_cop_rated_points_and_monotone():
    # at the AHRI 550/590 point (6.7 degC CHW, 29.4 degC entering condenser water =
    # wet bulb 29.4 - 3.9 tower approach) the Carnot-fraction model returns the rated
    # COP by construction of eta; tolerance = float rounding
    assert thermal.chiller_cop(6.7, 29.4 - D["tower_approach_k"], "water") == pytest.approx(6.28, rel=1e-12)
    assert thermal.chiller_cop(6.7, 35.0, "air") == pytest.approx(2.96, rel=1e-12)
    # hand calc: eta = 6.28 * (35 - 6.7) / 279.85 = 0.63507; at CHW 6.7 and wet bulb 20.5 the tower
    # (selected for 3.9 K at 25.5 degC) leaves its design heat at A = 5.366 K (Merkel, wider in cooler air):
    # Tcond = 20.5 + 5.366 + 5.6 = 31.466; COP = 0.63507 * 279.85 / 24.766 = 7.1762 (a 3.9 K approach
    # at any wet bulb gave Tcond 30.0, COP 7.6276). Tolerance: the approach table's 0.03 K in the lift
    a = approach(20.5)
    assert a == pytest.approx(5.366, abs=1e-3)
    assert thermal.chiller_cop(6.7, 20.5, "water") == pytest.approx(6.28 * 28.3 / (20.5 + a + 5.6 - 6.7),
                                                                    rel=ACC / (20.5 + a + 5.6 - 6.7))
    cops = thermal.chiller_cop(18.0, np.linspace(5, 30, 26), "water")
    assert np.all(np.diff(cops) <= 0) and cops[-1] < cops[0]   # falls with condenser temperature
    assert cops.max() <= D["chiller_cop_max"]


def test_liquid_flow_sizing_hand_calc():
    # 60 / (1.0 kg/L * 4.186 kJ/kgK * 10 K) = 1.4333 L/min per kW (docs/reference-data.md 3c: 1.43)
    assert thermal.liquid_flow_l_per_min(1.0, 10.0) == pytest.approx(60 / 41.86, rel=1e-12)
    s = thermal.liquid_flow_l_per_min(pd.Series([100.0, 200.0]), 5.0)
    assert s.iloc[1] == pytest.approx(2 * s.iloc[0]) and s.iloc[0] == pytest.approx(100 * 60 / 20.93)
    with pytest.raises(InputError, match="dt_k"):
        thermal.liquid_flow_l_per_min(1.0, 0.0)


def test_air_plant_full_free_cooling_hand_calc(heat_probe):
    # cold hour: wet bulb -6 degC: tower water -6 + 14.06 K (Merkel, below) + 1.5 HX below CHW 19: no chiller.
    # Base heat B = IT 1000 + 50 kW losses given (all in the cooled space) = 1050 kW.
    # Energy balance (module docstring): the loop also removes its CRAH fans' heat (share 1.0
    # of 0.046 kW/kW) and its CHW pumps' shaft heat (0.9 x 0.0155 kW/kW), both per kW of the
    # loop heat Q: Q = B / (1 - 0.046 - 0.9 x 0.0155) = 1050 / 0.94005 = 1116.962 kW.
    # The tower also takes the tower-water pumps' shaft heat (0.9 x 0.0093 per kW rejected):
    # Qrej = Q / (1 - 0.00837) = 1126.390 kW. (Before the fix Q = Qrej = 1050 kW: 74.447 kW.)
    w = _weather(-5.0, -6.0)
    h = thermal.plant_hourly(1000.0, w, {"type": "air", "liquid_class": None}, electrical_losses_kw=50.0)
    k = D["crah_fan_kw_per_kw"] * D["crah_fan_heat_to_air_frac"] + D["chw_pump_kw_per_kw"] * D["pump_heat_to_fluid_frac"]
    assert k == pytest.approx(0.05995, rel=1e-12)
    q = 1050.0 / (1.0 - 0.05995)
    q_rej = q / (1.0 - 0.9 * 0.0093)
    # The tower's nameplate is its design heat rejection (loop module docstring): the air
    # loop's chiller is sized for the whole loop, Qd = 1.1 x 1050 / 0.94005 = 1228.658 kW, and
    # at design (CHW 19 degC, design wet bulb 29.4 - 3.9 = 25.5 degC, Tcond 35 degC) its COP is
    # COP_d = 0.635069 x 292.15 / 16 = 11.5960 (rated COP 6.28), so the tower rejects Qd (1 + 1/COP_d) plus
    # the tower-water pump heat: Qrej_d = 1228.658 x 1.086237 / 0.99163 = 1345.879 kW.
    # Tower fans slow down to the speed that holds the setpoint: the full-airflow approach at this
    # heat, x = 1126.390/1345.879 = 0.837 of the design, at -6 degC wet bulb is the Merkel A = 14.081 K
    # (the tower selected for 3.9 K at 25.5 degC: cold air holds less enthalpy per K), so the speed is
    # A / (CHW 19 - HX 1.5 - WB(-6)) = 14.081 / 23.5 = 0.599 (approach ~ 1 / airflow); power
    # f Qrej_d speed^3 = 0.0127 x 1345.879 x 0.2151 = 3.677 kW. (A 3.9 K design approach at any wet
    # bulb gave 3.9 x 0.837 / 23.5 = 0.139 -> the 0.2 minimum, 0.137 kW and cooling 79.306 kW.)
    cop_d = 6.28 * (35 - 6.7) / 279.85 * 292.15 / 16.0
    qd = 1.1 * 1050.0 / (1.0 - 0.05995)
    q_rej_d = qd * (1.0 + 1.0 / cop_d) / (1.0 - 0.9 * 0.0093)
    assert (cop_d, q_rej_d) == pytest.approx((11.5960, 1345.879), abs=1e-3)
    a = approach(-6.0, q_rej / q_rej_d)
    assert (a, a / 23.5) == pytest.approx((14.081, 0.599), abs=1e-3)

    def cooling_at(a):
        return 0.046 * q + 0.0155 * q + 0.0093 * q_rej + D["tower_fan_kw_per_kw"] * q_rej_d * (a / 23.5) ** 3
    cooling = cooling_at(a)   # = 82.845 kW
    assert cooling == pytest.approx(82.845, abs=1e-3)
    assert h["chiller_kw"].eq(0).all() and h["free_cooling"].all()
    assert h["economizer_frac"].eq(1.0).all()
    assert h["heat_load_kw"].iloc[0] == pytest.approx(q, rel=1e-12)
    # tolerance: the plant's approach table, within 0.03 K of the point solution
    assert cooling_at(a - ACC) <= h["cooling_kw"].iloc[0] <= cooling_at(a + ACC)
    assert h["facility_kw"].iloc[0] == pytest.approx(1050.0 + h["cooling_kw"].iloc[0], rel=1e-12)
    # tower water: Qrej x the hour's make-up per kWh (evaporation from the air-side balance, by hand
    # in tests/test_thermal_water.py, x cycles 4/3) L per hour
    assert h["water_l"].iloc[0] == pytest.approx(q_rej * _l_per_kwh(-5.0, -6.0), rel=1e-12)


def test_air_plant_hot_hour_uses_chiller_and_partial_economizer():
    hot = thermal.plant_hourly(1000.0, _weather(35.0, 24.0), {"type": "air", "liquid_class": None})
    mild = thermal.plant_hourly(1000.0, _weather(20.0, 15.0), {"type": "air", "liquid_class": None})
    # wet bulb 24: Tfree = 24 + 1.5 + 3.9*q > CHW return 24.5 -> no economizer
    assert hot["economizer_frac"].iloc[0] == 0.0 and hot["chiller_kw"].iloc[0] > 0
    # wet bulb 15: CHW 19/24.5 -> partial economizer (0 < e < 1)
    e = mild["economizer_frac"].iloc[0]
    assert 0.0 < e < 1.0
    assert hot["cooling_kw"].iloc[0] > mild["cooling_kw"].iloc[0]


def test_dry_cooler_capacity_derate_hand_calc():
    # liquid W32 dry cooler, no trim chiller; air loop kept free (wet bulb 5).
    # The liquid loop's nameplate carries 1.1 * 0.85 * 1000 = 935 kW of IT heat plus its pumps'
    # shaft heat, 0.9 x 0.02 kW per kW of loop heat: Qd_liq = 935 / (1 - 0.018) kW (module
    # docstring, "Capacity"); Qfree = Qd_liq * (32 - Tdb) / 8 K approach, of which the share
    # 1 - 0.018 is IT heat: 935 * (32 - Tdb) / 8 kW, e.g. Tdb 30 -> 233.75 / 0.85 = 275.0 kW IT.
    # At 30 and 40 degC that is below the fully throttled hall's 0.6 x 1000 = 600 kW: warned, and
    # the heat throttling cannot shed is 600 - capacity (throttled_overload_kw)
    for tdb, cap_liq in [(20.0, 935 * 12 / 8), (30.0, 935 * 2 / 8), (40.0, 0.0)]:
        with _overloaded() if tdb >= 30 else nullcontext():
            h = thermal.plant_hourly(1000.0, _weather(tdb, 5.0),
                                     {"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry",
                                      "trim_chiller": False})
        assert h["capacity_it_kw"].iloc[0] == pytest.approx(min(cap_liq / 0.85, h["capacity_it_kw"].iloc[0]))
        if tdb >= 30:
            assert h["capacity_it_kw"].iloc[0] == pytest.approx(cap_liq / 0.85, abs=1e-9)
            assert h["derate_kw"].iloc[0] == pytest.approx(1000 - cap_liq / 0.85, abs=1e-9)
            # fraction of GPUs throttled to 60 %: deficit / (IT * 0.4), capped at 1
            assert h["throttle_frac"].iloc[0] == pytest.approx(min(1.0, (1000 - cap_liq / 0.85) / 400))
            assert h["throttled_overload_kw"].iloc[0] == pytest.approx(600 - cap_liq / 0.85, abs=1e-9)
        else:
            assert h["derate_kw"].iloc[0] == 0.0


def test_it_series_any_step_is_hour_averaged_and_coverage_checked():
    w = _weather(10.0, 5.0, hours=3)
    idx = pd.date_range("2025-07-01 00:15", periods=12, freq="15min", tz="Etc/GMT+7")
    it = pd.Series([800.0, 900, 1000, 1100] * 3, index=idx)   # hourly mean 950 (interval-ending)
    h = thermal.plant_hourly(it, w, {"type": "air", "liquid_class": None})
    np.testing.assert_allclose(h["it_kw"].to_numpy(), 950.0)   # no inlet uplift at 25 degC
    with pytest.raises(InputError, match="no value"):
        thermal.plant_hourly(it.iloc[:8], w)
    # starting at :45, the first hour has 2 of its 4 values (mean 1050, not an hourly mean):
    # refused, as is a NaN inside an hour
    with pytest.raises(InputError, match=r"hour ending 2025-07-01 01:00:00-07:00 has 2 of its 4 900-s values"):
        thermal.plant_hourly(it.iloc[2:], w)
    with pytest.raises(InputError, match="has 3 of its 4"):
        thermal.plant_hourly(it.where(it.index != idx[5]), w)
    with pytest.raises(InputError, match="temp_wet_bulb_degc"):
        thermal.plant_hourly(1000.0, w.drop(columns="temp_wet_bulb_degc"))


def test_default_losses_come_from_power_chain():
    # default electrical losses = dcplan.power.electrical_losses_kw(it, rated_kw=design IT)
    from dcplan.power import electrical_losses_kw
    w = _weather(10.0, 5.0, hours=2)
    h = thermal.plant_hourly(np.array([1000.0, 500.0]), w)
    np.testing.assert_allclose(h["electrical_losses_kw"], electrical_losses_kw(np.array([1000.0, 500.0]),
                                                                              rated_kw=1000.0), rtol=1e-12)


def test_unknown_override_and_bad_spec_are_clear_errors():
    with pytest.raises(InputError, match="did you mean 'margin_frac'"):
        thermal.plant_params(None, margin_frc=0.2)
    with pytest.raises(InputError, match="cooling"):
        thermal.plant_params({"type": "water"})
    with pytest.raises(InputError, match="allowable"):
        thermal.plant_params({"ashrae_class": "A1", "inlet_setpoint_degc": 34.0})


def test_example_sites_resolve():
    from dcplan.site import load_portfolio
    port = load_portfolio()
    for sid in ["research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"]:
        p = thermal.plant_params(port[sid].cooling)
        assert p.type == port[sid].cooling.type


@pytest.mark.parametrize("plant", [
    {"type": "air", "liquid_class": None},
    {"type": "liquid", "liquid_class": "W32"},
    {"type": "liquid", "liquid_class": "W45"},
], ids=["air", "liquid-W32-tower", "liquid-W45-dry"])
def test_annual_pue_in_published_ranges(weathers, plant):
    # published ranges (docs/reference-data.md section 4): new/large builds <= 1.3
    # (Uptime 2024); Google fleet 1.10 (2023); full-server DLC 1.05-1.15, cold plate
    # 1.15-1.25 (unverified). Air: 1.10-1.35; liquid: 1.05-1.25.
    lo, hi = (1.10, 1.35) if plant["type"] == "air" else (1.05, 1.25)
    for name, w in weathers.items():
        # W45 dry coolers in Phoenix's hottest hours (above ~43 degC) fall below 0.6 x IT: warned
        with _overloaded() if (name, plant["liquid_class"]) == ("phoenix", "W45") else nullcontext():
            s = thermal.site_cooling_summary(1000.0, w, plant)
        assert lo <= s["annual_pue"] <= hi, (name, s["annual_pue"])
        assert 1.0 < s["ppue_cooling"] < s["annual_pue"]
        assert s["tue"] == pytest.approx(s["annual_pue"] * s["itue"], rel=1e-9)


def test_colder_site_more_free_cooling_lower_pue(weathers):
    # Chicago (annual mean ~10 degC) vs Phoenix (23.8 degC), same plant
    for plant in ({"type": "air", "liquid_class": None}, {"type": "liquid", "liquid_class": "W32"}):
        chi = thermal.site_cooling_summary(1000.0, weathers["chicago"], plant)
        phx = thermal.site_cooling_summary(1000.0, weathers["phoenix"], plant)
        assert chi["free_cooling_h"] > phx["free_cooling_h"]
        assert chi["annual_pue"] < phx["annual_pue"]


def test_hot_afternoon_derate_phoenix_dry_cooler(weathers):
    plant = {"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry", "trim_chiller": False}
    with _overloaded():   # a W32 dry cooler without trim chiller has next to nothing left on hot afternoons
        phx = thermal.plant_hourly(1000.0, weathers["phoenix"], plant)
    with _overloaded():
        chi = thermal.plant_hourly(1000.0, weathers["chicago"], plant)
    d = thermal.derate_hours(phx)
    assert len(d) > len(thermal.derate_hours(chi)) > 0
    # derates cluster in hot afternoons: share of afternoon hours (start 12-17 h) that
    # derate is far above the share of night hours (start 0-5 h); hour from interval start
    hour = (phx.index - pd.Timedelta("1h")).hour
    derated = phx["derate_kw"] > 0
    assert derated[(hour >= 12) & (hour <= 17)].mean() > 1.5 * derated[hour <= 5].mean()
    assert (d["throttle_frac"] > 0).all() and (d["throttle_frac"] <= 1).all()
    # with a trim chiller the same site derates less
    trim = thermal.plant_hourly(1000.0, weathers["phoenix"], {**plant, "trim_chiller": True})
    assert len(thermal.derate_hours(trim)) < len(d)


def test_hours_without_it_load_are_not_counted_as_free_cooling_or_in_envelope(weathers):
    """A fleet deployed mid-year (IT 0 until July): its empty hours used to count as
    free-cooling hours and as inside the inlet envelope (Chicago air: 6,871 free hours for
    half a year of load vs 6,025 for a full year). Each hour's plant depends only on that
    hour (load, weather), so the half-year counts are the full-load run's counts over the
    loaded hours, derived here from that run."""
    w = weathers["chicago"]
    half = np.arange(len(w)) >= 4380
    for plant in ({"type": "air", "liquid_class": None}, {"type": "liquid", "liquid_class": "W32"}):
        full_h = thermal.plant_hourly(1000.0, w, plant, design_it_kw=1000.0)
        part_h = thermal.plant_hourly(pd.Series(np.where(half, 1000.0, 0.0), w.index), w, plant,
                                      design_it_kw=1000.0)
        s = thermal.plant_summary(part_h, plant)
        assert s["loaded_h"] == 4380
        assert not part_h["free_cooling"][~half].any()
        assert s["free_cooling_h"] == int(full_h["free_cooling"][half].sum())
        lo, hi = thermal.ASHRAE_AIR_CLASSES[part_h.attrs["plant"]["ashrae_class"]][:2]
        tin = full_h["temp_inlet_degc"][half]
        assert s["hours_outside_recommended_h"] == int(((tin < lo) | (tin > hi)).sum())
        assert s["free_cooling_h"] < thermal.plant_summary(full_h, plant)["free_cooling_h"]


def test_liquid_cuts_total_power_more_than_pue(weathers):
    # same compute work; liquid servers need fewer fans (2 % vs 8 % of server power)
    w = weathers["dulles"]
    it_air = thermal.it_from_compute_kw(1000.0, "air")
    it_liq = thermal.it_from_compute_kw(1000.0, "liquid")
    air = thermal.plant_hourly(it_air, w, {"type": "air", "liquid_class": None})
    liq = thermal.plant_hourly(it_liq, w, {"type": "liquid", "liquid_class": "W45"})
    pue_cut = 1 - thermal.annual_pue(liq) / thermal.annual_pue(air)
    total_cut = 1 - liq["facility_kw"].sum() / air["facility_kw"].sum()
    assert total_cut > pue_cut > 0
    np.testing.assert_allclose(air["compute_kw"], 1000.0, rtol=1e-9)


def test_fan_uplift_only_above_knee():
    # plant half the needed capacity (margin -0.5) on a hot hour -> inlet above 27 degC
    with _overloaded():   # 500 kW of capacity < 0.6 x 1000
        h = thermal.plant_hourly(1000.0, _weather(40.0, 27.0), {"type": "air", "liquid_class": None},
                                 margin_frac=-0.5)
    cool = thermal.plant_hourly(1000.0, _weather(10.0, 5.0), {"type": "air", "liquid_class": None})
    assert (h["temp_inlet_degc"] > 27).all() and (h["it_fan_uplift_kw"] > 0).all()
    assert cool["it_fan_uplift_kw"].eq(0).all()
    s = thermal.plant_summary(h, {"type": "air", "liquid_class": None})
    assert s["hours_outside_recommended_h"] == 24


def _typical_year_only(w):
    """``w`` without the EPW header's ASHRAE values: design_conditions falls back to the typical year."""
    bare = w.copy()
    bare.attrs.pop("ashrae_design", None)
    return bare


def test_design_conditions_match_epw_header(weathers):
    # EPW headers (ASHRAE 2009 design conditions, long-term record; docs/reference-data.md 9a):
    # Phoenix 0.4 % DB 43.4 / MCWB 21.1, daily range 12.0 K; Dulles 34.1 / 23.9, 11.4 K.
    # With the header the frame gives them exactly (tests/test_thermal_design_day_conditions.py); here
    # the typical-year percentiles without it, from one year, so allow 1 K on DB and range, 0.5 K on MCWB.
    for name, (db, wb, rng) in {"phoenix": (43.4, 21.1, 12.0), "dulles": (34.1, 23.9, 11.4)}.items():
        c = thermal.design_conditions(_typical_year_only(weathers[name]))
        assert c["source"] == "typical-year 99.6th percentile"
        assert c["t_max_degc"] == pytest.approx(db, abs=1.0)
        assert c["wb_coincident_degc"] == pytest.approx(wb, abs=0.5)
        assert c["daily_range_k"] == pytest.approx(rng, abs=1.0)


def test_evaporation_design_conditions_match_epw_header(weathers):
    """basis="wet_bulb": EPW headers (ASHRAE 2009, long-term record; docs/reference-data.md 9a) give the
    evaporation condition 0.4 % WB / MCDB: Phoenix 24.5 / 35.8 degC, Dulles 25.4 / 31.6 degC.
    From one typical year (wet bulb from dew point): Phoenix 24.0 / 37.0, Dulles 25.0 / 31.3.
    Tolerance 1 K on the wet bulb (as the dry-bulb test allows on DB) and 1.5 K on the mean
    coincident dry bulb, a mean of only the ~35 hours at or above the 0.4 % wet bulb of one
    year (from the files' whole-percent RH it was 36.8: a 0.2 K move). The towers' condition
    is far from the dry-bulb one in a desert: Phoenix's wet bulb is 3.4 K higher and its dry
    bulb 7.6 K lower (the header's values, which the frame's design_conditions give; the typical
    year's percentiles: 2.8 K and 5.8 K)."""
    for name, (wb, db) in {"phoenix": (24.5, 35.8), "dulles": (25.4, 31.6)}.items():
        c = thermal.design_conditions(_typical_year_only(weathers[name]), basis="wet_bulb")
        assert c["wb_coincident_degc"] == pytest.approx(wb, abs=1.0)
        assert c["t_max_degc"] == pytest.approx(db, abs=1.5)
    d = thermal.design_conditions(weathers["phoenix"])
    e = thermal.design_conditions(weathers["phoenix"], basis="wet_bulb")
    assert e["wb_coincident_degc"] > d["wb_coincident_degc"] + 2 and e["t_max_degc"] < d["t_max_degc"] - 5
    with pytest.raises(InputError, match="allowed: dry_bulb, wet_bulb"):
        thermal.design_conditions(weathers["phoenix"], basis="wetbulb")
    # which day governs follows the heat rejection: a tower plant whose free path limits it has
    # less capacity on the evaporation day, the W45 dry cooler on the dry-bulb day. The default
    # W32 tower (3.9 K approach) holds both loops' nameplates on both days (free path needs
    # wb > 32 - 1.5 - 3.9 = 26.6 degC to bind; design-day COP >= the design COP). Each nameplate
    # is sized for its design base load plus its own fan and pump heat, Qd = 1.1 B / (1 - k), and
    # carries the base load Qd (1 - k) (module docstring, "Capacity"), so with the power chain's
    # losses L the IT capacity is the smaller of the liquid loop's 935 / 0.85 = 1100 kW and the air loop's x
    # with 0.15 x + L(x) = 1.1 (150 + L(1000)) = 1.1 x 214.374 = 235.811 kW (the losses AT that IT, not at
    # 1000 kW: dcplan.thermal_plant_capacity): at 1100 kW, 165 + L(1100) = 165 + 71.323 = 236.323 > 235.811, so
    # the air loop binds just below, at 1097.70 kW (brentq; before, 1100 + L(1000) / 1.5 left the liquid loop's).
    # With an 8 K tower approach the liquid free path binds on the evaporation day (the header's
    # ASHRAE 0.4 % wet bulb 24.5 degC, the design day's peak, which selects the tower: 8 K at 24.5 degC):
    # at the peak the tower carries, within 32 - 1.5 - 24.5 = 6 K at full airflow, the heat X with
    # A(24.5, X) = 6 K: X = 0.6795 by Merkel (an approach in proportion to the heat gave 6 / 8 = 0.75),
    # so 935 X / 0.85 = 747.4 kW IT (825.0). Tolerance: the approach table's 0.03 K, i.e. ~0.03 / 6 of X.
    from scipy.optimize import brentq
    from dcplan.power import electrical_losses_kw

    def loss(x):
        return float(electrical_losses_kw(x, rated_kw=1000.0))
    assert loss(1000.0) == pytest.approx(64.374, abs=1e-3) and loss(1100.0) == pytest.approx(71.323, abs=1e-3)
    air_it = brentq(lambda x: 0.15 * x + loss(x) - 1.1 * (150.0 + loss(1000.0)), 1000.0, 1100.0, xtol=1e-9)
    nameplate_it = min(air_it, 935.0 / 0.85)
    assert nameplate_it == pytest.approx(1097.70, abs=0.005)
    cap = {}
    for cls in ("W32", "W45"):
        for b in ("dry_bulb", "wet_bulb"):
            for a in (3.9, 8.0):
                # the W45 dry cooler on the dry-bulb day falls below 0.6 x IT (220 kW): warned
                with _overloaded() if (cls, b) == ("W45", "dry_bulb") else nullcontext():
                    cap[(cls, b, a)] = thermal.plant_hourly(1000.0, thermal.design_day(**thermal.design_conditions(
                        weathers["phoenix"], basis=b)), {"type": "liquid", "liquid_class": cls},
                        tower_approach_k=a)["capacity_it_kw"].min()
    assert cap[("W32", "wet_bulb", 3.9)] == pytest.approx(nameplate_it, rel=1e-9) == cap[("W32", "dry_bulb", 3.9)]
    x = heat_within(24.5, 6.0, design_wb=24.5, design_approach=8.0)
    assert 935.0 * x / 0.85 == pytest.approx(747.4, abs=0.05)
    assert cap[("W32", "wet_bulb", 8.0)] == pytest.approx(935.0 * x / 0.85, rel=ACC / 6.0)
    assert cap[("W32", "wet_bulb", 8.0)] < cap[("W32", "dry_bulb", 8.0)]
    assert cap[("W45", "dry_bulb", 3.9)] < cap[("W45", "wet_bulb", 3.9)]


def test_design_day_profile_and_hot_afternoon_derate(weathers):
    w = thermal.design_day(**thermal.PHOENIX_DESIGN_DAY)
    # ASHRAE fraction table: max at hours ending 14-15, min (T_max - range) at hour 5
    assert w["temp_air"].iloc[13] == pytest.approx(43.4) and w["temp_air"].iloc[4] == pytest.approx(31.4)
    assert w["temp_wet_bulb_degc"].iloc[13] == pytest.approx(21.1, abs=1e-6)   # bisection target
    assert (w["temp_wet_bulb_degc"] <= w["temp_air"]).all()
    # W45 dry cooler (liquid supply <= 45 degC, 8 K approach): derates exactly in the hot
    # afternoon; the default W32 evaporative plant holds the full load all day
    with _overloaded():   # its hottest hours leave it less than 0.6 x IT
        h = thermal.plant_hourly(1000.0, w, {"type": "liquid", "liquid_class": "W45"})
    hours = (h.index - pd.Timedelta("1h")).hour[h["derate_kw"] > 0]
    assert len(hours) > 0 and hours.min() >= 8 and hours.max() <= 20
    assert h["derate_kw"].iloc[:6].eq(0).all()
    tower = thermal.plant_hourly(1000.0, w, {"type": "liquid", "liquid_class": "W32"})
    assert tower["derate_kw"].eq(0).all()
    # a design day built from the site's own weather runs too
    wd = thermal.design_day(**thermal.design_conditions(weathers["phoenix"]))
    with _overloaded():
        assert len(thermal.plant_hourly(1000.0, wd, {"type": "liquid", "liquid_class": "W45"})) == 24


@pytest.mark.parametrize("plant", [{"type": "air", "liquid_class": None},
                                   {"type": "liquid", "liquid_class": "W32"}], ids=["air", "liquid-W32"])
def test_capacity_never_above_nameplate_in_cold_weather(plant):
    """Cold hour (wet bulb -10 degC), 1000 kW IT, no electrical losses. Each loop is sized for
    Qd = (1 + margin) x its design heat; its pumps, plate HX / CDU and CRAH airflow cannot move
    more, however cold it is. The nameplate is sized for the design heat plus the loop's own CRAH
    fan and pump heat, k = 0.046 + 0.9 x 0.0155 = 0.05995 of the air loop's heat and 0.9 x 0.02 =
    0.018 of the liquid loop's: Qd = 1.1 x design / (1 - k), carrying 1.1 x design of IT heat
    (module docstring, "Capacity"). Hand calc: margin 0.10 -> capacity 1.1 x 1000 = 1100 kW IT
    (air: 1100; liquid: 935 / 0.85 = 1100 and 165 / 0.15 = 1100). The old free-path formula
    gave Qd * (Tmax - 1.5 + 10) / 3.9 = 9.6x (air, Tmax 29) and 10.4x (W32, Tmax 32) of Qd.
    An undersized plant (margin -0.5, documented as "capacity 1 + margin of the design") has
    500 kW IT and derates every hour. Its air loop carries Q = 1000 (or 150) / (1 - k) against
    Qd = 500 (or 75) / (1 - k): the 50 % shortfall warms the air-loop supply by 0.5 x 5.5 K:
    inlet 19 + 2.75 + 6 = 27.75 degC, 0.75 K over the fan knee, so server fans speed up; their
    power u is IT heat too (fixed point, thermal_plant docstring "IT fans"): the loop carries
    (1000 + u) against 500 of capacity, inlet T = 25 + 5.5 (1 - 500 / (1000 + u)) and
    u = 1000 x fan_frac x 0.1 x (T - 27), i.e. u = 100 fan_frac (3.5 - 2750 / (1000 + u)):
    air (fan_frac 0.08): u^2 + 972 u - 6000 = 0, u = 6.1341 kW (T = 27.7668 degC);
    liquid (0.02; only the air loop sets the inlet): u^2 + 993 u - 1500 = 0, u = 1.5082 kW
    (the first-pass uplift at 27.75 degC, 6.0 / 1.5 kW, was reported before). Derate =
    1000 + u - 500; all GPUs throttle (> 500 / (1000 x 0.4)). Tolerance: the fixed point stops
    once the inlet moves < 1e-4 K between passes, so the inlet is within 1e-4 K and the uplift
    within 1000 x fan_frac x 0.1 x 1e-4 kW (8e-4 / 2e-4 kW) of the exact root."""
    w = _weather(-5.0, -10.0)
    h = thermal.plant_hourly(1000.0, w, plant, electrical_losses_kw=0.0)
    np.testing.assert_allclose(h["capacity_it_kw"], 1100.0, rtol=1e-12)
    with _overloaded():   # 500 kW < 0.6 x (1000 + u): the heat throttling cannot shed is 0.6 (1000 + u) - 500
        u = thermal.plant_hourly(1000.0, w, plant, electrical_losses_kw=0.0, margin_frac=-0.5)
    b = 972.0 if plant["type"] == "air" else 993.0
    c = 6000.0 if plant["type"] == "air" else 1500.0
    uplift = (-b + np.sqrt(b * b + 4.0 * c)) / 2.0
    assert uplift == pytest.approx(6.1341 if plant["type"] == "air" else 1.5082, abs=1e-4)
    tol_kw = 1000.0 * (0.08 if plant["type"] == "air" else 0.02) * 0.1 * 1e-4
    np.testing.assert_allclose(u["it_fan_uplift_kw"], uplift, rtol=0, atol=tol_kw)
    np.testing.assert_allclose(u["temp_inlet_degc"], 25.0 + 5.5 * (1.0 - 500.0 / (1000.0 + uplift)), rtol=0,
                               atol=1e-4)
    np.testing.assert_allclose(u["capacity_it_kw"], 500.0, rtol=1e-12)
    np.testing.assert_allclose(u["derate_kw"], 1000.0 + uplift - 500.0, rtol=0, atol=tol_kw)
    assert u["throttle_frac"].eq(1.0).all() and len(thermal.derate_hours(u)) == 24
    np.testing.assert_allclose(u["throttled_overload_kw"], 0.6 * (1000.0 + uplift) - 500.0, rtol=0, atol=tol_kw)


def test_non_finite_or_impossible_inputs_are_errors():
    """Bad inputs that used to give a wrong annual PUE silently. 24 h, IT 1000 kW, 12 cold
    hours (5 / 2 degC) then 12 hot (35 / 24 degC): PUE 1.2040 (hand calc below; 1.2010 with a 3.9 K
    tower approach at any wet bulb, 1.192 before the CRAH fan and pump heat was put on the loops). With the hot hours' wet bulb NaN
    the old code summed facility over the 12 cold hours only but IT over all 24 (PUE 1.140);
    electrical losses of -500 kW gave PUE 0.56 (< 1, impossible), NaN losses PUE 0.0; a NaN or
    infinite IT hour (losses and design given) dropped out of both sums; swapped dry/wet bulb
    columns (wet bulb 11 K above dry bulb, physically impossible) gave 1.224. Each is now an
    InputError that names the field."""
    air = {"type": "air", "liquid_class": None}
    w = _weather(np.r_[np.full(12, 5.0), np.full(12, 35.0)], np.r_[np.full(12, 2.0), np.full(12, 24.0)])
    # hand calc: losses L = 64.374 kW (dcplan.power chain at full load), base B = 1064.374,
    # loop heat Q = B / (1 - 0.05995) = 1132.253, Qd = 1.1 Q (nameplate carries its fan and pump
    # heat), Qrej = Q / (1 - 0.9 x 0.0093). The tower's nameplate is the design condenser heat
    # (loop module docstring): COP_d = 0.635069 x 292.15 / 16 = 11.5960 (CHW 19, design wet bulb
    # 25.5), Qrej_d = Qd (1 + 1/COP_d) / 0.99163 = 1364.304 kW; its approach at full airflow is the
    # Merkel A(wb, x) of the tower selected for 3.9 K at 25.5 degC, x = Qrej / Qrej_d = 0.83692 with the
    # loop heat alone: A(2, 0.83692) = 11.023 K. Cold: Tfree = 2 + 1.5 + 11.023 = 14.523 < 19 -> free;
    # tower fan speed 11.023 / (19 - 1.5 - 2) = 0.71118; cooling = (0.046 + 0.0155) Q + 0.0093 Qrej
    # + 0.0127 Qrej_d 0.71118^3 = 86.485 kW. Hot: x = (Q + Q/12) / 0.99163 / Qrej_d, A(24, x) = 4.017 K,
    # COP = min(12, 0.635069 x 292.15 / (24 + 4.017 + 5.6 - 19) = 12.69) = 12; no economizer (tower water
    # 28.0 + 1.5 above the 24.5 return); chiller Q/12, Qrej = (Q + Q/12) / 0.99163 = 1236.96; tower fans
    # at full speed draw their nameplate 0.0127 Qrej_d; cooling = 0.0615 Q + Q/12 + 0.0093 Qrej +
    # 0.0127 Qrej_d = 192.818.
    # PUE = (24 B + 12 x 86.485 + 12 x 192.818) / 24000 = 1.20403 (a 3.9 K approach at any wet bulb:
    # cold fans at 0.21009, cooling 80.413, PUE 1.20101; tower sized on Qd 1.20024; without the fan/pump
    # heat the old 1.19190). Tolerance: the approach table's 0.03 K moves the cold fans' PUE by 2.5e-5
    x = 1132.253 / 0.99163 / 1364.304
    assert (approach(2.0, x), approach(24.0, 1.0833333 * x)) == pytest.approx((11.023, 4.017), abs=2e-3)
    assert thermal.annual_pue(thermal.plant_hourly(1000.0, w, air)) == pytest.approx(1.20403, abs=3e-5)
    nan_wb = w.copy()
    nan_wb.iloc[12:, 1] = np.nan
    with pytest.raises(InputError, match="temp_wet_bulb_degc.*12 hours are NaN"):
        thermal.plant_hourly(1000.0, nan_wb, air)
    with pytest.raises(InputError, match="temp_air"):
        thermal.plant_hourly(1000.0, w.assign(temp_air=np.inf), air)
    swapped = w.rename(columns={"temp_air": "temp_wet_bulb_degc", "temp_wet_bulb_degc": "temp_air"})
    with pytest.raises(InputError, match="wet bulb cannot exceed dry bulb"):
        thermal.plant_hourly(1000.0, swapped, air)
    for losses in (-500.0, np.nan):
        with pytest.raises(InputError, match="electrical_losses_kw"):
            thermal.plant_hourly(1000.0, w, air, electrical_losses_kw=losses)
    for bad in (np.nan, np.inf):
        it = np.full(24, 1000.0)
        it[3] = bad
        with pytest.raises(InputError, match="it_kw.*NaN or infinite"):
            thermal.plant_hourly(it, w, air, electrical_losses_kw=50.0, design_it_kw=1000.0)
    with pytest.raises(InputError, match="design_it_kw"):
        thermal.plant_hourly(1000.0, w, air, electrical_losses_kw=50.0, design_it_kw=np.inf)


# ------------------------------------------------------- heat of the plant's own fans and pumps
def test_chiller_removes_it_losses_crah_fan_and_pump_heat_hand_calc(heat_probe):
    """Hot hour, air plant, IT 1000 kW + 50 kW losses given (all in the space), wet bulb 25.5
    (the design wet bulb): CHW 19 degC, Tfree > return 24.5 -> no economizer, the chiller takes
    the whole loop.
    Energy balance: the coil removes IT + losses + CRAH fan heat + CHW pump shaft heat, each per
    kW of that same load Q: Q = 1050 + 1.0 x 0.046 Q + 0.9 x 0.0155 Q -> Q = 1050 / 0.94005 =
    1116.962 kW (the nameplate Qd = 1.1 Q carries its own fan and pump heat).
    COP (loop module docstring): eta = 6.28 x (35 - 6.7) / 279.85 = 0.635069, E = eta x 292.15 =
    185.5353; design COP_d = E / (25.5 + 3.9 + 5.6 - 19) = 11.5960 (tower at its design heat
    rejection Qrej_d = Qd (1 + 1/COP_d) / 0.99163 = 1345.879 kW). This hour the tower rejects
    Qrej = (Q + Q/COP) / 0.99163, about 1/1.1 of Qrej_d (the margin), so its water is colder than
    the full approach: Tw = 25.5 + A(25.5, x) with x = Qrej / Qrej_d = (1 + 1/COP) / (1.1 (1 + 1/COP_d))
    and A the tower's Merkel approach (selected for 3.9 K at this 25.5 degC wet bulb), and
    COP = E / (Tw + 5.6 - 19) (uncapped). Solved by bisection on Tw with the point-by-point Merkel
    approach: x = 0.90788, A = 3.6323 K (above 3.9 x = 3.541: not in proportion to the heat),
    Tw = 29.1323 degC (not 29.4), COP = 11.7933 (not 11.5960), chiller = Q / COP = 94.712 kW (96.323 at
    the full approach); Qrej = (Q + chiller) / 0.99163 = 1221.901 kW. (An approach in proportion to the
    heat, 3.9 x, gave Tw 29.0391, COP 11.8636.) The COP is above COP_d, so the chiller keeps its rated
    capacity Qd > Q: no shortfall, inlet 25 degC, no fan uplift. The tower fans run at full speed
    (compressor on) and draw 0.0127 x Qrej_d.
    With every mover's heat counted whole (both heat shares 1): Q = 1050 / (1 - 0.0615) =
    1118.796 kW; x is unchanged (Q / Qd = 1 / 1.1 still), so the COP too: chiller = 94.868 kW =
    (IT + losses + CRAH fans + CHW pumps) / COP.
    Tolerance: the approach table's 0.03 K on Tw (COP and chiller to 0.03 / 15.6 relative; fans,
    pumps and fixed points that do not move with it: float rounding); the 3-4 decimal figures to
    1e-3 / 1e-4."""
    air = {"type": "air", "liquid_class": None}
    w = _weather(35.0, 25.5)
    h = thermal.plant_hourly(1000.0, w, air, electrical_losses_kw=50.0)
    big_e = 6.28 * (35 - 6.7) / 279.85 * 292.15
    cop_d = big_e / 16.0
    assert thermal.chiller_cop(19.0, 25.5, "water") == pytest.approx(cop_d, rel=1e-12)
    def x_at(t_tw):   # the tower's heat over its design heat at tower water t_tw (COP from it)
        return (1.0 + (t_tw - 13.4) / big_e) / (1.1 * (1.0 + 1.0 / cop_d))
    t_tw = root(lambda t: t - 25.5 - approach(25.5, x_at(t)), 25.5, 31.0)
    x = x_at(t_tw)
    cop = big_e / (t_tw + 5.6 - 19.0)
    q = 1050.0 / (1.0 - 0.046 - 0.9 * 0.0155)
    ch = q / cop
    q_rej = (q + ch) / (1.0 - 0.9 * 0.0093)
    q_rej_d = 1.1 * q * (1.0 + 1.0 / cop_d) / (1.0 - 0.9 * 0.0093)
    assert (x, approach(25.5, x), t_tw, cop) == pytest.approx((0.90788, 3.6323, 29.1323, 11.7933), abs=1e-4)
    assert (q, ch, q_rej, q_rej_d) == pytest.approx((1116.962, 94.712, 1221.901, 1345.879), abs=1e-3)
    assert q_rej / q_rej_d == pytest.approx(x, rel=1e-12)
    rel = ACC / (t_tw - 13.4)
    assert thermal.chiller_cop(19.0, 25.5, "water", tower_load_frac=x) == pytest.approx(cop, rel=rel)
    assert h["economizer_frac"].eq(0.0).all() and h["derate_kw"].eq(0.0).all()
    assert h["it_fan_uplift_kw"].eq(0.0).all()
    np.testing.assert_allclose(h["heat_load_kw"], q, rtol=1e-12)
    np.testing.assert_allclose(h["chiller_kw"], ch, rtol=rel)
    np.testing.assert_allclose(h["fans_kw"], 0.046 * q + 0.0127 * q_rej_d, rtol=1e-12)
    # the model's own fixed point: the chiller's power sets the tower's heat, and so its pumps and water
    ch_h = h["chiller_kw"].to_numpy()
    np.testing.assert_allclose(h["pumps_kw"], 0.0155 * q + 0.0093 * (q + ch_h) / 0.99163, rtol=1e-12)
    np.testing.assert_allclose(h["facility_kw"], 1050.0 + ch_h + 0.0615 * q + 0.0093 * (q + ch_h) / 0.99163
                               + 0.0127 * q_rej_d, rtol=1e-12)
    np.testing.assert_allclose(h["water_l"], (q + ch_h) / 0.99163 * _l_per_kwh(35.0, 25.5), rtol=1e-12)
    whole = thermal.plant_hourly(1000.0, w, air, electrical_losses_kw=50.0,
                                 crah_fan_heat_to_air_frac=1.0, pump_heat_to_fluid_frac=1.0)
    q1 = 1050.0 / (1.0 - 0.0615)
    assert q1 / cop == pytest.approx(94.868, abs=1e-3)
    np.testing.assert_allclose(whole["chiller_kw"], q1 / cop, rtol=rel)
    cop = q / ch_h[0]   # the model's COP (its own tower water): the fixed point below holds to rounding
    # the fixed point: chiller x COP = IT + losses + the CRAH fan and CHW pump power it produces
    crah, chw = 0.046 * whole["heat_load_kw"], 0.0155 * whole["heat_load_kw"]
    np.testing.assert_allclose(whole["chiller_kw"] * cop, 1050.0 + crah + chw, rtol=1e-12)


@pytest.mark.parametrize("plant", [
    {"type": "air", "liquid_class": None},
    {"type": "liquid", "liquid_class": "W32"},
    {"type": "liquid", "liquid_class": "W32", "trim_chiller": True},
], ids=["air", "liquid-W32-tower", "liquid-W32-tower-trim"])
def test_annual_energy_balance_tower_rejects_every_in_loop_input(weathers, plant, heat_probe):
    """A year in Chicago (tower plants, default losses from the power chain, all in the space).
    Every electrical input inside the loops ends as heat the towers reject: IT, losses, CRAH
    fans, loop and tower-water pumps, chillers. With the tower fans set to 0 kW/kW (they blow
    outdoor air and load no loop) and every mover's heat counted whole, that is all of the
    site's input: heat rejected == facility_kw, hour by hour and over the year. The heat
    rejected is read back from the tower water (water_l = Qrej x the hour's make-up per kWh,
    dcplan.thermal_water). With the default 0.9 pump heat share the
    towers reject 10 % of the pump power less. (The old balance rejected IT + losses +
    chiller only: 4-6 % of the IT energy short.) Tolerance: float rounding."""
    w = weathers["chicago"]
    l_per_kwh = _l_per_kwh(w["temp_air"].to_numpy(), w["temp_wet_bulb_degc"].to_numpy(), w["pressure"].to_numpy())
    h = thermal.plant_hourly(1000.0, w, plant, tower_fan_kw_per_kw=0.0)
    np.testing.assert_allclose(h["water_l"] / l_per_kwh, h["facility_kw"] - 0.1 * h["pumps_kw"], rtol=1e-12)
    whole = thermal.plant_hourly(1000.0, w, plant, tower_fan_kw_per_kw=0.0, pump_heat_to_fluid_frac=1.0)
    rejected = whole["water_l"] / l_per_kwh
    np.testing.assert_allclose(rejected, whole["facility_kw"], rtol=1e-12)
    assert rejected.sum() == pytest.approx(whole["facility_kw"].sum(), rel=1e-12)
    # tower fans reject to outdoor air: the loops' heat and the chillers do not change with them
    d = thermal.plant_hourly(1000.0, w, plant)
    np.testing.assert_allclose(d["heat_load_kw"], h["heat_load_kw"], rtol=1e-12)
    np.testing.assert_allclose(d["chiller_kw"], h["chiller_kw"], rtol=1e-12)
    assert (d["fans_kw"] > h["fans_kw"]).all()


def test_nameplate_carries_the_loops_own_fan_and_pump_heat():
    """A loop is designed for its whole heat at the design IT, its own CRAH fan and pump heat
    included (module docstring, "Capacity"): cold hour, air plant, 1000 kW IT, no losses, heat
    share k = crah_fan_kw_per_kw x crah_fan_heat_to_air_frac + chw_pump_kw_per_kw x
    pump_heat_to_fluid_frac: k = 0 (both shares 0), 0.046 + 0.9 x 0.0155 = 0.05995 (defaults),
    0.0615 (both 1). The loop's heat is Q = 1000 / (1 - k) (1000, 1063.773, 1065.530 kW) and
    the IT capacity stays 1.1 x 1000 = 1100 kW whatever k; a plant with no margin holds exactly
    its design IT, without derate, on its design (hot, no economizer) hour too.
    Tolerance: float rounding."""
    w = _weather(-5.0, -10.0)
    hot = _weather(35.0, 25.5)
    air = {"type": "air", "liquid_class": None}
    for fan_h, pump_h, k in [(0.0, 0.0, 0.0), (1.0, 0.9, 0.05995), (1.0, 1.0, 0.0615)]:
        kw = dict(electrical_losses_kw=0.0, crah_fan_heat_to_air_frac=fan_h, pump_heat_to_fluid_frac=pump_h)
        h = thermal.plant_hourly(1000.0, w, air, **kw)
        np.testing.assert_allclose(h["heat_load_kw"], 1000.0 / (1.0 - k), rtol=1e-12)
        np.testing.assert_allclose(h["capacity_it_kw"], 1100.0, rtol=1e-12)
        d = thermal.plant_hourly(1000.0, hot, air, margin_frac=0.0, **kw)
        assert d["economizer_frac"].eq(0.0).all()
        np.testing.assert_allclose(d["capacity_it_kw"], 1000.0, rtol=1e-12)
        assert d["derate_kw"].max() <= 1e-9


def test_losses_follow_the_uplifted_it_power():
    """Air plant at half size (margin -0.5) on a hot hour: the inlet runs above the 27 degC knee,
    server fans add IT power, and that power passes through the same UPS/PDU/transformer chain:
    losses = dcplan.power.electrical_losses_kw(it + uplift, rated_kw=1000), not of 1000 kW
    (the old code kept the losses of 1000 kW). Losses given by the caller keep their loss
    fraction: 50 x (it + uplift) / 1000. Both feed the heat the loop must remove:
    heat_load_kw = (it + losses) / (1 - 0.05995), and facility = it + losses + cooling.
    Tolerance: float rounding."""
    from dcplan.power import electrical_losses_kw
    air = {"type": "air", "liquid_class": None}
    w = _weather(40.0, 27.0)
    with _overloaded():   # half size: below 0.6 x IT
        h = thermal.plant_hourly(1000.0, w, air, margin_frac=-0.5)
    it = h["it_kw"].to_numpy()
    assert (h["it_fan_uplift_kw"] > 1.0).all()
    np.testing.assert_allclose(h["electrical_losses_kw"], electrical_losses_kw(it, rated_kw=1000.0), rtol=1e-12)
    assert (h["electrical_losses_kw"] > electrical_losses_kw(1000.0, rated_kw=1000.0) + 1e-3).all()
    np.testing.assert_allclose(h["heat_load_kw"], (it + h["electrical_losses_kw"]) / 0.94005, rtol=1e-12)
    with _overloaded():
        g = thermal.plant_hourly(1000.0, w, air, margin_frac=-0.5, electrical_losses_kw=50.0)
    np.testing.assert_allclose(g["electrical_losses_kw"], 50.0 * g["it_kw"] / 1000.0, rtol=1e-12)
    np.testing.assert_allclose(g["facility_kw"], g["it_kw"] + g["electrical_losses_kw"] + g["cooling_kw"],
                               rtol=1e-12)


def test_fan_and_pump_heat_inputs_are_checked():
    """The heat shares are fractions; a loop whose movers add at least as much heat as they move
    (k >= 1: Q = B / (1 - k) has no solution) is an input error naming the field."""
    w = _weather(10.0, 5.0, hours=2)
    air = {"type": "air", "liquid_class": None}
    w32 = {"type": "liquid", "liquid_class": "W32"}
    for key, bad in (("crah_fan_heat_to_air_frac", 1.5), ("pump_heat_to_fluid_frac", -0.1)):
        with pytest.raises(InputError, match=rf"{key}.*allowed range \[0, 1\]"):
            thermal.plant_hourly(1000.0, w, air, **{key: bad})
    # 0.99 + 0.9 x 0.0155 = 1.004 kW of heat per kW moved: above the plausibility band of the CSV row
    # (dcplan.catalog_bands: 0.005-0.3 kW/kW), which an override must now meet too, so the band refuses
    # it first (within the bands k stays far below 1: 0.3 + 0.9 x 0.1 = 0.39)
    with pytest.raises(InputError, match=r"crah_fan_kw_per_kw=0.99 is refused as data/cooling_defaults.csv "
                                         r"would refuse it: 0.99 kW/kW is above the plausible band"):
        thermal.plant_hourly(1000.0, w, air, crah_fan_kw_per_kw=0.99)
    # a pump's power is at most 1 kW per kW moved (override range [0, 1]); at 1 with all of it
    # heating the water, 1 x 1 = 1 kW of heat per kW moved
    with pytest.raises(InputError, match=r"liquid_pump_kw_per_kw=1.2 is outside the allowed range \[0, 1\]"):
        thermal.plant_hourly(1000.0, w, w32, liquid_pump_kw_per_kw=1.2)
    with pytest.raises(InputError, match=r"liquid_pump_kw_per_kw=1 is refused.*0.005 to 0.12 kW/kW"):
        thermal.plant_hourly(1000.0, w, w32, liquid_pump_kw_per_kw=1.0, pump_heat_to_fluid_frac=1.0)


@pytest.mark.parametrize("rejection", ["tower", "dry"])
def test_trim_chiller_without_economizer_carries_the_whole_liquid_loop(rejection):
    """``economizer: false`` removes the free path; a liquid loop's trim chiller (sized to top up
    the tower or dry cooler, then a fixed half of the loop) was left as its only path and the plant derated
    every hour of the year (Phoenix: 8,760 h, 56 % of GPU time throttled). Without an economizer
    there is nothing to top up: the chiller is the loop's full-size plant. In a cold hour the
    COP sits at its cap, so every kW of heat (both loops, no economizer) costs 1/COP_max kW."""
    from dcplan.thermal_plant_params import plant_params
    from dcplan.specs.cooling import CoolingSpec
    plant = {"type": "liquid", "liquid_class": "W40", "heat_rejection": rejection, "trim_chiller": True,
             "economizer": False}
    cop_max = plant_params(CoolingSpec(**plant)).values["chiller_cop_max"]
    h = thermal.plant_hourly(1000.0, _weather(-10.0, -11.0), plant, electrical_losses_kw=0.0)
    assert (h["derate_kw"] == 0.0).all() and (h["economizer_frac"] == 0.0).all()
    np.testing.assert_allclose(h["chiller_kw"], h["heat_load_kw"] / cop_max, rtol=1e-12)


def test_setpoint_outside_the_ashrae_class_is_refused_where_the_site_loads(tmp_path):
    """An A1 hall at a 35 degC inlet: ``validate`` said ok and the run failed later without
    naming the file. ASHRAE TC9.9 (2021) allowable inlet: A1 15-32 degC."""
    from dcplan.errors import InputError
    from dcplan.site import load_site
    from conftest import DATA
    text = (DATA / "sites" / "phoenix-az.yaml").read_text()
    assert "  ashrae_class: A2\n" in text
    bad = tmp_path / "hot-a1.yaml"
    bad.write_text(text.replace("  ashrae_class: A2\n", "  ashrae_class: A1\n  inlet_setpoint_degc: 35\n")
                   .replace("file: weather/", f"file: {DATA}/weather/"))
    with pytest.raises(InputError, match=r"35 degC is outside ASHRAE class A1's allowable inlet range 15-32") as e:
        load_site(bad)
    assert str(bad) in str(e.value)


def test_setpoint_error_gives_ashraes_range_and_the_fields_overlap_apart():
    # ASHRAE TC9.9 H1 allowable inlet range: up to 25 degC (reference-data 3a; its 5 degC floor assumed,
    # thermal_plant_params); within the field's own 10-40 a setpoint may be 10-25. A sources audit found that overlap
    # named as the class's allowable range (A3 and A4 "10-40", ASHRAE's 5-40 and 5-45)
    from dcplan.specs.cooling import CoolingSpec
    with pytest.raises(ValueError, match=r"outside ASHRAE class H1's allowable inlet range 5-25 degC \(within the "
                                         r"field's 10-40: 10-25\)"):
        CoolingSpec(ashrae_class="H1", inlet_setpoint_degc=30.0)


def test_default_setpoint_stays_in_the_class_recommended_range():
    """H1 (high-density) recommended inlet 18-22 degC (ASHRAE TC9.9 2021): the 25 degC default
    was H1's allowable maximum and every hour counted outside the recommended band."""
    from dcplan.specs.cooling import CoolingSpec
    from dcplan.thermal_plant_params import plant_params
    assert plant_params(CoolingSpec(ashrae_class="H1")).values["inlet_setpoint_degc"] == 22.0
    assert plant_params(CoolingSpec(ashrae_class="A2")).values["inlet_setpoint_degc"] == 25.0
    assert plant_params(CoolingSpec(ashrae_class="H1", inlet_setpoint_degc=24.0)).values["inlet_setpoint_degc"] == 24.0
    h = thermal.plant_hourly(1000.0, _weather(20.0, 12.0), {"type": "air", "ashrae_class": "H1"})
    assert thermal.plant_summary(h, {"type": "air", "ashrae_class": "H1"})["hours_outside_recommended_h"] == 0


def test_design_hour_pue_is_the_worst_hour_of_the_two_design_days(weathers):
    """Full design IT on the dry-bulb and the evaporation design days; the design hour is the
    one of highest PUE. The design condition is exceeded in 0.4 % of the year's hours, so the
    year at the same IT has a few worse hours and an annual PUE below it."""
    plant = {"type": "liquid", "liquid_class": "W32"}
    w = weathers["phoenix"]
    r = thermal.design_hour_pue(1000.0, w, plant)
    by_day = {b: thermal.plant_hourly(1000.0, thermal.design_day(**thermal.design_conditions(w, basis=b)), plant,
                                      design_it_kw=1000.0)["pue"] for b in ("dry_bulb", "wet_bulb")}
    worst = max(by_day, key=lambda b: by_day[b].max())
    assert r["basis"] == worst and r["pue"] == by_day[worst].max()
    assert r["hour_ending"] == int(np.argmax(by_day[worst].to_numpy())) + 1
    year = thermal.plant_hourly(1000.0, w, plant, design_it_kw=1000.0)
    assert thermal.annual_pue(year) < r["pue"] <= year["pue"].max()
    with pytest.raises(InputError, match="design_it_kw"):
        thermal.design_hour_pue(0.0, w, plant)


def test_plant_overrides_must_stay_physical():
    """A tester's overrides the range checks let through: tower water at -8 degC, chilled water at
    -5 degC, a tower L/G typed in g/kg (the old fixed-share model's latent heat typed in MJ/kg gave
    WUE 1,968 L/kWh), a boolean margin."""
    from dcplan.errors import InputError
    from dcplan.thermal_plant_params import plant_params
    w32 = {"type": "liquid", "liquid_class": "W32"}
    for kw, match in (({"liquid_supply_margin_k": 40.0}, r"liquid_supply_margin_k: liquid loop supply at -8 degC"),
                      ({"crah_approach_k": 30.0}, r"crah_approach_k: chilled water at -5 degC"),
                      ({"tower_lg_ratio": 1600.0}, r"tower_lg_ratio.*\[0.75, 2.2\]"),
                      ({"margin_frac": True}, r"margin_frac: must be a number, got True")):
        with pytest.raises(InputError, match=match):
            plant_params(w32, **kw)
    # overriding resolved params re-derives the liquid supply: W32's 32 degC maximum - 5 K
    base = plant_params(w32)
    assert plant_params(base, liquid_supply_margin_k=5.0).liquid_supply_degc == 27.0
    with pytest.raises(InputError, match="liquid_supply_margin_k"):
        plant_params(base, liquid_supply_margin_k=40.0)
