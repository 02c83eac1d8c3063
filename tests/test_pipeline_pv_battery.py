"""A behind-the-meter battery with PV above the load: it stores PV surplus first, and the
site-year's figures balance (grid = facility - PV + spilled + battery losses)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import pipeline, power
from dcplan.site import load_site
from dcplan.specs.interconnection import BatterySpec


def _with_battery(site, **battery):
    ic = site.interconnection.model_copy(update={"battery": BatterySpec(**battery)})
    return site.model_copy(update={"interconnection": ic})


@pytest.fixture(scope="module")
def hand_case():
    """Three hours: PV surplus 3,000 kW, then two hours of 1,500 kW net load.

    Battery 2,000 kW / 1,000 kWh, round trip 0.81 (0.9 each way), monthly demand target,
    repeating year. By hand: the two peak hours need 2 (1500 - t) / 0.9 kWh from storage,
    at most 1,000 kWh, so the lowest target is t = 1500 - 450 = 1,050 kW; the surplus hour
    refills the 1,000 kWh with 1,000 / 0.9 = 1,111.1 kW taken from the 3,000 kW of spare PV
    (within the 2,000 kW limit), leaving 1,888.9 kW spilled. (Charged only from the grid up to
    the target, as when the net load was clipped at 0, the target would have been
    3000 / 2.81 = 1,067.6 kW: 0.81 t >= 2 (1500 - t).)
    """
    site = _with_battery(load_site("research-triangle-nc"), power_mw=2.0, energy_mwh=1.0,
                         round_trip_eff_frac=0.81, target="demand")
    idx = pd.date_range("2025-06-10 13:00", periods=3, freq="h", tz="America/New_York")
    facility = pd.Series([1000.0, 1500.0, 1500.0], index=idx, name="facility_kw")
    pv = pd.Series([4000.0, 0.0, 0.0], index=idx, name="pv_kw")
    grid_kw, bat = pipeline._grid_kw(site, facility, pv)
    return site, facility, pv, grid_kw, bat


def test_battery_stores_pv_surplus_hand_case(hand_case):
    _, _, _, grid_kw, bat = hand_case
    # hand values (hand_case docstring); 0.01 kW covers the bisection tolerance (3e-3 kW)
    np.testing.assert_allclose(grid_kw.to_numpy(), [-3000.0 + 1000.0 / 0.9, 1050.0, 1050.0], atol=0.01)
    np.testing.assert_allclose(bat["charge_kw"].to_numpy(), [1000.0 / 0.9, 0.0, 0.0], atol=0.01)
    np.testing.assert_allclose(bat["discharge_kw"].to_numpy(), [0.0, 450.0, 450.0], atol=0.01)


def test_figures_balance_in_the_hand_case(hand_case):
    site, facility, pv, grid_kw, bat = hand_case
    y = pipeline.SiteYear(site=site, weather=None, it_kw=facility.rename("it_kw"), design_it_kw=1500.0,
                          plant=None, cooling={"annual_pue": 1.0, "free_cooling_h": 0.0, "derate_h": 0.0,
                                               "throttled_frac": 0.0, "wue_l_per_kwh": 0.0},
                          facility_kw=facility, pv_kw=pv, grid_kw=grid_kw, contracted_kw=None, capacity=None,
                          bill=None, n_accelerators=1, battery=bat)
    f = pipeline.figures(y)
    # hand: spilled = 3,000 - 1,111.1 kWh (not the 3,000 kWh of PV above the load);
    # losses = 1,111.1 x 0.1 + 900 x (1/0.9 - 1) = 211.1 kWh; import = 2 x 1,050 kWh
    assert f["pv_spilled_mwh"] == pytest.approx((3000.0 - 1000.0 / 0.9) / 1000, abs=1e-5)
    assert f["battery_losses_mwh"] == pytest.approx((1000.0 / 0.9 * 0.1 + 900.0 / 9) / 1000, abs=1e-5)
    assert f["grid_mwh"] == pytest.approx(2.1, abs=1e-5)
    # identity (repeating year: the battery ends where it starts)
    assert f["grid_mwh"] == pytest.approx(f["facility_mwh"] - f["pv_mwh"] + f["pv_spilled_mwh"]
                                          + f["battery_losses_mwh"], abs=1e-9)


def test_site_year_with_pv_above_the_load_balances():
    # the tester's case: 12 MWdc on research-triangle-nc (PV above the ~4-5 MW load at midday)
    # with a 2 MW / 8 MWh demand-target battery. Expected, independent of the figures code:
    # import = facility - PV + spilled + losses (+ SoC change, 0 in the repeating year; 1e-6 MWh
    # covers float rounding of 8,760 steps), and what is spilled is the PV above the load less
    # what the battery took from that surplus in the same hour.
    s = load_site("research-triangle-nc")
    s = s.model_copy(update={"solar": s.solar.model_copy(update={"dc_kw": 12000.0})})
    y = pipeline.run_site_year(_with_battery(s, power_mw=2.0, energy_mwh=8.0, target="demand"))
    f = pipeline.figures(y)
    b = y.battery
    assert b.attrs["soc_end_kwh"] == pytest.approx(b.attrs["soc_initial_kwh"], abs=1e-6)
    mwh = lambda x: float(power.energy_from_power(x).sum()) / 1000  # noqa: E731
    surplus = (y.pv_kw - y.facility_kw).clip(lower=0.0)
    stored = np.minimum(b["charge_kw"], surplus)
    assert mwh(stored) > 100.0      # the battery does store PV surplus in this case
    assert f["pv_spilled_mwh"] == pytest.approx(mwh(surplus) - mwh(stored), abs=1e-6)
    assert f["grid_mwh"] == pytest.approx(f["facility_mwh"] - f["pv_mwh"] + f["pv_spilled_mwh"]
                                          + f["battery_losses_mwh"], abs=1e-6)
    # the bill is the meter's import after the battery
    assert f["bill_usd"] == pytest.approx(pipeline.site_tariff(y.site).bill(y.grid_kw.clip(lower=0.0)).total_usd,
                                          rel=1e-12)
