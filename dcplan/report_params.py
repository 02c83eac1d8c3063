"""Notebooks and the ``-p`` values render gives them (part of :mod:`dcplan.report`).

What a notebook declares, and what a value must be to be injected into it; the plan of the
runs (:mod:`dcplan.report_plan`) calls these for every selected notebook before any run.

* **Declared parameters** (:func:`notebook_parameters`, papermill's ``inspect_notebook``): a
  line of the parameters cell papermill cannot parse is an error, not a log line.
* **Metadata** ``dcplan`` (only the keys of :data:`METADATA_KEYS`): ``scope`` (:func:`notebook_scope`), whether a per-site notebook
  reads the other sites (``peers``, :func:`notebook_reads_peers`), the optional site sections a
  notebook needs (:func:`notebook_requires`) and the allowed values of its parameters
  (:func:`notebook_rules`, checked by :func:`check_parameter`; the notebooks apply the same
  checks themselves, :mod:`dcplan.notebook_params`).
* **Values get the declared type** (:func:`coerce_parameter`; without an annotation, the type
  of the default's literal: ``threshold_kw = 5000`` is an ``int``, :func:`default_type`). Values are injected as Python
  literals by papermill (``repr``), so a site name containing quotes or code is text, never
  code.
* **File parameters** (:func:`is_file_parameter`: the name ends in ``_file``, ``_path``,
  ``_csv`` or ``_json``, e.g. ``tariff_file``, ``system_load_csv``) name input files: each
  value is looked up as given (relative: to the folder render was started in), then
  beside the site's YAML, then under ``data/``, and passed on as that file's absolute path
  (the kernels run in folders of their own); a file found nowhere is an
  :class:`InputError` naming the parameter and the places looked in
  (:func:`resolve_file_parameter`). Passed as typed instead, as the notebook takes them: the
  notebook's own default (e.g. ``"site"``: keep the site's tariff), and
  :data:`SITE_SECTION_VALUE` (``"site"``) for a parameter the notebook's metadata names as
  standing in for a site section (``requires: [{section: tariff, or_parameter:
  tariff_file}]``), meaning that section. The empty text means the notebook's default,
  whichever it is. A ``*_dir`` parameter is a folder the notebook writes, kept under
  :data:`EXPORTS_DIR` (:func:`check_export_dir`).

Importing this module imports jsonschema without its slow optional IRI grammars
(:func:`_import_jsonschema_without_iri_grammars`), before papermill first reads a notebook.
"""
from __future__ import annotations

import ast
import datetime as dt
import json
import math
import numbers
import re
import sys
from pathlib import Path
from typing import Any

from ._text import did_you_mean
from .errors import InputError
from .paths import notebooks_dir


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


# ---------------------------------------------------------------------------
# notebooks: declared parameters and metadata


def _inspect_as_python(path: Path, pm) -> dict:
    """papermill's parameter inspection of a copy of ``path`` given the python3 kernelspec."""
    import tempfile

    import nbformat
    nb = nbformat.read(str(path), as_version=4)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with tempfile.TemporaryDirectory(prefix="dcplan-inspect-") as d:
        copy = Path(d) / Path(path).name
        nbformat.write(nb, str(copy))
        return pm.inspect_notebook(str(copy))


