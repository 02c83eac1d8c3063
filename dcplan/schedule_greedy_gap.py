"""What the saving against the cheapest-hours greedy baseline is made of where the energy price is flat or nearly so
(part of the off-peak notebook's labels, beside :mod:`dcplan.schedule_labels`).

Greedy ranks the hours of a job's window by what the job adds to the energy bill there: the price times the plant's
PUE of the hour (:func:`dcplan.schedule_baselines.greedy`), blind to demand charges. Where the tariff's energy price
varies less from hour to hour than the PUE does (one price in every hour: a flat tariff), greedy has no cheap hours of
the tariff to seek: it takes the hours the plant's PUE and the PV make cheapest, and the optimization's gain over it
is then a cut of greedy's demand peaks, not cheaper hours. A headline that read "what the optimization adds over
cheapest-hours greedy" there (189,237 USD at a flat-rate copy of the Chicago site, 0.085 $/kWh and 12 $/kW-month,
against 323 USD saved against the site's own bill) did not say so; the label now leads with what the gap is made
of, from the bills' energy and demand parts (:func:`greedy_gap_words`).
"""
from __future__ import annotations

import numpy as np

__all__ = ["spread_frac", "flat_price_text", "greedy_gap_words"]


def spread_frac(values) -> float:
    """``(max - min) / |mean|`` of ``values``, the relative spread from lowest to highest; 0 for one value, inf
    where the mean is 0 and the values differ. [-]

    >>> spread_frac([0.05, 0.05]), round(spread_frac([0.04, 0.06]), 6)
    (0.0, 0.4)
    """
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return 0.0
    ptp, mean = float(np.ptp(v)), abs(float(v.mean()))
    if ptp <= 1e-12 * max(1.0, float(np.abs(v).max())):  # one value (rounding aside)
        return 0.0
    return ptp / mean if mean > 0.0 else float("inf")


def flat_price_text(price_usd_per_kwh, pue) -> str:
    """Words for an energy price that is flat or nearly so over the hours billed, ``""`` otherwise.

    Greedy ranks hours by price x PUE, so the price is taken as nearly flat where its relative spread
    (:func:`spread_frac`) is no larger than the PUE's over the same hours: the hours greedy prefers are then set at
    least as much by the plant as by the tariff. ``price_usd_per_kwh``: the energy price of each interval [$/kWh];
    ``pue``: the plant's PUE of each interval (a scalar: one PUE) [-].

    >>> flat_price_text([0.085] * 4, [1.15, 1.2, 1.25, 1.2])
    'one energy price in every hour'
    >>> flat_price_text([0.050, 0.052, 0.050, 0.051], [1.15, 1.2, 1.25, 1.2])
    "an energy price that varies less from hour to hour than the plant's PUE (3.94 % from lowest to highest, the \
PUE 8.33 %)"
    >>> flat_price_text([0.05, 0.07, 0.05, 0.07], [1.15, 1.2, 1.25, 1.2])
    ''
    """
    p = spread_frac(price_usd_per_kwh)
    if p == 0.0:
        return "one energy price in every hour"
    q = spread_frac(np.atleast_1d(np.asarray(pue, float)))
    if p > q:
        return ""
    return (f"an energy price that varies less from hour to hour than the plant's PUE ({100 * p:.3g} % from lowest "
            f"to highest, the PUE {100 * q:.3g} %)")


def greedy_gap_words(gap_usd: float, energy_usd: float, demand_usd: float, flat_text: str,
                     largely_frac: float = 0.5) -> tuple[str, str]:
    """``(what, detail)``: what the saving vs greedy ``gap_usd`` is made of where the price is flat or nearly so
    (``flat_text``, :func:`flat_price_text`; ``("", "")`` where it is not, or the gap is not finite).

    ``what``: ``"all of it a cut of greedy's demand peaks"`` where the demand-charge part ``demand_usd`` is the whole
    gap or more (greedy's energy bill lower: its work in the plant's cooler hours), ``"mostly a cut of greedy's demand
    peaks"`` where it is more than ``largely_frac`` of it (:data:`dcplan.schedule_labels.LARGELY_FRAC`), else ``""``;
    ``detail``: why, and the gap's parts (demand, energy and, where not 0, fixed and minimum charges: the rest). [USD]

    >>> w, d = greedy_gap_words(189_237.0, -4_099.0, 193_336.0, "one energy price in every hour")
    >>> w
    "all of it a cut of greedy's demand peaks"
    >>> d
    "one energy price in every hour: greedy ranks hours by price x PUE, so it has no cheap hours of the tariff to seek \
and takes the hours the plant's PUE and the PV make cheapest, blind to the peaks it sets; of the gap, demand charges \
193,336 USD, energy charges -4,099 USD"
    >>> greedy_gap_words(100.0, 60.0, 40.0, "one energy price in every hour")[0]
    ''
    >>> greedy_gap_words(100.0, -5.0, 105.0, "")
    ('', '')
    """
    if not flat_text or not all(np.isfinite([gap_usd, energy_usd, demand_usd])):
        return "", ""
    what = ""
    if gap_usd > 0.0 and demand_usd >= gap_usd:
        what = "all of it a cut of greedy's demand peaks"
    elif gap_usd > 0.0 and demand_usd > largely_frac * gap_usd:
        what = "mostly a cut of greedy's demand peaks"
    rest = gap_usd - energy_usd - demand_usd
    parts = f"demand charges {demand_usd:,.0f} USD, energy charges {energy_usd:,.0f} USD"
    if abs(rest) >= 0.5:
        parts += f", fixed and minimum charges {rest:,.0f} USD"
    return what, (f"{flat_text}: greedy ranks hours by price x PUE, so it has no cheap hours of the tariff to seek and "
                  f"takes the hours the plant's PUE and the PV make cheapest, blind to the peaks it sets; of the gap, "
                  f"{parts}")
