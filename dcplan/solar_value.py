"""What the on-site PV costs a year, to set beside what it takes off the bill (owner: solar).

The site bill (:func:`dcplan.pipeline.run_site_year`) is the bill of the grid draw after the
PV: it counts the PV's energy as a saving and nothing of the PV's cost. A site with PV would
then look cheaper per GPU-hour than the same site without it, however dear the PV, and a sweep
over ``solar.dc_kw`` would always favour the largest array. The TCO (:mod:`dcplan.tco`) pays
the PV's capex and O&M over its horizon; for the one-year figures (site analysis, portfolio
comparison, sweep) the PV's cost is annualised here:

    annual cost = capex x CRF + O&M,    CRF = r / (1 - (1 + r) ** -n)    (n / r -> 1 / n at r = 0)

with ``capex = pv_usd_per_kw_dc x dc_kw``, ``O&M = pv_om_usd_per_kw_dc_year x dc_kw``
(``data/costs.csv``, or the site's ``finance.costs`` overrides), ``r`` the site's
``finance.discount_rate_frac`` and ``n`` the PV's economic life
(:data:`dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS`, 30 yr), the level yearly payment that
repays the capex with interest over that life. Like the TCO, no tax credit or incentive and
no tax effect; the O&M at year-1 prices.
"""
from __future__ import annotations

import math
from typing import Any

from .errors import InputError

__all__ = ["capital_recovery_factor", "pv_annual_cost", "PV_CAPEX_KEY", "PV_OM_KEY"]

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


def pv_annual_cost(site) -> dict[str, Any]:
    """The site's on-site PV's annualised cost (module docstring) and its parts.

    Returns
    -------
    dict
        ``dc_kw`` [kWdc], ``capex_usd`` [USD], ``crf`` [1/yr], ``life_years`` [yr],
        ``discount_rate_frac`` [frac/yr], ``om_usd`` [USD/yr], ``annual_cost_usd`` [USD/yr]
        and ``sources`` (key -> where the figure came from). All costs 0 without PV (no
        ``solar:`` section or ``dc_kw: 0``).
    """
    from .tco_assumptions import ECONOMIC_LIFE_YEARS
    from .tco_input_types import default_cost
    solar = getattr(site, "solar", None)
    kw = float(solar.dc_kw) if solar is not None else 0.0
    fin = site.finance
    overrides = dict(getattr(fin, "costs", {}) or {})
    src = {}

    def cost(key):
        if key in overrides:
            src[key] = f"site.finance.costs.{key}"
            return float(overrides[key])
        src[key] = f"data/costs.csv {key}"
        return default_cost(key)

    r = float(overrides.get("discount_rate_frac", fin.discount_rate_frac))
    src["discount_rate_frac"] = ("site.finance.costs.discount_rate_frac" if "discount_rate_frac" in overrides
                                 else "site.finance.discount_rate_frac")
    life = float(ECONOMIC_LIFE_YEARS["pv"])
    crf = capital_recovery_factor(r, life)
    capex = cost(PV_CAPEX_KEY) * kw
    om = cost(PV_OM_KEY) * kw
    return {"dc_kw": kw, "capex_usd": capex, "crf": crf, "life_years": life, "discount_rate_frac": r,
            "om_usd": om, "annual_cost_usd": capex * crf + om, "sources": src}
