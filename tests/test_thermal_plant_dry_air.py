"""The air loop's own heat rejection, ``cooling.air_heat_rejection`` (dcplan.thermal_plant).

Before it existed the air (CRAH) loop always rejected to a cooling tower with a water-cooled
chiller: a liquid W45 site with dry coolers still evaporated 0.42 L/kWh (its air loop's tower),
and ``heat_rejection: dry`` on an air plant was accepted and silently ignored. With
``air_heat_rejection: dry`` the air loop runs the loop equations of a dry cooler in series with
an air-cooled chiller (``dcplan.thermal_plant_loop``, the liquid loop's trim-chiller path, here
with a full-size chiller) and evaporates no water; ``heat_rejection`` on an air plant is refused.

Every expected number is a hand calculation from the equations in the ``dcplan.thermal_plant_loop``
module docstring with the figures of ``data/cooling_defaults.csv``:

* chilled water ``Ts = inlet_setpoint_degc - crah_approach_k = 25 - 6 = 19 degC``, design rise
  ``chw_dt_k = 5.5 K``; class A2 maximum chilled water ``35 - 6 = 29 degC``;
* dry cooler: approach ``drycooler_approach_k = 8 K`` at its design heat (the loop's ``Qd``: the
  air-cooled chiller rejects its own heat), no plate HX; economizer fraction
  ``e = clip((Ts + dT - (Tdb + 8 Q / Qd)) / dT, 0, 1)``; fans ``0.02 kW/kW x Qd x speed^3``, full
  speed while the compressor runs, off with nothing to reject;
* air-cooled chiller: ``COP = min(12, eta (Ts + 273.15) / (Tdb + 15 - Ts))`` with ``eta`` fixed by
  the AHRI 550/590 air-cooled rating, COP 2.96 (EER 10.1 / 3.412) at 6.7 degC chilled water and
  35 degC dry bulb; capacity ``Qd min(1, COP / COP_d)``, ``COP_d`` the COP at the dry bulb the
  chiller is selected for (``chiller_design_db_degc``; by default the harsher of 35 degC and the
  weather's 0.4 % dry bulb, or a short frame's hottest hour).
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dcplan import pipeline, thermal
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_site
from dcplan.weather import free_cooling_hours, load_site_weather

AIR_DRY = {"type": "air", "liquid_class": None, "air_heat_rejection": "dry"}
#: a bare air loop: no losses, no design margin, no CRAH fan or chilled-water pump heat (k = 0),
#: so the loop's heat Q is the IT power and its nameplate Qd = 1000 kW at a 1000 kW design IT
BARE = dict(electrical_losses_kw=0.0, design_it_kw=1000.0, margin_frac=0.0, crah_fan_kw_per_kw=0.0,
            chw_pump_kw_per_kw=0.0)
#: Carnot fraction of the air-cooled chiller at the AHRI 550/590 rating point (data/cooling_defaults.csv:
#: chiller_cop_rated_air 2.96, chiller_rating_db_degc 35, aircooled_cond_approach_k 15,
#: chiller_rating_chw_degc 6.7): 2.96 x (35 + 15 - 6.7) / (6.7 + 273.15)
ETA_AIR = 2.96 * (35.0 + 15.0 - 6.7) / (6.7 + 273.15)


def _weather(db, wb, hours=3):
    idx = pd.date_range("2025-07-01 01:00", periods=hours, freq="h", tz="Etc/GMT+6")
    return pd.DataFrame({"temp_air": np.broadcast_to(np.asarray(db, float), hours),
                         "temp_wet_bulb_degc": np.broadcast_to(np.asarray(wb, float), hours)}, index=idx)


def _cop(t_db, t_chw=19.0):
    """The air-cooled COP by hand: eta (Tchw + 273.15) / (Tdb + 15 - Tchw), capped at 12."""
    return min(12.0, ETA_AIR * (t_chw + 273.15) / (t_db + 15.0 - t_chw))


# ------------------------------------------------------------------ one hour by hand
def test_cold_hour_dry_cooler_alone_no_compressor_no_water():
    """Dry bulb 5 degC, IT 1000 kW = Qd: the dry cooler at full load leaves 5 + 8 = 13 degC water,
    below the 19 degC setpoint, so e = 1 and no compressor runs. Its fans slow to the speed that
    just holds the setpoint, approach 8 K needed of 19 - 5 = 14 K available: speed 4/7, power
    0.02 x 1000 x (4/7)^3 = 3.7318 kW. No tower, no water. (The old air loop ignored the setting
    and ran its cooling tower here: water > 0.) Tolerance: float rounding."""
    h = thermal.plant_hourly(1000.0, _weather(5.0, 2.0), AIR_DRY, **BARE)
    assert h["free_cooling"].all() and h["economizer_frac"].eq(1.0).all()
    assert (0.02 * 1000.0 * (4.0 / 7.0) ** 3) == pytest.approx(3.7318, abs=1e-4)
    np.testing.assert_allclose(h["chiller_kw"], 0.0, atol=1e-12)
    np.testing.assert_allclose(h["fans_kw"], 0.02 * 1000.0 * (4.0 / 7.0) ** 3, rtol=1e-12)
    np.testing.assert_allclose(h["pumps_kw"], 0.0, atol=1e-12)
    np.testing.assert_allclose(h["facility_kw"], 1000.0 + 0.02 * 1000.0 * (4.0 / 7.0) ** 3, rtol=1e-12)
    assert h["water_l"].eq(0.0).all()
    np.testing.assert_allclose(h["temp_inlet_degc"], 25.0, rtol=1e-12)


def test_mild_hour_partial_economizer_chiller_at_its_cop_cap():
    """Dry bulb 14 degC: Tfree = 14 + 8 = 22 degC, e = (19 + 5.5 - 22) / 5.5 = 0.454545. The
    chiller's COP by the Carnot model at 14 degC is 0.457988 x 292.15 / (29 - 19) = 13.380, above the
    12 cap: chiller (1 - e) 1000 / 12 = 45.4545 kW. Compressor running: dry-cooler fans at full
    speed, 0.02 x 1000 = 20 kW. No water. Tolerance: float rounding; rounded figures to 1e-4."""
    h = thermal.plant_hourly(1000.0, _weather(14.0, 10.0), AIR_DRY, **BARE)
    e = (19.0 + 5.5 - 22.0) / 5.5
    assert (e, ETA_AIR * 292.15 / 10.0) == pytest.approx((0.454545, 13.3801), abs=1e-4)
    np.testing.assert_allclose(h["economizer_frac"], e, rtol=1e-12)
    np.testing.assert_allclose(h["chiller_kw"], (1.0 - e) * 1000.0 / 12.0, rtol=1e-12)
    np.testing.assert_allclose(h["fans_kw"], 20.0, rtol=1e-12)
    assert h["water_l"].eq(0.0).all() and not h["free_cooling"].any()


@pytest.mark.parametrize("t_db", [33.0, 40.0])
def test_hot_hour_air_cooled_chiller_follows_the_dry_bulb(t_db):
    """No economizer (Tfree = Tdb + 8 > 24.5 degC return), the dry cooler bypassed (nothing to
    reject: fans off). The air-cooled chiller carries the loop at its COP at that dry bulb:
    condensing at Tdb + 15 K, COP = eta 292.15 / (Tdb + 15 - 19) with eta = 0.457988: 4.6138 at 33 degC, 3.7167 at
    40 degC (design COP_d at 35 degC: 4.3162). At 33 degC (COP > COP_d) it has its rated capacity
    Qd = 1000 kW and draws 1000 / 4.6138 = 216.74 kW. At 40 degC its capacity falls with the COP
    (compressor-power limited) to 1000 x 31 / 36 = 861.11 kW: the plant derates 138.89 kW of IT,
    and the chiller draws 861.11 / COP = 1000 / COP_d = 231.69 kW, its rated power. (Before
    air_heat_rejection existed the air loop ran its tower whatever was asked.) The chiller is
    selected at the AHRI 35 degC, stated (``chiller_design_db_degc=35``): a 3-hour frame is otherwise
    selected for its own hottest hour, 40 degC, where it has its rated capacity
    (test_thermal_plant_selection.py). Tolerance: float rounding; rounded figures to 1e-4
    (COP) and 1e-2 (kW)."""
    h = thermal.plant_hourly(1000.0, _weather(t_db, 22.0), AIR_DRY, chiller_design_db_degc=35.0, **BARE)
    cop, cop_d = _cop(t_db), _cop(35.0)
    assert (_cop(33.0), _cop(40.0), cop_d) == pytest.approx((4.6138, 3.7167, 4.3162), abs=1e-4)
    assert h["economizer_frac"].eq(0.0).all() and h["water_l"].eq(0.0).all()
    np.testing.assert_allclose(h["fans_kw"], 0.0, atol=1e-12)   # dry cooler bypassed, no CRAH fans (BARE)
    if t_db < 35.0:
        assert 1000.0 / cop == pytest.approx(216.74, abs=1e-2)
        np.testing.assert_allclose(h["chiller_kw"], 1000.0 / cop, rtol=1e-12)
        assert h["derate_kw"].eq(0.0).all()
    else:
        cap = 1000.0 * cop / cop_d
        assert (cap, 1000.0 - cap, 1000.0 / cop_d) == pytest.approx((861.11, 138.89, 231.69), abs=1e-2)
        np.testing.assert_allclose(cap, 1000.0 * 31.0 / 36.0, rtol=1e-12)
        np.testing.assert_allclose(h["capacity_it_kw"], cap, rtol=1e-12)
        np.testing.assert_allclose(h["derate_kw"], 1000.0 - cap, rtol=1e-12)
        np.testing.assert_allclose(h["chiller_kw"], 1000.0 / cop_d, rtol=1e-12)


def test_air_cooled_chiller_draws_its_ahri_rating_at_the_rating_point():
    """At the AHRI 550/590 air-cooled rating point, 6.7 degC chilled water and 35 degC dry bulb,
    the air loop's chiller has the rated COP of data/cooling_defaults.csv, 2.96 (EER 10.1 /
    3.412; ASHRAE 90.1-2016 Table 6.8.1-3, air-cooled >= 150 tons): 1000 kW of heat costs
    1000 / 2.96 = 337.84 kW. The setpoint 12.7 degC inlet - 6 K CRAH approach = 6.7 degC (within
    A2's 10-35 degC allowable), below the room's 15 degC dew point limit (ASHRAE TC 9.9 recommended
    envelope), so the plant warns of the coils' condensation. Tolerance: float rounding."""
    with pytest.warns(DcplanWarning, match=r"chilled water is 6.7 degC .* below the room's dew point limit"):
        h = thermal.plant_hourly(1000.0, _weather(35.0, 22.0), {**AIR_DRY, "inlet_setpoint_degc": 12.7}, **BARE)
    assert h["derate_kw"].eq(0.0).all() and h["economizer_frac"].eq(0.0).all()
    np.testing.assert_allclose(h["chiller_kw"], 1000.0 / 2.96, rtol=1e-12)


# ------------------------------------------------------------------ a year: water and defaults
@pytest.fixture(scope="module")
def nova():
    site = load_site("northern-virginia")   # liquid W45: dry cooler on the liquid loop (data/sites)
    return site, load_site_weather(site)


def _it_profile(n):
    """A daily ramp 700 .. 1000 kW (part load every day)."""
    return 1000.0 * (0.7 + 0.3 * (np.arange(n) % 24) / 23.0)


def test_fully_dry_liquid_site_uses_no_water_over_a_year(nova):
    """northern-virginia (W45, dry cooler) with air_heat_rejection: dry: no loop rejects to a
    tower, so the year's water is exactly 0 (no evaporation term exists). With the default tower
    on the air loop the site uses ~0.33 L/kWh: the air loop's ~15 % of the heat, 0.236 kWh rejected
    per IT kWh (0.42 L/kWh under the former fixed 90 % evaporated share, 0.9 x 3600 / 2430 x 4/3 =
    1.78 L per kWh rejected), at the air-side balance's make-up of Dulles's hours, 1.39 L per kWh
    rejected weighted by the tower heat (an evaporated share ~0.70: mild, humid air; the hourly
    figure is worked by hand in tests/test_thermal_water.py). Exact zero: no tolerance; the
    default's WUE to 0.01 (a range, not a golden value)."""
    site, w = nova
    it = _it_profile(len(w))
    dry = {**site.cooling.model_dump(), "air_heat_rejection": "dry"}
    h = thermal.plant_hourly(it, w, dry, design_it_kw=1000.0)
    s = thermal.plant_summary(h)
    assert h["water_l"].eq(0.0).all() and s["water_m3"] == 0.0 and s["wue_l_per_kwh"] == 0.0
    assert h.attrs["plant"]["air_heat_rejection"] == "dry" and h.attrs["plant"]["heat_rejection"] == "dry"
    tower = thermal.plant_summary(thermal.plant_hourly(it, w, site.cooling, design_it_kw=1000.0))
    assert tower["wue_l_per_kwh"] == pytest.approx(0.33, abs=0.01)


def test_air_plant_can_be_waterless_through_the_pipeline():
    """chicago-il (air plant): cooling.air_heat_rejection: dry gives WUE 0 and a different PUE
    (an air-cooled chiller and a dry-cooler economizer, which is free below 11 degC dry bulb
    instead of 13.6 degC wet bulb). Before, the only knob (heat_rejection) changed nothing on
    an air plant. Exact zero; the PUE only has to move (1e-3: it rises by ~0.03)."""
    site = load_site("chicago-il")
    base = pipeline.case_figures(site)
    dry = pipeline.case_figures(site, **{"cooling.air_heat_rejection": "dry"})
    assert base["wue_l_per_kwh"] > 1.0 and dry["wue_l_per_kwh"] == 0.0
    assert dry["annual_pue"] > base["annual_pue"] + 1e-3


@pytest.mark.parametrize("sid, pue, water_l", [
    # plant_hourly before air_heat_rejection existed (2026, same inputs), with the tower's approach held
    # at its 3.9 K design value at any wet bulb (the model before the Merkel approach). The default
    # loop is the tower loop: both give the same figures (1e-12: float summation order unchanged). The
    # Merkel tower, wider in every hour below its 25.5 degC design wet bulb, needs its chiller in more
    # hours: a higher PUE and, with the compressor heat it rejects, more water than those figures
    # (regression values of the constant-approach model, bounds here, not the answer)
    ("chicago-il", 1.1712028396748826, 11573254.404969653),
    ("northern-virginia", 1.1060018140810286, 2452462.731552222),
])
def test_default_tower_air_loop_results_unchanged(sid, pue, water_l):
    site = load_site(sid)
    w = load_site_weather(site)
    got = []
    for cooling in (site.cooling, {**site.cooling.model_dump(), "air_heat_rejection": "tower"}):
        h = thermal.plant_hourly(_it_profile(len(w)), w, cooling, design_it_kw=1000.0)
        got.append((thermal.annual_pue(h), float(h["water_l"].sum())))
    assert got[0] == pytest.approx(got[1], rel=1e-12)
    # the bounds are of the model with CRAH fans and loop pumps linear in the heat (2026-12 they run on part-load
    # curves, dcplan.thermal_part_load, which lowers the PUE below them): compared on those movers
    lin = {f"{m}_plr_c{i}": float(i == 1) for m in ("crah_fan", "pump") for i in range(4)}
    h = thermal.plant_hourly(_it_profile(len(w)), w, site.cooling, design_it_kw=1000.0, crah_fan_min_flow_frac=0.0,
                             pump_min_flow_frac=0.0, **lin)
    assert thermal.annual_pue(h) > pue and float(h["water_l"].sum()) > water_l


# ------------------------------------------------------------------ the refusal
def test_heat_rejection_on_an_air_plant_is_refused_naming_air_heat_rejection():
    """It was accepted and ignored (identical PUE, water and bill). The liquid loop keeps it."""
    msg = r"heat_rejection 'dry' is the liquid loop's .* type 'air' has no liquid loop.*air_heat_rejection: dry"
    with pytest.raises(InputError, match=msg):
        thermal.plant_params({"type": "air", "liquid_class": None, "heat_rejection": "dry"})
    with pytest.raises(InputError, match=msg):
        pipeline.case_figures(load_site("chicago-il"), **{"cooling.heat_rejection": "dry"})
    with pytest.raises(InputError, match=r"heat_rejection 'tower' is the liquid loop's"):
        thermal.plant_params({"type": "air", "liquid_class": None, "heat_rejection": "tower"})
    p = thermal.plant_params({"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry",
                              "air_heat_rejection": "tower"})
    assert (p.heat_rejection, p.air_heat_rejection) == ("dry", "tower")
    with pytest.raises(InputError, match=r"air_heat_rejection"):
        thermal.plant_params({"type": "air", "liquid_class": None, "air_heat_rejection": "wet"})


# ------------------------------------------------------------------ the climate screen
def test_screen_of_a_dry_air_loop_counts_dry_bulb_hours_by_hand():
    """A dry air loop is screened on the dry bulb: free while Tdb <= 19 - 8 = 11 degC (chilled
    water 25 - 6 K CRAH approach, drycooler_approach_k 8 K, no plate HX). Hand counts on the bundled
    weather (2026): chicago-il 4,398 h (its tower screen, wet bulb <= 7.29 degC with the Merkel approach
    at full design heat: 4,219 h; 5,838 h with a 3.9 K approach at any wet bulb),
    northern-virginia 3,879 h. Integer hour counts: exact. Every screen hour is a plant hour with
    no compressor at 80 % of the design IT (a dry cooler's approach is smaller at part load)."""
    counts = {"chicago-il": 4398.0, "northern-virginia": 3879.0}
    for sid, want in counts.items():
        site = load_site(sid)
        w = load_site_weather(site)
        cooling = {**site.cooling.model_dump(), "air_heat_rejection": "dry"}
        lim = thermal.free_cooling_limits(cooling)
        air = lim["air"]
        assert (air["rejection"], air["wet"], air["hx_approach_k"], air["chiller"]) == ("dry", False, 0.0, True)
        assert air["limit_degc"] == pytest.approx(11.0, abs=1e-12)
        assert air["rule"] == "dry bulb ≤ 11 °C = 19 °C - 8 K dry-cooler approach"
        hand = float((w["temp_air"] <= 25.0 - 6.0 - 8.0).sum())
        assert free_cooling_hours(w, air["supply_degc"], air["approach_k"], air["wet"]) == hand == want
        h = thermal.plant_hourly(800.0, w, cooling, design_it_kw=1000.0)
        screen = (w["temp_air"] <= air["limit_degc"]).to_numpy()
        assert not (screen & ~h["free_cooling"].to_numpy()).any()
    # the liquid loop's screen is unchanged by the air loop's rejector (the W32 tower's, in
    # tests/test_thermal_plant_screen.py: wb + A(wb) + 1.5 = 30 at 24.26 degC, A = 4.24 K Merkel)
    assert thermal.free_cooling_limits({"type": "liquid", "liquid_class": "W32", "air_heat_rejection": "dry"})[
        "liquid"]["rule"] == thermal.free_cooling_limits({"type": "liquid", "liquid_class": "W32"})["liquid"]["rule"] == (
        "wet bulb ≤ 24.26 °C = 30 °C - 4.24 K tower (Merkel, at that wet bulb, full design heat) "
        "- 1.5 K heat-exchanger approach")


@pytest.mark.slow
def test_site_climate_labels_name_the_air_loops_dry_cooler(tmp_path):
    """The site_climate notebook said "the air loop's cooling tower" whatever the plant; with a
    dry air loop it names the dry cooler and its dry-bulb screen. Counts as in the test above."""
    from dcplan.report import render
    names = []
    for sid in ("chicago-il", "northern-virginia"):
        site = load_site(sid)
        txt = open(site.source_file).read()
        assert f"file: {site.weather.file}\n" in txt and "cooling:\n  type: " in txt
        txt = txt.replace(f"file: {site.weather.file}\n", f"file: {site.weather_path}\n").replace(
            "cooling:\n", "cooling:\n  air_heat_rejection: dry\n", 1)
        (tmp_path / f"{sid}-dry.yaml").write_text(txt)
        names.append(f"{sid}-dry")
    (tmp_path / "p.yaml").write_text("name: dry air loops\nsites:\n" + "".join(f"  - {n}.yaml\n" for n in names))
    s = render(portfolio=tmp_path / "p.yaml", notebooks=["site_climate"], out=tmp_path / "out", jobs=1,
               progress=False)
    assert s.ok, s.table()
    res = {n: json.loads((tmp_path / "out" / n / "site_climate" / "results.json").read_text())["results"]
           for n in names}
    c = res["chicago-il-dry"]   # air plant: its one loop is the dry air loop
    assert c["free_cooling_dry_h"]["value"] == 4398.0
    assert c["free_cooling_dry_h"]["label"].startswith(
        "Hours the dry cooler alone can make the 19 °C chilled water (climate screen: dry bulb ≤ 11 °C")
    assert c["free_cooling_wet_h"]["label"].startswith("What-if: hours a cooling tower alone could")
    v = res["northern-virginia-dry"]["free_cooling_air_loop_h"]
    assert v["value"] == 3879.0
    assert v["label"].startswith("Hours the air loop's dry cooler alone can make its 19 °C chilled water "
                                 "(climate screen: dry bulb ≤ 11 °C")
