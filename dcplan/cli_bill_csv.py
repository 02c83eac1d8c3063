"""How ``dcplan bill`` reads a load CSV's text: a file that is not the comma-separated, header-first
ISO 8601 CSV it reads is an error saying what the file holds instead and how to write it (split
from :mod:`dcplan.cli_bill`).

* no header line (the first line is data): :func:`_no_header`;
* one column, the mark of another separator (``;`` or a tab, as spreadsheets in comma-decimal
  locales save "CSV"): :func:`one_column_error`;
* a value written with a thousands separator (``"5,000.0"``) or a decimal comma (``5000,5``):
  :func:`number_hint`;
* timestamps that are not ISO 8601 (day/month or month/day dates, ``24:00``, a year out of range):
  :func:`_timestamp_error`.

numpy and pandas are imported inside the functions (see :mod:`dcplan.cli_bill`).
"""
from __future__ import annotations

import re

from .errors import InputError

#: Column separators a spreadsheet writes instead of the comma, as the error names them.
_SEPARATORS = {";": "semicolons (';')", "\t": "tabs", "|": "vertical bars ('|')"}


def _no_header(df, path: str) -> None:
    """Refuse a file whose first line is data (a timestamp, then a number): read as the header,
    it would silently lose its first row."""
    import re

    import pandas as pd
    cols = [str(c) for c in df.columns]
    if len(cols) < 2 or not re.match(r"\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", cols[0]):
        return
    try:
        pd.Timestamp(cols[0])
    except (ValueError, TypeError):
        return
    for c in cols[1:]:
        try:
            float(c)
        except ValueError:
            continue
        raise InputError(f"no header line: the first line ({','.join(cols)!r}) is data; add a header "
                         "such as timestamp,kw", file=path)


#: Years a load's timestamps may have: those pandas holds in nanoseconds (whole years only).
_YEARS = (1678, 2261)


def _year_error(j: int, v: str, year: int, path: str, time_col: str) -> InputError:
    return InputError(f"row {j + 2}: timestamp {v!r}: year {year} is outside the years dcplan reads "
                      f"({_YEARS[0]}-{_YEARS[1]}); a typo in the year, or not a date?", file=path, field=time_col)


def _timestamp_error(raw, path: str, time_col: str, exc: Exception) -> InputError:
    """A one-line error naming the first timestamp that cannot be read, and what is accepted."""
    import re

    import numpy as np
    import pandas as pd
    try:
        parsed = pd.to_datetime(raw, utc=True, format="ISO8601", errors="coerce")
    except (ValueError, TypeError):
        parsed = None
    bad = parsed.isna().to_numpy() if parsed is not None else np.zeros(len(raw), bool)
    if not bad.any():
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return InputError(f"cannot read timestamps: {first}; write them as ISO 8601, e.g. "
                          "2025-01-01T00:15:00-05:00", file=path, field=time_col)
    j = int(np.argmax(bad))
    v = raw.iloc[j]
    if v.strip() in ("", "nan"):
        return InputError(f"row {j + 2}: empty timestamp", file=path, field=time_col)
    year = re.match(r"\s*(\d{1,4})(?:-|$)", v)
    if year and not _YEARS[0] <= int(year.group(1)) <= _YEARS[1]:  # older pandas: refused as it parses
        return _year_error(j, v, int(year.group(1)), path, time_col)
    if re.search(r"(?:^|[T\s])24:00(?::00)?(?:[+-]\d\d:?\d\d|Z)?$", v.strip()):
        return InputError(f"row {j + 2}: timestamp {v!r}: 24:00 is not a valid time; interval-end stamps "
                          "of 24:00 should roll to 00:00 of the next day (2025-01-01 24:00 -> "
                          "2025-01-02 00:00)", file=path, field=time_col)
    # 01/01/2025, 1.6.2025: day/month/year in most of the world, month/day/year in the US; which is meant
    # cannot be told from the text
    us = (" (day/month or month/day dates are not read: their order is ambiguous; write YYYY-MM-DD)"
          if "/" in v or re.match(r"\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b", v) else "")
    return InputError(f"row {j + 2}: timestamp {v!r} is not ISO 8601{us}; accepted: ISO 8601 date and time, "
                      "e.g. 2025-01-01T00:15:00-05:00, or 2025-01-01 00:15 with --tz", file=path, field=time_col)


def one_column_error(df, path: str) -> InputError:
    """The error for a file read as a single column: another separator than the comma (``;``, as a
    spreadsheet in a comma-decimal locale saves "CSV", or a tab) is named, with the column as read."""
    head = str(df.columns[0]) if df.shape[1] else ""
    for sep, name in _SEPARATORS.items():
        if sep in head:
            return InputError(f"read as one column {head!r}: dcplan bill reads comma-separated files and this one "
                              f"separates its columns with {name}; save it with commas between columns and '.' as "
                              "the decimal point (e.g. timestamp,load_kw then 2025-01-01T00:15-05:00,5000.5)",
                              file=path)
    got = f" (read as one column {head!r})" if head else ""
    return InputError(f"need a timestamp column and a kW column{got}; write a header such as timestamp,load_kw "
                      "and one row per interval", file=path)


def number_hint(text) -> str:
    """What a load value that is not a number looks like when it is one written as a spreadsheet
    shows it: `` (no thousands separators: 5000.0)`` for ``5,000.0``, `` (a decimal comma? write
    5000.5)`` for ``5000,5``; '' otherwise.

    >>> number_hint("5,000.0"), number_hint("5000,5"), number_hint("12kW")
    (' (no thousands separators: 5000.0)', ' (a decimal comma? write 5000.5 with a point)', '')
    """
    v = str(text).strip()
    if re.fullmatch(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?", v):
        return f" (no thousands separators: {v.replace(',', '')})"
    if re.fullmatch(r"[+-]?\d+,\d+", v):
        return f" (a decimal comma? write {v.replace(',', '.')} with a point)"
    return ""
