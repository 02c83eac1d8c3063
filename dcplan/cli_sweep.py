"""``dcplan sweep SPEC``: run a scenario sweep (parsing and printing only; see dcplan.sweep).

Exit codes: 0 every case ok; 1 some case failed (the summary lists them; the
results file has them with ``status = failed``), or the ``--csv`` CSV could not be written at
the last save (locked: open in Excel; the results file has every case, and the error says how to
write the CSV); 2 bad spec or usage; 130 (Ctrl-C) or 143
(SIGTERM) stopped: ``dcplan: interrupted: ...`` says how many cases are finished and saved
(:func:`dcplan.sweep.run_sweep` attaches it to the KeyboardInterrupt) and that running the same
command again resumes.
"""
from __future__ import annotations

import os
import sys


def add_parser(subparsers):
    """Register ``dcplan sweep`` on the ``dcplan`` sub-command parsers."""
    p = subparsers.add_parser(
        "sweep", help="run a parameter/portfolio sweep (local processes or a Dask cluster)",
        description="Run every case of a sweep spec (YAML) and write one row per case to Parquet. "
                    "Re-running skips cases already finished. A run that drops finished rows of "
                    "the results file (--no-resume, changed inputs, cases no longer in the spec) "
                    "first keeps that file as <stem>.previous.parquet (one generation).")
    p.add_argument("spec", metavar="SPEC", help="sweep spec YAML (see data/sweeps/example.yaml: a data/... name "
                   "is found from any folder; dcplan docs --path data prints the folder)")
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="local processes (default or 0: one per CPU core; 1 = in this process)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="Dask scheduler address, e.g. tcp://host:8786 (or DCPLAN_SCHEDULER)")
    p.add_argument("--out", default=None, metavar="FILE.parquet",
                   help="results file (default: the spec's out, else sweeps/<name>.parquet)")
    p.add_argument("--csv", action="store_true", help="also write FILE.csv (a FILE.csv you edited, or of your "
                   "own, is kept beside it as FILE.edited-<time>.csv or FILE.kept-<time>.csv)")
    p.add_argument("--case", default=None, metavar="MODULE:FUNCTION",
                   help="case function replacing the spec's (default dcplan.pipeline:case_figures)")
    p.add_argument("--no-resume", action="store_true",
                   help="re-run every case, ignoring the results file (kept as <stem>.previous.parquet)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar (one is drawn only when stderr is a terminal)")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    from .errors import InputError
    from .sweep import SCHEDULER_ENV, resolve_case, run_sweep
    if args.case is not None:  # a typo is this option's error, not the sweep file's case:
        try:
            resolve_case(args.case)
        except InputError as e:
            raise InputError(e.detail, field="--case") from None
    from .cli import _isatty
    scheduler = args.scheduler or os.environ.get(SCHEDULER_ENV) or None
    from .paths import input_path
    res = run_sweep(str(input_path(args.spec)), jobs=args.jobs, scheduler=scheduler, out=args.out,
                    csv=True if args.csv else None, case=args.case, resume=not args.no_resume,
                    progress=not args.quiet and _isatty(sys.stderr),  # a bar only on a terminal, as render
                    notify=lambda note: print(f"dcplan sweep: {note}", file=sys.stderr))
    print(res.table())
    if not res.ok:
        print(f"dcplan sweep: {res.n_failed} case(s) failed", file=sys.stderr)
    if res.csv_error:  # the cases ran and are saved; the spreadsheet copy is not (dcplan.sweep_files)
        print(f"dcplan sweep: error: {res.csv_error}", file=sys.stderr)
    return 0 if res.ok and not res.csv_error else 1
