"""``cooling:`` section: plant type and design figures (owner: thermal).

Every field is optional; ``None`` means "use the sourced default" from
``data/cooling_defaults.csv`` (see ``data/cooling_defaults.md``) or the default
that :mod:`dcplan.thermal` derives from the plant type and liquid class.

A site that leaves out the whole ``cooling:`` section gets ``type: air`` when every unit of
its fleet is air-cooled in ``data/hardware.csv`` (column ``cooling``), and this class's
defaults (``type: liquid``, ``liquid_class: W32``) otherwise: see :class:`dcplan.site.Site`.
A section given without ``type`` makes the same choice, unless it gives a key only a liquid loop
reads (``liquid_class``, ``trim_chiller``, ``liquid_heat_frac``, ``heat_rejection``: then
``type: liquid``); so ``cooling: {ashrae_class: A1}`` on an HGX B200 fleet is an air plant.
"""
from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from ._base import Spec


class CoolingSpec(Spec):
    """Cooling plant of a site.

    ``type: air`` is one air loop: CRAH + chiller + heat rejection with a water-side
    economizer; ``type: liquid`` is direct-to-chip liquid (CDU + facility water to a
    dry cooler or cooling tower, optional trim chiller) for ``liquid_heat_frac`` of
    the IT heat, with the rest on an air loop like ``type: air``. The air loop rejects
    its heat as ``air_heat_rejection`` says: ``tower`` (water-cooled chiller, cooling-tower
    economizer through a plate heat exchanger; evaporates water) or ``dry`` (air-cooled
    chiller, dry-cooler economizer; no water). ``heat_rejection`` and ``trim_chiller`` are the
    liquid loop's.
    """

    type: Literal["air", "liquid"] = Field(
        "liquid", description="'air': CRAH air loop only; 'liquid': direct-to-chip liquid loop for "
                              "liquid_heat_frac of the IT heat plus an air loop for the rest. Not given: "
                              "follows the fleet, 'air' when every unit of it is air-cooled in "
                              "data/hardware.csv (column cooling: e.g. the hgx-* servers, mi300x-8, cpu-2s) and the "
                              "section gives none of liquid_class, trim_chiller, liquid_heat_frac, "
                              "heat_rejection (keys only a liquid loop reads), else 'liquid' (the default "
                              "shown)")
    ashrae_class: Literal["A1", "A2", "A3", "A4", "H1"] = Field(
        "A2", description="ASHRAE TC9.9 air class of the servers (allowable inlet range)")
    liquid_class: Literal["W17", "W27", "W32", "W40", "W45"] | None = Field(
        "W32", description="ASHRAE TC9.9 facility-water class of a liquid loop (W32: supply at most "
                           "32 degC); not used by type 'air'")
    economizer: bool = Field(
        True, description="water-side economizer (tower water through a plate heat exchanger, or a dry "
                          "cooler) on every loop with a chiller; false: the chiller "
                          "carries the loop (a liquid loop's trim chiller is then full size); a "
                          "liquid loop without a chiller always rejects through its tower or dry cooler")
    design_pue: float | None = Field(None, ge=1.0, le=3.0,
                                     description="the design-hour PUE the site was planned with (e.g. its "
                                                 "connection request); the site analysis compares it with "
                                                 "the plant's own (dcplan.thermal.design_hour_pue)")
    heat_rejection: Literal["tower", "dry"] | None = Field(
        None, description="liquid loop heat rejection; default by liquid class "
                          "(W17-W40 tower, W45 dry cooler); refused on type 'air', which has no "
                          "liquid loop (its loop's is air_heat_rejection)")
    air_heat_rejection: Literal["tower", "dry"] = Field(
        "tower", description="air (CRAH) loop heat rejection, every plant type: 'tower' = water-cooled "
                             "chiller + cooling tower, economizer through a plate heat exchanger "
                             "(evaporates water); 'dry' = air-cooled chiller (COP follows the dry bulb, "
                             "rated at AHRI 550/590's 35 degC; selected for the site's 0.4 % design dry bulb, ASHRAE's from "
                             "an EPW header, else the weather's 99.6th percentile, not below 35 degC) + "
                             "dry-cooler economizer, no water")
    trim_chiller: bool | None = Field(
        None, description="liquid loop has a trim chiller; default: W17/W27 yes (chiller plant), "
                          "W32-W45 no; sized to carry what the economizer cannot at the design condition "
                          "(at least half the loop; dcplan.thermal.plant_hourly's trim_chiller_frac overrides it)")
    liquid_heat_frac: float | None = Field(None, ge=0.5, le=1.0,
                                           description="share of IT heat to liquid [frac]")
    margin_frac: float | None = Field(None, ge=0.0, le=2.0,
                                      description="plant capacity above peak IT heat [frac]")
    inlet_setpoint_degc: float | None = Field(None, ge=10.0, le=40.0,
                                              description="server air inlet setpoint [degC]")
    lag_s: float = Field(90.0, ge=0.0, le=3600.0,
                         description="cooling actuation lag, delay + time constant [s]")
    control: Literal["reactive", "predictive"] = Field(
        "reactive", description="the plant's seconds-scale control; the cooling_lag notebook runs both and "
                                "marks the site's (the hourly plant model has no seconds-scale control)")

    @field_validator("inlet_setpoint_degc", mode="before")
    @classmethod
    def _not_fahrenheit(cls, v):
        """A setpoint above the field's upper bound that reads as degrees Fahrenheit (75, 80: a
        room's setpoint in the US) is refused with the Celsius figure meant; other values go on
        to the field's own bounds."""
        lo, hi = _setpoint_bounds()
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v > hi:
            c = (v - 32.0) / 1.8
            if lo <= c <= hi:
                raise ValueError(f"Input should be less than or equal to {hi:g} (degC), got {v!r}: a figure in "
                                 f"degF? ({v:g} - 32) / 1.8 = {c:.1f} degC")
        return v

    @model_validator(mode="after")
    def _liquid_needs_class(self):
        if self.type == "liquid" and self.liquid_class is None:
            # liquid_class: null without a type (as an air site writes it) keeps the default type, liquid
            hint = "" if "type" in self.model_fields_set else (
                " (no type is given, so the plant is the default, 'liquid'; for an air plant set type: air)")
            raise ValueError(f"liquid_class is required when type is 'liquid'{hint}; allowed: W17, W27, W32, "
                             "W40, W45 (ASHRAE TC9.9 facility-water classes)")
        return self

    @model_validator(mode="after")
    def _heat_rejection_is_the_liquid_loops(self):
        # it was accepted on an air plant and silently ignored: the air loop kept its tower
        if self.type == "air" and self.heat_rejection is not None:
            raise ValueError(f"heat_rejection {self.heat_rejection!r} is the liquid loop's heat rejection, and "
                             "type 'air' has no liquid loop; allowed: leave heat_rejection out and set "
                             f"air_heat_rejection: {self.heat_rejection} (the air loop's: tower or dry)")
        return self

    @model_validator(mode="after")
    def _setpoint_in_class(self):
        from ..thermal_plant_params import ASHRAE_AIR_CLASSES  # (imports this module: not at the top)
        # the class's allowable range within the field's own 10-40 degC
        f_lo, f_hi = _setpoint_bounds()

        def span(c):
            return max(ASHRAE_AIR_CLASSES[c][2], f_lo), min(ASHRAE_AIR_CLASSES[c][3], f_hi)
        lo, hi = span(self.ashrae_class)
        t = self.inlet_setpoint_degc
        if t is not None and not lo <= t <= hi:
            a_lo, a_hi = ASHRAE_AIR_CLASSES[self.ashrae_class][2:]
            within = "" if (lo, hi) == (a_lo, a_hi) else f" (within the field's {f_lo:g}-{f_hi:g}: {lo:g}-{hi:g})"
            raise ValueError(f"inlet_setpoint_degc {t:g} degC is outside ASHRAE class {self.ashrae_class}'s "
                             f"allowable inlet range {a_lo:g}-{a_hi:g} degC{within}; allowed: a setpoint in that "
                             f"range, or a class that allows it (within {f_lo:g}-{f_hi:g}: " + ", ".join(
                                 "{} {:g}-{:g}".format(c, *span(c)) for c in ASHRAE_AIR_CLASSES) + " degC)")
        return self


def _setpoint_bounds() -> tuple[float, float]:
    """The ``ge`` and ``le`` bounds of :attr:`CoolingSpec.inlet_setpoint_degc` [degC]."""
    f = CoolingSpec.model_fields["inlet_setpoint_degc"].metadata
    return (next(m.ge for m in f if getattr(m, "ge", None) is not None),
            next(m.le for m in f if getattr(m, "le", None) is not None))
