"""What a URDB item's unsupported fields say, and what leaving them out with ``ignore`` does
(split from :mod:`dcplan.tariff_urdb`).

* :func:`unsupported_unit_message`: the error for a tier unit dcplan does not bill. ``kWh/kW`` and
  ``kWh/hp`` tiers (and their daily forms) are billed (:mod:`dcplan.tariff_tier_units`); a ``kWh/kVA``
  tier is refused there, without an ``ignore`` hint: its bound is kWh per kVA of the month's peak, so
  billed as plain kWh it would be wrong by the peak, not by a power factor.
* :func:`ignored_key_note`: the line that says, in :attr:`dcplan.tariff_bill.Bill.notes`,
  ``Tariff.metadata["ignored"]`` and ``dcplan bill``'s header, that a field was left out of the
  bill with ``ignore`` (``--ignore``) and what the bill does instead: an override is never silent.

References
----------
.. [1] OpenEI, "Utility Rate Database API, version 8",
   https://openei.org/services/doc/rest/util_rates/?version=8 (energyratestructure ``unit``:
   kWh, kWh/kW, kWh daily, kWh/kW daily).
"""
from __future__ import annotations

from typing import Any


def _hint(name: str, what: str) -> str:
    from .tariff_urdb import ignore_hint
    return ignore_hint(name, what)


def unsupported_unit_message(tiers: list, t: int, field: str, allowed: list[str]) -> str:
    """The error for tier ``t`` of period list ``tiers`` (of rate structure ``field``), whose unit
    is not one of ``allowed`` (labels as written in messages, the first the structure's own). A per-day
    spelling of an energy unit (``kWh/day``) gets "did you mean 'kWh daily'" and no ``ignore`` hint:
    billed as monthly kWh its bound would be some 30 x too small; a daily demand tier (``kW daily``) is refused
    as the daily demand units are (:func:`dcplan.tariff_tier_units.daily_demand_message`), no hint; a scale of a
    billed unit (``MWh``, ``MW``) gets the conversion and no hint (:func:`dcplan.tariff_tier_units.scaled_message`).
    (``kWh/kW``, ``kWh/hp`` and their daily forms are billed, ``kWh/kVA`` is refused by
    :func:`dcplan.tariff_tier_units.kva_message`.)"""
    from .tariff_tier_units import daily_demand, daily_demand_message, did_you_mean_daily, scaled_message
    unit = tiers[t].get("unit")
    text = f"tier unit {unit!r} is not supported; allowed: " + ", ".join(allowed)
    daily = did_you_mean_daily(unit) if allowed[0] == "kWh" else ""
    if daily:
        return text + daily
    if allowed[0] == "kW" and daily_demand(unit):  # a daily demand tier: billed monthly, ~30 x too small
        return f"tier unit {unit!r}: " + daily_demand_message(unit)
    scale = scaled_message(unit, "energy" if allowed[0] == "kWh" else "demand", tiers)  # MWh: 1,000 x kWh
    if scale:
        return text + scale
    return text + _hint(f"{field}.unit", f"to bill it as {allowed[0]}")


def _times(mx: Any, kw: float) -> str:
    try:
        return f"{float(mx) * kw:,.0f}"
    except (TypeError, ValueError):
        return f"{mx!r} x {kw:,.0f}"


