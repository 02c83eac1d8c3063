"""The fixed texts of the TCO finance export (:mod:`dcplan.tco_export`): the About sheet's note and
conventions, the notes of figures that do not exist, the sources of the industry shares and the number
formats. Re-exported by :mod:`dcplan.tco_export`, where they were.
"""
from __future__ import annotations

from .paths import doc_ref
from .export_text import ENCODING_NOTE, TEXT_NOTE
from .tco import TcoResult
from .tco_assumptions import TAX_LOSS_TREATMENT
from .tco_export_case import BONUS_DEPRECIATION_RULE, HOURS_NOTE, IT_PROPERTY_TAX_NOTE
from .tco_ramp import PURCHASE_RULE

__all__ = ["EVEN_SPREAD_LINES", "EVEN_SPREAD_SUFFIX", "ABOUT", "MC_HORIZON_NOTE", "CONVENTIONS", "CASHFLOW_NOTE",
           "CASHFLOW_TOTALS", "none_reason", "INDUSTRY_SHARE_SOURCES",
           "FORMATS_NOTE", "SHEET_TEXTS", "sheets_text", "spreadsheet_check_text"]

ABOUT = ("dcplan TCO finance export. All cells are VALUES computed by dcplan.tco (no formulas); "
         "the cash-flow sheets are the model's frames. Money in nominal USD; monthly discounting, "
         "end of month (the Monthly sheet's flows; the annual rate is the input); see the Assumptions "
         "sheet for every input with its unit and source. " + TEXT_NOTE + " " + ENCODING_NOTE)
#: Why the Monte Carlo's TCO sits below the base case's: the MonteCarlo sheet's TCO columns (a comment on
#: their header cells), the About sheet and the tco notebook's unit-cost section say it.
MC_HORIZON_NOTE = ("The horizon is fixed, from the base case's project start: a draw with a longer grid delay or "
                   "build than the case starts its fleet later and operates fewer months within it,"
                   " so its tco_pv_usd and tco_usd count fewer months of operating cost (and its "
                   "npv_usd fewer months of revenue). Where the case's delay and build sit at the short end of "
                   "their ranges (the base scenario: the planned dates), the TCO percentiles are below the case's "
                   "TCO mostly because the draws operate less, not because costs are lower; compare cost with the "
                   "levelized usd_per_... columns (cost over the output of the same months). Every draw starts "
                   "construction at the base case's project start, where its npv_usd and tco_pv_usd are valued (a "
                   "draw of another build length is an overrun from it: dcplan.tco_revalue).")
