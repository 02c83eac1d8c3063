"""Batch rendering: every notebook for every site of a portfolio, with papermill.

``render()`` (the engine behind ``dcplan render``) plans one *run* per
(site, notebook) pair — or one per portfolio for notebooks whose metadata says
``{"dcplan": {"scope": "portfolio"}}`` — executes them in parallel and writes (a
per-site notebook whose metadata ``dcplan.requires`` names a section the site lacks is
*not applicable* there: not run, listed as ``n/a``, no failure;
:func:`dcplan.report_plan.notebook_requires`)::

    reports/
      .dcplan-reports                  marks the folder as render's (see below)
      index.html                       links this render's reports with their headline figures
                                       (other reports in the folder: in a section of their own)
      runs.json                        status of the latest attempt of every run (``render``: the
                                       id of the render that recorded it)
      results.csv                      every figure of every report in the folder, one row each
                                       (:mod:`dcplan.report_table`)
      <site-id>/<notebook>/report.html HTML report (code hidden unless show_code)
      <site-id>/<notebook>/notebook.ipynb  executed notebook (small: outputs trimmed)
      <site-id>/<notebook>/results.json    published figures + parameters + provenance + warnings
                                           (``parameters``: each one of the parameters cell with the
                                           value the run used; ``parameters_injected``: those set;
                                           ``warnings``: the dcplan warnings the run issued, once each)
      <site-id>/<notebook>/outputs/...     files the notebook exported (xlsx, csv)
                                           (outputs kept but not current: ``run.status`` in
                                           results.json, a banner atop report.html and a
                                           ``<file>.NOT-CURRENT.txt`` beside each export,
                                           :mod:`dcplan.report_stale`)
      _portfolio/<notebook>/...         per-portfolio notebooks
      _failed/<site-id>/<notebook>.ipynb   the executed notebook of a failed run (removed
                                           when the run later succeeds or is kept; an
                                           interrupted run is no failure and leaves none)
      .dcplan-tmp/render-<id>/         scratch of a render in progress

Render writes only into a new or empty folder or one it wrote before (its
``.dcplan-reports`` marker, or an earlier version's ``index.html``/``results.json``),
and deletes only its own scratch: any other non-empty ``--out`` is refused
(:func:`dcplan.report_files.check_reports_folder`). It never writes through a symbolic link:
a ``.lock``, ``.dcplan-tmp``, ``_failed``, site or run folder there that is one is refused,
naming it, before anything is written (:func:`dcplan.report_files.check_output_links`);
``index.html``, ``runs.json`` and ``results.csv`` that are links are replaced by files.

This module holds the render itself (parallel execution, progress, ``runs.json``, the
summary table); its parts live beside it, and every name they define stays importable
from here:

* :mod:`dcplan.report_plan` — notebooks, their declared parameters and scope, parameter
  checks; :func:`plan_runs` and the :class:`Run` / :class:`RunResult` records.
* :mod:`dcplan.report_fingerprint` — provenance and fingerprints: what a run's outputs
  depend on, and reuse of unchanged runs.
* :mod:`dcplan.report_execute` — executing one run in its own work folder and moving its
  outputs into place (:func:`execute_run`).
* :mod:`dcplan.report_kernel` — papermill's engine and the kernels' manager and client.
* :mod:`dcplan.report_html` — HTML reports and the index page (:func:`write_index`).
* :mod:`dcplan.report_records` — ``runs.json`` and the index kept up to date as runs end
  (:class:`_Records`), and after an interrupt (:func:`_record_stopped`).
* :mod:`dcplan.report_stale` — previous good outputs kept but no longer current (a failed
  or refused run, a run not applicable now) marked as such; "inputs changed since" in the index.
* :mod:`dcplan.report_files` — safe folder names, hashes, atomic writes and moves, the
  output folder's lock.
* :mod:`dcplan.report_folder` — whose folder: render writes only into a new, empty or dcplan
  reports folder, and removes only the scratch it made.

Papermill pitfalls handled (each described where it is handled):

* **Parameters are checked** against each notebook's declared parameters; values are
  injected as Python literals, never code; only file parameters (``*_file``, ``*_path``,
  ``*_csv``, ``*_json``) are looked up as files (:mod:`dcplan.report_plan`).
* **sys.exit(0) is not success**: papermill takes a notebook that called it for a clean
  run; here a run with a ``SystemExit`` or an unexecuted code cell failed
  (:mod:`dcplan.report_execute`).
* **No shared scratch**, **small executed notebooks** and **exports** kept beside the
  report (:mod:`dcplan.report_execute`).
* **Atomic outputs**: a failed run leaves the previous good report untouched;
  ``index.html``, ``runs.json`` and ``results.csv`` are replaced atomically (:mod:`dcplan.report_files`)
  as each run ends (:class:`_Records`), so that the index never shows an earlier render's
  figures for a report already replaced, even when the render is killed (SIGKILL: a
  timeout, the OOM killer) — all but in the few milliseconds between a run's move into
  place and its record; an interrupt (Ctrl-C, SIGTERM) records the runs that ended
  before it (:func:`_record_stopped`). Neither file can be written (a read-only folder
  or ``index.html``): an :class:`InputError` naming it, before any run when the render
  has runs to execute.
* **Provenance** in every ``results.json``, and **only changed runs execute**
  (:mod:`dcplan.report_fingerprint`; ``force=True`` / ``--force`` executes every run).
* **Warm kernels, still one process per run**: each run's kernel is forked from
  a server that imported pandas, matplotlib, pvlib, scipy, IPython and dcplan
  once per render (:mod:`dcplan._kernel_zygote`), which saves about 2 s per run
  without sharing any run-time state between runs. ``warm_kernels=False``
  (``--cold-kernels``) starts every kernel from scratch (on Linux through :mod:`dcplan._kernel_guard`, so
  what a cell started ends with its kernel when the render is killed, as with warm kernels); a kernelspec that
  is not this interpreter's ipykernel always starts cold.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import multiprocessing
import os
import shutil
import sys
import threading
import time
import uuid
from pathlib import Path

from . import _interrupt
from .errors import DcplanError, InputError
# the parts of render; the names not used here are imported so that they stay importable
# from dcplan.report (tests, dcplan.sweep and dcplan._report_warmup import them from here)
from .report_execute import (_GONE, MAX_TEXT_OUTPUT_CHARS, SHARED_WEATHER_ENV, THREADS_ENV,  # noqa: F401
                             _clear_failed, _execute, _execute_in_worker, _Executed, _failure_text,
                             _finish, _pid_alive, _trim_outputs, _watch_render, abandon, execute_run,
                             render_gone, timeout_whole_s)
from .report_files import (REPORTS_MARKER, TMP_DIR, _lock_output, _place,  # noqa: F401
                           _recover_interrupted, _sha256, atomic_write, atomic_write_text, check_no_render_inside,
                           check_output_links, check_reports_folder, make_scratch, mark_reports_folder,
                           prune_empty_dirs, safe_slug)
from .report_fingerprint import (FINGERPRINT_FORMAT, HASHED_OUTPUTS, KEY_LIBRARIES,  # noqa: F401
                                 _git_commit, _library_versions, _parameter_files, _tree_digest,
                                 dcplan_source_digest, environment_fingerprint, output_hashes,
                                 provenance, reusable, run_fingerprint)
from .report_html import (_HTML_LOCK, CELL_NUMBERING, _html_exporter, _to_html, _warm_up,  # noqa: F401
                          cell_label, write_index)
from .report_kernel import (KERNEL_EXIT_POLL_S, KERNEL_IOPUB_WAIT_S, _engine_name,  # noqa: F401
                            _ipc_kernel_manager, _ready_client_class)
from .report_records import (_cannot_write, _entry, _key, _load_status, _made_in_s,  # noqa: F401
                             _record_stopped, _Records, _update_status, _write_records, force_pending)
from .report_plan import (_BOOL_TEXT, MODEL_DATA_FILES, PORTFOLIO_DIR, Run, RunResult,  # noqa: F401
                          _file_candidates, _import_jsonschema_without_iri_grammars, _is_file,
                          _literal, available_notebooks, coerce_parameter, notebook_parameters,
                          notebook_scope, plan_runs, site_input_files, tariff_side_files)
from .report_provenance import check_source_date_epoch, run_start_utc
from .report_summary import SUMMARY_INDENT, SUMMARY_WIDTH, headline_lines
from .results import format_value

__all__ = ["Run", "RunResult", "plan_runs", "execute_run", "render", "safe_slug", "write_index",
           "notebook_parameters", "notebook_scope", "atomic_write_text", "provenance"]


# ---------------------------------------------------------------------------
# the whole render

@dataclasses.dataclass
class RenderSummary:
    results: list[RunResult]
    out: Path
    seconds: float
    #: lines about the reports folder itself, printed after the runs' (a leftover folder removed)
    notes: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every run that applies ran ok (a run *not applicable* to its site is no failure)."""
        return all(r.ok or r.run.not_applicable for r in self.results)

    @property
    def bad_input(self) -> list[RunResult]:
        """The runs not executed because their site's files (or a peer's they read) are bad input
        (:attr:`Run.bad_input`); ``dcplan render`` then exits 2."""
        return [r for r in self.results if r.run.bad_input]

    def table(self, width: int = SUMMARY_WIDTH) -> str:
        """Plain-text summary table: a line per run, its headline figures each on a line of its own
        (the first on the run's), short labels cut to ``width`` characters
        (:mod:`dcplan.report_summary`; the full labels are in results.json, the index and the report)."""
        w = max([len(r.run.key) for r in self.results] + [3])
        lines = [f"{'run':<{w}}  {'status':<6}  {'time':>7}  headline / error"]
        # a headline that does not fit whole beside its run (a long site name leaves little room) goes on a line
        # of its own, indented under the run, where its label has nearly the whole width: cut beside the run,
        # "Time to power from filing, median" read "Time…" (a verifier's finding)
        indent = " " * SUMMARY_INDENT
        for r in self.results:
            more: list[str] = []
            if r.run.not_applicable:
                detail = f"not applicable: {r.run.not_applicable}" + (f"; {r.error}" if r.error else "")
            elif r.ok:
                # warnings flagged as in the index (each in its report and results.json)
                warned = f"{_n_warnings(r.warnings)} (see the report)" if r.warnings else ""
                heads = headline_lines(r.results.values(), format_value, width - len(indent),
                                       names=(getattr(r.run, "site_name", "") or "",))
                beside = width - (w + 19)
                if warned or not heads or len(heads[0]) > beside:
                    detail, more = warned, heads
                else:
                    detail, more = heads[0], heads[1:]
            else:
                cell = f"{cell_label(r.failed_cell, r.run.notebook.stem)}: " if r.failed_cell is not None else ""
                detail = f"{cell}{r.error}"
            state = _state(r)
            lines.append(f"{r.run.key:<{w}}  {state:<6}  {r.seconds:6.1f}s  {detail}".rstrip())
            lines += [indent + m for m in more]
            note = getattr(r, "folder_note", "")  # (a result built by hand may not have one)
            if note:  # its previous folder could not be deleted: left, named (report_files._place)
                lines.append(indent + note)
        lines += self.notes
        n_ok = sum(r.ok for r in self.results)
        n_na = sum(bool(r.run.not_applicable) for r in self.results)
        n_kept = sum(r.reused_from is not None for r in self.results)
        kept = (f" ({n_kept} kept from earlier renders: nothing they depend on changed; --force "
                f"executes them)") if n_kept else ""
        na = f"; {n_na} not applicable (each run's line says why)" if n_na else ""
        n_apply = len(self.results) - n_na
        ran = f"{n_ok}/{n_apply} runs ok{kept}" if n_apply else "no runs executed"
        lines.append(f"{ran}{na} in {self.seconds:.1f} s; index: {self.out / 'index.html'}"
                     + (f"; every figure: {self.out / 'results.csv'}" if (self.out / "results.csv").is_file() else ""))
        if self.bad_input:  # "the other runs rendered" only when there were any (a notebook reading every site: none)
            others = max(0, len(self.results) - len(self.bad_input) - n_na)
            lines.append(f"{len(self.bad_input)} run(s) not executed: bad input (each line names the file, field "
                         "and value; " + ("the other runs rendered)" if others else "no other run to render)"))
        if any(not r.ok and r.failed_cell is not None for r in self.results):
            lines.append(f"failed runs' executed notebooks (with the traceback): {self.out / '_failed'}; "
                         f"{CELL_NUMBERING}")
        return "\n".join(lines)


