"""Reports render keeps that are not current say so; a bad site does not stop the others.

* A run whose latest attempt failed keeps its previous good outputs, marked: ``results.json``
  ``run.status`` "stale: ...", a banner atop ``report.html``, a ``<file>.NOT-CURRENT.txt``
  beside each export; ``runs.json`` holds the marked files' SHA-256. Kept again (same
  fingerprint), the marks go and the files are byte for byte as placed.
* A run not applicable now (the site's tariff removed) marks its earlier outputs likewise.
* The index's other reports (not part of this render) say "inputs changed since" when a file
  they read changed.
* A bad tariff of one site: without ``--sites`` its runs are refused (FAILED, bad input, exit 2)
  while the other site renders; with ``--sites`` of the other site, the render goes on unless a
  notebook reads every site.
* An interrupted ``--force`` render says the command *without* --force reuses the runs that ended.
* Outputs that cannot be moved into place are kept in ``_failed/<site>/<nb>.unplaced/``.
"""
from __future__ import annotations

import hashlib
import json
import re
import warnings
from pathlib import Path

import nbformat
import pytest

import dcplan.report as report
import dcplan.report_execute as report_execute
from dcplan.cli import main
from dcplan.errors import DcplanWarning, InputError
from dcplan.report import render

from conftest import DATA
from test_report import _nb

PARAMS = 'site: str = "x"\nportfolio: str = "default"\nfail: bool = False'
BODY = ("import os\nfrom dcplan.results import publish\n"
        "publish('n', 7.0, unit='h', label='Hours', headline=True)\n"
        "os.makedirs('outputs', exist_ok=True)\nopen('outputs/x.csv', 'w').write('a\\n1\\n')\n"
        "if fail:\n    raise ValueError('boom')\n")


def _site_copy(tmp_path: Path, name: str, tariff: str | None = "keep") -> Path:
    """A copy of a bundled site whose files are named by absolute paths (``tariff``: a file
    to bill instead, None: no tariff section)."""
    text = (DATA / "sites" / f"{name}.yaml").read_text()
    text = text.replace("file: weather/", f"file: {DATA / 'weather'}/")
    if tariff is None:
        text = re.sub(r"\ntariff:\n  file: \S+\n", "\n", text)
    elif tariff == "keep":
        text = text.replace("file: tariffs/", f"file: {DATA / 'tariffs'}/")
    else:
        text = re.sub(r"file: tariffs/\S+", f"file: {tariff}", text)
    p = tmp_path / f"{name}.yaml"
    p.write_text(text)
    return p


@pytest.fixture
def ws(tmp_path):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    for stem, meta in (("fig", {"scope": "site", "peers": False}),
                       ("other", {"scope": "site", "peers": False}),
                       ("billing", {"scope": "site", "peers": False, "requires": ["tariff"]}),
                       ("peers", {"scope": "site"})):
        p = _nb(nbdir / f"{stem}.ipynb", PARAMS, BODY)
        nb = nbformat.read(str(p), as_version=4)
        nb.metadata["dcplan"] = meta
        nbformat.write(nb, str(p))
    sites = [_site_copy(tmp_path, "phoenix-az"), _site_copy(tmp_path, "chicago-il")]
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: t\nsites:\n" + "".join(f"  - {s}\n" for s in sites))
    return nbdir, pf, tmp_path / "reports"


def _render(ws, notebooks=("fig",), **kw):
    nbdir, pf, out = ws
    return render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False,
                  notebooks=list(notebooks), **kw)


