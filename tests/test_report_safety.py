"""dcplan render's safety: a notebook that stops itself is a failed run, render writes only
into its own folders and removes only its own scratch, timeouts in whole seconds, file
parameters (and only they) resolved and recorded, ``_failed/`` kept in step with the runs."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report import plan_runs, render, safe_slug
from dcplan.report_execute import _check_complete, timeout_whole_s
from dcplan.report_files import (_is_legacy_dcplan_tmp, _recover_interrupted, check_reports_folder)

from conftest import DATA
from test_report import TWO_SITES, _nb

STOPPER = ("from dcplan.results import publish\npublish('site_len', len(site), unit='chars', headline=True)\n"
           "if stop:\n    import sys\n    sys.exit(0)\n")
LATER = "from dcplan.results import publish\npublish('later_ran', 1, headline=True)\n"


@pytest.fixture
def ws(tmp_path):
    """One small notebook (parameters; a cell that may call sys.exit(0); a later cell) and a
    portfolio; every test renders one site."""
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    path = _nb(nbdir / "stopper.ipynb", 'site: str = "x"\nportfolio: str = "default"\nstop: bool = False\n'
               'tariff_file: str = ""\nlabel: str = "base"', STOPPER)
    nb = nbformat.read(str(path), as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("## later"))
    nb.cells.append(nbformat.v4.new_code_cell(LATER))
    nbformat.write(nb, str(path))
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    return tmp_path, nbdir, pf


def _render(ws, out, **kw):
    tmp, nbdir, pf = ws
    return render(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False, **kw)


# ---------------------------------------------------------------------------
# 1. sys.exit(0) stops a notebook: papermill calls that success, render a failure

def test_sys_exit_0_is_a_failed_run_that_keeps_the_previous_report(ws):
    tmp, nbdir, pf = ws
    out = tmp / "out"
    assert _render(ws, out).ok
    good = (out / "phoenix-az" / "stopper" / "report.html").read_bytes()
    s = _render(ws, out, parameters={"stop": "true"})
    r = s.results[0]
    assert not s.ok and not r.ok
    # the cell that called it: the 2nd of the notebook file (parameters, then this one)
    assert r.failed_cell == 2 and r.error.startswith("SystemExit: 0 (in `from dcplan.results import publish`")
    assert "1 later code cell(s) never executed" in r.error
    assert "cell 2 of stopper.ipynb: SystemExit: 0" in s.table()
    assert "sys.exit" in "".join(nbformat.read(str(nbdir / "stopper.ipynb"), 4).cells[1].source)
    from dcplan.report_stale import _BANNER_RE  # the previous report, kept and marked not current
    kept = (out / "phoenix-az" / "stopper" / "report.html").read_text(encoding="utf-8")
    assert _BANNER_RE.sub("", kept).encode() == good and "<strong>Not current.</strong> stale: " in kept
    failed = out / "_failed" / "phoenix-az" / "stopper.ipynb"
    assert failed.is_file()
    assert json.loads((out / "runs.json").read_text())["phoenix-az/stopper"]["ok"] is False
    index = (out / "index.html").read_text()
    assert "cell 2 of stopper.ipynb (counting markdown cells): SystemExit: 0" in index
    assert "href='_failed/phoenix-az/stopper.ipynb'" in index
    # the CLI: exit 1, as for any failed run
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--sites", "phoenix-az",
                 "--out", str(out), "-q", "-j", "1", "-p", "stop", "yes"]) == 1

    # 6. a later success removes the run's _failed files, and only those
    other = out / "_failed" / "chicago-il" / "stopper.ipynb"
    other.parent.mkdir(parents=True)
    other.write_text("{}")
    s = _render(ws, out)
    assert s.ok and s.results[0].results["later_ran"]["value"] == 1
    assert not failed.exists() and not failed.with_suffix(".kernel.log").exists()
    assert not failed.parent.exists() and other.read_text() == "{}"
    assert "_failed/phoenix-az" not in (out / "index.html").read_text()


def _executed_nb(tmp_path, cells) -> Path:
    """An executed notebook as papermill writes it: (cell_type, papermill status, outputs)."""
    nb = nbformat.v4.new_notebook()
    for kind, status, outputs in cells:
        c = nbformat.v4.new_code_cell("x = 1") if kind == "code" else nbformat.v4.new_markdown_cell("m")
        c.metadata["papermill"] = {"status": status}
        if kind == "code":
            c.outputs = outputs
            c.execution_count = None if status == "pending" else 1
        nb.cells.append(c)
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_a_code_cell_that_never_executed_is_an_incomplete_run(tmp_path):
    exit_out = [nbformat.v4.new_output("error", ename="SystemExit", evalue="", traceback=[])]
    done = _executed_nb(tmp_path, [("code", "completed", []), ("markdown", "completed", [])])
    assert _check_complete(done) is None
    # sys.exit() (no value) in cell index 1, one code cell after it never ran
    e = _check_complete(_executed_nb(tmp_path, [("code", "completed", []), ("code", "failed", exit_out),
                                                ("markdown", "pending", []), ("code", "pending", [])]))
    assert (e.cell_index, e.ename, e.evalue) == (1, "SystemExit", "")
    assert "1 later code cell(s) never executed" in str(e)
    # no error output at all, but a code cell left pending
    e = _check_complete(_executed_nb(tmp_path, [("code", "completed", []), ("code", "pending", [])]))
    assert e.cell_index == 1 and not hasattr(e, "ename") and "never executed" in str(e)


# ---------------------------------------------------------------------------
# 2. only into dcplan's folders; only dcplan's scratch removed

def test_a_users_non_empty_folder_is_refused_and_left_untouched(ws, capsys):
    tmp, nbdir, pf = ws
    user = tmp / "mine"
    (user / ".tmp").mkdir(parents=True)
    (user / "index.html").write_text("<html>my own page</html>")
    (user / ".tmp" / "notes.txt").write_text("keep")
    before = sorted(str(p.relative_to(user)) for p in user.rglob("*"))
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--sites", "phoenix-az",
                 "--out", str(user), "-q"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"dcplan: error: {user}: --out: folder is not empty and is "
                                               "not a dcplan reports folder")
    assert "give --out a new or empty folder" in err[0]
    assert sorted(str(p.relative_to(user)) for p in user.rglob("*")) == before  # no .lock either
    assert (user / "index.html").read_text() == "<html>my own page</html>"


def test_folders_of_earlier_versions_are_accepted(tmp_path):
    # the index every earlier version wrote (title + footer; no marker then)
    old = tmp_path / "old"
    old.mkdir()
    (old / "index.html").write_text('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>dcplan '
                                    'reports</title>\n</head><body>\n<p>1 report(s). Generated by dcplan 0.1.0.</p>')
    check_reports_folder(old)
    # a first render killed before its index: a results.json of dcplan's shape
    runs_only = tmp_path / "runs-only" / "phoenix-az" / "tco"
    runs_only.mkdir(parents=True)
    (runs_only / "results.json").write_text(json.dumps({"site": "phoenix-az", "notebook": "tco",
                                                        "provenance": {"dcplan_version": "0.1.0"}}))
    check_reports_folder(tmp_path / "runs-only")
    check_reports_folder(tmp_path / "new")  # not there yet
    (tmp_path / "empty").mkdir()
    check_reports_folder(tmp_path / "empty")
    # an earlier version's first render, killed mid-run: its (empty) lock and its scratch only
    killed = tmp_path / "killed"
    killed.mkdir()
    (killed / ".lock").write_text("")
    _legacy_run_dir(killed / ".tmp")
    check_reports_folder(killed)
    (killed / ".lock").write_text("a lock file of someone else's")
    with pytest.raises(InputError, match="not a dcplan reports folder"):
        check_reports_folder(killed)
    (tmp_path / "other" / "a" / "b").mkdir(parents=True)
    (tmp_path / "other" / "a" / "b" / "results.json").write_text('{"not": "ours"}')
    with pytest.raises(InputError, match="not a dcplan reports folder"):
        check_reports_folder(tmp_path / "other")


def _legacy_run_dir(tmp: Path, key: str = "phoenix-az/tco") -> Path:
    """A run's scratch folder as earlier versions made it: mkdtemp(prefix=safe_slug(key) + '-')."""
    d = tmp / f"{safe_slug(key)}-k3j2x_q9"
    (d / ".work" / "outputs").mkdir(parents=True)
    (d / "notebook.ipynb").write_text("{}")
    (d / "kernel.log").write_text("")
    return d