def _n_warnings(warnings: list) -> str:
    from .peer_warnings import count_text  # its own apart from its peers' (site_analysis ranks peers)
    return count_text(warnings)


@contextlib.contextmanager
def _held_warnings():
    """Record the warnings issued inside, every one (the filters apply when :func:`_reissue` issues them);
    if the block raises, those recorded are issued before the error goes on (a bad input's warnings show)."""
    import warnings
    cm = warnings.catch_warnings(record=True)
    held = cm.__enter__()
    warnings.simplefilter("always")
    try:
        yield held
    except BaseException:
        cm.__exit__(None, None, None)
        _reissue(held)
        raise
    cm.__exit__(None, None, None)


def _reissue(held: list) -> None:
    """Issue warnings recorded by :func:`_held_warnings` as they were first issued (category, file and
    line, the issuing module's filters), each text once per place as the default filter does."""
    import warnings
    modules = {getattr(m, "__file__", None): n for n, m in list(sys.modules.items())}
    registry: dict = {}
    for w in held:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno,
                               module=modules.get(w.filename), registry=registry, source=w.source)


def _state(r: RunResult) -> str:
    """A run's status word: ``kept``, ``ok``, ``n/a`` or ``FAILED``."""
    if r.run.not_applicable:
        return "n/a"
    return "kept" if r.reused_from is not None else ("ok" if r.ok else "FAILED")


