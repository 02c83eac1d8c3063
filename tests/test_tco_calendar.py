"""The TCO's calendar: model month m is the calendar month of the fleet's start less the build plus m.

Before, month 0 was always a January, so a fleet starting in July paid January's bill in its first
month (dcplan.tco_input_types.TcoInputs.fleet_start). Expected values here are computed apart from
the model: the bill of one calendar month from dcplan.tariff billing that month's load alone, and
NPVs summed by hand from the discount factors.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dcplan import tco, tco_export
from dcplan.errors import InputError
from dcplan.tco import ElectricityByPvAge, TcoInputs, evaluate, run_tco
from dcplan.tco_revalue import overrun_inputs


def _bare(fleet_start=None, horizon=2, **on) -> TcoInputs:
    """Every data/costs.csv input at zero except ``on``: the electricity line alone moves cash."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0)
    c.update(on)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=0.5,
                     horizon_years=horizon, costs=c, fleet_start=fleet_start)


def _load_kw() -> pd.Series:
    """A seasonal, daily-shaped facility load over 2025, interval-ending hourly labels (as dcplan.weather)."""
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz="Etc/GMT+5")
    h = np.arange(8760)
    kw = 10_000 + 1500 * np.sin(2 * np.pi * (h - 2000) / 8760) + 500 * np.sin(2 * np.pi * h / 24)
    return pd.Series(kw, index=idx, name="facility_kw")


def _tariff():
    from dcplan.tariff import Tariff
    return Tariff.tou(0.06, [{"name": "peak", "usd_per_kwh": 0.14, "hours": list(range(14, 20)),
                             "months": [6, 7, 8, 9]}], fixed_usd_per_month=1000.0)


def test_a_july_start_pays_the_july_bill_first():
    load = _load_kw()
    tariff = _tariff()
    # the July bill on its own: July's load alone (interval-ending labels: 1 Jul 01:00 .. 1 Aug 00:00)
    july = load[(load.index > "2025-07-01 00:00") & (load.index <= "2025-08-01 00:00")]
    assert len(july) == 31 * 24
    july_usd = tariff.bill(july).total_usd
    year_bill = tariff.bill(load)
    # build 0: the fleet starts, and operates, in model month 0 = July 2026. Same arithmetic on the
    # same hours, summed per month in another order: rel 1e-12
    r = run_tco(_bare("2026-07-01"), year_bill)
    assert r.monthly["opex_electricity_usd"].iloc[0] == pytest.approx(july_usd, rel=1e-12)
    assert str(r.calendar_months[0]) == "2026-07" and str(r.calendar_months[-1]) == "2028-06"
    # the undated case keeps its convention: month 0 is a January (the fix must not move it)
    jan = load[load.index <= "2025-02-01 00:00"]
    assert run_tco(_bare(), year_bill).monthly["opex_electricity_usd"].iloc[0] == pytest.approx(
        tariff.bill(jan).total_usd, rel=1e-12)
    assert run_tco(_bare(), year_bill).calendar_months is None


def test_after_a_build_the_fleet_start_month_pays_its_own_bill():
    # 12-month build, fleet from 2026-07: month 0 is 2025-07 (project start), month 12 the fleet's
    # July 2026, billed at July's bill x 1.1 (electricity escalation, project year 2)
    bill = np.arange(1.0, 13.0) * 1000.0              # January 1,000 .. December 12,000 USD
    r = run_tco(_bare("2026-07-01", build_months=12.0, electricity_escalation_frac=0.1), bill)
    e = r.monthly["opex_electricity_usd"].to_numpy()
    assert np.all(e[:12] == 0.0)                       # nothing operates during the build
    assert e[12] == pytest.approx(7000.0 * 1.1, rel=1e-14)
    assert e[17] == pytest.approx(12000.0 * 1.1, rel=1e-14)   # December 2026
    assert e[18] == pytest.approx(1000.0 * 1.1, rel=1e-14)    # January 2027, same project year
    assert str(r.calendar_months[0]) == "2025-07" and str(r.calendar_months[12]) == "2026-07"
    rows = r.assumptions.set_index("key")
    assert rows.loc["fleet_start", "value"] == 7.0 and rows.loc["calendar_start_month", "value"] == 7.0


