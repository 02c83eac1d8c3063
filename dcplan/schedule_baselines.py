"""Cost evaluation and baseline schedulers for :mod:`dcplan.schedule`.

:func:`evaluate` prices any flexible load on a scheduling problem in numpy, the way
the tariff bills it (used for the baselines and to cross-check the LP).
:func:`asap` (run as soon as possible) and :func:`greedy` (cheapest hours first)
are list schedulers that respect every hard limit the optimizer respects (cap,
curtailment, 4CP windows and, in ``"hard"`` mode, thermal headroom) but not a ramp
limit.

With on-site PV (``Problem.pv_kw``) every strategy is billed on the grid import after it
(:mod:`dcplan.schedule_pv`), and greedy ranks an interval by what a job there adds to that
bill: its *effective* price, 0 for the part of the job's site load the PV surplus still left
there covers (PV above the load already there: must-run and fixed load x PUE, less the jobs
greedy placed before), the energy (+ carbon) price for the rest (:func:`_pv_surplus_kw`). A
greedy operator with PV fills the free sunny hours first; ranked by the tariff alone it would
not, and the optimizer's saving over it would count the PV as the optimizer's. Without PV, or
where the PV never exceeds that load, greedy is exactly the price-only heuristic it was.

A list scheduler places one job at a time, so a job placed early can take the hours a
later one needed: under a tight cap greedy left 61 of ~10,000 jobs unplaced in the
example Phoenix year, and its bill then covered less work than the optimized one.
Both baselines therefore repair their order (:func:`_repair`, "squeaky wheel"): the
jobs left unplaced move to the front and the list is scheduled again, until every
job is placed. A baseline that still leaves work unplaced is not compared at all
(:func:`unequal_work`): its saving is NaN with the reason, never a number.

:func:`explain_infeasible` says why a problem has no schedule (behind
:class:`dcplan.schedule.ScheduleInfeasible`): an elastic re-solve finds the jobs left short,
and each is checked against the same room as the baselines' (its window on the grid, the site
limits and hard headroom with the site to itself, the ramp limit by a solve of the job alone),
else named with the jobs competing for its hours.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from numba import njit

from .schedule_lp import Problem, solve, tier_split
from .schedule_pv import grid_import_kw

__all__ = ["evaluate", "asap", "greedy", "unequal_work", "explain_infeasible", "REPAIR_PASSES_MAX",
           "RAMP_ALONE_CHECKS_MAX"]

#: Most list-scheduling passes of the baselines' repair (:func:`_repair`). Each pass is one
#: run of the compiled list scheduler (milliseconds for a year of ~10,000 jobs); greedy on the
#: four bundled sites' 52-week example years needed 2-4 passes, and an order seen before (a
#: cycle) ends the repair earlier.
REPAIR_PASSES_MAX = 20


# ---------------------------------------------------------------------------- evaluation
def evaluate(p: Problem, flex_it_kw: np.ndarray, throttle_it_kw: np.ndarray | None = None) -> dict:
    """Objective components of a flexible load on problem ``p``, in numpy (no solver). [USD]

    Demand charges follow the bill: peak of the demand rows per charge and month,
    billing demand ``max(peak, floor, ratchet)``, tier split. Energy, carbon, demand and
    4CP are of the grid import, ``max(0, site - pv)`` with on-site PV (``p.pv_kw``), the
    site load without. Used to cost the baselines and to cross-check the LP's own components.
    """
    dt = p.step_h
    it = p.base_it_kw + p.fixed_it_kw + flex_it_kw
    site = grid_import_kw(p.pue * it, p.pv_kw)  # what the meter bills
    if throttle_it_kw is None:
        throttle_it_kw = np.zeros(len(it)) if p.headroom_it_kw is None else np.maximum(it - p.headroom_it_kw, 0.0)
    out = {"energy_usd": float((p.energy_usd_per_kwh * site).sum() * dt),
           "carbon_usd": float((p.carbon_usd_per_kwh * site).sum() * dt),
           "fourcp_next_year_usd": float((p.fourcp_usd_per_kw * site).sum()),
           "throttle_usd": float(throttle_it_kw.sum() * dt * p.throttle_usd_per_kwh)}
    d = p.demand_a @ site
    m_of = {int(a): i for i, a in enumerate(p.months)}
    dem = fut = 0.0
    for ch in p.demand:
        memb = np.asarray(p.demand_row_members.multiply(ch.member[None, :].astype(float)).sum(axis=1)).ravel() > 0
        rm = np.array([m_of[int(a)] for a in p.month_abs[p.demand_row_t]])
        peak = np.array([ch.history_kw.get(int(a), 0.0) for a in p.months])
        sel = memb
        np.maximum.at(peak, rm[sel], d[sel])
        bd = np.maximum(peak, ch.floor_kw)
        allpk = dict(ch.history_kw)
        allpk.update({int(a): peak[i] for i, a in enumerate(p.months)})
        rat = ch.ratchet_frac is not None and ch.ratchet_lookback > 0
        mask = ch.ratchet_mask if ch.ratchet_mask is not None else np.ones(12, bool)

        def ratchet_ref(a):
            ks = [allpk.get(k, 0.0) for k in range(a - ch.ratchet_lookback, a) if mask[k % 12]]
            return ch.ratchet_frac[a % 12] * max(ks, default=0.0)
        if rat:
            bd = np.array([max(bd[i], ratchet_ref(int(a))) for i, a in enumerate(p.months)])
        dem += float((ch.usd_per_kw * tier_split(bd, np.broadcast_to(ch.upper_kw, ch.usd_per_kw.shape))).sum())
        if rat and ch.future:
            for a, rate, floor in ch.future:
                ref = max(floor, ratchet_ref(int(a)))
                up = np.asarray(ch.upper_kw)
                fut += float((rate * (tier_split(np.array(ref), up) - tier_split(np.array(floor), up))).sum())
    out["demand_usd"] = dem
    out["ratchet_future_usd"] = fut
    return out


def _objective(c: dict) -> float:
    keys = ("energy_usd", "carbon_usd", "fourcp_next_year_usd", "throttle_usd", "demand_usd",
            "ratchet_future_usd", "delay_usd")
    return float(sum(c.get(k, 0.0) for k in keys))


# ---------------------------------------------------------------------------- baselines
def _room(p: Problem, respect_headroom: bool = True) -> np.ndarray:
    room = np.maximum(p.flex_ub_kw - p.fixed_it_kw, 0.0)
    if respect_headroom and p.headroom_it_kw is not None and p.headroom_mode == "hard":
        room = np.minimum(room, np.maximum(p.headroom_it_kw - p.base_it_kw - p.fixed_it_kw, 0.0))
    return room


def _place(p: Problem, order, choose, respect_headroom=True, per_job=True):
    """List scheduler: place jobs in ``order``; ``choose(j, room)`` returns ``(a, kw)``, the job's
    kW from interval ``a`` on (its window only), or None.

    Returns the (J, N) per-job matrix, or with ``per_job=False`` the (N,) total: a year of
    10k jobs would otherwise fill a 700 MB matrix that is only ever summed.

    Plain-Python reference of :func:`_place_fast` (tests compare the two).
    """
    room = _room(p, respect_headroom).copy()
    out = np.zeros((len(p.names), len(p.index)) if per_job else len(p.index))
    failed = []
    for j in order:
        got = choose(j, room)
        if got is None:
            failed.append(p.names[j])
            continue
        a, kw = got
        if per_job:
            out[j, a:a + len(kw)] = kw
        else:
            out[a:a + len(kw)] += kw
        room[a:a + len(kw)] -= kw
    return out, failed


def _blocks(p, j):
    t0, t1, b = int(p.t0[j]), int(p.t1[j]), int(p.block[j])
    s = np.arange(t0, t1 + 1, b)
    return s, np.minimum(s + b, t1 + 1) - s


def _fill(p, j, room, block_order):
    """Fill job j's energy into its blocks in the given order at min(P, room)."""
    s, ln = _blocks(p, j)
    need = p.energy_hi_kwh[j]
    t0 = int(s[0]) if len(s) else 0
    kw = np.zeros(int(s[-1] + ln[-1]) - t0 if len(s) else 0)
    for k in block_order(s, ln):
        if need <= 1e-9:
            break
        a, b = s[k], s[k] + ln[k]
        lvl = min(p.power_kw[j], room[a:b].min(), need / (ln[k] * p.step_h))
        if lvl > 1e-12:
            kw[a - t0:b - t0] = lvl
            need -= lvl * ln[k] * p.step_h
    return (t0, kw) if need <= 1e-6 * max(1.0, p.energy_hi_kwh[j]) else None


