"""A sweep case's plausibility warnings: ``dcplan validate``'s for the site each case runs.

Each case's site, its overrides applied, gets :func:`dcplan.site_plausibility.site_warnings` (a request
below the fleet's design IT, a contract below its design facility power, a cap that never binds, ...), as
``dcplan validate`` and ``dcplan render`` give them for a site file. A sweep gave none before: a case of
800,000 GPUs on a 10 MW request ran without a word, its ``hours_over_contract_h`` of 8,760 the only sign.

Each text says which case it is of, ``<validate's text> [sweep case <site> with <path>=<value>, ...]``: the
file the text names is the base site's file, the values are the case's. The sweep shows the first of each
kind in full and counts the others (:class:`dcplan.sweep_messages.WarningTally`). Two checks are left out,
both of a plant a ``cooling.type`` axis sets on purpose: :func:`dcplan.site_plausibility.air_plant_warnings`
(a liquid loop's key on an air plant, ignored: a sweep's ``fixed`` sets such a key for its liquid cases, which
its air cases ignore by design, as the example sweep's ``cooling.liquid_class``) and
:func:`~dcplan.site_plausibility.air_server_on_liquid_warnings` (air-cooled servers run as direct-liquid-cooled
versions of themselves: the example sweep says so in its comments, the ``portfolio_sweep`` notebook beside a best
case that is one, :func:`dcplan.portfolio_sweep_notes.air_server_liquid_note`); ``dcplan validate`` still says
both of a site file.

**Cost.** All the checks cost about 35 ms once the weather is read (2026-12-07, a 2-core VM, against about 55 ms
for a case of the hourly chain), most of it the contract check's worst hour of the typical year
(:func:`dcplan.site_plausibility.contract_warnings`).
Those that read neither ``solar``, ``tariff``, ``finance`` nor ``grid_carbon_kg_per_mwh``
(:func:`dcplan.site_plausibility.site_checks`' first group) are kept per process by the rest of the site
(:func:`case_warnings`), so a sweep of PV sizes, tariffs or finance figures runs them once per site and
the few others (about 6 ms) every case; a sweep of fleets, plants or requests runs all of them every case.
"""
from __future__ import annotations

import functools
import json
import warnings

from .errors import DcplanWarning

__all__ = ["case_warnings", "case_label", "warn_case"]


def _unread() -> dict:
    """The site fields the first group of checks does not read, each set to the value a site file
    without it gets (so two sites differing only there share one key)."""
    from .specs import FinanceSpec, SolarSpec
    return {"solar": SolarSpec(), "tariff": None, "finance": FinanceSpec(), "grid_carbon_kg_per_mwh": None}


def _checks() -> tuple[tuple, tuple]:
    """:func:`dcplan.site_plausibility.site_checks` without the two of a plant (the module docstring)."""
    from .site_plausibility import air_plant_warnings, air_server_on_liquid_warnings, site_checks
    left_out = (air_plant_warnings, air_server_on_liquid_warnings)
    return tuple(tuple(c for c in group if c not in left_out) for group in site_checks())


@functools.lru_cache(maxsize=256)
def _plant_texts(key_site) -> tuple[str, ...]:
    return tuple(text for check in _checks()[0] for text in check(key_site))


def case_warnings(site) -> list[str]:
    """:func:`dcplan.site_plausibility.site_warnings` of ``site`` but the two of a plant (the module docstring),
    the first group's kept per process by the fields it reads."""
    plant, other = _checks()
    key = site.model_copy(update=_unread())
    try:
        texts = list(_plant_texts(key))
    except TypeError:  # an unhashable field (a site built in Python with a list in it): run them
        texts = [text for check in plant for text in check(site)]
    return texts + [text for check in other for text in check(site)]


def case_label(site_id: str, overrides: dict) -> str:
    """``sweep case <site> with <path>=<value>, ...`` (``sweep case <site>`` without overrides)."""
    parts = [f"{path}={json.dumps(value, default=str)}" for path, value in (overrides or {}).items()]
    return f"sweep case {site_id}" + (f" with {', '.join(parts)}" if parts else "")


def warn_case(site, overrides: dict) -> list[str]:
    """Issue :func:`case_warnings` of ``site`` (a case's site, its ``overrides`` applied) as
    :class:`~dcplan.errors.DcplanWarning`, each followed by :func:`case_label` in brackets; returns their texts."""
    label = case_label(site.id, overrides)
    texts = [f"{text} [{label}]" for text in case_warnings(site)]
    for text in texts:
        warnings.warn(text, DcplanWarning, stacklevel=2)
    return texts
