"""The index's links reach the files whatever their folder is called.

A security review rendered with ``-p export_dir "outputs/a'><img src=x onerror=alert(1)>#?%"``: the
names were HTML-escaped (no markup got in), but the hrefs were not URL-encoded, so ``#`` started a
fragment, ``?`` a query and ``%`` a bad escape: the links to the workbook and CSVs were broken.
"""
from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from dcplan.report_html import write_index

FOLDER = "outputs/a'><img src=x onerror=alert(1)>#?%"
# RFC 3986 percent-encoding by hand ('/' kept): ' %27, > %3E, < %3C, space %20, = %3D, ( %28, ) %29,
# # %23, ? %3F, % %25
ENCODED = "outputs/a%27%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%23%3F%25"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.imgs = [], 0

    def handle_starttag(self, tag, attrs):
        self.imgs += tag == "img"
        self.hrefs += [v for k, v in attrs if tag == "a" and k == "href"]


def test_export_links_are_percent_encoded(tmp_path):
    key = "phoenix-az/tco"
    files = [f"{FOLDER}/x_base_tco.xlsx", f"{FOLDER}/x_base_tco_about.csv"]
    (tmp_path / key).mkdir(parents=True)
    (tmp_path / key / "results.json").write_text(json.dumps(
        {"site_name": "Phoenix", "notebook": "tco", "results": {}, "artifacts": [{"path": p} for p in files]}))
    page = write_index(tmp_path, {}).read_text()
    # the attribute as written (single-quoted: no ' or > left to end it)
    assert f"href='{key}/{ENCODED}/x_base_tco.xlsx'" in page
    links = _Links()
    links.feed(page)
    assert links.imgs == 0
    assert set(links.hrefs) == {f"{key}/report.html", f"{key}/results.json",
                                f"{key}/{ENCODED}/x_base_tco.xlsx", f"{key}/{ENCODED}/x_base_tco_about.csv"}
    for href in links.hrefs:  # each resolves to a file in the folder: no query, no fragment
        parts = urlsplit(href)
        assert (parts.scheme, parts.query, parts.fragment) == ("", "", "")
        target = tmp_path / unquote(parts.path)
        assert target.parent.name in ("tco", FOLDER.split("/")[-1]), href


def test_a_colon_in_a_folder_is_no_url_scheme(tmp_path):
    # "javascript:..." as a first path segment would be a scheme; encoded, it is a relative path
    key = "site/tco"
    (tmp_path / key).mkdir(parents=True)
    (tmp_path / key / "results.json").write_text(json.dumps(
        {"site_name": "S", "notebook": "tco", "results": {}, "artifacts": [{"path": "javascript:alert(1)/t.xlsx"}]}))
    page = write_index(tmp_path, {}).read_text()
    assert "href='site/tco/javascript%3Aalert%281%29/t.xlsx'" in page
