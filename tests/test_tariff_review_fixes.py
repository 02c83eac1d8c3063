"""Black-box tariff review (fixer A): kWh/kW tiers, --ignore overrides said, a site's coincident
peaks and item label, ratchets billed as a steady-state year, the coincident-peak column of
``dcplan bill``, and validate's warnings on unused periods and closed last tiers."""
from __future__ import annotations

import argparse
import json
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import DATA, GREENSBORO_TMY3

from dcplan import validate as V
from dcplan.errors import DcplanWarning, InputError
from dcplan.tariff import Tariff

NY = "America/New_York"
SCHED0 = [[0] * 24 for _ in range(12)]


def _year(kw=1000.0):
    idx = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz=NY)
    return pd.Series(kw, index=idx)


def _item(**extra):
    return {"label": "t", "energyratestructure": [[{"rate": 0.10}]], "energyweekdayschedule": SCHED0,
            "energyweekendschedule": SCHED0, **extra}


# ---------------------------------------------------------------- 1. kWh/kVA tiers, --ignore said
# (kWh/kW tiers are billed since fix-tariff: tests/test_tariff_tier_units.py; kWh/kVA needs a power factor)
KWHKVA = _item(energyratestructure=[[{"rate": 0.12, "max": 200, "unit": "kWh/kVA"}, {"rate": 0.05, "unit": "kWh/kVA"}]])


def test_kwh_per_kva_tiers_cannot_be_billed_as_kwh():
    # 200 kWh/kVA at a 2,000 kVA peak is 400,000 kWh: billed as 200 kWh the bill is wrong, so the hint
    # must not offer --ignore "to bill it as kWh" (it did)
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(KWHKVA)
    msg = str(ei.value)
    assert msg.startswith("energyratestructure[0][0].unit: tier unit 'kWh/kVA' is not supported; allowed: kWh, "
                          "kWh daily, kWh/kW, kWh/kW daily, kWh/hp, kWh/hp daily. A 'kWh/kVA' tier's max is kWh per "
                          "kVA of the month's peak demand")
    assert "to bill it as" not in msg and "--ignore" not in msg and "ignore=" not in msg


def test_open_kwh_per_kw_tier_is_billed():
    item = _item(energyratestructure=[[{"rate": 0.07, "unit": "kWh/kW"}]])
    b = Tariff.from_urdb(item).bill(_year())
    assert b.energy_usd == pytest.approx(0.07 * 1000.0 * 8760)  # every hour at 0.07 $/kWh
    assert b.notes == ()


def test_ignored_fields_are_said_in_the_tariff_and_every_bill():
    t = Tariff.from_urdb(KWHKVA, ignore=["energyratestructure.unit"])
    first = ("energyratestructure[0][0].unit 'kWh/kVA' ignored (ignore=): tier billed as kWh, its max 200 as kWh a "
             "month, not x the month's peak demand: this tier's bill is wrong")
    assert t.metadata["ignored"][0] == first
    assert t.bill(_year()).notes[0] == first
    kva = _item(flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12, demandunits="kVA")
    b = Tariff.from_urdb(kva, ignore=["demandunits"]).bill(_year())
    assert b.demand_usd == pytest.approx(12 * 10.0 * 1000.0)
    # (then the demand-window caveat: an hourly load, a demand charge and no demandwindow; test_api_bill_notes.py)
    assert b.notes[:-1] == (
        "demandunits 'kVA' ignored (ignore=): demand billed as kW: a charge per kVA is billed on kW, "
        "which is below the kVA the utility meters unless the power factor is 1, so demand charges "
        "are understated",)
    assert Tariff.from_urdb(_item()).bill(_year()).notes == ()  # nothing ignored: nothing said


def _bill_args(**kw):
    a = argparse.Namespace(tariff=None, load=None, interval=None, tz=None, column=None, stamps=None, label=None,
                           holidays=None, fill=None, ignore=(), coincident_peaks=None, coincident_interval=None,
                           prior_peaks_kw=None)
    a.tz = NY  # the load's stamps change offset at daylight saving
    for k, v in kw.items():
        setattr(a, k, v)
    return a


