"""The rack_power notebook's per-GPU cap against the site's hardware (dcplan.power_params).

The tester: ``-p cap_w_per_accelerator 50`` (below the H100's 70 W idle, data/hardware.csv
accelerator_idle_w) passed render's checks and failed in the notebook's setup cell. Now render
refuses it before any run (exit 2), and the notebook's parameter cell refuses it before anything
is computed.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dcplan import power_params
from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report_params import notebook_precheck
from dcplan.report_plan import plan_runs
from dcplan.site import load_portfolio

NB = Path(__file__).resolve().parent.parent / "notebooks" / "rack_power.ipynb"
H100_FLOOR = ("50 W is below the idle power of this fleet's accelerators: 'hgx-h100' idles at 70 W per accelerator "
              "(data/hardware.csv accelerator_idle_w); allowed: at least 70 W, the fleet's idle floor (TDP 700 W)")


def test_the_notebook_names_the_precheck_and_calls_the_check_in_its_parameter_cell():
    assert notebook_precheck(NB) is power_params.precheck
    code = [("".join(c["source"])) for c in json.loads(NB.read_text())["cells"] if c["cell_type"] == "code"]
    assert "power_params.check(globals(), spec)" in code[2]   # right after the parameters' own check


def test_render_refuses_a_cap_below_the_sites_gpu_idle_before_any_run():
    with pytest.raises(InputError, match=re.escape(f"-p cap_w_per_accelerator: site 'research-triangle-nc': "
                                                   f"{H100_FLOOR}")):
        plan_runs(None, sites=["research-triangle-nc"], notebooks=["rack_power"],
                  parameters={"cap_w_per_accelerator": 50.0})
    # cap_tdp_frac 0.05 x the B200's 1,000 W TDP = 50 W, below its 140 W idle
    with pytest.raises(InputError, match=re.escape("-p cap_tdp_frac: site 'phoenix-az': 0.05 gives 50 W per GPU: 50 W "
                                                   "is below the idle power of this fleet's accelerators: 'hgx-b200' "
                                                   "idles at 140 W")):
        plan_runs(None, sites=["phoenix-az"], notebooks=["rack_power"], parameters={"cap_tdp_frac": 0.05})
    # at the idle floor it plans; the defaults (0.8 x each site's main TDP) plan for every bundled site
    assert plan_runs(None, sites=["research-triangle-nc"], notebooks=["rack_power"],
                     parameters={"cap_w_per_accelerator": 70.0})
    assert len(plan_runs(None, notebooks=["rack_power"])) == 4


def test_cli_exit_2(tmp_path, capsys):
    assert main(["render", "--sites", "research-triangle-nc", "--notebooks", "rack_power", "-p",
                 "cap_w_per_accelerator", "50", "--out", str(tmp_path / "r"), "-q"]) == 2
    assert H100_FLOOR in capsys.readouterr().err
    assert not (tmp_path / "r" / "research-triangle-nc").exists()


def test_the_notebook_check_returns_the_cap_compared():
    pf = load_portfolio()
    defaults = {"cap_w_per_accelerator": -1.0, "cap_tdp_frac": 0.8}
    assert power_params.check(defaults, pf["northern-virginia"]) == pytest.approx(960.0, rel=1e-12)  # 0.8 x 1,200 W
    assert power_params.check({**defaults, "cap_w_per_accelerator": 600.0}, pf["phoenix-az"]) == 600.0
    with pytest.raises(InputError, match=re.escape(f"cap_w_per_accelerator: {H100_FLOOR}")):
        power_params.check({**defaults, "cap_w_per_accelerator": 50.0}, pf["research-triangle-nc"])
