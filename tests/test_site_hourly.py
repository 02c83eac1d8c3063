"""The site-year hour by hour (dcplan.site_hourly; a PV engineer's and finance reviewers' finding: only annual
totals were exported, so the annual figures could not be checked in a spreadsheet), and case_figures warning
when a tracking override drops the site file's PV orientation (as the sweep warns).

Tolerances: each written kW value is rounded to 0.1 kW, so it is within 0.05 kW of the chain's; a column's
annual sum over n hours is then within n x 0.05 kWh (8,760 h: 0.438 MWh) of the annual figure, water (0.001 m3)
within n x 0.0005 m3 (4.38 m3). An hourly identity of k rounded terms holds to k x 0.05 kW."""
from __future__ import annotations

import json
import warnings
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from conftest import DATA, bundled_site_copy, run_cells_until

from dcplan import pipeline, site_hourly, solar_report
from dcplan.errors import DcplanWarning
from dcplan.site import load_portfolio, load_site

HALF_KW = 0.05          # half the 0.1 kW rounding step [kW]
HALF_M3 = 0.0005        # half the 0.001 m3 rounding step [m3]


@pytest.fixture(scope="module")
def years():
    pf = load_portfolio("default")
    out = {}
    for sid in ("phoenix-az", "research-triangle-nc"):
        y = pipeline.run_site_year(pf[sid])
        out[sid] = (y, pipeline.figures(y), site_hourly.hourly_table(y))
    return out


def _col(t, name):
    return t[site_hourly.header(name)]


@pytest.mark.parametrize("sid", ["phoenix-az", "research-triangle-nc"])
def test_the_hours_add_up_to_the_annual_figures(years, sid):
    y, f, t = years[sid]
    n = len(t)
    assert n == 8760   # 2025: not a leap year
    tol_mwh = n * HALF_KW / 1000   # 0.438 MWh
    for col, key in (("it_kw", "it_mwh"), ("facility_kw", "facility_mwh"), ("pv_ac_kw", "pv_mwh"),
                     ("grid_import_kw", "grid_mwh"), ("pv_spilled_kw", "pv_spilled_mwh")):
        assert _col(t, col).sum() / 1000 == pytest.approx(f[key], abs=tol_mwh), col   # 1-h steps: kW x 1 h = kWh
    assert _col(t, "water_m3").sum() == pytest.approx(y.cooling["water_m3"], abs=n * HALF_M3)
    # the clipped DC sums to the report's monthly clipping table (dcplan.solar_report)
    clipped = solar_report.pv_monthly_table(y.site, y.weather)["clipped_dc_mwh"].sum()
    assert _col(t, "pv_clipped_dc_kw").sum() / 1000 == pytest.approx(clipped, abs=tol_mwh)
    # PUE from the hours: facility / (IT + fan uplift), the plant's energy-weighted definition
    pue = _col(t, "facility_kw").sum() / (_col(t, "it_kw").sum() + _col(t, "it_fan_uplift_kw").sum())
    assert pue == pytest.approx(f["annual_pue"], rel=2 * HALF_KW / _col(t, "it_kw").min())


@pytest.mark.parametrize("sid", ["phoenix-az", "research-triangle-nc"])
def test_facility_is_it_losses_and_cooling_in_every_hour(years, sid):
    _, _, t = years[sid]
    parts = sum(_col(t, c) for c in ("it_kw", "it_fan_uplift_kw", "electrical_losses_kw", "cooling_kw"))
    assert (_col(t, "facility_kw") - parts).abs().max() <= 5 * HALF_KW + 1e-9   # five rounded terms
    cooling = sum(_col(t, c) for c in ("chiller_kw", "fans_kw", "pumps_kw"))
    assert (_col(t, "cooling_kw") - cooling).abs().max() <= 4 * HALF_KW + 1e-9
    assert (_col(t, "it_kw") > 0).all() and (_col(t, "facility_kw") > _col(t, "it_kw")).all()


