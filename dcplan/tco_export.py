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
An export is one transaction, all or nothing (:func:`write_export`: the workbook, every
CSV and the removal of stale optional CSVs; :func:`write_csvs`: the CSV set;
:func:`write_workbook`: the workbook). Every new file is first written to a temporary
name in the target folder and flushed to disk (``fsync``); then every previous file is
renamed to a hidden backup name, the new files are renamed into place and the backups
deleted. If any step fails (a full disk, a file locked by Excel or immutable, a folder
where a file should be) the new files are removed and the backups renamed back: the
previous workbook and CSVs are left as they were, byte for byte, never half old, half
new, and no temporary or backup file remains. Only a crash in the middle of the renames
can leave previous files under hidden ``.<name>.<random>.bak`` names. The optional
sheets' CSVs (``sensitivity``, ``montecarlo``) of an earlier export with the same stem
are removed when this export has no such sheet, so the folder never mixes two runs. A
bad folder, stem or path, or a locked target, is an :class:`~dcplan.errors.InputError`
naming it.

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
``title``) in one transaction, so the two cannot differ; :func:`write_workbook` and
:func:`write_csvs` write one of them.
"""
from __future__ import annotations

import errno
import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.comments import Comment

from .errors import DcplanError, InputError
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


# ---------------------------------------------------------------------------
# writing: every export (one workbook, one CSV set, or both) is one transaction

#: Characters :func:`tempfile.mkstemp` puts between the prefix and the suffix of a name.
_RANDOM_CHARS = 8
_TMP_SUFFIX = {".xlsx": ".tmp.xlsx", ".csv": ".tmp.csv"}
_BAK_SUFFIX = ".bak"
#: errno values meaning "this folder or file may not be written" (bad input, not a failing disk).
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS, errno.EBUSY, getattr(errno, "ETXTBSY", errno.EBUSY)}
#: Longest file name in bytes where the file system does not say (ext4, NTFS, APFS: 255).
_NAME_MAX_DEFAULT = 255


def _as_path(value, field: str, what: str) -> Path:
    """``value`` as a :class:`~pathlib.Path`, or an :class:`InputError` naming ``field``."""
    if not isinstance(value, (str, os.PathLike)):
        raise InputError(f"{what} must be a path (str or os.PathLike), got {value!r} "
                         f"({type(value).__name__})", field=field)
    return Path(value)


def _check_folder(folder: Path, field: str) -> None:
    """Raise an :class:`InputError` unless ``folder`` is an existing folder."""
    if folder.is_dir():
        return
    for f in (folder, *folder.parents):  # 'report.xlsx/tco' names a file as a folder
        if f.exists() and not f.is_dir():
            raise InputError(f"{str(f)!r} is a file, not a folder; give the folder to write the export "
                             "into", field=field)
    raise InputError(f"folder {str(folder)!r} does not exist; create it first", field=field)


def _check_stem(stem) -> None:
    """Raise an :class:`InputError` unless ``stem`` is a non-empty plain file-name prefix."""
    if not isinstance(stem, str):
        raise InputError(f"stem must be a str (the file name prefix), got {stem!r} ({type(stem).__name__})",
                         field="stem")
    if not stem:
        raise InputError("stem must be a non-empty file name prefix (the files are <stem>.xlsx and "
                         "<stem>_<sheet>.csv), got ''", field="stem")
    if any(c in stem for c in {"/", "\0", os.sep, os.altsep} - {None}):
        raise InputError(f"stem must be a file name prefix, without a folder separator or NUL character, "
                         f"got {stem!r}; give the folder as the folder argument", field="stem")


def _brief(text: str, n: int = 40) -> str:
    """``repr`` of ``text``, its first ``n`` characters and '...' if longer."""
    return repr(text) if len(text) <= n else repr(text[:n]) + "..."


def _name_max(folder: Path) -> int:
    """Longest file name ``folder``'s file system allows [bytes]."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):  # no pathconf (Windows) or no answer
        return _NAME_MAX_DEFAULT