def notebook_parameters(path: Path) -> dict[str, dict]:
    """Declared parameters of a notebook (name -> papermill's description).

    A line of the parameters cell that papermill cannot parse would make that
    parameter invisible to injection; that is an error here, not a log line.
    """
    import logging
    import warnings

    import papermill as pm

    from .report_kernel import MISSING_ID_MESSAGE

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
        # a cell without an id: nbformat warns on each read; the run gives it one (with_cell_ids)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=MISSING_ID_MESSAGE)
            try:
                params = pm.inspect_notebook(str(path))
            except ValueError as e:
                if "kernel name" not in str(e):
                    raise
                # no kernelspec in the notebook's metadata (written by a tool, not by Jupyter):
                # render runs it on the python3 kernel anyway, so read its parameters as Python
                params = _inspect_as_python(path, pm)
    except Exception as e:
        raise InputError(f"cannot read notebook parameters: {e}", file=str(path)) from None
    finally:
        log.removeHandler(grab)
        log.propagate = old_propagate
    bad = [m for m in grab.msgs if m.startswith("Unable to parse")]
    if bad:
        raise InputError(f"parameters cell: papermill {bad[0][0].lower() + bad[0][1:]} Write one "
                         "`name: type = value  # comment` per line", file=str(path))
    for d in params.values():  # no annotation (`threshold_kw = 5000`): the type of its default's literal
        t = default_type(_default_value(d)) if str(d.get("inferred_type_name")) in ("None", "") else None
        if t is not None:
            d["inferred_type_name"], d["type_from_default"] = t, True
    return params


def default_type(value: Any) -> str | None:
    """The type an unannotated parameter takes from its default (``5000``: ``"int"``; None: no check)."""
    return {bool: "bool", int: "int", float: "float", str: "str"}.get(type(value))


#: Site sections a file may leave out (:class:`dcplan.site.Site`): a notebook that needs one
#: declares it in its metadata ``dcplan.requires`` (:func:`notebook_requires`).
OPTIONAL_SECTIONS = ("tariff", "interconnection")


#: The keys of a notebook's metadata ``dcplan`` (read by the functions below); any other is refused.
METADATA_KEYS = ("scope", "peers", "requires", "parameters", "precheck")
#: The variable that tells a render's kernel which notebook file it runs (its absolute path):
#: :func:`dcplan.notebook_params.check_parameters` reads that file's rules, not the bundled one's.
NOTEBOOK_ENV = "DCPLAN_NOTEBOOK"