def test_phoenix_has_no_dst_and_every_hour_once(years):
    _, _, t = years["phoenix-az"]
    stamps = list(t["interval_end"])
    assert len(set(stamps)) == 8760
    assert stamps[0] == "2025-01-01T01:00:00-07:00" and stamps[-1] == "2026-01-01T00:00:00-07:00"
    parsed = [datetime.fromisoformat(s) for s in stamps]
    assert {p.utcoffset() for p in parsed} == {timedelta(hours=-7)}   # MST all year (Arizona keeps no DST)
    assert all(b - a == timedelta(hours=1) for a, b in zip(parsed, parsed[1:]))
    # every local day 24 hours (by the hour's start)
    days = pd.Series([(p - timedelta(hours=1)).date() for p in parsed]).value_counts()
    assert set(days) == {24} and len(days) == 365


def test_a_dst_zone_has_a_23_hour_spring_day_and_a_25_hour_autumn_day(years):
    _, _, t = years["research-triangle-nc"]
    stamps = list(t["interval_end"])
    parsed = [datetime.fromisoformat(s) for s in stamps]
    assert len(set(stamps)) == 8760
    # consecutive UTC instants one hour apart: no hour missing or repeated in absolute time
    utc = [p.timestamp() for p in parsed]
    assert all(b - a == 3600 for a, b in zip(utc, utc[1:]))
    # each offset is the one the IANA zone gives for that instant (stdlib zoneinfo, independent of pandas)
    ny = ZoneInfo("America/New_York")
    assert all(p.utcoffset() == p.astimezone(ny).utcoffset() for p in parsed)
    # US DST 2025: from 2025-03-09 02:00 EST to 2025-11-02 02:00 EDT (Energy Policy Act of 2005 rules)
    days = pd.Series([(p - timedelta(hours=1)).date().isoformat() for p in parsed]).value_counts()
    assert days["2025-03-09"] == 23 and days["2025-11-02"] == 25 and days["2025-07-01"] == 24
    # the hour ending 02:00 EST ends at 03:00 EDT on the clock: the clock hour 02:00-03:00 does not exist
    i = stamps.index("2025-03-09T01:00:00-05:00")
    assert stamps[i + 1] == "2025-03-09T03:00:00-04:00"
    assert not any(s.startswith("2025-03-09T02:") for s in stamps)
    # the autumn clock hour 01:00-02:00 occurs twice, told apart by the offset
    assert "2025-11-02T01:00:00-04:00" in stamps and "2025-11-02T02:00:00-05:00" in stamps
    assert "2025-11-02T01:00:00-05:00" in stamps


