"""``interconnection:`` section: grid connection request and capacity timeline (owner: grid).

Example (``data/sites/research-triangle-nc.yaml``)::

    interconnection:
      region: nc-duke              # key in data/interconnection.csv
      utility: Duke Energy Carolinas
      iso: SERC (Duke BA)
      requested_mw: 12
      filed: 2025-03-01
      phases:                      # contracted capacity, each phase ADDS mw from its date
        - {energized: 2026-06-01, mw: 6}
        - {energized: 2027-06-01, mw: 6, firm_frac: 0.5}   # half interruptible
      battery:                     # optional on-site battery for peak shaving
        power_mw: 2
        energy_mwh: 4

Phases must be in strictly increasing date order (two phases on the same date
overlap: combine them), on or after the filing date, and add up to no more than
``requested_mw``. ``region`` must be a row of ``data/interconnection.csv``.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .._text import unknown_key_message
from ..paths import data_path
from ._base import Date, Spec

#: Round-trip efficiency of a lithium-ion battery (AC-AC), 85 %:
#: NREL Annual Technology Baseline, "Utility-Scale Battery Storage" (ATB 2023/2024). [-]
BATTERY_ROUND_TRIP_EFF_FRAC = 0.85

#: Battery durations accepted (``energy_mwh / power_mw``), 0.25-12 h. Basis: NREL's ATB
#: (2023/2024, "Utility-Scale Battery Storage") models lithium-ion batteries of 2-10 h;
#: commercial behind-the-meter units and fast-response plants go down to ~0.5-1 h. The margin
#: either side lets an unusual battery through and stops unit slips (1000 MW with 0.001 MWh,
#: kWh typed as MWh) that would model a battery of seconds or of days. [h]
BATTERY_DURATION_RANGE_H = (0.25, 12.0)
#: Largest battery power as a share of the site's contracted grid capacity (sum of the
#: phases, or requested_mw): 1.0. Basis: the dispatch (:mod:`dcplan.grid_battery`) shaves
#: the load above a target no higher than the contract and recharges only under it, so a
#: peak-shaving battery above the whole connection's rating is a different (islanded or
#: generation) plant, not one this model describes. [-]
BATTERY_POWER_MAX_FRAC_OF_CONTRACT = 1.0


@functools.lru_cache(maxsize=1)
def known_regions() -> tuple[str, ...]:
    """Region keys of ``data/interconnection.csv`` (read once)."""
    with open(data_path("interconnection.csv"), newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return tuple(r["region"] for r in rows)


class InterconnectionPhase(Spec):
    energized: Date = Field(description="date this capacity is energized")
    mw: float = Field(ge=0.0, description="contracted capacity added [MW] (0: no capacity in this phase, e.g. "
                                        "a sweep value; the phases together must add some)")
    firm_frac: float = Field(1.0, ge=0.0, le=1.0,
                             description="share that is firm (the rest is interruptible / flexible)")
    label: str = Field("", description="name of the phase (for the reports)")
    in_service: bool = Field(False, description="already energized (an existing campus): its date is a fact, "
                                                "not a plan, and no queue delay moves it; may be before 'filed'")


class BatterySpec(Spec):
    """On-site battery for peak shaving (see :func:`dcplan.grid_battery.peak_shave`)."""

    power_mw: float = Field(gt=0.0, description="charge and discharge power limit [MW]")
    energy_mwh: float = Field(gt=0.0, description="energy capacity [MWh]")
    round_trip_eff_frac: float = Field(BATTERY_ROUND_TRIP_EFF_FRAC, gt=0.0, le=1.0,
                                       description="AC round-trip efficiency (NREL ATB: 0.85)")
    soc_min_frac: float = Field(0.0, ge=0.0, lt=1.0, description="lowest state of charge")
    soc_max_frac: float = Field(1.0, gt=0.0, le=1.0, description="highest state of charge")
    target: Literal["contract", "demand"] = Field(
        "contract", description="shave to the contracted capacity, or to the lowest monthly peak "
                                "the battery can hold (demand charge)")

    @model_validator(mode="after")
    def _soc_order(self):
        if self.soc_min_frac >= self.soc_max_frac:
            raise ValueError(f"battery.soc_min_frac ({self.soc_min_frac}) must be below "
                             f"battery.soc_max_frac ({self.soc_max_frac})")
        lo, hi = BATTERY_DURATION_RANGE_H
        hours = self.energy_mwh / self.power_mw
        if not lo <= hours <= hi:
            raise ValueError(f"battery.energy_mwh / battery.power_mw = {self.energy_mwh:g} MWh / "
                             f"{self.power_mw:g} MW = {hours:.4g} h; a battery's duration must be in "
                             f"[{lo:g}, {hi:g}] h (commercial lithium-ion: about 0.5-10 h; "
                             "dcplan.specs.interconnection.BATTERY_DURATION_RANGE_H)")
        return self


class InterconnectionSpec(Spec):
    region: str = Field(description="region key in data/interconnection.csv")
    utility: str = Field("", description="the utility the request is filed with (for the reports)")
    iso: str = Field("", description="ISO / RTO or balancing area (for the reports)")
    requested_mw: float = Field(gt=0.0, description="capacity requested [MW]; the phases' contracted MW "
                                                    "may not exceed it")
    filed: Date = Field(description="date the interconnection request was filed")
    phases: tuple[InterconnectionPhase, ...] = Field((), strict=False)
    battery: BatterySpec | None = None

    @field_validator("region")
    @classmethod
    def _region(cls, v: str) -> str:
        regions = known_regions()
        if v not in regions:
            raise ValueError(unknown_key_message(v, regions).replace("unknown", "unknown region", 1)
                             + " (data/interconnection.csv)")
        return v

    @model_validator(mode="after")
    def _phases(self):
        for i, p in enumerate(self.phases):
            if p.in_service and i and not self.phases[i - 1].in_service:
                raise ValueError(f"phases[{i}] is in_service but phases[{i - 1}] is not: phases already in "
                                 "service come first (in date order), then the planned ones")
            if p.energized < self.filed and not p.in_service:
                raise ValueError(f"phases[{i}].energized {p.energized} is before the request "
                                 f"was filed ({self.filed}); energization must be on or after 'filed'")
            if i and p.energized <= self.phases[i - 1].energized:
                what = "overlaps" if p.energized == self.phases[i - 1].energized else "is before"
                raise ValueError(
                    f"phases[{i}].energized {p.energized} {what} phases[{i - 1}].energized "
                    f"{self.phases[i - 1].energized}; phases must be in increasing date order, "
                    "one per date (combine phases energized on the same date)")
        total = sum(p.mw for p in self.phases)
        if self.phases and not total > 0:
            raise ValueError("the phases add up to 0 MW: no capacity is contracted; allowed: phases whose mw add "
                             "up to more than 0 (a phase of mw 0 adds nothing, e.g. as a sweep value)")
        if total > self.requested_mw * (1 + 1e-9):
            raise ValueError(f"phases add up to {total:g} MW, more than requested_mw "
                             f"{self.requested_mw:g}; contracted capacity cannot exceed the request")
        contracted = total if self.phases else self.requested_mw
        top = BATTERY_POWER_MAX_FRAC_OF_CONTRACT * contracted
        if self.battery is not None and self.battery.power_mw > top * (1 + 1e-9):
            what = "the sum of the phases" if self.phases else "requested_mw"
            raise ValueError(f"battery.power_mw {self.battery.power_mw:g} is more than the site's contracted "
                             f"capacity ({contracted:g} MW, {what}); "
                             f"allowed: up to {top:g} MW (a peak-shaving battery shaves the load above the "
                             "contract and recharges under it; dcplan.specs.interconnection."
                             "BATTERY_POWER_MAX_FRAC_OF_CONTRACT)")
        return self
