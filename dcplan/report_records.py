"""``runs.json``, ``results.csv`` and ``index.html`` of a render, kept up to date as its runs end
(part of :mod:`dcplan.report`).

:class:`_Records` records each run as it ends (each file replaced atomically), so a render
killed at any point leaves an index whose figures are those of the reports on disk;
:func:`_record_stopped` records the runs that ended before an interrupt. A run whose latest
attempt failed (or was refused as bad input) or that is not applicable now keeps its previous
good outputs, marked not current (:mod:`dcplan.report_stale`), with ``runs.json`` holding the
SHA-256 of the marked files (:func:`_entry`); outputs kept again are unmarked.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import json
import os
import threading
from pathlib import Path

from .errors import InputError
from .report_provenance import run_start_utc
from .report_execute import _GONE
from .report_files import atomic_write, atomic_write_text, disk_full_error, is_disk_full, prune_empty_dirs
from .report_fingerprint import output_hashes, reusable
from .report_foreign import YOUR_FILES
from .report_html import run_docs, write_index
from .report_plan import Run, RunResult
from .report_stale import (failed_status, mark_not_current, not_applicable_status, resolved_site_files,
                           unmark_not_current)
from .report_table import RESULTS_CSV, write_results_csv


class _Records:
    """``runs.json`` and ``index.html`` of a render, brought up to date as each run ends
    (each replaced atomically), so that a render killed at any point (SIGKILL: no handler
    runs) leaves an index whose figures are those of the reports on disk.

    Until the render ends, the index lists the runs that have ended as this render's and
    says how many of its runs that is; the others stay listed with the folder's other
    reports, as they last were. Each entry recorded carries the render's id (``render``), and
    the index counts and lists as this render's only the entries that carry it: a run of the
    render that was never recorded (cut off) is not counted from an earlier render's entry.
    Cost per run: one ``runs.json`` and one ``index.html`` written and three files hashed (:func:`output_hashes`): 5-9 ms of CPU for the example
    portfolio's 30 runs (wall 5-45 ms on 2 busy cores, in the thread that placed the run
    while the next ones execute). Thread-safe: a finished run is recorded by the thread
    that placed it."""

    def __init__(self, out: Path, runs: list[Run], status: dict, about: str | None, render_id: str | None = None):
        self.out, self.runs, self.status, self.about, self.render_id = out, runs, status, about, render_id
        self.ended: set[str] = set()
        self.resolved = resolved_site_files(runs)  # the other reports' "inputs changed since"
        self.lock = threading.Lock()

    def record(self, res: RunResult, write: bool = True) -> RunResult:
        """Record ``res`` in ``runs.json`` (once per run) and, with ``write``, write both files."""
        with self.lock:
            if res.run.key not in self.ended:
                self.ended.add(res.run.key)
                _update_status(self.status, [res], self.render_id)
                if write:
                    self._write()
        return res

    def check_writable(self) -> None:
        """Raise the :class:`InputError` of :func:`_write_records` now, before any run, if
        ``runs.json``, ``results.csv`` or ``index.html`` cannot be replaced: each is rewritten as
        it is (the index keeps showing the folder as it was until a run ends), or, if one is
        missing (``results.csv`` in a folder of a version before it) or unreadable, all are written
        as this render's so far."""
        try:
            old = {name: (self.out / name).read_bytes() for name in ("runs.json", "index.html", RESULTS_CSV)}
        except OSError:
            self.write()
            return
        for name, data in old.items():
            with _cannot_write(self.out / name):
                atomic_write(self.out / name, lambda tmp, data=data: Path(tmp).write_bytes(data))

    def record_force_intent(self, runs: list[Run]) -> None:
        """Before a ``--force`` render executes ``runs``: flag their entries in ``runs.json`` (written
        now) as :data:`FORCE_PENDING`, as :func:`_record_stopped` flags the runs an interrupt stopped,
        so that a render cut off before it could say so (a second Ctrl-C in its clean-up under Python, SIGKILL, a
        power cut) does not leave the reports ``--force`` was asked to replace to be kept as current by
        the next render without it. Each entry the render records as a run ends replaces its flag."""
        with self.lock:
            if _flag_force_pending(self.status, runs, self.render_id, why=(
                    "a --force render was to execute this run again and had not recorded it (it was stopped or "
                    "killed); the next render executes it")):
                with _cannot_write(self.out / "runs.json"):
                    atomic_write_text(self.out / "runs.json", json.dumps(self.status, indent=2, sort_keys=True) + "\n")

    def write(self, done: bool = False) -> None:
        """Write both files; ``done``: the render has ended (every run is this render's)."""
        with self.lock:
            self._write(done)

    def _write(self, done: bool = False) -> None:
        n = sum(1 for r in self.runs if not r.not_applicable)
        n_done = sum(1 for r in self.runs if r.key in self.ended and not r.not_applicable)
        note = None if done else (
            f"This render has not ended (it is running, or it was killed): {n_done} of its {n} run(s) "
            "have ended. The others are listed with the folder's other reports, as they last were.")
        _write_records(self.out, self.status, [_key(r) for r in self.runs if done or r.key in self.ended],
                       self.about, note, self.render_id, self.resolved)


