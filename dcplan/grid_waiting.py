"""Cost of waiting for power: GPUs installed but not yet powered (re-exported by :mod:`dcplan.grid`).

Idle capital carried at the cost of capital and the revenue a powered GPU would have
earned, counted as :mod:`dcplan.tco` counts it (price per GPU-hour sold x sold share x
730 h a month).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .grid_ramp import powered_from

__all__ = ["HOURS_PER_MONTH_H", "cost_of_waiting", "waiting_cost_split", "firm_only_waiting",
           "delay_cost_usd_per_month", "phases_after", "stranded_gpu_months", "plan_gaps", "plan_gap_fit_words",
           "plan_gap_lines", "tranche_deployment_ramp",
           "never_powered_gpus", "without_shortfall"]


#: Hours in a month for revenue: a 365-day year / 12 = 730 h, as :data:`dcplan.tco.HOURS_PER_MONTH`
#: (the TCO's sold GPU-hours), so a lost GPU-month here is the TCO's GPU-month. [h]
HOURS_PER_MONTH_H = 8760.0 / 12.0


def _check_waiting_inputs(capex_usd_per_gpu, revenue_usd_per_gpu_h, utilisation_frac, annual_rate_frac,
                          hours_per_month_h, **more) -> None:
    for name, v in (("capex_usd_per_gpu", capex_usd_per_gpu), ("revenue_usd_per_gpu_h", revenue_usd_per_gpu_h),
                    ("utilisation_frac", utilisation_frac), ("annual_rate_frac", annual_rate_frac),
                    ("hours_per_month_h", hours_per_month_h), *more.items()):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.number)) or not np.isfinite(v) or v < 0:
            raise InputError(f"must be a finite number >= 0, got {v!r}", field=name)
    if utilisation_frac > 1:  # the bound of fleet.utilisation_frac; 80 is 80 % given in percent
        raise InputError(f"must be a fraction in [0, 1] (0.8 for 80 %), got {utilisation_frac}",
                         field="utilisation_frac")
    if annual_rate_frac > 1:  # the bound of finance.discount_rate_frac; 8 is 8 %/yr given in percent
        raise InputError(f"must be a fraction <= 1 per year (0.08 for 8 %), got {annual_rate_frac}",
                         field="annual_rate_frac")


def cost_of_waiting(ramp: pd.DataFrame, *, capex_usd_per_gpu: float, revenue_usd_per_gpu_h: float,
                    utilisation_frac: float, annual_rate_frac: float,
                    hours_per_month_h: float = HOURS_PER_MONTH_H,
                    revenue_escalation_frac: float = 0.0) -> pd.DataFrame:
    """Monthly cost of GPUs that are installed but cannot be powered (handed to TCO).

    ``idle_capex_usd = stranded * capex_usd_per_gpu`` (capital sitting idle that month),
    ``carrying_cost_usd = idle_capex_usd * annual_rate_frac / 12``,
    ``lost_revenue_usd = stranded * hours_per_month_h * utilisation_frac * revenue_usd_per_gpu_h``
    (the GPU-hours a powered GPU would have sold, as :mod:`dcplan.tco` counts revenue),
    ``waiting_cost_usd = carrying_cost_usd + lost_revenue_usd``. Revenue is gross: no
    operating cost is subtracted, so it bounds the margin lost from above. The price changes
    by ``revenue_escalation_frac`` a year, as the TCO's price per GPU-hour: row ``m`` of the
    ramp (0 = its first month) sells at ``revenue_usd_per_gpu_h * (1 + revenue_escalation_frac)
    ** (m // 12)``, whole years from the ramp's first month (the TCO counts from project start).

    Parameters
    ----------
    ramp : pandas.DataFrame
        From :func:`deployment_ramp` (needs ``stranded_gpus``).
    capex_usd_per_gpu : float
        Installed cost per GPU (server share, network, facility). [USD/GPU]
    revenue_usd_per_gpu_h : float
        Price per GPU-hour sold, e.g. the TCO's ``revenue_usd_per_gpu_h`` (``data/costs.csv``
        or the site's ``finance`` override). [USD/GPU-h]
    utilisation_frac : float
        Share of a powered GPU's hours that are sold, in [0, 1]: the TCO's
        ``utilization_frac``, i.e. the site's ``fleet.utilisation_frac``. [frac]
    annual_rate_frac : float
        Cost of capital, e.g. the site's ``finance.discount_rate_frac``; a fraction in
        [0, 1] as that field (0.08, not 8). [1/yr]
    hours_per_month_h : float, default 730
        Hours per month, :data:`HOURS_PER_MONTH_H` (8760 / 12, as the TCO). [h]
    revenue_escalation_frac : float, default 0
        Change of the price per GPU-hour per year, > -1 (the TCO's ``revenue_escalation_frac``:
        -0.10 for prices falling 10 %/yr). [1/yr]

    Examples
    --------
    One stranded GPU for one month at 4 USD/GPU-h, 80 % sold, no capital cost:
    730 x 0.8 x 4 = 2336 USD.

    >>> r = pd.DataFrame({"stranded_gpus": [1.0]})
    >>> float(cost_of_waiting(r, capex_usd_per_gpu=0.0, revenue_usd_per_gpu_h=4.0,
    ...                       utilisation_frac=0.8, annual_rate_frac=0.0)["lost_revenue_usd"].iloc[0])
    2336.0
    """
    _check_waiting_inputs(capex_usd_per_gpu, revenue_usd_per_gpu_h, utilisation_frac, annual_rate_frac,
                          hours_per_month_h)
    r = revenue_escalation_frac
    if isinstance(r, bool) or not isinstance(r, (int, float, np.number)) or not np.isfinite(r) or not -1 < r <= 1:
        raise InputError(f"must be a fraction per year in (-1, 1] (-0.10 for prices falling 10 %/yr), got {r!r}",
                         field="revenue_escalation_frac")
    stranded = ramp["stranded_gpus"]
    idle = stranded * capex_usd_per_gpu
    carrying = idle * annual_rate_frac / 12.0
    price = revenue_usd_per_gpu_h * (1.0 + r) ** (np.arange(len(ramp)) // 12)
    lost = stranded * (hours_per_month_h * utilisation_frac * price)
    return pd.DataFrame({"stranded_gpus": stranded, "idle_capex_usd": idle,
                         "carrying_cost_usd": carrying, "lost_revenue_usd": lost,
                         "waiting_cost_usd": carrying + lost})


def delay_cost_usd_per_month(gpus: float, *, capex_usd_per_gpu: float, revenue_usd_per_gpu_h: float,
                             utilisation_frac: float, annual_rate_frac: float,
                             hours_per_month_h: float = HOURS_PER_MONTH_H) -> float:
    """Cost of one month of delay for ``gpus`` installed but unpowered GPUs. [USD/month]

    ``gpus * (capex_usd_per_gpu * annual_rate_frac / 12
    + hours_per_month_h * utilisation_frac * revenue_usd_per_gpu_h)``; arguments and units
    as :func:`cost_of_waiting`.
    """
    _check_waiting_inputs(capex_usd_per_gpu, revenue_usd_per_gpu_h, utilisation_frac, annual_rate_frac,
                          hours_per_month_h, gpus=gpus)
    return float(gpus) * (capex_usd_per_gpu * annual_rate_frac / 12.0
                          + hours_per_month_h * utilisation_frac * revenue_usd_per_gpu_h)


def never_powered_gpus(ramp: pd.DataFrame, full_powerable_gpus: float | None = None) -> np.ndarray:
    """GPUs installed each month that the full contract never powers: ``max(0, planned_gpus - P)``, ``P`` the
    GPUs the full contracted capacity powers (``full_powerable_gpus``; None: ``ramp``'s last month's
    ``powerable_gpus``, the full contract's when the ramp runs past the last phase's energization, as
    :func:`dcplan.grid.ramp_band`'s does, 24 months past the last phase's p90 date). A shortfall, not a wait:
    however long one waits they stay unpowered, so counting them as waiting makes the stranded GPU-months and
    the cost of waiting grow with wherever the ramp happens to end. [GPUs]

    >>> r = pd.DataFrame({"planned_gpus": [500.0, 1500.0], "powerable_gpus": [0.0, 1000.0]})
    >>> never_powered_gpus(r).tolist()
    [0.0, 500.0]
    """
    p = float(ramp["powerable_gpus"].iloc[-1]) if full_powerable_gpus is None else float(full_powerable_gpus)
    return np.maximum(0.0, ramp["planned_gpus"].to_numpy(dtype=float) - p)


def without_shortfall(ramp: pd.DataFrame, full_powerable_gpus: float | None = None) -> pd.DataFrame:
    """``ramp`` (:func:`dcplan.grid.deployment_ramp`) with the GPUs the full contract never powers
    (:func:`never_powered_gpus`) taken out of ``stranded_gpus`` and kept apart in a ``never_powered_gpus``
    column: the GPUs that wait for power, which :func:`cost_of_waiting` should count. ``stranded_gpus`` stays
    >= 0: a month's capacity is at most the full contract's, so at least the never-powered GPUs are
    stranded. [GPUs]"""
    never = never_powered_gpus(ramp, full_powerable_gpus)
    out = ramp.copy()
    out["never_powered_gpus"] = never
    out["stranded_gpus"] = np.maximum(0.0, ramp["stranded_gpus"].to_numpy(dtype=float) - never)
    return out


def firm_only_waiting(firm_band: pd.DataFrame, kw_per_gpu, gpus_per_unit: int = 1, quantile_tag: str = "p50") -> dict:
    """GPU-months installed but waiting for power on the firm capacity alone, as the interconnection notebook
    publishes them beside ``stranded_gpu_months`` (``stranded_gpu_months_firm_only``).

    ``firm_band``: :func:`dcplan.grid.ramp_band` with ``firm_only=True`` (each phase's firm MW only), running past
    every phase's energization (its default end); ``kw_per_gpu`` [kW/GPU] and ``gpus_per_unit`` as the ramp. The
    GPUs the full firm capacity never powers, ``max(0, installed - F)`` with ``F`` the GPUs the sum of the phases'
    firm MW powers in whole units (:func:`never_powered_gpus` on the firm ramp's last month), are a shortfall of firm
    capacity, not a wait: left out (:func:`without_shortfall`), as ``stranded_gpu_months`` leaves out the GPUs the
    full contract never powers. Counted as waiting they would add ``max(0, installed - F)`` GPU-months for every
    month to wherever the ramp ends (24 months past the last phase's p90 date), a figure that grew with the p90 grid
    delay (until 2026 it did).

    Returns
    -------
    dict
        ``gpu_months`` (the waiting GPU-months summed over the months), ``never_powered_gpus`` (the most GPUs in a
        month the firm capacity never powers: left out), ``powered_gpus_end`` (GPUs powered on the firm capacity
        in the ramp's last month). [GPU-months], [GPUs]

    >>> idx = pd.date_range("2027-01-01", periods=3, freq="MS")
    >>> b = pd.DataFrame({"capacity_mw_p50": [0.0, 1.0, 1.0], "planned_gpus": [0.0, 1000.0, 1000.0]}, index=idx)
    >>> w = firm_only_waiting(b, 2.0)   # 1 MW at 2 kW/GPU powers 500 of the 1,000 GPUs, from the second month
    >>> w["gpu_months"], w["never_powered_gpus"], w["powered_gpus_end"]
    (0.0, 500.0, 500.0)
    """
    from .grid import deployment_ramp  # (dcplan.grid imports this module)
    ramp = deployment_ramp(firm_band[f"capacity_mw_{quantile_tag}"], kw_per_gpu, firm_band["planned_gpus"],
                           gpus_per_unit)
    waiting = without_shortfall(ramp)
    return {"gpu_months": float(waiting["stranded_gpus"].sum()),
            "never_powered_gpus": float(waiting["never_powered_gpus"].max()),
            "powered_gpus_end": float(ramp["powered_gpus"].iloc[-1])}


def waiting_cost_split(planned_ramp: pd.DataFrame, ramp: pd.DataFrame, **cost) -> dict[str, float]:
    """The cost of waiting split into the part the plan itself causes and the part the grid delay adds.

    ``planned_ramp``: :func:`dcplan.grid.deployment_ramp` on the contracted capacity at its planned
    dates (no delay): GPUs installed before their capacity's planned date are stranded even if the
    grid is on time. ``ramp``: the same on the delayed capacity (e.g. the median). A delay only moves
    capacity later, so each month's stranded GPUs of ``ramp`` are at least ``planned_ramp``'s; the
    delay's part is the difference. ``cost``: the keyword arguments of :func:`cost_of_waiting`.

    GPUs the full contract never powers (a fleet bigger than the contract: :func:`never_powered_gpus`, the
    planned GPUs beyond ``planned_ramp``'s last month's ``powerable_gpus``) are left out of both ramps
    (:func:`without_shortfall`), as :func:`plan_gaps` leaves them out: they are a shortfall, not a wait, and
    counted as waiting they would cost until wherever the ramp ends (the interconnection notebook's ramp ends
    24 months after the last phase's p90 date). The delay's part is the same either way.

    Returns
    -------
    dict
        ``total_usd`` (:func:`cost_of_waiting` of ``ramp``), ``plan_usd`` (of ``planned_ramp``),
        ``delay_usd`` (their difference), ``total_gpu_months``, ``plan_gpu_months``,
        ``delay_gpu_months``, ``never_powered_gpus`` (the most in a month: left out). [USD], [GPU-months], [GPUs]

    Examples
    --------
    Two GPUs stranded one month on plan, five with the delay, 100 USD per GPU-month of revenue:

    >>> p, d = pd.DataFrame({"stranded_gpus": [2.0]}), pd.DataFrame({"stranded_gpus": [5.0]})
    >>> s = waiting_cost_split(p, d, capex_usd_per_gpu=0.0, revenue_usd_per_gpu_h=100 / 730,
    ...                        utilisation_frac=1.0, annual_rate_frac=0.0)
    >>> round(s["plan_usd"], 6), round(s["delay_usd"], 6)
    (200.0, 300.0)
    """
    if not planned_ramp.index.equals(ramp.index):
        raise InputError("planned_ramp and ramp must share the same monthly index", field="planned_ramp")
    full = float(planned_ramp["powerable_gpus"].iloc[-1]) if "powerable_gpus" in planned_ramp else None
    if full is not None:  # (a bare stranded_gpus frame, as in the example: nothing to take out)
        ramp, planned_ramp = without_shortfall(ramp, full), without_shortfall(planned_ramp, full)
    total, plan = cost_of_waiting(ramp, **cost), cost_of_waiting(planned_ramp, **cost)
    t_usd, p_usd = float(total["waiting_cost_usd"].sum()), float(plan["waiting_cost_usd"].sum())
    t_n, p_n = float(total["stranded_gpus"].sum()), float(plan["stranded_gpus"].sum())
    never = float(planned_ramp["never_powered_gpus"].max()) if full is not None else 0.0
    return {"total_usd": t_usd, "plan_usd": p_usd, "delay_usd": t_usd - p_usd,
            "total_gpu_months": t_n, "plan_gpu_months": p_n, "delay_gpu_months": t_n - p_n,
            "never_powered_gpus": never}


def phases_after(interconnection, last_month) -> list[tuple[str, float, pd.Timestamp]]:
    """The phases with capacity, not in service, that are planned to count only after
    ``last_month`` (a phase counts from the first month starting on or after its date, as
    :func:`dcplan.grid.capacity_timeline`), e.g. the finance horizon's last month
    (:func:`dcplan.tco.calendar_months`): the GPUs they power earn nothing within it.

    Returns
    -------
    list of (label, mw, planned date)
        ``label`` as :func:`dcplan.grid.energization_dates` names the phase. [-, MW, date]

    >>> from dcplan.specs.interconnection import InterconnectionSpec
    >>> ic = InterconnectionSpec(region="az-aps", requested_mw=10, filed="2025-01-15",
    ...                          phases=[{"energized": "2026-09-01", "mw": 4}, {"energized": "2045-01-02", "mw": 6}])
    >>> phases_after(ic, "2035-09")
    [('phase 2', 6.0, Timestamp('2045-01-02 00:00:00'))]
    """
    from .grid import _phases  # (dcplan.grid imports this module)
    last = pd.Period(last_month, freq="M")
    out = []
    for d, mw, _, label, in_service in _phases(interconnection):  # phases with capacity, as grid names them
        if not in_service and powered_from(d) > last:   # the month rule (dcplan.grid_ramp)
            out.append((label, float(mw), d))
    return out


def tranche_deployment_ramp(capacity_mw: pd.Series, tranches) -> pd.DataFrame:
    """:func:`dcplan.grid.deployment_ramp` for a fleet of several hardware types: ``tranches``, ``[(date, GPUs,
    kW per GPU), ...]``, each installed from the first month starting on or after its date (as
    :func:`dcplan.grid.gpu_plan` counts it) and powered at its own facility kW per GPU, the oldest first as
    :func:`dcplan.tco_ramp.tranche_ramp` powers them (a hall already running keeps its power; tranches counting
    from the same month are one, at their GPUs' mean kW, as :func:`dcplan.tco_inputs.fleet_phase_mix` merges
    them): tranche ``k`` powers ``min(installed_k, floor((capacity - power of the older tranches installed) /
    kw_k))`` whole GPUs. With one kW for all this is :func:`~dcplan.grid.deployment_ramp`'s
    ``min(planned, floor(capacity / kw))`` (whole GPUs: the older tranches' power is a whole number of GPUs).
    A tranche ``(date, GPUs, kW per GPU, GPUs per unit)`` is powered in whole units (racks or servers,
    :func:`dcplan.grid_ramp.power_unit_gpus`): ``u_k * floor(... / (kw_k * u_k))``; tranches merged in one month
    take the greatest common divisor of their units. Without it, whole GPUs (1).

    Returns
    -------
    pandas.DataFrame
        :func:`~dcplan.grid.deployment_ramp`'s columns: ``capacity_mw``, ``planned_gpus``, ``powerable_gpus``
        (the GPUs the month's capacity powers of the whole fleet installed, by the same rule: the GPUs beyond it
        in the last month are those the contract never powers), ``powered_gpus``, ``stranded_gpus``, ``spare_mw``.
    """
    from .grid_ramp import gpu_plan
    months = capacity_mw.index
    merged: dict = {}
    from math import gcd

    from .grid_ramp import check_unit_gpus, whole_units_gpus
    for d, n, kw, *unit in tranches:
        u = check_unit_gpus(unit[0] if unit else 1, field="tranches")
        if not (np.isfinite(kw) and kw > 0):
            raise InputError(f"kW per GPU must be > 0, got {kw} (the tranche of {d})", field="kw_per_gpu")
        if not (np.isfinite(n) and n >= 0):
            raise InputError(f"GPUs added on {d} must be >= 0, got {n}", field="tranches")
        first = powered_from(d)                      # installed from the first month on or after its date
        g = merged.setdefault(first, [first.to_timestamp(), 0.0, 0.0, 0])
        g[1], g[2], g[3] = g[1] + float(n), g[2] + float(n) * float(kw), gcd(g[3], u)
    cap_kw = capacity_mw.to_numpy(dtype=float) * 1000.0
    planned, powered, powerable, used_kw = (np.zeros(len(months)) for _ in range(4))
    ahead = np.zeros(len(months))        # power of the older tranches installed
    ahead_all = 0.0                      # ... all of them installed
    for first in sorted(merged):
        d, n, kw_n, u = merged[first]
        if n <= 0:
            continue
        kw = kw_n / n
        inst = gpu_plan({d: n}, months).to_numpy()
        on = np.minimum(inst, whole_units_gpus(np.maximum(0.0, cap_kw - ahead), kw, u))
        powered += on
        used_kw += on * kw
        powerable += np.minimum(n, whole_units_gpus(np.maximum(0.0, cap_kw - ahead_all), kw, u))
        planned += inst
        ahead += inst * kw
        ahead_all += n * kw
    return pd.DataFrame({"capacity_mw": capacity_mw, "planned_gpus": planned, "powerable_gpus": powerable,
                         "powered_gpus": powered, "stranded_gpus": planned - powered,
                         "spare_mw": capacity_mw - used_kw / 1000.0}, index=months)


def stranded_gpu_months(interconnection, kw_per_gpu: float, additions, *, order_delay_months: float | None = None,
                        quantile: float = 0.5, start=None, tranches=None, gpus_per_unit: int = 1) -> dict:
    """GPU-months installed but unpowered, as the ``interconnection`` notebook counts them: the
    deployment ramp (:func:`dcplan.grid.ramp_band` of the GPUs ``additions``, ``{date: GPUs}``, at
    ``kw_per_gpu`` [kW/GPU]; the notebook's facility power per GPU at full design IT in the typical year's
    worst hour) on the contracted capacity at its planned dates (the plan's own part: GPUs installed before
    their capacity's planned date) and delayed by the grid wait's ``quantile`` (the median by default).
    ``start``: the ramp's first month (default the filing date, as the notebook; a fleet installed before its
    filing date waits from its own start). ``tranches``: ``[(date, GPUs, kW per GPU), ...]`` of a fleet of
    several hardware types, each tranche powered at its own kW, the oldest first, as the TCO powers them
    (:func:`tranche_deployment_ramp`); ``additions`` and ``kw_per_gpu`` then serve only the band's dates.
    ``gpus_per_unit``: the GPUs of a rack or server, powered whole (:func:`dcplan.grid_ramp.power_unit_gpus`;
    default 1, whole GPUs; a tranche gives its own as a 4th element). The GPUs the full contract never powers
    are left out of every count (:func:`without_shortfall`, as :func:`waiting_cost_split` and :func:`plan_gaps`):
    a shortfall, not a wait.

    Returns
    -------
    dict
        ``total_gpu_months`` (delayed: the notebook's ``stranded_gpu_months``), ``plan_gpu_months`` (on the
        planned dates: its ``stranded_gpu_months_plan``), ``delay_gpu_months`` (their difference), ``gpus``
        (at full build-out), ``never_powered_gpus`` (of them, those the full contract never powers: left out),
        ``planned_ramp`` (:func:`dcplan.grid.deployment_ramp` on the planned dates, its ``stranded_gpus``
        including the never-powered), ``last_month`` (the ramp's last month). [GPU-months], [GPUs]
    """
    from .grid import deployment_ramp, ramp_band  # (dcplan.grid imports this module)
    rb = ramp_band(interconnection, kw_per_gpu, additions, order_delay_months=order_delay_months,
                   quantiles=(quantile,), start=start)
    tag = f"p{round(quantile * 100):02d}"

    def ramp(cap):
        return (deployment_ramp(cap, kw_per_gpu, rb["planned_gpus"], gpus_per_unit) if tranches is None
                else tranche_deployment_ramp(cap, tranches))
    delayed = ramp(rb[f"capacity_mw_{tag}"])
    planned = ramp(rb["planned_capacity_mw"])
    full = float(planned["powerable_gpus"].iloc[-1])  # the full contract's (the ramp ends past every phase)
    waiting_delayed, waiting_planned = without_shortfall(delayed, full), without_shortfall(planned, full)
    t, p = float(waiting_delayed["stranded_gpus"].sum()), float(waiting_planned["stranded_gpus"].sum())
    return {"total_gpu_months": t, "plan_gpu_months": p, "delay_gpu_months": t - p,
            "gpus": float(rb["planned_gpus"].iloc[-1]),
            "never_powered_gpus": float(waiting_planned["never_powered_gpus"].max()),
            "planned_ramp": planned, "last_month": rb.index[-1]}


def plan_gaps(planned_ramp: pd.DataFrame, interconnection) -> list[dict]:
    """The spells of the plan's own gap that a later grid phase closes: runs of consecutive months of
    ``planned_ramp`` (:func:`dcplan.grid.deployment_ramp` on the capacity at its planned dates) with GPUs
    waiting, each ended by the month a phase's capacity counts from. GPUs waiting in a month: those stranded
    less those the full contract never powers (the planned GPUs beyond the ramp's last month's powerable
    GPUs: a shortfall, not a wait, left out here as in :func:`stranded_gpu_months`: :func:`without_shortfall`).

    Returns
    -------
    list of dict
        ``first``, ``last`` (months, :class:`pandas.Period`), ``months``, ``min_gpus`` and ``max_gpus`` (the
        fewest and most waiting in a month of it), ``gpu_months``, and the phase(s) that end it (counting
        from the month after ``last``): ``label``, ``mw``, ``planned`` (the first one's date).
    """
    from .grid import _phases
    s = without_shortfall(planned_ramp)["stranded_gpus"].to_numpy(dtype=float)
    months = planned_ramp.index
    counts = [(powered_from(d), lab, mw, d)
              for d, mw, _, lab, live in _phases(interconnection) if not live]
    out, i = [], 0
    while i < len(s):
        if s[i] <= 0:
            i += 1
            continue
        j = i
        while j + 1 < len(s) and s[j + 1] > 0 and planned_ramp["capacity_mw"].iloc[j + 1] <= \
                planned_ramp["capacity_mw"].iloc[j]:
            j += 1
        end = (months[j] + pd.offsets.MonthBegin(1)).to_period("M")
        ph = [(lab, mw, d) for m, lab, mw, d in counts if m == end]
        w = s[i:j + 1]
        out.append({"first": months[i].to_period("M"), "last": months[j].to_period("M"), "months": j - i + 1,
                    "min_gpus": float(w.min()), "max_gpus": float(w.max()), "gpu_months": float(w.sum()),
                    "label": ", ".join(p[0] for p in ph) or "more capacity", "mw": float(sum(p[1] for p in ph)),
                    "planned": ph[0][2] if ph else end.to_timestamp()})
        i = j + 1
    return out


def plan_gap_fit_words(planned_ramp: pd.DataFrame, interconnection, gpus_per_unit: int = 1, unit: str = "GPUs",
                       kw_per_gpu: float | None = None) -> list[str]:
    """One text per spell of :func:`plan_gaps`: how fragile the whole units it powers are
    (:func:`dcplan.grid_ramp.units_fit_words` on the spell's capacity, ``kw_per_gpu`` [kW/GPU] and
    ``gpus_per_unit``, e.g. ``"82.97 fit; 1 more rack needs 0.033 % less power per rack"``), ``""`` where
    the count is not on a knife edge (within 0.05 % of power and a tenth of a unit of the next or previous
    whole unit: :data:`dcplan.grid_ramp.FIT_EDGE_FRAC`, :data:`dcplan.grid_ramp.FIT_EDGE_UNITS`), is not the
    capacity's (more capacity than installed GPUs, or capacity or powered units changing in the spell), counts
    whole GPUs (``gpus_per_unit`` 1: one GPU is no material step) or ``kw_per_gpu`` is None or varies by month."""
    from .grid_ramp import units_fit_words
    gaps = plan_gaps(planned_ramp, interconnection)
    u = int(gpus_per_unit)
    if kw_per_gpu is None or u == 1 or np.ndim(kw_per_gpu) != 0:
        return [""] * len(gaps)
    out = []
    for g in gaps:
        w = planned_ramp.loc[g["first"].to_timestamp():g["last"].to_timestamp()]
        pw, cap = w["powered_gpus"], w["capacity_mw"]
        whole = pw.nunique() == 1 and cap.nunique() == 1 and bool((pw == w["powerable_gpus"]).all())
        out.append(units_fit_words(float(cap.iloc[0]) * 1000.0, float(kw_per_gpu), u, unit) if whole else "")
    return out


def plan_gap_lines(planned_ramp: pd.DataFrame, interconnection, gpus_per_unit: int = 1,
                   unit: str = "GPUs", kw_per_gpu: float | None = None) -> tuple[list[str], float]:
    """The plan's own gaps (:func:`plan_gaps`) in words, one line a spell, and the most GPUs one leaves
    unpowered in a month: e.g. ``"20 of 64 racks powered from 2027-01 to 2027-12 (72 GPUs each): 3,168 GPUs
    installed and unpowered, 38,016 GPU-months, until phase 2 (21 MW, planned 2028-07-01)"``. Powered and
    installed are ``planned_ramp``'s (:func:`dcplan.grid.deployment_ramp` on the capacity at its planned dates)
    in units of ``gpus_per_unit`` GPUs called ``unit`` (:func:`dcplan.grid_ramp.unit_noun`); a range where they change in
    the spell. With ``kw_per_gpu`` [kW/GPU] (the ramp's), a count on a knife edge (within 0.05 % of power and
    a tenth of a unit of another whole count) says its unrounded ratio (:func:`plan_gap_fit_words`):
    ``"(72 GPUs each; 82.97 fit; 1 more rack needs 0.033 % less power per rack)"``. The most unpowered leaves
    out the GPUs the full contract never powers (a shortfall, as :func:`plan_gaps` does). ``([], 0.0)`` when the
    plan has no gap. [GPUs]"""
    gaps = plan_gaps(planned_ramp, interconnection)
    fits = plan_gap_fit_words(planned_ramp, interconnection, gpus_per_unit, unit, kw_per_gpu)
    u = int(gpus_per_unit)

    def span(a, b) -> str:
        return f"{a / u:,.0f}" if a == b else f"{a / u:,.0f}-{b / u:,.0f}"
    out = []
    for g, fit in zip(gaps, fits):
        w = planned_ramp.loc[g["first"].to_timestamp():g["last"].to_timestamp()]
        pw, inst = w["powered_gpus"], w["planned_gpus"]
        when = f"in {g['first']}" if g["months"] == 1 else f"from {g['first']} to {g['last']}"
        until = (f"{g['label']} ({g['mw']:,.4g} MW, planned {g['planned']:%Y-%m-%d})" if g["mw"] > 0
                 else f"more capacity from {g['planned']:%Y-%m}")
        waiting = (f"{g['max_gpus']:,.0f}" if g["min_gpus"] == g["max_gpus"]
                   else f"{g['min_gpus']:,.0f}-{g['max_gpus']:,.0f}")
        each = [f"{u} GPUs each"] if u != 1 else []
        gpus = f" ({'; '.join(each + ([fit] if fit else []))})" if each or fit else ""
        out.append(f"{span(pw.min(), pw.max())} of {span(inst.min(), inst.max())} {unit} powered {when}{gpus}: "
                   f"{waiting} GPUs installed and unpowered, {g['gpu_months']:,.0f} GPU-months, until {until}")
    return out, float(max((g["max_gpus"] for g in gaps), default=0.0))
