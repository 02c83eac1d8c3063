"""Reports kept in the folder that are no longer current (part of :mod:`dcplan.report`).

A render never destroys a good report, but one it keeps must not pass for current:

* **Marked**: when a run's latest attempt failed (or was refused as bad input), or its
  notebook is *not applicable* to its site now, the previous good outputs stay in the run
  folder and :func:`mark_not_current` says so in each of them, in this order: every export
  under ``outputs/`` gets a sibling ``<file>.NOT-CURRENT.txt`` saying why (a workbook itself
  is not edited; :func:`note_name`: shortened where that name would be too long),
  ``report.html`` a banner at the top, and ``results.json`` ``run.status``
  (``"stale: ..."`` / ``"not applicable now: ..."``; a current report's ``run`` has no
  ``status``). Each file is replaced atomically; a file that cannot be written stops the
  marking there and is named in the run's failure line. The marks are undone exactly
  (:func:`unmark_not_current`: the files get their bytes as placed back) when the outputs are
  kept again (same fingerprint: :func:`dcplan.report_fingerprint.reusable`); a run executed
  again replaces the folder whole.
* **Inputs changed since**: the index lists the folder's other reports (not part of this
  render) as they were rendered; :func:`inputs_changed` compares the input hashes their
  ``results.json`` recorded (``provenance.inputs_sha256``) and dcplan's source digest with
  the files and code now, so those rows can say "inputs changed since". A run whose notebook
  reads the other sites records theirs too (``peer:<site id>:<role>``), compared the same way; a
  file read by no recorded input (a site added to the portfolio shows only as the portfolio's
  change) is not: an unchanged list is no proof of currency. A site of this render's portfolio
  (run or not) whose YAML, weather or tariff now resolves to another file (the same site id in
  another portfolio) is listed as ``site (now <path>)``. A run that reads only its own site recorded, besides
  the portfolio file's SHA-256, that of the part it reads (its name and description:
  ``provenance.inputs_part_sha256``), which is compared instead, as its fingerprint holds only that part: a
  site added to the portfolio does not flag it (a render keeps it). The same words are ``results.csv``'s
  ``status`` of such a report (:func:`inputs_changed_text`).
* **Not in this render's portfolio**: a report of a site that is none of this render's portfolio's, or one that
  read every site of another portfolio file, says so (:func:`portfolio_text`), in the index and results.csv alike
  (:func:`other_report_status`).
"""
from __future__ import annotations

import functools
import html
import json
import os
import re
from pathlib import Path

from .paths import NAME_MAX_BYTES, TMP_NAME_EXTRA_BYTES, fit_name
from .report_files import _sha256, atomic_write_text

#: Prefix of a peer's file in a per-site run's provenance (:data:`dcplan.report_plan.PEER_PREFIX`).
PEER_PREFIX = "peer:"

#: Suffix of the note written beside each export of a report that is not current.
NOTE_SUFFIX = ".NOT-CURRENT.txt"
_BANNER_START, _BANNER_END = "<!-- dcplan:not-current -->", "<!-- /dcplan:not-current -->"
_BANNER_RE = re.compile(re.escape(_BANNER_START) + ".*?" + re.escape(_BANNER_END), re.S)


def note_name(export_name: str) -> str:
    """The name of the note beside the export ``export_name`` (a file name): ``<export_name>.NOT-CURRENT.txt``
    (:data:`NOTE_SUFFIX`), or, where that and its temporary name (:data:`dcplan.paths.TMP_NAME_EXTRA_BYTES`) would
    pass the 255 bytes of a file name (an export of a long site id: the tco notebook's
    ``<201-character id>_high-escalation_tco_assumptions.csv``), its start and a hash of the whole name
    (:func:`dcplan.paths.fit_name`), so the note can be written; it names its export inside."""
    return fit_name(export_name, NAME_MAX_BYTES - TMP_NAME_EXTRA_BYTES, NOTE_SUFFIX)


def _dump(doc: dict) -> str:
    """``results.json``'s text as :func:`dcplan.report_execute._finish` writes it."""
    return json.dumps(doc, indent=2, sort_keys=False, allow_nan=False) + "\n"


def mark_not_current(out_dir: Path, status: str) -> str | None:
    """Mark the outputs in ``out_dir`` as not current, saying ``status`` (one line): first a
    note beside each export (the workbook is what goes on to finance), then a banner in
    ``report.html``, then ``run.status`` in ``results.json``. A mark already there is replaced.

    None when marked, or when the folder holds no report (nothing to mark); else what could not
    be written (``"cannot write <file>: <reason>"``: a folder or file made read-only), the
    files before it in that order being marked and the others not (the run's failure line
    says so: :func:`dcplan.report_records._mark_failed`)."""
    try:
        _mark(out_dir, status)
    except _CannotMark as e:
        return str(e)
    return None


