"""A superseded rate (URDB ``enddate``) is said, not billed silently: ``dcplan validate`` warns of it, the
site_analysis headline bill's label says it, and an ``enddate`` that is no date is refused as a ``startdate``
is (an audit found all three silent: a planner on a rate replaced in 2024 got a clean bill)."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from dcplan.cli import main
from dcplan.errors import DcplanWarning, InputError
from dcplan.tariff import Tariff


def _file(tmp_path, **kw):
    zero = [[0] * 24 for _ in range(12)]
    item = {"label": "old-rate", "name": "Old rate", "startdate": "2022-01-01",
            "energyratestructure": [[{"rate": 0.1}]], "energyweekdayschedule": zero,
            "energyweekendschedule": [r[:] for r in zero], **kw}
    p = tmp_path / "rate.json"
    p.write_text(json.dumps(item))
    return p


def test_validate_warns_of_an_enddate_naming_file_field_and_date(tmp_path):
    # URDB's epoch form: 1735603200 s = 2024-12-31 00:00 UTC
    p = _file(tmp_path, enddate=1735603200)
    with pytest.warns(DcplanWarning) as rec:
        assert main(["validate", str(p)]) == 0
    text = [str(w.message) for w in rec if "superseded" in str(w.message)]
    assert len(text) == 1
    assert text[0].startswith(f"{p}: enddate: 1735603200: the rate was superseded: its enddate 2024-12-31 is the "
                              "date the rate stops applying (URDB sets it when a newer rate replaces it)")
    assert "bill the rate that replaced it" in text[0]
    assert main(["validate", str(_file(tmp_path))]) == 0  # no enddate: no warning (DcplanWarning: errors in tests)


def test_an_enddate_that_is_no_date_is_refused_naming_file_field_value_and_forms(tmp_path):
    p = _file(tmp_path, enddate="31/12/2024")
    with pytest.raises(InputError) as e:
        Tariff.from_urdb(p)
    msg = str(e.value)
    assert msg.startswith(f"{p}: enddate: '31/12/2024' is not a date dcplan reads")
    assert "epoch seconds UTC as a number" in msg and "ISO date 'YYYY-MM-DD'" in msg


def test_the_headline_bill_label_says_the_rate_is_superseded(tmp_path):
    from dcplan.site_bill import bill_label
    spec = SimpleNamespace(tariff=None, tariff_path=None, fleet=SimpleNamespace(phases=[]))
    old = Tariff.from_urdb(_file(tmp_path, enddate="2024-12-31"))
    label = bill_label(spec, old, SimpleNamespace(tariff_name=old.name))
    assert label.startswith("Annual electricity bill at 2022-01-01 prices, not escalated, on a rate superseded "
                            "(its enddate 2024-12-31 is the date the rate stops applying (URDB sets it when a newer "
                            "rate replaces it), so its prices are not those the utility charges from that date on) "
                            "(Old rate;")
    current = Tariff.from_urdb(_file(tmp_path))
    assert "superseded" not in bill_label(spec, current, SimpleNamespace(tariff_name=current.name))


@pytest.mark.parametrize("enddate, words", [
    # a date still ahead (a new rate approved before it takes effect): not "stopped", not "not current"
    ("2031-01-01", "its enddate 2031-01-01 is the date the rate stops applying (URDB sets it when a newer rate "
                   "replaces it), so its prices are not those the utility charges from that date on"),
    # on or before the startdate (2022-01-01 in _file): the rate applied for a day at most
    ("2022-01-01", "its enddate 2022-01-01 is not after its startdate 2022-01-01: the rate applied for a day at "
                   "most (URDB: a withdrawn rate or a placeholder item)"),
    ("2021-06-30", "its enddate 2021-06-30 is not after its startdate 2022-01-01"),
])
def test_the_enddate_words_hold_for_a_date_ahead_and_one_not_after_the_startdate(tmp_path, enddate, words):
    """The label said any enddate "is the date the rate stopped applying ... its prices are not the utility's
    current ones": wrong for a date still ahead (the rate is the current one until then), and for an enddate on
    its startdate, which URDB items of withdrawn rates carry, it said nothing of a rate that never applied."""
    from dcplan.site_bill import bill_label
    spec = SimpleNamespace(tariff=None, tariff_path=None, fleet=SimpleNamespace(phases=[]))
    t = Tariff.from_urdb(_file(tmp_path, enddate=enddate))
    label = bill_label(spec, t, SimpleNamespace(tariff_name=t.name))
    assert "on a rate superseded (" + words in label, label
    assert "stopped" not in label and "current ones" not in label


@pytest.mark.parametrize("load_kw, clause", [(5562.0, ", on a rate this load is too large for"), (2000.0, "")])
def test_a_headline_bill_says_when_the_rate_does_not_apply_to_the_load(load_kw, clause):
    """A finance reviewer's finding (bundled render): Phoenix's headline bill, on APS's E-32 TOU L
    (peakkwcapacitymax 3,000 kW) for a load peaking at 5,562 kW, said in the index only "at 2024-03-08 prices, not
    escalated, resting on partly estimated tariff prices"; that the rate does not apply to the load was in its notes
    alone. size_clause reads the bill's peakkwcapacitymax note: a constant load above 3,000 kW gets the clause, one
    below it none."""
    from pathlib import Path

    import pandas as pd

    from dcplan.tariff_applicability import size_clause
    aps = Path(__file__).resolve().parents[1] / "data" / "tariffs" / "aps-az-e32-tou-l.json"
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="America/Phoenix")
    bill = Tariff.from_urdb(aps).bill(pd.Series(load_kw, index=idx))
    assert size_clause(bill.notes) == clause
    assert "(" not in clause   # kept by the index's short label, cut at the first parenthesis
    assert size_clause(["peakkwcapacitymin 5,000 kW: the load's peak, 800 kW, is below it"]) == (
        ", on a rate this load is too small for")