def _dcplan_metadata(path: Path) -> dict:
    """The notebook's metadata ``dcplan``; a key not in :data:`METADATA_KEYS` is an :class:`InputError`."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    md = nb.get("metadata", {}).get("dcplan", {})
    if md is None:
        return {}
    if not isinstance(md, dict):
        raise InputError(f"got {md!r}; allowed: a mapping with keys {', '.join(METADATA_KEYS)}", file=str(path),
                         field="metadata.dcplan")
    for key in md:
        if key not in METADATA_KEYS:
            raise InputError(f"unknown key {key!r}{did_you_mean(str(key), METADATA_KEYS)}; allowed: "
                             f"{', '.join(METADATA_KEYS)}", file=str(path), field="metadata.dcplan")
    return md


def notebook_requires(path: Path, declared: dict | None = None) -> list[tuple[str, str | None]]:
    """The optional site sections a per-site notebook needs, from its metadata
    ``dcplan.requires``: a list of section names, or ``{"section": name, "or_parameter": p}``
    when a file given by parameter ``p`` (one the notebook declares) stands in for it.
    Returns ``[(section, parameter or None)]``. A site without such a section gets its run
    marked *not applicable* by :func:`plan_runs` (not executed, not a failure)."""
    req = _dcplan_metadata(path).get("requires", [])
    field = "metadata.dcplan.requires"
    allowed = f"a list of site sections ({', '.join(OPTIONAL_SECTIONS)}), each a name or " \
              "{section: NAME, or_parameter: PARAMETER}"
    if not isinstance(req, list):
        raise InputError(f"got {req!r}; allowed: {allowed}", file=str(path), field=field)
    out = []
    for item in req:
        sec, par = (item, None) if isinstance(item, str) else \
            (item.get("section"), item.get("or_parameter")) if isinstance(item, dict) and \
            set(item) <= {"section", "or_parameter"} else (None, None)
        if sec not in OPTIONAL_SECTIONS:
            raise InputError(f"got {item!r}{did_you_mean(str(sec), OPTIONAL_SECTIONS)}; allowed: {allowed}",
                             file=str(path), field=field)
        if par is not None and (not isinstance(par, str) or (declared is not None and par not in declared)):
            raise InputError(f"or_parameter {par!r} is not a parameter the notebook declares "
                             f"({', '.join(declared or {}) or 'none'})", file=str(path), field=field)
        out.append((sec, par))
    return out


def notebook_precheck(path: Path):
    """The check a notebook's metadata ``dcplan.precheck`` names (``"dcplan.MODULE:FUNCTION"``),
    or None: the checks of its parameters that involve each other or the site, which
    :func:`plan_runs` calls for every site before any run as ``FUNCTION(params, site, given)``
    (``params`` the values the run would get, defaults and ``-p`` values; ``given`` the ``-p``
    names), and which the notebook calls itself (e.g. :mod:`dcplan.offpeak_params`). It raises
    :class:`InputError` for a problem of a ``-p`` value; it may return a text saying why the
    values, each valid in itself (the notebook's defaults, or a ``-p`` value such as a share too
    small for this site), do not apply to a site (that site's run is then *not applicable*, as
    for a missing section; the other sites render), else None."""
    ref = _dcplan_metadata(path).get("precheck")
    if ref is None:
        return None
    import importlib
    mod, _, attr = str(ref).partition(":")
    try:
        if not (mod.startswith("dcplan.") or mod == "dcplan") or not attr:
            raise ImportError("not a dcplan module:function")
        fn = getattr(importlib.import_module(mod), attr)
        if not callable(fn):
            raise TypeError(f"{attr} is not a function")
    except (ImportError, AttributeError, TypeError) as e:
        raise InputError(f"precheck {ref!r}: cannot use it ({e}); give 'dcplan.MODULE:FUNCTION'", file=str(path),
                         field="metadata.dcplan.precheck") from None
    return fn


_RULE_KEYS = {"min", "max", "min_exclusive", "max_exclusive", "also", "choices", "choices_from", "format"}
#: Text formats a rule may require (``format``): ``date``, a calendar day written YYYY-MM-DD.
_FORMATS = ("date",)


def notebook_rules(path: Path, declared: dict | None = None) -> dict[str, dict]:
    """The allowed values of a notebook's parameters, from its metadata
    ``dcplan.parameters``: ``{name: rule}``, a rule holding ``min`` / ``max`` (numbers;
    ``min_exclusive`` / ``max_exclusive`` true to leave the bound out), ``also`` (values
    allowed besides the range, e.g. ``[-1]`` for "keep the site's"), ``choices`` (a list)
    or ``choices_from`` (``"module:NAME"``, a mapping or sequence in dcplan whose keys or
    items are the choices: one source for the notebook and render), ``format`` (text:
    ``"date"``, a real calendar day YYYY-MM-DD; a range that depends on the site, such as the
    weather year, is the notebook's own check). :func:`plan_runs`
    checks every ``-p`` value against them before any run (bad input, exit 2). Refused
    here, naming the notebook file and the parameter: a rule whose ``min`` and ``max`` allow
    no value, and (given ``declared``, :func:`notebook_parameters`) a default the rule does
    not allow (a default ``None`` is a required parameter, not checked)."""
    rules = _dcplan_metadata(path).get("parameters", {})
    field = "metadata.dcplan.parameters"
    if not isinstance(rules, dict):
        raise InputError(f"got {rules!r}; allowed: a mapping of parameter name to rule", file=str(path), field=field)
    for name, rule in rules.items():
        if declared is not None and name not in declared:
            raise InputError(f"{name!r} is not a parameter the notebook declares{did_you_mean(name, declared)}",
                             file=str(path), field=field)
        bad = set(rule) - _RULE_KEYS if isinstance(rule, dict) else {"(not a mapping)"}
        if bad:
            raise InputError(f"{name}: unknown rule key(s) {', '.join(sorted(map(str, bad)))}; allowed: "
                             f"{', '.join(sorted(_RULE_KEYS))}", file=str(path), field=f"{field}.{name}")
        for key, ok, what in (("min", _is_number, "a number"), ("max", _is_number, "a number"),
                              ("min_exclusive", lambda v: isinstance(v, bool), "true or false"),
                              ("max_exclusive", lambda v: isinstance(v, bool), "true or false"),
                              ("choices", lambda v: isinstance(v, list), "a list"),
                              ("format", lambda v: v in _FORMATS, " or ".join(map(repr, _FORMATS))),
                              ("also", lambda v: isinstance(v, list) and (
                                  "choices" in rule or "choices_from" in rule or all(map(_is_number, v))
                                  or ("format" in rule and all(isinstance(a, str) for a in v))),
                               "a list (of numbers beside a range, of texts beside a format)")):
            if key in rule and not ok(rule[key]):
                raise InputError(f"{name}.{key}: got {rule[key]!r}; allowed: {what}", file=str(path),
                                 field=f"{field}.{name}")
        if "choices_from" in rule:
            _choices_from(rule["choices_from"], path, f"{field}.{name}")
        lo, hi = rule.get("min"), rule.get("max")
        if lo is not None and hi is not None and (lo > hi or (lo == hi and (rule.get("min_exclusive")
                                                                            or rule.get("max_exclusive")))):
            raise InputError(f"{name}: min {_exact(lo)} and max {_exact(hi)} allow no value; give min below max",
                             file=str(path), field=f"{field}.{name}")
        default = _default_value(declared[name]) if declared is not None else None
        if default is not None:  # the author's default must be an allowed value (None: required)
            try:
                check_parameter(name, default, rule, path)
            except InputError as e:
                raise InputError(f"the default of {name} is outside its own rule: {e.detail}; change the "
                                 "default or the rule", file=str(path), field=f"{field}.{name}") from None
    return rules


def _is_date(v: Any) -> bool:
    """``v`` is text naming a real calendar day as YYYY-MM-DD (2025-13-01 and 2025-02-30 are not)."""
    if not isinstance(v, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
        return False
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)


def _choices_from(ref: Any, path: Path, field: str) -> list:
    """The choices a ``choices_from`` reference (``"dcplan.tco:SCENARIOS"``) names."""
    import importlib
    mod, _, attr = str(ref).partition(":")
    try:
        if not mod.startswith("dcplan.") and mod != "dcplan":
            raise ImportError("not a dcplan module")
        obj = getattr(importlib.import_module(mod), attr)
        return list(obj)
    except (ImportError, AttributeError, TypeError) as e:
        raise InputError(f"choices_from {ref!r}: cannot read it ({e}); give 'dcplan.MODULE:NAME' of a mapping "
                         "or sequence", file=str(path), field=field) from None


def _exact(x: Any) -> str:
    """A rule's bound as written, with every digit: an integer in full (``4294967295``, not
    ``4.29497e+09``, which is above the bound), a float as its shortest exact form (``repr``:
    ``0.1``, ``1e-06``; ``100`` for ``100.0``)."""
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return str(int(x))
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        text = repr(float(x))
        return text[:-2] if text.endswith(".0") else text
    return str(x)


def check_parameter(name: str, value: Any, rule: dict, notebook: Path) -> None:
    """Raise :class:`InputError` (``-p NAME``) when ``value`` breaks ``rule``
    (:func:`notebook_rules`), saying what is allowed."""
    if value in rule.get("also", []):
        return
    choices = rule.get("choices")
    if "choices_from" in rule:
        choices = _choices_from(rule["choices_from"], notebook, f"metadata.dcplan.parameters.{name}")
    also = rule.get("also", [])
    if choices is not None:
        if value not in choices:
            allowed = ", ".join(map(str, list(choices) + list(also)))
            raise InputError(f"{value!r}{did_you_mean(str(value), [str(c) for c in choices])}: {notebook.stem} "
                             f"allows {name} one of: {allowed}", field=f"-p {name}")
        return
    if rule.get("format") == "date" and not _is_date(value):
        extra = f", or {', '.join('the empty text' if a == '' else repr(a) for a in also)}" if also else ""
        raise InputError(f"{value!r}: {notebook.stem} allows {name} as a date YYYY-MM-DD (a calendar day, "
                         f"e.g. 2025-07-14){extra}", field=f"-p {name}")
    lo, hi = rule.get("min"), rule.get("max")
    lo_x, hi_x = bool(rule.get("min_exclusive")), bool(rule.get("max_exclusive"))
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return  # the declared type was checked by coerce_parameter; a rule on text has only choices
    below = lo is not None and (value <= lo if lo_x else value < lo)
    above = hi is not None and (value >= hi if hi_x else value > hi)
    if below or above:
        rng = ("(" if lo_x or lo is None else "[") + ("-inf" if lo is None else _exact(lo)) + ", " + \
            ("inf" if hi is None else _exact(hi)) + (")" if hi_x or hi is None else "]")
        extra = f", or {', '.join(_exact(a) for a in also)}" if also else ""
        raise InputError(f"{value!r}: {notebook.stem} allows {name} in {rng}{extra}", field=f"-p {name}")


def notebook_scope(path: Path) -> str:
    """``"site"`` (default) or ``"portfolio"``, from notebook metadata ``dcplan.scope``."""
    scope = _dcplan_metadata(path).get("scope", "site")
    if scope not in ("site", "portfolio"):
        raise InputError(f"metadata dcplan.scope must be 'site' or 'portfolio', got {scope!r}",
                         file=str(path), field="metadata.dcplan.scope")
    return scope


def notebook_reads_peers(path: Path) -> bool:
    """Whether a per-site notebook's outputs may depend on the portfolio's *other* sites,
    from its metadata ``dcplan.peers`` (true or false; default true: a notebook may
    compare its site with the others, as ``site_analysis`` does). A notebook that declares
    ``false`` reads only its own site (``load_portfolio(portfolio)[site]``), so its run's
    fingerprint (:func:`dcplan.report_fingerprint.run_fingerprint`) leaves out the other
    sites' files and editing one site's file executes only that site's runs of it again."""
    peers = _dcplan_metadata(path).get("peers", True)
    if not isinstance(peers, bool):
        raise InputError(f"got {peers!r}; allowed: true (its outputs may depend on the other sites of the "
                         "portfolio; the default) or false (it reads only its own site)",
                         file=str(path), field="metadata.dcplan.peers")
    return peers


