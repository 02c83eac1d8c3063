"""What a run's outputs depend on: provenance and fingerprints (part of :mod:`dcplan.report`).

* **Provenance** in every ``results.json`` (:func:`provenance`): dcplan and key library
  versions, the git commit when run from a checkout and the digest of dcplan's own source
  (:func:`dcplan_source_digest`: which code made the report, also outside a checkout or
  with local edits), SHA-256 of the notebook and every
  input file (those given by parameters too, as ``param:<name>``; site files they
  replaced are named in ``replaced_inputs``; the other sites' files a notebook reading its
  peers depends on, as ``peer:<site id>:<role>``), and the data vintages the sites declare.
* **Only changed runs execute**: each run's fingerprint (:func:`run_fingerprint`:
  notebook, parameters, every file the portfolio's sites (a notebook that reads only its own
  site, metadata ``dcplan.peers: false``: that site's) and the parameters name,
  dcplan's code and data, installed versions) is stored in its ``results.json``; a
  later render into the same folder keeps the outputs of a run whose fingerprint is
  unchanged and whose files are intact (:func:`reusable`: the SHA-256 of its
  ``report.html``, ``notebook.ipynb`` and ``results.json`` recorded in ``runs.json`` when
  the run was placed, :func:`output_hashes`, and of its exports in ``results.json``;
  ``force=True`` / ``--force`` executes it).
"""
from __future__ import annotations

import functools
import hashlib
import json
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

from .report_files import _sha256
from .report_plan import Run, RunResult, _file_candidates, _is_file

# ---------------------------------------------------------------------------
# provenance: recorded in every results.json

#: Libraries whose versions every results.json records: the model's (numpy, pandas, scipy, pvlib,
#: numba, pydantic; holidays, whose calendars the bills' ``dcplan_holidays`` read; tzdata, the time
#: zones' rules where the system has none; PyYAML, which reads the site files), the report's
#: (matplotlib, papermill, nbconvert, and ipykernel, the kernel) and the .xlsx exports' writer
#: (openpyxl, :mod:`dcplan.tco_export`). (The fingerprint holds every installed version anyway:
#: :func:`environment_fingerprint`.)
KEY_LIBRARIES = ("numpy", "pandas", "scipy", "pvlib", "matplotlib", "papermill", "nbconvert",
                 "numba", "pydantic", "openpyxl", "holidays", "tzdata", "PyYAML", "ipykernel")


def _git_dirs(root: Path) -> tuple[Path, Path]:
    """The checkout's git directory and its common directory. In a plain checkout both are ``<root>/.git``;
    in a linked worktree (``git worktree add``) or a submodule ``.git`` is a file ``gitdir: <path>`` naming the
    worktree's own directory (its ``HEAD``), whose ``commondir`` file names the repository's (its
    ``refs/`` and ``packed-refs``: git-worktree(1), gitrepository-layout(5))."""
    git = root / ".git"
    if git.is_file():
        text = git.read_text().strip()
        if text.startswith("gitdir:"):
            p = Path(text[len("gitdir:"):].strip())
            git = p if p.is_absolute() else (root / p).resolve()
    common = git
    if (git / "commondir").is_file():
        p = Path((git / "commondir").read_text().strip())
        common = p if p.is_absolute() else (git / p).resolve()
    return git, common


def _git_commit(root: Path | None = None) -> str | None:
    """The commit of the checkout dcplan runs from (``root``, default dcplan's own folder's parent; None outside
    one): its ``HEAD``, or the commit of the branch ``HEAD`` names, loose or in ``packed-refs``; a linked
    worktree's too (:func:`_git_dirs`: read as a plain checkout's only, a render from a worktree said "(not a git
    checkout)" in every provenance)."""
    root = Path(__file__).resolve().parent.parent if root is None else Path(root)
    try:
        git, common = _git_dirs(root)
        ref = (git / "HEAD").read_text().strip()
        if ref.startswith("ref: "):
            name = ref[5:]
            for base in dict.fromkeys((git, common)):
                p = base / name
                if p.exists():
                    return p.read_text().strip()
            for line in (common / "packed-refs").read_text().splitlines():
                if line.endswith(" " + name):
                    return line.split()[0]
            return None
        return ref
    except OSError:
        return None


