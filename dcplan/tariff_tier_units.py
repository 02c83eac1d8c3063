"""Energy-tier units whose bound scales with the month's peak demand (URDB ``kWh/kW``, ``kWh/hp``,
``kWh/kVA``, and their ``daily`` forms), and what a daily demand unit says (split from
:mod:`dcplan.tariff_urdb_structures` and :mod:`dcplan.tariff_overrides`).

* ``kWh/kW`` (``kWh/kW daily``): a tier's ``max`` is kWh per kW of the billing month's peak demand
  (per day of the month: x ``days_billed``), as SAM's ``ur_ec_tou_mat`` unit 1 ("kWh/kW") and 3
  ("kWh/kW daily") bill it; the peak is the month's billed demand before any ratchet or contract
  floor (the max of the ``demandwindow`` average, :mod:`dcplan.tariff`). Checked against PySAM
  Utilityrate5 in tests/test_tariff_tier_units.py.
* ``kWh/hp`` (``kWh/hp daily``): exact: the month's peak in hp is kW / :data:`KW_PER_HP`, so a max of
  ``M`` kWh/hp is ``M / 0.745699872`` kWh/kW, and is billed so (the tier bounds are stored in kWh/kW).
* ``kWh/kVA`` (``kWh/kVA daily``): **refused**. The peak in kVA is kW / power factor, and dcplan knows
  no power factor: billed at PF 1 (the smallest kVA, so the smallest bound) it puts more energy in the
  next tier than the utility does, which understates the bill when the tiers decline (the bound at
  PF 0.9 is 11 % above the one at PF 1). A planner comparing sites wants no guessed factor hidden in
  a bill, so the error says how to write the tiers in kWh/kW with the site's own power factor
  (max / PF), which dcplan then bills exactly. Leaving the unit out (``ignore``) bills the max as
  plain kWh a month: wrong by a factor of the peak kW, not by a power factor, and the note says so.
* A scale of a billed unit (``MWh``, ``Wh``, ``GWh``, ``kWh/MW``, ``MWh daily``; ``MW``, ``W`` for demand):
  **refused**, with the conversion. URDB writes tier bounds in the six units above [1]_ and demand in kW,
  kVA or hp (SAM's URDB reader knows four of the energy units [3]_), so no URDB record has such a unit
  and dcplan does not convert it: the error says the factor (1 MWh = 1,000 kWh) and how to rewrite the
  tiers. Left out with ``ignore``, the bound would be billed as kWh as written (1,000 x too small for
  MWh), so the error offers no ``ignore`` and the note of one says so (:func:`scaled_message`). A demand
  in ``hp`` (a URDB unit) is refused the same way, with 1 hp = 0.745699872 kW: billed as kW, a charge
  per hp is 25.4 % understated, and the old "bill it as kW" hint did not say so.

References
----------
.. [1] OpenEI, "Utility Rate Database API, version 8",
   https://openei.org/services/doc/rest/util_rates/?version=8 (energyratestructure ``unit``).
.. [2] NIST SP 811 (2008), Appendix B.8: 1 horsepower (550 ft lbf/s) = 745.6999 W.
.. [3] NREL SAM, ``URDBv8_to_ElectricityRates`` (PySAM.UtilityRateTools): energy tier units kWh, kWh/kW,
   kWh daily, kWh/kW daily (``ur_ec_tou_mat`` units 0-3); any other is not read.
"""
from __future__ import annotations

import re
from typing import Any

#: kW in one (mechanical) horsepower, NIST SP 811 [2]_ (745.6999 W; 0.745699872 kW as SAM and URDB
#: converters use it).
KW_PER_HP = 0.745699872

#: Energy-tier units dcplan bills (lower case, one space) -> (unit billed, factor on ``max``).
ENERGY_UNITS = {
    "kwh": ("kwh", 1.0), "kwh daily": ("kwh daily", 1.0),
    "kwh/kw": ("kwh/kw", 1.0), "kwh/kw daily": ("kwh/kw daily", 1.0),
    "kwh/hp": ("kwh/kw", 1.0 / KW_PER_HP), "kwh/hp daily": ("kwh/kw daily", 1.0 / KW_PER_HP),
}

#: The labels of the energy-tier units, as messages write them.
ENERGY_LABELS = ("kWh", "kWh daily", "kWh/kW", "kWh/kW daily", "kWh/hp", "kWh/hp daily")


