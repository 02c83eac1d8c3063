"""dcplan.report / dcplan render: planning, isolation, atomic outputs, failures, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report import plan_runs, render, safe_slug
from dcplan.results import collect, publish, format_value

from conftest import DATA, needs_proc
from conftest import record_fsync_and_replace as _record_fsync_and_replace

TWO_SITES = f"""name: two sites
sites:
  - {DATA / 'sites' / 'phoenix-az.yaml'}
  - {DATA / 'sites' / 'chicago-il.yaml'}
"""


def _nb(path: Path, params: str, body: str, scope: str = "site") -> Path:
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["dcplan"] = {"scope": scope}
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def workspace(tmp_path):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "flaky.ipynb",
        'site: str = "x"\nportfolio: str = "default"\nfail_site: str = ""',
        "from dcplan.results import publish\n"
        "publish('site_len', len(site), unit='chars', headline=True)\n"
        "publish('fail_site_echo', fail_site)\n"
        "if site == fail_site:\n    raise ValueError(f'boom for {site}')\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    return tmp_path, nbdir, pf


@pytest.mark.parametrize("jobs", [1, 2])  # -j 1 writes a run's outputs while the next executes
def test_failed_run_keeps_previous_report_and_others_complete(workspace, jobs):
    tmp, nbdir, pf = workspace
    out = tmp / "reports"
    s1 = render(portfolio=pf, out=out, jobs=jobs, notebook_dir=nbdir, progress=False)
    assert s1.ok, s1.table()
    good_html = (out / "phoenix-az" / "flaky" / "report.html").read_bytes()
    good_json = json.loads((out / "phoenix-az" / "flaky" / "results.json").read_text())
    assert good_json["results"]["site_len"]["value"] == len("phoenix-az")

    s2 = render(portfolio=pf, out=out, jobs=jobs, notebook_dir=nbdir, progress=False,
                parameters={"fail_site": "phoenix-az"})
    assert not s2.ok
    bad = next(r for r in s2.results if r.run.site_id == "phoenix-az")
    other = next(r for r in s2.results if r.run.site_id == "chicago-il")
    assert other.ok and not bad.ok
    assert "ValueError: boom for phoenix-az" in bad.error and bad.failed_cell == 2
    table = s2.table()
    assert "phoenix-az/flaky" in table and "FAILED" in table and "cell 2" in table
    # previous good report kept, marked not current (a banner atop it, nothing else changed);
    # failed notebook kept aside for debugging; no temp left
    from dcplan.report_stale import _BANNER_RE
    kept_html = (out / "phoenix-az" / "flaky" / "report.html").read_text(encoding="utf-8")
    assert "<strong>Not current.</strong> stale: the latest render of this run failed" in kept_html
    assert _BANNER_RE.sub("", kept_html).encode() == good_html
    assert (out / "_failed" / "phoenix-az" / "flaky.ipynb").is_file()
    assert (out / "_failed" / "phoenix-az" / "flaky.kernel.log").is_file()  # the kernel's own output
    assert not (out / ".dcplan-tmp").exists()
    index = (out / "index.html").read_text()
    assert "boom for phoenix-az" in index and "previous good report" in index
    # the index names the failing cell too (this notebook: the parameters cell, then the one that
    # raises), numbered as in the summary, and links the failed run's executed notebook
    assert "cell 2 of flaky.ipynb (counting markdown cells): ValueError: boom for phoenix-az" in index
    assert "cell 2 of flaky.ipynb: ValueError: boom for phoenix-az" in table
    assert "href='_failed/phoenix-az/flaky.ipynb'" in index
    assert "_failed/chicago-il" not in index
    # the other site's report is new (carries the new parameter)
    doc = json.loads((out / "chicago-il" / "flaky" / "results.json").read_text())
    assert doc["parameters"]["fail_site"] == "phoenix-az"
    # the first run fails, then the last (whose outputs -j 1 writes after the loop): results
    # in plan order either way
    for fail in ("phoenix-az", "chicago-il"):
        s3 = render(portfolio=pf, out=out, jobs=jobs, notebook_dir=nbdir, progress=False,
                    parameters={"fail_site": fail}, force=True)
        assert [r.run.site_id for r in s3.results] == [r.run.site_id for r in s1.results]
        assert [r.ok for r in s3.results] == [r.run.site_id != fail for r in s3.results]
        assert not (out / ".dcplan-tmp").exists()
        # a run that succeeds again loses its _failed files; the failed one keeps its own
        for site in ("phoenix-az", "chicago-il"):
            kept = {p.name for p in (out / "_failed" / site).glob("*")} if (out / "_failed" / site).exists() else set()
            assert kept == ({"flaky.ipynb", "flaky.kernel.log"} if site == fail else set()), (fail, site, kept)


def test_results_json_records_every_parameter_the_run_used(workspace):
    """results.json listed only the injected parameters (site, portfolio): a tco run did not
    say which scenario, n_draws or tariff_file it used. Now ``parameters`` holds every
    parameter of the parameters cell with the value the run used (its default, or the
    injected value over it), and ``parameters_injected`` names those injected."""
    tmp, nbdir, pf = workspace
    _nb(nbdir / "defaults.ipynb",
        'site: str = "x"\nportfolio: str = "default"\nn_draws: int = 1000\nscale: float = 0.5\n'
        'tags = ["a", "b"]\nnote: str = ""\nwhen = __import__("time").time()  # not a literal: not recorded',
        "from dcplan.results import publish\npublish('n', n_draws)\n")
    out = tmp / "r"
    s = render(portfolio=pf, sites=["chicago-il"], notebooks=["defaults"], out=out, jobs=1, notebook_dir=nbdir,
               progress=False, parameters={"n_draws": "200"})
    assert s.ok, s.table()
    doc = json.loads((out / "chicago-il" / "defaults" / "results.json").read_text())
    assert doc["parameters"] == {"site": "chicago-il", "portfolio": str(pf.resolve()), "n_draws": 200,
                                 "scale": 0.5, "tags": ["a", "b"], "note": ""}
    assert doc["parameters_injected"] == ["n_draws", "portfolio", "site"]
    assert doc["results"]["n"]["value"] == 200  # the value recorded is the one the notebook ran with


def test_results_json_has_parameters_and_provenance(workspace):
    tmp, nbdir, pf = workspace
    out = tmp / "r"
    s = render(portfolio=pf, sites=["chicago-il"], out=out, jobs=1, notebook_dir=nbdir, progress=False)
    assert s.ok
    doc = json.loads((out / "chicago-il" / "flaky" / "results.json").read_text())
    assert doc["parameters"]["site"] == "chicago-il"
    prov = doc["provenance"]
    assert prov["libraries"]["pandas"] and prov["dcplan_version"]
    import hashlib
    wfile = DATA / "weather" / "USA_IL_Chicago-OHare.Intl.AP.725300_TMY3.epw"
    assert prov["inputs_sha256"]["weather"] == hashlib.sha256(wfile.read_bytes()).hexdigest()
    assert "TMY3" in prov["data_vintages"]["weather"]
    # the tariff's startdate (a file dcplan built in URDB's format, its prices estimates: not a URDB record) and the
    # years of each bundled table's vintage column, read here
    tariff = json.loads((DATA / "tariffs" / "comed-il-large-load.json").read_text())
    assert prov["inputs"]["tariff"].endswith("comed-il-large-load.json")
    assert prov["data_vintages"]["tariff"] == (
        f"dcplan-built tariff file (URDB format, not a URDB record; price status: estimate), startdate "
        f"{tariff['startdate']}")
    # the day the site's plan was made (its as_of, read from the file here): its dates were checked as of it
    import yaml
    as_of = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())["as_of"]
    assert prov["data_vintages"]["plan_as_of"] == f"{as_of.isoformat()} (the site file's as_of)"
    import re

    import pandas as pd
    years = sorted(int(y) for v in pd.read_csv(DATA / "hardware.csv", comment="#")["vintage"].astype(str)
                   for y in re.findall(r"\d{4}", v))
    assert prov["data_vintages"]["data:hardware.csv"] == f"{years[0]}-{years[-1]}"
    # cooling_defaults.csv has a vintage column too (per-row vintages, 2026): its years' span, read here
    cyears = sorted(int(y) for v in pd.read_csv(DATA / "cooling_defaults.csv")["vintage"].astype(str)
                    for y in re.findall(r"\d{4}", v))
    assert prov["data_vintages"]["data:cooling_defaults.csv"] == f"{cyears[0]}-{cyears[-1]}"
    # numbers shown in the HTML are the numbers in results.json
    html = (out / "chicago-il" / "flaky" / "report.html").read_text()
    import re
    shown = re.search(r"data-key=[\"']site_len[\"'][^>]*>([^<]*)<", html).group(1)  # (any attribute after it)
    assert shown == format_value(doc["results"]["site_len"]["value"], "chars") == "10 chars"


def test_parameters_are_injected_as_literals_not_code(workspace):
    tmp, nbdir, pf = workspace
    out = tmp / "r"
    evil = "x'); open('PWNED', 'w').write('1'); ('"
    s = render(portfolio=pf, sites=["chicago-il"], out=out, jobs=1, notebook_dir=nbdir,
               progress=False, parameters={"fail_site": evil})
    assert s.ok, s.table()
    doc = json.loads((out / "chicago-il" / "flaky" / "results.json").read_text())
    assert doc["results"]["fail_site_echo"]["value"] == evil
    assert not list(tmp.rglob("PWNED"))


def test_unknown_parameter_is_an_error_with_suggestion(workspace):
    tmp, nbdir, pf = workspace
    with pytest.raises(InputError, match="unknown parameter 'fail_sit'.*did you mean 'fail_site'") as e:
        plan_runs(pf, parameters={"fail_sit": "a"}, notebook_dir=nbdir)
    # the list names what -p may set: not site and portfolio, which render sets (and refuses)
    took = str(e.value).partition("take: ")[2].split(", ")
    assert "fail_site" in took and "site" not in took and "portfolio" not in took


def test_notebook_without_site_parameter_is_rejected(tmp_path):
    nbdir = tmp_path / "n"
    nbdir.mkdir()
    _nb(nbdir / "nosite.ipynb", 'portfolio: str = "default"', "1")
    with pytest.raises(InputError, match="must declare parameter 'site'"):
        plan_runs(None, notebook_dir=nbdir)


def test_required_parameter_must_be_given(tmp_path):
    nbdir = tmp_path / "n"
    nbdir.mkdir()
    _nb(nbdir / "req.ipynb", 'site: str = "x"\nportfolio: str = "d"\nscenario: str = None', "1")
    with pytest.raises(InputError, match="required parameter 'scenario'"):
        plan_runs(None, notebook_dir=nbdir)
    assert plan_runs(None, notebook_dir=nbdir, parameters={"scenario": "a"})


def test_portfolio_scope_notebook_runs_once(tmp_path):
    nbdir = tmp_path / "n"
    nbdir.mkdir()
    _nb(nbdir / "cmp.ipynb", 'portfolio: str = "default"', "1", scope="portfolio")
    runs = plan_runs(None, notebook_dir=nbdir, out=tmp_path / "o")
    assert len(runs) == 1 and runs[0].site_id is None
    assert runs[0].out_dir == (tmp_path / "o" / "_portfolio" / "cmp").resolve()


@pytest.mark.parametrize("name", ["../x", "a b", "Zürich DC", "..", "/etc/passwd", "con"])
def test_safe_slug_cannot_escape_and_is_unique(name):
    s = safe_slug(name)
    assert "/" not in s and "\\" not in s and not s.startswith(".") and s
    assert s.isascii()
    assert safe_slug("a b") != safe_slug("a-b")


def test_site_file_with_unsafe_name_gets_safe_output_path(tmp_path):
    weird = tmp_path / "My Site ü.yaml"
    text = (DATA / "sites" / "chicago-il.yaml").read_text().replace(
        "file: weather/", f"file: {DATA / 'weather'}/")
    weird.write_text(text.replace("name: Chicago, IL", "name: \"../../etc x'\\\"\""))
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: w\nsites: ['{weird}']\n")
    nbdir = tmp_path / "n"
    nbdir.mkdir()
    _nb(nbdir / "a.ipynb", 'site: str = "x"\nportfolio: str = "d"', "1")
    runs = plan_runs(pf, notebook_dir=nbdir, out=tmp_path / "o")
    out = runs[0].out_dir
    assert (tmp_path / "o").resolve() in out.parents
    assert out.parent.name.isascii() and " " not in out.parent.name


def test_results_collect_and_format():
    recs = publish({"a_kw": (1234.5, "kW", "A"), "b": 3}, show=False)
    nb = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": {"application/vnd.dcplan.results+json": {"records": recs}}}]}]}
    got = collect(nb)
    assert got["a_kw"]["value"] == 1234.5 and got["b"]["value"] == 3
    assert format_value(1234.5, "kW") == "1,234 kW" or format_value(1234.5, "kW") == "1,235 kW"
    # whole counts published as floats (hours from a sum of booleans, events) show no decimals
    assert format_value(811.0, "h") == "811 h" and format_value(1.0, "h") == "1 h"
    assert format_value(12000.0, "USD") == "12,000 USD" and format_value(2.5, "h") == "2.50 h"
    # temperatures to one decimal at any size (Chicago's mean 9.99 °C showed beside 12.7 °C elsewhere)
    assert format_value(9.99, "°C") == "10.0 °C" and format_value(12.71, "°C") == "12.7 °C"
    assert format_value(-0.04, "°C") == "0.0 °C" and format_value(30.0, "°C") == "30 °C"
    # fractions show as percentages (results.json keeps the fraction)
    assert format_value(0.151, "frac") == "15.1 %" and format_value(1.0, "frac") == "100 %"
    assert format_value(0.0352, "frac") == "3.52 %" and format_value(-0.25, "frac") == "-25 %"
    assert format_value(0.0, "frac") == "0 %" and format_value(float("nan"), "frac") == "nan frac"
    # a rounded figure keeps its three significant figures' zeros: offpeak's rolling_saving_frac 0.08001 and
    # rack_power's cap reduction 0.12001 showed "8 %" and "12 %" beside "4.79 %", read as whole percents
    assert format_value(0.08001, "frac") == "8.00 %" and format_value(0.12001, "frac") == "12.0 %"
    assert format_value(0.0479, "frac") == "4.79 %" and format_value(0.07, "frac") == "7 %"  # exactly 7 %
    assert format_value(0.5001) == "0.500" and format_value(0.9996, "frac") == "100 %"
    import numpy as np
    assert format_value(np.float32(0.5), "frac") == "50 %" and format_value(np.int64(1), "frac") == "100 %"


# --- command line ------------------------------------------------------------

def test_cli_missing_portfolio_is_exit_2_one_line(tmp_path, capsys):
    rc = main(["render", "--portfolio", str(tmp_path / "nope.yaml"), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "nope.yaml" in err[0] and "not found" in err[0]


def test_cli_unreadable_yaml_is_exit_2(tmp_path, capsys):
    f = tmp_path / "pf.yaml"
    f.write_text("sites: [a, \n")
    assert main(["render", "--portfolio", str(f), "-q"]) == 2
    assert "not valid YAML" in capsys.readouterr().err


def test_cli_empty_portfolio_is_exit_2(tmp_path, capsys):
    f = tmp_path / "pf.yaml"
    f.write_text("name: e\nsites: []\n")
    assert main(["render", "--portfolio", str(f), "-q"]) == 2
    assert "no sites" in capsys.readouterr().err


def test_cli_missing_weather_is_exit_2(tmp_path, capsys):
    site = tmp_path / "s.yaml"
    site.write_text((DATA / "sites" / "chicago-il.yaml").read_text().replace(
        "weather/USA_IL", "weather/NOPE_USA_IL"))
    f = tmp_path / "pf.yaml"
    f.write_text(f"name: e\nsites: ['{site}']\n")
    assert main(["render", "--portfolio", str(f), "-q"]) == 2
    err = capsys.readouterr().err
    assert "weather.file" in err and "NOPE_USA_IL" in err


def test_cli_unknown_notebook_and_site_are_exit_2(capsys):
    assert main(["render", "--notebooks", "site_climat", "-q"]) == 2
    assert "did you mean 'site_climate'" in capsys.readouterr().err
    assert main(["render", "--sites", "phoenix", "-q"]) == 2
    assert "phoenix-az" in capsys.readouterr().err


def test_cli_failed_run_is_exit_1_with_summary(workspace, capsys):
    tmp, nbdir, pf = workspace
    rc = main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--sites", "phoenix-az",
               "-p", "fail_site", "phoenix-az", "--out", str(tmp / "o"), "-q", "-j", "1"])
    out = capsys.readouterr().out
    assert rc == 1 and "FAILED" in out and "boom for phoenix-az" in out
    # and says where the failed run's executed notebook (with its traceback) was kept
    assert f"executed notebooks (with the traceback): {(tmp / 'o' / '_failed').resolve()}" in out
    assert "cell 2 of flaky.ipynb: ValueError: boom for phoenix-az" in out
    assert ("cell N of X.ipynb = the Nth cell of the notebook file X.ipynb, counting every cell from 1, "
            "markdown included (the executed copy in _failed/ also holds papermill's injected-parameters "
            "cell") in out


@pytest.mark.parametrize("jobs", ["-1", "-3"])
def test_cli_negative_jobs_is_exit_2(jobs, capsys):
    # -j -3 ran one at a time, silently (-j 0 is one per core, as for dcplan sweep)
    assert main(["render", "-j", jobs, "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "-j/--jobs" in err[0] and f"got {jobs}" in err[0]


def test_cli_validate_reports_every_problem(tmp_path, capsys):
    bad = tmp_path / "s.yaml"
    bad.write_text((DATA / "sites" / "chicago-il.yaml").read_text().replace("latitude: 41.98", "latitude: 123")
                   .replace("longitude: -87.92", "longitud: -87.92"))
    assert main(["validate", str(bad), str(DATA / "sites" / "phoenix-az.yaml")]) == 2
    captured = capsys.readouterr()
    assert "latitude" in captured.err and "did you mean 'longitude'" in captured.err
    assert "phoenix-az.yaml: ok" in captured.out


def test_unparseable_parameter_line_is_an_error(tmp_path):
    # papermill silently skips a parameters line it cannot parse; dcplan refuses the notebook
    nbdir = tmp_path / "n"
    nbdir.mkdir()
    _nb(nbdir / "odd.ipynb", 'site: str = "x"\nportfolio: str = "d"\nf: str = ""  # a; "" = b', "1")
    with pytest.raises(InputError, match=r"odd\.ipynb: parameters cell: papermill unable to parse"):
        plan_runs(None, notebook_dir=nbdir)


def test_killed_render_leaves_previous_outputs_intact(workspace):
    # a render killed mid-run (SIGKILL: no cleanup code runs) must not touch the previous report
    import os
    import signal
    import subprocess
    import sys
    import time
    tmp, nbdir, pf = workspace
    _nb(nbdir / "slow.ipynb", 'site: str = "x"\nportfolio: str = "default"\nsleep_s: float = 0.0',
        "import time\nfrom dcplan.results import publish\npublish('slept_s', sleep_s)\ntime.sleep(sleep_s)\n")
    out = tmp / "reports"
    s = render(portfolio=pf, sites=["phoenix-az"], notebooks=["slow"], out=out, jobs=1,
               notebook_dir=nbdir, progress=False)
    assert s.ok
    folder = out / "phoenix-az" / "slow"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    index_before = (out / "index.html").read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "dcplan", "render", "--portfolio", str(pf),
                             "--notebook-dir", str(nbdir), "--notebooks", "slow", "--sites", "phoenix-az",
                             "-p", "sleep_s", "30", "--out", str(out), "-q", "-j", "1"],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not list((out / ".dcplan-tmp").glob("render-*/*/.work")):
        time.sleep(0.2)  # wait until the run is executing in its temporary folder
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its kernel
    proc.wait(timeout=30)
    import tempfile
    from dcplan import _sockdirs
    left = list(Path(tempfile.gettempdir()).glob(f"dcplan-[kz]-{_sockdirs._host()}-{proc.pid}-*"))
    assert left  # the kernel's socket folder: no clean-up code ran
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert after == before
    assert (out / "index.html").read_bytes() == index_before
    # the next render cleans up the abandoned temporary folder
    s2 = render(portfolio=pf, sites=["phoenix-az"], notebooks=["slow"], out=out, jobs=1,
                notebook_dir=nbdir, progress=False)
    assert s2.ok and not (out / ".dcplan-tmp").exists()
    assert not any(p.exists() for p in left)  # and the killed render's socket folders


def test_same_inputs_give_identical_results_json(workspace):
    # reproducibility: everything but the run's own timing block is byte-identical across renders
    tmp, nbdir, pf = workspace
    docs = []
    for i in range(2):
        out = tmp / f"r{i}"
        assert render(portfolio=pf, sites=["chicago-il"], notebooks=["flaky"], out=out, jobs=1,
                      notebook_dir=nbdir, progress=False).ok
        d = json.loads((out / "chicago-il" / "flaky" / "results.json").read_text())
        d.pop("run")
        docs.append(json.dumps(d, sort_keys=True))
    assert docs[0] == docs[1]


def test_second_render_into_same_folder_is_refused(workspace):
    import fcntl
    tmp, nbdir, pf = workspace
    out = tmp / "o"
    out.mkdir()
    with open(out / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        with pytest.raises(InputError, match="another dcplan render is writing"):
            render(portfolio=pf, out=out, notebook_dir=nbdir, progress=False)


def test_reused_html_exporter_gives_the_same_report_as_a_fresh_one(workspace):
    # render keeps one exporter per worker; a second notebook through it must come out as a
    # fresh exporter would render it (no state carried from the first)
    from nbconvert import HTMLExporter
    from dcplan.report import _to_html
    from dcplan.report_html import TEMPLATES
    tmp, nbdir, pf = workspace
    out = tmp / "o"
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False).ok
    nbs = [nbformat.read(str(out / s / "flaky" / "notebook.ipynb"), as_version=4) for s in ("phoenix-az", "chicago-il")]
    for show in (False, True):
        got = [_to_html(nb, show, f"t{i}") for i, nb in enumerate(nbs)]
        for i, nb in enumerate(nbs):
            fresh = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="dcplan_report")
            fresh.exclude_input, fresh.exclude_input_prompt, fresh.exclude_output_prompt = not show, True, True
            assert got[i] == fresh.from_notebook_node(nb, resources={"metadata": {"name": f"t{i}"}})[0]
        assert ('class="highlight' in got[0]) is show  # code cells only with show_code


def test_index_links_every_exported_file_and_the_results(tmp_path):
    # the index linked the workbook but not the CSVs (a finance export is eight) nor results.json
    import json as _json
    from dcplan.report_html import write_index
    run = tmp_path / "s1" / "tco"
    (run / "outputs").mkdir(parents=True)
    arts = [{"path": f"outputs/{n}"} for n in ("s1_tco.xlsx", "s1_tco_summary.csv", "s1_tco_cashflow.csv")]
    for a in arts:
        (run / a["path"]).write_text("x")
    (run / "report.html").write_text("<html></html>")
    (run / "results.json").write_text(_json.dumps({"site_name": "Site 1", "notebook": "tco", "results": {},
                                                   "artifacts": arts}))
    page = write_index(tmp_path, {}).read_text()
    for rel in ("outputs/s1_tco.xlsx", "outputs/s1_tco_summary.csv", "outputs/s1_tco_cashflow.csv", "results.json"):
        assert f"href='s1/tco/{rel}'" in page, rel
    assert "<summary>2 CSV file(s)</summary>" in page  # folded: the workbook stays the first link


def test_report_page_loads_nothing_from_the_network_and_keeps_dollar_signs():
    # nbconvert's lab page loads require.js, MathJax and mermaid from cdnjs: a report opened
    # offline (or on a reviewer's locked-down machine) fetched scripts, and MathJax typeset the
    # text between two "$" as math ("unit costs ($/GPU-hour, $/MWh)" lost both dollar signs)
    import re
    from nbconvert import HTMLExporter
    from dcplan.report import _to_html
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("unit costs ($/GPU-hour, $/MWh of IT)"),
                                         nbformat.v4.new_code_cell("1", outputs=[nbformat.v4.new_output(
                                             "execute_result", {"text/plain": "1"}, execution_count=1)])])
    for show in (False, True):
        page = _to_html(nb, show, "offline")
        assert re.findall(r"<(?:script|link|img|iframe)[^>]*(?:src|href)=[\"']?(?:https?:)?//", page) == []
        assert "cdnjs" not in page and "MathJax" not in page
        assert "<p>unit costs ($/GPU-hour, $/MWh of IT)</p>" in page
        assert "jp-RenderedHTMLCommon" in page  # still JupyterLab's styled page
    # the same check finds the CDN scripts in nbconvert's own lab page (the test can fail)
    lab = HTMLExporter(template_name="lab").from_notebook_node(nb)[0]
    assert re.findall(r"<script[^>]*src=[\"']?https?://", lab)


def test_render_process_skips_the_slow_iri_grammars_but_leaves_them_importable():
    # jsonschema would import rfc3987_syntax (40 Lark grammars, seconds) in every render process
    import subprocess
    import sys
    code = ("import sys, time\nimport dcplan.report\nimport papermill, nbformat\n"
            "print('rfc3987_syntax' in sys.modules)\n"
            "import importlib.util\nprint(importlib.util.find_spec('rfc3987_syntax') is not None)\n"
            "nb = nbformat.v4.new_notebook(); nbformat.validate(nb); print('valid')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    loaded, installed, valid = out.stdout.split()
    assert loaded == "False" and valid == "valid"
    assert installed == "True"  # it is installed (so the guard matters) and still findable


def test_parallel_runs_start_longest_first_from_last_render(workspace):
    from dcplan.report import longest_first
    tmp, nbdir, pf = workspace
    runs = plan_runs(pf, notebook_dir=nbdir, out=tmp / "o")
    keys = [f"{r.out_dir.parent.name}/{r.out_dir.name}" for r in runs]
    assert len(keys) == 2
    # unknown first, then by last time, longest first; no history keeps plan order
    assert longest_first(runs, {}) == runs
    assert longest_first(runs, {keys[0]: {"seconds": 1.0}, keys[1]: {"seconds": 9.0}}) == runs[::-1]
    assert longest_first(runs, {keys[0]: {"seconds": 1.0}}) == runs[::-1]
    assert longest_first(runs, {keys[0]: {"seconds": 5.0}, keys[1]: {"seconds": "x"}}) == runs[::-1]


def _typed_nb(tmp_path) -> Path:
    nbdir = tmp_path / "typed"
    nbdir.mkdir()
    _nb(nbdir / "typed.ipynb", 'site: str = "x"\nportfolio: str = "default"\nweek_start: str = "2025-07-14"\n'
        'n_jobs: int = 200\nshare_frac: float = 0.5\nstrict: bool = False', "1")
    return nbdir


def test_parameters_take_the_declared_type_and_bad_values_are_input_errors(tmp_path):
    nbdir = _typed_nb(tmp_path)
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    # text from the command line: a date stays text for a str parameter; numbers are parsed
    (run, _) = plan_runs(pf, notebook_dir=nbdir, out=tmp_path / "o", parameters={
        "week_start": "2025-07-21", "n_jobs": "12", "share_frac": "0.25", "strict": "yes"})
    assert {k: run.parameters[k] for k in ("week_start", "n_jobs", "share_frac", "strict")} == \
        {"week_start": "2025-07-21", "n_jobs": 12, "share_frac": 0.25, "strict": True}
    assert type(run.parameters["week_start"]) is str and type(run.parameters["n_jobs"]) is int
    # from Python, numpy numbers and booleans are numbers and booleans (plain ones reach the notebook)
    import numpy as np
    (run, _) = plan_runs(pf, notebook_dir=nbdir, out=tmp_path / "o", parameters={"strict": np.bool_(True)})
    assert run.parameters["strict"] is True
    (run, _) = plan_runs(pf, notebook_dir=nbdir, out=tmp_path / "o",
                         parameters={"n_jobs": np.int64(7), "share_frac": np.float32(0.5)})
    assert (run.parameters["n_jobs"], run.parameters["share_frac"]) == (7, 0.5)
    assert type(run.parameters["n_jobs"]) is int and type(run.parameters["share_frac"]) is float
    for k, v, why in [("n_jobs", "2.5", "whole number"), ("share_frac", "abc", "give a number"),
                      ("share_frac", "inf", "finite"), ("strict", "maybe", "true or false"),
                      ("n_jobs", True, "whole number"), ("week_start", 3, "give text")]:
        with pytest.raises(InputError, match=rf"-p {k}: .*typed declares {k}: \w+; .*{why}"):
            plan_runs(pf, notebook_dir=nbdir, out=tmp_path / "o", parameters={k: v})
    # the command line: one line, exit code 2, nothing executed
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--out",
                 str(tmp_path / "o"), "-q", "-p", "n_jobs", "2.5"]) == 2
    assert not (tmp_path / "o").exists()


def test_names_given_twice_run_once(tmp_path):
    nbdir = _typed_nb(tmp_path)
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    runs = plan_runs(pf, sites=["chicago-il", "chicago-il"], notebooks=["typed", "typed.ipynb"],
                     notebook_dir=nbdir, out=tmp_path / "o")
    assert [r.key for r in runs] == ["chicago-il/typed"]


def test_out_that_is_a_file_is_an_input_error(tmp_path, capsys):
    nbdir = _typed_nb(tmp_path)
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    f = tmp_path / "afile"
    f.write_text("keep me")
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--out", str(f), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    # was "cannot write reports there: File exists"
    assert err == [f"dcplan: error: {f}: --out: is a file, not a folder; give --out a new or empty folder, "
                   "or the reports folder of an earlier render"]
    assert f.read_text() == "keep me"
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--timeout-s", "0"]) == 2


def test_a_figure_without_a_unit_takes_the_one_its_name_carries():
    from dcplan.results import record, unit_from_key
    assert [unit_from_key(k) for k in ("derate_h", "saving_frac", "phoenix-az.bill_usd", "peak_kw",
                                       "annual_pue", "carbon_kg_per_gpu_h", "x_per_mwh", "n_jobs",
                                       "throttled_gpu_h", "stranded_gpu_months")] == \
        ["h", "frac", "USD", "kW", None, None, None, None, "GPU-h", "GPU-months"]
    assert record("lag_event_reduction_frac", 0.8)["unit"] == "frac"
    assert record("lag_event_reduction_frac", 0.8, unit="frac")["unit"] == "frac"  # given: kept
    with pytest.raises(InputError, match=r"the unit '-' of the value 0.8 contradicts the unit the key's suffix "
                                         r"names \('frac', '_frac'\)"):  # another one: refused (test_publish_checks)
        record("lag_event_reduction_frac", 0.8, unit="-")
    assert record("best_site_h", "Phoenix")["unit"] is None                    # text: no unit


def test_a_report_left_aside_by_a_killed_render_is_put_back(tmp_path):
    # a render killed between _place's two renames leaves the previous report as
    # .<notebook>.old-<id> and no <notebook>: the next render puts it back; a leftover
    # beside a report that exists is removed
    from dcplan.report import _recover_interrupted
    site = tmp_path / "out" / "phoenix-az"
    (site / ".tco.old-1a2b3c4d").mkdir(parents=True)
    (site / ".tco.old-1a2b3c4d" / "report.html").write_text("previous")
    (site / "site_climate").mkdir()
    (site / ".site_climate.old-deadbeef").mkdir()
    notes = []
    assert _recover_interrupted(tmp_path / "out", notes) == [site / "tco"]
    assert (site / "tco" / "report.html").read_text() == "previous"
    assert sorted(p.name for p in site.iterdir()) == ["site_climate", "tco"]
    # the leftover removed is said (the one put back is in place under its name: nothing to say)
    assert notes == [f"note: removed {site / '.site_climate.old-deadbeef'}: what was left of a previous report's "
                     "folder by an earlier render that put the newer site_climate/ in its place and could not delete "
                     "it (or was stopped first)"]


def test_a_leftover_that_still_cannot_be_deleted_is_said_to_be_left(tmp_path, monkeypatch):
    import shutil
    from dcplan.report import _recover_interrupted
    site = tmp_path / "out" / "phoenix-az"
    (site / "tco").mkdir(parents=True)
    (site / ".tco.old-1a2b3c4d").mkdir()
    monkeypatch.setattr(shutil, "rmtree", lambda *a, **k: None)  # an immutable file in it: nothing goes
    notes = []
    assert _recover_interrupted(tmp_path / "out", notes) == []
    assert (site / ".tco.old-1a2b3c4d").is_dir()
    assert len(notes) == 1 and notes[0].startswith(f"note: {site / '.tco.old-1a2b3c4d'} could not be deleted: ")
    assert notes[0].endswith("; delete it yourself")


def test_temporaries_of_a_killed_render_are_removed_and_nothing_else(tmp_path):
    # a render killed inside atomic_write_text leaves .index.html.<random>.tmp / .runs.json.<random>.tmp
    # beside the real files; the next render (holding the folder's lock) removes them, and only them
    from dcplan.report import _recover_interrupted
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".index.html.k3j2x1.tmp", out / ".runs.json.abcdef.tmp"]
    keep = [out / "index.html", out / "runs.json", out / ".notes.tmp", out / "my.tmp", out / ".lock"]
    for f in stale + keep:
        f.write_text("x")
    assert _recover_interrupted(out) == []
    assert not any(f.exists() for f in stale) and all(f.exists() for f in keep)




@needs_proc
def test_atomic_write_text_flushes_to_disk_before_it_replaces_the_old_file(tmp_path, monkeypatch):
    # os.replace of an unflushed file can leave an empty file after a power loss (ext4
    # delayed allocation), destroying the previous good index.html / runs.json
    from dcplan.report_files import atomic_write_text
    target = tmp_path / "index.html"
    target.write_text("previous good page")
    events = _record_fsync_and_replace(monkeypatch)
    atomic_write_text(target, "new page")
    assert target.read_text() == "new page"
    i = next(i for i, e in enumerate(events) if e[0] == "replace")
    tmp = events[i][1]
    assert events[i][2] == str(target) and Path(tmp).parent == tmp_path
    assert ("fsync", tmp) in events[:i]                  # the data, before the rename
    assert ("fsync", str(tmp_path)) in events[i + 1:]    # the rename itself, after


@needs_proc
def test_placed_run_folder_is_flushed_to_disk_before_it_replaces_the_old_one(tmp_path, monkeypatch):
    from dcplan.report_files import _place
    final = tmp_path / "out" / "site-a" / "tco"
    final.mkdir(parents=True)
    (final / "report.html").write_text("previous good report")
    new = tmp_path / ".tmp" / "tco-x"
    (new / "outputs").mkdir(parents=True)
    files = [new / "report.html", new / "results.json", new / "notebook.ipynb", new / "outputs" / "t.csv"]
    for f in files:
        f.write_text(f"new {f.name}")
    events = _record_fsync_and_replace(monkeypatch)
    _place(new, final)
    assert (final / "report.html").read_text() == "new report.html"
    assert (final / "outputs" / "t.csv").read_text() == "new t.csv"
    assert not [p for p in final.parent.iterdir() if p.name.startswith(".")]  # old one removed
    i = next(i for i, e in enumerate(events) if e[0] == "replace" and e[1] == str(new))
    before = events[:i]
    for f in files:
        assert ("fsync", str(f)) in before, f"{f.name} not fsynced before the folder was placed"
    assert ("fsync", str(new)) in before and ("fsync", str(new / "outputs")) in before  # entries
    assert ("fsync", str(final.parent)) in events[i + 1:]  # the renames, after


def test_notebook_without_kernelspec_renders_on_python3(tmp_path):
    # a notebook written by a tool (nbformat, a converter) may carry no kernelspec: papermill
    # then refused it ("No kernel name found" when reading its parameters, "No language found"
    # when running it); render runs every notebook on the python3 kernel, so it renders
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    path = _nb(nbdir / "plain.ipynb", 'site: str = "x"\nportfolio: str = "default"',
               "from dcplan.results import publish\npublish('site_len', len(site), unit='chars', headline=True)")
    nb = nbformat.read(str(path), as_version=4)
    del nb.metadata["kernelspec"]
    nbformat.write(nb, str(path))
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    s = render(portfolio=pf, out=tmp_path / "o", jobs=1, notebook_dir=nbdir, sites=["phoenix-az"],
               progress=False)
    assert s.ok, s.table()
    doc = json.loads((tmp_path / "o" / "phoenix-az" / "plain" / "results.json").read_text())
    assert doc["results"]["site_len"]["value"] == len("phoenix-az")


def test_data_vintages_name_the_tariff_that_was_billed():
    """With -p tariff_file the site's tariff is replaced (not read): its startdate is not the
    run's; the parameter's file and a portfolio run's per-site tariffs get theirs."""
    from dcplan.report_fingerprint import provenance
    mine, site_t = DATA / "tariffs" / "duke-nc-opt-tou.json", DATA / "tariffs" / "aps-az-e32-tou-l.json"
    start = {p: json.loads(p.read_text())["startdate"] for p in (mine, site_t)}
    v = provenance({"tariff": site_t, "param:tariff_file": mine}, replaced={"tariff": "param:tariff_file"})
    # Duke's startdate is assumed (data/SOURCES.md), which its file says (dcplan_startdate_note) and so the
    # provenance: a placeholder date is not shown as the schedule's vintage
    note = json.loads(mine.read_text())["dcplan_startdate_note"]
    assert note.startswith("assumed: ")
    built = "dcplan-built tariff file (URDB format, not a URDB record; price status: "  # data/tariffs' own files
    assert v["data_vintages"] == {"param:tariff_file": f"{built}estimate), startdate {start[mine]} ({note})"}
    v = provenance({"tariff:phoenix-az": site_t})
    assert v["data_vintages"] == {"tariff:phoenix-az": f"{built}secondary, partly estimated), startdate "
                                                       f"{start[site_t]}"}
