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
                              "date the rate stopped applying (URDB)")
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
                            "(its enddate 2024-12-31 is the date the rate stopped applying (URDB), so its prices "
                            "are not the utility's current ones) (Old rate;")
    current = Tariff.from_urdb(_file(tmp_path))
    assert "superseded" not in bill_label(spec, current, SimpleNamespace(tariff_name=current.name))
