"""Demand rates above the site format's cap (100 $/kW-month) are refused as $/MW-month.

A tester's URDB file with ``demandratestructure`` rate 12500 and flat demand 6000 (both
$/MW-month) billed 710 M$ on a 4 MW load and ``dcplan validate`` said ok, while energy rates
above 2 $/kWh were refused and the site format caps ``demand_usd_per_kw`` at 100.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dcplan import tariff_checks
from dcplan import validate as V
from dcplan.errors import InputError
from dcplan.paths import data_path
from dcplan.specs import tariff as spec_tariff
from dcplan.tariff import Tariff

ZERO = [[0] * 24 for _ in range(12)]


def _item(**extra):
    return {"label": "t", "energyratestructure": [[{"rate": 0.05}]],
            "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO, **extra}


def _tou_demand(rate, adj=0.0):
    return _item(demandratestructure=[[{"rate": 0.0}], [{"rate": rate, "adj": adj}]],
                 demandweekdayschedule=[[1] * 24] * 12, demandweekendschedule=ZERO)


def test_the_cap_is_the_site_formats_constant(monkeypatch):
    # one cap for both forms: the site format's MAX_DEMAND_USD_PER_KW_MONTH (100), read at each check
    assert tariff_checks.max_demand_usd_per_kw_month() == spec_tariff.MAX_DEMAND_USD_PER_KW_MONTH == 100.0
    monkeypatch.setattr(spec_tariff, "MAX_DEMAND_USD_PER_KW_MONTH", 50.0)
    with pytest.raises(InputError, match=r"demand rate 60 \$/kW-month is above 50 \$/kW-month"):
        Tariff.from_urdb(_tou_demand(60.0))


def test_tou_demand_in_mw_month_is_refused_naming_file_field_value_and_hint(tmp_path):
    f = tmp_path / "demand_mw.json"
    f.write_text(json.dumps(_tou_demand(12500.0)))
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(f)
    e = ei.value
    assert Path(e.file).name == "demand_mw.json" and e.field == "demandratestructure[1][0].rate"
    # hand: 12500 / 1000 = 12.5 $/kW-month
    assert e.detail == ("demand rate 12500 $/kW-month is above 100 $/kW-month, more than any tariff charges; "
                        "allowed: 0 to 100 $/kW-month (more is $/MW-month: divide by 1000, 12.5 $/kW-month)")
    # dcplan validate says the same on the same field, instead of "ok"
    (p,) = V.validate_file(f)
    assert p.field == "demandratestructure[1][0].rate" and p.message == e.detail


def test_flat_and_coincident_demand_and_rate_plus_adj_are_capped(tmp_path):
    flat = _item(flatdemandstructure=[[{"rate": 6000.0}]], flatdemandmonths=[0] * 12)
    with pytest.raises(InputError, match=r"flatdemandstructure\[0\]\[0\]\.rate: demand rate 6000 .*"
                                         r"divide by 1000, 6 \$/kW-month"):
        Tariff.from_urdb(flat)
    cp = _item(coincidentratestructure=[[{"rate": 250.0}]], coincidentrateschedule=ZERO)
    with pytest.raises(InputError, match=r"coincidentratestructure\[0\]\[0\]\.rate: demand rate 250 "):
        Tariff.from_urdb(cp)
    # rate + adj is the price: 90 + 20 = 110 > 100
    with pytest.raises(InputError, match=r"demandratestructure\[1\]\[0\]\.rate: rate \+ adj: demand rate 110 "):
        Tariff.from_urdb(_tou_demand(90.0, adj=20.0))
    # the cap itself is allowed (the site format's le=100); 100.5 is not
    assert Tariff.from_urdb(_tou_demand(100.0)).demand_rate.max() == 100.0
    with pytest.raises(InputError, match="demand rate 100.5 "):
        Tariff.from_urdb(_tou_demand(100.5))


def test_the_constructor_refuses_them_too():
    with pytest.raises(InputError, match=r"^flat_rate: period 1, tier 0: demand rate 13000 \$/kW-month"):
        Tariff.flat(0.05, demand_usd_per_kw=13000.0)
    with pytest.raises(InputError, match=r"^demand_rate: period 1, tier 0: demand rate 150 "):
        Tariff.flat(0.05).with_demand_charge(150.0, hours=[14, 15])
    with pytest.raises(InputError, match=r"^fourcp_usd_per_kw_month: demand rate 5000 "):
        Tariff.flat(0.05).with_4cp(5000.0, [], prior_kw=0.0)
    assert Tariff.flat(0.05, demand_usd_per_kw=29.422).flat_rate[1, 0] == 29.422  # APS E-32 L's, the highest


@pytest.mark.parametrize("name", ["aps-az-e32-tou-l.json", "comed-il-large-load.json",
                                  "dominion-va-gs3.json", "duke-nc-opt-tou.json", "rtp-example.json"])
def test_bundled_tariffs_still_load(name):
    f = data_path("tariffs", name)
    t = Tariff.from_urdb(f)
    assert V.validate_file(f) == []
    rates = [r for r in (t.demand_rate, t.flat_rate, t.coincident_rate) if r is not None]
    assert all(np.max(r) <= 100.0 for r in rates)


def test_a_rate_up_to_twelve_times_the_cap_is_hinted_as_per_kw_year():
    """A tester's 150 was told "divide by 1000, 0.15 $/kW-month": 150 $/kW-year is the likelier slip
    (hand: 150 / 12 = 12.5 $/kW-month); beyond 12 x 100 the $/MW-month hint stays."""
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(_tou_demand(150.0))
    assert ei.value.detail.endswith("(a $/kW-year rate? divide by 12, 12.5 $/kW-month)")
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(_tou_demand(1500.0))
    assert ei.value.detail.endswith("(more is $/MW-month: divide by 1000, 1.5 $/kW-month)")
