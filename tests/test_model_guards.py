"""Edge cases and input guards across the thermal, weather, workload and power models: GPU
throttle limit, no-economizer capacity, wet-bulb pressure units, DST profile CSVs, the
recorded plant class, override bounds, power-curve exponent, seed range."""
from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import DcplanWarning, InputError
from dcplan.power import unit_power_kw
from dcplan.thermal_design_day import design_day
from dcplan.weather import wet_bulb_degc
from dcplan.workload import read_profile_csv, workload_profile

from conftest import WEATHER


def _weather(db, wb, hours=24, start="2025-01-15 01:00"):
    idx = pd.date_range(start, periods=hours, freq="h", tz="Etc/GMT+6")
    return pd.DataFrame({"temp_air": np.full(hours, float(db)),
                         "temp_wet_bulb_degc": np.full(hours, float(wb))}, index=idx)


# ------------------------------------------------------------------ 1. GPU throttle limit
def _const_it(kw=1000.0, n=600):
    idx = pd.date_range("2025-07-01", periods=n, freq="1s", tz="UTC")
    return pd.Series(kw, index=idx, name="it_kw")


def test_gpu_limit_does_not_throttle_normal_operation():
    # coolant held at the 40 degC setpoint, die = 40 + 40 K rise * 1000/1000 = 80 degC,
    # below the die limit 45 + 40 = 85 degC: no throttling (reviewer's t1_gpu.py had 121)
    s = thermal.simulate_lag(_const_it(), limit_on="gpu", summary_only=True)
    assert s["throttle_events"] == 0 and s["throttled_s"] == 0.0 and s["energy_lost_kwh"] == 0.0
    assert s["peak_monitored_temp_degc"] == pytest.approx(80.0, abs=1e-9)


@pytest.mark.parametrize("limit_on", ["coolant", "gpu"])
def test_gpu_and_coolant_limit_trip_at_the_same_step_at_full_power(limit_on):
    # undersized plant: Q = 500 kW against P = 1000 kW, C = 1000 kJ/K -> the coolant rises
    # 0.5 K per 1 s step from 40 degC, so at the start of step i it is 40 + 0.5 i.
    # coolant limit 45 degC reached at i = 10; at full power the die is coolant + 40, so
    # the die limit 85 degC is reached at the same step. Exact in binary floats.
    with pytest.warns(DcplanWarning, match="below the throttled hall's 600 kW"):  # 500 < 0.6 x 1000 kW
        r = thermal.simulate_lag(_const_it(n=30), capacity_kw=500.0, thermal_mass_kj_per_k=1000.0,
                                 limit_on=limit_on, dtype=np.float64)
    assert int(np.argmax(r["throttle"].to_numpy())) == 10
    assert not r["throttle"].iloc[:10].any()


# ------------------------------------------------------------- 2. no-economizer capacity
def test_no_economizer_capacity_is_chiller_only():
    # cold hour (wb -2 degC): COP capped at 12 >= design COP 11.60 (Tcond 35, CHW 19 degC),
    # so chiller capacity = design load Qd = (1 + 0.10) * 600 kW = 660 kW; losses 0 ->
    # capacity_it_kw = 660 kW. Before the fix the free-cooling path (economizer absent)
    # gave Qd * (29 - 1.5 + 2) / 3.9 = 4992 kW.
    w = _weather(0.0, -2.0)
    h = thermal.plant_hourly(600.0, w, {"type": "air", "liquid_class": None, "economizer": False},
                             electrical_losses_kw=0.0, design_it_kw=600.0, margin_frac=0.10)
    np.testing.assert_allclose(h["capacity_it_kw"], 660.0, rtol=1e-12)
    assert (h["economizer_frac"] == 0).all() and (h["derate_kw"] == 0).all()
    # at 700 kW IT the chiller-only plant derates by 700 - 660 = 40 kW
    h2 = thermal.plant_hourly(700.0, w, {"type": "air", "liquid_class": None, "economizer": False},
                              electrical_losses_kw=0.0, design_it_kw=600.0, margin_frac=0.10)
    np.testing.assert_allclose(h2["derate_kw"], 40.0, rtol=1e-9)


