"""Batch rendering: every notebook for every site of a portfolio, with papermill.

``render()`` (the engine behind ``dcplan render``) plans one *run* per
(site, notebook) pair — or one per portfolio for notebooks whose metadata says
``{"dcplan": {"scope": "portfolio"}}`` — executes them in parallel and writes::

    reports/
      index.html                       links every report with its headline figures
      runs.json                        status of the latest attempt of every run
      <site-id>/<notebook>/report.html HTML report (code hidden unless show_code)
      <site-id>/<notebook>/notebook.ipynb  executed notebook (small: outputs trimmed)
      <site-id>/<notebook>/results.json    published figures + parameters + provenance
      <site-id>/<notebook>/outputs/...     files the notebook exported (xlsx, csv)
      _portfolio/<notebook>/...         per-portfolio notebooks
      _failed/<site-id>/<notebook>.ipynb   the executed notebook of a failed run

Papermill pitfalls handled here:

* **Parameters are checked** against each notebook's declared parameters
  (``papermill.inspect_notebook``): a per-site notebook must declare ``site`` and
  ``portfolio``; a ``-p`` override that no selected notebook declares is an
  error (with a "did you mean"); a declared parameter whose default is ``None``
  is required. Values are injected as Python literals by papermill (``repr``),
  so a site name containing quotes or code is text, never code.
* **No shared scratch**: every run executes in its own temporary directory
  (the kernel's working directory), inside ``reports/.tmp``.
* **Small executed notebooks**: long text outputs are trimmed; figures use the
  compact dcplan style.
* **Exports**: files a notebook writes under ``outputs/`` in its working
  directory (e.g. the TCO workbook) are moved beside the report, listed with
  their SHA-256 in ``results.json`` and linked from the index.
* **Atomic outputs**: a run is written into a temporary folder and moved into
  place only when it succeeded; a failed run leaves the previous good report
  untouched. ``index.html`` and ``runs.json`` are replaced atomically.
* **Provenance** in every ``results.json``: dcplan and key library versions,
  the git commit when run from a checkout, SHA-256 of the notebook and every
  input file, and the data vintages the site declares.
* **Only changed runs execute**: each run's fingerprint (:func:`run_fingerprint`:
  notebook, parameters, every file the portfolio's sites and the parameters name,
  dcplan's code and data, installed versions) is stored in its ``results.json``; a
  later render into the same folder keeps the outputs of a run whose fingerprint is
  unchanged and whose files are intact (``force=True`` / ``--force`` executes it).
* **Warm kernels, still one process per run**: each run's kernel is forked from
  a server that imported pandas, matplotlib, pvlib, scipy, IPython and dcplan
  once per render (:mod:`dcplan._kernel_zygote`), which saves about 2 s per run
  without sharing any run-time state between runs. ``warm_kernels=False``
  (``--cold-kernels``) starts every kernel from scratch; a kernelspec that is not
  this interpreter's ipykernel always starts cold.
"""
from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import functools
import hashlib
import html
import json
import math
import multiprocessing
import numbers
import os
import platform
import re
import shutil
import sys
import tempfile
import threading
import time
import unicodedata
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

from ._text import did_you_mean
from .errors import DcplanError, InputError
from .paths import data_path, default_portfolio, notebooks_dir
from .results import _plain, collect, format_value



