"""What site_analysis's plant, carbon and water figures count, for their labels.

* :func:`plant_text`: the cooling plant named by where each loop rejects its heat ("liquid W45 (dry
  cooler) + air loop (chiller + cooling tower)"): a liquid plant's air loop (the heat the cold plates leave
  to the room, the room's losses and fans) keeps its own heat rejection, a cooling tower by default, so
  "liquid W45" alone hid that the plant still evaporates water (northern-virginia: 42,315 m3 a year,
  all of it its air loop's tower).
* :func:`water_source_text`: which loop's tower the water comes from.
* :func:`short_plant_caveat`: in hours the plant cannot carry the IT load (``derate_h``) the plant model
  counts cooling, its energy and its tower water, only for the heat it removes while the IT energy,
  tokens and bill stay the unthrottled demand: the PUE, grid import, grid carbon and water, and the
  per-GPU-hour and per-token figures made of them, all read low beside a plant that carries the load.
  One text for every such label.
* :func:`wue_label`, :func:`water_label`: the boundary. The Green Grid's WUE (ISO/IEC 30134-9:2022) is
  all the site's water over the IT energy; dcplan counts the cooling towers' evaporation and blowdown
  only (no drift, humidification or the site's other water), so its WUE reads below one of all the
  site's water, as its PUE reads below an ISO/IEC 30134-2 PUE.
* :func:`tokens_text`: the throughput a per-token figure rests on, with its caveat (the H100 figure
  standing in for a part without its own, :func:`dcplan.power.throughput_caveat`).
"""
from __future__ import annotations

from typing import Any

__all__ = ["plant_text", "water_source_text", "short_plant_caveat", "wue_label", "water_label", "TOWER_CYCLES_RANGE",
           "water_per_evaporation", "cycles_text",
           "water_free_cooling_label", "tokens_text"]

_REJECTION = {"tower": "chiller + cooling tower", "dry": "air-cooled chiller + dry cooler"}


def _params(cooling: Any):
    from .thermal_plant_params import plant_params
    return plant_params(cooling)


def plant_text(cooling: Any) -> str:
    """The plant named by where each loop rejects its heat, e.g. ``"air (chiller + cooling tower)"``,
    ``"liquid W45 (dry cooler) + air loop (chiller + cooling tower)"``, ``"liquid W17 (trim chiller +
    cooling tower) + air loop (air-cooled chiller + dry cooler)"``. ``cooling``: a ``cooling:`` section
    (:func:`dcplan.thermal_plant_params.plant_params` resolves a liquid loop's default heat rejection:
    W17-W40 tower, W45 dry cooler)."""
    p = _params(cooling)
    air = _REJECTION[p.air_heat_rejection]
    if p.type != "liquid":
        return f"air ({air})"
    rej = "cooling tower" if p.heat_rejection == "tower" else "dry cooler"
    trim = "trim chiller + " if p.trim_chiller else ""
    return f"liquid {p.liquid_class} ({trim}{rej}) + air loop ({air})"


def water_source_text(cooling: Any) -> str:
    """Which loops' cooling towers the plant's water (evaporation and blowdown) comes from, e.g. ``"the air
    loop's cooling tower alone (the liquid loop, 85 % of the IT heat, rejects to a dry cooler: no water)"``;
    ``"no loop rejects to a cooling tower: no water"`` for a waterless plant."""
    p = _params(cooling)
    air_tower = p.air_heat_rejection == "tower"
    if p.type != "liquid":
        return "the plant's cooling tower" if air_tower else "no loop rejects to a cooling tower: no water"
    share = f"{100 * p.values['liquid_heat_frac']:.0f} % of the IT heat"
    liquid_tower = p.heat_rejection == "tower"
    if air_tower and liquid_tower:
        return f"the cooling towers of both loops (the liquid loop's, {share}, and the air loop's)"
    if air_tower:
        return (f"the air loop's cooling tower alone (the liquid loop, {share}, rejects to a dry cooler: no water; "
                "the air loop carries the rest of the IT heat and the room's losses and fans)")
    if liquid_tower:
        return f"the liquid loop's cooling tower alone ({share}; the air loop's dry cooler uses no water)"
    return "no loop rejects to a cooling tower: no water"


def short_plant_caveat(derate_h: float, figure: str) -> str:
    """``"; in N h the plant cannot carry ... so this <figure> reads low beside a plant that carries the
    load"`` when ``derate_h > 0`` (hours the plant cannot carry the hour's IT load), else ``""``: the
    one caveat of every figure made of the plant's cooling energy or water (module docstring)."""
    if not derate_h > 0:
        return ""
    return (f"; in {derate_h:,.0f} h the plant cannot carry the hour's IT load: cooling there is counted only for "
            "the heat it removes while the IT energy, tokens and bill stay the unthrottled demand, so this "
            f"{figure} reads low beside a plant that carries the load")


def _water_caveat(derate_h: float, water_m3: float, figure: str) -> str:
    # a plant without a tower has no water to under-count: its 0 is exact
    return short_plant_caveat(derate_h, figure) if water_m3 > 0 else ""


