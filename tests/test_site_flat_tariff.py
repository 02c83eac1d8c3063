"""A flat tariff in the site file, without URDB JSON.

A planner with a flat rate (Miami, FL: FPL GSLD-1 read as ~7.5 c/kWh and ~13 $/kW-month) had to
hand-write URDB JSON, which allows no comment saying where the rate came from. The ``tariff:``
section now takes ``flat_usd_per_kwh`` (+ optional ``demand_usd_per_kw``, ``fixed_usd_per_month``)
with a required ``source`` instead of ``file`` (exactly one of the two), built by
``dcplan.tariff.Tariff.flat`` in ``dcplan.pipeline.site_tariff``; ``contract_demand_kw`` still floors
billing demand.

Hand bill (dcplan.tariff module docstring): energy = kWh x rate; demand = each calendar month's
highest hourly kW x rate (flat demand: the month's maximum interval-average kW, no demand window);
fixed = 12 x the monthly charge. Billing months come from each interval's *start* in local time
(hourly, interval-ending labels: the hour ending 2026-01-01 00:00 is December's).
"""
from __future__ import annotations

import pandas as pd
import pytest
import yaml

from dcplan import pipeline
from dcplan.site import SiteError, load_site
from dcplan.tariff import Tariff

from conftest import DATA

FLAT = {"flat_usd_per_kwh": 0.075, "demand_usd_per_kw": 13.0, "fixed_usd_per_month": 25,
        "source": "FPL GSLD-1 2025, planner's estimate"}


def _chicago(tmp_path, tariff: dict, name: str = "chicago-flat.yaml"):
    """data/sites/chicago-il.yaml with ``tariff`` and no solar: section (no PV: the meter is the facility)."""
    raw = yaml.safe_load((DATA / "sites" / "chicago-il.yaml").read_text())
    raw["weather"]["file"] = str(DATA / raw["weather"]["file"])
    raw["tariff"] = tariff
    raw.pop("solar")
    f = tmp_path / name
    f.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def flat_year(tmp_path_factory):
    site = load_site(_chicago(tmp_path_factory.mktemp("flat"), dict(FLAT)))
    return pipeline.run_site_year(site)


def _hand(load_kw: pd.Series, rate, demand, fixed, contract_kw=0.0):
    """(energy kWh, monthly billing kW, total USD) by hand: month of each hour's start (module docstring)."""
    month = (load_kw.index - pd.Timedelta(hours=1)).month
    energy_kwh = float(load_kw.sum()) * 1.0  # hourly: kW x 1 h
    peaks = load_kw.groupby(month).max().clip(lower=contract_kw)
    return energy_kwh, peaks, energy_kwh * rate + float(peaks.sum()) * demand + 12 * fixed


def test_annual_bill_of_a_bundled_site_on_a_flat_tariff_is_the_hand_bill(flat_year):
    y = flat_year
    assert (y.pv_kw == 0).all() and y.battery is None
    pd.testing.assert_series_equal(y.grid_kw, y.facility_kw.rename("grid_kw"))  # no PV: the meter is the facility
    fac = y.facility_kw
    assert len(fac) == 8760 and str(fac.index.tz) == "America/Chicago"
    energy_kwh, peaks, total = _hand(fac, 0.075, 13.0, 25.0)
    assert len(peaks) == 12
    b = y.bill
    # rel 1e-12: the same numbers summed in another order (float rounding only)
    assert b.energy_usd == pytest.approx(0.075 * energy_kwh, rel=1e-12)
    assert b.demand_usd == pytest.approx(13.0 * float(peaks.sum()), rel=1e-12)
    assert b.fixed_usd == 12 * 25.0  # exact: 12 months x 25 $
    assert b.total_usd == pytest.approx(total, rel=1e-12)
    m = b.monthly
    assert m["peak_kw"].to_numpy() == pytest.approx(peaks.to_numpy(), rel=1e-12)  # each month's peak, same hours
    # a sanity scale: a ~5 MW facility all year is ~3.5 M USD of energy at 7.5 c
    assert 2e6 < b.energy_usd < 6e6


