"""Lead-time tables and their model: the wait from filing to energization, and equipment delivery.

Each region's wait (``data/interconnection.csv``), a site's own figures
(``interconnection.time_to_power``, :class:`dcplan.specs.interconnection.TimeToPowerSpec`) and
each long-lead equipment item's order-to-delivery time (``data/equipment_lead_times.csv``) is a
**two-piece lognormal** fitted exactly to the median :math:`m` and the p10 / p90 range
(:mod:`dcplan.grid` module docstring):

.. math::

    Q(q) = m\\,\\exp(z_q\\,\\sigma_\\pm), \\quad
    \\sigma_- = \\frac{\\ln(m/p_{10})}{z_{0.9}}, \\quad
    \\sigma_+ = \\frac{\\ln(p_{90}/m)}{z_{0.9}}

A site's own figures go through the same functions as a table row (:func:`wait_months`), so
figures copied from a row give that row's results to the bit. :func:`lead_time_row` gives
either as a row of the table's columns, and :func:`time_to_power_basis` the line the reports
print: a row's basis and source, or the site's own ``source``.

Every function of :mod:`dcplan.grid` that takes a ``region`` takes a region key, a site's
``interconnection:`` section (:class:`~dcplan.specs.interconnection.InterconnectionSpec`: its
region row, or its own ``time_to_power``) or a
:class:`~dcplan.specs.interconnection.TimeToPowerSpec`. All are re-exported by :mod:`dcplan.grid`.
"""
from __future__ import annotations

import functools
from typing import Iterable, Union

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from ._ts import unknown_key_message
from .catalog_checks import check_equipment, check_interconnection, read_catalog
from .errors import InputError
from .paths import data_path
from .specs.interconnection import DEFAULT_EQUIPMENT, NO_REGION_ROW_HINT, InterconnectionSpec, TimeToPowerSpec

__all__ = ["lead_times", "equipment_lead_times", "region_lead_time", "lead_time_row", "wait_months",
           "time_to_power_basis", "lead_time_quantiles", "DEFAULT_QUANTILES", "SITE_FIGURES_STATUS",
           "LeadTimeSource", "DEFAULT_EQUIPMENT", "equipment_plan", "time_to_power_driver", "time_to_power_setter",
           "quantile_words", "order_delay_words", "LATER_OF_TWO", "wait_source", "equipment_tail_notes",
           "default_equipment", "DELIVERY_ONLY_NOTE", "correlation_note", "equipment_mapping_notes",
           "time_to_power_caveats", "lead_time_size_note", "SOURCE_LOAD_FAR_BELOW_FRAC"]

#: Quantiles reported by default: p10, median, p90. [-]
DEFAULT_QUANTILES: tuple[float, ...] = (0.1, 0.5, 0.9)
#: ``status`` of a site's own figures in :func:`lead_time_row` (the table's rows say
#: ``secondary``, ``unverified`` or ``estimate``, ``data/interconnection.md``).
SITE_FIGURES_STATUS = "site figures"
_Z90 = float(ndtri(0.9))
_COLUMNS = ("name", "country", "iso", "utility", "median_months", "p10_months", "p90_months", "basis",
            "source", "vintage", "status", "source_load_mw", "source_load_basis")

#: What a ``region`` argument may be: a key of ``data/interconnection.csv``, a site's
#: ``interconnection:`` section, or a site's own ``time_to_power`` figures.
LeadTimeSource = Union[str, InterconnectionSpec, TimeToPowerSpec]


# ---------------------------------------------------------------------------
# Reference tables

@functools.lru_cache(maxsize=1)
def _read_lead_times() -> pd.DataFrame:
    """``data/interconnection.csv`` by region, read and checked once per process
    (:func:`dcplan.catalog_checks.check_interconnection`)."""
    path = str(data_path("interconnection.csv"))
    df = read_catalog(path)
    check_interconnection(df, path)
    return df.set_index("region")


@functools.lru_cache(maxsize=1)
def _read_equipment() -> pd.DataFrame:
    """``data/equipment_lead_times.csv`` by item, read and checked once per process
    (:func:`dcplan.catalog_checks.check_equipment`, which ends with
    :func:`dcplan.equipment_checks.check_equipment_more`: a row typed in days, a ``reported_max_weeks``
    not above its p90)."""
    path = str(data_path("equipment_lead_times.csv"))
    df = read_catalog(path)
    check_equipment(df, path)
    return df.set_index("item")


