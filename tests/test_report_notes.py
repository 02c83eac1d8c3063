"""Every report says what its inputs are: the site file's ``notes`` (a portfolio run: the
portfolio's ``description``) stand under the report's title and in its results.json.

Found by a data audit: the TCO report headlined an NPV of the example portfolio's SYNTHETIC
fleet and finance inputs without saying so (only the site YAML's comments and SOURCES.md did).
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import nbformat
import pytest

from dcplan.report import render
from dcplan.report_execute import _with_notes
from dcplan.site import load_portfolio

from conftest import bundled_site_copy

NOTE = "Fleet and finance: a SYNTHETIC example <for tests> & nothing else."


@pytest.mark.slow
def test_a_sites_notes_head_its_report_and_results(tmp_path):
    import yaml
    f = bundled_site_copy(tmp_path, "phoenix-az", "noted")
    d = yaml.safe_load(f.read_text())
    d["notes"] = NOTE  # the bundled site's own notes replaced
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    s = render(portfolio=pf, notebooks=["site_climate"], out=tmp_path / "r", jobs=1, progress=False)
    assert s.ok, s.table()
    run = tmp_path / "r" / "noted" / "site_climate"
    assert json.loads((run / "results.json").read_text())["notes"] == NOTE
    page = (run / "report.html").read_text()
    # escaped as HTML text, after the notebook's title
    assert "SYNTHETIC example &lt;for tests&gt; &amp; nothing else." in page
    assert page.index("Site notes") > page.index("Site climate")
    # and its figures are described (dcplan.plotting.figure_alt via the PNG's metadata)
    assert 'alt="Figure: Phoenix, AZ: temperature duration curves (x: hours exceeded per year [h]; y: ' in page
    assert "No description has been provided" not in page
    # the executed notebook is left as run: its cells are the notebook file's
    nb = nbformat.read(str(run / "notebook.ipynb"), as_version=4)
    assert not any("Site notes" in c.source for c in nb.cells)


def test_a_portfolio_run_shows_the_description_and_no_notes_add_nothing():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("1")])
    run = SimpleNamespace(notes="Four sites; SYNTHETIC fleets.", site_id=None, site_name="Example")
    out = _with_notes(nb, run)
    assert [c.cell_type for c in out.cells] == ["markdown", "markdown", "code"]
    assert out.cells[1].source == ("<blockquote><strong>Portfolio</strong> (Example): Four sites; SYNTHETIC "
                                   "fleets.</blockquote>")
    assert len(nb.cells) == 2  # the original is untouched
    assert _with_notes(nb, SimpleNamespace(notes="", site_id="x", site_name="X")) is nb


def test_the_bundled_sites_and_portfolio_say_what_is_synthetic():
    pf = load_portfolio("default")
    assert "synthetic" in pf.description.lower()
    for s in pf.sites:
        assert "SYNTHETIC" in s.notes, s.id


def test_notes_are_plain_text_not_markdown():
    """A tester's notes "[x](javascript:alert(1))" became a live link and "![](http://...)" loaded a
    remote image: notes are plain text, shown as written."""
    import nbformat

    from dcplan.report_html import _to_html
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T")])
    notes = "see [x](javascript:alert(1)) and ![](http://example.com/a.png)\n\n*two* <b>paragraphs</b>"
    page = _to_html(_with_notes(nb, SimpleNamespace(notes=notes, site_id="s", site_name="S")), False, "t")
    quote = page[page.index("<blockquote>"):page.index("</blockquote>")]
    assert "<a " not in quote and "<img" not in quote and "<em>" not in quote
    assert ("see [x](javascript:alert(1)) and ![](http://example.com/a.png) *two* &lt;b&gt;paragraphs&lt;/b&gt;"
            in page)
