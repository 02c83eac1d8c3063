"""Finance export of a TCO run: one ``.xlsx`` workbook and CSV equivalents.

Sheets (and CSV files ``<stem>_<sheet>.csv``):

=============  ===========================================================================
``About``      what the workbook is; states that every cell is a **value** (no formulas)
``Assumptions`` every input: key, value, unit, description, source, vintage, status
``CashFlow``   annual cash flows: line items (rows) x calendar years (columns) [USD, ...],
               the readable summary (sums of the months), with the tax reconciliation rows
               (``residual_tax_basis_usd``, ``residual_gain_usd``, ``taxable_income_usd``)
``Monthly``    monthly cash flows: months (rows) x line items (columns); the figures are
               discounted month by month (end of month)
``Summary``    key figures (NPV, IRR, payback, TCO, unit costs, shares) with units
``Shares``     cost by category and share, next to the industry ranges quoted
``Sensitivity`` tornado (one-at-a-time) table, when given; its ``metric`` and ``metric_unit``
               columns (and the About sheet) say which figure it measures
``MonteCarlo`` Monte Carlo percentiles, when given (the About sheet then records the draws,
               the seed, how each input's random stream derives from it, and the distributions)
=============  ===========================================================================

All cells are values written from the same objects the notebook publishes, so every
number equals the report's and ``results.json``'s: exactly in the CSV files (shortest
round-trip repr), and to 16 significant digits in the workbook (openpyxl writes numbers
with ``%.16g``; Excel itself keeps 15).
Files are written to a temporary name in the target folder, flushed to disk
(``fsync``) and moved into place with :func:`os.replace`, so a failed export or a
crash never leaves a half-written file and never replaces the previous good one with
an empty one. :func:`write_csvs` writes every CSV of the set to its temporary name
before it replaces any, so a failure leaves the previous set whole (not half old, half
new); the optional sheets' CSVs (``sensitivity``, ``montecarlo``) of an earlier export
with the same stem are removed when this export has no such sheet, so the folder never
mixes two runs.

A number that does not exist (a unit cost with no output to divide by: ``inf`` or NaN in
the model) is an **empty cell** with a note, never the text ``inf`` in a number column:
the Summary and Sensitivity sheets have a ``note`` column; the MonteCarlo sheet's column
is empty for such a metric, its ``n_nonfinite`` row counts the draws, the About sheet
says why and the workbook's header cell carries a comment.

Conventions stated in the ``About`` sheet: signs (costs, tax and capex positive; net
cash flow positive = money in), how income tax reconciles year by year, discounting
(monthly, end of month), what the Monte Carlo ``pXX`` rows mean, why the shares do not
sum to ``tco_usd``.

:func:`write_export` writes the workbook and the CSV set from one set of frames (one
``title``), so the two cannot differ; :func:`write_workbook` and :func:`write_csvs` write
one of them.
"""
from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.comments import Comment

from .errors import InputError
from .report_files import _fsync_dir  # the project's durable-rename helper
from .tco import INDUSTRY_SHARES, LINES, SUMMARY_LABELS, TcoResult, summary_unit

__all__ = ["workbook_frames", "write_workbook", "write_csvs", "write_export", "read_workbook"]

CELLS_NOTE = "All cells are values computed by dcplan.tco (no formulas)."
ABOUT = ("dcplan TCO finance export. All cells are VALUES computed by dcplan.tco (no formulas); "
         "the cash-flow sheets are the model's frames. Money in nominal USD; monthly discounting, "
         "end of month (the Monthly sheet's flows; the annual rate is the input); see the Assumptions "
         "sheet for every input with its unit and source.")