def lead_times() -> pd.DataFrame:
    """Large-load lead times by region (``data/interconnection.csv``, sources per row).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``region``; columns ``name, country, iso, utility, median_months,
        p10_months, p90_months, basis, source, vintage, status, source_load_mw, source_load_basis``. [months], [MW]
    """
    return _read_lead_times().copy()


def equipment_lead_times() -> pd.DataFrame:
    """Long-lead equipment (``data/equipment_lead_times.csv``): ``low_weeks, median_weeks,
    high_weeks`` (p10 / median / p90) with source per row. [weeks]"""
    return _read_equipment().copy()


def region_lead_time(region: str) -> pd.Series:
    """The ``data/interconnection.csv`` row of ``region``; an unknown key lists the known ones
    (a site's own figures: :func:`lead_time_row`)."""
    if not isinstance(region, str):
        raise InputError(f"need a region key of data/interconnection.csv, got {region!r:.80}; a site that gives "
                         "its own interconnection.time_to_power has no region: use "
                         "grid.lead_time_row(site.interconnection) (its figures and source)",
                         field="interconnection.region")
    table = _read_lead_times()
    if region not in table.index:
        raise InputError(unknown_key_message(region, table.index).replace("unknown", "unknown region", 1)
                         + " (data/interconnection.csv). " + NO_REGION_ROW_HINT, field="interconnection.region")
    return table.loc[region]


def region_country_warning(site) -> str | None:
    """The warning for a site whose ``interconnection.region`` is a region of another country than the
    site's (a Bari site with ``sg-singapore``): the row's wait from filing to energization is another
    grid's. The region's country is its ``country`` column (ISO 3166 alpha-2); the site's, the countries
    the tz database's zone tables list for its ``timezone`` (:func:`dcplan.tz_places.zone_countries`:
    ``IT, SM, VA`` for ``Europe/Rome``, written with their names: ``VA (Vatican City)``, not Virginia).
    None when they agree, or when either is not known (a region row
    without a country, a zone neither table lists, no table)."""
    from .tz_places import countries_text, zone_countries
    region = getattr(getattr(site, "interconnection", None), "region", None)
    if not region or region not in lead_times().index:
        return None
    row = lead_times().loc[region]
    country = str(row["country"] if pd.notna(row["country"]) else "").strip().upper()
    zone_cc = zone_countries().get(site.timezone)
    if not country or not zone_cc or country in zone_cc:
        return None
    where = getattr(site, "source_file", None) or f"site {site.id!r}"
    return (f"{where}: interconnection.region: {region!r} ({row['name']}) is a region of {countries_text([country])} "
            f"(data/interconnection.csv, column country), but the site's timezone {site.timezone!r} is a zone of "
            f"{countries_text(zone_cc)} (ISO 3166 country codes; the tz database's zone.tab, zone1970.tab and "
            "iso3166.tab): its wait from filing to "
            "energization is another country's grid; give the region of the site's grid. " + NO_REGION_ROW_HINT)


def lead_time_row(region: LeadTimeSource) -> pd.Series:
    """The lead time a site is planned with, as a row of ``data/interconnection.csv``'s columns.

    Parameters
    ----------
    region : str, InterconnectionSpec or TimeToPowerSpec
        A region key; a site's ``interconnection:`` section (its ``region`` row, or its own
        ``time_to_power``); or a ``time_to_power`` section alone.

    Returns
    -------
    pandas.Series
        ``name, country, iso, utility, median_months, p10_months, p90_months, basis, source,
        vintage, status, source_load_mw, source_load_basis``. For a region, its table row (named by
        the key). For a site's own figures (named ``"time_to_power"``): ``name`` the section's
        ``utility`` (else "site's own figures"), ``iso``/``utility`` the section's, the three figures [months],
        ``basis`` saying they are the site file's, ``source`` the section's ``source``, ``status``
        :data:`SITE_FIGURES_STATUS`; ``country``, ``vintage`` and the load size (``source_load_*``) empty.
    """
    if isinstance(region, str):
        return region_lead_time(region)
    ic = region if isinstance(region, InterconnectionSpec) else None
    tp = region.time_to_power if ic is not None else region
    if ic is not None and tp is None:
        if ic.region is None:  # (a validated spec has one of the two)
            raise InputError("the interconnection section has neither region nor time_to_power",
                             field="interconnection")
        return region_lead_time(ic.region)
    if not isinstance(tp, TimeToPowerSpec):
        raise InputError(_source_error(region), field="region")
    m, p10, p90 = float(tp.median_months), float(tp.p10_months), float(tp.p90_months)
    vals = {"name": (ic.utility if ic is not None and ic.utility else "site's own figures"),
            "country": "", "iso": ic.iso if ic is not None else "",
            "utility": ic.utility if ic is not None else "", "median_months": m, "p10_months": p10,
            "p90_months": p90,
            "basis": (f"the site file's own grid wait, filing to the utility's readiness to energize, p10 {p10:g} "
                      f"/ median {m:g} / p90 {p90:g} months (interconnection.time_to_power; the time to power is the "
                      "later of this and the site's equipment lead times, dcplan.grid.time_to_power)"),
            "source": tp.source, "vintage": "", "status": SITE_FIGURES_STATUS,
            "source_load_mw": np.nan, "source_load_basis": ""}
    return pd.Series([vals[c] for c in _COLUMNS], index=list(_COLUMNS), name="time_to_power", dtype=object)


