"""Tests of dcplan.tco_export: the workbook and CSVs round-trip to the model's frames."""
from __future__ import annotations

import errno
import os
import re
import tempfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dcplan import tco_export
from dcplan.errors import InputError
from dcplan.export_record import RECORD
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
    assert list(back) == ["About", "Assumptions", "CashFlow", "Monthly", "Depreciation", "Summary", "Shares",
                          "Sensitivity", "MonteCarlo"]
    cf = back["CashFlow"].drop(index="note")  # the first row: NPV and IRR are the monthly flows' (a text row)
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
    cf = pd.read_csv(tmp_path / "site_cashflow.csv", index_col="line_item").drop(index="note")
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
    assert sorted(os.listdir(tmp_path)) == [RECORD, "tco.xlsx"]  # the first export's record: as it was


def test_bad_export_paths(run, tmp_path):
    r, _, _ = run
    with pytest.raises(InputError, match=r"\.xlsx"):
        tco_export.write_workbook(r, tmp_path / "tco.xls")
    with pytest.raises(InputError, match="does not exist"):
        tco_export.write_workbook(r, tmp_path / "nope" / "tco.xlsx")


def test_exported_cash_flows_reconcile_to_npv_irr_payback(run, tmp_path):
    # recompute the Summary from the exported CSVs alone, independently of dcplan (numpy and
    # scipy's brentq, not dcplan.finance): the stated convention is monthly, end of month,
    # month m of the Monthly sheet discounted by (1 + r)^(-m/12), nothing at t = 0
    from scipy.optimize import brentq
    r, _, _ = run
    tco_export.write_csvs(r, tmp_path)
    mo = pd.read_csv(tmp_path / "tco_monthly.csv", index_col="month")
    s = pd.read_csv(tmp_path / "tco_summary.csv").set_index("key")["value"]
    rate = s["discount_rate_frac"]
    m = mo.index.to_numpy(dtype=float)
    assert (m == np.arange(1, 121)).all()
    net = mo["net_cash_flow_usd"].to_numpy()

    def npv(annual_rate):
        return float(np.sum(net * (1.0 + annual_rate) ** (-m / 12.0)))

    # same sum, different summation order: 1e-12 relative
    assert s["npv_usd"] == pytest.approx(npv(rate), rel=1e-12)
    # IRR: the annual effective rate where that NPV is 0. The monthly flows change sign more
    # than once (IT refreshes): bracket the root nearest the discount rate by hand, 0 to 100 %
    # (NPV(0) > 0 > NPV(1) checked), xtol 1e-12 as dcplan's; abs 1e-9 covers both solvers
    assert npv(0.0) > 0 > npv(1.0)
    irr = brentq(npv, 0.0, 1.0, xtol=1e-12)
    assert s["irr_frac"] == pytest.approx(irr, abs=1e-9)
    # the same IRR as a monthly rate, annualized: (1 + monthly IRR)^12 - 1
    irr_m = brentq(lambda x: float(np.sum(net * (1.0 + x) ** -m)), 0.0, 0.1, xtol=1e-14)
    assert s["irr_frac"] == pytest.approx((1 + irr_m) ** 12 - 1, abs=1e-9)
    # levelized $/GPU-h: PV cost / PV GPU-hours, both monthly
    d = (1.0 + rate) ** (-m / 12.0)
    lev = np.sum(mo["total_cost_usd"].to_numpy() * d) / np.sum(mo["gpu_hours"].to_numpy() * d)
    assert s["usd_per_gpu_hour"] == pytest.approx(lev, rel=1e-12)
    # payback by hand from the cumulative monthly flows: last month still negative + fraction
    cum = np.cumsum(net)
    k = int(np.nonzero(cum < 0)[0][-1]) + 1  # 1-based month whose end is still negative
    assert s["payback_years"] == pytest.approx((k + (-cum[k - 1]) / net[k]) / 12, rel=1e-12)
    dcum = np.cumsum(net * d)
    k = int(np.nonzero(dcum < 0)[0][-1]) + 1
    assert s["discounted_payback_years"] == pytest.approx((k + (-dcum[k - 1]) / (net[k] * d[k])) / 12,
                                                          rel=1e-12)
    # sign convention of the About sheet: net = revenue + residual - capex - opex - tax
    cf = pd.read_csv(tmp_path / "tco_cashflow.csv", index_col="line_item").drop(columns="unit")
    recon = (cf.loc["revenue_usd"] + cf.loc["residual_value_usd"] - cf.loc["total_capex_usd"]
             - cf.loc["total_opex_usd"] - cf.loc["income_tax_usd"])
    np.testing.assert_allclose(recon, cf.loc["net_cash_flow_usd"], rtol=1e-12, atol=1e-6)
    # the monthly sheet sums to the annual one (float sums of 12 terms: 1e-9 relative); its tax lines are named
    # as what they are, the tax year's figure spread evenly (<line>_tax_year_even_spread: the About row monthly)
    by_year = mo.groupby((mo.index - 1) // 12 + 1).sum().T.rename(lambda c: c.removesuffix("_tax_year_even_spread"))
    np.testing.assert_allclose(by_year.to_numpy(), cf.loc[by_year.index].to_numpy(), rtol=1e-9, atol=1e-6)


def test_summary_has_reader_labels_and_notes_and_about_states_conventions(run, tmp_path):
    from dcplan.tco import SUMMARY_LABELS
    r, _, mc = run
    path = tco_export.write_workbook(r, tmp_path / "tco.xlsx", mc_percentiles=mc)
    back = tco_export.read_workbook(path)
    summ = back["Summary"].set_index("key")
    # "payback_years" alone does not say from when: the label says "from project start"
    for k in r.summary:
        assert summ.loc[k, "label"].startswith(SUMMARY_LABELS[k].rstrip(")")), k
    about = back["About"].set_index("item")["text"]
    assert "p10" in about["montecarlo"] and "not the 'P90" in about["montecarlo"]
    assert "income_tax_usd > 0 is tax paid" in about["signs"]
    assert "(1 + discount_rate_frac)^(m/12)" in about["discounting"] and "end of month" in about["discounting"]
    assert "monthly discounting, end of month" in about["note"] and "end-of-year" not in about["note"]
    # a figure that does not exist is an empty cell with a note saying why
    never = run_tco(INP.with_costs(revenue_usd_per_gpu_h=0.0), BILL)
    assert never.summary["payback_years"] is None
    summ = tco_export.workbook_frames(never)["Summary"].set_index("key")
    assert summ.loc["payback_years", "note"] == "not paid back within the horizon"


def test_failed_csv_set_leaves_the_previous_set_whole(run, tmp_path, monkeypatch):
    r, tr, mc = run
    tco_export.write_csvs(r, tmp_path, tornado=tr, mc_percentiles=mc)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    other = run_tco(INP.with_costs(staff_fte_per_mw=3.0), BILL)
    calls = {"n": 0}
    real = pd.DataFrame.to_csv

    def flaky(self, *a, **k):  # the 4th CSV of the set fails (disk full, killed, ...)
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError("disk full")
        return real(self, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_csv", flaky)
    with pytest.raises(OSError, match="disk full"):
        tco_export.write_csvs(other, tmp_path, tornado=tr, mc_percentiles=mc)
    # not one file of the new run replaced an old one: the set still reconciles
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_csv_set_drops_optional_sheets_of_an_earlier_export(run, tmp_path):
    r, tr, mc = run
    tco_export.write_csvs(r, tmp_path, tornado=tr, mc_percentiles=mc)
    assert (tmp_path / "tco_sensitivity.csv").exists() and (tmp_path / "tco_montecarlo.csv").exists()
    tco_export.write_csvs(r, tmp_path)  # a run without tornado and Monte Carlo
    assert sorted(p.name for p in tmp_path.iterdir()) == [RECORD,
        "tco_about.csv", "tco_assumptions.csv", "tco_cashflow.csv", "tco_depreciation.csv", "tco_monthly.csv",
        "tco_shares.csv", "tco_summary.csv"]


def test_export_is_flushed_to_disk_before_it_replaces_the_old_file(run, tmp_path, monkeypatch):
    # os.replace of an unflushed file can leave an empty file after a crash (ext4 delayed
    # allocation), destroying the previous good export: fsync must come first
    r, _, _ = run
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")
                                                                  if os.path.exists("/proc/self/fd") else "")),
                                                 real_fsync(fd)))
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", str(a))), real_replace(a, b)))
    tco_export.write_workbook(r, tmp_path / "tco.xlsx")
    kinds = [e[0] for e in events]
    assert "replace" in kinds and "fsync" in kinds[:kinds.index("replace")]
    tmp = events[kinds.index("replace")][1]
    if os.path.exists("/proc/self/fd"):
        assert ("fsync", tmp) in events[:kinds.index("replace")]


