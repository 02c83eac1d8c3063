"""Every notebook: committed stripped, parameters tagged, and renders through `dcplan render`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dcplan.report import notebook_parameters, notebook_scope, render

from conftest import papermill_execute, reference_wet_bulb
from test_solar_value import hand_pv_cost

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


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_prose_escapes_dollar_signs(nb):
    # JupyterLab typesets the text between two "$" in a markdown cell as math: the tco notebook's
    # "($/GPU-hour, $/MWh of IT, ...)" showed as italic "/GPU-hour," without its dollar signs.
    # A dollar sign in prose is written \$ (shown as "$" in JupyterLab and in the HTML report).
    import re
    doc = json.loads(nb.read_text())
    for c in doc["cells"]:
        if c["cell_type"] == "markdown":
            text = "".join(c["source"])
            bare = [m.start() for m in re.finditer(r"(?<!\\)\$", text)]
            assert not bare, f"{nb.name}: unescaped '$' in markdown (write \\$): {text[max(0, bare[0] - 40):bare[0] + 40]!r}"


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
    if nb.stem == "portfolio_sweep":
        _check_sweep_cases_csv(folder, doc)


def _check_sweep_cases_csv(folder, doc):
    """The sweep published only its Pareto rows: every case is now a CSV beside the report (listed
    in results.json's artifacts), and the cheapest case's headline names that case."""
    import pandas as pd
    res = doc["results"]
    assert [a["path"] for a in doc["artifacts"]] == ["outputs/portfolio_sweep_cases.csv"]
    cases = pd.read_csv(folder / "outputs" / "portfolio_sweep_cases.csv")
    # bundled portfolio: 3 sites x air/liquid x PV none/4,000 kW x margin none/0.15 (24) plus the
    # liquid-only GB200 site's 4 liquid cases
    assert len(cases) == res["cases"]["value"] == 28 and cases["case_id"].is_unique
    # a render run's CSV says which run wrote it: the same record as results.json's provenance
    assert cases.columns[-1] == "provenance" and cases["provenance"].nunique() == 1
    assert f"git commit {doc['provenance']['git_commit'] or '(not a git checkout)'}" in cases["provenance"].iloc[0]
    assert int(cases["pareto"].sum()) == res["pareto_cases"]["value"]
    ok = cases[cases["status"] == "ok"]
    # recomputed, not read from the CSV's own cost column: the bill restated at the latest tariff date, ComEd's
    # 2027-06-01, at 3 %/yr in whole 12-month steps (APS 2024-03-08 from 2024-04: 38 months, 3 steps; Dominion and
    # Duke 2026-01: 17 months, 1), plus the PV's cost a year (test_solar_value.hand_pv_cost; every bundled site's
    # finance is 8 %, 3 %, 2.5 %)
    assert set(cases["cost_price_date"]) == {"2027-06-01"} and res["cost_price_date"]["value"] == "2027-06-01"
    factor = ok["site"].map({"phoenix-az": 1.03 ** 3, "northern-virginia": 1.03, "research-triangle-nc": 1.03,
                             "chicago-il": 1.0})
    cost = (ok["bill_usd"] * factor + hand_pv_cost(ok["solar.dc_kw"])) / ok["it_mwh"]
    assert res["best_cost_usd_per_it_mwh"]["value"] == pytest.approx(cost.min(), rel=1e-12)
    best = ok.loc[cost.idxmin()]
    label = res["best_cost_usd_per_it_mwh"]["label"]
    assert f"({best['site']}) with cooling.type {best['cooling.type']}," in label and "no case is a site as specified" in label
    assert res["portfolio_description"]["value"].endswith("synthetic fleets and requests.")
    # a report prints no library warning (a pandas UserWarning with the kernel's temp path stood in
    # site_analysis's report): what a planner reads is the notebook's own text
    executed = json.loads((folder / "notebook.ipynb").read_text())
    stderr = "".join("".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", [])
                     if o.get("name") == "stderr")
    assert "Warning" not in stderr, stderr[:2000]


@pytest.mark.slow
def test_site_climate_published_values_equal_direct_calls(tmp_path):
    from dcplan import thermal, weather as wx
    from dcplan.site import load_site
    from test_tower_merkel_ref import approach, root
    s = render(sites=["phoenix-az"], notebooks=["site_climate"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    # the index says what the portfolio is, and what in it is synthetic (its YAML's description)
    import html
    import yaml
    from dcplan.paths import default_portfolio
    pf = yaml.safe_load(default_portfolio().read_text())
    assert html.escape(f"Portfolio: {pf['name']}: {pf['description']}") in (tmp_path / "index.html").read_text()
    res = json.loads((tmp_path / "phoenix-az" / "site_climate" / "results.json").read_text())["results"]
    spec = load_site("phoenix-az")
    w = wx.load_site_weather(spec)
    assert res["temp_air_max_degc"]["value"] == pytest.approx(w["temp_air"].max(), abs=1e-12)
    # Phoenix is an air plant on a tower: 19 °C chilled water (25 °C A2 inlet setpoint - 6 K CRAH approach),
    # a heat exchanger 1.5 K, and a tower selected for a 3.9 K approach at 25.5 °C wet bulb (data/cooling_defaults.csv;
    # the AHRI point: Phoenix's 0.4 % evaporation wet bulb, 24.5 °C, is milder), its approach A(wb) by Merkel's
    # method at the same NTU, L/G 1.6 and 5.6 K range: at full design heat wb + A(wb) + 1.5 <= 19, i.e.
    # wb <= 7.29 °C (A = 10.21 K), 1,555 h counted. (Before the plant took Merkel's approach the screen held 3.9 K
    # at every wet bulb: wb <= 13.6 °C, 4,564 h; 1,567 h while the weather reader took a sub-zero dew point for a
    # frost point, before ca51aaf: over water, the file's convention, 12 hours of sub-zero dew point have a wet
    # bulb above 7.29 °C.)
    # The direct calls: the notebook's own limit and wx's count
    design_wb = thermal.chiller_design_conditions(w, spec.cooling)["chiller_design_wb_degc"]
    assert design_wb == 25.5 and w.attrs["ashrae_design"]["evap_wb_0p4_degc"] == 24.5
    own = thermal.free_cooling_limits(spec.cooling, chiller_design_wb_degc=design_wb)["air"]
    assert res["free_cooling_wet_h"]["value"] == wx.free_cooling_hours(w, own["supply_degc"], own["approach_k"],
                                                                       wet=True)
    # by hand, with the point-by-point Merkel solution (tests/test_tower_merkel_ref.py)
    lim = root(lambda t: t + approach(t) + 1.5 - 19.0, -30.0, 17.5)
    assert lim == pytest.approx(7.29, abs=5e-3) and 19.0 - 1.5 - lim == pytest.approx(10.21, abs=5e-3)
    assert own["supply_degc"] == 19.0 and own["limit_degc"] == pytest.approx(lim, abs=1e-6)
    # the hours counted by hand with the independent wet bulb (PsychroLib, dew point over water: conftest)
    ref = reference_wet_bulb(w)
    assert res["free_cooling_wet_h"]["value"] == float((w["temp_wet_bulb_degc"] <= lim).sum()) \
        == float((ref <= lim).sum()) == 1555.0
    # that is the tower at its full design heat, which holds the 10 % margin and the chillers' compressor heat
    # (design COP 11.60 = 0.6351 x 292.15 / (25.5 + 3.9 + 5.6 - 19): Carnot fraction of COP 6.28 at the AHRI
    # point); beside it the count at full design IT, the tower at 1 / (1.1 (1 + 1/11.60)) = 0.837 of it:
    # wb + A(wb, 0.837) + 1.5 <= 19, wb <= 9.158 °C, 2,379 h (with the rated COP 6.1 before 2026-12: 0.835,
    # 9.18 °C, 2,397 h; 2,406 h reading a sub-zero dew point as a frost point). The independent wet bulb counts
    # 2,378: 2025-05-13 05:00 has 9.15724 here and 9.15797 by PsychroLib, across the 9.15781 limit
    assert "which includes the chillers' compressor heat (design COP 11.6) and the 10 % plant margin" in \
        res["free_cooling_wet_h"]["label"]
    cop_d = 6.28 * (35.0 - 6.7) / (6.7 + 273.15) * (19.0 + 273.15) / (25.5 + 3.9 + 5.6 - 19.0)
    x = 1.0 / (1.1 * (1.0 + 1.0 / cop_d))
    assert x == pytest.approx(0.837, abs=5e-4)
    lim_it = root(lambda t: t + approach(t, x) + 1.5 - 19.0, -30.0, 17.5)
    assert lim_it == pytest.approx(9.158, abs=5e-4)
    it = res["free_cooling_wet_design_it_h"]
    assert it["value"] == float((w["temp_wet_bulb_degc"] <= lim_it).sum()) == 2379.0
    assert float((ref <= lim_it).sum()) == 2378.0   # one hour 0.0007 K apart across the limit (above)
    assert it["headline"]
    assert it["label"].startswith("Hours the cooling tower alone can make the 19 °C chilled water at full design IT")
    # docs/reference-data.md §9a: Phoenix hours > 32 °C are between the >35 (1,230) and >27 counts
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
    # a week outside the site's weather year: refused before any run (dcplan.offpeak_params, the notebook's
    # metadata dcplan.precheck); the notebook's own check is tests/test_notebook_params.py's
    from dcplan.errors import InputError
    with pytest.raises(InputError, match=r"-p week_start: site 'phoenix-az': the week from 2030-07-14 must lie "
                                         r"within the weather year"):
        render(sites=["phoenix-az"], notebooks=["offpeak_scheduling"], out=tmp_path / "week", jobs=1,
               progress=False, parameters={"week_start": "2030-07-14"})
    assert not (tmp_path / "week").exists()
    # ranges: render refuses them before any run (metadata dcplan.parameters, tests/test_notebook_rules.py);
    # the notebook checks them itself too, for runs outside render (JupyterLab, papermill)
    for name, value in (("rolling_weeks", 0), ("flex_share_frac", 1.5)):
        with pytest.raises(InputError, match=f"-p {name}: .*offpeak_scheduling allows {name} in"):
            render(sites=["phoenix-az"], notebooks=["offpeak_scheduling"], out=tmp_path / name, jobs=1,
                   progress=False, parameters={name: value})
    import papermill as pm
    # the check right after the parameters cell (dcplan.notebook_params): render's rule, the parameter named
    with pytest.raises(pm.PapermillExecutionError, match=r"rolling_weeks: 0: offpeak_scheduling allows rolling_weeks "
                                                         r"in \[1, 52\]"):
        papermill_execute(ROOT / "notebooks" / "offpeak_scheduling.ipynb", tmp_path / "pm.ipynb",
                          parameters={"site": "phoenix-az", "rolling_weeks": 0})


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
    it = thermal.training_load_kw("2025-07-15", 12 * 3600, peak_kw=power.fleet_design_it_kw(site), seed=0,
                                  period_s=1800.0, low_s=600.0)  # the notebook's default: the site's design IT
    generic = thermal.simulate_lag(it, lag_s=site.cooling.lag_s, summary_only=True)  # 1.275 kW per GPU
    assert generic["throttled_gpu_h"] > 0
    assert res["lag_throttled_gpu_h_reactive"]["value"] == pytest.approx(
        generic["throttled_gpu_h"] * thermal.DYNAMICS_DEFAULTS["kw_per_gpu"] / kpg, rel=1e-9)


def test_cooling_lag_headline_is_the_sites_own_plant(tmp_path):
    """The headline was the generic 1,000 kW hall's event counts, the same for every site; now it
    is the site's: throttled share of its year, the plant margin in its year's lowest-capacity
    hour (plant_hourly recomputed here at a constant 1,000 kW: the notebook runs the site's design
    IT, and the plant's margin and the hall's throttled share do not depend on the constant load
    they are run at, as both models scale with it) and the share of the run the hall throttles
    there under the site's own control. That share replaced a count of raw
    throttle on/off switches (385 at this site, mostly chatter in the 2 K hysteresis band), which
    said neither how often (episodes, published beside it) nor how long the hall throttles."""
    import warnings

    from dcplan import thermal
    from dcplan.errors import DcplanWarning
    from dcplan.site import load_site
    from dcplan.weather import load_site_weather
    s = render(sites=["research-triangle-nc"], notebooks=["cooling_lag"], out=tmp_path, jobs=1, progress=False)
    assert s.ok, s.table()
    doc = json.loads((tmp_path / "research-triangle-nc" / "cooling_lag" / "results.json").read_text())
    head = [k for k, r in doc["results"].items() if r.get("headline")]
    site = load_site("research-triangle-nc")
    ctl = site.cooling.control
    # the synthetic load's lag_year_worst_hour_throttled_frac_<control> was a headline until the site's own fleet
    # load's figures replaced it (the same at every site and fleet size: tests/test_cooling_lag_site.py); it is
    # still published and checked below
    assert head == ["lag_site_throttled_frac", *(f"lag_fleet_{k}_{ctl}" for k in (
        "throttled_frac", "episodes", "peak_temp_degc", "energy_lost_kwh")), "lag_year_worst_hour_margin_frac"]
    res = doc["results"]
    cap = thermal.plant_hourly(1000.0, load_site_weather(site), site.cooling)["capacity_it_kw"].min()
    assert res["lag_year_worst_hour_margin_frac"]["value"] == pytest.approx(cap / 1000.0 - 1, rel=1e-12)
    # recomputed: the notebook's default load (12 h) at that capacity under the site's control
    it = thermal.training_load_kw("2025-07-15", 12 * 3600, peak_kw=1000.0, seed=0, period_s=1800.0, low_s=600.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)   # as the notebook's cell (a plant below the throttled hall)
        ref = thermal.simulate_lag(it, lag_s=site.cooling.lag_s, strategy=ctl, capacity_kw=cap, summary_only=True)
    assert res[f"lag_year_worst_hour_throttled_frac_{ctl}"]["value"] == pytest.approx(ref["throttled_s"] / 43200.0,
                                                                                      rel=1e-12)
    assert res[f"lag_year_worst_hour_episodes_{ctl}"]["value"] == ref["throttle_episodes"]
    assert res[f"lag_year_worst_hour_episodes_{ctl}"]["unit"] == "episodes"
    # no published key counts raw on/off switches any more
    assert not [k for k in res if "_events" in k or "_event_" in k]


#: A bundled site's carbon keys, dropped together: a basis or source without the figure is refused
#: (dcplan.site_carbon.carbon_field_problems; the bundled files give all three since 2026-12).
NO_CARBON = ("grid_carbon_kg_per_mwh", "grid_carbon_basis", "grid_carbon_source")


def _site_file(folder: Path, src: str, site_id: str, drop=(), **changes) -> Path:
    """data/sites/<src>.yaml as ``site_id`` with absolute file paths, without the top-level keys
    in ``drop``, with ``weather_year`` (if given) as its weather year."""
    import yaml
    data = ROOT / "data"
    d = yaml.safe_load((data / "sites" / f"{src}.yaml").read_text())
    d["weather"]["file"] = str(data / d["weather"]["file"])
    if "tariff" in d:
        d["tariff"]["file"] = str(data / d["tariff"]["file"])
    if "weather_year" in changes:
        d["weather"]["year"] = changes.pop("weather_year")
    for k in drop:
        d.pop(k)
    d.update(changes, id=site_id)
    path = folder / f"{site_id}.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False))
    return path


def _portfolio(folder: Path, *site_files) -> Path:
    pf = folder / "pf.yaml"
    pf.write_text("name: t\nsites: [" + ", ".join(str(p) for p in site_files) + "]\n")
    return pf


def _render_comparison(tmp_path, pf, **parameters):
    s = render(portfolio=pf, notebooks=["portfolio_comparison"], out=tmp_path / "r", jobs=1, progress=False,
               parameters=parameters or None)
    assert s.ok, s.table()
    folder = tmp_path / "r" / "_portfolio" / "portfolio_comparison"
    return json.loads((folder / "results.json").read_text())["results"], (folder / "notebook.ipynb").read_text()


# Example throughput, dcplan.power.THROUGHPUT_EXAMPLES: MLPerf Inference v4.1 Llama-2-70B offline,
# H100 SXM 24,528.3 tokens/s per 8-GPU system (every non-GB200 GPU); GB200 NVL72 865,000 tokens/s per 72 GPUs
H100_TOKENS_PER_S = 24528.3 / 8
GB200_TOKENS_PER_S = 865000.0 / 72


@pytest.mark.slow
def test_portfolio_comparison_runs_when_no_site_has_a_tariff_interconnection_or_carbon(tmp_path):
    """A site may leave out tariff: and interconnection: (README). With no site having one the
    notebook crashed (KeyError 'bill_usd', or 'grid_carbon_t' with no carbon figure); now it leaves
    the criterion out of the score and says why."""
    bare = _site_file(tmp_path, "phoenix-az", "bare", drop=("tariff", "interconnection", *NO_CARBON))
    res, text = _render_comparison(tmp_path, _portfolio(tmp_path, bare))
    assert res["bare.bill_usd"]["value"] == "no tariff" and res["bare.usd_per_m_tokens"]["value"] == "no tariff"
    assert res["bare.time_to_power_median_months"]["value"] == "no interconnection request"
    assert res["bare.carbon_g_per_m_tokens"]["value"] == "no grid carbon figure"
    for why in ("electricity per million tokens at the common price date (cost_price_date): the bill escalated to that "
                "date + on-site PV's and battery's cost a year (usd_per_m_tokens), as no site of the portfolio has a "
                "tariff: section",
                # when power arrives is scored (first_power_months), not months from filing
                "(first_power_months), as no site of the portfolio has an interconnection: section",
                "(carbon_g_per_m_tokens), as no site of the portfolio has a grid_carbon_kg_per_mwh figure"):
        assert why in text
    # scored on what is left (PUE, derate hours); one site ties with itself on every criterion: 0
    assert res["best_site"]["value"] == "Phoenix, AZ" and res["bare.score"]["value"] == 0.0


@pytest.mark.slow
def test_portfolio_comparison_tie_names_no_best_site_and_labels_the_score_as_the_tied_sites(tmp_path):
    """A site-selection analyst: two identical sites tie; best_site said "none: ... tie" while
    best_site_score read "Its score ... 0.0", a score of a best site there is none of. Identical
    sites have equal figures on every criterion, so every min-max scaled criterion is 0 at both and
    the tied score is 0."""
    a = _site_file(tmp_path, "phoenix-az", "phx-a", name="Phoenix A")
    b = _site_file(tmp_path, "phoenix-az", "phx-b", name="Phoenix B")
    res, _ = _render_comparison(tmp_path, _portfolio(tmp_path, a, b))
    assert res["best_site"]["value"].startswith("none: Phoenix A, Phoenix B tie")
    assert res["best_site_score"]["value"] == 0.0
    assert res["best_site_score"]["label"].startswith("The tied sites' score (0 = best on every criterion")


@pytest.mark.slow
def test_portfolio_comparison_without_carbon_and_over_a_leap_years_hours(tmp_path):
    """No site with a carbon figure crashed it (KeyError 'grid_carbon_t'); and the figures per
    GPU-hour divided by n x 8,760 h whatever the weather year (0.27 % high in 2024)."""
    nocarbon = _site_file(tmp_path, "phoenix-az", "phx", drop=NO_CARBON, weather_year=2024)
    res, text = _render_comparison(tmp_path, _portfolio(tmp_path, nocarbon))
    assert "(carbon_g_per_m_tokens), as no site of the portfolio has a grid_carbon_kg_per_mwh figure" in text
    assert res["phx.carbon_kg_per_gpu_h"]["value"] == "no grid carbon figure"
    # phoenix-az.yaml: 384 HGX B200 x 8 GPUs (data/hardware.csv) = 3,072 at 60 %, H100 example rate;
    # 2024: 366 d x 24 h = 8,784 h
    tokens_m = 0.6 * 3072 * H100_TOKENS_PER_S * 3600 * 8784 / 1e6
    cost = res["phx.bill_usd"]["value"] + hand_pv_cost(5000)  # the bill plus the 5,000 kWdc PV's cost a year
    assert res["phx.usd_per_m_tokens"]["value"] == pytest.approx(cost / tokens_m, rel=1e-12)
    assert res["phx.usd_per_gpu_h"]["value"] == pytest.approx(cost / (3072 * 8784), rel=1e-12)


@pytest.mark.slow
def test_portfolio_comparison_names_what_a_site_lacks_beside_complete_sites(tmp_path, bare_portfolio):
    """It printed "electricity bill: None USD" and "time to power, median: None months"."""
    res, text = _render_comparison(tmp_path, bare_portfolio)
    assert res["bare.bill_usd"]["value"] == "no tariff" and res["bare.usd_per_gpu_h"]["value"] == "no tariff"
    assert res["bare.time_to_power_median_months"]["value"] == "no interconnection request"
    assert res["bare.score"]["value"] == "not scored: no tariff; no interconnection request"
    assert "None USD" not in text and "None months" not in text and ": None" not in text
    # Chicago is the one scored site (score 0); chicago-il.yaml: 512 HGX H200 x 8 GPUs = 4,096, 2025: 8,760 h.
    # One site scored is no comparison: the headline says so (was "Chicago, IL", a best site among one)
    assert res["chicago-il.score"]["value"] == 0.0
    assert res["best_site"]["value"].startswith("Chicago, IL, the only site scored (1 of 2 sites not scored, no "
                                                "tariff; no interconnection request: ")
    assert res["chicago-il.usd_per_gpu_h"]["value"] == pytest.approx(
        (res["chicago-il.bill_usd"]["value"] + hand_pv_cost(500)) / (4096 * 8760), rel=1e-12)  # 500 kWdc PV


@pytest.mark.slow
def test_portfolio_comparison_scores_cost_per_million_tokens_across_gpu_generations(tmp_path):
    """Scored per installed GPU-hour, Northern Virginia (GB200: dearer GPU-hours, ~3.9x the tokens)
    ranked last on cost although it is the cheapest per million tokens. The default basis is now
    tokens; per GPU-hour stays available, with a note that it mixes generations."""
    cost_only = dict(weight_cost=1.0, weight_time_to_power=0.0, weight_pue=0.0, weight_carbon=0.0, weight_derate=0.0)
    from dcplan.site import load_portfolio
    res, text = _render_comparison(tmp_path, None, **cost_only)
    ids = [s.id for s in load_portfolio()]
    nva = "northern-virginia"
    # northern-virginia.yaml: 2 phases x 64 GB200 NVL72 racks x 72 GPUs = 9,216 at 85 %, 8,760 h. Its Dominion
    # bill is at 2026-01-01 prices; the costs are compared at the latest tariff date, ComEd's 2027-06-01: 17 months,
    # one whole 12-month step at the TCO's 3 %/yr (data/costs.csv), so x 1.03; the PV's cost is not escalated
    assert res["cost_price_date"]["value"] == "2027-06-01" and res["cost_escalation_frac"]["value"] == 0.03
    assert res[f"{nva}.escalation_factor"]["value"] == pytest.approx(1.03, rel=1e-12)
    bill = res[f"{nva}.bill_usd"]["value"] * 1.03 + hand_pv_cost(1000)  # + the 1,000 kWdc PV's cost a year
    assert res[f"{nva}.usd_per_gpu_h"]["value"] == pytest.approx(bill / (9216 * 8760), rel=1e-12)
    assert res[f"{nva}.usd_per_m_tokens"]["value"] == pytest.approx(
        bill / (0.85 * 9216 * GB200_TOKENS_PER_S * 3600 * 8760 / 1e6), rel=1e-12)
    per_token = {i: res[f"{i}.usd_per_m_tokens"]["value"] for i in ids}
    per_gpu_h = {i: res[f"{i}.usd_per_gpu_h"]["value"] for i in ids}
    assert min(per_token, key=per_token.get) == nva and max(per_gpu_h, key=per_gpu_h.get) == nva
    assert res["score_basis"]["value"] == "per million tokens"
    assert res["best_site"]["value"] == "Northern Virginia (Ashburn), VA" and res[f"{nva}.score"]["value"] == 0.0
    assert "GPU-hours of different generations are not comparable" in text
    # per GPU-hour on request: the cheapest GPU-hour wins, and the notebook says the basis mixes generations
    (tmp_path / "h").mkdir()
    res_h, text_h = _render_comparison(tmp_path / "h", None, basis="gpu_h", **cost_only)
    best = min(per_gpu_h, key=per_gpu_h.get)
    assert res_h[f"{best}.score"]["value"] == 0.0 and res_h[f"{nva}.score"]["value"] == 1.0
    assert "these fleets' GPU-hours are not comparable: their GPU generations differ" in text_h
    # the headline says what it rests on: scored on cost alone, the other basis's best is the
    # cheapest site on that basis; Phoenix's B200 and Chicago's H200 tokens are the H100 figure
    # (power.THROUGHPUT_EXAMPLES has none of their own), NC's H100 and NoVA's GB200 have theirs
    names = {s.id: s.name for s in load_portfolio()}
    cav = res["best_site_caveat"]
    assert cav["headline"] and f"per installed GPU-hour the best site is {names[best]}" in cav["value"]
    assert "the tokens of Phoenix, AZ (hgx-b200), Chicago, IL (hgx-h200) are the H100 figure" in cav["value"]
    assert (f"per million tokens the best site is {names[nva]} (the lowest weighted score with electricity and "
            "carbon taken per million tokens, not the lowest electricity cost alone); these fleets' GPU-hours are not "
            "comparable" in res_h["best_site_caveat"]["value"])
    # first: the bundled sites run different fleets and plants (NoVA the only liquid GB200 one), so
    # the ranks compare those as well as the locations
    for c_ in (cav["value"], res_h["best_site_caveat"]["value"]):
        assert c_.startswith("the sites run different fleets or cooling plants (") and (
            f"{names[nva]}: gb200-nvl72 (liquid cooling)" in c_) and f"{names['phoenix-az']}: hgx-b200 (air cooling)" in c_


@pytest.mark.slow
def test_rack_power_covers_every_hour_of_a_leap_year(tmp_path):
    """With weather.year 2024 the year at 1 h had periods=8760: it ended 2024-12-31 00:00 and left
    out 31 December. Energy over the year / mean power = its hours: 366 d x 24 h = 8,784."""
    leap = _site_file(tmp_path, "phoenix-az", "leap", weather_year=2024)
    s = render(portfolio=_portfolio(tmp_path, leap), sites=["leap"], notebooks=["rack_power"], out=tmp_path / "r",
               jobs=1, progress=False)
    assert s.ok, s.table()
    res = json.loads((tmp_path / "r" / "leap" / "rack_power" / "results.json").read_text())["results"]
    assert res["it_energy_mwh"]["value"] * 1000 / res["mean_it_kw"]["value"] == pytest.approx(8784, rel=1e-12)


# -- edge parameter values (black-box run of every notebook) ---------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("parameters,why", [
    ({"cooling": "air"}, "the reference plant 'air' cannot cool its fleet ('gb200-nvl72' is liquid-cooled only)"),
    # northern-virginia.yaml: 2 phases of 64 GB200 NVL72 racks: 64 x 0.005 = 0.32 rounds to 0 units
    ({"fleet_scale": 0.005}, "the fleet has no units"),
])
def test_site_analysis_leaves_out_a_peer_its_overrides_do_not_fit(tmp_path, parameters, why):
    """The peer ranking applied the overrides to every site of the portfolio and failed the whole
    report on the first peer they did not fit (an air plant for a liquid-only fleet, a count
    rounding to 0); now the site's report is produced and the peer is left out, named, with why."""
    s = render(sites=["phoenix-az"], notebooks=["site_analysis"], out=tmp_path, jobs=1, progress=False,
               parameters=parameters)
    assert s.ok, s.table()
    folder = tmp_path / "phoenix-az" / "site_analysis"
    verdict = json.loads((folder / "results.json").read_text())["results"]["verdict"]["value"]
    assert "ranked among 3 of the portfolio's 4 sites (northern-virginia left out: the overrides do not apply" \
        in verdict, verdict
    text = (folder / "notebook.ipynb").read_text()
    assert "(northern-virginia) left out of the ranking: the overrides do not apply to it" in text and why in text


@pytest.mark.slow
def test_portfolio_comparison_leaves_out_a_site_the_cooling_override_does_not_fit(tmp_path):
    res, text = _render_comparison(tmp_path, None, cooling="air")
    nva = res["northern-virginia.score"]["value"]
    assert nva.startswith("left out: site 'northern-virginia': the reference plant 'air' cannot cool its fleet"), nva
    assert "(northern-virginia) left out of the comparison" in text
    assert res["best_site"]["value"] != "Northern Virginia (Ashburn), VA"
    assert isinstance(res["phoenix-az.score"]["value"], float)


def test_weighted_score_weights_near_the_float_maximum_score_as_their_ratios():
    """weight_cost = weight_time_to_power = 1e308 summed to inf: every score inf / inf = NaN
    (published null) and the best site was whichever came first."""
    import pandas as pd
    from dcplan.portfolio_score import weighted_score
    t = pd.DataFrame({"cost": [1.0, 2.0, 3.0], "ttp": [30.0, 10.0, 20.0]}, index=["a", "b", "c"])
    huge = weighted_score(t, {"cost": 1e308, "ttp": 1e308})
    one = weighted_score(t, {"cost": 1.0, "ttp": 1.0})
    # cost scaled a 0, b 0.5, c 1; ttp scaled a 1, b 0, c 0.5; equal weights: a 0.5, b 0.25, c 0.75
    assert huge.score.to_dict() == pytest.approx({"b": 0.25, "a": 0.5, "c": 0.75}, abs=1e-15)
    assert list(huge.score.index) == list(one.score.index) == ["b", "a", "c"]


@pytest.mark.slow
def test_portfolio_sweep_with_no_pv_and_no_margin(tmp_path):
    """pv_dc_kw 0 and margin_frac 0 (the metadata allows 0) failed: "axes.solar.dc_kw: value 0.0
    (item 1) repeats 0.0 (item 0)". Now an axis whose value is its "none" case has one value."""
    from dcplan.power import liquid_only_phases
    from dcplan.site import load_portfolio
    s = render(notebooks=["portfolio_sweep"], out=tmp_path, jobs=1, progress=False,
               parameters={"pv_dc_kw": 0.0, "margin_frac": 0.0})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "_portfolio" / "portfolio_sweep" / "results.json").read_text())["results"]
    # one case per site and cooling type: air and liquid, or liquid only for a liquid-only fleet
    expected = sum(1 if liquid_only_phases(x) else 2 for x in load_portfolio().sites)
    assert res["cases"]["value"] == expected and res["cases_failed"]["value"] == 0


