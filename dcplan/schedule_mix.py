"""How many jobs the off-peak notebook's SYNTHETIC weekly mix holds (``n_jobs`` -1: sized to the site).

:func:`dcplan.schedule_generate.generate_jobs` sizes each job in whole accelerators, at least one,
so a mix of many jobs cannot fill a small flexible capacity as lightly as asked: 200 jobs of 1-12 h
on the 16 accelerators of a four-server flexible share fill about 0.8 of it, not 0.4 (every job at
its one-accelerator floor already fills more than asked), and every saving then compares a busier
fleet than the site's. With ``n_jobs`` -1 (the notebook's default) :func:`mix_size` takes the most
jobs, from :data:`JOB_COUNTS` (:data:`MIX_JOBS_MAX` down), whose mixes fill the flexible capacity
within :data:`dcplan.schedule_generate.FILL_WARN_REL` of the share asked in each of
:data:`PROBE_SEEDS`' draws (a week on the rolling year's hourly grid); where no count does (a few
accelerators, or a fill so small that even one job each overfills it), the count whose worst draw
comes closest, and the generator's warning stays. On a flexible capacity of a few hundred
accelerators or more (the bundled sites: 2,048 and up) the count is :data:`MIX_JOBS_MAX`, the mix
the notebook always drew. ``n_nonpreemptible`` -1 takes :data:`NONPREEMPTIBLE_SHARE` of the count
(20 of 200).
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

from .errors import InputError
from .offpeak_params import N_TRAINING as _N_TRAINING  # the generator's training runs (a test holds it equal)

__all__ = ["MixSize", "mix_size", "nonpreemptible_default", "JOB_COUNTS", "MIX_JOBS_MAX", "NONPREEMPTIBLE_SHARE",
           "PROBE_SEEDS", "AUTO"]

#: The parameter value that asks :func:`mix_size` to choose.
AUTO = -1
#: Jobs a week in the mix on a large flexible capacity: the notebook's fixed count before -1 (a
#: SYNTHETIC example: 4 training runs and 196 batch, fine-tuning and evaluation jobs; an estimate).
MIX_JOBS_MAX = 200
#: Counts tried, largest first: steps of about a fifth, down to one batch job beside the four
#: training runs (:data:`dcplan.offpeak_params.N_TRAINING`).
JOB_COUNTS = (200, 160, 125, 100, 80, 64, 50, 40, 32, 25, 20, 16, 12, 10, 8, 6, 5)
#: Share of the jobs that cannot be paused when ``n_nonpreemptible`` is -1 (20 of 200, the
#: notebook's fixed count before -1; rounded down).
NONPREEMPTIBLE_SHARE = 0.1
#: Generator seeds of the draws each count is tried on (fixed: the count is the site's, whatever
#: the notebook's ``seed``).
PROBE_SEEDS = tuple(range(8))


@dataclass(frozen=True)
class MixSize:
    """The mix's job counts and, where :func:`mix_size` chose them, why."""

    n_jobs: int
    n_nonpreemptible: int
    #: True where ``n_jobs`` was -1
    auto: bool
    #: the largest relative difference of a probe draw's fill from the share asked (NaN: not chosen)
    worst_fill_rel: float
    #: one sentence for the notebook to print and a result label to carry
    text: str


def _pct(x: float) -> str:
    return f"{100.0 * x:.2g} %"


def _ladder(counts) -> str:
    return f"{counts[0]} down to {counts[-1]}" if len(counts) > 1 else str(counts[0])


def nonpreemptible_default(n_jobs: int) -> int:
    """``n_nonpreemptible`` -1 for ``n_jobs`` jobs: :data:`NONPREEMPTIBLE_SHARE` of them, rounded down."""
    return int(math.floor(NONPREEMPTIBLE_SHARE * n_jobs + 1e-9))


