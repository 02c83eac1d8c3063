"""dcplan.schedule_window.local_week: the week shown runs from local midnight to local midnight.

The off-peak notebook built its week as 168 absolute hours from ``pd.Timestamp(week_start).tz_localize(tz)``:
across a clock change the week was not Monday 00:00 to the next Monday 00:00 (research-triangle-nc from
3 Mar 2025 ran to Mon 10 Mar 01:00 EDT and billed 7.0417 days; from 27 Oct 2025 it missed the last hour
of Sun 2 Nov), and a week starting on a day whose midnight does not exist (America/Santiago 7 Sep 2025:
00:00 -> 01:00) raised pandas' NonExistentTimeError.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dcplan import schedule as S
from dcplan.errors import InputError
from dcplan.schedule_window import local_day_start, local_week
from dcplan.tariff import Tariff


def test_a_day_without_a_midnight_starts_at_its_first_instant():
    # Chile: the clocks go forward at 00:00 on Sun 7 Sep 2025 (-04 -> -03), so the day starts at 01:00 -03;
    # the next Sunday's midnight exists (-03). Elapsed: 7 x 24 - 1 = 167 h, 668 quarter hours
    w = local_week(dt.date(2025, 9, 7), "America/Santiago")
    assert w.start == pd.Timestamp("2025-09-07 01:00", tz="America/Santiago")
    assert w.start.utcoffset() == pd.Timedelta(hours=-3)
    assert w.end == pd.Timestamp("2025-09-14 00:00", tz="America/Santiago")
    assert w.hours == 167.0 and len(w.index) == 668 and w.index.freqstr == "15min"
    assert w.index[0] == w.start + pd.Timedelta("15min") and w.index[-1] == w.end
    assert "Sun 07 Sep has no local midnight (the clocks go forward at 00:00): it starts at 01:00" in w.text
    # Cuba likewise (00:00 -> 01:00 on 9 Mar 2025)
    assert local_day_start("2025-03-09", "America/Havana") == pd.Timestamp("2025-03-09 01:00", tz="America/Havana")


def test_a_repeated_midnight_starts_at_its_first_pass():
    # Cuba: the clocks go back at 01:00 on 2 Nov 2025 (-04 -> -05), so 00:00-01:00 happens twice: the day
    # starts at the first, 00:00 -04 = 04:00 UTC
    s = local_day_start(dt.date(2025, 11, 2), "America/Havana")
    assert s == pd.Timestamp("2025-11-02 04:00", tz="UTC")


@pytest.mark.parametrize("day,hours,last", [
    # spring forward on Sun 9 Mar 2025 (02:00 -> 03:00): 167 h, ending Mon 10 Mar 00:00 EDT (-04)
    ("2025-03-03", 167.0, "2025-03-10 00:00:00-04:00"),
    # fall back on Sun 2 Nov 2025 (02:00 -> 01:00): 169 h, ending Mon 3 Nov 00:00 EST (-05)
    ("2025-10-27", 169.0, "2025-11-03 00:00:00-05:00"),
    ("2025-07-14", 168.0, "2025-07-21 00:00:00-04:00"),
])
def test_a_week_runs_monday_midnight_to_monday_midnight_across_a_clock_change(day, hours, last):
    w = local_week(day, "America/New_York")
    assert w.hours == hours and len(w.index) == hours * 4 and str(w.index[-1]) == last
    assert w.start.hour == 0 and w.start.strftime("%a") == "Mon" and w.end.strftime("%a %H:%M") == "Mon 00:00"
    assert w.text.startswith(f"{w.start:%a %d %b %Y} 00:00 to {w.end:%a %d %b %Y} 00:00 local time, {hours:g} h")
    assert ("the clocks change in it" in w.text) == (hours != 168)
    # the week's bill covers exactly its 7 local days: 7 days billed (the 168-h grid billed 7 + 1/24 in
    # spring), one billing month; a flat 1 kW load is 1 kWh per elapsed hour
    b = Tariff.flat(0.1).bill(pd.Series(1.0, index=w.index))
    assert float(b.monthly["days_billed"].sum()) == pytest.approx(7.0, abs=1e-12)
    assert float(b.monthly["energy_kwh"].sum()) == pytest.approx(hours, abs=1e-9)


def test_the_scheduler_takes_a_167_hour_week():
    # one job of 100 kWh at <= 10 kW over the whole spring week: it fits, and the optimized flexible energy
    # is the job's (abs 1e-6: LP) on the 668 intervals of 15 min
    w = local_week("2025-03-03", "America/New_York")
    job = {"name": "a", "energy_kwh": 100.0, "power_kw": 10.0, "earliest_start": w.start, "deadline": w.end}
    r = S.optimize([job], w.index, price_usd_per_kwh=0.1, cap_kw=100.0)
    assert len(r.load) == 668
    assert r.load["flex_it_kw"].sum() * 0.25 == pytest.approx(100.0, abs=1e-6)
    # the synthetic mix generated over the week's elapsed hours stays within it
    jobs = S.generate_jobs(w.start, w.hours / 24, n_jobs=20, n_nonpreemptible=2, flex_kw=1000.0,
                           utilisation_frac=0.3, seed=0)
    assert jobs["deadline"].max() <= w.end and jobs["earliest_start"].min() >= w.start


@pytest.mark.parametrize("day", ["2025-03-03 12:00", pd.Timestamp("2025-03-03", tz="UTC")])
def test_a_time_of_day_is_not_a_day(day):
    with pytest.raises(InputError, match=r"week_start: a local calendar day \(YYYY-MM-DD, no time or zone\)"):
        local_week(day, "America/New_York")
