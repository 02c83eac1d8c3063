"""Generated notebooks: each committed notebook is exactly what its builder in tools/ writes.

Three builders had fallen behind edits made to their notebooks (offpeak_scheduling's mix-misfit advice,
portfolio_sweep's Pareto-front and no-cost labels, site_analysis's precheck), so a rebuild would silently have
dropped those fixes. (tools/build_tco.py: tests/test_tco_notebook.py.)"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# builders on tools/nbtools.write, which writes notebooks/<name>.ipynb under the working folder
NBTOOLS_BUILT = ["interconnection", "portfolio_comparison", "portfolio_sweep", "site_analysis", "site_climate"]


@pytest.mark.parametrize("name", NBTOOLS_BUILT)
def test_the_committed_notebook_is_its_builders_output(tmp_path, name):
    (tmp_path / "notebooks").mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-m", f"tools.build_{name}"], cwd=tmp_path, env=env, check=True,
                   capture_output=True)
    built = (tmp_path / "notebooks" / f"{name}.ipynb").read_bytes()
    assert built == (ROOT / "notebooks" / f"{name}.ipynb").read_bytes(), f"run python -m tools.build_{name}"


def test_the_offpeak_notebook_is_its_builders_output(tmp_path):
    subprocess.run([sys.executable, "tools/build_offpeak_scheduling.py", str(tmp_path / "o.ipynb")], cwd=ROOT,
                   check=True, capture_output=True)
    assert (tmp_path / "o.ipynb").read_bytes() == (ROOT / "notebooks" / "offpeak_scheduling.ipynb").read_bytes()
