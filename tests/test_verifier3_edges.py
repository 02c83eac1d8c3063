"""A verifier's findings 5, 7 and 8: the advice for a coincident-peak stamp with another zone's offset (the
same instant, not the same wall time), the demand-window note's wording and its dollars, the countries of a
time zone by name, scores that differ printed apart, and a saving of rounding residue published as 0."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from conftest import bundled_site_copy
from dcplan import site_bill
from dcplan.site import SiteError, load_site
from dcplan.tariff import Tariff

NY = "America/New_York"


# ---------------------------------------------------------------- 5. a stamp with an offset is an instant
def _stamp_problem(tmp_path, stamp):
    p = bundled_site_copy(tmp_path, "northern-virginia", "nv-cp", tariff={"coincident_peaks": [stamp]})
    with pytest.raises(SiteError) as ei:
        load_site(p)
    return dict(ei.value.problems)["tariff.coincident_peaks[0]"]


def test_a_utc_stamp_is_advised_as_the_same_instant_in_new_york(tmp_path):
    # 21:00 UTC on 2025-07-21 is 17:00 EDT (UTC-4 all of July): the advice keeps that instant, not 21:00 local
    assert _stamp_problem(tmp_path, "2025-07-21T21:00Z") == (
        "'2025-07-21T21:00Z' has UTC offset +00:00, but the site's zone America/New_York is at -04:00 at that "
        "instant (it is 2025-07-21 17:00-04:00 there, 4 h from the time written); on 2025-07-21 America/New_York "
        "keeps UTC offset -04:00. A stamp with an offset is an exact instant: write that instant in the site's "
        "local time, '2025-07-21 17:00-04:00', or without an offset ('2025-07-21 17:00'): the same system peak")


def test_a_standard_time_stamp_in_july_is_advised_as_the_same_instant(tmp_path):
    # 17:00-05:00 (EST) is 22:00 UTC, 18:00 EDT
    assert _stamp_problem(tmp_path, "2025-07-21 17:00-05:00") == (
        "'2025-07-21 17:00-05:00' has UTC offset -05:00, but the site's zone America/New_York is at -04:00 at that "
        "instant (it is 2025-07-21 18:00-04:00 there, 1 h from the time written); on 2025-07-21 America/New_York "
        "keeps UTC offset -04:00. A stamp with an offset is an exact instant: write that instant in the site's "
        "local time, '2025-07-21 18:00-04:00', or without an offset ('2025-07-21 18:00'): the same system peak")


def test_an_instant_in_the_hour_the_clocks_repeat_keeps_its_offset():
    from dcplan.tariff_coincident import offset_problem
    # 06:30 UTC on 2025-11-02 is 01:30 EST, the second 01:30 of that night (EDT ends 02:00 -> 01:00)
    s = "2025-11-02 06:30Z"
    assert offset_problem(s, pd.Timestamp(s), NY) == (
        "'2025-11-02 06:30Z' has UTC offset +00:00, but the site's zone America/New_York is at -05:00 at that "
        "instant (it is 2025-11-02 01:30-05:00 there, 5 h from the time written); on 2025-11-02 America/New_York "
        "keeps UTC offsets -04:00 and -05:00 (a daylight-saving change). A stamp with an offset is an exact "
        "instant: write that instant in the site's local time, '2025-11-02 01:30-05:00' (the offset is needed: "
        "2025-11-02 01:30 occurs twice in America/New_York, the clocks go back that night): the same system peak")
    # and the advice loads, as the same instant
    assert pd.Timestamp("2025-11-02 01:30-05:00") == pd.Timestamp(s)
    assert offset_problem("2025-11-02 01:30-05:00", pd.Timestamp("2025-11-02 01:30-05:00"), NY) is None


# ---------------------------------------------------------------- 7. the demand-window note's dollars
ZERO = [[0] * 24 for _ in range(12)]


def _july_load(peak_hour_end: str, peak_kw: float = 1000.0, base_kw: float = 500.0) -> pd.Series:
    idx = pd.date_range("2025-07-01 01:00", "2025-08-01 00:00", freq="h", tz=NY)
    kw = pd.Series(base_kw, index=idx)
    kw[pd.Timestamp(peak_hour_end, tz=NY)] = peak_kw
    return kw


def test_the_excess_in_dollars_is_the_kw_times_the_flat_demand_rate():
    # a flat demand charge of 10 $/kW-month, billed on July's peak hour (1,000 kW): 331 kW more is 3,310 USD
    t = Tariff.flat(0.05, demand_usd_per_kw=10.0)
    load = _july_load("2025-07-21 17:00")
    bill = t.bill(load)
    ev = {"max_excess_kw": 331.0, "max_excess_frac": 0.023, "month": "2025-07",
          "hour": pd.Timestamp("2025-07-21 17:00", tz=NY)}
    assert site_bill.excess_demand_usd(bill, t, ev) == {"excess_usd": pytest.approx(3310.0),
                                                        "excess_usd_per_kw": 10.0}
    note = site_bill.bill_notes(bill, t, 60.0, ev)[-1]
    assert (" (the fleet's IT alone at 1 s shows 15-min means up to 331 kW (2.3 %) above the hour's mean in each "
            "month's peak hour of grid draw, the most in 2025-07: the demand billed that month would be at least "
            "that much higher, 3,310 USD more that month at the demand rates billed in its peak hour (10 USD/kW); "
            "IT only: cooling and losses add to it; a 30-min window's excess is at most that)") in note
    assert "at least what" not in note


def test_the_excess_in_dollars_adds_the_tou_period_of_the_peak_hour(tmp_path):
    # all-hours 5 $/kW plus TOU demand 0 $/kW off-peak, 20 $/kW on-peak (15:00-20:00): the peak hour
    # 16:00-17:00 (labelled 17:00) is on-peak, so 100 kW more costs 100 x (5 + 20) = 2,500 USD
    onpeak = [[1 if 15 <= h < 20 else 0 for h in range(24)] for _ in range(12)]
    f = tmp_path / "t.json"
    f.write_text(json.dumps({"label": "t", "energyratestructure": [[{"rate": 0.05}]],
                             "energyweekdayschedule": ZERO, "energyweekendschedule": ZERO,
                             "flatdemandstructure": [[{"rate": 5.0}]], "flatdemandmonths": [0] * 12,
                             "demandratestructure": [[{"rate": 0.0}], [{"rate": 20.0}]],
                             "demandweekdayschedule": onpeak, "demandweekendschedule": onpeak}))
    t = Tariff.from_urdb(str(f))
    bill = t.bill(_july_load("2025-07-21 17:00"))
    ev = {"max_excess_kw": 100.0, "max_excess_frac": 0.1, "month": "2025-07",
          "hour": pd.Timestamp("2025-07-21 17:00", tz=NY)}
    assert site_bill.excess_demand_usd(bill, t, ev) == {"excess_usd": pytest.approx(2500.0),
                                                        "excess_usd_per_kw": 25.0}
    # a peak hour off-peak (02:00-03:00): only the all-hours charge, 100 x 5 = 500 USD
    bill = t.bill(_july_load("2025-07-21 03:00"))
    ev["hour"] = pd.Timestamp("2025-07-21 03:00", tz=NY)
    assert site_bill.excess_demand_usd(bill, t, ev) == {"excess_usd": pytest.approx(500.0),
                                                        "excess_usd_per_kw": 5.0}


def test_the_stated_window_note_has_the_same_wording():
    import dataclasses
    t = dataclasses.replace(Tariff.flat(0.05, demand_usd_per_kw=10.0), demand_window_min=30.0)
    ev = {"max_excess_kw": 36.0, "max_excess_frac": 0.0076, "month": "2025-09",
          "excess_usd": 650.3, "excess_usd_per_kw": 18.042}
    assert site_bill.demand_window_note(t, 60.0, ev).endswith(
        "(the fleet's IT alone at 1 s shows 30-min means up to 36 kW (0.76 %) above the hour's mean in each month's "
        "peak hour of grid draw, the most in 2025-09: the demand billed that month would be at least that much "
        "higher, 650 USD more that month at the demand rates billed in its peak hour (18.04 USD/kW); IT only: "
        "cooling and losses add to it)")


# ---------------------------------------------------------------- 8a. countries by name
def test_the_zones_countries_are_named():
    from dcplan.tz_places import countries_text, country_names
    # tzdata's iso3166.tab: VA is the Vatican, not Virginia
    assert country_names()["VA"] == "Vatican City"
    assert countries_text({"VA", "IT", "SM"}) == "IT (Italy), SM (San Marino), VA (Vatican City)"
    assert countries_text(["US"]) == "US (United States)"
    assert countries_text(["XX"]) == "XX"  # a code the table does not name stays a code


# ---------------------------------------------------------------- 8c. scores that differ print apart
def test_scores_that_differ_never_print_the_same():
    from dcplan.portfolio_report import score_digits, score_table, ties_text
    sc = pd.Series({"a": 0.2629, "b": 0.2632, "c": 0.5})
    assert score_digits(sc) == 4
    c = SimpleNamespace(score=SimpleNamespace(score=sc), short={}, not_scored={})
    names = {"a": "A", "b": "B", "c": "C"}
    table = score_table(c, names, 1.0)
    plain = table._repr_mimebundle_()["text/plain"]
    assert "0.2629" in plain and "0.2632" in plain and "0.5 " in plain + " "
    assert [r["value"] for r in table.records] == [0.2629, 0.2632, 0.5]  # results.json keeps the values
    # ties stay tied (equal scores print alike) at 3 digits
    tied = pd.Series({"a": 0.25, "b": 0.25, "c": 0.5})
    assert score_digits(tied) == 3
    assert ties_text(tied, names) == "Tied (equal scores, ranks shown as =k): A and B at 0.25 (=1)"


# ---------------------------------------------------------------- 8d. rounding residue is no saving
def test_a_saving_of_rounding_residue_is_published_as_zero():
    from dcplan.schedule_labels import USD_ZERO, figure
    # was 1e-6 (and -2e-6 kept): a verifier then saw "-2.35e-06 USD" published as a headline saving; half a
    # cent now, what rounds to 0 cents (tests/test_offpeak_caveats.py)
    assert USD_ZERO == 0.005
    assert figure(-1.4551915228366852e-11, "USD", "Week: saving", "k", {}) == (0.0, "USD", "Week: saving")
    assert figure(-0.006, "USD", "Week: saving", "k", {})[0] == -0.006  # beyond half a cent: kept
    assert figure(3e-11, "kW", "Week: cut", "k", {})[0] == 3e-11  # USD figures only
    assert not np.signbit(figure(-0.0, "USD", "x", "k", {})[0])  # not "-0"


def test_validate_gives_a_tariff_files_country_warning_once(tmp_path):
    import json
    import warnings

    from conftest import bundled_site_copy
    from dcplan.paths import data_path
    from dcplan.validate import validate_file
    item = json.loads((data_path("tariffs") / "dominion-va-gs3.json").read_text(encoding="utf-8"))
    item["country"] = "DEU"
    f = tmp_path / "t-de.json"
    f.write_text(json.dumps(item))
    p = bundled_site_copy(tmp_path, "northern-virginia", "nv-de", tariff={"file": str(f)})
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert validate_file(p) == []
    said = [str(x.message) for x in w if "is not the USA" in str(x.message)]
    assert len(said) == 1 and said[0].startswith(f"{f} (item ")
