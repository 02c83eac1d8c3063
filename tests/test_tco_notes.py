"""The residual sale's share of the NPV, and a battery the TCO pays for that never discharges
(finance review s21, findings 1 and 5).

1. A 1-year horizon had NPV +8.0 M USD while the present value of the assumed sale of every asset at
   its residual value at the horizon was 166.4 M: without the sale the NPV was -158.4 M, published
   nowhere. run_tco's summary now has ``residual_sale_pv_usd`` and ``npv_without_residual_sale_usd``
   beside ``npv_usd`` (also in the export and the report), and the report says so when the sale is
   more than half of a positive NPV.
5. A 2 MW / 8 MWh battery with ``target: contract`` under a 10 MW contract and a 5.3 MW peak never
   discharged, left the bill unchanged and cost 3.2 M USD capex plus O&M, insurance and tax, with no
   note.

Hand calculations use the "bare" case of tests/test_tco_payback_residual.py: every data/costs.csv
input 0 except the ones a test switches on; 10 GPUs x 10,000 USD bought in month 1 (build 0), a
4-year IT life, so after 24 months half is left: a residual of 50,000 USD in month 24.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dcplan import pipeline, tco
from dcplan.site import load_site
from dcplan.specs.interconnection import BatterySpec
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_export import workbook_frames
from dcplan.tco_notes import RESIDUAL_SALE_SHARE_MAX, battery_idle_note, residual_sale_note

V = 1.1 ** (-1 / 12)                       # month discount factor at 10 %/yr
#: PV of 1 USD/GPU-h of revenue: 10 GPUs x 0.5 x h_m in month m = 1..24, h_m its calendar month's hours (an
#: undated case starts in a January: 744 h, 672 h, ...), discounted by V^m
HOURS = np.tile(np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24.0, 2)
REV_PV = float((5.0 * HOURS * V ** np.arange(1, 25)).sum())


def _bare(horizon=2, battery_kwh=0.0, **on) -> TcoInputs:
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5, electricity_cost_mult=1.0,
             server_usd_per_accelerator=10_000.0, it_refresh_years=4.0, discount_rate_frac=0.10)
    c.update(on)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=0.5,
                     horizon_years=horizon, battery_kwh=battery_kwh, costs=c)


def test_residual_sale_pv_and_npv_without_it_no_tax():
    # no tax: the sale is the residual, 50,000 USD in month 24, worth 50,000 / 1.1^2 = 41,322.31 USD today
    # (hand). Revenue 10 GPUs x 0.5 x h_m x 1 USD in month m (3,720 USD in January): NPV = -100,000 V + REV_PV
    # + 41,322.31; without the sale -100,000 V + REV_PV. rel 1e-12: float sums of 24 months
    r = run_tco(_bare(revenue_usd_per_gpu_h=1.0), 0.0)
    s = r.summary
    sale = 50_000 / 1.1 ** 2
    assert s["residual_sale_pv_usd"] == pytest.approx(sale, rel=1e-12)
    assert s["npv_without_residual_sale_usd"] == pytest.approx(-100_000 * V + REV_PV, rel=1e-12)
    assert s["npv_usd"] == pytest.approx(-100_000 * V + REV_PV + sale, rel=1e-12)
    # about +21,550 with the sale, about -19,770 without it: positive only because of the sale
    assert s["npv_usd"] > 0 > s["npv_without_residual_sale_usd"]
    note = residual_sale_note(r)
    assert "positive only because of the sale" in note
    assert f"{s['npv_usd']:,.0f} USD" in note and f"{sale:,.0f} USD" in note
    assert f"{s['npv_without_residual_sale_usd']:,.0f} USD" in note
    assert "2-year horizon" in note
    # the units say USD; the keys come right after npv_usd in the summary
    assert r.units["residual_sale_pv_usd"] == r.units["npv_without_residual_sale_usd"] == "USD"
    assert list(s)[:3] == ["npv_usd", "residual_sale_pv_usd", "npv_without_residual_sale_usd"]


def test_residual_sale_pv_after_the_tax_on_its_gain_matches_the_paybacks_flows():
    # tax 50 %, revenue 2 USD/GPU-h: MACRS 5 yr, 20 % and, in year 2, the year of the sale, half of 32 % (half-year
    # convention in the year of disposition, Pub 946 ch. 4), leaves a tax basis of 64,000 at the end of year 2, so
    # the sale at 50,000 has a loss of 14,000, a saving of 7,000, paid 1/12 a month over months 13-24 (as the
    # year's tax is; tests/test_tco_payback_residual.py). PV = 50,000 V^24 + (7,000 / 12) x sum V^m, m = 13..24
    r = run_tco(_bare(revenue_usd_per_gpu_h=2.0, tax_rate_frac=0.5), 0.0)
    sale = 50_000 * V ** 24 + 7_000 / 12 * sum(V ** m for m in range(13, 25))
    assert r.summary["residual_sale_pv_usd"] == pytest.approx(sale, rel=1e-12)
    # the NPV without it is the NPV of the monthly flows less the sale, from the frame's own lines (the
    # flows the paybacks use): residual_value in the last month, the tax on residual_gain / 12 in year 2
    m = r.monthly
    flows = m["net_cash_flow_usd"].to_numpy().copy()
    flows[-1] -= m["residual_value_usd"].iloc[-1]
    flows[-12:] += 0.5 * m["residual_gain_usd"].iloc[-1] / 12
    disc = V ** np.arange(1, 25)
    assert r.summary["npv_without_residual_sale_usd"] == pytest.approx(float((flows * disc).sum()), rel=1e-12)


@pytest.mark.parametrize("price, said", [(1.5, True), (4.0, False)])
def test_the_note_is_said_when_the_sale_is_more_than_half_of_a_positive_npv(price, said):
    # no tax: NPV = -100,000 V + price x REV_PV + 41,322 (hand). At 1.5 USD/GPU-h about 61,300, the
    # sale 67 % of it; at 4 USD/GPU-h about 260,000, the sale 16 %: no note
    r = run_tco(_bare(revenue_usd_per_gpu_h=price), 0.0)
    npv = -100_000 * V + price * REV_PV + 50_000 / 1.1 ** 2
    assert r.summary["npv_usd"] == pytest.approx(npv, rel=1e-12)
    share = (50_000 / 1.1 ** 2) / npv
    assert (share > RESIDUAL_SALE_SHARE_MAX) is said
    note = residual_sale_note(r)
    assert bool(note) is said
    if said:
        assert f"{share:.0%} of the NPV" in note and "npv_without_residual_sale_usd" in note


def test_no_note_for_a_negative_npv():
    # no revenue: NPV < 0 however large the sale's share; nothing to say about a positive NPV
    r = run_tco(_bare(), 0.0)
    assert r.summary["npv_usd"] < 0 and residual_sale_note(r) == ""


def test_the_export_and_the_notebook_publish_both_figures_beside_the_npv():
    r = run_tco(_bare(revenue_usd_per_gpu_h=1.0), 0.0)
    summ = workbook_frames(r, notes={"residual_sale": residual_sale_note(r)})["Summary"].set_index("key")
    for k in ("residual_sale_pv_usd", "npv_without_residual_sale_usd"):
        assert summ.loc[k, "value"] == r.summary[k] and summ.loc[k, "unit"] == "USD"
        assert summ.loc[k, "label"] == tco.SUMMARY_LABELS[k]
    assert summ.loc["residual_sale", "note"] == residual_sale_note(r)
    assert summ.loc["residual_sale", "label"].startswith("The NPV rests on the residual sale at the horizon")
    src = Path(__file__).resolve().parents[1] / "tools" / "build_tco.py"
    code = src.read_text()
    assert 'for k in (\\"residual_sale_pv_usd\\", \\"npv_without_residual_sale_usd\\"):' in code
    assert 'heads[k] = (s[k], \\"USD\\", tco.SUMMARY_LABELS[k])' in code
    assert '\\"residual_sale\\": sale_note' in code and '\\"battery_idle\\": batt_note' in code


# ---------------------------------------------------------------------------
# a battery that never discharges

def _dispatch(target):
    """The pipeline's own dispatch (pipeline._grid_kw) of a 2 MW / 8 MWh battery at Research Triangle
    (contract: its two 6 MW phases, 12,000 kW) against three hours of facility load peaking at 5,300 kW."""
    site = load_site("research-triangle-nc")
    ic = site.interconnection.model_copy(update={"battery": BatterySpec(power_mw=2.0, energy_mwh=8.0,
                                                                        target=target)})
    site = site.model_copy(update={"interconnection": ic})
    idx = pd.date_range("2025-06-10 13:00", periods=3, freq="h", tz="America/New_York")
    facility = pd.Series([4000.0, 5300.0, 4500.0], index=idx, name="facility_kw")
    pv = pd.Series(0.0, index=idx, name="pv_kw")
    grid_kw, bat = pipeline._grid_kw(site, facility, pv)
    return ic, grid_kw, bat


def test_a_battery_that_never_discharges_is_named_with_its_cost():
    ic, grid_kw, bat = _dispatch("contract")
    assert float(bat["discharge_kw"].max()) == 0.0
    assert grid_kw.max() == 5300.0   # the bill's load is the same as without the battery
    # the TCO charges 400 USD/kWh x 8,000 kWh = 3,200,000 USD of capex (hand)
    r = run_tco(_bare(revenue_usd_per_gpu_h=1.0, battery_usd_per_kwh=400.0, battery_kwh=8_000.0), 0.0)
    assert r.monthly["capex_battery_usd"].sum() == pytest.approx(3_200_000.0, rel=1e-12)
    note = battery_idle_note(ic, bat, r)
    assert note.startswith("The site's battery (interconnection.battery: 2 MW / 8 MWh, target: contract) never "
                           "discharges over the typical year")
    assert "contracted capacity, 12,000 kW" in note and "peaks at 5,300 kW" in note
    assert "3,200,000 USD capex" in note and "target: demand" in note


def test_no_battery_note_when_it_discharges_or_costs_nothing():
    ic, _, bat = _dispatch("demand")   # each month's peak shaved: it discharges in the 5,300 kW hour
    assert float(bat["discharge_kw"].max()) > 0
    r = run_tco(_bare(revenue_usd_per_gpu_h=1.0, battery_usd_per_kwh=400.0, battery_kwh=8_000.0), 0.0)
    assert battery_idle_note(ic, bat, r) == ""
    ic, _, bat = _dispatch("contract")
    assert battery_idle_note(ic, bat, run_tco(_bare(revenue_usd_per_gpu_h=1.0), 0.0)) == ""   # no battery capex
    assert battery_idle_note(None, None, r) == ""
