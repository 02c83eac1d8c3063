"""The TCO's operating ramp: the share of the fleet installed and the share operating, month by month.

The fleet is **installed** (bought) on its plan: the deployment phases (``TcoInputs.phases``), the
part not powered by capacity already in service shifted by the grid delay
(:func:`dcplan.tco_input_types.tranches`). It **operates** only where grid capacity energized by then
can power it: with the site's interconnection phases (``TcoInputs.grid_phases``, made by
:func:`dcplan.tco_inputs.grid_phases`) the share operating in month ``m`` is

``min(installed(m), min(1, live_fleet_frac + sum of grid_phases fleet_frac energized by m))``,

a grid phase energized ``build_months + offset + delay_months`` months after project start (whole
months), the capacity in service (``live_fleet_frac``) from the start. Without grid phases
(``grid_phases`` None) every installed GPU operates. A GPU installed but not operating **waits for
power**: bought on the fleet's plan (capex, refreshes, IT maintenance, network, insurance and
property tax on IT), with no revenue, GPU-hours, energy, water or electricity until powered
(:func:`power_wait` lists the months, :func:`power_wait_note` says it in words).

The ``fleet_frac`` of a grid phase is its MW over the whole fleet's facility power at design IT in
the worst hour (IT plus cooling), as :func:`dcplan.grid.deployment_ramp` and
:func:`dcplan.grid.live_fleet_frac` divide capacity by.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .tco_input_types import ElectricityByPvAge, TcoInputs, electricity_by_pv_age_usd, tranches, whole_months

__all__ = ["fleet_ramp", "monthly_electricity", "power_wait", "power_wait_note"]


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
        ``(start month, fleet_frac)`` of each tranche (the IT purchases). [months, frac]
    installed, operating : ndarray (n or 1, months)
        Share of the fleet installed and operating in each month (month 0 = project start). [frac]
    """
    live = float(inputs.live_fleet_frac)
    build = np.asarray(build, dtype=float).reshape(-1, 1)
    delay = np.asarray(delay, dtype=float).reshape(-1, 1)
    mm = np.arange(months)[None, :]
    starts = [(build + off + (delay if delayed else 0.0), frac)
              for off, frac, delayed in tranches(inputs.phases, live)]
    installed = sum(frac * (mm >= s) for s, frac in starts)
    installed = np.broadcast_to(installed, np.broadcast_shapes(installed.shape, (build.shape[0], months),
                                                               (delay.shape[0], months))).astype(float)
    if inputs.grid_phases is None:
        return starts, installed, installed.copy()
    cap = live + sum(frac * (mm >= build + whole_months(off) + delay) for off, frac in inputs.grid_phases)
    operating = np.minimum(installed, np.minimum(cap, 1.0))
    return starts, installed, operating


def power_wait(inputs: TcoInputs) -> pd.DataFrame:
    """The months in which GPUs installed on the fleet's plan wait for grid power (one case).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``month`` (1-based, as ``TcoResult.monthly``; month ``m`` runs from ``m - 1``
        to ``m`` months after project start), one row per month with GPUs waiting:
        ``installed_gpus``, ``operating_gpus``, ``waiting_gpus`` [GPUs]. Empty without grid phases
        or when the grid powers every installed GPU.
    """
    p = inputs.params()
    M = 12 * inputs.horizon_years
    _, inst, run = fleet_ramp(inputs, whole_months(p["build_months"]), whole_months(p["delay_months"]), M)
    n = inputs.n_accelerators
    df = pd.DataFrame({"installed_gpus": n * inst[0], "operating_gpus": n * run[0]},
                      index=pd.Index(np.arange(1, M + 1), name="month"))
    df["waiting_gpus"] = df["installed_gpus"] - df["operating_gpus"]
    return df[df["waiting_gpus"] > 1e-9 * max(n, 1)]


def _month_text(month0: int, build: float, first_start) -> str:
    """Model month ``month0`` (0-based) as text: a calendar month when the fleet's first start is
    known (model month ``build`` = that start), else ``month N``."""
    if first_start is None:
        return f"month {month0 + 1}"
    d = pd.Timestamp(first_start) + pd.DateOffset(months=int(month0 - build))
    return d.strftime("%b %Y")


def power_wait_note(inputs: TcoInputs, first_start=None) -> str:
    """The report's sentence on GPUs that wait for grid power, ``""`` when none wait.

    Parameters
    ----------
    inputs : TcoInputs
    first_start : date-like, optional
        The fleet's first phase start (model month ``build_months``), to name calendar months.
    """
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
        end = int(r[-1]) + 1
        powered = (f"powered from {_month_text(end, build, first_start)}" if end < 12 * inputs.horizon_years
                   else "not powered within the horizon")
        span = _month_text(int(r[0]), build, first_start)
        if len(r) > 1:
            span += f" to {_month_text(int(r[-1]), build, first_start)}"
        parts.append(f"up to {peak:,.0f} GPUs for {len(r)} month{'s' if len(r) > 1 else ''} ({span}; {powered})")
    total = float(w["waiting_gpus"].sum())
    return ("GPUs wait for grid power: the fleet's phases install " + "; ".join(parts) + " before the "
            "interconnection capacity energized by then (the site's interconnection phases at their planned "
            "dates, shifted by the case's grid delay, plus capacity in service) can power them at design "
            f"facility power; {total:,.0f} GPU-months in all. They are bought on the fleet's plan (capex, IT "
            "maintenance, network, insurance and property tax from purchase) and earn no revenue and use no "
            "energy until powered (dcplan.tco_ramp).")


def monthly_electricity(electricity, M: int, build: np.ndarray) -> np.ndarray:
    """The bill of each month ``0..M - 1`` of the horizon at full build-out, shape ``(1, M)``, or
    ``(n, M)`` when the bill depends on the PV's age and ``build`` (whole months, ``(n, 1)``)
    differs between cases. Month ``m`` pays the bill of calendar month ``m mod 12`` at the PV
    age ``(m - build) // 12`` whole years (0 before and in its first year of service). [USD]"""
    tab = electricity_by_pv_age_usd(electricity)                     # (n_ages, 12)
    months = np.arange(M)
    b = np.unique(build.astype(int).ravel())
    age = np.clip((months[None, :] - b[:, None]) // 12, 0, None)    # (n_build, M)
    if isinstance(electricity, ElectricityByPvAge) and age.max() >= tab.shape[0]:
        raise InputError(f"the bills cover {tab.shape[0]} PV age{'s' if tab.shape[0] > 1 else ''}; a "
                         f"{M // 12}-year horizon with the PV in service from month {int(b.min())} needs "
                         f"{int(age.max()) + 1}", field="electricity")
    if tab.shape[0] == 1 or (tab == tab[0]).all():                   # the same bill at every age
        return tab[0][months % 12][None, :]
    g = tab[age, months % 12]
    if len(b) == 1:
        return g
    return g[np.searchsorted(b, build.astype(int).ravel())]
