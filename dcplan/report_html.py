"""HTML pages: executed notebooks to reports, and the index (part of :mod:`dcplan.report`).

:func:`_to_html` converts an executed notebook with one nbconvert exporter per process
and setting (code hidden unless ``show_code``; its templates load once);
:func:`_warm_up` loads those templates, and the kernel client, before the first run
needs them. :func:`write_index` writes ``index.html``, linking every report with its
headline figures and exported files, atomically.

nbconvert is imported when first used, not with this module.
"""
from __future__ import annotations

import functools
import html
import json
import threading
import urllib.parse
from pathlib import Path

from .index_npv import npv_comparison, npv_html  # noqa: F401 - npv_comparison: the index's, as before
from .index_sort import SORT_CSS, SORT_SCRIPT, sort_th, text_attr
from .report_files import atomic_write_text
from .report_plan import PORTFOLIO_DIR
from .report_stale import RESULTS_JSON_CHANGED, kept_status, portfolio_text, results_json_changed
from .results import format_value


#: nbconvert template folder: ``dcplan_report`` is JupyterLab's page without the scripts it
#: loads from a CDN (require.js, MathJax, mermaid): a report opens complete offline, and a
#: "$" in prose stays a dollar sign (MathJax typeset "$/GPU-h, $/MWh" as math).
TEMPLATES = Path(__file__).parent / "templates"


@functools.lru_cache(maxsize=2)
def _html_exporter(show_code: bool):
    """One exporter per worker and setting: its templates load once (about 0.1 s), not per run."""
    from nbconvert import HTMLExporter
    exp = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="dcplan_report")
    exp.exclude_input = not show_code
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    return exp


_HTML_LOCK = threading.Lock()


def _to_html(nb, show_code: bool, title: str) -> str:
    with _HTML_LOCK:  # the exporter is shared; the warm-up thread may be using it
        body, _ = _html_exporter(show_code).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _warm_up(show_code: bool = False) -> None:
    """Load what a process's first run would otherwise load on its critical path: the
    kernel client and the HTML exporter's templates (and the regexes behind them).
    Run in a thread while the first kernel starts, and in the worker pool's server."""
    try:
        import jupyter_client.asynchronous  # noqa: F401
        import nbformat
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("*warm-up*"),
                                             nbformat.v4.new_code_cell("1")])
        _to_html(nb, show_code, "warm-up")
    except Exception:  # noqa: BLE001 - an optimisation only; the real run reports real errors
        pass


# ---------------------------------------------------------------------------
# index

def _run_folders(out: Path):
    """``(key, results.json path)`` of each run folder in ``out`` (``<site>/<notebook>``), but ``_failed``
    and hidden folders."""
    for results_file in sorted(out.glob("*/*/results.json")):
        if not results_file.parts[-3].startswith((".", "_failed")):
            yield f"{results_file.parts[-3]}/{results_file.parts[-2]}", results_file


