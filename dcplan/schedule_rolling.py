"""Rolling-horizon scheduling of a year (or any long index) with :mod:`dcplan.schedule`.

Windows of ``commit + lookahead`` are solved in turn; the first ``commit`` of each
is kept. Carried between windows:

* energy already done by each preemptible job, and the full run of every
  non-preemptible job started (fixed load in later windows);
* for every demand charge, the peak already set in the current month (a floor on
  the month's peak) and the monthly peaks of earlier months (the ratchet's memory);
* curtailment events become known at ``start - notice_h``; a notice inside a commit
  period cuts it short and the schedule is re-solved from the start of the interval the
  notice falls in (a notice within an interval is acted on for all of it: the load of an
  interval is its average, and the interval's average then meets the limit);
* with a ramp limit, each window also holds the last committed interval at its committed
  load, so the ramp from it to the window's first interval is limited too (the same
  frozen interval lets a notice on the last interval leave a one-interval window);
* a job's ``min_run_h`` blocks lie on its own grid (from its earliest start, as in
  :func:`dcplan.schedule.optimize`): a block that runs on past a commit is held at its
  power to its end (a curtailment notice before then preempts it instead);
* a non-preemptible run that a curtailment announced after its start would push over the
  limit is stopped at the notice: its energy so far is billed and lost (``jobs.lost_kwh``,
  with a warning), and the job runs again from the start if its deadline still allows.

With on-site PV (``pv_kw``) every window, its tail, the peaks carried between windows and the
bills are of the grid import after it, never below zero (:mod:`dcplan.schedule_pv`).

A tail of one interval after a commit joins that commit (a window needs two intervals);
a window shorter than two intervals is extended into the look-ahead.

A preemptible job whose deadline lies beyond the window may defer energy, and a
non-preemptible job that may still start after the window may stay unstarted. That work
lands after the window in a *tail* (:class:`dcplan.schedule_lp.Tail`): an LP of the
intervals up to the last deadline of the work deferred, each deferred job at its own power
by its own deadline (in its min-run blocks, a block the window's end cuts one block with the
tail's first; a non-preemptible run as a whole run, relaxed over its starts), with the jobs
released later that are due by then (one load), within the flexible room, under the announced
curtailments and the ramp limit. It pays the energy price
where it lands (and, with soft headroom, the throttling penalty above it) and raises the
demand peak there, for every demand charge of the tariff: the window's own peak of the
month, the month's ratchet billing demand, or the peak of a month above what it is expected
to have anyway (contract floor, must-run peak, the peak already set, persistence forecast:
the month before, if this run scheduled it; a prior year's peaks passed in for the ratchet
are no forecast). So the window weighs cheap energy later against the peak it would set:
work is no longer pushed into next month's cheaper hours at the cost of a new peak there.
Months after the window also see the ratchet
(:func:`dcplan.schedule.demand_charges_from_tariff`) with the same persistence forecast.
A window lengthened so that a non-preemptible job's run fits is lengthened again for any
job that then must start in it.

Approximations (documented, not hidden): a rolling (sliding) demand window restarts at
each window start; the tail is an LP relaxation (work divisible in its blocks; a
non-preemptible run may be spread over several starts; the jobs released later as one load;
demand per interval, not over the tariff's demand window) and its months' peaks do not feed
the ratchet of later months; with a look-ahead shorter than a min-run block, a block the
window's end cuts is held as the tail planned it.

A window whose work cannot all be done (the jobs do not fit at all, or what earlier windows
left does not leave room: a curtailment announced late, a ramp limit) does as much as it
can: the work it cannot do is left unserved at a penalty no schedule pays when it can avoid
it (``windows.unserved_kwh``), the jobs left short are in ``RollingResult.shortfall`` with a
warning, and the savings are not comparable. Where even that breaks a limit (the load
already committed cannot ramp down in time to a curtailment announced now), the ramp limit
gives way, by as little as it takes (``windows.ramp_excess_kw``, with a warning); only a
must-run load that breaks a limit by itself stops the run.
"""
from __future__ import annotations

import concurrent.futures as cf
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .schedule import (_UNSERVED_USD_PER_KWH, MIP_REL_GAP_DEFAULT,
                       _job_arrays_from_frame, _month_abs, asap, build_problem, greedy, jobs_frame)
from .schedule_baselines import _room, unequal_work
from .schedule_inputs import _curtail_ub, _steps, check_solver_options, index_step_s
from .schedule_demand import peaks_in
from .schedule_lp import demand_rows, solve
from .schedule_lp_rows import first_member
from .schedule_pv import grid_import_kw
from .schedule_window import window_args, window_tail
from .schedule_rolling_notes import (_check_elastic, _few, _known_at, _shortfall, _stop_runs,  # noqa: F401
                                     _warn_limits_given_way, window_stopped)
