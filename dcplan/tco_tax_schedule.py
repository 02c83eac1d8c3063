"""An income-tax rate that changes by calendar year: a site's ``finance.tax_rate_frac`` schedule.

A rate set by statute can change on a known date: North Carolina's corporate income tax falls from 2.25 % (2025)
to 2 % (2026-27), 1 % (2028-29) and 0 % after 2029 (G.S. 105-130.3; data/SOURCES.md, "North Carolina's
phase-down"). A site gives such a rate as a mapping of calendar year to rate::

    finance:
      tax_rate_frac: {2025: 0.227775, 2026: 0.2258, 2028: 0.2179, 2030: 0.21}

Each rate applies from 1 January of its year until the next listed year; before the first listed year the first
rate, after the last the last. A plain number is one rate for every year, as before (bit-identical results).

How the TCO uses it (:func:`dcplan.tco_cashflows.cash_flow_lines`): the model's tax years are its project years
(12 months from the project start), and it taxes each one's taxable income (revenue - opex - depreciation, the
residual sale's gain in the tax year of the sale) at the rate of the calendar year in which that tax year **begins**,
``tax_y = r(calendar year of the tax year's first month) x taxable_y``, spread evenly over its 12 months. That is
how the statutes set a rate that changes: G.S. 105-130.3 gives North Carolina's "Taxable Years Beginning In 2025
2.25 %, In 2026 2 %, In 2028 1 %, After 2029 0 %" (the schedule as quoted in N.C. H.B. 711, 2025), so a tax year
from July 2027 to June 2028 pays 2 % on all of it, for an owner whose tax year is the project year. (Until 2026-12
the model taxed each month's twelfth at its own calendar year's rate whatever the owner's tax year: right for a
calendar-year taxpayer, now ``tax_year_start_month`` 1 below; research-triangle-nc's NPV was about 395,000 USD
higher. A federal rate change is blended by days under 26 U.S.C. 15 instead; the federal rate is constant
here.) A loss year is offset against the owner's other income of the same year
(:data:`dcplan.tco_tax.TAX_LOSS_TREATMENT`; no carryforward), so its saving is at its year's rate too; the residual
sale's gain is taxed in the owner's tax year of the sale (the horizon's last month), at its rate. The schedule needs a
dated case (``TcoInputs.fleet_start``: the calendar of the model months).

The owner's tax year (``finance.tax_year_start_month``, ``TcoInputs.tax_year_start_month``): the rule above is that
of an owner whose tax year is the project year (the default, None: the project's start month). An owner that files
on another tax year, a calendar-year taxpayer (most corporations: 1, January), has its own tax years: a model month
of calendar month ``mo`` in year ``y`` belongs to the tax year beginning in ``y`` if ``mo >= start`` else ``y - 1``,
and its twelfth of its project year's taxable income pays that year's rate, ``tax_m = r(tax year of m) x taxable_y /
12`` (:func:`tax_years`). With 1 every month pays its own calendar year's rate: a project year from July 2026 under
``{2026: 0.20, 2027: 0.10}`` pays 0.20 on its July-December half and 0.10 on its January-June half.

The owner's tax years also set the tax depreciation, with one rate as with a schedule (:func:`tax_year_lead_months`,
:func:`dcplan.tco_cashflows.cash_flow_lines`): MACRS year 1 is the owner's tax year the property is placed in
service, half a year's deduction whatever its month (half-year convention, IRS Pub 946 Table A-1) unless the
mid-quarter convention applies to that tax year (below), bonus depreciation in that tax year, the 39-year shell's
mid-month convention in the month of that tax year (Table A-7a). A calendar-year owner's 1,000,000 USD of 5-year
property placed in service in July 2027 deducts 200,000 USD in 2027, 320,000 in 2028, 192,000, 115,200, 115,200 and
57,600 in 2029-32 (a project-year owner: the same amounts in the project years from July). When the lead ``L``
(months of the owner's first tax year before the project start) is not 0 the horizon's ``12 H`` months reach ``H +
1`` tax years, the first (``12 - L`` months) and the last (``L``) cut by it: the first deducts its whole amount, the
last, the tax year of the horizon's sale, that of the year of disposition (:mod:`dcplan.tco_conventions`), and the
sale is taxed on the gain over the basis left in the ``L`` months of that tax year within the horizon. A tax year's
deduction is booked evenly over its months within the horizon (the first's 200,000 over July-December 2027, 33,333 a
month; then 26,667 a month of 2028) and each month's tax is ``r_m x ((revenue_y - opex_y) / 12 - dep_m)``: the
project year's income before depreciation spread as before, the deduction in its own tax year's months and at that
year's rate. The project-year lines (the CashFlow's) are the sums of their months. The mid-quarter convention (IRC
§168(d)(3): more than 40 % of a tax year's MACRS basis placed in service in its last quarter; Pub 946 Tables A-2 to
A-5) is tested on the owner's tax years and their quarters, and applied (:mod:`dcplan.tco_conventions`); the report
names the years and what it did to their first-year depreciation (:func:`dcplan.tco_tax.mid_quarter_note`; a November
project of a calendar-year owner places everything in its first tax year's last quarter: 5-year property 5 %, 38 %,
... of Table A-5 instead of 20 %, 32 %, ...).

Tornado, Monte Carlo and ranges: the model's scalar input ``tax_rate_frac`` (``TcoInputs.params()``) is the
schedule's **last** rate, the one it settles at (the rate of most project years of a phase-down), called its
anchor here. A value ``x`` drawn or swung for ``tax_rate_frac`` shifts every year's rate by the same amount,
``s = x - anchor``, the schedule's shape (the statute's steps) kept and its level moved, as a range of one constant
rate moves that rate, **but never past the range's end in the direction of the shift**: the range
(``data/costs.csv``'s, 0.21 federal only to 0.30085 with New Jersey's 11.5 %, or a site's
``finance.ranges.tax_rate_frac``; a tornado's ``(low, high)``, a Monte Carlo distribution's support) is a range of
the *combined* rate, and a shifted year above its high end would be a combined rate above the highest it admits
(North Carolina's 2026 rate, 0.2258, shifted by 0.30085 - 0.21 would be 0.3167, above New Jersey's 0.30085)::

    r_x(y) = min(r(y) + s, max(high, r(y)))   for s > 0
    r_x(y) = max(r(y) + s, min(low, r(y)))    for s < 0
    r_x(y) = r(y)                             for s = 0 (the base case, bit for bit)

A year already beyond the end is not moved the other way (its own rate bounds it), and the anchor year takes ``x``
itself (the ends are widened to ``x``, a caller's value outside its range). So North Carolina's high-end case is
0.30085 in every year; a draw of 0.25 gives 2026 ``min(0.2258 + 0.04, 0.30085) = 0.2658``. The ends reach
:func:`shifted_rates` from the tornado's range of ``tax_rate_frac`` and the Monte Carlo distribution's support
(:func:`dcplan.tco_uncertainty.tornado`, :func:`~dcplan.tco_uncertainty.monte_carlo`), else the case's range
(:func:`case_range`: the site's own, else ``data/costs.csv``'s). With ends in [0, 1) every shifted rate is in
[0, 1) (:func:`range_shift_problem`). Setting a constant instead (``TcoInputs.with_costs(tax_rate_frac=x)``, a
sweep's ``finance.tax_rate_frac: x``, a caller's ``inputs_from_site(costs={"tax_rate_frac": x})``) replaces the
schedule: the caller's value, for every year.
"""
from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np

