"""A liquid loop's trim chiller, sized for the chillers' design condition
(dcplan.thermal_plant_loop, "trim chiller size"; dcplan.thermal_plant_params._trim_chiller_size).

The trim chiller was a fixed half of the loop's nameplate ``Qd`` whatever the climate: a W45
dry-cooler loop in Phoenix (design dry bulb 42.8 degC) carried only 842.7 kW of a 1,000 kW design
IT on its design day and derated 176 hours of the year at full IT. Now, by default, it is rated
``max(trim_chiller_min_frac, 1 - e_d) Qd`` with ``e_d`` the economizer share at ``Qd`` and the
design condition, so the loop holds its nameplate there; an explicit ``trim_chiller_frac`` is
taken as given.

Hand figures from the defaults of ``data/cooling_defaults.csv``: W45 facility water supply
``Ts = 45 - 2 = 43 degC``, rise ``dT = 10 K`` (return 53 degC), dry-cooler approach ``A = 8 K``,
no plate HX on a dry cooler; W32 with a tower: ``Ts = 30``, return 40, ``A = 3.9 K`` and plate HX
``Ahx = 1.5 K``. Margin 10 %: at the design IT the loop's heat is ``Qd / 1.1``, and the liquid
loop's IT capacity is ``cap (1 - k) / 0.85`` = ``1100 x cap / Qd`` kW at a 1,000 kW design IT.
No electrical losses (``electrical_losses_kw=0``), so the air loop's IT capacity at its nameplate
is 1,100 kW too.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal

W45_TRIM = {"type": "liquid", "liquid_class": "W45", "heat_rejection": "dry", "trim_chiller": True}
W32_TOWER_TRIM = {"type": "liquid", "liquid_class": "W32", "heat_rejection": "tower", "trim_chiller": True}
NO_LOSS = dict(electrical_losses_kw=0.0, design_it_kw=1000.0)


def _weather(db, wb, hours=4):
    idx = pd.date_range("2025-07-21 01:00", periods=hours, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": float(db), "temp_wet_bulb_degc": float(wb)}, index=idx)


def test_w45_dry_cooler_trim_chiller_is_sized_for_the_design_dry_bulb():
    """Phoenix's design dry bulb 42.8 degC (here a frame whose hottest hour it is). At ``Qd`` the dry
    cooler's water leaves at 42.8 + 8 = 50.8 degC: e_d = (53 - 50.8) / 10 = 0.22, so the trim chiller
    is rated 0.78 Qd. At the design IT (heat Qd / 1.1) the dry cooler's approach is 8 / 1.1 K:
    e = (53 - 42.8 - 7.2727) / 10 = 0.292727; chiller (COP at its design condition: full rating)
    0.78 Qd + e Qd / 1.1 = 1.0461 Qd, held to the nameplate: IT capacity 1,100 kW, no derate.
    The old fixed half: 0.5 + 0.292727 / 1.1 = 0.766116 Qd -> 842.727 kW (the tester's 842.7), a
    157.3 kW derate. At the nameplate heat itself (IT 1,100 kW) the sized loop holds exactly
    Qd = (0.78 + 0.22) Qd. Tolerance: float rounding."""
    w = _weather(42.8, 20.0)
    h = thermal.plant_hourly(1000.0, w, W45_TRIM, **NO_LOSS)
    rec = h.attrs["plant"]
    assert rec["chiller_design_db_degc"] == pytest.approx(42.8, abs=1e-12)
    assert rec["trim_chiller_frac"] == pytest.approx(0.78, abs=1e-12)
    assert rec["trim_chiller_basis"] == "design condition"
    np.testing.assert_allclose(h["capacity_it_kw"], 1100.0, rtol=1e-12)
    assert (h["derate_kw"] == 0.0).all()

    e = (53.0 - 42.8 - 8.0 / 1.1) / 10.0
    assert e == pytest.approx(0.292727, abs=1e-6)
    old = thermal.plant_hourly(1000.0, w, W45_TRIM, trim_chiller_frac=0.5, **NO_LOSS)
    assert old.attrs["plant"]["trim_chiller_basis"] == "override"   # as given: a designer's choice
    np.testing.assert_allclose(old["capacity_it_kw"], 1100.0 * (0.5 + e / 1.1), rtol=1e-12)
    assert 1100.0 * (0.5 + e / 1.1) == pytest.approx(842.727, abs=1e-3)
    np.testing.assert_allclose(old["derate_kw"], 1000.0 - 1100.0 * (0.5 + e / 1.1), rtol=1e-9)

    full = thermal.plant_hourly(1100.0, w, W45_TRIM, **NO_LOSS)
    np.testing.assert_allclose(full["capacity_it_kw"], 1100.0, rtol=1e-12)
    assert (full["derate_kw"] <= 1e-9).all()


def test_tower_trim_chiller_is_sized_for_the_design_wet_bulb():
    """W32 with a tower and a water-cooled trim chiller, selected for a 32 degC design wet bulb
    (override; 4 hours at wet bulb 32, dry bulb 40). At ``Qd`` and that wet bulb the tower rejects its
    design heat (loop + the trim chiller's compressor work at COP_d), so its water leaves at
    32 + 3.9 = 35.9 degC and the plate HX delivers 37.4: e_d = (40 - 37.4) / 10 = 0.26, trim chiller
    0.74 Qd. At IT 1,100 kW (liquid heat = Qd) the loop then carries exactly its nameplate: IT
    capacity 1,100 kW (the air loop's full-size chiller, selected for the same wet bulb, carries its
    nameplate too), no derate. The old half-size chiller: 0.5 Qd + e Qd < Qd with e <= 0.26 + the
    small drop in tower water of a lighter compressor load: short. Tolerance: the tower water is
    solved to 1e-9 K."""
    w = _weather(40.0, 32.0)
    kw = dict(NO_LOSS, chiller_design_wb_degc=32.0)
    h = thermal.plant_hourly(1100.0, w, W32_TOWER_TRIM, **kw)
    assert h.attrs["plant"]["trim_chiller_frac"] == pytest.approx(0.74, abs=1e-12)
    assert h.attrs["plant"]["trim_chiller_basis"] == "design condition"
    np.testing.assert_allclose(h["capacity_it_kw"], 1100.0, rtol=1e-9)
    assert (h["derate_kw"] <= 1e-6).all()
    old = thermal.plant_hourly(1100.0, w, W32_TOWER_TRIM, trim_chiller_frac=0.5, **kw)
    assert (old["capacity_it_kw"] < 1100.0 * 0.9).all() and (old["derate_kw"] > 100.0).all()


def test_floor_override_and_whole_loop():
    """Where the rejector alone carries the design (W45 dry cooler, a 30 degC frame: the chiller is
    selected for the AHRI 35 degC, where the dry cooler's water leaves at 35 + 8 = 43 degC, below the
    53 degC return: e_d = 1), the design-condition size would be 0: the floor
    ``trim_chiller_min_frac`` (0.5) applies, or a floor given. An explicit ``trim_chiller_frac`` is
    taken as given, None restores the sizing; a chiller without an economizer, or a W27 loop's,
    carries the whole loop (1.0); an air plant or a loop without a trim chiller has none."""
    w = _weather(30.0, 18.0)
    rec = thermal.plant_hourly(1000.0, w, W45_TRIM, **NO_LOSS).attrs["plant"]
    assert (rec["chiller_design_db_degc"], rec["trim_chiller_frac"], rec["trim_chiller_basis"]) == (35.0, 0.5, "floor")
    rec = thermal.plant_hourly(1000.0, w, W45_TRIM, trim_chiller_min_frac=0.3, **NO_LOSS).attrs["plant"]
    assert (rec["trim_chiller_frac"], rec["trim_chiller_basis"]) == (0.3, "floor")
    rec = thermal.plant_hourly(1000.0, w, W45_TRIM, trim_chiller_frac=0.4, **NO_LOSS).attrs["plant"]
    assert (rec["trim_chiller_frac"], rec["trim_chiller_basis"]) == (0.4, "override")
    p = thermal.plant_params(W45_TRIM, trim_chiller_frac=0.4)
    assert thermal.plant_params(p, trim_chiller_frac=None).values["trim_chiller_frac"] is None
    assert thermal.cooling_defaults()["trim_chiller_frac"] is None   # blank in the CSV: sized
    for spec in ({**W45_TRIM, "economizer": False}, {"type": "liquid", "liquid_class": "W27", "trim_chiller": True}):
        rec = thermal.plant_hourly(1000.0, w, spec, **NO_LOSS).attrs["plant"]
        assert (rec["trim_chiller_frac"], rec["trim_chiller_basis"]) == (1.0, "whole loop")
    for spec in ({"type": "air", "liquid_class": None}, {**W45_TRIM, "trim_chiller": False}):
        rec = thermal.plant_hourly(1000.0, w, spec, **NO_LOSS).attrs["plant"]
        assert (rec["trim_chiller_frac"], rec["trim_chiller_basis"]) == (None, None)


def _hand_derate_hours(t_db, frac, td=42.8):
    """Hours a W45 dry-cooler loop with an air-cooled trim chiller of ``frac`` Qd, selected for
    ``td``, cannot carry the design IT (heat Qd / 1.1): capacity over Qd is
    ``min(1, max(free, frac min(1, COP / COP_d) + e / 1.1))`` with the air-cooled Carnot ratio
    ``COP / COP_d = (td + 15 - 43) / (T + 15 - 43)``, ``e = clip((53 - T - 8 / 1.1) / 10, 0, 1)`` and
    the free path at the 45 degC class maximum ``free = max(0, 45 - T) / 8``. The chiller's COP cap
    (12) is above its design COP (9.78 at a 14.8 K lift), so below the design dry bulb the ratio is 1."""
    lift = np.maximum(t_db - 28.0, 1e-9)   # (a lift <= 0: the COP at its cap, above COP_d = 9.78)
    ratio = np.minimum(1.0, (td - 28.0) / lift)
    e = np.clip((53.0 - t_db - 8.0 / 1.1) / 10.0, 0.0, 1.0)
    cap = np.minimum(1.0, np.maximum(np.maximum(0.0, 45.0 - t_db) / 8.0, frac * ratio + e / 1.1))
    return int((cap < 1.0 / 1.1 - 1e-12).sum())


def test_phoenix_year_at_full_design_it(phoenix_weather):
    """Phoenix TMY3 at a constant 1,000 kW design IT, W45 dry cooler + trim chiller (the air loop a
    water-cooled chiller selected for the AHRI 25.5 degC wet bulb, above every Phoenix hour: it never
    derates). The trim chiller is selected for the EPW header's ASHRAE 0.4 % dry bulb, 43.4 degC:
    1 - e_d = 0.84 Qd (0.78 at the TMY's 99.6th percentile, 42.8 degC: the economizer share falls by
    1 / dT = 0.1 per K). Then no hour of the year is short (hand count 0; sized at 42.8 it was 8, at
    43.9 and 44.4 degC); the old fixed half-size chiller: hand count 176. Counts exact (no hour
    within 1e-9 of the threshold)."""
    w = phoenix_weather
    t = w["temp_air"].to_numpy()
    new = thermal.plant_hourly(1000.0, w, W45_TRIM, **NO_LOSS)
    assert new.attrs["plant"]["trim_chiller_frac"] == pytest.approx(0.84, abs=1e-9)
    assert (_hand_derate_hours(t, 0.78), _hand_derate_hours(t, 0.84, td=43.4)) == (8, 0)
    hand_old = _hand_derate_hours(t, 0.5, td=43.4)
    assert hand_old == 176
    assert thermal.plant_summary(new)["derate_h"] == 0
    bare = w.copy()
    del bare.attrs["ashrae_design"]   # without the header: selected for the TMY's 42.8 degC
    tmy = thermal.plant_hourly(1000.0, bare, W45_TRIM, **NO_LOSS)
    assert tmy.attrs["plant"]["trim_chiller_frac"] == pytest.approx(0.78, abs=1e-9)
    assert thermal.plant_summary(tmy)["derate_h"] == 8
    assert set(t[tmy["derate_kw"].to_numpy() > 1e-9]) == {43.9, 44.4}
    old = thermal.plant_hourly(1000.0, w, W45_TRIM, trim_chiller_frac=0.5, **NO_LOSS)
    assert thermal.plant_summary(old)["derate_h"] == hand_old