def _source_error(region) -> str:
    if region is None:
        return ("no region: a site that gives its own interconnection.time_to_power has none; pass its "
                "interconnection section (e.g. grid.time_to_power(site.interconnection)), not its region")
    return (f"need a region key of data/interconnection.csv, a site's interconnection section or its "
            f"time_to_power section, got {type(region).__name__} {region!r:.80}")


def wait_months(region: LeadTimeSource) -> tuple[float, float, float]:
    """``(median, p10, p90)`` of the wait from filing to energization [months], from the region's
    table row or the site's own ``time_to_power`` (see :func:`lead_time_row`)."""
    row = lead_time_row(region)
    return float(row["median_months"]), float(row["p10_months"]), float(row["p90_months"])


def wait_source(region: LeadTimeSource) -> str:
    """Where the grid wait comes from, in words for a label: ``"the site's own figures
    (interconnection.time_to_power)"``, or ``"data/interconnection.csv row nc-duke"`` for a region
    (a key, or a site's section with ``region``)."""
    ic = region if isinstance(region, InterconnectionSpec) else None
    if isinstance(region, TimeToPowerSpec) or (ic is not None and ic.time_to_power is not None):
        return "the site's own figures (interconnection.time_to_power)"
    return f"data/interconnection.csv row {ic.region if ic is not None else region}"


#: A request below this share of the load size a row's source describes (``source_load_mw``) is told the row's
#: wait may not fit it (:func:`lead_time_size_note`): "far below", a half. [-]
SOURCE_LOAD_FAR_BELOW_FRAC = 0.5


def lead_time_size_note(region: LeadTimeSource) -> str | None:
    """The caveat for a site whose request is far below the load size its region row's source describes, or None.

    ``data/interconnection.csv`` ``source_load_mw`` / ``source_load_basis``: the size of load the row's own source
    describes (``minimum``: a threshold such as Duke's "loads > 100 MW"; ``average``: its queue's MW per request,
    such as APS's ~30 data centers requesting 18 GW, 600 MW each). A request (``interconnection.requested_mw``)
    below :data:`SOURCE_LOAD_FAR_BELOW_FRAC` of it gets this note: a wait read from much larger loads may not fit
    it (a smaller load may go through another process, or need fewer network upgrades), and no source gives the
    wait by size. None for a region key alone, a site's own figures, a row without a size, or a request near it.

    >>> from dcplan.specs.interconnection import InterconnectionSpec
    >>> lead_time_size_note(InterconnectionSpec(region="nc-duke", requested_mw=12, filed="2025-01-01"))[:69]
    'size: the row nc-duke describes loads of 100 MW or more (source_load_'
    """
    if not isinstance(region, InterconnectionSpec) or region.time_to_power is not None or region.region is None:
        return None
    row = region_lead_time(region.region)
    mw = row.get("source_load_mw")
    if mw is None or not pd.notna(mw) or not float(mw) > 0:
        return None
    mw, req = float(mw), float(region.requested_mw)
    if req >= SOURCE_LOAD_FAR_BELOW_FRAC * mw:
        return None
    what = (f"loads of {mw:g} MW or more" if row.get("source_load_basis") == "minimum"
            else f"loads of ~{mw:g} MW on average")
    return (f"size: the row {region.region} describes {what} (source_load_mw, its source); this site requests "
            f"{req:g} MW, {req / mw:.0%} of that: a wait read from much larger loads may not fit a request this size "
            "(it may go through another process or need fewer upgrades), and no source gives the wait by size")


