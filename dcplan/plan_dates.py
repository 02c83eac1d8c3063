"""A plan whose dates are already past: ``dcplan validate``'s (and ``dcplan render``'s up-front) warnings,
part of :func:`dcplan.site_plausibility.site_warnings`.

A site file gives its plan as dates: each fleet phase's ``start``, each interconnection phase's
``energized`` (and ``filed``, the date the request went in). dcplan reads them as a plan whatever the date
it is run on: read in December 2026, "energized 2026-09-01" may have happened or may be a stale plan, and
a finance committee cannot tell which. What the model does with such a date (read from the code, not
assumed):

* **a fleet phase's start** (:func:`fleet_start_warnings`): the TCO buys the phase's IT and counts its GPUs
  from the first month on or after the date (:func:`dcplan.tco_input_types.month_on_or_after`), the
  interconnection notebook's deployment ramp counts them as installed (and, without power, stranded and
  costing the cost of waiting) from that month (:func:`dcplan.grid.gpu_plan`), whether or not that has
  happened. Nothing in dcplan reads the date it is run on.
* **the TCO's project start** (model month 0: the fleet's first month less ``build_months``,
  :func:`dcplan.tco_input_types.calendar_months`): the TCO starts construction spending there and values its
  NPV there (:func:`dcplan.tco.metrics` discounts to month 0), not at today; the cash flows of the months
  before today are in it like any other (none set apart as spent). A project start before today's month is
  said in the first fleet phase's warning when that phase's start is past too, else on its own
  (:func:`project_start_warnings`).
* **an interconnection phase's energized date** (:func:`grid_phase_warnings`): the TCO's ``base`` scenario
  is the plan (grid delay 0, :mod:`dcplan.tco_delay`), so it takes the phase as energized on its date whether
  or not it was; the queue-wait figures move a phase not ``in_service`` by the wait
  (:func:`dcplan.grid.energization_dates`: ``filed`` plus the time to power at p10 / median / p90, or the
  planned date where the wait is shorter): the interconnection notebook's dates, ramp band and cost of
  waiting, the TCO's median-delay case, tornado and Monte Carlo, the site_analysis figures and verdict, the
  portfolio comparison's ranks and the sweep's cases. Every one of them counts that wait given the months
  already waited without power (:func:`with_wait`, :mod:`dcplan.grid_given_wait`: from ``filed`` to today,
  while a phase with capacity is pending), so their dates are never before today. These warnings give the
  whole distribution from ``filed`` (the reports' ``*_unconditioned`` figures), which does not use that the
  capacity has not come by today, so a quantile may put power on a date already past (**a forecast date before
  today**, said in the same warning; it is never before the planned date, so it comes only with a planned date
  before today): the warnings' texts stay the same from day to day while the months waited grow (Kept
  reports, below). Only ``in_service: true`` makes a date a fact (no delay moves it).
* **a request without phases** (one phase planned at the filing date, :func:`dcplan.grid._phases`): its
  filing date is a fact, not a plan, so only forecast dates before today are said.
* **a long wait already** (:func:`long_wait_warnings`): a filing whose months waited by today pass
  :data:`LONG_WAIT_CDF_FRAC` of the time to power while the first pending phase is still planned ahead; the
  text gives the chance of power by its date given the months waited (every report's), beside the
  unconditioned one (``p_on_time_unconditioned_frac``).
* **a wait longer than the model allows** (:func:`outrun_wait_warnings`): months waited beyond every wait the
  site's grid wait gives (its CDF is 1 there: a site's own figures with p90 at or below them), so no grid wait
  given them exists: said before any run, and :func:`with_wait` refuses it with the same text, naming the file
  and the field, instead of each report stopping mid-run.

The filing date and ``equipment_ordered`` are facts when past and are not flagged; a tariff's price date
(its URDB ``startdate``) is the date its prices are in force from, past or not
(:func:`dcplan.tco_electricity.tariff_price_date`; :func:`dcplan.tco_electricity.stale_price_date_message`
warns when it is years before the project start).

**Today** is :func:`today`: the date of the ``DCPLAN_TODAY`` environment variable (``YYYY-MM-DD``; the
test suite sets one before every date its sites give, and a committee's report may be rendered as of a
given date), else the machine's local date; every function here also takes ``today=``. A site file's
``as_of`` (the date its plan was made, at most the machine's date or a later ``DCPLAN_TODAY``) takes the
place of the machine's date for that site: its dates are read as of the day they were planned on, and the texts
say "the plan's date (..., the site file's as_of)" where they would say today. The bundled example gives one, so
a render of it in a later year does not warn that its synthetic plan has gone stale. ``DCPLAN_TODAY`` (or
``today=``) still wins: a render as of a given date reads every site as of it. A sweep fixes today when it starts
(:func:`today_state`: today, whether ``DCPLAN_TODAY`` gave it, and the machine's date) and runs every case in it
(:func:`fixed_today`), on whichever worker: a Dask worker's own date, clock or ``DCPLAN_TODAY`` is not read, by the
plan-date warnings or by the ``as_of`` bound (:func:`machine_today`).

**Kept reports**: ``dcplan render`` keeps a report whose fingerprint is unchanged
(:func:`dcplan.report_fingerprint.run_fingerprint`), with the warnings recorded when it ran. The fingerprint
holds :func:`fingerprint_texts` of the run's site warnings (these warnings with today's date taken out):
a report is rendered again when a date of its site passes (a warning appears, or says more) but not every
day, and a kept report's warning names the day it was rendered ("before today (2026-12-05)"), still true
later. A portfolio run (``portfolio_comparison``, ``portfolio_sweep``) records no site warnings, so its
fingerprint does not see them. What the time to power is conditioned on is in the fingerprint apart
(:func:`wait_fingerprint`: each site's months waited and the date they are counted to, for a run of a notebook that
reads the time to power): a site without ``as_of`` counts them to the machine's date, so its reports age and are
rendered again on a later day, those of a site with ``as_of`` are kept.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import os
import re

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["TODAY_ENV", "today", "plan_date_warnings", "fleet_start_warnings", "project_start_warnings",
           "grid_phase_warnings", "request_forecast_warnings", "as_of_note", "fingerprint_texts", "months_waited",
           "with_wait", "outrun_wait_warnings", "wait_fingerprint", "NO_TIME_TO_POWER", "today_state", "fixed_today",
           "fixed_state", "machine_today"]

#: Environment variable that sets :func:`today` (``YYYY-MM-DD``); unset or empty: the machine's local date.
TODAY_ENV = "DCPLAN_TODAY"

#: The quantile columns of :func:`dcplan.grid.energization_dates` (its default quantiles, p10 / median / p90,
#: :data:`dcplan.grid.DEFAULT_QUANTILES`) and their names in the text.
_QUANTILE_WORDS = (("energized_p10", "p10"), ("energized_p50", "median"), ("energized_p90", "p90"))

#: How a text names today: "today (2026-12-05)" or "today (2026-12-05, DCPLAN_TODAY)". :func:`fingerprint_texts`
#: takes it out again.
_TODAY_RE = re.compile(r"today \(\d{4}-\d{2}-\d{2}(?:, " + TODAY_ENV + r")?\)")


#: Today as fixed by :func:`fixed_today` in this thread (a sweep's case): ``(date, whether DCPLAN_TODAY gave it, the
#: machine's date where it was taken or None)``; None: read ``DCPLAN_TODAY`` and the machine's date.
_FIXED: contextvars.ContextVar = contextvars.ContextVar("dcplan_fixed_today", default=None)


def _env_given() -> bool:
    """Whether today is ``DCPLAN_TODAY``'s (it then wins over a site's ``as_of``), here or where it was fixed."""
    fixed = _FIXED.get()
    return fixed[1] if fixed is not None else bool(os.environ.get(TODAY_ENV, "").strip())


def machine_today() -> dt.date:
    """The machine's local date, for the rules that read it apart from ``DCPLAN_TODAY`` (a site's ``as_of`` bound,
    :func:`dcplan.specs._base._not_after_today`; the year whose clocks the time-zone checks read): within
    :func:`fixed_today`, the machine's date where the state was taken (:func:`today_state`), so a sweep's case
    reads the clock of the process that started the sweep, not its worker's (a worker a day behind refused an
    ``as_of`` the submitter took); else this machine's (:func:`dcplan.specs._base._machine_today`)."""
    fixed = _FIXED.get()
    if fixed is not None and fixed[2] is not None:
        return fixed[2]
    from .specs._base import _machine_today
    return _machine_today()


