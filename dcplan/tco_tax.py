"""Tax and book lives of the TCO model's asset classes, and the report's notes on its tax treatment.

Part of the TCO model: :mod:`dcplan.tco_assumptions` re-exports every name here (and through it
:mod:`dcplan.tco_inputs` and :mod:`dcplan.tco` the public ones), and lists the lives in the Assumptions table.

* :data:`ASSET_CLASSES`, :data:`ECONOMIC_LIFE_YEARS`: the fixed tax (MACRS, real property) and book lives,
  with their sources (``_TAX_SOURCES``);
* :func:`tax_loss_note` (:data:`TAX_LOSS_TREATMENT`), :func:`mid_quarter_note` (:data:`MID_QUARTER_SHARE`)
  and :func:`pv_credit_note`: the report's sentences on what the tax model leaves out (loss carryforward,
  the mid-quarter convention, PV tax credits), with their scale for the run.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .specs.finance import BATTERY_LIFE_YEARS

__all__ = ["ASSET_CLASSES", "ECONOMIC_LIFE_YEARS", "TAX_LOSS_TREATMENT", "tax_loss_note", "MID_QUARTER_SHARE",
           "MID_QUARTER_FIRST_YEAR_RATIO", "mid_quarter_note", "pv_credit_note"]

#: item -> (tax depreciation method, tax life [yr]); sources: the table in
#: :mod:`dcplan.tco`'s docstring (and ``_TAX_SOURCES`` below).
ASSET_CLASSES = {
    "it": ("macrs", 5),
    "facility_shell": ("real-property", 39),
    "facility_electrical": ("macrs", 15),
    "facility_mechanical": ("macrs", 15),
    "interconnection": ("macrs", 15),
    "pv": ("macrs", 5),
    "battery": ("macrs", 5),
}
#: Economic (book) lives [yr] for residual value and book straight-line depreciation.
#: Estimates: shell = tax life; electrical/mechanical plant 20 yr; utility interconnection
#: 40 yr; PV 30 yr; battery 15 yr. IT uses ``it_refresh_years``.
ECONOMIC_LIFE_YEARS = {"facility_shell": 39.0, "facility_electrical": 20.0,
                       "facility_mechanical": 20.0, "interconnection": 40.0, "pv": 30.0,
                       "battery": float(BATTERY_LIFE_YEARS)}

#: Source and status of each tax depreciation schedule of :data:`ASSET_CLASSES` (as the
#: table in :mod:`dcplan.tco`'s docstring).
_TAX_SOURCES = {
    "it": ("IRS Pub 946 Table B-1 asset class 00.12 (computers)", "primary"),
    "facility_shell": ("IRC §168(c) nonresidential real property; IRS Pub 946 Table A-7a", "primary"),
    "facility_electrical": ("estimate (cost-segregation practice; 39 yr if not segregated)", "estimate"),
    "facility_mechanical": ("estimate (cost-segregation practice; 39 yr if not segregated)", "estimate"),
    "interconnection": ("IRS Pub 946 asset class 00.3 land improvements (estimate)", "estimate"),
    "pv": ("IRC §168(e)(3)(B)(vi) energy property", "primary"),
    "battery": ("IRC §168(e)(3)(B)(vi) energy property", "primary"),
}

#: How the model taxes a loss year (the Assumptions row ``tax_losses_offset_in_year``, the
#: export's About sheet, the tco notebook). US law for the alternative: 26 U.S.C. 172 as amended
#: by P.L. 115-97 (2017) s.13302: a net operating loss is carried forward (no carryback) and
#: deducted up to 80 % of a later year's taxable income.
TAX_LOSS_TREATMENT = ("A year with negative taxable income has a negative income tax, a saving in that year: the "
                      "model assumes the owner offsets the loss against its other taxable income of the same year "
                      "(a consolidated group). It does not carry losses forward, as a stand-alone project company "
                      "would have to (US: net operating loss carryforward, 26 U.S.C. 172, deductible up to 80 % of a "
                      "later year's taxable income, no carryback); that would defer the saving and lower the NPV.")


def tax_loss_note(annual: pd.DataFrame) -> str:
    """The report's sentence on the loss years of a run (``TcoResult.annual``): the years with
    negative ``income_tax_usd``, the saving, and :data:`TAX_LOSS_TREATMENT`; ``""`` with none."""
    tax = annual.loc["income_tax_usd"]
    neg = tax[tax < 0]
    if neg.empty:
        return ""
    years = ", ".join(str(y) for y in neg.index)
    return (f"Income tax is negative in year{'s' if len(neg) > 1 else ''} {years} (a saving of "
            f"{-float(neg.sum()):,.0f} USD in all). " + TAX_LOSS_TREATMENT)


#: IRC §168(d)(3): the mid-quarter convention applies to a tax year's MACRS personal property when
#: more than 40 % of its depreciable basis (real property excluded) is placed in service in the
#: year's last quarter (IRS Pub 946, "Mid-quarter convention").
MID_QUARTER_SHARE = 0.40
#: First-year MACRS depreciation under the mid-quarter convention, per quarter placed in service,
#: over the half-year convention's (Pub 946 Tables A-2..A-5 against A-1: 5-year property 35, 25, 15,
#: 5 % against 20 %; 15-year 8.75, 6.25, 3.75, 1.25 % against 5 %: the same ratios).
MID_QUARTER_FIRST_YEAR_RATIO = (1.75, 1.25, 0.75, 0.25)


def mid_quarter_note(result) -> str:
    """The report's sentence on the tax years whose MACRS personal property (every class but the
    building shell, :data:`ASSET_CLASSES`) is more than :data:`MID_QUARTER_SHARE` placed in service
    in the year's last three months: IRC §168(d)(3) would then require the mid-quarter convention
    (Pub 946 Tables A-2 to A-5), which the model does not apply (half-year, Table A-1). Each IT
    purchase is placed in service in its month, the other classes at the end of the build
    (``placed_in_service_month``). ``""`` when no year qualifies or depreciation is not MACRS. The tax years
    are the owner's (``tax_year_start_month``, the quarters its own: a November purchase is in the last quarter of a
    calendar-year owner's tax year, in the first of a project year from November), named by the calendar year
    each begins in when they are not the project years (:func:`dcplan.tco_tax_schedule.tax_year_lead_months`;
    the first is then cut by the project start and counts only the property placed in service from it).

    The multiple is that year's first-year depreciation of the property it places in service under the
    mid-quarter convention over the model's, each class at its first-year rate (5-year 20 %, 15-year 5 %,
    Table A-1; the quarter ratios :data:`MID_QUARTER_FIRST_YEAR_RATIO`). Bonus depreciation
    (``bonus_depreciation_frac`` ``b``, IRC §168(k)) is deducted in full in the year placed in service
    whatever the convention; only the remaining ``1 - b`` of the basis follows MACRS and the convention:
    first year ``b x B + (1 - b) x B x rate`` (model) against ``b x B + (1 - b) x sum_q B_q x rate x ratio_q``.
    With ``b = 1`` the convention changes nothing: ``""``. The 40 % test is applied to the whole basis
    placed in service, bonus included."""
    from .finance_depreciation import macrs_fractions
    a = result.assumptions.set_index("key")["value"]
    if float(a.get("depreciation", 1.0)) != 1.0:
        return ""
    bonus = float(a.get("bonus_depreciation_frac", 0.0))
    if not bonus < 1.0:
        return ""
    m = result.monthly
    n = len(m)
    cal = getattr(result, "calendar_months", None)
    start = a.get("tax_year_start_month", float("nan"))
    lead = 0 if not start == start else (int(1 if cal is None else cal[0].month) - int(start)) % 12
    first_rate = {k: float(macrs_fractions(life)[0]) for k, (method, life) in ASSET_CLASSES.items()
                  if method == "macrs"}
    by_class = {"it": m["capex_it_usd"].to_numpy(dtype=float)}       # basis placed in service per month
    b = int(a.get("placed_in_service_month", 0.0))
    for k in first_rate:
        if k != "it":
            by_class[k] = np.zeros(n)
            if b < n:
                by_class[k][b] = float(m[f"capex_{k}_usd"].sum())
    if lead:  # the owner's tax years: its first tax year's months before the project start hold nothing
        by_class = {k: np.concatenate([np.zeros(lead), x, np.zeros(-(n + lead) % 12)]) for k, x in by_class.items()}
    basis = sum(by_class.values())
    years = []
    for y in range(basis.size // 12):
        year = basis[12 * y:12 * y + 12]
        tot = year.sum()
        if tot > 0 and year[9:].sum() > MID_QUARTER_SHARE * tot:
            model = mq = bonus * tot
            for k, x in by_class.items():
                xs = x[12 * y:12 * y + 12]
                model += (1.0 - bonus) * first_rate[k] * xs.sum()
                mq += (1.0 - bonus) * first_rate[k] * sum(r * xs[3 * q:3 * q + 3].sum()
                                                          for q, r in enumerate(MID_QUARTER_FIRST_YEAR_RATIO))
            name = y + 1 if not lead else (f"{cal[0].year - 1 + y + (cal[0].month > int(start))}" if cal is not None
                                           else f"{y + 1} (from month {int(start)})")
            years.append((name, year[9:].sum() / tot, mq / model, mq, model))
    if not years:
        return ""
    which = "; ".join(f"{y}: {share:.0%} in the last quarter, first-year depreciation {ratio:.2f} x the model's "
                      f"({mq:,.0f} USD against {model:,.0f} USD)" for y, share, ratio, mq, model in years)
    with_bonus = ("" if bonus == 0.0 else
                  f" With bonus depreciation of {bonus:.0%} (bonus_depreciation_frac), deducted in full in the year "
                  f"placed in service whatever the convention, only the remaining {1.0 - bonus:.0%} of the basis "
                  "follows MACRS and the convention: the figures above count both.")
    return (f"More than {MID_QUARTER_SHARE:.0%} of a tax year's MACRS property (the building shell excluded) is "
            f"placed in service in its last quarter in tax year{'s' if len(years) > 1 else ''} {which}. IRC "
            "§168(d)(3) would then require the mid-quarter convention (IRS Pub 946 Tables A-2 to A-5), which the "
            "model does not apply (half-year convention, Table A-1): that year's first-year depreciation would "
            "be the multiple shown (below 1: the model overstates it, and the NPV a little; the later years "
            f"make up the difference).{with_bonus}")


def pv_credit_note(result) -> str:
    """The report's sentence that no tax credit or incentive for the on-site PV is modelled (its
    capex is paid in full and depreciated as 5-year MACRS energy property), with what each 10 % of
    its cost as a credit would be; ``""`` without PV capex. The energy credits of IRC §48 / §48E
    depend on the project's dates and labour terms, so dcplan states the omission and its scale."""
    m = result.monthly
    pv = float(m["capex_pv_usd"].sum()) if "capex_pv_usd" in m else 0.0
    if not pv > 0:
        return ""
    return (f"No tax credit or incentive for the on-site PV is modelled: its {pv:,.0f} USD is paid in full and "
            "depreciated as 5-year MACRS energy property (IRC §168(e)(3)(B)(vi)). Such property may also earn an "
            "energy investment credit (IRC §48 / §48E, with a basis reduction), whose rate depends on the "
            f"project's dates and labour terms: each 10 % of the PV's cost as a credit is {0.1 * pv:,.0f} USD, "
            "not in the NPV.")
