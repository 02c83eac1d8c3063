"""The ``dcplan`` command line: parses, builds specs, calls the package; no maths here.

Exit codes: 0 success; 1 a run failed (with a summary); 2 bad input or usage (one
line naming the file, field and value; a traceback only with ``--debug``).
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import re
import sys
from pathlib import Path

from . import _interrupt  # imported here, not in the handler (an import there could wait on one under way)
from . import _stop_watchdog
from .errors import InputError

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _stdout_gone() -> bool:
    """Whether stdout is a pipe whose reader has closed it (poll reports an error on it)."""
    import select
    try:
        p = select.poll()
        p.register(sys.stdout.fileno(), select.POLLOUT)
        return any(ev & (select.POLLERR | select.POLLHUP) for _, ev in p.poll(0))
    except (OSError, ValueError, AttributeError):
        return False


#: Exit codes of a stopped command, the shell's 128 + signal number: Ctrl-C (SIGINT) and
#: SIGTERM (a batch scheduler's scancel, ``kill``) clean up alike but say which stopped them;
#: SIGHUP (the terminal closed, an ssh session dropped) as SIGTERM, exit 129.
EXIT_SIGINT, EXIT_SIGTERM, EXIT_SIGHUP = 130, 143, 129
_terminated = False  # the signal that stopped the command, when not Ctrl-C ("SIGTERM", "SIGHUP")


def _stop_signals():
    """The signals a command stops cleanly on (SIGHUP where the platform has it)."""
    import signal
    return [s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP")) if s is not None]


def _ignore_stop_signals() -> None:
    """Once a stop signal is caught, further ones are ignored while the command cleans up: a second
    signal (a scheduler's repeated SIGTERM, Ctrl-C pressed again, a SIGHUP as the terminal closes)
    raised inside the clean-up cut it short (a SIGTERM render ended with exit 130, an index not
    rewritten, scratch left)."""
    import signal
    for sig in _stop_signals():
        try:
            signal.signal(sig, signal.SIG_IGN)
        except (ValueError, OSError):  # not the main thread
            pass


def _terminate(signum, frame):
    global _terminated
    import signal
    _ignore_stop_signals()
    # read when the KeyboardInterrupt reaches _render, however it was re-raised on the way
    _terminated = signal.Signals(signum).name if signum != signal.SIGINT else False
    # SIGTERM/SIGHUP clean up like Ctrl-C: workers and kernels stopped, no temp left. A KeyboardInterrupt now,
    # or, while a sweep or render waits on its futures, when its loop next looks (raised inside the futures'
    # own locking it left one held and the clean-up waited forever: dcplan._interrupt)
    _interrupt.deliver(_terminated or "SIGINT")


class _SigtermAsInterrupt:
    """SIGTERM and SIGHUP handled as Ctrl-C while a command runs (render stops its workers and
    kernels, sweep saves the cases it finished), when this is the main thread and nobody else set
    a handler; once one of them is caught, every stop signal is ignored until the command ends
    (:func:`_ignore_stop_signals`). Ctrl-C itself stays Python's: a second Ctrl-C stops what the
    first let finish. While a sweep or render waits on its futures the signal is raised by its loop,
    between two waits (:mod:`dcplan._interrupt`), not inside the futures' locks."""

    def __enter__(self):
        import signal
        import threading
        self.own = (threading.current_thread() is threading.main_thread()
                    and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)
        self.before = {}
        if self.own:
            global _terminated
            _terminated = False
            # the first stop signal arms the watchdog (dcplan._interrupt.deliver: SIGTERM and SIGHUP always,
            # Ctrl-C while a sweep or render waits on its runs): a clean-up that does not end is given up
            self.done = _stop_watchdog.start()
            # not SIGINT: Ctrl-C stays Python's KeyboardInterrupt, so a second Ctrl-C still stops what the first
            # let finish (a sweep's running cases); after a SIGTERM or SIGHUP every stop signal is ignored
            for sig in (s for s in _stop_signals() if s != signal.SIGINT):
                was = signal.getsignal(sig)
                if was in (signal.SIG_DFL, signal.default_int_handler):  # nobody else's handler (or an ignore)
                    self.before[sig] = was
                    signal.signal(sig, _terminate)
        return self

    def __exit__(self, *exc):
        import signal
        for sig, was in self.before.items():
            signal.signal(sig, was)
        if self.own:
            _stop_watchdog.stop(self.done)
        return False


def _cmd_render(args) -> int:
    return _render(args)


def _render(args) -> int:
    from .report_execute import timeout_whole_s
    timeout_whole_s(args.timeout_s, field="--timeout-s")  # > 0 and finite (inf, nan: refused)
    if args.jobs is not None and args.jobs < 0:  # was silently one at a time
        raise InputError(f"must be a number of parallel runs >= 1 (0 or left out: one per core, as "
                         f"dcplan sweep), got {args.jobs}", field="-j/--jobs")
    scheduler = args.scheduler or os.environ.get("DCPLAN_SCHEDULER")
    from .report_files import check_reports_folder  # stdlib only
    check_reports_folder(Path(args.out).resolve())  # a folder not ours: refused before anything starts
    from . import _kernel_zygote  # stdlib only
    if not args.cold_kernels and not scheduler and _kernel_zygote.SUPPORTED:
        _kernel_zygote.prestart()  # start its imports before ours
    from .report import render
    import logging  # papermill logs a timeout a second time, bare, after our summary says it
    pm_log = logging.getLogger("papermill")
    if not any(isinstance(h, logging.NullHandler) for h in pm_log.handlers):
        pm_log.addHandler(logging.NullHandler())
    # the text as typed: render converts it to each notebook's declared type
    params: dict[str, str] = {}
    for k, v in args.param or []:
        if k in params:  # was: the last one silently won
            raise InputError(f"parameter {k!r} given twice ({params[k]!r}, then {v!r}); give each "
                             "parameter once", field=f"-p {k}")
        params[k] = _bundled_file_value(k, v)
    executor = None
    client = None
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise InputError("--scheduler needs dask.distributed: pip install 'dcplan[dask]'",
                             field="--scheduler") from None
        field = "--scheduler" if args.scheduler else "--scheduler (from DCPLAN_SCHEDULER)"
        from .sweep_pool import check_scheduler_address
        check_scheduler_address(scheduler, field)
        try:  # as dcplan sweep (dcplan.sweep.make_executor): bad or unreachable is bad input
            client = Client(scheduler, timeout="20s")
        # AssertionError: distributed's own event loop did not start within its 10 s (a loaded
        # machine); the render cannot use the scheduler either way
        except (OSError, TimeoutError, ValueError, AssertionError) as e:
            why = (str(e).strip().splitlines() or [type(e).__name__])[0]
            if isinstance(e, AssertionError):
                why = "distributed's client did not start its event loop within 10 s (a loaded machine?)"
            raise InputError(f"cannot connect to Dask scheduler {scheduler!r}: {why}; give the address "
                             "of a running scheduler, e.g. tcp://host:8786", field=field) from None
        executor = client.get_executor(pure=False)  # a run has side effects: never deduplicated
    try:
        from .paths import input_path  # data/... names: the bundled copies outside a checkout too
        portfolio = None if args.portfolio is None else input_path(args.portfolio)
        summary = render(portfolio=portfolio, sites=args.sites, notebooks=args.notebooks,
                         out=args.out, jobs=args.jobs, show_code=args.show_code, parameters=params,
                         # the bar only on a terminal: a log or a pipe keeps just the summary
                         progress=not args.quiet and _isatty(sys.stderr), timeout_s=args.timeout_s,
                         executor=executor,
                         notebook_dir=args.notebook_dir, warm_kernels=False if args.cold_kernels else None,
                         force=args.force, plausibility_warnings=True)  # as dcplan validate warns
    finally:
        if client is not None:
            client.close()
    print(printable(summary.table(), lines=True))
    if summary.bad_input:  # bad input (exit 2), though the other runs rendered
        files = sorted({r.run.bad_input.split(": ", 1)[0] for r in summary.bad_input})
        print(f"dcplan: error: {len(summary.bad_input)} run(s) not executed: bad input in "
              f"{', '.join(files)} (see their lines above)", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK if summary.ok else EXIT_FAILED


#: Characters ``dcplan`` never writes raw to a terminal: C0/C1 control characters and DEL (an
#: escape sequence recolours or rewrites the terminal, a bell rings it), Unicode line and paragraph
#: separators and the bidirectional overrides and isolates (text shown in another order than it is):
#: written escaped as Python writes them (``\\x1b``, ``\\u202e``). Site files refuse them in their text
#: fields (:func:`dcplan.specs._base.text_problem`); this covers what reaches output any other way.
_UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNPRINTABLE_KEEP_LINES_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str, lines: bool = False) -> str:
    r"""``text`` with every character of :data:`_UNPRINTABLE_RE` escaped as Python's ``repr``
    writes it (an ESC as the four characters ``\x1b``, a newline as ``\n``); ``lines``: newlines
    are kept (a message of several lines)."""
    pattern = _UNPRINTABLE_KEEP_LINES_RE if lines else _UNPRINTABLE_RE
    return pattern.sub(lambda m: repr(m.group())[1:-1], text)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _cmd_sites(args) -> int:
    from .paths import input_path
    from .site import load_portfolio
    # a data/... name finds the bundled copy outside a checkout too, as validate and render do
    pf = load_portfolio(None if args.portfolio is None else input_path(args.portfolio), defer_file_problems=False)
    rows = [("id", "name", "lat", "lon", "timezone", "fleet", "cooling", "request MW", "weather")]
    for s in pf.sites:
        fleet = ", ".join(f"{p.count} x {p.hardware}" + (f" ({p.label})" if p.label else "")
                          for p in s.fleet.phases)
        req = f"{s.interconnection.requested_mw:g}" if s.interconnection else "-"
        rows.append(tuple(map(printable, (s.id, s.name, f"{s.latitude:.2f}", f"{s.longitude:.2f}", s.timezone,
                                          fleet, s.cooling.type, req, s.weather_path.name))))
    widths = [max(_display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"{printable(pf.name)} ({len(pf.sites)} site{'' if len(pf.sites) == 1 else 's'})")
    for r in rows:
        print("  ".join(c + " " * (w - _display_width(c)) for c, w in zip(r, widths)).rstrip())
    return EXIT_OK


def _docs_places() -> dict:
    """``{name: (path, what it is)}`` of what ``dcplan docs`` lists."""
    from .paths import DOCS, data_dir, doc_path, docs_dir, notebooks_dir
    places = {name: (doc_path(name), what) for name, what in DOCS.items()}
    places["docs"] = (docs_dir(), "the folder of the documents above")
    places["data"] = (data_dir(), "the example portfolio, sites, weather, tariffs and catalogs (data/... names)")
    places["notebooks"] = (notebooks_dir(), "the notebooks render executes: copy the folder out before editing "
                                            "them, then dcplan render --notebook-dir YOUR_COPY")
    return places


def _cmd_docs(args) -> int:
    places = _docs_places()
    if args.path:  # one path alone, for a shell: cp -r "$(dcplan docs --path notebooks)" my-notebooks
        print(places[args.path][0])
        return EXIT_OK
    w = max(len(n) for n in places)
    print("dcplan's documents, data and notebooks in this installation:")
    for name, (path, what) in places.items():
        print(f"  {name:<{w}}  {path}\n  {'':<{w}}  {what}")
    return EXIT_OK


def _display_width(text: str) -> int:
    """Terminal columns ``text`` takes: 2 for an East Asian wide or fullwidth character
    (``unicodedata.east_asian_width`` W/F: CJK, most emoji), 0 for a combining mark, a
    zero-width joiner or a variation selector, 1 otherwise (``len`` counts characters, so
    names such as 数据中心 misaligned the ``dcplan sites`` columns)."""
    import unicodedata
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf") \
                or 0xFE00 <= ord(ch) <= 0xFE0F:
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _cmd_validate(args) -> int:
    from .cli_validate import run  # dcplan validate's checks and summary lines
    return run(args)


def _bundled_file_value(name: str, value: str) -> str:
    """A file parameter's ``-p`` value (``tariff_file``, ...): a ``data/...`` name not found in the
    current folder is the bundled copy, as ``dcplan bill --tariff data/tariffs/x.json`` takes it
    (:func:`dcplan.paths.input_path`): outside a checkout ``-p tariff_file data/tariffs/x.json`` was
    refused (looked in the current folder, the site's and data/, each with data/ in front). Any
    other value is passed on as typed, for render to find or refuse."""
    from .paths import input_path
    from .report_param_values import is_file_parameter
    if not is_file_parameter(name) or not isinstance(value, str) or not value.strip():
        return value
    try:
        as_given = Path(value).expanduser()
        found = input_path(value)
    except (OSError, RuntimeError, ValueError):
        return value
    return str(found.resolve()) if found != as_given and found.is_file() else value


#: A ``-p NAME VALUE`` value argparse would take for an option and refuse the ``-p`` for
#: ("expected 2 arguments"): a number with a minus sign it does not know as one (``-inf``,
#: ``-1e3``, ``-nan``; it knows only ``-1`` and ``-0.5``). Such a value is passed on as typed, for
#: the notebook's parameter check to take or refuse (:func:`dcplan.report_params.coerce_parameter`).
_MINUS_VALUE_RE = re.compile(r"^-(?:\d|\.\d|inf|nan)", re.IGNORECASE)
#: Put before such a value so argparse reads it as a value (no command-line argument holds a NUL
#: character), and taken off by :class:`_ParamAction`.
_VALUE_MARK = "\0"


def _mark_param_values(args: list[str]) -> list[str]:
    """``args`` with each ``render -p NAME VALUE`` value of :data:`_MINUS_VALUE_RE` marked as a
    value (:data:`_VALUE_MARK`)."""
    out = list(args)
    cmd = next((i for i, a in enumerate(out) if not a.startswith("-")), None)
    if cmd is None or out[cmd] != "render":
        return out
    i = cmd + 1
    while i < len(out) and out[i] != "--":
        a = out[i]
        if (a == "-p" or len(a) >= 4 and "--param".startswith(a)) and i + 2 < len(out):
            if _MINUS_VALUE_RE.match(out[i + 2]):
                out[i + 2] = _VALUE_MARK + out[i + 2]
            i += 3
            continue
        i += 1
    return out


class _ParamAction(argparse.Action):
    """``-p NAME VALUE``, repeatable: appends ``[NAME, VALUE]`` (without :data:`_VALUE_MARK`)."""

    def __call__(self, parser, namespace, values, option_string=None):
        items = list(getattr(namespace, self.dest, None) or [])
        items.append([v[len(_VALUE_MARK):] if v.startswith(_VALUE_MARK) else v for v in values])
        setattr(namespace, self.dest, items)


class _Parser(argparse.ArgumentParser):
    """``dcplan``'s parser: a ``render -p`` value may start with a minus (:func:`_mark_param_values`)."""

    def parse_known_args(self, args=None, namespace=None):
        return super().parse_known_args(_mark_param_values(sys.argv[1:] if args is None else list(args)), namespace)


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="dcplan", description="Planning suite for AI datacenter power and cooling.")
    ap.add_argument("--debug", action="store_true", help="show tracebacks")
    from . import __version__
    ap.add_argument("--version", action="version", version=f"dcplan {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("render", help="execute notebooks for a portfolio into HTML reports")
    r.add_argument("--portfolio", default=None, help="portfolio YAML (default: bundled example)")
    r.add_argument("--sites", nargs="+", metavar="ID", help="only these site ids")
    r.add_argument("--notebooks", nargs="+", metavar="NAME", help="only these notebooks (file stems)")
    r.add_argument("-p", "--param", nargs=2, action=_ParamAction, metavar=("NAME", "VALUE"),
                   help="set a notebook parameter (repeatable, each name once); must be declared by a "
                        "notebook. A number may be negative (-p NAME -1.5e+3).  A parameter whose name ends in _file, _path, _csv or _json names an "
                        "input file: found as given (relative: to the current folder), beside the "
                        "site's YAML or under data/, and passed on as an absolute path")
    r.add_argument("-j", "--jobs", type=int, default=None, help="parallel runs (default or 0: one per core)")
    r.add_argument("--out", default="reports",
                   help="output folder (default: reports/); must be new, empty or a folder dcplan "
                        "render wrote (it refuses any other non-empty folder)")
    r.add_argument("--notebook-dir", default=None, help="folder of notebooks (default: bundled notebooks/)")
    r.add_argument("--show-code", action="store_true", help="include code cells in HTML reports")
    r.add_argument("--timeout-s", type=float, default=1800.0,
                   help="per-cell timeout [s] (default 1800); papermill counts whole seconds, so a "
                        "fraction is rounded up (2.5 -> 3)")
    r.add_argument("--scheduler", default=None, help="Dask scheduler address (or DCPLAN_SCHEDULER)")
    r.add_argument("--cold-kernels", action="store_true",
                   help="start every kernel from scratch instead of forking it from a preloaded "
                        "server (slower by about 2 s per run; same results)")
    r.add_argument("--force", action="store_true",
                   help="execute every run, including those whose notebook, parameters, input files, "
                        "dcplan code/data and installed versions are unchanged since their last good "
                        "outputs (those are otherwise kept)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=_cmd_render)

    s = sub.add_parser("sites", help="list the sites of a portfolio")
    s.add_argument("--portfolio", default=None, help="portfolio YAML (default: bundled example)")
    s.set_defaults(func=_cmd_sites)

    v = sub.add_parser("validate", help="check site, portfolio, tariff, jobs, sweep, weather, load, system load and "
                                        "data catalog files; report every problem")
    v.add_argument("paths", nargs="*", metavar="PATH",
                   help="files to check (default: the bundled example portfolio, its sites, weather and tariffs); "
                        "a site or portfolio also checks the bundled data catalogs (data/costs.csv, hardware.csv, "
                        "cooling_defaults.csv, interconnection.csv, equipment_lead_times.csv, "
                        "system_load_example.csv), and a catalog CSV given (or an edited copy) is checked as that "
                        "catalog")
    v.add_argument("-q", "--quiet", action="store_true",
                   help="print only the problems (no line for a file that is ok)")
    v.add_argument("--tz", metavar="ZONE", help="time zone of naive timestamps in load CSVs, as for "
                                                "dcplan bill (reports skipped and repeated DST hours), and in "
                                                "job files (earliest_start, deadline)")
    v.add_argument("--stamps", choices=["end", "start"], default=None,
                   help="load CSV timestamps label interval ends or starts, as for dcplan bill")
    v.add_argument("--dst-from-order", action="store_true",
                   help="load CSVs, as for dcplan bill: naive timestamps that repeat the hour the --tz clock "
                        "falls back (DST end): read the first pass as daylight time and the second as standard "
                        "time, from the row order")
    v.set_defaults(func=_cmd_validate)

    d = sub.add_parser("docs", help="print where the documents (site-format.md: every key of a site file; "
                                    "glossary.md; notebooks.md; reference-data.md), the bundled data and the "
                                    "notebooks are")
    d.add_argument("--path", choices=list(_docs_places()), default=None,
                   help="print only this one path (e.g. --path notebooks, to copy the notebooks out)")
    d.set_defaults(func=_cmd_docs)

    # subcommands contributed by model modules (each module owns its parser)
    for modname in ("dcplan.cli_bill", "dcplan.cli_sweep"):
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as e:
            if e.name != modname:
                raise
            continue
        p = mod.add_parser(sub)
        if p is not None and not p.get_default("func"):
            p.set_defaults(func=mod.run)
    for p in sub.choices.values():  # `dcplan validate --debug FILE` as well as `dcplan --debug validate FILE`
        try:
            p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
        except argparse.ArgumentError:  # the command has its own --debug
            pass
    return ap


@contextlib.contextmanager
def _plain_warnings():
    """dcplan's own warnings (:class:`~dcplan.errors.DcplanWarning`, which name the file, field
    and value themselves) print as ``dcplan: warning: ...``, not as Python's ``path.py:539:
    DcplanWarning: ...`` followed by a line of dcplan's source; other warnings as usual."""
    import warnings
    from .errors import DcplanWarning
    before = warnings.formatwarning

    def fmt(message, category, filename, lineno, line=None):
        if isinstance(category, type) and issubclass(category, DcplanWarning):
            return f"dcplan: warning: {printable(str(message), lines=True)}\n"
        return before(message, category, filename, lineno, line)

    warnings.formatwarning = fmt
    try:
        yield
    finally:
        warnings.formatwarning = before


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if not getattr(args, "func", None):
        ap.print_help()
        return EXIT_INPUT
    try:
        with _SigtermAsInterrupt(), _plain_warnings():
            rc = int(args.func(args) or 0)
        sys.stdout.flush()  # inside the try: a reader that went away is handled below
        return rc
    except InputError as e:
        if args.debug:
            raise
        print(printable(f"dcplan: error: {e}", lines=True), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt as e:
        # the cell a render's Ctrl-C cut short: nbclient's task of it ends with an error nobody awaits, which asyncio
        # logged as it was freed, after this line: "Task exception was never retrieved" and 140 lines of traceback
        # (dcplan's stack, the cell's code in ANSI colours) below the one line that says what happened
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        said = getattr(e, "dcplan_summary", "")  # a render's account of the runs that ended (dcplan.report)
        print("dcplan: interrupted" + (f" ({_terminated})" if _terminated else "") + (f": {said}" if said else ""),
              file=sys.stderr)
        return {"SIGTERM": EXIT_SIGTERM, "SIGHUP": EXIT_SIGHUP}.get(_terminated or "", EXIT_SIGINT)
    except BrokenPipeError as e:
        if not _stdout_gone():  # another pipe (a worker's): a failure, said in one line
            print(f"dcplan: error: {e.strerror or e}", file=sys.stderr)
            return 1
        # the reader went away (dcplan bill ... | head): not an error of this run; stop writing
        # quietly (Python would print a traceback at exit when flushing stdout)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except OSError as e:
        # the machine, not the input: a full disk, a permission, a path that is a folder
        if args.debug:
            raise
        where = f" {e.filename}:" if getattr(e, "filename", None) else ""
        said = getattr(e, "dcplan_summary", "")  # a render stopped by it: the runs that ended (dcplan.report)
        print(f"dcplan: error:{where} {e.strerror or e}" + (f"; the render stopped: {said}" if said else ""),
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
