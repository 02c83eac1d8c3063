"""Warnings ``dcplan validate`` gives on a URDB rate item that reads and bills, but likely not as
its author meant (:class:`~dcplan.errors.DcplanWarning`: the file is still ok).

* **A rate period no schedule uses**: a period of ``energyratestructure`` that neither
  ``energyweekdayschedule`` nor ``energyweekendschedule`` names (likewise TOU demand, flat
  demand by ``flatdemandmonths``, coincident by ``coincidentrateschedule``) is never billed: a
  schedule typed with the wrong index, or a period left over.
* **A superseded rate**: an ``enddate`` (URDB sets it when the utility replaced the rate:
  :func:`dcplan.tariff_applicability.superseded_text`), whatever the year billed.
* **No energy charge**: no ``energyratestructure``, or one whose every rate (``rate`` + ``adj``) is 0 with no
  ``fueladjustmentsmonthly`` and no real-time price file (``dcplan_rtp_price_file``): the bill is the demand
  and fixed charges alone, while a datacenter's high load factor makes energy most of a real bill (more than
  half at each bundled example site: site_analysis's energy_usd / bill_usd, 0.59-0.77 in 2026-12): a
  delivery-only rate whose supply is bought apart, or the energy section left out. A site's flat form
  with ``flat_usd_per_kwh: 0`` is warned the same (:func:`flat_no_energy_warnings`).
* **A closed last tier**: a ``max`` on a period's last tier. Usage beyond it is billed at that
  tier's rate (:mod:`dcplan.tariff`, Energy tiers and Demand: the bound is treated as open; for
  energy SAM 7.1 returns a negative kWh there instead, for demand it bills nothing above the bound),
  so a missing next tier goes unnoticed.
* **Energy tier bounds that differ between the periods of a month** (:func:`mixed_tier_bounds_note`): a
  tiered period beside an untiered one, or tiers with different ``max``, in one month's schedules. URDB does
  not say whether such blocks count the month's kWh of all periods or each period's own; SAM refuses the
  structure ("Tiers should have the same Max. Usage across Periods in the same month"). dcplan bills it (the
  month's kWh of all periods against each interval's own period's bounds) and says so: in every bill's notes
  (``Tariff.metadata["ignored"]``, so ``dcplan bill`` prints it as a note) and here.
* **A ratchet on flagged ``lookbackMonths``** (:func:`lookback_months_note`): URDB does not define the flags
  precisely; dcplan reads them as the calendar months whose peaks count toward the ratchet, while PySAM's URDB
  converter sets up a different ratchet. Said in every bill's notes and here, as the mixed tier bounds are.

On reading (:func:`load_notes`, every :meth:`~dcplan.tariff.Tariff.from_urdb`: ``dcplan validate``, ``dcplan
bill`` and each report) an item also warns when it credits exports
(:func:`dcplan.tariff_checks.export_credit_message`) or when its ``country`` is not the USA
(:func:`country_message`): dcplan reads every price as USD, so a tariff in another currency would be
billed, compared with the US sites and costed over the TCO as if its prices were dollars.

Only items that parse are checked (:func:`item_warnings` on the item as written). ``dcplan bill``
gives the same warnings on the item it bills (:func:`billed_item_warnings`), so a bill is never
silent about what ``dcplan validate`` warns of.
"""
from __future__ import annotations

import warnings

from .errors import DcplanWarning

#: (structure, schedules that name its periods, kind of schedule)
_STRUCTURES = (
    ("energyratestructure", ("energyweekdayschedule", "energyweekendschedule")),
    ("demandratestructure", ("demandweekdayschedule", "demandweekendschedule")),
    ("flatdemandstructure", ("flatdemandmonths",)),
    ("coincidentratestructure", ("coincidentrateschedule", "coincidentschedule")),
)


def _used(v) -> set:
    """Period indices a schedule (12 x 24 rows, or 12 months) names."""
    out = set()
    for row in v if isinstance(v, list) else []:
        for x in (row if isinstance(row, list) else [row]):
            if isinstance(x, (int, float)) and not isinstance(x, bool) and x == int(x):
                out.add(int(x))
    return out


