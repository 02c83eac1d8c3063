"""The off-peak scheduling notebook's parameters: the checks that involve each other or the site.

The notebook's metadata rules (:func:`dcplan.report_params.notebook_rules`) check each parameter
alone (ranges, a date). What depends on another parameter or on the site is here, used twice
from one source: by the notebook (``notebooks/offpeak_scheduling.ipynb``, :func:`check`), and by
``dcplan render`` before any run (:func:`precheck`, named in the notebook's metadata
``dcplan.precheck``), so ``-p week_start 2025-12-30`` or ``-p n_jobs 10`` is bad input (exit 2)
before anything runs, not a failed run. A site whose utilisation leaves it no flexible work
(at the defaults, or at a ``-p flex_share_frac`` valid in itself) has its run *not applicable*,
with the reason; the other sites render.

* ``utilisation_frac`` -1 (the site's): the job mix fills the flexible share so that the fleet's
  accelerator-hours in use (must-run at full power all week + jobs) are the site's
  ``fleet.utilisation_frac``, the share site_analysis and the TCO count:
  fill = (u_site - (1 - flex_share_frac)) / flex_share_frac, which must lie in (0, 1].
  ``utilisation_frac`` in (0, 1] is that fill itself, not a fleet utilisation: the fleet then runs at
  1 - flex_share_frac + flex_share_frac x utilisation_frac (0.75 at 0.5 and the default share 0.5),
  which is the site's only where the two agree. Every figure of the scheduled fleet then says so
  (:attr:`OffpeakSetup.fleet_note`), and so does the not-applicable reason that offers it.
* ``n_jobs``: each synthetic mix holds :func:`dcplan.schedule.generate_jobs`' training runs
  (``n_training``, 4) beside ``n_nonpreemptible`` jobs that cannot be paused (-1: a tenth of the
  jobs). ``n_jobs`` -1 (the default) lets :func:`dcplan.schedule_mix.mix_size` choose the count
  in the notebook, where the site's flexible capacity is known (200, fewer on a small one).
* ``jobs_file`` (given): read as the notebook reads it, with at least one job within the week shown
  (:func:`dcplan.schedule_setup.file_week_jobs`), so a bad job file is bad input before any run.
* ``week_start``: empty (the default: the week from the Monday on or after 14 July of the site's
  weather year, :func:`default_week_start`) or a local date YYYY-MM-DD whose week lies within the site's weather year (that
  year's 1 January to 25 December: the hourly year ends at 00:00 on 1 January after it, whatever
  the year's length; ``tests/test_offpeak_params.py`` checks it against the weather index).

This module imports no solver (render's own process calls :func:`precheck`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import InputError

__all__ = ["OffpeakSetup", "check", "precheck", "problems", "week_range", "default_week_start", "fleet_frac",
           "fleet_note", "N_TRAINING"]

#: Training runs in each synthetic mix: :func:`dcplan.schedule_generate.generate_jobs`' ``n_training``
#: default (a test holds the two equal; not imported, so render's process does not load pandas' job code)
N_TRAINING = 4
#: Days a week takes from week_start.
WEEK_DAYS = 7


@dataclass(frozen=True)
class OffpeakSetup:
    """What the checks derive: the job mix's fill of the flexible share and where it comes from,
    and the first day of the week shown."""

    util_frac: float
    util_source: str
    util_note: str
    week_start: dt.date
    #: the share of the fleet's accelerator-hours in use in every schedule: must-run + flexible share x fill
    fleet_frac: float = float("nan")
    #: "" where ``fleet_frac`` is the site's ``fleet.utilisation_frac``; else what the schedules are of, in words,
    #: for the label of every figure of the scheduled fleet (:func:`fleet_note`)
    fleet_note: str = ""


def fleet_frac(flex_share_frac: float, fill: float) -> float:
    """The fleet's share of accelerator-hours in use when the job mix fills ``fill`` of the flexible
    share ``flex_share_frac`` beside the must-run share ``1 - flex_share_frac`` at full power."""
    return 1.0 - float(flex_share_frac) + float(flex_share_frac) * float(fill)


def fleet_note(flex_share_frac: float, utilisation_frac: float, site_util: float) -> str:
    """What the schedules are of when ``-p utilisation_frac`` (a fill of the flexible share) gives a
    fleet other than the site's: "" where the fleet runs at the site's ``fleet.utilisation_frac``
    (``utilisation_frac`` -1, or a fill that gives the same share), else a plain note naming both."""
    flex, u = float(flex_share_frac), float(utilisation_frac)
    if u == -1:
        return ""
    fleet = fleet_frac(flex, u)
    if abs(fleet - float(site_util)) <= 1e-9:
        return ""
    return (f"NOT the site's fleet: a fleet at {fleet:.3g} (must-run {1.0 - flex:g} + flex_share_frac {flex:g} x "
            f"utilisation_frac {u:g}, the job mix's fill of the flexible share), the site's fleet.utilisation_frac "
            f"is {float(site_util):g}")


def _fill_hint(flex: float, site_util: float) -> str:
    """How ``utilisation_frac`` in (0, 1] runs a site left no flexible work, and that it then schedules
    a fleet that is not the site's: above its ``fleet.utilisation_frac``, as the must-run share alone is."""
    return (f"utilisation_frac X in (0, 1] to schedule a fleet that is not the site's (X is the job mix's fill of "
            f"the flexible share: the fleet then runs at {1.0 - flex:g} + {flex:g} x X, above the site's "
            f"fleet.utilisation_frac {site_util:g}, and its figures say so)")


