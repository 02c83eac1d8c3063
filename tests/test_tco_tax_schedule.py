"""An income-tax rate by calendar year (``finance.tax_rate_frac: {year: rate}``, :mod:`dcplan.tco_tax_schedule`).

A finance committee asked for North Carolina's statutory phase-down (G.S. 105-130.3: 2.25 % in 2025, 2 % in
2026-27, 1 % in 2028-29, 0 % after 2029) instead of the 2025 rate held for every year, which data/SOURCES.md
showed overstates the site's state tax by 5,350,553 USD of PV. Expected values: by hand on the bare case of
``tests/test_tco.py`` (every cost zero, so taxable income is revenue), and for research-triangle-nc re-derived
here from the run's own monthly taxable income and calendar months, against the PVs SOURCES.md computed by hand.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import DATA

from dcplan.errors import DcplanWarning, InputError
from dcplan.site import load_site
from dcplan.specs.finance import FinanceSpec
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_inputs import inputs_from_site
from dcplan.tco_tax_schedule import rate_in_years
from dcplan.tco_uncertainty import default_ranges, monte_carlo, tornado

from test_tco import bare_costs

#: research-triangle-nc's schedule by hand: 0.21 + 0.79 x the state rate (2.25, 2, 1, 0 %)
NC = {2025: 0.21 + 0.79 * 0.0225, 2026: 0.21 + 0.79 * 0.02, 2028: 0.21 + 0.79 * 0.01, 2030: 0.21}


def _bare(schedule=None, horizon=2, start="2025-07-01", tax_year_start_month=None, **on) -> TcoInputs:
    # 10 GPUs at 50 %, 1 USD/GPU-h, every cost 0, no build: taxable income = revenue = 10 x 0.5 x 8,760 h
    # = 43,800 USD a project year, 3,650 USD a month (the year's spread evenly); project start 2025-07
    c = bare_costs(revenue_usd_per_gpu_h=1.0, **on)
    if schedule is not None:  # the schedule gives the rate (costs may not give another)
        del c["tax_rate_frac"]
    return TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=0.5,
                     horizon_years=horizon, fleet_start=start, tax_rate_schedule=schedule, costs=c,
                     tax_year_start_month=tax_year_start_month)


def test_each_tax_year_is_taxed_at_the_rate_of_the_year_it_begins_in_by_hand():
    # {2026: 0.20, 2027: 0.10}: the tax years are the project years; year 1 (2025-07..2026-06) begins in 2025,
    # before the first year: 0.20; year 2 (2026-07..2027-06) begins in 2026: 0.20 for all of it, as a statute keyed
    # to "taxable years beginning in" sets it (G.S. 105-130.3), not 0.10 from 2027-01. Each year 43,800 x 0.20 =
    # 8,760 USD, 730 a month. (The old code blended year 2 by calendar month: 6 x 3,650 x (0.20 + 0.10) = 6,570.)
    # rel 1e-12: float sums only
    r = run_tco(_bare({2026: 0.20, 2027: 0.10}), 0.0)
    assert r.annual.loc["taxable_income_usd"].tolist() == pytest.approx([43_800.0, 43_800.0], rel=1e-12)
    assert r.annual.loc["income_tax_usd"].tolist() == pytest.approx([8_760.0, 8_760.0], rel=1e-12)
    m = r.monthly["income_tax_usd"].to_numpy()
    assert m == pytest.approx(np.full(24, 730.0), rel=1e-12)
    # a tax year beginning in the listed year takes its rate for all 12 months: from 2026-07, {2027: 0.10} is
    # first reached by the tax year beginning 2027-07 (year 2): 43,800 x 0.20 + 43,800 x 0.10 = 13,140 USD
    late = run_tco(_bare({2026: 0.20, 2027: 0.10}, start="2026-07-01"), 0.0)
    assert late.annual.loc["income_tax_usd"].tolist() == pytest.approx([8_760.0, 4_380.0], rel=1e-12)
    # the constant the old code took for every year (the anchor, the last rate): 0.10 x 87,600 = 8,760
    flat = run_tco(_bare(tax_rate_frac=0.10), 0.0)
    assert flat.annual.loc["income_tax_usd"].sum() == pytest.approx(8_760.0, rel=1e-12)


def test_a_plain_number_is_unchanged_bit_for_bit():
    # a one-entry schedule is the same rate every year, through the schedule's code path: bit-identical lines
    # would need the same arithmetic, so compare to float rounding; the plain number itself takes the old path
    a = run_tco(_bare(tax_rate_frac=0.25), 0.0)
    b = run_tco(_bare({2025: 0.25}), 0.0)
    assert a.summary["npv_usd"] == pytest.approx(b.summary["npv_usd"], rel=1e-13)
    assert _bare(tax_rate_frac=0.25).tax_rate_schedule is None


def test_the_residual_gain_is_taxed_at_the_last_tax_years_rate():
    # 1 MW facility at 1e6 USD, all shell and book straight line over 39 yr (no build): sold at the horizon at
    # its residual = its tax basis, gain 0. A 10-yr residual IT cost instead: IT 10 x 1,000 USD bought month 0,
    # life 3 yr (refresh 3 > horizon 2): residual 10,000 x (1 - 24/36) = 3,333.33; MACRS 5-yr (20 %, and half of
    # 32 % in year 2, the year of the sale: half-year convention in the year of disposition, Pub 946 ch. 4)
    # leaves basis 10,000 x 0.64 = 6,400: gain -3,066.67, in year 2's taxable income (2026-07..2027-06, a tax year
    # beginning in 2026: 0.20 for all of it). Its tax in the sale line: 0.20 of the gain = -613.33 USD (a saving)
    inp = _bare({2026: 0.20, 2027: 0.10}, server_usd_per_accelerator=1_000.0)
    r = run_tco(inp, 0.0)
    gain = float(r.annual.loc["residual_gain_usd"].iloc[-1])
    assert gain == pytest.approx(10_000.0 / 3.0 - 6_400.0, rel=1e-12)
    from dcplan.tco_cashflows import cash_flow_lines
    sale = cash_flow_lines(inp, np.zeros(12), None, 1)["residual_sale_cash_usd"][0]
    assert sale.sum() == pytest.approx(10_000.0 / 3.0 - 0.20 * gain, rel=1e-12)
    assert sale[-12:-1] == pytest.approx(np.full(11, -0.20 * gain / 12.0), rel=1e-12)


def test_a_tornado_end_or_draw_shifts_the_whole_schedule_never_past_the_ranges_end():
    # {2026: 0.20, 2027: 0.12, 2028: 0.10} from 2025-07 over 3 years: tax years beginning in 2025 (before the first
    # year: 0.20), 2026 (0.20) and 2027 (0.12); the scalar is the last rate, 0.10. The range 0.10-0.15's high end
    # shifts every year by +0.05, but never past max(0.15, the year's own rate): 0.20 is above 0.15 and stays 0.20
    # (not moved up to 0.25, nor down to 0.15); 0.12 + 0.05 = 0.17 stops at 0.15. Tax 43,800 x (0.20 + 0.20 + 0.15)
    # = 24,090 USD against 43,800 x 0.52 = 22,776 at the base: NPV lower by 1,314 (discount rate 0 in the bare case:
    # the NPV is the plain sum). The old code shifted every year, 43,800 x (0.25 + 0.25 + 0.17): 6,570 lower.
    inp = _bare({2026: 0.20, 2027: 0.12, 2028: 0.10}, horizon=3)
    assert inp.params()["tax_rate_frac"] == 0.10
    tr = tornado(inp, 0.0, ranges={"tax_rate_frac": (0.10, 0.15)}).set_index("input").loc["tax_rate_frac"]
    base = run_tco(inp, 0.0).summary["npv_usd"]
    assert run_tco(inp, 0.0).annual.loc["income_tax_usd"].sum() == pytest.approx(22_776.0, rel=1e-12)
    assert tr["metric_at_high"] == pytest.approx(base - 1_314.0, rel=1e-12)
    assert tr["metric_at_low"] == base   # the low end is the anchor: a shift of 0, the base case
    # a Monte Carlo draw stops at its distribution's end: ("fixed", 0.15) draws 0.15 from the range 0.15-0.15,
    # so 0.12 + 0.05 stops at 0.15 and 0.20 stays, as the tornado's end
    mc = monte_carlo(inp, 0.0, {"tax_rate_frac": ("fixed", 0.15)}, n_draws=3)
    assert mc["npv_usd"].to_numpy() == pytest.approx(np.full(3, base - 1_314.0), rel=1e-12)
    from dcplan.tco_mc_notes import mc_provenance_figures  # the published distribution says what a draw does
    line = mc_provenance_figures(mc.attrs["monte_carlo"])["mc_distribution.tax_rate_frac"][0]
    assert "x shifts every year's rate by x - 0.1, never past the range's end in the shift's direction" in line
    assert "x = 0.15 gives 2026: 0.2, 2027: 0.15, 2028 on: 0.15" in line, line


def _nc_bare(horizon=6):
    # NC's schedule on the bare case from 2025-07: tax years beginning in 2025, 2026, ..., 2030 at 0.227775,
    # 0.2258, 0.2258, 0.2179, 0.2179, 0.21 (sum 1.325175), 43,800 USD of taxable income each
    return _bare(dict(NC), horizon=horizon)


def test_nc_high_end_is_the_high_rate_in_every_year_by_hand():
    # data/costs.csv's range 0.21-0.30085 (federal plus New Jersey's 11.5 %, the highest combined rate it admits).
    # High end: every year min(r + 0.09085, max(0.30085, r)) = 0.30085 (2026: 0.2258 + 0.09085 = 0.31665 stops at
    # 0.30085): tax 43,800 x 6 x 0.30085 = 79,063.38 against 43,800 x 1.325175 = 58,042.665 at the base, an NPV
    # lower by 21,020.715 USD. The old code: 43,800 x 6 x 0.09085 = 23,875.38 lower (2026-27 at 0.31665).
    # The low end, 0.21, is the anchor: the base case, bit for bit.
    inp = _nc_bare()
    base = run_tco(inp, 0.0)
    assert base.annual.loc["income_tax_usd"].sum() == pytest.approx(58_042.665, rel=1e-12)
    tr = tornado(inp, 0.0, ranges=default_ranges(inp, keys=["tax_rate_frac"])).set_index("input").loc["tax_rate_frac"]
    assert (tr["low"], tr["high"]) == (pytest.approx(0.21), pytest.approx(0.30085))
    assert tr["metric_at_high"] == pytest.approx(base.summary["npv_usd"] - 21_020.715, rel=1e-12)
    assert tr["metric_at_low"] == tr["base_metric"]
    # the per-year rates of each end, as the cash flows take them (each month: its tax year's rate)
    from dcplan.tco_cashflows import cash_flow_lines
    for x, rates in ((0.30085, [0.30085] * 6), (0.21, [0.227775, 0.2258, 0.2258, 0.2179, 0.2179, 0.21])):
        tax = cash_flow_lines(inp, 0.0, {"tax_rate_frac": np.array([x])}, 12, (0.21, 0.30085))["income_tax_usd"][0]
        assert tax == pytest.approx(43_800.0 * np.array(rates), rel=1e-12)
    # the base case's rates are the schedule's, bit for bit (a shift of exactly 0)
    from dcplan.tco_tax_schedule import shifted_rates
    years = [2024, 2025, 2026, 2027, 2028, 2029, 2030, 2031]
    assert np.array_equal(shifted_rates(tuple(NC.items()), years, [[0.21]], (0.21, 0.30085))[0],
                          rate_in_years(tuple(NC.items()), years))


def test_nc_draw_in_the_middle_of_the_range_shifts_until_the_high_end():
    # x = 0.25: a shift of +0.04, below every year's stop (0.30085): 2025 0.267775, 2026-27 min(0.2258 + 0.04,
    # max(0.30085, 0.2258)) = 0.2658, 2028-29 0.2579, 2030 0.25 (sum 1.565175: tax 68,554.665 USD)
    from dcplan.tco_cashflows import cash_flow_lines
    inp = _nc_bare()
    tax = cash_flow_lines(inp, 0.0, {"tax_rate_frac": np.array([0.25])}, 12, (0.21, 0.30085))["income_tax_usd"][0]
    assert tax == pytest.approx(43_800.0 * np.array([0.267775, 0.2658, 0.2658, 0.2579, 0.2579, 0.25]), rel=1e-12)
    # Monte Carlo draws over the range (uniform 0.21-0.30085: a draw above 0.283075 moves 2025's 0.227775 to the
    # high end, above 0.2911 also 2026's): each draw's NPV is the base less 43,800 x the sum over the tax years of
    # min(r + x - 0.21, 0.30085) - r, written out here year by year
    base = run_tco(inp, 0.0).summary["npv_usd"]
    mc = monte_carlo(inp, 0.0, {"tax_rate_frac": ("uniform", 0.21, 0.30085)}, n_draws=40, seed=7)
    x = mc["tax_rate_frac"].to_numpy()
    assert (x > 0.2911).any()  # draws that stop at the end (the old code's would not)
    r = [0.227775, 0.2258, 0.2258, 0.2179, 0.2179, 0.21]
    want = [base - 43_800.0 * sum(min(ry + xi - 0.21, 0.30085) - ry for ry in r) for xi in x]
    assert mc["npv_usd"].to_numpy() == pytest.approx(np.array(want), rel=1e-12)
    assert mc.attrs["monte_carlo"]["tax_rate_range"] == (0.21, 0.30085)


def test_a_year_beyond_the_ends_is_not_moved_the_other_way():
    # a tax holiday to 2026, then 25 %: tax years beginning 2026 (0.0) and 2027 (0.25, the anchor), from 2026-07.
    # data/costs.csv's low end 0.21 shifts by -0.04: 0.0 is below 0.21 and stays 0.0 (not moved to -0.04, which the
    # old code refused, nor up to 0.21); 0.25 - 0.04 = 0.21. Tax 43,800 x 0.21 = 9,198 against 10,950 at the base.
    # The high end 0.30085 shifts by +0.05085: 0.0 to 0.05085, 0.25 to 0.30085: 43,800 x 0.3517 = 15,404.46.
    inp = _bare({2026: 0.0, 2027: 0.25}, start="2026-07-01")
    base = run_tco(inp, 0.0).summary["npv_usd"]
    tr = tornado(inp, 0.0, ranges={"tax_rate_frac": (0.21, 0.30085)}).set_index("input").loc["tax_rate_frac"]
    assert tr["metric_at_low"] == pytest.approx(base - (9_198.0 - 10_950.0), rel=1e-12)
    assert tr["metric_at_high"] == pytest.approx(base - (15_404.46 - 10_950.0), rel=1e-12)
    # and the Assumptions rows of a shifted case show the rates it uses, saying which stopped at an end
    from dcplan.tco_tax_schedule import schedule_rows
    rows = {k: (v, what) for k, v, _, what, *_ in schedule_rows(inp, 0.21, "a test", bounds=(0.21, 0.30085))}
    assert rows["tax_rate_frac_from_2026"][0] == 0.0 and rows["tax_rate_frac_from_2027"][0] == pytest.approx(0.21)
    assert rows["tax_rate_frac_from_2026"][1].endswith("the schedule's rate 0 shifted by -0.04 (tax_rate_frac 0.21), "
                                                       "held at 0: not past the range's low end, 0.21")
    assert "held at" not in rows["tax_rate_frac_from_2027"][1]


def test_the_assumptions_rows_of_nc_at_the_high_end_show_the_high_rate():
    # NC's schedule at tax_rate_frac 0.30085 (data/costs.csv's high end, the case's range by default): 0.30085 in
    # every listed year, not 2026's 0.2258 + 0.09085 = 0.31665
    from dcplan.tco_tax_schedule import schedule_rows
    rows = schedule_rows(_nc_bare(), 0.30085, "a test")
    assert [r[1] for r in rows] == pytest.approx([0.30085] * 4, abs=1e-15)
    assert rows[1][3].endswith("shifted by +0.09085 (tax_rate_frac 0.30085), held at 0.30085: not past the range's "
                               "high end, 0.30085")
    assert [r[1] for r in schedule_rows(_nc_bare(), 0.21, "a test")] == list(NC.values())  # the base: as listed


def test_a_constant_set_by_a_caller_replaces_the_schedule():
    inp = _bare({2026: 0.20, 2027: 0.10})
    flat = inp.with_costs(tax_rate_frac=0.10)
    assert flat.tax_rate_schedule is None
    assert run_tco(flat, 0.0).annual.loc["income_tax_usd"].sum() == pytest.approx(8_760.0, rel=1e-12)


@pytest.mark.parametrize("schedule, text", [
    ({2026: 0.2, 2025: 0.2}, "2025: years must be listed in ascending order, each once, got 2025 after 2026"),
    ({2026: 21}, "2026: must be a fraction in [0, 1), got 21 (a fraction: 0.10 for 10 %; for 21 % write 0.21)"),
    ({2026: -0.1}, "2026: must be a fraction in [0, 1), got -0.1"),
    ({1850: 0.2}, "1850: a year must be a calendar year in 1990-2100, got 1850"),
    ({"2026": 0.2}, "'2026': a year must be an integer calendar year in 1990-2100, got '2026' (write the year as a "
                    "number, 2026, not text)"),
    ({True: 0.2}, "True: a year must be an integer calendar year in 1990-2100, got True"),
    ({2026: True}, "2026: must be a fraction in [0, 1), got True"),
    ({}, "must be a number in [0, 1) or a mapping of calendar year to rate"),
])
def test_a_bad_schedule_is_refused_naming_the_year_value_and_what_is_allowed(schedule, text):
    with pytest.raises(ValueError, match="tax_rate_frac") as e:
        FinanceSpec(tax_rate_frac=schedule)
    assert text in str(e.value), str(e.value)
    with pytest.raises(InputError) as e2:
        _bare(schedule)
    assert e2.value.field == "tax_rate_schedule" and text in str(e2.value)


def test_the_site_loader_names_file_field_and_value(tmp_path):
    from dcplan.site import load_site as load
    text = (DATA / "sites" / "research-triangle-nc.yaml").read_text(encoding="utf-8")
    bad = text.replace("2028: 0.2179", "2028: 21.79")
    assert bad != text
    f = tmp_path / "nc.yaml"
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(Exception) as e:
        load(f)
    msg = str(e.value)
    assert "nc.yaml" in msg and "finance.tax_rate_frac" in msg
    assert "2028: must be a fraction in [0, 1), got 21.79" in msg


def test_an_undated_case_cannot_take_a_schedule():
    with pytest.raises(InputError, match="needs a dated case"):
        TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=0.0, tax_rate_schedule={2026: 0.2},
                  costs=bare_costs())


def test_nc_site_gives_the_statute_schedule_and_the_assumptions_list_it():
    site = load_site(DATA / "sites" / "research-triangle-nc.yaml")
    assert dict(site.finance.tax_rate_frac) == pytest.approx(NC, abs=1e-12)
    inp = inputs_from_site(site, n_accelerators=8, it_capacity_kw=10.0, it_energy_kwh=8e4, wue_l_per_kwh=0.3)
    a = run_tco(inp, 1e4).assumptions.set_index("key")
    for y, rate in NC.items():
        assert a.loc[f"tax_rate_frac_from_{y}", "value"] == pytest.approx(rate, abs=1e-12)
        assert a.loc[f"tax_rate_frac_from_{y}", "source"].startswith("site.finance.tax_rate_frac: income tax by "
                                                                       "calendar year")
    assert "2025: 0.227775, 2026: 0.2258, 2028: 0.2179, 2030 on: 0.21" in a.loc["tax_rate_frac", "description"]
    # the row's value is the last rate (0.21, costs.csv's too): the description says which rate it is
    assert "the rate by year's last rate, equal to the data/costs.csv default" in a.loc["tax_rate_frac", "description"]
    # the costs.csv range (0.21-0.30085) is the last rate's, which it contains: a one-sided tornado bar
    assert default_ranges(inp)["tax_rate_frac"] == (pytest.approx(0.21), pytest.approx(0.30085))


@pytest.mark.slow
def test_nc_state_tax_pv_is_the_hand_figure_of_sources_md():
    """data/SOURCES.md computed by hand, from the export's Monthly sheet of the tco report's deterministic case:
    the constant 2.25 % charged state tax of PV 7,034,680 USD, the schedule 2,079,343 USD; the NPV was
    241,181,359 USD. Re-derived here from the run's own monthly taxable income and calendar months: each month's
    state part (rate - 0.21) x taxable, the rate that of the calendar year its tax year (project year, from
    2025-07) begins in, as G.S. 105-130.3's "taxable years beginning in" sets it, discounted at the end of month m
    by 1.08 ** (m / 12). (Each month at its own calendar year's rate, the old code's blend, gives about 1.68 M USD
    and an NPV about 395,000 USD higher.) abs 1 USD: the figures are rounded to the dollar. Until the sun of the
    sunrise and sunset hours sat at the midpoint of the part of the hour it is up (2026-12, dcplan.solar_position)
    they were 7,034,665, 2,079,338 and 241,180,748 USD: the site's PV 2,716.2 -> 2,717.9 MWh a year lowers its bill
    120 USD a year, so its taxable income is a little higher (re-derived from the export's Monthly sheet too). Since
    the site's sewer is priced at Durham County's rate, 1.57503 USD/m3 for data/costs.csv's 1.5 (2026-12, the
    water/sewer split: data/SOURCES.md, Water and sewer rates), its taxable income is about 5,400 USD a year lower:
    7,034,061, 2,079,147 and 241,154,463 USD (re-derived from the run, as above)."""
    from dcplan.tco_site import site_tco
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        case = site_tco(load_site(DATA / "sites" / "research-triangle-nc.yaml"))
    r = case.result
    taxable = r.monthly["taxable_income_usd"].to_numpy()
    years = np.array([p.year for p in r.calendar_months])
    years = years[(np.arange(years.size) // 12) * 12]       # each month: the year its tax year begins in
    sched = tuple(sorted(NC.items()))
    disc = 1.08 ** (np.arange(1, taxable.size + 1) / 12.0)
    assert str(r.calendar_months[0]) == "2025-07"
    assert float(np.sum((rate_in_years(sched, years) - 0.21) * taxable / disc)) == pytest.approx(2_079_147, abs=1)
    assert float(np.sum(0.017775 * taxable / disc)) == pytest.approx(7_034_061, abs=1)
    # the model's tax is that schedule's: every month's tax = its tax year's rate x its taxable income
    assert r.monthly["income_tax_usd"].to_numpy() == pytest.approx(rate_in_years(sched, years) * taxable, rel=1e-12)
    # the NPV rises by the difference, 7,034,061 - 2,079,147 = 4,954,914 USD, from 241,154,463 USD: 246,109,377
    assert r.summary["npv_usd"] == pytest.approx(241_154_463 + 4_954_914, abs=2)


@pytest.mark.slow
def test_nc_tornado_high_end_is_the_constant_high_rate_case():
    """research-triangle-nc's tornado at data/costs.csv's high end, 0.30085: every year's rate stops at 0.30085
    (2026-27's 0.2258 + 0.09085 = 0.31665 and 2028-29's 0.30875 would pass it), so the case is the constant rate
    0.30085 for every year: its NPV is the flat case's (the constant-rate code path, a peer), rel 1e-12. The old
    shift charged on top of it the schedule's state part, (r(y) - 0.21) x taxable, whose PV data/SOURCES.md
    computed by hand, 2,079,343 USD: the old high end was that much lower (210,181,667 against 212,261,010 USD;
    210,181,119 against 212,260,457 USD until the sunrise/sunset sun of dcplan.solar_position, 2026-12)."""
    from dcplan.tco_site import site_tco
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        case = site_tco(load_site(DATA / "sites" / "research-triangle-nc.yaml"))
    inp, el = case.inputs, case.electricity
    tr = tornado(inp, el, ranges=default_ranges(inp, keys=["tax_rate_frac"])).set_index("input").loc["tax_rate_frac"]
    flat = run_tco(inp.with_costs(tax_rate_frac=0.30085), el).summary["npv_usd"]
    assert tr["high"] == pytest.approx(0.30085) and tr["metric_at_high"] == pytest.approx(flat, rel=1e-12)
    # the low end: the base (246,136,696 USD until the water/sewer split, 2026-12: Durham County's sewer rate)
    assert tr["metric_at_low"] == tr["base_metric"] == pytest.approx(246_109_377, abs=2)


def _nc_with(tmp_path, finance_lines: str):
    """research-triangle-nc with its tax_rate_frac line replaced by ``finance_lines`` (its files by absolute path)."""
    text = (DATA / "sites" / "research-triangle-nc.yaml").read_text(encoding="utf-8")
    line = "  tax_rate_frac: {2025: 0.227775, 2026: 0.2258, 2028: 0.2179, 2030: 0.21}"
    assert line in text
    text = (text.replace(line, finance_lines).replace("file: weather/", f"file: {DATA / 'weather'}/")
            .replace("file: tariffs/", f"file: {DATA / 'tariffs'}/"))
    f = tmp_path / "holiday.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_a_tax_holiday_loads_now_that_a_shift_stops_at_the_ranges_end(tmp_path):
    # A tax holiday to 2030, then 25 %: the anchor (last rate) is 0.25. data/costs.csv's range of tax_rate_frac,
    # 0.21-0.30085, shifts every year by 0.21 - 0.25 = -0.04 at its low end: 2026's 0 stays 0 (below the low end,
    # not moved down: max(0 - 0.04, min(0.21, 0)) = 0). The old rule took it to -0.04 and the site was refused as it
    # loaded; now a range refuses only with an end outside [0, 1) (range_shift_problem), which finance.ranges'
    # own check refuses first.
    site = load_site(_nc_with(tmp_path, "  tax_rate_frac: {2026: 0.0, 2031: 0.25}"))
    assert dict(site.finance.tax_rate_frac) == {2026: 0.0, 2031: 0.25}
    site = load_site(_nc_with(tmp_path, "  tax_rate_frac: {2026: 0.0, 2031: 0.25}\n  ranges:\n    tax_rate_frac: "
                                        "{low: 0.0, high: 0.3, source: \"a test\"}"))
    assert site.finance.ranges["tax_rate_frac"].low == 0.0
    from dcplan.tco_tax_schedule import range_shift_problem
    end, why = range_shift_problem(((2026, 0.0), (2031, 0.25)), -0.01, 0.3)
    assert end == "low" and "its 2026 rate would be -0.01" in why and "low >= 0 and high < 1" in why


def test_a_project_starting_before_the_schedules_first_year_is_warned_of():
    # research-triangle-nc's fleet starts 2026-07 (the first whole month of its earliest phase) less its 12-month
    # build: the project starts 2025-07, in the schedule's first year (2025): no warning. With the schedule from
    # 2026 only, the tax year 2025-07..2026-06, beginning in 2025, takes 2026's rate, 0.2258, which the schedule
    # does not give for it
    site = load_site(DATA / "sites" / "research-triangle-nc.yaml")
    kw = dict(n_accelerators=8, it_capacity_kw=10.0, it_energy_kwh=8e4, wue_l_per_kwh=0.3)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always", DcplanWarning)
        inputs_from_site(site, **kw)
    assert not [w for w in rec if "before the schedule's first year" in str(w.message)]
    late = site.model_copy(update={"finance": site.finance.model_copy(
        update={"tax_rate_frac": {2026: NC[2026], 2028: NC[2028], 2030: NC[2030]}})})
    with pytest.warns(DcplanWarning, match="before the schedule's first year") as rec:
        inp = inputs_from_site(late, **kw)
    text = next(str(w.message) for w in rec if "before the schedule's first year" in str(w.message))
    assert "finance.tax_rate_frac: the TCO's project starts in 2025-07 (the fleet's first start less build_months), " \
           "before the schedule's first year, 2026: its 1 tax year(s) beginning before 2026 (tax years from July, " \
           "the project's start month: each tax year a project year) are taxed at that year's rate, " \
           "0.2258" in text, text
    assert str(inp.fleet_start) == "2026-07"


def test_a_calendar_year_owner_pays_each_months_own_years_rate_by_hand():
    # {2026: 0.20, 2027: 0.10}, project from 2026-07, 43,800 USD taxable a project year (3,650 a month). A
    # calendar-year owner (tax_year_start_month 1): the project year 2026-07..2027-06 is July-December 2026 in the
    # tax year beginning 2026 (0.20) and January-June 2027 in the one beginning 2027 (0.10): 0.20 x 21,900 +
    # 0.10 x 21,900 = 6,570 USD (the project-year owner, the default: 0.20 x 43,800 = 8,760); year 2 (2027-07..
    # 2028-06) is 0.10 for both owners: 4,380. rel 1e-12: float sums only
    sched = {2026: 0.20, 2027: 0.10}
    cal = run_tco(_bare(sched, start="2026-07-01", tax_year_start_month=1), 0.0)
    assert cal.annual.loc["income_tax_usd"].tolist() == pytest.approx([6_570.0, 4_380.0], rel=1e-12)
    assert cal.monthly["income_tax_usd"].to_numpy() == pytest.approx([730.0] * 6 + [365.0] * 18, rel=1e-12)
    own = run_tco(_bare(sched, start="2026-07-01"), 0.0)
    assert own.annual.loc["income_tax_usd"].tolist() == pytest.approx([8_760.0, 4_380.0], rel=1e-12)
    # the project's own start month is the default's rule, bit for bit
    jul = run_tco(_bare(sched, start="2026-07-01", tax_year_start_month=7), 0.0)
    assert jul.monthly["income_tax_usd"].tolist() == own.monthly["income_tax_usd"].tolist()
    # a tax year from April: 2026-07..2027-03 (9 months) in the year beginning April 2026 at 0.20, April-June 2027
    # at 0.10: 9 x 730 + 3 x 365 = 7,665
    apr = run_tco(_bare(sched, start="2026-07-01", tax_year_start_month=4), 0.0)
    assert apr.annual.loc["income_tax_usd"].iloc[0] == pytest.approx(7_665.0, rel=1e-12)
    # the Assumptions rows say whose tax years they are
    rows = cal.assumptions.set_index("key")
    assert rows.loc["tax_year_start_month", "value"] == 1.0
    assert np.isnan(own.assumptions.set_index("key").loc["tax_year_start_month", "value"])
    assert "tax years from January, tax_year_start_month 1" in rows.loc["tax_rate_frac_from_2026", "description"]
    assert "tax years from July, the project's start month" in \
        own.assumptions.set_index("key").loc["tax_rate_frac_from_2026", "description"]


def test_with_one_rate_the_tax_year_start_changes_nothing():
    # one rate for every year: every tax year pays it, whichever month it begins in (the plain-rate path, bit for bit)
    a = run_tco(_bare(tax_rate_frac=0.25), 0.0)
    b = run_tco(_bare(tax_rate_frac=0.25, tax_year_start_month=1), 0.0)
    assert a.monthly["income_tax_usd"].tolist() == b.monthly["income_tax_usd"].tolist()
    assert a.summary["npv_usd"] == b.summary["npv_usd"]


#: What finance.tax_year_start_month allows, as its messages say
_MONTH_ALLOWED = "must be a month number, 1 (January) to 12 (December)"


@pytest.mark.parametrize("value, text", [
    (0, "got 0"), (13, "got 13"), (1.5, "got 1.5"), ("jan", "got 'jan' (write the month's number: 1 for January)"),
    (True, "got True"), ("1", "got '1' (write the month as a number, 1, not text)"),
])
def test_a_bad_tax_year_start_month_is_refused_naming_the_value_and_what_is_allowed(value, text, tmp_path):
    with pytest.raises(ValueError, match="tax_year_start_month") as e:
        FinanceSpec(tax_year_start_month=value)
    assert _MONTH_ALLOWED in str(e.value) and text in str(e.value), str(e.value)
    with pytest.raises(InputError) as e2:
        _bare({2026: 0.2}, tax_year_start_month=value)
    assert e2.value.field == "tax_year_start_month" and _MONTH_ALLOWED in str(e2.value) and text in str(e2.value)
    f = _nc_with(tmp_path, "  tax_rate_frac: {2025: 0.227775, 2026: 0.2258, 2028: 0.2179, 2030: 0.21}\n"
                           f"  tax_year_start_month: {value!r}")
    with pytest.raises(Exception) as e3:
        load_site(f)
    msg = str(e3.value)
    assert "holiday.yaml" in msg and "finance.tax_year_start_month" in msg and _MONTH_ALLOWED in msg, msg


@pytest.mark.slow
def test_nc_calendar_year_owner_is_the_month_by_month_calendar_rate_by_hand(tmp_path):
    """research-triangle-nc with ``finance.tax_year_start_month: 1`` (a calendar-year taxpayer): each month's tax is
    its own calendar year's rate x its taxable income, re-derived from the run's monthly taxable income and calendar
    months (rel 1e-12); its state part's PV, discounted at the end of month m by 1.08 ** (m / 12), is data/SOURCES.md's
    1,648,453 USD (abs 1: rounded to the dollar), 430,890 USD below the project-year owner's 2,079,343, and the NPV is
    246,820,607 USD (abs 2) against 246,136,696: the rates' blend and the depreciation on calendar years (MACRS year 1
    the calendar year placed in service: tests/test_tco_owner_tax_year.py). Until the depreciation followed the owner's
    tax years (2026-12) the figures were 1,683,919 and 246,531,495 USD; until the residual sale's gain was taxed in
    the owner's tax year of the sale (January-June 2035, not project year 10, July 2034-June 2035) the NPV was
    246,750,942 USD: the gain then, 35,608,783 USD, had half its tax paid in July-December 2034 (months 109-114)
    at 0.21, now in January-June 2035 (months 115-120); the lower deduction of 2035, the year of disposition, and
    the lower gain it leaves cancel in the same months. So the NPV rises by 0.21 x 35,608,783 / 12 x (sum V^m,
    m = 109..114 - sum V^m, m = 115..120), V = 1 / 1.08 ** (1 / 12): 69,043 USD (abs 2), to 246,819,985 USD.
    Since the sun of the sunrise and sunset hours sits at the midpoint of the part of the hour it is up (2026-12,
    dcplan.solar_position) the state part's PV is 1,648,453 USD (was 1,648,449) and the NPV 246,820,607 USD (was
    246,819,985; +621 USD, a regression value of the model): the site's PV 2,716.2 -> 2,717.9 MWh a year lowers its
    bill 120 USD a year. Since the water/sewer split (2026-12: the site's sewer at Durham County's 1.57503 USD/m3 for
    data/costs.csv's 1.5, data/SOURCES.md) they are 1,648,292 and 246,793,253 USD (was 1,648,453 and 246,820,607:
    about 5,400 USD a year more sewer, less tax)."""
    from dcplan.tco_site import site_tco
    f = _nc_with(tmp_path, "  tax_rate_frac: {2025: 0.227775, 2026: 0.2258, 2028: 0.2179, 2030: 0.21}\n"
                           "  tax_year_start_month: 1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        r = site_tco(load_site(f)).result
    taxable = r.monthly["taxable_income_usd"].to_numpy()
    years = np.array([p.year for p in r.calendar_months])  # each month: its own calendar year
    rates = rate_in_years(tuple(sorted(NC.items())), years)
    assert str(r.calendar_months[0]) == "2025-07"
    assert r.monthly["income_tax_usd"].to_numpy() == pytest.approx(rates * taxable, rel=1e-12)
    disc = 1.08 ** (np.arange(1, taxable.size + 1) / 12.0)
    assert float(np.sum((rates - 0.21) * taxable / disc)) == pytest.approx(1_648_292, abs=1)
    v = 1.08 ** (-np.arange(1, 121) / 12.0)
    later = 0.21 * 35_608_783 / 12 * (v[108:114].sum() - v[114:120].sum())
    assert later == pytest.approx(69_043, abs=1)
    assert r.summary["npv_usd"] == pytest.approx(246_793_253, abs=2)
