"""Which inputs a site's figures rest on: the weather station (:func:`weather_text`), the status of
the lead-time row behind its time to power (:func:`lead_time_status`) and the prices its electricity rank
compares (:func:`electricity_text`). Split from :mod:`dcplan.site_verdict`, which re-exports the first two.
"""
from __future__ import annotations

import pandas as pd

from . import grid

__all__ = ["LEAD_TIME_STATUS", "weather_text", "station_where", "lead_time_status", "electricity_text"]


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

def electricity_text(peers: pd.DataFrame, site: str, who: dict, ranked, rank: str, paid: str = "") -> list[str]:
    """The verdict's clauses on the site's electricity cost and its rank, ranked at one price date.

    ``peers`` are the sites as ranked, with their costs at the common price date
    (:func:`dcplan.portfolio_prices.with_costs_at_common_date`: ``usd_per_m_tokens`` and ``usd_per_gpu_h`` of each
    bill escalated to ``cost_price_date``, the latest of the tariffs' price dates, by ``escalation_factor`` =
    ``(1 + electricity_escalation_frac) ** escalation_steps``), as the portfolio comparison ranks them; ``ranked``
    the site ids the per-token rank compares, ``rank`` the site's (:func:`dcplan.site_verdict.rank_text`), ``who``
    site id -> how the text names it, ``paid`` what the cost adds to the bill
    (:func:`dcplan.battery_value.paid_for_text`).

    The cost stated is the site's own at its tariff's prices (``bill_usd``: site_analysis's
    ``electricity_usd_per_m_tokens``). When no ranked bill was escalated (one site, one price date, no dated tariff,
    or dates less than a whole 12-month step apart) that is what is ranked, and the clause is the one it always was.
    Otherwise the rank is of the costs at the common date, which a second clause says, with the rate, each site's
    price date and this site's factor: the bundled Phoenix tariff (2024-03-08) and Chicago's (2027-06-01) are 3.2
    years apart, and site_analysis ranked each bill at its own tariff's prices while the portfolio comparison ranked
    them at one date, so the two could order the same sites differently on the same figure.
    """
    from .portfolio_score import unit_figures
    own = unit_figures(peers.loc[[site]]).iloc[0]  # the bill at its tariff's own prices
    tok, gpu_h = float(own["usd_per_m_tokens"]), float(own["usd_per_gpu_h"])
    plus = f"; the bill plus the {paid}" if paid else ""
    steps = pd.to_numeric(peers.loc[list(ranked), "escalation_steps"], errors="coerce")
    if not (steps > 0).any():
        return [f"electricity {tok:.4g} USD per million tokens (rank {rank}; {gpu_h:.3f} USD per installed GPU-hour"
                f"{plus})"]
    at = peers.loc[site, "cost_price_date"]
    date = peers.loc[site, "bill_price_date"]
    dated = isinstance(date, str) and date != ""
    first = (f"electricity {tok:.4g} USD per million tokens and {gpu_h:.3f} USD per installed GPU-hour at its tariff's "
             f"prices ({date if dated else f'its tariff gives no price date: taken as at {at}'}{plus}), rank {rank} "
             f"at {at} prices")
    billed = peers[peers["bill_usd"].notna()]  # the sites whose price dates the common date is the latest of
    listed = ", ".join(f"{who[sid]} {d}" if isinstance(d, str) and d else f"{who[sid]} no price date (not escalated)"
                       for sid, d in sorted(billed["bill_price_date"].items(),
                                            key=lambda kv: (not isinstance(kv[1], str) or not kv[1], str(kv[1]))))
    rates = peers.loc[list(ranked), "electricity_escalation_frac"].astype(float)
    rate = (f"{rates.iloc[0]:+.1%}/yr" if rates.nunique() == 1
            else ", ".join(f"{who[sid]} {r:+.1%}/yr" for sid, r in rates.items()))
    k, e = float(peers.loc[site, "escalation_steps"]), float(peers.loc[site, "electricity_escalation_frac"])
    if not dated:
        this = "this site's not: its tariff gives no price date"
    elif k > 0:
        this = (f"this site's by x{float(peers.loc[site, 'escalation_factor']):.4f}, {1 + e:g} ** {k:g}: "
                f"{float(peers.loc[site, 'usd_per_m_tokens']):.4g} USD per million tokens at {at} prices")
    elif date == at:
        this = "this site's not: its tariff's prices are the latest"
    else:
        this = f"this site's not: its price date {date} is less than a whole 12-month step before {at}"
    return [first, f"the rank compares the sites at {at} prices, the latest of their tariffs' price dates "
                   f"({listed}), as the portfolio comparison does: each bill escalated to it at "
                   f"electricity_escalation_frac ({rate}) in whole 12-month steps, as the tco notebook escalates a "
                   f"bill ({this}), so the rank rests in part on that assumed escalation, not on the tariffs alone"]