#: Cycles of concentration the water labels give the water's range over (:func:`cycles_text`): an ESTIMATE of
#: common practice about data/cooling_defaults.csv's estimated 4 (dcplan.catalog_bands: "typical towers run 3 to 5
#: cycles", EnergyPlus; 6 with better water treatment), no sourced spread of a site's own.
TOWER_CYCLES_RANGE = (3.0, 6.0)


def water_per_evaporation(cycles: float) -> float:
    """Tower water (evaporation + blowdown) per unit of evaporation at ``cycles`` of concentration: blowdown is
    evaporation / (cycles - 1), so the water is cycles / (cycles - 1) of it. [-]

    >>> water_per_evaporation(4.0)
    1.3333333333333333
    """
    return 1.0 + 1.0 / (float(cycles) - 1.0)


def cycles_text(cycles: float) -> str:
    """``"4 cycles of concentration (data/cooling_defaults.csv tower_cycles, an estimate: 3 cycles +12.5 % water,
    6 cycles -10.0 %)"``: the cycles the blowdown is computed at, their status (the CSV row's, or the site's own
    value) and the water at :data:`TOWER_CYCLES_RANGE` against it, the evaporation unchanged
    (:func:`water_per_evaporation`)."""
    from .thermal_plant_params import _defaults_table
    row = _defaults_table()["tower_cycles"]
    c = float(cycles)
    where = (f"data/cooling_defaults.csv tower_cycles, {'an' if row['status'][:1] in 'aeiou' else 'a'} "
             f"{row['status']}" if c == float(row["value"]) else "the site's own value")
    lo, hi = (water_per_evaporation(x) / water_per_evaporation(c) - 1.0 for x in TOWER_CYCLES_RANGE)
    return (f"{c:g} cycles of concentration ({where}: {TOWER_CYCLES_RANGE[0]:g} cycles {100 * lo:+.1f} % water, "
            f"{TOWER_CYCLES_RANGE[1]:g} cycles {100 * hi:+.1f} %)")


def wue_label(cooling: Any, *, derate_h: float, water_m3: float, lg_ratio: float | None = None,
              cycles: float | None = None, clause: str = "") -> str:
    """The label of ``wue_l_per_kwh``: The Green Grid's definition, the narrower boundary dcplan counts,
    where the water comes from, how evaporation is computed, and :func:`short_plant_caveat`. ``lg_ratio``,
    ``cycles``: the plant's (default the ``cooling:`` section's resolved ``tower_lg_ratio`` and ``tower_cycles``,
    as :func:`water_label`); ``clause``: more of the label, e.g.
    :func:`dcplan.site_climate_checks.tower_freeze_clause`, after the caveat."""
    if lg_ratio is None or cycles is None:
        v = _params(cooling).values
        lg_ratio = v["tower_lg_ratio"] if lg_ratio is None else lg_ratio
        cycles = v["tower_cycles"] if cycles is None else cycles
    return ("Water Usage Effectiveness (site WUE, L per kWh of IT energy; The Green Grid, ISO/IEC 30134-9: all "
            "the site's water over the IT energy): here only the cooling towers' evaporation and blowdown over "
            "the IT energy, so it reads below a WUE of all the site's water (drift, humidification and the "
            f"site's other water are not modelled); water source: {water_source_text(cooling)}; tower "
            "evaporation from each hour's air: air in at the outdoor state, out saturated, EnergyPlus "
            f"SaturatedExit at a design L/G of {lg_ratio:g}; plus blowdown at {cycles_text(cycles)}; dry air "
            "evaporates more per kWh, cold air less" + _water_caveat(derate_h, water_m3, "WUE") + clause)


def water_label(cooling: Any, *, derate_h: float, water_m3: float, cycles: float | None = None) -> str:
    """The label of ``water_m3``: what it counts, whose tower, the cycles of concentration its blowdown is at with
    their status and range (:func:`cycles_text`; ``cycles``: the plant's, default the ``cooling:`` section's
    resolved ``tower_cycles``; not said for a plant without water), and :func:`short_plant_caveat`."""
    cyc = ""
    if water_m3 > 0:
        c = _params(cooling).values["tower_cycles"] if cycles is None else cycles
        cyc = f"; blowdown = evaporation / (cycles - 1) at {cycles_text(c)}"
    return ("Water a year: cooling-tower evaporation and blowdown of the plant, hour by hour (= WUE x IT energy; "
            f"drift not counted; 0 for a plant that rejects all its heat dry); water source: "
            f"{water_source_text(cooling)}" + cyc
            + _water_caveat(derate_h, water_m3, "water figure"))


def water_free_cooling_label() -> str:
    """The label of ``water_free_cooling_frac``: a share of the water (evaporation and blowdown)."""
    return ("Share of the year's water (tower evaporation and blowdown; blowdown is evaporation / (cycles - 1) in "
            "every hour, so it is the share of evaporation too) used in the free-cooling hours (no compressor "
            "running, but the tower still evaporates)")


def tokens_text(tps: float, source: str, caveat: str) -> str:
    """``"; tokens at <tps> tokens/s per accelerator (<source>[; <caveat>])"``: what a per-token figure's
    tokens rest on (``caveat``: :func:`dcplan.power.throughput_caveat`, e.g. the H100 figure standing in
    for a B200 fleet; ``""`` for none)."""
    return f"; tokens at {tps:,.0f} tokens/s per accelerator ({source}" + (f"; {caveat})" if caveat else ")")
