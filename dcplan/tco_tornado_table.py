"""The tco notebook's table of where the tornado's inputs come from (the cell after the tornado).

Each input's base value, the range swung and its source, vintage and status as the Assumptions table has
them, the status of the range itself (``range_status``: data/costs.csv's, where the low/high come from a
weaker source than the value, e.g. the price per GPU-hour's unverified range around a primary price), with
what a reader must know about a range that is not data/costs.csv's: a site's own (``finance.ranges``: its ends and
source, :func:`dcplan.tco_range_source.range_source_text`), the grid delay's (the site's own,
:func:`dcplan.tco_delay.tornado_delay_source`), the water use's (the plant's own, an illustrative spread:
:mod:`dcplan.tco_water_range`) and ``build_months``' meaning (a construction overrun from the same project start:
:data:`dcplan.tco_build_checks.BUILD_TIMING_TEXT`). Below the tornado's
inputs, two that draw no NPV bar: the throughput of the per-token figures and the utilization (held).
"""
from __future__ import annotations

import math

import pandas as pd

from .tco_build_checks import BUILD_TIMING_TEXT
from .tco_labels import plain_number
from .tco_water_range import PLANT_WUE_RANGE_TEXT

__all__ = ["tornado_sources_table", "range_statuses", "range_sources", "BUILD_MONTHS_BAR_TEXT", "RANGE_STATUS_OWN"]

#: The ``build_months`` row's addition to its source: what its bar measures.
BUILD_MONTHS_BAR_TEXT = f"the bar is {BUILD_TIMING_TEXT}"


#: ``range_status`` of a range that is not data/costs.csv's: the site's own grid delay (its interconnection
#: section, data/interconnection.csv's row for its region: the source column), the plant's own water use
#: (an ILLUSTRATIVE spread, dcplan.tco_water_range: no source) and the utilization (held, no range).
RANGE_STATUS_OWN = {"delay_months": "the site's own (source column)", "wue_l_per_kwh": "estimate",
                    "utilization_frac": "held"}


def range_statuses(keys, inputs, delay_source: str = "") -> list[str]:
    """The status of each input's tornado range (``keys``): data/costs.csv's ``range_status`` of the row the case
    takes (a liquid-cooled site's facility cost: its own row; a blank cell is the row's status, so a range as
    well sourced as its value shows the value's status), e.g. ``unverified`` for the price per GPU-hour, whose
    1.99-6.98 USD/GPU-h is from costnimbus.com around a primary AWS price; where the range is not costs.csv's,
    :data:`RANGE_STATUS_OWN` (the delay only when the site's own distribution is swung, ``delay_source`` given;
    the water use only when it is the plant's own), and a site's own range (``inputs.ranges``, its
    ``finance.ranges``) :data:`dcplan.tco_range_source.SITE_RANGE_STATUS`. ``""`` for an input of no costs.csv
    row."""
    from .tco_cost_table import load_costs  # (dcplan.tco_input_types re-exports it; this module stays light)
    rs = load_costs(cooling_type=getattr(inputs, "cooling_type", "air"))["range_status"]
    own = {"utilization_frac": True, "delay_months": bool(delay_source),
           "wue_l_per_kwh": "wue_l_per_kwh" in getattr(inputs, "costs", {})}
    from .tco_range_source import SITE_RANGE_STATUS
    site = getattr(inputs, "ranges", None) or {}  # the site's own (finance.ranges)
    return [SITE_RANGE_STATUS if k in site else RANGE_STATUS_OWN[k] if own.get(k) else str(rs.get(k, ""))
            for k in keys]