def _start(p, j, room, cost):
    """Non-preemptible: the feasible start with the lowest ``cost(starts, n)`` (ties: earliest)."""
    t0, t1, nr = int(p.t0[j]), int(p.t1[j]), int(p.n_run[j])
    s = np.arange(t0, t1 - nr + 2)
    if not len(s):
        return None
    win = np.lib.stride_tricks.sliding_window_view(room[t0:t1 + 1], nr).min(axis=1)[:len(s)]
    ok = win >= p.run_kw[j] - 1e-9
    if not ok.any():
        return None
    c = np.where(ok, cost(s, nr), np.inf)
    k = int(s[int(np.argmin(c))])
    return k, np.full(nr, float(p.run_kw[j]))


def _pv_surplus_kw(p: Problem) -> np.ndarray | None:
    """PV above the site load already there, ``max(0, pv - pue (base + fixed))`` [kW, site side],
    or None without PV or where it never exceeds that load (greedy's price is then the tariff's).

    Up to this surplus a job's site load adds nothing to the grid import (:func:`greedy`)."""
    if p.pv_kw is None:
        return None
    s = np.maximum(p.pv_kw - p.pue * (p.base_it_kw + p.fixed_it_kw), 0.0)
    return s if (s > 0).any() else None


def _job_cost_cs(price, pue, surplus, lo, hi, kw):
    """Cumulative cost [$/h] of ``kw`` of flexible IT in intervals ``lo .. hi - 1`` after the PV
    surplus: ``cs[k + 1] - cs[i]`` is the cost of intervals ``lo + i .. lo + k``, each
    ``price x max(0, pue x kw - surplus)`` (``price``: energy + carbon per kWh of import).
    Plain-Python reference of the compiled loop in :func:`_place_kernel`."""
    h = price[lo:hi] * np.maximum(pue[lo:hi] * kw - surplus[lo:hi], 0.0)
    return np.r_[0.0, np.cumsum(h)]


