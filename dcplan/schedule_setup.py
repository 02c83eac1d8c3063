"""A site's scheduling inputs for :func:`dcplan.schedule.optimize`, and a job file read in the site's units.

The off-peak notebook's set-up, as one call an API user makes too (:func:`site_schedule_inputs`): the site's
tariff, its design IT power split into must-run and flexible shares, the flexible capacity's idle power
(:mod:`dcplan.schedule_idle`), the grid cap and the installed IT power (two limits, each named when it binds),
the cooling plant's hourly IT headroom and PUE, and the site's on-site PV, all from the site chain
(:func:`dcplan.pipeline.run_site_year`), and the fleet's own throttling penalty
(:func:`dcplan.schedule_throttle.site_throttle_usd_per_kwh`).

Jobs given in accelerators (``gpu_hours``, ``accelerators``) are converted to kW at the site fleet's own kW per
accelerator (:func:`site_kw_per_accelerator`: its design IT over its accelerators), the figure the site's
flexible capacity is counted in, so a job of the whole flexible pool's accelerators draws the whole flexible
power, never more (:func:`load_site_jobs`; a job's own ``kw_per_accelerator`` column still wins).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import InputError
from .schedule_idle import above_idle, fleet_idle_frac, idle_it_kw
from .schedule_jobs import load_jobs
from .schedule_throttle import site_throttle_usd_per_kwh

__all__ = ["site_kw_per_accelerator", "SiteScheduleInputs", "site_schedule_inputs", "load_site_jobs", "own_kpa_warning",
           "jobs_within", "file_week_jobs", "week_jobs"]


def site_kw_per_accelerator(spec) -> float:
    """The site fleet's IT kW per accelerator: its design IT power over its accelerators, every phase. [kW]

    The figure the site's capacity is counted in (:func:`dcplan.power.fleet_design_it_kw`: the units at full
    load with their racks' add-on gear, times ``diversity_frac``), so ``n`` accelerators of the fleet are
    ``n`` x this many kW of its design IT. For ``hgx-h100`` servers (data/hardware.csv: a rack of 4 servers of
    8 GPUs draws 43.875 kW with its switches and storage) it is 43.875 / 32 = 1.371 kW, not the 1.275 kW of a
    DGX H100 alone (:data:`dcplan.schedule_jobs.KW_PER_ACCELERATOR_DEFAULT`). Units without accelerators
    count in the power, not in the accelerators.
    """
    from .power import fleet_design_it_kw
    from .power_fleet import _as_fleet, _phase_hw
    fleet, _ = _as_fleet(spec)
    n = sum(ph.count * hw.accelerators_per_unit for ph, hw in zip(fleet.phases, _phase_hw(fleet)))
    if not n > 0:
        raise InputError("the fleet has no accelerators: jobs given in accelerators cannot be converted to kW; "
                         "give their energy_kwh and power_kw", field="fleet.phases")
    return float(fleet_design_it_kw(spec)) / float(n)


@dataclass
class SiteScheduleInputs:
    """A site's scheduling inputs (:func:`site_schedule_inputs`); ``kw`` holds the keyword arguments of
    :func:`dcplan.schedule.optimize` and :func:`dcplan.schedule_rolling.rolling_horizon`."""

    spec: object
    tariff: object
    coincident_peaks: object
    site_year: object
    design_it_kw: float          # the fleet's design IT power [kW]
    flex_share_frac: float
    must_run_it_kw: float        # (1 - flex_share_frac) x design IT, at full power all the time [kW]
    flex_kw: float               # flex_share_frac x design IT: the flexible capacity [kW]
    idle_frac: float             # the fleet's idle share (dcplan.schedule_idle.fleet_idle_frac) [-]
    idle_kw: float               # what the flexible capacity draws with no job [kW]
    base_it_kw: float            # must-run + the flexible capacity's idle power [kW]
    grid_cap_kw: float | None    # the interconnection at full build-out [kW]; None: no interconnection section
    headroom_it_kw: pd.Series    # IT power the cooling plant can remove, hourly [kW]
    pue: pd.Series               # the plant's PUE at full design IT, hourly [-]
    pv_kw: pd.Series             # on-site PV, AC at the meter [kW]
    kw_per_accelerator: float    # :func:`site_kw_per_accelerator` [kW]
    throttle_usd_per_kwh: float  # the fleet's throttling penalty (dcplan.schedule_throttle) [USD/kWh]
    throttle_source: str         # where it is from
    kw: dict = field(default_factory=dict)
    plant: pd.DataFrame | None = None  # the hourly plant at full design IT on the site's electrical chain

    @property
    def site_cap_kw(self) -> pd.Series:
        """The site load the two limits allow: the grid cap and the installed IT power x PUE. [kW]"""
        it = self.design_it_kw * self.pue
        return it if self.grid_cap_kw is None else np.minimum(self.grid_cap_kw, it)

    @property
    def flex_accelerators(self) -> float:
        """Accelerators in the flexible share: ``flex_kw / kw_per_accelerator``. [-]"""
        return self.flex_kw / self.kw_per_accelerator

    def load_jobs(self, path) -> pd.DataFrame:
        """:func:`load_site_jobs` at this site."""
        return load_site_jobs(path, self)

    def scheduled(self, jobs) -> pd.DataFrame:
        """The jobs as scheduled: each job's power and energy above the idle draw
        (:func:`dcplan.schedule_idle.above_idle` at :attr:`idle_frac`)."""
        return above_idle(jobs, self.idle_frac)


def site_schedule_inputs(spec, *, flex_share_frac: float = 0.5, site_year=None) -> SiteScheduleInputs:
    """The scheduling inputs of ``spec`` (a :class:`dcplan.site.Site`), as the off-peak notebook builds them.

    ``flex_share_frac`` of the fleet's design IT runs flexible jobs, the rest is must-run inference at full
    power; the flexible capacity idles at ``idle_frac`` of its power with no job (a job adds the rest,
    :meth:`SiteScheduleInputs.scheduled`). Limits: the grid cap (the interconnection at full build-out,
    ``cap_kw``) and the installed IT power (the design IT, ``it_cap_kw``), each named by the infeasibility
    report where it binds, and the plant's hourly IT headroom (hard: only a must-run excess above it is throttled,
    priced at the fleet's own penalty, :func:`dcplan.schedule_throttle.site_throttle_usd_per_kwh`: its price per
    GPU-hour sold as the TCO reads it over its servers' kW per accelerator). ``site_year``: the site chain's year
    (:func:`dcplan.pipeline.run_site_year`; computed when not given). Raises :class:`InputError` for a site
    without a ``tariff:`` section.

    Example (the jobs of a file, one week)::

        si = site_schedule_inputs(spec)
        jobs = si.load_jobs("my_jobs.csv")            # accelerators at the site's kW per accelerator
        res = schedule.optimize(si.scheduled(jobs), week_index, **si.kw)
    """
    from . import grid, pipeline, power, tariff_site, thermal_plant
    flex = float(flex_share_frac)
    if not 0.0 < flex <= 1.0:
        raise InputError(f"must be a fraction in (0, 1], got {flex_share_frac!r}", field="flex_share_frac")
    tariff = pipeline.site_tariff(spec)
    if tariff is None:
        raise InputError(f"site {spec.id!r} has no tariff: section; off-peak scheduling needs its prices",
                         file=spec.source_file or None, field="tariff")
    peaks = tariff_site.site_coincident_peaks(spec, tariff)
    site_year = pipeline.run_site_year(spec) if site_year is None else site_year
    w = site_year.weather
    design_it_kw = float(power.fleet_design_it_kw(spec))
    plant = thermal_plant.plant_hourly(design_it_kw, w, spec.cooling, design_it_kw=design_it_kw,
                                       electrical_chain=spec.electrical.stages())
    grid_cap_kw = None if spec.interconnection is None else 1000.0 * grid.contracted_mw(spec.interconnection)
    idle_frac = fleet_idle_frac(spec)
    flex_kw = flex * design_it_kw
    idle_kw = idle_it_kw(flex_kw, idle_frac)
    must_run = (1.0 - flex) * design_it_kw
    throttle, throttle_source = site_throttle_usd_per_kwh(spec)
    out = SiteScheduleInputs(spec=spec, tariff=tariff, coincident_peaks=peaks, site_year=site_year,
                             design_it_kw=design_it_kw, flex_share_frac=flex, must_run_it_kw=must_run, flex_kw=flex_kw,
                             idle_frac=idle_frac, idle_kw=idle_kw, base_it_kw=must_run + idle_kw,
                             grid_cap_kw=grid_cap_kw, headroom_it_kw=plant["capacity_it_kw"], pue=plant["pue"],
                             pv_kw=site_year.pv_kw, kw_per_accelerator=site_kw_per_accelerator(spec),
                             throttle_usd_per_kwh=throttle, throttle_source=throttle_source, plant=plant)
    out.kw = dict(tariff=tariff, cap_kw=grid_cap_kw, it_cap_kw=design_it_kw, headroom_it_kw=out.headroom_it_kw,
                  base_it_kw=out.base_it_kw, pue=out.pue, pv_kw=out.pv_kw, coincident_peaks=peaks,
                  throttle_usd_per_kwh=throttle)
    return out


def load_site_jobs(path, site) -> pd.DataFrame:
    """A job file (:func:`dcplan.schedule_jobs.load_jobs`, its errors) read in ``site``'s units: naive times in
    the site's time zone, and jobs given in accelerators converted at the site fleet's kW per accelerator
    (:func:`site_kw_per_accelerator`; a job's own ``kw_per_accelerator`` still wins). ``site``: a
    :class:`SiteScheduleInputs` or a :class:`dcplan.site.Site`. The frame's ``attrs["kw_per_accelerator"]``
    names the figure each converted job got. Power and energy at full load (schedule
    :meth:`SiteScheduleInputs.scheduled` of them: the part above idle)."""
    spec = site.spec if isinstance(site, SiteScheduleInputs) else site
    kpa = site.kw_per_accelerator if isinstance(site, SiteScheduleInputs) else site_kw_per_accelerator(spec)
    jobs = load_jobs(path, tz=str(spec.timezone), kw_per_accelerator=kpa)
    warning = own_kpa_warning(jobs, kpa, path)
    if warning:
        import warnings

        from .errors import DcplanWarning
        warnings.warn(warning, DcplanWarning, stacklevel=2)
    return jobs


#: A job's own ``kw_per_accelerator`` further than this from the site fleet's (relative) is said. [-]
OWN_KPA_REL_TOL = 0.01


def own_kpa_warning(jobs: pd.DataFrame, site_kpa: float, path) -> str:
    """The warning for jobs whose own ``kw_per_accelerator`` (a column of the file) differs from the site
    fleet's ``site_kpa`` by more than :data:`OWN_KPA_REL_TOL`: a job's own figure wins, so its GPUs are not
    the site's (a copy of data/jobs_example.csv given 1.275 in that column would run its 1,024-GPU job at
    1,306 kW where the Northern Virginia fleet's GPUs draw 1.759 kW each: 1,802 kW); ``""`` when none does."""
    got = jobs.attrs.get("kw_per_accelerator", {})
    off = {j: float(k) for j, k in got.items() if abs(float(k) - site_kpa) > OWN_KPA_REL_TOL * site_kpa}
    if not off:
        return ""
    figs = sorted(set(off.values()))
    names = ", ".join(repr(j) for j in list(off)[:5]) + (f" and {len(off) - 5:,} more" if len(off) > 5 else "")
    return (f"{path}: kw_per_accelerator: {len(off):,} job(s) ({names}) give their own "
            f"{', '.join(f'{k:g}' for k in figs)} kW per accelerator, while the site fleet's is {site_kpa:.4g} kW "
            "(dcplan.schedule_setup.site_kw_per_accelerator): a job's own figure wins, so their GPU counts are "
            "not the site's GPUs. Leave the column empty to convert them at the site's figure")


def jobs_within(jobs: pd.DataFrame, start, end) -> tuple[pd.DataFrame, list]:
    """The jobs whose window lies within ``[start, end]`` (``earliest_start >= start`` and ``deadline <= end``),
    and the names of the others (a window that starts before or ends after: not schedulable there whole)."""
    inside = (jobs["earliest_start"] >= pd.Timestamp(start)) & (jobs["deadline"] <= pd.Timestamp(end))
    return jobs[inside], list(jobs.index[~inside])


def file_week_jobs(path, site, start, end) -> tuple[pd.DataFrame, str]:
    """The jobs of job file ``path`` to schedule from ``start`` to ``end`` (the off-peak notebook's week with
    ``jobs_file``): :func:`load_site_jobs` (its errors name the file), then :func:`jobs_within` the week. Returns
    the jobs (at full load) and whose jobs they are in words, for the labels: ``"the jobs of my.csv"``, with how
    many of the file's were left out (a window not within the week) where any was. A file with no job within the
    week is an :class:`InputError` naming the span its jobs cover."""
    from pathlib import Path
    jobs = load_site_jobs(path, site)
    inside, out = jobs_within(jobs, start, end)
    if inside.empty:
        raise InputError(f"none of its {len(jobs):,} job(s) lies within the week {start} to {end} (earliest_start "
                         f"at or after its start, deadline by its end); its jobs run from "
                         f"{jobs['earliest_start'].min()} to {jobs['deadline'].max()}: give a week_start in that span",
                         file=str(path), field="jobs_file")
    note = f"the jobs of {Path(path).name}"
    if out:
        listed = ", ".join(repr(n) for n in out[:5]) + (f" and {len(out) - 5:,} more" if len(out) > 5 else "")
        note += (f" ({len(inside):,} of its {len(jobs):,}: those within the week; left out, their window not within "
                 f"it: {listed})")
    return inside, note


def week_jobs(site: SiteScheduleInputs, jobs_file: str, week, *, n_jobs: int, n_nonpreemptible: int,
              utilisation_frac: float, seed: int) -> tuple[pd.DataFrame, str]:
    """The off-peak notebook's week of jobs, at full load, and whose they are in words: those of ``jobs_file``
    within ``week`` (a :class:`dcplan.schedule_window.LocalWeek`; :func:`file_week_jobs`), or, with ``jobs_file``
    empty, a synthetic mix (:func:`dcplan.schedule_generate.generate_jobs` on the 15-min grid, filling
    ``utilisation_frac`` of the flexible capacity; each job whole accelerators of the site fleet's kW,
    ``site.kw_per_accelerator``, as the rolling year's mixes)."""
    if jobs_file:
        return file_week_jobs(jobs_file, site, week.start, week.index[-1])
    from .schedule_generate import generate_jobs
    jobs = generate_jobs(week.start, week.hours / 24, n_jobs=n_jobs, n_nonpreemptible=n_nonpreemptible,
                         flex_kw=site.flex_kw, utilisation_frac=utilisation_frac,
                         kw_per_accelerator=site.kw_per_accelerator, seed=seed)
    return jobs, "the synthetic job mix"
