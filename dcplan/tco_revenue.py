"""The price per GPU-hour sold: the fleet's sourced price, and the note when it is an H100 stand-in.

:func:`fleet_revenue_price` is the price :func:`dcplan.tco_inputs.inputs_from_site` uses when neither the
site nor the caller sets ``revenue_usd_per_gpu_h`` and the fleet's accelerators all have a sourced price;
:func:`revenue_note` (and :func:`revenue_caveat`, in short) says when revenue is priced at the H100 figure
for other hardware. Re-exported by :mod:`dcplan.tco_inputs`, where they were.
"""
from __future__ import annotations

from .paths import doc_ref
from .tco_assumptions import tag_source
from .tco_input_types import TcoInputs, load_costs

__all__ = ["REVENUE_ROW_ACCELERATOR", "REVENUE_PRICES_USD_PER_GPU_H", "REVENUE_PRICED_ACCELERATORS",
           "fleet_revenue_price", "fleet_priced", "revenue_note", "revenue_caveat", "stand_in_caveat",
           "STAND_IN_MARK", "NOT_COMPARABLE", "stand_in_from_label", "throughput_caveat", "throughput_note"]

#: How every H100 stand-in caveat of a published label starts (:func:`stand_in_caveat`,
#: :func:`throughput_caveat`): the index finds it in a label by it (:func:`stand_in_from_label`).
STAND_IN_MARK = "rests on H100 stand-in figures"
#: The sentence a stand-in caveat ends with, ``{what}`` the figures it marks: the H100's figures in place of
#: the fleet's own make fleets of different hardware differ by their power and counts, not by their economics
#: (an H200 fleet at the H100 server price and its own +10 % price per GPU-hour beat an H100 fleet by that
#: price alone).
NOT_COMPARABLE = ("so {what} of fleets of different hardware are not comparable (they differ by power and counts, "
                  "not by their own economics)")


#: The accelerator ``data/costs.csv`` row ``revenue_usd_per_gpu_h`` is the price of: the AWS
#: p5.48xlarge Capacity Block price per GPU (39.33 USD/h for 8 x H100 SXM, 4.916 USD/GPU-h; AWS EC2
#: Capacity Blocks pricing page), as is the ``low-price`` scenario's 1.99 USD/GPU-h (RunPod H100,
#: :data:`dcplan.tco_inputs.SCENARIOS`).
REVENUE_ROW_ACCELERATOR = "h100-sxm"
#: Sourced prices per GPU-hour sold of other accelerators (``data/hardware.csv`` column
#: ``accelerator``): ``{accelerator: (price [USD/GPU-h], source, vintage, status)}``, from the page and
#: vintage of the H100 row, so a fleet of them is priced at its own figure (:func:`fleet_revenue_price`).
#:
#: ===========  =========  ===================================================================
#: accelerator  USD/GPU-h  source
#: ===========  =========  ===================================================================
#: h200-sxm     5.408      AWS EC2 Capacity Blocks pricing page (copy), US East: p5e.48xlarge,
#:                         8 x H200, 43.26 USD/h per instance = 5.408 per GPU; a 2024 rate valid to
#:                         2025-01-01 (docs/reference-data.md s.7, the row the H100's 4.916 is from)
#: ===========  =========  ===================================================================
REVENUE_PRICES_USD_PER_GPU_H = {
    "h200-sxm": (5.408, "AWS EC2 Capacity Blocks pricing page (copy), US East: p5e.48xlarge, 8 x H200, 43.26 USD/h "
                        "per instance = 5.408 USD/GPU-h (the page and vintage of data/costs.csv row "
                        "revenue_usd_per_gpu_h's H100 price; "
                        f"{doc_ref('reference-data.md', 's.7')})", "2024 (valid to 2025-01-01)",
                 "primary"),
}
#: Accelerators a price per GPU-hour sold is sourced for: the H100 (``data/costs.csv``) and those of
#: :data:`REVENUE_PRICES_USD_PER_GPU_H`. Other hardware is priced at the H100 figure, flagged by
#: :func:`revenue_note`.
REVENUE_PRICED_ACCELERATORS = frozenset({REVENUE_ROW_ACCELERATOR, *REVENUE_PRICES_USD_PER_GPU_H})
#: Where a scenario's price per GPU-hour comes from (the table of :data:`dcplan.tco_inputs.SCENARIOS`).
_SCENARIO_PRICE_SOURCES = {"low-price": "RunPod H100, Mar 2026, unverified"}