# ------------------------------------------------------------------- 3. wet-bulb inputs
def test_wet_bulb_rejects_pressure_not_in_pa_and_nan_rh():
    with pytest.raises(InputError, match=r"pressure.*Pa.*not hPa"):
        wet_bulb_degc(30.0, 50.0, 1013.25)
    with pytest.raises(InputError, match=r"pressure.*Pa"):
        wet_bulb_degc(30.0, 50.0, 101.325)
    with pytest.raises(InputError, match="pressure"):
        wet_bulb_degc(30.0, 50.0, np.array([101325.0, np.nan]))
    with pytest.raises(InputError, match="relative_humidity.*NaN"):
        wet_bulb_degc(30.0, np.nan, 101325.0)
    with pytest.raises(InputError, match="pressure_pa.*Pa"):
        design_day(43.4, 21.1, 12.0, pressure_pa=974.0)
    # a dry bulb in kelvin (or NaN) is refused, as a pressure in hPa is (it gave 254.6 °C)
    with pytest.raises(InputError, match=r"temp_air: must be a dry bulb in °C within \[-90, 60\].*got 300"):
        wet_bulb_degc(300.0, 50.0, 101325.0)
    with pytest.raises(InputError, match=r"temp_air: .*got nan"):
        wet_bulb_degc(np.array([20.0, np.nan]), 50.0, 101325.0)
    # range ends of weather._RANGES are accepted; saturated air: wet bulb = dry bulb
    assert wet_bulb_degc(20.0, 100.0, 30_000.0) == pytest.approx(20.0, abs=1e-6)
    assert wet_bulb_degc(20.0, 100.0, 110_000.0) == pytest.approx(20.0, abs=1e-6)


def test_a_binary_weather_file_is_named_as_not_text(tmp_path):
    """Random bytes named .epw: the error echoed 40 characters of them to the terminal."""
    from dcplan.weather import header_problem
    f = tmp_path / "x.epw"
    f.write_bytes(bytes(range(256)) * 2)
    msg = header_problem(f)
    assert msg.startswith("not a text file") and "not an EPW file" in msg
    assert all(ch.isprintable() for ch in msg)


def test_weather_format_name_is_case_insensitive():
    from dcplan.weather import load_weather
    epw = sorted(p for p in WEATHER.iterdir() if p.suffix == ".epw")[0]
    assert load_weather(epw, format="EPW").equals(load_weather(epw))


def test_free_cooling_hours_refuses_a_negative_approach():
    """site_climate's tower_approach_k -50 gave more free-cooling hours than the year has of
    wet bulb below the supply, with the headline "approach -50 K"."""
    from dcplan.weather import free_cooling_hours, load_weather
    w = load_weather(sorted(WEATHER.iterdir())[0])
    with pytest.raises(InputError, match=r"approach_k: must be an approach in K in \[0, 30\], got -50"):
        free_cooling_hours(w, 27.0, -50.0, wet=True)
    with pytest.raises(InputError, match=r"supply_degc: .*got nan"):
        free_cooling_hours(w, float("nan"), 5.0, wet=False)
    assert free_cooling_hours(w, 27.0, 5.0, wet=False) == float((w["temp_air"] <= 22.0).sum())