@njit(cache=True)
def _place_kernel(order, pre, t0s, t1s, blocks, n_runs, run_kw, power_kw, energy, step_h, room, cs,
                  greedy, per_job, use_pv, price, pue, surplus):  # pragma: no cover - compiled; tested against _place
    """:func:`_place` with :func:`_fill` / :func:`_start` for ``asap`` (``greedy`` False:
    blocks in time order, earliest feasible start) or ``greedy`` (blocks and starts by
    their mean of the cumulative site price ``cs``; with ``use_pv``, of the job's own
    cumulative cost after the PV ``surplus`` left (:func:`_job_cost_cs`, from ``price`` and
    ``pue``), and each placed job's site load taken off ``surplus``). Same arithmetic in the
    same order, so the same floats. Returns (per-job kW (J or 0, N), total kW (N,), failed
    flags (J,))."""
    n = len(room)
    nj = len(order)
    out = np.zeros((len(pre) if per_job else 0, n))
    tot = np.zeros(n)
    failed = np.zeros(len(pre), np.bool_)
    for jj in range(nj):
        j = order[jj]
        t0, t1 = t0s[j], t1s[j]
        a0 = 0
        m = 0
        kw = np.zeros(0)
        ok_job = False
        if pre[j]:
            b = blocks[j]
            nb = 0
            if t1 >= t0:
                nb = (t1 - t0) // b + 1
            s = np.empty(nb, np.int64)
            ln = np.empty(nb, np.int64)
            for k in range(nb):
                s[k] = t0 + k * b
                ln[k] = min(s[k] + b, t1 + 1) - s[k]
            need = energy[j]
            if nb > 0:
                a0 = s[0]
                m = s[nb - 1] + ln[nb - 1] - a0
            kw = np.zeros(m)
            if greedy and use_pv:
                csj = np.zeros(m + 1)
                for t in range(m):
                    x = pue[a0 + t] * power_kw[j] - surplus[a0 + t]
                    csj[t + 1] = csj[t] + price[a0 + t] * (x if x > 0.0 else 0.0)
                mean = np.empty(nb)
                for k in range(nb):
                    mean[k] = (csj[s[k] - a0 + ln[k]] - csj[s[k] - a0]) / ln[k]
                seq = np.argsort(mean, kind="mergesort")
            elif greedy:
                mean = np.empty(nb)
                for k in range(nb):
                    mean[k] = (cs[s[k] + ln[k]] - cs[s[k]]) / ln[k]
                seq = np.argsort(mean, kind="mergesort")
            else:
                seq = np.arange(nb)
            for q in range(nb):
                k = seq[q]
                if need <= 1e-9:
                    break
                a, e = s[k], s[k] + ln[k]
                rmin = room[a]
                for t in range(a + 1, e):
                    if room[t] < rmin:
                        rmin = room[t]
                lvl = min(power_kw[j], rmin, need / (ln[k] * step_h))
                if lvl > 1e-12:
                    kw[a - a0:e - a0] = lvl
                    need -= lvl * ln[k] * step_h
            ok_job = need <= 1e-6 * max(1.0, energy[j])
        else:
            nr = n_runs[j]
            ns = t1 - nr + 2 - t0
            best = -1
            best_c = np.inf
            csj = np.zeros(1)
            if greedy and use_pv and ns > 0:
                csj = np.zeros(t1 + 2 - t0)
                for t in range(t1 + 1 - t0):
                    x = pue[t0 + t] * run_kw[j] - surplus[t0 + t]
                    csj[t + 1] = csj[t] + price[t0 + t] * (x if x > 0.0 else 0.0)
            for q in range(max(ns, 0)):
                st = t0 + q
                wmin = room[st]
                for t in range(st + 1, st + nr):
                    if room[t] < wmin:
                        wmin = room[t]
                if wmin >= run_kw[j] - 1e-9:
                    if greedy and use_pv:
                        c = csj[q + nr] - csj[q]
                    else:
                        c = (cs[st + nr] - cs[st]) if greedy else float(st)
                    if best < 0 or c < best_c:
                        best, best_c = st, c
            if best >= 0:
                ok_job = True
                a0, m = best, nr
                kw = np.full(nr, run_kw[j])
        if not ok_job:
            failed[j] = True
            continue
        for t in range(m):
            if per_job:
                out[j, a0 + t] = kw[t]
            tot[a0 + t] += kw[t]
            room[a0 + t] -= kw[t]
            if use_pv:
                x = surplus[a0 + t] - pue[a0 + t] * kw[t]
                surplus[a0 + t] = x if x > 0.0 else 0.0
    return out, tot, failed


