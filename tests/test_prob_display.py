"""Probabilities are never shown as floating-point noise or rounded to a certainty (dcplan.prob_display).

A finance-committee analyst's finding: research-triangle-nc's npv_case_grid_on_time_frac, 1 - (1 - 1.24e-16) =
1.11e-16 in floating point, showed as "1.11e-14 %"; its interconnection p_on_time_frac as "1.24e-14 %"; Chicago's
"0 %" in one report and "7.49e-20 %" in the other, for the same event. Below 0.1 % a probability now shows as
"< 0.1 %", above 99.9 % as "> 99.9 %" (the bounds the labels' words use, dcplan.tco_delay.share_words); between,
as any fraction (percent to three significant figures). results.json keeps the exact value.
"""
from __future__ import annotations

import json

import pytest

from dcplan.prob_display import ON_TIME_DIFFERENCE_NOTE, is_probability, probability_text
from dcplan.results import format_value, publish
from dcplan.tco_delay import share_words


@pytest.mark.parametrize("frac, shown", [
    (1.1102230246251565e-16, "< 0.1 %"),   # noise: 1 - (1 - 1.24e-16)
    (7.490635781370666e-22, "< 0.1 %"),    # a lognormal's far tail (Chicago's p_on_time_frac)
    (0.0, "< 0.1 %"),                      # Chicago's TCO figure for the same event: shown alike
    (0.0004, "< 0.1 %"),                   # 0.04 %: below one decimal of a percent
    (0.001, "0.1 %"),                      # the bound itself is shown
    (0.004407828531541869, "0.441 %"),     # northern-virginia: 100 x 0.0044078 = 0.44078 -> 3 significant figures
    (0.5, "50 %"),
    (0.999, "99.9 %"),
    (0.9996, "> 99.9 %"),                  # 9,996 draws in 10,000: not "100 %"
    (1.0, "> 99.9 %"),
])
def test_probability_text(frac, shown):
    assert probability_text(frac) == shown


def test_the_bounds_are_those_of_the_labels_words():
    """The value column and the labels' words (share_words) cut at the same places: "< 0.1 %" exactly where a
    label says "less than 0.1 %", "> 99.9 %" where it says "more than 99.9 %"."""
    for f in (0.0, 1e-16, 0.0004, 0.000999, 0.001, 0.5, 0.999, 0.9991, 0.9996, 1.0):
        assert (probability_text(f) == "< 0.1 %") == (share_words(f) == "less than 0.1 %"), f
        assert (probability_text(f) == "> 99.9 %") == (share_words(f) == "more than 99.9 %"), f


def test_only_probabilities_are_shown_so():
    """A MIP gap of 1.12e-5 (offpeak's rolling_worst_mip_gap_frac) is a measurement: 0.00112 %, as before."""
    gap = 1.1234921808527828e-05
    assert format_value(gap, "frac", "rolling_worst_mip_gap_frac") == format_value(gap, "frac") == "0.00112 %"
    assert format_value(1.1102230246251565e-16, "frac") == "1.11e-14 %"  # without its key: as any fraction
    assert format_value(1.1102230246251565e-16, "frac", "npv_case_grid_on_time_frac") == "< 0.1 %"
    assert format_value(1.2384712838712926e-16, "frac", "research-triangle-nc.p_on_time_frac") == "< 0.1 %"
    assert format_value(0.9996, "frac", "mc_prob_npv_negative_frac") == "> 99.9 %"
    assert format_value(0.5549, "frac", "mc_prob_npv_negative_frac") == "55.5 %"
    assert format_value("n/a: no MC", None, "mc_prob_npv_negative_frac") == "n/a: no MC"
    assert is_probability("p_on_time_grid_only_frac") and not is_probability("mc_prob_npv_negative_se_frac")
    with pytest.raises(ValueError, match="finite"):
        probability_text(float("nan"))


def test_the_report_column_shows_it_and_results_json_keeps_the_value():
    recs = publish({"npv_case_grid_on_time_frac": (1.1102230246251565e-16, "frac", "Chance")}, show=False)
    assert recs[0]["value"] == 1.1102230246251565e-16  # exact, as published
    from dcplan.results import _Published
    bundle = _Published(recs)._repr_mimebundle_()
    assert "data-key='npv_case_grid_on_time_frac'>&lt; 0.1 %</td>" in bundle["text/html"]
    # the label reads left to right (a notebook's table style right-aligns cells); a short value stays on one line
    assert bundle["text/html"].startswith("<table class='dcplan-results'><tr><td style='text-align: left'>Chance</td>"
                                          "<td style='text-align: right; white-space: nowrap;' class='dcplan-value'")
    # a text figure longer than a line wraps as text does
    long = _Published(publish({"verdict": ("robust " * 20, None, "Verdict")}, show=False))._repr_mimebundle_()
    assert "<td style='text-align: right;' class='dcplan-value' data-key='verdict'>robust" in long["text/html"]
    assert bundle["text/plain"] == "Chance: < 0.1 %"