def _load_csv(tmp_path, load):
    p = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": [t.isoformat() for t in load.index], "load_kw": load.to_numpy()}).to_csv(p, index=False)
    return str(p)


def test_cli_bill_header_lists_ignored_fields(tmp_path, capsys):
    from dcplan.cli_bill import run
    tf = tmp_path / "kva.json"
    tf.write_text(json.dumps(_item(flatdemandstructure=[[{"rate": 10.0}]], flatdemandmonths=[0] * 12,
                                   demandunits="kVA")))
    assert run(_bill_args(tariff=str(tf), load=_load_csv(tmp_path, _year()), ignore=["demandunits"])) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Tariff: t  (kva.json)")
    assert out[1] == ("Ignored: demandunits 'kVA' ignored (--ignore): demand billed as kW: a charge per kVA is billed "
                      "on kW, which is below the kVA the utility meters unless the power factor is 1, so demand "
                      "charges are understated")


# ---------------------------------------------------------------- 9. coincident column and legend
def test_cli_bill_shows_the_coincident_charge_in_its_own_column(tmp_path, capsys):
    from dcplan.cli_bill import run
    tf = tmp_path / "cp.json"
    tf.write_text(json.dumps(_item(coincidentratestructure=[[{"rate": 3.0}]], coincidentrateschedule=SCHED0)))
    load = _year()
    load[pd.Timestamp("2025-07-15 17:00", tz=NY)] = 4000.0  # the system-peak hour 16:00-17:00
    assert run(_bill_args(tariff=str(tf), load=_load_csv(tmp_path, load),
                          coincident_peaks=["2025-07-15T17:00-04:00"])) == 0
    out = capsys.readouterr().out
    head = next(ln for ln in out.splitlines() if "energy_kwh" in ln).split()
    table = [ln for ln in out.splitlines() if ln.startswith("2025-07")]
    assert head == ["energy_kwh", "peak_kw", "coincident_kw", "energy_usd", "demand_usd", "coincident_usd",
                    "fixed_usd", "minimum_usd", "total_usd"], head
    jul = dict(zip(head, table[-1].split()[1:]))
    assert jul["coincident_kw"] == "4,000.00" and jul["coincident_usd"] == "12,000.00"  # 4,000 kW x 3 $/kW
    assert jul["demand_usd"] == "12,000.00"
    assert ("Legend: coincident_kw = the load's mean kW over the 60min ending at each --coincident-peaks stamp, "
            "averaged over the month's stamps (coincidentratestructure); coincident_usd = that charge, 3 $/kW; "
            "included in demand_usd") in out


# ---------------------------------------------------------------- 5. ratchet as a steady-state year
RATCHET = _item(flatdemandstructure=[[{"rate": 8.0}], [{"rate": 12.0}]],
                flatdemandmonths=[0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0], demandratchetpercentage=[1.0] * 12)


def _july_spike():
    load = _year()
    load[pd.Timestamp("2025-07-15 17:00", tz=NY)] = 3000.0
    return load


def test_steady_state_ratchet_bills_the_repeating_year():
    # 100 % ratchet over the 11 months before: in a repeating year July's 3,000 kW sets every month
    # (the next year's Jan-Jun follow July): 8 months x 8 $/kW + 4 x 12 $/kW, x 3,000 kW = 336,000 USD;
    # with 0 kW before the load, Jan-Jun bill their own 1,000 kW: 5 x 8,000 + 12,000 + (36,000 x 3 + 24,000 x 3)
    t = Tariff.from_urdb(RATCHET)
    steady = t.bill(_july_spike(), prior_peaks_kw="steady_state")
    assert steady.demand_usd == pytest.approx(3000.0 * (8 * 8.0 + 4 * 12.0))
    assert (steady.monthly["billing_demand_kw"] == 3000.0).all()
    zero = t.bill(_july_spike())
    assert zero.demand_usd == pytest.approx(5 * 8000.0 + 12000.0 + 3 * 36000.0 + 3 * 24000.0)
    # (then the demand-window caveat: an hourly load, a demand charge and no demandwindow; test_api_bill_notes.py)
    assert zero.notes[:-1] == (
        "demand ratchet (the all-hours demand charge): the months before the load are taken as 0 "
        "kW peaks (no prior_peaks_kw), which understates the first 11 months' billing demand",)
    assert "billed as a steady-state year that repeats" in steady.notes[0]
    # the same as giving the year's own monthly peaks as the year before
    own = t.bill(_july_spike(), prior_peaks_kw=steady.monthly["peak_kw"].to_numpy())
    assert own.total_usd == pytest.approx(steady.total_usd)