#: Conventions a finance reader needs to reconcile the sheets (rows of the About sheet).
CONVENTIONS = {
    "signs": "CashFlow and Monthly: capex, opex, residual_value, revenue and depreciation are "
             "positive amounts; income_tax_usd > 0 is tax paid, < 0 a tax saving; "
             "net_cash_flow_usd = revenue + residual_value - total_capex - total_opex - income_tax "
             "(> 0 = money in). total_cost_usd = total_capex + total_opex - residual_value.",
    "tax": "Every year: income_tax_usd = tax_rate_frac x taxable_income_usd, taxable_income_usd = "
           "revenue - total_opex - depreciation + residual_gain_usd. The assets are sold at "
           "residual_value_usd at the end of the horizon (last year, last month): residual_tax_basis_usd "
           "is their tax basis not yet depreciated (capex over the horizon - its depreciation), "
           "residual_gain_usd = residual_value_usd - residual_tax_basis_usd, a gain (> 0, taxed as "
           "depreciation recapture at tax_rate_frac) or a deductible loss (< 0). Both are 0 in other years.",
    "discounting": "Monthly, end of month: NPV = sum over months m = 1..12H of net_cash_flow_usd(month m) "
                   "(Monthly sheet) / (1 + discount_rate_frac)^(m/12), discount_rate_frac the annual rate, "
                   "month 1 = January of year 1, nothing at t = 0. IRR: the annual effective rate where that "
                   "NPV is 0, = (1 + monthly IRR)^12 - 1. Levelized unit costs (usd_per_...): PV of "
                   "total_cost_usd / PV of the quantity (gpu_hours, it_energy_mwh, tokens), both monthly. "
                   "Payback: from the cumulative monthly flows (linear within a month), in years from project "
                   "start (month 0), the build included. The CashFlow years discounted at year end do not "
                   "give these figures (they move a flow by up to 11 months).",
    "electricity": "opex_electricity_usd of month m (m = 0 at project start, January of year 1): the "
                   "Assumptions sheet's bill of calendar month (m mod 12), x (1 + electricity_escalation_frac)"
                   "^(calendar year - 1) x electricity_cost_mult x the deployed share of the fleet (phases), "
                   "from operations_start_month on. With on-site PV that ages (pv_degradation_frac_per_year), "
                   "the bill is the one at the PV's age in that month, in whole years since "
                   "placed_in_service_month: rows electricity_pv_ageNN_monthMM_usd (age 1 = "
                   "electricity_year1_monthMM_usd).",
    "monthly": "Monthly rows sum to the CashFlow years; depreciation, taxable income and income tax are "
               "annual figures spread as 1/12 per month (equal monthly instalments); the residual value, "
               "its tax basis and gain are in the last month.",
    "shares": "Shares: nominal pre-tax capex + opex by category, before the residual value: they sum "
              "to total_capex_usd + total_opex_usd, not to tco_usd (which nets the residual).",
    "montecarlo": "MonteCarlo: row pXX is the XX-th percentile of the draws (XX % of draws at or below "
                  "it), not the 'P90 = exceeded with 90 % probability' convention: for NPV the downside "
                  "is p10, for costs (tco_pv_usd, usd_per_...) it is p90. mean = mean of the draws; "
                  "n_nonfinite = draws with no finite value (a unit cost with no output to divide by), "
                  "which leave that column's percentiles and mean empty.",
}
#: Note for a summary figure that is None (does not exist).
_NONE_NOTES = {"payback_years": "not paid back within the horizon",
               "discounted_payback_years": "not paid back within the horizon (discounted)",
               "tokens_per_j_it": "no IT energy given",
               "tokens_per_j_facility": "no facility energy given (run_tco facility_energy_kwh)",
               "electricity_usd_per_mwh_facility": "no facility energy given (run_tco facility_energy_kwh)",
               "usd_per_gpu_hour": "undefined: no GPU-hours over the horizon to divide by",
               "usd_per_mwh_it": "undefined: no IT energy over the horizon to divide by",
               "usd_per_million_tokens": "undefined: no tokens over the horizon to divide by"}
#: Sheets written only when given (their CSVs from an earlier export are removed otherwise).
OPTIONAL_SHEETS = ("Sensitivity", "MonteCarlo")


