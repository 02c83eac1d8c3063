"""``interconnection:`` section: grid connection request and capacity timeline (owner: grid).

Example (in the form of ``data/sites/research-triangle-nc.yaml``, with a firm share and a
battery that file does not have)::

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
``requested_mw``. Without ``phases`` the whole ``requested_mw`` is one phase planned at the filing
date ("as soon as possible"): the grid delays (the interconnection and TCO notebooks) then count from
filing, and the fleet waits the delay less the months between filing and its start (the TCO's label
says how many); give ``phases`` with the utility's planned dates where there are any.

Real power: ``requested_mw`` and the phases' ``mw`` are MW of real power, compared with the
site's modelled load in kW (:data:`REAL_POWER_NOTE`). A utility figure in MVA (a service or
transformer rating) is converted by the load's power factor, MW = MVA x PF: dcplan has no
power-factor input and takes the load's PF as 1, so a 24 MVA service at PF 0.95 carries
22.8 MW; give 22.8, not 24.

Time to power: give exactly one of

* ``region``: a row of ``data/interconnection.csv`` (its p10 / median / p90 wait and the
  basis, source and status the reports print), or
* ``time_to_power``: the site's own figures, for a region the table has no row for::

      interconnection:
        time_to_power:             # instead of region:
          p10_months: 18
          median_months: 30
          p90_months: 54
          source: "FPL large-load team call 2025-06-12 (planner's notes)"
        utility: Florida Power & Light
        requested_mw: 12
        filed: 2025-03-01

  They are read with the table's own model (a two-piece lognormal through p10, median and
  p90, :mod:`dcplan.grid_lead_time`), so figures copied from a row give that row's results
  exactly; the reports print ``source`` where they print a row's basis and source.

Long-lead equipment: the time to power is the later of that wait and the deliveries of the
site's own long-lead equipment (by default a power transformer and MV switchgear,
:data:`DEFAULT_EQUIPMENT`, rows of ``data/equipment_lead_times.csv``), ordered at filing. Say
otherwise with

* ``equipment_ordered: 2024-06-01``: the date the equipment was (or will be) ordered; its
  deliveries count from it, not from the filing date (from up to
  :data:`EQUIPMENT_ORDERED_MAX_MONTHS_BEFORE_FILED` months before filing);
* ``equipment: none``: no long-lead equipment of the site's own on the critical path (e.g. a
  load of a few MW served from the utility's distribution network without a customer
  substation): the time to power is the grid wait alone; or ``equipment: [switchgear]``, the
  items of ``data/equipment_lead_times.csv`` that are (the default is both the transformer and
  the switchgear). ``none`` is written so, as the item keys are: ``equipment: null`` (``~``) and
  ``None`` are refused, since a reader could take either for the default or for none.

The region row feeds nothing but that distribution and its text (no cost or queue figure),
so a site with its own ``time_to_power`` has no ``region``; giving both is an error (the
row would be unused). ``utility`` and ``iso`` name the utility in the reports either way.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
from typing import Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from .._text import unknown_key_message
from ..paths import data_path
from ._base import Date, Name, SourceText, Spec

#: Round-trip efficiency of a lithium-ion battery (AC-AC), 85 %:
#: NREL Annual Technology Baseline, "Utility-Scale Battery Storage" (ATB 2023/2024). [-]
BATTERY_ROUND_TRIP_EFF_FRAC = 0.85

#: Lowest ``battery.round_trip_eff_frac`` taken without a warning: 0.6. Lithium-ion AC round trips
#: are about 0.8-0.85: NREL ATB 0.85 (above); the US utility-scale battery fleet averaged 0.82 in 2019
#: (EIA, "Utility-scale batteries and pumped storage return about 80% of the electricity they store",
#: Today in Energy, 2021-02-12). A dcplan plausibility bound well below both (older or other
#: chemistries sit between): a figure under it (0.01) is likely a slip, and the battery would lose
#: most of what it stores. A warning, not an error. [-]
BATTERY_ROUND_TRIP_EFF_WARN_BELOW_FRAC = 0.6

#: Battery durations accepted (usable energy / power: ``energy_mwh x (soc_max_frac - soc_min_frac) /
#: power_mw``), 0.25-12 h. Basis: NREL's ATB
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


#: Long-lead equipment on the critical path when a site's ``interconnection.equipment`` is left out:
#: the site's own substation (power) transformer and MV switchgear, the longest electrical items of
#: ``data/equipment_lead_times.csv`` (:func:`dcplan.grid.time_to_power`).
DEFAULT_EQUIPMENT: tuple[str, ...] = ("power_transformer", "switchgear")

#: Earliest ``interconnection.equipment_ordered``: 120 months (10 years) before ``filed``, the range
#: :func:`dcplan.grid.time_to_power` takes for the order delay; equipment ordered that early (its
#: longest p90 is 208 weeks, 4 years) is delivered long before filing either way. [months]
EQUIPMENT_ORDERED_MAX_MONTHS_BEFORE_FILED = 120
#: Latest ``interconnection.equipment_ordered``: 600 months (50 years) after ``filed``, the other end of
#: :func:`dcplan.grid.time_to_power`'s range (a year mistyped, not a plan). [months]
EQUIPMENT_ORDERED_MAX_MONTHS_AFTER_FILED = 600

#: Longest p90 a site's own ``time_to_power`` may state: 240 months (20 years). The longest
#: ``data/interconnection.csv`` p90 is 120 months (EirGrid Dublin, a moratorium) and LBNL's
#: slowest generator-queue average 9.2 yr (CAISO); a wait of decades is no planning figure, but
#: days or weeks typed as months. [months]
TIME_TO_POWER_MAX_MONTHS = 240.0


#: What the interconnection's MW fields say of their unit (their descriptions end with it): real power,
#: the load's power factor taken as 1 (dcplan has no power-factor input). 24 x 0.95 = 22.8.
REAL_POWER_NOTE = ("real power (MW), at the load's power factor taken as 1 (dcplan has no power-factor input); a "
                   "utility figure in MVA is converted as MW = MVA x PF: a 24 MVA service at PF 0.95 carries 22.8 MW")


#: What a site whose region ``data/interconnection.csv`` has no row for gives instead (the
#: unknown-region errors of the site loader and :func:`dcplan.grid.region_lead_time` end with it).
NO_REGION_ROW_HINT = ("For a region the table has no row for, drop region and give the site's own figures: "
                      "time_to_power: {p10_months: ..., median_months: ..., p90_months: ..., source: \"...\"}")


@functools.lru_cache(maxsize=1)
def known_regions() -> tuple[str, ...]:
    """Region keys of ``data/interconnection.csv`` (read once)."""
    with open(data_path("interconnection.csv"), newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return tuple(r["region"] for r in rows)


@functools.lru_cache(maxsize=1)
def known_equipment() -> tuple[str, ...]:
    """Item keys of ``data/equipment_lead_times.csv`` (read once)."""
    with open(data_path("equipment_lead_times.csv"), newline="", encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return tuple(r["item"] for r in rows)


def _years_later(d: dt.date, years: int) -> dt.date:
    """``d`` plus whole ``years`` (negative: earlier); 29 February to 1 March, within the
    calendar months :func:`dcplan.grid.time_to_power` counts."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, month=3, day=1)