def test_phoenix_price_column_is_the_tariff_file_s_rate_and_bills_the_energy(years):
    y, _, t = years["phoenix-az"]
    item = json.loads((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())   # one URDB item
    sched, rates = item["energyweekdayschedule"], item["energyratestructure"]
    # Tuesday 2025-07-15 (a weekday): hour 15:00-16:00 (ends 16:00) on July's weekday schedule, hour index 15
    price = t.set_index("interval_end")[site_hourly.header("energy_price_usd_per_kwh")]
    period = t.set_index("interval_end")["energy_period"]
    for end, hour in (("2025-07-15T16:00:00-07:00", 15), ("2025-07-15T15:00:00-07:00", 14)):
        p = sched[6][hour]
        assert period[end] == p
        assert price[end] == pytest.approx(rates[p][0]["rate"], abs=1e-12)
    assert (sched[6][15], sched[6][14]) == (1, 0)   # on-peak 0.07741, off-peak 0.06334 USD/kWh
    # price x grid import summed is the bill's energy charge (one tier): the bill computes it its own way
    kwh = _col(t, "grid_import_kw")
    # rounding: |error| <= 8,760 x 0.05 kWh x the highest price
    assert (price.to_numpy() * kwh.to_numpy()).sum() == pytest.approx(y.bill.energy_usd, abs=8760 * HALF_KW * price.max())
    assert "demand_period" in t.columns   # APS E-32 TOU L bills TOU demand


def test_battery_and_spilled_pv_balance_hour_by_hour(tmp_path):
    # Phoenix with 20 MW DC of PV (about 16.7 MW AC on a ~4.4 MW facility: PV spilled at noon) and a 2 MW / 4 MWh
    # battery: grid import - spilled = facility - PV + charge - discharge (dcplan.grid_battery.peak_shave)
    site = load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx-hourly", solar={"dc_kw": 20000.0},
                                       interconnection={"battery": {"power_mw": 2, "energy_mwh": 4,
                                                                    "target": "demand"}}))
    y = pipeline.run_site_year(site)
    f = pipeline.figures(y)
    t = site_hourly.hourly_table(y)
    lhs = _col(t, "grid_import_kw") - _col(t, "pv_spilled_kw")
    rhs = (_col(t, "facility_kw") - _col(t, "pv_ac_kw") + _col(t, "battery_charge_kw")
           - _col(t, "battery_discharge_kw"))
    assert (lhs - rhs).abs().max() <= 6 * HALF_KW + 1e-9   # six rounded terms
    assert _col(t, "pv_spilled_kw").max() > 1000.0 and _col(t, "battery_discharge_kw").max() > 0.0
    assert _col(t, "battery_charge_kw").max() <= 2000.0 + HALF_KW   # the 2 MW power rating
    assert _col(t, "battery_soc_kwh").max() <= 4000.0 + HALF_KW     # the 4 MWh nameplate
    n = len(t)
    assert _col(t, "battery_loss_kwh").sum() / 1000 == pytest.approx(f["battery_losses_mwh"], abs=n * HALF_KW / 1000)
    assert _col(t, "pv_spilled_kw").sum() / 1000 == pytest.approx(f["pv_spilled_mwh"], abs=n * HALF_KW / 1000)
    assert _col(t, "grid_import_kw").sum() / 1000 == pytest.approx(f["grid_mwh"], abs=n * HALF_KW / 1000)


def test_about_table_names_every_column_with_its_unit(years):
    y, _, t = years["phoenix-az"]
    about = site_hourly.about_table(y, t)
    rows = about.set_index("item")
    for h in t.columns:
        assert h in rows.index and rows.loc[h, "text"]
    assert rows.loc["it_kw [kW]", "unit"] == "kW" and "sums to it_mwh" in rows.loc["it_kw [kW]", "text"]
    assert "phoenix-az" in rows.loc["site", "text"]
    assert rows.loc["tariff", "text"] == pipeline.site_tariff(y.site).name


def test_site_analysis_writes_the_hourly_csv(tmp_path, monkeypatch):
    """The notebook's export cell (run as render's kernel runs it) writes <site>_hourly.csv and its about file,
    no temporary file left, and the file's columns add up to the figures the notebook published."""
    import dcplan.results
    got: dict = {}
    monkeypatch.setattr(dcplan.results, "publish",
                        lambda values, *a, **k: got.update(values if isinstance(values, dict) else {}))
    out = tmp_path / "outputs"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        ns, _ = run_cells_until("site_analysis", "site_hourly.write_hourly_csv(", monkeypatch, site="phoenix-az",
                                export_dir=str(out))
    assert sorted(p.name for p in out.iterdir()) == [".dcplan-exports.json",  # what dcplan wrote (export_record)
                                                      "phoenix-az_hourly.csv", "phoenix-az_hourly_about.csv",
                                                      "phoenix-az_sustainability.csv"]
    t = pd.read_csv(out / "phoenix-az_hourly.csv", encoding="utf-8-sig")   # written with a BOM for Excel
    assert len(t) == 8760 and t["interval_end"].is_unique
    n = len(t)
    for col, key in (("it_kw", "it_mwh"), ("facility_kw", "facility_mwh"), ("pv_ac_kw", "pv_mwh"),
                     ("grid_import_kw", "grid_mwh")):
        assert _col(t, col).sum() / 1000 == pytest.approx(got[key][0], abs=n * HALF_KW / 1000), col
    assert _col(t, "water_m3").sum() == pytest.approx(got["water_m3"][0], abs=n * HALF_M3)
    about = pd.read_csv(out / "phoenix-az_hourly_about.csv", encoding="utf-8-sig")
    assert set(t.columns) <= set(about["item"])
    assert ns["export_dir"] == str(out)


