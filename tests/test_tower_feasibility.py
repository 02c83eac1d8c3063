"""Cooling-tower designs that cannot work are refused, not modelled (dcplan.thermal_tower_merkel.check_tower_design,
called where the plant's tower design is formed: dcplan.thermal_plant_params.tower_design).

A counterflow tower cools its water only while the air, whose enthalpy rises by L/G x 4.186 x range on its way
up, stays below the saturation enthalpy at the water's temperature. Before this check such a design got an
infinite NTU and the approach table solved to 0 K at every wet bulb (tower water = wet bulb all year). The
boundary here is derived by hand from ASHRAE's saturation formulas (Handbook of Fundamentals 2017, ch. 1:
Hyland-Wexler p_ws over water, eq. 6; W_s = 0.621945 p_ws / (p - p_ws), eq. 23; h = 1.006 t + W (2501 +
1.86 t), eq. 32), written out below, not dcplan's own code.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import thermal
from dcplan.errors import InputError
from dcplan.thermal_plant_params import chiller_design_conditions, plant_params, tower_design
from dcplan.thermal_tower_merkel import (NTU_MAX, TABLE_ACCURACY_K, TABLE_ACCURACY_WIDE_K, T_WATER_MAX_DEGC,
                                        _F_GRID, _approach_table, _design_key, check_tower_design,
                                        merkel_approach_k, merkel_ntu, tower_approach_k, tower_heat_frac)

P = 101325.0


def h_sat_hand(t):
    """Saturated air's enthalpy [kJ/kg dry air] at t [degC], 101,325 Pa: ASHRAE Fundamentals 2017 ch. 1."""
    tk = t + 273.15
    ln_p = (-5.8002206e3 / tk + 1.3914993 - 4.8640239e-2 * tk + 4.1764768e-5 * tk ** 2 - 1.4452093e-8 * tk ** 3
            + 6.5459673 * math.log(tk))
    p_ws = math.exp(ln_p)
    w_s = 0.621945 * p_ws / (P - p_ws)
    return 1.006 * t + w_s * (2501.0 + 1.86 * t)


def lg_saturating_at_water_in(wb, approach, range_k):
    """The L/G at which the air leaving at the design water-in temperature is saturated:
    h_s(T_in) - h_s(wb) = L/G x 4.186 x range."""
    return (h_sat_hand(wb + approach + range_k) - h_sat_hand(wb)) / (4.186 * range_k)


def _message(fn, *a, **k) -> str:
    with pytest.raises(InputError) as e:
        fn(*a, **k)
    return str(e.value)


# --- the feasibility boundary, by hand -------------------------------------------------------------------

def test_the_lg_boundary_at_the_ahri_point_is_the_hand_derived_2_16():
    """35 -> 29.4 degC at 25.5 degC wet bulb, range 5.6 K: (h_s(35) - h_s(25.5)) / (4.186 x 5.6) = 2.160
    (the overrides' comment quotes 2.16). Just below, a tower exists but needs an NTU far above 5 (refused
    as such); just above, none can (refused as impossible). To 1e-3: the two saturation formulas differ
    by ~0.01 kJ/kg."""
    lg_hand = lg_saturating_at_water_in(25.5, 3.9, 5.6)
    assert lg_hand == pytest.approx(2.160, abs=1e-3)
    below = _message(check_tower_design, 25.5, 3.9, 5.6, lg_hand - 0.002)
    above = _message(check_tower_design, 25.5, 3.9, 5.6, lg_hand + 0.002)
    assert "needs a Merkel NTU (KaV/L) of" in below and "cannot work" not in below
    assert "cannot work" in above and f"the largest L/G at which it would not is {lg_hand:.3f} here" in above
    assert merkel_ntu(35.0, 29.4, 25.5, lg_hand + 0.002) == float("inf")
    assert math.isfinite(merkel_ntu(35.0, 29.4, 25.5, lg_hand - 0.002))


@pytest.mark.parametrize("wb", [18.0, 18.6])
def test_a_cold_design_wet_bulb_at_the_default_duty_cannot_work(wb):
    """The tester's limit: chiller_design_wb_degc below 18.65 degC with the default tower (3.9 K, 5.6 K, L/G
    1.6) is infeasible; by hand the L/G at which the air leaves saturated at the water-in temperature is
    below 1.6 there (1.556 at 18 degC)."""
    assert lg_saturating_at_water_in(wb, 3.9, 5.6) < 1.6
    assert "cannot work" in _message(check_tower_design, wb, 3.9, 5.6, 1.6)


