"""The free-cooling screen at full design IT: the heat a loop's rejector carries in a free-cooling hour.

The climate screen (:func:`dcplan.thermal_plant_params.free_cooling_limits`, site_climate's headline
hours) takes each loop's heat rejector at its **full design heat** ``Qrej_d``. That heat is the plant's
nameplate (:mod:`dcplan.thermal_plant_loop`, "design heat rejection"): ``Qd = (1 + margin_frac) x`` the
loop's heat at the design IT, and for a cooling tower serving a water-cooled chiller the chillers'
compressor heat at their design COP on top, ``Qrej_d = (Qd + Qch_rated / COP_d) / (1 - h_pump w)``. In a
free-cooling hour no compressor runs and, at the design IT, the plant margin is unused: the rejector
carries ``Q / (1 - h_pump w)`` with ``Q = Qd / (1 + margin_frac)``, the fraction

``x = Q / ((1 - h_pump w) Qrej_d) = 1 / ((1 + margin_frac) (1 + c / COP_d))``

of its design heat (``c = Qch_rated / Qd``: 1 for the air loop's full-size chiller, the trim chiller's
size for a liquid loop's; ``c / COP_d`` is 0 for a dry cooler, whose air-cooled chiller rejects its own
heat, and for a loop without a chiller; the tower pumps' share ``h_pump w`` cancels). The plant model's
free-cooling test at that heat is ``To + Ahx + A(To, x) <= Ts`` (a tower's ``A`` by Merkel's method, a
dry cooler's ``A_d x``): :func:`free_cooling_limits_at_design_it` gives its limit, loop by loop, as
:func:`~dcplan.thermal_plant_params.free_cooling_limits` gives the full-design-heat one. With the bundled
defaults (data/cooling_defaults.csv: margin 0.10, COP 6.28 at the AHRI point) an air plant's tower making
19 degC chilled water at a 25.5 degC design wet bulb has ``COP_d = 11.60`` and ``x = 0.837``.
"""
from __future__ import annotations

from typing import Any

from .thermal_plant_loop import chiller_cop
from .thermal_plant_params import (_merkel_limit, _trim_chiller_size, chiller_design_conditions,
                                   free_cooling_limits, plant_params, rejection_approach_k, tower_design)

__all__ = ["design_it_heat_frac", "free_cooling_limits_at_design_it", "design_heat_words"]


def design_it_heat_frac(p, loop: str, supply_degc: float, design: dict[str, Any]) -> dict[str, Any]:
    """The heat a loop's rejector carries in a free-cooling hour at full design IT, over its design heat.

    Parameters
    ----------
    p : PlantParams
        The resolved plant (:func:`dcplan.thermal_plant_params.plant_params`).
    loop : {"liquid", "air"}
    supply_degc : float
        The loop's supply setpoint (the chillers' design COP is at it). [degC]
    design : dict
        The chillers' design conditions (:func:`dcplan.thermal_plant_params.chiller_design_conditions`).

    Returns
    -------
    dict
        ``heat_frac`` (``x``, module docstring) [-]; ``margin_frac`` [-]; ``cop_design`` (the chillers'
        COP at their design condition, None where the rejector carries no compressor heat: a dry
        cooler, or no chiller on the loop) [-]; ``chiller_frac`` (``Qch_rated / Qd``, None likewise) [-];
        ``compressor_frac`` (``c / COP_d``: compressor heat over ``Qd``, 0 without) [-].
    """
    v = p.values
    margin = float(v["margin_frac"])
    rejection = p.heat_rejection if loop == "liquid" else p.air_heat_rejection
    chiller = p.trim_chiller if loop == "liquid" else True
    cop_d = ch = None
    comp = 0.0
    if chiller and rejection == "tower":   # a water-cooled chiller's compressor heat goes to the tower
        ch = 1.0 if loop == "air" else float(_trim_chiller_size(p, design)[0] or 1.0)
        wb_d = design["chiller_design_wb_degc"]
        cop_d = float(chiller_cop(supply_degc, wb_d, "water", p, tower_design_wb_degc=wb_d))
        comp = ch / cop_d
    return {"heat_frac": 1.0 / ((1.0 + margin) * (1.0 + comp)), "margin_frac": margin, "cop_design": cop_d,
            "chiller_frac": ch, "compressor_frac": comp}


