"""Off-peak scheduling of flexible AI work: what moving it to cheap, cool hours is worth.

:func:`optimize` places flexible jobs (:mod:`dcplan.schedule_jobs`) on a time grid
to minimise energy cost (TOU or real-time prices), demand charges exactly as the
tariff bills them (monthly and TOU peaks, demand windows, tiers rising or declining with
kW -- a declining block by a binary per breakpoint -- contract floors, ratchets with memory
of the next 11 months), an optional carbon price, 4CP charges
and a throttling penalty, subject to the site power cap (interconnection
timeline), thermal headroom (the IT power the cooling plant can remove each hour),
the must-run base load, utility curtailment events, 4CP avoidance windows and an
optional ramp limit. It solves the sparse MILP of :mod:`dcplan.schedule_lp` with
HiGHS (``scipy.optimize.milp``): preemptible jobs are continuous, non-preemptible
ones start-time binaries. With on-site PV (``pv_kw``, behind the meter) the site buys
only the grid import after it, ``max(0, site - pv)``, with no credit for PV left over
(:mod:`dcplan.schedule_pv`), so work moves into the sunny hours where that pays.

Results are compared with two baselines that respect the same hard limits: a
**run-as-soon-as-possible** list scheduler (earliest deadline first, then release
and priority, each job in its earliest intervals with room) and a **greedy
"cheapest hours first"** heuristic (earliest deadline first, each job into its
cheapest feasible intervals by what it adds to the bill there: the tariff's price,
with on-site PV above the load already there free; blind to demand charges). Every strategy's grid import is billed by
:meth:`dcplan.tariff.Tariff.bill`, so savings are bills, not objective values, and
they compare the same work: a baseline that leaves jobs unplaced first repairs its
order (:mod:`dcplan.schedule_baselines`), and one that still cannot place them all
gets a NaN saving with the reason (:attr:`ScheduleResult.not_comparable`), not a
number. :class:`ScheduleResult` and its assembly from a solution (baselines run, each strategy billed) live in
:mod:`dcplan.schedule_result`, re-exported here. :mod:`dcplan.schedule_rolling` runs a year by rolling horizon.

Inputs are plain pandas (price, cap, headroom, base load series), put on the schedule grid by
:mod:`dcplan.schedule_inputs`; ``tariff=`` is a thin adapter that reads prices and the demand-charge structure from a
:class:`~dcplan.tariff.Tariff` (attributes used: ``energy_price()``, ``demand_period()``, ``flat_rate``,
``flat_upper``, ``flat_months``, ``demand_rate``, ``demand_upper``, ``demand_period_names``, ``demand_window_min``,
``demand_window_method``, ``ratchet_frac``, ``ratchet_lookback_months``, ``ratchet_months_mask``, ``contract_kw``,
``contract_min_frac_flat``, ``contract_min_frac_tou``, ``escalation_frac_per_year``, ``escalation_base_year``,
``fourcp_usd_per_kw_month``, ``fourcp_peaks``, ``fourcp_interval``, ``energy_rate``, ``coincident_rate``). Its
hours are local clock hours: a UTC ``index`` under charges by hour or weekday is refused before any solve
(:func:`dcplan.tariff_clock.check_clock`).

Not modelled in the LP (the bill still includes them): energy tiers (the tier-0
price is used, with a warning naming the rates and bounds where tiers differ:
:mod:`dcplan.schedule_tiers`), URDB coincident-demand charges (billed at the system
peaks given, ``coincident_peaks``), minimum charges.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from . import _ts
from .errors import DcplanError, DcplanWarning, InputError
from .schedule_generate import generate_jobs, with_slack  # noqa: F401  (re-exported)
from .schedule_jobs import Job, jobs_frame, load_jobs  # noqa: F401  (re-exported)
from .schedule_baselines import _objective, asap, evaluate, greedy, unequal_work  # noqa: F401  (re-exported)
from .schedule_explain import explain_infeasible
from .schedule_inputs import (_align, _align_numbers, _curtail_ub, _finite_nonneg,  # noqa: F401  (re-exported)
                              _fourcp_coef, _job_arrays_from_frame, _month_abs, _windows_mask,
                              cap_from_timeline, check_prior_peaks, check_solver_options,
                              demand_charges_from_tariff, index_clock, index_step_s)
from .schedule_lp import DemandCharge, Problem, Solution, delay_usd, demand_rows, solve  # noqa: F401  (re-exported)
from .schedule_lp_rows import first_member
from .schedule_demand import billed_demand_kw, compare_demand_charges, peaks_in  # noqa: F401  (re-exported)
from .schedule_pv import check_pv_kw, grid_import_kw
# the result and how it is assembled and billed: its own module (for length), re-exported here
from .schedule_result import ScheduleResult, _result  # noqa: F401  (re-exported)
from .schedule_solve import proven, result_text, span_name, stopped_message, unproven_warning
from .schedule_throttle import fallback_throttle_usd_per_kwh
from .schedule_tiers import tier_warning

__all__ = ["optimize", "optimize_each", "billed_demand_kw", "build_problem", "demand_charges_from_tariff", "asap",
           "greedy",
           "evaluate", "cap_from_timeline", "ScheduleResult", "ScheduleInfeasible", "Job", "jobs_frame",
           "load_jobs", "generate_jobs", "with_slack", "DemandCharge", "THROTTLE_USD_PER_KWH_DEFAULT",
           "MIP_REL_GAP_DEFAULT"]

#: Throttling penalty without a site (a site's: dcplan.schedule_throttle.site_throttle_usd_per_kwh): IT work lost,
#: data/costs.csv's 4.916 $/GPU-h (AWS p5.48xlarge Capacity Blocks 39.33 $/h / 8 H100s, valid to 1 Jan 2025) /
#: data/hardware.csv's hgx-h100 10.2 kW / 8 = 3.86 $/kWh, read from the files when first asked (module __getattr__;
#: None in a signature: importing dcplan reads no data file). [$/kWh]
def __getattr__(name: str):
    if name == "THROTTLE_USD_PER_KWH_DEFAULT":
        return fallback_throttle_usd_per_kwh()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Relative MIP gap HiGHS stops at (0.1 %: well inside tariff and forecast uncertainty).
MIP_REL_GAP_DEFAULT = 1e-3
_UNSERVED_USD_PER_KWH = 1e4  # elastic penalty when explaining infeasibility


class ScheduleInfeasible(InputError):
    """The jobs cannot all be scheduled; ``shortfall`` lists each job's unplaceable energy.

    ``shortfall`` columns: ``job``, ``energy_kwh``, ``unplaced_kwh``, ``deadline``,
    ``preemptible`` and ``fits_alone_kwh``: what the job could place with the site to itself
    (preemptible: the room in its window up to its power; non-preemptible: all of it if
    some ``n_run`` consecutive intervals each have room for its run power, else 0; with a
    ramp limit, at most what an elastic solve of the job alone places under it). [kWh]
    The message names what binds for each job (:func:`dcplan.schedule_explain.explain_infeasible`):
    its window on the time grid, the limits given (site cap, curtailments, 4CP windows, hard
    thermal headroom, ramp limit) even alone, or the other jobs whose windows overlap its own.
    """

    def __init__(self, message, shortfall: pd.DataFrame):
        super().__init__(message, field="jobs")
        self.shortfall = shortfall


# ---------------------------------------------------------------------------- problem build
def build_problem(jobs, index: pd.DatetimeIndex, *, tariff=None, price_usd_per_kwh=None,
                  demand_charges=None, demand_window_min=None, demand_window_method="block",
                  cap_kw=None, headroom_it_kw=None, base_it_kw=0.0, pue=1.0, it_cap_kw=None,
                  carbon_kg_per_kwh=None, carbon_usd_per_t=0.0,
                  throttle_usd_per_kwh=None, headroom_mode="hard",
                  ramp_kw=None, cp_windows=None, cp_flex_kw=0.0, curtailments=None,
                  prior_peaks_kw=None, ratchet_lookahead=True, delay_usd_per_kwh_h=0.0,
                  pv_kw=None, _known_at=None, _history_kw=None, _fixed_it_kw=None, _job_arrays=None,
                  _future_floor_kw=None) -> tuple[Problem, pd.DataFrame]:
    """Assemble the :class:`~dcplan.schedule_lp.Problem` (arguments as :func:`optimize`)."""
    step = index_step_s(index)
    index_clock(tariff, index)  # TOU hours are local clock hours: a UTC index refused (dcplan.tariff_clock)
    irr = _ts.irregularity(index)
    if irr:
        raise InputError(irr, field="index")
    dt = step / 3600.0
    n = len(index)
    if headroom_mode not in ("hard", "soft"):
        raise InputError(_ts.unknown_key_message(headroom_mode, ("hard", "soft")), field="headroom_mode")
    delay_usd_per_kwh_h = _finite_nonneg(delay_usd_per_kwh_h, "delay_usd_per_kwh_h")
    throttle_usd_per_kwh = _finite_nonneg(fallback_throttle_usd_per_kwh() if throttle_usd_per_kwh is None
                                          else throttle_usd_per_kwh, "throttle_usd_per_kwh")
    carbon_usd_per_t = _finite_nonneg(carbon_usd_per_t, "carbon_usd_per_t")
    cp_flex_kw = _finite_nonneg(cp_flex_kw, "cp_flex_kw")
    if ramp_kw is not None:
        ramp_kw = _finite_nonneg(ramp_kw, "ramp_kw")
    # before any work (the bill of the result checks them too, after the solve)
    prior_peaks_kw = check_prior_peaks(prior_peaks_kw)
    pv = _align(pv_kw, index, "pv_kw")  # checked below, with the prices and the jobs
    if tariff is not None:
        if (tiers := tier_warning(tariff)) is not None:  # tiers of different rates (dcplan.schedule_tiers)
            warnings.warn(tiers, DcplanWarning, stacklevel=3)
        if price_usd_per_kwh is None:
            price_usd_per_kwh = tariff.energy_price(index)
        if demand_charges is None:
            b_it, hd = _align(base_it_kw, index, "base_it_kw"), _align(headroom_it_kw, index, "headroom_it_kw")
            base_site = (b_it if hd is None else np.minimum(b_it, hd)) * _align(pue, index, "pue")  # as drawn
            ff = float(grid_import_kw(base_site, pv).max()) if _future_floor_kw is None else _future_floor_kw
            demand_charges = demand_charges_from_tariff(tariff, index, prior_peaks_kw=prior_peaks_kw,
                                                        history_kw=_history_kw, future_floor_kw=ff,
                                                        ratchet_lookahead=ratchet_lookahead)
            demand_window_min = tariff.demand_window_min
            demand_window_method = tariff.demand_window_method
    if price_usd_per_kwh is None:
        raise InputError("give price_usd_per_kwh or tariff", field="price_usd_per_kwh")
    price = _align(price_usd_per_kwh, index, "price_usd_per_kwh")
    if np.isscalar(demand_charges) or demand_charges is None:
        rate = 0.0 if demand_charges is None else _finite_nonneg(demand_charges, "demand_charges")
        demand_charges = []
        if rate:
            m = np.unique(_month_abs(index, step))
            demand_charges = [DemandCharge("flat", np.ones(n, bool), np.full((len(m), 1), rate), np.array([np.inf]))]
    base = _align(base_it_kw, index, "base_it_kw")
    pu = _align(pue, index, "pue")
    if (pu < 1.0).any():
        raise InputError(f"pue must be >= 1, got {pu.min():g}", field="pue")
    if (base < 0).any():
        raise InputError(f"negative base load {base.min():g} kW", field="base_it_kw")
    for ch in demand_charges:
        rates, fl = np.asarray(ch.usd_per_kw, float), float(ch.floor_kw)
        if not (np.isfinite(rates).all() and (rates >= 0).all() and np.isfinite(fl) and fl >= 0):
            raise InputError(f"charge {ch.name!r}: usd_per_kw and floor_kw must be finite and >= 0, got "
                             f"rates {rates.min():g} .. {rates.max():g} $/kW, floor {fl:g} kW",
                             field="demand_charges")
    cap = _align(cap_kw, index, "cap_kw", default=np.inf, posinf_ok=True)
    if (cap < 0).any():
        j = int(np.argmax(cap < 0))
        raise InputError(f"must be >= 0 (+inf: no limit), got {cap[j]:g} kW at {index[j]}", field="cap_kw")
    curt = _curtail_ub(curtailments, index, step, _known_at)
    site_lim = np.minimum(cap, curt)
    fixed = np.zeros(n) if _fixed_it_kw is None else np.asarray(_fixed_it_kw, float)
    flex_ub = site_lim / pu - base
    bad = flex_ub < -1e-6
    if bad.any():
        j = int(np.argmax(bad))
        raise InputError(f"the must-run base load {base[j] * pu[j]:,.1f} kW (site) exceeds the site limit "
                         f"{site_lim[j]:,.1f} kW at {index[j]} (cap or curtailment)", field="base_it_kw")
    itc = _align(it_cap_kw, index, "it_cap_kw", default=np.inf, posinf_ok=True)
    if (itc < base - 1e-6).any():
        j = int(np.argmax(itc < base - 1e-6))
        raise InputError(f"the must-run base load {base[j]:,.1f} kW (IT) exceeds the installed IT power {itc[j]:,.1f} "
                         f"kW at {index[j]}; allowed: it_cap_kw >= base_it_kw (+inf: no limit)", field="it_cap_kw")
    cpm = _windows_mask(cp_windows, index, step, "cp_windows")
    # the flexible room each named limit leaves (the infeasibility report names the one that binds)
    limit_room = {k: np.maximum(v, 0.0) for k, v, on in (
        ("the site cap", cap / pu - base, np.isfinite(cap).any()),
        ("curtailments", curt / pu - base, (curt < cap).any()),
        ("the installed IT power", itc - base, np.isfinite(itc).any()),
        ("4CP windows", np.where(cpm, cp_flex_kw, np.inf), cpm.any())) if on}
    flex_ub = np.minimum(np.minimum(flex_ub, itc - base), np.where(cpm, cp_flex_kw, np.inf))
    flex_ub = np.maximum(flex_ub, 0.0)
    head = _align(headroom_it_kw, index, "headroom_it_kw")
    if head is not None and (head < 0).any():
        j = int(np.argmax(head < 0))
        raise InputError(f"must be >= 0 (IT power the plant can remove), got {head[j]:g} kW at {index[j]}",
                         field="headroom_it_kw")
    carbon = np.zeros(n) if carbon_kg_per_kwh is None else \
        _align(carbon_kg_per_kwh, index, "carbon_kg_per_kwh") * float(carbon_usd_per_t) / 1000.0
    a, mem = demand_rows(index, step, demand_window_min, demand_window_method)
    row_t = first_member(mem)
    if _job_arrays is None:
        jf = jobs_frame(jobs)
        ja = _job_arrays_from_frame(jf, index, step)
    else:
        jf, ja = _job_arrays
    mabs = _month_abs(index, step)
    fourcp = _fourcp_coef(tariff, index, step)
    if pv is not None:  # the highest site load the jobs can make (units check) and the import's price
        jobs_kw = float(np.where(ja["preemptible"], ja["power_kw"], ja["run_kw"]).sum())
        # (a rolling-horizon window, given its jobs' arrays, holds only some of the jobs: the whole
        # index's problem checked the units with all of them)
        site_hi = 0.0 if _job_arrays is not None else float((pu * (base + np.minimum(flex_ub, jobs_kw))).max())
        pv = check_pv_kw(pv, index, site_hi, (price + carbon) * dt + fourcp)
    # the site limits given (named by the infeasibility report)
    limits = tuple(limit_room)
    p = Problem(index=index, step_h=dt, month_abs=mabs, months=np.unique(mabs), energy_usd_per_kwh=price,
                carbon_usd_per_kwh=carbon, fourcp_usd_per_kw=fourcp, pue=pu,
                base_it_kw=base, fixed_it_kw=fixed, flex_ub_kw=flex_ub, headroom_it_kw=head,
                headroom_mode=headroom_mode, throttle_usd_per_kwh=float(throttle_usd_per_kwh),
                ramp_kw=None if ramp_kw is None else float(ramp_kw), demand=list(demand_charges),
                demand_a=a, demand_row_t=row_t, demand_row_members=mem,
                delay_usd_per_kwh_h=float(delay_usd_per_kwh_h), site_limits=limits, pv_kw=pv,
                limit_room_kw=limit_room, **ja)
    return p, jf


# ---------------------------------------------------------------------------- infeasibility
def _explain(p: Problem, jf: pd.DataFrame, time_limit_s: float) -> ScheduleInfeasible:
    """Elastic re-solve: which jobs cannot fit and why (:func:`dcplan.schedule_explain.explain_infeasible`)."""
    return ScheduleInfeasible(*explain_infeasible(p, jf, time_limit_s, _UNSERVED_USD_PER_KWH))


def optimize_each(cases: list[dict], index: pd.DatetimeIndex, *, max_workers: int | None = None,
                  **common) -> list:
    """:func:`optimize` for several cases (a sensitivity sweep), side by side.

    Each case is a dict of :func:`optimize` keyword arguments (``jobs`` included)
    that override ``common``. HiGHS releases the GIL while it solves, so the cases run
    in threads of this process, on up to ``max_workers`` cores (default: the cores,
    or a render's share of them, :func:`dcplan._cpu.threads`). Each case's result is
    what :func:`optimize` alone returns.

    Returns
    -------
    list
        In case order: a :class:`ScheduleResult`, or the :class:`ScheduleInfeasible`
        saying which jobs of that case do not fit. Any other error is raised.
    """
    cases = [dict(c) for c in cases]
    for i, c in enumerate(cases):
        if "jobs" not in c and "jobs" not in common:
            raise InputError(f"case {i} has no 'jobs' (and no common jobs given)", field="cases")
        index_clock(c.get("tariff", common.get("tariff")), index)  # a UTC index: refused before any solve

    def one(case):
        kw = {**common, **case}
        try:  # warned of below, in this thread (a worker thread's warning may reach no notebook cell)
            return optimize(kw.pop("jobs"), index, _warn_unproven=False, **kw)
        except ScheduleInfeasible as e:
            return e

    from ._cpu import threads
    workers = max(1, min(int(max_workers or threads()), len(cases)))
    if workers == 1:  # in this thread (render -j 2 on two cores: a share of one)
        out = [one(c) for c in cases]
    else:
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dcplan-optimize") as ex:
            out = list(ex.map(one, cases))
    _warn_unproven(out, cases, common)
    return out


def _warn_unproven(out, cases, common) -> None:
    """Warn, here, of each result of :func:`optimize_each` not proven within its gap (:mod:`dcplan.schedule_solve`)."""
    for i, (r, c) in enumerate(zip(out, cases)):
        if hasattr(r, "solve") and not r.solve["proven"]:
            unproven_warning(result_text(r.solve, {**common, **c}.get("solve_name") or f"optimize_each case {i}"), 4)


def optimize(jobs, index: pd.DatetimeIndex, *, tariff=None, price_usd_per_kwh=None, demand_charges=None,
             cap_kw=None, headroom_it_kw=None, base_it_kw=0.0, pue=1.0, it_cap_kw=None, carbon_kg_per_kwh=None,
             carbon_usd_per_t=0.0, throttle_usd_per_kwh=None,
             headroom_mode: str = "hard", ramp_kw=None, cp_windows=None, cp_flex_kw: float = 0.0,
             curtailments=None, prior_peaks_kw=None, ratchet_lookahead: bool = True,
             delay_usd_per_kwh_h: float = 0.0, pv_kw=None, mip_rel_gap: float = MIP_REL_GAP_DEFAULT,
             time_limit_s: float = 60.0, coincident_peaks=None, solve_name: str = "", start=None,
             _warn_unproven: bool = True) -> ScheduleResult:
    """Schedule flexible jobs at least cost under the site's limits, and bill the result.

    Parameters
    ----------
    jobs : list of Job/dict or pandas.DataFrame
        Job table (:func:`dcplan.schedule_jobs.jobs_frame`).
    index : pandas.DatetimeIndex
        Schedule grid: tz-aware, regular, interval-ending (5-60 min steps for billing).
    tariff : dcplan.tariff.Tariff, optional
        Source of prices and demand charges (adapter), and the biller of the results.
    price_usd_per_kwh : float or Series, optional
        Energy price (overrides the tariff's). [$/kWh]
    demand_charges : float or list of DemandCharge, optional
        A flat monthly $/kW-month rate, or model charges (default: from ``tariff``).
    cap_kw : float or Series, optional
        Site import limit (interconnection capacity timeline; see :func:`cap_from_timeline`);
        >= 0, ``inf`` where there is none. [kW]
    headroom_it_kw : float or Series, optional
        IT power the cooling plant can remove (thermal module's ``capacity_it_kw``);
        hourly series are spread over the sub-hourly intervals they cover. [kW]
    base_it_kw : float or Series
        Must-run IT load (inference). [kW]
    pue : float or Series
        Site kW per IT kW (facility / IT), applied to every IT kW. [-]
    it_cap_kw : float or Series, optional
        Installed IT power: must-run and flexible IT together never exceed it (the fleet's design IT,
        :func:`dcplan.schedule_setup.site_schedule_inputs`); ``inf``/None: no limit. Named on its own
        (not as the site cap) where it binds. [kW]
    carbon_kg_per_kwh, carbon_usd_per_t
        Grid carbon intensity [kg/kWh] and carbon price [$/t]; cost = price x intensity x kWh.
    throttle_usd_per_kwh : float
        Penalty per kWh of IT load above the headroom (None, the default: :data:`THROTTLE_USD_PER_KWH_DEFAULT`, an H100
        fleet's; a site's: :func:`dcplan.schedule_throttle.site_throttle_usd_per_kwh`, in site_schedule_inputs). [$/kWh]
    headroom_mode : {"hard", "soft"}
        "hard": flexible jobs never exceed the headroom (only an unavoidable base-load
        excess is throttled); "soft": exceeding it costs the penalty. In both, the must-run IT above
        the headroom draws nothing (no bill, peak or energy includes it); flexible IT above a soft
        headroom is billed as it runs (``ScheduleResult.load`` ``drawn_it_kw``).
    ramp_kw : float, optional
        Largest change of site kW between consecutive intervals (finite, >= 0). [kW]
    cp_windows : bool Series or list of (start, end), optional
        4CP avoidance windows (forecast system peaks): flexible IT load <= ``cp_flex_kw``.
    curtailments : DataFrame or list of dict, optional
        Utility curtailment events: ``start``, ``end``, ``limit_kw`` (site import limit
        [kW]), ``notice_h`` (hours of notice; used by the rolling horizon). Hard constraints.
    prior_peaks_kw : sequence of 12, optional
        Peaks of the year before the index (ratchets), as :meth:`Tariff.bill`. [kW]
    ratchet_lookahead : bool
        Price the effect of this horizon's peaks on later months' ratchet billing demand.
    delay_usd_per_kwh_h : float
        Optional cost per kWh per hour of delay after release, times the job priority; the
        delay of a kWh is counted to the start of its block (preemptible; one interval, or
        ``min_run_h``) or of the job's run (non-preemptible), in the MILP and for the
        baselines alike (:func:`dcplan.schedule_lp.delay_usd`), so a baseline replaces the
        MILP's schedule (``solve["source"]``) only when it is cheaper on the whole objective.
        [$/kWh/h]
    pv_kw : Series, optional
        On-site generation (PV), AC at the meter, behind it, >= 0; on the index or a coarser
        interval-ending grid (an hourly series is spread over the sub-hourly intervals it
        covers). Every strategy then buys only the grid import ``max(0, site - pv)``, with
        no credit for PV left over, as :mod:`dcplan.pipeline` bills a site: energy, carbon,
        demand charges and 4CP are of the import; the cap, curtailments, ramp limit and
        thermal headroom stay on the site load (:mod:`dcplan.schedule_pv`). Where there is PV
        the import's price must be >= 0. [kW]
    mip_rel_gap : float
        Relative MIP gap at which HiGHS stops, >= 0 (default :data:`MIP_REL_GAP_DEFAULT`).
    time_limit_s : float
        Solver time limit, > 0 (``inf``: none). A solve stopped by it with a schedule returns that schedule,
        not proven within ``mip_rel_gap`` (``solve["proven"]`` False), with a DcplanWarning; one stopped
        before any schedule raises a DcplanError (:mod:`dcplan.schedule_solve`). [s]
    coincident_peaks : iterable of timestamps, optional
        System-peak interval ends for a tariff's coincident-peak charges (a site's
        ``tariff.coincident_peaks``, :func:`dcplan.tariff_site.site_coincident_peaks`); needed by
        such a tariff's bills. Each bill takes those in the index (:func:`dcplan.schedule_demand.peaks_in`):
        a month's coincident demand is the mean at its peaks in the index, a month with none there bills
        none. The MILP does not price the charge (module docstring); the bills do.
    solve_name : str
        What the solve is, for its warning (default: "optimize over <first> .. <last interval end>").
    start : ScheduleResult, optional
        A solved week of the same jobs and index under other prices (a sensitivity case's base): HiGHS first
        solves the LP relaxation from its optimum, and the MIP only when that proves no schedule within
        ``mip_rel_gap`` (:func:`dcplan.schedule_highs.milp`). Any other model falls back to the MIP alone. The
        schedule is optimal within the same gap either way, possibly another of equal cost.

    Returns
    -------
    ScheduleResult

    Raises
    ------
    ScheduleInfeasible
        With the jobs (and kWh) that cannot fit before their deadlines.
    """
    mip_rel_gap, time_limit_s = check_solver_options(mip_rel_gap, time_limit_s)
    p, jf = build_problem(jobs, index, tariff=tariff, price_usd_per_kwh=price_usd_per_kwh,
                          demand_charges=demand_charges, cap_kw=cap_kw, headroom_it_kw=headroom_it_kw,
                          base_it_kw=base_it_kw, pue=pue, it_cap_kw=it_cap_kw, carbon_kg_per_kwh=carbon_kg_per_kwh,
                          carbon_usd_per_t=carbon_usd_per_t, throttle_usd_per_kwh=throttle_usd_per_kwh,
                          headroom_mode=headroom_mode, ramp_kw=ramp_kw, cp_windows=cp_windows,
                          cp_flex_kw=cp_flex_kw, curtailments=curtailments, prior_peaks_kw=prior_peaks_kw,
                          ratchet_lookahead=ratchet_lookahead, delay_usd_per_kwh_h=delay_usd_per_kwh_h,
                          pv_kw=pv_kw)
    if start is not None and not isinstance(start, ScheduleResult):
        raise InputError(f"must be a ScheduleResult of optimize (or None), got {type(start).__name__}", field="start")
    sol = solve(p, mip_rel_gap=mip_rel_gap, time_limit_s=time_limit_s, lp_start=None if start is None else start.x)
    if not np.isfinite(sol.objective_usd):
        if sol.status == 2:  # infeasible: say which jobs do not fit and by how much
            raise _explain(p, jf, time_limit_s)
        raise DcplanError(stopped_message(solve_name or span_name(index), sol.status, sol.message, sol.solve_s,
                                          time_limit_s))
    res = _result(p, jf, sol, tariff, prior_peaks_kw, mip_rel_gap, coincident_peaks)
    res.solve.update(time_limit_s=time_limit_s, solve_name=solve_name or span_name(index),
                     proven=proven(sol.status, sol.mip_gap, mip_rel_gap, sol.objective_usd, sol.bound_usd))
    if _warn_unproven and not res.solve["proven"]:
        unproven_warning(result_text(res.solve, res.solve["solve_name"]))
    return res
