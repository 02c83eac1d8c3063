"""Scenario sweeps: base sites x parameter axes -> one tidy table of key figures.

A sweep expands a spec (:func:`load_sweep` for YAML, :class:`SweepSpec` in Python;
see :mod:`dcplan.sweep_spec` for the format) into cases, runs a *case function* on
each and writes one row per case to Parquet (and CSV on request)::

    case_id | site | <axis columns> | status | error | <figures...> | seconds | cpu_s | worker | overrides_json

* **Case function**: an importable ``"module:function"`` name (so it pickles to any
  worker), called as ``fn(site)`` with the case's overrides already applied
  (:func:`apply_overrides`), returning ``{figure: number or text}``. It may declare
  ``weather=`` and ``tariff=`` parameters to receive the per-worker cached inputs
  (:mod:`dcplan.sweep_worker`). Default: ``dcplan.pipeline:case_figures``, the hourly
  chain power -> thermal -> solar -> grid -> tariff -> TCO.
* **PV orientation**: a row with ``pv_mwh`` also says the tilt and azimuth its PV used
  (``pv_tilt_deg``, ``pv_azimuth_deg``), and why when a ``solar.tracking`` override did not
  carry the site file's over to the other mount (``pv_orientation_note``; :mod:`dcplan.sweep_overrides`).
* **Executors**, one interface (``concurrent.futures.Executor``): in-process
  (``jobs=1``), local processes (default, ``jobs`` = cores) or a Dask
  ``distributed`` cluster (``scheduler=ADDRESS`` or ``DCPLAN_SCHEDULER``; its
  ``Client.get_executor()``). No cluster code of our own.
* **Failures**: a case that raises is a row with ``status="failed"`` and the error
  text (with the figures the case had: the rack layout's of the default and TCO cases,
  the site year's of a TCO case whose TCO failed, :func:`dcplan.sweep_worker.keep_figures`);
  the sweep goes on. A worker that dies loses the cases in flight with it (in
  a local process pool, every case in flight); later cases run in a fresh pool and,
  after the others, the lost cases are retried one case per task, then those lost
  again one at a time, so only a case that kills its worker alone fails (its error
  names the first and the last loss).
* **Resumable and atomic**: case ids are a hash of the site id and the case's
  overrides; finished cases are written every ``flush_every_s`` seconds or
  ``flush_every`` cases (temporary file, flushed to disk with ``fsync``, then
  ``os.replace`` and an ``fsync`` of the folder), so a killed sweep keeps what it
  finished and a re-run skips every case already ``ok`` (failed cases run again).
  Rows of cases no longer in the spec are dropped from the file.
* **The previous results are kept** as ``<stem>.previous.parquet`` when a run would
  drop finished rows of the file it found, and **stale temporary files** of a killed
  sweep are removed; a ``--csv`` CSV that cannot be written (open in Excel) does not stop
  the sweep, one the reader edited or made is kept beside it (``<stem>.edited-<time>.csv``),
  and a results file name too long for the files written beside it is refused
  before any case runs: see :mod:`dcplan.sweep_files`.
* **One day**: every case runs as of the day the sweep started here (:func:`dcplan.plan_dates.today_state`, passed
  to each task: :func:`dcplan.plan_dates.fixed_today`), not its worker's own date, clock or ``DCPLAN_TODAY``; a
  site without ``as_of`` counts its months waited for power to it, and every ``as_of`` is checked against this
  machine's date (:func:`dcplan.plan_dates.machine_today`). The results file's metadata records them (``today``,
  ``today_from``, ``machine_date``), and a re-run on a day that changes such a site's months waited runs its cases
  again.
* **Plausibility**: each case's site gets ``dcplan validate``'s warnings, said of the case
  (:mod:`dcplan.sweep_checks`).
* **Warnings once per kind**: a case's warnings come back with its row; the first of each kind is
  shown in full and, at the end, one line counts the other cases that gave it; a sweep of more than
  10,000 cases says how long it will take once its first cases are timed (:mod:`dcplan.sweep_messages`).
* **One run per results file**: a run that writes holds an advisory lock on
  ``.<name>.lock`` beside the file (the OS drops it if the process dies; the run removes the
  file when it ends); a second run to the same file is an input error instead of replacing the
  first one's rows.
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import itertools
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import pandas as pd

from . import _interrupt
from .errors import InputError
from .plan_dates import TODAY_ENV, today_state
from .sweep_digest import _inputs_digest  # what a results file's rows depend on (resume)
from .sweep_files import (LEGACY_TMP_AGE_S, _atomic_write, _csv_matches, _file_meta, _is_sweep_csv,  # noqa: F401
                          _keep_copy, _previous_path, _remove_stale_temps, _tmp_prefix, check_name_length,
                          check_previous_files, check_replaceable, csv_keep_plan, csv_sha_of, read_results,
                          results_lock, save_results, write_results_csv)
from .export_record import say_kept
from .sweep_spec import (DEFAULT_CASE, Axis, Case, SweepSpec, apply_overrides, case_id, load_sweep,
                         parse_path)
from .sweep_weather import case_weather_problems, check_case_weather  # noqa: F401  (re-exported)
from .sweep_pool import (SCHEDULER_ENV, InProcessExecutor, _RestartingProcessPool,  # noqa: F401 (re-exported)
                         _slots, make_executor)
from .sweep_messages import (ESTIMATE_ABOVE_CASES, ESTIMATE_AFTER_CASES, WarningTally, csv_going_on_text,
                             csv_not_written_text, reissue, runtime_estimate_text, warn_summary)
from .sweep_messages import stopped_summary as _stopped_summary
from .sweep_rows import _cell, _frame, _pv_columns, _row  # noqa: F401  (a case's row; re-exported)
from .sweep_worker import (RESERVED_COLUMNS, clear_caches, climate_figures, load_counts,
                           resolve_case, run_cases, site_tariff, site_weather)

__all__ = ["SweepSpec", "load_sweep", "apply_overrides", "parse_path", "case_id", "Axis", "Case",
           "run_sweep", "SweepResult", "make_executor", "InProcessExecutor", "read_results",
           "site_weather", "site_tariff", "load_counts", "clear_caches", "climate_figures",
           "DEFAULT_CASE", "RESERVED_COLUMNS", "pareto_front", "write_results_csv"]

# ---------------------------------------------------------------------------
# the sweep

@dataclasses.dataclass
class SweepResult:
    """Outcome of :func:`run_sweep`: the tidy frame and counts."""

    frame: pd.DataFrame
    path: Path | None
    csv_path: Path | None
    n_cases: int
    n_ran: int
    n_reused: int
    seconds: float
    name: str = "sweep"
    #: Where this run kept the results file it found (it dropped finished rows of it).
    previous_path: Path | None = None
    #: Where it kept the CSV of those results beside it (``<stem>.previous.csv``), when it kept one.
    previous_csv_path: Path | None = None
    #: Sample mode: draws per site asked for (``samples``), and the sites; repeated draws of
    #: discrete axes run once (column ``draws``), so the cases can be fewer.
    n_samples: int | None = None
    n_sites: int = 1
    #: The CSV (``--csv``) this run's last save could not write (locked: open in Excel), naming it, the cause,
    #: what it holds and how to write it; None when written or not asked for. The results file holds every case.
    csv_error: str | None = None
    #: The reader's versions of the CSV this run kept instead of overwriting them (:mod:`dcplan.sweep_files`).
    csv_kept: list[Path] = dataclasses.field(default_factory=list)
    #: The day every case ran as of (``YYYY-MM-DD``; :func:`dcplan.plan_dates.today_state`, fixed when the run
    #: started, also in the results file's metadata as ``today``, with ``today_from``): a site without ``as_of``
    #: counts its months waited for power (``grid_waited_months``) to it. None for a result made another way.
    today: str | None = None

    @property
    def n_failed(self) -> int:
        return int((self.frame["status"] == "failed").sum()) if len(self.frame) else 0

    @property
    def ok(self) -> bool:
        return self.n_failed == 0

    @property
    def failed(self) -> pd.DataFrame:
        return self.frame[self.frame["status"] == "failed"]

    @property
    def cases_per_s(self) -> float:
        return self.n_ran / self.seconds if self.seconds > 0 else float("nan")

    def table(self, max_failed: int = 10, price_dates: bool = True) -> str:
        """Plain-text summary: counts, throughput, output files, failed cases, and (``price_dates``) a line when
        the cases' tariffs are priced years apart (the portfolio_sweep notebook says that itself, of its sites)."""
        cases = f"{self.n_cases} case{'' if self.n_cases == 1 else 's'}"  # not "1 cases"
        lines = [f"sweep {self.name}: {cases}: {self.n_ran} ran, {self.n_reused} reused, "
                 f"{self.n_cases - self.n_failed} ok, {self.n_failed} failed; {self.seconds:.1f} s"
                 + (f" ({self.cases_per_s:.2f} cases/s)" if self.n_ran else "")]
        if self.n_samples is not None and self.n_cases < self.n_samples * self.n_sites:
            lines.append(f"{self.n_samples:,} draws per site gave {self.n_cases:,} distinct cases over "
                         f"{self.n_sites} site(s): draws that repeat a case (discrete axes) run once; column "
                         "'draws' counts them, weight statistics over the cases by it")
        if self.path:
            lines.append(f"results: {self.path}" + (f" and {self.csv_path}" if self.csv_path and not self.csv_error
                                                    else ""))
        if self.csv_error:
            lines.append(f"CSV NOT WRITTEN: {self.csv_error}")
        lines += [f"your version of {self.csv_path} kept as {k}, not overwritten" for k in self.csv_kept]
        if self.previous_path:
            lines.append(f"previous results kept as {self.previous_path}"
                         + (f" and {self.previous_csv_path}" if self.previous_csv_path else ""))
        for _, r in self.failed.head(max_failed).iterrows():
            lines.append(f"  FAILED {r['case_id']} {r['site']} {r.get('overrides_json', '')}: {r['error']}")
        if self.n_failed > max_failed:
            lines.append(f"  ... and {self.n_failed - max_failed} more failed (status column)")
        from .sweep_messages import price_date_text  # cases billed at tariff prices of years far apart
        return "\n".join(lines + [t for t in ((price_date_text(self.frame) if price_dates else ""),) if t])


