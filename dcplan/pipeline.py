"""The chain for one site-year: weather -> power -> thermal -> solar -> grid -> tariff.

No maths of its own: every number comes from the model modules. The hourly
chain runs on the site's typical weather year, converted to the site's civil
time zone (tariff periods are civil clock hours), with the fleet fully built out
(``deployed="all"``) so the year is a steady-state operating year.

The year is billed as a steady state that repeats, as every annual figure here: with a demand
ratchet, the months before the year are the year's own (a ratchet set by July's peak also
bills the next spring), not 0 kW; coincident-peak charges use the site's
``tariff.coincident_peaks`` (:func:`dcplan.tariff_site.site_bill_kwargs`). ``SiteYear.bill.notes``
says what the bill assumed (:attr:`dcplan.tariff_bill.Bill.notes`).

``run_site_year(site)`` returns every intermediate series in a :class:`SiteYear`;
``case_figures(site, **overrides)`` returns the flat row of key figures a sweep
or a portfolio table needs. The site's weather and tariff files are parsed once per process
(:func:`site_weather`, :func:`site_tariff`: :mod:`dcplan.pipeline_inputs`).
"""
from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from .errors import InputError
# the site's weather and tariff, parsed once per process (re-exported: import them from here)
from .pipeline_inputs import _weather_cached, clear_caches, load_counts, site_tariff, site_weather  # noqa: F401
from .site import Site
from .tariff_site import site_bill_kwargs

__all__ = ["SiteYear", "run_site_year", "electricity_by_pv_age", "bill_without_pv", "bill_without_battery",
           "case_figures", "case_site", "case_row", "figures", "site_weather",
           "site_tariff", "load_counts", "clear_caches",
           "REFERENCE_PLANTS", "with_reference_plant"]

#: Reference cooling plants for like-for-like site comparisons (``cooling:`` section values).
#:
#: ===================  ==============================================================================
#: key                  basis
#: ===================  ==============================================================================
#: ``air``              CRAH + water-cooled chiller + tower with water-side economizer, ASHRAE A2
#: ``liquid-w32-tower`` direct-to-chip liquid, W32 facility water, cooling tower (evaporative)
#: ``liquid-w45-dry``   direct-to-chip liquid, W45 facility water, dry cooler; the air loop (the heat
#:                      the cold plates leave to the room) on an air-cooled chiller with a dry cooler
#:                      (``air_heat_rejection: dry``), so the plant evaporates no water (waterless,
#:                      WUE 0); the class LBNL's 2024 US Data Center Energy Usage Report (Table 4.3)
#:                      assumes for AI liquid-cooled IT (docs/reference-data.md §3b)
#: ===================  ==============================================================================
REFERENCE_PLANTS: dict[str, dict] = {
    "air": {"type": "air", "liquid_class": None},
    "liquid-w32-tower": {"type": "liquid", "liquid_class": "W32", "heat_rejection": "tower"},
    "liquid-w45-dry": {"type": "liquid", "liquid_class": "W45", "heat_rejection": "dry", "air_heat_rejection": "dry"},
}


