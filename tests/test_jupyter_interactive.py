"""The notebooks run interactively (JupyterLab: cells re-run, parameters edited, a restarted kernel, scratch
notebooks, exports): each case a planner hit, checked against what the notebook must do."""
from __future__ import annotations

import json
import warnings

import pytest

from conftest import DATA, ROOT, run_cells_until
from dcplan.errors import DcplanWarning, InputError


def _code_cell(notebook: str, marker: str) -> str:
    nb = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text())
    return next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code" and marker in "".join(c["source"]))


# --- 1. tco: the Monte Carlo cell run twice --------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::dcplan.errors.DcplanWarning")  # 200 draws: the sampling-error warning
def test_tco_monte_carlo_cell_runs_twice_with_the_same_result(monkeypatch):
    """Re-running the Monte Carlo cell failed with "'str' object is not callable": it called tco_horizon's
    ``held_note`` and then rebound the name to its text. Run a second time (seed 0: the same draws) it must
    give the same percentiles and the same texts."""
    ns, _ = run_cells_until("tco", "mc = monte_carlo(", monkeypatch, n_draws=200, export_dir="")
    first = (ns["pct"].copy(), ns["mc_held_text"], ns["mc_horizon_note"])
    assert callable(ns["held_note"])  # the import, not shadowed
    exec(_code_cell("tco", "mc = monte_carlo("), ns)  # the same cell again
    assert ns["pct"].equals(first[0])
    assert (ns["mc_held_text"], ns["mc_horizon_note"]) == first[1:]
    assert "utilization_frac" in ns["mc_held_text"]  # the text of every input held (tco_mc_notes.held_inputs_note)


# --- 2. a result cell re-run after editing the parameters --------------------------------------------------------

def test_site_analysis_verdict_refuses_parameters_changed_since_the_year(monkeypatch):
    """After run-all, cooling and fleet_scale edited and only the verdict cell re-run: variant() would give the
    peers the new plant while this site kept its old year. The cell refuses, naming each changed parameter with
    its value now and when computed."""
    ns, _ = run_cells_until("site_analysis", "site_params = parameter_values", monkeypatch, site="phoenix-az")
    assert ns["site_params"]["cooling"] == "site" and ns["site_params"]["fleet_scale"] == 1.0
    assert "export_dir" not in ns["site_params"]  # where the CSV goes does not shape the figures
    ns["cooling"], ns["fleet_scale"] = "liquid-w45-dry", 2.0
    with pytest.raises(InputError) as e:
        exec(_code_cell("site_analysis", "v = site_verdict("), ns)
    msg = str(e.value)
    assert "cooling = 'liquid-w45-dry' now, 'site' when the site year was computed" in msg
    assert "fleet_scale = 2.0 now, 1.0 when the site year was computed" in msg
    assert "run the notebook from the top" in msg and "nothing was computed" in msg
    ns["export_dir"] = ""  # the export cell refuses too, whatever its folder
    with pytest.raises(InputError, match="nothing was written"):
        exec(_code_cell("site_analysis", "write_sustainability_csv("), ns)


@pytest.mark.slow
def test_offpeak_year_refuses_rolling_weeks_changed_since_it_started(monkeypatch):
    """rolling_weeks 3 started the year in the background; set to 1 and the year's cell re-run, it published
    the 3-week saving as "over 1 week". The cell refuses; run unchanged, its labels are the started year's."""
    ns, _ = run_cells_until("offpeak_scheduling", "year_params = parameter_values", monkeypatch,
                            site="phoenix-az", rolling_weeks=1, n_jobs=20, n_nonpreemptible=2)
    try:
        assert ns["year_params"]["rolling_weeks"] == 1 and "week_start" not in ns["year_params"]
        ns["rolling_weeks"] = 3
        with pytest.raises(InputError, match=r"rolling_weeks = 3 now, 1 when the rolling year was computed"):
            exec(_code_cell("offpeak_scheduling", "roll = year.result()"), ns)
        with pytest.raises(InputError, match="nothing was computed"):
            exec(_code_cell("offpeak_scheduling", "basis, asap_short, hours = sw.basis"), ns)
    finally:
        ns["year"].result()  # the background solve: let it end within the test
    src = _code_cell("offpeak_scheduling", "roll = year.result()")
    assert 'year_weeks = year_params["rolling_weeks"]' in src and "{rolling_weeks}" not in src


