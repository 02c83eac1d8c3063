"""A site's measured load file (fleet ``workload: data``, ``fleet.data_file``): its checks and its resolution.

- :func:`data_file_problems`: ``dcplan validate``'s checks of the file, ``(field, message)`` each: it reads
  (:func:`dcplan.workload.read_profile_csv`); it covers the site's weather year, the year every run is on
  (:func:`coverage_problem`); an ``it_kw`` file stays within the fleet's nameplate (every unit and its rack
  gear at full utilisation, :func:`dcplan.power_fleet.fleet_it_kw_at`); and ``fleet.utilisation_frac`` is
  what the file implies (:func:`check_data_utilisation`): a ``utilisation_frac`` file's mean, or the
  utilisation at which the fleet draws an ``it_kw`` file's mean power. ``dcplan render`` runs the same
  function before any run (:func:`check_site_data_files`, from :func:`dcplan.report_plan.site_file_problems`),
  so a bad file is bad input (exit 2, the same message) there too, not a notebook failing at its ninth cell.
- :func:`data_step_s`, :func:`held_note`: a file coarser than the grid it is viewed on (an hourly file at
  1 s in the rack_power and cooling_lag notebooks) is step-held (:class:`dcplan.workload.DataProcess`:
  each value over its own interval, interval-ending labels), so every 1 s step within an hour is that
  hour's value; the note says so wherever such a view is published.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .errors import DcplanWarning, InputError

__all__ = ["data_file_problems", "check_site_data_files", "check_data_utilisation", "coverage_problem",
           "DATA_UTILISATION_TOL_FRAC", "data_step_s", "step_words", "held_note"]

#: Largest difference between a fleet's ``utilisation_frac`` and the utilisation its measured file implies
#: (:func:`check_data_utilisation`): one percentage point, so the tokens, GPU-hours sold and revenue counted
#: at the field agree with the power the file drives.
DATA_UTILISATION_TOL_FRAC = 0.01

_IMPLIED = "tokens, GPU-hours sold and revenue are counted at fleet.utilisation_frac while the power follows the file"


def _data_file(site) -> str | None:
    fleet = getattr(site, "fleet", None)
    return getattr(fleet, "data_file", None) if fleet is not None else None


def data_file_problems(site) -> list[tuple[str, str]]:
    """``(field, message)`` of each problem of ``site``'s ``fleet.data_file`` (none without one): the file
    does not read or does not cover the weather year (:func:`coverage_problem`), or its ``it_kw`` peaks above
    the fleet's nameplate (``fleet.data_file``); ``fleet.utilisation_frac`` is not what the file implies
    (:func:`check_data_utilisation`). ``dcplan validate`` and ``dcplan render`` both call this."""
    data_file = _data_file(site)
    if not data_file:
        return []
    from .workload import read_profile_csv
    try:
        data = read_profile_csv(site.path(data_file))
    except InputError as e:
        return [("fleet.data_file", str(e) + _year_hint(site, data_file))]
    out = []
    bad = coverage_problem(site, data, str(data_file))
    if bad:
        out.append(("fleet.data_file", bad))
    if data.name == "it_kw":
        bad = _nameplate_problem(site, data, str(data_file))
        if bad:
            out.append(("fleet.data_file", bad))
    try:
        check_data_utilisation(site.fleet.utilisation_frac, data, data_file=str(data_file), fleet=site.fleet)
    except InputError as e:
        out.append((e.field, e.detail))
    return out


def check_data_utilisation(utilisation_frac: float, data: pd.Series, *, file: str | None = None,
                           data_file: str = "the data file", fleet=None) -> None:
    """InputError (field ``fleet.utilisation_frac``) when the utilisation a measured series implies differs
    from the fleet's ``utilisation_frac`` by more than :data:`DATA_UTILISATION_TOL_FRAC`.

    A ``utilisation_frac`` series implies its mean. An ``it_kw`` series (with ``fleet``, a Site's fleet or a
    FleetSpec) implies the utilisation ``u`` at which the fleet draws the file's mean power ``P``: the
    fleet's own power curve :func:`dcplan.power_fleet.fleet_it_kw_at` inverted. Where that curve is linear
    (the ``linear`` curve, no power cap binding), ``P(u) = P(0) + (P(1) - P(0)) u`` and the mean power is
    the power at the mean utilisation, so ``u = (P - P(0)) / (P(1) - P(0))`` exactly: 160 ``hgx-h100``
    (40 racks) draw 494 + 1,261 u kW, so a file averaging 1,199.7 kW implies u = 0.560. A mean below
    ``P(0)`` (the fleet idle) is refused on ``fleet.data_file``; one above ``P(1)`` is left to the
    nameplate check (:func:`data_file_problems`). Where the curve bends (``concave`` or ``convex``, or a
    cap binding) the mean power gives the mean utilisation only approximately (hours at different
    utilisations average differently), so a difference is a :class:`DcplanWarning` naming both values."""
    if not len(data):
        return
    uf = float(utilisation_frac)
    if data.name == "utilisation_frac":
        m = float(np.mean(np.asarray(data, dtype=float)))
        if abs(m - uf) > DATA_UTILISATION_TOL_FRAC:
            raise InputError(f"{uf:g}, but {data_file}'s utilisation_frac averages {m:.3f}: {_IMPLIED}; allowed: "
                             f"within {DATA_UTILISATION_TOL_FRAC:g} of the file's mean (set utilisation_frac: "
                             f"{m:.3f})", file=file, field="fleet.utilisation_frac")
    elif data.name == "it_kw" and fleet is not None:
        _check_it_kw_utilisation(uf, float(np.mean(np.asarray(data, dtype=float))), getattr(fleet, "fleet", fleet),
                                 file, data_file)


def _check_it_kw_utilisation(uf: float, m: float, fleet, file, data_file) -> None:
    """:func:`check_data_utilisation` of an ``it_kw`` file averaging ``m`` kW."""
    from .power_fleet import fleet_it_kw_at
    u = np.linspace(0.0, 1.0, 1001)
    p = fleet_it_kw_at(fleet, u)
    p0, p1 = float(p[0]), float(p[-1])
    if not p1 > p0:   # no units, or no power that follows the utilisation: nothing to invert
        return
    linear = float(np.max(np.abs(p - (p0 + (p1 - p0) * u)))) <= 1e-9 * p1
    tol = DATA_UTILISATION_TOL_FRAC
    if linear:
        implied = (m - p0) / (p1 - p0)
        if implied < -tol:
            raise InputError(f"{data_file}'s it_kw averages {m:,.1f} kW, below the fleet's idle power {p0:,.5g} kW "
                             "(every phase's units and rack gear at utilisation 0): no utilisation_frac draws it; "
                             "the fleet counts more units than the data draw, or the data are not in kW; allowed: "
                             f"a mean of at least {p0:,.5g} kW", file=file, field="fleet.data_file")
        if implied <= 1.0 + tol and abs(implied - uf) > tol:
            raise InputError(f"{uf:g}, but {data_file}'s it_kw averages {m:,.1f} kW, which the fleet draws at "
                             f"utilisation {implied:.3f} (its IT power is {p0:,.5g} + {p1 - p0:,.5g} x utilisation "
                             f"kW, every phase's units and rack gear): {_IMPLIED}; allowed: within {tol:g} of the "
                             f"utilisation the file implies (set utilisation_frac: {implied:.3f})",
                             file=file, field="fleet.utilisation_frac")
        return
    # a bent curve: the utilisations drawing m kW (an interval where a cap holds it flat)
    lo = float(u[min(int(np.searchsorted(p, m - 1e-9 * p1, side="left")), len(u) - 1)])
    hi = float(u[max(int(np.searchsorted(p, m + 1e-9 * p1, side="right")) - 1, 0)])
    lo, hi = min(lo, hi), max(lo, hi)
    if lo - tol <= uf <= hi + tol:
        return
    why = [f"fleet.curve {fleet.curve}"] if fleet.curve != "linear" else []
    why += [f"fleet.{k} {getattr(fleet, k):g}" for k in ("cap_w_per_accelerator", "cap_kw_per_unit")
            if getattr(fleet, k, None) is not None]
    at = f"{lo:.3f}" if hi - lo < 1e-3 else f"{lo:.3f} to {hi:.3f}"
    where = f"{file}: " if file else ""
    warnings.warn(f"{where}fleet.utilisation_frac {uf:g}, but {data_file}'s it_kw averages {m:,.1f} kW, which the "
                  f"fleet draws at a constant utilisation of {at} ({p0:,.5g} kW idle to {p1:,.5g} kW at full "
                  f"utilisation): {_IMPLIED}. The fleet's power is not linear in its utilisation "
                  f"({', '.join(why) or 'a power cap'}), so the mean power gives the mean utilisation only "
                  "approximately and this is not refused: check utilisation_frac against the fleet's measured "
                  "utilisation", DcplanWarning, stacklevel=3)


def _local(ts, tz) -> str:
    return pd.Timestamp(ts).tz_convert(tz).strftime("%Y-%m-%d %H:%M")


def _required_period(site) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(start, end) instants the runs' hourly grid covers: the weather year's first hour's start to its last
    label (interval-ending), on the site's clock. From the site's weather when it loads (a zone a half hour off
    the weather station's keeps its labels at half past, :func:`dcplan.weather._civil_year`), else the civil
    year: 1 Jan 00:00 to 1 Jan 00:00 of the next year."""
    from .pipeline import site_weather
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the weather's own caveats are the weather check's to say
            idx = site_weather(site, copy=False).index
        return idx[0] - pd.Timedelta(hours=1), idx[-1]
    except (InputError, OSError, ValueError):
        y, tz = int(site.weather.year), site.timezone
        return pd.Timestamp(year=y, month=1, day=1, tz=tz), pd.Timestamp(year=y + 1, month=1, day=1, tz=tz)