def failed_status(when: str, failed_cell: int | None, notebook: str, error: str | None) -> str:
    """The mark of a kept report whose run's latest attempt (ended ``when``) failed: ``"stale: the
    latest render of this run failed (<when>): cell N of <notebook>.ipynb: <error>"``."""
    cell = f"cell {failed_cell} of {notebook}.ipynb: " if failed_cell is not None else ""
    return f"stale: the latest render of this run failed ({when}): {cell}{error or 'no error text'}"


def not_applicable_status(when: str, why: str) -> str:
    """The mark of a kept report whose notebook no longer applies to its site (render of ``when``)."""
    return f"not applicable now (render of {when}): {why}"


def kept_status(doc: dict, st: dict) -> str:
    """``"current"``, or why the report of ``doc`` (its ``results.json``) is not: its ``run.status``
    (the mark render wrote), unless ``runs.json``'s record of the run (``st``, its entry) says its
    latest attempt (``when``) failed or found it not applicable while the mark is missing or of an
    earlier attempt: the marking stops at the first file it cannot write, and ``run.status`` is
    written last (a read-only ``report.html``, a full disk), so ``runs.json`` decides; the status is
    then rebuilt from its entry (its ``error`` saying why the mark is missing). Never ``"current"``
    for a run whose latest attempt failed, nor for one a cut-off ``--force`` render was to execute again
    and had not (its entry's ``force_pending``, :data:`dcplan.report_records.FORCE_PENDING`: the report
    is the one --force was asked to replace)."""
    run = doc.get("run") if isinstance(doc, dict) and isinstance(doc.get("run"), dict) else {}
    mark = run.get("status") if isinstance(run.get("status"), str) and run.get("status") else None
    st = st if isinstance(st, dict) else {}
    pending = st.get("force_pending")  # report_records.FORCE_PENDING (that module imports this one)
    if isinstance(pending, dict) and pending:
        why = str(pending.get("why") or "a --force render was to execute this run again and had not")
        return " ".join(f"stale: {why} ({pending.get('when') or '?'})".split())
    when = str(st.get("when") or "?")
    if st.get("not_applicable"):
        latest = not_applicable_status(when, str(st["not_applicable"]))
        if mark and mark.startswith(_up_to(latest, when)):
            return mark
        return " ".join((latest + (f"; {st['error']}" if st.get("error") else "")).split())
    if st.get("ok") is False:
        latest = failed_status(when, st.get("failed_cell"), str(st.get("notebook") or "?"), st.get("error"))
        if mark and mark.startswith(_up_to(latest, when)):
            return mark
        return " ".join(latest.split())
    return mark or "current"


def _up_to(status: str, when: str) -> str:
    """``status`` up to its ``(... <when>)``: what a mark of that same attempt begins with."""
    end = status.index(f"{when})") + len(when) + 1
    return status[:end]


class _CannotMark(Exception):
    """A file of a report that could not be marked (its message names it and why)."""


def _write(path: Path, text: str) -> None:
    try:
        atomic_write_text(path, text)
    except OSError as e:
        raise _CannotMark(f"cannot write {path}: {e.strerror or e}") from None


def _inside(out_dir: Path, rel: str) -> bool:
    """Whether the artifact path ``rel`` (results.json ``artifacts``) names a file inside the run
    folder, not through a link: an edited results.json with ``../../x`` would have had a note
    written outside it."""
    base = Path(out_dir).resolve()
    p = Path(out_dir) / rel
    if Path(rel).is_absolute() or ".." in Path(rel).parts or p.is_symlink():
        return False
    try:
        p.resolve().relative_to(base)
    except ValueError:
        return False
    return True


