"""``Tariff.bill`` on hour-beginning stamps: refused unless ``stamps`` says what they are, and
``Bill.notes`` names partly covered months (:mod:`dcplan.tariff_bill_stamps`).

A tariff analyst billed ComEd on ``pd.date_range("2025-01-01 00:00", "2025-12-31 23:00", freq="h",
tz="America/Chicago")`` (hour-beginning stamps): the Python API billed a 13th, one-hour month
"2024-12" with its whole demand and fixed charges (+91,460 USD, 2.5 %), every TOU hour one hour
early, and ``Bill.notes`` was empty, while ``dcplan bill`` refuses the same load (``--stamps start``).
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan.cli_bill_notes import partial_months_note
from dcplan.errors import InputError
from dcplan.tariff import Tariff
from dcplan.tariff_window_note import WINDOW_NOTE_START
from tests.conftest import DATA

TOL = 1e-6  # USD: sums of a few thousand products of round numbers
HOUR_BEGINNING = pd.date_range("2025-01-01 00:00", "2025-12-31 23:00", freq="h", tz="America/Chicago")


def _said(b) -> tuple:
    """``b.notes`` but the demand-window caveat: every hourly bill under ``_flat()``'s 10 $/kW demand
    charge, which states no demand window, carries it (tests/test_api_bill_notes.py tests it)."""
    return tuple(n for n in b.notes if not n.startswith(WINDOW_NOTE_START))


def _flat():
    """0.10 $/kWh, 1,000 $/month fixed, 10 $/kW-month flat demand."""
    return Tariff.flat(0.10, fixed_usd_per_month=1000.0, demand_usd_per_kw=10.0)


def test_hour_beginning_stamps_are_refused_naming_the_fix():
    load = pd.Series(5000.0, index=HOUR_BEGINNING)
    with pytest.raises(InputError) as ei:
        _flat().bill(load)
    e = ei.value
    assert e.field == "load_kw.index"
    assert e.detail.startswith("the first timestamp 2025-01-01 00:00:00-06:00 is the only interval of billing "
                               "month 2024-12 (the next, 2025-01-01 01:00:00-06:00, is in 2025-01)")
    assert "pass stamps='start'" in e.detail and "pass stamps='end'" in e.detail
    # the bundled ComEd tariff too (the analyst's case)
    with pytest.raises(InputError, match="only interval of billing month 2024-12"):
        Tariff.from_urdb(DATA / "tariffs" / "comed-il-large-load.json").bill(load)


def test_stamps_start_bills_twelve_whole_months_by_hand():
    """Hand, 8,760 h x 5,000 kW: energy 43,800,000 kWh x 0.10 = 4,380,000; fixed 12 x 1,000;
    demand 12 x 5,000 x 10 = 600,000; total 4,992,000 USD, no partial-month note."""
    b = _flat().bill(pd.Series(5000.0, index=HOUR_BEGINNING), stamps="start")
    assert [str(m) for m in b.months] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert b.total_usd == pytest.approx(8760 * 5000 * 0.10 + 12 * 1000 + 12 * 5000 * 10, abs=TOL)
    assert _said(b) == () and b.notes[0].startswith(WINDOW_NOTE_START)  # (the hourly demand's caveat only)


def test_stamps_end_bills_the_lone_hour_as_a_month_and_notes_it():
    """Read as ends on purpose: 13 months. The lone hour's month adds its whole fixed (1,000) and
    demand (5,000 x 10) charges: +51,000 USD by hand (energy only moves: 5,000 kWh from 2025-12 to
    2024-12). The note names both partial months: 2024-12 (1 h = 0.04 of 31 days) and 2025-12 (the
    load ends at 23:00 on the 31st: 31 - 1/24 = 30.96 days)."""
    load = pd.Series(5000.0, index=HOUR_BEGINNING)
    ref = _flat().bill(load, stamps="start").total_usd
    b = _flat().bill(load, stamps="end")
    assert len(b.months) == 13
    assert b.total_usd - ref == pytest.approx(1000 + 5000 * 10, abs=TOL)
    (note,) = _said(b)
    assert note.startswith("the load covers 2024-12 (0.04 of 31 days) and 2025-12 (30.96 of 31 days) only partly")
    assert "fixed and demand charges are whole-month charges" in note


def test_stamps_start_puts_each_hour_in_its_own_tou_period():
    """Peak 0.20 $/kWh for the hour starting 14:00 on weekdays, else 0.10. Hour-beginning load,
    January 2025 (UTC): 100 kW in the hour starting 14:00, 1 kW otherwise. Jan 2025 has 23 weekdays
    (Wed 1 - Fri 3, then four whole weeks) and 8 weekend days. Hand: 23 x 100 x 0.20 + 8 x 100 x 0.10
    + (744 - 31) x 1 x 0.10 = 460 + 80 + 71.30 = 611.30 USD. Read as ends (the old bill, shifted one
    hour early) the 100 kW hour would be billed at 0.10 and the hour starting 13:00 at 0.20."""
    idx = pd.date_range("2025-01-01 00:00", "2025-01-31 23:00", freq="h", tz="UTC")
    load = pd.Series(1.0, index=idx)
    load[idx.hour == 14] = 100.0
    t = Tariff.tou(0.10, [{"name": "peak", "usd_per_kwh": 0.20, "hours": [14]}])
    b = t.bill(load, stamps="start", tz="UTC")  # the peak hour on the UTC clock, as by hand (tariff_clock)
    assert b.total_usd == pytest.approx(23 * 100 * 0.20 + 8 * 100 * 0.10 + (744 - 31) * 1 * 0.10, abs=TOL)
    # the same as the load labelled at its ends (the convention) with no stamps argument
    ends = pd.Series(load.to_numpy(), index=idx + pd.Timedelta("1h"))
    assert t.bill(ends, tz="UTC").total_usd == pytest.approx(b.total_usd, abs=TOL)


def test_a_partial_first_month_of_several_intervals_bills_with_its_note():
    """Interval-ending hours from 2025-01-16 01:00 to 2025-03-01 00:00: January covers 16 days
    (16-31 Jan), February its 28. It bills (three months would be wrong: two) and the note, the one
    ``dcplan bill`` prints, names January: 16 of 31 days."""
    idx = pd.date_range("2025-01-16 01:00", "2025-03-01 00:00", freq="h", tz="America/Chicago")
    b = _flat().bill(pd.Series(5000.0, index=idx))
    assert [str(m) for m in b.months] == ["2025-01", "2025-02"]
    # hand: fixed 2 x 1,000; demand 2 x 50,000; energy (16 + 28) x 24 x 5,000 x 0.10
    assert b.total_usd == pytest.approx(2000 + 100_000 + 44 * 24 * 5000 * 0.10, abs=TOL)
    (note,) = _said(b)
    assert note.startswith("the load covers 2025-01 (16 of 31 days) only partly (days_billed)")
    m = b.monthly.copy()
    m.index = m.index.astype(str)
    assert partial_months_note(m, _flat()) == f"Note:   {note}"  # dcplan bill's words are the same


def test_energy_only_partial_month_has_no_note_and_whole_years_none():
    idx = pd.date_range("2025-01-16 01:00", "2025-03-01 00:00", freq="h", tz="UTC")
    assert Tariff.flat(0.1).bill(pd.Series(1.0, index=idx)).notes == ()  # billed for what it uses
    year = pd.date_range("2025-01-01 01:00", "2026-01-01 00:00", freq="h", tz="UTC")  # internal callers' form
    assert _said(_flat().bill(pd.Series(1.0, index=year))) == ()


def test_a_lone_last_interval_is_refused_and_a_bad_stamps_value_named():
    idx = pd.date_range("2025-01-01 01:00", "2025-02-01 01:00", freq="h", tz="UTC")
    with pytest.raises(InputError, match=r"the last timestamp 2025-02-01 01:00:00\+00:00 is the only interval "
                                         r"of billing month 2025-02"):
        _flat().bill(pd.Series(1.0, index=idx))
    with pytest.raises(InputError) as ei:
        _flat().bill(pd.Series(1.0, index=idx), stamps="begin")
    assert ei.value.field == "stamps" and "'begin' is not a label convention" in ei.value.detail


def test_by_year_refuses_and_takes_stamps_alike():
    """Two years of hour-beginning stamps billed by year: refused without stamps; with
    stamps='start' 24 whole months. Hand: 17,520 h x 5,000 kW x 0.10 + 24 x (1,000 + 50,000)."""
    idx = pd.date_range("2025-01-01 00:00", "2026-12-31 23:00", freq="h", tz="UTC")
    load = pd.Series(5000.0, index=idx)
    yt = Tariff.by_year({2025: _flat(), 2026: _flat()})
    with pytest.raises(InputError, match="only interval of billing month 2024-12"):
        yt.bill(load)
    b = yt.bill(load, stamps="start")
    assert len(b.months) == 24 and _said(b) == ()
    assert sum(n.startswith(WINDOW_NOTE_START) for n in b.notes) == 1  # one tariff's caveat, said once
    assert b.total_usd == pytest.approx(17_520 * 5000 * 0.10 + 24 * 51_000, abs=1e-5)
