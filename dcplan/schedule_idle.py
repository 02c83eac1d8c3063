"""Idle power of the flexible capacity for :mod:`dcplan.schedule`: what a switched-on accelerator draws with no job.

A flexible accelerator that runs no job still draws its idle power; a job on it adds only the power above
that. The fleet model (:mod:`dcplan.power`, :mod:`dcplan.power_fleet`) draws each unit's power between its
idle and full-load figures of ``data/hardware.csv``; a schedule that left the idle power out (a job at 0 kW
when it does not run) bills less IT energy than the same fleet at the same utilisation, and a peak cut
by moving a job counts all of the job's power where only the part above idle leaves the peak.

With ``i`` the fleet's idle share (:func:`fleet_idle_frac`: its IT power at utilisation 0 over its IT
power at full load, from the same hardware figures as the fleet model) and a flexible capacity ``F``:

* the flexible capacity draws ``i x F`` all the time, jobs or not (:func:`idle_it_kw`), a constant added
  to the must-run load of every strategy (the optimized schedule and both baselines);
* a job of ``power_kw`` (its accelerators at full load) adds ``(1 - i) x power_kw`` over that, and its
  energy likewise (:func:`above_idle`): its run time, window and min-run blocks are unchanged.

So the schedule's IT over a week is ``must-run + i x F x hours + (1 - i) x job energy``, which equals the
fleet model's energy at the same utilisation on its ``linear`` curve (energy proportional above idle):
at fill ``x`` of the flexible share, ``F (i + (1 - i) x) = F (P(0) + (P(1) - P(0)) x) / P(1)``. Both are
constants of the problem: the MILP keeps its size and speed.
"""
from __future__ import annotations


import numpy as np
import pandas as pd

from .errors import InputError
from .schedule_jobs import jobs_frame

__all__ = ["fleet_idle_frac", "idle_it_kw", "above_idle", "it_gap_mwh"]


def fleet_idle_frac(fleet_or_site) -> float:
    """The fleet's idle share: its IT power at utilisation 0 over its IT power at utilisation 1. [-]

    Summed over every phase (the full build-out, as the site chain's year: ``deployed="all"``), each
    phase ``N_p`` units and ``R_p = ceil(N_p / units_per_rack)`` racks of add-on gear, with the unit
    power model of :func:`dcplan.power.unit_power_kw` (catalog ``idle_kw`` and ``max_kw``, the fleet's
    caps, which bind at full load only, and the catalog PSU efficiency) and the add-ons between their
    idle and max: the same figures :func:`dcplan.power.fleet_it_kw` and
    :func:`dcplan.power.fleet_design_it_kw` use. ``diversity_frac`` scales both alike and cancels.

    Parameters
    ----------
    fleet_or_site : Site, FleetSpec or dict
        The ``fleet:`` section.

    Returns
    -------
    float
        In [0, 1]. For ``hgx-h200`` servers (data/hardware.csv: 2.6 kW idle, 10.2 kW full load, 4 a rack,
        each rack 1.5 InfiniBand switches of 1.1/1.7 kW, 1 management switch of 0.10/0.15 kW and a quarter
        storage node of 0.8/1.5 kW): a rack idles at 4 x 2.6 + 1.65 + 0.10 + 0.20 = 12.35 kW of
        4 x 10.2 + 2.55 + 0.15 + 0.375 = 43.875 kW, 0.2815 (the servers alone 2.6 / 10.2 = 0.255).

    Examples
    --------
    >>> round(fleet_idle_frac({"phases": [{"hardware": "hgx-h200", "count": 512, "start": "2026-04-01"}]}), 4)
    0.2815
    """
    from .power import _addons_kw_array, _unit_kw_array
    from .power_fleet import _as_fleet, _phase_hw, phase_layout
    fleet, _ = _as_fleet(fleet_or_site)
    idle = full = 0.0
    for ph, hw in zip(fleet.phases, _phase_hw(fleet)):
        racks = phase_layout(ph, hw)[2] if ph.count else 0   # catalog racks' worth of gear
        for u in (0.0, 1.0):
            lv = np.array([u])
            unit = float(_unit_kw_array(lv, hw, fleet.curve, cap_w_per_accelerator=fleet.cap_w_per_accelerator,
                                        cap_kw_per_unit=fleet.cap_kw_per_unit)[0])
            kw = ph.count * unit + racks * float(_addons_kw_array(lv, hw)[0])
            if u == 0.0:
                idle += kw
            else:
                full += kw
    if not full > 0.0:
        raise InputError(f"the fleet draws {full:g} kW at full load: no idle share", field="fleet.phases")
    return min(1.0, max(0.0, idle / full))


def idle_it_kw(flex_kw: float, idle_frac: float) -> float:
    """IT power the flexible capacity ``flex_kw`` [kW] draws with no job running: ``idle_frac x flex_kw``. [kW]

    >>> idle_it_kw(2808.0, 0.25)
    702.0
    """
    return float(flex_kw) * _check_frac(idle_frac)


def _check_frac(idle_frac) -> float:
    try:
        i = float(idle_frac)
    except (TypeError, ValueError):
        i = float("nan")
    if not 0.0 <= i < 1.0:
        raise InputError(f"must be a share in [0, 1), got {idle_frac!r}: at 1 a job adds nothing above idle, so "
                         "no schedule moves any power", field="idle_frac")
    return i