def _import_jsonschema_without_iri_grammars() -> None:
    """Import jsonschema (papermill -> nbformat -> jsonschema) without ``rfc3987_syntax``.

    When that optional package is installed (JupyterLab's server pulls it in),
    jsonschema imports it to check the "iri" string format, and it compiles about 40
    Lark grammars at import: 0.7-2.5 s on every process that reads a notebook (the
    render, each worker, the test runner). Notebook validation never checks IRI
    formats, so render's processes import jsonschema with the package hidden; the
    only effect is that ``jsonschema.FormatChecker`` in this process does not check
    "iri"/"iri-reference". Nothing happens if jsonschema is already imported.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # makes ``import rfc3987_syntax`` raise ImportError
    try:
        import jsonschema  # noqa: F401
    except ImportError:  # not installed: papermill will say so where it is needed
        pass
    finally:
        del sys.modules["rfc3987_syntax"]  # later importers get the real package


_import_jsonschema_without_iri_grammars()

__all__ = ["Run", "RunResult", "plan_runs", "execute_run", "render", "safe_slug", "write_index",
           "notebook_parameters", "notebook_scope", "atomic_write_text", "provenance"]

PORTFOLIO_DIR = "_portfolio"
#: Model data tables every run may read; hashed into each run's provenance.
MODEL_DATA_FILES = ("hardware.csv", "cooling_defaults.csv", "costs.csv", "interconnection.csv",
                    "equipment_lead_times.csv", "system_load_example.csv")
MAX_TEXT_OUTPUT_CHARS = 20_000  # per stream/text output kept in executed notebooks
#: how long a starting kernel's IOPub may take to show the kernel_info request's idle
#: status before the request is sent again [s] (jupyter_client's own wait)
KERNEL_IOPUB_WAIT_S = 0.2
#: how often an exiting kernel is polled [s] (jupyter_client: 0.1)
KERNEL_EXIT_POLL_S = 0.005
#: the variable that gives a render's kernels a folder to share parsed weather in
#: (:data:`dcplan.weather.SHARED_DIR_ENV`; named here so render does not import pvlib)
SHARED_WEATHER_ENV = "DCPLAN_WEATHER_SHARED_DIR"
#: the variable that gives a kernel its share of the cores (:data:`dcplan._cpu.THREADS_ENV`)
THREADS_ENV = "DCPLAN_THREADS"
KEY_LIBRARIES = ("numpy", "pandas", "scipy", "pvlib", "matplotlib", "papermill", "nbconvert",
                 "numba", "pydantic")


# ---------------------------------------------------------------------------
# small utilities

def safe_slug(name: str, maxlen: int = 60) -> str:
    """A file-name-safe, unique folder name for ``name``.

    ASCII letters, digits, ``-`` and ``_`` only; no leading dots, so ``../x`` can
    never escape the output folder. When the slug differs from ``name`` a short
    hash of the original is appended, so ``"a b"`` and ``"a-b"`` stay distinct.
    """
    norm = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", norm).strip("-_").lower()[:maxlen] or "x"
    if slug != name:
        slug += "-" + hashlib.sha1(str(name).encode()).hexdigest()[:8]
    return slug


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder + rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _git_commit() -> str | None:
    root = Path(__file__).resolve().parent.parent
    head = root / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if ref.startswith("ref: "):
            p = root / ".git" / ref[5:]
            if p.exists():
                return p.read_text().strip()
            packed = root / ".git" / "packed-refs"
            for line in packed.read_text().splitlines():
                if line.endswith(ref[5:]):
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


def provenance(input_files: dict[str, Path | None], vintages: dict[str, str] | None = None) -> dict:
    """Versions, commit, input hashes and data vintages of a run (no timestamps)."""
    from . import __version__
    return {
        "dcplan_version": __version__,
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "libraries": dict(_library_versions()),
        "inputs_sha256": {k: (_sha256(Path(p)) if p else None) for k, p in sorted(input_files.items())},
        "inputs": {k: (str(p) if p else None) for k, p in sorted(input_files.items())},
        "data_vintages": dict(sorted((vintages or {}).items())),
    }


# ---------------------------------------------------------------------------
# fingerprints: reuse a run's outputs while nothing it depends on has changed

FINGERPRINT_FORMAT = 1  # bump when the fingerprint's contents change


def _tree_digest(root: Path, pattern: str) -> str:
    h = hashlib.sha256()
    if root.is_dir():
        for f in sorted(root.rglob(pattern)):
            if f.is_file() and "__pycache__" not in f.parts and not f.name.startswith("."):
                h.update(f"{f.relative_to(root).as_posix()}\0{_sha256(f)}\0".encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def environment_fingerprint() -> str:
    """Hash of what every run depends on beyond its own inputs: dcplan's source, the
    bundled ``data/`` tree, the Python version and every installed distribution's
    version. Computed once per process (a render never changes them)."""
    from .paths import data_dir
    dists = sorted(f"{(d.metadata['Name'] or '').lower()}=={d.version}" for d in metadata.distributions())
    h = hashlib.sha256()
    for part in (_tree_digest(Path(__file__).resolve().parent, "*.py"), _tree_digest(data_dir(), "*"),
                 sys.version, platform.machine(), "\n".join(dists)):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


def _file_candidates(v: Any, bases: tuple = ()) -> list[Path]:
    """Where a text value may name a file: as given, then relative to each of ``bases``."""
    if not isinstance(v, str) or not v or len(v) > 4096 or "\0" in v:
        return []
    try:
        p = Path(v).expanduser()
    except RuntimeError:  # "~nobody/x"
        return []
    return [p] if p.is_absolute() else [p] + [b / p for b in bases if b is not None]


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except (OSError, ValueError):  # a name too long: not a file
        return False


def _parameter_files(parameters: dict, site_dir: Path | None = None) -> dict[str, Path]:
    """Files that text parameters name (``-p tariff_file my.json``), every place a notebook
    may look them up: as given, beside the site's YAML (a site's own files) and under
    ``data/``. Each existing candidate is hashed, so an edit of the one a notebook read
    is always seen."""
    from .paths import data_dir
    found = {}
    for k, v in parameters.items():
        hits = list(dict.fromkeys(c.resolve() for c in _file_candidates(v, (site_dir, data_dir()))
                                  if _is_file(c)))
        for i, h in enumerate(hits):
            found[f"param:{k}" + (f":{i}" if i else "")] = h
    return found


def run_fingerprint(run: Run, show_code: bool) -> str:
    """Hash of everything a run's outputs depend on: the notebook and the other files
    beside it, the injected parameters, the HTML option, every file the portfolio's
    sites name (weather, tariffs, profiles, the YAMLs), files that text parameters name
    and :func:`environment_fingerprint`.

    Equal fingerprints mean an equal run: ``render`` then keeps the previous outputs
    instead of executing the notebook again (``force=True`` / ``--force`` re-executes).
    Anything else a notebook reads (a file outside these, the network, the clock) is
    not seen: use ``--force`` after changing it.
    """
    site_yaml = run.input_files.get("site")
    files = {**run.portfolio_files, **run.input_files,
             **_parameter_files(run.parameters, None if site_yaml is None else Path(site_yaml).parent)}
    for f in sorted(run.notebook.parent.iterdir()):  # helpers a notebook might read
        if f.is_file() and not f.name.startswith("."):
            files.setdefault(f"notebook_dir:{f.name}", f)
    doc = {"format": FINGERPRINT_FORMAT, "notebook": run.notebook.stem, "site": run.site_id,
           "parameters": run.parameters, "show_code": bool(show_code),
           "files": {k: [str(v), _sha256(Path(v))] if v else None for k, v in sorted(files.items())},
           "environment": environment_fingerprint()}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def reusable(run: Run, status: dict) -> RunResult | None:
    """The previous outputs of ``run`` when they were produced from the same fingerprint
    and are complete and untouched; else None (the run must execute)."""
    if not run.fingerprint:
        return None
    st = status.get(f"{run.out_dir.parent.name}/{run.out_dir.name}", {})
    if not st.get("ok"):
        return None
    try:
        doc = json.loads((run.out_dir / "results.json").read_text())
        if doc.get("run", {}).get("fingerprint") != run.fingerprint:
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
                     reused_from=doc.get("run", {}).get("started_utc"))


# ---------------------------------------------------------------------------
# notebooks and their parameters

def notebook_parameters(path: Path) -> dict[str, dict]:
    """Declared parameters of a notebook (name -> papermill's description).

    A line of the parameters cell that papermill cannot parse would make that
    parameter invisible to injection; that is an error here, not a log line.
    """
    import logging

    import papermill as pm

    class _Grab(logging.Handler):
        def __init__(self):
            super().__init__(logging.WARNING)
            self.msgs: list[str] = []

        def emit(self, record):
            self.msgs.append(record.getMessage())

    grab = _Grab()
    log = logging.getLogger("papermill")
    log.addHandler(grab)
    old_propagate = log.propagate
    log.propagate = False
    try:
        params = pm.inspect_notebook(str(path))
    except Exception as e:
        raise InputError(f"cannot read notebook parameters: {e}", file=str(path)) from None
    finally:
        log.removeHandler(grab)
        log.propagate = old_propagate
    bad = [m for m in grab.msgs if m.startswith("Unable to parse")]
    if bad:
        raise InputError(f"parameters cell: papermill {bad[0][0].lower() + bad[0][1:]} Write one "
                         "`name: type = value  # comment` per line", file=str(path))
    return params


def notebook_scope(path: Path) -> str:
    """``"site"`` (default) or ``"portfolio"``, from notebook metadata ``dcplan.scope``."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    scope = (nb.get("metadata", {}).get("dcplan", {}) or {}).get("scope", "site")
    if scope not in ("site", "portfolio"):
        raise InputError(f"metadata dcplan.scope must be 'site' or 'portfolio', got {scope!r}",
                         file=str(path), field="metadata.dcplan.scope")
    return scope


def available_notebooks(folder: Path | None = None) -> list[Path]:
    folder = folder or notebooks_dir()
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("_"))


