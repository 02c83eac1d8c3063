"""Cooling-plant plausibility checks (dcplan.thermal_plant_checks, dcplan.cooling_site_checks): overrides
held to the CSV's plausibility bands, a COP cap below the rated COP, water below the room's dew point, a
chiller-free loop whose rejector cannot make its water, a stated design PUE far below the plant's."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.cooling_site_checks import (design_pue_warning, liquid_rejector_hours, rejector_hours_warnings,
                                        site_cooling_warnings)
from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_portfolio
from dcplan.thermal_plant_checks import dew_point_warnings
from dcplan.thermal_plant_params import plant_params


def _weather(db, wb):
    db = np.asarray(db, float)
    idx = pd.date_range("2025-01-01 01:00", periods=len(db), freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": db, "temp_wet_bulb_degc": np.minimum(np.asarray(wb, float), db)}, index=idx)


# ------------------------------------------------------------------ finding 3: overrides vs the CSV's bands
@pytest.mark.parametrize("key, value, match", [
    # the CSV refuses 50 (dcplan.catalog_bands: COP 2-15); the override was capped to 12 without a word
    ("chiller_cop_rated_water", 50.0, r"chiller_cop_rated_water=50 is refused as data/cooling_defaults.csv would "
                                      r"refuse it: 50 is above the plausible band for chiller_cop_rated_water, 2 to 15"),
    # a 0.01 K tower approach gave 6,431 free-cooling hours at Phoenix; the band is 1-15 K
    ("tower_approach_k", 0.01, r"tower_approach_k=0.01 is refused .* below the plausible band for "
                               r"tower_approach_k, 1 to 15 K"),
    ("chiller_cop_max", 0.5, r"chiller_cop_max=0.5 is refused .* below the plausible band for chiller_cop_max, 3 to 40"),
])
def test_overrides_meet_the_csv_plausibility_bands(key, value, match):
    w = _weather([30.0] * 2, [20.0] * 2)
    with pytest.raises(InputError, match=match) as e:
        thermal.plant_hourly(1000.0, w, {"type": "air", "liquid_class": None}, **{key: value})
    assert e.value.field == key


def test_a_fan_or_pump_left_out_is_not_a_band_slip():
    """0 kW/kW is the component left out (a what-if), not a unit slip: accepted, as before."""
    p = plant_params({"type": "air", "liquid_class": None}, crah_fan_kw_per_kw=0.0, chw_pump_kw_per_kw=0.0)
    assert p.values["crah_fan_kw_per_kw"] == 0.0


def test_cop_cap_below_the_rated_cop_is_refused():
    """chiller_cop_max 5 inside its band (3-40) but below the rated water-cooled COP 6.28
    (data/cooling_defaults.csv): the chiller would never reach its own AHRI rating."""
    with pytest.raises(InputError, match=r"chiller_cop_max=5 is below the rated COP \(chiller_cop_rated_water 6.28\)"
                                         r".*allowed: chiller_cop_max >= 6.28") as e:
        plant_params(None, chiller_cop_max=5.0)
    assert e.value.field == "chiller_cop_max"
    # rated 5 and cap 5 agree
    assert plant_params(None, chiller_cop_max=5.0, chiller_cop_rated_water=5.0).values["chiller_cop_max"] == 5.0


# ------------------------------------------------------------------ finding 4: dew point
def test_liquid_supply_below_the_dew_point_limit_warns():
    """W17 maximum 17 degC - 12 K margin = 5 degC facility water, below the ASHRAE TC 9.9 recommended
    envelope's upper dew point 15 degC (docs/reference-data.md 3a). (The tester's 16 K margin, 1 degC water,
    is now refused first: above the margin's plausibility band, 0-15 K.)"""
    w = _weather([10.0] * 2, [5.0] * 2)
    w17 = {"type": "liquid", "liquid_class": "W17"}
    with pytest.warns(DcplanWarning, match=r"liquid_supply_margin_k: the W17 liquid loop's supply is 5 degC "
                                           r"\(17 degC class maximum - liquid_supply_margin_k 12 K\), below the room's "
                                           r"dew point limit, the ASHRAE TC 9.9 recommended envelope's upper dew point, "
                                           r"15 degC .*cold plates.*liquid_supply_margin_k <= 2 K"):
        thermal.plant_hourly(1000.0, w, w17, liquid_supply_margin_k=12.0)