def week_range(year: int) -> tuple[dt.date, dt.date]:
    """First and last allowed ``week_start`` in weather year ``year`` (local dates)."""
    return dt.date(int(year), 1, 1), dt.date(int(year) + 1, 1, 1) - dt.timedelta(days=WEEK_DAYS)


def default_week_start(year: int) -> dt.date:
    """The week shown when ``week_start`` is empty (the default): from the Monday on or after
    14 July of the weather year ``year`` (2025: Monday 14 July), a hot week in every bundled
    climate, so a site on any weather year gets one."""
    day = dt.date(int(year), 7, 14)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _weather_year(site) -> int:
    return int(site.weather.year)


def problems(params: Mapping[str, Any], site) -> tuple[list[tuple[frozenset, InputError]], OffpeakSetup | None]:
    """Every problem of ``params`` (the notebook's parameter values) at ``site`` (a
    :class:`dcplan.site.Site`), each with the parameters it involves; and the derived set-up
    when there is none."""
    out: list[tuple[frozenset, InputError]] = []
    flex = float(params["flex_share_frac"])
    u = float(params["utilisation_frac"])
    site_util = float(site.fleet.utilisation_frac)
    util_frac, util_source = None, ""
    if not 0.0 < flex <= 1.0:
        out.append((frozenset({"flex_share_frac"}),
                    InputError(f"must be a fraction in (0, 1], got {flex:g}", field="flex_share_frac")))
    elif u == -1:
        util_frac = round((site_util - (1.0 - flex)) / flex, 12)  # 0.2, not (0.6 - 0.5) / 0.5 = 0.19999999999999996
        util_source = (f"the site's: the fleet runs at its fleet.utilisation_frac {site_util:g} = must-run "
                       f"{1.0 - flex:g} + {flex:g} x {util_frac:.3g}")
        if not 0.0 < util_frac <= 1.0:
            out.append((frozenset({"utilisation_frac", "flex_share_frac"}), InputError(
                f"the site's fleet.utilisation_frac {site_util:g} (which utilisation_frac -1, the default, takes) is "
                f"not above the must-run share 1 - flex_share_frac = {1.0 - flex:g}, so no flexible work is left to "
                "schedule; "
                + (f"give flex_share_frac above {1.0 - site_util:g} to schedule the site's fleet, or " if site_util > 0
                   else "give ")
                + _fill_hint(flex, site_util), field="utilisation_frac")))
    elif not 0.0 < u <= 1.0:
        out.append((frozenset({"utilisation_frac"}),
                    InputError(f"must be in (0, 1] or -1 (the site's), got {u:g}", field="utilisation_frac")))
    else:
        util_frac = u
        util_source = (f"parameter utilisation_frac: the fleet runs at {1.0 - flex + flex * u:.3g}, the site's "
                       f"fleet.utilisation_frac is {site_util:g}")
    n_jobs, n_np = int(params["n_jobs"]), int(params["n_nonpreemptible"])
    if n_np == -1:  # a tenth of the jobs: always room beside the training runs
        from .schedule_mix import nonpreemptible_default  # (imports no pandas at load: render's process)
        n_np = 0 if n_jobs == -1 else nonpreemptible_default(n_jobs)
    if n_jobs != -1 and n_jobs < N_TRAINING + n_np:  # -1: dcplan.schedule_mix sizes the mix (n_np and up)
        out.append((frozenset({"n_jobs", "n_nonpreemptible"}), InputError(
            f"{n_jobs}: each synthetic mix holds {N_TRAINING} training runs and n_nonpreemptible = {n_np} jobs "
            f"that cannot be paused, so n_jobs must be at least {N_TRAINING + n_np} (or lower n_nonpreemptible)",
            field="n_jobs")))
    text = params["week_start"]
    first, last = week_range(_weather_year(site))
    day = None
    if text == "":  # the default: a hot mid-July week of the site's own weather year
        text = default_week_start(_weather_year(site)).isoformat()
    try:
        if isinstance(text, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            day = dt.date.fromisoformat(text)
    except ValueError:  # 2025-02-30
        day = None
    if day is None:
        from ._text import missing_day
        why = missing_day(text)  # well formed but no calendar day: say which (2025 has no 29 February)
        out.append((frozenset({"week_start"}), InputError(
            (f"{text!r}: {why}" if why else f"{text!r} is not a local date YYYY-MM-DD")
            + f"; allowed: {first} to {last} (the first days of the weeks within the weather year)",
            field="week_start")))
    elif not first <= day <= last:
        out.append((frozenset({"week_start"}), InputError(
            f"the week from {text} must lie within the weather year: allowed {first} to {last} (first day of "
            f"the week, local date; the site's weather.year {first.year})", field="week_start")))
    if out:
        return out, None
    return out, OffpeakSetup(util_frac=float(util_frac), util_source=util_source,
                             util_note=", the site's" if u == -1 else "", week_start=day,
                             fleet_frac=fleet_frac(flex, util_frac), fleet_note=fleet_note(flex, u, site_util))


def check(params: Mapping[str, Any], site) -> OffpeakSetup:
    """The notebook's check: the first problem as an :class:`InputError`, else the set-up."""
    found, setup = problems(params, site)
    if found:
        raise found[0][1]
    return setup


#: The problem a site's own utilisation makes of values each valid alone (``utilisation_frac``
#: -1 and a ``flex_share_frac`` in (0, 1]): no flexible work above the must-run share.
_NO_FLEXIBLE_WORK = frozenset({"utilisation_frac", "flex_share_frac"})


def precheck(params: Mapping[str, Any], site, given) -> str | None:
    """``dcplan render``'s check before any run: raise the first problem that involves a
    parameter the user set (``given``, the ``-p`` names), as ``-p NAME``. When the values,
    each valid alone, leave the site no flexible work (its ``fleet.utilisation_frac`` not above
    the must-run share ``1 - flex_share_frac``: at the notebook's defaults, or at ``-p`` values
    each valid in itself, e.g. a ``flex_share_frac`` too small for this site's utilisation),
    return why: the site's run is *not applicable* (a fact of the site, not a failure; the other
    sites render). Any other problem of the defaults alone is left to the run."""
    found = problems(params, site)[0]
    for names, err in found:
        if names == _NO_FLEXIBLE_WORK:  # of this site, not of a value: below
            continue
        if names & set(given):
            if err.field in given:
                raise InputError(f"site {site.id!r}: {err.detail}", field=f"-p {err.field}")
            # the problem is stated of another parameter (n_jobs for -p n_nonpreemptible): name it, with its
            # value when the message starts with it ("n_jobs 200: ..."), else as a field ("utilisation_frac: ...")
            sep = " " if err.detail[:1] in "-0123456789'\"" else ": "
            raise InputError(f"site {site.id!r}: {err.field}{sep}{err.detail}",
                             field=f"-p {sorted(names & set(given))[0]}")
    if any(names == _NO_FLEXIBLE_WORK for names, _ in found):
        return _no_flexible_work(params, site, given)
    if "jobs_file" in set(given) and str(params.get("jobs_file") or "").strip() and not found:
        _check_jobs_file(params, site, problems(params, site)[1])
    return None


def _check_jobs_file(params: Mapping[str, Any], site, setup: OffpeakSetup) -> None:
    """``-p jobs_file``: the file read as the notebook reads it (:func:`dcplan.schedule_setup.file_week_jobs`: the
    errors of :func:`dcplan.schedule_jobs.load_jobs`, in the site's units) and at least one of its jobs within the
    week shown, before any run: bad input (exit 2) naming ``-p jobs_file``, the site and the file."""
    from pathlib import Path

    from .report_params import resolve_file_parameter
    from .schedule_setup import file_week_jobs
    from .schedule_window import local_week
    folder = Path(site.source_file).resolve().parent if site.source_file else None
    path = resolve_file_parameter("jobs_file", params["jobs_file"], "", folder, Path("offpeak_scheduling"))
    week = local_week(setup.week_start, str(site.timezone), step="15min")
    try:
        file_week_jobs(path, site, week.start, week.index[-1])
    except InputError as e:
        # the job and its field as load_jobs and dcplan validate name them (jobs['j1'].deadline), then its problem
        # (a problem of the whole file, field jobs_file, is -p jobs_file's already)
        where = f"{e.field}: " if e.field and e.field != "jobs_file" else ""
        raise InputError(f"site {site.id!r}: {where}{e.detail}", file=e.file or str(path),
                         field="-p jobs_file") from None


def _no_flexible_work(params: Mapping[str, Any], site, given) -> str:
    """Why the off-peak run of ``site`` is not applicable: its ``fleet.utilisation_frac`` leaves
    no flexible work above the must-run share ``1 - flex_share_frac`` (the notebook's default,
    or the ``-p`` values ``given``), and what would run it."""
    u, flex = float(site.fleet.utilisation_frac), float(params["flex_share_frac"])
    # flex_share_frac keeps the site's fleet; utilisation_frac (a fill of the flexible share) schedules another
    keep = f"pass -p flex_share_frac above {1.0 - u:g} to run it at the site's fleet.utilisation_frac, or -p "
    fix = (keep if u > 0.0 else "pass -p ") + _fill_hint(flex, u)
    set_ = [f"-p {n} {float(params[n]):g}" for n in ("flex_share_frac", "utilisation_frac") if n in set(given)]
    if not set_:
        return (f"site {site.id!r}: its fleet.utilisation_frac {u:g} leaves no flexible work above the "
                f"notebook's default must-run share (1 - flex_share_frac = {1.0 - flex:g}) to schedule; {fix}")
    takes = "" if "utilisation_frac" in set(given) else " (which utilisation_frac -1, the default, takes)"
    default = "" if "flex_share_frac" in set(given) else f" (the notebook's default flex_share_frac {flex:g})"
    return (f"site {site.id!r}: {' with '.join(set_)} leave{'s' if len(set_) == 1 else ''} it no flexible work to "
            f"schedule: its fleet.utilisation_frac {u:g}{takes} is not above the must-run share 1 - flex_share_frac "
            f"= {1.0 - flex:g}{default}; {fix}")