def design_heat_words(b: dict[str, Any], rig: str = "tower") -> str:
    """What a rejector's full design heat holds beyond a free-cooling hour's heat at full design IT, in words
    for labels, from :func:`design_it_heat_frac`'s figures ``b`` (``rig``: "tower", "dry cooler"):
    ``"the tower's full design heat, which includes the chillers' compressor heat (design COP 11.6) and the
    10 % plant margin (margin_frac): a free-cooling hour carries neither, and at full design IT the tower
    carries 0.837 x its design heat"``."""
    comp, margin = b["compressor_frac"] > 0.0, b["margin_frac"] > 0.0
    parts = []
    if comp:
        whose = ("the chillers' compressor heat" if b["chiller_frac"] == 1.0 else
                 f"the compressor heat of its chiller (sized {b['chiller_frac']:.3g} x the loop)")
        parts.append(f"{whose} (design COP {b['cop_design']:.3g})")
    if margin:
        parts.append(f"the {100 * b['margin_frac']:g} % plant margin (margin_frac)")
    head = f"the {rig}'s full design heat"
    if not parts:
        return f"{head}, the loop's heat at full design IT (no compressor heat on it, no plant margin)"
    then = ("a free-cooling hour carries neither" if comp and margin else
            "a free-cooling hour carries none" if comp else "a free-cooling hour at full design IT leaves it unused")
    return (f"{head}, which includes {' and '.join(parts)}: {then}, and at full design IT the {rig} carries "
            f"{b['heat_frac']:.3f} x its design heat")


def free_cooling_limits_at_design_it(weather, spec: Any = None, *, chw_supply_degc: float | None = None,
                                     **overrides: float) -> dict[str, dict[str, Any]]:
    """Each loop's free-cooling limit with its rejector carrying the loop's heat at full design IT (no
    compressor heat, no plant margin): the climate screen of
    :func:`dcplan.thermal_plant_params.free_cooling_limits` at ``heat_frac`` x the design heat
    (module docstring) instead of the full design heat.

    Parameters
    ----------
    weather : pandas.DataFrame
        The site's weather: the chillers' design condition (and the tower selected there) are its
        (:func:`dcplan.thermal_plant_params.chiller_design_conditions`), as the plant model takes them.
    spec, chw_supply_degc, **overrides
        As :func:`dcplan.thermal_plant_params.free_cooling_limits`.

    Returns
    -------
    dict
        ``{loop: figures}`` for the loops of :func:`~dcplan.thermal_plant_params.free_cooling_limits`
        (the plant's own rejectors), with its figures (``supply_degc``, ``rejection``, ``wet``,
        ``rejector_approach_k`` and ``approach_k`` now at ``heat_frac``, ``hx_approach_k``, ``limit_degc``,
        ``rule``, ``chiller``, ``free_path``) and :func:`design_it_heat_frac`'s. [degC, K, -]
    """
    p = plant_params(spec, **overrides)
    design = chiller_design_conditions(weather, spec, **overrides)
    base = free_cooling_limits(spec, chw_supply_degc=chw_supply_degc,
                               chiller_design_wb_degc=design["chiller_design_wb_degc"],
                               **{k: x for k, x in overrides.items() if k != "chiller_design_wb_degc"})
    out: dict[str, dict[str, Any]] = {}
    for loop, lim in base.items():
        b = design_it_heat_frac(p, loop, lim["supply_degc"], design)
        x, supply = b["heat_frac"], lim["supply_degc"]
        a_d, hx = rejection_approach_k(p, lim["rejection"])
        if lim["wet"]:
            # cached beside the plant's own limits (one bisection of bisections, about 0.15 s)
            t = _merkel_limit(round(float(supply), 9), round(float(hx), 9), tuple(
                (k, round(float(v), 9)) for k, v in {**tower_design(p, design["chiller_design_wb_degc"]),
                                                     "heat_frac": x}.items()))
            a = supply - hx - t
            rule = (f"wet bulb ≤ {t:.2f} °C = {supply:g} °C - {a:.2f} K tower (Merkel, at that wet bulb, "
                    f"{x:.3f} x its design heat) - {hx:g} K heat-exchanger approach")
        else:
            a = a_d * x
            t = supply - hx - a
            rule = f"dry bulb ≤ {t:.2f} °C = {supply:g} °C - {a:.2f} K dry-cooler approach ({x:.3f} x its design heat)"
        out[loop] = {**lim, "rejector_approach_k": float(a), "hx_approach_k": float(hx), "approach_k": float(a + hx),
                     "limit_degc": float(t), "rule": rule, **b}
    return out
