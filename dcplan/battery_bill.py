"""Site battery dispatched to lower the tariff bill (``interconnection.battery.target: bill``).

:func:`dcplan.grid_battery.demand_targets_kw` (``target: demand``) shaves each month's
all-hours peak, whatever hours the tariff bills demand in: on a tariff whose demand charge
counts only on-peak hours (APS E-32 TOU L: weekdays 15:00-20:00) it holds the night's and the
weekend's peaks as well, which the bill never charges, and leaves the energy-price spread
unused. ``target: bill`` instead dispatches the battery at the least bill for the year, as
one linear program solved by HiGHS (``scipy.optimize.milp`` with no integer columns): its
demand charges are monthly (one billing demand per charge and calendar month), its state of
charge runs through the whole year.

Formulation, for the ``n`` intervals ``t`` of the series (``dt`` hours each), with net load
``L_t`` (facility − PV, negative in hours of PV surplus; as :func:`dcplan.grid_battery.peak_shave`
it is not clipped at 0), power limit ``P``, energy ``E``:

* columns: charge ``0 <= c_t <= P``; discharge ``0 <= d_t <= min(P, max(L_t, 0))`` (the battery
  serves the load behind the meter and never exports, as the threshold dispatch); state of
  charge ``soc_min E <= s_t <= soc_max E``; grid import ``i_t >= 0``, at most
  ``max(cap_t, L_t)`` with a contracted capacity ``cap`` (charging never draws above the
  contract); where ``L_t > cap_t``, an excess ``0 <= x_t <= L_t - cap_t`` with ``i_t - x_t <= cap_t``,
  penalised far above anything a kWh of the battery can save (see below); one billing demand
  ``D`` per demand charge (flat all-hours, each TOU demand period)
  and calendar month, ``D >= floor`` (the contract demand, :meth:`dcplan.tariff.Tariff.with_contract_demand`);
* ``i_t = L_t - d_t + c_t`` where ``L_t >= 0``; ``i_t >= L_t - d_t + c_t`` where ``L_t < 0``
  (no export credit: the meter ``L_t - d_t + c_t`` is negative while PV is spilled; the battery
  charges from that surplus first, and buys from the grid only the rest);
* ``s_t = s_{t-1} + eta_c c_t dt - d_t dt / eta_d``, the round trip split evenly,
  ``eta_c = eta_d = sqrt(eta_rt)`` (as :mod:`dcplan.grid_battery`);
* ``D >= i_t`` for every interval of its month that counts for the charge;
* minimise ``sum_t price_t i_t dt + sum_charges rate D + sum_t M x_t`` (+ a tie-break of
  :data:`TIE_BREAK_USD_PER_KWH` on the energy charged and discharged, so hours where moving
  energy is worth nothing do not cycle the battery for nothing).

Contracted capacity. The battery covers what it can of the load above the contract: the excess
``x_t`` [kW] costs ``M`` $ per kW per interval, twice the dearest energy price x the step plus the demand rates
one interval counts in (per kW, not scaled by the step), over the round trip (:func:`_excess_penalty_usd`), so at
any step the LP never keeps charge for a
billed peak while drawing above the contract, and leaves only the excess the battery's power or
energy cannot cover. (A bound ``i_t <= max(cap_t, L_t)`` alone let the LP skip over-cap hours that
count for no demand charge: a Phoenix copy contracted at 5 MW, 2 MW / 4 MWh, drew 5,253 kW, 132 h a
year above 5 MW, just after APS's on-peak window, which this battery can hold at 3.8 kUSD a year
more.) A penalty rather than a hard bound ``i_t <= max(cap_t, L_t - P)``: the battery's energy may
not last through a long over-cap stretch, where a hard bound would leave the LP infeasible.

Repeating year. The state of charge before the first interval is the one after the last
(``s_{-1} = s_{n-1}``, a level the LP chooses): the typical year starts with the charge it
ends with, so it gets no free energy from the battery (as the other targets'
``soc_initial_frac="cyclic"``), and every month ends with the charge the next one starts
with. Why one LP and not one per month: months solved on their own must each start and end
at a fixed charge (else the year's SoC would jump at each month's start), and with every month
starting and ending full the dispatch lost to ``target: demand`` where the load leaves little
room to recharge under a flat all-hours demand charge (Chicago, ComEd: 64,701 against
73,513 USD a year for 2 MW / 4 MWh), since ``target: demand`` carries charge from one month
into the next. The year's LP (8,760 intervals, about 35,000 columns) solves in 0.3-1 s.

Prices come from the tariff as the off-peak scheduler takes them (:mod:`dcplan.schedule`):
:meth:`dcplan.tariff.Tariff.energy_price` per interval (TOU period, adjustments, fuel
adjustment, real-time price, escalation; the tariff's holidays) and the demand charges of
:func:`dcplan.schedule_inputs.demand_charges_from_tariff` (which hours count for each charge,
its rate per month, its floor). Tariff features the LP cannot price exactly are refused with
an :class:`~dcplan.errors.InputError` that names the feature and suggests ``target: demand``
(:func:`bill_lp_problem`): energy or demand tiers of different rates, demand ratchets,
coincident-peak and 4CP charges, a demand window longer than the load step (a 15- or 30-min
window on hourly data is billed on the hourly average, as the LP prices it), and a negative
energy price in an hour of PV surplus. A minimum charge needs nothing: the least bill above the
minimum is the least bill.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ._ts import interval_start, step_s
from .errors import InputError
from .specs.interconnection import BATTERY_ROUND_TRIP_EFF_FRAC

__all__ = ["bill_dispatch", "bill_lp_problem", "check_bill_tariff", "TIE_BREAK_USD_PER_KWH"]

#: Cost put on each kWh charged and discharged so that hours where moving energy is worth
#: nothing (PV that would be spilled, equal prices) do not cycle the battery: 1e-6 $/kWh, a
#: dcplan choice far below any tariff's price step (at most ~35 USD a year for a 2 MW battery
#: cycling every hour). [$/kWh]
TIE_BREAK_USD_PER_KWH = 1e-6

_ALLOWED = ("a tariff whose energy and demand rates have one tier each (or tiers of one rate), without "
            "demand ratchets, coincident-peak or 4CP charges, with a demand window no longer than the "
            "load step")


def _refuse(tariff, feature: str, field: str | None) -> InputError:
    return InputError(f"target: bill dispatches the battery with a linear program, which cannot price the "
                      f"{feature} of the tariff {tariff.name!r} exactly; allowed: {_ALLOWED}. Use target: demand "
                      "(each month's all-hours peak shaved) for this tariff", field=field)


def _tiers_differ(rates) -> bool:
    r = np.asarray(rates, dtype=float)
    return r.ndim == 2 and r.shape[1] > 1 and not np.all(r == r[:, :1])


def check_bill_tariff(tariff, dt_s: float = 3600.0, *,
                      field: str | None = "interconnection.battery.target") -> None:
    """Raise :class:`~dcplan.errors.InputError` (on ``field``) when ``target: bill``'s LP cannot
    price ``tariff`` exactly on a load of ``dt_s``-second steps (module docstring): no tariff,
    tiers of different rates, a ratchet, coincident-peak or 4CP charges, a demand window longer
    than the step. ``dcplan validate`` calls it on the site's tariff (an hourly load); a negative
    energy price in an hour of PV surplus is found only on the load (:func:`bill_lp_problem`).
    """
    if tariff is None or not callable(getattr(tariff, "energy_price", None)):
        raise InputError("target: bill needs the site's tariff (a tariff: section) to price the battery's "
                         f"dispatch, got {type(tariff).__name__}; allowed: a site with a tariff, or target: "
                         "demand", field=field)
    feature = unpriced_feature(tariff, dt_s)
    if feature is not None:
        raise _refuse(tariff, feature, field)


def unpriced_feature(tariff, dt_s: float = 3600.0) -> str | None:
    """The first feature of ``tariff`` (a :class:`dcplan.tariff.Tariff`) that ``target: bill``'s LP cannot
    price exactly on a load of ``dt_s``-second steps, in words ("energy tiers (energyratestructure tiers of
    different rates)"), or None when it can price them all (:func:`check_bill_tariff` refuses the first)."""
    if _tiers_differ(tariff.energy_rate):
        return "energy tiers (energyratestructure tiers of different rates)"
    for name, rates in (("flat demand tiers (flatdemandstructure)", tariff.flat_rate),
                        ("TOU demand tiers (demandratestructure)", tariff.demand_rate)):
        if rates is not None and _tiers_differ(rates):
            return f"{name} of different rates"
    if tariff.ratchet_frac is not None and tariff.ratchet_lookback_months > 0:
        return "demand ratchet (a month's billing demand set by earlier months' peaks)"
    if tariff.coincident_rate is not None:
        return "coincident-peak demand charge (coincidentratestructure)"
    if tariff.fourcp_usd_per_kw_month:
        return "4CP transmission charge"
    if tariff.demand_window_min is not None and tariff.demand_window_min * 60.0 > dt_s:
        return (f"demand window of {tariff.demand_window_min:g} min (demand measured over "
                f"more than the load's {dt_s / 60:g}-min step)")
    return None


