"""The TCO's electricity bill and calendar: the bill a run is given, the date its prices are at, and
the hours of each calendar month.

Part of the TCO model (:mod:`dcplan.tco_input_types` re-exports the bill's names):

* the bill a run is given, as 12 monthly costs (:func:`electricity_monthly_usd`) or per PV age
  (:class:`ElectricityByPvAge`);
* the **price date** of that bill (``TcoInputs.electricity_price_month``): the typical year is billed
  at the tariff's prices, which are those of its URDB ``startdate`` (:func:`tariff_price_date`; the
  ComEd file's 2027-06-01 carries PJM's 2027/28 capacity price), not of the project start. A dated
  case escalates the bill from that month in 12-month steps (:func:`price_years`): month ``m`` of the
  horizon pays ``(1 + electricity_escalation_frac) ** floor((calendar month of m - price month) / 12)``
  times its bill, so the 12 months from the price month pay the tariff's prices and a month before it
  is deflated by the same rate (a step a year). Without a price date (a flat site tariff, a file
  without ``startdate``) or an undated case the bill is at the project start's prices and escalates
  by project year, ``(1 + e) ** (project year - 1)``, as before price dates were read;
* the hours of each calendar month in the TCO's 365-day year (:data:`HOURS_BY_CALENDAR_MONTH`),
  which GPU-hours, revenue and tokens follow month by month, as the bill and the IT energy do.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .specs.solar import PV_DEGRADATION_MAX_FRAC_PER_YEAR

__all__ = ["ElectricityByPvAge", "electricity_monthly_usd", "electricity_by_pv_age_usd", "HOURS_BY_CALENDAR_MONTH",
           "tariff_price_date", "price_years", "electricity_price_offset_months", "electricity_offset_text",
           "electricity_price_note", "STALE_PRICE_MONTHS", "fleet_start_price_factor", "stale_price_date_message",
           "tariff_label", "rate_title", "price_escalation"]

#: Hours of each calendar month, January..December, in the TCO's 365-day year (February 28 days; they
#: sum to 8,760 h, the year of ``it_energy_kwh``): the GPU-hours, revenue and tokens of a month. [h]
HOURS_BY_CALENDAR_MONTH = tuple(24.0 * d for d in (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31))


def _short(v) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


#: A bill whose prices are dated more than this many months before the project start draws a DcplanWarning
#: (:func:`stale_price_date_message`). dcplan's choice, not a sourced figure: at the default escalation of 3 %/yr
#: three years are a factor 1.03 ** 3 = 1.093 on the whole bill, so beyond them the bill rests more on
#: ``electricity_escalation_frac`` than on the tariff's own prices; the bundled tariffs' prices are at most
#: 18 months older than their sites' project starts (APS 2024-03 before phoenix-az's 2025-10), and a tariff
#: with older prices is most likely an out-of-date URDB item. [months]
STALE_PRICE_MONTHS = 36


def tariff_label(tariff) -> str:
    """How a message names a tariff: ``tariff file <name>.json`` (a URDB file or a Tariff read from one),
    else ``tariff <its name>``."""
    if isinstance(tariff, (str, Path)):
        return f"tariff file {Path(tariff).name}"
    meta = dict(getattr(tariff, "metadata", None) or {})
    return f"tariff file {Path(meta['file']).name}" if meta.get("file") else f"tariff {getattr(tariff, 'name', '')!r}"


def rate_title(tariff) -> str:
    """How a label names the rate a bill is on: its URDB ``utility`` (or ``utilityname``) and rate ``name``,
    ``<utility> rate "<name>"`` (either alone where the other is absent), else :func:`tariff_label` (a flat
    tariff: ``tariff 'flat ...'``). The TCO's NPV labels (:func:`dcplan.tco_site.npv_tariff_clause`) and the portfolio's
    best-site caveat (:func:`dcplan.portfolio_robustness.best_superseded_text`) name it so.

    >>> from types import SimpleNamespace
    >>> rate_title(SimpleNamespace(name="x", metadata={"utility": "Duke Energy Carolinas, LLC", "name": "OPT-V"}))
    'Duke Energy Carolinas, LLC rate "OPT-V"'
    >>> rate_title(SimpleNamespace(name="flat 0.08 USD/kWh", metadata={}))
    "tariff 'flat 0.08 USD/kWh'"
    """
    meta = {str(k).lower(): v for k, v in (getattr(tariff, "metadata", None) or {}).items()}
    parts = [str(meta.get(k) or "").strip() for k in ("utility", "utilityname", "name")]
    who, name = parts[0] or parts[1], (f'rate "{parts[2]}"' if parts[2] else "")
    return " ".join(p for p in (who, name) if p) or tariff_label(tariff)


def tariff_price_date(tariff) -> tuple[str | None, str]:
    """The date a tariff's prices are at, and where that date comes from.

    A URDB tariff (:meth:`dcplan.tariff.Tariff.from_urdb`) keeps its item's ``startdate`` (and
    ``dcplan_startdate_note``, what the date is when it is assumed) in ``Tariff.metadata``: the
    prices are those in force from that date (the ComEd file's 2027-06-01, PJM's 2027/28 delivery
    year; Duke's assumed 2026-01-01; the RTP example's 2025-01-01, the year of its synthetic price
    series). A tariff without one (a flat site tariff, :meth:`~dcplan.tariff.Tariff.flat`, or a file
    without ``startdate``) has no price date: ``(None, why)``, and the TCO takes its prices as the
    project start's. ``tariff`` may also be a URDB JSON path (its first item's ``startdate``).

    Returns
    -------
    date : str or None
        ``YYYY-MM-DD``: ``startdate``'s date (:func:`dcplan.tariff_checks.startdate_day`: epoch seconds,
        URDB's form, as their UTC date, or an ISO date; anything else is an InputError), None without one.
    source : str
        The source text for ``TcoInputs.sources["electricity_price_month"]``.
    """
    if tariff is None:
        return None, "no tariff given: the bill is taken at the project start's prices"
    if isinstance(tariff, (str, Path)):
        doc = json.loads(Path(tariff).read_text(encoding="utf-8"))
        item = (doc.get("items") or [{}])[0] if isinstance(doc, dict) and "items" in doc else doc
        meta, name = (item if isinstance(item, dict) else {}), Path(tariff).name
    else:
        meta = dict(getattr(tariff, "metadata", None) or {})
        name = Path(meta["file"]).name if meta.get("file") else f"tariff {getattr(tariff, 'name', '')!r}"
    low = {str(k).lower(): v for k, v in meta.items()}
    d = low.get("startdate")
    if d in (None, ""):
        return None, (f"{name}: no startdate (price date) given, so its bill is taken at the project start's "
                      "prices and escalated by project year")
    from .tariff_checks import startdate_day  # epoch seconds (URDB's form) or ISO; not 01/06/2026
    day = startdate_day(d, next((str(k) for k in meta if str(k).lower() == "startdate"), "startdate"), str(name))
    note = low.get("dcplan_startdate_note")
    return day, f"{name} startdate {day}" + (f" ({note})" if note else " (the date its prices are in force from)")


def price_years(inputs, build, months: int) -> np.ndarray:
    """Whole years the bill of each model month ``0..months - 1`` is escalated by, ``(n_build or 1, months)``.

    A dated case with a price date (``TcoInputs.fleet_start`` and ``electricity_price_month``):
    ``floor((fleet_start - build + m - electricity_price_month) / 12)`` (calendar months; negative before
    the price month: deflated). Otherwise the project year less one, ``m // 12``. ``build``: whole
    months, a number or ``(n, 1)``. [yr]

    >>> from dcplan.tco_input_types import TcoInputs
    >>> inp = TcoInputs(8, 100.0, 1e5, fleet_start="2026-04-01", electricity_price_month="2027-06-01")
    >>> price_years(inp, 12, 28)[0, [0, 12, 13, 14, 25, 26, 27]]     # project start 2025-04
    array([-3., -2., -2., -1., -1.,  0.,  0.])
    """
    m = np.arange(months)[None, :]
    b = np.asarray(build, dtype=float).reshape(-1, 1)
    if inputs.fleet_start is None or inputs.electricity_price_month is None:
        return (m // 12).astype(float)
    lag = (inputs.fleet_start - inputs.electricity_price_month).n     # price month -> fleet start, months
    return np.floor_divide(lag - b + m, 12.0)


def fleet_start_price_factor(inputs) -> tuple[pd.Period, int, float] | None:
    """``(fleet start month, steps, factor)``: the 12-month escalation steps from the bill's price month to
    the fleet's start (``floor((fleet_start - electricity_price_month) / 12)``, negative before the price
    month) and the factor ``(1 + electricity_escalation_frac) ** steps`` its bill pays on the tariff's prices;
    None for an undated case or one without a price date.

    >>> from dcplan.tco_input_types import TcoInputs
    >>> fs, steps, factor = fleet_start_price_factor(TcoInputs(8, 100.0, 1e5, fleet_start="2026-10-01",
    ...                                                        electricity_price_month="2009-01-01"))
    >>> str(fs), steps, round(factor, 3)        # 213 months: 17 whole steps, 1.03 ** 17
    ('2026-10', 17, 1.653)
    """
    if inputs.fleet_start is None or inputs.electricity_price_month is None:
        return None
    steps, factor = price_escalation(inputs.electricity_price_month, inputs.fleet_start,
                                     float(inputs.params()["electricity_escalation_frac"]))
    return inputs.fleet_start, steps, factor


def price_escalation(price_date, at_date, escalation_frac: float) -> tuple[int, float]:
    """``(steps, factor)``: the TCO's escalation of a bill at the prices of ``price_date`` to the month of
    ``at_date``, the rule :func:`price_years` applies month by month and :func:`fleet_start_price_factor` at the
    fleet's start.

    ``steps = floor((month(at_date) - month(price_date)) / 12)``, whole 12-month steps in calendar months (negative
    before the price month: deflated), each date counted from the first whole month on or after it
    (:func:`dcplan.tco_input_types.month_on_or_after`, as ``TcoInputs.electricity_price_month`` and ``fleet_start``);
    ``factor = (1 + escalation_frac) ** steps``, the multiple of the bill a month of ``at_date``'s pays
    (``finance.electricity_escalation_frac``, data/costs.csv's 0.03 by default). [-]

    Parameters
    ----------
    price_date, at_date : date-like or pandas.Period
        The date the bill's prices are at (a tariff's ``startdate``: :func:`tariff_price_date`) and the date it is
        restated at.
    escalation_frac : float
        Electricity price escalation, > -1. [frac/yr]

    Examples
    --------
    >>> price_escalation("2024-03-08", "2027-06-01", 0.03)  # APS E-32 to ComEd's date: 2024-04 -> 2027-06, 38 months
    (3, 1.092727)
    """
    from .tco_input_types import month_on_or_after
    e = float(escalation_frac)
    if not math.isfinite(e) or e <= -1.0:
        raise InputError(f"must be a finite rate > -1 per year (0.03 for 3 %/yr), got {escalation_frac!r}",
                         field="electricity_escalation_frac")
    steps = int((month_on_or_after(at_date, field="at_date")
                 - month_on_or_after(price_date, field="price_date")).n // 12)
    return steps, (1.0 + e) ** steps


def stale_price_date_message(inputs, what: str, startdate) -> str | None:
    """The warning when the bill's prices are dated more than :data:`STALE_PRICE_MONTHS` before the
    project start (None otherwise, or for an undated case or one without a price date): it names
    ``what`` (the tariff file, :func:`tariff_label`), its ``startdate``, the years of escalation the TCO
    assumes to the fleet's start and their factor on the bill, and what to do.
    :func:`dcplan.tco_inputs.inputs_from_site` issues it as a :class:`~dcplan.errors.DcplanWarning`."""
    from .tco_input_types import calendar_months
    off = electricity_price_offset_months(inputs)
    if off is None or off >= -STALE_PRICE_MONTHS:
        return None
    fs, steps, factor = fleet_start_price_factor(inputs)
    e = float(inputs.params()["electricity_escalation_frac"])
    return (f"TCO electricity: {what} has startdate {startdate}, so its prices are taken as those of "
            f"{inputs.electricity_price_month}, {-off / 12:.1f} years before the project start ({calendar_months(inputs)[0]}; "
            f"dcplan warns beyond {STALE_PRICE_MONTHS // 12} years): the TCO escalates that bill {e:+.1%}/yr "
            f"(electricity_escalation_frac) for {steps} years to the fleet's start ({fs}), a factor {factor:.3f} "
            f"on the electricity bill, and on from there, so the electricity cost and the NPV rest on the assumed "
            f"escalation rather than on the tariff. Use a tariff in force at the project start (a current URDB "
            f"item), or check electricity_escalation_frac against the utility's rates since "
            f"{inputs.electricity_price_month.year}.")


def electricity_price_offset_months(inputs, build: float | None = None) -> float | None:
    """Months from the project start (model month 0) to the bill's price month, negative when the
    prices are older than the project start; None when the case has no price date or is undated."""
    from .tco_input_types import whole_months
    if inputs.fleet_start is None or inputs.electricity_price_month is None:
        return None
    b = whole_months(inputs.params()["build_months"] if build is None else build)
    return float((inputs.electricity_price_month - (inputs.fleet_start - int(b))).n)


def electricity_offset_text(inputs) -> tuple[float, str]:
    """``(months, description)`` of the Assumptions row ``electricity_price_month``: the months
    from the project start to the bill's price month (NaN without one) and how the bill is escalated."""
    from .tco_input_types import calendar_months
    off = electricity_price_offset_months(inputs)
    cal = calendar_months(inputs)
    if off is None:
        why = ("an undated case (no fleet_start)" if inputs.fleet_start is None
               else "the tariff gives no price date (startdate)")
        start = "" if cal is None else f", {cal[0]}"
        return math.nan, (f"months from the project start to the date of the tariff's prices: none, {why}: the "
                          f"typical-year bill is taken at the project start's prices (month 1{start}) and "
                          "escalated by electricity_escalation_frac by project year")
    p = inputs.electricity_price_month
    rel = "after" if off >= 0 else "before"
    return off, (f"months from the project start ({cal[0]}) to the month the tariff's prices are at ({p}, "
                 f"{abs(off):.0f} months {rel} it; the first whole month on or after the tariff's startdate): the "
                 f"typical-year bill is escalated by electricity_escalation_frac in 12-month steps from {p} ({p} to "
                 f"{p + 11} at the tariff's prices), the months before {p} deflated at the same rate, a step a year")