def _place_fast(p: Problem, order, greedy: bool, respect_headroom=True, per_job=True):
    """:func:`_place` of :func:`asap` / :func:`greedy`, compiled (:func:`_place_kernel`)."""
    room = _room(p, respect_headroom)
    cs = np.r_[0.0, np.cumsum((p.energy_usd_per_kwh + p.carbon_usd_per_kwh) * p.pue)] if greedy else np.zeros(1)
    surplus = _pv_surplus_kw(p) if greedy else None
    use_pv = surplus is not None
    n = len(p.index)
    # fresh, writable, contiguous copies: one compiled signature (numba types read-only
    # arrays apart, and a second signature would mean a second compilation)
    i64 = lambda x: np.array(x, np.int64, copy=True, order="C")  # noqa: E731
    f64 = lambda x: np.array(x, np.float64, copy=True, order="C")  # noqa: E731
    out, tot, failed = _place_kernel(i64(order), np.array(p.preemptible, np.bool_, copy=True, order="C"),
                                     i64(p.t0), i64(p.t1), i64(p.block), i64(p.n_run), f64(p.run_kw),
                                     f64(p.power_kw), f64(p.energy_hi_kwh), float(p.step_h), f64(room), f64(cs),
                                     bool(greedy), bool(per_job), use_pv,
                                     f64(p.energy_usd_per_kwh + p.carbon_usd_per_kwh if use_pv else np.zeros(n)),
                                     f64(np.broadcast_to(p.pue, n) if use_pv else np.zeros(n)),
                                     f64(surplus if use_pv else np.zeros(n)))
    names = [p.names[j] for j in order if failed[j]]
    return (out if per_job else tot), names


def _asap_order(p: Problem) -> np.ndarray:
    return np.lexsort((-p.priority, p.t0, p.t1))


def _asap_choose(p: Problem):
    def choose(j, room):
        if p.preemptible[j]:
            return _fill(p, j, room, lambda s, ln: range(len(s)))
        return _start(p, j, room, lambda s, nr: s.astype(float))
    return choose


def _greedy_order(p: Problem) -> np.ndarray:
    return np.lexsort((-p.priority, p.t1))


def _greedy_choose(p: Problem):
    """Plain-Python greedy choice (reference of :func:`_place_kernel`); with PV surplus it keeps
    the surplus the jobs it placed left, so one ``choose`` serves one :func:`_place` pass."""
    price = p.energy_usd_per_kwh + p.carbon_usd_per_kwh
    cs = np.r_[0.0, np.cumsum(price * p.pue)]
    surplus = _pv_surplus_kw(p)
    if surplus is None:
        def choose(j, room):
            if p.preemptible[j]:
                return _fill(p, j, room, lambda s, ln: np.argsort((cs[s + ln] - cs[s]) / ln, kind="stable"))
            return _start(p, j, room, lambda s, nr: cs[s + nr] - cs[s])
        return choose
    surplus = surplus.copy()
    pue = np.array(np.broadcast_to(p.pue, len(p.index)), float)

    def choose_pv(j, room):
        t0, hi = int(p.t0[j]), int(p.t1[j]) + 1
        if p.preemptible[j]:
            c = _job_cost_cs(price, pue, surplus, t0, hi, p.power_kw[j])
            got = _fill(p, j, room, lambda s, ln: np.argsort((c[s - t0 + ln] - c[s - t0]) / ln, kind="stable"))
        else:
            c = _job_cost_cs(price, pue, surplus, t0, hi, p.run_kw[j])
            got = _start(p, j, room, lambda s, nr: c[s - t0 + nr] - c[s - t0])
        if got is not None:
            a, kw = got
            surplus[a:a + len(kw)] = np.maximum(surplus[a:a + len(kw)] - pue[a:a + len(kw)] * kw, 0.0)
        return got
    return choose_pv


