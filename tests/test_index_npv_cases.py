"""The index's "TCO NPVs at one date" table shows the NPVs the TCO report leads with, not only the on-plan case.

A finance-committee analyst's finding: the table showed only ``npv_usd``, the deterministic case on the planned
grid dates (Chicago 257.8 M, northern-virginia 474.4 M USD), while the grid model gives those dates under 0.1 %
(northern-virginia 0.4 %), that NPV sits at the 97th-99.5th percentile of its own Monte Carlo, and the Monte
Carlo medians are negative. The table now shows the median-delay NPV first (the tco headline leads with it), the
Monte Carlo median, P(NPV < 0) and the on-plan NPV with the chance of its dates, each NPV moved to one date.

Two fake runs, by hand (dcplan.finance.revalue: NPV x (1 + rate)^(months / 12)):

- A, valued at 2025-01, 8 %/yr, moved 12 months to 2026-01 (the later month): x 1.08.
  median delay 50,000,000 -> 54,000,000; MC median -25,000,000 -> -27,000,000; case 100,000,000 -> 108,000,000;
  P(NPV < 0) 0.6 -> "60 %" (a sign does not change with a positive factor); on-time 1.1e-16 -> "< 0.1 %".
- B, valued at 2026-01, 10 %/yr: already at the common month, every figure as published;
  P(NPV < 0) 0.9996 -> "> 99.9 %" (not "100 %").
"""
from __future__ import annotations

import html
import json
import re

import pytest

from dcplan.index_npv import npv_comparison
from dcplan.report_html import write_index


def _res(npv, month, rate, p50=None, mc=None, prob=None, on_time=None, scenario="base", delay=0.0, **extra):
    res = {"npv_usd": {"value": npv, "unit": "USD"}, "discount_rate_frac": {"value": rate, "unit": "frac"},
           "npv_valued_month": {"value": month}, "scenario": {"value": scenario},
           "delay_months": {"value": delay, "unit": "months"}}
    for k, v in (("npv_grid_delay_p50_usd", p50), ("mc_npv_p50_usd", mc), ("mc_prob_npv_negative_frac", prob),
                 ("npv_case_grid_on_time_frac", on_time), *extra.items()):
        if v is not None:
            res[k] = {"value": v}
    return res


def _write(tmp_path, runs):
    for key, name, res in runs:
        (tmp_path / key).mkdir(parents=True)
        (tmp_path / key / "results.json").write_text(json.dumps({"site_name": name, "notebook": "tco", "results": res}))
    # what the table shows (the cells' sort keys, data-sort, are tests/test_index_sort.py's)
    return re.sub(r" data-sort='[^']*'", "", write_index(tmp_path, {}).read_text())


A = _res(100e6, "2025-01", 0.08, p50=50e6, mc=-25e6, prob=0.6, on_time=1.1102230246251565e-16)
B = _res(400e6, "2026-01", 0.10, p50=300e6, mc=-10e6, prob=0.9996, on_time=0.0044)


def test_every_npv_is_moved_to_the_common_month_at_its_own_rate():
    rows = {r["key"]: r for r in npv_comparison({"a/tco": {"results": A}, "b/tco": {"results": B}},
                                                ["a/tco", "b/tco"])}
    a, b = rows["a/tco"], rows["b/tco"]
    assert str(a["common_month"]) == str(b["common_month"]) == "2026-01"
    assert a["p50_delay_common_usd"] == pytest.approx(54e6, rel=1e-12)
    assert a["mc_p50_common_usd"] == pytest.approx(-27e6, rel=1e-12)
    assert a["case_common_usd"] == a["npv_common_usd"] == pytest.approx(108e6, rel=1e-12)
    assert (b["p50_delay_common_usd"], b["mc_p50_common_usd"], b["case_common_usd"]) == (300e6, -10e6, 400e6)
    assert (a["mc_prob_negative_frac"], b["mc_prob_negative_frac"]) == (0.6, 0.9996)  # not revalued


def test_the_index_table_leads_with_the_median_delay_and_shows_the_monte_carlo(tmp_path):
    page = _write(tmp_path, [("a/tco", "A", A), ("b/tco", "B", B)])
    table = page[page.index("<h2>TCO NPVs at one date</h2>"):]
    head = table[table.index("<thead>"):table.index("</thead>")]
    order = [head.index(h) for h in ("NPV at the site's median grid delay, at 2026-01",
                                     "Monte Carlo median NPV, at 2026-01", "Probability NPV &lt; 0",
                                     "NPV of the scenario's case on its grid dates (base: as planned, grid delay 0)")]
    assert order == sorted(order)
    row_a = table[table.index("<tr><td>A</td>"):]
    row_a = row_a[:row_a.index("</tr>")]
    assert row_a == (
        "<tr><td>A</td><td>base</td><td>8.0%</td>"
        "<td><b>54,000,000 USD</b><div class='na'>as reported: 50,000,000 USD at 2025-01</div></td>"
        "<td><b>-27,000,000 USD</b><div class='na'>as reported: -25,000,000 USD at 2025-01</div></td>"
        "<td>60 %</td>"
        "<td><b>108,000,000 USD</b><div class='na'>as reported: 100,000,000 USD at 2025-01</div>"
        "<div class='na'>grid delay 0 months; chance the grid gives these dates: &lt; 0.1 %</div></td>")
    row_b = table[table.index("<tr><td>B</td>"):]
    assert "<td>-10,000,000 USD</td>" not in row_b and "<b>-10,000,000 USD</b>" in row_b
    assert "<td>&gt; 99.9 %</td>" in row_b  # 0.9996, not "100 %"
    assert "chance the grid gives these dates: 0.44 %" in row_b


def test_a_run_without_a_median_delay_npv_says_why(tmp_path):
    """No second case: scenario grid-delay-p50 runs the median delay itself (its npv_usd is that NPV); a case
    whose operations start after the horizon publishes the note instead of an NPV; a site without
    interconnection: publishes neither."""
    note = "At the site's median grid delay (99 months, dcplan.grid) operations would start in month 130"
    runs = [("a/tco", "A", _res(100e6, "2025-01", 0.08, scenario="grid-delay-p50", delay=20.0)),
            ("b/tco", "B", _res(200e6, "2026-01", 0.08, npv_grid_delay_p50_note=note)),
            ("c/tco", "C", _res(300e6, "2026-01", 0.08))]
    rows = {r["key"]: r for r in npv_comparison({k: {"results": res} for k, _n, res in runs}, [k for k, *_ in runs])}
    assert rows["a/tco"]["p50_delay_common_usd"] == pytest.approx(108e6, rel=1e-12)  # its own case, x 1.08
    assert rows["b/tco"]["p50_delay_usd"] is None and rows["b/tco"]["p50_delay_note"] == note
    page = _write(tmp_path, runs)
    assert "the run&#x27;s own case (scenario grid-delay-p50)" in page
    assert f"<td>n/a<div class='na'>{html.escape(note)}</div></td>" in page
    assert "<td>n/a<div class='na'>not published (no interconnection: section" in page
    assert "grid delay 20 months" in page
