"""Model build and solve for :mod:`dcplan.schedule` (HiGHS through ``scipy.optimize.milp``).

The formulation (all sums over the intervals ``t`` of the horizon, ``dt`` hours each):

* flexible IT load ``f_t = sum_j y_jt + sum_j P'_j sum_{s<=t<s+n_j} x_js`` (one
  equality row per interval, so every other constraint refers to ``f_t`` only);
* site import ``site_t = pue_t (base_t + fixed_t + f_t)``;
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
  IT kW) priced at the throttling penalty;
* demand charge ``c`` (flat or TOU period) in month ``m``: peak ``D_cm >= w_r(site)``
  for every demand row ``r`` of the month that counts for ``c`` (``w_r`` the interval
  average, or the clock-aligned block / rolling average over the tariff's demand
  window), ``D_cm >=`` the peak already set in the month (rolling horizon); billing
  demand ``B_cm >= D_cm``, ``>= floor`` (contract demand), ``>= frac x D_ck`` for the
  ratchet months ``k``, ``>= frac x`` known earlier peaks; cost ``sum_k rate_mk b_cmk``
  over demand tiers ``b`` (``sum_k b_cmk = B_cm``, nondecreasing tier rates, so the LP
  fills them in order exactly as the bill does);
* ratchet memory: months after the horizon within the look-back get ``F_cm >= frac x
  D_ck`` and ``F_cm >=`` a forecast floor, priced at their rate, so the optimizer sees
  that a peak now raises the next 11 months' billing demand;
* ramp limit: ``|site_t - site_{t-1}| <= R``;
* rolling horizon (:class:`Tail`): deferred energy ``d_j`` of the preemptible jobs whose
  deadlines reach past the window, and the run ``e_j u_j`` of an optional non-preemptible job
  left unstarted (``u_j`` in [0, 1]), land after the window (an LP relaxation, continuous):
  each such job in its own columns up to its deadline: a preemptible job's ``x_jb`` (``0 <=
  x_jb <= P_j`` per min-run block, the first one tied to the window's last when the window's
  end cuts that block; ``sum_b x_jb len_b dt = d_j``), a non-preemptible job's ``z_js`` per
  feasible start (its run at ``P'_j`` for ``n_j`` intervals, ``0 <= z_js``, ``sum_s z_js = u_j``:
  the LP relaxation of its start, so a run is not split into divisible energy), the jobs
  released later as one load ``h_t`` (within their windows' power; by each deadline the
  energy due has landed, before each release no more than the energy released), and
  ``g_t`` (the sum of the jobs' kW and ``h_t``) within the flexible room. ``g_t`` pays the
  energy price (and a tie-break per kWh deferred, :data:`TAIL_TIE_BREAK_USD_PER_KWH`) and, per
  demand charge ``c``,
  ``pue_t (const_t + g_t) <= D_cm`` at its member intervals: the window's own peak of month
  ``m``, the month's ratchet billing demand ``F_cm`` when it has one, or else a new peak
  (floor: the forecast) priced at its rate. So deferring work is weighed against the peak it
  sets where it lands.

Objective: ``sum_t (price_t + carbon_t) site_t dt + 4CP_t site_t + pen thr_t dt +
demand + delay``. At the optimum ``B_cm`` equals the bill's billing demand, so the
demand part equals :meth:`dcplan.tariff.Tariff.bill` 's demand charges for the
horizon's months (``tests/test_schedule.py`` checks it).
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from .errors import InputError
from .tariff_engine import tier_split as _engine_tier_split

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
HIGHS_EXTRA_OPTIONS = {"mip_heuristic_run_feasibility_jump": False}
_EXTRA_OPTION_WARNING = r"Unrecognized options detected: \{'mip_heuristic_run_feasibility_jump'"


#: Rolling-horizon tail: penalty on energy of jobs released after a window that cannot land
#: after it at all (only an impossible job mix pays it; its own window then reports it).
#: Far above any energy price plus demand charge per kWh. [$/kWh]
TAIL_SHORT_USD_PER_KWH = 1e4
#: Rolling-horizon tail: cost per kWh of work deferred past a window, on top of its estimated
#: energy and demand cost: a tie-break (0.01 US cent/kWh, far below any price difference worth
#: deferring for), so that of plans the tail prices the same, the one doing the work now wins. [$/kWh]
TAIL_TIE_BREAK_USD_PER_KWH = 1e-4


@dataclass
class DemandCharge:
    """One demand charge in the scheduling model.

    Parameters
    ----------
    name : str
        Label (``"flat"``, ``"tou:on_peak"``...).
    member : numpy.ndarray of bool, shape (N,)
        Intervals whose demand counts for this charge.
    usd_per_kw : numpy.ndarray, shape (M, K)
        Rate per horizon month and demand tier (escalated). [$/kW-month]
    upper_kw : numpy.ndarray, shape (K,)
        Tier upper bounds (last inf). [kW]
    floor_kw : float
        Minimum billing demand (contract demand x fraction). [kW]
    ratchet_frac : numpy.ndarray, shape (12,), optional
        Ratchet fraction by calendar month of the billed month.
    ratchet_lookback : int
        Months looked back (11 for URDB ``demandratchetpercentage``).
    ratchet_mask : numpy.ndarray of bool, shape (12,)
        Calendar months whose peaks count for the ratchet.
    history_kw : dict
        ``{absolute month (year*12 + month-1): peak kW}`` known before/at the horizon
        start: earlier months (ratchet) and the part of the first month already past.
    future : list of (int, numpy.ndarray, float)
        Months after the horizon seen through the ratchet: ``(absolute month, rate per
        tier [$/kW], forecast floor [kW])``.
    """

    name: str
    member: np.ndarray
    usd_per_kw: np.ndarray
    upper_kw: np.ndarray
    floor_kw: float = 0.0
    ratchet_frac: np.ndarray | None = None
    ratchet_lookback: int = 0
    ratchet_mask: np.ndarray | None = None
    history_kw: dict = field(default_factory=dict)
    future: list = field(default_factory=list)


@dataclass
class Tail:
    """After a rolling-horizon window: where its deferred work lands (module docstring).

    Arrays of ``T`` intervals (the ones after the window, up to the last deadline of the work
    it may defer); tail positions ``0 .. T-1``. ``job_end`` is per window job.

    Attributes
    ----------
    usd_per_kw : numpy.ndarray, shape (T,)
        Cost of one flexible IT kW in the interval: energy and carbon for ``dt`` hours at the
        site (x PUE), plus 4CP. [$/kW]
    ub_kw : numpy.ndarray, shape (T,)
        Flexible IT room: cap, 4CP windows and hard headroom less committed load, at most
        the power of the jobs that may run then. [kW]
    site_const_kw : numpy.ndarray, shape (T,)
        Site load already there: PUE x (must-run + committed). [kW]
    pue : numpy.ndarray, shape (T,)
    month_abs : numpy.ndarray, shape (T,)
        Absolute month (year*12 + month-1) of each interval.
    member : dict
        ``{charge name: (T,) bool}``: intervals whose demand counts for the charge.
    month_usd_per_kw : dict
        ``{charge name: {absolute month: (K,) tier rates}}`` of the tail's months. [$/kW]
    month_floor_kw : dict
        ``{charge name: {absolute month: kW}}``: the peak a tail month is expected to have
        anyway (contract floor, must-run peak, peak already set, persistence forecast), for a
        charge the window has no peak of that month for. [kW]
    upper_kw : dict
        ``{charge name: (K,) tier upper bounds}``. [kW]
    job_end : numpy.ndarray of int, shape (J,)
        Tail position of each window job's deadline; -1 for a job that defers nothing.
    later_start, later_end : numpy.ndarray of int, shape (L,)
        Tail positions of the release and deadline of the jobs released after the window.
    later_kwh : numpy.ndarray, shape (L,)
        Their energy (IT) to land in the tail (of a job due after it, what its power cannot do
        after it). [kWh]
    job_kw : numpy.ndarray, shape (J,)
        Power of each window job when it runs (non-preemptible: its run power). [kW]
    later_kw : numpy.ndarray, shape (L,)
        Power of each later job. [kW]
    soft_headroom_kw : numpy.ndarray, shape (T,), optional
        Soft thermal headroom left for flexible IT load; the load above it pays
        ``throttle_usd_per_kw`` per interval. None: no soft headroom (a hard one is in ``ub_kw``). [kW]
    throttle_usd_per_kw : float
        Throttling penalty per kW for one interval. [$/kW]
    ramp_kw : float, optional
        Ramp limit on site kW between intervals, the window's last one included. [kW]
    job_block, job_block_first : numpy.ndarray of int, shape (J,), optional
        A deferred job's power may change only every ``job_block`` intervals (its ``min_run_h``
        blocks), the first block ``job_block_first`` intervals from the tail's start (the rest
        of the block it is in there). None: every interval.
    """

    usd_per_kw: np.ndarray
    ub_kw: np.ndarray
    site_const_kw: np.ndarray
    pue: np.ndarray
    month_abs: np.ndarray
    member: dict
    month_usd_per_kw: dict
    month_floor_kw: dict
    upper_kw: dict
    job_end: np.ndarray
    later_start: np.ndarray
    later_end: np.ndarray
    later_kwh: np.ndarray
    job_kw: np.ndarray | None = None
    later_kw: np.ndarray | None = None
    soft_headroom_kw: np.ndarray | None = None
    throttle_usd_per_kw: float = 0.0
    ramp_kw: float | None = None
    job_block: np.ndarray | None = None
    job_block_first: np.ndarray | None = None


@dataclass
class Problem:
    """Arrays of one scheduling model (built by :func:`dcplan.schedule.build_problem`)."""

    index: pd.DatetimeIndex
    step_h: float
    month_abs: np.ndarray          # (N,) absolute month of each interval (interval start, local)
    months: np.ndarray             # (M,) absolute months of the horizon
    energy_usd_per_kwh: np.ndarray  # (N,)
    carbon_usd_per_kwh: np.ndarray  # (N,)
    fourcp_usd_per_kw: np.ndarray   # (N,) linear 4CP cost on site kW
    pue: np.ndarray                 # (N,)
    base_it_kw: np.ndarray          # (N,)
    fixed_it_kw: np.ndarray         # (N,) committed flexible load (rolling horizon)
    flex_ub_kw: np.ndarray          # (N,) upper bound of the flexible IT load
    headroom_it_kw: np.ndarray | None
    headroom_mode: str
    throttle_usd_per_kwh: float
    ramp_kw: float | None
    demand: list                    # of DemandCharge
    demand_a: sparse.csr_matrix     # (R, N) demand averaging rows
    demand_row_t: np.ndarray        # (R,) representative interval of each row (for membership)
    demand_row_members: sparse.csr_matrix  # (R, N) 0/1: which intervals' membership the row carries
    # jobs
    names: list
    preemptible: np.ndarray
    power_kw: np.ndarray
    energy_lo_kwh: np.ndarray
    energy_hi_kwh: np.ndarray
    t0: np.ndarray                  # first allowed interval
    t1: np.ndarray                  # last allowed interval (inclusive)
    block: np.ndarray               # intervals per block (preemptible)
    n_run: np.ndarray               # intervals per run (non-preemptible)
    run_kw: np.ndarray              # power when running (non-preemptible)
    np_optional: np.ndarray         # non-preemptible job may stay unstarted in this window
    priority: np.ndarray
    delay_usd_per_kwh_h: float = 0.0
    terminal_usd_per_kwh: np.ndarray | None = None  # value of deferred energy; of an optional
    #                                                 non-preemptible job's run left for later (rolling)
    tail: Tail | None = None  # rolling horizon: where deferred work lands after the window
    block_first: np.ndarray | None = None  # (J,) intervals of a preemptible job's first block
    #                                        (rolling horizon: the rest of a block of the job's own
    #                                        grid, from its earliest start); None: whole blocks from t0


@dataclass
class Solution:
    """Solver output decoded (see :func:`solve`)."""

    status: int
    message: str
    job_kw: np.ndarray               # (J, N) IT kW per job
    flex_kw: np.ndarray              # (N,)
    throttle_kw: np.ndarray          # (N,)
    started: np.ndarray              # (J,) start interval of non-preemptible jobs (-1 none)
    deferred_kwh: np.ndarray         # (J,)
    components: dict                 # objective components from the variable values [USD]
    billing_kw: dict                 # {charge: array (M,)} billing demand per horizon month
    objective_usd: float
    bound_usd: float                 # best bound (MIP dual bound, or the objective for an LP)
    mip_gap: float
    solve_s: float
    build_s: float
    n_vars: int
    n_binaries: int
    n_rows: int
    unserved_kwh: np.ndarray | None = None  # (J,) work left unserved (``unserved_usd_per_kwh``)
    ramp_excess_kw: float = 0.0  # largest excess over the ramp limit (``ramp_excess_usd_per_kw``)


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
        rows = np.repeat(np.arange(n), k)
        cols = rows - np.tile(np.arange(k)[::-1], n)
        ok = cols >= 0
        cnt = np.minimum(np.arange(n) + 1, k)
        a = sparse.csr_matrix((1.0 / cnt[rows[ok]], (rows[ok], cols[ok])), shape=(n, n))
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


def _tier_cost(bld: _Builder, bvars: np.ndarray, rates: np.ndarray, upper: np.ndarray):
    """Cost of billing-demand vars ``bvars`` (M,) over tiers; returns tier var ids (M, K)."""
    m, k = rates.shape
    if k == 1:  # single tier: priced on the billing var itself
        return None
    if (np.diff(rates, axis=1) < -1e-12).any():
        raise InputError("declining demand-tier rates are not convex; the scheduling LP supports "
                         "tier rates that do not decrease with kW", field="demand tiers")
    # tier widths; a tier above an open bound (padding of a period with fewer tiers) has none
    width = tier_split(np.inf, upper)
    tv = bld.var(m * k, c=rates.ravel(), lb=0.0, ub=np.tile(width, m)).reshape(m, k)
    r = np.repeat(np.arange(m), k + 1)
    cols = np.column_stack([tv, bvars[:, None]]).ravel()
    vals = np.tile(np.r_[np.ones(k), -1.0], m)
    bld.rows_add(r, cols, vals, 0.0, 0.0, m)
    return tv


@dataclass
class _JobColumns:
    """The job columns of :func:`solve`'s model, in job order, and what they cover.

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
          ramp_excess_usd_per_kw: float = 0.0) -> Solution:
    """Build the sparse MILP of ``p`` and solve it with HiGHS (``scipy.optimize.milp``).

    ``np_reward_usd_per_kwh`` (elastic infeasibility check only) rewards starting an
    optional non-preemptible job, per kWh it runs. ``unserved_usd_per_kwh`` > 0 lets every
    job leave work unserved at that price per kWh (a preemptible job's energy, a
    non-preemptible job's whole run): ``Solution.unserved_kwh``. ``ramp_excess_usd_per_kw`` > 0
    lets the site's change between intervals exceed the ramp limit at that price per kW of
    excess (rolling horizon: a curtailment announced too late to ramp down to it):
    ``Solution.ramp_excess_kw``.
    """
    tb = time.perf_counter()
    n, dt = len(p.index), p.step_h
    bld = _Builder()
    site_coef = (p.energy_usd_per_kwh + p.carbon_usd_per_kwh) * p.pue * dt + p.fourcp_usd_per_kw * p.pue
    const_it = p.base_it_kw + p.fixed_it_kw
    flex_ub = np.maximum(p.flex_ub_kw - p.fixed_it_kw, 0.0)
    hard_excess = None
    if p.headroom_it_kw is not None and p.headroom_mode == "hard":
        # hard headroom is a bound on the flexible load; only the must-run excess is throttled
        flex_ub = np.minimum(flex_ub, np.maximum(p.headroom_it_kw - const_it, 0.0))
        hard_excess = np.maximum(const_it - p.headroom_it_kw, 0.0)
    fv = bld.var(n, c=site_coef, lb=0.0, ub=flex_ub)
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
        k = p.pue * const_it
        lo, hi = -p.ramp_kw - (k[1:] - k[:-1]), p.ramp_kw - (k[1:] - k[:-1])
        if ramp_excess_usd_per_kw > 0:  # |change| <= limit + excess, the excess priced
            ramp_x = bld.var(n - 1, c=ramp_excess_usd_per_kw, lb=0.0)
            m = np.arange(n - 1)
            bld.rows_add(np.r_[r, m], np.r_[c, ramp_x], np.r_[v, np.ones(n - 1)], lo, np.inf, n - 1)
            bld.rows_add(np.r_[r, m], np.r_[c, ramp_x], np.r_[v, -np.ones(n - 1)], -np.inf, hi, n - 1)
        else:
            bld.rows_add(r, c, v, lo, hi, n - 1)
    # demand charges
    months = p.months
    m_of = {int(a): i for i, a in enumerate(months)}
    a_pue = p.demand_a.multiply(p.pue[None, :]).tocsr()
    const_rows = a_pue @ const_it
    dvars, bvars, fvars, tiers = {}, {}, {}, {}
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
        cols = np.r_[dv[rm], fv[sub.col]]
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
        tiers[ch.name] = _tier_cost(bld, bv, ch.usd_per_kw, ch.upper_kw)
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
            tiers[ch.name + ":future"] = _tier_cost(bld, fv_, fut_rates, ch.upper_kw)
            fvars[ch.name] = (fv_, fl, fut_rates)
    tail = None
    if p.tail is not None and (defer is not None or np_defer is not None):
        tail = _tail_rows(bld, p, pre, defer, np_defer, dvars, m_of, fv, const_it, fvars, jc, jv)
    c, lb, ub, integ, a, rlo, rhi = bld.arrays()
    build_s = time.perf_counter() - tb
    ts = time.perf_counter()
    _quiet_extra_option_warning()
    res = milp(c, constraints=LinearConstraint(a, rlo, rhi), integrality=integ, bounds=Bounds(lb, ub),
               options={"mip_rel_gap": mip_rel_gap, "time_limit": time_limit_s, "presolve": True,
                        **HIGHS_EXTRA_OPTIONS})
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
                    0.0 if ramp_x is None else float(np.max(x[ramp_x], initial=0.0)))