def _mark(out_dir: Path, status: str) -> None:
    res = Path(out_dir) / "results.json"
    try:
        doc = json.loads(res.read_text(encoding="utf-8"))
        run = doc["run"]
        if not isinstance(run, dict):
            return
    except (OSError, ValueError, KeyError, TypeError):
        return
    status = " ".join(str(status).split())
    for a in doc.get("artifacts") or []:
        rel = a.get("path") if isinstance(a, dict) else None
        if isinstance(rel, str) and _inside(out_dir, rel) and (Path(out_dir) / rel).is_file():
            _write(Path(out_dir) / Path(rel).parent / note_name(Path(rel).name),
                   f"{Path(rel).name} is NOT CURRENT: {status}.\nIt is the export of the run "
                   f"started {run.get('started_utc', '?')} (see report.html and results.json "
                   "beside outputs/); render the run again for a current one.\n")
    report = Path(out_dir) / "report.html"
    try:
        page = report.read_text(encoding="utf-8")
    except OSError:
        page = None
    if page is not None:
        banner = (f"{_BANNER_START}<div class='dcplan-not-current' style='border: 2px solid #b00020; "
                  f"background: #fff3f0; padding: 8px 12px; margin: 8px; font-family: sans-serif'>"
                  f"<strong>Not current.</strong> {html.escape(status)}. The figures below are those of "
                  f"the run started {html.escape(str(run.get('started_utc', '?')))}; render the run again "
                  f"for current ones.</div>{_BANNER_END}")
        bare = _BANNER_RE.sub("", page, count=1)
        m = re.search(r"<body[^>]*>", bare)
        new = bare[:m.end()] + banner + bare[m.end():] if m else banner + bare
        if new != page:
            _write(report, new)
    if run.get("status") != status:
        run["status"] = status
        _write(res, _dump(doc))


def unmark_not_current(out_dir: Path) -> bool:
    """Undo :func:`mark_not_current` (the files get their bytes as placed back); True when
    anything was marked (and so changed)."""
    try:
        return _unmark(out_dir)
    except OSError:
        return True  # partly undone: the caller hashes the files again


def _unmark(out_dir: Path) -> bool:
    changed = False
    res = Path(out_dir) / "results.json"
    try:
        doc = json.loads(res.read_text(encoding="utf-8"))
        if isinstance(doc.get("run"), dict) and "status" in doc["run"]:
            del doc["run"]["status"]
            atomic_write_text(res, _dump(doc))
            changed = True
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    report = Path(out_dir) / "report.html"
    try:
        page = report.read_text(encoding="utf-8")
        bare = _BANNER_RE.sub("", page, count=1)
        if bare != page:
            atomic_write_text(report, bare)
            changed = True
    except OSError:
        pass
    outputs = Path(out_dir) / "outputs"
    if outputs.is_dir():
        for note in outputs.rglob("*" + NOTE_SUFFIX):
            if note.is_file() and not note.is_symlink():
                note.unlink(missing_ok=True)
                changed = True
    return changed


@functools.lru_cache(maxsize=256)
def _hash_at(path: str, size: int, mtime_ns: int) -> str | None:
    return _sha256(Path(path))