def with_reference_plant(site: Site, key: str) -> Site:
    """``site`` with its ``cooling:`` section replaced by a :data:`REFERENCE_PLANTS` entry.

    An air plant on a fleet holding liquid-cooled-only units is refused (it cannot cool them). A liquid
    plant on units data/hardware.csv lists as air-cooled is warned (DcplanWarning:
    :func:`dcplan.cooling_default.air_server_on_liquid_warnings` with ``reference=key``, the warning
    ``dcplan validate`` gives a site file doing the same): the comparison then runs them as liquid-cooled
    versions of themselves, a lower PUE, energy and carbon than the servers as listed draw, which is
    what a like-for-like comparison of climates on one liquid plant means, so it is not refused.
    """
    from ._ts import unknown_key_message
    from .errors import InputError
    if key not in REFERENCE_PLANTS:
        raise InputError(unknown_key_message(key, REFERENCE_PLANTS), field="cooling")
    # only what the site file set, as dcplan.sweep_overrides.apply_overrides: a full dump would mark
    # every default as given (e.g. a tracker's max_angle_deg on a fixed array, which warns when given)
    d = site.model_dump(exclude_unset=True)
    d["cooling"] = dict(REFERENCE_PLANTS[key])
    new = Site.model_validate(d)
    from .power import liquid_only_phases
    from .rack_density import air_rack_errors
    if new.cooling.type == "air" and (liquid_only_phases(new) or air_rack_errors(new)):
        liquid = ", ".join(k for k, v in REFERENCE_PLANTS.items() if v["type"] != "air")
        if liquid_only_phases(new):
            why = f"{site.fleet.phases[liquid_only_phases(new)[0]].hardware!r} is liquid-cooled only"
        else:  # an air-cooled compute rack at 60 kW or more (the site's units_per_rack)
            field, text = air_rack_errors(new)[0]
            why = f"{field}: {text.split(' on an air-cooled site')[0]}"
        raise InputError(f"site {site.id!r}: the reference plant {key!r} cannot cool its fleet ({why}); allowed for "
                         f"this site: {liquid}", field="cooling")
    import warnings

    from .cooling_default import air_server_on_liquid_warnings
    from .errors import DcplanWarning
    for text in air_server_on_liquid_warnings(new, reference=key):
        warnings.warn(text, DcplanWarning, stacklevel=2)
    return new


@dataclasses.dataclass(frozen=True)
class SiteYear:
    """Everything the chain computed for one site-year (hourly series, kW)."""

    site: Site
    weather: pd.DataFrame
    it_kw: pd.Series
    design_it_kw: float
    plant: pd.DataFrame          # dcplan.thermal.plant_hourly output
    cooling: dict                # dcplan.thermal.plant_summary output
    facility_kw: pd.Series
    pv_kw: pd.Series
    grid_kw: pd.Series
    contracted_kw: pd.Series | None
    capacity: Any | None         # dcplan.grid.CapacityCheck
    bill: Any | None             # dcplan.tariff.Bill
    n_accelerators: int
    battery: pd.DataFrame | None = None   # dcplan.grid.battery_dispatch frame (site battery, repeating year), else None


def _check_design_against_load(site, it_kw: pd.Series, design_it_kw: float) -> None:
    """Measured IT power above the fleet's nameplate (every unit and rack add-on at full power)
    is an InputError: the fleet counts fewer units than the data draw, or the data are not kW.
    A design IT (diversified: ``fleet.diversity_frac``) the peak IT overloads the loss chain at is an
    InputError on ``fleet.diversity_frac`` (:func:`dcplan.site_plausibility.check_design_covers_peak`);
    one below the year's mean IT is warned: it sizes the loss chain and the cooling plant, which
    then derate in most hours."""
    import warnings

    from .errors import DcplanWarning
    peak, mean = float(it_kw.max()), float(it_kw.mean())
    nameplate = design_it_kw / site.fleet.diversity_frac
    if site.fleet.workload == "data" and peak > nameplate * (1.0 + 1e-9):
        raise InputError(f"the measured IT power peaks at {peak:,.0f} kW, above the fleet's nameplate "
                         f"{nameplate:,.0f} kW (every phase's units and rack gear at full power): the fleet counts "
                         "fewer units than the data draw, or the data are not in kW; allowed: at most the "
                         "nameplate", file=site.source_file or None, field="fleet.data_file")
    # a design IT the peak overloads: the loss chain rated for it refuses the year (a clear
    # error on fleet.diversity_frac, with the smallest value that works, before that one)
    from .site_plausibility import check_design_covers_peak
    check_design_covers_peak(site, it_kw, design_it_kw)
    if mean > design_it_kw * (1.0 + 1e-9):
        warnings.warn(f"{site.id}: fleet.diversity_frac {site.fleet.diversity_frac:g} puts the design IT "
                      f"({design_it_kw:,.0f} kW), which sizes the loss chain and the cooling plant, below the "
                      f"year's mean IT ({mean:,.0f} kW): the plant derates in most hours; a diversity_frac "
                      "below 1 suits fleets whose units do not peak together (1 for synchronous training)",
                      DcplanWarning, stacklevel=3)


