"""``Bill.notes`` carries the demand-window caveat from the API (:mod:`dcplan.tariff_window_note`).

A tester billed ComEd (``demandwindow`` 30 min) and APS E-32 (no window) on hourly loads with
``Tariff.bill``: ``Bill.notes`` was empty where ``dcplan bill`` and the site_analysis report say
the demand charges are a lower bound. Why they are (by hand): a month's billed demand is the
highest mean over the utility's window; an hour's mean is the mean of its two 30-min (or four
15-min) means, so the highest hourly mean is at most the highest window mean: billing the hourly
means can only understate the demand.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from dcplan import site_bill
from dcplan.cli_bill_notes import demand_window_note as cli_note
from dcplan.tariff import Tariff
from dcplan.tariff_window_note import WINDOW_NOTE_START
from tests.conftest import DATA

COMED = DATA / "tariffs" / "comed-il-large-load.json"
APS = DATA / "tariffs" / "aps-az-e32-tou-l.json"


def _windows(b) -> list[str]:
    return [n for n in b.notes if n.startswith(WINDOW_NOTE_START)]


def test_a_30_min_window_billed_on_hourly_data_says_lower_bound():
    t = Tariff.from_urdb(COMED)
    assert t.demand_window_min == 30.0  # the bundled file's demandwindow (data/SOURCES.md, Tariffs)
    hourly = pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz="America/Chicago")
    (note,) = _windows(t.bill(pd.Series(1000.0, index=hourly)))
    assert "30-min means" in note and "the demand charges are a lower bound" in note
    # one source of the text: the site report's note (without the fleet's evidence) is this one
    assert note == site_bill.demand_window_note(t, 60.0)
    # a 30-min load bills the window itself: nothing to say
    half = pd.date_range("2025-01-01 00:30", "2025-02-01 00:00", freq="30min", tz="America/Chicago")
    assert _windows(t.bill(pd.Series(1000.0, index=half))) == []


def test_no_window_on_hourly_data_says_lower_bound_as_the_cli_does():
    """APS states no demandwindow: on hourly data the 15- and 30-min windows US utilities commonly
    bill would bill at least as much; a 15-min load is on the shorter of them: no note."""
    t = Tariff.from_urdb(APS)
    assert t.demand_window_min is None
    hourly = pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz="America/Phoenix")
    (note,) = _windows(t.bill(pd.Series(1000.0, index=hourly)))
    assert "states none (no demandwindow)" in note
    # the CLI prints its own line for the same rule: both say the same bound
    said = "the demand charges are a lower bound unless the utility bills hourly demand"
    assert said in note and said in cli_note(t, 60.0)
    q = pd.date_range("2025-01-01 00:15", "2025-02-01 00:00", freq="15min", tz="America/Phoenix")
    assert _windows(t.bill(pd.Series(1000.0, index=q))) == [] and cli_note(t, 15.0) is None
    # no demand charge: nothing to understate
    assert _windows(Tariff.flat(0.10).bill(pd.Series(1000.0, index=hourly))) == []


def test_the_site_report_says_it_once_with_its_evidence():
    """site_bill.bill_notes replaces the bill's caveat by the one with the fleet's evidence."""
    t = Tariff.from_urdb(COMED)
    hourly = pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz="America/Chicago")
    b = t.bill(pd.Series(1000.0, index=hourly))
    ev = {"max_excess_kw": 120.0, "max_excess_frac": 0.012, "month": "2025-01"}
    notes = site_bill.bill_notes(b, t, 60.0, ev)
    assert sum(n.startswith(WINDOW_NOTE_START) for n in notes) == 1
    assert notes[-1] == site_bill.demand_window_note(t, 60.0, ev) and "120 kW" in notes[-1]


def test_scenarios_and_a_tariff_per_year_say_it_once():
    t = Tariff.from_urdb(APS)
    idx = pd.date_range("2025-01-01 01:00", "2027-01-01 00:00", freq="h", tz="America/Phoenix")
    many = pd.DataFrame({f"s{i}": 1000.0 + i for i in range(70)}, index=idx[:744])  # > 64: chunked
    assert len(_windows(t.bill(many))) == 1
    assert len(_windows(Tariff.by_year({2025: t, 2026: t}).bill(pd.Series(1000.0, index=idx)))) == 1


@pytest.mark.parametrize("path", [COMED, APS])
def test_the_caveat_does_not_change_a_figure(path):
    t = Tariff.from_urdb(path)
    hourly = pd.date_range("2025-01-01 01:00", "2025-02-01 00:00", freq="h", tz="America/Chicago")
    load = pd.Series(1000.0, index=hourly)
    b = t.bill(load)
    # flat 1,000 kW: any window's mean is 1,000 kW, so the bill is the same whatever the window
    assert dataclasses.replace(t, demand_window_min=None).bill(load).total_usd == pytest.approx(b.total_usd, abs=1e-6)
