"""The on-site PV's value split by charge, its range and its break-even cost (dcplan.solar_value).

A solar developer found the PV's saving published as one figure: at Phoenix (APS E-32 TOU L, 5 MWdc
tracker) 655,185 USD a year, of which 71,317 USD demand charges, and "PV's net value a year" +41,687
USD, a PV that "pays for itself". The demand part comes from hourly-mean PV; a demand charge is set by
the month's highest 15/30-min interval, where one cloud puts the peak back: it is an upper bound, and
without it the net value is about -29,600 USD. The saving is now split (energy, demand, fixed and
other), the net value is given with and without the demand part, the break-even installed cost
beside the price used, and the texts say which way the sign goes.

Hand figures: a flat tariff of 0.10 USD/kWh + 15 USD/kW-month + 25 USD/month (round numbers for a
test) on the bundled Phoenix site without a battery: the energy saving is 0.10 x the PV energy used on
site, the demand saving 15 x the sum over the months of (the facility's peak less the grid draw's
peak), the fixed charge is paid either way. The break-even cost solves saving - (c x kW + O&M_1 x
L_om) / L_save = 0 for c, with L_save, L_om by the closed forms of test_solar_value.hand_factors.
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan import pipeline, power
from dcplan.solar_value import (DEMAND_UPPER_BOUND, pv_annual_cost, pv_breakeven_usd_per_kw_dc, pv_price_text,
                                pv_saving_parts, pv_value, pv_value_text, pv_verdict_clause)

from test_solar_value import _phoenix, hand_factors, hand_pv_cost

RATE, DEMAND, FIXED = 0.10, 15.0, 25.0      # USD/kWh, USD/kW-month, USD/month: round numbers for a test
TARIFF = {"flat_usd_per_kwh": RATE, "demand_usd_per_kw": DEMAND, "fixed_usd_per_month": FIXED,
          "source": "round numbers for a test"}


def _monthly_peaks_kw(kw):
    """Each calendar month's highest hourly mean, months by the interval's start (label - 1 h). [kW]"""
    start = kw.index - pd.Timedelta(hours=1)
    return kw.groupby([start.year, start.month]).max()


def test_saving_split_by_charge_by_hand(tmp_path):
    y = pipeline.run_site_year(_phoenix(tmp_path, tariff=TARIFF, name="phx-split"))
    parts = pv_saving_parts(pipeline.bill_without_pv(y), y.bill)
    used_kwh = float(power.energy_from_power(y.facility_kw).sum() - power.energy_from_power(
        y.grid_kw.clip(lower=0.0)).sum())
    assert parts["energy_usd"] == pytest.approx(RATE * used_kwh, rel=1e-9)
    peak_cut_kw = float((_monthly_peaks_kw(y.facility_kw) - _monthly_peaks_kw(y.grid_kw.clip(lower=0.0))).sum())
    assert peak_cut_kw > 0
    assert parts["demand_usd"] == pytest.approx(DEMAND * peak_cut_kw, rel=1e-9)
    assert parts["other_usd"] == 0.0                      # the customer charge is paid with or without PV
    assert parts["total_usd"] == pytest.approx(parts["energy_usd"] + parts["demand_usd"] + parts["other_usd"],
                                               rel=1e-12)
    assert parts["total_usd"] == pytest.approx(float(pipeline.bill_without_pv(y).total_usd) - float(y.bill.total_usd),
                                               rel=1e-12)


def test_net_value_range_and_break_even_cost_by_hand(tmp_path):
    site = _phoenix(tmp_path, tariff=TARIFF, name="phx-value")
    y = pipeline.run_site_year(site)
    pvc = pv_annual_cost(site)
    v = pv_value(pv_saving_parts(pipeline.bill_without_pv(y), y.bill), pvc)
    cost = hand_pv_cost(5000)
    assert v["net_value_usd"] == pytest.approx(v["saving_usd"] - cost, rel=1e-9)
    assert v["net_value_without_demand_usd"] == pytest.approx(v["saving_usd"] - v["demand_usd"] - cost, rel=1e-9)
    l_save, l_om = hand_factors()
    # c = (saving x L_save - O&M_1 x L_om) / kW, O&M_1 = 18 USD/kWdc-yr x 5,000 kWdc
    assert v["breakeven_usd_per_kw_dc"] == pytest.approx((v["saving_usd"] * l_save - 90_000 * l_om) / 5000, rel=1e-9)
    assert v["breakeven_without_demand_usd_per_kw_dc"] == pytest.approx(
        ((v["saving_usd"] - v["demand_usd"]) * l_save - 90_000 * l_om) / 5000, rel=1e-9)
    assert v["capex_usd_per_kw_dc"] == 1500.0
    # at the break-even price the PV's cost a year is its saving: net value 0
    at = _phoenix(tmp_path, tariff=TARIFF, costs={"pv_usd_per_kw_dc": v["breakeven_usd_per_kw_dc"]}, name="phx-be")
    assert pv_annual_cost(at)["annual_cost_usd"] == pytest.approx(v["saving_usd"], rel=1e-9)


def test_break_even_of_the_testers_phoenix_figures():
    """The tester's Phoenix saving, 655,185 USD a year (71,317 demand): (655,185 x 14.3362 - 90,000 x
    14.3918) / 5,000 = 1,619.5 USD/kWdc; without the demand part (583,868 x 14.3362 - 1,295,263) / 5,000 =
    1,415.0 USD/kWdc, both against the 1,500 used."""
    l_save, l_om = hand_factors()
    pvc = {"dc_kw": 5000.0, "om_usd": 90_000.0, "saving_factor": l_save, "om_factor": l_om}
    assert pv_breakeven_usd_per_kw_dc(655_185.0, pvc) == pytest.approx(1619.5, abs=0.1)
    assert pv_breakeven_usd_per_kw_dc(655_185.0 - 71_317.0, pvc) == pytest.approx(1415.0, abs=0.1)
    with pytest.raises(Exception, match=r"needs a PV array \(dc_kw > 0\), got 0.0"):
        pv_breakeven_usd_per_kw_dc(1.0, dict(pvc, dc_kw=0.0))


def _value(tmp_path, total, demand, **site):
    pvc = pv_annual_cost(_phoenix(tmp_path, **site))
    parts = {"total_usd": total, "energy_usd": total - demand, "demand_usd": demand, "other_usd": 0.0}
    return pv_value(parts, pvc), pvc


def test_text_when_the_sign_rests_on_the_demand_part(tmp_path):
    """The tester's Phoenix: +41,687 with the demand part, -29,631 without (cost 613,498 by hand)."""
    v, pvc = _value(tmp_path, 655_185.0, 71_317.0)
    assert (v["net_value_usd"], v["net_value_without_demand_usd"]) == pytest.approx((41_687, -29_630), abs=2)
    text = pv_value_text(v, pvc, 10)
    assert text.startswith(
        "The PV's net value is +41,687 USD a year (year-1 bill saving 655,185 USD less its cost a year 613,498 USD; "
        "over its 30-year life at the 8 % discount rate, before tax and without any tax credit or incentive): it pays "
        "for itself only with its demand-charge saving, which is an upper bound: it comes from hourly-mean PV, while "
        "a demand charge is set by the month's highest 15- or 30-minute interval, and a cloud over the array in that "
        "interval puts the peak back. Of the saving, 71,317 USD (11 %) is demand charges; without them the net value "
        "is -29,630 USD a year (no firm PV capacity counted): the PV's value lies between -29,630 and +41,687 USD a "
        "year."), text
    # the margin: 41,687 / 655,185 = 6.4 % of the saving; the break-even cost against the price used
    assert "A saving 6.4 % lower (less sun, lower rates) would bring the net value to 0." in text
    assert ("It breaks even at an installed cost of 1,620 USD/kWdc (1,415 without the demand-charge saving), against "
            "1,500 USD/kWdc (data/costs.csv pv_usd_per_kw_dc, derived for a ground-mounted single-axis tracked "
            "array of about 2 MWdc: a fixed-tilt array costs about 67 USD/kWdc less, one of tens of MWdc about 420 "
            "less; give the site's own price in finance.costs.pv_usd_per_kw_dc).") in text
    assert text.endswith("The tco notebook values the PV on another basis (its 10-year horizon, after tax, the PV "
                         "sold at its remaining straight-line value at the horizon), so the change the PV makes to "
                         "its NPV can have the opposite sign.")
    assert pv_verdict_clause(v) == (
        "its on-site PV pays for itself (net value +41,687 USD a year over its life, before tax) only with its "
        f"demand-charge saving of 71,317 USD a year, {DEMAND_UPPER_BOUND} (without it -29,630 USD a year)")


