"""A failed run (part of :mod:`dcplan.report`): why it failed, and where its files go.

* **Every cell or a failure**: papermill takes a notebook stopped by ``sys.exit(0)`` (or ``sys.exit()``)
  for a success, with the later cells never executed; a run whose executed notebook holds a ``SystemExit``
  or a code cell that never executed is a failed run naming that cell (:func:`_check_complete`), and so is
  one that published a key twice (:func:`_check_published`).
* **One line and a cell**: :func:`_failure_text` gives the failure's one-line error and the failing cell's
  position in the source notebook.
* **Where its files go**: a failed run's executed notebook (and its kernel's output) go to ``_failed/``
  (:func:`failed_notebook`), and so do outputs that executed well but could not be moved into place
  (:func:`unplaced_folder`); a later success of the run removes its files there (:func:`_clear_failed`).

:mod:`dcplan.report_execute` calls these (and re-exports them).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from .report_files import disk_full_text, is_disk_full
from .report_plan import Run
from .results import published_twice


class NotebookStopped(Exception):
    """A notebook that stopped before its last code cell although papermill raised nothing:
    ``sys.exit(0)`` / ``sys.exit()`` in a cell (papermill takes those for a clean stop), or a
    cell left unexecuted. Carries what :func:`_failure_text` reads (``cell_index``: in the
    executed notebook; ``ename``/``evalue``/``source``: a ``SystemExit`` output, if any)."""

    def __init__(self, cell_index: int, note: str, ename: str | None = None, evalue: str = "",
                 source: str = ""):
        super().__init__(note)
        self.cell_index, self.dcplan_note = cell_index, note
        if ename is not None:
            self.ename, self.evalue, self.source = ename, evalue, source


def _check_complete(out_nb: Path) -> NotebookStopped | None:
    """Why the executed notebook ``out_nb`` is not a complete run (None when it is): the
    first cell whose outputs hold a ``SystemExit``, else the first code cell that never
    executed (papermill's status ``pending``, or no execution count for a cell with code)."""
    nb = json.loads(out_nb.read_text(encoding="utf-8"))
    cells = nb.get("cells", [])

    def executed(c) -> bool:
        status = ((c.get("metadata") or {}).get("papermill") or {}).get("status")
        if status is not None:
            return status != "pending"
        return c.get("execution_count") is not None or not "".join(c.get("source") or "").strip()

    code = [i for i, c in enumerate(cells) if c.get("cell_type") == "code"]
    for i in code:
        for o in cells[i].get("outputs") or []:
            if o.get("output_type") == "error" and o.get("ename") == "SystemExit":
                later = sum(not executed(cells[j]) for j in code if j > i)
                return NotebookStopped(i, f"sys.exit() stopped the notebook; {later} later code cell(s) "
                                          "never executed", "SystemExit", str(o.get("evalue", "")),
                                       "".join(cells[i].get("source") or ""))
    missed = [i for i in code if not executed(cells[i])]
    if missed:
        return NotebookStopped(missed[0], f"this code cell and {len(missed) - 1} later one(s) never "
                                          "executed, and the kernel reported no error")
    return None


def _check_published(out_nb: Path) -> NotebookStopped | None:
    """A key the executed notebook ``out_nb`` published twice (:func:`dcplan.results.published_twice`),
    as a failure at the cell that published it again (an ``InputError`` naming the key and both
    figures), or None: its report would show both figures, results.json and the index only the last."""
    nb = json.loads(out_nb.read_text(encoding="utf-8"))
    twice = published_twice(nb)
    if twice is None:
        return None
    i, msg = twice
    return NotebookStopped(i, "", "InputError", msg, "".join(nb["cells"][i].get("source") or ""))


def _failure_text(err: BaseException, out_nb: Path | None = None) -> tuple[str, int | None]:
    """One-line error and the failing cell's 1-based position in the *source* notebook.

    ``err`` is papermill's ``PapermillExecutionError`` (the cell raised) or anything
    the engine of :func:`dcplan.report_kernel._engine_name` tagged with the cell that was
    running (a timeout, a dead kernel).
    """
    if is_disk_full(err):  # papermill writing the executed notebook: the path, not "[Errno 28]" alone
        return f"{type(err).__name__}: {disk_full_text(err, out_nb or 'the reports folder')}", None
    ename = getattr(err, "ename", None)
    idx = getattr(err, "cell_index", getattr(err, "dcplan_cell_index", None))
    cells = getattr(err, "dcplan_cells", None)
    if cells is None and out_nb is not None:
        try:
            cells = json.loads(out_nb.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, json.JSONDecodeError):
            cells = None
    cell = None
    if idx is not None:
        cell = idx + 1
        # papermill's error banner and injected-parameters cell are not in the source notebook
        tags = [set((c.get("metadata") or {}).get("tags", [])) for c in (cells or [])]
        tags = [t for t in tags if "papermill-error-cell-tag" not in t]
        if any("injected-parameters" in t for t in tags[:idx]):
            cell -= 1
    if ename is not None:  # papermill.PapermillExecutionError
        evalue = str(getattr(err, "evalue", "")).strip().splitlines()
        src = str(getattr(err, "source", "")).strip().splitlines()
        where = f" (in `{src[0][:60]}`...)" if src else ""
        note = f": {err.dcplan_note}" if getattr(err, "dcplan_note", None) else ""
        head = f"{ename}: {evalue[-1]}" if evalue and evalue[-1].strip() else str(ename)  # sys.exit(): no value
        return f"{head}{where}".strip() + note, cell
    name = type(err).__name__
    if name == "CellTimeoutError":
        secs = re.search(r"after ([\d.]+) seconds", str(err))
        return (f"CellTimeoutError: the cell ran longer than the per-cell timeout"
                f"{f' of {secs.group(1)} s' if secs else ''} (dcplan render --timeout-s)"), cell
    if name == "DeadKernelError":
        return "DeadKernelError: the kernel died (its own output is kept as *.kernel.log in _failed/)", cell
    text = str(err).strip().splitlines()
    return f"{name}: {text[0] if text else ''}".strip(), cell

def _is_notebook_json(path: Path) -> bool:
    """Whether ``path`` reads as a notebook's JSON (an object with ``cells``): a notebook cut short
    by a full disk does not."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(doc, dict) and isinstance(doc.get("cells"), list)


def failed_notebook(run: Run) -> Path:
    """Where a failed run's executed notebook goes: ``_failed/<site>/<notebook>.ipynb`` (its
    kernel's output beside it as ``<notebook>.kernel.log``)."""
    return run.reports_root / "_failed" / run.out_dir.parent.name / f"{run.out_dir.name}.ipynb"


def unplaced_folder(run: Run) -> Path:
    """Where the outputs of a run that executed well but could not be moved into place are
    kept: ``_failed/<site>/<notebook>.unplaced/`` (:func:`_keep_unplaced`)."""
    return failed_notebook(run).with_suffix(".unplaced")


def _keep_unplaced(tmp_dir: Path, run: Run) -> Path | None:
    """Move a finished run's outputs (``tmp_dir``), which could not be moved into place, to
    :func:`unplaced_folder` (replacing an earlier one of the run): the run's failure line
    says where. None when that cannot be written either."""
    dest = unplaced_folder(run)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_dir() and not dest.is_symlink():
            shutil.rmtree(dest)
        os.replace(tmp_dir, dest)
        return dest
    except OSError:
        return None


def _clear_failed(run: Run) -> None:
    """Remove ``run``'s own files in ``_failed/`` (its notebook and kernel log, and outputs
    that could not be placed, :func:`unplaced_folder`; no other run's, and no folder of
    ``_failed/`` itself: render prunes empty ones when every run is done)."""
    nb = failed_notebook(run)
    for f in (nb, nb.with_suffix(".kernel.log")):
        try:
            f.unlink()
        except OSError:  # not there (the usual case), or not ours to remove
            pass
    unplaced = unplaced_folder(run)
    if unplaced.is_dir() and not unplaced.is_symlink():
        shutil.rmtree(unplaced, ignore_errors=True)
