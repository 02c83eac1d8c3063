"""The cooling-lag notebook's check across its parameters (dcplan.cooling_lag_params): render refuses
a pause not shorter than its spacing before any run (exit 2), as the notebook and
thermal.training_load_kw refuse it. It was a failed run (exit 1, a _failed notebook)."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
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


def test_a_run_with_no_return_from_a_pause_is_refused_before_any_run():
    # -p hours 0.25 at the default pauses (every 1800 s +-20 %, 600 s long): 900 s, no pause at all, and every
    # throttling figure was published as 0 ("never throttles"); the first pause ends at most 1.2 x 1800 + 600 =
    # 2,760 s in, so a run must be longer than that for every seed
    with pytest.raises(InputError, match=r"^-p hours: site 'phoenix-az': 0\.25 h \(900 s\) holds no return of the "
                                         r"synthetic load from a pause .* allowed: hours above 0\.7667 h \(2,760 s\)"):
        plan_runs(None, sites=["phoenix-az"], notebooks=["cooling_lag"], parameters={"hours": 0.25})
    site = SimpleNamespace(id="s")
    cooling_lag_params.precheck({**DEFAULTS, "hours": 2761 / 3600}, site, {"hours"})  # 1 s past it: fine
    # shorter pauses make a short run valid (120 s +-20 % apart, 30 s long: 174 s)
    cooling_lag_params.precheck({**DEFAULTS, "hours": 0.25, "period_s": 120.0, "low_s": 30.0}, site,
                                {"hours", "period_s", "low_s"})
    # the bound, by the generator itself: at the worst seeds the first return comes close to 2,760 s, never after
    from dcplan.cooling_lag_headline import load_returns
    first = []
    for seed in range(200):
        it = thermal.training_load_kw("2025-07-15", 2761, peak_kw=1000.0, period_s=1800.0, low_s=600.0, seed=seed)
        assert load_returns(it) >= 1, seed
        first.append(int(np.argmax(np.diff(it.to_numpy()) > 0.5 * 1000.0)) + 1)
    assert 2600 < max(first) <= 2760