def _repair(run, order, names):
    """Squeaky-wheel repair of a list scheduler [1]_: schedule in ``order``; while jobs are
    left unplaced, schedule again with those jobs moved to the front (their own relative
    order kept, and the others').

    A list scheduler places one job at a time in its preferred hours (greedy: the cheapest;
    ASAP: the earliest); a job placed early can so take hours that a later job with a
    narrower window needed, and the later job then finds too little room under the cap. A
    fill of a job's window is maximal (every block at ``min(power, room)``, every feasible
    start tried), so no leftover slot can take the job: the room has to be given back by
    the jobs placed before it. Placed first, the jobs that did not fit take their own
    preferred hours, and the others fit around them. Each pass is the unchanged list
    scheduler, so the baseline keeps its rule (cheapest or earliest hours, per job) and
    is unchanged wherever the first pass places every job.

    Stops when every job is placed, when an order repeats (the moves cycle) or after
    :data:`REPAIR_PASSES_MAX` passes. A feasible placement may still be missed (the moves
    are a heuristic): then the pass with the fewest jobs unplaced (the first of equals) is
    returned, and :func:`unequal_work` keeps its bill out of the savings.

    Parameters
    ----------
    run : callable
        ``run(order) -> (kW, names of jobs not placed)``: one list-scheduling pass.
    order : array of int
        First order (job positions).
    names : list of str
        Job names, by position (as ``run`` reports them).

    Returns
    -------
    tuple
        ``run``'s result for the pass kept.

    References
    ----------
    .. [1] D. E. Joslin and D. P. Clements, "'Squeaky wheel' optimization," Journal of
       Artificial Intelligence Research 10, 353-373, 1999 (arXiv:1105.5454).
    """
    pos = {n: i for i, n in enumerate(names)}
    order = np.asarray(order, np.int64)
    seen = set()
    best = None
    for _ in range(REPAIR_PASSES_MAX):
        got = run(order)
        if best is None or len(got[1]) < len(best[1]):
            best = got
        if not got[1]:
            break
        seen.add(order.tobytes())
        bad = np.zeros(len(names), bool)
        bad[[pos[n] for n in got[1]]] = True
        order = np.r_[order[bad[order]], order[~bad[order]]]
        if order.tobytes() in seen:
            break
    return best


def unequal_work(costs, n_jobs: int, ref: str = "optimized") -> dict:
    """Strategies whose bill is not like for like with ``ref``'s: ``{strategy: reason}``.

    A saving is a difference of two bills for the same work. A strategy that left jobs
    unplaced (``jobs_not_placed`` > 0: a baseline the repair of :func:`_repair` could
    not complete, or an optimized rolling horizon that left a job short) billed less work,
    so its difference with ``ref`` would credit the unplaced work as a saving (or a
    loss); the callers report such savings as NaN with the reason instead. When ``ref``
    itself left work unplaced, every comparison with it is unequal.

    Parameters
    ----------
    costs : pandas.DataFrame
        One row per strategy with ``jobs_not_placed``.
    n_jobs : int
        Jobs in the problem (for the message).
    ref : str
        The strategy the savings are measured from.

    Returns
    -------
    dict
        ``{strategy: reason}`` for every strategy of ``costs`` other than ``ref`` that is
        not comparable with it (empty when all are).
    """
    def short(k):
        return int(costs.at[k, "jobs_not_placed"]) if k in costs.index else 0

    out = {}
    for k in costs.index:
        if k == ref:
            continue
        why = [f"{k} left {short(k):,} of {n_jobs:,} jobs unplaced under the site limits"] if short(k) else []
        if short(ref):
            why.append(f"{ref} left {short(ref):,} of {n_jobs:,} jobs unplaced")
        if why:
            out[k] = "; ".join(why) + ": the bills are not for the same work, so no saving is given"
    return out


def asap(p: Problem, *, respect_headroom: bool = True, per_job: bool = True, repair: bool = True):
    """Run-as-soon-as-possible baseline: jobs in earliest-deadline order (then release,
    priority), each at full power from its release in the first intervals with room
    under every hard limit (the deadline order lets a plain list scheduler meet the
    deadlines it can). With ``repair`` (default), jobs left unplaced are moved to the
    front of the order and the list is scheduled again (:func:`_repair`), so that the
    baseline does the same work as the optimizer wherever the moves find a placement.

    Returns ``(job_kw (J, N) [kW], names of jobs that did not fit)``; with ``per_job=False``
    the first item is the total flexible kW (N,) instead.
    """
    def run(order):
        return _place_fast(p, order, False, respect_headroom, per_job)
    return _repair(run, _asap_order(p), p.names) if repair else run(_asap_order(p))


