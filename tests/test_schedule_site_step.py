"""The off-peak week's site reference at the schedules' 15-min step, and the week's saving vs greedy against it.

An audit of the off-peak report found two gaps in the week (chicago-il, defaults): the saving vs the cheapest-hours
greedy baseline (28,043 USD) did not say that greedy, blind to demand charges, bills July at 7,023 kW against the
site's own 5,715 kW, so most of it cuts greedy's own burst; and ``week_demand_saving_above_site_usd`` set run-ASAP's
15-min billed demand against the site's *hourly* one (the site chain is hourly), whose 1-h peak understates the
site's own 15-min peak, so the part "above the site" read high. ``dcplan.schedule_site.site_pv_kw_on`` gives the
site's load at 15 min (the fleet model's IT is resolution-consistent, dcplan.workload), and the week bills it.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule_labels as sl, schedule_site
from dcplan.schedule_demand import highest_kw_text, saving_above_reference, saving_above_site
from dcplan.tariff import Tariff

HOURS = pd.date_range("2025-07-01 01:00", periods=2, freq="h", tz="UTC")
Q = pd.date_range("2025-07-01 00:15", periods=8, freq="15min", tz="UTC")
#: the fleet model's IT at 15 min: hour 1 means 1,000 kW (800, 1,200, 1,000, 1,000), hour 2 is flat at 500 kW
IT_15_KW = [800.0, 1200.0, 1000.0, 1000.0, 500.0, 500.0, 500.0, 500.0]


@pytest.fixture
def site_year(monkeypatch):
    """A two-hour site chain: facility 1,300 then 650 kW (PUE 1.3 on the hourly IT), PV 100 then 0 kW; its fleet
    model's IT at 15 min is IT_15_KW (the IT model stands in for dcplan.power.site_it_kw)."""
    calls = []

    def it_kw(site, index, seed=0, deployed="dated"):
        calls.append((site, seed, deployed))
        if len(index) == len(HOURS):
            return pd.Series([1000.0, 500.0], index=index)
        assert index.equals(Q)
        return pd.Series(IT_15_KW, index=index)

    monkeypatch.setattr(schedule_site.power, "site_it_kw", it_kw)
    y = SimpleNamespace(site="the-site", facility_kw=pd.Series([1300.0, 650.0], index=HOURS),
                        pv_kw=pd.Series([100.0, 0.0], index=HOURS))
    y.calls = calls
    return y


def test_site_load_at_15_min_keeps_each_hours_facility_and_the_it_shape_within_it(site_year):
    kw = schedule_site.site_pv_kw_on(site_year, Q)
    # by hand: hour 1 1,300 x (0.8, 1.2, 1, 1) - 100 = 940, 1,460, 1,200, 1,200; hour 2 650 x 1 - 0 (abs: exact
    # products of small floats)
    assert kw.to_numpy() == pytest.approx([940.0, 1460.0, 1200.0, 1200.0, 650.0, 650.0, 650.0, 650.0], abs=1e-9)
    assert kw.index.equals(Q) and kw.name == "site_pv_kw"
    # the site's own fleet (every phase built, as run_site_year), seed 0 by default
    assert site_year.calls == [("the-site", 0, "all")]
    # on the hourly index: the site chain's own load after PV
    assert schedule_site.site_pv_kw_on(site_year, HOURS).to_numpy() == pytest.approx([1200.0, 650.0], abs=1e-9)


def test_site_load_refuses_a_step_coarser_than_the_site_chains(site_year):
    two_h = pd.date_range("2025-07-01 02:00", periods=2, freq="2h", tz="UTC")
    with pytest.raises(ValueError, match="step 120 min does not divide the site chain.s 60 min step"):
        schedule_site.site_pv_kw_on(site_year, two_h)