def test_undefined_unit_costs_are_empty_cells_as_in_results_json(tmp_path):
    # utilization 0: no GPU-hours, tokens or (it_energy 0) IT energy -> the unit costs do not
    # exist (run_tco: None); results.json publishes null, the workbook an empty cell with a note
    inp = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=0.0, utilization_frac=0.0)
    r = run_tco(inp, BILL)
    assert r.summary["usd_per_gpu_hour"] is None
    path = tco_export.write_workbook(r, tmp_path / "tco.xlsx")
    ws = openpyxl.load_workbook(path)["Summary"]
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    for k in ("usd_per_gpu_hour", "usd_per_mwh_it", "usd_per_million_tokens"):
        assert rows[k][2].value is None, k                # empty cell, not the text "inf"
        assert rows[k][4].value.startswith("undefined"), k
    from dcplan.results import publish
    recs = {rec["key"]: rec["value"] for rec in publish({k: (v, r.units[k], k) for k, v in r.summary.items()},
                                                         show=False)}
    assert recs["usd_per_gpu_hour"] is None
    tco_export.write_csvs(r, tmp_path)
    s = pd.read_csv(tmp_path / "tco_summary.csv").set_index("key")["value"]
    assert np.isnan(s["usd_per_gpu_hour"])


def test_monte_carlo_sheet_says_how_to_reproduce_it(run, tmp_path):
    # draws, seed and distributions travel from monte_carlo via percentiles into About
    r, _, _ = run
    d = {"staff_fte_per_mw": ("uniform", 1.0, 3.0)}
    mc = percentiles(monte_carlo(INP, BILL, d, n_draws=50, seed=9), ["npv_usd"])
    tco_export.write_csvs(r, tmp_path, mc_percentiles=mc)
    about = pd.read_csv(tmp_path / "tco_about.csv").set_index("item")["text"]
    assert about["montecarlo_n_draws"] == "50" and about["montecarlo_seed"] == "9"
    assert about["montecarlo_distributions"] == "staff_fte_per_mw: ('uniform', 1.0, 3.0)"
    # how the draws derive from the seed: one stream per input, keyed by its name
    assert "one independent random stream per input" in about["montecarlo_streams"]
    assert "SeedSequence(seed, spawn_key=" in about["montecarlo_streams"]
    # and re-running with them reproduces the sheet exactly
    again = percentiles(monte_carlo(INP, BILL, d, n_draws=50, seed=9), ["npv_usd"])
    back = pd.read_csv(tmp_path / "tco_montecarlo.csv", index_col="statistic")
    assert (back.to_numpy() == again.to_numpy()).all()


def test_monte_carlo_from_a_generator_records_the_integer_that_repeats_it(run, tmp_path):
    # a caller's Generator: About gives the integer drawn from it, and seed=that integer repeats the sheet
    r, _, _ = run
    d = {"staff_fte_per_mw": ("uniform", 1.0, 3.0)}
    mc = percentiles(monte_carlo(INP, BILL, d, n_draws=50, seed=np.random.default_rng(3)), ["npv_usd"])
    tco_export.write_csvs(r, tmp_path, mc_percentiles=mc)
    about = pd.read_csv(tmp_path / "tco_about.csv").set_index("item")["text"]
    root = mc.attrs["monte_carlo"]["seed"]
    assert about["montecarlo_seed"].startswith(f"{root} (drawn from the caller's numpy Generator; pass seed={root}")
    again = percentiles(monte_carlo(INP, BILL, d, n_draws=50, seed=root), ["npv_usd"])
    back = pd.read_csv(tmp_path / "tco_montecarlo.csv", index_col="statistic")
    assert (back.to_numpy() == again.to_numpy()).all()


# ---------------------------------------------------------------------------
# numbers that do not exist are empty cells in every sheet; the Sensitivity sheet names its metric

def _number_columns_hold_no_text(ws, first_number_col: int, skip_cols=()) -> None:
    for row in ws.iter_rows(min_row=2):
        for c in row[first_number_col - 1:]:
            if c.column in skip_cols:
                continue
            assert not isinstance(c.value, str), (ws.title, c.coordinate, c.value)


def test_sensitivity_and_montecarlo_write_no_inf_text(tmp_path):
    """Utilization 0 leaves no GPU-hours to divide by: the tornado's metric_at_low and the Monte
    Carlo's $/GPU-h are inf. Before the fix the sheets held the text "inf" in number columns,
    and the Monte Carlo mean said inf while its percentiles were NaN. Now: empty cells, a note,
    and the count of non-finite draws (read back with openpyxl, as Excel would)."""
    r = run_tco(INP, BILL)
    tr = tornado(INP, BILL, ranges={"utilization_frac": (0.0, 0.9)}, metric="usd_per_gpu_hour")
    assert np.isinf(tr.loc[0, "metric_at_low"])  # the model's array keeps inf (tco.metrics docstring)
    mc = percentiles(monte_carlo(INP, BILL, {"utilization_frac": ("fixed", 0.0)}, n_draws=5, seed=1),
                     ["npv_usd", "usd_per_gpu_hour"])
    assert mc["usd_per_gpu_hour"].drop("n_nonfinite").isna().all()  # mean too, as the percentiles
    assert mc.loc["n_nonfinite", "usd_per_gpu_hour"] == 5 and mc.loc["n_nonfinite", "npv_usd"] == 0
    path = tco_export.write_workbook(r, tmp_path / "tco.xlsx", tornado=tr, mc_percentiles=mc)
    wb = openpyxl.load_workbook(path)
    ws = wb["Sensitivity"]
    head = [c.value for c in ws[1]]
    row = dict(zip(head, [c.value for c in ws[2]]))
    assert row["input"] == "utilization_frac"
    assert row["metric_at_low"] is None and row["swing"] is None          # empty, not "inf"
    assert row["metric_at_high"] == pytest.approx(tr.loc[0, "metric_at_high"], rel=RTOL_XLSX)
    assert row["note"].startswith("undefined") and "metric_at_low" in row["note"]
    # (range_source and range_status: where the input's range comes from, text)
    text_cols = {head.index(h) + 1 for h in ("input", "unit", "metric", "metric_unit", "note", "range_source",
                                             "range_status")}
    _number_columns_hold_no_text(ws, 1, skip_cols=text_cols)
    ws = wb["MonteCarlo"]
    _number_columns_hold_no_text(ws, 2)
    cols = [c.value for c in ws[1]]
    j = cols.index("usd_per_gpu_hour")
    stats = {row[0].value: row[j].value for row in ws.iter_rows(min_row=2)}
    assert all(stats[k] is None for k in ("p5", "p50", "p95", "mean")) and stats["n_nonfinite"] == 5
    assert "no finite draws" in ws.cell(row=1, column=j + 1).comment.text
    about = {row[0].value: row[1].value for row in wb["About"].iter_rows(min_row=2)}
    assert "usd_per_gpu_hour: 5 of 5 draws not finite" in about["montecarlo_nonfinite"]
    # the CSVs: empty fields, never the text inf
    tco_export.write_csvs(r, tmp_path, tornado=tr, mc_percentiles=mc)
    for name in ("sensitivity", "montecarlo"):
        assert "inf" not in (tmp_path / f"tco_{name}.csv").read_text().lower()
    back = pd.read_csv(tmp_path / "tco_montecarlo.csv", index_col="statistic")
    assert back["usd_per_gpu_hour"].drop("n_nonfinite").isna().all()