@dataclasses.dataclass(frozen=True)
class Run:
    """One notebook execution: a notebook for a site (or for the whole portfolio)."""

    notebook: Path
    site_id: str | None
    site_name: str
    parameters: dict
    out_dir: Path           # final folder of this run
    reports_root: Path
    input_files: dict       # name -> Path, hashed into provenance
    vintages: dict
    #: the files of every site of the portfolio (a per-site notebook may compare its
    #: site with the others), hashed into the fingerprint
    portfolio_files: dict = dataclasses.field(default_factory=dict)
    #: hash of everything the outputs depend on (see :func:`run_fingerprint`); set by render
    fingerprint: str | None = None

    @property
    def key(self) -> str:
        return f"{self.site_id or PORTFOLIO_DIR}/{self.notebook.stem}"


@dataclasses.dataclass
class RunResult:
    run: Run
    ok: bool
    seconds: float
    error: str | None = None
    failed_cell: int | None = None
    results: dict = dataclasses.field(default_factory=dict)
    notebook_bytes: int = 0
    reused_from: str | None = None  # when set: outputs kept from that run (same fingerprint)


def _literal(value: str) -> Any:
    """Parse a ``-p`` value as a YAML scalar (numbers, bools, strings); never code."""
    import yaml
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        return value


_BOOL_TEXT = {"true": True, "yes": True, "on": True, "1": True,
              "false": False, "no": False, "off": False, "0": False}


def coerce_parameter(name: str, value: Any, type_name: str | None, notebook: Path) -> Any:
    """``value`` as the type ``notebook`` declares for ``name`` (papermill's
    ``inferred_type_name``): text from the command line is parsed (``-p n_jobs 12``),
    text parameters keep the text as typed (``-p week_start 2025-07-21`` stays a string),
    and a value that does not fit is an :class:`InputError` naming the parameter, the
    value and the declared type. Numbers must be finite. Undeclared types (no
    annotation) parse text as a YAML scalar, as before.
    """
    def bad(why: str) -> InputError:
        return InputError(f"{value!r}: {notebook.stem} declares {name}: {type_name}; {why}",
                          field=f"-p {name}")

    t = (type_name or "").strip()
    if t == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        raise bad("give text")
    if t == "bool":
        np_ = sys.modules.get("numpy")  # numpy's booleans too (only if numpy is loaded: none otherwise)
        if isinstance(value, bool) or (np_ is not None and isinstance(value, np_.bool_)):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOL_TEXT:
            return _BOOL_TEXT[value.strip().lower()]
        raise bad("give true or false")
    if t == "int":
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise bad("give a whole number") from None
        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            return int(value)  # numpy integers too; the notebook gets a plain int
        raise bad("give a whole number")
    if t == "float":
        x = value
        if isinstance(value, str):
            try:
                x = float(value.strip())
            except ValueError:
                raise bad("give a number") from None
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            raise bad("give a number")
        if not math.isfinite(x):
            raise bad("give a finite number")
        return float(x)
    return _literal(value) if isinstance(value, str) else value


def plan_runs(portfolio: str | Path | None = None, sites: list[str] | None = None,
              notebooks: list[str] | None = None, out: str | Path = "reports",
              parameters: dict[str, Any] | None = None, notebook_dir: Path | None = None) -> list[Run]:
    """Validate the portfolio, pick sites and notebooks, check parameters; return the runs."""
    from .site import load_portfolio

    pf_path = Path(default_portfolio() if portfolio in (None, "default") else portfolio)
    pf = load_portfolio(pf_path)
    out = Path(out).resolve()
    parameters = dict(parameters or {})
    for k, v in parameters.items():
        # a file named relative to where render was started: the kernels run elsewhere
        # (each in its own work folder), so they get the absolute path
        cand = _file_candidates(v)
        if cand and not cand[0].is_absolute() and _is_file(cand[0]):
            parameters[k] = str(cand[0].resolve())

    all_nbs = available_notebooks(notebook_dir)
    if not all_nbs:
        raise InputError("no notebooks found", file=str(notebook_dir or notebooks_dir()))
    by_name = {p.stem: p for p in all_nbs}
    if notebooks:
        chosen = []
        for n in dict.fromkeys(notebooks):  # a name given twice runs once
            stem = Path(n).stem
            if stem not in by_name:
                raise InputError(f"unknown notebook {n!r}{did_you_mean(stem, by_name)}; "
                                 f"available: {', '.join(by_name)}", field="--notebooks")
            if by_name[stem] not in chosen:
                chosen.append(by_name[stem])
    else:
        chosen = all_nbs

    if sites:
        for s in sites:
            if s not in pf.ids:
                raise InputError(f"unknown site {s!r}{did_you_mean(s, pf.ids)}; sites in "
                                 f"{pf_path.name}: {', '.join(pf.ids)}", field="--sites")
        site_list = [pf[s] for s in dict.fromkeys(sites)]
    else:
        site_list = list(pf.sites)

    declared = {nb: notebook_parameters(nb) for nb in chosen}
    scopes = {nb: notebook_scope(nb) for nb in chosen}
    # every override must be declared by at least one selected notebook
    all_declared = set().union(*[set(d) for d in declared.values()])
    for k in parameters:
        if k in ("site", "portfolio"):
            raise InputError(f"parameter {k!r} is set by dcplan render; use --sites / --portfolio",
                             field="-p")
        if k not in all_declared:
            raise InputError(f"unknown parameter {k!r}{did_you_mean(k, all_declared)}: no selected "
                             f"notebook declares it; declared: {', '.join(sorted(all_declared))}",
                             field="-p")

    runs: list[Run] = []
    pf_file = Path(pf.source_file).resolve()
    pf_files = {f"{name}:{s.id}": path for s in pf.sites for name, path in site_input_files(s).items()}
    for nb in chosen:
        decl = declared[nb]
        need = ["portfolio"] + (["site"] if scopes[nb] == "site" else [])
        for k in need:
            if k not in decl:
                raise InputError(f"notebook must declare parameter {k!r} in its cell tagged "
                                 f"'parameters' (declares: {', '.join(decl) or 'nothing'})", file=str(nb))
        own = {k: coerce_parameter(k, v, decl[k].get("inferred_type_name"), nb)
               for k, v in parameters.items() if k in decl}
        for k, d in decl.items():
            if k not in need and k not in own and str(d.get("default")).strip() == "None":
                raise InputError(f"required parameter {k!r} (default None) not given; pass -p {k} VALUE",
                                 file=str(nb))
        targets = site_list if scopes[nb] == "site" else [None]
        for site in targets:
            params = {"portfolio": str(pf_file), **own}
            inputs: dict[str, Path | None] = {"notebook": nb.resolve(), "portfolio": pf_file}
            inputs.update({f"data:{n}": data_path(n) for n in MODEL_DATA_FILES if data_path(n).is_file()})
            vint: dict[str, str] = {}
            if site is not None:
                params["site"] = site.id
                inputs.update(site_input_files(site))
                vint["weather"] = site.weather.source
                folder = out / safe_slug(site.id) / safe_slug(nb.stem)
            else:
                inputs.update(pf_files)
                for s in pf.sites:
                    vint[f"weather:{s.id}"] = s.weather.source
                folder = out / PORTFOLIO_DIR / safe_slug(nb.stem)
            runs.append(Run(notebook=nb.resolve(), site_id=None if site is None else site.id,
                            site_name=pf.name if site is None else site.name, parameters=params,
                            out_dir=folder, reports_root=out, input_files=inputs, vintages=vint,
                            portfolio_files=pf_files))
    return runs


