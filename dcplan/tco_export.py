"""Finance export of a TCO run: one ``.xlsx`` workbook and CSV equivalents.

Sheets (and CSV files ``<stem>_<sheet>.csv``):

=============  ===========================================================================
``About``      what the workbook is; states that every cell is a **value** (no formulas)
``Assumptions`` every input: key, value, unit, description, source, vintage, status
``CashFlow``   annual cash flows: line items (rows) x calendar years (columns) [USD, ...]
``Monthly``    monthly cash flows: months (rows) x line items (columns)
``Summary``    key figures (NPV, IRR, payback, TCO, unit costs, shares) with units
``Shares``     cost by category and share, next to the industry ranges quoted
``Sensitivity`` tornado (one-at-a-time) table, when given
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

Conventions stated in the ``About`` sheet: signs (costs, tax and capex positive; net
cash flow positive = money in), discounting, what the Monte Carlo ``pXX`` rows mean,
why the shares do not sum to ``tco_usd``.
"""
from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl.comments import Comment

from .errors import InputError
from .report_files import _fsync_dir  # the project's durable-rename helper
from .tco import INDUSTRY_SHARES, LINES, SUMMARY_LABELS, TcoResult

__all__ = ["workbook_frames", "write_workbook", "write_csvs", "read_workbook"]

CELLS_NOTE = "All cells are values computed by dcplan.tco (no formulas)."
ABOUT = ("dcplan TCO finance export. All cells are VALUES computed by dcplan.tco (no formulas); "
         "the cash-flow sheets are the model's frames. Money in nominal USD; end-of-year "
         "discounting; see the Assumptions sheet for every input with its unit and source.")
#: Conventions a finance reader needs to reconcile the sheets (rows of the About sheet).
CONVENTIONS = {
    "signs": "CashFlow and Monthly: capex, opex, residual_value, revenue and depreciation are "
             "positive amounts; income_tax_usd > 0 is tax paid, < 0 a tax saving; "
             "net_cash_flow_usd = revenue + residual_value - total_capex - total_opex - income_tax "
             "(> 0 = money in). total_cost_usd = total_capex + total_opex - residual_value.",
    "discounting": "NPV = sum over years y = 1..H of net_cash_flow_usd(year_y) / (1 + discount_rate_frac)^y "
                   "(end of year; nothing at t = 0); IRR is the rate where that NPV is 0; payback counts "
                   "years from project start (month 0), the build included.",
    "monthly": "Monthly rows sum to the CashFlow years; depreciation and income tax are annual "
               "figures spread as 1/12 per month; the residual value is in the last month.",
    "shares": "Shares: nominal pre-tax capex + opex by category, before the residual value: they sum "
              "to total_capex_usd + total_opex_usd, not to tco_usd (which nets the residual).",
    "montecarlo": "MonteCarlo: row pXX is the XX-th percentile of the draws (XX % of draws at or below "
                  "it), not the 'P90 = exceeded with 90 % probability' convention: for NPV the downside "
                  "is p10, for costs (tco_pv_usd, usd_per_...) it is p90. mean = mean of the draws.",
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
    if tornado is not None:
        frames["Sensitivity"] = tornado
    if mc_percentiles is not None:
        frames["MonteCarlo"] = mc_percentiles
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


def write_workbook(result: TcoResult, path, *, tornado=None, mc_percentiles=None, title: str = "") -> Path:
    """Write the ``.xlsx`` workbook atomically (temp file in the same folder + ``os.replace``).

    Returns the path written.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"workbook name must end in .xlsx, got {path.name!r}", field="path")
    frames = workbook_frames(result, tornado, mc_percentiles, title)

    def write(tmp):
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in frames.items():
                keep_index = name in ("CashFlow", "Monthly", "MonteCarlo")
                df.to_excel(xw, sheet_name=name, index=keep_index)
                ws = xw.sheets[name]
                ws.column_dimensions["A"].width = 34
                if name in ("CashFlow", "Monthly"):
                    ws["A1"].comment = Comment(CELLS_NOTE, "dcplan")
    return _atomic(path, ".tmp.xlsx", write)


def write_csvs(result: TcoResult, folder, stem: str = "tco", *, tornado=None, mc_percentiles=None,
               title: str = "") -> list[Path]:
    """Write one CSV per sheet (``<stem>_<sheet>.csv``) as one set. Returns the paths.

    Every CSV is written to a temporary name and flushed first; only when all are
    written are they moved into place, so a failure leaves the previous set untouched.
    ``<stem>_sensitivity.csv`` / ``<stem>_montecarlo.csv`` left by an earlier export are
    removed when this export has no such sheet (they would describe another run).
    """
    folder = Path(folder)
    frames = workbook_frames(result, tornado, mc_percentiles, title)
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