def _work_name_bytes(path: Path) -> int:
    """Length of the longest name written next to ``path`` (its temporary or backup name) [bytes]."""
    suffix = max(_TMP_SUFFIX[path.suffix.lower()], _BAK_SUFFIX, key=len)
    return len(os.fsencode(f".{path.name}.")) + _RANDOM_CHARS + len(suffix)


def _prepare(path: Path, write) -> str:
    """Write ``path``'s content to a new temporary file next to it, flushed to disk.

    Returns the temporary name; on failure nothing is left behind.
    """
    suffix = _TMP_SUFFIX[path.suffix.lower()]
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


def _move_aside(path: Path) -> str:
    """Rename ``path`` to a new hidden backup name in its folder; returns that name."""
    fd, bak = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_BAK_SUFFIX)
    os.close(fd)
    try:
        os.replace(path, bak)
    except BaseException:
        os.unlink(bak)
        raise
    return bak


def _denied(exc: BaseException, folder: Path, target: Path, phase: str, field: str) -> BaseException:
    """The error to raise for ``exc``, raised in ``phase`` (``"write"`` ``target``'s temporary
    file, ``"replace"`` or ``"remove"`` ``target``): an :class:`InputError` naming the
    user's folder or file when the system refused, else ``exc`` itself."""
    code = exc.errno if isinstance(exc, OSError) else None
    if code == errno.ENAMETOOLONG:
        return InputError(f"file name {_brief(target.name)} is too long for this file system (dcplan also "
                          "writes a temporary '.<name>.<8 characters>.tmp<ext>' next to it); use a shorter "
                          "name", field=field)
    if code not in _DENIED:
        return exc
    if phase == "write":
        return InputError(f"cannot write in folder {str(folder)!r}: permission denied ({exc.strerror}); "
                          "choose a folder you can write to, or make this one writable", field=field)
    what = "" if phase == "replace" else " (an optional sheet of an earlier export, absent from this one)"
    return InputError(f"cannot {phase} {str(target)!r}{what}: the file is locked or protected "
                      f"({exc.strerror}), e.g. open in Excel, read-only or immutable; close or unlock it "
                      "and export again (the previous export is unchanged)", field=field)


def _roll_back(backups: list[tuple[Path, str]], placed: list[Path]) -> list[str]:
    """Undo a partial commit: remove the new files, put the backups back.

    Returns a description of every previous file that could not be restored (and where it is).
    """
    had_backup = {p for p, _ in backups}
    for p in placed:
        if p not in had_backup:  # a new file where there was none
            try:
                os.unlink(p)
            except OSError:
                pass
    lost = []
    for p, bak in reversed(backups):
        try:
            os.replace(bak, p)  # also removes the new file placed there
        except OSError as exc:
            lost.append(f"{str(p)!r} (kept as {bak!r}: {exc.strerror or exc})")
    return lost