#: Conventions a finance reader needs to reconcile the sheets (rows of the About sheet).
CONVENTIONS = {
    "signs": "CashFlow and Monthly: capex, opex, residual_value, revenue, depreciation and loss_on_disposal are "
             "positive amounts; income_tax_usd > 0 is tax paid, < 0 a tax saving; "
             "net_cash_flow_usd = revenue + residual_value - total_capex - total_opex - income_tax "
             "(> 0 = money in). total_cost_usd = total_capex + total_opex - residual_value.",
    "tax": "Every year: income_tax_usd = tax_rate_frac x taxable_income_usd, taxable_income_usd = "
           "revenue - total_opex - depreciation - loss_on_disposal + residual_gain_usd; with a tax-rate schedule by "
           "calendar year (Assumptions rows tax_rate_frac_from_<year>) each year's taxable income is taxed at the "
           "rate of the calendar year in which that year (the model's tax year) begins, as a statute's 'taxable "
           "years beginning "
           "in' sets it (G.S. 105-130.3). The assets are sold at "
           "residual_value_usd at the end of the horizon (last year, last month): residual_tax_basis_usd "
           "is their tax basis not yet depreciated (capex over the horizon - its depreciation), "
           "residual_gain_usd = residual_value_usd - residual_tax_basis_usd, a gain (> 0, taxed as "
           "depreciation recapture at tax_rate_frac) or a deductible loss (< 0). Both are 0 in other years. IT a "
           "refresh replaces is disposed of at zero proceeds: the tax basis it has left is deducted in the tax year "
           "of the refresh: the year of disposition's depreciation, in depreciation_usd, and the rest, a loss on "
           "disposal (IRC 165; Form 4797), in loss_on_disposal_usd, deducted at the same rate (Depreciation sheet: "
           "its _disposal_year_depreciation and _loss_on_disposal rows, which sum to the two lines year by year). "
           + BONUS_DEPRECIATION_RULE + " " + TAX_LOSS_TREATMENT,
    "discounting": "Monthly, end of month: NPV = sum over months m = 1..12H of net_cash_flow_usd(month m) "
                   "(Monthly sheet) / (1 + discount_rate_frac)^(m/12), discount_rate_frac the annual effective "
                   "rate, nominal and after tax as the flows of NPV and IRR are (nominal USD, after income tax; a "
                   "real or pre-tax rate would not match them), "
                   "month 1 = the project's first month (its calendar month: Monthly calendar_month, About "
                   "calendar), nothing at t = 0. IRR: the annual effective rate where that "
                   "NPV is 0, = (1 + monthly IRR)^12 - 1; when it has several roots, the one where NPV "
                   "falls through zero as the rate rises, nearest discount_rate_frac (the Summary note lists "
                   "all). Levelized unit costs (usd_per_...): PV of "
                   "total_cost_usd / PV of the quantity (gpu_hours, it_energy_mwh, tokens), both monthly; "
                   "total_cost_usd (and tco_pv_usd, its PV) is a pre-tax cost, discounted at the same "
                   "after-tax rate: a stated convention. "
                   "Payback: from the cumulative monthly flows before the residual sale at the horizon "
                   "(net_cash_flow_usd less residual_value_usd in the last month, plus tax_rate_frac (a "
                   "schedule's: the month's rate) x residual_gain_usd / 12 in each month of the last year: a sale "
                   "assumed at the end recovers nothing during the horizon; NPV and IRR include it), linear "
                   "within a month, in years from "
                   "project start (month 0), the build included. Summary residual_sale_pv_usd: the present value of "
                   "that sale (the flows the paybacks leave out, discounted as NPV is); "
                   "npv_without_residual_sale_usd = npv_usd - residual_sale_pv_usd. The CashFlow years discounted "
                   "at year end do not give these figures (they move a flow by up to 11 months).",
    "electricity": "opex_electricity_usd of month m: the Assumptions sheet's bill of m's calendar month "
                   "(Monthly calendar_month, from calendar_start_month; an undated case starts in a January) at the "
                   "tariff's own prices, x (1 + electricity_escalation_frac)^k, k the whole 12-month steps from the "
                   "tariff's price month (Assumptions electricity_price_month, months after the project start; before "
                   "it k < 0: deflated; none given or undated: k = project year - 1), x electricity_cost_mult x the share "
                   "of the fleet operating (the phases installed, capped by the grid capacity energized: see "
                   "grid_power), from operations_start_month on. That share scales the whole full-build bill: the "
                   "transformer/UPS/PDU chain's no-load losses and the cooling plant's fixed loads are taken to be "
                   "built in phases with the IT, so where they are built for the full fleet from the start a "
                   "part-built year's bill reads low. With on-site PV that ages "
                   "(pv_degradation_frac_per_year), the bill is the one at the PV's age in that month, in whole years "
                   "since placed_in_service_month: rows electricity_pv_ageNN_monthMM_usd (age 1 = electricity_typical_year_monthMM_usd).",
    "grid_power": "GPUs run only on grid capacity energized: with the site's interconnection phases "
                  "(Assumptions grid_phase*), the share of the fleet operating in a month is the installed "
                  "share capped at live_fleet_frac + the grid phases energized by then (planned dates shifted "
                  "by delay_months; phases in service at their dates). " + PURCHASE_RULE + " (slack k: the "
                  "months between the planned energization of the capacity that powers the tranche and its "
                  "planned start; dcplan.tco_ramp). GPUs installed beyond the capacity wait for power: IT "
                  "capex, refreshes, IT maintenance, network and insurance and property tax on IT run from "
                  "purchase, while revenue, GPU-hours, tokens, IT energy, water and electricity wait (Summary "
                  "waiting_for_power_gpu_months, caveat power_wait). Without interconnection phases the part of "
                  "the fleet not on capacity in service is bought delay_months late. Tax depreciation of IT "
                  "starts in the year of purchase: if the IRS held an unpowered GPU not yet placed in service "
                  "(Pub 946: ready and available for its assigned function), it would start later.",
    "fixed_costs": "The finished building and plant (facility, interconnection, PV, battery) are insured, "
                   "taxed and maintained (insurance_frac of their capex but the PV's, property_tax_frac of their capex; "
                   "maintenance_facility_frac of the facility, interconnection and battery capex, "
                   "opex_maintenance_facility_usd; the PV's O&M pv_om_usd_per_kw_dc_year x pv_kw_dc, opex_maintenance_pv_usd) "
                   "from the end of the build (placed_in_service_month), whether powered or not: in a grid "
                   "delay they carry these costs idle. Operations staff are paid from operations_start_month, the "
                   "first month a GPU operates (no caretaker staff while no GPU is powered). The facility's tax depreciation starts at the end of the "
                   "build; if the IRS held an unpowered facility not yet placed in service, it would start later "
                   "and the after-tax NPV of a delayed case would be lower." + IT_PROPERTY_TAX_NOTE,
    "monthly": "Monthly rows sum to the CashFlow years; depreciation, loss on disposal, taxable income and income tax "
               "are annual figures "
               "spread as 1/12 per month (equal monthly instalments), so their Monthly columns are named "
               "<line>_tax_year_even_spread: not from placement in service (IT bought in a tax year's eighth month "
               "shows its share of that year's depreciation from the year's first month; with the owner's tax years, "
               "Assumptions tax_year_start_month, a tax year's depreciation is spread evenly over its own months in "
               "the horizon, and taxable income and tax follow it month by month); the residual value, its "
               "tax basis and gain are in "
               "the last month (with a tax-rate schedule by calendar year, Assumptions tax_rate_frac_from_<year>, too: each tax "
               "year at the rate of the calendar year it begins in). The electricity bill, IT energy and water of a month are those "
               "of its calendar month in the typical year (Assumptions electricity_typical_year_month*, "
               "it_energy_month*_frac, water_month*_frac); "
               "revenue, GPU-hours and tokens " + HOURS_NOTE + ".",
    "shares": "Shares: nominal pre-tax capex + opex by category, before the residual value: they sum "
              "to total_capex_usd + total_opex_usd, not to tco_usd (which nets the residual).",
    "montecarlo": "MonteCarlo: row pXX is the XX-th percentile of the draws (XX % of draws at or below "
                  "it), not the 'P90 = exceeded with 90 % probability' convention: for NPV the downside "
                  "is p10, for costs (tco_pv_usd, usd_per_...) it is p90. mean = mean of the draws; "
                  "n_nonfinite = draws with no finite value (a unit cost with no output to divide by), "
                  "which leave that column's percentiles and mean empty. " + MC_HORIZON_NOTE,
}
#: The Monthly sheet's (and CSV's) columns that are a tax year's figure spread evenly, 1/12 a month: named so there
#: (``<line>`` + :data:`EVEN_SPREAD_SUFFIX`), as the About row ``monthly`` says; ``TcoResult.monthly`` keeps the line names.
EVEN_SPREAD_LINES = ("depreciation_usd", "loss_on_disposal_usd", "taxable_income_usd", "income_tax_usd")
EVEN_SPREAD_SUFFIX = "_tax_year_even_spread"