def run_site_year(site: Site, *, seed: int = 0, weather: pd.DataFrame | None = None) -> SiteYear:
    """Run the hourly chain for one site-year.

    Parameters
    ----------
    site : Site
        Validated site spec.
    seed : int
        Seed of the workload profile.
    weather : DataFrame, optional
        Hourly weather frame (default: the site's, via :func:`site_weather`). Checked as
        :func:`site_weather` checks the site's file, when its ``attrs`` name its station (a station
        the site is too far from is refused), and converted to ``site.timezone`` when in another zone
        (UTC, the file's standard time): tariff periods are the site's clock hours
        (:func:`dcplan.api_inputs.weather_for_site`). Refused, as dcplan labels each hour at its end (an
        InputError saying the shift or the average that puts the frame right): a frame labelled at the start of
        each hour (pvlib's ``read_epw``; raw NSRDB/PSM3 and PVGIS frames) or at half past (hh:30, an hourly
        NSRDB file's stamps), and one finer than hourly (its hourly mean keeps its energy); see
        :func:`dcplan.api_inputs.weather_for_site` and its tests in tests/test_api_inputs.py.
    """
    from . import grid, power, solar, thermal
    from .api_inputs import need_site, weather_for_site
    from .thermal_plant_checks import warn_small_chillers

    need_site(site)  # a name or a path is not a Site: say how to load one
    power.check_air_coolable(site)  # a liquid-only rack on an air-cooled site: no year to model
    w = site_weather(site) if weather is None else weather_for_site(site, weather)
    it_kw = power.site_it_kw(site, w.index, seed=seed, deployed="all")
    design_it_kw = float(power.fleet_design_it_kw(site))
    _check_design_against_load(site, it_kw, design_it_kw)
    # distribution losses: the site's electrical chain (electrical:, default dcplan.power.DEFAULT_CHAIN) rated
    # for the design IT (recomputed by the plant at the uplifted IT power in hours when server fans speed up);
    # a power cap holds the cooling's design IT, not the chain's rating (dcplan.power_design, warned)
    if (note := power.cap_sizing_note(site)) is not None:
        import warnings

        from .errors import DcplanWarning
        warnings.warn(f"{site.source_file or site.id}: {note}", DcplanWarning, stacklevel=2)
    plant = thermal.plant_hourly(it_kw, w, site.cooling, design_it_kw=design_it_kw, fleet=site,  # its PSU efficiency
                                 electrical_chain=site.electrical.stages(),
                                 electrical_rated_kw=power.electrical_design_it_kw(site))
    warn_small_chillers(plant, site.source_file or site.id)   # a water-cooled chiller under 150 tons, default COP
    cooling = thermal.plant_summary(plant, site.cooling)
    facility_kw = plant["facility_kw"].rename("facility_kw")
    pv_kw = solar.pv_for_site(site, w)
    grid_kw, battery = _grid_kw(site, facility_kw, pv_kw)

    contracted = cap = None
    if site.interconnection is not None:
        # the typical year is a full build-out year: every contracted phase is energized
        # (a spec without phases contracts requested_mw, as dcplan.grid reads it)
        total_kw = 1000.0 * grid.contracted_mw(site.interconnection)
        contracted = pd.Series(total_kw, index=w.index, name="contracted_kw")
        cap = grid.capacity_check(grid_kw, contracted)

    tariff = site_tariff(site)
    # billed with the tariff's own holiday calendar (Tariff.holidays, from its dcplan_holidays), the
    # site's coincident peaks, and a ratchet's months before the year taken as the year's own
    # (a steady-state year that repeats: dcplan.tariff_site.site_bill_kwargs; bill.notes says so)
    bill = None if tariff is None else tariff.bill(grid_kw.clip(lower=0.0), **site_bill_kwargs(site, tariff))
    n_acc = int(power.fleet_table(site)["accelerators"].sum())
    return SiteYear(site=site, weather=w, it_kw=it_kw, design_it_kw=design_it_kw, plant=plant,
                    cooling=cooling, facility_kw=facility_kw, pv_kw=pv_kw, grid_kw=grid_kw,
                    contracted_kw=contracted, capacity=cap, bill=bill, n_accelerators=n_acc, battery=battery)


