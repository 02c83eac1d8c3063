"""Plausibility checks of the cooling plant's resolved parameters (overrides and site figures).

Part of the hourly cooling-plant model (:mod:`dcplan.thermal_plant_params` calls
:func:`check_values` on every resolved :class:`~dcplan.thermal_plant_params.PlantParams`;
:func:`dcplan.thermal.plant_hourly` issues :func:`dew_point_warnings`).

* **plausibility bands** (:func:`band_refusal`): a keyword override of a key of
  ``data/cooling_defaults.csv`` must lie in the same plausibility band as the CSV's own row
  (:data:`dcplan.catalog_bands.BANDS` ``["cooling_defaults.csv"]``, the check
  :func:`dcplan.catalog_checks.check_cooling` applies to the file): ``chiller_cop_rated_water=50``
  was capped to ``chiller_cop_max`` (12) without a word, ``tower_approach_k=0.01`` gave 6,431
  free-cooling hours at Phoenix. One exception: 0 on a fan or pump power (``*_kw_per_kw``) is the
  component left out, a what-if the model's own tests use, not a unit slip;
* **COP cap** (:func:`cop_cap_refusal`): ``chiller_cop_max`` below a chiller's rated COP would cap
  the chiller below its own rating point (``chiller_cop_max=0.5`` gave Phoenix a PUE of 1.72);
* **dew point** (:func:`dew_point_warnings`): water colder than the room's dew point condenses on
  what it cools. The room's dew point is held at most at the ASHRAE TC 9.9 recommended envelope's
  upper dew point, 15 degC (Thermal Guidelines for Data Processing Environments, 5th ed., 2021,
  reference card Table 2.1; docs/reference-data.md 3a): a liquid loop's supply below it can wet the cold
  plates and the servers' manifolds; chilled water below it condenses on the CRAH coils, a latent
  (dehumidifying) load the plant model does not count (it counts sensible heat only). A supply *at*
  the limit does not warn: the default W17 supply (17 - 2 = 15 degC) is there, and a room held
  inside the recommended envelope has its dew point at or below 15 degC;
* **small water-cooled chiller** (:func:`small_chiller_warnings`): the default ``chiller_cop_rated_water``
  (6.28 = 3.517 / 0.560 kW/ton) is ASHRAE 90.1-2016 Table 6.8.1-3 path A's centrifugal minimum from 150 tons
  (>= 400 tons in the standard's own classes; 150-399.99 tons one row at the same 0.560 in NREL
  openstudio-standards' transcription, ``ashrae_90_1_2016.chillers.json``, and 90.1-2019's); below 150 tons
  the table asks 0.610 kW/ton (COP 3.517 / 0.610 = 5.77), so a small plant run on the default gets a chiller
  better than code minimum. The default is kept (the class is not picked by size: the chiller count and split
  are not modelled); a site's run warns, naming the tons, the class and the override (the plant records its
  chillers' design loads; :func:`dcplan.pipeline.run_site_year` warns, not every what-if plant run).
"""
from __future__ import annotations

from typing import Any, Mapping

from .errors import InputError

__all__ = ["DEW_POINT_LIMIT_DEGC", "KW_PER_TON", "SMALL_CHILLER_TONS", "SMALL_CHILLER_KW_PER_TON", "band_refusal",
           "cop_cap_refusal", "check_values", "dew_point_warnings", "small_chiller_warnings",
           "warn_small_chillers"]

#: Upper dew point of the ASHRAE TC 9.9 recommended envelope (A1-A4), Thermal Guidelines for Data
#: Processing Environments, 5th ed. (2021), reference card Table 2.1 (docs/reference-data.md 3a). [degC]
DEW_POINT_LIMIT_DEGC = 15.0

#: One ton of refrigeration, 12,000 Btu/h, in kW of heat (the factor of data/cooling_defaults.csv's
#: kW/ton conversions). [kW/ton]
KW_PER_TON = 3.517

#: Size below which ASHRAE 90.1-2016 / -2019 Table 6.8.1-3 path A asks less of a water-cooled centrifugal
#: chiller than the default ``chiller_cop_rated_water``'s 0.560 kW/ton, and what it asks there (full load), as
#: NREL openstudio-standards transcribes the tables (``ashrae_90_1_2016.chillers.json``, ``..._2019``: < 150
#: tons 0.610; 150-399.99, 400-599.99 and >= 600 tons 0.560). [ton], [kW/ton]
SMALL_CHILLER_TONS = 150.0
SMALL_CHILLER_KW_PER_TON = 0.610