#: The CashFlow rows that total other rows, and what they total: a SUM down a year column that takes them with their
#: items counts those twice. The sheet's note names them; the workbook shows them in bold, each with a comment.
CASHFLOW_TOTALS = {
    "total_capex_usd": "the capex_ rows",
    "total_opex_usd": "the opex_ rows",
    "total_cost_usd": "total_capex_usd + total_opex_usd - residual_value_usd",
    "net_cash_flow_usd": "revenue_usd + residual_value_usd - total_capex_usd - total_opex_usd - income_tax_usd",
}
#: The CashFlow sheet's first row (``line_item`` :data:`dcplan.tco_export_xlsx.NOTE_ROW`, the text in its ``unit`` column): the NPV and
#: IRR are the monthly flows', not the annual totals' (Excel's NPV/IRR of a year-end row differ).
CASHFLOW_NOTE = ("NPV and IRR (Summary npv_usd, irr_frac) discount the MONTHLY flows at the end of each month "
                 "(Monthly sheet, column net_cash_flow_usd); Excel's NPV/IRR of these annual totals (year-end) "
                 "give other figures. Years are project years (About: calendar). Rows "
                 + ", ".join(f"{k} (= {v})" for k, v in CASHFLOW_TOTALS.items())
                 + " are totals of other rows (bold in the workbook): a SUM down a year column that takes them "
                 "with their items counts those twice. depreciation_usd, loss_on_disposal_usd, "
                 "residual_tax_basis_usd, residual_gain_usd and taxable_income_usd are tax figures, not cash; "
                 "gpu_hours, it_energy_mwh and tokens are quantities.")
