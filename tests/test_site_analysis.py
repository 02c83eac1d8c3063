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


@pytest.mark.slow
def test_site_analysis_counts_a_leap_years_hours(tmp_path):
    """With weather.year 2024 the pipeline has 8,784 hours: GPU-hours counted them but tokens used
    8,760 (per-million-token figures 0.27 % high) and the peer ranking divided by n x 8,760."""
    import yaml
    from conftest import DATA
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["tariff"]["file"] = str(DATA / d["tariff"]["file"])
    d["weather"]["year"] = 2024
    d["id"] = "leap"
    (tmp_path / "leap.yaml").write_text(yaml.safe_dump(d, sort_keys=False))
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [leap.yaml, {DATA / 'sites' / 'chicago-il.yaml'}]\n")
    s = render(portfolio=pf, sites=["leap"], notebooks=["site_analysis"], out=tmp_path / "r", jobs=1, progress=False)
    assert s.ok, s.table()
    res = _results(tmp_path / "r", "leap", "site_analysis")
    # phoenix-az.yaml: 384 HGX B200 x 8 GPUs (data/hardware.csv) at 60 %; 2024: 366 d x 24 h = 8,784 h;
    # H100 example throughput (MLPerf Inference v4.1 Llama-2-70B offline, 24,528.3 tokens/s per 8 GPUs)
    assert res["n_accelerators"]["value"] == 384 * 8
    gpu_h = 3072 * 8784
    tokens_m = 0.6 * 3072 * (24528.3 / 8) * 3600 * 8784 / 1e6
    fac_kwh, bill = res["facility_mwh"]["value"] * 1000, res["bill_usd"]["value"]
    assert res["facility_kwh_per_gpu_h"]["value"] == pytest.approx(fac_kwh / gpu_h, rel=1e-12)
    assert res["facility_kwh_per_m_tokens"]["value"] == pytest.approx(fac_kwh / tokens_m, rel=1e-12)
    assert res["electricity_usd_per_m_tokens"]["value"] == pytest.approx(bill / tokens_m, rel=1e-12)
    # the verdict's peer ranking: 4 significant figures (rounding <= 0.5 in 5,000), the 8,760 h error 0.27 %
    m = re.search(r"electricity ([0-9.]+) USD per million tokens \(rank (\d) of 2; ([0-9.]+) USD per installed "
                  r"GPU-hour\)", res["verdict"]["value"])
    assert m, res["verdict"]["value"]
    assert float(m.group(1)) == pytest.approx(bill / tokens_m, rel=4e-4)
    assert m.group(3) == f"{bill / gpu_h:.3f}"
