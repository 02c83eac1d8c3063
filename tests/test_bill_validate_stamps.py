"""``dcplan validate`` names a load file's bad rows as the file writes them (its own UTC offset)
and by row, not by the UTC time it reads them on (tester finding f06: "at 2024-01-22
05:00:00+00:00" for a file saying 2024-01-21 20:00:00-05:00). Rows count as the reader's
"row 302: value 'ERR'" does: the header is row 1."""
from __future__ import annotations

import pandas as pd

from dcplan import validate as V

NY = "America/New_York"
TZ_PROBLEM = "timestamps change UTC offset (DST); give --tz so billing months use the right local time"


def _file(tmp_path, mutate) -> str:
    # 8 Mar 01:00 .. 11 Mar 00:00 New York, hourly, across the spring-forward change (02:00 on 9 Mar
    # is skipped): 71 stamps, offsets -05:00 then -04:00, so validate reads them on the UTC clock
    idx = pd.date_range("2025-03-08 01:00", "2025-03-11 00:00", freq="h", tz=NY)
    df = pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "load_kw": 100.0})
    df = mutate(df)
    f = tmp_path / "load.csv"
    df.to_csv(f, index=False)
    return str(f)


def _messages(f):
    probs = V.validate_file(f)
    assert probs[0].field == "--tz" and probs[0].message == TZ_PROBLEM
    return [(p.field, p.message) for p in probs[1:]]


def test_a_gap_is_named_on_the_files_offset_with_its_rows(tmp_path):
    # positions: 8 Mar 01..23 -> 0..22, 9 Mar 00:00 -> 23, 01:00 -> 24, 03:00 -> 25 (02:00 skipped),
    # ..., 10 Mar 00:00 -> 46, 20:00 -> 66 (row 68); 21-23:00 dropped, 11 Mar 00:00 -> 67 (row 69)
    f = _file(tmp_path, lambda df: df[~df.timestamp.str.startswith(("2025-03-10T21", "2025-03-10T22",
                                                                    "2025-03-10T23"))])
    assert _messages(f) == [("timestamp", "irregular step at 2025-03-11 00:00:00-04:00 (row 69): 4 h "
                                          "after 2025-03-10 20:00:00-04:00 (row 68) where the step is 1 h (gap or "
                                          "missing rows)")]


def test_negative_and_empty_values_are_named_on_the_files_offset_with_their_row(tmp_path):
    def mutate(df):
        df.loc[4, "load_kw"] = -5.0  # 8 Mar 05:00 -05:00, row 6 (was "at 2025-03-08 10:00:00+00:00")
        df.loc[30, "load_kw"] = None  # 9 Mar 08:00 -04:00 (position 30: 03:00 is 25), row 32
        df.loc[31, "load_kw"] = None
        return df
    assert _messages(_file(tmp_path, mutate)) == [
        ("load_kw", "NaN/empty value at 2025-03-09 08:00:00-04:00 (2 in all), the first on row 32"),
        ("load_kw", "negative load -5 kW at 2025-03-08 05:00:00-05:00 (1 in all), on row 6; bills are for "
                    "imports only")]


def test_a_duplicate_names_both_rows(tmp_path):
    # 8 Mar 03:00 (position 2, row 4) written again after itself: row 5
    f = _file(tmp_path, lambda df: pd.concat([df.iloc[:3], df.iloc[2:]], ignore_index=True))
    assert _messages(f) == [("timestamp", "duplicate timestamp 2025-03-08 03:00:00-05:00 (row 5), the same "
                                          "instant as 2025-03-08 03:00:00-05:00 (row 4)")]


def test_with_tz_the_stamps_are_still_named_as_written(tmp_path):
    # a 'Z' file read in New York: the problem names the file's own UTC stamp, which the user can find
    idx = pd.date_range("2025-01-06 01:00", periods=6, freq="h", tz="UTC")
    f = tmp_path / "z.csv"
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%dT%H:%M:%SZ"), "load_kw": [1, 2, -3, 4, 5, 6]}).to_csv(
        f, index=False)
    (p,) = V.validate_file(f, tz=NY)
    assert p.message == ("negative load -3 kW at 2025-01-06 03:00:00+00:00 (1 in all), on row 4; bills are for "
                         "imports only")
