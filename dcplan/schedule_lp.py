"""Model build and solve for :mod:`dcplan.schedule` (HiGHS as ``scipy.optimize.milp`` runs it: :mod:`.schedule_highs`).

:func:`solve` assembles the sparse MILP of a :class:`Problem` (below), runs HiGHS on it and
decodes the solution: per-job kW, starts, deferred work and the objective by component. The
model's data types (:class:`Problem`, :class:`DemandCharge`, :class:`Tail`, :class:`Solution`)
are in :mod:`dcplan.schedule_lp_types`; the column and row builders it is assembled from (job
columns, demand tiers, the rolling-horizon tail), the demand averaging rows
(:func:`demand_rows`) and the delay cost (:func:`delay_usd`) in :mod:`dcplan.schedule_lp_rows`.
Every name of both is re-exported here.

The formulation (all sums over the intervals ``t`` of the horizon, ``dt`` hours each):

* flexible IT load ``f_t = sum_j y_jt + sum_j P'_j sum_{s<=t<s+n_j} x_js`` (one
  equality row per interval, so every other constraint refers to ``f_t`` only);
* site load ``site_t = pue_t (base_t - e_t + fixed_t + f_t)``, ``e_t = max(0, base_t - H_t)`` the
  must-run IT the plant cannot cool (:attr:`Problem.throttled_base_it_kw`: throttled away, it draws
  nothing); grid import ``imp_t = site_t``, or with on-site PV (``Problem.pv_kw``, behind the
  meter, no export credit) ``imp_t >= site_t - pv_t``, ``imp_t >= 0`` (a column only where the PV
  exceeds the load already there; elsewhere ``imp_t = site_t - pv_t``; :mod:`dcplan.schedule_pv`): with import
  prices >= 0 the optimum has ``imp_t = max(0, site_t - pv_t)``, as billed;
* preemptible job ``j``: ``0 <= y_jb <= P_j`` per block ``b`` (one interval, or
  ``min_run_h`` rounded up to whole intervals when given: the power may change only at
  block boundaries) and
  ``sum_b y_jb len_b dt = E_j``;
* non-preemptible job: binaries ``x_js`` over feasible starts, ``sum_s x_js = 1``; it
  runs ``n_j = ceil(E_j / (P_j dt))`` intervals at ``P'_j = E_j / (n_j dt)``;
* cap, curtailment and 4CP-window limits are upper bounds on ``f_t``; thermal headroom
  in ``"hard"`` mode too (``f_t <= max(0, H_t - base_t - fixed_t)``; the must-run
  excess ``max(0, base_t + fixed_t - H_t)`` is throttled and priced), in ``"soft"``
  mode a row ``base_t + fixed_t + f_t - thr_t <= H_t`` with ``thr_t >= 0`` (throttled
  IT kW) priced at the throttling penalty; the site load leaves out only the must-run
  ``e_t`` (a constant), never ``thr_t``: a load that fell with ``thr_t`` would let the LP
  throttle work merely to shave a demand peak, so flexible IT above a soft headroom is
  billed as it runs;
* demand charge ``c`` (flat or TOU period) in month ``m``: peak ``D_cm >= w_r(imp)``
  for every demand row ``r`` of the month that counts for ``c`` (``w_r`` the interval
  average, or the clock-aligned block / rolling average over the tariff's demand
  window), ``D_cm >=`` the peak already set in the month (rolling horizon); billing
  demand ``B_cm >= D_cm``, ``>= floor`` (contract demand), ``>= frac x D_ck`` for the
  ratchet months ``k``, ``>= frac x`` known earlier peaks; cost ``sum_k rate_mk b_cmk``
  over demand tiers ``b`` (``0 <= b_cmk <= w_k``, ``sum_k b_cmk = B_cm``): with nondecreasing
  tier rates the LP fills them in order exactly as the bill does; a month whose rates decline
  (a concave charge) gets a binary per breakpoint, ``b_cmk >= w_k z_cmk`` and ``b_cm,k+1 <= W_k+1
  z_cmk`` (``W`` the next width, or for the open last tier a bound on the billing demand,
  :func:`~dcplan.schedule_lp_rows.billing_kw_bound`), so it fills them in order too;
* ratchet memory: months after the horizon within the look-back get ``F_cm >= frac x
  D_ck`` and ``F_cm >=`` a forecast floor, priced at their rate, so the optimizer sees
  that a peak now raises the next 11 months' billing demand;
* ramp limit: ``|site_t - site_{t-1}| <= R`` (the site load: with PV not the import, whose
  changes the sun makes too; so are the cap, curtailments and thermal headroom);
* rolling horizon (:class:`Tail`): the work deferred past the window (of preemptible jobs,
  and the run of an optional non-preemptible job left unstarted) and the jobs released
  later land after it, in an LP relaxation priced at its energy and the demand peaks it
  sets there (formulation: :mod:`dcplan.schedule_lp_rows`).

Objective: ``sum_t (price_t + carbon_t) imp_t dt + 4CP_t imp_t + pen thr_t dt +
demand + delay`` (less the constant import of the load already there). At the optimum
``B_cm`` equals the bill's billing demand, so the
demand part equals :meth:`dcplan.tariff.Tariff.bill` 's demand charges for the
horizon's months (``tests/test_schedule.py`` checks it).
"""
from __future__ import annotations

