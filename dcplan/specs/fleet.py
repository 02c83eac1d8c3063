"""``fleet:`` section: what IT hardware the site holds and how it is used (owner: power)."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from ._base import Spec


class FleetPhase(Spec):
    hardware: str = Field(description="hardware catalog key (data/hardware.csv)")
    count: int = Field(ge=0, description="number of catalog units (servers or racks) in this phase")
    start: dt.date = Field(description="date the phase is deployed")
    label: str = ""


class FleetSpec(Spec):
    phases: tuple[FleetPhase, ...] = Field(min_length=1, strict=False)
    workload: Literal["training", "inference", "batch", "mixed"] = "training"
    utilisation_frac: float = Field(0.8, ge=0.0, le=1.0, description="mean accelerator utilisation")
    diversity_frac: float = Field(1.0, gt=0.0, le=1.0,
                                  description="ratio of coincident peak to sum of unit peaks (1 = synchronous)")
