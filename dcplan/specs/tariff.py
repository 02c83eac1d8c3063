"""``tariff:`` section: the utility rate the site is billed on (owner: tariff)."""
from __future__ import annotations

from pydantic import Field

from ._base import Spec


class TariffSpec(Spec):
    file: str = Field(description="URDB-format JSON; relative to the site YAML's folder or to data/")
    label: str | None = Field(None, description="URDB item label when the file holds several items")
    contract_demand_kw: float | None = Field(None, ge=0.0)
    escalation_frac_per_year: float = Field(0.0, gt=-1.0, le=1.0)