def _grid_kw(site: Site, facility_kw: pd.Series, pv_kw: pd.Series) -> tuple[pd.Series, pd.DataFrame | None]:
    """Meter power after the on-site PV and the site's battery, and the battery's dispatch.

    Negative where PV is left over after the facility and the battery (spilled: the bill
    gives no export credit). The battery sits behind the meter and sees the *unclipped* net
    load (:func:`dcplan.grid.battery_dispatch`): in hours of PV surplus it charges from that
    surplus first, and from the grid only for the rest of its charge, which stays within
    the target, so PV it stores is not spilled and is not bought from the grid.
    """
    from . import grid, solar
    grid_kw = solar.net_load_kw(facility_kw, pv_kw).rename("grid_kw")
    battery = None
    if site.interconnection is not None and site.interconnection.battery is not None:
        # grid_kw, the capacity check and the bill are after the battery, so the TCO that pays
        # for the battery also gets its benefit (and its losses). The typical year stands for
        # every year, so the battery repeats it (battery_dispatch's default): it starts with the
        # SoC it ends with (no free energy from a full start), and demand targets are ones that
        # repeating year holds (battery.attrs: soc_initial_kwh, soc_end_kwh)
        ic = site.interconnection
        # target bill: the least tariff bill for the repeating year (dcplan.battery_bill: one LP, monthly
        # demand charges, ending with the charge it starts with); charging never draws above the contract
        try:
            battery = grid.battery_dispatch(ic, grid_kw, tariff=site_tariff(site) if ic.battery.target == "bill"
                                            else None)
        except InputError as e:   # name the site file (the tariff's or the battery's fault there)
            if e.file or not site.source_file:
                raise
            raise InputError(e.detail, file=site.source_file, field=e.field) from None
        grid_kw = battery["grid_kw"].rename("grid_kw")
    return grid_kw, battery


def bill_without_pv(y: SiteYear):
    """The site's tariff bill of the same year without its on-site PV (its battery, if any,
    still dispatching, on the load without PV): ``bill_without_pv(y).total_usd - y.bill.total_usd``
    is what the PV takes off the year's bill. None without a tariff; ``y.bill`` without PV.
    """
    if y.bill is None or not (y.pv_kw > 0).any():
        return y.bill
    grid_kw, _ = _grid_kw(y.site, y.facility_kw, y.pv_kw * 0.0)
    tariff = site_tariff(y.site)
    return tariff.bill(grid_kw.clip(lower=0.0), **site_bill_kwargs(y.site, tariff))


def bill_without_battery(y: SiteYear):
    """The site's tariff bill of the same year without its battery (its PV, if any, still there):
    ``bill_without_battery(y).total_usd - y.bill.total_usd`` is what the battery takes off the
    year's bill. None without a tariff; ``y.bill`` without a battery.
    """
    from . import solar
    if y.bill is None or y.battery is None:
        return y.bill
    grid_kw = solar.net_load_kw(y.facility_kw, y.pv_kw)
    tariff = site_tariff(y.site)
    return tariff.bill(grid_kw.clip(lower=0.0), **site_bill_kwargs(y.site, tariff))