def bill_lp_problem(tariff, load_kw: pd.Series, *, field: str | None = "interconnection.battery.target"
                    ) -> tuple[np.ndarray, list]:
    """The tariff's prices on ``load_kw``'s index, in the LP's terms: ``(price_usd_per_kwh, charges)``.

    ``price_usd_per_kwh`` (N,) is :meth:`dcplan.tariff.Tariff.energy_price` [$/kWh]; ``charges``
    the :class:`dcplan.schedule_lp_types.DemandCharge` s of
    :func:`dcplan.schedule_inputs.demand_charges_from_tariff` (member hours, rate per month
    [$/kW-month], floor [kW]). Raises :class:`~dcplan.errors.InputError` (on ``field``) for a
    tariff feature the LP cannot price exactly (module docstring).
    """
    from .schedule_inputs import demand_charges_from_tariff
    dt_s = step_s(load_kw, "load_kw")
    check_bill_tariff(tariff, dt_s, field=field)
    price = tariff.energy_price(load_kw.index).to_numpy(dtype=float)
    load = load_kw.to_numpy(dtype=float)
    bad = (price < 0) & (load < 0)
    if bad.any():
        j = int(np.argmax(bad))
        raise _refuse(tariff, f"negative energy price ({price[j]:g} $/kWh at {load_kw.index[j]}, an hour of "
                              "PV surplus, where the LP could not price the spilled PV)", field)
    return price, demand_charges_from_tariff(tariff, load_kw.index)


