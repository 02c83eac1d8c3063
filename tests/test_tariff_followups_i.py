"""Follow-ups of a utility-rate audit of the URDB reader: units that are a scale of kWh or kW (MWh, MW, hp)
refused with the conversion and no ``ignore`` fix, ``dcplan bill`` saying each fact about a rate item
once, the export-credit warning pointing at the caller's line, the notes on minimum charges and TOU
ratchets, and no coincident rate in months the charge does not price (dcplan.tariff_tier_units,
dcplan.tariff_applicability, dcplan.tariff_ratchet, dcplan.tariff_coincident)."""
from __future__ import annotations

import argparse
import json
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan.errors import DcplanWarning, InputError
from dcplan.tariff import Tariff

from test_tariff_review_fixes import _load_csv  # noqa: E402  (the same load CSV writer)
from test_tariff_tier_units import NY, SCHED0, _item  # noqa: E402,F401  (the same minimal rate item)


def _tiers(unit, mx=200):
    return _item(energyratestructure=[[{"max": mx, "rate": 0.08, "unit": unit}, {"rate": 0.05, "unit": unit}]])


def _year(kw=1000.0):
    idx = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz=NY)
    return pd.Series(kw, index=idx)


def _no_ignore_fix(msg: str) -> None:
    assert "ignore=" not in msg and "--ignore" not in msg and "to bill it as" not in msg


# ---------------------------------------------------------------- 1. MWh, Wh, kWh/MW; MW, hp
@pytest.mark.parametrize("unit, to, said", [
    # 1 MWh = 1,000 kWh, 1 Wh = 0.001 kWh; 200 kWh per MW of peak = 0.2 kWh per kW (SI prefixes)
    ("MWh", "kWh", "1,000 x 'kWh': write the tiers with unit 'kWh' and each max x 1,000; max 200 MWh = 200,000 kWh"),
    ("Wh", "kWh", "0.001 x 'kWh': write the tiers with unit 'kWh' and each max x 0.001; max 200 Wh = 0.2 kWh"),
    ("MWh daily", "kWh daily", "1,000 x 'kWh daily'"),
    ("kWh/MW", "kWh/kW", "0.001 x 'kWh/kW': write the tiers with unit 'kWh/kW' and each max x 0.001; max 200 kWh/MW "
                         "= 0.2 kWh/kW"),
])
def test_a_scaled_energy_unit_is_refused_with_its_conversion(unit, to, said):
    # URDB's tier units are kWh, kWh daily, kWh/kW, kWh/kVA, kWh/hp, kWh/kW daily (API v8): none is scaled
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(_tiers(unit))
    msg = str(ei.value)
    assert msg.startswith(f"energyratestructure[0][0].unit: tier unit {unit!r} is not supported")
    assert said in msg and "Do not leave the unit out" in msg
    _no_ignore_fix(msg)


def test_an_ignored_mwh_tier_says_its_bound_is_1000_x_too_small():
    t = Tariff.from_urdb(_tiers("MWh"), ignore=["energyratestructure.unit"])
    b = t.bill(_year())
    # the bound is billed as 200 kWh (not 200,000): January's 744,000 kWh: 200 at 0.08, the rest at 0.05
    assert b.monthly["energy_usd"].iloc[0] == pytest.approx(0.08 * 200 + 0.05 * (744_000 - 200), rel=1e-12)
    assert b.notes[0] == ("energyratestructure[0][0].unit 'MWh' ignored (ignore=): tier billed as kWh, its max 200 as "
                          "kWh: MWh is 1,000 x kWh, so this bound is 1,000 x too small: this tier's bill is wrong")


@pytest.mark.parametrize("field", ["demandunits", "flatdemandunit"])
def test_mw_demand_unit_is_refused_with_its_conversion(field):
    item = _item(flatdemandstructure=[[{"rate": 50.0}]], flatdemandmonths=[0] * 12, **{field: "MW"})
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(item)
    msg = str(ei.value)
    assert msg.startswith(f"{field}: demand unit 'MW' is not supported (only kW): 'MW' is no URDB demand unit")
    assert "each rate per MW / 1,000 for $/kW" in msg and "a charge 1,000 x too large" in msg
    _no_ignore_fix(msg)
    note = Tariff.from_urdb(item, ignore=[field]).metadata["ignored"][0]
    assert note == (f"{field} 'MW' ignored (ignore=): demand billed as kW: a rate per MW billed per kW is a charge "
                    "1,000 x too large, and a max in MW a bound 1,000 x too small")