@pytest.mark.slow
def test_tco_unit_costs_show_a_dash_where_the_monte_carlo_has_no_figure(tmp_path):
    s = render(sites=["phoenix-az"], notebooks=["tco"], out=tmp_path, jobs=1, progress=False,
               parameters={"n_draws": 100, "export_dir": ""})
    assert s.ok, s.table()
    nb = json.loads((tmp_path / "phoenix-az" / "tco" / "notebook.ipynb").read_text())
    (cell,) = [c for c in nb["cells"] if c["cell_type"] == "code" and "mc_cols" in "".join(c["source"])]
    table = "".join(cell["outputs"][0]["data"]["text/plain"])
    assert "NaN" not in table and "\u2014" in table
    # the Monte Carlo computes the cost per GPU-hour: its percentiles are numbers
    row = next(line for line in table.splitlines() if line.startswith("usd_per_gpu_hour"))
    assert "\u2014" not in row


@pytest.mark.slow
def test_cooling_lag_publishes_na_not_a_number_when_nothing_throttles(tmp_path):
    """With no pause length that throttles it published None as "None s"; with no episode under
    either control "throttle episodes avoided by predictive control: 0 %" (0 / 0); the 180 s count
    had no unit. Pauses every 20 s of 5 s: nothing throttles, and no pause length tried is < 20 s."""
    s = render(sites=["phoenix-az"], notebooks=["cooling_lag"], out=tmp_path, jobs=1, progress=False,
               parameters={"hours": 0.25, "period_s": 20.0, "low_s": 5.0})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "phoenix-az" / "cooling_lag" / "results.json").read_text())["results"]
    assert res["lag_episodes_reactive"]["value"] == 0
    assert res["lag_episode_reduction_frac"]["value"] == "n/a: no throttle episodes under reactive control"
    assert res["lag_episode_reduction_frac"]["unit"] is None
    assert res["lag_shortest_throttling_pause_s"]["value"] == "n/a: no pause length tried throttles"
    assert res["lag_shortest_throttling_pause_s"]["unit"] is None
    assert res["lag_episodes_reactive_at_180s_margin10"]["unit"] == "episodes"
