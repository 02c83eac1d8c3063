"""The off-peak scheduler with a user's own job trace (tester's findings o43).

An ML platform lead scheduled 43 jobs of their own at research-triangle-nc (week of 14-21 July 2025) through the
Python API and found: jobs given in GPUs were converted at 1.275 kW/GPU (a DGX H100) while the site's flexible
capacity is counted at the fleet's own 1.371 kW/GPU, so 2,202 GPUs were busy in a 2,048-GPU pool; the notebook
could not take a job file; one impossible job hid the whole rolling saving although every strategy left the same
job out; the infeasibility message quoted the figures above idle as if they were the file's and blamed the site
cap and headroom where the installed IT bound; a '#' inside a job name cut the line; 'ft-01' and 'ft-01 ' were
two jobs.
"""
from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.errors import DcplanWarning, InputError
from dcplan.schedule_rolling import rolling_horizon
from dcplan.schedule_setup import load_site_jobs, site_kw_per_accelerator, site_schedule_inputs
from dcplan.schedule_window import local_week
from dcplan.site import load_portfolio
from dcplan.tariff import Tariff

SITE = "research-triangle-nc"
# data/hardware.csv hgx-h100: a rack of 4 servers of 8 GPUs draws 4 x 10.2 + 1.5 x 1.7 + 0.15 + 0.25 x 1.5
# = 43.875 kW at full load with its switches and storage: 43.875 / 32 kW per GPU
RACK_KW, RACK_GPUS = 43.875, 32


@pytest.fixture(scope="module")
def rtp():
    spec = load_portfolio()[SITE]
    return spec, site_schedule_inputs(spec)


def test_site_kw_per_gpu_is_the_fleets_own_and_the_pool_is_whole(rtp):
    spec, si = rtp
    assert site_kw_per_accelerator(spec) == pytest.approx(RACK_KW / RACK_GPUS, rel=1e-12)  # 1.371, not 1.275
    # 512 servers x 8 GPUs, half of them flexible: 2,048 GPUs, 64 racks x 43.875 = 2,808 kW
    assert si.flex_kw == pytest.approx(64 * RACK_KW, rel=1e-12)
    assert si.flex_accelerators == pytest.approx(2048.0, rel=1e-12)


def test_jobs_in_gpus_at_the_site_never_exceed_its_gpu_pool(rtp, tmp_path):
    spec, si = rtp
    f = tmp_path / "trace.csv"
    f.write_text("name,gpu_hours,accelerators,earliest_start,deadline,preemptible\n"
                 "pool,12288,2048,2025-07-14T00:00,2025-07-16T00:00,false\n"      # the whole pool for 6 h
                 "half,6144,1024,2025-07-15T00:00,2025-07-17T00:00,true\n"
                 "own,1000,100,2025-07-15T00:00,2025-07-17T00:00,true\n")
    jobs = si.load_jobs(f)
    kpa = RACK_KW / RACK_GPUS
    # the whole pool's GPUs draw the whole flexible power, not 2,048 x 1.275 = 2,611 kW (nor 2,808 / 1.275 = 2,202
    # GPUs' worth); the figure used is on record per job
    assert jobs.at["pool", "power_kw"] == pytest.approx(2808.0, rel=1e-12)
    assert jobs.at["pool", "energy_kwh"] == pytest.approx(12288 * kpa, rel=1e-12)
    assert jobs.attrs["kw_per_accelerator"] == pytest.approx({"pool": kpa, "half": kpa, "own": kpa}, rel=1e-12)
    assert load_site_jobs(f, spec)["power_kw"].tolist() == jobs["power_kw"].tolist()
    week = local_week(dt.date(2025, 7, 14), si.site_year.weather.index.tz, step="15min")
    res = S.optimize(si.scheduled(jobs), week.index, **si.kw)
    # GPUs busy = the flexible IT above idle / ((1 - idle share) x kW per GPU): never above the pool of 2,048
    busy = res.load["flex_it_kw"] / ((1.0 - si.idle_frac) * kpa)
    assert busy.max() <= 2048.0 * (1 + 1e-9)
    assert busy.max() >= 2048.0 * (1 - 1e-6)  # the pool job runs on all of them
    assert res.jobs["energy_done_kwh"].sum() == pytest.approx(si.scheduled(jobs)["energy_kwh"].sum(), rel=1e-6)


