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


# ---- energy tier bounds that differ between the periods of a month (mixed_tier_bounds_note) --------------
# A URDB item modeled on common TOU-with-blocks records: an off-peak period with a 100,000 kWh first block
# beside an untiered on-peak period (weekdays 12-18 h). SAM's Utilityrate5 refuses such a structure ("Tiers
# should have the same Max. Usage across Periods in the same month"), URDB does not define it, and dcplan
# billed it without a word.
_PEAK = [[0] * 12 + [1] * 6 + [0] * 6 for _ in range(12)]
_MIXED = {"label": "mixed", "energyratestructure": [[{"max": 100000, "rate": 0.10}, {"rate": 0.05}],
                                                    [{"rate": 0.40}]],
          "energyweekdayschedule": _PEAK, "energyweekendschedule": ONE_PERIOD}


def test_mixed_tier_bounds_are_said_in_the_bill_and_by_validate():
    import pandas as pd

    from dcplan.tariff import Tariff
    idx = pd.date_range("2023-01-01 01:00", "2023-02-01 00:00", freq="h", tz="America/New_York")
    bill = Tariff.from_urdb(copy.deepcopy(_MIXED)).bill(pd.Series(1000.0, idx))
    note = [n for n in bill.notes if "tier bounds (kWh) differ" in n]
    assert len(note) == 1 and "period 0: max 100,000; period 1: open (one tier)" in note[0]
    assert "month's kWh of all periods together" in note[0]
    # the rule the note states, by hand: 1,000 kWh an hour; the month's cumulative kWh of both periods reaches
    # 100,000 after 100 h (Sun 1 Jan .. Thu 5 Jan 04:00), of which the on-peak hours of Mon 2-Wed 4 Jan (3 x 6)
    # are period 1: 82,000 kWh at 0.10 (not 100,000, as per-period blocks would bill). January 2023 has 22
    # weekdays: 132,000 kWh on-peak at 0.40; the other 744,000 - 132,000 - 82,000 = 530,000 kWh at 0.05.
    assert bill.monthly["energy_usd"].iloc[0] == pytest.approx(82_000 * 0.10 + 530_000 * 0.05 + 132_000 * 0.40,
                                                               rel=1e-12)
    warned = item_warnings(copy.deepcopy(_MIXED), "mixed.json")
    assert any(w.startswith("mixed.json: energyratestructure: the tier bounds (kWh) differ") for w in warned)
    # dcplan bill prints it once, from the tariff's notes (billed_item_warnings passes attrs=False)
    assert not any("tier bounds" in w for w in item_warnings(copy.deepcopy(_MIXED), "mixed.json", attrs=False))


def test_same_tier_bounds_in_every_period_give_no_note():
    from dcplan.tariff import Tariff
    same = copy.deepcopy(_MIXED)
    same["energyratestructure"][1] = [{"max": 100000, "rate": 0.40}, {"rate": 0.30}]
    assert not any("tier bounds" in n for n in Tariff.from_urdb(same).metadata.get("ignored", ()))
    assert not any("tier bounds" in w for w in item_warnings(same, "same.json"))
    # tiers used in different months only (a summer tiered period, a winter untiered one) are no mix either
    seasonal = copy.deepcopy(_MIXED)
    seasonal["energyweekdayschedule"] = [[1 if m in (5, 6, 7) else 0] * 24 for m in range(12)]
    seasonal["energyweekendschedule"] = copy.deepcopy(seasonal["energyweekdayschedule"])
    assert not any("tier bounds" in n for n in Tariff.from_urdb(seasonal).metadata.get("ignored", ()))


# ---- a ratchet on flagged lookbackMonths (lookback_months_note) --------------------------------------------
# A utility-rate analyst: URDB does not define lookbackMonths precisely; dcplan bills the flags as the months whose
# peaks count (REopt's reading), PySAM's URDB converter builds another ratchet (tests/test_tariff_sam.py checks
# both claims against SAM), and no bill said which reading it took.
_FLAGS = [False] * 5 + [True] * 4 + [False] * 3  # Jun-Sep


def _ratchet(**lookback) -> dict:
    return _item(label="lb", **lookback)


def _lookback_notes(texts) -> list[str]:
    return [t for t in texts if "lookbackMonths: dcplan bills the flagged months" in t]


def test_lookback_months_reading_is_said_in_the_bill_and_by_validate():
    import pandas as pd

    from dcplan.tariff import Tariff
    u = _ratchet(lookbackPercent=0.5, lookbackRange=0, lookbackMonths=_FLAGS)
    idx = pd.date_range("2023-01-01 01:00", periods=8760, freq="h", tz="America/New_York")
    bill = Tariff.from_urdb(copy.deepcopy(u)).bill(pd.Series(1000.0, idx), prior_peaks_kw=[0.0] * 12)
    (note,) = _lookback_notes(bill.notes)
    assert note.startswith("lookbackMonths: dcplan bills the flagged months (Jun, Jul, Aug, Sep) as the calendar "
                           "months whose peaks count toward the ratchet"), note
    assert "PySAM's URDB converter" in note and "lookbackPercent x that month's own peak" in note
    (warned,) = _lookback_notes(item_warnings(copy.deepcopy(u), "lb.json"))
    assert warned == f"lb.json: {note}"
    # dcplan bill prints it once, from the tariff's notes (billed_item_warnings passes attrs=False)
    assert not _lookback_notes(item_warnings(copy.deepcopy(u), "lb.json", attrs=False))
    # every month flagged: the same reading, named so
    (every,) = _lookback_notes(Tariff.from_urdb(_ratchet(lookbackPercent=0.5, lookbackMonths=[True] * 12))
                               .metadata["ignored"])
    assert "flagged months (every month)" in every


def test_a_ratchet_without_lookback_months_gets_no_lookback_note():
    from dcplan.tariff import Tariff
    for u in (_ratchet(lookbackPercent=0.5, lookbackRange=11),
              _ratchet(lookbackPercent=0.5, lookbackRange=11, lookbackMonths=[True] * 12),  # the range decides
              _ratchet(demandratchetpercentage=[0.8] * 12),
              _ratchet(lookbackMonths=[False] * 12),  # no lookback asked for: no ratchet
              _item()):
        assert not _lookback_notes(Tariff.from_urdb(copy.deepcopy(u)).metadata.get("ignored", ())), u
        assert not _lookback_notes(item_warnings(copy.deepcopy(u), "t.json")), u


def test_dcplan_bill_prints_the_lookback_note_once(tmp_path, capsys):
    import pandas as pd

    from dcplan.cli import main
    f = tmp_path / "lb.json"
    f.write_text(json.dumps(_ratchet(lookbackPercent=0.5, lookbackRange=0, lookbackMonths=_FLAGS)))
    idx = pd.date_range("2023-01-01 01:00", periods=24 * 60, freq="h", tz="UTC")
    load = tmp_path / "load.csv"
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%dT%H:%MZ"), "load_kw": 100.0}).to_csv(load, index=False)
    assert main(["bill", "--tariff", str(f), "--load", str(load), "--tz", "UTC", "--prior-peaks-kw", "0"]) == 0
    out = capsys.readouterr()
    said = [ln for ln in (out.out + out.err).splitlines() if "lookbackMonths: dcplan bills the flagged" in ln]
    assert len(said) == 1 and said[0].startswith("Note:   lookbackMonths: "), said
