"""``delay_months`` of :func:`dcplan.grid.capacity_timeline` and :func:`dcplan.grid.contracted_kw`:
one finite number >= 0, or an InputError naming it (API tester finding 4)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dcplan import grid
from dcplan.errors import InputError
from dcplan.specs.interconnection import InterconnectionSpec

IDX = pd.date_range("2025-12-31 23:00", periods=3, freq="h", tz="Etc/GMT+5")


def _spec() -> InterconnectionSpec:
    return InterconnectionSpec(region="az-aps", requested_mw=10.0, filed=dt.date(2025, 1, 1),
                               phases=[dict(energized=dt.date(2026, 1, 1), mw=5.0),
                                       dict(energized=dt.date(2026, 7, 1), mw=5.0)])


CALLS = {"capacity_timeline": lambda d: grid.capacity_timeline(_spec(), delay_months=d),
         "contracted_kw": lambda d: grid.contracted_kw(_spec(), IDX, delay_months=d)}


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("bad, shown", [
    ("3", r"'3' \(str\)"),        # raised a bare TypeError: '<' between str and int
    (None, r"None \(NoneType\)"),
    (True, r"True \(bool\)"),
    (float("nan"), "nan"),         # said "must be >= 0, got nan": NaN is not below 0
    (float("inf"), "inf"),
    (-1.0, "-1.0"),
], ids=["text", "none", "bool", "nan", "inf", "negative"])
def test_delay_months_must_be_a_finite_number_at_least_zero(call, bad, shown):
    with pytest.raises(InputError, match=rf"^delay_months: must be a finite number >= 0 \[months\], got {shown}$"):
        CALLS[call](bad)


@pytest.mark.parametrize("call", sorted(CALLS))
def test_numpy_and_int_delays_are_accepted(call):
    # a numpy int or float is a number like any other: the same result as the float
    ref = CALLS[call](3.0)
    pd.testing.assert_series_equal(CALLS[call](np.int64(3)), ref)
    pd.testing.assert_series_equal(CALLS[call](np.float64(3.0)), ref)
    pd.testing.assert_series_equal(CALLS[call](3), ref)