def today_state() -> tuple[str, bool, str]:
    """``(today as YYYY-MM-DD, whether DCPLAN_TODAY gave it, the machine's date as YYYY-MM-DD)``: what
    :func:`fixed_today` takes, so a sweep's cases run on other processes or machines read their dates, and check
    them, as of the dates the sweep started with here (within :func:`fixed_today`, those it fixed)."""
    return today().isoformat(), _env_given(), machine_today().isoformat()


def fixed_state() -> tuple[dt.date, bool, dt.date | None] | None:
    """``(date, whether DCPLAN_TODAY gave it, the machine's date where it was taken)`` as :func:`fixed_today` fixed
    it in this thread (the machine's date None for a state of two items that ``DCPLAN_TODAY`` gave: not known);
    None outside it. For a rule that reads the machine's date apart from ``DCPLAN_TODAY`` (:func:`machine_today`)."""
    return _FIXED.get()


@contextlib.contextmanager
def fixed_today(state: tuple | None):
    """Within it, in this thread, :func:`today` is ``state``'s date (:func:`today_state`) and :func:`machine_today`
    its machine's date, the machine's date and ``DCPLAN_TODAY`` of this process unread; a site's ``as_of`` still
    takes its place unless ``state`` says ``DCPLAN_TODAY`` gave it, as where it was taken. A state of two items
    ``(date, given)`` (as :func:`today_state` gave before it held the machine's date): the machine's date is
    ``date`` when ``DCPLAN_TODAY`` did not give it, else not known (this machine's is read). ``None``: no change."""
    if state is None:
        yield
        return
    day, given = dt.date.fromisoformat(state[0]), bool(state[1])
    machine = dt.date.fromisoformat(state[2]) if len(state) > 2 and state[2] else None if given else day
    token = _FIXED.set((day, given, machine))
    try:
        yield
    finally:
        _FIXED.reset(token)