def test_default_w17_supply_sits_at_the_limit_and_does_not_warn():
    """The default W17 supply, 17 - 2 = 15 degC, is at the 15 degC limit, not below it."""
    p = plant_params({"type": "liquid", "liquid_class": "W17"})
    assert p.liquid_supply_degc == 15.0 and dew_point_warnings(p) == []


def test_chilled_water_below_the_dew_point_limit_warns():
    """inlet_setpoint_degc 10 on A2 (allowable 10-35): chilled water 10 - 6 = 4 degC < 15 degC."""
    p = plant_params({"type": "air", "liquid_class": None, "inlet_setpoint_degc": 10.0})
    (text,) = dew_point_warnings(p, where="site.yaml")
    assert text.startswith("site.yaml: cooling.inlet_setpoint_degc: the air loop's chilled water is 4 degC "
                           "(inlet_setpoint_degc 10 - crah_approach_k 6 K), below the room's dew point limit")
    assert "inlet_setpoint_degc >= 21 degC" in text


# ------------------------------------------------------------------ finding 5: a chiller-free loop's rejector
def test_dry_cooler_that_cannot_make_the_water_warns_with_the_hours():
    """W32 dry cooler, no trim chiller: setpoint 32 - 2 = 30 degC, class maximum 32 degC. At the design IT
    the loop carries 1 / 1.1 of its design heat (margin_frac 0.1), so its approach is 8 / 1.1 = 7.273 K:
    the plant model's supply is max(30, db + 7.273) and it derates where db + 7.273 > 32, db > 24.727 degC
    (:mod:`dcplan.thermal_plant_loop`, free capacity at the class maximum). 1,000 hours: 10 at 35 degC,
    5 at 25, 985 at 10 -> 15 h derated (1.5 % > 0.4 % = 4 h), of them 10 at or above 32 degC, where no dry
    cooler of any size makes the water. (Before: counted against the 30 degC setpoint at the full design
    heat, db > 22, the same 15 h here; at Phoenix 4,159 h now against the setpoint's more.)"""
    w = _weather([35.0] * 10 + [25.0] * 5 + [10.0] * 985, [20.0] * 1000)
    p = plant_params({"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry"})
    (text,) = rejector_hours_warnings(p, w, where="phx.yaml")
    assert text.startswith("phx.yaml: cooling.heat_rejection: the W32 liquid loop has no chiller (trim_chiller false), "
                           "and its dry cooler (drycooler_approach_k 8 K) cannot hold even the W32 class maximum, "
                           "32 degC, at the design IT once the dry bulb is above 24.7 degC"), text
    assert ("the plant model derates the IT in 15 h of the weather's 1,000 (1.5 %), more than the 0.4 % (4 h)"
            in text), text
    assert "in 10 h of them the dry bulb is at or above 32 degC itself" in text
    assert "for the other 5 h, a larger plant (margin_frac)" in text
    assert "trim_chiller: true" in text and "heat_rejection: tower" in text and "W40 or W45" in text
    assert "Information, not a derate: in 0 h more" in text
    # 4 h derated is the 0.4 % itself: no warning; a trim chiller carries the loop: none either
    assert rejector_hours_warnings(p, _weather([25.0] * 4 + [10.0] * 996, [5.0] * 1000)) == []
    trim = plant_params({"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry", "trim_chiller": True})
    assert rejector_hours_warnings(trim, w) == []