def range_sources(ranges, inputs, delay_source: str = "") -> list[str]:
    """Where each swung range (``ranges``: ``{input: (low, high)}`` as swung) comes from, in words: a site's own
    (``inputs.ranges``: :func:`dcplan.tco_range_source.range_source_text`), the site's own grid delay
    (``delay_source``, :func:`dcplan.tco_delay.tornado_delay_source`), the plant's own water use
    (:data:`dcplan.tco_water_range.PLANT_WUE_RANGE_TEXT`), else the ``data/costs.csv`` row the case takes and its
    source text, with the row's ends when the range swung differs from them (scaled with the case's value,
    widened to contain it, or held within the horizon) and, for the price per GPU-hour, the note when it tops every
    sourced price (:func:`dcplan.tco_ranges.price_range_note`). The export's Sensitivity column ``range_source``
    (with ``range_status``, :func:`range_statuses`): the range's source was on the Assumptions sheet and in the
    report's table only (a reviewer's finding)."""
    from .tco_cost_table import cost_row, load_costs
    from .tco_range_source import range_source_text
    from .tco_ranges import RELATIVE_RANGE_KEYS  # (imports dcplan.tco; this module stays light)
    from .tco_revenue import fleet_priced
    from .tco_water_range import PLANT_WUE_RANGE_TEXT
    cooling = getattr(inputs, "cooling_type", "air")
    t = load_costs(cooling_type=cooling)
    base = inputs.params()
    out = []
    for k, (lo, hi) in ranges.items():
        own = range_source_text(inputs, k)
        if own:
            out.append(own)
        elif k == "delay_months" and delay_source:
            out.append(delay_source)
        elif k == "wue_l_per_kwh" and k in getattr(inputs, "costs", {}):
            out.append(PLANT_WUE_RANGE_TEXT)
        elif k in t.index:
            r = t.loc[k]
            text = f"data/costs.csv row {cost_row(k, cooling)}: {r['source']}"
            rlo, rhi, v, b = float(r["low"]), float(r["high"]), float(r["value"]), float(base[k])
            why = []
            elo, ehi = rlo, rhi
            if (k in RELATIVE_RANGE_KEYS or (k == "revenue_usd_per_gpu_h" and fleet_priced(inputs))) and v != 0.0:
                elo, ehi = b * rlo / v, b * rhi / v  # as dcplan.tco_ranges.default_ranges scales them
                why.append("scaled with the case's value (the row's ends x value / the row's value)")
            if b < elo or b > ehi:
                elo, ehi = min(elo, b), max(ehi, b)
                why.append("widened to contain the case's value")
            if not (math.isclose(float(lo), elo, rel_tol=1e-12, abs_tol=1e-12)
                    and math.isclose(float(hi), ehi, rel_tol=1e-12, abs_tol=1e-12)):
                why.append("held within the horizon (dcplan.tco_horizon) or as the caller gave it")
            if why:
                text += (f"; the row's range {rlo:.6g}-{rhi:.6g}, swung over {float(lo):.6g}-{float(hi):.6g}: "
                         + " and ".join(why))
            if k == "revenue_usd_per_gpu_h":
                from .tco_ranges import price_range_note
                note = price_range_note(inputs, (float(lo), float(hi)))
                text += f"; {note}" if note else ""
            out.append(text)
        else:
            out.append("")
    return out


def _price_note(inputs, tr: pd.DataFrame) -> str:
    """:func:`dcplan.tco_ranges.price_range_note` of the price per GPU-hour's range swung in ``tr`` (``""``
    without a bar for it, or a range within the sourced prices)."""
    row = tr[tr["input"] == "revenue_usd_per_gpu_h"]
    if row.empty:
        return ""
    from .tco_ranges import price_range_note  # (imports dcplan.tco; this module stays light)
    return price_range_note(inputs, (float(row["low"].iloc[0]), float(row["high"].iloc[0])))


