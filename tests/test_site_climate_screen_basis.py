"""site_climate's free-cooling screen says what heat it is at, and publishes the count at full design IT.

A tower specialist and a verifier found that the headline screen (Phoenix 1,555 h) counts hours in which a
tower rejecting its FULL DESIGN HEAT leaves water cold enough for free cooling. That heat is the plant's
nameplate, Qrej_d = Qd (1 + 1/COP_d) with Qd = 1.1 x the design IT heat: it includes the chillers'
compressor heat and the 10 % plant margin, neither of which a free-cooling hour puts on the tower. At full
design IT the tower carries 1 / (1.1 (1 + 1/COP_d)) = 0.837 of it, and Phoenix counts 2,379 h (the plant
model held at full design IT all year: 2,390 h; with the rated COP 6.1 before 2026-12: 0.835, 2,397 and 2,401 h). The label now says the basis, and site_climate publishes
the design-IT count beside it (dcplan.thermal_screen_basis). Hand figures: data/cooling_defaults.csv
(COP 6.28 at the AHRI point 6.7 degC chilled water / 29.4 -> 35 degC condenser water, COP cap 12, margin
0.10, tower 3.9 K at 25.5 degC wet bulb, range 5.6 K, L/G 1.6, plate HX 1.5 K, dry cooler 8 K), the
limits by the point-by-point Merkel bisection of tests/test_tower_merkel_ref.py, the hours by PsychroLib's wet
bulb of each hour's dry bulb, dew point (over water, the file's convention: conftest) and pressure. Phoenix's
counts were 1,567, 2,406 and 2,411 h while the weather reader took a sub-zero dew point for a frost point (before
ca51aaf): over water those hours' wet bulb is up to 0.63 K higher, and 12, 9 and 10 of them rise above the limits.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.thermal_plant_params import chiller_design_conditions, plant_params
from dcplan.thermal_screen_basis import design_heat_words, design_it_heat_frac, free_cooling_limits_at_design_it
from dcplan.weather import free_cooling_hours, load_weather

from conftest import CHICAGO_EPW, PHOENIX_EPW, reference_wet_bulb
from test_tower_merkel_ref import ACC, approach, root

AIR = {"type": "air", "liquid_class": None}
#: Carnot fraction at the AHRI point: COP 6.28 at 6.7 degC chilled water, 29.4 + 5.6 = 35 degC condensing
ETA = 6.28 * (35.0 - 6.7) / (6.7 + 273.15)


def _cop(supply, design_wb=25.5):
    """A water-cooled chiller's design COP at ``supply`` and the design wet bulb (condensing at the wet bulb
    + 3.9 K approach + 5.6 K rise), capped at 12."""
    return min(12.0, ETA * (supply + 273.15) / (design_wb + 3.9 + 5.6 - supply))


def _limit(supply, hx, heat_frac):
    """The wet bulb where wb + A(wb, heat_frac) + hx = supply, A point-by-point Merkel. [degC]"""
    return root(lambda wb: wb + approach(wb, heat_frac) + hx - supply, -30.0, supply - hx)


def test_the_heat_fraction_at_full_design_it_by_hand():
    # an air plant: 19 degC chilled water, full-size water-cooled chiller, COP_d 11.60 at 25.5 degC wet bulb
    cop = _cop(19.0)
    assert cop == pytest.approx(11.5960, abs=1e-4)
    x = 1.0 / (1.1 * (1.0 + 1.0 / cop))
    assert x == pytest.approx(0.837, abs=5e-4)                  # the tester's 0.835 with the rated COP 6.1
    p = plant_params(AIR)
    b = design_it_heat_frac(p, "air", 19.0, {"chiller_design_wb_degc": 25.5, "chiller_design_db_degc": 35.0})
    assert b["heat_frac"] == pytest.approx(x, rel=1e-12) and b["cop_design"] == pytest.approx(cop, rel=1e-12)
    assert (b["margin_frac"], b["chiller_frac"]) == (0.1, 1.0)
    # the nameplate's free-only heat (no compressor heat, margin still in): 0.921 (the tester's 0.918 at COP 6.1)
    assert x * 1.1 == pytest.approx(0.921, abs=5e-4)
    # a liquid W32 loop on a tower with a trim chiller: at 30 degC the COP is at its cap, 12; the chiller is
    # sized at its floor, 0.5 x the loop (the tower carries the loop at the design condition)
    liq = plant_params({"type": "liquid", "liquid_class": "W32", "trim_chiller": True})
    b = design_it_heat_frac(liq, "liquid", 30.0, {"chiller_design_wb_degc": 25.5, "chiller_design_db_degc": 35.0})
    assert b["cop_design"] == 12.0 and b["chiller_frac"] == 0.5
    assert b["heat_frac"] == pytest.approx(1.0 / (1.1 * (1.0 + 0.5 / 12.0)), rel=1e-12)
    # no chiller on the loop (W32's default), or a dry cooler (its air-cooled chiller rejects its own heat):
    # only the margin
    for cooling, loop, supply in (({"type": "liquid", "liquid_class": "W32"}, "liquid", 30.0),
                                  ({"type": "air", "air_heat_rejection": "dry"}, "air", 19.0)):
        b = design_it_heat_frac(plant_params(cooling), loop, supply, {"chiller_design_wb_degc": 25.5,
                                                                      "chiller_design_db_degc": 35.0})
        assert (b["heat_frac"], b["cop_design"], b["compressor_frac"]) == (1.0 / 1.1, None, 0.0)


#: Phoenix: 2,379 h by the file's wet bulb, 2,378 by PsychroLib's: 2025-05-13 05:00 has 9.15724 and 9.15797 degC, across
#: the 9.15781 limit (0.0007 K apart)
@pytest.mark.parametrize("epw, hours, ref_hours, full_heat_hours", [(PHOENIX_EPW, 2379.0, 2378.0, 1555.0),
                                                                    (CHICAGO_EPW, 4679.0, 4679.0, 4219.0)])
def test_the_count_at_full_design_it_equals_a_hand_count(epw, hours, ref_hours, full_heat_hours):
    w = load_weather(epw)
    # both stations' ASHRAE 0.4 % evaporation wet bulbs (24.5, 25.5 degC) are no harsher than the AHRI 25.5
    assert chiller_design_conditions(w, AIR)["chiller_design_wb_degc"] == 25.5
    lim = free_cooling_limits_at_design_it(w, AIR)["air"]
    x = 1.0 / (1.1 * (1.0 + 1.0 / _cop(19.0)))
    t = _limit(19.0, 1.5, x)
    assert t == pytest.approx(9.158, abs=5e-4)                   # 7.29 degC at the full design heat
    assert lim["limit_degc"] == pytest.approx(t, abs=1e-6) and lim["approach_k"] == pytest.approx(19.0 - t, abs=1e-6)
    wb, ref = w["temp_wet_bulb_degc"], reference_wet_bulb(w)
    assert free_cooling_hours(w, 19.0, lim["approach_k"], wet=True) == float((wb <= t).sum()) == hours
    assert float((ref <= t).sum()) == ref_hours
    t_full = _limit(19.0, 1.5, 1.0)
    assert float((wb <= t_full).sum()) == float((ref <= t_full).sum()) == full_heat_hours
    assert lim["rule"] == (f"wet bulb ≤ {t:.2f} °C = 19 °C - {19.0 - 1.5 - t:.2f} K tower (Merkel, at that wet bulb, "
                           "0.837 x its design heat) - 1.5 K heat-exchanger approach")


def test_a_dry_coolers_count_at_full_design_it_carries_only_the_margin_off():
    w = load_weather(PHOENIX_EPW)
    lim = free_cooling_limits_at_design_it(w, {"type": "air", "air_heat_rejection": "dry"})["air"]
    # 19 degC chilled water, 8 K design approach, in proportion to the heat: 8 / 1.1 at full design IT
    assert lim["limit_degc"] == pytest.approx(19.0 - 8.0 / 1.1, abs=1e-12)
    assert free_cooling_hours(w, 19.0, lim["approach_k"], wet=False) == float((w["temp_air"] <= 19.0 - 8.0 / 1.1).sum())


def test_the_plant_model_at_full_design_it_counts_the_same_hours():
    """The plant model (its tower approach from a table within 0.03 K of Merkel's) held at full design IT:
    every screened hour is a no-compressor hour, and the others it counts lie within 0.03 K of the limit
    (Phoenix: 2,390 h, 11 of them within 0.01 K above 9.158 degC; with the rated COP 6.1 before 2026-12, 2,401 h,
    4 of them; 2,411 h, 5 of them, while a sub-zero dew point was read as a frost point: the module docstring)."""
    w = load_weather(PHOENIX_EPW)
    lim = free_cooling_limits_at_design_it(w, AIR)["air"]["limit_degc"]
    h = thermal.plant_hourly(pd.Series(1000.0, index=w.index), w, AIR, design_it_kw=1000.0)
    free = h["free_cooling"].to_numpy()
    wb = w["temp_wet_bulb_degc"].to_numpy()
    screen = wb <= lim
    assert not (screen & ~free).any()
    assert (np.abs(wb[free & ~screen] - lim) <= ACC).all()
    assert free.sum() == 2390 and screen.sum() == 2379


def test_the_words_say_what_the_design_heat_holds():
    b = {"heat_frac": 0.83692, "margin_frac": 0.1, "cop_design": 11.5960, "chiller_frac": 1.0,
         "compressor_frac": 1 / 11.5960}
    assert design_heat_words(b, "cooling tower") == (
        "the cooling tower's full design heat, which includes the chillers' compressor heat (design COP 11.6) and "
        "the 10 % plant margin (margin_frac): a free-cooling hour carries neither, and at full design IT the cooling "
        "tower carries 0.837 x its design heat")
    b = {"heat_frac": 1 / 1.1, "margin_frac": 0.1, "cop_design": None, "chiller_frac": None, "compressor_frac": 0.0}
    assert design_heat_words(b, "dry cooler") == (
        "the dry cooler's full design heat, which includes the 10 % plant margin (margin_frac): a free-cooling hour "
        "at full design IT leaves it unused, and at full design IT the dry cooler carries 0.909 x its design heat")
    b = {"heat_frac": 1.0, "margin_frac": 0.0, "cop_design": None, "chiller_frac": None, "compressor_frac": 0.0}
    assert design_heat_words(b) == ("the tower's full design heat, the loop's heat at full design IT (no compressor "
                                    "heat on it, no plant margin)")


def test_site_climate_labels_the_basis_and_the_what_if_approach(monkeypatch, published):
    """Run in process (conftest.run_cells_until): the headline label says the basis, the design-IT figure is
    published beside it (headline), and the what-if tower approach says it moves the design wet bulb."""
    from conftest import run_cells_until
    run_cells_until("site_climate", "publish(figures, headline=True)", monkeypatch, site="phoenix-az")
    own, it = published["free_cooling_wet_h"], published["free_cooling_wet_design_it_h"]
    assert (own["value"], it["value"], own["headline"], it["headline"]) == (1555.0, 2379.0, True, True)
    assert ("full design heat) - 1.5 K heat-exchanger approach; at the cooling tower's full design heat, which "
            "includes the chillers' compressor heat (design COP 11.6) and the 10 % plant margin (margin_frac): a "
            "free-cooling hour carries neither, and at full design IT the cooling tower carries 0.837 x its design "
            "heat (free_cooling_wet_design_it_h)); the plant model, with the same rejector, counts at least these "
            "hours at the hour's load (site_analysis)") in own["label"]
    assert it["label"].startswith(
        "Hours the cooling tower alone can make the 19 °C chilled water at full design IT (climate screen: wet bulb "
        "≤ 9.16 °C = 19 °C - 8.34 K tower (Merkel, at that wet bulb, 0.837 x its design heat) - 1.5 K heat-exchanger "
        "approach; the cooling tower carries the loop's heat at full design IT, no compressor heat and no plant "
        "margin); the plant model carrying full design IT every hour (cooling_lag's plant) counts these hours with "
        "no compressor anywhere, to within the hours whose wet bulb is within 0.03 K of the limit"), it["label"]
    assert "what-if" not in own["label"]
    # the what-if approach: the AHRI wet bulb moves to 29.4 - 3 = 26.4 degC (Phoenix's 0.4 %, 24.5, is milder)
    published.clear()
    run_cells_until("site_climate", "publish(figures, headline=True)", monkeypatch, site="phoenix-az",
                    tower_approach_k=3.0)
    assert ("the tower selected for a 3 K approach at 26.4 °C wet bulb (what-if tower_approach_k 3 K: the tower "
            "re-selected at the AHRI wet bulb 29.4 - 3 °C, or the site's 0.4 % where harsher: a different duty, "
            "not a tighter tower at the same condition)") in published["free_cooling_wet_h"]["label"]


def test_the_parameters_help_says_the_what_if_moves_the_design_wet_bulb():
    import json
    from pathlib import Path
    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "site_climate.ipynb").read_text())
    src = "".join(next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))["source"])
    line = next(ln for ln in src.splitlines() if ln.startswith("tower_approach_k"))
    assert line.endswith("# what-if tower approach at design heat [K], -1: the plant model's; X re-selects the tower "
                         "at the AHRI wet bulb 29.4 - X degC (the site's 0.4 % wet bulb where harsher): a different "
                         "duty, not a tighter tower at the same condition")