def available_notebooks(folder: Path | None = None) -> list[Path]:
    folder = folder or notebooks_dir()
    return sorted(p for p in Path(folder).glob("*.ipynb") if not p.name.startswith("_"))


# ---------------------------------------------------------------------------
# values: their declared type, and the files file parameters name


def _literal(value: str) -> Any:
    """Parse a ``-p`` value as a YAML scalar (numbers, bools, strings); never code."""
    import yaml

    from ._yaml import safe_load
    try:
        out = safe_load(value)
    except yaml.YAMLError:  # incl. an impossible date (2026-13-01): kept as the text typed
        return value
    # a date or time (2025-02-01) stays the text typed: papermill passes parameters as JSON,
    # which has no dates (it failed in the kernel with "date is not JSON serializable")
    return value if isinstance(out, (dt.date, dt.datetime, dt.time)) else out


#: A number written with Python's (and YAML 1.1's) ``_`` digit separator: ``1_0``, ``2_000.5``,
#: ``-1_0e3``. Python's ``float`` and YAML read ``1_0`` as 10, which a planner who typed it did
#: not mean (1.0? 10?): refused for a number parameter, naming the value.
_SEPARATED_NUMBER_RE = re.compile(r"^\s*[-+]?[\d.]*\d_[\d_.]*(?:[eE][-+]?[\d_]+)?\s*$|^\s*[-+]?[\d.]+(?:[eE][-+]?\d*_[\d_]*)\s*$")