def item_warnings(item: dict, file: str, prefix: str = "", *, attrs: bool = True) -> list[str]:
    """The warnings (module docstring) of a URDB item that parses; each names the file, the field
    (``prefix`` before it, e.g. ``items[1].``), the value and what to do. ``attrs=False`` leaves out
    the ``*attrs`` fields', the mixed tier bounds' and the lookbackMonths reading's (``dcplan bill`` prints
    them with the bill, from ``Tariff.metadata``)."""
    low = {str(k).lower(): (k, v) for k, v in item.items()}
    out = []
    for struct, scheds in _STRUCTURES:
        if struct not in low or not isinstance(low[struct][1], list):
            continue
        key, periods = low[struct]
        names = [low[s][0] for s in scheds if s in low and low[s][1] is not None]
        used = set().union(*(_used(low[s][1]) for s in scheds if s in low)) if names else set()
        if names:
            unused = [p for p in range(len(periods)) if p not in used]
            for p in unused:
                out.append(f"{file}: {prefix}{key}[{p}]: rate period {p} is in no schedule ({' or '.join(names)} "
                           f"name{'s' if len(names) == 1 else ''} periods {sorted(used)}), so it is never billed; "
                           "check the schedules' indices (they count from 0) or remove the period")
        for p, tiers in enumerate(periods):
            if not isinstance(tiers, list) or not tiers or not isinstance(tiers[-1], dict):
                continue
            mx = tiers[-1].get("max")
            if mx is not None:
                t = len(tiers) - 1
                unit = tiers[-1].get("unit", "kWh" if struct.startswith("energy") else "kW")
                sam = "" if struct.startswith("energy") else "; SAM 7.1 bills no demand above it"
                out.append(f"{file}: {prefix}{key}[{p}][{t}].max: the last tier has max {mx!r} ({unit}); usage "
                           f"beyond it is billed at this tier's rate (dcplan treats the last bound as open{sam}); "
                           "if the tariff has another tier above it, add it, else remove this max")
    out += _no_energy(low, file, prefix)
    if attrs:  # (dcplan bill prints it from Tariff.metadata, as the *attrs notes)
        out += [f"{file}: {prefix}{n}" for n in _item_mixed_bounds(low) + _item_lookback_months(low)]
    from .tariff_applicability import attrs_notes  # fixedattrs etc.: extra charges dcplan does not bill
    out += [f"{file}: {prefix}{n}" for n in attrs_notes(item)] if attrs else []
    from .tariff_applicability import superseded_text  # enddate: the rate was superseded
    gone = superseded_text(item)
    if gone:
        key, value = next((k, v) for k, v in item.items() if str(k).lower() == "enddate")
        out.append(f"{file}: {prefix}{key}: {value!r}: the rate was {gone}; bill the rate that replaced it "
                   "(URDB names it in the newer item's supersedes), or remove enddate if the rate still applies")
    return out


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def mixed_tier_bounds_note(upper, weekday, weekend, key: str = "energyratestructure", unit: str = "kWh") -> str:
    """The note for energy tiers whose bounds differ between the periods one month's schedules use, or "".

    ``upper`` (P, T): each period's tier upper bounds as :func:`dcplan.tariff_urdb_structures.parse_tiers`
    gives them (padded with ``inf``); ``weekday``, ``weekend`` (12, 24) period indices. Only the bounds below
    each period's last tier count (the last one is billed as open: :mod:`dcplan.tariff`), so a period of one
    open tier beside a tiered period differs. The bill then fills the tiers with the month's cumulative kWh
    of all periods, each interval against its own period's bounds (:func:`dcplan.tariff_engine.energy_by_tier`):
    the same bill as per-period blocks only when the bounds agree, which is why SAM's Utilityrate5 refuses
    such a structure and URDB does not define it.
    """
    import numpy as np
    up = np.asarray(upper, float)[:, :-1]
    if up.shape[1] == 0:
        return ""
    months, pairs = [], None
    for m in range(12):
        used = sorted(set(np.asarray(weekday)[m].tolist()) | set(np.asarray(weekend)[m].tolist()))
        rows = up[used]
        if not (rows == rows[:1]).all():
            months.append(_MONTHS[m])
            if pairs is None:
                pairs = [(p, [b for b in up[p] if np.isfinite(b)]) for p in used]
    if not months:
        return ""

    def bounds(b):
        return "open (one tier)" if not b else "max " + ", ".join(f"{x:,.6g}" for x in b)
    shown = "; ".join(f"period {p}: {bounds(b)}" for p, b in pairs[:4]) + ("; ..." if len(pairs) > 4 else "")
    when = "every month" if len(months) == 12 else ", ".join(months)
    return (f"{key}: the tier bounds ({unit}) differ between the periods of one month ({when}: "
            f"{shown}); URDB does not say whether such blocks count the month's kWh of all periods or each "
            "period's own, and SAM refuses the structure. dcplan fills the tiers with the month's kWh of all "
            "periods together, each interval against its own period's bounds: if the tariff counts each "
            "period's kWh on its own, this energy charge is wrong. Check the tariff sheet; if its blocks count "
            "the month's total kWh, give every period the same max for each tier")


