"""The free-cooling climate screen (dcplan.thermal.free_cooling_limits with
dcplan.weather.free_cooling_hours, the site_climate notebook) against the plant model it screens.

The screen once took the liquid class maximum (32 degC) for the supply, a 7 K tower approach and
18 degC chilled water, while the plant model holds 30 degC (32 - 2 K margin), a 3.9 K tower + 1.5 K
plate heat-exchanger approach and 19 degC (25 degC inlet - 6 K CRAH approach): the two published
free-cooling figures disagreed (Research Triangle 8,692 vs 4,999 h). These tests tie the screen to
the plant's own figures and show where the plant model and the screen meet.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import InputError
from dcplan.thermal_plant import W_CLASS_MAX_DEGC, cooling_defaults
from dcplan.weather import free_cooling_hours, load_weather

from conftest import CHICAGO_EPW, GREENSBORO_TMY3, reference_wet_bulb
from test_tower_merkel_ref import ACC, approach, root

D = cooling_defaults()
AIR = {"type": "air", "liquid_class": None}


def _tower_limit(supply, hx, **design):
    """Wet bulb up to which the tower at full design heat plus the plate HX hold ``supply``: the root of
    wb + A(wb) + hx = supply with A the point-by-point Merkel approach (tests/test_tower_merkel_ref.py;
    the tower selected for 3.9 K at 25.5 degC unless ``design`` says otherwise). [degC]"""
    return root(lambda wb: wb + approach(wb, **design) + hx - supply, -30.0, supply - hx)


def _weather(db, wb, hours=24):
    idx = pd.date_range("2025-07-01 01:00", periods=hours, freq="h", tz="Etc/GMT+5")
    return pd.DataFrame({"temp_air": np.broadcast_to(np.asarray(db, float), hours),
                         "temp_wet_bulb_degc": np.broadcast_to(np.asarray(wb, float), hours)}, index=idx)


# ------------------------------------------------------------- the plant's own figures
def test_limits_are_the_plant_models_setpoints_and_approaches():
    lim = thermal.free_cooling_limits(None)   # the default plant: liquid W32, tower, no trim chiller
    assert list(lim) == ["liquid", "air"]
    liq, air = lim["liquid"], lim["air"]
    # data/cooling_defaults.csv: liquid_supply_margin_k 2, tower_approach_k 3.9, hx_approach_k 1.5,
    # inlet_setpoint_degc 25, crah_approach_k 6; W32 maximum 32 degC (ASHRAE TC9.9). Sums of
    # decimal inputs: abs 1e-12
    assert W_CLASS_MAX_DEGC["W32"] - D["liquid_supply_margin_k"] == 30.0
    # The tower's approach at full design heat is Merkel's at the limit's own wet bulb (the tower selected
    # for 3.9 K at 25.5 degC, wider in cooler air): wb + A(wb) + 1.5 = 30 at 24.2565 degC (A = 4.2435 K;
    # a 3.9 K approach at any wet bulb gave 24.6), = 19 at 7.2901 degC (A = 10.2099 K; was 13.6).
    # Tolerance: both bisections' precision, 1e-7 K
    assert liq["supply_degc"] == pytest.approx(30.0, abs=1e-12)
    t_liq, t_air = _tower_limit(30.0, 1.5), _tower_limit(19.0, 1.5)
    assert (t_liq, t_air) == pytest.approx((24.2565, 7.2901), abs=1e-4)
    assert liq["limit_degc"] == pytest.approx(t_liq, abs=1e-7)
    assert liq["approach_k"] == pytest.approx(30.0 - t_liq, abs=1e-7)
    assert liq["rejector_approach_k"] == pytest.approx(approach(t_liq), abs=1e-7)
    assert (liq["rejection"], liq["wet"], liq["chiller"], liq["free_path"]) == ("tower", True, False, True)
    assert air["supply_degc"] == pytest.approx(25.0 - 6.0, abs=1e-12)
    assert air["limit_degc"] == pytest.approx(t_air, abs=1e-7)
    assert (air["rejection"], air["chiller"]) == ("tower", True)
    assert liq["rule"] == ("wet bulb ≤ 24.26 °C = 30 °C - 4.24 K tower (Merkel, at that wet bulb, full design heat) "
                           "- 1.5 K heat-exchanger approach")
    # W45: dry cooler (docs/reference-data.md 3b), supply 45 - 2 = 43, approach drycooler_approach_k 8, no HX
    w45 = thermal.free_cooling_limits({"type": "liquid", "liquid_class": "W45"})["liquid"]
    assert (w45["rejection"], w45["wet"], w45["hx_approach_k"]) == ("dry", False, 0.0)
    assert w45["limit_degc"] == pytest.approx(43.0 - 8.0, abs=1e-12)
    assert w45["rule"] == "dry bulb ≤ 35 °C = 43 °C - 8 K dry-cooler approach"
    # an air plant has the air loop only
    assert list(thermal.free_cooling_limits(AIR)) == ["air"]


def test_limits_follow_the_spec_and_overrides_as_the_plant_does():
    # what the plant model is given, the screen is given: spec fields and override keys
    spec = {"type": "liquid", "liquid_class": "W40", "inlet_setpoint_degc": 22.0}
    lim = thermal.free_cooling_limits(spec, tower_approach_k=5.0, hx_approach_k=2.0, liquid_supply_margin_k=3.0)
    p = thermal.plant_params(spec, tower_approach_k=5.0, hx_approach_k=2.0, liquid_supply_margin_k=3.0)
    # the tower selected for 5 K at the AHRI wet bulb 29.4 - 5 = 24.4 degC: wb + A(wb) + 2 = 37 at 32.0376
    # degC (above its design wet bulb: A = 2.96 K), = 16 at -1.1758 degC (was 30 and 9 with 5 K at any wet bulb)
    assert lim["liquid"]["supply_degc"] == p.liquid_supply_degc == 40.0 - 3.0
    t_liq = _tower_limit(37.0, 2.0, design_wb=24.4, design_approach=5.0)
    t_air = _tower_limit(16.0, 2.0, design_wb=24.4, design_approach=5.0)
    assert (t_liq, t_air) == pytest.approx((32.0376, -1.1758), abs=1e-4)
    assert lim["liquid"]["limit_degc"] == pytest.approx(t_liq, abs=1e-7)
    assert lim["air"]["limit_degc"] == pytest.approx(t_air, abs=1e-7)
    # economizer: false with a trim chiller (W27): the chiller carries the loop, no free path
    w27 = thermal.free_cooling_limits({"type": "liquid", "liquid_class": "W27", "economizer": False})
    assert not w27["liquid"]["free_path"] and not w27["air"]["free_path"]
    # what-ifs of the screen: the other rejector for the first loop, another chilled water
    alt = thermal.free_cooling_limits(None, rejection="dry", chw_supply_degc=16.0)
    assert alt["liquid"]["limit_degc"] == pytest.approx(30.0 - 8.0, abs=1e-12)
    assert alt["air"]["limit_degc"] == pytest.approx(_tower_limit(16.0, 1.5), abs=1e-7)   # 2.0749 degC
    with pytest.raises(InputError, match=r"^rejection: unknown heat rejection 'wet'; allowed: tower, dry"):
        thermal.free_cooling_limits(None, rejection="wet")
    with pytest.raises(InputError, match=r"^chw_supply_degc: .* in \(0, 60\], got nan"):
        thermal.free_cooling_limits(None, chw_supply_degc=float("nan"))
    with pytest.raises(InputError, match=r"^tower_approach_k: override tower_approach_k=0"):
        thermal.free_cooling_limits(None, tower_approach_k=0)


# ------------------------------------------------- where the plant model and the screen meet
@pytest.mark.parametrize("cls, col", [("W32", "temp_wet_bulb_degc"), ("W45", "temp_air")])
def test_screen_limit_is_where_the_plant_loop_loses_its_setpoint_at_design_heat(cls, col):
    """A liquid loop without a chiller holds its setpoint while ``To + Ahx + A(To, x) <= Ts``
    (dcplan.thermal_plant_loop; x = Q / ((1 - h_pump w) Qrej_d), Qrej_d = Qd / (1 - h_pump w) for a
    tower, Qd for a dry cooler; a tower's A by Merkel, a dry cooler's A_d x). With no design margin and
    the IT at the design, Q = Qd, x = 1: the plant loses its setpoint at the screen's limit, and above it
    supplies To + A(To, 1) + Ahx. The old screen limit (32 - 7 = 25 degC wet bulb) lies 0.4 K above the
    design-approach 24.6, and that 0.34 K above the Merkel 24.26: this test would have caught both.
    Tower: 0.05 K either side, as the plant's approach table is within 0.03 K of the scalar Merkel the
    screen solves with (d(wb + A)/d wb is about 0.8), and the supply above it to that 0.03 K."""
    spec = {"type": "liquid", "liquid_class": cls}
    lim = thermal.free_cooling_limits(spec, margin_frac=0.0)["liquid"]
    t_set = lim["supply_degc"]
    tower = col == "temp_wet_bulb_degc"
    for d in ((-0.05, 0.05) if tower else (-0.01, 0.01)):
        t_out = lim["limit_degc"] + d
        # wet bulb 24.59/24.61 with dry bulb 5 K above; dry bulb 34.99/35.01 with wet bulb 10 K below
        w = _weather(t_out + 5.0, t_out) if col == "temp_wet_bulb_degc" else _weather(t_out, t_out - 10.0)
        h = thermal.plant_hourly(1000.0, w, spec, design_it_kw=1000.0, margin_frac=0.0)
        # below: the setpoint; above: t_out + A + Ahx (rounding of the sums: 1e-9; a tower's A: 0.03 K)
        if d < 0:
            np.testing.assert_allclose(h["temp_liquid_supply_degc"], t_set, atol=1e-9)
        elif tower:
            assert t_out + approach(t_out) + 1.5 > t_set
            np.testing.assert_allclose(h["temp_liquid_supply_degc"], t_out + approach(t_out) + 1.5, atol=ACC)
        else:
            np.testing.assert_allclose(h["temp_liquid_supply_degc"], t_out + lim["approach_k"], atol=1e-9)
        assert h["derate_kw"].max() < 1e-6   # a fully cooled plant: only the loop's setpoint moves


@pytest.fixture(scope="module")
def greensboro():
    return load_weather(GREENSBORO_TMY3)


def test_every_screen_hour_is_a_plant_free_hour_on_real_weather(greensboro):
    # part load makes a rejector's approach smaller than its design one, so the plant model
    # finds at least the screen's hours for each loop (site_climate's last section). Here W32
    # and an air plant on the Greensboro TMY3 (research-triangle-nc's file), a constant IT load
    # of 80 % of the design
    w = greensboro
    it = 800.0
    liq_lim = thermal.free_cooling_limits(None)
    h = thermal.plant_hourly(it, w, None, design_it_kw=1000.0)
    screen = (w["temp_wet_bulb_degc"] <= liq_lim["liquid"]["limit_degc"]).to_numpy()
    at_set = np.abs(h["temp_liquid_supply_degc"].to_numpy() - liq_lim["liquid"]["supply_degc"]) < 1e-9
    assert screen.sum() > 8000 and not (screen & ~at_set).any()
    # no compressor anywhere (plant_summary's free_cooling_h): in a W32 plant the air loop's
    # chiller decides, so the air-loop screen is the bound, not the liquid one
    air_screen = (w["temp_wet_bulb_degc"] <= liq_lim["air"]["limit_degc"]).to_numpy()
    free = h["free_cooling"].to_numpy()
    assert not (air_screen & ~free).any() and free.sum() < screen.sum()
    a = thermal.plant_hourly(it, w, AIR, design_it_kw=1000.0)
    air_only = (w["temp_wet_bulb_degc"] <= thermal.free_cooling_limits(AIR)["air"]["limit_degc"]).to_numpy()
    assert not (air_only & ~a["free_cooling"].to_numpy()).any()


# ------------------------------------------------------------- the screen's hours by hand
def test_screen_hours_equal_a_hand_count_with_the_plants_setpoint_and_approach(tmp_path):
    from conftest import LIQUID_W32, bundled_site_copy
    from dcplan.site import load_site
    from dcplan.weather import load_site_weather
    # liquid W32, tower
    site = load_site(bundled_site_copy(tmp_path, "research-triangle-nc", "research-triangle-nc", cooling=LIQUID_W32))
    w = load_site_weather(site)
    lim = thermal.free_cooling_limits(site.cooling)
    got = {k: free_cooling_hours(w, v["supply_degc"], v["approach_k"], v["wet"]) for k, v in lim.items()}
    # hand count: wet bulb <= 24.2565 degC (liquid loop: wb + A(wb) + 1.5 = 30) and <= 7.2901 degC (air
    # loop: = 25 - 6), A the Merkel approach at full design heat, numbers from data/cooling_defaults.csv
    # and the W32 maximum; integer hour counts, exact, of PsychroLib's wet bulb of each hour's dry bulb, dew
    # point (over water below 0 °C too, the file's convention) and pressure (conftest.reference_wet_bulb).
    # 8,603 and 3,003 h counted on the bundled Greensboro TMY3; 3,005 while a sub-zero dew point was read as a
    # frost point (before ca51aaf: over water 2 of those hours' wet bulbs are above 7.29 °C); a 3.9 K approach
    # at any wet bulb gave 8,652 and 4,748 h, the old screen's wet bulb <= 25 8,692 h
    wb, ref = w["temp_wet_bulb_degc"], reference_wet_bulb(w)
    t_liq, t_air = _tower_limit(30.0, 1.5), _tower_limit(19.0, 1.5)
    assert got["liquid"] == float((wb <= t_liq).sum()) == float((ref <= t_liq).sum()) == 8603.0
    assert got["air"] == float((wb <= t_air).sum()) == float((ref <= t_air).sum()) == 3003.0


@pytest.mark.slow
def test_site_climate_publishes_the_plants_screen_with_labels_that_say_what_it_counts(tmp_path):
    from dcplan.report import render
    from dcplan.site import load_site
    from dcplan.weather import load_site_weather
    from conftest import liquid_portfolio
    sites = ["research-triangle-nc", "chicago-il"]
    pf = liquid_portfolio(tmp_path / "sites")  # Research Triangle on liquid W32
    s = render(portfolio=pf, sites=sites, notebooks=["site_climate"], out=tmp_path / "out", jobs=1, progress=False)
    assert s.ok, s.table()
    res = {k: json.loads((tmp_path / "out" / k / "site_climate" / "results.json").read_text())["results"]
           for k in sites}
    # hand counts as above (data/cooling_defaults.csv figures; integer hours, exact), with the site's own
    # tower: selected with the chillers at the harsher of the AHRI 25.5 °C and the weather's 0.4 % wet bulb,
    # here the Greensboro TMY3's 99.6th percentile, 25.52 °C (it has no ASHRAE header), so wb + A(wb) + 1.5
    # = 30 at 24.2486 °C (24.2565 for the tower selected at 25.5 °C)
    wb = load_site_weather(load_site("research-triangle-nc"))["temp_wet_bulb_degc"]
    d = max(25.5, float(np.quantile(wb.to_numpy(), 0.996)))
    assert d == pytest.approx(25.5204, abs=1e-4)
    r = res["research-triangle-nc"]
    # was 8,652 (<= 24.6 with a 3.9 K approach at any wet bulb), 8,692 (<= 25)
    assert r["free_cooling_wet_h"]["value"] == float((wb <= _tower_limit(30.0, 1.5, design_wb=d)).sum()) == 8601.0
    assert r["free_cooling_air_loop_h"]["value"] == float((wb <= _tower_limit(19.0, 1.5, design_wb=d)).sum())
    assert r["free_cooling_wet_h"]["label"].startswith(
        "Hours the cooling tower alone can hold the 30 °C liquid supply (climate screen: wet bulb ≤ 24.25 °C")
    assert "the tower selected for a 3.9 K approach at 25.52 °C wet bulb" in r["free_cooling_wet_h"]["label"]
    # the plant model counts at least the air loop's screen, with the same (Merkel) tower
    assert "the plant model, with the same rejector, counts at least these hours" in \
        r["free_cooling_air_loop_h"]["label"]
    assert "upper bound" not in r["free_cooling_air_loop_h"]["label"]
    assert r["free_cooling_dry_h"]["label"].startswith("What-if: hours a dry cooler alone could hold the 30 °C")
    assert r["supply_degc"]["value"] == 30.0
    # Chicago, air plant: the 19 degC chilled water (was 18 degC with a 7 K approach: 5,144 h)
    wb = load_site_weather(load_site("chicago-il"))["temp_wet_bulb_degc"]
    c = res["chicago-il"]
    assert c["free_cooling_wet_h"]["value"] == float((wb <= _tower_limit(19.0, 1.5)).sum()) == 4219.0   # 5,838 (<= 13.6)
    assert c["free_cooling_wet_h"]["label"].startswith(
        "Hours the cooling tower alone can make the 19 °C chilled water")
    assert "free_cooling_air_loop_h" not in c