def _python_number(text: str) -> int | float | None:
    """What Python's ``int`` (else ``float``) makes of ``text`` (``1_0`` -> 10), None: neither."""
    for read in (int, float):
        try:
            return read(text.strip())
        except ValueError:
            continue
    return None


_BOOL_TEXT = {"true": True, "yes": True, "on": True, "1": True,
              "false": False, "no": False, "off": False, "0": False}


def coerce_parameter(name: str, value: Any, type_name: str | None, notebook: Path,
                     default: str | None = None) -> Any:
    """``value`` as the type ``notebook`` declares for ``name`` (papermill's
    ``inferred_type_name``): text from the command line is parsed (``-p n_jobs 12``),
    text parameters keep the text as typed (``-p week_start 2025-07-21`` stays a string),
    and a value that does not fit is an :class:`InputError` naming the parameter, the
    value and the declared type. Numbers must be finite. A parameter without an annotation
    has the type of its default's literal (:func:`notebook_parameters`; ``default``: that
    default as written, for the message); one whose default has none of the four types
    (``None``, a list) parses text as a YAML scalar.
    """
    def bad(why: str) -> InputError:
        decl = (f"{name}: {type_name}" if default is None else
                f"{name} = {default} (no annotation: {type_name}, the type of its default)")
        return InputError(f"{value!r}: {notebook.stem} declares {decl}; {why}", field=f"-p {name}")

    t = (type_name or "").strip()
    if t in ("int", "float", "") and isinstance(value, str) and _SEPARATED_NUMBER_RE.match(value):
        read = _python_number(value)
        why = ("give a number written with digits, '.' and an exponent only: '_' is Python's digit separator"
               + ("" if read is None else f" (it reads {value.strip()} as {read!r})") + ", not a number format "
               "dcplan takes")
        if t:
            raise bad(why)
        raise InputError(f"{value!r}: {why}", field=f"-p {name}")
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
                pass
            try:  # "2000.0", "2e3": whole, so the int 2000 (a sweep or a script writes floats)
                x = float(value.strip())
            except ValueError:
                raise bad("give a whole number") from None
        else:
            x = value
        if isinstance(x, numbers.Integral) and not isinstance(x, bool):
            return int(x)  # numpy integers too; the notebook gets a plain int
        if isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x) and float(x).is_integer():
            return int(x)  # 2000.0 is whole: the int 2000
        raise bad("give a whole number (2000 or 2000.0; not a fraction)")
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