def _files(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_a_failed_run_marks_the_kept_report_and_a_later_keep_unmarks_it(ws):
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    run_dir = out / "phoenix-az" / "fig"
    good = _files(run_dir)
    s = _render(ws, sites=["phoenix-az"], parameters={"fail": "True"})
    assert not s.ok
    doc = json.loads((run_dir / "results.json").read_text())
    assert re.fullmatch(r"stale: the latest render of this run failed \(\S+\): cell 2 of fig\.ipynb: "
                        r"ValueError: boom \(in `import os`\.\.\.\)", doc["run"]["status"]), doc["run"]["status"]
    assert doc["results"]["n"]["value"] == 7.0  # the previous good figures, kept
    page = (run_dir / "report.html").read_text()
    assert re.search(r"<body[^>]*><!-- dcplan:not-current --><div[^>]*><strong>Not current\.</strong> stale: ", page)
    note = (run_dir / "outputs" / "x.csv.NOT-CURRENT.txt").read_text()
    assert note.startswith("x.csv is NOT CURRENT: stale: the latest render of this run failed (")
    # runs.json: the marked files' hashes (a folder check finds it consistent)
    st = json.loads((out / "runs.json").read_text())["phoenix-az/fig"]
    assert st["ok"] is False and st["sha256"] == {n: _sha(run_dir / n) for n in
                                                  ("report.html", "notebook.ipynb", "results.json")}
    # the failing version undone: the same fingerprint as the good outputs, kept and unmarked
    s = _render(ws, sites=["phoenix-az"])
    assert s.ok and s.results[0].reused_from is not None, s.table()
    assert _files(run_dir) == good  # byte for byte as placed, no note left
    st = json.loads((out / "runs.json").read_text())["phoenix-az/fig"]
    assert st["ok"] is True and st["sha256"]["results.json"] == _sha(run_dir / "results.json")
    assert _render(ws, sites=["phoenix-az"]).results[0].reused_from is not None  # and stays reusable


def test_a_run_not_applicable_now_marks_its_earlier_report(ws, tmp_path):
    nbdir, pf, out = ws
    assert _render(ws, notebooks=["billing"], sites=["phoenix-az"]).ok
    _site_copy(tmp_path, "phoenix-az", tariff=None)  # the site's tariff removed
    s = _render(ws, notebooks=["billing"], sites=["phoenix-az"])
    assert s.ok and s.results[0].run.not_applicable
    run_dir = out / "phoenix-az" / "billing"
    doc = json.loads((run_dir / "results.json").read_text())
    assert re.fullmatch(r"not applicable now \(render of \S+\): site 'phoenix-az' has no tariff: section; "
                        r"billing needs it", doc["run"]["status"]), doc["run"]["status"]
    assert "<strong>Not current.</strong> not applicable now" in (run_dir / "report.html").read_text()
    assert (run_dir / "outputs" / "x.csv.NOT-CURRENT.txt").read_text().startswith(
        "x.csv is NOT CURRENT: not applicable now (")


def test_the_index_says_inputs_changed_since_for_reports_not_rendered(ws, tmp_path):
    nbdir, pf, out = ws
    assert _render(ws, notebooks=["fig", "other"]).ok
    site = tmp_path / "phoenix-az.yaml"
    site.write_text(site.read_text().replace("utilisation_frac: 0.6\n", "utilisation_frac: 0.7\n"))
    assert _render(ws, notebooks=["other"]).ok
    index = (out / "index.html").read_text()
    other = index[index.index("Other reports in this folder"):]
    rows = {k: next(r for r in other.split("<tr") if f"href='{k}/report.html'" in r)
            for k in ("phoenix-az/fig", "chicago-il/fig")}
    assert "inputs changed since it was rendered (site): its figures may not be current" in rows["phoenix-az/fig"]
    assert "inputs changed since" not in rows["chicago-il/fig"]


def _bad_chicago(ws, tmp_path):
    bad = tmp_path / "cut.json"
    bad.write_text((DATA / "tariffs" / "rtp-example.json").read_text()[:200])  # truncated
    _site_copy(tmp_path, "chicago-il", tariff=str(bad))
    return bad


def test_a_bad_site_fails_its_own_runs_while_the_others_render(ws, tmp_path, capsys):
    nbdir, pf, out = ws
    assert _render(ws).ok
    bad = _bad_chicago(ws, tmp_path)
    s = _render(ws, notebooks=["fig", "other"])
    by = {r.run.key: r for r in s.results}
    assert by["phoenix-az/fig"].ok and by["phoenix-az/other"].ok
    err = by["chicago-il/fig"].error
    assert not by["chicago-il/fig"].ok and err.startswith(
        f"bad input: {tmp_path / 'chicago-il.yaml'}: tariff.file: {bad}: not valid JSON: ")
    assert err.endswith(f"; dcplan validate {pf} lists every problem")
    assert len(s.bad_input) == 2 and "2 run(s) not executed: bad input" in s.table()
    # chicago's earlier fig report stays, marked
    status = json.loads((out / "chicago-il" / "fig" / "results.json").read_text())["run"]["status"]
    assert status.startswith("stale: the latest render of this run failed (") and "not valid JSON" in status
    rc = main(["render", "--portfolio", str(pf), "--out", str(out), "--notebook-dir", str(nbdir), "-q",
               "--notebooks", "fig"])
    cap = capsys.readouterr()
    assert rc == 2, cap.err
    assert cap.err.strip() == (f"dcplan: error: 1 run(s) not executed: bad input in {tmp_path / 'chicago-il.yaml'} "
                               "(see their lines above)")
    assert "chicago-il/fig" in cap.out and "FAILED" in cap.out


def test_a_run_refused_for_another_sites_bad_files_says_so_in_short(ws, tmp_path):
    """A 23-site screen printed one site's 650-character weather error on 26 runs: each site_analysis
    and portfolio run repeated it. A per-site run refused for a peer's files now names the site and
    what to do; the bad site's own runs carry the error in full."""
    nbdir, pf, out = ws
    bad = _bad_chicago(ws, tmp_path)
    s = _render(ws, notebooks=["fig", "peers"])
    by = {r.run.key: r for r in s.results}
    assert by["chicago-il/peers"].error.startswith(f"bad input: {tmp_path / 'chicago-il.yaml'}: tariff.file: {bad}")
    assert by["phoenix-az/peers"].error == (
        f"bad input: {tmp_path / 'chicago-il.yaml'}: not run: this notebook reads every site of the portfolio, and site 'chicago-il' has bad "
        "files; fix it or leave it out of the portfolio (its own runs and the portfolio runs give the error; "
        f"dcplan validate {pf} lists every problem)")
    assert by["phoenix-az/fig"].ok


def test_with_sites_only_the_sites_the_runs_read_must_be_good(ws, tmp_path):
    nbdir, pf, out = ws
    _bad_chicago(ws, tmp_path)
    with pytest.warns(DcplanWarning, match=r"^site 'chicago-il' has bad files \(.*chicago-il\.yaml\), not selected by "
                                           r"--sites, so not rendered"):  # named once, the render goes on
        s = _render(ws, notebooks=["fig", "other"], sites=["phoenix-az"])
    assert s.ok and len(s.results) == 2, s.table()
    with pytest.raises(InputError, match=r"chicago-il\.yaml: tariff\.file: .*not valid JSON.*\(needed: "
                                         r"peers reads every site, not only --sites\)"):
        _render(ws, notebooks=["fig", "peers"], sites=["phoenix-az"])
    with pytest.raises(InputError, match=r"chicago-il\.yaml: tariff\.file: .*not valid JSON"):
        _render(ws, sites=["chicago-il"])


def _ctrl_c_on_the_second_run(monkeypatch) -> tuple[list, object]:
    """Patch render's run execution to raise KeyboardInterrupt when the second run starts (a Ctrl-C mid-render):
    ``(calls, real)``, the keys of the runs started and the real ``report._execute``."""
    real, calls = report._execute, []

    def execute_then_ctrl_c(run, *a, **kw):
        calls.append(run.key)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(run, *a, **kw)

    monkeypatch.setattr(report, "_execute", execute_then_ctrl_c)
    return calls, real


def test_an_interrupted_forced_render_says_the_command_without_force_reuses(ws, monkeypatch):
    nbdir, pf, out = ws
    assert _render(ws).ok
    calls, real = _ctrl_c_on_the_second_run(monkeypatch)
    with pytest.raises(KeyboardInterrupt) as ei:
        _render(ws, force=True)
    # was "... without --force finishes them, reusing the runs that ended (with --force ...)": that render kept the
    # run --force had not executed as current (nothing it depends on changed); runs.json now records it, and the
    # render without --force executes it (dcplan.report_records.force_pending)
    assert ei.value.dcplan_summary == (
        f"1 of its 2 run(s) ended before it; {out / 'index.html'} lists them; the 1 not finished keep their "
        "earlier reports, if any: the same command without --force finishes them: it executes the 1 again "
        "(runs.json records that --force had not), reusing the runs that ended (with --force it executes all "
        "2 again)")
    pending = [k for k, v in json.loads((out / "runs.json").read_text()).items() if v.get("force_pending")]
    assert pending == [calls[1]]
    monkeypatch.setattr(report, "_execute", real)
    again = {r.run.key: r for r in _render(ws).results}
    assert again[calls[0]].reused_from is not None  # executed by the --force render: kept
    assert again[calls[1]].reused_from is None and again[calls[1]].ok  # not executed by it: executed now
    assert not any(v.get("force_pending") for v in json.loads((out / "runs.json").read_text()).values())
    assert all(r.reused_from is not None for r in _render(ws).results)  # and then kept, as any run


def test_a_forced_render_cut_off_in_its_clean_up_leaves_its_runs_to_execute(ws, monkeypatch):
    # a second Ctrl-C within the clean-up (dcplan.cli: deliberate), like SIGKILL, skips _record_stopped, which
    # flagged the runs --force had not executed: the render without --force then kept their earlier reports as
    # current. The intent is now recorded before any run.
    nbdir, pf, out = ws
    assert _render(ws).ok
    calls, _ = _ctrl_c_on_the_second_run(monkeypatch)

    def second_ctrl_c(*a, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "_record_stopped", second_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        _render(ws, force=True)
    monkeypatch.undo()
    # until it executes, results.csv (of any render, e.g. of other sites) calls its kept report stale, not current
    from dcplan.report_table import results_rows
    rows = results_rows(out, json.loads((out / "runs.json").read_text()), set())
    status = {r["status"] for r in rows if f"{r['site']}/{r['notebook']}" == calls[1]}
    assert len(status) == 1 and status.pop().startswith("stale: a --force render was to execute this run again")
    assert {r["status"] for r in rows if f"{r['site']}/{r['notebook']}" == calls[0]} == {"current"}
    from dcplan.report_html import write_index
    write_index(out, json.loads((out / "runs.json").read_text()), current=[])
    assert "stale: a --force render was to execute this run again" in (out / "index.html").read_text()
    again = {r.run.key: r for r in _render(ws).results}
    assert again[calls[0]].reused_from is not None  # executed and recorded by the --force render: kept
    assert again[calls[1]].reused_from is None and again[calls[1]].ok  # not executed by it: executed now


def test_outputs_that_cannot_be_placed_are_kept_and_the_failure_says_where(ws, monkeypatch):
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok

    def refuse(tmp_dir, final, moved=None):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(report_execute, "_place", refuse)
    s = _render(ws, sites=["phoenix-az"], force=True)
    kept = out / "_failed" / "phoenix-az" / "fig.unplaced"
    assert s.results[0].error == (f"dcplan: cannot move the outputs into place ({out / 'phoenix-az' / 'fig'}): "
                                  f"Operation not permitted; the new outputs are kept in {kept}")
    assert json.loads((kept / "results.json").read_text())["results"]["n"]["value"] == 7.0
    assert (kept / "report.html").is_file() and (kept / "outputs" / "x.csv").is_file()
    monkeypatch.undo()
    assert _render(ws, sites=["phoenix-az"], force=True).ok
    assert not kept.exists()  # superseded by the run now in place


def _rmtree_refusing_old_folders(monkeypatch):
    """``shutil.rmtree`` that cannot delete a previous run folder (``.<name>.old-*``: an immutable file in it,
    as the finance reviewer's ``chattr +i`` workbook) and deletes everything else as before."""
    import errno
    import shutil
    real = shutil.rmtree

    def rmtree(path, ignore_errors=False, *a, **kw):
        if ".old-" in Path(path).name:
            if ignore_errors:
                return None
            raise PermissionError(errno.EPERM, "Operation not permitted", str(Path(path) / "outputs" / "x.csv"))
        return real(path, ignore_errors, *a, **kw)

    monkeypatch.setattr(shutil, "rmtree", rmtree)


def test_place_names_the_previous_folder_it_cannot_delete(tmp_path, monkeypatch):
    from dcplan.report_files import _place
    final, new = tmp_path / "site" / "tco", tmp_path / "new"
    (final / "outputs").mkdir(parents=True)
    (final / "outputs" / "x.csv").write_text("old")
    # the export is the previous run's (its results.json lists it): not a reader's file to move aside
    # (dcplan.report_foreign)
    (final / "results.json").write_text(json.dumps({"artifacts": [{"path": "outputs/x.csv"}]}))
    (new / "outputs").mkdir(parents=True)
    (new / "outputs" / "x.csv").write_text("new")
    assert _place(new, tmp_path / "site" / "other") is None  # nothing replaced: nothing to say
    _rmtree_refusing_old_folders(monkeypatch)
    new.mkdir()
    (new / "x.csv").write_text("new")
    (new / "results.json").write_text(json.dumps({"artifacts": [{"path": "x.csv"}]}))  # the run's own export
    note = _place(new, final)
    [left] = list(final.parent.glob(".tco.old-*"))  # the previous folder, with its files, under a hidden name
    assert (left / "outputs" / "x.csv").read_text() == "old" and (final / "x.csv").read_text() == "new"
    assert note == ("note: the previous report's folder could not be deleted "
                    f"({left / 'outputs' / 'x.csv'}: Operation not permitted); what is left of it, with the "
                    f"previous run's files, is {left}: the next render removes it if it can, or delete it yourself")
    monkeypatch.undo()
    new.mkdir()
    # deleted: nothing to say; _place removes only the folder it moved aside (a render's start removes the
    # leftover: the test below)
    assert _place(new, final) is None and left.exists()


def test_a_previous_folder_left_behind_is_named_in_the_summary_and_removed_next_time(ws, monkeypatch):
    """A --force render that could not delete the previous run folder exited 0 and said nothing, leaving
    ``.fig.old-XXXX/`` with the old outputs (the finance reviewer's immutable workbook)."""
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    _rmtree_refusing_old_folders(monkeypatch)
    s = _render(ws, sites=["phoenix-az"], force=True)
    assert s.ok  # the new report is in place: no failure
    [left] = list((out / "phoenix-az").glob(".fig.old-*"))
    assert (left / "outputs" / "x.csv").is_file()
    assert s.results[0].folder_note.endswith(f"is {left}: the next render removes it if it can, or delete it "
                                             "yourself")
    assert f"    {s.results[0].folder_note}" in s.table().splitlines()
    monkeypatch.undo()
    again = _render(ws, sites=["phoenix-az"])
    assert again.ok and not left.exists() and "could not be deleted" not in again.table()
    # removed, and said so (it was removed in silence, and may have held a workbook someone kept): one line
    note = (f"note: removed {left}: what was left of a previous report's folder by an earlier render that put the "
            "newer fig/ in its place and could not delete it (or was stopped first)")
    assert again.notes == [note] and note in again.table().splitlines()
    assert _render(ws, sites=["phoenix-az"]).notes == []  # nothing left: nothing said


def test_a_cell_without_an_id_draws_no_warning(ws):
    nbdir, pf, out = ws
    p = nbdir / "fig.ipynb"
    nb = json.loads(p.read_text())
    nb["cells"].append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                        "source": ["x = 1"]})  # added by hand: no id
    p.write_text(json.dumps(nb))
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert _render(ws, sites=["phoenix-az"]).ok
    assert not [w for w in seen if "missing an id" in str(w.message)], [str(w.message) for w in seen]
    assert not (out / "phoenix-az" / "fig" / report_execute.SOURCE_COPY).exists()
    executed = json.loads((out / "phoenix-az" / "fig" / "notebook.ipynb").read_text())
    assert executed["metadata"]["papermill"]["input_path"] == str(p)


