"""The portfolio's electricity bills restated at one price date (dcplan.portfolio_prices), by the TCO's rule.

A site-selection auditor: portfolio_comparison ranked each site's cost per million tokens on its bill at its own
tariff's price date, the bundled tariffs 3.2 years apart (APS E-32 2024-03-08 ... ComEd 2027-06-01), unlike with
unlike. Every expected value here is derived by hand from the TCO's rule (dcplan.tco_electricity: the bill times
(1 + e) per whole 12-month step from the first whole month on or after the price date)."""
from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dcplan import portfolio_compare
from dcplan.portfolio_prices import at_common_date, common_price_date
from dcplan.tco_electricity import fleet_start_price_factor, price_escalation, price_years
from dcplan.tco_input_types import TcoInputs


def test_price_escalation_counts_whole_12_month_steps_from_the_price_month():
    # APS E-32's 2024-03-08 counts from 2024-04 (the first whole month on or after it); to 2027-06: 38 months, 3 steps
    assert price_escalation("2024-03-08", "2027-06-01", 0.03) == (3, pytest.approx(1.03 ** 3, rel=1e-15))
    # Dominion's 2026-01-01 to 2027-06: 17 months, 1 step; to 2027-12: 23 months, still 1; to 2028-01: 24, 2
    assert price_escalation("2026-01-01", "2027-06-01", 0.03)[0] == 1
    assert price_escalation("2026-01-01", "2027-12-31", 0.03)[0] == 2  # counts from 2028-01: 24 months
    assert price_escalation("2026-01-01", "2027-12-01", 0.03)[0] == 1
    assert price_escalation("2026-01-01", "2028-01-01", 0.05) == (2, pytest.approx(1.05 ** 2, rel=1e-15))
    # back from 2027-06 to 2024-04: -38 months, floor(-38 / 12) = -4 steps: deflated, as the TCO deflates
    assert price_escalation("2027-06-01", "2024-03-08", 0.03) == (-4, pytest.approx(1.03 ** -4, rel=1e-15))
    with pytest.raises(Exception, match="rate > -1"):
        price_escalation("2026-01-01", "2027-01-01", -1.0)


def test_the_tco_applies_the_same_steps_month_by_month():
    """The TCO's own figures, not a copy of the formula: the factor at the fleet's start and the steps of the
    month it bills at the date both equal price_escalation's."""
    inp = TcoInputs(8, 100.0, 1e5, fleet_start="2027-06-01", electricity_price_month="2024-03-08",
                    costs={"electricity_escalation_frac": 0.04})
    _, steps, factor = fleet_start_price_factor(inp)
    assert (steps, factor) == (3, pytest.approx(1.04 ** 3, rel=1e-15))
    # build 0 months: model month 0 is the fleet's start, 2027-06
    assert price_years(inp, 0, 1)[0, 0] == 3.0


def test_bills_are_restated_at_the_latest_price_date_of_the_sites_with_a_bill():
    t = pd.DataFrame({
        "bill_usd": [1.0e6, 2.0e6, 3.0e6, np.nan],
        "bill_price_date": ["2024-03-08", "2026-01-01", None, "2028-01-01"],
        "electricity_escalation_frac": [0.03, 0.05, 0.03, 0.03]}, index=list("abcd"))
    e = at_common_date(t)
    # d has no bill: its later date is not the common one; 2026-01-01 is
    assert e["cost_price_date"].tolist() == ["2026-01-01"] * 4
    # a: 2024-04 -> 2026-01, 21 months, 1 step at 3 %; b: its own date, 0 steps
    assert e.at["a", "bill_at_common_date_usd"] == pytest.approx(1.03e6, rel=1e-15)
    assert e.at["b", "bill_at_common_date_usd"] == 2.0e6 and e.at["b", "escalation_steps"] == 0.0
    # c: no price date: taken as at the common date (factor 1), its steps NaN; d: no bill, no figure
    assert e.at["c", "bill_at_common_date_usd"] == 3.0e6 and math.isnan(e.at["c", "escalation_steps"])
    assert math.isnan(e.at["d", "bill_at_common_date_usd"]) and math.isnan(e.at["d", "escalation_factor"])
    # a date given: a 2024-04 -> 2028-06, 50 months, 4 steps at 3 %; b 2026-01 -> 2028-06, 29 months, 2 at 5 %
    g = at_common_date(t, "2028-06-01")
    assert g.at["a", "bill_at_common_date_usd"] == pytest.approx(1.0e6 * 1.03 ** 4, rel=1e-15)
    assert g.at["b", "bill_at_common_date_usd"] == pytest.approx(2.0e6 * 1.05 ** 2, rel=1e-15)
    # no price date at all: nothing escalated, no common date
    n = at_common_date(t.assign(bill_price_date=None))
    assert n["cost_price_date"].isna().all() and n["bill_at_common_date_usd"].iloc[:3].tolist() == [1e6, 2e6, 3e6]
    assert common_price_date([None, float("nan")]) is None


