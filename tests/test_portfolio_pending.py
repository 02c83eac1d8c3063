"""dcplan.portfolio_pending: a site's pending rate change said where the portfolio reports rank its cost.

The expected figures are worked by hand in each test (min-max scaling, equal weights), not taken from dcplan.
"""
import pandas as pd
import pytest

from dcplan.portfolio_pending import pending_changes, pending_rank_text, raised_costs, sweep_pending_text

NAMES = {"a": "A", "b": "B", "c": "C"}
PENDING = {"b": {"summary": "rate case filed", "source": "docket", "effective_earliest": "2026-07-08",
                 "change_frac_high": 0.5}}


def _table():
    # 100 GPUs x 1,000 h = 1e5 GPU-h; 1,000 tokens/s at utilisation 1: 3.6e5 million tokens
    bill = pd.Series({"a": 100_000.0, "b": 80_000.0, "c": 120_000.0})
    pv = pd.Series({"a": 0.0, "b": 10_000.0, "c": 0.0})
    return pd.DataFrame({"bill_at_common_date_usd": bill, "pv_annual_cost_usd": pv, "n_accelerators": 100.0,
                         "hours_h": 1000.0, "utilisation_frac": 1.0, "tokens_per_s_per_accelerator": 1000.0,
                         "usd_per_gpu_h": (bill + pv) / 1e5, "usd_per_m_tokens": (bill + pv) / 3.6e5,
                         "first_power_months": pd.Series({"a": 0.0, "b": 1.0, "c": 4.0}), "derate_h": 0.0})


def test_raised_costs_by_hand():
    t = raised_costs(_table(), {"b": 0.5})
    # B: (80,000 x 1.5 + 10,000 PV, not raised) / 1e5 GPU-h = 1.3; / 3.6e5 M tokens
    assert t.at["b", "usd_per_gpu_h"] == pytest.approx(1.3, rel=1e-12)
    assert t.at["b", "usd_per_m_tokens"] == pytest.approx(130_000 / 3.6e5, rel=1e-12)
    assert t.at["a", "usd_per_gpu_h"] == pytest.approx(1.0, rel=1e-12)


@pytest.mark.parametrize("basis, cost", [("gpu_h", "usd_per_gpu_h"), ("tokens", "usd_per_m_tokens")])
def test_rank_text_best_changes_with_the_proposed_rates(basis, cost):
    # as given, costs 1.0 / 0.9 / 1.2 scale to 1/3, 0, 1 and months 0 / 1 / 4 to 0, 1/4, 1: scores (0.5 each)
    # A 0.1667, B 0.125, C 1: B best. B's bill x1.5: costs 1.0 / 1.3 / 1.2 scale to 0, 1, 2/3: A 0, B 0.625: A best
    text = pending_rank_text(_table(), {cost: 0.5, "first_power_months": 0.5}, basis, NAMES, PENDING, "2027-06-01")
    assert text.startswith("B's tariff has a pending rate change (rate case filed), new rates from 2026-07-08, on "
                           "or before the common price date 2027-06-01: its electricity cost is at the tariff's "
                           "prices before the change")
    assert "(B x1.5, as the tco notebook's electricity_cost_mult high end applies it)" in text
    assert "per installed GPU-hour the best site becomes A, not B" in text
    assert "per million tokens the best site becomes A, not B" in text


def test_rank_text_empty_without_a_pending_scored_site_or_a_cost_weight():
    t = _table()
    assert pending_rank_text(t, {"usd_per_gpu_h": 1.0}, "gpu_h", NAMES, {}, "2027-06-01") == ""
    assert pending_rank_text(t, {"usd_per_gpu_h": 0.0, "first_power_months": 1.0}, "gpu_h", NAMES, PENDING) == ""


