"""dcplan.pipeline: the chain adds no maths; each link equals the direct module call."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import pipeline, power, solar, thermal
from dcplan.site import load_site


@pytest.fixture(scope="module")
def phoenix_year():
    return pipeline.run_site_year(load_site("phoenix-az"))


def test_weather_is_civil_time_hourly_year(phoenix_year):
    w = phoenix_year.weather
    assert str(w.index.tz) == "America/Phoenix" and len(w) == 8760 and w.index.freq == "h"


def test_links_equal_direct_calls(phoenix_year):
    y = phoenix_year
    site = y.site
    it = power.site_it_kw(site, y.weather.index, seed=0, deployed="all")
    pd.testing.assert_series_equal(y.it_kw, it)
    # the plant link: plant_hourly given the site's electrical chain (the pipeline's call). Until 2026-12 this
    # passed the chain's losses as an array (electrical_losses_kw=...): the same plant then, since both sized the
    # plant on the largest hourly losses; now the chain's plant is sized at the losses at the design IT
    # (dcplan.thermal_plant), which an array of hourly losses cannot give (it is sized at their largest, the
    # hourly peak IT's: 6.4 kW more facility power in some Phoenix hours, its movers on a smaller design flow)
    plant = thermal.plant_hourly(it, y.weather, site.cooling, design_it_kw=y.design_it_kw, fleet=site,
                                 electrical_chain=site.electrical.stages(),
                                 electrical_rated_kw=power.electrical_design_it_kw(site))
    np.testing.assert_allclose(y.facility_kw.to_numpy(), plant["facility_kw"].to_numpy(), rtol=0, atol=0)
    # the losses link: the plant's losses are dcplan.power's chain losses of the hour's IT (no server-fan uplift
    # hours in a Phoenix air year at A2: it_fan_uplift_kw is 0 throughout; were it not, the chain at the uplifted IT)
    assert (plant["it_fan_uplift_kw"] == 0).all()
    np.testing.assert_allclose(plant["electrical_losses_kw"].to_numpy(),
                               np.asarray(power.electrical_losses_kw(it, rated_kw=y.design_it_kw)), rtol=1e-12)
    pv = solar.pv_for_site(site, y.weather)
    np.testing.assert_allclose(y.grid_kw.to_numpy(), (plant["facility_kw"] - pv).to_numpy(), atol=1e-9)


def test_energy_bookkeeping_closes(phoenix_year):
    # facility = IT + electrical losses + cooling, hour by hour (thermal module's balance)
    y = phoenix_year
    assert (y.facility_kw >= y.it_kw - 1e-9).all()
    e = lambda s: float(power.energy_from_power(s).sum())
    # net grid energy + PV = facility energy, exactly (grid_kw = facility_kw - pv_kw)
    assert e(y.facility_kw) == pytest.approx(e(y.grid_kw) + e(y.pv_kw), rel=1e-12)
    f = pipeline.case_figures(y.site)
    # billed import energy counts only positive grid power: never below the net energy
    assert f["grid_mwh"] >= e(y.grid_kw) / 1000 - 1e-9
    assert f["annual_pue"] == pytest.approx(f["facility_mwh"] / f["it_mwh"], rel=1e-6)


def test_case_figures_are_deterministic():
    s = load_site("chicago-il")
    assert pipeline.case_figures(s) == pipeline.case_figures(s)


def test_interconnection_without_phases_is_checked_against_the_request(phoenix_year):
    # a spec without phases contracts requested_mw (dcplan.grid); the year is checked against it.
    # Expected: hours with grid power above the request, and the peak excess, counted here directly.
    y = phoenix_year
    req_mw = round(0.9 * float(y.grid_kw.max()) / 1000.0, 3)
    ic = y.site.interconnection.model_copy(update={"phases": (), "requested_mw": req_mw})
    year = pipeline.run_site_year(y.site.model_copy(update={"interconnection": ic}), weather=y.weather)
    over = y.grid_kw - 1000.0 * req_mw
    assert year.contracted_kw is not None and (year.contracted_kw == 1000.0 * req_mw).all()
    f = pipeline.figures(year)
    assert f["hours_over_contract_h"] == float((over > 0).sum()) > 0   # hourly intervals: 1 h each
    assert f["peak_excess_kw"] == pytest.approx(float(over.max()), rel=1e-12)


def test_site_battery_is_in_the_grid_load_and_the_bill(phoenix_year):
    """A site with a battery pays for it in the TCO (battery_kwh from the spec), so the year's
    grid load, capacity check and bill must be after its dispatch, not before.

    Expected values, independent of the dispatch logic: the grid energy rises by exactly what
    went into the battery less what came out, sum (charge - discharge) dt = (SOC_end - SOC_0)
    + losses (the battery's own bookkeeping, 1 h steps); the bill equals the tariff applied to
    the shaved load; a demand-target battery lowers every month's peak or leaves it, and the
    bill of this demand-charged tariff falls."""
    y0 = phoenix_year
    from dcplan.specs.interconnection import BatterySpec
    bat = BatterySpec(power_mw=1.0, energy_mwh=2.0, target="demand")
    site = y0.site.model_copy(update={"interconnection": y0.site.interconnection.model_copy(update={"battery": bat})})
    y = pipeline.run_site_year(site, weather=y0.weather)
    b = y.battery
    assert b is not None and len(b) == 8760
    e = lambda s: float(power.energy_from_power(s).sum())
    soc0 = b.attrs["soc_initial_kwh"]   # the repeating year's start (its own test below)
    assert e(y.grid_kw) - e(y0.grid_kw) == pytest.approx(float(b["soc_kwh"].iloc[-1]) - soc0 + float(b["loss_kwh"].sum()),
                                                         rel=1e-9, abs=1e-6)
    assert b["loss_kwh"].sum() > 0 and b["discharge_kw"].max() > 0
    tariff = pipeline.site_tariff(site)
    assert y.bill.total_usd == pytest.approx(tariff.bill(y.grid_kw.clip(lower=0.0)).total_usd, rel=1e-12)
    assert y.bill.total_usd < y0.bill.total_usd and y.bill.demand_usd < y0.bill.demand_usd
    month = lambda s: s.groupby((s.index - pd.Timedelta("1h")).month).max()   # noqa: E731
    assert (month(y.grid_kw) <= month(y0.grid_kw) + 1e-6).all()
    assert y0.battery is None


def test_site_battery_repeats_the_typical_year(phoenix_year):
    """The typical year is billed as every year of operation, so the site battery must start it
    with the state of charge it ends with (it started full and ended emptier: free energy).

    Expected values, independent of the dispatch logic: start SoC = end SoC (in the battery
    frame's attrs; 1e-6 kWh is float rounding of 8760 steps on a 2,000 kWh battery), so the
    grid energy rises by exactly the battery's losses (sum (charge - discharge) dt = losses,
    rel 1e-9: rounding of sums of 8760 terms); the link equals the direct module calls with
    soc_initial_frac="cyclic" (demand targets for the repeating year), and the repeating year
    holds every monthly target it was given."""
    from dcplan import grid
    from dcplan.specs.interconnection import BatterySpec
    y0 = phoenix_year
    bat = BatterySpec(power_mw=1.0, energy_mwh=2.0, target="demand")
    site = y0.site.model_copy(update={"interconnection": y0.site.interconnection.model_copy(update={"battery": bat})})
    y = pipeline.run_site_year(site, weather=y0.weather)
    b = y.battery
    assert b.attrs["soc_initial_frac"] == "cyclic"
    assert abs(b.attrs["soc_end_kwh"] - b.attrs["soc_initial_kwh"]) <= 1e-6
    assert b.attrs["soc_end_kwh"] == float(b["soc_kwh"].iloc[-1])
    e = lambda s: float(power.energy_from_power(s).sum())   # noqa: E731
    assert e(y.grid_kw) - e(y0.grid_kw) == pytest.approx(float(b["loss_kwh"].sum()), rel=1e-9)
    assert abs(grid.energy_balance(b)["residual_kwh"]) <= 1e-9 * e(b["charge_kw"])
    meter = y0.grid_kw.clip(lower=0.0)
    kw = dict(power_kw=1000.0, energy_kwh=2000.0, round_trip_eff_frac=bat.round_trip_eff_frac,
              soc_initial_frac="cyclic")
    direct = grid.peak_shave(meter, grid.demand_targets_kw(meter, **kw), **kw)
    pd.testing.assert_frame_equal(b, direct)
    assert b["over_target_kw"].max() <= 1e-9


def test_design_it_below_the_mean_load_is_warned():
    # a tester's diversity_frac 0.8 on the synchronous training site: design IT 0.8 x 5,616 =
    # 4,493 kW (fleet_design_it_kw at diversity 1: 5,616 kW), below the year's mean IT (about
    # 4,800 kW, above 0.8 of nameplate at utilisation 0.8), and the plant and loss chain sized on it
    from dcplan.errors import DcplanWarning
    from dcplan.sweep import apply_overrides
    rtp = load_site("research-triangle-nc")
    assert power.fleet_design_it_kw(rtp) == pytest.approx(5616.0, rel=1e-3)
    site = apply_overrides(rtp, {"fleet.diversity_frac": 0.8})
    with pytest.warns(DcplanWarning, match=r"diversity_frac 0.8 puts the design IT \(4,493 kW\).*below the year's "
                                           r"mean IT"):
        pipeline.run_site_year(site)


def test_measured_power_above_the_nameplate_is_refused(tmp_path):
    # a measured it_kw file of 9,000 kW on a fleet whose nameplate is 5,786 kW (Phoenix: 384
    # HGX B200 at 14.3 kW + 48 racks of gear) passed and reported 78,840 MWh a year
    from dcplan.errors import InputError
    from dcplan.site import load_site as _load
    phx = load_site("phoenix-az")
    w = pipeline.site_weather(phx)
    csv = tmp_path / "it.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in w.index], "it_kw": 9000.0}).to_csv(csv, index=False)
    text = open(phx.source_file).read()
    for rel in ("weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw", "tariffs/aps-az-e32-tou-l.json"):
        text = text.replace(f"file: {rel}", f"file: {power.data_path(rel)}")
    text = text.replace("  workload: inference\n", "  workload: data\n  data_file: it.csv\n")
    (tmp_path / "s.yaml").write_text(text)
    site = _load(tmp_path / "s.yaml")
    nameplate = power.fleet_design_it_kw(site) / site.fleet.diversity_frac
    assert nameplate == pytest.approx(5786.0, abs=1.0)
    with pytest.raises(InputError, match=r"fleet.data_file: the measured IT power peaks at 9,000 kW, above the "
                                         r"fleet's nameplate 5,786 kW"):
        pipeline.run_site_year(site)