__all__ = ["TAX_YEAR_MIN", "TAX_YEAR_MAX", "schedule_problem", "as_schedule", "anchor_rate", "rate_in_years",
           "case_range", "shifted_rates", "schedule_text", "shift_text", "range_shift_problem",
           "start_before_schedule_message", "MONTH_NAMES", "start_month_problem", "tax_years", "tax_year_text",
           "tax_year_lead_months", "tax_year_labels"]

#: Earliest and latest calendar year a schedule may list: a dated case starts in this century and runs at most
#: 20 years (dcplan.specs.finance.HORIZON_MAX_YEARS); 1990-2100 holds any such case, and a year outside it
#: (25, 20250) is a slip. A dcplan choice (2026).
TAX_YEAR_MIN, TAX_YEAR_MAX = 1990, 2100
#: What a rate may be: as a plain ``tax_rate_frac`` (dcplan.tco_input_types._BOUNDS).
_RATE_WHAT = "a fraction in [0, 1)"
#: The form of a schedule, for messages.
SCHEDULE_FORM = "a mapping of calendar year to rate, e.g. {2025: 0.227775, 2026: 0.2258}"


#: The calendar months' names, January first (``MONTH_NAMES[m - 1]`` for month number ``m``).
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
#: What ``finance.tax_year_start_month`` may be, for messages.
START_MONTH_WHAT = ("a month number, 1 (January) to 12 (December), the month the owner's tax year begins (1: a "
                    "calendar-year taxpayer), or left out for the project's start month (a tax year that is the "
                    "project year)")


