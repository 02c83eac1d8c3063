"""Chiller COP of the hourly plant, and the hours it sits at its cap.

Part of the hourly cooling-plant model (moved out of :mod:`dcplan.thermal_plant_loop`, which
re-exports :func:`chiller_cop`, to keep it under STYLE's ~600 lines): :func:`chiller_cop` (a
fixed fraction of Carnot, rated at AHRI 550/590, capped at ``chiller_cop_max``) and
:func:`cop_cap_columns`, the plant's hourly columns that say when a running chiller is at that
cap.

``chiller_cop_max`` (12.0, data/cooling_defaults.csv, an **estimate**: no source gives a chiller's
COP at a 19 degC supply) decides the chiller's power whenever the lift is low enough for the
Carnot-based COP to pass it: a warm-water loop (a liquid plant's trim chiller at a 19 degC supply, or
a warm air loop) reaches it in most hours. The nearest data, U.S. DOE EnergyPlus
``datasets/Chillers.idf`` (Chiller:Electric:EIR curves from the CoolTools project, 1991-2001): its
highest centrifugal reference COP is 11.77 (Trane CVHF 2567 kW VSD, at 4.44 degC leaving chilled water
and 12.78 degC entering condenser water); that chiller's curves give at most 15.4 at full load and
17.8 at part load (PLR 0.47) inside their range (leaving chilled water 4.44-8.89 degC, entering
condenser water 12.78-29.44 degC), an inlet-vane machine's (Trane CVHF 2043 kW) at most 9.6: hence
the range 9-18 a planner should test (data/SOURCES.md). Every 1 / COP of the hours at the cap scales
their chiller energy: a cap of 9 adds a third to it, 18 takes off at most a third. The plant reports those hours
(``chiller_cop_at_cap``, ``chiller_at_cop_cap_kw``) so a report can say what its PUE rests on
(:func:`dcplan.thermal_plant_summary.plant_summary`: ``chiller_cop_cap_h``,
``chiller_cop_cap_energy_frac``).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .thermal_plant_params import PlantParams, plant_params, tower_design
from .thermal_tower_merkel import tower_approach_k

__all__ = ["chiller_cop", "cop_cap_columns", "COP_CAP_REL_TOL"]

#: A COP within this relative distance of ``chiller_cop_max`` is at the cap: the water-cooled path
#: carries ``1 / COP`` and gives the cap back as ``1 / (1 / COP_max)``, equal to it only to float
#: rounding (~1e-16); any COP below the cap by more than 1e-12 of it is the Carnot COP's own.
COP_CAP_REL_TOL = 1e-12


def _carnot_eta(kind: str, v) -> float:
    """Carnot fraction ``eta`` that gives the rated COP at the AHRI 550/590 rating point. [-]"""
    if kind == "water":
        t_cond_r = v["chiller_rating_ecwt_degc"] + v["condenser_rise_k"]
        cop_r = v["chiller_cop_rated_water"]
    else:
        t_cond_r = v["chiller_rating_db_degc"] + v["aircooled_cond_approach_k"]
        cop_r = v["chiller_cop_rated_air"]
    t_r = v["chiller_rating_chw_degc"]
    return cop_r * (t_cond_r - t_r) / (t_r + 273.15)


def chiller_cop(t_chw_degc, t_out_degc, kind: str = "water", params: PlantParams | None = None, *,
                tower_load_frac=None, tower_design_wb_degc: float | None = None):
    """Chiller COP as a fixed fraction of Carnot, rated at AHRI 550/590.

    ``COP = min(COP_max, eta * (Tchw + 273.15) / (Tcond - Tchw))`` where
    ``Tcond = Twb + A_tower(Twb, x) + dT_cond`` for ``kind="water"`` (``t_out_degc`` is the
    wet bulb, ``x`` the tower's heat rejection over its design heat rejection; ``A_tower`` the
    tower's full-airflow approach by Merkel's method, :func:`dcplan.thermal_tower_merkel.tower_approach_k`,
    ``tower_approach_k`` at the tower's design wet bulb and ``x = 1``, module docstring) or
    ``Tdb + A_cond`` for ``kind="air"``
    (``t_out_degc`` is the dry bulb), and ``eta`` makes COP equal the rated COP at the AHRI
    point (6.7 degC chilled water; 29.4 degC entering condenser water, the wet bulb
    ``29.4 - A_tower`` plus the full approach, ``x = 1``; 35 degC air). The capacity reference
    (the condition the chiller is selected for, module docstring "chiller capacity") does not
    enter here: ``eta`` stays that of the AHRI point.

    Parameters
    ----------
    t_chw_degc : float or array
        Chilled (or facility) water supply temperature. [degC]
    t_out_degc : float or array
        Outdoor wet bulb (water-cooled) or dry bulb (air-cooled). [degC]
    kind : {"water", "air"}
    params : PlantParams, optional
    tower_load_frac : float or array, optional
        Water-cooled only: heat the tower rejects over its design heat rejection,
        ``Qrej / Qrej_d`` (default 1, the design approach; above 1 in hours above the
        design load). [frac]
    tower_design_wb_degc : float, optional
        Water-cooled only: the wet bulb the tower is selected for (where its approach at ``x = 1`` is
        ``tower_approach_k``); default :func:`dcplan.thermal_plant_params.tower_design`'s (the override
        ``chiller_design_wb_degc``, else the AHRI point 25.5 degC). [degC]

    Returns
    -------
    numpy.ndarray or float
        COP [-] (kW heat per kW electric).

    Raises
    ------
    InputError
        Unknown ``kind``; a temperature NaN or infinite; ``tower_load_frac`` negative or not
        finite, or given for an air-cooled chiller (it has no tower).
    """
    for name, t in (("t_chw_degc", t_chw_degc), ("t_out_degc", t_out_degc)):
        arr = np.asarray(t, float)
        bad = ~np.isfinite(arr)   # a NaN compared False everywhere: COP_max came back
        if bad.any():
            raise InputError(f"must be a finite temperature in degC, got {float(arr[bad].flat[0])!r} "
                             f"({int(bad.sum())} value(s) NaN or infinite)", field=name)
    p = params or plant_params()
    v = p.values
    if kind == "water":
        x = 1.0
        if tower_load_frac is not None:
            x = np.asarray(tower_load_frac, float)
            if not (np.isfinite(x) & (x >= 0.0)).all():
                raise InputError(f"must be finite and >= 0, got {tower_load_frac!r}", field="tower_load_frac")
        t_wb = np.asarray(t_out_degc, float)
        t_cond = t_wb + tower_approach_k(t_wb, x, **tower_design(p, tower_design_wb_degc)) + v["condenser_rise_k"]
    elif kind == "air":
        if tower_load_frac is not None:
            raise InputError("applies to water-cooled chillers only (kind='water'); an air-cooled "
                             "chiller rejects its heat through its own condenser", field="tower_load_frac")
        t_cond = np.asarray(t_out_degc, float) + v["aircooled_cond_approach_k"]
    else:
        raise InputError(f"unknown chiller kind {kind!r}; allowed: water, air", field="kind")
    eta = _carnot_eta(kind, v)
    t_chw = np.asarray(t_chw_degc, float)
    lift = t_cond - t_chw
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(lift > 0, eta * (t_chw + 273.15) / np.where(lift > 0, lift, 1.0), np.inf)
    cop = np.minimum(cop, v["chiller_cop_max"])
    return cop if cop.ndim else float(cop)


def cop_cap_columns(loops: dict, cop_max: float) -> dict[str, np.ndarray]:
    """Hourly columns of a plant's chillers' COP and the hours they run at the cap ``cop_max``.

    Parameters
    ----------
    loops : dict
        ``{"air": loop, "liquid": loop or None}``: the arrays of
        :func:`dcplan.thermal_plant_loop._loop` (``cop``, ``chiller_kw``, ``q``).
    cop_max : float
        ``chiller_cop_max``, the cap :func:`chiller_cop` applies. [-]

    Returns
    -------
    dict
        ``chiller_cop_air`` and ``chiller_cop_liquid``: the COP of each loop's chiller in the
        hours it runs (``chiller_kw`` > 1e-9 of the loop's heat), NaN where it does not run
        or the loop has no chiller [-]; ``chiller_cop_at_cap`` (bool): some running chiller is
        at ``cop_max`` (within :data:`COP_CAP_REL_TOL`); ``chiller_at_cop_cap_kw``: the power of
        the chillers running at the cap [kW] (over ``chiller_kw``: their share of the hour's
        chiller power).
    """
    out, capped_kw = {}, None
    for name in ("air", "liquid"):
        lp = loops.get(name)
        if lp is None:
            continue
        ch = np.asarray(lp["chiller_kw"], float)
        cop = np.asarray(lp["cop"], float)
        running = ch > 1e-9 * np.maximum(np.asarray(lp["q"], float), 1.0)
        out[f"chiller_cop_{name}"] = np.where(running, cop, np.nan)
        at_cap = running & (cop >= cop_max * (1.0 - COP_CAP_REL_TOL))
        kw = np.where(at_cap, ch, 0.0)
        capped_kw = kw if capped_kw is None else capped_kw + kw
    n = len(capped_kw)
    out.setdefault("chiller_cop_liquid", np.full(n, np.nan))
    return {"chiller_cop_air": out["chiller_cop_air"], "chiller_cop_liquid": out["chiller_cop_liquid"],
            "chiller_cop_at_cap": capped_kw > 0.0, "chiller_at_cop_cap_kw": capped_kw}