def _read_doc(path: Path) -> tuple[dict | None, str | None]:
    """``(content, None)`` of a run's ``results.json``, or ``(None, why it cannot be read)``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        return None, e.strerror or str(e)
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except ValueError as e:  # json.JSONDecodeError: its line and column
        return None, f"not valid JSON: {e}"
    if not isinstance(doc, dict):
        return None, f"not a JSON object (a {type(doc).__name__})"
    return doc, None


def run_docs(out: Path) -> dict[str, dict]:
    """The ``results.json`` of every run folder in ``out`` (``<site>/<notebook>`` -> its content), but
    ``_failed`` and hidden folders; a file that cannot be read or is not a JSON object is left out
    (:func:`unreadable_docs` says why)."""
    docs = {}
    for key, results_file in _run_folders(out):
        doc, _ = _read_doc(results_file)
        if doc is not None:
            docs[key] = doc
    return docs


def unreadable_docs(out: Path, docs: dict) -> dict[str, str]:
    """``<site>/<notebook>`` -> why, for each run folder in ``out`` whose ``results.json`` is there but
    :func:`run_docs` left out (``docs``: its result): unreadable, not JSON, not an object (only those
    files are read again). The index and ``results.csv`` give each a row saying so
    (:func:`unreadable_text`): its report is never dropped silently."""
    bad = {}
    for key, results_file in _run_folders(out):
        if key not in docs:
            doc, why = _read_doc(results_file)
            if doc is None:
                bad[key] = why
    return bad


def unreadable_text(key: str, why: str) -> str:
    """What the index and ``results.csv`` say of run ``key`` whose ``results.json`` cannot be read."""
    site, notebook = key.split("/", 1)
    # a site's folder is its id (safe_slug keeps an id of up to 60 characters as it is)
    sites = "" if site == PORTFOLIO_DIR else f" --sites {site}" if len(site) <= 60 else " --sites <its site id>"
    return (f"its results.json cannot be read ({why}), so its figures are not listed; render the run again to "
            f"rebuild it (dcplan render --out <this folder> --notebooks {notebook}{sites}, with your other options)")


def write_index(out: Path, status: dict, current: list[str] | None = None, note: str | None = None,
                about: str | None = None, render: str | None = None, resolved: dict | None = None,
                docs: dict | None = None) -> Path:
    """Write ``index.html`` (atomically): the runs of this render, then, in a section of
    their own, the other reports the folder holds.

    ``current`` are the keys (``<site>/<notebook>``, as in ``runs.json``) of this render's
    runs: the first table lists those, each with its report (or its failure, or why it
    is not applicable). The folder may hold more: reports of another portfolio rendered
    into it, of sites since removed from the portfolio, of notebooks not selected this
    time, and failures of such runs. Those are listed below, under "Other reports in this
    folder (not part of this render)", with when they were rendered and how their latest
    run went, so that they are never mistaken for this render's results. ``current=None``
    lists every run folder as current (as before this split). ``note``: a line shown
    above the table (an interrupted render says so). ``about``: the portfolio's name and
    description (what in it is synthetic), shown under the title. ``render``: the id of this
    render, which each ``runs.json`` entry it recorded carries (``render``); given, a run of
    ``current`` whose entry does not carry it (an earlier render's: this render planned the run
    but never recorded it, e.g. it was cut off) is not this render's result: it is counted as not
    run in this render and listed with the folder's other reports, as it last was. ``resolved``:
    the files each site of this render resolves to now
    (:func:`dcplan.report_stale.resolved_site_files`), which the other reports' "inputs changed
    since" compares with the files they read. ``docs``: the folder's :func:`run_docs`, if read already.
    Under the counts the page names the code that made this render's reports (dcplan's version, git commit and
    source digest from their results.json's provenance; :func:`dcplan.report_provenance.code_text`), each code
    with its reports when they differ.
    """
    docs = run_docs(out) if docs is None else docs
    bad = unreadable_docs(out, docs)
    keys = set(docs) | set(bad) | {k for k, st in status.items()
                                   if st.get("not_applicable") or not st.get("ok", True)}
    planned = keys if current is None else set(current)
    cur = planned if render is None else {k for k in planned if status.get(k, {}).get("render") == render}
    order = (lambda k: (k.startswith(PORTFOLIO_DIR) is False, k))
    now_rows, groups = [], {}  # groups: the first row of each site (and of the portfolio runs), for the jump links
    for k in sorted(cur, key=order):
        row = _index_row(out, k, docs.get(k), status.get(k, {}), unreadable=bad.get(k))
        if not row:
            continue
        group = k.split("/")[0]
        # every row names its site's jump target (data-jump); the first carries it as its id, and after a sort
        # the page's script moves the id to the site's first row as then shown (dcplan.index_sort)
        first = group not in groups
        if first:
            groups[group] = _group_name(group, docs.get(k), status.get(k, {}))
        anchor = html.escape(_anchor(group))
        row = row.replace("<tr ", (f"<tr id='{anchor}' " if first else "<tr ") + f"data-jump='{anchor}' ", 1)
        now_rows.append(row)
    old_rows = [_index_row(out, k, docs.get(k), status.get(k, {}), current=False, resolved=resolved,
                           unreadable=bad.get(k)) for k in sorted(keys - cur, key=order)]
    old_rows = [r for r in old_rows if r]
    npvs = npv_comparison(docs, cur, status)
    npv_section = npv_html(npvs)
    other = ""
    if old_rows:
        other = (f"<section id='{_OTHER_ID}'><h2>Other reports in this folder (not part of this render)</h2>\n"
                 f"<p class='other'>{len(old_rows)} earlier report(s) or failure(s) in this folder that this "
                 "render did not run: another portfolio's, a site no longer in the portfolio, a "
                 "notebook not selected this time, or, while a render runs (or after it was killed or cut "
                 "off), a run of it that has not ended. They are shown as they were last rendered; a row says 'not in "
                 "this render's portfolio' when its site is none of the portfolio's, or it read the sites of another "
                 "portfolio file, and 'inputs changed since' when a file it read (its site's YAML, weather, tariff, "
                 "the notebook...) or dcplan's code differs now.</p>\n"
                 f"<table class='other sortable'>{_INDEX_HEAD}<tbody>\n{chr(10).join(old_rows)}\n</tbody></table>"
                 "</section>")
    from . import __version__
    from .report_provenance import code_text
    code = code_text(docs, cur)  # the code that made this render's reports (a committee pack names it)
    # written before the index (dcplan.report_records): every figure of the folder's reports, one row each
    csv_link = ("\nEvery figure of every report here, one row each, for a spreadsheet: "
                "<a href='results.csv'>results.csv</a>." if (out / "results.csv").is_file() else "")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="dcplan {html.escape(__version__)}">
<title>dcplan reports</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 6px 10px; vertical-align: top; text-align: left; }}
th {{ background: #f4f4f4; }} ul {{ margin: 0; padding-left: 1.2em; }}
tr.failed td {{ background: #fff3f0; }} a.file, details.file {{ font-size: 90%; }}
.err {{ color: #b00020; font-size: 90%; }}
.warn {{ color: #8a5300; font-size: 90%; }} .warn ul {{ margin-top: 2px; }}
tr.na td {{ color: #666; }} .na {{ font-size: 90%; }} .params {{ font-size: 90%; color: #444; }}
table.other td, p.other {{ color: #666; }} table.other tr.failed td {{ background: none; }}
ul.figs li {{ color: #555; font-size: 92%; margin-bottom: 4px; }} ul.figs b {{ color: #000; font-size: 109%; }}
p.jump, p.code {{ font-size: 95%; }} p.code {{ overflow-wrap: anywhere; }} p.jump a {{ margin-right: 0.2em; }}
{SORT_CSS}
</style></head><body>
<h1>dcplan reports</h1>
{f"<p class='about'>{html.escape(about)}</p>" if about else ""}
{f"<p class='err'>{html.escape(note)}</p>" if note else ""}
<p>{_render_counts(planned, status, docs, render)} Generated by dcplan {html.escape(__version__)}.{csv_link}</p>
{f"<p class='code'>{html.escape(code)}</p>" if code else ""}
{_jump_links(groups, bool(npv_section), bool(other))}
<table class='sortable'>{_INDEX_HEAD}<tbody>
{chr(10).join(now_rows)}
</tbody></table>
{f"<section id='{_NPV_ID}'>{npv_section}</section>" if npv_section else ""}
{other}{SORT_SCRIPT}
</body></html>
"""
    path = out / "index.html"
    atomic_write_text(path, page)
    return path


