"""dcplan.site_slips: site figures that load but read as another unit, as ``dcplan validate``
warns them (the file stays ok), and the finance.costs key messages of dcplan.specs.finance.

A black-box tester's site files (Miami and Phoenix variants) validated "ok" with
``facility_usd_per_mw: 11700`` ($/kW typed per MW: capex 67.7 M USD lower), a contract demand of
50,000 kW on a 12 MW request (bill 4.64 -> 11.28 M USD), a time to power in years, grid carbon in
t/MWh and PV in MW. Hand figures from data/costs.csv, data/interconnection.csv and
data/sites/phoenix-az.yaml (384 hgx-b200: design IT 5,786.4 kW, tests/test_site_plausibility.py).
"""
from __future__ import annotations

import re
import warnings

import pytest
from pydantic import ValidationError

from conftest import bundled_site_copy

from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio, load_site
from dcplan.site_plausibility import site_warnings
from dcplan.site_slips import COST_OUTSIDE_RANGE_FACTOR, slip_warnings
from dcplan.specs.finance import FinanceSpec
from dcplan.validate import validate_file


def _warns_and_ok(f, text: str) -> None:
    """``dcplan validate`` on ``f`` warns ``text`` (a prefix, exactly) and reports no problem."""
    with pytest.warns(DcplanWarning, match=re.escape(text)):
        assert validate_file(f) == []


def _finance(tmp_path, site_id: str, costs: dict):
    return bundled_site_copy(tmp_path, "phoenix-az", site_id, finance={"costs": costs})


# ------------------------------------------------------------------ 1. finance.costs far outside its range

def test_a_facility_cost_per_kw_typed_per_mw_is_warned_as_that_slip(tmp_path):
    """data/costs.csv facility_usd_per_mw: 9,300,000-15,000,000 USD/MW. 11,700 is below low / 20
    (465,000); x 1,000 = 11,700,000 is inside the range: a figure per kW."""
    f = _finance(tmp_path, "fac", {"facility_usd_per_mw": 11700})
    assert COST_OUTSIDE_RANGE_FACTOR == 20.0
    _warns_and_ok(f, f"{f}: finance.costs.facility_usd_per_mw: 11,700 USD/MW is far below data/costs.csv's range "
                     "for it, 9,300,000-15,000,000 USD/MW (below low / 20); x 1,000 it is 11,700,000 USD/MW, in the "
                     "range: a figure per kW typed as per MW? The TCO takes the override as given (capex, opex, "
                     "NPV); give it in USD/MW, or keep it if it really is so")


@pytest.mark.parametrize("costs, text", [
    # data/costs.csv pv_usd_per_kw_dc 1,000-2,200 USD/kWdc: 1.5 ($/W) x 1,000 = 1,500
    ({"pv_usd_per_kw_dc": 1.5}, "finance.costs.pv_usd_per_kw_dc: 1.5 USD/kWdc is far below data/costs.csv's range "
                                "for it, 1,000-2,200 USD/kWdc (below low / 20); x 1,000 it is 1,500 USD/kWdc, in "
                                "the range: a figure per W typed as per kW?"),
    # interconnection_usd_per_mw 400,000-2,000,000 USD/MW: 890 x 1,000 = 890,000
    ({"interconnection_usd_per_mw": 890},
     "finance.costs.interconnection_usd_per_mw: 890 USD/MW is far below data/costs.csv's range for it, "
     "400,000-2,000,000 USD/MW (below low / 20); x 1,000 it is 890,000 USD/MW, in the range: a figure per kW typed "
     "as per MW?"),
    # 11.7 (M USD/MW, or USD/W) x 1,000,000 = 11,700,000
    ({"facility_usd_per_mw": 11.7}, "x 1,000,000 it is 11,700,000 USD/MW, in the range: a figure per W typed as "
                                    "per MW?"),
    # battery_usd_per_kwh 250-600 USD/kWh: 400,000 (per MWh) / 1,000 = 400
    ({"battery_usd_per_kwh": 400000}, "finance.costs.battery_usd_per_kwh: 400,000 USD/kWh is far above "
                                      "data/costs.csv's range for it, 250-600 USD/kWh (above high x 20); / 1,000 it "
                                      "is 400 USD/kWh, in the range: a figure per MWh typed as per kWh?"),
    # server_usd_per_accelerator 24,875-39,625: 33.75 (thousands) x 1,000 = 33,750; no power unit to name
    ({"server_usd_per_accelerator": 33.75}, "x 1,000 it is 33,750 USD/accelerator, in the range: a figure in "
                                            "thousands?"),
])
def test_other_cost_slips_name_their_unit(tmp_path, costs, text):
    f = _finance(tmp_path, "slip", costs)
    _warns_and_ok(f, text)


def test_a_cost_far_outside_its_range_without_a_slip_still_warns(tmp_path):
    # 100 USD/MW: x 1,000 = 100,000 and x 1,000,000 = 1e8 are both outside 9.3-15 M (widened 2 x)
    s = load_site(_finance(tmp_path, "odd", {"facility_usd_per_mw": 100}))
    (w,) = slip_warnings(s)
    assert "100 USD/MW is far below data/costs.csv's range for it" in w and "in the range" not in w
    assert w.endswith("(below low / 20) The TCO takes the override as given (capex, opex, NPV); give it in USD/MW, "
                      "or keep it if it really is so")


