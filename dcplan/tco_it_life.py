"""The IT's economic life for the TCO's residual value, and the warning on a refresh cycle above the catalog band.

The residual value at the horizon is the IT's remaining straight-line value over its economic life
(:mod:`dcplan.tco`). That life is the refresh cycle (``it_refresh_years``), but at most
:data:`IT_RESIDUAL_LIFE_MAX_YEARS`: a fleet kept longer than servers are depreciated over is not
worth its straight-line share of cost at the horizon (a 30-year cycle valued 9-year-old GPUs at 70 %
of their cost). :func:`it_refresh_warnings` words a cycle above ``data/costs.csv``'s band
(:data:`dcplan.catalog_bands.BANDS`); :func:`dcplan.tco_inputs.inputs_from_site` warns with it
(``DcplanWarning``).
"""
from __future__ import annotations

__all__ = ["IT_RESIDUAL_LIFE_MAX_YEARS", "it_refresh_warnings"]

#: Longest economic life of IT for the residual value [yr]: the longest server useful life in the
#: hyperscalers' 10-K filings (Amazon 5, Meta 5-5.5, Microsoft and Alphabet 6 years; data/costs.csv
#: ``it_refresh_years``, its high; docs/reference-data.md s.7), the life the catalog band's "servers are
#: depreciated over 5-6 years" rests on.
IT_RESIDUAL_LIFE_MAX_YEARS = 6.0


def it_refresh_warnings(it_refresh_years: float, source: str = "finance.it_refresh_years",
                        where: str = "site") -> list[str]:
    """Warnings on a TCO case's ``it_refresh_years`` above the catalog band's high
    (:data:`dcplan.catalog_bands.BANDS` ``it_refresh_years``, 20 yr): ``[]`` inside it.

    ``source`` names the field the value came from, ``where`` the site file. A cycle above the band
    buys no refresh for that long and runs the same GPUs on; the residual values them straight line over
    at most :data:`IT_RESIDUAL_LIFE_MAX_YEARS`.

    >>> it_refresh_warnings(5.0), len(it_refresh_warnings(30.0))
    ([], 1)
    """
    from .catalog_bands import BANDS
    band = BANDS["costs.csv"]["it_refresh_years"]
    r = float(it_refresh_years)
    if r <= band.hi:
        return []
    life = min(r, IT_RESIDUAL_LIFE_MAX_YEARS)
    return [f"{where}: {source}: {r:g} years is above the catalog band's high of {band.hi:g} years "
            f"(dcplan.catalog_bands' band for data/costs.csv's it_refresh_years: {band.lo:g}-{band.hi:g} yr; "
            f"{band.why}): the "
            f"TCO buys the IT once every {r:g} years and runs it that long; the residual value at the horizon "
            f"values the IT straight line over {life:g} years (its refresh cycle, at most "
            f"dcplan.tco_it_life.IT_RESIDUAL_LIFE_MAX_YEARS, {IT_RESIDUAL_LIFE_MAX_YEARS:g}: the longest server life "
            f"in the 10-K filings); allowed without this warning: {band.lo:g}-{band.hi:g} years"]
