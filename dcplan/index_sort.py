"""Sorting the index's tables by a column, in the page itself (part of :mod:`dcplan.report_html`).

A reviewer of a portfolio's 30 or more reports wants its runs by notebook, or its NPVs highest first, not only in
the folder's order. A table of class ``sortable`` has, in each header cell that can sort (``data-sort-type``
``num`` or ``text``), a button that a small inline script (:data:`SORT_SCRIPT`, once per page: no file beside
the page, no CDN, so the index opened from disk sorts too) adds when the page loads; a click sorts the table's
rows by that column, ascending, a second click descending, the header saying which (``aria-sort`` and a mark).
The index's "Jump to" links lead to each site's first row: every row of the runs table names its site's target in
``data-jump`` (:func:`dcplan.report_html.write_index`), the first carries it as its ``id``, and after a sort the
script moves that ``id`` to the site's first row as then shown (it stayed on the row that was first, so a link
led into the middle of the site's rows, or to its last).

Each sortable cell carries its sort key in ``data-sort`` (:func:`num_attr`, :func:`text_attr`): a number as
its raw value (``repr``: "-6814752.07", never the "-6,814,752 USD" shown, which sorts as text), a text as it
reads. A blank key, or ``n/a``, sorts last in either direction; equal keys keep their order (so a click on
"Report" after "Site" lists the runs by notebook, each notebook's sites in order). With JavaScript off the
headers are plain text and the rows stay in the page's order.
"""
from __future__ import annotations

import html
import math
from numbers import Real

__all__ = ["SORT_CSS", "SORT_SCRIPT", "num_attr", "sort_th", "text_attr"]


def num_attr(value) -> str:
    """`` data-sort='<value>'`` of a numeric cell: a finite number as ``repr`` of its float (it reads back to the
    same number), anything else (None, NaN, text) ``''``, which sorts last.

    >>> num_attr(-6814752.07), num_attr(0.08), num_attr(None), num_attr(float("nan"))
    (" data-sort='-6814752.07'", " data-sort='0.08'", " data-sort=''", " data-sort=''")
    """
    ok = isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value))
    return f" data-sort='{repr(float(value)) if ok else ''}'"


def text_attr(text) -> str:
    """`` data-sort='<text>'`` of a text cell (HTML-escaped; None as ``''``, which sorts last)."""
    return f" data-sort='{html.escape('' if text is None else str(text))}'"


def sort_th(label_html: str, kind: str | None) -> str:
    """A header cell (``label_html``: its content, escaped already) that sorts its column as ``kind`` (``"num"``
    or ``"text"``), or does not (None: a column of mixed figures)."""
    if kind not in (None, "num", "text"):
        raise ValueError(f"sort_th: kind must be 'num', 'text' or None, got {kind!r}")
    return f"<th data-sort-type='{kind}'>{label_html}</th>" if kind else f"<th>{label_html}</th>"


#: The buttons :data:`SORT_SCRIPT` puts in the header cells: the header's own look, its mark after it.
SORT_CSS = ("th button.sort { font: inherit; font-weight: bold; color: inherit; background: none; border: 0; "
            "padding: 0; cursor: pointer; text-align: left; }\n"
            "th button.sort:focus-visible { outline: 2px solid #0057b8; }\n"
            "th .sort-mark { color: #888; font-size: 85%; } th[aria-sort] .sort-mark { color: #000; }")

#: The page's one script (module docstring). ``dcplanSort.order(keys, numeric, descending)`` is the order alone
#: (indices of ``keys``), without the page: tests/test_index_sort.py runs it in node when node is there.
SORT_SCRIPT = r"""<script>
/* dcplan: sort a table of class "sortable" by a column, a click on its header (dcplan.index_sort). */
var dcplanSort = (function () {
  "use strict";
  function isBlank(k) {
    var s = String(k === null || k === undefined ? "" : k).trim();
    return s === "" || s.toLowerCase() === "n/a";
  }
  /* The indices of keys in sorted order: numbers by value, text by its letters (digits in it by value);
     a blank or n/a key last in either direction; equal keys in their order. */
  function order(keys, numeric, descending) {
    var vals = keys.map(function (k) {
      if (isBlank(k)) { return null; }
      if (!numeric) { return String(k).trim(); }
      var v = Number(String(k).trim());
      return isFinite(v) ? v : null;
    });
    var idx = keys.map(function (_, i) { return i; });
    idx.sort(function (a, b) {
      var x = vals[a], y = vals[b];
      if (x === null || y === null) { return ((x === null) - (y === null)) || (a - b); }
      var c = numeric ? (x < y ? -1 : (x > y ? 1 : 0))
                      : x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"});
      return (descending ? -c : c) || (a - b);
    });
    return idx;
  }
  function key(cell) {
    if (!cell) { return ""; }
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
  }
  function sortBy(table, col, numeric, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var idx = order(rows.map(function (r) { return key(r.cells[col]); }), numeric, descending);
    idx.forEach(function (i) { body.appendChild(rows[i]); });
    retarget(idx.map(function (i) { return rows[i]; }));
  }
  /* A jump link's target (a row's data-jump: the id its group's first row carries) follows the rows: the id
     moves to the group's first row in the order shown, so a link leads to the top of the site's rows. */
  function retarget(rows) {
    var seen = {};
    rows.forEach(function (r) {
      var target = r.getAttribute("data-jump");
      if (target === null) { return; }
      if (seen[target]) { r.removeAttribute("id"); } else { seen[target] = true; r.setAttribute("id", target); }
    });
  }
  function enhance(table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (th, col) {
      var type = th.getAttribute("data-sort-type");
      if (type !== "num" && type !== "text") { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.title = "Sort the rows by this column (again: the other way)";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      var mark = document.createElement("span");
      mark.className = "sort-mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = " \u2195";
      button.appendChild(mark);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        sortBy(table, col, type === "num", descending);
        heads.forEach(function (h) {
          h.removeAttribute("aria-sort");
          var m = h.querySelector(".sort-mark");
          if (m) { m.textContent = " \u2195"; }
        });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        mark.textContent = descending ? " \u25bc" : " \u25b2";
      });
    });
  }
  if (typeof document !== "undefined") {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
  }
  return {order: order, retarget: retarget};
}());
</script>"""
