"""A site's measured load file (fleet ``workload: data``, ``fleet.data_file``): its checks and its resolution.

- :func:`data_file_problems`: ``dcplan validate``'s checks of the file, ``(field, message)`` each: it reads
  (:func:`dcplan.workload.read_profile_csv`), and a ``utilisation_frac`` file's mean is within
  :data:`dcplan.power_fleet.DATA_UTILISATION_TOL_FRAC` of ``fleet.utilisation_frac``
  (:func:`dcplan.power_fleet.check_data_utilisation`). ``dcplan render`` runs the same function before any
  run (:func:`check_site_data_files`, from :func:`dcplan.report_plan.site_file_problems`), so a mismatch is
  bad input (exit 2, the same message) there too, not a notebook failing at its ninth cell.
- :func:`data_step_s`, :func:`held_note`: a file coarser than the grid it is viewed on (an hourly file at
  1 s in the rack_power and cooling_lag notebooks) is step-held (:class:`dcplan.workload.DataProcess`:
  each value over its own interval, interval-ending labels), so every 1 s step within an hour is that
  hour's value; the note says so wherever such a view is published.
"""
from __future__ import annotations

from .errors import InputError

__all__ = ["data_file_problems", "check_site_data_files", "data_step_s", "step_words", "held_note"]


def _data_file(site) -> str | None:
    fleet = getattr(site, "fleet", None)
    return getattr(fleet, "data_file", None) if fleet is not None else None


def data_file_problems(site) -> list[tuple[str, str]]:
    """``(field, message)`` of each problem of ``site``'s ``fleet.data_file`` (none without one): the file
    does not read (``fleet.data_file``), or its ``utilisation_frac`` mean is not the fleet's
    ``utilisation_frac`` (``fleet.utilisation_frac``). ``dcplan validate`` and ``dcplan render`` both
    call this."""
    data_file = _data_file(site)
    if not data_file:
        return []
    from .power_fleet import check_data_utilisation
    from .workload import read_profile_csv
    try:
        data = read_profile_csv(site.path(data_file))
    except InputError as e:
        return [("fleet.data_file", str(e))]
    try:
        check_data_utilisation(site.fleet.utilisation_frac, data, data_file=str(data_file))
    except InputError as e:
        return [(e.field, e.detail)]
    return []


def check_site_data_files(sites) -> None:
    """Refuse, before any run, the sites whose measured load file :func:`data_file_problems` finds bad:
    one :class:`~dcplan.site.SiteError` naming each site file and field, as ``dcplan validate`` words it."""
    from .site import SiteError, combine_site_errors
    errors = [SiteError(s.source_file or f"site {s.id!r} (built in code)", problems)
              for s in sites if (problems := data_file_problems(s))]
    if errors:
        raise combine_site_errors(errors)


def data_step_s(site) -> float | None:
    """The step [s] of ``site``'s measured load file (``fleet.data_file``, workload ``data``); None for a
    synthetic workload."""
    if getattr(getattr(site, "fleet", None), "workload", None) != "data" or not _data_file(site):
        return None
    from .workload import read_profile_csv
    idx = read_profile_csv(site.path(_data_file(site))).index
    return float(idx.freq.nanos) / 1e9


def step_words(step_s: float) -> tuple[str, str]:
    """(adjective, interval) of a data step: ``("hourly", "hour")`` for 3,600 s, ``("15-min", "15 min")`` for
    900 s, ``("10 s", "10 s")`` for 10 s."""
    s = float(step_s)
    if s == 3600.0:
        return "hourly", "hour"
    if s % 3600 == 0:
        return f"{s / 3600:g}-hourly", f"{s / 3600:g} h"
    if s % 60 == 0:
        return f"{s / 60:g}-min", f"{s / 60:g} min"
    return f"{s:g} s", f"{s:g} s"


def held_note(site, step_s: float = 1.0, short: bool = False) -> str | None:
    """Words for a view of ``site``'s load at ``step_s`` [s] when its measured file is coarser (an hourly
    file at 1 s): each step within a data interval is that interval's value, held (no variation within it
    is in the data or modelled). ``short``: the form a label carries. None for a synthetic workload or a
    file at least as fine."""
    ds = data_step_s(site)
    if ds is None or ds <= float(step_s):
        return None
    adj, per = step_words(ds)
    f = site.fleet.data_file
    if short:
        return (f"each {step_s:g} s step holds {f}'s {adj} value (no sub-{per} variation; the load changes only "
                f"at {per} boundaries, in one step)")
    return (f"the site's measured load ({f}) is {adj}: every {step_s:g} s step within a {per} is that {per}'s "
            f"value, held (no sub-{per} variation: none is in the data or modelled), so the load changes only "
            f"at the {per} boundaries, in one step")
