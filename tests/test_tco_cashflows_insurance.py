"""dcplan.tco_cashflows: insurance and property tax bases, and the labels of the hours of a month.

* The on-site PV's insurance is in its O&M figure (``pv_om_usd_per_kw_dc_year`` 18 USD/kWdc-yr, NREL ATB 2020
  commercial PV: "asset management, insurance products, security, cleaning, vegetation, component failure";
  data/costs.csv and data/SOURCES.md), so ``insurance_frac`` is not charged on the PV capex as well; its
  property tax is.
* Insurance and property tax on IT are on its original cost, the price its installed tranche was bought for
  (year-1 prices when ``it_price_change_frac`` is 0; tests/test_tco_it_life.py), inflated (conservative), and
  the About sheet says so.
* The TCO's year has 365 days: the About sheet says leap days are not modelled.

Cases are the "bare" case of ``tests/test_tco.py`` (every costs.csv input 0 except those switched on);
every expected figure is a hand calculation in the comments.
"""
from __future__ import annotations

import pytest

from dcplan.tco import TcoInputs, run_tco

from test_tco import bare_costs  # every costs.csv input at zero; some switched on


def _case(pv_kw_dc=0.0, **on) -> TcoInputs:
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, horizon_years=2, pv_kw_dc=pv_kw_dc,
                     costs=bare_costs(**on))


def test_pv_capex_not_insured_twice():
    # 1,000 kWdc x 1,000 USD/kWdc = 1,000,000 USD of PV + 1 MW x 2,000,000 USD/MW of facility, placed in service
    # at month 0 (build 0), insurance 1 %/yr, property tax 1 %/yr, inflation 2.5 %/yr:
    # insurance on the facility only: 0.01 x 2e6 = 20,000 USD in year 1, x 1.025 = 20,500 in year 2
    # (before the fix 0.01 x 3e6 = 30,000: the PV's insurance, already in its O&M, charged again);
    # property tax on both: 0.01 x 3e6 = 30,000, then 30,750
    r = run_tco(_case(1000.0, pv_usd_per_kw_dc=1000.0, facility_usd_per_mw=2e6, insurance_frac=0.01,
                      property_tax_frac=0.01, inflation_frac=0.025), 0.0)
    assert r.annual.loc["opex_insurance_usd"].tolist() == pytest.approx([20_000.0, 20_500.0], rel=1e-12)
    assert r.annual.loc["opex_property_tax_usd"].tolist() == pytest.approx([30_000.0, 30_750.0], rel=1e-12)
    # the PV's O&M (which includes its insurance): 18 USD/kWdc-yr x 1,000 kWdc = 18,000 USD, x 1.025 in year 2
    r2 = run_tco(_case(1000.0, pv_usd_per_kw_dc=1000.0, pv_om_usd_per_kw_dc_year=18.0, insurance_frac=0.01,
                       inflation_frac=0.025), 0.0)
    assert r2.annual.loc["opex_maintenance_pv_usd"].tolist() == pytest.approx([18_000.0, 18_450.0], rel=1e-12)
    assert r2.annual.loc["opex_insurance_usd"].tolist() == [0.0, 0.0]   # PV alone: no insurance_frac charge


def test_it_insured_and_taxed_on_original_cost():
    # 10 x 100,000 USD = 1e6 USD of IT bought at month 0, refresh 3 yr > 2-yr horizon; insurance 0.5 %/yr and
    # property tax 1 %/yr of the original cost in both years (no depreciation of the taxed value), no inflation
    r = run_tco(_case(server_usd_per_accelerator=100_000.0, insurance_frac=0.005, property_tax_frac=0.01), 0.0)
    assert r.annual.loc["opex_insurance_usd"].tolist() == pytest.approx([5_000.0, 5_000.0], rel=1e-12)
    assert r.annual.loc["opex_property_tax_usd"].tolist() == pytest.approx([10_000.0, 10_000.0], rel=1e-12)


def test_about_sheet_labels_original_cost_and_365_day_year():
    from dcplan.tco_export import workbook_frames
    about = workbook_frames(run_tco(_case(), 0.0))["About"].set_index("item")["text"]
    assert ("Insurance and property tax on IT (insurance_frac, property_tax_frac), as IT maintenance "
            "(maintenance_it_frac), are levied on its ORIGINAL COST, the price each installed tranche was bought for "
            "(its first purchase or latest refresh, (1 + it_price_change_frac)^(project year bought - 1) x the year-1 "
            "price), inflated each project year, from purchase to the horizon, never on a depreciated value: "
            "conservative, as personal-property tax is usually assessed on a depreciated value (each jurisdiction's "
            "own schedule). The on-site PV is not charged insurance_frac: its O&M (pv_om_usd_per_kw_dc_year, NREL "
            "ATB) includes its insurance; its property tax is charged.") in about["fixed_costs"]
    assert "(insurance_frac of their capex but the PV's, property_tax_frac of their capex;" in about["fixed_costs"]
    assert about["monthly"].endswith(
        "revenue, GPU-hours and tokens its calendar month's hours in a 365-day year (744 h in January, 672 h in "
        "February; leap days are not modelled: Feb 29 has no hours, revenue and bill).")
