"""A render killed between placing a run and reporting it keeps the note of the reader's files it moved
(dcplan.report_foreign.RECORD_FILE), and a render killed between _place's two renames no longer deletes them.

Before: the move's record reached runs.json only when the run was recorded, after _place returned; a render
killed in between (SIGKILL) left the files in _your_files/ with nothing saying so, and the next render executed
the run again and dropped the entry's record. A render killed between the renames left the previous folder, the
reader's files in it, as .tco.old-*, which the next render's recovery deleted.
"""
from __future__ import annotations

import json

from dcplan.report_files import _place, _recover_interrupted
from dcplan.report_foreign import FOREIGN_DIR, RECORD_FILE, YOUR_FILES
from dcplan.report_records import _entry, _load_status

from test_report_foreign import _run_folder


def test_a_move_a_killed_render_never_recorded_is_read_back_into_runs_json(tmp_path):
    reports = tmp_path / "reports"
    final = reports / "phoenix-az" / "tco"
    _run_folder(final, "old")
    (final / "outputs" / "mine.xlsx").write_bytes(b"my review")
    (reports / "runs.json").write_text(json.dumps({"phoenix-az/tco": {"ok": True, "when": "earlier"}}))
    new = reports / ".dcplan-tmp" / "run"
    _run_folder(new, "new")
    moved: list = []
    _place(new, final, moved)  # ... and the render is killed here: runs.json is not written
    assert json.loads((final / RECORD_FILE).read_text()) == moved[0]  # on disk at the move
    got = _load_status(reports)["phoenix-az/tco"][YOUR_FILES]
    assert got == {**moved[0], "recovered": True} and got["files"] == ["outputs/mine.xlsx"]
    assert (reports / got["dir"] / "outputs" / "mine.xlsx").read_bytes() == b"my review"

    # the next render executes the run again (runs.json's hashes are not the folder's) and places it with no
    # file of the reader's: the recovered record stays on the run's row, once, without its flag
    from dcplan.report_plan import Run, RunResult
    run = Run(notebook=final / "tco.ipynb", site_id="phoenix-az", site_name="Phoenix", parameters={},
              out_dir=final, reports_root=reports, input_files={}, vintages={})
    entry = _entry(RunResult(run, ok=True, seconds=1.0), _load_status(reports)["phoenix-az/tco"], "now")
    assert entry[YOUR_FILES] == moved[0]
    # recorded (runs.json has it now): the folder replaced once more drops it, as a reported move's
    again = _entry(RunResult(run, ok=True, seconds=1.0), entry, "later")
    assert YOUR_FILES not in again


def test_a_render_killed_between_the_renames_keeps_the_readers_files(tmp_path):
    reports = tmp_path / "reports"
    final = reports / "phoenix-az" / "tco"
    _run_folder(final, "new")  # the new folder was placed ...
    old = reports / "phoenix-az" / ".tco.old-1234abcd"  # ... and the previous one not yet emptied
    _run_folder(old, "old")
    (old / "outputs" / "mine.xlsx").write_bytes(b"my review")
    notes: list[str] = []
    _recover_interrupted(reports, notes)
    assert not old.exists()
    kept = list((reports / FOREIGN_DIR / "phoenix-az" / "tco").iterdir())
    assert len(kept) == 1 and (kept[0] / "outputs" / "mine.xlsx").read_bytes() == b"my review"
    assert any("outputs/mine.xlsx" in n and str(kept[0]) in n for n in notes)
    assert json.loads((final / RECORD_FILE).read_text())["files"] == ["outputs/mine.xlsx"]