def start_month_problem(v) -> str | None:
    """Why ``v`` is not a tax year's first month (``finance.tax_year_start_month``), or None: None (the project's
    start month) or an integer 1-12, not a bool, a fraction or text (a month's name gets its number as a hint).

    >>> start_month_problem(1) is None and start_month_problem(None) is None
    True
    >>> start_month_problem("jan")[-51:]
    "got 'jan' (write the month's number: 1 for January)"
    """
    if v is None:
        return None
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) and 1 <= int(v) <= 12:
        return None
    hint = ""
    if isinstance(v, str):
        named = [i + 1 for i, n in enumerate(MONTH_NAMES) if v.strip() and n.lower().startswith(v.strip().lower())]
        if len(named) == 1:
            hint = f" (write the month's number: {named[0]} for {MONTH_NAMES[named[0] - 1]})"
        elif v.strip().isdigit():
            hint = f" (write the month as a number, {v.strip()}, not text)" if 1 <= int(v.strip()) <= 12 else ""
    return f"must be {START_MONTH_WHAT}, got {v!r}{hint}"


def tax_years(inputs) -> np.ndarray:
    """The tax year of each model month ``(M,)``, as the calendar year it begins in (``inputs``: a dated
    :class:`dcplan.tco_input_types.TcoInputs`): with ``tax_year_start_month`` ``s`` a month of calendar month
    ``mo`` in year ``y`` is in the tax year beginning in ``y`` if ``mo >= s`` else ``y - 1`` (1: its own calendar
    year); None (default): its project year's, the year of the project year's first month (module docstring)."""
    from .tco_input_types import calendar_months
    cal = calendar_months(inputs)                                    # the inputs' own calendar (an overrun's too)
    years = cal.year.to_numpy()
    start = getattr(inputs, "tax_year_start_month", None)
    if start is None:
        return years[(np.arange(years.size) // 12) * 12]             # each month: its project year's first month's
    return years - (cal.month.to_numpy() < int(start))


def tax_year_lead_months(inputs) -> int:
    """Months of the owner's first tax year before the project start, 0-11: ``(p - s) mod 12``, ``p`` the project's
    start month (the calendar month of model month 0; an undated case starts in a January) and ``s``
    ``tax_year_start_month``; 0 when the tax years are the project years (None, or ``s == p``). With a lead ``L``
    model month ``m`` is in the owner's tax year ``(m + L) // 12`` (0-based; 0 the one the project starts in), the
    horizon's ``12 H`` months reach ``H + 1`` tax years (the first and last cut by it) and the tax depreciation
    follows those years (:func:`dcplan.tco_cashflows.cash_flow_lines`).

    >>> from dcplan.tco_input_types import TcoInputs
    >>> tax_year_lead_months(TcoInputs(1, 1.0, 0.0, fleet_start="2027-07-01", tax_year_start_month=1,
    ...                                costs={"build_months": 0.0}))   # July project, calendar-year owner
    6
    """
    start = getattr(inputs, "tax_year_start_month", None)
    if start is None:
        return 0
    from .tco_input_types import calendar_months
    cal = calendar_months(inputs)
    first = 1 if cal is None else int(cal[0].month)
    return (first - int(start)) % 12


def tax_year_labels(inputs) -> list[str] | None:
    """The column names of the owner's tax years the horizon reaches when they are not the project years
    (:func:`tax_year_lead_months` > 0): ``tax_year_<YYYY>``, the calendar year each begins in (dated; the first
    begins before the project), or ``tax_year_1 .. tax_year_<H + 1>`` (undated); None when the tax years are the
    project years (the columns ``year_1 .. year_H``)."""
    lead = tax_year_lead_months(inputs)
    if not lead:
        return None
    H = int(inputs.horizon_years)
    if getattr(inputs, "fleet_start", None) is None:
        return [f"tax_year_{t}" for t in range(1, H + 2)]
    ty = tax_years(inputs)                       # the year each month's tax year begins in
    first = np.arange(H + 1) * 12 - lead         # each tax year's first model month (the first's before month 0)
    return [f"tax_year_{int(ty[max(f, 0)])}" for f in first]


def tax_year_text(inputs) -> str:
    """``"tax years from July, the project's start month: each tax year a project year"`` or ``"tax years from
    January, tax_year_start_month 1"``: the owner's tax year, for the Assumptions rows and caveats."""
    start = getattr(inputs, "tax_year_start_month", None)
    if start is None:
        from .tco_input_types import calendar_months
        return (f"tax years from {MONTH_NAMES[calendar_months(inputs)[0].month - 1]}, the project's start month: "
                "each tax year a project year")
    return f"tax years from {MONTH_NAMES[int(start) - 1]}, tax_year_start_month {int(start)}"


def _is_number(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


def _pairs(v) -> list | None:
    """``v``'s ``(year, rate)`` pairs: a mapping's items or a sequence of pairs; None for anything else."""
    if isinstance(v, Mapping):
        return list(v.items())
    if isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
        return None
    try:
        out = [tuple(p) for p in v]
    except TypeError:
        return None
    return out if all(len(p) == 2 for p in out) else None


def schedule_problem(v) -> str | None:
    """Why ``v`` (a mapping, or a sequence of ``(year, rate)`` pairs) is not a tax-rate schedule, or None: at
    least one entry; each year an integer in [:data:`TAX_YEAR_MIN`, :data:`TAX_YEAR_MAX`] (not a bool or text),
    listed in ascending order (a repeated year is refused by the YAML reader, and here as not ascending); each
    rate a finite number in [0, 1) (a percentage, 21, gets the hint to write 0.21). The message starts with the
    year at fault, ``"2026: ..."``.

    >>> schedule_problem({2025: 0.227775, 2030: 0.21}) is None
    True
    >>> schedule_problem({2026: 0.2258, 2025: 0.227775})[:77]
    '2025: years must be listed in ascending order, each once, got 2025 after 2026'
    >>> schedule_problem({2026: 21})
    '2026: must be a fraction in [0, 1), got 21 (a fraction: 0.10 for 10 %; for 21 % write 0.21)'
    """
    items = _pairs(v)
    if not items:
        return f"must be a number in [0, 1) or {SCHEDULE_FORM}; got {v!r}"
    prev = None
    for y, r in items:
        if not isinstance(y, (int, np.integer)) or isinstance(y, (bool, np.bool_)):
            digits = isinstance(y, str) and y.strip().isdigit()
            hint = f" (write the year as a number, {y.strip()}, not text)" if digits else ""
            return f"{y!r}: a year must be an integer calendar year in {TAX_YEAR_MIN}-{TAX_YEAR_MAX}, got {y!r}{hint}"
        if not TAX_YEAR_MIN <= int(y) <= TAX_YEAR_MAX:
            return f"{y}: a year must be a calendar year in {TAX_YEAR_MIN}-{TAX_YEAR_MAX}, got {y}"
        if prev is not None and int(y) <= prev:
            return (f"{y}: years must be listed in ascending order, each once, got {y} after {prev} "
                    f"(allowed: {SCHEDULE_FORM})")
        prev = int(y)
        if not _is_number(r) or not math.isfinite(float(r)) or not 0.0 <= float(r) < 1.0:
            from ._text import percent_hint
            hint = percent_hint(r) if _is_number(r) and math.isfinite(float(r)) else ""
            return f"{y}: must be {_RATE_WHAT}, got {r!r}{hint}"
    return None


def as_schedule(v) -> tuple[tuple[int, float], ...]:
    """``v`` (a checked mapping or sequence of ``(year, rate)``) as stored: ``((year, rate), ...)``, ascending."""
    items = v.items() if isinstance(v, Mapping) else v
    return tuple((int(y), float(r)) for y, r in items)


def anchor_rate(schedule) -> float:
    """The schedule's last rate, the one it settles at: the value of the scalar input ``tax_rate_frac``, which a
    tornado end or Monte Carlo draw shifts the whole schedule from (module docstring)."""
    return float(schedule[-1][1])


def rate_in_years(schedule, years) -> np.ndarray:
    """The rate of each calendar year in ``years``: the last listed year's rate at or before it, the first rate
    before the first listed year.

    >>> rate_in_years(((2025, 0.227775), (2026, 0.2258), (2028, 0.2179), (2030, 0.21)), [2024, 2027, 2029, 2031])
    array([0.227775, 0.2258  , 0.2179  , 0.21    ])
    """
    ys = np.array([y for y, _ in schedule])
    rs = np.array([r for _, r in schedule])
    idx = np.searchsorted(ys, np.asarray(years), side="right") - 1
    return rs[np.clip(idx, 0, None)]


def case_range(inputs) -> tuple[float, float]:
    """The range of ``tax_rate_frac`` a case's shift is bounded by when the caller gives none (a direct
    :func:`dcplan.tco.evaluate` with per-case ``tax_rate_frac``, an Assumptions row): the one the tco notebook's
    tornado and Monte Carlo take, :func:`dcplan.tco_ranges.default_ranges` (the site's own
    ``finance.ranges.tax_rate_frac``, else ``data/costs.csv``'s 0.21-0.30085, widened to contain the anchor)."""
    from .tco_ranges import default_ranges  # (imports dcplan.tco, which imports this module's importers)
    a = float(inputs.params()["tax_rate_frac"])
    return tuple(float(v) for v in default_ranges(inputs, keys=["tax_rate_frac"]).get("tax_rate_frac", (a, a)))


def _clipped(base, shift, x, low, high) -> np.ndarray:
    """``base`` (each year's rate) shifted by ``shift`` (``x - anchor``), never past the range's end in the shift's
    direction (module docstring); the ends widened to ``x``; a shift of 0 returns ``base`` itself."""
    hi = np.maximum(np.asarray(high, dtype=float), x)
    lo = np.minimum(np.asarray(low, dtype=float), x)
    moved = base + shift
    return np.where(shift > 0.0, np.minimum(moved, np.maximum(hi, base)),
                    np.where(shift < 0.0, np.maximum(moved, np.minimum(lo, base)), base))


def shifted_rates(schedule, month_years, rate, bounds) -> np.ndarray:
    """Each model month's rate ``(n or 1, M)``: the schedule's rate of the calendar year ``month_years`` gives it
    (``(M,)``; :func:`dcplan.tco_tax_lines.month_tax_rates` passes the year its tax year begins in)
    shifted by ``rate - anchor`` (``rate``: the scalar ``tax_rate_frac`` of each case, ``(n or 1, 1)``; the base case's
    is the anchor, a shift of exactly 0, its rates unchanged bit for bit), never past ``bounds`` in the shift's
    direction: ``(low, high)``, the range ``rate`` is taken from (each a number or ``(n, 1)``; module docstring).
    A rate outside [0, 1) (ends outside it) is an ``InputError``.

    >>> nc = ((2025, 0.227775), (2026, 0.2258), (2028, 0.2179), (2030, 0.21))
    >>> shifted_rates(nc, [2025, 2026, 2028, 2030], [[0.30085], [0.25]], (0.21, 0.30085)).round(6)
    array([[0.30085 , 0.30085 , 0.30085 , 0.30085 ],
           [0.267775, 0.2658  , 0.2579  , 0.25    ]])
    """
    base = rate_in_years(schedule, month_years)[None, :]
    x = np.asarray(rate, dtype=float).reshape(-1, 1)
    shift = x - anchor_rate(schedule)
    out = _clipped(base, shift, x, *bounds)
    bad = (out < 0.0) | (out >= 1.0)
    if np.any(bad):
        from .errors import InputError
        i, m = (int(a[0]) for a in np.nonzero(bad))
        xi = float(x[i if x.size > 1 else 0, 0])
        raise InputError(_shift_words(schedule, xi, int(month_years[m]), float(out[i, m]))
                         + "; narrow the range of tax_rate_frac", field="tax_rate_frac")
    return out


def _shift_words(schedule, x: float, year: int, shifted: float) -> str:
    """How a shift of ``schedule`` to the value ``x`` is refused: its ``year``'s rate would be ``shifted``."""
    a = anchor_rate(schedule)
    return (f"{x:g} shifts the tax-rate schedule ({schedule_text(schedule)}) by {x - a:+g} (from its last rate, "
            f"{a:g}): its {year} rate would be {shifted:g}, outside {_RATE_WHAT}")


def range_shift_problem(schedule, low: float, high: float) -> tuple[str, str] | None:
    """``(end, message)`` when a range end of ``tax_rate_frac`` (``low``, ``high``: a tornado end, the bounds of
    a Monte Carlo draw) shifts a listed year's rate of ``schedule`` outside [0, 1) (:func:`shifted_rates` would
    refuse it in the tco notebook's tornado); else None. A shift stops at the range's end in its direction (module
    docstring): up, a year's rate is at most ``max(high, r) < 1`` when ``high < 1`` (every ``r < 1``); down, at least
    ``min(low, r) >= 0`` when ``low >= 0``. So a range refuses only when an end is itself outside [0, 1), which
    the range's own checks refuse first (``finance.ranges``: what the input allows); kept for a caller's unchecked
    ends. (Before the shift stopped at the ends, a tax holiday to 2030 then 25 % under data/costs.csv's
    0.21-0.30085 was refused: its 2026 rate 0 - 0.04.) Checked as a site loads
    (:func:`dcplan.specs.finance_ranges.range_base_problems`).

    >>> range_shift_problem(((2026, 0.0), (2031, 0.25)), 0.21, 0.30085) is None   # a tax holiday to 2030
    True
    >>> end, why = range_shift_problem(((2026, 0.0), (2031, 0.25)), -0.05, 0.30085)
    >>> end, why[why.index("its 2026"):why.index("; allowed")]
    ('low', 'its 2026 rate would be -0.05, outside a fraction in [0, 1)')
    """
    a = anchor_rate(schedule)
    years = [y for y, _ in schedule]
    for end, x in (("low", float(low)), ("high", float(high))):
        out = _clipped(rate_in_years(schedule, years), x - a, x, float(low), float(high))
        bad = next(((y, float(r)) for y, r in zip(years, out) if not 0.0 <= r < 1.0), None)
        if bad is not None:
            return end, (_shift_words(schedule, x, bad[0], bad[1]) + "; allowed: a range of tax_rate_frac with "
                         "low >= 0 and high < 1 (the tornado and Monte Carlo shift every year's rate by the value "
                         "less the last rate, never past the range's end: dcplan.tco_tax_schedule)")
    return None


def start_before_schedule_message(inputs, where: str = "site") -> str | None:
    """The caveat when a case's project starts before its schedule's first listed year (``inputs``: a dated
    :class:`dcplan.tco_input_types.TcoInputs` with ``tax_rate_schedule``); None otherwise. Its tax years (project
    years) beginning before that year take the first rate (module docstring), which the schedule does not give for
    them: a statute's
    earlier rate may differ (North Carolina's was 2.5 % in 2024, 2.25 % in 2025). ``where``: the site file, for
    the message. :func:`dcplan.tco_inputs.inputs_from_site` warns of it (a ``DcplanWarning``).
    """
    sched = getattr(inputs, "tax_rate_schedule", None)
    if sched is None or getattr(inputs, "fleet_start", None) is None:
        return None
    from .tco_input_types import calendar_months
    cal = calendar_months(inputs)
    first_year, first_rate = sched[0]
    ty = tax_years(inputs)                              # the year each month's tax year begins in
    before = int(np.unique(ty[ty < first_year]).size)
    if not before:
        return None
    return (f"{where}: finance.tax_rate_frac: the TCO's project starts in {cal[0]} (the fleet's first start less "
            f"build_months), before the schedule's first year, {first_year}: its {before} tax year(s) beginning "
            f"before {first_year} ({tax_year_text(inputs)}) are taxed at that year's rate, "
            f"{first_rate:g}, which the schedule does not give for them; list the rate of {cal[0].year} if it "
            f"differs (a statute's earlier rate)")


def schedule_text(schedule, rates=None) -> str:
    """``"2025: 0.227775, 2026: 0.2258, 2028: 0.2179, 2030 on: 0.21"`` (``rates``: each listed year's rate
    instead, a shifted case's).

    >>> schedule_text(((2025, 0.227775), (2030, 0.21)))
    '2025: 0.227775, 2030 on: 0.21'
    """
    rates = [r for _, r in schedule] if rates is None else [float(r) for r in rates]
    parts = [f"{y}{' on' if i == len(schedule) - 1 else ''}: {r:.6g}" for i, ((y, _), r) in enumerate(zip(schedule,
                                                                                                       rates))]
    return ", ".join(parts)


def listed_rates(schedule, rate, bounds) -> np.ndarray:
    """Each listed year's rate ``(len(schedule),)`` in the case whose ``tax_rate_frac`` is ``rate``, taken from
    the range ``bounds`` (:func:`shifted_rates`)."""
    return shifted_rates(schedule, [y for y, _ in schedule], rate, bounds)[0]


def shift_text(schedule, bounds=None) -> str:
    """What a tornado end or Monte Carlo draw of ``tax_rate_frac`` does to the schedule, for the tables' source
    column; ``bounds``: the range swung or drawn, ``(low, high)``, whose ends' rates by year it lists.

    >>> t = shift_text(((2025, 0.227775), (2026, 0.2258), (2030, 0.21)), (0.21, 0.30085))
    >>> t[t.index("x shifts"):t.index(" (for x")]
    "x shifts every year's rate by x - 0.21, never past the range's end in the shift's direction"
    >>> t[t.index("x = 0.30085"):]
    'x = 0.30085 gives 2025: 0.30085, 2026: 0.30085, 2030 on: 0.30085 (dcplan.tco_tax_schedule)'
    """
    a = anchor_rate(schedule)
    ends = ""
    if bounds is not None:
        lo, hi = (float(v) for v in bounds)
        ends = f"; over the range {lo:g}-{hi:g}: " + "; ".join(
            f"x = {x:g} gives {schedule_text(schedule, listed_rates(schedule, x, (lo, hi)))}"
            for x in dict.fromkeys((lo, hi)))
    return (f"a schedule by calendar year ({schedule_text(schedule)}): the value here is its last rate ({a:g}); a "
            f"tornado end or Monte Carlo draw x shifts every year's rate by x - {a:g}, never past the range's end "
            f"in the shift's direction (for x above {a:g} a year's rate is at most max(high, its own), below at "
            f"least min(low, its own)){ends} (dcplan.tco_tax_schedule)")


#: Key prefix of the Assumptions rows that list a schedule's rates, one row per listed year:
#: ``tax_rate_frac_from_2025`` (:func:`schedule_rows`).
ROW_PREFIX = "tax_rate_frac_from_"


def schedule_rows(inputs, rate: float, source: str, status: str = "input", bounds=None) -> list[tuple]:
    """The Assumptions rows of a case's schedule (``inputs.tax_rate_schedule``), one per listed year:
    ``(key, value, unit, description, source, vintage, status)``, each rate as the case uses it (shifted by
    ``rate`` - anchor, never past the range's end, ``bounds`` or :func:`case_range`: 0 in the base case);
    ``[]`` without a schedule."""
    sched = getattr(inputs, "tax_rate_schedule", None)
    if sched is None:
        return []
    shift = float(rate) - anchor_rate(sched)
    if shift:
        bounds = case_range(inputs) if bounds is None else tuple(float(v) for v in bounds)
        rates = listed_rates(sched, float(rate), bounds)
    else:
        rates = [r for _, r in sched]
    rows = []
    owner = tax_year_text(inputs)
    for i, ((y, r), used) in enumerate(zip(sched, rates)):
        until = (f"until 31 December {sched[i + 1][0] - 1}" if i + 1 < len(sched) else "for every later year")
        before = " (and every year before it)" if i == 0 else ""
        moved = ""
        if shift:
            moved = f"; the schedule's rate {r:g} shifted by {shift:+g} (tax_rate_frac {float(rate):g})"
            if used != r + shift:  # stopped at the range's end (or left where it was, beyond it)
                end = ("high", bounds[1]) if shift > 0 else ("low", bounds[0])
                moved += f", held at {float(used):g}: not past the range's {end[0]} end, {end[1]:g}"
        rows.append((f"{ROW_PREFIX}{y}", float(used), "frac",
                     f"income tax rate of the tax years beginning from 1 January {y}{before} {until}: {owner}; "
                     f"each tax year's months are taxed at the rate of the calendar year it begins in, as "
                     f"G.S. 105-130.3's 'taxable years beginning in' (dcplan.tco_tax_schedule)" + moved,
                     source, "", status))
    return rows


def has_schedule_rows(assumptions) -> bool:
    """Whether an Assumptions table (``TcoResult.assumptions``) lists a tax-rate schedule (:func:`schedule_rows`)."""
    keys = assumptions["key"] if "key" in assumptions else assumptions.index
    return any(str(k).startswith(ROW_PREFIX) for k in keys)