def test_case_figures_warns_when_a_tracking_override_drops_the_file_s_tilt():
    chicago = load_site("chicago-il")   # a fixed array at tilt 35 deg (data/sites/chicago-il.yaml)
    with pytest.warns(DcplanWarning, match=r"solar\.tracking true \(the override\) makes the site file's fixed "
                                           r"array a single-axis tracker: the file's solar\.tilt_deg 35 is"):
        switched = pipeline.case_figures(chicago, **{"solar.tracking": True})
    # what the warning says the case uses: the tracker's default, a horizontal north-south axis (tilt 0,
    # azimuth 180: dcplan.solar.default_orientation_deg); set explicitly, the same PV and no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error", DcplanWarning)
        explicit = pipeline.case_figures(chicago, **{"solar.tracking": True, "solar.tilt_deg": 0.0,
                                                     "solar.azimuth_deg": 180.0})
        pipeline.case_figures(chicago, **{"solar.dc_kw": 600.0})   # no mount switch: no warning
    assert switched["pv_mwh"] == pytest.approx(explicit["pv_mwh"], rel=1e-12)
    assert switched["pv_mwh"] > 0


def test_a_site_without_a_tariff_has_no_price_columns():
    site = load_site("chicago-il").model_copy(update={"tariff": None})   # a site file without a tariff: section
    assert site.tariff is None
    y = pipeline.run_site_year(site)
    t = site_hourly.hourly_table(y)
    assert not {"energy_price_usd_per_kwh [USD/kWh]", "energy_period", "demand_period"} & set(t.columns)
    assert site_hourly.about_table(y, t).set_index("item").loc["tariff", "text"].startswith("the site has no tariff")
    # without a battery, grid import - spilled = facility - PV in every hour (three rounded terms, and spilled)
    lhs = _col(t, "grid_import_kw") - _col(t, "pv_spilled_kw")
    assert (lhs - (_col(t, "facility_kw") - _col(t, "pv_ac_kw"))).abs().max() <= 4 * HALF_KW + 1e-9


def test_the_files_carry_a_bom_so_excel_reads_the_degree_sign(years, tmp_path):
    """A verifier (2026): written as UTF-8 without a byte-order mark, Excel on Windows took the file as its code
    page and showed "temp_air [Â°C]" (the two UTF-8 bytes of "°", C2 B0, read as cp1252 "Â°"). Both files now
    start with the UTF-8 BOM (EF BB BF) and read back with encoding="utf-8-sig" to the headers as written."""
    y, _, t = years["phoenix-az"]
    path = site_hourly.write_hourly_csv(y, tmp_path)
    about_path = tmp_path / site_hourly.about_name("phoenix-az")
    for p in (path, about_path):
        assert p.read_bytes()[:3] == b"\xef\xbb\xbf", p.name
    # what Excel showed without the mark: the degree sign's UTF-8 bytes read as cp1252
    assert "°C".encode("utf-8").decode("cp1252") == "Â°C"
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert back.columns[0] == "interval_end"          # the BOM is not part of the first header
    assert "temp_air [°C]" in back.columns and "temp_wet_bulb_degc [°C]" in back.columns
    assert list(back.columns) == list(t.columns) and len(back) == 8760
    about = pd.read_csv(about_path, encoding="utf-8-sig").set_index("item")
    assert about.loc["temp_air [°C]", "unit"] == "°C"
    # the wet bulb's name keeps the weather frame's column name, and its row says the unit is stated twice
    assert "weather frame's column name" in about.loc["temp_wet_bulb_degc [°C]", "text"]