def _excess_penalty_usd(price, members, rates, eta_rt, dt_h) -> float:
    """Cost put on each kW drawn above the contracted capacity for one interval of ``dt_h`` hours [$]: twice the
    most that kW for that interval (``dt_h`` kWh) can save anywhere if the battery keeps it (bought through the round
    trip): its energy at the dearest price, ``dt_h`` x price, plus every demand rate of one interval, the kW it can
    take off a billed peak (a demand rate is per kW, not per kWh: at 15-min steps its kWh cuts a peak by the same kW
    as an hour's does by a quarter), plus 1 $/kWh. So the LP never trades excess for bill, at any step: it holds the
    cap whenever the battery can, and leaves only the excess it cannot cover."""
    per_t = np.zeros(price.shape[0])
    for m, r in zip(members, rates):
        per_t[m] += r
    return (2.0 * (float(np.max(np.abs(price), initial=0.0)) * dt_h + float(per_t.max(initial=0.0))) / eta_rt
            + dt_h)


def _solve(load, price, members, rates, floors, cap, p_kw, lo_s, hi_s, eta, dt_h):
    """The LP of the whole series (module docstring): ``(charge_kw, discharge_kw, soc_kwh)``.

    ``members[k]`` (N,) bool: the intervals of one demand charge in one month, billed at
    ``rates[k]`` [$/kW] on a demand of at least ``floors[k]`` [kW]. The SoC before the first
    interval is the SoC after the last (a repeating year). ``cap`` (N,) [kW] or None: import
    above it is an excess column ``x_t`` (only where the load is above the cap), penalised by
    :func:`_excess_penalty_usd` so the battery covers what it can of it.
    """
    n = load.shape[0]
    k = len(rates)
    over = np.zeros(0, dtype=int) if cap is None else np.flatnonzero(load > cap)
    nx = over.shape[0]
    ic, id_, is_, ii, ix = 0, n, 2 * n, 3 * n, 4 * n + k   # column blocks: c, d, s, i, one D per members[k], x
    nv = 4 * n + k + nx
    tie = TIE_BREAK_USD_PER_KWH * dt_h
    pen = _excess_penalty_usd(price, members, rates, eta * eta, dt_h) if nx else 0.0
    cost = np.concatenate([np.full(2 * n, tie), np.zeros(n), price * dt_h, np.asarray(rates, float),
                           np.full(nx, pen)])
    lb = np.concatenate([np.zeros(n), np.zeros(n), np.full(n, lo_s), np.zeros(n), np.asarray(floors, float),
                         np.zeros(nx)])
    ub = np.concatenate([np.full(n, p_kw), np.minimum(p_kw, np.maximum(load, 0.0)), np.full(n, hi_s),
                         np.full(n, np.inf) if cap is None else np.maximum(cap, load), np.full(k, np.inf),
                         np.zeros(0) if cap is None else load[over] - cap[over]])
    t = np.arange(n)
    # balance: i - c + d = L (L >= 0), >= L (PV surplus: spilled PV is free)
    rows = [t, t, t]
    cols = [ii + t, ic + t, id_ + t]
    vals = [np.ones(n), -np.ones(n), np.ones(n)]
    rlo = [load]
    rhi = [np.where(load >= 0, load, np.inf)]
    # SoC: s_t - s_{t-1} - eta c_t dt + d_t dt / eta = 0, s_{-1} = s_{n-1} (the year repeats)
    r = n + t
    rows += [r, n + (t + 1) % n, r, r]
    cols += [is_ + t, is_ + t, ic + t, id_ + t]
    vals += [np.ones(n), -np.ones(n), np.full(n, -eta * dt_h), np.full(n, dt_h / eta)]
    rlo.append(np.zeros(n))
    rhi.append(np.zeros(n))
    # demand: D_k - i_t >= 0 for the intervals that count for charge k in its month
    nr = 2 * n
    for j, m in enumerate(members):
        tt = np.flatnonzero(m)
        r = nr + np.arange(len(tt))
        rows += [r, r]
        cols += [np.full(len(tt), 4 * n + j), ii + tt]
        vals += [np.ones(len(tt)), -np.ones(len(tt))]
        rlo.append(np.zeros(len(tt)))
        rhi.append(np.full(len(tt), np.inf))
        nr += len(tt)
    if nx:   # contract: i_t - x_t <= cap_t where the load is above the cap
        r = nr + np.arange(nx)
        rows += [r, r]
        cols += [ii + over, ix + np.arange(nx)]
        vals += [np.ones(nx), -np.ones(nx)]
        rlo.append(np.full(nx, -np.inf))
        rhi.append(cap[over])
        nr += nx
    a = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(nr, nv))
    res = milp(cost, constraints=LinearConstraint(a, np.concatenate(rlo), np.concatenate(rhi)),
               bounds=Bounds(lb, ub))
    if res.status != 0 or res.x is None:  # feasible by construction (the idle battery): a solver failure
        raise RuntimeError(f"HiGHS did not solve the battery's LP ({n} intervals): {res.message}")
    x = res.x
    c = np.clip(x[ic:ic + n], 0.0, p_kw)
    d = np.clip(x[id_:id_ + n], 0.0, None)
    return c, d, np.clip(x[is_:is_ + n], lo_s, hi_s)


