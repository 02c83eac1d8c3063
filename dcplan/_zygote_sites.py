"""The render's own sites, warmed in its zygote (:mod:`dcplan._kernel_zygote`) before kernels are forked.

Render names the site YAMLs it will run (:func:`write_sites`, through ``Zygote.warm_sites``); the zygote
reads that list (:class:`SiteWarmUp`) and runs each site's year, freeze check and climate screen
(:func:`warm_site`) as one warm-up step. The warm-up then empties dcplan's caches as it always does, except
:data:`KEPT_CACHES`: pure functions of numbers that read no file. So a kernel forked after its site is warmed
does not solve its cooling tower's tables again (about 0.3 s, in nearly every run of a tower site), and still
reads every file itself. A kernel forked before gets no table and solves it, as a fresh process does.

Imported by the zygote and by render only: the launcher runs ``_kernel_zygote`` as a script without dcplan.
"""
from __future__ import annotations

import functools
import json
import os
import sys

#: Caches a warm-up leaves filled (``_zygote_warmup._clear_dcplan_caches`` empties every other one): pure
#: functions of numbers that read no file, so a kernel forked with them filled gets what it would compute
#: itself, with the same code (the zygote's modules are the kernel's). A cooling tower design's Merkel table
#: is about 0.3 s a process, and nearly every run of a site needs its own site's (the plant, its design hour);
#: a free-cooling limit by Merkel's method about 0.15 s.
KEPT_CACHES = ("dcplan.thermal_tower_merkel._approach_table", "dcplan.thermal_tower_merkel._design_ntu",
               "dcplan.thermal_plant_params._merkel_limit")

#: The file in the zygote's folder where the render names the site YAMLs it will run (:func:`write_sites`).
SITES_FILE = "sites.json"
#: At most this many sites are warmed (about 0.6 s of CPU each, in the zygote, beside the runs).
MAX_WARM_SITES = 64


def kept_ids() -> set[int]:
    """The ``id`` of each of :data:`KEPT_CACHES` imported so far: matched by identity, since a module that
    imports a kept function (``thermal_screen_basis`` imports ``_merkel_limit``) holds the same cache under its
    own name."""
    kept = set()
    for qual in KEPT_CACHES:
        mod_name, _, attr = qual.rpartition(".")
        if (obj := getattr(sys.modules.get(mod_name), attr, None)) is not None:
            kept.add(id(obj))
    return kept


def write_sites(folder: str, paths) -> None:
    """Write the site YAMLs ``paths`` (in run order, each once) to ``folder``'s :data:`SITES_FILE`."""
    write_for_zygote(folder, SITES_FILE, [str(p) for p in dict.fromkeys(paths)])


def write_for_zygote(folder: str, name: str, value) -> None:
    """Write ``value`` as JSON to ``folder``'s file ``name``, whole or not at all (the zygote never reads half
    a file). Nothing is raised: what the render tells its zygote is an optimisation only."""
    dest = os.path.join(folder, name)
    tmp = dest + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(value, f)
        os.replace(tmp, dest)
    except OSError:
        pass


def warm_site(path: str) -> None:
    """A site's year (:func:`dcplan.pipeline.run_site_year`), its freeze check and its climate screen at
    design IT, as the notebooks run them: fills :data:`KEPT_CACHES` for its plant (tower tables, free-cooling
    limits)."""
    from dcplan import pipeline, site_climate_checks, thermal_screen_basis, weather
    from dcplan.site import load_site
    spec = load_site(path)
    y = pipeline.run_site_year(spec)
    site_climate_checks.freeze_figures(spec, y.weather)
    thermal_screen_basis.free_cooling_limits_at_design_it(weather.load_site_weather(spec), spec.cooling)


class SiteWarmUp:
    """The site warm-up steps, once the render has written :data:`SITES_FILE` at ``path`` (each site once)."""

    def __init__(self, path: str):
        self.path = path
        self.done = False

    def steps(self) -> list:
        """The steps (one :func:`warm_site` each) the first time the file is there and reads as a list of
        paths; else, and every later time, none."""
        if self.done or not os.path.exists(self.path):
            return []
        self.done = True
        try:
            with open(self.path, encoding="utf-8") as f:
                paths = json.load(f)
        except (OSError, ValueError):
            return []
        if not isinstance(paths, list):
            return []
        return [functools.partial(warm_site, p) for p in paths[:MAX_WARM_SITES] if isinstance(p, str)]
