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

:func:`dcplan.schedule_explain.explain_infeasible` says why a problem has no schedule (behind
:class:`dcplan.schedule.ScheduleInfeasible`): an elastic re-solve finds the jobs left short,
and each is checked against the same room as the baselines' (its window on the grid, the site
limits and hard headroom with the site to itself, the ramp limit by a solve of the job alone),
else named with the jobs competing for its hours.
"""
from __future__ import annotations

import numpy as np
from numba import njit

from .schedule_lp import Problem, tier_split
from .schedule_pv import grid_import_kw

__all__ = ["evaluate", "asap", "greedy", "unequal_work", "REPAIR_PASSES_MAX", "TIE_REL"]
# (explain_infeasible and RAMP_ALONE_CHECKS_MAX live in dcplan.schedule_explain)

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
    site load without; the site load is of the IT drawn, ``pue (drawn_base + fixed + flex)``: the must-run
    IT the plant cannot cool (:attr:`~dcplan.schedule_lp.Problem.throttled_base_it_kw`) draws nothing, and
    only the throttling penalty prices it. Used to cost the baselines and to cross-check the LP's own components.
    """
    dt = p.step_h
    it = p.base_it_kw + p.fixed_it_kw + flex_it_kw
    site = grid_import_kw(p.pue * (it - p.throttled_base_it_kw), p.pv_kw)  # what the meter bills
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


def _start(p, j, room, cost, tol=0.0):
    """Non-preemptible: the feasible start with the lowest ``cost(starts, n)``; ties (costs within
    ``tol`` of the lowest): the earliest."""
    t0, t1, nr = int(p.t0[j]), int(p.t1[j]), int(p.n_run[j])
    s = np.arange(t0, t1 - nr + 2)
    if not len(s):
        return None
    win = np.lib.stride_tricks.sliding_window_view(room[t0:t1 + 1], nr).min(axis=1)[:len(s)]
    ok = win >= p.run_kw[j] - 1e-9
    if not ok.any():
        return None
    c = np.where(ok, cost(s, nr), np.inf)
    k = int(s[_first_near_min(c, tol)])
    return k, np.full(nr, float(p.run_kw[j]))


def _pv_surplus_kw(p: Problem) -> np.ndarray | None:
    """PV above the site load already there, ``max(0, pv - pue (drawn base + fixed))`` [kW, site side],
    or None without PV or where it never exceeds that load (greedy's price is then the tariff's).

    Up to this surplus a job's site load adds nothing to the grid import (:func:`greedy`)."""
    if p.pv_kw is None:
        return None
    s = np.maximum(p.pv_kw - p.pue * (p.drawn_base_it_kw + p.fixed_it_kw), 0.0)
    return s if (s > 0).any() else None


def _job_cost_cs(price, pue, surplus, lo, hi, kw):
    """Cumulative cost [$/h] of ``kw`` of flexible IT in intervals ``lo .. hi - 1`` after the PV
    surplus: ``cs[k + 1] - cs[i]`` is the cost of intervals ``lo + i .. lo + k``, each
    ``price x max(0, pue x kw - surplus)`` (``price``: energy + carbon per kWh of import).
    Plain-Python reference of the compiled loop in :func:`_place_kernel`."""
    h = price[lo:hi] * np.maximum(pue[lo:hi] * kw - surplus[lo:hi], 0.0)
    return np.r_[0.0, np.cumsum(h)]


#: Costs of a job's blocks or starts closer than this share of the largest cumulative cost in its
#: window are equal (greedy then takes the earliest): the cumulative sums the costs are differences
#: of carry rounding of a few ulp of that sum (~1e-16 of it), so 1e-9 merges only that noise (a year
#: of hourly prices near 0.1 $/kWh: ~1e-6 $/kWh; no price step of a tariff is that small).
TIE_REL = 1e-9


@njit(cache=True)
def _tie_tol(cs, lo, hi):  # pragma: no cover - compiled; exercised through _place and _place_fast
    """:data:`TIE_REL` x the largest ``|cs[lo:hi]|`` (the cost noise of differences of ``cs``)."""
    m = 0.0
    for t in range(lo, hi):
        if abs(cs[t]) > m:
            m = abs(cs[t])
    return TIE_REL * m