def _fleet_accelerators(site) -> dict[str, tuple[int, list[str]]]:
    """``{accelerator: (accelerators in the fleet, its hardware keys)}`` of the site's fleet phases."""
    from .power import fleet_table, hardware
    t = fleet_table(site)
    out: dict[str, tuple[int, list[str]]] = {}
    for key, n in zip(t["hardware"], t["accelerators"]):
        a = hardware(key).accelerator
        if n > 0 and a:
            count, keys = out.get(a, (0, []))
            out[a] = (count + int(n), keys + ([key] if key not in keys else []))
    return out


def fleet_revenue_price(site) -> tuple[float, str] | None:
    """The price per GPU-hour sold sourced for the site's fleet and its source text (with vintage and
    status, :func:`dcplan.tco_assumptions.tag_source`), or None when it is the ``data/costs.csv`` row.

    :func:`inputs_from_site` uses it when neither the site (``finance.revenue_usd_per_gpu_h``,
    ``finance.costs``) nor the caller sets the price: a fleet whose every accelerator has a sourced price
    (:data:`REVENUE_PRICED_ACCELERATORS`), one at least not the H100, is priced at its own figure
    (:data:`REVENUE_PRICES_USD_PER_GPU_H`; several kinds: the mean weighted by the fleet's accelerators,
    which does not weight the phases' dates). None (the costs.csv H100 row) for an all-H100 fleet, a
    fleet with an accelerator of no sourced price (:func:`revenue_note` says so) or no fleet phases. The
    tornado and Monte Carlo scale the row's low and high (H100 rentals; no range is sourced for the others)
    by the price over the row's (:func:`fleet_priced`, :func:`dcplan.tco_uncertainty.default_ranges`): the
    source text says so.

    >>> fleet_revenue_price(type("S", (), {"fleet": type("F", (), {"phases": ()})()})()) is None
    True
    """
    if not getattr(site.fleet, "phases", None):
        return None
    acc = _fleet_accelerators(site)
    if not acc or not set(acc) <= REVENUE_PRICED_ACCELERATORS or set(acc) == {REVENUE_ROW_ACCELERATOR}:
        return None
    row = load_costs().loc["revenue_usd_per_gpu_h"]
    rows = {a: ((float(row["value"]), f"data/costs.csv row revenue_usd_per_gpu_h ({row['source']})",
                 str(row["vintage"]), str(row["status"])) if a == REVENUE_ROW_ACCELERATOR
                else REVENUE_PRICES_USD_PER_GPU_H[a]) for a in sorted(acc)}
    total = sum(n for n, _ in acc.values())
    price = sum(acc[a][0] * rows[a][0] for a in rows) / total
    v, lo, hi = float(row["value"]), float(row["low"]), float(row["high"])
    rng = (f"the tornado and Monte Carlo scale data/costs.csv's H100 range {lo:g}-{hi:g} USD/GPU-h by this price over "
           f"the H100's {v:g}: {lo * price / v:.3f}-{hi * price / v:.3f} USD/GPU-h (the H100 rentals' relative spread; "
           "no range of the others is sourced; dcplan.tco_uncertainty.default_ranges)")
    if len(rows) == 1:
        a, (p, text, vintage, status) = next(iter(rows.items()))
        return p, tag_source(f"{text}, for the fleet's {', '.join(acc[a][1])} (dcplan.tco_inputs."
                             f"REVENUE_PRICES_USD_PER_GPU_H); {rng}", vintage, status)
    parts = "; ".join(f"{', '.join(acc[a][1])}: {acc[a][0]:,} accelerators at {p:g} USD/GPU-h, {text}"
                      for a, (p, text, _, _) in rows.items())
    order = ("primary", "secondary", "unverified", "estimate")  # the weakest figure's status is the mean's
    status = max((r[3] for r in rows.values()), key=lambda x: order.index(x) if x in order else len(order))
    vintage = "/".join(dict.fromkeys(r[2] for r in rows.values()))
    return price, tag_source(f"mean weighted by the fleet's accelerators ({parts}; dcplan.tco_inputs."
                             f"REVENUE_PRICES_USD_PER_GPU_H); {rng}", vintage, status)