def electricity_price_note(inputs) -> str:
    """The sentence saying which date the bill's prices are at, how far that is from the project start
    and how the bill is escalated (the tco notebook prints it and passes it to the export's caveats)."""
    from .tco_assumptions import split_source_status
    from .tco_input_types import calendar_months
    e = inputs.params()["electricity_escalation_frac"]
    off = electricity_price_offset_months(inputs)
    cal = calendar_months(inputs)
    if off is None:
        start = f"the project start ({cal[0]})" if cal is not None else "the project start (an undated case)"
        why = ("the case is undated (no fleet_start)" if inputs.fleet_start is None
               else "the tariff gives no price date (startdate)")
        return (f"Electricity: {why}, so the typical-year bill is taken at the prices of {start} and escalated "
                f"{e:+.1%}/yr by project year from there.")
    p = inputs.electricity_price_month
    src = split_source_status(inputs.sources.get("electricity_price_month", "TcoInputs.electricity_price_month"))[0]
    rel = (f"{off:.0f} months after the project start ({cal[0]})" if off > 0 else
           f"{-off:.0f} months before the project start ({cal[0]})" if off < 0 else f"the project start ({cal[0]})")
    return (f"Electricity: the typical-year bill is at the tariff's prices of {p} ({src}), {rel}. It is "
            f"escalated {e:+.1%}/yr in 12-month steps from {p}: the months {p} to {p + 11} pay the tariff's "
            "prices, each 12 months later one step more, each 12 months earlier one step less (deflated at the "
            f"same rate). {_fleet_start_factor_text(inputs, e)}")


