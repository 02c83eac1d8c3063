"""A tariff file's own word on its validity: the demand range it applies to (peakkwcapacitymax, with the
dcplan_applicability_note saying why it is used beyond it) and a pending rate case (dcplan_pending_rate_change),
as the bundled APS file carries them for phoenix-az (data/SOURCES.md, Tariffs; audit 2026 F1/F2)."""
import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.tariff import Tariff
from dcplan.tariff_pending import check_pending_change, pending_change_text
from dcplan.tco import TcoInputs
from dcplan.tco_site import tariff_caveat

ROOT = Path(__file__).resolve().parents[1]
APS = ROOT / "data" / "tariffs" / "aps-az-e32-tou-l.json"


def _flat(kw: float) -> pd.Series:
    idx = pd.date_range("2025-01-01 01:00", periods=24 * 31, freq="h", tz="America/Phoenix")
    return pd.Series(kw, index=idx, name="grid_kw")


def test_aps_file_states_its_3000_kw_limit_and_the_stand_in():
    # APS bills 3,000 kW and up on E-34/E-35 (energymanager.ai; E-32 M text excludes E-34 service): a constant
    # 5,000 kW load is above it, a 2,000 kW load is not (the note compares the billed peak with 3,000 kW)
    t = Tariff.from_urdb(APS)
    (note,) = [n for n in t.bill(_flat(5000.0)).notes if n.startswith("peakkwcapacitymax")]
    assert note.startswith("peakkwcapacitymax 3,000 kW: the load's peak, 5,000 kW, is above it")
    assert "stands in for APS E-34/E-35" in note and "rates were not found" in note
    assert not [n for n in t.bill(_flat(2000.0)).notes if n.startswith("peakkwcapacitymax")]


def test_aps_pending_rate_case_before_phoenix_fleet_start():
    # ABC15: new rates no earlier than 2026-07-08; phoenix-az's fleet starts 2026-10 (data/sites/phoenix-az.yaml)
    meta = Tariff.from_urdb(APS).metadata
    text = pending_change_text(meta, "2026-10", (0.8, 1.2))
    assert "E-01345A-25-0105" in text and "from 2026-07-08, before the fleet starts (2026-10)" in text
    assert "startdate 2024-03-08" in text
    # +45 % proposed for the extra-high-load-factor class: 1.45 > the costs.csv high 1.2
    assert "+45 %, beyond the TCO's electricity_cost_mult range (0.8-1.2" in text
    assert "electricity_cost_mult: 1.45" in text
    # a fleet starting before the new rates: understated from then, not from the start
    assert "after the fleet starts (2026-01)" in pending_change_text(meta, "2026-01")
    # within a wider range: said, no multiplier suggested
    assert "within the TCO's electricity_cost_mult range (0.5-1.5" in pending_change_text(meta, None, (0.5, 1.5))


def test_no_pending_key_no_text():
    assert pending_change_text({"startdate": "2024-03-08"}, "2026-10") is None
    assert pending_change_text(None) is None


@pytest.mark.parametrize("value, field, words", [
    ({"source": "x"}, "dcplan_pending_rate_change.summary", "required"),
    ({"summary": "s", "source": "x", "efective_earliest": "2026-07-08"}, "dcplan_pending_rate_change.efective_earliest",
     "did you mean"),
    ({"summary": "s", "source": "x", "change_frac_high": 45}, "dcplan_pending_rate_change.change_frac_high",
     "a percentage"),
    ({"summary": "s", "source": "x", "effective_earliest": "08/07/2026"},
     "dcplan_pending_rate_change.effective_earliest", "ISO"),
    ("rate case pending", "dcplan_pending_rate_change", "an object"),
])
def test_pending_key_refused_naming_field(value, field, words):
    with pytest.raises(InputError, match=words) as exc:
        check_pending_change(value, "t.json")
    assert exc.value.field == field and exc.value.file == "t.json"


def test_pending_key_checked_when_the_tariff_is_read(tmp_path):
    d = json.loads(APS.read_text())
    d["dcplan_pending_rate_change"]["change_frac_high"] = True
    p = tmp_path / "aps.json"
    p.write_text(json.dumps(d))
    with pytest.raises(InputError, match="change_frac_high") as exc:
        Tariff.from_urdb(p)
    assert str(p) in str(exc.value)


def _meta(effective, change):
    return {"startdate": "2024-03-08", "dcplan_pending_rate_change": {
        "summary": "rate case", "source": "docket", "effective_earliest": effective, "change_frac_high": change}}


