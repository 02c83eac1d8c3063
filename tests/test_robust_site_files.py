"""A site one folder deeper than a copy of data/'s layout reads its portfolio's edited tariff, not
the bundled one (dcplan.site_files.note_portfolio_folder), and a relative name that still ends in
the bundled data/ is warned by validate (dcplan.site_files.bundled_fallback_warnings).

The tester's layout: m3/portfolio.yaml lists sites/az/phoenix-az.yaml (the bundled file, copied),
and m3/tariffs/aps-az-e32-tou-l.json is the bundled tariff with its first energy rate doubled. Before
the fix the site read the bundled tariff (a TCO electricity of 3,031,300 USD where the edited copy
gives 3,905,236 USD: `dcplan render --notebooks tco` of that layout now gives 3,905,236), and validate
said ok.
"""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from conftest import DATA
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio, load_site
from dcplan.site_files import bundled_fallback_warnings

TARIFF = "tariffs/aps-az-e32-tou-l.json"
WEATHER = "weather/USA_AZ_Phoenix-Sky.Harbor.Intl.AP.722780_TMY3.epw"


def _m3(tmp_path):
    root = tmp_path / "m3"
    (root / "sites" / "az").mkdir(parents=True)
    (root / "tariffs").mkdir()
    shutil.copy(DATA / "sites" / "phoenix-az.yaml", root / "sites" / "az" / "phoenix-az.yaml")
    d = json.loads((DATA / TARIFF).read_text())
    d["energyratestructure"][0][0]["rate"] *= 2  # 0.06334 -> 0.12668 USD/kWh
    (root / TARIFF).write_text(json.dumps(d))
    (root / "portfolio.yaml").write_text("name: m3\nsites:\n  - sites/az/phoenix-az.yaml\n")
    return root


def test_a_site_two_folders_down_reads_the_portfolios_edited_tariff(tmp_path):
    root = _m3(tmp_path)
    site = load_portfolio(root / "portfolio.yaml")["phoenix-az"]
    assert site.tariff_path == (root / TARIFF).resolve()
    # the weather was not copied anywhere: the bundled file is read, as meant, and not warned
    assert site.weather_path == (DATA / WEATHER).resolve()
    assert bundled_fallback_warnings(site) == []


def test_the_edited_first_rate_is_what_the_site_bills(tmp_path):
    """A constant 1,000 kW for 2025 (hour-start stamps, Phoenix keeps no DST): the edited copy
    bills each kWh in energy period 0 at 0.12668 instead of 0.06334 USD, so its energy charge is
    the bundled one's plus (hours in period 0) x 1,000 kWh x 0.06334 USD. The hours in period 0 are
    counted here from the tariff's own month x hour schedules (weekdays Mon-Fri, weekends Sat-Sun)."""
    from dcplan.tariff import Tariff
    root = _m3(tmp_path)
    site = load_portfolio(root / "portfolio.yaml")["phoenix-az"]
    idx = pd.date_range("2025-01-01 00:00", "2025-12-31 23:00", freq="h", tz="America/Phoenix")
    load = pd.Series(1000.0, index=idx)
    raw = json.loads((DATA / TARIFF).read_text())
    hours_p0 = sum(1 for t in idx if (raw["energyweekendschedule"] if t.weekday() >= 5
                                      else raw["energyweekdayschedule"])[t.month - 1][t.hour] == 0)
    assert 0 < hours_p0 < 8760
    edited = Tariff.from_urdb(site.tariff_path).bill(load, stamps="start")
    bundled = Tariff.from_urdb(DATA / TARIFF).bill(load, stamps="start")
    expected = hours_p0 * 1000.0 * 0.06334
    assert edited.energy_usd - bundled.energy_usd == pytest.approx(expected, rel=1e-9)
    assert edited.demand_usd == pytest.approx(bundled.demand_usd, rel=1e-12)


def test_the_same_site_file_alone_reads_the_bundle_and_is_warned(tmp_path):
    """Validated alone (no portfolio), m3/sites/az/phoenix-az.yaml reads the bundled tariff while
    the edited copy sits in m3/tariffs/: warned, naming the places looked and the copy."""
    root = _m3(tmp_path)
    (root / "portfolio.yaml").unlink()
    site = load_site(root / "sites" / "az" / "phoenix-az.yaml")
    assert site.tariff_path == (DATA / TARIFF).resolve()
    (text,) = bundled_fallback_warnings(site)  # the weather has no copy anywhere: not warned
    here = root.resolve()
    assert text.startswith(f"{site.source_file}: tariff.file: {TARIFF} is in none of the site's own folders (looked "
                           f"in {here / 'sites' / 'az'}, {here / 'sites'}), so the bundled "
                           f"{(DATA / TARIFF).resolve()} is read, not {here / TARIFF}; "), text


def test_validate_warns_the_site_alone_and_not_through_its_portfolio(tmp_path, capsys):
    from dcplan.cli import main
    root = _m3(tmp_path)
    with pytest.warns(DcplanWarning) as rec:
        assert main(["validate", str(root / "sites" / "az" / "phoenix-az.yaml")]) == 0
    mine = [str(w.message) for w in rec if "is in none of the site's own folders" in str(w.message)]
    assert len(mine) == 1 and ": tariff.file: " in mine[0]


def test_bundled_sites_and_absolute_names_are_not_warned(tmp_path):
    from conftest import bundled_site_copy
    assert all(bundled_fallback_warnings(s) == [] for s in load_portfolio())
    assert bundled_fallback_warnings(load_site(bundled_site_copy(tmp_path, "phoenix-az", "px"))) == []