def greedy(p: Problem, *, per_job: bool = True, repair: bool = True):
    """Greedy "cheapest hours first": earliest deadline first, each job into the cheapest
    feasible intervals of its window (energy + carbon price; blind to demand charges). With
    on-site PV the price of an interval is what the job adds to the grid import's bill there:
    nothing for the part of its site load (kW x PUE) the PV surplus left covers (PV above the
    must-run and fixed load, less the jobs placed before), the price for the rest (module
    docstring); blocks and starts are ranked by that cost at the job's full power.
    With ``repair`` (default), jobs left unplaced (their window's room taken by jobs
    placed before them) are moved to the front of the order and the list is scheduled
    again (:func:`_repair`): every job still goes into its cheapest hours left, and the
    bill is for the same work as the optimizer's wherever the moves find a placement.

    Returns ``(job_kw (J, N) [kW], names of jobs that did not fit)``; with ``per_job=False``
    the first item is the total flexible kW (N,) instead.
    """
    def run(order):
        return _place_fast(p, order, True, True, per_job)
    return _repair(run, _greedy_order(p), p.names) if repair else run(_greedy_order(p))


# ---------------------------------------------------------------------------- infeasibility
#: Jobs left short whose fit alone under a ramp limit is solved for (one small elastic solve
#: each, :func:`_alone_kwh`); the report says so for any further ones.
RAMP_ALONE_CHECKS_MAX = 10


def explain_infeasible(p: Problem, jf: pd.DataFrame, time_limit_s: float,
                       unserved_usd_per_kwh: float) -> tuple[str, pd.DataFrame]:
    """Which jobs of an infeasible problem cannot fit, by how much, and why.

    Elastic re-solve: every job may leave energy unserved (a non-preemptible one: its run)
    at ``unserved_usd_per_kwh``. For each job left short it then says what binds: its window
    on the time grid; the site limits, hard thermal headroom or ramp limit even with the site
    to itself (``fits_alone_kwh``: the room in its window, and, with a ramp limit, the same
    elastic solve with only that job); or, when it fits alone, the jobs competing for the same
    hours (the other jobs whose windows overlap its own, largest first, with what they need
    together against what the limits leave in their windows). Which job of such a group the
    elastic solve leaves short is its arbitrary choice, and the message says so.

    Parameters
    ----------
    p : Problem
        The problem without a schedule.
    jf : pandas.DataFrame
        Its job table (:func:`dcplan.schedule_jobs.jobs_frame`).
    time_limit_s : float
        Time limit of each solve. [s]
    unserved_usd_per_kwh : float
        Price of the work left unserved in the elastic solve. [$/kWh]

    Returns
    -------
    tuple of (str, pandas.DataFrame)
        The message and the shortfall table of :class:`dcplan.schedule.ScheduleInfeasible`.
    """
    q = dataclasses.replace(p, energy_lo_kwh=np.zeros(len(p.names)), np_optional=np.ones(len(p.names), bool),
                            terminal_usd_per_kwh=np.full(len(p.names), unserved_usd_per_kwh))
    # non-preemptible jobs: optional, with a reward for starting equal to the penalty
    sol = solve(q, mip_rel_gap=1e-2, time_limit_s=time_limit_s, np_reward_usd_per_kwh=unserved_usd_per_kwh)
    if not np.isfinite(sol.objective_usd):
        return ("no schedule meets the limits even with every job left out: the must-run load itself breaks a "
                f"limit (e.g. a ramp limit smaller than its changes); solver said: {sol.message}", pd.DataFrame())
    done = sol.job_kw.sum(axis=1) * p.step_h
    short = np.maximum(p.energy_hi_kwh - done, 0.0)
    rows = []
    room = _room(p)
    n_ramp = 0  # elastic solves of one job alone under the ramp limit
    # short by more than the solver's tolerance (HiGHS: 1e-7 primal feasibility): a job the limits
    # leave 0.08 % short is named with its shortfall, not hidden as rounding
    for j in np.flatnonzero(short > 1e-6 * np.maximum(p.energy_hi_kwh, 1.0)):
        t0, t1 = int(p.t0[j]), int(p.t1[j])
        if p.preemptible[j]:
            alone = np.minimum(room[t0:t1 + 1], p.power_kw[j]).sum() * p.step_h
        else:  # one uninterrupted run: all of it if some n_run intervals in a row have room for run_kw
            nr = int(p.n_run[j])
            ok = room[t0:t1 + 1] >= p.run_kw[j] * (1 - 1e-9) - 1e-9
            runs = np.convolve(ok.astype(np.int64), np.ones(nr, np.int64), "valid") if len(ok) >= nr else []
            alone = p.energy_hi_kwh[j] if np.any(np.asarray(runs) == nr) else 0.0
        n_in = max(t1 - t0 + 1, 0)  # whole intervals of the grid inside [earliest_start, deadline]
        grid_kwh = p.power_kw[j] * n_in * p.step_h  # the window's energy at the job's power
        on_grid = (grid_kwh if p.preemptible[j]
                   else (p.energy_hi_kwh[j] if n_in >= int(p.n_run[j]) else 0.0))
        # with a ramp limit: what the job places alone under it too (NaN: not checked)
        ramp_alone = np.nan
        if p.ramp_kw is not None and on_grid >= p.energy_hi_kwh[j] - 1e-6 and n_ramp < RAMP_ALONE_CHECKS_MAX:
            ramp_alone = _alone_kwh(q, j, time_limit_s, unserved_usd_per_kwh)
            n_ramp += 1
        rows.append({"job": p.names[j], "energy_kwh": p.energy_hi_kwh[j], "unplaced_kwh": short[j],
                     "earliest_start": jf["earliest_start"].iloc[j],
                     "deadline": jf["deadline"].iloc[j], "preemptible": bool(p.preemptible[j]),
                     "fits_alone_kwh": float(np.fmin(alone, ramp_alone)), "fits_grid_kwh": on_grid,
                     "grid_intervals": n_in, "grid_kwh": grid_kwh, "run_intervals": int(p.n_run[j]),
                     "fits_alone_room_kwh": alone, "ramp_checked": not np.isnan(ramp_alone), "pos": j})
    df = pd.DataFrame(rows)
    if df.empty:
        return f"the solver found no schedule but the elastic check places every job; solver said: {sol.message}", df
    lines = [_why(p, r, room, sol.message) for r in df.itertuples()]
    return "; ".join(lines), df.drop(columns=["fits_alone_room_kwh", "ramp_checked", "pos"])


