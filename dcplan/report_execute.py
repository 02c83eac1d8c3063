"""Executing one run (part of :mod:`dcplan.report`).

:func:`execute_run` executes one notebook with papermill and, when it succeeded, writes
its outputs and moves them into place; it never raises for a notebook error. Render
calls its two halves itself (:func:`_execute`, :func:`_finish`), so that a finished
run's outputs are written while the next notebook executes.

* **No shared scratch**: every run executes in its own temporary directory
  (the kernel's working directory), inside ``reports/.dcplan-tmp``.
* **Every cell or a failure**: papermill takes a notebook stopped by ``sys.exit(0)``
  (or ``sys.exit()``) for a success, with the later cells never executed; here a run
  whose executed notebook holds a ``SystemExit`` or a code cell that never executed is
  a failed run naming that cell (:func:`dcplan.report_failed._check_complete`).
* **Small executed notebooks**: long text outputs are trimmed; figures use the
  compact dcplan style.
* **Exports**: files a notebook writes under ``outputs/`` in its working
  directory (e.g. the TCO workbook) are moved beside the report, listed with
  their SHA-256 in ``results.json`` and linked from the index: regular files only (a
  symbolic link there is left out with a warning); the files left elsewhere in the working
  directory are named in ``results.json``'s ``not_exported`` (:func:`dcplan.report_trim._collect_exports`).
* **One figure per key**: a key published twice fails the run at the cell that published it
  again (:func:`dcplan.report_failed._check_published`).
* **Atomic outputs**: a run is written into a temporary folder and moved into place
  (:func:`dcplan.report_files._place`) only when it succeeded; a failed run leaves the
  previous good report untouched, and its executed notebook (with the kernel's own
  output after a crash) goes to ``_failed/``; a later success of the run removes its
  files there (:func:`dcplan.report_failed._clear_failed`: :mod:`dcplan.report_failed` says why a run
  failed and where its files go).
* **An interrupt is not a failure**: a render that is interrupted (Ctrl-C, SIGTERM) marks
  its scratch folder abandoned (:func:`abandon`) before it stops the kernels, and removes
  it when it exits; a run that then ends (its kernel closed under it, or a task that was
  still running on a Dask worker) writes nothing into the reports folder: no ``_failed/``
  entry, no report (:func:`render_gone`).
* **Whole seconds**: papermill's per-cell timeout takes whole seconds; a fractional
  ``timeout_s`` is rounded up (:func:`timeout_whole_s`).
* **Provenance shown**: the run's provenance is computed once, before the notebook executes; it goes
  into ``results.json``, a collapsed block at the end of ``report.html`` and, through the file
  :data:`dcplan.report_provenance.PROVENANCE_ENV` names in the kernel's environment, the TCO
  workbook's Provenance sheet (:mod:`dcplan.report_provenance`).
* **Same inputs, same bytes**: the cells papermill adds (the injected parameters, an error banner)
  and the report's notes and warnings cells get ids from their tag and position, not random ones
  (:func:`dcplan.report_provenance.stable_cell_ids`), so ``report.html`` hashes alike across
  renders; ``notebook.ipynb`` too with ``SOURCE_DATE_EPOCH`` set, which drops its clock readings
  (:func:`dcplan.report_provenance.without_times`).

The worker-pool entry points (:func:`_execute_in_worker`, :func:`_watch_render`) live
here too; pool workers find them by this module's path.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from . import _sockdirs
from .errors import InputError
from .report_failed import (NotebookStopped, _check_complete, _check_published, _clear_failed,  # noqa: F401
                            _failure_text, _is_notebook_json, _keep_unplaced, failed_notebook, unplaced_folder)
from .report_files import _TMP_FIX, TMP_DIR, _place, _refuse_link, is_disk_full, safe_slug
from .report_fingerprint import inputs_in_part, provenance, run_fingerprint
from .report_html import _to_html
from .report_kernel import _engine_name, _ipc_kernel_manager, with_cell_ids
from .report_params import NOTEBOOK_ENV
from .report_plan import Run, RunResult
from .report_provenance import (PROVENANCE_ENV, run_record, run_start_utc, stable_cell_ids, with_block,
                                without_times, write_record)
from .report_trim import (_LIMITS, _MIN_KEPT_CHARS, MAX_CELL_TEXT_CHARS, MAX_NOTEBOOK_TEXT_CHARS,  # noqa: F401
                          MAX_TEXT_OUTPUT_CHARS, _collect_exports, _cut, _merge_streams, _stream_marker,
                          _trim_outputs)
from .results import _plain, collect, collect_warnings
from .site_slips import said_by_site

#: the variables that give a render's kernels folders to share parsed weather and modelled site rows in
#: (:data:`dcplan.weather.SHARED_DIR_ENV`, :data:`dcplan.site_rows_shared.SHARED_DIR_ENV`; named here: no pvlib import)
SHARED_WEATHER_ENV, SHARED_ROWS_ENV = "DCPLAN_WEATHER_SHARED_DIR", "DCPLAN_SITE_ROWS_SHARED_DIR"
#: the variable that gives a kernel its share of the cores (:data:`dcplan._cpu.THREADS_ENV`)
THREADS_ENV = "DCPLAN_THREADS"
#: a run's copy of its notebook with ids given to cells without one (:func:`with_cell_ids`)
SOURCE_COPY = "source-with-ids.ipynb"
#: a run's record for its kernel's exports (:data:`dcplan.report_provenance.PROVENANCE_ENV`)
PROVENANCE_FILE = "provenance.json"


def _used_parameters(run: Run) -> dict:
    """The values the run uses: the parameters cell's defaults (of the notebook file), the
    injected ones over them."""
    from .notebook_params import declared_defaults
    try:
        nb = json.loads(Path(run.notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        nb = {}
    return {**(declared_defaults(nb) if isinstance(nb, dict) else {}), **run.parameters}


#: scratch folders of renders in this process that were interrupted (:func:`abandon`)
_ABANDONED: set[str] = set()
_ABANDONED_LOCK = threading.Lock()


def abandon(scratch: Path, gone: bool = True) -> None:
    """Mark a render's scratch folder abandoned (``gone=False``: forget it again, once the
    render's threads are done): runs of that render that end afterwards write nothing."""
    with _ABANDONED_LOCK:
        (_ABANDONED.add if gone else _ABANDONED.discard)(str(scratch))