def test_the_spreadsheet_time_columns_at_the_dst_changes(years):
    """interval_end_local is the civil clock without offset, interval_end_utc the same instant in UTC, both
    "YYYY-MM-DD HH:MM" (Excel reads them as dates; it does not read "2025-03-09T03:00:00-04:00"). By hand, US DST
    2025 in America/New_York: on 2025-03-09 the hour ending 01:00 EST (06:00 UTC) is followed by the hour ending
    03:00 EDT (07:00 UTC), no 02:xx; on 2025-11-02 the clock reads 01:00 twice, at 05:00 UTC (EDT, -4) and
    06:00 UTC (EST, -5), one hour apart."""
    _, _, t = years["research-triangle-nc"]
    cols = list(t.columns)
    assert cols[:3] == ["interval_end", "interval_end_local", "interval_end_utc"]   # interval_end stays first
    local, utc = list(t["interval_end_local"]), list(t["interval_end_utc"])
    # each is interval_end read another way (stdlib datetime, not pandas)
    for iso, lo, ut in zip(t["interval_end"], local, utc):
        d = datetime.fromisoformat(iso)
        assert lo == iso[:16].replace("T", " ")
        assert ut == d.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M")
    spring = [s for s in local if s.startswith("2025-03-09")]
    assert not any(s.startswith("2025-03-09 02:") for s in spring) and len(spring) == 23
    i = local.index("2025-03-09 01:00")
    assert (local[i + 1], utc[i], utc[i + 1]) == ("2025-03-09 03:00", "2025-03-09 06:00", "2025-03-09 07:00")
    twice = [k for k, s in enumerate(local) if s.startswith("2025-11-02 01:")]
    assert len(twice) == 2 and local[twice[0]] == local[twice[1]] == "2025-11-02 01:00"
    assert (utc[twice[0]], utc[twice[1]]) == ("2025-11-02 05:00", "2025-11-02 06:00")
    one_h = datetime.strptime(utc[twice[1]], "%Y-%m-%d %H:%M") - datetime.strptime(utc[twice[0]], "%Y-%m-%d %H:%M")
    assert one_h == timedelta(hours=1)
    # UTC never repeats: one hour apart all year
    parsed = [datetime.strptime(s, "%Y-%m-%d %H:%M") for s in utc]
    assert all(b - a == timedelta(hours=1) for a, b in zip(parsed, parsed[1:]))


def _hours(row, p):
    """Hours of the day (starts) in which a 24-value schedule row is period p."""
    return [h for h in range(24) if row[h] == p]