from .schedule_solve import proven, rolling_status_text, span_name, unproven_warning

#: Price of each kW by which a window's schedule exceeds the ramp limit, when only that meets a
#: curtailment announced too late to ramp down to it: far above any saving, so the excess is the
#: least that meets the limits (and above the price of unserved work). [$/kW]
_RAMP_EXCESS_USD_PER_KW = 1e6

__all__ = ["rolling_horizon", "start_rolling_horizon", "RollingResult"]


@dataclass
class RollingResult:
    """Output of :func:`rolling_horizon`.

    Attributes
    ----------
    load : pandas.DataFrame
        ``base_it_kw`` (must-run IT asked), ``flex_it_kw``, ``site_kw``, ``pv_kw`` (0 without PV),
        ``throttle_it_kw`` (the must-run IT the plant cannot cool, ``max(0, base - headroom)``, the same in
        every strategy: throttled away, it draws nothing) and per strategy its IT load ``it_kw_<strategy>``
        (must-run + its jobs, as asked), the IT it draws ``drawn_it_kw_<strategy>`` (``it_kw`` less
        ``throttle_it_kw``), its site load ``site_kw_<strategy>`` (``pue x drawn_it_kw``) and the grid
        import it is billed for, ``grid_import_kw_<strategy>`` (``max(0, site - pv)``; the site load
        without PV). [kW]
    costs : pandas.DataFrame
        Billed cost per strategy (``optimized``, ``greedy``, ``asap``): ``bill_energy_usd``,
        ``bill_demand_usd``, ``bill_fixed_usd``, ``bill_total_usd``, ``peak_site_kw``, ``peak_grid_kw``,
        ``jobs_not_placed`` (the baselines first repair their order to place every job,
        :func:`dcplan.schedule_baselines.greedy`; a strategy that still leaves work unplaced
        gets no saving, :attr:`savings`). [USD, kW]
    windows : pandas.DataFrame
        Per solve: ``start``, ``commit_end``, ``n_jobs``, ``solve_s``, ``build_s``,
        ``mip_gap``, ``n_vars``, ``n_binaries``, ``status``, ``unserved_kwh`` (work the
        solve left unserved: 0 unless the window could not do all of it; work still short in
        the next window counts there again, so the totals are in :attr:`shortfall`) and
        ``ramp_excess_kw`` (by how much its schedule exceeds the ramp limit: 0 unless a
        curtailment was announced too late to ramp down to it), ``proven`` (HiGHS proved its
        schedule within the gap asked, :func:`dcplan.schedule_solve.proven`; a window stopped by
        ``time_limit_s`` with a schedule keeps it, with a warning, :attr:`solver_status`).
    jobs : pandas.DataFrame
        Job table with ``energy_done_kwh`` and ``lost_kwh`` (energy of a non-preemptible run
        a curtailment announced after its start stopped: billed, and lost). [kWh]
    wall_s : float
        Total time. [s]
    bills : dict
        :class:`~dcplan.tariff_bill.Bill` per strategy.
    peaks_kw : pandas.DataFrame
        The demand state carried between windows: peak per billing month (rows) and
        demand charge (columns), as the windows saw it. [kW]
    shortfall : pandas.DataFrame
        Jobs the optimized schedule left short (empty in the usual case): ``energy_kwh``,
        ``unplaced_kwh``, ``deadline`` and ``reason`` (the first window that could not do
        all of it: ``windows.unserved_kwh``, the work its solve left unserved; or the
        curtailment that stopped a non-preemptible run too late to run again). A window does
        less only when its work cannot all be done: the jobs do not fit at all, or what
        earlier windows committed left too little room (e.g. a curtailment announced after
        they committed). [kWh]
    unplaced : dict
        ``{strategy: names of the jobs it left unplaced (or short)}``, empty tuples in the usual case.
        Strategies that left the same jobs unplaced and did the same IT work are like for like:
        their saving is given (:attr:`same_unplaced` names the jobs).
    solver : dict
        ``mip_rel_gap`` and ``time_limit_s`` (per window) asked, ``solve_name`` (its warning's name).
    """

    load: pd.DataFrame
    costs: pd.DataFrame
    windows: pd.DataFrame
    jobs: pd.DataFrame
    wall_s: float
    bills: dict
    peaks_kw: pd.DataFrame
    shortfall: pd.DataFrame = field(default_factory=pd.DataFrame)
    unplaced: dict = field(default_factory=dict)
    solver: dict = field(default_factory=dict)

    @property
    def proven(self) -> bool:
        """Every window's solve proven within the gap asked (``windows.proven``, :mod:`dcplan.schedule_solve`)."""
        return bool(self.windows["proven"].all()) if "proven" in self.windows else True

    @property
    def solver_status(self) -> str:
        """The windows' solves in words (:func:`dcplan.schedule_solve.rolling_status_text`)."""
        return rolling_status_text(self.windows, self.solver.get("mip_rel_gap", np.nan),
                                   self.solver.get("time_limit_s", np.nan))

    def warn_unproven(self, stacklevel: int = 2) -> None:
        """Issue the DcplanWarning of windows not proven within the gap asked (none when all are)."""
        if not self.proven:
            status = self.solver_status.removeprefix("NOT proven: ")
            unproven_warning(f"{self.solver.get('solve_name') or 'rolling horizon'}: HiGHS did not prove every "
                             f"window's schedule within the MIP gap asked ({status}): the bill and "
                             "savings are those of schedules that may not be the best ones; raise time_limit_s (now "
                             f"{float(self.solver.get('time_limit_s', np.nan)):g} s per window) to prove them",
                             stacklevel + 1)

    @property
    def savings(self) -> pd.Series:
        """Billed savings of the optimized schedule over the index, like for like. [USD]

        ``vs_asap_usd``, ``vs_greedy_usd``: the baseline's bill minus the optimized bill.
        A saving compares the same work: where the two left different jobs unplaced (or did
        different IT work) it is NaN and :attr:`not_comparable` says why; where both left the same
        jobs unplaced and did the same IT work it is given (:attr:`same_unplaced` names the jobs);
        so is a baseline not computed (``baselines=False``).
        """
        c = self.costs
        out = pd.Series({f"vs_{k}_usd": float(c.at[k, "bill_total_usd"] - c.at["optimized", "bill_total_usd"])
                         if k in c.index else np.nan for k in ("asap", "greedy")}, name="savings", dtype=float)
        out[list(self.not_comparable)] = np.nan
        return out

    @property
    def not_comparable(self) -> dict:
        """Why a figure of :attr:`savings` is NaN: ``{savings key: reason}``; empty when both
        baselines were computed and every strategy placed every job (the usual case)."""
        why = unequal_work(self.costs, len(self.jobs))
        out = {}
        for k in ("asap", "greedy"):
            if k not in self.costs.index:
                out[f"vs_{k}_usd"] = f"the {k} baseline was not computed (baselines=False)"
            elif k in why and not self._same_work(k):
                out[f"vs_{k}_usd"] = why[k]
        return out

    def _same_work(self, k: str, ref: str = "optimized") -> bool:
        """Strategies ``k`` and ``ref`` left the same jobs unplaced and did the same IT work (their IT
        energy equal to 1e-6 of it): their bills compare the same work."""
        if k not in self.unplaced or ref not in self.unplaced or set(self.unplaced[k]) != set(self.unplaced[ref]):
            return False
        a, b = float(self.load[f"it_kw_{k}"].sum()), float(self.load[f"it_kw_{ref}"].sum())
        return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)

    @property
    def same_unplaced(self) -> str:
        """``""`` in the usual case; else that the strategies whose savings are given left the same jobs
        unplaced and did the same IT work, naming the jobs: the savings are of the work without them."""
        names = self.unplaced.get("optimized", ())
        alike = [k for k in ("asap", "greedy") if k in self.costs.index and self._same_work(k)]
        if not names or not alike:
            return ""
        who = {"asap": "run-ASAP", "greedy": "the greedy baseline"}
        e = self.jobs["energy_kwh"].reindex(list(names))
        listed = _few([f"{k!r} ({v:,.1f} kWh)" for k, v in e.items()])
        return (f"the optimized schedule and {' and '.join(who[k] for k in alike)} all left the same "
                f"{len(names):,} of {len(self.jobs):,} job(s) unplaced ({listed}) and did the same IT work: "
                "the saving compares the same work, without those jobs")

    @property
    def work_short(self) -> dict:
        """The strategies whose bill is of less work than the jobs ask: ``{strategy: reason}``
        for each that left jobs unplaced (``costs.jobs_not_placed`` > 0), the reason naming how
        many and the IT energy it did (``load.it_kw_<strategy>``) against the IT energy asked
        (the must-run load's and every job's ``energy_kwh``). Its bill, and any figure of its load,
        is then not that of the scheduled work. Empty in the usual case."""
        step_h = index_step_s(self.load.index) / 3600.0
        asked_kwh = float(self.load["base_it_kw"].sum()) * step_h + float(self.jobs["energy_kwh"].sum())
        unit, per = ("MWh", 1000.0) if asked_kwh >= 1000.0 else ("kWh", 1.0)
        name = {"asap": "run-ASAP", "greedy": "the greedy baseline", "optimized": "the optimized schedule"}
        out = {}
        for k in self.costs.index:
            n = int(self.costs.at[k, "jobs_not_placed"])
            if n:
                did_kwh = float(self.load[f"it_kw_{k}"].sum()) * step_h
                left = "short of their energy" if k == "optimized" else "unplaced"  # a window's shortfall
                out[k] = (f"{name.get(k, k)} left {n:,} of {len(self.jobs):,} jobs {left} under the site limits: "
                          f"its load is {did_kwh / per:,.1f} of the {asked_kwh / per:,.1f} {unit} of IT work asked "
                          "(must-run + jobs), so its bill is not that of the scheduled work")
        return out

    @property
    def annual_savings_usd(self) -> float:
        """Billed saving vs the run-as-soon-as-possible baseline over the index (``savings
        ["vs_asap_usd"]``: NaN when not like for like, see :attr:`not_comparable`). [USD]"""
        return float(self.savings["vs_asap_usd"])


