"""Cooling-plant parameters: sourced defaults, the resolved :class:`PlantParams`, overrides.

Part of the hourly cooling-plant model (:mod:`dcplan.thermal_plant`, which re-exports
every name here). :func:`plant_params` resolves a site's ``cooling:`` section
(``dcplan.specs.CoolingSpec``) into :class:`PlantParams`: the sourced defaults of
``data/cooling_defaults.csv`` (read once, :func:`cooling_defaults`), the spec's own
figures, then keyword overrides, each checked against its allowed range
(``_OVERRIDE_BOUNDS``). Also the ASHRAE TC9.9 air and liquid class tables the plant
and its summaries use, and :func:`chiller_design_conditions`, the outdoor condition at which
the plant's chillers deliver their rated capacity (selected for the site's weather).

All defaults come from ``data/cooling_defaults.csv`` (sources and status in
``data/cooling_defaults.md``); many are design estimates and are marked so.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any, Mapping

import numpy as np

from ._ts import unknown_key_message
from .errors import InputError
from .paths import data_path

__all__ = ["PlantParams", "plant_params", "cooling_defaults", "free_cooling_limits", "chiller_design_conditions",
           "tower_design", "rejector_limit_degc",
           "W_CLASS_MAX_DEGC", "ASHRAE_AIR_CLASSES", "LIQUID_CLASS_PLANT"]


#: Maximum facility-water supply per ASHRAE TC9.9 liquid class (2021 naming: the
#: number is the upper supply limit, lower limit 2 degC). Source: docs/reference-data.md 3b
#: (secondary summaries of Thermal Guidelines 5th ed.).
W_CLASS_MAX_DEGC = {"W17": 17.0, "W27": 27.0, "W32": 32.0, "W40": 40.0, "W45": 45.0}

#: ASHRAE TC9.9 (Thermal Guidelines 5th ed. 2021, reference card Table 2.1) air
#: inlet envelopes, dry bulb [degC]: (recommended low, high, allowable low, high).
#: H1 allowable low bound is not in docs/reference-data.md (only "up to 25"): 5 degC assumed.
ASHRAE_AIR_CLASSES = {
    "A1": (18.0, 27.0, 15.0, 32.0),
    "A2": (18.0, 27.0, 10.0, 35.0),
    "A3": (18.0, 27.0, 5.0, 40.0),
    "A4": (18.0, 27.0, 5.0, 45.0),
    "H1": (18.0, 22.0, 5.0, 25.0),
}

#: Default liquid-loop heat rejection and trim chiller per liquid class, as the
#: class descriptions in docs/reference-data.md 3b give them (W17/W27 chiller plants,
#: W32/W40 cooling tower "chiller-free in many climates", W45 dry cooler).
LIQUID_CLASS_PLANT = {
    "W17": ("tower", True), "W27": ("tower", True), "W32": ("tower", False),
    "W40": ("tower", False), "W45": ("dry", False),
}


#: Rows of ``data/cooling_defaults.csv`` whose value may be blank, with what blank means: the
#: chillers' design condition "from the weather" (:func:`chiller_design_conditions`), the trim
#: chiller "sized for the design condition" (:func:`_trim_chiller_size`;
#: :mod:`dcplan.thermal_plant_loop`, "trim chiller size"). Their value in :class:`PlantParams` is
#: then None, and an override of None restores that (NaN is refused: a failed computation's NaN ran as None).
_BLANK_MEANS = {"chiller_design_db_degc": "from the weather", "chiller_design_wb_degc": "from the weather",
                "trim_chiller_frac": "sized for the design condition"}

#: A weather frame of at least this many hours (a year) gives the chillers' design condition as
#: the 99.6th percentile of its hours: the value exceeded in 0.4 % of them, as ASHRAE's annual
#: 0.4 % cooling dry bulb and evaporation wet bulb (Handbook of Fundamentals ch. 14), but of one
#: typical year, not ASHRAE's long-term record. A TMY leaves out extreme months, so its 99.6th
#: percentile is typically *below* ASHRAE's 0.4 % value (EPW headers of the bundled TMY3 files:
#: Phoenix dry bulb 42.8 vs 43.4 degC, wet bulb 24.0 vs 24.5; Dulles 33.9 vs 34.1, 25.0 vs 25.4;
#: Chicago 32.2 vs 33.3, 25.4 vs 25.5): a chiller selected for it is selected for a slightly milder
#: condition than a designer using the ASHRAE tables would take. The same ``np.quantile`` as
#: :func:`dcplan.thermal.design_conditions`, so the dry-bulb design day peaks at it exactly.
_DESIGN_YEAR_H = 8760
_DESIGN_QUANTILE = 0.996
#: ``chiller_design_*_basis`` of a design condition from a year of weather (``_DESIGN_QUANTILE``).
_TMY_BASIS = "TMY 99.6th percentile (typically below ASHRAE's 0.4 %)"


@lru_cache(maxsize=1)
def _defaults_table() -> dict[str, dict[str, str]]:
    """The rows of ``data/cooling_defaults.csv`` by key (cells as text), read and checked once per
    process (:func:`dcplan.catalog_checks.check_cooling`: one row per key, each in the unit it is
    read in and inside its allowed range; blank only on the rows of ``_BLANK_MEANS``)."""
    from .catalog_checks import check_cooling, read_catalog  # (pandas: not at the top of this module)
    path = str(data_path("cooling_defaults.csv"))
    df = read_catalog(path, dtype=str, keep_default_na=False)
    check_cooling(df, path)
    return {row["key"].strip(): row for row in df.to_dict("records")}


def cooling_defaults() -> dict[str, float | None]:
    """Sourced default parameters of the cooling model (``data/cooling_defaults.csv``).

    Returns
    -------
    dict
        ``{key: value}``; units, sources and status are in the CSV and its
        data dictionary ``data/cooling_defaults.md``. The blank rows (the chillers' design
        conditions ``chiller_design_db_degc`` and ``chiller_design_wb_degc``: from the
        weather, :func:`chiller_design_conditions`; ``trim_chiller_frac``: sized for that
        condition, :mod:`dcplan.thermal_plant_loop`, "trim chiller size") are None.
    """
    return {k: float(r["value"]) if r["value"].strip() else None for k, r in _defaults_table().items()}


@dataclasses.dataclass(frozen=True)
class PlantParams:
    """Resolved plant parameters (spec + sourced defaults + overrides).

    Build with :func:`plant_params`. Field names with units match the rows of
    ``data/cooling_defaults.csv``; the extra fields are the plant layout.
    """

    type: str
    ashrae_class: str
    liquid_class: str | None
    economizer: bool
    heat_rejection: str          # liquid loop: "tower" | "dry"
    trim_chiller: bool           # liquid loop
    liquid_supply_degc: float    # liquid loop setpoint
    liquid_max_degc: float       # liquid class maximum supply
    values: Mapping[str, float]  # every row of cooling_defaults.csv (possibly overridden; blank rows None)
    air_heat_rejection: str = "tower"   # air (CRAH) loop: "tower" (water-cooled chiller) | "dry" (air-cooled)

    def __getattr__(self, name: str) -> float:  # numeric defaults by key
        vals = object.__getattribute__(self, "values")
        if name in vals:
            return vals[name]
        raise AttributeError(name)


def plant_params(spec: Any = None, **overrides: float) -> PlantParams:
    """Resolve a cooling spec into :class:`PlantParams`.

    Parameters
    ----------
    spec : CoolingSpec, dict, PlantParams or None
        The site's ``cooling:`` section (``dcplan.specs.CoolingSpec``), a dict of
        its fields, or None for the default liquid W32 plant.
    **overrides : float
        Any key of ``data/cooling_defaults.csv`` (e.g. ``margin_frac=0.2``); each
        must lie in its range in ``_OVERRIDE_BOUNDS`` (the ``CoolingSpec`` bounds
        where the spec has the field) and inside its CSV row's plausibility band
        (:mod:`dcplan.thermal_plant_checks`), else :class:`~dcplan.errors.InputError`.
        ``chiller_design_db_degc`` and ``chiller_design_wb_degc`` also take None:
        "from the weather", their default (:func:`chiller_design_conditions`);
        ``trim_chiller_frac`` too: "sized for the design condition", its default
        (:mod:`dcplan.thermal_plant_loop`, "trim chiller size"). NaN is refused (it once meant None).
        The design wet bulb may not exceed the design dry bulb.

    Returns
    -------
    PlantParams
    """
    from .specs.cooling import CoolingSpec
    if isinstance(spec, PlantParams):
        base = spec
        vals = dict(base.values)
        _apply_overrides(vals, overrides)
        return _checked(dataclasses.replace(base, values=vals,
                                            liquid_supply_degc=base.liquid_max_degc - vals["liquid_supply_margin_k"]),
                        overrides)
    if spec is None:
        spec = CoolingSpec()
    elif isinstance(spec, Mapping):
        try:
            spec = CoolingSpec(**spec)
        except Exception as exc:  # pydantic ValidationError -> InputError
            raise InputError(f"invalid cooling spec: {exc}", field="cooling") from exc
    elif not isinstance(spec, CoolingSpec):
        raise InputError(f"need a CoolingSpec, dict or None, got {type(spec).__name__}",
                         field="cooling")
    vals = cooling_defaults()
    if spec.liquid_heat_frac is not None:
        vals["liquid_heat_frac"] = float(spec.liquid_heat_frac)
    if spec.margin_frac is not None:
        vals["margin_frac"] = float(spec.margin_frac)
    if spec.inlet_setpoint_degc is not None:
        vals["inlet_setpoint_degc"] = float(spec.inlet_setpoint_degc)
    else:  # the default setpoint within the class's recommended range (H1: 18-22 degC)
        vals["inlet_setpoint_degc"] = min(vals["inlet_setpoint_degc"], ASHRAE_AIR_CLASSES[spec.ashrae_class][1])
    _apply_overrides(vals, overrides)
    lclass = spec.liquid_class
    if spec.type == "liquid" and lclass is None:
        raise InputError("type 'liquid' needs a liquid_class; allowed: "
                         + ", ".join(W_CLASS_MAX_DEGC), field="cooling.liquid_class")
    rej_default, trim_default = LIQUID_CLASS_PLANT.get(lclass or "W32")
    tmax = W_CLASS_MAX_DEGC.get(lclass or "W32")
    return _checked(PlantParams(
        type=spec.type, ashrae_class=spec.ashrae_class, liquid_class=lclass,
        economizer=bool(spec.economizer),
        heat_rejection=spec.heat_rejection or rej_default,
        trim_chiller=trim_default if spec.trim_chiller is None else bool(spec.trim_chiller),
        liquid_supply_degc=tmax - vals["liquid_supply_margin_k"], liquid_max_degc=tmax,
        values=vals, air_heat_rejection=spec.air_heat_rejection), overrides)


def chilled_water_degc(p: PlantParams) -> float:
    """Chilled-water supply setpoint of the air loop: ``inlet_setpoint_degc - crah_approach_k``. [degC]"""
    return p.values["inlet_setpoint_degc"] - p.values["crah_approach_k"]


def rejection_approach_k(p: PlantParams, rejection: str) -> tuple[float, float]:
    """``(A, Ahx)`` of a loop's heat rejection: a cooling tower's approach (leaving water - wet bulb)
    at its design heat rejection and the plate heat exchanger's between tower water and loop
    (``tower_approach_k``, ``hx_approach_k``); a dry cooler's (leaving water - dry bulb,
    ``drycooler_approach_k``) and no plate HX. [K]"""
    v = p.values
    if rejection == "tower":
        return v["tower_approach_k"], v["hx_approach_k"]
    if rejection == "dry":
        return v["drycooler_approach_k"], 0.0
    raise InputError(f"unknown heat rejection {rejection!r}; allowed: tower, dry", field="heat_rejection")


def tower_design(p: PlantParams, design_wb_degc: float | None = None, basis: str | None = None) -> dict[str, float]:
    """Design point of the plant's cooling towers, the keywords of
    :func:`dcplan.thermal_tower_merkel.tower_approach_k`: ``tower_approach_k`` at the design wet bulb, range
    ``condenser_rise_k`` and L/G ``tower_lg_ratio``. The design wet bulb is ``design_wb_degc`` (the plant
    model's chiller design wet bulb of the weather, :func:`chiller_design_conditions`, whose ``basis`` the error
    below quotes: the tower is selected with the chiller), else the override ``chiller_design_wb_degc``, else
    the AHRI point (``chiller_rating_ecwt_degc - tower_approach_k``, 25.5 degC: CTI STD-201's 95/85/78 degF).
    [degC, K]

    The one place a tower design is formed (the plant model and the free-cooling screen,
    :func:`rejector_limit_degc`, both take it from here): a design no tower can meet, or one needing more
    than :data:`dcplan.thermal_tower_merkel.NTU_MAX` (the air would leave hotter than the water entering, at
    too high an L/G, too small an approach or range, or too cold a design wet bulb) is an InputError naming
    the fields, their values and the value of each that would pass
    (:func:`dcplan.thermal_tower_merkel.check_tower_design`). A design wet bulb from the weather is never below
    the AHRI point, where the default tower needs NTU 1.58, and a warmer one needs less: the default tower
    passes in every climate; only overrides make it fail."""
    from .thermal_tower_merkel import PLANT_NAMES, check_tower_design
    v = p.values
    design_wb_from_ahri = basis == "AHRI 550/590"   # (chiller_design_conditions' basis of that point)
    if design_wb_degc is not None:
        why = basis or "the chillers' design wet bulb"
        text = f"the design wet bulb {float(design_wb_degc):g} degC ({why})"
    elif v["chiller_design_wb_degc"] is not None:
        design_wb_degc = v["chiller_design_wb_degc"]
        text = f"chiller_design_wb_degc {float(design_wb_degc):g} degC"
    else:
        design_wb_degc, design_wb_from_ahri = v["chiller_rating_ecwt_degc"] - v["tower_approach_k"], True
        text = (f"the design wet bulb {float(design_wb_degc):g} degC (the AHRI point: chiller_rating_ecwt_degc "
                f"{v['chiller_rating_ecwt_degc']:g} - tower_approach_k {v['tower_approach_k']:g}; "
                "chiller_design_wb_degc sets another)")
    d = {"design_wet_bulb_degc": float(design_wb_degc), "design_approach_k": float(v["tower_approach_k"]),
         "range_k": float(v["condenser_rise_k"]), "lg_ratio": float(v["tower_lg_ratio"])}
    # the error's field: the first of the design's figures moved off its default (the likely cause)
    dflt = cooling_defaults()
    moved = [k for k in ("tower_lg_ratio", "tower_approach_k", "condenser_rise_k") if v[k] != dflt[k]]
    field = moved[0] if moved else ("chiller_design_wb_degc" if v["chiller_design_wb_degc"] is not None
                                    or design_wb_degc != dflt["chiller_rating_ecwt_degc"] - dflt["tower_approach_k"]
                                    else "tower_lg_ratio")
    check_tower_design(*d.values(), names=PLANT_NAMES, wet_bulb_text=text, field=field,
                       approach_moves_wb=design_wb_from_ahri)
    return d


@lru_cache(maxsize=256)
def _merkel_limit(supply: float, hx: float, design: tuple[tuple[str, float], ...]) -> float:
    """:func:`dcplan.thermal_tower_merkel.merkel_free_cooling_limit_degc`, solved once per tower design, supply and
    plate approach and code version, then read back (:mod:`dcplan._solved_cache`: 0.14 s each in each process)."""
    from ._solved_cache import kept_arrays
    from .thermal_tower_merkel import merkel_free_cooling_limit_degc
    (limit,) = kept_arrays("merkel-free-cooling-limit", (supply, hx, design),
                           lambda: (np.array(merkel_free_cooling_limit_degc(supply, hx, **dict(design))),), 1)
    return float(limit)


def rejector_limit_degc(p: PlantParams, rejection: str, supply_degc: float,
                        design_wb_degc: float | None = None) -> tuple[float, float, float]:
    """``(limit, A, Ahx)``: the outdoor temperature [degC] up to which a loop's heat rejector at its full
    design heat holds ``supply_degc`` with no compressor, the rejector's approach there and the plate heat
    exchanger's [K]. A dry cooler: ``supply - A``, its design approach (sensible only). A tower: its approach
    by Merkel's method at that wet bulb (:func:`dcplan.thermal_tower_merkel.merkel_free_cooling_limit_degc`,
    the tower of :func:`tower_design`), the root of ``wb + A(wb) + Ahx = supply``: below the design-approach
    ``supply - A_d - Ahx`` when the limit is below the design wet bulb (the approach widens as it falls)."""
    a, hx = rejection_approach_k(p, rejection)
    if rejection != "tower":
        return float(supply_degc - a - hx), float(a), float(hx)
    d = tower_design(p, design_wb_degc)
    lim = _merkel_limit(round(float(supply_degc), 9), round(float(hx), 9),
                        tuple((k, round(x, 9)) for k, x in d.items()))
    return lim, float(supply_degc - hx - lim), float(hx)


def free_cooling_limits(spec: Any = None, *, rejection: str | None = None,
                        chw_supply_degc: float | None = None, **overrides: float) -> dict[str, dict[str, Any]]:
    """Outdoor temperature up to which each loop of the plant needs no compressor at its full
    design heat: the climate screen in the plant model's own figures (a tower's approach by Merkel's
    method at the limit's wet bulb, :func:`rejector_limit_degc`; a dry cooler's design approach).

    The loops are those :func:`dcplan.thermal.plant_hourly` runs for ``spec`` (resolved by
    :func:`plant_params` with ``overrides``): ``"liquid"`` (liquid plants: the facility-water
    loop, ``heat_rejection``) and ``"air"`` (every plant: the CRAH loop, chilled water from a
    chiller with a water-side economizer, all of an air plant's heat, the rest of a liquid
    plant's; ``air_heat_rejection``: a water-cooled chiller with a cooling tower, screened on the
    wet bulb, or an air-cooled chiller with a dry cooler, on the dry bulb). In the plant model a
    loop's economizer carries it whole when ``To + Ahx + A(To, Qrej / Qrej_d) <= Ts``
    (:mod:`dcplan.thermal_plant_loop`; a dry cooler's ``A(To, x) = A_d x``, a tower's by Merkel's method,
    :func:`dcplan.thermal_tower_merkel.tower_approach_k`, wider as the wet bulb falls); with the rejector at
    its design heat rejection (``Qrej = Qrej_d``) that is ``To <= limit_degc`` here (``wb + A(wb) + Ahx = Ts``
    for a tower). Below its design heat a rejector's approach is smaller, so the plant model finds at
    least these hours for the loop at any IT load up to the design (for a tower selected at this design wet
    bulb: the AHRI point, or ``chiller_design_wb_degc`` when given; the plant selects its towers at the
    weather's design wet bulb, :func:`chiller_design_conditions`: pass it as that override for the plant's
    tower). Count them with :func:`dcplan.weather.free_cooling_hours` (``supply_degc``, ``approach_k``,
    ``wet``): ``approach_k`` is ``supply_degc - limit_degc``, the tower's approach at the limit.

    Parameters
    ----------
    spec, **overrides
        As :func:`plant_params`.
    rejection : {"tower", "dry"}, optional
        What-if: screen the plant's first loop (liquid, else air) with this heat rejection
        instead of its own (the plant model runs its own). Default: the plant's.
    chw_supply_degc : float, optional
        What-if: the air loop's chilled-water supply instead of the plant's
        (:func:`chilled_water_degc`), in (0, 60]. [degC]

    Returns
    -------
    dict
        ``{loop: figures}``, ``"liquid"`` first. Figures: ``supply_degc``, the setpoint the plant
        holds (liquid: ``liquid_supply_degc``, the W-class maximum less ``liquid_supply_margin_k``;
        air: :func:`chilled_water_degc`) [degC]; ``rejection`` (``"tower"``/``"dry"``); ``wet``
        (True: counted on the wet bulb); ``rejector_approach_k`` (a tower's Merkel approach at the limit
        at full design heat, a dry cooler's design approach) and ``hx_approach_k``, and their sum
        ``approach_k`` [K]; ``limit_degc`` (``supply_degc - approach_k``) [degC]; ``rule``, that limit in
        words for labels (``"wet bulb ≤ 24.26 °C = 30 °C - 4.24 K tower (Merkel, at that wet bulb, full
        design heat) - 1.5 K heat-exchanger approach"``);
        ``chiller`` (the loop has one); ``free_path`` (it
        can run with no compressor: no chiller, or an economizer; False: its chiller carries it
        every hour, so it has no free-cooling hours whatever the weather).
    """
    if rejection is not None and rejection not in ("tower", "dry"):
        raise InputError(f"unknown heat rejection {rejection!r}; allowed: tower, dry", field="rejection")
    if chw_supply_degc is not None and (isinstance(chw_supply_degc, bool) or not isinstance(
            chw_supply_degc, (int, float, np.number)) or not 0.0 < chw_supply_degc <= 60.0):
        raise InputError(f"must be a chilled-water supply in degC in (0, 60], got {chw_supply_degc!r}",
                         field="chw_supply_degc")
    p = plant_params(spec, **overrides)
    chw = chilled_water_degc(p) if chw_supply_degc is None else float(chw_supply_degc)
    loops = ([("liquid", p.liquid_supply_degc, p.heat_rejection, p.trim_chiller)] if p.type == "liquid" else [])
    loops.append(("air", chw, p.air_heat_rejection, True))
    out: dict[str, dict[str, Any]] = {}
    for i, (name, supply, rej, chiller) in enumerate(loops):
        rej = rejection if i == 0 and rejection is not None else rej
        lim, a, hx = rejector_limit_degc(p, rej, supply)
        rule = (f"wet bulb ≤ {lim:.2f} °C = {supply:g} °C - {a:.2f} K tower (Merkel, at that wet bulb, full design "
                f"heat) - {hx:g} K heat-exchanger approach" if rej == "tower" else
                f"dry bulb ≤ {lim:g} °C = {supply:g} °C - {a:g} K dry-cooler approach")
        out[name] = {"supply_degc": float(supply), "rejection": rej, "wet": rej == "tower",
                     "rejector_approach_k": float(a), "hx_approach_k": float(hx), "approach_k": float(a + hx),
                     "limit_degc": float(lim), "rule": rule, "chiller": bool(chiller),
                     "free_path": bool(p.economizer or not chiller)}
    return out


def _chiller_design(v: Mapping[str, Any], t_db, t_wb, ashrae: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The chillers' design conditions (:func:`chiller_design_conditions`) from the resolved
    values ``v`` and the hourly dry and wet bulb of the whole weather frame, or, for a year of
    hours read from an EPW whose header has them, its ASHRAE 0.4 % values (``ashrae``: the
    frame's ``attrs["ashrae_design"]``, :func:`dcplan.weather.load_weather`). [degC]"""
    ahri = {"db": v["chiller_rating_db_degc"],
            # the AHRI entering condenser water less the tower's approach: the wet bulb at which the
            # tower delivers it at its design heat rejection
            "wb": v["chiller_rating_ecwt_degc"] - v["tower_approach_k"]}
    out: dict[str, Any] = {}
    for key, t in (("db", np.asarray(t_db, float)), ("wb", np.asarray(t_wb, float))):
        given = v[f"chiller_design_{key}_degc"]
        if given is not None:
            val, basis = float(given), "override"
        else:
            val, basis = ahri[key], "AHRI 550/590"
            if t.size >= _DESIGN_YEAR_H and ashrae:
                # the station's long-term 0.4 % (a typical year leaves out extremes: its 99.6th
                # percentile reads lower, Phoenix 42.8 against 43.4 degC)
                site = float(ashrae["cooling_db_0p4_degc" if key == "db" else "evap_wb_0p4_degc"])
                site_basis = f"ASHRAE 0.4 % ({ashrae.get('source', 'EPW header')})"
            elif t.size >= _DESIGN_YEAR_H:
                site, site_basis = float(np.quantile(t, _DESIGN_QUANTILE)), _TMY_BASIS
            elif t.size:
                site, site_basis = float(t.max()), "frame maximum"
            else:
                site = -_INF
            if site > val:
                val, basis = site, site_basis
        out[f"chiller_design_{key}_degc"] = float(val)
        out[f"chiller_design_{key}_basis"] = basis
    if out["chiller_design_wb_degc"] > out["chiller_design_db_degc"] + 0.5:   # (0.5 K: as the weather check)
        raise InputError(f"the design wet bulb {out['chiller_design_wb_degc']:g} degC "
                         f"({out['chiller_design_wb_basis']}) "
                         f"is above the design dry bulb {out['chiller_design_db_degc']:g} degC "
                         f"({out['chiller_design_db_basis']}): a wet bulb cannot exceed its dry bulb; allowed: "
                         "chiller_design_wb_degc at most chiller_design_db_degc (a site's ASHRAE 0.4 % evaporation "
                         "wet bulb is below its 0.4 % cooling dry bulb)", field="chiller_design_wb_degc")
    return out


def chiller_design_conditions(weather, spec: Any = None, **overrides: float) -> dict[str, Any]:
    """Outdoor condition at which the plant's chillers deliver their rated capacity.

    A mechanical design selects a chiller to deliver its design capacity at the site's
    design condition, never below the AHRI 550/590 rating point the catalogue rates it at.
    The plant model (:func:`dcplan.thermal.plant_hourly`) holds a chiller's capacity at its
    rated capacity ``Qch_rated`` down to the COP it has at this condition and lets it fall with
    the COP above it (:mod:`dcplan.thermal_plant_loop`, "chiller capacity"); a water-cooled
    chiller's tower is sized for the condenser heat at it. Its COP (``eta``, the Carnot fraction)
    stays fixed by the AHRI rating point: only the capacity reference moves.

    * **air-cooled** chillers (``air_heat_rejection: dry``; a liquid loop's trim chiller with
      ``heat_rejection: dry``): dry bulb ``chiller_design_db_degc``, by default the harsher of
      the AHRI 35 degC (``chiller_rating_db_degc``) and the weather's 0.4 % annual cooling dry
      bulb (ASHRAE Handbook of Fundamentals ch. 14; below: the TMY's 99.6th percentile);
    * **water-cooled** chillers (cooling tower): wet bulb ``chiller_design_wb_degc``, by
      default the harsher of the AHRI point (entering condenser water 29.4 degC less the tower
      approach, 25.5 degC with the defaults) and the weather's 0.4 % evaporation wet bulb.

    The weather's 0.4 % value, for a frame that covers a year (at least 8,760 hours), is ASHRAE's
    own when the frame carries it (``attrs["ashrae_design"]``: an EPW whose header has the DESIGN
    CONDITIONS line, :func:`dcplan.weather.load_weather`; the station's long-term record; basis
    ``"ASHRAE 0.4 % (...)"``), else the 99.6th percentile of its hours: of a typical year, typically
    *below* ASHRAE's value (a TMY leaves out extremes; Phoenix's TMY3 gives 42.8 degC against
    ASHRAE's 43.4, Chicago's 32.2 against 33.3: ``_DESIGN_QUANTILE``). A frame whose temperatures
    were changed keeps the file's ASHRAE values (a plant designed for the recorded climate); give
    overrides to select for another condition. A shorter frame has no such percentile; it is taken as a
    design-condition frame and its hottest hour is used (still not below the AHRI point): an
    ASHRAE design day (:func:`dcplan.thermal.design_day` of
    :func:`dcplan.thermal.design_conditions`) peaks at the year's 0.4 % value, so the plant on
    its design day is the plant of the year. To run part of a year (a heat wave) on the plant
    selected for the whole year, give the year's conditions as overrides (this function's
    ``chiller_design_*_degc`` values). Overrides are taken as given, AHRI point or not: below
    it, a chiller selected for a milder climate.

    Parameters
    ----------
    weather : pandas.DataFrame
        ``temp_air`` and ``temp_wet_bulb_degc``, at least one hour, checked as
        :func:`dcplan.thermal.plant_hourly` checks them: finite, in [-90, 60] degC (kelvin or degF
        refused), wet bulb not above dry bulb. [degC]
    spec, **overrides
        As :func:`plant_params` (the AHRI point, the tower approach and the overrides
        ``chiller_design_db_degc`` / ``chiller_design_wb_degc``).

    Returns
    -------
    dict
        ``chiller_design_db_degc`` and ``chiller_design_wb_degc`` [degC] (pass them back to
        :func:`dcplan.thermal.plant_hourly` as overrides to fix the selection), and
        ``chiller_design_db_basis`` / ``chiller_design_wb_basis``: ``"override"``,
        ``"ASHRAE 0.4 % (<source>)"``, ``"TMY 99.6th percentile (typically below ASHRAE's 0.4 %)"``,
        ``"frame maximum"`` or
        ``"AHRI 550/590"``.
    """
    p = plant_params(spec, **overrides)
    t_db, t_wb = _checked_weather(weather)
    if not t_db.size:
        raise InputError("has no hours: a design condition needs at least one (a design day, or a year for "
                         "its 0.4 % value)", field="weather")
    return _chiller_design(p.values, t_db, t_wb, getattr(weather, "attrs", {}).get("ashrae_design"))


def _checked_weather(weather) -> tuple[np.ndarray, np.ndarray]:
    """``(temp_air, temp_wet_bulb_degc)`` of ``weather`` as arrays [degC], or an InputError naming
    the column: a DataFrame with both, finite, in degC (:func:`dcplan.weather.check_temperature_columns`,
    [-90, 60] degC: kelvin or degF refused), the wet bulb not above the dry bulb (0.5 K allows
    rounded file values). The check :func:`dcplan.thermal.plant_hourly` and
    :func:`chiller_design_conditions` share."""
    import pandas as pd

    from .weather import check_temperature_columns
    if not isinstance(weather, pd.DataFrame):
        raise InputError(f"need a pandas DataFrame (dcplan.weather.load_weather), got {type(weather).__name__}",
                         field="weather")
    for col in ("temp_air", "temp_wet_bulb_degc"):
        if col not in weather.columns:
            raise InputError(f"missing column {col!r}; need a weather frame with temp_air and temp_wet_bulb_degc "
                             f"(dcplan.weather.load_weather), have {list(weather.columns)}", field="weather")
        bad = ~np.isfinite(weather[col].to_numpy(float))
        if bad.any():  # a NaN hour would drop out of every annual sum (PUE, water) unseen
            raise InputError(f"{int(bad.sum())} hours are NaN or infinite (first "
                             f"{weather.index[bad][0]}); fill or interpolate them first",
                             field=f"weather.{col}")
    # kelvin or degF weather ran silently (Phoenix in K: PUE 1.14, 8,760 derate hours; a 315.95 degC
    # design dry bulb): refused as dcplan.solar refuses it, [-90, 60] degC (dcplan.weather.TEMP_DEGC_RANGE)
    check_temperature_columns(weather, ("temp_air", "temp_wet_bulb_degc"))
    t_db, t_wb = weather["temp_air"].to_numpy(float), weather["temp_wet_bulb_degc"].to_numpy(float)
    over = t_wb - t_db
    if (over > 0.5).any():
        raise InputError(f"temp_wet_bulb_degc exceeds temp_air by up to {over.max():.3g} K "
                         f"({int((over > 0.5).sum())} hours); wet bulb cannot exceed dry bulb "
                         "(columns swapped?)", field="weather.temp_wet_bulb_degc")
    return t_db, t_wb


def _trim_chiller_size(p: PlantParams, design: Mapping[str, Any]) -> tuple[float | None, str | None]:
    """Rated capacity of the liquid loop's chiller over the loop's nameplate ``Qd``, and its basis
    (:mod:`dcplan.thermal_plant_loop`, "trim chiller size"). [frac]

    ``(None, None)`` without a chiller on the liquid loop (air plants too); ``(1.0, "whole loop")``
    where it carries the whole loop (no economizer, or a W17/W27 chiller plant); ``trim_chiller_frac``
    as given (``"override"``); else, sized for the chillers' design condition ``design``
    (:func:`chiller_design_conditions`): ``1 - e_d`` with ``e_d`` the economizer share of the loop at
    its nameplate heat with the rejector at its design approach,
    ``e_d = clip((Ts + dT - (T_d + A + Ahx)) / dT, 0, 1)``, not below ``trim_chiller_min_frac``
    (basis ``"design condition"`` or ``"floor"``).
    """
    if p.type != "liquid" or not p.trim_chiller:
        return None, None
    if not p.economizer or p.liquid_class in ("W17", "W27"):
        return 1.0, "whole loop"
    v = p.values
    if v["trim_chiller_frac"] is not None:
        return float(v["trim_chiller_frac"]), "override"
    a, hx = rejection_approach_k(p, p.heat_rejection)
    t_d = design["chiller_design_db_degc" if p.heat_rejection == "dry" else "chiller_design_wb_degc"]
    e_d = min(1.0, max(0.0, (p.liquid_supply_degc + v["liquid_dt_k"] - (t_d + a + hx)) / v["liquid_dt_k"]))
    if 1.0 - e_d > v["trim_chiller_min_frac"]:
        return 1.0 - e_d, "design condition"
    return float(v["trim_chiller_min_frac"]), "floor"


def _checked(p: PlantParams, overrides: Mapping[str, Any] = ()) -> PlantParams:
    """``p`` if its resolved temperatures are physical, else an InputError naming the field:
    the inlet setpoint within the ASHRAE class's allowable range, the chillers' rating points
    condensing above their chilled water (the Carnot fraction needs a lift), and the chilled water
    and the liquid loop's supply (water, no glycol) above freezing; then the ``overrides`` inside the
    plausibility bands of data/cooling_defaults.csv and ``chiller_cop_max`` not below a rated COP
    (:func:`dcplan.thermal_plant_checks.check_values`)."""
    v = p.values
    db_d, wb_d = v["chiller_design_db_degc"], v["chiller_design_wb_degc"]
    if db_d is not None and wb_d is not None and wb_d > db_d:
        raise InputError(f"chiller_design_wb_degc={wb_d:g} is above chiller_design_db_degc={db_d:g}: a wet bulb "
                         "cannot exceed its dry bulb; allowed: a design wet bulb at most the design dry bulb (a "
                         "site's ASHRAE 0.4 % evaporation wet bulb is below its 0.4 % cooling dry bulb)",
                         field="chiller_design_wb_degc")
    allow_lo, allow_hi = ASHRAE_AIR_CLASSES[p.ashrae_class][2:]
    if not allow_lo <= v["inlet_setpoint_degc"] <= allow_hi:
        raise InputError(f"inlet_setpoint_degc={v['inlet_setpoint_degc']} is outside the "
                         f"{p.ashrae_class} allowable range {allow_lo}-{allow_hi} degC",
                         field="cooling.inlet_setpoint_degc")
    for kind, t_cond in (("water-cooled", v["chiller_rating_ecwt_degc"] + v["condenser_rise_k"]),
                         ("air-cooled", v["chiller_rating_db_degc"] + v["aircooled_cond_approach_k"])):
        if not t_cond > v["chiller_rating_chw_degc"]:   # eta (the Carnot fraction) needs a lift
            raise InputError(f"the {kind} rating point condenses at {t_cond:g} degC, not above its chilled water "
                             f"chiller_rating_chw_degc={v['chiller_rating_chw_degc']:g} degC; allowed: a "
                             "rating point with a lift (AHRI 550/590: 6.7 degC chilled water, 35 degC condensing)",
                             field="chiller_rating_chw_degc")
    chw = chilled_water_degc(p)
    if not chw > 0.0:
        raise InputError(f"chilled water at {chw:g} degC (inlet_setpoint_degc {v['inlet_setpoint_degc']:g} - "
                         f"crah_approach_k {v['crah_approach_k']:g}) would freeze; allowed: a supply above 0 degC",
                         field="crah_approach_k")
    if p.type == "liquid" and not p.liquid_supply_degc > 0.0:
        raise InputError(f"liquid loop supply at {p.liquid_supply_degc:g} degC ({p.liquid_class} maximum "
                         f"{p.liquid_max_degc:g} - liquid_supply_margin_k {v['liquid_supply_margin_k']:g}) would "
                         "freeze; allowed: a supply above 0 degC", field="liquid_supply_margin_k")
    from .thermal_plant_checks import check_values
    check_values(v, overrides)
    return p


from .thermal_plant_overrides import (_DEGC, _INF, _OVERRIDE_BOUNDS, _OVERRIDE_NOTES, _REMOVED_KEYS,  # noqa: E402
                                      _apply_overrides, _range_text)