import time
import warnings

import numpy as np
from scipy.optimize import Bounds, LinearConstraint

from .schedule_highs import milp  # scipy.optimize.milp's solve, without the work on its result it discards

# the data types and the column/row builders live in their own modules; every name is re-exported here
from .schedule_lp_rows import (TAIL_SHORT_USD_PER_KWH, TAIL_TIE_BREAK_USD_PER_KWH,  # noqa: F401  (re-exported)
                               _Builder, _column, _first_block, _job_columns, _JobColumns, _segments,
                               _tail_rows, _tier_cost, billing_kw_bound, delay_usd, demand_rows, tier_split)
from .schedule_lp_types import DemandCharge, Problem, Solution, Tail
from .schedule_pv import grid_import_kw, import_terms, pv_surplus

__all__ = ["DemandCharge", "Problem", "Solution", "Tail", "solve", "demand_rows", "delay_usd"]

#: HiGHS options passed through ``scipy.optimize.milp`` beyond its own five. HiGHS's
#: feasibility-jump heuristic (HiGHS >= 1.10) runs before the root LP; on these models the
#: root LP is (nearly) integral and the heuristic's first incumbent is far off (a week
#: window: 129 k$ against the 82 k$ optimum), so it only costs time. Measured
#: (``benchmarks/bench_schedule.py``): the example's hourly rolling-horizon year runs
#: 1.24-1.5x faster in wall time, the 15-min benchmark year's HiGHS time is 10 % less, with
#: the same schedules. The MIP gap and every optimality test are HiGHS's own, unchanged. scipy passes unknown
#: options to HiGHS verbatim with a RuntimeWarning (and an older HiGHS ignores one it does
#: not know with an OptimizeWarning); both name the option and are silenced below.
#: ``presolve`` off (scipy's own option, set here so the benchmark's "HiGHS defaults" run
#: keeps it on): HiGHS's MIP presolve spends seconds on these models and the solves after it
#: take longer, not shorter. Measured on the offpeak notebook's own solves (the week, its 7
#: sensitivity cases and 52 hourly rolling windows per site, each solved alone, 2026-12-05):
#: HiGHS time over the four example sites 56.1 s with presolve, 34.9 s without (Research
#: Triangle 22.1 -> 8.8 s: its week 7.5 -> 0.5 s). The 15-min benchmark year (``bench_schedule``,
#: 30 s per window, idle): 128.8 s with presolve, 120.4 s without, but one window of 53 then
#: stops at the 30 s limit at a 0.199 % gap, which presolve proved within 0.1 % in 29.3 s (the
#: year's saving 397 USD lower, 8e-5 of it; a solve stopped at its limit is warned of). The
#: notebook's schedules are optimal within the same MIP gap; objectives moved by at most 9.4e-4
#: of the window's (within the 1e-3 gap asked). Since the tail's tie-break is priced on its load
#: (dcplan.schedule_lp_rows), that year runs 112.3 s (2026-12-06), the same window still unproven.
HIGHS_EXTRA_OPTIONS = {"mip_heuristic_run_feasibility_jump": False, "presolve": False}
_EXTRA_OPTION_WARNING = r"Unrecognized options detected: \{'mip_heuristic_run_feasibility_jump'"


