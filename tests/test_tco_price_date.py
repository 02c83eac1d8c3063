"""The electricity bill's price date and the hours of a month (physics cross-check of chicago-il).

1. The ComEd tariff's prices are those of its ``startdate`` 2027-06-01 (its demand charge carries PJM's
   2027/28 capacity price), but the TCO took the typical-year bill as the project start's (2025-04) prices
   and escalated 3 %/yr from there: month 13 (2026-04, the first month of operations) paid 330,822 USD =
   1.03 x the typical April bill 321,186.5. Now the bill escalates from the tariff's price month in 12-month
   steps, months before it deflated (dcplan.tco_electricity.price_years), and the Assumptions and the
   report say which date the prices are at and how far that is from the project start.
8. gpu_hours and tokens were 730 h every month while IT energy and the bill followed calendar days; now a
   month has its calendar month's hours of a 365-day year (744 h in January, 672 h in February).
"""
from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from conftest import gc_noise as _gc_noise

from dcplan import tco
from dcplan.paths import data_path
from dcplan.site import load_portfolio
from dcplan.tariff import Tariff
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_electricity import electricity_price_note, price_years, tariff_price_date

#: Typical-year bill by calendar month, January..December; April is the finding's 321,186.5 USD. [USD]
BILL = np.array([330_000.0, 300_000, 320_000, 321_186.5, 335_000, 360_000, 390_000, 385_000, 350_000,
                 330_000, 320_000, 328_000])
