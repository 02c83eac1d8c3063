"""dcplan._ts: what a time-series function says when it is not given a DatetimeIndex,
and how it describes an index that is not regular (API tester findings 1 and 6)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from dcplan import _ts
from dcplan import power as pw
from dcplan.errors import InputError

TZ = "America/Denver"
IDX = pd.date_range("2024-03-01 01:00", periods=48, freq="1h", tz=TZ)
FIX = r"; pass a pandas DatetimeIndex, e\.g\. pd\.DatetimeIndex\(x\)$"


@pytest.mark.parametrize("given, got", [
    # it said "got builtin_function_or_method": it read list.index, a method
    (list(IDX), "a list"),
    # it raised a bare AttributeError ('numpy.ndarray' object has no attribute 'index')
    (IDX.tz_convert(None).to_numpy(), r"an ndarray of datetime64\[\w+\]"),
    # it said "got RangeIndex": the timestamps are the Series' values, not its index
    (pd.Series(IDX), r"a Series of timestamps \(on a RangeIndex\)"),
    (pd.Index(IDX.astype(str)), r"an Index of \w+"),
], ids=["list", "ndarray", "series-of-stamps", "text-index"])
def test_step_s_names_what_was_given_instead_of_an_index(given, got):
    with pytest.raises(InputError, match=rf"^index: need a tz-aware DatetimeIndex, got {got}{FIX}"):
        _ts.step_s(given, "index")


def test_site_it_kw_given_a_list_of_timestamps_says_so():
    # the tester's repro (f10_index_types.py): a site's IT power on list(index)
    site = {"phases": [{"hardware": "hgx-h100", "count": 10, "start": "2024-01-01", "label": "A"}],
            "workload": "training", "utilisation_frac": 0.8}
    with pytest.raises(InputError, match=rf"^index: need a tz-aware DatetimeIndex, got a list{FIX}"):
        pw.site_it_kw(site, list(IDX))


def test_a_series_or_frame_still_gives_its_index_step():
    assert _ts.step_s(pd.Series(1.0, index=IDX), "x_kw") == 3600.0
    assert _ts.step_s(pd.DataFrame({"a": 1.0}, index=IDX), "x") == 3600.0
    with pytest.raises(InputError, match=r"^weather: need a tz-aware DatetimeIndex, got a DataFrame on an Index; "
                                         r"put the timestamps in its index"):
        _ts.step_s(pd.DataFrame({"a": 1.0}, index=IDX.astype(str)), "weather")


def test_gap_is_stated_in_hours_not_as_a_pandas_timedelta():
    # one hourly row dropped: 2 h from the row before where the step is 1 h (was "0 days 02:00:00")
    with pytest.raises(InputError, match=r"^index: irregular step at 2024-03-01 04:00:00-07:00: 2 h after "
                                         r"2024-03-01 02:00:00-07:00 where the step is 1 h \(gap or missing rows\); "
                                         r"resample or fill first$"):
        _ts.step_s(IDX.delete(2), "index")
    # 15-min data with two rows missing: 45 min
    q = pd.date_range("2024-03-01", periods=8, freq="15min", tz=TZ).delete([3, 4])
    with pytest.raises(InputError, match=r": 45 min after .* where the step is 15 min "):
        _ts.step_s(q, "index")


@pytest.mark.parametrize("ns, text", [(7_200_000_000_000, "2 h"), (5_400_000_000_000, "90 min"),
                                      (30_000_000_000, "30 s"), (1_500_000_000, "1500 ms"), (7, "7 ns")])
def test_duration_text_uses_the_largest_whole_unit(ns, text):
    assert _ts.duration_text(ns) == text


def test_out_of_order_and_repeated_stamps_say_how_to_mend_them():
    # resampling or filling does not sort or de-duplicate: each problem names its own remedy
    shuffled = IDX[[0, 2, 1, 3]]
    with pytest.raises(InputError, match=r"timestamps not increasing at .*; sort first \(\.sort_index\(\)\)$"):
        _ts.step_s(shuffled, "index")
    dup = IDX[[0, 1, 1, 2]]
    with pytest.raises(InputError, match=r"duplicate timestamp .*; drop or average the repeated rows first"):
        _ts.step_s(dup, "index")
    # without a fix, irregularity is the bare problem (its other callers add their own)
    assert _ts.irregularity(shuffled) == f"timestamps not increasing at {IDX[1]} (after {IDX[2]})"


def test_a_missing_timestamp_is_named_as_one_not_as_out_of_order():
    # localizing a fall-back day with ambiguous='NaT': it said "timestamps not increasing at
    # 2024-11-03 02:00:00-06:00 (after NaT); resample or fill first", and neither mends a NaT
    wall = pd.date_range("2024-11-03 00:00", periods=4, freq="1h")
    idx = wall.tz_localize("America/Chicago", ambiguous="NaT")
    with pytest.raises(InputError, match=r"^index: missing timestamp \(NaT\) after 2024-11-03 00:00:00-05:00; "
                                         r"drop those rows or repair their times first"):
        _ts.step_s(idx, "index")


@pytest.mark.parametrize("values, problem", [
    (pd.Series([1.0, 2.0], index=IDX[:2]).astype(str), r"dtype (str|object), e\.g\. '1\.0' at 2024-03-01 01:00:00-07:00$"),
    (pd.Series([1.0, "2"], index=IDX[:2], dtype=object), r"dtype object, e\.g\. '2' at 2024-03-01 02:00:00-07:00$"),
    (pd.Series(IDX[:2]), r"dtype datetime64\[\w+, America/Denver\], e\.g\. Timestamp"),
])
def test_numeric_problem_names_the_first_value_that_is_not_a_number(values, problem):
    assert re.match(problem, _ts.numeric_problem(values))


@pytest.mark.parametrize("values", [pd.Series([1, 2]), pd.Series([1.0, np.nan]), pd.Series([True, False]),
                                    pd.Series([1.0, 2, None], dtype=object), pd.Series([1.0, None], dtype="Float64")])
def test_numeric_problem_passes_numbers(values):
    assert _ts.numeric_problem(values) is None
