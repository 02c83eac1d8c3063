"""``dcplan bill --csv FILE``: the monthly bill table as a CSV file, for a spreadsheet.

The table ``dcplan bill`` prints is for the eye: numbers rounded to cents with thousands separators
(``2,933,762.00``), columns padded with spaces. A finance reviewer who wanted to check that the months
sum to the annual bill, or carry the bill into a workbook, had to copy it from the terminal and split it
by hand. ``--csv FILE`` writes the same rows and columns (:func:`bill_table_frame`): one row per billing
month, ``month`` the billing month as ``YYYY-MM`` text, each charge in full (shortest round-trip repr, as
every CSV dcplan writes), and no totals row (a SUM down a column would count it twice): the printed
totals are the column sums of ``energy_usd``, ``demand_usd``, ``fixed_usd``, ``minimum_usd`` and
``total_usd``. The file is UTF-8 with a byte-order mark and its text is never a formula
(:func:`dcplan.export_text.write_csv`), written atomically (a temporary file renamed over ``FILE``), so a
failed write leaves a previous file as it was. A previous ``FILE`` that dcplan did not write, or that was edited
since (a column of checks added in a spreadsheet), is kept beside it (``bill.edited-<time>.csv``,
``bill.kept-<time>.csv``) and said, not replaced (:mod:`dcplan.export_record`).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InputError

__all__ = ["bill_table_frame", "check_csv_path", "write_bill_csv"]


def bill_table_frame(monthly: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """The printed table as a frame: ``monthly``'s ``cols`` (the columns ``dcplan bill`` prints, in its
    order), indexed by ``month`` (``YYYY-MM`` text)."""
    out = monthly[cols].copy()
    out.index = pd.Index([str(m) for m in monthly.index], name="month")
    return out


def check_csv_path(path: str) -> Path:
    """``path`` as a :class:`~pathlib.Path`, checked before the bill is computed: an
    :class:`~dcplan.errors.InputError` naming ``--csv`` for a folder, or a file whose folder does not exist."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError(f"{str(p)!r} is a folder; give the CSV file to write, e.g. {str(p / 'bill.csv')!r}",
                         field="--csv")
    if not p.parent.is_dir():
        raise InputError(f"the folder of {str(p)!r} does not exist; create it or give another path",
                         field="--csv")
    return p


def write_bill_csv(table: pd.DataFrame, path: str) -> Path:
    """Write ``table`` (:func:`bill_table_frame`) to ``path`` (:func:`check_csv_path`) atomically; return
    its path."""
    from .export_record import write_file
    from .export_text import write_csv
    return write_file(check_csv_path(path), lambda tmp: write_csv(table, tmp, index=True), field="--csv")