def lookback_months_note(months_mask, key: str = "lookbackMonths") -> str:
    """The note for a ratchet whose lookback is set by ``lookbackMonths`` flags (``lookbackRange`` 0), or "".

    ``months_mask`` (12,) bool, Jan..Dec. URDB's API documentation does not say precisely what a flag means.
    dcplan reads a flagged month as one whose peak counts toward the ratchet: billing demand = max(the month's
    peak, ``lookbackPercent`` x the highest peak of the flagged months among the 11 before it), in every month
    (REopt's ``demand_lookback_months`` reading; SAM's own Utilityrate5 input
    ``ur_billing_demand_lookback_percentages`` has the same form, a percentage by the month whose peak counts:
    tests/test_tariff_sam.py bills this reading there to the cent). PySAM 7.1's converter
    (``UtilityRateTools.URDBv8_to_ElectricityRates``) instead passes ``lookbackRange`` (0) as SAM's lookback
    period and builds the 12 monthly rows as ``[[0, 0]] * 12``, one shared list, so one flagged month sets the
    percentage of all twelve, with the month's own peak not counted in full (column 1 = 0): SAM then bills
    every month at ``lookbackPercent`` x its own peak, a ratchet that lowers the demand charge (it also reads
    only lower-case keys, so an item spelled as URDB's API spells it, ``lookbackPercent``, gets no ratchet).
    """
    import numpy as np
    mask = np.asarray(months_mask, bool)
    if mask.shape != (12,) or not mask.any():
        return ""
    flagged = "every month" if mask.all() else ", ".join(m for m, f in zip(_MONTHS, mask) if f)
    return (f"{key}: dcplan bills the flagged months ({flagged}) as the calendar months whose peaks count toward "
            "the ratchet (each month's billing demand is at least lookbackPercent x the highest peak of the "
            "flagged months among the 11 before it, REopt's reading; URDB does not define the flags precisely), "
            "whereas PySAM's URDB converter (UtilityRateTools) gives SAM a 0-month lookback with the percentage "
            "in every month (its 12 rows are one shared list), so a SAM run from that converter bills each "
            "month's demand at lookbackPercent x that month's own peak instead")


def _item_lookback_months(low: dict) -> list[str]:
    """:func:`lookback_months_note` of an item (lower-cased keys ``low``) whose ratchet is set by flagged
    ``lookbackMonths`` with a ``lookbackPercent`` > 0 and no ``lookbackRange``; [] otherwise (what does not
    read is ``dcplan validate``'s problem, reported apart)."""
    if "lookbackmonths" not in low or "lookbackpercent" not in low:
        return []
    key, flags = low["lookbackmonths"]
    pct = low["lookbackpercent"][1]
    rng = low.get("lookbackrange", (None, 0))[1]
    if (not isinstance(flags, list) or len(flags) != 12 or not all(isinstance(f, bool) for f in flags)
            or isinstance(pct, bool) or not isinstance(pct, (int, float)) or not pct > 0
            or rng not in (0, 0.0, None)):
        return []
    note = lookback_months_note(flags, key)
    return [note] if note else []


def _item_mixed_bounds(low: dict) -> list[str]:
    """:func:`mixed_tier_bounds_note` of an item (lower-cased keys ``low``) whose energy structure and
    schedules read; [] otherwise (``dcplan validate`` reports what does not read)."""
    from .errors import InputError
    from .tariff_urdb_structures import parse_schedule, parse_tiers
    if not all(k in low for k in ("energyratestructure", "energyweekdayschedule", "energyweekendschedule")):
        return []
    key = low["energyratestructure"][0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _, upper, unit = parse_tiers(low["energyratestructure"][1], key, None, kind="energy",
                                         allow_negative=True)
            wd, we = (parse_schedule(low[f][1], f, None, upper.shape[0], key)
                      for f in ("energyweekdayschedule", "energyweekendschedule"))
    except InputError:
        return []
    note = mixed_tier_bounds_note(upper, wd, we, key, unit)
    return [note] if note else []


#: What a bill without an energy charge most likely left out, and what to do (:func:`_no_energy`,
#: :func:`flat_no_energy_warnings`).
_NO_ENERGY_FIX = ("so its bill is the demand and fixed charges alone, while a datacenter's load, running nearly "
                  "every hour, makes energy most of a bill (more than half at each bundled example site); a "
                  "delivery-only rate whose supply is bought apart? Add the supply's energy prices (dcplan bills "
                  "one tariff), or keep it if energy really is free")


def _rate_sum(tier) -> float | None:
    """``rate`` + ``adj`` of an energy tier, or None when it is not a tier of numbers."""
    if not isinstance(tier, dict):
        return None
    vals = [tier.get(k, 0) or 0 for k in ("rate", "adj")]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals):
        return None
    return float(sum(vals))