def _key(run: Run) -> str:
    """``run``'s key in ``runs.json`` and the index: ``<site folder>/<notebook folder>``."""
    return f"{run.out_dir.parent.name}/{run.out_dir.name}"


def _write_records(out: Path, status: dict, current: list[str], about: str | None, note: str | None,
                   render_id: str | None = None, resolved: dict | None = None) -> None:
    """Replace ``runs.json``, ``results.csv`` (:mod:`dcplan.report_table`) and ``index.html``
    (atomically); one that cannot be written is an :class:`InputError` naming it (not the
    temporary file it was written to). ``render_id``:
    the render's, which its entries carry (:func:`write_index`'s ``render``); ``resolved``: the
    files the render's sites resolve to now (:func:`write_index`'s). The exception of a file not
    written says which were and were not (``dcplan_written``, ``dcplan_unwritten``: the stop message's)."""
    text = json.dumps(status, indent=2, sort_keys=True) + "\n"
    todo, written = ["runs.json", RESULTS_CSV, "index.html"], []
    try:
        # none without an entry (a first render stopped before any run ended): a user's own "{}" is
        # then not taken for dcplan's (dcplan.report_files._is_dcplan_runs)
        if status or os.path.lexists(out / "runs.json"):
            with _cannot_write(out / "runs.json"):
                atomic_write_text(out / "runs.json", text)
            written.append(todo[0])
        todo.pop(0)
        # every figure of the folder's reports, one row each (the index's runs of this render: the same test),
        # first: the index links it
        cur = {k for k in current if render_id is None or status.get(k, {}).get("render") == render_id}
        docs = run_docs(out)  # the run folders' results.json, read once for both
        with _cannot_write(out / RESULTS_CSV):
            write_results_csv(out, status, cur, docs, resolved)
        written.append(todo.pop(0))
        with _cannot_write(out / "index.html"):
            write_index(out, status, current=current, about=about, note=note, render=render_id, resolved=resolved,
                        docs=docs)
    except BaseException as e:
        with contextlib.suppress(AttributeError, TypeError):  # what was not written: the stop message says it
            e.dcplan_written, e.dcplan_unwritten = tuple(written), tuple(todo)
        raise


@contextlib.contextmanager
def _cannot_write(path: Path):
    """An ``OSError`` while replacing ``path`` becomes an :class:`InputError` naming ``path``
    (not the temporary file it was being written to): bad input, exit 2; but a disk with no room
    left (ENOSPC, EDQUOT, EFBIG) is the machine's state, not the input: an :class:`OSError`
    saying "disk full at <path>" (exit 1; it was said as bad input, "make it writable")."""
    try:
        yield
    except OSError as e:
        if is_disk_full(e):
            raise disk_full_error(e, path) from None
        raise InputError(f"cannot write {path.name}: {e.strerror or e}; make it and its folder writable "
                         "or give --out another folder", file=str(path)) from None


