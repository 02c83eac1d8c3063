"""What a sweep (:func:`dcplan.sweep.run_sweep`) says while it runs: its cases' warnings, once each,
and how long a large sweep will take.

* **Warnings, once per kind.** Each case's warnings are caught in the worker (:func:`capture_warnings`)
  and sent back with its row; the sweep shows the first case's warning of each kind in full and, at the
  end, one line with how many other cases gave each kind (:class:`WarningTally`). Two warnings are of
  one kind when their text is the same but for its numbers (:func:`warning_kind`): a sweep of 100 inlet
  setpoints printed "inlet setpoint below 21 degC" once per case, 363 lines after 1,135 cases.
* **Run time.** Before the bulk of a sweep of more than :data:`ESTIMATE_ABOVE_CASES` cases runs, the
  sweep says how long it will take: cases x the median wall time of its first cases in the workers /
  the executor's processes (:func:`runtime_estimate_text`).
* **Price dates.** Cases billed at tariff prices of dates more than a year apart (``bill_price_date``, e.g. a
  ``tariff.file`` axis of a 2027 and a 2024 tariff) are said in one line of the summary
  (:func:`price_date_text`): their costs compare prices of different years.
* **A CSV it could not write** (open in Excel): the sweep goes on (:func:`csv_going_on_text`) and, when its last
  save could not write it either, says at the end what the CSV holds and how to write it (:func:`csv_not_written_text`).
* :data:`CASE_CPU_S`, the CPU time of one site-year case, the figure behind the README's per-case time
  and the 1,000,000-case refusal's core-hours (:func:`dcplan.sweep_spec.SweepSpec._check_size`).
"""
from __future__ import annotations

import collections
import contextlib
import os
import pickle
import re
import threading
import warnings
from typing import Iterator

__all__ = ["CASE_CPU_S", "ESTIMATE_ABOVE_CASES", "ESTIMATE_AFTER_CASES", "WarningTally", "capture_warnings",
           "warning_kind", "runtime_estimate_text", "core_hours", "stopped_summary", "price_date_text"]

#: CPU time of one site-year case of the default case function (``dcplan.pipeline:case_figures``,
#: the hourly chain power -> thermal -> solar -> grid -> tariff) [s]: **measured**, 55-66 ms CPU per
#: case with ``python -m benchmarks --only sweep`` and an in-process sweep of 40 cases on a shared
#: 2-core Linux VM (Python 3.11, load average 2.8-7.8) on 2026-12-05 (a site-selection lead measured
#: 56-58 ms on a loaded machine); wall time per case there was 85-118 ms. ``benchmarks/results.json``
#: holds 22 ms from a quiet machine and the code of 2026-12-03 (the README said "about 25 ms"): the
#: loaded figure is kept as the conservative one. Other machines differ: the sweep measures its own
#: cases before a long run (:func:`runtime_estimate_text`).
CASE_CPU_S = 0.060
#: A sweep with more cases to run than this says how long it will take before the bulk of them runs.
ESTIMATE_ABOVE_CASES = 10_000
#: Cases measured before that estimate (their median wall time in the workers).
ESTIMATE_AFTER_CASES = 16


def core_hours(n_cases: int, per_case_s: float = CASE_CPU_S) -> float:
    """CPU hours of ``n_cases`` cases at ``per_case_s`` each: ``n x s / 3600``."""
    return n_cases * per_case_s / 3600.0


# ---------------------------------------------------------------------------
# warnings

_CASE_LABEL = re.compile(r" \[sweep case .*\]$")  # (its paths hold brackets: fleet.phases[0].count)
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?")


def warning_kind(category_name: str, text: str) -> tuple[str, str]:
    """What makes two warnings "the same" in a sweep: the category and the text with every number
    replaced by ``#`` (the values a case's overrides change: ``inlet_setpoint_degc 18.09`` and
    ``19.27`` are one kind).

    >>> warning_kind("W", "x is 12.09 degC (18 - 6 K)") == warning_kind("W", "x is 14 degC (20 - 6 K)")
    True

    A plausibility warning's case label (``[sweep case <site> with tariff.file="a.json"]``,
    :mod:`dcplan.sweep_checks`) is left out too: the same warning of cases that differ in a text value
    (a tariff file, a cooling type) is one kind.

    >>> warning_kind("W", 'x [sweep case s with tariff.file="a.json"]') == warning_kind("W", "x [sweep case s]")
    True
    """
    return category_name, _NUMBER.sub("#", _CASE_LABEL.sub("", text))


