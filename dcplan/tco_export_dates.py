"""Calendar months in the TCO finance export (:mod:`dcplan.tco_export`): text ``YYYY-MM`` in the frames and
CSVs, real dates in the workbook (:mod:`dcplan.tco_export_xlsx`), and back to the frames' form on reading.

Three places hold a calendar month:

* Monthly ``calendar_month``: each month of the cash flows;
* Depreciation ``placed_in_service``: the month a purchase is placed in service;
* Assumptions ``fleet_start`` and ``calendar_start_month`` (:data:`ASSUMPTION_DATE_KEYS`): in
  ``TcoResult.assumptions`` the month's number with the unit ``month of <year>`` (10, ``month of 2026``),
  a number a reviewer had to read together with its unit; the export writes the month itself
  (``2026-10``, unit :data:`DATE_UNIT`), a date in the workbook as the other two.

In the workbook each is the month's first day, shown ``yyyy-mm`` (:data:`dcplan.tco_export_xlsx.MONTH_FORMAT`),
so a reviewer can take YEAR() or MONTH() of it or compare it with other dates; the CSVs keep the text.
:func:`month_text_back` gives :func:`dcplan.tco_export.read_workbook` the frames as they were before the export
(text, and the Assumptions' month number with its ``month of <year>`` unit). An undated case
(no ``fleet_start``) has no year to name: its rows stay as they are (``calendar_start_month`` 1, unit ``month of
year``; ``fleet_start`` empty).
"""
from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

__all__ = ["DATE_UNIT", "ASSUMPTION_DATE_KEYS", "assumptions_frame", "month_text_back", "as_month_date"]

#: The unit of an Assumptions row whose value the export writes as a calendar month (the glossary's).
DATE_UNIT = "YYYY-MM"
#: The Assumptions rows that hold a calendar month (:func:`dcplan.tco_assumptions.assumptions_table`).
ASSUMPTION_DATE_KEYS = ("fleet_start", "calendar_start_month")
_MONTH_OF = re.compile(r"month of (\d{4})")


def as_month_date(v):
    """Text ``YYYY-MM`` as the month's first day (a ``datetime``), anything else as it is.

    >>> as_month_date("2026-10"), as_month_date(3.0)
    (datetime.datetime(2026, 10, 1, 0, 0), 3.0)
    """
    if isinstance(v, str) and len(v) == 7 and v[4] == "-" and v[:4].isdigit() and v[5:].isdigit() \
            and 1 <= int(v[5:]) <= 12:
        return dt.datetime(int(v[:4]), int(v[5:]), 1)
    return v


def assumptions_frame(a: pd.DataFrame) -> pd.DataFrame:
    """The export's Assumptions: ``a`` (``TcoResult.assumptions``) with each row of
    :data:`ASSUMPTION_DATE_KEYS` that names its year (unit ``month of 2026``, value 10) as the month
    itself (value ``"2026-10"``, unit :data:`DATE_UNIT`); the other rows, and an undated case's, unchanged.

    >>> a = pd.DataFrame({"key": ["fleet_start", "horizon_years"], "value": [10.0, 10.0],
    ...                   "unit": ["month of 2026", "yr"]})
    >>> assumptions_frame(a)[["value", "unit"]].values.tolist()
    [['2026-10', 'YYYY-MM'], [10.0, 'yr']]
    """
    if "key" not in a.columns or "unit" not in a.columns:
        return a
    rows = []
    for i, (k, v, u) in enumerate(zip(a["key"], a["value"], a["unit"])):
        m = _MONTH_OF.fullmatch(u) if isinstance(u, str) and k in ASSUMPTION_DATE_KEYS else None
        if m and isinstance(v, (int, float)) and math.isfinite(v) and 1 <= v <= 12 and v == int(v):
            rows.append((i, f"{m.group(1)}-{int(v):02d}"))
    if not rows:
        return a
    out = a.copy()
    out["value"] = out["value"].astype(object)
    for i, text in rows:
        out.iat[i, out.columns.get_loc("value")] = text
        out.iat[i, out.columns.get_loc("unit")] = DATE_UNIT
    return out


def _text(v):
    """A workbook's date (or the text ``YYYY-MM``) as the text ``YYYY-MM``; anything else as it is."""
    if isinstance(v, (dt.datetime, dt.date, pd.Timestamp)):
        return f"{v.year:04d}-{v.month:02d}"
    return v


def month_text_back(sheets: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The workbook's dates back to the frames' form (in place; returns ``sheets``): the Monthly
    ``calendar_month`` and Depreciation ``placed_in_service`` as text ``YYYY-MM``, the Assumptions rows of unit
    :data:`DATE_UNIT` as ``TcoResult.assumptions`` has them (value the month's number, a float; unit
    ``month of <year>``)."""
    for name, col in (("Monthly", "calendar_month"), ("Depreciation", "placed_in_service")):
        df = sheets.get(name)
        if df is not None and col in df.columns and pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].dt.strftime("%Y-%m")  # a date in the workbook: the frame's text (empty: NaN)
    a = sheets.get("Assumptions")
    if a is not None and {"value", "unit"} <= set(a.columns):
        sel = a["unit"] == DATE_UNIT
        if sel.any():
            month = [_text(v) for v in a.loc[sel, "value"]]
            a.loc[sel, "unit"] = [f"month of {t[:4]}" for t in month]
            values = a["value"].astype(object)
            values[sel] = [float(t[5:]) for t in month]
            a["value"] = values.astype(float)
    return sheets
