"""Synthetic job mixes and the slack sensitivity for :mod:`dcplan.schedule` (from :mod:`dcplan.schedule_jobs`).

* :func:`generate_jobs`: a SYNTHETIC week of training, fine-tuning, batch-inference and evaluation
  jobs filling a share of the flexible capacity (labelled as synthetic wherever it is shown);
* :func:`with_slack`: the job table with each job's slack cut to a share of it.

Both return the job table of :func:`dcplan.schedule_jobs.jobs_frame`.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import DcplanWarning, InputError
from .schedule_jobs import JOB_COLUMNS, _kpa_default, jobs_frame

__all__ = ["generate_jobs", "with_slack", "GENERATOR_DEFAULTS", "FILL_WARN_REL"]

#: Relative difference between the fill a generated mix achieves and ``utilisation_frac`` above
#: which :func:`generate_jobs` warns (5 %: whole-accelerator rounding of a mix of 200 jobs at the
#: bundled sites' default fills stays within about 0.3 %, a fill of 0.05 within about 3 %;
#: ``tests/test_schedule_generate.py``).
FILL_WARN_REL = 0.05
#: Training runs in a mix of :func:`generate_jobs` by default (``n_training``; an estimate: a few large runs a week).
N_TRAINING_DEFAULT = 4


def with_slack(jobs, keep_frac: float, *, step: str = "15min", tz=None) -> pd.DataFrame:
    """The job table with each job's slack cut to ``keep_frac`` of it (a flexibility sensitivity).

    A job's run time is ``energy_kwh / power_kw`` rounded up to whole ``step``; its new deadline is
    ``earliest_start + ceil((run + keep_frac x (deadline - earliest_start - run)) / step) x step``,
    never later than its deadline (0: it must run as soon as it is released; 1: unchanged on a
    grid of ``step``). Lengths are added to the earliest start as elapsed time, so a window over
    a DST change keeps its length and the deadline stays on the grid of the earliest start (on
    the clock: a wall-clock rounding cannot tell the repeated fall-back hour's two passes apart).

    Parameters
    ----------
    jobs : list of Job/dict or pandas.DataFrame
        Jobs (:func:`jobs_frame`).
    keep_frac : float
        Share of each job's slack kept, 0-1. [-]
    step : str, default "15min"
        Time grid of the schedule. [pandas offset]
    tz : str, optional
        Time zone of naive ``earliest_start``/``deadline`` values (:func:`jobs_frame`).

    Returns
    -------
    pandas.DataFrame
        The job table (:func:`jobs_frame`) with the new ``deadline``.
    """
    try:
        k = float(keep_frac)
    except (TypeError, ValueError):
        k = None
    if k is None or isinstance(keep_frac, bool) or not 0.0 <= k <= 1.0:
        raise InputError(f"must be a fraction in [0, 1], got {keep_frac!r}", field="keep_frac")
    try:
        stp = pd.Timedelta(step)
    except (TypeError, ValueError):
        stp = None
    if stp is None or stp <= pd.Timedelta(0):
        raise InputError(f"must be a positive duration such as 15min, got {step!r}", field="step")
    j = jobs_frame(jobs, tz=tz)
    run = pd.to_timedelta(j["energy_kwh"] / j["power_kw"], unit="h").dt.ceil(stp)
    window = j["deadline"] - j["earliest_start"]
    keep = (run + (window - run) * k).dt.ceil(stp)  # a length: no clock, no DST
    j["deadline"] = (j["earliest_start"] + keep).where(j["earliest_start"] + keep < j["deadline"], j["deadline"])
    return j


#: Defaults of :func:`generate_jobs` (a SYNTHETIC mix; design assumptions, not measurements):
#:
#: ======================  =========  ===========================================================
#: key                     value      basis
#: ======================  =========  ===========================================================
#: training_gpus           1024-4096  large pre-training runs on one site (estimate)
#: training_days           2-5        run length within a week horizon (estimate)
#: batch_gpus              8-256      batch inference / fine-tuning / eval jobs (estimate)
#: batch_hours             1-12       (estimate)
#: slack_frac              0.5-4      deadline slack as a multiple of run time (estimate)
#: training_min_run_h      2          checkpoint interval of large runs (estimate)
#: ======================  =========  ===========================================================
GENERATOR_DEFAULTS = {"training_gpus": (1024, 4096), "training_days": (2.0, 5.0),
                      "batch_gpus": (8, 256), "batch_hours": (1.0, 12.0),
                      "slack_frac": (0.5, 4.0), "training_min_run_h": 2.0}


def _hours(hours: np.ndarray) -> pd.TimedeltaIndex:
    """``pd.Timedelta(hours=h)`` for each ``h``, converting each distinct value once.

    ``pd.Timedelta(hours=h)`` rounds through ``datetime.timedelta`` (to the microsecond), so
    the distinct values go that way and are spread back: the same durations as one by one.
    """
    uniq, inv = np.unique(hours, return_inverse=True)
    return pd.TimedeltaIndex([pd.Timedelta(hours=float(h)) for h in uniq])[inv]


def generate_jobs(start, days: float = 7.0, *, n_jobs: int = 200, n_training: int = N_TRAINING_DEFAULT,
                  n_nonpreemptible: int = 20, flex_kw: float | None = None,
                  utilisation_frac: float = 0.5, kw_per_accelerator: float | None = None,
                  step: str = "15min", seed: int = 0, prefix: str = "") -> pd.DataFrame:
    """A SYNTHETIC job mix: a few large training runs and many batch jobs.

    Training runs are preemptible (checkpointed, ``min_run_h`` from
    :data:`GENERATOR_DEFAULTS`), released at ``start``; batch jobs are released uniformly
    over the horizon, ``n_nonpreemptible`` of them cannot be paused. Deadlines are
    ``release + run time x (1 + slack)``, slack uniform in ``slack_frac``, clipped to the
    horizon end. Times are rounded to ``step``.

    When ``flex_kw`` is given, job sizes are scaled towards a total energy of
    ``utilisation_frac x flex_kw x horizon`` (the mix then fits a site whose flexible
    capacity is ``flex_kw``), in whole accelerators: each job's drawn accelerator count
    is multiplied by ``utilisation_frac x flex_kw x horizon / (drawn energy)``, rounded to
    the nearest whole number, raised to at least 1 and cut to at most
    ``floor(flex_kw / kw_per_accelerator)``; its power is then ``accelerators x
    kw_per_accelerator`` and its energy that power x its run time. The fill the mix
    achieves, ``sum(energy_kwh) / (flex_kw x horizon)``, so differs from the one asked:
    by a fraction of a per cent for a mix of many small jobs, by far more for a small
    ``utilisation_frac``, since no job is smaller than one accelerator for its run time (200
    jobs of 1-12 h on 2,893 kW flexible over a week fill at least about 0.004 of it), and
    downwards when few jobs share a large fill and the cap cuts them.
    A :class:`~dcplan.errors.DcplanWarning` says so when the achieved fill differs from
    ``utilisation_frac`` by more than :data:`FILL_WARN_REL` of it.

    Parameters
    ----------
    start : timestamp
        Horizon start (tz-aware).
    days : float, default 7
        Horizon length, > 0 and at least one ``step``. [d]
    n_jobs, n_training, n_nonpreemptible : int
        Job counts (training runs are part of ``n_jobs``): ``n_jobs`` >= 1, the others >= 0,
        ``n_training + n_nonpreemptible <= n_jobs``.
    flex_kw : float, optional
        Flexible IT capacity the mix should fill to ``utilisation_frac``; at least one
        accelerator (``kw_per_accelerator``). [kW]
    utilisation_frac : float, default 0.5
        Share of ``flex_kw`` the mix fills, in (0, 1] (0.5: an ESTIMATE for a SYNTHETIC
        example mix, not a measurement). [-]
    kw_per_accelerator : float or None
        > 0; None (default): :data:`dcplan.schedule_jobs.KW_PER_ACCELERATOR_DEFAULT`. [kW]
    step : str, default "15min"
        Time grid the job times are rounded to: a positive duration. [pandas offset]
    seed : int
        Random seed (numpy ``default_rng``), >= 0.

    Returns
    -------
    pandas.DataFrame
        Job table as :func:`jobs_frame`, plus ``accelerators`` (and ``kw_per_accelerator`` where it is not the default).

    Raises
    ------
    InputError
        For an argument outside what is allowed above, named with its value
        (:func:`dcplan.schedule_inputs.check_generator_args`), before any draw.
    """
    from .schedule_inputs import check_generator_args
    default_kpa = _kpa_default()
    kw_per_accelerator = default_kpa if kw_per_accelerator is None else kw_per_accelerator
    start, stp = check_generator_args(start, days, n_jobs, n_training, n_nonpreemptible, flex_kw,
                                      utilisation_frac, kw_per_accelerator, step, seed)
    m = _draw_mix(days, n_jobs, n_training, n_nonpreemptible, flex_kw, utilisation_frac, kw_per_accelerator, stp,
                  seed, step)
    if m["got"] is not None and abs(m["got"] - utilisation_frac) > FILL_WARN_REL * utilisation_frac:
        warnings.warn(fill_warning_text(n_jobs, m["got"], flex_kw, days, utilisation_frac, kw_per_accelerator),
                      DcplanWarning, stacklevel=2)
    return _mix_table(m, _names(prefix, n_jobs, m["n_train"]), start + _hours(m["release_h"]),
                      start + _hours(m["dl_h"]), kw_per_accelerator, default_kpa)


def fill_warning_text(n_jobs: int, got: float, flex_kw: float, days: float, utilisation_frac: float,
                      kw_per_accelerator: float) -> str:
    """:func:`generate_jobs`' warning of a mix that fills ``got`` of ``flex_kw``, not the ``utilisation_frac`` asked."""
    cap = np.floor(flex_kw / kw_per_accelerator)
    return (f"generate_jobs: the mix of {n_jobs} jobs fills {got:.3g} of flex_kw {flex_kw:,.0f} kW over "
            f"{days:g} days, not the utilisation_frac {utilisation_frac:.3g} asked "
            f"({got / utilisation_frac:.3g} x): each job is a whole number of accelerators of "
            f"{kw_per_accelerator:g} kW, at least 1 and at most floor(flex_kw / kw_per_accelerator) = "
            f"{cap:.0f}; give a utilisation_frac and n_jobs that whole accelerators can meet, or use the "
            "fill achieved (sum of energy_kwh / (flex_kw x horizon))")


def _draw_mix(days, n_jobs, n_training, n_nonpreemptible, flex_kw, utilisation_frac, kw_per_accelerator,
              stp: pd.Timedelta, seed, step) -> dict:
    """:func:`generate_jobs`' draws and sizes, checked arguments in (``stp``: ``step`` as a Timedelta), as numpy
    columns: ``accelerators``, ``run_h``, ``release_h``, ``deadline_h`` (``dl_h``), ``preemptible``, ``min_run_h``,
    ``priority``, ``power_kw``, ``energy_kwh`` (hours from the horizon start), and ``got``: the fill achieved
    (None without ``flex_kw``). No table and no clock: :func:`dcplan.schedule_draws.year_jobs` makes one table of
    a year's weeks (the same values as a table per week concatenated)."""
    g = GENERATOR_DEFAULTS
    rng = np.random.default_rng(seed)
    horizon_h = days * 24.0
    step_h = stp.total_seconds() / 3600
    # the draws, in the generator's fixed order per job (gpus, run, release, slack, priority);
    # everything that does not feed a draw is computed on whole columns below (same IEEE
    # operations, so the same values as job-by-job)
    n_train = min(n_training, n_jobs)
    gpus, run_h, release_h = np.empty(n_jobs), np.empty(n_jobs), np.zeros(n_jobs)
    slack, priority = np.empty(n_jobs), np.full(n_jobs, 3, np.int64)
    t_lo, t_hi = g["training_gpus"][0] // 64, g["training_gpus"][1] // 64 + 1
    log_lo, log_hi = np.log(g["batch_gpus"][0]), np.log(g["batch_gpus"][1])
    uniform, integers = rng.uniform, rng.integers
    for i in range(n_jobs):
        if i < n_train:
            gpus[i] = float(integers(t_lo, t_hi) * 64)
            run_h[i] = min(uniform(*g["training_days"]) * 24.0, 0.7 * horizon_h)
        else:
            gpus[i] = float(np.exp(uniform(log_lo, log_hi)).round())
            r = min(uniform(*g["batch_hours"]), 0.3 * horizon_h)
            run_h[i] = r
            release_h[i] = uniform(0.0, horizon_h - r * 1.2)
        slack[i] = uniform(*g["slack_frac"])
        if i >= n_train:
            priority[i] = int(integers(1, 3))
    run_h = np.maximum(step_h, np.round(run_h / step_h) * step_h)
    release_h = np.floor(release_h / step_h) * step_h
    dl_h = np.floor(np.minimum(horizon_h, release_h + run_h * (1.0 + slack)) / step_h) * step_h
    run_h = np.where(dl_h - release_h < run_h, dl_h - release_h, run_h)
    if (run_h <= 0).any():  # a horizon of a few steps, not a whole number of them: a window rounds to nothing
        raise InputError(f"{days!r} days on a grid of {step!r}: a job's window rounds to no whole step; give days "
                         "as a whole number of steps, or a finer step", field="days")
    preemptible = np.ones(n_jobs, bool)
    preemptible[rng.choice(np.arange(n_training, n_jobs), size=n_nonpreemptible, replace=False)] = False
    acc = gpus
    if flex_kw is not None:
        total_kwh = float((acc * kw_per_accelerator * run_h).sum())
        scale = utilisation_frac * flex_kw * horizon_h / total_kwh
        acc = np.maximum(1.0, (acc * scale).round())
        acc[acc * kw_per_accelerator > flex_kw] = np.floor(flex_kw / kw_per_accelerator)
    power_kw = acc * kw_per_accelerator
    energy_kwh = power_kw * run_h
    got = None if flex_kw is None else float(energy_kwh.sum()) / (flex_kw * horizon_h)
    return {"accelerators": acc, "run_h": run_h, "release_h": release_h, "dl_h": dl_h, "preemptible": preemptible,
            "min_run_h": np.where(np.arange(n_jobs) < n_train, g["training_min_run_h"], 0.0), "priority": priority,
            "power_kw": power_kw, "energy_kwh": energy_kwh, "got": got, "n_train": n_train}


def _names(prefix: str, n_jobs: int, n_train: int) -> list[str]:
    """The generated jobs' names: ``<prefix>train000`` .. then ``<prefix>batch004`` ..."""
    return [f"{prefix}{'train' if i < n_train else 'batch'}{i:03d}" for i in range(n_jobs)]


def _mix_table(m: dict, names, earliest_start, deadline, kw_per_accelerator: float,
               default_kpa: float) -> pd.DataFrame:
    """The job table (:func:`jobs_frame`, checked) of :func:`_draw_mix`'s columns ``m`` (one mix, or several
    concatenated), plus ``accelerators`` (and ``kw_per_accelerator`` where it is not the default)."""
    df = pd.DataFrame({"name": names, "energy_kwh": m["energy_kwh"], "power_kw": m["power_kw"],
                       "earliest_start": earliest_start, "deadline": deadline, "preemptible": m["preemptible"],
                       "min_run_h": m["min_run_h"], "priority": m["priority"]}, columns=list(JOB_COLUMNS))
    out = jobs_frame(df)
    out["accelerators"] = m["accelerators"]
    if kw_per_accelerator != default_kpa:  # so the table reads back as it was made (jobs_frame)
        out["kw_per_accelerator"] = float(kw_per_accelerator)
    return out
