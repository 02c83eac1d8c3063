"""The interconnection notebook on capacity that cannot cover the load: a battery that cannot
recharge is no sizing, and a contract below the fleet's design power strands GPUs for good.

Hand criteria: a battery recharged only under the limit cannot, over a repeating year, give more
energy than the room under the limit lets it take back (energy over > room under => no battery
works, whatever the round-trip efficiency <= 1); a contract of C MW powers floor(1,000 C / kW per
GPU) GPUs at design.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dcplan.report import render

from conftest import bundled_site_copy, run_outputs


_nb = run_outputs  # a run's results, printed text and tables (tests/conftest.py)


def _capacity_table(tables: list[str]) -> pd.DataFrame:
    """The capacity-check table from its HTML (the standard library's regex, no lxml)."""
    import html
    import re
    t = next(t for t in tables if "hours_over_h" in t and "battery_usable_kwh" in t)
    rows = [[html.unescape(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", t, re.S)]
    head, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]
    return pd.DataFrame([r[1:] for r in body], index=[r[0] for r in body], columns=head[1:])


@pytest.mark.slow
def test_a_battery_that_cannot_recharge_is_not_sized_and_a_short_contract_strands_gpus(tmp_path):
    from dcplan import pipeline
    from dcplan.site import load_site
    # Phoenix, its 10 MW request cut to 2 MW (one 2 MW phase)
    short = bundled_site_copy(tmp_path, "phoenix-az", "short", interconnection={
        "requested_mw": 2, "phases": [{"energized": "2026-09-01", "mw": 2}]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{short}]\n")
    s = render(portfolio=pf, notebooks=["interconnection"], out=tmp_path / "r", jobs=1, progress=False)
    assert s.ok, s.table()
    res, printed, tables = _nb(tmp_path / "r" / "short" / "interconnection")
    # stranded for good: the GPUs beyond the whole units (racks or servers, gpus_per_unit) 2,000 kW powers
    gpus, kw, u = res["gpus"]["value"], res["kw_per_gpu"]["value"], res["gpus_per_unit"]["value"]
    want = gpus - u * math.floor(2000.0 / (u * kw))
    assert want > 0
    assert res["gpus_never_powered"]["value"] == want
    assert f"{want:,} GPUs are never powered" in printed
    # a shortfall, not a wait: left out of the stranded GPU-months and the cost of waiting (grid_waiting)
    assert (f"The {want:,} GPUs the contracted capacity never powers are left out of the stranded GPU-months and the "
            "cost of waiting: a capacity shortfall (gpus_never_powered), not a wait") in printed
    # the battery: energy over 2 MW in the year against the room under it (hand criterion)
    load = pipeline.run_site_year(load_site(short)).facility_kw.to_numpy()
    over, room = np.maximum(load - 2000.0, 0).sum(), np.maximum(2000.0 - load, 0).sum()
    assert over > room
    row = _capacity_table(tables).loc["full build-out vs phase 1 (2 MW), facility"]
    assert row["battery"].startswith("infeasible")
    assert row["battery_kw"] == row["battery_usable_kwh"] == row["battery_nameplate_kwh"] == "NaN"
    # the line says it with the excess's kW and hours, as a feasible battery's line does (it gave only the reason)
    excess = np.maximum(load - 2000.0, 0)
    assert ("The battery for the full build-out's excess (the whole fleet's load against each stage, not the fleet "
            "installed by then):") in printed
    assert (f"Battery in full build-out vs phase 1 (2 MW), facility: no practical battery for {excess.max():,.0f} kW "
            f"over at peak in the {(excess > 0).sum():,.0f} h over ({excess.sum() / 1000:,.1f} MWh in the year): too "
            "little room under the limit to recharge what it draws") in printed
    # the first stage's hours are the full build-out's, and the label says so
    assert res["hours_over_first_stage_h"]["value"] == float((load > 2000.0 + 1e-9).sum())
    assert "full build-out" in res["hours_over_first_stage_h"]["label"]


@pytest.mark.slow
def test_a_contract_that_covers_the_fleet_strands_none(tmp_path):
    # the bundled Phoenix site: 10 MW against its design facility power (kW per GPU x GPUs)
    s = render(sites=["phoenix-az"], notebooks=["interconnection"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    res, printed, tables = _nb(tmp_path / "phoenix-az" / "interconnection")
    gpus, kw = res["gpus"]["value"], res["kw_per_gpu"]["value"]
    assert gpus * kw <= 10_000.0
    assert res["gpus_never_powered"]["value"] == 0
    assert "never powered" not in printed
    t = _capacity_table(tables)
    # no hour over 10 MW: no battery needed, said so (the column said "feasible", for a 0 kW battery)
    none = t[t["battery"] == "none needed: no hour over"]
    assert len(none) == len(t) and (none["battery_usable_kwh"].astype(float) == 0).all()
    assert ("No battery needed in: full build-out vs phase 1 (10 MW), facility; full build-out vs phase 1 (10 MW), "
            "with PV (the full build-out's load is within the stage's capacity in every hour).") in printed
    # no site battery: the default window, 0-1, so the nameplate is the usable energy
    assert (none["battery_nameplate_kwh"] == none["battery_usable_kwh"]).all()
    assert "the nameplate for the state-of-charge window 0-1 (the default: the site file has no battery)" in printed
