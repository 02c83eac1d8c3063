"""Why offpeak's flex_fill_frac showed "20 %" beside "9.60 %", and its published value 0.19999999999999996.

Phoenix (fleet.utilisation_frac 0.6, flex_share_frac 0.5): the fill is (0.6 - (1 - 0.5)) / 0.5 = 0.2 exactly;
in floats the subtraction gives 0.09999999999999998, so 0.19999999999999996 (0.2 less an ulp). format_value
shows a figure that is exactly its digits without trailing zeros (0.2 -> "20 %", 0.7 -> "70 %", as 0.5 ->
"50 %") and a rounded one with them (0.09601 -> "9.60 %"), and takes a value within 1e-9 of its digits as
exact: so 0.2 less an ulp is 0.2, "20 %", as it should be. The last-bit error was the computation's: the
notebook publishes the fill to 12 significant digits, 0.2.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dcplan.results import format_value

ROOT = Path(__file__).resolve().parents[1]


def test_an_exact_fraction_shows_without_zeros_and_a_rounded_one_with_them():
    noisy = (0.6 - (1.0 - 0.5)) / 0.5
    assert noisy == 0.19999999999999996 and noisy != 0.2
    assert format_value(noisy, "frac") == format_value(0.2, "frac") == "20 %"
    assert format_value((0.85 - 0.5) / 0.5, "frac") == "70 %"
    assert format_value(0.096, "frac") == "9.6 %"        # exactly 9.6 %
    assert format_value(0.09601, "frac") == "9.60 %"     # rounded: its zero kept
    assert format_value(0.20001, "frac") == "20.0 %"


def test_the_offpeak_notebook_publishes_the_fill_without_the_last_bit_error():
    nb = json.loads((ROOT / "notebooks" / "offpeak_scheduling.ipynb").read_text())
    code = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                     for c in nb["cells"] if c["cell_type"] == "code")
    assert '"flex_fill_frac": (float(f"{util_frac:.12g}"), "frac"' in code
    assert float(f"{0.19999999999999996:.12g}") == 0.2 and float(f"{0.6000000000000001:.12g}") == 0.6


def test_a_whole_figure_shows_whole_though_float_noise_keeps_it_off():
    """Why the render's summary showed northern-virginia's grid-only median time to power as "48.0 months" beside
    the other sites' "36" and "24". Not an artefact of the computation: va-dominion's grid wait is a two-piece
    lognormal (median 48, p10 36, p90 84 months, data/interconnection.csv) and the site has waited 9 months since
    filing (2024-06-01 to its as_of 2025-03-01), so the median is the one given T > 9:
    Q(F(9) + 0.5 (1 - F(9))) with F(9) = Phi(ln(9 / 48) / s-), s- = ln(48 / 36) / z90 (4.4e-14), which is
    48 exp(z s+), z = Phi^-1(0.5 + F(9) / 2), s+ = ln(84 / 48) / z90: 1.2e-12 month above 48. format_value takes a
    figure within 1e-9 of a whole number (far below the digits shown) as whole, as _sig3 takes a fraction's digits
    as exact: "48 months", the format of "36 months"; a figure off a whole number shows its decimal."""
    import math

    from scipy.stats import norm

    from dcplan import grid
    from dcplan.grid_given_wait import given_wait
    from dcplan.site import load_portfolio
    z90 = norm.ppf(0.9)
    f9 = norm.cdf(math.log(9 / 48) / (math.log(48 / 36) / z90))
    assert 4e-14 < f9 < 5e-14
    hand = 48 * math.exp(norm.ppf(0.5 + f9 / 2) * math.log(84 / 48) / z90)
    assert 1e-12 < hand - 48 < 1.5e-12
    ic = given_wait(load_portfolio("default")["northern-virginia"].interconnection, 9.0)
    got = float(grid.time_to_power(ic, equipment=()).loc[0.5, "grid_months"])
    assert got == pytest.approx(hand, abs=1e-13) and got != 48.0  # the exact conditioned median, not noise of one
    assert format_value(got, "months") == "48 months"            # "48.0 months" before
    assert format_value(36.0, "months") == "36 months"
    assert format_value(47.96, "months") == "48.0 months"        # off a whole number: its decimal
    assert format_value(1e-10, "kW") == "1e-10 kW"                 # a tiny figure is not taken for 0
    assert format_value(811.0000000001, "h") == "811 h"
