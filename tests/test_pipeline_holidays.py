"""dcplan.pipeline bills a site with its tariff's holiday calendar (``dcplan_holidays``).

The bundled tariffs carry no holiday list (data/SOURCES.md: no source was found for
the schedules they are modeled on), so their site bills are unchanged. The mechanism
is checked on the research-triangle-nc site with a copy of its tariff that names one
holiday (a test fixture, not a sourced list): the difference of the two site bills is
recomputed here from the site's hourly grid power, the tariff's prices and the
holiday's hours, without the billing engine's calendar.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from dcplan import pipeline
from dcplan.site import Site, load_site

SITES = ("research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il")
THANKSGIVING_2025 = dt.date(2025, 11, 27)  # fourth Thursday of November 2025


@pytest.mark.parametrize("site_id", SITES)
def test_bundled_site_tariffs_name_no_holidays(site_id):
    # keep in step with data/SOURCES.md ("holidays: none applied - no source found")
    assert pipeline.site_tariff(load_site(site_id)).holidays is None


@pytest.fixture(scope="module")
def nc_years(tmp_path_factory):
    site = load_site("research-triangle-nc")
    base = pipeline.run_site_year(site)
    item = json.loads(site.tariff_path.read_text())
    item["dcplan_holidays"] = [{"name": "Thanksgiving Day", "rule": "4th Thu of Nov"}]
    path = tmp_path_factory.mktemp("tariff") / "duke-with-thanksgiving.json"
    path.write_text(json.dumps(item))
    d = site.model_dump()
    d["tariff"] = {**d["tariff"], "file": str(path)}
    with_hol = pipeline.run_site_year(Site.model_validate(d), weather=base.weather)
    return base, with_hol, item


def test_site_bill_uses_the_tariff_calendar(nc_years):
    base, with_hol, item = nc_years
    assert pipeline.site_tariff(with_hol.site).holidays is not None
    # same load, same tariff otherwise
    pd.testing.assert_series_equal(base.grid_kw, with_hol.grid_kw)
    on = item["energyratestructure"][1][0]["rate"]   # 0.0680 $/kWh
    off = item["energyratestructure"][0][0]["rate"]  # 0.0495 $/kWh
    winter_on_kw = item["demandratestructure"][2][0]["rate"]  # 9.80 $/kW-month
    kw = base.grid_kw.clip(lower=0.0)
    start = kw.index - pd.Timedelta("1h")  # hourly, interval-ending labels: the hour's start
    assert kw.index.freq == "h"
    # Oct-May on-peak: Mon-Fri hours starting 6..12 (make_bundled_tariffs.py)
    weekday_on = (start.day_of_week < 5) & (start.hour >= 6) & (start.hour < 13) & ~start.month.isin([6, 7, 8, 9])
    hol = start.date == THANKSGIVING_2025
    assert (weekday_on & hol).sum() == 7
    # energy: the holiday's 7 on-peak hours move to the off-peak price (kWh = kW x 1 h)
    d_energy = float(kw[weekday_on & hol].sum()) * (on - off)
    # demand: November's on-peak demand is the max over on-peak hours, now without the holiday
    nov = start.month == 11
    d_demand = winter_on_kw * (float(kw[weekday_on & nov].max()) - float(kw[weekday_on & nov & ~hol].max()))
    assert d_energy > 0
    assert base.bill.energy_usd - with_hol.bill.energy_usd == pytest.approx(d_energy, rel=1e-9)
    assert base.bill.demand_usd - with_hol.bill.demand_usd == pytest.approx(d_demand, rel=1e-9, abs=1e-6)
    assert base.bill.total_usd - with_hol.bill.total_usd == pytest.approx(d_energy + d_demand, rel=1e-9)
    # every month but November bills exactly as before
    m0, m1 = base.bill.monthly, with_hol.bill.monthly
    other = [p for p in m0.index if p.month != 11]
    pd.testing.assert_frame_equal(m0.loc[other], m1.loc[other])


def test_the_same_bill_without_holidays_is_the_base_bill(nc_years):
    base, with_hol, _ = nc_years
    t = pipeline.site_tariff(with_hol.site)
    no_hol = t.bill(with_hol.grid_kw.clip(lower=0.0), holidays=[])
    assert no_hol.total_usd == pytest.approx(base.bill.total_usd, rel=1e-12)
