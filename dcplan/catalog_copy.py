"""An edited copy of a data catalog beside a portfolio or site: said, since dcplan does not read it.

dcplan reads its data catalogs (:data:`CATALOG_FILES`: ``costs.csv``, ``hardware.csv``,
``cooling_defaults.csv``, ``interconnection.csv``, ``equipment_lead_times.csv`` and the example series
``system_load_example.csv``) only from the bundled ``data/`` (:func:`dcplan.paths.data_path`), whereas a
site's weather and tariff files are looked for beside its YAML first (:mod:`dcplan.site_files`). A
planner who copies ``data/`` (``cp -a data proj/data``), edits ``proj/data/costs.csv`` and renders
``--portfolio data/portfolio.yaml`` from ``proj`` got the copy's sites, weather and tariffs with the
bundled prices, and nothing said so. :func:`catalog_copy_warnings` names each such copy that differs
from the bundled file (both full paths), says the bundled one is read and how to change a value the
supported way (:data:`HOW_TO_CHANGE`); ``dcplan render`` and ``dcplan validate`` issue them
(:func:`warn_catalog_copies`), once per copy. Which file is read does not change.

Looked in: the portfolio's (or site file's) folder and that folder's parent (``proj/data/portfolio.yaml``
and ``proj/data/sites/x.yaml`` both find ``proj/data/costs.csv``). A byte-identical copy is not warned
(it changes nothing), nor is the bundled ``data/`` itself.
"""
from __future__ import annotations

import filecmp
import warnings
from pathlib import Path

from .errors import DcplanWarning
from .paths import data_dir, doc_ref

__all__ = ["CATALOG_FILES", "HOW_TO_CHANGE", "catalog_copies", "catalog_copy_warnings", "warn_catalog_copies"]

#: The files dcplan reads only from the bundled data/ (``dcplan.paths.data_path``): the catalogs
#: ``dcplan.catalog_checks.CATALOGS`` checks and the example system-load series (``dcplan.grid_headroom``).
CATALOG_FILES = ("costs.csv", "hardware.csv", "cooling_defaults.csv", "interconnection.csv",
                 "equipment_lead_times.csv", "system_load_example.csv")

#: The supported way to change a figure of each catalog for a site (docs/site-format.md), else where to edit.
HOW_TO_CHANGE = {
    "costs.csv": "to change a cost for a site, set it in the site file's finance.costs: (one key per "
                 f"costs.csv row, e.g. finance: {{costs: {{pv_usd_per_kw_dc: 1200}}}}; {doc_ref('site-format.md')})",
    "cooling_defaults.csv": "to change a cooling default for a site, set it in the site file's cooling: section "
                            "(liquid_heat_frac, margin_frac, inlet_setpoint_degc; "
                            f"{doc_ref('site-format.md')}); its other "
                            "rows have no site key",
    "interconnection.csv": "to give a site its own grid wait, set interconnection.time_to_power: (p10_months, "
                           "median_months, p90_months, source) instead of interconnection.region "
                           f"({doc_ref('site-format.md')})",
    "hardware.csv": "a site's fleet sets its own units_per_rack and power caps (fleet.phases[].units_per_rack, "
                    f"fleet.cap_w_per_accelerator; {doc_ref('site-format.md')}); a catalog row itself has no site key",
    "equipment_lead_times.csv": "a site chooses its items and order date (interconnection.equipment, "
                                "equipment_ordered; "
                                f"{doc_ref('site-format.md')}); the lead times themselves have no site key",
    "system_load_example.csv": "to use another system load, give the interconnection notebook its file: dcplan "
                               "render -p system_load_csv FILE (interval_end and system_load_mw columns, or a "
                               "gridstatus export; data/system_load_example.md); the example series has no site key",
}


def _folders(paths) -> list[Path]:
    """Each file's folder and that folder's parent, in order, once each."""
    out: list[Path] = []
    for p in paths:
        if not p:
            continue
        folder = Path(p).expanduser().resolve().parent
        for f in (folder, folder.parent):
            if f not in out:
                out.append(f)
    return out


def catalog_copies(paths) -> list[tuple[Path, Path]]:
    """``(copy, bundled)`` for each catalog file of :data:`CATALOG_FILES` in the folders of ``paths``
    (portfolio or site files: each one's folder and its parent) that differs from the bundled file of
    that name; the bundled ``data/`` folder itself is skipped."""
    bundle = data_dir().resolve()
    out = []
    for folder in _folders(paths):
        if folder == bundle:
            continue
        for name in CATALOG_FILES:
            copy, bundled = folder / name, bundle / name
            try:
                if not copy.is_file() or not bundled.is_file() or copy.resolve() == bundled.resolve():
                    continue
                if filecmp.cmp(copy, bundled, shallow=False):
                    continue
            except OSError:
                continue
            out.append((copy, bundled))
    return out


def catalog_copy_warnings(paths) -> list[str]:
    """One text per edited catalog copy of :func:`catalog_copies`: both full paths, that the bundled one
    is read, and how to change a value (:data:`HOW_TO_CHANGE`).

    From an installed wheel the bundled file is inside the installed package (:func:`dcplan.paths.is_installed`),
    which the README tells a user not to edit: the text then says that an edit there is replaced by a reinstall
    or upgrade (keep the copy to apply again), not plainly "edit it itself" as to a checkout's ``data/``."""
    from .paths import is_installed
    out = []
    for copy, bundled in catalog_copies(paths):
        if is_installed(bundled):
            edit = (f"or edit the installed {bundled} (dcplan validate checks it): it is inside the dcplan package, "
                    f"so a reinstall or upgrade of dcplan replaces it with the bundled figures; keep your edited "
                    f"copy to apply again")
        else:
            edit = f"or edit {bundled} itself (dcplan validate checks it)"
        out.append(f"{copy}: this copy of the data catalog {copy.name} differs from the bundled {bundled}, and "
                   f"dcplan reads only the bundled one (data catalogs are not looked for beside a portfolio or "
                   f"site, as its weather and tariff files are): every figure from {copy.name} is the bundled "
                   f"file's, not this copy's; {HOW_TO_CHANGE[copy.name]}; {edit}")
    return out


def warn_catalog_copies(pf_or_site, stacklevel: int = 2) -> list[str]:
    """Issue :func:`catalog_copy_warnings` (a :class:`~dcplan.errors.DcplanWarning` each) for a portfolio
    (its file and its sites' files) or a site; returns the texts."""
    sites = getattr(pf_or_site, "sites", None)
    paths = [getattr(pf_or_site, "source_file", None)] + [getattr(s, "source_file", None) for s in sites or ()]
    texts = catalog_copy_warnings(paths)
    for text in texts:
        warnings.warn(text, DcplanWarning, stacklevel=stacklevel)
    return texts