#: Ids of the index's sections the jump links point to (the runs' groups: :func:`_anchor`).
_NPV_ID, _OTHER_ID = "tco-npvs", "other-reports"


def _anchor(group: str) -> str:
    """The id of a site's first row in the index (``group``: the run folder's first part, a safe slug)."""
    return f"site-{group}"


def _group_name(group: str, doc: dict | None, st: dict) -> str:
    """How the jump links name a site's rows: its name; the portfolio notebooks' runs by the portfolio's name."""
    name = (doc or {}).get("site_name") or st.get("site_name")
    if group == PORTFOLIO_DIR:  # its runs carry the portfolio's name
        return f"{name} (portfolio)" if name else "Portfolio"
    return name or group


def _jump_links(groups: dict, npv: bool, other: bool) -> str:
    """"Jump to:" links to each site's first row (``groups``: folder part -> name, in the table's order), the NPV
    table and the folder's other reports; "" for a page of one group and neither section (nothing to jump to)."""
    links = [(_anchor(g), name) for g, name in groups.items()]
    links += [(_NPV_ID, "TCO NPVs")] if npv else []
    links += [(_OTHER_ID, "reports not of this render")] if other else []
    if len(links) < 2:
        return ""
    return ("<p class='jump'>Jump to: " + " · ".join(
        f"<a href='#{html.escape(urllib.parse.quote(a))}'>{html.escape(n)}</a>" for a, n in links) + "</p>")


