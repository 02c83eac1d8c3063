"""A reader's own files in a run folder that a render replaces are moved aside, not deleted (dcplan.report_foreign).

A finance reviewer saved an annotated copy of the TCO workbook in ``<site>/tco/outputs/``; the next render that
executed the run replaced the folder whole and the copy was gone, with nothing said. Hand-built run folders,
placed with dcplan.report_files._place as a render places a run; the bytes are compared by hand."""
from __future__ import annotations

import json

from dcplan.report_files import _place
from dcplan.report_foreign import FOREIGN_DIR
from dcplan.report_stale import NOTE_SUFFIX


def _run_folder(folder, value: str, artifacts=("outputs/x.csv",)):
    (folder / "outputs").mkdir(parents=True)
    for name in ("report.html", "notebook.ipynb"):
        (folder / name).write_text(f"{name} {value}")
    (folder / "results.json").write_text(json.dumps({"results": {"n": {"value": value}},
                                                     "artifacts": [{"path": a} for a in artifacts]}))
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
        "notebook.ipynb", "outputs/x.csv", "report.html", "results.json"]
    kept = list((reports / FOREIGN_DIR / "phoenix-az" / "tco").iterdir())
    assert len(kept) == 1
    got = {p.relative_to(kept[0]).as_posix(): p.read_bytes() for p in kept[0].rglob("*") if p.is_file()}
    assert got == {"outputs/x annotated.xlsx": b"my review", "notes.txt": b"ask finance"}  # the run's files are not
    assert note == (f"note: 2 file(s) in the previous phoenix-az/tco/ were not the run's (notes.txt, outputs/x "
                    f"annotated.xlsx): a run executed again replaces its folder whole, so they were moved to {kept[0]}")
    assert not list(final.parent.glob(".tco.old-*"))  # the previous folder itself is gone


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
