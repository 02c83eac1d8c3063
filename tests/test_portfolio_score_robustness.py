"""Tests of dcplan.portfolio_robustness: win shares, single-weight swaps, the first-power flag, the
price-date warning and water; and of the near-equal criterion in weights_table (float noise is flat).

Every expected value is worked out by hand in the test, independently of the code under test."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dcplan import portfolio_robustness as R
from dcplan.portfolio_compare import compare, score_criteria, tie_note, weights_table, worst_possible_score

NAMES = {"a": "Site A", "b": "Site B", "c": "Site C"}


def _table():
    # three sites, two criteria. Scaled (min-max): cost a 0, b 0.5, c 1; time a 1, b 0, c 0.5.
    return pd.DataFrame({"usd_per_m_tokens": [0.10, 0.20, 0.30], "first_power_months": [10.0, 0.0, 5.0],
                         "annual_pue": [1.2, 1.2, 1.2], "derate_h": [0.0, 0.0, 0.0]},
                        index=pd.Index(list("abc"), name="site"))


def test_win_shares_match_the_analytic_share_of_the_simplex():
    # two criteria, weights (x, 1 - x), x uniform on [0, 1] (Dirichlet(1, 1)).
    # score a = 0*x + 1*(1-x) = 1 - x; b = 0.5x + 0 = 0.5x; c = x + 0.5(1 - x) = 0.5 + 0.5x (never lowest:
    # c - b = 0.5 > 0). a < b when 1 - x < 0.5x, x > 2/3: a best with probability 1/3, b 2/3.
    t = _table()
    sc = R.scaled_criteria(t, ["usd_per_m_tokens", "first_power_months"], list("abc"))
    s = R.win_shares(sc, {"usd_per_m_tokens": 0.5, "first_power_months": 0.5}, mode="uniform")
    se = math.sqrt(2 / 9 / R.N_DRAWS)  # binomial standard error of a share of 1/3
    assert s["a"] == pytest.approx(1 / 3, abs=4 * se)
    assert s["b"] == pytest.approx(2 / 3, abs=4 * se)
    assert s["c"] == 0.0 and s.sum() == pytest.approx(1.0)
    # not eligible (a short plant): b takes every draw
    assert R.win_shares(sc, {"usd_per_m_tokens": 0.5, "first_power_months": 0.5}, eligible=["b", "c"])["b"] == 1.0


def test_near_draws_centre_on_the_stated_weights():
    # stated weights 0.9 / 0.1: share x of cost ~ Beta(18, 2) (concentration 20). a best when x > 2/3:
    # P = 1 - I_{2/3}(18, 2). I_x(18, 2) = x^18 (19 - 18 x)  [regularised incomplete beta, b = 2]
    t = _table()
    sc = R.scaled_criteria(t, ["usd_per_m_tokens", "first_power_months"], list("abc"))
    x = 2 / 3
    p_a = 1 - x ** 18 * (19 - 18 * x)  # = 0.99676...
    s = R.win_shares(sc, {"usd_per_m_tokens": 0.9, "first_power_months": 0.1}, mode="near")
    assert s["a"] == pytest.approx(p_a, abs=4 * math.sqrt(p_a * (1 - p_a) / R.N_DRAWS))


def test_identical_sites_split_every_draw():
    sc = pd.DataFrame({"x": [0.0, 0.0, 1.0], "y": [1.0, 1.0, 0.0]}, index=list("abc"))
    s = R.win_shares(sc, {"x": 1.0, "y": 1.0})
    assert s["a"] == pytest.approx(s["b"]) and s["a"] + s["b"] + s["c"] == pytest.approx(1.0)
    # c best when y-weight share < 1/2 (score a = y share, c = x share): half the draws
    assert s["c"] == pytest.approx(0.5, abs=4 * math.sqrt(0.25 / R.N_DRAWS))


def test_the_smallest_single_weight_change_that_swaps_a_pair():
    # weights cost 0.6, time 0.4: a = 0.4, b = 0.3, c = 0.6 + 0.2 = 0.8 -> order b, a, c.
    # pair (b, a): N = 0.6 (0.5 - 0) + 0.4 (0 - 1) = -0.1. Cost: d = 0.5 -> cost 0.6 + 0.2 = 0.8.
    # Time: d = -1 -> time 0.4 - 0.1 = 0.3 (change 0.1, the smaller). Check at 0.3: a = 0.3/0.9, b = 0.3/0.9.
    # pair (a, c): N = 0.6 (0 - 1) + 0.4 (1 - 0.5) = -0.4. Cost d = -1: cost 0.6 - 0.4 = 0.2 (change 0.4);
    # time d = 0.5: time 0.4 + 0.8 = 1.2 (change 0.8): cost wins.
    t = _table()
    crit = score_criteria("tokens")
    params = {"weight_cost": (crit["weight_cost"], 0.6), "weight_time_to_power": (crit["weight_time_to_power"], 0.4)}
    c = compare(t, {col: w for col, w in params.values()}, "tokens")
    assert list(c.score.score.index) == ["b", "a", "c"]
    sc = R.scaled_criteria(t, [col for col, _ in params.values()], list("abc"))
    sw = R.swap_changes(sc, params, list(c.score.score.index))
    assert (sw[0]["a"], sw[0]["b"], sw[0]["param"]) == ("b", "a", "weight_time_to_power")
    assert sw[0]["to"] == pytest.approx(0.3, abs=1e-12) and sw[0]["change"] == pytest.approx(0.1, abs=1e-12)
    assert sw[1]["param"] == "weight_cost" and sw[1]["to"] == pytest.approx(0.2, abs=1e-12)
    # the tie is real: rescoring at the threshold gives equal scores, a little beyond it the pair swaps
    for w_time, first in ((0.3 - 1e-6, "a"), (0.3 + 1e-6, "b")):
        s2 = compare(t, {"usd_per_m_tokens": 0.6, "first_power_months": w_time}, "tokens").score.score
        assert s2.index[0] == first


def test_robustness_says_not_robust_when_the_top_pair_swaps_under_a_small_change():
    t = _table()
    crit = score_criteria("tokens")
    given = {"weight_cost": 0.6, "weight_time_to_power": 0.4, "weight_pue": 0.0, "weight_carbon": 0.0,
             "weight_derate": 0.0, "weight_water": 0.0}
    for col in ("carbon_g_per_m_tokens", "wue_l_per_kwh"):
        t[col] = 1.0
    params = {p: (crit[p], w) for p, w in given.items()}
    c = compare(t, {col: w for col, w in params.values()}, "tokens")
    r = R.robustness(t, c, params)
    # small = 10 % of the weights' sum 1.0 = 0.1; the top pair swaps at a change of exactly 0.1
    assert r.small == pytest.approx(0.1) and r.robust is False
    assert R.robustness_text(r, NAMES).startswith("NOT ROBUST: weight_time_to_power 0.4 -> 0.3")
    # cost weighted heavily: b's lead needs time 0.4 -> -0.4 (impossible) or cost 3.0 -> 0.2 (change 2.8 > 0.34)
    params["weight_cost"] = (crit["weight_cost"], 3.0)
    c2 = compare(t, {col: w for col, w in params.values()}, "tokens")
    assert list(c2.score.score.index)[0] == "a"
    assert R.robustness(t, c2, params).robust is True


def test_first_power_flag_compares_the_medians_spread_with_the_bands():
    d = pd.to_datetime
    t = pd.DataFrame({"first_energized_p10": d(["2027-01-01", "2027-03-01"]),
                      "first_energized_p50": d(["2028-01-01", "2028-03-01"]),
                      "first_energized_p90": d(["2030-01-01", "2029-03-01"])}, index=list("ab"))
    f = R.first_power_flag(t, list("ab"))
    # calendar months, as the dates are built (grid._months_between): medians 1 Jan .. 1 Mar = 2 months (60 days
    # were 1.971 months of 30.4375 days); bands 2027-01-01 .. 2030-01-01 = 36, 2027-03-01 .. 2029-03-01 = 24
    assert f["spread_months"] == pytest.approx(2.0, rel=1e-12)
    assert f["band_lo_months"] == pytest.approx(24.0, rel=1e-12)
    assert f["band_hi_months"] == pytest.approx(36.0, rel=1e-12)
    t.loc["b", "first_energized_p50"] = d("2031-01-01")  # 3 years apart: wider than either band
    assert R.first_power_flag(t, list("ab")) is None


def test_rebase_first_power_names_a_scored_sites_date():
    d = pd.to_datetime
    t = pd.DataFrame({"first_energized_p50": d(["2028-03-01", "2028-05-01", "2028-01-01"])}, index=list("abc"))
    ref = R.rebase_first_power(t, ["a", "b"])  # c not scored: its earlier date is not the reference
    assert ref == d("2028-03-01")
    # calendar months from 1 March: 1 May is 2, 1 January -2 (61 and -60 days were 2.004 and -1.971)
    assert t["first_power_months"].tolist() == pytest.approx([0.0, 2.0, -2.0], rel=1e-12)


def test_price_dates_more_than_a_year_apart_are_warned_of_with_each_named():
    dates = pd.Series({"a": "2024-03-01", "b": "2026-01-01", "c": None})
    w = R.price_date_warning(dates, NAMES, list("abc"))
    assert "Site A 2024-03-01, Site B 2026-01-01" in w and "1.8 years apart" in w  # 671 days / 365.25
    assert R.price_date_warning(pd.Series({"a": "2025-03-01", "b": "2026-01-01"}), NAMES, list("ab")) == ""
    assert R.price_date_warning(dates, NAMES, ["b", "c"]) == ""  # a not scored: not compared


def test_bundled_tariffs_price_dates():
    # the tariff files' startdates (data/tariffs/*.json, tco_electricity's docstring): Duke 2026-01-01
    from dcplan.site import load_site
    s = R.price_dates([load_site("research-triangle-nc")])
    assert s["research-triangle-nc"] == "2026-01-01"


def test_water_is_wue_times_it_energy_and_its_weight_defaults_to_not_moving_the_score():
    t = pd.DataFrame({"wue_l_per_kwh": [1.73, 0.34], "it_mwh": [42_000.0, 100_000.0]}, index=list("ab"))
    # 1.73 L/kWh x 42,000 MWh x 1,000 kWh/MWh / 1,000 L/m3 = 72,660 m3
    assert R.add_water(t)["water_m3"].tolist() == pytest.approx([72_660.0, 34_000.0])
    tab = _table().assign(wue_l_per_kwh=[2.0, 1.0, 0.0], carbon_g_per_m_tokens=1.0)
    crit = score_criteria("tokens")
    assert crit["weight_water"] == "wue_l_per_kwh"
    base = {"usd_per_m_tokens": 0.4, "first_power_months": 0.3}
    s0 = compare(tab, base, "tokens").score.score
    s1 = compare(tab, {**base, "wue_l_per_kwh": 0.0}, "tokens").score.score
    pd.testing.assert_series_equal(s0, s1)
    # water weighted 0.3: a = (0 + 0.3 * 1 + 0.3 * 1) / 1.0 = 0.6; b = (0.4 * 0.5 + 0 + 0.3 * 0.5) = 0.35;
    # c = (0.4 + 0.3 * 0.5 + 0) = 0.55
    s2 = compare(tab, {**base, "wue_l_per_kwh": 0.3}, "tokens").score.score
    assert s2.to_dict() == pytest.approx({"a": 0.6, "b": 0.35, "c": 0.55}, abs=1e-12)


def test_near_equal_pues_are_equal_at_every_site_in_the_weights_table():
    # a tester's identical sites: PUEs differing in the last bits are one figure (rank_ties.tied), so
    # the PUE criterion adds 0 and the worst score is 1 - 0.5 share = 0.5, not 1
    t = pd.DataFrame({"annual_pue": [1.179173090895796, 1.1791730908957954, 1.179173090895796],
                      "usd_per_m_tokens": [0.1, 0.2, 0.3]}, index=list("abc"))
    w = {"usd_per_m_tokens": 0.5, "annual_pue": 0.5}
    c = compare(t, w, "tokens")
    wt = weights_table(t, {"weight_cost": ("usd_per_m_tokens", 0.5), "weight_pue": ("annual_pue", 0.5)}, c.score)
    assert wt.at["weight_pue", "note"].startswith("equal at every scored site")
    assert worst_possible_score(wt) == 0.5
    assert "worst possible score here is 0.5" in tie_note(wt)
    # the scores agree: c is worst on cost, 0 on PUE -> 0.5
    assert c.score.score["c"] == pytest.approx(0.5, abs=1e-12)


def test_robustness_is_fast_on_a_large_portfolio():
    import time
    rng = np.random.default_rng(1)
    sc = pd.DataFrame(rng.random((50, 6)), columns=list("uvwxyz"))
    t0 = time.perf_counter()
    R.win_shares(sc, dict.fromkeys("uvwxyz", 1.0))
    R.swap_changes(sc, {k: (k, 1.0) for k in "uvwxyz"}, list(sc.index))
    assert time.perf_counter() - t0 < 0.5  # the brief's budget is 0.2 s; 2.5x headroom for shared cores


def _params(**w):
    crit = score_criteria("tokens")
    return {p: (crit[p], v) for p, v in w.items()}


def test_robustness_tests_the_best_site_not_a_short_site_ranked_above_it():
    # the auditor's portfolio pD in small: the lowest score is a short plant (s, derate_h > 0), not eligible.
    # Raw values span 0-1 per column, so scaled = raw. Weights cost 0.5, time 0.5:
    # s = 0, a = (0.1 + 0.5) / 2 = 0.3, b = (0.7 + 0) / 2 = 0.35, c = 1 -> order s, a, b, c; best a.
    # (s, a): s is better on both, no weight >= 0 puts a level (the old headline: "robust", on the wrong pair).
    # (a, b) by hand: cost weight w, time 0.5: a = (0.1 w + 0.25) / (w + 0.5), b = 0.7 w / (w + 0.5);
    # equal at 0.1 w + 0.25 = 0.7 w, w = 0.25 / 0.6 = 5/12 (change 1/12 = 0.0833 <= small 0.1: NOT ROBUST).
    # Time weight v, cost 0.5: 0.05 + 0.5 v = 0.35, v = 0.6 (change 0.1, larger). (a, c): c is worse on both.
    t = pd.DataFrame({"usd_per_m_tokens": [0.0, 0.1, 0.7, 1.0], "first_power_months": [0.0, 0.5, 0.0, 1.0],
                      "annual_pue": 1.2, "derate_h": [100.0, 0.0, 0.0, 0.0]}, index=list("sabc"))
    params = _params(weight_cost=0.5, weight_time_to_power=0.5)
    c = compare(t, {col: w for col, w in params.values()}, "tokens")
    assert list(c.score.score.index) == list("sabc") and c.best == "a" and "s" in c.short
    r = R.robustness(t, c, params)
    assert r.robust is False and (r.challenge["a"], r.challenge["b"]) == ("a", "b")
    assert r.challenge["param"] == "weight_cost"
    # abs: float rounding of the -N / dk step
    assert r.challenge["to"] == pytest.approx(5 / 12, abs=1e-12)
    assert r.challenge["change"] == pytest.approx(1 / 12, abs=1e-12)
    names = {"s": "Short", "a": "Site A", "b": "Site B", "c": "Site C"}
    assert R.robustness_text(r, names).startswith("NOT ROBUST: weight_cost 0.5 -> 0.417 (a change of 0.0833) makes "
                                                  "Site B tie with Site A")


def test_robustness_finds_a_site_further_down_that_overtakes_the_best_sooner():
    # the auditor's nonadj.py: scaled = raw (each column spans 0-1). Weights cost 0.45, time 0.45, PUE 0.1:
    # A = 0 + 0.27 + 0.1 = 0.37, B = 0.225 + 0.1125 + 0.1 = 0.4375, C = 0.45 + 0 + 0 = 0.45, D = 1.
    # (A, B) by hand: cost w: 0.27 + 0.1 = 0.5 w + 0.1125 + 0.1, w = 0.315 (change 0.135 > 0.1; the old headline).
    # (A, C): cost w: 0.37 = w, w = 0.37 (change 0.08); PUE u: 0.27 + u = 0.45, u = 0.18 (change 0.08 too);
    # time v: 0.6 v + 0.1 = 0.45, v = 0.583 (0.133). Either 0.08 change is at most small = 0.1: NOT ROBUST.
    t = pd.DataFrame({"usd_per_m_tokens": [0, .5, 1, 1], "first_power_months": [.6, .25, 0, 1],
                      "annual_pue": [1, 1, 0, 1], "derate_h": 0.0}, index=list("ABCD"))
    params = _params(weight_cost=0.45, weight_time_to_power=0.45, weight_pue=0.1)
    c = compare(t, {col: w for col, w in params.values()}, "tokens")
    assert list(c.score.score.index) == list("ABCD") and c.best == "A"
    r = R.robustness(t, c, params)
    assert r.swaps[0]["to"] == pytest.approx(0.315, abs=1e-12)  # the adjacent pair, as before
    assert r.robust is False and r.challenge["b"] == "C" and r.challenge["change"] == pytest.approx(0.08, abs=1e-12)
    expect = {"weight_cost": 0.37, "weight_pue": 0.18}  # two weights tie C with A at the same change
    assert r.challenge["to"] == pytest.approx(expect[r.challenge["param"]], abs=1e-12)
    assert R.robustness_text(r, dict(zip("ABCD", "ABCD"))).startswith("NOT ROBUST: ")
    assert "makes C tie with A" in R.robustness_text(r, dict(zip("ABCD", "ABCD")))


def test_a_tie_for_best_is_no_robust_best_site():
    # the auditor's tie.py in small: b is a copy of a, so best is None (a tie); the old headline read
    # "robust ... no change of one weight puts b ahead of a". Scores (cost 0.6, time 0.4): a = b = 0.4, c = 0.6.
    t = _table()
    t.loc["b"] = t.loc["a"]
    params = _params(weight_cost=0.6, weight_time_to_power=0.4)
    c = compare(t, {col: w for col, w in params.values()}, "tokens")
    assert c.best is None and set(c.best_tie) == {"a", "b"}
    r = R.robustness(t, c, params)
    assert r.robust is None and r.challenge is None
    text = R.robustness_text(r, NAMES)
    assert text.startswith("no best site to test: Site A, Site B tie") and "robust" not in text
    # two different sites with equal scores (a: cost 0 time 1, b: cost 1 time 0, weights 0.5 / 0.5): a tie too,
    # not "NOT ROBUST ... a change of 0"
    t2 = pd.DataFrame({"usd_per_m_tokens": [0.0, 1.0, 1.0], "first_power_months": [1.0, 0.0, 1.0]},
                      index=list("abc"))
    params2 = _params(weight_cost=0.5, weight_time_to_power=0.5)
    c2 = compare(t2, {col: w for col, w in params2.values()}, "tokens")
    r2 = R.robustness(t2, c2, params2)
    assert c2.best is None and r2.robust is None
    assert R.robustness_text(r2, NAMES).startswith("no best site to test: Site A, Site B tie")