def test_the_default_tower_needs_ntu_1_58_and_every_climate_keeps_it_feasible():
    """A design wet bulb from the weather is never below the AHRI point (25.5 degC with the defaults:
    chiller_design_conditions), and a warmer one needs less NTU, so no site's climate makes the default
    tower infeasible (the documented answer; only overrides can)."""
    assert check_tower_design(25.5, 3.9, 5.6, 1.6) == pytest.approx(1.58, abs=0.005)
    ntu = [check_tower_design(wb, 3.9, 5.6, 1.6) for wb in np.arange(25.5, 40.01, 0.5)]
    assert (np.diff(ntu) < 0).all() and max(ntu) <= NTU_MAX


def test_the_bundled_sites_tower_designs_are_feasible():
    """Each bundled site's plant, its towers selected at its own design wet bulb (its weather's)."""
    from pathlib import Path

    from dcplan import pipeline
    from dcplan.site import load_site
    sites = sorted(Path(__file__).resolve().parents[1].glob("data/sites/*.yaml"))
    assert len(sites) >= 4
    for path in sites:
        site = load_site(path)
        design = chiller_design_conditions(pipeline.site_weather(site), site.cooling)
        d = tower_design(plant_params(site.cooling), design["chiller_design_wb_degc"],
                         design["chiller_design_wb_basis"])
        assert check_tower_design(*d.values()) <= 1.6, path.name   # the default tower's 1.58 or less


# --- the refusals, with their messages ---------------------------------------------------------------------

def test_lg_2_2_at_the_ahri_point_is_refused_by_the_screen_and_the_plant_naming_every_field():
    msg = _message(thermal.free_cooling_limits, None, tower_lg_ratio=2.2)
    assert msg == (
        "tower_lg_ratio: the cooling-tower design cannot work: at the design wet bulb 25.5 degC (the AHRI point: "
        "chiller_rating_ecwt_degc 29.4 - tower_approach_k 3.9; chiller_design_wb_degc sets another), "
        "tower_approach_k 3.9 K, condenser_rise_k 5.6 K (water 35 -> 29.4 degC) and tower_lg_ratio 2.2 the air "
        "would leave the tower hotter (in enthalpy) than saturated air at the water entering it, so no tower of any "
        "size can (it was modelled with a zero approach); the largest L/G at which it would not is 2.160 here; "
        "allowed: a design needing an NTU of at most 5, here tower_lg_ratio <= 2.13, or tower_approach_k >= 4.25 K, "
        "or condenser_rise_k <= 5.09 K, or a design wet bulb >= 26.17 degC (each with the others as given)")


def test_the_quoted_limits_pass_and_just_beyond_them_fails():
    """Each value the message quotes passes the check with the others as given (NTU <= 5), and 0.02 beyond
    it does not: at the AHRI point the approach moves the design wet bulb (29.4 - approach) with it."""
    assert check_tower_design(25.5, 3.9, 5.6, 2.13) <= NTU_MAX
    assert "NTU" in _message(check_tower_design, 25.5, 3.9, 5.6, 2.15)
    assert check_tower_design(25.5, 3.9, 5.09, 2.2) <= NTU_MAX
    assert check_tower_design(26.17, 3.9, 5.6, 2.2) <= NTU_MAX
    assert check_tower_design(29.4 - 4.25, 4.25, 5.6, 2.2) <= NTU_MAX
    with pytest.raises(InputError):
        check_tower_design(29.4 - 4.23, 4.23, 5.6, 2.2)
    # the Phoenix report's tower_approach_k 1 (design wet bulb 28.4, the AHRI point): refused, 1.71 K passes
    msg = _message(thermal.free_cooling_limits, None, tower_approach_k=1.0)
    assert msg.startswith("tower_approach_k: the cooling-tower design cannot work: at the design wet bulb 28.4 degC")
    assert "tower_approach_k >= 1.71 K" in msg
    assert check_tower_design(29.4 - 1.71, 1.71, 5.6, 1.6) <= NTU_MAX
    with pytest.raises(InputError):
        check_tower_design(29.4 - 1.69, 1.69, 5.6, 1.6)


def test_a_cold_override_names_chiller_design_wb_degc():
    msg = _message(tower_design, plant_params(None, chiller_design_wb_degc=18.0))
    assert msg.startswith("chiller_design_wb_degc: the cooling-tower design cannot work: at chiller_design_wb_degc "
                          "18 degC, tower_approach_k 3.9 K, condenser_rise_k 5.6 K (water 27.5 -> 21.9 degC) and "
                          "tower_lg_ratio 1.6 the air")
    assert "the largest L/G at which it would not is 1.556 here" in msg
    assert "tower_lg_ratio <= 1.50, or tower_approach_k >= 4.33 K" in msg
    # 19 degC: a tower exists but needs NTU 6.36 (it ran before with 5,642 free-cooling hours in Chicago)
    msg = _message(tower_design, plant_params(None, chiller_design_wb_degc=19.0))
    assert "needs a Merkel NTU (KaV/L) of 6.36 at chiller_design_wb_degc 19 degC" in msg


