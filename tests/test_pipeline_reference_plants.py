"""dcplan.pipeline.REFERENCE_PLANTS: each reference plant is what its description says.

``liquid-w45-dry`` is described as a waterless dry-cooler plant (the W45 class LBNL's 2024 report
assumes for AI liquid cooling), but its air loop kept the default ``air_heat_rejection: tower``:
15,183 m3 of tower water a year on the Phoenix site (WUE 0.42 L/kWh). Now both loops reject to
dry coolers.
"""
from __future__ import annotations

import pytest

from dcplan import pipeline
from dcplan.errors import DcplanWarning
from dcplan.site import load_site


def test_liquid_w45_dry_reference_plant_is_waterless():
    """No cooling tower anywhere in the plant: no evaporation, no blowdown, so water 0 exactly
    (dcplan.thermal_plant_loop: tower water is counted only for loops rejecting to a tower)."""
    spec = pipeline.REFERENCE_PLANTS["liquid-w45-dry"]
    assert (spec["heat_rejection"], spec["air_heat_rejection"]) == ("dry", "dry")
    # Phoenix's hgx-b200 servers are air-cooled: the liquid reference plant runs them as liquid-cooled (warned)
    with pytest.warns(DcplanWarning, match=r".*'hgx-b200' is air-cooled .* because the reference plant 'liquid-w45-dry'"):
        site = pipeline.with_reference_plant(load_site("phoenix-az"), "liquid-w45-dry")
    assert site.cooling.air_heat_rejection == "dry" and site.cooling.heat_rejection == "dry"
    # the W45 dry cooler without a trim chiller cannot hold Phoenix's hottest hours even with the
    # hall fully throttled (its free capacity at the 45 degC class maximum is (45 - T) / 8 of nameplate)
    with pytest.warns(DcplanWarning, match="below even the fully throttled hall"):
        y = pipeline.run_site_year(site)
    assert y.cooling["water_m3"] == 0.0 and y.cooling["wue_l_per_kwh"] == 0.0
    assert float(y.plant["water_l"].sum()) == 0.0
    # the plant's record says which chillers it has: an air-cooled one only (the air loop's)
    rec = y.plant.attrs["plant"]
    assert rec["chiller_design_db_degc"] is not None and rec["chiller_design_wb_degc"] is None


def test_tower_reference_plant_uses_water():
    """The evaporative reference keeps its towers (a control for the test above)."""
    with pytest.warns(DcplanWarning, match=r".*because the reference plant 'liquid-w32-tower'"):  # air servers
        site = pipeline.with_reference_plant(load_site("phoenix-az"), "liquid-w32-tower")
    y = pipeline.run_site_year(site)
    assert y.cooling["water_m3"] > 0.0
