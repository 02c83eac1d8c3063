"""The rack_power notebook's parameters: the per-GPU cap against the site's hardware.

The notebook's metadata rules (:func:`dcplan.report_params.notebook_rules`) check each parameter
alone (``cap_w_per_accelerator`` > 0 or -1, ``cap_tdp_frac`` in (0, 1]). Whether the cap is at
least the idle power of every accelerator the site's fleet holds (data/hardware.csv
``accelerator_idle_w``: no cap holds a switched-on GPU below idle,
:func:`dcplan.power.fleet_cap_notes`) depends on the site, so it is here, used from one source:
by the notebook's parameter cell (:func:`check`, before anything is computed), and by
``dcplan render`` before any run (:func:`precheck`, named in the notebook's metadata
``dcplan.precheck``), so ``-p cap_w_per_accelerator 50`` on an H100 fleet (70 W idle) is bad
input (exit 2), not a run failing in its setup cell.

The cap compared (with no per-GPU cap) is ``cap_w_per_accelerator`` [W], or with -1 (the default) the
site's own ``fleet.cap_w_per_accelerator`` when it has one (the cap the site runs with, against none:
what the site's design IT label and its 1 s figures, all of the fleet as it runs, rest on; a looser
illustrative cap would compare a fleet the site does not run), else ``cap_tdp_frac`` x the TDP of the
fleet's main accelerator (:func:`dcplan.power.default_cap_w`). A fleet without accelerators has no
per-GPU cap to compare (None).

The model is imported only when a cap parameter is checked (render's own process calls
:func:`precheck` for every site, and pandas is slow to import).
"""
from __future__ import annotations

from typing import Any, Mapping

from .errors import InputError

__all__ = ["cap_w", "site_cap_w", "cap_problem", "check", "precheck"]

_CAP_PARAMETERS = frozenset({"cap_w_per_accelerator", "cap_tdp_frac"})


def cap_w(params: Mapping[str, Any], site) -> float | None:
    """The per-GPU cap the notebook compares [W]: ``cap_w_per_accelerator``, or at -1 the site's own
    ``fleet.cap_w_per_accelerator`` when it has one, else ``cap_tdp_frac`` x the TDP of the fleet's
    main accelerator; None for a fleet without accelerators."""
    from . import power
    if power.main_accelerator(site) is None:
        return None
    if float(params["cap_w_per_accelerator"]) == -1:
        own = site_cap_w(site)
        return own if own is not None else power.default_cap_w(site, params["cap_tdp_frac"])
    return float(params["cap_w_per_accelerator"])


def site_cap_w(site) -> float | None:
    """The site file's own ``fleet.cap_w_per_accelerator`` [W], or None."""
    own = getattr(getattr(site, "fleet", None), "cap_w_per_accelerator", None)
    return None if own is None else float(own)


def cap_problem(params: Mapping[str, Any], site) -> InputError | None:
    """The error of a cap below the idle power of an accelerator of ``site``'s fleet (field
    ``cap_w_per_accelerator``, or ``cap_tdp_frac`` when the cap is that share of the TDP), or None."""
    from . import power
    cap = cap_w(params, site)
    if cap is None:
        return None
    try:
        power.fleet_cap_notes(site, cap)
    except InputError as e:
        if float(params["cap_w_per_accelerator"]) != -1:
            return InputError(e.detail, field="cap_w_per_accelerator")
        return InputError(f"{float(params['cap_tdp_frac']):g} gives {cap:g} W per GPU: {e.detail}", field="cap_tdp_frac")
    return None


def check(params: Mapping[str, Any], site) -> float | None:
    """The notebook's check (its parameter cell): raise :func:`cap_problem`, else return the cap
    compared (:func:`cap_w`)."""
    err = cap_problem(params, site)
    if err is not None:
        raise err
    return cap_w(params, site)


def precheck(params: Mapping[str, Any], site, given) -> None:
    """``dcplan render``'s check before any run: raise :func:`cap_problem` as ``-p NAME`` (the
    parameter the cap comes from), naming the site, when the user set a cap parameter (``given``,
    the ``-p`` names). The notebook's defaults alone are left to the run."""
    if site is None or not _CAP_PARAMETERS & set(given):
        return None
    err = cap_problem(params, site)
    if err is not None:
        raise InputError(f"site {site.id!r}: {err.detail}", field=f"-p {err.field}")
    return None