#: What :func:`fleet_revenue_price`'s source text names: the mark of a price per GPU-hour that is the
#: fleet's own sourced figure (:func:`fleet_priced`).
_FLEET_PRICE_MARK = "dcplan.tco_inputs.REVENUE_PRICES_USD_PER_GPU_H)"


def fleet_priced(inputs: TcoInputs) -> bool:
    """Whether ``revenue_usd_per_gpu_h`` is the fleet's own sourced price (:func:`fleet_revenue_price`, as
    :func:`dcplan.tco_inputs.inputs_from_site` sets it: its source text names
    :data:`REVENUE_PRICES_USD_PER_GPU_H`), not the costs.csv H100 row, a scenario's or the site's price.
    :func:`dcplan.tco_uncertainty.default_ranges` then scales the row's H100 range to it."""
    return _FLEET_PRICE_MARK in str(inputs.sources.get("revenue_usd_per_gpu_h", ""))


def revenue_note(site, inputs: TcoInputs, scenario_name: str = "base") -> str:
    """A sentence for the report when the price per GPU-hour sold is an H100 price and the
    fleet has other accelerators, else ``""``.

    The ``data/costs.csv`` price (and the ``low-price`` scenario's) is an H100 price
    (:data:`REVENUE_ROW_ACCELERATOR`); :func:`inputs_from_site` prices a fleet whose accelerators all have
    a sourced price of their own (:data:`REVENUE_PRICED_ACCELERATORS`: the H200's) at it
    (:func:`fleet_revenue_price`). The price often makes the tornado's biggest bar, so a fleet with other
    accelerators (GB200, B200, MI300X; an H200 beside them, or under a scenario's H100 price) sold at the
    H100 figure gets a note naming the price, its source and the hardware, unless the site or user set
    ``revenue_usd_per_gpu_h`` (in ``inputs.costs`` and not from the scenario ``scenario_name``) or it is
    the fleet's own sourced price. :func:`revenue_caveat` is the same in short, for the NPV's label.
    """
    from .tco_inputs import _unpriced, scenario
    k = "revenue_usd_per_gpu_h"
    from_scenario = k in scenario(scenario_name)["costs"]
    if (k in inputs.costs and not from_scenario) or not getattr(site.fleet, "phases", None):
        return ""
    acc = _unpriced(site, frozenset({REVENUE_ROW_ACCELERATOR}))  # the hardware sold at this H100 figure
    if not acc:
        return ""
    price = inputs.params()[k]
    if from_scenario:
        what = (f"the {scenario_name} scenario's price, an H100 figure "
                f"({_SCENARIO_PRICE_SOURCES.get(scenario_name, 'dcplan.tco.SCENARIOS')})")
        fix = "The scenario sets it over finance.revenue_usd_per_gpu_h; run another scenario for the site's price."
    else:
        r = load_costs().loc[k]
        what = (f"the H100 figure of data/costs.csv (AWS p5.48xlarge Capacity Blocks, 8 x H100, per GPU; "
                f"{r['source']}, {r['vintage']})")
        fix = "Set finance.revenue_usd_per_gpu_h to the price this fleet will sell at."
    none = _unpriced(site, REVENUE_PRICED_ACCELERATORS)  # no sourced price of their own
    own = {a: key for a, key in acc.items() if a not in none}  # a sourced price of their own, not used here
    parts = []
    if none:
        parts.append(f"no sourced price per GPU-hour is bundled for {', '.join(sorted(none.values()))}")
    if own:
        mine = ", ".join(f"{REVENUE_PRICES_USD_PER_GPU_H[a][0]:g} USD/GPU-h" + (f" for {key}" if len(own) > 1 else "")
                         for a, key in sorted(own.items()))
        why = ("the scenario's price replaces it" if from_scenario else
               "used only for a fleet whose every accelerator has a sourced price")
        parts.append(f"it is also the price of {', '.join(sorted(own.values()))}, whose own sourced price "
                     f"({mine}, dcplan.tco_revenue.REVENUE_PRICES_USD_PER_GPU_H) is not used: {why}")
    return f"Revenue is priced at {price:g} USD/GPU-h, {what}; {'; '.join(parts)}. {fix}"


