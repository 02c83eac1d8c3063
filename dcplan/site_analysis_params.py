"""The site-analysis notebook's parameters: the check that involves a parameter and the site.

``-p cooling KEY`` gives every site of a render the reference plant ``KEY``
(:data:`dcplan.pipeline.REFERENCE_PLANTS`); the air plant cannot cool a fleet of liquid-cooled-only
units (GB200 NVL72) or of air-cooled racks of 60 kW or more (:func:`dcplan.pipeline.with_reference_plant`
refuses it). ``dcplan render`` calls :func:`precheck` for every site before any run (named in the
notebook's metadata ``dcplan.precheck``): such a site's run is *not applicable*, saying why and which plants
it takes, and the other sites render (it failed in the notebook's set-up cell, and the render exited 1).
A papermill or JupyterLab run of the notebook still raises the error itself. Imports nothing heavy unless
``-p cooling`` names a reference plant (render's own process calls it).
"""
from __future__ import annotations

import warnings
from typing import Any, Mapping

__all__ = ["plant_problem", "precheck"]


def plant_problem(site, cooling: str) -> str | None:
    """Why the reference plant ``cooling`` cannot cool ``site``'s fleet
    (:func:`dcplan.pipeline.with_reference_plant`'s refusal), or None: it can, or ``cooling`` is
    ``"site"`` or ``""`` (the site's own plant)."""
    if cooling in ("site", ""):
        return None
    from .errors import DcplanWarning, InputError
    from .pipeline import with_reference_plant
    try:
        with warnings.catch_warnings():  # a liquid plant on air-cooled servers warns in the run itself
            warnings.simplefilter("ignore", DcplanWarning)
            with_reference_plant(site, cooling)
    except InputError as e:
        return e.detail
    return None


def precheck(params: Mapping[str, Any], site, given) -> str | None:
    """``dcplan render``'s check before any run: with ``-p cooling`` given (``given``, the ``-p`` names), why
    the plant does not apply to ``site`` (its run is then not applicable), else None."""
    if site is None or "cooling" not in set(given):
        return None
    why = plant_problem(site, str(params["cooling"]))
    return None if why is None else f"-p cooling {params['cooling']}: {why}"