#: Hours of January..December of a 365-day year (days x 24). [h]
DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def chicago_like(price_month="2027-06-01", **on) -> TcoInputs:
    """Every cost 0 but the ones switched on; fleet from 2026-04-01 after a 12-month build (project start
    2025-04, operations from month index 12 = 2026-04), electricity +3 %/yr."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(it_refresh_years=3.0, facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5,
             electricity_cost_mult=1.0, build_months=12.0, electricity_escalation_frac=0.03)
    c.update(on)
    return TcoInputs(n_accelerators=4096, it_capacity_kw=7000.0, it_energy_kwh=7000.0 * 8760.0, utilization_frac=0.7,
                     horizon_years=4, costs=c, fleet_start="2026-04-01", electricity_price_month=price_month)


def test_the_bill_escalates_from_the_tariffs_price_month_hand():
    m = run_tco(chicago_like(), BILL).monthly["opex_electricity_usd"]   # 1-based months; month 1 = 2025-04
    # 12-month steps from 2027-06: 2026-04 and 2026-05 are 2 steps before it, 2026-06..2027-05 one,
    # 2027-06..2028-05 none (the tariff's own prices), 2028-06.. one step up
    assert m.loc[13] == pytest.approx(321_186.5 / 1.03 ** 2, rel=1e-14)   # 2026-04: 302,749.1 USD, was 330,822
    assert m.loc[14] == pytest.approx(335_000 / 1.03 ** 2, rel=1e-14)     # 2026-05
    assert m.loc[15] == pytest.approx(360_000 / 1.03, rel=1e-14)          # 2026-06
    assert m.loc[26] == pytest.approx(335_000 / 1.03, rel=1e-14)          # 2027-05
    assert m.loc[27] == pytest.approx(360_000.0, rel=1e-14)               # 2027-06: the tariff's prices
    assert m.loc[38] == pytest.approx(335_000.0, rel=1e-14)               # 2028-05
    assert m.loc[39] == pytest.approx(360_000 * 1.03, rel=1e-14)          # 2028-06
    assert m.loc[1:12].eq(0).all()                                        # the build: no GPU operates


def test_without_a_price_date_the_bill_is_the_project_starts_prices_as_before():
    # the finding's figure: month 13 = 1.03 x the typical April bill = 330,822.095 USD (project year 2)
    m = run_tco(chicago_like(price_month=None), BILL).monthly["opex_electricity_usd"]
    assert m.loc[13] == pytest.approx(1.03 * 321_186.5, rel=1e-14)
    assert round(m.loc[13]) == 330_822
    assert m.loc[25] == pytest.approx(1.03 ** 2 * 321_186.5, rel=1e-14)
    # an undated case (no fleet_start) cannot place a price date on the calendar: project years too
    inp = TcoInputs(8, 100.0, 1e5, horizon_years=2, electricity_price_month="2027-06-01",
                    costs={"build_months": 0.0, "electricity_escalation_frac": 0.1})
    np.testing.assert_array_equal(price_years(inp, 0, 24)[0], np.repeat([0.0, 1.0], 12))
    assert "undated" in electricity_price_note(inp)


def test_prices_older_than_the_project_start_are_escalated_from_their_date():
    # APS-like: prices of 2024-04 (startdate 2024-03-08, the first whole month after it), fleet 2026-10-01 after
    # a 12-month build: project start 2025-10, 18 months after the price month: 1 step (2025-04..2026-03)
    inp = dataclasses.replace(chicago_like(price_month="2024-03-08"), fleet_start="2026-10-01")
    assert str(inp.electricity_price_month) == "2024-04"
    k = price_years(inp, 12, 48)[0]                 # month 0 = 2025-10, 5 = 2026-03, 6 = 2026-04, 18 = 2027-04
    assert (k[0], k[5], k[6], k[17], k[18]) == (1.0, 1.0, 2.0, 2.0, 3.0)
    assert tco.assumptions_table(inp, BILL).set_index("key").loc["electricity_price_month", "value"] == -18.0
    assert "18 months before the project start (2025-10)" in electricity_price_note(inp)


def test_a_monte_carlo_build_moves_the_fleet_not_the_project_start_nor_the_price_date():
    # price_years of a project start `build` months before the same fleet start: the bill of calendar 2026-04 is
    # 2 steps before 2027-06 for either (model month index 12 and 18)
    inp = chicago_like()
    k = price_years(inp, np.array([[12.0], [18.0]]), 48)
    assert k[0, 12] == k[1, 18] == -2.0 and k[0, 26] == k[1, 32] == 0.0
    # a draw of an 18-month build is a 6-month overrun from the case's project start, 2025-04 (dcplan.tco_revalue):
    # its fleet starts at month 18, calendar 2026-10, whose bill (330,000 USD) is one step before 2027-06
    lines = tco.evaluate(inp, BILL, params={"build_months": np.array([12.0, 18.0])})
    e = lines["opex_electricity_usd"]
    assert e[0, 12] == pytest.approx(321_186.5 / 1.03 ** 2, rel=1e-14)
    assert not e[1, :18].any() and e[1, 18] == pytest.approx(330_000.0 / 1.03, rel=1e-14)
    assert e[1, 32] == pytest.approx(328_000.0, rel=1e-14)    # month 32: 2027-12, on the tariff's prices (step 0)


def test_first_operating_year_bill_beside_the_typical_year_at_the_tariffs_prices():
    r = run_tco(chicago_like(), BILL)
    s = r.summary
    assert s["electricity_typical_year_usd"] == pytest.approx(BILL.sum(), rel=1e-14)
    # operations from 2026-04: April and May 2026 two steps before 2027-06, June 2026..March 2027 one (hand)
    want = BILL[3:5].sum() / 1.03 ** 2 + (BILL[5:].sum() + BILL[:3].sum()) / 1.03
    assert s["electricity_first_operating_year_usd"] == pytest.approx(want, rel=1e-14)
    assert r.units["electricity_first_operating_year_usd"] == "USD"
    assert "not the bill of a project year" in tco.SUMMARY_LABELS["electricity_typical_year_usd"]
    assert "first 12 months of operations" in tco.SUMMARY_LABELS["electricity_first_operating_year_usd"]
    a = r.assumptions.set_index("key").loc["electricity_price_month"]
    assert a["value"] == 26.0 and a["unit"] == "months"          # 2025-04 -> 2027-06
    assert "(2027-06, 26 months after it" in a["description"]


def test_tariff_price_dates_of_the_bundled_tariffs_and_one_without(tmp_path):
    assert tariff_price_date(Tariff.from_urdb(data_path("tariffs/comed-il-large-load.json")))[0] == "2027-06-01"
    d, text = tariff_price_date(Tariff.from_urdb(data_path("tariffs/duke-nc-opt-tou.json")))
    assert d == "2026-01-01" and "assumed: no effective date was found" in text
    # the RTP price-file tariff: its startdate, 2025-01-01 (its synthetic price series is of 2025)
    assert tariff_price_date(Tariff.from_urdb(data_path("tariffs/rtp-example.json")))[0] == "2025-01-01"
    assert tariff_price_date(Tariff.flat(0.08))[0] is None
    doc = json.loads(data_path("tariffs/comed-il-large-load.json").read_text())
    doc.pop("startdate")
    (tmp_path / "no-date.json").write_text(json.dumps(doc))
    d, text = tariff_price_date(Tariff.from_urdb(tmp_path / "no-date.json"))
    assert d is None and text == ("no-date.json: no startdate (price date) given, so its bill is taken at the "
                                  "project start's prices and escalated by project year")


def test_inputs_from_site_take_the_site_tariffs_startdate():
    pf = load_portfolio()
    kw = dict(n_accelerators=4096, it_capacity_kw=7000.0, it_energy_kwh=5e7)
    chi = pf["chicago-il"]
    inp = tco.inputs_from_site(chi, phases=tco.fleet_phases(chi.fleet), **kw)
    assert inp.electricity_price_month == pd.Period("2027-06", "M")
    note = electricity_price_note(inp)
    assert ("the typical-year bill is at the tariff's prices of 2027-06 (site tariff: comed-il-large-load.json "
            "startdate 2027-06-01 (the date its prices are in force from)), 26 months after the project start "
            "(2025-04)") in note
    # Duke's date is assumed (dcplan_startdate_note): status estimate in the Assumptions
    rt = pf["research-triangle-nc"]
    row = tco.assumptions_table(tco.inputs_from_site(rt, phases=tco.fleet_phases(rt.fleet), **kw), 1e6
                                ).set_index("key").loc["electricity_price_month"]
    assert row["status"] == "estimate" and "assumed" in row["source"] and row["value"] == 6.0  # 2025-07 -> 2026-01
    # a flat site tariff has no price date: the project start's prices
    flat = chi.model_copy(update={"tariff": chi.tariff.model_copy(update={"file": None, "flat_usd_per_kwh": 0.08})})
    inp = tco.inputs_from_site(flat, phases=tco.fleet_phases(flat.fleet), **kw)
    assert inp.electricity_price_month is None
    assert "no startdate (price date) given" in inp.sources["electricity_price_month"]
    # a caller's tariff (the notebook's tariff_file) wins over the site's
    rtp = Tariff.from_urdb(data_path("tariffs/rtp-example.json"))
    inp = tco.inputs_from_site(chi, phases=tco.fleet_phases(chi.fleet), electricity_price_date=rtp, **kw)
    assert inp.electricity_price_month == pd.Period("2025-01", "M")


def test_a_month_sells_its_calendar_months_hours():
    # 4,096 GPUs x 0.7 = 2,867.2 GPU-h per hour: was 2,093,056 (730 h) every month; now January 744 h, February
    # 672 h (also in the leap 2028: the TCO's year has 365 days), 8,760 h in each project year of operations
    r = run_tco(chicago_like(revenue_usd_per_gpu_h=2.0, tokens_per_s_per_accelerator=100.0), BILL)
    m, cal = r.monthly, r.calendar_months
    gh = m["gpu_hours"].set_axis(cal.astype(str))
    assert gh["2027-01"] == pytest.approx(2_867.2 * 744, rel=1e-14)     # 2,133,196.8
    assert gh["2027-02"] == pytest.approx(2_867.2 * 672, rel=1e-14)     # 1,926,758.4
    assert gh["2028-02"] == pytest.approx(2_867.2 * 672, rel=1e-14)
    assert gh["2026-04"] == pytest.approx(2_867.2 * 720, rel=1e-14)
    np.testing.assert_allclose(r.annual.loc["gpu_hours", 2:], 2_867.2 * 8760, rtol=1e-14)
    # revenue and tokens follow the same hours
    np.testing.assert_allclose(m["revenue_usd"], 2.0 * m["gpu_hours"], rtol=1e-14)
    np.testing.assert_allclose(m["tokens"], m["gpu_hours"] * 3600 * 100.0, rtol=1e-14)
    # IT energy at a constant draw (no monthly shares): 7 MWh an hour, so GPU-hours per MWh are the same
    # every operating month (they swung -8 % to +2 % against the calendar-day energy)
    on = m["gpu_hours"] > 0
    ratio = (m["gpu_hours"][on] / m["it_energy_mwh"][on]).to_numpy()
    np.testing.assert_allclose(ratio, 2_867.2 / 7.0, rtol=1e-13)
    # the site's shares of a constant hourly load (dcplan.tco.month_shares): the same
    shares = tco.month_shares(pd.Series(1.0, pd.date_range("2025-01-01 01:00", periods=8760, freq="h")))
    np.testing.assert_allclose(np.array(shares) * 8760, DAYS * 24.0, rtol=1e-13)
    r2 = run_tco(dataclasses.replace(chicago_like(), it_energy_month_frac=shares), BILL)
    np.testing.assert_allclose(r2.monthly["it_energy_mwh"], m["it_energy_mwh"], rtol=1e-12)


# --- verifier V4: a tariff dated years before the project start (an out-of-date URDB item) -----------------

def _phoenix_inputs(**given):
    ph = load_portfolio()["phoenix-az"]
    return tco.inputs_from_site(ph, phases=tco.fleet_phases(ph.fleet), n_accelerators=4096, it_capacity_kw=7000.0,
                                it_energy_kwh=5e7, **given)


def test_a_tariff_dated_years_before_the_project_start_warns_with_its_escalation(tmp_path):
    from dcplan.errors import DcplanWarning
    doc = json.loads(data_path("tariffs/aps-az-e32-tou-l.json").read_text())
    doc["startdate"] = "2009-01-01"           # the verifier's aps-old.json: APS's tariff with an old URDB date
    (tmp_path / "aps-old.json").write_text(json.dumps(doc))
    # phoenix-az: fleet 2026-10-01 after a 12-month build, project start 2025-10. 2009-01 -> 2025-10 is
    # 16 x 12 + 9 = 201 months (16.75 years); 2009-01 -> 2026-10 is 213 months, 17 whole steps: 1.03 ** 17 = 1.6528
    want = ("TCO electricity: tariff file aps-old.json has startdate 2009-01-01, so its prices are taken as those of "
            "2009-01, 16.8 years before the project start (2025-10; dcplan warns beyond 3 years): the TCO escalates "
            "that bill +3.0%/yr (electricity_escalation_frac) for 17 years to the fleet's start (2026-10), a factor "
            "1.653 on the electricity bill, and on from there, so the electricity cost and the NPV rest on the assumed "
            "escalation rather than on the tariff. Use a tariff in force at the project start (a current URDB item), "
            "or check electricity_escalation_frac against the utility's rates since 2009.")
    with pytest.warns(DcplanWarning) as rec:
        inp = _phoenix_inputs(electricity_price_date=Tariff.from_urdb(tmp_path / "aps-old.json"))
    assert [str(w.message) for w in rec if not _gc_noise(w)] == [want]
    assert rec[0].filename == __file__        # issued at the caller's line (the notebook's cell), not dcplan's
    # the caveat_electricity_price_date text says the factor too
    assert electricity_price_note(inp).endswith("The fleet's start (2026-10, the first month of operations on the "
                                                "plan) is 17 steps from 2009-01: its bill is 1.653 times the tariff's "
                                                "prices (1.03 ** 17).")


def test_the_stale_price_threshold_is_three_years_before_the_project_start():
    from dcplan.tco_electricity import STALE_PRICE_MONTHS, fleet_start_price_factor, stale_price_date_message
    assert STALE_PRICE_MONTHS == 36
    # chicago_like: project start 2025-04; 2022-04 is 36 months before it (no warning), 2022-03 is 37
    assert stale_price_date_message(chicago_like(price_month="2022-04-01"), "tariff file x.json", "2022-04-01") is None
    msg = stale_price_date_message(chicago_like(price_month="2022-03-01"), "tariff file x.json", "2022-03-01")
    # 2022-03 -> fleet start 2026-04: 49 months, 4 whole steps, 1.03 ** 4 = 1.1255
    assert msg.startswith("TCO electricity: tariff file x.json has startdate 2022-03-01, so its prices are taken as "
                          "those of 2022-03, 3.1 years before the project start (2025-04; dcplan warns beyond 3 years)"
                          ": the TCO escalates that bill +3.0%/yr (electricity_escalation_frac) for 4 years to the "
                          "fleet's start (2026-04), a factor 1.126 on the electricity bill")
    assert fleet_start_price_factor(chicago_like(price_month="2022-03-01"))[1:] == (4, pytest.approx(1.03 ** 4))
    # no price date, or an undated case: nothing to warn about
    assert stale_price_date_message(chicago_like(price_month=None), "x", None) is None
    undated = dataclasses.replace(chicago_like(price_month="2001-01-01"), fleet_start=None)
    assert stale_price_date_message(undated, "x", "2001-01-01") is None


def test_the_bundled_tariffs_at_the_bundled_sites_do_not_warn():
    import warnings as w
    from dcplan.errors import DcplanWarning
    pf = load_portfolio()
    files = ("aps-az-e32-tou-l", "comed-il-large-load", "duke-nc-opt-tou", "dominion-va-gs3", "rtp-example")
    for site in pf.sites:
        for given in (None, *(Tariff.from_urdb(data_path(f"tariffs/{f}.json")) for f in files)):
            with w.catch_warnings():
                w.simplefilter("error", DcplanWarning)
                tco.inputs_from_site(site, phases=tco.fleet_phases(site.fleet), n_accelerators=4096,
                                     it_capacity_kw=7000.0, it_energy_kwh=5e7, electricity_price_date=given)
    # APS's own date (2024-04 prices, 18 months before phoenix-az's 2025-10 start): the note's factor, 2 steps
    assert electricity_price_note(_phoenix_inputs()).endswith(
        "The fleet's start (2026-10, the first month of operations on the plan) is 2 steps from 2024-04: its bill is "
        "1.061 times the tariff's prices (1.03 ** 2).")
