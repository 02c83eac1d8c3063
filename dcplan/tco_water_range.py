"""The tornado's and Monte Carlo's range of the water use (``wue_l_per_kwh``) of a site's own plant.

``data/costs.csv``'s ``wue_l_per_kwh`` row is a generic 0-1.8 L/kWh (dry heat rejection to the
evaporative US average). Around a site's plant it is wrong both ways: Phoenix's plant, whose cooling
tower then used 79,457 m3 a year, modelled 2.21 L/kWh (89,521 m3, 2.49 L/kWh since the tower's water
follows the air its fans move), so the range ran from 0 (impossible with a tower) to its own 2.21 (the
modelled value as the worst case); northern-virginia's 0.331 swung up to 1.8 (5.5 x). When the case's WUE is its own (a caller's value: the tco notebook's plant model, not the
costs.csv default), :func:`plant_wue_range` swings it over :data:`PLANT_WUE_FACTORS` times the modelled
value. No sourced spread of a modelled plant's WUE exists in ``data/`` or the reference data
(``data/cooling_defaults.csv``'s ``tower_cycles`` of 4 is itself an estimate), so the spread is
ILLUSTRATIVE (:data:`PLANT_WUE_RANGE_TEXT` says so wherever the range is shown). A dry plant (0 L/kWh)
has no range: it uses no water.
"""
from __future__ import annotations

__all__ = ["PLANT_WUE_FACTORS", "PLANT_WUE_RANGE_TEXT", "plant_wue_range"]

#: Low and high of the swing of a plant's own WUE, as multiples of the modelled value: ILLUSTRATIVE (no sourced
#: spread). For scale, the blowdown part alone moves by -10 % / +12.5 % between 6 and 3 cycles of concentration
#: (blowdown = evaporation / (cycles - 1) about data/cooling_defaults.csv's estimated 4).
PLANT_WUE_FACTORS = (0.7, 1.3)

PLANT_WUE_RANGE_TEXT = (f"range swung: the plant's own modelled WUE x {PLANT_WUE_FACTORS[0]:g}-{PLANT_WUE_FACTORS[1]:g}, "
                        "ILLUSTRATIVE (no sourced spread of a modelled plant's water use in data/ or the reference "
                        "data), not data/costs.csv's generic 0-1.8 L/kWh (dcplan.tco_water_range)")


def plant_wue_range(base: float) -> tuple[float, float]:
    """``(low, high)`` of a plant's own WUE ``base`` [L/kWh]: :data:`PLANT_WUE_FACTORS` times it; ``(0, 0)``,
    no range, for a dry plant.

    >>> plant_wue_range(2.18)
    (1.526, 2.834)
    """
    b = float(base)
    return round(b * PLANT_WUE_FACTORS[0], 12), round(b * PLANT_WUE_FACTORS[1], 12)
