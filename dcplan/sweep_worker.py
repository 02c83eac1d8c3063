"""Worker side of :mod:`dcplan.sweep`: run one case, with per-process input caches.

A worker (this process, a local process-pool worker or a Dask worker) resolves the
case function from its ``"module:function"`` name once, applies the case's
overrides to the site (:func:`dcplan.sweep.apply_overrides`) and calls the function.
Weather and tariff files are parsed once per worker process: :func:`site_weather`
and :func:`site_tariff` (from :mod:`dcplan.pipeline`, one cache for both) keep them
in an LRU cache keyed by the resolved file path, its modification time and size, so
an edited file is re-read and an unchanged one never is. A case function that declares a ``weather`` or ``tariff`` parameter gets
the cached objects passed in (a copy of the weather frame, so a case cannot change
the next case's input).
"""
from __future__ import annotations

import collections
import functools
import importlib
import inspect
import os
import socket
import threading
import time
import traceback
import warnings
from pathlib import Path
from typing import Any, Callable

from .errors import InputError

__all__ = ["site_weather", "site_tariff", "load_counts", "clear_caches", "resolve_case", "run_case", "run_cases",
           "climate_figures", "RESERVED_COLUMNS", "keep_figures"]

#: Columns the engine writes; a case function may not return these keys (except ``site``
#: equal to the case's site id, which is dropped).
RESERVED_COLUMNS = ("case_id", "site", "status", "error", "seconds", "cpu_s", "worker",
                    "overrides_json")

# One per-process cache of weather and tariffs, shared with the pipeline (see there).
from .pipeline import clear_caches, load_counts, site_tariff, site_weather  # noqa: E402


@functools.lru_cache(maxsize=16)
def resolve_case(name: str) -> Callable:
    """Import ``"package.module:function"`` (cached per process).

    Raises
    ------
    InputError
        When the module or function cannot be found (field ``case``).
    """
    mod_name, _, fn_name = str(name).partition(":")
    if not mod_name or not fn_name:
        raise InputError(f"case function must be 'module:function', got {name!r}", field="case")
    try:
        mod = importlib.import_module(mod_name)
    except ModuleNotFoundError as e:
        raise InputError(f"case function {name!r}: cannot import {e.name!r} ({e})", field="case") from None
    fn = getattr(mod, fn_name, None)
    if not callable(fn):
        public = [k for k in dir(mod) if not k.startswith("_") and callable(getattr(mod, k))]
        from ._ts import did_you_mean
        raise InputError(f"case function {name!r}: module {mod_name!r} has no function "
                         f"{fn_name!r}{did_you_mean(fn_name, public)}", field="case")
    return fn


