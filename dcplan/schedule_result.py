"""The result of :func:`dcplan.schedule.optimize` (part of :mod:`dcplan.schedule`, which re-exports it).

* :class:`ScheduleResult`: the optimized schedule, its load stack, each strategy's modelled and billed costs,
  the jobs' start and finish, the solve's facts, and the billed savings against the two baselines
  (:attr:`ScheduleResult.savings`, :attr:`ScheduleResult.demand_by_charge`, :attr:`ScheduleResult.not_comparable`);
* :func:`_result`: assembles it from a solved :class:`~dcplan.schedule_lp.Solution`: runs the run-ASAP and greedy
  baselines (:mod:`dcplan.schedule_baselines`) on the same problem, keeps a baseline that places every job at a lower
  objective than a MIP stopped at its gap, and bills every strategy's grid import after PV with
  :meth:`dcplan.tariff.Tariff.bill`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .schedule_baselines import _objective, asap, evaluate, greedy, unequal_work
from .schedule_demand import billed_demand_kw, compare_demand_charges, peaks_in
from .schedule_lp import Problem, Solution, delay_usd
from .schedule_pv import grid_import_kw

__all__ = ["ScheduleResult"]


@dataclass
class ScheduleResult:
    """Output of :func:`~dcplan.schedule.optimize`.

    Attributes
    ----------
    schedule : pandas.DataFrame
        IT kW per job (columns) and interval (index). [kW]
    load : pandas.DataFrame
        Load stack: ``base_it_kw`` (must-run IT asked), ``flex_it_kw``, ``it_kw`` (the IT asked: both),
        ``headroom_it_kw``, ``throttle_it_kw`` (IT above the headroom, throttled), ``drawn_it_kw`` (the IT the
        site draws: ``it_kw`` less the must-run the plant cannot cool, ``max(0, base - headroom)``, which draws
        nothing; in hard mode with no committed load above the headroom ``it_kw - throttle_it_kw``; flexible IT above
        a soft headroom is drawn, as billed),
        ``site_kw`` (``pue x drawn_it_kw``), ``cap_kw``, ``price_usd_per_kwh``, plus
        ``site_kw_asap`` and ``site_kw_greedy`` (of their drawn IT); ``pv_kw`` (0 without PV) and the grid
        import after it, ``grid_import_kw`` (= ``site_kw`` without PV), ``grid_import_kw_asap``,
        ``grid_import_kw_greedy``: what each strategy is billed for. [kW, $/kWh]
    costs : pandas.DataFrame
        One row per strategy (``optimized``, ``greedy``, ``asap``): modelled components
        (``energy_usd``, ``demand_usd``, ``carbon_usd``, ``throttle_usd``,
        ``fourcp_next_year_usd``, ``ratchet_future_usd``, ``objective_usd``), the
        billed ones from :meth:`Tariff.bill` (``bill_energy_usd``, ``bill_demand_usd``,
        ``bill_fixed_usd``, ``bill_total_usd``; of the grid import), ``billed_demand_kw`` (the
        demand the tariff bills where one figure says it, :func:`~dcplan.schedule_demand.billed_demand_kw`: that of
        its one priced demand charge on the site's own peak; NaN without a tariff, and when several are
        priced: :attr:`demand_by_charge` gives each), ``peak_site_kw`` (highest site load, all hours, before PV),
        ``peak_grid_kw`` (highest grid import, after PV, all hours),
        ``over_headroom_it_kwh`` and ``over_headroom_intervals`` (throttling risk),
        ``jobs_not_placed``. [USD, kW, kWh]
    jobs : pandas.DataFrame
        Job table with ``start`` (first interval start), ``finish`` (last interval end)
        and ``energy_done_kwh``.
    solve : dict
        ``status``, ``message``, ``solve_s``, ``build_s``, ``mip_rel_gap`` (asked),
        ``mip_gap`` (achieved), ``objective_usd``, ``bound_usd``, ``n_vars``,
        ``n_binaries``, ``n_rows``, ``source`` (which schedule was kept), ``time_limit_s``, ``solve_name``,
        ``proven`` (HiGHS proved the schedule within the gap asked: :func:`dcplan.schedule_solve.proven`),
        ``over_headroom_it_kwh_unaware`` and ``jobs_not_placed_unaware`` (the thermal-unaware
        ASAP of :attr:`savings`).
    lp_components : dict
        Objective components read from the LP variables. [USD]
    problem : dcplan.schedule_lp.Problem
        The problem solved.
    bills : dict
        :class:`~dcplan.tariff_bill.Bill` per strategy (empty without a tariff).
    tariff : dcplan.tariff.Tariff or None
        The tariff that billed them.
    x : numpy.ndarray or None
        The MILP's column values as HiGHS solved it: the ``start`` of :func:`~dcplan.schedule.optimize` for
        another week of the same jobs and index (other prices).
    """

    schedule: pd.DataFrame
    load: pd.DataFrame
    costs: pd.DataFrame
    jobs: pd.DataFrame
    solve: dict
    lp_components: dict
    problem: Problem
    bills: dict
    tariff: object = None
    x: np.ndarray | None = field(default=None, repr=False)

    @property
    def demand_by_charge(self) -> pd.DataFrame:
        """Each priced demand charge: the demand each strategy's bill charges and what the optimized
        schedule saves on it against run-ASAP (:func:`dcplan.schedule_demand.compare_demand_charges`:
        ``<strategy>_kw``, ``<strategy>_usd``, ``reduction_kw``, ``saving_usd``, NaN where run-ASAP
        left jobs unplaced, :attr:`not_comparable`); the ``saving_usd`` sum to
        ``savings["vs_asap_demand_usd"]``. Empty without a tariff. [kW, USD]"""
        return compare_demand_charges(self.bills, self.tariff,
                                      not_comparable=self.not_comparable.get("vs_asap_demand_usd"))

    @property
    def savings(self) -> pd.Series:
        """Billed savings of the optimized schedule vs each baseline, like for like. [USD, kW, kWh]

        ``vs_asap_usd``, ``vs_greedy_usd``: baseline bill minus optimized bill (whole bills:
        the demand charges of every month the index touches are whole-month charges, so over a
        week they are the month's); ``vs_asap_energy_usd``, ``vs_asap_demand_usd``: the energy
        and the demand-charge parts of ``vs_asap_usd`` (``bill_energy_usd``,
        ``bill_demand_usd``; the rest, fixed and minimum charges, is usually 0);
        ``billed_demand_reduction_kw``: ASAP's billed demand minus the optimized one's
        (``costs.billed_demand_kw``: the grid import after PV in the hours the tariff's one priced
        demand charge measures, as the bill measures it; NaN without a tariff, and under a tariff
        with several priced demand charges, whose reductions :attr:`demand_by_charge` gives one by
        one);
        ``peak_reduction_kw``: ASAP's *site* peak (all hours, before on-site PV) minus the
        optimized one's, which a tariff billing demand only in some hours, or on the import
        after PV, does not bill; ``throttle_risk_avoided_it_kwh``: IT energy above the
        headroom of a thermal-unaware ASAP minus the optimized one's. Each is a comparison of
        the same work: where the baseline left jobs unplaced (``costs.jobs_not_placed`` > 0, or
        ``solve["jobs_not_placed_unaware"]``), its figure is NaN and :attr:`not_comparable`
        says why (the baselines first repair their order so as to place every job:
        :func:`dcplan.schedule_baselines.greedy`).
        """
        c = self.costs
        opt = c.loc["optimized"]
        out = pd.Series({"vs_asap_usd": c.at["asap", "bill_total_usd"] - opt["bill_total_usd"],
                         "vs_asap_energy_usd": c.at["asap", "bill_energy_usd"] - opt["bill_energy_usd"],
                         "vs_asap_demand_usd": c.at["asap", "bill_demand_usd"] - opt["bill_demand_usd"],
                         "vs_greedy_usd": c.at["greedy", "bill_total_usd"] - opt["bill_total_usd"],
                         "billed_demand_reduction_kw": c.at["asap", "billed_demand_kw"] - opt["billed_demand_kw"],
                         "peak_reduction_kw": c.at["asap", "peak_site_kw"] - opt["peak_site_kw"],
                         "throttle_risk_avoided_it_kwh": self.solve["over_headroom_it_kwh_unaware"]
                         - opt["over_headroom_it_kwh"]}, name="savings", dtype=float)
        out[list(self.not_comparable)] = np.nan
        return out

    @property
    def not_comparable(self) -> dict:
        """Why a figure of :attr:`savings` is NaN: ``{savings key: reason}``; empty when every
        baseline placed every job (the usual case)."""
        why = unequal_work(self.costs, len(self.problem.names))
        out = {}
        if "asap" in why:
            out.update({k: why["asap"] for k in ("vs_asap_usd", "vs_asap_energy_usd", "vs_asap_demand_usd",
                                                 "billed_demand_reduction_kw", "peak_reduction_kw")})
        if "greedy" in why:
            out["vs_greedy_usd"] = why["greedy"]
        n = int(self.solve.get("jobs_not_placed_unaware", 0))
        if n:
            out["throttle_risk_avoided_it_kwh"] = (
                f"the thermal-unaware ASAP left {n:,} of {len(self.problem.names):,} jobs unplaced under the "
                "site limits: its over-headroom energy is not for the same work, so none is given")
        return out


def _result(p, jf, sol: Solution, tariff, prior_peaks_kw, mip_rel_gap, coincident_peaks=None) -> ScheduleResult:
    idx = p.index
    strategies = {"optimized": (sol.job_kw, [])}
    strategies["greedy"] = greedy(p)
    strategies["asap"] = asap(p)
    unaware, unaware_failed = asap(p, respect_headroom=False)
    costs, bills = {}, {}
    comps = {}
    for k, (jk, failed) in strategies.items():
        flex = jk.sum(axis=0)
        if k == "optimized":
            c = dict(sol.components)
            thr = sol.throttle_kw
        else:
            c = evaluate(p, flex)
            # the same delay cost as the model's objective, so the comparison below is fair
            c["delay_usd"] = delay_usd(p, jk)
            thr = None
        c["objective_usd"] = _objective(c)
        c["jobs_not_placed"] = len(failed)
        comps[k] = (c, flex, thr)
    # never worse than a baseline that places every job (guards against a MIP stopped at its gap)
    source = "milp"
    for k in ("greedy", "asap"):
        c, flex, _ = comps[k]
        site = p.pue * (p.drawn_base_it_kw + p.fixed_it_kw + flex)
        ramp_ok = p.ramp_kw is None or np.abs(np.diff(site)).max(initial=0.0) <= p.ramp_kw * (1 + 1e-9)
        if ramp_ok and c["jobs_not_placed"] == 0 and \
                c["objective_usd"] < comps["optimized"][0]["objective_usd"] - 1e-6:
            comps["optimized"] = (dict(c, jobs_not_placed=0), flex, None)
            strategies["optimized"] = strategies[k]
            source = k
    peaks = peaks_in(coincident_peaks, idx)  # the system peaks in the index (coincident-peak charges)
    grid = {}  # grid import of each strategy: the site load after on-site PV, never below zero
    for k, (c, flex, thr) in comps.items():
        it = p.base_it_kw + p.fixed_it_kw + flex
        site = p.pue * (it - p.throttled_base_it_kw)  # the IT drawn: the must-run the plant cannot cool draws nothing
        grid[k] = grid_import_kw(site, p.pv_kw)
        over = np.zeros(len(idx)) if p.headroom_it_kw is None else np.maximum(it - p.headroom_it_kw, 0.0)
        c["peak_site_kw"] = float(site.max())
        c["peak_grid_kw"] = float(grid[k].max())
        c["over_headroom_it_kwh"] = float(over.sum() * p.step_h)
        c["over_headroom_intervals"] = int((over > 1e-6).sum())
        if tariff is not None:
            b = tariff.bill(pd.Series(grid[k], index=idx), prior_peaks_kw=prior_peaks_kw, coincident_peaks=peaks,
                            stamps="end")
            bills[k] = b
            c.update(bill_energy_usd=b.energy_usd, bill_demand_usd=b.demand_usd, bill_fixed_usd=b.fixed_usd,
                     bill_total_usd=b.total_usd, billed_demand_kw=billed_demand_kw(b))
        else:
            c.update(bill_energy_usd=c["energy_usd"], bill_demand_usd=c["demand_usd"], bill_fixed_usd=0.0,
                     bill_total_usd=c["energy_usd"] + c["demand_usd"], billed_demand_kw=np.nan)
        costs[k] = c
    jk = strategies["optimized"][0]
    flex = jk.sum(axis=0)
    it = p.base_it_kw + p.fixed_it_kw + flex
    thr = sol.throttle_kw if source == "milp" else (
        np.zeros(len(idx)) if p.headroom_it_kw is None else np.maximum(it - p.headroom_it_kw, 0.0))
    drawn = p.drawn_base_it_kw + p.fixed_it_kw  # the IT the site draws, but for the jobs
    load = pd.DataFrame({"base_it_kw": p.base_it_kw, "flex_it_kw": flex, "it_kw": it, "drawn_it_kw": drawn + flex,
                         "site_kw": p.pue * (drawn + flex),
                         "cap_kw": (p.flex_ub_kw + p.base_it_kw) * p.pue,
                         "headroom_it_kw": np.nan if p.headroom_it_kw is None else p.headroom_it_kw,
                         "throttle_it_kw": thr, "price_usd_per_kwh": p.energy_usd_per_kwh,
                         "site_kw_asap": p.pue * (drawn + strategies["asap"][0].sum(axis=0)),
                         "site_kw_greedy": p.pue * (drawn + strategies["greedy"][0].sum(axis=0)),
                         "pv_kw": 0.0 if p.pv_kw is None else p.pv_kw, "grid_import_kw": grid["optimized"],
                         "grid_import_kw_asap": grid["asap"], "grid_import_kw_greedy": grid["greedy"]}, index=idx)
    sched = pd.DataFrame(jk.T, index=idx, columns=p.names)
    on = jk > 1e-9
    starts = idx - pd.Timedelta(hours=p.step_h)
    first = np.where(on.any(axis=1), on.argmax(axis=1), -1)
    last = np.where(on.any(axis=1), len(idx) - 1 - on[:, ::-1].argmax(axis=1), -1)
    jobs_out = jf.copy()
    jobs_out["start"] = [starts[f] if f >= 0 else pd.NaT for f in first]
    jobs_out["finish"] = [idx[t] if t >= 0 else pd.NaT for t in last]
    jobs_out["energy_done_kwh"] = jk.sum(axis=1) * p.step_h
    over_unaware = p.base_it_kw + p.fixed_it_kw + unaware.sum(axis=0)
    over_unaware = 0.0 if p.headroom_it_kw is None else float(
        np.maximum(over_unaware - p.headroom_it_kw, 0.0).sum() * p.step_h)
    info = {"status": sol.status, "message": sol.message, "solve_s": sol.solve_s, "build_s": sol.build_s,
            "mip_rel_gap": mip_rel_gap, "mip_gap": sol.mip_gap, "objective_usd": sol.objective_usd,
            "bound_usd": sol.bound_usd, "n_vars": sol.n_vars, "n_binaries": sol.n_binaries,
            "n_rows": sol.n_rows, "source": source, "over_headroom_it_kwh_unaware": over_unaware,
            "jobs_not_placed_unaware": len(unaware_failed)}
    return ScheduleResult(sched, load, pd.DataFrame(costs).T[list(costs["optimized"])], jobs_out, info,
                          dict(sol.components), p, bills, tariff, sol.x)
