"""Merkel approach of the design tower (dcplan.thermal_tower_merkel): how far it widens in cold weather.

Reference values: a mechanical engineer's own Merkel solution for dcplan's tower (35 -> 29.4 degC at
25.5 degC wet bulb, fixed NTU and L/G): 5.2 K at 21.1 degC, 7.8 K at 13.6 degC, 11.2 K at 5 degC
wet bulb, to the 0.1 K they were quoted in (plus 0.1 K for their integration; L/G 1.6, dcplan's
tower_lg_ratio). The design point must return its own approach (3.9 K) to the bisection's precision.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan.errors import InputError
from dcplan.thermal_tower_merkel import (TABLE_ACCURACY_K, merkel_approach_k, merkel_free_cooling_limit_degc, merkel_ntu,
                                        tower_approach_k, tower_heat_frac)


def test_design_point_returns_its_approach():
    assert merkel_approach_k(25.5) == pytest.approx(3.9, abs=1e-6)


@pytest.mark.parametrize("wb, approach", [(21.1, 5.2), (13.6, 7.8), (5.0, 11.2)])
def test_approach_widens_as_the_wet_bulb_falls(wb, approach):
    assert merkel_approach_k(wb) == pytest.approx(approach, abs=0.1)


def test_limit_solves_wet_bulb_plus_approach_plus_hx():
    """The air loop's 19 degC chilled water through a 1.5 K plate HX: wb + A(wb) = 17.5 degC."""
    t = merkel_free_cooling_limit_degc(19.0, 1.5)
    assert t + merkel_approach_k(t) + 1.5 == pytest.approx(19.0, abs=1e-6)
    assert t < 19.0 - 3.9 - 1.5   # below the design-approach screen's 13.6 degC


def test_no_tower_can_cool_below_the_air_it_saturates():
    """Water leaving at the wet bulb needs an infinite tower (zero driving force at the bottom)."""
    assert merkel_ntu(30.0, 25.5, 25.5, 1.6) == float("inf")


# --- the vectorised approach the plant model uses (tower_approach_k / tower_heat_frac) ------------------

def _point_solution(wb, frac, wb_d=25.5, a_d=3.9, range_d=5.6, lg=1.6):
    """The approach by a separate scalar solution: the design tower's NTU, then bisection (60 halvings of a
    0..40 K bracket) on the leaving water at range frac x range_d, with merkel_ntu's integral."""
    ntu = merkel_ntu(wb_d + a_d + range_d, wb_d + a_d, wb_d, lg)
    lo, hi = wb + 1e-9, wb + 40.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if merkel_ntu(mid + frac * range_d, mid, wb, lg) > ntu else (lo, mid)
    return 0.5 * (lo + hi) - wb


def test_vectorised_approach_equals_the_scalar_merkel_at_design_heat():
    wbs = np.array([-5.0, 0.0, 5.0, 10.0, 13.6, 17.3, 21.1, 25.5, 28.0, 31.7])
    got = tower_approach_k(wbs, 1.0)
    want = np.array([merkel_approach_k(w) for w in wbs])
    assert np.abs(got - want).max() <= TABLE_ACCURACY_K == 0.03
    assert tower_approach_k(25.5, 1.0) == pytest.approx(3.9, abs=1e-6)   # the design point is a grid point
    # the module docstring's figures: 9.1 K at 10, 11.2 K at 5, 13.3 K at 0 degC wet bulb
    assert np.round(tower_approach_k(np.array([10.0, 5.0, 0.0]), 1.0), 1).tolist() == [9.1, 11.2, 13.3]


@pytest.mark.parametrize("wb", [-9.3, 2.2, 14.9, 24.1, 33.7])
@pytest.mark.parametrize("frac", [0.05, 0.37, 0.8, 1.25, 2.4])
def test_vectorised_approach_at_part_heat_against_a_point_solution(wb, frac):
    assert tower_approach_k(wb, frac) == pytest.approx(_point_solution(wb, frac), abs=TABLE_ACCURACY_K)


@pytest.mark.parametrize("wb, frac", [(-4.0, 0.3), (12.5, 0.66), (27.0, 1.8)])
def test_scalar_merkel_at_part_heat_is_the_point_solution(wb, frac):
    assert merkel_approach_k(wb, heat_frac=frac) == pytest.approx(_point_solution(wb, frac), abs=1e-6)
    assert merkel_approach_k(wb, heat_frac=0.0) == 0.0


def test_no_heat_no_approach_and_it_rises_with_the_heat():
    f = np.array([0.0, 0.01, 0.1, 0.5, 1.0, 1.5, 3.0])
    a = tower_approach_k(10.0, f)
    assert a[0] == 0.0 and a[1] < 0.15       # 0.01 x design heat: about 0.01 x 9.1 K
    assert (np.diff(a) > 0).all()
    # above the table's 2.5x: in proportion to the heat from the 2.5x approach
    assert a[-1] == pytest.approx(tower_approach_k(10.0, 2.5) * 3.0 / 2.5, rel=1e-12)


def test_the_approach_widens_as_the_wet_bulb_falls():
    """ASHRAE Handbook (HVAC Systems and Equipment, "Cooling Towers"): at a fixed water and air flow and
    heat load, the approach grows as the wet bulb falls (cold air carries less enthalpy per K)."""
    a = tower_approach_k(np.arange(-10.0, 35.0, 0.5), 1.0)
    assert (np.diff(a) < 0).all()
    assert round(float(tower_approach_k(13.6, 1.0)), 1) == 7.7   # merkel_approach_k's docstring figure


def test_inverse_round_trips_and_clamps_below_the_table():
    wb = np.array([-20.0, -3.0, 4.4, 12.0, 19.5, 26.0, 30.0])
    f = np.array([0.2, 0.6, 1.0, 1.3, 0.9, 2.2, 3.1])
    a = tower_approach_k(wb, f)
    assert tower_heat_frac(wb, a) == pytest.approx(f, abs=1e-12)
    assert tower_heat_frac(10.0, 0.0) == 0.0 and tower_heat_frac(10.0, -2.0) == 0.0
    # the table ends near -10 degC: a colder wet bulb gets the table's edge approach (freezing out of scope)
    assert tower_approach_k(-30.0, 1.0) == tower_approach_k(-10.5, 1.0) == pytest.approx(_point_solution(-10.5, 1.0),
                                                                                         abs=TABLE_ACCURACY_K)


def test_another_design_point_is_its_own_grid_point():
    d = dict(design_wet_bulb_degc=27.3, design_approach_k=4.4, range_k=5.0, lg_ratio=1.2)
    assert tower_approach_k(27.3, 1.0, **d) == pytest.approx(4.4, abs=1e-6)
    assert tower_approach_k(8.0, 0.7, **d) == pytest.approx(_point_solution(8.0, 0.7, 27.3, 4.4, 5.0, 1.2),
                                                            abs=TABLE_ACCURACY_K)
    with pytest.raises(InputError) as e:
        tower_approach_k(10.0, 1.0, design_approach_k=0.0)
    assert str(e.value) == ("design_approach_k: must be above 0 K, got 0.0: a tower's design approach (leaving water "
                            "- wet bulb) of 0 K or less needs an infinite tower")
