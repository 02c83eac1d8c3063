"""Which per-accelerator prices of ``data/costs.csv`` are H100 figures standing in for a fleet's other
hardware, and what the reports say about them: the Assumptions' source texts (:func:`_stand_in_sources`, applied by
:func:`dcplan.tco_inputs.inputs_from_site`), the tco notebook's :func:`price_note` and the interconnection notebook's
idle-capital label (:func:`dcplan.tco_labels.idle_capital_label`), all from :func:`stand_in_prices`.
Re-exported by :mod:`dcplan.tco_inputs`.
"""
from __future__ import annotations

from collections.abc import Mapping

from .tco_assumptions import split_source_status, tag_source
from .tco_input_types import TcoInputs
from .tco_revenue import REVENUE_PRICED_ACCELERATORS

__all__ = ["PRICED_ACCELERATORS", "GB200_NVL72_RACK_USD", "STAND_IN_PRICES", "IT_PRICE_KEYS", "stand_in_prices",
           "stand_in_price_words", "price_note", "no_price_note_text"]


def _and(words: list) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


#: Accelerators whose server, network and storage prices ``data/costs.csv`` is sourced for
#: (DGX H100 sale price and quotes, docs/reference-data.md s.7). Other hardware gets the same
#: per-accelerator figures, flagged by :func:`price_note`.
PRICED_ACCELERATORS = frozenset({"h100-sxm"})

#: GB200 NVL72 rack price, unverified (continuumlabs; kshirol-dev, 2024 via docs/reference-data.md s.7).
GB200_NVL72_RACK_USD = (2.0e6, 3.0e6)


def _unpriced(site, priced: frozenset) -> dict[str, str]:
    """``{accelerator: hardware key}`` of the site's fleet's accelerators not in ``priced``."""
    from .power import fleet_table, hardware
    t = fleet_table(site)
    acc = {}
    for key, n in zip(t["hardware"], t["accelerators"]):
        a = hardware(key).accelerator
        if n > 0 and a and a not in priced:
            acc.setdefault(a, key)
    return acc


#: The per-accelerator prices ``data/costs.csv`` gives as H100 figures: key -> (what it is, the accelerators it is
#: sourced for). A fleet with other accelerators gets them as stand-ins (:func:`stand_in_prices`).
STAND_IN_PRICES = {"server_usd_per_accelerator": ("server price", PRICED_ACCELERATORS),
                   "network_usd_per_accelerator": ("back-end fabric price", PRICED_ACCELERATORS),
                   "storage_usd_per_accelerator": ("storage price", PRICED_ACCELERATORS),
                   "revenue_usd_per_gpu_h": ("price per GPU-hour sold", REVENUE_PRICED_ACCELERATORS)}

#: Of those, the IT capex per accelerator: what :func:`price_note` and the interconnection notebook's idle capital
#: (:func:`dcplan.tco_labels.idle_capital_label`) flag.
IT_PRICE_KEYS = ("server_usd_per_accelerator", "network_usd_per_accelerator", "storage_usd_per_accelerator")


def stand_in_prices(site, costs: Mapping, sources: Mapping, keys=tuple(STAND_IN_PRICES)) -> dict:
    """The prices of ``keys`` that are H100 figures standing in for the fleet's other accelerators:
    ``{key: (what it is, {accelerator: hardware key})}`` in ``keys``' order. The one rule for them
    (the Assumptions' sources, :func:`price_note`, the idle capital's label): a ``data/costs.csv`` default, or a
    :data:`dcplan.tco_inputs.SCENARIOS` value (its ``sources`` text ``"scenario ..."``), is the H100 figure; a
    price in ``costs`` otherwise is the site's or caller's own; a fleet without dated phases, or of the priced
    accelerators only (:data:`STAND_IN_PRICES`), has none."""
    if not getattr(site.fleet, "phases", None):
        return {}
    out = {}
    for k in keys:
        what, priced = STAND_IN_PRICES[k]
        if k in costs and not str(sources.get(k, "")).startswith("scenario "):
            continue  # the site's or caller's own price
        if acc := _unpriced(site, priced):
            out[k] = (what, acc)
    return out


def stand_in_price_words(parts: Mapping, params: Mapping) -> tuple[str, str, str, bool]:
    """:func:`stand_in_prices`' parts in words, with their values and the site-file fields that set them:
    ``("server, back-end fabric and storage prices", "33,750, 6,000 and 2,000 USD", "finance.costs.server_usd_per_
    accelerator, ... and finance.costs.storage_usd_per_accelerator", True)`` (the last: more than one, a plural
    verb). ``params``: the case's ``TcoInputs.params()``.

    >>> stand_in_price_words({"server_usd_per_accelerator": ("server price", {})},
    ...                      {"server_usd_per_accelerator": 33750})
    ('server price', '33,750 USD', 'finance.costs.server_usd_per_accelerator', False)
    """
    names = [what.removesuffix(" price") for what, _ in parts.values()]
    many = len(names) > 1
    values = _and([f"{float(params[k]):,.0f}" for k in parts]) + " USD"
    return _and(names) + (" prices" if many else " price"), values, _and([f"finance.costs.{k}" for k in parts]), many


