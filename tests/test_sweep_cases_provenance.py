"""A finance reviewer's finding (bundled render): the TCO workbook and site_analysis's exports say which render run
wrote them (dcplan's commit and source digest, the inputs' SHA-256), but portfolio_sweep's
``portfolio_sweep_cases.csv``, pasted into the same committee pack, did not. In a render run it now ends with a
``provenance`` column (dcplan.report_provenance.with_provenance, as the sustainability CSV's); outside render it
has none. The notebook's own export code is run here, on a small case table."""
from __future__ import annotations

import json
import textwrap

import pandas as pd

from conftest import ROOT
from dcplan.report_params import NOTEBOOK_ENV
from dcplan.report_provenance import PROVENANCE_ENV, run_record, write_record

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _export_block() -> str:
    """The ``if export_dir:`` block of the notebook's cell that writes the cases CSV."""
    nb = json.loads((ROOT / "notebooks" / "portfolio_sweep.ipynb").read_text())
    src = next("".join(c["source"]) for c in nb["cells"]
               if c["cell_type"] == "code" and '"portfolio_sweep_cases.csv"' in "".join(c["source"]))
    lines = src.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("if export_dir:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith(" "))
    return "\n".join(lines[start:end])


def _run(folder) -> pd.DataFrame:
    cases = pd.DataFrame({"case_id": ["c1", "c2"], "site": ["phoenix-az", "chicago-il"], "pareto": [True, False]})
    exec(textwrap.dedent(_export_block()), {"cases": cases, "export_dir": str(folder)})
    return pd.read_csv(folder / "portfolio_sweep_cases.csv", encoding="utf-8-sig")


def test_the_sweep_cases_csv_says_which_render_run_wrote_it(tmp_path, monkeypatch):
    monkeypatch.setenv(NOTEBOOK_ENV, str(ROOT / "notebooks" / "portfolio_sweep.ipynb"))  # as render runs it
    prov = {"dcplan_version": "9.9.9", "git_commit": COMMIT, "dcplan_source_sha256": "f" * 64,
            "inputs": {"portfolio": "/x/portfolio.yaml"}, "inputs_sha256": {"portfolio": "a" * 64}}
    record = run_record(prov, {}, "2026-01-02T03:04:05+00:00", cwd=str(tmp_path))
    monkeypatch.setenv(PROVENANCE_ENV, str(write_record(record, tmp_path / "record.json")))
    back = _run(tmp_path / "in-render")
    assert list(back.columns) == ["case_id", "site", "pareto", "provenance"]
    line = back.loc[0, "provenance"]
    assert line.startswith(f"dcplan 9.9.9, git commit {COMMIT}, source ffffffffffff; run started "
                           "2026-01-02T03:04:05+00:00 (UTC)"), line
    assert "portfolio /x/portfolio.yaml (aaaaaaaaaaaa)" in line and back["provenance"].nunique() == 1
    monkeypatch.delenv(PROVENANCE_ENV)  # outside render: no record, no column
    assert list(_run(tmp_path / "outside").columns) == ["case_id", "site", "pareto"]
