"""The off-peak notebook's load against the site's: utilisation, PV and the bill it is a share of.

The scheduler filled the flexible share at a fixed 0.6 whatever the site, took no on-site PV or
battery, and headlined the saving as "a share of the run-ASAP bill" without saying that bill was
not the site's: Phoenix's run-ASAP bill was 3.95 M USD against site_analysis's 2.74 M USD (+44 %;
its PV covers a quarter of its facility energy). Now the default fill puts the fleet at the
site's fleet.utilisation_frac, and the page publishes the site's bill over the same weeks beside
the run-ASAP bill.

The scheduled bills then still left the site's PV out (5 MW DC at Phoenix). Now every strategy is
billed on its grid import after the site's own PV (no export credit), like the site's bill, and the
page shows the run-ASAP bill without and with the PV beside the site's without and with it.
"""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
import yaml

from dcplan import pipeline, power, thermal_plant
from dcplan.report import render
from dcplan.site import load_portfolio
from tests.conftest import DATA


@pytest.mark.slow
def test_offpeak_runs_the_fleet_at_the_sites_utilisation_and_shows_the_sites_bill(tmp_path):
    weeks = 4
    s = render(sites=["phoenix-az"], notebooks=["offpeak_scheduling"], out=tmp_path, jobs=1, progress=False,
               parameters={"rolling_weeks": weeks})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "phoenix-az" / "offpeak_scheduling" / "results.json").read_text())["results"]

    # data/sites/phoenix-az.yaml: fleet.utilisation_frac 0.6; must-run share 1 - 0.5 (flex_share_frac default),
    # so the jobs fill (0.6 - 0.5) / 0.5 = 0.2 of the flexible half (was 0.6: the fleet at 0.8)
    u_site = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())["fleet"]["utilisation_frac"]
    assert u_site == 0.6
    assert res["flex_fill_frac"]["value"] == pytest.approx(0.2, rel=1e-12)
    assert "utilisation_frac" not in res  # the fleet's share sold, in interconnection and tco: not this fill
    # the flexible capacity with no job draws idle power: data/hardware.csv hgx-b200 3.6 kW idle of 14.3 kW, 4 a rack,
    # each rack 1.5 x ib-ndr-switch (1.1 / 1.7 kW), eth-mgmt-switch (0.10 / 0.15), 0.25 x storage-node (0.8 / 1.5):
    # 16.35 kW of 60.275 kW a rack, i = 0.27126
    i = (4 * 3.6 + 1.5 * 1.1 + 0.10 + 0.25 * 0.8) / (4 * 14.3 + 1.5 * 1.7 + 0.15 + 0.25 * 1.5)
    assert res["idle_frac"]["value"] == pytest.approx(i, rel=1e-12)
    # the scheduled IT over the weeks is then (0.6 + 0.4 i) of the design IT's energy: must-run 0.5, the flexible
    # half's idle 0.5 i, jobs above idle 0.5 x 0.2 x (1 - i); so is the fleet model's on its linear curve at 0.6,
    # i + 0.6 (1 - i) (rel 2 %: the synthetic jobs whose deadline falls after the last week are left out)
    spec = load_portfolio()["phoenix-az"]
    y = pipeline.run_site_year(spec)
    hours = weeks * 7 * 24
    assert res["scheduled_it_mwh"]["value"] == pytest.approx((0.6 + 0.4 * i) * y.design_it_kw * hours / 1000,
                                                             rel=0.02)
    site_it_mwh = float(power.energy_from_power(y.it_kw.iloc[:hours]).sum()) / 1000
    assert res["site_it_mwh_same_weeks"]["value"] == pytest.approx(site_it_mwh, rel=1e-12)
    assert res["scheduled_it_vs_site_frac"]["value"] == pytest.approx(
        res["scheduled_it_mwh"]["value"] / site_it_mwh - 1, rel=1e-9)
    assert res["scheduled_it_vs_site_frac"]["label"].startswith(f"Over {weeks} weeks: scheduled IT (run-ASAP's) ")

    # the site's own bill over the same hours: the chain's meter load (after PV; Phoenix has no battery)
    idx = y.weather.index[:hours]
    tariff = pipeline.site_tariff(spec)
    site_bill = tariff.bill(y.grid_kw.loc[idx].clip(lower=0.0)).total_usd
    assert res["site_bill_same_weeks_usd"]["value"] == pytest.approx(site_bill, rel=1e-12)
    assert res["site_bill_same_weeks_usd"]["headline"] and res["rolling_asap_bill_usd"]["headline"]
    # the scheduled bill's like-for-like basis: the facility less its PV, clipped at 0 (no export credit);
    # with no battery at Phoenix that is the site's bill itself
    pv_bill = tariff.bill((y.facility_kw - y.pv_kw).loc[idx].clip(lower=0.0)).total_usd
    assert y.battery is None and pv_bill == pytest.approx(site_bill, rel=1e-12)
    assert res["site_bill_pv_no_battery_same_weeks_usd"]["value"] == pytest.approx(pv_bill, rel=1e-12)
    pv_mwh = float(power.energy_from_power(y.pv_kw.loc[idx]).sum()) / 1000
    assert pv_mwh > 0 and res["site_pv_mwh_same_weeks"]["value"] == pytest.approx(pv_mwh, rel=1e-12)
    assert "in the scheduled bills and the site's" in res["site_pv_mwh_same_weeks"]["label"]

    # the PV is in the scheduled bill. The must-run site load alone, PUE x 0.5 x design IT (the plant's PUE
    # at full design IT, as the notebook takes it), uses min(pv, must-run) of the PV every hour whatever the
    # jobs do, so the run-ASAP bill without PV exceeds the one with it by at least that energy at the
    # tariff's price (APS E-32 TOU-L: no energy tiers, so the bill's energy is price x kWh), and the demand
    # charges of the import are never above the site load's. And PV spilled is at most what the must-run
    # leaves over.
    pue = thermal_plant.plant_hourly(y.design_it_kw, y.weather, spec.cooling, design_it_kw=y.design_it_kw)["pue"]
    must_run_kw = (0.5 * y.design_it_kw * pue).loc[idx]
    pv = y.pv_kw.loc[idx]
    assert tariff.energy_rate.shape[1] == 1
    used_usd = float((tariff.energy_price(idx) * np.minimum(pv, must_run_kw)).sum())  # 1-h intervals: kW = kWh
    assert used_usd > 10_000  # four January weeks of 5 MW DC in Phoenix at a few US cents per kWh
    saved = res["rolling_asap_bill_no_pv_usd"]["value"] - res["rolling_asap_bill_usd"]["value"]
    assert saved >= used_usd * (1 - 1e-9), (saved, used_usd)
    left_mwh = float(np.maximum(pv - must_run_kw, 0.0).sum()) / 1000
    for k in ("asap", "optimized"):
        assert -1e-9 <= res[f"rolling_pv_spilled_{k}_mwh"]["value"] <= left_mwh + 1e-9, k
    # the schedules are of the site's fleet (utilisation_frac -1): no figure says otherwise
    assert not [k for k, r in res.items() if "NOT the site's fleet" in r["label"]]
    # the headline share says what it is a share of
    assert "run-ASAP bill of the scheduled load" in res["rolling_saving_frac"]["label"]
    assert "after on-site PV; no battery" in res["rolling_saving_frac"]["label"]
    assert "after on-site PV; no battery" in res["rolling_asap_bill_usd"]["label"]
    # ... and carries no other share (it said "22 % of its demand-charge part ..." beside its own 8 %): the share of
    # the demand saving above the site's is a figure of its own, and the monthly billed demands behind the saving
    # above the site are published, summing to it
    assert "%" not in res["rolling_saving_frac"]["label"]
    above = res["rolling_demand_saving_above_site_usd"]["value"]
    frac = res["rolling_demand_saving_above_site_frac"]
    dem = float(re.search(r"over 4 weeks \(([\d,.-]+) USD; not a share of the bill\)", frac["label"]).group(1)
                .replace(",", ""))
    assert frac["unit"] == "frac" and frac["value"] == pytest.approx(above / dem, rel=1e-3)
    months = res["rolling_demand_above_site_by_month"]["value"]
    assert months.startswith("2025-01: run-ASAP ") and f"Sum: {above:,.0f} USD." in months
    text = (tmp_path / "phoenix-az" / "offpeak_scheduling" / "notebook.ipynb").read_text()
    assert "battery is **not** in these bills (the scheduler does not" in text  # the page says it plainly


def test_offpeak_is_not_applicable_at_a_site_utilisation_at_or_below_the_must_run_share(tmp_path):
    # flex_share_frac 0.3: must-run 0.7 of design IT, above Phoenix's 0.6: nothing left to schedule.
    # 0.3 is a valid share in itself, so the site's run is n/a (dcplan.offpeak_params, the notebook's
    # precheck), as at the defaults; it refused the whole render (bad input) before. Nothing executes.
    s = render(sites=["phoenix-az"], notebooks=["offpeak_scheduling"], out=tmp_path, jobs=1, progress=False,
               parameters={"flex_share_frac": 0.3, "rolling_weeks": 1})
    assert s.ok, s.table()
    [r] = s.results
    assert r.run.not_applicable.startswith(
        "site 'phoenix-az': -p flex_share_frac 0.3 leaves it no flexible work to schedule: its fleet.utilisation_frac "
        "0.6 (which utilisation_frac -1, the default, takes) is not above the must-run share 1 - flex_share_frac = "
        "0.7; pass -p flex_share_frac above 0.4")
    assert not tmp_path.joinpath("phoenix-az").exists()
