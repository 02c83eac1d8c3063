"""A copied portfolio reads its own copied tariff and weather files, not the bundled ones.

A tester copied data/ (``cp -r data mine``), doubled every energy rate of its copy of APS's
tariff and rendered Phoenix: the bill was the bundled tariff's, 2,964,987 USD, with no word; the
sites name ``tariffs/x.json`` relative to ``sites/``, where it is not, and the lookup fell back to
the bundled data/. Files are now looked for beside the site YAML, then in its parent folder (a copy
of data/'s layout), then in the bundle."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import DATA

from dcplan.site import SiteError, load_portfolio, load_site


def _copy(tmp_path):
    mine = tmp_path / "mine"
    shutil.copytree(DATA / "sites", mine / "sites")
    shutil.copytree(DATA / "tariffs", mine / "tariffs")
    shutil.copytree(DATA / "weather", mine / "weather")
    shutil.copy(DATA / "portfolio.yaml", mine / "portfolio.yaml")
    return mine


def test_a_copied_portfolio_reads_its_own_tariff_and_weather(tmp_path):
    mine = _copy(tmp_path)
    site = load_portfolio(mine / "portfolio.yaml")["phoenix-az"]
    assert site.tariff_path == (mine / "tariffs" / "aps-az-e32-tou-l.json").resolve()
    assert site.weather_path.parent == (mine / "weather").resolve()


def test_an_edited_copy_of_the_tariff_changes_the_bill(tmp_path):
    """Every energy rate doubled: the energy charges double (the same load, the same hours);
    demand and fixed charges are unchanged. Tolerance: float rounding."""
    from dcplan.tariff import Tariff
    mine = _copy(tmp_path)
    f = mine / "tariffs" / "aps-az-e32-tou-l.json"
    d = json.loads(f.read_text())
    item = d["items"][0] if "items" in d else d
    for period in item["energyratestructure"]:
        for tier in period:
            tier["rate"] = 2 * tier["rate"]
    f.write_text(json.dumps(d))
    site = load_site(mine / "sites" / "phoenix-az.yaml")
    import pandas as pd
    load = pd.Series(1000.0, index=pd.date_range("2025-07-01 01:00", periods=744, freq="h", tz="America/Phoenix"))
    bundled = Tariff.from_urdb(DATA / "tariffs" / "aps-az-e32-tou-l.json").bill(load)
    copied = Tariff.from_urdb(site.tariff_path).bill(load)
    assert copied.energy_usd == pytest.approx(2 * bundled.energy_usd, rel=1e-12)
    assert copied.demand_usd == pytest.approx(bundled.demand_usd, rel=1e-12)


def test_a_file_missing_from_the_copy_names_the_three_places_looked(tmp_path):
    mine = _copy(tmp_path)
    y = mine / "sites" / "phoenix-az.yaml"
    y.write_text(y.read_text().replace("aps-az-e32-tou-l.json", "no-such-tariff.json"))
    with pytest.raises(SiteError) as e:
        load_site(y)
    assert (f"no-such-tariff.json (looked in {(mine / 'sites').resolve()}, {mine.resolve()} and "
            f"{DATA.resolve()})") in str(e.value)


def test_a_copy_of_a_bundled_tariff_keeps_the_bundled_label_until_edited(tmp_path):
    """A verifier: in a copied portfolio the byte-identical Duke tariff was labelled as a user's own
    ("its prices as the tariff's own source gives them") beside "rates estimated" in the same label;
    the bundled one's label names data/SOURCES.md's sourced and estimated prices."""
    from dcplan import pipeline
    from dcplan.site_bill import _bundled_tariff, bill_label
    mine = _copy(tmp_path)
    f = mine / "tariffs" / "duke-nc-opt-tou.json"
    assert f.is_file()
    assert _bundled_tariff(f)
    bundled_site = load_site(DATA / "sites" / "research-triangle-nc.yaml")
    copied_site = load_site(mine / "sites" / "research-triangle-nc.yaml")
    assert copied_site.tariff_path == f.resolve()
    yb, yc = pipeline.run_site_year(bundled_site), pipeline.run_site_year(copied_site)
    assert bill_label(copied_site, pipeline.site_tariff(copied_site), yc.bill) == bill_label(
        bundled_site, pipeline.site_tariff(bundled_site), yb.bill)
    f.write_text(f.read_text().replace('"name"', '"name" ', 1))  # edited: no longer the bundled file
    assert not _bundled_tariff(f)
