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
