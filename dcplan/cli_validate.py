"""``dcplan validate PATH...`` (part of :mod:`dcplan.cli`): every problem of each file, one ``file: field: message``
line each on stderr (exit 2 when there is one), and for a file without one an ``ok`` line saying what was checked
beside it (a portfolio's sites, weather files and tariffs; a load CSV's intervals and kWh, as ``dcplan bill`` reads
them). A site's or portfolio's check covers the bundled data catalogs its runs read, a catalog's problem said once
as the catalog's, and the catalogs' warnings only where they concern the validated sites' hardware."""
from __future__ import annotations

import sys
from pathlib import Path

from .cli import EXIT_INPUT, EXIT_OK, printable
from .errors import InputError


def _validate_one(path: Path, debug: bool = False, tz: str | None = None, stamps: str | None = None,
                  dst_from_order: bool = False) -> list[str]:
    """Every problem found in one file, as ``file: field: message`` lines (see dcplan.validate). URDB's bulk
    CSV export is one line saying so and what to read instead, as ``dcplan bill --tariff`` says it: its kind is
    told a tariff where every kind is (:func:`dcplan.validate_kinds.detect_kind`), so the Python API says it too."""
    from .validate import validate_file
    return [p.line() for p in validate_file(path, tz=tz, stamps=stamps, dst_from_order=dst_from_order,
                                            raise_unexpected=debug)]