@njit(cache=True)
def _order_ties(cost, tol):  # pragma: no cover - compiled; exercised through _place and _place_fast
    """Positions of ``cost`` cheapest first, costs within ``tol`` of the cheapest of their run
    counted equal and taken earliest (lowest position) first: deterministic where equal prices
    differ only by rounding."""
    seq = np.argsort(cost, kind="mergesort")
    out = np.empty(len(seq), np.int64)
    g = 0
    while g < len(seq):
        h = g + 1
        while h < len(seq) and cost[seq[h]] - cost[seq[g]] <= tol:
            h += 1
        out[g:h] = np.sort(seq[g:h])
        g = h
    return out


@njit(cache=True)
def _first_near_min(cost, tol):  # pragma: no cover - compiled; exercised through _place and _place_fast
    """The first position whose cost is within ``tol`` of the lowest (-1 when all are inf)."""
    lo = np.inf
    for c in cost:
        if c < lo:
            lo = c
    if not np.isfinite(lo):
        return -1
    for q in range(len(cost)):
        if cost[q] <= lo + tol:
            return q
    return -1


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
                seq = _order_ties(mean, _tie_tol(csj, 0, m + 1))
            elif greedy:
                mean = np.empty(nb)
                for k in range(nb):
                    mean[k] = (cs[s[k] + ln[k]] - cs[s[k]]) / ln[k]
                seq = _order_ties(mean, _tie_tol(cs, a0, a0 + m + 1))
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
            csj = np.zeros(1)
            if greedy and use_pv and ns > 0:
                csj = np.zeros(t1 + 2 - t0)
                for t in range(t1 + 1 - t0):
                    x = pue[t0 + t] * run_kw[j] - surplus[t0 + t]
                    csj[t + 1] = csj[t] + price[t0 + t] * (x if x > 0.0 else 0.0)
            cst = np.full(max(ns, 0), np.inf)  # cost of each feasible start (inf: no room)
            for q in range(max(ns, 0)):
                st = t0 + q
                wmin = room[st]
                for t in range(st + 1, st + nr):
                    if room[t] < wmin:
                        wmin = room[t]
                if wmin >= run_kw[j] - 1e-9:
                    if greedy and use_pv:
                        cst[q] = csj[q + nr] - csj[q]
                    else:
                        cst[q] = (cs[st + nr] - cs[st]) if greedy else float(st)
            tol = 0.0
            if greedy and ns > 0:
                tol = _tie_tol(csj, 0, len(csj)) if use_pv else _tie_tol(cs, t0, t1 + 2)
            q = _first_near_min(cst, tol)
            if q >= 0:
                best = t0 + q
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
            t0, hi = int(p.t0[j]), int(p.t1[j]) + 1
            if p.preemptible[j]:
                s, ln = _blocks(p, j)
                a0 = int(s[0]) if len(s) else t0
                tol = _tie_tol(cs, a0, int(s[-1] + ln[-1]) + 1 if len(s) else a0)
                return _fill(p, j, room, lambda s, ln: _order_ties((cs[s + ln] - cs[s]) / ln, tol))
            return _start(p, j, room, lambda s, nr: cs[s + nr] - cs[s], _tie_tol(cs, t0, hi + 1))
        return choose
    surplus = surplus.copy()
    pue = np.array(np.broadcast_to(p.pue, len(p.index)), float)

    def choose_pv(j, room):
        t0, hi = int(p.t0[j]), int(p.t1[j]) + 1
        if p.preemptible[j]:
            c = _job_cost_cs(price, pue, surplus, t0, hi, p.power_kw[j])
            tol = _tie_tol(c, 0, len(c))
            got = _fill(p, j, room, lambda s, ln: _order_ties((c[s - t0 + ln] - c[s - t0]) / ln, tol))
        else:
            c = _job_cost_cs(price, pue, surplus, t0, hi, p.run_kw[j])
            got = _start(p, j, room, lambda s, nr: c[s - t0 + nr] - c[s - t0], _tie_tol(c, 0, len(c)))
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
        if short(ref):  # the optimized rolling horizon leaves a job short of its energy, not whole jobs out
            why.append(f"{ref} left {short(ref):,} of {n_jobs:,} jobs "
                       + ("short of their energy" if ref == "optimized" else "unplaced"))
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
    docstring); blocks and starts are ranked by that cost at the job's full power, the earliest
    first among equal costs (within :data:`TIE_REL` of the window's cumulative cost: rounding).
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