@functools.lru_cache(maxsize=16)
def _wants(name: str) -> tuple[bool, bool]:
    params = inspect.signature(resolve_case(name)).parameters
    named = {k for k, p in params.items()
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return "weather" in named, "tariff" in named


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _error_text(err: BaseException) -> str:
    tb = traceback.extract_tb(err.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(err).__name__}: {err}{where}"


#: The attribute :func:`keep_figures` sets on a case function's error: ``(part, figures)``.
_KEPT = "dcplan_sweep_kept_figures"


def keep_figures(err: BaseException, figures: dict, part: str) -> BaseException:
    """Mark ``err``, raised by a case function after it had ``figures`` (its row's columns so far), as the failure
    of ``part`` of the case (``"the TCO"``): the sweep's row of the case is ``failed``, keeps ``figures`` and says
    in ``error`` which part failed and why (:func:`run_case`), as the default case's failed row keeps its rack
    figures. Returns ``err`` itself, to be re-raised (its type, message and traceback unchanged: a caller outside a
    sweep catches it as before). A case function of your own may use it likewise."""
    setattr(err, _KEPT, (str(part), dict(figures)))
    return err


def run_case(case_fn: str, site, overrides: dict, base_dir: str | None, cid: str) -> dict[str, Any]:
    """Run one case in this process and return its row; never raises for a case error.

    The row holds ``case_id``, ``status`` (``"ok"`` / ``"failed"``), ``error`` (text
    or ``None``), ``seconds`` (wall time of this case in the worker), ``cpu_s`` (CPU
    time of the worker process meanwhile; below ``seconds`` when the core was shared)
    and ``worker`` (``host:pid``), plus the figures the case function returned. The case's
    warnings are caught, not printed, and sent back as ``_warnings`` (when there are any: the sweep
    shows each kind once and drops the key, :mod:`dcplan.sweep_messages`).
    """
    from .sweep_messages import capture_warnings
    with capture_warnings() as caught:
        row = _run_case(case_fn, site, overrides, base_dir, cid)
    if caught:
        row["_warnings"] = caught
    return row


def _run_case(case_fn: str, site, overrides: dict, base_dir: str | None, cid: str) -> dict[str, Any]:
    from .errors import DcplanWarning
    from .sweep_checks import case_label, warn_case
    from .sweep_spec import apply_overrides
    t0, c0 = time.perf_counter(), time.process_time()
    row: dict[str, Any] = {"case_id": cid, "status": "ok", "error": None}
    s = None
    try:
        fn = resolve_case(case_fn)
        s = apply_overrides(site, overrides, base_dir)
        want_w, want_t = _wants(case_fn)
        kw = {}
        if want_w:
            kw["weather"] = site_weather(s)
        if want_t:
            kw["tariff"] = site_tariff(s)
        row.update(_row_figures(case_fn, fn(s, **kw), s, site))
    except Exception as err:  # a failing case is a row, not a crash
        row = {"case_id": cid, "status": "failed", **_failed_figures(case_fn, err, s, site)}
    if s is not None:  # dcplan validate's plausibility warnings of the case's site, a failed case's too (they
        try:           # may say why); a check that cannot run is said, and leaves the case's figures as they are
            try:
                warn_case(s, overrides)
            except Exception as err:
                if isinstance(err, Warning):
                    raise
                warnings.warn(f"the plausibility checks of {case_label(s.id, overrides)} could not run: "
                              f"{_error_text(err)}", DcplanWarning, stacklevel=2)
        except Warning as err:  # a warnings filter set to "error": the case fails with it, as with its own warnings
            row = {"case_id": cid, "status": "failed", "error": _error_text(err)}
    row["seconds"] = time.perf_counter() - t0
    row["cpu_s"] = time.process_time() - c0
    row["worker"] = _worker_name()
    return row


def _row_figures(case_fn: str, figs, s, site) -> dict[str, Any]:
    """A case function's figures ``figs`` as row columns (numbers as floats, text, None), ``site`` dropped when it is
    the case's (the engine writes it); a result that is not a dict, a reserved key or a figure of another type is
    refused (the case fails with it)."""
    if not isinstance(figs, dict):
        raise TypeError(f"case function {case_fn} returned {type(figs).__name__}, not a dict "
                        "of figures")
    if "site" in figs and figs["site"] in (s.id, site.id):
        figs = {k: v for k, v in figs.items() if k != "site"}  # the engine writes it already
    clash = [k for k in figs if k in RESERVED_COLUMNS]
    if clash:
        raise ValueError(f"case function {case_fn} returned reserved key {clash[0]!r}; "
                         f"reserved: {', '.join(RESERVED_COLUMNS)}")
    return {str(k): _scalar(v, k) for k, v in figs.items()}


def _failed_figures(case_fn: str, err: BaseException, s, site) -> dict[str, Any]:
    """A failed case's ``error`` and the figures its row keeps: those the case function had when a part of it
    failed (:func:`keep_figures`; the error then names that part), else :func:`_known_figures`."""
    kept = getattr(err, _KEPT, None)
    if kept is not None and s is not None:
        part, figs = kept
        try:
            figs = _row_figures(case_fn, figs, s, site)
        except Exception:  # noqa: BLE001 - figures that are no row's: the case's own error is the row's
            figs = None
        if figs is not None:
            return {"error": f"{part} failed (the row keeps the figures computed before it): {_error_text(err)}",
                    **figs}
    return {"error": _error_text(err), **_known_figures(case_fn, s)}


def _known_figures(case_fn: str, site) -> dict[str, Any]:
    """The figures a failed case of :func:`dcplan.pipeline.case_figures` had
    before it failed (and of :func:`dcplan.sweep_tco.case_tco`, built on its row, whose site year failed): its rack
    layout's ``racks_total`` [racks] and ``rack_kw_max`` [kW/rack]
    (:func:`dcplan.rack_density.rack_row_figures`), which follow from the site's fleet alone (``site``: the case's,
    overrides applied; None when they could not be). An air-cooled case whose racks an air plant cannot cool (at or
    above :data:`~dcplan.catalog_bands.LIQUID_RACK_MIN_KW`) fails in the plant model; its row still says how many
    racks of how many kW, the figures a rack-density axis is read on. ``{}`` for another case function, or when the
    layout itself cannot be computed."""
    from .sweep_spec import DEFAULT_CASE, TCO_CASE
    if site is None or case_fn not in (DEFAULT_CASE, TCO_CASE):
        return {}
    try:
        from .rack_density import rack_row_figures
        return {k: _scalar(v, k) for k, v in rack_row_figures(site, check_air=False).items()}
    except Exception:  # noqa: BLE001 - the case's own error is the row's
        return {}


#: Set by the sweep in a local pool's workers when it stops (Ctrl-C, SIGTERM): a task that
#: starts or goes on afterwards runs no further case (see :func:`pool_worker_init`).
_STOP = None


def pool_worker_init(stop) -> None:
    """Initializer of a local sweep pool's worker processes: Ctrl-C in a terminal (SIGINT to
    the whole process group) is the sweep's to handle, not the workers' (their running cases
    finish and are kept; a second Ctrl-C terminates them), and ``stop``, a shared
    ``multiprocessing.RawValue`` (no lock a killed worker could leave taken), set to 1 tells
    :func:`run_cases` to start no further case."""
    import signal
    global _STOP
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _STOP = stop


def run_cases(case_fn: str, items: list[tuple], today: tuple[str, bool] | None = None) -> list[dict[str, Any]]:
    """Run several cases in one task: ``items`` are :func:`run_case`'s ``(site, overrides,
    base_dir, case_id)``; returns their rows in order (a failing case is a row here too).
    Once the sweep stops (:func:`pool_worker_init`), the rows of the cases run so far:
    the rest were not run (a later run of the sweep runs them).

    ``today``: the date the sweep started with (:func:`dcplan.plan_dates.today_state`, in the process that submits
    the cases), the cases' today (:func:`dcplan.plan_dates.fixed_today`): a site without ``as_of`` counts its
    months waited for power (:func:`dcplan.plan_dates.with_wait`) to it, not to this worker's own date or
    ``DCPLAN_TODAY``, so every case of a sweep is conditioned as of one day. None: this process's today."""
    from .plan_dates import fixed_today
    out = []
    with fixed_today(today):
        for it in items:
            if _STOP is not None and _STOP.value:
                break
            out.append(run_case(case_fn, *it))
    return out


def _scalar(v: Any, key: str) -> float | str | None:
    import numpy as np
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return float(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    raise TypeError(f"figure {key!r} is a {type(v).__name__}; figures must be numbers or strings")


# ---------------------------------------------------------------------------
# A case function that needs only the weather module

#: Upper limit of the recommended server inlet envelope, 27 degC: ASHRAE TC 9.9,
#: "Thermal Guidelines for Data Processing Environments", 5th ed. (2021). [degC]
AIR_INLET_MAX_DEGC = 27.0


def climate_figures(site, weather=None) -> dict[str, float | str]:
    """Climate key figures of a site for its cooling type (a weather-only case function).

    Figures: :func:`dcplan.weather.climate_summary` plus ``free_cooling_max_h``, the
    hours per year outdoor air alone could hold the cooling supply temperature with
    zero approach (an upper bound on economizer hours): for ``cooling.type: liquid``
    the ASHRAE liquid class's facility-water supply limit (W32 -> 32 degC; ASHRAE TC 9.9
    liquid cooling classes, 2021) against wet bulb (cooling tower) or, with
    ``heat_rejection: dry`` or class W45, dry bulb; for ``air`` the 27 degC inlet
    limit against dry bulb (air-side economizer). Also ``units_total`` (units in the
    fleet) and ``solar_dc_kw``, so fleet and PV overrides show in the table.

    Parameters
    ----------
    site : Site
    weather : pandas.DataFrame, optional
        The site's hourly weather (the sweep passes its per-worker cached copy);
        default: :func:`site_weather`.
    """
    from .weather import climate_summary, free_cooling_hours
    w = site_weather(site, copy=False) if weather is None else weather
    c = site.cooling
    if c.type == "liquid" and c.liquid_class:
        supply = float(c.liquid_class[1:])
        wet = (c.heat_rejection or ("dry" if c.liquid_class == "W45" else "tower")) == "tower"
    else:
        supply, wet = AIR_INLET_MAX_DEGC, False
    out: dict[str, float | str] = dict(climate_summary(w))
    out["free_cooling_max_h"] = free_cooling_hours(w, supply, 0.0, wet)
    out["units_total"] = float(sum(p.count for p in site.fleet.phases))
    out["solar_dc_kw"] = float(site.solar.dc_kw)
    out["cooling_type"] = c.type
    return out