def _render_counts(cur: set, status: dict, docs: dict, render: str | None = None) -> str:
    """What this render's runs (``cur``) did, in one sentence: executed (ok), kept from earlier
    renders, failed (an earlier good report shown where there is one), not applicable, not run
    in this render (no entry in ``status``, or, given this render's id ``render``, an entry of
    an earlier render: counted from it, a run cut off was counted as that render's result)."""
    n = {"executed": 0, "kept": 0, "failed": 0, "na": 0, "open": 0}
    shown = 0
    for k in cur:
        st = status.get(k)
        if st is None or (render is not None and st.get("render") != render):
            n["open"] += 1
            continue
        shown += k in docs
        if st.get("not_applicable"):
            n["na"] += 1
        elif st.get("reused"):
            n["kept"] += 1
        elif st.get("ok"):
            n["executed"] += 1
        else:
            n["failed"] += 1
    parts = [f"{n['executed']} executed"] + [f"{v} {w}" for v, w in (
        (n["kept"], "kept from earlier renders (inputs unchanged)"), (n["failed"], "failed"),
        (n["na"], "not applicable"),
        (n["open"], "not run in this render (listed with the folder's other reports, as they last were)")) if v]
    return (f"{len(cur)} run(s) in this render: {', '.join(parts)}; {shown} report(s) shown"
            + (" (a failed run's is its previous good report)" if n["failed"] and shown > n["executed"] + n["kept"]
               else "") + ".")


#: The head of the index's tables of runs: sortable by site, notebook and time (dcplan.index_sort); not by the
#: headline figures, a list of different figures in each row.
_INDEX_HEAD = ("<thead><tr>" + sort_th("Site", "text") + sort_th("Report", "text") + sort_th("Headline figures", None)
               + sort_th("Run (UTC): started; a failure, ended", "text") + "</tr></thead>")


def _index_row(out: Path, key: str, doc: dict | None, st: dict, current: bool = True,
               resolved: dict | None = None, unreadable: str | None = None) -> str:
    """One row of the index: run ``key``'s report (``doc``: its results.json, if it has one)
    and its latest status ``st`` (``runs.json``); "" for a run with neither. ``unreadable``: why
    its results.json, which is there, cannot be read (:func:`unreadable_docs`)."""
    if doc is None and unreadable:
        link = f"{key}/report.html"
        report = (f"<a href='{_href(link)}'>{html.escape(key)}</a>" if (out / link).is_file()
                  else html.escape(key))
        latest = (f" Its latest run failed: {html.escape(_failed_text(st))}." if st and st.get("ok") is False
                  else "")
        return (f"<tr class='failed'>{_site_td(st.get('site_name', ''))}"
                f"<td{_nb_attr(key, st)}>{report}<div class='err'>{html.escape(unreadable_text(key, unreadable))}."
                f"{latest}</div></td><td></td>{_when_td(st.get('when', ''))}</tr>")
    if doc is None:
        if st.get("not_applicable"):
            return (f"<tr class='na'>{_site_td(st.get('site_name', ''))}"
                    f"<td{_nb_attr(key, st)}>{html.escape(key)}<div class='na'>not applicable: "
                    f"{html.escape(st['not_applicable'])}{_na_error(st)}</div></td>"
                    f"<td></td>{_when_td(st.get('when', ''))}</tr>")
        if st and not st.get("ok", True):  # a failed run that never had a good report
            return (f"<tr class='failed'>{_site_td(st.get('site_name', ''))}"
                    f"<td{_nb_attr(key, st)}>{html.escape(key)}<div class='err'>failed: "
                    f"{html.escape(_failed_text(st))}"
                    f"{_failed_link(out, key)}</div></td>"
                    f"<td></td>{_when_td(st.get('when', ''))}</tr>")
        return ""
    heads = [(k, r) for k, r in doc.get("results", {}).items() if r.get("headline")]
    # a probability below 0.1 % or above 99.9 % by its key: "< 0.1 %", not "1.11e-14 %" (dcplan.prob_display)
    figs = "".join(f"<li>{html.escape(r['label'])}: <b>{html.escape(format_value(r['value'], r.get('unit'), k))}</b></li>"
                   for k, r in heads)
    state = "ok"
    note = ""
    if st.get("not_applicable"):  # outputs of an earlier render, when the site still had the section
        state = "na"
        now = "now" if current else "at its latest run"
        note = (f"<div class='na'>not applicable {now} ({html.escape(st.get('when', ''))}): "
                f"{html.escape(st['not_applicable'])}; the report shown is from an earlier render"
                f"{_na_error(st)}.</div>")
    elif st and not st.get("ok", True):
        state = "failed"
        note = (f"<div class='err'>latest run failed ({html.escape(st.get('when', ''))}): "
                f"{html.escape(_failed_text(st))}; showing the previous good report."
                f"{_failed_link(out, key)}</div>")
    elif isinstance(st.get("force_pending"), dict) and st["force_pending"]:  # report_records.FORCE_PENDING
        state = "failed"
        note = f"<div class='err'>{html.escape(kept_status(doc, st))}: showing the previous report.</div>"
    if not current and (other := portfolio_text(doc, resolved)):  # of a site or portfolio not this render's
        note += f"<div class='err'>{html.escape(other)}.</div>"
    if not current and state == "ok":  # shown as it was rendered: are its inputs still those?
        note += _changed_note(doc, resolved)
    if not current and results_json_changed(out / key, st):  # and is it the results.json rendered?
        note += f"<div class='err'>{html.escape(RESULTS_JSON_CHANGED)}.</div>"
    note += _your_files_note(st)
    link = f"{key}/report.html"
    files = _files_cell(key, doc.get("artifacts", []))
    return (f"<tr class='{state}'>{_site_td(doc.get('site_name') or '')}"
            f"<td{text_attr(doc.get('notebook', ''))}><a href='{_href(link)}'>"
            f"{html.escape(doc.get('notebook', ''))}</a>"
            f"{_params_cell(doc)}{files}{note}"
            f"{_warnings_cell(doc.get('warnings'))}</td>"
            f"<td><ul class='figs'>{figs}</ul></td>{_when_td(doc.get('run', {}).get('started_utc', ''))}</tr>")