def test_week_part_above_the_site_is_against_the_sites_15_min_billed_demand(site_year):
    # one demand charge, 10 $/kW-month, and 0.1 $/kWh; run-ASAP bursts to 1,800 kW in one quarter hour, the optimized
    # schedule peaks at 1,000 kW. The site's billed demand at 15 min is 1,460 kW (above), its hourly 1,200 kW.
    # By hand: demand saving (1,800 - 1,000) x 10 = 8,000 USD; above the site (1,800 - max(1,460, 1,000)) x 10
    # = 3,400 USD (the old hourly reference gave (1,800 - 1,200) x 10 = 6,000 USD: an upper bound)
    t = Tariff.flat(0.1).with_demand_charge(10.0)
    bills = {"asap": t.bill(pd.Series([1800.0] + [700.0] * 7, index=Q), stamps="end"),
             "optimized": t.bill(pd.Series([1000.0] * 8, index=Q), stamps="end")}
    first, last = Q[0] - pd.Timedelta("15min"), Q[-1]
    usd, long, _ = saving_above_site(bills, schedule_site.site_pv_kw_on(site_year, Q), t, first, last, 8000.0, True)
    assert usd == pytest.approx(3400.0, abs=1e-6)
    assert "run-ASAP 1,800 kW, the site 1,460 kW, optimized 1,000 kW" in long
    hourly = (site_year.facility_kw - site_year.pv_kw).clip(lower=0.0)
    assert saving_above_site(bills, hourly, t, first, last, 8000.0, True)[0] == pytest.approx(6000.0, abs=1e-6)


def test_week_greedy_label_says_greedy_against_the_site_and_its_billed_demands(site_year):
    # greedy piles its work into one quarter hour (2,000 kW) of the cheapest hour, the optimized schedule peaks at
    # 1,000 kW, the site's 15-min load as above. By hand: demand saving (2,000 - 1,000) x 10 = 10,000 USD; above the
    # site (2,000 - 1,460) x 10 = 5,400 USD (54 %: "largely"); greedy's bill: energy (2,000 + 7 x 600) x 0.25 h x
    # 0.1 $/kWh = 155 USD + 20,000 USD demand = 20,155 USD; the site's: (940 + 1,460 + 1,200 + 1,200 + 4 x 650)
    # x 0.25 x 0.1 = 185 USD + 14,600 USD = 14,785 USD; greedy 5,370 USD above it
    t = Tariff.flat(0.1).with_demand_charge(10.0)
    greedy = t.bill(pd.Series([2000.0] + [600.0] * 7, index=Q), stamps="end")
    opt = t.bill(pd.Series([1000.0] * 8, index=Q), stamps="end")
    site = t.bill(schedule_site.site_pv_kw_on(site_year, Q), stamps="end")
    assert (greedy.total_usd, site.total_usd) == pytest.approx((20155.0, 14785.0), abs=1e-6)
    table = saving_above_reference(greedy, opt, site)
    above = float(table["above_ref_usd"].sum())
    assert above == pytest.approx(5400.0, abs=1e-6)
    kws = highest_kw_text(table, {"all_hours": "the all-hours demand charge"}, base_name="greedy")
    text = sl.greedy_burst_text(above, greedy.demand_usd - opt.demand_usd, greedy.total_usd - site.total_usd,
                                key="week_demand_saving_vs_greedy_above_site_usd", span="the same hours",
                                step=", at 15 min", kws=kws)
    assert text == ("; greedy's bill is 5,370 USD above the site's own modelled bill over the same hours (after PV, no "
                    "battery, at 15 min); its demand-charge part is largely (54 %) a cut of greedy's own burst above "
                    "the site's modelled billed demand: of its 10,000 USD demand-charge part, 5,400 USD only cuts "
                    "greedy's peaks above the site's billed demand (the all-hours demand charge, highest month (Jul): "
                    "greedy 2,000 kW, the site 1,460 kW, optimized 1,000 kW; "
                    "week_demand_saving_vs_greedy_above_site_usd)")
    # the rolling year's wording is unchanged by the new arguments' defaults
    assert sl.greedy_burst_text(above, 10000.0, np.nan).endswith("(rolling_demand_saving_vs_greedy_above_site_usd)")
