"""A battery of exactly 12 h (or 0.25 h) is inside the allowed duration range.

A tester's 1.4 MW / 16.8 MWh battery was refused with "= 12 h; a battery's duration must be in
[0.25, 12] h": 16.8 / 1.4 is 12.000000000000002 in floating point. The bounds now hold to a
relative 1e-9, far below any real battery's figures (16.9 MWh, 12.07 h, is still refused).
"""
from __future__ import annotations

import pytest

from dcplan.specs.interconnection import BATTERY_DURATION_RANGE_H, BatterySpec


def test_the_float_noise_of_a_12_h_battery_is_not_refused():
    assert 16.8 / 1.4 > BATTERY_DURATION_RANGE_H[1]            # the noise the tolerance absorbs
    assert BatterySpec(power_mw=1.4, energy_mwh=16.8).energy_mwh == 16.8
    assert BatterySpec(power_mw=0.1, energy_mwh=1.2).power_mw == 0.1
    assert BatterySpec(power_mw=1.2, energy_mwh=0.3).energy_mwh == 0.3   # 0.25 h


@pytest.mark.parametrize("power, energy", [(1.4, 16.9), (4.0, 0.9)])
def test_a_battery_outside_the_range_is_still_refused(power, energy):
    with pytest.raises(ValueError, match=r"a battery's duration must be in \[0.25, 12\] h"):
        BatterySpec(power_mw=power, energy_mwh=energy)
