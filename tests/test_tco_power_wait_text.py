"""The TCO's sentence on GPUs waiting for grid power says how many are still waiting at the horizon (a
verifier: "up to 4,985 GPUs for 108 months (...; not powered within the horizon)" read as ~5,000 GPUs
unpowered for nine years, where 755 were after a 7-month peak)."""
from __future__ import annotations

import math
import re

import yaml

from conftest import bundled_site_copy, run_cells_until


def test_a_stretch_to_the_horizon_says_how_many_still_wait(tmp_path, monkeypatch):
    # northern-virginia (128 GB200 NVL72 racks, 9,216 GPUs) on a 17 MW contract in two 8.5 MW phases: the
    # verifier's case; interconnection's gpus_never_powered is 792 there (11 whole racks; dcplan.design_hours)
    site = bundled_site_copy(tmp_path, "northern-virginia", "nv17", name="Northern Virginia (17 MW)",
                             interconnection={"requested_mw": 17, "phases": [
                                 {"energized": "2027-01-01", "mw": 8.5}, {"energized": "2028-07-01", "mw": 8.5}]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "t", "sites": [str(site)]}))
    ns, _ = run_cells_until("tco", "wait_note = tco_ramp.power_wait_note", monkeypatch, site="nv17",
                            portfolio=str(pf))
    from dcplan import design_hours
    note = ns["wait_note"]
    last = re.search(r"up to ([0-9,]+) GPUs for (\d+) months \([^;]+; ([0-9,]+) of them still waiting at its end, "
                     r"not powered within the horizon\)", note)
    assert last, note
    peak, still = (int(x.replace(",", "")) for x in (last.group(1), last.group(3)))
    assert still < peak
    # the GPUs still waiting at the horizon are those the full contract never powers (by hand: 9,216 GPUs
    # at the worst hour's kW per GPU against 17,000 kW, in whole 72-GPU NVL72 racks: 17,000 / (72 x 2.0076) =
    # 117.6, 117 racks powered, 11 racks = 792 GPUs waiting), to the GPU
    y = ns["y"]
    worst = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, ns["spec"].cooling)
    kw = worst["facility_kw"] / 9216
    assert still == 9216 - 72 * math.floor(17000 / (72 * kw)) == 792