def _site_td(name: str) -> str:
    """A row's site cell, sorted by the site's name (:mod:`dcplan.index_sort`)."""
    return f"<td{text_attr(name)}>{html.escape(name)}</td>"


def _nb_attr(key: str, st: dict) -> str:
    """The sort key of the report cell of a row without a report (it shows ``key``): its notebook, as a report's
    row is sorted (:mod:`dcplan.index_sort`)."""
    return text_attr(st.get("notebook") or key.split("/", 1)[-1])


def _when_td(when) -> str:
    """A row's time cell: the time as recorded, sorted by it in UTC (``YYYY-MM-DD HH:MM:SS``,
    :func:`dcplan.report_table.utc_text`: a time of another offset sorts by the instant it is)."""
    from .report_table import utc_text
    return f"<td{text_attr(utc_text(when))}>{html.escape(when if isinstance(when, str) else str(when or ''))}</td>"


def run_parameters_text(doc: dict) -> str:
    """``"with -p tariff_file=comed-il-large-load.json, scenario=high"``: the parameters a run was
    given (results.json ``parameters_injected`` but ``site`` and ``portfolio``, which render sets;
    ``parameters`` their values), a file parameter by its file's name, a value over 40 characters
    cut; "" for none."""
    from .report_params import is_file_parameter
    names = [k for k in doc.get("parameters_injected") or [] if isinstance(k, str) and k not in ("site", "portfolio")]
    values = doc.get("parameters") if isinstance(doc.get("parameters"), dict) else {}
    parts = []
    for k in names:
        v = values.get(k)
        text = Path(v).name if is_file_parameter(k) and isinstance(v, str) and v else str(v)
        parts.append(f"{k}={text if len(text) <= 40 else text[:39] + '…'}")
    return f"with -p {', '.join(parts)}" if parts else ""


def _params_cell(doc: dict) -> str:
    text = run_parameters_text(doc)
    return f"<div class='params'>{html.escape(text)}</div>" if text else ""


def _na_error(st: dict) -> str:
    """"; <error>" of a not-applicable run whose kept report could not be marked (``runs.json``'s
    ``error``: :func:`dcplan.report_records._entry`), else ""."""
    return f"; {html.escape(st['error'])}" if isinstance(st.get("error"), str) and st["error"] else ""