def test_the_about_file_says_what_each_phoenix_period_number_is(years):
    """energy_period / demand_period hold URDB's 0-based numbers; the about file now has a row for each, read here
    against the tariff file itself (data/tariffs/aps-az-e32-tou-l.json, one URDB item, read with json): its
    energyratestructure has 4 periods, July's weekday schedule is period 1 in hours 15-19 (15:00-20:00, on-peak
    0.07741 USD/kWh) and period 0 otherwise (0.06334); the demand structure's period 1 is 18.941 USD/kW in the same
    hours. Months: a period's months are those whose schedules use it (period 1: May-Oct, period 3: the rest)."""
    y, _, t = years["phoenix-az"]
    item = json.loads((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    about = site_hourly.about_table(y, t).set_index("item")["text"]
    for kind in ("energy", "demand"):
        rates = item[f"{kind}ratestructure"]
        wd, we = item[f"{kind}weekdayschedule"], item[f"{kind}weekendschedule"]
        n = len(rates)
        assert n >= 2
        assert set(t[f"{kind}_period"]) <= set(range(n))
        for p in range(n):
            text = about[f"{kind}_period {p}"]
            unit = "USD/kWh" if kind == "energy" else "USD/kW"
            assert text.startswith(f"URDB {kind} period {p}: ")
            assert f"{rates[p][0]['rate']:g} {unit}" in text
            used = [m for m in range(12) if _hours(wd[m], p) or _hours(we[m], p)]
            if len(used) == 12:
                assert "all year" in text
            else:
                assert months[used[0]] in text and months[used[-1]] in text
        # the on-peak period (1 in both): July weekdays 15:00-20:00, never on a weekend
        assert _hours(wd[6], 1) == [15, 16, 17, 18, 19] and _hours(we[6], 1) == []
        assert "weekdays 15:00-20:00" in about[f"{kind}_period 1"]
        assert f"{kind}_period {n}" not in about.index
    assert "May-Oct" in about["energy_period 1"] and "Jan-Apr, Nov-Dec" in about["energy_period 3"]
    assert "0.07741 USD/kWh" in about["energy_period 1"] and "18.941 USD/kW" in about["demand_period 1"]


def test_the_chillers_cop_and_their_hours_at_the_cap_are_in_the_export(years):
    """A verifier's finding: the PUE label's "at dcplan's COP cap of 12 in 5,054 h (100 % of chiller energy)" could
    not be checked from the export. The COP columns: at Phoenix every hour its chillers run they run at COP 12
    (the 19 degC chilled water's lift never brings the COP below the cap), so the hours with a COP are the hours
    with chiller power, each at 12.000, and the power at the cap sums to the chiller energy (to rounding)."""
    y, _, t = years["phoenix-az"]
    cop, chiller, at_cap = _col(t, "chiller_cop_air"), _col(t, "chiller_kw"), _col(t, "chiller_at_cop_cap_kw")
    running = y.plant["chiller_kw"] > 0
    # 5,069 h, a regression value of the plant (5,064 h with the rated COP 6.1 before 2026-12: its larger design
    # condenser heat sized a bigger tower, 3,696 free-cooling hours, now 3,691); 5,054 h while the weather reader took a sub-zero dew point for a
    # frost point (before ca51aaf); over water, the file's convention, those hours' wet bulbs are up to 0.63 K higher
    # and 10 of them leave free cooling (3,706 -> 3,696 free-cooling hours)
    assert int(cop.notna().sum()) == int(running.sum()) == 5069
    assert (cop.dropna() == 12.0).all()
    assert at_cap.sum() == pytest.approx(chiller.sum(), abs=len(t) * HALF_KW)
    assert _col(t, "chiller_cop_liquid").isna().all()   # an air plant: no liquid-loop chiller
    # Research Triangle: most chiller energy at the cap, the rest at a COP below it (its hottest hours)
    _, _, r = years["research-triangle-nc"]
    rc = _col(r, "chiller_cop_air").dropna()
    assert (rc <= 12.0).all() and (rc < 12.0).any()
    share = _col(r, "chiller_at_cop_cap_kw").sum() / _col(r, "chiller_kw").sum()
    assert 0.95 < share < 1.0   # the plant summary's 0.9834 (a verifier's count)


def test_the_about_files_periods_say_holidays_only_for_a_tariff_with_a_holiday_list():
    # a finance reviewer's finding: "weekends and holidays" beside tariffs none of which lists holidays (the bill
    # and the periods are weekends only there: data/tariffs/README.md); a tariff with a holiday list says so
    import dataclasses

    from dcplan import pipeline
    from dcplan.site import load_portfolio
    from dcplan.site_hourly import period_rows
    from dcplan.tariff_holidays import HolidayCalendar, nerc_calendar
    t = pipeline.site_tariff(load_portfolio()["phoenix-az"])
    assert t.holidays is None
    rows = dict(period_rows(t))
    assert rows["energy_period 0"] == ("URDB energy period 0: May-Oct weekdays 00:00-15:00, 20:00-24:00, weekends all "
                                       "hours; 0.06334 USD/kWh")
    assert not any("holiday" in v for v in rows.values())
    with_holidays = dataclasses.replace(t, holidays=nerc_calendar())
    # the weekday schedule's days are then weekdays except holidays (those are billed on the weekend schedule)
    assert dict(period_rows(with_holidays))["energy_period 0"] == (
        "URDB energy period 0: May-Oct weekdays except holidays 00:00-15:00, 20:00-24:00, weekends and holidays all "
        "hours; 0.06334 USD/kWh")
    # a holiday list without a holiday ("dcplan_holidays": []) bills none: the words stay those without one
    assert dict(period_rows(dataclasses.replace(t, holidays=HolidayCalendar(()))))["energy_period 0"] == \
        rows["energy_period 0"]


def test_the_it_kw_text_of_a_measured_site_says_the_values_are_the_files(tmp_path):
    """The about CSV said "a training fleet's random job interruptions ... drop it" at a workload: data site too,
    whose it_kw is its file's (it_kw) or the fleet at the file's utilisation: no interruption is modelled there."""
    idx = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="America/Phoenix")
    texts = {}
    for col, v in (("it_kw", 4000.0), ("utilisation_frac", 0.6)):
        pd.DataFrame({"timestamp": [t.isoformat() for t in idx], col: v}).to_csv(tmp_path / f"{col}.csv",
                                                                                 index=False)
        spec = load_site(bundled_site_copy(tmp_path, "phoenix-az", f"m-{col}", fleet={
            "workload": "data", "data_file": f"{col}.csv", "utilisation_frac": 0.6}))
        texts[col] = site_hourly._column_text(spec, "it_kw")
    assert texts["it_kw"].startswith("IT power of the site as measured: the values of it_kw.csv (fleet.data_file")
    assert "at the measured utilisation of utilisation_frac.csv" in texts["utilisation_frac"]
    assert not any("interruptions" in t for t in texts.values())
    # a synthetic fleet keeps the model's words
    assert "random job interruptions" in site_hourly._column_text(load_site("phoenix-az"), "it_kw")


@pytest.mark.parametrize("zone", ["America/Chicago", "America/Phoenix", "UTC", "Etc/GMT+5", "Asia/Kolkata",
                                  "Asia/Kathmandu", "America/St_Johns", "Australia/Lord_Howe", "Europe/Dublin"])
@pytest.mark.parametrize("unit", ["s", "us", "ns"])
def test_interval_end_stamps_are_the_standard_library_s_isoformat(zone, unit):
    """interval_end is formatted as whole arrays (site_hourly._iso): each stamp as Python's own
    ``datetime.isoformat`` on the zone's clock gives it (independent of pandas), across DST changes, half-hour
    and 45-minute offsets and Lord Howe's 30-minute daylight saving; exact text, no tolerance."""
    idx = pd.date_range("2025-01-01 01:00", periods=8760, freq="h", tz=zone).as_unit(unit)
    z = ZoneInfo(zone)
    start = datetime(2025, 1, 1, 1, tzinfo=z)
    expected = [(start.astimezone(ZoneInfo("UTC")) + timedelta(hours=i)).astimezone(z).isoformat()
                for i in range(8760)]
    assert site_hourly._iso(idx) == expected


@pytest.mark.parametrize("idx", [
    pd.date_range("1880-01-01 01:00", periods=30, freq="h", tz="America/Chicago"),  # local mean time, -5:50:36
    pd.date_range("2025-01-01 01:00:00.5", periods=3, freq="h", tz="UTC"),          # a fraction of a second
    pd.date_range("2025-01-01 01:00", periods=3, freq="h"),                         # naive
    pd.DatetimeIndex([], tz="UTC")])
def test_interval_end_stamps_a_stamp_at_a_time_where_arrays_would_not_match(idx):
    """Offsets with seconds, fractions of a second and naive stamps take the one-at-a-time path: still
    each stamp's own isoformat (``-05:50:36`` for Chicago's local mean time, ``.500000``)."""
    assert site_hourly._iso(idx) == [t.isoformat() for t in idx]


def _render_record(tmp_path, monkeypatch):
    """A ``dcplan render`` run's record as render hands it to a kernel (dcplan.report_provenance.PROVENANCE_ENV),
    its tariff input hashed here with hashlib; returns the SHA-256 and the record."""
    import hashlib

    from dcplan.report_provenance import PROVENANCE_ENV, run_record, write_record
    tariff = DATA / "tariffs" / "aps-az-e32-tou-l.json"
    sha = hashlib.sha256(tariff.read_bytes()).hexdigest()
    prov = {"dcplan_version": "9.9.9", "git_commit": "0123456789abcdef0123456789abcdef01234567",
            "dcplan_source_sha256": "f" * 64, "python": "3.x", "libraries": {"pandas": "x"},
            "inputs": {"tariff": str(tariff)}, "inputs_sha256": {"tariff": sha}}
    record = run_record(prov, {"site": "phoenix-az"}, "2026-01-02T03:04:05+00:00", cwd=str(tmp_path))
    monkeypatch.setenv(PROVENANCE_ENV, str(write_record(record, tmp_path / "record.json")))
    return sha, record


def test_the_exports_say_which_render_run_wrote_them(years, tmp_path, monkeypatch):
    """A finance reviewer's finding (bundled render): the TCO workbook and CSVs carry the run's provenance (a
    Provenance sheet and its CSV twin), but site_analysis's hourly CSV, its about file and the sustainability CSV,
    pasted into the same committee pack, said nothing of the dcplan commit or the input files they came from. In a
    render run the about file now ends with the record's rows (the tariff's SHA-256 as hashlib gives it) and the
    sustainability CSV gains a provenance column; the hourly table itself is unchanged, and outside render (no
    record) neither file has them."""
    from dcplan.report_provenance import PROVENANCE_ENV
    from dcplan.sustainability import sustainability_table, write_sustainability_csv
    y, f, t = years["phoenix-az"]
    sha, _ = _render_record(tmp_path, monkeypatch)
    out = tmp_path / "in-render"
    path = site_hourly.write_hourly_csv(y, out)
    about = pd.read_csv(out / site_hourly.about_name("phoenix-az"), encoding="utf-8-sig").set_index("item")["text"]
    assert about["provenance dcplan: version"] == "9.9.9"
    assert about["provenance dcplan: git commit"] == "0123456789abcdef0123456789abcdef01234567"
    assert about["provenance run: started (UTC)"] == "2026-01-02T03:04:05+00:00"
    assert about["provenance input: tariff"].endswith(f"(SHA-256 {sha})")
    assert about.index[-1].startswith("provenance ") and about.index[0] == "site"   # last, after the columns
    assert list(pd.read_csv(path, encoding="utf-8-sig", nrows=1).columns) == list(t.columns)
    table = sustainability_table(y.site, f, y.cooling, tower_cycles=y.plant.attrs["plant"]["tower_cycles"])
    back = pd.read_csv(write_sustainability_csv(table, out, "phoenix-az"), encoding="utf-8-sig")
    assert list(back.columns) == list(table.columns) + ["provenance"]
    line = back.loc[0, "provenance"]
    assert "dcplan 9.9.9, git commit 0123456789abcdef0123456789abcdef01234567" in line
    assert "2026-01-02T03:04:05+00:00" in line and f"({sha[:12]})" in line
    monkeypatch.delenv(PROVENANCE_ENV)
    out2 = tmp_path / "outside"
    site_hourly.write_hourly_csv(y, out2)
    about2 = pd.read_csv(out2 / site_hourly.about_name("phoenix-az"), encoding="utf-8-sig")
    assert not about2["item"].str.startswith("provenance").any()
    assert "provenance" not in pd.read_csv(write_sustainability_csv(table, out2, "phoenix-az")).columns
