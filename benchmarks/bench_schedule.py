"""Benchmarks of dcplan.schedule (HiGHS MILP through scipy.optimize.milp).

* One week at 15-min resolution (672 intervals), 200 SYNTHETIC jobs of which 20
  non-preemptible (``generate_jobs(seed=1)``), Duke OPT-TOU tariff (flat + TOU
  demand), 40 MW cap, 10 MW must-run IT, PUE 1.25, diurnal thermal headroom.
  Solved to a relative MIP gap of 0.1 % (``MIP_REL_GAP_DEFAULT``); target < 5 s
  (build + solve). Also reported: the achieved MIP gap, the gap to the LP
  relaxation bound (same model, integrality dropped), and (full run) the time of
  the exact solve (gap 0) as the baseline, ratio = exact time / our time.
* One year by rolling horizon (commit 7 d, look-ahead 2 d, 52 weeks x 200 jobs);
  target < 120 s wall for the optimization (the two baselines and the three
  ``Tariff.bill`` runs are timed separately); the billed annual saving vs ASAP.
* The offpeak notebook's year for the example Research Triangle site (hourly grid, 52
  weeks x 200 jobs, the notebook's inputs; 8 weeks in quick mode), single-threaded,
  against the same run with HiGHS's defaults (feasibility-jump heuristic and presolve on,
  i.e. without ``schedule_lp.HIGHS_EXTRA_OPTIONS``), interleaved, best of two each: ratio =
  defaults' time / ours. The billed saving may differ only within the MIP gap (the two find
  different schedules of the same optimality: reported as the difference, and as a share of
  the year's optimized bill against the 1e-3 gap).
  And that year's two list-scheduler baselines (ASAP, greedy, with their repair passes),
  compiled, against the plain-Python reference ``schedule_baselines._place`` (same passes):
  ratio = Python time / compiled. Full run only: that year solved as one MILP
  (``optimize``, about 20 s) and the rolling horizon's bill over it (target <= 0.5 %).
"""
from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd

from dcplan import schedule as S
from dcplan.paths import data_path
from dcplan.schedule_lp import solve
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff

TZ = "Etc/GMT+5"


def _inputs(start, weeks, days=None):
    n = 96 * (days if days else 7 * weeks)
    idx = pd.date_range(pd.Timestamp(start, tz=TZ) + pd.Timedelta("15min"), periods=n, freq="15min")
    hour = (idx - pd.Timedelta("15min")).hour.to_numpy()
    doy = idx.dayofyear.to_numpy()
    # SYNTHETIC thermal headroom: 38 MW, minus up to 4 MW on summer afternoons
    head = 38000.0 - 4000.0 * np.clip(np.sin((doy - 80) / 365 * 2 * np.pi), 0, None) * \
        np.clip(np.sin((hour - 8) / 12 * np.pi), 0, None)
    return idx, pd.Series(head, index=idx)


def _week_jobs(t0, w):
    return S.generate_jobs(t0 + pd.Timedelta(days=7 * w), 7, n_jobs=200, n_nonpreemptible=20, flex_kw=20000,
                           seed=w + 1, prefix=f"w{w:02d}-")


