"""``results.csv``: every figure of every report in a render's folder, one row each, for a spreadsheet.

The index shows each run's headline figures; a finance or site-selection review wants all of them
side by side (sites as columns of a pivot table). ``dcplan render`` writes ``results.csv`` at the top
of its output folder beside ``index.html`` and ``runs.json``, from the same files and at the same
moments (atomically, as each run ends), so it always holds the figures of the reports on disk:

* one row per published figure of each report in the folder (its ``results.json``): ``value``
  as published (a number in full precision, a date or text as text), ``unit``, ``label``, and
  ``headline`` (``true`` for the figures the index shows);
* ``status``: ``current``, or why a kept report is not (``run.status`` of its ``results.json``:
  its latest run failed, or its notebook no longer applies to the site: the same words as its
  report's banner; from ``runs.json``'s record of the run when that mark could not be written:
  :func:`dcplan.report_stale.kept_status`), and, for a report not of this render, the index's words when a
  file it read or dcplan's code changed since (``inputs changed since it was rendered (site): ...``,
  :func:`dcplan.report_stale.inputs_changed`: before, this column said ``current`` where the index said the
  figures may not be), and when its ``results.json`` is not the one rendered (edited since: ``runs.json``
  recorded another SHA-256), and when it is not of this render's portfolio (its site is none of the portfolio's,
  or it read every site of another portfolio file: ``not in this render's portfolio (<file>): ...``,
  :func:`dcplan.report_stale.portfolio_text`; :func:`dcplan.report_stale.other_report_status` joins them, the
  index says the same words); ``this_render``: ``yes`` for the runs of the render that wrote the file, ``no``
  for the folder's other reports (another portfolio's, a notebook not selected this time), as the
  index's two tables; ``parameters``: the ``-p`` values the run was given (the index's wording);
  ``rendered_utc``: when the run started, in UTC, ``YYYY-MM-DD HH:MM:SS`` with no offset (as the hourly
  CSV's ``interval_end_utc``: a spreadsheet reads it as a date and time; the ISO form with ``T`` and
  ``+00:00`` that ``results.json`` and ``runs.json`` hold, Excel keeps as text); ``subject_site``: for a
  portfolio notebook's figure about one site (``site`` ``_portfolio``, key ``<site id>.<figure>``, e.g.
  ``phoenix-az.usd_per_m_tokens``) that site's id, so a pivot can put those figures under their sites (the
  ids are the portfolio run's sites, ``site:<id>`` in its ``provenance.inputs``: a key whose part before
  the first dot is no such id is not about a site); empty for every other row (:func:`subject_site`);
  ``your_files``: on every row of a run whose render moved a reader's own files out of its previous folder
  (``runs.json``'s ``your_files``, :mod:`dcplan.report_foreign`), what the index's row says of them: which files,
  and the ``_your_files/...`` folder they were moved to (each of them, where the index lists five); empty for
  every other run (a reviewer who reads the spreadsheet, not the index, never learnt their workbook was moved);
* a run with no report (it failed before it ever had one, or is not applicable), or whose
  ``results.json`` cannot be read, has one row with no key, saying so in ``status`` (and how to
  rebuild it), so a missing site is never silent.

Encoded UTF-8 with a byte-order mark (Excel on Windows reads the ``°C`` of a unit as ``Â°C``
without it, :mod:`dcplan.site_hourly`); text that a spreadsheet would take for a formula is written
with a leading ``'`` (:mod:`dcplan.export_text`).
"""
from __future__ import annotations

import csv
import io
import json
import math
from numbers import Real
from pathlib import Path

from .export_text import safe_text

__all__ = ["RESULTS_CSV", "COLUMNS", "results_rows", "write_results_csv", "is_dcplan_results_csv", "ENCODING",
           "subject_site"]

#: The file's name at the top of a render's output folder.
RESULTS_CSV = "results.csv"
#: Its columns, in order (its header row).
COLUMNS = ("site", "site_name", "notebook", "key", "value", "unit", "label", "headline", "status", "this_render",
           "parameters", "rendered_utc", "report", "subject_site", "your_files")