class InterconnectionPhase(Spec):
    energized: Date = Field(description="date this capacity is energized")
    mw: float = Field(ge=0.0, description="contracted capacity added [MW] (0: no capacity in this phase, e.g. "
                                        "a sweep value, left out of the energization dates and the queue delay; "
                                        "the phases together must add some); " + REAL_POWER_NOTE)
    firm_frac: float = Field(1.0, ge=0.0, le=1.0,
                             description="share that is firm (the rest is interruptible / flexible)")
    label: Name = Field("", description="name of the phase (for the reports)")
    in_service: bool = Field(False, description="already energized (an existing campus): its date is a fact, "
                                                "not a plan, and no queue delay moves it; may be before 'filed'")


class BatterySpec(Spec):
    """On-site battery for peak shaving (see :func:`dcplan.grid_battery.peak_shave`)."""

    power_mw: float = Field(gt=0.0, description="charge and discharge power limit [MW]")
    energy_mwh: float = Field(gt=0.0, description="energy capacity (nameplate; the state-of-charge window "
                                                  "soc_min_frac-soc_max_frac of it is usable) [MWh]")
    round_trip_eff_frac: float = Field(BATTERY_ROUND_TRIP_EFF_FRAC, gt=0.0, le=1.0,
                                       description="AC round-trip efficiency (NREL ATB: 0.85; below "
                                                   f"{BATTERY_ROUND_TRIP_EFF_WARN_BELOW_FRAC:g} warns)")
    soc_min_frac: float = Field(0.0, ge=0.0, lt=1.0, description="lowest state of charge")
    soc_max_frac: float = Field(1.0, gt=0.0, le=1.0, description="highest state of charge")
    target: Literal["contract", "demand", "bill"] = Field(
        "contract", description="contract: shave the grid draw to the contracted capacity; demand: shave each "
                                "month's all-hours peak to the lowest the battery can hold, whatever the tariff's "
                                "demand hours (use bill for TOU demand charges: validate warns); bill: the "
                                "dispatch at the least tariff bill for the year, a linear program over the "
                                "tariff's hourly energy prices and its monthly flat and TOU demand charges "
                                "(dcplan.battery_bill; a tariff with tiers, a ratchet, coincident-peak or 4CP "
                                "charges is refused). Demand and bill dispatch with perfect foresight of the "
                                "load (bill: and prices): their saving is an upper bound for a real controller")

    @field_validator("round_trip_eff_frac", mode="before")
    @classmethod
    def _efficiency_not_above_1(cls, v):
        # before the bound's own "less than or equal to 1", whose percent hint ("for 1.2 % write
        # 0.012") misleads for an efficiency: 1.2 is 120 %, not 1.2 %
        if not isinstance(v, bool) and isinstance(v, (int, float)) and v > 1:
            raise ValueError(f"Input should be less than or equal to 1, got {v!r}: an efficiency cannot "
                             "exceed 1 (100 %); 85 % is 0.85")
        return v

    @model_validator(mode="after")
    def _soc_order(self):
        if self.soc_min_frac >= self.soc_max_frac:
            raise ValueError(f"battery.soc_min_frac ({self.soc_min_frac}) must be below "
                             f"battery.soc_max_frac ({self.soc_max_frac})")
        lo, hi = BATTERY_DURATION_RANGE_H
        window = self.soc_max_frac - self.soc_min_frac
        hours = self.energy_mwh * window / self.power_mw   # usable energy / power
        # a relative tolerance: 16.8 MWh / 1.4 MW is 12.000000000000002 h in floating point
        if not lo * (1 - 1e-9) <= hours <= hi * (1 + 1e-9):
            what = (f"battery.energy_mwh / battery.power_mw = {self.energy_mwh:g} MWh / {self.power_mw:g} MW"
                    if window == 1.0 else
                    f"the usable energy / power, battery.energy_mwh x (battery.soc_max_frac - battery.soc_min_frac) "
                    f"/ battery.power_mw = {self.energy_mwh:g} MWh x ({self.soc_max_frac:.10g} - {self.soc_min_frac:.10g}) "
                    f"/ {self.power_mw:g} MW")
            raise ValueError(f"{what} = {hours:.4g} h; a battery's duration must be in "
                             f"[{lo:g}, {hi:g}] h (commercial lithium-ion: about 0.5-10 h; "
                             "dcplan.specs.interconnection.BATTERY_DURATION_RANGE_H)")
        # its warnings (battery_warnings) are issued with the site's others, naming the site file
        # (dcplan.site_plausibility.site_warnings: dcplan validate and render)
        return self


