"""Notebook parameters checked inside the notebook (dcplan.notebook_params) and the bounds the
bundled notebooks declare (metadata ``dcplan.parameters``).

A black-box run of every notebook with edge values (papermill and ``dcplan render``) found
values render let through that killed the kernel (tco ``n_draws`` 10^8, cooling_lag
``period_s`` 1e-6: 322 GiB), failed with internal names (``approach_k``, ``index``,
``n_training``, ``power_kw``) or were silently replaced; and papermill / JupyterLab runs got
no check at all."""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from dcplan.errors import InputError
from dcplan.notebook_params import check_parameters, declared_types
from dcplan.report import notebook_parameters, plan_runs
from dcplan.report_plan import check_parameter, notebook_rules

from conftest import papermill_execute

ROOT = Path(__file__).resolve().parent.parent
NBDIR = ROOT / "notebooks"
NOTEBOOKS = sorted(p for p in NBDIR.glob("*.ipynb") if not p.name.startswith("_"))
CHECK_LINE = 'from dcplan.notebook_params import check_parameters; check_parameters(globals(), "{}")'


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_checks_its_parameters_right_after_the_parameters_cell(nb):
    cells = json.loads(nb.read_text())["cells"]
    i = next(i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", []))
    assert "".join(cells[i + 1]["source"]) == CHECK_LINE.format(nb.stem)
    # the notebook's own defaults pass its own check
    doc = json.loads(nb.read_text())
    import ast
    defaults = {n.target.id: ast.literal_eval(n.value) for n in ast.parse("".join(cells[i]["source"])).body
                if isinstance(n, ast.AnnAssign)}
    assert set(declared_types(doc)) == set(defaults) == set(notebook_parameters(nb))
    check_parameters(defaults, nb.stem)


@pytest.mark.parametrize("notebook,values,match", [
    # wrong types, as a user editing the parameters cell in JupyterLab may type them
    ("cooling_lag", {"hours": "abc"}, r"^hours: 'abc': cooling_lag declares hours: float; give a finite number$"),
    ("cooling_lag", {"hours": float("nan")}, r"^hours: nan: cooling_lag declares hours: float; give a finite number$"),
    ("tco", {"n_draws": 10.5}, r"^n_draws: 10\.5: tco declares n_draws: int; give a whole number$"),
    ("tco", {"n_draws": True}, r"^n_draws: True: tco declares n_draws: int; give a whole number$"),
    ("tco", {"scenario": 3}, r"^scenario: 3: tco declares scenario: str; give text$"),
    # the metadata's ranges, with render's message (dcplan.report_plan.check_parameter)
    ("rack_power", {"detail_hours": -2.0}, r"^detail_hours: -2\.0: rack_power allows detail_hours in \[0\.01, 168\]$"),
    ("interconnection", {"battery_power_frac": -0.5},
     r"^battery_power_frac: -0\.5: interconnection allows battery_power_frac in \(0, 1\]$"),
    ("site_analysis", {"tokens_per_s_per_accelerator": -1.0},
     r"^tokens_per_s_per_accelerator: -1\.0: site_analysis allows tokens_per_s_per_accelerator in \[0, inf\)$"),
    ("tco", {"scenario": "bas"}, r"^scenario: 'bas' \(did you mean 'base'\?\): tco allows scenario one of: base, "),
])
def test_check_names_the_parameter_value_and_what_is_allowed(notebook, values, match):
    with pytest.raises(InputError, match=match) as e:
        check_parameters(values, notebook)
    assert e.value.field == next(iter(values))


@pytest.mark.parametrize("notebook,values,match", [
    # rack_power seed: [0, 2**32 - 1] (numpy's legacy seed range); %g printed 4.29497e+09, a bound
    # above the value it refused and a digit string nobody can type back
    ("rack_power", {"seed": 4294967296}, r"^seed: 4294967296: rack_power allows seed in \[0, 4294967295\]$"),
    ("tco", {"n_draws": 1}, r"^n_draws: 1: tco allows n_draws in \[100, 1000000\]$"),
    ("site_analysis", {"fleet_scale": 1e9}, r"^fleet_scale: 1000000000\.0: site_analysis allows fleet_scale in "
                                            r"\(0, 1000000\]$"),
])
def test_range_bounds_print_every_digit(notebook, values, match):
    with pytest.raises(InputError, match=match):
        check_parameters(values, notebook)


def test_float_bounds_print_their_shortest_exact_form():
    # repr's shortest round-trip form: %g cut 0.123456789 to 0.123457 and 1234567.5 to 1.23457e+06
    nb = NBDIR / "tco.ipynb"
    with pytest.raises(InputError, match=r"^-p x: 0\.1: tco allows x in \[0\.123456789, 1234567\.5\], or 1e-07$"):
        check_parameter("x", 0.1, {"min": 0.123456789, "max": 1234567.5, "also": [1e-7]}, nb)
    with pytest.raises(InputError, match=r"^-p x: 2: tco allows x in \[0, 1\)$"):
        check_parameter("x", 2, {"min": 0.0, "max": 1.0, "max_exclusive": True}, nb)


def test_a_missing_portfolio_file_names_the_parameter_the_folder_and_what_is_allowed(tmp_path, monkeypatch):
    # JupyterLab with portfolio = "nofile.yaml" stopped in load_portfolio with a bare
    # "InputError: nofile.yaml: file not found": no parameter, no folder
    monkeypatch.chdir(tmp_path)
    allowed = (f'site_climate allows portfolio "default" (the bundled example portfolio) or a portfolio YAML '
               f"file, absolute or relative to {tmp_path.resolve()}")
    with pytest.raises(InputError) as e:
        check_parameters({"portfolio": "nofile.yaml"}, "site_climate")
    assert e.value.field == "portfolio"
    assert str(e.value) == f"portfolio: 'nofile.yaml': no such file (looked in {tmp_path.resolve()}); {allowed}"
    with pytest.raises(InputError) as e:
        check_parameters({"portfolio": str(tmp_path)}, "site_climate")
    assert str(e.value) == f"portfolio: {str(tmp_path)!r}: a folder, not a file; {allowed}"
    # "default" and an existing file (relative to the working folder) pass; its content is load_portfolio's
    (tmp_path / "pf.yaml").write_text("name: x\n")
    check_parameters({"portfolio": "default"}, "site_climate")
    check_parameters({"portfolio": "pf.yaml"}, "site_climate")


def test_check_takes_a_namespace_a_path_or_the_notebook_itself():
    check_parameters(SimpleNamespace(n_draws=10_000, scenario="base"), NBDIR / "tco.ipynb")
    check_parameters({"n_draws": 10_000, "other": object()}, "tco.ipynb")  # only its parameters are checked
    doc = json.loads((NBDIR / "tco.ipynb").read_text())
    with pytest.raises(InputError, match=r"^n_draws: 1: notebook allows n_draws in \[100, 1000000\]$"):
        check_parameters({"n_draws": 1}, doc)
    with pytest.raises(InputError, match=r"no such notebook 'nope'; bundled: .*tco"):
        check_parameters({}, "nope")


def test_a_name_papermill_injected_that_the_notebook_does_not_declare_is_refused():
    # IPython keeps each cell run in In; papermill's injected cell starts "# Parameters"
    injected = '# Parameters\nsite = "phoenix-az"\nhourz = 2.0\n'
    ns = {"In": ["", "site: str = 'x'\nhours: float = 12.0\n", injected, "check_parameters(globals(), ...)"],
          "site": "phoenix-az", "hourz": 2.0}
    with pytest.raises(InputError, match=r"^hourz: 'hourz' is not a parameter cooling_lag declares \(did you mean "
                                         r"'hours'\?\) \(papermill passed it on.*cooling_lag declares: .*hours"):
        check_parameters(ns, "cooling_lag")
    # declared names only, or no injected cell (JupyterLab): nothing refused
    ns["In"][2] = '# Parameters\nsite = "phoenix-az"\nhours = 2.0\n'
    check_parameters(ns, "cooling_lag")
    check_parameters({"In": ["", "hourz = 2.0"], "hourz": 2.0}, "cooling_lag")


@pytest.mark.parametrize("notebook,name,value", [
    ("tco", "n_draws", 100_000_000),            # killed the kernel (memory)
    ("tco", "n_draws", 1),                      # "probability NPV < 0" = 100 % from one draw
    ("cooling_lag", "period_s", 1e-6),          # training_load_kw asked for 322 GiB
    ("cooling_lag", "hours", 1000.0),
    ("cooling_lag", "low_s", 0.5),
    ("site_climate", "dry_cooler_approach_k", 1000.0),  # was "approach_k: must be ... [0, 30]" at run time
    ("site_climate", "air_plant_chw_supply_degc", -300.0),
    ("rack_power", "detail_hours", 0.0001),     # was "index: need at least 2 timestamps"
    ("rack_power", "detail_hours", 10_000.0),   # ran: 36 million 1 s samples per series; a week is the cap
    ("rack_power", "seed", 99_999_999_999),     # failed in a cell: numpy seeds are one 32-bit word
    ("offpeak_scheduling", "n_jobs", 1),        # was "n_training + n_nonpreemptible = 24 exceeds n_jobs"
    ("interconnection", "battery_power_frac", 1e6),  # published a 5.3 GW battery for a 5.3 MW site
    ("portfolio_comparison", "weight_cost", 1e308),  # the weights' sum overflowed
])
def test_render_refuses_the_edge_values_up_front(notebook, name, value, tmp_path):
    nb = NBDIR / f"{notebook}.ipynb"
    rules = notebook_rules(nb, notebook_parameters(nb))
    with pytest.raises(InputError, match=rf"^-p {name}: .*{notebook} allows {name} in "):
        check_parameter(name, value, rules[name], nb)
    with pytest.raises(InputError, match=rf"^-p {name}: "):
        plan_runs(notebooks=[notebook], sites=["phoenix-az"], out=tmp_path, parameters={name: value})


# -- papermill runs: the notebook refuses what render would, naming the parameter -------------

def _papermill(tmp_path, notebook, cold=False, **parameters):
    """papermill as a user runs it (:func:`conftest.papermill_execute`): a kernel forked from the worker's
    zygote, or with ``cold`` one that starts and imports everything itself."""
    params = {"site": "phoenix-az", **parameters}
    if notebook.startswith("portfolio"):
        params.pop("site")
    return papermill_execute(NBDIR / f"{notebook}.ipynb", tmp_path / "out.ipynb", cwd=str(NBDIR),
                             parameters=params, kernel_name="python3", cold=cold)


@pytest.mark.slow
@pytest.mark.parametrize("notebook,parameters,match", [
    ("cooling_lag", {"hours": "abc"}, r"hours: 'abc': cooling_lag declares hours: float; give a finite number"),
    ("rack_power", {"detail_hours": -2}, r"detail_hours: -2: rack_power allows detail_hours in \[0\.01, 168\]"),
    ("interconnection", {"battery_power_frac": -0.5}, r"battery_power_frac: -0\.5: interconnection allows"),
    ("site_analysis", {"tokens_per_s_per_accelerator": -1}, r"tokens_per_s_per_accelerator: -1: site_analysis allows"),
    ("cooling_lag", {"low_s": 900.0, "period_s": 600.0}, r"low_s: 900 s: a pause must be shorter than period_s"),
    # papermill only warns of a name the notebook does not declare, and the run used the default
    ("site_climate", {"tower_aproach_k": 3.0}, r"tower_aproach_k: 'tower_aproach_k' is not a parameter site_climate "
                                               r"declares \(did you mean 'tower_approach_k'\?\)"),
    ("offpeak_scheduling", {"n_jobs": 10, "n_nonpreemptible": 20},
     r"n_jobs: 10: each synthetic mix holds 4 training runs and n_nonpreemptible = 20 jobs that cannot be paused, so "
     r"n_jobs must be at least 24"),
])
def test_papermill_runs_check_their_parameters(tmp_path, notebook, parameters, match):
    import papermill as pm
    with pytest.raises(pm.PapermillExecutionError, match=match) as e:
        _papermill(tmp_path, notebook, **parameters)
    assert e.value.ename == "InputError"


@pytest.mark.slow
@pytest.mark.parametrize("week_start,match", [
    # not a calendar day: the notebook's parameter rule (format: date), as render's pre-check says it
    *[(w, rf"week_start: {w!r}: offpeak_scheduling allows week_start as a date YYYY-MM-DD \(a calendar day")
      for w in ("abc", "2025-07-14 00:00-05:00", "2025-07-14T13:30", "20250714")],
    # well formed, no such day: which, and the month's last day
    ("2025-02-30", r"week_start: '2025-02-30': 2025 has no 30 February; the month's last day is 2025-02-28; "
                   r"offpeak_scheduling allows week_start as a date YYYY-MM-DD \(a calendar day"),
    # a day whose week leaves the site's weather year: the notebook's own check, with the range
    ("2025-12-29", r"week_start: the week from 2025-12-29 must lie within the weather year: allowed 2025-01-01 to "
                   r"2025-12-25"),
])
def test_offpeak_week_start_is_a_local_date_within_the_weather_year(tmp_path, week_start, match):
    import papermill as pm
    with pytest.raises(pm.PapermillExecutionError, match=match) as e:
        _papermill(tmp_path, "offpeak_scheduling", week_start=week_start, rolling_weeks=1)
    assert e.value.ename == "InputError"


@pytest.mark.slow
def test_offpeak_a_mix_that_does_not_fit_names_the_parameters(tmp_path):
    import papermill as pm
    with pytest.raises(pm.PapermillExecutionError, match=r"utilisation_frac: the synthetic job mix does not fit "
                                                         r"this site's week .*lower utilisation_frac \(now 1\) or "
                                                         r"flex_share_frac \(now 1\)"):
        _papermill(tmp_path, "offpeak_scheduling", utilisation_frac=1.0, flex_share_frac=1.0, rolling_weeks=1)


@pytest.mark.slow
@pytest.mark.parametrize("value", ["", "site"])
def test_tco_and_site_analysis_take_empty_and_site_as_the_sites_tariff(tmp_path, value):
    """site_analysis failed in papermill on "" (README: "" keeps the site's tariff) with
    "tariff file not found: .../data/sites", a folder; tco failed on "site"."""
    out = _papermill(tmp_path, "tco", tariff_file=value, n_draws=100, export_dir="")
    text = json.dumps(out.cells[-1].get("outputs", []))
    assert "net_cash_flow_usd" in text
    (tmp_path / "sa").mkdir()
    out = _papermill(tmp_path / "sa", "site_analysis", tariff_file=value)
    records = [o["data"]["application/vnd.dcplan.results+json"] for c in out.cells for o in c.get("outputs", [])
               if "application/vnd.dcplan.results+json" in o.get("data", {})]
    tariffs = [r["value"] for rs in records for r in rs["records"] if r["key"] == "tariff"]
    from dcplan import pipeline
    from dcplan.site import load_site
    assert tariffs == [pipeline.site_tariff(load_site("phoenix-az")).name]  # phoenix-az.yaml's own tariff


@pytest.mark.slow
def test_rack_power_refuses_a_cap_below_idle_in_its_setup_cell(tmp_path):
    """-p cap_w_per_accelerator 50 failed in the 1 s cell (cell 9); now the setup cell refuses it,
    naming the site's accelerator idle floor (phoenix-az: hgx-b200, 140 W in data/hardware.csv).
    Its kernel starts cold, as a user's papermill kernel does (the module's other runs fork theirs)."""
    import papermill as pm
    with pytest.raises(pm.PapermillExecutionError, match=r"cap_w_per_accelerator: 50 W is below the idle power of "
                                                         r"this fleet's accelerators: 'hgx-b200' idles at 140 W") as e:
        _papermill(tmp_path, "rack_power", cold=True, cap_w_per_accelerator=50.0)
    assert e.value.ename == "InputError" and "load_portfolio(portfolio)" in e.value.source


@pytest.mark.slow
def test_rack_power_notes_a_cap_that_does_nothing_and_labels_its_per_token_energy(tmp_path):
    """A 5,000 W cap on phoenix-az's B200s (TDP 1,000 W) ran without a word; the per-token energy
    was published in "kWh" and did not say it leaves out cooling (site_analysis's includes it)."""
    out = _papermill(tmp_path, "rack_power", cap_w_per_accelerator=5000.0, detail_hours=0.01)
    text = "".join(o.get("text", "") for c in out.cells for o in c.get("outputs", []))
    assert ("Note: cap_w_per_accelerator 5000 W is at or above the 1000 W TDP of 'hgx-b200' (data/hardware.csv "
            "accelerator_tdp_w): it never binds there, so its capped results equal the uncapped ones.") in text
    recs = {r["key"]: r for c in out.cells for o in c.get("outputs", [])
            for r in o.get("data", {}).get("application/vnd.dcplan.results+json", {}).get("records", [])}
    fac = recs["kwh_per_million_tokens_it_electrical"]
    assert fac["unit"] == "kWh/M tokens" and fac["label"].endswith(
        "IT + electrical losses; cooling not included (with cooling: site_analysis facility_kwh_per_m_tokens)")
    # independent of token_metrics: tokens = tokens/kWh(IT) x IT kWh, energy = IT + losses (both published)
    it_mwh, loss_mwh = recs["it_energy_mwh"]["value"], recs["electrical_losses_mwh"]["value"]
    tokens = recs["tokens_per_kwh_it"]["value"] * it_mwh * 1000
    assert fac["value"] == pytest.approx((it_mwh + loss_mwh) * 1000 / tokens * 1e6, rel=1e-9)
    assert recs["cap_peak_reduction_frac"]["value"] == 0.0   # the cap never binds


@pytest.mark.parametrize("typed,want", [("2000.0", 2000), ("2e3", 2000), (" 2000 ", 2000), (2000.0, 2000)])
def test_a_whole_float_for_an_int_parameter_is_that_int(typed, want):
    # a notebook explorer's `-p n_draws 2000.0` was refused with "give a whole number"
    from dcplan.report_params import coerce_parameter
    v = coerce_parameter("n_draws", typed, "int", NBDIR / "tco.ipynb")
    assert v == want and type(v) is int
    for frac in ("2000.5", 2000.5, float("inf"), "nan", True):
        with pytest.raises(InputError, match=r"tco declares n_draws: int; give a whole number \(2000 or 2000\.0"):
            coerce_parameter("n_draws", frac, "int", NBDIR / "tco.ipynb")


def test_render_plans_n_draws_2000_point_0_as_the_int_2000(tmp_path):
    runs = plan_runs(None, sites=["phoenix-az"], notebooks=["tco"], out=tmp_path / "o",
                     parameters={"n_draws": "2000.0"})
    assert runs[0].parameters["n_draws"] == 2000 and type(runs[0].parameters["n_draws"]) is int


def test_the_notebook_check_turns_a_whole_float_into_the_int():
    # papermill -p n_draws 2000.0 injects the float: the notebook's variable becomes the int
    ns = {"n_draws": 2000.0}
    check_parameters(ns, "tco")
    assert ns["n_draws"] == 2000 and type(ns["n_draws"]) is int
    obj = SimpleNamespace(n_draws=2000.0)
    check_parameters(obj, "tco")
    assert type(obj.n_draws) is int


def test_a_parameter_the_running_copy_declares_is_not_refused():
    """A planner's copy of site_analysis with ``analyst: str = "me"`` added to its parameters cell,
    run with ``-p analyst bob``, was refused ("'analyst' is not a parameter site_analysis
    declares"): the check read the bundled notebook's cell only. The running notebook's own cell (run
    just before papermill's injected one, in IPython's In) counts too; a name neither declares is
    still refused."""
    own_cell = 'site: str = "phoenix-az"\nanalyst: str = "me"\n'
    values = {"In": ["", own_cell, '# Parameters\nanalyst = "bob"\n'], "analyst": "bob"}
    check_parameters(values, "site_analysis")
    values = {"In": ["", own_cell, '# Parameters\nanalist = "bob"\n'], "analist": "bob"}
    with pytest.raises(InputError, match=r"'analist' is not a parameter site_analysis declares"):
        check_parameters(values, "site_analysis")


@pytest.mark.parametrize("field, value", [("jobs_file", "data/jobs_example.csv"),
                                          ("system_load_csv", "data/system_load_example.csv"),
                                          ("tariff_file", "data/tariffs/duke-nc-opt-tou.json")])
def test_a_data_file_parameter_is_the_bundled_copy_from_any_folder_as_render_takes_it(tmp_path, monkeypatch, field,
                                                                                      value):
    # JupyterLab outside a checkout: jobs_file = "data/jobs_example.csv" was refused ("no such file (looked in
    # <folder> and .../_bundled/data)") while dcplan render -p jobs_file data/jobs_example.csv ran from any folder
    from dcplan.cli import _bundled_file_value
    from dcplan.notebook_params import parameter_file
    from dcplan.paths import data_dir
    monkeypatch.chdir(tmp_path)
    bundled = (data_dir() / value.removeprefix("data/")).resolve()
    assert bundled.is_file()
    assert parameter_file(value, field) == bundled == Path(_bundled_file_value(field, value))
    # a data/ folder of one's own in the working folder still wins, as on the command line
    (tmp_path / value).parent.mkdir(parents=True)
    (tmp_path / value).write_text("x\n")
    assert parameter_file(value, field) == tmp_path.resolve() / value
    with pytest.raises(InputError) as e:
        parameter_file("data/nosuch.csv", field)
    assert e.value.detail == f"'data/nosuch.csv': no such file (looked in {tmp_path.resolve()} and {data_dir()})"


def test_a_data_portfolio_parameter_is_the_bundled_portfolio_from_any_folder(tmp_path, monkeypatch):
    # portfolio = "data/portfolio.yaml" in JupyterLab outside a checkout: refused by the check (dcplan render
    # --portfolio data/portfolio.yaml runs from any folder); now the check hands load_portfolio the bundled file
    from dcplan.paths import data_dir
    monkeypatch.chdir(tmp_path)
    ns = {"portfolio": "data/portfolio.yaml"}
    check_parameters(ns, "site_climate")
    assert ns["portfolio"] == str((data_dir() / "portfolio.yaml").resolve())
    with pytest.raises(InputError) as e:
        check_parameters({"portfolio": "data/nofile.yaml"}, "site_climate")
    assert str(e.value).startswith(f"portfolio: 'data/nofile.yaml': no such file (looked in {tmp_path.resolve()} and "
                                   f"{data_dir()}); site_climate allows")
    # a name given without data/ is still only the working folder's (as on the command line)
    with pytest.raises(InputError, match=r"no such file \(looked in [^)]*\); "):
        check_parameters({"portfolio": "portfolio.yaml"}, "site_climate")


def test_an_export_folder_the_export_would_refuse_is_refused_with_the_parameters(tmp_path, monkeypatch):
    """The tco notebook opened in JupyterLab where a wheel installed it (or inside a reports folder) computed
    its case for about 20 s and only then refused its export_dir: check_parameters, the cell after the
    parameters cell, now refuses it first, with the export cell's message; '' (no export) and a folder of
    one's own pass, and under render (its kernel's NOTEBOOK_ENV) the folder is render's own."""
    from dcplan import paths
    from dcplan.report_files import REPORTS_MARKER
    from dcplan.report_params import NOTEBOOK_ENV
    monkeypatch.delenv(NOTEBOOK_ENV, raising=False)
    inside_pkg = paths._PKG / "_bundled" / "notebooks" / "outputs"
    with pytest.raises(InputError) as e:
        check_parameters({"export_dir": str(inside_pkg)}, "tco")
    assert e.value.field == "export_dir" and "is inside the dcplan package" in str(e.value)
    assert not inside_pkg.exists()  # nothing written
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / REPORTS_MARKER).write_text("{}")
    with pytest.raises(InputError) as e:
        check_parameters({"export_dir": str(tmp_path / "reports" / "x" / "tco" / "outputs")}, "tco")
    assert e.value.field == "export_dir" and "inside the reports folder" in str(e.value)
    check_parameters({"export_dir": ""}, "tco")
    check_parameters({"export_dir": str(tmp_path / "mine")}, "tco")
    monkeypatch.setenv(NOTEBOOK_ENV, str(paths.notebooks_dir() / "tco.ipynb"))
    check_parameters({"export_dir": str(tmp_path / "reports" / "x" / "tco" / "outputs")}, "tco")


