"""The off-peak notebook's words and site comparison, moved out of the notebook into dcplan
(dcplan.schedule_labels, dcplan.schedule_site, dcplan.schedule_demand.saving_above_site): the
notebook calls them, and its published values did not change (a chicago-il render before and after
gave the same results.json values and labels)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dcplan import schedule, schedule_labels as sl, schedule_site
from dcplan.schedule_demand import above_site_by_month, saving_above_site
from dcplan.tariff import Tariff

H = pd.date_range("2025-07-01 01:00", periods=4, freq="h", tz="UTC")


def test_figure_is_the_number_or_na_with_the_reason_and_says_whose_fleet():
    note = "NOT the site's fleet: a fleet at 0.75"
    assert sl.figure(np.float64(3.5), "USD", "Week: saving", "vs_asap_usd", {}) == (3.5, "USD", "Week: saving")
    assert sl.figure(3.5, "USD", "Week: saving", "vs_asap_usd", {"vs_asap_usd": "run-ASAP left 2 of 9 jobs"},
                     fleet_note=note) == ("n/a: run-ASAP left 2 of 9 jobs", None, f"Week: saving [{note}]")
    assert sl.figure(np.nan, "kW", "x", "k", {}) == ("n/a: no figure", None, "x")
    assert sl.of_fleet("x", "") == "x"


def test_week_bill_note_names_the_whole_month_charges():
    assert sl.week_bill_note(["2025-07"], True, True) == (
        "billing month 2025-07", "demand and fixed",
        "the week's energy + the whole month's demand and fixed charges of billing month 2025-07")
    assert sl.week_bill_note(["2025-10", "2025-11"], False, True)[2] == (
        "the week's energy + the whole month's fixed charges of each of billing months 2025-10, 2025-11")
    assert sl.week_bill_note(["2025-07"], False, False)[1:] == ("", "the week's energy")
    assert sl.coincident_note(None, None) == ""
    assert sl.coincident_note(["a", "b"], []) == ("; coincident-peak charges at the 0 of the site's 2 system peaks "
                                                  "in the week (tariff.coincident_peaks)")


def _dem(rows):
    return pd.DataFrame(rows, columns=["charge", "text", "saving_usd"]).set_index(
        pd.Index([f"c{i}" for i in range(len(rows))]))


def test_reduction_label_names_the_one_own_peak_charge_or_says_why_none():
    one = _dem([("flat_demand", "the all-hours demand charge, 18 $/kW-month", 10.0),
                ("coincident_demand", "the coincident demand charge (0), 10 $/kW-month", 5.0)])
    text, why = sl.reduction_label(one, {"x": "y"})
    assert text.startswith("Week: reduction in billed demand vs run-ASAP (the all-hours demand charge, 18 $/kW-month: "
                           "the tariff's one demand charge on the site's own peak;") and why == {"x": "y"}
    two = _dem([("flat_demand", "A", 1.0), ("tou_demand", "B", 3.0)])
    text, why = sl.reduction_label(two, {})
    assert text == "Week: reduction in billed demand vs run-ASAP"
    assert why["billed_demand_reduction_kw"].startswith("the tariff bills 2 demand charges, each on the peak of its "
                                                        "own hours at its own rate (A; B)")
    assert sl.reduction_label(_dem([]), {})[1] == {
        "billed_demand_reduction_kw": "the tariff bills no demand charge on the site's own peak"}
    assert sl.top_charge_note(two) == "; most of it on B: 3 USD"
    assert sl.top_charge_note(_dem([("flat_demand", "A", 1.0)])) == ""


def test_sensitivity_points_and_cases_in_words():
    assert sl.case_text(("slack", 0.25)) == "deadline slack kept 0.25 of the original"
    assert sl.case_text(("spread", 0.0)) == "price spread 0 x the tariff's (flat price)"
    short = pd.DataFrame({"job": ["a", "b"], "unplaced_kwh": [1000.4, 500.0]})
    v, why = sl.sensitivity_point(schedule.ScheduleInfeasible("no", short), "saving")
    assert np.isnan(v) and why == "infeasible, 2 jobs short, 1,500 kWh in total"
    jobs = [{"name": "a", "energy_kwh": 100.0, "power_kw": 100.0, "earliest_start": H[0] - pd.Timedelta("1h"),
             "deadline": H[-1]}]
    # 0.1 $/kWh before 03:00, 0.3 after: ASAP runs the job in the first hour, as the optimizer does
    r = schedule.optimize(jobs, H, price_usd_per_kwh=pd.Series([0.1, 0.1, 0.3, 0.3], index=H))
    assert sl.sensitivity_point(r, "bill") == (pytest.approx(10.0), "")
    assert sl.sensitivity_point(r, "saving") == (pytest.approx(0.0), "")


def test_partial_months_and_what_the_site_has():
    # 52 whole weeks from 1 January: the year's last day is left out, so December is partial
    year = pd.date_range("2025-01-01 01:00", periods=52 * 7 * 24, freq="h", tz="America/Chicago")
    assert sl.partial_months(year) == ["2025-12"]
    assert sl.partial_months(pd.date_range("2025-07-01 01:00", "2025-08-01 00:00", freq="h", tz="UTC")) == []
    assert sl.partial_months(pd.date_range("2025-07-14 00:15", "2025-07-21 00:00", freq="15min", tz="UTC"),
                             "15min") == ["2025-07"]
    assert sl.site_assets_text(False, True) == ("battery, no on-site PV", "without its battery (it has no on-site PV)")
    assert sl.site_assets_text(False, False)[1] == "(it has no on-site PV or battery)"


def test_it_gap_text_lists_the_causes_of_half_a_mwh_or_more():
    gap = {"the job mixes' fill": 50.0, "diversity_frac": 0.4, "the fleet model's own utilisation and curve": -12.6}
    assert sl.it_gap_text(7650.0, 7612.2, gap, fill_frac=0.41, asked_frac=0.4, idle_frac=0.25, curve="linear",
                          diversity_frac=0.9) == (
        "scheduled IT (run-ASAP's) 7,650 MWh vs the site's 7,612 MWh (+0.5%), both with idle power; the gap by "
        "cause: the job mixes' fill +50 MWh, the fleet model's own utilisation and curve -13 MWh (the year's mixes "
        "fill 0.41 of the flexible capacity, asked 0.4; the fleet's idle share 0.25, power curve linear, "
        "diversity_frac 0.9)")


def test_saving_above_site_bills_the_sites_load_over_the_period():
    t = Tariff.flat(0.1).with_demand_charge(10.0)

    def bill(*v):
        return t.bill(pd.Series(v, index=H, dtype=float))

    bills = {"asap": bill(500, 100, 100, 100), "optimized": bill(250, 250, 200, 100)}
    # the site's load: 300 kW in the period, 900 kW just before it (left out: (first, last] only)
    site = pd.Series([900.0, 300.0, 300.0, 300.0, 300.0], index=H.insert(0, H[0] - pd.Timedelta("1h")))
    usd, long, short = saving_above_site(bills, site, t, H[0] - pd.Timedelta("1h"), H[-1], 2500.0, True)
    # run-ASAP's 500 kW above max(site 300, optimized 250) = 200 kW x 10 $/kW-month
    assert usd == pytest.approx(2000.0)
    # the short words label a share of the bill (rolling_saving_frac): USD only, no share that reads as that figure
    assert short == "; of its 2,500 USD demand-charge saving, 2,000 USD only cuts run-ASAP's own burst above the " \
                    "site's modelled billed demand"
    assert "%" not in short
    # the kW are each charge's billed demand (the verifier read run-ASAP's TOU billed 5,950 kW and its all-hours
    # import peak 5,991 kW as one number)
    assert long == ("; of its 2,500 USD demand-charge part, 2,000 USD (80 %) only cuts the baseline's (run-ASAP's) own "
                    "burst above the site's modelled billed demand (the all-hours demand charge, 10 $/kW-month; billed "
                    "demand (the month's peak grid import in the charge's hours, as billed), highest month (Jul): "
                    "run-ASAP 500 kW, the site 300 kW, optimized 250 kW)")
    assert saving_above_site(bills, site, t, H[0] - pd.Timedelta("1h"), H[-1], 2500.0, False)[1:] == ("", "")


def test_same_weeks_bills_the_site_beside_run_asap():
    t = Tariff.flat(0.1).with_demand_charge(10.0)
    s = lambda *v: pd.Series(v, index=H, dtype=float)  # noqa: E731
    costs = pd.DataFrame({"bill_total_usd": [999.0, 0.0], "peak_grid_kw": [400.0, 0.0]}, index=["asap", "optimized"])
    roll = SimpleNamespace(
        load=pd.DataFrame({"it_kw_asap": s(200, 200, 100, 100), "site_kw_asap": s(400, 400, 200, 200),
                           "grid_import_kw_asap": s(400, 300, 100, 200), "site_kw_optimized": s(300, 300, 300, 300),
                           "pv_kw": s(0, 100, 100, 0)}, index=H),
        costs=costs, work_short={}, bills={"asap": t.bill(s(400, 300, 100, 200))})
    site_year = SimpleNamespace(it_kw=s(150, 150, 150, 150), facility_kw=s(300, 300, 300, 300),
                                pv_kw=s(0, 100, 400, 0), grid_kw=s(300, 200, -100, 300))
    sw = schedule_site.same_weeks(roll, site_year, t)
    b = sw.basis
    # hand: run-ASAP no PV 1,200 kWh x 0.1 + 400 kW x 10; the site no PV 1,200 kWh, 300 kW; after PV 300, 200,
    # 0 (never below zero), 300 = 800 kWh and 300 kW; as specified (battery) the same import
    assert sw.asap_no_pv_usd == pytest.approx(120.0 + 4000.0)
    assert b.loc[schedule_site.ASAP_PV_ROW].tolist() == pytest.approx([0.6, 1.0, 999.0])
    assert b.loc[schedule_site.SITE_ROW].tolist() == pytest.approx([0.6, 1.2, 120.0 + 3000.0])
    assert b.loc[schedule_site.SITE_PV_ROW].tolist() == pytest.approx([0.6, 0.8, 80.0 + 3000.0])
    assert b.at[schedule_site.SITE_ROW_AS_SPECIFIED, "bill_usd"] == pytest.approx(80.0 + 3000.0)
    # PV left over: run-ASAP none; optimized none either (300 kW load above every PV hour)
    assert sw.spilled_mwh == {"asap": 0.0, "optimized": 0.0} and sw.pv_mwh == pytest.approx(0.5)
    assert sw.hours == pytest.approx(4.0) and sw.asap_short == {}
    text = schedule_site.same_weeks_text(sw, roll, "1 week", one_week=True)
    assert text.startswith("Over this 1 week the run-ASAP bill is 999 USD and the site's bill 3,080 USD (-67.6%).")
    # the all-hours peaks are said to be such, not billed demands: run-ASAP's import peaks at 400 kW (costs), the
    # site's after PV at 300 kW
    assert ("(peak grid import over all hours, not the billed demand, which a TOU demand charge measures in its hours "
            "only: run-ASAP 400 kW, the site 300 kW; run-ASAP starts every job as soon as it may)") in text


def test_the_monthly_billed_demands_behind_the_saving_above_the_site():
    # two billing months of a 10 $/kW-month all-hours charge; the site (300 kW in July, 450 kW in August)
    t = Tariff.flat(0.1).with_demand_charge(10.0)
    # interval ends 31 Jul 21:00 .. 1 Aug 04:00: the first 4 hours start in July, the last 4 in August
    idx = pd.date_range("2025-07-31 21:00", periods=8, freq="h", tz="UTC")

    def bill(*v):
        return t.bill(pd.Series(v, index=idx, dtype=float))

    bills = {"asap": bill(500, 100, 100, 100, 400, 100, 100, 100), "optimized": bill(250, 250, 200, 100,
                                                                                     300, 300, 100, 100)}
    site = pd.Series([300.0] * 4 + [450.0] * 4, index=idx)
    first, last = idx[0] - pd.Timedelta("1h"), idx[-1]
    m = above_site_by_month(bills, site, t, first, last)
    # hand: July run-ASAP 500 above max(site 300, optimized 250) = 200 kW x 10 = 2,000 USD; August run-ASAP 400 is
    # below the site's 450: 0
    assert m[["month", "base_kw", "ref_kw", "to_kw", "above_ref_kw", "above_ref_usd"]].values.tolist() == [
        ["2025-07", 500.0, 300.0, 250.0, 200.0, 2000.0], ["2025-08", 400.0, 450.0, 300.0, 0.0, 0.0]]
    # summed, the saving above the site; run-ASAP's demand charges less the site's differ: 5,000 + 4,000 - 3,000 -
    # 4,500 = 1,500 USD (August counts -500 there)
    usd = saving_above_site(bills, site, t, first, last, 3500.0, True)[0]
    assert usd == pytest.approx(2000.0) == m["above_ref_usd"].sum()
    text = sl.above_site_months_text(m)
    assert text == ("2025-07: run-ASAP 500 kW, the site 300 kW, optimized 250 kW, above both 200 kW x 10 $/kW = 2,000 "
                    "USD; 2025-08: run-ASAP 400 kW, the site 450 kW, optimized 300 kW, above both 0 kW x 10 $/kW = 0 "
                    "USD. Sum: 2,000 USD. Run-ASAP's demand charges less the site's on these charges: 1,500 USD (a "
                    "month the site bills more counts negative there, 0 here; the part of run-ASAP's excess the "
                    "optimized schedule does not cut counts there, not here)")
    # no demand charge on the site's own peak: no rows, no words
    flat = Tariff.flat(0.1)
    none = above_site_by_month({k: flat.bill(pd.Series(1.0, index=idx)) for k in ("asap", "optimized")}, site, flat,
                               first, last)
    assert none.empty and sl.above_site_months_text(none) == ""


def test_the_saving_vs_asap_is_called_largely_burst_only_where_more_than_half_of_its_demand_part_is():
    # an audit (phoenix-az): the labels said "an upper bound set largely by run-ASAP's burst" where their own
    # decomposition put 43 % (the week) and 30 % (the year) of the demand part above the site's billed demand
    for above, demand in ((43.0, 100.0), (30.0, 100.0), (50.0, 100.0), (np.nan, 100.0), (10.0, 0.0), (10.0, -5.0)):
        assert sl.asap_bound_text(above, demand) == ("an upper bound of what scheduling saves: run-ASAP weighs "
                                                     "neither price nor peak"), (above, demand)
    # above one half: said, with the share (66 of 100 USD: 66 %)
    assert sl.asap_bound_text(66.0, 100.0).endswith(
        "; its demand-charge part is largely (66 %) a cut of run-ASAP's burst above the site's modelled billed demand")
    # the year's label follows the same numbers and says what run-ASAP is: an earliest-deadline-first list scheduler
    # (dcplan.schedule_baselines.asap), not "every job at once"
    label = sl.rolling_asap_labels("52 weeks", 0.0, above_usd=30.0, demand_saving_usd=100.0)[0]
    assert "largely" not in label and "at once" not in label
    assert ("baseline run-ASAP: the same synthetic jobs, in deadline order, each at full power from its earliest start "
            "in the first intervals the site's limits leave room; not the site's bill") in label
    assert "largely (60 %)" in sl.rolling_asap_labels("52 weeks", 0.0, above_usd=60.0, demand_saving_usd=100.0)[0]


def test_burst_text_gives_the_site_cap_of_the_peaks_own_interval():
    # the cap follows each hour's PUE: run-ASAP meets it at 60 kW in one hour and peaks at it, 70 kW, in another. The
    # label read "peaks at 70 kW, at the site cap (60 kW)" (the cap of the first hour it met): a peak above the cap
    i = pd.RangeIndex(3)
    text = sl.burst_text(pd.Series([60.0, 70.0, 50.0], i), pd.Series([60.0, 70.0, 80.0], i), pd.Series([55.0] * 3, i))
    assert "peaks at 70 kW, at the site cap (70 kW)" in text
    assert "(60 kW)" not in text
    # the peak below the cap there, the cap met elsewhere: both said, each with its own kW (by hand: 75 - 70 = 5)
    text = sl.burst_text(pd.Series([60.0, 70.0]), pd.Series([60.0, 75.0]), pd.Series([50.0, 50.0]))
    assert "peaks at 70 kW, 5 kW below the site cap there; at the site cap (60 kW) in another interval" in text


def test_greedy_label_says_greedy_bill_against_the_site_and_its_burst_above_the_site():
    # three hourly loads on one demand charge, 10 $/kW-month, and 0.1 $/kWh: greedy piles its work into one hour
    # (500 kW), the optimized schedule spreads it (250 kW peak), the site's own load is flat at 300 kW. By hand:
    # demand saving (500 - 250) x 10 = 2,500 USD; above the site: (500 - max(300, 250)) x 10 = 2,000 USD (80 %);
    # greedy's bill 700 kWh x 0.1 + 5,000 = 5,070 USD, the site's 900 x 0.1 + 3,000 = 3,090 USD: 1,980 above
    from dcplan.schedule_demand import saving_above_reference
    t = Tariff.flat(0.1).with_demand_charge(10.0)
    i = H[:3]
    greedy, opt, site = (t.bill(pd.Series(v, index=i, dtype=float)) for v in
                         ((500, 100, 100), (250, 250, 200), (300, 300, 300)))
    above = float(saving_above_reference(greedy, opt, site)["above_ref_usd"].sum())
    assert above == pytest.approx(2000.0, abs=1e-9)
    text = sl.greedy_burst_text(above, greedy.demand_usd - opt.demand_usd, greedy.total_usd - site.total_usd)
    assert "greedy's bill is 1,980 USD above the site's own modelled bill" in text
    assert "largely (80 %)" in text and "of its 2,500 USD demand-charge part, 2,000 USD only cuts greedy's" in text
    # a greedy bill below the site's, no burst above it: said, and no share
    assert sl.greedy_burst_text(0.0, 100.0, -5.0) == ("; greedy's bill is 5 USD below the site's own modelled bill "
                                                      "over the same weeks (after PV, no battery)")