def revenue_caveat(site, inputs: TcoInputs, scenario_name: str = "base") -> str:
    """:func:`revenue_note` in short, for the label of the NPV it affects (as
    :func:`dcplan.tco_notes.residual_sale_caveat`), else ``""``: "revenue at the H100 price of 4.916
    USD/GPU-h for hgx-b200 (no sourced price of its own; caveat_revenue_note)"."""
    if not revenue_note(site, inputs, scenario_name):
        return ""
    from .tco_inputs import _unpriced
    acc = _unpriced(site, frozenset({REVENUE_ROW_ACCELERATOR}))
    none = _unpriced(site, REVENUE_PRICED_ACCELERATORS)
    why = "no sourced price of its own" if set(acc) <= set(none) else "not its own sourced price"
    return (f"revenue at the H100 price of {inputs.params()['revenue_usd_per_gpu_h']:g} USD/GPU-h for "
            f"{', '.join(sorted(acc.values()))} ({why}; caveat_revenue_note)")


def stand_in_caveat(site, inputs: TcoInputs, scenario_name: str = "base") -> str:
    """The caveat an NPV's published label carries when it rests on H100 figures standing in for the
    fleet's other hardware, else ``""``: its revenue (:func:`revenue_caveat`, the report's
    ``caveat_revenue_note``) and its IT capex: every IT price per accelerator (server, back-end fabric, storage)
    that is an H100 stand-in, the parts :func:`dcplan.tco_inputs.price_note` (``caveat_price_note``) and the
    interconnection notebook's idle capital name, by the same rule and words
    (:func:`dcplan.tco_stand_in.stand_in_prices` of :data:`~dcplan.tco_stand_in.IT_PRICE_KEYS`,
    :func:`~dcplan.tco_stand_in.stand_in_price_words`).

    "rests on H100 stand-in figures: revenue at the H100 price of 4.916 USD/GPU-h for hgx-b200 (no sourced
    price of its own; caveat_revenue_note); IT capex at the H100 server, back-end fabric and storage prices of
    33,750, 6,000 and 2,000 USD per accelerator for hgx-b200 (caveat_price_note); so NPVs of fleets of different
    hardware are not comparable: ...", ending with :data:`NOT_COMPARABLE`.
    """
    from .tco_stand_in import IT_PRICE_KEYS, stand_in_price_words, stand_in_prices
    parts = []
    rev = revenue_caveat(site, inputs, scenario_name)
    if rev:
        parts.append(rev)
    if it := stand_in_prices(site, inputs.costs, inputs.sources, IT_PRICE_KEYS):
        acc = next(iter(it.values()))[1]  # (every IT price is sourced for the same accelerators)
        names, values, _, _ = stand_in_price_words(it, inputs.params())
        parts.append(f"IT capex at the H100 {names} of {values} per accelerator for {', '.join(sorted(acc.values()))} "
                     "(caveat_price_note)")
    if not parts:
        return ""
    return f"{STAND_IN_MARK}: " + "; ".join(parts) + "; " + NOT_COMPARABLE.format(what="NPVs")


