"""Columns and rows of the scheduling MILP: the pieces :mod:`dcplan.schedule_lp` builds it from.

* :class:`_Builder`: the accumulator of the sparse model's columns and rows;
* :func:`_job_columns`: every job's columns at once (a preemptible job's min-run blocks, a
  non-preemptible job's feasible starts) and their entries in the flexible-load balance;
  :func:`delay_usd` prices any schedule's delay as those columns do;
* :func:`demand_rows`: the averaging rows of the demand measurement, as the tariff bill forms
  them (used to build the :class:`~dcplan.schedule_lp_types.Problem`);
* :func:`tier_split`, :func:`_tier_cost`: a billing demand priced over demand tiers (declining
  ones ordered by binaries, :func:`_order_tiers`, within :func:`billing_kw_bound`);
* :func:`_tail_rows`: the rolling-horizon tail, below.

The formulation of the whole model is in :mod:`dcplan.schedule_lp`, which re-exports every
name here. The tail's:

Rolling horizon (:class:`~dcplan.schedule_lp_types.Tail`): deferred energy ``d_j`` of the
preemptible jobs whose deadlines reach past the window, and the run ``e_j u_j`` of an
optional non-preemptible job left unstarted (``u_j`` in [0, 1]), land after the window (an
LP relaxation, continuous): each such job in its own columns up to its deadline: a
preemptible job's ``x_jb`` (``0 <= x_jb <= P_j`` per min-run block, the first one tied to
the window's last when the window's end cuts that block; ``sum_b x_jb len_b dt = d_j``), a
non-preemptible job's ``z_js`` per feasible start (its run at ``P'_j`` for ``n_j``
intervals, ``0 <= z_js``, ``sum_s z_js = u_j``: the LP relaxation of its start, so a run is
not split into divisible energy), the jobs released later as one load ``h_t`` (within their
windows' power; by each deadline the energy due has landed, before each release no more than
the energy released), and ``g_t`` (the sum of the jobs' kW and ``h_t``) within the flexible
room. ``g_t`` pays the energy price (and a tie-break per kWh deferred,
:data:`TAIL_TIE_BREAK_USD_PER_KWH`) and, per demand charge ``c``,
``pue_t (const_t + g_t) <= D_cm`` at its member intervals (with on-site PV, ``Tail.pv_kw``: the
grid import after it, ``max(0, pue_t (const_t + g_t) - pv_t)``, pays the energy price and sets
the peak, :mod:`dcplan.schedule_pv`): the window's own peak of month
``m``, the month's ratchet billing demand ``F_cm`` when it has one, or else a new peak
(floor: the forecast) priced at its rate. So deferring work is weighed against the peak it
sets where it lands.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from .errors import InputError
from .schedule_lp_types import Problem
from .schedule_pv import import_terms, pv_surplus
from .tariff_engine import tier_split as _engine_tier_split

__all__ = ["TAIL_SHORT_USD_PER_KWH", "TAIL_TIE_BREAK_USD_PER_KWH", "billing_kw_bound", "delay_usd", "demand_rows",
           "first_member", "tier_split"]

#: Rolling-horizon tail: penalty on energy of jobs released after a window that cannot land
#: after it at all (only an impossible job mix pays it; its own window then reports it).
#: Far above any energy price plus demand charge per kWh. [$/kWh]
TAIL_SHORT_USD_PER_KWH = 1e4
#: Rolling-horizon tail: cost per kWh of work deferred past a window, on top of its estimated
#: energy and demand cost: a tie-break (0.01 US cent/kWh, far below any price difference worth
#: deferring for), so that of plans the tail prices the same, the one doing the work now wins. [$/kWh]
TAIL_TIE_BREAK_USD_PER_KWH = 1e-4


def demand_rows(index: pd.DatetimeIndex, step_s: float, window_min: float | None,
                method: str = "block"):
    """Averaging rows of the demand measurement, as the tariff bill forms them.

    Returns ``(A, members)``: ``A`` (R, N) with ``A @ site`` the demand of each row and
    ``members`` (R, N) 0/1 marking the intervals that take that demand value (an
    interval's block average counts in the interval's own month and TOU period).
    No window (or one no longer than the step): one row per interval.
    """
    n = len(index)
    if window_min is None or window_min * 60.0 <= step_s:
        eye = sparse.identity(n, format="csr")
        return eye, eye
    k = window_min * 60.0 / step_s
    if abs(k - round(k)) > 1e-9:
        raise InputError(f"demand window {window_min} min is not a multiple of the step "
                         f"{step_s / 60:g} min", field="demandwindow")
    k = int(round(k))
    if method == "rolling":
        # as the bill: the intervals before the first full window take its average
        m = min(k, n)
        rows = np.repeat(np.arange(n), k)
        cols = np.maximum(rows, m - 1) - np.tile(np.arange(k)[::-1], n)
        ok = cols >= 0
        a = sparse.csr_matrix((np.full(int(ok.sum()), 1.0 / m), (rows[ok], cols[ok])), shape=(n, n))
        return a, sparse.identity(n, format="csr")
    # clock-aligned blocks of the interval starts' local time; as the bill
    # (dcplan.tariff_engine.windowed_demand) a new block also starts where the local clock
    # goes back (fall-back DST), so the two passes of the repeated hour are separate blocks
    local = (index - pd.Timedelta(seconds=step_s)).tz_localize(None).as_unit("ns").asi8
    blk = local // int(window_min * 60 * 1e9)
    new = np.r_[True, (blk[1:] != blk[:-1]) | (local[1:] < local[:-1])]
    b = np.cumsum(new) - 1
    nb = int(b[-1]) + 1
    cnt = np.bincount(b, minlength=nb)
    a = sparse.csr_matrix((1.0 / cnt[b], (b, np.arange(n))), shape=(nb, n))
    mem = sparse.csr_matrix((np.ones(n), (b, np.arange(n))), shape=(nb, n))
    return a, mem



def first_member(mem) -> np.ndarray:
    """The first interval of each demand row: ``mem.argmax(axis=1)`` of :func:`demand_rows`' 0/1 ``members``.

    The same numbers as scipy's sparse ``argmax``, which loops over the rows in Python (28 ms for a year's
    8,736 hourly rows, once in each rolling horizon and once in its whole-index problem): with every stored
    value 1 in sorted, duplicate-free rows, none empty, a row's first stored column is its first maximum.
    Any other matrix gets scipy's ``argmax``.
    """
    m = mem.tocsr()
    if m.shape[0] and m.has_canonical_format and (np.diff(m.indptr) > 0).all() and (m.data == 1.0).all():
        return m.indices[m.indptr[:-1]].astype(np.int64)
    return np.asarray(m.argmax(axis=1)).ravel()

def _column(x, n: int) -> np.ndarray:
    """``x`` (a number, or an array of ``n``) as ``n`` floats: what ``np.broadcast_to`` gives,
    at a fraction of its cost (the builder adds one set of columns per job and window)."""
    if isinstance(x, np.ndarray) and x.shape == (n,):
        return x if x.dtype == np.float64 else x.astype(float)
    if isinstance(x, (float, int)):
        return np.full(n, x, float)
    return np.broadcast_to(np.asarray(x, float), (n,))


class _Builder:
    """Column/row accumulator for a sparse LP."""

    def __init__(self):
        self.c, self.lb, self.ub, self.integ = [], [], [], []
        self.rows, self.cols, self.vals, self.rlo, self.rhi = [], [], [], [], []
        self.nv = 0
        self.nr = 0

    def var(self, n, c=0.0, lb=0.0, ub=np.inf, integer=False) -> np.ndarray:
        """Add ``n`` columns: ``c``, ``lb``, ``ub`` numbers or arrays of ``n``; ``integer`` a
        bool or an array of ``n`` 0/1."""
        idx = np.arange(self.nv, self.nv + n)
        self.c.append(_column(c, n))
        self.lb.append(_column(lb, n))
        self.ub.append(_column(ub, n))
        self.integ.append(np.asarray(integer, np.int64) if isinstance(integer, np.ndarray)
                          else np.full(n, 1 if integer else 0))
        self.nv += n
        return idx

    def rows_add(self, r, col, val, lo, hi, nrows):
        """Add ``nrows`` rows; ``r`` are local row numbers 0..nrows-1."""
        self.rows.append(np.asarray(r, np.int64) + self.nr)
        self.cols.append(np.asarray(col, np.int64))
        self.vals.append(np.asarray(val, float))
        self.rlo.append(np.broadcast_to(np.asarray(lo, float), (nrows,)))
        self.rhi.append(np.broadcast_to(np.asarray(hi, float), (nrows,)))
        first = self.nr
        self.nr += nrows
        return first

    def arrays(self):
        cat = lambda x: np.concatenate(x) if x else np.zeros(0)  # noqa: E731
        a = sparse.csr_matrix((cat(self.vals), (cat(self.rows).astype(np.int64),
                                                cat(self.cols).astype(np.int64))),
                              shape=(self.nr, self.nv))
        return cat(self.c), cat(self.lb), cat(self.ub), cat(self.integ), a, cat(self.rlo), cat(self.rhi)


def tier_split(total, upper) -> np.ndarray:
    """Split block quantities ``total`` (...,) over tier upper bounds ``upper`` (..., K).

    The billing engine's split (:func:`dcplan.tariff_engine.tier_split`: a tier above an
    open bound, as padded for a period with fewer tiers, gets 0), on any array-likes."""
    return _engine_tier_split(np.asarray(total, float), np.asarray(upper, float))


def _tier_cost(bld: _Builder, bvars: np.ndarray, rates: np.ndarray, upper: np.ndarray, kw_max: float = np.inf):
    """Cost of billing-demand vars ``bvars`` (M,) over tiers; returns tier var ids (M, K).

    Tier vars ``0 <= b_k <= w_k`` (``w_k`` the tier's width) with ``sum_k b_k = B``, each priced
    at its rate. Rates that do not fall with kW: the LP fills the tiers in order, as the bill
    does. A month whose rates fall somewhere (a declining block, e.g. 10 $/kW to 1,000 kW, then
    8 $/kW) is a concave charge, which the LP would fill cheapest tier first; there its tiers
    are ordered exactly by binaries (the incremental formulation, Dantzig 1960 [1]_; :func:`_order_tiers`).

    References
    ----------
    .. [1] G. B. Dantzig, "On the significance of solving linear programming problems with some
       integer variables," Econometrica 28(1), 30-44, 1960.
    """
    m, k = rates.shape
    if k == 1:  # single tier: priced on the billing var itself
        return None
    # tier widths; a tier above an open bound (padding of a period with fewer tiers) has none
    width = tier_split(np.inf, upper)
    tv = bld.var(m * k, c=rates.ravel(), lb=0.0, ub=np.tile(width, m)).reshape(m, k)
    r = np.repeat(np.arange(m), k + 1)
    cols = np.column_stack([tv, bvars[:, None]]).ravel()
    vals = np.tile(np.r_[np.ones(k), -1.0], m)
    bld.rows_add(r, cols, vals, 0.0, 0.0, m)
    live = width > 0  # a tier of no width (padding) stays at 0 whatever its rate
    falls = (np.diff(rates[:, live], axis=1) < -1e-12).any(axis=1)
    if falls.any():
        _order_tiers(bld, tv[falls][:, live], width[live], np.asarray(upper, float)[live], kw_max, rates[falls])
    return tv


def _order_tiers(bld: _Builder, tv: np.ndarray, width: np.ndarray, upper: np.ndarray, kw_max: float,
                 rates: np.ndarray) -> None:
    """Make tier vars ``tv`` (M, K) fill in order whatever their rates (MILP, one binary per breakpoint).

    Incremental formulation: ``z_k`` in {0, 1} (``k < K - 1``) says tier ``k`` is full:
    ``b_k >= w_k z_k`` and ``b_{k+1} <= W_{k+1} z_k``, with ``W`` the next tier's width, or for
    an open last tier the most kW it can hold, ``kw_max`` (a bound on the billing demand at the
    optimum, :func:`billing_kw_bound`) less its lower bound. So ``b_{k+1} > 0`` only when tier
    ``k`` is full and ``z_{k+1} <= z_k``: every tier below a used one is full, as the bill fills them.
    """
    m, k = tv.shape
    if k < 2:
        return
    cap = width[1:].copy()
    if not np.isfinite(cap).all():
        if not np.isfinite(kw_max):
            raise InputError(f"declining demand-tier rates ({' then '.join(f'{r:g}' for r in rates[0])} $/kW) "
                             "need a finite bound on the site's kW to be modelled; the site load here has none "
                             f"(got {kw_max})", field="demand tiers")
        cap = np.where(np.isfinite(cap), cap, np.maximum(kw_max - upper[:-1], 0.0))
    z = bld.var(m * (k - 1), lb=0.0, ub=1.0, integer=True).reshape(m, k - 1)
    nz = m * (k - 1)
    r = np.r_[np.arange(nz), np.arange(nz)]
    # tier k is full when z_k: b_k - w_k z_k >= 0
    bld.rows_add(r, np.r_[tv[:, :-1].ravel(), z.ravel()], np.r_[np.ones(nz), -np.tile(width[:-1], m)],
                 0.0, np.inf, nz)
    # tier k + 1 is used only when z_k: b_{k+1} - W_{k+1} z_k <= 0
    bld.rows_add(r, np.r_[tv[:, 1:].ravel(), z.ravel()], np.r_[np.ones(nz), -np.tile(cap, m)],
                 -np.inf, 0.0, nz)


def billing_kw_bound(p: Problem, const_draw: np.ndarray, flex_ub: np.ndarray) -> float:
    """An upper bound on every billing demand of ``p`` at the optimum (window, ratchet memory, tail). [kW]

    A peak is at most the site's largest possible grid import: ``max_t pue_t (const_t +
    min(flex_ub_t, sum_j P_j))`` in the window, ``max_t site_const_t + pue_t min(ub_t, sum_j P_j
    + sum_l P_l)`` in the tail (on-site PV only lowers it); or a peak already set. A billing
    demand is the largest of a peak, a floor (contract, forecast) and a ratchet share of a
    peak, so at most ``max(1, max frac)`` times the largest of them. The big-M of the ordered
    tiers (:func:`_order_tiers`); with a 0.1 % + 1 kW margin against float noise.
    """
    jobs_kw = float(np.nansum(np.maximum(np.asarray(p.power_kw, float), np.asarray(p.run_kw, float))))
    kw = [float(np.max(p.pue * (const_draw + np.minimum(flex_ub, jobs_kw)), initial=0.0))]
    frac = 1.0
    for ch in p.demand:
        kw += [ch.floor_kw, *ch.history_kw.values(), *(f[2] for f in ch.future)]
        if ch.ratchet_frac is not None:
            frac = max(frac, float(np.max(ch.ratchet_frac)))
    tl = p.tail
    if tl is not None:
        g_kw = np.minimum(np.maximum(tl.ub_kw, 0.0), jobs_kw + float(np.sum(tl.later_kw)))
        kw.append(float(np.max(tl.site_const_kw + tl.pue * g_kw, initial=0.0)))
        kw += [float(v) for fl in tl.month_floor_kw.values() for v in fl.values()]
    return frac * max(kw) * 1.001 + 1.0


@dataclass
class _JobColumns:
    """The job columns of :func:`dcplan.schedule_lp.solve`'s model, in job order, and what they cover.

    Per column: ``job``, ``start`` (interval), ``length`` (intervals it spans: a block, or
    the run of a non-preemptible job), ``c`` (delay cost, less the start reward), ``ub``,
    ``integer`` (0/1), ``preemptible``. Per balance entry (column ``entry_col`` covers
    interval ``entry_t``, at ``entry_kw``: -1 for a block's kW, ``-run_kw`` for a start's
    binary), in the order the one-job-at-a-time build gave them; ``entry_preemptible``.
    """

    job: np.ndarray
    start: np.ndarray
    length: np.ndarray
    c: np.ndarray
    ub: np.ndarray
    integer: np.ndarray
    preemptible: np.ndarray
    entry_col: np.ndarray
    entry_t: np.ndarray
    entry_kw: np.ndarray
    entry_preemptible: np.ndarray


def _segments(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For segments of ``counts`` items: each item's segment and its index within it."""
    seg = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    return seg, np.arange(int(counts.sum())) - first[seg]


