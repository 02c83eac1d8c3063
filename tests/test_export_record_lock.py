"""Two exports into one folder at once: the folder's export record is read, changed and rewritten under a lock
(``dcplan.export_record.folder_lock``), so the second export does not keep the first's fresh file as the
reader's.

The race (last session's notes): export A puts ``bill.csv`` in place and, before it has rewritten the record,
export B reads the record. B then finds a ``bill.csv`` whose SHA-256 is not the one recorded and keeps it as
``bill.edited-<time>.csv``: a copy of dcplan's own file, said in a warning as the reader's edit. The test makes the
interleaving certain rather than likely: A is held for a second between placing its file and recording it (its
``_fsync_dir``, the step between the two), and B starts once A's file is in place.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import time
import warnings
from pathlib import Path

import pytest

from dcplan.export_record import RECORD, folder_lock


def _export(folder: str, text: str, placed, go, hold_s: float) -> None:
    """One export process: write ``bill.csv`` with ``text`` (as ``dcplan bill --csv`` does: export_record's
    write_file); with ``hold_s``, signal ``placed`` once the file is in place and wait that long before recording
    it; without, wait for ``go`` first."""
    from pathlib import Path

    from dcplan import tco_export_files
    from dcplan.export_record import write_file
    if hold_s:
        real = tco_export_files._fsync_dir

        def slow(d):
            real(d)
            placed.set()
            time.sleep(hold_s)
        tco_export_files._fsync_dir = slow
    else:
        assert go.wait(30)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_file(Path(folder) / "bill.csv", lambda tmp: Path(tmp).write_text(text))
    os._exit(1 if any("kept as" in str(w.message) for w in caught) else 0)


@pytest.mark.skipif(os.name != "posix", reason="fork start method; the Windows lock (msvcrt) is not run here")
def test_a_second_export_waits_for_the_first_to_record_its_file(tmp_path):
    from dcplan.export_record import write_file
    write_file(tmp_path / "bill.csv", lambda tmp: Path(tmp).write_text("first\n"))
    ctx = mp.get_context("fork")
    placed = ctx.Event()
    a = ctx.Process(target=_export, args=(str(tmp_path), "from A\n", placed, None, 1.0))
    b = ctx.Process(target=_export, args=(str(tmp_path), "from B\n", None, placed, 0.0))
    a.start()
    b.start()
    a.join(60)
    b.join(60)
    # exit code 1: the process warned that it kept a file (on the unlocked record: B kept A's bill.csv as edited)
    assert (a.exitcode, b.exitcode) == (0, 0)
    assert sorted(os.listdir(tmp_path)) == [RECORD, "bill.csv"]  # no .edited- or .kept- copy
    # B waited for A's record, then replaced A's file silently: the file is B's and the record says so
    assert (tmp_path / "bill.csv").read_text() == "from B\n"
    rec = json.loads((tmp_path / RECORD).read_text())["files"]
    assert rec["bill.csv"]["sha256"] == hashlib.sha256(b"from B\n").hexdigest()


def test_the_lock_is_reentrant_in_a_thread_and_adds_no_file(tmp_path):
    # nested (write_set holds it while record_written takes it again): no deadlock; the folder is locked itself,
    # so nothing is added to the export folder on POSIX
    with folder_lock(tmp_path):
        with folder_lock(tmp_path):
            pass
    assert os.listdir(tmp_path) == [] or os.name != "posix"