def test_hp_demand_unit_is_refused_with_the_exact_factor():
    # 1 hp = 745.6999 W (NIST SP 811): a charge per hp billed per kW is 1 - 0.745699872 = 25.4 % too small
    item = _item(flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12, demandunits="hp")
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(item)
    msg = str(ei.value)
    assert "1 hp = 0.745699872 kW (NIST SP 811)" in msg and "a charge 25.4 % too small" in msg
    _no_ignore_fix(msg)
    assert "power factor" not in Tariff.from_urdb(item, ignore=["demandunits"]).metadata["ignored"][0]


def test_mw_demand_tier_unit_is_refused():
    item = _item(flatdemandstructure=[[{"rate": 5.0, "max": 10, "unit": "MW"}, {"rate": 4.0, "unit": "MW"}]],
                 flatdemandmonths=[0] * 12)
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(item)
    assert "max 10 MW = 10,000 kW" in str(ei.value)
    _no_ignore_fix(str(ei.value))


# ---------------------------------------------------------------- 2. dcplan bill says each fact once
ATTRS = dict(fixedattrs=[{"Facilities Charge ($/kW of contract demand)": 2.5}],
             energyattrs=[{"Public purpose surcharge": "0.012 $/kWh"}], peakkwcapacitymax=200, enddate=1420070400)


def _bill_args(**kw):
    a = argparse.Namespace(tariff=None, load=None, interval=None, tz=NY, column=None, stamps=None, label=None,
                           holidays=None, fill=None, ignore=(), coincident_peaks=None, coincident_interval=None,
                           prior_peaks_kw=None)
    for k, v in kw.items():
        setattr(a, k, v)
    return a


def test_cli_bill_says_attrs_demand_range_and_enddate_once(tmp_path, capsys):
    from dcplan.cli_bill import run
    tf = tmp_path / "attrs.json"
    tf.write_text(json.dumps(_item(**ATTRS)))
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        assert run(_bill_args(tariff=str(tf), load=_load_csv(tmp_path, _year()))) == 0
    out = capsys.readouterr().out
    said = out + "\n".join(str(w.message) for w in got)
    for fact in ("fixedattrs (", "energyattrs (", "peakkwcapacitymax 200 kW", "enddate 1420070400 (2015-01-01)"):
        assert said.count(fact) == 1, fact
    lines = out.splitlines()
    assert lines[1].startswith("Note:   fixedattrs ('Facilities Charge ($/kW of contract demand)': 2.5) not billed")
    assert any(ln.startswith("Note:   peakkwcapacitymax 200 kW: the load's peak, 1,000 kW, is above it")
               for ln in lines)
    assert not any(ln.startswith("Ignored:") for ln in lines)  # nothing was left out with --ignore


def test_validate_still_warns_of_attrs():
    from dcplan.tariff_lint import item_warnings
    # the two attrs, and the enddate (a superseded rate: tests/test_tariff_applicability.py), which dcplan bill
    # also warns of (its bill notes say it only when the rate ended before the billed period)
    assert len(item_warnings(_item(**ATTRS), "x.json")) == 3
    left = item_warnings(_item(**ATTRS), "x.json", attrs=False)
    assert len(left) == 1 and left[0].startswith("x.json: enddate: 1420070400: the rate was superseded")


# ---------------------------------------------------------------- 3. the export-credit warning's line
def test_export_credit_warning_points_at_the_callers_line():
    with pytest.warns(DcplanWarning, match="credits energy exported") as rec:
        line = sys._getframe().f_lineno + 1
        Tariff.from_urdb(_item(usenetmetering=True))
    (w,) = [w for w in rec if issubclass(w.category, DcplanWarning)]
    assert (w.filename, w.lineno) == (__file__, line)


# ---------------------------------------------------------------- 4. notes
def test_mincharge_without_units_is_said_as_monthly():
    b = Tariff.from_urdb(_item(mincharge=100_000)).bill(_year())
    # January: 744,000 kWh x 0.10 = 74,400 USD, topped up to the 100,000 $/month minimum
    assert b.monthly["minimum_usd"].iloc[0] == pytest.approx(25_600.0, abs=1e-6)
    assert b.notes == ("mincharge 100,000.00 without minchargeunits: read as $/month (URDB gives both; set "
                       "minchargeunits to \"$/day\" or \"$/year\" if the minimum is per day or year)",)
    assert Tariff.from_urdb(_item(mincharge=100_000, minchargeunits="$/month")).bill(_year()).notes == ()


