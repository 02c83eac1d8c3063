"""A URDB tariff that credits exports (net metering, net billing, sell rates): dcplan bills imports
only (dcplan.tariff: no export credit), so reading such a tariff warns, once, naming the file and
what credits exports; ``dcplan validate`` shows it on the tariff and on a site that names it.

URDB API v8 (https://openei.org/services/doc/rest/util_rates/?version=8): ``usenetmetering`` is a
boolean, ``dgrules`` one of "Net Metering", "Net Billing Instantaneous", "Net Billing Hourly",
"Buy All Sell All" (each compensates exported energy; SAM's URDB reader maps them to its metering
options 0, 2, 3, 4), ``sell`` a tier's rate for exported energy [$/kWh].
"""
from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from conftest import bundled_site_copy

from dcplan.errors import DcplanWarning
from dcplan.paths import data_path
from dcplan.tariff import Tariff
from dcplan.tariff_checks import export_credit_message
from dcplan.tariff_urdb import load_item
from dcplan.validate import validate_file

Z = [[0] * 24 for _ in range(12)]
HEAD = "this tariff credits energy exported to the grid"
TAIL = ("but dcplan bills only the energy the site draws and credits no export: PV output above the site's load "
        "earns nothing here, so for a site that exports the bill is an upper bound (exact for one that never exports)")


def _item(**extra) -> dict:
    """Two energy periods (0.05 and 0.10 $/kWh; period 1 from 16:00), each one tier."""
    sched = [[1 if h >= 16 else 0 for h in range(24)] for _ in range(12)]
    return {"label": "nm-test", "energyratestructure": [[{"rate": 0.05}], [{"rate": 0.10}]],
            "energyweekdayschedule": sched, "energyweekendschedule": sched, **extra}


def _write(tmp_path: Path, item: dict) -> Path:
    f = tmp_path / "nm.json"
    f.write_text(json.dumps({"items": [item]}))
    return f


def _only_warning(path_or_item, **kw) -> str:
    """Read the tariff; return its one DcplanWarning (exactly one)."""
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        Tariff.from_urdb(path_or_item, **kw)
    texts = [str(w.message) for w in got if issubclass(w.category, DcplanWarning)]
    assert len(texts) == 1, texts
    return texts[0]


@pytest.mark.parametrize("extra, field, shown", [
    (dict(usenetmetering=True), "usenetmetering", "usenetmetering true"),
    (dict(dgrules="Net Metering"), "dgrules", "dgrules 'Net Metering'"),
    (dict(dgrules="Net Billing Instantaneous"), "dgrules", "dgrules 'Net Billing Instantaneous'"),
    (dict(dgrules="Net Billing Hourly"), "dgrules", "dgrules 'Net Billing Hourly'"),
])
def test_a_tariff_that_credits_exports_warns_naming_file_field_and_value(tmp_path, extra, field, shown):
    f = _write(tmp_path, _item(**extra))
    assert _only_warning(f) == f"{f} (item 'nm-test'): {field}: {HEAD} ({shown}), {TAIL}"


def test_sell_rates_are_named_by_the_first_tier_and_how_many_more(tmp_path):
    item = _item(usenetmetering=True, dgrules="Net Metering")
    for p, tiers in enumerate(item["energyratestructure"]):
        tiers[0]["sell"] = tiers[0]["rate"]
    f = _write(tmp_path, item)
    # one warning for the whole item, however many tiers sell
    assert _only_warning(f) == (f"{f} (item 'nm-test'): usenetmetering: {HEAD} (usenetmetering true, dgrules "
                                "'Net Metering', energyratestructure[0][0].sell 0.05 $/kWh and 1 more tier's sell "
                                f"rate), {TAIL}")
    # a sell rate alone, in a bare item passed as a dict (no file): the tariff's name instead
    bare = _item(energyratestructure=[[{"rate": 0.05, "sell": 0.03}], [{"rate": 0.10}]])
    assert _only_warning(bare).startswith(f"tariff 'nm-test': energyratestructure[0][0].sell: {HEAD} "
                                          "(energyratestructure[0][0].sell 0.03 $/kWh), ")


def test_buy_all_sell_all_says_the_whole_load_is_billed_and_all_pv_sold(tmp_path):
    text = _only_warning(_write(tmp_path, _item(dgrules="Buy All Sell All")))
    assert text.endswith(f"{TAIL}; under 'Buy All Sell All' the utility also bills the whole load and buys all PV "
                         "output, while dcplan nets the PV against the load behind the meter")


@pytest.mark.parametrize("extra", [
    {}, dict(usenetmetering=False), dict(dgrules=None), dict(dgrules=""),
    dict(energyratestructure=[[{"rate": 0.05, "sell": 0}], [{"rate": 0.10, "sell": 0.0}]]),
])
def test_a_tariff_that_credits_nothing_does_not_warn(extra):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        Tariff.from_urdb(_item(**extra))
    assert export_credit_message(_item(**extra)) == ""


def test_the_bill_is_unchanged_by_the_export_fields():
    # the warning's "no export credit": the same load bills the same with or without them
    load = pd.Series(100.0, index=pd.date_range("2025-01-01 01:00", "2025-02-01", freq="h", tz="America/Phoenix"))
    plain = Tariff.from_urdb(_item()).bill(load)
    item = _item(usenetmetering=True, dgrules="Net Metering",
                 energyratestructure=[[{"rate": 0.05, "sell": 0.05}], [{"rate": 0.10, "sell": 0.10}]])
    with pytest.warns(DcplanWarning, match=HEAD):
        credited = Tariff.from_urdb(item).bill(load)
    # January: 744 h x 100 kW, 16:00-24:00 (248 h) at 0.10 and 496 h at 0.05 $/kWh = 4960 USD
    assert credited.total_usd == plain.total_usd == pytest.approx(4960.0, abs=1e-6)


def test_ignore_leaves_a_field_out_of_the_warning():
    item = _item(usenetmetering=True, dgrules="Net Metering")
    text = _only_warning(item, ignore=["usenetmetering"])
    assert f"{HEAD} (dgrules 'Net Metering')" in text
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        Tariff.from_urdb(item, ignore=["usenetmetering", "dgrules"])


def test_dcplan_validate_shows_it_on_the_tariff_and_on_a_site_naming_it(tmp_path):
    f = _write(tmp_path, _item(usenetmetering=True))
    with pytest.warns(DcplanWarning, match=re.escape(f"{f} (item 'nm-test'): usenetmetering: {HEAD}")):
        assert validate_file(f) == []
    site = bundled_site_copy(tmp_path, "phoenix-az", "phx-nm", tariff={"file": str(f), "label": "nm-test"})
    with pytest.warns(DcplanWarning, match=re.escape(f"{f} (item 'nm-test'): usenetmetering: {HEAD}")):
        assert validate_file(site) == []


def test_the_bundled_tariffs_credit_no_exports():
    for f in sorted(data_path("tariffs").glob("*.json")):
        item, _ = load_item(f)
        assert export_credit_message(item, str(f)) == "", f
        with warnings.catch_warnings():
            warnings.simplefilter("error", DcplanWarning)
            Tariff.from_urdb(f)