#: Note for a summary figure that is None (does not exist).
_NONE_NOTES = {"payback_years": "not paid back within the horizon",
               "discounted_payback_years": "not paid back within the horizon (discounted)",
               "electricity_first_operating_year_usd": "no GPU operates within the horizon",
               "tokens_per_j_it": "no IT energy given",
               "tokens_per_j_facility": "no facility energy given (run_tco facility_energy_kwh)",
               "electricity_usd_per_mwh_facility": "no facility energy given (run_tco facility_energy_kwh)",
               "usd_per_gpu_hour": "undefined: no GPU-hours over the horizon to divide by",
               "operations_start_month": "no GPU operates within the horizon (its grid capacity is energized after it)",
               "usd_per_mwh_it": "undefined: no IT energy over the horizon to divide by",
               "usd_per_million_tokens": "undefined: no tokens over the horizon to divide by"}


def none_reason(result: TcoResult, key: str) -> str:
    """Why summary figure ``key`` of ``result`` does not exist (it is None): the IRR's reason
    (``result.irr_reason``), else the export's note for the key (the Summary sheet's ``note``; the
    report publishes it as "n/a: <why>")."""
    if key == "irr_frac":
        return result.irr_reason or "no IRR exists"
    return _NONE_NOTES.get(key, "does not exist")


#: Source and verification status of each range of :data:`dcplan.tco.INDUSTRY_SHARES` (defined
#: there as "trade press, unverified; docs/reference-data.md §7"): the §7 rows they come from.
INDUSTRY_SHARE_SOURCES = {
    "power_and_cooling": ("trade-press articles on AI infrastructure costs, no primary source found "
                          f"({doc_ref('reference-data.md', '§7')}, 'Trade press: power + cooling share of AI infra "
                          "expense', "
                          "25-40 %)", "unverified"),
    "it_hardware": ("trade-press articles on AI infrastructure costs, no primary source found "
                    f"({doc_ref('reference-data.md', '§7')}, 'Trade press: hardware acquisition share of AI infra "
                    "spend', "
                    "30 %: one figure, not a range)", "unverified"),
}
FORMATS_NOTE = ("Numbers are shown rounded by unit (USD #,##0; USD per unit #,##0.00 or more decimals; "
                "fractions as percent 0.0%; years and months 0.0; counts #,##0); every cell stores the full "
                "value (select it to see all digits) and the CSVs hold the same values.")

#: What each sheet of the workbook is (the About row ``sheets``), in the workbook's order.
SHEET_TEXTS = {
    "About": "this sheet: the case, its caveats (caveat_ rows) and the conventions that reconcile the other sheets",
    "Assumptions": "every input: key, value, unit, description, source, vintage and verification status",
    "CashFlow": "annual totals, line items (rows) x project years (columns), with each row's unit; its first row "
                "says which rows total others and that NPV and IRR are the monthly flows'",
    "Monthly": "the monthly cash flows, months (rows) x line items (columns): the flows NPV and IRR discount "
               "(About row spreadsheet_check)",
    "Depreciation": "the tax depreciation by asset class and purchase placed in service (each IT refresh a new "
                    "purchase), project (tax) years as columns: method, convention and life of each, its basis "
                    "(summing to the capex) and what it deducts each year; its total row is the CashFlow's "
                    "depreciation_usd + loss_on_disposal_usd (its _loss_on_disposal rows the latter)",
    "Summary": "the key figures (NPV, IRR, payback, TCO, unit costs, shares) with their units and notes, after the "
               "case and its caveats",
    "Shares": "cost by category and its share, beside the industry ranges quoted, with their source and status",
    "Sensitivity": ("the tornado: one figure (its metric column) with each input at its low and its high value, "
                    "and where that range comes from (range_source, range_status)"),
    "MonteCarlo": "percentiles and mean of the Monte Carlo draws (About rows montecarlo and montecarlo_*)",
    "Provenance": "the render's record: dcplan's version and source digest, the parameters, each input file's "
                  "path and SHA-256 (only when written by dcplan render)",
}


