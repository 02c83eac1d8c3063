"""A verifier's finding 3: a ``battery.target: bill`` site that ``dcplan validate`` refuses (no tariff; a
tariff with a demand ratchet) was still executed by render: each notebook started a kernel and failed at
its fourth cell. Render now refuses it up front as bad input (:func:`dcplan.report_plan.site_file_problems`),
naming the site file and ``interconnection.battery.target``, as it refuses a bad weather file."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import bundled_site_copy
from dcplan.report_plan import plan_runs, site_file_problems
from dcplan.site import SiteError, load_portfolio

BILL = {"battery": {"power_mw": 2, "energy_mwh": 4, "target": "bill"}}
ALLOWED = ("allowed: a tariff whose energy and demand rates have one tier each (or tiers of one rate), without "
           "demand ratchets, coincident-peak or 4CP charges, with a demand window no longer than the load step. "
           "Use target: demand (each month's all-hours peak shaved) for this tariff")


def _sites(tmp_path) -> tuple[Path, Path, Path, Path]:
    """(good, no tariff, ratchet, the ratchet's tariff file): Phoenix copies with a 2 MW / 4 MWh target: bill
    battery, on APS E-32 TOU L (the LP prices it), with no tariff: section, and on APS E-32 TOU L with an
    80 % demand ratchet over 11 months (the LP cannot price it)."""
    good = bundled_site_copy(tmp_path, "phoenix-az", "phx-bill", interconnection=BILL)
    d = yaml.safe_load(good.read_text())
    d.pop("tariff")
    d["id"], d["name"] = "phx-no-tariff", "Phoenix, AZ (no tariff)"
    none = tmp_path / "phx-no-tariff.yaml"
    none.write_text(yaml.safe_dump(d, sort_keys=False))
    d = yaml.safe_load(good.read_text())
    urdb = json.loads(Path(d["tariff"]["file"]).read_text())
    urdb["demandratchetpercentage"] = [0.8] * 12
    rfile = tmp_path / "ratchet.json"
    rfile.write_text(json.dumps(urdb))
    d["tariff"]["file"] = str(rfile)
    d["id"], d["name"] = "phx-ratchet", "Phoenix, AZ (ratchet)"
    ratchet = tmp_path / "phx-ratchet.yaml"
    ratchet.write_text(yaml.safe_dump(d, sort_keys=False))
    return good, none, ratchet, rfile


def _portfolio(tmp_path, *files) -> Path:
    pf = tmp_path / "pf.yaml"
    pf.write_text(yaml.safe_dump({"name": "t", "sites": [str(f) for f in files]}))
    return pf


def test_site_file_problems_refuses_a_bill_target_the_tariff_cannot_run(tmp_path):
    good, none, ratchet, rfile = _sites(tmp_path)
    pf = load_portfolio(_portfolio(tmp_path, good, none, ratchet))
    bad = site_file_problems(pf.sites)
    assert set(bad) == {"phx-no-tariff", "phx-ratchet"}   # the APS site itself is fine
    assert str(bad["phx-no-tariff"]) == (
        f"{none}: interconnection.battery.target: target: bill prices the battery's dispatch on the site's tariff, "
        "and this site has no tariff: section; allowed: a tariff: section, or target: demand or contract")
    # the tariff named by its label and, the site's file being known, by its file (data/tariffs/aps-az-e32-tou-l.json)
    assert str(bad["phx-ratchet"]) == (
        f"{ratchet}: interconnection.battery.target: target: bill dispatches the battery with a linear program, "
        "which cannot price the demand ratchet (a month's billing demand set by earlier months' peaks) of the tariff "
        f"'dcplan-aps-az-e32-tou-l' (tariff.file {rfile}) exactly; " + ALLOWED)


def test_render_plan_refuses_the_bill_site_up_front_and_runs_the_good_one(tmp_path):
    """The interconnection notebook dispatches the battery: the bad site's run is refused as bad input (not
    executed), the good site's is planned as usual."""
    good, none, _, _ = _sites(tmp_path)
    runs = plan_runs(_portfolio(tmp_path, good, none), notebooks=["interconnection"], out=tmp_path / "out")
    by_site = {r.site_id: r for r in runs}
    assert by_site["phx-bill"].bad_input is None
    assert by_site["phx-no-tariff"].bad_input.startswith(
        f"{none}: interconnection.battery.target: target: bill prices the battery's dispatch on the site's tariff")
    # one site, and it is bad: an input error before any run (render exits 2), as for a bad weather file
    with pytest.raises(SiteError, match=r"interconnection\.battery\.target: target: bill prices"):
        plan_runs(_portfolio(tmp_path, none), notebooks=["interconnection"], out=tmp_path / "out2")