def _alone_kwh(q: Problem, j: int, time_limit_s: float, unserved_usd_per_kwh: float) -> float:
    """What job ``j`` of the elastic problem ``q`` places with the site to itself, under every
    limit (the ramp limit too). [kWh]"""
    one = [j]
    per_job = ("preemptible", "power_kw", "energy_lo_kwh", "energy_hi_kwh", "t0", "t1", "block", "n_run", "run_kw",
               "np_optional", "priority", "terminal_usd_per_kwh", "block_first")
    kw = {k: getattr(q, k)[one] for k in per_job if getattr(q, k) is not None}
    sol = solve(dataclasses.replace(q, names=[q.names[j]], **kw), mip_rel_gap=1e-2, time_limit_s=time_limit_s,
                np_reward_usd_per_kwh=unserved_usd_per_kwh)
    return float(sol.job_kw.sum() * q.step_h) if np.isfinite(sol.objective_usd) else 0.0


def _limits_text(p: Problem, t0: int, t1: int, ramp: bool) -> str:
    """The limits that hold the flexible load in intervals ``t0 .. t1``, named as given (no cap
    is named where none is set)."""
    parts = list(p.site_limits or ["the site limit"]) if np.isfinite(p.flex_ub_kw[t0:t1 + 1]).any() else []
    if p.headroom_it_kw is not None and p.headroom_mode == "hard":
        parts.append("the thermal headroom")
    if ramp and p.ramp_kw is not None:
        parts.append(f"the ramp limit of {p.ramp_kw:,g} kW")
    if not parts:
        return "the site's limits"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _leave(limits: str) -> str:
    """``limits`` (:func:`_limits_text`) with its verb: "the site cap leaves", "curtailments leave"."""
    plural = " and " in limits or limits in ("curtailments", "4CP windows", "the site's limits")
    return f"{limits} {'leave' if plural else 'leaves'}"


def _why(p: Problem, r, room: np.ndarray, solver_message: str) -> str:
    """One line of the infeasibility report: job ``r`` (a shortfall row), its shortfall and what binds."""
    # decimals enough to tell the shortfall, the job's energy and the room apart (0.05 kWh
    # short of 96.05 kWh: "0.05 kWh of 96.05 kWh", not "0.0 kWh of 96.0 kWh")
    nd = int(min(6, max(1, -np.floor(np.log10(max(r.unplaced_kwh, 1e-6))))))
    j, t0, t1 = r.pos, int(p.t0[r.pos]), int(p.t1[r.pos])
    if r.fits_grid_kwh < r.energy_kwh - 1e-6:  # the window itself, rounded to the grid, is too short
        step = _step_text(p.step_h)
        need = "" if r.preemptible else f"; its uninterrupted run needs {r.run_intervals}"
        why = (f"even alone and without any limit: its window {r.earliest_start} to {r.deadline} holds only "
               f"{r.grid_intervals} whole {step} interval(s) of the time grid ({r.grid_kwh:,.1f} kWh "
               f"at its power{need}); intervals cut by the window's ends are not used: widen the window to "
               "the grid or use a finer grid")
    elif r.fits_alone_room_kwh < r.energy_kwh - 1e-6:
        lim = _limits_text(p, t0, t1, ramp=False)
        why = (f"even alone: {_leave(lim)} only {r.fits_alone_room_kwh:,.{nd}f} kWh in its window" if r.preemptible
               else f"even alone: {_run_room_text(p, j, room, lim)}")
    elif r.fits_alone_kwh < r.energy_kwh - 1e-6:  # room enough, but not under the ramp limit
        why = (f"even alone: under the ramp limit of {p.ramp_kw:,g} kW (the most the site load may change from one "
               f"interval to the next, ramping up to the job and back down) it places only "
               f"{r.fits_alone_kwh:,.{nd}f} kWh in its window, where without the ramp limit it would fit: raise "
               "ramp_kw or widen its window")
    else:
        why = _competing(p, j, room, nd, r.ramp_checked, solver_message)
    kind = "" if r.preemptible else " (non-preemptible: one uninterrupted run)"
    return (f"job {r.job!r}{kind}: {r.unplaced_kwh:,.{nd}f} kWh of {r.energy_kwh:,.{nd}f} kWh cannot fit before "
            f"its deadline {r.deadline} {why}")