def render(portfolio: str | Path | None = None, sites: list[str] | None = None,
           notebooks: list[str] | None = None, out: str | Path = "reports", jobs: int | None = None,
           show_code: bool = False, parameters: dict | None = None, progress: bool = True,
           timeout_s: float | None = 1800.0, executor: cf.Executor | None = None,
           notebook_dir: str | Path | None = None, warm_kernels: bool | None = None,
           force: bool = False, plausibility_warnings: bool = False) -> RenderSummary:
    """Render notebooks for a portfolio; see the module docstring for the layout.

    Parameters
    ----------
    timeout_s : float or None, default 1800
        Per-cell timeout; papermill counts whole seconds, so a fraction is rounded up
        (at least 1 s). None: no timeout; anything but a finite number > 0 is an
        :class:`InputError`. [s]
    jobs : int, optional
        Parallel runs (default: number of CPU cores). ``1`` runs one after another in
        this process (in a thread the main thread waits for: a stop signal stops the running
        run's kernel, as it does a parallel render's); more run in threads of this process with
        warm kernels (each run still has its own kernel process), else in a pool of worker processes.
    executor : concurrent.futures.Executor, optional
        Run on this executor instead (e.g. a Dask ``distributed`` client's
        ``get_executor()``); ``jobs`` is then ignored.
    warm_kernels : bool, optional
        Fork each run's kernel from a preloaded server (:mod:`dcplan._kernel_zygote`)
        instead of starting it cold: every run still has its own process, but skips
        about 2 s of imports. Local runs only (not with ``executor``). Default: on
        Linux (fork after importing numpy/matplotlib is not safe on macOS, and Windows
        has no fork).
    force : bool
        Execute every run. By default a run whose :func:`run_fingerprint` (notebook,
        parameters, input files, dcplan code and data, installed versions) equals that
        of its last good outputs keeps them instead of executing again; the summary
        and ``runs.json`` say so.
    plausibility_warnings : bool, default False
        Before any run, issue ``dcplan validate``'s plausibility warnings for the sites the runs
        render, once per site (:func:`dcplan.report_plan.warn_rendered_sites`); ``dcplan render``
        does. Warnings only: the render goes on.

    Returns
    -------
    RenderSummary
        ``.ok`` is False when any run failed; ``.table()`` is the summary.
    """
    t0 = time.perf_counter()
    check_source_date_epoch()  # a malformed one refused before anything starts
    started_utc = run_start_utc()  # as its runs' (SOURCE_DATE_EPOCH's when set): _record_stopped compares them
    # names this render's scratch and stamps its entries in runs.json (``render``): the index counts
    # only those as this render's, never an earlier render's entry of a run this one did not record
    render_id = uuid.uuid4().hex[:12]
    timeout_whole_s(timeout_s)  # a finite number of seconds > 0 (or None), before anything starts
    # an --out that is not ours (a user's folder, one inside another render's): refused before anything
    # is started or created (a warm-kernel server, the plan's warnings), as again below with the runs
    check_reports_folder(Path(out).resolve())
    zyg, own_zyg = None, True
    from dcplan import _sockdirs
    _sockdirs.remove_stale()  # socket folders a killed render left in the system temp folder
    # the plan's warnings (the sites' plausibility and weather checks) are held until the --out checks that
    # need the runs pass: a refused --out says only why, and starts no warm-kernel server (about 10 s)
    with _held_warnings() as held:
        runs = plan_runs(portfolio, sites, notebooks, out, parameters,
                         notebook_dir=None if notebook_dir is None else Path(notebook_dir),
                         plausibility_warnings=plausibility_warnings)
    out = Path(out).resolve()
    check_reports_folder(out)  # a user's own non-empty folder is not ours to overwrite
    check_output_links(out, runs)  # nor is a symbolic link's target: refused before anything is written
    check_no_render_inside(out, runs)  # nor another render's reports inside a run folder it replaces
    _reissue(held)
    if warm_kernels is None:
        from dcplan._kernel_zygote import SUPPORTED as warm_kernels
    if warm_kernels and executor is None:  # start importing now, while we check the runs' records
        from dcplan import _kernel_zygote
        zyg, own_zyg = _kernel_zygote.for_render()  # a new one, or the one shared by the renders of a session
    folder_notes: list[str] = []
    try:
        lock = None
        try:
            out.mkdir(parents=True, exist_ok=True)
            lock = _lock_output(out)  # one render per output folder; released even if we are killed
            mark_reports_folder(out)
            _recover_interrupted(out, folder_notes)  # and the scratch of a killed render; leftovers removed: said
            # this render's own scratch: runs execute in folders made here; once it is gone
            # (interrupted, or ended) a run still going on a Dask worker writes nothing
            scratch = make_scratch(out, render_id)  # .dcplan-tmp a link: an InputError naming it
        except BaseException as e:
            if lock is not None:
                lock.close()
            if isinstance(e, OSError):  # a file of that name, no permission, a read-only disk
                raise InputError(f"cannot write reports there: {e.strerror or e}", file=str(out),
                                 field="--out") from None
            raise
    except BaseException:
        if zyg is not None and own_zyg:  # no kernel forked yet: a shared one serves the next render
            zyg.close()
        raise
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    results: list[RunResult] = []
    try:
        runs = [r if r.not_applicable or r.bad_input else
                dataclasses.replace(r, fingerprint=run_fingerprint(r, show_code), scratch=scratch)
                for r in runs]
        status0 = _load_status(out)
        # a run an interrupted --force render had not executed again is executed, not kept (force_pending)
        kept = {} if force else {r.key: k for r in runs if not r.not_applicable and not r.bad_input
                                 and not force_pending(status0, r) and (k := reusable(r, status0)) is not None}
        records = _Records(out, runs, dict(status0), _portfolio_about(portfolio), render_id)
        # one result each: recording it may add to its error (a kept report that could not be marked)
        skipped = {r.key: _not_executed(r) for r in runs if r.key not in kept and (r.not_applicable or r.bad_input)}
        for run in runs:
            if run.key in kept:
                records.record(kept[run.key], write=False)
            elif run.key in skipped:
                records.record(skipped[run.key], write=False)
        if any(r.key not in kept and not r.not_applicable for r in runs):
            records.check_writable()  # an index that cannot be replaced: bad input before any run
        if force:  # recorded before any run: a render cut off before it records them leaves them to execute
            records.record_force_intent([r for r in runs if not r.not_applicable and not r.bad_input])
    except BaseException:
        if zyg is not None and own_zyg:  # no kernel forked yet: a shared one serves the next render
            zyg.close()
        shutil.rmtree(out / TMP_DIR, ignore_errors=True)  # this render's scratch (only ours)
        lock.close()
        raise
    todo = [r for r in runs if r.key not in kept and not r.not_applicable and not r.bad_input]
    if not todo and zyg is not None:
        if own_zyg:
            zyg.close()
        zyg = None
    elif zyg is not None:  # the zygote warms these sites' plants for the kernels it forks, until the last is forked
        if own_zyg:  # a shared one warms up for the renders to come
            zyg.expect_kernels(len(todo))
        zyg.warm_sites([p for r in todo for p in (r.input_files.get("site"), *(
            v for k, v in r.portfolio_files.items() if k.startswith("site:"))) if p is not None])

    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(runs), desc="dcplan render", unit="run", file=sys.stderr)

    def _done(res: RunResult):
        records.record(res)  # runs.json and index.html, unless recorded as it was placed
        results.append(res)
        if bar is not None:
            bar.set_postfix_str(f"{res.run.key} {_state(res)}")
            bar.update(1)

    own_pool = None
    futs: dict[cf.Future, Run] = {}
    pending: list[cf.Future] = []  # finished runs whose outputs are being written (jobs=1)
    stopped = False
    cleaning = contextlib.ExitStack()  # a stopped render's clean-up (dcplan._interrupt.cleaning_up)
    finisher = None  # jobs=1: the thread writing a finished run's outputs while the next one executes
    try:
        for run in runs:
            if run.key in kept:
                _clear_failed(run)  # its latest attempt was good: an older failure is history
                _done(kept[run.key])
            elif run.key in skipped:
                _done(skipped[run.key])
        zpath = zyg.path if zyg is not None else None
        # each kernel's share of this machine's cores (not for a Dask cluster's workers)
        share = None if executor is not None or not todo else \
            max(1, (os.cpu_count() or 1) // max(1, min(jobs, len(todo))))
        if todo and executor is None and (jobs == 1 or len(todo) == 1 or zyg is not None):
            # runs execute in this process (directly or in threads): warm its exporter now
            threading.Thread(target=_warm_up, args=(show_code,), daemon=True).start()
        if todo and executor is None and (jobs == 1 or len(todo) == 1):
            # one notebook executes at a time, in a thread of its own while this one waits for it (a stop signal
            # is raised here between two waits, as in the parallel branch below: raised wherever this thread
            # was, it cut a write of runs.json or the index short, or nbclient's own clean-up); a finished run's
            # outputs (HTML export, results, the move into place: 0.05-0.2 s) are written in another thread
            # while the next one executes. Stopped, the running notebook's kernel is closed (abandon: within
            # a second) and nothing of that run is written, as a parallel render's running runs
            own_pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="dcplan-run")
            finisher = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="dcplan-finish")
            with _interrupt.deferred():
                for run in todo:
                    fut = own_pool.submit(_execute, run, show_code=show_code, timeout_s=timeout_s, zygote=zpath,
                                          threads=share)
                    futs[fut] = run
                    for _ in _interrupt.as_completed([fut]):
                        pass
                    del futs[fut]
                    ex = fut.result()
                    if isinstance(ex, RunResult):
                        _done(ex)
                    else:  # recorded as soon as it is placed, not when the next run has executed
                        pending.append(finisher.submit(_finish_and_record, ex, records))
                    while pending and pending[0].done():
                        _done(pending[0].result())
                        pending.pop(0)
                for f in _interrupt.as_completed(list(pending)):  # one finisher thread: in the order of pending
                    _done(f.result())
                    pending.remove(f)
                _interrupt.check()
            finisher.shutdown(wait=True)  # (nothing left for it: every finish was waited for above)
        elif todo:
            if executor is None and zyg is not None:
                # warm kernels do the work in their own processes; the runs' own side
                # (papermill messaging, HTML) is light, so threads beat starting a worker pool
                own_pool = cf.ThreadPoolExecutor(max_workers=min(jobs, len(todo)),
                                                 thread_name_prefix="dcplan-run")
                executor = own_pool
            elif executor is None:
                ctx = multiprocessing.get_context("forkserver")
                # workers fork from a server that has already imported papermill and nbconvert
                ctx.set_forkserver_preload(["dcplan.report", "papermill", "nbconvert", "dcplan._report_warmup"])
                own_pool = cf.ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx,
                                                  initializer=_watch_render, initargs=(os.getpid(),))
                executor = own_pool
            for run in longest_first(todo, status0):  # one by one: an interrupt cancels those submitted
                futs[executor.submit(_execute_in_worker, run, show_code, timeout_s, zpath, share)] = run
            # a stop signal raised between waits, not inside the futures' locks (cf.as_completed takes each
            # one's in turn: stopped there, it kept them and the pool's shutdown waited forever; dcplan._interrupt)
            with _interrupt.deferred():
                for f in _interrupt.as_completed(futs):
                    try:
                        res = f.result()
                    except Exception as err:  # worker died
                        res = RunResult(futs[f], ok=False, seconds=0.0, error=f"worker failed: {err!r}")
                    _done(res)  # outside the try: an index or runs.json that cannot be written is not the run's failure
                _interrupt.check()
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): stop the workers now, not after their runs
        stopped = True
        # the runs are stopped below: a further Ctrl-C no longer cuts the clean-up short (under a watchdog)
        cleaning.enter_context(_interrupt.cleaning_up())
        if finisher is not None:  # jobs=1: the outputs of the runs that executed are placed first, as they were
            # when its `with` block shut it down; waited for here, under cleaning_up (a Ctrl-C pressed again while
            # it writes is noted, not raised: raised in that wait, before the stop branch, it left a traceback)
            finisher.shutdown(wait=True)
        abandon(scratch)  # first: a run whose kernel is closed now is interrupted, not failed
        for f in futs:  # queued runs never start (a Dask client's too); a running one writes nothing
            f.cancel()
        if zyg is not None:
            zyg.close()  # kills the warm kernels: runs in threads end at once
        if own_pool is not None:
            for proc in list((getattr(own_pool, "_processes", None) or {}).values()):
                proc.terminate()
        raise
    finally:
        try:
            if own_pool is not None:
                own_pool.shutdown(wait=True, cancel_futures=True)
            if zyg is not None and (own_zyg or stopped):
                zyg.close()
            if bar is not None:
                bar.close()
            shutil.rmtree(out / TMP_DIR, ignore_errors=True)  # this render's scratch (only ours)
            abandon(scratch, gone=False)  # its threads are done; the folder's absence says it now
            if stopped:  # the runs placed before the interrupt: runs.json and the index say so too
                exc = sys.exc_info()[1]
                try:
                    said = _record_stopped(out, runs, results, pending + list(futs), started_utc, records.about,
                                           render_id, force=force)
                except Exception as err:  # noqa: BLE001 - the interrupt is what the caller must see; said with it
                    said = _not_recorded_text(err, exc, len(results), len(runs))
                finally:
                    lock.close()
                if exc is not None:  # what the CLI prints beside "interrupted" or the error (dcplan.cli.main)
                    with contextlib.suppress(AttributeError, TypeError):
                        exc.dcplan_summary = said
        finally:
            cleaning.close()  # Ctrl-C as before

    prune_empty_dirs(out / "_failed")  # the folders of runs that failed before and succeeded now
    order = {r.key: i for i, r in enumerate(runs)}
    results.sort(key=lambda r: order[r.run.key])
    try:
        records.write(done=True)
    finally:
        lock.close()
    return RenderSummary(results=results, out=out, seconds=time.perf_counter() - t0, notes=folder_notes)


