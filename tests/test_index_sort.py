"""The index's tables sort by a column, in the page (dcplan.index_sort): a reviewer of 30 or more reports could not
order them (by notebook, by NPV). Each sortable cell carries its raw key in ``data-sort`` (a number as ``repr``,
never the "1,234 USD" shown, which sorts as text: "-3,317,502" before "129,558,585" but also "9" after "10,000");
one inline script sorts; with JavaScript off the page is as it was.

Values by hand: 100,000,000 USD at 2025-01 moved 12 months at 8 %/yr is 108,000,000 at 2026-01
(dcplan.finance.revalue); the tests/test_index_npv_cases.py runs A and B.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from dcplan.index_sort import SORT_SCRIPT, num_attr
from dcplan.report_html import write_index


class _Tables(HTMLParser):
    """Each ``<table>``: its class, its header cells' ``data-sort-type`` and each body row's cells
    (``data-sort`` or None, and the cell's text)."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._in_head = [], None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"class": a.get("class", ""), "heads": [], "rows": [], "row_attrs": []})
        elif tag == "thead":
            self._in_head = True
        elif tag == "tbody":
            self._in_head = False
        elif tag == "th" and self._in_head:
            self.tables[-1]["heads"].append(a.get("data-sort-type"))
        elif tag == "tr" and not self._in_head and self.tables:
            self.tables[-1]["rows"].append([])
            self.tables[-1]["row_attrs"].append({k: v for k, v in a.items() if k in ("id", "data-jump")})
        elif tag == "td" and self.tables and self.tables[-1]["rows"]:
            self._cell = [a.get("data-sort"), ""]
            self.tables[-1]["rows"][-1].append(self._cell)

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None


def _tables(page: str) -> list[dict]:
    p = _Tables()
    p.feed(page)
    return p.tables


def _res(npv, month, rate, p50=None, mc=None, prob=None):
    res = {"npv_usd": {"value": npv, "unit": "USD"}, "discount_rate_frac": {"value": rate, "unit": "frac"},
           "npv_valued_month": {"value": month}, "scenario": {"value": "base"}}
    for k, v in (("npv_grid_delay_p50_usd", p50), ("mc_npv_p50_usd", mc), ("mc_prob_npv_negative_frac", prob)):
        if v is not None:
            res[k] = {"value": v}
    return res


def _folder(tmp_path, runs):
    for key, name, doc in runs:
        (tmp_path / key).mkdir(parents=True)
        (tmp_path / key / "results.json").write_text(json.dumps({"site_name": name, "notebook": key.split("/")[1],
                                                                 "artifacts": [], **doc}))


def test_the_runs_table_carries_each_rows_site_notebook_and_time_as_its_sort_keys(tmp_path):
    _folder(tmp_path, [("b-site/tco", "B, site", {"run": {"started_utc": "2025-06-01T12:00:00+02:00"},
                                                  "results": {"x_h": {"value": 1234.5, "label": "X", "headline": True}}}),
                       ("a-site/cooling_lag", "A site", {"run": {"started_utc": "2025-06-01T09:30:00+00:00"},
                                                         "results": {}})])
    status = {"b-site/tco": {"ok": True}, "a-site/cooling_lag": {"ok": True},
              "c-site/rack_power": {"ok": False, "error": "ValueError: boom", "when": "2025-06-02T00:00:00+00:00",
                                    "site_name": "C site", "notebook": "rack_power"}}
    page = write_index(tmp_path, status, current=list(status)).read_text()
    [runs] = _tables(page)
    assert runs["class"] == "sortable"
    # site, report and time sort; the headline figures (different figures in each row) do not
    assert runs["heads"] == ["text", "text", None, "text"]
    keys = [[c[0] for c in row] for row in runs["rows"]]
    # the page's own order (folder order), and each row's keys: the time in UTC as results.csv writes it
    # (12:00 at +02:00 is 10:00 UTC, after A's 09:30 although "12" reads later either way)
    assert keys == [["A site", "cooling_lag", None, "2025-06-01 09:30:00"],
                    ["B, site", "tco", None, "2025-06-01 10:00:00"],
                    ["C site", "rack_power", None, "2025-06-02 00:00:00"]]
    assert [row[3][1] for row in runs["rows"]] == ["2025-06-01T09:30:00+00:00", "2025-06-01T12:00:00+02:00",
                                                   "2025-06-02T00:00:00+00:00"]  # shown as recorded
    # the script, once, inline (opened from disk: no file beside the page, no CDN)
    assert page.count("<script") == 1 and page.count(SORT_SCRIPT) == 1 and "src=" not in SORT_SCRIPT


def test_the_npv_table_sorts_by_the_raw_numbers_not_the_text_shown(tmp_path):
    a = _res(100e6, "2025-01", 0.08, p50=50e6, mc=-25e6, prob=0.6)
    b = _res(400e6, "2026-01", 0.10, p50=300e6)  # no Monte Carlo: n/a, sorted last
    _folder(tmp_path, [("a/tco", "A", {"results": a}), ("b/tco", "B", {"results": b})])
    page = write_index(tmp_path, {}).read_text()
    runs, npv = _tables(page)
    assert npv["class"] == "sortable" and runs["class"] == "sortable"
    assert npv["heads"] == ["text", "text", "num", "num", "num", "num", "num"]
    row_a, row_b = npv["rows"]
    assert [c[0] for c in row_a[:3]] == ["A", "base", "0.08"] and row_b[2][0] == "0.1"
    # A's NPVs at 2026-01: x 1.08 (hand); the key is the number, the cell shows it with thousands separators
    want = {3: 54e6, 4: -27e6, 5: 0.6, 6: 108e6}
    for col, v in want.items():
        assert float(row_a[col][0]) == pytest.approx(v, rel=1e-12), col
    assert row_a[4][1].startswith("-27,000,000 USD") and "," not in row_a[4][0]
    # B: published at the common month, as they are; its missing Monte Carlo figures: an empty key
    assert [row_b[c][0] for c in (3, 4, 5, 6)] == [repr(300e6), "", "", repr(400e6)]
    assert row_b[4][1].startswith("n/a") and row_b[5][1] == "n/a"


@pytest.mark.parametrize("value, want", [(-6814752.07, "-6814752.07"), (1, "1.0"), (1e-7, "1e-07"), (None, ""),
                                         (float("nan"), ""), (float("inf"), ""), (True, ""), ("12", "")])
def test_a_numeric_key_is_the_number_in_full_or_empty(value, want):
    assert num_attr(value) == f" data-sort='{want}'"


_NODE = shutil.which("node")

#: A page's table in as little DOM as the script uses (no jsdom on the machine): elements with attributes,
#: children, textContent, rows/cells, tHead/tBodies, querySelector(".class") and click listeners.
_FAKE_DOM = r"""
function El(tag) { this.tagName = tag; this.attrs = {}; this.childNodes = []; this.parent = null;
  this.listeners = []; this.text = ""; }
El.prototype.getAttribute = function (n) { return n in this.attrs ? this.attrs[n] : null; };
El.prototype.setAttribute = function (n, v) { this.attrs[n] = String(v); };
El.prototype.hasAttribute = function (n) { return n in this.attrs; };
El.prototype.removeAttribute = function (n) { delete this.attrs[n]; };
El.prototype.appendChild = function (c) {
  if (c.parent) { c.parent.childNodes.splice(c.parent.childNodes.indexOf(c), 1); }
  c.parent = this; this.childNodes.push(c); return c; };
Object.defineProperty(El.prototype, "firstChild", {get: function () { return this.childNodes[0] || null; }});
Object.defineProperty(El.prototype, "rows", {get: function () { return this.childNodes; }});
Object.defineProperty(El.prototype, "cells", {get: function () { return this.childNodes; }});
Object.defineProperty(El.prototype, "className", {get: function () { return this.attrs["class"] || ""; },
  set: function (v) { this.attrs["class"] = v; }});
Object.defineProperty(El.prototype, "textContent", {
  get: function () { return this.text + this.childNodes.map(function (c) { return c.textContent; }).join(""); },
  set: function (v) { this.text = v; this.childNodes = []; }});
El.prototype.querySelector = function (sel) {
  for (var i = 0; i < this.childNodes.length; i++) {
    var c = this.childNodes[i];
    if (sel === "." + c.className) { return c; }
    var f = c.querySelector(sel); if (f) { return f; } }
  return null; };
El.prototype.addEventListener = function (ev, f) { this.listeners.push(f); };
El.prototype.click = function () { this.listeners.forEach(function (f) { f(); }); };
function text(tag, s) { var e = new El(tag); e.text = s; return e; }
var spec = JSON.parse(process.argv[process.argv.length - 1]);
var table = new El("table"); table.className = "sortable";
var head = new El("tr");
spec.heads.forEach(function (h) { var th = text("th", h.label); if (h.type) { th.setAttribute("data-sort-type", h.type); }
  head.appendChild(th); });
table.tHead = {rows: [head]};
var body = new El("tbody"); table.tBodies = [body];
spec.rows.forEach(function (r, i) { var tr = new El("tr"); var at = (spec.row_attrs || [])[i] || {};
  Object.keys(at).forEach(function (n) { tr.setAttribute(n, at[n]); });
  r.forEach(function (c) { var td = text("td", c[1]); if (c[0] !== null) { td.setAttribute("data-sort", c[0]); }
    tr.appendChild(td); });
  body.appendChild(tr); });
var document = {
  createElement: function (tag) { return new El(tag); },
  querySelectorAll: function (sel) { return sel === "table.sortable" ? [table] : []; }
};
"""

_DRIVE = r"""
function firstCells() { return body.rows.map(function (r) { return r.cells[0].textContent; }); }
function state() { return head.cells.map(function (th) { return th.getAttribute("aria-sort"); }); }
var out = {};
spec.clicks.forEach(function (col, i) {
  head.cells[col].childNodes[0].click();  // the button the script put in the header cell
  out[i] = {rows: firstCells(), aria: state(), mark: head.cells[col].childNodes[0].textContent,
            ids: body.rows.map(function (r) { return r.getAttribute("id"); })};
});
console.log(JSON.stringify(out));
"""


def _node(js: str, arg: str) -> str:
    return subprocess.run([_NODE, "-e", js, "--", arg], capture_output=True, text=True, check=True,
                          timeout=60).stdout


@pytest.mark.skipif(_NODE is None, reason="node is not on this machine")
def test_the_script_orders_numbers_by_value_and_blanks_last_either_way():
    probe = ("var r = {};"
             "r.up = dcplanSort.order(['900', '', '-5', 'n/a', '1234', '10', ' N/A '], true, false);"
             "r.down = dcplanSort.order(['900', '', '-5', 'n/a', '1234', '10', ' N/A '], true, true);"
             "r.text = dcplanSort.order(['b site', 'A site', '', 'a site 10', 'a site 9'], false, false);"
             "r.ties = dcplanSort.order(['x', 'X', 'x'], false, true);"
             "console.log(JSON.stringify(r));")
    script = SORT_SCRIPT.removeprefix("<script>").removesuffix("</script>")
    got = json.loads(_node(script + probe, "{}"))
    # -5 < 10 < 900 < 1234 (as text "1234" < "900"), the blank and the two n/a last, in their order
    assert got["up"] == [2, 5, 0, 4, 1, 3, 6]
    assert got["down"] == [4, 0, 5, 2, 1, 3, 6]
    # text: case aside, digits in it by value ("9" before "10"), a blank last
    assert got["text"] == [1, 4, 3, 0, 2]
    assert got["ties"] == [0, 1, 2]  # equal keys keep their order, descending too


@pytest.mark.skipif(_NODE is None, reason="node is not on this machine")
def test_a_click_on_a_header_sorts_the_rendered_npv_table_and_says_so(tmp_path):
    c = _res(50e6, "2026-01", 0.08, p50=-3317501.67992835, mc=-1e6, prob=0.2)
    a = _res(100e6, "2025-01", 0.08, p50=129558584.7, mc=-25e6, prob=0.6)
    b = _res(400e6, "2026-01", 0.10, p50=9e6)
    _folder(tmp_path, [("a/tco", "A", {"results": a}), ("b/tco", "B", {"results": b}), ("c/tco", "C", {"results": c})])
    _, npv = _tables(write_index(tmp_path, {}).read_text())
    spec = {"heads": [{"label": f"h{i}", "type": t} for i, t in enumerate(npv["heads"])], "rows": npv["rows"],
            "clicks": [3, 3, 4, 0]}
    script = SORT_SCRIPT.removeprefix("<script>").removesuffix("</script>")
    got = json.loads(_node(_FAKE_DOM + script + _DRIVE, json.dumps(spec)))
    # median-delay NPV: -3,317,502 < 9,000,000 < 139,923,271 (129,558,585 x 1.08), by value, not as text
    assert [r[:1] for r in got["0"]["rows"]] == ["C", "B", "A"]
    assert got["0"]["aria"] == [None, None, None, "ascending", None, None, None] and got["0"]["mark"].endswith("▲")
    assert [r[:1] for r in got["1"]["rows"]] == ["A", "B", "C"] and got["1"]["mark"].endswith("▼")
    assert got["1"]["aria"][3] == "descending"
    # Monte Carlo median: A -27 M < C -1 M, B's n/a last
    assert [r[:1] for r in got["2"]["rows"]] == ["A", "C", "B"]
    assert got["2"]["aria"] == [None, None, None, None, "ascending", None, None] and got["2"]["mark"].endswith("▲")
    assert [r[:1] for r in got["3"]["rows"]] == ["A", "B", "C"]  # by site


@pytest.mark.skipif(_NODE is None, reason="node is not on this machine")
def test_a_sort_moves_each_sites_jump_target_to_its_first_row_as_shown(tmp_path):
    """The "Jump to" ids stayed on the row that was each site's first in the folder's order: after a sort by
    report, a link led into the middle of the site's rows (or to its last). Each row names its target
    (data-jump); after a click the id is on the site's first row as shown, and on no other."""
    runs = [("a-site/cooling_lag", "A site"), ("a-site/tco", "A site"), ("b-site/cooling_lag", "B site"),
            ("b-site/interconnection", "B site"), ("b-site/tco", "B site")]
    _folder(tmp_path, [(k, name, {"results": {}}) for k, name in runs])
    [table] = _tables(write_index(tmp_path, {}).read_text())
    assert table["row_attrs"] == [{"id": "site-a-site", "data-jump": "site-a-site"},
                                  {"data-jump": "site-a-site"},
                                  {"id": "site-b-site", "data-jump": "site-b-site"},
                                  {"data-jump": "site-b-site"}, {"data-jump": "site-b-site"}]
    spec = {"heads": [{"label": f"h{i}", "type": t} for i, t in enumerate(table["heads"])],
            "rows": [[c if c[0] is not None else [None, c[1]] for c in row] for row in table["rows"]],
            "row_attrs": table["row_attrs"], "clicks": [1, 1, 0, 0]}
    script = SORT_SCRIPT.removeprefix("<script>").removesuffix("</script>")
    got = json.loads(_node(_FAKE_DOM + script + _DRIVE, json.dumps(spec)))

    def shown(i):  # (site's first letter, id) of each row as shown after click i
        return [(r.split()[0], i_d) for r, i_d in zip(got[str(i)]["rows"], got[str(i)]["ids"])]
    # by report, ascending: cooling_lag A, cooling_lag B, interconnection B, tco A, tco B: each site's first row
    # as shown is its cooling_lag row, the one that carried the id in the page's order
    assert shown(0) == [("A", "site-a-site"), ("B", "site-b-site"), ("B", None), ("A", None), ("B", None)]
    # descending: tco A, tco B, interconnection B, cooling_lag A, cooling_lag B: the ids move to the tco rows,
    # which were no site's first row in the page's order
    assert shown(1) == [("A", "site-a-site"), ("B", "site-b-site"), ("B", None), ("A", None), ("B", None)]
    # by site, descending: B's three rows, then A's two: each id on the top of its site's block
    assert shown(3) == [("B", "site-b-site"), ("B", None), ("B", None), ("A", "site-a-site"), ("A", None)]
    assert all(sum(i == t for _, i in shown(c)) == 1 for c in range(4) for t in ("site-a-site", "site-b-site"))
