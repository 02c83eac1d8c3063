"""``solar:`` section: on-site PV (owner: solar).

Fields map one to one onto :func:`dcplan.solar.pv_ac_kw`. Defaults follow NREL
PVWatts: losses 14 % and inverter 96 % from the PVWatts v5 manual (Dobos 2014,
NREL/TP-6A20-62641); GCR 0.3, tracker rotation limit 45 deg and albedo 0.2 from
PVWatts v8 (SSC ``cmod_pvwattsv8.cpp``); tilt 20 deg as PySAM 7.1's PVWatts v8
default; DC/AC 1.2 as in issue 6. ``dc_kw: 0`` (the default) means no PV. Inverter
efficiency is limited to 90-99.5 %, the range PVWatts v8 accepts (SSC ``inv_eff``).
"""
from __future__ import annotations

from pydantic import Field

from ._base import Spec


class SolarSpec(Spec):
    dc_kw: float = Field(0.0, ge=0.0, description="DC nameplate at STC [kW]; 0 = no PV")
    tilt_deg: float = Field(20.0, ge=0.0, le=90.0,
                            description="fixed: surface tilt; tracking: axis tilt (usually 0) [deg]")
    azimuth_deg: float = Field(180.0, ge=0.0, lt=360.0,
                               description="fixed: surface azimuth; tracking: axis azimuth [deg, 180 = south]")
    tracking: bool = Field(False, description="single-axis tracker instead of fixed tilt")
    backtrack: bool = Field(True, description="tracker backtracking (PVWatts array type 3 vs 2)")
    max_angle_deg: float = Field(45.0, gt=0.0, le=90.0, description="tracker rotation limit [deg]")
    gcr: float = Field(0.3, gt=0.0, le=1.0, description="ground coverage ratio [-]")
    dc_ac_ratio: float = Field(1.2, gt=0.0, le=3.0, description="DC nameplate / inverter AC rating [-]")
    losses_frac: float = Field(0.14, ge=0.0, lt=1.0, description="DC system losses [-]")
    inverter_eff_frac: float = Field(0.96, ge=0.90, le=0.995,
                                     description="nominal inverter efficiency [-] (PVWatts v8 range)")
    albedo: float = Field(0.2, ge=0.0, le=1.0, description="ground albedo [-]")
    self_shading: bool = Field(True, description="row-to-row shading at gcr (PVWatts v8 model)")