def _not_recorded_text(err: BaseException, exc: BaseException | None, n_results: int, n_runs: int) -> str:
    """What a render stopped by ``exc`` (an interrupt, a full disk) says when recording the runs that ended
    failed too (``err``, from :func:`dcplan.report_records._record_stopped`): how many had ended, which of
    ``runs.json``, ``results.csv`` and ``index.html`` were rewritten and which not, and why, unless ``exc``
    said that already (a disk that filled stops the render and then its record the same way)."""
    n_done, n = getattr(err, "dcplan_ended", (n_results, n_runs))
    unwritten = list(getattr(err, "dcplan_unwritten", ("runs.json", "results.csv", "index.html")))
    written = list(getattr(err, "dcplan_written", ()))
    why = getattr(err, "strerror", None) or str(err)
    said_already = exc is not None and why == (getattr(exc, "strerror", None) or str(exc))
    done = f"{' and '.join(written)} rewritten for them, but " if written else ""
    return (f"{n_done} of its {n} run(s) had ended; {done}{' and '.join(unwritten)} could not be"
            + ("" if written else " rewritten for them") + ("" if said_already else f" ({why})")
            + f": {'it' if len(unwritten) == 1 else 'they'} may list earlier reports; render again once the "
              "folder can be written")


def _not_executed(run: Run) -> RunResult:
    """The result of a run render does not execute: not applicable to its site, or refused as
    bad input (:attr:`Run.bad_input`: its site's files, or a peer's it reads, are bad)."""
    return RunResult(run, ok=False, seconds=0.0, error=None if run.not_applicable else f"bad input: {run.bad_input}")


