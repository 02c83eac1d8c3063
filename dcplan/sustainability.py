"""Sustainability (ESG) figures of a site-year: the PV's avoided-carbon label, the water split's labels
and the annual table site_analysis exports.

* :func:`pv_avoided_label`: the PV's avoided carbon is **not** part of the Scope 2 inventory. The grid
  carbon (``grid_carbon_t``) is of the grid import, which already counts the PV used on site or stored at
  0, so subtracting the avoided carbon from it again would count the PV twice. And it is at the site's
  average rate, not the rate of the plants the PV displaces (EPA eGRID's non-baseload rates or EPA AVERT
  would be the usual basis for that).
* :func:`water_split_labels`: the cooling towers' make-up water (``water_m3``, a withdrawal) as what they
  evaporate (consumption) and blow down (discharge), the three figures GRI 303 (303-3/4/5, 2018) and CDP
  water disclosures ask for (:func:`dcplan.thermal_plant_summary.water_split_m3`).
* :func:`sustainability_table`: one row of the year's energy, PUE, carbon (with its basis and source) and
  water (with its split) and WUE, each header ``key [unit]`` (a ratio without unit, PUE and the cycles,
  ``key`` alone): the numbers site_analysis publishes.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from .site_carbon import carbon_basis, carbon_source

__all__ = ["pv_avoided_label", "water_split_labels", "water_unit_figures", "sustainability_table", "TABLE_UNITS",
           "csv_name", "write_sustainability_csv"]

#: Columns of :func:`sustainability_table` and their units (None: text, or a ratio without unit, headed by its
#: name alone, as the hourly CSV's COPs and site_analysis's published PUE: no "[-]").
TABLE_UNITS = {
    "it_mwh": "MWh", "facility_mwh": "MWh", "pv_mwh": "MWh", "pv_spilled_mwh": "MWh", "grid_mwh": "MWh",
    "annual_pue": None, "grid_carbon_kg_per_mwh": "kg CO2/MWh", "grid_carbon_t": "t CO2",
    "grid_carbon_basis": None, "grid_carbon_source": None, "pv_avoided_carbon_t": "t CO2",
    "water_m3": "m3", "water_evaporated_m3": "m3", "water_blowdown_m3": "m3", "tower_cycles": None,
    "wue_l_per_kwh": "L/kWh", "derate_h": "h",
}


def pv_avoided_label(site: Any) -> str:
    """The label of ``pv_avoided_carbon_t`` (module docstring): what it counts, at which rate, and
    that it is not part of the Scope 2 inventory."""
    ci = site.grid_carbon_kg_per_mwh
    return ("Grid carbon the on-site PV avoids a year: PV energy used on site or stored (pv_mwh - pv_spilled_mwh; "
            f"spilled PV avoids nothing) x the site file's grid_carbon_kg_per_mwh ({ci:,.1f} kg CO2/MWh, "
            f"{carbon_basis(site)}-based; {carbon_source(site)}). Not part of the Scope 2 inventory: already left "
            "out of grid_carbon_t, do not subtract it again. At the average rate, not a non-baseload/marginal rate "
            "(EPA eGRID non-baseload or AVERT would be the usual basis), so not the marginal plant the PV displaces")


def water_split_labels(cycles: float) -> dict[str, str]:
    """The labels of ``water_evaporated_m3`` and ``water_blowdown_m3`` at ``cycles`` cycles of
    concentration (``tower_cycles``)."""
    return {
        "water_evaporated_m3": (
            f"Cooling-tower water evaporated a year: {cycles - 1:g}/{cycles:g} of water_m3 at {cycles:g} cycles of "
            "concentration (blowdown = evaporation / (cycles - 1)); water consumption (GRI 303-5); "
            "water_evaporated_m3 + water_blowdown_m3 = water_m3, the make-up withdrawn (GRI 303-3); drift not counted"),
        "water_blowdown_m3": (
            f"Cooling-tower blowdown a year: 1/{cycles:g} of water_m3 at {cycles:g} cycles of concentration, "
            "returned to the sewer or a water body: water discharge (GRI 303-4), before any treatment; drift not "
            "counted"),
    }


def water_unit_figures(water_m3: float, gpu_h: float, tokens_m: float, tokens: str, caveat: str) -> dict:
    """``water_l_per_gpu_h`` and ``water_l_per_m_tokens`` as site_analysis publishes them ``(value, unit,
    label)``: ``water_m3`` x 1000 over the installed GPU-hours ``gpu_h`` and the millions of tokens
    ``tokens_m``; ``tokens`` (:func:`dcplan.carbon_water_labels.tokens_text`) and ``caveat`` (the short
    plant's, "" for none) end the labels."""
    what = "Cooling-tower water (water_m3: evaporation + blowdown, drift not counted) per "
    return {"water_l_per_gpu_h": (water_m3 * 1000 / gpu_h, "L/GPU-h", what + "installed GPU-hour" + caveat),
            "water_l_per_m_tokens": (water_m3 * 1000 / tokens_m, "L/M tokens",
                                     what + "million tokens" + tokens + caveat)}


def sustainability_table(site: Any, figures: dict, cooling: dict, *, tower_cycles: float,
                         case: str = "the site as specified") -> pd.DataFrame:
    """The year's sustainability figures as one row, each column headed ``key [unit]`` (``key`` for a ratio).

    Parameters
    ----------
    site : dcplan.site.Site
        The site (its id, name, grid carbon figure, basis and source).
    figures : dict
        :func:`dcplan.pipeline.figures` of the site-year.
    cooling : dict
        The site-year's :func:`dcplan.thermal_plant_summary.plant_summary` (``y.cooling``).
    tower_cycles : float
        The cycles of concentration the plant ran with (``y.plant.attrs["plant"]["tower_cycles"]``). [-]
    case : str
        Which case of the site the figures are (:func:`dcplan.site_analysis_case.case_text`): the row's
        ``case`` column, so a row of a reference plant or another tariff is not read as the site's own.

    Returns
    -------
    pandas.DataFrame
        One row: ``site``, ``name``, ``case``, then :data:`TABLE_UNITS`' columns (``grid_carbon_*`` and
        ``pv_avoided_carbon_t`` empty for a site without ``grid_carbon_kg_per_mwh``): the values
        themselves, unrounded, so a CSV of it holds the figures site_analysis publishes.
    """
    ci = site.grid_carbon_kg_per_mwh
    f = figures
    row: dict[str, Any] = {
        "it_mwh": f["it_mwh"], "facility_mwh": f["facility_mwh"], "pv_mwh": f["pv_mwh"],
        "pv_spilled_mwh": f["pv_spilled_mwh"], "grid_mwh": f["grid_mwh"], "annual_pue": f["annual_pue"],
        "grid_carbon_kg_per_mwh": ci, "grid_carbon_t": f.get("grid_carbon_t"),
        "grid_carbon_basis": None if ci is None else carbon_basis(site),
        "grid_carbon_source": None if ci is None else carbon_source(site),
        "pv_avoided_carbon_t": None if ci is None else (f["pv_mwh"] - f["pv_spilled_mwh"]) * ci / 1000,
        "water_m3": cooling["water_m3"], "water_evaporated_m3": cooling["water_evaporated_m3"],
        "water_blowdown_m3": cooling["water_blowdown_m3"], "tower_cycles": float(tower_cycles),
        "wue_l_per_kwh": f["wue_l_per_kwh"], "derate_h": f["derate_h"],
    }
    head = {"site": site.id, "name": site.name, "case": case}
    return pd.DataFrame([{**head, **{(f"{k} [{TABLE_UNITS[k]}]" if TABLE_UNITS[k] else k): v
                                     for k, v in row.items()}}])


def csv_name(site_id: str, tag: str = "") -> str:
    """The export's file name: ``<site id>_sustainability.csv``, or ``<site id>_<tag>_sustainability.csv`` for a
    case that is not the site as specified (``tag``: :func:`dcplan.site_analysis_case.case_tag`); the part before
    ``_sustainability`` shortened where it would be too long for a file name
    (:func:`dcplan.site_analysis_case.export_stem`)."""
    from .site_analysis_case import export_stem
    return f"{export_stem(site_id, tag)}_sustainability.csv"


def write_sustainability_csv(table: pd.DataFrame, folder, site_id: str, tag: str = ""):
    """Write ``table`` (:func:`sustainability_table`) to ``<folder>/`` :func:`csv_name` whole or not
    at all (a temporary name, then moved into place; text a spreadsheet would read as a formula gets a
    leading ', :func:`dcplan.export_text.write_csv`), UTF-8 with a byte-order mark (for Excel); returns the path. A
    previous file of that name that dcplan did not write, or that was edited since, is kept beside it and said
    (:mod:`dcplan.export_record`). In a ``dcplan render`` run a last column ``provenance`` says which run wrote it
    (dcplan's version, git commit and source digest, the run's start, each input file and its SHA-256's first 12
    hex digits: :func:`dcplan.report_provenance.one_line`), as the TCO workbook's Provenance sheet does; outside
    render there is no such column."""
    from pathlib import Path

    from .export_record import write_file
    from .export_text import write_csv
    from .report_provenance import with_provenance
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    table = with_provenance(table)
    return write_file(out / csv_name(site_id, tag), lambda tmp: write_csv(table, tmp, index=False), "export_dir")
