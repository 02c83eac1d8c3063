"""The TCO export's Depreciation sheet (dcplan.tco_depreciation_table), the Provenance CSV twin and the
Assumptions' calendar months as dates (dcplan.tco_export_dates).

A finance reviewer had only the yearly total ``depreciation_usd`` and rebuilt MACRS by hand; given only the
CSVs, no provenance; and ``fleet_start`` read as the number 10 with unit "month of 2026". Expected depreciation
amounts here come from IRS Publication 946 (2024), Appendix A: Table A-1 (GDS half-year convention, 5-year
property: 20, 32, 19.2, 11.52, 11.52, 5.76 %; 15-year: 5.00, 9.50, 8.55, 7.70, 6.93, 6.23, 5.90 ... %) and the
mid-month convention of Table A-7a (39-year nonresidential real property placed in service in month 1 of the
tax year: (12 - 1 + 0.5) / 12 / 39 = 2.457 % the first year, 1 / 39 = 2.564 % after), not from dcplan's code.
"""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dcplan import tco_export
from dcplan.tco import TcoInputs, run_tco

# a hand-built case: 12-month build (default), the fleet from 2026-10 (12 months after the project start, tax
# year 2), 5-year refresh (default: 72 months after, tax year 7), 10-year horizon, 2 MWdc of PV; no battery
INP = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0,
                fleet_start="2026-10-01")
BILL = np.linspace(3e5, 4e5, 12)
# IRS Pub 946 Table A-1, percent of basis per recovery year, as printed
A1_5YR = [20.00, 32.00, 19.20, 11.52, 11.52, 5.76]
A1_15YR = [5.00, 9.50, 8.55, 7.70, 6.93, 6.23, 5.90, 5.90, 5.91]
YEARS = [f"year_{y}" for y in range(1, 11)]
# openpyxl writes numbers with "%.16g": equal to 16 significant digits
RTOL_XLSX = 1e-15


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dep")
    r = run_tco(INP, BILL)
    paths = tco_export.write_export(r, folder, stem="t")
    return r, folder, tco_export.read_workbook(paths[0])


