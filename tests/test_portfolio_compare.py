"""Tests of dcplan.portfolio_compare on hand-built tables: why a site is not scored, criteria
no site has, the best site on each basis and the headline's caveat."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from dcplan.errors import InputError
from dcplan.portfolio_compare import basis_columns, compare, lacks

NAMES = {"a": "Site A", "b": "Site B", "c": "Site C"}


def _table(**over):
    # per-token and per-GPU-hour costs chosen so the bases disagree: A is cheapest per token,
    # B per GPU-hour (a newer GPU draws more per GPU-hour but serves more tokens)
    t = pd.DataFrame({
        "bill_usd": [1.0e6, 1.2e6, 1.1e6], "grid_carbon_t": [100.0, 100.0, 100.0],
        "usd_per_m_tokens": [0.10, 0.30, 0.20], "usd_per_gpu_h": [0.50, 0.20, 0.40],
        "carbon_g_per_m_tokens": [1.0, 1.0, 1.0], "carbon_kg_per_gpu_h": [0.1, 0.1, 0.1],
        "time_to_power_median_months": [30.0, 30.0, 30.0],
        "annual_pue": [1.2, 1.2, 1.2], "derate_h": [0.0, 0.0, 0.0],
    }, index=pd.Index(["a", "b", "c"], name="site"))
    for k, v in over.items():
        t[k] = v
    return t


def test_the_bases_pick_different_best_sites_and_the_caveat_says_so():
    w = {"usd_per_m_tokens": 1.0}
    c = compare(_table(), w, "tokens", borrowed={"a": [], "b": ["hgx-b200"], "c": []})
    # cost alone: scores 0 (A), (0.2-0.1)/(0.3-0.1) = 0.5 (C), 1 (B)
    assert list(c.score.score.index) == ["a", "c", "b"]
    assert c.score.score["c"] == pytest.approx(0.5, abs=1e-12)
    assert c.best == "a" and c.best_other_basis == "b"   # per GPU-hour: 0.20 (B) is lowest
    assert c.caveat(NAMES, "tokens") == (
        "per installed GPU-hour the best site is Site B (the lowest weighted score with electricity and carbon taken "
        "per installed GPU-hour, not the lowest electricity cost alone); the tokens of Site B (hgx-b200) are the H100 "
        "figure (no sourced figure of their own), so their per-token figures are illustrations")
    # per GPU-hour, borrowed tokens do not matter to the score; the other basis does
    g = compare(_table(), {"usd_per_gpu_h": 1.0}, "gpu_h", borrowed={"b": ["hgx-b200"]})
    assert g.best == "b" and g.caveat(NAMES, "gpu_h") == (
        "per million tokens the best site is Site A (the lowest weighted score with electricity and carbon taken per "
        "million tokens, not the lowest electricity cost alone)")


def test_the_same_best_site_on_both_bases():
    t = _table(usd_per_gpu_h=[0.1, 0.3, 0.2])
    c = compare(t, {"usd_per_m_tokens": 1.0}, "tokens")
    assert c.caveat(NAMES, "tokens") == "the same best site per installed GPU-hour"


def test_a_site_without_a_tariff_is_not_scored_and_says_which_section_it_lacks():
    nan = math.nan
    t = _table(bill_usd=[1.0e6, nan, 1.1e6], usd_per_m_tokens=[0.1, nan, 0.2], usd_per_gpu_h=[0.5, nan, 0.4],
               time_to_power_median_months=[30.0, nan, 20.0])
    c = compare(t, {"usd_per_m_tokens": 0.5, "time_to_power_median_months": 0.5}, "tokens")
    assert c.not_scored == {"b": "no tariff; no interconnection request"}
    assert set(c.score.score.index) == {"a", "c"}
    # A: cost 0, time 1 -> 0.5; C: cost 1, time 0 -> 0.5 (equal weights); a stable tie keeps table order
    assert c.score.score.to_dict() == pytest.approx({"a": 0.5, "c": 0.5})


def test_a_bill_without_accelerators_is_named_as_such():
    t = _table(usd_per_m_tokens=[0.1, math.nan, 0.2])  # B has a bill but no tokens to divide it by
    assert lacks(t, "b", "usd_per_m_tokens") == "no accelerators"
    assert lacks(t.drop(columns="grid_carbon_t"), "a", "carbon_g_per_m_tokens") == "no grid carbon figure"


def test_a_criterion_no_site_has_is_left_out_with_the_reason():
    nan = math.nan
    t = _table(grid_carbon_t=[nan] * 3, carbon_g_per_m_tokens=[nan] * 3)
    c = compare(t, {"usd_per_m_tokens": 0.5, "carbon_g_per_m_tokens": 0.5}, "tokens")
    assert c.left_out == {"carbon_g_per_m_tokens": "no site of the portfolio has a grid_carbon_kg_per_mwh figure"}
    assert c.best == "a" and not c.not_scored


def test_no_site_scored_gives_no_best_site():
    nan = math.nan
    t = _table(time_to_power_median_months=[nan, 30.0, 30.0], annual_pue=[1.2, nan, nan])
    c = compare(t, {"time_to_power_median_months": 1.0, "annual_pue": 1.0}, "tokens")
    assert c.best is None and c.caveat(NAMES, "tokens") == "no best site"
    assert c.not_scored == {"a": "no interconnection request", "b": "no figure", "c": "no figure"}


def test_basis_is_checked():
    assert basis_columns("gpu_h") == ("usd_per_gpu_h", "carbon_kg_per_gpu_h", "USD per installed GPU-hour")
    with pytest.raises(InputError, match="basis: must be 'tokens' or 'gpu_h', got 'kwh'"):
        basis_columns("kwh")


def test_the_caveat_says_when_throughputs_differ_between_fleets():
    """Per million tokens, a GB200 fleet (12,014 tokens/s per GPU in the example figures) beside
    H100 fleets (3,066) wins largely on its hardware: the caveat says so, with the ratio
    12,014 / 3,066 = 3.9."""
    t = _table(throughput_key=["gb200-nvl72", "hgx-h100", "hgx-h100"],
               tokens_per_s_per_accelerator=[12014.0, 3066.0, 3066.0])
    c = compare(t, {"usd_per_m_tokens": 1.0}, "tokens")
    assert c.caveat(NAMES, "tokens").endswith(
        "the fleets' example throughputs differ (3.9x: gb200-nvl72 12,014, hgx-h100 3,066 tokens/s per "
        "accelerator), so per million tokens the score compares the hardware as well as the sites")
    # per GPU-hour the hours of different generations are not comparable: said in the caveat, which
    # the index shows beside the best site (it was only in the report's body)
    assert compare(t, {"usd_per_gpu_h": 1.0}, "gpu_h").caveat(NAMES, "gpu_h").endswith(
        "these fleets' GPU-hours are not comparable: their GPU generations differ (3.9x in example throughput: "
        "gb200-nvl72 12,014, hgx-h100 3,066 tokens/s per accelerator), so per installed GPU-hour the score compares "
        "unlike hours; per million tokens is the like-for-like basis")
    # with one throughput for all, there is nothing to say
    same = _table(throughput_key=["hgx-h100"] * 3, tokens_per_s_per_accelerator=[3066.0] * 3)
    assert "throughputs differ" not in compare(same, {"usd_per_m_tokens": 1.0}, "tokens").caveat(NAMES, "tokens")


# -- the score's weights as the report prints them, and the sweep's case table ----------------

def test_weights_table_names_each_criterion_and_a_tie_that_adds_nothing():
    """The weights appeared nowhere a reader saw, and derate hours (0 at every site) added nothing
    without a word: the worst possible score was 0.9, not the 1 the label claimed."""
    from dcplan.portfolio_compare import score_criteria, tie_note, weights_table, worst_possible_score
    from dcplan.portfolio_score import weighted_score
    t = _table()
    t["first_power_months"] = [0.0, 6.0, 3.0]
    given = {"weight_cost": 0.4, "weight_time_to_power": 0.3, "weight_pue": 0.1, "weight_carbon": 0.1,
             "weight_derate": 0.1}
    crit = score_criteria("tokens")
    s = weighted_score(t, {crit[p]: w for p, w in given.items()})
    wt = weights_table(t, {p: (crit[p], w) for p, w in given.items()}, s)
    assert wt["weight"].to_dict() == given
    assert wt.at["weight_cost", "column"] == "usd_per_m_tokens" and set(wt["direction"]) == {"lower is better"}
    # pue, carbon and derate are equal at every site in _table: 1 - 0.3 of the score can vary
    assert worst_possible_score(wt) == pytest.approx(0.7, abs=1e-12)
    assert max(s.score) == pytest.approx(0.7, abs=1e-12)  # site b: worst on cost and time to power
    note = tie_note(wt)
    assert "derate hours (derate_h: 0 at every site, weight 0.1)" in note and "worst possible score here is 0.7" in note
    assert tie_note(wt[wt.index == "weight_cost"]) == ""


def test_sweep_case_table_keeps_every_case_and_marks_the_front():
    from dcplan.portfolio_compare import case_text, sweep_case_table
    f = pd.DataFrame({
        "case_id": ["1", "2", "3", "4"], "site": ["a", "a", "b", "b"], "cooling.type": ["air", "liquid"] * 2,
        "solar.dc_kw": [0.0, 4000.0, 0.0, 4000.0], "status": ["ok", "ok", "ok", "error"],
        "error": [None, None, None, "boom"], "bill_usd": [100.0, 90.0, 80.0, None], "it_mwh": [1.0] * 4,
        # case 2's 4,000 kWdc takes 10 off the bill and costs 15 a year: the cost axis is bill + PV cost
        "pv_annual_cost_usd": [0.0, 15.0, 0.0, None], "electricity_cost_usd": [100.0, 105.0, 80.0, None],
        "throttled_frac": [0.0, 0.0, 0.1, None],
        "first_energized_median": ["2028-01-01", "2028-01-01", "2028-07-01", None],
        "seconds": [1.0] * 4, "worker": ["w"] * 4,
        "overrides_json": ['{"cooling.type": "air", "solar.dc_kw": 0.0}', '{"cooling.type": "liquid", '
                           '"cooling.liquid_class": "W32", "solar.dc_kw": 4000.0}', "{}", "{}"]})
    c = sweep_case_table(f)
    assert list(c["case_id"]) == ["1", "2", "3", "4"] and "seconds" not in c and "worker" not in c
    assert list(c.columns[:4]) == ["case_id", "site", "cooling.type", "solar.dc_kw"]
    # case 2's bill is lower than 1's but its PV costs more than it saves (105 > 100, same date and
    # throttling): 2 is dominated; 3 is cheapest but later and throttles; the failed case 4 is never on
    # the front
    assert list(c["pareto"]) == [True, False, True, False]
    assert c["cost_usd_per_it_mwh"].tolist()[:3] == [100.0, 105.0, 80.0] and math.isnan(c.at[3, "cost_usd_per_it_mwh"])
    assert c["first_power_months"].tolist()[:3] == pytest.approx([0.0, 0.0, 6.0])  # 2028-01-01 .. 07-01: 6 months
    assert case_text(c.iloc[1], {"a": "Site A"}) == ("Site A (a) with cooling.type liquid, cooling.liquid_class W32, "
                                                     "solar.dc_kw 4,000")


def test_the_sweep_csv_puts_each_price_date_beside_its_figures():
    """The exported case table had electricity_cost_usd and usd_per_mwh_facility at each tariff's own price date
    beside cost_usd_per_it_mwh at the common one, with no column saying so: a reader comparing rows compared
    different years' prices. Each figure at the common date now has a twin beside the objective, after
    cost_price_date, and the own-price figures follow bill_price_date."""
    from dcplan.portfolio_sweep_table import sweep_case_table
    f = pd.DataFrame({
        "case_id": ["1", "2"], "site": ["a", "b"], "status": ["ok", "ok"], "throttled_frac": [0.0, 0.0],
        "it_mwh": [10.0, 10.0], "facility_mwh": [12.0, 12.0], "bill_usd": [1000.0, 1000.0],
        "bill_price_date": ["2024-03-08", "2027-06-01"], "electricity_escalation_frac": [0.03, 0.03],
        "pv_annual_cost_usd": [50.0, 0.0], "electricity_cost_usd": [1050.0, 1000.0],
        "usd_per_mwh_facility": [1000.0 / 12, 1000.0 / 12], "first_energized_median": ["2028-01-01", "2028-01-01"]})
    c = sweep_case_table(f).set_index("case_id")
    # a's 2024-03-08 prices count from 2024-04: 38 months to 2027-06-01, 3 whole 12-month steps at 3 %/yr
    esc = 1.03 ** 3  # 1.092727
    assert c.at["1", "electricity_cost_at_common_date_usd"] == pytest.approx(1000 * esc + 50, rel=1e-12)
    assert c.at["1", "usd_per_mwh_facility_at_common_date"] == pytest.approx(1000 * esc / 12, rel=1e-12)
    assert c.at["1", "cost_usd_per_it_mwh"] == pytest.approx((1000 * esc + 50) / 10, rel=1e-12)
    # b is priced at the common date: its twins equal its own-price figures
    assert c.at["2", "electricity_cost_at_common_date_usd"] == 1000.0
    assert c.at["2", "usd_per_mwh_facility_at_common_date"] == pytest.approx(1000.0 / 12, rel=1e-12)
    cols = list(c.reset_index().columns)
    obj = cols.index("throttled_frac")
    assert cols[obj + 1:obj + 6] == ["cost_price_date", "escalation_factor", "bill_at_common_date_usd",
                                     "electricity_cost_at_common_date_usd", "usd_per_mwh_facility_at_common_date"]
    assert cols[cols.index("bill_price_date") + 1] == "bill_usd"


def test_description_text_says_when_the_portfolio_file_has_none(tmp_path):
    from conftest import DATA

    from dcplan.portfolio_compare import description_text
    from dcplan.site import load_portfolio
    assert description_text(load_portfolio()) == ("Example US portfolio: Four candidate AI-datacenter sites on real "
                                                  "TMY3 weather; synthetic fleets and requests.")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{DATA / 'sites' / 'chicago-il.yaml'}]\n")
    assert description_text(load_portfolio(pf)).startswith("t: the portfolio file has no description")


def test_every_weight_zero_is_refused_before_any_run_naming_the_parameters(tmp_path, capsys):
    """Each weight may be 0, but with all five 0 nothing is scored: the run failed in its eighth
    cell with 'weights: the weights must sum to > 0, got {'usd_per_m_tokens': 0.0, ...}' (the
    columns, not the parameters typed). Now bad input, exit 2, before any run."""
    from dcplan.cli import main
    from dcplan.portfolio_params import WEIGHT_PARAMETERS, check_weights
    zeros = [a for k in WEIGHT_PARAMETERS for a in ("-p", k, "0")]
    code = main(["render", "-q", "--notebooks", "portfolio_comparison", "--out", str(tmp_path / "r"), *zeros])
    assert code == 2 and not (tmp_path / "r").exists()
    assert capsys.readouterr().err.strip() == (
        "dcplan: error: -p weight_carbon: every weight is 0 (weight_cost 0, weight_time_to_power 0, weight_pue 0, "
        "weight_carbon 0, weight_derate 0, weight_water 0), so nothing is scored; allowed: weights >= 0 with at "
        "least one above 0")  # was "..., weight_derate 0)": weight_water (default 0) added with the water criterion
    # one weight above 0 is enough; the notebook's own check (papermill, JupyterLab) says the same
    check_weights({k: (1e-9 if k == "weight_pue" else 0.0) for k in WEIGHT_PARAMETERS})
    with pytest.raises(InputError, match=r"^weight_cost: every weight is 0 \(weight_cost 0,"):
        check_weights(dict.fromkeys(WEIGHT_PARAMETERS, 0.0))


def test_sites_that_tie_for_the_lowest_score_are_not_named_best():
    """Scored on derate hours alone (0 at every bundled site) every score was 0, yet the first site
    in the table was published as the best site."""
    t = _table(usd_per_m_tokens=[0.2, 0.1, 0.1])
    c = compare(t, {"usd_per_m_tokens": 1.0}, "tokens")
    assert c.best is None and c.best_tie == ("b", "c")   # B and C share the lowest cost
    assert c.caveat(NAMES, "tokens") == "no best site"
    c = compare(_table(usd_per_m_tokens=[0.3, 0.1, 0.2]), {"usd_per_m_tokens": 1.0}, "tokens")
    assert c.best == "b" and c.best_tie == ()


def test_worst_possible_score_has_no_float_noise():
    """Shares summing to 1 all tied, as in a one-site portfolio: 0.4 + 0.3 + 0.2 + 0.1 sums to
    0.9999999999999999 in floating point, so 1 - sum would print as 1.11e-16 (a tester saw -2.22e-16);
    the worst possible score is 0."""
    from dcplan.portfolio_compare import worst_possible_score
    t = pd.DataFrame({"note": ["equal at every scored site"] * 4, "share_frac": [0.4, 0.3, 0.2, 0.1]})
    assert 1.0 - t["share_frac"].sum() != 0.0          # the float noise the rounding removes
    assert worst_possible_score(t) == 0.0
    t.loc[3, "note"] = "range 1-2"
    assert worst_possible_score(t) == pytest.approx(0.1, abs=1e-12)


def test_the_caveat_says_first_when_the_sites_run_different_fleets_or_plants():
    """The bundled example's best site (a liquid GB200 plant among air HGX ones) was the worst
    location when every site ran one HGX fleet (site-selection tester): when the scored sites' plants
    or hardware differ, the caveat says first that the ranks compare those as well as the locations;
    sites with one fleet and plant get no such clause; a site that is not scored is not listed."""
    t = _table(throughput_key=["hgx-h100"] * 3, tokens_per_s_per_accelerator=[3066.0] * 3)
    c = compare(t, {"usd_per_m_tokens": 1.0}, "tokens")
    ids = list(c.score.score.index)
    mixed = {ids[0]: ("liquid", ["gb200-nvl72"]), ids[1]: ("air", ["hgx-h100"]), ids[2]: ("air", ["hgx-h100"]),
             "not-scored": ("air", ["hgx-b200"])}
    got = c.caveat(NAMES, "tokens", fleets=mixed)
    listed = "; ".join(f"{NAMES[i]}: {mixed[i][1][0]} ({mixed[i][0]} cooling)" for i in ids)
    assert got.startswith(f"the sites run different fleets or cooling plants ({listed}), so the PUE, electricity "
                          "and carbon ranks compare those as well as the locations; for a choice of location, give "
                          "every site the same fleet and plant"), got
    one = {i: ("air", ["hgx-h100", "hgx-h100"]) for i in ids}
    assert c.caveat(NAMES, "tokens", fleets=one) == c.caveat(NAMES, "tokens") == (
        "per installed GPU-hour the best site is Site B (the lowest weighted score with electricity and carbon taken "
        "per installed GPU-hour, not the lowest electricity cost alone)")


def test_sites_with_throughput_figures_of_their_own_are_told_apart():
    """Two sites giving their own finance.costs.tokens_per_s_per_accelerator share one throughput key
    (dcplan.power_tokens.OWN_THROUGHPUT_SOURCE), so the caveat grouped their rates under it and kept the
    first: 11,264 beside 5,000 tokens/s (2.25x) was not said. Each own figure is now listed under its site:
    11,264 / 5,000 = 2.2528 -> "2.3x"; beside the H100 example, 11,264 / 3,066 = 3.674 -> "3.7x"."""
    from dcplan.power_tokens import OWN_THROUGHPUT_SOURCE
    own = compare(_table(throughput_key=[OWN_THROUGHPUT_SOURCE] * 3, tokens_per_s_per_accelerator=[11264.0, 5000.0,
                                                                                                  5000.0]),
                  {"usd_per_m_tokens": 1.0}, "tokens")
    # highest first; equal rates in score order (A 0, C 0.5, B 1)
    assert own.caveat(NAMES, "tokens").endswith(
        "the fleets' throughputs differ (2.3x: Site A (site file's own figure) 11,264, Site C (site file's own figure) "
        "5,000, Site B (site file's own figure) 5,000 tokens/s per accelerator), so per million tokens the score "
        "compares the hardware as well as the sites")
    mixed = _table(throughput_key=[OWN_THROUGHPUT_SOURCE, "h100-sxm/llama-2-70b-offline", "h100-sxm/llama-2-70b-offline"],
                   tokens_per_s_per_accelerator=[11264.0, 3066.0, 3066.0])
    assert compare(mixed, {"usd_per_gpu_h": 1.0}, "gpu_h").caveat(NAMES, "gpu_h").endswith(
        "these fleets' GPU-hours are not comparable: their GPU generations differ (3.7x in throughput: Site A (site "
        "file's own figure) 11,264, h100-sxm/llama-2-70b-offline 3,066 tokens/s per accelerator), so per installed "
        "GPU-hour the score compares unlike hours; per million tokens is the like-for-like basis")
    # two sites giving the same figure of their own: nothing to say
    same = _table(throughput_key=[OWN_THROUGHPUT_SOURCE] * 3, tokens_per_s_per_accelerator=[5000.0] * 3)
    assert "throughputs differ" not in compare(same, {"usd_per_m_tokens": 1.0}, "tokens").caveat(NAMES, "tokens")


def test_the_free_cooling_column_says_its_basis():
    """The auditor read the comparison's "free cooling [h]" (Phoenix 5,446 h: site_analysis's plant model at each
    hour's load) on index.html beside site_climate's 4,564 h (the tower alone at full design heat) as one figure:
    the column and its label now say which count it is."""
    from dcplan.portfolio_compare import FIGURES
    from dcplan.portfolio_report import KEY_GROUPS, columns_text
    label, unit = FIGURES["free_cooling_h"]
    assert unit == "h" and label == (
        "free cooling: hours with no compressor running anywhere in the plant (plant model at each hour's IT load, "
        "as site_analysis's free_cooling_h; not site_climate's screen of the tower alone at full design heat)")
    assert KEY_GROUPS["plant"]["free_cooling_h"] == "free cooling (plant model)"
    assert f"free cooling (plant model): {label} [h]" in columns_text("plant")


def test_a_weight_on_a_criterion_equal_at_every_site_is_not_labelled_a_share_of_the_score():
    """portfolio_comparison published weight_derate as "10 % of the score" with derate 0 at every site: it can add
    nothing (the worst possible score is 0.9). _table: derate, PUE and carbon equal at every site."""
    from dcplan.portfolio_compare import score_criteria, weights_table
    from dcplan.portfolio_report import weight_label
    from dcplan.portfolio_score import weighted_score
    t = _table()
    t["first_power_months"] = [0.0, 6.0, 3.0]
    given = {"weight_cost": 0.4, "weight_time_to_power": 0.3, "weight_pue": 0.1, "weight_carbon": 0.1,
             "weight_derate": 0.1}
    crit = score_criteria("tokens")
    wt = weights_table(t, {p: (crit[p], w) for p, w in given.items()},
                       weighted_score(t, {crit[p]: w for p, w in given.items()}))
    # 0.1 of weights summing to 1.0: 10 %; 0.4: 40 %
    assert weight_label(wt, "weight_derate") == ("Weight of derate hours (derate_h; lower is better): 10 % of the "
                                                 "weights, but equal at every scored site (0): it adds nothing to any "
                                                 "score and separates no sites")
    assert weight_label(wt, "weight_cost") == ("Weight of electricity (usd_per_m_tokens; lower is better): 40 % of "
                                               "the score")


def test_weights_text_says_the_basis_of_electricity_and_carbon():
    """The best-site headline on the index read "weights: electricity 0.4, ..., grid carbon 0.1" with no basis,
    while the bundled sites' best is Northern Virginia per million tokens and Phoenix per installed GPU-hour
    (recomputed by hand from the comparison's per-site figures): the label must say which basis ranked them."""
    from dcplan.portfolio_compare import score_criteria, weights_text
    given = {"weight_cost": 0.4, "weight_time_to_power": 0.3, "weight_carbon": 0.1}
    for basis, per in (("tokens", "per million tokens"), ("gpu_h", "per installed GPU-hour")):
        crit = score_criteria(basis)
        text = weights_text({crit[p]: w for p, w in given.items()})
        assert text == f"electricity {per} 0.4, when power arrives 0.3, grid carbon {per} 0.1"