def test_the_index_shows_it(tmp_path):
    res = {"p_on_time_frac": {"key": "p_on_time_frac", "value": 1.2384712838712926e-16, "unit": "frac",
                              "label": "Chance of power by the planned date", "headline": True},
           "mc_prob_npv_negative_frac": {"value": 0.9996, "unit": "frac", "label": "P(NPV < 0)", "headline": True}}
    (tmp_path / "a" / "interconnection").mkdir(parents=True)
    (tmp_path / "a" / "interconnection" / "results.json").write_text(
        json.dumps({"site_name": "A", "notebook": "interconnection", "results": res}))
    from dcplan.report_html import write_index
    page = write_index(tmp_path, {}).read_text()
    assert "<li>Chance of power by the planned date: <b>&lt; 0.1 %</b></li>" in page
    assert "<li>P(NPV &lt; 0): <b>&gt; 99.9 %</b></li>" in page
    assert "e-14" not in page
    # the figures' list is styled as such: each label muted, its value set off in black (a long label does not hide it)
    assert "<ul class='figs'><li>Chance of power" in page
    assert "ul.figs li { color: #555;" in page and "ul.figs b { color: #000;" in page


def test_why_the_two_reports_differ_is_one_sentence():
    """northern-virginia: interconnection 0.4354 % (the time to power within 31.0 months), TCO 0.4408 % (within
    31 + 0.5/31 months: a delay under half a day is dated to the planned day; tests/test_tco_npv_chance.py)."""
    assert ON_TIME_DIFFERENCE_NOTE.count(". ") == 0 and ON_TIME_DIFFERENCE_NOTE.endswith(".")
    assert "half a day" in ON_TIME_DIFFERENCE_NOTE and "0.441 % against 0.435 %" in ON_TIME_DIFFERENCE_NOTE


def test_the_sentence_s_figures_are_the_models():
    """northern-virginia (data/sites/northern-virginia.yaml: filed 2024-06-01, first pending phase planned
    2027-01-01, 31 months): the interconnection report's chance is the time-to-power CDF at 31.0 months; the TCO's
    holds every delay dated to the planned day, under half a day, 0.5 / 31 of a month (January has 31 days)."""
    from types import SimpleNamespace

    import numpy as np

    from dcplan import grid
    from dcplan.site import load_portfolio
    from dcplan.tco_delay import later_than_case_frac
    from dcplan.tco_grid_dates import grid_dates
    nv = load_portfolio()["northern-virginia"]
    ic = nv.interconnection
    cdf = (lambda m: float(grid.time_to_power_cdf(ic, months=np.array([m])).iloc[0, -1]))
    on_plan = grid.on_time_frac(ic)
    tco_case = 1.0 - later_than_case_frac(ic, 0.0, SimpleNamespace(grid_dates=grid_dates(ic, nv.fleet)))
    assert on_plan == pytest.approx(cdf(31.0), rel=1e-9)
    assert tco_case == pytest.approx(cdf(31.0 + 0.5 / 31), rel=1e-5)  # (bisection to 1e-6 month)
    assert f"{probability_text(tco_case)} against {probability_text(on_plan)}" == "0.441 % against 0.435 %"
    assert "0.441 % against 0.435 %" in ON_TIME_DIFFERENCE_NOTE


def test_the_terminal_summary_and_the_portfolio_tables_show_it_too():
    """The render's terminal summary (dcplan.report_summary.headline_lines) and a portfolio figure table
    (dcplan.portfolio_report.FigureTable) printed research-triangle-nc's on-time chance as "1.24e-14 %" after the
    report and the index no longer did: they now pass the record's key to format_value as well."""
    from dcplan.portfolio_report import FigureTable
    from dcplan.report_summary import headline_lines
    rec = {"key": "p_on_time_frac", "value": 1.2384712838712926e-16, "unit": "frac",
           "label": "Chance of power by the planned date", "headline": True}
    lines = headline_lines([rec], format_value, 100)
    assert len(lines) == 1 and "< 0.1 %" in lines[0] and "e-14" not in lines[0]
    site_rec = dict(rec, key="research-triangle-nc.p_on_time_frac")
    table = FigureTable(["chance"], [("Research Triangle", {"chance": site_rec})])
    assert table._text(site_rec, "chance") == "< 0.1 %"