def test_a_site_the_portfolio_does_not_hold_is_refused_with_the_parameters(tmp_path):
    """``site = "phoenix"`` in JupyterLab failed at the load cell, after about 12 s; the check refuses it
    at once, with the loader's words: the did-you-mean and the portfolio's ids (data/portfolio.yaml lists
    these four sites, in this order)."""
    import time
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"^.*portfolio\.yaml: site: no site 'phoenix' in portfolio 'Example US "
                                         r"portfolio' \(did you mean 'phoenix-az'\?\); sites: research-triangle-nc, "
                                         r"northern-virginia, phoenix-az, chicago-il$"):
        check_parameters({"portfolio": "default", "site": "phoenix"}, "rack_power")
    assert time.perf_counter() - t0 < 1.0  # the YAML files read, not the sites validated (about 1.5 s)
    check_parameters({"portfolio": "default", "site": "phoenix-az"}, "rack_power")
    # a portfolio of your own: its site files' ids (an id: key, else the file's name)
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "Zürich Nord.yaml").write_text("name: x\n", encoding="utf-8")
    (tmp_path / "sites" / "b.yaml").write_text("id: bern\n", encoding="utf-8")
    p = tmp_path / "mine.yaml"
    p.write_text("name: mine\nsites:\n  - sites/Zürich Nord.yaml\n  - sites/b.yaml\n", encoding="utf-8")
    check_parameters({"portfolio": str(p), "site": "zurich-nord"}, "rack_power")
    with pytest.raises(InputError, match=r"no site 'b' in portfolio 'mine'; sites: zurich-nord, bern$"):
        check_parameters({"portfolio": str(p), "site": "b"}, "rack_power")