def norm(unit: Any) -> str:
    """A tier unit in lower case with single spaces (``"kWh/kW  Daily"`` -> ``"kwh/kw daily"``)."""
    return re.sub(r"\s+", " ", str(unit).strip().lower())


def per_demand(unit: Any) -> bool:
    """True for an energy unit per unit of demand (``kWh/kW``, ``kWh/hp``, ``kWh/kVA``, daily or not)."""
    return bool(re.fullmatch(r"kwh ?/ ?(kw|hp|kva)( daily)?", norm(unit)))


def kva_message(tiers: list, t: int) -> str:
    """The error for a ``kWh/kVA`` tier (tier ``t`` of ``tiers``): what its bound is, why dcplan does
    not guess the power factor, and how to write it in kWh/kW; no ``ignore`` hint (billing the bound as
    kWh is wrong by far more than any power factor)."""
    unit = tiers[t].get("unit")
    mx = next((tr.get("max") for tr in tiers if isinstance(tr, dict) and isinstance(tr.get("max"), (int, float))
               and not isinstance(tr.get("max"), bool)), None)
    daily = " a day" if "daily" in norm(unit) else ""
    eg = ""
    if mx is not None:
        eg = (f" (max {mx:g} kWh/kVA is {mx:g} kWh/kW at PF 1, {mx / 0.95:,.4g} at PF 0.95, {mx / 0.9:,.4g} at "
              "PF 0.9)")
    return (f"tier unit {unit!r} is not supported; allowed: " + ", ".join(ENERGY_LABELS)
            + f". A {unit!r} tier's max is kWh{daily} per kVA of the month's peak demand, and the peak in kVA is "
            "kW / power factor, which dcplan does not know. Write the tiers as 'kWh/kW"
            + (" daily" if daily else "") + "' with max = max / PF at the site's power factor" + eg
            + "; PF 1 gives the smallest bound. Do not leave the unit out: the max would then be billed as plain "
            "kWh a month, not x the month's peak, and nearly all the energy at the next tier's rate")


def did_you_mean_daily(unit: Any) -> str:
    """``; did you mean 'kWh daily'?`` for ``kWh/day``, ``kWh per day`` (and ``kWh/kW/day``); else ''."""
    u = norm(unit).replace(" per ", "/")
    m = re.fullmatch(r"kwh ?(/ ?(kw|hp|kva))? ?/ ?(day|d)", u)
    if not m:
        return ""
    per = {"kw": "/kW", "hp": "/hp", "kva": "/kVA"}.get(m.group(2) or "", "")
    return f"; did you mean 'kWh{per} daily'? (URDB's per-day tier units end in ' daily')"


def daily_demand(value: Any) -> bool:
    """True for a demand unit billed per day (``kW daily``, ``hp daily``, ``kVA daily``)."""
    return "daily" in norm(value) or norm(value).endswith("/day")


def daily_demand_message(value: Any) -> str:
    """The error for a daily demand unit: refused, and not to be ignored (billed as a monthly peak,
    the charge is understated about 30 x: each day's peak is charged, some 30 a month)."""
    return (f"demand unit {value!r} is not supported (allowed: kW): a daily demand charge bills each day's peak "
            "kW, summed over the month's days, and dcplan bills one peak a month; leaving the unit out would "
            "understate the charge about 30 x. Bill it outside dcplan, or write the rate as a monthly kW charge "
            "of rate x days in the month (an upper bound: exact only when every day's peak is the month's)")


def daily_demand_note(key: str, value: Any) -> str:
    """The ``ignore`` note for a daily demand unit left out: what the bill then does."""
    return (f"{key} {value!r} ignored (ignore=): a daily demand charge billed once a month on the month's peak: "
            "understated about 30 x (the utility charges each day's peak)")


#: kW in a W, kW, MW, GW (the SI prefixes a unit of a scaled tier may carry; lower case).
_KW_PER = {"": 1e-3, "k": 1.0, "m": 1e3, "g": 1e6}