def _job_columns(p: Problem, dt: float, np_reward_usd_per_kwh: float) -> _JobColumns:
    """All jobs' columns at once: one column per block of a preemptible job (``block``
    intervals from ``t0``, the first one ``block_first`` when given, the last one cut at
    ``t1``), one binary per feasible start of a non-preemptible one (``t0 .. t1 - n_run + 1``).
    The values are the same floats, in the same order, as building the jobs one by one."""
    t0 = np.asarray(p.t0, np.int64)
    t1 = np.asarray(p.t1, np.int64)
    pre = np.asarray(p.preemptible, bool)
    blk = np.where(pre, np.asarray(p.block, np.int64), 1)
    first = _first_block(p, blk)
    nrun = np.where(pre, 1, np.asarray(p.n_run, np.int64))
    span = t1 - t0 + 1
    count = np.maximum(np.where(pre, np.where(span > 0, 1 + -(-np.maximum(span - first, 0) // blk), 0),
                                span - nrun + 1), 0)
    job, i = _segments(count)
    cpre = pre[job]
    # a preemptible job's blocks: the first one ``first`` intervals, then whole blocks
    off = np.where(i == 0, 0, first[job] + (i - 1) * blk[job])
    start = t0[job] + np.where(cpre, off, i)
    size = np.where(i == 0, first[job], blk[job])
    length = np.where(cpre, np.minimum(start + size, t1[job] + 1) - start, nrun[job])
    run_kw = np.asarray(p.run_kw, float)[job]
    if p.delay_usd_per_kwh_h:
        base = p.priority[job] * p.delay_usd_per_kwh_h * ((start - t0[job]) * dt)
        c = np.where(cpre, base * length * dt, base * run_kw * nrun[job] * dt)
    else:
        c = np.zeros(len(job))
    c = np.where(cpre, c, c - np_reward_usd_per_kwh * run_kw * nrun[job] * dt)
    ub = np.where(cpre, np.asarray(p.power_kw, float)[job], 1.0)
    # balance entries, job by job: a block covers its intervals, a start its run
    ecol, k = _segments(length)
    entry_t = start[ecol] + k
    entry_kw = np.where(cpre[ecol], -1.0, -run_kw[ecol])
    return _JobColumns(job, start, length, c, ub, (~cpre).astype(np.int64), cpre, ecol, entry_t, entry_kw,
                       cpre[ecol])


def _first_block(p: Problem, blk: np.ndarray) -> np.ndarray:
    """Intervals of each job's first block: ``p.block_first`` (1 .. block), or a whole block."""
    first = getattr(p, "block_first", None)
    return blk if first is None else np.clip(np.asarray(first, np.int64), 1, blk)


def _tail_rows(bld: _Builder, p: Problem, pre, defer, np_defer, dvars: dict, m_of: dict, fv, const_draw,
               fvars: dict, jc: _JobColumns, jv: np.ndarray, kw_max: float = np.inf):
    """Add the tail's columns and rows (module docstring); returns ``(g vars, {charge: [(peak
    var, floor, rates, tier vars)]})``, the peaks it added for months the window has none of."""
    tl, dt = p.tail, p.step_h
    nt = len(tl.usd_per_kw)
    tpv = tl.pv_kw  # on-site PV: where it exceeds the load there, the energy is priced on the import (below)
    gover = pv_surplus(tpv, tl.site_const_kw)
    # the tie-break per kWh deferred (TAIL_TIE_BREAK_USD_PER_KWH) is on g, per kWh of the tail's load: the later
    # jobs' energy in it is fixed (all of it lands, or pays TAIL_SHORT), so it prices the deferred kWh, as a cost
    # on each deferred column did, but on the tail's nt columns instead of every deferred job's blocks: HiGHS's
    # root LP ran 2-10x faster on the 15-min benchmark year's windows (bench_schedule), same objective
    tie = TAIL_TIE_BREAK_USD_PER_KWH * dt
    g = bld.var(nt, c=(tl.usd_per_kw if tpv is None else np.where(gover, 0.0, tl.usd_per_kw)) + tie, lb=0.0,
                ub=np.maximum(tl.ub_kw, 0.0))
    # deferred work: (columns, kWh per unit, tail end of its deadline)
    nj = len(p.names)
    jb = np.ones(nj, np.int64) if tl.job_block is None else np.maximum(np.asarray(tl.job_block, np.int64), 1)
    jf1 = jb if tl.job_block_first is None else np.clip(np.asarray(tl.job_block_first, np.int64), 1, jb)
    cols, end, jkw, blk, first, jw = [], [], [], [], [], []
    if defer is not None:  # kWh deferred
        jw.append(pre)
        cols.append(defer)
        end.append(np.asarray(tl.job_end, np.int64)[pre])
        jkw.append(np.asarray(tl.job_kw, float)[pre])
        blk.append(jb[pre])
        first.append(jf1[pre])
    if np_defer is not None:  # share of the run left unstarted (0 or 1 at an integer solution)
        opt, _, col = np_defer
        jw.append(opt)
        cols.append(col)
        end.append(np.asarray(tl.job_end, np.int64)[opt])
        jkw.append(np.asarray(tl.job_kw, float)[opt])
        blk.append(np.ones(len(opt), np.int64))
        first.append(np.ones(len(opt), np.int64))
    cols, end, jw = np.concatenate(cols), np.concatenate(end), np.concatenate(jw)
    jkw, blk, first = np.concatenate(jkw), np.concatenate(blk), np.concatenate(first)
    isnp = ~np.asarray(p.preemptible, bool)[jw]
    nrun = np.where(isnp, np.asarray(p.n_run, np.int64)[jw], 1)
    span = end + 1
    # columns per job: a preemptible job's blocks up to its deadline (its kW in each: the power
    # changes only between them), a non-preemptible job's feasible starts (the share of its run
    # starting there, at its run power for its whole run: the LP relaxation of the start choice)
    count = np.where(isnp, np.maximum(span - nrun + 1, 0), np.where(span > 0, 1 + -(-np.maximum(span - first, 0)
                                                                                     // blk), 0))
    keep = count > 0
    if (~keep).any():  # deferring nothing (or with nowhere to land): such a column must stay at zero
        nz = int((~keep).sum())
        bld.rows_add(np.arange(nz), cols[~keep], np.ones(nz), 0.0, 0.0, nz)
    cols, span, jw, jkw, blk, first, isnp, nrun, count = (a[keep] for a in (cols, span, jw, jkw, blk, first, isnp,
                                                                            nrun, count))
    nc = len(cols)
    seg, i = _segments(count)
    snp = isnp[seg]
    bstart = np.where(snp, i, np.where(i == 0, 0, first[seg] + (i - 1) * blk[seg]))
    blen = np.where(snp, nrun[seg], np.minimum(bstart + np.where(i == 0, first[seg], blk[seg]), span[seg]) - bstart)
    unit_kw = np.where(snp, jkw[seg], 1.0)  # kW per unit of the column in each interval it covers
    # (the tie-break per kWh deferred, of plans the tail prices the same the one that does the work now,
    # since the tail's view of the future is the optimistic one, is on g above)
    x = bld.var(len(seg), c=0.0, lb=0.0,
                ub=np.where(snp, 1.0, jkw[seg]))
    # kWh (preemptible) or share of the run (non-preemptible) deferred = the tail's columns
    bld.rows_add(np.r_[seg, np.arange(nc)], np.r_[x, cols], np.r_[np.where(snp, 1.0, blen * dt), -np.ones(nc)],
                 0.0, 0.0, nc)
    # a block the window's end cuts (the tail's first block the rest of it) keeps its power: the
    # window's last column of the job and the tail's first are one block
    cut = np.flatnonzero(~isnp & (first < blk))
    if len(cut):
        last = np.full(len(p.names), -1, np.int64)
        pc = np.flatnonzero(jc.preemptible)
        np.maximum.at(last, jc.job[pc], pc)  # a job's columns are in time order
        cut = cut[last[jw[cut]] >= 0]
        nk = len(cut)
        head = np.flatnonzero(i == 0)[cut]  # each job's first tail column
        bld.rows_add(np.r_[np.arange(nk), np.arange(nk)], np.r_[x[head], jv[last[jw[cut]]]],
                     np.r_[np.ones(nk), -np.ones(nk)], 0.0, 0.0, nk)
    xcol, k_in = _segments(blen)  # each column in every interval it covers
    t_of = bstart[xcol] + k_in
    x, x_kw = x[xcol], unit_kw[xcol]
    # the jobs released later, as one load ``h`` within their windows' power
    l_kwh = np.asarray(tl.later_kwh, float)
    l_start, l_end = np.asarray(tl.later_start, np.int64), np.asarray(tl.later_end, np.int64)
    l_kw = np.zeros(nt + 1)
    np.add.at(l_kw, l_start, np.asarray(tl.later_kw, float))
    np.add.at(l_kw, l_end + 1, -np.asarray(tl.later_kw, float))
    h = bld.var(nt, lb=0.0, ub=np.maximum(np.cumsum(l_kw)[:nt], 0.0))
    k = np.arange(nt)
    # the tail's load: g_t = sum_j x_jt + h_t
    bld.rows_add(np.r_[k, t_of, k], np.r_[g, x, h], np.r_[np.ones(nt), -x_kw, -np.ones(nt)], 0.0, 0.0, nt)
    # later jobs: all of it lands. It may fall short (``u``, at a penalty no schedule pays) only
    # where it cannot fit at all: that is for their own window to report
    u = bld.var(1, c=TAIL_SHORT_USD_PER_KWH, lb=0.0, ub=l_kwh.sum())
    bld.rows_add(np.zeros(nt + 1, np.int64), np.r_[h, u], np.r_[np.full(nt, dt), 1.0], l_kwh.sum(), l_kwh.sum(), 1)
    if len(l_kwh):
        # running total H_t = H_{t-1} + h_t dt; by each deadline the energy due has landed, and
        # before each release no more than the energy released
        cum = bld.var(nt, lb=0.0)
        bld.rows_add(np.r_[k, k, k[1:]], np.r_[cum, h, cum[:-1]],
                     np.r_[np.ones(nt), np.full(nt, -dt), -np.ones(nt - 1)], 0.0, 0.0, nt)
        ends = np.unique(l_end[l_end < nt - 1])
        if len(ends):
            ne = len(ends)
            bld.rows_add(np.r_[np.arange(ne), np.arange(ne)], np.r_[cum[ends], np.full(ne, u[0])],
                         np.ones(2 * ne), np.array([l_kwh[l_end <= e].sum() for e in ends]), np.inf, ne)
        starts = np.unique(l_start[l_start > 0])
        if len(starts):
            ns = len(starts)
            bld.rows_add(np.arange(ns), cum[starts - 1], np.ones(ns), -np.inf,
                         np.array([l_kwh[l_start < s0].sum() for s0 in starts]), ns)
    # soft thermal headroom: the flexible load above it is throttled, at the penalty
    if tl.soft_headroom_kw is not None:
        thr = bld.var(nt, c=tl.throttle_usd_per_kw, lb=0.0)
        bld.rows_add(np.r_[k, k], np.r_[g, thr], np.r_[np.ones(nt), -np.ones(nt)], -np.inf,
                     np.maximum(tl.soft_headroom_kw, 0.0), nt)
    # ramp limit: from the window's last interval on
    if tl.ramp_kw is not None:
        site_c = tl.site_const_kw
        prev_c = np.r_[p.pue[-1] * const_draw[-1], site_c[:-1]]
        prev_v = np.r_[fv[-1], g[:-1]]
        prev_pue = np.r_[p.pue[-1], tl.pue[:-1]]
        bld.rows_add(np.r_[k, k], np.r_[g, prev_v], np.r_[tl.pue, -prev_pue], -tl.ramp_kw - (site_c - prev_c),
                     tl.ramp_kw - (site_c - prev_c), nt)
    # the tail's grid import after on-site PV (dcplan.schedule_pv): what the peaks below measure
    gcol, gcoef, gconst = import_terms(bld, g, tl.pue, tl.site_const_kw, tpv, tl.usd_per_kw / tl.pue)
    # peaks where it lands: every charge of the tariff, also one the window holds no interval of
    after = {}
    window_ch = {ch.name: ch for ch in p.demand}
    for name, memb in tl.member.items():
        memb = np.asarray(memb, bool)
        ch = window_ch.get(name)
        fut = {int(a): i for i, (a, _, _) in enumerate(ch.future)} if ch is not None and name in fvars else {}
        for mon in np.unique(tl.month_abs[memb]):
            ts = np.flatnonzero(memb & (tl.month_abs == mon))
            if ch is not None and int(mon) in m_of:
                d = np.full(len(ts), dvars[name][m_of[int(mon)]])
            elif int(mon) in fut:  # the month's billing demand seen through the ratchet: one bill
                d = np.full(len(ts), fvars[name][0][fut[int(mon)]])  # for both (its floor the forecast)
            else:
                rates = np.atleast_2d(np.asarray(tl.month_usd_per_kw[name][int(mon)], float))
                fl = float(tl.month_floor_kw[name][int(mon)])
                q = bld.var(1, c=rates[:, 0] if rates.shape[1] == 1 else 0.0, lb=fl)
                tiers = _tier_cost(bld, q, rates, np.asarray(tl.upper_kw[name], float), kw_max)
                after.setdefault(name, []).append((q, fl, rates, tiers))
                d = np.full(len(ts), q[0])
            k = np.arange(len(ts))
            bld.rows_add(np.r_[k, k], np.r_[gcol[ts], d], np.r_[gcoef[ts], -np.ones(len(ts))], -np.inf,
                         -gconst[ts], len(ts))
    # the columns the tail's energy is priced on: its flexible load, and where PV exceeds the load its import
    return (g if tpv is None else np.r_[g, gcol[gover]]), after


def delay_usd(p: Problem, job_kw: np.ndarray) -> float:
    """Delay cost of per-job IT kW ``job_kw`` (J, N) as the model's objective prices it. [USD]

    ``priority_j x delay_usd_per_kwh_h x h x kWh``, with ``h`` the hours from the job's
    first allowed interval ``t0`` to the start of the block an interval belongs to
    (preemptible: blocks of ``block`` intervals from ``t0``, the first one ``block_first``
    when given) or to the start of the run
    (non-preemptible: its first interval with load), so any schedule -- the MILP's or a
    baseline's -- is costed on the same objective.
    """
    if not p.delay_usd_per_kwh_h or not job_kw.size:
        return 0.0
    dt = p.step_h
    n = job_kw.shape[1]
    t0 = np.asarray(p.t0, np.int64)[:, None]
    rel = np.maximum(np.arange(n)[None, :] - t0, 0)
    blk = np.maximum(np.asarray(p.block, np.int64), 1)
    f = _first_block(p, blk)[:, None]
    blk = blk[:, None]
    rel = np.where(np.asarray(p.preemptible, bool)[:, None],
                   np.where(rel < f, 0, f + (rel - f) // blk * blk), rel)
    on = job_kw > 0
    first = np.where(on.any(axis=1), on.argmax(axis=1), 0)[:, None]
    rel = np.where(np.asarray(p.preemptible, bool)[:, None], rel, np.maximum(first - t0, 0))
    return float((np.asarray(p.priority, float)[:, None] * p.delay_usd_per_kwh_h * rel * dt
                  * job_kw * dt).sum())