def today() -> dt.date:
    """Today's date for these checks: ``DCPLAN_TODAY`` (``YYYY-MM-DD``) when set and not empty, else the
    machine's local date (:func:`machine_today`); within :func:`fixed_today`, its date. A ``DCPLAN_TODAY``
    that is not such a date is an :class:`~dcplan.errors.InputError` naming the variable and its value."""
    fixed = _FIXED.get()
    if fixed is not None:
        return fixed[0]
    v = os.environ.get(TODAY_ENV, "").strip()
    if not v:
        return machine_today()  # the clock the as_of bound reads too (one read of the machine's date)
    try:
        return dt.date.fromisoformat(v) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) else _bad_today(v)
    except ValueError:
        return _bad_today(v)


def _bad_today(v: str):
    from ._text import missing_day
    why = missing_day(v)  # a date in form that names no calendar day: which day is missing
    raise InputError(f"{v!r} is not a date{': ' + why if why else ''}; allowed: YYYY-MM-DD (the date dcplan takes "
                     "as today), or leave it unset for the machine's date", field=f"{TODAY_ENV} (environment variable)")


def _today_text(day: dt.date, given: bool) -> str:
    env = f", {TODAY_ENV}" if not given and _env_given() else ""
    return f"today ({day.isoformat()}{env})"


def _resolve(day, site=None) -> tuple[dt.date, str, str]:
    """(today, its words with its date, its words) for ``day`` (None: the site's ``as_of`` when it gives one and
    ``DCPLAN_TODAY`` is not set, "the plan's date"; else :func:`today`)."""
    if day is None:
        if _as_of(site) is not None:
            return site.as_of, f"the plan's date ({site.as_of.isoformat()}, the site file's as_of)", "the plan's date"
        d = today()
        return d, _today_text(d, False), "today"
    d = pd.Timestamp(day).date()
    return d, _today_text(d, True), "today"


