"""``finance:`` section: discounting, escalation and TCO overrides (owner: tco).

Every field except ``discount_rate_frac`` and ``horizon_years`` is optional; ``None``
means the default of ``data/costs.csv`` (sourced there). ``costs`` overrides any other
row of ``data/costs.csv`` by key; unknown keys are rejected by ``dcplan.tco`` with a
"did you mean".

Example::

    finance:
      discount_rate_frac: 0.08
      horizon_years: 10
      electricity_escalation_frac: 0.15   # a high-escalation scenario
      tax_rate_frac: 0.21
      costs: {server_usd_per_accelerator: 30000, staff_fte_per_mw: 1.5}
"""
from __future__ import annotations

from pydantic import Field

from ._base import Spec


class FinanceSpec(Spec):
    discount_rate_frac: float = Field(0.08, gt=-1.0, le=1.0,
                                      description="discount rate / WACC [frac/yr]")
    horizon_years: int = Field(10, ge=1, le=50, description="analysis horizon incl. build [yr]")
    inflation_frac: float = Field(0.025, gt=-1.0, le=1.0,
                                  description="general inflation of non-electricity opex [frac/yr]")
    electricity_escalation_frac: float = Field(0.03, gt=-1.0, le=1.0,
                                               description="electricity price escalation [frac/yr]")
    tax_rate_frac: float | None = Field(None, ge=0.0, lt=1.0, description="income tax rate [frac]")
    build_months: int | None = Field(None, ge=0, le=120, description="construction time [month]")
    it_refresh_years: float | None = Field(None, gt=0.0, le=50.0, description="IT refresh cycle [yr]")
    revenue_usd_per_gpu_h: float | None = Field(None, ge=0.0, description="price per GPU-hour [USD/GPU-h]")
    costs: dict[str, float] = Field(default_factory=dict,
                                    description="overrides of data/costs.csv values by key")
