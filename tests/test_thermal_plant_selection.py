"""The condition a chiller is selected for (dcplan.thermal_plant_params.chiller_design_conditions).

A chiller's capacity in the hourly plant is ``Qch = Qch_rated min(1, COP / COP_d)``
(``dcplan.thermal_plant_loop``, "chiller capacity"). ``COP_d`` was the COP at the AHRI 550/590
rating point (35 degC air; 29.4 degC entering condenser water), so every chiller was in effect
selected for 35 degC air: a Phoenix air plant with an air-cooled chiller throttled hundreds of
hours a year although any designer sizes it for Phoenix. Now ``COP_d`` is taken at the condition
the chiller is selected for: the harsher of the AHRI point and the weather's 0.4 % design dry bulb
(air-cooled) or evaporation wet bulb (water-cooled), overridable by ``chiller_design_db_degc`` /
``chiller_design_wb_degc``; the COP itself (``eta``) stays fixed by the AHRI point.

Every expected number is a hand calculation from the Carnot formula of the module docstring:
``COP = eta (Ts + 273.15) / (Tcond - Ts)``, air-cooled ``Tcond = Tdb + 15 K``, water-cooled
``Tcond = Twb + 3.9 K x (Qrej / Qrej_d) + 5.6 K``, with the figures of ``data/cooling_defaults.csv``.
The air loop's chilled water is ``Ts = 25 - 6 = 19 degC``, so an air-cooled chiller's COP ratio
between two dry bulbs is ``COP(T) / COP(Td) = (Td + 15 - 19) / (T + 15 - 19) = (Td - 4) / (T - 4)``
(``eta`` cancels); none of the hot hours below reaches the COP cap of 12.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal, thermal_water
from dcplan.errors import InputError
from dcplan.thermal_plant import chiller_design_conditions, cooling_defaults, plant_params

from test_tower_merkel_ref import ACC, approach, root

AIR_DRY = {"type": "air", "liquid_class": None, "air_heat_rejection": "dry"}
AIR_TOWER = {"type": "air", "liquid_class": None}
#: a bare air loop: no losses, no CRAH fan or chilled-water pump heat (k = 0), so its heat Q is the
#: IT power and its nameplate Qd = (1 + margin) x 1000 kW at a 1000 kW design IT
BARE = dict(electrical_losses_kw=0.0, design_it_kw=1000.0, crah_fan_kw_per_kw=0.0, chw_pump_kw_per_kw=0.0)
#: water-cooled: eta (AHRI: COP 6.1 at 6.7 degC chilled water, 35 degC condensing) x (19 + 273.15) [K]; the rated
#: COP the tower-selection test passes (RATED_6P1), data/cooling_defaults.csv's until 2026-12 (now 6.28): the
#: selection, not the rating, is what it checks
E = 6.1 * (35.0 - 6.7) / (6.7 + 273.15) * (19.0 + 273.15)
def _l_per_kwh(db, wb, p=101325.0):
    """Tower make-up water per kWh rejected at dry bulb ``db``, wet bulb ``wb``, pressure ``p``:
    the SaturatedExit evaporation of dcplan.thermal_water (worked by hand in
    tests/test_thermal_water.py) at the default L/G 1.6 and range 5.6 K, x cycles 4 / 3. Used
    here only to read the heat a tower rejects back from ``water_l``. [L/kWh]"""
    return thermal_water.tower_evaporation_l_per_kwh(db, wb, p, lg_ratio=1.6, range_k=5.6) * 4.0 / 3.0
#: the basis of a design condition from a year of weather: a typical year's 99.6th percentile,
#: typically below ASHRAE's long-term 0.4 % value (Phoenix TMY3 42.8 vs the EPW header's 43.4 degC)
TMY_BASIS = "TMY 99.6th percentile (typically below ASHRAE's 0.4 %)"


def _weather(db, wb, start="2025-07-01 01:00"):
    db = np.asarray(db, float)
    idx = pd.date_range(start, periods=db.size, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": db, "temp_wet_bulb_degc": np.broadcast_to(np.asarray(wb, float), db.size)},
                        index=idx)


def _p996_by_hand(x) -> float:
    """The value exceeded in 0.4 % of the hours: the sorted hours at position 0.996 (n - 1),
    linear between neighbours (as numpy's default quantile; 8,759 x 0.996 = 8,723.964)."""
    s = np.sort(np.asarray(x, float))
    pos = 0.996 * (s.size - 1)
    i = int(pos)
    return float(s[i] + (pos - i) * (s[i + 1] - s[i]))


# ------------------------------------------------------------------ Phoenix, a dry air plant
def test_phoenix_dry_air_plant_is_selected_for_phoenix_and_never_throttles(phoenix_weather):
    """Bare dry air plant (air-cooled chiller + dry cooler), constant design IT 1000 kW, margin
    12 % (Qd = 1120 kW), Phoenix TMY3. Above 29 degC no free path and no economizer (dry cooler
    water above the 24.5 degC return), so the capacity is the chiller's, 1120 (Td - 4) / (T - 4),
    and an hour derates iff T - 4 > 1.12 (Td - 4).

    * selected for Phoenix: Td = the ASHRAE 0.4 % cooling dry bulb the EPW header gives, 43.4 degC
      (Climate Design Data 2009, the station's long-term record): throttles above
      4 + 1.12 x 39.4 = 48.13 degC, hotter than any hour of the year (max 44.4): 0 derate hours.
      At 42.8 (below Td) the capacity is Qd = 1120; at 44.4, 1120 x 39.4 / 40.4 = 1092.277 kW.
      Without the header (a TMY3 CSV has none) Td is the year's 99.6th percentile, 42.8 degC
      (hand quantile): a typical year leaves out extremes, so it reads lower.
    * selected for 35 degC (the AHRI point, the old sizing, by override): throttles above
      4 + 1.12 x 31 = 38.72 degC: 548 hours (hand count).

    Integer hour counts: exact; kW to float rounding."""
    w = phoenix_weather
    t = w["temp_air"].to_numpy()
    td = _p996_by_hand(t)
    assert td == pytest.approx(42.8, abs=1e-9) and t.max() == pytest.approx(44.4, abs=1e-9)
    assert w.attrs["ashrae_design"]["cooling_db_0p4_degc"] == 43.4   # the header's published figure
    h = thermal.plant_hourly(1000.0, w, AIR_DRY, margin_frac=0.12, **BARE)
    rec = h.attrs["plant"]
    assert rec["chiller_design_db_degc"] == 43.4 and rec["chiller_design_db_basis"].startswith("ASHRAE 0.4 % (")
    assert rec["chiller_design_wb_degc"] is None and rec["chiller_design_wb_basis"] is None   # no tower chiller
    assert 4.0 + 1.12 * (43.4 - 4.0) > t.max()
    assert thermal.plant_summary(h)["derate_h"] == 0 and len(thermal.derate_hours(h)) == 0
    np.testing.assert_allclose(h["capacity_it_kw"][t == 42.8], 1120.0, rtol=1e-12)
    np.testing.assert_allclose(h["capacity_it_kw"][t == 44.4], 1120.0 * 39.4 / 40.4, rtol=1e-12)
    assert 1120.0 * 39.4 / 40.4 == pytest.approx(1092.277, abs=1e-3)
    bare = w.copy()
    del bare.attrs["ashrae_design"]   # as a weather file without the header's design conditions
    rec = thermal.plant_hourly(1000.0, bare, AIR_DRY, margin_frac=0.12, **BARE).attrs["plant"]
    assert (rec["chiller_design_db_degc"], rec["chiller_design_db_basis"]) == (pytest.approx(td, abs=1e-9), TMY_BASIS)

    old = thermal.plant_hourly(1000.0, w, AIR_DRY, margin_frac=0.12, chiller_design_db_degc=35.0, **BARE)
    hand = int((t > 4.0 + 1.12 * 31.0).sum())
    assert hand == 548
    assert thermal.plant_summary(old)["derate_h"] == hand
    assert (old["derate_kw"] > 1e-9).to_numpy().tolist() == (t > 38.72).tolist()
    assert old.attrs["plant"]["chiller_design_db_basis"] == "override"


def test_an_override_is_honoured_and_none_restores_the_weather(phoenix_weather):
    """chiller_design_db_degc = 38 (bare plant and margin as above): throttles above
    4 + 1.12 x 34 = 42.08 degC, 117 Phoenix hours (hand count), each with the chiller's capacity
    1120 x 34 / (T - 4) kW of IT (a short hour's server-fan uplift raises its IT, not its
    capacity). None gives back the weather's selection, also as an override of a
    PlantParams; NaN is refused. Hour counts exact; kW to float rounding."""
    w = phoenix_weather
    t = w["temp_air"].to_numpy()
    h = thermal.plant_hourly(1000.0, w, AIR_DRY, margin_frac=0.12, chiller_design_db_degc=38.0, **BARE)
    assert (h.attrs["plant"]["chiller_design_db_degc"], h.attrs["plant"]["chiller_design_db_basis"]) == (38.0,
                                                                                                      "override")
    short = t > 4.0 + 1.12 * 34.0
    assert int(short.sum()) == 117 == thermal.plant_summary(h)["derate_h"]
    np.testing.assert_allclose(h["capacity_it_kw"][short], 1120.0 * 34.0 / (t[short] - 4.0), rtol=1e-12)
    p = plant_params(AIR_DRY, chiller_design_db_degc=38.0)
    assert p.values["chiller_design_db_degc"] == 38.0
    back = plant_params(p, chiller_design_db_degc=None)
    assert back.values["chiller_design_db_degc"] is None
    # NaN is refused (it once meant None: a NaN from a failed computation then ran as the default unseen)
    with pytest.raises(InputError, match=r"got nan; give None for its default"):
        plant_params(p, chiller_design_db_degc=float("nan"))
    again = thermal.plant_hourly(1000.0, w, back, margin_frac=0.12, **BARE)
    assert again.attrs["plant"]["chiller_design_db_basis"].startswith("ASHRAE 0.4 % (")   # the EPW header's
    assert thermal.plant_summary(again)["derate_h"] == 0


def test_a_liquid_loops_air_cooled_trim_chiller_is_selected_the_same_way(phoenix_weather):
    """Liquid W32 on a dry cooler with a full-size air-cooled trim chiller (trim_chiller_frac 1),
    margin 12 %, constant IT 1000 kW, no losses. Facility water Ts = 32 - 2 = 30 degC, so
    COP(T) / COP(Td) = (Td + 15 - 30) / (T + 15 - 30); above 33 degC no economizer (dry cooler water
    T + 8 / 1.12 above the 40 degC return) and no free path (above the 32 degC class maximum
    less 8 K), so the liquid loop derates iff T - 15 > 1.12 (Td - 15). Selected for 35 degC: above
    37.4 degC, hand count; for Phoenix's 43.4 (the EPW header's ASHRAE 0.4 %): above 46.8, no hour. (The air loop, a
    water-cooled chiller at the AHRI 25.5 degC wet bulb, above Phoenix's 0.4 % wet bulb, never
    derates.) Hour counts exact."""
    w = phoenix_weather
    t = w["temp_air"].to_numpy()
    plant = {"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry", "trim_chiller": True}
    kw = dict(electrical_losses_kw=0.0, margin_frac=0.12, trim_chiller_frac=1.0)
    new = thermal.plant_hourly(1000.0, w, plant, **kw)
    assert new.attrs["plant"]["chiller_design_db_degc"] == 43.4
    assert new.attrs["plant"]["chiller_design_wb_basis"] == "AHRI 550/590"   # the air loop's tower chiller
    assert thermal.plant_summary(new)["derate_h"] == 0
    old = thermal.plant_hourly(1000.0, w, plant, chiller_design_db_degc=35.0, **kw)
    hand = int((t - 15.0 > 1.12 * 20.0 + 1e-9).sum())
    assert hand > 0 and not ((t > 37.4 - 1e-9) & (t < 37.4 + 1e-9)).any()   # no hour on the threshold
    assert thermal.plant_summary(old)["derate_h"] == hand


# ------------------------------------------------------------------ the rule, by hand
def _synthetic_year(hot_db, rest_db=20.0, n_hot=35, near_db=None, n_near=10):
    """8,760 hours at ``rest_db``, ``n_near`` at ``near_db`` and the hottest ``n_hot`` at ``hot_db``;
    wet bulb 10 K below the dry bulb."""
    db = np.full(8760, rest_db)
    if near_db is not None:
        db[-(n_hot + n_near):-n_hot] = near_db
    db[-n_hot:] = hot_db
    return _weather(db, db - 10.0, start="2025-01-01 01:00")


def test_design_dry_bulb_is_the_year_s_0p4_percent_and_capacity_falls_by_the_carnot_ratio_above_it():
    """A synthetic year: 35 hours at 46 degC (0.4 % of 8,760 = 35.04 hours exceed the design
    value), 10 at 40 degC, the rest at 20. Sorted, positions 8,725-8,759 hold 46 and 8,715-8,724
    hold 40, so the 99.6th percentile (position 8,723.964) is 40 degC: the chiller is selected for
    40 degC. Bare plant, margin 0 (Qd = 1000 kW), IT 1000 kW: at 40 degC COP = COP_d, capacity
    Qch_rated = 1000 kW, no derate; at 46 degC COP / COP_d = (40 - 4) / (46 - 4) = 36 / 42 =
    0.857143: capacity 857.143 kW, derate 142.857 kW. Tolerance: float rounding."""
    w = _synthetic_year(46.0, near_db=40.0)
    assert _p996_by_hand(w["temp_air"]) == 40.0
    c = chiller_design_conditions(w, AIR_DRY)
    assert (c["chiller_design_db_degc"], c["chiller_design_db_basis"]) == (40.0, TMY_BASIS)
    h = thermal.plant_hourly(1000.0, w, AIR_DRY, margin_frac=0.0, **BARE)
    t = w["temp_air"].to_numpy()
    eta = 2.96 * (35.0 + 15.0 - 6.7) / (6.7 + 273.15)
    cop = lambda x: eta * 292.15 / (x + 15.0 - 19.0)   # noqa: E731 - the Carnot COP by hand
    assert cop(46.0) / cop(40.0) == pytest.approx(36.0 / 42.0, rel=1e-12) == pytest.approx(0.857143, abs=1e-6)
    np.testing.assert_allclose(h["capacity_it_kw"][t == 40.0], 1000.0, rtol=1e-12)
    assert h["derate_kw"][t == 40.0].eq(0.0).all()
    np.testing.assert_allclose(h["capacity_it_kw"][t == 46.0], 1000.0 * cop(46.0) / cop(40.0), rtol=1e-12)
    np.testing.assert_allclose(h["derate_kw"][t == 46.0], 1000.0 - 1000.0 * 36.0 / 42.0, rtol=1e-12)
    assert int((h["derate_kw"] > 1e-9).sum()) == 35
    # the chiller at 40 degC carries its load at its own COP (COP_d: not capped at 12)
    np.testing.assert_allclose(h["chiller_kw"][t == 40.0], 1000.0 / cop(40.0), rtol=1e-12)


def test_a_milder_year_keeps_the_ahri_point():
    """The same year with 38 degC instead of 46 and no 40 degC hours: position 8,723.964 lies
    among the 20 degC hours, so the 0.4 % dry bulb is 20 degC, milder than the AHRI 35 degC: the
    chiller is selected for 35 degC (never below the rating point). At 38 degC its capacity is
    1000 (35 - 4) / (38 - 4) = 911.765 kW. Tolerance: float rounding."""
    w = _synthetic_year(38.0)
    assert _p996_by_hand(w["temp_air"]) == 20.0
    h = thermal.plant_hourly(1000.0, w, AIR_DRY, margin_frac=0.0, **BARE)
    assert (h.attrs["plant"]["chiller_design_db_degc"], h.attrs["plant"]["chiller_design_db_basis"]) == (
        35.0, "AHRI 550/590")
    t = w["temp_air"].to_numpy()
    assert 1000.0 * 31.0 / 34.0 == pytest.approx(911.765, abs=1e-3)
    np.testing.assert_allclose(h["capacity_it_kw"][t == 38.0], 1000.0 * 31.0 / 34.0, rtol=1e-12)


def test_a_short_frame_is_selected_for_its_hottest_hour_and_so_is_its_tower():
    """Four hours at wet bulb 27 degC (a frame shorter than a year: its hottest hour, 27 > the
    AHRI 25.5). Bare tower air plant, margin 0, no tower-water pumps, IT 1000 kW = Qd: the chiller
    is selected at Twb_d = 27, COP_d = E / (27 + 3.9 + 5.6 - 19) = E / 17.5 = 10.29814, and its
    tower for Qrej_d = 1000 (1 + 1/COP_d) = 1097.105 kW. In these hours the tower rejects exactly
    that, at its full approach, COP = COP_d: no derate, chiller 1000 / COP_d = 97.1049 kW, tower
    water Qrej_d x 1.975 L/kWh.

    Selected at the AHRI point instead (override 25.5, the old sizing: COP_d25 = E / 16 = 11.2636,
    Qrej_d25 = 1000 (1 + 1/COP_d25), the tower 3.9 K at 25.5 degC), the chiller is short: with
    Qch = 1000 COP / COP_d25 the tower carries x = (COP + 1) / (COP_d25 + 1) of its design heat and its
    water is 27 + A(27, x), A its Merkel approach (narrower than 3.9 x in the warmer air); by bisection
    COP = 10.62057 (A = 3.36871 K), capacity 942.912 kW (a 3.9 x approach gave 10.45225, 927.968 kW).
    Tolerance: the tower-water fixed point's 1e-9 K (~1e-10 of the COP) at the design point; the
    approach table's 0.03 K (0.03 / 17 of the COP) in the short case."""
    w = _weather(np.full(4, 35.0), 27.0)
    kw = dict(margin_frac=0.0, cw_pump_kw_per_kw=0.0, chiller_cop_rated_water=6.1, **BARE)   # RATED_6P1: E's
    h = thermal.plant_hourly(1000.0, w, AIR_TOWER, **kw)
    rec = h.attrs["plant"]
    assert (rec["chiller_design_wb_degc"], rec["chiller_design_wb_basis"]) == (27.0, "frame maximum")
    assert rec["chiller_design_db_degc"] is None
    cop_d = E / 17.5
    q_rej_d = 1000.0 * (1.0 + 1.0 / cop_d)
    assert (cop_d, q_rej_d, 1000.0 / cop_d) == pytest.approx((10.29814, 1097.105, 97.1049), abs=1e-3)
    # at exactly the design point the tower-water root lands within float rounding of COP_d, so
    # the capacity ratio may come out 1 - 2e-16 (a 2e-13 kW "derate"): no derate hour (> 1e-9 kW)
    assert (h["derate_kw"] <= 1e-9).all() and len(thermal.derate_hours(h)) == 0
    assert h["economizer_frac"].eq(0.0).all()
    np.testing.assert_allclose(h["chiller_kw"], 1000.0 / cop_d, rtol=1e-9)
    np.testing.assert_allclose(h["water_l"] / _l_per_kwh(35.0, 27.0), q_rej_d, rtol=1e-9)

    ahri = thermal.plant_hourly(1000.0, w, AIR_TOWER, chiller_design_wb_degc=25.5, **kw)
    cop_d25 = E / 16.0
    cop = root(lambda c: c - E / (27.0 + approach(27.0, (c + 1.0) / (cop_d25 + 1.0)) - 13.4), 5.0, 12.0)
    assert (cop, 1000.0 * cop / cop_d25) == pytest.approx((10.62057, 942.912), abs=1e-3)
    np.testing.assert_allclose(ahri["capacity_it_kw"], 1000.0 * cop / cop_d25, rtol=ACC / 17.0)


def test_a_humid_year_sizes_the_tower_for_its_evaporation_wet_bulb():
    """Miami TMY2: the 0.4 % wet bulb (hand quantile, 26.145 degC) is above the AHRI 25.5, so a
    water-cooled chiller and its tower are selected for it; its dry bulb is irrelevant to a tower
    plant (None in attrs). Tolerance: float rounding of the quantile."""
    from conftest import MIAMI_TMY2
    from dcplan.weather import load_weather
    w = load_weather(MIAMI_TMY2)
    wb = _p996_by_hand(w["temp_wet_bulb_degc"])
    assert wb == pytest.approx(26.145, abs=1e-3)
    c = chiller_design_conditions(w, AIR_TOWER)
    assert c["chiller_design_wb_degc"] == pytest.approx(wb, rel=1e-12)
    assert c["chiller_design_wb_basis"] == TMY_BASIS
    h = thermal.plant_hourly(1000.0, w.iloc[:48], AIR_TOWER, chiller_design_wb_degc=c["chiller_design_wb_degc"])
    assert h.attrs["plant"]["chiller_design_wb_degc"] == pytest.approx(wb, rel=1e-12)
    assert h.attrs["plant"]["chiller_design_wb_basis"] == "override"


def test_the_design_day_is_the_plant_of_the_year(phoenix_weather):
    """The dry-bulb design day (dcplan.thermal.design_day of design_conditions) peaks at the year's
    0.4 % dry bulb, the one the chillers are selected for: the EPW header's ASHRAE 43.4 degC (Climate
    Design Data 2009; the design day used to peak at the typical year's 99.6th percentile, 42.8, below
    the plant's condition). The dry air plant keeps its nameplate in every hour: 1.1 x 1000 / (1 - k)
    less the losses, the same on both days (a tie), as the year has no derate hour. With the old
    AHRI sizing the dry-bulb day left 871 kW and the year derated 631 hours. Tolerance: float rounding."""
    g = thermal.governing_design_day(1000.0, phoenix_weather, AIR_DRY)
    year = thermal.plant_hourly(1000.0, phoenix_weather, AIR_DRY)
    day = g["plant"]["dry_bulb"]
    assert g["conditions"]["dry_bulb"]["t_max_degc"] == pytest.approx(43.4, abs=1e-9)
    assert day.attrs["plant"]["chiller_design_db_degc"] == pytest.approx(
        year.attrs["plant"]["chiller_design_db_degc"], abs=1e-9) == g["conditions"]["dry_bulb"]["t_max_degc"]
    # the year's selection, passed to both days (dcplan.thermal_design_day._year_selection)
    assert day.attrs["plant"]["chiller_design_db_basis"] == "override"
    assert g["tie"] and day["derate_kw"].eq(0.0).all()
    assert thermal.plant_summary(year)["derate_h"] == 0
    assert g["min_capacity_kw"]["dry_bulb"] == pytest.approx(g["min_capacity_kw"]["wet_bulb"], rel=1e-12)


def test_both_design_days_run_the_tower_selected_for_the_year():
    """Miami TMY2, an air plant with a cooling tower: the year's 0.4 % wet bulb is 26.145 degC (hand
    quantile, above the AHRI 25.5). The dry-bulb design day's wet bulb is only its coincident one,
    so sized to its own hottest hour its tower was a smaller one than the year's (the AHRI point);
    both days now run the plant of the year, and the design-hour PUE with it."""
    from conftest import MIAMI_TMY2
    from dcplan.weather import load_weather
    w = load_weather(MIAMI_TMY2)
    wb = _p996_by_hand(w["temp_wet_bulb_degc"])
    g = thermal.governing_design_day(1000.0, w, AIR_TOWER)
    dry_day_wb = float(g["day"]["dry_bulb"]["temp_wet_bulb_degc"].max())
    assert dry_day_wb < 25.5 < wb   # so the day alone would have selected the AHRI point
    for basis in ("dry_bulb", "wet_bulb"):
        assert g["plant"][basis].attrs["plant"]["chiller_design_wb_degc"] == pytest.approx(wb, rel=1e-12), basis


# ------------------------------------------------------------------ bad values
@pytest.mark.parametrize("key, value, allowed", [
    ("chiller_design_db_degc", 95.0, r"\[10, 60\]"),      # degF
    ("chiller_design_db_degc", 308.15, r"\[10, 60\]"),    # kelvin
    ("chiller_design_db_degc", float("inf"), r"\[10, 60\]"),
    ("chiller_design_wb_degc", 78.0, r"\[5, 40\]"),
    ("chiller_design_wb_degc", -3.0, r"\[5, 40\]"),
])
def test_a_bad_design_condition_is_refused_naming_field_value_and_range(key, value, allowed):
    with pytest.raises(InputError, match=rf"^{key}: override {key}={value!r} is outside the allowed range "
                                         rf"{allowed} \(finite\): the outdoor"):
        thermal.plant_params(AIR_DRY, **{key: value})
    with pytest.raises(InputError, match=rf"{key}.*allowed range {allowed}"):
        thermal.plant_hourly(1000.0, _weather([30.0], 20.0), AIR_DRY, **{key: value})


@pytest.mark.parametrize("value", ["auto", True, "35"])
def test_a_design_condition_that_is_not_a_number_is_refused(value):
    with pytest.raises(InputError, match=r"chiller_design_db_degc: must be a number or None \(from the weather\)"):
        thermal.plant_params(None, chiller_design_db_degc=value)


def test_blank_csv_rows_are_none_and_pass_back_as_overrides():
    """data/cooling_defaults.csv leaves both rows blank ("from the weather"): cooling_defaults()
    gives None, and the defaults pass back through the override checks."""
    d = cooling_defaults()
    assert d["chiller_design_db_degc"] is None and d["chiller_design_wb_degc"] is None
    p = thermal.plant_params(None, **d)
    assert p.values["chiller_design_db_degc"] is None
    with pytest.raises(InputError, match=r"weather: missing column 'temp_wet_bulb_degc'"):
        chiller_design_conditions(_weather([30.0], 20.0).drop(columns="temp_wet_bulb_degc"))
