"""Site analysis and portfolio comparison notebooks (issue 7): published = direct calls; orderings."""
from __future__ import annotations

import json
import re

import pytest

from dcplan import pipeline
from dcplan.report import render
from dcplan.results import format_value
from dcplan.site import load_portfolio

# Like-for-like: every site on the same reference plant (waterless W45 dry cooler, the class LBNL
# 2024 assumes for AI liquid cooling), so the comparison isolates climate. With each site's own
# plant the ordering would compare plant types, not climates (an air hall always has a higher PUE
# than a liquid one; an evaporative tower barely derates in dry Phoenix air).
REFERENCE = "liquid-w45-dry"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    s = render(notebooks=["site_analysis", "portfolio_comparison"], out=out, jobs=2, progress=False,
               parameters={"cooling": REFERENCE})
    assert s.ok, s.table()
    return out


def _results(out, folder, nb):
    return json.loads((out / folder / nb / "results.json").read_text())["results"]


@pytest.mark.slow
def test_published_values_equal_direct_pipeline_calls(rendered):
    for site in load_portfolio():
        res = _results(rendered, site.id, "site_analysis")
        direct = pipeline.case_figures(pipeline.with_reference_plant(site, REFERENCE))
        for key in ("annual_pue", "free_cooling_h", "derate_h", "facility_mwh", "bill_usd", "demand_usd",
                    "time_to_power_median_months", "pv_mwh", "n_accelerators"):
            assert res[key]["value"] == pytest.approx(direct[key], rel=1e-12), (site.id, key)
        assert res["verdict"]["value"].startswith(site.name)


@pytest.mark.slow
def test_climate_orderings_on_a_common_plant(rendered):
    got = {s.id: _results(rendered, s.id, "site_analysis") for s in load_portfolio()}
    pue = {k: v["annual_pue"]["value"] for k, v in got.items()}
    free = {k: v["free_cooling_h"]["value"] for k, v in got.items()}
    derate = {k: v["derate_h"]["value"] for k, v in got.items()}
    # Chicago (coolest: TMY3 mean 10.0 °C) lowest PUE, most free cooling; Phoenix (hottest: 23.8 °C)
    # highest PUE and most derate hours
    assert min(pue, key=pue.get) == "chicago-il"
    assert max(free, key=free.get) == "chicago-il"
    assert max(pue, key=pue.get) == "phoenix-az"
    assert max(derate, key=derate.get) == "phoenix-az" and derate["phoenix-az"] > 0


@pytest.mark.slow
def test_numbers_in_html_equal_results_json(rendered):
    for folder, nb in [("phoenix-az", "site_analysis"), ("_portfolio", "portfolio_comparison")]:
        html = (rendered / folder / nb / "report.html").read_text()
        shown = dict(re.findall(r"data-key=[\"']([^\"']+)[\"']>([^<]*)<", html))
        res = _results(rendered, folder, nb)
        assert set(res) <= set(shown)
        for k, r in res.items():
            import html as h
            assert h.unescape(shown[k]) == format_value(r["value"], r["unit"]), k


@pytest.mark.slow
def test_portfolio_comparison_runs_once_and_shows_on_index(rendered):
    res = _results(rendered, "_portfolio", "portfolio_comparison")
    names = {s.name for s in load_portfolio()}
    assert res["best_site"]["value"] in names
    scores = {k.split(".")[0]: r["value"] for k, r in res.items() if k.endswith(".score")}
    assert len(scores) == 4 and min(scores.values()) == pytest.approx(res["best_site_score"]["value"])
    index = (rendered / "index.html").read_text()
    assert "portfolio_comparison" in index and res["best_site"]["value"] in index
    assert not (rendered / "phoenix-az" / "portfolio_comparison").exists()
