"""The ``.xlsx`` side of the TCO finance export (:mod:`dcplan.tco_export`): display formats
by unit, and the writer of the workbook from the export's frames.

Every number keeps its full float64 value in its cell (openpyxl writes ``%.16g``); only the
**display** is formatted, by the unit the frame gives the number (a ``unit`` or
``metric_unit`` column, :data:`dcplan.tco.LINES` for the monthly line items,
:func:`dcplan.tco.summary_unit` of a column name otherwise). The CSVs are not formatted.

==========================================  ===========================  =======================
unit                                        format                       shows
==========================================  ===========================  =======================
``USD``, ``USD/yr`` (amounts)               ``#,##0``                    53,104,132
``USD/<x>`` (per unit: ``USD/GPU-h``...)    ``#,##0.00``, more decimals  4.054; 0.3673; 33,750.00
                                            for 4 significant digits
``frac``, ``frac/yr``                       ``0.0%`` (``0.00%`` when a   14.5%; 0.25%
                                            value below 1 % needs it)
``yr``, ``years``, ``month``, ``months``    ``0.0``                      7.8
counts (``accelerators``, ``GPU-h``,        ``#,##0``                    3,072
``GPU-months``, ``tokens``, ``h/yr``...)
``x`` (multiplier)                          ``0.00``                     1.00
any other unit (``kW``, ``MWh``,            ``#,##0`` for whole numbers, 5,786; 1.379
``tokens/J``...)                            else 4 significant digits
==========================================  ===========================  =======================

The decimals of a group of numbers (one row of one unit, or one column) are those its
smallest non-zero magnitude needs, or fewer when every number of the group is exact with
fewer (a price of 3 USD/m3 shows 3.00, not 3.000), so a row or column reads alike.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .export_text import text_cells
from .tco_export_dates import DATE_UNIT, as_month_date
from .tco import LINES, summary_unit

__all__ = ["number_format", "cell_formats", "freeze_cell", "xlsx_writer", "CELLS_NOTE", "CELLS_NOTE_SHEETS",
           "NOTE_ROW", "MC_HORIZON_COLUMNS", "ROW_NAME_COLUMNS", "MONTH_FORMAT"]

CELLS_NOTE = ("All cells are values computed by dcplan.tco (no formulas): editing a cell, an input on the "
              "Assumptions sheet included, changes no other cell. To change the case, change the site file "
              "(finance: section, finance.costs) or the notebook's parameters and run dcplan again.")
#: Sheets whose header cell A1 carries :data:`CELLS_NOTE` as a comment (the About sheet says it in a row).
CELLS_NOTE_SHEETS = ("Assumptions", "Summary", "CashFlow", "Monthly")
#: Significant digits a per-unit price or a physical quantity shows at least.
SIG_DIGITS = 4
#: Most decimals a format asks for (a figure below 1e-4 of its unit shows as 0.00000000).
MAX_DECIMALS = 8
_AMOUNT_UNITS = {"USD", "USD/yr"}
_COUNT_UNITS = {"accelerators", "GPU-h", "GPU-months", "GPUs", "tokens", "h/yr", "count", "phases"}
_TIME_UNITS = {"yr", "years", "month", "months"}
_PERCENT_UNITS = {"frac", "frac/yr"}
#: Sheets whose frame index is written as the first column.
INDEXED = ("CashFlow", "Monthly", "Depreciation", "MonteCarlo")
#: Index of a sheet's note row (the CashFlow's first row): its text spills over the empty cells beside it.
NOTE_ROW = "note"
#: MonteCarlo columns whose header cell carries the note on the fixed horizon (``xlsx_writer``'s ``mc_note``).
MC_HORIZON_COLUMNS = ("tco_pv_usd", "tco_usd")
#: Columns that name a row beside an indexed sheet's index, kept in view with it (:func:`freeze_cell`).
ROW_NAME_COLUMNS = ("unit", "calendar_month", "asset_class")
#: Number formats of the Depreciation sheet's columns that are not amounts (``USD``: ``#,##0``).
DEPRECIATION_FORMATS = {"placed_in_service_month": "0", "tax_year_placed": "0", "life_years": "0.0",
                        "bonus_frac": "0%", "mid_quarter_test_frac": "0%", "disposed_month": "0"}


def freeze_cell(name: str, df: pd.DataFrame) -> str:
    """The cell sheet ``name`` (frame ``df``) is frozen at: its header row and the columns that name a row
    stay in view while a reader scrolls (the Monthly sheet is 121 rows by 32 columns): the line item and its
    unit (CashFlow), the month and its calendar month when the case has dates (Monthly), the purchase and
    its asset class (Depreciation), else the first column (a key, an input, a statistic)."""
    n = 2 if name in INDEXED and len(df.columns) and df.columns[0] in ROW_NAME_COLUMNS else 1
    return f"{get_column_letter(n + 1)}2"


def _numbers(values) -> np.ndarray:
    """The finite numbers among ``values`` (text, None, bool, NaN and inf left out)."""
    out = [float(v) for v in values
           if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
           and math.isfinite(v)]
    return np.asarray(out, dtype=float)


def _decimals(x: np.ndarray, least: int = 0) -> int:
    """Decimals that show :data:`SIG_DIGITS` significant digits of the smallest non-zero |x|,
    or fewer if every number is exact with fewer (3.0 and 1.5 USD/m3 need no 1.500); at least
    ``least``, at most :data:`MAX_DECIMALS`."""
    nz = np.abs(x[x != 0.0])
    if nz.size == 0:
        return least
    d = SIG_DIGITS - 1 - math.floor(math.log10(float(nz.min())))
    exact = next((k for k in range(max(d, 0) + 1)
                  if np.allclose(np.round(x, k), x, rtol=1e-12, atol=0.0)), d)
    return int(min(max(min(d, exact), least), MAX_DECIMALS))


def _fixed(d: int, grouped: bool = True) -> str:
    return ("#,##0" if grouped else "0") + ("." + "0" * d if d > 0 else "")


def number_format(unit, values=()) -> str:
    """Excel number format for numbers in ``unit`` (see the module docstring).

    Parameters
    ----------
    unit : str
        The numbers' unit as the export's frames give it (``"USD"``, ``"USD/GPU-h"``,
        ``"frac"``, ``"months"``...); anything else gets the general rule.
    values : iterable
        The numbers shown with this format (a row or a column); text and non-finite
        values are ignored.

    Returns
    -------
    str
        An Excel number format, e.g. ``"#,##0"``, ``"#,##0.000"``, ``"0.0%"``.

    >>> number_format("USD", [53104131.77349325])
    '#,##0'
    >>> number_format("USD/GPU-h", [4.054448726906855])
    '#,##0.000'
    >>> number_format("frac", [0.145, 0.0025])
    '0.00%'
    >>> number_format("USD/m3", [1.5, 6.0, 3.0])
    '#,##0.00'
    """
    unit = unit.strip() if isinstance(unit, str) else ""
    x = _numbers(values)
    if unit in _AMOUNT_UNITS or unit in _COUNT_UNITS:
        return "#,##0"
    if unit.startswith("USD/"):                   # a price per unit: cents at least
        return _fixed(_decimals(x, least=2))
    if unit in _PERCENT_UNITS:                   # one decimal; two for a figure below 1 % that needs them
        return "0.00%" if _decimals(100.0 * x, least=1) > 1 and np.any((x != 0) & (np.abs(x) < 0.01)) \
            else "0.0%"
    if unit in _TIME_UNITS:
        return "0.0"
    if unit == "x":
        return "0.00"
    if x.size and np.all(x == np.round(x)):      # whole numbers (a count, a code, whole kW)
        return "#,##0"
    return _fixed(_decimals(x))


def _col_unit(col) -> str:
    col = str(col).removesuffix("_tax_year_even_spread")   # the Monthly sheet's spread tax lines (tco_export_text)
    return LINES[col][0] if col in LINES else summary_unit(col)


def cell_formats(name: str, df: pd.DataFrame) -> dict[tuple[int, int], str]:
    """Number format of each number of sheet ``name``: ``{(i, j): format}`` for ``df.iloc[i, j]``.

    Row units: ``Assumptions`` and ``Summary`` (column ``value``), ``CashFlow`` (every year),
    ``Sensitivity`` (``low``/``high``/``base`` by ``unit``; the metric columns by
    ``metric_unit``), ``Depreciation`` (USD ``#,##0`` but :data:`DEPRECIATION_FORMATS`). Column units
    (:data:`dcplan.tco.LINES`, else
    :func:`dcplan.tco.summary_unit` of the column name): every other sheet; the MonteCarlo
    row ``n_nonfinite`` is a count.
    """
    out: dict[tuple[int, int], str] = {}
    cols = list(df.columns)

    def by_row(unit_col: str, value_cols) -> None:
        js = [cols.index(c) for c in value_cols if c in cols]
        for i in range(len(df)):
            fmt = number_format(df.iloc[i][unit_col], [df.iat[i, j] for j in js])
            out.update({(i, j): fmt for j in js})

    def by_column(value_cols, rows=None) -> None:
        rows = list(range(len(df))) if rows is None else rows
        for c in value_cols:
            j = cols.index(c)
            fmt = number_format(_col_unit(c), [df.iat[i, j] for i in rows])
            out.update({(i, j): fmt for i in rows})

    if name in ("Assumptions", "Summary"):
        by_row("unit", ["value"])
    elif name == "CashFlow":
        by_row("unit", [c for c in cols if c != "unit"])
    elif name == "Sensitivity":
        by_row("unit", ["low", "high", "base"])
        metric_cols = [c for c in ("metric_at_low", "metric_at_high", "base_metric", "swing") if c in cols]
        if "metric_unit" in cols:
            for c in metric_cols:   # one unit per column (the tornado measures one metric)
                j = cols.index(c)
                unit = next((u for u in df["metric_unit"] if isinstance(u, str) and u), "")
                fmt = number_format(unit, df.iloc[:, j])
                out.update({(i, j): fmt for i in range(len(df))})
    elif name == "Depreciation":  # amounts in USD; months, tax years, lives and the bonus share by column
        for j, c in enumerate(cols):
            if pd.api.types.is_numeric_dtype(df[c]):
                fmt = DEPRECIATION_FORMATS.get(c, "#,##0")
                out.update({(i, j): fmt for i in range(len(df))})
    elif name == "MonteCarlo":
        stats = [i for i, k in enumerate(df.index) if k != "n_nonfinite"]
        by_column(cols, stats)
        out.update({(i, j): "#,##0" for i, k in enumerate(df.index) if k == "n_nonfinite"
                    for j in range(len(cols))})
    elif name != "About":
        by_column([c for c in cols if pd.api.types.is_numeric_dtype(df[c])])
    return out


def _shown(v, fmt: str) -> str:
    """About how a number reads in ``fmt`` (for the column width)."""
    d = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    if fmt.endswith("%"):
        return f"{100 * v:,.{d}f}%"
    return f"{v:,.{d}f}"


def _mark_totals(ws, df: pd.DataFrame, totals: dict) -> None:
    """Show the rows of ``df`` (a sheet with its index in column A) named in ``totals`` in bold, the row name
    with a comment saying what it totals (the CashFlow's totals, the Depreciation's total row: a SUM down a
    column must leave them out)."""
    for i, key in enumerate(df.index):
        if key in totals:
            for cell in ws[i + 2]:
                cell.font = Font(bold=True)
            ws.cell(row=i + 2, column=1).comment = Comment(
                f"{key} = {totals[key]}: a total of other rows; a SUM down a column that takes it with them "
                "counts them twice", "dcplan")


#: The Depreciation sheet's total row, in bold with what it totals (:func:`_mark_totals`).
DEPRECIATION_TOTALS = {"total": "the purchases' rows above (its years: the CashFlow's depreciation_usd + "
                                "loss_on_disposal_usd, to which those rows sum to the cent; with the owner's tax "
                                "years, columns tax_year_YYYY, the rows' sums)"}


def xlsx_writer(frames: dict[str, pd.DataFrame], mc_note: str = "", totals: dict | None = None):
    """``write(tmp)`` that writes ``frames`` as an ``.xlsx`` workbook to ``tmp``: values
    (no formulas), number formats by unit (:func:`cell_formats`), columns wide enough for the
    formatted numbers, panes frozen below the header and right of the row names (:func:`freeze_cell`),
    the header comments (cells are values, on :data:`CELLS_NOTE_SHEETS`; why a
    MonteCarlo column is empty; ``mc_note`` on the MonteCarlo's :data:`MC_HORIZON_COLUMNS`: why their
    draws differ from the base case; ``totals``: the CashFlow rows that total others, in bold with a comment).
    Text is stored as text, never as a formula, even when it begins
    with ``=`` (a site name from a shared site file: :func:`dcplan.export_text.text_cells`)."""
    from .report_provenance import SHEET as PROVENANCE

    def write(tmp):
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, df in frames.items():
                if name == PROVENANCE:  # the render's record (dcplan.tco_export puts it in the frames)
                    _provenance_sheet(xw, df)
                    continue
                keep_index = name in INDEXED
                df.to_excel(xw, sheet_name=name, index=keep_index)
                ws = xw.sheets[name]
                off = 2 if keep_index else 1           # sheet column of df.iloc[:, 0]
                widths = {}
                for (i, j), fmt in cell_formats(name, df).items():
                    cell = ws.cell(row=i + 2, column=j + off)
                    v = cell.value
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        cell.number_format = fmt
                        widths[j] = max(widths.get(j, 0), len(_shown(v, fmt)))
                for j, c in enumerate(df.columns):
                    if j in widths:                    # a number column: its widest number or header
                        w = max(widths[j], len(str(c))) + 2
                    else:                              # text: up to 60 characters wide
                        # (a sheet's note row spills over the empty cells beside it: not its column's width)
                        w = min(max([len(str(c))] + [len(str(x)) for i, x in zip(df.index, df.iloc[:, j])
                                                      if x is not None and i != NOTE_ROW]) + 2, 60)
                    ws.column_dimensions[get_column_letter(j + off)].width = max(w, 10)
                ws.column_dimensions["A"].width = 34
                ws.freeze_panes = freeze_cell(name, df)
                for sheet, col, what in _DATE_COLUMNS:   # a month as a date, not text (shown as before)
                    if name == sheet and col in df.columns:
                        _month_dates(ws, list(df.columns).index(col) + off, f"{col}: {what}")
                if name == "Assumptions" and {"value", "unit"} <= set(df.columns):  # fleet_start...: a date
                    _month_dates(ws, list(df.columns).index("value") + off, None,
                                 [i + 2 for i, u in enumerate(df["unit"]) if u == DATE_UNIT])
                if name == "CashFlow" and totals:  # a total row: bold, with what it totals
                    _mark_totals(ws, df, totals)
                if name == "Depreciation":
                    _mark_totals(ws, df, DEPRECIATION_TOTALS)
                if name in CELLS_NOTE_SHEETS:  # where a reader edits (inputs) or reads (results) numbers
                    ws["A1"].comment = Comment(CELLS_NOTE, "dcplan")
                if name == "MonteCarlo":  # an empty column says why on its header cell
                    rows = [i for i in df.index if i != "n_nonfinite"]
                    for j, c in enumerate(df.columns, start=2):
                        if df.loc[rows, c].isna().all():
                            ws.cell(row=1, column=j).comment = Comment(
                                f"{c}: no finite draws to summarise (see the About sheet, "
                                "montecarlo_nonfinite, and the n_nonfinite row)", "dcplan")
                        elif c in MC_HORIZON_COLUMNS and mc_note:  # a TCO's draws: fewer months operated
                            ws.cell(row=1, column=j).comment = Comment(f"{c}: {mc_note}", "dcplan")
                text_cells(ws)  # pandas gives openpyxl text as it is: "=..." would be a formula cell
            if PROVENANCE not in frames:  # frames not from dcplan.tco_export: the record render gave the kernel
                _provenance_sheet(xw)
        reproducible_zip(tmp)
    return write


#: The display of the Monthly sheet's ``calendar_month`` dates: the month as the CSV writes it (``2026-07``).
MONTH_FORMAT = "yyyy-mm"


#: ``(sheet, column, what)``: the columns of calendar months, text ``YYYY-MM`` in the frame and the CSV, written
#: as dates (:func:`_month_dates`), with the header comment's text.
_DATE_COLUMNS = (
    ("Monthly", "calendar_month", "a date, the first day of the month (shown yyyy-mm; the CSV holds the text "
                                  "YYYY-MM); the month's flows are discounted at its end (About: discounting)"),
    ("Depreciation", "placed_in_service", "a date, the first day of the month placed in service (shown yyyy-mm; "
                                          "the CSV holds the text YYYY-MM); empty for an undated case"),
)


def _month_dates(ws, col: int, comment: str | None, rows=None) -> None:
    """Make the text ``YYYY-MM`` cells of column ``col`` (all rows, or the sheet rows ``rows``) real dates, the
    month's first day, shown :data:`MONTH_FORMAT` (:mod:`dcplan.tco_export_dates`): the Monthly
    ``calendar_month``, the Depreciation ``placed_in_service`` and the Assumptions ``fleet_start`` and
    ``calendar_start_month``. A reviewer can then take YEAR() or MONTH() of them, total by calendar year (SUMIFS)
    or compare them with other dates, which text did not allow; they read as before. ``comment``: the header
    cell's, saying so."""
    cells = (ws.cell(row=r, column=col) for r in rows) if rows is not None else \
        (c for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col))
    for cell in cells:
        v = as_month_date(cell.value)
        if v is not cell.value:
            cell.value = v
            cell.number_format = MONTH_FORMAT
    if comment:
        ws.cell(row=1, column=col).comment = Comment(comment, "dcplan")


