"""``-p cooling air`` on a portfolio with a liquid-only fleet: the site whose fleet the air plant cannot cool is
not applicable, saying why, and the other sites render (its run failed in the notebook's set-up cell, and the
render exited 1)."""
from __future__ import annotations

from dcplan.report_plan import plan_runs
from dcplan.site import load_portfolio
from dcplan.site_analysis_params import plant_problem

NOVA_AIR = ("site 'northern-virginia': the reference plant 'air' cannot cool its fleet ('gb200-nvl72' is "
            "liquid-cooled only); allowed for this site: liquid-w32-tower, liquid-w45-dry")


def test_the_air_plant_cannot_cool_a_liquid_only_fleet():
    sites = {s.id: s for s in load_portfolio().sites}
    # data/hardware.csv: gb200-nvl72 cooling liquid (Northern Virginia); the other three fleets are HGX servers
    assert plant_problem(sites["northern-virginia"], "air") == NOVA_AIR
    for key in ("site", "", "liquid-w32-tower", "liquid-w45-dry"):
        assert plant_problem(sites["northern-virginia"], key) is None
    for sid in ("research-triangle-nc", "phoenix-az", "chicago-il"):
        assert plant_problem(sites[sid], "air") is None


def test_render_plans_the_site_as_not_applicable_and_the_others_as_runs(tmp_path):
    runs = {r.site_id: r for r in plan_runs(None, notebooks=["site_analysis"], out=tmp_path,
                                             parameters={"cooling": "air"})}
    assert runs["northern-virginia"].not_applicable == f"-p cooling air: {NOVA_AIR}"
    assert [sid for sid, r in runs.items() if r.not_applicable is None] == ["research-triangle-nc", "phoenix-az",
                                                                           "chicago-il"]
    # a liquid plant cools every fleet; without -p cooling nothing is checked
    for given in ({"cooling": "liquid-w32-tower"}, {}):
        runs = plan_runs(None, notebooks=["site_analysis"], out=tmp_path, parameters=given)
        assert [r.not_applicable for r in runs] == [None] * 4
