"""Coincident-peak charges in the off-peak schedules' bills (tester finding: a site whose tariff bills
coincident peaks failed in the off-peak notebook, whose weekly bills passed no ``coincident_peaks``).

The schedules' bills take the site's system peaks that fall in the billed index
(:func:`dcplan.schedule_demand.peaks_in`): Tariff.bill refuses a peak outside the load, and each
billing month's coincident demand is the mean at its peaks in the load.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dcplan import schedule
from dcplan.errors import InputError
from dcplan.schedule_demand import peaks_in
from dcplan.schedule_rolling import rolling_horizon
from dcplan.tariff import Tariff

TZ = "America/New_York"
# energy 0.10 $/kWh at all hours; coincident demand 10 $/kW-month at every hour (period 0)
CP_TARIFF = {"energyratestructure": [[{"rate": 0.10}]], "energyweekdayschedule": [[0] * 24] * 12,
             "energyweekendschedule": [[0] * 24] * 12, "coincidentratestructure": [[{"rate": 10.0}]],
             "coincidentrateschedule": [[0] * 24] * 12}


def _ts(s):
    return pd.Timestamp(s, tz=TZ)


def test_peaks_in_keeps_the_peaks_whose_hour_lies_in_the_load():
    # 15-min load 2025-07-14 00:00 to 07-21 00:00 (interval ends 00:15 .. 07-21 00:00)
    idx = pd.date_range(_ts("2025-07-14 00:15"), _ts("2025-07-21 00:00"), freq="15min")
    peaks = [_ts("2025-07-14 00:45"),  # its 60 min start 23:45 the day before: outside
             _ts("2025-07-14 01:00"),  # 00:00-01:00: the first whole hour of the load
             _ts("2025-07-15 17:00"), _ts("2025-07-21 00:00"),  # the last hour of the load
             _ts("2025-07-21 01:00"), _ts("2025-08-12 16:00")]  # after the load
    assert peaks_in(peaks, idx) == peaks[1:4]
    assert peaks_in(None, idx) is None
    # an hourly load: each peak is one load interval, so every interval end in the load is kept
    hourly = pd.date_range(_ts("2025-07-14 01:00"), _ts("2025-07-21 00:00"), freq="h")
    assert peaks_in(peaks, hourly) == peaks[1:4]


def _job(name, kw, kwh, start, end):
    return {"name": name, "energy_kwh": kwh, "power_kw": kw, "earliest_start": _ts(start), "deadline": _ts(end)}


def test_a_coincident_peak_tariff_bills_the_peaks_in_the_week():
    t = Tariff.from_urdb(CP_TARIFF)
    idx = pd.date_range(_ts("2025-07-14 01:00"), periods=48, freq="h")  # 14 and 15 July
    # a job whose window is exactly 16:00-20:00 on 14 July: 100 kW over the system peak hour 16:00-17:00
    jobs = [_job("a", 100.0, 400.0, "2025-07-14 16:00", "2025-07-14 20:00")]
    with pytest.raises(InputError, match="coincident_peaks"):  # the finding: no peaks, no bill
        schedule.optimize(jobs, idx, tariff=t, base_it_kw=50.0)
    peaks = [_ts("2025-07-14 17:00"), _ts("2025-07-15 04:00"), _ts("2025-08-12 16:00")]
    r = schedule.optimize(jobs, idx, tariff=t, base_it_kw=50.0, coincident_peaks=peaks)
    # July's coincident demand is the mean at its two peaks in the load, (150 + 50) / 2 = 100 kW (the
    # August peak is outside the load: not billed); x 10 $/kW-month = 1,000 USD in every strategy
    for k in ("optimized", "asap", "greedy"):
        assert r.costs.at[k, "bill_demand_usd"] == pytest.approx(1000.0, abs=1e-9), k
        # energy: 48 h x 50 kW + 400 kWh = 2,800 kWh x 0.10
        assert r.costs.at[k, "bill_total_usd"] == pytest.approx(1280.0, abs=1e-9), k
    dem = r.demand_by_charge
    assert dem["asap_kw"].tolist() == pytest.approx([100.0])
    # optimize_each passes them on too (the sensitivity cases of the notebook)
    (r2,) = schedule.optimize_each([{"jobs": jobs}], idx, tariff=t, base_it_kw=50.0, coincident_peaks=peaks,
                                   max_workers=1)
    assert r2.costs.at["optimized", "bill_demand_usd"] == pytest.approx(1000.0, abs=1e-9)


def test_the_rolling_horizon_bills_the_peaks_in_its_weeks():
    t = Tariff.from_urdb(CP_TARIFF)
    idx = pd.date_range(_ts("2025-07-14 01:00"), periods=14 * 24, freq="h")  # 14 to 27 July
    jobs = [_job("a", 100.0, 400.0, "2025-07-21 16:00", "2025-07-21 20:00")]
    peaks = [_ts("2025-07-21 17:00"), _ts("2025-06-30 17:00")]
    r = rolling_horizon(jobs, idx, tariff=t, base_it_kw=50.0, commit="7D", lookahead="1D", coincident_peaks=peaks)
    # July: the one peak in the weeks, at 150 kW (the June peak is outside the weeks): 1,500 USD
    for k in ("optimized", "asap", "greedy"):
        assert r.costs.at[k, "bill_demand_usd"] == pytest.approx(1500.0, abs=1e-9), k


def test_a_rolling_horizon_without_the_peaks_names_them():
    t = Tariff.from_urdb(CP_TARIFF)
    idx = pd.date_range(_ts("2025-07-14 01:00"), periods=7 * 24, freq="h")
    with pytest.raises(InputError, match=r"coincident_peaks: tariff has coincident-peak charges; give the "
                                         r"system-peak interval labels"):
        rolling_horizon([_job("a", 100.0, 400.0, "2025-07-15 16:00", "2025-07-15 20:00")], idx, tariff=t,
                        base_it_kw=50.0)


@pytest.mark.slow
def test_the_offpeak_notebook_bills_a_coincident_peak_tariff(tmp_path):
    """Chicago's ComEd tariff with a coincident-peak charge added: the notebook ran into Tariff.bill's
    "give the system-peak interval labels" error; now its bills take the site's peaks in each week."""
    from conftest import DATA, bundled_site_copy

    from dcplan.report import render
    u = json.loads((DATA / "tariffs" / "comed-il-large-load.json").read_text())
    u.update({"coincidentratestructure": [[{"rate": 10.0}]], "coincidentrateschedule": [[0] * 24] * 12})
    tf = tmp_path / "comed-cp.json"
    tf.write_text(json.dumps(u))
    # one peak in the week shown (Mon 14 July 2025), one in the rolling horizon's week (from 1 January), one in
    # neither
    site = bundled_site_copy(tmp_path, "chicago-il", "cp-site", tariff={
        "file": str(tf), "coincident_peaks": ["2025-07-15 17:00", "2025-01-03 17:00", "2025-08-12 16:00"]})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: one site\nsites:\n  - {site}\n")
    s = render(portfolio=pf, notebooks=["offpeak_scheduling"], out=tmp_path / "r", jobs=1, progress=False,
               parameters={"rolling_weeks": 1})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "r" / "cp-site" / "offpeak_scheduling" / "results.json").read_text())["results"]
    # the week's bills say which peaks they take
    assert ("; coincident-peak charges at the 1 of the site's 3 system peaks in the week (tariff.coincident_peaks)"
            in res["week_bill_optimized_usd"]["label"])
    # the coincident charge is one of the demand charges published, its saving its rate x its kW cut
    cut = (res["week_billed_demand_coincident_demand_0_asap_kw"]["value"]
           - res["week_billed_demand_coincident_demand_0_optimized_kw"]["value"])
    assert res["week_demand_saving_coincident_demand_0_usd"]["value"] == pytest.approx(10.0 * cut, abs=1e-6)
    # and the run times are not figures (they change between identical runs)
    assert not {"rolling_wall_s", "week_solve_s"} & set(res)