@pytest.mark.parametrize("total, demand, says", [
    (700_000.0, 10_000.0, "it pays for itself on these numbers, even without its demand-charge saving."),
    (600_000.0, 71_317.0, "it does not pay for itself on these numbers. Of the saving, 71,317 USD (12 %) is demand "
                          f"charges, {DEMAND_UPPER_BOUND}; without them"),
    (700_000.0, 0.0, "it pays for itself on these numbers. A saving"),
])
def test_text_when_the_sign_does_not_rest_on_the_demand_part(tmp_path, total, demand, says):
    v, pvc = _value(tmp_path, total, demand)
    text = pv_value_text(v, pvc, 10)
    assert says in text, text
    assert ("demand" in text) == (demand > 0)
    if v["net_value_usd"] < 0:  # the verdict says a PV that does not pay even with its demand part
        assert pv_verdict_clause(v) == (
            f"its on-site PV does not pay for itself on these numbers (net value {v['net_value_usd']:+,.0f} USD a "
            f"year over its life, before tax, with its demand-charge saving of 71,317 USD a year, itself an upper "
            f"bound)")
    else:
        assert pv_verdict_clause(v) is None


def test_a_site_price_is_named_as_the_sites(tmp_path):
    pvc = pv_annual_cost(_phoenix(tmp_path, costs={"pv_usd_per_kw_dc": 1850.0}, name="phx-own"))
    assert pv_price_text(pvc) == "1,850 USD/kWdc (the site's own price, finance.costs.pv_usd_per_kw_dc)"
