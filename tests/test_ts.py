"""dcplan._ts: the time-series conventions every model shares."""
from __future__ import annotations

import pandas as pd

from dcplan import _ts


def test_interval_start_of_hourly_labels_crosses_dst_by_one_hour():
    idx = pd.date_range("2025-03-09 01:00", periods=3, freq="h", tz="America/New_York")
    # labels 01:00 EST, 03:00 EDT, 04:00 EDT: each interval started one absolute hour earlier
    assert list(_ts.interval_start(idx)) == [pd.Timestamp(s, tz="America/New_York") for s in
                                             ("2025-03-09 00:00", "2025-03-09 01:00", "2025-03-09 03:00")]


def test_interval_start_of_daily_labels_is_the_previous_local_midnight_across_dst():
    # daily labels at local midnight; the day of 9 March 2025 has 23 hours in New York, 2 November 25:
    # each interval starts at the previous local midnight (not 24 absolute hours earlier)
    idx = pd.date_range("2025-03-08", periods=4, freq="D", tz="America/New_York")
    starts = _ts.interval_start(idx)
    assert all(t.hour == 0 and t.minute == 0 for t in starts)
    assert list(starts.day) == [7, 8, 9, 10]
    nov = _ts.interval_start(pd.date_range("2025-11-01", periods=4, freq="D", tz="America/New_York"))
    assert list(nov.hour) == [0, 0, 0, 0] and list(nov.day) == [31, 1, 2, 3]