def test_rank_text_raising_the_dearest_site_can_move_the_best():
    # min-max scaling: C, the dearest, x1.5 (1.8) widens the cost range to 0.9-1.8, so A's cost scales to
    # 0.1 / 0.9 = 0.111 and A scores 0.0556 < B's 0.125: A becomes best although A's and B's costs did not move
    pend = {"c": {**PENDING["b"], "effective_earliest": "2028-01-01"}}
    text = pending_rank_text(_table(), {"usd_per_gpu_h": 0.5, "first_power_months": 0.5}, "gpu_h", NAMES, pend,
                             "2027-06-01")
    assert "new rates from 2028-01-01, after the common price date 2027-06-01" in text
    assert "per installed GPU-hour the best site becomes A, not B" in text


def test_rank_text_stays_when_the_raise_does_not_move_the_best():
    # C x1.05 (1.26): range 0.9-1.26, A's cost scales to 0.1 / 0.36 = 0.278, A scores 0.139 > B's 0.125: B stays
    pend = {"c": {**PENDING["b"], "change_frac_high": 0.05}}
    text = pending_rank_text(_table(), {"usd_per_gpu_h": 0.5, "first_power_months": 0.5}, "gpu_h", NAMES, pend)
    assert "(C x1.05, as the tco" in text
    assert "per installed GPU-hour the best site stays B, and per million tokens the best site stays B" in text


def test_sweep_text_by_hand():
    cases = pd.DataFrame({"status": ["ok", "ok", "failed"], "site": ["b", "a", "c"],
                          "cost_usd_per_it_mwh": [90.0, 100.0, float("nan")],
                          "bill_at_common_date_usd": [900_000.0, 1_000_000.0, float("nan")],
                          "it_mwh": [10_000.0, 10_000.0, float("nan")], "cost_price_date": "2027-06-01"})
    pend = {"b": {**PENDING["b"], "change_frac_high": 0.45}}
    text = sweep_pending_text(cases, NAMES, pend)
    # B's case: 90 + 0.45 x 900,000 USD / 10,000 MWh = 90 + 40.5 = 130.5 USD/MWh, above A's 100
    assert "(B x1.45), the lowest-cost case, of B, costs 130.5 USD per IT MWh, not 90.0" in text
    assert text.endswith("and the lowest is then a case of A (100.0)")
    assert sweep_pending_text(cases, NAMES, {}) == ""


def test_bundled_pending_change_is_phoenix_only():
    from dcplan.site import load_portfolio
    got = pending_changes(load_portfolio("default").sites)
    assert set(got) == {"phoenix-az"}  # data/tariffs/aps-az-e32-tou-l.json's APS rate case
    assert got["phoenix-az"]["change_frac_high"] == pytest.approx(0.45, abs=0)
    assert got["phoenix-az"]["effective_earliest"] == "2026-07-08"


def test_fit_text_names_a_stand_in_rate_above_its_range():
    import json
    from pathlib import Path

    from dcplan.portfolio_tariff_fit import fit_text
    from dcplan.site import load_portfolio
    sites = load_portfolio("default").sites
    names = {s.id: s.name for s in sites}
    aps = json.loads((Path(__file__).parents[1] / "data/tariffs/aps-az-e32-tou-l.json").read_text())
    aps = aps["items"][0] if "items" in aps else aps
    assert aps["peakkwcapacitymax"] == 3000  # E-32 TOU L serves loads below 3,000 kW
    # Phoenix at a 5,600 kW peak is above it; the other bundled tariffs give no demand range
    peaks = {"phoenix-az": 5600.0, "research-triangle-nc": 6000.0, "northern-virginia": 16500.0, "chicago-il": 5800.0}
    text = fit_text(sites, peaks, names)
    assert text.startswith("Phoenix, AZ's bill is on Arizona Public Service Co rate")
    assert "peakkwcapacitymax 3,000 kW: the load's peak, 5,600 kW, is above it" in text
    assert "E-34/E-35" in text  # the file's own dcplan_applicability_note
    assert "Research Triangle" not in text and "Chicago" not in text
    assert fit_text(sites, {**peaks, "phoenix-az": 2500.0}, names) == ""  # within its range: nothing to say
    assert fit_text(sites, peaks, names, ids=["chicago-il"]) == ""  # Phoenix not among the sites compared