def test_a_marking_cut_short_marks_the_exports_first_and_says_so(ws, monkeypatch):
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    run_dir = out / "phoenix-az" / "fig"
    good = _files(run_dir)
    import dcplan.report_stale as report_stale
    real = report_stale.atomic_write_text

    def no_report_html(path, text):
        if Path(path).name == "report.html":
            raise PermissionError(13, "Permission denied")
        return real(path, text)

    monkeypatch.setattr(report_stale, "atomic_write_text", no_report_html)
    s = _render(ws, sites=["phoenix-az"], parameters={"fail": "True"})
    err = s.results[0].error
    assert err.endswith("; could not mark the kept report as not current: cannot write "
                        f"{run_dir / 'report.html'}: Permission denied"), err
    assert err in s.table()
    # the export's note first (the workbook is what goes on); report.html, then results.json, not marked
    assert (run_dir / "outputs" / "x.csv.NOT-CURRENT.txt").read_text().startswith("x.csv is NOT CURRENT: stale: ")
    assert (run_dir / "report.html").read_bytes() == good["report.html"]
    assert (run_dir / "results.json").read_bytes() == good["results.json"]
    st = json.loads((out / "runs.json").read_text())["phoenix-az/fig"]
    assert st["error"] == err
    assert st["sha256"] == {n: _sha(run_dir / n) for n in ("report.html", "notebook.ipynb", "results.json")}
    assert "could not mark the kept report as not current: cannot write" in (out / "index.html").read_text()
    monkeypatch.undo()
    s = _render(ws, sites=["phoenix-az"], parameters={"fail": "True"})  # writable again: marked whole
    assert "could not mark" not in s.results[0].error
    assert json.loads((run_dir / "results.json").read_text())["run"]["status"].startswith("stale: ")
    assert "<strong>Not current.</strong>" in (run_dir / "report.html").read_text()