def test_infeasible_job_names_its_own_figures_and_the_limit_that_binds():
    # installed IT 150 kW over a must-run 50 kW leaves 100 kW of flexible IT; the grid cap (1,000 kW) and the
    # headroom (500 kW) are far above: the job given at 200 kW x 2 h is scheduled above idle (0.2) at 160 kW
    t0 = pd.Timestamp("2025-07-14 00:00", tz="UTC")
    idx = pd.date_range(t0 + pd.Timedelta("1h"), periods=8, freq="1h")
    job = dict(name="np", energy_kwh=400.0, power_kw=200.0, earliest_start=t0, deadline=idx[-1], preemptible=False)
    from dcplan.schedule_idle import above_idle
    with pytest.raises(S.ScheduleInfeasible) as ei:
        S.optimize(above_idle([job], 0.2), idx, price_usd_per_kwh=0.1, cap_kw=1000.0, it_cap_kw=150.0,
                   base_it_kw=50.0, headroom_it_kw=500.0)
    assert ei.value.detail == (
        "job 'np' (non-preemptible: one uninterrupted run; as given 400.0 kWh at 200.0 kW; scheduled above the "
        "flexible capacity's idle draw, x (1 - idle_frac 0.2): 320.0 kWh at 160.0 kW, the figures that follow): "
        "320.0 kWh of 320.0 kWh cannot fit before its deadline 2025-07-14 08:00:00+00:00 even alone: the job needs "
        "160.0 kW for 2 h uninterrupted; the installed IT power (must-run, the flexible capacity's idle draw and the "
        "jobs together) leaves at most 100.0 kW of flexible IT room in its window")
    # where the grid cap binds instead (900 kW site at PUE 1 - 50 must-run = 850 kW < 1,000 kW), it is named
    with pytest.raises(S.ScheduleInfeasible, match=r"needs 1,000\.0 kW for 1 h uninterrupted; the site cap leaves at "
                                                   r"most 850\.0 kW of flexible IT room in its window$"):
        S.optimize([dict(job, energy_kwh=1000.0, power_kw=1000.0)], idx, price_usd_per_kwh=0.1, cap_kw=900.0,
                   it_cap_kw=5000.0, base_it_kw=50.0)


def test_with_no_slack_the_job_that_cannot_fit_even_alone_is_named_first():
    # 'c' and 'd' (80 kW each, run at release) fit alone in the 100 kW but not together; 'b' (300 kW) fits
    # nowhere: whatever the elastic solve leaves short, 'b' leads the message
    t0 = pd.Timestamp("2025-07-14 00:00", tz="UTC")
    idx = pd.date_range(t0 + pd.Timedelta("1h"), periods=6, freq="1h")
    jobs = [dict(name=n, energy_kwh=kw * 2, power_kw=kw, earliest_start=t0, deadline=idx[-1])
            for n, kw in (("c", 80.0), ("d", 80.0), ("b", 300.0))]
    with pytest.raises(S.ScheduleInfeasible) as ei:
        S.optimize(S.with_slack(jobs, 0.0), idx, price_usd_per_kwh=0.1, cap_kw=100.0)
    assert ei.value.detail.startswith("job 'b': ")
    assert "even alone" in ei.value.detail.split("; job ")[0]