#: As the site-year CSV (:data:`dcplan.site_hourly.ENCODING`).
ENCODING = "utf-8-sig"
_HEADER = ",".join(COLUMNS)
# the headers before your_files, and before subject_site, were added: a folder rendered by that dcplan is still
# dcplan's, and replaced
_HEADERS = (_HEADER, ",".join(COLUMNS[:-1]), ",".join(COLUMNS[:-2]))


def subject_site(site: str, key: str, site_ids) -> str:
    """The site a figure of ``results.csv`` is about when its run is the portfolio's (``site`` ``_portfolio``) and
    its ``key`` is ``<site id>.<figure>`` with the id one of ``site_ids`` (the portfolio run's sites); "" for
    every other row: a site's own run (its ``site`` says it), a portfolio-wide figure (``best_site``), or a
    dotted key whose first part is no site of the run.

    >>> subject_site("_portfolio", "phoenix-az.usd_per_m_tokens", {"phoenix-az"}), subject_site("_portfolio",
    ...     "best_site", {"phoenix-az"}), subject_site("phoenix-az", "phoenix-az.x", {"phoenix-az"})
    ('phoenix-az', '', '')
    """
    from .report_plan import PORTFOLIO_DIR
    if site != PORTFOLIO_DIR or not isinstance(key, str) or "." not in key:
        return ""
    head = key.split(".", 1)[0]
    return head if head in site_ids else ""


def _run_site_ids(doc: dict) -> set[str]:
    """The site ids a run's ``results.json`` was computed from: its ``provenance.inputs`` keys ``site:<id>``."""
    prov = doc.get("provenance") if isinstance(doc.get("provenance"), dict) else {}
    inputs = prov.get("inputs") if isinstance(prov.get("inputs"), dict) else {}
    return {k[len("site:"):] for k in inputs if isinstance(k, str) and k.startswith("site:")}