def battery_warnings(battery: BatterySpec) -> list[str]:
    """The warnings of a valid ``interconnection.battery`` (issued by
    :func:`dcplan.site_plausibility.battery_warnings` with the site file's name, as
    :class:`~dcplan.errors.DcplanWarning`, by ``dcplan validate`` and ``render``): a ``round_trip_eff_frac`` below
    :data:`BATTERY_ROUND_TRIP_EFF_WARN_BELOW_FRAC`, as ``field: message`` texts."""
    rte, floor = battery.round_trip_eff_frac, BATTERY_ROUND_TRIP_EFF_WARN_BELOW_FRAC
    if rte >= floor:
        return []
    return [f"interconnection.battery.round_trip_eff_frac: {rte:g} is below {floor:g}: the battery would give "
            f"back only {rte * 100:.3g} % of what it stores; a lithium-ion battery's AC round trip is about "
            "0.82-0.85 (EIA: the US utility-scale fleet's 0.82 in 2019; NREL ATB: 0.85); 85 % is 0.85 "
            "(dcplan.specs.interconnection.BATTERY_ROUND_TRIP_EFF_WARN_BELOW_FRAC)"]


class TimeToPowerSpec(Spec):
    """The site's own grid wait, instead of a ``data/interconnection.csv`` row: the months from
    filing until the utility can energize the service (its studies, network upgrades and line
    work, as a utility letter or the planner states them), p10 / median / p90 read with the
    table's model (a two-piece lognormal, :func:`dcplan.grid.lead_time_quantiles`), and the
    source they come from. The site's own long-lead equipment (transformer, switchgear:
    ``data/equipment_lead_times.csv``; ``interconnection.equipment`` and ``equipment_ordered`` say
    which and when ordered) is not in these figures: the time to power (and each phase's
    energization date) is the later of the two (:func:`dcplan.grid.time_to_power`).

    ``0 < p10_months <= median_months <= p90_months`` (the table's rule; equal figures are a
    wait known to the month), ``p90_months`` at most :data:`TIME_TO_POWER_MAX_MONTHS`.
    """

    p10_months: float = Field(gt=0.0, description="10th percentile (fast case) of the grid wait, from filing "
                                                  "until the utility can energize (without the site's own "
                                                  "equipment lead times: the time to power is the later of the two) [months]")
    median_months: float = Field(gt=0.0, description="median grid wait, from filing until the utility can energize "
                                                     "[months]")
    p90_months: float = Field(gt=0.0, description="90th percentile (slow case) of the grid wait [months]")
    source: SourceText = Field(description="where the figures come from (a utility study, a letter, the planner's "
                                    "estimate and its basis); printed by the reports")

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("source is empty; say where the figures come from (e.g. \"FPL large-load "
                             "study letter 2025-06\" or \"planner's estimate from the 2025 IRP\")")
        return v

    @model_validator(mode="after")
    def _order(self):
        p10, m, p90 = self.p10_months, self.median_months, self.p90_months
        if not p10 <= m <= p90:
            raise ValueError(f"need p10_months <= median_months <= p90_months, got p10_months={p10:g}, "
                             f"median_months={m:g}, p90_months={p90:g}")
        if p90 > TIME_TO_POWER_MAX_MONTHS:
            raise ValueError(f"p90_months={p90:g} is a wait of {p90 / 12:.3g} years; allowed: up to "
                             f"{TIME_TO_POWER_MAX_MONTHS:g} months (20 years; the table's longest p90 is 120). "
                             "Figures in days or weeks? Give months "
                             "(dcplan.specs.interconnection.TIME_TO_POWER_MAX_MONTHS)")
        return self