def test_offpeak_year_refuses_a_set_up_parameter_changed_since_the_set_up(monkeypatch):
    """A verifier's finding: flex_share_frac changed and only the year's cell (cell 4) re-run scheduled the year
    with the old flexible kW (computed in the set-up cell) but recorded the new share. The year's cell now checks
    the parameters the set-up was computed with; the year's own (rolling_weeks, time_limit_s) and the week's
    (week_start, jobs_file) are not in that record."""
    ns, _ = run_cells_until("offpeak_scheduling", "setup_params = parameter_values", monkeypatch,
                            site="phoenix-az", rolling_weeks=1, n_jobs=20, n_nonpreemptible=2)
    assert {"week_start", "jobs_file", "rolling_weeks", "time_limit_s"}.isdisjoint(ns["setup_params"])
    assert ns["setup_params"]["flex_share_frac"] == 0.5
    ns["flex_share_frac"] = 0.3
    with pytest.raises(InputError, match=r"flex_share_frac = 0.3 now, 0.5 when the set up was computed"):
        exec(_code_cell("offpeak_scheduling", "year = start_rolling_horizon("), ns)
    assert "year" not in ns  # refused before the background year started


def test_site_analysis_export_not_refused_for_the_per_token_throughput(monkeypatch, tmp_path):
    """The sustainability table does not use tokens_per_s_per_accelerator (the per-token figures only): a user who
    changes it and re-runs the per-token cell may still export; a parameter the table rests on is still refused."""
    ns, _ = run_cells_until("site_analysis", "write_sustainability_csv(", monkeypatch, site="phoenix-az",
                            export_dir=str(tmp_path))
    ns["tokens_per_s_per_accelerator"] = 5000.0
    exec(_code_cell("site_analysis", "write_sustainability_csv("), ns)   # no refusal
    assert (tmp_path / "phoenix-az_sustainability.csv").exists()
    ns["fleet_scale"] = 2.0
    with pytest.raises(InputError, match="nothing was written"):
        exec(_code_cell("site_analysis", "write_sustainability_csv("), ns)


# --- 3. the site's warnings outside render ------------------------------------------------------------------------

def _late_plan(monkeypatch):
    """A today after every bundled site's plan dates: plan_date_warnings has something to say."""
    from dcplan.plan_dates import TODAY_ENV
    monkeypatch.setenv(TODAY_ENV, "2099-01-01")


def test_site_warnings_issued_outside_render_and_not_under_it(monkeypatch):
    """Outside render (no DCPLAN_NOTEBOOK) the helper issues exactly dcplan.site_plausibility.site_warnings'
    texts as DcplanWarning; under render (it sets DCPLAN_NOTEBOOK in the kernel) none: render adds them to the
    report itself."""
    from dcplan.notebook_params import run_by_render, warn_site_outside_render
    from dcplan.report_params import NOTEBOOK_ENV
    from dcplan.site import load_portfolio
    from dcplan.site_plausibility import site_warnings
    _late_plan(monkeypatch)
    site = load_portfolio("default")["phoenix-az"]
    expected = site_warnings(site)
    assert expected and any("2099-01-01" in t or "before today" in t or "past" in t for t in expected)
    monkeypatch.delenv(NOTEBOOK_ENV, raising=False)
    assert not run_by_render()
    with pytest.warns(DcplanWarning) as rec:
        assert warn_site_outside_render(site) == expected
    assert [str(w.message) for w in rec if issubclass(w.category, DcplanWarning)] == expected
    # each points at the caller (a notebook's cell), not at dcplan's own modules (a verifier: JupyterLab showed
    # "dcplan/notebook_params.py:354: DcplanWarning")
    assert {w.filename for w in rec if issubclass(w.category, DcplanWarning)} == {__file__}
    monkeypatch.setenv(NOTEBOOK_ENV, str(ROOT / "notebooks" / "rack_power.ipynb"))
    assert run_by_render()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert warn_site_outside_render(site) == []


@pytest.mark.parametrize("notebook", ["rack_power", "cooling_lag", "tco", "interconnection", "offpeak_scheduling",
                                      "site_analysis", "site_climate"])
def test_each_notebook_warns_the_site_right_after_loading_it(notebook, monkeypatch):
    """Every per-site notebook this fix covers calls the helper in the cell that loads its site."""
    src = _code_cell(notebook, "load_portfolio(portfolio")  # site_analysis: (portfolio, defer_file_problems=False)
    assert "warn_site_outside_render(" in src
    assert src.index("load_portfolio(portfolio") < src.index("warn_site_outside_render(spec") if \
        "warn_site_outside_render(spec" in src else "warn_site_outside_render(pf[site])" in src


def test_rack_power_notebook_shows_the_site_warnings_only_outside_render(monkeypatch):
    """The rack_power notebook's setup cell run as JupyterLab runs it warns what render would add to the
    report; with DCPLAN_NOTEBOOK set, as render's kernel has it, nothing (the suite turns a DcplanWarning
    into an error, so a duplicate would fail this run)."""
    from dcplan.report_params import NOTEBOOK_ENV
    from dcplan.site import load_portfolio
    from dcplan.site_plausibility import site_warnings
    _late_plan(monkeypatch)
    expected = site_warnings(load_portfolio("default")["phoenix-az"])
    monkeypatch.delenv(NOTEBOOK_ENV, raising=False)
    with pytest.warns(DcplanWarning) as rec:
        run_cells_until("rack_power", "warn_site_outside_render(spec)", monkeypatch, as_render=False)
    assert [str(w.message) for w in rec if issubclass(w.category, DcplanWarning)] == expected
    run_cells_until("rack_power", "warn_site_outside_render(spec)", monkeypatch)  # as render: no warning raised


