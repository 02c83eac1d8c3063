"""results.csv: every figure of every report in a render's folder, one row each (dcplan.report_table).

Values are compared with the runs' own results.json (and by hand: len("phoenix-az") = 10, 1/3 to the last bit)."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat
import pytest

from dcplan.errors import InputError
from dcplan.report import render
from dcplan.report_files import REPORTS_MARKER, check_reports_folder
from dcplan.report_table import COLUMNS, results_csv_text

from conftest import DATA

TWO_SITES = f"""name: two sites
sites:
  - {DATA / 'sites' / 'phoenix-az.yaml'}
  - {DATA / 'sites' / 'chicago-il.yaml'}
"""


@pytest.fixture
def workspace(tmp_path):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell('site: str = "x"\nportfolio: str = "default"\nfail_site: str = ""')
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(
        "from dcplan.results import publish\n"
        "publish('site_len', len(site), unit='chars', headline=True)\n"
        "publish('third_frac', 1 / 3)\n"
        "publish('formula_text', '=1+1', label='-a label a spreadsheet would compute')\n"
        "if site == fail_site:\n    raise ValueError(f'boom for {site}')\n")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["dcplan"] = {"scope": "site"}
    nbformat.write(nb, str(nbdir / "figs.ipynb"))
    (pf := tmp_path / "pf.yaml").write_text(TWO_SITES)
    return tmp_path, nbdir, pf


def _rows(out: Path) -> list[dict]:
    raw = (out / "results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads the units' degree signs
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    return list(csv.DictReader(text.splitlines()))


def _by(rows, site, key):
    return next(r for r in rows if r["site"] == site and r["key"] == key)


@pytest.mark.slow
def test_every_figure_of_every_report_is_a_row_and_says_whether_it_is_current(workspace):
    tmp, nbdir, pf = workspace
    out = tmp / "reports"
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False)
    assert s.ok and s.table().splitlines()[-1].endswith(f"; every figure: {out / 'results.csv'}")
    rows = _rows(out)
    for site in ("phoenix-az", "chicago-il"):
        doc = json.loads((out / site / "figs" / "results.json").read_text())
        mine = [r for r in rows if r["site"] == site]
        assert [r["key"] for r in mine] == list(doc["results"])  # every figure, in the report's order
        assert {(r["status"], r["this_render"], r["notebook"], r["site_name"], r["report"]) for r in mine} == {
            ("current", "yes", "figs", doc["site_name"], f"{site}/figs/report.html")}
        assert (out / mine[0]["report"]).is_file()
    assert _by(rows, "phoenix-az", "site_len")["value"] == "10" and _by(rows, "chicago-il", "site_len")["value"] == "10"
    third = _by(rows, "phoenix-az", "third_frac")
    assert float(third["value"]) == 1 / 3 and third["unit"] == "frac"  # full precision: the same float back
    assert (_by(rows, "phoenix-az", "site_len")["headline"], third["headline"]) == ("true", "false")
    # text a spreadsheet would evaluate is written as text (dcplan.export_text)
    f = _by(rows, "phoenix-az", "formula_text")
    assert (f["value"], f["label"]) == ("'=1+1", "'-a label a spreadsheet would compute")
    assert "href='results.csv'" in (out / "index.html").read_text()

    # the latest run of one site fails: its kept report's rows say so; the other's carry the -p it ran with
    assert not render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False,
                      parameters={"fail_site": "phoenix-az"}).ok
    rows = _rows(out)
    assert _by(rows, "phoenix-az", "site_len")["status"].startswith("stale: the latest render of this run failed")
    assert "boom for phoenix-az" in _by(rows, "phoenix-az", "site_len")["status"]
    chi = _by(rows, "chicago-il", "site_len")
    assert (chi["status"], chi["parameters"]) == ("current", "with -p fail_site=phoenix-az")

    # a render of one site: the other's rows are the folder's other reports, as in the index
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, sites=["chicago-il"]).ok
    rows = _rows(out)
    assert {r["this_render"] for r in rows if r["site"] == "phoenix-az"} == {"no"}
    assert {r["this_render"] for r in rows if r["site"] == "chicago-il"} == {"yes"}


@pytest.mark.slow
def test_a_run_that_never_had_a_report_has_one_row_saying_so(workspace):
    tmp, nbdir, pf = workspace
    out = tmp / "reports"
    assert not render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False,
                      parameters={"fail_site": "phoenix-az"}).ok
    rows = [r for r in _rows(out) if r["site"] == "phoenix-az"]
    assert len(rows) == 1 and rows[0]["key"] == "" and rows[0]["value"] == ""
    assert rows[0]["status"].startswith("no report: failed: ") and "boom for phoenix-az" in rows[0]["status"]
    assert len([r for r in _rows(out) if r["site"] == "chicago-il"]) == 3


def test_a_users_own_results_csv_is_never_overwritten(tmp_path):
    out = tmp_path / "reports"
    out.mkdir()
    (out / REPORTS_MARKER).write_text("")
    (out / "results.csv").write_text("site,my own figure\nx,1\n")
    with pytest.raises(InputError, match=r"results\.csv was not written by dcplan \(its first line is not "
                                         r"site,site_name,notebook,key,value"):
        check_reports_folder(out)
    assert (out / "results.csv").read_text() == "site,my own figure\nx,1\n"
    (out / "results.csv").write_text(results_csv_text([]))  # dcplan's own (a header alone): its to replace
    check_reports_folder(out)


@pytest.mark.parametrize("v,want", [(10, "10"), (1 / 3, "0.3333333333333333"), (2.5e-07, "2.5e-07"),
                                    (float("nan"), ""), (None, ""), (True, "true"), (False, "false"),
                                    ("2028-07-26", "2028-07-26"), ([1, "a"], '[1, "a"]')])
def test_a_published_value_is_written_as_it_reads_back(v, want):
    from dcplan.report_table import _value
    assert _value(v) == want
    if isinstance(v, float) and want:
        assert float(want) == v  # the same float, bit for bit


@pytest.mark.parametrize("value,want", [(-6814752.07, "-6814752.07"), (-2.5e-07, "-2.5e-07"), (-3, "-3"),
                                        ("-2+3", "'-2+3"), ("=1+1", "'=1+1"), ("-", "-"), ("-inf", "'-inf")])
def test_a_negative_number_is_written_as_a_number_and_formula_text_as_text(value, want):
    # a negative NPV read as text by a spreadsheet drops out of its sums and pivots; "-2+3" is a formula
    from dcplan.report_table import _value
    text = results_csv_text([{"site": "s", "key": "k", "value": _value(value), "label": "-a label"}])
    row = next(csv.DictReader(text.splitlines()))
    assert (row["value"], row["label"]) == (want, "'-a label")
    if not isinstance(value, str):
        assert float(row["value"]) == value  # the same number back


@pytest.mark.slow
def test_a_failed_run_whose_report_could_not_be_marked_is_never_current(workspace, monkeypatch):
    # the marking writes the notes, the banner, then results.json's run.status: a report.html that cannot be
    # written stops it before run.status, so results.json alone would read as current; runs.json decides
    tmp, nbdir, pf = workspace
    out = tmp / "reports"
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, sites=["phoenix-az"]).ok
    import dcplan.report_stale as report_stale
    real = report_stale.atomic_write_text

    def no_report_html(path, text):
        if Path(path).name == "report.html":
            raise PermissionError(1, "Operation not permitted")
        return real(path, text)

    monkeypatch.setattr(report_stale, "atomic_write_text", no_report_html)
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, sites=["phoenix-az"],
               parameters={"fail_site": "phoenix-az"})
    assert not s.ok and "could not mark the kept report as not current" in s.results[0].error
    monkeypatch.undo()
    run_dir = out / "phoenix-az" / "figs"
    assert "status" not in json.loads((run_dir / "results.json").read_text())["run"]  # the mark never got there
    when = json.loads((out / "runs.json").read_text())["phoenix-az/figs"]["when"]
    want = f"stale: the latest render of this run failed ({when}): cell 2 of figs.ipynb"
    rows = [r for r in _rows(out) if r["site"] == "phoenix-az"]
    assert len(rows) == 3 and all(r["status"].startswith(want) for r in rows), rows[0]["status"]
    assert all("boom for phoenix-az" in r["status"] and "cannot write" in r["status"] for r in rows)
    # a later render without the run: still not current
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, sites=["chicago-il"]).ok
    rows = [r for r in _rows(out) if r["site"] == "phoenix-az"]
    assert {r["this_render"] for r in rows} == {"no"} and all(r["status"].startswith(want) for r in rows)


@pytest.mark.slow
def test_an_unreadable_or_edited_results_json_of_another_run_is_never_silent(workspace):
    tmp, nbdir, pf = workspace
    out = tmp / "reports"
    (nbdir / "figs2.ipynb").write_bytes((nbdir / "figs.ipynb").read_bytes())
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, notebooks=["figs"]).ok
    (out / "phoenix-az" / "figs" / "results.json").write_text("{not json")
    doc = json.loads((out / "chicago-il" / "figs" / "results.json").read_text())
    doc["results"]["site_len"]["value"] = 99  # edited by hand: not the figure rendered (10)
    (out / "chicago-il" / "figs" / "results.json").write_text(json.dumps(doc))
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, notebooks=["figs2"],
                  sites=["phoenix-az"]).ok
    rows = _rows(out)
    bad = [r for r in rows if (r["site"], r["notebook"]) == ("phoenix-az", "figs")]
    assert len(bad) == 1 and (bad[0]["key"], bad[0]["this_render"], bad[0]["report"]) == (
        "", "no", "phoenix-az/figs/report.html")
    assert bad[0]["status"].startswith("no figures: its results.json cannot be read (not valid JSON: "), bad[0]
    assert "--notebooks figs --sites phoenix-az" in bad[0]["status"]
    edited = _by(rows, "chicago-il", "site_len")
    assert edited["value"] == "99" and edited["status"].startswith("results.json changed since it was rendered")
    page = (out / "index.html").read_text()
    assert "its results.json cannot be read (not valid JSON" in page and "results.json changed since it" in page
    # the way back the row gives: render the run again
    assert render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, notebooks=["figs"],
                  sites=["phoenix-az"]).ok
    assert {r["status"] for r in _rows(out) if (r["site"], r["notebook"]) == ("phoenix-az", "figs")} == {"current"}


def test_the_status_is_that_of_the_latest_attempt_runs_json_records():
    from dcplan.report_stale import kept_status
    old_mark = {"run": {"status": "stale: the latest render of this run failed (2026-01-01T00:00:00Z): old error"}}
    failed = {"ok": False, "when": "2026-02-01T00:00:00Z", "failed_cell": 3, "notebook": "figs",
              "error": "ValueError: new; could not mark the kept report as not current: cannot write x: full"}
    # a mark of an earlier failure, the latest failure's mark cut short: rebuilt from runs.json
    assert kept_status(old_mark, failed) == ("stale: the latest render of this run failed (2026-02-01T00:00:00Z): "
                                             "cell 3 of figs.ipynb: " + failed["error"])
    assert kept_status({"run": {}}, failed) == kept_status(old_mark, failed)
    latest = {"run": {"status": "stale: the latest render of this run failed (2026-02-01T00:00:00Z): cell 3 ..."}}
    assert kept_status(latest, failed) == latest["run"]["status"]  # its own mark, as the banner says it
    assert kept_status({"run": {}}, {"ok": True, "when": "2026-02-01T00:00:00Z"}) == "current"
    assert kept_status({"run": {}}, {}) == "current"  # no record (a folder without runs.json): as results.json says
    # a cut-off --force render flagged the run to execute again and had not: its report is the one --force was to
    # replace, never current (its entry's force_pending, dcplan.report_records.FORCE_PENDING)
    pending = {"ok": True, "when": "2026-01-01T00:00:00Z",
               "force_pending": {"render": "r", "when": "2026-04-01T00:00:00Z", "why": "not executed again"}}
    assert kept_status({"run": {}}, pending) == "stale: not executed again (2026-04-01T00:00:00Z)"
    na = {"ok": None, "not_applicable": "no tariff", "when": "2026-03-01T00:00:00Z", "error": "could not mark"}
    assert kept_status({"run": {}}, na) == ("not applicable now (render of 2026-03-01T00:00:00Z): no tariff; "
                                            "could not mark")


def test_a_portfolio_figure_about_one_site_names_that_site(tmp_path):
    """A site-selection auditor: results.csv gave the portfolio notebooks' per-site figures as site _portfolio and
    key ``<site id>.<key>`` only, so a pivot by site left them out. ``subject_site`` names the site (the portfolio
    run's sites: ``site:<id>`` in its provenance inputs); empty for a portfolio-wide figure, a dotted key that is
    no site's, and a site's own run. Hand-built results.json documents, no render."""
    from dcplan.report_table import results_rows
    pf_doc = {"site_name": "two sites", "notebook": "portfolio_comparison",
              "provenance": {"inputs": {"site:phoenix-az": {}, "site:chicago-il": {}, "tariff:phoenix-az": {}}},
              "results": {"phoenix-az.usd_per_m_tokens": {"value": 0.0217, "unit": "USD/M tokens", "label": "x"},
                          "chicago-il.score": {"value": 0.65, "label": "y"},
                          "best_site": {"value": "Chicago, IL", "label": "z", "headline": True},
                          "miami-fl.score": {"value": 1.0, "label": "not a site of this run"}}}
    site_doc = {"site_name": "Phoenix, AZ", "notebook": "site_analysis",
                "provenance": {"inputs": {"site:phoenix-az": {}}},
                "results": {"phoenix-az.x": {"value": 1.0, "label": "a dotted key of a site's own run"}}}
    rows = results_rows(tmp_path, {}, set(), {"_portfolio/portfolio_comparison": pf_doc,
                                              "phoenix-az/site_analysis": site_doc})
    got = {(r["site"], r["key"]): r["subject_site"] for r in rows}
    assert got == {("_portfolio", "phoenix-az.usd_per_m_tokens"): "phoenix-az", ("_portfolio", "chicago-il.score"):
                   "chicago-il", ("_portfolio", "best_site"): "", ("_portfolio", "miami-fl.score"): "",
                   ("phoenix-az", "phoenix-az.x"): ""}
    text = results_csv_text(rows)
    assert text.splitlines()[0].endswith(",report,subject_site,your_files")
    row = next(csv.DictReader(text.splitlines()[0:1] + [t for t in text.splitlines()[1:] if "chicago-il.score" in t]))
    assert row["subject_site"] == "chicago-il" and row["site"] == "_portfolio"


@pytest.mark.parametrize("added", ["subject_site", "your_files"])
def test_a_results_csv_written_before_a_column_was_added_is_still_dcplans_to_replace(tmp_path, added):
    out = tmp_path / "reports"
    out.mkdir()
    (out / REPORTS_MARKER).write_text("")
    # the header dcplan wrote before the column (every column before it: each was added at the end)
    (out / "results.csv").write_text(",".join(COLUMNS[:COLUMNS.index(added)]) + "\r\n", encoding="utf-8-sig")
    check_reports_folder(out)


def test_a_run_whose_render_moved_the_readers_files_says_so_on_each_of_its_rows(tmp_path):
    """A finance reviewer pivots results.csv, not the index: when a render moved their annotated workbook out of a
    run folder (dcplan.report_foreign), the index row and runs.json said where it went, results.csv did not. Its
    ``your_files`` column now says the index row's words on every row of that run, each file named (the index lists
    five); empty for every other run. Hand-built runs.json and results.json, no render."""
    from dcplan.report_foreign import YOUR_FILES
    from dcplan.report_table import results_rows
    moved = {"when": "2026-01-02T03:04:05+00:00", "dir": "_your_files/a/fig/20260102T030405Z-abc123",
             "files": [f"outputs/mine{i}.xlsx" for i in range(6)] + ["=cmd.xlsx"], "not_kept": ["~$lock (busy)"]}
    doc = {"site_name": "A", "notebook": "fig", "results": {"x_h": {"value": 1.0, "label": "X", "headline": True},
                                                             "y_h": {"value": 2.0, "label": "Y"}}}
    docs = {"a/fig": doc, "b/fig": {**doc, "site_name": "B"}}
    status = {"a/fig": {"ok": True, YOUR_FILES: moved}, "b/fig": {"ok": True},
              "c/fig": {"ok": False, "error": "boom", "notebook": "fig", YOUR_FILES: moved}}
    want = ("Your files (2026-01-02T03:04:05+00:00): 7 file(s) in the previous run folder were not the run's "
            "(outputs/mine0.xlsx, outputs/mine1.xlsx, outputs/mine2.xlsx, outputs/mine3.xlsx, outputs/mine4.xlsx, "
            "outputs/mine5.xlsx, =cmd.xlsx): the run executed again replaced the folder whole, so they were moved to "
            "_your_files/a/fig/20260102T030405Z-abc123/; could not keep ~$lock (busy): deleted with the previous folder")
    rows = results_rows(tmp_path, status, {"a/fig", "b/fig"}, docs)
    assert [(r["site"], r.get("key"), r["your_files"]) for r in rows] == [
        ("a", "x_h", want), ("a", "y_h", want), ("b", "x_h", ""), ("b", "y_h", ""), ("c", None, want)]
    text = results_csv_text(rows)
    assert text.splitlines()[0].endswith(",subject_site,your_files")
    got = list(csv.DictReader(text.splitlines()))
    assert [r["your_files"] for r in got] == [want, want, "", "", want]
    # the index row of the same run: the same words, five files named, the folder linked
    from dcplan.report_html import _your_files_note
    note = _your_files_note(status["a/fig"])
    assert "outputs/mine4.xlsx and 2 more)" in note and "href='_your_files/a/fig/20260102T030405Z-abc123/'" in note
    # a dir runs.json should not hold (edited: outside _your_files/) is never said as a path
    odd = {"ok": True, YOUR_FILES: {**moved, "dir": "../elsewhere"}}
    assert results_rows(tmp_path, {"a/fig": odd}, {"a/fig"}, {"a/fig": doc})[0]["your_files"] == want.replace(
        "_your_files/a/fig/20260102T030405Z-abc123/", "_your_files/")


def test_a_report_not_of_this_render_whose_inputs_changed_is_not_current_in_results_csv(tmp_path):
    """A finance reviewer pivots results.csv, not the index: a report of another render whose site YAML was edited
    since was ``current`` there while the index said "inputs changed since it was rendered (site)". The status now
    says what the index says; a report of this render, or one whose files are unchanged, stays ``current``. And a
    site of this render's portfolio that now resolves to another YAML (the same site id in another portfolio, or a
    copy) is said too, as ``site (now <path>)``. Hand-built results.json documents, hashes by hashlib."""
    import hashlib

    from dcplan.report_stale import resolved_site_files
    from dcplan.report_table import results_rows
    site, other = tmp_path / "a.yaml", tmp_path / "b.yaml"
    site.write_text("elevation_m: 337\n")
    other.write_text("elevation_m: 201\n")

    def doc(name, path):
        return {"site": name, "site_name": name, "notebook": "fig",
                "provenance": {"inputs": {"site": str(path)},
                               "inputs_sha256": {"site": hashlib.sha256(path.read_bytes()).hexdigest()}},
                "results": {"n_h": {"value": 7.0, "unit": "h", "label": "Hours", "headline": True}}}
    docs = {"a/fig": doc("a", site), "b/fig": doc("b", other)}
    site.write_text("elevation_m: 340\n")  # edited since its report was rendered
    status = {k: {"ok": True} for k in docs}
    want = "inputs changed since it was rendered (site): its figures may not be current; render it again"
    got = {r["site"]: r["status"] for r in results_rows(tmp_path, status, set(), docs)}
    assert got == {"a": want, "b": "current"}
    # a report of this render is current by its fingerprint: not compared
    assert {r["site"]: r["status"] for r in results_rows(tmp_path, status, {"a/fig"}, docs)}["a"] == "current"
    # site b of this render's portfolio now resolves to another YAML (same bytes): said, naming it
    copy = tmp_path / "elsewhere" / "b.yaml"
    copy.parent.mkdir()
    copy.write_bytes(other.read_bytes())

    class _Run:  # what resolved_site_files reads of a dcplan.report_plan.Run
        site_id, input_files, portfolio_files = "b", {"site": copy}, {}
    got = {r["site"]: r["status"] for r in results_rows(tmp_path, status, set(), docs, resolved_site_files([_Run]))}
    assert got["b"] == (f"inputs changed since it was rendered (site (now {copy})): its figures may not be current; "
                        "render it again")
