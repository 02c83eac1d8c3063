"""Energy, grid carbon and cooling water of the scheduled strategies: what moving work in time saves beside the bill.

Moving flexible work to cool night hours pays twice: the energy is cheaper, and the plant needs less
energy to reject the same heat (a lower PUE). The bills of :mod:`dcplan.schedule_rolling` hold both
in dollars; this module gives the physical side, per strategy, from the same hourly loads
(:attr:`dcplan.schedule_rolling.RollingResult.load`):

* ``it_mwh``: the IT energy drawn, the work done (the same for strategies that did the same work): must-run IT
  the cooling plant cannot cool is throttled away and draws nothing, so neither it nor its facility energy, carbon
  or water is counted (``drawn_it_kw_<k>`` of the load; ``it_kw_<k>`` is the IT asked);
* ``facility_mwh``: the site energy, IT x the hour's PUE (the plant's at full design IT, as the bills);
* ``overhead_mwh``: facility - IT, the cooling plant's and the electrical chain's energy;
* ``pue``: facility over IT, energy-weighted over the period;
* ``grid_mwh``: the grid import after the on-site PV (what the bills are of);
* ``grid_carbon_t``: ``grid_mwh`` x the site's flat annual-average grid carbon factor (NaN without one);
* ``water_m3``: the cooling plant's water (evaporation and blowdown), each hour's water per IT kWh of the
  plant at full design IT (``plant["water_l"] / design_it_kw``) x the strategy's IT in that hour.

With one flat carbon factor for every hour, a schedule's carbon changes only with the grid energy it
takes (its hours' PUE and the PV it no longer spills); an hourly or marginal intensity, which dcplan does
not model, could move it either way. The water is taken linear in IT at each hour's conditions, at the plant's
rate at full design IT: an approximation. The plant's own water per IT kWh is higher at part load, most in dry air
(its tower fans move the design air for less heat; :func:`dcplan.thermal_plant.plant_hourly` for Phoenix, an audit
of 2026: +4.9 % at 80 % of design IT, +13.7 % at 60 %, +30.8 % at 40 %; Chicago within 1 % down to 60 %), so the
schedules' water, and the water a schedule saves, read low in dry climates.

The plant at full design IT (the LP's price of load, :func:`dcplan.schedule_setup.site_schedule_inputs`) runs its
fans and pumps at design flow, where the site's own year (:func:`dcplan.pipeline.run_site_year`) runs them on their
part-load curves at each hour's IT: the schedules' PUE, facility energy and bills read above the site's own (Phoenix:
about 1.21 against its annual 1.18, some 2 %). :func:`site_pue_gap` and :func:`site_pue_label` say by how much, beside
the site's own annual PUE.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .schedule_inputs import index_step_s

__all__ = ["STRATEGIES", "energy_table", "savings", "ENERGY_FIGURES", "site_pue_gap", "site_pue_label"]

#: The strategies of a rolling-horizon result, in the order the table lists them.
STRATEGIES = ("optimized", "greedy", "asap")

#: A saving within this share of the figures it is the difference of is float noise, published as 0. [-]
SAME_REL = 1e-9

#: Figure of :func:`savings` -> (column of :func:`energy_table`, unit, scale from the column's unit).
ENERGY_FIGURES = {"facility_mwh": ("facility_mwh", "MWh", 1.0), "grid_mwh": ("grid_mwh", "MWh", 1.0),
                  "grid_carbon_t": ("grid_carbon_t", "t", 1.0), "water_m3": ("water_m3", "m3", 1.0)}


def energy_table(load: pd.DataFrame, *, carbon_kg_per_mwh: float | None = None, plant: pd.DataFrame | None = None,
                 design_it_kw: float | None = None) -> pd.DataFrame:
    """Energy, grid carbon and water per strategy (rows ``optimized``, ``greedy``, ``asap``: those in ``load``).

    ``load``: :attr:`dcplan.schedule_rolling.RollingResult.load` (columns ``it_kw_<k>``, ``site_kw_<k>``,
    ``grid_import_kw_<k>`` per strategy ``k``, on an evenly stepped index; the IT drawn ``drawn_it_kw_<k>``
    where there is one, else ``it_kw_<k>``) [kW]. ``carbon_kg_per_mwh``: the
    site's flat grid carbon factor, or None (``grid_carbon_t`` NaN). ``plant``: the hourly plant at full
    design IT (:func:`dcplan.thermal_plant.plant_hourly`, its ``water_l`` on an index that covers
    ``load``'s), with ``design_it_kw``; None: ``water_m3`` NaN.

    Columns: ``it_mwh``, ``facility_mwh``, ``overhead_mwh``, ``pue``, ``grid_mwh``, ``pv_used_mwh``
    (facility - grid: the PV the strategy's load takes), ``grid_carbon_t``, ``water_m3``.
    """
    dt_h = index_step_s(load.index) / 3600.0
    water_per_kwh = None
    if plant is not None:
        if design_it_kw is None or not np.isfinite(design_it_kw) or design_it_kw <= 0:
            raise InputError(f"design_it_kw must be a positive number with plant, got {design_it_kw!r}",
                             field="design_it_kw")
        water_l = plant["water_l"].reindex(load.index)
        if water_l.isna().any():
            missing = load.index[water_l.isna().to_numpy()]
            raise InputError(f"the plant's water_l does not cover the load's index: {len(missing):,} interval(s) "
                             f"missing, first {missing[0]}", field="plant")
        # water_l is per hour of the plant's hourly index, at full design IT: litres per IT kWh
        water_per_kwh = water_l.to_numpy(float) / (design_it_kw * index_step_s(plant.index) / 3600.0)
    rows = {}
    for k in STRATEGIES:
        if f"it_kw_{k}" not in load:
            continue
        it = load.get(f"drawn_it_kw_{k}", load[f"it_kw_{k}"]).to_numpy(float)  # the IT drawn
        site = load[f"site_kw_{k}"].to_numpy(float)
        grid = load[f"grid_import_kw_{k}"].to_numpy(float)
        it_mwh, fac_mwh, grid_mwh = (float(x.sum()) * dt_h / 1000.0 for x in (it, site, grid))
        rows[k] = {"it_mwh": it_mwh, "facility_mwh": fac_mwh, "overhead_mwh": fac_mwh - it_mwh,
                   "pue": fac_mwh / it_mwh if it_mwh > 0 else np.nan, "grid_mwh": grid_mwh,
                   "pv_used_mwh": fac_mwh - grid_mwh,
                   "grid_carbon_t": (grid_mwh * float(carbon_kg_per_mwh) / 1000.0
                                     if carbon_kg_per_mwh is not None else np.nan),
                   "water_m3": (float((water_per_kwh * it).sum()) * dt_h / 1000.0
                                if water_per_kwh is not None else np.nan)}
    return pd.DataFrame(rows).T.rename_axis("strategy")


def savings(table: pd.DataFrame, baseline: str, ref: str = "optimized") -> dict[str, float]:
    """What ``ref`` saves against ``baseline`` (``table``: :func:`energy_table`): ``{figure: baseline - ref}``
    for each of :data:`ENERGY_FIGURES` (positive: ``ref`` uses less); 0 within :data:`SAME_REL` of the two (float
    noise); NaN where either is NaN."""
    out = {}
    for name, (col, _, scale) in ENERGY_FIGURES.items():
        a, b = float(table.at[baseline, col]), float(table.at[ref, col])
        d = (a - b) * scale
        # the same load summed in another order differs by float noise (-1e-8 MWh of 40,000): that is 0
        out[name] = 0.0 if abs(d) <= SAME_REL * max(abs(a), abs(b)) * scale else d
    return out


#: How :func:`site_pue_label` names each strategy.
_WHO = {"optimized": "optimized", "greedy": "greedy", "asap": "run-ASAP"}


def site_pue_gap(table: pd.DataFrame, site_annual_pue: float) -> dict[str, float]:
    """``{strategy: its energy-weighted PUE / site_annual_pue - 1}`` [frac] for the strategies of ``table``
    (:func:`energy_table`); ``site_annual_pue``: the site's own annual PUE
    (:func:`dcplan.pipeline.figures` ``annual_pue``, the plant at each hour's IT). Positive: the schedule's PUE,
    and so its facility energy for the same IT, reads above the site's own year by that share."""
    p = float(site_annual_pue)
    if not np.isfinite(p) or p < 1.0:
        raise InputError(f"must be a PUE of at least 1, got {site_annual_pue!r}", field="site_annual_pue")
    return {k: float(table.at[k, "pue"]) / p - 1.0 for k in STRATEGIES if k in table.index}


def site_pue_label(table: pd.DataFrame, site_annual_pue: float, n_weeks: str) -> str:
    """The label of the site's own annual PUE published beside the schedules' (:func:`site_pue_gap`): the schedules
    price their load at the plant at full design IT, so their PUE and energy read above (or below) the site's own
    year by the gap, per strategy, over ``n_weeks`` (e.g. ``"52 weeks"``) against the site's whole year."""
    gap = site_pue_gap(table, site_annual_pue)
    lo, hi = min(gap.values()), max(gap.values())
    side = "above" if lo >= 0 else ("below" if hi <= 0 else "above or below")
    size = (f"{abs(lo):.1%}" if f"{abs(lo):.1%}" == f"{abs(hi):.1%}"
            else f"{min(abs(lo), abs(hi)):.1%} to {max(abs(lo), abs(hi)):.1%}")
    each = "; ".join(f"{_WHO[k]} {float(table.at[k, 'pue']):.4f}" for k in gap)
    return (f"The site's own annual PUE (site_analysis: its plant at each hour's IT over the typical weather year, "
            f"fans and pumps on their part-load curves). The schedules price their load at the plant at full design "
            f"IT in each hour (fans and pumps at design flow), which in the same weather reads above the site's own "
            f"plant: over these weeks their PUE, facility energy and bills read {side} the site's own year by {size} "
            f"(energy-weighted PUE over {n_weeks}: {each}; over fewer than 52 weeks the weeks' weather, not the "
            f"whole year's, also counts)")
