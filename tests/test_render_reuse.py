"""``dcplan render`` keeps a run's outputs when nothing it depends on changed.

Each notebook here publishes a fresh random token, so a run that executed again has a new
token and a kept run has its old one.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report import _tree_digest, execute_run, plan_runs, render, run_fingerprint

from conftest import DATA
from test_report import TWO_SITES, _nb

TOKEN_NB = ("import uuid\nfrom dcplan.results import publish\n"
            "publish('token', uuid.uuid4().hex)\npublish('scale_echo', scale, headline=True)\n")


@pytest.fixture
def ws(tmp_path):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "tok.ipynb", 'site: str = "x"\nportfolio: str = "default"\nscale: float = 1.0', TOKEN_NB)
    # the sites are copies, so that a test can edit one
    sites = tmp_path / "sites"
    shutil.copytree(TWO_SITES.split("- ")[1].strip().rsplit("/", 1)[0], sites)
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES.replace(TWO_SITES.split("- ")[1].strip().rsplit("/", 1)[0], str(sites)))
    return tmp_path, nbdir, pf, tmp_path / "out"


def _tokens(out) -> dict:
    return {f"{p.parts[-3]}/{p.parts[-2]}": json.loads(p.read_text())["results"]["token"]["value"]
            for p in sorted(out.glob("*/*/results.json"))}


def _render(ws, **kw):
    tmp, nbdir, pf, out = ws
    s = render(portfolio=pf, out=out, jobs=kw.pop("jobs", 1), notebook_dir=nbdir, progress=False, **kw)
    assert s.ok, s.table()
    return s


def test_unchanged_runs_are_kept_and_force_executes_them(ws):
    out = ws[3]
    _render(ws)
    first = _tokens(out)
    assert len(first) == 2
    s = _render(ws)
    assert all(r.reused_from is not None for r in s.results)
    assert _tokens(out) == first  # not executed again
    assert "2 kept from earlier renders" in s.table() and "kept" in s.table().splitlines()[1]
    status = json.loads((out / "runs.json").read_text())
    assert all(v["reused"] and v["ok"] for v in status.values())
    # the headline figures come back from the kept results
    assert s.results[0].results["scale_echo"]["value"] == 1.0
    s = _render(ws, force=True)
    assert all(r.reused_from is None for r in s.results)
    assert set(_tokens(out).values()).isdisjoint(first.values())


def test_a_changed_parameter_notebook_or_option_executes_again(ws):
    tmp, nbdir, pf, out = ws
    _render(ws)
    t0 = _tokens(out)
    _render(ws, parameters={"scale": 2.0})
    t1 = _tokens(out)
    assert set(t1.values()).isdisjoint(t0.values())
    _render(ws, parameters={"scale": 2.0}, show_code=True)  # the HTML differs
    t2 = _tokens(out)
    assert set(t2.values()).isdisjoint(t1.values())
    _nb(nbdir / "tok.ipynb", 'site: str = "x"\nportfolio: str = "default"\nscale: float = 1.0',
        TOKEN_NB + "# edited\n")  # the notebook itself
    _render(ws, parameters={"scale": 2.0}, show_code=True)
    t3 = _tokens(out)
    assert set(t3.values()).isdisjoint(t2.values())
    # a file beside the notebook: no run can read it (test_report_scope.py), nothing executes
    (nbdir / "helper.csv").write_text("a\n1\n")
    _render(ws, parameters={"scale": 2.0}, show_code=True)
    assert _tokens(out) == t3


def test_editing_one_site_executes_every_run_that_may_read_it(ws):
    # a per-site notebook may compare its site with the others, so any site's files count
    tmp, nbdir, pf, out = ws
    _render(ws)
    t0 = _tokens(out)
    y = tmp / "sites" / "chicago-il.yaml"
    y.write_text(y.read_text() + "\n# edited\n")
    _render(ws)
    t1 = _tokens(out)
    assert t1["chicago-il/tok"] != t0["chicago-il/tok"] and t1["phoenix-az/tok"] != t0["phoenix-az/tok"]


def _own_site_nb(nbdir, peers=False):
    path = _nb(nbdir / "own.ipynb", 'site: str = "x"\nportfolio: str = "default"\nscale: float = 1.0', TOKEN_NB)
    nb = json.loads(path.read_text())
    nb["metadata"]["dcplan"]["peers"] = peers
    path.write_text(json.dumps(nb))
    return path


def test_a_notebook_that_reads_only_its_own_site_is_kept_when_another_site_changes(ws):
    # metadata dcplan.peers false: the other sites' files are not in its fingerprint
    tmp, nbdir, pf, out = ws
    _own_site_nb(nbdir)
    _render(ws)
    t0 = _tokens(out)
    assert len(t0) == 4
    y = tmp / "sites" / "chicago-il.yaml"
    y.write_text(y.read_text() + "\n# edited\n")
    s = _render(ws)
    t1 = _tokens(out)
    assert t1["phoenix-az/own"] == t0["phoenix-az/own"]  # kept: it never reads chicago-il
    assert t1["chicago-il/own"] != t0["chicago-il/own"]  # its own site changed
    assert t1["phoenix-az/tok"] != t0["phoenix-az/tok"]  # the default (peers true) executes again
    assert sum(r.reused_from is not None for r in s.results) == 1
    # its own site's file still counts
    y = tmp / "sites" / "phoenix-az.yaml"
    y.write_text(y.read_text() + "\n# edited\n")
    _render(ws)
    assert _tokens(out)["phoenix-az/own"] != t1["phoenix-az/own"]


def test_adding_or_removing_another_site_keeps_the_runs_that_read_only_their_own(ws):
    """A site-selection analyst added one site to a 22-site portfolio and every site's site_climate
    (``peers: false``) executed again: the portfolio file was in every run's fingerprint. Now such a
    run counts only the portfolio's name and description of it (and its own site's files)."""
    tmp, nbdir, pf, out = ws
    _own_site_nb(nbdir)
    _render(ws)
    t0 = _tokens(out)
    third = tmp / "sites" / "third.yaml"
    third.write_text((tmp / "sites" / "chicago-il.yaml").read_text().replace("id: chicago-il", "id: third"))
    base = pf.read_text()
    pf.write_text(base + f"  - {third}\n")
    s = _render(ws)
    t1 = _tokens(out)
    assert t1["phoenix-az/own"] == t0["phoenix-az/own"] and t1["chicago-il/own"] == t0["chicago-il/own"]
    assert "third/own" in t1 and t1["phoenix-az/tok"] != t0["phoenix-az/tok"]  # peers true: executes again
    assert sum(r.reused_from is not None for r in s.results) == 2
    pf.write_text(base)  # removed again: still kept
    _render(ws)
    assert _tokens(out)["phoenix-az/own"] == t0["phoenix-az/own"]
    pf.write_text(base.replace("name: two sites", "name: two sites renamed"))  # its heading: executes
    _render(ws)
    assert _tokens(out)["phoenix-az/own"] != t0["phoenix-az/own"]


@pytest.mark.parametrize("value", ["no", 0, None])
def test_a_peers_declaration_that_is_not_true_or_false_is_bad_input(ws, value):
    tmp, nbdir, pf, out = ws
    path = _own_site_nb(nbdir, peers=value)
    with pytest.raises(InputError, match=r"metadata\.dcplan\.peers.*allowed: true .* or false") as e:
        plan_runs(pf, notebook_dir=nbdir, out=out)
    assert str(path) in str(e.value)


def test_bundled_notebooks_that_say_they_read_only_their_site_do(tmp_path):
    # peers false is a promise: the notebook loads the portfolio only to take its own site
    from dcplan.paths import notebooks_dir
    from dcplan.report_params import notebook_reads_peers, notebook_scope
    own = []
    for path in sorted(notebooks_dir().glob("*.ipynb")):
        if notebook_scope(path) != "site":
            continue
        code = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]
                         if c["cell_type"] == "code")
        uses = re.findall(r"load_portfolio\(portfolio\)(.{0,6})", code)
        if not notebook_reads_peers(path):
            own.append(path.stem)
            assert uses and all(u.startswith("[site]") for u in uses), (path.name, uses)
            assert "run_portfolio" not in code and ".sites" not in code, path.name
    assert "site_analysis" not in own and {"site_climate", "tco", "offpeak_scheduling"} <= set(own)


def test_the_index_counts_what_the_runs_did_and_runs_json_says_when_each_ended(ws):
    # "30 report(s) of this render" was said of a render that executed 12 runs and kept 18
    tmp, nbdir, pf, out = ws
    _render(ws)
    assert "2 run(s) in this render: 2 executed; 2 report(s) shown." in (out / "index.html").read_text()
    _render(ws)
    assert ("2 run(s) in this render: 0 executed, 2 kept from earlier renders (inputs unchanged); 2 report(s) "
            "shown.") in (out / "index.html").read_text()
    # runs.json's when: the run's own end (a render stopped later restamped every run with that moment)
    from dcplan.report import _update_status
    from dcplan.report_plan import RunResult
    run = plan_runs(pf, notebook_dir=nbdir, out=out)[0]
    st = _update_status({}, [RunResult(run, ok=True, seconds=1.0, ended="2026-01-02T03:04:05+00:00")])
    assert st[run.key]["when"] == "2026-01-02T03:04:05+00:00"


def test_missing_or_altered_outputs_and_failed_runs_execute_again(ws):
    tmp, nbdir, pf, out = ws
    _render(ws)
    t0 = _tokens(out)
    (out / "phoenix-az" / "tok" / "report.html").unlink()
    _render(ws)
    t1 = _tokens(out)
    assert t1["phoenix-az/tok"] != t0["phoenix-az/tok"] and t1["chicago-il/tok"] == t0["chicago-il/tok"]
    # a run whose latest attempt failed is tried again even though its old outputs match
    status = json.loads((out / "runs.json").read_text())
    status["chicago-il/tok"]["ok"] = False
    (out / "runs.json").write_text(json.dumps(status))
    _render(ws)
    t2 = _tokens(out)
    assert t2["chicago-il/tok"] != t1["chicago-il/tok"] and t2["phoenix-az/tok"] == t1["phoenix-az/tok"]


def test_an_altered_export_executes_the_run_again(ws):
    tmp, nbdir, pf, out = ws
    _nb(nbdir / "tok.ipynb", 'site: str = "x"\nportfolio: str = "default"\nscale: float = 1.0',
        TOKEN_NB + "import os\nos.makedirs('outputs', exist_ok=True)\nopen('outputs/x.csv', 'w').write('a\\n1\\n')\n")
    _render(ws, sites=["chicago-il"])
    t0 = _tokens(out)
    (out / "chicago-il" / "tok" / "outputs" / "x.csv").write_text("a\n2\n")
    _render(ws, sites=["chicago-il"])
    assert _tokens(out) != t0
    assert (out / "chicago-il" / "tok" / "outputs" / "x.csv").read_text() == "a\n1\n"


def test_fingerprint_is_dropped_when_an_input_changed_during_the_run(ws):
    tmp, nbdir, pf, out = ws
    run = plan_runs(pf, sites=["chicago-il"], notebook_dir=nbdir, out=out)[0]
    fp = run_fingerprint(run, False)
    assert fp == run_fingerprint(run, False)  # deterministic
    assert fp != run_fingerprint(run, True)
    import dataclasses
    stale = dataclasses.replace(run, fingerprint="0" * 64)  # as if an input was edited mid-run
    assert execute_run(stale).ok
    doc = json.loads((out / "chicago-il" / "tok" / "results.json").read_text())
    assert doc["run"]["fingerprint"] is None
    assert execute_run(dataclasses.replace(run, fingerprint=fp)).ok
    doc = json.loads((out / "chicago-il" / "tok" / "results.json").read_text())
    assert doc["run"]["fingerprint"] == fp


def test_tree_digest_sees_content_and_names(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    d0 = _tree_digest(tmp_path, "*.py")
    (tmp_path / "a.py").write_text("x = 2\n")
    d1 = _tree_digest(tmp_path, "*.py")
    (tmp_path / "a.py").rename(tmp_path / "b.py")
    d2 = _tree_digest(tmp_path, "*.py")
    (tmp_path / "c.txt").write_text("not python")
    assert len({d0, d1, d2}) == 3 and _tree_digest(tmp_path, "*.py") == d2


def test_cli_force_flag(ws, capsys):
    tmp, nbdir, pf, out = ws
    args = ["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--out", str(out), "-q", "-j", "1"]
    assert main(args) == 0
    t0 = _tokens(out)
    assert main(args) == 0
    assert "2 kept" in capsys.readouterr().out and _tokens(out) == t0
    assert main(args + ["--force"]) == 0
    assert "kept" not in capsys.readouterr().out.splitlines()[-1]
    assert set(_tokens(out).values()).isdisjoint(t0.values())


def test_a_file_named_by_a_parameter_counts(ws):
    tmp, nbdir, pf, out = ws
    _nb(nbdir / "tok.ipynb", 'site: str = "x"\nportfolio: str = "default"\nlookup: str = ""', TOKEN_NB.replace(
        "publish('scale_echo', scale, headline=True)\n", ""))
    f = tmp / "my-tariff.json"
    f.write_text("{}")
    _render(ws, sites=["chicago-il"], parameters={"lookup": str(f)})
    t0 = _tokens(out)
    _render(ws, sites=["chicago-il"], parameters={"lookup": str(f)})
    assert _tokens(out) == t0
    f.write_text('{"edited": 1}')
    _render(ws, sites=["chicago-il"], parameters={"lookup": str(f)})
    assert _tokens(out) != t0


def test_parameter_values_that_are_not_files_are_ignored():
    from dcplan.report import _parameter_files
    from dcplan.paths import data_path
    got = _parameter_files({"a": "~nosuchuser-dcplan/x", "b": "x" * 300, "c": "tariffs/aps-az-e32-tou-l.json",
                            "d": "liquid-w45-dry", "e": 3, "f": ""})
    assert got == {"param:c": data_path("tariffs/aps-az-e32-tou-l.json").resolve()}


def _site_tariff(tmp, name="chicago-il.yaml"):
    """Point a copied site at an RTP tariff (and its price CSV) kept beside the site YAML."""
    tdir = tmp / "sites" / "tariffs"
    tdir.mkdir(exist_ok=True)
    for f in ("rtp-example.json", "rtp-example-prices-synthetic.csv"):
        shutil.copy(DATA / "tariffs" / f, tdir / f)
    y = tmp / "sites" / name
    text = y.read_text()
    old = next(line for line in text.splitlines() if line.strip().startswith("file: tariffs/"))
    y.write_text(text.replace(old, old.split("file:")[0] + "file: tariffs/rtp-example.json"))
    return tdir


def test_a_price_file_named_inside_a_tariff_is_part_of_the_fingerprint(ws):
    # the RTP tariff names its price CSV (dcplan_rtp_price_file): editing the prices must
    # execute the run again, like editing the tariff JSON itself
    tmp, nbdir, pf, out = ws
    tdir = _site_tariff(tmp)
    run = plan_runs(pf, sites=["chicago-il"], notebook_dir=nbdir, out=out)[0]
    assert run.input_files["tariff_prices"] == (tdir / "rtp-example-prices-synthetic.csv").resolve()
    fp = run_fingerprint(run, False)
    csv = tdir / "rtp-example-prices-synthetic.csv"
    csv.write_text(csv.read_text().replace("0.0", "0.1", 1))
    assert run_fingerprint(run, False) != fp


def test_file_parameters_are_found_where_the_notebook_looks(ws, monkeypatch):
    tmp, nbdir, pf, out = ws
    _nb(nbdir / "tok.ipynb", 'site: str = "x"\nportfolio: str = "default"\ntariff_file: str = ""', TOKEN_NB
        .replace("scale_echo', scale", "file_echo', tariff_file"))
    tdir = _site_tariff(tmp)
    # beside the site YAML (as site_analysis resolves tariff_file): passed on as an absolute
    # path, hashed, edits seen
    run = plan_runs(pf, sites=["chicago-il"], notebook_dir=nbdir, out=out,
                    parameters={"tariff_file": "tariffs/rtp-example.json"})[0]
    assert run.parameters["tariff_file"] == str((tdir / "rtp-example.json").resolve())
    fp = run_fingerprint(run, False)
    j = tdir / "rtp-example.json"
    j.write_text(j.read_text().replace("{", "{ ", 1))
    assert run_fingerprint(run, False) != fp
    # relative to where render was started: passed on as an absolute path (kernels run elsewhere)
    work = tmp / "elsewhere"
    work.mkdir()
    # a valid tariff: render checks a -p tariff_file as dcplan validate does (test_render_records)
    (work / "my.json").write_text((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())
    monkeypatch.chdir(work)
    run = plan_runs(pf, sites=["chicago-il"], notebook_dir=nbdir, out=out, parameters={"tariff_file": "my.json"})[0]
    assert run.parameters["tariff_file"] == str((work / "my.json").resolve())
    # a file parameter that names no file is bad input naming the places looked in
    from dcplan.errors import InputError
    with pytest.raises(InputError, match=r"-p tariff_file: 'nothing': no such file for tok \(looked in "
                                         + re.escape(f"{work}, {tmp / 'sites'}, ")):
        plan_runs(pf, sites=["chicago-il"], notebook_dir=nbdir, out=out, parameters={"tariff_file": "nothing"})
    # the notebook's own default is passed as typed
    run = plan_runs(pf, sites=["chicago-il"], notebook_dir=nbdir, out=out, parameters={"tariff_file": ""})[0]
    assert run.parameters["tariff_file"] == ""


def test_the_environment_fingerprint_sees_the_report_templates(tmp_path, monkeypatch):
    """The HTML reports are made with dcplan/templates (a page template, its config): an edit
    there changes every report, so reports kept from before it would be stale. Hand: the same
    tree with one template byte changed must give another fingerprint."""
    from dcplan import report_fingerprint as rf
    pkg = tmp_path / "dcplan"
    shutil.copytree(Path(rf.__file__).parent / "templates", pkg / "templates")
    (pkg / "report_fingerprint.py").write_text("# stand-in\n")
    monkeypatch.setattr(rf, "__file__", str(pkg / "report_fingerprint.py"))
    rf.environment_fingerprint.cache_clear()
    try:
        before = rf.environment_fingerprint()
        page = pkg / "templates" / "dcplan_report" / "index.html.j2"
        page.write_text(page.read_text() + "\n")
        rf.environment_fingerprint.cache_clear()
        assert rf.environment_fingerprint() != before
    finally:
        rf.environment_fingerprint.cache_clear()


def test_the_environment_fingerprint_leaves_out_the_runs_own_bundled_inputs(tmp_path, monkeypatch):
    """In a checkout the bundled sites live in data/, which the environment fingerprint hashed
    whole: a comment added to data/sites/phoenix-az.yaml re-executed all 30 runs, not the README's
    12. Sites, weather, tariffs, sweeps and the portfolio are each run's own inputs (hashed per run);
    the catalogues (costs.csv, hardware.csv, ...) still change every run."""
    from dcplan import paths
    from dcplan import report_fingerprint as rf
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns("weather"))
    monkeypatch.setattr(paths, "data_dir", lambda: data)
    rf.environment_fingerprint.cache_clear()
    try:
        before = rf.environment_fingerprint()
        for f in ("sites/phoenix-az.yaml", "portfolio.yaml", "sweeps/example.yaml"):
            (data / f).write_text((data / f).read_text() + "# an edit\n")
        (data / "tariffs" / "new.json").write_text("{}")
        rf.environment_fingerprint.cache_clear()
        assert rf.environment_fingerprint() == before
        (data / "costs.csv").write_text((data / "costs.csv").read_text() + "\n")
        rf.environment_fingerprint.cache_clear()
        assert rf.environment_fingerprint() != before
    finally:
        rf.environment_fingerprint.cache_clear()