def rolling_horizon(jobs, index: pd.DatetimeIndex, *, tariff, commit: str = "7D", lookahead: str = "2D",
                    cap_kw=None, headroom_it_kw=None, base_it_kw=0.0, pue=1.0, it_cap_kw=None, carbon_kg_per_kwh=None,
                    carbon_usd_per_t=0.0, throttle_usd_per_kwh=None,
                    headroom_mode: str = "hard", ramp_kw=None, cp_windows=None, cp_flex_kw: float = 0.0,
                    curtailments=None, prior_peaks_kw=None, pv_kw=None, mip_rel_gap: float = MIP_REL_GAP_DEFAULT,
                    time_limit_s: float = 30.0, baselines: bool = True, coincident_peaks=None,
                    solve_name: str = "", _warn_unproven: bool = True) -> RollingResult:
    """Schedule ``jobs`` over ``index`` window by window (see the module docstring).

    Arguments as :func:`dcplan.schedule.optimize`, plus ``commit`` (kept part of each
    window) and ``lookahead`` (extra look-ahead solved but not kept), as pandas
    durations ("7D", "36h"); ``tariff`` is required (its prices and bills; there is no
    ``price_usd_per_kwh`` here). Returns a :class:`RollingResult` whose costs are :meth:`Tariff.bill` bills
    of the whole index (of the grid import after ``pv_kw``, with on-site PV: every window, its tail,
    the demand peaks carried between windows and the baselines bill the import, as
    :func:`~dcplan.schedule.optimize` does). With a second core to use (:func:`dcplan._cpu.threads`) the
    two baselines are computed in a thread beside the windows (same results). ``coincident_peaks`` (a
    coincident-peak tariff's system peaks) are billed as :func:`~dcplan.schedule.optimize` bills them: those
    in the index, unpriced by the windows' MILPs. A window whose solve stops at ``time_limit_s`` with a
    schedule keeps it (``windows.proven`` False, a DcplanWarning naming ``solve_name``); one that stops with
    none, or whose re-solve leaving work unserved is not proven, raises a DcplanError naming the window.
    """
    t_wall = time.perf_counter()
    if tariff is None or not hasattr(tariff, "bill"):
        raise InputError(f"rolling_horizon needs a tariff (a dcplan.tariff.Tariff: its prices and bills; it takes no "
                         f"price_usd_per_kwh), got {type(tariff).__name__}; for a fixed price use "
                         "dcplan.tariff.Tariff.flat(...)", field="tariff")
    step = index_step_s(index)
    dt = step / 3600.0
    n = len(index)
    kc = _steps(commit, "commit", step, minimum=1)
    kl = _steps(lookahead, "lookahead", step, minimum=0)
    mip_rel_gap, time_limit_s = check_solver_options(mip_rel_gap, time_limit_s)
    jf = jobs_frame(jobs)
    full_kw = dict(cap_kw=cap_kw, headroom_it_kw=headroom_it_kw, base_it_kw=base_it_kw, pue=pue, it_cap_kw=it_cap_kw,
                   carbon_kg_per_kwh=carbon_kg_per_kwh, carbon_usd_per_t=carbon_usd_per_t,
                   throttle_usd_per_kwh=throttle_usd_per_kwh, headroom_mode=headroom_mode, ramp_kw=ramp_kw,
                   cp_windows=cp_windows, cp_flex_kw=cp_flex_kw, pv_kw=pv_kw)
    # full-year problem: aligned arrays, demand rows, baselines
    pf, _ = build_problem(jf, index, tariff=tariff, curtailments=None, prior_peaks_kw=prior_peaks_kw,
                          ratchet_lookahead=False, **full_kw)
    # the baselines know every curtailment event (they only need to obey them)
    pf_base = pf if curtailments is None else build_problem(
        jf, index, tariff=tariff, curtailments=curtailments, prior_peaks_kw=prior_peaks_kw,
        ratchet_lookahead=False, **full_kw)[0]
    ja = _job_arrays_from_frame(jf, index, step)
    price_site = (pf.energy_usd_per_kwh + pf.carbon_usd_per_kwh) * pf.pue
    mabs = _month_abs(index, step)
    a_full, mem_full = demand_rows(index, step, tariff.demand_window_min, tariff.demand_window_method)
    row_t = first_member(mem_full)
    row_last = np.asarray(mem_full.multiply(np.arange(1, n + 1)[None, :]).max(axis=1).todense()).ravel() - 1
    ch_members = {ch.name: np.asarray(mem_full.multiply(ch.member[None, :].astype(float)).sum(axis=1)).ravel() > 0
                  for ch in pf.demand}
    hist = {ch.name: dict(ch.history_kw) for ch in pf.demand}
    base_site = grid_import_kw(pf.pue * pf.drawn_base_it_kw, pf.pv_kw)  # the must-run's grid import (after any PV)
    room_full = _room(pf)  # flexible room per interval (cap, 4CP windows, hard headroom) [kW]
    # notice times of curtailment events (interval positions where a re-solve starts)
    notices = []
    if curtailments is not None:
        starts = index - pd.Timedelta(seconds=step)
        for _, ev in pd.DataFrame(curtailments).iterrows():
            tn = pd.Timestamp(ev["start"]) - pd.Timedelta(hours=float(ev.get("notice_h", 0.0) or 0.0))
            # the interval the notice falls in: from its start the event is known (a notice within
            # an interval is acted on for all of it: the grid's load is an interval average)
            notices.append(int(np.searchsorted(starts.as_unit("ns").asi8, tn.value, side="right")) - 1)
    notices = np.array(sorted(set(notices)), np.int64)
    # the baselines need none of the windows: with a second core, they run beside them
    from ._cpu import threads
    base_job = None
    if baselines and threads() >= 2:
        base_pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="dcplan-baselines")
        base_job = base_pool.submit(_baselines, pf_base)
        base_pool.shutdown(wait=False)
    J = len(jf)
    done = np.zeros(J)
    started = -np.ones(J, np.int64)
    fixed = np.zeros(n)
    e_tot = ja["energy_hi_kwh"]
    pre = ja["preemptible"]
    n_run = ja["n_run"]
    t0g, t1g = ja["t0"], ja["t1"]
    blk = ja["block"]
    # a preemptible job's power is committed up to here (the rest of a block that began in a
    # commit period, held at its power: a min-run block is not cut at a window boundary)
    held = np.zeros(J, np.int64)
    rows = []
    short_windows = []  # (start, end, {job: kWh the window's solve left unserved})
    lost = np.zeros(J)  # energy of non-preemptible runs a curtailment stopped (billed, lost) [kWh]
    stopped = []  # (job, time the curtailment became known)
    ramp_over = []  # (window start, kW by which its schedule exceeds the ramp limit)
    a = 0
    while a < n:
        if a > 0 and (notices == a).any():
            _stop_runs(a, index, step, curtailments, pf, fixed, started, n_run, ja, pre, lost, stopped)
        c = min(n, a + kc)
        nxt = notices[(notices > a) & (notices < c)]
        if len(nxt):
            c = int(nxt[0])
        if n - c == 1 and not len(nxt):
            c = n  # a one-interval tail joins this window's commit (nothing is left unplaced)
        b = max(min(n, c + kl), min(n, a + 2))  # a window needs two intervals to know its step
        latest = t1g - n_run + 1
        # work still to do, and still possible: a job whose deadline (preemptible) or latest start
        # (non-preemptible) has passed stays short (an elastic window below left it so)
        open_ = np.where(pre, (done < e_tot - 1e-6) & (t1g >= a), (started < 0) & (latest >= a))
        while True:  # a non-preemptible job that must start in the window gets its whole run in it;
            todo = (t0g < b) & open_  # the longer window may oblige another one to start: again
            must_np = todo & ~pre & (latest < b)
            b_new = min(n, max(b, int(t1g[must_np].max(initial=-1)) + 1))
            if b_new == b:
                break
            b = b_new
        sel = np.flatnonzero(todo)
        # each job's blocks on its own grid (from its earliest start), the first one the rest of
        # the block the window starts in
        st = np.maximum(np.maximum(t0g[sel], a), held[sel])
        first = blk[sel] - (st - t0g[sel]) % blk[sel]
        # the window starts one committed interval early (frozen at its committed load) when it
        # would otherwise have one interval (a notice cut at the last one), and with a ramp
        # limit, so the first free interval's ramp is measured from the committed load
        off = int(a > 0 and (b - a < 2 or ramp_kw is not None))
        a0 = a - off
        widx = index[a0:b]
        rem = e_tot[sel] - done[sel]
        lt0 = st - a0
        lt1 = np.minimum(t1g[sel], b - 1) - a0
        beyond = t1g[sel] > b - 1
        after_h = np.maximum(t1g[sel] - (b - 1), 0) * dt
        lo = np.where(beyond, np.maximum(0.0, rem - ja["power_kw"][sel] * after_h), rem)
        # a non-preemptible job that need not start now may start only if its run fits the window;
        # left unstarted, its run lands after the window (the tail), as deferred energy does
        np_opt = ~pre[sel] & (latest[sel] >= b)
        tail = window_tail(b, sel, beyond & pre[sel], np_opt, t0g, t1g, pre, done, e_tot, started, ja, room_full,
                           fixed, price_site, pf, mabs, hist, dt)
        if tail is not None:  # what the window knows of the hours after it: announced curtailments,
            sl = slice(b, b + len(tail.ub_kw))  # soft headroom, the ramp limit
            if curtailments is not None:
                lim = _curtail_ub(curtailments, index[sl], step, _known_at(index, a))
                tail.ub_kw = np.minimum(tail.ub_kw, np.maximum(lim / pf.pue[sl] - pf.base_it_kw[sl] - fixed[sl], 0))
            if pf.headroom_it_kw is not None and headroom_mode == "soft":
                tail.soft_headroom_kw = pf.headroom_it_kw[sl] - pf.base_it_kw[sl] - fixed[sl]
                tail.throttle_usd_per_kw = pf.throttle_usd_per_kwh * dt
            tail.ramp_kw = pf.ramp_kw
        wja = dict(names=[ja["names"][j] for j in sel], preemptible=pre[sel], power_kw=ja["power_kw"][sel],
                   energy_lo_kwh=lo, energy_hi_kwh=rem, t0=lt0, t1=lt1, block=blk[sel],
                   n_run=n_run[sel], run_kw=ja["run_kw"][sel], np_optional=np_opt,
                   priority=ja["priority"][sel], block_first=first)
        # persistence forecast for months after the window (ratchet memory)
        m_now = int(mabs[a])
        # (a month before the run, from prior_peaks_kw, is last year's: no forecast)
        ffl = max([float(base_site.max())] + ([h.get(m_now - 1, 0.0) for h in hist.values()]
                                              if m_now - 1 >= int(mabs[0]) else []))
        p, _ = build_problem(None, widx, tariff=tariff, curtailments=curtailments, prior_peaks_kw=None,
                             _known_at=_known_at(index, a), _history_kw=hist,
                             _fixed_it_kw=fixed[a0:b], _job_arrays=(jf.iloc[sel], wja), _future_floor_kw=ffl,
                             **window_args(full_kw, pf, a0, b))
        if off:  # the committed interval: no room for more flexible load
            p.flex_ub_kw[0] = min(p.flex_ub_kw[0], fixed[a0])
        p.terminal_usd_per_kwh = np.zeros(len(sel))  # deferred work is priced in the tail
        p.tail = tail
        if len(sel) == 0:
            p.terminal_usd_per_kwh = None
        sol = solve(p, mip_rel_gap=mip_rel_gap, time_limit_s=time_limit_s)
        unserved_kwh = 0.0
        w_start, w_end = index[a] - pd.Timedelta(seconds=step), index[b - 1]
        if not np.isfinite(sol.objective_usd) and sol.status != 2:  # stopped, not proven infeasible
            raise window_stopped(w_start, w_end, sol, time_limit_s)
        if not np.isfinite(sol.objective_usd):
            # what earlier windows left cannot all be done (e.g. a curtailment announced after
            # they committed): leave the least work unserved, report it, and go on
            sol = solve(p, mip_rel_gap=mip_rel_gap, time_limit_s=time_limit_s,
                        unserved_usd_per_kwh=_UNSERVED_USD_PER_KWH)
            _check_elastic(sol, w_start, w_end, mip_rel_gap, time_limit_s, "")
            if not np.isfinite(sol.objective_usd) and p.ramp_kw is not None:
                # the load already committed cannot ramp down in time to a limit announced now:
                # the limit wins, and the ramp limit is exceeded by as little as it takes
                if p.tail is not None:
                    p.tail.ramp_kw = None
                sol = solve(p, mip_rel_gap=mip_rel_gap, time_limit_s=time_limit_s,
                            unserved_usd_per_kwh=_UNSERVED_USD_PER_KWH,
                            ramp_excess_usd_per_kw=_RAMP_EXCESS_USD_PER_KW)
                _check_elastic(sol, w_start, w_end, mip_rel_gap, time_limit_s, " (ramp limit relaxed)")
                if np.isfinite(sol.objective_usd):
                    ramp_over.append((index[a] - pd.Timedelta(seconds=step), sol.ramp_excess_kw))
            if not np.isfinite(sol.objective_usd):
                raise InputError(f"window {index[a] - pd.Timedelta(seconds=step)} .. {index[b - 1]}: no feasible "
                                 "schedule even with every job left out (and any ramp limit relaxed): the must-run "
                                 "load, with the load committed before the window, breaks a limit there "
                                 f"({sol.message})", field="jobs")
            unserved_kwh = float(sol.unserved_kwh.sum())
            short_windows.append((index[a] - pd.Timedelta(seconds=step), index[b - 1],
                                  {ja["names"][j]: float(u) for j, u in zip(sel, sol.unserved_kwh) if u > 1e-6}))
        kc_loc = c - a
        kept = sol.job_kw[:, off:off + kc_loc]
        done[sel] += kept.sum(axis=1) * dt * pre[sel]
        fixed[a:c] += (kept[pre[sel]]).sum(axis=0)
        for i, j in enumerate(sel):
            s = sol.started[i]
            if not pre[j] and off <= s < off + kc_loc:
                started[j] = a0 + s
                fixed[a0 + s:a0 + s + n_run[j]] += ja["run_kw"][j]
        # a min-run block that runs on past the commit keeps its power to its end (the window
        # solved it as one column, or, cut by the window's end, linked to the tail's first one),
        # unless a curtailment notice comes before then (a notice preempts the job)
        ph = (c - t0g[sel]) % blk[sel]
        e = np.minimum(c - ph + blk[sel], t1g[sel] + 1)
        hold = pre[sel] & (blk[sel] > 1) & (ph > 0) & (t0g[sel] < c) & (c <= t1g[sel]) & (c < n) & (held[sel] < c)
        for i in np.flatnonzero(hold):
            if not ((notices >= c) & (notices < e[i])).any():
                j = sel[i]
                kw_h = sol.job_kw[i, c - 1 - a0]
                fixed[c:e[i]] += kw_h
                done[j] += kw_h * (e[i] - c) * dt
                held[j] = e[i]
        # update peak history with the committed intervals
        grid = grid_import_kw(pf.pue * (pf.drawn_base_it_kw + fixed), pf.pv_kw)  # demand is of the grid import
        rsel = (row_last >= a) & (row_last < c)
        d = a_full[rsel] @ grid
        rm = mabs[row_t[rsel]]
        for name, memb in ch_members.items():
            mm = memb[rsel]
            for mon in np.unique(rm[mm]):
                v = float(d[mm & (rm == mon)].max())
                hist[name][int(mon)] = max(hist[name].get(int(mon), 0.0), v)
        rows.append({"start": index[a] - pd.Timedelta(seconds=step), "commit_end": index[c - 1],
                     "n_jobs": len(sel), "solve_s": sol.solve_s, "build_s": sol.build_s,
                     "mip_gap": sol.mip_gap, "n_vars": sol.n_vars, "n_binaries": sol.n_binaries,
                     "status": sol.status, "unserved_kwh": unserved_kwh, "ramp_excess_kw": sol.ramp_excess_kw,
                     "proven": proven(sol.status, sol.mip_gap, mip_rel_gap, sol.objective_usd, sol.bound_usd)})
        a = c
    for j in np.flatnonzero(~pre & (started >= 0)):
        done[j] = e_tot[j]
    site = pf.pue * (pf.drawn_base_it_kw + fixed)
    load = pd.DataFrame({"base_it_kw": pf.base_it_kw, "flex_it_kw": fixed, "site_kw": site,
                         "throttle_it_kw": pf.throttled_base_it_kw,
                         "pv_kw": 0.0 if pf.pv_kw is None else pf.pv_kw}, index=index)
    costs, bills = {}, {}
    strategies = {"optimized": (fixed, tuple(jf.index[done < e_tot - 1e-3]))}
    if baselines:
        strategies.update(base_job.result() if base_job is not None else _baselines(pf_base))
    for k, (flex, failed) in strategies.items():
        s = pf.pue * (pf.drawn_base_it_kw + flex)  # the must-run the plant cannot cool draws nothing
        g = grid_import_kw(s, pf.pv_kw)  # billed: the grid import after on-site PV
        load[f"it_kw_{k}"] = pf.base_it_kw + flex
        load[f"drawn_it_kw_{k}"] = pf.drawn_base_it_kw + flex
        load[f"site_kw_{k}"] = s
        load[f"grid_import_kw_{k}"] = g
        bl = tariff.bill(pd.Series(g, index=index), prior_peaks_kw=prior_peaks_kw, stamps="end",
                         coincident_peaks=peaks_in(coincident_peaks, index))
        bills[k] = bl
        costs[k] = {"bill_energy_usd": bl.energy_usd, "bill_demand_usd": bl.demand_usd,
                    "bill_fixed_usd": bl.fixed_usd, "bill_total_usd": bl.total_usd,
                    "peak_site_kw": float(s.max()), "peak_grid_kw": float(g.max()), "jobs_not_placed": len(failed)}
    jobs_out = jf.copy()
    jobs_out["energy_done_kwh"] = done
    jobs_out["lost_kwh"] = lost
    pk = pd.DataFrame({k: pd.Series(v, dtype=float) for k, v in hist.items()}).sort_index()
    pk.index = pd.PeriodIndex([pd.Period(year=int(a) // 12, month=int(a) % 12 + 1, freq="M") for a in pk.index],
                              freq="M", name="month")
    _warn_limits_given_way(stopped, ramp_over)
    out = RollingResult(load, pd.DataFrame(costs).T, pd.DataFrame(rows), jobs_out,
                        time.perf_counter() - t_wall, bills, pk, _shortfall(jf, done, e_tot, short_windows, stopped),
                        {k: tuple(v) for k, (_, v) in strategies.items()},
                        {"mip_rel_gap": mip_rel_gap, "time_limit_s": time_limit_s,
                         "solve_name": solve_name or span_name(index, "rolling horizon")})
    if _warn_unproven:
        out.warn_unproven(stacklevel=2)
    return out


def start_rolling_horizon(jobs, index: pd.DatetimeIndex, **kwargs) -> cf.Future:
    """Start :func:`rolling_horizon` in a background thread; return a Future of its result.

    HiGHS releases the GIL while it solves (nearly all of a year's run time), so the
    caller can compute something else meanwhile, e.g. a notebook analysing one week
    while the year is scheduled (about 3-4 s less per site on two cores). Arguments
    are :func:`rolling_horizon`'s; ``.result()`` returns its
    :class:`RollingResult` or raises what it raised. The inputs are used as they are
    when the thread reads them: do not modify them before the result is in.

    With a single core to use (:func:`dcplan._cpu.threads`, e.g. ``render -j 2`` on
    two cores) it runs here and now instead, and the Future is already done: a second
    busy thread would only slow both down. The warning of windows not proven within the
    gap asked is issued by the first ``.result()``, in the thread that takes the result
    (a notebook's cell), not in the background thread.
    """
    from ._cpu import threads
    fut = _WarningFuture()

    def work() -> None:
        if not fut.set_running_or_notify_cancel():
            return
        try:
            fut.set_result(rolling_horizon(jobs, index, _warn_unproven=False, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller by .result()
            fut.set_exception(err)

    if threads() < 2:
        work()
        return fut
    # a daemon: a kernel that exits without waiting for the result is not held up by it
    threading.Thread(target=work, name="dcplan-rolling-horizon", daemon=True).start()
    return fut


class _WarningFuture(cf.Future):
    """A Future of a :class:`RollingResult` whose first ``.result()`` issues its unproven-solve warning."""

    _warned = False

    def result(self, timeout=None):
        r = super().result(timeout)
        if not self._warned and hasattr(r, "warn_unproven"):
            self._warned = True
            r.warn_unproven(stacklevel=3)
        return r


def _baselines(pf_base) -> dict:
    """Run-ASAP and greedy (order repaired) over the whole index: ``{name: (flexible kW, names of the jobs not
    placed)}``."""
    out = {}
    for k, fn in (("asap", asap), ("greedy", greedy)):
        flex, failed = fn(pf_base, per_job=False)
        out[k] = (flex, tuple(failed))
    return out