def run(quick: bool = False) -> list[dict]:
    tariff = Tariff.from_urdb(data_path("tariffs/duke-nc-opt-tou.json"))
    kw = dict(cap_kw=40000.0, base_it_kw=10000.0, pue=1.25)
    out = []
    # ---- one week
    idx, head = _inputs("2025-07-07", 1)
    jobs = _week_jobs(idx[0] - pd.Timedelta("15min"), 0)
    t0 = time.perf_counter()
    r = S.optimize(jobs, idx, tariff=tariff, headroom_it_kw=head, **kw)
    t_week = time.perf_counter() - t0
    p = r.problem
    # LP relaxation: non-preemptible start binaries made continuous
    import dcplan.schedule_lp as lp
    orig = lp.milp

    def milp_relaxed(c, **k):
        k["integrality"] = np.zeros_like(k["integrality"])
        return orig(c, **k)
    lp.milp = milp_relaxed
    try:
        rel = solve(p, mip_rel_gap=S.MIP_REL_GAP_DEFAULT)
    finally:
        lp.milp = orig
    gap_lp = (r.solve["objective_usd"] - rel.objective_usd) / abs(r.solve["objective_usd"])
    base_t, ratio = None, None
    if not quick:
        t1 = time.perf_counter()
        exact = solve(p, mip_rel_gap=0.0, time_limit_s=120.0)
        base_t = time.perf_counter() - t1 + r.solve["build_s"]
        ratio = base_t / t_week
        out.append({"name": "schedule_week_exact_objective_diff_frac",
                    "value": (r.solve["objective_usd"] - exact.objective_usd) / abs(exact.objective_usd),
                    "unit": "-", "target": "<= 1e-3 (the stated MIP gap)", "baseline": "none", "ratio": None})
    out += [
        {"name": "schedule_week_200jobs_15min_solve_s", "value": t_week, "unit": "s", "target": "< 5 s",
         "baseline": "exact MILP (mip_rel_gap=0)" if base_t else "none", "ratio": ratio},
        {"name": "schedule_week_highs_solve_s", "value": r.solve["solve_s"], "unit": "s", "target": "n/a",
         "baseline": "none", "ratio": None},
        {"name": "schedule_week_mip_gap_frac", "value": r.solve["mip_gap"], "unit": "-",
         "target": f"<= {S.MIP_REL_GAP_DEFAULT}", "baseline": "none", "ratio": None},
        {"name": "schedule_week_gap_to_lp_bound_frac", "value": gap_lp, "unit": "-", "target": "report",
         "baseline": "none", "ratio": None},
        {"name": "schedule_week_vars", "value": r.solve["n_vars"], "unit": "vars", "target": "report",
         "baseline": "none", "ratio": None},
        {"name": "schedule_week_binaries", "value": r.solve["n_binaries"], "unit": "binaries", "target": "report",
         "baseline": "none", "ratio": None},
        {"name": "schedule_week_saving_vs_asap_usd", "value": float(r.savings["vs_asap_usd"]), "unit": "USD",
         "target": ">= 0", "baseline": "none", "ratio": None},
    ]
    # ---- one year (4 weeks in quick mode)
    weeks = 4 if quick else 52
    idx, head = _inputs("2025-01-01", weeks, days=None if quick else 365)
    t0 = idx[0] - pd.Timedelta("15min")
    jobs = pd.concat([_week_jobs(t0, w) for w in range(weeks)])
    jobs = jobs[jobs["deadline"] <= idx[-1]]
    tb = time.perf_counter()
    rr = rolling_horizon(jobs, idx, tariff=tariff, headroom_it_kw=head, commit="7D", lookahead="2D",
                         baselines=False, **kw)
    t_year = time.perf_counter() - tb
    tb = time.perf_counter()
    p_full, _ = S.build_problem(jobs, idx, tariff=tariff, headroom_it_kw=head, ratchet_lookahead=False, **kw)
    flex_asap, failed = S.asap(p_full, per_job=False)
    site_asap = pd.Series(1.25 * (10000.0 + flex_asap), index=idx)
    bill_asap = tariff.bill(site_asap)
    t_base = time.perf_counter() - tb
    saving = bill_asap.total_usd - rr.costs.at["optimized", "bill_total_usd"]
    label = "year" if not quick else "4weeks"
    out += [
        {"name": f"schedule_{label}_rolling_wall_s", "value": t_year, "unit": "s",
         "target": "< 120 s" if not quick else "n/a", "baseline": "none", "ratio": None},
        {"name": f"schedule_{label}_windows", "value": len(rr.windows), "unit": "solves", "target": "report",
         "baseline": "none", "ratio": None},
        {"name": f"schedule_{label}_max_window_solve_s", "value": float(rr.windows["solve_s"].max()), "unit": "s",
         "target": "report", "baseline": "none", "ratio": None},
        {"name": f"schedule_{label}_max_window_mip_gap_frac", "value": float(rr.windows["mip_gap"].max()),
         "unit": "-", "target": f"<= {S.MIP_REL_GAP_DEFAULT}", "baseline": "none", "ratio": None},
        {"name": f"schedule_{label}_asap_baseline_and_bill_s", "value": t_base, "unit": "s", "target": "report",
         "baseline": "none", "ratio": None},
        {"name": f"schedule_{label}_billed_saving_vs_asap_usd", "value": float(saving), "unit": "USD",
         "target": ">= 0", "baseline": "none", "ratio": None},
        {"name": f"schedule_{label}_asap_jobs_not_placed", "value": len(failed), "unit": "jobs", "target": "report",
         "baseline": "none", "ratio": None},
        {"name": f"schedule_{label}_jobs_incomplete", "value": int((rr.jobs["energy_done_kwh"]
                                                                   < rr.jobs["energy_kwh"] * (1 - 1e-6)).sum()),
         "unit": "jobs", "target": "0", "baseline": "none", "ratio": None},
    ]
    out += _example_year(quick)
    return out


