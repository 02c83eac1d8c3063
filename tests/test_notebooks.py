"""Every notebook: committed stripped, parameters tagged, and renders through `dcplan render`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dcplan.report import notebook_parameters, notebook_scope, render

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if not p.name.startswith("_"))


def test_there_are_notebooks():
    assert any(p.name == "site_climate.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_stripped_with_tagged_parameters(nb):
    doc = json.loads(nb.read_text())
    code = [c for c in doc["cells"] if c["cell_type"] == "code"]
    assert code, "no code cells"
    for c in code:
        assert not c.get("outputs"), f"{nb.name}: cell has outputs; run nbstripout"
        assert c.get("execution_count") is None, f"{nb.name}: cell has an execution count"
    assert "parameters" in code[0].get("metadata", {}).get("tags", []), "first code cell must be tagged"
    declared = notebook_parameters(nb)
    assert "portfolio" in declared
    if notebook_scope(nb) == "site":
        assert "site" in declared


@pytest.mark.slow
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_renders_for_one_site(nb, tmp_path):
    # same code path as `dcplan render`: plan, papermill with injected parameters, HTML, results.json
    s = render(sites=["phoenix-az"], notebooks=[nb.stem], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    folder = (tmp_path / ("_portfolio" if notebook_scope(nb) == "portfolio" else "phoenix-az") / nb.stem)
    doc = json.loads((folder / "results.json").read_text())
    assert doc["results"], "notebook published no figures"
    assert (folder / "report.html").stat().st_size > 1000
    # executed notebooks stay small
    assert (folder / "notebook.ipynb").stat().st_size < 2_000_000
    assert (tmp_path / "index.html").is_file()


@pytest.mark.slow
def test_site_climate_published_values_equal_direct_calls(tmp_path):
    from dcplan import weather as wx
    from dcplan.site import load_site
    s = render(sites=["phoenix-az"], notebooks=["site_climate"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    res = json.loads((tmp_path / "phoenix-az" / "site_climate" / "results.json").read_text())["results"]
    w = wx.load_site_weather(load_site("phoenix-az"))
    assert res["temp_air_max_degc"]["value"] == pytest.approx(w["temp_air"].max(), abs=1e-12)
    # Phoenix is W32 liquid-cooled: supply 32 °C, dry cooler approach 8 K -> dry bulb <= 24 °C
    assert res["free_cooling_dry_h"]["value"] == wx.free_cooling_hours(w, 32.0, 8.0, wet=False)
    # reference-data.md §9a: Phoenix hours > 32 °C are between the >35 (1,230) and >27 counts
    assert res["hours_drybulb_above_32_h"]["value"] > 1230


@pytest.mark.slow
def test_a_site_without_tariff_or_interconnection(tmp_path, bare_portfolio):
    """Both sections are optional in a site file. site_analysis crashed in its ranking cell
    (NaN to int) and interconnection with an AttributeError; now site_analysis ranks the site
    on what it has and says what it lacks, and interconnection is not applicable there."""
    s = render(portfolio=bare_portfolio, sites=["bare"], notebooks=["site_analysis", "interconnection"],
               out=tmp_path / "r", jobs=1, progress=False)
    status = {r.run.notebook.stem: r for r in s.results}
    assert status["site_analysis"].ok
    verdict = json.loads((tmp_path / "r" / "bare" / "site_analysis" / "results.json").read_text())["results"]["verdict"]
    assert "no electricity cost (the site has no tariff: section)" in verdict["value"]
    assert "no time to power (the site has no interconnection: section)" in verdict["value"]
    assert "rank 1 of 2" in verdict["value"] or "rank 2 of 2" in verdict["value"]  # PUE: ranked with Chicago
    na = status["interconnection"]  # not applicable (not run, no failure): tests/test_report_na.py
    assert s.ok and "has no interconnection: section" in na.run.not_applicable


@pytest.mark.slow
def test_offpeak_bills_on_the_sites_civil_clock_and_checks_its_parameters(tmp_path):
    """The notebook scheduled and billed on the weather file's standard time all year: in
    summer every TOU period was an hour off at sites with daylight saving time."""
    s = render(sites=["research-triangle-nc"], notebooks=["offpeak_scheduling"], out=tmp_path / "a", jobs=1,
               progress=False, parameters={"rolling_weeks": 1})
    assert s.ok, s.table()
    text = (tmp_path / "a" / "research-triangle-nc" / "offpeak_scheduling" / "notebook.ipynb").read_text()
    assert "on the America/New_York clock" in text
    bad = render(sites=["phoenix-az"], notebooks=["offpeak_scheduling"], out=tmp_path / "week", jobs=1,
                 progress=False, parameters={"week_start": "2030-07-14"})
    (r,) = bad.results
    assert not r.ok and "week_start" in r.error and "must lie within the weather year" in r.error, r.error
    # ranges: render refuses them before any run (metadata dcplan.parameters, tests/test_notebook_rules.py);
    # the notebook checks them itself too, for runs outside render (JupyterLab, papermill)
    from dcplan.errors import InputError
    for name, value in (("rolling_weeks", 0), ("flex_share_frac", 1.5)):
        with pytest.raises(InputError, match=f"-p {name}: .*offpeak_scheduling allows {name} in"):
            render(sites=["phoenix-az"], notebooks=["offpeak_scheduling"], out=tmp_path / name, jobs=1,
                   progress=False, parameters={name: value})
    import papermill as pm
    with pytest.raises(pm.PapermillExecutionError, match="must be 1 to 52 weeks"):
        pm.execute_notebook(str(ROOT / "notebooks" / "offpeak_scheduling.ipynb"), str(tmp_path / "pm.ipynb"),
                            parameters={"site": "phoenix-az", "rolling_weeks": 0}, progress_bar=False)


@pytest.mark.slow
def test_cooling_lag_counts_gpu_hours_with_the_sites_own_hardware(tmp_path):
    # Phoenix runs 8-GPU B200 servers: 14.3 kW per server (DGX B200 user guide) plus its share of
    # switches and storage, about 1.9 kW per GPU. The notebook counted throttled GPU-hours at the
    # DGX H100's 1.275 kW per GPU whatever the site, ~50 % too many GPUs for this hall.
    from dcplan import power, thermal
    from dcplan.site import load_site
    s = render(sites=["phoenix-az"], notebooks=["cooling_lag"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    res = json.loads((tmp_path / "phoenix-az" / "cooling_lag" / "results.json").read_text())["results"]
    site = load_site("phoenix-az")
    kpg = power.fleet_design_it_kw(site) / float(power.fleet_table(site)["accelerators"].sum())
    assert 14.3 / 8 < kpg < 2.2
    it = thermal.training_load_kw("2025-07-15", 12 * 3600, peak_kw=1000.0, seed=0, period_s=1800.0, low_s=600.0)
    generic = thermal.simulate_lag(it, lag_s=site.cooling.lag_s, summary_only=True)  # 1.275 kW per GPU
    assert generic["throttled_gpu_h"] > 0
    assert res["lag_throttled_gpu_h_reactive"]["value"] == pytest.approx(
        generic["throttled_gpu_h"] * thermal.DYNAMICS_DEFAULTS["kw_per_gpu"] / kpg, rel=1e-9)