def test_the_flat_tariff_flows_through_the_chain(flat_year):
    y = flat_year
    t = pipeline.site_tariff(y.site)
    expect = Tariff.flat(0.075, demand_usd_per_kw=13.0, fixed_usd_per_month=25.0)
    # the chain's bill is Tariff.flat's on the chain's meter (exact: the same tariff and load)
    assert y.bill.total_usd == expect.bill(y.grid_kw.clip(lower=0.0)).total_usd
    assert t.name == "flat 0.075 $/kWh + 13 $/kW-month + 25 $/month (FPL GSLD-1 2025, planner's estimate)"
    assert y.bill.tariff_name == t.name and t.metadata["source"] == FLAT["source"]
    assert pipeline.site_tariff(y.site) is t  # built once per process, as a file tariff is parsed once
    f = pipeline.figures(y)
    assert f["bill_usd"] == y.bill.total_usd and f["energy_usd"] == y.bill.energy_usd
    # the TCO's electricity over the years bills the same tariff (no PV to age: every year the same;
    # rel: the monthly bills summed)
    e = pipeline.electricity_by_pv_age(y, 3)
    assert e.monthly_usd.shape == (3, 12)
    assert e.monthly_usd.sum(axis=1) == pytest.approx([y.bill.total_usd] * 3, rel=1e-12)


def test_contract_demand_floors_a_flat_tariffs_billing_demand(flat_year, tmp_path):
    y = flat_year
    peaks = y.facility_kw.groupby((y.facility_kw.index - pd.Timedelta(hours=1)).month).max()
    contract_kw = float(peaks.median())  # above some months' peaks, below others'
    assert (peaks < contract_kw).any() and (peaks > contract_kw).any()
    site = load_site(_chicago(tmp_path, {**FLAT, "contract_demand_kw": contract_kw}))
    bill = pipeline.site_tariff(site).bill(y.facility_kw)
    _, billed, total = _hand(y.facility_kw, 0.075, 13.0, 25.0, contract_kw)
    assert bill.monthly["billing_demand_kw"].to_numpy() == pytest.approx(billed.to_numpy(), rel=1e-12)
    assert bill.total_usd == pytest.approx(total, rel=1e-12)  # rel: summation order only
    assert bill.total_usd > y.bill.total_usd


def test_energy_only_flat_tariff(tmp_path, flat_year):
    site = load_site(_chicago(tmp_path, {"flat_usd_per_kwh": 0.1, "source": "round number for a test"}))
    t = pipeline.site_tariff(site)
    assert t.name == "flat 0.1 $/kWh (round number for a test)"
    b = t.bill(flat_year.facility_kw)
    # 0.1 $/kWh x the year's kWh; no demand or fixed charge (rel: summation order)
    assert b.total_usd == pytest.approx(0.1 * float(flat_year.facility_kw.sum()), rel=1e-12)
    assert b.demand_usd == 0.0 and b.fixed_usd == 0.0


@pytest.mark.parametrize("tariff, message", [
    ({}, "tariff: give the rate: file: <URDB-format JSON> or flat_usd_per_kwh: <$/kWh>"),
    ({**FLAT, "file": "tariffs/comed-il-large-load.json"},
     "tariff: give file ('tariffs/comed-il-large-load.json') or flat_usd_per_kwh (0.075), not both"),
    ({"flat_usd_per_kwh": 0.075}, "tariff: a flat tariff needs source: where flat_usd_per_kwh"),
    ({"flat_usd_per_kwh": 0.075, "source": " "}, "tariff: a flat tariff needs source"),
    ({**FLAT, "flat_usd_per_kwh": 7.5},
     "tariff.flat_usd_per_kwh: energy rate 7.5 $/kWh is above 2 $/kWh, more than any retail tariff charges; "
     "allowed: 0 to 2 $/kWh. In cents per kWh divide by 100 (0.075 $/kWh); in $/MWh divide by 1000 (0.0075 $/kWh)"),
    ({**FLAT, "flat_usd_per_kwh": -0.01}, "tariff.flat_usd_per_kwh: "),
    ({**FLAT, "demand_usd_per_kw": -1}, "tariff.demand_usd_per_kw: "),
    # 13,000: 13 $/kW-month typed in $/MW-month; the bound is over 3x APS E-32 L's 29.422 $/kW-month
    # (and says so: 13000 / 1000 = 13 $/kW-month, as the energy rate's error says cents and $/MWh)
    ({**FLAT, "demand_usd_per_kw": 13000.0}, "tariff.demand_usd_per_kw: Input should be less than or equal to 100, "
     "got 13000.0 (looks like USD per MW-month: divide by 1000, 13 $/kW-month)"),
    # a contract floor with no demand charge to floor changed nothing (it was accepted and ignored)
    ({"flat_usd_per_kwh": 0.075, "source": "s", "contract_demand_kw": 5000.0},
     "tariff: contract_demand_kw (5000) floors the billing demand, but this flat tariff has no demand charge"),
    ({**FLAT, "label": "GSLD-1"}, "tariff: label ('GSLD-1') picks an item of a URDB file; a flat tariff has no file"),
    ({"file": "tariffs/comed-il-large-load.json", "source": "x", "fixed_usd_per_month": 5},
     "tariff: fixed_usd_per_month, source belong to the flat form (flat_usd_per_kwh), not to a tariff file"),
    ({**FLAT, "flat_usd_per_kwh": "0.075"}, "tariff.flat_usd_per_kwh: "),
])
def test_bad_flat_tariffs_are_refused_naming_the_field(tmp_path, tariff, message):
    with pytest.raises(SiteError) as ei:
        load_site(_chicago(tmp_path, tariff))
    lines = ei.value.all_lines()
    assert any(message in line for line in lines), lines