@pytest.mark.parametrize("costs", [
    {"facility_usd_per_mw": 0},             # 0: a cost that does not apply (never warned)
    {"facility_usd_per_mw": 465_000},       # exactly low / 20 = 9,300,000 / 20: not below it
    {"facility_usd_per_mw": 300_000_000},   # exactly high x 20 = 15,000,000 x 20: not above it
    {"pv_om_usd_per_kw_dc_year": 0.001},    # low 0: a range holding 0 says nothing of the unit
    {"maintenance_it_frac": 0.0001},        # a fraction: the spec checks those
    {"facility_usd_per_mw": 2_000_000},     # a real figure below the range, within 20 x: the planner's call
])
def test_costs_within_the_factor_of_their_range_or_without_a_positive_range_are_not_warned(tmp_path, costs):
    assert slip_warnings(load_site(_finance(tmp_path, "fine", costs))) == []


def test_a_percent_typed_under_costs_gets_the_same_hint_as_the_finance_field():
    """finance.tax_rate_frac: 21 said "for 21 % write 0.21"; costs: {tax_rate_frac: 21} did not."""
    with pytest.raises(ValidationError, match=re.escape(
            "tax_rate_frac: must be a fraction in [0, 1), got 21.0 (a fraction: 0.10 for 10 %; for 21 % write 0.21)")):
        FinanceSpec(costs={"tax_rate_frac": 21})
    # a range that already says the convention gets only the figure meant
    with pytest.raises(ValidationError, match=re.escape(
            "maintenance_it_frac: must be a share per year in [0, 1] as a fraction (0.10 for 10 %), got 3.0 "
            "(for 3 % write 0.03)")):
        FinanceSpec(costs={"maintenance_it_frac": 3})


def test_an_electricity_price_under_costs_points_at_the_tariff_and_lists_the_keys():
    """electricity_usd_per_kwh was told "did you mean 'facility_usd_per_mw'?"; the price is the tariff's."""
    from dcplan.specs.finance import site_cost_keys  # data/costs.csv's keys a site may set (not delay_months)
    with pytest.raises(ValidationError) as ei:
        FinanceSpec(costs={"electricity_usd_per_kwh": 0.07})
    msg = str(ei.value)
    assert ("electricity_usd_per_kwh: unknown cost input 'electricity_usd_per_kwh' (the electricity price is not a "
            "cost input: it comes from the site's tariff: section, a URDB file or flat_usd_per_kwh; its uncertainty "
            "is electricity_cost_mult, its rise per year electricity_escalation_frac); allowed: the keys of "
            f"data/costs.csv, {', '.join(site_cost_keys())}") in msg
    assert "did you mean" not in msg
    # a near miss of a key is still that key, price word or not
    for typo, key in (("electricity_escalation", "electricity_escalation_frac"),
                      ("electricity_cost", "electricity_cost_mult")):
        with pytest.raises(ValidationError, match=re.escape(f"(did you mean {key!r}?); allowed: the keys of")):
            FinanceSpec(costs={typo: 0.02})


# ------------------------------------------------------------------ 2. contract demand against the request

def test_a_contract_demand_far_above_the_request_is_warned(tmp_path):
    """Phoenix requests 10 MW (10,000 kW); 50,000 kW is 5 x it, above 1.5 x."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "contract-big", tariff={"contract_demand_kw": 50000})
    _warns_and_ok(f, f"{f}: tariff.contract_demand_kw: 50,000 kW is 5 x interconnection.requested_mw, 10 MW (10,000 "
                     "kW): more than 1.5 x the capacity the site requested, so every month is billed on at least "
                     "50,000 kW of demand, more than the connection can deliver.")


def test_a_contract_demand_in_mw_typed_as_kw_is_warned(tmp_path):
    """8 kW is 0.08 % of 10,000 kW, below 1 %: 8 MW meant."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "contract-mw", tariff={"contract_demand_kw": 8})
    _warns_and_ok(f, f"{f}: tariff.contract_demand_kw: 8 kW is 0.08 % of interconnection.requested_mw, 10 MW (10,000 "
                     "kW): below 1 %, a billing floor that never binds. A figure in MW typed as kW (8 MW = 8,000 kW)? "
                     "contract_demand_kw is in kW; keep it if the contract really is so")


@pytest.mark.parametrize("kw", [0, 100, 8000, 15000])  # 0: no floor; 1 % and 1.5 x of 10,000 kW are allowed
def test_a_contract_demand_near_the_request_is_not_warned(tmp_path, kw):
    f = bundled_site_copy(tmp_path, "phoenix-az", "contract-ok", tariff={"contract_demand_kw": kw})
    assert slip_warnings(load_site(f)) == []


# ------------------------------------------------------------------ 4. time to power, carbon, PV, leap year