def _tail_rows(bld: _Builder, p: Problem, pre, defer, np_defer, dvars: dict, m_of: dict, fv, const_it,
               fvars: dict, jc: _JobColumns, jv: np.ndarray):
    """Add the tail's columns and rows (module docstring); returns ``(g vars, {charge: [(peak
    var, floor, rates, tier vars)]})``, the peaks it added for months the window has none of."""
    tl, dt = p.tail, p.step_h
    nt = len(tl.usd_per_kw)
    g = bld.var(nt, c=tl.usd_per_kw, lb=0.0, ub=np.maximum(tl.ub_kw, 0.0))
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
    # (a tie-break cost per kWh deferred: of plans the tail prices the same, the one that does the
    # work now wins, since the tail's view of the future is the optimistic one)
    x = bld.var(len(seg), c=TAIL_TIE_BREAK_USD_PER_KWH * dt * blen * unit_kw, lb=0.0,
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
        prev_c = np.r_[p.pue[-1] * const_it[-1], site_c[:-1]]
        prev_v = np.r_[fv[-1], g[:-1]]
        prev_pue = np.r_[p.pue[-1], tl.pue[:-1]]
        bld.rows_add(np.r_[k, k], np.r_[g, prev_v], np.r_[tl.pue, -prev_pue], -tl.ramp_kw - (site_c - prev_c),
                     tl.ramp_kw - (site_c - prev_c), nt)
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
                tiers = _tier_cost(bld, q, rates, np.asarray(tl.upper_kw[name], float))
                after.setdefault(name, []).append((q, fl, rates, tiers))
                d = np.full(len(ts), q[0])
            k = np.arange(len(ts))
            bld.rows_add(np.r_[k, k], np.r_[g[ts], d], np.r_[tl.pue[ts], -np.ones(len(ts))], -np.inf,
                         -tl.site_const_kw[ts], len(ts))
    return g, after


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


def _components(p, x, fv, thr_kw, dvars, bvars, fvars, tiers, defer, job_kw, np_defer=None, tail=None,
                c=None) -> dict:
    """Objective split by component, computed from the variable values [USD] (constants included)."""
    dt = p.step_h
    site = p.pue * (p.base_it_kw + p.fixed_it_kw + x[fv])
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