def _fleet_start_factor_text(inputs, e: float) -> str:
    """The sentence of :func:`electricity_price_note` on the factor the fleet's start pays."""
    fs, steps, factor = fleet_start_price_factor(inputs)
    return (f"The fleet's start ({fs}, the first month of operations on the plan) is {steps} step"
            f"{'' if abs(steps) == 1 else 's'} from {inputs.electricity_price_month}: its bill is {factor:.3f} times "
            f"the tariff's prices ({1 + e:g} ** {steps}).")


@dataclass(frozen=True)
class ElectricityByPvAge:
    """Electricity bills of the same typical year with the on-site PV aged year by year.

    PV output falls with age; a site with PV therefore buys more from the grid each year.
    Row ``a`` of ``monthly_usd`` is the bill (January..December, at the tariff's prices) with the
    PV in its ``a + 1``-th year of service, its output times ``1 - degradation_frac_per_year
    * a`` (:func:`dcplan.pipeline.electricity_by_pv_age` builds it). :func:`dcplan.tco.run_tco`
    bills month ``m`` with the row of the PV's age in that month, counted in whole years
    from the month it is placed in service (``build_months``); row 0 is the year-1 bill.

    Attributes
    ----------
    monthly_usd : ndarray, shape (n_ages, 12)
        Bill per calendar month at each PV age. [USD]
    degradation_frac_per_year : float
        Loss of PV output per year of age, a fraction of the year-1 output (linear). [1/yr]
    parts : dcplan.tco_bill_parts.BillParts, optional
        The year-1 bill's fixed charges, demand charges and the bill of no load: a partly built fleet pays
        the fixed charges and the contract-demand floor in full (:func:`dcplan.tco_bill_parts.partial_fleet_bill`).
        None: the whole bill is scaled by the operating share before full build-out.
    """

    monthly_usd: np.ndarray
    degradation_frac_per_year: float
    source: str = "caller: ElectricityByPvAge(degradation_frac_per_year=...)"
    vintage: str = ""
    status: str = "input"
    parts: object = None
    #: The :class:`dcplan.tariff.Tariff` the bills are on (None: not said); the TCO Assumptions rows of the bill
    #: take its price status from it (:func:`dcplan.input_status.tariff_price_status`).
    tariff: object = None

    def __post_init__(self):
        try:
            m = np.array(self.monthly_usd, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"need numbers (USD), got {_short(self.monthly_usd)}",
                             field="electricity.monthly_usd") from None
        if m.ndim != 2 or m.shape[0] < 1 or m.shape[1] != 12:
            raise InputError(f"need one row of 12 monthly bills per PV age, got shape {m.shape}",
                             field="electricity.monthly_usd")
        if not np.all(np.isfinite(m)):
            raise InputError("electricity cost must be finite", field="electricity.monthly_usd")
        for total in m.sum(axis=1):
            _bill_not_negative(float(total), "electricity.monthly_usd")
        d = self.degradation_frac_per_year
        if (isinstance(d, bool) or not isinstance(d, (int, float, np.integer, np.floating))
                or not 0.0 <= d <= PV_DEGRADATION_MAX_FRAC_PER_YEAR):
            raise InputError(f"must be a fraction per year in [0, {PV_DEGRADATION_MAX_FRAC_PER_YEAR:g}] (0.005 for "
                             f"0.5 %/yr), got {d!r}", field="electricity.degradation_frac_per_year")
        from .tco_bill_parts import BillParts
        if self.parts is not None and not isinstance(self.parts, BillParts):
            raise InputError(f"need a dcplan.tco_bill_parts.BillParts or None, got {type(self.parts).__name__}",
                             field="electricity.parts")
        corr = None if self.parts is None else self.parts.pv_correction_usd
        if corr is not None and corr.shape[0] not in (1, m.shape[0]):
            raise InputError(f"the PV correction covers {corr.shape[0]} PV ages, the bills {m.shape[0]}: need 1 "
                             "(the same at every age) or one per age (dcplan.tco_bill_parts.with_partial_pv_bills)",
                             field="electricity.parts.pv_correction_usd")
        m.setflags(write=False)
        object.__setattr__(self, "monthly_usd", m)
        object.__setattr__(self, "degradation_frac_per_year", float(d))