def test_the_index_says_when_a_site_now_resolves_to_another_weather_file(ws, tmp_path):
    nbdir, pf, out = ws
    site = tmp_path / "phoenix-az.yaml"  # its weather named relatively: found under data/weather/
    site.write_text((DATA / "sites" / "phoenix-az.yaml").read_text().replace(
        "file: tariffs/", f"file: {DATA / 'tariffs'}/"))
    assert _render(ws, notebooks=["fig", "other"]).ok
    epw = "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"
    (tmp_path / "weather").mkdir()
    (tmp_path / "weather" / epw).write_bytes((DATA / "weather" / epw).read_bytes())  # now found beside the YAML
    assert _render(ws, notebooks=["other"]).ok
    index = (out / "index.html").read_text()
    other = index[index.index("Other reports in this folder"):]
    rows = {k: next(r for r in other.split("<tr") if f"href='{k}/report.html'" in r)
            for k in ("phoenix-az/fig", "chicago-il/fig")}
    # the same bytes, so no hash changed: only the file the site resolves to did
    assert (f"inputs changed since it was rendered (weather (now {tmp_path / 'weather' / epw})): its figures "
            "may not be current") in rows["phoenix-az/fig"], rows["phoenix-az/fig"]
    assert "inputs changed since" not in rows["chicago-il/fig"]


