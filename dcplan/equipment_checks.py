"""Checks of ``data/equipment_lead_times.csv`` beyond :func:`dcplan.catalog_checks.check_equipment`, run
when :mod:`dcplan.grid_lead_time` reads the file (after that check passes).

* **Days typed as weeks**, for an item with its own plausibility band (:mod:`dcplan.catalog_bands`, the
  published range widened about 3 x either way): every figure / 7 inside the band while the row's low end
  lies above the band's high / 3 (the longest delivery published for the item: nothing published puts even
  the shortest delivery there). The band alone catches this for most items (a chiller typed 210, 245, 280 is
  above its 10-120 weeks); the generator's band reaches 330 weeks (3 x its reported 110-week tail), so its
  row typed in days (210, 238, 266 for 30, 34, 38 weeks) passed it.
* **reported_max_weeks** (optional column): blank, or a number of weeks above ``high_weeks``: a longer
  delivery reported beyond the published range, which the lognormal of the row (p90 = ``high_weeks``)
  leaves out (:func:`tail_notes` says so).

Problems are raised as :class:`dcplan.catalog_checks.CatalogError`, each naming the line, item, columns,
values and what is allowed.
"""
from __future__ import annotations

import pandas as pd

from .catalog_bands import BANDS, _g, _num
from .catalog_checks import _EQ_COLUMNS, _Table

__all__ = ["check_equipment_more", "days_problem", "tail_notes", "DAYS_PER_WEEK"]

#: Days in a week: a lead time published in days reads as 7 x the weeks. [d/wk]
DAYS_PER_WEEK = 7.0
_CATALOG = "equipment_lead_times.csv"
_COLS = ("low_weeks", "median_weeks", "high_weeks")


def days_problem(item: str, vals: list[float]) -> str | None:
    """The message for an item's (low, median, high) weeks that read as days (see the module docstring), or
    None. Only items with a band of their own are checked.

    >>> days_problem("generator", [210, 238, 266])[:95]
    'low_weeks 210, median_weeks 238, high_weeks 266 weeks read as days typed as weeks: / 7 = 30, 34'
    """
    band = BANDS[_CATALOG].get(item)
    if band is None or len(vals) != 3 or any(v is None for v in vals):
        return None
    conv = [v / DAYS_PER_WEEK for v in vals]
    longest = band.hi / 3.0
    if not (all(band.lo <= x <= band.hi for x in conv) and vals[0] > longest):
        return None
    figs = ", ".join(f"{c} {_g(v)}" for c, v in zip(_COLS, vals))
    weeks = ", ".join(_num(x) for x in conv)
    return (f"{figs} weeks read as days typed as weeks: / 7 = {weeks} weeks, inside the plausible band for {item} "
            f"lead times, {_num(band.lo)} to {_num(band.hi)} weeks ({band.why}), while the low end {_g(vals[0])} "
            f"weeks is above the longest delivery that band allows for ({_num(band.hi)} / 3 = {_num(longest)} "
            f"weeks); allowed: the figures in weeks ({weeks}), or, for a real lead time that long, widen the band "
            "in dcplan.catalog_bands citing its source")


def check_equipment_more(df: pd.DataFrame, path) -> None:
    """Raise :class:`~dcplan.catalog_checks.CatalogError` listing every problem of this module's checks
    of ``data/equipment_lead_times.csv`` as read (already passed by ``check_equipment``)."""
    t = _Table(df, path, "item", _EQ_COLUMNS)
    for i, rec in enumerate(t.records):
        item = str(rec.get("item") or "").strip()
        vals = [t.number(i, c, "weeks") for c in _COLS]
        msg = days_problem(item, vals)
        if msg:
            t.add(i, "/".join(_COLS), msg)
        if "reported_max_weeks" in df.columns and not msg:  # (a row in days: said once, as days)
            top = t.number(i, "reported_max_weeks", "weeks", required=False)
            if top is not None and vals[2] is not None and not top > vals[2]:
                t.add(i, "reported_max_weeks", f"{_g(top)} weeks is not above high_weeks {_g(vals[2])}; allowed: "
                                               "blank, or a longer delivery reported beyond the published range "
                                               f"(> {_g(vals[2])} weeks)")
    t.fail()


def tail_notes(table: pd.DataFrame, items) -> list[str]:
    """One sentence per item of ``items`` whose row (``table``: :func:`dcplan.grid_lead_time.equipment_lead_times`)
    reports a longer delivery (``reported_max_weeks``) than its p90: that tail is not in the distribution the
    time to power draws from.

    >>> t = pd.DataFrame({"high_weeks": [38.0], "reported_max_weeks": [110.0]}, index=["generator"])
    >>> tail_notes(t, ["generator"])[0][:92]
    'generator: up to 110 weeks reported for some units, beyond the p90 of 38 weeks that its lead'
    """
    out = []
    if "reported_max_weeks" not in table.columns:
        return out
    for it in items:
        top = table.loc[it, "reported_max_weeks"] if it in table.index else None
        if top is None or pd.isna(top):
            continue
        out.append(f"{it}: up to {_g(float(top))} weeks reported for some units, beyond the p90 of "
                   f"{_g(float(table.loc[it, 'high_weeks']))} weeks that its lead time is drawn with: that tail "
                   "is not in the distribution (which puts practically no probability there), so the time to power "
                   "does not count it (data/equipment_lead_times.csv reported_max_weeks)")
    return out
