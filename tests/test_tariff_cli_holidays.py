"""``dcplan bill --holidays CODE`` lists the days it bills as holidays and says a country calendar is
not a utility's (:func:`dcplan.cli_bill_notes.holiday_lines`); the six NERC off-peak holidays as
``dcplan_holidays`` rules (:data:`dcplan.tariff_holidays.NERC_OFF_PEAK`).

A tariff analyst billed with ``--holidays US``: the holidays package's US calendar has 11 days (MLK,
Presidents', Juneteenth, Columbus, Veterans...), most utility TOU schedules use the six NERC
holidays, and the bill did not say which days it billed as weekends.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.tariff import Tariff
from dcplan.tariff_holidays import NERC_OFF_PEAK, holiday_names, nerc_calendar

TZ = "America/Chicago"
#: US federal holidays 2025 (OPM, "Federal Holidays", 2025 list), the holidays package's "US" calendar.
US_2025 = ["2025-01-01", "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01",
           "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25"]
#: The NERC six in 2025 (New Year's Wed, Memorial last Mon of May, Independence Fri, Labor 1st Mon of
#: Sep, Thanksgiving 4th Thu of Nov, Christmas Thu): all weekdays, none moved.
NERC_2025 = ["2025-01-01", "2025-05-26", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"]


def _tou_item(**extra):
    """Weekday energy 0.20 $/kWh all day, weekend (and holiday) 0.10 $/kWh."""
    return {"label": "t", "energyratestructure": [[{"rate": 0.20}], [{"rate": 0.10}]],
            "energyweekdayschedule": [[0] * 24] * 12, "energyweekendschedule": [[1] * 24] * 12, **extra}


def _load_csv(tmp_path) -> str:
    idx = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz=TZ)
    f = tmp_path / "load.csv"
    pd.DataFrame({"interval_end": [t.isoformat() for t in idx], "load_kw": 1.0}).to_csv(f, index=False)
    return str(f)


def _bill(tmp_path, capsys, item, *extra) -> str:
    t = tmp_path / "t.json"
    t.write_text(json.dumps(item))
    assert main(["bill", "--tariff", str(t), "--load", _load_csv(tmp_path), "--tz", TZ, *extra]) == 0
    return capsys.readouterr().out


def test_holidays_us_lists_the_days_and_says_it_is_not_a_utility_calendar(tmp_path, capsys):
    out = _bill(tmp_path, capsys, _tou_item(), "--holidays", "US")
    (line,) = [ln for ln in out.splitlines() if ln.startswith("Holidays:")]
    assert line.startswith("Holidays: --holidays US: 11 days of the load billed on the weekend schedules (energy and "
                           "demand), 11 of them weekdays: 2025-01-01 Wed New Year's Day, 2025-01-20 Mon Martin Luther")
    listed = [w for w in line.split() if w[:4] == "2025"]
    assert listed == US_2025
    (note,) = [ln for ln in out.splitlines() if ln.startswith("Note:   --holidays US")]
    assert "is a country's public-holiday calendar (the holidays package), not a utility's" in note
    # the five days US bills that NERC does not (11 - 6), by name and date
    for name, d in (("Martin Luther King Jr. Day", "2025-01-20"), ("Washington's Birthday", "2025-02-17"),
                    ("Juneteenth National Independence Day", "2025-06-19"), ("Columbus Day", "2025-10-13"),
                    ("Veterans Day", "2025-11-11")):
        assert f"{name} ({d})" in note
    assert "are billed as weekend days here, not NERC holidays" in note
    # the JSON it prints, put into the tariff item, bills the NERC six
    six = json.loads(note.split('"dcplan_holidays": ', 1)[1])
    assert [e["rule"] for e in six] == ["Jan 1", "last Mon of May", "Jul 4", "1st Mon of Sep", "4th Thu of Nov",
                                        "Dec 25"]
    out6 = _bill(tmp_path, capsys, _tou_item(dcplan_holidays=six))
    (line6,) = [ln for ln in out6.splitlines() if ln.startswith("Holidays:")]
    assert line6.startswith("Holidays: the tariff's dcplan_holidays: 6 days of the load billed on the weekend")
    assert [w for w in line6.split() if w[:4] == "2025"] == NERC_2025
    assert "Note:   --holidays" not in out6  # a utility's own list: no country-calendar note


def test_the_bills_differ_by_the_holidays_listed():
    """1 kW all 2025 (Chicago): each weekday holiday moves 24 kWh from 0.20 to 0.10 $/kWh, 2.40 USD.
    Hand: US 11 days -> 26.40 USD less than no holidays; NERC six -> 14.40 USD less."""
    idx = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz=TZ)
    load = pd.Series(1.0, index=idx)
    t = Tariff.from_urdb(_tou_item())
    base = t.bill(load).total_usd
    assert base - t.bill(load, holidays="US").total_usd == pytest.approx(11 * 24 * 0.10, abs=1e-9)
    assert base - t.bill(load, holidays=nerc_calendar()).total_usd == pytest.approx(6 * 24 * 0.10, abs=1e-9)


def test_nerc_six_match_the_published_2010_list():
    """NERC's list for 2010: New Year's Fri Jan 1, Memorial Mon May 31, Independence Mon Jul 5 (Jul 4 a
    Sunday), Labor Mon Sep 6, Thanksgiving Thu Nov 25, Christmas Sat Dec 25 (a Saturday stays). The
    Sunday Jul 4 itself is a holiday too (a weekend day: billing it so changes nothing)."""
    named = holiday_names(nerc_calendar(), dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    weekdays = [d for d in named if d.weekday() < 5]
    assert weekdays == [dt.date(2010, 1, 1), dt.date(2010, 5, 31), dt.date(2010, 7, 5), dt.date(2010, 9, 6),
                        dt.date(2010, 11, 25)]
    assert named[dt.date(2010, 7, 5)] == "Independence Day (observed)"
    assert dt.date(2010, 12, 25) in named and dt.date(2010, 12, 24) not in named  # Saturday: no Friday
    assert len(NERC_OFF_PEAK) == 6 and all(e["source"] for e in NERC_OFF_PEAK)