def test_rolling_saving_is_given_when_every_strategy_leaves_the_same_job_out():
    # 'a': 20 kWh at <= 10 kW over a day; 'huge' (200 kW x 3 h, non-preemptible) fits under no cap of 100 kW in any
    # strategy. Flat 0.10 $/kWh and 10 $/kW-month: the energy is the same; run-ASAP (and greedy: every hour costs
    # the same, so the earliest) peak at 10 kW, the optimized schedule spreads 'a' at 20 / 24 kW: the saving is
    # 10 x (10 - 20 / 24) = 91.67 USD, the same work in every strategy
    idx = pd.date_range(pd.Timestamp("2025-07-01 01:00", tz="Etc/GMT+5"), periods=24, freq="1h")
    t0 = idx[0] - pd.Timedelta("1h")
    jobs = [dict(name="a", energy_kwh=20.0, power_kw=10.0, earliest_start=t0, deadline=idx[-1]),
            dict(name="huge", energy_kwh=600.0, power_kw=200.0, earliest_start=t0, deadline=idx[-1],
                 preemptible=False)]
    with pytest.warns(DcplanWarning, match=r"1 job\(s\) left short, 600\.0 kWh"):
        r = rolling_horizon(jobs, idx, tariff=Tariff.flat(0.10).with_demand_charge(10.0), commit="1D",
                            lookahead="0h", cap_kw=100.0)
    assert r.costs["jobs_not_placed"].tolist() == [1, 1, 1]
    assert r.unplaced == {"optimized": ("huge",), "greedy": ("huge",), "asap": ("huge",)}
    assert r.not_comparable == {}
    assert r.savings["vs_asap_usd"] == pytest.approx(10.0 * (10.0 - 20.0 / 24.0), rel=1e-6)
    assert r.savings["vs_greedy_usd"] == pytest.approx(10.0 * (10.0 - 20.0 / 24.0), rel=1e-6)
    assert r.same_unplaced == ("the optimized schedule and run-ASAP and the greedy baseline all left the same 1 of 2 "
                               "job(s) unplaced ('huge' (600.0 kWh)) and did the same IT work: the saving compares "
                               "the same work, without those jobs")


def test_rolling_saving_stays_nan_when_the_work_differs():
    # the case above with run-ASAP's record of what it left out changed to another set of jobs (as a baseline
    # that also left out 'a' would have): its bill is not for the same work, so no saving is given
    idx = pd.date_range(pd.Timestamp("2025-07-01 01:00", tz="Etc/GMT+5"), periods=24, freq="1h")
    t0 = idx[0] - pd.Timedelta("1h")
    jobs = [dict(name="a", energy_kwh=20.0, power_kw=10.0, earliest_start=t0, deadline=idx[-1]),
            dict(name="huge", energy_kwh=600.0, power_kw=200.0, earliest_start=t0, deadline=idx[-1],
                 preemptible=False)]
    with pytest.warns(DcplanWarning):
        r = rolling_horizon(jobs, idx, tariff=Tariff.flat(0.10).with_demand_charge(10.0), commit="1D",
                            lookahead="0h", cap_kw=100.0)
    r.unplaced["asap"] = ("a", "huge")  # a baseline that did less work: not like for like
    assert np.isnan(r.savings["vs_asap_usd"])
    assert "asap left 1 of 2 jobs unplaced" in r.not_comparable["vs_asap_usd"]


def test_hash_in_a_name_is_text_and_blank_padded_names_are_one(tmp_path):
    f = tmp_path / "jobs.csv"
    row = "100,50,2025-07-07T00:00-05:00,2025-07-08T00:00-05:00"
    f.write_text(f"# a comment line\nname,energy_kwh,power_kw,earliest_start,deadline\nrun#2,{row}\n"
                 f"  # an indented comment\nft-01 ,{row}\n")
    jobs = S.load_jobs(f)
    assert list(jobs.index) == ["run#2", "ft-01"]
    assert jobs.at["run#2", "earliest_start"] == pd.Timestamp("2025-07-07T00:00-05:00")
    f.write_text(f"name,energy_kwh,power_kw,earliest_start,deadline\nft-01,{row}\nft-01 ,{row}\n")
    with pytest.raises(InputError, match=re.escape(
            "jobs.csv: jobs.name: lines 2 and 3: duplicate job name 'ft-01' (names are compared without leading and "
            "trailing blanks); give each job its own name")):
        S.load_jobs(f)


