"""Docs review (fixer M): a site's ``tariff.label`` that is not its one-item tariff file's own is
refused by ``dcplan validate`` and by the render's bad-input planning (every bill failed in a
notebook cell); ``--ignore lookbackPercent`` on a tariff with lookbackRange/lookbackMonths says to
ignore the set together, as ``--ignore demandratestructure`` does."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import DATA, bundled_site_copy

from dcplan import validate as V
from dcplan.errors import InputError
from dcplan.report_plan import site_file_problems
from dcplan.site import load_site
from dcplan.tariff import Tariff

APS = DATA / "tariffs" / "aps-az-e32-tou-l.json"


def _msg(site, tariff):
    return (f"{site}: tariff.label: 'other' is not the label of {tariff}, which is one rate item labelled "
            "'dcplan-aps-az-e32-tou-l'; set tariff.label: dcplan-aps-az-e32-tou-l or remove tariff.label")


def test_a_wrong_label_on_a_one_item_tariff_file_is_refused(tmp_path):
    assert json.loads(APS.read_text())["label"] == "dcplan-aps-az-e32-tou-l"  # one bare item, no "items"
    s = bundled_site_copy(tmp_path, "phoenix-az", "aps-other", tariff={"label": "other"})
    # what every bill of the site did (a notebook cell failed), now said by validate
    with pytest.raises(InputError, match=r"label: item has label 'dcplan-aps-az-e32-tou-l', not 'other'"):
        Tariff.from_urdb(APS, label="other")
    assert [p.line() for p in V.validate_file(s)] == [_msg(s, APS)]
    # ... and by the render before any run (dcplan.report_plan.site_file_problems)
    bad = site_file_problems([load_site(s)])
    assert list(bad) == ["aps-other"] and str(bad["aps-other"]) == _msg(s, APS)


def test_the_item_own_label_or_none_is_ok(tmp_path):
    ok = bundled_site_copy(tmp_path, "phoenix-az", "aps-own", tariff={"label": "dcplan-aps-az-e32-tou-l"})
    assert V.validate_file(ok) == []
    assert site_file_problems([load_site(ok)]) == {}
    assert site_file_problems([load_site(DATA / "sites" / "phoenix-az.yaml")]) == {}  # no label given


def test_render_refuses_a_several_item_file_without_a_label(tmp_path):
    item = json.loads(APS.read_text())
    two = tmp_path / "two.json"
    two.write_text(json.dumps({"items": [{**item, "label": "a"}, {**item, "label": "b"}]}))
    s = bundled_site_copy(tmp_path, "phoenix-az", "two", tariff={"file": str(two)})
    want = f"{s}: tariff.label: {two} holds 2 rate items and the site names none; add tariff.label, one of: a, b"
    assert [p.line() for p in V.validate_file(s)] == [want]
    assert str(site_file_problems([load_site(s)])["two"]) == want


SCHED0 = [[0] * 24 for _ in range(12)]
LOOKBACK = {"label": "lb", "energyratestructure": [[{"rate": 0.10}]], "energyweekdayschedule": SCHED0,
            "energyweekendschedule": SCHED0, "flatdemandstructure": [[{"rate": 10.0}]],
            "flatdemandmonths": [0] * 12, "lookbackPercent": 0.8, "lookbackRange": 0,
            "lookbackMonths": [True] * 6 + [False] * 6}


def test_ignoring_lookback_percent_says_to_ignore_the_set():
    with pytest.raises(InputError) as ei:
        Tariff.from_urdb(LOOKBACK, ignore=["lookbackPercent"])
    assert str(ei.value) == (
        "lookbackMonths: given without lookbackPercent, so it would not be billed; add lookbackPercent or remove "
        "it; lookbackPercent is ignored, and its fields are refused without it: to leave the lookback demand "
        "ratchet out of the bill, ignore them all: ignore=['lookbackPercent', 'lookbackRange', 'lookbackMonths'] "
        "in Python, --ignore lookbackPercent lookbackRange lookbackMonths with dcplan bill")
    # without ignore the orphan message is as before (no hint)
    with pytest.raises(InputError, match=r"add lookbackPercent or remove it$"):
        Tariff.from_urdb({k: v for k, v in LOOKBACK.items() if k != "lookbackPercent"})
    # the set ignored bills each month's own peak: 1,000 kW flat x 10 $/kW x 12 months
    t = Tariff.from_urdb(LOOKBACK, ignore=["lookbackPercent", "lookbackRange", "lookbackMonths"])
    idx = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz="America/Phoenix")
    assert t.ratchet_frac is None
    assert t.bill(pd.Series(1000.0, index=idx)).demand_usd == pytest.approx(12 * 10.0 * 1000.0)
