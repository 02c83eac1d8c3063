"""A cost figure whose stated validity ends before the fleet operates draws a warning
(dcplan.tco_cost_table.expired_rows; finance reviewer: data/costs.csv's revenue_usd_per_gpu_h, 4.916, status
primary, "valid to 2025-01-01", was shown with no warning for fleets starting 2026-10 / 2027-01)."""
from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from dcplan.errors import DcplanWarning
from dcplan.tco_cost_table import expired_rows, load_costs, warn_expired_rows

from conftest import ROOT

COLS = ["key", "value", "unit", "description", "source", "vintage", "status"]


def _table(*vintages):
    return pd.DataFrame([(f"row{i}", 1.0, "USD", "", "src", v, "primary") for i, v in enumerate(vintages)], columns=COLS)


def test_end_dates_against_the_fleet_start_by_hand():
    """A day is valid through that day; a month or year through its end. The fleet's first day decides."""
    t = _table("2024 (valid to 2025-01-01)/2026-03", "2026 (valid until 2026-06)", "expires 2025", "2024", "")
    keys = lambda fs: [r["key"] for r in expired_rows(t, fs)]  # noqa: E731
    assert keys("2025-01") == []                             # 2025-01-01 is still valid on the fleet's first day
    assert keys("2025-02") == ["row0"]                       # one month after January 2025 (its last valid day)
    assert keys("2026-01") == ["row0", "row2"]               # "expires 2025": valid through 2025-12-31
    assert keys("2026-07") == ["row0", "row1", "row2"]       # "until 2026-06": through 2026-06-30
    assert keys(None) == []                                  # an undated case: no fleet start to compare
    r = expired_rows(t, "2026-10")[0]
    # 2026-10 - 2025-01 = 21 months (hand)
    assert (r["valid_to"], str(r["fleet_start"]), r["months"]) == ("2025-01-01", "2026-10", 21)


def test_bundled_revenue_row_warns_for_the_bundled_fleets():
    """data/costs.csv's own row against the bundled fleets' first starts (data/sites: phoenix-az 2026-10,
    northern-virginia 2027-01): the warning names the row, its end date and the fleet's start."""
    costs = load_costs().reset_index()
    a = costs[costs["key"] == "revenue_usd_per_gpu_h"][COLS]
    assert a["vintage"].iloc[0].startswith("2024 (valid to 2025-01-01)")     # the finding's row, as it stands
    with pytest.warns(DcplanWarning) as rec:
        text = warn_expired_rows(a, "2026-10")
    assert len(rec) == 1 and str(rec[0].message) == text
    assert text.startswith("TCO costs: revenue_usd_per_gpu_h = 4.916 USD/GPU-h (status primary")
    assert "is stated valid to 2025-01-01, but the fleet operates from 2026-10, 21 months later" in text
    assert "~44-45 %" in text and "finance.revenue_usd_per_gpu_h" in text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert warn_expired_rows(a, "2024-12") == ""         # still valid: no warning


def test_a_price_of_the_callers_own_is_not_warned_of():
    """The Assumptions of a run whose price is the caller's own (no stated end of validity): no row expired,
    though the other rows are data/costs.csv's."""
    from dcplan import tco
    from test_tco import bare
    inp = bare(horizon=2, n=10, revenue_usd_per_gpu_h=2.5)
    assert expired_rows(tco.run_tco(inp, 0.0).assumptions, "2027-01") == []


def test_the_notebook_warns_and_publishes_the_caveat():
    code = "".join("".join(c["source"]) for c in json.loads((ROOT / "notebooks" / "tco.ipynb").read_text())["cells"]
                   if c["cell_type"] == "code")
    assert "validity_note = warn_expired_rows(result.assumptions, inputs.fleet_start,\n" in code
    assert "price_range_text(inputs, ranges.get(\"revenue_usd_per_gpu_h\")))" in code
    assert '"cost_validity": validity_note' in code


