"""The off-peak notebook's ``utilisation_frac`` is the job mix's fill of the flexible share, not the
fleet's utilisation: what the not-applicable reason offers and what the figures then say.

A site at fleet.utilisation_frac 0.5 (10 x GB200 NVL72, "Sand Point") was n/a at the defaults (the
must-run share is 0.5) with the hint "pass -p flex_share_frac above 0.5, or -p utilisation_frac in
(0, 1], to run it". ``-p utilisation_frac 0.5`` (the site's own value) then scheduled a fleet at
1 - 0.5 + 0.5 x 0.5 = 0.75, 21 % more IT than the site's, and headlined a 90 k USD/year saving with
nothing in the headline or the index saying that fleet was not the site's. The parameter keeps its
documented meaning (the notebook's parameter comment and Utilisation paragraph, this module's
docstring); the reason now says what each way out schedules, and every figure of the schedules says
when their fleet is not the site's.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from dcplan import offpeak_params, pipeline
from dcplan.report import render
from dcplan.site import load_portfolio

DEFAULTS = {"flex_share_frac": 0.5, "utilisation_frac": -1.0, "n_jobs": 200, "n_nonpreemptible": 20,
            "week_start": ""}
# the fleet at must-run 0.5 + 0.5 x 0.5 = 0.75 (hand), against the site's 0.5
NOTE_075 = ("NOT the site's fleet: a fleet at 0.75 (must-run 0.5 + flex_share_frac 0.5 x utilisation_frac 0.5, the "
            "job mix's fill of the flexible share), the site's fleet.utilisation_frac is 0.5")


def _site(util):
    return SimpleNamespace(id="sand-point-ak", fleet=SimpleNamespace(utilisation_frac=util),
                           weather=SimpleNamespace(year=2025))


def test_the_reason_says_which_way_out_keeps_the_sites_fleet():
    why = offpeak_params.precheck(DEFAULTS, _site(0.5), set())
    assert why == (
        "site 'sand-point-ak': its fleet.utilisation_frac 0.5 leaves no flexible work above the notebook's default "
        "must-run share (1 - flex_share_frac = 0.5) to schedule; pass -p flex_share_frac above 0.5 to run it at the "
        "site's fleet.utilisation_frac, or -p utilisation_frac X in (0, 1] to schedule a fleet that is not the "
        "site's (X is the job mix's fill of the flexible share: the fleet then runs at 0.5 + 0.5 x X, above the "
        "site's fleet.utilisation_frac 0.5, and its figures say so)")


@pytest.mark.parametrize("params,site_util,fleet,note", [
    ({"utilisation_frac": 0.5}, 0.5, 0.75, NOTE_075),  # the tester's run: 0.5 + 0.5 x 0.5
    ({"flex_share_frac": 0.6}, 0.5, 0.5, ""),  # the way that keeps the site's fleet: fill (0.5 - 0.4) / 0.6
    ({"utilisation_frac": 0.6}, 0.8, 0.8, ""),  # a fill that gives the site's share: 0.5 + 0.5 x 0.6 = 0.8
    ({"utilisation_frac": 0.2}, 0.8, 0.6, "NOT the site's fleet: a fleet at 0.6 (must-run 0.5 + flex_share_frac 0.5 "
     "x utilisation_frac 0.2, the job mix's fill of the flexible share), the site's fleet.utilisation_frac is 0.8"),
])
def test_the_setup_names_the_fleet_the_schedules_are_of(params, site_util, fleet, note):
    s = offpeak_params.check({**DEFAULTS, **params}, _site(site_util))
    assert s.fleet_frac == pytest.approx(fleet, abs=1e-12)
    assert s.fleet_note == note


@pytest.mark.slow
def test_a_fill_that_is_not_the_sites_fleet_says_so_in_the_headline(tmp_path):
    from conftest import bundled_site_copy
    weeks = 2
    site = bundled_site_copy(tmp_path, "phoenix-az", "sand-point-ak", fleet={"utilisation_frac": 0.5})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: one site\nsites:\n  - {site}\n")
    s = render(portfolio=pf, notebooks=["offpeak_scheduling"], out=tmp_path / "r", jobs=1, progress=False,
               parameters={"utilisation_frac": 0.5, "rolling_weeks": weeks})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "r" / "sand-point-ak" / "offpeak_scheduling" / "results.json").read_text())
    res = res["results"]
    # every headline figure of the schedules says their fleet is not the site's; the site's own do not
    # (the saving vs run-ASAP and its share left the headline: an upper bound, run-ASAP weighing neither price nor peak)
    for key in ("rolling_saving_vs_greedy_usd", "rolling_asap_bill_usd"):
        assert res[key]["headline"] and res[key]["label"].endswith(f" [{NOTE_075}]"), key
    for key in ("rolling_saving_vs_asap_usd", "rolling_saving_frac", "week_saving_vs_asap_usd",
                "week_bill_optimized_usd", "scheduled_it_mwh"):
        assert res[key]["label"].endswith(f" [{NOTE_075}]"), key
    for key in ("site_bill_same_weeks_usd", "site_it_mwh_same_weeks"):
        assert "NOT the site's fleet" not in res[key]["label"], key
    # the headline's order: the gain over greedy (like for like) first, then the saving against the site's bill, whose
    # two bills are of different load models (a verifier, 2026; before: vs-site usd, vs-site frac, then vs greedy).
    # Here the schedules are of another fleet than the site's, so the vs-site figures are n/a, labels kept
    heads = [k for k, r in res.items() if r["headline"]]
    assert heads[:3] == ["rolling_saving_vs_greedy_usd", "rolling_saving_vs_site_usd", "rolling_saving_vs_site_frac"]
    for key in ("rolling_saving_vs_site_usd", "rolling_saving_vs_site_frac"):
        assert res[key]["value"].startswith("n/a: the schedules are not of the site's fleet"), key
        assert "the two bills are of different load models" in res[key]["label"], key
        assert res[key]["label"].endswith(f" [{NOTE_075}]"), key
    # the index shows the headline labels whole; the terminal summary (short labels, dcplan.report_summary) keeps
    # the caveat's head (before: the whole NOTE_075, on lines of several hundred characters)
    assert "[NOT the site's fleet]" in s.table()
    assert NOTE_075.replace("'", "&#x27;") in (tmp_path / "r" / "index.html").read_text()
    # and the note is true: the fleet runs at 0.75, so its IT is (0.75 + 0.25 i) of the design IT's energy over
    # the weeks (hand: must-run 0.5, the flexible half's idle 0.5 i, jobs 0.5 x 0.5 x (1 - i); rel 3 %: jobs
    # whose deadline falls after the last week are left out), with i the hgx-b200 racks' idle share (data/
    # hardware.csv: 16.35 kW of 60.275 kW a rack, tests/test_offpeak_site_basis.py)
    i = 16.35 / 60.275
    assert res["idle_frac"]["value"] == pytest.approx(i, rel=1e-12)
    spec = load_portfolio(pf)["sand-point-ak"]
    design_it_kw = pipeline.run_site_year(spec).design_it_kw
    hours = weeks * 7 * 24
    assert res["scheduled_it_mwh"]["value"] == pytest.approx((0.75 + 0.25 * i) * design_it_kw * hours / 1000,
                                                             rel=0.03)
    # and the IT gap says how much of it is that fleet: 0.25 (1 - i) x design IT x hours above the site's, 0.5
    assert "a fleet other than the site's (utilisation_frac) +" in res["scheduled_it_vs_site_frac"]["label"]