def _current_sha256(path: str) -> str | None:
    """SHA-256 of ``path`` now (cached while its size and mtime stay: the index is written
    after every run); None when it is gone or unreadable."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _hash_at(path, st.st_size, st.st_mtime_ns)


def results_json_changed(run_dir: Path, st: dict) -> bool:
    """Whether the ``results.json`` in ``run_dir`` is not the one ``runs.json`` recorded for its run
    (``st``: its entry; ``sha256``, :func:`dcplan.report_records._entry`, written as the run was placed,
    marked or kept): edited since, so its figures may not be the run's. False when ``runs.json``
    recorded no SHA-256 (a run not applicable, an earlier version's entry) or the file is gone."""
    rec = st.get("sha256") if isinstance(st, dict) else None
    rec = rec.get("results.json") if isinstance(rec, dict) else None
    if not isinstance(rec, str):
        return False
    now = _current_sha256(str(Path(run_dir) / "results.json"))
    return now is not None and now != rec


def inputs_changed_text(changed: list[str]) -> str:
    """How the index and ``results.csv`` flag a report not of this render whose inputs changed since it was
    rendered (``changed``: :func:`inputs_changed`'s list): ``"inputs changed since it was rendered (site): its
    figures may not be current; render it again"``; ``""`` when none did."""
    if not changed:
        return ""
    return (f"inputs changed since it was rendered ({', '.join(changed)}): its figures may not be current; "
            "render it again")


#: How the index and ``results.csv`` flag a report whose ``results.json`` is not the one rendered
#: (:func:`results_json_changed`).
RESULTS_JSON_CHANGED = ("results.json changed since it was rendered (not the file runs.json recorded): its figures "
                        "may not be the run's; render the run again")


def _site_role(name: str) -> bool:
    """``name`` is the role of a file a site's YAML names (:func:`dcplan.report_plan.site_input_files`)."""
    return name in ("site", "weather", "tariff", "fleet_data") or name.startswith("tariff_prices")


def _peer_role(name: str) -> tuple[str, str] | None:
    """``(site id, role)`` of a peer's file in a per-site run's inputs (``peer:<site id>:<role>``,
    :func:`dcplan.report_plan.peer_input_files`); None for any other input."""
    if not name.startswith(PEER_PREFIX):
        return None
    sid, _, role = name[len(PEER_PREFIX):].partition(":")
    return (sid, role) if sid and _site_role(role) else None


class SiteFiles(dict):
    """:func:`resolved_site_files`' ``{site id: {role: path or None}}``, with ``portfolio``: the portfolio file of
    the render's runs (resolved, as their ``portfolio`` input; None when they name none), which
    :func:`portfolio_text` compares with the one each other report was rendered from."""

    def __init__(self, *args, portfolio: str | None = None, **kw):
        super().__init__(*args, **kw)
        self.portfolio = portfolio


def resolved_site_files(runs) -> SiteFiles:
    """``{site id: {role: path or None}}``: the files each site of the portfolio of a render's ``runs``
    (:class:`dcplan.report_plan.Run`) resolves to now (its YAML, weather, tariff, ...), from
    the runs' own inputs and the portfolio's files they hold (``portfolio_site_files``: every site's, also of a
    render of some sites or of notebooks that read only their own: a report of a site of this portfolio rendered
    from another YAML, the same id in another portfolio, was called current); sites of no portfolio are absent.
    Its ``portfolio`` (:class:`SiteFiles`): the runs' portfolio file."""
    now = SiteFiles()
    for r in runs:
        pf = (getattr(r, "input_files", None) or {}).get("portfolio")
        if pf and now.portfolio is None:
            now.portfolio = str(pf)
        for k, p in {**(getattr(r, "portfolio_site_files", None) or {}), **(r.portfolio_files or {})}.items():
            role, _, sid = k.rpartition(":")
            if role and _site_role(role):
                now.setdefault(sid, {})[role] = str(p) if p else None
        if r.site_id is not None:
            mine = now.setdefault(r.site_id, {})
            mine.update({k: str(p) if p else None for k, p in r.input_files.items() if _site_role(k)})
    return now


def inputs_changed(doc: dict, resolved: dict | None = None) -> list[str]:
    """What changed since the run of ``doc`` (its ``results.json``): each input of its
    ``provenance`` whose file now has another SHA-256 or is gone (``"site"``,
    ``"weather"``, ...), and ``"dcplan code"`` when dcplan's source differs. Empty when none
    of those changed (or ``doc`` records none).

    ``resolved`` (:func:`resolved_site_files` of this render's runs): the files each site
    resolves to now; a role of the run's site (of every site, for a portfolio run; of its
    peers, ``peer:<site id>:<role>``, for a run that read them) that now resolves to another
    file (a weather file put beside the site YAML, a tariff removed) is listed as
    ``"weather (now <path>)"``. Sites not in this render's portfolio are not compared."""
    from .report_fingerprint import dcplan_source_digest
    prov = doc.get("provenance") if isinstance(doc, dict) else None
    if not isinstance(prov, dict):
        return []
    paths, hashes = prov.get("inputs") or {}, prov.get("inputs_sha256") or {}
    part = prov.get("inputs_part_sha256") if isinstance(prov.get("inputs_part_sha256"), dict) else {}
    moved = _moved(doc, paths, resolved or {})
    changed = [k for k, h in sorted(hashes.items())
               if k not in moved and isinstance(h, str) and isinstance(paths.get(k), str)
               and _current_sha256(paths[k]) != h and not _part_unchanged(k, paths[k], part.get(k))]
    changed += [f"{k} (now {p or 'none'})" for k, p in sorted(moved.items())]
    code = prov.get("dcplan_source_sha256")
    if isinstance(code, str) and code != dcplan_source_digest():
        changed.append("dcplan code")
    return changed


def _part_unchanged(key: str, path: str, recorded: str | None) -> bool:
    """Whether the part of input ``key`` (at ``path``) its run read, recorded as ``recorded``
    (``provenance.inputs_part_sha256``, :func:`dcplan.report_fingerprint.inputs_in_part`: of the portfolio, for a
    run reading only its own site, its name and description), is unchanged though the file is not: the run's
    fingerprint holds only that part (a render keeps its report), so a site added to the portfolio is no change."""
    if key != "portfolio" or not isinstance(recorded, str):
        return False
    from .report_fingerprint import portfolio_heading
    return portfolio_heading(Path(path)) == recorded


def reads_every_site(doc: dict) -> bool:
    """Whether the run of ``doc`` (its ``results.json``) read the portfolio's other sites: a portfolio run
    (``site`` null), or a per-site run that read its peers (``peer:<site id>:<role>`` inputs) or did not record
    reading only part of the portfolio (``provenance.inputs_part_sha256``, which a run reading only its own site
    records; a per-site run of an earlier version with no peer inputs is taken to have read only its own)."""
    prov = doc.get("provenance") if isinstance(doc.get("provenance"), dict) else {}
    inputs = prov.get("inputs") if isinstance(prov.get("inputs"), dict) else {}
    if not isinstance(doc.get("site"), str):
        return True
    part = prov.get("inputs_part_sha256")
    if isinstance(part, dict):
        return "portfolio" not in part
    return any(isinstance(k, str) and k.startswith(PEER_PREFIX) for k in inputs)


#: How the index and ``results.csv`` begin the flag of a report not of this render's portfolio (:func:`portfolio_text`).
NOT_IN_PORTFOLIO = "not in this render's portfolio"


def _same_file(a: str, b: str) -> bool:
    if os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b)):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def portfolio_text(doc: dict, resolved: dict | None) -> str:
    """How the index and ``results.csv`` flag a report not of this render (its ``results.json`` ``doc``) that is not
    of this render's portfolio (``resolved``: :func:`resolved_site_files`, whose ``portfolio`` is that portfolio's
    file); "" when it is, or when that is not known (no ``resolved.portfolio``):

    * a per-site report of a site that is not one of the portfolio's (removed from it, or of another portfolio):
      ``"not in this render's portfolio (<its file>): site <id> is not one of its sites (rendered from <file>)"``;
    * a report that read the portfolio's other sites (:func:`reads_every_site`: a portfolio notebook's, a site
      analysis ranking its peers) rendered from another portfolio file:
      ``"not in this render's portfolio (<its file>): rendered from another portfolio (<file>)"``.

    A report that read only its own site, of a site of this portfolio, is this portfolio's whatever file listed it:
    its site's files are compared (``site (now <path>)``: :func:`inputs_changed`)."""
    this = getattr(resolved, "portfolio", None)
    if not this or not isinstance(doc, dict):
        return ""
    prov = doc.get("provenance") if isinstance(doc.get("provenance"), dict) else {}
    inputs = prov.get("inputs") if isinstance(prov.get("inputs"), dict) else {}
    theirs = inputs.get("portfolio") if isinstance(inputs.get("portfolio"), str) else None
    site = doc.get("site")
    head = f"{NOT_IN_PORTFOLIO} ({this})"
    if isinstance(site, str) and site not in resolved:
        return f"{head}: site {site} is not one of its sites" + (f" (rendered from {theirs})" if theirs else "")
    if theirs and reads_every_site(doc) and not _same_file(theirs, this):
        return f"{head}: rendered from another portfolio ({theirs})"
    return ""


