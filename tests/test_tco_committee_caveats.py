"""What a finance committee reading one output alone must see (black-box review, findings 2-6).

2. The NPV at the site's median grid delay (phoenix-az: 26,040,635 USD, IRR 11.3 %) is positive only
   because of the assumed sale of every asset at book value at the horizon: that case's own render showed
   the sale worth 49,617,645 USD (PV) and the NPV without it -23,577,010 USD. The base report now publishes
   both figures beside ``npv_grid_delay_p50_usd``, its label says it, and the caveat is printed and exported.
3. The Monte Carlo's TCO percentiles (p50 326.7 M against the base case's 393.7 M) are lower because the
   delayed draws operate fewer months within the fixed horizon: the MonteCarlo sheet, About and the report
   say so.
4. Excel-style NPV/IRR of the CashFlow sheet's annual row (58.1 M / 16.5 %) differ from the published
   monthly figures (52.1 M / 14.4 %): the sheet's first row says where the monthly flows are.
5. results.json had none of the caveat texts: they are published as ``caveat_<key>``, as the About rows.
6. ``usd_per_gpu_hour``, ``npv_usd`` and ``tco_pv_usd`` had other labels in the workbook than in
   results.json and the HTML: one source (``dcplan.tco_labels.summary_label``).
"""
from __future__ import annotations

import json
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from dcplan import tco, tco_export
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_labels import GRID_DELAY_P50_LABELS, summary_label
from dcplan.tco_notes import residual_sale_caveat, residual_sale_note
from dcplan.tco_uncertainty import monte_carlo, percentiles

INP = TcoInputs(n_accelerators=4096, it_capacity_kw=6000.0, it_energy_kwh=4.2e7, pv_kw_dc=2000.0)
BILL = np.linspace(3e5, 4e5, 12)
# the sentence the H100 stand-in caveat ends with (dcplan.tco_revenue.NOT_COMPARABLE)
NOT_COMPARABLE = ("; so NPVs of fleets of different hardware are not comparable (they differ by power and counts, "
                  "not by their own economics)")