#: Endings of the parameter names that name an input file (see the module docstring).
#: ``_dir`` is not one: tco's ``export_dir`` is a folder the notebook writes, relative to
#: its own working folder.
FILE_PARAMETER_SUFFIXES = ("_file", "_path", "_csv", "_json")

#: The value of a file parameter that stands in for a site section (notebook metadata
#: ``requires: [{section: tariff, or_parameter: tariff_file}]``, :func:`notebook_requires`)
#: that means the site's own section, not a file: ``tco`` and ``site_analysis`` both take
#: ``"site"`` (and ``""``) for the site's tariff.
SITE_SECTION_VALUE = "site"


#: The folder of a run's working folder whose files render keeps beside the report (and lists
#: in results.json): a notebook's exports go there.
EXPORTS_DIR = "outputs"


def check_export_dir(name: str, value: Any, notebook: Path) -> None:
    """A ``*_dir`` parameter (a folder the notebook writes, e.g. tco's ``export_dir``) given to
    render: empty (no export) or :data:`EXPORTS_DIR` or a folder inside it, so the files are
    kept beside the report, listed in ``results.json`` and written atomically with it; a
    folder elsewhere (``/srv/x``, ``../x``) would be written in place, outside the reports."""
    import posixpath
    if not isinstance(value, str) or not value.strip():
        return
    norm = posixpath.normpath(value.strip().replace("\\", "/"))
    inside = not norm.startswith("/") and (norm == EXPORTS_DIR or norm.startswith(EXPORTS_DIR + "/"))
    if not inside:
        raise InputError(f"{value!r}: render keeps a run's exports beside its report, under "
                         f"{EXPORTS_DIR}/; allowed: {EXPORTS_DIR!r}, a folder inside it, or '' for none "
                         f"({notebook.stem}; a folder of your choice: run the notebook in JupyterLab)",
                         field=f"-p {name}")


