"""Which inputs a site's figures rest on: the weather station (:func:`weather_text`) and the status of
the lead-time row behind its time to power (:func:`lead_time_status`). Split from
:mod:`dcplan.site_verdict`, which re-exports both.
"""
from __future__ import annotations

import pandas as pd

from . import grid

__all__ = ["LEAD_TIME_STATUS", "weather_text", "lead_time_status"]


# -- which inputs a figure rests on: the weather station and the lead-time row's status -------

#: What a lead-time row's ``status`` means (``data/interconnection.csv``'s header and
#: ``data/interconnection.md``; ``site figures``: :data:`dcplan.grid_lead_time.SITE_FIGURES_STATUS`).
LEAD_TIME_STATUS = {
    "secondary": "read from a third party attributing it to the utility or operator",
    "unverified": "a trade-press figure without a confirmed source",
    "estimate": "dcplan's estimate from the qualitative facts in its basis: no published wait time was found",
    "site figures": "the site file's own figures (interconnection.time_to_power)",
}


def weather_text(site, attrs: dict) -> str:
    """Which weather a site's figures rest on: the site file's ``weather.source``, the file, and
    the station in its header with its distance from the site (great circle,
    :func:`dcplan.tz_places.distance_km`) [km].

    ``attrs``: the weather frame's ``attrs`` (:func:`dcplan.weather.load_weather`: ``station``,
    ``latitude``, ``longitude``)."""
    from .tz_places import distance_km
    w = site.weather
    out = (f"{w.source}; " if getattr(w, "source", None) else "") + f"file {site.weather_path.name} ({w.format})"
    st, lat, lon = attrs.get("station") or "", attrs.get("latitude"), attrs.get("longitude")
    if lat is not None and lon is not None and pd.notna(lat) and pd.notna(lon):
        d = distance_km(site.latitude, site.longitude, float(lat), float(lon))
        alt = attrs.get("altitude_m")  # the station's height beside the site's (the figures are the station's)
        height = (f"; station {float(alt):g} m, site {site.elevation_m:g} m above sea level"
                  if alt is not None and pd.notna(alt) else "")
        out += (f"; station {st + ' ' if st else ''}at {float(lat):g}, {float(lon):g}, "
                f"{d:,.0f} km from the site ({site.latitude:g}, {site.longitude:g}){height}")
    return out


def lead_time_status(interconnection) -> tuple[str, str]:
    """(status, one line) of the lead time behind a site's time to power: the status of its
    :func:`dcplan.grid.lead_time_row` (``estimate``, ``unverified``, ``secondary`` or ``site
    figures``), what it means (:data:`LEAD_TIME_STATUS`), the row's name and source."""
    row = grid.lead_time_row(interconnection)
    status = str(row["status"])
    means = LEAD_TIME_STATUS.get(status, "see data/interconnection.md")
    return status, f"{status}: {means} ({row['name']}; source: {row['source']})"