def _as_of(site) -> dt.date | None:
    """The site's ``as_of`` when the checks read its dates as of it (module docstring, Today), else None."""
    if _env_given():
        return None
    return getattr(site, "as_of", None)


def _where(site) -> str:
    return site.source_file or f"site {site.id!r}"


def _build(site) -> tuple[int, str]:
    """The site's ``build_months`` in whole months, as the TCO takes it, and where it comes from."""
    from .tco_input_types import default_cost, whole_months
    f = site.finance
    if "build_months" in (f.costs or {}):
        return int(whole_months(f.costs["build_months"])), "finance.costs.build_months"
    if f.build_months is not None:
        return int(whole_months(f.build_months)), "finance.build_months"
    return int(whole_months(default_cost("build_months"))), "data/costs.csv default"


def _project_start(site) -> tuple[pd.Period, pd.Period, int, str, int] | None:
    """(project start month, first fleet month, build months, their source, index of the first phase), as
    :func:`dcplan.tco_inputs.inputs_from_site` dates the TCO (the earliest phase start, every phase
    counted); None without fleet phases."""
    from .tco_input_types import month_on_or_after
    phases = list(getattr(site.fleet, "phases", None) or ())
    if not phases:
        return None
    i = min(range(len(phases)), key=lambda k: phases[k].start)
    first = month_on_or_after(phases[i].start)
    build, src = _build(site)
    return first - build, first, build, src, i


def _project_sentence(site, now: dt.date, ref: str = "today") -> str:
    """The TCO's valuation sentence when its project start is before today's month, else ``""``."""
    got = _project_start(site)
    if got is None or not got[0] < pd.Period(now, "M"):
        return ""
    start, first, build, src, _i = got
    return (f" The TCO's project start, where it starts construction spending and values its NPV, is {start} (the "
            f"fleet's first month, {first}, less build_months {build}, {src}), also before {ref}: the NPV is a value "
            f"at that month, not at {ref}, and it counts the months before {ref} like the others (nothing is set "
            "apart as spent).")


def fleet_start_warnings(site, today=None) -> list[str]:
    """One warning per fleet phase (of at least one unit) whose ``start`` is before today: the TCO buys its IT
    and counts its GPUs, and the interconnection notebook's ramp counts them installed (waiting for power
    until their capacity is energized), from the first month on or after the date whether or not it has
    happened. The earliest phase's warning also says the TCO's project start when that is before today's
    month (:func:`_project_sentence`). [] when no phase starts before today."""
    from .tco_input_types import month_on_or_after
    now, words, ref = _resolve(today, site)
    phases = list(getattr(site.fleet, "phases", None) or ())
    got = _project_start(site)
    first_i = None if got is None else got[4]
    out = []
    for i, ph in enumerate(phases):
        if ph.count <= 0 or not ph.start < now:
            continue
        m = month_on_or_after(ph.start)
        label = f" ({ph.label})" if ph.label else ""
        ramp = (" and the interconnection notebook's deployment ramp counts them installed from then, waiting for "
                "power (stranded, with the cost of waiting) until their capacity is energized"
                if site.interconnection is not None else "")
        out.append(f"{_where(site)}: fleet.phases[{i}].start: {ph.start}{label} is before {words}: the figures take "
                   f"it as the phase's date whether or not it has happened: the TCO buys its IT and counts its GPUs "
                   f"from {m}{ramp}.{_project_sentence(site, now, ref) if i == first_i else ''} If the phase is installed, "
                   "keep the date; if it is still a plan, it is late: give its new start date (allowed: a date on or "
                   f"after {ref})")
    return out


