"""Errors of dcplan.schedule that say what is wrong: the infeasibility report names what binds (a
ramp limit, the jobs competing for the same hours), bad generator arguments and job CSVs are named
with their value and line, and inputs in half-hour time zones line up with the schedule grid."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.errors import InputError
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff

from conftest import papermill_execute

CHI = "America/Chicago"
ROOT = Path(__file__).resolve().parent.parent
D0 = "2025-07-07T00:00-05:00"


def _job(name, e, p, es, dl, pre=True):
    return dict(name=name, energy_kwh=e, power_kw=p, earliest_start=pd.Timestamp(es), deadline=pd.Timestamp(dl),
                preemptible=pre)


def _idx(n=24):
    # interval-ending labels: the first interval is 00:00-01:00 on 7 July (CDT, -05:00)
    return pd.date_range("2025-07-07 01:00", periods=n, freq="h", tz=CHI)


# ---------------------------------------------------------------- F1: a ramp limit that binds
def test_infeasible_job_names_the_ramp_limit_not_a_cap_or_other_jobs():
    """It said "under the site cap together with the other jobs competing for the same hours":
    no cap was given and there was one job. Window 00:00-01:00 is the grid's first interval, so the
    job's kW there must ramp back to 0 kW in the next interval within 10 kW: at most 10 kW x 1 h =
    10 kWh of its 100 kWh, 90 kWh short (hand calculation)."""
    job = _job("a", 100.0, 100.0, D0, "2025-07-07T01:00-05:00")
    with pytest.raises(S.ScheduleInfeasible) as ei:
        S.optimize([job], _idx(), price_usd_per_kwh=0.1, ramp_kw=10)
    assert str(ei.value) == (
        "jobs: job 'a': 90.0 kWh of 100.0 kWh cannot fit before its deadline 2025-07-07 01:00:00-05:00 even alone: "
        "under the ramp limit of 10 kW (the most the site load may change from one interval to the next, ramping up "
        "to the job and back down) it places only 10.0 kWh in its window, where without the ramp limit it would "
        "fit: raise ramp_kw or widen its window")
    sf = ei.value.shortfall
    assert sf["unplaced_kwh"].tolist() == pytest.approx([90.0], abs=1e-6)
    assert sf["fits_alone_kwh"].tolist() == pytest.approx([10.0], abs=1e-6)   # under the ramp limit


def test_jobs_competing_under_a_ramp_limit_name_it_and_no_cap():
    """Two 16 kWh jobs at 10 kW in 00:00-02:00, ramp limit 10 kW, no cap. Alone each fits (10 + 6 kWh;
    the 2nd hour ramps to 0 after it). Together: the 2nd hour is at most 10 kW (0 kW follows), the 1st
    at most 20 kW (their power), so 30 kWh of 32: 2 kWh short (hand calculation)."""
    jobs = [_job("a", 16.0, 10.0, D0, "2025-07-07T02:00-05:00"), _job("b", 16.0, 10.0, D0, "2025-07-07T02:00-05:00")]
    with pytest.raises(S.ScheduleInfeasible) as ei:
        S.optimize(jobs, _idx(), price_usd_per_kwh=0.1, ramp_kw=10)
    msg, sf = str(ei.value), ei.value.shortfall
    assert sf["unplaced_kwh"].sum() == pytest.approx(2.0, abs=1e-6)
    assert "cap" not in msg
    for r in sf.itertuples():  # whichever the solver left short: the other one is named beside it
        other = "b" if r.job == "a" else "a"
        assert (f"job {r.job!r}: " in msg and "under the ramp limit of 10 kW together with the other jobs competing "
                f"for the same hours: alone it fits, but its window overlaps those of 1 other job(s): {other!r} 16.0 "
                "kWh. The shortfall is the group's" in msg), msg


# ---------------------------------------------------------------- F2: the competing jobs
def test_infeasible_report_names_the_competing_group():
    """'a' and 'b', 150 kWh at 100 kW each in 00:00-02:00 under a 100 kW cap: 2 h x 100 kW = 200 kWh of
    room for 300 kWh, 100 kWh short (hand calculation). Only 'a' was named, 'b' never; 'c' (a later
    window) does not compete and is not named."""
    d2 = "2025-07-07T02:00-05:00"
    jobs = [_job("a", 150.0, 100.0, D0, d2), _job("b", 150.0, 100.0, D0, d2),
            _job("c", 10.0, 10.0, "2025-07-07T05:00-05:00", "2025-07-07T06:00-05:00")]
    with pytest.raises(S.ScheduleInfeasible) as ei:
        S.optimize(jobs, _idx(), price_usd_per_kwh=0.1, cap_kw=100)
    msg, sf = str(ei.value), ei.value.shortfall
    assert sf["unplaced_kwh"].sum() == pytest.approx(100.0, abs=1e-6)
    assert "'c'" not in msg
    for r in sf.itertuples():
        other = "b" if r.job == "a" else "a"
        assert (f"cannot fit before its deadline 2025-07-07 02:00:00-05:00 under the site cap together with the other "
                f"jobs competing for the same hours: alone it fits, but its window overlaps those of 1 other job(s): "
                f"{other!r} 150.0 kWh; together they need 300.0 kWh where the site cap leaves at most 200.0 kWh in "
                "their windows. The shortfall is the group's: which of its jobs is left short is the solver's "
                "arbitrary choice, so shorten, move or widen any of them") in msg, msg


def test_infeasible_alone_names_only_the_limits_given():
    """Hard headroom alone (no cap): 5 kW x 2 h = 10 kWh of room for a 15 kWh job, 5 kWh short."""
    job = _job("a", 15.0, 10.0, D0, "2025-07-07T02:00-05:00")
    with pytest.raises(S.ScheduleInfeasible, match=r"'a': 5\.0 kWh of 15\.0 kWh cannot fit before its deadline "
                                                   r"2025-07-07 02:00:00-05:00 even alone: the thermal headroom "
                                                   r"leaves only 10\.0 kWh in its window$"):
        S.optimize([job], _idx(), price_usd_per_kwh=0.1, headroom_it_kw=5.0)


def test_a_report_of_many_short_jobs_explains_the_first_five_and_counts_the_rest():
    """A mix of 200 jobs on a flexible share of four accelerators left ~190 jobs short: a 60,000-character error.
    Eight jobs of 15 kWh at 10 kW, each alone in its own 2 h window, under 5 kW of hard headroom: each places
    5 kW x 2 h = 10 kWh, 5 kWh short (hand calculation); 8 x 5 = 40 kWh of 8 x 15 = 120 kWh."""
    from dcplan.schedule_explain import EXPLAIN_JOBS_MAX
    start = pd.Timestamp(D0)
    jobs = [_job(f"j{k}", 15.0, 10.0, start + pd.Timedelta(hours=2 * k), start + pd.Timedelta(hours=2 * k + 2))
            for k in range(8)]
    with pytest.raises(S.ScheduleInfeasible) as ei:
        S.optimize(jobs, _idx(), price_usd_per_kwh=0.1, headroom_it_kw=5.0)
    msg = str(ei.value)
    assert EXPLAIN_JOBS_MAX == 5 and msg.count("cannot fit before its deadline") == 5
    assert [f"'j{k}': 5.0 kWh of 15.0 kWh" in msg for k in range(8)] == [True] * 5 + [False] * 3
    assert msg.endswith("; and 3 more job(s) are left short by 15.0 kWh (8 jobs short in all, 40.0 kWh of the "
                        "120.0 kWh asked; the error's shortfall table lists every one)")
    assert ei.value.shortfall["unplaced_kwh"].tolist() == pytest.approx([5.0] * 8, abs=1e-6)


# ------------------------------------------- a non-preemptible job over the limits: the numbers
def test_non_preemptible_job_over_the_cap_gives_its_kw_and_the_room():
    """300 kWh at 300 kW, one uninterrupted run, under a 150 kW cap: it needs 300 kW for 1 h, the cap
    leaves 150 kW in every hour (it said only "no uninterrupted run at its power")."""
    job = _job("big", 300.0, 300.0, D0, "2025-07-07T08:00-05:00", pre=False)
    with pytest.raises(S.ScheduleInfeasible) as ei:
        S.optimize([job], _idx(), price_usd_per_kwh=0.1, cap_kw=150.0)
    assert str(ei.value) == ("jobs: job 'big' (non-preemptible: one uninterrupted run): 300.0 kWh of 300.0 kWh "
                             "cannot fit before its deadline 2025-07-07 08:00:00-05:00 even alone: the job needs "
                             "300.0 kW for 1 h uninterrupted; the site cap leaves at most 150.0 kW of flexible IT "
                             "room in its window")


def test_non_preemptible_room_is_the_best_run_in_a_row_in_it_kw():
    """400 kWh at 100 kW: 4 h in a row. Cap [100, 50, 90, 90, 90, 90] kW in 00:00-06:00 (then 100):
    the best 4 h in a row is hours 2-5 with min 90 kW (a run over hour 1 has 50); the roomiest
    hour has 100 kW (hand calculation)."""
    job = _job("run", 400.0, 100.0, D0, "2025-07-07T06:00-05:00", pre=False)
    cap = pd.Series(100.0, index=_idx())
    cap.iloc[1:6] = [50.0, 90.0, 90.0, 90.0, 90.0]
    with pytest.raises(S.ScheduleInfeasible, match=r"even alone: the job needs 100\.0 kW for 4 h uninterrupted; the "
                                                   r"site cap leaves at most 90\.0 kW of flexible IT room for 4 h in "
                                                   r"a row in its window \(100\.0 kW in its roomiest interval\)$"):
        S.optimize([job], _idx(), price_usd_per_kwh=0.1, cap_kw=cap)
    # the cap is site kW, the room IT kW: 150 kW / PUE 1.5 - 20 kW must-run IT = 80 kW
    job = _job("big", 200.0, 100.0, D0, "2025-07-07T08:00-05:00", pre=False)
    with pytest.raises(S.ScheduleInfeasible, match=r"the job needs 100\.0 kW for 2 h uninterrupted; the site cap "
                                                   r"leaves at most 80\.0 kW of flexible IT room in its window$"):
        S.optimize([job], _idx(), price_usd_per_kwh=0.1, cap_kw=150.0, pue=1.5, base_it_kw=20.0)


def test_non_preemptible_run_below_its_power_says_so():
    """250 kWh at up to 300 kW on an hourly grid runs one whole hour at 250 kW (E / (n dt)), so
    the power it needs is 250 kW, not its power_kw (schedule_lp: P' = E / (n dt))."""
    job = _job("odd", 250.0, 300.0, D0, "2025-07-07T08:00-05:00", pre=False)
    with pytest.raises(S.ScheduleInfeasible, match=r"the job needs 250\.0 kW for 1 h uninterrupted \(250\.0 kWh spread "
                                                   r"over 1 whole 1 h interval\(s\); its power_kw is 300\.0 kW\); the "
                                                   r"site cap leaves at most 150\.0 kW of flexible IT room in its "
                                                   r"window$"):
        S.optimize([job], _idx(), price_usd_per_kwh=0.1, cap_kw=150.0)

# ---------------------------------------------------------------- F3: generator arguments
_START = pd.Timestamp("2025-07-07", tz=CHI)


@pytest.mark.parametrize("kw,msg", [
    (dict(utilisation_frac=-1), r"utilisation_frac: must be a fraction in \(0, 1\], got -1$"),
    (dict(utilisation_frac=1.5), r"utilisation_frac: must be a fraction in \(0, 1\], got 1\.5$"),
    (dict(n_jobs=-5, n_training=0, n_nonpreemptible=-5), r"n_jobs: must be a whole number >= 1, got -5$"),
    (dict(n_nonpreemptible=-1), r"n_nonpreemptible: must be a whole number >= 0, got -1$"),
    (dict(n_jobs=10.5), r"n_jobs: must be a whole number >= 1, got 10\.5$"),
    (dict(seed=-1), r"seed: must be a whole number >= 0, got -1$"),
    (dict(step="abc"), r"step: must be a positive duration such as '15min' or '1h', got 'abc'$"),
    (dict(step=15), r"step: step 15 is a number without a unit; give a duration such as '7D' or '24h'"),
    (dict(flex_kw=1.0), r"flex_kw: 1\.0 kW is less than one accelerator \(kw_per_accelerator 1\.275 kW\): the mix "
                        r"needs room for at least one$"),
    (dict(flex_kw=float("nan")), r"flex_kw: must be a finite number > 0 \(or None\), got nan$"),
    (dict(kw_per_accelerator=0), r"kw_per_accelerator: must be a finite number > 0, got 0$"),
    (dict(days=0), r"days: must be a finite number > 0, got 0$"),
    (dict(days=0.005), r"days: 0\.005 days is shorter than one step of '15min'"),   # 7.2 min
    # 0.2 d = 4.8 h on a 3-h grid: a batch job released at 3 h has no whole step left before 4.8 h
    (dict(days=0.2, step="3h", flex_kw=100.0), r"days: 0\.2 days on a grid of '3h': a job's window rounds to no "
                                               r"whole step; give days as a whole number of steps, or a finer step$"),
])
def test_generate_jobs_arguments_are_named(kw, msg):
    # each gave a job's field ("jobs['train000'].energy_kwh: must be > 0, got 0.0"), a numpy or pandas
    # error, or (utilisation_frac) nothing at all
    args = dict(n_jobs=10, n_nonpreemptible=2) | kw
    days = args.pop("days", 7.0)
    with pytest.raises(InputError, match=msg):
        S.generate_jobs(_START, days, **args)


def test_generate_jobs_start_needs_a_zone():
    with pytest.raises(InputError, match=r"start: must be a tz-aware timestamp \(e\.g\. '2025-07-07T00:00-05:00'\), "
                                         r"got '2025-07-07'$"):
        S.generate_jobs("2025-07-07")


# ---------------------------------------------------------------- F4: job CSV files
_HEADER = "name,energy_kwh,power_kw,earliest_start,deadline,preemptible,min_run_h,priority\n"
_ROW = "100,50,2025-07-07T00:00-05:00,2025-07-08T00:00-05:00,true,0,1"


@pytest.mark.parametrize("text,msg", [
    ("", r"jobs\.csv: no header line \(the file is empty or holds only comments\); need the header "
         r"name,energy_kwh,power_kw,earliest_start,deadline,preemptible,min_run_h,priority and one line per job$"),
    ("# only a comment\n", r"jobs\.csv: no header line"),
    # every data line one field longer: pandas read the names as an index and shifted the columns
    (_HEADER + f"a,{_ROW},extra\n", r"jobs\.csv: line 2 has 9 fields, the header has 8$"),
    # a later line longer (comment and blank lines counted, as the file numbers them)
    ("# jobs\n" + _HEADER + f"a,{_ROW}\n\nb,{_ROW},extra\n", r"jobs\.csv: line 5 has 9 fields, the header has 8$"),
    (_HEADER + f",{_ROW}\n", r"jobs\.csv: jobs\[0\]\.name: line 2: missing name; every job needs one$"),
    ("# jobs\n" + _HEADER + f"a,{_ROW}\n  ,{_ROW}\n", r"jobs\.csv: jobs\[1\]\.name: line 4: missing name"),
])
def test_job_csv_shape_errors_name_the_file_and_line(tmp_path, text, msg):
    f = tmp_path / "jobs.csv"
    f.write_text(text)
    with pytest.raises(InputError, match=msg):
        S.load_jobs(f)


def test_blank_job_names_are_refused_by_position():
    # it said jobs[nan].name; a blank string was taken as a name
    job = _job("x", 10.0, 10.0, D0, "2025-07-07T02:00-05:00")
    with pytest.raises(InputError, match=r"^jobs\[1\]\.name: missing name; every job needs one$"):
        S.jobs_frame([job, dict(job, name=" ")])
    with pytest.raises(InputError, match=r"^jobs\[0\]\.name: missing name"):
        S.jobs_frame(pd.DataFrame([dict(job, name="")]))


# a file whose line numbers differ from its row numbers: a comment line first, a blank line and a
# comment between the rows (the header is line 2, 'good' line 3, 'bad' line 6)
_ROWS_FILE = "# jobs for one week\n" + _HEADER + f"good,{_ROW}\n\n# the next one is bad\n" + "{bad}\n"
_T0, _T1 = "2025-07-07T00:00-05:00", "2025-07-08T00:00-05:00"


@pytest.mark.parametrize("bad,field,msg", [
    (f"bad,100,50,{_T1},{_T0},true,0,1", "deadline",
     r"deadline 2025-07-07 00:00:00-05:00 is not after earliest_start 2025-07-08 00:00:00-05:00"),
    (f"bad,-100,50,{_T0},{_T1},true,0,1", "energy_kwh", r"must be > 0, got -100\.0"),
    (f"bad,abc,50,{_T0},{_T1},true,0,1", "energy_kwh", r"must be a number, got 'abc'"),
    (f"bad,10000,50,{_T0},{_T1},true,0,1", "energy_kwh",
     r"needs 10,000\.0 kWh but at 50\.0 kW its window of 24 h holds only 1,200\.0 kWh"),
    (f"bad,100,50,{_T0},{_T1},true,-1,1", "min_run_h", r"must be >= 0, got -1\.0"),
    (f"bad,100,50,{_T0},{_T1},true,0,1.5", "priority", r"must be an integer, got 1\.5"),
    (f"bad,100,50,{_T0},{_T1},maybe,0,1", "preemptible",
     r"must be true/false, got 'maybe'; also allowed: yes/no, 1/0; empty: the default, true"),
    (f"bad,100,50,2025-07-07T00:00,{_T1},true,0,1", "earliest_start",
     r"'2025-07-07T00:00' has no time zone; give an offset .*"),
    (f"bad,100,50,07/01/2025,{_T1},true,0,1", "earliest_start", r"'07/01/2025': day/month or month/day dates are not read: .*"),
    # an empty cell of a required column: an error naming its line and column
    (f"bad,100,50,{_T0},,true,0,1", "deadline", r"empty; required: a time with its UTC offset, e\.g\. "
                                                r"2025-07-08T00:00-05:00"),
    (f"bad,,50,{_T0},{_T1},true,0,1", "energy_kwh", r"empty; give energy_kwh \[kWh\] or gpu_hours"),
    # a word pandas reads as missing is quoted, not called "empty" (an audit's finding: a literal nan)
    (f"bad,nan,50,{_T0},{_T1},true,0,1", "energy_kwh",
     r"got 'nan', a missing-value word read as an empty cell; give energy_kwh \[kWh\] or gpu_hours"),
    (f"bad,100,NA,{_T0},{_T1},true,0,1", "power_kw",
     r"got 'NA', a missing-value word read as an empty cell; give power_kw \[kW\] or accelerators"),
    (f"bad,100,50,{_T0},null,true,0,1", "deadline",
     r"got 'null', a missing-value word read as an empty cell; required: a time with its UTC offset, .*"),
    # 'NaT' is no missing-value word to pandas' reader but pd.Timestamp makes it no time: a job without a deadline
    # was accepted
    (f"bad,100,50,{_T0},NaT,true,0,1", "deadline", r"got 'NaT', no time; required: a time with its UTC offset, .*"),
])
def test_job_csv_row_errors_name_the_line_beside_the_job(tmp_path, bad, field, msg):
    # they named the file, job and field but not the line (only unnamed rows and dates did, as "row N")
    f = tmp_path / "jobs.csv"
    f.write_text(_ROWS_FILE.format(bad=bad))
    with pytest.raises(InputError) as ei:
        S.load_jobs(f)
    assert re.fullmatch(rf".*jobs\.csv: jobs\['bad'\]\.{field}: line 6: {msg}", str(ei.value)), str(ei.value)
    assert ei.value.field == f"jobs['bad'].{field}" and ei.value.detail.startswith("line 6: ")


def test_job_csv_missing_value_words_stay_defaults_in_optional_columns(tmp_path):
    # a missing-value word is still empty where a column may be: the optional columns take their defaults
    # (preemptible true, min_run_h 0, priority 1) and a nan energy_kwh beside gpu_hours is the gpu_hours' figure
    f = tmp_path / "jobs.csv"
    f.write_text("name,energy_kwh,gpu_hours,power_kw,earliest_start,deadline,preemptible,min_run_h,priority\n"
                 f"a,nan,10,50,{_T0},{_T1},NA,null,None\n")
    row = S.load_jobs(f, kw_per_accelerator=2.0).loc["a"]
    # 10 GPU-hours x 2 kW per accelerator = 20 kWh
    assert (row.energy_kwh, bool(row.preemptible), row.min_run_h, row.priority) == (20.0, True, 0.0, 1)


def test_job_csv_duplicate_names_give_both_lines(tmp_path):
    f = tmp_path / "jobs.csv"
    f.write_text(_ROWS_FILE.format(bad=f"good,{_ROW}"))
    with pytest.raises(InputError, match=r"jobs\.csv: jobs\.name: lines 3 and 6: duplicate job name 'good' \(names are "
                       r"compared without leading and trailing blanks\); give each job its own name$"):
        S.load_jobs(f)



def test_job_csv_lines_are_counted_as_pandas_reads_the_rows(tmp_path):
    # a whitespace-only line holds no row (pandas skips it) but is a line; a quoted name over two
    # lines is one row of two lines; an indented '#' line is a comment too (only whole-line comments are)
    f = tmp_path / "jobs.csv"
    f.write_text(_HEADER + f'"multi\nline",{_ROW}\n   \nbad,-1,{_ROW[4:]}\n')
    with pytest.raises(InputError, match=r"jobs\.csv: jobs\['bad'\]\.energy_kwh: line 5: must be > 0, got -1\.0$"):
        S.load_jobs(f)
    f.write_text(_HEADER + f"  # an indented comment\na,{_ROW}\n  # another\n,{_ROW}\n")
    with pytest.raises(InputError, match=r"jobs\.csv: jobs\[1\]\.name: line 5: missing name; every job needs one$"):
        S.load_jobs(f)

_ALLOWED = ("accelerators, deadline, earliest_start, energy_kwh, gpu_hours, kw_per_accelerator, min_run_h, name, "
            "power_kw, preemptible, priority")


@pytest.mark.parametrize("header,msg", [
    # it was blamed on the first job: "jobs['a'].colour: unknown 'colour'; allowed: ..."
    (_HEADER.strip() + ",colour", rf"unknown column 'colour'; allowed: {_ALLOWED}"),
    (_HEADER.strip().replace("deadline", "dedline"),
     rf"unknown column 'dedline' \(did you mean 'deadline'\?\); allowed: {_ALLOWED}"),
    (_HEADER.strip().replace("deadline", "dedline") + ",colour",
     rf"unknown columns 'dedline' \(did you mean 'deadline'\?\), 'colour'; allowed: {_ALLOWED}"),
    (_HEADER.strip() + ",deadline", r"column 'deadline' is given twice; give each column once"),
    ("name,energy_kwh,earliest_start,deadline", r"no power_kw or accelerators column; every job needs one\. Required "
     r"columns: name, earliest_start, deadline, energy_kwh \(or gpu_hours\), power_kw \(or accelerators\); optional: "
     r"preemptible \(default true\), min_run_h \(0\), priority \(1\), kw_per_accelerator \(1\.275\)"),
])
def test_job_csv_header_problems_are_named_once_as_the_header(tmp_path, header, msg):
    n = header.count(",") + 1
    rows = "".join(f"{name}," + ",".join(["100", "50", _T0, _T1, "true", "0", "1", "x"][:n - 1]) + "\n"
                   for name in ("a", "b"))
    f = tmp_path / "jobs.csv"
    f.write_text(header + "\n" + rows)
    with pytest.raises(InputError, match=rf"jobs\.csv: header: {msg}$") as ei:
        S.load_jobs(f)
    assert "jobs[" not in str(ei.value)  # no job is blamed


def test_job_table_unknown_column_is_named_once():
    job = _job("a", 10.0, 10.0, D0, "2025-07-07T02:00-05:00")
    frame = pd.DataFrame([dict(job, colour="red"), dict(job, name="b", colour="blue")])
    with pytest.raises(InputError, match=rf"^jobs\.columns: unknown column 'colour'; allowed: {_ALLOWED}$"):
        S.jobs_frame(frame)


def test_empty_optional_cells_are_the_column_defaults(tmp_path):
    """An empty preemptible cell said "must be true/false, got nan"; min_run_h, priority and
    kw_per_accelerator already took their defaults. Now every optional column does, as documented
    (module docstring, data/jobs_example.md): preemptible true, min_run_h 0, priority 1,
    kw_per_accelerator 1.275 kW (DGX H100 10.2 kW / 8)."""
    f = tmp_path / "jobs.csv"
    f.write_text("name,gpu_hours,power_kw,earliest_start,deadline,preemptible,min_run_h,priority,kw_per_accelerator\n"
                 f"a,80,50,{_T0},{_T1},,,,\n"
                 f"b,80,50,{_T0},{_T1},  ,,,\n"
                 f"c,80,50,{_T0},{_T1},false,,2,1.0\n")
    jf = S.load_jobs(f)
    assert jf["preemptible"].tolist() == [True, True, False]
    assert jf["min_run_h"].tolist() == [0.0, 0.0, 0.0] and jf["priority"].tolist() == [1, 1, 2]
    # 80 GPU-h x 1.275 kW (the default) = 102 kWh; x 1.0 kW given = 80 kWh
    assert jf["energy_kwh"].tolist() == pytest.approx([102.0, 102.0, 80.0])
    # the same as leaving the columns out
    g = tmp_path / "short.csv"
    g.write_text(f"name,gpu_hours,power_kw,earliest_start,deadline\na,80,50,{_T0},{_T1}\n")
    pd.testing.assert_series_equal(S.load_jobs(g).loc["a"], jf.loc["a"])
    # a 1/0 column with an empty cell is read as floats 1.0/0.0/NaN: still true/false/default
    h = tmp_path / "ones.csv"
    h.write_text(f"name,energy_kwh,power_kw,earliest_start,deadline,preemptible\na,10,5,{_T0},{_T1},1\n"
                 f"b,10,5,{_T0},{_T1},0\nc,10,5,{_T0},{_T1},\n")
    assert S.load_jobs(h)["preemptible"].tolist() == [True, False, True]
    # None in a job dict (YAML "preemptible:" with no value) is the default too
    assert bool(S.jobs_frame([dict(_job("a", 10.0, 5.0, _T0, _T1), preemptible=None)])["preemptible"].iloc[0])

# ---------------------------------------------------------------- F5, F6: rolling horizon and index
def test_rolling_horizon_says_a_tariff_is_required():
    # it said "give price_usd_per_kwh or tariff", an argument rolling_horizon does not take
    job = _job("a", 10.0, 10.0, D0, "2025-07-07T02:00-05:00")
    with pytest.raises(InputError, match=r"^tariff: rolling_horizon needs a tariff \(a dcplan\.tariff\.Tariff: its "
                                         r"prices and bills; it takes no price_usd_per_kwh\), got NoneType; for a "
                                         r"fixed price use dcplan\.tariff\.Tariff\.flat\(\.\.\.\)$"):
        rolling_horizon([job], _idx(), tariff=None)


def test_index_given_as_a_list_names_its_type():
    # it said "got builtin_function_or_method" (the type of list.index)
    job = _job("a", 10.0, 10.0, D0, "2025-07-07T02:00-05:00")
    msg = r"^index: need a tz-aware DatetimeIndex \(e\.g\. pandas\.date_range\(\.\.\., tz=\.\.\.\) or " \
          r"pandas\.DatetimeIndex\(values\)\), got list$"
    with pytest.raises(InputError, match=msg):
        S.optimize([job], list(_idx()), price_usd_per_kwh=0.1)
    with pytest.raises(InputError, match=msg):
        rolling_horizon([job], list(_idx()), tariff=Tariff.flat(0.1))


@pytest.mark.parametrize("commit,lookahead,field,value", [
    (24, "0h", "commit", "24"), ("24", "0h", "commit", "'24'"), ("1D", np.int64(2), "lookahead", "np.int64(2)")])
def test_rolling_durations_without_a_unit_are_refused(commit, lookahead, field, value):
    # 24 was read as 24 nanoseconds
    job = _job("a", 10.0, 10.0, D0, "2025-07-07T02:00-05:00")
    what = "at least one step of the index (1 h)" if field == "commit" else ">= 0"
    with pytest.raises(InputError, match=rf"^{field}: {field} {re.escape(value)} is a number without a unit; give a "
                                         rf"duration such as '7D' or '24h' \({re.escape(what)}\)$"):
        rolling_horizon([job], _idx(), tariff=Tariff.flat(0.1), commit=commit, lookahead=lookahead)


# ---------------------------------------------------------------- F7: half-hour and 45-min zones
@pytest.mark.parametrize("tz", ["Asia/Kolkata", "Asia/Kathmandu"])
def test_hourly_series_of_a_half_hour_zone_is_spread_over_its_quarter_hours(tz):
    """An hourly local series (labels at :00 local, i.e. :30 or :15 past the UTC hour in +05:30 and
    +05:45) on a 15-min grid from local midnight: the value labelled 01:00 covers 00:15 .. 01:00, the
    one labelled 02:00 covers 01:15 .. 02:00. It was refused: "no value for the interval ending 00:15"."""
    idx = pd.date_range("2025-07-07 00:15", periods=96, freq="15min", tz=tz)
    price = pd.Series(np.arange(1.0, 25.0) / 100, index=pd.date_range("2025-07-07 01:00", periods=24, freq="h", tz=tz))
    v = S._align(price, idx, "price_usd_per_kwh")
    assert v[:8].tolist() == [0.01] * 4 + [0.02] * 4
    assert v[-4:].tolist() == [0.24] * 4
    # the schedule bills it: 10 kWh at 10 kW in the day, all in the cheapest hour 00:00-01:00 at 0.01 $/kWh
    job = _job("a", 10.0, 10.0, pd.Timestamp("2025-07-07", tz=tz), pd.Timestamp("2025-07-08", tz=tz))
    r = S.optimize([job], idx, price_usd_per_kwh=price)
    assert r.load["price_usd_per_kwh"].iloc[:8].tolist() == [0.01] * 4 + [0.02] * 4
    assert r.costs.at["optimized", "energy_usd"] == pytest.approx(0.1, abs=1e-9)   # 10 kWh x 0.01 $/kWh


def test_series_off_the_schedule_grid_is_named():
    # hourly labels at :15 (local, Kolkata) on a 30-min grid at :00/:30: the interval 02:00-02:30 lies
    # across the series' intervals ending 02:15 and 03:15
    tz = "Asia/Kolkata"
    idx = pd.date_range("2025-07-07 02:00", periods=4, freq="30min", tz=tz)
    s = pd.Series(1.0, index=pd.date_range("2025-07-07 01:15", periods=4, freq="h", tz=tz))
    with pytest.raises(InputError, match=r"^cap_kw: the schedule's interval ending 2025-07-07 02:30:00\+05:30 "
                                         r"straddles the series' intervals ending 2025-07-07 02:15:00\+05:30 and "
                                         r"2025-07-07 03:15:00\+05:30"):
        S._align(s, idx, "cap_kw")


def test_daily_series_across_the_fall_back_day_covers_its_25_hours():
    # a daily local series (labels at local midnight): 1 Nov 2025 (Chicago) has 24 hours, 2 Nov 25
    # (the clocks fall back), 3 Nov 24: its values spread over 24, 25 and 23 (to 3 Nov 23:00) hours
    idx = pd.date_range("2025-11-01 01:00", periods=72, freq="h", tz=CHI)
    d = pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2025-11-02", periods=3, freq="D", tz=CHI))
    v = S._align(d, idx, "headroom_it_kw")
    assert [int((v == k).sum()) for k in (1.0, 2.0, 3.0)] == [24, 25, 23]


# ---------------------------------------------------------------- notebook
@pytest.mark.slow
def test_offpeak_notebook_publishes_no_none_and_names_partial_months(tmp_path):
    """With 4 jobs the quarter-slack week does not fit: it printed "...over full slack (no figure:
    infeasible...): None USD". With 2 rolling weeks the share of the ASAP bill compared a whole
    month's demand charge with two weeks' energy without saying so."""
    from dcplan.results import collect
    out = tmp_path / "nb.ipynb"
    papermill_execute(ROOT / "notebooks" / "offpeak_scheduling.ipynb", out,
                      parameters={"n_jobs": 4, "n_nonpreemptible": 0, "rolling_weeks": 2},
                      cwd=str(ROOT / "notebooks"))
    nb = json.loads(out.read_text())
    res = collect(nb)
    q = res["extra_bill_quarter_slack_usd"]
    assert q["unit"] is None and q["value"].startswith("n/a: infeasible, 1 jobs short"), q
    text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                   for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []))
    assert "None USD" not in text and ": None" not in text
    # research-triangle-nc (Duke: 350 USD a month fixed) bills the month's whole fixed charge too
    assert re.search(r"Saving as a share of the run-ASAP bill .*\(\d{4}-01 only partly scheduled, billed the whole "
                     r"month's demand and fixed charges\)", res["rolling_saving_frac"]["label"]), \
        res["rolling_saving_frac"]
