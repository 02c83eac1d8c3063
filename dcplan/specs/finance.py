"""``finance:`` section: discounting and escalation (owner: tco)."""
from __future__ import annotations

from pydantic import Field

from ._base import Spec


class FinanceSpec(Spec):
    discount_rate_frac: float = Field(0.08, gt=-1.0, le=1.0)
    horizon_years: int = Field(10, ge=1, le=50)
    inflation_frac: float = Field(0.025, gt=-1.0, le=1.0)
    electricity_escalation_frac: float = Field(0.03, gt=-1.0, le=1.0)
