"""A run's provenance as its reader sees it: a block at the end of ``report.html`` and the TCO
workbook's ``Provenance`` sheet (part of :mod:`dcplan.report`).

Both show the provenance dict of the run's ``results.json`` (:func:`dcplan.report_fingerprint.provenance`,
computed once per run by :mod:`dcplan.report_execute`, not again here): dcplan's version, git commit
and source digest, the Python and key library versions, when the run started, the values of the
run's parameters, and each input file's path and SHA-256, with the site files a parameter's file
replaced and the data vintages.

* **Paths as given**: an input under the working folder of ``dcplan render`` reads relative to it
  (``-p tariff_file mytariffs/x.json`` shows ``mytariffs/x.json``, not the file name alone nor
  the absolute path); others read absolute. results.json keeps the absolute paths.
* **The time** is the run's start (UTC, results.json's ``run.started_utc``, results.csv's
  ``rendered_utc``: :func:`run_start_utc`), the one line that differs between two renders of the
  same inputs; with ``SOURCE_DATE_EPOCH`` set (the reproducible-builds convention) that time is the
  run's start everywhere, said so (results.json's ``run.started_from``), so two renders give the same bytes.
* **The workbook**: render writes the run's record (:func:`run_record`) to a file named by
  :data:`PROVENANCE_ENV` in the kernel's environment; :func:`dcplan.tco_export_xlsx.xlsx_writer` adds
  the sheet from it (:func:`sheet_frame`). A workbook written outside render has no such sheet (its About
  sheet's ``provenance`` row says so: :func:`dcplan.tco_export.outside_render_text`).
* **site_analysis's and portfolio_sweep's CSVs**: the same record closes ``<site>_hourly_about.csv``
  (:func:`about_rows`, :func:`dcplan.site_hourly.write_hourly_csv`) and fills the ``provenance`` column of
  ``<site>_sustainability.csv`` (:func:`dcplan.sustainability.write_sustainability_csv`) and of portfolio_sweep's
  ``portfolio_sweep_cases.csv`` in one line (:func:`one_line`, :func:`with_provenance`); outside render they
  have neither.
* **Data files a parameter stands in for** (:data:`DATA_FILE_PARAMETERS`): a bundled data file read
  only when a parameter is empty is an input only of notebooks declaring that parameter, and a
  replaced input (``replaced_inputs``) when the parameter names a file (:func:`bundled_data_inputs`).
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
from pathlib import Path

#: the kernel's variable naming the file with the run's record (:func:`run_record`), for exports
PROVENANCE_ENV = "DCPLAN_PROVENANCE_FILE"
#: the name of the workbook's sheet (:func:`sheet_frame`)
SHEET = "Provenance"
#: bundled data file -> the notebook parameter that replaces it when it names a file (empty: the
#: bundled file is read): ``interconnection``'s ``system_load_csv`` (data/system_load_example.csv)
DATA_FILE_PARAMETERS = {"system_load_example.csv": "system_load_csv"}


def bundled_data_inputs(names, declared, params: dict, given) -> tuple[list[str], dict[str, str]]:
    """The bundled data files (of ``names``) a run lists as inputs, and those a parameter replaced.

    A file of :data:`DATA_FILE_PARAMETERS` is listed only when the notebook declares its parameter
    (``declared``: the parameters cell's names); when that parameter was given (``given``: the run's
    ``-p`` names) and names a file (``params``' value non-empty) it is replaced:
    ``{"data:<name>": "param:<parameter>"}``."""
    keep, replaced = [], {}
    for n in names:
        par = DATA_FILE_PARAMETERS.get(n)
        if par is None:
            keep.append(n)
        elif par in declared:
            keep.append(n)
            if par in given and isinstance(params.get(par), str) and params[par].strip():
                replaced[f"data:{n}"] = f"param:{par}"
    return keep, replaced


def _plain(v):
    try:
        json.dumps(v, allow_nan=False)
        return v
    except (TypeError, ValueError):
        return repr(v)


def run_record(prov: dict, parameters: dict, started_utc: str, cwd: str | None = None) -> dict:
    """What the report's block and the workbook's sheet show: the run's ``provenance`` (as in
    results.json), its ``parameters`` (the values used), its start (:func:`run_start_utc`) and where
    that came from (:func:`started_from`), and render's working folder (paths under it are shown
    relative to it)."""
    return {"provenance": prov, "parameters": {k: _plain(v) for k, v in parameters.items()},
            "started_utc": started_utc, "started_from": started_from(started_utc),
            "working_folder": str(cwd if cwd is not None else os.getcwd())}


def write_record(record: dict, path: Path) -> Path:
    Path(path).write_text(json.dumps(record, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    return Path(path)


def read_record(environ=None) -> dict | None:
    """The record render gave this kernel (:data:`PROVENANCE_ENV`), or None (outside render, or unreadable)."""
    p = (os.environ if environ is None else environ).get(PROVENANCE_ENV)
    if not p:
        return None
    try:
        doc = json.loads(Path(p).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("provenance"), dict) else None


#: results.json's ``run.started_from`` (:func:`started_from`): where ``run.started_utc`` came from
EPOCH_SOURCE, CLOCK_SOURCE = "SOURCE_DATE_EPOCH", "clock"


def epoch_time(environ=None) -> str | None:
    """``SOURCE_DATE_EPOCH`` as a UTC time (ISO seconds), or None when unset or not a whole number
    of seconds (the clock is used then)."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).isoformat(timespec="seconds")
        except (ValueError, OverflowError, OSError):
            pass
    return None