def _no_energy(low: dict, file: str, prefix: str) -> list[str]:
    """The "no energy charge" warning (module docstring) of an item by its lower-cased keys ``low``."""
    if "dcplan_rtp_price_file" in low:
        return []
    fuel = low.get("fueladjustmentsmonthly", (None, None))[1]
    if isinstance(fuel, list) and any(isinstance(v, (int, float)) and v for v in fuel):
        return []
    if "energyratestructure" not in low or not low["energyratestructure"][1]:
        return [f"{file}: {prefix}energyratestructure: missing: the rate bills no energy charge, " + _NO_ENERGY_FIX]
    key, periods = low["energyratestructure"]
    sums = [_rate_sum(t) for tiers in periods if isinstance(tiers, list) for t in tiers]
    if not sums or any(v is None or v != 0 for v in sums):
        return []
    return [f"{file}: {prefix}{key}: every energy rate is 0 $/kWh (rate + adj), so the rate bills no energy "
            "charge, " + _NO_ENERGY_FIX]


def flat_no_energy_warnings(site) -> list[str]:
    """A site whose flat tariff's ``flat_usd_per_kwh`` is 0 (module docstring, "No energy charge")."""
    t = getattr(site, "tariff", None)
    if t is None or not t.is_flat or t.flat_usd_per_kwh != 0:
        return []
    src = getattr(site, "source_file", "") or site.id
    return [f"{src}: tariff.flat_usd_per_kwh: 0 $/kWh: the flat tariff bills no energy charge, " + _NO_ENERGY_FIX]


#: ``country`` values of a US rate item: URDB v8 gives the ISO 3166 alpha-3 code, "USA" (API v8 field
#: list, https://openei.org/services/doc/rest/util_rates/?version=8); the alpha-2 code and the name too.
US_COUNTRY = frozenset({"USA", "US", "UNITED STATES", "UNITED STATES OF AMERICA"})


def country_message(item: dict, file: str | None = None, name: str | None = None) -> str:
    """The warning for a rate item whose ``country`` is set and not the USA (:data:`US_COUNTRY`, any
    case), unless it says ``"currency": "USD"`` (its prices converted); else ``""``. ``item``: the keys
    as the file spells them (any case); the message starts ``file (item 'label'): country:``."""
    low = {str(k).lower(): (k, v) for k, v in item.items()}
    key, country = low.get("country", ("country", None))
    if country in (None, "") or str(country).strip().upper() in US_COUNTRY:
        return ""
    cur = low.get("currency", (None, None))[1]
    if isinstance(cur, str) and cur.strip().upper() == "USD":
        return ""
    label = low.get("label", (None, None))[1]
    where = (f"{file} (item {label!r})" if file and label is not None else file if file
             else f"tariff {name!r}" if name else "tariff")
    return (f"{where}: {key}: {country!r} is not the USA, and dcplan bills in USD only: it reads every price of "
            "the file as USD, so prices in another currency are billed, compared with other sites and costed in the "
            "TCO as if they were dollars; convert the file's prices to USD first, then add \"currency\": \"USD\" "
            "to say they are")


def load_notes(item: dict, file: str | None = None, name: str | None = None) -> list[str]:
    """The warnings of reading a rate item (:func:`dcplan.tariff_urdb.parse_item` issues them): it
    credits exports (:func:`dcplan.tariff_checks.export_credit_message`), its ``country`` is not the
    USA (:func:`country_message`)."""
    from .tariff_checks import export_credit_message
    return [t for t in (export_credit_message(item, file, name), country_message(item, file, name)) if t]


def warn_item(item: dict, file: str, prefix: str = "") -> None:
    """Issue :func:`item_warnings` as :class:`~dcplan.errors.DcplanWarning` s."""
    for text in item_warnings(item, file, prefix):
        warnings.warn(text, DcplanWarning, stacklevel=3)


def billed_item_warnings(path, label: str | None = None, ignore=(), *, attrs: bool = True) -> list[str]:
    """:func:`item_warnings` of the rate item ``Tariff.from_urdb(path, label=label, ignore=ignore)``
    bills (read after it: the file reads), without the fields ``ignore`` leaves out; the field is
    prefixed ``items[i].`` in a file of several items, as ``dcplan validate`` names it. ``attrs``:
    as :func:`item_warnings`."""
    import json
    from pathlib import Path

    from .tariff_urdb import load_item
    item, file = load_item(str(path), label)
    prefix = ""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        data = None
    items = data.get("items") if isinstance(data, dict) else None
    if isinstance(items, list):
        prefix = next((f"items[{i}]." for i, it in enumerate(items) if it == item), "")
    ign = set(ignore)
    return item_warnings({k: v for k, v in item.items() if k not in ign}, file or str(path), prefix, attrs=attrs)
