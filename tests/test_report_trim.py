"""Executed notebooks stay small however chatty a notebook is (dcplan.report_execute._trim_outputs):
consecutive stream outputs of a cell merged, each output, each cell and the notebook capped,
with one marker saying how much was left out; HTML is left out whole, never cut."""
from __future__ import annotations

import re

import nbformat
from nbformat import NotebookNode

from dcplan.report_execute import (MAX_CELL_TEXT_CHARS, MAX_NOTEBOOK_TEXT_CHARS, MAX_TEXT_OUTPUT_CHARS,
                                   _trim_outputs)


def _stream(text, name="stdout"):
    return NotebookNode(output_type="stream", name=name, text=text)


def _html(text):
    return NotebookNode(output_type="execute_result", execution_count=1, metadata={},
                        data={"text/html": text, "text/plain": "<table>"})


def _notebook(*cells_outputs):
    nb = nbformat.v4.new_notebook()
    for outs in cells_outputs:
        c = nbformat.v4.new_code_cell("print(...)")
        c.outputs = list(outs)
        nb.cells.append(c)
    return nb


def _text(o) -> str:
    return o["text"] if o["output_type"] == "stream" else "".join(o["data"].values())


def test_a_print_per_line_is_one_output_with_head_tail_and_a_marker():
    # 20,000 prints of a 199-character line: one output each, as a kernel sends them
    line = "x" * 199 + "\n"
    nb = _notebook([_stream(line) for _ in range(20_000)])
    _trim_outputs(nb)
    (out,) = nb.cells[0].outputs
    assert out["output_type"] == "stream" and out["name"] == "stdout"
    # 4,000,000 characters in; 20,000 kept: the first 13,334 and the last 6,666 (two thirds,
    # one third). Newlines (every 200th character) in the head: 66 (13,334 // 200); in the
    # tail: 34 (lines 19,967-20,000 end there); so 20,000 - 66 - 34 = 19,900 lines left out.
    assert "... [3,980,000 characters (19,900 lines) of this stream output left out here;" in out["text"]
    head, tail = out["text"].split("... [")
    assert head == line * 66 + "x" * 134 + "\n"  # 66 * 200 + 134 = 13,334 characters, then a newline
    assert tail.split("]\n", 1)[1] == "x" * 65 + "\n" + line * 33  # the last 6,666 characters
    assert len(out["text"]) < MAX_TEXT_OUTPUT_CHARS + 300


def test_only_consecutive_outputs_of_one_stream_are_merged():
    nb = _notebook([_stream("a\n"), _stream("b\n"), _stream("E\n", "stderr"), _stream("F\n", "stderr"),
                    _stream("c\n")])
    _trim_outputs(nb)
    assert [(o["name"], o["text"]) for o in nb.cells[0].outputs] == [
        ("stdout", "a\nb\n"), ("stderr", "E\nF\n"), ("stdout", "c\n")]


def test_a_cell_keeps_at_most_its_share_and_says_what_it_left_out():
    # stdout and stderr alternating: 40 outputs of 15,000 characters, each under the
    # per-output limit, 600,000 in all
    outs = [_stream("o" * 14_999 + "\n" if i % 2 == 0 else "e" * 14_999 + "\n", "stdout" if i % 2 == 0 else "stderr")
            for i in range(40)]
    nb = _notebook(outs)
    _trim_outputs(nb)
    kept = nb.cells[0].outputs
    full = [o for o in kept if len(o["text"]) == 15_000]
    # 100,000 // 15,000 = 6 whole outputs fit, the 7th is cut to the remaining 10,000
    assert len(full) == 6 and "left out here" in kept[6]["text"]
    marker = kept[-1]["text"]
    # the other 33 outputs (33 * 15,000 characters, one line each) are left out, said once
    assert re.search(r"33 more output\(s\) of this cell left out: 495,000 characters \(33 lines\)", marker)
    assert len(kept) == 8
    assert sum(len(o["text"]) for o in kept) < MAX_CELL_TEXT_CHARS + 1_000


def test_the_notebook_keeps_at_most_its_total():
    # 30 cells, each an 80,000-character HTML table (within the per-output and per-cell limits):
    # 2,400,000 characters; the notebook keeps at most 1,000,000
    nb = _notebook(*[[_html("<td>" + "t" * 79_996)] for _ in range(30)])
    _trim_outputs(nb)
    # each cell counts its table (80,000) and then its text/plain "<table>" (7): 80,007 per cell,
    # so 12 cells whole (960,084, 39,916 left). HTML is never cut (a cut inside a tag hides the
    # marker, inside a <script> it breaks the figure): from the 13th cell on each table is left
    # out whole and its text/plain says so
    assert [len(nb.cells[i].outputs[0]["data"]["text/html"]) for i in range(12)] == [80_000] * 12
    assert "left out" not in nb.cells[11].outputs[0]["data"]["text/plain"]
    for c in nb.cells[12:]:
        assert "text/html" not in c.outputs[0]["data"]
        assert c.outputs[0]["data"]["text/plain"].startswith(
            "<table>\n[an HTML output of 80,000 characters (a table or an interactive figure) left out; ")
    total = sum(len(_text(o)) for c in nb.cells for o in c.outputs)
    assert total < MAX_NOTEBOOK_TEXT_CHARS + 30 * 300  # plus one marker per cut output


def test_figures_and_errors_are_not_cut():
    png = "iVBORw0KGgo" * 50_000
    err = NotebookNode(output_type="error", ename="ValueError", evalue="boom", traceback=["t" * 200_000])
    fig = NotebookNode(output_type="display_data", metadata={}, data={"image/png": png})
    nb = _notebook([fig, err])
    _trim_outputs(nb)
    assert nb.cells[0].outputs[0]["data"]["image/png"] == png
    assert nb.cells[0].outputs[1]["traceback"] == ["t" * 200_000]


def test_html_too_long_is_left_out_whole_with_a_visible_note():
    # a pandas Styler of 400 x 8 (269 kB of HTML; Stylers ignore display.max_rows) was cut inside
    # a <td ...> tag: the converter repaired the tag and the marker's words became attributes, so
    # the report showed a table cut at row 120 with no note. An interactive figure (text/html with
    # a <script>) would break the same way.
    html = "<table>" + "".join(f'<tr><td id="r{i}" class="data row{i}">{i}</td></tr>' for i in range(6000)) + "</table>"
    assert len(html) > 4 * MAX_TEXT_OUTPUT_CHARS
    nb = _notebook([NotebookNode(output_type="display_data", metadata={}, data={"text/html": html})])
    _trim_outputs(nb)
    data = nb.cells[0].outputs[0]["data"]
    assert "text/html" not in data
    assert data["text/plain"] == (f"[an HTML output of {len(html):,} characters (a table or an interactive figure) "
                                  f"left out; dcplan keeps at most {MAX_TEXT_OUTPUT_CHARS:,} characters per output, "
                                  f"{MAX_CELL_TEXT_CHARS:,} per cell and {MAX_NOTEBOOK_TEXT_CHARS:,} per notebook]")
    small = "<table><tr><td>1</td></tr></table>"
    nb = _notebook([NotebookNode(output_type="display_data", metadata={}, data={"text/html": small})])
    _trim_outputs(nb)
    assert nb.cells[0].outputs[0]["data"] == {"text/html": small}