def coverage_problem(site, data: pd.Series, data_file: str) -> str | None:
    """The message when ``data`` (read from ``data_file``, interval-ending labels) does not cover the
    period every run is on, the site's weather year (``weather.year``) on the site's clock
    (:func:`_required_period`): the file's own period, the one required, both in the site's local time."""
    tz = site.timezone
    step = pd.Timedelta(data.index.freq) if data.index.freq is not None else data.index[1] - data.index[0]
    have0, have1 = data.index[0] - step, data.index[-1]
    need0, need1 = _required_period(site)
    if have0 <= need0 and have1 >= need1:
        return None
    years = _years(data.index, tz)
    year = int(site.weather.year)
    of = (f"; its timestamps are in {', '.join(map(str, years))}, not the weather year {year}"
          if year not in years else "")
    return (f"{data_file} covers {_local(have0, tz)} .. {_local(have1, tz)} ({tz}), not the site's weather year: "
            f"every run is on weather.year {year}, {_local(need0, tz)} .. {_local(need1, tz)} ({tz}){of}; "
            f"allowed: a file covering that whole year (its timestamps in {year}, interval-ending)")


def _years(idx: pd.DatetimeIndex, tz) -> list[int]:
    """The calendar years (on ``tz``'s clock) of the intervals that end at ``idx``: a file of 2025 ends at
    1 Jan 2026 00:00, which is 2025's last hour."""
    return sorted(set((idx.tz_convert(tz) - pd.Timedelta(seconds=1)).year))