def project_start_warnings(site, today=None) -> list[str]:
    """The warning for a site whose TCO project start (the fleet's first month less ``build_months``,
    :func:`dcplan.tco_input_types.calendar_months`) is before today's month while no fleet phase's start is
    before today (otherwise :func:`fleet_start_warnings` says it): the NPV is valued there, not at today,
    and the build's spending starts there. [] otherwise."""
    now, words, ref = _resolve(today, site)
    got = _project_start(site)
    if got is None:
        return []
    start, first, build, src, i = got
    if not start < pd.Period(now, "M"):
        return []
    if any(ph.count > 0 and ph.start < now for ph in site.fleet.phases):
        return []   # said in that phase's warning
    ph = site.fleet.phases[i]
    label = f" ({ph.label})" if ph.label else ""
    return [f"{_where(site)}: fleet.phases[{i}].start: {ph.start}{label}, the fleet's first, less build_months "
            f"{build} ({src}) puts the TCO's project start at {start}, before {words}: the TCO starts its construction "
            f"spending in {start} and values its NPV there, not at {ref}, counting the months before {ref} like the "
            f"others (nothing is set apart as spent). If construction began by {start}, that is what the figures "
            f"show; if it has not begun, a {build}-month build cannot end by the fleet's start ({first}): give the "
            "fleet's new start date, or the build_months left (finance.build_months)"]


def _dates_text(row, now: dt.date) -> tuple[str, list[str]]:
    """``"2027-08-06 (p10), 2028-03-01 (median), 2029-07-27 (p90)"`` and the names of those before ``now``."""
    parts, past = [], []
    for col, name in _QUANTILE_WORDS:
        if col not in row:
            continue
        d = pd.Timestamp(row[col]).date()
        parts.append(f"{d} ({name})")
        if d < now:
            past.append(f"{name} {d}")
    return ", ".join(parts), past


_UNCONDITIONED = ("that wait is the whole distribution counted from interconnection.filed ({filed}): it does not "
                  "use that the capacity has not come by {ref} (the reports' *_unconditioned figures; every report's "
                  "time to power and dates, the interconnection, tco and site_analysis notebooks, the verdict, the "
                  "portfolio ranks and sweep, count it given the months waited to {ref}, dcplan.grid_given_wait, so "
                  "their dates are not before it)")


def _forecast_past_text(past: list[str], ref: str = "today") -> str:
    if not past:
        return ""
    return (f", so {'its' if len(past) > 1 else 'the'} forecast date{'s' if len(past) > 1 else ''} "
            f"{', '.join(past)} {'are' if len(past) > 1 else 'is'} before {ref} too: a date already passed, "
            "which would overstate how soon power comes if it has not")


def grid_phase_warnings(site, today=None) -> list[str]:
    """One warning per interconnection phase with capacity, not ``in_service``, whose ``energized`` date is
    before today: the figures do not take it as energized; they move it by the queue wait from ``filed`` given the
    months waited (:func:`with_wait`: to no date before today). The text gives the dates over the whole wait
    (:func:`dcplan.grid.energization_dates` of the site's own spec, the same on every day while the warning stands)
    and names those before today: that wait does not use that the capacity has not come by today. [] without such
    a phase (or when the interconnection's wait cannot be read: its own error)."""
    now, words, ref = _resolve(today, site)
    ic = site.interconnection
    if ic is None or not ic.phases:
        return []
    late = [(i, p) for i, p in enumerate(ic.phases) if p.mw > 0 and not p.in_service and p.energized < now]
    if not late:
        return []
    from .grid import energization_dates
    try:
        dates = energization_dates(ic)
    except InputError:
        return []
    out = []
    for i, p in late:
        rows = dates[(dates["planned"] == pd.Timestamp(p.energized)) & ~dates["in_service"].astype(bool)]
        if rows.empty:
            continue
        text, past = _dates_text(rows.iloc[0], now)
        label = f" ({p.label})" if p.label else ""
        out.append(f"{_where(site)}: interconnection.phases[{i}].energized: {p.energized}{label} is before {words}, "
                   "and the phase is not in_service: the TCO's base scenario (the plan, grid delay 0) takes it as "
                   "energized on that date whether or not it was, while the queue-wait figures (the interconnection "
                   "notebook's energization dates, ramp band and cost of waiting, the TCO's median-delay NPV, tornado "
                   f"and Monte Carlo, the verdict) move it by the queue wait given the months waited, to no date "
                   f"before {ref}; over the whole wait it would be {text}; "
                   + _UNCONDITIONED.format(filed=ic.filed, ref=ref)
                   + _forecast_past_text(past, ref) + ". If the capacity is energized, mark the phase in_service: true (its "
                   "date is then a fact, no queue delay moves it); if its date is still a plan, it is late: give its "
                   f"new planned date (allowed: a date on or after {ref})")
    return out