def _stand_in_sources(site, costs: Mapping, src: Mapping) -> dict[str, str]:
    """``sources`` of the H100 prices that stand in for a fleet's other accelerators, status ``estimate``.

    The rule of :func:`dcplan.power_tokens.throughput_provenance` for throughput, applied to the
    per-accelerator prices and the price per GPU-hour (:func:`stand_in_prices`; :func:`price_note`,
    :func:`dcplan.tco_revenue.revenue_note`): for a fleet with other accelerators the source text of such a
    price keeps the figure's source and says the H100 figure stands in (the Assumptions table appends it to the
    costs.csv row's source).
    """
    out = {}
    for k, (what, acc) in stand_in_prices(site, costs, src).items():
        text, vintage, _ = split_source_status(src[k]) if k in costs else ("", None, None)
        note = (f"the H100 figure stands in for {', '.join(sorted(acc.values()))} (no sourced {what} of its own "
                "is bundled: an illustration, hence status estimate)")
        out[k] = tag_source(f"{text}; {note}" if text else note, vintage, "estimate")
    return out


def price_note(site, inputs: TcoInputs) -> str:
    """A sentence for the report when the IT prices are not the fleet's own, else ``""``.

    The server, back-end fabric and storage prices per accelerator are the H100 figures of
    ``data/costs.csv`` for every fleet (no sourced H200, B200 or MI300X price is bundled). A fleet with
    other accelerators gets a note naming them and every such price the site or user did not set
    (:func:`stand_in_prices` of :data:`IT_PRICE_KEYS`), e.g. ``"The server, back-end fabric and storage prices
    per accelerator (33,750, 6,000 and 2,000 USD) are the H100 figures of data/costs.csv; ..."``. With the
    server price among them, for GB200 it quotes the unverified NVL72 rack price per GPU (2-3 M USD / 72) for
    comparison. The price per GPU-hour sold: :func:`dcplan.tco_revenue.revenue_note`.
    """
    parts = stand_in_prices(site, inputs.costs, inputs.sources, IT_PRICE_KEYS)
    if not parts:
        return ""
    acc = next(iter(parts.values()))[1]  # (every IT price is sourced for the same accelerators)
    names, values, keys, many = stand_in_price_words(parts, inputs.params())
    note = (f"The {names} per accelerator ({values}) {'are the H100 figures' if many else 'is the H100 figure'} "
            f"of data/costs.csv; no sourced price is bundled for {', '.join(sorted(acc.values()))}.")
    if "gb200-gpu" in acc and "server_usd_per_accelerator" in parts:
        lo, hi = (x / 72.0 for x in GB200_NVL72_RACK_USD)
        note += (f" GB200 NVL72 racks are quoted at {GB200_NVL72_RACK_USD[0] / 1e6:.0f}-"
                 f"{GB200_NVL72_RACK_USD[1] / 1e6:.0f} M USD, {lo:,.0f}-{hi:,.0f} USD per GPU (unverified).")
    return note + f" Set {keys} to {'quotes' if many else 'a quote'}."


def no_price_note_text(site, inputs: TcoInputs) -> str:
    """What the tco notebook publishes as ``price_note`` when :func:`price_note` has nothing to flag.

    A site (or caller) that sets all three IT prices (:data:`IT_PRICE_KEYS`, ``finance.costs``, not a scenario's
    value: :func:`stand_in_prices`' rule) is priced at its own figures, whatever its hardware, e.g. ``"none: the
    server, back-end fabric and storage prices per accelerator (40,000, 7,000 and 2,500 USD) are the site's own
    (finance.costs.server_usd_per_accelerator, ...), not data/costs.csv's"``. Otherwise (an H100 fleet at
    ``data/costs.csv``'s prices) the server price is sourced for the fleet's hardware and the network and storage
    prices are estimates (their Assumptions status)."""
    own = {k: STAND_IN_PRICES[k] for k in IT_PRICE_KEYS
           if k in inputs.costs and not str(inputs.sources.get(k, "")).startswith("scenario ")}
    if len(own) == len(IT_PRICE_KEYS):
        names, values, keys, _ = stand_in_price_words(own, inputs.params())
        return f"none: the {names} per accelerator ({values}) are the site's own ({keys}), not data/costs.csv's"
    return ("none: the server price per accelerator is sourced for this fleet's hardware (the network and storage "
            "prices per accelerator are estimates: the Assumptions' status)")
