"""``interconnection:`` section: grid connection request and capacity timeline (owner: grid)."""
from __future__ import annotations

import datetime as dt

from pydantic import Field

from ._base import Spec


class InterconnectionPhase(Spec):
    energized: dt.date = Field(description="date this capacity is energized")
    mw: float = Field(ge=0.0, description="contracted capacity added [MW]")
    firm_frac: float = Field(1.0, ge=0.0, le=1.0, description="share that is firm (rest interruptible)")


class InterconnectionSpec(Spec):
    region: str = Field(description="region key in data/interconnection.csv")
    utility: str = ""
    iso: str = ""
    requested_mw: float = Field(ge=0.0)
    filed: dt.date = Field(description="date the interconnection request was filed")
    phases: tuple[InterconnectionPhase, ...] = Field((), strict=False)
