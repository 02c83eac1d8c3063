"""A refused value in JupyterLab shows its one-line message, not 11-27 lines of IPython traceback above it (audit
a3 F2): dcplan.errors.InputError._render_traceback_, which IPython calls instead of formatting the traceback of
an exception that defines it. dcplan render's failure report (the failing cell and the error, from papermill's
error name and value) still gives the message."""
from __future__ import annotations

import json

import nbformat
import pytest

from conftest import DATA, ROOT
from dcplan.errors import InputError
from dcplan.site import UnknownSiteError


def test_render_traceback_is_the_message_lines():
    e = InputError("must be in [0, 1], got 1.5", file="site.yaml", field="cap_tdp_frac")
    assert e._render_traceback_() == ["InputError: site.yaml: cap_tdp_frac: must be in [0, 1], got 1.5"]
    two = InputError("first line\nsecond line", field="x")
    assert two._render_traceback_() == ["InputError: x: first line", "second line"]
    # a subclass is named as itself; UnknownSiteError's message as written (KeyError's str() would quote it)
    assert UnknownSiteError("no site 'mars' in the portfolio", field="site")._render_traceback_() == \
        ["UnknownSiteError: site: no site 'mars' in the portfolio"]


def _error_output(cell) -> dict:
    return next(o for o in cell.outputs if o.output_type == "error")


@pytest.mark.slow
def test_jupyter_kernel_shows_a_refusal_as_one_line(tmp_path):
    """rack_power in a Jupyter kernel as JupyterLab runs it: a bad value in the parameters cell is refused by the
    check cell, and after a good run an edited parameter is refused by a later cell (check_parameters_unchanged);
    each error output's traceback is the one line of the message (it was the IPython traceback through dcplan's
    frames), naming the parameter."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    nb = nbformat.read(ROOT / "notebooks" / "rack_power.ipynb", as_version=4)
    par = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    check, setup = code[1], code[2]
    window = next(i for i, c in enumerate(nb.cells) if "peak_window(" in c.source)
    base = nb.cells[par].source
    client = NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel():
        nb.cells[par].source = base + "\ncap_tdp_frac = 1.5\n"
        client.execute_cell(nb.cells[par], par)
        with pytest.raises(CellExecutionError):
            client.execute_cell(nb.cells[check], check)
        out = _error_output(nb.cells[check])
        assert out.ename == "InputError"
        assert out.traceback == [f"InputError: cap_tdp_frac: {out.evalue.split(': ', 1)[1]}"]
        assert "1.5" in out.evalue and "rack_power allows cap_tdp_frac" in out.evalue
        nb.cells[par].source = base
        for i in (par, check, setup):
            client.execute_cell(nb.cells[i], i)
        nb.cells[par].source = base + "\ncap_tdp_frac = 0.5\n"
        client.execute_cell(nb.cells[par], par)
        with pytest.raises(CellExecutionError):
            client.execute_cell(nb.cells[window], window)
    out = _error_output(nb.cells[window])
    assert out.ename == "InputError" and len(out.traceback) == 1
    assert out.traceback[0] == (
        "InputError: cap_tdp_frac: the parameters changed since the set up was computed: run the notebook from the "
        "top (cap_tdp_frac = 0.5 now, 0.8 when the set up was computed); nothing was computed")


@pytest.mark.slow
def test_render_names_the_failing_cell_and_the_message_of_an_input_error(tmp_path):
    """A notebook whose second cell raises an InputError: render's failure says the cell and the error's name
    and message, as for any error; the failed run's executed notebook shows the message alone."""
    from dcplan.report import render
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell('site: str = "x"\nportfolio: str = "default"')
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(
        "from dcplan.errors import InputError\n"
        "raise InputError(f'must be one of a, b, got {site!r}', field='mode')\n")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["dcplan"] = {"scope": "site"}
    nbformat.write(nb, str(nbdir / "refuses.ipynb"))
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: one\nsites:\n  - {DATA / 'sites' / 'phoenix-az.yaml'}\n")
    out = tmp_path / "reports"
    s = render(portfolio=pf, out=out, notebook_dir=nbdir, progress=False)
    (r,) = s.results
    assert not r.ok and r.failed_cell == 2
    assert r.error.startswith("InputError: mode: must be one of a, b, got 'phoenix-az' (in `from dcplan.errors")
    assert "cell 2 of refuses.ipynb: InputError: mode: must be one of a, b, got 'phoenix-az'" in s.table()
    failed = json.loads((out / "_failed" / "phoenix-az" / "refuses.ipynb").read_text())
    err = next(o for c in failed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error")
    assert err["traceback"] == ["InputError: mode: must be one of a, b, got 'phoenix-az'"]