@pytest.mark.slow
def test_notebook_schedules_a_job_file_in_the_week(tmp_path, monkeypatch):
    from tests.conftest import run_cells_until
    f = tmp_path / "my_jobs.csv"
    f.write_text("name,gpu_hours,accelerators,earliest_start,deadline,preemptible\n"
                 "train,24576,1024,2025-07-14T00:00,2025-07-19T00:00,true\n"
                 "eval,2048,512,2025-07-16T08:00,2025-07-17T20:00,false\n"
                 "late,100,10,2025-07-20T00:00,2025-07-22T00:00,true\n")  # its deadline after the week: left out
    ns, _ = run_cells_until("offpeak_scheduling", '"week_saving_vs_asap_usd"', monkeypatch, site=SITE,
                            jobs_file=str(f), rolling_weeks=1)
    assert ns["jobs_note"] == ("the jobs of my_jobs.csv (2 of its 3: those within the week; left out, their window "
                               "not within it: 'late')")
    assert list(ns["jobs"].index) == ["train", "eval"]
    # the same week through the API: the site's inputs, the file in the site's units, above idle
    spec = load_portfolio()[SITE]
    si = site_schedule_inputs(spec)
    week = local_week(dt.date(2025, 7, 14), si.site_year.weather.index.tz, step="15min")
    jobs = si.load_jobs(f).drop("late")
    res = S.optimize(si.scheduled(jobs), week.index, **si.kw)
    assert ns["sv"]["vs_asap_usd"] == pytest.approx(res.savings["vs_asap_usd"], rel=1e-9)
    assert ns["res"].costs.at["optimized", "bill_total_usd"] == pytest.approx(
        res.costs.at["optimized", "bill_total_usd"], rel=1e-9)


def test_validate_judges_a_job_trace_as_a_job_file_and_takes_tz(tmp_path):
    from dcplan.validate import validate_file
    from dcplan.validate_jobs import looks_like_jobs
    f = tmp_path / "trace.csv"
    f.write_text("job_id,energy_kwh,power_kw,start,end\na,100,50,2025-07-14T00:00,2025-07-15T00:00\n")
    assert [p.line() for p in validate_file(f)] == [
        f"{f}: header: unknown columns 'job_id' (did you mean 'name'?), 'start' (did you mean 'earliest_start'?), "
        "'end' (did you mean 'deadline'?); allowed: accelerators, deadline, earliest_start, energy_kwh, gpu_hours, "
        "kw_per_accelerator, min_run_h, name, power_kw, preemptible, priority"]
    f.write_text("name,energy_kwh,power_kw,earliest_start,deadline\na,100,50,2025-07-14T00:00,2025-07-15T00:00\n")
    (p,) = validate_file(f)
    assert p.message.endswith("load_jobs(path, tz=...) (on the command line: dcplan validate --tz ZONE FILE)")
    assert validate_file(f, tz="America/New_York") == []
    load = tmp_path / "load.csv"  # a meter load stays a load
    load.write_text("timestamp,power_kw\n2025-07-14T01:00-04:00,100\n")
    assert not looks_like_jobs(load)


def test_render_precheck_refuses_a_bad_job_file_naming_it(tmp_path):
    from dcplan import offpeak_params
    spec = load_portfolio()[SITE]
    params = {"flex_share_frac": 0.5, "utilisation_frac": -1.0, "n_jobs": 200, "n_nonpreemptible": 20,
              "week_start": "", "jobs_file": str(tmp_path / "j.csv")}
    (tmp_path / "j.csv").write_text("name,energy_kwh,power_kw,earliest_start,deadline\n"
                                    "a,100,50,2025-08-14T00:00,2025-08-15T00:00\n")
    with pytest.raises(InputError, match=r"j\.csv: -p jobs_file: site 'research-triangle-nc': none of its 1 "
                                         r"job\(s\) lies within the week 2025-07-14 00:00:00-04:00 to 2025-07-21 "
                                         r"00:00:00-04:00 .*give a week_start in that span$"):
        offpeak_params.precheck(params, spec, {"jobs_file"})
    params["week_start"] = "2025-08-11"
    assert offpeak_params.precheck(params, spec, {"jobs_file", "week_start"}) is None