def band_refusal(key: str, value: float) -> str | None:
    """The refusal text for an override ``key=value`` outside the plausibility band of its
    ``data/cooling_defaults.csv`` row (:func:`dcplan.catalog_bands.band_problem`, the band the CSV's own
    value must meet), None inside it, for a key without a band, or for 0 on a fan or pump power
    (``*_kw_per_kw``: the component left out)."""
    from .catalog_bands import band_problem, cooling_unit
    if key.endswith("_kw_per_kw") and value == 0.0:
        return None
    got = band_problem("cooling_defaults.csv", key, [("value", float(value))], cooling_unit(key))
    if got is None:
        return None
    return (f"override {key}={value:g} is refused as data/cooling_defaults.csv would refuse it: {got[1]}")


def cop_cap_refusal(values: Mapping[str, Any]) -> tuple[str, str] | None:
    """``(field, text)`` when ``chiller_cop_max`` (the cap on every chiller's COP at low lift) is below a
    rated COP (``chiller_cop_rated_water``, ``chiller_cop_rated_air``): the chiller would be capped below
    its own AHRI 550/590 rating point; else None."""
    cap = values["chiller_cop_max"]
    rated = {k: values[k] for k in ("chiller_cop_rated_water", "chiller_cop_rated_air")}
    over = {k: v for k, v in rated.items() if v > cap}
    if not over:
        return None
    names = ", ".join(f"{k} {v:g}" for k, v in over.items())
    return ("chiller_cop_max", f"chiller_cop_max={cap:g} is below the rated COP ({names}): the cap on the COP at "
                               "low lift would hold the chiller below its own AHRI 550/590 rating; allowed: "
                               f"chiller_cop_max >= {max(rated.values()):g} (the highest rated COP)")


def check_values(values: Mapping[str, Any], overridden: Mapping[str, Any] = ()) -> None:
    """Raise :class:`~dcplan.errors.InputError` naming the field for an override in ``overridden``
    (the keys given as overrides) outside its plausibility band (:func:`band_refusal`) or a COP cap below
    a rated COP (:func:`cop_cap_refusal`, every resolved value ``values``)."""
    for k in overridden:
        v = values.get(k)
        if v is None:
            continue
        text = band_refusal(k, float(v))
        if text:
            raise InputError(text, field=k)
    got = cop_cap_refusal(values)
    if got:
        raise InputError(got[1], field=got[0])


def dew_point_warnings(p: Any, where: str = "") -> list[str]:
    """One text per loop of the resolved plant ``p`` (:class:`~dcplan.thermal_plant_params.PlantParams`)
    whose supply water is below :data:`DEW_POINT_LIMIT_DEGC`, naming the field that sets it, its value,
    the limit and what condenses (module docstring); ``[]`` when none is. ``where``: the site file (a
    prefix ``"<file>: "``)."""
    from .thermal_plant_params import chilled_water_degc
    v = p.values
    lim = DEW_POINT_LIMIT_DEGC
    src = (f"the ASHRAE TC 9.9 recommended envelope's upper dew point, {lim:g} degC (Thermal Guidelines 5th ed., "
           "2021)")
    pre = f"{where}: " if where else ""
    out = []
    if p.type == "liquid" and p.liquid_supply_degc < lim:
        out.append(f"{pre}liquid_supply_margin_k: the {p.liquid_class} liquid loop's supply is "
                   f"{p.liquid_supply_degc:g} degC ({p.liquid_max_degc:g} degC class maximum - liquid_supply_margin_k "
                   f"{v['liquid_supply_margin_k']:g} K), below the room's dew point limit, {src}: water colder than "
                   "the room's dew point condenses on the cold plates and manifolds; allowed: a supply at or above "
                   f"{lim:g} degC (liquid_supply_margin_k <= {p.liquid_max_degc - lim:g} K), or a room held drier "
                   "than the envelope (its dew point below the supply)")
    chw = chilled_water_degc(p)
    if chw < lim:
        out.append(f"{pre}cooling.inlet_setpoint_degc: the air loop's chilled water is {chw:g} degC (inlet_setpoint_degc "
                   f"{v['inlet_setpoint_degc']:g} - crah_approach_k {v['crah_approach_k']:g} K), below the room's dew "
                   f"point limit, {src}: the CRAH coils condense and dehumidify the room, a latent load the plant "
                   "model does not count (sensible heat only), so its chiller energy reads low; allowed: chilled water "
                   f"at or above {lim:g} degC (inlet_setpoint_degc >= {lim + v['crah_approach_k']:g} degC)")
    return out


