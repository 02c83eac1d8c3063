"""Helpers to build dcplan notebooks from Python (cells as strings), outputs stripped.

Usage in a build script::

    from tools.nbtools import md, code, params, write
    write("notebooks/x.ipynb", [md("# Title"), params("site: str = 'phoenix-az'"), code("...")])
"""
from __future__ import annotations

import textwrap

import nbformat


def md(text: str):
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip())


def code(text: str):
    return nbformat.v4.new_code_cell(textwrap.dedent(text).strip())


def params(text: str):
    c = code(text)
    c.metadata["tags"] = ["parameters"]
    return c


def write(path: str, cells: list, scope: str = "site", requires: list | None = None,
          parameters: dict | None = None, peers: bool | None = None, precheck: str | None = None) -> None:
    """Write a stripped notebook; ``peers`` (per-site notebooks): whether its outputs may depend
    on the portfolio's other sites (``dcplan.report_params.notebook_reads_peers``; None leaves it
    out: render's default, true); ``precheck``: ``"dcplan.MODULE:FUNCTION"`` checking its parameters
    together before any run (``dcplan.report_params.notebook_precheck``); ``requires``: the optional
    site sections it needs
    (``dcplan.report_plan.notebook_requires``), for render to mark other sites not applicable;
    ``parameters``: the allowed values of its parameters (``dcplan.report_plan.notebook_rules``),
    which render checks before any run."""
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["dcplan"] = {"scope": scope, **({"peers": peers} if peers is not None else {}),
                             **({"precheck": precheck} if precheck else {}),
                             **({"requires": requires} if requires else {}),
                             **({"parameters": parameters} if parameters else {})}
    for i, c in enumerate(nb.cells):
        c["id"] = f"c{i:02d}"
    nbformat.validate(nb)
    nbformat.write(nb, path)


def check_params(name: str):
    """The one-line cell right after the parameters cell (and papermill's injected one): the
    notebook's parameters checked against its metadata ``dcplan.parameters`` and declared
    types, as ``dcplan render`` checks them (:mod:`dcplan.notebook_params`), so a papermill or
    JupyterLab run refuses a value render would refuse."""
    return code(f'from dcplan.notebook_params import check_parameters; check_parameters(globals(), "{name}")')


#: The first line of a result cell: the parameters its inputs were computed with, checked against the parameters
#: cell now (dcplan.notebook_params.check_parameters_unchanged); ``{record}`` is ``what=recorded_dict``.
GUARD = 'check_parameters_unchanged(globals(), {record}, outcome="nothing was computed")'


def _first_statement(src: str) -> str:
    return next((ln.strip() for ln in src.splitlines() if ln.strip() and not ln.strip().startswith("#")), "")


def guard_cells(cells: list, *records: tuple[str, str]) -> list:
    """Start every code cell after a notebook's recording cell with :data:`GUARD` (README: a result cell whose
    inputs changed since an earlier cell computed them refuses to run, naming the parameter).

    ``records``: ``(marker, record)`` pairs in notebook order: the code cells after the one whose source holds
    ``marker`` (the cell that records the parameters, ``run_params = parameter_values(globals(), ...)``) check
    ``record`` (``"set_up=run_params"``), until the next pair's marker. A cell whose first statement already is a
    check (one with a record of its own) is kept as it is; cells before the first marker are not guarded. The
    notebook imports ``check_parameters_unchanged`` in its recording cell."""
    record = None
    pending = list(records)
    for c in cells:
        if c.cell_type != "code":
            continue
        src = c.source
        if record is not None and "check_parameters_unchanged(" not in _first_statement(src):
            line = GUARD.format(record=record)
            line += "  # run from the top" if len(line) <= 100 else ""  # lines <= 120 characters
            c.source = line + "\n" + src
        while pending and pending[0][0] in src:
            record = pending.pop(0)[1]
    if pending:
        raise ValueError(f"guard_cells: no code cell holds {pending[0][0]!r}")
    return cells