def _two_sites(monkeypatch):
    """Two sites alike but for their bills: A 1.00 M USD at APS's 2024-03-08 prices, B 1.05 M USD at ComEd's
    2027-06-01; 100 GPUs each, 8,760 h, 50 % at 1,000 tokens/s."""
    rows = {"a": {"bill_usd": 1.0e6, "bill_price_date": "2024-03-08"},
            "b": {"bill_usd": 1.05e6, "bill_price_date": "2027-06-01"}}

    def row(s, y=None, **_):
        return {"site": s.id, "n_accelerators": 100, "hours_h": 8760.0, "utilisation_frac": 0.5,
                "tokens_per_s_per_accelerator": 1000.0, "throughput_key": "hand", "electricity_escalation_frac": 0.03,
                "annual_pue": 1.2, "derate_h": 0.0, **rows[s.id]}
    monkeypatch.setattr(portfolio_compare, "site_row", row)
    sites = [SimpleNamespace(id=i, name=f"Site {i.upper()}", grid_carbon_kg_per_mwh=None, grid_carbon_basis=None)
             for i in "ab"]
    return portfolio_compare.comparison_table(sites)


def test_the_comparison_ranks_the_bills_at_one_date(monkeypatch):
    t = _two_sites(monkeypatch)
    gpu_h, tok_m = 100 * 8760.0, 0.5 * 1000.0 * 100 * 8760.0 * 3600 / 1e6
    # A: 1.0e6 x 1.03 ** 3 (2024-04 -> 2027-06: 38 months) = 1,092,727 USD; B at its own date
    assert t.at["a", "usd_per_gpu_h"] == pytest.approx(1.092727e6 / gpu_h, rel=1e-12)
    assert t.at["a", "usd_per_m_tokens"] == pytest.approx(1.092727e6 / tok_m, rel=1e-12)
    assert t.at["b", "usd_per_gpu_h"] == pytest.approx(1.05e6 / gpu_h, rel=1e-12)
    assert t["cost_price_date"].tolist() == ["2027-06-01"] * 2
    assert t["bill_usd"].tolist() == [1.0e6, 1.05e6]  # the bill as billed stays, beside the restated one
    # as billed A was cheaper (1.00 < 1.05 M); at one date it is dearer: B is best on cost
    c = portfolio_compare.compare(t, {"usd_per_m_tokens": 1.0}, "tokens")
    assert c.best == "b"


def test_the_labels_and_the_warning_say_the_date_ranked(monkeypatch):
    from dcplan.portfolio_report import columns_text, key_figures_table
    from dcplan.portfolio_robustness import price_date_warning
    t = _two_sites(monkeypatch)
    names = {"a": "Site A", "b": "Site B"}
    recs = {r["key"]: r for r in key_figures_table(t, names, "electricity", portfolio_compare.lacks).records}
    assert recs["a.usd_per_m_tokens"]["label"].startswith(
        "Site A: electricity per million tokens at the common price date (2027-06-01, cost_price_date)")
    assert recs["a.escalation_factor"]["value"] == pytest.approx(1.092727, rel=1e-12)
    assert recs["a.escalation_factor"]["label"].endswith(
        "(1.03 ** 3: electricity_escalation_frac 0.03, 3 whole 12-month steps from 2024-03-08)")
    assert recs["a.bill_usd"]["value"] == 1.0e6 and "not escalated" in recs["a.bill_usd"]["label"]
    assert recs["a.bill_at_common_date_usd"]["value"] == pytest.approx(1.092727e6, rel=1e-12)
    assert "electricity bill, common date: electricity bill at the common price date (2027-06-01, cost_price_date)" \
        in columns_text("electricity", "2027-06-01")
    w = price_date_warning(t["bill_price_date"], names, ["a", "b"],
                           escalated=t[["cost_price_date", "electricity_escalation_frac", "escalation_factor"]])
    # 2024-03-08 to 2027-06-01: 1,180 days, 3.2 years
    assert w.startswith("the sites' tariffs are priced 3.2 years apart (Site A 2024-03-08, Site B 2027-06-01): the "
                        "cost criterion ranks each bill escalated to 2027-06-01 (the latest of these price dates) at "
                        "electricity_escalation_frac (+3.0%/yr)")
    assert "up to x1.0927 (Site A)" in w
    assert portfolio_compare.weights_text({"usd_per_m_tokens": 0.4}, "2027-06-01") == (
        "electricity per million tokens at 2027-06-01 prices 0.4")


