"""Data of the scheduling MILP of :mod:`dcplan.schedule_lp` (which re-exports every name here).

What :func:`dcplan.schedule_lp.solve` is given: a :class:`Problem`, the arrays of one
scheduling model on the schedule grid (built by :func:`dcplan.schedule.build_problem`), with
its :class:`DemandCharge` s and, in a rolling-horizon window, the :class:`Tail` its deferred
work lands in; and what it returns: a :class:`Solution`. Plain dataclasses, no maths.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["DemandCharge", "Problem", "Solution", "Tail"]


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
    """After a rolling-horizon window: where its deferred work lands (:mod:`dcplan.schedule_lp_rows`).

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
    pv_kw : numpy.ndarray, shape (T,), optional
        On-site PV behind the meter: the tail's energy and peaks are of the grid import
        ``max(0, site - pv)`` (:mod:`dcplan.schedule_pv`). None: no PV. [kW]
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
    pv_kw: np.ndarray | None = None


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
    site_limits: tuple = ()  # which site limits ``flex_ub_kw`` holds ("the site cap", "curtailments",
    #                          "4CP windows"): named by the infeasibility report, never guessed
    pv_kw: np.ndarray | None = None  # (N,) on-site PV behind the meter [kW]: energy, carbon, demand and 4CP
    #                                  are of the grid import max(0, site - pv) (dcplan.schedule_pv); None: no PV
    limit_room_kw: dict = field(default_factory=dict)  # {limit named in site_limits: (N,) flexible IT room it
    #                                                   leaves [kW]}: which one binds, for the infeasibility report

    @property
    def throttled_base_it_kw(self) -> np.ndarray:
        """(N,) must-run IT the plant cannot cool, ``max(0, base - headroom)`` (0 without a headroom), in either
        headroom mode: throttled away, it draws nothing, so no site load, import, bill, peak or energy figure
        includes it (the throttling penalty prices it). [kW]"""
        if self.headroom_it_kw is None:
            return np.zeros(len(self.base_it_kw))
        return np.maximum(self.base_it_kw - self.headroom_it_kw, 0.0)

    @property
    def drawn_base_it_kw(self) -> np.ndarray:
        """(N,) must-run IT drawn: ``base_it_kw - throttled_base_it_kw``, ``min(base, headroom)``; the site load is
        ``pue (drawn_base + fixed + flexible)``. Flexible IT above a soft headroom is drawn (billed as it runs): a
        draw that fell with the throttled kW would let the LP throttle work to shave a peak. [kW]"""
        return self.base_it_kw - self.throttled_base_it_kw


@dataclass
class Solution:
    """Solver output decoded (see :func:`dcplan.schedule_lp.solve`)."""

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
    x: np.ndarray | None = None  # HiGHS's column values (a start for a model of the same columns: ``lp_start``)
