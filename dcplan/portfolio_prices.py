"""A portfolio's electricity bills restated at one price date, so the sites' costs compare like for like.

Each site's typical-year bill is at its own tariff's prices, those of the tariff's ``startdate``
(:func:`dcplan.tco_electricity.tariff_price_date`): the bundled tariffs are priced from 2024-03-08 (APS
E-32) to 2027-06-01 (ComEd), 3.2 years apart, and a ranking of those bills ranks prices of different
years as well as different tariffs. The ``portfolio_comparison`` and ``portfolio_sweep`` notebooks
therefore rank each bill restated at one **common price date** with the rule and rate the TCO escalates
it by (:func:`dcplan.tco_electricity.price_escalation`): ``bill x (1 + e) ** k``, ``e`` the site's
``electricity_escalation_frac`` (``finance.costs`` over ``finance``, data/costs.csv's 0.03 by default)
and ``k`` the whole 12-month steps from the first whole month on or after its price date to the common
date's month: the bill the TCO pays for a month at the common date.

The common date is the **latest** price date among the sites compared (:func:`common_price_date`): no
bill is deflated below the prices its tariff states (deflating would extrapolate the assumed rate back
over years whose real prices the older tariffs' sites had), the site with the newest tariff keeps its
bill as billed, and the date depends only on the tariffs, not on the fleets' plans or the weights. A
bill whose tariff gives no price date (a flat ``tariff:`` section) is taken as at the common date, not
escalated, and says so. The on-site PV's and battery's costs a year (:mod:`dcplan.solar_value`,
:mod:`dcplan.battery_value`) are not tariff prices and are not restated.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["common_price_date", "at_common_date", "with_costs_at_common_date", "DEFAULT_RATE_SOURCE"]

#: Where the rate comes from for a row that lacks ``electricity_escalation_frac`` (a frame written before
#: :func:`dcplan.pipeline.figures` gave it): the TCO's default.
DEFAULT_RATE_SOURCE = "data/costs.csv electricity_escalation_frac"


def common_price_date(dates) -> str | None:
    """The latest of the price dates ``dates`` (``YYYY-MM-DD`` strings; None and NaN skipped), as
    ``YYYY-MM-DD``; None when there is none.

    >>> common_price_date(["2024-03-08", None, "2027-06-01", "2026-01-01"])
    '2027-06-01'
    """
    d = pd.to_datetime(pd.Series(list(dates), dtype=object).dropna(), errors="coerce").dropna()
    return None if d.empty else f"{d.max():%Y-%m-%d}"


def at_common_date(t: pd.DataFrame, price_date: str | None = None) -> pd.DataFrame:
    """Each row's bill restated at one price date (module docstring).

    Parameters
    ----------
    t : pandas.DataFrame
        One row per site (or sweep case) with ``bill_usd`` [USD] (NaN: no tariff), ``bill_price_date``
        (``YYYY-MM-DD`` or None: the tariff gives none) and ``electricity_escalation_frac`` [frac/yr]
        (:func:`dcplan.pipeline.figures`; without the column, data/costs.csv's default).
    price_date : str, optional
        The common date; default :func:`common_price_date` of the rows with a bill.

    Returns
    -------
    pandas.DataFrame
        Indexed as ``t``: ``cost_price_date`` (the common date, the same on every row; None when no row has a
        price date: nothing is escalated), ``electricity_escalation_frac`` [frac/yr], ``escalation_steps``
        (whole 12-month steps from the row's price month; NaN without a bill or a price date),
        ``escalation_factor`` [-] (``(1 + e) ** steps``; 1 for a bill without a price date) and
        ``bill_at_common_date_usd`` [USD] (``bill_usd x escalation_factor``; NaN without a bill).

    Examples
    --------
    >>> t = pd.DataFrame({"bill_usd": [1.0e6, 2.0e6], "bill_price_date": ["2024-03-08", "2027-06-01"],
    ...                   "electricity_escalation_frac": [0.03, 0.03]}, index=["phx", "chi"])
    >>> at_common_date(t)[["escalation_steps", "bill_at_common_date_usd"]].round(2)
         escalation_steps  bill_at_common_date_usd
    phx               3.0                1092727.0
    chi               0.0                2000000.0
    """
    from .tco_electricity import price_escalation
    from .tco_input_types import default_cost
    bill = (pd.to_numeric(t["bill_usd"], errors="coerce") if "bill_usd" in t
            else pd.Series(float("nan"), index=t.index))
    given = t["bill_price_date"] if "bill_price_date" in t else pd.Series(None, index=t.index, dtype=object)
    dates = pd.Series([None if d is None or (not isinstance(d, str) and pd.isna(d)) or str(d) == "" else str(d)
                       for d in given], index=t.index, dtype=object)
    rate = (pd.to_numeric(t["electricity_escalation_frac"], errors="coerce") if "electricity_escalation_frac" in t
            else pd.Series(float("nan"), index=t.index)).fillna(default_cost("electricity_escalation_frac"))
    at = price_date if price_date is not None else common_price_date(dates[bill.notna()])
    steps = pd.Series(float("nan"), index=t.index)
    factor = pd.Series(1.0, index=t.index)
    if at is not None:
        for i in t.index:
            if pd.notna(bill[i]) and dates[i] is not None:
                k, f = price_escalation(dates[i], at, float(rate[i]))
                steps[i], factor[i] = float(k), f
    return pd.DataFrame({"cost_price_date": pd.Series(at, index=t.index, dtype=object),
                         "electricity_escalation_frac": rate, "escalation_steps": steps,
                         "escalation_factor": factor.where(bill.notna()),
                         "bill_at_common_date_usd": bill * factor}, index=t.index)


def with_costs_at_common_date(t: pd.DataFrame, price_date: str | None = None) -> pd.DataFrame:
    """``t`` with :func:`at_common_date`'s columns and the electricity costs per GPU-hour and per million tokens
    (:func:`dcplan.portfolio_score.unit_figures`) of each bill at the common date: ``usd_per_gpu_h``,
    ``usd_per_m_tokens`` = (``bill_at_common_date_usd`` + the PV's and battery's costs a year) / GPU-hours or
    million tokens. ``bill_usd`` stays the bill at its tariff's own prices. What the portfolio comparison
    (:func:`dcplan.portfolio_compare.comparison_table`) and the site verdict
    (:func:`dcplan.site_verdict.site_verdict`) rank, so the two rank the same sites alike.

    Parameters
    ----------
    t : pandas.DataFrame
        One row per site: :func:`dcplan.portfolio_compare.site_row`'s columns (at least ``n_accelerators`` and
        ``hours_h`` [h]; ``bill_usd`` [USD], ``bill_price_date``, ``electricity_escalation_frac`` [frac/yr] as
        :func:`at_common_date` takes them), without unit-figure columns.
    price_date : str, optional
        The common date; default :func:`common_price_date` of the rows with a bill.

    Examples
    --------
    >>> t = pd.DataFrame({"bill_usd": [1.0e6, 2.0e6], "bill_price_date": ["2024-03-08", "2027-06-01"],
    ...                   "electricity_escalation_frac": [0.03, 0.03], "n_accelerators": [100, 100],
    ...                   "hours_h": [8760.0, 8760.0]}, index=["phx", "chi"])
    >>> with_costs_at_common_date(t)["usd_per_gpu_h"].round(4).tolist()  # 1.0e6 x 1.03 ** 3 / 876,000 GPU-h
    [1.2474, 2.2831]
    """
    from .portfolio_score import unit_figures
    t = t.copy()
    esc = at_common_date(t, price_date)  # every bill at one price date, as the TCO escalates it
    t[list(esc.columns)] = esc
    return t.join(unit_figures(t.assign(bill_usd=t["bill_at_common_date_usd"])))
