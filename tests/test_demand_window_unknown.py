"""A tariff with demand charges that states no demand window (no ``demandwindow``: APS E-32, Dominion
GS-3 and Duke OPT-V as bundled) billed on an hourly load: its demand is the hourly means', a lower bound
if the utility bills 15- or 30-min demand, said in the site bill's notes (a note, not a DcplanWarning)
and by ``dcplan bill`` (electrical tester's finding 1)."""
from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from dcplan import site_bill
from dcplan.cli import main
from dcplan.errors import DcplanWarning
from dcplan.tariff import Tariff

from conftest import check_subhourly_evidence

ZERO = [[0] * 24 for _ in range(12)]
NY = "America/New_York"

#: the unknown-window note's text before its evidence and advice, on an hourly load
HEAD = ("demand window: the {what} states none (no demandwindow), so the demand charges here are billed on the "
        "site's 1-h means; a utility that bills 15- or 30-min demand bills at least as much, more where the load "
        "varies within the 1-h intervals (the highest 15- or 30-min mean within an interval is at least the "
        "interval's mean): the demand charges are a lower bound unless the utility bills hourly demand")
FLAT_ADVICE = ("; a flat tariff has no demand window: if the utility's schedule states its demand interval, give the "
               "rate as a URDB tariff file (tariff.file) with demandwindow (minutes)")
FILE_ADVICE = "; if the utility's schedule states its demand interval, add demandwindow (minutes) to the tariff file"


def _urdb(tmp_path, **extra) -> str:
    """One energy price 0.05 $/kWh every hour, plus ``extra`` URDB fields."""
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"label": "t", "energyratestructure": [[{"rate": 0.05}]],
                             "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO, **extra}))
    return str(f)


FLAT_DEMAND = {"flatdemandstructure": [[{"rate": 10.0}]], "flatdemandmonths": [0] * 12}


def test_a_flat_tariff_with_a_demand_charge_and_no_window_is_said_exactly():
    t = Tariff.flat(0.05, demand_usd_per_kw=10.0)
    assert t.demand_window_min is None
    assert site_bill.demand_window_note(t, 60.0) == HEAD.format(what="flat tariff") + FLAT_ADVICE
    # with the fleet's 1-s evidence (taken at 15 min): by how much at least, in kW and % of the hour's IT
    ev = {"max_excess_kw": 202.78, "max_excess_frac": 0.047218, "month": "2025-05"}
    assert site_bill.demand_window_note(t, 60.0, ev) == (
        HEAD.format(what="flat tariff") + " (the fleet's IT alone at 1 s shows 15-min means up to 203 kW (4.7 %) "
        "above the hour's mean in each month's peak hour of grid draw, the most in 2025-05: the demand billed that "
        "month would be at least that much higher; IT only: cooling and losses add to it; a 30-min window's excess "
        "is at most that)" + FLAT_ADVICE)
    steady = {"max_excess_kw": 0.2, "max_excess_frac": 1e-5, "month": "2025-01"}
    assert site_bill.demand_window_note(t, 60.0, steady) == (
        HEAD.format(what="flat tariff") + " (the fleet's IT at 1 s is steady within each month's peak hour of grid "
        "draw: no 15-min mean above the hour's by 0.5 kW or more, so the IT load understates little here)"
        + FLAT_ADVICE)
    # Bill.notes first, then this note; a note (a string), no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        from types import SimpleNamespace
        assert site_bill.bill_notes(SimpleNamespace(notes=()), t, 60.0) == [HEAD.format(what="flat tariff")
                                                                             + FLAT_ADVICE]


def test_a_tariff_file_without_a_window_asks_for_demandwindow(tmp_path):
    t = Tariff.from_urdb(_urdb(tmp_path, **FLAT_DEMAND))
    assert site_bill.demand_window_note(t, 60.0) == HEAD.format(what="tariff file") + FILE_ADVICE
    # a 30-min load: only a 15-min window is shorter
    assert site_bill.demand_window_note(t, 30.0) == (
        "demand window: the tariff file states none (no demandwindow), so the demand charges here are billed on the "
        "site's 30-min means; a utility that bills 15-min demand bills at least as much, more where the load varies "
        "within the 30-min intervals (the highest 15-min mean within an interval is at least the interval's mean): "
        "the demand charges are a lower bound unless the utility bills 30-min demand" + FILE_ADVICE)


