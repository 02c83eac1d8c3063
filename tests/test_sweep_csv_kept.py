"""``dcplan sweep --csv`` keeps a CSV the reader edited or made (dcplan.sweep_files, dcplan.export_record).

A planner opened ``sweeps/small.csv`` in a spreadsheet, added a column of notes and saved it (still with its
``case_id``/``status`` columns); the next ``dcplan sweep ... --csv`` replaced it without a word. The sweep had its
own scheme (a ``.previous`` copy only when a run drops finished rows; a CSV without those columns refused): it now
records each save's SHA-256 in the folder's ``.dcplan-exports.json``, as the other exports do, and keeps a CSV that
is not as dcplan last wrote it as ``<stem>.edited-<time>.csv`` / ``<stem>.kept-<time>.csv``, said in a warning. Its
own repeated saves during a run are not edits. Expected values here are the bytes the test itself wrote or read
before the run (exact), and the cases' own axis values (exact: floats written and read back as given).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os

import pandas as pd
import pytest

from dcplan import export_record
from dcplan.cli import main
from dcplan.errors import DcplanWarning
from dcplan.export_record import RECORD
from dcplan.site import load_portfolio
from dcplan.sweep import SweepSpec, run_sweep
from dcplan.sweep_files import write_results_csv

# Their cases' sites get dcplan validate's warnings ("... [sweep case <site> with ...]"), which the test settings turn
# into errors that fail a case; these tests are not of them: tests/test_sweep_case_warnings.py is
pytestmark = pytest.mark.filterwarnings(r"ignore:.*\[sweep case :dcplan.errors.DcplanWarning")

CASE = "test_sweep_csv_kept:constant_case"
T0 = dt.datetime(2026, 3, 1, 10, 15, 0, tzinfo=dt.timezone.utc)
EDITED = "small.edited-20260301T101500Z.csv"
_CALLS = {"n": 0, "hook": None}


def constant_case(site, weather):
    """A sweep case that counts its calls (and runs the test's hook, in this process with jobs=1)."""
    _CALLS["n"] += 1
    if _CALLS["hook"] is not None:
        _CALLS["hook"](_CALLS["n"])
    return {"one_kw": 1.0}


@pytest.fixture(scope="module")
def phoenix():
    return next(s for s in load_portfolio().sites if s.id == "phoenix-az")


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(export_record, "_utc_now", lambda: T0)
    _CALLS.update(n=0, hook=None)
    yield
    _CALLS["hook"] = None


def _spec(phoenix, values):
    return SweepSpec(sites=[phoenix], case=CASE, name="small", axes={"solar.dc_kw": values})


def _add_notes(csv) -> bytes:
    """What the planner did: a column of notes added in a spreadsheet, saved in place. Returns the bytes."""
    df = pd.read_csv(csv)
    df["my_notes"] = "checked - JS"
    df.to_csv(csv, index=False)
    return csv.read_bytes()


def _recorded_sha(folder, name):
    return json.loads((folder / RECORD).read_text(encoding="utf-8"))["files"][name]["sha256"]


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kept_warnings(w) -> list[str]:
    """The warnings of a kept CSV among ``w`` (the cases' own plausibility warnings, and their count, left out)."""
    return [str(x.message) for x in w if issubclass(x.category, DcplanWarning) and "your version is kept as" in
            str(x.message)]


def test_a_csv_edited_between_two_runs_is_kept_and_the_warning_names_both(tmp_path, phoenix):
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    assert run_sweep(_spec(phoenix, [0.0, 1.0]), jobs=1, out=out, csv=True).ok
    edited = _add_notes(csv)
    # a changed axis: the run drops a finished case, so it also keeps the previous results as .previous
    with pytest.warns(DcplanWarning) as w:
        res = run_sweep(_spec(phoenix, [0.0, 2.0]), jobs=1, out=out, csv=True)
    msgs = _kept_warnings(w)
    assert len(msgs) == 1 and msgs[0] == (f"{csv} had been edited since dcplan wrote it: your version is kept as "
                                          f"{tmp_path / EDITED}, not overwritten; the new export is {csv}")
    assert (tmp_path / EDITED).read_bytes() == edited  # the planner's notes, byte for byte
    assert sorted(pd.read_csv(csv)["solar.dc_kw"]) == [0.0, 2.0] and "my_notes" not in pd.read_csv(csv)
    # the edited CSV is the planner's, not the copy of the previous results: no .previous.csv made of it
    assert sorted(os.listdir(tmp_path)) == sorted([RECORD, EDITED, "small.csv", "small.parquet",
                                                   "small.previous.parquet"])
    assert res.csv_kept == [tmp_path / EDITED]
    assert f"your version of {csv} kept as {tmp_path / EDITED}, not overwritten" in res.table().splitlines()
    assert _recorded_sha(tmp_path, "small.csv") == _sha(csv)


def test_an_edited_csv_is_kept_when_the_run_only_resumes(tmp_path, phoenix):
    # nothing dropped, nothing run: the run still saves (and rewrote the CSV, the notes gone) before the fix
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    run_sweep(_spec(phoenix, [0.0, 1.0]), jobs=1, out=out, csv=True)
    edited = _add_notes(csv)
    _CALLS["n"] = 0
    with pytest.warns(DcplanWarning, match="had been edited since dcplan wrote it"):
        res = run_sweep(_spec(phoenix, [0.0, 1.0, 2.0]), jobs=1, out=out, csv=True)
    assert _CALLS["n"] == 1 and res.n_reused == 2  # resumed: only the new case ran
    assert (tmp_path / EDITED).read_bytes() == edited
    assert sorted(pd.read_csv(csv)["solar.dc_kw"]) == [0.0, 1.0, 2.0]


def test_an_unedited_csv_is_replaced_silently_and_resumed_as_before(tmp_path, phoenix):
    # dcplan's warnings are errors in the tests: a kept copy would fail the run's call
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    run_sweep(_spec(phoenix, [0.0, 1.0]), jobs=1, out=out, csv=True)
    first = csv.read_bytes()
    assert _recorded_sha(tmp_path, "small.csv") == _sha(csv)
    _CALLS["n"] = 0
    res = run_sweep(_spec(phoenix, [0.0, 1.0, 2.0]), jobs=1, out=out, csv=True)
    assert _CALLS["n"] == 1 and res.n_reused == 2 and res.csv_kept == []
    assert sorted(pd.read_csv(csv)["solar.dc_kw"]) == [0.0, 1.0, 2.0]
    assert _recorded_sha(tmp_path, "small.csv") == _sha(csv)
    # a run that drops a finished case keeps the previous pair as .previous, as before
    res = run_sweep(_spec(phoenix, [5.0]), jobs=1, out=out, csv=True)
    assert res.previous_csv_path == tmp_path / "small.previous.csv"
    assert sorted(pd.read_csv(tmp_path / "small.previous.csv")["solar.dc_kw"]) == [0.0, 1.0, 2.0]
    assert first != csv.read_bytes()
    assert sorted(os.listdir(tmp_path)) == sorted([RECORD, "small.csv", "small.parquet", "small.previous.csv",
                                                   "small.previous.parquet"])


@pytest.mark.parametrize("edit", [False, True])
def test_a_csv_without_a_record_is_replaced_only_when_it_is_the_results_found(tmp_path, phoenix, edit):
    # a sweep CSV written by a dcplan before the record (no .dcplan-exports.json): the same bytes as the CSV of the
    # results file found are dcplan's (replaced, no copy kept, as before the record); edited, it is kept as .kept-
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    run_sweep(_spec(phoenix, [0.0, 1.0]), jobs=1, out=out, csv=True)
    (tmp_path / RECORD).unlink()
    before = _add_notes(csv) if edit else csv.read_bytes()
    kept = tmp_path / "small.kept-20260301T101500Z.csv"
    if edit:
        with pytest.warns(DcplanWarning, match="was not written there by dcplan"):
            res = run_sweep(_spec(phoenix, [0.0, 1.0, 2.0]), jobs=1, out=out, csv=True)
        assert res.csv_kept == [kept] and kept.read_bytes() == before
    else:
        res = run_sweep(_spec(phoenix, [0.0, 1.0, 2.0]), jobs=1, out=out, csv=True)
        assert res.csv_kept == [] and not kept.exists()
    assert sorted(pd.read_csv(csv)["solar.dc_kw"]) == [0.0, 1.0, 2.0]
    assert _recorded_sha(tmp_path, "small.csv") == _sha(csv)


def test_a_runs_repeated_saves_are_not_edits_even_without_the_record(tmp_path, phoenix, monkeypatch):
    # five saves (flush_every=1): each replaces the last silently; also when the record is not updated after a
    # save (a Ctrl-C between the CSV's rename and the record's, a record that cannot be written): the run knows the
    # bytes it last wrote
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    run_sweep(_spec(phoenix, [0.0]), jobs=1, out=out, csv=True)
    monkeypatch.setattr(export_record, "record_written", lambda *a, **k: None)
    res = run_sweep(_spec(phoenix, [0.0, 1.0, 2.0, 3.0, 4.0]), jobs=1, out=out, csv=True, flush_every=1)
    assert res.ok and res.csv_kept == [] and len(pd.read_csv(csv)) == 5
    assert sorted(os.listdir(tmp_path)) == sorted([RECORD, "small.csv", "small.parquet"])


def test_a_csv_edited_while_the_sweep_runs_is_kept_at_the_next_save(tmp_path, phoenix):
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    saved = {}

    def edit_after_first_save(n):
        if n == 3:  # two saves done (flush_every=1): the planner saves the CSV from a spreadsheet
            saved["bytes"] = _add_notes(csv)

    _CALLS["hook"] = edit_after_first_save
    with pytest.warns(DcplanWarning) as w:
        res = run_sweep(_spec(phoenix, [0.0, 1.0, 2.0, 3.0]), jobs=1, out=out, csv=True, flush_every=1)
    assert len(_kept_warnings(w)) == 1 and res.csv_kept == [tmp_path / EDITED]
    edited = pd.read_csv(tmp_path / EDITED)
    assert (tmp_path / EDITED).read_bytes() == saved["bytes"] and sorted(edited["solar.dc_kw"]) == [0.0, 1.0]
    assert sorted(pd.read_csv(csv)["solar.dc_kw"]) == [0.0, 1.0, 2.0, 3.0]


def test_a_csv_of_the_readers_own_is_kept_not_refused(tmp_path, phoenix):
    # before: an InputError ("exists and is not a dcplan sweep result ... --csv would overwrite it"); the user had to
    # move it. Now it is kept as the other exports keep a file of that name, and the sweep runs
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    csv.write_text("my,own,notes\n")
    with pytest.warns(DcplanWarning, match=r"was not written there by dcplan .* kept as .*small\.kept-20260301T101500Z"
                                           r"\.csv, not overwritten"):
        res = run_sweep(_spec(phoenix, [0.0, 1.0]), jobs=1, out=out, csv=True)
    assert _CALLS["n"] == 2 and res.ok
    assert (tmp_path / "small.kept-20260301T101500Z.csv").read_text() == "my,own,notes\n"
    assert sorted(pd.read_csv(csv)["solar.dc_kw"]) == [0.0, 1.0]


def test_a_run_without_csv_still_leaves_the_csv_alone(tmp_path, phoenix):
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    run_sweep(_spec(phoenix, [0.0]), jobs=1, out=out, csv=True)
    edited = _add_notes(csv)
    run_sweep(_spec(phoenix, [0.0, 1.0]), jobs=1, out=out)
    assert csv.read_bytes() == edited and not (tmp_path / EDITED).exists()


def test_write_results_csv_keeps_an_edited_csv(tmp_path, phoenix):
    out, csv = tmp_path / "small.parquet", tmp_path / "small.csv"
    run_sweep(_spec(phoenix, [0.0, 1.0]), jobs=1, out=out, csv=True)
    dcplans = csv.read_bytes()
    write_results_csv(out)  # unedited: replaced silently, the same bytes
    assert csv.read_bytes() == dcplans and not (tmp_path / EDITED).exists()
    edited = _add_notes(csv)
    with pytest.warns(DcplanWarning, match=f"your version is kept as {tmp_path / EDITED}"):
        assert write_results_csv(out) == csv
    assert (tmp_path / EDITED).read_bytes() == edited and csv.read_bytes() == dcplans


def test_the_cli_says_the_kept_csv(tmp_path, capsys):
    spec = tmp_path / "sw.yaml"
    spec.write_text("name: small\nportfolio: default\naxes:\n  site: [phoenix-az]\n  solar.dc_kw: [500, 1500]\n")
    out = tmp_path / "small.parquet"
    args = ["sweep", str(spec), "-q", "-j", "1", "--case", CASE, "--out", str(out), "--csv"]
    assert main(args) == 0
    edited = _add_notes(tmp_path / "small.csv")
    capsys.readouterr()
    with pytest.warns(DcplanWarning, match="had been edited since dcplan wrote it"):
        assert main(args) == 0
    printed = capsys.readouterr().out.splitlines()
    assert f"your version of {tmp_path / 'small.csv'} kept as {tmp_path / EDITED}, not overwritten" in printed
    assert (tmp_path / EDITED).read_bytes() == edited
