"""Exports written outside ``dcplan render`` keep a file the reader made or edited (dcplan.export_record).

A finance reviewer opened the TCO workbook, added a sheet of checks and pressed Save; the next export from
JupyterLab replaced it without a word, because nothing recorded what dcplan had written there. The workbook's
About sheet cannot tell (an edit leaves it as it was): the export folder now records the SHA-256 of each file
written, and a file that is not as recorded is kept beside the new one, and said.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dcplan import export_record, tco_export
from dcplan.cli_bill_export import write_bill_csv
from dcplan.errors import DcplanWarning
from dcplan.export_record import RECORD
from dcplan.tco import TcoInputs, run_tco

INP = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0)
BILL = np.linspace(3e5, 4e5, 12)
T0 = dt.datetime(2026, 3, 1, 10, 15, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def results():
    return run_tco(INP, BILL), run_tco(INP.with_costs(staff_fte_per_mw=3.0), BILL)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(export_record, "_utc_now", lambda: T0)


def _npv(path) -> float:
    return tco_export.read_workbook(path)["Summary"].set_index("key").loc["npv_usd", "value"]


def _add_checks_sheet(path) -> bytes:
    """What the reviewer did: open, add a sheet of checks, save in place. Returns the saved bytes."""
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Checks")
    ws["A1"], ws["B1"] = "npv agrees with the model", "yes - JS"
    wb.save(path)
    return path.read_bytes()


def test_an_edited_workbook_survives_a_second_export_and_the_warning_names_both(results, tmp_path):
    first, second = results
    path = tco_export.write_workbook(first, tmp_path / "tco.xlsx")
    about_before = tco_export.read_workbook(path)["About"]
    edited = _add_checks_sheet(path)
    # the About sheet survives the edit unchanged: it cannot tell an edited workbook from dcplan's own
    pd.testing.assert_frame_equal(tco_export.read_workbook(path)["About"], about_before)
    kept = tmp_path / "tco.edited-20260301T101500Z.xlsx"
    with pytest.warns(DcplanWarning) as w:
        tco_export.write_workbook(second, path)
    msgs = [str(x.message) for x in w if issubclass(x.category, DcplanWarning)]
    assert len(msgs) == 1 and str(path) in msgs[0] and str(kept) in msgs[0] and "edited" in msgs[0]
    assert kept.read_bytes() == edited                       # the reviewer's workbook, byte for byte
    assert openpyxl.load_workbook(kept)["Checks"]["B1"].value == "yes - JS"
    # the new export is the second run's (exact: openpyxl's %.16g round trip, 1e-15 relative)
    assert _npv(path) == pytest.approx(second.summary["npv_usd"], rel=1e-15)
    assert "Checks" not in openpyxl.load_workbook(path).sheetnames
    assert sorted(os.listdir(tmp_path)) == [RECORD, kept.name, "tco.xlsx"]


def test_an_unedited_workbook_is_replaced_silently(results, tmp_path):
    first, second = results
    path = tco_export.write_workbook(first, tmp_path / "tco.xlsx")
    tco_export.write_workbook(second, path)  # dcplan's warnings are errors in the tests: none is raised
    assert sorted(os.listdir(tmp_path)) == [RECORD, "tco.xlsx"]
    assert _npv(path) == pytest.approx(second.summary["npv_usd"], rel=1e-15)
    rec = json.loads((tmp_path / RECORD).read_text())["files"]
    import hashlib
    assert rec["tco.xlsx"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_file_of_another_origin_survives(results, tmp_path):
    first, _ = results
    mine = tmp_path / "tco.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "my own budget"
    wb.save(mine)
    before = mine.read_bytes()
    with pytest.warns(DcplanWarning, match=r"was not written there by dcplan .* kept as .*tco\.kept-20260301T101500Z"
                                           r"\.xlsx, not overwritten"):
        tco_export.write_workbook(first, mine)
    assert (tmp_path / "tco.kept-20260301T101500Z.xlsx").read_bytes() == before
    assert _npv(mine) == pytest.approx(first.summary["npv_usd"], rel=1e-15)


def test_a_kept_name_already_taken_is_not_overwritten(results, tmp_path):
    first, second = results
    path = tco_export.write_workbook(first, tmp_path / "tco.xlsx")
    taken = tmp_path / "tco.edited-20260301T101500Z.xlsx"
    taken.write_bytes(b"an earlier kept copy")
    edited = _add_checks_sheet(path)
    with pytest.warns(DcplanWarning, match=r"tco\.edited-20260301T101500Z-2\.xlsx"):
        tco_export.write_workbook(second, path)
    assert taken.read_bytes() == b"an earlier kept copy"
    assert (tmp_path / "tco.edited-20260301T101500Z-2.xlsx").read_bytes() == edited


def test_a_failed_export_puts_the_edited_workbook_back_and_says_nothing(results, tmp_path, monkeypatch):
    first, second = results
    path = tco_export.write_workbook(first, tmp_path / "tco.xlsx")
    edited = _add_checks_sheet(path)
    record = (tmp_path / RECORD).read_bytes()
    real = os.replace

    def fail_placing(src, dst, *a, **k):  # the new workbook cannot be renamed into place (an I/O error)
        if str(src).endswith(".tmp.xlsx"):
            raise OSError(5, "simulated I/O error")
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", fail_placing)
    with pytest.raises(OSError, match="simulated I/O error"):
        tco_export.write_workbook(second, path)  # no warning: nothing was kept aside in the end
    monkeypatch.undo()
    assert path.read_bytes() == edited and (tmp_path / RECORD).read_bytes() == record
    assert sorted(os.listdir(tmp_path)) == [RECORD, "tco.xlsx"]  # no kept copy, temporary or backup left


def test_edited_csvs_of_the_set_and_a_stale_one_are_kept(results, tmp_path):
    first, second = results
    from dcplan.tco_uncertainty import tornado
    tr = tornado(INP, BILL, ranges={"revenue_usd_per_gpu_h": (2.0, 6.0)})
    tco_export.write_export(first, tmp_path, stem="s", tornado=tr)
    summary, sens = tmp_path / "s_summary.csv", tmp_path / "s_sensitivity.csv"
    with open(summary, "a", encoding="utf-8") as fh:
        fh.write("my_check,1,,,\n")
    with open(sens, "a", encoding="utf-8") as fh:
        fh.write("# reviewed\n")
    s_edit, t_edit = summary.read_bytes(), sens.read_bytes()
    with pytest.warns(DcplanWarning) as w:
        tco_export.write_export(second, tmp_path, stem="s")  # no tornado: s_sensitivity.csv is stale
    msgs = sorted(str(x.message) for x in w)
    assert len(msgs) == 2
    assert any("s_summary.edited-20260301T101500Z.csv" in m and "the new export is" in m for m in msgs)
    assert any("s_sensitivity.edited-20260301T101500Z.csv" in m and "has no such file" in m for m in msgs)
    assert (tmp_path / "s_summary.edited-20260301T101500Z.csv").read_bytes() == s_edit
    assert (tmp_path / "s_sensitivity.edited-20260301T101500Z.csv").read_bytes() == t_edit
    assert not sens.exists() and summary.read_bytes() != s_edit
    assert "s_sensitivity.csv" not in json.loads((tmp_path / RECORD).read_text())["files"]


def test_bill_csv_keeps_an_edited_file(tmp_path):
    table = pd.DataFrame({"total_usd": [74_450.0]}, index=pd.Index(["2025-01"], name="month"))
    path = write_bill_csv(table, str(tmp_path / "bill.csv"))
    write_bill_csv(table * 2, str(path))  # unchanged: replaced, silently
    assert pd.read_csv(path, encoding="utf-8-sig")["total_usd"].tolist() == [148_900.0]
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("check,ok\n")
    edited = path.read_bytes()
    with pytest.warns(DcplanWarning, match=re.escape(str(tmp_path / "bill.edited-20260301T101500Z.csv"))):
        write_bill_csv(table, str(path))
    assert (tmp_path / "bill.edited-20260301T101500Z.csv").read_bytes() == edited
    assert pd.read_csv(path, encoding="utf-8-sig")["total_usd"].tolist() == [74_450.0]


def test_render_does_not_export_the_record(tmp_path):
    from dcplan.report_trim import _collect_exports
    work, run_dir = tmp_path / "work", tmp_path / "run"
    (work / "outputs").mkdir(parents=True)
    run_dir.mkdir()
    (work / "outputs" / "x.csv").write_text("a\n1\n")
    (work / "outputs" / RECORD).write_text("{}")
    artifacts, _, _ = _collect_exports(work, run_dir)
    assert [a["path"] for a in artifacts] == ["outputs/x.csv"]
    assert sorted(os.listdir(run_dir / "outputs")) == ["x.csv"]