def test_tower_that_drifts_but_holds_the_class_maximum_does_not_warn():
    """W32 tower, no trim chiller: the frame's 99.6th-percentile wet bulb, 25 degC, is milder than the AHRI
    point, so the tower is selected for 3.9 K at 25.5 degC. At the design IT (1 / 1.1 of its design heat) the
    supply drifts above 30 degC where wb + A(wb, 1/1.1) + 1.5 > 30 and the model derates where it is > 32
    (A: Merkel, the independent reference solution). 1,000 hours: 10 at wet bulb 25, 5 at 24.4, 985 at 10:
    24.4 + A(24.4) + 1.5 is within 30 (the limit at 1/1.1 of the heat is 24.64 degC, at full heat 24.26) and
    25 + A(25) + 1.5 between 30 and 32 -> 10 h of drift and no derate: no warning (before: 15 h
    "above" the 30 degC setpoint at full design heat, warned, with a trim chiller advised)."""
    from test_tower_merkel_ref import approach, root
    x = 1.0 / 1.1
    lim_set = root(lambda wb: wb + approach(wb, x) + 1.5 - 30.0, -30.0, 28.5)
    lim_max = root(lambda wb: wb + approach(wb, x) + 1.5 - 32.0, -30.0, 30.5)
    assert 24.4 < lim_set < 25.0 < lim_max
    w = _weather([30.0] * 15 + [15.0] * 985, [25.0] * 10 + [24.4] * 5 + [10.0] * 985)
    p = plant_params({"type": "liquid", "liquid_class": "W32"})
    assert rejector_hours_warnings(p, w, where="x.yaml") == []
    h = liquid_rejector_hours(p, w)
    assert (h["derate_h"], h["drift_h"], h["never_h"]) == (0, 10, 0)
    # (the table's approach is within 0.03 K of Merkel's; the limit moves by less than that)
    assert h["limit_set_degc"] == pytest.approx(lim_set, abs=0.05)
    assert h["limit_max_degc"] == pytest.approx(lim_max, abs=0.05)


def test_bundled_sites_raise_no_cooling_warning():
    for s in load_portfolio("default").sites:
        assert site_cooling_warnings(s) == [], s.id


# ------------------------------------------------------------------ finding 2: stated design PUE
def test_stated_design_pue_far_below_the_plants_warns_with_the_kw():
    """Stated 1.05 against the plant's 1.253 at 5,620 kW design IT: (1.253 - 1.05) x 5,620 = 1,140.86 kW
    left out of a request sized on the stated figure."""
    text = design_pue_warning(1.05, 1.253, 5620.0, where="phx.yaml")
    assert text.startswith("phx.yaml: cooling.design_pue 1.05 is 0.203 below the plant's design-hour PUE 1.253")
    assert "at the 5,620 kW design IT a connection request sized on it leaves out 1,141 kW of facility power" in text
    # within 0.05: no warning; above the plant's: none either
    assert design_pue_warning(1.21, 1.253, 5620.0) is None and design_pue_warning(1.3, 1.253, 5620.0) is None
    assert design_pue_warning(None, 1.253, 5620.0) is None


def test_dcplan_validate_warns_of_a_w32_dry_cooler_at_phoenix(tmp_path):
    """The check runs in validate (site_plausibility.site_warnings): a Phoenix copy with liquid GB200 racks
    on a W32 dry cooler and no trim chiller validates with the warning naming the hours."""
    import warnings

    from conftest import bundled_site_copy
    from dcplan.errors import DcplanWarning
    from dcplan.validate import validate_file
    f = bundled_site_copy(tmp_path, "phoenix-az", "w32dry",
                          fleet={"phases": [{"hardware": "gb200-nvl72", "count": 8, "start": "2026-01-01"}]},
                          cooling={"type": "liquid", "liquid_class": "W32", "heat_rejection": "dry"})
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always", DcplanWarning)
        assert validate_file(f) == []
    msgs = [str(w.message) for w in rec if "cooling.heat_rejection" in str(w.message)]
    assert len(msgs) == 1 and "the W32 liquid loop has no chiller (trim_chiller false)" in msgs[0], [str(w.message) for w in rec]