def check_source_date_epoch(environ=None) -> None:
    """Refuse a ``SOURCE_DATE_EPOCH`` that is set but not a whole number of seconds since 1970-01-01 UTC (the
    reproducible-builds convention says a malformed value is an error): read as the clock, it left the runs
    dated by the clock while their notebooks' cell timings were dropped, reproducible in part and silently."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and epoch_time(environ) is None:
        from .errors import InputError
        raise InputError(f"{epoch!r} is not a whole number of seconds since 1970-01-01 UTC (the reproducible-builds "
                         "convention, e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)); allowed: such a number, or "
                         "unset it to date the reports by the clock", field="SOURCE_DATE_EPOCH")


def run_start_utc(environ=None) -> str:
    """A run's (and a render's) start, the one time its outputs state (report.html, results.json's
    ``run.started_utc``, results.csv's ``rendered_utc``, the workbook's Provenance sheet): with
    ``SOURCE_DATE_EPOCH`` set (the reproducible-builds convention) that time, else the clock. [UTC]"""
    return epoch_time(environ) or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def started_from(started_utc: str | None, environ=None) -> str:
    """Where ``started_utc`` (:func:`run_start_utc`) came from: :data:`EPOCH_SOURCE` or :data:`CLOCK_SOURCE`."""
    t = epoch_time(environ)
    return EPOCH_SOURCE if t is not None and t == started_utc else CLOCK_SOURCE


def shown_time(record: dict) -> str:
    """The time a report shows: the run's start (``record``: :func:`run_record`), said to be
    ``SOURCE_DATE_EPOCH``'s when it is."""
    t = record.get("started_utc") or "unknown"
    return f"{t} ({EPOCH_SOURCE})" if record.get("started_from") == EPOCH_SOURCE else t


def shown_path(path: str | None, cwd: str | None) -> str:
    """``path`` relative to render's working folder ``cwd`` when under it, else as it is."""
    if not path:
        return "(none)"
    if cwd and os.path.isabs(path):
        try:
            rel = os.path.relpath(path, cwd)
        except ValueError:  # another drive
            return path
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return rel
    return path


def rows(record: dict) -> list[tuple[str, str, str, str]]:
    """The record as ``(section, item, value, sha256)`` rows, in reading order."""
    prov = record.get("provenance") or {}
    cwd = record.get("working_folder")
    out = [("dcplan", "version", str(prov.get("dcplan_version")), ""),
           ("dcplan", "source digest (SHA-256 of dcplan/**/*.py)", str(prov.get("dcplan_source_sha256")), ""),
           ("dcplan", "git commit", str(prov.get("git_commit") or "(not a git checkout)"), ""),
           ("dcplan", "python", str(prov.get("python")), ""),
           ("run", "started (UTC)", shown_time(record), ""),
           ("run", "working folder", str(cwd or ""), "")]
    out += [("library", k, str(v or "(not installed)"), "") for k, v in (prov.get("libraries") or {}).items()]
    for k, v in (record.get("parameters") or {}).items():
        text = shown_path(v, cwd) if isinstance(v, str) and os.path.isabs(v) else json.dumps(v, ensure_ascii=False)
        out.append(("parameter", k, text, ""))
    sha = prov.get("inputs_sha256") or {}
    replaced = prov.get("replaced_inputs") or {}
    for k, p in (prov.get("inputs") or {}).items():
        note = f" (replaced by {replaced[k]}: not read)" if k in replaced else ""
        out.append(("input", k, shown_path(p, cwd) + note, str(sha.get(k) or "")))
    out += [("data vintage", k, str(v), "") for k, v in (prov.get("data_vintages") or {}).items()]
    return out