def render_gone(run: Run) -> bool:
    """Whether the render that planned ``run`` is gone: interrupted in this process
    (:func:`abandon`), or its scratch folder removed (it was interrupted or has ended; a
    task on a Dask worker that outlived it sees this). Runs not given a scratch folder
    (:func:`execute_run` called directly) never are."""
    if run.scratch is None:
        return False
    with _ABANDONED_LOCK:
        if str(run.scratch) in _ABANDONED:
            return True
    return not Path(run.scratch).is_dir()


_GONE = "interrupted: the render was stopped, nothing of this run was written"


def timeout_whole_s(timeout_s: float | None, field: str = "timeout_s") -> int | None:
    """The per-cell timeout as papermill takes it: whole seconds, ``timeout_s`` rounded up
    (at least 1; ``2.5`` -> 3). None: no timeout. Anything but a finite number > 0 is an
    :class:`InputError` naming ``field``."""
    if timeout_s is None:
        return None
    try:
        x = float(timeout_s)
    except (TypeError, ValueError):
        x = float("nan")
    if isinstance(timeout_s, bool) or not math.isfinite(x) or x <= 0:
        raise InputError(f"must be a finite number of seconds > 0 (fractions are rounded up to "
                         f"whole seconds), got {timeout_s!r}", field=field)
    return max(1, math.ceil(x))


def execute_run(run: Run, show_code: bool = False, timeout_s: float | None = 1800.0,
                kernel_name: str = "python3", zygote: str | None = None,
                threads: int | None = None) -> RunResult:
    """Execute one run with papermill; on success move its outputs into place.

    Never raises for a notebook error: the result says which cell failed and why.
    ``zygote`` is the socket of a warm-kernel server (see :mod:`dcplan._kernel_zygote`);
    without it the kernel starts cold. ``threads``: the cores this run may keep busy
    (:data:`dcplan._cpu.THREADS_ENV` in the kernel; render gives cores // parallel runs).
    """
    done = _execute(run, show_code, timeout_s, kernel_name, zygote, threads)
    return done if isinstance(done, RunResult) else _finish(done)