def test_scratch_of_killed_renders_is_removed_and_a_users_tmp_is_not(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # this version's scratch: all of it is render's own
    (out / ".dcplan-tmp" / "anything").mkdir(parents=True)
    # an earlier version's .tmp holding only its run folders and shared weather: removed
    legacy = out / ".tmp"
    _legacy_run_dir(legacy)
    (legacy / "weather").mkdir()
    (legacy / "weather" / ("ab" * 16 + ".pkl")).write_bytes(b"x")
    assert _is_legacy_dcplan_tmp(legacy)
    _recover_interrupted(out)
    assert not (out / ".dcplan-tmp").exists() and not legacy.exists()
    # a .tmp with anything else in it is the user's: left whole
    for extra in ("notes.txt", f"{safe_slug('phoenix-az/tco')}-k3j2x_q9/mine.txt", "weather/mine.txt"):
        _legacy_run_dir(legacy)
        (legacy / "weather").mkdir(exist_ok=True)
        (legacy / extra).write_text("keep")
        assert not _is_legacy_dcplan_tmp(legacy)
        _recover_interrupted(out)
        assert (legacy / extra).read_text() == "keep"
        shutil.rmtree(legacy)


def test_render_into_an_earlier_versions_folder_keeps_a_users_tmp(ws):
    tmp, nbdir, pf = ws
    out = tmp / "reports"
    out.mkdir()
    (out / "index.html").write_text("<title>dcplan reports</title> <p>Generated by dcplan 0.1.0.</p>")
    (out / ".tmp").mkdir()
    (out / ".tmp" / "notes.txt").write_text("keep")
    s = _render(ws, out)
    assert s.ok, s.table()
    assert (out / ".tmp" / "notes.txt").read_text() == "keep"
    assert not (out / ".dcplan-tmp").exists()
    assert (out / ".dcplan-reports").is_file()  # marked: known as render's from now on
    assert '<meta name="generator" content="dcplan ' in (out / "index.html").read_text()


# ---------------------------------------------------------------------------
# 3. timeouts: whole seconds for papermill

def test_timeout_is_rounded_up_to_whole_seconds_and_non_finite_is_refused(capsys):
    assert [timeout_whole_s(x) for x in (2.5, 0.4, 3, 3.0, 1e-9, None)] == [3, 1, 3, 3, 1, None]
    for bad in (float("inf"), float("nan"), 0, -1.0, True, "x"):
        with pytest.raises(InputError, match="timeout_s: must be a finite number of seconds > 0"):
            timeout_whole_s(bad)
    for bad in ("inf", "nan", "0", "-2"):
        assert main(["render", "--timeout-s", bad, "-q"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "--timeout-s: must be a finite number of seconds > 0" in err[0]


# ---------------------------------------------------------------------------
# 4. only file parameters are looked up as files; 5. and they are in the provenance

def test_only_file_parameters_are_resolved(ws, tmp_path, monkeypatch):
    tmp, nbdir, pf = ws
    here = tmp_path / "here"
    here.mkdir()
    for name in ("base", "4000"):
        (here / name).write_text("{}")
    # a real tariff: render checks a -p tariff_file before any run
    (here / "my.json").write_text((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())
    monkeypatch.chdir(here)
    run = plan_runs(pf, sites=["phoenix-az"], notebook_dir=nbdir, out=tmp / "o",
                    parameters={"label": "base", "tariff_file": "my.json"})[0]
    assert run.parameters["label"] == "base"  # not a file parameter: as typed
    assert run.parameters["tariff_file"] == str(here / "my.json")
    assert run.input_files["param:tariff_file"] == here / "my.json"
    assert run.replaced_inputs == {"tariff": "param:tariff_file"}
    run = plan_runs(pf, sites=["phoenix-az"], notebook_dir=nbdir, out=tmp / "o", parameters={"label": "4000"})[0]
    assert run.parameters["label"] == "4000" and not any(k.startswith("param:") for k in run.input_files)
    # a data/-relative name, as the notebooks resolve it
    run = plan_runs(pf, sites=["phoenix-az"], notebook_dir=nbdir, out=tmp / "o",
                    parameters={"tariff_file": "tariffs/aps-az-e32-tou-l.json"})[0]
    assert run.parameters["tariff_file"] == str((DATA / "tariffs" / "aps-az-e32-tou-l.json").resolve())
    looked = re.escape(f"(looked in {here}, {DATA / 'sites'}, {DATA})")
    with pytest.raises(InputError, match=r"^-p tariff_file: 'nope\.json': no such file for stopper " + looked):
        plan_runs(pf, sites=["phoenix-az"], notebook_dir=nbdir, out=tmp / "o", parameters={"tariff_file": "nope.json"})
    # a folder is said to be one (it read "no such file", sending the user looking for a file)
    with pytest.raises(InputError, match=r"^-p tariff_file: 'tariffs': .*tariffs is a folder, not a file"):
        plan_runs(pf, sites=["phoenix-az"], notebook_dir=nbdir, out=tmp / "o", parameters={"tariff_file": "tariffs"})


def test_a_parameter_given_twice_is_bad_input(ws, capsys):
    tmp, nbdir, pf = ws
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--out", str(tmp / "o"),
                 "-q", "-p", "label", "5", "-p", "label", "6"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["dcplan: error: -p label: parameter 'label' given twice ('5', then '6'); give each "
                   "parameter once"]
    assert not (tmp / "o").exists()


def test_a_file_given_by_a_parameter_is_in_the_provenance(ws, tmp_path, monkeypatch, capsys):
    # through the CLI, from the folder holding the file, with a fractional timeout (item 3)
    tmp, nbdir, pf = ws
    here = tmp_path / "here"
    here.mkdir()
    (here / "mytariff.json").write_text((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())  # a valid one
    monkeypatch.chdir(here)
    out = tmp / "out"
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--sites", "phoenix-az",
                 "--out", str(out), "-q", "-j", "1", "--timeout-s", "2.5", "-p", "tariff_file", "mytariff.json"]) == 0, \
        capsys.readouterr()
    doc = json.loads((out / "phoenix-az" / "stopper" / "results.json").read_text())
    prov = doc["provenance"]
    f = here / "mytariff.json"
    assert doc["parameters"]["tariff_file"] == str(f)
    assert prov["inputs"]["param:tariff_file"] == str(f)
    assert prov["inputs_sha256"]["param:tariff_file"] == hashlib.sha256(f.read_bytes()).hexdigest()
    # the site's own tariff is still listed, and named as replaced by the parameter's
    assert prov["inputs"]["tariff"].endswith("aps-az-e32-tou-l.json")
    assert prov["replaced_inputs"] == {"tariff": "param:tariff_file"}


def test_a_p_value_that_looks_like_an_impossible_date_stays_text():
    """`-p start 2026-13-01` raised PyYAML's bare ValueError (a traceback, exit 1); the value
    is kept as typed, so the notebook's own parameter check names it."""
    from dcplan.report_plan import _literal
    assert _literal("2026-13-01") == "2026-13-01"
    # a real date stays text too: papermill passes parameters as JSON, which has no dates (an
    # untyped `start = "2025-01-01"` given `-p start 2025-02-01` failed in the kernel)
    assert _literal("2026-10-01") == "2026-10-01" and _literal("2026-10-01 12:00") == "2026-10-01 12:00"
    assert _literal("3.5") == 3.5 and _literal("[1, 2]") == [1, 2]
    json.dumps([_literal(v) for v in ("2026-10-01", "2026-10-01T12:00:00Z", "12:30:00")])


def test_an_export_folder_outside_the_run_is_refused(tmp_path):
    """`-p export_dir /srv/x` (or ../x) made tco write its workbook there in place: shared by every
    run, not atomic, not listed in results.json and not recreated for kept runs."""
    from conftest import ROOT
    nbdir, out = ROOT / "notebooks", tmp_path / "o"
    for bad in ("/srv/x", "../x", "outputs/../../x", "results"):
        with pytest.raises(InputError, match=r"^-p export_dir: .*allowed: 'outputs', a folder inside it, or ''"):
            plan_runs(None, sites=["phoenix-az"], notebooks=["tco"], notebook_dir=nbdir, out=out,
                      parameters={"export_dir": bad})
    for ok in ("outputs", "outputs/finance", ""):
        run = plan_runs(None, sites=["phoenix-az"], notebooks=["tco"], notebook_dir=nbdir, out=out,
                        parameters={"export_dir": ok})[0]
        assert run.parameters["export_dir"] == ok
    assert not out.exists()
