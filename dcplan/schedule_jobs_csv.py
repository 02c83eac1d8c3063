"""Reading a job CSV for :func:`dcplan.schedule_jobs.load_jobs` (split from :mod:`dcplan.schedule_jobs`).

* :func:`_read_csv`: the file as pandas reads it, or an :class:`~dcplan.errors.InputError` naming what cannot be read;
  whole-line comments dropped (:func:`_without_comment_lines`), and each cell pandas reads as missing but whose text
  is a word (``nan``, ``NA``, ``null``) kept as that word (:class:`_NAWord`), so an error quotes what was written;
* :func:`_csv_lines`: the lines of the file that data rows start on, as an editor numbers them.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError


class _NAWord(str):
    """A CSV cell's text that pandas reads as a missing value (``nan``, ``NA``, ``null``, ``None``, ...): empty, as
    pandas reads it (an optional column's default), but quoted where a required value is missing, so a reader of
    the error sees the ``nan`` they wrote, not "empty" (:func:`_read_csv`)."""


def _read_csv(path: Path) -> pd.DataFrame:
    """A job CSV as read by pandas, or an InputError: an empty file, a line with more fields than the
    header (pandas would read the first field of every row as an index and shift the columns) or
    any other line pandas cannot split."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"not a readable CSV: {str(e).strip()}") from None
    try:
        df = pd.read_csv(io.StringIO(_without_comment_lines(text)), dtype={"name": str})
    except pd.errors.EmptyDataError:
        raise InputError(f"no header line (the file is empty or holds only comments); need the header "
                         f"{','.join(_job_columns())} and one line per job") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
        raise InputError(f"line {m[2]} has {m[3]} fields, the header has {m[1]}" if m
                         else f"not a readable CSV: {str(e).strip()}") from None
    if not isinstance(df.index, pd.RangeIndex):  # the first data line had more fields than the header
        raise InputError(f"{_csv_lines(path, (0,))} has {df.index.nlevels + df.shape[1]} fields, the header has "
                         f"{df.shape[1]}")
    return _with_na_words(df, text)


def _with_na_words(df: pd.DataFrame, text: str) -> pd.DataFrame:
    """``df`` (a job CSV as pandas reads it) with each cell that pandas read as missing but whose text is not blank
    (``nan``, ``NA``, ``null``: pandas' missing-value words) holding that text as a :class:`_NAWord`: still empty
    (:func:`dcplan.schedule_jobs._empty`), quoted where a required value is missing (``energy_kwh`` ``nan`` was
    reported "empty")."""
    raw = pd.read_csv(io.StringIO(_without_comment_lines(text)), dtype=str, keep_default_na=False)
    if raw.shape != df.shape or list(raw.columns) != list(df.columns):
        return df
    for c in df.columns:
        words = raw[c].astype(object).to_numpy()
        hit = df[c].isna().to_numpy() & np.array([bool(str(w).strip()) for w in words])
        if hit.any():
            col = df[c].to_numpy(dtype=object, copy=True)
            col[hit] = [_NAWord(str(w).strip()) for w in words[hit]]
            df[c] = pd.Series(col, index=df.index, dtype=object)
    return df


def _without_comment_lines(text: str) -> str:
    """``text`` with its whole-line comments (a line whose first non-blank character is ``#``, outside a quoted value)
    made empty: pandas' ``comment="#"`` would also cut a line at a ``#`` inside it (a job named
    ``run#2`` read as ``run``, its other fields lost). Emptied lines keep the line count."""
    out, quoted = [], False
    for line in text.splitlines(keepends=True):
        if not quoted and line.lstrip(" \t").startswith("#"):
            line = "\n" if line.endswith(("\n", "\r")) else ""
        out.append(line)
        quoted ^= line.count('"') % 2 == 1
    return "".join(out)


def _csv_lines(path: Path, rows) -> str:
    """``line 4`` (``lines 2 and 5``): where data rows ``rows`` of a job CSV start, as an editor
    numbers the file's lines (from 1, the header line included). Lines pandas skips hold no row
    but are counted: empty or whitespace-only lines, and comment lines (first non-blank character ``#``,
    :func:`_without_comment_lines`); a quoted value over several lines is one row.
    ``data row N`` (counted from 1 after the header) when the file cannot be mapped so."""
    import csv
    starts = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader, prev = csv.reader(fh), 0
            for rec in reader:
                first, prev = prev + 1, reader.line_num
                if not rec or (len(rec) == 1 and not rec[0].strip()) or rec[0].lstrip(" \t").startswith("#"):
                    continue
                starts.append(first)
    except (OSError, UnicodeDecodeError, csv.Error):
        starts = []
    if all(len(starts) >= j + 2 for j in rows):
        nums = [str(starts[j + 1]) for j in rows]  # starts[0] is the header
        return f"line {nums[0]}" if len(nums) == 1 else f"lines {', '.join(nums[:-1])} and {nums[-1]}"
    nums = [str(j + 1) for j in rows]
    return f"data row {nums[0]}" if len(nums) == 1 else f"data rows {', '.join(nums[:-1])} and {nums[-1]}"


def _job_columns() -> tuple:
    from .schedule_jobs import JOB_COLUMNS  # the job table's own module (which imports this one)
    return JOB_COLUMNS
