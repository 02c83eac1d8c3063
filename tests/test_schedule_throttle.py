"""The scheduler's throttling penalty (dcplan.schedule_throttle): the site fleet's own, read from the data files.

A sources audit found ``schedule.THROTTLE_USD_PER_KWH_DEFAULT = 4.916 / (10.2 / 8)`` (an H100's price per
GPU-hour over a DGX H100's kW per GPU) copied into the code and used for every site: chicago-il's H200s (5.408
USD/GPU-h in the TCO) and phoenix-az's B200s (1.7875 kW each) were scheduled at the H100's 3.86 USD/kWh.
"""
from __future__ import annotations

import csv

import pytest

from conftest import DATA, bundled_site_copy, with_edited_data
from dcplan import schedule
from dcplan.schedule_throttle import (fallback_throttle_usd_per_kwh, fleet_server_kw_per_accelerator,
                                      site_revenue_usd_per_gpu_h, site_throttle_usd_per_kwh)
from dcplan.site import load_portfolio, load_site
from dcplan.tco_inputs import inputs_from_site


def _csv_row(name: str, key: str) -> dict:
    lines = [ln for ln in (DATA / name).read_text().splitlines() if not ln.startswith("#")]
    return next(r for r in csv.DictReader(lines) if r["key"] == key)


@pytest.fixture(scope="module")
def sites():
    return {s.id: s for s in load_portfolio().sites}


def test_fallback_is_the_two_data_rows():
    # read here with the csv module, not dcplan: data/costs.csv revenue_usd_per_gpu_h over data/hardware.csv
    # hgx-h100 max_kw / accelerators_per_unit; today 4.916 / (10.2 / 8) = 3.85569 USD/kWh (hand); rel 1e-12: the
    # same float operations
    price = float(_csv_row("costs.csv", "revenue_usd_per_gpu_h")["value"])
    hw = _csv_row("hardware.csv", "hgx-h100")
    expected = price / (float(hw["max_kw"]) / int(hw["accelerators_per_unit"]))
    assert schedule.THROTTLE_USD_PER_KWH_DEFAULT == pytest.approx(expected, rel=1e-12)
    assert fallback_throttle_usd_per_kwh() == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(3.8557, abs=1e-4)


def test_fallback_follows_an_edit_of_the_price(tmp_path):
    # the costs.csv price edited 4.916 -> 5.1 USD/GPU-h: the module constant is 5.1 / 1.275 = 4.0 USD/kWh (hand);
    # a literal 4.916 / (10.2 / 8) would stay 3.856
    row = "revenue_usd_per_gpu_h,4.916,"
    assert (DATA / "costs.csv").read_text().count(row) == 1
    out = with_edited_data(tmp_path, {"costs.csv": lambda t: t.replace(row, "revenue_usd_per_gpu_h,5.1,")},
                           "from dcplan import schedule\nprint(schedule.THROTTLE_USD_PER_KWH_DEFAULT)")
    assert float(out) == pytest.approx(4.0, rel=1e-12)


@pytest.mark.parametrize("site_id, price, kw_per_gpu", [
    ("research-triangle-nc", 4.916, 10.2 / 8),   # HGX H100: the costs.csv price, 10.2 kW / 8
    ("chicago-il", 5.408, 10.2 / 8),             # HGX H200: AWS p5e.48xlarge 43.26 / 8, 10.2 kW / 8
    ("phoenix-az", 4.916, 14.3 / 8),             # HGX B200: no sourced price (the H100's, as the TCO), 14.3 kW / 8
    ("northern-virginia", 4.916, 120.0 / 72),    # GB200 NVL72: the H100's price, 120 kW / 72
])
def test_site_penalty_is_its_fleets(sites, site_id, price, kw_per_gpu):
    # chicago-il 5.408 / 1.275 = 4.2416, phoenix-az 4.916 / 1.7875 = 2.7502 USD/kWh (hand); rel 1e-9 float
    s = sites[site_id]
    assert fleet_server_kw_per_accelerator(s) == pytest.approx(kw_per_gpu, rel=1e-9)
    value, source = site_throttle_usd_per_kwh(s)
    assert value == pytest.approx(price / kw_per_gpu, rel=1e-9)
    assert f"{price:g} USD/GPU-h" in source


@pytest.mark.parametrize("site_id", ["chicago-il", "phoenix-az"])
def test_price_is_the_one_the_tco_takes(sites, site_id):
    s = sites[site_id]
    tco = inputs_from_site(s, n_accelerators=8, it_capacity_kw=10.2, it_energy_kwh=1.0, wue_l_per_kwh=0.0)
    assert site_revenue_usd_per_gpu_h(s)[0] == tco.params()["revenue_usd_per_gpu_h"]


@pytest.mark.parametrize("finance, source", [
    ({"revenue_usd_per_gpu_h": 3.0}, "site.finance.revenue_usd_per_gpu_h"),
    ({"costs": {"revenue_usd_per_gpu_h": 3.0}}, "site.finance.costs.revenue_usd_per_gpu_h"),
])
def test_a_sites_own_price_wins_as_in_the_tco(tmp_path, finance, source):
    # the site's own price (either form; a site file may not set both) over the B200's 14.3 kW / 8:
    # 3.0 / 1.7875 = 1.6783 USD/kWh (hand); rel 1e-12 float
    s = load_site(bundled_site_copy(tmp_path, "phoenix-az", "px", finance=finance))
    tco = inputs_from_site(s, n_accelerators=8, it_capacity_kw=10.2, it_energy_kwh=1.0, wue_l_per_kwh=0.0)
    assert site_revenue_usd_per_gpu_h(s) == (3.0, source)
    assert tco.params()["revenue_usd_per_gpu_h"] == 3.0
    assert site_throttle_usd_per_kwh(s)[0] == pytest.approx(3.0 / (14.3 / 8), rel=1e-12)