def test_sensitivity_says_which_metric_and_unit(run, tmp_path):
    r, _, _ = run
    for metric, unit in (("npv_usd", "USD"), ("usd_per_gpu_hour", "USD/GPU-h")):
        tr = tornado(INP, BILL, ranges={"staff_fte_per_mw": (1.0, 3.0)}, metric=metric)
        assert (tr["metric"] == metric).all() and (tr["metric_unit"] == unit).all()
        paths = tco_export.write_export(r, tmp_path, tornado=tr)
        back = tco_export.read_workbook(paths[0])
        assert (back["Sensitivity"]["metric"] == metric).all() and (back["Sensitivity"]["metric_unit"] == unit).all()
        about = back["About"].set_index("item")["text"]
        assert about["sensitivity"].startswith(f"Sensitivity: metric {metric} [{unit}], ")
        csv = pd.read_csv(tmp_path / "tco_sensitivity.csv")
        assert (csv["metric"] == metric).all() and (csv["metric_unit"] == unit).all()


def test_write_export_gives_workbook_and_csvs_one_title(run, tmp_path):
    """The notebook passed title= to write_workbook but not to write_csvs: the CSV About said
    'TCO', the workbook 'Phoenix, AZ, scenario base'. write_export writes both from one set of
    frames, and the notebook calls it."""
    r, tr, mc = run
    paths = tco_export.write_export(r, tmp_path, stem="s", tornado=tr, mc_percentiles=mc,
                                    title="Phoenix, AZ, scenario base")
    assert paths[0].name == "s.xlsx" and {p.name for p in paths[1:]} >= {"s_about.csv", "s_cashflow.csv"}
    xlsx = tco_export.read_workbook(paths[0])["About"].set_index("item")["text"]
    csv = pd.read_csv(tmp_path / "s_about.csv").set_index("item")["text"]
    assert xlsx["title"] == csv["title"] == "Phoenix, AZ, scenario base"
    pd.testing.assert_series_equal(xlsx, csv)
    from test_tco_notebook import _tco_code
    src = _tco_code()
    assert "tco_export.write_export(" in src and "write_csvs(" not in src and "write_workbook(" not in src


# ---------------------------------------------------------------------------
# an export is one transaction: a failure part-way leaves the previous workbook and CSVs whole

def _names_no_temporary(message: str) -> bool:
    """True if ``message`` holds no name of a temporary or backup file (``tempfile.mkstemp``
    puts 8 characters from [a-z0-9_] before the suffix); a pattern such as
    ``<8 characters>.tmp.csv`` is fine."""
    return not re.search(r"\.[a-z0-9_]{8}\.(tmp|bak)", message)


def _snapshot(folder) -> dict[str, bytes | None]:
    """Every entry under ``folder``, hidden ones included: file bytes, or None for a folder."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), folder)] = None
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                out[os.path.relpath(os.path.join(root, f), folder)] = fh.read()
    return out


@pytest.fixture(scope="module")
def other():
    """A second run whose every sheet differs from ``run``'s (so a replaced file shows)."""
    return run_tco(INP.with_costs(staff_fte_per_mw=3.0, revenue_usd_per_gpu_h=2.5), BILL)


def _fail_on_call(monkeypatch, n: int, exc: OSError) -> dict:
    """Make the ``n``-th ``os.replace`` raise ``exc`` (once); the others run normally."""
    calls = {"n": 0}
    real = os.replace

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == n:
            raise exc
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


# Previous export: workbook + 9 CSVs (with Sensitivity and MonteCarlo). New export: workbook +
# 7 CSVs, so the 2 optional CSVs are stale. The transaction renames the 10 previous files aside
# (calls 1-10: workbook, 7 CSVs, 2 stale) then the 8 new files into place (calls 11-18). The old
# code replaced the workbook (call 1), then the CSVs one by one (calls 2-8), then deleted the
# stale ones: a failure at call 2-8 left a mixed set, and it never made a 10th call.
@pytest.mark.parametrize("n", [2, 5, 10, 11, 18], ids=lambda n: f"replace{n}")
def test_export_rename_failure_part_way_leaves_previous_set_byte_identical(run, other, tmp_path,
                                                                           monkeypatch, n):
    r, tr, mc = run
    tco_export.write_export(r, tmp_path, stem="s", tornado=tr, mc_percentiles=mc)
    before = _snapshot(tmp_path)
    assert len(before) == 11  # and the record of what dcplan wrote (dcplan.export_record), unchanged below
    calls = _fail_on_call(monkeypatch, n, OSError(errno.EIO, "simulated I/O error"))
    with pytest.raises(OSError, match="simulated I/O error"):
        tco_export.write_export(other, tmp_path, stem="s")
    assert calls["n"] >= n
    # the previous workbook and CSVs, byte for byte; no temporary or backup file left
    assert _snapshot(tmp_path) == before
    # and the folder is not wedged: the same export then goes through, stale CSVs removed
    monkeypatch.undo()
    paths = tco_export.write_export(other, tmp_path, stem="s")
    assert sorted(os.listdir(tmp_path)) == sorted([RECORD, *(p.name for p in paths)])
    assert tco_export.read_workbook(paths[0])["Summary"].set_index("key").loc["npv_usd", "value"] \
        == pytest.approx(other.summary["npv_usd"], rel=RTOL_XLSX)


def test_write_csvs_rename_failure_part_way_leaves_previous_set_byte_identical(run, other, tmp_path,
                                                                               monkeypatch):
    # 8 CSVs before and after: calls 1-8 move the previous ones aside, 9-16 place the new
    # ones; call 12 fails with 3 new CSVs already in place (the old code: never a 12th call)
    r, tr, _ = run
    tco_export.write_csvs(r, tmp_path, tornado=tr)
    before = _snapshot(tmp_path)
    _fail_on_call(monkeypatch, 12, OSError(errno.EIO, "simulated I/O error"))
    with pytest.raises(OSError, match="simulated I/O error"):
        tco_export.write_csvs(other, tmp_path, tornado=tr)
    assert _snapshot(tmp_path) == before


def test_a_previous_file_that_cannot_be_put_back_is_reported_with_where_it_is(run, other, tmp_path,
                                                                             monkeypatch):
    # previous set: workbook + 7 CSVs, moved aside by calls 1-8; call 9 (the new workbook into
    # place) fails, then the roll-back puts the backups back, the last one first: call 10 (the
    # previous s_shares.csv) fails too. The error says so and where that file is kept.
    from dcplan.errors import DcplanError
    r, _, _ = run
    tco_export.write_export(r, tmp_path, stem="s")
    before = _snapshot(tmp_path)
    calls = {"n": 0}
    real = os.replace

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] in (9, 10):
            raise OSError(errno.EIO, "simulated I/O error")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(DcplanError, match=r"simulated I/O error.*'.*s_shares\.csv' \(kept as '.*\.bak'.*"
                                          r"could not be put back; rename it back by hand") as e:
        tco_export.write_export(other, tmp_path, stem="s")
    monkeypatch.undo()
    bak = re.search(r"kept as '([^']+)'", str(e.value)).group(1)
    assert open(bak, "rb").read() == before["s_shares.csv"]
    after = _snapshot(tmp_path)
    assert {k: v for k, v in after.items() if k != "s_shares.csv" and k != os.path.basename(bak)} == \
        {k: v for k, v in before.items() if k != "s_shares.csv"}
    assert "s_shares.csv" not in after  # no new file there: nothing pretends to be the old one