def _default_out(spec: SweepSpec) -> Path:
    if spec.out:
        return Path(spec.out)
    return Path("sweeps") / f"{spec.name}.parquet"


def check_results_name(spec: SweepSpec, out: str | os.PathLike | None = None, *, of_file: bool = True) -> None:
    """Refuse a results file name (``out``, else the spec's ``out:``, else ``sweeps/<name>.parquet``) too long for
    the files a sweep writes beside it (:func:`dcplan.sweep_files.check_name_length`), before any case runs; ``dcplan
    validate`` makes the same check. The error's field is what named the file: ``--out``, or the sweep file's
    ``out`` or ``name``, followed by ``(of <file>)`` unless ``of_file`` is False (validate names the file itself)."""
    path = Path(out) if out is not None else _default_out(spec)
    by_name = out is None and not spec.out
    of = f" (of {spec.file})" if of_file and spec.file else ""
    field = "--out" if out is not None else ("name" if by_name else "out") + of
    check_name_length(path, field, " (sweeps/<name>.parquet: the sweep's name)" if by_name else "")


#: Wall time a worker task should last when cases are short: a task's own cost (a
#: process-pool or Dask round trip, pickling) is a few milliseconds, so grouping short
#: cases into tasks of this length keeps that below a few percent. [s]
TASK_TARGET_S = 0.25
#: Most cases in one task.
TASK_MAX_CASES = 64


