"""The index of a whole portfolio is long (the example's 30 runs are about 14,000 px of labels with their caveats):
"Jump to:" links under its counts lead to each site's first row, the TCO NPV table and the folder's other reports.
Every link's target is on the page once; a page of one group and no such section has none."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import unquote

from dcplan.report_html import write_index


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.jumps, self._a, self.row_of = [], [], None, {}
        self._row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "tr":
            self._row = a.get("id")
        if tag == "a" and a.get("href", "").startswith("#"):
            self._a = [a["href"], ""]
        elif tag == "a" and self._row and a.get("href", "").endswith("/report.html"):
            self.row_of.setdefault(self._row, a["href"])  # the first report link of the row with that id

    def handle_data(self, data):
        if self._a is not None:
            self._a[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._a is not None:
            self.jumps.append(tuple(self._a))
            self._a = None


def _run(folder, key, name):
    (folder / key).mkdir(parents=True)
    (folder / key / "results.json").write_text(json.dumps({"site_name": name, "notebook": key.split("/")[1],
                                                           "results": {}, "artifacts": []}))


def test_each_site_and_section_has_a_jump_link_to_its_first_row(tmp_path):
    runs = {"_portfolio/cmp": "My sites", "b-site/x": "B, site", "a-site/y": "A site", "a-site/x": "A site",
            "zürich/x": "Zürich"}
    for key, name in runs.items():
        _run(tmp_path, key, name)
    _run(tmp_path, "old-site/x", "Old")  # in the folder, not of this render: the other reports' section
    status = {k: {"ok": True} for k in runs}
    page = _Page()
    page.feed(write_index(tmp_path, status, current=list(runs)).read_text())
    # the table's order: the portfolio runs first, then the sites by folder name
    assert [text for _, text in page.jumps] == ["My sites (portfolio)", "A site", "B, site", "Zürich",
                                                "reports not of this render"]
    targets = [unquote(href[1:]) for href, _ in page.jumps]
    assert targets == ["site-_portfolio", "site-a-site", "site-b-site", "site-zürich", "other-reports"]
    assert all(page.ids.count(t) == 1 for t in targets), page.ids
    # each site's id is on its first row (a-site/x sorts before a-site/y), no other row carries one
    assert page.row_of == {"site-_portfolio": "_portfolio/cmp/report.html", "site-a-site": "a-site/x/report.html",
                           "site-b-site": "b-site/x/report.html", "site-zürich": "z%C3%BCrich/x/report.html"}


def test_a_page_of_one_site_has_no_jump_links(tmp_path):
    _run(tmp_path, "a-site/x", "A site")
    _run(tmp_path, "a-site/y", "A site")
    page = _Page()
    text = write_index(tmp_path, {}).read_text()
    page.feed(text)
    assert page.jumps == [] and "Jump to" not in text


def test_the_npv_table_has_its_link(tmp_path):
    for sid, month in (("a-site", "2026-01"), ("b-site", "2026-07")):
        (tmp_path / sid / "tco").mkdir(parents=True)
        res = {"npv_usd": {"value": 1.0e6, "unit": "USD", "label": "NPV"},
               "discount_rate_frac": {"value": 0.08, "unit": "frac", "label": "rate"},
               "npv_valued_month": {"value": month, "unit": None, "label": "month"}}
        (tmp_path / sid / "tco" / "results.json").write_text(json.dumps(
            {"site_name": sid, "notebook": "tco", "results": res, "artifacts": []}))
    page = _Page()
    text = write_index(tmp_path, {}).read_text()
    page.feed(text)
    assert ("#tco-npvs", "TCO NPVs") in page.jumps and page.ids.count("tco-npvs") == 1
    assert "<section id='tco-npvs'><h2>TCO NPVs at one date</h2>" in text