def request_forecast_warnings(site, today=None) -> list[str]:
    """The warning for a request without ``phases`` (one phase planned at the filing date) whose energization
    dates (``filed`` plus the time to power, :func:`dcplan.grid.energization_dates`) are before today at some
    quantile: the figures count power from a date already passed. [] otherwise."""
    now, words, ref = _resolve(today, site)
    ic = site.interconnection
    if ic is None or ic.phases or not ic.filed < now:
        return []
    from .grid import energization_dates
    try:
        dates = energization_dates(ic)
    except InputError:
        return []
    text, past = _dates_text(dates.iloc[0], now)
    if not past:
        return []
    return [f"{_where(site)}: interconnection.filed: {ic.filed}, with no phases, puts the capacity's energization on "
            f"{text} (filed plus the time to power over the whole wait); {', '.join(past)} "
            f"{'is' if len(past) == 1 else 'are'} before {words}: "
            + _UNCONDITIONED.format(filed=ic.filed, ref=ref) + ", so a figure over the whole wait would count power "
            "from a date already passed. If "
            "the capacity is energized, give it as a phase with in_service: true; if not, give the utility's current "
            "estimate of the wait as the site's own interconnection.time_to_power (months from filed, so at least the "
            "months already waited)"]


#: A filing whose months already waited are longer than this share of the grid model's time to power is warned of
#: (:func:`long_wait_warnings`): its p10 is then already past. A dcplan threshold (the distribution's lower decile).
LONG_WAIT_CDF_FRAC = 0.10


def long_wait_warnings(site, today=None) -> list[str]:
    """The warning for a request filed so long ago that the months waited since are longer than at least
    :data:`LONG_WAIT_CDF_FRAC` of the grid model's time to power while its first pending phase is still planned
    ahead (a past planned date has :func:`grid_phase_warnings`). The text gives the chance of power by the planned
    date given that it has not come by today, ``(F(L) - F(w)) / (1 - F(w))`` (``w`` the months waited, ``L`` the
    planned months from filing), every report's (:func:`with_wait`), beside ``F(L)``, the whole distribution from
    ``filed`` with its short waits that have not happened (``p_on_time_unconditioned_frac``). (An interconnection
    planner filed in 2019, as of 2025, planned for 2026-06: the figures said 98.6 % on time, 68 % given the 72
    months waited.)"""
    now, words, ref = _resolve(today, site)
    ic = site.interconnection
    if ic is None or not ic.phases or not ic.filed < now:
        return []
    from .grid import _months_between, planned_lead_months, time_to_power_cdf
    pending = [p for p in ic.phases if p.mw > 0 and not p.in_service]
    if not pending or pending[0].energized < now:
        return []
    try:
        lead = planned_lead_months(ic)
        waited = _months_between(ic.filed, now)
        f_w, f_l = time_to_power_cdf(ic, months=np.array([waited, lead]))["time_to_power_cdf_frac"].to_numpy()
    except InputError:
        return []
    if not f_w >= LONG_WAIT_CDF_FRAC or lead is None or f_w >= 1.0:
        return []
    given = (f_l - f_w) / (1.0 - f_w)
    return [f"{_where(site)}: interconnection.filed: {ic.filed} is {waited:.0f} months before {words}, longer than "
            f"{f_w:.0%} of the grid model's time to power, and the first pending phase is planned for "
            f"{pending[0].energized}: given that power has not come by {ref}, the chance of power by that date is "
            f"{given:.1%} (the interconnection notebook's p_on_time_frac; the TCO's delays and Monte Carlo, the "
            "site_analysis verdict and the portfolio ranks count the wait likewise: given the months waited, "
            f"dcplan.grid_given_wait), against {f_l:.1%} over the whole wait from filed, its shorter draws that have "
            "not happened too (p_on_time_unconditioned_frac). If the utility has a current estimate of the wait, give "
            "it as the site's own "
            "interconnection.time_to_power (months from filed, so at least the months already waited)"]


