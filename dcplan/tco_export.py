"""Finance export of a TCO run: one ``.xlsx`` workbook and CSV equivalents.

Sheets (and CSV files ``<stem>_<sheet>.csv``):

=============  ===========================================================================
``About``      what the workbook is; states that every cell is a **value** (no formulas)
``Assumptions`` every input: key, value, unit, description, source, status
``CashFlow``   annual cash flows: line items (rows) x calendar years (columns) [USD, ...]
``Monthly``    monthly cash flows: months (rows) x line items (columns)
``Summary``    key figures (NPV, IRR, payback, TCO, unit costs, shares) with units
``Shares``     cost by category and share, next to the industry ranges quoted
``Sensitivity`` tornado (one-at-a-time) table, when given
``MonteCarlo`` Monte Carlo percentiles, when given
=============  ===========================================================================

All cells are values written from the same objects the notebook publishes, so every
number equals the report's and ``results.json``'s: exactly in the CSV files (shortest
round-trip repr), and to 16 significant digits in the workbook (openpyxl writes numbers
with ``%.16g``; Excel itself keeps 15).
Files are written to a temporary name in the target folder and moved into place with
:func:`os.replace`, so a failed export never leaves a half-written file.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl.comments import Comment

from .errors import InputError
from .tco import INDUSTRY_SHARES, LINES, TcoResult

__all__ = ["workbook_frames", "write_workbook", "write_csvs", "read_workbook"]

CELLS_NOTE = "All cells are values computed by dcplan.tco (no formulas)."
ABOUT = ("dcplan TCO finance export. All cells are VALUES computed by dcplan.tco (no formulas); "
         "the cash-flow sheets are the model's frames. Money in nominal USD; end-of-year "
         "discounting; see the Assumptions sheet for every input with its unit and source.")


def workbook_frames(result: TcoResult, tornado: pd.DataFrame | None = None,
                    mc_percentiles: pd.DataFrame | None = None, title: str = "") -> dict[str, pd.DataFrame]:
    """The sheets as DataFrames, in order (what :func:`write_workbook` writes)."""
    about = pd.DataFrame({"item": ["title", "cells", "note"],
                          "text": [title or "TCO", "values (no formulas)", ABOUT]})
    cash = result.annual.copy()
    cash.insert(0, "unit", [LINES[k][0] for k in cash.index])
    cash.columns = ["unit"] + [f"year_{c}" for c in result.annual.columns]
    summary = pd.DataFrame({
        "key": list(result.summary),
        "value": [result.summary[k] for k in result.summary],
        "unit": [result.units.get(k, "") for k in result.summary],
        "note": [result.irr_reason if k == "irr_frac" else "" for k in result.summary],
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
    return frames


def _atomic(path: Path, suffix: str, write) -> Path:
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(f"folder {str(path.parent)!r} does not exist", field="path")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file normal permissions
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
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
    """Write one CSV per sheet (``<stem>_<sheet>.csv``), each atomically. Returns the paths."""
    folder = Path(folder)
    out = []
    for name, df in workbook_frames(result, tornado, mc_percentiles, title).items():
        keep_index = name in ("CashFlow", "Monthly", "MonteCarlo")
        p = folder / f"{stem}_{name.lower()}.csv"
        out.append(_atomic(p, ".tmp.csv", lambda tmp, df=df, k=keep_index: df.to_csv(tmp, index=k)))
    return out


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
