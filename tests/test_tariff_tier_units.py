"""Energy tiers per unit of peak demand (kWh/kW, kWh/hp, kWh/kVA), daily demand units, and the URDB fields
that say a rate does not apply or adds charges dcplan does not bill (dcplan.tariff_tier_units,
dcplan.tariff_applicability): from a utility-rate audit of the URDB reader."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.tariff import Tariff
from dcplan.tariff_lint import item_warnings

NY = "America/New_York"
SCHED0 = [[0] * 24 for _ in range(12)]


def _item(**extra):
    return {"label": "t", "energyratestructure": [[{"rate": 0.10}]], "energyweekdayschedule": SCHED0,
            "energyweekendschedule": SCHED0, **extra}


def _tiers(unit, mx=200):
    return _item(energyratestructure=[[{"max": mx, "rate": 0.08, "unit": unit}, {"rate": 0.05, "unit": unit}]],
                 energyweekdayschedule=copy.deepcopy(SCHED0), energyweekendschedule=copy.deepcopy(SCHED0))


def _year(kw=1000.0):
    idx = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz=NY)
    return pd.Series(kw, index=idx)


# ---------------------------------------------------------------- kWh/kW and kWh/hp: billed x the month's peak
@pytest.mark.slow
@pytest.mark.parametrize("unit, mx", [("kWh/kW", 200.0), ("kWh/kW daily", 8.0), ("kWh/hp", 200.0),
                                      ("kWh/hp daily", 8.0)])
def test_per_peak_energy_tiers_match_sam(unit, mx):
    # SAM Utilityrate5 bills kWh/kW (ur_ec_tou_mat unit 1) and kWh/kW daily (unit 3) tiers x the month's
    # peak kW; a kWh/hp max M is M / 0.745699872 kWh/kW (1 hp = 745.6999 W, NIST SP 811), which SAM is given.
    # Tolerance: to the cent per month, as tests/test_tariff_sam.py (float summation order only).
    sam_mod = pytest.importorskip("test_tariff_sam")
    u = _tiers(unit, mx)
    sam = copy.deepcopy(u)
    if "hp" in unit:
        for tr in sam["energyratestructure"][0]:
            tr["unit"] = unit.replace("hp", "kW")
        sam["energyratestructure"][0][0]["max"] = mx / 0.745699872
    load = sam_mod.load_2018(3)
    o = sam_mod.sam_bill(sam, load.to_numpy())
    b = Tariff.from_urdb(copy.deepcopy(u)).bill(load)
    assert b.monthly["energy_usd"].to_numpy() == pytest.approx(o["charge_wo_sys_ec_ym"][1], abs=sam_mod.CENT)


def test_kwh_per_hp_tier_by_hand():
    # a flat 1,000 kW load: January's peak is 1,000 kW = 1,341.02 hp; 200 kWh/hp holds 200 x 1000 / 0.745699872
    # = 268,204.5 kWh at 0.08, the rest of January's 744 h x 1,000 kW at 0.05; rel 1e-12: float rounding only
    b = Tariff.from_urdb(_tiers("kWh/hp")).bill(_year())
    bound = 200.0 * 1000.0 / 0.745699872
    jan = 0.08 * bound + 0.05 * (744_000.0 - bound)
    assert b.monthly["energy_usd"].iloc[0] == pytest.approx(jan, rel=1e-12)


# ---------------------------------------------------------------- kWh/kVA: refused, no wrong fix offered
def test_kwh_per_kva_is_refused_with_the_power_factor_conversion():
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(_tiers("kWh/kVA"))
    msg = str(ei.value)
    assert msg.startswith("energyratestructure[0][0].unit: tier unit 'kWh/kVA' is not supported")
    # 200 / 0.95 = 210.5, 200 / 0.9 = 222.2 kWh/kW
    assert "200 kWh/kW at PF 1, 210.5 at PF 0.95, 222.2 at PF 0.9" in msg
    assert "ignore=" not in msg and "--ignore" not in msg and "to bill it as" not in msg


def test_kwh_per_kva_ignored_is_never_called_a_power_factor_error():
    t = Tariff.from_urdb(_tiers("kWh/kVA"), ignore=["energyratestructure.unit"])
    notes = t.bill(_year()).notes
    assert notes[0] == ("energyratestructure[0][0].unit 'kWh/kVA' ignored (ignore=): tier billed as kWh, its max 200 "
                        "as kWh a month, not x the month's peak demand: this tier's bill is wrong")
    assert not any("power factor" in n for n in notes)


def test_kwh_per_day_gets_did_you_mean_daily():
    with pytest.raises(InputError, match=r"tier unit 'kWh/day' is not supported; allowed: .*; did you mean "
                                         r"'kWh daily'\?") as ei:
        Tariff.from_urdb(_tiers("kWh/day"))
    assert "ignore=" not in str(ei.value)


# ---------------------------------------------------------------- daily demand units
@pytest.mark.parametrize("field", ["demandunits", "flatdemandunit"])
@pytest.mark.parametrize("value", ["kW daily", "hp daily", "kVA daily"])
def test_daily_demand_unit_is_refused_without_an_ignore_hint(field, value):
    item = _item(flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12, **{field: value})
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(item)
    msg = str(ei.value)
    assert msg.startswith(f"{field}: demand unit {value!r} is not supported (allowed: kW): a daily demand charge")
    assert "about 30 x" in msg and "ignore=" not in msg and "--ignore" not in msg
    note = Tariff.from_urdb(item, ignore=[field]).metadata["ignored"][0]
    assert "daily demand charge billed once a month" in note
    assert "power factor" not in note and "billed on kW" not in note


# ---------------------------------------------------------------- fields that say more than the bill does
ATTRS = dict(fixedattrs=[{"Facilities Charge ($/kW of contract demand)": 2.5}],
             energyattrs=[{"Public purpose surcharge": "0.012 $/kWh"}], demandattrs=[])


def test_attrs_are_said_in_every_bill_and_by_validate():
    b = Tariff.from_urdb(_item(**ATTRS)).bill(_year())
    assert b.energy_usd == pytest.approx(0.10 * 1000.0 * 8760)  # nothing billed for them (8,760 h x 1,000 kW)
    assert [n.split(" (")[0] for n in b.notes] == ["fixedattrs", "energyattrs"]  # the empty demandattrs: nothing
    assert "'Public purpose surcharge': '0.012 $/kWh'" in b.notes[1] and "not billed" in b.notes[1]
    w = item_warnings(_item(**ATTRS), "x.json")
    assert len(w) == 2 and w[0].startswith("x.json: fixedattrs (")


def test_load_outside_the_rate_demand_range_is_said():
    # a flat 1,000 kW load: above a 200 kW maximum, below a 5,000 kW minimum
    notes = Tariff.from_urdb(_item(peakkwcapacitymax=200)).bill(_year()).notes
    assert notes == ("peakkwcapacitymax 200 kW: the load's peak, 1,000 kW, is above it, so this rate does not apply "
                     "to the load (the utility would put it on a larger customers' rate)",)
    notes = Tariff.from_urdb(_item(peakkwcapacitymin=5000, peakkwcapacitymax=0)).bill(_year()).notes
    assert len(notes) == 1 and notes[0].startswith("peakkwcapacitymin 5,000 kW: the load's peak, 1,000 kW, is below")
    assert Tariff.from_urdb(_item(peakkwcapacitymin=500, peakkwcapacitymax=2000)).bill(_year()).notes == ()


def test_rate_ended_before_the_billed_period_is_said():
    # 1420070400 s = 2015-01-01 00:00 UTC; the load starts in January 2025
    notes = Tariff.from_urdb(_item(enddate=1420070400)).bill(_year()).notes
    assert notes == ("enddate 1420070400 (2015-01-01): the rate had ended before the billed period (from "
                     "2025-01-01); its prices may be out of date: check the utility's current rate",)
    assert Tariff.from_urdb(_item(enddate="2030-01-01")).bill(_year()).notes == ()