def test_no_note_with_a_window_the_load_meets_no_demand_charge_or_a_15_min_load(tmp_path):
    from types import SimpleNamespace
    no_notes = SimpleNamespace(notes=())
    hourly_window = Tariff.from_urdb(_urdb(tmp_path, demandwindow=60, **FLAT_DEMAND))
    assert hourly_window.demand_window_min == 60
    assert site_bill.demand_window_note(hourly_window, 60.0) is None
    assert site_bill.bill_notes(no_notes, hourly_window, 60.0) == []
    energy_only = Tariff.flat(0.05)
    assert site_bill.demand_window_note(energy_only, 60.0) is None
    assert site_bill.bill_notes(no_notes, Tariff.from_urdb(_urdb(tmp_path)), 60.0) == []
    # a 15-min load shows the 15-min peaks already
    assert site_bill.demand_window_note(Tariff.flat(0.05, demand_usd_per_kw=10.0), 15.0) is None


def test_the_bundled_phoenix_site_bill_notes_say_it(monkeypatch, capsys):
    """phoenix-az's APS E-32 file has TOU demand charges and no demandwindow: the site analysis's bill
    notes say so, with the fleet's 15-min evidence; a note, not a DcplanWarning."""
    from conftest import run_cells_until
    import dcplan.results
    got = {}

    def publish(values, *a, **k):
        if isinstance(values, dict):
            got.update(values)
    monkeypatch.setattr(dcplan.results, "publish", publish)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        ns, _ = run_cells_until("site_analysis", '"bill_usd"', monkeypatch, site="phoenix-az")
    out = capsys.readouterr().out
    tariff, ev = ns["tariff"], ns["evidence"]
    assert tariff.demand_window_min is None and tariff.demand_rate is not None
    check_subhourly_evidence(ns["spec"], ns["y"], ev, 15)
    assert ev["max_excess_kw"] >= 0.5
    # in dollars: the month's TOU demand charge of its peak hour's period (APS E-32's on-peak, 18.941 $/kW as
    # bundled: data/tariffs/aps-az-e32-tou-l.json), on the excess kW (no ratchet: billed on the peak itself)
    usd = ev["max_excess_kw"] * 18.941
    note = (HEAD.format(what="tariff file") + " (the fleet's IT alone at 1 s shows 15-min means up to "
            f"{ev['max_excess_kw']:,.0f} kW ({100 * ev['max_excess_frac']:.2g} %) above the hour's mean in each "
            f"month's peak hour of grid draw, the most in {ev['month']}: the demand billed that month would be at "
            f"least that much higher, {usd:,.0f} USD more that month at the demand rates billed in its peak hour "
            "(18.94 USD/kW); IT only: cooling and losses add to it; a 30-min window's excess is at most that)"
            + FILE_ADVICE)
    # (1) is the APS file's applicability note (peakkwcapacitymax 3,000 kW: E-34/E-35 apply above it, data/SOURCES.md
    # Tariffs; the fleet's grid draw peaks above it), (2) the demand window's
    first, window = got["bill_notes"][0].split(" (2) ")
    assert first.startswith("(1) peakkwcapacitymax 3,000 kW: the load's peak, ") and "E-34/E-35" in first
    assert window == f"{note}."
    # and the pending rate case once, beside the price date (dcplan_pending_rate_change; fleet from 2026-10-01)
    assert "from 2026-07-08, before the fleet starts (2026-10)" in got["bill_pending_rate_change"][0]
    # said once, in bill_notes' list, not printed again under the table (was: assert f"Note: {note}." in out)
    assert f"Note: {note}." not in out


@pytest.mark.parametrize("key", ["northern-virginia", "research-triangle-nc"])
def test_the_other_bundled_sites_without_a_window_get_the_note(key):
    from types import SimpleNamespace

    from dcplan import pipeline
    from dcplan.site import load_portfolio
    spec = load_portfolio()[key]
    tariff = pipeline.site_tariff(spec)
    assert tariff.demand_window_min is None
    note = site_bill.demand_window_note(tariff, 60.0)
    assert note == HEAD.format(what="tariff file") + FILE_ADVICE
    assert site_bill.bill_notes(SimpleNamespace(notes=()), tariff, 60.0) == [note]


# ---------------------------------------------------------------- dcplan bill
def _load(tmp_path, idx, kw, name="load.csv") -> str:
    f = tmp_path / name
    pd.DataFrame({"timestamp": [t.isoformat() for t in idx], "load_kw": kw}).to_csv(f, index=False)
    return str(f)


def _notes(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln.startswith("Note:")]