def test_the_sweeps_cost_axis_restates_each_cases_bill_at_one_date():
    """portfolio_sweep ranked cost per IT MWh (its front and lowest cost) on bills at their own price dates too."""
    from dcplan.portfolio_compare import sweep_case_table
    from dcplan.portfolio_sweep_notes import price_date_note
    f = pd.DataFrame({
        "case_id": ["1", "2", "3"], "site": ["phx", "chi", "chi"], "status": ["ok", "ok", "error"],
        "bill_usd": [90.0, 105.0, None], "pv_annual_cost_usd": [10.0, 0.0, None],
        "electricity_cost_usd": [100.0, 105.0, None], "it_mwh": [1.0, 1.0, 1.0], "throttled_frac": [0.0] * 3,
        "bill_price_date": ["2024-03-08", "2027-06-01", "2030-01-01"], "electricity_escalation_frac": [0.03] * 3})
    c = sweep_case_table(f)
    # the failed case's later date is not the common one: ComEd's 2027-06-01 is; Phoenix's bill x 1.03 ** 3 (38
    # months), its PV's cost not escalated: 90 x 1.092727 + 10 = 108.345; Chicago's as billed
    assert c["cost_price_date"].tolist() == ["2027-06-01"] * 3
    assert c.at[0, "cost_usd_per_it_mwh"] == pytest.approx(90 * 1.092727 + 10, rel=1e-12)
    assert c.at[1, "cost_usd_per_it_mwh"] == pytest.approx(105.0, rel=1e-12)
    assert math.isnan(c.at[2, "cost_usd_per_it_mwh"])
    # as billed Phoenix was the cheaper (100 < 105) and alone on the front; at one date Chicago is
    assert c["pareto"].tolist() == [False, True, False]
    note = price_date_note(c, {"phx": "Phoenix, AZ", "chi": "Chicago, IL"})
    assert note.startswith("the sites' tariffs are priced 3.2 years apart (Phoenix, AZ 2024-03-08, Chicago, IL "
                           "2027-06-01): the cost axis (and the lowest cost) ranks each bill escalated to 2027-06-01")
    assert "up to x1.0927 (Phoenix, AZ)" in note


def test_a_sweeps_escalation_axis_is_said_as_each_sites_range_of_rates():
    """A finance.electricity_escalation_frac axis runs each site at several rates; the note took the first case's
    rate per site ("+3.0%/yr") and so named one of them. By hand: Phoenix 2024-03-08 -> 2027-06 is 3 whole steps,
    x1.03 ** 3 = 1.092727 and x1.06 ** 3 = 1.191016 (the largest); Chicago's bill is at the common date (x1)."""
    from dcplan.portfolio_compare import sweep_case_table
    from dcplan.portfolio_sweep_notes import price_date_note
    f = pd.DataFrame({
        "case_id": ["1", "2", "3", "4"], "site": ["phx", "phx", "chi", "chi"], "status": ["ok"] * 4,
        "bill_usd": [90.0, 90.0, 105.0, 105.0], "pv_annual_cost_usd": [0.0] * 4,
        "electricity_cost_usd": [90.0, 90.0, 105.0, 105.0], "it_mwh": [1.0] * 4, "throttled_frac": [0.0] * 4,
        "bill_price_date": ["2024-03-08", "2024-03-08", "2027-06-01", "2027-06-01"],
        "electricity_escalation_frac": [0.03, 0.06, 0.03, 0.06]})
    c = sweep_case_table(f)
    assert c["escalation_factor"].tolist() == pytest.approx([1.03 ** 3, 1.06 ** 3, 1.0, 1.0], rel=1e-12)
    names = {"phx": "Phoenix, AZ", "chi": "Chicago, IL"}
    note = price_date_note(c, names)
    # both sites ran 3 % and 6 %: one range said once; the largest factor Phoenix's at 6 %
    assert "at electricity_escalation_frac (+3.0 to +6.0%/yr) in whole 12-month steps" in note
    assert "up to x1.1910 (Phoenix, AZ)" in note
    # Chicago at 3 % only: each site's own
    note = price_date_note(c.drop(index=3), names)
    assert ("at electricity_escalation_frac (Phoenix, AZ +3.0 to +6.0%/yr, Chicago, IL +3.0%/yr) in whole"
            in note)
    # one rate per site, as before
    assert "at electricity_escalation_frac (+3.0%/yr) in whole" in price_date_note(c.iloc[[0, 2]], names)


