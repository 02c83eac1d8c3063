"""``dcplan bill --csv FILE``: the monthly table as a CSV for a spreadsheet (dcplan.cli_bill_export).

The printed table rounds to cents with thousands separators and pads with spaces: a finance reviewer who
wanted to check that the months sum to the annual bill had to copy it from the terminal and split it by hand.
A flat tariff billed by hand: 0.10 USD/kWh and a fixed 50 USD a month."""
from __future__ import annotations

import argparse
import csv
import json

import pandas as pd
import pytest

from dcplan.cli_bill import run
from dcplan.errors import InputError

ZERO = [[0] * 24 for _ in range(12)]


def _args(**kw):
    a = argparse.Namespace(tariff=None, load=None, interval=None, tz="America/Phoenix", column=None, stamps=None,
                           label=None, holidays=None, fill=None, ignore=(), coincident_peaks=None,
                           coincident_interval=None, prior_peaks_kw=None, csv=None)
    for k, v in kw.items():
        setattr(a, k, v)
    return a


def _files(tmp_path):
    tariff = tmp_path / "flat.json"
    tariff.write_text(json.dumps({"label": "t", "energyratestructure": [[{"rate": 0.10}]],
                                  "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO,
                                  "fixedchargefirstmeter": 50.0, "fixedchargeunits": "$/month"}))
    # January and February 2025, hourly, interval-ending labels: 1000 kW, 2000 kW in February
    idx = pd.date_range("2025-01-01 01:00", "2025-03-01 00:00", freq="h")
    kw = pd.Series(1000.0, index=idx)
    kw[idx > pd.Timestamp("2025-02-01 00:00")] = 2000.0
    load = tmp_path / "load.csv"
    kw.rename("load_kw").rename_axis("interval_end").to_csv(load)
    return str(tariff), str(load)


def test_the_monthly_table_is_written_in_full_for_a_spreadsheet(tmp_path, capsys):
    tariff, load = _files(tmp_path)
    out = tmp_path / "bill.csv"
    assert run(_args(tariff=tariff, load=load, csv=str(out))) == 0
    printed = capsys.readouterr().out
    assert f"Wrote:  {out} (the monthly table; no totals row)" in printed
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as every CSV dcplan writes
    with open(out, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["month"] for r in rows] == ["2025-01", "2025-02"]  # text, one row per billing month, no total
    # by hand: January 744 h x 1000 kW = 744,000 kWh x 0.10 = 74,400 USD + 50; February 672 h x 2000 kW =
    # 1,344,000 kWh x 0.10 = 134,400 USD + 50 (abs: sums of exact decimal products)
    got = {r["month"]: {k: float(v) for k, v in r.items() if k != "month"} for r in rows}
    assert got["2025-01"]["energy_kwh"] == pytest.approx(744_000.0, abs=1e-6)
    assert got["2025-02"]["energy_kwh"] == pytest.approx(1_344_000.0, abs=1e-6)
    assert got["2025-01"]["total_usd"] == pytest.approx(74_450.0, abs=1e-6)
    assert got["2025-02"]["total_usd"] == pytest.approx(134_450.0, abs=1e-6)
    # the months sum to the printed annual total
    assert "total_usd:       208,900.00" in printed
    assert sum(g["total_usd"] for g in got.values()) == pytest.approx(208_900.0, abs=1e-6)
    assert list(rows[0])[:2] == ["month", "energy_kwh"] and "peak_kw" in rows[0]


def test_a_bad_csv_path_is_refused_before_the_bill(tmp_path, capsys):
    tariff, load = _files(tmp_path)
    with pytest.raises(InputError, match=r"--csv: .* is a folder; give the CSV file to write"):
        run(_args(tariff=tariff, load=load, csv=str(tmp_path)))
    with pytest.raises(InputError, match=r"--csv: the folder of .* does not exist"):
        run(_args(tariff=tariff, load=load, csv=str(tmp_path / "no" / "bill.csv")))
    assert "Tariff:" not in capsys.readouterr().out  # refused before anything was billed or printed