def test_csv_target_that_is_a_folder_changes_nothing(run, other, tmp_path):
    # before the fix: IsADirectoryError after the workbook and 5 CSVs had been replaced
    r, _, _ = run
    tco_export.write_export(r, tmp_path, stem="s")
    (tmp_path / "s_shares.csv").unlink()
    (tmp_path / "s_shares.csv").mkdir()
    (tmp_path / "s_shares.csv" / "keep.txt").write_text("not dcplan's")
    before = _snapshot(tmp_path)
    with pytest.raises(InputError, match=r"s_shares\.csv' is a folder, not a file.*choose another stem") as e:
        tco_export.write_export(other, tmp_path, stem="s")
    assert str(tmp_path / "s_shares.csv") in str(e.value) and _names_no_temporary(str(e.value))
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("locked, verb, new_has_tornado", [
    ("s_summary.csv", "replace", True),
    ("s.xlsx", "replace", True),
    ("s_sensitivity.csv", "remove", False),  # a stale optional CSV this export would delete
], ids=["csv", "workbook", "stale-csv"])
def test_locked_target_changes_nothing_and_is_named(run, other, tmp_path, monkeypatch, locked, verb,
                                                    new_has_tornado):
    # a file open in Excel (Windows) or immutable (chattr +i) can be neither renamed, replaced
    # nor deleted: the system refuses with a permission error. Before the fix: a PermissionError
    # naming dcplan's temporary file, after the workbook and some CSVs had been replaced (the
    # stale CSV: a PermissionError from its unlink, after the whole new set was in place)
    r, tr, _ = run
    tco_export.write_export(r, tmp_path, stem="s", tornado=tr)
    before = _snapshot(tmp_path)
    real_replace, real_unlink = os.replace, os.unlink

    def refuse(*paths):
        if locked in (os.path.basename(p) for p in paths):
            raise PermissionError(errno.EPERM, "Operation not permitted", str(paths[0]))

    def replace(src, dst):
        refuse(src, dst)
        return real_replace(src, dst)

    def unlink(path, *a, **k):
        refuse(path)
        return real_unlink(path, *a, **k)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    with pytest.raises(InputError, match=rf"cannot {verb} '.*{re.escape(locked)}'.*locked or protected") as e:
        tco_export.write_export(other, tmp_path, stem="s", tornado=tr if new_has_tornado else None)
    assert str(tmp_path / locked) in str(e.value)
    assert _names_no_temporary(str(e.value))
    monkeypatch.undo()
    assert _snapshot(tmp_path) == before


