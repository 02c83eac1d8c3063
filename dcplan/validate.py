"""The engine of ``dcplan validate``: check input files and report every problem found.

:func:`validate_file` detects what a file is (:func:`detect_kind`: site YAML,
portfolio YAML, URDB tariff JSON, jobs CSV/YAML, sweep YAML, weather file, load
CSV), runs the package's own loader on it, and returns a list of
:class:`Problem` (``file: field: message``), empty when the file is fine. The
package loaders stay the single source of truth: a file is reported "ok" only when
its loader accepts it. Where a loader stops at the first error, this module adds
what can be checked independently, so one run shows as many problems as possible:

=================  ===========================================================
kind               what is collected
=================  ===========================================================
site, portfolio    every problem (pydantic collects them; :class:`SiteError`),
                   plus the problems of the tariff and weather files a site names
                   (every row problem of the weather file; when it has none, each
                   mismatch of the site with the file's station: distance, time
                   zone, elevation); a portfolio: each site file's problems as
                   validating that file alone gives them, whatever the other
                   files' problems, and each entry that is no site file (a
                   folder, a weather file, another portfolio) on its ``sites[i]``;
                   each site's plausibility (:mod:`dcplan.site_plausibility`: a
                   ``fleet.diversity_frac`` that overloads the electrical chain is a
                   problem; a request below the fleet's design IT, a fleet phase
                   before the filing date, a unit cap that never binds are
                   :class:`~dcplan.errors.DcplanWarning` s: the file is still ok)
tariff (URDB)      every unknown key; every item of an ``{"items": [...]}`` file;
                   per item, one problem per charge group (energy, TOU demand,
                   flat demand, coincident, fixed, minimum, ratchet, window):
                   the group with a problem is set aside and the rest re-checked;
                   the schedules' shapes are checked on their own; warnings for
                   a period no schedule uses, a last tier with a ``max``, no
                   energy charge (:mod:`dcplan.tariff_lint`). On a site: several items and no
                   ``tariff.label``; coincident charges and no (or bad)
                   ``tariff.coincident_peaks`` (:mod:`dcplan.tariff_site`). URDB's bulk
                   CSV export (any extension): one problem saying so and the JSON to
                   read instead (:func:`dcplan.tariff_urdb.bulk_csv_message`)
jobs               one problem per job row (the first in each row), plus
                   duplicate names
sweep              every problem the loader collects: each unknown top-level key,
                   each bad setting, each unknown id of the ``site`` axis, the first
                   bad value of each axis and fixed value on every base site known
                   (on the site schema alone when no base site loads); then the
                   tariff and weather files of the base sites, and a results file
                   name too long for the files the sweep writes beside it
weather            every problem: row count, row order, each missing column, each column's
                   out-of-range values (first timestamp and count)
system load CSV    the reader's first error (:func:`dcplan.grid_headroom.read_system_load_csv`:
                   ``#`` comment lines, ``interval_end``/``system_load_mw`` columns, gaps,
                   duplicates, NaN, negative load)
data catalog       every problem (:mod:`dcplan.catalog_checks`): a copy of data/costs.csv,
                   hardware.csv, ... told by its header
load CSV           the reader's first error (also a missing header line or a
                   load column whose name has a unit bill does not read), then
                   the first gap/duplicate/order problem of the timestamps, NaN
                   and negative values. Naive timestamps are read as ``dcplan
                   bill --tz ZONE`` reads them when ``tz`` (``--tz``) is given
                   (a skipped or repeated DST hour is then reported), else as
                   wall-clock times; without ``tz``, UTC offsets bill refuses (UTC, or
                   changing at DST) are that problem, and the rest is checked in UTC;
                   labels read as ``dcplan bill --stamps`` reads them (``stamps``),
                   a repeated fall-back hour as ``--dst-from-order`` reads it
                   (``dst_from_order``; bill's reader, :mod:`dcplan.validate_load`),
                   and a first or last interval alone in its billing month
                   is reported when the labels' meaning is only assumed
=================  ===========================================================

The kind comes from :func:`detect_kind` (in :mod:`dcplan.validate_kinds`, re-exported
here): from the content where the extension is ambiguous (a YAML mapping with ``sites``
is a portfolio, a CSV with a ``system_load_mw`` column a system load, ...; that module's
docstring gives every rule). Loaders that raise something other than
:class:`~dcplan.errors.InputError` (a bug) give a problem line naming the exception, or
the traceback with ``--debug``.
"""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from ._ts import did_you_mean, unknown_key_message
from .catalog_checks import catalog_problems as _catalog_problems
from .errors import InputError
from .validate_kinds import (_JOB_HINTS, _SITE_HINTS, _SNIFF_BYTES, _SWEEP_HINTS,  # noqa: F401 (re-exported)
                             _WEATHER_SUFFIXES, KINDS, _sniff_text, detect_kind)