def test_pending_text_says_the_way_the_bill_errs_by_the_sign_of_the_change():
    # a reviewer's case: a proposed cut (-10 %) read "may be understated"; at the old (higher) prices the bill
    # is overstated by a cut, understated by a rise; without a figure the direction is not known
    cut = pending_change_text(_meta("2026-07-08", -0.1), "2026-10")
    assert "so it may be overstated from the first operating month" in cut and "understated" not in cut
    rise = pending_change_text(_meta("2026-07-08", 0.1), "2026-10")
    assert "so it may be understated from the first operating month" in rise and "overstated" not in rise
    unknown = pending_change_text(_meta("2026-07-08", None), "2026-10")
    assert "so it may be misstated from the first operating month" in unknown
    later = pending_change_text(_meta("2027-03-01", -0.2), "2026-10")
    assert "after the fleet starts (2026-10): " in later and "so it may be overstated from then." in later


def test_pending_text_compares_the_effective_day_with_the_first_operating_day():
    # the fleet operates from 2026-10-01 (its first whole month): 2026-10-20 is within its first month, not
    # before it (the month-resolution check called it "before the fleet starts ... from the first operating month")
    mid = pending_change_text(_meta("2026-10-20", 0.2), "2026-10")
    assert ("New rates may take effect from 2026-10-20, in the fleet's first operating month (2026-10): the bill "
            "is at the tariff's prices (startdate 2024-03-08), so it may be understated from then.") in mid
    assert "before the fleet starts" not in mid
    assert "as the fleet starts (2026-10): " in pending_change_text(_meta("2026-10-01", 0.2), "2026-10")
    assert "before the fleet starts (2026-10): " in pending_change_text(_meta("2026-09-30", 0.2), "2026-10")
    # the last day of the month is still in it; the next day is after
    assert "in the fleet's first operating month" in pending_change_text(_meta("2026-10-31", 0.2), "2026-10")
    assert "after the fleet starts (2026-10)" in pending_change_text(_meta("2026-11-01", 0.2), "2026-10")


@pytest.mark.parametrize("change, words", [
    (-0.1, "-10 %, within"),      # 0.9 in 0.8-1.2
    (-0.3, "-30 %, beyond"),      # 0.7 below the low end 0.8: the old check looked at the top only ("within")
    (0.2, "+20 %, within"),       # 1.2, the top end itself
    (0.25, "+25 %, beyond"),      # 1.25 above 1.2
])
def test_pending_change_is_within_the_mult_range_only_between_both_ends(change, words):
    text = pending_change_text(_meta("2026-07-08", change), "2026-10", (0.8, 1.2))
    assert f"Largest change proposed: {words} the TCO's electricity_cost_mult range (0.8-1.2" in text
    if "beyond" in words:
        assert f"set finance.costs.electricity_cost_mult: {1 + change:g} to see that bill" in text


def test_tco_tariff_caveat_once_with_both_parts():
    # the tco notebook's caveat_tariff: the bill's applicability note and the pending rate case, one text
    meta = Tariff.from_urdb(APS).metadata
    bill = SimpleNamespace(notes=("peakkwcapacitymax 3,000 kW: the load's peak, 7,000 kW, is above it",
                                  "demand window: x"))
    inp = TcoInputs(8, 100.0, 1e5, fleet_start="2026-10-01")
    text = tariff_caveat(bill, SimpleNamespace(metadata=meta), inp)
    assert text.startswith("Tariff applicability: peakkwcapacitymax 3,000 kW")
    assert "demand window" not in text  # the bill's other notes are said elsewhere
    assert text.count("Pending rate change") == 1 and "electricity_cost_mult: 1.45" in text
    assert tariff_caveat(SimpleNamespace(notes=()), SimpleNamespace(metadata={}), inp) == ""


def test_the_headline_clause_of_a_pending_rate_case():
    """The site_analysis headline bill's first clause (which the index keeps) names the rate case's largest proposed
    change: the bundled APS file's change_frac_high 0.45 -> "up to 45 %"; a cut says cut; none, that it may change."""
    from dcplan.tariff_pending import pending_clause
    aps = Tariff.from_urdb(Path(__file__).resolve().parents[1] / "data" / "tariffs" / "aps-az-e32-tou-l.json")
    assert pending_clause(aps.metadata) == ", at prices a pending rate case may raise by up to 45 %"
    pc = {"summary": "s", "source": "x"}
    assert pending_clause({"dcplan_pending_rate_change": dict(pc, change_frac_high=-0.125)}) == (
        ", at prices a pending rate case may cut by up to 12.5 %")
    assert pending_clause({"dcplan_pending_rate_change": pc}) == ", at prices a pending rate case may change"
    assert pending_clause({"startdate": "2026-01-01"}) == ""