def test_tou_ratchet_note_says_each_period_ratchets_on_its_own():
    wd = [[1 if 12 <= h < 20 else 0 for h in range(24)] for _ in range(12)]
    item = _item(demandratestructure=[[{"rate": 3.0}], [{"rate": 12.0}]], demandweekdayschedule=wd,
                 demandweekendschedule=SCHED0, lookbackPercent=0.8, lookbackRange=11)
    t = Tariff.from_urdb(item)
    for prior in (None, [0.0] * 12):  # also with the prior peaks given
        (note,) = [n for n in t.bill(_year(), prior_peaks_kw=prior).notes if n.startswith("demand ratchet")]
        assert "each TOU period ratchets on its own history" in note and "SAM's Utilityrate5" in note
    flat = _item(flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12, lookbackPercent=0.8,
                 lookbackRange=11)
    assert not any("own history" in n for n in Tariff.from_urdb(flat).bill(_year()).notes)


# ---------------------------------------------------------------- 5. coincident: no rate where not priced
def test_coincident_breakdown_has_no_rate_in_months_the_charge_does_not_price():
    summer = [[1 if 5 <= m <= 8 else 0] * 24 for m in range(12)]  # period 1 (20 $/kW) in June-September
    t = Tariff.from_urdb(_item(coincidentratestructure=[[{"rate": 0.0}], [{"rate": 20.0}]],
                               coincidentrateschedule=summer))
    b = t.bill(_year(), coincident_peaks=["2025-07-15T17:00-04:00"])
    br = b.breakdown
    cp = br[br.charge == "coincident_demand"].set_index("month")
    assert cp.loc["2025-07", "cost_usd"] == pytest.approx(20.0 * 1000.0)  # 1,000 kW x 20 $/kW
    assert (cp.loc[["2025-06", "2025-07", "2025-08", "2025-09"], "rate_usd_per_unit"] == 20.0).all()
    off = cp.drop(["2025-06", "2025-07", "2025-08", "2025-09"])
    assert len(off) == 8 and off["rate_usd_per_unit"].isna().all()
    assert (off["cost_usd"] == 0.0).all() and np.isfinite(br["cost_usd"]).all()
    assert br["cost_usd"].sum() == pytest.approx(b.total_usd, rel=1e-12)


@pytest.mark.parametrize("structure", ["flatdemandstructure", "demandratestructure"])
def test_a_daily_demand_tier_is_refused_without_an_ignore_hint_and_its_ignore_note_says_30x(tmp_path, structure):
    """A demand tier in 'kW daily' (a charge on each day's peak) was offered "to bill it as kW: ignore=..." and,
    ignored, noted only "tier billed as kW": one monthly peak for some 30 daily ones. Refused as the daily
    demand-unit fields are (no hint); ignored anyway, its note says the charge is understated about 30 x."""
    import copy
    import json

    from dcplan.errors import InputError
    from dcplan.tariff import Tariff
    item = {"name": "daily demand tier", "utility": "x", "startdate": 1704067200,
            "energyratestructure": [[{"rate": 0.05}]], "energyweekdayschedule": [[0] * 24] * 12,
            "energyweekendschedule": [[0] * 24] * 12}
    if structure == "flatdemandstructure":
        item.update(flatdemandstructure=[[{"rate": 10.0, "unit": "kW daily"}]], flatdemandmonths=[0] * 12)
    else:
        item.update(demandratestructure=[[{"rate": 10.0, "unit": "kW daily"}]],
                    demandweekdayschedule=[[0] * 24] * 12, demandweekendschedule=[[0] * 24] * 12)
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"items": [copy.deepcopy(item)]}))
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(f)
    msg = str(ei.value)
    assert f"{structure}[0][0].unit" in msg and "understate the charge about 30 x" in msg and "ignore" not in msg
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = Tariff.from_urdb(f, ignore=[f"{structure}.unit"])
    assert any("understated about 30 x" in n for n in t.metadata["ignored"])