@functools.lru_cache(maxsize=None)
def _library_versions() -> tuple:
    """Versions of :data:`KEY_LIBRARIES` (read once per process: each lookup parses
    package metadata)."""
    out = []
    for lib in KEY_LIBRARIES:
        try:
            out.append((lib, metadata.version(lib)))
        except metadata.PackageNotFoundError:
            out.append((lib, None))
    return tuple(out)


#: A vintage's note of when its figure stops applying (``"2024 (valid to 2025-01-01)"``, costs.csv's AWS
#: price): an expiry, not a date of the figure (data/SOURCES.md, Costs), so its years are no vintage. The
#: note in brackets, or up to the next ``/``, ``;`` or ``,``.
_EXPIRY_WORDS = r"(?:valid\s+(?:to|until|till|through|thru)|expir(?:es|ed|y|ing)?)"
_EXPIRY_RE = re.compile(rf"\([^()]*\b{_EXPIRY_WORDS}\b[^()]*\)|\b{_EXPIRY_WORDS}\b[^/;,()]*", re.IGNORECASE)


def vintage_years(text: str) -> list[int]:
    """The years a table's ``vintage`` cell dates its figure to, leaving out an expiry's
    (:data:`_EXPIRY_RE`: "valid to / until / through ...", "expires ...").

    >>> vintage_years("2024 (valid to 2025-01-01)/2026-03"), vintage_years("2018 (ATB 2020)")
    ([2024, 2026], [2018, 2020])
    """
    return [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", _EXPIRY_RE.sub(" ", text))]


def _tariff_kind(items) -> str:
    """What a tariff file is, for its vintage: a URDB record (``"URDB "``), or a file dcplan built in URDB's format
    (every item's ``label`` starting ``dcplan-``, as data/tariffs' bundled files and their generator write it),
    with its prices' status (``dcplan_price_status`` up to its first ``:`` or ``(``): its startdate is then
    dcplan's, not a URDB record's.

    >>> _tariff_kind([{"label": "dcplan-comed-il-large-load", "dcplan_price_status": "estimate: all prices"}])
    'dcplan-built tariff file (URDB format, not a URDB record; price status: estimate), '
    >>> _tariff_kind([{"label": "5cd1d1e75457a3ec2b4b4f1f"}])
    'URDB '
    """
    items = [it for it in items if isinstance(it, dict)]
    if not items or not all(str(it.get("label", "")).startswith("dcplan-") for it in items):
        return "URDB "
    status = re.split(r"[:(]", str(items[0].get("dcplan_price_status") or ""), maxsplit=1)[0].strip()
    return ("dcplan-built tariff file (URDB format, not a URDB record" + (f"; price status: {status}" if status else "")
            + "), ")


@functools.lru_cache(maxsize=64)
def _vintage_cached(path: str, mtime_ns: int, kind: str) -> str | None:
    try:
        if kind == "table":  # the years in the table's vintage column: "2022-2025"
            import pandas as pd
            col = pd.read_csv(path, comment="#", usecols=lambda c: c == "vintage", dtype=str)
            if "vintage" not in col:
                return None
            # the figures' own dates: an expiry ("valid to 2025-01-01") is no vintage (vintage_years)
            years = sorted({y for v in col["vintage"].dropna() for y in vintage_years(v)})
            return None if not years else (f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}")
        doc = json.loads(Path(path).read_text(encoding="utf-8"))  # a URDB tariff: its items' startdate
        items = doc.get("items") if isinstance(doc, dict) and isinstance(doc.get("items"), list) else [doc]
        from .tariff_checks import startdate_text  # an epoch startdate reads as its date: "2023-01-01 (1672531200)"
        dates = sorted({startdate_text(it["startdate"]) for it in items if isinstance(it, dict) and it.get("startdate")})
        # a startdate the file says is assumed (dcplan_startdate_note) is no vintage: said beside it
        notes = sorted({str(it["dcplan_startdate_note"]) for it in items
                        if isinstance(it, dict) and it.get("dcplan_startdate_note")})
        return (f"{_tariff_kind(items)}startdate {', '.join(dates)}" + (f" ({'; '.join(notes)})" if notes else "")
                if dates else None)
    except (OSError, ValueError, KeyError):  # unreadable: the run itself reports it
        return None


def data_vintage(path: Path | None, kind: str = "table") -> str | None:
    """Vintage of a data file for a run's provenance: a table's (``kind="table"``) years in
    its ``vintage`` column (``"2022-2025"``), a URDB tariff's (``kind="tariff"``) ``startdate``;
    None when the file has none."""
    if path is None or not Path(path).is_file():
        return None
    return _vintage_cached(str(path), Path(path).stat().st_mtime_ns, kind)


def provenance(input_files: dict[str, Path | None], vintages: dict[str, str] | None = None,
               replaced: dict[str, str] | None = None, in_part: dict[str, str] | None = None) -> dict:
    """Versions, commit, input hashes and data vintages of a run (no timestamps).

    ``input_files`` includes the files given by parameters (``param:<name>``, see
    :mod:`dcplan.report_plan`) and, for a per-site run whose notebook reads the other sites,
    theirs (``peer:<site id>:<role>``, :func:`dcplan.report_plan.peer_input_files`);
    ``replaced`` (as ``replaced_inputs``) names the site files that a parameter's file
    replaced (``{"tariff": "param:tariff_file"}``): listed and hashed, but not read by the
    run. ``data_vintages`` holds ``vintages`` (the weather source the site declares, and
    each peer's, ``peer:<site id>:weather``) and :func:`data_vintage` of the bundled tables and the tariff.
    ``dcplan_source_sha256`` is :func:`dcplan_source_digest` (``git_commit`` is None outside
    a git checkout, and ``dcplan_version`` does not change with local edits). ``in_part``
    (:func:`inputs_in_part`), as ``inputs_part_sha256``: the inputs the run reads only part of, with that
    part's digest (a run reading only its own site: the portfolio's name and description); the whole
    file's SHA-256 stays in ``inputs_sha256``."""
    from . import __version__
    vintages = dict(vintages or {})
    for k, p in input_files.items():  # the bundled tables' and the billed tariffs' own vintages
        if k in (replaced or {}):     # a site file a parameter's file replaced: not read by the run
            continue
        tariff = (k in ("tariff", "param:tariff_file") or k.startswith("tariff:")
                  or (k.startswith("peer:") and k.endswith(":tariff")))  # a peer's: peer:<site id>:tariff
        v = data_vintage(p, "tariff") if tariff else data_vintage(p) if k.startswith("data:") else None
        if v and k not in vintages:
            vintages[k] = v
    return {
        "dcplan_version": __version__,
        "git_commit": _git_commit(),
        "dcplan_source_sha256": dcplan_source_digest(),
        "python": platform.python_version(),
        "libraries": dict(_library_versions()),
        "inputs_sha256": {k: (_sha256(Path(p)) if p else None) for k, p in sorted(input_files.items())},
        "inputs": {k: (str(p) if p else None) for k, p in sorted(input_files.items())},
        "replaced_inputs": dict(sorted((replaced or {}).items())),
        "inputs_part_sha256": dict(sorted((in_part or {}).items())),
        "data_vintages": dict(sorted(vintages.items())),
    }


# ---------------------------------------------------------------------------
# fingerprints: reuse a run's outputs while nothing it depends on has changed

FINGERPRINT_FORMAT = 4  # bump when the fingerprint's contents change (2: not the notebook's neighbours; 3: a
# peers-false run: only the portfolio's name and description; 4: months_waited, the time to power's conditioning)


def _tree_digest(root: Path, pattern: str, skip: tuple[str, ...] = ()) -> str:
    """SHA-256 over the files under ``root`` matching ``pattern``: each one's path relative to ``root`` and its
    SHA-256, in path order; not ``__pycache__``, hidden files, or the top-level folders named in ``skip``."""
    h = hashlib.sha256()
    if root.is_dir():
        for f in sorted(root.rglob(pattern)):
            rel = f.relative_to(root)
            if (f.is_file() and "__pycache__" not in f.parts and not f.name.startswith(".")
                    and rel.parts[0] not in skip):
                h.update(f"{rel.as_posix()}\0{_sha256(f)}\0".encode())
    return h.hexdigest()


#: The installed wheel's copy of ``data/``, ``notebooks/`` and ``docs/`` inside the package (:mod:`dcplan.paths`):
#: not dcplan's source, so not in :func:`source_digest` (its ``data/tariffs/make_*.py`` scripts made an installed
#: wheel's digest differ from its own checkout's for the same code).
BUNDLED_DIR = "_bundled"


def source_digest(pkg: Path) -> str:
    """:func:`_tree_digest` of the package folder ``pkg``'s ``*.py`` less :data:`BUNDLED_DIR`: the same for a
    checkout's ``dcplan/`` and the wheel built from it and installed."""
    return _tree_digest(pkg, "*.py", skip=(BUNDLED_DIR,))


#: Parts of the bundled ``data/`` tree that are runs' own inputs, hashed per run by
#: :func:`run_fingerprint` (the sites' YAMLs and the weather, tariff and other files they name;
#: a sweep file as the text parameter naming it), so left out of :func:`environment_fingerprint`:
#: in a checkout, editing one bundled site re-executes only the runs that read it (a tester's
#: comment added to phoenix-az.yaml re-executed all 30 runs).
RUN_INPUT_DATA = ("sites", "weather", "tariffs", "sweeps", "portfolio.yaml")


def _data_digest(root: Path) -> str:
    """:func:`_tree_digest` of ``data/`` without the runs' own inputs (:data:`RUN_INPUT_DATA`)."""
    h = hashlib.sha256()
    if root.is_dir():
        for f in sorted(root.rglob("*")):
            rel = f.relative_to(root)
            if (f.is_file() and "__pycache__" not in f.parts and not f.name.startswith(".")
                    and rel.parts[0] not in RUN_INPUT_DATA):
                h.update(f"{rel.as_posix()}\0{_sha256(f)}\0".encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def dcplan_source_digest() -> str:
    """SHA-256 over dcplan's own source (every ``dcplan/**/*.py``: each file's path relative
    to the package and its SHA-256, in path order; not ``__pycache__``, hidden files or an installed
    wheel's bundled data, :func:`source_digest`), so a report names the same code whether it was rendered
    from a checkout or from the wheel built from it. Computed once per process (a render never changes it)."""
    return source_digest(Path(__file__).resolve().parent)


@functools.lru_cache(maxsize=None)
def environment_fingerprint() -> str:
    """Hash of what every run depends on beyond its own inputs: dcplan's source and its HTML
    report templates (``dcplan/templates``), the bundled ``data/`` tree but for the runs' own
    inputs (:data:`RUN_INPUT_DATA`, in each run's fingerprint), the Python version and every
    installed distribution's version. Computed once per process (a render never changes them)."""
    from .paths import data_dir
    dists = sorted(f"{(d.metadata['Name'] or '').lower()}=={d.version}" for d in metadata.distributions())
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    for part in (dcplan_source_digest(), _tree_digest(pkg / "templates", "*"), _data_digest(data_dir()),
                 sys.version, platform.machine(), "\n".join(dists)):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _parameter_files(parameters: dict, site_dir: Path | None = None) -> dict[str, Path]:
    """Files that text parameters may name, every place a notebook may look them up: an
    absolute path, or a relative one beside the site's YAML (a site's own files) or under
    ``data/`` (not in the render's current folder: a notebook runs in a folder of its
    own, and render gives file parameters as absolute paths). Each existing candidate is
    hashed, so an edit of the one a notebook read is always seen."""
    from .paths import data_dir
    found = {}
    for k, v in parameters.items():
        hits = list(dict.fromkeys(c.resolve() for c in _file_candidates(v, (site_dir, data_dir()))
                                  if c.is_absolute() and _is_file(c)))
        for i, h in enumerate(hits):
            found[f"param:{k}" + (f":{i}" if i else "")] = h
    return found


def run_fingerprint(run: Run, show_code: bool) -> str:
    """Hash of everything a run's outputs depend on: its own notebook, the injected
    parameters, the HTML option, every file the portfolio's sites name (weather, tariffs,
    profiles, the YAMLs; only the run's own site's for a notebook whose metadata says it reads
    no other site, :func:`dcplan.report_params.notebook_reads_peers`), files that text
    parameters name and
    :func:`environment_fingerprint`.

    Not the other files in the notebook's folder (other notebooks, a README, JupyterLab's
    autosaves): a run cannot read them by a relative path or import them, since its kernel
    runs in a scratch folder of its own with that folder as its working directory and
    ``sys.path[0]`` (:mod:`dcplan.report_execute`), so editing one notebook executes only
    that notebook's runs again.

    Equal fingerprints mean an equal run: ``render`` then keeps the previous outputs
    instead of executing the notebook again (``force=True`` / ``--force`` re-executes).
    Anything else a notebook reads (a file outside these, the network, the clock) is
    not seen: use ``--force`` after changing it. The two uses of the clock are in it: a site's plan dates
    before today (:mod:`dcplan.plan_dates`), :func:`dcplan.plan_dates.fingerprint_texts` of
    the run's site warnings, so a report is rendered again when a date of its site passes; and the months each
    site it reads has waited without power, which its time to power is given (:attr:`Run.waits`,
    :func:`dcplan.plan_dates.wait_fingerprint`, not for a notebook of
    :data:`dcplan.plan_dates.NO_TIME_TO_POWER`): counted to the site file's ``as_of`` they stay, to the machine's date
    (or ``DCPLAN_TODAY``) they grow, and the runs reading such a site are rendered again on a later day.
    """
    site_yaml = run.input_files.get("site")
    files = {**run.portfolio_files, **run.input_files,
             **_parameter_files(run.parameters, None if site_yaml is None else Path(site_yaml).parent)}
    digests = {k: [str(v), _sha256(Path(v))] if v else None for k, v in sorted(files.items())}
    pf_file = files.get("portfolio")
    if reads_only_own_site(run) and pf_file:
        # a notebook reading only its own site (peers: false) takes that site from the portfolio
        # (its ``portfolio`` parameter names the file too): its own YAML is in the files; of the
        # portfolio file only the name and description may reach it, so adding, removing or
        # reordering other sites keeps its outputs (its provenance records that part: inputs_in_part)
        for k, v in files.items():
            if v and (k == "portfolio" or k.startswith("param:portfolio")) and Path(v) == Path(pf_file):
                digests[k] = [str(v), _portfolio_heading(Path(v))]
    doc = {"format": FINGERPRINT_FORMAT, "notebook": run.notebook.stem, "site": run.site_id,
           "parameters": run.parameters, "show_code": bool(show_code), "files": digests,
           "environment": environment_fingerprint()}
    from .plan_dates import fingerprint_texts  # dates now past: not in the files (today moves on)
    if past := fingerprint_texts(run.site_warnings):
        doc["plan_dates_before_today"] = past
    if run.waits:  # the months waited the time to power is given (to the machine's date without as_of): it ages
        doc["months_waited"] = [list(w) for w in run.waits]
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def reads_only_own_site(run: Run) -> bool:
    """Whether ``run`` is a per-site run whose notebook reads no other site (metadata ``dcplan.peers: false``:
    :func:`dcplan.report_params.notebook_reads_peers`; render then gives it no ``portfolio_files``): of the
    portfolio file it reads only the name and description (:func:`_portfolio_heading`) and its own site's entry,
    whose YAML is its ``site`` input."""
    return run.site_id is not None and not run.portfolio_files


def inputs_in_part(run: Run) -> dict[str, str]:
    """The inputs ``run`` reads only part of, each with the digest of that part (results.json
    ``provenance.inputs_part_sha256``): ``{"portfolio": "heading:<SHA-256 of its name and description>"}`` for a
    run that reads only its own site (:func:`reads_only_own_site`), the part its fingerprint holds; else ``{}``.
    :func:`dcplan.report_stale.inputs_changed` compares that part, not the whole file, as the fingerprint does:
    a site added to the portfolio does not call such a report's inputs changed (a render keeps it)."""
    pf_file = run.input_files.get("portfolio")
    if not reads_only_own_site(run) or not pf_file:
        return {}
    return {"portfolio": _portfolio_heading(Path(pf_file))}


def portfolio_heading(path: Path) -> str | None:
    """:func:`_portfolio_heading` of ``path`` now, None when it is gone (its run's inputs then changed)."""
    return _portfolio_heading(Path(path)) if Path(path).is_file() else None


def _portfolio_heading(path: Path) -> str | None:
    """SHA-256 of a portfolio file's ``name`` and ``description`` (what a notebook reading only
    its own site may show of it); the whole file's SHA-256 when it does not read as a mapping."""
    from ._yaml import safe_load
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
    except Exception:  # unreadable here: the run's own load reports it; fingerprint the bytes
        return _sha256(path)
    if not isinstance(raw, dict):
        return _sha256(path)
    head = {k: raw.get(k) for k in ("name", "description")}
    return "heading:" + hashlib.sha256(json.dumps(head, sort_keys=True, default=str).encode()).hexdigest()


#: A run's own outputs whose SHA-256 ``runs.json`` records when the run is placed
#: (:func:`output_hashes`); its exports' are in its ``results.json`` (``artifacts``).
HASHED_OUTPUTS = ("report.html", "notebook.ipynb", "results.json")


def output_hashes(out_dir: Path) -> dict[str, str | None]:
    """SHA-256 of each of :data:`HASHED_OUTPUTS` in a run folder (None: missing or unreadable)."""
    return {name: _sha256(Path(out_dir) / name) for name in HASHED_OUTPUTS}


def reusable(run: Run, status: dict, verify_outputs: bool = True) -> RunResult | None:
    """The previous outputs of ``run`` when they were produced from the same fingerprint
    and are complete and untouched; else None (the run must execute).

    Untouched: ``report.html``, ``notebook.ipynb`` and ``results.json`` have the SHA-256
    that ``runs.json`` recorded when the run was placed (``sha256``, :func:`output_hashes`;
    a run recorded without them executes again), and every export the SHA-256 its
    ``results.json`` lists. A report cut short, an emptied notebook or an edited figure
    executes the run again. ``verify_outputs=False`` skips the first check (render's own
    check, after an interrupt, for the runs it placed before recording them).

    ``status`` is ``runs.json``: the run's latest attempt must have been good, or have
    failed with another fingerprint (``runs.json`` records a failed attempt's): a
    notebook edited, failing, then edited back keeps the outputs it made before, as if
    the failing version had never run. A failure with this same fingerprint (or one
    recorded without it) executes again: it may have been a timeout, a dead kernel or
    anything else not in the fingerprint."""
    if not run.fingerprint:
        return None
    st = status.get(f"{run.out_dir.parent.name}/{run.out_dir.name}", {})
    if not st.get("ok") and not (st.get("ok") is False and st.get("fingerprint")
                                 and st["fingerprint"] != run.fingerprint):
        return None
    try:
        doc = json.loads((run.out_dir / "results.json").read_text())
        if doc.get("run", {}).get("fingerprint") != run.fingerprint:  # cheap: before hashing the outputs
            return None
        if verify_outputs:
            want = st.get("sha256")
            got = output_hashes(run.out_dir)
            if not isinstance(want, dict) or None in got.values() or any(want.get(k) != v for k, v in got.items()):
                return None
        size = (run.out_dir / "notebook.ipynb").stat().st_size
        if not (run.out_dir / "report.html").is_file():
            return None
        for a in doc.get("artifacts", []):
            if _sha256(run.out_dir / a["path"]) != a.get("sha256"):
                return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return RunResult(run, ok=True, seconds=0.0, results=doc.get("results", {}), notebook_bytes=size,
                     reused_from=doc.get("run", {}).get("started_utc"), warnings=list(doc.get("warnings") or []))