def months_waited(site, today=None) -> tuple[float, dt.date]:
    """(months waited without power since ``interconnection.filed``, the date they run to): the months from
    filing to today (:func:`_resolve`: the site file's ``as_of``, else ``DCPLAN_TODAY`` or the machine's date;
    calendar months, :func:`dcplan.grid._months_between`) when the request was filed before it and a phase with
    capacity is still pending (not ``in_service``: nothing says its power has come), else 0. What the published
    time to power is conditioned on (:func:`with_wait`, :mod:`dcplan.grid_given_wait`). [months]

    A campus with a phase already in service and a later one pending is conditioned too: the model's time to power
    ``T`` is the wait from filing for the capacity not yet energized (:func:`dcplan.grid.no_pending_note`; the first
    pending phase lands on ``filed + T``, :func:`dcplan.grid.energization_dates`, every later pending phase keeps its
    planned months after it, the phases in service keep their dates), so that phase not in service by today is
    ``T > w`` as for a request with nothing in service."""
    now, _words, _ref = _resolve(today, site)
    ic = getattr(site, "interconnection", None)
    if ic is None or not ic.filed < now:
        return 0.0, now
    from .grid import no_pending_note
    if no_pending_note(ic) is not None:  # every phase with capacity in service: no wait left to condition
        return 0.0, now
    from .grid import _months_between
    return float(_months_between(ic.filed, now)), now


def with_wait(site, today=None):
    """``site`` with its interconnection's time to power conditioned on the months waited (:func:`months_waited`,
    :func:`dcplan.grid_given_wait.given_wait`); ``site`` itself when none were waited or it has no
    interconnection. The warnings of this module read the site's own, unconditioned figures."""
    w, now = months_waited(site, today)
    if w <= 0:
        return site
    outrun = _outrun(site, w, _resolve(today, site)[1])
    if outrun is not None:  # no distribution given that wait: said with the file and the figures, not mid-run
        raise InputError(outrun[1], file=site.source_file or None, field=outrun[0])
    from .grid_given_wait import given_wait
    return site.model_copy(update={"interconnection": given_wait(site.interconnection, w, now)})


def _outrun(site, waited: float, words: str) -> tuple[str, str] | None:
    """``(field, text)`` when the site's grid wait gives no chance of a wait as long as the ``waited`` months from
    filing to the plan's date (``words``) while a phase with capacity is pending: its CDF there is 1, so the grid
    wait given the months waited, which every report publishes beside the time to power (``grid_months``, the grid
    wait alone), does not exist (:mod:`dcplan.grid_given_wait`), nor, with no long-lead equipment outstanding, the
    time to power given them. A site's own figures with p90 at or below the months waited reach it (a row's
    lognormal only at waits of centuries). None otherwise."""
    from .grid import equipment_plan, lognormal_cdf, wait_months, wait_source
    ic = site.interconnection
    p50, p10, p90 = wait_months(ic)
    if 1.0 - float(lognormal_cdf(waited, p50, p10, p90)) > 0.0:
        return None
    field = "interconnection.time_to_power" if ic.time_to_power is not None else "interconnection.region"
    items = equipment_plan(ic)[0]
    kit = (f" (the long-lead equipment, {', '.join(items)}, may be what is late, but the reports give the grid "
           "wait alone beside the time to power)" if items else "")
    return field, (f"the grid wait of {wait_source(ic)} (p10 {p10:g} / median {p50:g} / p90 {p90:g} months from "
                   f"filing) gives no chance of a wait as long as the {waited:.1f} months from interconnection.filed "
                   f"({ic.filed}) to {words}, yet no phase with capacity is in_service: the grid wait given the months "
                   "waited, which every report that reads the time to power counts (the interconnection, "
                   f"site_analysis and tco notebooks, the portfolio comparison and sweeps), does not exist{kit}. If "
                   "the capacity is energized, mark its phase in_service: true; if not, give the utility's current "
                   "estimate of the wait as interconnection.time_to_power (months from filed, p90_months above the "
                   f"{waited:.1f} months waited)")