def html_block(record: dict) -> str:
    """A collapsed ``<details>`` block of :func:`rows` for the end of a report (all text escaped)."""
    prov = record.get("provenance") or {}
    e = html.escape
    n_in = len(prov.get("inputs") or {})
    digest = str(prov.get("dcplan_source_sha256") or "")
    head = (f"Provenance: dcplan {e(str(prov.get('dcplan_version')))} (source {e(digest[:12])}), "
            f"started {e(shown_time(record))}, {n_in} input file{'s' if n_in != 1 else ''}")
    body = "".join(f"<tr><td>{e(s)}</td><td>{e(i)}</td><td><code>{e(v)}</code></td>"
                   f"<td><code>{e(h)}</code></td></tr>" for s, i, v, h in rows(record))
    return ("<details class='dcplan-provenance' style='margin: 2em 1em; font-size: 85%'>"
            f"<summary>{head}</summary>"
            "<p>The same record as this run's results.json (<code>provenance</code>, <code>parameters</code> "
            "and <code>run.started_utc</code>); paths under the working folder read relative to it.</p>"
            "<table><thead><tr><th>section</th><th>item</th><th>value / path</th><th>SHA-256</th></tr></thead>"
            f"<tbody>{body}</tbody></table></details>\n")


def with_block(page: str, record: dict) -> str:
    """``page`` (a report's HTML) with :func:`html_block` at its end, before ``</main>`` (the lab
    template's) or ``</body>``."""
    block = html_block(record)
    for tag in ("</main>", "</body>"):
        at = page.rfind(tag)
        if at >= 0:
            return page[:at] + block + page[at:]
    return page + block


def sheet_frame(record: dict):
    """The workbook's ``Provenance`` sheet: :func:`rows` as columns section, item, value, sha256."""
    import pandas as pd
    return pd.DataFrame(rows(record), columns=["section", "item", "value", "sha256"])


#: The first word of each provenance row of an ``item, unit, text`` sidecar (:func:`about_rows`).
ABOUT_PREFIX = "provenance"


def about_rows(record: dict) -> list[tuple[str, None, str]]:
    """:func:`rows` as ``(item, unit, text)`` rows for an export's ``_about.csv`` sidecar (site_analysis's
    ``<site>_hourly_about.csv``): item ``provenance <section>: <item>``, no unit, the value with its SHA-256
    after it when it has one. The same record as the run's results.json and the TCO workbook's Provenance
    sheet, so a reader given only the CSVs can tie them to the run, its dcplan and its inputs."""
    return [(f"{ABOUT_PREFIX} {s}: {i}", None, v + (f" (SHA-256 {h})" if h else ""))
            for s, i, v, h in rows(record)]


def one_line(record: dict) -> str:
    """The record in one line, for an export of one row (site_analysis's ``<site>_sustainability.csv``
    ``provenance`` column): dcplan's version, git commit and source digest, the run's start, and each input
    file with the first 12 hex digits of its SHA-256 (the full record: the run's results.json)."""
    prov = record.get("provenance") or {}
    cwd = record.get("working_folder")
    sha = prov.get("inputs_sha256") or {}
    inputs = "; ".join(f"{k} {shown_path(p, cwd)}" + (f" ({str(sha[k])[:12]})" if sha.get(k) else "")
                       for k, p in (prov.get("inputs") or {}).items())
    return (f"dcplan {prov.get('dcplan_version')}, git commit {prov.get('git_commit') or '(not a git checkout)'}, "
            f"source {str(prov.get('dcplan_source_sha256') or '')[:12]}; run started {shown_time(record)} (UTC)"
            + (f"; inputs (SHA-256, first 12 hex digits): {inputs}" if inputs else ""))