def _quiet_extra_option_warning() -> None:
    """Put the filter for :data:`HIGHS_EXTRA_OPTIONS`' warning first in ``warnings.filters``.

    Checked at each solve, not set once at import: a caller's ``warnings.catch_warnings()``
    (pytest's per-test one too) drops filters added inside it, and a later
    ``simplefilter("error")`` would shadow it. Only when it is not already first is it
    (re-)inserted, so other warnings' once-per-location registries are not reset per solve.
    """
    f = warnings.filters[0] if warnings.filters else None
    if not (f and f[0] == "ignore" and f[1] is not None and f[1].pattern == _EXTRA_OPTION_WARNING
            and f[2] is Warning):
        warnings.filterwarnings("ignore", message=_EXTRA_OPTION_WARNING, category=Warning)


def solve(p: Problem, *, mip_rel_gap: float = 1e-3, time_limit_s: float = 60.0,
          np_reward_usd_per_kwh: float = 0.0, unserved_usd_per_kwh: float = 0.0,
          ramp_excess_usd_per_kw: float = 0.0, lp_start=None) -> Solution:
    """Build the sparse MILP of ``p`` and solve it with HiGHS (``scipy.optimize.milp``, :mod:`.schedule_highs`).

    ``np_reward_usd_per_kwh`` (elastic infeasibility check only) rewards starting an
    optional non-preemptible job, per kWh it runs. ``unserved_usd_per_kwh`` > 0 lets every
    job leave work unserved at that price per kWh (a preemptible job's energy, a
    non-preemptible job's whole run): ``Solution.unserved_kwh``. ``ramp_excess_usd_per_kw`` > 0
    lets the site's change between intervals exceed the ramp limit at that price per kW of
    excess (rolling horizon: a curtailment announced too late to ramp down to it):
    ``Solution.ramp_excess_kw``. ``lp_start``: the column values of a solved model of the same columns
    (``Solution.x``), from which HiGHS first solves the LP relaxation (:func:`dcplan.schedule_highs.milp`).
    """
    tb = time.perf_counter()
    n, dt = len(p.index), p.step_h
    bld = _Builder()
    site_coef = (p.energy_usd_per_kwh + p.carbon_usd_per_kwh) * p.pue * dt + p.fourcp_usd_per_kw * p.pue
    const_it = p.base_it_kw + p.fixed_it_kw
    const_draw = p.drawn_base_it_kw + p.fixed_it_kw  # the must-run the plant cannot cool draws nothing
    flex_ub = np.maximum(p.flex_ub_kw - p.fixed_it_kw, 0.0)
    hard_excess = None
    if p.headroom_it_kw is not None and p.headroom_mode == "hard":
        # hard headroom is a bound on the flexible load; only the must-run excess is throttled
        flex_ub = np.minimum(flex_ub, np.maximum(p.headroom_it_kw - const_it, 0.0))
        hard_excess = np.maximum(const_it - p.headroom_it_kw, 0.0)
    pv = p.pv_kw  # on-site PV: where it exceeds the load already there, the energy is priced on the import (below)
    over = pv_surplus(pv, p.pue * const_draw)
    fv = bld.var(n, c=site_coef if pv is None else np.where(over, 0.0, site_coef), lb=0.0, ub=flex_ub)
    # jobs: their columns in job order, built for all jobs at once (per job as in the module
    # docstring: a preemptible job's blocks, a non-preemptible job's feasible starts)
    J = len(p.names)
    jc = _job_columns(p, dt, np_reward_usd_per_kwh)
    jv = bld.var(len(jc.c), jc.c, 0.0, jc.ub, jc.integer)
    ecol = jv[jc.entry_col]  # balance entries: -kW of a job's column in each interval it covers
    bal = (np.r_[np.arange(n), jc.entry_t], np.r_[fv, ecol], np.r_[np.ones(n), jc.entry_kw])
    bld.rows_add(*bal, 0.0, 0.0, n)
    # energy rows (preemptible), with deferral variables in the rolling horizon
    pre = np.flatnonzero(p.preemptible)
    defer = un_pre = un_np = ramp_x = None
    if len(pre):
        pos = -np.ones(J, np.int64)
        pos[pre] = np.arange(len(pre))
        pc = jc.preemptible
        r = [pos[jc.job[pc]]]
        c = [jv[pc]]
        v = [jc.length[pc] * dt]
        if p.terminal_usd_per_kwh is not None:
            span = p.energy_hi_kwh[pre] - p.energy_lo_kwh[pre]
            defer = bld.var(len(pre), c=p.terminal_usd_per_kwh[pre], lb=0.0, ub=np.maximum(span, 0.0))
            r.append(np.arange(len(pre)))
            c.append(defer)
            v.append(np.ones(len(pre)))
            lo = hi = p.energy_hi_kwh[pre]
        else:
            lo, hi = p.energy_lo_kwh[pre], p.energy_hi_kwh[pre]
        if unserved_usd_per_kwh > 0:
            un_pre = bld.var(len(pre), c=unserved_usd_per_kwh, lb=0.0, ub=np.maximum(p.energy_hi_kwh[pre], 0.0))
            r.append(np.arange(len(pre)))
            c.append(un_pre)
            v.append(np.ones(len(pre)))
        bld.rows_add(np.concatenate(r), np.concatenate(c), np.concatenate(v), lo, hi, len(pre))
    npj = np.flatnonzero(~p.preemptible)
    np_defer = None
    if len(npj):
        pos = -np.ones(J, np.int64)
        pos[npj] = np.arange(len(npj))
        lo = np.where(p.np_optional[npj], 0.0, 1.0)
        xc = ~jc.preemptible
        r, c = [pos[jc.job[xc]]], [jv[xc]]
        if p.terminal_usd_per_kwh is not None:
            # an optional job left unstarted pays its run's energy at the terminal price (the
            # elastic check's penalty for unserved work); in the rolling horizon its run lands
            # in the tail instead, where energy and peak are priced, so starting it now is
            # weighed against waiting, as deferring a preemptible job's energy is
            opt = npj[p.np_optional[npj] & ((p.terminal_usd_per_kwh[npj] > 0) | (p.tail is not None))]
            if len(opt):
                e_kwh = np.asarray(p.run_kw, float)[opt] * np.asarray(p.n_run, float)[opt] * dt
                np_defer = (opt, e_kwh, bld.var(len(opt), c=p.terminal_usd_per_kwh[opt] * e_kwh, lb=0.0, ub=1.0))
                r.append(pos[opt])
                c.append(np_defer[2])
                lo[pos[opt]] = 1.0   # started here, or deferred (terminal price, or the tail)
        if unserved_usd_per_kwh > 0:  # or not run at all, at the price of its run's energy
            e_run = np.asarray(p.run_kw, float)[npj] * np.asarray(p.n_run, float)[npj] * dt
            un_np = bld.var(len(npj), c=unserved_usd_per_kwh * e_run, lb=0.0, ub=1.0)
            r.append(np.arange(len(npj)))
            c.append(un_np)
        n_e = sum(map(len, r))
        bld.rows_add(np.concatenate(r), np.concatenate(c), np.ones(n_e), lo, 1.0, len(npj))
    # thermal headroom
    thr = None
    if p.headroom_it_kw is not None and hard_excess is None:
        thr = bld.var(n, c=p.throttle_usd_per_kwh * dt, lb=0.0, ub=np.inf)
        bld.rows_add(np.r_[np.arange(n), np.arange(n)], np.r_[fv, thr], np.r_[np.ones(n), -np.ones(n)],
                     -np.inf, p.headroom_it_kw - const_it, n)
    # ramp limit on site kW
    if p.ramp_kw is not None and n > 1:
        r = np.r_[np.arange(n - 1), np.arange(n - 1)]
        c = np.r_[fv[1:], fv[:-1]]
        v = np.r_[p.pue[1:], -p.pue[:-1]]
        k = p.pue * const_draw
        lo, hi = -p.ramp_kw - (k[1:] - k[:-1]), p.ramp_kw - (k[1:] - k[:-1])
        if ramp_excess_usd_per_kw > 0:  # |change| <= limit + excess, the excess priced
            ramp_x = bld.var(n - 1, c=ramp_excess_usd_per_kw, lb=0.0)
            m = np.arange(n - 1)
            bld.rows_add(np.r_[r, m], np.r_[c, ramp_x], np.r_[v, np.ones(n - 1)], lo, np.inf, n - 1)
            bld.rows_add(np.r_[r, m], np.r_[c, ramp_x], np.r_[v, -np.ones(n - 1)], -np.inf, hi, n - 1)
        else:
            bld.rows_add(r, c, v, lo, hi, n - 1)
    # grid import after on-site PV (dcplan.schedule_pv): energy, carbon and 4CP are priced on it
    # where the PV exceeds the load already there, and every demand row measures it
    if pv is None:
        icol = fv
        a_pue = p.demand_a.multiply(p.pue[None, :]).tocsr()
        const_rows = a_pue @ const_draw
    else:
        icol, icoef, iconst = import_terms(bld, fv, p.pue, p.pue * const_draw, pv,
                                              (p.energy_usd_per_kwh + p.carbon_usd_per_kwh) * dt
                                              + p.fourcp_usd_per_kw)
        a_pue = p.demand_a.multiply(icoef[None, :]).tocsr()
        const_rows = p.demand_a @ iconst
    # demand charges
    months = p.months
    m_of = {int(a): i for i, a in enumerate(months)}
    dvars, bvars, fvars, tiers = {}, {}, {}, {}
    kw_max = billing_kw_bound(p, const_draw, flex_ub)  # big-M of declining demand tiers (their binaries)
    for ch in p.demand:
        hist = ch.history_kw
        d_lb = np.array([hist.get(int(a), 0.0) for a in months])
        dv = bld.var(len(months), c=0.0, lb=d_lb)
        # rows: demand row r counts for (ch, month) if any member interval in it
        memb = p.demand_row_members.multiply(ch.member[None, :].astype(float)).tocsr()
        has = np.asarray(memb.sum(axis=1)).ravel() > 0
        rr = np.flatnonzero(has)
        # month of each row = month of its representative interval
        rm = np.array([m_of[int(a)] for a in p.month_abs[p.demand_row_t[rr]]], np.int64)
        sub = a_pue[rr].tocoo()
        nrow = len(rr)
        rows = np.r_[np.arange(nrow), sub.row]
        cols = np.r_[dv[rm], icol[sub.col]]
        vals = np.r_[np.ones(nrow), -sub.data]
        bld.rows_add(rows, cols, vals, const_rows[rr], np.inf, nrow)
        # billing demand
        b_lb = np.full(len(months), ch.floor_kw)
        rat = ch.ratchet_frac is not None and ch.ratchet_lookback > 0
        mask = ch.ratchet_mask if ch.ratchet_mask is not None else np.ones(12, bool)
        links = []  # (billed month i, ratchet month j, frac)
        if rat:
            for i, a in enumerate(months):
                fr = ch.ratchet_frac[int(a) % 12]
                for k in range(int(a) - ch.ratchet_lookback, int(a)):
                    if not mask[k % 12]:
                        continue
                    if k in m_of:
                        links.append((i, m_of[k], fr))
                    else:
                        b_lb[i] = max(b_lb[i], fr * hist.get(k, 0.0))
        bv = bld.var(len(months), c=ch.usd_per_kw[:, 0] if ch.usd_per_kw.shape[1] == 1 else 0.0, lb=b_lb)
        bld.rows_add(np.r_[np.arange(len(months)), np.arange(len(months))], np.r_[bv, dv],
                     np.r_[np.ones(len(months)), -np.ones(len(months))], 0.0, np.inf, len(months))
        if links:
            li = np.array(links)
            nl = len(li)
            bld.rows_add(np.r_[np.arange(nl), np.arange(nl)],
                         np.r_[bv[li[:, 0].astype(int)], dv[li[:, 1].astype(int)]],
                         np.r_[np.ones(nl), -li[:, 2]], 0.0, np.inf, nl)
        tiers[ch.name] = _tier_cost(bld, bv, ch.usd_per_kw, ch.upper_kw, kw_max)
        dvars[ch.name], bvars[ch.name] = dv, bv
        # ratchet memory: months after the horizon
        if rat and ch.future:
            fut_rates = np.array([f[1] for f in ch.future])
            fl = np.array([f[2] for f in ch.future], float)
            fv_ = bld.var(len(ch.future), c=fut_rates[:, 0] if fut_rates.shape[1] == 1 else 0.0, lb=fl)
            rows, cols, vals, nf = [], [], [], 0
            for i, (a, _, _) in enumerate(ch.future):
                fr = ch.ratchet_frac[int(a) % 12]
                for k in range(int(a) - ch.ratchet_lookback, int(a)):
                    if mask[k % 12] and k in m_of:
                        rows += [nf, nf]
                        cols += [fv_[i], dv[m_of[k]]]
                        vals += [1.0, -fr]
                        nf += 1
            if nf:
                bld.rows_add(rows, cols, vals, 0.0, np.inf, nf)
            tiers[ch.name + ":future"] = _tier_cost(bld, fv_, fut_rates, ch.upper_kw, kw_max)
            fvars[ch.name] = (fv_, fl, fut_rates)
    tail = None
    if p.tail is not None and (defer is not None or np_defer is not None):
        tail = _tail_rows(bld, p, pre, defer, np_defer, dvars, m_of, fv, const_draw, fvars, jc, jv, kw_max)
    c, lb, ub, integ, a, rlo, rhi = bld.arrays()
    build_s = time.perf_counter() - tb
    ts = time.perf_counter()
    _quiet_extra_option_warning()
    res = milp(c, constraints=LinearConstraint(a, rlo, rhi), integrality=integ, bounds=Bounds(lb, ub),
               options={"mip_rel_gap": mip_rel_gap, "time_limit": time_limit_s, "presolve": True,
                        **HIGHS_EXTRA_OPTIONS}, **({} if lp_start is None else {"lp_start": lp_start}))
    solve_s = time.perf_counter() - ts
    if res.x is None:
        return Solution(res.status, res.message, np.zeros((J, n)), np.zeros(n), np.zeros(n), -np.ones(J, int),
                        np.zeros(J), {}, {}, np.nan, np.nan, np.nan, solve_s, build_s, bld.nv,
                        int(integ.sum()), bld.nr)
    x = res.x
    job_kw = np.zeros((J, n))
    started = -np.ones(J, np.int64)
    pe = jc.entry_preemptible  # a preemptible job's kW in each interval of its blocks
    job_kw[jc.job[jc.entry_col[pe]], jc.entry_t[pe]] = np.clip(x[ecol[pe]], 0.0, None)
    for j in np.flatnonzero(~p.preemptible):  # the start a non-preemptible job took, if any
        xv = x[jv[jc.job == j]]
        if xv.max(initial=0.0) > 0.5:
            k = int(p.t0[j]) + int(np.argmax(xv))
            started[j] = k
            job_kw[j, k:k + int(p.n_run[j])] = p.run_kw[j]
    flex = x[fv]
    thr_kw = x[thr] if thr is not None else (hard_excess if hard_excess is not None else np.zeros(n))
    comp = _components(p, x, fv, thr_kw, dvars, bvars, fvars, tiers, defer, job_kw, np_defer, tail, c)
    deferred = np.zeros(J)
    if defer is not None:
        deferred[pre] = x[defer]
    bound = getattr(res, "mip_dual_bound", None)
    if bound is None or not np.isfinite(bound):
        bound = float(res.fun)
    gap = getattr(res, "mip_gap", None)
    gap = 0.0 if gap is None or not np.isfinite(gap) else float(gap)
    if not integ.any():
        gap, bound = 0.0, float(res.fun)
    unserved = None
    if unserved_usd_per_kwh > 0:
        unserved = np.zeros(J)
        if un_pre is not None:
            unserved[pre] = np.clip(x[un_pre], 0.0, None)
        if un_np is not None:
            unserved[npj] = np.clip(x[un_np], 0.0, None) * np.asarray(p.run_kw, float)[npj] \
                * np.asarray(p.n_run, float)[npj] * dt
    return Solution(res.status, res.message, job_kw, flex, thr_kw, started, deferred, comp,
                    {k: x[v] for k, v in bvars.items()}, float(res.fun), float(bound), gap,
                    solve_s, build_s, bld.nv, int(integ.sum()), bld.nr, unserved,
                    0.0 if ramp_x is None else float(np.max(x[ramp_x], initial=0.0)), x)