# --- 4. interconnection: system_load_csv found as render finds it -----------------------------------------------

def test_interconnection_system_load_csv_found_under_data(monkeypatch, tmp_path):
    """``system_load_csv="system_load_example.csv"`` from a folder without it: render finds data/'s file, and
    so does the notebook now (parameter_file); the series read is the bundled example's (grid.example_system_load
    reads data/system_load_example.csv). A name found nowhere names both folders looked in."""
    import pandas as pd

    from dcplan import grid
    from dcplan.notebook_params import parameter_file
    monkeypatch.chdir(tmp_path)
    assert parameter_file("system_load_example.csv", "system_load_csv") == (DATA / "system_load_example.csv").resolve()
    with pytest.raises(InputError) as e:
        parameter_file("nonexist.csv", "system_load_csv")
    assert e.value.field == "system_load_csv" and str(tmp_path) in str(e.value) and str(DATA.resolve()) in str(e.value)
    src = _code_cell("interconnection", "read_system_load_csv(")
    assert 'grid.read_system_load_csv(parameter_file(system_load_csv, "system_load_csv"))' in src
    ns = {"grid": grid, "parameter_file": parameter_file, "system_load_csv": "system_load_example.csv"}
    guard, _, src = src.partition("\n")  # the cell's check of the parameters (tests/test_notebook_stale_params.py)
    assert guard.startswith("check_parameters_unchanged(globals(), set_up=run_params")
    head = src[:src.index("limits = ")]  # the lookup, not the plot
    exec(head, ns)
    pd.testing.assert_series_equal(ns["sysload"], grid.example_system_load(), check_names=False)


# --- 5. a restarted kernel run from the middle ------------------------------------------------------------------

def test_check_parameters_names_undefined_parameters_in_a_notebooks_globals():
    """A restarted kernel run from the check cell: no parameter is defined; the check named none and the
    notebook failed later with KeyError: 'low_s'. In a notebook's globals() (it holds __builtins__) each
    declared parameter missing is named; a dict of some values is still checked for what it holds."""
    from dcplan import cooling_lag_params
    from dcplan.notebook_params import check_parameters
    fresh = {"__builtins__": __builtins__, "__name__": "__main__"}
    with pytest.raises(InputError) as e:
        check_parameters(fresh, "cooling_lag")
    for name in ("site", "portfolio", "hours", "low_s", "period_s"):
        assert name in e.value.field
    assert "run the parameters cell first" in str(e.value)
    check_parameters({"low_s": 600.0}, "cooling_lag")  # a caller's dict: only what it gives
    with pytest.raises(InputError, match="low_s, period_s are not defined.*run the parameters cell first"):
        cooling_lag_params.check(fresh)


# --- 6. render skips scratch notebooks -----------------------------------------------------------------------------

def test_render_skips_scratch_notebooks_with_a_note(tmp_path, capsys):
    """Untitled*.ipynb (JupyterLab's new notebook), _mine.ipynb and hidden files are not run, one line on
    stderr naming them all (README: "one line on stderr says so"; it was a line each); any other notebook is
    kept (one without the declared parameters still stops the render)."""
    from dcplan.report_params import available_notebooks
    src = (ROOT / "notebooks" / "rack_power.ipynb").read_text()
    for name in ("Untitled.ipynb", "Untitled1.ipynb", "_mine.ipynb", ".hidden.ipynb", "rack_power.ipynb",
                 "mine.ipynb"):
        (tmp_path / name).write_text(src)
    got = [p.name for p in available_notebooks(tmp_path)]
    assert got == ["mine.ipynb", "rack_power.ipynb"]
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"dcplan render: skipped 4 scratch notebooks in {tmp_path} (render skips Untitled*.ipynb and "
                   "names starting with '_' or '.'): .hidden.ipynb, Untitled.ipynb, Untitled1.ipynb, _mine.ipynb"]
    # asked for by name, a scratch notebook's error says why it is not there (a verifier: "unknown notebook")
    from dcplan.report_plan import plan_runs
    with pytest.raises(InputError) as e:
        plan_runs(notebooks=["Untitled"], notebook_dir=tmp_path)
    assert "unknown notebook 'Untitled' (render skips scratch notebooks: Untitled*, _* and .*; rename it to render " \
           "it)" in str(e.value)


