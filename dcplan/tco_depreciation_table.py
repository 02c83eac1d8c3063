"""The TCO's tax depreciation by asset class and purchase: the finance export's ``Depreciation`` sheet.

:func:`dcplan.tco_cashflows.cash_flow_lines` deducts, per project (= tax) year, the depreciation of every
purchase placed in service (:mod:`dcplan.tco`'s docstring, "Placed in service", "Depreciation", "Bonus
depreciation"): the facility shell (39-yr straight line, mid-month, IRS Pub 946 Table A-7a), its
electrical and mechanical plant and the interconnection (MACRS 15-yr, 150 % declining balance, half-year,
Table A-1), the PV and battery (MACRS 5-yr, 200 % declining balance, half-year) at the end of the build,
and each IT purchase (MACRS 5-yr) in its own month, every refresh a new purchase whose predecessor's
tax basis left is written off in the refresh's tax year: the year of disposition's depreciation and, the rest, a
loss on disposal at zero proceeds (two rows: two lines of a tax return, depreciation and a Form 4797 loss); or book
straight line over the economic lives (``TcoInputs.depreciation = "straight-line"``). Only the yearly total,
``depreciation_usd``, was exported: a reviewer had to rebuild these schedules from the Assumptions' lives
and conventions.

* :class:`DepreciationTranche`: one purchase's schedule as the model computed it (arrays over a batch of
  cases), collected by :func:`dcplan.tco_tax_lines.tax_depreciation`;
* :func:`depreciation_table`: the tranches of one case as a frame (``TcoResult.depreciation``), one row per
  purchase and two per refresh write-off (the year of disposition's depreciation, the loss on disposal), the tax
  years as columns ``year_1 .. year_H``;
* :func:`depreciation_sheet`: that frame as the export's sheet: a first ``note`` row and a last ``total``
  row whose years are the CashFlow's ``depreciation_usd`` + ``loss_on_disposal_usd`` (the same numbers, so the tie
  is exact; the rows above sum to them to floating-point rounding, far below a cent, the ``_loss_on_disposal``
  rows to ``loss_on_disposal_usd`` and the others to ``depreciation_usd``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DepreciationTranche", "depreciation_table", "depreciation_sheet", "DEPRECIATION_NOTE", "TAX_YEAR_NOTE",
           "method_text", "DISPOSAL_YEAR_METHOD", "LOSS_ON_DISPOSAL_METHOD"]

#: The ``method`` of a refresh's first write-off row, ``<tranche>_disposal_year_depreciation``
#: (:func:`dcplan.tco_tax_lines._disposal_year_part`).
DISPOSAL_YEAR_METHOD = ("depreciation in the year of disposition: the share of that tax year's amount the purchase's "
                        "convention allows when a refresh replaces it (IRS Pub 946 ch. 4: half-year 50 %, the "
                        "schedule's last year all of it; mid-quarter by the quarter disposed of; none when placed in "
                        "service in the same tax year), deducted in the refresh's tax year")
#: The ``method`` of a refresh's second write-off row, ``<tranche>_loss_on_disposal``
#: (:func:`dcplan.tco_tax_lines._it_depreciation`).
LOSS_ON_DISPOSAL_METHOD = ("loss on disposal: the tax basis the purchase has left after the year of disposition's "
                           "depreciation when a refresh replaces it (zero proceeds), deducted in the refresh's tax "
                           "year (IRC §165; Treas. Reg. §1.168(i)-8; Form 4797)")


@dataclass(frozen=True)
class DepreciationTranche:
    """One purchase placed in service and its tax depreciation, over a batch of ``n`` cases.

    Attributes
    ----------
    asset_class : str
        A key of :data:`dcplan.tco_tax.ASSET_CLASSES` (``it``, ``facility_shell``, ...).
    month : ndarray (n, 1)
        Model month placed in service, 0 = the project's first month (IT: its purchase month; the other
        classes: the end of the build). [months]
    basis_usd : ndarray (n, 1)
        Its depreciable basis: the purchase's cost (0 past the horizon in a batch). [USD]
    scheduled_usd : ndarray (n, Y)
        Its schedule's deduction per tax year, cut at the horizon and at its disposal: ``Y = H`` project years, or
        ``H + 1`` owner's tax years (``TcoInputs.tax_year_start_month`` other than the project's start month). [USD]
    written_off_usd : ndarray (n, Y)
        The basis left deducted in the tax year a refresh replaces it (zeros otherwise): ``disposal_year_usd``
        and the loss on disposal. [USD]
    method : str
        ``macrs``, ``real-property`` or ``straight-line`` (:func:`dcplan.finance.depreciation_fractions`).
    life_years : float or ndarray (n,)
        Recovery period or book life. [yr]
    bonus_frac : float
        Share of the basis taken as bonus depreciation in the tax year placed in service. [frac]
    disposed_month : ndarray (n, 1) or None
        Model month a refresh replaces it (``12 H``: held to the horizon); None for the classes never
        replaced. [months]
    convention : ndarray (n,) or None
        Its MACRS convention (:func:`dcplan.tco_conventions.convention_code`): 0 half-year, 1-4 mid-quarter
        placed in that quarter of the tax year, -1 another method's (mid-month, book straight line).
    sale_factor : ndarray (n,) or None
        Share of its schedule's amount deducted in the tax year of the horizon's sale (year of disposition,
        :func:`dcplan.finance_depreciation.disposal_year_factor`); NaN when not sold within its schedule. [frac]
    test_share : ndarray (n,) or None
        The IRC §168(d)(3) test of its tax year placed in service: the share of that year's MACRS personal
        property placed in service in its last quarter (:func:`dcplan.tco_conventions.mid_quarter_years`; NaN:
        not MACRS). [frac]
    disposal_year_usd : ndarray (n, Y) or None
        The part of ``written_off_usd`` that is the year of disposition's depreciation
        (:func:`dcplan.tco_tax_lines._disposal_year_part`); the rest is the loss on disposal. None: not split
        (all of it shown as the loss). [USD]
    """

    asset_class: str
    month: np.ndarray
    basis_usd: np.ndarray
    scheduled_usd: np.ndarray
    written_off_usd: np.ndarray
    method: str
    life_years: float | np.ndarray
    bonus_frac: float
    disposed_month: np.ndarray | None
    convention: np.ndarray | None = None
    sale_factor: np.ndarray | None = None
    test_share: np.ndarray | None = None
    disposal_year_usd: np.ndarray | None = None


def method_text(method: str, life: float, month_of_tax_year: int, bonus_frac: float, convention: int = 0,
                test_share: float = float("nan"), sale_factor: float = float("nan"),
                sale_year: str = "") -> tuple[str, str]:
    """``(method, convention)`` of a schedule in words, with its source: ``convention`` the MACRS convention's
    code (:func:`dcplan.tco_conventions.convention_code`: 0 half-year, 1-4 mid-quarter placed in that quarter),
    ``test_share`` its tax year's IRC §168(d)(3) test, ``sale_factor`` the share of the year of the horizon's
    sale, ``sale_year``, deducted (NaN: not sold within its schedule).

    >>> method_text("macrs", 5, 1, 0.0)[0]
    'MACRS GDS 5-yr, 200 % declining balance switching to straight line'
    >>> method_text("macrs", 5, 11, 0.0, 4, 1.0)[1].split(";")[0]
    'mid-quarter: placed in service in quarter 4 of the tax year (IRS Pub 946 Table A-5'
    >>> method_text("real-property", 39, 1, 0.0)[1]
    'mid-month: placed in service in month 1 of the tax year (IRS Pub 946 Table A-7a)'
    """
    sale = ""
    if sale_factor == sale_factor:
        sale = (f"; {sale_year}, the year of the horizon's sale (its last month), deducts {sale_factor * 100:.4g} % "
                "of its amount (year of disposition, IRS Pub 946 ch. 4"
                + ("; placed in service and sold in the same tax year: not depreciated, Pub 946 ch. 1)"
                   if sale_factor == 0 else ")"))
    if method == "macrs":
        db = 150 if life >= 15 else 200
        text = f"MACRS GDS {life:g}-yr, {db} % declining balance switching to straight line"
        if bonus_frac > 0:
            text += (f"; {bonus_frac * 100:.0f} % bonus depreciation (IRC §168(k)) in the tax year placed in service, "
                     "whatever the convention")
        test = ("" if test_share != test_share else
                f"{test_share:.0%} of its tax year's MACRS basis placed in service in the year's last quarter")
        if convention >= 1:
            return text, (f"mid-quarter: placed in service in quarter {convention} of the tax year (IRS Pub 946 Table "
                          f"A-{convention + 1}; IRC §168(d)(3): {test or 'over 40 %'}, more than 40 %){sale}")
        return text, f"half-year (IRS Pub 946 Table A-1; {test or 'the tax year'}, not more than 40 %){sale}"
    if method == "real-property":
        return (f"straight line over {life:g} yr (nonresidential real property, IRC §168(c))",
                f"mid-month: placed in service in month {month_of_tax_year} of the tax year (IRS Pub 946 "
                f"Table A-7a){sale}")
    return f"book straight line over {life:g} yr", "full-year, from the tax year placed in service"


def depreciation_table(tranches, horizon_years: int, calendar: pd.PeriodIndex | None = None,
                       case: int = 0, tax_years: list[str] | None = None, lead_months: int = 0) -> pd.DataFrame:
    """The tax depreciation of case ``case`` by asset class and purchase (``TcoResult.depreciation``).

    Parameters
    ----------
    tranches : list of DepreciationTranche
        ``cash_flow_lines(...)["depreciation_tranches"]``.
    horizon_years : int
        ``H``: the tax years, ``year_1 .. year_H`` (project years, as the CashFlow's columns). [yr]
    calendar : PeriodIndex, optional
        The calendar month of each model month (:func:`dcplan.tco_inputs.calendar_months`); None for an
        undated case (``placed_in_service`` empty).
    case : int, default 0
        The row of the batch.
    tax_years : list of str, optional
        The owner's tax years when they are not the project years (``TcoInputs.tax_year_start_month``:
        :func:`dcplan.tco_tax_schedule.tax_year_labels`, ``tax_year_2027 ..``, ``H + 1`` of them, the first and last
        cut by the horizon): the columns instead of ``year_1 .. year_H``.
    lead_months : int, default 0
        Months of the owner's first tax year before the project start
        (:func:`dcplan.tco_tax_schedule.tax_year_lead_months`; 0: the tax years are the project years): model
        month ``m`` is in tax year ``(m + lead_months) // 12 + 1``. [months]

    Returns
    -------
    DataFrame
        Indexed by ``tranche`` (``<class>_<k>``, the k-th purchase of the class; its refresh write-off in two
        rows, ``<class>_<k>_disposal_year_depreciation`` and ``<class>_<k>_loss_on_disposal``, whose sum is the
        basis it has left), columns ``asset_class``, ``placed_in_service`` (text ``YYYY-MM``),
        ``placed_in_service_month`` (months after the project start, as the Assumptions row
        ``placed_in_service_month``: the Monthly sheet's ``month`` is one more), ``tax_year_placed`` (the tax year
        placed in service, 1 = the first column's: the project year, or the owner's tax year with ``tax_years``),
        ``basis_usd``, ``method``, ``convention`` (the MACRS convention of its tax year, and what the year of the
        horizon's sale deducts: :func:`method_text`), ``mid_quarter_test_frac`` (its tax year's IRC §168(d)(3) test
        share; NaN: not MACRS), ``life_years``, ``bonus_frac``, ``disposed_month`` (months after
        the project start when a refresh replaces it; empty: held to the horizon), ``year_1 ..
        year_H`` (the deduction of each tax year; ``tax_years`` instead), ``total_usd`` (their sum) and
        ``basis_left_usd`` (the basis not deducted by the end of the horizon; its sum is
        ``residual_tax_basis_usd``). [USD, months, yr]
    """
    H = int(horizon_years)
    years = [f"year_{y}" for y in range(1, H + 1)] if tax_years is None else list(tax_years)
    rows, names, count = [], [], {}
    for t in tranches:
        basis = float(np.asarray(t.basis_usd)[case if np.shape(t.basis_usd)[0] > 1 else 0, 0])
        if basis == 0.0:   # a purchase past the horizon (a batch's case): no cost, no row
            continue
        pick = (lambda a: np.asarray(a)[case if np.shape(a)[0] > 1 else 0])
        m = int(pick(t.month)[0])
        life = float(np.atleast_1d(t.life_years)[case if np.size(t.life_years) > 1 else 0])
        at = (lambda a: float("nan") if a is None else float(np.asarray(a).reshape(-1)[case if np.size(a) > 1 else 0]))
        code = 0 if t.convention is None else int(at(t.convention))
        method, conv = method_text(t.method, life, (m + lead_months) % 12 + 1, t.bonus_frac, code, at(t.test_share),
                                   at(t.sale_factor), years[-1])
        when = "" if calendar is None else str(calendar[0] + m)
        gone = None if t.disposed_month is None else int(pick(t.disposed_month)[0])
        gone = gone if gone is not None and gone < 12 * H else np.nan
        sched, off = pick(t.scheduled_usd).astype(float), pick(t.written_off_usd).astype(float)
        k = count[t.asset_class] = count.get(t.asset_class, 0) + 1
        name = f"{t.asset_class}_{k}"
        common = {"asset_class": t.asset_class, "placed_in_service": when, "placed_in_service_month": float(m),
                  "tax_year_placed": (m + lead_months) // 12 + 1.0}
        rows.append({**common, "basis_usd": basis, "method": method, "convention": conv,
                     "mid_quarter_test_frac": at(t.test_share), "life_years": life,
                     "bonus_frac": float(t.bonus_frac), "disposed_month": gone, **dict(zip(years, sched)),
                     "total_usd": float(sched.sum()), "basis_left_usd": basis - float(sched.sum()) - float(off.sum())})
        names.append(name)
        if off.any():  # the write-off in its two parts: the year of disposition's depreciation, the loss
            disp = np.zeros_like(off) if t.disposal_year_usd is None else pick(t.disposal_year_usd).astype(float)
            for part, what, v in (("disposal_year_depreciation", DISPOSAL_YEAR_METHOD, disp),
                                  ("loss_on_disposal", LOSS_ON_DISPOSAL_METHOD, off - disp)):
                rows.append({**common, "basis_usd": np.nan, "method": what, "convention": "",
                             "mid_quarter_test_frac": np.nan, "life_years": np.nan, "bonus_frac": np.nan,
                             "disposed_month": gone, **dict(zip(years, v)), "total_usd": float(v.sum()),
                             "basis_left_usd": np.nan})
                names.append(f"{name}_{part}")
    cols = ["asset_class", "placed_in_service", "placed_in_service_month", "tax_year_placed", "basis_usd", "method",
            "convention", "mid_quarter_test_frac", "life_years", "bonus_frac", "disposed_month", *years, "total_usd",
            "basis_left_usd"]
    return pd.DataFrame(rows, index=pd.Index(names, name="tranche"), columns=cols)


#: The Depreciation sheet's note on the conventions (:mod:`dcplan.tco_conventions`), in both notes below.
CONVENTION_NOTE = (
    "The convention column gives each purchase's MACRS convention, that of its tax year placed in service: "
    "half-year (IRS Pub 946 Table A-1), or mid-quarter by the quarter placed in service (Tables A-2 to A-5) when "
    "more than 40 % of that tax year's MACRS basis (the building shell excluded) is placed in service in its last "
    "three months (IRC §168(d)(3); mid_quarter_test_frac is that share); and what the tax year of the horizon's "
    "sale deducts (the year of disposition, Pub 946 ch. 4: half-year 50 %, mid-quarter by the sale's quarter, the "
    "shell to the middle of the sale's month, nothing for property placed in service in that year). ")


#: The Depreciation sheet's first row (its ``asset_class`` cell): how to read it, and what it ties to.
DEPRECIATION_NOTE = (
    "Tax depreciation by asset class and purchase placed in service: one row per purchase (each IT refresh is "
    "a new purchase, and the purchase it replaces deducts the tax basis it has left in the refresh's tax year, "
    "in two rows: its _disposal_year_depreciation, the share of that year's amount its convention allows, and "
    "its _loss_on_disposal, the rest, at zero proceeds: a Form 4797 loss, not depreciation, the CashFlow's "
    "loss_on_disposal_usd (deducted at the same rate); the other rows are its depreciation_usd); year_1 .. "
    "year_H are project years, the model's tax years and the CashFlow sheet's columns (About: calendar), not "
    "calendar years. placed_in_service is the "
    "month placed in service (the workbook: a date, the month's first day; the CSV: the text YYYY-MM), "
    "placed_in_service_month and disposed_month (a refresh replaces the purchase) are months after the project "
    "start, as the Assumptions row placed_in_service_month (the Monthly sheet's month is one more). " + CONVENTION_NOTE
    + "basis_usd is the purchase's cost: the bases sum to the CashFlow's "
    "total_capex_usd over all years (every capex line is depreciable: the model buys no land; nothing is left "
    "out). A schedule is cut at the horizon: what a purchase has not deducted by then is its basis_left_usd, "
    "whose sum is the CashFlow's residual_tax_basis_usd in the last year (the assets' sale at the residual "
    "value is taxed on the gain over it). The total row's years are the CashFlow's depreciation_usd + "
    "loss_on_disposal_usd (the Monthly sheet's <line>_tax_year_even_spread is 1/12 of a tax year's a month); the "
    "rows above sum to them to the cent (floating-point rounding only).")


#: The Depreciation sheet's first row when its years are the owner's tax years (``finance.tax_year_start_month`` other
#: than the project's start month), not the project years: what differs from :data:`DEPRECIATION_NOTE`.
TAX_YEAR_NOTE = (
    "Tax depreciation by asset class and purchase placed in service: one row per purchase (each IT refresh is "
    "a new purchase, and the purchase it replaces deducts the tax basis it has left in the refresh's tax year, "
    "in two rows: its _disposal_year_depreciation, the share of that year's amount its convention allows, and "
    "its _loss_on_disposal, the rest, at zero proceeds: a Form 4797 loss, not depreciation, the CashFlow's "
    "loss_on_disposal_usd; the other rows are its depreciation_usd). The columns tax_year_YYYY are the OWNER's "
    "tax years (Assumptions tax_year_start_month), each named by the calendar year it begins in, not the project "
    "years of the CashFlow "
    "sheet: MACRS year 1 is the owner's tax year placed in service, its quarters the owner's (bonus depreciation "
    "in that tax year). "
    + CONVENTION_NOTE + "The first and last tax years are cut by the horizon (the first begins before the project, "
    "the last ends after it, in the month of the horizon's sale): the first deducts its whole amount, the last that "
    "of the year of disposition. A tax year's deduction is booked evenly "
    "over its months within the horizon (the Monthly sheet's depreciation_usd_tax_year_even_spread and "
    "loss_on_disposal_usd_tax_year_even_spread: their months sum to the column here), and the CashFlow's "
    "depreciation_usd and loss_on_disposal_usd of a project year are the sums of their months. "
    "tax_year_placed counts the columns (1 = the first). placed_in_service is the month placed in service (the "
    "workbook: a date; the CSV: YYYY-MM), placed_in_service_month and disposed_month are months after the project "
    "start. basis_usd is the purchase's cost: the bases sum to the CashFlow's total_capex_usd over all years. What "
    "a purchase has not deducted by the end of the horizon is its basis_left_usd, whose sum is the CashFlow's "
    "residual_tax_basis_usd in the last year. The total row is the sum of the rows above.")


def depreciation_sheet(table: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """The export's ``Depreciation`` sheet: a ``note`` row (:data:`DEPRECIATION_NOTE`), ``table``
    (:func:`depreciation_table`) and a ``total`` row: its years the CashFlow's ``depreciation_usd`` +
    ``loss_on_disposal_usd`` of ``annual`` (``TcoResult.annual``), ``basis_usd``, ``total_usd`` and
    ``basis_left_usd`` the sums of the rows. When the years are the owner's tax years (columns
    ``tax_year_YYYY``: :data:`TAX_YEAR_NOTE`), the total row's years are the sums of the rows (the CashFlow's
    columns are project years). [USD]"""
    years = [c for c in table.columns if c.startswith(("year_", "tax_year_")) and c != "tax_year_placed"]
    owner = any(c.startswith("tax_year_") for c in years)
    if owner:
        dep = table[years].sum(axis=0).to_numpy(dtype=float)
        what = "total of the rows above (the owner's tax years: the Monthly sheet's months of each, summed)"
    else:
        dep = annual.loc["depreciation_usd"].to_numpy(dtype=float)
        if "loss_on_disposal_usd" in annual.index:
            dep = dep + annual.loc["loss_on_disposal_usd"].to_numpy(dtype=float)
        what = "total of the rows above; the years: CashFlow depreciation_usd + loss_on_disposal_usd"
    total = {"asset_class": "all", "method": what,
             **dict(zip(years, dep)), "total_usd": float(dep.sum()),
             "basis_usd": float(table["basis_usd"].sum()), "basis_left_usd": float(table["basis_left_usd"].sum())}
    note = TAX_YEAR_NOTE if owner else DEPRECIATION_NOTE
    out = pd.concat([pd.DataFrame([{"asset_class": note}], index=["note"]), table,
                     pd.DataFrame([total], index=["total"])])
    out.index.name = "tranche"
    out = out[table.columns]
    for c in ("placed_in_service_month", "tax_year_placed", "disposed_month"):  # whole months and years: 13, not 13.0
        out[c] = out[c].astype("Int64")
    return out