def test_steady_state_tou_ratchet_uses_each_period_own_peaks():
    # TOU-only ratchet: period 1 (weekdays 14-19) at 10 $/kW; its July peak 3,000 kW ratchets every month;
    # period 0 (other hours, 0 $/kW) is never billed
    sched = [[1 if 14 <= h < 19 else 0 for h in range(24)] for _ in range(12)]
    t = Tariff.from_urdb(_item(demandratestructure=[[{"rate": 0.0}], [{"rate": 10.0}]],
                               demandweekdayschedule=sched, demandweekendschedule=SCHED0,
                               demandratchetpercentage=[1.0] * 12))
    b = t.bill(_july_spike(), prior_peaks_kw="steady_state")  # 15 Jul 2025 16:00 is a Tuesday, in period 1
    assert b.demand_usd == pytest.approx(12 * 10.0 * 3000.0)
    assert "each TOU demand period" in b.notes[0]


def test_steady_state_needs_a_whole_year():
    load = _year()["2025-03-01 01:00":"2025-09-01 00:00"]
    with pytest.raises(InputError, match=r"^prior_peaks_kw: prior_peaks_kw='steady_state' bills a repeating year: "
                                         r"it needs a load of 12 billing months, one of each calendar month; this "
                                         r"load has 6 \(2025-03 to 2025-08\)"):
        Tariff.from_urdb(RATCHET).bill(load, prior_peaks_kw="steady_state")


# ---------------------------------------------------------------- sites: label, coincident peaks, pipeline
def _site(tmp_path, tariff: dict, name="s.yaml"):
    site = yaml.safe_load((DATA / "sites" / "research-triangle-nc.yaml").read_text())
    site["weather"]["file"] = str(GREENSBORO_TMY3)
    site["tariff"] = tariff
    s = tmp_path / name
    s.write_text(yaml.safe_dump(site))
    return s


def _tariff_file(tmp_path, data, name="t.json"):
    f = tmp_path / name
    f.write_text(json.dumps(data))
    return str(f)


def test_validate_refuses_a_several_item_tariff_without_a_label(tmp_path):
    a, b = _item(), _item()
    a["label"], b["label"] = "flat-a", "flat-b"
    f = _tariff_file(tmp_path, {"items": [a, b]})
    s = _site(tmp_path, {"file": f})
    assert [p.line() for p in V.validate_file(s)] == [
        f"{s}: tariff.label: {f} holds 2 rate items and the site names none; add tariff.label, one of: flat-a, flat-b"]
    assert V.validate_file(_site(tmp_path, {"file": f, "label": "flat-b"}, "s2.yaml")) == []


CP = _item(coincidentratestructure=[[{"rate": 3.0}]], coincidentrateschedule=SCHED0)