def test_npv_of_a_july_start_against_a_january_start_by_hand():
    # only cash flow: the bill, 200 USD in June..September and 100 USD in the other months, for one
    # year from build 0; no tax, no escalation. Month m (1-based) is discounted by 1.12^(-m/12).
    bill = np.array([100.0, 100, 100, 100, 100, 200, 200, 200, 200, 100, 100, 100])
    r = 0.12
    jan = run_tco(_bare("2026-01-01", horizon=1, discount_rate_frac=r), bill).summary["npv_usd"]
    jul = run_tco(_bare("2026-07-01", horizon=1, discount_rate_frac=r), bill).summary["npv_usd"]
    d = (1.0 + r) ** (-np.arange(1, 13) / 12.0)
    # January start: the summer months are model months 6..9; July start: July..September are
    # months 1..3 and June month 12. The base 100 USD/month is the same in both.
    summer_jan = d[5:9].sum()
    summer_jul = d[0:3].sum() + d[11]
    assert jan == pytest.approx(-(100.0 * d.sum() + 100.0 * summer_jan), rel=1e-13)
    assert jul - jan == pytest.approx(-100.0 * (summer_jul - summer_jan), rel=1e-12)
    # paying summer early costs: the July start's NPV is lower (by about 11.01 USD here)
    assert jul - jan == pytest.approx(-11.0125, abs=1e-4)


def test_a_date_inside_a_month_counts_from_the_next_month():
    # 2026-07-16 -> August 2026, as dcplan.grid counts an energization date
    bill = np.arange(1.0, 13.0)
    inp = _bare("2026-07-16", horizon=1)
    assert str(inp.fleet_start) == "2026-08"
    assert run_tco(inp, bill).monthly["opex_electricity_usd"].iloc[0] == 8.0
    for same in (pd.Timestamp("2026-08-01"), pd.Period("2026-08", "M"), "2026-08-01"):
        assert _bare(same, horizon=1).fleet_start == inp.fleet_start
    for bad in (2026, "not a date", True):
        with pytest.raises(InputError, match="fleet_start"):
            _bare(bad)


def test_monte_carlo_builds_each_start_on_its_own_calendar_month():
    # a dated case (its own build 0: project start 2026-07) evaluated for builds of 3, 5 and 12 months at once:
    # each is an overrun from that start (dcplan.tco_revalue), its fleet from month `build`, the calendar month
    # 2026-07 + build (October, December, July 2027), which pays that month's bill; each row equals its own run
    bill = np.arange(1.0, 13.0) * 100.0
    inp = _bare("2026-07-01", horizon=3)
    builds = np.array([3.0, 5.0, 12.0])
    lines = evaluate(inp, bill, params={"build_months": builds})
    e = lines["opex_electricity_usd"]
    for i, (b, first, later) in enumerate(((3, 1000.0, 400.0), (5, 1200.0, 600.0), (12, 700.0, 100.0))):
        assert e[i, b] == first and e[i, b + 6] == later and not e[i, :b].any()   # then 6 months on
        one = evaluate(inp, bill, params={"build_months": builds[i:i + 1]})["opex_electricity_usd"][0]
        np.testing.assert_array_equal(e[i], one)
        moved = run_tco(overrun_inputs(inp, float(b)), bill).monthly["opex_electricity_usd"].to_numpy()
        np.testing.assert_array_equal(e[i], moved)


def test_pv_age_and_calendar_month_together():
    # PV placed in service at month 12 (July 2026): month 24 (July 2027) is in its second year of
    # service, billed from row 1 at July; month 23 (June 2027) from row 0 at June
    tab = np.vstack([np.arange(1.0, 13.0), 100.0 + np.arange(1.0, 13.0), 200.0 + np.arange(1.0, 13.0)])
    el = ElectricityByPvAge(tab, 0.005)
    e = run_tco(_bare("2026-07-01", horizon=3, build_months=12.0), el).monthly["opex_electricity_usd"].to_numpy()
    assert e[23] == 6.0 and e[24] == 107.0 and e[35] == 106.0