def _own_wait(tmp_path, p10, median, p90):
    return bundled_site_copy(tmp_path, "phoenix-az", "wait", interconnection={
        "region": None, "time_to_power": {"p10_months": p10, "median_months": median, "p90_months": p90,
                                          "source": "test"}})


def test_a_time_to_power_in_years_is_warned(tmp_path):
    """1.5 / 2.5 / 4 (years meant): data/interconnection.csv's shortest median is 24 months (az-aps,
    p10 18); a median under 6 months is warned."""
    f = _own_wait(tmp_path, 1.5, 2.5, 4)
    _warns_and_ok(f, f"{f}: interconnection.time_to_power.median_months: 2.5 months (p10 1.5, median 2.5, p90 4 "
                     "months) is below 6 months; the figures are months, and data/interconnection.csv's shortest "
                     "median is 24 months (p10 18). Figures in years (2.5 years = 30 months)? Give months")
    assert slip_warnings(load_site(_own_wait(tmp_path, 4, 6, 12))) == []  # 6 months: not below


def test_grid_carbon_in_tonnes_is_warned(tmp_path):
    f = bundled_site_copy(tmp_path, "phoenix-az", "carbon")
    f.write_text(f.read_text().replace("grid_carbon_kg_per_mwh: 352.0", "grid_carbon_kg_per_mwh: 0.352"))
    _warns_and_ok(f, f"{f}: grid_carbon_kg_per_mwh: 0.352 kg/MWh is below 5 kg/MWh, while grids average tens to "
                     "hundreds of kg/MWh. A figure in t/MWh or kg/kWh typed as kg/MWh (0.352 t/MWh = 352 kg/MWh)?")
    for v in ("5.0",):  # the threshold itself (0, carbon-free, is market-based: warned, test_carbon_water)
        f.write_text(re.sub(r"grid_carbon_kg_per_mwh: \S+", f"grid_carbon_kg_per_mwh: {v}", f.read_text()))
        assert slip_warnings(load_site(f)) == []


def test_pv_in_mw_typed_as_kw_is_warned_on_a_large_fleet(tmp_path):
    """3 kW of PV beside Phoenix's 5,786 kW design IT (above 1,000 kW): 3 MW meant."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "pv-mw", solar={"dc_kw": 3})
    _warns_and_ok(f, f"{f}: solar.dc_kw: 3 kW of PV beside a fleet of 5,786 kW design IT power is below 10 kW, a few "
                     "panels' worth. A figure in MW typed as kW (3 MW = 3,000 kW)?")
    assert slip_warnings(load_site(bundled_site_copy(tmp_path, "phoenix-az", "pv-10", solar={"dc_kw": 10}))) == []
    # a small fleet (4 servers, 57.2 kW design IT) may well have a small array
    small = bundled_site_copy(tmp_path, "phoenix-az", "small", solar={"dc_kw": 3}, interconnection={
        "requested_mw": 0.1, "phases": [{"energized": "2026-09-01", "mw": 0.1}]})
    small.write_text(small.read_text().replace("count: 384", "count: 4"))
    assert slip_warnings(load_site(small)) == []


def test_pv_far_above_the_load_is_warned(tmp_path):
    """Phoenix's design IT is 5,786.4 kW (384 HGX B200): 3 x is 17,359 kW DC. 20,000 kWdc is 3.46 x
    (warned: its midday output far exceeds the load and no export is credited); 17,000 is 2.94 x."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "pv-big", solar={"dc_kw": 20000})
    _warns_and_ok(f, f"{f}: solar.dc_kw: 20,000 kW of PV is 3.46 x the fleet's 5,786 kW IT nameplate power (more than "
                     "3 x): its midday output far exceeds the load")
    assert slip_warnings(load_site(bundled_site_copy(tmp_path, "phoenix-az", "pv-17", solar={"dc_kw": 17000}))) == []


def test_a_leap_weather_year_is_said_once_by_validate(tmp_path):
    """weather.year 2024: load_weather fills 29 Feb with 28 Feb and warns (in a run); validate,
    which does not build the frame, said nothing. Now it says so, once."""
    f = bundled_site_copy(tmp_path, "phoenix-az", "leap", weather={"year": 2024})
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(f) == []
    texts = [str(w.message) for w in rec if "leap year" in str(w.message)]
    assert texts == [f"{f}: weather.year: 2024 is a leap year; the typical-year file "
                     "USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw has no 29 Feb (8,760 hours), so every run "
                     "fills 29 Feb with a copy of 28 Feb (8,784 hours). Keep it to model that calendar year; a "
                     "non-leap year (e.g. 2025) runs the typical year as recorded"]
    # 2100 is no leap year (Gregorian: a century not divisible by 400)
    f2 = bundled_site_copy(tmp_path, "phoenix-az", "y2100", weather={"year": 2100})
    assert slip_warnings(load_site(f2)) == []


# ------------------------------------------------------------------ the bundled sites

def test_the_bundled_sites_have_no_slip_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        for s in load_portfolio():
            assert slip_warnings(s) == [] and site_warnings(s) == []
