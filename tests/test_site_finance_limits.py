"""The site file's finance section refuses a horizon past the plant's economic life and a price per
GPU-hour that is a slip, naming the file, the field, the value and why (finance review s18, findings 2
and 7); docs/site-format.md states the ranges."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dcplan.site import SiteError, load_portfolio, load_site

from conftest import DATA


def _site(tmp_path, **finance) -> Path:
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["finance"] = {**d.get("finance", {}), **finance}
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    return f


def _line(e: SiteError, field: str) -> str:
    return next(l for l in e.all_lines() if field in l)


@pytest.mark.parametrize("years", [21, 50])
def test_horizon_past_the_plants_life_names_file_field_value_and_why(tmp_path, years):
    f = _site(tmp_path, horizon_years=years)
    with pytest.raises(SiteError) as ei:
        load_site(f)
    line = _line(ei.value, "finance.horizon_years")
    assert str(f) in line
    assert re.search(rf"finance\.horizon_years: {years} years is longer than allowed \(1-20\): the model buys the "
                     r"facility's electrical and mechanical plant once and does not replace it at the end of its "
                     r"20-year economic life .*use at most 20$", line), line


def test_horizon_of_twenty_years_loads(tmp_path):
    assert load_site(_site(tmp_path, horizon_years=20)).finance.horizon_years == 20


@pytest.mark.parametrize("where", ["field", "costs"])
def test_price_per_gpu_hour_typed_wrong_is_refused(tmp_path, where):
    f = (_site(tmp_path, revenue_usd_per_gpu_h=4916) if where == "field"
         else _site(tmp_path, costs={"revenue_usd_per_gpu_h": 4916}))
    with pytest.raises(SiteError) as ei:
        load_site(f)
    field = "finance.revenue_usd_per_gpu_h" if where == "field" else "finance.costs.revenue_usd_per_gpu_h"
    line = _line(ei.value, field)
    assert str(f) in line and "4916" in line
    assert re.search(r"100 USD/GPU-h|\[0, 100\] USD/GPU-h", line) and "1-10 USD" in line and "slip" in line


def test_price_per_gpu_hour_of_100_loads(tmp_path):
    assert load_site(_site(tmp_path, revenue_usd_per_gpu_h=100.0)).finance.revenue_usd_per_gpu_h == 100.0


def test_bundled_sites_stay_within_the_horizon_limit_and_the_doc_says_it():
    p = load_portfolio()
    for sid in p.ids:
        assert p[sid].finance.horizon_years <= 20, sid
    doc = (Path(__file__).resolve().parents[1] / "docs" / "site-format.md").read_text()
    assert re.search(r"\| `finance\.horizon_years` \| integer \| `10` \| \[1, 20\] \|", doc)
    # left out: data/costs.csv's 4.916 USD/GPU-h (the reference shows the table value, not "none")
    assert re.search(r"\| `finance\.revenue_usd_per_gpu_h` \| number or null \| data/costs\.csv value \(`4\.916`\) "
                     r"\| \[0, 100\] \|", doc)


def test_a_horizon_past_the_batterys_life_is_refused_on_the_site_file(tmp_path):
    """The TCO refuses a horizon over the battery's 15-year life (bought once, not replaced); a
    site file with a battery and a 16-year horizon loaded and validated, then failed its TCO run."""
    from conftest import bundled_site_copy
    from dcplan.site import SiteError, load_site
    from dcplan.specs.finance import BATTERY_LIFE_YEARS
    from dcplan.tco_assumptions import ECONOMIC_LIFE_YEARS
    assert BATTERY_LIFE_YEARS == ECONOMIC_LIFE_YEARS["battery"] == 15
    bat = {"battery": {"power_mw": 2.0, "energy_mwh": 8.0}}
    f = bundled_site_copy(tmp_path, "phoenix-az", "bat-16", interconnection=bat, finance={"horizon_years": 16})
    with pytest.raises(SiteError, match=r"finance\.horizon_years: 16 years is longer than the 15-year economic life "
                                        r"of the site's battery \(interconnection\.battery, 8 MWh\).*allowed with a "
                                        r"battery: at most 15") as e:
        load_site(f)
    assert str(f) in str(e.value)
    load_site(bundled_site_copy(tmp_path, "phoenix-az", "bat-15", interconnection=bat, finance={"horizon_years": 15}))
    load_site(bundled_site_copy(tmp_path, "phoenix-az", "nobat-20", finance={"horizon_years": 20}))
