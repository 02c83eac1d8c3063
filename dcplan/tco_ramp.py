"""The TCO's operating ramp: the share of the fleet installed and the share operating, month by month.

The fleet is **installed** (bought) on its plan, the deployment phases (``TcoInputs.phases``),
moved later only by the part of the grid delay the plan does not absorb (:func:`tranche_plan`,
:func:`fleet_ramp`):

* with the site's interconnection phases (``TcoInputs.grid_phases``, made by
  :func:`dcplan.tco_inputs.grid_phases`) each tranche of the fleet is split where the capacity that
  powers it on the plan changes (the capacity in service first, then the grid phases in order of
  planned energization). A part powered by a phase the grid delay moves has the **slack**
  ``slack_k = planned start - planned energization`` of that phase (whole months) and is bought
  ``max(0, delay_months - max(0, slack_k))`` months late: a delay its slack absorbs does not move
  it, and a part already short of capacity on the plan (``slack_k < 0``) or beyond all the
  capacity moves by the whole delay. A part on capacity in service (``live_fleet_frac``, or a
  grid phase marked in service, which the delay does not move) is bought on the plan.
* without grid phases (``grid_phases`` None) the first ``live_fleet_frac`` of the fleet is bought on
  the plan and the rest ``delay_months`` late (:func:`dcplan.tco_input_types.tranches`).

It **operates** only where grid capacity energized by then can power it: with grid phases the share
operating in month ``m`` is

``min(installed(m), min(1, live_fleet_frac + sum of grid_phases fleet_frac energized by m))``,

a grid phase energized ``build_months + offset (+ delay_months unless in service)`` months after
project start (whole months), the capacity in service (``live_fleet_frac``) from the start. A case run with a
``build_months`` other than its inputs' own (a tornado end, a Monte Carlo draw) keeps the project start and the
grid phases' dates and moves the fleet by the difference: a construction overrun (:func:`tranche_ramp`). Without
grid phases every installed GPU operates. A site's case (``TcoInputs.grid_dates``) turns the delay into whole
months by the month rule of :mod:`dcplan.grid_ramp` (a month partly powered is a month of waiting:
:func:`dcplan.tco_grid_dates.delay_whole_months`, :func:`dcplan.tco_grid_dates.energized_shift`); a case built
by hand without dates rounds it half up.

A fleet of several hardware generations (``TcoInputs.phase_mix``, one ``(kw, energy, tokens)`` per
GPU of each phase over the fleet's average) is not a fleet of one average GPU: each tranche (a
phase, and its refreshes) keeps its hardware's facility kW per GPU at design, IT energy per GPU-hour
and tokens per GPU-second. The capacity powers the tranches installed in start order, the oldest
first (a hall already running keeps its power), each up to its installed GPUs at its own kW per GPU
(:func:`tranche_ramp`); the month's IT energy and tokens are those of the GPUs it powers. Without a
mix the formula above holds exactly. With ``TcoInputs.phase_units`` (a site's fleet: whole racks or servers,
:mod:`dcplan.tco_units`) a tranche is split at a whole unit and the capacity powers whole units only, as
:func:`dcplan.grid.deployment_ramp` counts them. A GPU installed but not operating **waits for power**: it
carries capex, refreshes, IT maintenance, network, insurance and property tax on IT from purchase,
with no revenue, GPU-hours, energy, water or electricity until powered (:func:`power_wait` lists
the months, :func:`power_wait_note` says it in words). Operations start, and operations staff are
paid, from the first month any GPU operates (:func:`operations_start_month`); the model refuses a
case whose fleet's first GPUs would be bought after the horizon (:func:`first_purchase_month`).

The ``fleet_frac`` of a grid phase is its MW over the whole fleet's facility power at design IT in
the worst hour (IT plus cooling), as :func:`dcplan.grid.deployment_ramp` and
:func:`dcplan.grid.live_fleet_frac` divide capacity by.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputError
from .tco_grid_dates import delay_whole_months, entry_shifts
from .tco_input_types import (ElectricityByPvAge, TcoInputs, electricity_by_pv_age_usd, month_on_or_after, tranches,
                              whole_months)
from .tco_units import common_unit, floor_units

__all__ = ["fleet_ramp", "tranche_ramp", "TrancheRamp", "tranche_plan", "purchase_shift", "purchase_delays",
           "grid_entries", "first_purchase_month",
           "operations_start_month", "monthly_electricity", "power_wait", "power_wait_note", "no_output_note"]


def grid_entries(grid_phases) -> list[tuple[float, float, bool]]:
    """``(offset_months, fleet_frac, moves)`` of each of ``TcoInputs.grid_phases``: the offset in whole
    months, and whether the grid delay moves the phase (False for a phase marked in service, an
    entry ``(offset, frac, True)``)."""
    return [(whole_months(g[0]), float(g[1]), not (len(g) > 2 and bool(g[2]))) for g in (grid_phases or ())]


def tranche_plan(inputs: TcoInputs) -> list[tuple[float, float, float, bool]]:
    """The fleet's tranches as bought: ``(offset_months, fleet_frac, slack_months, moves)`` each.

    ``offset_months`` is the planned start after the end of the build (whole months);
    ``moves`` whether the grid delay can move the purchase, by ``max(0, delay - max(0,
    slack_months))`` (:func:`purchase_shift`). With ``grid_phases`` a phase is split where the
    capacity powering it on the plan changes (the capacity in service, then the grid phases in order
    of planned energization; with a ``phase_mix`` each phase takes the capacity its GPUs need at its
    own kW per GPU): ``slack_months`` is its planned start less the planned energization
    of that capacity (``-inf`` beyond all the capacity: it moves by the whole delay). Without them,
    :func:`~dcplan.tco_input_types.tranches`: the part on capacity in service does not move, the
    rest moves by the whole delay (``slack_months`` ``-inf``).

    >>> inp = TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5,
    ...                 phases=((0, 0.5), (12, 0.5)), grid_phases=((-7, 0.6), (18, 0.6)))
    >>> [(o, round(f, 6), s, m) for o, f, s, m in tranche_plan(inp)]
    [(0.0, 0.5, 7.0, True), (12.0, 0.1, 19.0, True), (12.0, 0.4, -6.0, True)]
    """
    return [t[:4] for t in _plan(inputs)]


def _plan(inputs: TcoInputs) -> list[tuple[float, float, float, bool, int, int | None]]:
    """:func:`tranche_plan` with the index of each tranche's phase in ``inputs.phases`` and of the grid
    entry (:func:`grid_entries`) whose capacity powers it on the plan (None: capacity in service, or beyond
    all the capacity)."""
    live = float(inputs.live_fleet_frac)
    mix = inputs.phase_mix
    units = inputs.phase_units            # whole racks / servers per phase (dcplan.tco_units), or None
    if inputs.grid_phases is None and mix is None and units is None:
        return [(off, frac, (math.inf if not delayed else -math.inf), delayed, 0, None)
                for off, frac, delayed in tranches(inputs.phases, live)]
    # the capacity that powers the fleet on the plan, in order: (planned offset, share, moves, grid entry)
    segs = ([(-math.inf, live, False, None)] if live > 0 else []) + sorted(
        ((*g, k) for k, g in enumerate(grid_entries(inputs.grid_phases)) if g[1] > 0), key=lambda g: g[0])
    # segment j: [bounds[j], bounds[j + 1]) of the fleet's design facility power
    bounds = [0.0, *np.cumsum([s[1] for s in segs]).tolist()]
    out: list[tuple[float, float, float, bool, int]] = []
    done = 0.0
    for i, (off, frac) in enumerate(inputs.phases):
        off, frac = whole_months(off), float(frac)
        kw = mix[i][0] if mix else 1.0                                # its facility kW per GPU / the fleet's
        lo, hi = done, done + frac * kw
        done = hi
        if units is None:
            parts = [[(min(hi, bounds[j + 1]) - max(lo, bounds[j])) / kw, off - s_off, moves, k]
                     for j, (s_off, _, moves, k) in enumerate(segs)]
            parts.append([(hi - max(lo, bounds[-1])) / kw, -math.inf, True, None])   # beyond all the capacity
        else:  # the phase's whole units up to each bound: a unit straddling one waits for the next capacity
            cov = [float(floor_units(min(max((b - lo) / kw, 0.0), frac), inputs.n_accelerators, units[i]))
                   for b in bounds]
            parts = [[cov[j + 1] - cov[j], off - s_off, moves, k] for j, (s_off, _, moves, k) in enumerate(segs)]
            parts.append([frac - cov[-1], -math.inf, True, None])
        parts = [q for q in parts if q[0] > 1e-12] or [[frac, -math.inf, True, None]]
        parts[-1][0] = frac - sum(q[0] for q in parts[:-1])           # the tranche's share, exactly
        for j, (f, slack, moves, k) in enumerate(parts):
            if j and out[-1][2:4] == (slack, moves) and out[-1][5] == k:   # the same capacity: one purchase
                out[-1] = (off, out[-1][1] + f, slack, moves, i, k)
            else:
                out.append((off, f, slack, moves, i, k))
    return out


def purchase_shift(delay, slack, moves: bool):
    """Months a tranche's purchase moves under a grid delay of ``delay`` whole months:
    ``max(0, delay - max(0, slack))`` when the delay moves its capacity, else 0. ``slack``: a number, or per
    case ``(n, 1)`` (a build overrun adds to it: :func:`tranche_ramp`). [months]"""
    if not moves:
        return 0.0 * np.asarray(delay, dtype=float)
    return np.maximum(0.0, np.asarray(delay, dtype=float) - np.maximum(0.0, slack))


@dataclass(frozen=True)
class TrancheRamp:
    """The fleet's ramp by tranche (:func:`tranche_ramp`).

    ``starts``: ``(start month (n or 1, 1), fleet_frac)`` of each tranche as bought; ``weights``: its
    ``(kw, energy, tokens)`` per GPU over the fleet's average (``TcoInputs.phase_mix``; 1s without);
    ``installed``, ``operating``: the shares of the fleet's GPUs installed and powered; ``energy``:
    the share of the full build-out year's IT energy drawn by the GPUs powered; ``tokens``: the GPUs
    powered weighted by their tokens per second over the fleet's average; each ``(n or 1, months)``
    [frac]. Without a ``phase_mix`` ``energy`` and ``tokens`` are ``operating``.
    """

    starts: list
    weights: list
    installed: np.ndarray
    operating: np.ndarray
    energy: np.ndarray
    tokens: np.ndarray


def tranche_ramp(inputs: TcoInputs, build, delay, months: int) -> TrancheRamp:
    """The fleet's tranches, and the shares installed and operating per month (:class:`TrancheRamp`).

    ``build``, ``delay``: ``build_months`` and ``delay_months`` in whole months (per case, float or
    ``(n, 1)``); ``months``: of the horizon. With grid phases the capacity energized by month ``m``
    (``live_fleet_frac`` plus the ``grid_phases`` energized, shares of the fleet's design facility power)
    powers the tranches installed in start order, the oldest first (a hall already running keeps its
    power; a tie: in plan order), each up to its installed GPUs at its own kW per GPU
    (``TcoInputs.phase_mix``): tranche ``k`` powers ``min(f_k, max(0, cap - ahead_k) / kw_k)`` of the
    fleet, ``ahead_k`` the power of those started before it. Without a mix this is
    ``min(installed, min(1, cap))``, as before; without grid phases every installed GPU operates.

    A ``build`` other than the inputs' own (``build_months`` in whole months; a tornado end or a Monte Carlo
    draw) is a construction overrun of ``build - own`` months (a gain when negative) from the same project
    start: every tranche starts that much later, while the grid phases stay at their planned dates
    (``own + offset``, moved only by the grid delay), so each tranche's slack grows by the overrun (a grid
    delay up to it is absorbed). Without grid phases a delayed tranche moves by the overrun and the whole
    delay, added.

    >>> inp = TcoInputs(n_accelerators=100, it_capacity_kw=100.0, it_energy_kwh=1e5,
    ...                 phases=((0, 0.5), (1, 0.5)), grid_phases=((0, 0.5),),
    ...                 phase_mix=((1.0, 1.0, 1.0), (3.0, 2.0, 4.0)), costs={"build_months": 0.0})
    >>> r = tranche_ramp(inp, 0.0, 0.0, 2)   # kW per GPU 0.5 and 1.5 x the average: 0.25 + 0.25 / 1.5
    >>> r.operating[0].round(4).tolist(), r.energy[0].round(4).tolist(), r.tokens[0].round(4).tolist()
    ([0.5, 0.6667], [0.3333, 0.5556], [0.2, 0.4667])
    """
    live = float(inputs.live_fleet_frac)
    build = np.asarray(build, dtype=float).reshape(-1, 1)
    # a build other than the inputs' own is an overrun (or a gain) from the same project start: the grid stays
    # on its calendar, the inputs' own end of build plus its offsets, and the fleet's slack grows by the overrun
    own = whole_months(inputs.params()["build_months"])
    overrun = build - own
    raw = np.asarray(delay, dtype=float).reshape(-1, 1)
    delay = np.asarray(delay_whole_months(inputs, raw), dtype=float)   # the month rule (dcplan.grid_ramp)
    mm = np.arange(months)[None, :]
    mix = inputs.phase_mix
    plan = _plan(inputs)
    entries = grid_entries(inputs.grid_phases)
    # each grid phase's move under the delay: a dated one to dcplan.grid's month (dcplan.tco_grid_dates)
    shifts = entry_shifts(inputs, entries, raw)
    weights = [tuple(mix[p[4]]) if mix else (1.0, 1.0, 1.0) for p in plan]
    starts = [(build + off + purchase_shift(delay if k is None else shifts[k], slack + overrun, moves), frac)
              for off, frac, slack, moves, _, k in plan]
    shape = np.broadcast_shapes((build.shape[0], months), (delay.shape[0], months))
    installed = sum(frac * (mm >= s) for s, frac in starts)
    installed = np.broadcast_to(installed, np.broadcast_shapes(installed.shape, shape)).astype(float)
    if inputs.grid_phases is None:
        if mix is None:
            run = installed.copy()
            return TrancheRamp(starts, weights, installed, run, run, run)
        on = [frac * (mm >= s) for s, frac in starts]                 # every installed GPU operates
    else:
        cap = live + sum(frac * (mm >= own + off + (shifts[k] if moves else 0.0))
                         for k, (off, frac, moves) in enumerate(entries))
        if mix is None:
            run = np.minimum(installed, np.minimum(cap, 1.0))
            if inputs.phase_units is not None:  # whole racks / servers (installed is whole units already)
                run = floor_units(run, inputs.n_accelerators, common_unit(inputs.phase_units))
            return TrancheRamp(starts, weights, installed, run, run, run)
        on = []
        for k, (s_k, f_k) in enumerate(starts):                        # the oldest first
            ahead = sum(((s_j < s_k) | ((s_j == s_k) & (j < k))) * (f_j * weights[j][0]) * (mm >= s_j)
                        for j, (s_j, f_j) in enumerate(starts) if j != k)
            on_k = np.clip(cap - ahead, 0.0, f_k * weights[k][0]) * (mm >= s_k) / weights[k][0]
            if inputs.phase_units is not None:  # whole units of its phase's hardware
                on_k = floor_units(on_k, inputs.n_accelerators, inputs.phase_units[plan[k][4]])
            on.append(on_k)

    def total(col: int | None) -> np.ndarray:
        x = sum(o * (1.0 if col is None else w[col]) for o, w in zip(on, weights))
        return np.broadcast_to(x, installed.shape).astype(float)
    return TrancheRamp(starts, weights, installed, total(None), total(1), total(2))


def fleet_ramp(inputs: TcoInputs, build, delay, months: int) -> tuple[list, np.ndarray, np.ndarray]:
    """Tranche starts and the monthly installed and operating shares of the fleet.

    Parameters
    ----------
    inputs : TcoInputs
    build, delay : float or ndarray (n, 1)
        ``build_months`` and ``delay_months`` in whole months (per case). [months]
    months : int
        Months of the horizon, ``12 * horizon_years``.

    Returns
    -------
    starts : list of (ndarray (n or 1, 1), float)
        ``(start month, fleet_frac)`` of each tranche as bought (:func:`tranche_plan`). [months, frac]
    installed, operating : ndarray (n or 1, months)
        Share of the fleet's GPUs installed and operating in each month (month 0 = project start;
        :func:`tranche_ramp`). [frac]
    """
    r = tranche_ramp(inputs, build, delay, months)
    return r.starts, r.installed, r.operating


def _whole(inputs: TcoInputs, build, delay):
    """``build_months`` in whole months and ``delay_months`` as given (:func:`tranche_ramp` rounds it, and
    dates a dated grid phase from it as computed)."""
    p = inputs.params()
    return (whole_months(p["build_months"] if build is None else build),
            np.asarray(p["delay_months"] if delay is None else delay, dtype=float))


def first_purchase_month(inputs: TcoInputs, build=None, delay=None):
    """Month the fleet's first GPUs are bought (months after project start): the earliest tranche
    start of :func:`fleet_ramp`. ``build``, ``delay``: ``build_months``, ``delay_months`` (default the
    inputs'; scalars or arrays ``(n, 1)``), rounded to whole months. A case whose first purchase is
    at or after the horizon's end has nothing to model and is refused. [months]"""
    b, d = _whole(inputs, build, delay)
    starts, _, _ = fleet_ramp(inputs, b, d, 1)
    first = starts[0][0]
    for s, _ in starts[1:]:
        first = np.minimum(first, s)
    return float(first.ravel()[0]) if np.ndim(build) == 0 and np.ndim(delay) == 0 else first


def operations_start_month(inputs: TcoInputs) -> float | None:
    """First month any GPU operates (months after project start; 0 = the first month), the month
    revenue starts and operations staff are paid from; None when no GPU operates within the horizon
    (the grid capacity to power the fleet is energized after it). [months]"""
    b, d = _whole(inputs, None, None)
    _, _, run = fleet_ramp(inputs, b, d, 12 * inputs.horizon_years)
    on = np.flatnonzero(run[0] > 1e-12)
    return float(on[0]) if on.size else None


def purchase_delays(inputs: TcoInputs) -> list[tuple[float, float, float]]:
    """``(planned offset, fleet_frac, months bought late)`` of each tranche at the case's grid delay
    (:func:`tranche_plan`, :func:`purchase_shift`), whole months."""
    raw = inputs.params()["delay_months"]
    d = delay_whole_months(inputs, raw)
    shifts = entry_shifts(inputs, grid_entries(inputs.grid_phases), raw)
    return [(off, frac, float(purchase_shift(d if k is None else shifts[k], slack, moves)))
            for off, frac, slack, moves, _, k in _plan(inputs)]


def power_wait(inputs: TcoInputs) -> pd.DataFrame:
    """The months in which GPUs installed wait for grid power (one case).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``month`` (1-based, as ``TcoResult.monthly``; month ``m`` runs from ``m - 1``
        to ``m`` months after project start), one row per month with GPUs waiting:
        ``installed_gpus``, ``operating_gpus``, ``waiting_gpus`` [GPUs]. Empty without grid phases
        or when the grid powers every installed GPU.
    """
    M = 12 * inputs.horizon_years
    _, inst, run = fleet_ramp(inputs, *_whole(inputs, None, None), M)
    n = inputs.n_accelerators
    df = pd.DataFrame({"installed_gpus": n * inst[0], "operating_gpus": n * run[0]},
                      index=pd.Index(np.arange(1, M + 1), name="month"))
    df["waiting_gpus"] = df["installed_gpus"] - df["operating_gpus"]
    return df[df["waiting_gpus"] > 1e-9 * max(n, 1)]


def _month_text(month0: int, build: float, first_start) -> str:
    """Model month ``month0`` (0-based) as text: a calendar month when the fleet's first start is
    known (model month ``build`` = the first month starting on or after it, as
    :func:`dcplan.grid.gpu_plan` counts it, :attr:`TcoInputs.fleet_start`), else ``month N``."""
    if first_start is None:
        return f"month {month0 + 1}"
    anchor = month_on_or_after(first_start)
    return (anchor + int(month0 - build)).strftime("%b %Y")


#: The purchase rule in words (the wait note, the workbook's About sheet and the tco notebook).
PURCHASE_RULE = ("GPUs are bought on the fleet's plan, moved later only by the part of the grid delay the "
                 "plan's slack does not absorb: a tranche whose grid capacity was planned to be energized k "
                 "months before its start is bought max(0, delay - k) months late, one already short of capacity "
                 "on the plan by the whole delay, one on capacity in service not at all")


def power_wait_note(inputs: TcoInputs, first_start=None) -> str:
    """The report's sentence on GPUs that wait for grid power, ``""`` when none wait.

    Parameters
    ----------
    inputs : TcoInputs
    first_start : date-like, optional
        The fleet's first phase start (model month ``build_months``), to name calendar months;
        default ``inputs.fleet_start`` (undated: ``month N``).
    """
    if first_start is None:
        first_start = inputs.fleet_start
    w = power_wait(inputs)
    if w.empty:
        return ""
    p = inputs.params()
    build = whole_months(p["build_months"])
    m0 = w.index.to_numpy() - 1                                     # 0-based model months
    runs = np.split(m0, np.where(np.diff(m0) > 1)[0] + 1)           # consecutive stretches
    parts = []
    for r in runs:
        peak = float(w.loc[r + 1, "waiting_gpus"].max())
        last = float(w.loc[int(r[-1]) + 1, "waiting_gpus"])
        end = int(r[-1]) + 1
        # a stretch running to the horizon: how many are still waiting then ("up to 4,985 GPUs for 108 months"
        # read as ~5,000 GPUs unpowered for nine years where 755 were, after a 7-month peak)
        powered = (f"powered from {_month_text(end, build, first_start)}" if end < 12 * inputs.horizon_years
                   else ("not powered within the horizon" if last >= peak - 0.5 else
                         f"{last:,.0f} of them still waiting at its end, not powered within the horizon"))
        span = _month_text(int(r[0]), build, first_start)
        if len(r) > 1:
            span += f" to {_month_text(int(r[-1]), build, first_start)}"
        parts.append(f"up to {peak:,.0f} GPUs for {len(r)} month{'s' if len(r) > 1 else ''} ({span}; {powered})")
    total = float(w["waiting_gpus"].sum())
    d = float(delay_whole_months(inputs, p["delay_months"]))   # the month rule (dcplan.grid_ramp)
    moved = ""
    if d > 0:
        by = {}
        for _, frac, late in purchase_delays(inputs):
            by[late] = by.get(late, 0.0) + frac
        moved = (f" At this case's grid delay of {d:.0f} months the purchases move by "
                 + ", ".join(f"{late:.0f} months ({frac:.0%} of the fleet)" for late, frac in sorted(by.items()))
                 + ".")
        if inputs.grid_dates and any(late > d for late in by):
            moved += (f" A move longer than the whole-month delay is a phase energized after a month start under the "
                      f"delay of {p['delay_months']:.2f} months: it powers GPUs from the next month, as "
                      "dcplan.grid.capacity_timeline counts it (dcplan.tco_grid_dates).")
    return ("GPUs wait for grid power: " + "; ".join(parts) + ", installed before the "
            "interconnection capacity energized by then (the site's interconnection phases at their planned "
            "dates, shifted by the case's grid delay, plus capacity in service) can power them at design "
            f"facility power; {total:,.0f} GPU-months in all. {PURCHASE_RULE}; a GPU carries capex, IT "
            "maintenance, network, insurance and property tax from purchase and earns no revenue and uses no "
            f"energy until powered (dcplan.tco_ramp).{moved}")


def no_output_note(inputs: TcoInputs) -> str:
    """Why the case has no GPU-hours (levelized costs per GPU-hour, MWh or token do not exist),
    ``""`` when it has some."""
    if operations_start_month(inputs) is None:
        return (f"no GPU operates within the {inputs.horizon_years}-year horizon: the grid capacity to power "
                "the fleet is energized after it (interconnection phases, grid delay)")
    if inputs.params()["utilization_frac"] == 0:
        return "utilization_frac is 0: no GPU-hour is sold"
    return ""


def monthly_electricity(electricity, M: int, build: np.ndarray, fleet_month: int | None = None, *,
                        calendar_build: float | None = None) -> np.ndarray:
    """The bill of each month ``0..M - 1`` of the horizon at full build-out, shape ``(1, M)``, or
    ``(n, M)`` when the calendar or the PV's age depends on ``build`` (whole months, ``(n, 1)``) and
    it differs between cases.

    Model month ``m`` pays the bill of its calendar month, ``(fleet_month - calendar_build + m) mod 12``
    (0 = January; ``fleet_month`` the calendar month of the fleet's planned start, model month
    ``calendar_build``: :attr:`TcoInputs.fleet_start`; ``calendar_build`` the inputs' own build, which puts
    the project start on the calendar, default ``build``), at the PV age ``(m - build) // 12`` whole years (0
    before and in its first year of service). ``fleet_month`` None (an undated case): month ``m`` pays
    calendar month ``m mod 12``, model month 0 a January. [USD]

    >>> bill = np.arange(1.0, 13.0)          # January pays 1 .. December 12
    >>> monthly_electricity(bill, 3, np.array([[12.0]]), fleet_month=6)[0]   # fleet from July, 12-month build
    array([7., 8., 9.])
    """
    tab = electricity_by_pv_age_usd(electricity)                     # (n_ages, 12)
    months = np.arange(M)
    b = np.unique(build.astype(int).ravel())
    age = np.clip((months[None, :] - b[:, None]) // 12, 0, None)    # (n_build, M)
    if isinstance(electricity, ElectricityByPvAge) and age.max() >= tab.shape[0]:
        raise InputError(f"the bills cover {tab.shape[0]} PV age{'s' if tab.shape[0] > 1 else ''}; a "
                         f"{M // 12}-year horizon with the PV in service from month {int(b.min())} needs "
                         f"{int(age.max()) + 1}", field="electricity")
    if fleet_month is None:                                          # undated: month 0 is a January
        cal = (months % 12)[None, :]                                 # (1, M)
    elif calendar_build is not None:                                 # the project start on the calendar
        cal = ((int(fleet_month) - int(calendar_build) + months) % 12)[None, :]       # (1, M)
    else:                                                            # the calendar month of each month
        cal = (int(fleet_month) - b[:, None] + months[None, :]) % 12  # (n_build, M)
    if tab.shape[0] == 1 or (tab == tab[0]).all():                   # the same bill at every age
        g = tab[0][cal]
    else:
        g = tab[age, cal]
    if g.shape[0] == 1:
        return g
    return g[np.searchsorted(b, build.astype(int).ravel())]