def stand_in_from_label(label) -> str:
    """The H100 stand-in caveat a published label ends with (:func:`stand_in_caveat`, from
    :data:`STAND_IN_MARK` on), ``""`` when it has none (the index's "TCO NPVs at one date" table).

    >>> stand_in_from_label("NPV after tax (valued at 2026-01); rests on H100 stand-in figures: x")
    'rests on H100 stand-in figures: x'
    """
    text = str(label or "")
    i = text.find(STAND_IN_MARK)
    return text[i:] if i >= 0 else ""


_TOKENS_KEY = "tokens_per_s_per_accelerator"


def _example_rate(inputs: TcoInputs) -> bool:
    """Whether the throughput is dcplan's example for the fleet (:func:`dcplan.power.example_throughput`, as
    :func:`dcplan.tco_inputs.inputs_from_site` sets it), not the site's or a caller's own figure."""
    from .power_tokens import split_throughput_source
    return split_throughput_source(str(inputs.sources.get(_TOKENS_KEY, ""))) is not None


def throughput_caveat(site, inputs: TcoInputs) -> str:
    """The caveat the labels of the per-token figures (``usd_per_million_tokens``, ``tokens_per_j_it``,
    ``tokens_per_j_facility``) carry when the throughput is not the fleet's own measured figure, else ``""``:
    the H100's MLPerf figure standing in for accelerators without one of their own (H200, B200, MI300X:
    :func:`dcplan.power.borrowed_throughput`), and, for a ``training`` or ``mixed`` fleet, that the figure is
    an inference benchmark. Worded as :func:`stand_in_caveat` (:data:`STAND_IN_MARK`,
    :data:`NOT_COMPARABLE`). ``""`` when the site (``finance.costs.tokens_per_s_per_accelerator``) or the
    caller sets the throughput.

    "rests on H100 stand-in figures: throughput at the H100's 3,066 tokens/s per accelerator (MLPerf
    Llama-2-70B offline) for hgx-b200 (no sourced figure of its own; caveat_throughput_note); so per-token
    figures of fleets of different hardware are not comparable: ..."
    """
    if not _example_rate(inputs) or not getattr(site.fleet, "phases", None):
        return ""
    from .power_tokens import THROUGHPUT_EXAMPLES, borrowed_throughput
    parts = []
    borrowed = borrowed_throughput(site)
    if borrowed:
        h100 = THROUGHPUT_EXAMPLES["h100-sxm/llama-2-70b-offline"]
        parts.append(f"{STAND_IN_MARK}: throughput at the H100's {h100:,.0f} tokens/s per accelerator (MLPerf "
                     f"Llama-2-70B offline) for {', '.join(borrowed)} (no sourced figure of "
                     f"{'its' if len(borrowed) == 1 else 'their'} own; caveat_throughput_note)")
    workload = site.fleet.workload
    if workload in ("training", "mixed"):
        what = "a training fleet" if workload == "training" else "a fleet that is partly training (workload mixed)"
        parts.append(f"an inference benchmark (Llama-2-70B serving) applied to {what}: tokens it would serve at this "
                     "power, not its training throughput (caveat_throughput_note)")
    if borrowed:
        parts.append(NOT_COMPARABLE.format(what="per-token figures"))
    return "; ".join(parts)


def throughput_note(site, inputs: TcoInputs) -> str:
    """:func:`throughput_caveat` in full, for the report and the export's caveat ``throughput_note``: the
    throughput used, its source, and how to set the fleet's own; ``""`` when there is no caveat."""
    caveat = throughput_caveat(site, inputs)
    if not caveat:
        return ""
    rate = inputs.params()[_TOKENS_KEY]
    from .power_tokens import split_throughput_source
    src = split_throughput_source(str(inputs.sources[_TOKENS_KEY]))[0]
    return (f"The per-token figures (usd_per_million_tokens, tokens_per_j_it, tokens_per_j_facility) take "
            f"{rate:,.0f} tokens/s per accelerator ({src}), so their labels say: {caveat}. Revenue is per GPU-hour, so the NPV does "
            "not depend on it. Set finance.costs.tokens_per_s_per_accelerator to this fleet's measured throughput.")