def test_validate_refuses_a_coincident_tariff_without_site_peaks(tmp_path):
    f = _tariff_file(tmp_path, CP)
    s = _site(tmp_path, {"file": f})
    (p,) = V.validate_file(s)
    assert (p.file, p.field) == (str(s), "tariff.coincident_peaks")
    assert p.message.startswith(f"{f} has coincident-peak charges (coincidentratestructure)")
    assert 'add tariff.coincident_peaks: the local end times of the system-peak intervals in the weather year 2025, ' \
           'e.g. coincident_peaks: ["2025-07-21 17:00", "2025-08-12 16:00"]' in p.message
    bad = V.validate_file(_site(tmp_path, {"file": f, "coincident_peaks": ["2025-07-15 17:00", "2024-08-12 16:00"]},
                                "s2.yaml"))
    assert [(x.field, x.message[:72]) for x in bad] == [
        ("tariff.coincident_peaks[1]", "'2024-08-12 16:00' is not in the site's weather year 2025 (weather.year)")]
    worse = V.validate_file(_site(tmp_path, {"file": f, "coincident_peaks": ["July 15"]}, "s3.yaml"))
    assert len(worse) == 1 and worse[0].field == "tariff.coincident_peaks"
    assert "coincident_peaks[0] = 'July 15' is not a timestamp" in worse[0].message
    # peaks beside a tariff without coincident charges would change nothing
    other = V.validate_file(_site(tmp_path, {"file": _tariff_file(tmp_path, _item(), "o.json"),
                                             "coincident_peaks": ["2025-07-15 17:00"]}, "s4.yaml"))
    assert [x.field for x in other] == ["tariff.coincident_peaks"] and "would change nothing" in other[0].message


@pytest.mark.slow
def test_site_year_bills_coincident_peaks_and_a_steady_state_ratchet(tmp_path):
    from dcplan import pipeline
    from dcplan.site import load_site
    f = _tariff_file(tmp_path, {**RATCHET, "coincidentratestructure": [[{"rate": 3.0}]],
                                "coincidentrateschedule": SCHED0})
    s = _site(tmp_path, {"file": f, "coincident_peaks": ["2025-07-15 17:00", "2025-08-12 16:00"]})
    with pytest.warns(DcplanWarning, match=r"months without a stamp \(1-6, 9-12\) bill no coincident charge"):
        assert V.validate_file(s) == []
    y = pipeline.run_site_year(load_site(s))
    g = y.grid_kw.clip(lower=0.0)
    lines = y.bill.breakdown
    cp = lines[lines.charge == "coincident_demand"].set_index("month")["cost_usd"]
    assert cp["2025-07"] == pytest.approx(3.0 * g[pd.Timestamp("2025-07-15 17:00", tz=NY)])
    assert cp["2025-08"] == pytest.approx(3.0 * g[pd.Timestamp("2025-08-12 16:00", tz=NY)])
    # 100 % ratchet in a repeating year: every month bills the year's highest peak
    m = y.bill.monthly
    assert np.allclose(m["billing_demand_kw"], m["peak_kw"].max())
    assert any("steady-state year that repeats" in n for n in y.bill.notes)


# ---------------------------------------------------------------- 10. validate warnings
def _warned(path):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        probs = V.validate_file(path)
    return probs, [str(x.message) for x in w if issubclass(x.category, DcplanWarning)]


def test_validate_warns_of_an_unused_period_and_a_closed_last_tier(tmp_path):
    f = _tariff_file(tmp_path, _item(energyratestructure=[[{"rate": 0.10}], [{"rate": 0.50}]]))
    probs, w = _warned(f)
    assert probs == [] and w == [
        f"{f}: energyratestructure[1]: rate period 1 is in no schedule (energyweekdayschedule or "
        "energyweekendschedule name periods [0]), so it is never billed; check the schedules' indices (they count "
        "from 0) or remove the period"]
    g = _tariff_file(tmp_path, _item(energyratestructure=[[{"rate": 0.10, "max": 1000}, {"rate": 0.08, "max": 5000}]]),
                     "g.json")
    probs, w = _warned(g)
    assert probs == [] and w == [
        f"{g}: energyratestructure[0][1].max: the last tier has max 5000 (kWh); usage beyond it is billed at this "
        "tier's rate (dcplan treats the last bound as open); if the tariff has another tier above it, add it, else "
        "remove this max"]


def test_bundled_tariffs_and_sites_give_no_new_warnings():
    for p in sorted((DATA / "tariffs").glob("*.json")) + sorted((DATA / "sites").glob("*.yaml")):
        probs, w = _warned(p)
        assert probs == [] and w == [], (p, w)
