"""The grid carbon factor's basis and source: the site fields, their checks and the label text.

A site gives one flat annual-average ``grid_carbon_kg_per_mwh``. What that figure *is* matters to
a Scope 2 disclosure (GHG Protocol Scope 2 Guidance, 2015: a **location-based** figure is the
average intensity of the grid where the energy is used, e.g. an EPA eGRID subregion's; a
**market-based** one is a supplier's, PPA's or certificates' figure), and where it comes from
must be traceable. Two optional site fields say so:

``grid_carbon_basis``   ``"location"`` or ``"market"``; left out: location (a 0, which no grid
                        averages, is still warned as market-based: :func:`dcplan.site_slips.grid_carbon_warnings`)
``grid_carbon_source``  free text, one line: e.g. "EPA eGRID2022 AZNM, CO2 output rate 776.036 lb/MWh"

Every carbon label prints the site's own basis and source (:func:`carbon_basis_text`; no eGRID
claim for a figure whose source does not say eGRID; "source not given in the site file" where it
gives none), and a report run's provenance lists the source among its data vintages
(:func:`carbon_vintage`).
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

__all__ = ["CarbonBasis", "BASES", "BASIS_FIELD", "SOURCE_FIELD", "NO_SOURCE", "carbon_basis", "carbon_source",
           "carbon_basis_text", "carbon_vintage", "carbon_vintages", "carbon_field_problems"]

#: The values ``grid_carbon_basis`` takes, and what each means (GHG Protocol Scope 2 Guidance, 2015, ch. 4 and 6).
BASES = {"location": "location-based: the average intensity of the grid where the energy is used",
         "market": "market-based: a supplier's, PPA's or certificates' figure"}
CarbonBasis = Literal["location", "market"]

#: The text a label and the provenance carry for a figure without ``grid_carbon_source``.
NO_SOURCE = "source not given in the site file"

#: The site fields (dcplan.site.Site; their descriptions are docs/site-format.md's rows).
BASIS_FIELD = Field(None, description=(
    "scope 2 basis of grid_carbon_kg_per_mwh (GHG Protocol Scope 2 Guidance): 'location' (the average of the "
    "grid where the energy is used, e.g. an EPA eGRID subregion's) or 'market' (a supplier's, PPA's or "
    "certificates' figure); left out: location (a 0 is still warned as market-based). Printed in every carbon "
    "label"))
SOURCE_FIELD = Field(None, description=(
    "where grid_carbon_kg_per_mwh comes from, one line: publication, edition, region and the figure as "
    "published, e.g. 'EPA eGRID2022 AZNM, CO2 output rate 776.036 lb/MWh'. Printed in every carbon label and "
    "listed in a report run's provenance (data_vintages: grid_carbon); left out: the labels say 'source not "
    "given in the site file'"))


def carbon_basis(site: Any) -> str:
    """``"location"`` or ``"market"``: the site's ``grid_carbon_basis``, location when left out."""
    return getattr(site, "grid_carbon_basis", None) or "location"


def carbon_source(site: Any) -> str:
    """The site's ``grid_carbon_source``, or :data:`NO_SOURCE`."""
    return (getattr(site, "grid_carbon_source", None) or "").strip() or NO_SOURCE


def _source_phrase(site: Any) -> str:
    src = carbon_source(site)
    return src if src == NO_SOURCE else f"source: {src}"


def carbon_basis_text(site: Any) -> str:
    """What a grid carbon figure of ``site`` is counted at, for its labels: the flat annual average, the
    site's own scope 2 basis (said to be the default when the file gives none) and its source."""
    basis = carbon_basis(site)
    given = getattr(site, "grid_carbon_basis", None)
    default = "" if given else " (the default: the site file gives no grid_carbon_basis)"
    ci = getattr(site, "grid_carbon_kg_per_mwh", None)
    value = "" if ci is None else f", {ci:,.1f} kg CO2/MWh"
    return (f"the site file's flat annual-average grid_carbon_kg_per_mwh{value} for every hour (scope 2 "
            f"{BASES[basis]}{default}; {_source_phrase(site)}); CO2 only, not CO2e; no hourly or "
            "marginal signal")