def _update_status(status: dict, results: list[RunResult], render_id: str | None = None) -> dict:
    """``runs.json`` (``status``, updated in place and returned) with the latest attempt of
    each run of ``results``; a run that ran ok with the SHA-256 of its outputs as placed
    (``sha256``: :func:`output_hashes`, which :func:`reusable` checks), a failed one with
    those of the earlier outputs it left in place. With ``render_id``, each entry written
    carries it (``render``: the render that recorded it; kept and not-applicable runs too),
    which the index compares with the render's own (:func:`dcplan.report_html.write_index`)."""
    now = run_start_utc()  # SOURCE_DATE_EPOCH's when set, as every time a render states
    for r in results:
        key = f"{r.run.out_dir.parent.name}/{r.run.out_dir.name}"
        status[key] = _entry(r, status.get(key, {}), now)
        if render_id is not None:
            status[key]["render"] = render_id
    return status


def _entry(r: RunResult, old: dict, now: str) -> dict:
    """The ``runs.json`` entry of ``r``, its run's entry so far being ``old`` (see :func:`_update_status`).

    A reader's own files that a run moved out of its previous folder (:data:`YOUR_FILES`) stay recorded, and
    shown on its index row, until the run's folder is replaced again (its next run that executes and is placed):
    a run kept, failed or not applicable leaves the folder, and the record, as they were."""
    entry = _entry_of(r, old, now)
    moved = getattr(r, "your_files", None)  # (a result built by hand may not have one)
    if r.ok and r.reused_from is None and not r.run.not_applicable:  # placed now: this run's move or none
        entry.pop(YOUR_FILES, None)
        if moved:
            entry[YOUR_FILES] = moved
        elif isinstance(old.get(YOUR_FILES), dict) and old[YOUR_FILES].get("recovered"):
            # the move a killed render never reported: shown once, until the folder is replaced again
            entry[YOUR_FILES] = {k: v for k, v in old[YOUR_FILES].items() if k != "recovered"}
    elif isinstance(old.get(YOUR_FILES), dict):
        entry[YOUR_FILES] = old[YOUR_FILES]
    return entry


def _entry_of(r: RunResult, old: dict, now: str) -> dict:
    """:func:`_entry` but the :data:`YOUR_FILES` record."""
    if r.reused_from is not None:  # outputs kept: when/seconds stay those of the run that made them
        if not old.get("ok"):  # its latest attempt failed (a different notebook or input): that
            # failure is history now, as after a success (reusable)
            old = {"ok": True, "when": r.reused_from, "error": None, "failed_cell": None,
                   "site_name": r.run.site_name, "notebook": r.run.notebook.stem,
                   "seconds": _made_in_s(r.run), "sha256": old.get("sha256")}
        if unmark_not_current(r.run.out_dir):  # marked after that failure: current again, as placed
            old = {**old, "sha256": output_hashes(r.run.out_dir)}
        return {**old, "checked": now, "reused": True}
    if r.run.not_applicable:  # not run; earlier outputs in its folder stay, marked not current
        err = mark_not_current(r.run.out_dir, not_applicable_status(now, r.run.not_applicable))
        if err:  # said on its line (summary, index)
            r.error = f"{MARK_FAILED}{err}"
        entry = {"ok": None, "not_applicable": r.run.not_applicable, "when": now,
                 "site_name": r.run.site_name, "notebook": r.run.notebook.stem}
        if err:
            entry["error"] = r.error
        return entry
    # the outputs in place: this run's, just placed; after a failure, the earlier ones, marked
    # not current (reusable checks them against these hashes)
    hashes = output_hashes(r.run.out_dir) if r.ok else _mark_failed(r, old.get("sha256"))
    entry = {"ok": r.ok, "when": r.ended, "error": r.error, "failed_cell": r.failed_cell,
             "site_name": r.run.site_name, "notebook": r.run.notebook.stem, "seconds": round(r.seconds, 2)}
    if hashes:
        entry["sha256"] = hashes
    if not r.ok and r.run.fingerprint:  # what failed: a later render keeps the good outputs of
        entry["fingerprint"] = r.run.fingerprint  # another version (reusable)
    return entry


