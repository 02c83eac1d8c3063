"""The ``-p`` values render gives a notebook: their declared type, and the files file parameters name
(part of :mod:`dcplan.report`; split from :mod:`dcplan.report_params`, which re-exports every name here).

:func:`coerce_parameter` gives a value the type the notebook declares (text from the command line
parsed, never run as code; ``1_0`` refused); :func:`resolve_file_parameter` finds the file a file
parameter (:func:`is_file_parameter`) names, as given, beside the site's YAML, then under ``data/``;
:func:`check_export_dir` keeps a ``*_dir`` parameter under :data:`EXPORTS_DIR`. The plan of the runs
(:mod:`dcplan.report_plan`) calls these for every selected notebook before any run; the rules are in
:mod:`dcplan.report_params`' module docstring.
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import sys
from pathlib import Path
from typing import Any

from ._text import file_did_you_mean, input_suffixes
from .errors import InputError

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
    has the type of its default's literal (:func:`~dcplan.report_params.notebook_parameters`; ``default``: that
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
#: ``requires: [{section: tariff, or_parameter: tariff_file}]``, :func:`~dcplan.report_params.notebook_requires`)
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


def check_export_outside_reports(value: Any, field: str = "export_dir") -> Path:
    """The folder an interactive run's ``*_dir`` parameter names (``export_dir``), refused when it lies
    inside a folder ``dcplan render`` writes (one holding its marker,
    :data:`dcplan.report_files.REPORTS_MARKER`, there or above): a JupyterLab export there silently
    replaced the rendered report's workbook, which its index and ``results.json`` describe. Under render
    (it sets :data:`~dcplan.report_params.NOTEBOOK_ENV` in the kernel, and runs it inside its own output
    folder) the folder is render's own: not refused, :func:`check_export_dir` checked it. Returns the
    folder as given (relative to the kernel's working folder).

    Also refused: a folder inside the dcplan package itself (``dcplan.paths._PKG``). A bundled
    notebook of an installed wheel run where it lies (JupyterLab, ``jupyter nbconvert --execute``: the
    kernel's working folder is the notebook's, ``site-packages/dcplan/_bundled/notebooks``) wrote its
    exports into the installed package, said it wrote ``outputs/<site>_sustainability.csv`` (no such
    folder where the planner looked), left them behind on uninstall, and failed with a bare
    ``PermissionError`` on a read-only install; the message says how to run a copy instead."""
    import os

    from . import paths
    from .report_files import REPORTS_MARKER
    from .report_params import NOTEBOOK_ENV
    folder = Path(str(value)).expanduser()
    if os.environ.get(NOTEBOOK_ENV, ""):
        return folder
    here = folder.resolve()
    pkg = paths._PKG.resolve()
    if here == pkg or pkg in here.parents:
        raise InputError(f"{str(value)!r}: {here} is inside the dcplan package ({pkg}): this notebook "
                         "runs from the package's own copy, so its exports would be written inside the installation "
                         "(not in your folder; left behind or lost when dcplan is reinstalled); copy the notebooks "
                         "out and run the copy (cp -r \"$(dcplan docs --path notebooks)\" my-notebooks), or give "
                         "export_dir a folder of your own (an absolute path), or '' for none; nothing was written",
                         field=field)
    for d in (here, *here.parents):
        marker = d / REPORTS_MARKER
        if marker.exists():
            raise InputError(f"{str(value)!r}: {here} is inside the reports folder {d} that dcplan render "
                             f"wrote (it holds its marker {marker}); an export there would replace the rendered "
                             "report's files; give a folder outside it (e.g. 'outputs' beside your notebook), or "
                             "re-render to update the report; nothing was written", field=field)
    return folder


def is_file_parameter(name: str) -> bool:
    """Whether parameter ``name`` names an input file (:data:`FILE_PARAMETER_SUFFIXES`)."""
    return name.endswith(FILE_PARAMETER_SUFFIXES)


def resolve_file_parameter(name: str, value: Any, default: Any, site_dir: Path | None,
                           notebook: Path, site_section: str | None = None) -> Any:
    """The absolute path of the file a file parameter names (:func:`is_file_parameter`).

    Looked up as given (absolute; relative: to the current folder), then in ``site_dir``
    (the site's YAML folder; None for a portfolio notebook), then under ``data/``; the
    first file found wins. Text equal to the notebook's ``default`` (its own "keep" value)
    and values that are not text are returned as they are, and so is
    :data:`SITE_SECTION_VALUE` (``"site"``) when ``site_section`` names the site section the
    parameter stands in for (the notebook's metadata ``requires``, :func:`~dcplan.report_params.notebook_requires`):
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
    hint = "" if p.is_absolute() else file_did_you_mean(  # a typo'd name: the closest file of its type there
        value, places, suffixes=input_suffixes(name))
    raise InputError(f"{value!r}: no such file for {notebook.stem}{hint} (looked in {where}); a parameter "
                     f"named *{name[name.rindex('_'):]} names an input file: give an existing file"
                     f"{', ' + keep if keep else ''}", field=f"-p {name}")
