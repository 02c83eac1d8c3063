"""Inputs of dcplan.schedule refused with an InputError naming the field (not a pandas or numpy
error, nor a scipy warning), job dates whose day and month order is ambiguous, and the slack
sensitivity of the offpeak_scheduling notebook over a DST change."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.errors import InputError
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff

NY = "America/New_York"
ROOT = Path(__file__).resolve().parent.parent


def _t(s):
    return pd.Timestamp(s)


def _setup():
    t = Tariff.flat(0.10, demand_usd_per_kw=10.0)
    idx = pd.date_range("2025-07-07 01:00", periods=48, freq="h", tz=NY)
    job = dict(name="A", energy_kwh=2000.0, power_kw=500.0, earliest_start=_t("2025-07-07T00:00-04:00"),
               deadline=_t("2025-07-08T00:00-04:00"))
    return t, idx, job


# ---------------------------------------------------------------- 7. prior peaks
@pytest.mark.parametrize("prior", [[1.0] * 11, [1.0] * 13, [[1.0] * 12] * 2])
def test_prior_peaks_need_twelve_months(prior):
    # [1]*11 was an IndexError in the tariff adapter (months before the index read pp[11])
    t, idx, job = _setup()
    # a flat demand charge with an 80 % ratchet: the adapter reads the prior peaks
    ratchet = dataclasses.replace(t, ratchet_frac=np.full(12, 0.8), ratchet_lookback_months=11)
    with pytest.raises(InputError, match=r"prior_peaks_kw: need 12 monthly peaks \(Jan\.\.Dec\)"):
        S.optimize([job], idx, tariff=ratchet, prior_peaks_kw=prior)
    with pytest.raises(InputError, match=r"prior_peaks_kw: need 12 monthly peaks \(Jan\.\.Dec\)"):
        S.demand_charges_from_tariff(ratchet, idx, prior_peaks_kw=prior)
    with pytest.raises(InputError, match=r"prior_peaks_kw: need 12 monthly peaks \(Jan\.\.Dec\)"):
        rolling_horizon([job], idx, tariff=ratchet, commit="1D", lookahead="0D", prior_peaks_kw=prior)


def test_prior_peaks_refused_before_the_solve():
    # a negative peak was refused only by the bill of the result, after the solve
    t, idx, job = _setup()
    with pytest.raises(InputError, match=r"prior_peaks_kw: peaks must be finite and >= 0 kW, got -5.0 for month 1"):
        S.build_problem([job], idx, tariff=t, prior_peaks_kw=[-5.0] * 12)


# ---------------------------------------------------------------- 8. commit and lookahead
@pytest.mark.parametrize("commit,lookahead,msg", [
    ("x", "1D", r"commit: commit 'x' is not a length of time"),
    ("1D", "y", r"lookahead: lookahead 'y' is not a length of time"),
    ("1D", "-2h", r"lookahead: lookahead '-2h' must be >= 0$"),   # blamed commit
    ("-1D", "1D", r"commit: commit '-1D' must be at least one step of the index \(1 h\)$"),
    ("30min", "1D", r"commit: commit '30min' must be at least one step of the index \(1 h\)$"),
])
def test_rolling_commit_and_lookahead_are_named(commit, lookahead, msg):
    t, idx, job = _setup()
    with pytest.raises(InputError, match=msg):
        rolling_horizon([job], idx, tariff=t, commit=commit, lookahead=lookahead)


# ---------------------------------------------------------------- 9. jobs that are not a job list
@pytest.mark.parametrize("jobs,msg", [
    ("jobs.csv", r"jobs: need a list of Job/dict or a DataFrame \(use load_jobs\(path\) for a file\), got str "
                 r"'jobs.csv'"),
    (Path("jobs.csv"), r"jobs: need a list of Job/dict or a DataFrame \(use load_jobs\(path\) for a file\)"),
    ({"name": "A"}, r"jobs: need a list of Job/dict or a DataFrame .*got one dict"),
    (5, r"jobs: need a list of Job/dict or a DataFrame .*got int 5"),
    (["A"], r"jobs\[0\]: need a Job or a dict of job fields, got str 'A'"),
])
def test_jobs_that_are_not_a_job_list(jobs, msg):
    t, idx, _ = _setup()
    with pytest.raises(InputError, match=msg):
        S.optimize(jobs, idx, tariff=t)


def test_jobs_from_a_tuple_or_generator_still_work():
    t, idx, job = _setup()
    assert list(S.jobs_frame((job,)).index) == ["A"]
    assert list(S.jobs_frame(j for j in [job]).index) == ["A"]


# ---------------------------------------------------------------- 10. solver options
@pytest.mark.parametrize("kw,msg", [
    ({"mip_rel_gap": -1}, r"mip_rel_gap: mip_rel_gap must be >= 0"),
    ({"mip_rel_gap": float("nan")}, r"mip_rel_gap must be >= 0"),
    ({"mip_rel_gap": "x"}, r"mip_rel_gap must be >= 0"),
    ({"time_limit_s": 0}, r"time_limit_s: time_limit_s must be > 0 seconds"),
    ({"time_limit_s": -5.0}, r"time_limit_s must be > 0 seconds"),
    ({"time_limit_s": float("nan")}, r"time_limit_s must be > 0 seconds"),
])
def test_solver_options_are_checked(kw, msg):
    t, idx, job = _setup()
    with pytest.raises(InputError, match=msg):
        S.optimize([job], idx, tariff=t, **kw)
    with pytest.raises(InputError, match=msg):
        rolling_horizon([job], idx, tariff=t, commit="1D", lookahead="0D", **kw)


def test_gap_zero_and_no_time_limit_are_allowed():
    # 2000 kWh at <= 500 kW in the 24 h of 7 July at a flat 0.10 $/kWh: 200 USD of energy
    t, idx, job = _setup()
    r = S.optimize([job], idx, price_usd_per_kwh=0.10, mip_rel_gap=0.0, time_limit_s=float("inf"))
    assert r.costs.at["optimized", "energy_usd"] == pytest.approx(200.0, abs=1e-6)


# ---------------------------------------------------------------- 11. slack sensitivity over fall-back
def test_with_slack_over_the_fall_back_change():
    # The notebook rounded deadlines on the wall clock (.dt.ceil("15min")), which cannot tell the
    # two passes of 01:00-02:00 on 2 Nov 2025 apart ("Cannot infer dst time"). Lengths are now added
    # to the earliest start as elapsed time. Each job: released 00:00 EDT (04:00 UTC), deadline
    # 04:00 EST (09:00 UTC): a 5 h window.
    es, dl = _t("2025-11-02T00:00-04:00"), _t("2025-11-02T04:00-05:00")
    jobs = [dict(name="a", energy_kwh=100.0, power_kw=100.0, earliest_start=es, deadline=dl),   # run 1 h
            dict(name="b", energy_kwh=110.0, power_kw=100.0, earliest_start=es, deadline=dl)]   # 1.1 h -> 1.25 h
    cases = {  # keep 1 h + k x 4 h for a, 1.25 h + k x 3.75 h for b, rounded up to 15 min
        0.0: ("2025-11-02T01:00-04:00", "2025-11-02T01:15-04:00"),    # 1 h; 1.25 h
        0.125: ("2025-11-02T01:30-04:00", "2025-11-02T01:45-04:00"),  # 1.5 h; 1.71875 -> 1.75 h
        0.25: ("2025-11-02T01:00-05:00", "2025-11-02T01:15-05:00"),   # 2 h; 2.1875 -> 2.25 h: the repeated 01:xx
        0.5: ("2025-11-02T02:00-05:00", "2025-11-02T02:15-05:00"),    # 3 h; 3.125 -> 3.25 h
        1.0: ("2025-11-02T04:00-05:00", "2025-11-02T04:00-05:00"),    # 5 h; 5 h: unchanged
    }
    for k, (da, db) in cases.items():
        out = S.with_slack(jobs, k, step="15min")
        assert out.at["a", "deadline"] == _t(da), k
        assert out.at["b", "deadline"] == _t(db), k
    # on a zone's own clock too (the notebook's jobs are in America/New_York)
    ny = [dict(j, earliest_start=es.tz_convert(NY), deadline=dl.tz_convert(NY)) for j in jobs]
    out = S.with_slack(ny, 0.25)
    assert str(out["deadline"].dt.tz) == NY
    assert out.at["a", "deadline"] == _t("2025-11-02T01:00-05:00")
    # naive local times with the zone given, as jobs_frame(tz=) reads them: 00:00 and 04:00 on
    # that day in New York are 00:00 EDT and 04:00 EST, the same 5 h windows as above
    naive = [dict(j, earliest_start="2025-11-02 00:00", deadline="2025-11-02 04:00") for j in jobs]
    out = S.with_slack(naive, 0.25, tz=NY)
    assert out.at["a", "deadline"] == _t("2025-11-02T01:00-05:00")
    assert out.at["b", "deadline"] == _t("2025-11-02T01:15-05:00")
    with pytest.raises(InputError):  # without the zone, naive times are refused (jobs_frame)
        S.with_slack(naive, 0.25)


def test_with_slack_equals_wall_clock_rounding_away_from_dst():
    # a July week (no clock change): the same deadlines as the notebook's former wall-clock ceil
    t0 = pd.Timestamp("2025-07-14", tz=NY)
    jobs = S.generate_jobs(t0, 7, n_jobs=60, n_nonpreemptible=6, flex_kw=3000.0, utilisation_frac=0.6, seed=0)
    for k in (0.0, 0.1, 0.25, 0.5, 1.0):
        run = pd.to_timedelta(jobs["energy_kwh"] / jobs["power_kw"], unit="h").dt.ceil("15min")
        window = jobs["deadline"] - jobs["earliest_start"]
        old = (jobs["earliest_start"] + run + (window - run) * k).dt.ceil("15min").clip(upper=jobs["deadline"])
        assert (S.with_slack(jobs, k)["deadline"] == old).all(), k


def test_with_slack_week_of_the_fall_back_change_is_scheduled():
    # the notebook's slack cell for week_start 2025-10-28 (papermill failed there): every deadline is
    # on the 15-min grid of the week, inside the original window, and the cut mix schedules
    t0 = pd.Timestamp("2025-10-28", tz=NY)
    idx = pd.date_range(t0 + pd.Timedelta("15min"), periods=7 * 96, freq="15min")
    jobs = S.generate_jobs(t0, 7, n_jobs=30, n_nonpreemptible=3, flex_kw=3000.0, utilisation_frac=0.4, seed=0)
    cut = S.with_slack(jobs, 0.5)
    assert ((cut["deadline"] - t0) % pd.Timedelta("15min") == pd.Timedelta(0)).all()
    assert (cut["deadline"] <= jobs["deadline"]).all() and (cut["deadline"] > cut["earliest_start"]).all()
    r = S.optimize(cut, idx, price_usd_per_kwh=0.1, cap_kw=5000.0)
    assert r.costs.at["optimized", "jobs_not_placed"] == 0
    assert r.jobs["energy_done_kwh"].to_numpy() == pytest.approx(cut["energy_kwh"].to_numpy(), rel=1e-6)


@pytest.mark.parametrize("k", [-0.1, 1.5, float("nan"), "x"])
def test_with_slack_fraction_is_checked(k):
    _, _, job = _setup()
    with pytest.raises(InputError, match=r"keep_frac: must be a fraction in \[0, 1\]"):
        S.with_slack([job], k)


def test_offpeak_notebook_uses_with_slack_and_labels_civil_time():
    doc = json.loads((ROOT / "notebooks" / "offpeak_scheduling.ipynb").read_text())
    src = "\n".join("".join(c["source"]) for c in doc["cells"] if c["cell_type"] == "code")
    assert "schedule.with_slack(" in src and ".dt.ceil(" not in src
    # the index is civil local time (DST observed where the zone has it), not standard time
    assert "local standard time" not in src
    assert src.count('set_xlabel(f"local clock time ({tz}, with DST where observed) [date]")') == 2


# ---------------------------------------------------------------- 12. day/month-first job dates
@pytest.mark.parametrize("written", ["07/08/2025 00:00-05:00", "08.07.2025 00:00-05:00", "7/8/25", "07/07/2025"])
def test_job_csv_month_day_dates_are_refused_with_row_and_column(tmp_path, written):
    # 07/08/2025 was read as 8 July, 08.07.2025 as 7 August (month first)
    f = tmp_path / "jobs.csv"
    f.write_text("name,energy_kwh,power_kw,earliest_start,deadline,preemptible,min_run_h,priority\n"
                 "# a comment line\n"
                 "B,100,100,2025-07-08T00:00-05:00,2025-07-09T00:00-05:00,true,0,1\n"
                 f"A,100,100,{written},2025-07-09T00:00-05:00,true,0,1\n")
    with pytest.raises(InputError, match=rf"jobs\.csv: jobs\['A'\]\.earliest_start: line 4: '{written}': "
                                         r"day/month or month/day dates are not read: their order is "
                                         r"ambiguous"):
        S.load_jobs(f)


def test_job_dicts_with_month_day_dates_are_refused():
    _, _, job = _setup()
    with pytest.raises(InputError, match=r"jobs\['A'\]\.deadline: '07/08/2025 00:00-04:00': day/month or month/day dates"):
        S.jobs_frame([dict(job, deadline="07/08/2025 00:00-04:00")])
    # ISO 8601 strings (also with slashes year first) are read as before
    f = S.jobs_frame([dict(job, earliest_start="2025-07-07T00:00-04:00", deadline="2025/07/08 00:00-04:00")])
    assert f.at["A", "deadline"] == _t("2025-07-08T00:00-04:00")
