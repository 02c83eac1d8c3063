"""A reader's own files in a run folder that a render replaces: moved aside, not deleted (part of
:mod:`dcplan.report`).

A run executed again replaces its folder (``<site>/<notebook>/``) whole (:func:`dcplan.report_files._place`),
and the README asks for one's own files to be kept beside the run folders, not in them. A finance reviewer
who saved an annotated copy of a workbook in ``<site>/tco/outputs/`` (or Excel's ``~$`` owner file while
the workbook was open) lost it at the next render, without a word. :func:`keep_foreign` moves every file
of the previous folder that the run did not write to ``<reports>/_your_files/<site>/<notebook>/<stamp>/``,
at the same relative path, and returns the line the run's summary prints under it; given a ``record`` list, it
also appends what ``runs.json`` records of the move (:data:`YOUR_FILES`), which the index shows on the run's row
(:func:`dcplan.report_html._your_files_note`), as does ``results.csv``'s ``your_files`` column (:func:`your_files_text`:
the same words), until the run's folder is replaced again.

The run's own files: ``report.html``, ``notebook.ipynb``, ``results.json``, each export its ``results.json``
lists (``artifacts``) and the ``<export>.NOT-CURRENT.txt`` note beside it
(:func:`dcplan.report_stale.note_name`). Every file a bundled notebook's run folder holds is one of those.
When the previous ``results.json`` cannot be read, its exports are not known: every file under ``outputs/``
is then moved too (kept, not lost).

An export whose bytes are no longer those the run wrote (its SHA-256 is not the one ``results.json`` records)
was edited in place: a reviewer who opened ``<site>_base_tco.xlsx``, added a sheet of checks and pressed Save
(Excel and LibreOffice save to the same file). It is the reader's too, and moved aside with the others (named
as edited): the edit itself makes the next render execute the run again (its exports are not as recorded:
:func:`dcplan.report_fingerprint.reusable`), which replaced the folder and deleted the edited workbook
without a word. An export recorded without a SHA-256 (an older results.json) counts as the run's.

The record of a move is also written, at the moment of the move, into the run folder it was made for
(:data:`RECORD_FILE`, one of the run's own files): a render killed after placing the run and before writing
``runs.json`` left the files in ``_your_files/`` but nothing saying so, and the next render, executing the run
again, dropped even the chance to say it. :func:`recorded_moves` reads it back into ``runs.json``
(:func:`dcplan.report_records._load_status`), flagged ``recovered``, kept on the run's row until its folder
is replaced once more. A render killed between the two renames of :func:`dcplan.report_files._place` left the
previous folder, with the reader's files, under a hidden ``.<name>.old-*`` name, which the next render deleted
(:func:`dcplan.report_files._recover_interrupted`); they are now moved to ``_your_files/`` first, the same way.
"""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from .report_provenance import run_start_utc

__all__ = ["FOREIGN_DIR", "RECORD_FILE", "YOUR_FILES", "keep_foreign", "recorded_moves", "your_files_text"]

#: The folder, at the top of the reports folder, where a reader's own files of a replaced run folder go.
FOREIGN_DIR = "_your_files"

#: The ``runs.json`` key of a run whose previous folder held a reader's own files, moved to :data:`FOREIGN_DIR`:
#: ``{"when": ..., "dir": "_your_files/<site>/<notebook>/<stamp>", "files": [...], "not_kept": [...]}`` (``dir``
#: relative to the reports folder, None when nothing could be moved; ``files`` relative to it and to the run folder;
#: ``edited``, when there are any, those of ``files`` that were the run's exports edited in place).
YOUR_FILES = "your_files"

#: The file of a run folder that records the move of the reader's files out of the folder it replaced (the
#: :data:`YOUR_FILES` entry), written at the move (module docstring).
RECORD_FILE = ".your_files.json"

#: The files of a run folder that are the run's whatever it exported.
_RUN_FILES = ("report.html", "notebook.ipynb", "results.json", RECORD_FILE)


def _run_files(folder: Path) -> tuple[set[str], set[str]]:
    """``(own, edited)``: the relative paths (POSIX) in the run folder ``folder`` that its run wrote, and those
    of its exports whose bytes are no longer the ones it wrote (SHA-256 other than ``results.json``'s
    ``artifacts`` records; module docstring)."""
    from .report_files import _sha256
    from .report_stale import note_name
    own, edited = set(_RUN_FILES), set()
    try:
        doc = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        artifacts = doc.get("artifacts") if isinstance(doc, dict) else None
    except (OSError, ValueError):
        artifacts = None
    for a in artifacts if isinstance(artifacts, list) else ():
        rel = a.get("path") if isinstance(a, dict) else None
        if isinstance(rel, str) and rel:
            p = Path(rel)
            own.update({p.as_posix(), (p.parent / note_name(p.name)).as_posix()})
            want = a.get("sha256")
            if isinstance(want, str) and want and (folder / p).is_file() and _sha256(folder / p) != want:
                edited.add(p.as_posix())
    return own, edited


