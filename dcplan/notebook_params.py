"""Check a notebook's parameters inside the notebook (JupyterLab, papermill).

``dcplan render`` checks every ``-p`` value against the notebook's metadata
``dcplan.parameters`` before any run (:func:`dcplan.report_plan.check_parameter`); a run
started elsewhere (papermill, or a user editing the parameters cell in JupyterLab) got no
check, and an out-of-range or mistyped value failed deep inside the model with a message
about an internal name, or was silently replaced. Each bundled notebook calls
:func:`check_parameters` in the cell right after its parameters cell (after the cell
papermill injects), so every run gets the same checks render applies::

    from dcplan.notebook_params import check_parameters; check_parameters(globals(), "tco")

Run by ``dcplan render``, the notebook named is the file render runs (it tells the kernel,
:data:`~dcplan.report_params.NOTEBOOK_ENV`), so a notebook of your own, or a copy of a bundled
one with its own rules, is checked against its own metadata (:func:`notebook_path`).

Checked: each parameter the parameters cell declares with a type (``hours: float = 12.0``;
without an annotation, ``threshold_kw = 5000``, the type of its default's literal, as render
takes it) has a value of that type (``float``: a finite number, ``int``: a whole number, ``str``:
text, ``bool``: true or false; papermill injects typed values, a user editing the cell may
type ``hours = "abc"``; a whole float for an ``int``, ``2000.0``, is accepted and the variable
becomes the int 2000, as ``dcplan render -p n 2000.0`` gives it), then the notebook's rule for it (range, choices), and that a
``portfolio`` other than ``"default"`` is an existing file (relative to the kernel's working
folder, as :func:`dcplan.site.load_portfolio` reads it). The first
problem is one :class:`~dcplan.errors.InputError` naming the parameter, the value and what
is allowed. Run by papermill, a name papermill injected that the parameters cell does not
declare (``-p tower_aproach_k 3``: papermill only warns, and the notebook would run on its
default) is refused too, with a did-you-mean. A ``*_dir`` export folder (``export_dir``) is checked as the export
cell checks it (:func:`dcplan.report_param_values.check_export_outside_reports`: not inside the installed
package, not inside a reports folder render wrote), before the run computes anything.
"""
from __future__ import annotations

import ast
import json
import math
import numbers
import os
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any, Mapping

from ._text import did_you_mean, file_did_you_mean, input_suffixes
from .errors import InputError
from .paths import notebooks_dir
from .report_params import NOTEBOOK_ENV, default_type
from .report_plan import check_parameter, notebook_rules

__all__ = ["check_parameters", "check", "check_parameters_unchanged", "declared_types", "declared_defaults",
           "notebook_path", "parameter_file", "parameter_values", "run_by_render", "warn_site_outside_render"]

#: What a value of each declared type must be, for the message.
_TYPE_TEXT = {"float": "a finite number", "int": "a whole number", "str": "text", "bool": "true or false"}


def notebook_path(notebook: str | Path) -> Path:
    """The notebook file ``notebook`` names: a path to an existing file; else the notebook
    ``dcplan render`` is running in this kernel (:data:`~dcplan.report_params.NOTEBOOK_ENV`, its
    file's path) when its name is ``notebook``'s (``"tco"`` or ``"tco.ipynb"``): a notebook of
    your own, or your copy of a bundled one under ``--notebook-dir``, with its own rules; else
    the bundled notebook of that name (in :func:`dcplan.paths.notebooks_dir`)."""
    p = Path(notebook)
    if p.suffix == ".ipynb" and p.is_file():
        return p
    running = os.environ.get(NOTEBOOK_ENV, "")
    if running and Path(running).stem == p.stem and Path(running).is_file():
        return Path(running)
    bundled = notebooks_dir() / (p.stem + ".ipynb")
    if bundled.is_file():
        return bundled
    names = sorted(q.stem for q in notebooks_dir().glob("*.ipynb"))
    here = (f"dcplan render runs {running} in this kernel" if running else
            f"outside dcplan render, give your notebook's file: check_parameters(globals(), \"path/to/{p.stem}.ipynb\")")
    raise InputError(f"no such notebook {str(notebook)!r}; bundled: {', '.join(names)}; {here}", field="notebook")


def _parameters_source(nb: Mapping) -> str:
    for c in nb.get("cells", []):
        if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", []):
            src = c.get("source", "")
            return "".join(src) if isinstance(src, list) else str(src)
    return ""


