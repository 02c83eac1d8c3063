"""The status of the inputs a headline rests on (estimate, unverified, ...), said where the headline is.

A committee quotes the headline, not the data dictionary: a bill on estimated tariff prices, a PV that
"pays for itself" at an estimated price, a book value on estimated lives must say so beside the figure.

* Tariff prices: a URDB tariff file may carry the dcplan extension key :data:`PRICE_STATUS_KEY`
  (``"dcplan_price_status"``), the status of its prices in the words of ``data/SOURCES.md`` (Tariffs): a
  leading status word of :data:`PRICE_STATUS_WORDS`, optionally followed by ``", "`` or ``": "`` and what it
  means,
  e.g. ``"secondary, partly estimated (winter rates, seasons, basic charge)"``. A file without it:
  :data:`NO_PRICE_STATUS`. :func:`check_price_status` validates the key when a tariff is read
  (:func:`dcplan.tariff_urdb.parse_item`); :func:`tariff_price_status` reads it for the TCO Assumptions
  rows of the bill (:mod:`dcplan.tco_assumptions`) and :func:`bill_status_phrase` for site_analysis's
  ``bill_usd`` label (:func:`dcplan.site_bill.bill_label`).
* The on-site PV's verdict: :func:`pv_basis_text`, the installed price it rests on and its break-even,
  both from :mod:`dcplan.solar_value` (no figure copied here).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["PRICE_STATUS_KEY", "PRICE_STATUS_WORDS", "NO_PRICE_STATUS", "check_price_status",
           "tariff_price_status", "bill_status_phrase", "pv_basis_text"]

#: The dcplan extension key of a URDB tariff item giving the status of its prices (like ``dcplan_startdate_note``).
PRICE_STATUS_KEY = "dcplan_price_status"
#: Its leading word: a sourced figure's strength as ``data/costs.csv`` and docs/reference-data.md's legend
#: (estimate = no source, a planner must replace it).
PRICE_STATUS_WORDS = ("primary", "secondary", "unverified", "estimate")
#: What a tariff without :data:`PRICE_STATUS_KEY` is said to be.
NO_PRICE_STATUS = "unknown: the tariff file gives no status"
#: The words that make a tariff of a stronger leading status partly an estimate (its bill then an estimate).
PARTLY_ESTIMATED = "partly estimated"
_FORM = re.compile(r"(" + "|".join(PRICE_STATUS_WORDS) + r")(?:[,:] (\S.*))?", re.S)


def check_price_status(value: Any, file: str | None = None) -> str:
    """``value`` of :data:`PRICE_STATUS_KEY` if allowed, else an :class:`InputError` naming the file, the key,
    the value and what is allowed.

    >>> check_price_status("secondary, partly estimated (winter rates)")
    'secondary, partly estimated (winter rates)'
    """
    if not isinstance(value, str) or _FORM.fullmatch(value) is None:
        raise InputError(f"got {value!r}; allowed: a text starting with one of {', '.join(PRICE_STATUS_WORDS)}, "
                         "alone or followed by \", \" or \": \" and what it means (e.g. \"secondary, partly estimated "
                         "(winter rates)\")", file=file, field=PRICE_STATUS_KEY)
    return value


def _meta(tariff: Any) -> dict:
    return {str(k).lower(): v for k, v in dict(getattr(tariff, "metadata", None) or {}).items()}


def tariff_price_status(tariff: Any) -> tuple[str, str, str]:
    """``(name, text, status)`` of a :class:`dcplan.tariff.Tariff`'s prices.

    ``name``: ``"tariff file <file name>"`` (or the tariff's name without a file); ``text``: its
    :data:`PRICE_STATUS_KEY` or :data:`NO_PRICE_STATUS`; ``status``: the Assumptions ``status`` of a bill on
    those prices (:data:`dcplan.tco_assumptions.STATUSES`): the leading word, ``estimate`` when the text says
    the prices are :data:`PARTLY_ESTIMATED` (a bill is as weak as its weakest price), ``unverified`` without a
    status (nothing says the prices were checked)."""
    meta = _meta(tariff)
    name = (f"tariff file {Path(str(meta['file'])).name}" if meta.get("file")
            else f"tariff {getattr(tariff, 'name', '')!r}")
    text = meta.get(PRICE_STATUS_KEY)
    if text is None:
        return name, NO_PRICE_STATUS, "unverified"
    text = check_price_status(text, meta.get("file"))
    lead = _FORM.fullmatch(text).group(1)
    return name, text, "estimate" if _partly_estimated(text) else lead


def _partly_estimated(text: str) -> bool:
    """Whether a price status's words after its leading status word say some prices are estimated ("partly
    estimated", "Partially estimated", "winter rates estimated"), in any case: read so by both the TCO's bill
    rows and the bill's label (a verifier's finding: an exact, case-sensitive match let "primary, Partly
    estimated" read primary in one and nothing in the other)."""
    rest = _FORM.fullmatch(text).group(2) or ""
    return re.search(r"estimat", rest, re.I) is not None


def bill_status_phrase(tariff: Any) -> str:
    """The headline bill's short word on its prices: ``"resting on estimated tariff prices"`` (status
    estimate), ``"resting on partly estimated tariff prices"``, ``"resting on unverified tariff prices"``;
    ``""`` for primary or secondary prices and for a tariff that gives no status (its label says where its
    prices come from)."""
    if _meta(tariff).get(PRICE_STATUS_KEY) is None:
        return ""
    _, text, status = tariff_price_status(tariff)   # one reading of the words, as the TCO's bill rows
    lead = _FORM.fullmatch(text).group(1)
    if lead == "estimate":
        return "resting on estimated tariff prices"
    if status == "estimate":
        return "resting on partly estimated tariff prices"
    return "resting on unverified tariff prices" if lead == "unverified" else ""


def pv_basis_text(value: dict, pvc: dict) -> str:
    """``"at the default 1,500 USD/kWdc installed (data/costs.csv pv_usd_per_kw_dc), break-even 1,620 USD/kWdc
    (1,415 without the demand-charge saving)"``: what the PV verdict rests on. ``value``:
    :func:`dcplan.solar_value.pv_value`, ``pvc``: :func:`dcplan.solar_value.pv_annual_cost` (a site's own price
    is said as such)."""
    from .solar_value import PV_CAPEX_KEY
    price = f"{value['capex_usd_per_kw_dc']:,.0f} USD/kWdc installed"
    own = str(pvc.get("sources", {}).get(PV_CAPEX_KEY, "")).startswith("site.")
    at = (f"at the site's own {price} (finance.costs.{PV_CAPEX_KEY})" if own
          else f"at the default {price} (data/costs.csv {PV_CAPEX_KEY})")
    out = f"{at}, break-even {value['breakeven_usd_per_kw_dc']:,.0f} USD/kWdc"
    if abs(value["demand_usd"]) >= 0.5:
        out += f" ({value['breakeven_without_demand_usd_per_kw_dc']:,.0f} without the demand-charge saving)"
    return out
