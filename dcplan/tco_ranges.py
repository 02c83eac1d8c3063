"""The ranges the TCO's tornado and Monte Carlo vary each input over: :func:`default_ranges` (from
``data/costs.csv``, around a case's own values; a liquid-cooled site's facility cost over its own row's range,
``TcoInputs.cooling_type``), :func:`default_distributions` (triangular over them) and :func:`scenario_inputs`
(what a scenario holds). Re-exported by :mod:`dcplan.tco_uncertainty`, where they were.
"""
from __future__ import annotations

from ._ts import did_you_mean
from .errors import InputError
from .tco import TcoInputs, load_costs, scenario
from .tco_revenue import fleet_priced
from .tco_water_range import plant_wue_range

__all__ = ["RELATIVE_RANGE_KEYS", "default_ranges", "default_distributions", "scenario_inputs", "price_range_text",
           "price_range_note"]

#: ``data/costs.csv`` rows whose low/high are a spread *around the value*, not absolute
#: bounds: they scale with the input's base (``base x low / value``, ``base x high /
#: value``). Throughput is the case: the row's range is "about half to twice" the H100
#: figure, and a site takes its own fleet's throughput (GB200: about 4x the H100 figure),
#: where the H100 bounds would put both tornado ends below the base.
RELATIVE_RANGE_KEYS = frozenset({"tokens_per_s_per_accelerator"})


def default_ranges(inputs: TcoInputs, keys=None, exclude=()) -> dict[str, tuple[float, float]]:
    """The ``(low, high)`` of each uncertain input, from ``data/costs.csv``, around ``inputs``.

    Rows in :data:`RELATIVE_RANGE_KEYS` scale with the base (the site's own value), and so does the
    price per GPU-hour when it is the fleet's own sourced price (an H200's 5.408 USD/GPU-h:
    :func:`dcplan.tco_revenue.fleet_priced`; the H100 row's range 1.99-6.98 times 5.408 / 4.916,
    the H100 rentals' relative spread, as no H200 range is sourced); other rows keep the CSV bounds. Either way the range is widened to contain the base, so an
    input overridden outside its CSV range swings to one side instead of jumping over the
    base. The water use, when it is the case's own (a caller's value: the tco notebook's plant model), swings over
    an illustrative spread about it (:func:`dcplan.tco_water_range.plant_wue_range`), not the generic CSV range.
    Rows with no range (low == high == base) are left out. A range of the case's own (``inputs.ranges``: a site's
    ``finance.ranges``, :mod:`dcplan.specs.finance_ranges`) replaces the row's, as given (not scaled with the base,
    not the plant's water spread), even on a row with no range; it too is widened to contain the base (a scenario's
    value outside it).

    Parameters
    ----------
    inputs : TcoInputs
    keys : iterable of str, optional
        Inputs to vary (default: every costs.csv row with low < high, and every input of ``inputs.ranges``).
    exclude : iterable of str, optional
        Inputs held at their base value (e.g. a scenario's own inputs, which a range around
        them would draw back towards the defaults).
    """
    t = load_costs(cooling_type=inputs.cooling_type)  # a liquid-cooled site: its facility cost's range
    base = inputs.params()
    exclude = [exclude] if isinstance(exclude, str) else list(exclude)
    for k in exclude:
        if k not in t.index:
            raise InputError(f"unknown input {k!r}{did_you_mean(k, list(t.index))}", field="exclude")
    own = getattr(inputs, "ranges", None) or {}  # the case's own ranges (a site's finance.ranges)
    keys = list(keys) if keys is not None else list(t.index[(t["low"] < t["high"]) | t.index.isin(list(own))])
    out = {}
    for k in keys:
        if k not in t.index:
            raise InputError(f"unknown input {k!r}{did_you_mean(k, list(t.index))}", field="keys")
        if k in exclude:
            continue
        b = base[k]
        lo, hi, v = float(t.loc[k, "low"]), float(t.loc[k, "high"]), float(t.loc[k, "value"])
        if k in own:  # the site's own: absolute bounds, with their source (dcplan.specs.finance_ranges)
            lo, hi = own[k][0], own[k][1]
        elif (k in RELATIVE_RANGE_KEYS or (k == "revenue_usd_per_gpu_h" and fleet_priced(inputs))) and v != 0.0:
            lo, hi = b * lo / v, b * hi / v
        elif k == "wue_l_per_kwh" and k in inputs.costs:  # the plant's own: an illustrative spread about it
            lo, hi = plant_wue_range(b)
        lo, hi = min(lo, b), max(hi, b)
        if lo < hi:
            out[k] = (lo, hi)
    return out


