"""Two saves of a sweep CSV into one folder at once: the save plans its kept copy of the CSV there (a ``.edited-``
or ``.kept-`` file: :mod:`dcplan.export_record`) under the folder's export lock, so it does not keep the other
save's fresh CSV as the reader's.

The race: save A puts ``r.csv`` in place and, before it has recorded it, save B plans its own keep from the
record: it finds an ``r.csv`` the record does not list and keeps it as ``r.kept-<time>.csv``, a copy of dcplan's
own file said in a warning as the reader's. Made certain rather than likely as in ``test_export_record_lock``: A is
held for a second between placing its CSV and recording it (the folder sync between the two), and B starts once
A's CSV is in place.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from dcplan.export_record import RECORD


def _save(results: str, csv: str, placed, go, hold_s: float) -> None:
    """One save: ``dcplan.sweep_files.write_results_csv`` of ``results`` to ``csv`` (the sweep's ``--csv``
    writer); with ``hold_s``, signal ``placed`` once the CSV is in place and wait that long before recording it;
    without, wait for ``go`` first. Exit code 1 when it warned that it kept a file."""
    from dcplan import sweep_files
    if hold_s:
        real = sweep_files._fsync_dir

        def slow(d):
            real(d)
            if Path(csv).exists():  # the CSV's own step (not the folder sync of another file)
                placed.set()
                time.sleep(hold_s)
        sweep_files._fsync_dir = slow
    else:
        assert go.wait(30)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sweep_files.write_results_csv(results, csv)
    os._exit(1 if any("kept as" in str(w.message) for w in caught) else 0)


@pytest.mark.skipif(os.name != "posix", reason="fork start method; the Windows lock (msvcrt) is not run here")
def test_a_second_csv_save_plans_its_keep_after_the_first_recorded_its_csv(tmp_path):
    frames = {n: pd.DataFrame({"case_id": [f"c{n}"], "site": ["x"], "status": ["ok"], "error": [None],
                               "temp_air_mean_degc": [float(n)]}) for n in (1, 2)}
    for n, df in frames.items():
        df.to_parquet(tmp_path / f"r{n}.parquet", index=False)
    csv = tmp_path / "r.csv"
    ctx = mp.get_context("fork")
    placed = ctx.Event()
    a = ctx.Process(target=_save, args=(str(tmp_path / "r1.parquet"), str(csv), placed, None, 1.0))
    b = ctx.Process(target=_save, args=(str(tmp_path / "r2.parquet"), str(csv), None, placed, 0.0))
    a.start()
    b.start()
    a.join(60)
    b.join(60)
    # exit code 1: the save warned that it kept a file (B, planning outside the lock, kept A's fresh r.csv)
    assert (a.exitcode, b.exitcode) == (0, 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == [RECORD, "r.csv", "r1.parquet", "r2.parquet"]
    # B waited for A's record, then replaced A's CSV silently: the CSV is B's (case c2) and the record says so
    assert list(pd.read_csv(csv)["case_id"]) == ["c2"]
    rec = json.loads((tmp_path / RECORD).read_text())["files"]
    assert rec["r.csv"]["sha256"] == hashlib.sha256(csv.read_bytes()).hexdigest()
