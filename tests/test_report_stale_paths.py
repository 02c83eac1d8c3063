"""Marking kept outputs "not current" writes its notes only inside the run folder.

dcplan.report_stale.mark_not_current writes ``<export>.NOT-CURRENT.txt`` beside each export that the
run's results.json lists (``artifacts``); an edited results.json naming ``../../x`` would have had a
note written outside the run folder (a security review of the reports folder)."""
from __future__ import annotations

import json

from dcplan.report_stale import NOTE_SUFFIX, mark_not_current, unmark_not_current


def test_artifacts_outside_the_run_folder_get_no_note(tmp_path):
    run = tmp_path / "reports" / "site" / "nb"
    (run / "outputs").mkdir(parents=True)
    (run / "outputs" / "x.csv").write_text("a\n1\n")
    victim = tmp_path / "x"
    victim.write_text("keep")
    (run / "report.html").write_text("<html><body>r</body></html>")
    (run / "results.json").write_text(json.dumps({"run": {"status": "ok", "started_utc": "t"}, "artifacts": [
        {"path": "outputs/x.csv"}, {"path": "../../../x"}, {"path": str(victim)}]}))
    assert mark_not_current(run, "stale: test") is None
    assert (run / ("outputs/x.csv" + NOTE_SUFFIX)).is_file()   # the run's own export: marked
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports", "x"]   # nothing written beside x
    assert victim.read_text() == "keep"


def test_an_export_of_a_long_site_id_gets_a_note_that_fits(tmp_path):
    # the tco notebook's export of a site with a 201-character id (the longest a site file may give): its note,
    # <export>.NOT-CURRENT.txt, is 253 bytes and the temporary name it is written under 267 (+ '.' + 8 random +
    # '.tmp'), over a file name's 255: the marking stopped there ("cannot write ...: File name too long") and the
    # export went on to finance unmarked
    export = "s" * 201 + "_high-escalation_tco_assumptions.csv"
    short = "x.csv"
    run = tmp_path / "reports" / "site" / "tco"
    (run / "outputs").mkdir(parents=True)
    for name in (export, short):
        (run / "outputs" / name).write_text("a\n1\n")
    (run / "report.html").write_text("<html><body>r</body></html>")
    (run / "results.json").write_text(json.dumps({"run": {"started_utc": "t"}, "artifacts": [
        {"path": f"outputs/{export}"}, {"path": f"outputs/{short}"}]}))
    assert 1 + len(export.encode()) + len(NOTE_SUFFIX) + 1 + 8 + len(".tmp") == 267
    assert mark_not_current(run, "stale: test") is None
    notes = sorted(p.name for p in (run / "outputs").iterdir() if p.name.endswith(NOTE_SUFFIX))
    assert short + NOTE_SUFFIX in notes  # a name that fitted is unchanged
    long_note = next(n for n in notes if n != short + NOTE_SUFFIX)
    # its export's start and a hash, leaving room for the temporary name (14 bytes) within 255
    assert long_note.startswith("s" * 200) and len(long_note.encode()) == 255 - 14
    assert (run / "outputs" / long_note).read_text().startswith(f"{export} is NOT CURRENT: stale: test.")
    assert json.loads((run / "results.json").read_text())["run"]["status"] == "stale: test"  # marked to the end
    assert unmark_not_current(run)
    assert sorted(p.name for p in (run / "outputs").iterdir()) == sorted([export, short])  # undone exactly