def _portable(category: type) -> type:
    """The category as the parent can unpickle it (a class defined in a test or a notebook cell
    may not be): else :class:`UserWarning`, the text unchanged."""
    try:
        pickle.loads(pickle.dumps(category))
        return category
    except Exception:
        return UserWarning


@contextlib.contextmanager
def capture_warnings() -> Iterator[list[tuple]]:
    """In a worker, collect the warnings a case gives as ``(category, text, filename, lineno)``
    tuples instead of printing them (the sweep shows each kind once: :class:`WarningTally`).

    The warning filters in force are kept (an ``ignore`` stays ignored); entering resets the
    "already shown" registries, so each case gives its warnings afresh. Only in the main thread:
    ``warnings.catch_warnings`` swaps process-wide state, which threads (a Dask worker's) would
    leave swapped; there the warnings print as before and the list stays empty."""
    out: list[tuple] = []
    if threading.current_thread() is not threading.main_thread():
        yield out
        return
    with warnings.catch_warnings(record=True) as caught:
        yield out
    out.extend((_portable(w.category), str(w.message), str(w.filename), int(w.lineno or 0)) for w in caught)


class WarningTally:
    """The parent's side: which warnings to show now (the first of each kind) and, at the end, one
    line counting the other cases that gave each kind."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], str] = {}
        self.more: collections.Counter = collections.Counter()

    def add(self, caught) -> list[tuple]:
        """One case's warnings; returns those to show now (a kind not seen before). A kind given
        twice by one case counts once."""
        show, seen = [], set()
        for item in caught or ():
            category, text = item[0], item[1]
            kind = warning_kind(getattr(category, "__name__", str(category)), text)
            if kind in seen:
                continue
            seen.add(kind)
            if kind in self.first:
                self.more[kind] += 1
            else:
                self.first[kind] = text
                show.append(item)
        return show

    def summary(self) -> str:
        """``""`` when no kind repeated; else one line: for each kind, how many more cases gave it
        (the start of its first text names it)."""
        if not self.more:
            return ""
        parts = []
        for kind, n in self.more.most_common():
            head = self.first[kind]
            head = head if len(head) <= 90 else head[:87].rstrip() + "..."
            parts.append(f"{n:,} more case(s): {head!r}")
        return ("the warnings above were given by other cases too, with their own values (shown once each): "
                + "; ".join(parts))


def reissue(item: tuple) -> None:
    """Show a worker's warning here, as it was given (category, text, where), through the warning
    filters in force (the CLI prints dcplan's as ``dcplan: warning: ...``). A filter that turns it
    into an error (``-W error``) failed the case that gave it already, where it was given (in this
    process) or not (a worker process): here it is shown, not raised, so the sweep goes on."""
    category, text, filename, lineno = item
    try:
        warnings.warn_explicit(text, category, filename, lineno, module="dcplan.sweep")
    except Warning:
        warnings.showwarning(text, category, filename, lineno)


def warn_summary(tally: WarningTally) -> None:
    """:meth:`WarningTally.summary` as a dcplan warning (shown, never raised: :func:`reissue`)."""
    from .errors import DcplanWarning
    if tally.summary():
        reissue((DcplanWarning, tally.summary(), "dcplan/sweep.py", 0))


# ---------------------------------------------------------------------------
# run time

def runtime_estimate_text(n_left: int, per_case_s: float, slots: int, n_measured: int) -> str:
    """How long ``n_left`` cases will take: ``n x per_case_s / slots`` (the wall time per case
    measured in the workers, the executor's processes), in hours or minutes, with the CPU time."""
    wall_s = n_left * per_case_s / max(slots, 1)
    took = f"{wall_s / 3600:,.1f} h" if wall_s >= 5400 else f"{wall_s / 60:,.0f} min"
    return (f"{n_left:,} cases to run at about {1000 * per_case_s:,.0f} ms each (median of the first "
            f"{n_measured} measured in the workers) on {slots} process(es): about {took} "
            f"({core_hours(n_left, per_case_s):,.1f} core-hours); Ctrl-C stops it and keeps the cases "
            "finished, running the same command again resumes")


def stopped_summary(rows: dict[str, dict], n_cases: int, n_new: int, n_failed: int, path) -> str:
    """The account of a sweep stopped early (Ctrl-C, SIGTERM): how many of its cases are
    finished and where they are saved, and that running it again resumes it."""
    n_ok = sum(r.get("status") == "ok" for r in rows.values())
    failed = f", {n_failed} of them failed" if n_failed else ""
    if path is None:
        return f"{n_ok} of {n_cases} case(s) finished ({n_new} in this run{failed}); not saved (write=False)"
    if not n_new and not n_ok:
        return f"no case of {n_cases} finished; nothing saved"
    if not n_new:
        return (f"no case finished in this run; {path} keeps the {n_ok} of {n_cases} case(s) finished "
                "before; run the same command again to resume")
    return (f"{n_ok} of {n_cases} case(s) finished and saved in {path} ({n_new} in this run{failed}); "
            f"run the same command again to run the other {n_cases - n_ok}: finished cases are reused")


def csv_going_on_text(problem: str, path) -> str:
    """The note when a save could not write the sweep's CSV (``problem``: :func:`dcplan.sweep_files.csv_problem`):
    the sweep goes on, its cases saved to the results file ``path``, and the CSV is tried again."""
    return f"{problem}; the sweep goes on, every case is saved to {path}, and the CSV is tried again at each save"


def csv_not_written_text(problem: str, csv_path, path, csv_rows: int | None, n_rows: int, existed: bool) -> str:
    """The account, at the end, of a CSV the sweep's last save could not write (``problem``): what the CSV holds
    now (``csv_rows`` cases written by an earlier save of this run, else as before the run, or none), that the
    results file ``path`` holds the ``n_rows`` cases, and how to write the CSV without running a case.

    The command's Python code is quoted for a POSIX shell (:func:`shlex.quote`): a path with ``"``, ``$`` or a
    backtick inside a double-quoted ``python -c "..."`` was expanded or cut by the shell. The path is a
    double-quoted Python literal (a JSON string is one), so the usual path needs no escape inside the single
    quotes; a path that is not printable (an undecodable byte) keeps ``repr``'s escapes. On Windows
    (``os.name == "nt"``), where the single quotes quote nothing, the command is quoted by the C runtime's rules
    (:func:`subprocess.list2cmdline`, double quotes), and the path is ``repr``'s literal, single-quoted unless the
    path holds a ``'`` (a Windows path cannot hold ``"``), so cmd.exe sees one quoted string and leaves a ``&`` in
    the path alone."""
    import json
    import shlex
    import subprocess
    held = (f"it holds only the {csv_rows:,} case(s) of an earlier save of this run" if csv_rows is not None
            else "it is as it was before this run" if existed else "it was not created")
    windows = os.name == "nt"
    literal = (repr(str(path)) if windows or not str(path).isprintable()
               else json.dumps(str(path), ensure_ascii=False))
    code = f"from dcplan.sweep import write_results_csv; write_results_csv({literal})"
    cmd = subprocess.list2cmdline(["python", "-c", code]) if windows else "python -c " + shlex.quote(code)
    return (f"{problem}; {held}, while {path} holds all {n_rows:,} (the sweep's results); close or unlock "
            f"{csv_path}, then write it from the results without running any case: {cmd} (or run the same command "
            "again: cases finished ok are reused)")


# ---------------------------------------------------------------------------
# price dates

def price_date_text(frame) -> str:
    """One line ("" when none) when the ``bill_price_date`` of the ``ok`` cases of a sweep's ``frame``
    (:func:`dcplan.pipeline.figures`) lie more than :data:`dcplan.portfolio_robustness.PRICE_DATE_GAP_DAYS`
    apart: :func:`dcplan.portfolio_robustness.price_date_warning` of each date with its number of cases."""
    import pandas as pd

    from .portfolio_robustness import price_date_warning
    if "bill_price_date" not in frame or "status" not in frame:
        return ""
    d = frame.loc[frame["status"] == "ok", "bill_price_date"].dropna()
    if d.empty:
        return ""
    n = d.astype(str).value_counts()
    names = {k: f"{c:,} case{'s' if c != 1 else ''} at" for k, c in n.items()}
    text = price_date_warning(pd.Series(n.index, index=n.index, dtype=object), names, list(n.index),
                              whose="the cases'", comparison="ranking them by cost")
    return f"warning: {text}" if text else ""
