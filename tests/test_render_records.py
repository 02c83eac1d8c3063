"""What ``dcplan render`` records, and what it checks before any run.

* ``runs.json`` and ``index.html`` follow the runs as they end: a render killed (SIGKILL:
  no handler runs) after a run's folder was replaced leaves an index with that report's
  figures, not the previous render's.
* Kept reports are checked against the SHA-256 that ``runs.json`` recorded when they were
  placed: a cut ``report.html``, an emptied ``notebook.ipynb`` or an edited figure in
  ``results.json`` executes the run again.
* An index that cannot be written is bad input naming ``index.html`` (exit 2), before any run.
* A bad tariff file (a site's, or one given by ``-p tariff_file``) is bad input (exit 2)
  before any run, as ``dcplan validate`` says.
* Every ``results.json`` names the dcplan source that made it (``dcplan_source_sha256``).
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

import dcplan.report as report
from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report import render

from conftest import DATA
from test_report_stopped import PARAMS as STOPPED_PARAMS
from test_report_stopped import workspace

# the stopped-render test's notebook, with a tariff_file parameter besides
PARAMS = STOPPED_PARAMS + '\ntariff_file: str = ""'


@pytest.fixture
def ws(tmp_path):
    return workspace(tmp_path, PARAMS)


def _render(ws, **kw):
    nbdir, pf, out = ws
    return render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False, **kw)


def _headline(index_html: str, key: str) -> str | None:
    row = next((r for r in index_html.split("<tr") if f"href='{key}/report.html'" in r), "")
    m = re.search(r"Scaled hours: <b>([^<]+)</b>", row)
    return m.group(1) if m else None


def _tokens(out: Path) -> dict:
    return {f"{p.parts[-3]}/{p.parts[-2]}": json.loads(p.read_text())["results"]["token"]["value"]
            for p in sorted(out.glob("*/*/results.json"))}


# ---------------------------------------------------------------------------
# runs.json and index.html as runs end

def test_the_index_shows_a_placed_report_while_the_next_run_executes(ws, monkeypatch):
    # what a SIGKILL during the second run would leave: the files as they are while it executes
    nbdir, pf, out = ws
    assert _render(ws).ok
    real = report._execute
    calls, seen = [], {}

    def execute(run, *a, **kw):
        calls.append(run.key)
        if len(calls) == 2:  # the first run has executed; its outputs are placed meanwhile
            first = calls[0].replace(":", "/")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                doc = json.loads((out / first / "results.json").read_text())
                if doc["results"]["scaled"]["value"] == pytest.approx(8760.0) and \
                        _headline((out / "index.html").read_text(), first) == "8,760 h":
                    break
                time.sleep(0.05)
            seen["index"] = (out / "index.html").read_text()
            seen["runs"] = json.loads((out / "runs.json").read_text())
            seen["first"] = first
        return real(run, *a, **kw)

    monkeypatch.setattr(report, "_execute", execute)
    s = _render(ws, parameters={"scale": 8.76})
    assert s.ok, s.table()
    first = seen["first"]
    second = calls[1].replace(":", "/")
    # the first report is in place, and the index already shows its figure (was: 1,000 h until the end)
    assert _headline(seen["index"], first) == "8,760 h"
    assert "This render has not ended" in seen["index"] and "1 of its 2 run(s) have ended" in seen["index"]
    # the run not yet ended keeps its earlier report, listed apart from this render's, and the
    # heading's reasons include it (they named only other portfolios, sites or notebooks)
    assert _headline(seen["index"], second) == "1,000 h"
    assert "a run of it that has not ended" in seen["index"]
    assert seen["index"].index(f"href='{second}/report.html'") > seen["index"].index("Other reports in this folder")
    assert seen["runs"][first]["ok"] is True and "sha256" in seen["runs"][first]
    # the render's end: every run is this render's, no note
    index = (out / "index.html").read_text()
    assert "This render has not ended" not in index and _headline(index, second) == "8,760 h"


def test_the_index_counts_only_the_entries_this_render_recorded(ws, monkeypatch):
    # a run of this render cut off and never recorded in runs.json, whose entry is an earlier render's:
    # the index counted it from that entry ("2 executed; 2 report(s) shown") and listed the earlier
    # report among this render's results
    nbdir, pf, out = ws
    assert _render(ws).ok
    before = json.loads((out / "runs.json").read_text())
    real_execute, real_record = report._execute, report._Records.record
    calls = []

    def execute(run, *a, **kw):
        calls.append(run.key)
        if len(calls) == 2:  # cut off: nothing of it written
            return report.RunResult(run, ok=False, seconds=0.0, error=report._GONE)
        return real_execute(run, *a, **kw)

    def record(self, res, write=True):  # its result never reaches runs.json
        return res if res.error == report._GONE else real_record(self, res, write)

    monkeypatch.setattr(report, "_execute", execute)
    monkeypatch.setattr(report._Records, "record", record)
    _render(ws, parameters={"scale": 8.76})
    first, second = (k.replace(":", "/") for k in calls)
    status = json.loads((out / "runs.json").read_text())
    assert status[second] == before[second]  # the earlier render's entry, untouched
    assert status[first]["render"] != before[first]["render"]  # entries carry the render that recorded them
    index = (out / "index.html").read_text()
    # one run executed, one not run in this render; one report shown as this render's
    assert ("2 run(s) in this render: 1 executed, 1 not run in this render (listed with the folder's other "
            "reports, as they last were); 1 report(s) shown.") in index
    assert _headline(index, first) == "8,760 h"
    # the earlier report of the run cut off: listed apart from this render's, as it last was
    assert _headline(index, second) == "1,000 h"
    assert index.index(f"href='{second}/report.html'") > index.index("Other reports in this folder")
    assert index.index(f"href='{first}/report.html'") < index.index("Other reports in this folder")


def test_an_index_that_cannot_be_written_is_bad_input_before_any_run(ws, capsys):
    nbdir, pf, out = ws
    assert _render(ws).ok
    t0 = _tokens(out)
    (out / "index.html").unlink()
    (out / "index.html").mkdir()  # cannot be replaced (as an immutable file: chattr +i)
    (out / "index.html" / "x").write_text("x")
    rc = main(["render", "--portfolio", str(pf), "--out", str(out), "--notebook-dir", str(nbdir),
               "-j", "1", "-q", "--force"])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert f"{out / 'index.html'}: cannot write index.html" in err and ".tmp" not in err
    assert len(err.strip().splitlines()) == 1
    assert _tokens(out) == t0  # no run executed
    assert not list(out.glob(".*.tmp")) and not (out / ".dcplan-tmp").exists()


# ---------------------------------------------------------------------------
# kept reports: complete and untouched

def test_damaged_kept_reports_execute_again(ws):
    nbdir, pf, out = ws
    assert _render(ws).ok
    t0 = _tokens(out)
    status = json.loads((out / "runs.json").read_text())
    assert set(status["phoenix-az/fig"]["sha256"]) == {"report.html", "notebook.ipynb", "results.json"}
    (out / "phoenix-az" / "fig" / "report.html").write_bytes((out / "phoenix-az" / "fig" / "report.html")
                                                             .read_bytes()[:100])
    res = out / "chicago-il" / "fig" / "results.json"
    doc = json.loads(res.read_text())
    doc["results"]["scaled"]["value"] = 1.0  # an edited figure
    res.write_text(json.dumps(doc))
    s = _render(ws)
    assert s.ok and [r.reused_from for r in s.results] == [None, None], s.table()
    t1 = _tokens(out)
    assert t1["phoenix-az/fig"] != t0["phoenix-az/fig"] and t1["chicago-il/fig"] != t0["chicago-il/fig"]
    assert json.loads(res.read_text())["results"]["scaled"]["value"] == 1000.0
    # untouched: kept; an emptied notebook: executed again
    (out / "phoenix-az" / "fig" / "notebook.ipynb").write_text("")
    s = _render(ws)
    assert [r.reused_from is not None for r in s.results] == [False, True], s.table()
    assert (out / "phoenix-az" / "fig" / "notebook.ipynb").stat().st_size > 0


def test_outputs_recorded_without_hashes_execute_again(ws):
    # outputs of a render that recorded no hashes (or killed before it recorded them) cannot
    # be shown to be untouched
    nbdir, pf, out = ws
    assert _render(ws).ok
    status = json.loads((out / "runs.json").read_text())
    del status["phoenix-az/fig"]["sha256"]
    (out / "runs.json").write_text(json.dumps(status))
    s = _render(ws)
    assert [r.reused_from is not None for r in s.results] == [False, True], s.table()


# ---------------------------------------------------------------------------
# tariffs checked before any run

def _bad_tariff(tmp_path: Path) -> Path:
    doc = json.loads((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())
    doc["_t"] = 1  # not a URDB field (dcplan validate: bad input)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    return bad


def test_a_site_tariff_that_validate_refuses_is_bad_input_before_any_run(ws, tmp_path, capsys):
    nbdir, pf, out = ws
    bad = _bad_tariff(tmp_path)
    site = tmp_path / "phoenix-az.yaml"
    text = (DATA / "sites" / "phoenix-az.yaml").read_text()
    site.write_text(re.sub(r"file: tariffs/\S+", f"file: {bad}", text))
    site.write_text(site.read_text().replace("file: weather/", f"file: {DATA / 'weather'}/"))
    pf.write_text(f"name: t\nsites:\n  - {site}\n")
    with pytest.raises(InputError, match=r"tariff\.file: .*bad\.json: _t: unknown '_t'"):
        _render(ws)
    assert not out.exists()  # no run, nothing written
    rc = main(["render", "--portfolio", str(pf), "--out", str(out), "--notebook-dir", str(nbdir), "-q"])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "bad.json: _t:" in err, err
    assert main(["validate", str(pf)]) == 2  # as dcplan validate says


def test_a_tariff_file_parameter_that_validate_refuses_is_bad_input(ws, tmp_path, capsys):
    nbdir, pf, out = ws
    bad = _bad_tariff(tmp_path)
    rc = main(["render", "--portfolio", str(pf), "--out", str(out), "--notebook-dir", str(nbdir), "-q",
               "-p", "tariff_file", str(bad)])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.strip() == (f"dcplan: error: {bad}: _t: unknown '_t'; not a URDB v8 field dcplan reads "
                           "(dcplan.tariff_urdb.SUPPORTED/METADATA) (the tariff given by -p tariff_file)")
    assert not out.exists()


def test_a_tariff_problem_is_counted_once_as_validate_lists_it(ws, tmp_path, capsys):
    """An 11-row weekday schedule: the tariff checks report it twice; the render said "(1 more
    problem(s): dcplan validate ...)" where validate printed one line."""
    import json
    nbdir, pf, out = ws
    t = json.loads((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())
    item = t["items"][0] if "items" in t else t
    item["energyweekdayschedule"] = item["energyweekdayschedule"][:11]
    bad = tmp_path / "sched11.json"
    bad.write_text(json.dumps(t))
    rc = main(["render", "--portfolio", str(pf), "--out", str(out), "--notebook-dir", str(nbdir), "-q",
               "-p", "tariff_file", str(bad)])
    err = capsys.readouterr().err
    assert rc == 2 and "12" in err and "more problem" not in err, err


# ---------------------------------------------------------------------------
# provenance: which dcplan source made the report

def test_results_json_names_the_dcplan_source(ws):
    from dcplan.report import _tree_digest, dcplan_source_digest
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    prov = json.loads((out / "phoenix-az" / "fig" / "results.json").read_text())["provenance"]
    pkg = Path(report.__file__).resolve().parent
    assert prov["dcplan_source_sha256"] == dcplan_source_digest() == _tree_digest(pkg, "*.py")
    assert re.fullmatch(r"[0-9a-f]{64}", prov["dcplan_source_sha256"])
