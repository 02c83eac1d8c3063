"""A reader's own files in a run folder that a render replaces are moved aside, not deleted (dcplan.report_foreign).

A finance reviewer saved an annotated copy of the TCO workbook in ``<site>/tco/outputs/``; the next render that
executed the run replaced the folder whole and the copy was gone, with nothing said. Hand-built run folders,
placed with dcplan.report_files._place as a render places a run; the bytes are compared by hand."""
from __future__ import annotations

import csv
import hashlib
import html
import json
import re

from dcplan.report_files import _place
from dcplan.report_foreign import FOREIGN_DIR, YOUR_FILES
from dcplan.report_stale import NOTE_SUFFIX

from test_render_not_current import _render, ws  # noqa: F401 - ws: the scratch notebook workspace (a fixture)


def _run_folder(folder, value: str, artifacts=("outputs/x.csv",), hashed: bool = False):
    """A run folder as render places it; ``hashed``: its results.json records each export's SHA-256, as render's do."""
    (folder / "outputs").mkdir(parents=True)
    for name in ("report.html", "notebook.ipynb"):
        (folder / name).write_text(f"{name} {value}")
    sha = hashlib.sha256(f"export {value}".encode()).hexdigest()
    (folder / "results.json").write_text(json.dumps({"results": {"n": {"value": value}}, "artifacts": [
        {"path": a, **({"sha256": sha} if hashed else {})} for a in artifacts]}))
    for a in artifacts:
        (folder / a).write_text(f"export {value}")


def test_the_readers_own_files_are_moved_aside_and_said(tmp_path):
    reports = tmp_path / "reports"
    final = reports / "phoenix-az" / "tco"
    _run_folder(final, "old")
    (final / "outputs" / ("x.csv" + NOTE_SUFFIX)).write_text("x.csv is NOT CURRENT")  # the run's own mark
    (final / "outputs" / "x annotated.xlsx").write_bytes(b"my review")
    (final / "notes.txt").write_text("ask finance")
    new = reports / ".dcplan-tmp" / "run"
    _run_folder(new, "new")
    note = _place(new, final)
    assert json.loads((final / "results.json").read_text())["results"]["n"]["value"] == "new"  # placed whole
    assert sorted(p.relative_to(final).as_posix() for p in final.rglob("*") if p.is_file()) == [
        ".your_files.json", "notebook.ipynb", "outputs/x.csv", "report.html", "results.json"]  # + the move's record
    kept = list((reports / FOREIGN_DIR / "phoenix-az" / "tco").iterdir())
    assert len(kept) == 1
    got = {p.relative_to(kept[0]).as_posix(): p.read_bytes() for p in kept[0].rglob("*") if p.is_file()}
    assert got == {"outputs/x annotated.xlsx": b"my review", "notes.txt": b"ask finance"}  # the run's files are not
    assert note == (f"note: 2 file(s) in the previous phoenix-az/tco/ were not the run's (notes.txt, outputs/x "
                    f"annotated.xlsx): a run executed again replaces its folder whole, so they were moved to {kept[0]}")
    assert not list(final.parent.glob(".tco.old-*"))  # the previous folder itself is gone


def test_an_export_edited_in_place_is_kept_as_the_readers_and_said(tmp_path):
    """A reviewer opened the run's workbook, added a sheet of checks and pressed Save (Excel saves to the same
    file): its bytes are no longer those results.json records. The next render executed the run again (the
    edit alone makes it: dcplan.report_fingerprint.reusable) and deleted the edited workbook without a word,
    since its name was the run's own. It is kept like any file of the reader's; the untouched export is not."""
    reports = tmp_path / "reports"
    final = reports / "phoenix-az" / "tco"
    _run_folder(final, "old", artifacts=("outputs/x.xlsx", "outputs/x_summary.csv"), hashed=True)
    (final / "outputs" / "x.xlsx").write_bytes(b"export old + my checks sheet")  # saved in place
    new = reports / ".dcplan-tmp" / "run"
    _run_folder(new, "new", artifacts=("outputs/x.xlsx", "outputs/x_summary.csv"), hashed=True)
    moved: list = []
    note = _place(new, final, moved)
    assert (final / "outputs" / "x.xlsx").read_text() == "export new"  # the run's new export is in place
    [kept] = list((reports / FOREIGN_DIR / "phoenix-az" / "tco").iterdir())
    got = {p.relative_to(kept).as_posix(): p.read_bytes() for p in kept.rglob("*") if p.is_file()}
    assert got == {"outputs/x.xlsx": b"export old + my checks sheet"}  # the unedited CSV is the run's: not kept
    assert note == (f"note: 1 file(s) in the previous phoenix-az/tco/ were not the run's or were edited after it "
                    f"wrote them (outputs/x.xlsx; edited: outputs/x.xlsx): a run executed again replaces its folder "
                    f"whole, so they were moved to {kept}")
    assert moved == [{"when": moved[0]["when"], "dir": f"{FOREIGN_DIR}/phoenix-az/tco/{kept.name}",
                      "files": ["outputs/x.xlsx"], "not_kept": [], "edited": ["outputs/x.xlsx"]}]


def test_exports_as_the_run_wrote_them_are_replaced_without_a_note(tmp_path):
    reports = tmp_path / "reports"
    final = reports / "chicago-il" / "tco"
    _run_folder(final, "old", artifacts=("outputs/x.xlsx", "outputs/x_summary.csv"), hashed=True)
    new = reports / ".dcplan-tmp" / "run"
    _run_folder(new, "new", artifacts=("outputs/x.xlsx", "outputs/x_summary.csv"), hashed=True)
    assert _place(new, final) is None
    assert not (reports / FOREIGN_DIR).exists()