def time_to_power_basis(region: LeadTimeSource) -> str:
    """The line the reports print under the time to power: what the wait rests on.

    ``"{name}: {basis} [{source}; status: {status}]"`` of :func:`lead_time_row`: for a region,
    its table row's basis, source and status; for a site's own ``time_to_power``, its figures
    and its ``source``. A site requesting far less than the load size the row's source describes gets
    :func:`lead_time_size_note` after it.
    """
    row = lead_time_row(region)
    size = lead_time_size_note(region)
    return f"{row['name']}: {row['basis']} [{row['source']}; status: {row['status']}]" + (f"; {size}" if size else "")


def equipment_rows(equipment: Iterable[str]) -> pd.DataFrame:
    """The ``data/equipment_lead_times.csv`` rows of ``equipment``; an unknown item lists the known ones."""
    table = _read_equipment()
    items = list(equipment)
    for it in items:
        if it not in table.index:
            raise InputError(unknown_key_message(it, table.index).replace("unknown", "unknown item", 1),
                             field="equipment")
    return table.loc[items]


def equipment_tail_notes(equipment: Iterable[str]) -> list[str]:
    """One sentence per item of ``equipment`` whose row reports a longer delivery than its p90
    (``reported_max_weeks``: the generator's "up to 110 weeks" against 30-38): that tail is not in
    the distribution the time to power draws from (:func:`dcplan.equipment_checks.tail_notes`)."""
    from .equipment_checks import tail_notes
    items = list(equipment)
    return tail_notes(equipment_rows(items), items)


def equipment_plan(region: LeadTimeSource, equipment: Iterable[str] | None = None,
                   order_delay_months: float | None = None) -> tuple[tuple[str, ...], float]:
    """The long-lead equipment on the critical path and its order delay [months after filing], as
    :func:`dcplan.grid.time_to_power` combines them with the grid wait.

    ``equipment`` / ``order_delay_months`` given: those. Left None: a site's ``interconnection:``
    section says (``equipment``: its items, ``()`` for ``none``, left out
    :data:`DEFAULT_EQUIPMENT`; ``equipment_ordered``: calendar months from ``filed`` to that date,
    :func:`dcplan.grid._months_between`, negative before filing; left out 0, ordered at filing); a
    region key or a ``time_to_power`` section alone: :data:`DEFAULT_EQUIPMENT`, ordered at filing.
    """
    ic = region if isinstance(region, InterconnectionSpec) else None
    if equipment is None:
        own = ic.equipment if ic is not None else None
        items = DEFAULT_EQUIPMENT if own is None else (() if own == "none" else tuple(own))
    else:
        items = tuple(equipment)
    if order_delay_months is None:
        order_delay_months = 0.0
        if ic is not None and ic.equipment_ordered is not None:
            from .grid import _months_between  # (dcplan.grid imports this module)
            order_delay_months = _months_between(ic.filed, ic.equipment_ordered)
    return items, order_delay_months


def order_delay_words(order_delay_months: float) -> str:
    """When the equipment is ordered, relative to filing, with a positive number of months:
    ``"at filing"``, ``"24 months before filing"``, ``"6 months after filing"`` (to 0.01 month;
    ``order_delay_months`` negative: before)."""
    m = round(abs(float(order_delay_months)), 2)
    if m == 0:
        return "at filing"
    return f"{m:g} months {'after' if order_delay_months > 0 else 'before'} filing"


def _ordered_text(region: LeadTimeSource, order_delay_months: float) -> str:
    ic = region if isinstance(region, InterconnectionSpec) else None
    if ic is not None and ic.equipment_ordered is not None and order_delay_months == equipment_plan(ic)[1]:
        return f"ordered {ic.equipment_ordered}"
    return f"ordered {order_delay_words(order_delay_months)}"


#: What :func:`time_to_power_driver` ends with when both the grid wait and equipment count: the time to
#: power is the later of the two dates drawn independently (P(T <= t) = F_grid(t) x F_equipment(t)), so its
#: median is at or above both medians, not the larger of them (:func:`correlation_note`: what a positive
#: dependence between the two would do).
LATER_OF_TWO = "the later of the two dates, drawn independently, so its median is at or above both"

