"""Which case of a site the ``site_analysis`` notebook's exports are: the site as specified, or the site under
the notebook's parameters that change it (``cooling``, ``fleet_scale``, ``pv_dc_kw``, ``tariff_file``).

A JupyterLab user who ran the notebook with a reference plant (``cooling = "liquid-w45-dry"``) got
``chicago-il_sustainability.csv`` and ``chicago-il_hourly.csv``, the names a run as specified writes, with nothing
in them saying the plant was not the site's (PUE 1.103 and no water, against the site's tower plant): a reviewer
sent the CSV would take it as the site's figures, and the next run as specified replaced it without a word (a
wheel/JupyterLab tester's finding). Under ``dcplan render`` the run's ``results.json`` holds the parameters; a CSV
sent on does not. Now:

* :func:`case_tag` is ``""`` for the site as specified, else a file-name part naming each changed parameter
  (``cooling-liquid-w45-dry_fleet-x2_pv-0kw_tariff-comed-il-large-load``), put between the site id and the
  export's name (``chicago-il_cooling-liquid-w45-dry_sustainability.csv``), as the ``tco`` notebook names its
  workbook for a scenario;
* :func:`case_text` says the same in words, the sustainability row's ``case`` column and the hourly export's
  ``case`` row of its ``_about.csv``;
* :func:`export_stem` is the part of each export's name before its kind: ``<site id>`` or ``<site id>_<tag>``,
  shortened (its start and a hash of it) where a long site id and tag would make a name longer than a file name
  may be (255 bytes): a 201-character id (the longest a site file may give) with ``-p cooling ...`` and ``-p
  tariff_file ...`` failed the run at its last cell, writing the CSVs.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

__all__ = ["case_tag", "case_text", "export_stem", "DEFAULTS"]

#: The parameters that change the site, at the values that keep it as specified (the notebook's defaults;
#: ``tariff_file`` "" keeps it too).
DEFAULTS = {"cooling": "site", "fleet_scale": 1.0, "pv_dc_kw": -1.0, "tariff_file": "site"}


def _changed(params: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    if str(params.get("cooling", "site")) != "site":
        out["cooling"] = str(params["cooling"])
    if float(params.get("fleet_scale", 1.0)) != 1.0:
        out["fleet_scale"] = float(params["fleet_scale"])
    if float(params.get("pv_dc_kw", -1.0)) >= 0:
        out["pv_dc_kw"] = float(params["pv_dc_kw"])
    tf = str(params.get("tariff_file", "site")).strip()
    if tf not in ("site", ""):
        out["tariff_file"] = tf
    return out


def _number(x: float) -> str:
    """A non-negative number as a file-name part: ``0.5`` -> ``0p5``, ``4000`` -> ``4000``, ``1e+06`` -> ``1e06``."""
    return format(x, "g").replace(".", "p").replace("+", "")


def case_tag(params: Mapping[str, Any]) -> str:
    """``""`` for the site as specified (every parameter of :data:`DEFAULTS` at its value), else the changed ones
    as one file-name part, each made safe for a file name (:func:`dcplan.report_files.safe_slug`).

    >>> case_tag({"cooling": "site", "fleet_scale": 1.0, "pv_dc_kw": -1.0, "tariff_file": "site"})
    ''
    >>> case_tag({"cooling": "liquid-w45-dry", "fleet_scale": 2.0, "pv_dc_kw": 0.0,
    ...           "tariff_file": "tariffs/comed-il-large-load.json"})
    'cooling-liquid-w45-dry_fleet-x2_pv-0kw_tariff-comed-il-large-load'
    >>> case_tag({"fleet_scale": 0.5, "pv_dc_kw": 1500.5})
    'fleet-x0p5_pv-1500p5kw'
    """
    from .report_files import safe_slug
    ch = _changed(params)
    parts = []
    if "cooling" in ch:
        parts.append(f"cooling-{safe_slug(ch['cooling'], 40)}")
    if "fleet_scale" in ch:
        parts.append(f"fleet-x{_number(ch['fleet_scale'])}")
    if "pv_dc_kw" in ch:
        parts.append(f"pv-{_number(ch['pv_dc_kw'])}kw")
    if "tariff_file" in ch:
        parts.append(f"tariff-{safe_slug(Path(ch['tariff_file']).stem, 40)}")
    return "_".join(parts)


def case_text(params: Mapping[str, Any]) -> str:
    """The case in words: ``"the site as specified"``, or each changed parameter and what it replaced.

    >>> case_text({"cooling": "air", "fleet_scale": 0.5})
    "not the site as specified: cooling 'air' (a reference plant of dcplan.pipeline.REFERENCE_PLANTS, not the \
site's); fleet_scale 0.5 (every fleet phase's unit count x 0.5, rounded half up)"
    """
    ch = _changed(params)
    if not ch:
        return "the site as specified"
    parts = []
    if "cooling" in ch:
        parts.append(f"cooling {ch['cooling']!r} (a reference plant of dcplan.pipeline.REFERENCE_PLANTS, not the "
                     "site's)")
    if "fleet_scale" in ch:
        parts.append(f"fleet_scale {ch['fleet_scale']:g} (every fleet phase's unit count x {ch['fleet_scale']:g}, "
                     "rounded half up)")
    if "pv_dc_kw" in ch:
        parts.append(f"pv_dc_kw {ch['pv_dc_kw']:g} (PV DC size in kW, not the site's)")
    if "tariff_file" in ch:
        parts.append(f"tariff_file {ch['tariff_file']!r} (not the site's tariff)")
    return "not the site as specified: " + "; ".join(parts)


#: The longest ending the exports put after :func:`export_stem` (``_sustainability.csv``; the hourly export's are
#: ``_hourly.csv`` and ``_hourly_about.csv``) and their temporary name's ``.tmp``. [bytes]
EXPORT_ENDING_MAX_BYTES = len("_sustainability.csv") + len(".tmp")


def export_stem(site_id: str, tag: str = "") -> str:
    """The start of the name of each export of a case (:func:`dcplan.sustainability.csv_name`,
    :func:`dcplan.site_hourly.csv_name`): ``<site id>`` for the site as specified (``tag`` "", :func:`case_tag`),
    else ``<site id>_<tag>``, unchanged when it leaves room for :data:`EXPORT_ENDING_MAX_BYTES` in a file name
    (:data:`dcplan.paths.NAME_MAX_BYTES`, 255 bytes); else its start, ``-`` and a hash of it
    (:func:`dcplan.paths.fit_name`): the same every run, distinct for each case, and the same in all the exports of a
    case (the CSV and its ``_about.csv``); the ``case`` column and row say the case in full (:func:`case_text`).

    >>> export_stem("chicago-il", "cooling-air")
    'chicago-il_cooling-air'
    >>> len(export_stem("s" * 201, "cooling-liquid-w45-dry_fleet-x2_pv-0kw_tariff-comed-il-large-load"))
    232
    """
    from .paths import NAME_MAX_BYTES, fit_name
    return fit_name(f"{site_id}_{tag}" if tag else site_id, NAME_MAX_BYTES - EXPORT_ENDING_MAX_BYTES)