# --- 7. an interactive export into a render's folder -------------------------------------------------------------

def test_export_dir_inside_a_render_folder_refused_outside_render(tmp_path, monkeypatch):
    """A folder with render's .dcplan-reports marker above it: a JupyterLab export there is refused, naming the
    marker; elsewhere it is allowed; under render (DCPLAN_NOTEBOOK set: its kernels run inside that folder) too."""
    from dcplan.report_files import REPORTS_MARKER
    from dcplan.report_param_values import check_export_outside_reports
    from dcplan.report_params import NOTEBOOK_ENV
    monkeypatch.delenv(NOTEBOOK_ENV, raising=False)
    reports = tmp_path / "reports"
    (reports / "tco" / "phoenix-az").mkdir(parents=True)
    (reports / REPORTS_MARKER).write_text("")
    with pytest.raises(InputError) as e:
        check_export_outside_reports(str(reports / "tco" / "phoenix-az" / "outputs"))
    assert e.value.field == "export_dir" and str(reports / REPORTS_MARKER) in str(e.value)
    monkeypatch.chdir(reports / "tco")
    with pytest.raises(InputError):  # relative to the kernel's folder, inside the reports
        check_export_outside_reports("outputs")
    mine = tmp_path / "mine" / "outputs"
    assert check_export_outside_reports(str(mine)) == mine
    monkeypatch.setenv(NOTEBOOK_ENV, str(ROOT / "notebooks" / "tco.ipynb"))
    assert str(check_export_outside_reports("outputs")) == "outputs"
    assert "out = check_export_outside_reports(export_dir)" in _code_cell("tco", "write_export(")
    assert "out = Path(check_export_outside_reports(export_dir))" in _code_cell(
        "portfolio_sweep", 'write_file(out / "portfolio_sweep_cases.csv"')  # and kept a file of yours there


def test_tco_refuses_a_site_changed_since_the_set_up(monkeypatch):
    """A verifier's finding: tco recorded its parameters in the cell that runs the TCO, while the site, its year and
    its tariff come from earlier cells: site changed and only that cell re-run gave an export named for the new site
    with the old site's figures. The set-up's parameters are recorded where the site is loaded and checked before
    the TCO is computed."""
    ns, _ = run_cells_until("tco", "setup_params = tco_export.run_parameters", monkeypatch, site="phoenix-az")
    assert ns["setup_params"]["site"] == "phoenix-az" and "export_dir" not in ns["setup_params"]
    ns["site"] = "chicago-il"
    with pytest.raises(InputError) as e:
        exec(_code_cell("tco", "check_parameters_unchanged(globals(), set_up=setup_params"), ns)
    assert "site = 'chicago-il' now, 'phoenix-az' when the set up was computed" in str(e.value)
    assert "nothing was computed" in str(e.value)


def test_an_export_into_the_installed_package_is_refused_saying_how_to_run_a_copy(tmp_path, monkeypatch):
    """A wheel user ran a bundled notebook where it is installed (``jupyter nbconvert --execute
    "$(dcplan docs --path notebooks)/site_analysis.ipynb"``): the kernel's folder is the notebook's, so the default
    export_dir 'outputs' wrote site-packages/dcplan/_bundled/notebooks/outputs/*.csv while the notebook printed
    "written to outputs/research-triangle-nc_sustainability.csv", a folder the user's own had not. Refused, naming
    the package and how to run a copy; a folder outside the package, and render's own run, are not."""
    import dcplan.paths as paths
    from dcplan.report_param_values import check_export_outside_reports
    from dcplan.report_params import NOTEBOOK_ENV
    monkeypatch.delenv(NOTEBOOK_ENV, raising=False)
    pkg = tmp_path / "site-packages" / "dcplan"
    installed_notebooks = pkg / "_bundled" / "notebooks"
    installed_notebooks.mkdir(parents=True)
    monkeypatch.setattr(paths, "_PKG", pkg)
    monkeypatch.chdir(installed_notebooks)
    with pytest.raises(InputError) as e:
        check_export_outside_reports("outputs")
    msg = str(e.value)
    assert e.value.field == "export_dir" and str(installed_notebooks / "outputs") in msg and str(pkg) in msg
    assert 'cp -r "$(dcplan docs --path notebooks)" my-notebooks' in msg and "nothing was written" in msg
    with pytest.raises(InputError):  # an absolute folder inside the package too
        check_export_outside_reports(str(pkg / "x"), field="export_dir")
    assert not (installed_notebooks / "outputs").exists()
    mine = tmp_path / "work" / "outputs"
    assert check_export_outside_reports(str(mine)) == mine  # the user's own folder
    monkeypatch.setenv(NOTEBOOK_ENV, str(installed_notebooks / "tco.ipynb"))  # render: its own scratch folder
    assert str(check_export_outside_reports("outputs")) == "outputs"
