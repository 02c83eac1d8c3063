"""Plausibility bands of the data catalogs: a figure that is a number, in range for the model and
labelled with the right unit, but whose size reads as another unit (``facility_usd_per_mw`` 11700:
the USD/kW figure; ``staff_usd_per_fte`` 120: thousands; a chiller COP of 61; a wait of 4 "months"
that is 4 years; a lead time of 11 "weeks" that is 11 months).

:data:`BANDS` holds one :class:`Band` per cost key, most cooling keys, three hardware columns,
the interconnection waits and each equipment item, each with its reason: what real figures look like (from the catalog's own
sources and ``docs/reference-data.md``; where only the row's own estimate exists, that range
widened). Each band holds the bundled figures widened at least 3 x either way (a maintainer's
honest update, prices divided or multiplied by 3, passes; a share, rate or efficiency is capped
by its meaning instead), while a figure 1,000 x off (per kW for per MW, in thousands, W for kW) is
outside, and so, where the row's range allows it, is one 10 x off. :func:`band_problem` words a
figure outside as ``dcplan.catalog_checks`` words its other problems, naming the unit the figure
looks like when converting it lands inside the band. A real figure outside a band: widen the band
here, citing its source. A dcplan plausibility heuristic: the bands are not published limits.

The units the checks hold a figure to live here too: :data:`COST_UNITS` (each cost key's unit),
:func:`cooling_unit` (a cooling key's, from its suffix) and the hardware ``max_kw`` bounds
(:data:`MAX_KW_PER_ACCELERATOR_WALL_KW`, :data:`MAX_KW_NO_ACCELERATORS`); ``dcplan.catalog_checks``
re-exports them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .paths import doc_ref

__all__ = ["Band", "BANDS", "band_problem", "COST_UNITS", "cooling_unit", "MAX_KW_PER_ACCELERATOR_WALL_KW",
           "MAX_KW_NO_ACCELERATORS", "AIR_RACK_MAX_KW", "LIQUID_RACK_MIN_KW", "AIR_RACK_REFUSED", "air_rack_level", "air_rack_fit",
           "air_rack_problem"]

#: The unit the TCO model reads each ``data/costs.csv`` key in: the keys of ``dcplan.tco.TcoInputs``'
#: cost inputs (``TcoInputs.params()``; ``dcplan.tco_assumptions.COST_QUANTITIES`` describes the same
#: keys, tested), and the rows that are an input's default for a cooling type
#: (``dcplan.tco_input_types.COOLING_DEFAULT_ROWS``: ``facility_liquid_usd_per_mw``, read in the unit of the
#: input it stands for). A row's ``unit`` must be this, spelled so: figures in another unit are converted
#: (11,700 USD/kW is 11,700,000 USD/MW), not relabelled.
COST_UNITS = {
    "server_usd_per_accelerator": "USD/accelerator", "network_usd_per_accelerator": "USD/accelerator",
    "storage_usd_per_accelerator": "USD/accelerator", "facility_usd_per_mw": "USD/MW",
    "facility_liquid_usd_per_mw": "USD/MW",
    "facility_shell_frac": "frac", "facility_electrical_frac_of_critical": "frac",
    "interconnection_usd_per_mw": "USD/MW", "pv_usd_per_kw_dc": "USD/kWdc", "battery_usd_per_kwh": "USD/kWh",
    "maintenance_it_frac": "frac/yr", "maintenance_facility_frac": "frac/yr",
    "pv_om_usd_per_kw_dc_year": "USD/kWdc-yr", "staff_fte_per_mw": "FTE/MW", "staff_usd_per_fte": "USD/FTE-yr",
    "network_usd_per_accelerator_year": "USD/accelerator-yr", "wue_l_per_kwh": "L/kWh IT",
    "water_usd_per_m3": "USD/m3", "sewer_usd_per_m3": "USD/m3", "insurance_frac": "frac/yr", "property_tax_frac": "frac/yr",
    "it_refresh_years": "yr", "it_price_change_frac": "frac/yr", "revenue_usd_per_gpu_h": "USD/GPU-h",
    "revenue_escalation_frac": "frac/yr", "tokens_per_s_per_accelerator": "tokens/s",
    "discount_rate_frac": "frac/yr", "inflation_frac": "frac/yr", "electricity_escalation_frac": "frac/yr",
    "electricity_cost_mult": "x", "tax_rate_frac": "frac", "build_months": "months", "delay_months": "months",
}


def cooling_unit(key: str) -> str:
    """The unit ``dcplan.thermal_plant_params`` reads a ``data/cooling_defaults.csv`` key in,
    from the key's suffix (docs/glossary.md): ``_degc`` degC, ``_k`` K, ``_kw_per_kw`` kW/kW,
    ``_frac`` (also ``_frac_air``) frac, ``_per_k`` 1/K, ``_lg_ratio`` kg/kg (kg water per kg dry air), else ``-``
    (a dimensionless number: a COP, cycles of concentration, an exponent).

    >>> cooling_unit("inlet_setpoint_degc"), cooling_unit("server_fan_flow_per_k"), cooling_unit("tower_cycles")
    ('degC', '1/K', '-')
    """
    for suffix, unit in (("_degc", "degC"), ("_kw_per_kw", "kW/kW"), ("_per_k", "1/K"), ("_k", "K"),
                         ("_lg_ratio", "kg/kg")):
        if key.endswith(suffix):
            return unit
    return "frac" if "frac" in key.split("_") else "-"  # (server_fan_frac_air: a share too)


#: Most a unit's ``max_kw`` may be over its accelerators' power at the wall (accelerators x TDP /
#: PSU efficiency). The bundled rows are 1.0 (a GPU board) to 1.75 (an HGX H100: 10.2 kW over
#: 8 x 700 W / 0.96 = 5.83 kW; CPUs, memory, NICs and fans are the rest); 4 leaves room for a
#: host-heavy server while a figure in W typed as kW is ~1,000 x. A dcplan plausibility bound.
MAX_KW_PER_ACCELERATOR_WALL_KW = 4.0
#: Most ``max_kw`` of a unit without accelerators (a CPU server, switch, storage node, CDU share;
#: the bundled ones are 0.15-1.7 kW; a rack of CPU servers ~40 kW): a figure in W is >= 150. [kW]
MAX_KW_NO_ACCELERATORS = 100.0


@dataclass(frozen=True)
class Band:
    """Plausible figures ``lo <= x <= hi`` [the catalog's unit for the key or column], ``why``
    (what real figures look like, and the source) and ``slips``: ``(label, factor, inverse)``,
    the units the figure may really be in; converted it is ``x * factor`` (``factor / x`` when
    ``inverse``: a kW/ton for a COP). ``whole``: a count (``units_per_rack``), for which a slip is suggested only when
    it gives whole numbers (97 per rack is no 9.7 typed without its decimal point)."""
    lo: float
    hi: float
    why: str
    slips: tuple[tuple[str, float, bool], ...] = ()
    whole: bool = False


_PER_KW = (("USD/kW", 1e3, False), ("USD/W", 1e6, False))
_THOUSANDS = (("in thousands", 1e3, False), ("in millions", 1e6, False))
_YEARS = (("years", 12.0, False), ("weeks", 12 / 52.1775, False), ("days", 12 / 365.25, False))
_MONTHS_FOR_WEEKS = (("months", 52.1775 / 12, False), ("years", 52.1775, False), ("days", 1 / 7, False))
_TENTH = (("a decimal point off", 0.1, False), ("a decimal point off", 10.0, False))
_PERCENT = (("a percentage", 0.01, False),) + _TENTH

_COSTS = {
    "server_usd_per_accelerator": Band(5_000, 200_000, "an H100 sells for 25-30 k USD, a DGX H100 for 199-317 k USD "
                                       f"= 25-40 k per GPU ({doc_ref('reference-data.md', '7')})",
                                       (("per 8-GPU server", 1 / 8, False), ("in thousands", 1e3, False))),
    "network_usd_per_accelerator": Band(800, 50_000, "back-end switches, optics and cables are thousands of USD per "
                                        "accelerator: 1,882.5-6,612.5 for 1-3 InfiniBand layers (costs.csv source)",
                                        _THOUSANDS),
    "storage_usd_per_accelerator": Band(300, 15_000, "the row's 1,000-5,000 USD estimate, 3 x either way",
                                        _THOUSANDS),
    "facility_usd_per_mw": Band(3e6, 50e6, "US builds cost 9.3-15 M USD/MW (Cushman & Wakefield 2025), AI "
                                f"liquid-cooled 15-20 (JLL 2026; {doc_ref('reference-data.md', '7')})", _PER_KW),
    "facility_liquid_usd_per_mw": Band(4e6, 65e6, "liquid-cooled AI halls 15-20 M USD/MW (JLL 2026 via apers.app; "
                                       f"{doc_ref('reference-data.md', '7')}); the row's 13.02-21 M, 3 x either way",
                                       _PER_KW),
    "facility_shell_frac": Band(0.1, 1.0, "shell and site are 47 % of the cost (Cushman & Wakefield 2025)", _PERCENT),
    "facility_electrical_frac_of_critical": Band(0.15, 1.0, "the row's 0.5-0.7 estimate, 3 x lower at most",
                                                 _PERCENT),
    "interconnection_usd_per_mw": Band(1e5, 8e6, "7.6 % of 11.7 M USD/MW of capex is 0.89 M USD/MW (McKinsey via "
                                       f"Axios; {doc_ref('reference-data.md', '7')}); the row's 0.4-2 M, 3 x either "
                                       "way", _PER_KW),
    "pv_usd_per_kw_dc": Band(300, 8_000, "the row's 1,000-2,200 USD/kWdc range, 3 x either way",
                             (("USD/Wdc", 1e3, False), ("USD/MWdc", 1e-3, False))),
    "battery_usd_per_kwh": Band(50, 3_000, "the row's 250-600 USD/kWh estimate, 3 x either way",
                                (("USD/Wh", 1e3, False), ("USD/MWh", 1e-3, False))),
    "maintenance_it_frac": Band(0.015, 0.7, "support is 20 %/yr of a DGX list price ("
                                            f"{doc_ref('reference-data.md', '7')}); "
                                "the row's 5-20 %/yr", _PERCENT),
    "maintenance_facility_frac": Band(0.003, 0.15, "the row's 1-4 %/yr estimate, 3 x either way", _PERCENT),
    "pv_om_usd_per_kw_dc_year": Band(0, 150, "NREL ATB 2020 commercial PV: 0-40 USD/kWdc-yr",
                                     (("USD/MWdc-yr", 1e-3, False),)),
    "staff_fte_per_mw": Band(0.25, 15, "the row's 1-4 FTE/MW estimate, 3 x either way", (("FTE/kW", 1e3, False),)),
    "staff_usd_per_fte": Band(20_000, 600_000, "the row's 90-160 k USD a year estimate, 3 x either way",
                              _THOUSANDS + (("per month", 12.0, False),)),
    "network_usd_per_accelerator_year": Band(33, 2_500, "the row's 100-600 USD a year estimate, 3 x either way",
                                             (("in thousands", 1e3, False), ("per month", 12.0, False))),
    "wue_l_per_kwh": Band(0, 6, "0 with dry heat rejection, 1.8 L/kWh the evaporative US average (LBNL 2016)",
                          (("L/MWh", 1e-3, False), ("m3/kWh", 1e3, False))),
    # the supply and sewer prices apart (until 2026-12 one 1.5-6 USD/m3 water-and-sewer row, band 0.4-25): each
    # row's 0.75-3 estimate 3 x either way, 0.25-9; the bundled sites' sourced rates, 1.21-1.58 USD/m3
    # (data/SOURCES.md, Water and sewer rates), lie inside
    "water_usd_per_m3": Band(0.25, 9, "the row's 0.75-3 USD/m3 estimate, 3 x either way (utilities' volume "
                             "charges found: 1.21-1.47 USD/m3, data/SOURCES.md)",
                             (("USD/L", 1e3, False), ("USD per 1,000 m3", 1e-3, False))),
    "sewer_usd_per_m3": Band(0.25, 9, "the row's 0.75-3 USD/m3 estimate, 3 x either way (utilities' volume "
                             "charges found: 1.29-1.58 USD/m3, data/SOURCES.md)",
                             (("USD/L", 1e3, False), ("USD per 1,000 m3", 1e-3, False))),
    "insurance_frac": Band(0.0008, 0.04, "the row's 0.25-1 %/yr estimate, 3 x either way", _PERCENT),
    "property_tax_frac": Band(0, 0.06, "the row's 0-2 %/yr estimate, 3 x higher at most", _PERCENT),
    "it_refresh_years": Band(1, 20, "servers are depreciated over 5-6 years (10-K filings; "
                                    f"{doc_ref('reference-data.md', '7')})",
                             (("months", 1 / 12, False),)),
    "it_price_change_frac": Band(-0.5, 0.5, "the row's -10 to +5 %/yr, a halving or a rise of half a year at most",
                                 _PERCENT),
    "revenue_usd_per_gpu_h": Band(0.6, 30, "H100 rentals are 1.49-6.98 USD/GPU-h, 12.29 before the 2025 cuts "
                                  f"({doc_ref('reference-data.md', '7')})",
                                  _TENTH + (("per 8-GPU server-hour", 1 / 8, False), ("per month", 1 / 730.5, False))),
    "revenue_escalation_frac": Band(-0.6, 0.3, "cloud H100 prices fell up to ~45 % in 2025 (costs.csv)", _PERCENT),
    "tokens_per_s_per_accelerator": Band(100, 100_000, "an H100 gives 3,066 tokens/s (Llama-2-70B), a GB200 ~12,000 "
                                         f"(MLPerf v4.1; {doc_ref('reference-data.md', '8')})",
                                         (("per hour", 1 / 3600, False), ("per 8-GPU server", 1 / 8, False))),
    "discount_rate_frac": Band(0.01, 0.4, "dcplan's default 8 %; data-center cap rates, 5.5-8 % (JLL), are a floor "
                                "(costs.csv)", _PERCENT),
    "inflation_frac": Band(-0.05, 0.2, "the US target is 2 %/yr (costs.csv)", _PERCENT),
    "electricity_escalation_frac": Band(-0.25, 0.75, "0-6 %/yr sustained (EIA US industrial prices 2002-2023; costs.csv), "
                                        "one-off 15-25 % steps reported, 3 x higher at most", _PERCENT),
    "electricity_cost_mult": Band(0.25, 4, "a multiplier on the tariff bill near 1 (0.8-1.2), 3 x either way",
                                  (("a percentage", 0.01, False),)),
    "tax_rate_frac": Band(0, 0.8, "the US federal rate is 21 %, 30 % with the top state rate (New Jersey 11.5 %; "
                          "costs.csv), 3 x higher at most", _PERCENT),
    "build_months": Band(3, 96, "long-lead equipment takes 46-110 weeks, 11-26 months (Cushman & Wakefield 2025)",
                         _YEARS),
    "delay_months": Band(0, 120, "waits for power reach 7 years (Dominion) to 10 (EirGrid p90; interconnection.csv)",
                         _YEARS),
}

_KW_PER_KW = (("W/kW", 1e-3, False), ("a percentage", 0.01, False)) + _TENTH
_COOLING = {
    "crah_approach_k": Band(1, 20, "CRAH coil approach plus recirculation: a few K (the row's 6 K)", _TENTH),
    "chw_dt_k": Band(1.5, 20, "AHRI 550/590 rates 6.7/12.2 degC, a 5.5 K rise (cooling_defaults.csv)", _TENTH),
    "liquid_dt_k": Band(2, 30, "facility-water loops are designed for 5-15 K rises (the row's 10 K)", _TENTH),
    "liquid_supply_margin_k": Band(0, 15, "a control margin of a few K (the row's 2 K)", _TENTH),
    "tower_approach_k": Band(1, 15, "CTI STD-201 rates a 7 degF = 3.9 K approach", _TENTH),
    "drycooler_approach_k": Band(2, 25, "dry coolers are selected at 5-15 K ("
                                        f"{doc_ref('reference-data.md', '3c')})", _TENTH),
    "hx_approach_k": Band(0.3, 6, "plate heat exchangers are selected at 1-2 K", _TENTH),
    "chiller_cop_rated_water": Band(2, 15, "water-cooled centrifugal chillers are rated COP 6-7, above 7 "
                                    "high-efficiency ("
                                    f"{doc_ref('reference-data.md', '3c')}); capped below 3 x by meaning",
                                    (("kW/ton", 3.517, True), ("an EER", 1 / 3.412, False)) + _TENTH),
    "chiller_cop_rated_air": Band(1.5, 9, "air-cooled chillers are rated COP ~3 (ASHRAE 90.1: EER 10.1)",
                                  (("kW/ton", 3.517, True), ("an EER", 1 / 3.412, False)) + _TENTH),
    "chiller_cop_max": Band(3, 40, "a ceiling on the low-lift COP (the row's 12)", _TENTH),
    "condenser_rise_k": Band(1.5, 20, "AHRI 550/590 rates 29.4 -> 35 degC, a 5.6 K rise", _TENTH),
    "aircooled_cond_approach_k": Band(3, 50, "condensers are selected 10-20 K above the dry bulb (the row's 15 K)",
                                      _TENTH),
    "crah_fan_kw_per_kw": Band(0.005, 0.3, "fan power law: 0.046 kW/kW at 400 Pa, 12 K, eta 0.6", _KW_PER_KW),
    "chw_pump_kw_per_kw": Band(0.002, 0.1, "pump power law: 0.0155 kW/kW at 250 kPa, 5.5 K, eta 0.7", _KW_PER_KW),
    "cw_pump_kw_per_kw": Band(0.001, 0.06, "pump power law: 0.0093 kW/kW at 150 kPa, 5.5 K, eta 0.7", _KW_PER_KW),
    "liquid_pump_kw_per_kw": Band(0.005, 0.12, "pump power law: 0.02 kW/kW at 500 kPa, 10 K, eta 0.6", _KW_PER_KW),
    "tower_fan_kw_per_kw": Band(0.003, 0.08, "the row's 0.0127 kW/kW (ASHRAE 90.1 tower fan limit)", _KW_PER_KW),
    "drycooler_fan_kw_per_kw": Band(0.005, 0.12, "EC-fan dry coolers: the row's 0.02 kW/kW", _KW_PER_KW),
    "tower_cycles": Band(2, 15, "EnergyPlus: typical towers run 3 to 5 cycles", _TENTH),
    "electrical_loss_frac": Band(0.01, 0.3, "UPS and distribution lose ~5 % (96-97 % UPS, 1-2 % PDU)", _PERCENT),
    "server_fan_frac_air": Band(0.01, 0.3, "server fans take 5-10 % of a GPU server's power", _PERCENT),
    "server_fan_frac_liquid": Band(0, 0.1, "residual fans in liquid-cooled servers: a few % (the row's 2 %)",
                                   _PERCENT),
    "server_fan_flow_per_k": Band(0, 0.5, "EnergyPlus's example curve: +0.1 airflow ratio per K", _TENTH),
    "psu_eff_frac": Band(0.7, 1.0, "80 PLUS power supplies are 80-96 % efficient", _PERCENT),
    "rejection_fan_min_speed_frac": Band(0.05, 1.0, "VFD / EC fans turn down to 10-30 % speed", _PERCENT),
}

#: The densest air-cooled compute rack the reference data support [kW]: docs/reference-data.md s.2 "4 x DGX H100
#: per rack (illustrative)" 40.8 kW (4 x 10.2 kW, derived), beside "AI inference rack, air-cooled" 30-40 kW
#: (vamsitalkstech.com 2026) and a "~30 kW practical air ceiling" (yobitel.com 2026), both unverified. An air-cooled
#: compute rack above it is warned: a site phase (:func:`dcplan.rack_density.rack_layout_warnings`) and a
#: hardware.csv row (``dcplan validate hardware.csv``, :func:`dcplan.catalog_checks.hardware_warnings`).
AIR_RACK_MAX_KW = 40.8
#: Where liquid-cooled high-density AI racks start [kW]: docs/reference-data.md s.2 "AI rack, liquid-cooled high
#: density" 60-120 kW (vamsitalkstech.com; techinfrahub; build.inc 2025-26, unverified), the density at which the
#: reports say a rack needs rear-door heat exchangers or liquid cooling (:mod:`dcplan.rack_density`). A hardware.csv
#: row air-cooled at or above it (units_per_rack x max_kw) is refused, and so is a site phase's air-cooled compute rack
#: (:func:`dcplan.rack_density.air_rack_errors`), as a liquid-only unit (cooling liquid, the 120 kW GB200 NVL72) on an
#: air-cooled site is (:func:`dcplan.power.check_air_coolable`): one rule, :func:`air_rack_level`.
LIQUID_RACK_MIN_KW = 60.0


#: Why an air-cooled compute rack at or above :data:`LIQUID_RACK_MIN_KW` is refused: the one wording of a catalog
#: row's (:func:`air_rack_problem`) and a site phase's (:func:`dcplan.rack_density.air_rack_errors`) refusal.
AIR_RACK_REFUSED = (f"at or above the {LIQUID_RACK_MIN_KW:g} kW where liquid-cooled high-density racks start (60-120 "
                    f"kW, {doc_ref('reference-data.md', 's.2')}, unverified; dcplan.catalog_bands.LIQUID_RACK_MIN_KW): "
                    "no air "
                    "plant cools such a rack")


def air_rack_level(kw: float) -> str | None:
    """The one rule for an air-cooled compute rack of ``kw`` [kW], a hardware.csv row's (:func:`air_rack_problem`)
    and a site phase's (:mod:`dcplan.rack_density`): ``"error"`` at or above :data:`LIQUID_RACK_MIN_KW` (60 kW),
    ``"warning"`` above :data:`AIR_RACK_MAX_KW` (40.8 kW), None otherwise (1e-9 relative: 4 x 10.2 is 40.8).

    >>> [air_rack_level(kw) for kw in (40.8, 42.9, 57.2, 60.0, 71.5)]
    [None, 'warning', 'warning', 'error', 'error']
    """
    if kw >= LIQUID_RACK_MIN_KW * (1 - 1e-9):
        return "error"
    return "warning" if kw > AIR_RACK_MAX_KW * (1 + 1e-9) else None


def air_rack_fit(unit_kw: float) -> tuple[int, int]:
    """``(below, densest)``: the most units of ``unit_kw`` [kW] one air-cooled rack may hold, below
    :data:`LIQUID_RACK_MIN_KW` (not refused, :func:`air_rack_level`), and at most :data:`AIR_RACK_MAX_KW` (not warned);
    0 when one unit is over.

    >>> air_rack_fit(14.3), air_rack_fit(10.2), air_rack_fit(15.0), air_rack_fit(0.8)
    ((4, 2), (5, 4), (3, 2), (74, 51))
    """
    below = max(0, math.ceil(LIQUID_RACK_MIN_KW / unit_kw) - 1)
    while below > 0 and air_rack_level(below * unit_kw) == "error":
        below -= 1
    while air_rack_level((below + 1) * unit_kw) != "error":
        below += 1
    return below, min(below, math.floor(AIR_RACK_MAX_KW / unit_kw * (1 + 1e-9)))


def air_rack_problem(kind, cooling, units_per_rack, max_kw) -> tuple[str, str] | None:
    """``("error" | "warning", message)`` for a data/hardware.csv server or rack row cooled by ``air`` whose full
    rack, ``units_per_rack`` x ``max_kw`` [kW], is at or above :data:`LIQUID_RACK_MIN_KW` (an error: no air plant
    cools it) or above :data:`AIR_RACK_MAX_KW` (a warning), by :func:`air_rack_level`; None otherwise, or when a cell
    is not a number (its own problem). hgx-h100 at 8 a rack: 8 x 10.2 = 81.6 kW, an error; hgx-b200 at 4: 57.2 kW,
    a warning."""
    try:
        n, mx = float(units_per_rack), float(max_kw)
    except (TypeError, ValueError):
        return None
    kw = n * mx
    level = air_rack_level(kw)
    if str(cooling).strip() != "air" or str(kind).strip() not in ("server", "rack") or level is None:
        return None
    what = (f"air-cooled, {n:g} x {mx:g} kW (units_per_rack x max_kw) = {kw:.4g} kW per rack, ")
    below, fit = air_rack_fit(mx) if mx > 0 else (0, 0)
    if level == "error":
        return "error", (what + AIR_RACK_REFUSED + "; allowed: cooling liquid" + (
                             f", or an air-cooled rack below {LIQUID_RACK_MIN_KW:g} kW: units_per_rack "
                             f"{below} or fewer (at most {fit} for {AIR_RACK_MAX_KW:g} kW, the densest "
                             "air-cooled layout)" if fit >= 1 else ""))
    return "warning", (what + f"above the {AIR_RACK_MAX_KW:g} kW of the densest air-cooled layout the reference data "
                       f"give (4 x DGX H100 at 10.2 kW, {doc_ref('reference-data.md', 's.2')}; "
                       "dcplan.catalog_bands.AIR_RACK_MAX_KW): in practice such a rack needs rear-door heat "
                       "exchangers or liquid cooling, which the air plant modelled does not include; allowed: "
                       + (f"at most {fit} a rack here, or a site's fleet.phases[i].units_per_rack for its own layout"
                          if fit >= 1 else "cooling liquid (one unit is above it)"))

_LEAD = "Cushman & Wakefield 2025 lead times"
BANDS: dict[str, dict[str, Band]] = {
    "costs.csv": _COSTS,
    "cooling_defaults.csv": _COOLING,
    "hardware.csv": {
        "accelerator_tdp_w": Band(50, 5_000, "accelerators draw 350 W (H100 PCIe) to 1,400 W (B300) at TDP "
                                  f"({doc_ref('reference-data.md', '1')})", (("kW", 1e3, False), ("mW", 1e-3, False))),
        "accelerator_idle_w": Band(5, 2_000, "accelerators idle at 70-140 W (hardware.csv; an H200 at 80 W, "
                                   f"{doc_ref('reference-data.md', '1')})", (("kW", 1e3, False), ("mW", 1e-3, False))),
        "units_per_rack": Band(1, 96, "a 42-48U rack holds 4 DGX-class servers, 20-48 1U servers or 96 half-width "
                               "nodes", (("two digits too many", 0.01, False), ("a digit too many", 0.1, False)), whole=True),
    },
    # one band for each wait of a region (p10, median, p90)
    "interconnection.csv": {
        "*": Band(6, 240, "the shortest published large-load wait is 18-24 months (APS), the longest 7-10 years "
                  "(Dominion, EirGrid; "
                  f"{doc_ref('reference-data.md', '5')}); a site's own median under 6 months is warned "
                  "(dcplan.site_slips)", _YEARS),
    },
    # per item (low, median, high weeks); "*" for an item without its own band
    "equipment_lead_times.csv": {
        "switchgear": Band(15, 150, f"{_LEAD}: 46-48 weeks", _MONTHS_FOR_WEEKS),
        "chiller": Band(10, 120, f"{_LEAD}: 30-40 weeks", _MONTHS_FOR_WEEKS),
        "generator": Band(10, 330, f"{_LEAD}: 30-38 weeks, up to 110", _MONTHS_FOR_WEEKS),
        "ups": Band(9, 110, f"{_LEAD}: 28-36 weeks", _MONTHS_FOR_WEEKS),
        "power_transformer": Band(40, 630, "2.5-4 years: 130-208 weeks (Wood Mackenzie via Robeco; "
                                  "equipment_lead_times.csv)", _MONTHS_FOR_WEEKS),
        "*": Band(4, 520, "long-lead equipment takes months to years: 28-208 weeks in this file",
                  _MONTHS_FOR_WEEKS),
    },
}


def _num(x: float) -> str:
    """``x`` to 4 significant digits as a reader writes it: 11,700,000; 0.0155; 4.916; 47.83."""
    r = float(f"{float(x):.4g}")
    return f"{int(r):,}" if r == int(r) and abs(r) < 1e15 else f"{r:,.4g}"


def _g(x: float) -> str:
    """``x`` as the cell has it (11700, 0.576)."""
    return f"{x:.10g}"


def band_problem(catalog: str, name: str, cells: list[tuple[str, float]], unit: str,
                 label: str | None = None) -> tuple[str, str] | None:
    """``(columns, message)`` for the cells ``[(column, figure)]`` of one row outside the band
    ``BANDS[catalog][name]`` (``"*"`` when ``name`` has none), None when all are inside (or there
    is no band). ``columns`` joins the columns outside with ``/``; the message gives the figures,
    the band and its reason, and the unit slips they look like: the first two of the band's
    ``slips`` that bring every one of them inside. ``label``: what the band is for (default ``name``).

    >>> band_problem("costs.csv", "facility_usd_per_mw", [("value", 11700)], "USD/MW")[1].split("? ")[1][:45]
    '11700 is USD/kW (x 1,000 = 11,700,000 USD/MW)'
    """
    table = BANDS.get(catalog, {})
    band = table.get(name) or table.get("*")
    if band is None:
        return None
    out = [(c, v) for c, v in cells if v is not None and math.isfinite(v) and not band.lo <= v <= band.hi]
    if not out:
        return None
    side = ("below" if all(v < band.lo for _, v in out) else "above" if all(v > band.hi for _, v in out)
            else "outside")
    u = f" {unit}" if unit != "-" else ""
    one = len(out) == 1
    figs = _g(out[0][1]) if one else ", ".join(f"{c} {_g(v)}" for c, v in out)
    rng = f"{_num(band.lo)} to {_num(band.hi)}{u}"
    vals, fits = ", ".join(_g(v) for _, v in out), []
    for what, f, inverse in band.slips:
        conv = [f / v if inverse else v * f for _, v in out if not (inverse and v == 0)]
        if len(conv) == len(out) and all(band.lo <= x <= band.hi and (not band.whole or x == round(x)) for x in conv):
            how = f"{_num(f)} / {vals}" if inverse else f"x {_num(f)}" if f >= 1 else f"/ {_num(1 / f)}"
            fits.append(f"{what} ({how} = {', '.join(_num(x) for x in conv)}{u})")
    ask = "a typo?" if band.whole else "a figure in the wrong unit?"
    slip = (f"{ask} {vals} {'is' if one else 'are'} {', or '.join(fits[:2])}?" if fits
            else ask if band.whole else "a figure in the wrong unit or a misplaced decimal point?")
    return ("/".join(c for c, _ in out),
            f"{figs}{u} {'is' if one else 'are'} {side} the plausible band for {label or name}, {rng} "
            f"({band.why}): {slip}; allowed: {rng} (dcplan.catalog_bands; a real "
            "figure outside: widen the band there, citing its source)")
