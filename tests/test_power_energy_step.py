""":func:`dcplan.power.energy_from_power` on a Series: its own step, never a contradicting
``step_s`` silently ignored, and never text read as kW (API tester finding 5)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.power import energy_from_power

Q = pd.Series(4.0, index=pd.date_range("2024-01-01 00:15", periods=4, freq="15min", tz="UTC"), name="it_kw")


def test_a_step_s_that_contradicts_the_series_step_is_refused():
    # 4 kW for 15 min is 1 kWh an interval; step_s=3600 was ignored without a word
    with pytest.raises(InputError, match=r"^step_s: 3600 s contradicts the Series' own step 900 s \(from its "
                                         r"index\); allowed: the same step, or leave step_s out for a Series$"):
        energy_from_power(Q, step_s=3600)


@pytest.mark.parametrize("step", [None, 900, 900.0, np.int64(900)])
def test_the_series_own_step_given_or_not_gives_the_same_energy(step):
    # 4 kW x 900 s / 3600 = 1 kWh per interval (hand arithmetic, exact in binary)
    out = energy_from_power(Q, step_s=step)
    assert out.name == "it_kwh" and (out == 1.0).all()


@pytest.mark.parametrize("bad", ["900", -900.0, float("nan")])
def test_a_step_s_that_is_not_a_step_is_refused_for_a_series_too(bad):
    with pytest.raises(InputError, match=r"^step_s: must be a finite number > 0 \[s\], got "):
        energy_from_power(Q, step_s=bad)


def test_a_series_of_text_is_refused():
    # '4.0' read as 4 kW by astype(float)
    with pytest.raises(InputError, match=r"^it_kw: need numbers in kW, got dtype \w+, e\.g\. '4\.0' at "
                                         r"2024-01-01 00:15:00\+00:00; convert first"):
        energy_from_power(Q.astype(str))