def _value(v):
    """A published value as a CSV field: a number in full precision (``repr``: it reads back to the
    same float), ``true``/``false``, "" for none (NaN is published as null), text as text."""
    if v is None or isinstance(v, bool):
        return "" if v is None else str(v).lower()
    if isinstance(v, Real):
        f = float(v)
        return "" if not math.isfinite(f) else (str(int(v)) if isinstance(v, int) else repr(f))
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def utc_text(stamp) -> str:
    """An ISO 8601 time (``results.json``'s ``run.started_utc``, ``runs.json``'s ``when``) as results.csv writes
    it: in UTC, ``YYYY-MM-DD HH:MM:SS``, no offset, which a spreadsheet reads as a date and time; text that is
    no such time (or has no offset) is returned as it is, "" for none.

    >>> utc_text("2023-11-14T22:13:20+00:00"), utc_text("2023-11-14T23:13:20+01:00"), utc_text("soon")
    ('2023-11-14 22:13:20', '2023-11-14 22:13:20', 'soon')
    """
    from datetime import datetime, timezone
    if not isinstance(stamp, str):
        return "" if stamp is None else str(stamp)
    try:
        t = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return stamp if t.tzinfo is None else t.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def results_rows(out: Path, status: dict, current: set[str], docs: dict | None = None,
                 resolved: dict | None = None) -> list[dict]:
    """The rows of ``results.csv`` for the folder ``out``: ``status`` is ``runs.json``, ``current``
    the keys (``<site>/<notebook>``) of the render's own runs (:func:`dcplan.report_html.write_index`'s
    ``cur``), ``docs`` the folder's :func:`dcplan.report_html.run_docs` (read if None), ``resolved`` the
    files the render's sites resolve to now (:func:`dcplan.report_stale.resolved_site_files`, as the index's).
    Sites' own reports in folder order, the portfolio's runs first, as the index."""
    from .report_html import (PORTFOLIO_DIR, _failed_text, run_docs, run_parameters_text, unreadable_docs,
                              unreadable_text)
    from .report_foreign import your_files_text
    from .report_stale import RESULTS_JSON_CHANGED, kept_status, other_report_status, results_json_changed
    docs = run_docs(out) if docs is None else docs
    bad = unreadable_docs(out, docs)
    keys = set(docs) | set(bad) | {k for k, st in status.items() if isinstance(st, dict)
                                   and (st.get("not_applicable") or not st.get("ok", True))}
    rows = []
    for k in sorted(keys, key=lambda k: (not k.startswith(PORTFOLIO_DIR), k)):
        site, notebook = k.split("/", 1)
        st = status.get(k, {}) if isinstance(status.get(k), dict) else {}
        doc = docs.get(k)
        base = {"site": site, "this_render": "yes" if k in current else "no", "your_files": your_files_text(st)}
        if doc is None and k in bad:  # its report may be there; its figures cannot be read
            why = f"no figures: {unreadable_text(k, bad[k])}" + (
                f"; its latest run failed: {_failed_text(st)}" if st.get("ok") is False else "")
            rows.append({**base, "site_name": st.get("site_name", ""), "notebook": st.get("notebook", notebook),
                         "status": why, "rendered_utc": utc_text(st.get("when", "")),
                         "report": f"{k}/report.html" if (out / k / "report.html").is_file() else ""})
            continue
        if doc is None:
            why = (f"no report: not applicable: {st['not_applicable']}" if st.get("not_applicable")
                   else f"no report: failed: {_failed_text(st)}")
            rows.append({**base, "site_name": st.get("site_name", ""), "notebook": st.get("notebook", notebook),
                         "status": why, "rendered_utc": utc_text(st.get("when", ""))})
            continue
        run = doc.get("run") if isinstance(doc.get("run"), dict) else {}
        # runs.json's record decides when the mark in results.json is missing (a marking cut short)
        state = kept_status(doc, st)
        if k not in current:  # shown as it was rendered: of this portfolio? are its inputs still those?
            state = other_report_status(doc, state, resolved)
        if k not in current and results_json_changed(out / k, st):
            state = RESULTS_JSON_CHANGED if state == "current" else f"{state}; {RESULTS_JSON_CHANGED}"
        common = {**base, "site_name": doc.get("site_name") or "", "notebook": doc.get("notebook") or notebook,
                  "status": state, "parameters": run_parameters_text(doc),
                  "rendered_utc": utc_text(run.get("started_utc", "")), "report": f"{k}/report.html"}
        results = doc.get("results") if isinstance(doc.get("results"), dict) else {}
        ids = _run_site_ids(doc)
        for key, r in results.items():
            if not isinstance(r, dict):
                continue
            rows.append({**common, "key": key, "value": _value(r.get("value")), "unit": r.get("unit") or "",
                         "label": r.get("label") or "", "headline": "true" if r.get("headline") else "false",
                         "subject_site": subject_site(site, key, ids)})
    return rows


def _is_number(text) -> bool:
    """``text`` is a finite number as :func:`_value` writes one (``-6814752.07``, ``-2.5e-07``)."""
    try:
        return math.isfinite(float(text))
    except (TypeError, ValueError):
        return False


def results_csv_text(rows: list[dict]) -> str:
    """The CSV text of ``rows`` (header first), every text field made safe (:func:`safe_text`), but a
    ``value`` that is a number: a negative one stays a number a spreadsheet sums (with a ``'`` it is
    text, and a pivot of NPVs would drop exactly the downside ones)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    w.writerows([row.get(c, "") if c == "value" and _is_number(row.get(c, "")) else safe_text(row.get(c, ""))
                 for c in COLUMNS] for row in rows)
    return buf.getvalue()


def write_results_csv(out: Path, status: dict, current: set[str], docs: dict | None = None,
                      resolved: dict | None = None) -> Path:
    """Replace ``out/results.csv`` atomically with the folder's figures (:func:`results_rows`)."""
    from .report_files import atomic_write
    path = out / RESULTS_CSV
    data = results_csv_text(results_rows(out, status, current, docs, resolved)).encode(ENCODING)
    atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))
    return path


def is_dcplan_results_csv(path: Path) -> bool:
    """``path`` begins with the header :func:`write_results_csv` writes, or one it wrote before ``your_files`` or
    ``subject_site`` (a user's own ``results.csv`` does not)."""
    try:
        with open(path, encoding=ENCODING, newline="") as f:
            return f.readline().rstrip("\r\n") in _HEADERS
    except (OSError, UnicodeDecodeError):
        return False
