"""``dcplan validate --dst-from-order``: a load CSV whose naive local stamps give the fall-back hour
twice, in order, is read by validate as ``dcplan bill --dst-from-order`` reads it (bill's own reader,
:func:`dcplan.cli_bill.read_load_csv`), so validate no longer refuses what bill accepts.

A reviewer's finding: bill had the option and validate did not; validate refused (as ambiguous) the
very file bill billed with it, so "validate, then bill" could not be followed for such a meter export.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dcplan.cli import build_parser, main
from dcplan.validate import validate_file

TZ = "America/Chicago"


def _november(tmp_path, drop_second_pass: bool = False):
    """A tariff (flat 0.10 $/kWh) and November 2025 hour-ending loads in Chicago on the naive wall clock:
    721 rows (30 x 24 + 1: the clock falls back at 02:00 CDT on 2 Nov, so 2025-11-02 01:00 is written
    twice, rows 26 and 27), load 1000 kW on even rows (0-based) and 1500 kW on odd ones."""
    t = tmp_path / "t.json"
    t.write_text(json.dumps({"label": "flat", "energyratestructure": [[{"rate": 0.10}]],
                             "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[0] * 24] * 12}))
    wall = pd.date_range("2025-11-01 01:00", "2025-12-01 00:00", freq="h", tz=TZ).tz_localize(None)
    assert len(wall) == 721 and wall[24] == wall[25] == pd.Timestamp("2025-11-02 01:00")
    kw = [1000.0 if i % 2 == 0 else 1500.0 for i in range(len(wall))]
    df = pd.DataFrame({"interval_end": [w.strftime("%Y-%m-%d %H:%M") for w in wall], "load_kw": kw})
    if drop_second_pass:
        df = df.drop(index=25)
    f = tmp_path / "meter.csv"
    df.to_csv(f, index=False)
    return str(t), str(f)


def _bill_error(capsys, tariff, load, *opts):
    assert main(["bill", "--tariff", tariff, "--load", load, *opts]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("dcplan: error: ")
    return line[len("dcplan: error: "):]


def test_without_the_option_validate_says_what_bill_says(tmp_path, capsys):
    tariff, load = _november(tmp_path)
    said = _bill_error(capsys, tariff, load, "--tz", TZ)
    assert "naive timestamp is ambiguous in America/Chicago (2025-11-02 01:00:00, row 26" in said
    assert main(["validate", load, "--tz", TZ]) == 2
    cap = capsys.readouterr()
    assert cap.out == ""
    assert cap.err.strip().splitlines() == [said]  # the same one line, word for word


def test_with_the_option_validate_accepts_it_and_counts_what_bill_bills(tmp_path, capsys):
    tariff, load = _november(tmp_path)
    assert main(["bill", "--tariff", tariff, "--load", load, "--tz", TZ, "--dst-from-order"]) == 0
    bill_out = capsys.readouterr().out
    assert main(["validate", load, "--tz", TZ, "--dst-from-order"]) == 0
    cap = capsys.readouterr()
    assert cap.err == ""
    (ok,) = cap.out.strip().splitlines()
    assert ok.startswith(f"{load}: ok (721 intervals of 1 h, ")
    # hand: 361 even rows x 1000 kW x 1 h + 360 odd rows x 1500 kW x 1 h = 361,000 + 540,000 = 901,000 kWh
    # (the repeated hour counted twice: the meter recorded two hours); printed to 0.01 kWh
    assert " 901,000.00 kWh, America/Chicago, labels: interval ends (from column name 'interval_end'); " in ok
    assert ("the America/Chicago clock repeats the times from 2025-11-02 01:00 (row 26 at -05:00, row 27 at "
            "-06:00): they were read from the row order (--dst-from-order))") in ok
    # bill's Load: line gives the same count and step, its table the same energy
    assert f"Load:   meter.csv, 721 intervals of 1 h, {TZ}," in bill_out
    (row,) = [ln for ln in bill_out.splitlines() if ln.startswith("2025-11 ")]
    assert float(row.split()[1].replace(",", "")) == pytest.approx(901_000.0, abs=0.005)
    # and bill's total: 901,000 kWh x 0.10 $/kWh = 90,100.00 USD
    (total,) = [ln for ln in bill_out.splitlines() if ln.strip().startswith("total_usd:")]
    assert float(total.split(":")[1].replace(",", "")) == pytest.approx(90_100.0, abs=0.005)


def test_the_option_without_tz_is_refused_as_bill_refuses_it(tmp_path, capsys):
    tariff, load = _november(tmp_path)
    said = _bill_error(capsys, tariff, load, "--dst-from-order")
    assert said == f"{load}: --tz: timestamps have no UTC offset; give --tz (e.g. America/New_York)"
    assert main(["validate", load, "--dst-from-order"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert said in err  # (and, on the wall clock, the repeated 01:00 is a duplicate: said too)


def test_a_repeated_hour_given_once_is_the_same_error_in_both(tmp_path, capsys):
    """One 01:00 on 2 Nov (the second pass dropped): nothing to read from the order, in bill and validate."""
    tariff, load = _november(tmp_path, drop_second_pass=True)
    said = _bill_error(capsys, tariff, load, "--tz", TZ, "--dst-from-order")
    assert "so --dst-from-order cannot tell them apart" in said
    assert main(["validate", load, "--tz", TZ, "--dst-from-order"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [said]


def test_validate_file_takes_it_and_help_says_it(tmp_path):
    _, load = _november(tmp_path)
    (p,) = validate_file(load, tz=TZ)
    assert p.message.startswith("naive timestamp is ambiguous in America/Chicago")
    assert validate_file(load, tz=TZ, dst_from_order=True) == []
    sub = build_parser()._subparsers._group_actions[0].choices
    helps = {name: next(a.help for a in sub[name]._actions if "--dst-from-order" in a.option_strings)
             for name in ("bill", "validate")}
    assert "row order" in helps["validate"] and "as for dcplan bill" in helps["validate"]
    assert "falls back (DST end)" in helps["bill"] and "falls back (DST end)" in helps["validate"]
