"""dcplan.sweep_files: the results file and its CSV are saved together or not at all, and a file that cannot be
written is named.

A reliability audit: with the CSV immutable (standing in for a CSV open in Excel on Windows), ``dcplan sweep ... --csv``
with an axis changed said ``dcplan: error: .../.small.csv.20229-rfjucnls.tmp: Operation not permitted`` (a temporary
file already gone), exit 1, after the Parquet had been replaced: the Parquet held the new cases, the CSV the old, and a
later run said nothing of it. On a full disk it said ``Error writing bytes to file. Detail: [errno 28] No space left on
device``, naming no file. The OS errors are simulated here by monkeypatching (no chattr, no full file system).
"""
from __future__ import annotations

import errno
import os

import pyarrow.parquet as pq
import pytest

import dcplan.sweep_files as sf
from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.site import load_portfolio
from dcplan.sweep import SweepSpec, run_sweep

# Their cases' sites get dcplan validate's warnings (dcplan.sweep_checks: "... [sweep case <site> with ...]"), which
# the test settings turn into errors that fail a case; these tests are not of them: tests/test_sweep_case_warnings.py is
pytestmark = pytest.mark.filterwarnings(r"ignore:.*\[sweep case :dcplan.errors.DcplanWarning")

CASE = "test_sweep_files:constant_case"
_CALLS = {"n": 0}


def constant_case(site, weather):
    """A sweep case that counts its calls."""
    _CALLS["n"] += 1
    return {"one_kw": 1.0}


@pytest.fixture(scope="module")
def phoenix():
    return next(s for s in load_portfolio().sites if s.id == "phoenix-az")


def _spec(phoenix, values):
    return SweepSpec(sites=[phoenix], case=CASE, name="small", axes={"solar.dc_kw": values})


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _first_run(tmp_path, phoenix):
    """Results and CSV of a first run (two cases), and their bytes."""
    out = tmp_path / "small.parquet"
    assert run_sweep(_spec(phoenix, [0.0, 1.0]), jobs=1, out=out, csv=True).ok
    return out, out.with_suffix(".csv"), _files(tmp_path)


@pytest.mark.parametrize("locked", ["small.csv", "small.parquet"])
def test_a_file_that_cannot_be_replaced_changes_neither_and_is_named(tmp_path, phoenix, monkeypatch, locked):
    # the system refuses to replace the CSV (open in Excel, immutable): before the fix, the Parquet had been
    # replaced already and the error named the temporary file. The Parquet refused (rarer): the CSV, placed
    # first, goes back
    out, csv, before = _first_run(tmp_path, phoenix)
    real_replace = os.replace

    def replace(src, dst, **kw):
        if os.path.basename(dst) == locked:
            raise PermissionError(errno.EPERM, "Operation not permitted", str(src))
        return real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(InputError) as e:
        run_sweep(_spec(phoenix, [2.0]), jobs=1, out=out, csv=True)  # other cases: both files would change
    monkeypatch.undo()
    msg = str(e.value)
    assert msg.startswith(f"--out: cannot replace '{tmp_path / locked}': the file is locked or protected "
                          "(Operation not permitted), e.g. open in Excel")
    assert msg.endswith(f"run the sweep again ({csv} and {out} are as last saved)")
    assert ".tmp" not in msg
    after = _files(tmp_path)
    assert after["small.parquet"] == before["small.parquet"] and after["small.csv"] == before["small.csv"]
    # nothing else left but the copies kept as .previous before the save (the same bytes)
    assert sorted(after) == ["small.csv", "small.parquet", "small.previous.csv", "small.previous.parquet"]
    assert after["small.previous.csv"] == before["small.csv"]


def test_a_locked_csv_is_refused_before_any_case_runs(tmp_path, phoenix, monkeypatch, capsys):
    # opened to append (writing nothing), an immutable file or one open in Excel (Windows) refuses: the run
    # is refused then, not after computing every case (before the fix: after, and the pair out of step)
    out, csv, before = _first_run(tmp_path, phoenix)
    real_open = os.open

    def os_open(path, flags, *a, **k):
        if os.fspath(path) == str(csv) and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EPERM, "Operation not permitted", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", os_open)
    _CALLS["n"] = 0
    spec_file = tmp_path / "sw.yaml"
    spec_file.write_text("name: small\nportfolio: default\naxes:\n  site: [phoenix-az]\n  solar.dc_kw: [500, 1500]\n")
    assert main(["sweep", str(spec_file), "-q", "-j", "1", "--case", CASE, "--out", str(out), "--csv"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"dcplan: error: --out: cannot replace '{csv}': the file is locked "
                                               "or protected (Operation not permitted)")
    assert err[0].endswith("run the sweep again (nothing was run or written)")
    assert _CALLS["n"] == 0
    monkeypatch.undo()
    assert _files(tmp_path) == {**before, "sw.yaml": spec_file.read_bytes()}


@pytest.mark.parametrize("full", ["small.parquet", "small.csv"])
def test_a_full_disk_names_the_file_and_keeps_both(tmp_path, phoenix, monkeypatch, capsys, full):
    # pyarrow's error names no file ("Error writing bytes to file. Detail: [errno 28] ..."), pandas' the
    # temporary one; before the fix the CLI said only that
    out, csv, before = _first_run(tmp_path, phoenix)

    def no_room(_data, where, *a, **k):
        raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device"
                      if full == "small.parquet" else "No space left on device", None if full == "small.parquet"
                      else str(where))

    if full == "small.parquet":
        monkeypatch.setattr(pq, "write_table", no_room)
    else:
        monkeypatch.setattr(sf, "write_csv", no_room)
    spec_file = tmp_path / "sw.yaml"
    spec_file.write_text("name: small\nportfolio: default\naxes:\n  site: [phoenix-az]\n  solar.dc_kw: [5, 6]\n")
    rc = main(["sweep", str(spec_file), "-q", "-j", "1", "--case", CASE, "--out", str(out), "--csv"])
    monkeypatch.undo()
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1  # the machine, not the input
    assert err[-1] == (f"dcplan: error: disk full at '{tmp_path / full}' (No space left on device): it could not be "
                   f"written; {csv} and {out} are as last saved; free space there, or write to a folder on another "
                   "disk")
    after = _files(tmp_path)
    assert after["small.parquet"] == before["small.parquet"] and after["small.csv"] == before["small.csv"]
    assert not [n for n in after if n.startswith(".")]  # no temporary file left