def electricity_by_pv_age_usd(electricity) -> np.ndarray:
    """Electricity cost per calendar month at each PV age, shape ``(n_ages, 12)``. [USD]

    An :class:`ElectricityByPvAge` gives its table, and so does an ``(n_ages, 12)`` array (a table by PV
    age and calendar month, as :func:`dcplan.tco_bill_parts.partial_fleet_bill` maps one onto the months);
    any other bill (see :func:`electricity_monthly_usd`) is the same at every age (one row).
    """
    if isinstance(electricity, ElectricityByPvAge):
        return electricity.monthly_usd
    if isinstance(electricity, np.ndarray) and electricity.ndim == 2:
        if electricity.shape[0] < 1 or electricity.shape[1] != 12 or not np.all(np.isfinite(electricity)):
            raise InputError(f"need a finite table of 12 calendar months per PV age, got shape {electricity.shape}",
                             field="electricity")
        return np.asarray(electricity, dtype=float)
    return electricity_monthly_usd(electricity)[None, :]


def electricity_monthly_usd(bill) -> np.ndarray:
    """Electricity cost per calendar month (Jan..Dec) of the typical year at the tariff's prices, from a bill. [USD]

    Accepts a ``dcplan.tariff`` Bill of one load over one year (``bill.monthly["total_usd"]``,
    12 calendar months, put in January..December order when indexed by months), a number
    (annual total, spread evenly), 12 monthly totals (January first) or an
    :class:`ElectricityByPvAge` (its year-1 row).
    """
    if isinstance(bill, ElectricityByPvAge):
        return bill.monthly_usd[0].copy()
    if bill is None or isinstance(bill, (str, bytes, bool)):
        raise InputError(f"need a Bill, an annual total (USD), 12 monthly totals or an ElectricityByPvAge, "
                         f"got {_short(bill)}", field="electricity")
    monthly = getattr(bill, "monthly", None)
    if monthly is not None:
        if not np.isscalar(getattr(bill, "total_usd", 0.0)):
            raise InputError("the bill holds several load scenarios; pass the bill of one load",
                             field="electricity")
        m = monthly["total_usd"] if isinstance(monthly, pd.DataFrame) else monthly
        if len(m) != 12:
            raise InputError(f"the bill covers {len(m)} months; need the bill of one year (12 months)",
                             field="electricity")
        idx = m.index if isinstance(m, pd.Series) else None
        if isinstance(idx, (pd.PeriodIndex, pd.DatetimeIndex)):
            if sorted(idx.month) != list(range(1, 13)):
                raise InputError(f"the bill's months are not the 12 calendar months: {list(idx)}",
                                 field="electricity")
            m = m.iloc[np.argsort(idx.month)]
        out = np.asarray(m, dtype=float)
    elif hasattr(bill, "total_usd"):
        out = np.full(12, float(bill.total_usd) / 12.0)
    elif np.ndim(bill) == 0:
        try:
            out = np.full(12, float(bill) / 12.0)
        except (TypeError, ValueError):
            raise InputError(f"need a Bill, an annual total (USD), 12 monthly totals or an "
                             f"ElectricityByPvAge, got {_short(bill)}", field="electricity") from None
    else:
        try:
            out = np.asarray(bill, dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"need a Bill, an annual total (USD), 12 monthly totals or an "
                             f"ElectricityByPvAge, got {_short(bill)}", field="electricity") from None
        if out.shape != (12,):
            raise InputError(f"need a Bill, an annual total or 12 monthly totals, got shape "
                             f"{out.shape}", field="electricity")
    if not np.all(np.isfinite(out)):
        raise InputError("electricity cost must be finite", field="electricity")
    _bill_not_negative(out.sum(), "electricity")
    return out


def _bill_not_negative(total_usd: float, field: str) -> None:
    """A year's electricity bill below zero is an error (a month may be a credit, the year may not)."""
    if total_usd < 0:
        raise InputError(f"the year's electricity bill is {total_usd:,.2f} USD: it must be >= 0 (a month may be a "
                         "credit, the year's total may not; a cost is positive)", field=field)