def test_a_full_disk_names_the_file_and_keeps_the_previous_export(run, other, tmp_path, monkeypatch):
    # the OS's error names the temporary file (pandas) or none (a writer library); before the fix the export
    # raised it bare: "[Errno 28] No space left on device"
    r, _, _ = run
    tco_export.write_export(r, tmp_path, stem="s")
    before = _snapshot(tmp_path)

    def no_room(self, where, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device", str(where))

    monkeypatch.setattr(pd.DataFrame, "to_csv", no_room)
    with pytest.raises(OSError) as e:
        tco_export.write_export(other, tmp_path, stem="s")
    monkeypatch.undo()
    assert not isinstance(e.value, InputError) and e.value.errno == errno.ENOSPC  # the machine, not the input
    assert re.fullmatch(rf"disk full at '{re.escape(str(tmp_path))}/s_\w+\.csv' \(No space left on device\): it "
                        r"could not be written; the previous export is unchanged; free space there, or write to a "
                        r"folder on another disk", e.value.strerror)
    assert _names_no_temporary(str(e.value))
    assert _snapshot(tmp_path) == before


def test_read_only_folder_is_named(run, tmp_path, monkeypatch):
    # the tests may run as root, which a chmod does not stop: make the folder refuse new files
    # as a read-only (or immutable) folder does, at tempfile.mkstemp. Before the fix: a
    # PermissionError naming dcplan's temporary file
    r, _, _ = run
    folder = tmp_path / "ro"
    folder.mkdir()
    real = tempfile.mkstemp

    def mkstemp(suffix=None, prefix=None, dir=None, text=False):
        if dir is not None and os.path.samefile(dir, folder):
            raise PermissionError(errno.EACCES, "Permission denied", os.path.join(dir, f"{prefix}x{suffix}"))
        return real(suffix, prefix, dir, text)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    for call in (lambda: tco_export.write_export(r, folder, stem="s"),
                 lambda: tco_export.write_csvs(r, folder, stem="s"),
                 lambda: tco_export.write_workbook(r, folder / "s.xlsx")):
        where = re.escape(str(folder))
        with pytest.raises(InputError, match=rf"cannot write in folder '{where}': permission denied") as e:
            call()
        assert _names_no_temporary(str(e.value))
    assert os.listdir(folder) == []


@pytest.mark.parametrize("call, match", [
    # the folder given is an existing file (before: "folder ... does not exist")
    (lambda r, d: tco_export.write_export(r, d / "A" / "s.xlsx", stem="s"),
     r"^folder: '.*A[/\\]s\.xlsx' is a file, not a folder; give the folder"),
    (lambda r, d: tco_export.write_csvs(r, d / "A" / "s.xlsx" / "sub"),
     r"^folder: '.*A[/\\]s\.xlsx' is a file, not a folder"),
    # the workbook's name is an existing folder (before: IsADirectoryError on the temporary name)
    (lambda r, d: tco_export.write_workbook(r, d / "Adir.xlsx"),
     r"^path: '.*Adir\.xlsx' is an existing folder, not a file; give the path of the \.xlsx file"),
    # no folder (before: TypeError from pathlib)
    (lambda r, d: tco_export.write_export(r, None),
     r"^folder: folder must be a path \(str or os\.PathLike\), got None"),
    (lambda r, d: tco_export.write_workbook(r, None), r"^path: workbook path must be a path"),
    # an empty stem (before: "workbook name must end in .xlsx, got '.xlsx'"; write_csvs wrote "_about.csv")
    (lambda r, d: tco_export.write_export(r, d, stem=""), r"^stem: stem must be a non-empty file name prefix"),
    (lambda r, d: tco_export.write_csvs(r, d, stem=""), r"^stem: stem must be a non-empty file name prefix"),
    # a stem with a folder in it (before: "folder '.../a' does not exist")
    (lambda r, d: tco_export.write_export(r, d, stem="a/b"), r"^stem: .*without a folder separator.*'a/b'"),
    # a stem too long for the temporary names (before: OSError "File name too long" on a temporary name)
    (lambda r, d: tco_export.write_export(r, d, stem="x" * 300),
     r"^stem: stem 'x{40}'\.\.\. \(300 characters\) is too long: .* limit of \d+ bytes per name; shorten"),
    (lambda r, d: tco_export.write_workbook(r, d / ("x" * 250 + ".xlsx")),
     r"^path: file name 'x{40}'.* too long"),
    # a folder path longer than PATH_MAX (4,096 bytes on Linux; 25 names of 200 bytes: 5,000 more): before, a raw
    # OSError [Errno 36] from Path.is_dir with the whole path in it; now an InputError with the path cut short
    (lambda r, d: tco_export.write_export(r, d.joinpath(*["y" * 200] * 25), stem="s"),
     r"^folder: folder '.{60}'\.\.\. \([\d,]+ bytes\) cannot be looked up: File name too long; "
     r"give a shorter path$"),
], ids=["folder-is-file", "folder-under-file", "workbook-is-folder", "folder-none", "path-none", "stem-empty",
        "csvs-stem-empty", "stem-with-folder", "stem-too-long", "workbook-name-too-long", "folder-path-too-long"])
def test_bad_targets_name_what_is_wrong_and_write_nothing(run, tmp_path, call, match):
    r, _, _ = run
    (tmp_path / "A").mkdir()
    (tmp_path / "A" / "s.xlsx").write_bytes(b"a file")
    (tmp_path / "Adir.xlsx").mkdir()
    before = _snapshot(tmp_path)
    with pytest.raises(InputError, match=match) as e:
        call(r, tmp_path)
    assert _names_no_temporary(str(e.value))
    assert _snapshot(tmp_path) == before


def test_a_stem_that_just_fits_the_name_limit_is_written(run, tmp_path):
    # the longest name of the set is the temporary of <stem>_depreciation.csv:
    # '.' + stem + '_depreciation.csv' + '.' + 8 random + '.tmp.csv' = stem + 35 bytes
    r, _, _ = run
    limit = os.pathconf(tmp_path, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255  # Windows: 255
    paths = tco_export.write_export(r, tmp_path, stem="s" * (limit - 35))
    assert sorted(os.listdir(tmp_path)) == sorted([RECORD, *(p.name for p in paths)])
    with pytest.raises(InputError, match="shorten the stem by at least 1 bytes"):
        tco_export.write_export(r, tmp_path, stem="s" * (limit - 34))


def test_a_refused_placement_after_a_stale_csv_says_replace(run, other, tmp_path, monkeypatch):
    # step 2 last moved a stale optional CSV aside; a refusal in step 3 (a new file put in place)
    # was then reported as "cannot remove ... (an optional sheet of an earlier export)"
    r, tr, _ = run
    tco_export.write_export(r, tmp_path, stem="s", tornado=tr)
    before = _snapshot(tmp_path)
    real_replace = os.replace

    def replace(src, dst):
        if ".tmp." in os.path.basename(src) and os.path.basename(dst) == "s_summary.csv":
            raise PermissionError(errno.EPERM, "Operation not permitted", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InputError, match=r"cannot replace '.*s_summary\.csv': the file is locked") as e:
        tco_export.write_export(other, tmp_path, stem="s")  # no tornado: s_sensitivity.csv is stale
    assert e.value.field == "folder" and "optional sheet" not in str(e.value)
    monkeypatch.undo()
    assert _snapshot(tmp_path) == before


# ---------------------------------------------------------------------------
# the workbook alone says which case it is, with the report's caveats; numbers shown by unit

def _mc_of(inp):
    draws = monte_carlo(inp, BILL, {"staff_fte_per_mw": ("uniform", 1.0, 3.0)}, n_draws=200, seed=4)
    return draws, percentiles(draws, ["npv_usd", "usd_per_gpu_hour"])


PRICE_NOTE = ("The server price per accelerator (33,750 USD) is the H100 figure of data/costs.csv; no sourced "
              "price is bundled for hgx-b200. Set finance.costs.server_usd_per_accelerator to a quote.")


def test_workbook_alone_carries_the_case_and_the_reports_caveats(tmp_path):
    """A finance reviewer may get only the .xlsx. It never said which site, fleet, scenario or
    grid delay it was, dropped the report's price note (its Assumptions row says "DGX H100 sale
    price" for a B200 fleet) and showed the base-case NPV without the Monte Carlo median beside it."""
    inp = INP.with_costs(delay_months=4.4)      # dcplan.grid's percentile: not a whole month
    r = run_tco(inp, BILL)
    draws, mc = _mc_of(inp)
    prob = float((draws["npv_usd"] < 0).to_numpy().sum() / len(draws))  # share of draws with a loss
    fleet = pd.DataFrame({"label": ["Hall 1", "Hall 2"], "hardware": ["hgx-b200", "hgx-h100"], "count": [384, 128],
                          "start": ["2026-10-01", "2027-04-01"], "accelerators": [3072, 1024]})
    paths = tco_export.write_export(r, tmp_path, stem="s", mc_percentiles=mc, title="Phoenix, AZ",
                                    site="phoenix-az (Phoenix, AZ)", fleet=fleet, scenario="grid-delay-p90",
                                    delay_months=4.4, notes={"price_note": PRICE_NOTE, "none": ""},
                                    mc_prob_npv_negative_frac=prob)
    summ = tco_export.read_workbook(paths[0])["Summary"].set_index("key")
    assert summ.loc["site", "note"] == "phoenix-az (Phoenix, AZ)"
    # every phase's hardware key and count; 3,072 + 1,024 accelerators in all
    fl = summ.loc["fleet", "note"]
    assert "Hall 1: hgx-b200 x 384" in fl and "Hall 2: hgx-h100 x 128" in fl
    assert summ.loc["fleet", "value"] == 4096 and summ.loc["fleet", "unit"] == "accelerators"
    # what the scenario sets (dcplan.tco.SCENARIOS: grid-delay-p90 takes the 0.9 quantile)
    sc = summ.loc["scenario", "note"]
    assert sc.startswith("grid-delay-p90: ") and "90th percentile" in sc
    # 4.4 months rounds half up to 4 whole months, the months the model ran on
    assert summ.loc["delay_months", "value"] == 4.0 and summ.loc["delay_months", "unit"] == "months"
    assert "4.40 months, rounded half up" in summ.loc["delay_months", "note"]
    assert summ.loc["price_note", "note"] == PRICE_NOTE and np.isnan(summ.loc["price_note", "value"])
    assert "none" not in summ.index                            # an empty note is no caveat
    # the Monte Carlo's NPV right after the base case's: its percentiles and P(NPV < 0)
    keys = list(summ.index)
    assert keys[keys.index("npv_usd") + 1:keys.index("npv_usd") + 5] == [
        "mc_npv_p10_usd", "mc_npv_p50_usd", "mc_npv_p90_usd", "mc_prob_npv_negative_frac"]
    for q in ("p10", "p50", "p90"):
        assert summ.loc[f"mc_npv_{q}_usd", "value"] == pytest.approx(np.percentile(draws["npv_usd"], int(q[1:])),
                                                                       rel=RTOL_XLSX)
    assert summ.loc["mc_prob_npv_negative_frac", "value"] == prob
    p50, base = np.percentile(draws["npv_usd"], 50), r.summary["npv_usd"]
    side = "below" if p50 < base else "above"
    npv_note = summ.loc["npv_usd", "note"]
    assert f"the Monte Carlo median is {p50 / 1e6:,.1f} M USD, {side} it" in npv_note
    assert f"P(NPV < 0) = {100 * prob:.1f}%" in npv_note
    # the About sheet says the same; the CSVs hold what the workbook holds
    about = tco_export.read_workbook(paths[0])["About"].set_index("item")["text"]
    assert about["site"] == "phoenix-az (Phoenix, AZ)" and about["caveat_price_note"] == PRICE_NOTE
    assert about["fleet"] == summ.loc["fleet", "note"] and about["delay_months"].startswith("4 months: ")
    assert about["npv_vs_montecarlo"] == npv_note
    pd.testing.assert_series_equal(about, pd.read_csv(tmp_path / "s_about.csv").set_index("item")["text"])
    csv = pd.read_csv(tmp_path / "s_summary.csv").set_index("key")
    assert list(csv.index) == keys and (csv["note"].fillna("") == summ["note"].fillna("")).all()
    np.testing.assert_allclose(csv["value"].to_numpy(), summ["value"].to_numpy(), rtol=RTOL_XLSX)


def test_fleet_is_the_site_specs_hardware_and_counts(run, tmp_path):
    import yaml

    from conftest import DATA
    from dcplan.site import load_site
    r, _, _ = run
    phases = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())["fleet"]["phases"]
    frames = tco_export.workbook_frames(r, fleet=load_site("phoenix-az"))
    fleet = frames["Summary"].set_index("key").loc["fleet", "note"]
    for ph in phases:
        assert f"{ph['hardware']} x {ph['count']:,}" in fleet


def test_an_old_call_still_gets_the_delay_and_the_monte_carlo_beside_the_npv(run, tmp_path):
    r, _, mc = run
    summ = tco_export.read_workbook(tco_export.write_workbook(r, tmp_path / "t.xlsx", mc_percentiles=mc))[
        "Summary"].set_index("key")
    # INP has no delay: data/costs.csv's delay_months is 0 and no capacity is in service
    assert summ.loc["delay_months", "value"] == 0.0 and summ.loc["live_fleet_frac", "value"] == 0.0
    assert summ.loc["mc_npv_p50_usd", "value"] == pytest.approx(mc.loc["p50", "npv_usd"], rel=RTOL_XLSX)
    assert "Monte Carlo median" in summ.loc["npv_usd", "note"]
    assert not {"site", "fleet", "scenario", "mc_prob_npv_negative_frac"} & set(summ.index)


@pytest.mark.parametrize("kw, match", [
    ({"delay_months": 3.0}, r"delay_months 3 is not the delay this run used \(0 months"),
    ({"delay_months": -1.0}, "delay_months must be >= 0"),
    ({"mc_prob_npv_negative_frac": 1.5}, r"must be in \[0, 1\], got 1.5"),
    ({"mc_prob_npv_negative_frac": float("nan")}, "must be a finite number"),
    ({"notes": {"price_note": 3}}, "notes.price_note must be text"),
    ({"notes": ["a caveat"]}, "notes must be a mapping"),
    ({"site": 5}, "site must be text"),
    ({"scenario": None, "fleet": pd.DataFrame({"hw": ["hgx-b200"]})}, "columns hardware and count"),
], ids=lambda x: str(x)[:30])
def test_bad_case_arguments_name_the_field_and_write_nothing(run, tmp_path, kw, match):
    r, _, _ = run
    with pytest.raises(InputError, match=match):
        tco_export.write_export(r, tmp_path, **kw)
    assert list(tmp_path.iterdir()) == []


def test_numbers_are_shown_by_unit_and_stored_in_full(run, tmp_path):
    """Every cell was 'General': 260514060.8913599 with 16 digits, no currency or percent."""
    r, tr, mc = run
    path = tco_export.write_export(r, tmp_path, tornado=tr, mc_percentiles=mc)[0]
    wb = openpyxl.load_workbook(path)

    def cell(sheet, row_key, col):
        ws = wb[sheet]
        j = [c.value for c in ws[1]].index(col)
        return next(row[j] for row in ws.iter_rows(min_row=2) if row[0].value == row_key)

    # formats worked out by hand from the unit table of dcplan.tco_export_xlsx: USD amounts whole,
    # per-unit USD at least cents and 4 significant digits, fractions as percent, time in 0.0
    expect = {("Summary", "npv_usd"): "#,##0",                        # 260,514,061 USD
              ("Summary", "usd_per_gpu_hour"): "#,##0.000",           # 2.890 USD/GPU-h
              ("Summary", "usd_per_million_tokens"): "#,##0.0000",    # 0.2618 USD/M tokens
              ("Summary", "usd_per_mwh_it"): "#,##0.00",              # 1,974.88 USD/MWh
              ("Summary", "irr_frac"): "0.0%", ("Summary", "payback_years"): "0.0",
              ("Summary", "operations_start_month"): "0.0", ("Summary", "delay_months"): "0.0",
              ("Summary", "tokens_per_j_it"): "#,##0.000",            # 2.095 tokens/J
              ("Assumptions", "revenue_usd_per_gpu_h"): "#,##0.000",  # 4.916 USD/GPU-h, exact
              ("Assumptions", "server_usd_per_accelerator"): "#,##0.00",
              ("Assumptions", "water_usd_per_m3"): "#,##0.00",        # 3 USD/m3: cents, not 3.000
              ("Assumptions", "insurance_frac"): "0.0%",              # 0.5 %
              ("Assumptions", "tax_rate_frac"): "0.0%", ("Assumptions", "build_months"): "0.0",
              ("Assumptions", "it_refresh_years"): "0.0", ("Assumptions", "n_accelerators"): "#,##0",
              ("Assumptions", "electricity_cost_mult"): "0.00"}
    for (sheet, key), fmt in expect.items():
        assert cell(sheet, key, "value").number_format == fmt, (sheet, key)
    c = cell("Summary", "npv_usd", "value")
    assert c.value == pytest.approx(r.summary["npv_usd"], rel=RTOL_XLSX) and c.value != round(c.value)
    for row in ("capex_it_usd", "net_cash_flow_usd", "gpu_hours", "tokens"):
        assert cell("CashFlow", row, "year_2").number_format == "#,##0", row
    assert cell("Shares", "it_hardware", "cost_usd").number_format == "#,##0"
    assert cell("Shares", "it_hardware", "share_frac").number_format == "0.0%"
    assert cell("Sensitivity", "revenue_usd_per_gpu_h", "low").number_format == "#,##0.000"  # 2, 6, 4.916
    assert cell("Sensitivity", "revenue_usd_per_gpu_h", "swing").number_format == "#,##0"
    assert cell("MonteCarlo", "p50", "npv_usd").number_format == "#,##0"
    assert cell("MonteCarlo", "n_nonfinite", "usd_per_gpu_hour").number_format == "#,##0"
    # no number anywhere is left 'General', but the row labels of the indexed sheets (month 1, 2...)
    for ws in wb:
        for row in ws.iter_rows(min_row=2):
            for c in row[1 if ws.title in ("CashFlow", "Monthly", "MonteCarlo") else 0:]:
                if isinstance(c.value, (int, float)):
                    assert c.number_format != "General", (ws.title, c.coordinate, c.value)
    # the CSVs keep every digit (shortest round-trip repr)
    s = pd.read_csv(tmp_path / "tco_summary.csv").set_index("key")["value"]
    assert s["npv_usd"] == r.summary["npv_usd"]


def test_every_sheet_keeps_its_header_and_row_names_in_view(run, tmp_path):
    """The workbook scrolled away its headers: the Monthly sheet is 121 rows by 32 columns, and a reader
    at month 90 or column AF saw numbers without the line item, unit or month they belong to."""
    r, tr, mc = run
    wb = openpyxl.load_workbook(tco_export.write_export(r, tmp_path, tornado=tr, mc_percentiles=mc)[0])
    frozen = {ws.title: ws.freeze_panes for ws in wb}
    # the line item and its unit (CashFlow: line_item, unit)
    assert [c.value for c in wb["CashFlow"][1][:2]] == ["line_item", "unit"] and frozen.pop("CashFlow") == "C2"
    # the purchase and its asset class (Depreciation: tranche, asset_class)
    assert [c.value for c in wb["Depreciation"][1][:2]] == ["tranche", "asset_class"] \
        and frozen.pop("Depreciation") == "C2"
    # every other sheet: the header row and its first column (a key, an input, a statistic; Monthly: a
    # case without dates has no calendar_month column beside its month)
    assert [c.value for c in wb["Monthly"][1][:2]] == ["month", "capex_it_usd"]
    assert frozen == {name: "B2" for name in frozen} and {"About", "Assumptions", "Summary", "Monthly"} <= set(frozen)


def test_a_dated_cases_monthly_sheet_keeps_its_calendar_month_in_view():
    from dcplan.tco_export_xlsx import freeze_cell
    monthly = pd.DataFrame({"calendar_month": ["2025-07"], "capex_it_usd": [0.0]}, index=pd.Index([1], name="month"))
    assert freeze_cell("Monthly", monthly) == "C2"
    assert freeze_cell("Monthly", monthly[["capex_it_usd"]]) == "B2"
    assert freeze_cell("Summary", pd.DataFrame({"unit": ["USD"]})) == "B2"  # not indexed: its key column only


@pytest.mark.parametrize("unit, values, fmt", [
    ("USD", [53104131.77349325], "#,##0"), ("USD/yr", [2737024.3], "#,##0"),
    ("USD/GPU-h", [4.054448726906855], "#,##0.000"),      # 4.054: 4 significant digits
    ("USD/M tokens", [0.3673261522320345], "#,##0.0000"),  # 0.3673
    ("USD/kWh", [0.08], "#,##0.00"),                     # exact in cents
    ("frac", [0.6789355469915703], "0.0%"), ("frac/yr", [0.0025], "0.00%"), ("frac/yr", [0.005], "0.0%"),
    ("months", [12.0], "0.0"), ("yr", [7.797775032362509], "0.0"),
    ("accelerators", [3072], "#,##0"), ("GPU-h", [1.6e7], "#,##0"),
    ("kW", [5786.400000000001], "#,##0"), ("tokens/J", [1.37856885455614], "#,##0.000"), ("x", [1.0], "0.00"),
])
def test_number_format_by_unit(unit, values, fmt):
    from dcplan.tco_export_xlsx import number_format
    assert number_format(unit, values) == fmt


def test_shares_name_the_source_and_status_of_the_industry_ranges(run, tmp_path):
    """The IT hardware range read 0.30-0.30 with no source: it is one trade-press figure (~30 %),
    unverified (docs/reference-data.md §7, rows 'Trade press: ...', Status 'unverified')."""
    from dcplan.tco import INDUSTRY_SHARES
    r, _, _ = run
    tco_export.write_export(r, tmp_path)
    sh = pd.read_csv(tmp_path / "tco_shares.csv").set_index("category")
    assert set(INDUSTRY_SHARES) <= set(tco_export.INDUSTRY_SHARE_SOURCES)
    for c in INDUSTRY_SHARES:
        assert sh.loc[c, "industry_status"] == "unverified"
        assert "docs/reference-data.md §7" in sh.loc[c, "industry_source"]
    assert "one figure, not a range" in sh.loc["it_hardware", "industry_source"]
    assert "25-40 %" in sh.loc["power_and_cooling", "industry_source"]
    assert sh.loc["building", ["industry_source", "industry_status"]].isna().all()  # no range quoted
    xl = tco_export.read_workbook(tmp_path / "tco.xlsx")["Shares"].set_index("category")
    assert xl.loc["it_hardware", "industry_source"] == sh.loc["it_hardware", "industry_source"]


def test_sensitivity_reads_zero_for_rounding_noise_with_a_note(tmp_path):
    """facility_electrical_frac_of_critical only splits one capex between the electrical and the
    mechanical plant, which have the same lives: it cannot move NPV. The tornado showed a
    swing of 1.1e-08 USD here (2.98e-08 at Phoenix): rounding, not an effect."""
    inp = TcoInputs(n_accelerators=1342, it_capacity_kw=6297.6, it_energy_kwh=4.2e7)
    tr = tornado(inp, 4.0e6, ranges={"facility_electrical_frac_of_critical": (0.5, 0.7)})
    path = tco_export.write_export(run_tco(inp, 4.0e6), tmp_path, tornado=tr)[0]
    sens = tco_export.read_workbook(path)["Sensitivity"].set_index("input")
    row = sens.loc["facility_electrical_frac_of_critical"]
    assert row["swing"] == 0.0 and row["metric_at_low"] == row["metric_at_high"] == row["base_metric"]
    assert row["note"].startswith("no effect: the metric moves by at most")
    about = tco_export.read_workbook(path)["About"].set_index("item")["text"]
    assert "1e-09 x the largest |metric| of the cases" in about["sensitivity"]


def test_the_same_workbook_written_twice_has_the_same_bytes(run, tmp_path):
    """Two renders of the same inputs gave the finance workbook different sha256s (results.json
    ``artifacts``) while every CSV matched: openpyxl stamps the zip members and the core properties
    with the time of writing. Written 2.1 s apart (the zip's time resolution is 2 s), the bytes now
    match, the core properties carry no created/modified time, and the workbook still opens."""
    import hashlib
    import time
    import zipfile
    r, tr, mc = run
    a = tco_export.write_workbook(r, tmp_path / "a.xlsx", tornado=tr, mc_percentiles=mc)
    time.sleep(2.1)
    b = tco_export.write_workbook(r, tmp_path / "b.xlsx", tornado=tr, mc_percentiles=mc)
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()
    with zipfile.ZipFile(a) as z:
        core = z.read("docProps/core.xml")
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core
    assert openpyxl.load_workbook(a).sheetnames[0] == "About"


def test_the_median_delay_case_names_the_command_of_its_workbook(run, tmp_path):
    """The export of the base scenario holds the median-delay case's NPV and IRR as Summary figures only (a
    reviewer found no cash flows for the report's first headline): its About row names the render command of
    the grid-delay-p50 scenario, the case itself for a scenario that sets no costs."""
    import shlex

    from dcplan.paths import default_portfolio
    from dcplan.tco_export import median_delay_workbook
    base = {"site": "phoenix-az", "portfolio": "default", "scenario": "base", "tariff_file": ""}
    text = median_delay_workbook(base)
    assert text.endswith(": dcplan render --sites phoenix-az --notebooks tco -p scenario grid-delay-p50 "
                         "--out reports-grid-delay-p50.")
    # a folder of its own, not render's default reports/: the run folder phoenix-az/tco/ is the same whatever the
    # scenario, so the command as first given replaced the report and workbook the reviewer was checking
    assert "rendered into this report's folder it would replace this report and workbook" in text
    assert "scenario base's, whose cash flows this export holds" in text and "ties to those figures" in text
    # render injects the portfolio as a path: the bundled one is the default (no --portfolio), another is named,
    # quoted for a shell, with the tariff file given
    assert median_delay_workbook({**base, "portfolio": str(default_portfolio())}) == text
    own = median_delay_workbook({**base, "portfolio": "/tmp/my portfolio.yaml", "tariff_file": "tariffs/x.json"})
    assert shlex.split(own.rsplit(": ", 1)[1].removesuffix(".")) == [
        "dcplan", "render", "--portfolio", "/tmp/my portfolio.yaml", "--sites", "phoenix-az", "--notebooks", "tco",
        "-p", "scenario", "grid-delay-p50", "-p", "tariff_file", "tariffs/x.json", "--out", "reports-grid-delay-p50"]
    # a scenario that sets costs: no scenario's workbook is that case; the nearest is named, and how it differs
    low = median_delay_workbook({**base, "scenario": "low-price"})
    assert "no scenario's workbook holds their cash flows" in low and "revenue_usd_per_gpu_h" in low
    assert median_delay_workbook({**base, "scenario": "grid-delay-p50"}) == ""  # the case itself
    r, _, _ = run
    about = tco_export.workbook_frames(r, median_workbook=text)["About"].set_index("item")["text"]
    assert about["grid_delay_p50_workbook"] == text
    assert "grid_delay_p50_workbook" not in tco_export.workbook_frames(r)["About"]["item"].tolist()


def test_cashflow_total_rows_are_marked_so_a_column_sum_leaves_them_out(run, tmp_path):
    """A SUM down a CashFlow year column counted capex twice (the capex_ rows and total_capex_usd): the sheet's
    note names the total rows and what they total, and the workbook shows them in bold with a comment. The
    totals are checked against their items from the CSV (1e-6 USD: float sums of ~10 terms of 1e7-1e8 USD)."""
    r, _, _ = run
    paths = tco_export.write_export(r, tmp_path, stem="s")
    cf = pd.read_csv(tmp_path / "s_cashflow.csv", index_col="line_item")
    note = cf.at["note", "unit"]
    assert note == tco_export.CASHFLOW_NOTE and "counts those twice" in note
    for k in ("total_capex_usd (= the capex_ rows)", "total_opex_usd (= the opex_ rows)", "total_cost_usd",
              "net_cash_flow_usd"):
        assert k in note, k
    cf = cf.drop(index="note").drop(columns="unit").astype(float)
    items = [i for i in cf.index if i.startswith(("capex_", "opex_"))]
    np.testing.assert_allclose(cf.loc[[i for i in items if i.startswith("capex_")]].sum(), cf.loc["total_capex_usd"],
                               rtol=0, atol=1e-6)
    np.testing.assert_allclose(cf.loc[[i for i in items if i.startswith("opex_")]].sum(), cf.loc["total_opex_usd"],
                               rtol=0, atol=1e-6)
    ws = openpyxl.load_workbook(paths[0])["CashFlow"]
    bold = {row[0].value for row in ws.iter_rows(min_row=2) if row[0].font.bold and row[2].font.bold}
    assert bold == {"total_capex_usd", "total_opex_usd", "total_cost_usd", "net_cash_flow_usd"}
    row = next(row for row in ws.iter_rows(min_row=2) if row[0].value == "total_capex_usd")
    assert row[0].comment.text.startswith("total_capex_usd = the capex_ rows: a total of other rows")


def _excel_npv(rate: float, values) -> float:
    """A spreadsheet's NPV (Excel, LibreOffice Calc): sum v_i / (1 + rate)^i, i = 1..n (the first value one
    period out), as their documentation defines it."""
    return sum(v / (1.0 + rate) ** i for i, v in enumerate(values, start=1))


def _excel_irr(values, guess: float) -> float:
    """A spreadsheet's IRR with a guess: the rate x where sum v_i / (1 + x)^(i - 1), i = 1..n, is 0, by Newton's
    method from the guess (Excel's documented iteration), to 1e-12."""
    v = np.asarray(values, float)
    t = np.arange(len(v))
    x = guess
    for _ in range(100):
        f, d = (v / (1 + x) ** t).sum(), (-t * v / (1 + x) ** (t + 1)).sum()
        x, prev = x - f / d, x
        if abs(x - prev) < 1e-12:
            return x
    raise AssertionError("IRR did not converge")


@pytest.mark.parametrize("fleet_start", [None, "2027-03-01"])
def test_the_about_sheet_gives_the_spreadsheet_formulas_that_reproduce_npv_and_irr(tmp_path, fleet_start):
    """A finance reviewer re-checks the NPV and IRR in a spreadsheet from the workbook alone. The About sheet
    said the sum in words; the spreadsheet's own NPV discounts its first value one period and IRR needs a guess
    for monthly flows (from its default 10 % a month Newton's method overflows): a reviewer who typed
    =NPV(8%, ...) over the CashFlow years, or =IRR(...) without a guess, got other figures or #NUM!. The row
    spreadsheet_check names the formulas with the workbook's own cells; evaluated here as the spreadsheets define
    NPV and IRR on the cells read back with openpyxl, they give the Summary's figures (a dated case has a
    calendar_month column, which moves the column)."""
    import dataclasses
    r = run_tco(dataclasses.replace(INP, fleet_start=fleet_start), BILL)
    path = tco_export.write_workbook(r, tmp_path / "tco.xlsx")
    wb = openpyxl.load_workbook(path)
    about = {row[0].value: row[1].value for row in wb["About"].iter_rows(min_row=2)}
    text = about["spreadsheet_check"]
    m = re.search(r"npv_usd = NPV\(\(1\+Assumptions!B(\d+)\)\^\(1/12\)-1,Monthly!(?P<c>[A-Z]+)2:(?P=c)(\d+)\); "
                  r"irr_frac = \(1\+IRR\(Monthly!(?P=c)2:(?P=c)\3,\(1\+Assumptions!B\1\)\^\(1/12\)-1\)\)\^12-1", text)
    assert m, text
    row, col, last = int(m[1]), m[2], int(m[3])
    assert wb["Assumptions"][f"A{row}"].value == "discount_rate_frac"
    assert wb["Monthly"][f"{col}1"].value == "net_cash_flow_usd" and last == 12 * INP.horizon_years + 1
    rate = wb["Assumptions"][f"B{row}"].value
    flows = [wb["Monthly"][f"{col}{i}"].value for i in range(2, last + 1)]
    summary = {row[0].value: row[2].value for row in wb["Summary"].iter_rows(min_row=2)}
    monthly = (1 + rate) ** (1 / 12) - 1
    assert _excel_npv(monthly, flows) == pytest.approx(summary["npv_usd"], rel=1e-12)
    assert (1 + _excel_irr(flows, monthly)) ** 12 - 1 == pytest.approx(summary["irr_frac"], rel=1e-9)
    # what the row warns against gives other figures: NPV at the annual rate over the years, NPV with month 1
    # outside it (undiscounted), and IRR from its default guess (the iteration overflows)
    years = [wb["CashFlow"].cell(row=k, column=j).value for k in range(1, wb["CashFlow"].max_row + 1)
             if wb["CashFlow"].cell(row=k, column=1).value == "net_cash_flow_usd"
             for j in range(3, 3 + INP.horizon_years)]
    assert abs(_excel_npv(rate, years) / summary["npv_usd"] - 1) > 1e-3
    assert abs((flows[0] + _excel_npv(monthly, flows[1:])) / summary["npv_usd"] - 1) > 1e-3
    with pytest.raises((AssertionError, ZeroDivisionError, OverflowError, FloatingPointError)), \
            np.errstate(all="raise"):
        _excel_irr(flows, 0.1)


def test_the_about_sheet_says_what_each_sheet_is(run, tmp_path):
    """The workbook had no sheet saying what its sheets are (the module docstring did, which a reviewer does not
    read): the About row sheets names each sheet of the workbook, in order, with what it holds."""
    r, tr, mc = run
    path = tco_export.write_workbook(r, tmp_path / "tco.xlsx", tornado=tr, mc_percentiles=mc)
    wb = openpyxl.load_workbook(path)
    text = next(row[1].value for row in wb["About"].iter_rows(min_row=2) if row[0].value == "sheets")
    named = re.findall(r"(?:^|; )([A-Za-z]+): ", text)
    assert named == wb.sheetnames == ["About", "Assumptions", "CashFlow", "Monthly", "Depreciation", "Summary",
                                      "Shares", "Sensitivity", "MonteCarlo"]
    assert "Monthly: the monthly cash flows" in text and "also a CSV file" in text
    # without a tornado or a Monte Carlo the row names only the sheets written
    bare = tco_export.workbook_frames(r)["About"].set_index("item")["text"]["sheets"]
    assert "Sensitivity" not in bare and "MonteCarlo" not in bare and "Shares: " in bare


def test_a_workbook_written_outside_render_says_it_records_no_inputs(tmp_path, monkeypatch):
    """The tco notebook run in JupyterLab writes its workbook without render's record: no Provenance sheet (as
    before), and its About sheet now says so, naming dcplan's version and source digest. The digest is
    recomputed here from its definition (SHA-256 over each dcplan/**/*.py's relative path and SHA-256, in
    path order, no __pycache__ or hidden files); in a render run (a record given) the row is left out."""
    import hashlib
    from pathlib import Path

    import dcplan
    from dcplan.report_provenance import PROVENANCE_ENV, run_record, write_record
    monkeypatch.delenv(PROVENANCE_ENV, raising=False)
    pkg = Path(dcplan.__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(pkg.rglob("*.py")):
        rel = f.relative_to(pkg)
        if "__pycache__" not in f.parts and not f.name.startswith(".") and rel.parts[0] != "_bundled":
            h.update(f"{rel.as_posix()}\0{hashlib.sha256(f.read_bytes()).hexdigest()}\0".encode())
    r = run_tco(INP, BILL)
    out = tmp_path / "out"
    out.mkdir()
    paths = tco_export.write_export(r, out, stem="t")
    wb = openpyxl.load_workbook(paths[0])
    assert "Provenance" not in wb.sheetnames
    text = tco_export.read_workbook(paths[0])["About"].set_index("item").loc["provenance", "text"]
    assert text.startswith("written outside dcplan render")
    assert f"dcplan {dcplan.__version__}, source SHA-256 {h.hexdigest()}" in text
    assert "dcplan render --notebooks tco" in text
    csv = pd.read_csv(out / "t_about.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert csv.set_index("item").loc["provenance", "text"] == text  # the CSV twin says the same
    # in a render run: its record makes the Provenance sheet, and the About row is not written
    prov = {"dcplan_version": "9.9", "dcplan_source_sha256": "ab" * 32, "inputs": {}, "inputs_sha256": {}}
    rec = write_record(run_record(prov, {}, "2026-12-01T00:00:00+00:00", cwd=str(tmp_path)), tmp_path / "rec.json")
    monkeypatch.setenv(PROVENANCE_ENV, str(rec))
    frames = tco_export.workbook_frames(r)
    assert "Provenance" in frames and "provenance" not in set(frames["About"]["item"])