def above_idle(jobs, idle_frac: float) -> pd.DataFrame:
    """The job table with each job's power and energy the part above idle: ``(1 - idle_frac) x`` both.

    What a job adds to the IT load of accelerators that draw ``idle_frac`` of their full-load power
    anyway (:func:`idle_it_kw`): its run time (energy / power), window, ``min_run_h``, priority and
    whether it can be paused are unchanged. Only the columns of :data:`dcplan.schedule_jobs.JOB_COLUMNS`
    are kept: an ``accelerators`` column would no longer be ``power_kw / kw_per_accelerator``.

    Parameters
    ----------
    jobs : list of Job/dict or pandas.DataFrame
        Jobs (:func:`dcplan.schedule_jobs.jobs_frame`), ``power_kw`` at full load. [kW, kWh]
    idle_frac : float
        The fleet's idle share, in [0, 1) (:func:`fleet_idle_frac`). [-]

    Returns
    -------
    pandas.DataFrame
        The job table, ``power_kw`` and ``energy_kwh`` above idle, ``attrs["idle_frac"]`` the share taken
        off (compounded if the table was above idle already). [kW, kWh]

    Examples
    --------
    >>> import pandas as pd
    >>> t0 = pd.Timestamp("2025-07-14 00:00", tz="UTC")
    >>> j = above_idle([{"name": "a", "energy_kwh": 400.0, "power_kw": 100.0, "earliest_start": t0,
    ...                  "deadline": t0 + pd.Timedelta("8h")}], 0.25)
    >>> j[["power_kw", "energy_kwh"]].to_dict("records")
    [{'power_kw': 75.0, 'energy_kwh': 300.0}]
    """
    i = _check_frac(idle_frac)
    out = jobs_frame(jobs)
    out["power_kw"] = out["power_kw"] * (1.0 - i)
    out["energy_kwh"] = out["energy_kwh"] * (1.0 - i)
    # on record, so an infeasibility report can give each job's figures as given beside these
    out.attrs["idle_frac"] = (1.0 - (1.0 - out.attrs.get("idle_frac", 0.0)) * (1.0 - i)) if i else \
        out.attrs.get("idle_frac", 0.0)
    return out


def it_gap_mwh(scheduled_mwh: float, site_mwh: float, *, hours: float, base_it_kw: float, flex_kw: float,
               fill_frac: float, idle_frac: float, design_it_kw: float, site_utilisation_frac: float,
               diversity_frac: float = 1.0) -> dict:
    """The scheduled IT energy against the fleet model's, step by step. [MWh]

    The steps, each the difference of two estimates of the same weeks' IT energy:

    * ``the job mixes' fill``: the schedule against itself at the fill asked, ``hours x (base_it_kw +
      (1 - idle_frac) x flex_kw x fill_frac)`` (the mixes are whole accelerators, and jobs due after the
      last week are left out);
    * ``a fleet other than the site's (utilisation_frac)``: that against the design IT on a linear power
      curve at the site's utilisation, ``hours x design_it_kw x (idle_frac + (1 - idle_frac) x u)``; zero
      where the must-run share and the fill give the site's ``u`` and ``base_it_kw`` holds the flexible
      capacity's idle power (:func:`idle_it_kw`);
    * ``diversity_frac``: the design IT (``diversity_frac`` x the fleet at full load) against the fleet at
      full load, which the fleet model's units may all draw;
    * ``the fleet model's own utilisation and curve``: the rest, to the fleet model's energy (its hour-to-
      hour utilisation, whose mean over the weeks need not be ``u``, and a power curve other than linear).

    The steps sum to ``scheduled_mwh - site_mwh``.

    Examples
    --------
    A fleet of 10,000 kW design IT, half must-run, idle at 0.2 of full load, at 0.7 (must-run 0.5 + 0.5 x
    fill 0.4), over 1,000 h: the schedule at its fill draws 1,000 x (5,000 + 0.2 x 5,000 + 0.8 x 5,000 x 0.4)
    = 7,600 MWh, as the fleet on a linear curve does, 1,000 x 10,000 x (0.2 + 0.8 x 0.7):

    >>> g = it_gap_mwh(7650.0, 7500.0, hours=1000.0, base_it_kw=6000.0, flex_kw=5000.0, fill_frac=0.4,
    ...                idle_frac=0.2, design_it_kw=10000.0, site_utilisation_frac=0.7)
    >>> [round(v, 6) for v in g.values()]
    [50.0, 0.0, 0.0, 100.0]
    """
    i, u = float(idle_frac), float(site_utilisation_frac)
    at_fill = hours * (base_it_kw + (1.0 - i) * flex_kw * fill_frac) / 1000.0
    linear_design = hours * design_it_kw * (i + (1.0 - i) * u) / 1000.0
    linear_fleet = linear_design / float(diversity_frac)
    return {"the job mixes' fill": scheduled_mwh - at_fill,
            "a fleet other than the site's (utilisation_frac)": at_fill - linear_design,
            "diversity_frac": linear_design - linear_fleet,
            "the fleet model's own utilisation and curve": linear_fleet - site_mwh}