def _components(p, x, fv, thr_kw, dvars, bvars, fvars, tiers, defer, job_kw, np_defer=None, tail=None,
                c=None) -> dict:
    """Objective split by component, computed from the variable values [USD] (constants included)."""
    dt = p.step_h
    site = grid_import_kw(p.pue * (p.drawn_base_it_kw + p.fixed_it_kw + x[fv]), p.pv_kw)  # billed: after PV
    out = {"energy_usd": float((p.energy_usd_per_kwh * site).sum() * dt),
           "carbon_usd": float((p.carbon_usd_per_kwh * site).sum() * dt),
           "fourcp_next_year_usd": float((p.fourcp_usd_per_kw * site).sum()),
           "throttle_usd": float(thr_kw.sum() * dt * p.throttle_usd_per_kwh)}
    dem = 0.0
    for ch in p.demand:
        t = tiers[ch.name]
        bv = bvars[ch.name]
        dem += float((ch.usd_per_kw[:, 0] * x[bv]).sum()) if t is None else float((ch.usd_per_kw * x[t]).sum())
    out["demand_usd"] = dem
    fut = 0.0
    for ch in p.demand:
        if ch.name in fvars:
            fv_, fl, rates = fvars[ch.name]
            t = tiers[ch.name + ":future"]
            # increase over the forecast floor (the part the horizon's peaks cause)
            if t is None:
                fut += float((rates[:, 0] * (x[fv_] - fl)).sum())
            else:
                base = (rates * tier_split(fl, np.broadcast_to(ch.upper_kw, rates.shape))).sum()
                fut += float((rates * x[t]).sum() - base)
    out["ratchet_future_usd"] = fut
    out["delay_usd"] = delay_usd(p, job_kw)
    out["terminal_usd"] = 0.0 if defer is None else float(
        (p.terminal_usd_per_kwh[p.preemptible] * x[defer]).sum())
    if np_defer is not None:
        opt, e_kwh, col = np_defer
        out["terminal_usd"] += float((p.terminal_usd_per_kwh[opt] * e_kwh * x[col]).sum())
    if tail is not None:  # the tail: energy where the deferred work lands, and new peaks above the forecast
        g, after = tail
        out["terminal_usd"] += float((c[g] * x[g]).sum())
        for name, items in after.items():
            for q, fl, rates, t in items:
                if t is None:
                    out["terminal_usd"] += float(rates[0, 0] * (x[q[0]] - fl))
                else:
                    up = np.asarray(p.tail.upper_kw[name], float)
                    base = (rates * tier_split(fl, np.broadcast_to(up, rates.shape))).sum()
                    out["terminal_usd"] += float((rates * x[t]).sum() - base)
    return out
