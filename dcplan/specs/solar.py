"""``solar:`` section: on-site PV (owner: solar).

Fields map one to one onto :func:`dcplan.solar.pv_ac_kw`. Defaults follow NREL
PVWatts: losses 14 % and inverter 96 % from the PVWatts v5 manual (Dobos 2014,
NREL/TP-6A20-62641); GCR 0.3, tracker rotation limit 45 deg and albedo 0.2 from
PVWatts v8 (SSC ``cmod_pvwattsv8.cpp``); tilt 20 deg as PySAM 7.1's PVWatts v8
default; DC/AC 1.2 as in issue 6. Left out, ``tilt_deg`` and ``azimuth_deg`` are resolved by
:func:`dcplan.solar.default_orientation_deg` with the site's latitude: a tracker's axis is
horizontal (tilt 0), a fixed array tilts 20 deg, and the array faces the equator (azimuth 180
in the northern hemisphere, 0 in the southern). ``dc_kw: 0`` (the default) means no PV. Inverter
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


#: Smallest DC/AC ratio (inverter loading ratio) accepted: 0.8. Basis: US plants are built at
#: 1.1-1.35 (EIA Today in Energy, eia.gov/todayinenergy/detail.php?id=35372: end-2016 fleet
#: average 1.25, plants "usually between 1.13 and 1.30"; NREL ATB 2020 utility PV: 1.34); below
#: 1 the inverter is larger than the array, and much below (0.1) is AC/DC typed upside down. [-]
DC_AC_RATIO_MIN = 0.8
#: Largest DC/AC ratio accepted: 3 (a value like 120 is a percentage typed as a ratio). [-]
DC_AC_RATIO_MAX = 3.0
#: Largest PV array accepted: 10 GWdc (1e7 kW). Basis: the largest PV plants built are a few
#: GW, and a datacenter site's on-site array is far smaller; a figure above this is a unit
#: slip (W typed as kW), not a design. [kW]
PV_DC_MAX_KW = 1.0e7


class SolarSpec(Spec):
    dc_kw: float = Field(0.0, ge=0.0, le=PV_DC_MAX_KW,
                         description="DC nameplate at STC [kW]; 0 = no PV; at most 1e7 (10 GW)")
    tilt_deg: float | None = Field(
        None, ge=0.0, le=90.0,
        description="fixed: surface tilt (default 20, PVWatts v8); tracking: axis tilt (default 0, "
                    "horizontal single-axis tracker) [deg]")
    azimuth_deg: float | None = Field(
        None, ge=0.0, lt=360.0,
        description="fixed: surface azimuth; tracking: axis azimuth [deg, 180 = south]; default: "
                    "facing the equator, 180 at latitude >= 0, 0 (north) at latitude < 0")
    tracking: bool = Field(False, description="single-axis tracker instead of fixed tilt")
    backtrack: bool = Field(True, description="tracker backtracking (PVWatts array type 3 vs 2)")
    max_angle_deg: float = Field(45.0, gt=0.0, le=90.0, description="tracker rotation limit [deg]")
    gcr: float = Field(0.3, gt=0.0, le=1.0, description="ground coverage ratio [-]")
    dc_ac_ratio: float = Field(1.2, ge=DC_AC_RATIO_MIN, le=DC_AC_RATIO_MAX,
                               description="DC nameplate / inverter AC rating, 0.8-3 [-]")
    losses_frac: float = Field(0.14, ge=0.0, lt=1.0, description="DC system losses [-]")
    inverter_eff_frac: float = Field(0.96, ge=0.90, le=0.995,
                                     description="nominal inverter efficiency [-] (PVWatts v8 range)")
    albedo: float = Field(0.2, ge=0.0, le=1.0, description="ground albedo [-]")
    degradation_frac_per_year: float = Field(
        PV_DEGRADATION_FRAC_PER_YEAR,
        description=f"loss of output per year of age, share of year-1 output (linear), in "
                    f"[0, {PV_DEGRADATION_MAX_FRAC_PER_YEAR:g}] [1/yr]")
    self_shading: bool = Field(True, description="row-to-row shading at gcr (PVWatts v8 model)")

    @field_validator("degradation_frac_per_year")
    @classmethod
    def _degradation_is_a_fraction(cls, v: float) -> float:
        if not 0.0 <= v <= PV_DEGRADATION_MAX_FRAC_PER_YEAR:
            raise ValueError(f"must be a fraction per year in [0, {PV_DEGRADATION_MAX_FRAC_PER_YEAR:g}] "
                             f"(0.005 for 0.5 %/yr), got {v!r}")
        return v
