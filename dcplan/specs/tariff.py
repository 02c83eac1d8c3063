"""``tariff:`` section: the utility rate the site is billed on (owner: tariff)."""
from __future__ import annotations

from pydantic import Field, model_validator

from ._base import Spec


class TariffSpec(Spec):
    """The rate schedule. Price escalation over the years is a finance input
    (``finance.electricity_escalation_frac``): the typical year is billed at today's rates."""

    file: str = Field(description="URDB-format JSON; relative to the site YAML's folder or to data/")
    label: str | None = Field(None, description="URDB item label when the file holds several items")
    contract_demand_kw: float | None = Field(None, ge=0.0, description="contracted demand [kW]: billing "
                                                                     "demand is at least this every month")

    @model_validator(mode="before")
    @classmethod
    def _escalation_lives_in_finance(cls, data):
        # an earlier schema accepted this key and then ignored it; say where it belongs
        if isinstance(data, dict) and "escalation_frac_per_year" in data:
            raise ValueError(f"escalation_frac_per_year = {data['escalation_frac_per_year']!r} is not a tariff "
                             "field: the yearly rise of the bill is finance.electricity_escalation_frac "
                             "(applied by the TCO to the year-1 bill)")
        return data
