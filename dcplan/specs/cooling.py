"""``cooling:`` section: plant type and design figures (owner: thermal)."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._base import Spec


class CoolingSpec(Spec):
    type: Literal["air", "liquid"] = "liquid"
    ashrae_class: Literal["A1", "A2", "A3", "A4", "H1"] = "A2"
    liquid_class: Literal["W17", "W27", "W32", "W40", "W45"] | None = "W32"
    economizer: bool = True
    design_pue: float | None = Field(None, ge=1.0, le=3.0,
                                     description="design-hour PUE for sizing before the thermal model runs")