def site_input_files(site) -> dict[str, Path | None]:
    """The files a site's YAML names, by role: the YAML itself, weather, tariff and the
    measured load profile of a ``workload: data`` fleet."""
    files: dict[str, Path | None] = {"site": Path(site.source_file).resolve(), "weather": site.weather_path,
                                     "tariff": site.tariff_path}
    data_file = getattr(site.fleet, "data_file", None)
    if data_file:
        files["fleet_data"] = site.path(data_file)
    for i, f in enumerate(tariff_side_files(site.tariff_path)):
        files["tariff_prices" + (f":{i}" if i else "")] = f
    return files


def tariff_side_files(path: Path | None) -> list[Path]:
    """Files a tariff JSON names (``dcplan_rtp_price_file``, relative to the tariff's folder,
    in any of its items), so a run's fingerprint sees an edited price series."""
    if path is None:
        return []
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable: the run itself reports it
        return []
    items = doc.get("items") if isinstance(doc, dict) and isinstance(doc.get("items"), list) else [doc]
    out = []
    for it in items:
        name = it.get("dcplan_rtp_price_file") if isinstance(it, dict) else None
        if isinstance(name, str) and name:
            f = Path(name).expanduser()
            out.append((f if f.is_absolute() else Path(path).parent / f).resolve())
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------
# executing one run

def _trim_outputs(nb) -> None:
    """Keep executed notebooks small: trim long text outputs, drop widget state."""
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and len(o.get("text", "")) > MAX_TEXT_OUTPUT_CHARS:
                t = o["text"]
                o["text"] = t[:MAX_TEXT_OUTPUT_CHARS] + f"\n... [{len(t) - MAX_TEXT_OUTPUT_CHARS} characters trimmed by dcplan]\n"
            data = o.get("data") or {}
            for mime in ("text/plain", "text/html"):
                v = data.get(mime)
                if isinstance(v, str) and len(v) > 4 * MAX_TEXT_OUTPUT_CHARS:
                    data[mime] = v[:4 * MAX_TEXT_OUTPUT_CHARS] + "\n... [trimmed by dcplan]"
    nb.metadata.pop("widgets", None)


@functools.lru_cache(maxsize=2)
def _html_exporter(show_code: bool):
    """One exporter per worker and setting: its templates load once (about 0.1 s), not per run."""
    from nbconvert import HTMLExporter
    exp = HTMLExporter(template_name="lab")
    exp.exclude_input = not show_code
    exp.exclude_input_prompt = True
    exp.exclude_output_prompt = True
    return exp


_HTML_LOCK = threading.Lock()


def _to_html(nb, show_code: bool, title: str) -> str:
    with _HTML_LOCK:  # the exporter is shared; the warm-up thread may be using it
        body, _ = _html_exporter(show_code).from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _warm_up(show_code: bool = False) -> None:
    """Load what a process's first run would otherwise load on its critical path: the
    kernel client and the HTML exporter's templates (and the regexes behind them).
    Run in a thread while the first kernel starts, and in the worker pool's server."""
    try:
        import jupyter_client.asynchronous  # noqa: F401
        import nbformat
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("*warm-up*"),
                                             nbformat.v4.new_code_cell("1")])
        _to_html(nb, show_code, "warm-up")
    except Exception:  # noqa: BLE001 - an optimisation only; the real run reports real errors
        pass