def outrun_wait_warnings(site, today=None) -> list[str]:
    """The warning for a site whose months waited without power are beyond every wait its grid wait gives
    (:func:`_outrun`): ``dcplan validate`` says so before any run, which :func:`with_wait` refuses with the same
    text. [] otherwise (or when the interconnection's wait cannot be read: its own error)."""
    try:
        w, _now = months_waited(site, today)
        got = _outrun(site, w, _resolve(today, site)[1]) if w > 0 else None
    except InputError:
        return []
    return [] if got is None else [f"{_where(site)}: {got[0]}: {got[1]}"]


#: The bundled notebooks that read no time to power (no :mod:`dcplan.grid` wait, date or chance of power: their
#: cells model the site's year, its cooling, racks, climate or schedule), so their runs' fingerprints hold no months
#: waited (:func:`wait_fingerprint`): a day later they are kept. Any other notebook, a user's too, may read it.
NO_TIME_TO_POWER = frozenset({"cooling_lag", "offpeak_scheduling", "rack_power", "site_climate"})


def wait_fingerprint(sites, today=None) -> list[list]:
    """``[[site id, months waited, the date they are counted to], ...]`` (:func:`months_waited`, rounded to 1e-6
    month) of the ``sites`` whose time to power is conditioned on months waited: what a render's fingerprint holds
    of it (module docstring, Kept reports; :func:`dcplan.report_fingerprint.run_fingerprint`), so a kept report
    whose sites count their wait to the machine's date is rendered again on a later day. ``[]`` when none is
    (a site that cannot be read gives its own error in its run)."""
    out = []
    for s in sites:
        try:
            w, now = months_waited(s, today)
        except InputError:
            continue
        if w > 0:
            out.append([s.id, round(w, 6), now.isoformat()])
    return out


def plan_date_warnings(site, today=None) -> list[str]:
    """Every warning of this module for ``site`` (module docstring), ``today`` (a date; None: :func:`today`)."""
    return (fleet_start_warnings(site, today) + project_start_warnings(site, today)
            + grid_phase_warnings(site, today) + request_forecast_warnings(site, today)
            + long_wait_warnings(site, today) + outrun_wait_warnings(site, today))


def as_of_note(site) -> str:
    """The TCO export's caveat ``plan_as_of`` (its About and Summary rows, results.json ``caveat_plan_as_of``): the
    day the site file dates its plan, so a reader of the workbook alone knows the dates' vintage; ``""`` for a site
    file without ``as_of``. A text of the file alone (the same on every day it is read)."""
    if getattr(site, "as_of", None) is None:
        return ""
    return (f"The site file dates its plan {site.as_of.isoformat()} (as_of): the fleet starts, grid phases and project "
            "start the figures take are those planned on that day, and dcplan checked them as of it (a date already "
            "passed then is warned of), not as of the day the figures were made; the plan may have moved since "
            "(DCPLAN_TODAY, when set, checks them as of its day instead)")


#: The head of :func:`long_wait_warnings`' text, up to its months waited: the rest (the months, the chances given
#: them) moves from day to day while the warning stands, so :func:`fingerprint_texts` keeps only the head.
_LONG_WAIT_RE = re.compile(r"^(.*: interconnection\.filed: \d{4}-\d{2}-\d{2} is )\d+ months before today \(")


def fingerprint_texts(texts) -> list[str]:
    """The texts among ``texts`` (a run's site warnings) that say a date is before today, with today's date
    taken out: what a render's fingerprint holds of them (module docstring, Kept reports), so a report is
    rendered again when a date passes, not every day. Of a long wait's warning (:func:`long_wait_warnings`) only
    that it stands: its months waited and chances grow daily (a run reading the time to power holds the months
    waited apart, :func:`wait_fingerprint`; a run that does not, rack_power, is kept)."""
    out = []
    for t in texts or ():
        if not _TODAY_RE.search(t):
            continue
        m = _LONG_WAIT_RE.match(t)
        out.append(m.group(1) + "long before today (long_wait_warnings)" if m else _TODAY_RE.sub("today", t))
    return out