def mix_size(n_jobs: int, n_nonpreemptible: int, *, flex_kw: float, utilisation_frac: float,
             kw_per_accelerator: float | None = None) -> MixSize:
    """The job counts of the synthetic mix on a flexible capacity of ``flex_kw``.

    Parameters
    ----------
    n_jobs : int
        Jobs a week, >= 1, or -1: the most of :data:`JOB_COUNTS` whose mix fills ``flex_kw`` within
        ``FILL_WARN_REL`` of ``utilisation_frac`` in every probe draw (:data:`PROBE_SEEDS`), else the
        count whose worst probe comes closest (the larger on a tie).
    n_nonpreemptible : int
        Of which cannot be paused, >= 0, or -1: :data:`NONPREEMPTIBLE_SHARE` of the count.
    flex_kw : float
        Flexible IT capacity the mix fills, > 0. [kW]
    utilisation_frac : float
        Share of it the mix is asked to fill, in (0, 1]. [-]
    kw_per_accelerator : float, optional
        The generator's default (:data:`dcplan.schedule_jobs.KW_PER_ACCELERATOR_DEFAULT`) if None. [kW]

    Returns
    -------
    MixSize

    Raises
    ------
    InputError
        For a count that is neither -1 nor a whole number in range, or counts that do not add up
        (``n_nonpreemptible`` + the 4 training runs above ``n_jobs``).
    """
    import pandas as pd

    from .schedule_generate import FILL_WARN_REL, _draw_mix
    from .schedule_inputs import check_generator_args
    from .schedule_jobs import KW_PER_ACCELERATOR_DEFAULT
    kwa = KW_PER_ACCELERATOR_DEFAULT if kw_per_accelerator is None else float(kw_per_accelerator)
    for name, v, lo in (("n_jobs", n_jobs, 1), ("n_nonpreemptible", n_nonpreemptible, 0)):
        if isinstance(v, bool) or not isinstance(v, int) or not (v == AUTO or v >= lo):
            raise InputError(f"must be a whole number >= {lo} or -1 (sized to the site), got {v!r}", field=name)
    if n_jobs != AUTO:
        n_np = nonpreemptible_default(n_jobs) if n_nonpreemptible == AUTO else n_nonpreemptible
        if _N_TRAINING + n_np > n_jobs:
            raise InputError(f"{n_jobs}: each synthetic mix holds {_N_TRAINING} training runs and n_nonpreemptible = "
                             f"{n_np} jobs that cannot be paused, so n_jobs must be at least {_N_TRAINING + n_np}",
                             field="n_jobs")
        return MixSize(n_jobs, n_np, False, float("nan"), f"{n_jobs:,} jobs a week (n_jobs), {n_np:,} of them cannot "
                       "be paused" + (" (n_nonpreemptible -1: a tenth)" if n_nonpreemptible == AUTO else ""))
    start = pd.Timestamp("2025-01-06", tz="UTC")  # a Monday; a week's fill does not depend on the date
    counts = [n for n in JOB_COUNTS if n >= _N_TRAINING + (0 if n_nonpreemptible == AUTO else n_nonpreemptible)]
    if not counts:  # more jobs that cannot be paused than the largest count leaves room for
        counts = [_N_TRAINING + n_nonpreemptible]
    best = None
    for n in counts:
        n_np = nonpreemptible_default(n) if n_nonpreemptible == AUTO else n_nonpreemptible
        worst = 0.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the misses are measured here; the notebook's own draws warn
            for s in PROBE_SEEDS:  # generate_jobs' draws and sizes (its checks too), without its table
                args = (7, n, _N_TRAINING, n_np, float(flex_kw), float(utilisation_frac), kwa)
                _, stp = check_generator_args(start, *args, "1h", s)
                mix = _draw_mix(*args, stp, s, "1h")
                fill = float(mix["energy_kwh"].sum()) / (float(flex_kw) * 7 * 24.0)
                worst = max(worst, abs(fill / float(utilisation_frac) - 1.0))
        if best is None or worst < best[2] - 1e-12:
            best = (n, n_np, worst)
        if worst <= FILL_WARN_REL:
            break
    n, n_np, worst = best
    acc = float(flex_kw) / kwa
    where = (f"on a flexible capacity of {acc:,.1f} accelerators at a fill of {float(utilisation_frac):.3g}, "
             f"each job a whole number of accelerators (at least one)")
    first = counts[0]  # 200, or the fewest jobs that hold n_nonpreemptible beside the training runs
    not_first = f", not {first:,}" if n != first else ""
    probes = f"in each of {len(PROBE_SEEDS)} probe draws"
    if worst <= FILL_WARN_REL and n == first:
        why = ("the full mix" if n == MIX_JOBS_MAX else
               f"the fewest that hold {n_np:,} jobs that cannot be paused beside {_N_TRAINING} training runs")
        text = (f"{n:,} jobs a week, {n_np:,} of them cannot be paused (n_jobs -1: {why}; {where}, it fills "
                f"within {_pct(worst)} of the share asked {probes})")
    elif worst <= FILL_WARN_REL:
        text = (f"{n:,} jobs a week{not_first}, {n_np:,} of them cannot be paused (n_jobs -1: {where}, "
                f"{first:,} jobs miss the share asked by more than {_pct(FILL_WARN_REL)}; {n:,} is the most jobs "
                f"({_ladder(counts)}) whose mix fills within {_pct(FILL_WARN_REL)} of it {probes}, worst "
                f"{_pct(worst)})")
    else:
        text = (f"{n:,} jobs a week{not_first}, {n_np:,} of them cannot be paused (n_jobs -1: {where}, no "
                f"count ({_ladder(counts)}) fills within {_pct(FILL_WARN_REL)} of the share asked {probes}; "
                f"{n:,} comes closest, its worst draw {_pct(worst)} off, and the generator warns of the weeks it "
                "misses)")
    return MixSize(n, n_np, True, float(worst), text)