def electricity_by_pv_age(y: SiteYear, years: int, tariff=None):
    """The tariff bills of a site-year with its PV aged 0 .. ``years - 1`` whole years.

    The TCO's electricity over a horizon (:func:`dcplan.tco.run_tco`): the typical year's
    facility load, with the PV output times ``1 - site.solar.degradation_frac_per_year * a``
    at age ``a`` (floored at 0), through the site's battery (dispatched again for each age)
    and billed on ``tariff`` (default: the site's). Row 0 is the year-1 bill, ``y.bill``
    when billed on the site's tariff.

    Parameters
    ----------
    y : SiteYear
        From :func:`run_site_year`.
    years : int
        PV ages to bill: at least the TCO horizon in years (``finance.horizon_years``).
    tariff : dcplan.tariff.Tariff, optional
        Rate to bill on; default :func:`site_tariff` of ``y.site``.

    Returns
    -------
    dcplan.tco.ElectricityByPvAge
        Bills per calendar month at each age, and the degradation rate used.
    """
    import numpy as np

    from .tco_inputs import ElectricityByPvAge, electricity_monthly_usd
    site = y.site
    if not isinstance(years, (int, np.integer)) or isinstance(years, bool) or not 1 <= years <= 50:
        # 50 years of PV ages (a PV life and more); the TCO bills at most its horizon's, 20
        raise InputError(f"must be a whole number of years in 1..50, got {years!r}", field="years")
    tariff = site_tariff(site) if tariff is None else tariff
    if tariff is None:
        raise InputError("the site has no tariff to bill (tariff: section, or pass tariff=)",
                         file=getattr(site, "source_file", None) or None, field="tariff")
    if not callable(getattr(tariff, "bill", None)):
        raise InputError(f"need a dcplan.tariff.Tariff, got {type(tariff).__name__}", field="tariff")
    d = float(site.solar.degradation_frac_per_year)
    from .specs.solar import PV_DEGRADATION_MAX_FRAC_PER_YEAR as dmax
    if not 0.0 <= d <= dmax:  # a spec changed without validation (model_copy)
        raise InputError(f"must be a fraction per year in [0, {dmax:g}] (0.005 for 0.5 %/yr), got {d!r}",
                         file=site.source_file or None, field="solar.degradation_frac_per_year")
    if "degradation_frac_per_year" in site.solar.model_fields_set:
        where = (site.source_file or "the site spec") + ": solar.degradation_frac_per_year"
        prov = (f"site spec {where}", "", "input")
    else:
        prov = ("default dcplan.specs.solar.PV_DEGRADATION_FRAC_PER_YEAR: median of ~2,000 field rates, "
                "Jordan & Kurtz, Prog. Photovolt. 21 (2013) 12-29", "2013", "primary")
    scale = np.clip(1.0 - d * np.arange(years), 0.0, None)
    if d == 0.0 or not (y.pv_kw > 0).any():
        scale = scale[:1]                                            # every age bills the same
    # the meter at each age: the same net load and battery as run_site_year, with less PV
    loads = {a: _grid_kw(site, y.facility_kw, y.pv_kw * f)[0].clip(lower=0.0) for a, f in enumerate(scale)}
    bill = tariff.bill(pd.DataFrame(loads), **site_bill_kwargs(site, tariff))
    rows = np.stack([electricity_monthly_usd(_one_load(bill, a)) for a in loads])
    if len(rows) < years:
        rows = np.repeat(rows, years, axis=0)
    return ElectricityByPvAge(rows, d, *prov, tariff=tariff)  # the bills' tariff: its price status


def _one_load(bill, key):
    """The monthly bill of one load of a several-load Bill, in the form
    :func:`dcplan.tco.electricity_monthly_usd` reads."""
    import types
    m = bill.monthly.xs(key, level="scenario")
    return types.SimpleNamespace(monthly=m, total_usd=float(m["total_usd"].sum()))