def run(args) -> int:
    """``dcplan validate``: the exit code (0 every file ok, 2 a problem) of checking ``args.paths`` (the bundled
    example portfolio when none), with ``args.tz``, ``args.stamps``, ``args.dst_from_order`` for load CSVs."""
    problems = []
    if args.tz is not None:  # an option is checked whether or not a file uses it, as bill does
        import zoneinfo
        try:
            zoneinfo.ZoneInfo(args.tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            from ._ts import did_you_mean
            raise InputError(f"unknown IANA time zone {args.tz!r}"
                             f"{did_you_mean(args.tz, sorted(zoneinfo.available_timezones()))}; e.g. "
                             "America/New_York", field="--tz") from None
    if not args.paths:  # as render and sites: the bundled example portfolio
        from .paths import default_portfolio
        args.paths = [str(default_portfolio())]
    from .catalog_checks import CATALOGS, EXAMPLE_SERIES, check_all, check_example_series
    from .paths import data_dir, input_paths
    paths = input_paths(args.paths)  # data/... names also find the bundled copies (installed wheel)
    # a site's or portfolio's runs also read the bundled data catalogs (costs, hardware, ...):
    # checked too, and a catalog's problem is said once, as the catalog's (not under every site)
    kinds = {str(p): _kind_or_none(p) for p in paths}  # a missing file or a folder: its own problem, below
    cat = check_all() + check_example_series() if any(k in ("site", "portfolio") for k in kinds.values()) else []
    bad_catalogs = {line.split(": ", 1)[0] for line in cat}
    for p in paths:
        load_opts = dict(tz=args.tz, stamps=getattr(args, "stamps", None),
                         dst_from_order=bool(getattr(args, "dst_from_order", False)))
        lines = _validate_one(Path(p), debug=getattr(args, "debug", False), **load_opts)
        own = [ln for ln in lines if not any(f"{c}:" in ln for c in bad_catalogs)]
        problems += own
        if not lines and not args.quiet:
            print(printable(f"{p}: ok{_covered(Path(p), **load_opts)}"))
    problems += cat
    if any(k in ("site", "portfolio") for k in kinds.values()) and not cat and not args.quiet:
        # what `dcplan validate data/hardware.csv` warns (the bundled hgx-b200 row) is said here too, in the one
        # summary line (not issued as a warning: it is the catalog's, not each site's, and deliberate)
        from .catalog_checks import catalog_warnings
        warned = _catalog_warnings_for(catalog_warnings(), paths, kinds)
        said = "".join(f"; warning, as dcplan validate {ln.split(': ', 1)[0]} gives it: {ln.split(': ', 1)[1]}"
                       for ln in warned)
        print(printable(f"{data_dir()}: ok (data catalogs: {', '.join((*CATALOGS, *EXAMPLE_SERIES))}{said})"))
    for line in problems:
        print(printable(line, lines=True), file=sys.stderr)
    return EXIT_INPUT if problems else EXIT_OK


def _catalog_warnings_for(warned: list[str], paths, kinds: dict) -> list[str]:
    """The bundled catalogs' warnings (``file: line N, key 'K', FIELD: ...``) that concern the validated sites: a
    row's warning is said only when a fleet phase of one of the sites (of the site and portfolio files among
    ``paths``) uses its key and, for a ``units_per_rack`` warning, the catalog's layout (a phase giving its own
    ``units_per_rack`` does not); all of them when a site cannot be read (it was reported as a problem) or a
    warning names no key. Every ``dcplan validate`` of any site said the bundled hgx-b200 row's rack warning, which
    a site on other hardware, or on its own layout (the bundled Phoenix site's 2 a rack), cannot act on (a
    tester's finding, twice)."""
    import re
    import warnings

    from .site import load_portfolio, load_site
    used = set()
    for p in paths:
        kind = kinds.get(str(p))
        if kind not in ("site", "portfolio"):
            continue
        try:
            with warnings.catch_warnings():  # said by the validation above
                warnings.simplefilter("ignore")
                specs = [load_site(p)] if kind == "site" else list(load_portfolio(p).sites)
        except Exception:  # noqa: BLE001 - a site that does not load was reported: keep every warning
            return warned
        used |= {(ph.hardware, ph.units_per_rack is None) for s in specs for ph in s.fleet.phases}
    keys = [re.search(r"key '([^']+)', (\w+):", w) for w in warned]
    return [w for w, k in zip(warned, keys)
            if k is None or (k[1], True) in used or (k[2] != "units_per_rack" and (k[1], False) in used)]


def _kind_or_none(path) -> str | None:
    """:func:`dcplan.validate_kinds.detect_kind` of ``path``; None for a path that is no readable
    file (missing, a folder, no permission), which :func:`dcplan.validate.validate_file` reports as
    that file's problem while the other paths are still checked (``dcplan validate nonexist.yaml
    good.yaml`` stopped at the first, exit 1, and checked nothing)."""
    from .validate_kinds import detect_kind
    try:
        return detect_kind(path) if Path(path).is_file() else None
    except (OSError, ValueError):
        return None


def _covered(path: Path, tz: str | None = None, stamps: str | None = None, dst_from_order: bool = False) -> str:
    """What ``dcplan validate`` checked with a portfolio file beside the file itself:
    `` (4 sites, 4 weather files, 4 tariffs)`` (distinct files; a flat tariff in the site
    file counts as a tariff); a load CSV: what ``dcplan bill`` with the same ``--tz``, ``--stamps``
    and ``--dst-from-order`` bills (:func:`dcplan.validate_load.load_summary`: intervals, kWh);
    "" for any other file."""
    kind = _kind_or_none(path)
    if kind == "load":
        from .validate_jobs import looks_like_jobs
        if looks_like_jobs(path):  # checked as a job file (dcplan.validate.validate_file)
            return ""
        from .validate_load import load_summary
        return load_summary(path, tz, stamps, dst_from_order)
    if kind != "portfolio":
        return ""
    try:
        from .site import load_portfolio
        pf = load_portfolio(path)
    except Exception:  # noqa: BLE001 - not a portfolio (validate said ok): nothing more to say
        return ""
    n_weather = len({s.weather_path for s in pf.sites})
    tariffs = {s.tariff_path or f"flat:{s.id}" for s in pf.sites if s.tariff is not None}

    def n(k: int, what: str) -> str:
        return f"{k} {what}{'' if k == 1 else 's'}"
    return f" ({n(len(pf.sites), 'site')}, {n(n_weather, 'weather file')}, {n(len(tariffs), 'tariff')})"