def with_provenance(table):
    """``table`` (an export of rows: site_analysis's sustainability CSV, portfolio_sweep's cases) with a last
    column ``provenance``, :func:`one_line` of the run's record, in a ``dcplan render`` run (:func:`read_record`);
    outside render ``table`` itself (no record to give). The same record as the run's results.json and the TCO
    workbook's Provenance sheet, so a CSV pasted into a committee pack says which dcplan and inputs made it."""
    record = read_record()
    return table if record is None else table.assign(provenance=one_line(record))


def code_text(docs: dict, keys) -> str:
    """Which code made the reports of ``keys`` (``<site>/<notebook>``; ``docs``: their results.json by key, a key
    without one is left out), in a sentence for the index: dcplan's version, git commit and source digest
    (results.json's ``provenance``, the full record in each report's Provenance block). A committee pack names
    the code its figures came from, not only "dcplan 0.1.0". Runs made by different code (a report kept or shown
    from an earlier render: its fingerprint holds the source digest, not the commit, so a commit that changed no
    ``dcplan/**/*.py`` keeps it) are said to differ, each code with its reports, never one shown for all; ""
    when no report is given."""
    groups: dict[tuple, list[str]] = {}
    for k in sorted(k for k in keys if isinstance(docs.get(k), dict)):
        prov = docs[k].get("provenance")
        prov = prov if isinstance(prov, dict) else {}
        code = (str(prov.get("dcplan_version") or "(not recorded)"),
                str(prov.get("git_commit") or ("(not a git checkout)" if prov else "(not recorded)")),
                str(prov.get("dcplan_source_sha256") or "(not recorded)"))
        groups.setdefault(code, []).append(k)

    def named(code: tuple) -> str:
        return f"dcplan {code[0]}, git commit {code[1]}, source digest {code[2]}"

    if not groups:
        return ""
    what = "(source digest: SHA-256 of dcplan/**/*.py; each report's Provenance block gives the full record)"
    if len(groups) == 1:
        (code, ks), = groups.items()
        return f"The {len(ks)} report(s) shown were made by {named(code)} {what}."
    parts = []
    for code, ks in sorted(groups.items(), key=lambda g: (-len(g[1]), g[0])):
        listed = ", ".join(ks[:5]) + (f" and {len(ks) - 5} more" if len(ks) > 5 else "")
        parts.append(f"{named(code)}: {len(ks)} report(s) ({listed})")
    return (f"The reports shown were not all made by the same code but by {len(groups)} (a report kept or shown from "
            f"an earlier render was made by that render's code) {what}: " + "; ".join(parts) + ".")


# ---------------------------------------------------------------------------
# the same bytes for the same inputs (report.html, notebook.ipynb)

def stable_cell_ids(nb) -> None:
    """Give the cells papermill added (tagged ``injected-parameters``, ``papermill-error-cell-tag``)
    an id from their tag and position instead of papermill's random one (the notebook's own cells
    keep theirs): two renders of the same inputs then give the same bytes."""
    taken = {c.get("id") for c in nb.cells}
    for i, c in enumerate(nb.cells):
        tags = (c.get("metadata") or {}).get("tags") or []
        tag = next((t for t in tags if t in ("injected-parameters", "papermill-error-cell-tag")), None)
        if tag is None or "id" not in c:
            continue
        new = f"dcplan-{tag}-{i + 1}"
        while new in taken - {c["id"]}:
            new += "x"
        taken.discard(c["id"])
        c["id"] = new
        taken.add(new)


#: a cell's timing metadata (nbclient's ``execution``, papermill's start, end and duration)
_CELL_TIMES = ("start_time", "end_time", "duration")


def without_times(nb) -> None:
    """With ``SOURCE_DATE_EPOCH`` set (the reproducible-builds convention): drop the executed
    notebook's clock readings (each cell's ``execution`` times and papermill's start, end and
    duration, the notebook's too), the only bytes besides the cells' ids that differ between two
    renders of the same inputs. Without it they are kept (a reader sees which cell took long)."""
    if not os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return
    for meta in [nb.metadata] + [c.get("metadata") or {} for c in nb.cells]:
        meta.pop("execution", None)
        pm_meta = meta.get("papermill")
        if isinstance(pm_meta, dict):
            for k in _CELL_TIMES:
                pm_meta.pop(k, None)