#: What the time to power leaves out (the auditor's F4): it ends when the grid can energize and the equipment
#: is delivered. Said beside every time-to-power headline (in :func:`time_to_power_caveats`) and in
#: ``data/interconnection.md``.
DELIVERY_ONLY_NOTE = ("The time to power ends when the utility can energize and the long-lead equipment is "
                      "delivered: the equipment's installation, testing and commissioning after delivery are not "
                      "modelled (no sourced duration is bundled), so where the equipment sets the date, power "
                      "comes that much later.")


def equipment_mapping_notes(equipment: Iterable[str]) -> list[str]:
    """One sentence per item of ``equipment`` whose row's figures are not a published range's ends but published
    averages or maxima mapped to p10 / median / p90 (``data/equipment_lead_times.csv`` column ``mapping_note``,
    blank for the other rows): its distribution's tails, the lower above all, are then dcplan's mapping, not
    the source's, and a small chance of delivery by an early date is unreliable."""
    rows = equipment_rows(equipment)
    if "mapping_note" not in rows.columns:
        return []
    return [f"{it}: {str(n).strip()}" for it, n in rows["mapping_note"].items()
            if isinstance(n, str) and n.strip()]


def time_to_power_caveats(ttp: pd.DataFrame, equipment: Iterable[str]) -> str:
    """The caveats said beside a time-to-power headline, in one text (the notebooks print it once and publish it
    as its own figure, ``time_to_power_caveats``, not in the headline's label): the two parts drawn independently
    (:func:`correlation_note`), installation and commissioning not modelled (:data:`DELIVERY_ONLY_NOTE`), and
    the equipment rows whose figures are averages or maxima mapped to percentiles (:func:`equipment_mapping_notes`).
    ``ttp``: :func:`dcplan.grid.time_to_power`; ``equipment``: the items it counted (``()`` for none)."""
    items = tuple(equipment)
    parts = [correlation_note(ttp) if items else "", DELIVERY_ONLY_NOTE if items else (
        "The time to power ends when the utility can energize (no long-lead equipment counted): the site's own "
        "installation, testing and commissioning are not modelled.")]
    parts += [n if n.endswith(".") else n + "." for n in equipment_mapping_notes(items)]
    return " ".join(p for p in parts if p)


#: Gap between the independent median time to power and the later of the two medians below which
#: :func:`correlation_note` says a dependence changes nothing [months]: under the 0.1 month the note prints.
CORRELATION_NOTE_SAME_MONTHS = 0.05


def correlation_note(ttp: pd.DataFrame) -> str:
    """What drawing the grid wait and the equipment independently means, at the median of ``ttp``
    (:func:`dcplan.grid.time_to_power`, with a 0.5 row; ``""`` when no equipment counts, its
    ``equipment_months`` all 0).

    The model multiplies the two CDFs (independence). The two may well rise together (one load boom crowds
    the utility's studies and the transformer factories), a positive dependence the model does not draw. With
    the same two distributions, positive quadrant dependence gives ``P(G <= t, E <= t) >= F_G(t) F_E(t)``, and
    ``P(max <= t) <= min(F_G(t), F_E(t))`` always: so each quantile of the time to power lies between
    ``max(G_q, E_q)`` (the fully dependent, comonotone limit) and the independent ``T_q``: a correlation
    brings the date earlier, not later, and raises the chance of power by the planned date. Where the two
    bounds meet (within :data:`CORRELATION_NOTE_SAME_MONTHS`: the earlier part is almost always done by the
    later one's median) the note says a dependence changes nothing there.

    >>> t = pd.DataFrame({"grid_months": [24.0], "equipment_months": [34.5], "time_to_power_months": [37.5]},
    ...                  index=[0.5])
    >>> correlation_note(t).split(": ")[1][:73]
    'the median time to power would lie between 34.5 months (fully dependent, '
    """
    r = ttp.loc[0.5]
    g, e, t = float(r["grid_months"]), float(r["equipment_months"]), float(r["time_to_power_months"])
    if not (ttp["equipment_months"] > 0).any():
        return ""
    head = ("The grid wait and the equipment are drawn independently; in reality they may rise together (one "
            "load boom crowds both the utility's studies and the equipment makers), a positive dependence the model "
            "does not draw.")
    if t - max(g, e) < CORRELATION_NOTE_SAME_MONTHS:
        # the bounds meet: the earlier part is (almost) always done by the later one's median, so a dependence
        # moves neither the median nor the chance by a date near it ("between 14.0 and 14.0 ... would be higher"
        # read as a change where there is none: a new-site audit's finding)
        later, earlier = ("grid wait", "equipment") if g >= e else ("equipment", "grid wait")
        return (f"{head} Here it changes nothing at the median: the {earlier} (median {min(g, e):.1f} months) is "
                f"almost always done before the {later} ends (median {max(g, e):.1f}), so the median time to power "
                f"is {t:.1f} months either way.")
    return (f"{head} With the same two distributions it would bring the date earlier, not later: "
            f"the median time to power would lie between {max(g, e):.1f} months (fully dependent, the later of the "
            f"two medians) and {t:.1f} (independent, as modelled), and the chance of power by the planned date would "
            "be higher.")