def workbook_frames(result: TcoResult, tornado: pd.DataFrame | None = None,
                    mc_percentiles: pd.DataFrame | None = None, title: str = "") -> dict[str, pd.DataFrame]:
    """The sheets as DataFrames, in order (what :func:`write_workbook` writes)."""
    about = pd.DataFrame({"item": ["title", "cells", "note", *CONVENTIONS],
                          "text": [title or "TCO", "values (no formulas)", ABOUT, *CONVENTIONS.values()]})
    cash = result.annual.copy()
    cash.insert(0, "unit", [LINES[k][0] for k in cash.index])
    cash.columns = ["unit"] + [f"year_{c}" for c in result.annual.columns]

    def value(k):
        # inf / NaN (a unit cost with no output to divide by) is an empty cell, as in
        # results.json (null): Excel would get the text "inf" in a numeric column
        v = result.summary[k]
        return None if v is None or not math.isfinite(v) else v

    def note(k):
        v = result.summary[k]
        if k == "irr_frac":
            return result.irr_reason
        if v is None:
            return _NONE_NOTES.get(k, "does not exist")
        if not math.isfinite(v):
            return f"undefined (computed {v}: no output over the horizon to divide by)"
        return ""

    summary = pd.DataFrame({
        "key": list(result.summary),
        "label": [SUMMARY_LABELS.get(k, "") for k in result.summary],
        "value": [value(k) for k in result.summary],
        "unit": [result.units.get(k, "") for k in result.summary],
        "note": [note(k) for k in result.summary],
    })
    shares = result.shares.reset_index()
    shares["industry_low_frac"] = [INDUSTRY_SHARES.get(c, (None, None))[0] for c in shares["category"]]
    shares["industry_high_frac"] = [INDUSTRY_SHARES.get(c, (None, None))[1] for c in shares["category"]]
    frames = {"About": about, "Assumptions": result.assumptions, "CashFlow": cash,
              "Monthly": result.monthly, "Summary": summary, "Shares": shares}
    extra = []                                    # (item, text) rows for the About sheet
    if tornado is not None:
        frames["Sensitivity"], text = _sensitivity(tornado)
        extra.append(("sensitivity", text))
    if mc_percentiles is not None:
        frames["MonteCarlo"], notes = _montecarlo(mc_percentiles)
        extra += notes
    if extra:
        about = pd.concat([about, pd.DataFrame(extra, columns=["item", "text"])], ignore_index=True)
        frames["About"] = about
    if mc_percentiles is not None:
        prov = mc_percentiles.attrs.get("monte_carlo")
        if prov:  # how to reproduce the Monte Carlo sheet
            seed = str(prov.get("seed", ""))
            if prov.get("seed_from", "caller") != "caller":  # e.g. drawn from the caller's Generator
                seed += f" (drawn from the {prov['seed_from']}; pass seed={seed} to repeat the draws)"
            about = pd.concat([about, pd.DataFrame({
                "item": ["montecarlo_n_draws", "montecarlo_seed", "montecarlo_streams",
                         "montecarlo_distributions"],
                "text": [str(prov.get("n_draws", "")), seed, str(prov.get("streams", "")),
                         "; ".join(f"{k}: {v}" for k, v in prov.get("distributions", {}).items())]})],
                ignore_index=True)
            frames["About"] = about
    return frames


_UNDEFINED = "undefined (no output over the horizon to divide by): {}"


def _finite_or_empty(df: pd.DataFrame, cols) -> pd.DataFrame:
    """``df`` with every non-finite number of ``cols`` as NaN (an empty cell in xlsx and CSV)."""
    out = df.copy()
    for c in cols:
        v = pd.to_numeric(out[c], errors="coerce").astype(float)
        out[c] = v.where(np.isfinite(v))
    return out