def test_design_day_refuses_a_wet_bulb_drier_than_dry_air():
    """At 45 °C and 101,325 Pa even 0 % RH air has a wet bulb near 16.4 °C; a 5 °C wet bulb
    (a dew point typed as wet bulb?) used to come back as 16.4 °C without a word."""
    from scipy.optimize import brentq

    def pws_pa(t):  # Magnus form over water (Alduchov & Eskridge 1996), independent of dcplan's
        return 610.94 * np.exp(17.625 * t / (t + 243.04))

    def w_from_wb(t, twb, p=101325.0):  # ASHRAE Fundamentals 2017 ch. 1 eq. 33
        ws = 0.621945 * pws_pa(twb) / (p - pws_pa(twb))
        return ((2501.0 - 2.326 * twb) * ws - 1.006 * (t - twb)) / (2501.0 + 1.86 * t - 4.186 * twb)

    wb_dry = brentq(lambda twb: w_from_wb(45.0, twb), 0.0, 45.0)  # W = 0: bone-dry air
    assert wb_dry == pytest.approx(16.4, abs=0.1)
    with pytest.raises(InputError, match=r"wb_coincident_degc: wet bulb 5.0 degC cannot occur at dry bulb 45.0 "
                                         r"degC .*0 % RH\) has a wet bulb of 16\.\d\d degC") as e:
        design_day(45.0, 5.0, 12.0)
    assert float(str(e.value).split("wet bulb of ")[1].split(" ")[0]) == pytest.approx(wb_dry, abs=0.05)
    # just above it is reached, as is a normal design day
    d = design_day(45.0, wb_dry + 0.2, 12.0)
    assert d["temp_wet_bulb_degc"].iloc[d["temp_air"].argmax()] == pytest.approx(wb_dry + 0.2, abs=0.01)


@pytest.mark.parametrize("path", sorted(WEATHER.iterdir()), ids=lambda p: p.name)
def test_every_bundled_weather_file_still_loads(path):
    from dcplan.weather import load_weather
    w = load_weather(path)
    assert len(w) == 8760 and np.isfinite(w["temp_wet_bulb_degc"]).all()


# ---------------------------------------------------------------- 4. DST in profile CSVs
def _csv(stamps):
    return io.StringIO("timestamp,utilisation_frac\n" + "".join(f"{t},0.5\n" for t in stamps))


def test_profile_csv_with_dst_offsets_is_read():
    idx = pd.date_range("2025-03-08 01:00", "2025-03-11 00:00", freq="h", tz="America/New_York")
    # 3 days x 24 h - 1 h skipped at the spring-forward change = 71 hourly rows
    s = read_profile_csv(_csv(t.isoformat() for t in idx))
    assert len(s) == 71 and s.index.freq == pd.Timedelta("1h")
    assert (s.index == idx).all()   # same instants
    s2 = read_profile_csv(_csv(t.isoformat() for t in idx), tz="America/New_York")
    assert str(s2.index.tz) == "America/New_York" and (s2.index == idx).all()


def test_profile_csv_naive_dst_stamps_are_clear_errors():
    fall = pd.date_range("2025-11-01 01:00", "2025-11-04 00:00", freq="h", tz="America/New_York")
    # 2025-11-02 01:00 is 24 h after the first row -> data row 24 -> CSV line 26
    with pytest.raises(InputError, match=r"row 26.*'2025-11-02T01:00:00' is ambiguous.*UTC offsets"):
        read_profile_csv(_csv(t.tz_localize(None).isoformat() for t in fall), tz="America/New_York")
    spring = pd.date_range("2025-03-09 00:00", "2025-03-09 05:00", freq="h")
    # wall clock 02:00 is skipped on 2025-03-09: third data row -> CSV line 4
    with pytest.raises(InputError, match=r"row 4.*'2025-03-09T02:00:00' does not exist"):
        read_profile_csv(_csv(t.isoformat() for t in spring), tz="America/New_York")


# ---------------------------------------------------------- 5. recorded plant in summary
def test_plant_summary_uses_the_recorded_ashrae_class():
    # cold weather, ample capacity: inlet = setpoint 24 degC every hour; H1 recommends
    # 18-22 degC, so all 24 hours are outside (A2 default recommends 18-27: 0 hours)
    spec = {"type": "air", "liquid_class": None, "ashrae_class": "H1", "inlet_setpoint_degc": 24.0}
    h = thermal.plant_hourly(500.0, _weather(0.0, -2.0), spec, design_it_kw=600.0)
    np.testing.assert_allclose(h["temp_inlet_degc"], 24.0, atol=1e-9)
    assert thermal.plant_summary(h)["hours_outside_recommended_h"] == 24
    assert thermal.plant_summary(h, spec)["hours_outside_recommended_h"] == 24


