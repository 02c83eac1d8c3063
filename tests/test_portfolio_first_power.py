"""When power arrives, not months from each site's own filing (portfolio_comparison's score and
site_analysis's verdict).

The bundled sites filed between 2024-06-01 (northern-virginia) and 2025-03-01
(research-triangle-nc). Ranked on months from each site's filing, Northern Virginia (50.1
months, filed first) came last and Research Triangle (41.8 months, filed last) tied second,
although Research Triangle's power arrives last (2028-08-26) and Northern Virginia's third
(2028-08-04). The score now ranks the median date the first phase is energized, as months
after the earliest such date among the sites.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dcplan import grid, pipeline
from dcplan.portfolio_compare import compare, comparison_table, first_power_months
from dcplan.report import render
from dcplan.site import load_portfolio
from dcplan.site_verdict import derate_text, site_verdict

# Median first-energization dates of the bundled sites (grid.energization_dates, the interconnection
# notebook's first_energized_p50), checked by hand for Phoenix in test_first_energized_dates_by_hand
DATES = {"phoenix-az": "2028-03-01", "chicago-il": "2028-07-26", "northern-virginia": "2028-08-04",
         "research-triangle-nc": "2028-08-26"}
# days after Phoenix's 2028-03-01: Chicago 31 (Mar) + 30 + 31 + 30 + 25 = 147,
# Northern Virginia 147 + 5 + 4 = 156, Research Triangle 156 + 22 = 178
DAYS = {"phoenix-az": 0, "chicago-il": 147, "northern-virginia": 156, "research-triangle-nc": 178}
# calendar months after 2028-03-01 (whole months, then the days into the next month over its length), the
# convention the dates are built with (grid._add_months): Chicago 4 months to 07-01 + 25 of July's 31 days,
# Northern Virginia 5 to 08-01 + 3/31, Research Triangle 5 + 25/31 (30.4375-day months gave 147/30.4375 = 4.830,
# 5.125, 5.848: up to a day and a half off the dates)
MONTHS = {"phoenix-az": 0.0, "chicago-il": 4 + 25 / 31, "northern-virginia": 5 + 3 / 31,
          "research-triangle-nc": 5 + 25 / 31}


def test_first_power_months_by_hand():
    d = pd.Series(pd.to_datetime(["2028-08-04", "2028-02-29", "2028-08-26", None]), index=list("abcd"))  # (any dates)
    m = first_power_months(d)
    # calendar months from 2028-02-29: 5 whole to 2028-07-29, then the days to the date over the 31 days to
    # 2028-08-29 (a 6, c 28); no date (no interconnection request): NaN
    assert m["a"] == pytest.approx(5 + 6 / 31, rel=1e-12)
    assert m["b"] == 0.0 and m["c"] == pytest.approx(5 + 28 / 31, rel=1e-12) and pd.isna(m["d"])
    # read back from the date it came from: the filing date + T months (grid._add_months) is T months later
    filed = pd.Timestamp("2025-01-15")
    for T in (37.4, 41.79, 43.0):
        back = first_power_months(pd.Series([filed, grid._add_months(filed, T)]))[1]
        assert back == pytest.approx(T, abs=0.5 / 28)  # the date is rounded to the day: half a day of a month


def test_a_site_that_filed_earlier_is_not_ranked_slower_when_its_power_comes_first():
    # a filed 2024-06 (50 months from filing), b 2025-01 (37.5), c 2025-03 (41.8); power arrives b, a, c
    t = pd.DataFrame({"usd_per_m_tokens": [0.1, 0.3, 0.2],
                      "time_to_power_median_months": [50.0, 37.5, 41.8],
                      "first_energized_p50": pd.to_datetime(["2028-08-04", "2028-02-29", "2028-08-26"])},
                     index=pd.Index(list("abc"), name="site"))
    t["first_power_months"] = first_power_months(t["first_energized_p50"])
    c = compare(t, {"usd_per_m_tokens": 0.5, "first_power_months": 0.5}, "tokens")
    # cost scaled a 0, b 1, c 0.5; date scaled a (5 + 6/31) / (5 + 28/31) = 161/183, b 0, c 1; equal weights
    assert c.score.score.to_dict() == pytest.approx({"a": (0 + 161 / 183) / 2, "b": 0.5, "c": 0.75}, rel=1e-12)
    assert c.best == "a"  # on months from filing a scored (0 + 1) / 2 = 0.5 and c was best
    # a site without an interconnection request: named as such
    t.loc["d"] = [0.1, float("nan"), pd.NaT, float("nan")]
    assert compare(t, {"first_power_months": 1.0}, "tokens").not_scored == {"d": "no interconnection request"}


def test_first_energized_dates_by_hand():
    """Phoenix: filed 2025-01-15, one phase planned 2026-09-01, median time to power T (the model's).
    Its only phase is the first pending one, energized on filed + T: 37 whole months to 2028-02-15,
    then the fraction of a month as days of February 2028 (29). (Planned date + delay gave
    2028-02-29, a day off: month arithmetic does not add in any order.)"""
    spec = load_portfolio()["phoenix-az"]
    T = float(grid.time_to_power(spec.interconnection).loc[0.5, "time_to_power_months"])
    whole = int(T)
    assert whole == 37
    hand = pd.Timestamp("2028-02-15") + pd.Timedelta(days=round((T - whole) * 29))
    assert str(hand.date()) == DATES["phoenix-az"]
    t = comparison_table(list(load_portfolio()))
    assert {s: str(d.date()) for s, d in t["first_energized_p50"].items()} == DATES
    for s, n in MONTHS.items():
        assert t.at[s, "first_power_months"] == pytest.approx(n, rel=1e-12), s
    # the bills are compared at the latest tariff date, ComEd's 2027-06-01, at every site's 3 %/yr (data/costs.csv):
    # APS 2024-03-08 counts from 2024-04, 38 months, 3 steps; Dominion and Duke 2026-01, 17 months, 1 step
    assert set(t["cost_price_date"]) == {"2027-06-01"} and set(t["electricity_escalation_frac"]) == {0.03}
    hand = {"phoenix-az": 1.03 ** 3, "northern-virginia": 1.03, "research-triangle-nc": 1.03, "chicago-il": 1.0}
    for s, f in hand.items():
        assert t.at[s, "bill_at_common_date_usd"] == pytest.approx(t.at[s, "bill_usd"] * f, rel=1e-12), s


@pytest.mark.slow
def test_portfolio_comparison_scores_when_power_arrives(tmp_path):
    s = render(notebooks=["portfolio_comparison"], out=tmp_path, jobs=1, progress=False,
               parameters=dict(weight_cost=0.0, weight_time_to_power=1.0, weight_pue=0.0, weight_carbon=0.0,
                               weight_derate=0.0))
    assert s.ok, s.table()
    res = json.loads((tmp_path / "_portfolio" / "portfolio_comparison" / "results.json").read_text())["results"]
    for sid, n in MONTHS.items():
        # min-max over 0 .. 5 + 25/31 calendar months: the earliest (Phoenix) 0, the latest (Research Triangle) 1;
        # on months from filing the scores were Phoenix 0, Chicago = Research Triangle 0.341, Northern Virginia 1
        assert res[f"{sid}.score"]["value"] == pytest.approx(n / MONTHS["research-triangle-nc"], rel=1e-12), sid
        assert str(res[f"{sid}.first_energized_p50"]["value"]) == DATES[sid]
        assert res[f"{sid}.first_power_months"]["value"] == pytest.approx(n, rel=1e-12)
        assert res[f"{sid}.first_power_months"]["label"].endswith("months after the earliest scored site's median date "
                                                                 "(2028-03-01)")
        assert "from filing" in res[f"{sid}.time_to_power_median_months"]["label"]
    assert res["best_site"]["value"] == "Phoenix, AZ"


def test_verdict_ranks_when_power_arrives_and_says_the_months_from_filing():
    pf = load_portfolio()
    spec = pf["research-triangle-nc"]
    y = pipeline.run_site_year(spec)
    v = site_verdict(spec, y, pf)
    # its power arrives last of the four (2028-08-26); on months from filing (41.8) it ranked 2 of 4
    assert v.ranks["first_power_months"] == (4, 4)
    T = pipeline.figures(y)["time_to_power_median_months"]
    assert (f"first power (median) on 2028-08-26 (rank 4 of 4, earliest first; {T:.1f} months from its filing "
            "on 2025-03-01)") in v.text


def test_derate_clause_reads_naturally():
    # it read "cannot hold full load in no hours of the typical year"
    assert derate_text(0.0) == "the cooling plant removes the hour's IT load in every hour of the typical year"
    assert derate_text(1.0) == "the cooling plant cannot remove the hour's IT load in 1 hour of the typical year"
    assert derate_text(1234.0) == ("the cooling plant cannot remove the hour's IT load in 1,234 hours of the "
                                   "typical year")


@pytest.mark.slow
def test_the_sweeps_pareto_front_is_on_when_power_arrives(tmp_path):
    """portfolio_sweep ranked time to power in months from each site's own filing; its front now uses
    the median first-energization date (pipeline.figures "first_energized_median", the dates above),
    as months after the earliest. With margin 0 and no PV each site has its cases (liquid, or air and
    liquid); Phoenix's power comes first (2028-03-01), so the earliest first power is its date."""
    s = render(notebooks=["portfolio_sweep"], out=tmp_path, jobs=1, progress=False,
               parameters={"pv_dc_kw": 0.0, "margin_frac": 0.0})
    assert s.ok, s.table()
    res = json.loads((tmp_path / "_portfolio" / "portfolio_sweep" / "results.json").read_text())["results"]
    assert res["earliest_first_power"]["value"] == DATES["phoenix-az"] == min(DATES.values())
    y = pipeline.run_site_year(load_portfolio()["chicago-il"])
    assert pipeline.figures(y)["first_energized_median"] == DATES["chicago-il"]


def test_a_site_not_scored_earlier_than_every_scored_one_says_why_it_reads_negative():
    """A planner-tester's finding: a site with no grid carbon figure (not scored) whose first power is the earliest
    read -5.98 "months after the earliest site's median date": the reference is the earliest *scored* site's
    date, and a site before it says why its months are negative."""
    from dcplan.portfolio_compare import first_power_months
    from dcplan.portfolio_report import key_figures_table
    dates = pd.to_datetime(pd.Series(["2027-09-01", "2028-03-01", "2028-08-26"], index=["early", "a", "b"]))
    ref = dates[["a", "b"]].min()  # the earliest scored site's (rebase_first_power does so for the scored sites)
    months = (dates - ref).dt.days / 30.4375
    assert months["early"] == pytest.approx(-182 / 30.4375)  # 2027-09-01 .. 2028-03-01: 182 days
    t = pd.DataFrame({"first_energized_p50": dates, "first_power_months": months,
                      "time_to_power_median_months": [20.0, 26.0, 31.0]})
    rows = dict(key_figures_table(t, {k: k.title() for k in t.index}, "power_carbon", lambda *_: "none", ref).rows)
    early, a = rows["Early"]["first power, months"], rows["A"]["first power, months"]
    label = ("first power for new capacity, median: calendar months after the earliest scored site's median date "
             "(2028-03-01)")
    assert a["label"] == f"A: {label}"
    assert early["label"] == f"Early: {label} (negative: earlier than every scored site; this site is not scored)"
    assert first_power_months(dates)["early"] == 0.0  # without rebasing the earliest of all is 0