def _bare(**on) -> TcoInputs:
    """tests/test_tco_notes.py's bare case: 10 GPUs x 10,000 USD in month 1, a 4-year life, 2 years, 10 %/yr,
    no tax: the sale is 50,000 USD in month 24, worth 50,000 / 1.1^2 today."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5, electricity_cost_mult=1.0,
             server_usd_per_accelerator=10_000.0, it_refresh_years=4.0, discount_rate_frac=0.10)
    c.update(on)
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=0.5,
                     horizon_years=2, costs=c)


def test_the_residual_sale_note_names_another_case_and_its_keys():
    r = run_tco(_bare(revenue_usd_per_gpu_h=1.0), 0.0)
    s = r.summary
    sale, rest = 50_000 / 1.1 ** 2, s["npv_usd"] - 50_000 / 1.1 ** 2      # hand: the sale's PV
    assert s["residual_sale_pv_usd"] == pytest.approx(sale, rel=1e-12) and rest < 0 < s["npv_usd"]
    note = residual_sale_note(r, case="at the site's median grid delay (18 months)", key_suffix="_grid_delay_p50")
    assert note.startswith(f"The NPV at the site's median grid delay (18 months), {s['npv_usd']:,.0f} USD, rests on "
                           "the assumed sale of every asset at its residual (book) value at the end of the 2-year "
                           f"horizon: that sale, less the tax on its gain, is worth {sale:,.0f} USD at the project "
                           "start (residual_sale_pv_grid_delay_p50_usd), more than the whole NPV: without it the NPV "
                           f"is {rest:,.0f} USD (npv_without_residual_sale_grid_delay_p50_usd), so the NPV is "
                           "positive only because of the sale.")
    assert residual_sale_note(r).startswith(f"The NPV of {s['npv_usd']:,.0f} USD rests on")   # the case's own: as before
    # the caveat names the estimated lives the book value rests on (input-status review, 2026); was "... without it
    # {rest} USD)" without them
    assert residual_sale_caveat(r) == ("positive only because of the assumed sale of every asset at book value at the "
                                       f"horizon (that sale's PV {sale:,.0f} USD; without it {rest:,.0f} USD; book "
                                       "value on estimated economic lives (dcplan.tco.ECONOMIC_LIFE_YEARS, estimates: "
                                       "shell 39, electrical plant 20, mechanical plant 20, interconnection 40, PV 30, "
                                       "battery 15 yr; IT its refresh cycle, at most 6), not varied in the tornado or "
                                       "Monte Carlo)")
    # no revenue: a negative NPV, nothing to say
    assert residual_sale_caveat(run_tco(_bare(), 0.0)) == ""
    assert set(GRID_DELAY_P50_LABELS) == {"residual_sale_pv_grid_delay_p50_usd",
                                          "npv_without_residual_sale_grid_delay_p50_usd"}


def test_the_cashflow_sheet_says_its_annual_row_is_not_the_npvs(tmp_path):
    r = run_tco(INP, BILL)
    cf = tco_export.workbook_frames(r)["CashFlow"]
    assert cf.index[0] == "note" and cf.index.name == "line_item"
    assert cf.loc["note", "unit"] == tco_export.CASHFLOW_NOTE
    assert cf.loc["note"].drop("unit").isna().all()             # the year cells stay numbers (empty here)
    assert "MONTHLY flows at the end of each month (Monthly sheet, column net_cash_flow_usd)" in tco_export.CASHFLOW_NOTE
    # the claim: the monthly flows discounted at (1 + r)^(m/12) give npv_usd; the annual row at year end does not
    rate = INP.params()["discount_rate_frac"]
    m = r.monthly["net_cash_flow_usd"].to_numpy()
    monthly = float(np.sum(m / (1 + rate) ** (np.arange(1, len(m) + 1) / 12)))
    assert monthly == pytest.approx(r.summary["npv_usd"], rel=1e-9)
    y = cf.loc["net_cash_flow_usd"].drop("unit").to_numpy(float)
    assert abs(float(np.sum(y / (1 + rate) ** np.arange(1, len(y) + 1))) - monthly) > 1e5
    # the workbook: the text in the first row, the unit column not widened to it, numbers still formatted
    path = tco_export.write_workbook(r, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["CashFlow"]
    assert (ws["A2"].value, ws["B2"].value, ws["C2"].value) == ("note", tco_export.CASHFLOW_NOTE, None)
    assert ws.column_dimensions["B"].width < 20
    assert tco_export.read_workbook(path)["CashFlow"].drop(index="note").drop(columns="unit").shape == r.annual.shape


def test_the_montecarlo_sheet_says_why_its_tco_sits_below_the_base_case(tmp_path):
    mc = percentiles(monte_carlo(INP, BILL, {"delay_months": ("uniform", 0.0, 12.0)}, n_draws=200, seed=1),
                     ["npv_usd", "tco_pv_usd", "usd_per_gpu_hour"])
    r = run_tco(INP, BILL)
    # what the note says: with draws later than the case, the TCO's draws sit below it
    assert mc.loc["p90", "tco_pv_usd"] < r.summary["tco_pv_usd"]
    path = tco_export.write_workbook(r, tmp_path / "t.xlsx", mc_percentiles=mc)
    ws = openpyxl.load_workbook(path)["MonteCarlo"]
    head = {c.value: c for c in ws[1]}
    assert head["tco_pv_usd"].comment.text == f"tco_pv_usd: {tco_export.MC_HORIZON_NOTE}"
    assert head["npv_usd"].comment is None and head["usd_per_gpu_hour"].comment is None
    assert "operates fewer months within it" in tco_export.MC_HORIZON_NOTE
    about = tco_export.read_workbook(path)["About"].set_index("item")["text"]
    assert about["montecarlo"].endswith(tco_export.MC_HORIZON_NOTE)


def test_caveats_are_figures_named_as_the_about_rows(tmp_path):
    r = run_tco(INP, BILL)
    notes = {"price_note": "IT prices are H100's.", "leap_year": "", "pv_credit": "No PV credit.", "x_new": "Other."}
    figs = tco_export.caveat_figures(notes)
    assert figs == {"caveat_price_note": ("IT prices are H100's.", None, "IT price note"),
                    "caveat_pv_credit": ("No PV credit.", None, "No PV tax credit or incentive is modelled "
                                                            "(dcplan.tco_assumptions.pv_credit_note)"),
                    "caveat_x_new": ("Other.", None, "Caveat about the inputs")}
    about = tco_export.workbook_frames(r, notes=notes)["About"].set_index("item")["text"]
    assert {k for k in about.index if k.startswith("caveat_")} == set(figs)
    for k, (text, _, _) in figs.items():
        assert about[k] == text


def test_the_export_labels_the_npv_as_the_notebook_does():
    r = run_tco(INP, BILL)
    summ = tco_export.workbook_frames(r, scenario="grid-delay-p50")["Summary"].set_index("key")
    # INP's delay: data/costs.csv's 0 months, from its Assumptions
    assert summ.loc["npv_usd", "label"] == summary_label("npv_usd", r.summary, scenario="grid-delay-p50",
                                                         delay_months=0.0, calendar_months=r.calendar_months) == (
        "NPV after tax, deterministic case (scenario grid-delay-p50: grid delay 0 months; monthly cash flows, "
        "discounted at the end of each month; valued at the project start)")


# the electricity tariff the NPV labels name (dcplan.tco_site.npv_tariff_clause): data/sites/phoenix-az.yaml's
# APS rate file (its URDB name and utility, its price date), no enddate: no superseded words; what the site_analysis
# bill label says of it: its partly estimated prices, Phoenix's load above its peakkwcapacitymax 3,000 kW, its pending
# rate case (up to +45 %)
APS_CLAUSE = ('electricity cost: the bill on Arizona Public Service Co rate "Modeled on Rate Schedule E-32 TOU L '
              '(Large General Service, Time-of-Use, >= 401 kW)" at its prices of 2024-03-08, escalated by '
              'finance.electricity_escalation_frac, resting on partly estimated tariff prices, on a rate this load is '
              'too large for, at prices a pending rate case may raise by up to 45 %')


@pytest.mark.slow
def test_phoenix_base_report_json_and_workbook_carry_the_caveats_and_one_label_per_key(tmp_path):
    from dcplan.report import render
    s = render(sites=["phoenix-az"], notebooks=["tco"], out=tmp_path, jobs=1, progress=False,
               parameters={"n_draws": 200})
    assert s.ok, s.table()
    folder = tmp_path / "phoenix-az" / "tco"
    res = json.loads((folder / "results.json").read_text())["results"]
    # 2. the grid-delay-p50 figures (USD, rounded), beside the median NPV. The reviewer quoted 26,040,635 and
    # -23,577,010; the sale's PV is unchanged, the NPV lower since the APS bill is escalated from its tariff's
    # price date (startdate 2024-03-08, 18 months before the 2025-10 project start) and a month sells its
    # calendar month's hours (dcplan.tco_electricity); +198,770 USD since the PV is no longer insured under
    # insurance_frac (its O&M figure includes insurance: 0.5 % x 7.5 M USD a year, less tax, over the
    # horizon); -319,534 USD since the plant takes the tower's approach by Merkel's method (2026-12: fewer
    # free-cooling hours at Phoenix, 5,446 -> 3,633 h, a larger bill): regression values of the model, not a
    # hand figure
    p50, sale = res["npv_grid_delay_p50_usd"], res["residual_sale_pv_grid_delay_p50_usd"]
    rest = res["npv_without_residual_sale_grid_delay_p50_usd"]
    # 25,451,851 before the tower table was refined at light heat (2026-12: 34 heat columns, not 26; within the
    # table's 0.03 K): Phoenix's tower approach moves by hundredths of a kelvin, the bill by a few USD a year
    # 25,451,744 / -24,165,900 before the tower's water followed the air its fans move (2026-12: Phoenix make-up
    # 79,458 -> 89,521 m3 a year, WUE 2.2126 -> 2.4929 L/kWh at 3 USD/m3, less tax, over the horizon: -132,625 USD;
    # the NPV at the old WUE on the new plant is 25,449,709, the rest the water's new month-by-month profile)
    # 25,319,119 / -24,298,526 before the CRAH fans and loop pumps followed part-load curves (2026-12): Phoenix's
    # bill 3,031,300 -> 2,976,045 USD a year (-55,256) and make-up water 89,521 -> 88,824 m3 (-697 m3, -2,091 USD at
    # 3 USD/m3): 57,347 x (1 - 0.21 tax) = 45,304 USD a year, x 6.71 (10-year annuity at 8 %) = 304 k USD, less
    # for the 18-month grid delay and the ramp: +264,874 USD; the sale's PV (book value) unchanged
    # 25,583,993 / -24,033,651 before a sub-zero dew point was read over water (2026-12: Phoenix's wet bulb up in
    # those hours, tower-only free cooling 1,567 -> 1,555 h, a larger bill): -842 USD; the sale's PV unchanged
    # 25,583,151 / 49,617,645 / -24,034,494 at data/costs.csv's federal 21 % tax, until the site set Arizona's
    # combined rate (2026), 0.21 + 0.049 x 0.79 = 0.24871 (data/SOURCES.md). The tax is the rate times a taxable
    # income the rate does not change (dcplan.tco_cashflows), so at 0.24871 the NPV moves by -0.03871 x the PV at 8 %
    # (month m: 1.08^(-m/12)) of the median-delay case's taxable income, and the sale's PV by -0.03871 x the PV of
    # the residual's gain (taxed 1/12 a month over the last year), both read from that case's cash-flow lines;
    # abs 1 USD: the old figures' rounding. Then pinned (rounded), the labels' text below carrying them.
    # -2.56 USD since APS's 3.307 $/day basic service charge is billed x each month's days, not 365/12 (2026-12:
    # the same 1,207 USD a year, less in February, more in 31-day months; the NPV of this case with the charge
    # as 3.307 x 365 / 12 $/month instead is 2.558 USD higher, dcplan.tariff, Fixed charges)
    from dcplan.site import load_site
    from dcplan.tco_site import site_tco
    monthly = site_tco(load_site("phoenix-az")).median_result.monthly
    rate = 0.21 + 0.049 * (1 - 0.21)
    disc = 1.08 ** (-np.arange(1, len(monthly) + 1) / 12)
    taxable_pv = float(monthly["taxable_income_usd"].to_numpy() @ disc)
    gain_tax_pv = float(monthly["residual_gain_usd"].sum()) / 12 * float(disc[-12:].sum())
    # +141.49 USD since the water-cooled chillers' rated COP 6.28 (2026-12; was 6.1): a regression value of the
    # model (the design facility power and the bill move by hundredths of a percent; the sale's PV unchanged)
    # +11,374.34 USD since the sun of each sunrise and sunset hour sits at the midpoint of the part of the hour it is
    # up (2026-12, dcplan.solar_position): Phoenix's PV 10,242.9 -> 10,255.7 MWh a year (+0.125 %), its peak grid
    # draw, in a sunset hour, 5,587 -> 5,562 kW, the bill 2,976,410 -> 2,973,825 USD a year (-2,585, demand
    # -1,851): a regression value of the model (the sale's PV unchanged)
    # +61,356.16 USD since the water price was split into the city's water rate and a sewer estimate (2026-12:
    # 1.34019 + 1.5 = 2.84019 USD/m3 of make-up on supply, was one 3.0 estimate; data/SOURCES.md, Water and sewer
    # rates): the case run again with water 3.0 and sewer 0 differs by a cost PV of 77,772.96 USD and a taxable
    # income PV of 78,175.24 (the tax's months are not the water's), at 21 % 77,772.96 - 0.21 x 78,175.24: a
    # regression value of the model (the sale's PV unchanged)
    # + the sewer saving since Phoenix's sewer is billed on the city's winter average (2026-12: finance.sewer_billing
    # winter_average, months 1-3, a business's 90 %; data/SOURCES.md): the make-up billed falls from all of it to
    # f = 12 x the January-March mean share x 0.9 (the plant's own hourly water_l by the month each hour starts
    # in, computed here; about 0.6819), billed in 12 equal monthly bills (as the city bills the same every month);
    # each month's sewer line before was all that month's make-up at the sewer estimate, this case's water line x
    # 1.5 / 1.34019 (data/costs.csv's sewer, the city's water rate), the saving that less this case's sewer line;
    # after tax at the site's rate, the tax spread evenly over each tax year (a project year: the site sets no
    # tax_year_start_month), as the model books it, discounted as above
    from dcplan.pipeline import run_site_year
    w = run_site_year(load_site("phoenix-az")).plant["water_l"]
    by = w.groupby((w.index - (w.index[1] - w.index[0])).month).sum()
    f = 12 * by.loc[[1, 2, 3]].mean() / by.sum() * 0.9
    saved = monthly["opex_water_usd"].to_numpy() * 1.5 / 1.34019 - monthly["opex_sewer_usd"].to_numpy()
    by_tax_year = saved.reshape(-1, 12).sum(axis=1) / 12
    saved_pv = float(saved @ disc)                    # the cost saved, PV
    taxed_pv = float(sum(s * disc[12 * i:12 * i + 12].sum() for i, s in enumerate(by_tax_year)))  # as taxed
    sewer_gain = saved_pv - rate * taxed_pv
    assert 170_000 < sewer_gain < 180_000             # about 42,350 USD a year less, after tax, over 8.5 yr
    # (in the chain at 21 %: the (rate - 0.21) x taxable_pv term, on this case's taxable income, taxes the rest)
    assert p50["value"] == pytest.approx(25_583_151 - 2.56 + 141.49 + 11_374.34 + 61_356.16
                                         - (rate - 0.21) * taxable_pv + saved_pv - 0.21 * taxed_pv, abs=1.0)
    # the sale's PV, 48,907,089 until the tax year of the horizon's sale deducted only the year of disposition's
    # share of its amount (2026-12; Pub 946 ch. 4: half-year 50 %, the shell 11.5 / 12 to the middle of the sale's
    # December, none for IT placed in service that year): the deduction W it no longer takes lowers the gain by W,
    # whose tax, paid 1/12 a month over the last year, the sale saves: + rate x W x the PV of 1/12 a month.
    # W from the median case's Depreciation rows (the sale year's amount / its share - itself; Table A-1's
    # first-year 20 % of a basis placed in service in the sale's year). The NPV is unchanged (year 10's tax is).
    d = site_tco(load_site("phoenix-az")).median_result.depreciation
    last, withheld = [c for c in d.columns if c.startswith("year_")][-1], 0.0
    for name, row in d.iterrows():
        share = re.search(r"deducts ([0-9.]+) % of its amount", str(row["convention"]))
        if share is None:
            continue
        f = 11.5 / 12 if name.startswith("facility_shell") else float(share.group(1)) / 100
        withheld += row[last] * (1 / f - 1) if f > 0 else row["basis_usd"] * 0.20
    d12 = float(disc[-12:].sum()) / 12
    gain_tax_pv += withheld * d12          # the gain before: the current one + W
    assert sale["value"] == pytest.approx(49_617_645 - (rate - 0.21) * gain_tax_pv + rate * withheld * d12, abs=1.0)
    # (21,756,199 and -28,769,257 before the sun of the sunrise and sunset hours moved, above; 21,767,022 and
    # -28,758,434 before the water and sewer split, above; 21,825,352 and -28,700,104 before the winter-average
    # sewer, + sewer_gain above, 174,183 USD; 21,999,535 and -28,525,921 until that sewer was billed in 12 equal
    # monthly bills, as the city bills it, not by each month's make-up: +3,148 USD, the partial first and last years)
    assert round(p50["value"]) == 22_002_683 and round(sale["value"]) == 50_525_456
    assert round(rest["value"]) == -28_522_774
    assert rest["value"] == pytest.approx(p50["value"] - sale["value"], rel=1e-12)
    assert sale["headline"] and rest["headline"] and sale["label"] == GRID_DELAY_P50_LABELS[sale["key"]]
    # then what it rests on: H100 figures for the B200 fleet (dcplan.tco_revenue.stand_in_caveat)
    # with the estimated lives the book value rests on (input-status review, 2026; was "... -24,033,651 USD); rests on")
    assert p50["label"].endswith("; positive only because of the assumed sale of every asset at book value at the "
                                 "horizon (that sale's PV 50,525,456 USD; without it -28,522,774 USD; book value on "
                                 "estimated economic lives (dcplan.tco.ECONOMIC_LIFE_YEARS, estimates: shell 39, "
                                 "electrical plant 20, mechanical plant 20, interconnection 40, PV 30, battery 15 yr; "
                                 "IT its refresh cycle, at most 6), not varied in the tornado or Monte Carlo); "
                                 + APS_CLAUSE + "; rests on H100 stand-in figures: revenue at the H100 price of "
                                 "4.916 USD/GPU-h for hgx-b200 "
                                 "(no sourced price of its own; caveat_revenue_note); IT capex at the H100 server, "
                                 "back-end fabric and storage prices of 33,750, 6,000 and 2,000 USD per accelerator "
                                 "for hgx-b200 (caveat_price_note)" + NOT_COMPARABLE)
    assert res["npv_usd"]["label"].endswith("; " + APS_CLAUSE + "; rests on H100 stand-in figures: revenue at "
                                            "the H100 price of 4.916 "
                                            "USD/GPU-h for hgx-b200 (no sourced price of its own; "
                                            "caveat_revenue_note); "
                                            "IT capex at the H100 server, back-end fabric and storage prices of "
                                            "33,750, 6,000 and 2,000 USD per accelerator for hgx-b200 "
                                            "(caveat_price_note)" + NOT_COMPARABLE)
    note = res["caveat_residual_sale_grid_delay_p50"]["value"]
    assert note.startswith("The NPV at the site's median grid delay (18 months), 22,002,683 USD, rests on")
    # 5. every caveat of the workbook's About is in results.json, the same text
    xlsx = folder / "outputs" / "phoenix-az_base_tco.xlsx"
    about = pd.read_excel(xlsx, sheet_name="About").set_index("item")["text"]
    caveats = {k for k in about.index if k.startswith("caveat_")}
    assert caveats == {k for k in res if k.startswith("caveat_")}
    assert {"caveat_residual_sale", "caveat_pv_credit", "caveat_npv_base_vs_montecarlo",
            "caveat_grid_delay_vs_site"} <= caveats
    for k in caveats:
        assert res[k]["value"] == about[k] and not res[k]["headline"], k
    # 6. one label per key in results.json and the workbook's Summary
    summ = pd.read_excel(xlsx, sheet_name="Summary").set_index("key")
    shared = [k for k in summ.index if k in res]
    assert {"npv_usd", "usd_per_gpu_hour", "tco_pv_usd", "revenue_note", "scenario"} <= set(shared)
    assert {k: res[k]["label"] for k in shared} == {k: summ.loc[k, "label"] for k in shared}
    assert res["usd_per_gpu_hour"]["label"].startswith("Levelized total cost per GPU-hour sold at ")
    # 3. and 4. said on the sheets and in the report
    wb = openpyxl.load_workbook(xlsx)
    assert wb["CashFlow"]["B2"].value == tco_export.CASHFLOW_NOTE
    assert {c.value: c.comment for c in wb["MonteCarlo"][1]}["tco_pv_usd"] is not None
    page = (folder / "report.html").read_text()
    assert "less, not because costs are lower" in page
