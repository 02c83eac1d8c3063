"""What the on-site PV costs a year, to set beside what it takes off the bill (owner: solar).

The site bill (:func:`dcplan.pipeline.run_site_year`) is the bill of the grid draw after the
PV: it counts the PV's energy as a saving and nothing of the PV's cost. A site with PV would
then look cheaper per GPU-hour than the same site without it, however dear the PV, and a sweep
over ``solar.dc_kw`` would always favour the largest array. The TCO (:mod:`dcplan.tco`) pays
the PV's capex and O&M over its horizon; for the one-year figures (site analysis, portfolio
comparison, sweep), which are year-1 bills at today's rates, the PV's life cost is put in the
same year-1 terms as its saving:

    annual cost = (capex + O&M_1 x L_om) / L_save

    L_save = sum_{t=1..n} (1 + e) ** (t - 1) x (1 - d x (t - 1)) / (1 + r) ** t
    L_om   = sum_{t=1..n} (1 + i) ** (t - 1) / (1 + r) ** t

``L_save`` is the present value of a 1-USD year-1 bill saving over the PV's life: it rises with
the electricity escalation ``e`` and falls with the PV's degradation ``d`` (the TCO's linear
``1 - d x age``); ``L_om`` that of 1 USD of year-1 O&M rising with inflation ``i``; ``r`` is the
site's discount rate and ``n`` the PV's economic life
(:data:`dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS`, 30 yr). So the year-1 saving less the
annual cost is the PV's net present value over its life divided by ``L_save``: positive exactly
when the PV pays for itself over its life (before tax, with no incentive, as the TCO), and the
saving and the cost are compared on one basis (a year-1 saving against a level 30-year payment
would not be). It takes the saving to scale with the PV's energy as it degrades (demand charges
make it a little less than proportional). ``capex = pv_usd_per_kw_dc x dc_kw`` and ``O&M_1 =
pv_om_usd_per_kw_dc_year x dc_kw`` (``data/costs.csv``, or the site's ``finance.costs``); ``e``,
``i`` and ``r`` as the TCO takes them (``finance.costs`` over the ``finance:`` section).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .errors import InputError

__all__ = ["capital_recovery_factor", "pv_annual_cost", "PV_CAPEX_KEY", "PV_OM_KEY", "finance_lookup",
           "life_factors"]

#: data/costs.csv keys of the PV's installed cost [USD/kWdc] and fixed O&M [USD/kWdc-yr].
PV_CAPEX_KEY = "pv_usd_per_kw_dc"
PV_OM_KEY = "pv_om_usd_per_kw_dc_year"


def capital_recovery_factor(rate_frac: float, years: float) -> float:
    """The level yearly payment per unit of capital repaid over ``years`` at ``rate_frac``.

    ``CRF = r / (1 - (1 + r) ** -n)``; ``1 / n`` at ``r = 0``.

    >>> round(capital_recovery_factor(0.08, 30), 6)
    0.088827
    >>> capital_recovery_factor(0.0, 20)
    0.05
    """
    r, n = float(rate_frac), float(years)
    if not math.isfinite(r) or not 0.0 <= r <= 1.0:
        raise InputError(f"must be a discount rate in [0, 1] per year (a fraction: 8 % is 0.08), got {rate_frac!r}",
                         field="rate_frac")
    if not math.isfinite(n) or n <= 0:
        raise InputError(f"must be a life in years > 0, got {years!r}", field="years")
    return 1.0 / n if r == 0.0 else r / (1.0 - (1.0 + r) ** -n)


def finance_lookup(site, src: dict):
    """``(cost, rate)``: ``cost(key)`` a data/costs.csv figure, ``rate(key)`` a ``finance:`` rate, each
    with the site's ``finance.costs`` over it (as :func:`dcplan.tco_inputs.inputs_from_site`), and
    where each came from written into ``src`` (key -> source)."""
    from .tco_input_types import default_cost
    fin = site.finance
    overrides = dict(getattr(fin, "costs", {}) or {})

    def cost(key):
        if key in overrides:
            src[key] = f"site.finance.costs.{key}"
            return float(overrides[key])
        src[key] = f"data/costs.csv {key}"
        return default_cost(key)

    def rate(key):
        if key in overrides:
            src[key] = f"site.finance.costs.{key}"
            return float(overrides[key])
        src[key] = f"site.finance.{key}"
        return float(getattr(fin, key))
    return cost, rate


def life_factors(r: float, e: float, i: float, life: float, degradation_frac_per_year: float = 0.0):
    """``(L_save, L_om)`` of the module docstring over ``life`` years: the present value at ``r`` of a
    1-USD year-1 saving rising with ``e`` and falling linearly by ``degradation_frac_per_year``, and of
    1 USD of year-1 O&M rising with ``i``. [yr]"""
    capital_recovery_factor(r, life)  # checks the rate and the life
    t = np.arange(1, int(round(life)) + 1, dtype=float)
    disc = (1.0 + r) ** -t
    fade = np.clip(1.0 - degradation_frac_per_year * (t - 1), 0.0, None)
    return float(np.sum((1.0 + e) ** (t - 1) * fade * disc)), float(np.sum((1.0 + i) ** (t - 1) * disc))


def pv_annual_cost(site) -> dict[str, Any]:
    """The site's on-site PV's cost a year in year-1 terms (module docstring) and its parts.

    Returns
    -------
    dict
        ``dc_kw`` [kWdc], ``capex_usd`` [USD], ``om_usd`` [USD, year 1], ``life_years`` [yr],
        ``discount_rate_frac``, ``electricity_escalation_frac``, ``inflation_frac``,
        ``degradation_frac_per_year`` [frac/yr], ``saving_factor`` (``L_save`` [yr]),
        ``om_factor`` (``L_om`` [yr]), ``annual_cost_usd`` [USD/yr] and ``sources`` (key -> where
        the figure came from). All costs 0 without PV (no ``solar:`` section or ``dc_kw: 0``).
    """
    from .specs.solar import PV_DEGRADATION_FRAC_PER_YEAR
    from .tco_assumptions import ECONOMIC_LIFE_YEARS
    solar = getattr(site, "solar", None)
    kw = float(solar.dc_kw) if solar is not None else 0.0
    src = {}
    cost, rate = finance_lookup(site, src)
    r, e, i = rate("discount_rate_frac"), rate("electricity_escalation_frac"), rate("inflation_frac")
    d = getattr(solar, "degradation_frac_per_year", None) if solar is not None else None
    d = float(PV_DEGRADATION_FRAC_PER_YEAR if d is None else d)
    life = float(ECONOMIC_LIFE_YEARS["pv"])
    l_save, l_om = life_factors(r, e, i, life, d)
    capex = cost(PV_CAPEX_KEY) * kw
    om = cost(PV_OM_KEY) * kw
    return {"dc_kw": kw, "capex_usd": capex, "om_usd": om, "life_years": life, "discount_rate_frac": r,
            "electricity_escalation_frac": e, "inflation_frac": i, "degradation_frac_per_year": d,
            "saving_factor": l_save, "om_factor": l_om,
            "annual_cost_usd": (capex + om * l_om) / l_save if kw > 0 else 0.0, "sources": src}
