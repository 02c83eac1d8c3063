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
