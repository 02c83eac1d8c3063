"""Every CSV dcplan writes is UTF-8 with a byte-order mark, so Excel reads its non-ASCII text as written.

A finance reviewer opened the TCO CSVs in Excel on Windows: without the mark Excel decodes a file as the ANSI
code page (cp1252), and every bundled tco run puts a ``§`` in the about, assumptions, shares and summary CSVs
(``docs/reference-data.md §7``), read as ``Â§``; a site named ``Zürich Überlandstraße`` read as
``ZÃ¼rich ÃœberlandstraÃŸe``. ``results.csv`` and the hourly CSVs carried the mark already; the TCO,
sustainability, sweep and portfolio_sweep CSVs did not.
"""
from __future__ import annotations

import codecs
import csv

import numpy as np
import pandas as pd
import pytest

from dcplan import tco_export
from dcplan.export_text import ENCODING, write_csv
from dcplan.sustainability import write_sustainability_csv
from dcplan.sweep import SweepSpec, run_sweep
from dcplan.tco import TcoInputs, run_tco

BOM = codecs.BOM_UTF8  # EF BB BF, the UTF-8 encoding of U+FEFF
NAME = "Zürich Überlandstraße 数据中心 — Ångström"

INP = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7)
BILL = np.linspace(3e5, 4e5, 12)


def _excel_reads(path) -> str:
    """The file as Excel on Windows decodes it: UTF-8 when it begins with the mark, else cp1252 (undecodable
    bytes replaced, as Excel shows them)."""
    raw = path.read_bytes()
    return raw[len(BOM):].decode("utf-8") if raw.startswith(BOM) else raw.decode("cp1252", errors="replace")


def test_write_csv_writes_the_mark_unless_told_otherwise(tmp_path):
    df = pd.DataFrame({"site": [NAME], "t [°C]": [-1.5]})
    write_csv(df, tmp_path / "a.csv", index=False)
    raw = (tmp_path / "a.csv").read_bytes()
    assert ENCODING == "utf-8-sig" and raw.startswith(BOM) and raw.count(BOM) == 1
    assert NAME in _excel_reads(tmp_path / "a.csv") and "t [°C]" in _excel_reads(tmp_path / "a.csv")
    # pandas' default reader drops the mark: the first column is named as written, not "\ufeffsite"
    back = pd.read_csv(tmp_path / "a.csv")
    assert list(back.columns) == ["site", "t [°C]"] and back.at[0, "site"] == NAME and back.at[0, "t [°C]"] == -1.5
    write_csv(df, tmp_path / "b.csv", index=False, encoding="utf-8")  # a caller's own encoding still wins
    assert not (tmp_path / "b.csv").read_bytes().startswith(BOM)


def test_every_tco_export_csv_carries_the_mark_and_says_so(tmp_path):
    fleet = pd.DataFrame({"hardware": ["hgx-h100"], "count": [512], "label": ["Hall ①"], "accelerators": [4096]})
    paths = tco_export.write_export(run_tco(INP, BILL), tmp_path, stem="x_base_tco", site=NAME, fleet=fleet,
                                    scenario="base", title=f"{NAME}, scenario base")
    csvs = [p for p in paths if p.suffix == ".csv"]
    assert len(csvs) == 7  # About, Assumptions, CashFlow, Monthly, Depreciation, Summary, Shares (no tornado, MC)
    for p in csvs:
        assert p.read_bytes().startswith(BOM), p.name
        assert "Ã" not in _excel_reads(p), p.name  # no UTF-8 read as cp1252
    # what Excel shows: the name and the § of the shares' sources as written
    assert NAME in _excel_reads(tmp_path / "x_base_tco_summary.csv")
    assert "§7" in _excel_reads(tmp_path / "x_base_tco_shares.csv")
    # read back: pandas (the tie-out scripts) and csv with utf-8-sig see the header as written
    assert pd.read_csv(tmp_path / "x_base_tco_summary.csv").columns[0] == "key"
    with open(tmp_path / "x_base_tco_about.csv", newline="", encoding="utf-8-sig") as fh:
        about = dict(list(csv.reader(fh))[1:])
    assert "UTF-8 with a byte-order mark" in about["note"]
    assert about["site"] == NAME


def test_sustainability_csv_carries_the_mark(tmp_path):
    table = pd.DataFrame([{"site": "zz", "name": NAME, "water_m3 [m³]": 1.5}])
    p = write_sustainability_csv(table, tmp_path, "zz")
    assert p.read_bytes().startswith(BOM) and NAME in _excel_reads(p)
    assert pd.read_csv(p).columns.tolist() == ["site", "name", "water_m3 [m³]"]


def case_figure(site, weather):
    """A sweep case with one figure (no model run: the test is about the file)."""
    return {"delta_kw": -1.5}


@pytest.mark.slow
def test_sweep_csv_carries_the_mark_and_a_rerun_still_reads_it(tmp_path):
    from dcplan.site import load_portfolio
    pf = load_portfolio()
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="test_export_encoding:case_figure", name="enc",
                     axes={"name": [NAME, "Ørsted"]})
    out = tmp_path / "enc.parquet"
    assert run_sweep(spec, jobs=1, out=out, csv=True).ok
    raw = out.with_suffix(".csv").read_bytes()
    assert raw.startswith(BOM) and NAME in _excel_reads(out.with_suffix(".csv"))
    assert sorted(pd.read_csv(out.with_suffix(".csv"))["name"]) == sorted([NAME, "Ørsted"])
    # a re-run that drops the rows keeps the CSV as .previous.csv: its reader (pandas) knows it for the
    # results' own (the same case_ids), with the mark
    again = run_sweep(spec, jobs=1, out=out, csv=True, resume=False)
    assert again.ok and (tmp_path / "enc.previous.csv").read_bytes() == raw
    # and the summary names both files it kept (it named the .previous.parquet alone)
    assert (f"previous results kept as {tmp_path / 'enc.previous.parquet'} and {tmp_path / 'enc.previous.csv'}"
            in again.table())