def _failure_text(err: BaseException, out_nb: Path | None = None) -> tuple[str, int | None]:
    """One-line error and the failing cell's 1-based position in the *source* notebook.

    ``err`` is papermill's ``PapermillExecutionError`` (the cell raised) or anything
    :class:`_Engine` tagged with the cell that was running (a timeout, a dead kernel).
    """
    ename = getattr(err, "ename", None)
    idx = getattr(err, "cell_index", getattr(err, "dcplan_cell_index", None))
    cells = getattr(err, "dcplan_cells", None)
    if cells is None and out_nb is not None:
        try:
            cells = json.loads(out_nb.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, json.JSONDecodeError):
            cells = None
    cell = None
    if idx is not None:
        cell = idx + 1
        # papermill's error banner and injected-parameters cell are not in the source notebook
        tags = [set((c.get("metadata") or {}).get("tags", [])) for c in (cells or [])]
        tags = [t for t in tags if "papermill-error-cell-tag" not in t]
        if any("injected-parameters" in t for t in tags[:idx]):
            cell -= 1
    if ename is not None:  # papermill.PapermillExecutionError
        evalue = str(getattr(err, "evalue", "")).strip().splitlines()
        src = str(getattr(err, "source", "")).strip().splitlines()
        where = f" (in `{src[0][:60]}`...)" if src else ""
        return f"{ename}: {evalue[-1] if evalue else ''}{where}".strip(), cell
    name = type(err).__name__
    if name == "CellTimeoutError":
        secs = re.search(r"after ([\d.]+) seconds", str(err))
        return (f"CellTimeoutError: the cell ran longer than the per-cell timeout"
                f"{f' of {secs.group(1)} s' if secs else ''} (dcplan render --timeout-s)"), cell
    if name == "DeadKernelError":
        return "DeadKernelError: the kernel died (its own output is kept as *.kernel.log in _failed/)", cell
    text = str(err).strip().splitlines()
    return f"{name}: {text[0] if text else ''}".strip(), cell


@functools.lru_cache(maxsize=1)
def _engine_name() -> str:
    """Register (once) papermill's nbclient engine, extended to say which cell was running.

    Papermill records a cell that *raised* and saves the notebook; a cell that timed out
    or killed its kernel propagates out with neither. This engine tags such errors with
    the running cell's index and the partial notebook, so the failure names the cell
    and ``_failed/`` keeps what ran.
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class _Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            current = [None]
            start = nb_man.cell_start

            def cell_start(cell, cell_index=None, **kw):  # remember which cell is executing
                current[0] = cell_index
                return start(cell, cell_index, **kw)

            nb_man.cell_start = cell_start
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except Exception as err:
                cells = nb_man.nb.cells
                try:
                    err.dcplan_cell_index = current[0]
                    err.dcplan_cells = cells
                    err.dcplan_nb = nb_man.nb
                except AttributeError:  # an exception type that takes no attributes
                    pass
                raise

    papermill_engines.register("dcplan", _Engine)
    return "dcplan"


def _recover_interrupted(out: Path) -> list[Path]:
    """Undo a render killed inside :func:`_place`, between its two renames: a previous
    report left as ``.<name>.old-*`` with no ``<name>`` beside it goes back into place;
    one whose ``<name>`` exists is a leftover and is removed. Call with the output
    folder's lock held. Returns the folders restored."""
    restored = []
    for old in sorted(out.glob("*/.*.old-*")):
        if not old.is_dir():
            continue
        final = old.with_name(old.name[1:].rsplit(".old-", 1)[0])
        if not final.exists():
            os.replace(old, final)
            restored.append(final)
        else:
            shutil.rmtree(old, ignore_errors=True)
    return restored


