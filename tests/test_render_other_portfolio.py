"""Reports of a folder that are not of this render's portfolio, and what a portfolio change makes stale.

* A report of a site that is not in this render's portfolio (removed from it, or of another portfolio rendered into
  the same folder), or one that read the sites of another portfolio file, was listed ``current`` in results.csv
  (``this_render=no``), the index explaining only in its general text: both now say "not in this render's
  portfolio (<file>)", in the same words (:func:`dcplan.report_stale.portfolio_text`).
* A site added to the portfolio flagged every single-site notebook's report "inputs changed since it was rendered
  (portfolio)", though those runs read of the portfolio only their own site and its name and description, and a
  render keeps them (their fingerprint is unchanged): the check now compares what they read
  (``provenance.inputs_part_sha256``); a notebook reading every site (a portfolio notebook, a site analysis of
  its peers) is still flagged.
"""
from __future__ import annotations

import csv
import html
import json


from dcplan.report import render
from dcplan.report_table import ENCODING

from test_render_not_current import PARAMS, BODY, _site_copy, ws  # noqa: F401 - ws: the fixture
from test_report import _nb


def _rows(out) -> tuple[dict, dict]:
    """``({(site, notebook): status}, {(site, notebook): this_render})`` of results.csv, and the index's other
    reports' rows by run key."""
    with open(out / "results.csv", encoding=ENCODING, newline="") as fh:
        rows = list(csv.DictReader(fh))
    status = {(r["site"], r["notebook"]): r["status"] for r in rows}
    this = {(r["site"], r["notebook"]): r["this_render"] for r in rows}
    return status, this


def _other_rows(out, keys) -> dict:
    index = (out / "index.html").read_text()
    other = index[index.index("Other reports in this folder"):]
    return {k: next(r for r in other.split("<tr") if f"href='{k}/report.html'" in r) for k in keys}


def _render(nbdir, pf, out, **kw):
    return render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False, **kw)


def test_a_report_not_of_this_render_s_portfolio_says_so_in_the_index_and_results_csv(ws, tmp_path):
    nbdir, pf, out = ws
    assert _render(nbdir, pf, out, notebooks=["fig", "peers"], sites=["phoenix-az", "chicago-il"]).ok
    # another portfolio, of chicago alone (the same YAML), rendered into the same folder
    pf2 = tmp_path / "chicago-only.yaml"
    pf2.write_text(f"name: chicago only\nsites:\n  - {tmp_path / 'chicago-il.yaml'}\n")
    assert _render(nbdir, pf2, out, notebooks=["other"]).ok
    status, this = _rows(out)
    gone = (f"not in this render's portfolio ({pf2.resolve()}): site phoenix-az is not one of its sites "
            f"(rendered from {pf.resolve()})")
    peers = f"not in this render's portfolio ({pf2.resolve()}): rendered from another portfolio ({pf.resolve()})"
    # a site of no site of chicago-only: said, not 'current' (this_render=no said only that it was another render's)
    assert status[("phoenix-az", "fig")] == gone and this[("phoenix-az", "fig")] == "no"
    assert status[("phoenix-az", "peers")] == gone
    # chicago's site analysis ranked phoenix-az, a site of another portfolio: not this portfolio's report
    assert status[("chicago-il", "peers")] == peers
    # chicago's own figure read only chicago-il.yaml, a site of this portfolio (the same file): current
    assert status[("chicago-il", "fig")] == "current" and status[("chicago-il", "other")] == "current"
    rows = _other_rows(out, ["phoenix-az/fig", "chicago-il/peers", "chicago-il/fig"])
    # the same words (html-escaped: render&#x27;s)
    assert f"<div class='err'>{html.escape(gone)}.</div>" in rows["phoenix-az/fig"]
    assert f"<div class='err'>{html.escape(peers)}.</div>" in rows["chicago-il/peers"]
    assert "not in this render" not in rows["chicago-il/fig"]


def test_a_site_added_to_the_portfolio_leaves_single_site_reports_current(ws, tmp_path):
    nbdir, pf, out = ws
    _nb(nbdir / "whole.ipynb", 'portfolio: str = "default"',
        "from dcplan.results import publish\npublish('n', 1.0, unit='h', label='Hours', headline=True)\n",
        scope="portfolio")
    assert _render(nbdir, pf, out, notebooks=["fig", "peers", "whole"]).ok
    started = json.loads((out / "chicago-il" / "fig" / "results.json").read_text())["run"]["started_utc"]
    # a third site added to the portfolio; only it is rendered
    added = _site_copy(tmp_path, "research-triangle-nc")
    pf.write_text(pf.read_text() + f"  - {added}\n")
    assert _render(nbdir, pf, out, notebooks=["fig", "peers"], sites=["research-triangle-nc"]).ok
    status, _ = _rows(out)
    # fig reads only its own site: the portfolio's new site is none of its inputs (a render keeps it: below)
    assert status[("phoenix-az", "fig")] == "current" and status[("chicago-il", "fig")] == "current"
    assert "inputs changed" not in _other_rows(out, ["chicago-il/fig"])["chicago-il/fig"]
    # the notebooks that read every site are still flagged
    changed = "inputs changed since it was rendered (portfolio): its figures may not be current; render it again"
    assert status[("chicago-il", "peers")] == changed
    assert status[("_portfolio", "whole")] == changed
    # and the staleness check agrees with the fingerprint: the full render keeps the single-site reports
    assert _render(nbdir, pf, out, notebooks=["fig"]).ok
    assert json.loads((out / "chicago-il" / "fig" / "results.json").read_text())["run"]["started_utc"] == started


def test_a_renamed_portfolio_flags_a_single_site_report_whose_labels_may_use_its_name(ws, tmp_path):
    from dcplan.report_stale import inputs_changed
    nbdir, pf, out = ws
    assert _render(nbdir, pf, out, notebooks=["fig"], sites=["chicago-il"]).ok
    doc = json.loads((out / "chicago-il" / "fig" / "results.json").read_text())
    assert doc["provenance"]["inputs_part_sha256"]["portfolio"].startswith("heading:")
    pf.write_text(pf.read_text() + "# a comment\n")  # the file changed; its name and description did not
    assert inputs_changed(doc) == []
    pf.write_text(pf.read_text().replace("name: t\n", "name: renamed\n"))
    assert inputs_changed(doc) == ["portfolio"]


def test_a_report_without_a_portfolio_of_this_render_is_not_judged():
    from dcplan.report_stale import portfolio_text
    doc = {"site": "x", "provenance": {"inputs": {"portfolio": "/a.yaml"}}}
    assert portfolio_text(doc, None) == "" and portfolio_text(doc, {"y": {}}) == ""  # no portfolio file known
