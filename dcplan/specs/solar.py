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

A fraction typed as a percentage (``losses_frac: 14``, ``albedo: 20``), a DC/AC ratio typed as
one (``dc_ac_ratio: 120``) and a bearing below 0 or of 360-720 (``azimuth_deg: -10``, ``400``) are
refused with the value meant (:func:`dcplan._text.percent_hint`, :func:`bearing_hint`). A number out of
its field's bounds is refused with the bound's unit (:data:`BOUND_UNITS`: ``Input should be greater than
or equal to 0 kW, got -5``), as :func:`dcplan.solar.pv_ac_kw` refuses its arguments. ``gcr`` is limited
to (0, 0.99], PVWatts v8's range top (:data:`GCR_MAX`: at 1 the rows touch), for fixed arrays and trackers alike.
:func:`model_range_warnings` warns of a fixed tilt above :data:`FIXED_TILT_CHECKED_MAX_DEG` (the
range checked against PVWatts v8) and of DC losses above :data:`LOSSES_PLAUSIBLE_MAX_FRAC`.
:func:`solar_warnings` gives the other warnings of
a valid section: a tracker axis steeper than :data:`TRACKER_AXIS_TILT_CHECKED_MAX_DEG`, and
tracker-only keys (:data:`TRACKER_ONLY_KEYS`) given on a fixed array, which ignores them (a
warning, not an error, as ``cooling.type: air`` with liquid-loop keys: a sweep may switch
``tracking``). :func:`dcplan.solar.pv_for_site` and ``dcplan validate`` issue them. A sweep or override
that switches ``tracking`` does not carry the file's ``tilt_deg`` and ``azimuth_deg`` over to the other
mount (a fixed array's tilt is not a tracker's axis tilt): the case takes the new mount's defaults unless
the overrides set them too (:func:`dcplan.sweep_overrides.orientation_resets`; a sweep row's
``pv_tilt_deg`` and ``pv_azimuth_deg`` say what was used).
"""
from __future__ import annotations

import math
import numbers
import warnings

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from .._text import percent_hint, ratio_percent_hint
from ..errors import DcplanWarning
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
#: Steepest single-axis tracker axis checked against NREL PVWatts v8: axis tilts 0-45 deg give
#: annual energy within 1 % of PVWatts v8 (PySAM 7.1.1, Chicago and Phoenix EPW, GCR 0.3:
#: 0.998-1.007); steeper axes come out below it, about 2.5 % at 75 deg and 8-9 % at 90 (also
#: without row shading: GCR 0.01 at 90 deg, 6 % below), a difference not traced to one model
#: step (tests/test_solar_pysam.py, ``test_tilted_tracker_axis_against_pvwatts_v8``). A tracker
#: above it warns (:func:`solar_warnings`). [deg]
TRACKER_AXIS_TILT_CHECKED_MAX_DEG = 45.0
#: Steepest fixed-array tilt checked against NREL PVWatts v8: tilts up to 75 deg give annual energy
#: within 1.6 % of it (PySAM 7.1.1, GCR 0.3: 0.984-0.999 at 60 and 75 deg on the Phoenix and Chicago
#: EPW and Greensboro TMY3 files), steeper ones come out below it: 2-3 % at 80 deg, 4-7 % at 85 and
#: 5-7 % at 90 (vertical; PVWatts v8 simplifies the vertical row's shading, :mod:`dcplan.solar`
#: "Agreement with PVWatts v8"; tests/test_solar_pysam.py, ``test_steep_fixed_tilt_against_pvwatts_v8``).
#: A fixed array above it warns (:func:`model_range_warnings`). [deg]
FIXED_TILT_CHECKED_MAX_DEG = 75.0
#: Largest ground coverage ratio accepted: 0.99, PVWatts v8's maximum (SSC ``cmod_pvwattsv8`` var
#: table, ``gcr`` MIN=0.01, MAX=0.99; PySAM 7.1.1 refuses 1.0 with "fail(gcr, max=0.99)", for fixed
#: arrays and trackers alike). At 1 the rows touch: a tracker's rows cannot rotate, and a tilted fixed
#: row stands in the shade of the next; an array with no rows (flush on a roof) is
#: ``self_shading: false``, whatever its gcr. [-]
GCR_MAX = 0.99
#: DC losses above this warn (:func:`model_range_warnings`): 0.5. PVWatts' default total is 14 %
#: (Dobos 2014, NREL/TP-6A20-62641: soiling 2, shading 3, snow 0, mismatch 2, wiring 2, connections
#: 0.5, light-induced degradation 1.5, nameplate 1, age 0, availability 3 %); even heavy soiling or
#: snow and long outages add tens of points, not 50. A value above it is more likely the derate
#: *kept* typed as the loss (PVWatts v1's DC-to-AC derate 0.77, or 0.86 = 1 - 0.14). [-]
LOSSES_PLAUSIBLE_MAX_FRAC = 0.5
#: Keys only a single-axis tracker reads; a fixed array (``tracking: false``) ignores them.
TRACKER_ONLY_KEYS = ("max_angle_deg", "backtrack")
#: The unit of each ``solar:`` field, as its description gives it ("-" for a ratio, fraction or flag);
#: :data:`dcplan.solar_report.SOLAR_FIELD_UNITS` is this.
FIELD_UNITS = {"dc_kw": "kW", "tilt_deg": "deg", "azimuth_deg": "deg", "tracking": "-", "backtrack": "-",
               "max_angle_deg": "deg", "gcr": "-", "dc_ac_ratio": "-", "losses_frac": "-",
               "inverter_eff_frac": "-", "albedo": "-", "degradation_frac_per_year": "1/yr",
               "self_shading": "-"}
#: What a bound of a number field is in, as an error message puts it after the bound ("greater than or
#: equal to 0 kW", "less than 1 (fraction)"): the unit, or what a dimensionless number is. The site file's
#: errors and :func:`dcplan.solar.pv_ac_kw`'s arguments use it alike (an audit: "must be in [0, 1e+07],
#: got -5" said no unit). ``degradation_frac_per_year`` says its own ("a fraction per year").
BOUND_UNITS = {"dc_kw": "kW", "tilt_deg": "deg", "azimuth_deg": "deg", "max_angle_deg": "deg",
               "gcr": "(ratio)", "dc_ac_ratio": "(ratio)", "losses_frac": "(fraction)",
               "inverter_eff_frac": "(fraction)", "albedo": "(fraction)",
               "latitude": "deg", "longitude": "deg", "elevation_m": "m"}


class SolarSpec(Spec):
    """On-site PV behind the site's meter, modelled hour by hour with pvlib as NREL PVWatts v8 models it
    (dcplan.solar). PV the facility does not use in the hour (nor the site battery store) is spilled: sent
    out through the meter it earns nothing, no export credit or net metering (the bill is of the grid
    draw clipped at 0; ``pv_spilled_mwh`` says how much). Energy runs about 0.2-0.8 % below PVWatts v8's for the
    year on the same weather and 1-3 % below it in December and January at 33-42 deg N (within 0.6 % from May to
    August), mostly from the cover: dcplan models plain glass (pvlib's ``physical`` IAM), PVWatts v8
    anti-reflective glass, which loses less light at the low sun angles of winter. At 55 deg N (Sand Point AK)
    December runs 2-4 % above PVWatts v8: the sun stays low all day, and PVWatts v8's DC falls at low sun (its
    air-mass modifier) where dcplan's does not (dcplan.solar, "Agreement with PVWatts v8"). No snow loss is
    modelled (snow 0 % in the default 14 % losses, as PVWatts' own): give a snowy site's annual snow loss in
    ``losses_frac``.

    Each field's default and its source: the module docstring (:mod:`dcplan.specs.solar`); the
    comparison with PVWatts v8: :mod:`dcplan.solar`, "Agreement with PVWatts v8".
    """
    dc_kw: float = Field(0.0, ge=0.0, le=PV_DC_MAX_KW,
                         description="DC nameplate at STC [kW]; 0 = no PV; at most 1e7 (10 GW)")
    tilt_deg: float | None = Field(
        None, ge=0.0, le=90.0,
        description="fixed: surface tilt (default 20, PVWatts v8; above 75 deg, beyond the 0-75 checked against "
                    "PVWatts v8, warns: energy may be under-estimated, 5-7 % at 90); tracking: axis tilt (default 0, "
                    "horizontal single-axis tracker; an axis above 45 deg, beyond the 0-45 checked against "
                    "PVWatts v8, warns: energy may be under-estimated, about 9 % at 90) [deg]")
    azimuth_deg: float | None = Field(
        None, ge=0.0, lt=360.0,
        description="fixed: surface azimuth; tracking: axis azimuth [deg, 180 = south, 0-360 clockwise from "
                    "north]; default: facing the equator, 180 at latitude >= 0, 0 (north) at latitude < 0")
    tracking: bool = Field(False, description="single-axis tracker instead of fixed tilt")
    backtrack: bool = Field(True, description="tracker backtracking (PVWatts array type 3 vs 2); tracking "
                                              "only (a fixed array ignores it, with a warning)")
    max_angle_deg: float = Field(45.0, gt=0.0, le=90.0,
                                 description="tracker rotation limit; tracking only (a fixed array ignores it, "
                                             "with a warning) [deg]")
    gcr: float = Field(0.3, gt=0.0, le=GCR_MAX,
                       description="ground coverage ratio, module slant length / row pitch, in (0, 0.99] (PVWatts "
                                   "v8's maximum: at 1 the rows touch, a tracker cannot rotate and a tilted fixed row "
                                   "is shaded by the next; an array without rows: self_shading: false) [-]")
    dc_ac_ratio: float = Field(1.2, ge=DC_AC_RATIO_MIN, le=DC_AC_RATIO_MAX,
                               description="DC nameplate / inverter AC rating, 0.8-3 [-]")
    losses_frac: float = Field(0.14, ge=0.0, lt=1.0,
                               description="DC system losses, a fraction (0.14 for 14 %, PVWatts' default); above "
                                           "0.5 warns (the derate kept typed as the loss?) [-]")
    inverter_eff_frac: float = Field(0.96, ge=0.90, le=0.995,
                                     description="nominal inverter efficiency [-] (PVWatts v8 range)")
    albedo: float = Field(0.2, ge=0.0, le=1.0, description="ground albedo, a fraction 0-1 [-]")
    degradation_frac_per_year: float = Field(
        PV_DEGRADATION_FRAC_PER_YEAR,
        description=f"loss of output per year of age, share of year-1 output (linear), in "
                    f"[0, {PV_DEGRADATION_MAX_FRAC_PER_YEAR:g}] [1/yr]")
    self_shading: bool = Field(True, description="row-to-row shading at gcr (PVWatts v8 model)")

    @field_validator("losses_frac", "inverter_eff_frac", "albedo", mode="before")
    @classmethod
    def _fraction_not_percent(cls, v, info: ValidationInfo):
        """A number above the field's upper bound that reads as a percentage (14 for 14 %) is
        refused with the fraction meant; other values go on to the field's own bounds."""
        lo, hi, hi_open = _bounds(info.field_name)
        hint = percent_hint(v, lo)
        if hint and (v >= hi if hi_open else v > hi):
            raise ValueError(f"Input should be less than{'' if hi_open else ' or equal to'} {hi:g} "
                             f"{BOUND_UNITS[info.field_name]}, got {v!r}{hint}")
        return v

    @field_validator("gcr", mode="before")
    @classmethod
    def _rows_apart(cls, v):
        """``gcr`` above :data:`GCR_MAX` (rows touching) is refused with why."""
        if isinstance(v, numbers.Real) and not isinstance(v, bool) and GCR_MAX < v <= 1.0:
            raise ValueError(f"Input should be less than or equal to {GCR_MAX:g} {BOUND_UNITS['gcr']}, got {v!r} "
                             "(PVWatts v8's maximum: at "
                             "1 the rows touch, so a tracker cannot rotate and a tilted fixed row is shaded by the "
                             "next; an array without rows: leave gcr out and set self_shading: false)")
        return v

    @field_validator("dc_ac_ratio", mode="before")
    @classmethod
    def _ratio_not_percent(cls, v):
        """``dc_ac_ratio: 120`` (120 %) is refused with the ratio meant, 1.2."""
        hint = ratio_percent_hint(v, DC_AC_RATIO_MIN, DC_AC_RATIO_MAX)
        if hint:
            raise ValueError(f"Input should be less than or equal to {DC_AC_RATIO_MAX:g} {BOUND_UNITS['dc_ac_ratio']}, "
                             f"got {v!r}{hint}")
        return v

    @field_validator("azimuth_deg", mode="before")
    @classmethod
    def _bearing_in_range(cls, v):
        """A bearing below 0 (``-10``) or in [360, 720) is refused with the same direction in
        [0, 360) (350; 0, 40 for 400)."""
        hint = bearing_hint(v)
        if hint:
            bound = "greater than or equal to 0" if v < 0 else "less than 360"
            raise ValueError(f"Input should be {bound} deg, got {v!r}{hint}")
        return v

    @field_validator("dc_kw", "tilt_deg", "azimuth_deg", "max_angle_deg", "gcr", "dc_ac_ratio", "losses_frac",
                     "inverter_eff_frac", "albedo", mode="wrap")
    @classmethod
    def _bound_with_unit(cls, v, handler, info: ValidationInfo):
        """A number out of the field's ``Field`` bounds is refused with pydantic's message and the bound's unit
        (:data:`BOUND_UNITS`): ``Input should be greater than or equal to 0 kW``; the error keeps its type
        (``greater_than_equal``...), so the site loader adds the value and its hints as before."""
        try:
            return handler(v)
        except ValidationError as err:
            errs = err.errors(include_url=False)
            if len(errs) != 1 or errs[0]["type"] not in _BOUND_ERRORS:
                raise
            e = errs[0]
            raise PydanticCustomError(e["type"], f"{e['msg']} {BOUND_UNITS[info.field_name]}",
                                      e.get("ctx")) from None

    @field_validator("degradation_frac_per_year")
    @classmethod
    def _degradation_is_a_fraction(cls, v: float) -> float:
        if not 0.0 <= v <= PV_DEGRADATION_MAX_FRAC_PER_YEAR:
            raise ValueError(f"must be a fraction per year in [0, {PV_DEGRADATION_MAX_FRAC_PER_YEAR:g}] "
                             f"(0.005 for 0.5 %/yr), got {v!r}")
        return v


#: pydantic's error types of a number beyond a ``Field`` bound (``ge``, ``gt``, ``le``, ``lt``).
_BOUND_ERRORS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


def _bounds(name: str) -> tuple[float, float, bool]:
    """``(lower, upper, upper_is_open)`` of a :class:`SolarSpec` number field, from its ``Field``."""
    lo, hi, hi_open = -math.inf, math.inf, False
    for m in SolarSpec.model_fields[name].metadata:
        lo = getattr(m, "ge", getattr(m, "gt", lo))
        if getattr(m, "lt", None) is not None:
            hi, hi_open = m.lt, True
        elif getattr(m, "le", None) is not None:
            hi = m.le
    return lo, hi, hi_open


def bearing_hint(v) -> str:
    """`` (a bearing 0-360 clockwise from north: for -10 write 350)`` for an azimuth in
    (-360, 0) or [360, 720) (one turn below or above the range), else ''.

    >>> bearing_hint(-10)
    ' (a bearing 0-360 clockwise from north: for -10 write 350)'
    >>> bearing_hint(360)
    ' (a bearing 0-360 clockwise from north: for 360 write 0)'
    >>> bearing_hint(400), bearing_hint(720)
    (' (a bearing 0-360 clockwise from north: for 400 write 40)', '')
    """
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not (-360.0 < v < 0.0 or 360.0 <= v < 720.0):
        return ""
    return f" (a bearing 0-360 clockwise from north: for {v:g} write {float(v) % 360.0:g})"


def tracker_axis_tilt_note(tilt_deg: float) -> str:
    """What a single-axis tracker's axis tilt above :data:`TRACKER_AXIS_TILT_CHECKED_MAX_DEG`
    means for its energy (the warning's text after ``tilt_deg: ``), else ''."""
    if not tilt_deg > TRACKER_AXIS_TILT_CHECKED_MAX_DEG:
        return ""
    return (f"{tilt_deg:g} deg is a single-axis tracker's axis tilt, above the 0-{TRACKER_AXIS_TILT_CHECKED_MAX_DEG:g} "
            "deg checked against NREL PVWatts v8 (within 1 % of its annual energy there); steeper axes come out "
            "below PVWatts v8, about 2.5 % at 75 deg and 8-9 % at 90 (dcplan.specs.solar."
            "TRACKER_AXIS_TILT_CHECKED_MAX_DEG), so the PV energy may be under-estimated")


def fixed_tilt_note(tilt_deg: float) -> str:
    """What a fixed array's tilt above :data:`FIXED_TILT_CHECKED_MAX_DEG` means for its energy (the
    warning's text after ``tilt_deg: ``), else ''."""
    if not tilt_deg > FIXED_TILT_CHECKED_MAX_DEG:
        return ""
    return (f"{tilt_deg:g} deg is a fixed array's tilt, above the 0-{FIXED_TILT_CHECKED_MAX_DEG:g} deg checked against "
            "NREL PVWatts v8 (within 1.6 % of its annual energy there); steeper arrays come out below PVWatts v8, "
            "2-3 % at 80 deg and 5-7 % at 90 (dcplan.specs.solar.FIXED_TILT_CHECKED_MAX_DEG), so the PV energy may "
            "be under-estimated")


def losses_note(losses_frac: float) -> str:
    """Why DC losses above :data:`LOSSES_PLAUSIBLE_MAX_FRAC` look wrong (the warning's text after
    ``losses_frac: ``), else ''."""
    if not losses_frac > LOSSES_PLAUSIBLE_MAX_FRAC:
        return ""
    return (f"{losses_frac:g} loses {100 * losses_frac:g} % of the DC output, above the {LOSSES_PLAUSIBLE_MAX_FRAC:g} "
            "taken as plausible (PVWatts' default total is 0.14: soiling, shading, mismatch, wiring, availability...); "
            f"if {losses_frac:g} is the share kept (a derate), the loss is {1 - losses_frac:.2g}; allowed: the share "
            f"lost, up to {LOSSES_PLAUSIBLE_MAX_FRAC:g} without this warning")


def model_range_notes(*, tilt_deg: float, tracking: bool, losses_frac: float) -> list[tuple[str, str]]:
    """``(field, message)`` of an array's values beyond the range its model is checked in or
    plausible: a fixed tilt above :data:`FIXED_TILT_CHECKED_MAX_DEG` (:func:`fixed_tilt_note`),
    a tracker axis above :data:`TRACKER_AXIS_TILT_CHECKED_MAX_DEG` (:func:`tracker_axis_tilt_note`),
    DC losses above :data:`LOSSES_PLAUSIBLE_MAX_FRAC` (:func:`losses_note`)."""
    out = []
    tilt = tracker_axis_tilt_note(tilt_deg) if tracking else fixed_tilt_note(tilt_deg)
    if tilt:
        out.append(("tilt_deg", tilt))
    if (loss := losses_note(losses_frac)):
        out.append(("losses_frac", loss))
    return out


def model_range_warnings(spec: SolarSpec) -> list[str]:
    """The ``solar.<field>: message`` warnings of a section with PV (``dc_kw`` > 0) whose fixed
    tilt or DC losses are beyond the range checked or plausible (:func:`model_range_notes`; a
    tracker's steep axis is :func:`solar_warnings`'s). A fixed array left at the default tilt
    (20 deg) is in range."""
    if not spec.dc_kw > 0:
        return []
    notes = model_range_notes(tilt_deg=spec.tilt_deg if spec.tilt_deg is not None else 0.0,
                              tracking=spec.tracking, losses_frac=spec.losses_frac)
    return [f"solar.{field}: {text}" for field, text in notes if not (spec.tracking and field == "tilt_deg")]


def _yaml_value(v) -> str:
    """A bool or number as the site file writes it (``false``, ``60``)."""
    return str(v).lower() if isinstance(v, bool) else f"{v:g}"


def solar_warnings(spec: SolarSpec) -> list[str]:
    """The warnings of a valid ``solar:`` section, as ``solar.<field>: message`` texts (the caller
    puts the file in front): a tracker whose axis is steeper than
    :data:`TRACKER_AXIS_TILT_CHECKED_MAX_DEG` (with PV, ``dc_kw`` > 0), and keys only a tracker
    reads (:data:`TRACKER_ONLY_KEYS`) set on a fixed array, which ignores them."""
    out = []
    if spec.tracking and spec.dc_kw > 0 and spec.tilt_deg is not None:
        note = tracker_axis_tilt_note(spec.tilt_deg)
        if note:
            out.append(f"solar.tilt_deg: {note}")
    # given and not the default: a site rebuilt from a full model_dump() marks every field as given
    given = [k for k in TRACKER_ONLY_KEYS if k in spec.model_fields_set
             and getattr(spec, k) != type(spec).model_fields[k].default]
    if not spec.tracking and given:
        vals = " and ".join(f"{k} {_yaml_value(getattr(spec, k))}" for k in given)
        one = len(given) == 1
        out.append(f"solar.{given[0]}: applies only with tracking: true; this array is fixed (tracking: false), so "
                   f"{vals} {'is' if one else 'are'} ignored; allowed: leave {'it' if one else 'them'} out, or set "
                   "solar.tracking: true")
    return out


#: A fixed array tilted more than this and facing more than 90 deg from the equator is warned of
#: (:func:`pole_facing_warning`): at such a tilt the pole-facing side loses much of its sun. [deg]
POLE_FACING_TILT_MIN_DEG = 10.0


def pole_facing_warning(spec: SolarSpec, latitude: float) -> str | None:
    """A fixed array (``dc_kw`` > 0) tilted over :data:`POLE_FACING_TILT_MIN_DEG` whose given
    ``azimuth_deg`` faces more than 90 deg away from the equator at ``latitude`` (a security
    reviewer's ``azimuth_deg: 0, tilt_deg: 40`` at Sand Point, AK, 55 deg N, validated silently: 0
    taken for "south"), as a ``solar.azimuth_deg: message`` text, else None."""
    if spec.tracking or not spec.dc_kw > 0 or spec.azimuth_deg is None or "azimuth_deg" not in spec.model_fields_set:
        return None
    tilt = spec.tilt_deg
    if tilt is None:  # the default fixed tilt, applied when the PV is modelled (a verifier's azimuth 0
        from ..solar import default_orientation_deg  # without tilt_deg: -29 % of the PV, unflagged)
        tilt = default_orientation_deg(latitude, False)[0]
    if not tilt > POLE_FACING_TILT_MIN_DEG:
        return None
    equator = 180.0 if latitude >= 0 else 0.0
    off = abs((float(spec.azimuth_deg) - equator + 180.0) % 360.0 - 180.0)
    if not off > 90.0:
        return None
    side = "north" if latitude >= 0 else "south"
    return (f"solar.azimuth_deg: {spec.azimuth_deg:g} deg faces {off:.0f} deg away from the equator (a bearing "
            f"clockwise from north: 180 is south, 0 north) at latitude {latitude:g}, so the array tilted "
            f"{tilt:g} deg faces the {side}ern sky and gets much less sun; allowed: the bearing the array faces "
            f"({equator:g} faces the equator here; leave azimuth_deg out for that)")


def site_solar_warnings(site) -> list[str]:
    """The warnings of a site's ``solar:`` section (:func:`solar_warnings`:
    a tracker axis steeper than :data:`TRACKER_AXIS_TILT_CHECKED_MAX_DEG`, tracker-only keys on
    a fixed array; :func:`model_range_warnings`: a fixed tilt above :data:`FIXED_TILT_CHECKED_MAX_DEG`,
    DC losses above :data:`LOSSES_PLAUSIBLE_MAX_FRAC`; :func:`pole_facing_warning`) as
    ``file: field: message`` texts."""
    where = getattr(site, "source_file", None) or f"site {site.id!r}"
    texts = solar_warnings(site.solar) + model_range_warnings(site.solar)
    if (pole := pole_facing_warning(site.solar, float(site.latitude))) is not None:
        texts.append(pole)
    return [f"{where}: {text}" for text in texts]


def warn_site_solar(site) -> None:
    """Issue :func:`site_solar_warnings` as :class:`~dcplan.errors.DcplanWarning` (by
    :func:`dcplan.solar.pv_for_site` and ``dcplan validate``)."""
    for text in site_solar_warnings(site):
        warnings.warn(text, DcplanWarning, stacklevel=3)
