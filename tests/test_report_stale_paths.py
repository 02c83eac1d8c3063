"""Marking kept outputs "not current" writes its notes only inside the run folder.

dcplan.report_stale.mark_not_current writes ``<export>.NOT-CURRENT.txt`` beside each export that the
run's results.json lists (``artifacts``); an edited results.json naming ``../../x`` would have had a
note written outside the run folder (a security review of the reports folder)."""
from __future__ import annotations

import json

from dcplan.report_stale import NOTE_SUFFIX, mark_not_current


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