def _your_files_note(st: dict) -> str:
    """The files of a reader's own that the run moved out of its previous folder when it replaced it, and a link
    to the folder they went to (:func:`dcplan.report_foreign.your_files_text`: results.csv's ``your_files`` says the
    same words); "" for none."""
    from .report_foreign import your_files_text
    # a relative link into the reports folder's _your_files/ only (your_files_text checks runs.json's dir)
    text = your_files_text(st, most=5, esc=html.escape,
                           link=lambda where: f"<a class='file' href='{_href(where + '/')}'>{html.escape(where)}/</a>")
    return f"<div class='warn'>{text}.</div>" if text else ""


def _changed_note(doc: dict, resolved: dict | None = None) -> str:
    """"inputs changed since": the inputs of a report not part of this render (its results.json
    ``doc``) whose files, or dcplan's code, differ now (:func:`dcplan.report_stale.inputs_changed`);
    "" when none of those did (a site analysis's peer sites' files are compared too, as ``peer:<id>:<file>``;
    other sites' files are not)."""
    from .report_stale import inputs_changed, inputs_changed_text
    text = inputs_changed_text(inputs_changed(doc, resolved))
    return f"<div class='err'>{html.escape(text)}.</div>" if text else ""


def _warnings_cell(warnings) -> str:
    """The flag of a report whose run issued dcplan warnings (results.json ``warnings``): "N
    warning(s):" and each message, under the report's link, so the headline figures beside it are
    read with their caveats; "" for none."""
    msgs = [w for w in warnings or [] if isinstance(w, str)]
    if not msgs:
        return ""
    from .peer_warnings import count_text  # its own apart from its peers' (site_analysis ranks peers)
    return (f"<div class='warn' title='{html.escape(chr(10).join(msgs))}'>{html.escape(count_text(msgs))} "
            "(in the report and its results.json):<ul>"
            + "".join(f"<li>Warning: {html.escape(m)}</li>" for m in msgs) + "</ul></div>")


def _href(rel: str) -> str:
    """An ``href`` attribute's value for the relative path ``rel`` (``/``-separated): percent-encoded
    (``#``, ``?``, ``%``, ``:``, quotes and spaces in a folder name, e.g. an ``export_dir``, would end the
    path, start a query or read as a URL scheme), ``/`` kept, then HTML-escaped."""
    return html.escape(urllib.parse.quote(rel, safe="/"))


def _file_link(key: str, rel: str) -> str:
    return f"<a class='file' href='{_href(key + '/' + rel)}'>{html.escape(Path(rel).name)}</a>"


def _files_cell(key: str, artifacts: list[dict]) -> str:
    """A run's exported files under its report link: each workbook (or other non-CSV file),
    the CSVs folded under one line (a TCO export is eight of them), and its results.json
    (every published figure with its unit, label and provenance)."""
    csvs = [a["path"] for a in artifacts if a["path"].endswith(".csv")]
    out = "".join(f"<br>{_file_link(key, a['path'])}" for a in artifacts if not a["path"].endswith(".csv"))
    if csvs:
        out += (f"<details class='file'><summary>{len(csvs)} CSV file(s)</summary>"
                + "<br>".join(_file_link(key, p) for p in csvs) + "</details>")
    return out + f"<br>{_file_link(key, 'results.json')}"


#: How render numbers a failed run's cell (summary table, index, ``runs.json``'s ``failed_cell``).
CELL_NUMBERING = ("cell N of X.ipynb = the Nth cell of the notebook file X.ipynb, counting every cell "
                  "from 1, markdown included (the executed copy in _failed/ also holds papermill's "
                  "injected-parameters cell, and its error banner, so there it comes later)")


def cell_label(cell: int, notebook: str) -> str:
    """``cell N of <notebook>.ipynb`` (see :data:`CELL_NUMBERING`)."""
    return f"cell {cell} of {notebook}.ipynb"


def _failed_text(st: dict) -> str:
    """A failed run's error for the index, with its cell (:data:`CELL_NUMBERING`, as in the
    summary table)."""
    cell = st.get("failed_cell")
    where = f"{cell_label(cell, st.get('notebook', '?'))} (counting markdown cells): " if cell is not None else ""
    return where + (st.get("error") or "")


def _failed_link(out: Path, key: str) -> str:
    """A link to a failed run's executed notebook in ``_failed/``, if it is there."""
    rel = f"_failed/{key}.ipynb"
    if not (out / rel).is_file():
        return ""
    return (f" <a class='file' href='{_href(rel)}'>executed notebook with the traceback "
            f"({html.escape(rel)})</a>")