def is_file_parameter(name: str) -> bool:
    """Whether parameter ``name`` names an input file (:data:`FILE_PARAMETER_SUFFIXES`)."""
    return name.endswith(FILE_PARAMETER_SUFFIXES)


def _default_value(decl: dict) -> Any:
    """A declared parameter's default as a value (papermill gives its source text)."""
    try:
        return ast.literal_eval(str(decl.get("default")))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def resolve_file_parameter(name: str, value: Any, default: Any, site_dir: Path | None,
                           notebook: Path, site_section: str | None = None) -> Any:
    """The absolute path of the file a file parameter names (:func:`is_file_parameter`).

    Looked up as given (absolute; relative: to the current folder), then in ``site_dir``
    (the site's YAML folder; None for a portfolio notebook), then under ``data/``; the
    first file found wins. Text equal to the notebook's ``default`` (its own "keep" value)
    and values that are not text are returned as they are, and so is
    :data:`SITE_SECTION_VALUE` (``"site"``) when ``site_section`` names the site section the
    parameter stands in for (the notebook's metadata ``requires``, :func:`notebook_requires`):
    the notebook then uses the site's own section, as ``tco`` does for ``tariff_file``.
    Empty text (or blanks) means "no file: the notebook's default", whatever that
    notebook's default is (``tco``'s ``""``, ``site_analysis``'s ``"site"``), so one
    ``-p tariff_file ""`` means the same to every notebook; for a notebook without a text
    default (a required parameter) it is an :class:`InputError`. A file found nowhere is an
    :class:`InputError` naming the parameter and every place looked in.
    """
    from .paths import data_dir
    if not isinstance(value, str) or value == default:
        return value
    if site_section is not None and value == SITE_SECTION_VALUE:
        return value  # the site's own section, not a file (even where a file "site" exists)
    if not value.strip():
        if isinstance(default, str):
            return default
        raise InputError(f"{value!r}: empty, and {notebook.stem} has no default for it (default "
                         f"{default!r}); a parameter named *{name[name.rindex('_'):]} names an "
                         "input file: give an existing file", field=f"-p {name}")
    places = [Path.cwd()] + ([Path(site_dir)] if site_dir is not None else []) + [data_dir()]
    try:
        p = Path(value).expanduser()
    except RuntimeError:  # "~nobody/x"
        p = Path(value)
    cands = [p] if p.is_absolute() else [b / p for b in places]
    for c in cands:
        if _is_file(c):
            return str(c.resolve())
    folders = [c for c in cands if c.is_dir()]
    if folders:  # "no such file" would send the user looking for a file that is a folder
        raise InputError(f"{value!r}: {folders[0]} is a folder, not a file; a parameter named "
                         f"*{name[name.rindex('_'):]} names an input file: give the file inside it",
                         field=f"-p {name}")
    where = str(p) if p.is_absolute() else ", ".join(str(b) for b in dict.fromkeys(places))
    keep = (f"or \"\" for each notebook's own default ({notebook.stem}'s is {default!r})"
            if isinstance(default, str) else "")
    if site_section is not None and default != SITE_SECTION_VALUE:
        keep += f"{', or ' if keep else 'or '}\"{SITE_SECTION_VALUE}\" for the site's {site_section}: section"
    raise InputError(f"{value!r}: no such file for {notebook.stem} (looked in {where}); a parameter "
                     f"named *{name[name.rindex('_'):]} names an input file: give an existing file"
                     f"{', ' + keep if keep else ''}", field=f"-p {name}")
