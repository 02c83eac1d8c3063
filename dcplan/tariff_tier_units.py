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

References
----------
.. [1] OpenEI, "Utility Rate Database API, version 8",
   https://openei.org/services/doc/rest/util_rates/?version=8 (energyratestructure ``unit``).
.. [2] NIST SP 811 (2008), Appendix B.8: 1 horsepower (550 ft lbf/s) = 745.6999 W.
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
