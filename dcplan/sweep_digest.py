"""What a sweep results file's rows depend on besides their overrides (part of :mod:`dcplan.sweep`).

A re-run resumes from the rows of a results file only when the file's ``inputs_sha256`` equals this run's
:func:`_inputs_digest`: the case function's source, every file the sites and the spec's ``*.file`` values
name, dcplan's environment fingerprint and, for the sites whose time to power is conditioned on months waited, those
months and the day they are counted to (as a render's fingerprint holds them). Rows computed from other inputs are run
again: rows of a site without ``as_of`` made on another day are, so a file's rows are all of one day.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from .sweep_spec import SweepSpec
from .sweep_worker import resolve_case

__all__ = ["_case_source_files", "_inputs_digest"]


def _case_source_files(case_fn: str) -> list[Path]:
    """The source files of a case function: the file that defines it and its module's file
    (they differ for a re-exported function). Empty for code without source files."""
    import inspect
    fn = resolve_case(case_fn)
    files = []
    for obj in (inspect.unwrap(fn), sys.modules.get(case_fn.partition(":")[0])):
        try:
            f = inspect.getsourcefile(obj)
        except TypeError:  # a builtin, a callable object's class in C, ...
            f = None
        if f and Path(f).is_file():
            files.append(Path(f).resolve())
    return sorted(set(files))


def _inputs_digest(case_fn: str, spec: SweepSpec, today: tuple[str, bool] | None = None) -> str:
    """Hash of what a sweep's rows depend on besides their overrides: the case function (its
    name and the contents of the file that defines it, so an edited function of your own
    is seen as dcplan's own code is), the contents of every file the sites name (YAML, weather, tariff and its price file, load
    profile), of every file a ``*.file`` axis or fixed value names (wherever it may be
    looked up: the spec's folder, as given, a site's folder, ``data/``) and of the files such
    a tariff names in turn (its ``dcplan_rtp_price_file``, as the site's own listing
    :func:`dcplan.report.site_input_files` finds them), and
    :func:`dcplan.report.environment_fingerprint` (dcplan's code and data, installed
    versions); and :func:`dcplan.plan_dates.wait_fingerprint` of the sites as of ``today`` (the sweep's
    :func:`dcplan.plan_dates.today_state`; None: this process's today): each site's months waited for power and
    the day they run to, for the sites that have waited (a site without ``as_of`` counts them to today, so its rows
    are run again on a later day, as its reports are rendered again)."""
    from .paths import data_dir
    from .plan_dates import fixed_today, wait_fingerprint
    from .report import _file_candidates, _is_file, _sha256, environment_fingerprint, site_input_files
    from .report_plan import tariff_side_files
    sites = spec.sites
    named = {}
    bases = (None if spec.base_dir is None else Path(spec.base_dir),
             *{Path(s.source_file).parent for s in sites if s.source_file}, data_dir())
    for key, vals in [*spec.axes.items(), *((k, [v]) for k, v in spec.fixed.items())]:
        if not key.endswith("file") or not isinstance(vals, (list, tuple)):
            continue
        for v in vals:
            found = [c.resolve() for c in _file_candidates(v, bases) if _is_file(c)]
            if key.startswith("tariff"):  # a tariff's price file (a real-time tariff), wherever it is
                found += [f for c in found for f in tariff_side_files(c) if _is_file(f)]
            named[f"{key}={v}"] = sorted({str(c): _sha256(c) for c in found}.items())
    doc = {"case": case_fn, "case_source": {str(f): _sha256(f) for f in _case_source_files(case_fn)},
           "environment": environment_fingerprint(), "named_files": named,
           "sites": {s.id: {k: _sha256(Path(v)) if v else None for k, v in sorted(site_input_files(s).items())}
                     for s in sites}}
    with fixed_today(today):
        waited = wait_fingerprint(sites)
    if waited:  # (not in the document otherwise: a sweep of sites that waited none keeps its digest)
        doc["waited"] = waited
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()