def test_export_names_the_calendar_months(tmp_path):
    r = run_tco(_bare("2026-07-01", build_months=3.0), np.arange(1.0, 13.0))
    frames = tco_export.workbook_frames(r)
    m = frames["Monthly"]
    assert list(m["calendar_month"][:3]) == ["2026-04", "2026-05", "2026-06"]
    # the numbers are the model's, unchanged beside the new column
    np.testing.assert_array_equal(m.drop(columns="calendar_month").to_numpy(), r.monthly.to_numpy())
    about = frames["About"].set_index("item")["text"]
    assert "year_1 = 2026-04 to 2027-03" in about["calendar"]
    tco_export.write_csvs(r, tmp_path, stem="cal")
    back = pd.read_csv(tmp_path / "cal_monthly.csv", dtype={"calendar_month": str})
    assert back["calendar_month"].iloc[-1] == "2028-03"


def test_inputs_from_site_take_the_fleets_first_start():
    from dcplan.site import load_portfolio
    spec = load_portfolio("default")["research-triangle-nc"]
    first = min(p.start for p in spec.fleet.phases)           # the site file's earliest phase start
    inp = tco.inputs_from_site(spec, n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7)
    assert inp.fleet_start == pd.Timestamp(first).to_period("M")
    assert "site.fleet.phases" in inp.sources["fleet_start"]


def test_the_calendar_rows_of_the_assumptions_name_the_year():
    """fleet_start and calendar_start_month showed a month number alone (7, "month of year"): which July? The unit
    names the year: a fleet starting 2026-07 after a build of 18 months starts the project 18 months earlier,
    2025-01 (counted by hand: 2026-07 less 1 year 6 months)."""
    a = run_tco(_bare(fleet_start="2026-07-01", build_months=18.0), np.full(12, 1e5)).assumptions.set_index("key")
    assert (a.at["fleet_start", "value"], a.at["fleet_start", "unit"]) == (7.0, "month of 2026")
    assert (a.at["calendar_start_month", "value"], a.at["calendar_start_month", "unit"]) == (1.0, "month of 2025")
    und = run_tco(_bare(build_months=18.0), np.full(12, 1e5)).assumptions.set_index("key")
    assert und.at["calendar_start_month", "unit"] == "month of year"  # undated: no year to name


def test_the_workbooks_calendar_months_are_dates_shown_as_the_csvs_text(tmp_path):
    """A finance reviewer totals the Monthly flows by calendar year: calendar_month was text ("2026-04") in the
    workbook, so YEAR(), SUMIFS by date or a date comparison failed on it. It is a date now, the month's first
    day, shown yyyy-mm (as the text read); the CSV keeps the text, and read_workbook gives the frame's text back."""
    import datetime

    import openpyxl
    r = run_tco(_bare("2026-07-01", build_months=3.0), np.arange(1.0, 13.0))
    xlsx = tco_export.write_export(r, tmp_path, stem="cal")[0]
    ws = openpyxl.load_workbook(xlsx)["Monthly"]
    assert [c.value for c in ws[1][:2]] == ["month", "calendar_month"]
    col = [c for (c,) in ws.iter_rows(min_row=2, min_col=2, max_col=2)]
    assert len(col) == 24  # the bare case's 2-year horizon
    # project month 1 = 2026-04 (a fleet start 2026-07-01 after a 3-month build); month m = 2026-04 + (m - 1)
    want = [datetime.datetime(2026 + (3 + m) // 12, (3 + m) % 12 + 1, 1) for m in range(24)]
    assert [c.value for c in col] == want and want[-1] == datetime.datetime(2028, 3, 1)
    assert all(c.is_date and c.number_format == "yyyy-mm" for c in col)
    assert "a date, the first day of the month" in ws["B1"].comment.text
    back = pd.read_csv(tmp_path / "cal_monthly.csv", dtype={"calendar_month": str})
    assert back["calendar_month"].tolist() == [f"{d:%Y-%m}" for d in want]
    assert tco_export.read_workbook(xlsx)["Monthly"]["calendar_month"].tolist() == back["calendar_month"].tolist()