class InterconnectionSpec(Spec):
    region: Name | None = Field(None, description="region key in data/interconnection.csv (its wait, basis and "
                                                 "source; the reports say so when requested_mw is under half the "
                                                 "load size the row's source describes, its source_load_mw); "
                                                 "exactly one of region or time_to_power")
    time_to_power: TimeToPowerSpec | None = Field(
        None, description="the site's own time to power (p10_months, median_months, p90_months, source), "
                          "instead of region: for a region data/interconnection.csv has no row for")
    utility: Name = Field("", description="the utility the request is filed with (for the reports)")
    iso: Name = Field("", description="ISO / RTO or balancing area (for the reports)")
    requested_mw: float = Field(gt=0.0, description="capacity requested [MW]; the phases' contracted MW "
                                                    "may not exceed it; " + REAL_POWER_NOTE)
    filed: Date = Field(description="date the interconnection request was filed; a request not yet filed (no queue "
                                    "position) gives the date it will be: the time to power counts from it, with "
                                    "no months waited")
    # left out: DEFAULT_EQUIPMENT (an explicit null is refused, _equipment: it read as the default while
    # the string None read as none)
    equipment: tuple[Name, ...] | Literal["none"] = Field(
        DEFAULT_EQUIPMENT, description="the site's own long-lead equipment on the critical path to power: items of "
                    "data/equipment_lead_times.csv (e.g. [switchgear]), or none (e.g. a load of a few MW served "
                    "from the utility's distribution network without a customer substation: the time to power is "
                    "the grid wait alone); left out: " + ", ".join(DEFAULT_EQUIPMENT) + ". The time to power is "
                    "the later of the grid wait and these deliveries")
    equipment_ordered: Date | None = Field(
        None, description="date the long-lead equipment was (or will be) ordered: its delivery times count from "
                          "it (before filed: deliveries arrive that much earlier); left out: ordered at filing. "
                          "Not with equipment: none")
    phases: tuple[InterconnectionPhase, ...] = Field(
        (), strict=False,
        description="the contracted capacity by the dates the utility plans to energize it, each phase adding its "
                    "mw from its date: in increasing date order, on or after filed (phases already in_service first, "
                    "whose dates may be before it), adding up "
                    "to at most requested_mw. Left out: the whole requested_mw is one phase planned at the filing "
                    "date ('as soon as possible'), so the grid delays of the interconnection and tco notebooks count "
                    "from filing and their chance of power by the planned date (p_on_time_frac, "
                    "npv_case_grid_on_time_frac) is that of power on the day of filing: 0; give the "
                    "utility's planned dates where there are any")
    battery: BatterySpec | None = None
    # months waited without power since filed, and the date they run to, that the time to power is conditioned on
    # (dcplan.grid_given_wait.given_wait: set by the notebooks from the plan's date; no field of the site file)
    _waited_months: float = PrivateAttr(0.0)
    _waited_on: dt.date | None = PrivateAttr(None)

    @model_validator(mode="before")
    @classmethod
    def _figures_go_under_time_to_power(cls, data):
        # a planner's first try: the table's column names straight under interconnection:
        if isinstance(data, dict):
            loose = [k for k in ("p10_months", "median_months", "p90_months") if k in data]
            if loose:
                verb = "goes" if len(loose) == 1 else "go"
                raise ValueError(f"{', '.join(loose)} {verb} under time_to_power:, with a source: "
                                 "time_to_power: {p10_months: ..., median_months: ..., p90_months: ..., "
                                 "source: \"...\"} (instead of region:)")
        return data

    @field_validator("region")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        if v is None:
            return v
        regions = known_regions()
        if v not in regions:
            raise ValueError(unknown_key_message(v, regions).replace("unknown", "unknown region", 1)
                             + " (data/interconnection.csv). " + NO_REGION_ROW_HINT)
        return v

    @field_validator("equipment", mode="before")
    @classmethod
    def _equipment(cls, v):
        items = known_equipment()
        allowed = f"none, or a list of items of data/equipment_lead_times.csv ({', '.join(items)})"
        default = ", ".join(DEFAULT_EQUIPMENT)
        if v is None:  # YAML null or ~: neither the default nor none is plainly meant
            raise ValueError(f"is null; leave the key out for the default equipment ({default}, ordered at "
                             "filing), or write equipment: none for no long-lead equipment of the site's own (the "
                             f"time to power is then the grid wait alone); allowed: {allowed}")
        if isinstance(v, str):
            if v == "none":
                return "none"
            if v.strip().lower() in ("none", "null"):  # None, NONE, ' none': as exact as the item keys
                raise ValueError(f"got {v!r}; write none in lower case for no long-lead equipment of the site's "
                                 f"own, or leave the key out for the default ({default}); allowed: {allowed}")
            if v in items:
                raise ValueError(f"{v!r} is one item: give a list, equipment: [{v}]; allowed: {allowed}")
            raise ValueError(f"got {v!r}; allowed: {allowed}")
        if not isinstance(v, (list, tuple)):
            raise ValueError(f"got {v!r:.80}; allowed: {allowed}")
        if not v:
            raise ValueError(f"is an empty list; for no long-lead equipment write equipment: none; allowed: {allowed}")
        for it in v:
            if not isinstance(it, str) or it not in items:
                raise ValueError(unknown_key_message(str(it), items).replace("unknown", "unknown item", 1)
                                 + " (data/equipment_lead_times.csv), or equipment: none")
        if len(set(v)) < len(v):
            raise ValueError(f"lists an item twice: {list(v)}; give each item once")
        return tuple(v)

    @model_validator(mode="after")
    def _equipment_order(self):
        d = self.equipment_ordered
        if d is None:
            return self
        if self.equipment == "none":
            raise ValueError(f"equipment_ordered {d} with equipment: none: there is no long-lead equipment to "
                             "order; drop equipment_ordered, or list the items ordered under equipment:")
        n, k = EQUIPMENT_ORDERED_MAX_MONTHS_BEFORE_FILED, EQUIPMENT_ORDERED_MAX_MONTHS_AFTER_FILED
        earliest, latest = _years_later(self.filed, -(n // 12)), _years_later(self.filed, k // 12)
        if d < earliest:
            raise ValueError(f"equipment_ordered {d} is more than {n} months before filed ({self.filed}); "
                             f"allowed: {earliest} to {latest} (equipment ordered that early is delivered long "
                             "before filing: give that date, or equipment: none if there is none to wait for; "
                             "dcplan.specs.interconnection.EQUIPMENT_ORDERED_MAX_MONTHS_BEFORE_FILED)")
        if d > latest:
            raise ValueError(f"equipment_ordered {d} is more than {k} months after filed ({self.filed}); "
                             f"allowed: {earliest} to {latest} (a mistyped year?)")
        return self

    @model_validator(mode="after")
    def _one_lead_time(self):
        if self.region is None and self.time_to_power is None:
            raise ValueError("give the wait from filing to energization: region (a key of "
                             "data/interconnection.csv: " + ", ".join(known_regions()) + ") or, for a region "
                             "the table has no row for, time_to_power: {p10_months, median_months, p90_months, "
                             "source} (the site's own figures)")
        if self.region is not None and self.time_to_power is not None:
            raise ValueError(f"give region ({self.region!r}) or time_to_power, not both: time_to_power "
                             "replaces everything the region row gives (its wait, basis and source), so the "
                             "region would be unused; drop region (utility: and iso: still name the utility "
                             "in the reports)")
        return self

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
            extra = (" (requested_mw is the whole contract, the phases already in service included: a new 9 MW "
                     "request beside 5 MW in service is requested_mw 14)") if any(p.in_service for p in self.phases) else ""
            raise ValueError(f"phases add up to {total:g} MW, more than requested_mw "
                             f"{self.requested_mw:g}; contracted capacity cannot exceed the request{extra}")
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


def phase_label_warnings(ic) -> list[str]:
    """The warnings of a valid ``interconnection:`` section's phase labels (issued by
    :func:`dcplan.site_plausibility.grid_phase_label_warnings` with the site file's name): a label an earlier
    phase already has, as ``field: message`` texts. The interconnection notebook names each stage by its label
    ("after Sub 1 (5 MW)"), so two phases of one label read as one stage. Phases without a label are not compared."""
    first: dict[str, int] = {}
    out = []
    for i, ph in enumerate(ic.phases):
        if ph.label and first.setdefault(ph.label, i) != i:
            out.append(f"interconnection.phases[{i}].label: {ph.label!r} is also interconnection.phases"
                       f"[{first[ph.label]}]'s label: the reports name each stage of the capacity by it ('full "
                       f"build-out vs {ph.label} (... MW)'), so two stages read as one; allowed: a label of its own for each phase")
    return out