#: What the bill does instead of a field left out with ``ignore``, by lower-case key.
_IGNORED_EFFECT = {
    "demandunits": "demand billed as kW: a charge per kVA is billed on kW, which is below the kVA the "
                   "utility meters unless the power factor is 1, so demand charges are understated",
    "demandrateunit": "demand billed as kW: a charge per kVA (or hp) is billed on kW, so demand charges are "
                      "understated unless the power factor is 1",
    "flatdemandunit": "flat demand billed as kW (a charge per kVA is understated unless the power factor is 1)",
    "coincidentrateunit": "coincident demand billed as kW (a charge per kVA is understated unless the power "
                          "factor is 1)",
    "demandreactivepowercharge": "the reactive-power (kVAR) charge is left out of the bill: understated by it",
    "demandratchetpercentage": "the demand ratchet is left out: each month bills its own peak, not the ratchet's "
                               "share of the earlier months' peaks where that is higher, so demand charges are "
                               "understated in the months after a higher peak",
    "lookbackpercent": "the demand ratchet is left out: each month bills its own peak, not the ratchet's share of "
                       "the earlier months' peaks where that is higher, so demand charges are understated in the "
                       "months after a higher peak",
    "energyratestructure": "the energy charges are left out of the bill: understated by them",
    "demandratestructure": "the time-of-use demand charges are left out of the bill: understated by them",
    "flatdemandstructure": "the flat (all-hours) demand charge is left out of the bill: understated by it",
    "coincidentratestructure": "the coincident-peak demand charge is left out of the bill: understated by it",
}

#: A rate structure's own fields (lower case), refused without it: ignoring the structure means
#: ignoring them too (:func:`ignore_group_hint`).
_GROUPS = {
    "energyratestructure": ("energyweekdayschedule", "energyweekendschedule"),
    "demandratestructure": ("demandweekdayschedule", "demandweekendschedule"),
    "flatdemandstructure": ("flatdemandmonths", "flatdemandunit"),
    "coincidentratestructure": ("coincidentrateschedule", "coincidentrateunit"),
    "lookbackpercent": ("lookbackrange", "lookbackmonths"),  # a lookback ratchet's share, months back, months
}

#: What leaving a set out of the bill leaves out, where it is not "the charge".
_GROUP_WHAT = {"lookbackpercent": "the lookback demand ratchet"}


def ignore_group_hint(main: str, low: dict, ignore) -> str:
    """The hint after "given without ``main``" when the item has structure ``main`` (lower case; or
    ``lookbackpercent``, whose ``lookbackRange``/``lookbackMonths`` are refused without it)
    and ``ignore`` names it: the whole set to ignore to leave the charge out (``low``: lower-case
    key -> (key as written, value)); ``""`` otherwise."""
    if main not in low or low[main][0] not in ignore:
        return ""
    names = [low[main][0]] + [low[k][0] for k in _GROUPS.get(main, ()) if k in low]
    what = _GROUP_WHAT.get(main, "the charge")
    return (f"; {low[main][0]} is ignored, and its fields are refused without it: to leave {what} out of the "
            f"bill, ignore them all: ignore={names!r} in Python, --ignore {' '.join(names)} with dcplan bill")


def kva_tier_note(unit: str) -> str:
    """What billing a kVA demand tier as kW does (the tail of an ignored tier unit's note), or ""."""
    u = str(unit).replace(" ", "").lower()
    if "kva" not in u or "kvar" in u:
        return ""
    return (": understated, since the utility bills kVA = kW / power factor (>= kW), so the true charge is this "
            "one x 1/PF (5.3 % more at a power factor of 0.95)")


def ignored_key_note(key: str, value: Any, known: bool) -> str:
    """The note for item key ``key`` (as spelled in the file, value ``value``) left out with
    ``ignore``; ``known``: a field dcplan reads (else a key it does not know, skipped)."""
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    from .tariff_tier_units import daily_demand, daily_demand_note, scaled_note
    if key.lower() in ("demandunits", "demandrateunit", "flatdemandunit", "coincidentrateunit"):
        if daily_demand(value):  # kW daily: not a power-factor matter
            return daily_demand_note(key, value)
        if scaled_note(value, "demand"):  # MW: 1,000 x, not a power factor
            return f"{key} {shown} ignored (ignore=): demand billed as kW" + scaled_note(value, "demand")
    effect = _IGNORED_EFFECT.get(key.lower())
    if effect is None:
        effect = "left out of the bill" if known else "not a field dcplan reads: skipped"
    return f"{key} {shown} ignored (ignore=): {effect}"  # (dcplan bill says --ignore: cli_bill.ignored_lines)