def bill_dispatch(load_kw: pd.Series, tariff, *, power_kw: float, energy_kwh: float,
                  round_trip_eff_frac: float = BATTERY_ROUND_TRIP_EFF_FRAC, soc_min_frac: float = 0.0,
                  soc_max_frac: float = 1.0, cap_kw=None,
                  field: str | None = "interconnection.battery.target") -> pd.DataFrame:
    """Battery dispatch at the least tariff bill over the series, a repeating year (module docstring).

    Parameters
    ----------
    load_kw : pandas.Series
        Net load behind the meter (facility − PV), negative in hours of PV surplus (do not clip
        at 0); tz-aware, fixed step, in the tariff's civil time zone. [kW]
    tariff : dcplan.tariff.Tariff
        The site's tariff (:func:`dcplan.pipeline.site_tariff`); a feature the LP cannot price
        exactly is an InputError (:func:`bill_lp_problem`).
    power_kw, energy_kwh, round_trip_eff_frac, soc_min_frac, soc_max_frac
        As :func:`dcplan.grid_battery.peak_shave`. [kW, kWh, -, -, -]
    cap_kw : float or ndarray, optional
        Contracted capacity: charging never draws the grid above it (nor above the load where
        the load already is), and the battery covers what it can of the load above it (a
        penalised excess, module docstring). None: no limit. [kW]
    field : str, optional
        Field a refusal names.

    Returns
    -------
    pandas.DataFrame
        The :func:`dcplan.grid_battery.peak_shave` columns: ``load_kw, target_kw, charge_kw,
        discharge_kw, grid_kw`` (= load − discharge + charge; negative: PV spilled),
        ``soc_kwh`` (end of interval), ``loss_kwh`` and ``over_target_kw`` (0). No target is
        held: ``target_kw`` is the month's highest grid import after the battery. ``attrs``:
        ``soc_initial_kwh`` = ``soc_end_kwh`` = the state of charge the LP chooses to start and
        end the repeating year with, ``soc_initial_frac`` ``"cyclic"`` (a repeating year),
        ``target`` ``"bill"``. [kW, kWh]
    """
    from .grid_battery import CYCLIC, _check_battery, _load_array
    _check_battery(power_kw, energy_kwh, round_trip_eff_frac, soc_min_frac, soc_max_frac)
    load, dt_h = _load_array(load_kw)
    price, charges = bill_lp_problem(tariff, load_kw, field=field)
    cap = None
    if cap_kw is not None:
        cap = np.broadcast_to(np.asarray(cap_kw, dtype=float), load.shape)
        if np.any(~np.isfinite(cap)) or np.any(cap < 0):
            raise InputError(f"must be finite and >= 0, got {cap_kw!r}", field="cap_kw")
    eta = math.sqrt(round_trip_eff_frac)
    lo_s, hi_s = soc_min_frac * energy_kwh, soc_max_frac * energy_kwh
    month = interval_start(load_kw.index).tz_localize(None).to_period("M")
    codes, _ = pd.factorize(month)
    members, rates, floors = [], [], []
    for m in range(codes.max() + 1):
        in_m = codes == m
        for ch in charges:   # usd_per_kw: one row per month of the index, in order (one tier: refused else)
            mem = ch.member & in_m
            if mem.any():
                members.append(mem)
                rates.append(float(np.asarray(ch.usd_per_kw)[m, 0]))
                floors.append(float(ch.floor_kw))
    c, d, soc = _solve(load, price, members, rates, floors, cap, float(power_kw), lo_s, hi_s, eta, dt_h)
    grid = load - d + c
    peak = pd.Series(np.maximum(grid, 0.0)).groupby(codes).transform("max").to_numpy()
    loss = c * dt_h * (1.0 - eta) + d * dt_h * (1.0 / eta - 1.0)
    out = pd.DataFrame({"load_kw": load, "target_kw": peak, "charge_kw": c, "discharge_kw": d,
                        "grid_kw": grid, "soc_kwh": soc, "loss_kwh": loss,
                        "over_target_kw": np.zeros_like(load)}, index=load_kw.index)
    out.attrs.update(soc_initial_kwh=float(soc[-1]), soc_end_kwh=float(soc[-1]), soc_initial_frac=CYCLIC,
                     target="bill")
    return out