CLI_NOTE = ("Note:   t.json states no demand window (no demandwindow), so demand is billed on the load's 1 h "
            "averages; a utility that bills 15- or 30-min demand bills at least as much, more where the load varies "
            "within the 1 h intervals: the demand charges are a lower bound unless the utility bills hourly demand; "
            "if the utility's schedule states its demand interval, add demandwindow (minutes) to the tariff file and "
            "bill a load of that interval or finer")


def test_dcplan_bill_says_it_and_the_15_min_load_bills_more(tmp_path, capsys):
    # January at 15 min, 100 kW but 300 kW at the reading labelled 10:15 on the 6th: the 15-min demand is
    # 300 kW (3,000 $ at 10 $/kW); the same load as hourly means has 10:00-11:00 at (300 + 3 x 100) / 4 =
    # 150 kW, its demand 150 kW (1,500 $): the hourly bill is the lower bound the note says
    idx = pd.date_range("2025-01-01 00:15", "2025-02-01 00:00", freq="15min", tz=NY)
    kw = np.full(len(idx), 100.0)
    kw[idx.get_loc(pd.Timestamp("2025-01-06 10:15", tz=NY))] = 300.0
    hourly = pd.Series(kw, index=idx).groupby(np.arange(len(idx)) // 4).mean()
    hidx = pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz=NY)
    t = _urdb(tmp_path, **FLAT_DEMAND)
    assert main(["bill", "--tariff", t, "--load", _load(tmp_path, hidx, hourly.to_numpy(), "h.csv")]) == 0
    out = capsys.readouterr().out
    assert _notes(out) == [CLI_NOTE]
    jan = next(ln for ln in out.splitlines() if ln.startswith("2025-01")).split()
    assert jan[2] == "150.00" and jan[4] == "1,500.00"  # peak_kw; demand_usd
    assert main(["bill", "--tariff", t, "--load", _load(tmp_path, idx, kw, "q.csv")]) == 0
    out = capsys.readouterr().out
    assert _notes(out) == []  # a 15-min load: no note
    jan = next(ln for ln in out.splitlines() if ln.startswith("2025-01")).split()
    assert jan[2] == "300.00" and jan[4] == "3,000.00"


def test_dcplan_bill_no_note_with_an_hourly_window_or_no_demand_charge(tmp_path, capsys):
    hidx = pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz=NY)
    f = _load(tmp_path, hidx, 100.0)
    for extra in ({"demandwindow": 60, **FLAT_DEMAND}, {}):
        assert main(["bill", "--tariff", _urdb(tmp_path, **extra), "--load", f]) == 0
        assert _notes(capsys.readouterr().out) == []


# ---------------------------------------------------------------- kW vs kVA (electrical tester's finding 5)
def test_contracted_and_billed_power_are_said_to_be_real_power():
    """requested_mw, the phases' mw and tariff.contract_demand_kw are real power at a power factor of 1;
    a figure in MVA (kVA) is converted by the PF: 24 MVA x 0.95 = 22.8 MW, 2,000 kVA x 0.95 = 1,900 kW."""
    from dcplan.specs.interconnection import REAL_POWER_NOTE, InterconnectionPhase, InterconnectionSpec
    from dcplan.specs.tariff import TariffSpec
    assert 24 * 0.95 == pytest.approx(22.8) and 2000 * 0.95 == pytest.approx(1900)
    assert REAL_POWER_NOTE == ("real power (MW), at the load's power factor taken as 1 (dcplan has no power-factor "
                               "input); a utility figure in MVA is converted as MW = MVA x PF: a 24 MVA service at "
                               "PF 0.95 carries 22.8 MW")
    assert InterconnectionSpec.model_fields["requested_mw"].description.endswith("; " + REAL_POWER_NOTE)
    assert InterconnectionPhase.model_fields["mw"].description.endswith("; " + REAL_POWER_NOTE)
    assert TariffSpec.model_fields["contract_demand_kw"].description.endswith(
        "Real power (kW), as the load it floors, at the load's power factor taken as 1 (dcplan has no power-factor "
        "input): a contract in kVA is converted as kW = kVA x PF (2,000 kVA at PF 0.95 is 1,900 kW)")
    from conftest import ROOT
    glossary = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert "so a utility figure in MVA is converted as MW = MVA x PF (a 24 MVA service at PF 0.95 carries 22.8 MW" \
        in glossary
    assert "a contract in kVA is converted as kW = kVA x PF (2,000 kVA at PF 0.95 is 1,900 kW)" in glossary