def _write_set(folder: Path, files: list, stale: list[Path], field: str, name_arg: str) -> None:
    """Write ``files`` (``(path, write)``; ``write(tmp)`` fills a temporary file) into
    ``folder`` and remove ``stale``, as one transaction: all or nothing.

    1. every new file is written to a temporary name in ``folder`` and flushed;
    2. every existing target (and every stale file) is renamed to a hidden backup name;
    3. every temporary file is renamed into place;
    4. the backups are deleted (which removes the stale files).

    If step 1, 2 or 3 fails, the new files are removed, the backups renamed back and the
    temporary files deleted: the previous files are as they were, byte for byte, and no
    hidden file is left. Only a crash (power loss, ``kill -9``) in steps 2 to 4 can leave
    previous files under hidden ``.<name>.<random>.bak`` names.

    Raises
    ------
    InputError
        A target is a folder (the message suggests another ``name_arg``), ``folder`` is
        not writable (``field`` names its argument) or a target is locked or protected.
    DcplanError
        The export failed and a previous file could not be put back (the message says where it is).
    """
    for p, _ in files:
        if p.is_dir():
            raise InputError(f"{str(p)!r} is a folder, not a file: the export writes {p.name!r} there; "
                             f"rename or remove that folder, or choose another {name_arg}")
    stale = [s for s in stale if s.is_file()]
    tmps: dict[Path, str] = {}
    backups: list[tuple[Path, str]] = []
    placed: list[Path] = []
    phase = "write"
    try:
        for target, write in files:
            tmps[target] = _prepare(target, write)
        for target in [*tmps, *stale]:
            phase = "remove" if target in stale else "replace"
            if os.path.lexists(target):
                backups.append((target, _move_aside(target)))
        phase = "replace"
        for target, tmp in tmps.items():
            os.replace(tmp, target)
            placed.append(target)
    except BaseException as exc:
        lost = _roll_back(backups, placed)
        if lost:
            raise DcplanError(f"export to {str(folder)!r} failed ({exc}) and the previous "
                              f"{'; '.join(lost)} could not be put back; rename it back by hand") from exc
        err = _denied(exc, folder, target, phase, field)
        if err is exc:
            raise
        raise err from exc
    finally:
        for tmp in tmps.values():
            if os.path.lexists(tmp):
                os.unlink(tmp)
    for _, bak in backups:
        try:
            os.unlink(bak)
        except OSError:  # committed: a backup that cannot go is only clutter
            pass
    _fsync_dir(folder)


def _xlsx_writer(frames: dict[str, pd.DataFrame]):
    """``write(tmp)`` that writes ``frames`` as an ``.xlsx`` workbook to ``tmp``."""
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
    return write


def _csv_files(frames: dict[str, pd.DataFrame], folder: Path, stem: str):
    """``(path, write)`` of each CSV of the set, and the stale optional CSVs to remove."""
    files = [(folder / f"{stem}_{name.lower()}.csv",
              lambda tmp, df=df, k=name in ("CashFlow", "Monthly", "MonteCarlo"): df.to_csv(tmp, index=k))
             for name, df in frames.items()]
    stale = [folder / f"{stem}_{name.lower()}.csv" for name in OPTIONAL_SHEETS if name not in frames]
    return files, stale


def _export(frames: dict[str, pd.DataFrame], folder, stem, workbook: bool) -> list[Path]:
    """Check ``folder`` and ``stem``, then write the CSV set (and the workbook, if
    ``workbook``) as one transaction. Returns the paths, the workbook first."""
    folder = _as_path(folder, "folder", "folder")
    _check_stem(stem)
    _check_folder(folder, "folder")
    files, stale = _csv_files(frames, folder, stem)
    if workbook:
        files.insert(0, (folder / f"{stem}.xlsx", _xlsx_writer(frames)))
    limit, p = _name_max(folder), max((p for p, _ in files), key=_work_name_bytes)
    if _work_name_bytes(p) > limit:
        tmp = f".{p.name.replace(stem, '<stem>', 1)}.<8 characters>{_TMP_SUFFIX[p.suffix]}"
        raise InputError(f"stem {_brief(stem)} ({len(stem)} characters) is too long: the temporary file "
                         f"{tmp!r} would have a {_work_name_bytes(p)}-byte name, over this file system's "
                         f"limit of {limit} bytes per name; shorten the stem by at least "
                         f"{_work_name_bytes(p) - limit} bytes (characters, if ASCII)", field="stem")
    _write_set(folder, files, stale, "folder", "stem")
    return [p for p, _ in files]