def carbon_vintage(site: Any) -> str | None:
    """The carbon factor's entry for a run's provenance ``data_vintages``: its value, basis and source
    (``"352.0 kg CO2/MWh, location-based; EPA eGRID2022 AZNM, ..."``); None for a site without one.

    >>> from types import SimpleNamespace as S
    >>> carbon_vintage(S(grid_carbon_kg_per_mwh=0.0, grid_carbon_basis="market", grid_carbon_source="PPA 2025"))
    '0.0 kg CO2/MWh, market-based; PPA 2025'
    """
    ci = getattr(site, "grid_carbon_kg_per_mwh", None)
    if ci is None:
        return None
    return f"{ci:,.1f} kg CO2/MWh, {carbon_basis(site)}-based; {carbon_source(site)}"


def carbon_vintages(site: Any, prefix: str = "", suffix: str = "") -> dict[str, str]:
    """``{prefix + "grid_carbon" + suffix: carbon_vintage(site)}`` for a run's provenance (a site's own run:
    ``grid_carbon``; a peer's: ``peer:<id>:grid_carbon``; a portfolio run's: ``grid_carbon:<id>``, as the
    weather's), empty for a site without a carbon figure."""
    v = carbon_vintage(site)
    return {} if v is None else {f"{prefix}grid_carbon{suffix}": v}


def carbon_field_problems(site: Any) -> list[tuple[str, str]]:
    """A problem (field, message) for a ``grid_carbon_basis`` or ``grid_carbon_source`` given without
    ``grid_carbon_kg_per_mwh``: no carbon figure is computed, so what it says of one is lost (a typo'd
    or forgotten figure?)."""
    if getattr(site, "grid_carbon_kg_per_mwh", None) is not None:
        return []
    out = []
    for k in ("grid_carbon_basis", "grid_carbon_source"):
        v = getattr(site, k, None)
        if v is not None:
            out.append((k, f"{v!r} is given, but grid_carbon_kg_per_mwh is not: no carbon figure is computed for "
                           "the site. Allowed: give grid_carbon_kg_per_mwh [kg CO2/MWh] with it, or remove it"))
    return out


def mixed_basis_warning(sites) -> str | None:
    """The warning for a comparison of sites whose grid carbon figures are on different scope 2 bases
    (:func:`carbon_basis`), naming the sites on each; None when every site with a figure is on one
    basis (or fewer than two have one). A market-based figure (a supplier's, PPA's or certificates')
    ranked beside location-based grid averages reads as a cleaner grid, which it is not.

    >>> from types import SimpleNamespace as S
    >>> a = S(id="a", grid_carbon_kg_per_mwh=352.0, grid_carbon_basis=None)
    >>> b = S(id="b", grid_carbon_kg_per_mwh=0.0, grid_carbon_basis="market")
    >>> mixed_basis_warning([a, b]).split(":")[0]
    'grid carbon is compared on mixed scope 2 bases'
    >>> mixed_basis_warning([a, S(id="c", grid_carbon_kg_per_mwh=None, grid_carbon_basis=None)]) is None
    True
    """
    by = {}
    for s in sites:
        if getattr(s, "grid_carbon_kg_per_mwh", None) is not None:
            by.setdefault(carbon_basis(s), []).append(str(s.id))
    if len(by) < 2:
        return None
    parts = "; ".join(f"{b}-based: {', '.join(ids)}" for b, ids in sorted(by.items()))
    return ("grid carbon is compared on mixed scope 2 bases: " + parts + " (grid_carbon_basis). A market-based "
            "figure (a supplier's, PPA's or certificates') is ranked beside location-based grid averages as if it "
            "were one; give every site the same basis to compare their carbon")

