"""Reports kept in the folder that are no longer current (part of :mod:`dcplan.report`).

A render never destroys a good report, but one it keeps must not pass for current:

* **Marked**: when a run's latest attempt failed (or was refused as bad input), or its
  notebook is *not applicable* to its site now, the previous good outputs stay in the run
  folder and :func:`mark_not_current` says so in each of them: ``results.json`` gets
  ``run.status`` (``"stale: ..."`` / ``"not applicable now: ..."``; a current report's
  ``run`` has no ``status``), ``report.html`` a banner at the top, and every export under
  ``outputs/`` a sibling ``<file>.NOT-CURRENT.txt`` saying why (a workbook itself is not
  edited). Each file is replaced atomically. The marks are undone exactly
  (:func:`unmark_not_current`: the files get their bytes as placed back) when the outputs are
  kept again (same fingerprint: :func:`dcplan.report_fingerprint.reusable`); a run executed
  again replaces the folder whole.
* **Inputs changed since**: the index lists the folder's other reports (not part of this
  render) as they were rendered; :func:`inputs_changed` compares the input hashes their
  ``results.json`` recorded (``provenance.inputs_sha256``) and dcplan's source digest with
  the files and code now, so those rows can say "inputs changed since". Peers' files (which
  only the fingerprint holds) are not compared: an unchanged list is no proof of currency.
"""
from __future__ import annotations

import functools
import html
import json
import os
import re
from pathlib import Path

from .report_files import _sha256, atomic_write_text

#: Suffix of the note written beside each export of a report that is not current.
NOTE_SUFFIX = ".NOT-CURRENT.txt"
_BANNER_START, _BANNER_END = "<!-- dcplan:not-current -->", "<!-- /dcplan:not-current -->"
_BANNER_RE = re.compile(re.escape(_BANNER_START) + ".*?" + re.escape(_BANNER_END), re.S)


def _dump(doc: dict) -> str:
    """``results.json``'s text as :func:`dcplan.report_execute._finish` writes it."""
    return json.dumps(doc, indent=2, sort_keys=False, allow_nan=False) + "\n"


def mark_not_current(out_dir: Path, status: str) -> bool:
    """Mark the outputs in ``out_dir`` as not current, saying ``status`` (one line), in
    ``results.json`` (``run.status``), ``report.html`` (a banner) and beside each export. A
    mark already there is replaced. False when the folder holds no report (nothing to mark)
    or cannot be written (a folder made read-only: the run's failure line says why)."""
    try:
        return _mark(out_dir, status)
    except OSError:
        return False


def _mark(out_dir: Path, status: str) -> bool:
    res = Path(out_dir) / "results.json"
    try:
        doc = json.loads(res.read_text(encoding="utf-8"))
        run = doc["run"]
        if not isinstance(run, dict):
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    status = " ".join(str(status).split())
    if run.get("status") != status:
        run["status"] = status
        atomic_write_text(res, _dump(doc))
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
            atomic_write_text(report, new)
    for a in doc.get("artifacts") or []:
        rel = a.get("path") if isinstance(a, dict) else None
        if isinstance(rel, str) and (Path(out_dir) / rel).is_file():
            atomic_write_text(Path(out_dir) / (rel + NOTE_SUFFIX),
                              f"{Path(rel).name} is NOT CURRENT: {status}.\nIt is the export of the run "
                              f"started {run.get('started_utc', '?')} (see report.html and results.json "
                              "beside outputs/); render the run again for a current one.\n")
    return True


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


def inputs_changed(doc: dict) -> list[str]:
    """What changed since the run of ``doc`` (its ``results.json``): each input of its
    ``provenance`` whose file now has another SHA-256 or is gone (``"site"``,
    ``"weather"``, ...), and ``"dcplan code"`` when dcplan's source differs. Empty when none
    of those changed (or ``doc`` records none)."""
    from .report_fingerprint import dcplan_source_digest
    prov = doc.get("provenance") if isinstance(doc, dict) else None
    if not isinstance(prov, dict):
        return []
    paths, hashes = prov.get("inputs") or {}, prov.get("inputs_sha256") or {}
    changed = [k for k, h in sorted(hashes.items())
               if isinstance(h, str) and isinstance(paths.get(k), str) and _current_sha256(paths[k]) != h]
    code = prov.get("dcplan_source_sha256")
    if isinstance(code, str) and code != dcplan_source_digest():
        changed.append("dcplan code")
    return changed