@dataclasses.dataclass
class _Executed:
    """A run whose notebook executed without error; :func:`_finish` writes its outputs."""

    run: Run
    show_code: bool
    t0: float
    started: str
    tmp_dir: Path
    out_nb: Path
    work: Path
    #: what results.json, the report's provenance block and the exports show (:func:`run_record`)
    record: dict


def _execute(run: Run, show_code: bool = False, timeout_s: float | None = 1800.0,
             kernel_name: str = "python3", zygote: str | None = None,
             threads: int | None = None) -> RunResult | _Executed:
    """First half of :func:`execute_run`: the notebook's execution (a failed run's result,
    or what :func:`_finish` needs; its scratch folder then stays for it)."""
    import nbformat
    import papermill as pm

    t0 = time.perf_counter()
    if render_gone(run):  # a queued run of a render that is no more (a Dask task, say)
        with _ABANDONED_LOCK:
            here = str(run.scratch) in _ABANDONED
        return RunResult(run, ok=False, seconds=0.0, error=_GONE if here else (
            f"{_GONE}, or this worker does not see its scratch folder {run.scratch} (render --scheduler "
            "needs the reports folder on a file system the workers share)"))
    started = run_start_utc()  # SOURCE_DATE_EPOCH's when set: the one start every output states
    if run.scratch is not None:  # the render's own: not made again once the render removed it
        tmp_root = Path(run.scratch)
    else:
        tmp_root = run.reports_root / TMP_DIR
        _refuse_link(tmp_root, _TMP_FIX, folder=True)  # a link there: an InputError naming it, not followed
        tmp_root.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(dir=tmp_root, prefix=f"{safe_slug(run.key)}-"))
    os.chmod(tmp_dir, 0o755)
    work = tmp_dir / ".work"          # kernel cwd: this run's private scratch
    work.mkdir()
    out_nb = tmp_dir / "notebook.ipynb"
    sock_dir = _sockdirs.make("k")  # the kernel's sockets (the system temp folder: socket paths are short)
    kernel_env = {} if threads is None else {THREADS_ENV: str(max(1, int(threads)))}
    # the notebook file this kernel runs: check_parameters(globals(), "<name>") reads its rules (a
    # notebook of the user's, or a copy under --notebook-dir), not the bundled one's; each run's own
    kernel_env[NOTEBOOK_ENV] = str(Path(run.notebook).resolve())
    # parsed weather and modelled site rows shared by the render's kernels (go with TMP_DIR)
    for env, name in ((SHARED_WEATHER_ENV, "weather"), (SHARED_ROWS_ENV, "site-rows")):
        try:
            (tmp_root / name).mkdir(mode=0o700, exist_ok=True)
            kernel_env[env] = str(tmp_root / name)
        except OSError:
            pass
    keep_tmp = False
    launched: list = []  # the run's kernel manager, once it started the kernel
    stop_watch = threading.Event()
    if run.scratch is not None:  # a render's run: stop its kernel if the render goes away
        threading.Thread(target=_stop_when_render_gone, args=(run, launched, stop_watch), daemon=True,
                         name="dcplan-watch-scratch").start()
    try:
        # the provenance, once: results.json, report.html and the exports (the kernel reads the file) show it
        record = run_record(provenance(run.input_files, run.vintages, run.replaced_inputs, inputs_in_part(run)),
                            {k: _json_value(v) for k, v in _used_parameters(run).items()}, started)
        kernel_env[PROVENANCE_ENV] = str(write_record(record, tmp_dir / PROVENANCE_FILE))
        source = run.notebook
        fixed = with_cell_ids(run.notebook)  # a cell added by hand without an id: given one, quietly
        if fixed is not None:
            source = tmp_dir / SOURCE_COPY
            source.write_text(fixed, encoding="utf-8")
        try:
            pm.execute_notebook(str(source), str(out_nb), parameters=run.parameters,
                                kernel_name=kernel_name, language="python", cwd=None, progress_bar=False,
                                log_output=False, execution_timeout=timeout_whole_s(timeout_s),
                                request_save_on_cell_execute=False, engine_name=_engine_name(),
                                kernel_manager_class=_ipc_kernel_manager(sock_dir, tmp_dir / "kernel.log", zygote,
                                                                                 str(work), kernel_env, launched,
                                                                                 lambda: render_gone(run)))
            stopped = _check_complete(out_nb) or _check_published(out_nb)
            if stopped is not None:  # sys.exit(0): papermill saw no error; or a key published twice
                raise stopped
        except Exception as err:  # the notebook raised, stopped early, timed out, or the kernel died
            if render_gone(run):  # the render was interrupted and closed the kernel: no failure
                return RunResult(run, ok=False, seconds=time.perf_counter() - t0, error=_GONE)
            msg, cell = _failure_text(err, out_nb if out_nb.exists() or is_disk_full(err) else None)
            failed = failed_notebook(run)
            failed.parent.mkdir(parents=True, exist_ok=True)
            if not out_nb.exists() and getattr(err, "dcplan_nb", None) is not None:
                try:  # timed out / kernel died: what ran
                    nbformat.write(err.dcplan_nb, str(out_nb))
                except Exception:  # noqa: BLE001 - the error line is what matters
                    out_nb.unlink(missing_ok=True)
            if out_nb.exists() and not _is_notebook_json(out_nb):  # cut short (a full disk): not kept as the
                out_nb.unlink(missing_ok=True)  # failure's notebook, which would not open
            # the executed notebook, and the kernel's own output (for a crash), each replace an
            # earlier failure's atomically (renamed from this run's scratch, on the same file system);
            # one this failure lacks is removed, not left stale
            for src, dst in ((out_nb, failed), (tmp_dir / "kernel.log", failed.with_suffix(".kernel.log"))):
                if src.exists():
                    os.replace(src, dst)
                else:
                    dst.unlink(missing_ok=True)
            return RunResult(run, ok=False, seconds=time.perf_counter() - t0, error=msg, failed_cell=cell)
        keep_tmp = True
        return _Executed(run, show_code, t0, started, tmp_dir, out_nb, work, record)
    except Exception as err:  # our own set-up failed: report, keep old outputs
        if render_gone(run):  # e.g. its scratch folder removed under it
            return RunResult(run, ok=False, seconds=time.perf_counter() - t0, error=_GONE)
        msg, _ = _failure_text(err, tmp_dir if is_disk_full(err) else None)  # a full disk: its path
        return RunResult(run, ok=False, seconds=time.perf_counter() - t0, error=f"dcplan: {msg}")
    finally:
        stop_watch.set()
        if not keep_tmp:
            shutil.rmtree(tmp_dir, ignore_errors=True)
        shutil.rmtree(sock_dir, ignore_errors=True)


