"""``solar:`` section: on-site PV (owner: solar).

Fields map one to one onto :func:`dcplan.solar.pv_ac_kw`. Defaults follow NREL
PVWatts: losses 14 % and inverter 96 % from the PVWatts v5 manual (Dobos 2014,
NREL/TP-6A20-62641); GCR 0.3, tracker rotation limit 45 deg and albedo 0.2 from
PVWatts v8 (SSC ``cmod_pvwattsv8.cpp``); tilt 20 deg as PySAM 7.1's PVWatts v8
default; DC/AC 1.2 as in issue 6. ``dc_kw: 0`` (the default) means no PV. Inverter
efficiency is limited to 90-99.5 %, the range PVWatts v8 accepts (SSC ``inv_eff``).
``degradation_frac_per_year`` (the TCO's later years; the typical year is the PV's first):
see :data:`PV_DEGRADATION_FRAC_PER_YEAR`.
"""
from __future__ import annotations

from pydantic import Field, field_validator

from ._base import Spec

#: Loss of PV output per year of age, a share of the first-year output: 0.5 %/yr, the median
#: of nearly 2,000 field-measured rates of flat-plate modules and systems (D. C. Jordan and
#: S. R. Kurtz, "Photovoltaic Degradation Rates - an Analytical Review", Prog. Photovolt. 21
#: (2013) 12-29, NREL/JA-5200-51664). The update (Jordan, Kurtz, VanSant, Newmiller,
#: "Compendium of Photovoltaic Degradation Rates", Prog. Photovolt. 24 (2016) 978-989, over
#: 11,000 rates) finds a median of 0.5-0.6 %/yr for crystalline silicon and a mean of
#: 0.8-0.9 %/yr. The rates are slopes of linear fits, so the model ages output linearly:
#: ``1 - rate * age`` in whole years of service. Range allowed: 0-5 %/yr.
PV_DEGRADATION_FRAC_PER_YEAR = 0.005
#: Largest rate accepted: 5 %/yr, above the highest rates of the reviews (thin film, hot climates). [1/yr]
PV_DEGRADATION_MAX_FRAC_PER_YEAR = 0.05


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
    degradation_frac_per_year: float = Field(
        PV_DEGRADATION_FRAC_PER_YEAR,
        description="loss of output per year of age, share of year-1 output (linear) [1/yr]")
    self_shading: bool = Field(True, description="row-to-row shading at gcr (PVWatts v8 model)")

    @field_validator("degradation_frac_per_year")
    @classmethod
    def _degradation_is_a_fraction(cls, v: float) -> float:
        if not 0.0 <= v <= PV_DEGRADATION_MAX_FRAC_PER_YEAR:
            raise ValueError(f"must be a fraction per year in [0, {PV_DEGRADATION_MAX_FRAC_PER_YEAR:g}] "
                             f"(0.005 for 0.5 %/yr), got {v!r}")
        return v
