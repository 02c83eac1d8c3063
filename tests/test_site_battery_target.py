"""``battery.target: demand`` on a tariff that bills demand in some hours only is warned (storage audit).

On Phoenix (APS E-32 TOU L, on-peak demand only), 2 MW / 4 MWh: target demand's year-1 saving was
160,626 USD and the battery "costs more than it saves" (-27,655 USD a year net), target bill's 268,379 USD,
+80,099 USD a year net; only docs/site-format.md's ``target`` row said to use bill for TOU demand charges.
"""
from __future__ import annotations

import pytest

from conftest import bundled_site_copy

from dcplan.cli import main
from dcplan.errors import DcplanWarning
from dcplan.site import load_site
from dcplan.site_battery_target import battery_target_warnings, hourly_demand_rates_differ
from dcplan.tariff import Tariff


def test_which_demand_charges_differ_between_hours():
    base = Tariff.flat(0.10)
    assert not hourly_demand_rates_differ(base)                                            # no demand charge
    assert not hourly_demand_rates_differ(Tariff.flat(0.10, demand_usd_per_kw=10.0))      # all hours alike
    assert hourly_demand_rates_differ(base.with_demand_charge(10.0, hours=range(15, 20)))  # on-peak only
    # a TOU period covering every hour of every day bills all hours alike
    assert not hourly_demand_rates_differ(base.with_demand_charge(10.0, hours=range(24)))
    # an all-hours charge plus an on-peak adder: the on-peak hours cost more
    both = Tariff.flat(0.10, demand_usd_per_kw=5.0).with_demand_charge(3.0, hours=range(15, 20))
    assert hourly_demand_rates_differ(both)


def _phoenix(tmp_path, target):
    return bundled_site_copy(tmp_path, "phoenix-az", f"phx-{target}",
                             interconnection={"battery": {"power_mw": 2, "energy_mwh": 4, "target": target}})


def test_phoenix_with_target_demand_is_warned_and_target_bill_is_not(tmp_path):
    p = _phoenix(tmp_path, "demand")
    (w,) = battery_target_warnings(load_site(p))
    assert w.startswith(f"{p}: interconnection.battery.target: demand shaves each month's all-hours peak, while "
                        "tariff.file ") and "aps-az-e32-tou-l.json bills demand at different rates" in w
    assert "allowed: target: bill" in w
    assert battery_target_warnings(load_site(_phoenix(tmp_path, "bill"))) == []
    assert battery_target_warnings(load_site(_phoenix(tmp_path, "contract"))) == []


def test_chicagos_all_hours_demand_charge_is_not_warned(tmp_path):
    # ComEd's demand charge counts every hour: shaving the all-hours peak is what it bills
    p = bundled_site_copy(tmp_path, "chicago-il", "chi-demand",
                          interconnection={"battery": {"power_mw": 2, "energy_mwh": 4, "target": "demand"}})
    assert battery_target_warnings(load_site(p)) == []


def test_validate_warns_it(tmp_path):
    p = _phoenix(tmp_path, "demand")
    with pytest.warns(DcplanWarning, match="interconnection.battery.target: demand shaves"):
        assert main(["validate", str(p)]) == 0
