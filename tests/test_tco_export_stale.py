"""The tco export refuses figures computed with other parameters (black-box notebook review).

In JupyterLab a reader ran Phoenix with scenario = "base", then set scenario = "low-price" in the
parameters cell, ran it and the check cell, and ran only the export cell: it wrote
phoenix-az_low-price_tco.xlsx, titled and described as low-price, holding the base case's numbers
(NPV 52,071,918 USD; a real low-price run gives -225.6 M). The name and title came from the
globals, the numbers from the earlier result. The cells that compute the result and the Monte Carlo
now record their parameters (tco_export.run_parameters); the export takes site and scenario from
them and refuses when the globals differ (tco_export.check_parameters_unchanged).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from dcplan import tco_export
from dcplan.errors import InputError

NB = Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb"
BASE = {"site": "phoenix-az", "portfolio": "default", "scenario": "base", "tariff_file": ""}


def test_the_recorded_parameters_are_the_notebooks_result_shaping_ones():
    g = {**BASE, "n_draws": 100, "export_dir": "outputs", "spec": object()}
    assert tco_export.run_parameters(g) == BASE                   # export_dir only says where: not recorded
    assert tco_export.run_parameters(g, "n_draws") == {**BASE, "n_draws": 100}
    # unchanged: the recorded parameters, merged (the export's name and title come from them)
    assert tco_export.check_parameters_unchanged(g, TCO=BASE, Monte_Carlo={**BASE, "n_draws": 100}) == \
        {**BASE, "n_draws": 100}


def test_a_changed_scenario_is_refused_with_the_parameter_and_both_values():
    now = {**BASE, "scenario": "low-price", "n_draws": 100}
    with pytest.raises(InputError) as e:
        tco_export.check_parameters_unchanged(now, TCO=BASE)
    assert str(e.value) == ("scenario: the parameters changed since the TCO was computed: run the notebook from the "
                            "top (scenario = 'low-price' now, 'base' when the TCO was computed); nothing was written")
    assert e.value.field == "scenario"
    # the Monte Carlo's own record (n_draws), named as such
    with pytest.raises(InputError, match=r"^n_draws: the parameters changed since the Monte Carlo was computed: run "
                                         r"the notebook from the top \(n_draws = 200 now, 100 when the Monte Carlo "
                                         r"was computed\)"):
        tco_export.check_parameters_unchanged({**BASE, "n_draws": 200}, TCO=BASE,
                                              Monte_Carlo={**BASE, "n_draws": 100})


def test_the_notebook_records_and_checks_the_parameters():
    import nbformat
    src = "\n".join(c.source for c in nbformat.read(NB, as_version=4).cells if c.cell_type == "code")
    assert "tco_params = tco_export.run_parameters(globals())" in src
    # the Monte Carlo records its seed too since the seed is a parameter (2026-12; before: "n_draws" alone)
    assert 'mc_params = tco_export.run_parameters(globals(), "n_draws", "seed")' in src
    cell = src[src.index("if export_dir:"):]
    first = cell.splitlines()[3].strip()   # before the folder is made or anything written
    assert first == "case = tco_export.check_parameters_unchanged(globals(), TCO=tco_params, Monte_Carlo=mc_params)"
    assert "stem = f\"{case['site']}_{case['scenario']}_tco\"" in cell
    assert "{site}" not in cell and "scenario=scenario" not in cell


@pytest.mark.slow
def test_a_new_scenario_exported_without_rerunning_is_refused(tmp_path):
    """The reviewer's steps in a live kernel: run Phoenix base, set scenario = "low-price" in the
    parameters cell, run it and the check cell, run only the export cell."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    nb = nbformat.read(NB, as_version=4)
    par = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    out = tmp_path / "outputs"
    base_src = nb.cells[par].source + f'\nsite = "phoenix-az"\nn_draws = 100\nexport_dir = {str(out)!r}\n'
    nb.cells[par].source = base_src
    export = next(i for i, c in enumerate(nb.cells) if "\nif export_dir:" in c.source)
    client = NotebookClient(nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(tmp_path)}})
    with client.setup_kernel():
        for i, c in enumerate(nb.cells):
            client.execute_cell(c, i)
        assert (out / "phoenix-az_base_tco.xlsx").exists()
        nb.cells[par].source = base_src + 'scenario = "low-price"\n'
        client.execute_cell(nb.cells[par], par)
        client.execute_cell(nb.cells[par + 1], par + 1)          # the check cell accepts low-price
        with pytest.raises(CellExecutionError) as e:
            client.execute_cell(nb.cells[export], export)
        assert ("the parameters changed since the TCO was computed: run the notebook from the top "
                "(scenario = 'low-price' now, 'base' when the TCO was computed)") in str(e.value)
        assert not (out / "phoenix-az_low-price_tco.xlsx").exists()
        assert sorted(p.name for p in out.iterdir() if "low-price" in p.name) == []
        # run from the top: the low-price workbook is written, with the low-price case's numbers
        for i, c in enumerate(nb.cells):
            client.execute_cell(c, i)
    summ = tco_export.read_workbook(out / "phoenix-az_low-price_tco.xlsx")["Summary"].set_index("key")
    base = tco_export.read_workbook(out / "phoenix-az_base_tco.xlsx")["Summary"].set_index("key")
    assert summ.loc["revenue_usd_per_gpu_h", "value"] == 1.99   # dcplan.tco.SCENARIOS["low-price"]
    assert base.loc["revenue_usd_per_gpu_h", "value"] == 4.916  # data/costs.csv
    assert summ.loc["npv_usd", "value"] < 0 < base.loc["npv_usd", "value"]
