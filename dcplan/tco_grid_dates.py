"""The TCO's grid phases on the calendar: the month a delayed phase first powers GPUs, by dcplan.grid's rule.

:func:`dcplan.grid.capacity_timeline` (the interconnection notebook) dates a pending phase under a
grid delay of ``d`` months at ``filed + (planned months from filing + d)`` (:func:`dcplan.grid._energized`,
to the day) and counts it from the first month that starts on or after that date. The TCO runs its
delay in whole months (:func:`dcplan.tco_input_types.whole_months`, for the purchases); adding the
rounded delay to the phase's planned month put power a month early or late (northern-virginia at its
median delay of 19.08 months: energized 2028-08-04, power from September 2028, not August). So a
dated case (``TcoInputs.grid_dates``, filled by :func:`dcplan.tco_inputs.inputs_from_site` from the
site's ``interconnection:``) moves each pending grid phase by :func:`energized_shift`: the months between
the first month on or after its planned date and the first month on or after its delayed date, the
delay as computed (not rounded). An undated grid phase (a ``TcoInputs`` built by hand) moves by the
delay in whole months, as before.

This is the month rule of :mod:`dcplan.grid_ramp` (a month partly powered is a month of waiting). The delay a
dated case states in whole months (:func:`delay_whole_months`: its label, ``grid_delay_p50_months``, the
tranches beyond all the contracted capacity, :func:`dcplan.tco_delay.median_delay_case`, the Assumptions table,
the export's Summary, the tornado and Monte Carlo notes, the horizon checks) is the months its first pending
phase's first powered month moves: northern-virginia's median 19.08 months are 20 (2027-01 to 2028-09), its
90th percentile 53.05 months 54 (energized 2031-06-02: 2027-01 to 2031-07), not rounded half up (19, 53).

The delay is dcplan.grid's, in calendar months: the time to power and the plan's months from filing to the first
pending phase (its slack) both counted as calendar months from the filing date, not as 30.4375-day months
(dcplan.grid's "One month, stated once": Chicago's median 28.794 calendar months would read 28.883).
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .tco_input_types import month_on_or_after, whole_months

__all__ = ["grid_dates", "energized_shift", "entry_shifts", "delay_whole_months", "delay_months_note"]


def grid_dates(interconnection, fleet) -> tuple | None:
    """``TcoInputs.grid_dates`` of a site: ``((offset_months, filed, planned), ...)`` of each pending
    interconnection phase with capacity (the ``grid_phases`` entries the delay moves, their offsets as
    :func:`dcplan.tco_inputs.grid_phases` counts them: whole months from the fleet's first month),
    ``filed`` and ``planned`` as ISO dates; None without an ``interconnection:`` section or fleet phases.
    A request without ``phases`` is one phase planned at the filing date (:mod:`dcplan.grid`)."""
    if interconnection is None or not getattr(fleet, "phases", None):
        return None
    from .grid import _phases
    first = month_on_or_after(min(p.start for p in fleet.phases)).ordinal
    filed = pd.Timestamp(interconnection.filed)
    return tuple((float(month_on_or_after(planned).ordinal - first), filed.date().isoformat(),
                  pd.Timestamp(planned).date().isoformat())
                 for planned, _mw, _firm, _label, live in _phases(interconnection) if not live)


def energized_shift(filed, planned, delay) -> np.ndarray:
    """Whole months a pending phase planned on ``planned`` (filed ``filed``) moves under a grid delay of
    ``delay`` months (not rounded; a number or an array): the first month on or after its delayed date
    (:func:`dcplan.grid._energized`, as :func:`dcplan.grid.capacity_timeline` counts it) less the first
    month on or after ``planned``. [months]

    >>> float(energized_shift("2024-06-01", "2027-01-01", 19.08327))   # 2028-08-04: power from September
    20.0
    >>> float(energized_shift("2025-01-15", "2025-01-15", 37.51))      # 2028-03-01: from March, Feb 2025 + 37
    37.0
    """
    d = np.asarray(delay, dtype=float)
    base = month_on_or_after(planned).ordinal
    res = _energized_month(filed, planned, d) - base
    return float(res) if res.ndim == 0 else res


def _energized_month(filed, planned, d: np.ndarray) -> np.ndarray:
    """``month_on_or_after(dcplan.grid._energized(planned, False, d, filed)).ordinal`` for every ``d``,
    vectorized (a Monte Carlo draws thousands of delays): :func:`dcplan.grid._add_months` of ``x = L + d``
    (``L`` the planned months from filing) is ``base_w`` (filed + ``w = floor(x)`` months) plus
    ``r = round((x - w) * span_w)`` days, ``span_w`` the days to the next such date; its month on or after is
    base_w's month when ``r`` is 0 and base_w a month start, the month after while the date is at most that
    month's start (``r <= days_to``), else the one after that. A delay of 0 is the planned date itself."""
    from .grid import _months_between
    filed = pd.Timestamp(filed)
    lead = _months_between(filed, planned)
    x = lead + d                                       # as dcplan.grid._energized adds them
    w = np.floor(x)
    out = np.empty(d.shape, dtype=float)
    for wv in np.unique(w):
        sel = w == wv
        month, first, days_to, span = _whole_months_on(filed, int(wv))
        r = np.round((x[sel] - wv) * span)
        out[sel] = np.where((r == 0) & first, month, np.where(r > days_to, month + 2, month + 1))
    return np.where(d == 0, month_on_or_after(planned).ordinal, out)


@functools.lru_cache(maxsize=4096)
def _whole_months_on(filed: pd.Timestamp, months: int) -> tuple[int, bool, int, int]:
    """Of ``b = filed + months`` whole months (:func:`dcplan.grid._add_months`, clipped day): its month's
    ordinal, whether ``b`` is that month's first day, the days from ``b`` to the next month's start, and the
    days from ``b`` to ``filed + months + 1`` (the span a fraction of a month is counted in). Cached: a TCO's
    cases and Monte Carlo draws ask for the same few dozen months thousands of times (pandas' calendar
    arithmetic, about 0.1 ms each, was 0.4 s of a site's TCO)."""
    from .grid import _add_months
    b = _add_months(filed, float(months))
    span = (filed + pd.DateOffset(months=months + 1) - b).days
    m = b.to_period("M")
    return m.ordinal, bool(b == m.to_timestamp()), ((m + 1).to_timestamp() - b).days, span


def entry_shifts(inputs, entries, delay) -> list:
    """The months each of ``entries`` (:func:`dcplan.tco_ramp.grid_entries` of ``inputs.grid_phases``) moves
    under the grid delay ``delay`` (months as computed, a number or ``(n, 1)``): 0 for a phase in service; a
    pending phase with a date in ``inputs.grid_dates`` (matched on its offset, in order) by
    :func:`energized_shift`; any other by ``delay`` in whole months."""
    d = np.asarray(delay, dtype=float)
    dw = whole_months(d)
    pool: dict[float, list] = {}
    for off, filed, planned in (getattr(inputs, "grid_dates", None) or ()):
        pool.setdefault(float(off), []).append((filed, planned))
    out = []
    for off, _frac, moves in entries:
        if not moves:
            out.append(0.0 * d)
        elif pool.get(float(off)):
            filed, planned = pool[float(off)].pop(0)
            out.append(energized_shift(filed, planned, d))
        else:
            out.append(dw)
    return out


def delay_whole_months(inputs, delay):
    """The grid delay ``delay`` [months, as computed; a number or an array] in whole months as a case runs it
    (the month rule, :mod:`dcplan.grid_ramp`): with ``inputs.grid_dates`` (a site's case), the months the first
    pending phase's first powered month moves (:func:`energized_shift`; a partly powered month is not counted);
    without (a ``TcoInputs`` built by hand, or ``inputs`` None: no dates to count from), ``delay`` rounded half
    up (:func:`dcplan.tco_input_types.whole_months`). [months]

    Why an undated case rounds half up: the rule needs the date power arrives, and a case without
    ``grid_dates`` has none (no filing date, no planned date, only offsets in months), so there is no month
    start to count from; its ramp moves every tranche by the rounded delay, so its labels state that (a hand
    case's figures are unchanged by the rule). Every site's case is dated (:func:`grid_dates`).

    >>> from dcplan.tco_input_types import TcoInputs
    >>> nv = TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5,
    ...                grid_phases=((0, 0.5), (18, 0.5)),
    ...                grid_dates=((0.0, "2024-06-01", "2027-01-01"), (18.0, "2024-06-01", "2028-07-01")))
    >>> delay_whole_months(nv, 19.08327), delay_whole_months(nv, 0.0)
    (20.0, 0.0)
    >>> delay_whole_months(TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5), 19.08327)
    19.0
    """
    dates = getattr(inputs, "grid_dates", None)
    if not dates:
        return whole_months(delay)
    _off, filed, planned = dates[0]                    # the first pending phase, as dcplan.grid anchors the delay
    return energized_shift(filed, planned, delay)


def delay_months_note(inputs, delay) -> str:
    """How ``delay`` [months, as computed] becomes :func:`delay_whole_months`, in words, for a label:
    ``"dcplan.grid's 19.08 months put the first pending phase (planned 2027-01-01) on 2028-08-04: GPUs run from
    2028-09 (a month partly powered is not counted), 20 months after 2027-01"``; an undated case: rounded half
    up; ``""`` when no rounding or dating moves it."""
    used = float(delay_whole_months(inputs, delay))
    dates = getattr(inputs, "grid_dates", None)
    if not dates:
        return "" if used == float(delay) else f"dcplan.grid's {float(delay):.2f} months rounded half up"
    if float(delay) == 0:
        return ""
    from .grid import _energized
    from .grid_ramp import powered_from
    _off, filed, planned = dates[0]
    on = _energized(planned, False, float(delay), filed)
    # a site file without interconnection.phases: the requested MW is one phase planned at filing (dcplan.grid)
    at_filing = (", the filing date: the site file gives no interconnection.phases, so the requested MW is "
                 "planned at filing") if str(planned) == str(filed) else ""
    return (f"dcplan.grid's {float(delay):.2f} months put the first pending phase (planned {planned}{at_filing}) on "
            f"{on:%Y-%m-%d}: GPUs run from {powered_from(on)} (a month partly powered is not counted), "
            f"{used:.0f} months after {powered_from(planned)}")