def write_workbook(result: TcoResult, path, *, tornado=None, mc_percentiles=None, title: str = "") -> Path:
    """Write the ``.xlsx`` workbook atomically (temporary file in the same folder, then renamed).

    To write the CSV set too, use :func:`write_export` (one call, the same frames and title
    for both, one transaction).

    Parameters
    ----------
    result : TcoResult
        The run to export.
    path : str or os.PathLike
        The workbook's file; must end in ``.xlsx``, in an existing folder.
    tornado, mc_percentiles : pandas.DataFrame, optional
        Sensitivity and Monte Carlo sheets (see :func:`workbook_frames`).
    title : str, default ""
        Title in the About sheet (``"TCO"`` when empty).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    InputError
        ``path`` is not a path, does not end in ``.xlsx``, is a folder, or is too long; its
        folder does not exist, is a file or is not writable; or the existing workbook is
        locked. The previous workbook is then unchanged.
    """
    path = _as_path(path, "path", "workbook path")
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"workbook name must end in .xlsx, got {path.name!r}", field="path")
    _check_folder(path.parent, "path")
    if path.is_dir():
        raise InputError(f"{str(path)!r} is an existing folder, not a file; give the path of the .xlsx file "
                         f"to write (e.g. {str(path / 'tco.xlsx')!r})", field="path")
    limit = _name_max(path.parent)
    if _work_name_bytes(path) > limit:
        raise InputError(f"file name {_brief(path.name)} is too long: dcplan writes it via a temporary name "
                         f"of {_work_name_bytes(path)} bytes, over this file system's limit of {limit} bytes "
                         "per name; use a shorter name", field="path")
    _write_set(path.parent, [(path, _xlsx_writer(workbook_frames(result, tornado, mc_percentiles, title)))],
               [], "path", "path")
    return path


def write_csvs(result: TcoResult, folder, stem: str = "tco", *, tornado=None, mc_percentiles=None,
               title: str = "") -> list[Path]:
    """Write one CSV per sheet (``<stem>_<sheet>.csv``) as one set, all or nothing.

    Every CSV is written to a temporary name and flushed first, then the set replaces the
    previous one as one transaction (see the module docstring): a failure leaves the
    previous set untouched. ``<stem>_sensitivity.csv`` / ``<stem>_montecarlo.csv`` left by
    an earlier export are removed when this export has no such sheet (they would describe
    another run).

    Parameters
    ----------
    result, folder, stem, tornado, mc_percentiles, title
        As for :func:`write_export`.

    Returns
    -------
    list of Path
        The CSVs written, in sheet order.

    Raises
    ------
    InputError
        As for :func:`write_export`; the previous set is then unchanged.
    """
    return _export(workbook_frames(result, tornado, mc_percentiles, title), folder, stem, workbook=False)


def write_export(result: TcoResult, folder, stem: str = "tco", *, tornado=None, mc_percentiles=None,
                 title: str = "") -> list[Path]:
    """Write the workbook ``<stem>.xlsx`` and the CSV set ``<stem>_<sheet>.csv`` into ``folder``.

    Both come from one :func:`workbook_frames` call, so they hold the same sheets, numbers
    and ``title`` (separate :func:`write_workbook` and :func:`write_csvs` calls could be
    given different ones). The workbook, the CSVs and the removal of stale optional CSVs
    are one transaction: if any file cannot be written or replaced, the previous workbook
    and CSVs are left as they were, byte for byte, and no temporary file remains.

    Parameters
    ----------
    result : TcoResult
        The run to export.
    folder : str or os.PathLike
        Existing folder to write into.
    stem : str, default "tco"
        File name prefix: non-empty, without a folder separator, short enough that
        ``.<stem>_<sheet>.csv.<8 characters>.tmp.csv`` fits the file system's name limit
        (255 bytes on ext4, NTFS, APFS).
    tornado, mc_percentiles : pandas.DataFrame, optional
        Sensitivity and Monte Carlo sheets (see :func:`workbook_frames`).
    title : str, default ""
        Title in the About sheet (``"TCO"`` when empty).

    Returns
    -------
    list of Path
        The workbook first, then the CSVs.

    Raises
    ------
    InputError
        ``folder`` is not a path, does not exist, is a file or is not writable; ``stem`` is
        empty, has a folder separator or is too long; a target name is a folder; or an
        existing file of the set is locked or protected. Nothing is changed then.
    """
    return _export(workbook_frames(result, tornado, mc_percentiles, title), folder, stem, workbook=True)


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
