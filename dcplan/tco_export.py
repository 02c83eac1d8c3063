"""Finance export of a TCO run: one ``.xlsx`` workbook and CSV equivalents.

Sheets (and CSV files ``<stem>_<sheet>.csv``):

===============  =========================================================================
``About``        what the workbook is (every cell is a **value**, no formulas); ``sheets``: what each
                 sheet is; ``spreadsheet_check``: the spreadsheet formulas, with this workbook's cell
                 addresses, that give the Summary's NPV and IRR (``NPV``, and ``IRR`` with its guess); the case:
                 ``site``, ``fleet``, ``scenario``, ``delay_months``, ``live_fleet_frac``; one
                 ``caveat_<key>`` row per caveat the notebook states about the inputs (e.g. the
                 IT price note); ``npv_vs_montecarlo`` (the Monte Carlo's NPV beside the base
                 case's); the number formats; the conventions
``Assumptions``  every input: key, value, unit, description, source, vintage, status; a dated case's
                 ``fleet_start`` and ``calendar_start_month`` as the month itself (unit ``YYYY-MM``: a date
                 in the workbook, the text ``2026-10`` in the CSV; :mod:`dcplan.tco_export_dates`)
``CashFlow``     annual cash flows: line items (rows) x project years (columns) [USD, ...],
                 the readable summary (sums of the months), with the tax reconciliation rows
                 (``residual_tax_basis_usd``, ``residual_gain_usd``, ``taxable_income_usd``); a
                 first row ``note`` (text in ``unit``, :data:`CASHFLOW_NOTE`): NPV and IRR are
                 the monthly flows', not these annual totals, and which rows total others
                 (:data:`CASHFLOW_TOTALS`, bold in the workbook: a SUM down a column leaves them out)
``Monthly``      monthly cash flows: months (rows) x line items (columns); the figures are
                 discounted month by month (end of month). A dated case (``TcoInputs.fleet_start``)
                 has a first column ``calendar_month`` naming each month (``2026-07``), and the
                 About sheet's ``calendar`` row the months of each project year
``Depreciation`` the tax depreciation by asset class and purchase placed in service (each IT refresh a
                 new purchase, and the refresh's write-off of the basis the replaced one has left two rows
                 of its own: the year of disposition's depreciation and the loss on disposal): placed in
                 service (a date in the workbook), basis, method, convention, life, bonus share, then one
                 column per project (= tax) year as the CashFlow's and the basis left at the horizon; a
                 first ``note`` row and a last ``total`` row whose years are the CashFlow's
                 ``depreciation_usd`` (:mod:`dcplan.tco_depreciation_table`; needs
                 ``TcoResult.depreciation``)
``Summary``      the case (site, fleet, scenario, grid delay used, share of the fleet not
                 delayed), the caveats, then the key figures (NPV, IRR, payback, TCO, unit
                 costs, shares) with units; with a Monte Carlo, its NPV 10th/50th/90th
                 percentiles and P(NPV < 0) right after the NPV, whose note gives the median;
                 then the further figures the report publishes (``figures``: e.g. the NPV and
                 IRR at the site's median grid delay), as numbers with units
``Shares``       cost by category and share, next to the industry ranges quoted, with their
                 source and verification status
``Sensitivity``  tornado (one-at-a-time) table, when given; its ``metric`` and ``metric_unit``
                 columns (and the About sheet) say which figure it measures; ``range_source`` and
                 ``range_status`` where each input's low and high come from (a site's own range: its
                 field, ends and source) and how well sourced they are (a tornado of
                 :func:`dcplan.tco_uncertainty.tornado` records them); ``note`` why a figure is empty
                 or a swing reads 0
``MonteCarlo``   Monte Carlo percentiles, when given (the About sheet then records the draws,
                 the seed, how each input's random stream derives from it, and the distributions;
                 the TCO columns' header cells say why their draws sit below the base case's:
                 :data:`MC_HORIZON_NOTE`)
``Provenance``   in a ``dcplan render`` run: the run's record (:mod:`dcplan.report_provenance`), the
                 workbook's last sheet; its CSV twin lets a reader given only the CSVs check the run too
===============  =========================================================================

Summary rows that describe the case hold their text in ``note``: the site, the scenario and a caveat
with an empty ``value``, the fleet with its accelerators as ``value`` (unit ``accelerators``), so the
``value`` column holds only numbers. An export that holds the figures of the case at the site's median
grid delay (``figures``: ``*_grid_delay_p50``) without its cash flows names, in the About row
``grid_delay_p50_workbook``, the command whose workbook holds them (``median_delay_workbook``).

All cells are values written from the same objects the notebook publishes, so every
number equals the report's and ``results.json``'s: exactly in the CSV files (shortest
round-trip repr), and to 16 significant digits in the workbook (openpyxl writes numbers
with ``%.16g``; Excel itself keeps 15). The workbook *shows* each number with a format by
its unit (USD ``#,##0``, percent ``0.0%``...: :mod:`dcplan.tco_export_xlsx`); the stored
value is the full one.
An export is one transaction, all or nothing (:func:`write_export`: the workbook, every
CSV and the removal of stale optional CSVs; :func:`write_csvs`: the CSV set;
:func:`write_workbook`: the workbook; :func:`dcplan.tco_export_files.write_set`). Every new
file is first written to a temporary name in the target folder and flushed to disk
(``fsync``); then every previous file is renamed to a hidden backup name, the new files are
renamed into place and the backups deleted. If any step fails (a full disk, a file locked by
Excel or immutable, a folder where a file should be) the new files are removed and the
backups renamed back: the previous workbook and CSVs are left as they were, byte for byte,
never half old, half new, and no temporary or backup file remains. Only a crash in the
middle of the renames can leave previous files under hidden ``.<name>.<random>.bak`` names.
The optional sheets' CSVs (:data:`OPTIONAL_SHEETS`) of an earlier export with the
same stem are removed when this export has no such sheet, so the folder never mixes two
runs. A bad folder, stem or path, or a locked target, is an
:class:`~dcplan.errors.InputError` naming it.

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
``title``, one case description) in one transaction, so the two cannot differ;
:func:`write_workbook` and :func:`write_csvs` write one of them.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .export_text import write_csv
from .tco import INDUSTRY_SHARES, LINES, SUMMARY_LABELS, TcoResult, summary_unit
from .tco_labels import summary_label
from .tco_export_files import (TMP_SUFFIX, as_path, brief, check_folder, check_stem, name_max, work_name_bytes,
                               write_set)
from .tco_export_case import (CASE_KEYS, about_text, caveat_figures, case_rows, check_parameters_unchanged,
                              figure_rows, mc_rows, median_delay_workbook, run_parameters)
# the export's fixed texts, in their own module (dcplan.tco_export_text); re-exported here, where they were
from .tco_export_text import (ABOUT, CASHFLOW_NOTE, CASHFLOW_TOTALS, CONVENTIONS, EVEN_SPREAD_LINES,
                              EVEN_SPREAD_SUFFIX, FORMATS_NOTE, INDUSTRY_SHARE_SOURCES, MC_HORIZON_NOTE, none_reason,
                              sheets_text, spreadsheet_check_text)
from .tco_export_xlsx import CELLS_NOTE, INDEXED, NOTE_ROW, xlsx_writer
from .tco_export_dates import assumptions_frame, month_text_back
from .tco_depreciation_table import depreciation_sheet
from .tco_tax_schedule import shift_text

__all__ = ["workbook_frames", "write_workbook", "write_csvs", "write_export", "read_workbook",
           "INDUSTRY_SHARE_SOURCES", "none_reason", "run_parameters", "check_parameters_unchanged",
           "caveat_figures", "MC_HORIZON_NOTE", "CASHFLOW_NOTE", "TOKEN_KEYS", "median_delay_workbook"]

#: The summary figures counted in tokens: their labels carry ``token_caveat`` (:func:`write_export`).
TOKEN_KEYS = ("usd_per_million_tokens", "tokens_per_j_it", "tokens_per_j_facility")
#: Sheets written only when given (their CSVs from an earlier export are removed otherwise): the
#: Depreciation sheet needs ``TcoResult.depreciation``, the Provenance sheet a ``dcplan render`` run.
OPTIONAL_SHEETS = ("Depreciation", "Sensitivity", "MonteCarlo", "Provenance")
def _distribution_text(d) -> str:
    """A Monte Carlo distribution for the About sheet: its tuple, except a ``quantiles`` table
    (a site's grid delay: 199 points, :func:`dcplan.tco_uncertainty.site_delay_distribution`,
    reproducible from the site file), summarised by its 10th, 50th and 90th percentiles and range."""
    if not (isinstance(d, (tuple, list)) and len(d) == 3 and d[0] == "quantiles"):
        return str(d)
    probs, vals = np.asarray(d[1], dtype=float), np.asarray(d[2], dtype=float)
    p10, p50, p90 = np.interp([0.1, 0.5, 0.9], probs, vals)
    return (f"('quantiles': inverse CDF through {len(probs)} points, p{probs[0] * 100:g} to p{probs[-1] * 100:g}; "
            f"10th/50th/90th percentile {p10:.4g} / {p50:.4g} / {p90:.4g}, range {vals[0]:.4g} to {vals[-1]:.4g})")


def _calendar_text(cal) -> str:
    """The About sheet's ``calendar`` row: which calendar months the months and years are."""
    if cal is None:
        return ("undated case (no fleet start date given): month 1 is billed as a January, and months and years "
                "are counted from the project start")
    years = ", ".join(f"year_{i + 1} = {cal[12 * i]} to {cal[12 * i + 11]}" for i in range(len(cal) // 12))
    return (f"month 1 (the project start) is {cal[0]}, month m is {cal[0]} + (m - 1) months (Monthly "
            f"calendar_month: in the workbook a date, the month's first day shown yyyy-mm; in the CSV the text "
            f"YYYY-MM): the fleet's first start is month build_months + 1. Years are project years of 12 "
            f"months from the project start, not calendar years (escalation and tax years follow them): {years}")


def workbook_frames(result: TcoResult, tornado: pd.DataFrame | None = None,
                    mc_percentiles: pd.DataFrame | None = None, title: str = "", *, site: str | None = None,
                    fleet=None, scenario: str | None = None, delay_months: float | None = None,
                    notes: Mapping[str, str] | None = None,
                    mc_prob_npv_negative_frac: float | None = None,
                    figures: Mapping[str, tuple] | None = None, npv_caveat: str = "",
                    token_caveat: str = "", median_workbook: str = "", ranges=None) -> dict[str, pd.DataFrame]:
    """The sheets as DataFrames, in order (what :func:`write_workbook` writes).

    The keyword arguments describe the case and its caveats (see :func:`write_export`).
    """
    case = case_rows(result, site, fleet, scenario, delay_months, notes, ranges)
    mcr, npv_note = mc_rows(result, mc_percentiles, mc_prob_npv_negative_frac, scenario)
    if npv_caveat:  # what the NPV headlines rest on, as the report's labels say it
        mcr = [(k, f"{lab}; {npv_caveat}" if k == "mc_npv_p50_usd" else lab, *r) for k, lab, *r in mcr]
    mcr = mcr + figure_rows(figures, taken=set(result.summary) | {r[0] for r in case + mcr})
    about = pd.DataFrame(
        [("title", title or "TCO")]
        + [(k if k in CASE_KEYS else f"caveat_{k}", about_text(v, u, n)) for k, _, v, u, n in case]
        + ([("npv_vs_montecarlo", npv_note)] if npv_note else [])
        + ([("grid_delay_p50_workbook", median_workbook)] if median_workbook else [])
        + [(k, n) for k, _, v, _, n in mcr if v is None and k.startswith("montecarlo_")]
        + [("cells", "values (no formulas)"), ("note", ABOUT), ("number_formats", FORMATS_NOTE),
           ("calendar", _calendar_text(getattr(result, "calendar_months", None))),
           *CONVENTIONS.items()], columns=["item", "text"])
    cash = result.annual.copy()
    cash.insert(0, "unit", [LINES[k][0] for k in cash.index])
    cash.columns = ["unit"] + [f"year_{c}" for c in result.annual.columns]
    # the sheet's first row says the NPV and IRR are not those of its annual totals (Excel's NPV/IRR)
    cash = pd.concat([pd.DataFrame({"unit": [CASHFLOW_NOTE]}, index=[NOTE_ROW]), cash]).rename_axis("line_item")
    # a tax year's depreciation, taxable income and tax spread 1/12 a month: named so (the About row monthly);
    # with a tax-rate schedule too: each tax year at one rate, that of the year it begins (dcplan.tco_tax_schedule)
    monthly = result.monthly.rename(columns={k: k + EVEN_SPREAD_SUFFIX for k in EVEN_SPREAD_LINES})
    cal = getattr(result, "calendar_months", None)
    if cal is not None:  # each month named by its calendar month (text 2026-07; the workbook writes a date)
        monthly = monthly.copy()
        monthly.insert(0, "calendar_month", [str(c) for c in cal])

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
            return none_reason(result, k)
        if not math.isfinite(v):
            return f"undefined (computed {v}: no output over the horizon to divide by)"
        return npv_note if k == "npv_usd" else ""

    figures = []
    used = next((v for k, _, v, _, _ in case if k == "delay_months"), None)  # the run's grid delay, whole months
    for k in result.summary:
        lab = summary_label(k, result.summary, scenario=scenario, calendar_months=cal, delay_months=used)
        caveat = npv_caveat if k == "npv_usd" else token_caveat if k in TOKEN_KEYS else ""
        figures.append((k, f"{lab}; {caveat}" if caveat else lab, value(k), result.units.get(k, ""), note(k)))
        if k == "npv_usd":  # the Monte Carlo's NPV beside the base case's
            figures += mcr
    if "npv_usd" not in result.summary:
        figures += mcr
    summary = pd.DataFrame(case + figures, columns=["key", "label", "value", "unit", "note"])
    summary["value"] = summary["value"].astype(float)   # numbers only; text rows are empty (NaN)
    shares = result.shares.reset_index()
    cats = shares["category"]
    shares["industry_low_frac"] = [INDUSTRY_SHARES.get(c, (None, None))[0] for c in cats]
    shares["industry_high_frac"] = [INDUSTRY_SHARES.get(c, (None, None))[1] for c in cats]
    unknown = ("not recorded in dcplan.tco_export.INDUSTRY_SHARE_SOURCES", "unverified")
    src = [INDUSTRY_SHARE_SOURCES.get(c, unknown) if c in INDUSTRY_SHARES else ("", "") for c in cats]
    shares["industry_source"], shares["industry_status"] = [s for s, _ in src], [v for _, v in src]
    frames = {"About": about, "Assumptions": assumptions_frame(result.assumptions), "CashFlow": cash,
              "Monthly": monthly}
    if getattr(result, "depreciation", None) is not None:  # by asset class and purchase, tying to depreciation_usd
        frames["Depreciation"] = depreciation_sheet(result.depreciation, result.annual)
    frames.update(Summary=summary, Shares=shares)
    extra = []                                    # (item, text) rows for the About sheet
    if tornado is not None:
        frames["Sensitivity"], text = _sensitivity(tornado)
        extra.append(("sensitivity", text))
    if mc_percentiles is not None:
        frames["MonteCarlo"], rows = _montecarlo(mc_percentiles)
        extra += rows
        prov = mc_percentiles.attrs.get("monte_carlo")
        if prov:  # how to reproduce the Monte Carlo sheet
            seed = str(prov.get("seed", ""))
            if prov.get("seed_from", "caller") != "caller":  # e.g. drawn from the caller's Generator
                seed += f" (drawn from the {prov['seed_from']}; pass seed={seed} to repeat the draws)"
            extra += [("montecarlo_n_draws", str(prov.get("n_draws", ""))), ("montecarlo_seed", seed),
                      ("montecarlo_streams", str(prov.get("streams", ""))),
                      ("montecarlo_distributions",
                       "; ".join(f"{k}: {_distribution_text(v)}" for k, v in prov.get("distributions", {}).items())
                       + (f" (tax_rate_frac: {shift_text(prov['tax_rate_schedule'], prov.get('tax_rate_range'))})"
                          if prov.get("tax_rate_schedule") else ""))]
    # what each sheet is, and the spreadsheet formulas that give the NPV and IRR from the workbook's cells
    # in a dcplan render run, its record (the workbook's last sheet and its CSV twin)
    from .report_provenance import SHEET as PROVENANCE, read_record, sheet_frame
    record = read_record()
    if record is not None:
        frames[PROVENANCE] = sheet_frame(record)
    else:  # a workbook of a notebook run in JupyterLab (or from Python) says that it records no inputs
        extra.append(("provenance", outside_render_text()))
    head = pd.DataFrame([("sheets", sheets_text(list(frames))),
                         ("spreadsheet_check", spreadsheet_check_text(result.assumptions, monthly))],
                        columns=["item", "text"])
    at = 1 + sum(k in CASE_KEYS for k in about["item"])  # after the title and the case, before the caveats
    tail = [pd.DataFrame(extra, columns=["item", "text"])] if extra else []
    frames["About"] = pd.concat([about.iloc[:at], head, about.iloc[at:], *tail], ignore_index=True)
    return frames


def outside_render_text() -> str:
    """The About sheet's ``provenance`` row of a workbook written outside ``dcplan render`` (a notebook run in
    JupyterLab, nbconvert or papermill, or :func:`write_export` called from Python): it has no ``Provenance``
    sheet (:mod:`dcplan.report_provenance`: render gives the kernel the run's record), so the input files
    and their SHA-256 are not recorded; it names the code that made it (version, source digest, git commit)."""
    from . import __version__
    from .report_fingerprint import _git_commit, dcplan_source_digest
    commit = _git_commit()
    return ("written outside dcplan render (a notebook run in JupyterLab, nbconvert or papermill, or "
            "dcplan.tco_export called from Python): this workbook has no Provenance sheet, so the files this "
            "case read (site YAML, weather, tariff, data catalogs) and their SHA-256 are not recorded in it; "
            f"made by dcplan {__version__}, source SHA-256 {dcplan_source_digest()}"
            + (f", git commit {commit}" if commit else "")
            + ". For a workbook that records them (its Provenance sheet, and the run's results.json), render "
            "it: dcplan render --notebooks tco --sites SITE_ID")


_UNDEFINED = "undefined (no output over the horizon to divide by): {}"


def _finite_or_empty(df: pd.DataFrame, cols) -> pd.DataFrame:
    """``df`` with every non-finite number of ``cols`` as NaN (an empty cell in xlsx and CSV)."""
    out = df.copy()
    for c in cols:
        v = pd.to_numeric(out[c], errors="coerce").astype(float)
        out[c] = v.where(np.isfinite(v))
    return out


def _sensitivity(tornado: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The Sensitivity sheet (empty cells and a ``note`` where a metric is undefined, or where
    the input moves the metric by less than the tornado's rounding tolerance) and its About
    text (which figure it measures, in which unit, and that tolerance)."""
    cols = [c for c in ("low", "high", "base", "metric_at_low", "metric_at_high", "base_metric", "swing")
            if c in tornado.columns]
    meta = tornado.attrs.get("metric", {})
    atol, rtol = meta.get("swing_atol"), meta.get("swing_rtol")
    key = meta.get("key") or (str(tornado["metric"].iloc[0]) if "metric" in tornado.columns and len(tornado)
                              else "")
    unit = (meta.get("unit") or summary_unit(key)) if key else ""
    zero = (f"no effect: the metric moves by at most {atol:.3g} {unit} at either end, below the tolerance "
            f"({rtol:g} x the largest |metric| of the tornado's cases: floating-point rounding), so the "
            "swing reads 0") if atol is not None and rtol is not None else ""
    notes = []
    for _, row in tornado.iterrows():
        bad = [c for c in cols
               if not (isinstance(row[c], (int, float, np.number)) and math.isfinite(row[c]))]
        notes.append(_UNDEFINED.format(", ".join(bad)) if bad else zero if row.get("swing") == 0 else "")
    # each range's source and status (dcplan.tco_tornado_table), when the tornado recorded them: the Assumptions
    # sheet gives the value's; a range may be weaker (the price per GPU-hour's) or not data/costs.csv's at all
    srcs, stats = tornado.attrs.get("range_source"), tornado.attrs.get("range_status")
    sourced = srcs is not None and stats is not None and "input" in tornado.columns
    # a site's own range (finance.ranges): its field, ends and source are its range_source; only a tornado that
    # recorded no sources says so in the note (one column, one thing: the note says why a figure is empty or 0)
    own = {} if sourced else (tornado.attrs.get("site_ranges") or {})
    if "input" in tornado.columns:
        notes = ["; ".join(t for t in (n, own.get(k, "")) if t) for n, k in zip(notes, tornado["input"])]
    out = _finite_or_empty(tornado, cols)
    out["note"] = notes
    if sourced:
        out["range_source"] = [srcs.get(k, "") for k in tornado["input"]]
        out["range_status"] = [stats.get(k, "") for k in tornado["input"]]
    if not key:
        return out, "Sensitivity: the metric was not recorded (a tornado frame without a metric column)."
    label = meta.get("label") or SUMMARY_LABELS.get(key, key)
    tol = (f" A metric change of at most {rtol:g} x the largest |metric| of the cases ({atol:.3g} {unit}) is "
           "floating-point rounding, not an effect: that end reads as base_metric and the swing as 0 (the row "
           "is kept, with a note)." if zero else "")
    return out, (f"Sensitivity: metric {key} [{unit}], {label}. Each input at its low and its high value, "
                 "the others at base; metric_at_low, metric_at_high and base_metric are that figure, "
                 "swing = |metric_at_high - metric_at_low|; low, high and base are the input's values in "
                 "its unit (column unit). An empty cell is a figure that does not exist (note column)." + tol
                 + (" range_source says where each input's low and high come from (an input swung over the site's "
                    "own range, finance.ranges, not data/costs.csv's: that field, its ends and its source), "
                    "range_status how well sourced they are (the value's own status is on the Assumptions sheet)."
                    if sourced else "")
                 + (" An input swung over the site's own range (finance.ranges), not data/costs.csv's, says so in "
                    "the note column, with the range's source." if own else ""))


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


def _csv_files(frames: dict[str, pd.DataFrame], folder: Path, stem: str):
    """``(path, write)`` of each CSV of the set, and the stale optional CSVs to remove."""
    files = [(folder / f"{stem}_{name.lower()}.csv",
              lambda tmp, df=df, k=name in INDEXED: write_csv(df, tmp, index=k))  # '=...' text as text
             for name, df in frames.items()]
    stale = [folder / f"{stem}_{name.lower()}.csv" for name in OPTIONAL_SHEETS if name not in frames]
    return files, stale


def _export(frames: dict[str, pd.DataFrame], folder, stem, workbook: bool) -> list[Path]:
    """Check ``folder`` and ``stem``, then write the CSV set (and the workbook, if
    ``workbook``) as one transaction. Returns the paths, the workbook first."""
    folder = as_path(folder, "folder", "folder")
    check_stem(stem)
    check_folder(folder, "folder")
    files, stale = _csv_files(frames, folder, stem)
    if workbook:
        files.insert(0, (folder / f"{stem}.xlsx", xlsx_writer(frames, MC_HORIZON_NOTE, CASHFLOW_TOTALS)))
    limit, p = name_max(folder), max((p for p, _ in files), key=work_name_bytes)
    if work_name_bytes(p) > limit:
        tmp = f".{p.name.replace(stem, '<stem>', 1)}.<8 characters>{TMP_SUFFIX[p.suffix]}"
        raise InputError(f"stem {brief(stem)} ({len(stem)} characters) is too long: the temporary file "
                         f"{tmp!r} would have a {work_name_bytes(p)}-byte name, over this file system's "
                         f"limit of {limit} bytes per name; shorten the stem by at least "
                         f"{work_name_bytes(p) - limit} bytes (characters, if ASCII)", field="stem")
    write_set(folder, files, stale, "folder", "stem")
    return [p for p, _ in files]


def write_workbook(result: TcoResult, path, *, tornado=None, mc_percentiles=None, title: str = "", site=None,
                   fleet=None, scenario=None, delay_months=None, notes=None,
                   mc_prob_npv_negative_frac=None, figures=None) -> Path:
    """Write the ``.xlsx`` workbook atomically (temporary file in the same folder, then renamed).

    To write the CSV set too, use :func:`write_export` (one call, the same frames and title
    for both, one transaction).

    Parameters
    ----------
    result : TcoResult
        The run to export.
    path : str or os.PathLike
        The workbook's file; must end in ``.xlsx``, in an existing folder.
    tornado, mc_percentiles, title, site, fleet, scenario, delay_months, notes, mc_prob_npv_negative_frac, figures
        As for :func:`write_export`.

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
    path = as_path(path, "path", "workbook path")
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"workbook name must end in .xlsx, got {path.name!r}", field="path")
    check_folder(path.parent, "path")
    if path.is_dir():
        raise InputError(f"{str(path)!r} is an existing folder, not a file; give the path of the .xlsx file "
                         f"to write (e.g. {str(path / 'tco.xlsx')!r})", field="path")
    limit = name_max(path.parent)
    if work_name_bytes(path) > limit:
        raise InputError(f"file name {brief(path.name)} is too long: dcplan writes it via a temporary name "
                         f"of {work_name_bytes(path)} bytes, over this file system's limit of {limit} bytes "
                         "per name; use a shorter name", field="path")
    frames = workbook_frames(result, tornado, mc_percentiles, title, site=site, fleet=fleet, scenario=scenario,
                             delay_months=delay_months, notes=notes,
                             mc_prob_npv_negative_frac=mc_prob_npv_negative_frac, figures=figures)
    write_set(path.parent, [(path, xlsx_writer(frames, MC_HORIZON_NOTE, CASHFLOW_TOTALS))], [], "path", "path")
    return path


def write_csvs(result: TcoResult, folder, stem: str = "tco", *, tornado=None, mc_percentiles=None,
               title: str = "", site=None, fleet=None, scenario=None, delay_months=None, notes=None,
               mc_prob_npv_negative_frac=None, figures=None) -> list[Path]:
    """Write one CSV per sheet (``<stem>_<sheet>.csv``) as one set, all or nothing.

    Every CSV is written to a temporary name and flushed first, then the set replaces the
    previous one as one transaction (see the module docstring): a failure leaves the
    previous set untouched. An optional sheet's CSV (:data:`OPTIONAL_SHEETS`: ``<stem>_sensitivity.csv``,
    ``<stem>_provenance.csv``...) left by an earlier export is removed when this export has no such sheet (it
    would describe another run).

    Parameters
    ----------
    result, folder, stem, tornado, mc_percentiles, title, site, fleet, scenario, delay_months, notes
    mc_prob_npv_negative_frac, figures
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
    return _export(workbook_frames(result, tornado, mc_percentiles, title, site=site, fleet=fleet,
                                   scenario=scenario, delay_months=delay_months, notes=notes,
                                   mc_prob_npv_negative_frac=mc_prob_npv_negative_frac, figures=figures),
                   folder, stem, workbook=False)


def write_export(result: TcoResult, folder, stem: str = "tco", *, tornado=None, mc_percentiles=None,
                 title: str = "", site: str | None = None, fleet=None, scenario: str | None = None,
                 delay_months: float | None = None, notes: Mapping[str, str] | None = None,
                 mc_prob_npv_negative_frac: float | None = None,
                 figures: Mapping[str, tuple] | None = None, npv_caveat: str = "",
                 token_caveat: str = "", median_workbook: str = "", ranges=None) -> list[Path]:
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
    tornado : pandas.DataFrame, optional
        :func:`dcplan.tco_uncertainty.tornado`: the Sensitivity sheet.
    mc_percentiles : pandas.DataFrame, optional
        :func:`dcplan.tco_uncertainty.percentiles` of the Monte Carlo: the MonteCarlo sheet;
        its ``npv_usd`` column's ``p10``, ``p50`` and ``p90`` are also Summary rows
        (``mc_npv_p10_usd``...) beside the NPV, whose note then gives the median.
    title : str, default ""
        Title in the About sheet (``"TCO"`` when empty).
    site : str, optional
        The site as the reader should know it (e.g. ``"phoenix-az (Phoenix, AZ)"``).
    fleet : pandas.DataFrame, Site or FleetSpec, optional
        The fleet: :func:`dcplan.power.fleet_table` (one row per phase: ``hardware``,
        ``count``, optional ``label``, ``start``, ``accelerators``) or what it takes.
    scenario : str, optional
        The :data:`dcplan.tco.SCENARIOS` key run; the Summary says what it sets.
    delay_months : float, optional
        The grid energization delay given to the inputs [months], e.g. dcplan.grid's
        percentile before rounding; the Summary shows the whole months the run used (from its
        Assumptions, shown even when not given) and the rounding. Must round to those months.
    notes : mapping of str to str, optional
        Caveats about the inputs that the report states, by key (e.g. ``{"price_note":
        tco.price_note(site, inputs)}``): Summary rows (empty value, the text as note) and
        About rows ``caveat_<key>``. Empty texts are left out.
    mc_prob_npv_negative_frac : float, optional
        Share of the Monte Carlo draws with NPV < 0, in [0, 1] (the notebook's published
        figure): a Summary row and part of the NPV's note.
    figures : mapping of str to tuple, optional
        Further figures the report publishes, ``{key: (value, unit, label)}`` (the tuples given
        to :func:`dcplan.results.publish`; a fourth item is a note), e.g. the NPV and IRR at the
        site's median grid delay: Summary rows after the NPV and its Monte Carlo rows, the value a
        number (empty with a note when None). A key the Summary already has is refused.
    npv_caveat : str, default ""
        What the NPV rests on, appended to the labels of ``npv_usd`` and ``mc_npv_p50_usd`` as the report's
        headlines carry it: the tariff whose bill is the electricity cost (:func:`dcplan.tco_site.npv_tariff_clause`)
        and the H100 stand-in (:func:`dcplan.tco_revenue.stand_in_caveat`), joined by ``"; "``.
    token_caveat : str, default ""
        What the per-token figures (:data:`TOKEN_KEYS`) rest on, appended to their labels as the report's
        carry it (:func:`dcplan.tco_revenue.throughput_caveat`: the H100's throughput standing in).
    median_workbook : str, default ""
        With ``figures`` of the case at the site's median grid delay (``*_grid_delay_p50``), whose cash flows
        this workbook does not hold: how to get the workbook that does, the About row
        ``grid_delay_p50_workbook`` (:func:`median_delay_workbook` of the run's parameters).
    ranges : mapping, optional
        The case's own ranges (``TcoInputs.ranges``: a site's ``finance.ranges``): the Summary's ``scenario`` row
        says which of them the scenario leaves for its own value, as the report's scenario label and the
        Assumptions' sources say it (:func:`dcplan.tco_inputs.scenario_range_text`).

    Returns
    -------
    list of Path
        The workbook first, then the CSVs.

    Raises
    ------
    InputError
        ``folder`` is not a path, does not exist, is a file or is not writable; ``stem`` is
        empty, has a folder separator or is too long; a target name is a folder; or an
        existing file of the set is locked or protected; or a case argument is invalid (``site``,
        ``scenario`` or a note not text, ``delay_months`` not the run's, a probability outside
        [0, 1], a fleet without hardware and count). Nothing is changed then.
    """
    return _export(workbook_frames(result, tornado, mc_percentiles, title, site=site, fleet=fleet,
                                   scenario=scenario, delay_months=delay_months, notes=notes,
                                   mc_prob_npv_negative_frac=mc_prob_npv_negative_frac, figures=figures,
                                   npv_caveat=npv_caveat, token_caveat=token_caveat,
                                   median_workbook=median_workbook, ranges=ranges),
                   folder, stem, workbook=True)


def read_workbook(path) -> dict[str, pd.DataFrame]:
    """Read a workbook written by :func:`write_workbook` back into frames (for checks).

    ``CashFlow`` comes back indexed by ``line_item``, ``Monthly`` by ``month``, ``Depreciation`` by
    ``tranche``, ``MonteCarlo`` by ``statistic``; the dates the workbook holds as dates as the frames had them:
    the Monthly ``calendar_month`` and the Depreciation ``placed_in_service`` as text ``YYYY-MM``, the
    Assumptions ``fleet_start`` and ``calendar_start_month`` as ``TcoResult.assumptions`` has them (the month
    number, unit ``month of <year>``: :func:`dcplan.tco_export_dates.assumptions_back`).
    """
    sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    for name, idx in (("CashFlow", "line_item"), ("Monthly", "month"), ("Depreciation", "tranche"),
                      ("MonteCarlo", "statistic")):
        if name in sheets:
            sheets[name] = sheets[name].set_index(idx)
    return month_text_back(sheets)
