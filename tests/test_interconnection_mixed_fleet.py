"""The interconnection notebook says when its ramp counts a mixed fleet at one average kW per GPU (a campus
planner: H100, B200 and GB200 halls; the tco notebook now powers each hall at its own kW, oldest first)."""
from __future__ import annotations

import re

import yaml

from conftest import bundled_site_copy, run_cells_until


def test_a_mixed_fleet_gets_the_average_kw_note(tmp_path, monkeypatch):
    site = bundled_site_copy(tmp_path, "phoenix-az", "mixed", cooling={"type": "liquid", "liquid_class": "W32"},
                             fleet={"phases": [{"hardware": "hgx-h100", "count": 128, "start": "2026-10-01"},
                                               {"hardware": "gb200-nvl72", "count": 8, "start": "2027-10-01"}]},
                             interconnection={"requested_mw": 12, "phases": [{"energized": "2026-09-01", "mw": 12}]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "t", "sites": [str(site)]}))
    ns, _ = run_cells_until("interconnection", 'publish({"gpus_never_powered"', monkeypatch, site="mixed",
                            portfolio=str(pf))
    note = ns["mixed_note"]
    m = dict((k, float(v)) for k, v in re.findall(r"(hgx-h100|gb200-nvl72) ([0-9.]+)", note))
    assert set(m) == {"hgx-h100", "gb200-nvl72"}
    # the hardware figures, weighted by their GPUs (128 x 8 H100s, 8 x 72 GB200s), add up to the average's total
    # (the worst hour's facility power over all GPUs), to the 3 decimals printed
    n = {"hgx-h100": 128 * 8, "gb200-nvl72": 8 * 72}
    avg = ns["kw_per_gpu"]
    assert abs(sum(m[k] * n[k] for k in n) - avg * sum(n.values())) <= 0.0005 * sum(n.values())
    assert f"the fleet's average {avg:.3f} kW" in note and "oldest first" in note


def test_a_one_hardware_fleet_gets_none(monkeypatch):
    ns, _ = run_cells_until("interconnection", 'publish({"gpus_never_powered"', monkeypatch, site="phoenix-az")
    assert ns["mixed_note"] == ""