def _finish_and_record(ex, records: "_Records") -> RunResult:
    """:func:`_finish` a run (its outputs move into place), then record it at once."""
    return records.record(_finish(ex))


def _portfolio_about(portfolio) -> str | None:
    """``"Portfolio: <name>: <description>"`` for the index page (what in it is synthetic), or None."""
    try:
        from .paths import input_path
        from .site import load_portfolio
        pf = load_portfolio(None if portfolio is None else input_path(portfolio))  # as plan_runs finds it
    except Exception:  # noqa: BLE001 - plan_runs read it already; the index is written anyway
        return None
    return f"Portfolio: {pf.name}" + (f": {pf.description}" if pf.description else "")


def longest_first(runs: list[Run], status: dict) -> list[Run]:
    """Runs in the order to start them on parallel workers: by the time each took last
    time (``runs.json``), longest first, so a long run does not start last and leave the
    other workers idle; runs never timed before go first (they may be the long ones).
    Results are reported in plan order whatever the execution order."""
    def last_s(r: Run) -> float:
        v = status.get(f"{r.out_dir.parent.name}/{r.out_dir.name}", {}).get("seconds")
        return float("inf") if not isinstance(v, (int, float)) else float(v)
    return sorted(runs, key=last_s, reverse=True)  # stable: ties keep plan order


class RenderFailed(DcplanError):
    """Raised by callers that want an exception when any run failed."""
