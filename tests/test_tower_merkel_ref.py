"""Reference solutions for the plant tests with the tower's Merkel approach (dcplan.thermal_tower_merkel).

The plant model (dcplan.thermal_plant_loop) takes a tower's approach from the interpolated table of
``tower_approach_k``; these helpers solve the same physics point by point with the scalar
``merkel_approach_k`` (its own bisection on the Merkel integral, no table), so a plant figure derived
with them is checked against an independent solution, to the table's stated accuracy
(``TABLE_ACCURACY_K`` = 0.03 K on the approach). Other test files import them.
"""
from __future__ import annotations

import pytest

from dcplan.thermal_tower_merkel import TABLE_ACCURACY_K, merkel_approach_k

ACC = TABLE_ACCURACY_K


def approach(wb, heat_frac=1.0, design_wb=25.5, design_approach=3.9):
    """The default tower's (range 5.6 K, L/G 1.6) approach at ``wb`` and ``heat_frac`` of its design heat,
    selected for ``design_approach`` at ``design_wb``. [K]"""
    return merkel_approach_k(float(wb), heat_frac=float(heat_frac), design_wet_bulb_degc=design_wb,
                             design_approach_k=design_approach, range_k=5.6, lg_ratio=1.6)


def root(g, lo, hi, n=100):
    """The root of the increasing ``g`` in [lo, hi] by bisection (to float precision)."""
    assert g(lo) <= 0.0 <= g(hi)
    for _ in range(n):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if g(mid) < 0.0 else (lo, mid)
    return 0.5 * (lo + hi)


def heat_within(wb, avail, **design):
    """The heat [x design] the tower carries at full airflow within an approach ``avail`` [K]."""
    return root(lambda f: approach(wb, f, **design) - avail, 0.0, 3.0, n=60)


def test_reference_helpers_agree_with_the_published_figures():
    assert approach(25.5) == pytest.approx(3.9, abs=1e-6)
    assert approach(10.0) == pytest.approx(9.1, abs=0.05)   # the module docstring's 9.1 K at 10 degC
    assert heat_within(10.0, approach(10.0, 0.6)) == pytest.approx(0.6, abs=1e-9)