def _example_year(quick: bool) -> list[dict]:
    """The offpeak notebook's rolling-horizon year, with and without HIGHS_EXTRA_OPTIONS, and
    (full run) its bill against the whole year solved as one MILP."""
    import dcplan.schedule_lp as lp
    from dcplan import power, thermal_plant
    from dcplan import weather as wx
    from dcplan.site import load_portfolio

    spec = load_portfolio("default")["research-triangle-nc"]
    w = wx.load_site_weather(spec)
    design = power.fleet_design_it_kw(spec)
    plant = thermal_plant.plant_hourly(design, w, spec.cooling, design_it_kw=design)
    kw = dict(tariff=Tariff.from_urdb(data_path(spec.tariff.file)),
              cap_kw=1000.0 * sum(ph.mw for ph in spec.interconnection.phases),
              headroom_it_kw=plant["capacity_it_kw"], base_it_kw=0.5 * design, pue=plant["pue"])
    weeks = 8 if quick else 52
    y0 = w.index[0] - pd.Timedelta("1h")
    ydx = w.index[: weeks * 7 * 24]
    tb = time.perf_counter()
    # whole accelerators of the site fleet's kW, as the notebook's mixes (dcplan.schedule_setup)
    from dcplan.schedule_setup import site_kw_per_accelerator
    kwa = site_kw_per_accelerator(spec)
    jobs = pd.concat([S.generate_jobs(y0 + pd.Timedelta(days=7 * k), 7, n_jobs=200, n_nonpreemptible=20,
                                      flex_kw=0.5 * design, utilisation_frac=0.6, kw_per_accelerator=kwa, step="1h",
                                      seed=1000 + k, prefix=f"w{k:02d}-") for k in range(weeks)])
    t_gen = time.perf_counter() - tb
    jobs = jobs[jobs["deadline"] <= ydx[-1]]
    import dcplan.schedule_rolling as R
    build_s = []  # Solution.build_s of each window: building the model, before HiGHS

    def solve_timed(p, **k):
        sol = lp.solve(p, **k)
        build_s.append(sol.build_s)
        return sol
    old = os.environ.get("DCPLAN_THREADS")
    os.environ["DCPLAN_THREADS"] = "1"  # the windows alone, baselines after them
    try:
        # warm-up (first-call costs: imports, caches), untimed
        rolling_horizon(jobs[jobs["deadline"] <= ydx[7 * 24 - 1]], ydx[:7 * 24], commit="7D", lookahead="2D",
                        baselines=False, **kw)
        # interleaved, best of two each: the host's speed drifts within a minute
        times, saving, rolled = {"ours": np.inf, "defaults": np.inf}, {}, None
        for label, extra in (("ours", lp.HIGHS_EXTRA_OPTIONS), ("defaults", {})) * 2:
            orig, lp.HIGHS_EXTRA_OPTIONS = lp.HIGHS_EXTRA_OPTIONS, extra
            build_s.clear()
            R.solve = solve_timed  # counts the model-building part of each window (a list append)
            try:
                tb = time.perf_counter()
                r = rolling_horizon(jobs, ydx, commit="7D", lookahead="2D", **kw)
                times[label] = min(times[label], time.perf_counter() - tb)
                saving[label] = r.annual_savings_usd
                rolled = r if label == "ours" else rolled
            finally:
                lp.HIGHS_EXTRA_OPTIONS = orig
                R.solve = lp.solve
    finally:
        if old is None:
            os.environ.pop("DCPLAN_THREADS", None)
        else:
            os.environ["DCPLAN_THREADS"] = old
    # the two list-scheduler baselines of that year: compiled kernel vs the Python reference
    from dcplan import schedule_baselines as B
    pf, _ = S.build_problem(jobs, ydx, ratchet_lookahead=False, **kw)
    B.asap(pf, per_job=False)  # load (or compile) the kernel, untimed
    tb = time.perf_counter()
    B.asap(pf, per_job=False)
    B.greedy(pf, per_job=False)
    t_fast = time.perf_counter() - tb
    tb = time.perf_counter()
    # with the same repair passes as asap / greedy (schedule_baselines._repair)
    B._repair(lambda o: B._place(pf, o, B._asap_choose(pf), True, False), B._asap_order(pf), pf.names)
    B._repair(lambda o: B._place(pf, o, B._greedy_choose(pf), True, False), B._greedy_order(pf), pf.names)
    t_py = time.perf_counter() - tb
    label = f"{weeks}weeks"
    # quality: the same year solved at once (one MILP, all jobs and months: about 20 s), the
    # rolling horizon's bill over it
    quality = []
    if not quick:
        tb = time.perf_counter()
        full = S.optimize(jobs, ydx, time_limit_s=600, **kw)
        t_full = time.perf_counter() - tb
        best = float(full.costs.at["optimized", "bill_total_usd"])
        quality = [
            {"name": f"schedule_example_rtp_{label}_rolling_over_full_optimum_frac",
             "value": float(rolled.costs.at["optimized", "bill_total_usd"]) / best - 1.0, "unit": "-",
             "target": "<= 0.005 (rolling bill within 0.5 % of the whole-year MILP's)",
             "baseline": f"optimize over the whole year (MIP gap {full.solve['mip_gap']:.1e})", "ratio": None},
            {"name": f"schedule_example_rtp_{label}_full_year_milp_s", "value": t_full, "unit": "s",
             "target": "report (the reference above)", "baseline": "none", "ratio": None},
        ]
    return quality + [
        {"name": f"schedule_example_rtp_{label}_baselines_s", "value": t_fast, "unit": "s",
         "target": "report", "baseline": "plain-Python list scheduler (schedule_baselines._place)",
         "ratio": t_py / t_fast},
        {"name": f"schedule_example_rtp_{label}_hourly_wall_s", "value": times["ours"], "unit": "s",
         "target": "report (the offpeak notebook's critical path)",
         "baseline": "HiGHS defaults (feasibility jump and presolve on)",
         "ratio": times["defaults"] / times["ours"]},
        {"name": f"schedule_example_rtp_{label}_saving_diff_usd", "value": saving["ours"] - saving["defaults"],
         "unit": "USD", "target": "report (schedules of the same MIP gap)", "baseline": "none", "ratio": None},
        {"name": f"schedule_example_rtp_{label}_saving_diff_over_bill_frac",
         "value": abs(saving["ours"] - saving["defaults"]) / float(rolled.costs.at["optimized", "bill_total_usd"]),
         "unit": "-", "target": "<= 1e-3 (the MIP gap asked of each window)", "baseline": "none", "ratio": None},
        {"name": f"schedule_example_rtp_{label}_job_generation_s", "value": t_gen, "unit": "s",
         "target": "report (before the year starts, on the critical path)", "baseline": "none", "ratio": None},
        {"name": f"schedule_example_rtp_{label}_model_build_s", "value": float(np.sum(build_s)), "unit": "s",
         "target": "report (all windows; the rest is HiGHS and billing)", "baseline": "none", "ratio": None},
    ]