def scaled(unit: Any, kind: str) -> tuple[str, float] | None:
    """``(unit billed, factor)`` when ``unit`` is a power-of-ten scale of a unit dcplan bills
    (``kind="energy"``: ``MWh`` -> ``("kWh", 1000.0)``, ``kWh/MW`` -> ``("kWh/kW", 0.001)``, ``MWh daily``;
    ``kind="demand"``: ``MW`` -> ``("kW", 1000.0)``), a bound in ``unit`` being ``factor`` x one in the
    unit billed; else None (a unit billed as it is, or no scale of one)."""
    u = norm(unit)
    if kind == "energy":
        m = re.fullmatch(r"(?P<e>[kmg]?)wh(?: ?/ ?(?P<d>[kmg]?)w)?(?P<daily> daily)?", u)
        if not m or (m["e"] == "k" and m["d"] in (None, "k")):
            return None
        per = m["d"] is not None
        return ("kWh" + ("/kW" if per else "") + (m["daily"] or ""),
                _KW_PER[m["e"]] / (_KW_PER[m["d"]] if per else 1.0))
    if u == "hp":  # 1 hp = 0.745699872 kW, exact (NIST SP 811)
        return ("kW", KW_PER_HP)
    m = re.fullmatch(r"(?P<d>[kmg]?)w", u)
    return None if not m or m["d"] == "k" else ("kW", _KW_PER[m["d"]])


def _n(x: float) -> str:
    """A factor or bound as written in messages: 1,000; 1,000,000; 0.001; 0.2."""
    return f"{x:,.0f}" if x >= 1 and x == round(x) else f"{x:,.9g}"


def _off(f: float) -> str:
    """How far off a quantity billed as written is, the true one ``f`` x it: ``1,000 x too small``,
    ``25.4 % too small`` (a factor under 10 in percent)."""
    if f > 1:
        return f"{_n(f)} x too small" if f >= 10 else f"{1 - 1 / f:.1%} too small".replace("%", " %")
    return f"{_n(1 / f)} x too large" if 1 / f >= 10 else f"{1 / f - 1:.1%} too large".replace("%", " %")


def scaled_message(unit: Any, kind: str, tiers: list | None = None) -> str:
    """The tail of the error for a tier or demand unit that is a scale of one dcplan bills
    (:func:`scaled`): the factor, how to rewrite the tiers (with the first ``max`` of ``tiers`` as an
    example) and why not to leave the unit out; "" for any other unit."""
    sc = scaled(unit, kind)
    if sc is None:
        return ""
    to, f = sc
    mx = next((tr.get("max") for tr in tiers or () if isinstance(tr, dict) and isinstance(tr.get("max"), (int, float))
               and not isinstance(tr.get("max"), bool)), None)
    eg = "" if mx is None else f"; max {mx:g} {unit} = {_n(mx * f)} {to}"
    if kind == "demand":
        what = (f"1 hp = {_n(f)} kW (NIST SP 811), which dcplan does not convert" if norm(unit) == "hp" else
                f"{unit!r} is no URDB demand unit (URDB's are kW, kVA and hp) but {_n(f)} x kW")
        return (f": {what}: write the demand "
                f"tiers in kW (each max x {_n(f)}, each rate per {unit} / {_n(f)} for $/kW{eg}). Do not leave the "
                f"unit out: a rate per {unit} billed per kW is a charge {_off(1 / f)}")
    what = (f": {unit!r} is no URDB tier unit (URDB writes tier maxima in kWh, kWh daily, kWh/kW, kWh/kVA, kWh/hp "
            f"or kWh/kW daily) but ")
    if f == 1:
        return what + f"{to!r} by another name: write the tiers with unit {to!r}, their maxima as they are"
    out = what + f"{_n(f)} x {to!r}: write the tiers with unit {to!r} and each max x {_n(f)}{eg}; the rates stay $/kWh"
    if "/kW" in to:  # left out, the unit is plain kWh: the bound is not x the peak at all
        return out + (". Do not leave the unit out: each max would be billed as plain kWh a month, not x the "
                      "month's peak demand")
    return out + f". Do not leave the unit out: each max would be billed as {to} as written, a bound {_off(f)}"


def scaled_note(unit: Any, kind: str) -> str:
    """The tail of the ``ignore`` note of a scaled unit left out (billed as the unit it scales), or ""
    (also for a per-demand scale such as ``kWh/MW``: its note says the bound is not x the peak)."""
    sc = scaled(unit, kind)
    if sc is None or "/kW" in sc[0]:
        return ""
    to, f = sc
    if kind == "energy":
        return f": {unit} is {_n(f)} x {to}, so this bound is {_off(f)}: this tier's bill is wrong"
    return f": a rate per {unit} billed per kW is a charge {_off(1 / f)}, and a max in {unit} a bound {_off(f)}"