def keep_foreign(old: Path, final: Path, record: list | None = None) -> str | None:
    """Move the files of ``old`` (the previous run folder, moved aside by :func:`dcplan.report_files._place`)
    that its run did not write (module docstring) to ``<reports>/_your_files/<site>/<notebook>/<stamp>/``
    (``final``: the run folder, ``<reports>/<site>/<notebook>``); None when there are none, else the note
    naming them and where they are. A file that cannot be moved is named as such (it goes with ``old``).
    ``record``: a list that the :data:`YOUR_FILES` entry of the move is appended to, when there was one."""
    own, edited = _run_files(old)
    foreign = sorted(p for p in old.rglob("*") if (p.is_file() or p.is_symlink())
                     and (p.relative_to(old).as_posix() not in own or p.relative_to(old).as_posix() in edited))
    if not foreign:
        return None
    stamp = run_start_utc().replace(":", "").replace("+0000", "Z")
    dest = final.parent.parent / FOREIGN_DIR / final.parent.name / final.name / f"{stamp}-{uuid.uuid4().hex[:6]}"
    moved, failed = [], []
    for p in foreign:
        rel = p.relative_to(old)
        try:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(p, dest / rel)
            moved.append(rel.as_posix())
        except OSError as e:
            failed.append(f"{rel.as_posix()} ({e.strerror or e})")
    mine = [f for f in moved if f in edited]  # the run's exports, edited in place
    rec = {"when": run_start_utc(), "dir": dest.relative_to(final.parent.parent).as_posix() if moved else None,
           "files": moved, "not_kept": failed, **({"edited": mine} if mine else {})}
    _write_record(final, rec)  # durable now: runs.json is written later, and a render may be killed meanwhile
    if record is not None:
        record.append(rec)
    names = ", ".join(moved[:5]) + (f" and {len(moved) - 5} more" if len(moved) > 5 else "")
    said = (f"note: {len(moved)} file(s) in the previous {final.parent.name}/{final.name}/ were not the run's"
            + (f" or were edited after it wrote them ({names}; edited: {', '.join(mine)})" if mine else f" ({names})")
            + f": a run executed again replaces its folder whole, so they were moved to {dest}" if moved else "")
    if failed:
        said += ("; " if said else "note: ") + f"could not keep {', '.join(failed)}: deleted with the previous folder"
    return said


def _write_record(final: Path, rec: dict) -> None:
    """Write ``rec`` to ``final``'s :data:`RECORD_FILE` (atomically); a failure is left to ``runs.json``'s."""
    from .report_files import atomic_write_text
    try:
        atomic_write_text(final / RECORD_FILE, json.dumps(rec, indent=1, sort_keys=True) + "\n")
    except OSError:
        pass


def recorded_moves(out: Path, status: dict) -> dict:
    """``status`` (``runs.json``) with the :data:`YOUR_FILES` record of each run folder's :data:`RECORD_FILE`
    that ``runs.json`` does not hold (a render killed before it recorded the move), flagged ``"recovered":
    true``; the entry of a run folder with no ``runs.json`` entry is not made up."""
    for key, st in status.items():
        if not isinstance(st, dict) or ".." in str(key).split("/"):
            continue
        try:
            rec = json.loads((Path(out) / key / RECORD_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        old = st.get(YOUR_FILES)
        if isinstance(rec, dict) and rec.get("files") is not None and (
                not isinstance(old, dict) or {k: v for k, v in old.items() if k != "recovered"} != rec):
            st[YOUR_FILES] = {**rec, "recovered": True}
    return status


def your_files_text(st: dict, most: int | None = None, esc=str, link=None) -> str:
    """What the index's row and ``results.csv``'s ``your_files`` column say of the :data:`YOUR_FILES` record of a
    run's ``runs.json`` entry ``st``: "Your files (<when>): N file(s) in the previous run folder were not the run's
    (<names>): the run executed again replaced the folder whole, so they were moved to <dir>/" and/or "could not
    keep <names>: deleted with the previous folder"; "" for no record (or one naming no file).

    ``most``: how many names to list before "and N more" (None: all of them); ``esc``: applied to each text part
    (``html.escape`` for the index); ``link``: the markup of the folder, given its ``dir`` (the index's link), which
    is used only for a ``dir`` inside :data:`FOREIGN_DIR` without ``..`` (``runs.json`` may have been edited), else
    the folder is said as ``_your_files/``.

    >>> your_files_text({"your_files": {"when": "2026-01-01T00:00:00+00:00", "dir": "_your_files/a/tco/x",
    ...                                 "files": ["outputs/mine.xlsx"], "not_kept": []}})
    "Your files (2026-01-01T00:00:00+00:00): 1 file(s) in the previous run folder were not the run's \
(outputs/mine.xlsx): the run executed again replaced the folder whole, so they were moved to _your_files/a/tco/x/"
    """
    rec = st.get(YOUR_FILES) if isinstance(st, dict) else None
    if not isinstance(rec, dict):
        return ""
    names = [f for f in rec.get("files") or [] if isinstance(f, str)]
    lost = [f for f in rec.get("not_kept") or [] if isinstance(f, str)]
    where = rec.get("dir")
    parts = []
    if names:
        shown = names if most is None else names[:most]
        listed = ", ".join(shown) + (f" and {len(names) - len(shown)} more" if len(names) > len(shown) else "")
        safe = isinstance(where, str) and where.startswith(FOREIGN_DIR + "/") and ".." not in where.split("/")
        folder = (link(where) if link else esc(where + "/")) if safe else esc(FOREIGN_DIR + "/")
        edited = [f for f in rec.get("edited") or [] if isinstance(f, str)]  # the run's exports, edited in place
        which = (f" or were edited after it wrote them ({esc(listed)}; edited: {esc(', '.join(edited))})" if edited
                 else f" ({esc(listed)})")
        parts.append(f"{len(names)} file(s) in the previous run folder were not the run's{which}: "
                     f"the run executed again replaced the folder whole, so they were moved to {folder}")
    if lost:
        parts.append(f"could not keep {esc(', '.join(lost))}: deleted with the previous folder")
    if not parts:
        return ""
    when = rec.get("when") if isinstance(rec.get("when"), str) else ""
    return f"Your files ({esc(when)}): {'; '.join(parts)}"