def tornado_sources_table(result, tr: pd.DataFrame, inputs, *, token_caveat: str = "",
                          delay_source: str = "", top: int = 12) -> pd.DataFrame:
    """The table: indexed by ``input`` (the tornado's first ``top``, then any input whose range is the site's own,
    ``inputs.ranges``, the throughput and the utilization), columns ``unit``, ``base``, ``low``, ``high`` (plain
    numbers, text),
    ``status`` (the value's, as the Assumptions table has it), ``range_status`` (the range's:
    :func:`range_statuses`), ``vintage``, ``source``.

    Parameters
    ----------
    result : TcoResult
        The case (its ``assumptions`` give status, vintage and source).
    tr : pandas.DataFrame
        :func:`dcplan.tco_uncertainty.tornado` of the case; its first ``top`` rows are shown.
    inputs : TcoInputs
        The case's inputs (the utilization held, whether the water use is the plant's own).
    token_caveat : str
        :func:`dcplan.tco_revenue.throughput_caveat` (added to the throughput's row).
    delay_source : str
        :func:`dcplan.tco_delay.tornado_delay_source` when the delay's range is the site's own.
    """
    a = result.assumptions.set_index("key")
    src = tr.head(top)[["input", "unit", "base", "low", "high"]].set_index("input")
    # the throughput of the per-token figures and the utilization: no NPV bar, shown with their source; and every
    # input whose range is the site's own (finance.ranges), however small its bar: the reader sees whose range it is
    own = [k for k in (getattr(inputs, "ranges", None) or {}) if k in set(tr["input"])]
    extra = [k for k in (*own, "tokens_per_s_per_accelerator", "utilization_frac") if k not in src.index]
    more = tr.set_index("input").reindex(extra)[["unit", "base", "low", "high"]].astype(object)
    if "utilization_frac" in more.index:  # held: no sourced range
        more.loc["utilization_frac"] = ["frac", inputs.params()["utilization_frac"], "held", "held"]
    src = pd.concat([src, more])
    for col in ("status", "vintage", "source"):
        src[col] = [a.loc[k, col] if k in a.index else "" for k in src.index]
    src.insert(list(src.columns).index("status") + 1, "range_status", range_statuses(src.index, inputs, delay_source))
    adds = {"utilization_frac": "no sourced range: held in the tornado and the Monte Carlo (caveat_utilization)",
            "tokens_per_s_per_accelerator": f"the per-token figures' labels: {token_caveat}" if token_caveat else "",
            "delay_months": delay_source, "build_months": BUILD_MONTHS_BAR_TEXT,
            "revenue_usd_per_gpu_h": _price_note(inputs, tr),
            "wue_l_per_kwh": PLANT_WUE_RANGE_TEXT if "wue_l_per_kwh" in inputs.costs else ""}
    if getattr(inputs, "tax_rate_schedule", None) is not None:  # the ends shift the whole schedule
        from .tco_tax_schedule import shift_text
        row = tr.loc[tr["input"] == "tax_rate_frac"]  # the range swung: its ends' rates by year
        adds["tax_rate_frac"] = shift_text(inputs.tax_rate_schedule, (float(row["low"].iloc[0]),
                                                                      float(row["high"].iloc[0]))
                                           if len(row) else None)
    from .tco_range_source import range_source_text  # a site's own range: its field, ends and source
    adds.update({k: range_source_text(inputs, k) for k in (getattr(inputs, "ranges", None) or {})})
    for k, text in adds.items():
        if text and k in src.index and text not in src.loc[k, "source"]:  # (the Assumptions' source has a site range)
            src.loc[k, "source"] += "; " + text
    for col in ("base", "low", "high"):  # plain numbers with thousands separators (never 1.17e+07)
        src[col] = [plain_number(v) for v in src[col]]
    return src


#: Where the tco notebook's site-run inputs come from (``inputs_from_site(sources=...)``): the site pipeline's
#: models (:func:`notebook_sources`).
PIPELINE_SOURCES = {
    "n_accelerators": "derived: the site fleet's accelerators (dcplan.power via dcplan.pipeline.run_site_year)",
    "it_capacity_kw": "derived: the fleet's design IT power at full build-out "
                      "(dcplan.power.fleet_design_it_kw via dcplan.pipeline.run_site_year)",
    "it_energy_kwh": "derived: the site's hourly IT power, typical year, summed and scaled to 8,760 h "
                     "(dcplan.pipeline.run_site_year)",
    "facility_energy_kwh": "derived: the site's hourly facility power (IT, losses, cooling), "
                           "typical year, scaled to 8,760 h (dcplan.pipeline.run_site_year)",
    "wue_l_per_kwh": "derived: the site's plant model, typical year: its water use over the IT energy "
                     "(dcplan.thermal_plant via dcplan.pipeline.run_site_year)",
    "it_energy_month_frac": "derived: the site's hourly IT power, typical year, by calendar month "
                            "(dcplan.pipeline.run_site_year)",
    "water_month_frac": "derived: the site's plant model's hourly water, typical year, by calendar month "
                        "(dcplan.thermal_plant via dcplan.pipeline.run_site_year)",
}
GRID_SOURCES = {
    "grid_phases": "derived: site interconnection.phases: energized date after the fleet's first start "
                   "(whole months from the first month on or after each date); MW over the fleet's "
                   "design facility power (dcplan.tco.grid_capacity)",
    "live_fleet_frac": "derived: site interconnection.phases in service by the fleet's first start: MW over "
                       "the fleet's design facility power (dcplan.tco.grid_capacity)",
}


def notebook_sources(scenario: str, grid: bool) -> dict[str, str]:
    """The tco notebook's ``sources`` for :func:`dcplan.tco_inputs.inputs_from_site`: :data:`PIPELINE_SOURCES`,
    :data:`GRID_SOURCES` when the site has grid phases (``grid``), the delay's source (the scenario's percentile
    of the site's grid delay, or none: :func:`dcplan.tco_delay.scenario_delay_source`) and the scenario's cost
    overrides (their provenance: :func:`dcplan.tco_inputs.scenario_source` replaces the text)."""
    from .tco_delay import scenario_delay_source
    from .tco_inputs import scenario as _scenario
    return {**PIPELINE_SOURCES, **(GRID_SOURCES if grid else {}), "delay_months": scenario_delay_source(scenario),
            **{k: f"scenario {scenario} (dcplan.tco.SCENARIOS)" for k in _scenario(scenario)["costs"]}}
