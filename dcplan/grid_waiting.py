"""Cost of waiting for power: GPUs installed but not yet powered (re-exported by :mod:`dcplan.grid`).

Idle capital carried at the cost of capital and the revenue a powered GPU would have
earned, counted as :mod:`dcplan.tco` counts it (price per GPU-hour sold x sold share x
730 h a month).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["HOURS_PER_MONTH_H", "cost_of_waiting", "delay_cost_usd_per_month"]


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