def sheets_text(names) -> str:
    """The About row ``sheets``: each sheet of ``names`` (the workbook's, in order) and what it is
    (:data:`SHEET_TEXTS`), and the CSV file of each."""
    return ("; ".join(f"{n}: {SHEET_TEXTS.get(n, 'a sheet of the export')}" for n in names)
            + ". Each sheet is also a CSV file, <name>_<sheet in lower case>.csv, with the same values (to full "
              "precision; a month the workbook holds as a date, shown yyyy-mm, is the text YYYY-MM there).")


def spreadsheet_check_text(assumptions, monthly) -> str:
    """The About row ``spreadsheet_check``: the spreadsheet formulas (Excel, LibreOffice Calc) that give
    the Summary's npv_usd and irr_frac from the workbook's own cells, the cell addresses included.

    The Monthly sheet is written with its index (``month``) in column A, so ``monthly``'s column j is sheet
    column j + 2; the Assumptions sheet without it (``key`` in A, ``value`` in B), its row i in sheet row i + 2.
    A spreadsheet's ``NPV(rate, v1..vn)`` is sum v_i / (1 + rate)^i, i = 1..n: month 1 one period (1/12 yr)
    from the project start, as :mod:`dcplan.tco` discounts, so the monthly rate (1 + r)^(1/12) - 1 gives
    npv_usd exactly; ``IRR`` solves sum v_i / (1 + x)^(i - 1) = 0, the same roots, a monthly rate: the
    annual effective IRR is (1 + x)^12 - 1. From IRR's default guess of 10 % a month, Newton's method
    overflows on such flows (a build year of outflows, then years of inflows: the bundled sites' and the
    tests'): the guess is given.
    ``XNPV``/``XIRR`` discount from their first date (month 1 at t = 0) by actual days / 365: other figures."""
    from openpyxl.utils import get_column_letter
    col = get_column_letter(list(monthly.columns).index("net_cash_flow_usd") + 2)
    cells = f"Monthly!{col}2:{col}{len(monthly) + 1}"
    keys = list(assumptions["key"]) if "key" in assumptions.columns else []
    rate = (f"Assumptions!B{keys.index('discount_rate_frac') + 2}" if "discount_rate_frac" in keys
            else "discount_rate_frac")
    monthly_rate = f"(1+{rate})^(1/12)-1"
    return (f"To check the Summary's npv_usd and irr_frac in a spreadsheet (Excel, LibreOffice Calc), from this "
            f"workbook's cells: npv_usd = NPV({monthly_rate},{cells}); irr_frac = (1+IRR({cells},{monthly_rate}))^12-1 "
            f"({rate} is discount_rate_frac; {cells} the Monthly column net_cash_flow_usd, month 1 to the last). "
            "NPV discounts its first value one period (month 1 at 1/12 yr, as the model does): put every month "
            "inside NPV, none outside it. Give IRR its second argument, the guess (here the monthly discount "
            "rate): from its default guess of 10 % a month, the Newton iteration IRR uses can fail on flows like "
            "these (#NUM!) or find another root; with several roots the guess picks one (the Summary's irr_frac "
            "note lists them). Not XNPV/XIRR (they discount from "
            "their first date, month 1 undiscounted, by actual days / 365), nor NPV/IRR of the CashFlow years "
            "(year-end: each flow moved by up to 11 months): both give other figures.")
