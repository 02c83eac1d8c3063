"""A plant whose every loop rejects dry (no cooling tower) has no extreme wet-bulb case: the wet bulb moves nothing
in it, and that hour's shortfall is the typical year's own at its kept dry bulb, not one "the typical year leaves
out" (a cooling engineer's Phoenix W45 dry-cooler site was told 400 kW short there)."""
from __future__ import annotations

import warnings

from dcplan import pipeline
from dcplan.errors import DcplanWarning
from dcplan.site import load_site
from dcplan.thermal_extremes import extreme_hour_capacity

from conftest import DATA


def test_the_wet_bulb_case_is_the_tower_plants_only():
    nova = load_site(DATA / "sites" / "northern-virginia.yaml")   # GB200 racks on a liquid plant; Dulles EPW extremes
    w = pipeline.site_weather(nova)
    base = {"type": "liquid", "liquid_class": "W45"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        tower = extreme_hour_capacity(16000.0, w, base)
        dry = extreme_hour_capacity(16000.0, w, {**base, "heat_rejection": "dry", "air_heat_rejection": "dry"})
        half = extreme_hour_capacity(16000.0, w, {**base, "heat_rejection": "dry"})   # the air loop's tower
    assert "wb_max" in tower.index and "wb_max" in half.index
    assert "wb_max" not in dry.index and {"typical_db_max", "db_10yr", "db_20yr"} <= set(dry.index)