def time_to_power_setter(ttp: pd.DataFrame, quantile: float = 0.5) -> tuple[str, float, float]:
    """Which part sets the time to power at ``quantile``, with both parts' months there: the one source of that
    choice for every label that names it (:func:`time_to_power_driver`, :func:`dcplan.tco_delay.delay_basis_text`).

    ``ttp``: :func:`dcplan.grid.time_to_power` with a ``quantile`` row. The time to power is the later of the
    grid wait and the long-lead equipment, so the part whose quantile is later sets it: ``"equipment"`` when the
    equipment's months exceed the grid wait's, else ``"grid wait"`` (a tie, and no equipment, whose months are 0).

    Returns
    -------
    tuple of (str, float, float)
        ``(part, grid_months, equipment_months)`` at ``quantile``. [-, months, months]

    >>> t = pd.DataFrame({"grid_months": [24.0, 48.0], "equipment_months": [34.5, 47.8]}, index=[0.5, 0.9])
    >>> time_to_power_setter(t), time_to_power_setter(t, 0.9)
    (('equipment', 24.0, 34.5), ('grid wait', 48.0, 47.8))
    """
    row = ttp.loc[quantile]
    g, e = float(row["grid_months"]), float(row["equipment_months"])
    return ("equipment" if e > g else "grid wait"), g, e


def quantile_words(quantile: float) -> str:
    """A quantile as a label says it: ``"median"`` at 0.5, else the percentile ``100 x quantile`` as an ordinal.

    >>> [quantile_words(q) for q in (0.5, 0.9, 0.01, 0.22, 0.13, 0.975)]
    ['median', '90th percentile', '1st percentile', '22nd percentile', '13th percentile', '97.5th percentile']
    """
    if quantile == 0.5:
        return "median"
    p = round(100 * float(quantile), 9)
    n = int(p) if float(p).is_integer() else None
    suffix = ("th" if n is None or 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))
    return f"{p:g}{suffix} percentile"


def time_to_power_driver(region: LeadTimeSource, ttp: pd.DataFrame, *, equipment: Iterable[str] | None = None,
                         order_delay_months: float | None = None, quantile: float = 0.5) -> str:
    """Which part sets the time to power at ``quantile`` (the median by default), with both parts' months there:
    the words a label puts after a date or a time to power, so it is not read as the grid wait's alone.

    ``ttp``: :func:`dcplan.grid.time_to_power` of ``region`` with the same ``equipment`` and
    ``order_delay_months`` (None: the site's own, :func:`equipment_plan`), with a ``quantile`` row. The
    part whose quantile is later "sets" it (:func:`time_to_power_setter`; the time to power is the later of
    the two, its quantile at least the larger of theirs, and the words end by saying so, as a reader sees both
    beside a larger result). E.g. ``"set by the equipment (power_transformer, switchgear, ordered at
    filing), median 34.5 months; grid wait (site figures) median 18.0; the later of the two dates,
    drawn independently, so its median is at or above both"``; at ``quantile`` 0.9 "90th percentile" in place of
    each "median". The grid wait's bracket is the status of
    its figures (:func:`lead_time_row`). Equipment nobody listed (:func:`default_equipment`) is
    "dcplan's default equipment list (...)", with "the site file gives no interconnection.equipment"
    for a site's section.
    """
    items, d = equipment_plan(region, equipment, order_delay_months)
    part, g, e = time_to_power_setter(ttp, quantile)
    q = quantile_words(quantile)
    status = lead_time_row(region)["status"]
    wait = f"grid wait ({status})"
    if not items:
        why = (" (interconnection.equipment: none)" if isinstance(region, InterconnectionSpec)
               and region.equipment == "none" and equipment is None else "")
        return f"set by the {wait} alone, {q} {g:.1f} months: no long-lead equipment{why}"
    if default_equipment(region, equipment):
        # not the site's own list: dcplan's default (data/SOURCES.md: "a dcplan default, not a sourced figure")
        site = "; the site file gives no interconnection.equipment" if isinstance(region, InterconnectionSpec) else ""
        kit = f"dcplan's default equipment list ({', '.join(items)}, {_ordered_text(region, d)}{site})"
    else:
        kit = f"the equipment ({', '.join(items)}, {_ordered_text(region, d)})"
    later = LATER_OF_TWO.replace("its median", f"its {q}")
    if part == "equipment":
        return f"set by {kit}, {q} {e:.1f} months; {wait} {q} {g:.1f}; {later}"
    return f"set by the {wait}, {q} {g:.1f} months; {kit.removeprefix('the ')} {q} {e:.1f}; {later}"