@pytest.mark.parametrize("value", [7.490635781370666e-22, 3.288228529039527e-08])
def test_the_unconditioned_chance_is_shown_as_the_conditioned_one(value):
    """A finance reviewer's finding (bundled render, interconnection reports and index): Chicago's chance of power by
    the planned date, 7.49e-22, showed as "< 0.1 %" (p_on_time_frac) and, two lines below, over the whole wait from
    filing, the same 7.49e-22 as "7.49e-20 %" (p_on_time_unconditioned_frac); Phoenix's 3.29e-08 as "< 0.1 %" and
    "3.29e-06 %". Both are a lognormal's far tail, below one decimal of a percent: "< 0.1 %" alike."""
    assert format_value(value, "frac", "p_on_time_unconditioned_frac") == "< 0.1 %"
    assert format_value(value, "frac", "chicago-il.p_on_time_unconditioned_frac") == "< 0.1 %"
    assert format_value(value, "frac", "p_on_time_unconditioned_frac") == format_value(value, "frac", "p_on_time_frac")
    assert format_value(0.004353831467187942, "frac", "p_on_time_unconditioned_frac") == "0.435 %"  # as any fraction


def test_every_chance_of_power_the_glossary_lists_is_a_probability():
    """Each on-time chance or probability the glossary lists as a published key (`p_on_time*_frac`, `*prob*_frac`
    but a standard error) is shown as one: a new variant of the chance cannot slip past PROBABILITY_KEYS again."""
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parents[1] / "docs" / "glossary.md").read_text(encoding="utf-8")
    keys = set(re.findall(r"`([a-z_]*(?:p_on_time|prob)[a-z_]*_frac)`", text))
    keys = {k for k in keys if not k.endswith("_se_frac")}
    assert {"p_on_time_frac", "p_on_time_unconditioned_frac", "mc_prob_npv_negative_frac"} <= keys
    assert [k for k in sorted(keys) if not is_probability(k)] == []


def test_a_share_of_weight_draws_is_shown_as_a_probability_not_rounded_to_a_certainty():
    """Finance reviewer's finding (bundled render): the portfolio comparison's win shares are shares of 20,000
    weight draws (dcplan.portfolio_robustness.win_shares) but were not in PROBABILITY_KEYS, so a site best in all
    but one draw (19,999 / 20,000 = 0.99995) showed as "100 %", in the value column and in the headline's words."""
    from dcplan.portfolio_robustness import _pct
    share = 19_999 / 20_000
    assert format_value(share, "frac", "chicago-il.best_share_uniform_frac") == "> 99.9 %"
    assert format_value(share, "frac", "best_share_near_frac") == "> 99.9 %"
    assert format_value(1 / 20_000, "frac", "chicago-il.best_share_near_frac") == "< 0.1 %"
    # the headline's whole percents: never "100 %" or "0 %" for a share that is neither
    assert (_pct(share), _pct(1.0), _pct(0.005), _pct(0.0), _pct(0.5)) == ("> 99 %", "100 %", "< 1 %", "0 %", "50 %")


def test_every_share_of_draws_the_glossary_lists_is_a_probability():
    """Each `_frac` key of a glossary row that says it is a share of (Monte Carlo or weight) draws is shown as a
    probability: the best_share keys, a share of 20,000 weight draws, had slipped past PROBABILITY_KEYS."""
    import re
    from pathlib import Path
    text = (Path(__file__).resolve().parents[1] / "docs" / "glossary.md").read_text(encoding="utf-8")
    keys = set()
    for row in text.splitlines():
        cells = row.split(" | ")
        if row.startswith("| `") and len(cells) >= 3 and re.search(r"share of (?:the )?[\w ,.]{0,60}?draws", cells[2]):
            keys |= {k.rsplit(".", 1)[-1] for k in re.findall(r"`([<>\w.]+_frac)`", cells[0])}
    keys = {k for k in keys if not k.endswith("_se_frac")}
    assert {"best_share_uniform_frac", "best_share_near_frac", "mc_prob_npv_negative_frac",
            "mc_npv_base_percentile_frac"} <= keys, keys
    assert [k for k in sorted(keys) if not is_probability(k)] == []
