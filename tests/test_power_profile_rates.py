"""Event rates of a workload profile are bounded (dcplan.power_profile_checks.MAX_EVENT_RATES).

The tester: ``profile: {burst_rate_per_h: 1000000, burst_s: 1}`` validated ok, then the render
failed with "MemoryError: Unable to allocate 65.3 GiB": the inference process draws every burst
of a UTC year at once, 1e6 x 8,760 h = 8.76e9 draws, x 8 bytes = 7.008e10 B = 65.3 GiB an array.
"""
from __future__ import annotations

import re

import pytest

from conftest import bundled_site_copy

from dcplan.errors import InputError
from dcplan.validate import validate_file
from dcplan.workload import MAX_EVENT_RATES, make_process


def test_a_burst_rate_beyond_one_a_minute_is_refused_as_the_site_loads(tmp_path):
    assert 1e6 * 8760 * 8 / 2 ** 30 == pytest.approx(65.3, abs=0.05)   # the tester's allocation
    f = bundled_site_copy(tmp_path, "phoenix-az", "bursts", fleet={"profile": {"burst_rate_per_h": 1000000,
                                                                               "burst_s": 1}})
    (p,) = validate_file(f)
    assert (p.field, p.message) == (
        "fleet.profile.burst_rate_per_h",
        "must be at most 60 an hour (one burst a minute on average; faster swings are the profile's noise, "
        "fleet.profile.noise_minute_frac and fleet.profile.noise_second_frac), got 1e+06: the model draws every event of a year at once, "
        "8.76e+09 a year here, 65.3 GiB for each array of them")


def test_the_bounds_themselves_are_taken():
    assert MAX_EVENT_RATES["burst_rate_per_h"][0] == 60.0 and MAX_EVENT_RATES["interruptions_per_day"][0] == 1440.0
    make_process("inference", 0.6, burst_rate_per_h=60.0)
    make_process("training", 0.8, interruptions_per_day=1440.0)
    with pytest.raises(InputError, match=re.escape("profile.burst_rate_per_h: must be at most 60 an hour")):
        make_process("inference", 0.6, burst_rate_per_h=61.0)
    # interruptions: 1e6 a day = 3.65e8 a year, x 8 B = 2.72 GiB an array; in a mixed fleet too
    with pytest.raises(InputError, match=re.escape(
            "profile.interruptions_per_day: must be at most 1440 a day (one a minute on average; each restart holds "
            "the fleet for at least a checkpoint period, so more are absorbed), got 1e+06: the model draws every "
            "event of a year at once, 3.65e+08 a year here, 2.72 GiB for each array of them")):
        make_process("mixed", 0.7, interruptions_per_day=1e6)