def _stop_when_render_gone(run: Run, launched: list, stop: threading.Event, poll_s: float = 1.0) -> None:
    """Stop the kernel of ``run`` once its render is gone (:func:`render_gone`): a run on a
    Dask worker is not cancelled when it is already executing, and would otherwise keep
    its kernel busy until the notebook ends (then write nothing). It keeps watching until the
    run ends (``stop``): a kernel that starts after the render went (its launch already past
    the check of :func:`dcplan.report_kernel._ipc_kernel_manager`) is stopped too, within
    ``poll_s``, not left to run the whole notebook."""
    stopped: set[int] = set()
    while not stop.wait(poll_s):
        if render_gone(run):
            for km in list(launched):
                if id(km) in stopped:
                    continue
                stopped.add(id(km))
                proc = getattr(getattr(km, "provisioner", None), "process", None)
                try:
                    proc.terminate()  # a warm kernel's launcher passes it on to the kernel
                except (AttributeError, OSError):
                    pass


def _json_value(v):
    """``v`` as results.json holds it (:func:`dcplan.results._plain`); a literal JSON has no
    form for (a set, bytes, a complex number) as its ``repr``."""
    try:
        return _plain(v)
    except (TypeError, ValueError):
        return repr(v)


def _with_notes(nb, run, warnings: list[str] | None = None):
    """The notebook as its report shows it: the site's ``notes`` (a portfolio run: the
    portfolio's description), when given, as a block under the notebook's title, so every
    report says what its inputs are (a SYNTHETIC example fleet...); then the ``warnings`` the
    run issued (:func:`dcplan.results.collect_warnings`), each "Warning: <message>", so a
    reader sees the caveats before the figures (each also shows where it was issued). The
    executed notebook itself is left as run (its cell numbers are those of the notebook file)."""
    if not run.notes and not warnings:
        return nb
    import copy
    import html

    import nbformat

    def one_line(t: str) -> str:
        # plain text, neither HTML nor Markdown (a "[x](javascript:...)" would be a live link): an
        # HTML block of escaped text on one line, which Markdown leaves as it is
        return " ".join(html.escape(t).split())
    cells = []
    if run.notes:
        what = "Portfolio" if run.site_id is None else "Site notes"
        cells.append(nbformat.v4.new_markdown_cell(
            f"<blockquote><strong>{what}</strong> ({one_line(run.site_name)}): {one_line(run.notes)}</blockquote>",
            id="dcplan-notes"))
    if warnings:
        from .peer_warnings import count_text  # its own apart from its peers' (site_analysis ranks peers)
        n = len(warnings)
        items = "".join(f"<li>Warning: {one_line(w)}</li>" for w in warnings)
        cells.append(nbformat.v4.new_markdown_cell(
            f"<div class='dcplan-warnings' style='border-left: 4px solid #c77700; background: #fff8e6; "
            f"padding: 6px 10px'><strong>{one_line(count_text(warnings))} in this run</strong> (read "
            f"the figures with {'it' if n == 1 else 'them'} in mind):<ul>{items}</ul></div>", id="dcplan-warnings"))
    out = copy.copy(nb)  # a new cell list; the cells themselves are shared, not copied
    out.cells = list(nb.cells)
    first = out.cells[0] if out.cells else None
    at = 1 if first is not None and first.cell_type == "markdown" and first.source.lstrip().startswith("#") else 0
    out.cells[at:at] = cells
    return out


