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

The values' part (:func:`coerce_parameter`, :func:`resolve_file_parameter`, :func:`check_export_dir`,
:func:`is_file_parameter` and their constants) is :mod:`dcplan.report_param_values`, re-exported here.

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

from ._text import did_you_mean, missing_day
from .errors import InputError
from .paths import notebooks_dir
# the values: their declared type, and the files file parameters name (re-exported: dcplan.report_plan,
# dcplan.report_trim, dcplan.report_html, dcplan.offpeak_params, the CLI and tests import them here)
from .report_param_values import (_BOOL_TEXT, _SEPARATED_NUMBER_RE, EXPORTS_DIR,  # noqa: F401
                                  FILE_PARAMETER_SUFFIXES, SITE_SECTION_VALUE, _file_candidates, _is_file,
                                  _literal, _python_number, check_export_dir, coerce_parameter, is_file_parameter,
                                  resolve_file_parameter)


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
        why = missing_day(value)  # well formed, no such day: which (2025 has no 29 February) and the month's last
        raise InputError(f"{value!r}: {why + '; ' if why else ''}{notebook.stem} allows {name} as a date "
                         f"YYYY-MM-DD (a calendar day, e.g. 2025-07-14){extra}", field=f"-p {name}")
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


def is_scratch_notebook(path: Path) -> bool:
    """A notebook render does not run: a JupyterLab scratch copy (``Untitled.ipynb``, ``Untitled1.ipynb``),
    or a name starting with ``_`` or ``.`` (``_mine.ipynb``, a hidden file)."""
    name = Path(path).name
    return name.startswith(("_", ".", "Untitled"))


def available_notebooks(folder: Path | None = None) -> list[Path]:
    """The notebooks render runs from ``folder``: its ``*.ipynb`` but the scratch ones
    (:func:`is_scratch_notebook`: a JupyterLab ``Untitled.ipynb`` without the declared parameters stopped
    the whole render), which one line on stderr names (not a line each: JupyterLab's scratch copies pile up)."""
    folder = folder or notebooks_dir()
    found = sorted(Path(folder).glob("*.ipynb"))
    skipped = [p.name for p in found if is_scratch_notebook(p)]
    if skipped:
        n = len(skipped)
        print(f"dcplan render: skipped {n} scratch notebook{'s' if n > 1 else ''} in {folder} (render skips "
              f"Untitled*.ipynb and names starting with '_' or '.'): {', '.join(skipped)}", file=sys.stderr)
    return [p for p in found if not is_scratch_notebook(p)]


def _default_value(decl: dict) -> Any:
    """A declared parameter's default as a value (papermill gives its source text)."""
    try:
        return ast.literal_eval(str(decl.get("default")))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