def small_chiller_warnings(plant: Mapping[str, Any], defaults: Mapping[str, Any], where: str = "") -> list[str]:
    """One text per water-cooled chiller of a plant run (``plant``: :func:`dcplan.thermal.plant_hourly`'s
    ``attrs["plant"]``, its ``water_chiller_design_kw``, loop -> the heat the chiller is sized for incl. the
    plant margin [kW], and its ``chiller_cop_rated_water``) below :data:`SMALL_CHILLER_TONS` while the run used
    the default ``chiller_cop_rated_water`` (``defaults``: data/cooling_defaults.csv's values); ``[]`` when none
    is or the rated COP was given (module docstring, "small water-cooled chiller"). ``where``: the site file
    (a prefix ``"<file>: "``). The site chain (:func:`dcplan.pipeline.run_site_year`) issues them.

    ``tons = kW / 3.517``; the size class's minimum ``COP = 3.517 / 0.610 = 5.77``, whose chiller draws
    ``6.28 / 5.77 - 1 = 8.9 %`` more at the rating point. A site file has no field for the rated COP (the override
    is :func:`dcplan.thermal.plant_hourly`'s keyword): the text says so, not only "give the override".
    """
    cop, cop_d = plant.get("chiller_cop_rated_water"), defaults.get("chiller_cop_rated_water")
    if cop is None or cop_d is None or abs(float(cop) - float(cop_d)) > 1e-12 * float(cop_d):
        return []
    cop_small = KW_PER_TON / SMALL_CHILLER_KW_PER_TON
    pre = f"{where}: " if where else ""
    out = []
    for loop, kw in (plant.get("water_chiller_design_kw") or {}).items():
        tons = float(kw) / KW_PER_TON
        if not 0.0 < tons < SMALL_CHILLER_TONS:
            continue
        out.append(f"{pre}chiller_cop_rated_water: the {loop} loop's water-cooled chiller is sized for {tons:,.0f} "
                   f"tons ({float(kw):,.0f} kW of heat incl. margin_frac), below {SMALL_CHILLER_TONS:g} tons, but runs "
                   f"on the default rated COP {float(cop):g} ({KW_PER_TON / float(cop):.3f} kW/ton, ASHRAE 90.1-2016 "
                   f"Table 6.8.1-3 path A centrifugal from {SMALL_CHILLER_TONS:g} tons): a centrifugal chiller under "
                   f"{SMALL_CHILLER_TONS:g} tons need only meet {SMALL_CHILLER_KW_PER_TON:.3f} kW/ton (COP "
                   f"{cop_small:.2f}), so the chiller energy reads low (such a chiller draws {float(cop):g} / "
                   f"{cop_small:.2f} - 1 = {100.0 * (float(cop) / cop_small - 1.0):.1f} % more at the rating point); "
                   "a site file cannot set the rated COP (this run's figures are at the default): "
                   f"dcplan.thermal.plant_hourly's keyword chiller_cop_rated_water={cop_small:.2f} runs the plant "
                   "with a code-minimum chiller of that size, or with the selected chiller's own rating")
    return out


def warn_small_chillers(plant_frame: Any, where: str = "") -> None:
    """Issue :func:`small_chiller_warnings` of a plant run (:func:`dcplan.thermal.plant_hourly`'s frame) as
    :class:`~dcplan.errors.DcplanWarning`; the site chain's call (:func:`dcplan.pipeline.run_site_year`)."""
    import warnings

    from .errors import DcplanWarning
    from .thermal_plant_params import cooling_defaults
    for text in small_chiller_warnings(plant_frame.attrs.get("plant", {}), cooling_defaults(), where):
        warnings.warn(text, DcplanWarning, stacklevel=3)
