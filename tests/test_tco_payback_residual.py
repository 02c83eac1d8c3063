"""Paybacks are of the cash flows before the residual sale at the horizon (finance review s18, finding 1).

A 2-year horizon showed a payback of 1.98 years while the cumulative cash without the assumed sale of
the assets at their residual value was negative: the sale, an assumption at the end of the horizon,
recovered the investment. The paybacks now leave the sale (and the tax on its gain) out; NPV and IRR
keep it as the terminal value it is. Hand calculations use the "bare" case of tests/test_tco.py:
every data/costs.csv input 0 except the ones a test switches on.
"""
from __future__ import annotations

import numpy as np
import pytest

from dcplan import tco
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_export import workbook_frames


def _bare(horizon=2, **on) -> TcoInputs:
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5, electricity_cost_mult=1.0,
             server_usd_per_accelerator=10_000.0, it_refresh_years=4.0)
    c.update(on)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=0.5,
                     horizon_years=horizon, costs=c)


def test_payback_is_none_when_only_the_residual_sale_recovers_the_investment():
    # 10 GPUs x 10,000 USD in month 1 (build 0), 4-yr life: after 24 months half is left, a residual
    # of 50,000 USD in month 24 (hand). Revenue 10 x 0.5 x h_m x 1 USD in month m, h_m its calendar month's
    # hours (an undated case starts in a January: 3,720 USD, then 3,360...; 43,800 a year), no tax: cumulative
    # without the sale -100,000 + 2 x 43,800 = -12,400 USD at the end: never paid back. With the sale it
    # turned +37,600 in month 24 (a December, 3,720 USD): the old payback, (23 + 16,120 / 53,720) / 12 yr.
    r = run_tco(_bare(revenue_usd_per_gpu_h=1.0, discount_rate_frac=0.10), 0.0)
    assert r.annual.loc["residual_value_usd"].tolist() == [0.0, 50_000.0]
    assert r.summary["payback_years"] is None
    assert r.summary["discounted_payback_years"] is None
    # NPV keeps the sale, a terminal value (hand): -100,000 v + sum_m 5 h_m v^m + 50,000 v^24,
    # v = 1.1^(-1/12); rel 1e-12: float summation
    v = 1.1 ** (-1 / 12)
    h = np.tile(np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24.0, 2)
    hand = -100_000 * v + (5.0 * h * v ** np.arange(1, 25)).sum() + 50_000 * v ** 24
    assert r.summary["npv_usd"] == pytest.approx(hand, rel=1e-12)
    assert r.summary["irr_frac"] is not None  # the flows with the sale change sign once
    # the export's note for a payback that does not exist: as before
    summ = workbook_frames(r)["Summary"].set_index("key")
    assert summ.loc["payback_years", "note"] == "not paid back within the horizon"


def test_payback_leaves_out_the_sale_and_the_tax_on_its_gain():
    # tax 50 %, revenue 2 USD/GPU-h: 10 h_m USD in month m (7,440 in January), 87,600 a year. MACRS 5 yr:
    # 20,000 USD of depreciation in year 1 (Pub 946 Table A-1) and in year 2, the year of the horizon's sale,
    # half of 32,000 (half-year convention in the year of disposition, Pub 946 ch. 4): 16,000; tax basis left
    # 64,000, residual 50,000: a loss of 14,000, a saving of 7,000 in year 2. Operating tax (hand): year 1
    # 0.5 x (87,600 - 20,000) = 33,800, year 2 0.5 x (87,600 - 16,000) = 35,800, each paid 1/12 a month; year 2's
    # whole tax is 35,800 - 7,000 = 28,800, as when it deducted 32,000 and gained 2,000.
    # Cumulative before the sale after year 1: -100,000 + 87,600 - 33,800 = -46,200; year 2 adds
    # 10 h_m - 35,800 / 12 a month: January-September (273 days, 6,552 h) 65,520 - 9 x 35,800 / 12 = 38,670,
    # October (744 h) 7,440 - 35,800 / 12 = 4,456.67, leaving 3,073.33, and November (720 h) the last 3,073.33
    # of its 7,200 - 35,800 / 12: payback = (22 + 3,073.33 / (7,200 - 35,800 / 12)) / 12 = 1.8941 yr (1.7749 yr
    # when year 2 deducted its whole 32,000 before the sale).
    r = run_tco(_bare(revenue_usd_per_gpu_h=2.0, tax_rate_frac=0.5), 0.0)
    a = r.annual
    assert a.loc["residual_gain_usd", 2] == pytest.approx(-14_000.0, rel=1e-12)
    assert a.loc["income_tax_usd"].tolist() == pytest.approx([33_800.0, 28_800.0], rel=1e-12)
    # rel 1e-12: float sums of 24 months
    left = 46_200 - 38_670 - (7_440 - 35_800 / 12)
    assert r.summary["payback_years"] == pytest.approx((22 + left / (7_200 - 35_800 / 12)) / 12, rel=1e-12)
    # discounted at 0 % (the bare case's rate) it is the same
    assert r.summary["discounted_payback_years"] == pytest.approx(r.summary["payback_years"], rel=1e-12)


def test_payback_labels_say_the_residual_sale_is_left_out():
    for k in ("payback_years", "discounted_payback_years"):
        assert "before the residual sale at the horizon" in tco.SUMMARY_LABELS[k]
    r = run_tco(_bare(revenue_usd_per_gpu_h=2.0), 0.0)
    summ = workbook_frames(r)["Summary"].set_index("key")
    assert "before the residual sale at the horizon" in summ.loc["payback_years", "label"]
    about = workbook_frames(r)["About"].set_index("item")["text"]
    assert "before the residual sale at the horizon" in about["discounting"]