def _place(tmp_dir: Path, final: Path) -> None:
    """Move a finished run folder into place, replacing the previous one (a render killed
    between the two renames is undone by the next one: :func:`_recover_interrupted`)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(final, old)
    os.replace(tmp_dir, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@functools.lru_cache(maxsize=None)
def _ready_client_class():
    """jupyter_client's kernel client, with a ``wait_for_ready`` that returns when the
    kernel has answered, instead of 0.2 s later.

    jupyter_client sends ``kernel_info`` until the reply comes and IOPub carries a
    message, then drains IOPub until it has been silent for 0.2 s: a fixed 0.2 s on
    every kernel start, a quarter of the papermill floor. Here the drain ends at the
    ``idle`` status of the kernel_info request itself, the last message the kernel
    publishes for it (the Jupyter messaging protocol: busy, reply, idle), which also
    proves IOPub is connected. When IOPub's ``iopub_welcome`` (JEP 65: the kernel
    confirms a new subscription) arrives before the request's ``busy``, the request's
    status messages went out before the subscription and are lost: the request is
    sent again at once. Nothing else changes: a dead kernel or the timeout raise as
    before; if IOPub stays silent for 0.2 s (not yet connected) the request is sent
    again, as jupyter_client does; a kernel that publishes something but no ``idle``
    is accepted after 0.2 s.
    """
    from queue import Empty

    from jupyter_client.asynchronous.client import AsyncKernelClient

    class _ReadyClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            abs_timeout = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                msg_id = self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    state = await self._iopub_state(msg_id, KERNEL_IOPUB_WAIT_S)
                    if state in ("idle", "seen"):
                        self._handle_kernel_info_reply(reply)
                        return
                    if state == "welcome":  # IOPub connected just now: ask again, at once
                        continue
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.time() > abs_timeout:
                    raise RuntimeError("Kernel didn't respond in %d seconds" % timeout)

        async def _iopub_state(self, msg_id: str, wait_s: float) -> str:
            """What IOPub shows of request ``msg_id``: ``"idle"`` (its idle status: done),
            ``"welcome"`` (the subscription was confirmed before the request's busy
            status: that status was published before IOPub connected and is lost),
            ``"seen"`` (other messages, no idle within ``wait_s``: a kernel that does
            not publish status) or ``"silent"``."""
            deadline = time.monotonic() + wait_s
            seen = busy = False
            while (left := deadline - time.monotonic()) > 0:
                try:
                    m = await self.iopub_channel.get_msg(timeout=left)
                except Empty:
                    break
                seen = True
                mine = m.get("parent_header", {}).get("msg_id") == msg_id
                state = m.get("content", {}).get("execution_state")
                if m.get("msg_type") == "status" and mine:
                    if state == "idle":
                        return "idle"
                    busy = busy or state == "busy"
                elif m.get("msg_type") == "iopub_welcome" and not busy:
                    return "welcome"
            return "seen" if seen else "silent"

    return _ReadyClient


def _ipc_kernel_manager(sock_dir: str, log_path: Path, zygote: str | None = None,
                        cwd: str | None = None, env: dict | None = None):
    """A kernel manager class whose kernels talk over unix sockets in ``sock_dir``.

    IPC keeps kernels off TCP (no open ports, and no ipykernel warning about
    unencrypted TCP on every run); ``sock_dir`` is short, within the unix-socket
    path limit, and private to the run. The kernel's own stdout/stderr go to
    ``log_path`` (kept with a failed run), not to the terminal. With ``zygote`` (a
    socket path from :mod:`dcplan._kernel_zygote`) the kernel process is forked
    from that preloaded server instead of starting cold. ``cwd`` is the kernel's
    working directory, given to the kernel process itself (papermill's own ``cwd``
    changes the whole process's directory, which parallel runs in threads cannot share).
    ``env`` adds variables to the kernel's environment.
    """
    from jupyter_client.manager import AsyncKernelManager

    class _IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kw):
            kw.setdefault("client_factory", _ready_client_class())
            kw.setdefault("transport", "ipc")
            kw.setdefault("ip", os.path.join(sock_dir, "k"))
            super().__init__(**kw)

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            if zygote is not None:
                from dcplan._kernel_zygote import wrap
                cmd = wrap(zygote, cmd)
            return cmd

        async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
            # jupyter_client polls the exiting kernel every 0.1 s: most of a run's shutdown
            return await super()._async_finish_shutdown(waittime, min(pollinterval, KERNEL_EXIT_POLL_S),
                                                        restart)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            log = open(log_path, "ab")
            if cwd is not None:
                kw["cwd"] = cwd
            if env:
                kw["env"] = {**(kw.get("env") or os.environ), **env}
            kw.setdefault("stdout", log)
            kw.setdefault("stderr", log)
            try:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                log.close()  # the child keeps its own handle

    return _IPCKernelManager


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


def _execute(run: Run, show_code: bool = False, timeout_s: float | None = 1800.0,
             kernel_name: str = "python3", zygote: str | None = None,
             threads: int | None = None) -> RunResult | _Executed:
    """First half of :func:`execute_run`: the notebook's execution (a failed run's result,
    or what :func:`_finish` needs; its scratch folder then stays for it)."""
    import nbformat
    import papermill as pm

    t0 = time.perf_counter()
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    tmp_root = run.reports_root / ".tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(tempfile.mkdtemp(dir=tmp_root, prefix=f"{safe_slug(run.key)}-"))
    os.chmod(tmp_dir, 0o755)
    work = tmp_dir / ".work"          # kernel cwd: this run's private scratch
    work.mkdir()
    out_nb = tmp_dir / "notebook.ipynb"
    sock_dir = tempfile.mkdtemp(prefix="dcplan-")
    kernel_env = {} if threads is None else {THREADS_ENV: str(max(1, int(threads)))}
    shared_wx = tmp_root / "weather"  # parsed weather shared by the render's kernels (goes with .tmp)
    try:
        shared_wx.mkdir(mode=0o700, exist_ok=True)
        kernel_env[SHARED_WEATHER_ENV] = str(shared_wx)
    except OSError:
        pass
    keep_tmp = False
    try:
        try:
            pm.execute_notebook(str(run.notebook), str(out_nb), parameters=run.parameters,
                                kernel_name=kernel_name, cwd=None, progress_bar=False,
                                log_output=False, execution_timeout=timeout_s,
                                request_save_on_cell_execute=False, engine_name=_engine_name(),
                                kernel_manager_class=_ipc_kernel_manager(sock_dir, tmp_dir / "kernel.log", zygote,
                                                                                 str(work), kernel_env))
        except Exception as err:  # the notebook raised, timed out, or the kernel died
            msg, cell = _failure_text(err, out_nb if out_nb.exists() else None)
            failed = run.reports_root / "_failed" / (run.out_dir.parent.name) / f"{run.out_dir.name}.ipynb"
            failed.parent.mkdir(parents=True, exist_ok=True)
            if out_nb.exists():
                os.replace(out_nb, failed)
            elif getattr(err, "dcplan_nb", None) is not None:  # timed out / kernel died: what ran
                try:
                    nbformat.write(err.dcplan_nb, str(failed))
                except Exception:  # noqa: BLE001 - the error line is what matters
                    pass
            if (tmp_dir / "kernel.log").exists():  # the kernel's own output, for a crash
                os.replace(tmp_dir / "kernel.log", failed.with_suffix(".kernel.log"))
            return RunResult(run, ok=False, seconds=time.perf_counter() - t0, error=msg, failed_cell=cell)
        keep_tmp = True
        return _Executed(run, show_code, t0, started, tmp_dir, out_nb, work)
    except Exception as err:  # our own set-up failed: report, keep old outputs
        msg, _ = _failure_text(err)
        return RunResult(run, ok=False, seconds=time.perf_counter() - t0, error=f"dcplan: {msg}")
    finally:
        if not keep_tmp:
            shutil.rmtree(tmp_dir, ignore_errors=True)
        shutil.rmtree(sock_dir, ignore_errors=True)


def _finish(ex: _Executed) -> RunResult:
    """Second half of :func:`execute_run`: trim the executed notebook, export HTML, write
    ``results.json`` and move the run's outputs into place (all or nothing)."""
    import nbformat

    run, tmp_dir, out_nb, work = ex.run, ex.tmp_dir, ex.out_nb, ex.work
    try:
        nb = nbformat.read(str(out_nb), as_version=4)
        _trim_outputs(nb)
        results = collect(nb)
        title = f"{run.site_name} — {run.notebook.stem}"
        html_text = _to_html(nb, ex.show_code, title)
        doc = {
            "site": run.site_id, "site_name": run.site_name, "notebook": run.notebook.stem,
            "parameters": _plain(run.parameters), "results": results,  # strict JSON: no NaN/inf
            "provenance": provenance(run.input_files, run.vintages),
            "run": {"started_utc": ex.started, "seconds": round(time.perf_counter() - ex.t0, 3),
                    "show_code": ex.show_code,
                    # kept only if no input changed while the notebook ran
                    "fingerprint": run.fingerprint if run.fingerprint and
                    run_fingerprint(run, ex.show_code) == run.fingerprint else None},
        }
        artifacts = []
        if (work / "outputs").is_dir():  # files the notebook exported (workbooks, CSVs)
            os.replace(work / "outputs", tmp_dir / "outputs")
            artifacts = [{"path": str(p.relative_to(tmp_dir)), "sha256": _sha256(p), "bytes": p.stat().st_size}
                         for p in sorted((tmp_dir / "outputs").rglob("*")) if p.is_file()]
        doc["artifacts"] = artifacts
        shutil.rmtree(work, ignore_errors=True)
        (tmp_dir / "kernel.log").unlink(missing_ok=True)
        nbformat.write(nb, str(out_nb))
        (tmp_dir / "report.html").write_text(html_text, encoding="utf-8")
        (tmp_dir / "results.json").write_text(json.dumps(doc, indent=2, sort_keys=False, allow_nan=False)
                                              + "\n", encoding="utf-8")
        size = out_nb.stat().st_size
        _place(tmp_dir, run.out_dir)
        return RunResult(run, ok=True, seconds=time.perf_counter() - ex.t0, results=results,
                         notebook_bytes=size)
    except Exception as err:  # our own post-processing failed: report, keep old outputs
        msg, _ = _failure_text(err)
        return RunResult(run, ok=False, seconds=time.perf_counter() - ex.t0, error=f"dcplan: {msg}")
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)


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