def test_a_file_tariff_is_unchanged():
    """The file form reads as before: the bundled site's URDB tariff, no flat keys."""
    site = load_site("chicago-il")
    assert site.tariff.file == "tariffs/comed-il-large-load.json" and not site.tariff.is_flat
    assert site.tariff.flat_usd_per_kwh is None and site.tariff.source is None
    assert pipeline.site_tariff(site).name != "flat"


def test_a_flat_tariff_site_validates_and_takes_a_tariff_file_override(tmp_path):
    """tariff_path raised TypeError on a flat tariff (validate said 'could not be checked', render's
    fingerprint crashed); the site_analysis tariff_file parameter (an override of tariff.file)
    gave 'not both'. A file override replaces the flat form, and a flat override the file."""
    from dcplan import validate as V
    from dcplan.sweep_overrides import apply_overrides
    f = _chicago(tmp_path, dict(FLAT))
    site = load_site(f)
    assert site.tariff_path is None
    assert [p.line() for p in V.validate_file(f)] == []
    tfile = load_site(DATA / "sites" / "chicago-il.yaml").tariff_path
    urdb = apply_overrides(site, {"tariff.file": str(tfile)})
    assert urdb.tariff.file == str(tfile) and urdb.tariff.flat_usd_per_kwh is None and urdb.tariff.source is None
    flat = apply_overrides(urdb, {"tariff.flat_usd_per_kwh": 0.05, "tariff.source": "a planner's figure"})
    assert flat.tariff.file is None and flat.tariff.flat_usd_per_kwh == 0.05 and flat.tariff_path is None


def test_the_flat_tariff_file_data_tariffs_readme_gives_bills_as_the_site_flat_form():
    """``dcplan bill --tariff`` takes a file only: data/tariffs/README.md ("A site's flat tariff as a file") gives
    the flat form's rates as a URDB item. Its JSON block, billed on one January of 1,000 kW (744 hours), by hand:
    energy 744,000 kWh x 0.085 = 63,240; demand 1,000 kW x 12 = 12,000; fixed 500: 75,740 USD; and on a load that
    varies, to the cent what ``Tariff.flat`` (the site's flat form, dcplan.pipeline.site_tariff) bills."""
    import json
    import re

    import numpy as np
    text = (DATA / "tariffs" / "README.md").read_text()
    block = re.search(r"## A site's flat tariff as a file\n.*?```json\n(.*?)```", text, re.S).group(1)
    urdb = Tariff.from_urdb(json.loads(block))
    jan = pd.Series(1000.0, index=pd.date_range("2025-01-01 01:00", periods=744, freq="h", tz="America/New_York"))
    assert urdb.bill(jan).total_usd == pytest.approx(744_000 * 0.085 + 1000 * 12.0 + 500, abs=0.005)
    rng = np.random.default_rng(0)
    year = pd.Series(5000.0 + 1000.0 * rng.random(8760),
                     index=pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="America/New_York"))
    flat = Tariff.flat(0.085, demand_usd_per_kw=12.0, fixed_usd_per_month=500.0)
    assert urdb.bill(year).total_usd == pytest.approx(flat.bill(year).total_usd, abs=0.005)