def _finish(ex: _Executed) -> RunResult:
    """Second half of :func:`execute_run`: trim the executed notebook, export HTML, write
    ``results.json`` and move the run's outputs into place (all or nothing)."""
    import nbformat

    run, tmp_dir, out_nb, work = ex.run, ex.tmp_dir, ex.out_nb, ex.work
    try:
        nb = nbformat.read(str(out_nb), as_version=4)
        (tmp_dir / SOURCE_COPY).unlink(missing_ok=True)
        if nb.metadata.get("papermill", {}).get("input_path") == str(tmp_dir / SOURCE_COPY):
            nb.metadata["papermill"]["input_path"] = str(run.notebook)  # the notebook, not its copy with ids
        pm_meta = nb.metadata.get("papermill")
        if isinstance(pm_meta, dict) and pm_meta.get("output_path") == str(out_nb):  # not the scratch copy:
            pm_meta["output_path"] = str(run.out_dir / "notebook.ipynb")  # where it is placed
        stable_cell_ids(nb)
        without_times(nb)
        _trim_outputs(nb)
        results = collect(nb)
        warned = collect_warnings(nb)  # dcplan's warnings the notebook issued (shown as caveats)
        # the site's plausibility warnings (dcplan validate's, render's up-front checks) first: the notebook
        # does not issue them, and a fleet before its filing date changes what its grid figures count
        own = list(dict.fromkeys(getattr(run, "site_warnings", ()) or ()))
        warned = own + [w for w in warned if w not in own and not said_by_site(w, own)]
        # the values the run used: the parameters cell's defaults, the injected ones over them (as
        # the provenance shows them); which were injected is listed beside them
        used = ex.record["parameters"]
        # files the notebook exported (workbooks, CSVs): outputs/, regular files only; what was not kept is said
        artifacts, not_exported, export_warnings = _collect_exports(work, tmp_dir)
        warned = warned + [w for w in export_warnings if w not in warned]
        title = f"{run.site_name} — {run.notebook.stem}"
        html_text = with_block(_to_html(_with_notes(nb, run, warned), ex.show_code, title), ex.record)
        doc = {
            "site": run.site_id, "site_name": run.site_name, "notebook": run.notebook.stem,
            **({"notes": run.notes} if run.notes else {}),
            "parameters": dict(used),
            "parameters_injected": sorted(run.parameters),
            "results": results,  # strict JSON: no NaN/inf
            # the caveats a reader of the figures must know (each dcplan warning's message, once)
            "warnings": warned,
            "provenance": ex.record["provenance"],
            "run": {"started_utc": ex.started, "started_from": ex.record["started_from"],
                    "seconds": round(time.perf_counter() - ex.t0, 3), "show_code": ex.show_code,
                    # kept only if no input changed while the notebook ran
                    "fingerprint": run.fingerprint if run.fingerprint and
                    run_fingerprint(run, ex.show_code) == run.fingerprint else None},
        }
        doc["artifacts"] = artifacts
        doc["not_exported"] = not_exported  # files left out of the exports, and why (one line each)
        shutil.rmtree(work, ignore_errors=True)
        (tmp_dir / "kernel.log").unlink(missing_ok=True)
        (tmp_dir / PROVENANCE_FILE).unlink(missing_ok=True)
        nbformat.write(nb, str(out_nb))
        (tmp_dir / "report.html").write_text(html_text, encoding="utf-8")
        (tmp_dir / "results.json").write_text(json.dumps(doc, indent=2, sort_keys=False, allow_nan=False)
                                              + "\n", encoding="utf-8")
        size = out_nb.stat().st_size
        if render_gone(run):  # interrupted meanwhile: the render wrote no runs.json for this
            return RunResult(run, ok=False, seconds=time.perf_counter() - ex.t0, error=_GONE)
        try:
            moved: list = []  # a reader's own files of the previous folder, moved to _your_files/: recorded
            folder_note = _place(tmp_dir, run.out_dir, moved) or ""  # the previous folder left: said, not silent
        except OSError as e:  # e.g. a run folder that cannot be renamed: the new outputs are kept
            kept = _keep_unplaced(tmp_dir, run)
            where = (f"; the new outputs are kept in {kept}" if kept is not None
                     else "; the new outputs could not be kept either")
            return RunResult(run, ok=False, seconds=time.perf_counter() - ex.t0,
                             error=f"dcplan: cannot move the outputs into place ({run.out_dir}): "
                                   f"{e.strerror or e}{where}")
        _clear_failed(run)  # this run's earlier failure is history now
        return RunResult(run, ok=True, seconds=time.perf_counter() - ex.t0, results=results,
                         notebook_bytes=size, warnings=warned, folder_note=folder_note,
                         your_files=moved[0] if moved else None)
    except Exception as err:  # our own post-processing failed: report, keep old outputs
        msg, _ = _failure_text(err, tmp_dir if is_disk_full(err) else None)  # a full disk: its path
        return RunResult(run, ok=False, seconds=time.perf_counter() - ex.t0, error=f"dcplan: {msg}")
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


# ---------------------------------------------------------------------------
# worker-pool entry points (pickled by this module's path)

def _watch_render(render_pid: int) -> None:
    """Pool-worker initializer: exit when the render process is gone (killed, say), instead
    of finishing queued runs into a folder whose lock is released."""
    def watch():
        while _pid_alive(render_pid):
            time.sleep(1.0)
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="dcplan-watch-render").start()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie answers kill(0) until it is reaped
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True  # no /proc (not Linux): kill(0) is all we have


def _execute_in_worker(run: Run, show_code: bool, timeout_s: float | None,
                       zygote: str | None = None, threads: int | None = None) -> RunResult:
    return execute_run(run, show_code=show_code, timeout_s=timeout_s, zygote=zygote, threads=threads)