from .validate_load import _load_problems, load_check, load_summary  # noqa: F401 (re-exported)

__all__ = ["Problem", "KINDS", "detect_kind", "validate_file", "validate_paths"]


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem in one file."""

    file: str
    field: str
    message: str

    def line(self) -> str:
        """``file: field: message`` on one line (``file: message`` without a field)."""
        msg = " ".join(str(self.message).split())  # one line, whatever the loader wrote
        return f"{self.file}: {self.field + ': ' if self.field else ''}{msg}"

    @classmethod
    def from_error(cls, e: InputError, file: str) -> list["Problem"]:
        """Problems carried by an :class:`InputError` (all of a ``SiteError``'s)."""
        probs = getattr(e, "problems", None)
        if probs:
            f = getattr(e, "file", None) or file
            return [cls(f, fld or "", msg) for fld, msg in probs]
        return [cls(e.file or file, e.field or "", getattr(e, "detail", str(e)))]


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        key = (p.file, p.field, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _optional(modname: str):
    """Import a dcplan module that may not exist in this install, or return None."""
    import importlib
    try:
        return importlib.import_module(modname)
    except ModuleNotFoundError as e:
        if e.name != modname:
            raise
        return None


# ---------------------------------------------------------------------------
# per-kind checks

def _site_problems(path: Path) -> list[Problem]:
    from .site import NotASiteError, load_site
    try:
        site = load_site(path)
    except NotASiteError:
        raise
    except InputError as e:
        return Problem.from_error(e, str(path))
    out = _site_files_problems(site, str(path))
    from .catalog_copy import warn_catalog_copies
    warn_catalog_copies(site)  # an edited data-catalog copy beside it: the bundled one is read
    return out + _plausibility_problems(site, str(path), out)


def _plausibility_problems(site, file: str, found: list[Problem]) -> list[Problem]:
    """The checks of :mod:`dcplan.site_plausibility`: its warnings issued (a
    :class:`~dcplan.errors.DcplanWarning` each, as the site's time-zone warnings: the file
    is still ok), its error (a ``fleet.diversity_frac`` that overloads the electrical chain)
    returned, unless the fleet has a problem already (``found``: the model cannot run it)."""
    import warnings

    from . import site_plausibility as sp
    from .errors import DcplanWarning
    from .site_slips import LOADER_LEAP_WARNING, leap_year_warnings
    from .specs.solar import warn_site_solar
    with warnings.catch_warnings():
        if leap_year_warnings(site):  # said once, naming the site file and weather.year (dcplan.site_slips), not
            # again in the weather loader's shorter words when a check loads the weather (a liquid plant's)
            warnings.filterwarnings("ignore", message=LOADER_LEAP_WARNING, category=DcplanWarning)
        sp.warn_site(site)
    warn_site_solar(site)  # the solar: section's: a steep tracker axis, tracker-only keys on a fixed array
    if any(p.field == "fleet" or p.field.startswith("fleet.") for p in found):
        return []
    bad = sp.diversity_problem(site)
    return [] if bad is None else [Problem(file, *bad)]


def _site_files_problems(site, file: str, weather: bool = True) -> list[Problem]:
    """Problems of what a (valid) site names, reported on the site: its tariff and weather
    files (``weather=False``: not the weather, which a sweep checks per case), its fleet's
    hardware keys and data file (the finance cost keys are checked as the site loads)."""
    out = []
    from . import power
    try:
        power.fleet_table(site)  # every phase's hardware key is in data/hardware.csv
        power.check_air_coolable(site)  # no liquid-only rack on an air-cooled site
    except InputError as e:
        out.append(Problem(file, e.field or "fleet", getattr(e, "detail", str(e))))
    from .workload_data import data_file_problems  # the measured load file: render checks it with this too
    out += [Problem(file, f, m) for f, m in data_file_problems(site)]
    if site.tariff is not None and not site.tariff.is_flat:  # a flat tariff is checked with the site file
        tprobs = _tariff_problems(site.tariff_path, label=site.tariff.label)
        for p in tprobs:
            out.append(Problem(file, "tariff.file", p.line()))
        from .tariff_site import site_section_problems  # what the site must add: a label, coincident peaks
        out += [Problem(file, f, m) for f, m in site_section_problems(site, file_ok=not tprobs)]
    from .tariff_site import battery_bill_problems  # target: bill needs a tariff its LP can price
    out += [Problem(file, f, m) for f, m in battery_bill_problems(site)]
    if not weather:
        return out
    from .weather import site_weather_problems
    # the site's file, format and year, as load_site_weather reads them: every problem of
    # the file (on weather.file), else every mismatch with its station (distance, time
    # zone, elevation: each on its own field)
    for field, msg in site_weather_problems(site):
        out.append(Problem(file, field, msg))
    return out


def _portfolio_problems(path: Path) -> list[Problem]:
    from .site import load_portfolio
    try:
        pf = load_portfolio(path, defer_file_problems=False)  # every site file's problems, each on its own file
    except InputError as e:
        return _portfolio_error_problems(e, path)
    from .catalog_copy import warn_catalog_copies
    from .site_plausibility import warn_shared_names
    warn_shared_names(pf)  # two sites of one name: the reports tell them apart by id
    warn_catalog_copies(pf)  # an edited data-catalog copy beside it: the bundled one is read
    out = []
    for s in pf.sites:
        probs = _site_files_problems(s, s.source_file or str(path))
        out += probs + _plausibility_problems(s, s.source_file or str(path), probs)
    return out


def _portfolio_error_problems(e: InputError, path: Path) -> list[Problem]:
    """Problems of a portfolio that failed to load, each on the file it is in.

    ``load_portfolio`` folds the problems of several site files into one error and stops
    short of the checks that need every site (the weather files, each site against its
    station); each site file is checked here as ``dcplan validate SITE`` checks it, so every
    line names its own file and a site that loads still has its files and station checked.
    """
    from .site import NotASiteError, SiteError, _read_yaml, entry_problem, resolve_path
    file = str(path)
    if not isinstance(e, SiteError):
        return Problem.from_error(e, file)
    try:
        raw = _read_yaml(path)
    except InputError:
        return Problem.from_error(e, file)
    entries = raw.get("sites") if isinstance(raw, dict) else None
    entries = entries if isinstance(entries, list) else []
    found: dict[Path, list[Problem]] = {}  # each site file's problems, as validated alone
    checked = set()  # sites[i] entries whose file's problems are those (not the portfolio's own)
    for i, entry in enumerate(entries):
        if not isinstance(entry, str):
            continue
        sp = resolve_path(entry, path.parent, parent=False)
        if entry_problem(entry, sp, path.parent) is not None:
            continue  # not found, a folder, a weather file: the portfolio's own problem
        if sp not in found:
            try:
                found[sp] = _site_problems(sp)
            except NotASiteError:
                continue  # another portfolio: said on its sites[] entry
        checked.add(f"sites[{i}]")
    names = {sp.name for sp in found}
    # the site files' own problems are in e.problems as "name.yaml:field" (or, for a file that
    # does not read, on its sites[i] entry): each is listed once, on its own file, below
    out = [Problem(file, f or "", m) for f, m in e.problems
           if e.file == file and (f or "") not in checked
           and not ((f or "") in names or (f or "").split(":", 1)[0] in names)]
    for probs in found.values():
        out += probs
    return out or Problem.from_error(e, file)


# URDB fields that belong together: a problem in one sets the group aside so the others
# are still checked (removing only the bad field would cause "missing; needed with" noise).
_URDB_GROUPS = (
    ("energyratestructure", "energyweekdayschedule", "energyweekendschedule"),
    ("demandratestructure", "demandweekdayschedule", "demandweekendschedule", "demandunits",
     "demandrateunit"),
    ("flatdemandstructure", "flatdemandmonths", "flatdemandunit"),
    ("coincidentratestructure", "coincidentrateschedule", "coincidentrateunit"),
    ("fixedchargefirstmeter", "fixedchargeunits", "fixedmonthlycharge"),
    ("mincharge", "minchargeunits", "annualmincharge"),
    ("demandratchetpercentage", "lookbackmonths", "lookbackpercent", "lookbackrange"),
)
_URDB_SCHEDULES = (("energyweekdayschedule", "energyratestructure"),
                   ("energyweekendschedule", "energyratestructure"),
                   ("demandweekdayschedule", "demandratestructure"),
                   ("demandweekendschedule", "demandratestructure"),
                   ("coincidentrateschedule", "coincidentratestructure"))


def _top_key(field: str | None) -> str:
    return re.split(r"[.\[]", field or "", maxsplit=1)[0].lower()


def _urdb_item_problems(item: Any, file: str, prefix: str) -> list[Problem]:
    from . import tariff_urdb as tu
    from .tariff import Tariff

    def P(field: str, msg: str) -> Problem:
        return Problem(file, prefix + field if field else prefix.rstrip("."), msg)

    if not isinstance(item, dict):
        return [P("", f"a rate item must be a JSON object, got {type(item).__name__}")]
    out: list[Problem] = []
    known = tu.SUPPORTED | tu.METADATA
    clean = {}
    for k, v in item.items():
        if not isinstance(k, str) or k.lower() not in known:
            out.append(P(str(k), f"unknown {k!r}{did_you_mean(str(k), sorted(known))}; not a "
                                  "URDB v8 field dcplan reads (dcplan.tariff_urdb.SUPPORTED/METADATA)"))
        else:
            clean[k] = v
    # schedules: shape and integer checks stand on their own (the period range needs the rates,
    # so the loader below checks it)
    for sched, rates in _URDB_SCHEDULES:
        key = next((k for k in clean if k.lower() == sched), None)
        if key is None or clean[key] is None:
            continue
        try:
            tu.parse_schedule(clean[key], key, file, None, rates)
        except InputError as e:
            out.append(P(e.field or key, e.detail))
    # the loader itself, setting aside each group that fails and trying again
    removed_any = False
    for _ in range(len(_URDB_GROUPS) + len(clean) + 2):
        try:
            kw = tu.parse_item(clean, file)
            if not out:
                Tariff(**kw)  # the constructor's own checks
                from .tariff_lint import warn_item  # reads and bills: warn what likely is not meant
                warn_item(clean, file, prefix)
            break
        except InputError as e:
            top = _top_key(e.field)
            if top == "item" and removed_any:
                break  # "no charges found" only because bad groups were set aside
            out.append(P(e.field or "", e.detail))
            group = next((g for g in _URDB_GROUPS if top in g), (top,))
            drop = [k for k in clean if k.lower() in group]
            if not drop:
                break
            for k in drop:
                del clean[k]
            removed_any = True
    return out


def _tariff_problems(path: Path, label: str | None = None) -> list[Problem]:
    file = str(path)
    from .tariff_urdb import _bulk_csv_hint as _not_json_hint, _unique_pairs, bulk_csv_message
    bulk = bulk_csv_message(path)
    if bulk:  # URDB's bulk CSV export: what it is and the JSON to read instead, as dcplan bill says it
        return [Problem(file, "", bulk)]
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"), object_pairs_hook=_unique_pairs)
    except InputError as e:
        return [Problem(file, e.field or "", e.detail)]
    except FileNotFoundError:
        return [Problem(file, "", "tariff file not found")]
    except json.JSONDecodeError as e:
        return [Problem(file, "", f"not valid JSON: {e}" + _not_json_hint(path))]
    except (OSError, UnicodeDecodeError) as e:
        return [Problem(file, "", f"cannot read tariff file: {e}")]
    if not isinstance(data, dict):
        return [Problem(file, "", f"top level must be a JSON object, got {type(data).__name__}")]
    if "items" not in data:
        return _urdb_item_problems(data, file, "")
    items = data["items"]
    if not isinstance(items, list) or not items:
        return [Problem(file, "items", "must be a non-empty list of rate items")]
    out = []
    # a label on two items: dcplan bill and a site cannot pick one (tariff_urdb.load_item), whatever --label says
    named = [(i, str(it["label"])) for i, it in enumerate(items) if isinstance(it, dict) and "label" in it]
    for lb in dict.fromkeys(lb for _, lb in named):
        at = [i for i, x in named if x == lb]
        if len(at) > 1:
            out.append(Problem(file, f"items[{at[1]}].label", f"{len(at)} items have label {lb!r} (items "
                               f"{', '.join(map(str, at))}); give each item its own label"))
    if label is not None:
        labels = [str(it.get("label")) if isinstance(it, dict) else None for it in items]
        if label not in labels:
            from . import tariff_urdb as tu
            try:
                tu.load_item(data, label)
            except InputError as e:
                out.append(Problem(file, e.field or "label", e.detail))
            return out
        items_to_check = [(labels.index(label), items[labels.index(label)])]
    else:
        items_to_check = list(enumerate(items))
    for i, it in items_to_check:
        out += _urdb_item_problems(it, file, f"items[{i}].")
    return out


def _jobs_problems(path: Path, tz: str | None = None) -> list[Problem]:
    """A job file's problems (:func:`dcplan.validate_jobs.jobs_problems`; ``tz``: ``--tz``, for naive times)."""
    from .validate_jobs import jobs_problems
    return jobs_problems(path, tz)


def _sweep_problems(path: Path) -> list[Problem]:
    ss = _optional("dcplan.sweep_spec")
    file = str(path)
    if ss is None:
        return [Problem(file, "", "sweep files need dcplan.sweep, which is not installed")]
    try:  # the loader collects every problem of the spec (its errors: one per problem, own file each)
        spec = ss.load_sweep(path)
    except InputError as e:
        return [p for x in (getattr(e, "errors", None) or [e]) for p in Problem.from_error(x, file)]
    out = []
    for site in getattr(spec, "sites", None) or []:  # the files the base sites name
        out += _site_files_problems(site, getattr(site, "source_file", "") or file, weather=False)
    # the weather each case loads: the base site's or the sweep's file, the base site's or
    # the sweep's position against its station (as run_sweep checks before any case)
    from .sweep import case_weather_problems, check_results_name
    out += [Problem(f, fld, msg) for f, fld, msg in case_weather_problems(spec)[0]]
    try:  # a results file name too long for the file system, as the sweep refuses it before any case
        check_results_name(spec, of_file=False)
    except InputError as e:
        out.append(Problem(file, e.field or "", e.detail))
    return out


def _weather_problems(path: Path) -> list[Problem]:
    """A weather file's problems; a file whose hours look off (:mod:`dcplan.weather_timing`) is warned of."""
    import warnings

    from .errors import DcplanWarning
    from .weather_check import checked_file
    from .weather_timing import timing_problem
    problems, station = checked_file(path)
    if not problems and station is not None and (text := timing_problem(station, str(path))):
        warnings.warn(text, DcplanWarning, stacklevel=2)
    return [p for e in problems for p in Problem.from_error(e, str(path))]


def _system_load_problems(path: Path) -> list[Problem]:
    """A system-load CSV as the interconnection notebook reads it (``system_load_csv``)."""
    from .grid_headroom import read_system_load_csv
    try:
        read_system_load_csv(path)
    except InputError as e:
        return Problem.from_error(e, str(path))
    return []


_CHECKERS: dict[str, Callable[[Path], list[Problem]]] = {
    "site": _site_problems, "portfolio": _portfolio_problems, "tariff": _tariff_problems,
    "jobs": _jobs_problems, "sweep": _sweep_problems, "weather": _weather_problems,
    "load": _load_problems, "system_load": _system_load_problems,
    "catalog": lambda path: [Problem(str(path), w, m) for w, m in _catalog_problems(path)],
}


def validate_file(path: str | Path, kind: str | None = None, *, tz: str | None = None,
                  stamps: str | None = None, dst_from_order: bool = False,
                  raise_unexpected: bool = False) -> list[Problem]:
    """Every problem found in one file (empty list: the file is fine).

    Parameters
    ----------
    path : str or path
        The file.
    kind : str, optional
        One of :data:`KINDS`; default: :func:`detect_kind`.
    tz : str, optional
        IANA time zone of naive timestamps in a load CSV (as ``dcplan bill --tz``) or a job
        file (as ``load_jobs(path, tz=...)``); other kinds of file ignore it.
    stamps : {"end", "start"}, optional
        What a load CSV's timestamps label (as ``dcplan bill --stamps``); default: from
        the time column's name, else interval ends (checked).
    dst_from_order : bool, default False
        Naive load-CSV timestamps that repeat the hour the ``tz`` clock falls back are read
        from the row order, by bill's reader (as ``dcplan bill --dst-from-order``).
    raise_unexpected : bool, default False
        Let an exception other than :class:`InputError` propagate (``--debug``);
        by default it becomes a problem line naming the exception (a loader bug:
        it should have been an InputError).
    """
    path = Path(path)
    file = str(path)
    if not path.exists():
        # a relative name: where it was looked for, and the bundled copy a data/... name would find (a wheel
        # user's `dcplan validate sites/phoenix-az.yaml` said "file not found" alone; bill named the way)
        from .paths import bundled_hint
        where = "" if path.is_absolute() else f" (looked for {path.resolve()}){bundled_hint(path)}"
        return [Problem(file, "", f"file not found{where}")]
    if path.is_dir():
        return [Problem(file, "", "is a folder; give files")]
    if kind is None:
        try:
            kind = detect_kind(path)
        except OSError as e:
            return [Problem(file, "", f"cannot read file: {e}")]
        if kind is None:
            return [Problem(file, "", f"unknown file kind (extension {path.suffix!r}); allowed: "
                                      ".yaml/.yml (site, portfolio, jobs, sweep), .json (URDB tariff, PVGIS weather), "
                                      ".csv (jobs, load, TMY3/NSRDB/PVGIS weather), .epw/.tm2 (weather)")]
    elif kind not in _CHECKERS:
        return [Problem(file, "kind", unknown_key_message(kind, KINDS))]
    if kind == "load":  # a job trace whose columns are not the job table's: judged as a job file (did you mean)
        from .validate_jobs import looks_like_jobs
        kind = "jobs" if looks_like_jobs(path) else kind
    try:
        if kind == "jobs":
            return _dedupe(_jobs_problems(path, tz))
        return _dedupe(_load_problems(path, tz, stamps, dst_from_order) if kind == "load" else _CHECKERS[kind](path))
    except InputError as e:
        return Problem.from_error(e, file)
    except (OSError, UnicodeDecodeError) as e:
        return [Problem(file, "", f"cannot read file: {e}")]
    except Exception as e:  # a loader raised something other than InputError
        if raise_unexpected:
            raise
        return [Problem(file, "", f"could not be checked as a {kind} file: {type(e).__name__}: {e} "
                                  "(rerun with --debug for the traceback)")]


def validate_paths(paths: Iterable[str | Path]) -> dict[str, list[Problem]]:
    """:func:`validate_file` for each path, in order (``{path: problems}``)."""
    return {str(p): validate_file(p) for p in paths}
