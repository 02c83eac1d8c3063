"""Grid interconnection: time-to-power, deployment ramp, cost of waiting, capacity check.

Power is the lead time of an AI datacenter. This module answers *when* the
megawatts arrive (a distribution, not one date), *how many GPUs* they power each
month, *what waiting costs*, and whether a year of hourly facility power fits
inside the contracted capacity (and what would cover the excess).

Flexible-load headroom (the Duke "Rethinking Load Growth" method) is in
:mod:`dcplan.grid_headroom`, battery peak shaving in :mod:`dcplan.grid_battery`, the
capacity check in :mod:`dcplan.grid_capacity`, the lead-time tables and their model in
:mod:`dcplan.grid_lead_time`, the time to power's distribution (:func:`time_to_power_cdf`, :func:`time_to_power`)
in :mod:`dcplan.grid_time_to_power`, the ramp's GPU arithmetic (:func:`gpu_plan`, :func:`deployment_ramp`) in
:mod:`dcplan.grid_ramp`; all are re-exported here.

Lead-time model
---------------
Each region's wait from filing to energization (``data/interconnection.csv``), or a
site's own figures for a region the table lacks (``interconnection.time_to_power``, read
with the same model, so a copy of a row's figures gives that row's results exactly),
and each long-lead equipment item's order-to-delivery time
(``data/equipment_lead_times.csv``) is a **two-piece lognormal** fitted exactly
to the published median :math:`m` and the p10 / p90 range:

.. math::

    Q(q) = m\\,\\exp(z_q\\,\\sigma_\\pm), \\quad
    \\sigma_- = \\frac{\\ln(m/p_{10})}{z_{0.9}}, \\quad
    \\sigma_+ = \\frac{\\ln(p_{90}/m)}{z_{0.9}}, \\quad z_{0.9} = 1.2816

(:math:`\\sigma_-` below the median, :math:`\\sigma_+` above). Time-to-power is
the later of the grid wait and the equipment deliveries (ordered
``order_delay_months`` after filing), treated as independent:

.. math::

    F_T(t) = F_{grid}(t)\\,\\prod_i F_i(t - d_{order})

The delay of the contracted timeline at quantile :math:`q` is
:math:`\\max(0,\\ T_q - L_{first})`, :math:`L` a phase's planned months from filing
(:func:`_months_between`) and the first the first phase not in service with capacity; every
such phase is energized at :math:`filed + (L + delay)` (:func:`_add_months` from the filing
date), so a delayed first phase lands on :math:`filed + T_q` to the day and the later ones keep
their planned months after it.

Calendar conventions: ramp tables are monthly on naive month-start dates
(``freq="MS"``); a phase counts from the first month that starts on or after its
energization date. Months of delay are calendar months (whole months, then the
fraction of the following month, :func:`_add_months`); equipment lead times in weeks
are converted to months at 365.25/12 days.

One month, stated once: a time to power :math:`T_q` is read as **calendar months from the
filing date** (its date is ``_add_months(filed, T_q)``), and so is :math:`L_{first}`
(:func:`_months_between`), so :math:`T_q - L_{first}` is a delay in calendar months whose
date is exactly the one :func:`energization_dates` gives. The grid waits of
``data/interconnection.csv`` are the sources' months, read so; an equipment lead time in weeks
becomes months at 365.25/12 days (30.4375) and is then read as calendar months from its order
date too, which puts its date at most about 3 days from ``order + 7 x weeks`` days (a calendar
month is 28-31 days). Read instead as spans of 30.4375-day months, the delay would be
:math:`T_q - (planned - filed)\\,[d] / 30.4375`: the bundled Chicago site (filed 2025-02-01, planned
2026-03-01: 13 calendar months, 393 days = 12.91 such months) has a median delay of 28.794 calendar
months, 28.883 such months. dcplan keeps calendar months: the sources' waits are stated in months of
a calendar (3-4 years, 18-24 months), and the published delays and dates rest on them. The two
readings differ by at most 0.1 month (about 3 days) at the bundled sites' 10th, 50th and 90th
percentiles, but a date at a month's start can change the first month powered, the whole months a
TCO runs (:mod:`dcplan.tco_grid_dates`): Phoenix's median delay puts power on 2028-03-01 (from
March), on 2028-03-02 as 30.4375-day months (from April, a month later).

The equipment's weeks are the one place a 30.4375-day month remains. Read day-exact instead (an item
of ``W`` weeks delivered on ``order + 7 W`` days, the CDF evaluated at the calendar's days from the order
to ``filed + t`` calendar months), the bundled sites' time to power moves by at most 0.05 month at p10 /
median / p90 (a review's prototype, checked against a hand quadrature with scipy: Chicago 32.262 / 41.794
/ 61.526 -> 32.309 / 41.819 / 61.543; Phoenix 30.698 / 37.508 / 54.380 -> 30.750 / 37.532 / 54.406;
Research Triangle 41.794 -> 41.769 at the median; northern-virginia, set by its grid wait, under 0.005),
its dates by 1-2 days and no first month powered. It is not done: a region key (no filing date, no
calendar) would then read the equipment otherwise than the same row in a site's section, which gives
that row's results exactly. Phoenix's median date is a knife edge either way: 2028-03-01 is
``2028-02-15 + round(0.508 x 29)`` days, 0.77 day from rounding to 2028-03-02 (power from April); read
day-exact it is 0.06 day from it.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ._ts import step_s
from .errors import InputError
from .specs.interconnection import InterconnectionSpec
from .battery_bill import bill_dispatch
from .grid_battery import (battery_energy_needed_kwh, battery_energy_repeating_year, demand_targets_kw,
                           energy_balance, peak_shave)
from .grid_capacity import CapacityCheck, battery_fix_note, battery_note, capacity_check
from .grid_headroom import (example_system_load, headroom_curve, is_example_system_load, read_system_load_csv,
                            synthetic_system_load, system_load_from_frame)
from .grid_lead_time import (DEFAULT_EQUIPMENT, DEFAULT_QUANTILES, LeadTimeSource, equipment_lead_times,
                             equipment_plan, equipment_rows, lead_time_quantiles, lead_time_row, lead_times,
                             lognormal_cdf, order_delay_words, region_lead_time, time_to_power_basis,
                             time_to_power_driver, time_to_power_setter, wait_months, wait_source)
from .grid_given_wait import given_wait, waited_of, wait_words
from .grid_ramp import _delay_months, _month_index, deployment_ramp, gpu_plan
from .grid_time_to_power import DAYS_PER_MONTH, TIME_TO_POWER_GRID_MONTHS, time_to_power, time_to_power_cdf
from .grid_time_to_power import _invert  # noqa: F401  (tests read it here)
from .grid_waiting import (HOURS_PER_MONTH_H, cost_of_waiting, delay_cost_usd_per_month, phases_after,
                           waiting_cost_split)

__all__ = [
    "lead_times", "equipment_lead_times", "region_lead_time", "lead_time_row", "time_to_power_basis",
    "wait_months", "lead_time_quantiles", "equipment_plan", "time_to_power_driver", "order_delay_words", "wait_source",
    "time_to_power_setter", "time_to_power_cdf", "time_to_power", "energization_delay_months", "on_time_frac",
    "no_pending_note", "planned_lead_months", "energization_dates", "first_power",
    "capacity_timeline", "gpu_plan", "deployment_ramp", "ramp_band", "cost_of_waiting", "waiting_cost_split",
    "phases_after",
    "delay_cost_usd_per_month", "contracted_kw", "capacity_check", "CapacityCheck",
    "battery_fix_note",
    "battery_note",
    "headroom_curve", "system_load_from_frame", "read_system_load_csv", "example_system_load", "synthetic_system_load",
    "is_example_system_load",
    "peak_shave", "demand_targets_kw", "energy_balance", "battery_energy_needed_kwh",
    "battery_energy_repeating_year", "battery_dispatch", "bill_dispatch",
    "DEFAULT_QUANTILES", "DEFAULT_EQUIPMENT", "DAYS_PER_MONTH", "HOURS_PER_MONTH_H", "contracted_mw", "in_service_mw",
    "live_fleet_frac",
    "TIME_TO_POWER_GRID_MONTHS", "given_wait", "waited_of", "wait_words",
]

# DEFAULT_EQUIPMENT: equipment on the critical path by default, the site's own substation transformer
# and MV switchgear (dcplan.specs.interconnection, where a site's interconnection.equipment says otherwise)


def _add_months(d, months: float) -> pd.Timestamp:
    """``d`` plus ``months``: whole calendar months, then the fraction of the month that
    follows (to the nearest day), so 1 February + 1.0 is 1 March and + 1.5 is mid-March.
    Inverse of :func:`_months_between`."""
    d = pd.Timestamp(d)
    whole = int(np.floor(months))
    base = d + pd.DateOffset(months=whole)
    # the next month counted from d, not from base: 31 January + 29 months is 30 June (clipped), and
    # its month runs to 31 July, so _months_between(31 Jan, 30 Jul) = 29 + 30/31 comes back as 30 July
    span = (d + pd.DateOffset(months=whole + 1) - base).days
    return base + pd.Timedelta(days=float(round((months - whole) * span)))


def _months_between(a, b) -> float:
    """Calendar months from ``a`` to ``b`` (whole months, then the fraction of the next
    month's days), ``b >= a``; negative if ``b`` is earlier. Inverse of :func:`_add_months`."""
    a, b = pd.Timestamp(a), pd.Timestamp(b)
    if b < a:
        return -_months_between(b, a)
    whole = (b.year - a.year) * 12 + (b.month - a.month)
    if a + pd.DateOffset(months=whole) > b:
        whole -= 1
    base = a + pd.DateOffset(months=whole)
    span = (a + pd.DateOffset(months=whole + 1) - base).days  # as _add_months
    return whole + (b - base).days / span


def _phases(spec: InterconnectionSpec) -> list[tuple[pd.Timestamp, float, float, str, bool]]:
    """(planned date, MW, firm MW, label, in service); a spec without phases is one phase
    of ``requested_mw`` planned at the filing date (i.e. "as soon as possible").

    A phase of 0 MW is left out: it adds no capacity (the spec allows it, e.g. as a sweep value),
    so it neither anchors the queue delay nor is the first date with power. Labels keep the spec's
    numbering ("phase 2" stays phase 2)."""
    if spec.phases:
        return [(pd.Timestamp(p.energized), p.mw, p.mw * p.firm_frac, p.label or f"phase {i + 1}",
                 bool(p.in_service)) for i, p in enumerate(spec.phases) if p.mw > 0]
    return [(pd.Timestamp(spec.filed), spec.requested_mw, spec.requested_mw, "requested", False)]


def _energized(planned, in_service: bool, delay_months: float, filed) -> pd.Timestamp:
    """A phase's energization date under a queue delay: ``filed`` plus its planned months from filing
    plus the delay (:func:`_add_months` from the filing date), so the first pending phase lands on
    ``filed + T_q`` exactly and every later one keeps its planned months after it. A phase in
    service, or no delay, keeps its date."""
    if in_service or delay_months == 0:
        return pd.Timestamp(planned)
    return _add_months(filed, _months_between(filed, planned) + delay_months)


def contracted_mw(spec: InterconnectionSpec, *, firm_only: bool = False) -> float:
    """Contracted capacity at full build-out: the sum of all phases (``requested_mw``
    for a spec without phases), firm MW only if ``firm_only``. [MW]"""
    return float(sum(firm if firm_only else mw for _, mw, firm, _, _ in _phases(spec)))


def in_service_mw(spec: InterconnectionSpec) -> float:
    """Capacity of the phases already in service (``in_service: true``), whose dates no
    queue delay moves. [MW]"""
    return float(sum(mw for _, mw, _, _, live in _phases(spec) if live))


def live_fleet_frac(spec: InterconnectionSpec, facility_design_kw: float) -> float:
    """Share of the fleet that capacity already in service powers:
    ``min(1, 1000 * in_service_mw / facility_design_kw)``, every phase in service whatever its date.
    The TCO's ``live_fleet_frac`` counts only those in service by the fleet's first start and the
    later ones from their dates (:func:`dcplan.tco_inputs.grid_capacity`).

    ``facility_design_kw`` is the facility power of the whole fleet at design IT in the
    worst hour (IT plus cooling), the figure :func:`deployment_ramp` divides the contracted
    capacity by (there per GPU). 0 for a request with no phase in service.
    """
    f = float(facility_design_kw)
    if not np.isfinite(f) or f <= 0:
        raise InputError(f"must be a facility power > 0 kW, got {facility_design_kw!r}",
                         field="facility_design_kw")
    return min(1.0, 1000.0 * in_service_mw(spec) / f)


def energization_delay_months(spec: InterconnectionSpec, *, equipment: Sequence[str] | None = None,
                              order_delay_months: float | None = None,
                              quantiles: Sequence[float] = DEFAULT_QUANTILES) -> pd.Series:
    """Months by which the contracted timeline slips, per quantile.

    ``delay_q = max(0, T_q - L_first)`` with ``T_q`` from :func:`time_to_power` of the spec's
    wait (its region's row, or its own ``time_to_power`` figures) and ``L_first`` the planned
    months from filing to the first phase not in service with capacity (a 0 MW phase adds none:
    it is skipped); every phase shifts by the same delay, except phases already in service
    (``in_service``), whose dates are facts; with none left the delay is 0. A phase's date under
    the delay is ``filed + (L + delay)`` (:func:`energization_dates`).
    """
    ttp = time_to_power(spec, equipment=equipment, order_delay_months=order_delay_months,
                        quantiles=quantiles)["time_to_power_months"]
    pending = [ph for ph in _phases(spec) if not ph[4]]
    if not pending:
        return (ttp * 0.0).rename("delay_months")
    lead_planned = _months_between(spec.filed, pending[0][0])
    return (ttp - lead_planned).clip(lower=0.0).rename("delay_months")


def planned_lead_months(spec: InterconnectionSpec) -> float | None:
    """Planned months from filing to the first phase not in service with capacity, ``L_first`` of
    :func:`energization_delay_months` (:func:`_months_between`); None when every phase is in service. [months]"""
    pending = [ph for ph in _phases(spec) if not ph[4]]
    return _months_between(spec.filed, pending[0][0]) if pending else None


def no_pending_note(spec: InterconnectionSpec) -> str | None:
    """Why no time to power is published for a request with nothing pending, or None when a phase with
    capacity is still to be energized (:func:`planned_lead_months` not None).

    The time to power (:func:`time_to_power`) is the wait from filing until capacity not yet energized arrives;
    when every phase with capacity is in service it dates no capacity of the site, so the reports publish this
    text instead of a number (a 37.5-month median for 10 MW in service since before filing is a wait that
    cannot apply).

    >>> ic = InterconnectionSpec(region="az-aps", requested_mw=10, filed="2025-01-15",
    ...                          phases=[{"energized": "2024-06-01", "mw": 10, "in_service": True}])
    >>> no_pending_note(ic)[:80]
    'No pending capacity: all 10 MW contracted is in service (since 2024-06-01), so n'
    """
    if planned_lead_months(spec) is not None:
        return None
    live = [ph for ph in _phases(spec) if ph[4]]
    since = f" (since {min(ph[0] for ph in live):%Y-%m-%d})" if live else ""
    return (f"No pending capacity: all {in_service_mw(spec):g} MW contracted is in service{since}, "
            "so no wait from filing applies to it: no time to power is published (it dates capacity not yet "
            "energized; the grid wait and equipment figures above are what a new request would face).")


def on_time_frac(spec: InterconnectionSpec, delay_months: float = 0.0, *, equipment: Sequence[str] | None = None,
                 order_delay_months: float | None = None) -> float | None:
    """Probability that the first pending phase is energized within ``delay_months`` of its planned date:
    ``P(delay <= x) = F_T(L_first + x)`` (:func:`time_to_power_cdf` at the planned months from filing ``L_first``
    of the first phase not in service with capacity, plus ``x``). At ``x = 0`` the chance of meeting the
    planned date; every later pending phase slips by the same delay (:func:`energization_delay_months`), so it
    is each pending phase's chance too. None when no phase is pending (all capacity in service). [-]
    """
    x = float(delay_months)
    if not np.isfinite(x) or x < 0:
        raise InputError(f"must be months >= 0, got {delay_months!r}", field="delay_months")
    lead = planned_lead_months(spec)
    if lead is None:
        return None
    cdf = time_to_power_cdf(spec, equipment=equipment, order_delay_months=order_delay_months,
                            months=np.array([lead + x]))
    return float(cdf["time_to_power_cdf_frac"].iloc[0])


def energization_dates(spec: InterconnectionSpec, *, equipment: Sequence[str] | None = None,
                       order_delay_months: float | None = None,
                       quantiles: Sequence[float] = DEFAULT_QUANTILES) -> pd.DataFrame:
    """Distribution of each phase's energization date.

    Returns
    -------
    pandas.DataFrame
        One row per phase with capacity (a 0 MW phase is left out: it adds none): ``label``,
        ``mw``, ``firm_mw``, ``planned``, ``in_service`` and one column ``energized_p{NN}`` per quantile: the
        filing date plus the phase's planned months from filing plus the delay at that quantile
        (:func:`_add_months`), so the first pending phase, delayed, is on ``filed + T_q``; a phase
        in service, or not delayed, on its planned date.
    """
    delay = energization_delay_months(spec, equipment=equipment,
                                      order_delay_months=order_delay_months, quantiles=quantiles)
    rows = []
    for planned, mw, firm, lab, live in _phases(spec):
        r = {"label": lab, "mw": mw, "firm_mw": firm, "planned": planned, "in_service": live}
        for q, d in delay.items():
            r[f"energized_p{round(q * 100):02d}"] = _energized(planned, live, d, spec.filed)
        rows.append(r)
    return pd.DataFrame(rows)


def first_power(dates: pd.DataFrame, quantile: str = "p50") -> dict:
    """When power first arrives, from :func:`energization_dates`: capacity in service and the first
    pending phase, told apart (a phase in service since before filing is no energization date at
    the queue's ``quantile``).

    Returns
    -------
    dict
        ``date``: the first date with capacity (the earliest row: phases in service come first);
        ``in_service_since`` (None when nothing is in service) and ``in_service_mw`` [MW];
        ``pending`` (the first phase not in service, at ``quantile``; None when all are in service),
        ``pending_label`` and ``pending_mw`` [MW]; ``new_power``: when the capacity the planned
        fleet's new halls wait for first arrives, the date sites are ranked and compared on
        (``pending``; ``date`` when no phase is pending: the capacity is all there already). For a
        site with nothing in service it is ``date``.
    """
    col = f"energized_{quantile}"
    live, pend = dates[dates["in_service"]], dates[~dates["in_service"]]
    first_pending = pend.iloc[0] if len(pend) else None
    return {"date": pd.Timestamp(dates[col].min()),
            "in_service_since": pd.Timestamp(live[col].min()) if len(live) else None,
            "in_service_mw": float(live["mw"].sum()),
            "pending": None if first_pending is None else pd.Timestamp(first_pending[col]),
            "pending_label": None if first_pending is None else str(first_pending["label"]),
            "pending_mw": 0.0 if first_pending is None else float(first_pending["mw"]),
            "new_power": pd.Timestamp(dates[col].min() if first_pending is None else first_pending[col])}


# ---------------------------------------------------------------------------
# Deployment ramp (the GPU arithmetic, gpu_plan and deployment_ramp, is in dcplan.grid_ramp)

def capacity_timeline(spec: InterconnectionSpec, start=None, end=None, *, delay_months: float = 0.0,
                      firm_only: bool = False) -> pd.Series:
    """Contracted capacity available in each month.

    A phase counts from the first month starting on or after its (delayed)
    energization date; capacity is the running sum of phase MW (firm MW if
    ``firm_only``).

    Parameters
    ----------
    spec : InterconnectionSpec
    start, end : date-like, optional
        Months covered; default the filing month to two years after the last phase.
    delay_months : float, default 0
        Slip applied to every phase not in service (see :func:`energization_delay_months`). [months]
    firm_only : bool
        Count only the firm share of each phase.

    Returns
    -------
    pandas.Series
        ``capacity_mw`` on month starts. [MW]
    """
    delay_months = _delay_months(delay_months)
    phases = _phases(spec)
    start = spec.filed if start is None else start
    end = _add_months(phases[-1][0], delay_months + 24) if end is None else end
    months = _month_index(start, end)
    cap = np.zeros(len(months))
    for planned, mw, firm, _, live in phases:
        on = _energized(planned, live, delay_months, spec.filed)
        cap += np.where(months >= on, firm if firm_only else mw, 0.0)
    return pd.Series(cap, index=months, name="capacity_mw")


def ramp_band(spec: InterconnectionSpec, kw_per_gpu, additions: Mapping | pd.Series, *,
              start=None, end=None, equipment: Sequence[str] | None = None,
              order_delay_months: float | None = None,
              quantiles: Sequence[float] = DEFAULT_QUANTILES, gpus_per_unit: int = 1,
              firm_only: bool = False) -> pd.DataFrame:
    """Deployment ramp with its uncertainty band.

    For each quantile of the energization delay, the contracted timeline is
    shifted and :func:`deployment_ramp` applied, powering whole units of ``gpus_per_unit``
    GPUs (a rack or server bought and powered as one, :func:`dcplan.grid_ramp.power_unit_gpus`).
    ``firm_only``: every capacity column counts only each phase's firm share (``firm_frac``,
    :func:`capacity_timeline`), the GPUs that capacity powers without curtailment; by default
    non-firm capacity powers GPUs as firm capacity does.

    Returns
    -------
    pandas.DataFrame
        Monthly: ``requested_mw``, ``planned_capacity_mw`` (no delay),
        ``planned_gpus``, and per quantile ``capacity_mw_pNN`` and ``powered_gpus_pNN``.
    """
    delays = energization_delay_months(spec, equipment=equipment,
                                       order_delay_months=order_delay_months, quantiles=quantiles)
    end = _add_months(_phases(spec)[-1][0], float(delays.max()) + 24) if end is None else end
    planned_cap = capacity_timeline(spec, start, end, firm_only=firm_only)
    months = planned_cap.index
    plan = gpu_plan(additions, months)
    out = pd.DataFrame({"requested_mw": float(spec.requested_mw), "planned_capacity_mw": planned_cap,
                        "planned_gpus": plan}, index=months)
    for q, d in delays.items():
        cap = capacity_timeline(spec, months[0], months[-1], delay_months=float(d), firm_only=firm_only)
        r = deployment_ramp(cap, kw_per_gpu, plan, gpus_per_unit)
        tag = f"p{round(q * 100):02d}"
        out[f"capacity_mw_{tag}"] = cap
        out[f"powered_gpus_{tag}"] = r["powered_gpus"]
    return out


# ---------------------------------------------------------------------------
# Capacity check (the check itself is in dcplan.grid_capacity)

def contracted_kw(spec: InterconnectionSpec, index: pd.DatetimeIndex, *, delay_months: float = 0.0,
                  firm_only: bool = False) -> pd.Series:
    """Contracted capacity on a time index (interval-ending labels).

    An interval counts a phase if the interval *starts* on or after the phase's
    (delayed) energization date, in the index's time zone.

    Returns
    -------
    pandas.Series
        ``contracted_kw``. [kW]
    """
    delay_months = _delay_months(delay_months)
    starts = index - pd.Timedelta(seconds=step_s(index, "index"))
    out = np.zeros(len(index))
    for planned, mw, firm, _, live in _phases(spec):
        on = _energized(planned, live, delay_months, spec.filed)
        # a zone whose clocks change at midnight (America/Santiago): the day starts at 01:00
        on = on.tz_localize(index.tz, nonexistent="shift_forward", ambiguous=False) \
            if index.tz is not None else on
        out += np.where(starts >= on, (firm if firm_only else mw) * 1000.0, 0.0)
    return pd.Series(out, index=index, name="contracted_kw")


def battery_dispatch(spec: InterconnectionSpec, load_kw: pd.Series, *, capacity_kw=None,
                     soc_initial_frac: float | str | None = "cyclic", tariff=None) -> pd.DataFrame:
    """Dispatch the spec's ``battery:`` section against ``load_kw``.

    ``load_kw`` is the net load behind the meter, facility − PV, *not* clipped at 0: a
    behind-the-meter battery charges from PV surplus (negative load) first, so PV it
    stores is neither spilled nor bought; the frame's ``grid_kw`` is then the meter
    (negative: PV left over, spilled). The site chain (:func:`dcplan.pipeline.run_site_year`)
    and the ``interconnection`` notebook both dispatch this way.

    ``battery.target == "contract"``: hold ``capacity_kw`` (default: the full
    contracted capacity, the sum of all phases, as at full build-out);
    ``"demand"``: hold the lowest monthly peak (:func:`dcplan.grid_battery.demand_targets_kw`);
    ``"bill"``: the least bill under ``tariff`` (:func:`dcplan.battery_bill.bill_dispatch`, a
    repeating year, charging within ``capacity_kw``; the site's tariff is needed).
    ``soc_initial_frac``: default ``"cyclic"``, a repeating year (a typical year that
    stands for every year of operation starts with the SoC it ends with, so the battery
    gives no free energy; demand targets are ones that year holds); a number (e.g. 1.0,
    full) for a first year. Returns the :func:`dcplan.grid_battery.peak_shave` frame
    (``attrs``: ``soc_initial_kwh``, ``soc_end_kwh``).
    """
    b = spec.battery
    if b is None:
        raise InputError("the interconnection section has no battery; add e.g. "
                         "'battery: {power_mw: 2, energy_mwh: 4}'", field="interconnection.battery")
    kw = dict(power_kw=b.power_mw * 1000.0, energy_kwh=b.energy_mwh * 1000.0,
              round_trip_eff_frac=b.round_trip_eff_frac, soc_min_frac=b.soc_min_frac,
              soc_max_frac=b.soc_max_frac, soc_initial_frac=soc_initial_frac)
    if b.target == "bill":
        from .battery_bill import bill_dispatch
        if tariff is None:
            raise InputError("target: bill dispatches the battery for the least bill, so it needs the site's "
                             "tariff (a tariff: section); allowed without one: target contract or demand",
                             field="interconnection.battery.target")
        cap = contracted_mw(spec) * 1000.0 if capacity_kw is None else capacity_kw
        return bill_dispatch(load_kw, tariff, cap_kw=cap, **{k: v for k, v in kw.items() if k != "soc_initial_frac"})
    if b.target == "demand":
        target = demand_targets_kw(load_kw, **kw)
    else:
        target = contracted_mw(spec) * 1000.0 if capacity_kw is None else capacity_kw
    return peak_shave(load_kw, target, **kw)
