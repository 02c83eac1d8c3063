"""A tariff that bills no energy charge is warned of (:mod:`dcplan.tariff_lint`, "No energy charge").

A new site's author writing a utility's rate from its schedule (an FPL GSLDT-like TOU rate for a Miami
site) left out the energy section, or wrote a flat form at 0 $/kWh: ``dcplan validate`` said "ok", and
every report billed the demand and fixed charges alone, about a third of the bill (the energy charges are
more than half of each bundled example site's bill, below). Now both are warned, as validate warns a rate
period no schedule names; a rate with energy charges, a fuel adjustment or a real-time price file is not.
"""
from __future__ import annotations

import copy
import json

import pytest

from dcplan.site import load_site
from dcplan.tariff_lint import flat_no_energy_warnings, item_warnings

from conftest import DATA

ONE_PERIOD = [[0] * 24 for _ in range(12)]


def _item(**extra) -> dict:
    """A rate with one energy period of 0.06 $/kWh and a 12 $/kW flat demand charge (round example figures)."""
    base = {"label": "t", "energyratestructure": [[{"rate": 0.06, "unit": "kWh"}]],
            "energyweekdayschedule": ONE_PERIOD, "energyweekendschedule": ONE_PERIOD,
            "flatdemandstructure": [[{"rate": 12.0}]], "flatdemandmonths": [0] * 12}
    base.update(extra)
    return base


def _no_energy(texts):
    return [t for t in texts if "bills no energy charge" in t]


def test_a_rate_with_energy_charges_is_not_warned():
    assert not _no_energy(item_warnings(_item(), "t.json"))


def test_a_rate_without_an_energy_section_is_warned():
    item = _item()
    for k in ("energyratestructure", "energyweekdayschedule", "energyweekendschedule"):
        del item[k]
    (text,) = _no_energy(item_warnings(item, "t.json", "items[0]."))
    assert text.startswith("t.json: items[0].energyratestructure: missing: the rate bills no energy charge, "), text
    assert "a delivery-only rate whose supply is bought apart? Add the supply's energy prices" in text


def test_a_rate_whose_every_energy_price_is_0_is_warned_unless_a_fuel_adjustment_or_rtp_prices_it():
    zero = _item(energyratestructure=[[{"rate": 0.0, "unit": "kWh"}], [{"rate": 0.02, "adj": -0.02}]])
    (text,) = _no_energy(item_warnings(zero, "t.json"))
    assert "t.json: energyratestructure: every energy rate is 0 $/kWh (rate + adj)" in text
    assert not _no_energy(item_warnings(dict(zero, fueladjustmentsmonthly=[0.03] * 12), "t.json"))
    assert not _no_energy(item_warnings(dict(zero, dcplan_rtp_price_file="p.csv"), "t.json"))
    assert not _no_energy(item_warnings(_item(energyratestructure=[[{"rate": 0.0}], [{"rate": 0.01}]]), "t.json"))


def test_the_bundled_tariffs_are_not_warned():
    for f in sorted((DATA / "tariffs").glob("*.json")):
        assert not _no_energy(item_warnings(json.loads(f.read_text(encoding="utf-8")), f.name)), f.name


def test_a_flat_tariff_at_0_per_kwh_is_warned(tmp_path):
    import yaml
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["tariff"] = {"flat_usd_per_kwh": 0.0, "demand_usd_per_kw": 15.0, "source": "test"}
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(d))
    site = load_site(f)
    (text,) = flat_no_energy_warnings(site)
    assert text.startswith(f"{f}: tariff.flat_usd_per_kwh: 0 $/kWh: the flat tariff bills no energy charge"), text
    d2 = copy.deepcopy(d)
    d2["tariff"]["flat_usd_per_kwh"] = 0.001
    f.write_text(yaml.safe_dump(d2))
    assert flat_no_energy_warnings(load_site(f)) == []


@pytest.mark.slow
def test_validate_gives_the_flat_warning_with_the_site_checks(tmp_path):
    """dcplan validate's site checks (dcplan.site_plausibility.site_warnings) include it: about 5 s."""
    import yaml
    from dcplan.site_plausibility import site_warnings
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["tariff"] = {"flat_usd_per_kwh": 0.0, "source": "test"}
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(d))
    assert _no_energy(site_warnings(load_site(f))) == flat_no_energy_warnings(load_site(f)) != []


@pytest.mark.slow
def test_energy_is_more_than_half_of_each_bundled_site_bill_as_the_warning_says():
    """The warning's figure: energy_usd / bill_usd of each bundled site's modelled year (0.59-0.77, 2026-12)."""
    from dcplan.pipeline import run_site_year
    for name in ("research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"):
        bill = run_site_year(load_site(name)).bill
        share = float(bill.monthly["energy_usd"].sum()) / bill.total_usd
        assert share > 0.5, (name, share)
