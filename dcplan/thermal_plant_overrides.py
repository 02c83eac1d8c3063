"""The allowed ranges of the cooling plant's keyword overrides (``plant_params(**overrides)``) and
how they are applied: split from :mod:`dcplan.thermal_plant_params` (which re-imports every name here)
to keep it under the project's module size.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np

from ._ts import unknown_key_message
from .errors import InputError


_INF = float("inf")
#: Allowed range of each override ``(low, high, low_inclusive, high_inclusive)``; every row of
#: ``data/cooling_defaults.csv`` has one (tested). ``liquid_heat_frac`` and ``inlet_setpoint_degc``
#: use the bounds of ``CoolingSpec`` (``dcplan/specs/cooling.py``); ``margin_frac`` too, except that
#: an override may also model an undersized plant (-1 < margin < 0: capacity ``1 + margin`` of the
#: design, still > 0), a what-if a site spec does not describe. The others are physical ranges:
#: temperatures in degC within the range the quantity takes (a rating point or a server inlet; degF
#: or kelvin figures fall outside: ``_OVERRIDE_NOTES``); COPs > 0; approaches, temperature rises and
#: the condensing approach > 0 (an approach of 0 K needs an infinite exchanger; they are divisors);
#: efficiencies in (0, 1]; fractions in [0, 1]; fan and pump power at most 1 kW per kW of heat moved
#: (real ones are a few percent; the in-loop share ``k`` < 1 is checked separately); server-fan
#: airflow at most doubling per K and power at most the affinity law's cube; tower cycles of
#: concentration at least 2 (``_OVERRIDE_NOTES``). Every override must be finite.
_OVERRIDE_BOUNDS = {
    "liquid_heat_frac": (0.5, 1.0, True, True),
    "margin_frac": (-1.0, 2.0, False, True),
    "inlet_setpoint_degc": (10.0, 40.0, True, True),
    # blowdown = evaporation / (cycles - 1): the equation needs > 1, but 1.0001 gave 14,782 L/kWh.
    # EnergyPlus CoolingTower:SingleSpeed/TwoSpeed/VariableSpeed "Blowdown Concentration Ratio":
    # minimum 2.0, default 3.0, "typical values for tower operation are 3 to 5" (EnergyPlus IDD /
    # Input Output Reference; data/SOURCES.md). At 2 cycles blowdown equals evaporation.
    "tower_cycles": (2.0, _INF, True, False),
    "psu_eff_frac": (0.0, 1.0, False, True),
    "chiller_cop_rated_water": (0.0, _INF, False, False),
    "chiller_cop_rated_air": (0.0, _INF, False, False),
    "chiller_cop_max": (0.0, _INF, False, False),
    "tower_approach_k": (0.0, _INF, False, False),
    "drycooler_approach_k": (0.0, _INF, False, False),
    "hx_approach_k": (0.0, _INF, False, False),
    "crah_approach_k": (0.0, _INF, False, False),
    "aircooled_cond_approach_k": (0.0, _INF, False, False),
    "condenser_rise_k": (0.0, _INF, False, False),
    "chw_dt_k": (0.0, _INF, False, False),
    "liquid_dt_k": (0.0, _INF, False, False),
    "liquid_supply_margin_k": (0.0, _INF, True, False),
    # the AHRI 550/590 rating point (COP and eta are fixed there): leaving chilled water 6.7 degC
    # (44 degF), entering condenser water 29.4 degC (85 degF), outdoor air 35 degC (95 degF); other
    # rating standards' points (Eurovent 7/12 degC, 30/35 degC) lie inside these ranges, their degF
    # figures outside
    "chiller_rating_chw_degc": (0.0, 30.0, False, True),
    "chiller_rating_ecwt_degc": (10.0, 45.0, True, True),
    "chiller_rating_db_degc": (10.0, 60.0, True, True),
    # a server inlet temperature: inside the ASHRAE TC9.9 allowable envelopes (5-45 degC, A1-A4)
    "server_fan_knee_degc": (5.0, 45.0, True, True),
    # design liquid-to-gas ratio of a tower (kg water / kg dry air; dcplan.thermal_water): mechanical-
    # draft towers are selected at ~0.75-1.5 (EnergyPlus's Merkel-tower defaults give 1.62). Above
    # 2.16 the air leaving a tower at the AHRI point (25.5 degC wet bulb, 29.4/35 degC water, range 5.6 K)
    # would be hotter than the water entering it (h_s(35) - h_s(25.5) = 50.6 kJ/kg = 2.16 x 4.186 x 5.6 at
    # 101,325 Pa), and a design needs more than the NTU 5 allowed above 2.13: the design check
    # (dcplan.thermal_tower_merkel.check_tower_design, at the plant's own design wet bulb, approach and
    # range) refuses those; 2.2 stays the bound for a warmer design wet bulb (27 degC: NTU 5 at 2.28).
    # Below ~0.75 the air would not leave a real tower saturated, so SaturatedExit would overstate the
    # evaporation (at 0.25 Phoenix's WUE read 5.2 L/kWh, 2.5x the default's)
    "tower_lg_ratio": (0.75, 2.2, True, True),
    "trim_chiller_frac": (0.0, 1.0, False, True),
    "trim_chiller_min_frac": (0.0, 1.0, True, True),
    "rejection_fan_min_speed_frac": (0.0, 1.0, False, True),
    "electrical_loss_frac": (0.0, 1.0, True, True),
    "losses_to_space_frac": (0.0, 1.0, True, True),
    "server_fan_frac_air": (0.0, 1.0, True, False),
    "server_fan_frac_liquid": (0.0, 1.0, True, False),
    "server_fan_flow_per_k": (0.0, 1.0, True, True),
    "server_fan_power_exp": (0.0, 3.0, False, True),
    "crah_fan_kw_per_kw": (0.0, 1.0, True, True),
    # part-load curves of the CRAH fans and loop pumps (dcplan.thermal_part_load): coefficients within +-10
    # (published fan and pump curves' are within +-5; the curve itself is checked: > 0 at full flow,
    # non-decreasing); minimum flow fractions in [0, 1)
    **{f"{m}_plr_c{i}": (-10.0, 10.0, True, True) for m in ("crah_fan", "pump") for i in range(4)},
    "crah_fan_min_flow_frac": (0.0, 1.0, True, False),
    "pump_min_flow_frac": (0.0, 1.0, True, False),
    "crah_fan_heat_to_air_frac": (0.0, 1.0, True, True),
    "pump_heat_to_fluid_frac": (0.0, 1.0, True, True),
    "chw_pump_kw_per_kw": (0.0, 1.0, True, True),
    "cw_pump_kw_per_kw": (0.0, 1.0, True, True),
    "liquid_pump_kw_per_kw": (0.0, 1.0, True, True),
    "tower_fan_kw_per_kw": (0.0, 1.0, True, True),
    "drycooler_fan_kw_per_kw": (0.0, 1.0, True, True),
    # an outdoor design condition in degC (chiller_design_conditions); None: from the weather
    "chiller_design_db_degc": (10.0, 60.0, True, True),
    "chiller_design_wb_degc": (5.0, 40.0, True, True),
}


_DEGC = "a temperature in degC (a degF or kelvin figure lies outside this range)"
#: Why a bound is what it is, added to the error where the range alone does not say.
_OVERRIDE_NOTES = {
    "tower_lg_ratio": ("design liquid-to-gas ratio of the cooling towers, kg water per kg dry air (mechanical-draft "
                       "towers ~0.75-1.5; below 0.75 the air would not leave a real tower saturated, so the "
                       "SaturatedExit evaporation would be overstated; above ~2.2 the leaving air would be hotter "
                       "than the entering water; the tower design check refuses a lower one where its design "
                       "needs it: 2.13 and up at the AHRI point)"),
    "tower_approach_k": ("the cooling tower's design approach, leaving water above the design wet bulb; 0 K needs an "
                         "infinite tower, and the tower design check refuses an approach too small for its range, "
                         "L/G and design wet bulb"),
    "condenser_rise_k": ("the cooling tower's range (condenser water rise, entering less leaving water), K; 0 K would "
                         "carry no heat: it is the heat per kg of water (CTI: 5.6 K = 10 degF; 'low flow' 8.3 K)"),
    "tower_cycles": ("cycles of concentration of the tower water; blowdown = evaporation / (cycles - 1), "
                     "so values near 1 make blowdown explode; EnergyPlus allows >= 2, typical 3-5"),
    "chiller_design_db_degc": ("the outdoor dry bulb in degC at which an air-cooled chiller delivers its rated "
                               "capacity (ASHRAE 0.4 % cooling dry bulbs of sites lie inside this range; degF or "
                               "K do not); None: from the weather, not below the AHRI 35 degC"),
    "chiller_design_wb_degc": ("the outdoor wet bulb in degC at which a water-cooled chiller delivers its rated "
                               "capacity (ASHRAE 0.4 % evaporation wet bulbs of sites lie inside this range; degF "
                               "or K do not); None: from the weather, not below the AHRI point; the tower is "
                               "selected there too, and the default tower (3.9 K approach, 5.6 K range, L/G 1.6) "
                               "needs about 19.4 degC or more: below, dcplan.thermal_tower_merkel.check_tower_design "
                               "refuses it naming what would pass"),
    "chiller_rating_chw_degc": f"leaving chilled water at the chiller's rating point (AHRI 550/590: 6.7), {_DEGC}",
    "chiller_rating_ecwt_degc": ("entering condenser water at the water-cooled chiller's rating point "
                                 f"(AHRI 550/590: 29.4), {_DEGC}"),
    "chiller_rating_db_degc": f"outdoor dry bulb at the air-cooled chiller's rating point (AHRI 550/590: 35), {_DEGC}",
    "server_fan_knee_degc": ("server inlet above which the fans ramp, inside the ASHRAE allowable envelopes "
                             f"(5-45 degC): {_DEGC}"),
    "aircooled_cond_approach_k": "condensing temperature above the dry bulb; 0 K needs an infinite condenser",
    "hx_approach_k": "plate heat exchanger approach; 0 K needs an infinite exchanger",
    "crah_approach_k": "server inlet above the chilled water; 0 K needs an infinite coil",
    "trim_chiller_frac": "of the liquid loop's nameplate; None: sized for the design condition",
}


#: Keys that were overrides once: what took their place (a "did you mean" would point at a key that
#: means something else: tower_latent_frac 0.9 taken as tower_lg_ratio 0.9 raises Phoenix's WUE by ~20 %).
_REMOVED_KEYS = {
    k: (f"{k!r} was removed (2026): cooling-tower water now follows each hour's air (dcplan.thermal_water, "
        "EnergyPlus SaturatedExit), not a fixed evaporated share of the heat; the tower's setting is now "
        "tower_lg_ratio, its design liquid-to-gas ratio (default 1.6 kg water per kg dry air), a different "
        "quantity: leave it out to keep the default")
    for k in ("tower_latent_frac", "h_fg_kj_per_kg")}


def _range_text(lo: float, hi: float, lo_in: bool, hi_in: bool) -> str:
    return f"{'[' if lo_in else '('}{lo:g}, {hi:g}{']' if hi_in else ')'}"


def _apply_overrides(vals: dict, overrides: Mapping[str, float]) -> None:
    from .thermal_plant_params import _BLANK_MEANS  # lazy: that module imports this one at its end
    for k, v in overrides.items():
        if k not in vals:
            raise InputError(_REMOVED_KEYS.get(k) or unknown_key_message(k, vals), field=k)
        if k in _BLANK_MEANS and v is None:
            vals[k] = None   # "from the weather" or "sized for the design condition" (the CSV's blank)
            continue
        if k in _BLANK_MEANS and isinstance(v, (float, np.floating)) and np.isnan(v):
            # (it once meant None: a NaN from a failed computation then ran as the default unseen)
            lo, hi, lo_in, hi_in = _OVERRIDE_BOUNDS[k]
            raise InputError(f"must be a number in {_range_text(lo, hi, lo_in, hi_in)} or None "
                             f"({_BLANK_MEANS[k]}), got nan; give None for its default, {_BLANK_MEANS[k]}", field=k)
        try:
            if isinstance(v, (bool, np.bool_, str)):
                raise TypeError
            x = float(v)
        except (TypeError, ValueError):
            also = f" or None ({_BLANK_MEANS[k]})" if k in _BLANK_MEANS else ""
            raise InputError(f"must be a number{also}, got {v!r}", field=k) from None
        lo, hi, lo_in, hi_in = _OVERRIDE_BOUNDS.get(k, (-_INF, _INF, False, False))
        ok = np.isfinite(x) and (x >= lo if lo_in else x > lo) and (x <= hi if hi_in else x < hi)
        if not ok:
            note = f": {_OVERRIDE_NOTES[k]}" if k in _OVERRIDE_NOTES else ""
            raise InputError(f"override {k}={v!r} is outside the allowed range "
                             f"{_range_text(lo, hi, lo_in, hi_in)} (finite){note}", field=k)
        vals[k] = x