def _year_hint(site, data_file) -> str:
    """For a file that does not read: its timestamps' years when none is the weather year (a 2024 file at a
    2025 site reads as a gap at 29 February), else nothing."""
    try:
        raw = pd.read_csv(site.path(data_file), usecols=["timestamp"])["timestamp"].astype(str)
        idx = pd.DatetimeIndex(pd.to_datetime(raw, utc=True, format="ISO8601", errors="coerce")).dropna()
        years = _years(idx, site.timezone)
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    year = int(site.weather.year)
    if not years or year in years:
        return ""
    return (f"; and its timestamps are in {', '.join(map(str, years))}, not the site's weather year "
            f"{year} (weather.year): the file must cover {year}")


def _nameplate_problem(site, data: pd.Series, data_file: str) -> str | None:
    """The message when a measured ``it_kw`` peaks above the fleet's nameplate (every unit and its rack gear at
    full utilisation, at the spec's caps: :func:`dcplan.power_fleet.fleet_it_kw_at` at 1), as
    :func:`dcplan.pipeline._check_design_against_load` refuses it in a run."""
    from .power_fleet import fleet_it_kw_at
    try:
        nameplate = float(fleet_it_kw_at(site.fleet, 1.0))
    except InputError:
        return None  # the fleet's own problem, reported on its field
    arr = np.asarray(data, dtype=float)
    i = int(np.argmax(arr))
    if arr[i] <= nameplate * (1.0 + 1e-9):
        return None
    n = int((arr > nameplate * (1.0 + 1e-9)).sum())
    return (f"{data_file}'s it_kw peaks at {arr[i]:,.0f} kW (interval ending {_local(data.index[i], site.timezone)} "
            f"{site.timezone}; {n:,} of {len(arr):,} rows above), above the fleet's nameplate {nameplate:,.0f} kW "
            "(every phase's units and rack gear at full power): the fleet counts fewer units than the data draw, "
            "or the data are not in kW; allowed: at most the nameplate")


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