def _sheets(export):
    """The Depreciation sheet as the workbook and as the CSV give it."""
    _, folder, wb = export
    csv = pd.read_csv(folder / "t_depreciation.csv", index_col="tranche", encoding="utf-8-sig")
    return {"xlsx": wb["Depreciation"], "csv": csv}


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_it_purchase_deducts_table_a1_and_its_refresh_writes_off_the_rest(export, kind):
    r, _, _ = export
    d = _sheets(export)[kind]
    a = r.assumptions.set_index("key")["value"]
    # the fleet's IT at year-1 prices: 4,096 accelerators x (server + network + storage), no price change
    basis = 4096 * (a["server_usd_per_accelerator"] + a["network_usd_per_accelerator"]
                    + a["storage_usd_per_accelerator"])
    it1, it2 = d.loc["it_1"], d.loc["it_2"]
    disp, loss = d.loc["it_1_disposal_year_depreciation"], d.loc["it_1_loss_on_disposal"]
    assert it1["basis_usd"] == pytest.approx(basis, rel=1e-12) == it2["basis_usd"]
    assert (it1["placed_in_service"], int(it1["placed_in_service_month"]), int(it1["tax_year_placed"])) \
        == ("2026-10", 12, 2)  # months after the project start, as the Assumptions row
    assert (it2["placed_in_service"], int(it2["tax_year_placed"])) == ("2031-10", 7)  # the refresh, 60 months on
    # Table A-1 from the tax year placed in service (year 2); tolerance: 1e-9 of the basis (float rounding;
    # the 5-year percentages print exactly)
    want1 = np.zeros(10)
    want1[1:6] = np.array(A1_5YR[:5]) / 100 * basis
    np.testing.assert_allclose(it1[YEARS].to_numpy(float), want1, rtol=0, atol=1e-9 * basis)
    # the refresh in year 7 replaces it: the 5.76 % it has left is written off then (rows of its own), all of it
    # the year of disposition's depreciation: year 7 is its 6th, last recovery year, whose Table A-1 amount is
    # already the half year (Pub 946 ch. 4); no loss on disposal
    want_off = np.zeros(10)
    want_off[6] = A1_5YR[5] / 100 * basis
    np.testing.assert_allclose(disp[YEARS].to_numpy(float), want_off, rtol=0, atol=1e-9 * basis)
    np.testing.assert_allclose(loss[YEARS].to_numpy(float), np.zeros(10), rtol=0, atol=1e-9 * basis)
    for off in (disp, loss):
        assert "refresh" in off["method"] and np.isnan(off["basis_usd"]) and int(off["disposed_month"]) == 72
    # the refresh's own schedule from year 7, cut at the horizon: 20 + 32 + 19.2 %, and in year 10, the year of
    # the horizon's sale, half of 11.52 % (half-year convention in the year of disposition, Pub 946 ch. 4):
    # 5.76 %, so 5.76 + 11.52 + 5.76 = 23.04 % left
    want2 = np.zeros(10)
    want2[6:] = np.array(A1_5YR[:4]) / 100 * basis
    want2[9] *= 0.5
    np.testing.assert_allclose(it2[YEARS].to_numpy(float), want2, rtol=0, atol=1e-9 * basis)
    assert it2["basis_left_usd"] == pytest.approx((5.76 + 11.52 + 5.76) / 100 * basis, rel=1e-9)
    assert "the horizon's sale" in it2["convention"] and "50 %" in it2["convention"]
    assert it1["basis_left_usd"] == pytest.approx(0.0, abs=1e-6)
    assert "MACRS GDS 5-yr, 200 % declining balance" in it1["method"] and "half-year" in it1["convention"]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_shell_takes_the_mid_month_fraction_and_the_plant_table_a1(export, kind):
    d = _sheets(export)[kind]
    shell, elec, pv = d.loc["facility_shell_1"], d.loc["facility_electrical_1"], d.loc["pv_1"]
    assert shell["placed_in_service_month"] == export[0].assumptions.set_index("key").at["placed_in_service_month",
                                                                                         "value"] == 12
    # placed in service at the end of the build, month 13 = month 1 of tax year 2 (Table A-7a, month 1)
    b = shell["basis_usd"]
    want = np.zeros(10)
    want[1] = (12 - 1 + 0.5) / 12 / 39 * b
    want[2:] = b / 39
    want[9] *= 11.5 / 12   # the horizon's sale in month 12 of year 10: to the middle of that month (Pub 946 ch. 4)
    np.testing.assert_allclose(shell[YEARS].to_numpy(float), want, rtol=1e-12, atol=0)
    assert "mid-month: placed in service in month 1" in shell["convention"]
    # 15-year plant: Table A-1 as printed, to its rounding: 0.006 % of basis (the straight-line years are 5.905 %,
    # printed 5.90 and 5.91 in turn so the column sums to 100 %: 0.0051 % off at most)
    # year 10, the horizon's sale: half its 5.91 % (half-year convention in the year of disposition)
    b = elec["basis_usd"]
    want = np.array(A1_15YR) / 100 * b
    want[-1] *= 0.5
    np.testing.assert_allclose(elec[YEARS].to_numpy(float)[1:], want, rtol=0, atol=6e-5 * b)
    # the PV: 5-year, all six years within the horizon (no refresh)
    b = pv["basis_usd"]
    np.testing.assert_allclose(pv[YEARS].to_numpy(float)[1:7], np.array(A1_5YR) / 100 * b, rtol=0, atol=1e-9 * b)
    assert pv["basis_left_usd"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_the_totals_tie_to_the_cashflow_and_the_monthly_sheet(export, kind):
    r, folder, wb = export
    d = _sheets(export)[kind]
    cash = wb["CashFlow"] if kind == "xlsx" else pd.read_csv(folder / "t_cashflow.csv", index_col="line_item",
                                                              encoding="utf-8-sig")
    dep = cash.loc["depreciation_usd", YEARS].to_numpy(float) + cash.loc["loss_on_disposal_usd", YEARS].to_numpy(float)
    total = d.loc["total"]
    # the total row is the exported depreciation + loss on disposal columns: exactly (CSV; the loss is 0 here, the
    # 5-yr refresh falls in its purchase's last recovery year), to openpyxl's 16 digits (workbook)
    if kind == "csv":
        assert total[YEARS].to_numpy(float).tolist() == dep.tolist()
    else:
        np.testing.assert_allclose(total[YEARS].to_numpy(float), dep, rtol=RTOL_XLSX, atol=0)
    # and the purchases' rows sum to it to the cent (a reviewer's SUM down each column)
    rows = d.drop(index=["note", "total"])
    np.testing.assert_allclose(rows[YEARS].to_numpy(float).sum(axis=0), dep, rtol=0, atol=0.005)
    # the Monthly sheet spreads each tax year's depreciation 1/12 a month: 12 months sum to the year
    monthly = sum(wb["Monthly"][f"{k}_tax_year_even_spread"].to_numpy(float)
                  for k in ("depreciation_usd", "loss_on_disposal_usd"))
    np.testing.assert_allclose(monthly.reshape(10, 12).sum(axis=1), total[YEARS].to_numpy(float), rtol=0, atol=0.005)
    # the bases are the capex over the horizon (nothing left out), what they have left the residual tax basis
    capex = cash.loc["total_capex_usd", YEARS].to_numpy(float).sum()
    assert rows["basis_usd"].sum() == pytest.approx(capex, abs=0.005) == total["basis_usd"]
    left = cash.loc["residual_tax_basis_usd", "year_10"]
    assert rows["basis_left_usd"].sum() == pytest.approx(left, abs=0.005)
    assert total["basis_left_usd"] == pytest.approx(left, abs=0.005)
    note = d.loc["note", "asset_class"]
    assert "total_capex_usd" in note and "residual_tax_basis_usd" in note


def test_a_mid_schedule_refresh_puts_its_loss_on_disposal_in_a_cashflow_line_of_its_own(tmp_path):
    # A finance reviewer reconciles the CashFlow with the Depreciation sheet: depreciation_usd is depreciation
    # only, loss_on_disposal_usd the loss, and the two sum to the old depreciation_usd. Hand case: 10 GPUs x 1,000
    # USD of IT bought at months 0, 12, 24 (1-yr cycle, 3-yr horizon), MACRS 5-yr half-year (Table A-1: 20, 32 %),
    # 25 % tax. Year 1: 2,000. Years 2 and 3: the fleet replaced has 8,000 left, written off at its refresh in its
    # 2nd recovery year: 50 % x 32 % = 1,600 of the year of disposition's depreciation (Pub 946 ch. 4), 6,400 lost
    # (IRC 165, Form 4797); year 2 adds the new fleet's 2,000; the fleet of year 3 deducts nothing (placed in
    # service and sold in one tax year). Old depreciation_usd: 2,000, 10,000, 8,000; taxable income -2,000,
    # -10,000, -18,000 (the horizon's sale: a 10,000 loss). abs 1e-6 USD (sums of a few floats; the CSV holds
    # 17 digits).
    from test_tco import bare_costs
    inp = TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=3,
                    costs=bare_costs(server_usd_per_accelerator=1000.0, it_refresh_years=1.0, tax_rate_frac=0.25))
    tco_export.write_export(run_tco(inp, 0.0), tmp_path, stem="r")
    read = (lambda sheet, index: pd.read_csv(tmp_path / f"r_{sheet}.csv", index_col=index, encoding="utf-8-sig"))
    cash, dep_sheet, monthly = read("cashflow", "line_item"), read("depreciation", "tranche"), read("monthly", "month")
    yrs = ["year_1", "year_2", "year_3"]
    dep, loss = (cash.loc[k, yrs].to_numpy(float) for k in ("depreciation_usd", "loss_on_disposal_usd"))
    np.testing.assert_allclose(dep, [2_000.0, 3_600.0, 1_600.0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(loss, [0.0, 6_400.0, 6_400.0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(dep + loss, [2_000.0, 10_000.0, 8_000.0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(cash.loc["taxable_income_usd", yrs].to_numpy(float), [-2_000.0, -10_000.0, -18_000.0],
                               rtol=0, atol=1e-6)
    np.testing.assert_allclose(cash.loc["income_tax_usd", yrs].to_numpy(float), [-500.0, -2_500.0, -4_500.0],
                               rtol=0, atol=1e-6)
    # the Depreciation sheet's rows reconcile year by year: its _loss_on_disposal rows with loss_on_disposal_usd,
    # the other purchases' rows with depreciation_usd, its total row with their sum
    rows = dep_sheet.drop(index=["note", "total"])
    lost = rows.index.str.endswith("_loss_on_disposal")
    np.testing.assert_allclose(rows.loc[lost, yrs].to_numpy(float).sum(axis=0), loss, rtol=0, atol=1e-6)
    np.testing.assert_allclose(rows.loc[~lost, yrs].to_numpy(float).sum(axis=0), dep, rtol=0, atol=1e-6)
    np.testing.assert_allclose(dep_sheet.loc["total", yrs].to_numpy(float), dep + loss, rtol=0, atol=1e-6)
    # the Monthly sheet: each tax year's loss 1/12 a month, as depreciation's
    spread = monthly["loss_on_disposal_usd_tax_year_even_spread"].to_numpy(float)
    np.testing.assert_allclose(spread, np.repeat([0.0, 6_400.0 / 12, 6_400.0 / 12], 12), rtol=0, atol=1e-6)


def test_the_workbook_holds_placed_in_service_as_a_date_and_names_the_sheet(export):
    _, folder, _ = export
    wb = openpyxl.load_workbook(folder / "t.xlsx")
    ws = wb["Depreciation"]
    head = [c.value for c in ws[1]]
    cell = ws.cell(row=[r[0].value for r in ws.iter_rows()].index("it_2") + 1,
                   column=head.index("placed_in_service") + 1)
    assert (cell.value, cell.number_format) == (dt.datetime(2031, 10, 1), "yyyy-mm")
    assert all(c.font.b for c in ws[ws.max_row]) and ws.cell(row=ws.max_row, column=1).value == "total"
    about = pd.read_csv(folder / "t_about.csv", encoding="utf-8-sig").set_index("item")["text"]
    assert "; Depreciation: the tax depreciation by asset class" in about["sheets"]


def test_bonus_depreciation_and_an_undated_case():
    # 40 % bonus (IRC 168(k)): year placed in service 40 % + 60 % x 20 % = 52 %, then 60 % x 32 % = 19.2 %;
    # the 39-yr shell takes none. Undated: no calendar month to name.
    r = run_tco(TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0,
                          bonus_depreciation_frac=0.4), BILL)
    d = tco_export.workbook_frames(r)["Depreciation"]
    it1 = d.loc["it_1"]
    assert it1["year_2"] == pytest.approx(0.52 * it1["basis_usd"], rel=1e-12)
    assert it1["year_3"] == pytest.approx(0.192 * it1["basis_usd"], rel=1e-12)
    assert "40 % bonus depreciation" in it1["method"] and it1["bonus_frac"] == 0.4
    assert d.loc["facility_shell_1", "bonus_frac"] == 0.0
    assert d.loc["it_1", "placed_in_service"] == "" and int(d.loc["it_1", "placed_in_service_month"]) == 12
    np.testing.assert_allclose(d.drop(index=["note", "total"])[YEARS].sum().to_numpy(float),
                               r.annual.loc["depreciation_usd"].to_numpy(), rtol=0, atol=0.005)


def test_the_assumptions_calendar_months_are_dates_and_read_back_as_before(export):
    r, folder, back = export
    wb = openpyxl.load_workbook(folder / "t.xlsx")
    rows = {row[0].value: row for row in wb["Assumptions"].iter_rows(min_row=2)}
    # fleet_start 2026-10; the project start 12 months (the build) before it
    for key, when in (("fleet_start", dt.datetime(2026, 10, 1)), ("calendar_start_month", dt.datetime(2025, 10, 1))):
        cell = rows[key][1]
        assert (cell.value, cell.number_format, rows[key][2].value) == (when, "yyyy-mm", "YYYY-MM")
    csv = pd.read_csv(folder / "t_assumptions.csv", encoding="utf-8-sig", dtype=str).set_index("key")
    assert csv.loc["fleet_start", ["value", "unit"]].tolist() == ["2026-10", "YYYY-MM"]
    assert csv.loc["calendar_start_month", "value"] == "2025-10"
    assert csv.loc["horizon_years", "value"] == "10.0"  # the other rows' numbers as before
    # read_workbook gives TcoResult.assumptions back: the month's number with "month of <year>"
    a = back["Assumptions"]
    assert a["value"].dtype == float
    pd.testing.assert_frame_equal(a[["key", "value", "unit"]], r.assumptions[["key", "value", "unit"]],
                                  check_dtype=False, rtol=RTOL_XLSX)
    assert a.set_index("key").loc["fleet_start", "unit"] == "month of 2026"
    # an undated case has no year to name: its rows stay numbers
    und = run_tco(TcoInputs(n_accelerators=64, it_capacity_kw=100.0, it_energy_kwh=8e5), BILL)
    frame = tco_export.workbook_frames(und)["Assumptions"].set_index("key")
    assert frame.loc["calendar_start_month", ["value", "unit"]].tolist() == [1.0, "month of year"]
    assert np.isnan(frame.loc["fleet_start", "value"])


def test_the_provenance_sheet_has_its_csv_twin(tmp_path, monkeypatch):
    """In a dcplan render run the workbook's last sheet is the run's record; someone given only the CSVs had
    none: it is <stem>_provenance.csv, the same rows, and an export outside render removes an earlier one."""
    from dcplan.report_provenance import PROVENANCE_ENV, run_record, write_record
    prov = {"dcplan_version": "9.9", "dcplan_source_sha256": "ab" * 32, "inputs": {"site": "/x/site.yaml"},
            "inputs_sha256": {"site": "cd" * 32}}
    rec = write_record(run_record(prov, {"site_id": "x"}, "2026-12-01T00:00:00+00:00", cwd="/x"),
                       tmp_path / "rec.json")
    monkeypatch.setenv(PROVENANCE_ENV, str(rec))
    out = tmp_path / "out"
    out.mkdir()
    r = run_tco(INP, BILL)
    paths = tco_export.write_export(r, out, stem="t")
    assert out / "t_provenance.csv" in paths
    csv = pd.read_csv(out / "t_provenance.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    wb = openpyxl.load_workbook(paths[0])
    assert wb.sheetnames[-1] == "Provenance"
    sheet = [tuple("" if v is None else v for v in row) for row in wb["Provenance"].iter_rows(values_only=True)]
    assert [tuple(csv.columns)] + [tuple(x) for x in csv.itertuples(index=False)] == sheet
    assert ("input", "site", "site.yaml", "cd" * 32) in sheet[1:]  # under the working folder: relative
    about = tco_export.read_workbook(paths[0])["About"].set_index("item")["text"]["sheets"]
    assert "Each sheet is also a CSV file" in about and "Provenance: " in about
    # the same export outside render: no record, no sheet, and the earlier render's CSV is gone
    monkeypatch.delenv(PROVENANCE_ENV)
    paths = tco_export.write_export(r, out, stem="t")
    assert not (out / "t_provenance.csv").exists()
    assert "Provenance" not in openpyxl.load_workbook(paths[0]).sheetnames
    json.loads(rec.read_text())  # the record itself is left alone
