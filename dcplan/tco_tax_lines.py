"""The TCO model's tax lines: depreciation by tax year, taxable income, income tax and the net cash flow.

Part of the TCO model: :func:`dcplan.tco_cashflows.cash_flow_lines` computes the capex, opex, output and residual
lines, then these: the tax depreciation of every purchase placed in service by the owner's tax years
(:func:`tax_depreciation`, the IT's with each refresh's write-off in :func:`_it_depreciation`; conventions in
:mod:`dcplan.tco_conventions`), each month's tax rate under a schedule by calendar year (:func:`month_tax_rates`),
and the lines they give, ``depreciation_usd``, ``loss_on_disposal_usd``, ``residual_tax_basis_usd``,
``residual_gain_usd``, ``taxable_income_usd``, ``income_tax_usd`` and ``net_cash_flow_usd`` (:func:`tax_lines`).
The conventions are stated in :mod:`dcplan.tco`'s docstring (placed in service, MACRS, bonus depreciation, income
tax). Every array is vectorized over the cases of a batch (one row per case); ``tl`` is the batch's timeline
(:class:`dcplan.tco_cashflows._Timeline`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .tco_conventions import convention_code, mid_quarter_years, schedule_in_service, year_share
from .tco_depreciation_table import DepreciationTranche
from .tco_inputs import ASSET_CLASSES, ECONOMIC_LIFE_YEARS, TcoInputs
from .tco_tax_schedule import anchor_rate, case_range, shifted_rates, tax_years

if TYPE_CHECKING:
    from .tco_cashflows import _Timeline

__all__ = ["tax_depreciation", "disposal_losses", "month_tax_rates", "tax_lines"]


def _it_depreciation(inputs: TcoInputs, p: dict, tl: _Timeline, buys: list, bonus: float, rows: list | None = None,
                     lead: int = 0, mq: np.ndarray | None = None, share=None) -> tuple[np.ndarray, np.ndarray]:
    """IT depreciation per tax year ``(n, Y)`` and the IT's basis ``(n, 1)``: each purchase of
    :attr:`_ItPurchases.buys` on its schedule (MACRS 5-yr under its tax year's convention, ``mq``:
    :func:`dcplan.tco_conventions.mid_quarter_years`; or book straight line over ``it_refresh_years``) from the tax
    year of its month (:func:`dcplan.tco_conventions.schedule_in_service`); held to the horizon, its sale's tax
    year deducts the convention's share for the year of disposition. When a refresh replaces it within the
    horizon, the tax basis it has left is deducted in the tax year of the refresh: disposed of at zero proceeds
    (the model sells nothing at a refresh: its residual, straight line over a life no longer than the cycle, is
    zero by then), the disposal year's depreciation and the loss on disposal (IRC §165; Treas. Reg.
    §1.168(i)-8) together, not a deduction left to the horizon's sale. ``rows``: a list to which each purchase's
    :class:`DepreciationTranche` is appended (:mod:`dcplan.tco_depreciation_table`), with that deduction's two parts
    apart (:func:`_disposal_year_part`; they do not change ``dep``). ``lead``: the owner's tax
    years (:func:`tax_depreciation`): month ``m`` is in tax year ``(m + lead) // 12``, ``Y = H + (lead > 0)`` of
    them (0: the project years)."""
    n, H = tl.n, tl.H + (lead > 0)                                  # H: the tax years the horizon reaches
    yrs = np.arange(H)
    if inputs.depreciation == "macrs":
        method, life = ASSET_CLASSES["it"]
    else:  # book straight line over the refresh cycle, per case in a Monte Carlo / tornado batch
        method = "straight-line"
        life = np.broadcast_to(np.atleast_1d(np.asarray(p["it_refresh_years"], dtype=float)), (n,))
    dep, basis = np.zeros((n, H)), np.zeros((n, 1))
    sale = tl.M - 1 + lead                                           # the horizon's sale, in tax months
    for pm, cost, gone in buys:
        held = gone >= tl.M
        sold, factor = schedule_in_service(cost, method, life, pm + lead, H, bonus, mq, sale, return_factor=True)
        sched = sold if held.all() else schedule_in_service(cost, method, life, pm + lead, H, bonus, mq)
        out_y = np.where(gone < tl.M, (gone + lead) // 12, H)        # tax year of its disposal (H: held)
        kept = np.where(held, sold, sched * (yrs < out_y))
        off = np.where(out_y < H, cost - kept.sum(axis=1, keepdims=True), 0.0) * (yrs == out_y)
        dep += kept + off
        basis += cost
        if rows is not None:
            disp = _disposal_year_part(cost, method, life, pm + lead, H, bonus, mq, gone, lead, tl.M, off)
            rows.append(DepreciationTranche("it", pm, cost, kept, off, method, life, bonus, gone,
                                            convention_code(method, pm + lead, mq),
                                            np.where(held[:, 0], factor, np.nan), year_share(share, pm + lead),
                                            disp))
    return dep, basis


def _disposal_year_part(cost, method: str, life, tax_month, n_years: int, bonus: float, mq, gone, lead: int,
                        M: int, off: np.ndarray) -> np.ndarray:
    """The part of a refresh's write-off ``off`` ``(n, Y)`` that is depreciation for the year of disposition
    ``(n, Y)``; the rest, ``off`` less it, is the loss on disposal. Two lines of a tax return: the year's
    depreciation (IRS Pub 946 ch. 4) and the loss on the property's disposal at zero proceeds (IRC §165; Treas.
    Reg. §1.168(i)-8; Form 4797). The model deducts both in the refresh's tax year at one rate, so only the
    Depreciation sheet tells them apart.

    The year's depreciation is what the purchase's schedule deducts in the tax year of the refresh (month
    ``gone``) when it is disposed of then, as for the horizon's sale (:func:`dcplan.tco_conventions.schedule_in_service`
    with ``sale_tax_month``): :func:`dcplan.finance_depreciation.disposal_year_factor` of that year's amount (MACRS
    half-year 50 %, the schedule's last year all of it; mid-quarter by the quarter disposed of; nothing when placed
    in service in the same tax year); book straight line, a full-year method, the year's whole amount. A loss
    within 1e-9 of the basis of zero is rounding (the basis left is then that year's amount): all of ``off`` is
    depreciation. [USD]"""
    n = off.shape[0]
    disp = np.zeros_like(off)
    gone = np.broadcast_to(gone, (n, 1))
    for g in np.unique(gone[gone < M]):                       # each refresh month of the batch (a book life varies)
        t = int(g) + lead                                     # in tax months
        sel = gone[:, 0] == g
        at = schedule_in_service(cost, method, life, tax_month, n_years, bonus, mq, t)
        disp[sel, t // 12] = at[sel, t // 12]
    cost = np.broadcast_to(cost, (n, 1))
    return np.where(np.abs(off - disp) <= 1e-9 * cost, off, disp)


def tax_depreciation(inputs: TcoInputs, p: dict, tl: _Timeline, buys: list,
                     non_it: dict, lead: int = 0) -> tuple[np.ndarray, np.ndarray, list, np.ndarray]:
    """Depreciation per tax year ``(n, Y)``, the tax basis not yet depreciated at the end ``(n, 1)``, each
    purchase's schedule (:class:`DepreciationTranche`, the Depreciation sheet's rows, summing to ``dep``) and each
    tax year's mid-quarter test share ``(n, Y)`` (NaN: no MACRS property placed in service), all classes. The tax
    years are the project years (``lead`` 0, ``Y = H``), or the owner's (``TcoInputs.tax_year_start_month``,
    :func:`dcplan.tco_tax_schedule.tax_year_lead_months`: model month ``m`` is in tax year ``(m + lead) // 12``,
    ``Y = H + 1`` of them). MACRS year 1 is the owner's tax year placed in service, under that year's convention
    (:mod:`dcplan.tco_conventions`: mid-quarter, IRC §168(d)(3), when more than 40 % of its MACRS personal property
    is placed in service in its last quarter, else half-year; the 39-year shell mid-month in its month of that tax
    year), with ``inputs.bonus_depreciation_frac`` of the MACRS classes' basis (all but the shell) in it whatever
    the convention (IRC §168(k)). The horizon's sale (its last month) disposes of everything held: its tax year
    deducts the convention's share for the year of disposition (Pub 946 ch. 4) and the sale is taxed on the gain
    over the basis left. Placed in service: each IT purchase in its own month (its basis left written off when a
    refresh replaces it: :func:`_it_depreciation`); the other classes at the end of the build (month ``build``)."""
    n, H = tl.n, tl.H + (lead > 0)
    bonus = float(inputs.bonus_depreciation_frac)   # 0 unless MACRS (TcoInputs refuses it otherwise)
    in_service = np.broadcast_to(tl.build, (n, 1)).astype(int) + lead            # in tax months
    sale = tl.M - 1 + lead
    mq, share = None, np.full((n, H), np.nan)
    if inputs.depreciation == "macrs":   # IRC 168(d)(3)'s test on each tax year's MACRS personal property
        placed = [(pm + lead, c, np.where(g < tl.M, g, tl.M - 1) + lead) for pm, c, g in buys]
        placed += [(in_service, non_it[k], sale) for k, (m, _) in ASSET_CLASSES.items() if k != "it" and m == "macrs"]
        mq, share = mid_quarter_years(placed, n, H)
    dep = np.zeros((n, H))
    left = np.zeros((n, 1))
    rows: list = []
    for key, (method, life) in ASSET_CLASSES.items():
        if key == "it":
            if not any(c.any() for _, c, _ in buys):
                continue
            dep_k, basis = _it_depreciation(inputs, p, tl, buys, bonus, rows, lead, mq, share)
        else:
            basis = np.broadcast_to(non_it[key], (n, 1))
            if not basis.any():
                continue
            if inputs.depreciation != "macrs":
                method, life = "straight-line", ECONOMIC_LIFE_YEARS[key]
            dep_k, factor = schedule_in_service(basis, method, life, in_service, H, bonus, mq, sale,
                                                return_factor=True)
            rows.append(DepreciationTranche(key, in_service - lead, basis, dep_k, np.zeros((n, H)), method, life,
                                            bonus if method == "macrs" else 0.0, None,
                                            convention_code(method, in_service, mq), factor,
                                            year_share(share, in_service) if method == "macrs" else None))
        dep += dep_k
        left += basis - dep_k.sum(axis=1, keepdims=True)
    return dep, left, rows, share


def disposal_losses(tranches: list, dep: np.ndarray) -> np.ndarray:
    """The losses on disposal within ``dep`` ``(n, Y)`` (:func:`tax_depreciation`), per tax year ``(n, Y)``: the sum
    over the purchases a refresh replaces of the write-off less its year of disposition's depreciation,
    ``written_off_usd - disposal_year_usd`` (:func:`_disposal_year_part`; IRC §165, Form 4797), the Depreciation
    sheet's ``_loss_on_disposal`` rows. ``dep`` less it is depreciation only. [USD]

    >>> t = DepreciationTranche("it", np.zeros((1, 1)), np.full((1, 1), 10.0), np.array([[2.0, 0.0]]),
    ...                         np.array([[0.0, 8.0]]), "macrs", 5, 0.0, np.full((1, 1), 12),
    ...                         disposal_year_usd=np.array([[0.0, 1.6]]))
    >>> disposal_losses([t], np.array([[2.0, 8.0]])).round(9).tolist()
    [[0.0, 6.4]]
    """
    loss = np.zeros(np.shape(dep))
    for t in tranches:
        if t.disposal_year_usd is not None:
            loss = loss + (t.written_off_usd - t.disposal_year_usd)
    return loss


def month_tax_rates(inputs: TcoInputs, col: dict, tax_rate_range=None) -> np.ndarray | None:
    """Each model month's income tax rate ``(n or 1, M)`` when the case has a schedule by calendar year
    (``inputs.tax_rate_schedule``): the rate of the calendar year in which the month's tax year (its project year)
    *begins*, the same for its 12 months, as a statute keyed to "taxable years beginning in" a year sets it
    (G.S. 105-130.3: a tax year from July 2027 pays 2027's 2 % for all of it, not 2028's 1 % from January);
    with ``inputs.tax_year_start_month`` the owner's own tax years instead, from that month
    (:func:`dcplan.tco_tax_schedule.tax_years`; 1: each month its own calendar year's rate),
    shifted by the case's ``tax_rate_frac`` less the schedule's last rate, never past the end of
    ``tax_rate_range`` (the range the value is taken from; None: the case's own,
    :func:`dcplan.tco_tax_schedule.case_range`) in the shift's direction
    (:func:`dcplan.tco_tax_schedule.shifted_rates`); None for one rate every year."""
    sched = inputs.tax_rate_schedule
    if sched is None:
        return None
    years = tax_years(inputs)                    # each month: the calendar year its tax year begins in
    x = col["tax_rate_frac"]
    if tax_rate_range is None:  # the case's own range, needed only when a case shifts
        tax_rate_range = case_range(inputs) if np.any(x != anchor_rate(sched)) else (0.0, 0.0)
    return shifted_rates(sched, years, x, tax_rate_range)


def _by_tax_year_month(dep: np.ndarray, lead: int, M: int) -> np.ndarray:
    """Each tax year's deduction ``dep`` ``(n, Y)`` booked evenly over its months within the horizon ``(n, M)``:
    month ``m`` of tax year ``t = (m + lead) // 12`` takes ``dep_t / c_t``, ``c_t`` the tax year's months within
    the ``M`` model months (12, but ``12 - lead`` for the first and ``lead`` for the last, which the horizon cuts),
    so the months of a tax year sum to its deduction.

    >>> _by_tax_year_month(np.array([[60.0, 120.0, 30.0]]), 6, 24)[0, [0, 5, 6, 17, 18, 23]].tolist()
    [10.0, 10.0, 10.0, 10.0, 5.0, 5.0]
    """
    t = (np.arange(M) + lead) // 12
    c = np.bincount(t, minlength=dep.shape[1])
    return dep[:, t] / c[t]


def tax_lines(out: dict, col: dict, tl: _Timeline, dep: np.ndarray, left: np.ndarray,
              res: np.ndarray, rate_m: np.ndarray | None = None, lead: int = 0,
              loss: np.ndarray | None = None) -> np.ndarray:
    """Add depreciation, the loss on disposal, the residual's tax basis and gain, taxable income, income tax and
    the net cash flow to ``out``; return the gain on the residual sale ``(n, 1)``. ``dep`` is every deduction of a
    tax year, ``loss`` ``(n, Y)`` the part of it that is a loss on disposal (:func:`disposal_losses`; None: none):
    ``depreciation_usd`` is ``dep - loss`` and ``loss_on_disposal_usd`` ``loss``, each booked as ``dep`` is, and
    taxable income deducts both (one rate: the model deducts a Form 4797 loss as depreciation is). The assets are
    sold at the residual value at the end: gain (recapture) or loss on the tax basis left; a class with no
    basis has no residual either. A year's taxable income is spread evenly over its 12 months; with
    ``rate_m`` (a schedule by calendar year, :func:`month_tax_rates`) each month's share is taxed at its own
    month's rate, ``tax_m = rate_m x taxable_y / 12``, else the year's at ``tax_rate_frac``.

    With the owner's tax years (``lead`` > 0, ``dep`` ``(n, H + 1)``: :func:`tax_depreciation`) each tax year's
    deduction is booked in its own months (:func:`_by_tax_year_month`), ``taxable_m = (revenue_y - opex_y [+ gain,
    year H]) / 12 - dep_m``, ``tax_m = rate_m x taxable_m`` (``rate_m``: ``tax_rate_frac`` without a schedule): a
    deduction lowers its own tax year's tax, at its rate; the project-year lines are the sums of their months."""
    gain = res - left
    loss = np.zeros(np.shape(dep)) if loss is None else loss
    if lead:
        return _owner_tax_lines(out, col, tl, dep, left, gain, rate_m, lead, loss)
    taxable = tl.annual(out["revenue_usd"]) - tl.annual(out["total_opex_usd"]) - dep
    taxable[:, -1:] += gain
    if rate_m is None:
        tax = col["tax_rate_frac"] * taxable
    else:
        tax_m = rate_m * np.repeat(taxable / 12.0, 12, axis=1)      # (n, M): each month at its tax year's rate
        tax = tax_m.reshape(tax_m.shape[0], tl.H, 12).sum(axis=2)
    if tl.P == 1:
        dep, loss, taxable, tax = (np.repeat(x / 12.0, 12, axis=1) for x in (dep, loss, taxable, tax))
        if rate_m is not None:
            tax = tax_m
    _put_tax_lines(out, tl, dep, loss, taxable, tax, left, gain)
    return gain


def _owner_tax_lines(out: dict, col: dict, tl: _Timeline, dep: np.ndarray, left: np.ndarray, gain: np.ndarray,
                     rate_m: np.ndarray | None, lead: int, loss: np.ndarray) -> np.ndarray:
    """:func:`tax_lines` for the owner's tax years (``lead`` > 0): monthly, then summed to the periods."""
    n = tl.n
    pre = np.broadcast_to(tl.annual(out["revenue_usd"]) - tl.annual(out["total_opex_usd"]), (n, tl.H))
    dep_m = _by_tax_year_month(np.broadcast_to(dep, (n, dep.shape[1])), lead, tl.M)
    taxable_m = np.repeat(pre / 12.0, 12, axis=1) - dep_m
    taxable_m[:, -lead:] += gain / lead      # the sale's gain in its own tax year's months (the last ``lead``)
    tax_m = (col["tax_rate_frac"] if rate_m is None else rate_m) * taxable_m
    loss_m = _by_tax_year_month(np.broadcast_to(loss, (n, loss.shape[1])), lead, tl.M)
    dep_p, loss_p, taxable, tax = (tl.per(x) for x in (dep_m, loss_m, taxable_m, tax_m))
    _put_tax_lines(out, tl, dep_p, loss_p, taxable, tax, left, gain)
    return gain


def _put_tax_lines(out: dict, tl: _Timeline, dep, loss, taxable, tax, left, gain) -> None:
    """Store the tax lines of :func:`tax_lines` (per period) and the net cash flow in ``out``: ``dep`` every
    deduction, ``loss`` the losses on disposal within it (``depreciation_usd`` the rest)."""
    n, T = tl.n, tl.T
    out["depreciation_usd"] = np.broadcast_to(dep - loss, (n, T)).copy()
    out["loss_on_disposal_usd"] = np.broadcast_to(loss, (n, T)).copy()
    for k, v in (("residual_tax_basis_usd", left), ("residual_gain_usd", gain)):
        out[k] = np.zeros((n, T))
        out[k][:, -1:] = v
    out["taxable_income_usd"] = np.broadcast_to(taxable, (n, T)).copy()
    out["income_tax_usd"] = np.broadcast_to(tax, (n, T)).copy()
    out["net_cash_flow_usd"] = (out["revenue_usd"] + out["residual_value_usd"] - out["total_capex_usd"]
                                - out["total_opex_usd"] - out["income_tax_usd"])
