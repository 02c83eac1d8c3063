"""``dcplan validate`` on a job file whose times have no zone: one problem, not one per row.

A verifier ran ``dcplan validate data/jobs_example.csv`` without ``--tz`` and got ten identical "has no time
zone" errors, one per job. Now: one problem naming the file, the columns, the rows (a count and their lines)
and the fix (``--tz ZONE``, or the stamps with their offsets). data/jobs_example.csv: a comment line, the
header, then 10 jobs on lines 3 to 12, every earliest_start and deadline naive (2025-07-14T00:00 first).
"""
from __future__ import annotations

from pathlib import Path

from dcplan.cli import main
from dcplan.validate import validate_file

ROOT = Path(__file__).resolve().parents[1]
FIX = ("give the zone they are in: dcplan validate --tz ZONE FILE (an IANA name, e.g. --tz America/New_York), or "
       "write each stamp with its UTC offset (2025-07-01T08:00-05:00)")


def test_the_example_jobs_without_tz_are_one_problem(capsys):
    f = ROOT / "data" / "jobs_example.csv"
    assert [p.line() for p in validate_file(f)] == [
        f"{f}: earliest_start, deadline: all 10 rows (line 3 to line 12) give earliest_start and deadline without a "
        f"time zone (e.g. '2025-07-14T00:00'); {FIX}"]
    assert validate_file(f, tz="America/New_York") == []
    assert main(["validate", "data/jobs_example.csv"]) == 2
    err = capsys.readouterr().err
    assert err.count("without a time zone") == 1 and "has no time zone" not in err


def test_some_naive_rows_are_named_beside_the_other_problems(tmp_path):
    f = tmp_path / "j.csv"
    f.write_text("name,energy_kwh,power_kw,earliest_start,deadline\n"
                 "a,100,50,2025-07-14T00:00-04:00,2025-07-15T00:00-04:00\n"
                 "b,100,50,2025-07-14T00:00,2025-07-15T00:00-04:00\n"
                 "c,100,50,2025-07-14T01:00,2025-07-15T00:00-04:00\n"
                 "d,-1,50,2025-07-14T00:00-04:00,2025-07-15T00:00-04:00\n")
    assert [p.line() for p in validate_file(f)] == [
        f"{f}: earliest_start: 2 of 4 rows (lines 3 and 4) give earliest_start without a time zone "
        f"(e.g. '2025-07-14T00:00'); {FIX}",
        f"{f}: jobs['d'].energy_kwh: line 5: must be > 0, got -1.0"]


def test_a_zoneless_rows_other_problems_are_reported_beside_the_missing_zone(tmp_path):
    """validate reports every problem: a row without a zone is still checked for the rest (its times read as
    UTC only to check them), so a bad min_run_h is not hidden until the zone is given."""
    src = (ROOT / "data" / "jobs_example.csv").read_text().splitlines()
    assert src[2].startswith("pretrain-a,") and src[2].endswith(",true,2,3")
    src[2] = src[2].removesuffix(",true,2,3") + ",true,x,3"
    f = tmp_path / "jobs.csv"
    f.write_text("\n".join(src) + "\n")
    assert [p.line() for p in validate_file(f)] == [
        f"{f}: earliest_start, deadline: all 10 rows (line 3 to line 12) give earliest_start and deadline without a "
        f"time zone (e.g. '2025-07-14T00:00'); {FIX}",
        f"{f}: jobs['pretrain-a'].min_run_h: line 3: must be a number, got 'x'"]
    assert [p.line() for p in validate_file(f, tz="America/New_York")] == [
        f"{f}: jobs['pretrain-a'].min_run_h: line 3: must be a number, got 'x'"]