def _frame(wb_max):
    idx = pd.date_range("2024-07-01", periods=24, freq="h", tz="America/Chicago")
    wb = np.linspace(wb_max - 6.0, wb_max, 24)
    return pd.DataFrame({"temp_air": wb + 8.0, "temp_wet_bulb_degc": wb}, index=idx)


def test_the_plant_refuses_with_the_design_wet_bulbs_basis_and_a_warm_climate_can_carry_it():
    """L/G 2.2: at a design wet bulb of 26 degC (a day's frame maximum, above the AHRI 25.5) it needs NTU above 5
    (the limit there is L/G 2.18) and the plant names where the wet bulb came from; at 28 degC (limit 2.39) the
    same tower runs. The site's climate decides, by its design wet bulb."""
    msg = _message(thermal.plant_hourly, 1000.0, _frame(26.0), None, tower_lg_ratio=2.2)
    assert msg.startswith("tower_lg_ratio: the cooling-tower design needs a Merkel NTU (KaV/L) of ")
    assert "at the design wet bulb 26 degC (frame maximum), tower_approach_k 3.9 K" in msg
    assert "tower_lg_ratio <= 2.18" in msg
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = thermal.plant_hourly(1000.0, _frame(28.0), None, tower_lg_ratio=2.2)
    assert h.attrs["plant"]["chiller_design_wb_degc"] == 28.0


@pytest.mark.parametrize("kw, field, text", [
    ({"lg_ratio": 0.0}, "lg_ratio", "must be above 0 kg water per kg dry air, got 0.0: the liquid-to-gas ratio is "
                                    "the water's flow over the air's"),
    ({"design_approach_k": -1.0}, "design_approach_k", "must be above 0 K, got -1.0: a tower's design approach"),
    ({"range_k": 0.0}, "range_k", "must be above 0 K, got 0.0: the tower's range (entering - leaving water) is "
                                  "the heat it carries per kg of water"),
    ({"design_wet_bulb_degc": float("nan")}, "design_wet_bulb_degc", "must be finite (degC), got nan"),
    ({"heat_frac": -0.1}, "heat_frac", "must be >= 0 (x the tower's design heat), got -0.1"),
    ({"heat_frac": float("inf")}, "heat_frac", "must be a heat in x the design heat, finite, got inf"),
])
def test_merkel_approach_refuses_bad_arguments(kw, field, text):
    msg = _message(merkel_approach_k, 10.0, **kw)
    assert msg.startswith(f"{field}: {text}")


@pytest.mark.parametrize("wb", [float("nan"), float("inf")])
def test_the_table_refuses_a_wet_bulb_that_is_not_finite(wb):
    """It gave an IndexError (NaN) and 1.50 K (inf) before."""
    assert _message(tower_approach_k, wb, 1.0) == (
        f"wet_bulb_degc: must be a temperature in degC, finite, got {wb!r} (1 value(s) NaN or infinite)")
    assert _message(tower_heat_frac, np.array([10.0, wb]), 2.0).startswith("wet_bulb_degc: must be a temperature")
    assert _message(merkel_approach_k, wb).startswith("wet_bulb_degc: must be a temperature in degC, finite")


def test_the_table_refuses_a_negative_or_infinite_heat():
    """A negative heat gave 0 K before."""
    assert _message(tower_approach_k, 10.0, np.array([0.5, -0.2])) == (
        "heat_frac: must be >= 0 (x the tower's design heat), got -0.2 (1 value(s) negative)")
    assert _message(tower_approach_k, 10.0, float("nan")).startswith("heat_frac: must be a heat in x the design heat")


