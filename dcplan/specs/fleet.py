"""``fleet:`` section: what IT hardware the site holds and how it is used (owner: power).

Example::

    fleet:
      phases:
        - {hardware: hgx-h100, count: 256, start: 2026-07-01, label: "Hall A"}
        - {hardware: hgx-b200, count: 128, start: 2027-01-01, units_per_rack: 2}   # optional layout
      workload: training            # training | inference | batch | mixed | data
      utilisation_frac: 0.8         # long-run mean accelerator utilisation
      profile: {checkpoint_interval_s: 3600}   # optional generator shape (dcplan.workload)
      cap_w_per_accelerator: 600    # optional power cap [W]; cap_kw_per_unit: unit cap [kW]
      sync_frac: 1.0                # optional: share of the fleet moving in lock-step

Phases are grouped into halls by ``label`` (``dcplan.power.fleet_it_kw(level="hall")``).
A power cap must be at least what every phase's hardware draws idle (data/hardware.csv:
``accelerator_idle_w`` for ``cap_w_per_accelerator``, ``idle_kw`` for ``cap_kw_per_unit``);
a lower cap is refused as the site loads.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ._base import Date, FrozenDict, Name, PathText, Spec, frozen_mapping


#: Shape parameters of each workload generator (``fleet.profile``) with their defaults:
#: illustrative estimates, documented in :mod:`dcplan.workload` and data/SOURCES.md.
#:
#: The training swing against what is published (the hardware engineer, 2026): Choukse et al., "Power
#: Stabilization for AI Training Datacenters" (arXiv 2508.14318, Microsoft/OpenAI/NVIDIA 2025, as summarised by
#: themoonlight.io, secondary) put the swings' spectrum at 0.2-3 Hz (periods of 0.33-5 s), compute phases near
#: TDP and communication phases near idle; Uptime Intelligence (Update 382, June 2025) swings "every second or
#: two", low to high "can exceed 100 %" in the worst case. These defaults sit at the slow, shallow end: a 5 s
#: iteration (0.2 Hz) and communication at 0.7 x the compute level, a swing of 0.288 in utilisation at
#: northern-virginia (compute 0.961, communication 0.673 at its mean 0.85), 3.56 MW (22 % of its 16,215 kW design
#: IT). A near-idle dip (``comm_util_ratio`` 0.1) is not reachable at the bundled training sites' means: with
#: ``comm_frac`` 0.2 the shape's largest mean is 0.771 (below 0.8 and 0.85), so a deeper swing needs a shorter
#: communication share too; a site with measured swings gives its own ``fleet.profile``. The interruption
#: rate (1 a day) is below Meta's Llama 3 log for a 16,384-GPU job, 7.8 a day (data/SOURCES.md).
PROFILE_PARAMS: dict[str, dict[str, float]] = {
    "training": {"comm_frac": 0.20, "comm_util_ratio": 0.70, "iteration_s": 5.0,
                 "checkpoint_interval_s": 1800.0, "checkpoint_s": 60.0,
                 "checkpoint_util_frac": 0.10, "interruptions_per_day": 1.0, "restart_s": 1800.0,
                 "restart_util_frac": 0.05},
    "inference": {"diurnal_amplitude_frac": 0.15, "peak_hour": 14.0, "weekend_drop_frac": 0.10,
                  "burst_rate_per_h": 1.0, "burst_s": 300.0, "burst_util_frac": 0.08,
                  "noise_minute_frac": 0.01, "noise_second_frac": 0.01},
    "batch": {"job_mean_h": 2.0, "gap_mean_s": 900.0, "idle_util_frac": 0.05,
              "level_spread_frac": 0.15},
    "mixed": {"training_share_frac": 0.5},
}

#: Most units (servers or racks) one phase may hold: a million 10-kW servers is 10 GW of IT,
#: twice the largest AI campuses announced by 2025 (about 5 GW); a larger count is a typo
#: (it rendered 9e21 MWh a year on a 10 MW connection).
MAX_UNITS_PER_PHASE = 1_000_000


class FleetPhase(Spec):
    hardware: Name = Field(description="hardware catalog key (data/hardware.csv)")
    count: int = Field(ge=0, le=MAX_UNITS_PER_PHASE,
                       description="number of catalog units (servers or racks) in this phase")
    start: Date = Field(description="date the phase is deployed (local midnight)")
    label: Name = Field("", description="hall/row name; phases with the same label form one hall (one line, at most "
                                         "200 characters)")
    units_per_rack: int | None = Field(
        None, ge=1,
        description="servers per compute rack in this phase, overriding data/hardware.csv units_per_rack (4 for the "
                    "HGX servers, a dcplan estimate; e.g. 2 keeps an air-cooled hgx-b200 rack at 28.6 kW); within the "
                    "catalog's band (dcplan.catalog_bands); 1 only for a rack-scale unit (gb200-nvl72). On an "
                    "air-cooled site a compute rack at or above 60 kW (where liquid-cooled racks start) is refused and "
                    "one above 40.8 kW warned, as a data/hardware.csv row is (dcplan.catalog_bands.air_rack_level). "
                    "The rack gear (rack_addons) scales with the servers, so the IT power does not change with the "
                    "layout, only the rack count and the kW per rack, except where the phase's last rack is partial: "
                    "that rack carries a full rack's share of the gear (385 hgx-b200: 5,801.5 kW of design IT in 77 "
                    "full racks of 5, 5,803.0 kW in 129 racks of 3, the last holding 1; 5 a rack, 71.5 kW, on a liquid-cooled "
                    "site only)")

    @field_validator("units_per_rack")
    @classmethod
    def _layout_of_a_server(cls, v, info: ValidationInfo):
        """Inside the catalog's ``units_per_rack`` band (:data:`dcplan.catalog_bands.BANDS`, 1-96); a rack-scale unit (catalog ``kind`` rack, ``units_per_rack`` 1: the whole rack is the unit) takes no
        other layout; an unknown hardware key is its own problem (skipped)."""
        from ..catalog_bands import band_problem
        bad = None if v is None else band_problem("hardware.csv", "units_per_rack", [("units_per_rack", v)], "per rack")
        if bad is not None:  # the catalog's own band (a 42-48U rack holds 4 DGX-class servers ... 96 half-width nodes)
            raise ValueError(bad[1].replace("(dcplan.catalog_bands; a real figure outside: widen the band there, citing "
                                            "its source)", "(dcplan.catalog_bands)"))
        key = info.data.get("hardware")
        if v is None or v == 1 or not isinstance(key, str):
            return v
        from ..errors import InputError
        from ..power import hardware
        try:
            hw = hardware(key)
        except InputError:
            return v
        if hw.kind == "rack":
            raise ValueError(f"{v} for {key!r}, a rack-scale unit in data/hardware.csv (kind rack, units_per_rack "
                             f"{hw.units_per_rack}: the whole rack is the unit, so count is the number of racks); "
                             "allowed: 1, or leave units_per_rack out")
        return v


_frozen_profile = frozen_mapping("fleet.profile")


class FleetSpec(Spec):
    phases: tuple[FleetPhase, ...] = Field(min_length=1, strict=False)
    workload: Literal["training", "inference", "batch", "mixed", "data"] = Field(
        "training", description="utilisation pattern of the synthetic load (dcplan.workload); 'data': "
                                "measured, from data_file (then utilisation_frac is required)")
    utilisation_frac: float = Field(0.8, ge=0.0, le=1.0,
                                    description="mean accelerator utilisation (default 0.8: an estimate "
                                                "for a busy training fleet, not a measurement; the inference, "
                                                "batch and mixed shapes' defaults reach a lower mean, so "
                                                "those workloads must give it)")
    diversity_frac: float = Field(1.0, gt=0.0, le=1.0,
                                  description="ratio of coincident peak to sum of unit peaks (1 = synchronous); "
                                              "scales the design (sizing) IT power")
    sync_frac: float | None = Field(None, ge=0.0, le=1.0, description=(
        "share of the fleet moving in lock-step in the time series; default 1 for training, 0 (independent "
        "units) otherwise. The rest, (1 - sync_frac) x units of each phase (of each rack at rack level), are "
        "independent units: up to 64 (dcplan.power_units.MAX_SIMULATED_UNITS) are drawn one by one, each its "
        "own seeded realisation, capped on its own; more are taken as their expectation, with a warning where "
        "that understates the peak power by more than 1 %"))
    profile: dict[str, float] = Field(default_factory=lambda: FrozenDict((), "fleet.profile"), strict=False,
                                      description="workload generator shape parameters (dcplan.workload)")
    data_file: PathText | None = Field(None, description=(
        "CSV of utilisation_frac or it_kw for workload 'data' (dcplan.workload.read_profile_csv: interval-ending "
        "timestamps with a UTC offset, any regular step, covering the weather year; a utilisation_frac file's mean "
        "within 0.01 of utilisation_frac; an it_kw file at most the fleet's nameplate, and its mean what the fleet "
        "draws at a utilisation within 0.01 of utilisation_frac, dcplan.workload_data). Each value holds over its own interval: a file coarser than a view (an "
        "hourly file in the 1 s runs of rack_power and cooling_lag) gives every second of an hour that hour's "
        "value, with no sub-hour variation, and the labels say so"))
    curve: Literal["linear", "concave", "convex"] = Field("linear", description="power-vs-utilisation shape")
    cap_w_per_accelerator: float | None = Field(None, gt=0.0, description="accelerator power cap [W]")
    cap_kw_per_unit: float | None = Field(None, gt=0.0, description="unit (server/rack) power cap [kW]")

    @field_validator("phases", mode="before")
    @classmethod
    def _at_least_one_phase(cls, v):
        # before min_length, whose message ("Tuple should have at least 1 item after validation")
        # says neither what a phase is nor how to write one
        if isinstance(v, (list, tuple)) and not v:
            raise ValueError(f"a fleet needs at least one phase, got {v!r}; e.g. phases: [{{hardware: hgx-h100, "
                             "count: 256, start: 2026-07-01}] (one item per deployment: a data/hardware.csv key, "
                             "the number of its servers or racks and the date they start)")
        return v

    @field_validator("profile")
    @classmethod
    def _profile_keys(cls, v: dict, info: ValidationInfo):
        # a field check (not a model one), so it is reported beside the other fields' problems
        # (a typo in profile with a bad phase count); skipped when the workload is itself invalid
        from .._text import unknown_key_message
        v = _frozen_profile(v)  # read-only, as the spec: a change in place would skip the checks below
        kind = info.data.get("workload")
        if kind is None:
            return v
        allowed = ({} if kind == "data" else
                   {**PROFILE_PARAMS["training"], **PROFILE_PARAMS["inference"], **PROFILE_PARAMS["mixed"]}
                   if kind == "mixed" else PROFILE_PARAMS[kind])
        for k in v:
            if k not in allowed:
                raise ValueError(unknown_key_message(k, allowed) if allowed else
                                 "workload 'data' takes no profile parameters")
        return v

    @model_validator(mode="after")
    def _has_units_and_a_valid_profile(self):
        """At least one unit, and a profile the runs can build: every value in its range and
        the shape consistent with the mean utilisation (the checks of
        :func:`dcplan.workload.make_process`, so a bad ``profile:`` is refused when the site
        loads, not in every run)."""
        if sum(ph.count for ph in self.phases) == 0:
            raise ValueError("the fleet has no units: every phase's count is 0; allowed: at least one unit")
        if self.workload != "data":
            from ..errors import InputError
            from ..workload import make_process
            try:
                make_process(self.workload, self.utilisation_frac, **self.profile)
            except InputError as e:
                # the generator's argument is the YAML's utilisation_frac
                field = "utilisation_frac" if e.field == "mean_util_frac" else e.field
                # the generator's hint names its arguments; in a site file they are fleet.profile keys
                names = sorted({k for ps in PROFILE_PARAMS.values() for k in ps}, key=len, reverse=True)
                detail = re.sub(r"(?<![\w.])(" + "|".join(names) + r")\b", r"fleet.profile.\1", e.detail)
                if field == "utilisation_frac" and "utilisation_frac" not in self.model_fields_set:
                    # the user wrote no utilisation_frac: say the value is the default, not theirs
                    detail = (f"not given, so the default {self.utilisation_frac:g} applies (an estimate for a "
                              f"busy fleet), which workload {self.workload!r} cannot reach: {detail}; "
                              "give fleet.utilisation_frac")
                raise ValueError(f"{field + ': ' if field else ''}{detail}") from None
        return self

    @field_validator("cap_w_per_accelerator", "cap_kw_per_unit")
    @classmethod
    def _cap_not_below_idle(cls, v, info: ValidationInfo):
        """A power cap below what a phase's hardware draws idle (data/hardware.csv
        ``accelerator_idle_w``, ``idle_kw``) is refused as the site loads, for every phase's
        hardware (:func:`dcplan.power._check_caps`, which the runs apply too). A phase whose
        hardware key is unknown is skipped: that key is its own problem."""
        phases = info.data.get("phases")
        if v is None or not phases:
            return v
        from ..errors import InputError
        from ..power import _check_caps, hardware
        per_acc = info.field_name == "cap_w_per_accelerator"
        worst = None  # (floor, phase index, message) of the phase that needs the highest cap
        for i, ph in enumerate(phases):
            try:
                hw = hardware(ph.hardware)
            except InputError:
                continue
            try:
                _check_caps(hw, v if per_acc else None, None if per_acc else v)
            except InputError as e:
                floor = hw.accelerator_idle_w if per_acc else hw.idle_kw
                if worst is None or floor > worst[0]:
                    worst = (floor, i, e.detail)
        if worst is not None:
            _, i, msg = worst
            raise ValueError(msg + (f" (phases[{i}]; the cap applies to every phase)" if len(phases) > 1 else ""))
        return v

    @model_validator(mode="after")
    def _data_needs_file(self):
        if self.workload == "data" and not self.data_file:
            raise ValueError("workload 'data' needs data_file (CSV with timestamp and utilisation_frac or it_kw)")
        if self.workload == "data" and "utilisation_frac" not in self.model_fields_set:
            # the default 0.8 would count tokens, GPU-hours sold and revenue at a utilisation the
            # data do not have (a measured 0.6 fleet tripled its NPV when the field was left out)
            raise ValueError("workload 'data' needs utilisation_frac: the mean share of GPU capacity in use, at "
                             "which tokens, GPU-hours sold and revenue are counted (the data file gives the power); "
                             "set it to the measured mean (a utilisation_frac file's own mean)")
        if self.workload != "data" and self.data_file:
            raise ValueError(f"data_file is only used with workload 'data', not {self.workload!r}")
        return self


def phase_warnings(fleet: FleetSpec) -> list[str]:
    """The warnings of a valid ``fleet:`` section (issued by :func:`dcplan.site_plausibility.fleet_phase_warnings`
    with the site file's name, as :class:`~dcplan.errors.DcplanWarning`, by ``dcplan validate`` and ``render``), as
    ``field: message`` texts: a phase of 0 units (it adds nothing, yet its label and start show in the tables), and
    one label on phases of different hardware (phases of one label form one hall, so two generations read as one:
    :func:`dcplan.power.fleet_it_kw` ``level="hall"``). One label on phases of the same hardware is a hall built in
    stages: not warned."""
    out = [f"fleet.phases[{i}].count: 0 units: the phase adds no IT power, cost or GPU, yet its "
           + (f"label {ph.label!r} and start {ph.start} show" if ph.label else f"start {ph.start} shows")
           + " in the fleet tables; allowed: at least 1 unit, or leave the phase out"
           for i, ph in enumerate(fleet.phases) if ph.count == 0]
    first: dict[str, int] = {}
    for i, ph in enumerate(fleet.phases):
        if not ph.label:
            continue
        j = first.setdefault(ph.label, i)
        if j != i and fleet.phases[j].hardware != ph.hardware:
            out.append(f"fleet.phases[{i}].label: {ph.label!r} is also fleet.phases[{j}]'s label, with other hardware "
                       f"({fleet.phases[j].hardware!r} there, {ph.hardware!r} here): phases of one label form one hall "
                       "(the hall-level IT power, dcplan.power.fleet_it_kw level 'hall'), so two generations read as "
                       "one hall; allowed: a label of its own for each hall; keep it only if one hall holds both")
    return out