def case_figures(site: Site, seed: int = 0, **overrides) -> dict[str, Any]:
    """Key figures of one site-year as a flat dict (one sweep row).

    ``overrides`` are dotted spec paths applied with :func:`dcplan.sweep_overrides.apply_overrides`
    (e.g. ``{"cooling.type": "air", "solar.dc_kw": 2000}``). A ``solar.tracking`` override that switches the
    mount of a site file giving its PV orientation warns (DcplanWarning,
    :func:`dcplan.sweep_overrides.orientation_reset_note`): the case takes the new mount's default tilt and
    azimuth, not the file's, as a sweep warns it.

    The row is :func:`figures`, with the rack layout's ``racks_total`` [racks] and ``rack_kw_max`` [kW/rack] after
    ``design_it_kw`` (:func:`dcplan.rack_density.rack_row_figures`: the compute racks and the densest one at full
    load; the figures a ``units_per_rack`` axis moves, as the plant model takes no rack density), an
    interconnection ``grid_median_months``, ``equipment_median_months`` and ``critical_path`` (which of the two
    sets first power: :mod:`dcplan.sweep_first_power`), ``grid_waited_months`` (the months waited by the plan's
    date its time to power is given) and, with a tariff, ``electricity_cost_usd_per_mwh_facility``
    [USD/MWh]: ``electricity_cost_usd / facility_mwh``, the cost of the site's electricity with
    its PV and battery paid for, per MWh the facility uses. Compare sites, PV and battery sizes
    on it, not on ``usd_per_mwh_facility``: that is the **bill only** per facility MWh, which
    counts the PV's energy and the battery's peak shaving as free (their costs,
    ``pv_annual_cost_usd`` and ``battery_annual_cost_usd``, are left out), so it falls as PV or
    battery is added even when the electricity costs more (:mod:`dcplan.solar_value`,
    :mod:`dcplan.battery_value`).
    """
    site = case_site(site, overrides)
    return case_row(site, run_site_year(site, seed=seed))


def case_site(site: Site, overrides: dict[str, Any]) -> Site:
    """``site`` with a case's ``overrides`` (dotted spec paths) applied, as :func:`case_figures` applies them:
    :func:`dcplan.sweep_overrides.apply_overrides`, and a ``solar.tracking`` override that switches the mount of a
    site file giving its PV orientation warned (DcplanWarning, :func:`dcplan.sweep_overrides.orientation_reset_note`).
    ``site`` itself when there are none. For case functions built on :func:`case_figures`' row
    (:func:`dcplan.sweep_tco.case_tco`)."""
    if not overrides:
        return site
    from .sweep_overrides import apply_overrides, orientation_reset_note
    new = apply_overrides(site, overrides)
    # a solar.tracking override drops the file's tilt and azimuth (another mount's): warned, as a sweep
    # warns it (dcplan.sweep_overrides.tracking_switch_warnings), not silently
    note = orientation_reset_note(site, overrides) if new.solar.dc_kw > 0 else ""
    if note:
        import warnings

        from .errors import DcplanWarning
        # (stacklevel 3: the caller of the case function)
        warnings.warn(f"{site.source_file or site.id}: {note}", DcplanWarning, stacklevel=3)
    return new


def case_row(site: Site, y: SiteYear) -> dict[str, Any]:
    """:func:`case_figures`' row of ``site``'s computed year ``y`` (:func:`run_site_year` of ``site``, overrides
    applied): :func:`figures` with the rack layout's and the critical path's figures and, with a tariff,
    ``electricity_cost_usd_per_mwh_facility``, each in its place (a sweep CSV's column order). For a case function
    that adds to that row without running the year again (:func:`dcplan.sweep_tco.case_tco`)."""
    from .sweep_first_power import with_critical_path  # grid and equipment medians, which one sets first power
    from .rack_density import rack_row_figures
    out = with_critical_path(figures(y), site)
    # the rack layout's figures (a rack-density axis moves these, not the plant's), after the design IT
    racks = rack_row_figures(site)
    mwh = out["facility_mwh"]
    per = None if "electricity_cost_usd" not in out else out["electricity_cost_usd"] / mwh if mwh else None
    row: dict[str, Any] = {}  # each placed right after the figure it follows (a sweep CSV's column order)
    for k, v in out.items():
        row[k] = v
        if k == "design_it_kw":
            row.update(racks)
        elif k == "electricity_cost_usd":  # with a tariff only: no bill, no cost
            row["electricity_cost_usd_per_mwh_facility"] = per
    return row


