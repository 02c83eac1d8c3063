"""The design hour says when the plant cannot carry the design IT (dcplan.thermal.design_hour_pue,
and the site verdict's clause, dcplan.site_verdict).

A plant short of capacity removes only the heat it can (its chiller is counted for that heat
only), so its PUE in a short hour is not the PUE of a plant that carries the load. The design
hour used to report such a PUE with no flag, and the site analysis published it as the plant's
"Design-hour PUE" beside the site's stated design PUE.
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan import thermal
from dcplan.site_verdict import _contract_parts, design_short_text


def _flat_year(db=40.0, wb=20.0):
    """A year of identical hours: both design days (thermal.design_conditions) are 24 hours at
    ``db`` / ``wb`` (daily range 0)."""
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="Etc/GMT+7")
    return pd.DataFrame({"temp_air": db, "temp_wet_bulb_degc": wb}, index=idx)


def test_design_hour_of_a_short_plant_says_so_and_by_how_much():
    """W45 dry cooler with no chiller on the liquid loop, 40 degC all day, design IT 1,000 kW, margin
    10 %: the liquid loop's free capacity at the 45 degC class maximum is
    Qd x (45 - 40) / 8 = 0.625 Qd, in IT terms 0.625 x 1,100 = 687.5 kW (the air loop, a
    water-cooled chiller at a 20 degC wet bulb, carries its nameplate, above 1,100 kW of IT with the
    losses it also carries). Short by 1,000 - 687.5 = 312.5 kW in every hour of both days.
    Tolerance: float rounding."""
    w = _flat_year()
    dh = thermal.design_hour_pue(1000.0, w, {"type": "liquid", "liquid_class": "W45"})
    assert dh["short"] is True
    assert dh["min_capacity_kw"] == pytest.approx(687.5, rel=1e-12)
    assert dh["max_derate_kw"] == pytest.approx(312.5, rel=1e-12)
    assert dh["derate_kw"] == pytest.approx(312.5, rel=1e-12)   # the design hour is one of them
    assert dh["pue"] == pytest.approx(dh["facility_kw"] / 1000.0, rel=1e-12)


def test_design_hour_of_a_plant_that_carries_the_load():
    """The same loop with a trim chiller: selected for the year's 40 degC, e_d = (53 - 48) / 10 = 0.5,
    so it is rated max(0.5 floor, 0.5) Qd; at the design IT (heat Qd / 1.1) it and the economizer,
    e = (53 - 40 - 8 / 1.1) / 10 = 0.572727, carry 0.5 + 0.572727 / 1.1 = 1.0207 Qd, held to the
    nameplate: 1,100 kW of IT, nothing short. The air loop (its nameplate 1.1 x its design base load, 0.15 of the
    IT plus the chain's losses L) carries x with 0.15 x + L(x) = 1.1 (150 + L(1000)), the losses AT that IT
    (dcplan.thermal_plant_capacity, since 2026-12): 1,097.70 kW (brentq), just below the liquid loop's 1,100, so the
    plant's lowest IT capacity is the air loop's (it was 1,100 with the losses of the hour's 1,000 kW). Tolerance:
    brentq's 1e-9 kW, float rounding."""
    from scipy.optimize import brentq

    from dcplan.power import electrical_losses_kw

    def loss(x):
        return float(electrical_losses_kw(x, rated_kw=1000.0))
    air_it = brentq(lambda x: 0.15 * x + loss(x) - 1.1 * (150.0 + loss(1000.0)), 1000.0, 1100.0, xtol=1e-9)
    dh = thermal.design_hour_pue(1000.0, _flat_year(), {"type": "liquid", "liquid_class": "W45",
                                                         "trim_chiller": True})
    assert dh["short"] is False and dh["max_derate_kw"] == 0.0 and dh["derate_kw"] == 0.0
    assert dh["min_capacity_kw"] == pytest.approx(min(1100.0, air_it), rel=1e-9)
    assert dh["min_capacity_kw"] == pytest.approx(1097.70, abs=0.005)


def test_the_verdict_says_when_the_design_hour_is_short():
    short = {"pue": 1.1396, "facility_kw": 1139.6, "short": True, "min_capacity_kw": 687.5, "max_derate_kw": 312.5}
    assert design_short_text(short, 1000.0) == (
        "at full design IT (1.00 MW) the cooling plant is short on its design days: it removes the heat of "
        "at most 0.69 MW of IT (312 kW short), so its design-hour PUE 1.140 counts cooling only for the heat "
        "it removes")
    assert design_short_text({**short, "short": False, "max_derate_kw": 0.0}, 1000.0) is None
    over = {"hours_over_contract_h": 0.0, "peak_grid_kw": 900.0}
    assert _contract_parts(over, 1.0, 1139.6, 1000.0, short=True)[1] == (
        "but at full design IT (1.00 MW) the design hour needs at least 1.14 MW at the facility (its cooling plant "
        "is short on the design days), more than the contract (the worst hour of the site's 0.4 % design days, "
        "PUE 1.1396)")  # 1139.6 kW / 1000 kW


def test_a_design_hour_tied_on_pue_is_the_design_conditions_own_hour():
    """Phoenix's site report named "hour ending 10:00 of the ... dry-bulb day: 43.4 degC dry bulb"; at
    10:00 the design day reads 43.4 - 0.38 x 12 = 38.84 degC (dcplan.thermal.DESIGN_DAY_FRACTIONS, the
    ASHRAE profile). Its air plant is all-mechanical at its COP cap from 10:00 to 19:00, so the PUE is the
    same in every one of those hours and the first of them was taken. Of tied hours the design hour is
    now the hottest: the profile's fraction is 0 in the hours ending 14:00 and 15:00, the first is 14."""
    from dcplan import pipeline
    from dcplan.site import load_portfolio
    from dcplan.thermal_design_day import DESIGN_DAY_FRACTIONS
    spec = load_portfolio()["phoenix-az"]
    y = pipeline.run_site_year(spec)
    dh = thermal.design_hour_pue(y.design_it_kw, y.weather, spec.cooling)
    assert dh["basis"] == "dry_bulb"
    assert DESIGN_DAY_FRACTIONS[dh["hour_ending"] - 1] == 0.0
    assert dh["hour_ending"] == 14