def other_report_status(doc: dict, state: str, resolved: dict | None) -> str:
    """The status of a report not of this render, as ``results.csv`` writes it and the index says it: ``state``
    (:func:`kept_status`; ``"current"`` dropped when more follows), :func:`portfolio_text` (a report not of this
    render's portfolio) and, for a report ``current`` so far, :func:`inputs_changed_text`, joined by ``"; "``."""
    parts = [] if state == "current" else [state]
    parts.append(portfolio_text(doc, resolved))
    if state == "current":
        parts.append(inputs_changed_text(inputs_changed(doc, resolved)))
    return "; ".join(p for p in parts if p) or state


def _moved(doc: dict, paths: dict, resolved: dict) -> dict[str, str | None]:
    """``{role: path now}`` of the site files recorded in ``paths`` (provenance ``inputs``)
    that ``doc``'s site (each site, for a portfolio run: roles ``<role>:<site id>``; its peers,
    ``peer:<site id>:<role>``) now resolves to another file (or to none), per ``resolved``."""
    if not isinstance(paths, dict):
        return {}
    site = doc.get("site")
    if isinstance(site, str):
        now = {**{f"{PEER_PREFIX}{sid}:{role}": p for sid, files in resolved.items() if sid != site
                  for role, p in files.items()}, **resolved.get(site, {})}
        recorded = {k: p for k, p in paths.items()
                    if (_site_role(k) and site in resolved) or _peer_role(k) and _peer_role(k)[0] in resolved}
    elif site is None:
        recorded = {k: p for k, p in paths.items() if _site_role(k.rpartition(":")[0])
                    and k.rpartition(":")[2] in resolved}
        now = {f"{role}:{sid}": p for sid, files in resolved.items() for role, p in files.items()}
    else:
        return {}
    # the roles recorded (every version records site, weather and tariff, None for none): a role a
    # later version added is not taken for a change
    return {k: now.get(k) for k in sorted(recorded) if recorded[k] != now.get(k)}
