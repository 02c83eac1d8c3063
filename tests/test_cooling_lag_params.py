"""The cooling-lag notebook's check across its parameters (dcplan.cooling_lag_params): render refuses
a pause not shorter than its spacing before any run (exit 2), as the notebook and
thermal.training_load_kw refuse it. It was a failed run (exit 1, a _failed notebook)."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from dcplan import cooling_lag_params, thermal
from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report_params import notebook_precheck
from dcplan.report_plan import plan_runs

NB = Path(__file__).resolve().parent.parent / "notebooks" / "cooling_lag.ipynb"
DEFAULTS = {"hours": 12.0, "peak_kw": -1.0, "seed": 0, "low_s": 600.0, "period_s": 1800.0}
MESSAGE = r"2000 s: a pause must be shorter than period_s \(1800 s\), the spacing of the pauses; allowed: low_s below period_s"


def test_the_notebook_names_the_precheck():
    assert notebook_precheck(NB) is cooling_lag_params.precheck
    # the notebook calls the same check itself (runs outside render: JupyterLab, papermill)
    code = "".join("".join(c["source"]) for c in json.loads(NB.read_text())["cells"] if c["cell_type"] == "code")
    assert "cooling_lag_params.check(globals())" in code


def test_one_rule_for_the_notebook_render_and_the_load():
    with pytest.raises(InputError, match=rf"^low_s: {MESSAGE}"):
        cooling_lag_params.check({**DEFAULTS, "low_s": 2000.0})
    with pytest.raises(InputError, match=rf"^low_s: {MESSAGE}"):  # the model's own check: the same words
        thermal.training_load_kw("2025-07-15", 3600, period_s=1800.0, low_s=2000.0)
    cooling_lag_params.check({**DEFAULTS, "low_s": 1799.0})  # 1 s shorter: fine
    with pytest.raises(InputError, match=r"^low_s: 1800 s: a pause must be shorter"):  # equal: refused
        cooling_lag_params.check({**DEFAULTS, "low_s": 1800.0})
    site = SimpleNamespace(id="s")
    cooling_lag_params.precheck({**DEFAULTS, "low_s": 2000.0}, site, {"seed"})  # defaults' problem: left to the run
    with pytest.raises(InputError, match=r"^-p period_s: site 's': low_s 600 s: a pause must be shorter than "
                                         r"period_s \(500 s\)"):
        cooling_lag_params.precheck({**DEFAULTS, "period_s": 500.0}, site, {"period_s"})


@pytest.mark.parametrize("given,match", [
    ({"low_s": 2000.0}, rf"^-p low_s: site 'phoenix-az': {MESSAGE}"),
    ({"period_s": 500.0}, r"^-p period_s: site 'phoenix-az': low_s 600 s: a pause must be shorter than period_s "
                          r"\(500 s\)"),
])
def test_render_refuses_before_any_run(given, match):
    with pytest.raises(InputError, match=match):
        plan_runs(None, sites=["phoenix-az"], notebooks=["cooling_lag"], parameters=given)


def test_cli_exit_2_and_no_failed_run(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["render", "--sites", "phoenix-az", "--notebooks", "cooling_lag", "-p", "low_s", "2000",
                 "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "-p low_s: site 'phoenix-az': 2000 s: a pause must be shorter than period_s (1800 s)" in err
    assert not (out / "_failed").exists() and not (out / "phoenix-az").exists()