def default_distributions(inputs: TcoInputs, keys=None, exclude=()) -> dict[str, tuple]:
    """Triangular distributions ``(low, base, high)`` over :func:`default_ranges`.

    ``base`` is the input's value in ``inputs`` (defaults or overrides). Inputs with no
    range (low == high == base) are left out.

    Parameters
    ----------
    inputs : TcoInputs
    keys : iterable of str, optional
        Inputs to vary (default: every costs.csv row with low < high).
    exclude : iterable of str, optional
        Inputs held at their base value: a scenario's own inputs (``low-price`` sets the
        price per GPU-hour; drawing it over the default range would mostly undo the
        scenario) or the discount rate (which prices the risk the draws spread).
    """
    base = inputs.params()
    return {k: ("triangular", lo, base[k], hi)
            for k, (lo, hi) in default_ranges(inputs, keys, exclude).items()}


def scenario_inputs(name: str) -> list[str]:
    """The inputs a :data:`dcplan.tco.SCENARIOS` entry sets (its cost overrides, and
    ``delay_months`` when it takes the grid delay at a quantile): hold them in an
    uncertainty analysis of that scenario (``exclude=`` of :func:`default_distributions`)."""
    sc = scenario(name)
    return list(sc["costs"]) + (["delay_months"] if sc["delay_quantile"] is not None else [])


def price_range_text(inputs: TcoInputs, price_range=None) -> str | None:
    """The price per GPU-hour's range the tornado and Monte Carlo swing, in words, for the expired-price caveat
    (:func:`dcplan.tco_cost_table.expired_row_message`). ``price_range``: the ``(low, high)`` swung (default
    :func:`default_ranges`' own); None when the range is none (the price held: the ``low-price`` scenario).

    >>> inp = TcoInputs(n_accelerators=1, it_capacity_kw=1.0, it_energy_kwh=8760.0)
    >>> price_range_text(inp)
    '1.99-6.98 USD/GPU-h'
    """
    if price_range is None:
        price_range = default_ranges(inputs, keys=["revenue_usd_per_gpu_h"]).get("revenue_usd_per_gpu_h")
    if price_range is None:
        return None
    lo, hi = (float(x) for x in price_range)
    row = load_costs().loc["revenue_usd_per_gpu_h"]
    v, rlo, rhi = float(row["value"]), float(row["low"]), float(row["high"])
    text = f"{lo:.4g}-{hi:.4g} USD/GPU-h"
    from .tco_range_source import range_source_text
    own = range_source_text(inputs, "revenue_usd_per_gpu_h")
    if own:
        return f"{text} ({own})"
    if fleet_priced(inputs) and (lo, hi) != (rlo, rhi):
        b = inputs.params()["revenue_usd_per_gpu_h"]
        text += (f": data/costs.csv's H100 range {rlo:g}-{rhi:g} times the fleet's own price over the H100's, "
                 f"{b:g}/{v:g}")
    return text


def price_range_note(inputs: TcoInputs, price_range=None) -> str:
    """A sentence when the price per GPU-hour's range reaches above data/costs.csv's high, the highest sourced price
    after the 2025 price cuts (Azure H100, 6.98 USD/GPU-h: :data:`dcplan.tco_inputs.BOUND_PROVENANCE`), else ``""``:
    a fleet's own price scales the H100 range (an H200's 5.408 USD/GPU-h: 2.189-7.679), and no source supports its
    high end. ``price_range``: as :func:`price_range_text`.

    >>> inp = TcoInputs(n_accelerators=1, it_capacity_kw=1.0, it_energy_kwh=8760.0)
    >>> price_range_note(inp, (2.189, 7.679))[:60]
    "the price range's high end, 7.679 USD/GPU-h, is above every "
    """
    if price_range is None:
        price_range = default_ranges(inputs, keys=["revenue_usd_per_gpu_h"]).get("revenue_usd_per_gpu_h")
    row = load_costs().loc["revenue_usd_per_gpu_h"]
    top = float(row["high"])
    if price_range is None or float(price_range[1]) <= top * (1 + 1e-9):
        return ""
    if "revenue_usd_per_gpu_h" in (getattr(inputs, "ranges", None) or {}):  # the site's own, with its source
        return ""
    return (f"the price range's high end, {float(price_range[1]):.4g} USD/GPU-h, is above every sourced price after "
            f"the 2025 price cuts (the highest, {top:g} USD/GPU-h: data/costs.csv's high, Azure H100 via "
            "costnimbus.com, unverified): it scales the H100 range by the fleet's own price, and no source gives "
            "the fleet's own range")
