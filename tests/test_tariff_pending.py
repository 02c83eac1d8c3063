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
