"""A URDB ``startdate`` given as epoch seconds is shown as its ISO date, the raw value beside it
(dcplan.tariff_checks.startdate_text)."""
from __future__ import annotations

import pytest

from conftest import DATA
from dcplan.errors import InputError
from dcplan.tariff_checks import startdate_text


def test_epoch_seconds_are_shown_as_the_date_with_the_raw_value():
    # hand: 1672531200 s / 86,400 s/day = 19,358 days after 1970-01-01 = 2023-01-01 (00:00 UTC)
    assert startdate_text(1672531200) == "2023-01-01 (1672531200)"
    assert startdate_text(1672531200.0) == "2023-01-01 (1672531200)"
    # URDB API v8's own example of the form (tariff_checks.STARTDATE_FORMS): 1767225600 is 2026-01-01
    assert startdate_text(1767225600) == "2026-01-01 (1767225600)"


def test_an_iso_date_is_shown_as_written_and_no_date_is_refused():
    assert startdate_text(" 2026-06-01 ") == "2026-06-01"
    with pytest.raises(InputError, match=r"^ep\.json: startdate: '01/06/2026' is not a date dcplan reads"):
        startdate_text("01/06/2026", file="ep.json")


def test_provenance_shows_an_epoch_startdate_as_its_date(tmp_path):
    """A URDB file whose startdate is epoch seconds: the run's provenance names the date, with the
    raw value beside it (1672531200 s after 1970-01-01 UTC is 2023-01-01 00:00 UTC)."""
    import json

    from dcplan.report_fingerprint import provenance
    doc = json.loads((DATA / "tariffs" / "comed-il-large-load.json").read_text())
    doc["startdate"] = 1672531200
    f = tmp_path / "epoch.json"
    f.write_text(json.dumps(doc))
    assert provenance({"tariff": f})["data_vintages"] == {"tariff": "dcplan-built tariff file (URDB format, not a URDB "
                                                          "record; price status: estimate), startdate 2023-01-01 "
                                                          "(1672531200)"}
    # a URDB record (its label URDB's id, not dcplan-...): URDB's startdate
    doc["label"] = "5cd1d1e75457a3ec2b4b4f1f"
    f = tmp_path / "urdb.json"   # another file: the vintage is cached by path and mtime
    f.write_text(json.dumps(doc))
    assert provenance({"tariff": f})["data_vintages"] == {"tariff": "URDB startdate 2023-01-01 (1672531200)"}
