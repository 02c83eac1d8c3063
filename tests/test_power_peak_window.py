"""The 1 s window at the peak hour and the 15 min demand peak read from it (dcplan.power_peak_window)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.power_peak_window import block_peak_kw, peak_window


def test_the_15min_peak_is_of_whole_clock_aligned_blocks():
    """A ramp of 1 kW per second over 35 min from 10:05 (interval-ending 10:05:01 ... 10:40:00): of the clock
    blocks 10:00-10:15, 10:15-10:30 and 10:30-10:45 only the middle one is whole; its seconds are the ramp's
    601st to 1,500th, mean (601 + 1,500) / 2 = 1,050.5 kW (the partial 10:30-10:40, mean 1,800.5, is left out)."""
    idx = pd.date_range("2025-07-01 10:05:01", periods=35 * 60, freq="1s", tz="America/New_York")
    kw = pd.Series(np.arange(1.0, 35 * 60 + 1), index=idx)
    assert block_peak_kw(kw, 15.0) == pytest.approx(1050.5, abs=1e-9)
    assert block_peak_kw(kw.iloc[:600], 15.0) is None   # 10:05-10:15: no whole block


def test_the_15min_blocks_run_through_the_clock_change():
    """2025-11-02 01:00-02:00 EDT is followed by 01:00-02:00 EST (America/New_York): a block is 900 s of
    UTC time either way, so the fall-back hour's 8 blocks are all whole (a constant 5 kW: 5 kW)."""
    idx = pd.date_range("2025-11-02 05:00:01", periods=7200, freq="1s", tz="UTC").tz_convert("America/New_York")
    assert block_peak_kw(pd.Series(5.0, index=idx), 15.0) == pytest.approx(5.0, abs=1e-12)


def test_the_window_starts_at_the_peak_hour_or_ends_the_year():
    hours = pd.date_range("2025-01-01 01:00", periods=48, freq="1h", tz="UTC")
    kw = pd.Series(1.0, index=hours)
    kw.iloc[10] = 2.0   # the hour ending 11:00
    w = peak_window(kw, 2.0)
    assert (str(w[0]), str(w[-1])) == ("2025-01-01 10:00:01+00:00", "2025-01-01 12:00:00+00:00")
    kw.iloc[47] = 3.0   # the last hour: the window ends with the series (2025-01-03 00:00)
    w = peak_window(kw, 2.0)
    assert (str(w[0]), str(w[-1])) == ("2025-01-02 22:00:01+00:00", "2025-01-03 00:00:00+00:00")