def figures(y: SiteYear) -> dict[str, Any]:
    """The flat row of key figures of a computed :class:`SiteYear` (see :func:`case_figures`).

    Energies [MWh]: ``grid_mwh`` is the import (``grid_kw`` clipped at 0); ``pv_spilled_mwh``
    the PV neither used by the facility nor stored in the site battery (the meter's unbilled
    export); with a battery, ``battery_losses_mwh`` its charge/discharge losses. They balance:
    ``grid_mwh = facility_mwh - pv_mwh + pv_spilled_mwh + battery_losses_mwh`` (the repeating
    year's battery ends with the charge it starts with, up to float rounding).

    Costs [USD/yr]: ``bill_usd`` is the tariff bill of the grid draw (after the PV and the
    battery), at the prices of ``bill_price_date`` (``YYYY-MM-DD``, the tariff's ``startdate``:
    :func:`dcplan.tco_electricity.tariff_price_date`; None for a tariff without one), not escalated, and for a
    superseded rate only, ``bill_enddate`` (``YYYY-MM-DD``, its URDB ``enddate``)
    (``electricity_escalation_frac`` [frac/yr] is the rate the TCO escalates it by: the site's
    ``finance.costs`` or ``finance`` figure, :func:`dcplan.solar_value.finance_lookup`);
    ``pv_annual_cost_usd`` the PV's life cost (capex and O&M) in year-1 terms
    (:func:`dcplan.solar_value.pv_annual_cost`, 0 without PV); ``battery_annual_cost_usd`` the
    site battery's, likewise (:func:`dcplan.battery_value.battery_annual_cost`, 0 without a
    battery); ``electricity_cost_usd`` the sum of the three, the cost of the site's electricity
    with its PV and battery paid for (with a tariff only). ``usd_per_mwh_facility`` [USD/MWh] is
    ``bill_usd / facility_mwh``: the **bill only**, without the PV's and battery's cost, so it
    falls as either is added even when ``electricity_cost_usd`` rises; :func:`case_figures` (a
    sweep's row) adds ``electricity_cost_usd_per_mwh_facility``, the cost with the PV and battery
    paid for per facility MWh.

    Time to power [months from filing], with an ``interconnection:`` section: ``time_to_power_p10_months``,
    ``time_to_power_median_months`` and ``time_to_power_p90_months`` (:func:`dcplan.grid.time_to_power`), NaN
    when every phase with capacity is in service (:func:`dcplan.grid.no_pending_note`: no wait applies). They and
    ``first_energized_median`` are given the months already waited without power by the plan's date
    (:func:`dcplan.plan_dates.with_wait`, :mod:`dcplan.grid_given_wait`: ``P(T <= t | T > w)``), as the
    interconnection and tco notebooks publish them; the whole wait from filing is the site's own spec's.
    """
    from . import battery_value, grid, power, solar_value
    site = y.site
    it_kwh = float(power.energy_from_power(y.it_kw).sum())
    fac_kwh = float(power.energy_from_power(y.facility_kw).sum())
    pv_kwh = float(power.energy_from_power(y.pv_kw).sum())
    grid_kwh = float(power.energy_from_power(y.grid_kw.clip(lower=0.0)).sum())
    # PV neither used by the facility nor stored in the battery: the meter's export (grid_kw < 0),
    # which the bill does not credit. Energy identity (hour by hour summed; _grid_kw):
    # grid = facility - PV + spilled + battery losses + battery SoC change (0 in the repeating year)
    spill_kwh = float(power.energy_from_power((-y.grid_kw).clip(lower=0.0)).sum())
    out: dict[str, Any] = {
        "site": site.id,
        "n_accelerators": y.n_accelerators,
        "design_it_kw": y.design_it_kw,
        "it_mwh": it_kwh / 1000,
        "facility_mwh": fac_kwh / 1000,
        "pv_mwh": pv_kwh / 1000,
        "pv_spilled_mwh": spill_kwh / 1000,
        "grid_mwh": grid_kwh / 1000,
        "peak_facility_kw": float(y.facility_kw.max()),
        "peak_grid_kw": float(y.grid_kw.max()),
        "annual_pue": float(y.cooling["annual_pue"]),
        "free_cooling_h": float(y.cooling["free_cooling_h"]),
        "derate_h": float(y.cooling["derate_h"]),
        "throttled_frac": float(y.cooling["throttled_frac"]),
        "wue_l_per_kwh": float(y.cooling["wue_l_per_kwh"]),
    }
    if y.battery is not None:
        out["battery_losses_mwh"] = float(y.battery["loss_kwh"].sum()) / 1000
    # the PV's cost a year (its life cost in the year-1 terms of its saving, dcplan.solar_value): the bill
    # counts the PV's energy as a saving, so a cost beside it must count the PV too
    out["pv_annual_cost_usd"] = float(solar_value.pv_annual_cost(site)["annual_cost_usd"])
    # the battery's likewise (dcplan.battery_value): the bill counts its peak shaving as a saving
    out["battery_annual_cost_usd"] = float(battery_value.battery_annual_cost(site)["annual_cost_usd"])
    if y.bill is not None:
        from .tco_electricity import tariff_price_date
        escalation = solar_value.finance_lookup(site, {})[1]  # finance.costs over finance, as the TCO reads it
        out.update({"bill_usd": float(y.bill.total_usd),
                    # the date the bill's prices are at (the tariff's startdate; None without one): bills of
                    # tariffs of different dates are of different years' prices, not escalated to one
                    "bill_price_date": tariff_price_date(site_tariff(site))[0],
                    # the rate the TCO escalates it by: portfolio comparisons restate bills at one date with it
                    "electricity_escalation_frac": escalation("electricity_escalation_frac"),
                    "energy_usd": float(y.bill.energy_usd),
                    "demand_usd": float(y.bill.demand_usd), "fixed_usd": float(y.bill.fixed_usd),
                    # a minimum charge's top-up: with it the four lines add up to bill_usd
                    "minimum_usd": float(y.bill.minimum_usd),
                    "usd_per_mwh_facility": float(y.bill.total_usd) / (fac_kwh / 1000) if fac_kwh else None,
                    "electricity_cost_usd": (float(y.bill.total_usd) + out["pv_annual_cost_usd"]
                                             + out["battery_annual_cost_usd"])})
        # a superseded rate (its URDB enddate; only then, so a frame of tariffs without one has no such column):
        # the portfolio notebooks say it beside the bills (dcplan.portfolio_robustness.superseded_warning)
        from .tariff_applicability import enddate_day
        if (ended := enddate_day(getattr(site_tariff(site), "metadata", None))) is not None:
            out["bill_enddate"] = ended[1]
    if site.interconnection is not None:
        # given the months already waited without power (filed to the plan's date, dcplan.plan_dates.with_wait), as
        # the interconnection and tco notebooks count it: only the part of the wait not yet elapsed is uncertain
        from .plan_dates import with_wait
        ic = with_wait(site).interconnection
        # its region's figures, or its own; NaN when every phase is in service: the wait from filing dates capacity
        # not yet energized, and none is (grid.no_pending_note), so no number, as the notebooks publish none
        ttp = (None if grid.no_pending_note(ic) is not None else grid.time_to_power(ic)["time_to_power_months"])
        out.update({f"time_to_power_{k}_months": float("nan") if ttp is None else float(ttp.loc[q])
                    for k, q in (("p10", 0.1), ("median", 0.5), ("p90", 0.9))})
        # when power arrives (months from filing differ in meaning between sites that filed on
        # different dates): the median date the site's new capacity is first energized, as YYYY-MM-DD
        # (grid.first_power's new_power: on an existing campus the first phase not already in service,
        # as the verdict and the portfolio comparison rank it; the in-service date apart)
        fp = grid.first_power(grid.energization_dates(ic))
        out["first_energized_median"] = fp["new_power"].strftime("%Y-%m-%d")
        if fp["in_service_since"] is not None:
            out["in_service_since"] = fp["in_service_since"].strftime("%Y-%m-%d")
    if y.capacity is not None:
        out.update({"hours_over_contract_h": float(y.capacity.hours_over_h),
                    "peak_excess_kw": float(y.capacity.peak_excess_kw)})
    if site.grid_carbon_kg_per_mwh is not None:
        out["grid_carbon_t"] = site.grid_carbon_kg_per_mwh * grid_kwh / 1000 / 1000
    return out