# ---------------------------------------------------------------- 6. override bounds
@pytest.mark.parametrize("key, value, allowed", [
    ("margin_frac", -1.0, r"\(-1, 2\]"), ("liquid_heat_frac", 1.5, r"\[0.5, 1\]"),
    ("tower_cycles", 1.0, r"\[2, inf\)"), ("psu_eff_frac", 0.0, r"\(0, 1\]"),
    ("chiller_cop_rated_water", -6.1, r"\(0, inf\)"), ("tower_approach_k", 0.0, r"\(0, inf\)"),
    ("chw_dt_k", float("nan"), r"\(0, inf\)"),
])
def test_overrides_are_range_checked(key, value, allowed):
    with pytest.raises(InputError, match=rf"{key}.*{key}=.*allowed range {allowed}"):
        thermal.plant_params(None, **{key: value})


def test_sourced_defaults_pass_their_own_override_bounds():
    from dcplan.thermal_plant import cooling_defaults
    thermal.plant_params(None, **cooling_defaults())


# --------------------------------------------------------- 7. curve exponent and seeds
@pytest.mark.parametrize("curve, r", [("concave", 0.5), ("concave", 3.0), ("convex", -1.0),
                                      ("convex", 0.0), ("convex", float("inf"))])
def test_curve_exponent_outside_monotone_range_is_rejected(curve, r):
    with pytest.raises(InputError, match="curve_exponent"):
        unit_power_kw(0.5, "hgx-h100", curve=curve, curve_exponent=r)


def test_curve_exponent_range_ends_stay_between_idle_and_max():
    u = np.array([0.0, 0.5, 1.0])
    # hgx-h100: idle 2.6 kW, max 10.2 kW. concave r = 2: f(0.5) = 1 - 0.25 = 0.75 ->
    # 2.6 + 0.75 * 7.6 = 8.3; r = 1 is linear: 6.4; convex r = 0.5: f = 0.7071 -> 7.974
    np.testing.assert_allclose(unit_power_kw(u, "hgx-h100", curve="concave", curve_exponent=2.0),
                               [2.6, 8.3, 10.2], rtol=1e-9)
    np.testing.assert_allclose(unit_power_kw(u, "hgx-h100", curve="concave", curve_exponent=1.0),
                               [2.6, 6.4, 10.2], rtol=1e-9)
    np.testing.assert_allclose(unit_power_kw(u, "hgx-h100", curve="convex", curve_exponent=0.5),
                               [2.6, 2.6 + 7.6 * 0.5 ** 0.5, 10.2], rtol=1e-9)


def test_negative_or_oversized_seed_is_rejected_not_aliased():
    idx = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="UTC")
    for bad in (-1, 2 ** 32):
        with pytest.raises(InputError, match=r"seed.*\[0, 2\*\*32 - 1\]"):
            workload_profile("inference", idx, 0.6, seed=bad)
    top = workload_profile("inference", idx, 0.6, seed=2 ** 32 - 1)
    assert np.isfinite(top).all()


def test_block_rng_takes_whole_numbers_only():
    """dcplan.power_timegrid._rng read its seed with int(): 2.7 became 2, True became 1, "5" became 5
    (make_process checks the seed it is given; this is the last line for any other caller)."""
    from dcplan.power_timegrid import _rng
    assert _rng(np.uint32(7), 1).random() == _rng(7, 1).random() == np.random.default_rng([7, 1]).random()
    for bad in (2.7, True, "5", -1, 2 ** 32):
        with pytest.raises(InputError, match=r"^seed: must be an integer in \[0, 2\*\*32 - 1\], got "):
            _rng(bad, 1)