def test_the_index_row_shows_the_parameters_the_run_was_given(ws):
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"], parameters={"fail": "False"}).ok
    index = (out / "index.html").read_text()
    row = next(r for r in index.split("<tr") if "href='phoenix-az/fig/report.html'" in r)
    assert "<div class='params'>with -p fail=False</div>" in row  # site and portfolio: render's own
    assert _render(ws, sites=["phoenix-az"]).ok
    assert "with -p" not in (out / "index.html").read_text()


def test_a_file_parameter_is_shown_by_its_file_name():
    from dcplan.report_html import run_parameters_text
    doc = {"parameters_injected": ["portfolio", "scenario", "site", "tariff_file"],
           "parameters": {"portfolio": "/p/pf.yaml", "site": "x", "scenario": "grid-delay-p50",
                          "tariff_file": "/data/tariffs/comed-il-large-load.json"}}
    assert run_parameters_text(doc) == "with -p scenario=grid-delay-p50, tariff_file=comed-il-large-load.json"
    assert run_parameters_text({"parameters_injected": ["site", "portfolio"]}) == ""


def test_a_report_of_the_same_site_id_from_another_portfolio_is_not_current(ws, tmp_path):
    """A planner keeps a what-if portfolio beside the base one, its phoenix-az a copy with another fleet, and renders
    both into one folder. Rendering the what-if's other site, the base portfolio's phoenix-az report (another YAML)
    was listed, in the index and results.csv, as current under the what-if's portfolio name. A site of this render's
    portfolio that resolves to another file than its report read is now said, as ``site (now <path>)``, though
    no run of this render is of that site."""
    nbdir, pf, out = ws
    assert _render(ws, notebooks=["fig"]).ok
    what_if = tmp_path / "what-if"
    what_if.mkdir()
    copy = what_if / "phoenix-az.yaml"
    copy.write_text((tmp_path / "phoenix-az.yaml").read_text().replace("utilisation_frac: 0.6\n",
                                                                       "utilisation_frac: 0.7\n"))
    pf2 = what_if / "pf.yaml"
    pf2.write_text(f"name: what-if\nsites:\n  - {copy}\n  - {tmp_path / 'chicago-il.yaml'}\n")
    assert render(portfolio=pf2, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False,
                  notebooks=["other"], sites=["chicago-il"]).ok
    index = (out / "index.html").read_text()
    other = index[index.index("Other reports in this folder"):]
    rows = {k: next(r for r in other.split("<tr") if f"href='{k}/report.html'" in r)
            for k in ("phoenix-az/fig", "chicago-il/fig")}
    said = f"inputs changed since it was rendered (site (now {copy})): its figures may not be current"
    assert said in rows["phoenix-az/fig"], rows["phoenix-az/fig"]
    assert "inputs changed since" not in rows["chicago-il/fig"]  # the same file in both portfolios
    from dcplan.report_table import ENCODING
    import csv
    with open(out / "results.csv", encoding=ENCODING, newline="") as fh:
        status = {(r["site"], r["notebook"]): r["status"] for r in csv.DictReader(fh)}
    assert status[("phoenix-az", "fig")].startswith(said)
    assert status[("chicago-il", "fig")] == "current" and status[("chicago-il", "other")] == "current"
