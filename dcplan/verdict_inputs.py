"""Which inputs a site's figures rest on: the weather station (:func:`weather_text`) and the status of
the lead-time row behind its time to power (:func:`lead_time_status`). Split from
:mod:`dcplan.site_verdict`, which re-exports both.
"""
from __future__ import annotations

import pandas as pd

from . import grid

__all__ = ["LEAD_TIME_STATUS", "weather_text", "station_where", "lead_time_status", "price_dates_text"]


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


def station_where(site, attrs: dict) -> str:
    """Where a site's climate figures are measured, for their labels: ``"at the weather station GREENSBORO
    PIEDMONT TRIAD INT, 101 km from the site, 153 m higher"``; "" for a station within 1 km and 10 m of the site
    (the figures are the site's). ``attrs`` as :func:`weather_text`'s. (Research Triangle's "Mean dry bulb" is
    Greensboro's, 101 km away and 153 m up, which site_climate's labels did not say: an auditor's finding.)

    >>> from types import SimpleNamespace
    >>> s = SimpleNamespace(latitude=35.9, longitude=-78.86, elevation_m=120.0)
    >>> station_where(s, {"station": "GREENSBORO", "latitude": 36.1, "longitude": -79.95, "altitude_m": 273.0})
    'at the weather station GREENSBORO, 101 km from the site, 153 m higher'
    >>> station_where(s, {"station": "X", "latitude": 35.9, "longitude": -78.86, "altitude_m": 125.0})
    ''
    """
    from .tz_places import distance_km
    lat, lon = attrs.get("latitude"), attrs.get("longitude")
    if lat is None or lon is None or pd.isna(lat) or pd.isna(lon):
        return ""
    d = distance_km(site.latitude, site.longitude, float(lat), float(lon))
    alt = attrs.get("altitude_m")
    dh = float(alt) - float(site.elevation_m) if alt is not None and pd.notna(alt) else None
    if d < 1.0 and (dh is None or abs(dh) < 10.0):
        return ""
    st = attrs.get("station") or ""
    height = "" if dh is None else (f", {abs(dh):,.0f} m {'higher' if dh > 0 else 'lower'}" if abs(dh) >= 10.0
                                    else ", at the site's height")
    return f"at the weather station {st + ', ' if st else ''}{d:,.0f} km from the site{height}"


def lead_time_status(interconnection) -> tuple[str, str]:
    """(status, one line) of the lead time behind a site's time to power: the status of its
    :func:`dcplan.grid.lead_time_row` (``estimate``, ``unverified``, ``secondary`` or ``site
    figures``), what it means (:data:`LEAD_TIME_STATUS`), the row's name and source."""
    row = grid.lead_time_row(interconnection)
    status = str(row["status"])
    means = LEAD_TIME_STATUS.get(status, "see data/interconnection.md")
    return status, f"{status}: {means} ({row['name']}; source: {row['source']})"


# -- the prices the electricity rank compares ----------------------------------------------------

def price_dates_text(specs: dict, who: dict, ranked) -> str | None:
    """The verdict's clause when the sites its electricity rank compares (``ranked``, site ids) have tariffs
    priced more than a year apart, else None: the portfolio comparison's and the sweep's warning
    (:func:`dcplan.portfolio_robustness.price_date_warning`), said of the verdict's rank.

    ``specs``: site id -> the site as ranked; each tariff's price date is its URDB ``startdate``
    (:func:`dcplan.portfolio_robustness.price_dates`); ``who``: site id -> how the text names it. Each bill is
    the typical year at its tariff's own prices, not escalated (site_analysis's ``bill_usd``), so the bundled
    Phoenix tariff (2024-03-08) and Chicago's (2027-06-01) put prices 3.2 years apart into one rank: the
    portfolio comparison said so of the same figure (``usd_per_m_tokens``) and the site verdict did not (a
    finance reviewer's tie-out).
    """
    from .portfolio_robustness import price_date_warning, price_dates
    ids = [sid for sid in ranked if sid in specs]
    text = price_date_warning(price_dates([specs[sid] for sid in ids]), who, ids, whose="the ranked sites'",
                              comparison="the electricity rank")
    return text or None