def default_equipment(region: LeadTimeSource, equipment: Iterable[str] | None = None) -> bool:
    """Whether the long-lead equipment on the critical path is :data:`DEFAULT_EQUIPMENT` because nobody
    gave a list: ``equipment`` None and ``region`` a region key, a ``time_to_power`` section, or a site's
    ``interconnection:`` section without an ``equipment`` key (pydantic's ``model_fields_set``). That list is
    dcplan's default, not a sourced figure (``data/SOURCES.md``), so labels say so (:func:`time_to_power_driver`)."""
    if equipment is not None:
        return False
    if isinstance(region, InterconnectionSpec):
        return "equipment" not in region.model_fields_set
    return True


# ---------------------------------------------------------------------------
# Two-piece lognormal

def check_quantiles(quantiles) -> np.ndarray:
    """``quantiles`` as a 1-d float array, each strictly between 0 and 1 (else an InputError)."""
    try:
        q = np.atleast_1d(np.asarray(quantiles, dtype=float))
    except (TypeError, ValueError):
        raise InputError(f"must be numbers strictly between 0 and 1, got {quantiles!r}",
                         field="quantiles") from None
    if q.size == 0 or np.any(~np.isfinite(q)) or np.any((q <= 0) | (q >= 1)):
        # plain numbers ([0.5, 1.0]), not numpy reprs ([np.float64(0.5), ...])
        raise InputError(f"must be strictly between 0 and 1, got {np.ravel(q).tolist()}", field="quantiles")
    return q


def _sigmas(median, p10, p90):
    median, p10, p90 = (np.asarray(x, dtype=float) for x in (median, p10, p90))
    if np.any(p10 <= 0) or np.any(p10 > median) or np.any(p90 < median):
        raise InputError(f"need 0 < p10 <= median <= p90, got p10={p10}, median={median}, p90={p90}",
                         field="lead time")
    return np.log(median / p10) / _Z90, np.log(p90 / median) / _Z90


def lead_time_quantiles(median, p10, p90, quantiles=DEFAULT_QUANTILES) -> np.ndarray:
    """Quantiles of a two-piece lognormal through (p10, median, p90).

    ``Q(q) = median * exp(z_q * sigma)``, with ``sigma = ln(median/p10)/z_0.9`` for
    ``q < 0.5`` and ``ln(p90/median)/z_0.9`` above (module docstring). Returns the
    same unit as the inputs; ``Q(0.1) = p10``, ``Q(0.5) = median``, ``Q(0.9) = p90`` exactly.
    """
    q = check_quantiles(quantiles)
    s_lo, s_hi = _sigmas(median, p10, p90)
    z = ndtri(q)
    return float(median) * np.exp(z * np.where(z < 0, s_lo, s_hi))


def lognormal_cdf(t, median, p10, p90) -> np.ndarray:
    """CDF of the two-piece lognormal through (p10, median, p90) at ``t`` (0 for t <= 0)."""
    t = np.asarray(t, dtype=float)
    s_lo, s_hi = _sigmas(median, p10, p90)
    with np.errstate(divide="ignore"):
        x = np.log(np.where(t > 0, t, np.nan) / median)
    s = np.where(x < 0, s_lo, s_hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(s > 0, x / np.where(s > 0, s, 1.0), np.where(x < 0, -np.inf, np.inf))
    out = ndtr(z)
    return np.where(t > 0, np.nan_to_num(out, nan=0.0), 0.0)