def test_the_warning_does_not_call_a_date_of_a_site_not_compared_the_latest_of_theirs():
    """portfolio_comparison restates every bill at the latest price date of all the sites with a bill
    (comparison_table), but warns of the scored sites' dates only: with ComEd's 2027-06-01 at a site not scored (no
    interconnection: no time to power), the two scored sites' dates are 2024-03-08 and 2026-01-01, and 2027-06-01 is
    not "the latest of these price dates". By hand: 2024-04 -> 2027-06 is 38 months, 3 steps, x1.092727."""
    from dcplan.portfolio_robustness import price_date_warning
    t = pd.DataFrame({"bill_usd": [1.0e6, 1.0e6, 1.0e6],
                      "bill_price_date": ["2024-03-08", "2026-01-01", "2027-06-01"],
                      "electricity_escalation_frac": [0.03] * 3}, index=["phx", "nc", "chi"])
    esc = at_common_date(t)
    names = {"phx": "Phoenix", "nc": "Raleigh", "chi": "Chicago"}
    w = price_date_warning(t["bill_price_date"], names, ["phx", "nc"], escalated=esc)
    assert w.startswith("the sites' tariffs are priced 1.8 years apart (Phoenix 2024-03-08, Raleigh 2026-01-01): the "
                        "cost criterion ranks each bill escalated to 2027-06-01 (cost_price_date, the latest price date "
                        "of all the sites with a bill, a site's not compared here) at"), w
    assert "up to x1.0927 (Phoenix)" in w and "latest of these" not in w
    # all three compared: the date is theirs
    assert "escalated to 2027-06-01 (the latest of these price dates)" in price_date_warning(
        t["bill_price_date"], names, ["phx", "nc", "chi"], escalated=esc)


def test_labels_say_there_is_no_common_date_when_no_tariff_gives_one():
    """No site's tariff with a startdate: at_common_date has no common date and escalates nothing (factor 1), but
    the labels said each cost was "at the common price date (cost_price_date): the bill escalated to that date"
    and each bill "taken as at the common date", a date that does not exist."""
    from dcplan.portfolio_prices import with_costs_at_common_date
    from dcplan.portfolio_report import NO_COMMON_DATE, columns_text, key_figures_table
    t = with_costs_at_common_date(pd.DataFrame(
        {"bill_usd": [1.0e6, 2.0e6], "bill_price_date": [None, None], "electricity_escalation_frac": [0.03, 0.03],
         "n_accelerators": [100, 100], "hours_h": [8760.0] * 2, "utilisation_frac": [0.5] * 2,
         "tokens_per_s_per_accelerator": [1000.0] * 2, "throughput_key": ["hand"] * 2},
        index=pd.Index(["a", "b"], name="site")))
    assert t["cost_price_date"].isna().all() and (t["escalation_factor"] == 1.0).all()
    recs = {r["key"]: r for r in key_figures_table(t, {"a": "A", "b": "B"}, "electricity",
                                                   portfolio_compare.lacks).records}
    none = "(none: no site's tariff gives a price date (startdate), so no bill is escalated; cost_price_date)"
    assert recs["a.usd_per_m_tokens"]["label"].startswith(f"A: electricity per million tokens at the common price "
                                                          f"date {none}")
    assert recs["a.usd_per_m_tokens"]["value"] == pytest.approx(1.0e6 / (0.5 * 1000 * 100 * 8760 * 3600 / 1e6))
    assert recs["a.escalation_factor"]["label"].endswith("(1: no bill is escalated, no site's tariff giving a price "
                                                         "date)")
    assert "common date" not in recs["a.escalation_factor"]["label"].split(none)[-1]
    assert f"electricity per M tokens: electricity per million tokens at the common price date {none}" in \
        columns_text("electricity", NO_COMMON_DATE)