def _sensitivity(tornado: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The Sensitivity sheet (empty cells and a ``note`` where a metric is undefined) and
    its About text (which figure it measures, in which unit)."""
    cols = [c for c in ("low", "high", "base", "metric_at_low", "metric_at_high", "base_metric", "swing")
            if c in tornado.columns]
    notes = []
    for _, row in tornado.iterrows():
        bad = [c for c in cols
               if not (isinstance(row[c], (int, float, np.number)) and math.isfinite(row[c]))]
        notes.append(_UNDEFINED.format(", ".join(bad)) if bad else "")
    out = _finite_or_empty(tornado, cols)
    out["note"] = notes
    meta = tornado.attrs.get("metric", {})
    key = meta.get("key") or (str(tornado["metric"].iloc[0]) if "metric" in tornado.columns and len(tornado)
                              else "")
    if not key:
        return out, "Sensitivity: the metric was not recorded (a tornado frame without a metric column)."
    unit = meta.get("unit") or summary_unit(key)
    label = meta.get("label") or SUMMARY_LABELS.get(key, key)
    return out, (f"Sensitivity: metric {key} [{unit}], {label}. Each input at its low and its high value, "
                 "the others at base; metric_at_low, metric_at_high and base_metric are that figure, "
                 "swing = |metric_at_high - metric_at_low|; low, high and base are the input's values in "
                 "its unit (column unit). An empty cell is a figure that does not exist (note column).")


def _montecarlo(pct: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """The MonteCarlo sheet (no ``inf`` text: a metric with non-finite draws is an empty
    column) and About rows: the unit of each column, and why a column is empty."""
    stats_rows = [i for i in pct.index if i != "n_nonfinite"]
    out = pct.copy()
    bad = [c for c in out.columns
           if not np.isfinite(pd.to_numeric(out.loc[stats_rows, c], errors="coerce").astype(float)).all()]
    out.loc[stats_rows, bad] = np.nan           # consistent: no mean where the percentiles are empty
    n = pct.attrs.get("monte_carlo", {}).get("n_draws")
    why = []
    for c in bad:
        k = pct.loc["n_nonfinite", c] if "n_nonfinite" in pct.index else None
        count = (f"{k:g} of {n} draws" if n else f"{k:g} draws") if k is not None and k == k else "some draws"
        why.append(f"{c}: {count} not finite (no output over the horizon to divide by), so its "
                   "percentiles and mean are empty")
    rows = [("montecarlo_units", "; ".join(f"{c} [{summary_unit(c) or '-'}]" for c in out.columns))]
    if why:
        rows.append(("montecarlo_nonfinite", "; ".join(why)))
    return out, rows


def _prepare(path: Path, suffix: str, write) -> str:
    """Write ``path``'s content to a new temporary file next to it, flushed to disk.

    Returns the temporary name; on failure nothing is left behind.
    """
    if not path.parent.is_dir():
        raise InputError(f"folder {str(path.parent)!r} does not exist", field="path")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file normal permissions
        write(tmp)
        # flush the data before the rename: without it a crash soon after os.replace can
        # leave an empty file where the previous good export was (delayed allocation)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return tmp


def _atomic(path: Path, suffix: str, write) -> Path:
    path = Path(path)
    tmp = _prepare(path, suffix, write)
    try:
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return path


def _write_xlsx(frames: dict[str, pd.DataFrame], path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"workbook name must end in .xlsx, got {path.name!r}", field="path")

    def write(tmp):
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in frames.items():
                keep_index = name in ("CashFlow", "Monthly", "MonteCarlo")
                df.to_excel(xw, sheet_name=name, index=keep_index)
                ws = xw.sheets[name]
                ws.column_dimensions["A"].width = 34
                if name in ("CashFlow", "Monthly"):
                    ws["A1"].comment = Comment(CELLS_NOTE, "dcplan")
                if name == "MonteCarlo":  # an empty column says why on its header cell
                    rows = [i for i in df.index if i != "n_nonfinite"]
                    for j, c in enumerate(df.columns, start=2):
                        if df.loc[rows, c].isna().all():
                            ws.cell(row=1, column=j).comment = Comment(
                                f"{c}: no finite draws to summarise (see the About sheet, "
                                "montecarlo_nonfinite, and the n_nonfinite row)", "dcplan")
    return _atomic(path, ".tmp.xlsx", write)


def write_workbook(result: TcoResult, path, *, tornado=None, mc_percentiles=None, title: str = "") -> Path:
    """Write the ``.xlsx`` workbook atomically (temp file in the same folder + ``os.replace``).

    Returns the path written. To write the CSV set too, use :func:`write_export` (one
    call, the same frames and title for both).
    """
    return _write_xlsx(workbook_frames(result, tornado, mc_percentiles, title), path)


def _write_csv_set(frames: dict[str, pd.DataFrame], folder, stem: str) -> list[Path]:
    folder = Path(folder)
    targets = [(folder / f"{stem}_{name.lower()}.csv", df, name in ("CashFlow", "Monthly", "MonteCarlo"))
               for name, df in frames.items()]
    tmps: list[str] = []
    try:
        for p, df, keep_index in targets:
            tmps.append(_prepare(p, ".tmp.csv", lambda tmp, df=df, k=keep_index: df.to_csv(tmp, index=k)))
    except BaseException:
        for t in tmps:
            if os.path.exists(t):
                os.unlink(t)
        raise
    try:
        for (p, _, _), t in zip(targets, tmps):
            os.replace(t, p)
    finally:  # a failed rename (e.g. a target that is a folder) leaves no temporary files
        for t in tmps:
            if os.path.exists(t):
                os.unlink(t)
    for name in OPTIONAL_SHEETS:
        if name not in frames:
            stale = folder / f"{stem}_{name.lower()}.csv"
            if stale.is_file():
                stale.unlink()
    _fsync_dir(folder)
    return [p for p, _, _ in targets]


def write_csvs(result: TcoResult, folder, stem: str = "tco", *, tornado=None, mc_percentiles=None,
               title: str = "") -> list[Path]:
    """Write one CSV per sheet (``<stem>_<sheet>.csv``) as one set. Returns the paths.

    Every CSV is written to a temporary name and flushed first; only when all are
    written are they moved into place, so a failure leaves the previous set untouched.
    ``<stem>_sensitivity.csv`` / ``<stem>_montecarlo.csv`` left by an earlier export are
    removed when this export has no such sheet (they would describe another run).
    """
    return _write_csv_set(workbook_frames(result, tornado, mc_percentiles, title), folder, stem)


def write_export(result: TcoResult, folder, stem: str = "tco", *, tornado=None, mc_percentiles=None,
                 title: str = "") -> list[Path]:
    """Write the workbook ``<stem>.xlsx`` and the CSV set ``<stem>_<sheet>.csv`` into ``folder``.

    Both come from one :func:`workbook_frames` call, so they hold the same sheets, numbers
    and ``title`` (separate :func:`write_workbook` and :func:`write_csvs` calls could be
    given different ones). Each file is written atomically as those functions do.

    Returns
    -------
    list of Path
        The workbook first, then the CSVs.
    """
    frames = workbook_frames(result, tornado, mc_percentiles, title)
    folder = Path(folder)
    return [_write_xlsx(frames, folder / f"{stem}.xlsx"), *_write_csv_set(frames, folder, stem)]


def read_workbook(path) -> dict[str, pd.DataFrame]:
    """Read a workbook written by :func:`write_workbook` back into frames (for checks).

    ``CashFlow`` comes back indexed by ``line_item``, ``Monthly`` by ``month``,
    ``MonteCarlo`` by ``statistic``.
    """
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    for name, idx in (("CashFlow", "line_item"), ("Monthly", "month"), ("MonteCarlo", "statistic")):
        if name in sheets:
            sheets[name] = sheets[name].set_index(idx)
    return sheets
