"""Bills: load checks, the charge calculation and the :class:`Bill` result.

Conventions are documented in :mod:`dcplan.tariff`. The demand at system peaks (coincident-peak windows and
charge lines, 4CP kW) is computed in :mod:`dcplan.tariff_system_peaks`, re-exported here. Every charge is kept as a
*line* (component, charge, period, tier, quantity, rate, cost per month and
scenario); component totals, ``Bill.monthly`` and ``Bill.breakdown`` are sums of
those lines, so they agree by construction.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _ts, tariff_engine as eng
from .errors import InputError
# demand at system peaks (coincident-peak windows and charges, 4CP): its own module (for length), re-exported here
from .tariff_system_peaks import COINCIDENT_INTERVAL, _coincident, _fourcp_kw, coincident_windows  # noqa: F401

COMPONENTS = ("energy", "demand", "fixed", "minimum")
#: ``prior_peaks_kw`` of a repeating year: the months before the load are the load's own months.
STEADY_STATE = "steady_state"


# ---------------------------------------------------------------------- load checks
def prepare_load(load_kw, index=None, fill=None):
    """Return ``(kw (S, N) float array, index, scenario names or None, squeeze)``."""
    if fill not in (None, "interpolate"):
        raise InputError(f"unknown fill {fill!r}; allowed: None, 'interpolate'", field="fill")
    names, squeeze = None, False
    if isinstance(load_kw, pd.Series):
        _check_numeric(load_kw, "")
        idx, kw, squeeze = load_kw.index, _numeric(load_kw.to_numpy(), "load_kw")[None, :], True
    elif isinstance(load_kw, pd.DataFrame):
        for j, dt in enumerate(load_kw.dtypes):  # dtypes first: thousands of scenario columns
            if not pd.api.types.is_numeric_dtype(dt):
                _check_numeric(load_kw.iloc[:, j], f" in column {load_kw.columns[j]!r}")
        idx, names = load_kw.index, list(load_kw.columns)
        kw = _numeric(load_kw.to_numpy(), "load_kw").T
    elif isinstance(load_kw, np.ndarray):
        if index is None:
            raise InputError("an array load needs index= (a tz-aware DatetimeIndex)", field="index")
        idx = index
        if load_kw.dtype.kind not in "biuf":
            rows = load_kw.reshape(-1, load_kw.shape[-1]) if load_kw.ndim else load_kw.reshape(1, 1)
            for i, row in enumerate(rows):
                lab = idx if isinstance(idx, pd.Index) and len(idx) == len(row) else None
                _check_numeric(pd.Series(row, index=lab), f" in row {i}" if len(rows) > 1 else "")
        kw = _numeric(load_kw, "load_kw")
        if kw.ndim == 1:
            kw, squeeze = kw[None, :], True
        elif kw.ndim != 2:
            raise InputError(f"need 1-D or 2-D (n_scenarios, n_steps), got shape {kw.shape}", field="load_kw")
        if kw.shape[1] != len(idx):
            raise InputError(f"{kw.shape[1]} steps but index has {len(idx)}", field="load_kw")
    else:
        raise InputError(f"need a Series, DataFrame or ndarray, got {type(load_kw).__name__}",
                         field="load_kw")
    if not isinstance(idx, pd.DatetimeIndex):
        raise InputError(f"need a tz-aware DatetimeIndex, got {type(idx).__name__}", field="load_kw.index")
    if idx.tz is None:
        raise InputError("need a tz-aware DatetimeIndex, got naive timestamps; localize first "
                         "(e.g. .tz_localize('America/New_York', ambiguous='raise'))", field="load_kw.index")
    if fill == "interpolate":
        kw, idx = _interpolate(kw, idx)
    bad = ~np.isfinite(kw)
    if bad.any():
        j = int(np.argmax(bad.any(axis=0)))
        col = f" in column {names[int(np.argmax(bad[:, j]))]!r}" if names is not None else ""
        raise InputError(f"NaN/inf load{col} at {idx[j]}; fill it or pass fill='interpolate'", field="load_kw")
    neg = kw < 0
    if neg.any():
        j = int(np.argmax(neg.any(axis=0)))
        i = int(np.argmax(neg[:, j]))
        raise InputError(f"negative load {kw[i, j]:g} kW at {idx[j]}; bills here are "
                         "for imports only (clip exports to 0 first)", field="load_kw")
    return np.ascontiguousarray(kw, dtype=float), idx, names, squeeze


def _check_numeric(load: pd.Series, where: str) -> None:
    """Refuse a load of text (or dates): ``np.asarray(..., float)`` would bill ``"1000"`` as 1000."""
    problem = _ts.numeric_problem(load)
    if problem:
        raise InputError(f"need numbers in kW{where}, got {problem}; convert first, e.g. "
                         "pd.to_numeric(load_kw)", field="load_kw")


def _numeric(a, field):
    try:
        return np.asarray(a, dtype=float)
    except (TypeError, ValueError):
        raise InputError("values must be numeric kW", field=field) from None


def _interpolate(kw, idx):
    if idx.has_duplicates:
        raise InputError(f"duplicate timestamp {idx[idx.duplicated()][0]}; cannot interpolate",
                         field="load_kw.index")
    d = np.diff(idx.as_unit("ns").asi8)
    if (d <= 0).any():
        i = int(np.argmax(d <= 0))
        raise InputError(f"timestamps not increasing at {idx[i + 1]}; sort first", field="load_kw.index")
    vals, counts = np.unique(d, return_counts=True)
    step = int(vals[np.argmax(counts)])
    new = pd.date_range(idx[0], idx[-1], freq=pd.Timedelta(step, "ns"))
    x, xn = idx.as_unit("ns").asi8.astype(float), new.as_unit("ns").asi8.astype(float)
    out = np.empty((kw.shape[0], len(new)))
    for s in range(kw.shape[0]):  # per scenario (vectorized over time)
        ok = np.isfinite(kw[s])
        if not ok[0] or not ok[-1]:
            raise InputError("cannot interpolate a NaN at the first or last timestamp", field="load_kw")
        out[s] = np.interp(xn, x[ok], kw[s, ok])
    return out, new


def rtp_on(price: pd.Series, cal: eng.Calendar) -> np.ndarray:
    """Real-time price of each load interval (price step must be a multiple of the load's).

    A load interval takes the price of the price interval that contains it: the first
    price label at or after the load's label, provided the previous price label (the
    price interval's start) is at or before the load interval's start. Matching on
    absolute time follows the price's own labels, so prices on the local clock of a
    half-hour-offset zone (hours ending at :00 in Asia/Kolkata, i.e. :30 UTC) or on
    UTC hours, daily prices ending at local midnight, and the repeated hour at
    fall-back all find their interval; a load interval that straddles two price
    intervals (misaligned labels) or lies outside the price series is an error.
    """
    from .tariff_prices import step_ns
    p_ns = price.index.as_unit("ns").asi8
    load_ns = int(round(cal.step_s * 1e9))
    d = np.diff(p_ns)  # (daily prices at local midnight have 23- and 25-h days: each a multiple)
    if (d < load_ns).any() or (d % load_ns).any():
        bad = int(d[np.argmax((d < load_ns) | (d % load_ns != 0))])
        raise InputError(f"price step {bad / 6e10:g} min is not a multiple of the load step "
                         f"{cal.step_s / 60:g} min", field="price_usd_per_kwh")
    p_step = step_ns(price) / 1e9  # the first price interval's length, as the next one's
    end = cal.index.as_unit("ns").asi8
    start = end - int(round(cal.step_s * 1e9))
    pos = np.searchsorted(p_ns, end, side="left")  # first price label >= load label
    pos_c = np.minimum(pos, len(p_ns) - 1)
    p_start = np.where(pos_c > 0, p_ns[np.maximum(pos_c - 1, 0)], p_ns[0] - int(round(p_step * 1e9)))
    miss = (pos >= len(p_ns)) | (start < p_start)
    if miss.any():
        from .tariff_prices import no_price_error
        raise no_price_error(price, cal.index, int(np.argmax(miss)), int(round(p_step * 1e9)), start)
    return price.to_numpy(dtype=float)[pos_c]


# ---------------------------------------------------------------------- the calculation
def compute_bill(t, kw, cal, names, squeeze, *, prior_peaks_kw=None, coincident_peaks=None,
                 coincident_interval=COINCIDENT_INTERVAL):
    """Bill ``kw`` (S, N) under tariff ``t`` on calendar ``cal``; see :mod:`dcplan.tariff`."""
    s, _ = kw.shape
    m = len(cal.month_starts)
    moy = cal.month_moy
    esc = {c: np.ones(m) for c in COMPONENTS}
    if t.escalation_base_year is not None:
        for c, f in t.escalation_frac_per_year.items():
            esc[c] = (1.0 + f) ** (cal.month_year - t.escalation_base_year).astype(float)
    lines = []

    def add(component, charge, period, tier, unit, qty, rate):
        rate = np.broadcast_to(np.asarray(rate, float) * esc[component], (m,))
        lines.append(Line(component, charge, period, tier, unit, qty, rate, qty * np.nan_to_num(rate)[None, :]))

    # one pass over the full-resolution load for kWh and one for max kW, per run of
    # constant (month, energy period, demand period); everything else works on runs
    dt_h = cal.step_s / 3600.0
    ep = cal.periods(t.energy_weekday, t.energy_weekend)
    dp = cal.periods(t.demand_weekday, t.demand_weekend) if t.demand_rate is not None else ep
    r = eng.runs(cal, ep, dp)
    e_run = np.add.reduceat(kw, r.starts, axis=1) * dt_h
    d = eng.windowed_demand(kw, cal, t.demand_window_min, t.demand_window_method)
    d_run = np.maximum.reduceat(d, r.starts, axis=1)
    n_p, n_t = t.energy_rate.shape
    peak = np.maximum.reduceat(d_run, r.month_first, axis=1)  # (a kWh/kW tier's bound: x the month's peak)
    e_pt = eng.energy_by_tier(e_run, r, cal, t.energy_upper, t.energy_tier_unit.endswith("daily"), n_p,
                              peak if "/kW" in t.energy_tier_unit else None)
    pnames = t.energy_period_names or tuple(range(n_p))
    for p in range(n_p):
        for k in range(n_t):
            q = e_pt[:, :, p, k]
            if q.any() or (k == 0 and p == 0):
                add("energy", "energy", pnames[p], k, "kWh", q, t.energy_rate[p, k])
    kwh_month = e_pt.sum(axis=(2, 3))
    if t.fuel_adj_usd_per_kwh is not None:
        add("energy", "fuel_adjustment", "all", 0, "kWh", kwh_month, t.fuel_adj_usd_per_kwh[moy])
    if t.rtp_usd_per_kwh is not None:
        price = rtp_on(t.rtp_usd_per_kwh, cal)
        cost = np.add.reduceat(kw * price[None, :], cal.month_starts, axis=1) * dt_h
        # quantity: the month's kWh; rate: nan (it varies by interval)
        lines.append(Line("energy", "real_time", "all", 0, "kWh", kwh_month,
                          np.full(m, np.nan), cost * esc["energy"][None, :]))

    # demand
    rat = t.ratchet_frac is not None and t.ratchet_lookback_months > 0
    steady = isinstance(prior_peaks_kw, str)  # STEADY_STATE (checked by Tariff.bill)
    if steady and rat:
        from .tariff_ratchet import check_steady_state, same_months
        check_steady_state(cal)
    mask = t.ratchet_months_mask if t.ratchet_months_mask is not None else np.ones(12, bool)
    floor_f = t.contract_kw * t.contract_min_frac_flat if t.contract_kw is not None else 0.0
    floor_t = t.contract_kw * t.contract_min_frac_tou if t.contract_kw is not None else 0.0
    billing_kw = np.full_like(peak, np.nan)  # no flat (all-hours) charge: no flat billing demand
    tou_kw = {}  # TOU period label -> (S, M) billed demand (NaN in months without the period)
    if t.flat_rate is not None:
        bd = eng.ratchet(peak, cal, t.ratchet_frac, t.ratchet_lookback_months, mask,
                         same_months(peak, cal) if steady else prior_peaks_kw) if rat else peak
        bd = np.maximum(bd, floor_f)
        billing_kw = bd
        fp = t.flat_months[moy]
        split = eng.tier_split(bd, t.flat_upper[fp][None, :, :])
        for k in range(t.flat_rate.shape[1]):
            if split[..., k].any() or k == 0:
                add("demand", "flat_demand", "by_month", k, "kW", split[..., k], t.flat_rate[fp, k])
    if t.demand_rate is not None:
        n_q = t.demand_rate.shape[0]
        pk = eng.run_group_max(d_run, r.month * n_q + r.dp, m * n_q).reshape(s, m, n_q)
        present = ~np.isnan(pk[0])  # (M, Q)
        pk = np.nan_to_num(pk)
        if rat and t.flat_rate is None:
            for q in range(n_q):
                pk[:, :, q] = eng.ratchet(pk[:, :, q], cal, t.ratchet_frac, t.ratchet_lookback_months, mask,
                                          same_months(pk[:, :, q], cal) if steady else prior_peaks_kw)
        pk = np.where(present[None], np.maximum(pk, floor_t), 0.0)
        split = eng.tier_split(pk, t.demand_upper[None, None, :, :])
        qnames = t.demand_period_names or tuple(range(n_q))
        tou_kw = {str(qnames[q]): np.where(present[None, :, q], pk[:, :, q], np.nan) for q in range(n_q)}
        for q in range(n_q):
            for k in range(t.demand_rate.shape[1]):
                if split[:, :, q, k].any():
                    add("demand", "tou_demand", qnames[q], k, "kW", split[:, :, q, k], t.demand_rate[q, k])
    cp_note = None if t.coincident_rate is None else _coincident(t, kw, cal, coincident_peaks, coincident_interval, add)
    if t.fourcp_usd_per_kw_month:
        add("demand", "4cp_transmission", "4cp", 0, "kW", _fourcp_kw(t, kw, cal), t.fourcp_usd_per_kw_month)

    # fixed charges: $/month for every billing month, a part month too; $/day x the month's days, those the
    # load covers (cal.days_covered: a whole month's calendar days, 28-31, Feb. 29 in a leap year; 16 for
    # 16-31 January), as a utility bills a $/day charge for the days of the billing period
    days = np.broadcast_to(cal.days_covered.astype(float), (s, m))
    if t.fixed_usd_per_month or not t.fixed_usd_per_day:
        add("fixed", "customer_charge", "all", 0, "month", np.ones((s, m)), t.fixed_usd_per_month)
    if t.fixed_usd_per_day:
        add("fixed", "customer_charge", "all", 0, "day", days.copy(), t.fixed_usd_per_day)
    # minimum charges (a $/day minimum: x the month's days, as the $/day fixed charge)
    sub = sum(ln.cost for ln in lines)
    if t.min_usd_per_month or t.min_usd_per_day:
        floor = (t.min_usd_per_month + t.min_usd_per_day * days) * esc["minimum"][None, :]
        short = np.maximum(0.0, floor - sub)
        lines.append(Line("minimum", "monthly_minimum", "all", 0, "USD", short, np.ones(m), short))
        sub = sub + short
    if t.min_usd_per_year:
        short = np.zeros((s, m))
        for y in np.unique(cal.month_year):
            cols = np.flatnonzero(cal.month_year == y)
            need = t.min_usd_per_year * len(cols) / 12.0 * esc["minimum"][cols[-1]]
            short[:, cols[-1]] = np.maximum(0.0, need - sub[:, cols].sum(axis=1))
        lines.append(Line("minimum", "annual_minimum", "all", 0, "USD", short, np.ones(m), short))
    notes = list((getattr(t, "metadata", None) or {}).get("ignored", ()))
    if rat:
        from .tariff_ratchet import ratchet_note
        notes.append(ratchet_note(t, prior_peaks_kw))
    from .tariff_applicability import applicability_notes  # peakkwcapacitymax/min, enddate
    notes += applicability_notes(getattr(t, "metadata", None) or {}, peak, cal.month_label)
    notes.append(cp_note)  # priced months without a system-peak stamp (dcplan.tariff_coincident)
    return Bill(cal.month_label, names, squeeze, lines, kwh_month, peak, billing_kw, cal.days_covered,
                getattr(t, "name", "tariff"), tou_kw, notes=[n for n in notes if n])


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class Line:
    """One charge line: ``cost`` = ``qty`` x ``rate`` per (scenario, month)."""

    component: str
    charge: str
    period: object
    tier: int
    unit: str
    qty: np.ndarray   # (S, M)
    rate: np.ndarray  # (M,) [$/unit], nan for real-time energy
    cost: np.ndarray  # (S, M) [USD]


class Bill:
    """Result of :meth:`dcplan.tariff.Tariff.bill`.

    Totals (``total_usd``, ``energy_usd``, ``demand_usd``, ``fixed_usd``,
    ``minimum_usd``) are floats for one load and ``pandas.Series`` by scenario for
    several. ``monthly`` is a DataFrame by month (by scenario and month for several);
    ``breakdown`` lists every charge line. [USD]
    """

    def __init__(self, months, names, squeeze, lines, kwh, peak, billing_kw, days, tariff_name, tou_kw=None,
                 notes=()):
        self.months, self.scenarios, self._squeeze = months, names, squeeze
        #: What the bill assumed or left out that a reader must know (tuple of str): fields left out
        #: of the tariff with ``ignore`` and what that does to the bill, and what a ratchet took for
        #: the months before the load. Empty when there is nothing to say.
        self.notes = tuple(dict.fromkeys(notes))
        self.lines, self.tariff_name = lines, tariff_name
        self._kwh, self._peak, self._billing_kw, self._days = kwh, peak, billing_kw, days
        self._tou_kw = dict(tou_kw or {})  # TOU demand period label -> (S, M) billed demand [kW]
        self._comp = {c: sum((ln.cost for ln in lines if ln.component == c),
                             np.zeros_like(kwh)) for c in COMPONENTS}

    def _tot(self, arr):
        v = arr.sum(axis=1)
        if self._squeeze:
            return float(v[0])
        return pd.Series(v, index=self.scenarios if self.scenarios is not None else range(len(v)),
                         name="usd")

    energy_usd = property(lambda self: self._tot(self._comp["energy"]), doc="Energy charges. [USD]")
    demand_usd = property(lambda self: self._tot(self._comp["demand"]), doc="Demand charges. [USD]")
    fixed_usd = property(lambda self: self._tot(self._comp["fixed"]), doc="Fixed charges. [USD]")
    minimum_usd = property(lambda self: self._tot(self._comp["minimum"]), doc="Minimum-charge top-ups. [USD]")
    total_usd = property(lambda self: self._tot(self.monthly_total_array()), doc="Whole bill. [USD]")

    def monthly_total_array(self) -> np.ndarray:
        """(S, M) monthly bill totals. [USD]"""
        return sum(self._comp[c] for c in COMPONENTS)

    def component_array(self, component: str) -> np.ndarray:
        """(S, M) monthly totals of one component. [USD]"""
        return self._comp[component]

    def _keys(self):
        return self.scenarios if self.scenarios is not None else list(range(self._kwh.shape[0]))

    @property
    def monthly(self) -> pd.DataFrame:
        """The bill by month (rows by (scenario, month) for several scenarios).

        Columns:

        * ``energy_kwh``: energy billed (the load's kWh in the month). [kWh]
        * ``peak_kw``: the month's highest demand over *all* hours, the way the tariff measures
          demand (the highest interval average, or under a ``demandwindow`` longer than the load
          step the highest window average, below the highest reading). Not necessarily billed:
          under a TOU-only demand charge the bill charges the peak in the demand periods
          (``tou_billing_demand_<period>_kw``). [kW]
        * ``billing_demand_kw``: the demand the flat (all-hours) demand charge bills: ``peak_kw``
          raised by any ratchet and contract-demand floor. NaN when the tariff has no flat
          demand charge (a TOU-only demand charge bills the columns below instead). [kW]
        * ``tou_billing_demand_<period>_kw``, one per TOU demand period of the tariff
          (``<period>`` as the ``period`` of :attr:`breakdown`: the tariff's
          ``demand_period_names``, else the period number): the demand that period's charge
          bills, the highest demand in the period's hours raised by any ratchet and contract
          floor (before the tier split, so the sum of its tiers' quantities), whatever its rate
          (a period priced at 0 $/kW is listed too); NaN in a month without hours of the period.
          Absent without TOU demand charges. [kW]
        * ``days_billed``: days of the month the load covers (fixed and demand charges are
          whole-month charges even for a part month). [d]
        * ``energy_usd``, ``demand_usd``, ``fixed_usd``, ``minimum_usd``: the month's charges by
          component (``demand_usd`` includes coincident-peak and 4CP charges), and ``total_usd``
          their sum. [USD]
        """
        s, m = self._kwh.shape
        cols = {"energy_kwh": self._kwh, "peak_kw": self._peak, "billing_demand_kw": self._billing_kw,
                **{f"tou_billing_demand_{q}_kw": v for q, v in self._tou_kw.items()},
                "days_billed": np.broadcast_to(self._days, (s, m)),
                **{f"{c}_usd": self._comp[c] for c in COMPONENTS},
                "total_usd": self.monthly_total_array()}
        if self._squeeze:
            return pd.DataFrame({k: v[0] for k, v in cols.items()}, index=self.months)
        index = pd.MultiIndex.from_product([self._keys(), self.months], names=["scenario", "month"])
        return pd.DataFrame({k: np.ravel(v) for k, v in cols.items()}, index=index)

    @property
    def breakdown(self) -> pd.DataFrame:
        """Every charge line by month: component, charge, period, tier, quantity, unit,
        ``rate_usd_per_unit``, ``cost_usd`` (sums to the totals)."""
        s, m = self._kwh.shape
        frames = []
        for ln in self.lines:
            df = pd.DataFrame({"month": np.tile(self.months, s), "component": ln.component,
                               "charge": ln.charge, "period": str(ln.period), "tier": ln.tier,
                               "quantity": np.ravel(ln.qty), "unit": ln.unit,
                               "rate_usd_per_unit": np.tile(ln.rate, s), "cost_usd": np.ravel(ln.cost)})
            if not self._squeeze:
                df.insert(0, "scenario", np.repeat(np.asarray(self._keys(), dtype=object), m))
            frames.append(df)
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["scenario", "month"] if not self._squeeze else ["month"],
                               kind="stable", ignore_index=True)

    def __repr__(self):
        if self._squeeze:
            return (f"Bill({self.tariff_name!r}, {len(self.months)} months: total {self.total_usd:,.2f} USD = "
                    f"energy {self.energy_usd:,.2f} + demand {self.demand_usd:,.2f} + fixed "
                    f"{self.fixed_usd:,.2f} + minimum {self.minimum_usd:,.2f})")
        return f"Bill({self.tariff_name!r}, {len(self.months)} months x {self._kwh.shape[0]} scenarios)"

    @staticmethod
    def stack(bills: list["Bill"], names=None) -> "Bill":
        """Join bills of the same months computed for different scenario chunks."""
        keys: dict = {}
        for b in bills:
            for ln in b.lines:
                keys.setdefault((ln.component, ln.charge, str(ln.period), ln.tier, ln.unit), ln)
        lines = []
        for key, ref in keys.items():
            qty, cost = [], []
            for b in bills:
                hit = [ln for ln in b.lines if (ln.component, ln.charge, str(ln.period), ln.tier, ln.unit) == key]
                z = np.zeros_like(b._kwh)
                qty.append(hit[0].qty if hit else z)
                cost.append(hit[0].cost if hit else z)
            lines.append(Line(ref.component, ref.charge, ref.period, ref.tier, ref.unit,
                              np.concatenate(qty), ref.rate, np.concatenate(cost)))
        cat = lambda a: np.concatenate([getattr(b, a) for b in bills], axis=0)  # noqa: E731
        return Bill(bills[0].months, names, False, lines, cat("_kwh"), cat("_peak"), cat("_billing_kw"),
                    bills[0]._days, bills[0].tariff_name, _join_tou(bills, 0),
                    notes=[n for b in bills for n in b.notes])

    def take_months(self, keep: np.ndarray) -> "Bill":
        """The bill of the months where the boolean ``keep`` (M,) is True."""
        lines = [Line(ln.component, ln.charge, ln.period, ln.tier, ln.unit, ln.qty[:, keep],
                      ln.rate[keep], ln.cost[:, keep]) for ln in self.lines]
        return Bill(self.months[keep], self.scenarios, self._squeeze, lines, self._kwh[:, keep],
                    self._peak[:, keep], self._billing_kw[:, keep], self._days[keep], self.tariff_name,
                    {q: v[:, keep] for q, v in self._tou_kw.items()}, notes=self.notes)

    @staticmethod
    def concat(bills: list["Bill"]) -> "Bill":
        """Join bills of consecutive periods (e.g. one per year) into one."""
        months = bills[0].months.append([b.months for b in bills[1:]])
        offs = np.cumsum([0] + [len(b.months) for b in bills])
        s, m = bills[0]._kwh.shape[0], offs[-1]
        lines = []
        for i, b in enumerate(bills):
            for ln in b.lines:
                qty, cost, rate = np.zeros((s, m)), np.zeros((s, m)), np.full(m, np.nan)
                sl = slice(offs[i], offs[i + 1])
                qty[:, sl], cost[:, sl], rate[sl] = ln.qty, ln.cost, ln.rate
                lines.append(Line(ln.component, ln.charge, ln.period, ln.tier, ln.unit, qty, rate, cost))
        cat = lambda a: np.concatenate([getattr(b, a) for b in bills], axis=-1)  # noqa: E731
        return Bill(months, bills[0].scenarios, bills[0]._squeeze, lines, cat("_kwh"), cat("_peak"),
                    cat("_billing_kw"), cat("_days"), "+".join(b.tariff_name for b in bills), _join_tou(bills, -1),
                    notes=[n for b in bills for n in b.notes])


def _join_tou(bills, axis) -> dict:
    """The bills' TOU billed demands joined along ``axis`` (0: scenarios, -1: months); NaN where a
    bill's tariff has no such period."""
    keys = list(dict.fromkeys(q for b in bills for q in b._tou_kw))
    return {q: np.concatenate([b._tou_kw.get(q, np.full_like(b._kwh, np.nan)) for b in bills], axis=axis)
            for q in keys}


class YearlyTariff:
    """A tariff per calendar year (local time of the load); see :meth:`Tariff.by_year`.

    Each year is billed with its own tariff, together with up to 12 months of the load
    before it whose charges are then dropped: ratchets (flat, or each TOU period on its
    own history) see the real peaks of the preceding months, as in one bill of the whole
    load. Years of the load without a tariff raise :class:`InputError`.
    """

    def __init__(self, tariffs: dict):
        if not tariffs:
            raise InputError("need at least one {year: Tariff}", field="tariffs")
        self.tariffs = {int(y): t for y, t in tariffs.items()}

    def bill(self, load_kw, **kwargs) -> Bill:
        """Bill year by year and join the bills (arguments as :meth:`Tariff.bill`)."""
        kw, idx, names, squeeze = prepare_load(load_kw, kwargs.pop("index", None), kwargs.pop("fill", None))
        from .tariff_bill_stamps import label_ends, with_partial_note  # each year's load: labelled ends
        from .tariff_clock import bill_clock  # years on the bill's clock: each tariff checks UTC, or tz= given
        tz = kwargs.get("tz")
        idx = bill_clock(next(iter(self.tariffs.values())), idx, tz) if tz is not None else idx
        idx, kwargs["stamps"] = label_ends(idx, kwargs.pop("stamps", None)), "end"
        if isinstance(kwargs.get("prior_peaks_kw"), str):  # each year is billed with its real history
            raise InputError(f"{kwargs['prior_peaks_kw']!r} is for one tariff billing a repeating year; a tariff per "
                             "year bills each year with the load's own preceding months", field="prior_peaks_kw")
        cal = eng.cached_calendar(idx, None)
        years = cal.month_year[cal.month_id]
        peaks = kwargs.get("coincident_peaks")
        if peaks is not None and any(t.coincident_rate is not None for t in self.tariffs.values()):
            peaks = list(peaks)  # checked against the whole load, then split by year
            coincident_windows(peaks, cal, kwargs.get("coincident_interval", COINCIDENT_INTERVAL))
        else:
            peaks = None
        bills = []
        for y in np.unique(years):
            if peaks is not None:  # each year's bill gets the peaks of its own months
                kwargs["coincident_peaks"] = [p for p in peaks if (pd.Timestamp(p) - pd.Timedelta(1, "ns"))
                                              .tz_convert(idx.tz).year == y]
            if int(y) not in self.tariffs:
                raise InputError(f"no tariff for {y}; years given: {sorted(self.tariffs)}", field="tariffs")
            # year y and the 12 months before it (ratchet history, billed under y's tariff, dropped)
            m0 = cal.month_id[int(np.argmax(years == y))]
            sel = (years <= y) & (cal.month_id >= m0 - 12)
            sub = pd.DataFrame(kw[:, sel].T, index=idx[sel], columns=names)
            b = self.tariffs[int(y)].bill(sub, **kwargs)
            b = b.take_months(np.asarray(b.months.year == y))
            b._squeeze = squeeze
            bills.append(b)
        from .tariff_window_note import with_window_note  # each year's caveat once
        used = [self.tariffs[int(y)] for y in np.unique(years)]
        return with_window_note(with_partial_note(Bill.concat(bills), used), used, idx)
