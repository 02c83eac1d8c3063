"""Merkel approach of the design tower (dcplan.thermal_tower_merkel): how far it widens in cold weather.

Reference values: a mechanical engineer's own Merkel solution for dcplan's tower (35 -> 29.4 degC at
25.5 degC wet bulb, fixed NTU and L/G): 5.2 K at 21.1 degC, 7.8 K at 13.6 degC, 11.2 K at 5 degC
wet bulb, to the 0.1 K they were quoted in (plus 0.1 K for their integration; L/G 1.6, dcplan's
tower_lg_ratio). The design point must return its own approach (3.9 K) to the bisection's precision.
"""
from __future__ import annotations

import pytest

from dcplan.thermal_tower_merkel import merkel_approach_k, merkel_free_cooling_limit_degc, merkel_ntu


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
