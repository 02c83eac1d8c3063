"""``dcplan bill --dst-from-order``: naive local-time stamps that give the repeated fall-back hour
twice, in order, are read from the row order (pandas ``ambiguous="infer"``) and the bill says so.

A tariff analyst's meter CSV (naive local time, the November 01:00 twice, rows in order) was refused
as ambiguous with no way to bill it but rewriting every stamp with its offset.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.errors import InputError

TZ = "America/Chicago"


def _files(tmp_path, wall):
    t = tmp_path / "t.json"
    t.write_text(json.dumps({"label": "flat", "energyratestructure": [[{"rate": 0.10}]],
                             "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[0] * 24] * 12}))
    f = tmp_path / "meter.csv"
    pd.DataFrame({"interval_end": [w.strftime("%Y-%m-%d %H:%M") for w in wall], "load_kw": 1.0}).to_csv(f, index=False)
    return str(t), str(f)


def _november_wall():
    """Interval-ending hours of November 2025 in Chicago, written on the naive wall clock: 721 rows
    (30 x 24 + 1: the clock falls back at 02:00 CDT on 2 Nov), 2025-11-02 01:00 twice, in order."""
    idx = pd.date_range("2025-11-01 01:00", "2025-12-01 00:00", freq="h", tz=TZ)
    assert len(idx) == 721
    return idx.tz_localize(None)


def test_repeated_hour_in_order_is_read_from_the_row_order_and_noted(tmp_path, capsys):
    wall = _november_wall()
    tariff, load = _files(tmp_path, wall)
    with pytest.raises(InputError) as ei:  # without the option: refused, naming it
        main(["--debug", "bill", "--tariff", tariff, "--load", load, "--tz", TZ])
    assert "naive timestamp is ambiguous in America/Chicago (2025-11-02 01:00:00, row " in ei.value.detail
    assert "pass --dst-from-order to read them from the row order" in ei.value.detail
    assert main(["bill", "--tariff", tariff, "--load", load, "--tz", TZ, "--dst-from-order"]) == 0
    out = capsys.readouterr().out
    # rows: header 1, 2025-11-01 01:00 is row 2, 2025-11-02 01:00 (25 h later) row 26, its second pass row 27
    assert wall[24] == wall[25] == pd.Timestamp("2025-11-02 01:00")
    assert ("Note:   the America/Chicago clock repeats the times from 2025-11-02 01:00 (row 26 at -05:00, row 27 "
            "at -06:00): they were read from the row order (--dst-from-order)") in out
    # hand: 721 h x 1 kW x 0.10 $/kWh = 72.10 USD (the repeated hour billed twice, as the meter recorded it)
    (total,) = [ln for ln in out.splitlines() if ln.strip().startswith("total_usd:")]
    assert float(total.split(":")[1].replace(",", "")) == pytest.approx(721 * 0.10, abs=0.005)


def test_a_repeated_hour_given_once_cannot_be_inferred(tmp_path):
    """One 01:00 row on 2 Nov (the second pass dropped): nothing to infer from, an error that says so."""
    wall = _november_wall()
    tariff, load = _files(tmp_path, wall.delete(25))
    with pytest.raises(InputError) as ei:
        main(["--debug", "bill", "--tariff", tariff, "--load", load, "--tz", TZ, "--dst-from-order"])
    assert "naive timestamp is ambiguous in America/Chicago" in ei.value.detail
    assert "the rows do not give the repeated hour twice in time order, so --dst-from-order cannot tell them " \
           "apart" in ei.value.detail