# ---------------------------------------------------------------------------
# index

def longest_first(runs: list[Run], status: dict) -> list[Run]:
    """Runs in the order to start them on parallel workers: by the time each took last
    time (``runs.json``), longest first, so a long run does not start last and leave the
    other workers idle; runs never timed before go first (they may be the long ones).
    Results are reported in plan order whatever the execution order."""
    def last_s(r: Run) -> float:
        v = status.get(f"{r.out_dir.parent.name}/{r.out_dir.name}", {}).get("seconds")
        return float("inf") if not isinstance(v, (int, float)) else float(v)
    return sorted(runs, key=last_s, reverse=True)  # stable: ties keep plan order


def _load_status(out: Path) -> dict:
    try:
        return json.loads((out / "runs.json").read_text())
    except (OSError, json.JSONDecodeError):
        return {}


def write_index(out: Path, status: dict) -> Path:
    """Write ``index.html`` listing every run folder under ``out`` (atomically)."""
    rows = []
    for results_file in sorted(out.glob("*/*/results.json")):
        if results_file.parts[-3].startswith((".", "_failed")):
            continue
        try:
            doc = json.loads(results_file.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        key = f"{results_file.parts[-3]}/{results_file.parts[-2]}"
        rows.append((key, doc))
    rows.sort(key=lambda kd: (kd[0].startswith(PORTFOLIO_DIR) is False, kd[0]))
    parts = []
    for key, doc in rows:
        st = status.get(key, {})
        heads = [r for r in doc.get("results", {}).values() if r.get("headline")]
        figs = "".join(f"<li>{html.escape(r['label'])}: <b>{html.escape(format_value(r['value'], r.get('unit')))}</b></li>"
                       for r in heads)
        state = "ok"
        note = ""
        if st and not st.get("ok", True):
            state = "failed"
            note = (f"<div class='err'>latest run failed ({html.escape(st.get('when', ''))}): "
                    f"{html.escape(st.get('error') or '')}; showing the previous good report</div>")
        link = f"{key}/report.html"
        files = "".join(f"<br><a class='file' href='{html.escape(key + '/' + a['path'])}'>{html.escape(Path(a['path']).name)}</a>"
                        for a in doc.get("artifacts", []) if not a["path"].endswith(".csv"))
        parts.append(f"<tr class='{state}'><td>{html.escape(doc.get('site_name') or '')}</td>"
                     f"<td><a href='{html.escape(link)}'>{html.escape(doc.get('notebook', ''))}</a>{files}{note}</td>"
                     f"<td><ul>{figs}</ul></td><td>{html.escape(doc.get('run', {}).get('started_utc', ''))}</td></tr>")
    # failed runs that never had a good report
    shown = {k for k, _ in rows}
    for key, st in sorted(status.items()):
        if key not in shown and not st.get("ok", True):
            parts.append(f"<tr class='failed'><td>{html.escape(st.get('site_name', ''))}</td>"
                         f"<td>{html.escape(key)}<div class='err'>failed: {html.escape(st.get('error') or '')}</div></td>"
                         f"<td></td><td>{html.escape(st.get('when', ''))}</td></tr>")
    from . import __version__
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>dcplan reports</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 6px 10px; vertical-align: top; text-align: left; }}
th {{ background: #f4f4f4; }} ul {{ margin: 0; padding-left: 1.2em; }}
tr.failed td {{ background: #fff3f0; }} a.file {{ font-size: 90%; }} .err {{ color: #b00020; font-size: 90%; }}
</style></head><body>
<h1>dcplan reports</h1>
<p>{len(rows)} report(s). Generated by dcplan {html.escape(__version__)}.</p>
<table><thead><tr><th>Site</th><th>Report</th><th>Headline figures</th><th>Rendered (UTC)</th></tr></thead>
<tbody>
{chr(10).join(parts)}
</tbody></table></body></html>
"""
    path = out / "index.html"
    atomic_write_text(path, page)
    return path


# ---------------------------------------------------------------------------
# the whole render

@dataclasses.dataclass
class RenderSummary:
    results: list[RunResult]
    out: Path
    seconds: float

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def table(self) -> str:
        """Plain-text summary table, one line per run."""
        w = max([len(r.run.key) for r in self.results] + [3])
        lines = [f"{'run':<{w}}  {'status':<6}  {'time':>7}  headline / error"]
        for r in self.results:
            if r.ok:
                heads = [f"{x['label']}: {format_value(x['value'], x.get('unit'))}"
                         for x in r.results.values() if x.get("headline")]
                detail = "; ".join(heads[:3])
            else:
                cell = f"cell {r.failed_cell}: " if r.failed_cell is not None else ""
                detail = f"{cell}{r.error}"
            state = "kept" if r.reused_from is not None else ("ok" if r.ok else "FAILED")
            lines.append(f"{r.run.key:<{w}}  {state:<6}  {r.seconds:6.1f}s  {detail}")
        n_ok = sum(r.ok for r in self.results)
        n_kept = sum(r.reused_from is not None for r in self.results)
        kept = (f" ({n_kept} kept from earlier renders: nothing they depend on changed; --force "
                f"executes them)") if n_kept else ""
        lines.append(f"{n_ok}/{len(self.results)} runs ok{kept} in {self.seconds:.1f} s; "
                     f"index: {self.out / 'index.html'}")
        return "\n".join(lines)


def render(portfolio: str | Path | None = None, sites: list[str] | None = None,
           notebooks: list[str] | None = None, out: str | Path = "reports", jobs: int | None = None,
           show_code: bool = False, parameters: dict | None = None, progress: bool = True,
           timeout_s: float | None = 1800.0, executor: cf.Executor | None = None,
           notebook_dir: str | Path | None = None, warm_kernels: bool | None = None,
           force: bool = False) -> RenderSummary:
    """Render notebooks for a portfolio; see the module docstring for the layout.

    Parameters
    ----------
    jobs : int, optional
        Parallel runs (default: number of CPU cores). ``1`` runs one after another in
        this process; more run in threads of this process with warm kernels (each run
        still has its own kernel process), else in a pool of worker processes.
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

    Returns
    -------
    RenderSummary
        ``.ok`` is False when any run failed; ``.table()`` is the summary.
    """
    t0 = time.perf_counter()
    zyg = None
    if warm_kernels is None:
        from dcplan._kernel_zygote import SUPPORTED as warm_kernels
    if warm_kernels and executor is None:  # start importing now, while we plan
        from dcplan import _kernel_zygote
        zyg = _kernel_zygote.start()
    try:
        runs = plan_runs(portfolio, sites, notebooks, out, parameters,
                         notebook_dir=None if notebook_dir is None else Path(notebook_dir))
        out = Path(out).resolve()
        try:
            out.mkdir(parents=True, exist_ok=True)
            lock = _lock_output(out)  # one render per output folder; released even if we are killed
            _recover_interrupted(out)
        except OSError as e:  # a file of that name, no permission, a read-only disk
            raise InputError(f"cannot write reports there: {e.strerror or e}", file=str(out),
                             field="--out") from None
    except BaseException:
        if zyg is not None:
            zyg.close()
        raise
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    results: list[RunResult] = []
    try:
        runs = [dataclasses.replace(r, fingerprint=run_fingerprint(r, show_code)) for r in runs]
        status0 = _load_status(out)
        kept = {} if force else {r.key: k for r in runs if (k := reusable(r, status0)) is not None}
    except BaseException:
        if zyg is not None:
            zyg.close()
        lock.close()
        raise
    todo = [r for r in runs if r.key not in kept]
    if not todo and zyg is not None:
        zyg.close()
        zyg = None

    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(runs), desc="dcplan render", unit="run", file=sys.stderr)

    def _done(res: RunResult):
        results.append(res)
        if bar is not None:
            bar.set_postfix_str(f"{res.run.key} {'ok' if res.ok else 'FAILED'}")
            bar.update(1)

    own_pool = None
    try:
        for run in runs:
            if run.key in kept:
                _done(kept[run.key])
        zpath = zyg.path if zyg is not None else None
        # each kernel's share of this machine's cores (not for a Dask cluster's workers)
        share = None if executor is not None or not todo else \
            max(1, (os.cpu_count() or 1) // max(1, min(jobs, len(todo))))
        if todo and executor is None and (jobs == 1 or len(todo) == 1 or zyg is not None):
            # runs execute in this process (directly or in threads): warm its exporter now
            threading.Thread(target=_warm_up, args=(show_code,), daemon=True).start()
        if todo and executor is None and (jobs == 1 or len(todo) == 1):
            # one notebook executes at a time; a finished run's outputs (HTML export,
            # results, the move into place: 0.05-0.2 s) are written in a thread while
            # the next one executes
            with cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="dcplan-finish") as finisher:
                pending: list[cf.Future] = []
                for run in todo:
                    ex = _execute(run, show_code=show_code, timeout_s=timeout_s, zygote=zpath, threads=share)
                    if isinstance(ex, RunResult):
                        _done(ex)
                    else:
                        pending.append(finisher.submit(_finish, ex))
                    while pending and pending[0].done():
                        _done(pending.pop(0).result())
                for f in pending:
                    _done(f.result())
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
            futs = {executor.submit(_execute_in_worker, run, show_code, timeout_s, zpath, share): run
                    for run in longest_first(todo, status0)}
            for f in cf.as_completed(futs):
                try:
                    _done(f.result())
                except Exception as err:  # worker died
                    _done(RunResult(futs[f], ok=False, seconds=0.0, error=f"worker failed: {err!r}"))
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): stop the workers now, not after their runs
        if zyg is not None:
            zyg.close()  # kills the warm kernels: runs in threads end at once
        if own_pool is not None:
            for proc in list((getattr(own_pool, "_processes", None) or {}).values()):
                proc.terminate()
        raise
    finally:
        if own_pool is not None:
            own_pool.shutdown(wait=True, cancel_futures=True)
        if zyg is not None:
            zyg.close()
        if bar is not None:
            bar.close()
        shutil.rmtree(out / ".tmp", ignore_errors=True)  # includes folders of killed renders

    order = {r.key: i for i, r in enumerate(runs)}
    results.sort(key=lambda r: order[r.run.key])
    status = _load_status(out)
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    for r in results:
        key = f"{r.run.out_dir.parent.name}/{r.run.out_dir.name}"
        if r.reused_from is not None:  # outputs kept: when/seconds stay those of the run that made them
            status[key] = {**status.get(key, {}), "checked": now, "reused": True}
            continue
        status[key] = {
            "ok": r.ok, "when": now, "error": r.error, "failed_cell": r.failed_cell,
            "site_name": r.run.site_name, "notebook": r.run.notebook.stem, "seconds": round(r.seconds, 2)}
    atomic_write_text(out / "runs.json", json.dumps(status, indent=2, sort_keys=True) + "\n")
    write_index(out, status)
    lock.close()
    return RenderSummary(results=results, out=out, seconds=time.perf_counter() - t0)


def _lock_output(out: Path):
    """Hold an exclusive advisory lock on ``out/.lock`` (the OS drops it if we die)."""
    import fcntl
    fh = open(out / ".lock", "w")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise InputError("another dcplan render is writing to this folder; wait for it or use "
                         "--out with another folder", file=str(out)) from None
    return fh


class RenderFailed(DcplanError):
    """Raised by callers that want an exception when any run failed."""
