"""Tests of dcplan.tco_export: the workbook and CSVs round-trip to the model's frames."""
from __future__ import annotations

import os

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dcplan import tco_export
from dcplan.errors import InputError
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_uncertainty import monte_carlo, percentiles, tornado

INP = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0)
BILL = np.linspace(3e5, 4e5, 12)


@pytest.fixture(scope="module")
def run():
    r = run_tco(INP, BILL)
    tr = tornado(INP, BILL, ranges={"revenue_usd_per_gpu_h": (2.0, 6.0)})
    mc = percentiles(monte_carlo(INP, BILL, {"staff_fte_per_mw": ("uniform", 1.0, 3.0)}, n_draws=200),
                     ["npv_usd", "usd_per_gpu_hour"])
    return r, tr, mc


# openpyxl writes numbers with "%.16g" (Excel keeps 15 digits): equal to 16 significant digits
RTOL_XLSX = 1e-15


def test_workbook_round_trips(run, tmp_path):
    r, tr, mc = run
    path = tco_export.write_workbook(r, tmp_path / "tco.xlsx", tornado=tr, mc_percentiles=mc)
    back = tco_export.read_workbook(path)
    assert list(back) == ["About", "Assumptions", "CashFlow", "Monthly", "Summary", "Shares",
                          "Sensitivity", "MonteCarlo"]
    cf = back["CashFlow"]
    assert list(cf.index) == list(r.annual.index)
    assert list(cf.columns[1:]) == [f"year_{y}" for y in r.annual.columns]
    np.testing.assert_allclose(cf.drop(columns="unit").to_numpy(float), r.annual.to_numpy(), rtol=RTOL_XLSX)
    np.testing.assert_allclose(back["Monthly"].to_numpy(float), r.monthly.to_numpy(), rtol=RTOL_XLSX)
    summ = back["Summary"].set_index("key")
    for k, v in r.summary.items():
        if v is None:  # a figure that does not exist is an empty cell
            assert np.isnan(summ.loc[k, "value"]), k
        else:
            assert summ.loc[k, "value"] == pytest.approx(v, rel=RTOL_XLSX), k
    np.testing.assert_allclose(back["Assumptions"]["value"].to_numpy(float),
                               r.assumptions["value"].to_numpy(float), rtol=RTOL_XLSX)
    assert back["Assumptions"]["source"].notna().all() and back["Assumptions"]["unit"].notna().all()
    np.testing.assert_allclose(back["Sensitivity"]["metric_at_high"], tr["metric_at_high"], rtol=RTOL_XLSX)
    np.testing.assert_allclose(back["MonteCarlo"].to_numpy(float), mc.to_numpy(), rtol=RTOL_XLSX)
    # the figures a notebook publishes (results.json records) are the workbook's numbers
    from dcplan.results import publish
    recs = publish({k: (v, r.units[k], k) for k, v in r.summary.items()}, show=False)
    for rec in recs:
        cell = summ.loc[rec["key"], "value"]
        assert (np.isnan(cell) if rec["value"] is None else cell == pytest.approx(rec["value"], rel=RTOL_XLSX))
    # the workbook says cells are values, and indeed has no formulas
    assert "values (no formulas)" in back["About"]["text"].tolist()
    wb = openpyxl.load_workbook(path)
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)
    assert "no formulas" in wb["CashFlow"]["A1"].comment.text


def test_csvs_round_trip_exactly(run, tmp_path):
    r, tr, _ = run
    paths = tco_export.write_csvs(r, tmp_path, stem="site", tornado=tr)
    assert {p.name for p in paths} >= {"site_cashflow.csv", "site_summary.csv", "site_assumptions.csv",
                                      "site_sensitivity.csv", "site_monthly.csv"}
    cf = pd.read_csv(tmp_path / "site_cashflow.csv", index_col="line_item")
    # CSV floats are written as shortest round-trip repr: exact equality
    assert (cf.drop(columns="unit").to_numpy() == r.annual.to_numpy()).all()
    s = pd.read_csv(tmp_path / "site_summary.csv").set_index("key")["value"]
    for k, v in r.summary.items():
        assert (np.isnan(s[k]) if v is None else s[k] == v), k


def test_failed_write_leaves_previous_file_and_no_temp(run, tmp_path, monkeypatch):
    r, _, _ = run
    path = tco_export.write_workbook(r, tmp_path / "tco.xlsx")
    before = path.read_bytes()
    # the first sheet is written, then the second fails (not a DataFrame) mid-workbook
    bad = {"About": pd.DataFrame({"x": [1.0]}), "Broken": "not a frame"}
    monkeypatch.setattr(tco_export, "workbook_frames", lambda *a, **k: bad)
    with pytest.raises(Exception):
        tco_export.write_workbook(r, path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["tco.xlsx"]


def test_bad_export_paths(run, tmp_path):
    r, _, _ = run
    with pytest.raises(InputError, match=r"\.xlsx"):
        tco_export.write_workbook(r, tmp_path / "tco.xls")
    with pytest.raises(InputError, match="does not exist"):
        tco_export.write_workbook(r, tmp_path / "nope" / "tco.xlsx")