def test_a_folder_of_only_the_runs_files_is_replaced_without_a_note(tmp_path):
    reports = tmp_path / "reports"
    final = reports / "chicago-il" / "tco"
    _run_folder(final, "old")
    new = reports / ".dcplan-tmp" / "run"
    _run_folder(new, "new")
    assert _place(new, final) is None
    assert not (reports / FOREIGN_DIR).exists()


def test_an_unreadable_results_json_keeps_every_export(tmp_path):
    # its exports are not known: those under outputs/ are kept too (the run's own copy of x.csv as well)
    reports = tmp_path / "reports"
    final = reports / "chicago-il" / "tco"
    _run_folder(final, "old")
    (final / "results.json").write_text("{cut short")
    new = reports / ".dcplan-tmp" / "run"
    _run_folder(new, "new")
    note = _place(new, final)
    kept = next((reports / FOREIGN_DIR / "chicago-il" / "tco").iterdir())
    assert (kept / "outputs" / "x.csv").read_text() == "export old" and "(outputs/x.csv)" in note


def test_the_index_and_runs_json_say_where_the_readers_files_went_until_the_run_is_executed_again(ws):
    """The summary line named the moved files, but index.html and runs.json did not: a reviewer who only opens
    the index never learnt their annotated workbook was moved. A scratch notebook (tests/test_render_not_current)."""
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    (out / "phoenix-az" / "fig" / "outputs" / "x & <review>.xlsx").write_bytes(b"my review")
    assert _render(ws, sites=["phoenix-az"], force=True).ok
    [kept] = list((out / FOREIGN_DIR / "phoenix-az" / "fig").iterdir())
    rel = f"{FOREIGN_DIR}/phoenix-az/fig/{kept.name}"
    assert (kept / "outputs" / "x & <review>.xlsx").read_bytes() == b"my review"

    def said() -> tuple[dict | None, str]:
        entry = json.loads((out / "runs.json").read_text())["phoenix-az/fig"]
        row = next(r for r in (out / "index.html").read_text().split("<tr ") if "phoenix-az/fig/report.html" in r)
        # results.csv: the same words on each of the run's rows (dcplan.report_foreign.your_files_text)
        csv_rows = [r for r in csv.DictReader((out / "results.csv").read_text(encoding="utf-8-sig").splitlines())
                    if (r["site"], r["notebook"]) == ("phoenix-az", "fig")]
        assert csv_rows and len({r["your_files"] for r in csv_rows}) == 1
        words = csv_rows[0]["your_files"]
        assert (words == "") == (entry.get(YOUR_FILES) is None)
        assert not words or f"{words}." in html.unescape(re.sub(r"<[^>]+>", "", row))  # the index row's words
        return entry.get(YOUR_FILES), row

    rec, row = said()
    assert rec == {"when": rec["when"], "dir": rel, "files": ["outputs/x & <review>.xlsx"], "not_kept": []}
    assert "(outputs/x &amp; &lt;review&gt;.xlsx)" in row  # named, escaped
    assert f"moved to <a class='file' href='{rel}/'>{rel}/</a>" in row  # linked, relative to the index
    assert next(r["your_files"] for r in csv.DictReader((out / "results.csv").read_text(encoding="utf-8-sig")
                                                        .splitlines()) if r["site"] == "phoenix-az").endswith(
        f"(outputs/x & <review>.xlsx): the run executed again replaced the folder whole, so they were moved to {rel}/")
    assert _render(ws, sites=["phoenix-az"]).results[0].reused_from is not None  # kept: still said
    assert said()[0] == rec and rel in said()[1]
    assert not _render(ws, sites=["phoenix-az"], parameters={"fail": True}).ok  # failed: the folder stays, said
    assert said()[0] == rec and rel in said()[1] and "latest run failed" in said()[1]
    assert _render(ws, sites=["phoenix-az"], force=True).ok  # executed again, nothing of the reader's: gone
    rec, row = said()
    assert rec is None and FOREIGN_DIR not in row and "Your files" not in row


def test_a_workbook_saved_in_place_survives_the_next_render_and_the_index_says_so(ws):
    """End to end: render, the reviewer edits the run's export in place, render again without --force. The edit
    makes the run execute again (its export is not as recorded); the edited file was deleted with the folder."""
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    export = out / "phoenix-az" / "fig" / "outputs" / "x.csv"
    assert export.read_text() == "a\n1\n"
    export.write_text("a\n1\nchecked by finance\n")
    s = _render(ws, sites=["phoenix-az"])
    assert s.ok and s.results[0].reused_from is None  # executed again: the export is not as recorded
    assert export.read_text() == "a\n1\n"
    [kept] = list((out / FOREIGN_DIR / "phoenix-az" / "fig").iterdir())
    assert (kept / "outputs" / "x.csv").read_text() == "a\n1\nchecked by finance\n"
    rec = json.loads((out / "runs.json").read_text())["phoenix-az/fig"][YOUR_FILES]
    assert rec["files"] == rec["edited"] == ["outputs/x.csv"]
    row = next(r for r in (out / "index.html").read_text().split("<tr ") if "phoenix-az/fig/report.html" in r)
    assert "were not the run's or were edited after it wrote them (outputs/x.csv; edited: outputs/x.csv)" in row