#: How a run's line (summary table, index, ``runs.json``'s ``error``) starts the reason its kept
#: report could not be marked as not current (:func:`mark_not_current`'s error follows).
MARK_FAILED = "could not mark the kept report as not current: "


def _mark_failed(r: RunResult, hashes: dict | None) -> dict | None:
    """Mark the earlier outputs a failed run ``r`` left in place as not current
    (:func:`mark_not_current`); the SHA-256 to record for them (``runs.json``'s ``sha256``,
    :func:`reusable` checks it): the files' as they are after the marking (all of it, part of
    it or none) when the outputs were intact (their hashes were ``hashes``), else ``hashes``
    as they were (outputs edited since stay unreusable). A marking that failed is said in
    ``r.error`` (the run's failure line: :data:`MARK_FAILED` and the file that could not be
    written)."""
    intact = isinstance(hashes, dict) and output_hashes(r.run.out_dir) == hashes
    err = mark_not_current(r.run.out_dir, failed_status(r.ended, r.failed_cell, r.run.notebook.stem, r.error))
    if err:
        r.error = f"{r.error or 'no error text'}; {MARK_FAILED}{err}"
    return output_hashes(r.run.out_dir) if intact else hashes


def _made_in_s(run: Run) -> float | None:
    """How long the run that made ``run``'s outputs in place took (its ``results.json``). [s]"""
    try:
        v = json.loads((run.out_dir / "results.json").read_text())["run"]["seconds"]
        return round(float(v), 2)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _record_stopped(out: Path, runs: list[Run], results: list[RunResult], futures: list[cf.Future],
                    started_utc: str, about: str | None = None, render_id: str | None = None,
                    force: bool = False) -> str:
    """After an interrupt: ``runs.json`` and ``index.html`` (each replaced atomically) for the
    runs that ended before it, so that the index never shows the figures of an earlier
    report for a run whose new report is in place.

    Those are the runs render heard of (``results``), the runs whose outputs were being
    written (``futures`` done meanwhile) and any run whose ``results.json`` in place was
    written by this render (its fingerprint, started at or after ``started_utc``: a worker
    stopped after it placed its outputs). Runs the interrupt stopped are no failure and are
    not recorded; the index lists them with the folder's other reports, as they were.
    ``render_id``: the render's, which the entries it records carry (:func:`_update_status`).

    Returns the console's account of it: how many runs ended (and failed), where the index is,
    and that rendering again finishes the rest, reusing the runs that ended (``force``: the
    render had ``--force``, which executes every run again: the command without it reuses them)."""
    got = {r.run.key: r for r in results}
    for f in futures:
        if f.done() and not f.cancelled() and f.exception() is None:
            r = f.result()
            if isinstance(r, RunResult):
                got.setdefault(r.run.key, r)
    recorded = _load_status(out)
    for run in runs:
        if run.key not in got and not run.not_applicable:
            r = reusable(run, {_key(run): {"ok": True}}, verify_outputs=False)
            # placed by this render: started since it did (in whole seconds: an earlier render's run
            # may have started in the same second; with SOURCE_DATE_EPOCH set every run starts at its
            # time, so the hashes alone tell) and not the outputs runs.json recorded
            if (r is not None and (r.reused_from or "") >= started_utc
                    and (recorded.get(_key(run)) or {}).get("sha256") != output_hashes(run.out_dir)):
                got[run.key] = dataclasses.replace(r, reused_from=None)
    def interrupted(r: RunResult) -> bool:  # stopped by the render, or a worker's own Ctrl-C
        return not r.ok and ((r.error or "").startswith(_GONE) or "KeyboardInterrupt" in (r.error or ""))
    done = [r for r in got.values() if r.run.not_applicable or r.reused_from is not None or not interrupted(r)]
    prune_empty_dirs(out / "_failed")
    status = _update_status(recorded, done, render_id)
    keys = {r.run.key for r in done}
    if force:  # the earlier reports of the runs --force did not execute again: the next render executes them
        _flag_force_pending(status, [r for r in runs if r.key not in keys and not r.not_applicable], render_id)
    n = sum(1 for r in runs if not r.not_applicable)
    n_done = sum(1 for r in done if not r.run.not_applicable)
    try:
        _write_records(out, status, [_key(r) for r in runs if r.key in keys], about,
                       f"This render was interrupted: {n_done} of its {n} run(s) ended before it. The runs it "
                       "did not finish are listed with the folder's other reports, as they last were.", render_id,
                       resolved_site_files(runs))
    except BaseException as e:
        with contextlib.suppress(AttributeError, TypeError):  # how many ended: the stop message says it
            e.dcplan_ended = (n_done, n)
        raise
    failed = sum(1 for r in done if not r.run.not_applicable and r.reused_from is None and not r.ok)
    rest = n - n_done
    ended = (f"{n_done} of its {n} run(s) ended before it" + (f" ({failed} failed)" if failed else "")
             + f"; {out / 'index.html'} lists them") if n_done else f"none of its {n} run(s) ended before it"
    if not rest:
        return ended
    if force and n_done:  # --force executes every run again: only the command without it reuses them
        again = (f"the same command without --force finishes them: it executes the {rest} again (runs.json "
                 f"records that --force had not), reusing the runs that ended (with --force it executes all "
                 f"{n} again)")
    elif force:
        again = (f"the same command, with or without --force, executes them again (runs.json records that "
                 "--force had not)")
    else:
        again = "the same command again finishes them" + (", reusing the runs that ended" if n_done else "")
    return ended + f"; the {rest} not finished keep their earlier reports, if any: {again}"