def test_bad_design_overrides_are_refused():
    msg = _message(plant_params, None, chiller_design_wb_degc=30.0, chiller_design_db_degc=28.0)
    assert msg == ("chiller_design_wb_degc: chiller_design_wb_degc=30 is above chiller_design_db_degc=28: a wet bulb "
                   "cannot exceed its dry bulb; allowed: a design wet bulb at most the design dry bulb (a site's "
                   "ASHRAE 0.4 % evaporation wet bulb is below its 0.4 % cooling dry bulb)")
    assert _message(plant_params, None, chiller_design_wb_degc=float("nan")) == (
        "chiller_design_wb_degc: must be a number in [5, 40] or None (from the weather), got nan; give None for its "
        "default, from the weather")
    assert plant_params(None, chiller_design_wb_degc=None).values["chiller_design_wb_degc"] is None
    assert _message(plant_params, None, chiller_design_wb_degc=float("inf")).startswith(
        "chiller_design_wb_degc: override chiller_design_wb_degc=inf is outside the allowed range [5, 40] (finite)")
    # a wet-bulb override above the weather's design dry bulb (the AHRI 35 degC of a mild day's frame)
    msg = _message(chiller_design_conditions, _frame(20.0), None, chiller_design_wb_degc=38.0)
    assert msg.startswith("chiller_design_wb_degc: the design wet bulb 38 degC (override) is above the design dry "
                          "bulb 35 degC (AHRI 550/590): a wet bulb cannot exceed its dry bulb")


def test_a_zero_range_says_what_the_range_is():
    assert _message(plant_params, None, condenser_rise_k=0.0) == (
        "condenser_rise_k: override condenser_rise_k=0.0 is outside the allowed range (0, inf) (finite): the cooling "
        "tower's range (condenser water rise, entering less leaving water), K; 0 K would carry no heat: it is the "
        "heat per kg of water (CTI: 5.6 K = 10 degF; 'low flow' 8.3 K)")


# --- wide ranges: the table works over the allowed ranges ------------------------------------------------

def test_range_8_is_a_working_tower():
    """It failed with 'no approach within 45 K' above 7.39 K. The tester's independent Merkel solver:
    merkel_approach_k(10, range_k=8) = 10.03 K (to its 0.01 K)."""
    assert merkel_approach_k(10.0, range_k=8.0) == pytest.approx(10.03, abs=0.01)
    assert tower_approach_k(10.0, 1.0, range_k=8.0) == pytest.approx(10.03, abs=0.01 + TABLE_ACCURACY_K)


@pytest.mark.parametrize("range_k, acc", [(8.3, TABLE_ACCURACY_K), (20.0, TABLE_ACCURACY_WIDE_K)])
def test_a_wide_range_table_agrees_with_the_point_solution(range_k, acc):
    """8.3 K (15 degF, 2 gpm/ton 'low flow') and the widest allowed, 20 K: the table against merkel_approach_k,
    point by point, within the accuracy the module states for that range (0.03 K to 10 K, 0.05 K to 20 K), on
    points between the grid's (the worst found: -10.5 degC at 0.65x, and low heat)."""
    rng = np.random.default_rng(7)
    wbs = np.concatenate([rng.uniform(-10.4, 36.4, 40), [-10.45, -10.45, -7.45, -0.06, 30.2]])
    fs = np.concatenate([rng.uniform(0.01, 2.5, 40), [0.65, 0.125, 0.125, 0.97, 2.45]])
    got = tower_approach_k(wbs, fs, range_k=range_k)
    want = np.array([merkel_approach_k(w, range_k=range_k, heat_frac=f) for w, f in zip(wbs, fs)])
    assert np.abs(got - want).max() <= acc
    assert tower_heat_frac(wbs, got, range_k=range_k) == pytest.approx(fs, abs=1e-9)


def test_the_plant_runs_a_low_flow_tower():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        h = thermal.plant_hourly(1000.0, _frame(24.0), None, condenser_rise_k=8.3)
    assert np.isfinite(h["facility_kw"].to_numpy()).all()


def test_table_points_past_the_water_bound_scale_with_the_heat():
    """Range 30 K at L/G 0.75 (NTU 2.18): at the hottest wet bulbs the 2.5x-heat rows would need water above
    95 degC (past 100 degC the saturated air's enthalpy is undefined): those points take the row's last solved
    approach in proportion to the heat, and the rows still rise with the heat."""
    key = _design_key(25.5, 3.9, 30.0, 0.75)
    grid, table = _approach_table(key)
    t_in = grid[:, None] + table + _F_GRID[None, :] * 30.0
    i = grid.size - 1                                   # the hottest row
    solved = t_in[i] <= T_WATER_MAX_DEGC + 1e-9
    j = int(np.flatnonzero(solved)[-1])
    assert j < _F_GRID.size - 1                         # some points past the bound
    assert table[i, j + 1:] == pytest.approx(table[i, j] * _F_GRID[j + 1:] / _F_GRID[j], rel=1e-12)
    assert (np.diff(table, axis=1) > 0).all()
    # the point solution refuses a heat it cannot carry below that water temperature
    assert _message(merkel_approach_k, 36.0, range_k=30.0, lg_ratio=0.75, heat_frac=2.5).startswith(
        "heat_frac: the tower (NTU 2.18) cannot reject 2.5x its design heat (range 75 K) at wet bulb 36 degC")
