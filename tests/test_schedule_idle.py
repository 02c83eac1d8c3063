"""Idle power of the off-peak schedule's flexible capacity (dcplan.schedule_idle), and the demand saving above
the site's own billed demand (dcplan.schedule_demand.saving_above_reference).

A physics cross-check of the bundled chicago-il site found the schedules' IT energy 34,343 MWh against the
fleet model's 38,484 MWh over the same 52 weeks (-10.8 %): 34,343 = 8,736 h x (2,808 + 0.4 x 2,808) kW, so
a flexible accelerator with no job drew 0 kW where data/hardware.csv has an hgx-h200 idling at 2.6 of
10.2 kW. Moving a job then took all of its power off the peak, and 97 % of the week's saving was demand
charges. And run-ASAP's July billed demand, 6,637 kW, was 13 % above the site's own modelled annual peak,
5,874 kW: part of the demand saving only undid the baseline's own burst, which no headline said.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.errors import InputError
from dcplan.schedule_demand import above_reference_note, saving_above_reference
from dcplan.schedule_idle import above_idle, fleet_idle_frac, idle_it_kw, it_gap_mwh
from dcplan.site import load_portfolio
from dcplan.tariff import Tariff

TZ = "America/Phoenix"  # no DST


def test_the_fleet_idle_share_is_the_hardware_idle_over_full_load_with_the_racks_gear():
    # data/hardware.csv: hgx-h200 2.6 kW idle, 10.2 kW full, 4 a rack; per rack 1.5 x ib-ndr-switch (1.1 / 1.7 kW),
    # 1 x eth-mgmt-switch (0.10 / 0.15 kW), 0.25 x storage-node (0.8 / 1.5 kW). A rack: 10.4 + 1.65 + 0.10 + 0.20
    # = 12.35 kW idle of 40.8 + 2.55 + 0.15 + 0.375 = 43.875 kW: 0.28148 (chicago-il: 512 servers, 128 racks)
    spec = load_portfolio()["chicago-il"]
    assert fleet_idle_frac(spec) == pytest.approx(12.35 / 43.875, rel=1e-12)
    # the same for a fleet that fills its last rack only in part: 5 servers are 2 racks of gear
    five = {"phases": [{"hardware": "hgx-h200", "count": 5, "start": "2026-01-01"}]}
    assert fleet_idle_frac(five) == pytest.approx((5 * 2.6 + 2 * 1.95) / (5 * 10.2 + 2 * 3.075), rel=1e-12)
    # two unit types (hgx-b200: 3.6 / 14.3 kW, same rack gear): summed, not averaged
    mix = {"phases": [{"hardware": "hgx-h200", "count": 4, "start": "2026-01-01"},
                      {"hardware": "hgx-b200", "count": 4, "start": "2027-01-01"}]}
    assert fleet_idle_frac(mix) == pytest.approx((12.35 + 16.35) / (43.875 + 60.275), rel=1e-12)
    # a unit cap binds at full load only: 8 kW per hgx-h200 server
    capped = {**five, "cap_kw_per_unit": 8.0}
    assert fleet_idle_frac(capped) == pytest.approx((5 * 2.6 + 2 * 1.95) / (5 * 8.0 + 2 * 3.075), rel=1e-12)
    # diversity scales the design power and the idle alike: no change
    assert fleet_idle_frac({**five, "diversity_frac": 0.8}) == pytest.approx(fleet_idle_frac(five), rel=1e-12)


def test_a_job_adds_only_its_power_above_idle_and_keeps_its_run_time():
    t0 = pd.Timestamp("2025-07-14 00:00", tz=TZ)
    jobs = [{"name": "a", "energy_kwh": 400.0, "power_kw": 100.0, "earliest_start": t0,
             "deadline": t0 + pd.Timedelta("8h"), "preemptible": False, "priority": 2}]
    j = above_idle(jobs, 0.25)
    assert j.loc["a", "power_kw"] == 75.0 and j.loc["a", "energy_kwh"] == 300.0  # 0.75 x 100 kW, 0.75 x 400 kWh
    assert j.loc["a", "energy_kwh"] / j.loc["a", "power_kw"] == 4.0  # 4 h, as at full power
    assert not j.loc["a", "preemptible"] and j.loc["a", "priority"] == 2
    assert idle_it_kw(2808.0, 12.35 / 43.875) == pytest.approx(790.4, rel=1e-12)  # chicago-il: 0.5 x 5,616 kW
    # generated jobs (with their accelerators column) go through: power is no longer accelerators x kW each
    g = S.generate_jobs(t0, 1, n_jobs=10, n_training=1, n_nonpreemptible=2, flex_kw=500.0, utilisation_frac=0.5)
    a = above_idle(g, 0.2)
    assert "accelerators" not in a.columns
    assert np.allclose(a["power_kw"], 0.8 * g["power_kw"]) and np.allclose(a["energy_kwh"], 0.8 * g["energy_kwh"])
    S.optimize(a, pd.date_range(t0 + pd.Timedelta("15min"), periods=96, freq="15min"), price_usd_per_kwh=0.1)
    for bad in (1.0, -0.1, float("nan"), "x"):
        with pytest.raises(InputError, match=r"idle_frac: must be a share in \[0, 1\), got"):
            above_idle(jobs, bad)


def test_idle_power_is_in_every_strategy_and_only_the_rest_of_a_job_leaves_the_peak():
    # by hand. Four hours; must-run 50 kW; flexible capacity 100 kW idling at 0.25 (25 kW); one preemptible job of
    # 100 kW for 2 h (200 kWh at full power) due in 4 h; PUE 1; flat 0.10 $/kWh and 10 $/kW-month demand.
    # Above idle the job is 75 kW for 2 h (150 kWh). Run-ASAP: 50 + 25 + 75 = 150 kW in hours 1-2, 75 kW after.
    # Optimized: spread over the 4 h, 150 / 4 = 37.5 kW: 112.5 kW every hour. Demand saving 10 x 37.5 = 375 USD
    # (without idle: job 100 kW spread to 50 kW, 10 x 50 = 500 USD, a third more). IT energy 450 kWh in both:
    # the fleet model at the same utilisation, flexible utilisation 200 / (100 x 4) = 0.5 on a linear curve,
    # draws 4 h x (50 + 25 + 0.5 x 75) = 450 kWh.
    idx = pd.date_range("2025-07-14 01:00", periods=4, freq="h", tz=TZ)
    t0 = idx[0] - pd.Timedelta("1h")
    full = [{"name": "j", "energy_kwh": 200.0, "power_kw": 100.0, "earliest_start": t0, "deadline": idx[-1]}]
    t = Tariff.flat(0.10).with_demand_charge(10.0)
    r = S.optimize(above_idle(full, 0.25), idx, tariff=t, base_it_kw=50.0 + idle_it_kw(100.0, 0.25), pue=1.0)
    assert r.costs.at["asap", "peak_site_kw"] == pytest.approx(150.0, abs=1e-6)
    assert r.costs.at["optimized", "peak_site_kw"] == pytest.approx(112.5, abs=1e-6)
    assert r.load["site_kw_asap"].tolist() == pytest.approx([150.0, 150.0, 75.0, 75.0], abs=1e-6)
    assert r.load["it_kw"].tolist() == pytest.approx([112.5] * 4, abs=1e-6)
    assert r.savings["vs_asap_demand_usd"] == pytest.approx(375.0, abs=1e-4)
    assert r.savings["vs_asap_energy_usd"] == pytest.approx(0.0, abs=1e-6)
    assert float(r.load["it_kw"].sum()) == pytest.approx(450.0, abs=1e-6)  # 1-h intervals: kW = kWh
    assert float(r.load["site_kw_asap"].sum()) == pytest.approx(450.0, abs=1e-6)
    # the old model (idle 0): the whole 100 kW leaves the peak, 500 USD
    r0 = S.optimize(full, idx, tariff=t, base_it_kw=50.0, pue=1.0)
    assert r0.savings["vs_asap_demand_usd"] == pytest.approx(500.0, abs=1e-4)


def test_the_it_gap_steps_sum_to_the_gap_and_name_diversity():
    # design IT 10,000 kW at diversity 0.8: the fleet draws up to 12,500 kW. idle 0.2, site utilisation 0.7, over
    # 1,000 h. The schedule at fill 0.4: 1,000 x (5,000 + 1,000 + 0.8 x 5,000 x 0.4) = 7,600 MWh = the design IT on
    # a linear curve, 1,000 x 10,000 x (0.2 + 0.8 x 0.7); the fleet at full load 12,500 / 10,000 x that = 9,500 MWh
    g = it_gap_mwh(7650.0, 9400.0, hours=1000.0, base_it_kw=6000.0, flex_kw=5000.0, fill_frac=0.4, idle_frac=0.2,
                   design_it_kw=10000.0, site_utilisation_frac=0.7, diversity_frac=0.8)
    assert g == pytest.approx({"the job mixes' fill": 50.0, "a fleet other than the site's (utilisation_frac)": 0.0,
                               "diversity_frac": -1900.0, "the fleet model's own utilisation and curve": 100.0},
                              abs=1e-9)
    assert sum(g.values()) == pytest.approx(7650.0 - 9400.0, abs=1e-9)
    # a fill of 0.6 where the site's is 0.4: the schedule runs at 0.5 + 0.5 x 0.6 = 0.8, the site at 0.7:
    # 1,000 x 5,000 x 0.8 x (0.6 - 0.4) = 800 MWh more
    g = it_gap_mwh(8400.0, 7600.0, hours=1000.0, base_it_kw=6000.0, flex_kw=5000.0, fill_frac=0.6, idle_frac=0.2,
                   design_it_kw=10000.0, site_utilisation_frac=0.7)
    assert g["a fleet other than the site's (utilisation_frac)"] == pytest.approx(800.0, abs=1e-9)


def _bill(t, peak_by_month):
    """A bill of an hourly load from 1 July (UTC), 100 kW but in the first hour of each month: its peak."""
    idx = pd.date_range("2025-07-01 01:00", f"2025-{max(peak_by_month) + 1:02d}-01 00:00", freq="h", tz="UTC")
    kw = pd.Series(100.0, index=idx)
    for m, peak in peak_by_month.items():
        kw[pd.Timestamp(f"2025-{m:02d}-01 01:00", tz="UTC")] = peak
    return t.bill(kw)


def test_the_highest_months_are_named_each_where_they_differ_and_once_where_they_are_one():
    # the Phoenix pattern by hand (10 $/kW-month): run-ASAP peaks in September (6,000 kW), the site in August
    # (5,600 kW), the optimized schedule in July (4,700 kW); the cut above both, September 6,000 - 5,000 = 1,000 kW,
    # is 10,000 USD
    t = Tariff.flat(0.1).with_demand_charge(10.0)
    a = saving_above_reference(_bill(t, {7: 5000, 8: 5500, 9: 6000}), _bill(t, {7: 4700, 8: 4600, 9: 4500}),
                               _bill(t, {7: 5000, 8: 5600, 9: 5000}))
    assert a.at["all_hours", "above_ref_usd"] == pytest.approx(10000.0, abs=1e-6)
    long = above_reference_note(a, 30000.0, {"all_hours": "the charge"})[0]
    assert long.endswith("(the charge, run-ASAP 6,000 kW (Sep), the site 5,600 kW (Aug), optimized 4,700 kW (Jul), "
                         "each its own highest month)")
    # all three in one month: that month once
    a = saving_above_reference(_bill(t, {7: 7000, 8: 100}), _bill(t, {7: 5000, 8: 100}), _bill(t, {7: 6000, 8: 100}))
    assert above_reference_note(a, 20000.0, {"all_hours": "the charge"})[0].endswith(
        "(the charge, highest month (Jul): run-ASAP 7,000 kW, the site 6,000 kW, optimized 5,000 kW)")


def test_the_demand_saving_above_the_sites_billed_demand_month_by_month():
    # by hand, 10 $/kW-month all-hours charge. July: run-ASAP 7,000 kW, optimized 5,400, the site 5,900: of the
    # 1,600 kW cut, 7,000 - 5,900 = 1,100 kW lie above the site: 11,000 USD of 16,000. August: run-ASAP 6,000,
    # optimized 5,800, the site 5,500: the whole 200 kW cut is above the site, 2,000 USD. September: run-ASAP 5,000,
    # optimized 4,800, the site 5,200: none of it. Total 13,000 of 18,000 + 2,000 = 20,000 USD.
    t = Tariff.flat(0.1).with_demand_charge(10.0)
    base = _bill(t, {7: 7000, 8: 6000, 9: 5000})
    opt = _bill(t, {7: 5400, 8: 5800, 9: 4800})
    site = _bill(t, {7: 5900, 8: 5500, 9: 5200})
    a = saving_above_reference(base, opt, site)
    assert list(a.index) == ["all_hours"]
    r = a.loc["all_hours"]
    assert (r.base_kw, r.to_kw, r.ref_kw, r.above_ref_kw) == pytest.approx((7000.0, 5800.0, 5900.0, 1100.0))
    assert r.saving_usd == pytest.approx(20000.0, abs=1e-6)
    assert r.above_ref_usd == pytest.approx(13000.0, abs=1e-6)
    long, short = above_reference_note(a, 20000.0, {"all_hours": "the all-hours demand charge, 10 $/kW-month"})
    # each highest billed demand with its month: run-ASAP's 7,000 kW and the site's 5,900 kW are July's, the
    # optimized 5,800 kW August's (an audit: "highest month: run-ASAP ..., the site ..., optimized ..." read as one
    # month's, Phoenix's July, November and May put 6.9 k USD of burst against the 71,272 USD published)
    assert (r.base_month, r.ref_month, r.to_month) == ("Jul", "Jul", "Aug")
    assert long == ("; of its 20,000 USD demand-charge part, 13,000 USD (65 %) only cuts the baseline's (run-ASAP's) "
                    "own burst above the site's modelled billed demand (the all-hours demand charge, 10 $/kW-month, "
                    "run-ASAP 7,000 kW (Jul), the site 5,900 kW (Jul), optimized 5,800 kW (Aug), each its own highest "
                    "month)")
    assert short == ("; 65 % of its demand-charge part only cuts run-ASAP's own burst above the site's modelled "
                     "billed demand")
    # nothing above the site: no words
    assert above_reference_note(saving_above_reference(opt, opt, base), 0.0) == ("", "")
    # a TOU demand charge is priced on its own hours' peak: on-peak 14:00-20:00 at 20 $/kW, the all-hours at 5
    tou = Tariff.flat(0.1).with_demand_charge(20.0, hours=list(range(14, 20)), name="on_peak").with_demand_charge(5.0)
    day = pd.date_range("2025-07-01 01:00", periods=24, freq="h", tz="UTC")

    def one(peak_on, peak_off):  # the on-peak hours on the UTC clock, as by hand: tz="UTC" (tariff_clock)
        return tou.bill(pd.Series(np.where((day - pd.Timedelta("1h")).hour.isin(range(14, 20)), peak_on, peak_off),
                                  index=day, dtype=float), tz="UTC")
    # run-ASAP 900 on-peak / 100 off; optimized 300 / 700; site 500 / 600. On-peak: 900 - max(500, 300) = 400 kW
    # x 20 = 8,000 USD; all-hours: 900 - max(600, 700) = 200 kW x 5 = 1,000 USD
    a = saving_above_reference(one(900, 100), one(300, 700), one(500, 600))
    assert a["above_ref_usd"].to_dict() == pytest.approx({"tou_on_peak": 8000.0, "all_hours": 1000.0}, abs=1e-6)
    with pytest.raises(ValueError, match="the same billing months"):
        saving_above_reference(base, opt, _bill(t, {7: 1.0}))