def _run_room_text(p: Problem, j: int, room: np.ndarray, limits: str) -> str:
    """Why non-preemptible job ``j`` has no run even alone, in numbers: the power and length of
    its run against the most flexible room ``limits`` leave for that long in its window (and,
    when it is more, in any one interval of it)."""
    t0, t1, nr = int(p.t0[j]), int(p.t1[j]), int(p.n_run[j])
    w = room[t0:t1 + 1]
    run_h, kw = nr * p.step_h, float(p.run_kw[j])
    # the most power an uninterrupted run of nr intervals finds: max over its starts of the least room
    best = float(np.lib.stride_tricks.sliding_window_view(w, nr).min(axis=1).max()) if len(w) >= nr else 0.0
    peak = float(w.max()) if len(w) else 0.0
    spread = (f" ({p.energy_hi_kwh[j]:,.1f} kWh spread over {nr} whole {_step_text(p.step_h)} interval(s); "
              f"its power_kw is {p.power_kw[j]:,.1f} kW)" if kw < p.power_kw[j] * (1 - 1e-9) else "")
    if nr <= 1 or peak <= best + 1e-6:
        room_text = f"at most {best:,.1f} kW of flexible IT room in its window"
    else:
        room_text = (f"at most {best:,.1f} kW of flexible IT room for {run_h:g} h in a row in its window "
                     f"({f'{peak:,.1f} kW' if np.isfinite(peak) else 'no limit'} in its roomiest interval)")
    return f"the job needs {kw:,.1f} kW for {run_h:g} h uninterrupted{spread}; {_leave(limits)} {room_text}"


def _step_text(step_h: float) -> str:
    """A grid step as written in messages: ``1 h``, ``15 min``."""
    return f"{step_h:g} h" if step_h >= 1 else f"{step_h * 60:g} min"


def _competing(p: Problem, j: int, room: np.ndarray, nd: int, ramp_checked: bool, solver_message: str) -> str:
    """Why job ``j``, which fits alone, is short: the other jobs whose windows overlap its own."""
    t0, t1 = p.t0, p.t1
    ov = np.flatnonzero((t0 <= t1[j]) & (t1 >= t0[j]) & (t1 >= t0) & (np.arange(len(t0)) != j))
    ov = ov[np.argsort(-p.energy_hi_kwh[ov], kind="stable")]
    lim = _limits_text(p, int(t0[j]), int(t1[j]), ramp=True)
    unchecked = ("" if p.ramp_kw is None or ramp_checked else
                 f" (whether it fits alone under the ramp limit was not checked: only the first "
                 f"{RAMP_ALONE_CHECKS_MAX} jobs short are)")
    if not len(ov):
        near = (", but the ramp limit ties it to the load of the hours around its window" if p.ramp_kw is not None
                else f"; the elastic check may have stopped short (solver said: {solver_message})")
        return f"under {lim}: alone it fits{unchecked}, and no other job's window overlaps its own{near}"
    g = np.r_[j, ov]
    lo, hi = int(t0[g].min()), int(t1[g].max())
    kw = np.zeros(hi - lo + 1)  # the group's power in each interval of its windows
    for k in g:
        kw[t0[k] - lo:t1[k] - lo + 1] += p.power_kw[k] if p.preemptible[k] else p.run_kw[k]
    bound = float(np.minimum(room[lo:hi + 1], kw).sum() * p.step_h)
    need = float(p.energy_hi_kwh[g].sum())
    listed = ", ".join(f"{p.names[k]!r} {p.energy_hi_kwh[k]:,.{nd}f} kWh" for k in ov[:5])
    if len(ov) > 5:
        listed += f" and {len(ov) - 5:,} more"
    total = (f"; together they need {need:,.{nd}f} kWh where {_leave(_limits_text(p, lo, hi, ramp=False))} at most "
             f"{bound:,.{nd}f} kWh in their windows" if need > bound + 1e-6 else "")
    return (f"under {lim} together with the other jobs competing for the same hours: alone it fits{unchecked}, but "
            f"its window overlaps those of {len(ov):,} other job(s): {listed}{total}. The shortfall is the group's: "
            "which of its jobs is left short is the solver's arbitrary choice, so shorten, move or widen any of them")
