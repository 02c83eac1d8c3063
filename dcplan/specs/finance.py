"""``finance:`` section: discounting, escalation and TCO overrides (owner: tco).

Every field except ``discount_rate_frac`` and ``horizon_years`` is optional; ``None``
means the default of ``data/costs.csv`` (sourced there). ``costs`` overrides any other
row of ``data/costs.csv`` by key; an unknown key (with a "did you mean") or a value out of
that input's range (a negative price, a rate typed in percent) is refused when the site
loads, by the same check the TCO applies.

Example::

    finance:
      discount_rate_frac: 0.08
      horizon_years: 10
      electricity_escalation_frac: 0.15   # a high-escalation scenario
      tax_rate_frac: 0.21
      costs: {server_usd_per_accelerator: 30000, staff_fte_per_mw: 1.5}
"""
from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from ._base import Spec


class FinanceSpec(Spec):
    discount_rate_frac: float = Field(0.08, ge=0.0, le=1.0,
                                      description="discount rate / WACC [frac/yr]")
    horizon_years: int = Field(10, ge=1, le=50, description="analysis horizon incl. build [yr]")
    inflation_frac: float = Field(0.025, gt=-1.0, le=1.0,
                                  description="general inflation of non-electricity opex [frac/yr]")
    electricity_escalation_frac: float = Field(0.03, gt=-1.0, le=1.0,
                                               description="electricity price escalation [frac/yr]")
    tax_rate_frac: float | None = Field(None, ge=0.0, lt=1.0, description="income tax rate [frac]")
    build_months: int | None = Field(None, ge=0, le=120, description="construction time [month]")
    it_refresh_years: float | None = Field(None, ge=1.0, le=50.0, description="IT refresh cycle [yr]")
    revenue_usd_per_gpu_h: float | None = Field(None, ge=0.0, description="price per GPU-hour [USD/GPU-h]")
    costs: dict[str, float] = Field(default_factory=dict,
                                    description="overrides of data/costs.csv values by key")

    @field_validator("costs")
    @classmethod
    def _known_costs_in_range(cls, v: dict[str, float]) -> dict[str, float]:
        from .._text import did_you_mean
        from ..errors import InputError
        from ..tco_inputs import _check, cost_keys
        keys = cost_keys()
        for k, x in v.items():
            if k not in keys:
                raise ValueError(f"{k}: unknown cost input {k!r}{did_you_mean(k, keys)}; keys are those of "
                                 "data/costs.csv")
            try:
                _check(k, x)
            except InputError as e:
                raise ValueError(f"{k}: {e.detail.rsplit(', got ', 1)[0]}, got {x!r}") from None
        return v

    @model_validator(mode="after")
    def _each_input_set_once(self):
        """A field of this section may not also be set under ``costs:`` (one would be
        silently dropped: ``inputs_from_site`` lets ``costs`` win)."""
        both = [k for k in self.costs if k in type(self).model_fields and k != "costs"
                and k in self.model_fields_set]
        if both:
            k = both[0]
            raise ValueError(f"costs: {k} is set twice, as finance.{k} ({getattr(self, k)!r}) and "
                             f"finance.costs.{k} ({self.costs[k]!r}); set it once")
        return self

    @model_validator(mode="after")
    def _operations_start_within_the_horizon(self):
        """The horizon must reach past the build (and a ``delay_months`` cost override), as
        the TCO requires (:meth:`dcplan.tco_inputs.TcoInputs` refused it in every run)."""
        if not self.model_fields_set:  # the default section (built as dcplan.site imports): no file read
            return self
        from ..tco_inputs import default_cost, whole_months
        build = self.costs.get("build_months", self.build_months)
        if build is None:
            build = default_cost("build_months")
        ops = whole_months(build) + whole_months(self.costs.get("delay_months", 0.0))
        if ops >= 12 * self.horizon_years:
            raise ValueError(f"horizon_years: {self.horizon_years} ends before operations start at month {ops:g} "
                             "(build_months + delay_months, in whole months); lengthen the horizon")
        return self