#: The ``runs.json`` key of a run whose earlier report an interrupted ``--force`` render had not
#: executed again (:func:`_record_stopped`): the next render executes it instead of keeping that
#: report (:func:`force_pending`), and the entry it then records has no such key.
FORCE_PENDING = "force_pending"


def _flag_force_pending(status: dict, runs: list[Run], render_id: str | None,
                        why: str = "an interrupted --force render had not executed this run again; the next "
                                   "render executes it") -> int:
    """Mark in ``status`` (``runs.json``) the entries of ``runs``, which an interrupted ``--force``
    render had not executed again: their reports are the ones --force was asked to replace, and
    the command without --force, which the console suggests, would otherwise keep them as
    current (nothing they depend on changed). A run without an entry has nothing to keep.
    Returns how many entries were marked."""
    now = run_start_utc()  # SOURCE_DATE_EPOCH's when set, as every time a render states
    n = 0
    for run in runs:
        entry = status.get(_key(run))
        if isinstance(entry, dict) and entry:
            entry[FORCE_PENDING] = {"render": render_id, "when": now, "why": why}
            n += 1
    return n


def force_pending(status: dict, run: Run) -> bool:
    """Whether ``runs.json`` (``status``) records that an interrupted ``--force`` render had not
    executed ``run`` again (:data:`FORCE_PENDING`): then its earlier report is not kept."""
    entry = status.get(_key(run))
    return isinstance(entry, dict) and bool(entry.get(FORCE_PENDING))


def _load_status(out: Path) -> dict:
    """``runs.json``, with the moves of a reader's files that a killed render placed but did not record
    (:func:`dcplan.report_foreign.recorded_moves`)."""
    from .report_foreign import recorded_moves
    try:
        status = json.loads((out / "runs.json").read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    return recorded_moves(out, status) if isinstance(status, dict) else status