def test_render_precheck_names_the_job_and_field_as_validate_does(tmp_path):
    # an audit's finding: render said "...dl2.csv: -p jobs_file: site 'phoenix-az': line 2: deadline ... is not after
    # earliest_start ...", dropping the job and its field, which dcplan validate names (jobs['j1'].deadline)
    from dcplan import offpeak_params
    spec = load_portfolio()[SITE]
    params = {"flex_share_frac": 0.5, "utilisation_frac": -1.0, "n_jobs": 200, "n_nonpreemptible": 20,
              "week_start": "", "jobs_file": str(tmp_path / "dl2.csv")}
    (tmp_path / "dl2.csv").write_text("name,energy_kwh,power_kw,earliest_start,deadline\n"
                                      "j1,100,50,2025-07-15T10:00,2025-07-15T08:00\n")
    with pytest.raises(InputError, match=r"dl2\.csv: -p jobs_file: site 'research-triangle-nc': "
                                         r"jobs\['j1'\]\.deadline: line 2: deadline 2025-07-15 08:00:00-04:00 "
                                         r"is not after earliest_start 2025-07-15 10:00:00-04:00$"):
        offpeak_params.precheck(params, spec, {"jobs_file"})
    (tmp_path / "dl2.csv").write_text("name,energy_kwh,power_kw,earliest_start,deadline\n"
                                      "j1,nan,50,2025-07-15T08:00,2025-07-15T18:00\n")
    with pytest.raises(InputError, match=r"jobs\['j1'\]\.energy_kwh: line 2: got 'nan', a missing-value word read as "
                                         r"an empty cell; give energy_kwh \[kWh\] or gpu_hours$"):
        offpeak_params.precheck(params, spec, {"jobs_file"})


@pytest.mark.slow
def test_a_relative_jobs_file_runs_top_to_bottom_through_the_year(tmp_path, monkeypatch):
    """A verifier's finding: jobs_file given as typed in JupyterLab ("jobs_example.csv", found under data/ as render
    finds it) was overwritten by the week's cell with its resolved absolute path, so the year's cell, which checks
    the parameters are those the year started with, refused a clean top-to-bottom run ("jobs_file changed since the
    rolling year was computed"). The resolved path goes into jobs_path; the parameter keeps its value."""
    from tests.conftest import run_cells_until
    monkeypatch.chdir(tmp_path)  # not the data folder: the file is found under data/
    ns, _ = run_cells_until("offpeak_scheduling", "roll = year.result()", monkeypatch, site=SITE,
                            jobs_file="jobs_example.csv", rolling_weeks=1, as_render=False)
    assert ns["jobs_file"] == "jobs_example.csv"
    assert ns["jobs_path"].endswith("data/jobs_example.csv") and ns["roll"] is not None


def test_the_site_inputs_carry_the_fleets_throttle_penalty(rtp):
    # every solve of the notebook takes si.kw: the HGX H100 fleet's 4.916 USD/GPU-h (data/costs.csv) over
    # 10.2 kW / 8 (data/hardware.csv) = 3.8557 USD/kWh (hand), dcplan.schedule_throttle; rel 1e-12 float
    spec, si = rtp
    assert si.kw["throttle_usd_per_kwh"] == si.throttle_usd_per_kwh == pytest.approx(4.916 / 1.275, rel=1e-12)
    assert "data/costs.csv" in si.throttle_source and "data/hardware.csv" in si.throttle_source