def declared_types(nb: Mapping, from_defaults: bool = False) -> dict[str, str]:
    """``{name: type}`` of the annotated assignments (``hours: float = 12.0``) of the
    notebook's cell tagged ``parameters`` (``nb``: the notebook as a dict); with
    ``from_defaults``, also of the assignments without an annotation whose default is a
    ``bool``, ``int``, ``float`` or ``str`` literal (``threshold_kw = 5000``: ``int``, as
    render takes it, :func:`dcplan.report_params.default_type`)."""
    try:
        tree = ast.parse(_parameters_source(nb))
    except SyntaxError:
        return {}
    out = {n.target.id: n.annotation.id for n in tree.body
           if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and isinstance(n.annotation, ast.Name)}
    if from_defaults:
        for name, value in declared_defaults(nb).items():
            t = default_type(value)
            if name not in out and t is not None:
                out[name] = t
    return out


def declared_defaults(nb: Mapping) -> dict[str, Any]:
    """``{name: default}`` of the assignments of the notebook's cell tagged ``parameters``,
    in their order (``nb``: the notebook as a dict; an executed one keeps that cell as
    written, papermill's injected values follow in a cell of their own). A default that is
    no Python literal (an expression) is left out: its value is only known in the kernel."""
    try:
        tree = ast.parse(_parameters_source(nb))
    except SyntaxError:
        return {}
    out: dict[str, Any] = {}
    for n in tree.body:
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.value is not None:
            targets = [n.target]
        elif isinstance(n, ast.Assign) and all(isinstance(t, ast.Name) for t in n.targets):
            targets = n.targets
        else:
            continue
        try:
            value = ast.literal_eval(n.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        for t in targets:
            out[t.id] = value
    return out


def _type_ok(value: Any, type_name: str) -> bool:
    if type_name == "float":
        return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if type_name == "int":
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if type_name == "str":
        return isinstance(value, str)
    if type_name == "bool":
        return isinstance(value, bool)
    return True  # a type this module does not know: not checked


def _whole_float(v: Any) -> bool:
    """A finite real number that is not an integer type but is whole (2000.0, numpy's too)."""
    return (isinstance(v, numbers.Real) and not isinstance(v, (bool, numbers.Integral))
            and math.isfinite(v) and float(v).is_integer())


def _values(namespace: Any) -> Mapping:
    if isinstance(namespace, Mapping):
        return namespace
    if isinstance(namespace, (SimpleNamespace, ModuleType)) or hasattr(namespace, "__dict__"):
        return vars(namespace)
    raise TypeError(f"check_parameters: give a mapping (globals()) or a namespace, got {type(namespace).__name__}")


def check_parameters(namespace: Any, notebook: str | Path | Mapping) -> None:
    """Raise :class:`InputError` when a parameter of ``notebook`` has a value render would refuse.

    Parameters
    ----------
    namespace : mapping or namespace
        The notebook's variables (``globals()`` in the notebook), or a dict / namespace of
        parameter values. Parameters missing from a dict are not checked; missing from the
        notebook's ``globals()`` (a restarted kernel run from the middle) they are an error.
    notebook : str, pathlib.Path or mapping
        A notebook's name (``"tco"``: the notebook render runs in this kernel if it has that
        name, else the bundled one, :func:`notebook_path`), a notebook file, or the notebook
        itself as a dict (its ``metadata.dcplan.parameters`` and its cell tagged ``parameters``).

    Raises
    ------
    InputError
        ``field`` is the parameter; the message names the value and what is allowed
        (the declared type, or the range / choices of the notebook's metadata).

    Examples
    --------
    >>> check_parameters({"n_draws": 10000}, "tco")
    >>> check_parameters({"n_draws": 1}, "tco")
    Traceback (most recent call last):
    ...
    dcplan.errors.InputError: n_draws: 1: tco allows n_draws in [100, 1000000]
    """
    values = _values(namespace)
    if isinstance(notebook, Mapping):
        nb, path = notebook, Path(str(notebook.get("metadata", {}).get("dcplan", {}).get("name", "notebook")))
        rules = (nb.get("metadata", {}).get("dcplan", {}) or {}).get("parameters", {}) or {}
    else:
        path = notebook_path(notebook)
        nb = json.loads(path.read_text(encoding="utf-8"))
        rules = notebook_rules(path)
    stem = path.stem
    annotated = declared_types(nb)
    types = declared_types(nb, from_defaults=True)
    declared = {**dict.fromkeys(declared_defaults(nb)), **types}
    _check_defined(values, declared, stem)
    own = _running_declared(values)  # a copy of the notebook may declare more than the bundled one
    for name in _injected_names(values):  # papermill -p NAME: it only warns of a name not declared
        if name not in declared and name not in own:
            raise InputError(f"{name!r} is not a parameter {stem} declares{did_you_mean(name, declared)} (papermill "
                             f"passed it on, and the run would have ignored it); {stem} declares: "
                             f"{', '.join(declared)}", field=name)
    for name, type_name in types.items():
        if name not in values:
            continue
        v = values[name]
        if type_name == "int" and _whole_float(v):  # papermill -p n 2000.0: the int 2000, as render gives
            v = int(v)
            try:
                values[name] = v  # the notebook's variable (globals()) becomes the int
            except TypeError:  # a read-only mapping: checked only
                pass
        if not _type_ok(v, type_name):
            decl = f"{name}: {type_name}" if name in annotated else \
                f"{name} = {declared_defaults(nb)[name]!r} (no annotation: {type_name}, the type of its default)"
            raise InputError(f"{v!r}: {stem} declares {decl}; give {_TYPE_TEXT[type_name]}", field=name)
    if types.get("portfolio") == "str" and isinstance(values.get("portfolio"), str):
        found = _check_portfolio(values["portfolio"], stem)
        if found != values["portfolio"]:  # a data/... name: the bundled copy, for the load_portfolio that follows
            try:
                values["portfolio"] = found
            except TypeError:  # a read-only mapping: checked only
                pass
    if "site" in declared and isinstance(values.get("site"), str) and isinstance(values.get("portfolio"), str):
        _check_site_id(values["site"], values["portfolio"])
    for name, rule in rules.items():
        if name not in values:
            continue
        try:
            check_parameter(name, values[name], rule, path)
        except InputError as e:  # render's message, for the parameter as the notebook names it
            raise InputError(e.detail, field=name) from None
    # an export folder the export cell would refuse (inside the installed package, inside a reports folder),
    # refused here, before the run's work: the tco notebook opened where a wheel installed it computed for
    # 20 s and then refused its export (dcplan.report_param_values.check_export_outside_reports)
    from .report_param_values import check_export_outside_reports
    for name in declared:
        if name.endswith("_dir") and isinstance(values.get(name), str) and values[name].strip():
            check_export_outside_reports(values[name], field=name)


def _check_defined(values: Mapping, declared: Mapping, stem: str) -> None:
    """In a notebook's own variables (``globals()``: it holds ``__builtins__``), every parameter the
    parameters cell declares is defined. A kernel restarted and run from a cell below the parameters
    cell had none of them, and the check passed silently: the notebook then failed later with a bare
    ``KeyError: 'low_s'``. A dict of some values (a caller's, a test's) is checked for what it holds."""
    if "__builtins__" not in values:
        return
    missing = [name for name in declared if name not in values]
    if missing:
        raise InputError(f"{stem}'s parameter{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                         f"{'are' if len(missing) > 1 else 'is'} not defined in this kernel: run the parameters "
                         "cell first (after a kernel restart, run the notebook from the top)",
                         field=", ".join(missing))


def _injected_names(values: Mapping) -> list[str]:
    """The names papermill injected into this kernel: the assignments of the last cell run
    that is papermill's injected-parameters cell (it starts ``# Parameters``; IPython keeps
    every cell run in ``In``). Empty outside papermill (no such cell: JupyterLab, a dict)."""
    history = values.get("In")
    if not isinstance(history, list):
        return []
    for src in reversed(history):
        if isinstance(src, str) and src.startswith("# Parameters\n"):
            try:
                tree = ast.parse(src)
            except SyntaxError:
                return []
            return [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]
    return []


def _running_declared(values: Mapping) -> set[str]:
    """The names the running notebook's own parameters cell assigns: the cell run just before
    papermill's injected ``# Parameters`` cell (papermill injects it right after the cell tagged
    ``parameters``), from IPython's ``In``. A user's copy of a bundled notebook that declares a
    parameter of its own was refused it, the check reading only the bundled notebook's cell.
    Empty outside papermill."""
    history = values.get("In")
    if not isinstance(history, list):
        return set()
    for i in range(len(history) - 1, 0, -1):
        src = history[i]
        if isinstance(src, str) and src.startswith("# Parameters\n"):
            try:
                tree = ast.parse(history[i - 1]) if isinstance(history[i - 1], str) else None
            except SyntaxError:
                return set()
            if tree is None:
                return set()
            out = set()
            for n in tree.body:
                targets = [n.target] if isinstance(n, ast.AnnAssign) else n.targets if isinstance(n, ast.Assign) else []
                out |= {t.id for t in targets if isinstance(t, ast.Name)}
            return out
    return set()


def _check_portfolio(value: str, stem: str) -> str:
    """The ``portfolio`` parameter's file, as :func:`dcplan.site.load_portfolio` reads it
    (``"default"``: the bundled example; else a path, relative to the kernel's working folder):
    ``value`` itself when it names a file (or is ``"default"``); for a ``data/...`` name not in
    the working folder, the bundled copy's path, as ``dcplan render --portfolio`` finds it
    (:func:`dcplan.paths.input_path`). One that is missing or a folder is refused naming the
    parameter, the folders looked in and what is allowed (the loader's own error named neither)."""
    from .paths import data_dir, input_path
    if value == "default":
        return value
    p = Path(value).expanduser()
    if p.is_file():
        return value
    found = input_path(p)
    if found != p and found.is_file():
        return str(found.resolve())
    cwd = Path.cwd().resolve()
    looked = f"{cwd} and {data_dir()}" if p.parts[:1] == ("data",) else f"{cwd}"
    where = "a folder, not a file" if p.is_dir() else (
        "no such file" + ("" if p.is_absolute() else f" (looked in {looked})"))
    raise InputError(f"{value!r}: {where}; {stem} allows portfolio \"default\" (the bundled example "
                     f"portfolio) or a portfolio YAML file, absolute or relative to {cwd}", field="portfolio")


def _check_site_id(site: str, portfolio: str) -> None:
    """Refuse a ``site`` the portfolio (``"default"`` or a file :func:`_check_portfolio` found) does not
    hold, with the error ``load_portfolio(portfolio)[site]`` raises (:class:`dcplan.site.UnknownSiteError`:
    a did-you-mean and the portfolio's ids), before the notebook's work: in JupyterLab ``site = "nosuch"``
    failed at the load cell, after about 12 s of imports and loading. Cheap: the portfolio YAML and each
    site YAML's ``id:`` are read (else the id its file's name gives), a few ms, not validated (about 1.5 s);
    a file that does not read so is left to the loader, which says why."""
    from ._yaml import safe_load
    from .paths import default_portfolio, default_site_id
    from .site_files import resolve_path
    path = Path(default_portfolio() if portfolio == "default" else portfolio).expanduser()
    ids = []
    try:
        raw = safe_load(path.read_text(encoding="utf-8"))
        name = str(raw.get("name") or path.stem)
        for entry in raw["sites"]:
            sp = resolve_path(entry, path.parent, parent=False)
            sid = safe_load(sp.read_text(encoding="utf-8")).get("id", default_site_id(sp.stem))
            if not isinstance(sid, str):
                return
            ids.append(sid)
    except Exception:  # noqa: BLE001 - a file that does not read as a portfolio of sites: the loader says why
        return
    if site not in ids:
        from .site import UnknownSiteError
        raise UnknownSiteError(f"no site {site!r} in portfolio {name!r}{did_you_mean(site, ids)}; "
                               f"sites: {', '.join(ids)}", file=str(path.resolve()), field="site")


def parameter_file(value: str, field: str) -> Path:
    """The file a notebook's file parameter (``tariff_file``) names, as ``dcplan render`` finds it:
    absolute; else relative to the kernel's working folder; else, for a ``data/...`` name
    (``data/jobs_example.csv``), the bundled copy, as ``dcplan render -p`` takes it
    (:func:`dcplan.paths.input_path`: JupyterLab outside a checkout refused it); else relative to
    the bundled ``data/`` (``tariffs/duke-nc-opt-tou.json``). A name found in none is refused
    naming the parameter and both folders (a notebook run from another folder looked only in
    ``data/``, and blamed the site file's ``tariff.file`` for the parameter's value), with the closest
    file name in those folders when one is close (:func:`dcplan._text.file_did_you_mean`:
    ``tariffs/comed-il-large-lod.json`` -> ``tariffs/comed-il-large-load.json``)."""
    from .paths import data_dir, input_path
    p = Path(value).expanduser()
    if p.is_absolute():
        if p.is_file():
            return p
        raise InputError(f"{value!r}: no such file", field=field)
    here = Path.cwd().resolve() / p
    if here.is_file():
        return here
    found = input_path(p)
    if found != p and found.is_file():
        return found.resolve()
    bundled = (data_dir() / p).resolve()
    if bundled.is_file():
        return bundled
    hint = file_did_you_mean(value, [Path.cwd(), data_dir()],  # a typo'd name: the closest file of its type there
                             suffixes=input_suffixes(field))
    raise InputError(f"{value!r}: no such file{hint} (looked in {Path.cwd().resolve()} and {data_dir()})", field=field)


def parameter_values(namespace: Any, notebook: str | Path, exclude: tuple = ()) -> dict:
    """``{name: value}`` of the parameters ``notebook`` declares (its cell tagged ``parameters``, as
    :func:`check_parameters` finds the notebook), from ``namespace`` (``globals()``), but ``exclude``.
    A cell that computes a result records them; a later cell that uses the result refuses to run when
    one changed since (:func:`check_parameters_unchanged`), so a JupyterLab user who edits the
    parameters cell and re-runs only that cell, or a later one, gets no figures of two parameter sets."""
    values = _values(namespace)
    nb = json.loads(notebook_path(notebook).read_text(encoding="utf-8"))
    names = {**dict.fromkeys(declared_defaults(nb)), **declared_types(nb)}
    return {k: values[k] for k in names if k not in exclude and k in values}


def check_parameters_unchanged(namespace: Mapping, *, outcome: str = "nothing was written",
                               **recorded: Mapping) -> dict:
    """Refuse a result cell (or an export) whose parameters changed after its inputs were computed.

    In JupyterLab a reader can change the parameters cell, run only it and then a later cell: that
    cell mixed the new parameters with the results an earlier cell computed from the old ones (rack_power
    kept the old cap under the new ``cap_tdp_frac``'s label; a TCO workbook was named for the new
    scenario while holding the base case's NPV). The cell that computes a notebook's results records
    its parameters (:func:`parameter_values`; tco: :func:`dcplan.tco_export_case.run_parameters`), and
    every later code cell calls this first, one line::

        check_parameters_unchanged(globals(), set_up=run_params, outcome="nothing was computed")

    Run from the top (papermill, ``dcplan render``), every record equals the parameters and nothing
    is refused.

    Parameters
    ----------
    namespace : mapping
        The parameters now (the notebook's ``globals()``).
    **recorded : mapping
        ``{what: {name: value}}``: each result's recorded parameters, by what it is (``TCO``,
        ``Monte Carlo``, ``set_up``; an underscore reads as a space).
    outcome : str
        What the refusal leaves undone, the message's end: "nothing was written" (an export),
        "nothing was computed" (a result cell).

    Returns
    -------
    dict
        The recorded parameters, merged: the tco export takes site and scenario from them.

    Raises
    ------
    InputError
        A parameter differs (or is gone): ``field`` names each one, the message its value now and
        when computed.

    >>> check_parameters_unchanged({"scenario": "base"}, TCO={"scenario": "base"})
    {'scenario': 'base'}
    >>> try:
    ...     check_parameters_unchanged({"cap_tdp_frac": 0.5}, set_up={"cap_tdp_frac": 0.8})
    ... except InputError as e:
    ...     print(e.field, "|", e.detail[e.detail.index("(") + 1:e.detail.index(")")])
    cap_tdp_frac | cap_tdp_frac = 0.5 now, 0.8 when the set up was computed
    """
    merged: dict = {}
    for what, rec in recorded.items():
        changed = [f"{k} = {namespace.get(k, '(not set)')!r} now, {v!r} when the {what.replace('_', ' ')} was "
                   "computed" for k, v in rec.items() if k not in namespace or namespace[k] != v]
        if changed:
            raise InputError(f"the parameters changed since the {what.replace('_', ' ')} was computed: run the "
                             f"notebook from the top ({'; '.join(changed)}); {outcome}",
                             field=", ".join(k for k, v in rec.items() if k not in namespace or namespace[k] != v))
        merged.update(rec)
    return merged


def run_by_render() -> bool:
    """Whether ``dcplan render`` runs this kernel: render sets :data:`~dcplan.report_params.NOTEBOOK_ENV`
    (``DCPLAN_NOTEBOOK``, the notebook file it runs) in each run's kernel environment; JupyterLab,
    papermill run by hand and ``python`` do not."""
    return bool(os.environ.get(NOTEBOOK_ENV, ""))


def warn_site_outside_render(site) -> list[str]:
    """Issue the site's plausibility warnings (:func:`dcplan.site_plausibility.warn_site`: plan dates
    before today, hardware vintage, ...) as :class:`~dcplan.errors.DcplanWarning` when the notebook is
    not run by ``dcplan render`` (:func:`run_by_render`); returns their texts (empty under render).

    Render checks every site before any run and adds these warnings to each run's report and
    ``results.json`` itself (:attr:`dcplan.report_plan.Run.site_warnings`); a notebook run in JupyterLab
    showed none of them. Each bundled notebook calls this right after loading its site, so a
    JupyterLab user sees what the report says, and a rendered report does not say it twice."""
    if run_by_render():
        return []
    from .site_plausibility import warn_site
    return warn_site(site, stacklevel=3)  # pointing at the notebook's cell that called this


#: Short name.
check = check_parameters
