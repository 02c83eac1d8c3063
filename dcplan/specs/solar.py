"""``solar:`` section: on-site PV (owner: solar)."""
from __future__ import annotations

from pydantic import Field

from ._base import Spec


class SolarSpec(Spec):
    dc_kw: float = Field(0.0, ge=0.0)
    tilt_deg: float = Field(25.0, ge=0.0, le=90.0)
    azimuth_deg: float = Field(180.0, ge=0.0, lt=360.0)
    tracking: bool = False
    gcr: float = Field(0.4, gt=0.0, le=1.0)
    dc_ac_ratio: float = Field(1.2, gt=0.0, le=3.0)
    losses_frac: float = Field(0.14, ge=0.0, lt=1.0)
