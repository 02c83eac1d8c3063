"""Electricity tariffs and bills.

A :class:`Tariff` is parsed once (from an OpenEI URDB rate item with :meth:`Tariff.from_urdb`, or built in
Python with :meth:`Tariff.flat`, :meth:`Tariff.tou`, :meth:`Tariff.rtp`) and billed many times with
:meth:`Tariff.bill`, which returns a :class:`~dcplan.tariff_bill.Bill` (billing: :mod:`dcplan.tariff_bill`). Its
prices interval by interval, for a scheduler (:meth:`Tariff.energy_price`, :meth:`Tariff.demand_period`,
:meth:`Tariff.demand_charges`), are inherited from :mod:`dcplan.tariff_interval_prices`.

Conventions (every bill follows them; tests check them against NREL SAM
``Utilityrate5`` [1]_ where SAM has an equivalent, by hand where it has not)
------------------------------------------------------------------------------
* **Load**: kW on a tz-aware, regular ``DatetimeIndex`` with interval-ending
  labels (the value at 01:00 is the mean over 00:00-01:00; a first or last label alone in its
  billing month is refused unless ``stamps`` says "end" or "start"). Allowed steps: 5, 10,
  15, 20, 30 or 60 min. Gaps, duplicates, a non-increasing or irregular index, NaN
  values, negative kW (exports are not billed here) and naive timestamps raise
  :class:`~dcplan.errors.InputError` naming the first bad timestamp. Option
  ``fill="interpolate"`` re-grids a gappy index to its most common step and fills
  gaps and NaN linearly in time (documented, never silent otherwise).
* **Calendar**: month, hour and weekday come from each interval's *start* in the
  index's local time zone, so a 15-min value labelled 00:00 on 1 Feb is January's.
  Billing months are calendar months in local time; a load that starts or ends
  mid-month gives a partial first/last month that is still charged the full
  monthly ($/month) fixed charge (``Bill.notes`` names it; ``days_billed`` in ``Bill.monthly``: the days
  the load covers on the local clock, so a whole month has its calendar days; a $/day charge is billed
  for them). Weekends are
  Saturday and Sunday of the real calendar (SAM instead assumes 1 Jan is a Monday);
  optional ``holidays`` (a country code for the ``holidays`` package, e.g.
  ``"US"``, a list of dates, or the tariff's own date rules read from the dcplan
  extension key ``dcplan_holidays``, :mod:`dcplan.tariff_holidays`) are billed on
  the weekend schedules, energy and demand. Across DST the
  local wall-clock hour is used (the repeated hour at fall-back is billed twice in
  its period, the skipped hour is absent).
* **Energy**: kWh = kW x interval hours. A 15-min load is billed at 15-min
  resolution (no resampling). The rate of an interval is the rate of its TOU
  period (``energyweekdayschedule`` / ``energyweekendschedule``) plus ``adj``,
  plus the month's ``fueladjustmentsmonthly``, plus the real-time price if any.
* **Energy tiers** (``max`` in kWh per month, or ``kWh daily`` x ``days_billed``)
  reset every billing month and are filled **chronologically** by the month's
  cumulative kWh over all periods (SAM's buy-all/sell-all method); an interval
  that crosses a bound is split at it. Each interval is charged its own period's
  tier rates (and bounds: where the periods of one month have different bounds, a tiered
  period beside an untiered one, URDB does not say which kWh a block counts and SAM refuses
  it; every bill's notes say so, :func:`dcplan.tariff_lint.mixed_tier_bounds_note`).
  **A last tier with a finite ``max``**: usage beyond it is billed at
  the last tier's rate (the bound is treated as open). SAM 7.1 returns a negative
  kWh for that tier instead (tests/test_tariff_sam.py shows it), so users reading
  URDB items with a closed last tier should not compare with SAM there.
  **Partial months**: ``kWh daily`` limits scale with the days the load covers
  (``days_billed``, fractional: 16-31 January is 16 days; whole months as SAM);
  monthly (``kWh``) limits are **not** prorated. An open last tier (no ``max``)
  may omit ``unit`` beside ``kWh daily`` tiers (it has no limit to scale).
* **Demand**: the maximum of the interval-average kW in the billing month (flat
  demand) or in each TOU demand period of the month. When the tariff gives a
  ``demandwindow`` longer than the load interval, demand is the maximum of the
  clock-aligned **block** averages over that window (the repeated hour at fall-back
  has its own blocks; ``demand_window_method=
  "rolling"`` for a sliding window; the series' first full window is its first);
  a window equal to or shorter than the interval uses the interval average (a
  1-h load cannot show a 15-min peak: such a bill understates demand; ``Bill.notes`` and ``dcplan
  bill`` say so, :mod:`dcplan.tariff_window_note`). Demand tiers are blocks of kW of each period's own peak,
  on its own period's ``max`` (periods of one month may differ: a peak is one period's, so unlike energy no
  quantity is shared between periods; SAM 7.1 refuses such limits, matches where they agree);
  demand above a last tier's ``max`` is billed at its rate (open, as energy; SAM 7.1 bills none).
* **Ratchets** (``demandratchetpercentage``, or ``lookbackPercent`` with
  ``lookbackRange``/``lookbackMonths``): billing demand for the *flat* demand charge
  (or, with no flat charge, for each TOU period on its own history) is
  ``max(peak, pct[month] x highest peak of the preceding lookbackRange months
  (11 for demandratchetpercentage; with lookbackMonths: the flagged calendar months
  among the preceding 11))``: the flags name the months whose peaks count (REopt's reading; URDB does not
  define them precisely, and PySAM's URDB converter sets up another ratchet: every such bill's notes say so,
  :func:`dcplan.tariff_lint.lookback_months_note`). ``lookbackRange`` is a whole number of months 0-12,
  ``lookbackMonths`` 12 JSON booleans; either asking for a lookback (range > 0, a month
  flagged) without ``lookbackPercent`` is an error.
  Months before the load use ``prior_peaks_kw`` (12 finite values >= 0, or one row
  of 12 per scenario; default 0, which understates first-year ratchets and ``Bill.notes``
  says so; ``"steady_state"``: a repeating year, the load's own peaks of the same calendar
  months, as :mod:`dcplan.pipeline` bills a site's typical year). For a flat
  demand charge this is SAM's billing demand (tested); SAM would also bill every flagged TOU period at
  the billing demand, dcplan bills TOU periods on their own peaks (``Bill.notes`` says so).
* **Contract (minimum) demand**: :meth:`Tariff.with_contract_demand` floors the
  billing demand at a fraction of the contracted kW (take-or-pay), separately for
  flat and TOU demand charges.
* **Coincident peak** (``coincidentratestructure``): the customer's demand at each
  system peak (``coincident_peaks`` of :meth:`Tariff.bill`, interval ends) is its
  mean kW over the ``coincident_interval`` ending there (default 60 min, as PJM's
  hourly 5CP; no longer than the load step: the load interval containing the stamp,
  as 4CP's ``interval``), averaged per month, priced by the ``coincidentrateschedule``
  period at the stamp. A stamp whose interval is outside the load is an error.
* **4CP** (:meth:`Tariff.with_4cp`): the average of the customer's kW in the four
  summer system-peak intervals of year Y (interval-ending labels, 15-min by default)
  sets a $/kW-month charge in every month of year Y+1; the first year uses
  ``prior_kw``.
* **Fixed charges**: $/month as given (``fixed_usd_per_month``); $/year / 12; $/day (``fixed_usd_per_day``)
  x ``days_billed``: each month's own days (28-31, 29 in a leap February; 16 for a load from 16 January),
  as a utility bills a per-day customer charge for the days of the billing period. SAM (and dcplan before)
  bill 365/12 = 30.42 days every month: the same total in a common year, one day short in a leap year,
  February 2.42 days (8.6 %) over, a 31-day month 0.58 day (1.9 %) under, a part month a whole 30.42 days.
  **Minimum charges**: a monthly minimum ($/month, or $/day x ``days_billed``) raises the month's bill to the minimum
  (the shortfall is its own ``minimum_usd`` line); a yearly one adds the shortfall of each calendar
  year, the monthly minimum's top-ups counted toward it, in the last billed month of that year
  (pro-rated by the months billed); SAM's Utilityrate5 counts no top-ups, so it bills them on top
  (467,636.50 USD more on an audit's 10 MW load, 400,000 $/month and 10,000,000 $/year minimums).
  A ``mincharge`` without ``minchargeunits`` is $/month (URDB gives both), said in ``Bill.notes``.
* **Checks**: the constructor checks every field (:func:`dcplan.tariff_checks.check_tariff`),
  so :func:`dataclasses.replace` is checked as the builders are, and stores the arrays
  read-only: edit a tariff with ``dataclasses.replace``, never in place.
* **Escalation**: :meth:`Tariff.with_escalation` scales each component by
  ``(1 + frac)^(year - base_year)``; :meth:`Tariff.by_year` bills each calendar year
  with its own tariff.
* **Scenarios**: a DataFrame (one column per scenario) or a (n_scenarios, n_steps)
  array is billed in one vectorized call (in chunks of 64 scenarios); each
  scenario's bill equals billing it alone. The engine reduces the load once per run
  of constant (month, energy period, demand period), so cost grows with the number
  of intervals only through two numpy reductions.
* **Totals**: ``total_usd`` = energy + demand + fixed + minimum; ``Bill.breakdown``
  lists every charge line (component, period, tier, quantity, rate) and its
  ``cost_usd`` column sums to the totals (to floating-point rounding, ~1e-15 of
  the total).
* **URDB reading**: ``sell`` rates, ``dgrules`` and ``usenetmetering`` are not billed
  (load-only bills: no credit for exports); an item that credits exports (``usenetmetering``
  true, a ``dgrules`` of net metering, net billing or buy-all/sell-all, a nonzero ``sell``)
  is read with a :class:`~dcplan.errors.DcplanWarning` naming the file and those fields,
  since for a site whose PV exports the bill is then an upper bound;
  descriptive fields are kept in ``Tariff.metadata``; fields that would change the
  bill but are not modelled (kWh/kVA tiers, kVA/hp/daily demand, reactive-power charges)
  raise :class:`~dcplan.errors.InputError` unless listed in ``ignore`` (what each ignored
  field does to the bill is in ``Tariff.metadata["ignored"]`` and every ``Bill.notes``;
  kWh/kW and kWh/hp tiers are billed x the month's peak: :mod:`dcplan.tariff_tier_units`); unknown
  keys are errors with a "did you mean". The dcplan extension key
  ``dcplan_rtp_price_file`` names a real-time price CSV (``timestamp`` with UTC
  offsets, ``price_usd_per_kwh``) next to the JSON; its rows are checked when the
  tariff is read (a time without an offset, a price that is not a finite number, a
  repeated time, rows out of order, a gap: an error naming the row and the time as
  written, :func:`dcplan.tariff_prices.read_price_csv`; daily prices ending at local
  midnight are regular across DST). An energy rate above 2 $/kWh (a rate in cents) and a
  price series whose median is above 1 $/kWh (prices in $/MWh) are refused
  (:mod:`dcplan.tariff_checks`, :mod:`dcplan.tariff_prices`). ``minmonthlycharge`` (older
  URDB field) is a monthly minimum; SAM's ``coincidentschedule`` is read as
  ``coincidentrateschedule``; ``_id``, ``supersedes`` and ``usenetmetering`` are metadata.
  A ratchet without a demand charge is refused. A ``fueladjustmentsmonthly``
  that makes a month's energy price negative (with the lowest rate + adj of the
  periods the month uses) is refused as a negative rate is, unless
  ``allow_negative_energy``. ``demandwindow`` is minutes, > 0 and at most 1440; a
  value over an hour that is a common window in seconds (900, 1800) is refused as a
  unit slip. Naive timestamps are refused by
  :meth:`Tariff.bill`; ``dcplan bill --tz`` localizes them and refuses times that
  are ambiguous (unless ``--dst-from-order``: by row order) or missing at a DST change. A UTC index
  under charges by hour or weekday is refused unless ``tz=`` names the clock (:mod:`dcplan.tariff_clock`).

References
----------
.. [1] NREL, System Advisor Model (SAM) ``Utilityrate5`` compute module, PySAM 7.1.1,
   https://nrel-pysam.readthedocs.io/ (the reference for exactness tests).
.. [2] OpenEI, "Utility Rate Database API, version 8",
   https://openei.org/services/doc/rest/util_rates/?version=8.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import tariff_urdb
from ._ts import unknown_key_message
from .errors import InputError
from .tariff_load_units import check_series_unit
from .tariff_bill import COINCIDENT_INTERVAL, STEADY_STATE, Bill, YearlyTariff, compute_bill, prepare_load
from .tariff_bill_stamps import label_ends, with_partial_note
from .tariff_checks import apply_period as _apply_period
from .tariff_clock import bill_clock, check_clock  # noqa: F401  (check_clock: importable from here)
from .tariff_window_note import with_window_note
from .tariff_checks import check_interval, check_tariff
from .tariff_checks import check_prior_peaks as _check_prior_peaks  # noqa: F401  (schedule_inputs uses it)
from .tariff_checks import energy_rate as _energy_rate
from .tariff_checks import finite as _finite
from .tariff_checks import months_list as _months_list
from .tariff_checks import nonneg as _nonneg
from .tariff_engine import cached_calendar as _cached_calendar
from .tariff_holidays import HolidayCalendar
from .tariff_interval_prices import IntervalPrices

__all__ = ["Tariff", "Bill", "YearlyTariff"]

_COMPONENTS = ("energy", "demand", "fixed", "minimum")


def _zeros_sched():
    return np.zeros((12, 24), dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Tariff(IntervalPrices):
    """A parsed tariff; build with :meth:`from_urdb`, :meth:`flat`, :meth:`tou` or :meth:`rtp`.

    Rates are in USD per kWh or per kW-month, tier bounds in kWh (per month, or per
    day when ``energy_tier_unit == "kWh daily"``) or kW. Schedules are 12 x 24 arrays
    of period indices (month, hour of day). See the module docstring for conventions.
    """

    name: str = "tariff"
    energy_rate: np.ndarray = field(default_factory=lambda: np.zeros((1, 1)))
    energy_upper: np.ndarray = field(default_factory=lambda: np.full((1, 1), np.inf))
    energy_tier_unit: str = "kWh"
    energy_weekday: np.ndarray = field(default_factory=_zeros_sched)
    energy_weekend: np.ndarray = field(default_factory=_zeros_sched)
    energy_period_names: tuple | None = None
    fuel_adj_usd_per_kwh: np.ndarray | None = None
    rtp_usd_per_kwh: pd.Series | None = None
    demand_rate: np.ndarray | None = None
    demand_upper: np.ndarray | None = None
    demand_weekday: np.ndarray | None = None
    demand_weekend: np.ndarray | None = None
    demand_period_names: tuple | None = None
    flat_rate: np.ndarray | None = None
    flat_upper: np.ndarray | None = None
    flat_months: np.ndarray | None = None
    coincident_rate: np.ndarray | None = None
    coincident_upper: np.ndarray | None = None
    coincident_schedule: np.ndarray | None = None
    fixed_usd_per_month: float = 0.0
    fixed_usd_per_day: float = 0.0
    min_usd_per_month: float = 0.0
    min_usd_per_day: float = 0.0
    min_usd_per_year: float = 0.0
    ratchet_frac: np.ndarray | None = None
    ratchet_lookback_months: int = 0
    ratchet_months_mask: np.ndarray | None = None
    demand_window_min: float | None = None
    demand_window_method: str = "block"
    contract_kw: float | None = None
    contract_min_frac_flat: float = 1.0
    contract_min_frac_tou: float = 1.0
    fourcp_usd_per_kw_month: float = 0.0
    fourcp_peaks: tuple = ()
    fourcp_interval: str = "15min"
    fourcp_prior_kw: float | None = None
    escalation_frac_per_year: dict = field(default_factory=dict)
    escalation_base_year: int | None = None
    holidays: Any = None
    metadata: dict = field(default_factory=dict)
    allow_negative_energy: bool = False

    def __post_init__(self):
        if self.demand_window_method not in ("block", "rolling"):
            raise InputError(unknown_key_message(self.demand_window_method, ("block", "rolling")),
                             field="demand_window_method")
        for k in self.escalation_frac_per_year:
            if k not in _COMPONENTS:
                raise InputError(unknown_key_message(k, _COMPONENTS), field="escalation_frac_per_year")
        w = self.demand_window_min
        if w is not None:  # (a URDB demandwindow is checked, with its file, when read)
            if isinstance(w, bool) or not isinstance(w, (int, float, np.integer, np.floating)):
                raise InputError(f"must be a number of minutes or None, got {w!r}", field="demand_window_min")
            tariff_urdb.check_demand_window(float(w), "demand_window_min")
        check_tariff(self)  # shapes, period indices, rates; arrays stored read-only (tariff_checks)

    def __repr__(self) -> str:
        parts = [f"energy {self.energy_rate.shape[0]} period(s) x {self.energy_rate.shape[1]} tier(s)"]
        if self.rtp_usd_per_kwh is not None:
            parts.append("real-time price")
        if self.demand_rate is not None:
            parts.append(f"TOU demand {self.demand_rate.shape[0]} period(s)")
        if self.flat_rate is not None:
            parts.append("flat demand")
        if self.coincident_rate is not None:
            parts.append("coincident peak")
        if self.fourcp_usd_per_kw_month:
            parts.append("4CP")
        if self.contract_kw is not None:
            parts.append(f"contract {self.contract_kw:g} kW")
        if self.ratchet_frac is not None:
            parts.append("ratchet")
        if isinstance(self.holidays, HolidayCalendar):
            parts.append(f"{len(self.holidays)} holiday rule(s)")
        parts.append(f"fixed {self.fixed_usd_per_month:,.2f} $/month"
                     + (f" + {self.fixed_usd_per_day:,.4g} $/day" if self.fixed_usd_per_day else ""))
        return f"Tariff({self.name!r}: " + ", ".join(parts) + ")"

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_urdb(cls, path_or_dict, *, label: str | None = None, ignore=(),
                  allow_negative_energy: bool = False, holidays=None,
                  demand_window_method: str = "block") -> "Tariff":
        """Read one URDB (API v8) rate item.

        Parameters
        ----------
        path_or_dict : str, pathlib.Path or dict
            JSON file or parsed dict: a bare rate item or ``{"items": [...]}``.
        label : str, optional
            URDB ``label`` of the item to use when the wrapper holds several.
        ignore : iterable of str
            Field names to skip, including unsupported ones that change the bill
            (e.g. ``"demandreactivepowercharge"``, ``"energyratestructure.unit"``).
        allow_negative_energy : bool, default False
            Accept negative energy rates (credits).
        holidays : str, list or HolidayCalendar, optional
            Holiday calendar billed on the weekend schedule (e.g. ``"US"``); default:
            the item's ``dcplan_holidays`` rules, if any (``[]``: none).
        demand_window_method : {"block", "rolling"}
            How ``demandwindow`` averages are formed.
        """
        item, file = tariff_urdb.load_item(path_or_dict, label)
        kw = tariff_urdb.parse_item(item, file, ignore=ignore,
                                    allow_negative_energy=allow_negative_energy)
        if file:
            kw["metadata"]["file"] = file
        own = kw.pop("holidays", None)  # the item's dcplan_holidays; an argument overrides it
        return cls(**kw, holidays=own if holidays is None else holidays,
                   demand_window_method=demand_window_method, allow_negative_energy=allow_negative_energy)

    @classmethod
    def flat(cls, usd_per_kwh: float, *, fixed_usd_per_month: float = 0.0,
             demand_usd_per_kw: float | None = None, name: str = "flat") -> "Tariff":
        """One energy price all year, optional monthly fixed and flat demand charges.

        Parameters
        ----------
        usd_per_kwh : float
            Energy price. [$/kWh]
        fixed_usd_per_month : float, default 0
            Customer charge. [$/month]
        demand_usd_per_kw : float, optional
            Monthly maximum-demand charge. [$/kW-month]
        """
        _energy_rate(usd_per_kwh, "usd_per_kwh")
        _nonneg(fixed_usd_per_month, "fixed_usd_per_month")
        t = cls(name=name, energy_rate=np.array([[float(usd_per_kwh)]]),
                fixed_usd_per_month=float(fixed_usd_per_month))
        return t.with_demand_charge(demand_usd_per_kw) if demand_usd_per_kw else t

    @classmethod
    def tou(cls, base_usd_per_kwh: float, periods: list[dict], *,
            fixed_usd_per_month: float = 0.0, name: str = "tou") -> "Tariff":
        """Time-of-use energy prices.

        Parameters
        ----------
        base_usd_per_kwh : float
            Price of every hour not covered by ``periods`` (period 0, ``"base"``). [$/kWh]
        periods : list of dict
            Each ``{"name": str, "usd_per_kwh": float, "hours": [start hours 0-23],
            "months": [1-12] (None or absent: all; an empty list is an error),
            "days": "weekday" | "weekend" | "all"
            (default "weekday")}``; later entries override earlier ones.
        fixed_usd_per_month : float, default 0
            Customer charge. [$/month]
        """
        _energy_rate(base_usd_per_kwh, "base_usd_per_kwh")
        wd, we, names, rates = _zeros_sched(), _zeros_sched(), ["base"], [float(base_usd_per_kwh)]
        for i, p in enumerate(periods):
            _apply_period(p, f"periods[{i}]", len(names), wd, we)
            rates.append(_energy_rate(p.get("usd_per_kwh"), f"periods[{i}].usd_per_kwh"))
            names.append(str(p.get("name", f"period{i + 1}")))
        return cls(name=name, energy_rate=np.array(rates)[:, None],
                   energy_upper=np.full((len(rates), 1), np.inf), energy_weekday=wd,
                   energy_weekend=we, energy_period_names=tuple(names),
                   fixed_usd_per_month=_nonneg(fixed_usd_per_month, "fixed_usd_per_month"))

    @classmethod
    def rtp(cls, price_usd_per_kwh: pd.Series, *, adder_usd_per_kwh: float = 0.0,
            fixed_usd_per_month: float = 0.0, name: str = "rtp") -> "Tariff":
        """Real-time pricing: an interval price series (e.g. hourly LMP) plus an adder.

        Parameters
        ----------
        price_usd_per_kwh : pandas.Series
            Price, tz-aware regular index with interval-ending labels (any constant step,
            or whole days ending at the same local time: as the ``dcplan_rtp_price_file``
            CSV, :mod:`dcplan.tariff_prices`); each price interval must hold whole load
            intervals (an hourly price covers the four 15-min intervals ending within
            its hour). Negative prices are allowed; a median above 1 $/kWh is refused
            as prices in $/MWh. [$/kWh]
        adder_usd_per_kwh : float, default 0
            Added to every interval (delivery, adders); finite, may be negative. [$/kWh]
        """
        from .tariff_prices import check_price_series
        price = check_price_series(price_usd_per_kwh, "price_usd_per_kwh")
        adder = _finite(adder_usd_per_kwh, "adder_usd_per_kwh")  # negative: a credit, allowed
        return cls(name=name, energy_rate=np.array([[adder]]), rtp_usd_per_kwh=price,
                   fixed_usd_per_month=_nonneg(fixed_usd_per_month, "fixed_usd_per_month"),
                   allow_negative_energy=adder < 0)

    def with_demand_charge(self, usd_per_kw: float, *, hours=None, months=None,
                           days: str = "all", name: str = "on_peak") -> "Tariff":
        """Add a demand charge: flat monthly max (no ``hours``), else a TOU demand period.

        Parameters
        ----------
        usd_per_kw : float
            Charge on the month's (period's) maximum interval-average kW. [$/kW-month]
        hours, months
            Start hours 0-23 and months 1-12 of a TOU demand period, as for :meth:`tou`;
            ``months`` alone (no hours) makes a seasonal flat charge.
        days : {"all", "weekday", "weekend"}, default "all"
            Days of the TOU demand period. Unlike :meth:`tou`'s periods (default
            ``"weekday"``), the default is every day.
        """
        _nonneg(usd_per_kw, "usd_per_kw")
        if hours is None:
            rate = np.array([[0.0], [float(usd_per_kw)]])
            fm = np.zeros(12, dtype=np.int64)
            fm[[m - 1 for m in _months_list(months, "months")]] = 1
            if self.flat_rate is not None:
                raise InputError("tariff already has a flat demand charge", field="usd_per_kw")
            return dataclasses.replace(self, flat_rate=rate, flat_upper=np.full((2, 1), np.inf),
                                       flat_months=fm)
        if self.demand_rate is None:
            rates, wd, we, names = [0.0], _zeros_sched(), _zeros_sched(), ["none"]
        else:
            if self.demand_rate.shape[1] != 1:
                raise InputError("cannot add a period to tiered TOU demand", field="usd_per_kw")
            rates = list(self.demand_rate[:, 0])
            wd, we = self.demand_weekday.copy(), self.demand_weekend.copy()
            names = list(self.demand_period_names or [f"p{i}" for i in range(len(rates))])
        _apply_period({"hours": hours, "months": months, "days": days}, "", len(rates), wd, we)
        rates.append(float(usd_per_kw))
        names.append(name)
        return dataclasses.replace(self, demand_rate=np.array(rates)[:, None],
                                   demand_upper=np.full((len(rates), 1), np.inf),
                                   demand_weekday=wd, demand_weekend=we,
                                   demand_period_names=tuple(names))

    def with_contract_demand(self, contract_kw: float, *, min_frac: float = 1.0,
                             tou_min_frac: float | None = None) -> "Tariff":
        """Floor billing demand at ``min_frac`` x ``contract_kw`` (take-or-pay).

        Parameters
        ----------
        contract_kw : float
            Contracted demand. [kW]
        min_frac : float, default 1
            Floor for the flat (maximum-demand) charges, e.g. 0.85 of contracted
            T&D demand for Dominion GS-5. [0-1]
        tou_min_frac : float, optional
            Floor for TOU demand charges (default ``min_frac``), e.g. 0.60 of
            contracted generation demand for Dominion GS-5. [0-1]
        """
        _nonneg(contract_kw, "contract_kw")
        for f, v in (("min_frac", min_frac), ("tou_min_frac", tou_min_frac)):
            if v is not None and not 0.0 <= v <= 1.0:
                raise InputError(f"must be in [0, 1], got {v}", field=f)
        return dataclasses.replace(self, contract_kw=float(contract_kw),
                                   contract_min_frac_flat=float(min_frac),
                                   contract_min_frac_tou=float(min_frac if tou_min_frac is None
                                                               else tou_min_frac))

    def with_4cp(self, usd_per_kw_month: float, peaks, *, interval: str = "15min",
                 prior_kw: float | None = None) -> "Tariff":
        """ERCOT-style 4CP transmission charge.

        Parameters
        ----------
        usd_per_kw_month : float
            Charge per kW of 4CP demand, billed every month of the following year. [$/kW-month]
        peaks : iterable of timestamps
            System-peak intervals (interval-ending, tz-aware), four per summer
            (June-September), for every year whose 4CP sets a billed year.
        interval : str, default "15min"
            Length of a system-peak interval (ERCOT settles 15-min intervals).
        prior_kw : float, optional
            4CP kW of the year before the load starts. [kW]
        """
        _nonneg(usd_per_kw_month, "usd_per_kw_month")
        check_interval(interval, "interval")
        ps = []
        for i, p in enumerate(peaks):
            ts = pd.Timestamp(p)
            if ts.tz is None:
                raise InputError(f"peak {p!r} has no time zone; give offsets", field=f"peaks[{i}]")
            ps.append(ts)
        return dataclasses.replace(self, fourcp_usd_per_kw_month=float(usd_per_kw_month),
                                   fourcp_peaks=tuple(sorted(ps)), fourcp_interval=interval,
                                   fourcp_prior_kw=None if prior_kw is None else _nonneg(prior_kw, "prior_kw"))

    def with_escalation(self, frac_per_year, base_year: int) -> "Tariff":
        """Escalate charges by ``(1 + frac)^(year - base_year)``.

        ``frac_per_year`` is one fraction for every component or a dict keyed by
        ``"energy"``, ``"demand"``, ``"fixed"``, ``"minimum"``. [1/yr]
        """
        d = {c: float(frac_per_year) for c in _COMPONENTS} if np.isscalar(frac_per_year) \
            else dict(frac_per_year)
        for k, v in d.items():
            if k not in _COMPONENTS:
                raise InputError(unknown_key_message(k, _COMPONENTS), field="frac_per_year")
            if not -1.0 < v <= 1.0:
                raise InputError(f"{k}: must be in (-1, 1], got {v}", field="frac_per_year")
        if isinstance(base_year, bool) or not isinstance(base_year, (int, np.integer)):
            raise InputError(f"must be a whole year such as 2025, got {base_year!r}", field="base_year")
        return dataclasses.replace(self, escalation_frac_per_year=d, escalation_base_year=int(base_year))

    @staticmethod
    def by_year(tariffs: dict) -> YearlyTariff:
        """A different tariff per calendar year: ``{2027: t1, 2028: t2}``."""
        return YearlyTariff(tariffs)

    # ------------------------------------------------------------------ billing
    def bill(self, load_kw, *, index=None, fill: str | None = None, holidays=None,
             prior_peaks_kw=None, coincident_peaks=None,
             coincident_interval: str = COINCIDENT_INTERVAL, stamps: str | None = None, tz=None) -> Bill:
        """Bill a load (see the module docstring for every convention).

        Parameters
        ----------
        load_kw : pandas.Series, pandas.DataFrame or numpy.ndarray
            Site import power; a DataFrame holds one scenario per column, an array is
            (n_steps,) or (n_scenarios, n_steps) with ``index``. [kW]
        index : pandas.DatetimeIndex, optional
            Index for an array ``load_kw``.
        fill : {None, "interpolate"}
            None: gaps/NaN are errors. "interpolate": re-grid and fill linearly in time.
        holidays : str, list or HolidayCalendar, optional
            Overrides the tariff's holiday calendar (its ``dcplan_holidays`` rules, if
            any): a country code (``"US"``), a list of dates (``[]``: none) or date rules.
        prior_peaks_kw : sequence of 12 floats, array (n_scenarios, 12) or "steady_state", optional
            Monthly peaks (Jan..Dec) of the year before the load, for ratchets: finite
            and >= 0; one row per scenario, or one row for all. [kW] ``"steady_state"``: a
            repeating year (a load of 12 whole calendar months): the months before the load
            take the load's own peaks of the same calendar months (each TOU period its own),
            as :mod:`dcplan.pipeline` bills a site's typical year. None: 0 kW, which
            understates a ratchet's first months (``Bill.notes`` says so).
        coincident_peaks : iterable of timestamps, optional
            System-peak interval ends (tz-aware, inside the load) for coincident charges.
        coincident_interval : str, default "60min"
            Length of a system-peak interval (as :meth:`with_4cp`'s ``interval``): the
            mean load over it is the coincident demand. Hourly: PJM 5CP (Manual 19).
        stamps : {None, "end", "start"}
            Labels are interval ends ("end"), starts ("start": moved one step later), or None: ends,
            refusing a first/last interval alone in its month (:mod:`dcplan.tariff_bill_stamps`).
        tz : str, optional
            Bill on this clock (the index is converted to it). None: the index's own zone; a UTC index under
            charges by hour or weekday is refused (give the site's zone, or ``"UTC"``): :mod:`dcplan.tariff_clock`.

        Returns
        -------
        Bill
            ``total_usd``, ``energy_usd``, ``demand_usd``, ``fixed_usd``,
            ``minimum_usd``, ``monthly``, ``breakdown``, and ``notes``: what the bill assumed or left out
            (a demand window the tariff does not state, a rate whose size limits the load exceeds, prior
            peaks taken as 0, ignored fields), which ``dcplan bill`` prints as its ``Note:`` lines.
        """
        check_series_unit(load_kw)  # a Series named in MW (demand_mw) is refused, not billed as kW
        kw, idx, names, squeeze = prepare_load(load_kw, index, fill)
        idx = label_ends(bill_clock(self, idx, tz, "load_kw" if index is None else "index"), stamps)  # no silent UTC
        cal = _cached_calendar(idx, self.holidays if holidays is None else holidays)
        n = kw.shape[0]
        if isinstance(prior_peaks_kw, str):
            if prior_peaks_kw != STEADY_STATE:
                raise InputError(f"{prior_peaks_kw!r} is not a prior-peaks option; allowed: {STEADY_STATE!r} (a "
                                 "repeating year), 12 monthly peaks in kW, or None (0 kW)", field="prior_peaks_kw")
        else:
            prior_peaks_kw = _check_prior_peaks(prior_peaks_kw, n)
        if coincident_peaks is not None and self.coincident_rate is None:
            from .tariff_bill import coincident_windows  # no charge uses them: check them anyway
            coincident_peaks = list(coincident_peaks)
            coincident_windows(coincident_peaks, cal, coincident_interval)
        if n <= _CHUNK:
            return with_window_note(with_partial_note(compute_bill(  # (+ demand-window caveat, as the CLI's)
                self, kw, cal, names, squeeze, prior_peaks_kw=prior_peaks_kw, coincident_peaks=coincident_peaks,
                coincident_interval=coincident_interval), self), self, idx)
        # many scenarios: chunks keep the (chunk, n_steps) temporaries in cache-sized memory
        prior = None if prior_peaks_kw is None or isinstance(prior_peaks_kw, str) \
            else np.broadcast_to(prior_peaks_kw, (n, 12))
        parts = [compute_bill(self, kw[i:i + _CHUNK], cal, None, False,
                              prior_peaks_kw=prior_peaks_kw if prior is None else prior[i:i + _CHUNK],
                              coincident_peaks=coincident_peaks, coincident_interval=coincident_interval)
                 for i in range(0, n, _CHUNK)]
        return with_window_note(with_partial_note(Bill.stack(parts, names), self), self, idx)


#: Scenarios billed per chunk in the vectorized path (temporaries ~ _CHUNK x n_steps x 8 bytes).
_CHUNK = 64
