"""The off-peak notebook's money figures and its bills' caveat (a verifier's findings).

1. ``render --notebooks offpeak_scheduling --sites phoenix-az -p jobs_file jobs_example.csv -p rolling_weeks 4``
   published the headline "What the optimization adds over the cheapest-hours greedy baseline: ... -2.35e-06 USD":
   two bills equal to the cent, their difference float noise. A USD figure below half a cent in magnitude (what
   rounds to 0 cents) now publishes 0 (dcplan.schedule_labels.USD_ZERO, was 1e-6 USD).
2. The demand-window caveat (``Bill.notes``: the demand charges of hourly means are a lower bound where the
   utility bills 15- or 30-min demand) did not reach the notebook, whose demand savings rest on the same
   hourly-mean bills: it is printed once for the strategies' bills (dcplan.schedule_labels.window_caveat).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan.schedule_labels import USD_ZERO, burst_note, figure, window_caveat
from dcplan.tariff import Tariff
from dcplan.tariff_window_note import WINDOW_NOTE_START, demand_window_note
from tests.conftest import DATA

APS = DATA / "tariffs" / "aps-az-e32-tou-l.json"


def test_a_saving_below_half_a_cent_publishes_zero():
    assert USD_ZERO == 0.005  # half a cent: what rounds to 0 cents
    assert figure(-2.35e-06, "USD", "saving vs greedy", "vs_greedy_usd", {}) == (0.0, "USD", "saving vs greedy")
    for tiny in (0.0049, -0.0049, -1.4551915228366852e-11):
        v = figure(tiny, "USD", "x", "k", {})[0]
        assert v == 0.0 and not np.signbit(v)  # 0, not "-0"
    assert figure(-0.0051, "USD", "x", "k", {})[0] == -0.0051  # a cent's worth (rounds to -0.01): kept
    assert figure(12.5, "USD", "x", "k", {})[0] == 12.5
    assert figure(2e-6, "kW", "x", "k", {})[0] == 2e-6  # USD figures only
    assert burst_note("4 weeks", -2.35e-06, "").startswith("Billed saving vs run-ASAP over 4 weeks: 0 USD.")


def _bills(step: str, periods: int):
    """APS bills of two strategies' loads on a July grid of ``step``: 1,000 kW, 1,500 kW in one interval."""
    idx = pd.date_range("2025-07-01", periods=periods, freq=step, tz="America/Phoenix") + pd.Timedelta(step)
    a = pd.Series(1000.0, index=idx)
    b = a.copy()
    b.iloc[17] = 1500.0
    t = Tariff.from_urdb(APS)
    return t, {"asap": t.bill(b), "optimized": t.bill(a)}


def test_the_window_caveat_is_the_bills_note_once_for_all_strategies():
    """The APS file states no demandwindow and bills demand: on an hourly load the 15- and 30-min windows a
    utility commonly bills are shorter than the step, so each bill carries dcplan.tariff_window_note's note for
    a 60-min step (the source text, derived here from the tariff, not from the bills); both bills carry the same
    note, said once. On a 15-min load no common window is shorter: no note, "" (nothing printed)."""
    t, hourly = _bills("1h", 31 * 24)
    want = demand_window_note(t, 60.0)
    assert want and want.startswith(WINDOW_NOTE_START) and "lower bound" in want
    assert window_caveat(hourly) == want
    assert all(want in b.notes for b in hourly.values())
    _, quarter = _bills("15min", 31 * 96)
    assert demand_window_note(t, 15.0) is None and window_caveat(quarter) == ""


@pytest.mark.slow
def test_the_notebook_prints_the_caveat_once_where_its_bills_are_shown(monkeypatch, capsys):
    """phoenix-az, one rolling week: the week's bills are 15-min (no note), the year's hourly (the note for a
    60-min step of the site's APS tariff, printed once for the three strategies' bills, not per case; and once more
    as the published rolling_bill_notes, which the results table shows)."""
    from tests.conftest import run_cells_until
    ns, _ = run_cells_until("offpeak_scheduling", "roll = year.result()", monkeypatch, site="phoenix-az",
                            rolling_weeks=1)
    t = Tariff.from_urdb(APS)
    assert ns["week_window"] == ""
    assert ns["year_window"] == demand_window_note(t, 60.0)
    out = capsys.readouterr().out
    assert out.count(WINDOW_NOTE_START) == 2
    assert "What the bills over 1 week assumed of the tariff's demand window" in out
    assert "The bills over 1 week (run-ASAP, greedy, optimized; the savings between them too): demand window: " \
        in out


@pytest.mark.slow
def test_the_year_publishes_its_window_caveat_and_greedys_bill_against_the_sites(tmp_path):
    """chicago-il, two rolling weeks, rendered. (1) ComEd bills 30-min demand (demandwindow 30), the year's bills are
    hourly: the caveat was printed only, so results.json (and the CSV and finance exports built from it) gave the
    bills and savings with none; it is published as rolling_bill_notes, the note derived here from the tariff.
    (2) The headline saving vs greedy says greedy's bill against the site's own over the same weeks: by hand from the
    published bills, greedy's = run-ASAP's - saving vs run-ASAP + saving vs greedy."""
    import json

    from dcplan.report import render
    s = render(sites=["chicago-il"], notebooks=["offpeak_scheduling"], out=tmp_path, jobs=1, progress=False,
               parameters={"rolling_weeks": 2})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "chicago-il" / "offpeak_scheduling" / "results.json").read_text())["results"]
    comed = Tariff.from_urdb(DATA / "tariffs" / "comed-il-large-load.json")
    want = demand_window_note(comed, 60.0)
    assert want and "30-min" in want and "lower bound" in want
    assert res["rolling_bill_notes"]["value"] == want
    v = {k: res[k]["value"] for k in ("rolling_asap_bill_usd", "rolling_saving_vs_asap_usd",
                                      "rolling_saving_vs_greedy_usd", "site_bill_pv_no_battery_same_weeks_usd")}
    greedy_over_site = (v["rolling_asap_bill_usd"] - v["rolling_saving_vs_asap_usd"]
                        + v["rolling_saving_vs_greedy_usd"] - v["site_bill_pv_no_battery_same_weeks_usd"])
    side = "above" if greedy_over_site >= 0 else "below"
    assert (f"greedy's bill is {abs(greedy_over_site):,.0f} USD {side} the site's own modelled bill over the same "
            "weeks") in res["rolling_saving_vs_greedy_usd"]["label"]
    above = res["rolling_demand_saving_vs_greedy_above_site_usd"]["value"]
    assert above >= 0.0