def test_the_revenue_hint_says_the_base_case_holds_the_price_flat_at_the_top_of_its_range():
    """A sources audit: revenue_escalation_frac's base 0 is the optimistic end of data/costs.csv's own range while its
    source cites 2025 price cuts (Phoenix's NPV turns negative at -5 %/yr); the expired-price caveat says so, with
    the row's range as the file gives it."""
    from dcplan.tco import load_costs
    from dcplan.tco_cost_table import EXPIRY_HINTS
    row = load_costs().loc["revenue_escalation_frac"]
    assert float(row["value"]) == float(row["high"]) == 0.0      # the base at the top of the range
    hint = EXPIRY_HINTS["revenue_usd_per_gpu_h"]
    assert ("holds the price flat for the whole horizon (revenue_escalation_frac 0, the top of data/costs.csv's "
            f"range, {float(row['low']):g} to {float(row['high']):g} a year") in hint


def _h200_priced():
    """A case priced at an H200's own 5.408 USD/GPU-h (AWS p5e.48xlarge 43.26 / 8), its source marked as
    dcplan.tco_inputs.inputs_from_site marks a fleet's own price (dcplan.tco_revenue.fleet_priced)."""
    from dcplan.tco import TcoInputs
    return TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5, costs={"revenue_usd_per_gpu_h": 5.408},
                     sources={"revenue_usd_per_gpu_h": "AWS p5e (dcplan.tco_inputs.REVENUE_PRICES_USD_PER_GPU_H)"})


def test_the_expired_price_caveat_names_the_range_swung_not_the_h100s():
    """An audit: an H200 fleet's tornado and Monte Carlo swing 1.99-6.98 x 5.408 / 4.916 = 2.189-7.679 USD/GPU-h
    (hand), while the caveat said "(1.99-6.98)"; now it names the range swung, and without one says the H100's is
    before scaling."""
    from dcplan.tco_ranges import default_ranges, price_range_text
    inp = _h200_priced()
    lo, hi = default_ranges(inp, keys=["revenue_usd_per_gpu_h"])["revenue_usd_per_gpu_h"]
    assert (lo, hi) == pytest.approx((1.99 * 5.408 / 4.916, 6.98 * 5.408 / 4.916), rel=1e-12)
    text = price_range_text(inp)
    assert text.startswith("2.189-7.679 USD/GPU-h: data/costs.csv's H100 range 1.99-6.98 times the fleet's own price")
    costs = load_costs().reset_index()
    a = costs[costs["key"] == "revenue_usd_per_gpu_h"][COLS]
    with pytest.warns(DcplanWarning):
        said = warn_expired_rows(a, "2026-10", text)
    assert f"the tornado and Monte Carlo range ({text})" in said and "(1.99-6.98)" not in said
    with pytest.warns(DcplanWarning):
        said = warn_expired_rows(a, "2026-10")
    assert ("the tornado and Monte Carlo range (data/costs.csv's H100 range, 1.99-6.98, before any scaling to the "
            "fleet's own price") in said


def test_the_tornado_says_a_scaled_price_range_tops_every_sourced_price():
    """7.679 USD/GPU-h is above data/costs.csv's high, 6.98 (Azure H100 after the 2025 cuts, the highest sourced):
    the note and the tornado's sources row say so; the H100's own range does not draw it."""
    from dcplan.tco import TcoInputs, run_tco
    from dcplan.tco_ranges import price_range_note
    from dcplan.tco_tornado_table import tornado_sources_table
    from dcplan.tco_uncertainty import tornado
    inp = _h200_priced()
    note = price_range_note(inp)
    assert note.startswith("the price range's high end, 7.679 USD/GPU-h, is above every sourced price after the 2025 "
                           "price cuts (the highest, 6.98 USD/GPU-h")
    h100 = TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5)
    assert price_range_note(h100) == ""
    tr = tornado(inp, 1e4, ranges={"revenue_usd_per_gpu_h": (1.99 * 5.408 / 4.916, 6.98 * 5.408 / 4.916)})
    src = tornado_sources_table(run_tco(inp, 1e4), tr, inp)
    assert src.loc["revenue_usd_per_gpu_h", "source"].endswith("; " + note)
