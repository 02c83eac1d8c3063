"""dcplan.sweep_files: a results file that cannot be saved leaves it and its CSV as last saved, a CSV that cannot be
written does not stop the sweep, and a file that cannot be written is named.

A reliability audit: with the CSV immutable (standing in for a CSV open in Excel on Windows), ``dcplan sweep ... --csv``
with an axis changed said ``dcplan: error: .../.small.csv.20229-rfjucnls.tmp: Operation not permitted`` (a temporary
file already gone), exit 1, after the Parquet had been replaced: the Parquet held the new cases, the CSV the old, and a
later run said nothing of it. On a full disk it said ``Error writing bytes to file. Detail: [errno 28] No space left on
device``, naming no file. The OS errors are simulated here by monkeypatching (no chattr, no full file system).

A CSV that becomes locked while the sweep runs (opened in Excel) stopped the whole sweep at its next save, the cases
still to run not run; now the results file is the record and the CSV a copy: the cases go on and are saved, and a CSV
the last save could not write is reported at the end, naming it and the cause, with how to write it (exit 1).
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


def test_a_results_file_that_cannot_be_replaced_changes_neither_and_is_named(tmp_path, phoenix, monkeypatch):
    # the system refuses to replace the results file (immutable): the sweep stops (it is the record a re-run
    # resumes from), the error names it, not a temporary file, and the CSV (written after it) is unchanged too
    locked = "small.parquet"
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
    assert sorted(after) == [".dcplan-exports.json", "small.csv", "small.parquet", "small.previous.csv",
                             "small.previous.parquet"]
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
    _CALLS["n"] = 0
    rc = main(["sweep", str(spec_file), "-q", "-j", "1", "--case", CASE, "--out", str(out), "--csv"])
    monkeypatch.undo()
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1  # the machine, not the input
    after = _files(tmp_path)
    assert [n for n in after if n.startswith(".")] == [".dcplan-exports.json"]  # no temporary file left: the record
    assert after["small.csv"] == before["small.csv"]
    if full == "small.parquet":  # the record: the sweep stops, both as last saved
        assert err[-1] == (f"dcplan: error: disk full at '{tmp_path / full}' (No space left on device): it could not "
                           f"be written; {csv} and {out} are as last saved; free space there, or write to a folder on "
                           "another disk")
        assert after["small.parquet"] == before["small.parquet"]
    else:  # the copy: the cases ran and are saved; the CSV is said to be as before, and why
        assert _CALLS["n"] == 2 and sorted(pq.read_table(out).column("solar.dc_kw").to_pylist()) == [5.0, 6.0]
        assert err[-1].startswith(f"dcplan sweep: error: cannot write {csv}: the disk is full (No space left on "
                                  f"device); it is as it was before this run, while {out} holds all 2")


def _lock_csv_after(monkeypatch, csv, n_ok: int) -> dict:
    """The system refuses to replace ``csv`` (open in Excel on Windows: locked) after ``n_ok`` replacements;
    ``state["locked"] = False`` unlocks it again."""
    real_replace = os.replace
    state = {"n": 0, "locked": True}

    def replace(src, dst, **kw):
        if os.fspath(dst) == str(csv):
            state["n"] += 1
            if state["n"] > n_ok and state["locked"]:
                raise PermissionError(errno.EPERM, "Operation not permitted", str(src))
        return real_replace(src, dst, **kw)

    monkeypatch.setattr(os, "replace", replace)
    return state


def test_a_csv_locked_mid_sweep_does_not_stop_it_and_is_reported_at_the_end(tmp_path, phoenix, monkeypatch):
    # the CSV is written at the first save (one case, flush_every=1), then opened in Excel: before the fix the
    # second save raised and the three cases after it never ran
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    _lock_csv_after(monkeypatch, csv, n_ok=1)
    notes = []
    _CALLS["n"] = 0
    res = run_sweep(_spec(phoenix, [0.0, 1.0, 2.0, 3.0]), jobs=1, out=out, csv=True, flush_every=1,
                    notify=notes.append)
    monkeypatch.undo()
    assert _CALLS["n"] == 4 and res.ok  # every case ran
    assert sorted(pq.read_table(out).column("solar.dc_kw").to_pylist()) == [0.0, 1.0, 2.0, 3.0]  # and is saved
    assert len(pq.read_table(out).column("case_id")) == 4
    assert list(sf.read_results(csv)["solar.dc_kw"]) == [0.0]  # the CSV as its first save wrote it
    cause = (f"cannot write {csv}: the file or its folder is locked or protected (Operation not permitted), e.g. "
             "the CSV is open in Excel, read-only or immutable")
    # said once when it happened (three saves found it locked), and at the end with what it holds and what to do
    assert notes == [f"{cause}; the sweep goes on, every case is saved to {out}, and the CSV is tried again at each "
                     "save"]
    assert res.csv_error.startswith(f"{cause}; it holds only the 1 case(s) of an earlier save of this run, while "
                                    f"{out} holds all 4 (the sweep's results); close or unlock {csv}, then write it "
                                    "from the results without running any case: python -c 'from dcplan.sweep "
                                    f"import write_results_csv; write_results_csv(\"{out}\")'")
    table = res.table().splitlines()
    assert f"results: {out}" in table and f"CSV NOT WRITTEN: {res.csv_error}" in table
    # no temporary file left: only the record of the CSV written (dcplan.export_record)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".dcplan-exports.json"]
    # what it says to run writes the CSV from the results, as --csv writes it, no case run
    _CALLS["n"] = 0
    assert sf.write_results_csv(out) == csv and _CALLS["n"] == 0
    written = sf.read_results(csv)
    assert sorted(written["solar.dc_kw"]) == [0.0, 1.0, 2.0, 3.0]
    assert sorted(written["case_id"]) == sorted(pq.read_table(out).column("case_id").to_pylist())


def test_a_csv_unlocked_before_the_last_save_is_written_and_the_run_is_ok(tmp_path, phoenix, monkeypatch, capsys):
    # locked at the first saves only (closed in Excel meanwhile): the last save writes it; exit 0, nothing said at
    # the end, the note of the lock said once when it happened
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    state = _lock_csv_after(monkeypatch, csv, n_ok=0)
    notes = []

    def note(text):
        notes.append(text)
        state["locked"] = False  # the user closes the CSV

    res = run_sweep(_spec(phoenix, [0.0, 1.0, 2.0]), jobs=1, out=out, csv=True, flush_every=1, notify=note)
    monkeypatch.undo()
    assert res.ok and res.csv_error is None and len(notes) == 1
    assert sorted(sf.read_results(csv)["solar.dc_kw"]) == [0.0, 1.0, 2.0]
    assert "CSV NOT WRITTEN" not in res.table() and f"results: {out} and {csv}" in res.table()


def test_the_cli_runs_every_case_and_exits_1_naming_the_csv_it_could_not_write(tmp_path, phoenix, monkeypatch,
                                                                                 capsys):
    out, csv, before = _first_run(tmp_path, phoenix)
    _lock_csv_after(monkeypatch, csv, n_ok=0)  # open in Excel all through the second run
    spec_file = tmp_path / "sw.yaml"
    spec_file.write_text("name: small\nportfolio: default\naxes:\n  site: [phoenix-az]\n  solar.dc_kw: [5, 6, 7]\n")
    _CALLS["n"] = 0
    rc = main(["sweep", str(spec_file), "-q", "-j", "1", "--case", CASE, "--out", str(out), "--csv"])
    monkeypatch.undo()
    cap = capsys.readouterr()
    assert rc == 1 and _CALLS["n"] == 3
    assert sorted(pq.read_table(out).column("solar.dc_kw").to_pylist()) == [5.0, 6.0, 7.0]
    assert _files(tmp_path)["small.csv"] == before["small.csv"]  # as the first run left it
    err = cap.err.strip().splitlines()
    assert err[-1].startswith(f"dcplan sweep: error: cannot write {csv}: the file or its folder is locked or "
                              "protected (Operation not permitted)")
    assert "it is as it was before this run" in err[-1]
    assert f"CSV NOT WRITTEN: cannot write {csv}" in cap.out


# ---------------------------------------------------------------------------
# a results file name too long for the files the sweep writes beside it: the kept previous results' temporary file
# '.<stem>.previous.parquet.<pid>-<8>.tmp' is 32 + pid digits bytes longer than the stem; a name whose own temporary
# file fitted ran every case, then failed keeping the previous results (OSError: File name too long) on a re-run

def test_a_results_file_name_too_long_is_refused_before_any_case_naming_it_and_the_limit(tmp_path, phoenix):
    stem = "s" * 216  # by hand: 1 + 216 + len(".previous.parquet") 17 + 1 + 7 pid digits + 1 + 8 + 4 = 255: fits
    ok = tmp_path / f"{stem}.parquet"
    assert run_sweep(_spec(phoenix, [0.0]), jobs=1, out=ok).ok
    assert run_sweep(_spec(phoenix, [1.0]), jobs=1, out=ok).previous_path == tmp_path / f"{stem}.previous.parquet"
    _CALLS["n"] = 0
    long = tmp_path / f"{stem}x.parquet"  # one byte more: 256
    with pytest.raises(InputError) as e:
        run_sweep(_spec(phoenix, [0.0]), jobs=1, out=long)
    assert _CALLS["n"] == 0 and not long.exists()
    msg = str(e.value)
    assert msg.startswith(f"--out: results file name {('s' * 60)!r}... is 225 bytes long in UTF-8; the sweep writes "
                          "names up to 31 bytes longer beside it")
    assert msg.endswith("256 bytes, over this file system's limit of 255 bytes per name: shorten it by at least "
                        "1 byte (characters, if ASCII)")


def test_a_sweep_name_is_counted_in_utf8_bytes(tmp_path, phoenix, monkeypatch):
    # the default results file sweeps/<name>.parquet: 110 characters "é" are 220 bytes, over the 216 that fit
    monkeypatch.chdir(tmp_path)
    spec = SweepSpec(sites=[phoenix], case=CASE, name="é" * 110, axes={"solar.dc_kw": [0.0]})
    _CALLS["n"] = 0
    with pytest.raises(InputError, match=r"^name: results file name '(é){60}'\.\.\. \(sweeps/<name>\.parquet: the "
                                         r"sweep's name\) is 228 bytes long in UTF-8; .* 259 bytes, over this file "
                                         r"system's limit of 255 bytes per name: shorten it by at least 4 bytes"):
        run_sweep(spec, jobs=1)
    assert _CALLS["n"] == 0


@pytest.mark.parametrize("name", ['plain.parquet', 'we"ird $HOME `echo x` it\'s \\n é.parquet'])
def test_the_csv_command_survives_a_shell_with_any_path(tmp_path, name):
    """A reviewer found the command built as python -c "...write_results_csv('<path>')": a path with ", $ or `
    was cut or expanded by the shell. Run the very command through /bin/sh, ``python`` this interpreter and
    ``dcplan.sweep`` a stub that records the path it is given: it must be the path, byte for byte."""
    import shlex
    import shutil
    import subprocess
    import sys

    from dcplan.sweep_messages import csv_not_written_text
    if shutil.which("sh") is None:
        pytest.skip("no POSIX shell")
    path = tmp_path / name
    text = csv_not_written_text("cannot write x", tmp_path / "x.csv", path, None, 3, False)
    cmd = text.split("without running any case: ", 1)[1].rsplit(" (or run the same command again", 1)[0]
    assert cmd.startswith("python -c '")
    stub = tmp_path / "stub" / "dcplan"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("")
    got = tmp_path / "got.txt"
    (stub / "sweep.py").write_text("def write_results_csv(p):\n"
                                   f"    open({str(got)!r}, 'w', encoding='utf-8').write(p)\n")
    env = {**os.environ, "PYTHONPATH": str(stub.parent), "HOME": "/nonexistent-home"}
    r = subprocess.run(["sh", "-c", shlex.quote(sys.executable) + cmd[len("python"):]], env=env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert got.read_text(encoding="utf-8") == str(path)


_WIN = r"C:\Users\R&D\x y.parquet"
_CODE = "from dcplan.sweep import write_results_csv; write_results_csv("


@pytest.mark.parametrize("os_name, path, expected", [
    # Windows: the C runtime's quoting (subprocess.list2cmdline): one double-quoted argument, the path a
    # single-quoted Python literal (no " inside for cmd.exe to toggle on), its backslashes doubled by repr
    ("nt", _WIN, 'python -c "' + _CODE + r"'C:\\Users\\R&D\\x y.parquet')" + '"'),
    # a ' in the path: repr double-quotes it and each " is escaped \" for the C runtime; the backslashes before
    # a " are doubled again (repr's 2 -> 4), those before another character are kept as they are
    ("nt", "C:\\it's\\", 'python -c "' + _CODE + r'\"C:\\it' + "'" + r's\\\\\")"'),
    # POSIX: shlex.quote's single quotes around the code, the path a JSON (double-quoted) literal
    ("posix", _WIN, "python -c '" + _CODE + r'"C:\\Users\\R&D\\x y.parquet")' + "'"),
])
def test_the_csv_command_is_quoted_for_the_platform_shell(monkeypatch, os_name, path, expected):
    """A CSV the sweep could not write: the command to write it was quoted for a POSIX shell on Windows too, where
    cmd.exe does not take '...' as quotes and cut the code at its first space. Expected commands by hand from the
    Microsoft C runtime's argument rules ("Parsing C command-line arguments") and POSIX single quotes."""
    from dcplan.sweep_messages import csv_not_written_text
    monkeypatch.setattr(os, "name", os_name)
    text = csv_not_written_text("cannot write x", "x.csv", path, None, 3, False)
    monkeypatch.undo()
    cmd = text.split("without running any case: ", 1)[1].rsplit(" (or run the same command again", 1)[0]
    assert cmd == expected
