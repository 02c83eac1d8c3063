"""The TCO's electricity as the on-site PV ages (dcplan.pipeline.electricity_by_pv_age,
dcplan.tco.ElectricityByPvAge): every expected figure is computed by hand in the comments."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from dcplan import pipeline, tco
from dcplan.errors import InputError
from dcplan.site import load_site
from dcplan.tariff import Tariff
from dcplan.tco import ElectricityByPvAge, evaluate, run_tco

from test_tco import MONTHLY, FakeBill, bare

_ENERGY = {"energyratestructure": [[{"rate": 0.10}]],            # 0.10 USD/kWh, every hour
           "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[0] * 24] * 12}
_DEMAND = {**_ENERGY, "flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12}


@pytest.fixture(scope="module")
def year():
    """Phoenix's site-year with a hand-made load: 1,000 kW facility in every hour and PV of
    ``pv`` kW in the 6 hours labelled 10:00-15:00 of each day (2,190 h), 0 otherwise."""
    y = pipeline.run_site_year(load_site("phoenix-az"))

    def make(pv, d):
        idx = y.weather.index
        sun = (idx.hour >= 10) & (idx.hour < 16)
        assert sun.sum() == 2190
        site = y.site.model_copy(update={"solar": y.site.solar.model_copy(
            update={"degradation_frac_per_year": d})})
        return dataclasses.replace(y, site=site, facility_kw=pd.Series(1000.0, index=idx),
                                   pv_kw=pd.Series(np.where(sun, pv, 0.0), index=idx))
    return make


def test_bills_by_age_hand_computed_with_export_clipped(year):
    # PV 1,500 kW on a 1,000 kW load, 1 %/yr: at age a the sunny hours draw
    # max(0, 1000 - 1500 (1 - 0.01 a)) kW (no credit for export), the other 6,570 h 1,000 kW.
    # Age 0..33: 1500 (1 - 0.01 a) >= 1005 > 1000, nothing from the grid in the sun;
    # age 39: 1500 x 0.61 = 915 kW of PV, 85 kW from the grid.
    y = year(1500.0, 0.01)
    e = pipeline.electricity_by_pv_age(y, 40, tariff=Tariff.from_urdb(_ENERGY))
    assert e.degradation_frac_per_year == 0.01 and e.monthly_usd.shape == (40, 12)
    a = np.arange(40)
    kwh = 1000.0 * 6570 + np.maximum(0.0, 1000.0 - 1500.0 * (1 - 0.01 * a)) * 2190
    np.testing.assert_allclose(e.monthly_usd.sum(axis=1), 0.10 * kwh, rtol=1e-12)
    assert e.monthly_usd[:34].sum(axis=1) == pytest.approx(np.full(34, 657_000.0), rel=1e-12)
    assert e.monthly_usd[39].sum() == pytest.approx(0.10 * (6_570_000 + 85 * 2190), rel=1e-12)


def test_bills_by_age_with_a_demand_charge_and_output_floored_at_zero(year):
    # PV 400 kW, 5 %/yr: output factor 1 - 0.05 a, floored at 0 from age 20 on (age 24: -0.2).
    # Energy: 0.10 x (8,760,000 - 400 (1 - 0.05 a)+ x 2,190) USD; demand: the night hours keep
    # every month's peak at 1,000 kW, 12 x 10 x 1,000 = 120,000 USD at every age.
    y = year(400.0, 0.05)
    e = pipeline.electricity_by_pv_age(y, 25, tariff=Tariff.from_urdb(_DEMAND))
    f = np.clip(1 - 0.05 * np.arange(25), 0, None)
    np.testing.assert_allclose(e.monthly_usd.sum(axis=1), 0.10 * (8_760_000 - 400 * f * 2190) + 120_000,
                               rtol=1e-12)
    assert e.monthly_usd[20].sum() == pytest.approx(876_000 + 120_000, rel=1e-12)   # no PV left


def test_no_ageing_without_pv_or_without_degradation(year):
    for y in (year(0.0, 0.005), year(400.0, 0.0)):
        e = pipeline.electricity_by_pv_age(y, 10, tariff=Tariff.from_urdb(_ENERGY))
        assert e.monthly_usd.shape == (10, 12)
        np.testing.assert_array_equal(e.monthly_usd, np.repeat(e.monthly_usd[:1], 10, axis=0))


def test_row_zero_is_the_site_years_bill():
    # the bundled Phoenix site (5 MW PV, 0.5 %/yr default): age 0 is run_site_year's bill, and
    # each later year costs more (less PV) on its demand-charged tariff
    y = pipeline.run_site_year(load_site("phoenix-az"))
    e = pipeline.electricity_by_pv_age(y, 10)
    np.testing.assert_allclose(e.monthly_usd[0], tco.electricity_monthly_usd(y.bill), rtol=1e-13)
    assert e.degradation_frac_per_year == 0.005
    assert (np.diff(e.monthly_usd.sum(axis=1)) > 0).all()


def test_battery_site_is_dispatched_again_at_each_age():
    # with a battery, row 0 is still the site-year's bill (after the battery), and every age is the
    # bill of the battery's own dispatch of that age's net load
    from dcplan import grid, solar
    from dcplan.specs.interconnection import BatterySpec
    s = load_site("phoenix-az")
    site = s.model_copy(update={"interconnection": s.interconnection.model_copy(
        update={"battery": BatterySpec(power_mw=1.0, energy_mwh=2.0, target="demand")})})
    y = pipeline.run_site_year(site)
    e = pipeline.electricity_by_pv_age(y, 3)
    np.testing.assert_allclose(e.monthly_usd[0], tco.electricity_monthly_usd(y.bill), rtol=1e-12)
    net = solar.net_load_kw(y.facility_kw, y.pv_kw * 0.99)
    b = grid.battery_dispatch(site.interconnection, net.clip(lower=0.0))
    load = (net - b["discharge_kw"] + b["charge_kw"]).clip(lower=0.0)
    assert e.monthly_usd[2].sum() == pytest.approx(pipeline.site_tariff(site).bill(load).total_usd, rel=1e-12)


def test_bad_calls_are_clear_errors(year):
    y = year(400.0, 0.005)
    for years in (0, 51, 2.5, True):
        with pytest.raises(InputError, match="years: must be a whole number of years in 1..50"):
            pipeline.electricity_by_pv_age(y, years, tariff=Tariff.from_urdb(_ENERGY))
    with pytest.raises(InputError, match="tariff: the site has no tariff"):
        pipeline.electricity_by_pv_age(dataclasses.replace(y, site=y.site.model_copy(update={"tariff": None})), 3)
    with pytest.raises(InputError, match="tariff: need a dcplan.tariff.Tariff, got str"):
        pipeline.electricity_by_pv_age(y, 3, tariff="abc")
    # a spec changed without validation: the error names the site's file and field
    bad = dataclasses.replace(y, site=y.site.model_copy(update={"solar": y.site.solar.model_copy(
        update={"degradation_frac_per_year": 2.0})}))
    with pytest.raises(InputError, match=r"phoenix-az.yaml.*solar.degradation_frac_per_year: must be a fraction "
                                         r"per year in \[0, 0.05\]"):
        pipeline.electricity_by_pv_age(bad, 3, tariff=Tariff.from_urdb(_ENERGY))


# ---------------------------------------------------------------------------
# the TCO bills each month at the PV's age
TAB = np.stack([MONTHLY * (1 + 0.1 * a) for a in range(4)])   # a made-up table: +10 % per age


def test_each_month_pays_the_bill_of_the_pvs_age_since_placed_in_service():
    # build 6 months (PV in service at month 6), grid delay 3 (operations from month 9), no
    # escalation: months 9..17 are PV age 0, 18..29 age 1, 30..35 age 2, so
    # year 1 = TAB[0][9:12], year 2 = TAB[0][0:6] + TAB[1][6:12], year 3 = TAB[1][0:6] + TAB[2][6:12]
    r = run_tco(bare(horizon=3, build_months=6.0, delay_months=3.0), ElectricityByPvAge(TAB, 0.01))
    want = [TAB[0][9:12].sum(), TAB[0][0:6].sum() + TAB[1][6:12].sum(), TAB[1][0:6].sum() + TAB[2][6:12].sum()]
    np.testing.assert_allclose(r.annual.loc["opex_electricity_usd"], want, rtol=1e-13)
    assert r.summary["electricity_typical_year_usd"] == pytest.approx(MONTHLY.sum(), rel=1e-13)
    a = r.assumptions.set_index("key")["value"]
    assert a["pv_degradation_frac_per_year"] == 0.01
    assert a["electricity_pv_age03_usd"] == pytest.approx(1.2 * MONTHLY.sum(), rel=1e-13)


def test_same_bill_at_every_age_is_the_year1_bill():
    tab = np.repeat(MONTHLY[None, :], 5, axis=0)
    inp = bare(horizon=5, build_months=7.0, electricity_escalation_frac=0.05)
    np.testing.assert_allclose(run_tco(inp, ElectricityByPvAge(tab, 0.0)).monthly.to_numpy(),
                               run_tco(inp, FakeBill(MONTHLY)).monthly.to_numpy(), rtol=1e-14)


def test_cases_with_different_builds_age_the_pv_each_from_its_own():
    # tornado / Monte Carlo: one evaluate call over cases of different build_months equals one
    # call per case
    e = ElectricityByPvAge(TAB, 0.01)
    builds = np.array([6.0, 9.0, 6.0, 0.0, 12.4])
    lines = evaluate(bare(horizon=3), e, params={"build_months": builds})
    for i, b in enumerate(builds):
        one = evaluate(bare(horizon=3, build_months=b), e)
        np.testing.assert_allclose(lines["opex_electricity_usd"][i], one["opex_electricity_usd"][0], rtol=1e-13)


def test_assumptions_list_the_ages_billed_with_their_months_and_the_rates_source():
    # horizon 3, build 6: months 6..35 are ages 0..2 ((35 - 6) // 12 + 1 = 3 ages of TAB's 4)
    r = run_tco(bare(horizon=3, build_months=6.0), ElectricityByPvAge(TAB, 0.01, "my study", "2025", "estimate"))
    a = r.assumptions.set_index("key")
    ages = [k for k in a.index if k.startswith("electricity_pv_age")]
    assert [k for k in ages if "month" not in k] == ["electricity_pv_age01_usd", "electricity_pv_age02_usd",
                                                     "electricity_pv_age03_usd"]
    assert len([k for k in ages if "month" in k]) == 24                    # ages 2 and 3 (age 1: year-1 rows)
    assert a.loc["electricity_pv_age03_month02_usd", "value"] == pytest.approx(1.2 * MONTHLY[1], rel=1e-13)
    assert tco.pv_ages_billed(bare(horizon=3, build_months=6.0)) == 3
    assert tco.pv_ages_billed(bare(horizon=3, build_months=0.0)) == 3
    assert tco.pv_ages_billed(bare(horizon=10, build_months=12.0)) == 9
    row = a.loc["pv_degradation_frac_per_year"]
    assert (row["value"], row["source"], row["vintage"], row["status"]) == (0.01, "my study", "2025", "estimate")


def test_the_rates_source_is_the_site_field_or_the_sourced_default(year):
    y = year(400.0, 0.01)                                   # set on the spec: the site's input
    e = pipeline.electricity_by_pv_age(y, 2, tariff=Tariff.from_urdb(_ENERGY))
    assert e.source.endswith("solar.degradation_frac_per_year") and e.status == "input"
    site = y.site.model_copy(update={"solar": type(y.site.solar)(dc_kw=400.0)})   # not set: default
    e = pipeline.electricity_by_pv_age(dataclasses.replace(y, site=site), 2, tariff=Tariff.from_urdb(_ENERGY))
    assert e.degradation_frac_per_year == 0.005 and "Jordan & Kurtz" in e.source
    assert (e.vintage, e.status) == ("2013", "primary")


def test_a_table_too_short_or_malformed_is_a_clear_error():
    with pytest.raises(InputError, match=r"electricity: the bills cover 2 PV ages; a 3-year horizon with the PV "
                                         r"in service from month 0 needs 3"):
        run_tco(bare(horizon=3), ElectricityByPvAge(TAB[:2], 0.01))
    # one row is one age, not "the same at every age": an error too, not a bill that never ages
    with pytest.raises(InputError, match=r"electricity: the bills cover 1 PV age; a 3-year horizon .* needs 3"):
        run_tco(bare(horizon=3), ElectricityByPvAge(TAB[:1], 0.01))
    for bad in ("123", None, True, ["a"] * 12):
        with pytest.raises(InputError, match="electricity: need a Bill, an annual total"):
            run_tco(bare(horizon=3), bad)
    with pytest.raises(InputError, match="electricity.monthly_usd: need numbers"):
        ElectricityByPvAge([["x"] * 12], 0.01)
    for d in (False, -0.01, 0.06, float("nan"), "0.005"):
        with pytest.raises(InputError, match=r"electricity.degradation_frac_per_year: must be a fraction per "
                                             r"year in \[0, 0.05\] \(0.005 for 0.5 %/yr\)"):
            ElectricityByPvAge(TAB, d)
    assert ElectricityByPvAge(TAB, np.int64(0)).degradation_frac_per_year == 0.0
    with pytest.raises(InputError, match=r"electricity.monthly_usd: need one row of 12 monthly bills per PV age, "
                                         r"got shape \(12,\)"):
        ElectricityByPvAge(MONTHLY, 0.01)
    with pytest.raises(InputError, match="electricity.monthly_usd: electricity cost must be finite"):
        ElectricityByPvAge(np.where(TAB > 150_000, np.nan, TAB), 0.01)
