"""Cost evaluation and baseline schedulers for :mod:`dcplan.schedule`.

:func:`evaluate` prices any flexible load on a scheduling problem in numpy, the way
the tariff bills it (used for the baselines and to cross-check the LP).
:func:`asap` (run as soon as possible) and :func:`greedy` (cheapest hours first)
are list schedulers that respect every hard limit the optimizer respects (cap,
curtailment, 4CP windows and, in ``"hard"`` mode, thermal headroom) but not a ramp
limit.
"""
from __future__ import annotations

import numpy as np

from .schedule_lp import Problem, tier_split

__all__ = ["evaluate", "asap", "greedy"]


# ---------------------------------------------------------------------------- evaluation
def evaluate(p: Problem, flex_it_kw: np.ndarray, throttle_it_kw: np.ndarray | None = None) -> dict:
    """Objective components of a flexible load on problem ``p``, in numpy (no solver). [USD]

    Demand charges follow the bill: peak of the demand rows per charge and month,
    billing demand ``max(peak, floor, ratchet)``, tier split. Used to cost the baselines
    and to cross-check the LP's own components.
    """
    dt = p.step_h
    it = p.base_it_kw + p.fixed_it_kw + flex_it_kw
    site = p.pue * it
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


def asap(p: Problem, *, respect_headroom: bool = True, per_job: bool = True):
    """Run-as-soon-as-possible baseline: jobs in earliest-deadline order (then release,
    priority), each at full power from its release in the first intervals with room
    under every hard limit (the deadline order lets a plain list scheduler meet the
    deadlines it can).

    Returns ``(job_kw (J, N) [kW], names of jobs that did not fit)``; with ``per_job=False``
    the first item is the total flexible kW (N,) instead.
    """
    order = np.lexsort((-p.priority, p.t0, p.t1))

    def choose(j, room):
        if p.preemptible[j]:
            return _fill(p, j, room, lambda s, ln: range(len(s)))
        return _start(p, j, room, lambda s, nr: s.astype(float))
    return _place(p, order, choose, respect_headroom, per_job)


def greedy(p: Problem, *, per_job: bool = True):
    """Greedy "cheapest hours first": earliest deadline first, each job into the cheapest
    feasible intervals of its window (energy + carbon price; blind to demand charges).

    Returns ``(job_kw (J, N) [kW], names of jobs that did not fit)``; with ``per_job=False``
    the first item is the total flexible kW (N,) instead.
    """
    price = p.energy_usd_per_kwh + p.carbon_usd_per_kwh
    cs = np.r_[0.0, np.cumsum(price * p.pue)]
    order = np.lexsort((-p.priority, p.t1))

    def choose(j, room):
        if p.preemptible[j]:
            return _fill(p, j, room, lambda s, ln: np.argsort((cs[s + ln] - cs[s]) / ln, kind="stable"))
        return _start(p, j, room, lambda s, nr: cs[s + nr] - cs[s])
    return _place(p, order, choose, per_job=per_job)