def _provenance_sheet(xw, df: pd.DataFrame | None = None) -> None:
    """A workbook written in a ``dcplan render`` run gets a last sheet, ``Provenance``: the run's
    record (dcplan's version and source digest, the start time, the parameters, each input's path
    and SHA-256) from the file render names in :data:`dcplan.report_provenance.PROVENANCE_ENV`, the
    same record as the run's results.json and report.html (:mod:`dcplan.report_provenance`); ``df``: that
    sheet's frame when the caller has read it (:mod:`dcplan.tco_export`, which writes its CSV twin from it).
    Written outside render (no such file): no sheet."""
    from .report_provenance import SHEET, read_record, sheet_frame
    if df is None:
        record = read_record()
        if record is None:
            return
        df = sheet_frame(record)
    df.to_excel(xw, sheet_name=SHEET, index=False)
    ws = xw.sheets[SHEET]
    for col, w in zip("ABCD", (14, 44, 70, 66)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"  # its header row
    text_cells(ws)  # a parameter's text is text, never a formula


#: The date every member of a rewritten workbook carries (ZIP's earliest; :func:`reproducible_zip`).
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(path) -> None:
    """Rewrite the ``.xlsx`` at ``path`` so that the same workbook gives the same bytes: each member
    stamped :data:`_ZIP_EPOCH` (openpyxl stamps the time of writing) and the core properties without
    their ``dcterms:created``/``dcterms:modified`` times (optional in the OPC core properties; openpyxl
    writes the time of saving). Two renders of the same inputs gave the workbook different sha256s in
    results.json (``artifacts``) while every CSV matched: an auditor comparing hashes saw a change
    where there was none."""
    import io
    import re
    import zipfile
    from pathlib import Path
    path = Path(path)
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()  # in memory, then over the file: ``path`` is already the export's temp file
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>", b"", data)
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())
