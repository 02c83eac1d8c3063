"""The comparison's plant column and best-site headline say the typical year they rest on.

A statistician read "carries the IT load every hour" beside derate 0, a figure of the typical (TMY)
year only: the same Dulles EPW's 1-in-10-year hour leaves the northern-virginia plant 2,169 kW short
(dcplan.thermal_extremes). The claims now end "of the typical year".
"""
from __future__ import annotations

import pandas as pd

from dcplan.portfolio_report import key_figures_table


def test_the_plant_column_says_typical_year():
    t = pd.DataFrame({"annual_pue": [1.2, 1.3], "free_cooling_h": [5000.0, 4000.0], "derate_h": [0.0, 526.0],
                      "derate_max_kw": [0.0, 6677.0], "facility_mwh": [1.0, 2.0]}, index=["a", "b"])
    tab = key_figures_table(t, {"a": "Site A", "b": "Site B"}, "plant", lambda *_: "none")
    cells = dict(tab.rows)
    assert cells["Site A"]["plant"] == "carries the IT load in every hour of the typical year"
    assert cells["Site B"]["plant"] == "SHORT of the IT load in 526 h of the typical year: its PUE reads low"


def test_the_best_site_headline_says_typical_year():
    from types import SimpleNamespace

    from dcplan.portfolio_report import best_text
    c = SimpleNamespace(best=None, best_tie=(), passed_over=("a",), short={"a": {"derate_h": 3.0, "derate_max_kw": 12.0}},
                        score=SimpleNamespace(score=pd.Series({"a": 0.0})))
    assert best_text(c, {"a": "Site A"}) == (
        "none: no scored site's plant carries its IT load in every hour of the typical year; Site A scores lower (0) "
        "but its plant is short of the hour's IT load in 3 h of the typical year (up to 12 kW): its PUE reads low "
        "(cooling counted only for the heat it removes); fix the plant before comparing")


def test_each_sites_bill_says_the_date_of_its_prices():
    """A finance reviewer pivoting results.csv: site_analysis's bill_usd is labelled "at 2024-03-08 prices, not
    escalated", the comparison's same figure only "Phoenix, AZ: electricity bill", beside Chicago's of 2027-06-01
    prices (data/tariffs startdates; each bill the typical year at its tariff's own prices). Each site's bill now
    says its date; a site whose tariff has no startdate keeps the plain wording."""
    t = pd.DataFrame({"bill_usd": [2_976_265.85, 3_902_889.44, 1.0e6],
                      "usd_per_m_tokens": [0.0201, 0.0143, 0.01], "usd_per_gpu_h": [0.133, 0.110, 0.1],
                      "tokens_per_s_per_accelerator": [3066.0, 3066.0, 3066.0], "throughput_key": ["k"] * 3,
                      "tariff_price_date": ["2024-03-08", "2027-06-01", None]}, index=["phx", "chi", "flat"])
    tab = key_figures_table(t, {"phx": "Phoenix, AZ", "chi": "Chicago, IL", "flat": "Flat"}, "electricity",
                            lambda *_: "no startdate")
    bills = {r["key"]: r for r in tab.records if r["key"].endswith(".bill_usd")}
    assert bills["phx.bill_usd"]["label"] == ("Phoenix, AZ: electricity bill, the typical year at its tariff's own "
                                              "prices (of 2024-03-08, tariff_price_date), not escalated")
    assert "(of 2027-06-01, tariff_price_date)" in bills["chi.bill_usd"]["label"]
    assert bills["flat.bill_usd"]["label"].endswith("own prices (tariff_price_date), not escalated")
    assert bills["phx.bill_usd"]["value"] == 2_976_265.85
