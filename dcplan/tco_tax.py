"""Tax and book lives of the TCO model's asset classes, and the report's notes on its tax treatment.

Part of the TCO model: :mod:`dcplan.tco_assumptions` re-exports every name here (and through it
:mod:`dcplan.tco_inputs` and :mod:`dcplan.tco` the public ones), and lists the lives in the Assumptions table.

* :data:`ASSET_CLASSES`, :data:`ECONOMIC_LIFE_YEARS`: the fixed tax (MACRS, real property) and book lives,
  with their sources (``_TAX_SOURCES``);
* :func:`tax_loss_note` (:data:`TAX_LOSS_TREATMENT`) and :func:`pv_credit_note`: the report's sentences on what
  the tax model leaves out (loss carryforward, PV tax credits), with their scale for the run;
  :func:`mid_quarter_note` (:data:`MID_QUARTER_SHARE`): the tax years that take the mid-quarter convention
  (applied: :mod:`dcplan.tco_conventions`) and what it does to their first-year depreciation.
"""
from __future__ import annotations

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
#: year's last quarter (IRS Pub 946, "Mid-quarter convention"); the TCO applies it
#: (:mod:`dcplan.tco_conventions`).
MID_QUARTER_SHARE = 0.40
#: First-year MACRS depreciation under the mid-quarter convention, per quarter placed in service,
#: over the half-year convention's (Pub 946 Tables A-2..A-5 against A-1: 5-year property 35, 25, 15,
#: 5 % against 20 %; 15-year 8.75, 6.25, 3.75, 1.25 % against 5 %: the same ratios). For reference
#: (the model computes the tables: :func:`dcplan.finance_depreciation.macrs_mid_quarter_fractions`).
MID_QUARTER_FIRST_YEAR_RATIO = (1.75, 1.25, 0.75, 0.25)


def mid_quarter_note(result) -> str:
    """The report's sentence on the tax years whose MACRS personal property (every class but the building
    shell, :data:`ASSET_CLASSES`) takes the mid-quarter convention: more than :data:`MID_QUARTER_SHARE` of its
    basis placed in service in the year's last three months (IRC §168(d)(3); the test and the schedules:
    :mod:`dcplan.tco_conventions`, Pub 946 Tables A-2 to A-5), which the model applies; ``""`` when every tax
    year takes the half-year convention (Table A-1) or depreciation is not MACRS. Read from the run's
    Depreciation table (``result.depreciation``: each purchase's ``convention`` and ``mid_quarter_test_frac``),
    so it names the years and shares the schedules used. The tax years are the owner's
    (``tax_year_start_month``: its quarters; a November purchase is in the last quarter of a calendar-year owner's
    tax year, in the first of a project year from November), named as the table's columns (``year_3``: project
    year 3; ``tax_year_2027``: the owner's tax year beginning in 2027).

    For each such year: the share tested and the first-year depreciation of the property it places in service,
    against what the half-year convention would have given (each class's Table A-1 first-year rate); bonus
    depreciation (``bonus_depreciation_frac`` ``b``, IRC §168(k)) is deducted in full in the year placed in
    service whatever the convention, so only ``1 - b`` of the basis follows it (with ``b = 1`` the convention
    changes nothing, and the note says so). The 40 % test counts the whole basis, bonus included."""
    from .finance_depreciation import macrs_fractions
    d = getattr(result, "depreciation", None)
    if d is None or d.empty or "mid_quarter_test_frac" not in d:
        return ""
    mq = d[d["convention"].astype(str).str.startswith("mid-quarter")]
    if mq.empty:
        return ""
    years = [c for c in d.columns if c.startswith(("year_", "tax_year_")) and c != "tax_year_placed"]
    parts = []
    for t, g in mq.groupby("tax_year_placed"):
        col = years[int(t) - 1]
        actual = float(g[col].sum())
        half = float(sum(r.basis_usd * (r.bonus_frac + (1.0 - r.bonus_frac) * macrs_fractions(int(r.life_years))[0])
                         for r in g.itertuples()))
        name = col.rsplit("_", 1)[1]
        parts.append(f"{name}: {float(g['mid_quarter_test_frac'].iloc[0]):.0%} of its MACRS basis in its last "
                     f"quarter, first-year depreciation of that year's property {actual:,.0f} USD against "
                     f"{half:,.0f} USD under the half-year convention ({actual / half:.2f} x)")
    bonus = float(mq["bonus_frac"].max())
    with_bonus = ("" if bonus == 0.0 else
                  f" Bonus depreciation of {bonus:.0%} (bonus_depreciation_frac) is deducted in full in the year "
                  f"placed in service whatever the convention: only the remaining {1.0 - bonus:.0%} of the basis "
                  "follows it" + (" (here none: the convention changes nothing)." if bonus >= 1.0 else "."))
    return (f"Tax year{'s' if len(parts) > 1 else ''} {'; '.join(parts)}. More than {MID_QUARTER_SHARE:.0%} of "
            "a tax year's MACRS property (the building shell excluded) placed in service in its last three months: "
            "IRC §168(d)(3) requires the mid-quarter convention for all of that year's MACRS property, and the model "
            "applies it (IRS Pub 946 Tables A-2 to A-5 by quarter placed in service: the Depreciation sheet's "
            "convention column); every other tax year takes the half-year convention (Table A-1). Below 1 x the "
            "year deducts less at first and more later (the NPV a little lower than under the half-year "
            f"convention), above 1 x the reverse.{with_bonus}")


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