def _batch_size(recent_s: list[float], left: int, slots: int) -> int:
    """Cases per task: about :data:`TASK_TARGET_S` of work, keeping two tasks per slot."""
    import statistics
    per = max(statistics.median(recent_s), 1e-4)
    want = int(TASK_TARGET_S / per)
    balance = left // (2 * max(slots, 1))
    return max(1, min(want, TASK_MAX_CASES, balance))


def run_sweep(spec: SweepSpec | str | Path, *, jobs: int | None = None, scheduler: str | None = None,
              executor: cf.Executor | None = None, out: str | Path | None = None,
              csv: bool | None = None, write: bool = True, resume: bool = True,
              case: str | None = None, progress: bool = False, flush_every: int = 200,
              flush_every_s: float = 5.0, window: int | None = None,
              notify: Callable[[str], None] | None = None) -> SweepResult:
    """Run every case of a sweep and write the tidy results.

    Parameters
    ----------
    spec : SweepSpec or path
        The sweep (a YAML path is read with :func:`load_sweep`).
    jobs, scheduler :
        Backend (see :func:`make_executor`); ignored when ``executor`` is given.
    executor : concurrent.futures.Executor, optional
        Run on this executor (e.g. ``distributed.Client(...).get_executor()``); not closed here.
    out : path, optional
        Parquet file (default: the spec's ``out``, else ``sweeps/<name>.parquet``).
    csv : bool, optional
        Also write ``<out>.csv`` (default: the spec's ``csv``).
    write : bool, default True
        ``False`` keeps everything in memory (no file, no resume).
    resume : bool, default True
        Skip cases already ``ok`` in ``out``, if ``out`` was written with the same case
        function (name and the file that defines it), the same contents of every file the sites name and the same dcplan
        code and installed versions; otherwise every case runs again. A run that drops
        finished rows of ``out`` keeps it as ``<stem>.previous.parquet`` first (see the
        module docstring).
    case : str, optional
        ``"module:function"`` replacing the spec's case function.
    progress : bool, default False
        A tqdm progress bar with rate and ETA on stderr.
    flush_every, flush_every_s :
        Write finished rows after this many new cases or seconds, whichever first.
    window : int, optional
        Tasks in flight at once (default: 4 x the executor's slots; 1 in-process). A
        task is one case at first; once cases are seen to be short, a task groups
        enough of them to last about :data:`TASK_TARGET_S` (a Dask or process-pool
        task costs milliseconds of its own), but never so many that fewer than two
        tasks per slot are left to balance the end of the sweep.
    notify : callable, optional
        Called with a one-line note when the run keeps the previous results file or
        removes stale temporary files (the CLI prints it).

    Returns
    -------
    SweepResult
        ``.frame`` in case order; ``.ok`` is False when a case failed.
    """
    if case is not None:
        resolve_case(case)  # import errors are input errors, before anything runs (the spec's below)
    if not isinstance(spec, SweepSpec):
        spec = load_sweep(spec, case=case)
    case_fn = case or spec.case
    resolve_case(case_fn)
    cases = spec.cases()
    check_case_weather(spec, cases)
    # one today for every case, where it runs (a Dask worker's own date or DCPLAN_TODAY is not read): the date
    # a site without as_of counts its months waited for power to (dcplan.plan_dates.with_wait)
    today = today_state()
    axis_names = spec.axis_names
    csv_error, csv_rows = None, None  # the CSV's problem at the last save (its rows when last written)
    path = Path(out) if out is not None else _default_out(spec)
    # where the results file was named: --out, the sweep file's out: (named so, not as --out, which the user did not
    # give: a CLI tester's finding), or neither (the default sweeps/<name>.parquet)
    out_field = ("--out" if out is not None else
                 f"out (of {spec.file})" if spec.out and spec.file else "out" if spec.out else
                 "--out (not given: the default)")
    if path.suffix.lower() not in (".parquet", ".pq"):
        raise InputError(f"output must be a .parquet file, got {path.name!r}", field=out_field)
    if write:  # a name too long for the file system: refused now, not at the first save after cases ran
        check_results_name(spec, out)
    want_csv = spec.csv if csv is None else csv
    csv_path = path.with_suffix(".csv") if want_csv else None
    csv_existed = csv_path is not None and csv_path.is_file()
    prev_path = _previous_path(path)
    prev_csv_path = _previous_path(path.with_suffix(".csv"))
    if write:  # fail before running any case, not after computing them all
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=path.parent, prefix=_tmp_prefix(path), suffix=".probe")
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            blocker = next((q for q in path.parents if q.exists() and not q.is_dir()), None)
            why = (f"{blocker} is a file, not a folder" if blocker is not None else e.strerror)
            raise InputError(f"cannot write results there: {why}", file=str(path), field=out_field) from None
        for q in (path, prev_path, *((csv_path, prev_csv_path) if want_csv else ())):
            if q.is_dir():  # found before any case runs, not when the results are written
                raise InputError("is a folder where the sweep writes a results file; move it or choose "
                                 "another --out", file=str(q), field=out_field)
        check_previous_files([prev_path, prev_csv_path])  # a user's own file there is not replaced
        check_replaceable([path, csv_path])  # open in Excel, immutable: refused now, not after every case
        stale = _remove_stale_temps([path, path.with_suffix(".csv"), prev_path, prev_csv_path])
        if stale and notify:
            notify(f"removed {len(stale)} temporary file(s) left by a killed sweep next to {path}")
    # the CSV beside the results: this run's (--csv), or an earlier run's that this run does not
    # rewrite: never deleted or changed (it may be the only copy, or carry the user's columns);
    # copied with .previous when that is kept, and the first save says it is now out of date. A
    # --csv CSV not as dcplan last wrote it (edited, the user's own) is kept beside it (sweep_files)
    stale_csv = None
    sib_csv = path.with_suffix(".csv")
    if write and not want_csv and sib_csv.is_file() and _is_sweep_csv(sib_csv):
        stale_csv = sib_csv
    meta = {"name": spec.name, "case": case_fn, "spec_file": spec.file, "axes": axis_names,
            "inputs_sha256": _inputs_digest(case_fn, spec, today) if write else None,
            "complete": False, "previous_kept": False,
            "today": today[0], "today_from": TODAY_ENV if today[1] else "the machine's date",
            "machine_date": today[2] if len(today) > 2 else None}  # the as_of bound's date (plan_dates.machine_today)
    t0 = time.perf_counter()

    by_id = {c.case_id: c for c in cases}
    done: dict[str, dict] = {}
    # keep: the file found must be kept as .previous before the first save (it has
    # finished rows this run drops); meta["previous_kept"]: the last complete results
    # this file descends from are in .previous (so a partial file is not kept over them)
    keep, n_dropped = False, 0
    csv_sha, csv_kept = None, []  # the CSV this run last wrote (SHA-256), or found as dcplan wrote it; those kept
    meta["previous_kept"] = write and prev_path.exists()
    if write and path.exists():
        prev = read_results(path)
        if not {"case_id", "status"} <= set(prev.columns):
            raise InputError("exists and is not a dcplan sweep result (no case_id/status columns); "
                             "choose another --out", file=str(path))
        if csv_path is not None and csv_keep_plan(csv_path):  # unrecorded, or edited: unless it is these results'
            csv_sha = csv_sha_of(prev, csv_path)
        # rows of another case function, other site files or another dcplan/library
        # version are not this sweep's: run every case again
        prev_meta = _file_meta(path)
        same = prev_meta.get("inputs_sha256") == meta["inputs_sha256"]
        # a reused row keeps its outcome and figures; its axis columns are this spec's (a
        # path moved between fixed and axes keeps the case id but not the columns)
        # (and its draws: this run's sample size and seed may differ from the file's)
        engine = {"case_id", "site", "overrides_json", "draws", *axis_names, *(prev_meta.get("axes") or [])}
        for rec in prev.to_dict("records") if resume and same else []:
            if rec["case_id"] in by_id and rec["status"] == "ok":
                done[rec["case_id"]] = _row(by_id[rec["case_id"]],
                                            {k: v for k, v in rec.items() if k not in engine})
        n_dropped = int(((prev["status"] == "ok") & ~prev["case_id"].isin(list(done))).sum())
        prev_complete = prev_meta.get("complete", True)  # written by an earlier version: complete
        partial_of_kept = (not prev_complete and bool(prev_meta.get("previous_kept"))
                           and prev_path.exists())
        keep = n_dropped > 0 and not partial_of_kept
        meta["previous_kept"] = keep or partial_of_kept
    n_reused = len(done)
    todo = [c for c in cases if c.case_id not in done]
    rows: dict[str, dict] = dict(done)

    def assemble() -> pd.DataFrame:
        return _frame([rows[c.case_id] for c in cases if c.case_id in rows], axis_names)

    kept: list[Path] = []

    def aside(say: Callable[[], None]) -> None:
        """A line on stderr (a note, a warning) beside the progress bar, not through it."""
        if bar is None:
            return say()
        with bar.external_write_mode(file=sys.stderr):
            say()

    def keep_previous() -> None:
        """Keep the file found (and its CSV, when this run rewrites it) as ``.previous``."""
        _keep_copy(path, prev_path)
        kept.append(prev_path)
        old_csv = csv_path if csv_path is not None else stale_csv
        # the CSV only when it is of the results kept (an earlier run's CSV left beside newer results is not)
        # and as dcplan wrote it (an edited one is kept as the reader's, not as a copy of those results)
        if (old_csv is not None and old_csv.exists() and _csv_matches(old_csv, prev_path)
                and not (old_csv == csv_path and csv_keep_plan(csv_path, csv_sha))):
            _keep_copy(old_csv, prev_csv_path)
            kept.append(prev_csv_path)
        else:  # never leave a CSV of an older generation next to this .previous
            prev_csv_path.unlink(missing_ok=True)
        if notify:
            aside(lambda: notify(f"this run replaces {n_dropped} finished case(s) of {path}; the previous "
                                 f"results are kept as {' and '.join(map(str, kept))}"))

    def flush(complete: bool = False) -> None:
        nonlocal keep, stale_csv, csv_error, csv_rows, csv_sha
        if write:
            df = assemble()
            if keep:
                keep_previous()
                keep = False
            meta["complete"] = complete
            # the results file, then the CSV if it can be
            problem, csv_sha, kept_now = save_results(df, path, csv_path, meta, csv_sha)
            if kept_now:  # the reader's CSV (edited, or their own) moved aside, not overwritten
                csv_kept.extend(name for name, _ in kept_now.values())
                aside(lambda: say_kept(kept_now))
            if problem and problem != csv_error and notify:  # the sweep goes on (said once per cause)
                aside(lambda: notify(csv_going_on_text(problem, path)))
            csv_error, csv_rows = problem, (csv_rows if problem else len(df))
            if stale_csv is not None and (len(rows) > n_reused or n_dropped > 0):  # rows changed
                if notify:
                    aside(lambda: notify(f"{stale_csv} is an earlier run's CSV and no longer matches {path} "
                                         "(left as it was; pass --csv to rewrite it)"))
                stale_csv = None

    bar = None
    with contextlib.ExitStack() as stack:
        if write:  # one run per results file (before anything is kept, run or written)
            stack.enter_context(results_lock(path))
        own_pool = executor is None
        if executor is None:
            executor, slots = stack.enter_context(make_executor(jobs, scheduler))
        else:
            slots = _slots(executor)
        if progress and todo:
            from tqdm.auto import tqdm
            bar = tqdm(total=len(todo), desc=f"dcplan sweep {spec.name}", unit="case", file=sys.stderr)
        in_process = isinstance(executor, InProcessExecutor)
        width = window or (1 if in_process else 4 * slots)
        pending: dict[cf.Future, list[Case]] = {}
        queue = iter(todo)
        last_flush, since_flush, n_failed, n_new = time.monotonic(), 0, 0, 0
        finished_all = False
        batch, submitted, recent = 1, 0, []  # recent: wall seconds of finished cases
        # cases whose task was lost (its worker died: a crash, os._exit, the out-of-memory
        # killer, which also fails every task in flight in a local pool). After the other
        # cases they are retried, one case per task, side by side; those lost again are
        # retried once more one at a time, so a case that kills its worker fails with that
        # reason and the cases that only shared the pool with it run
        lost: list[tuple[Case, str]] = []
        retry_round, first_why = 0, {}  # 0: first run, 1: side by side, 2: one at a time
        tally, estimate = WarningTally(), len(todo) > ESTIMATE_ABOVE_CASES and notify is not None

        def fill() -> None:
            nonlocal submitted
            while len(pending) < width:
                group = list(itertools.islice(queue, batch))
                if not group:
                    return
                try:
                    fut = executor.submit(run_cases, case_fn,
                                          [(c.site, c.overrides, c.base_dir, c.case_id) for c in group], today)
                except Exception as err:  # e.g. a process pool broken by a worker that died
                    fut = cf.Future()
                    fut.set_exception(err)
                pending[fut] = group
                submitted += len(group)

        def record(group: list[Case], results: list[dict]) -> None:
            nonlocal n_new, n_failed, since_flush
            for c, res in zip(group, results):
                for item in tally.add(res.pop("_warnings", None)):  # the first of each kind, in full
                    aside(lambda: reissue(item))
                rows[c.case_id] = _row(c, res)
                n_new += 1
                n_failed += res["status"] != "ok"
                since_flush += 1
                if res["seconds"] == res["seconds"]:  # not NaN (a lost task)
                    recent.append(res["seconds"])
                    del recent[:-64]
                if bar is not None:
                    bar.set_postfix_str(f"{n_failed} failed")
                    bar.update(1)

        # a stop signal raised by this loop, between waits (dcplan._interrupt), not inside a futures' lock, a save
        # or the results lock. In this process too (-j 1: a case runs in submit): the running case finishes and
        # is kept, as a pool's running cases are, and a second Ctrl-C stops it at once (raised wherever this
        # thread was, the first lost the running case or cut a save short)
        defer = contextlib.ExitStack()
        try:
            defer.enter_context(_interrupt.deferred())
            fill()
            while pending:
                finished, _ = cf.wait(list(pending), timeout=_interrupt.POLL_S, return_when=cf.FIRST_COMPLETED)
                _interrupt.check()
                for f in finished:
                    group = pending.pop(f)
                    try:
                        results = f.result()
                    except Exception as err:  # the worker itself died or the task was lost
                        why = f"{type(err).__name__}: {err}"
                        if retry_round < 2:
                            lost.extend((c, why) for c in group)
                            continue
                        results = [{"case_id": c.case_id, "status": "failed",
                                    "error": f"worker failed: {why} (retried alone after: {first_why[c.case_id]})",
                                    "seconds": float("nan"), "cpu_s": float("nan"), "worker": None}
                                   for c in group]
                    record(group, results)
                if not in_process and recent and not retry_round:
                    batch = _batch_size(recent, len(todo) - submitted, slots)
                if estimate and len(recent) >= ESTIMATE_AFTER_CASES:  # a long sweep: how long, once
                    estimate = False
                    import statistics
                    aside(lambda: notify(runtime_estimate_text(len(todo) - n_new, statistics.median(recent),
                                                               slots, len(recent))))
                if since_flush and (since_flush >= flush_every
                                    or time.monotonic() - last_flush >= flush_every_s):
                    flush()
                    last_flush, since_flush = time.monotonic(), 0
                fill()
                if not pending and lost and retry_round < 2:  # a retry round (above)
                    retry_round += 1
                    width = 1 if retry_round == 2 else width
                    batch = 1
                    for c, why in lost:
                        first_why.setdefault(c.case_id, why)
                    queue = iter([c for c, _ in lost])
                    lost = []
                    fill()
            finished_all = True
            _interrupt.check()  # a stop signal after the last case: every case is kept, the command still stops
        finally:
            defer.close()
            if pending and own_pool and isinstance(executor, _RestartingProcessPool):
                # stopped early (Ctrl-C, SIGTERM): our own pool cancels its queued cases on its
                # manager thread; cancelling them from here races that thread when the workers
                # died with this process (SIGTERM to the process group, as a batch scheduler
                # sends), and on Python 3.11 the thread then fails on the cancelled future with
                # a traceback (CPython gh-107219)
                executor.stop()
            else:
                for f in pending:
                    f.cancel()
            for f, group in pending.items():  # cases that finished as it stopped (-j 1: the case that ran on)
                if f.done() and not f.cancelled() and f.exception() is None:
                    record(group, f.result())
            if bar is not None:
                bar.close()
                bar = None
            warn_summary(tally)  # the other cases' warnings shown once above: how many gave each
            # also on Ctrl-C: keep every finished case (a run stopped before any case
            # finished has nothing to add and leaves the file as it was)
            late = None  # a stop signal during the last save: noted, not raised inside it (the file is placed)
            if finished_all or n_new:
                with _interrupt.deferred():
                    flush(complete=finished_all)
                    try:
                        _interrupt.check()
                    except KeyboardInterrupt as e:
                        late = e
            stop = sys.exc_info()[1] or late
            if isinstance(stop, KeyboardInterrupt):  # what the CLI prints beside "interrupted" (dcplan.cli.main)
                stop.dcplan_summary = _stopped_summary(rows, len(cases), n_new, n_failed,
                                                       path if write else None) + (f"; {csv_error}" if csv_error
                                                                                   else "")
            if late is not None and stop is late:
                raise late
    return SweepResult(frame=assemble(), path=path if write else None,
                       csv_path=csv_path if write else None, n_cases=len(cases), n_ran=len(todo),
                       n_reused=n_reused, seconds=time.perf_counter() - t0, name=spec.name,
                       previous_path=kept[0] if kept else None, previous_csv_path=kept[1] if len(kept) > 1 else None,
                       n_samples=spec.samples if spec.mode == "sample" else None, n_sites=len(spec.sites),
                       csv_error=None if csv_error is None else csv_not_written_text(
                           csv_error, csv_path, path, csv_rows, len(rows), csv_existed),
                       csv_kept=csv_kept, today=today[0])


# ---------------------------------------------------------------------------
# analysis helper

def pareto_front(df: pd.DataFrame, minimize: list[str]) -> pd.Series:
    """Boolean mask of rows not dominated on the ``minimize`` columns.

    A row is dominated when another row is no worse in every column and better in
    at least one. Rows with a missing value are never on the front. O(n^2 k).
    """
    import numpy as np
    x = df[minimize].to_numpy(dtype=float)
    valid = ~np.isnan(x).any(axis=1)
    on = valid.copy()
    for i in np.flatnonzero(valid):
        others = x[valid]
        dominated = np.any(np.all(others <= x[i], axis=1) & np.any(others < x[i], axis=1))
        on[i] = not dominated
    return pd.Series(on, index=df.index, name="pareto")
