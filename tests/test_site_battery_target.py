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
    # its figures are the bundled Phoenix site's, said so (a sweep case with another battery read them as its own),
    # and the ones tests/test_battery_bill.py::test_phoenix_bill_target_beats_demand_target measures (2026-12)
    assert "(for example, the bundled Phoenix site on APS E-32 TOU L with a 2 MW / 4 MWh battery, not this " in w
    assert "site's: 159,004 against 266,700 USD a year" in w
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


def test_a_tariff_target_bill_cannot_price_is_not_sent_to_target_bill(tmp_path):
    """A planner's own tariff with TOU demand and energy tiers (a new-site audit): the warning on target: demand said
    "allowed: target: bill", and target: bill is then refused for the tiers ("Use target: demand"): each message sent
    the planner to the other. The warning now names the feature target: bill cannot price and keeps target: demand."""
    import json

    from dcplan.battery_bill import unpriced_feature
    from dcplan.tariff_site import battery_bill_problems
    from conftest import DATA
    t = json.loads((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())
    # period 0 (summer off-peak, 0.06334 $/kWh): its first 1,000,000 kWh of a month at that rate, then 0.055
    t["energyratestructure"][0] = [{"max": 1000000, "rate": 0.06334, "unit": "kWh"}, {"rate": 0.055, "unit": "kWh"}]
    tiered = tmp_path / "aps-tiered.json"
    tiered.write_text(json.dumps(t))
    p = bundled_site_copy(tmp_path, "phoenix-az", "phx-tiers", tariff={"file": str(tiered)},
                          interconnection={"battery": {"power_mw": 2, "energy_mwh": 4, "target": "demand"}})
    (w,) = battery_target_warnings(load_site(p))
    assert "bills demand at different rates in different hours" in w  # still warned: the demand charge is TOU
    assert "allowed: target: bill (the least bill under" not in w
    assert ("target: bill (the least bill) cannot price this tariff's energy tiers (energyratestructure tiers of "
            "different rates) exactly and is refused for it, so keep target: demand") in w
    # and target: bill is indeed refused for the same feature (the two messages agree)
    b = bundled_site_copy(tmp_path, "phoenix-az", "phx-tiers-bill", tariff={"file": str(tiered)},
                          interconnection={"battery": {"power_mw": 2, "energy_mwh": 4, "target": "bill"}})
    ((field, detail),) = battery_bill_problems(load_site(b))
    assert field == "interconnection.battery.target" and "cannot price the energy tiers" in detail
    # the bundled tariff itself has one tier a period: target: bill prices it, and the warning says so
    assert unpriced_feature(Tariff.from_urdb(DATA / "tariffs" / "aps-az-e32-tou-l.json")) is None
    assert unpriced_feature(Tariff.from_urdb(tiered)) == "energy tiers (energyratestructure tiers of different rates)"
