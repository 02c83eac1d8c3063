"""A site's deterministic TCO, as the tco notebook runs it: :func:`site_tco`.

The notebook's glue, moved here (STYLE: notebooks are thin; a planner using dcplan as a library gets the
published NPV, not one built on generic defaults): the site's typical year
(:func:`dcplan.pipeline.run_site_year`) and its tariff bill; the TCO's inputs from the site's own models
(:func:`dcplan.tco_inputs.inputs_from_site` with the plant's water use, the typical year's IT energy and water
by calendar month, the fleet's dated phases, the grid capacity the interconnection's phases give at the
fleet's facility power at design IT in the worst hour, :func:`dcplan.tco.grid_capacity`, the scenario's grid
delay, :func:`dcplan.tco_delay.scenario_delay_months`, and the sources of each input,
:func:`dcplan.tco_tornado_table.notebook_sources`); the bill of each year of the horizon with the on-site PV at
its age (:func:`dcplan.pipeline.electricity_by_pv_age`) and the parts a partly built fleet pays in full or
scaled (:mod:`dcplan.tco_bill_parts`); :func:`dcplan.tco.run_tco`; and the same case at the site's median grid
delay (:func:`dcplan.tco_delay.median_delay_case`).

>>> from dcplan.site import load_site                                       # doctest: +SKIP
>>> case = site_tco(load_site("phoenix-az"))                               # doctest: +SKIP
>>> round(case.npv), round(case.summary["usd_per_gpu_hour"], 3)            # doctest: +SKIP
(45809471, 4.078)
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError

__all__ = ["SiteTco", "site_tco", "site_year_bill", "leap_year_note"]


@dataclass(frozen=True)
class SiteTco:
    """:func:`site_tco`'s result: the deterministic case and what it rests on.

    Attributes
    ----------
    site : dcplan.site.Site
    scenario : str
        The :data:`dcplan.tco.SCENARIOS` key run.
    year : dcplan.pipeline.SiteYear
        The site's typical year at full build-out (:func:`dcplan.pipeline.run_site_year`).
    tariff : dcplan.tariff.Tariff or None
        The tariff given (``tariff_file``); None: the site's ``tariff:`` section.
    bill : Bill
        The typical year's bill of the full build-out at the tariff's own prices (:func:`site_year_bill`).
    billed_on : dcplan.tariff.Tariff
        The tariff every bill is billed on (``tariff``, else the site's).
    bill_kwargs : dict
        The keyword arguments it bills with (:func:`dcplan.tariff_site.site_bill_kwargs`).
    per_year : float
        8,760 over the weather year's hours: a leap year's energies are scaled to a 365-day year by it. [-]
    it_energy_kwh, facility_energy_kwh : float
        IT and facility energy of the typical year, scaled to 8,760 h. [kWh]
    delay_months : float
        The scenario's grid delay (dcplan.grid's, at its quantile; 0: the planned dates). [months]
    delay_used : float
        The same in whole months as the model runs it (:func:`dcplan.tco_grid_dates.delay_whole_months`). [months]
    live_fleet_frac : float
        Share of the fleet the capacity in service by its first start powers. [frac]
    grid_phases : tuple or None
        The interconnection's phases as shares of the fleet (:func:`dcplan.tco.grid_capacity`); None: no check.
    design_facility_kw : float or None
        The fleet's facility power at design IT in the typical year's worst hour; None without an
        ``interconnection:`` section. [kW]
    inputs : dcplan.tco.TcoInputs
    electricity : dcplan.tco.ElectricityByPvAge
        The bills by PV age, with the parts a partly built fleet pays (``parts``).
    pv_age_bills_usd : ndarray
        The typical year's bill at each PV age the horizon bills, at the tariff's prices. [USD]
    result : dcplan.tco.TcoResult
    median : dcplan.tco_delay.MedianDelayCase or None
        The case at the site's median grid delay, when that is not the scenario's.
    median_result : dcplan.tco.TcoResult or None
        Its result (None: no such case, or operations would start after the horizon).
    leap_note, electricity_price_note : str
        The leap weather year's caveat (``""`` for a 365-day year); the date the bill's prices are at.
    tariff_caveat : str
        What the tariff file says of its own validity for this bill (:func:`tariff_caveat`): the load's peak
        outside the rate's demand range, a rate case pending; ``""`` when it says nothing.
    notes : tuple of str
        What the notebook prints of the case, in its order (with the bill's demand-window caveat,
        :data:`dcplan.tariff_window_note.WINDOW_NOTE_START`, where ``bill.notes`` has one: the electricity
        opex is that bill).
    """

    site: Any
    scenario: str
    year: Any
    tariff: Any
    bill: Any
    billed_on: Any
    bill_kwargs: dict
    per_year: float
    it_energy_kwh: float
    facility_energy_kwh: float
    delay_months: float
    delay_used: float
    live_fleet_frac: float
    grid_phases: tuple | None
    design_facility_kw: float | None
    inputs: Any
    electricity: Any
    pv_age_bills_usd: np.ndarray
    result: Any
    median: Any
    median_result: Any
    leap_note: str
    electricity_price_note: str
    notes: tuple[str, ...]
    tariff_caveat: str = ""

    @property
    def summary(self) -> dict:
        """The result's summary (:func:`dcplan.tco.run_tco`)."""
        return self.result.summary

    @property
    def npv(self) -> float:
        """NPV after tax of the case (``summary["npv_usd"]``). [USD]"""
        return self.result.summary["npv_usd"]


def _tariff(tariff_file):
    """The Tariff of ``site_tco``'s ``tariff_file``: None for the site's own (None, ``""``, ``"site"``)."""
    if tariff_file is None or (isinstance(tariff_file, str) and tariff_file.strip() in ("", "site")):
        return None
    if hasattr(tariff_file, "bill"):  # a Tariff already
        return tariff_file
    if not isinstance(tariff_file, (str, Path)):
        raise InputError(f"a dcplan.tariff.Tariff, a URDB JSON path, \"site\" or None, got "
                         f"{type(tariff_file).__name__} {tariff_file!r}", field="tariff_file")
    from .notebook_params import parameter_file
    from .tariff import Tariff
    return Tariff.from_urdb(parameter_file(str(tariff_file), "tariff_file"))


def site_year_bill(y, tariff=None):
    """The typical year's bill of a site year ``y`` (:func:`dcplan.pipeline.run_site_year`) on ``tariff``
    (a :class:`dcplan.tariff.Tariff`), billed as the site pipeline bills (its coincident peaks, a ratchet's
    year as a steady state: :func:`dcplan.tariff_site.site_bill_kwargs`); None: the site's own bill
    (``y.bill``). A site without a ``tariff:`` section and no ``tariff`` is refused."""
    if tariff is not None:
        from .tariff_site import site_bill_kwargs
        return tariff.bill(y.grid_kw.clip(lower=0.0), **site_bill_kwargs(y.site, tariff))
    if y.bill is not None:
        return y.bill
    raise InputError("no tariff: add a tariff: section to the site or pass tariff_file",
                     file=y.site.source_file, field="tariff")


def leap_year_note(year: int, hours: int, tariff=None) -> str:
    """The tco notebook's note on a leap weather year (``hours`` 8,784, of ``year``), "" for 8,760 hours: its
    energies are scaled to the TCO's 365-day year, its bill is not, so every February is billed for 29 days: the
    energy charges, about 1/365 (0.27 %) more a year, and a $/day fixed or minimum charge of ``tariff`` (a
    :class:`dcplan.tariff.Tariff`), billed for each month's days (:mod:`dcplan.tariff`, Fixed charges), one day
    more a year; $/month fixed charges and demand charges are monthly, unchanged.

    >>> from dcplan.tariff import Tariff
    >>> t = Tariff.flat(0.1)
    >>> leap_year_note(2024, 8760, t)
    ''
    >>> "(demand and fixed charges are monthly, unchanged)" in leap_year_note(2024, 8784, t)
    True
    """
    if hours == 8760:
        return ""
    per_day = float(getattr(tariff, "fixed_usd_per_day", 0.0) or 0.0)
    min_per_day = float(getattr(tariff, "min_usd_per_day", 0.0) or 0.0)
    charges = " (demand and fixed charges are monthly, unchanged)"
    if per_day or min_per_day:
        daily = [f"the {per_day:,.4g} USD/day fixed charge, {per_day:,.4g} USD more a year" if per_day else "",
                 f"the {min_per_day:,.4g} USD/day minimum bill's floor" if min_per_day else ""]
        charges = (f"; {' and '.join(d for d in daily if d)}: billed for each month's days, so for 29 February "
                   "too (demand and $/month fixed charges are monthly, unchanged)")
    return (f"The weather year {year} has {hours:,} hours (a leap year; dcplan.weather fills 29 Feb with a copy of "
            "28 Feb): IT and facility energy, water and tokens are scaled to a 365-day year (8,760 h, the TCO's "
            "year), but the electricity bill is the weather year's own, so every February of the horizon is billed "
            f"for 29 days: about 1/365 (0.27 %) more energy charges a year than a 365-day year{charges}; the "
            "electricity bill per facility MWh divides that bill by the same 366 days' facility energy, as "
            "site_analysis does. Set weather.year to a non-leap year for a 365-day bill.")


def site_tco(site, *, scenario: str = "base", tariff_file=None, site_year=None) -> SiteTco:
    """The deterministic TCO of a site, as the tco notebook computes and publishes it.

    Parameters
    ----------
    site : dcplan.site.Site or str
        The site, or a name or path :func:`dcplan.site.load_site` loads.
    scenario : str, default "base"
        A :data:`dcplan.tco.SCENARIOS` key (the notebook's ``scenario``): its cost overrides and grid-delay
        quantile.
    tariff_file : Tariff, str, path or None, default None
        The notebook's ``tariff_file``: a :class:`dcplan.tariff.Tariff` or URDB JSON (absolute, else relative to
        the working folder, then to ``data/``: :func:`dcplan.notebook_params.parameter_file`); None, ``""`` or
        ``"site"``: the site's ``tariff:`` section.
    site_year : dcplan.pipeline.SiteYear, optional
        The site's typical year when already run (:func:`dcplan.pipeline.run_site_year`); run here when not.
        A year of another site, or of another version of this one (the same id, other values: an
        ``apply_overrides`` variant), is refused (:func:`dcplan.tco_site_plant.check_site_year`), but for one that
        differs only in its ``finance:`` section, which the year does not read: a finance variant's TCO on the
        year of the site it varies (its ``year.site`` then the variant).

    Returns
    -------
    SiteTco
        ``npv`` and ``summary`` are the published deterministic case's (``npv_usd``, ``usd_per_gpu_hour``...);
        ``median_result`` the case at the site's median grid delay (``npv_grid_delay_p50_usd``).

    Notes
    -----
    The Monte Carlo, tornado and export are the notebook's (:mod:`dcplan.tco_uncertainty`,
    :mod:`dcplan.tco_export`), on this result's ``inputs`` and ``electricity``.
    """
    from . import thermal_plant
    from .pipeline import electricity_by_pv_age, run_site_year, site_tariff
    from .tariff_site import site_bill_kwargs
    from .tariff_window_note import WINDOW_NOTE_START
    from .tco_bill_parts import bill_parts, with_partial_pv_bills
    from .tco_delay import median_delay_case, scenario_delay_months
    from .tco_electricity import electricity_price_note
    from .tco_grid_dates import delay_whole_months
    from .tco_input_types import pv_ages_billed
    from .tco_inputs import fleet_phases, grid_capacity, inputs_from_site, month_shares
    from .tco_inputs import scenario as named_scenario
    from .tco_site_plant import check_site_year, year_energies
    from .tco_tornado_table import notebook_sources

    if isinstance(site, (str, Path)):
        from .site import load_site
        site = load_site(site)
    sc = named_scenario(scenario)  # an unknown name is refused, naming the valid ones
    tariff = _tariff(tariff_file)
    y = run_site_year(site) if site_year is None else site_year
    check_site_year(site, y)  # of this site, not of another or of another version of it (same id)
    if y.site is not site:  # a year of the site as loaded again, or of a finance variant (the year reads none of
        y = dataclasses.replace(y, site=site)  # it): the case's year carries the site given, its finance included
    bill = site_year_bill(y, tariff)
    notes = []
    # energies of a 365-day year, the TCO's year (8,760 h): a leap weather year (8,784 h) is scaled down ...
    per_year, it_energy_kwh, facility_energy_kwh = year_energies(y)
    # ... but the bill is the weather year's own: said, as in the export's caveats
    leap_note = leap_year_note(site.weather.year, len(y.it_kw), site_tariff(y.site) if tariff is None else tariff)
    if leap_note:
        notes.append(leap_note)
    # dcplan.grid's delay at the scenario's quantile; 0 (the planned dates) when it takes none
    delay_months = scenario_delay_months(scenario, site.interconnection)
    live_frac, grid_ph, design_kw = 0.0, None, None  # no interconnection phases: no grid check
    if site.interconnection is not None:  # no phases: requested_mw at the filing date (dcplan.grid)
        # the whole fleet's facility power at design IT in the worst hour, as in the interconnection notebook
        design_kw = float(thermal_plant.plant_hourly(y.design_it_kw, y.weather, site.cooling,
                                                     electrical_chain=site.electrical.stages())["facility_kw"].max())
        # phases in service count from their dates (from the start when energized by the fleet's first start)
        live_frac, grid_ph = grid_capacity(site.interconnection, site.fleet, design_kw)
        if live_frac > 0:
            notes.append(f"Capacity in service by the fleet's first start powers {live_frac:.0%} of the fleet "
                         f"({design_kw:,.0f} kW at design IT in the worst hour): that part does not wait for the "
                         "grid delay")
    water = y.plant["water_l"]
    inputs = inputs_from_site(
        site, n_accelerators=y.n_accelerators, it_capacity_kw=y.design_it_kw,
        it_energy_kwh=it_energy_kwh, delay_months=delay_months, phases=fleet_phases(site.fleet),
        live_fleet_frac=live_frac, grid_phases=grid_ph,
        site_year=y,  # wue_l_per_kwh: the plant's own (dcplan.tco_site_plant.plant_wue_l_per_kwh)
        # the typical year's IT energy and water by calendar month (a dry plant uses none: 1/12 each)
        it_energy_month_frac=month_shares(y.it_kw),
        water_month_frac=month_shares(water) if water.sum() > 0 else None,
        # where each input comes from: the site pipeline's models, the grid, the scenario
        sources=notebook_sources(scenario, grid_ph is not None),
        # the date the bill's prices are at: the tariff's startdate (the site's tariff when tariff is None)
        electricity_price_date=tariff,
        **sc["costs"])
    # the delay in whole months as the model runs it, by the month rule (dcplan.grid_ramp)
    delay_used = delay_whole_months(inputs, delay_months)
    price_note = electricity_price_note(inputs)  # which date the tariff's prices are at, from the start
    notes.append(price_note)
    # the bill's demand-window caveat (Bill.notes, dcplan.tariff_window_note): the electricity opex is that bill
    notes += [f"Electricity opex is this typical-year bill of hourly means, so its demand charges carry the bill's "
              f"caveat: {n}" for n in bill.notes if n.startswith(WINDOW_NOTE_START)]
    # the bill of each year of the horizon: the same year's load with the PV at its age
    electricity = electricity_by_pv_age(y, inputs.horizon_years, tariff=tariff)
    # the parts a partly built fleet pays in full from its first operating month (fixed customer charges and
    # the contract-demand floor: the bill of no load), the rest scaled (dcplan.tco_bill_parts); with on-site PV
    # the array's whole output serves the partly built fleet: max(0, share x facility - PV), billed at shares 0..1
    billed_on = site_tariff(y.site) if tariff is None else tariff
    bill_kw = site_bill_kwargs(y.site, billed_on)
    parts = bill_parts(bill, billed_on, y.grid_kw.index, **bill_kw)
    # the tariff file's word on its own validity for this bill (a stand-in outside its demand range, a rate case
    # pending): printed once here and published as the caveat tariff (the tco notebook), not in every figure's label
    tariff_note = tariff_caveat(bill, billed_on, inputs)
    if tariff_note:
        notes.append(tariff_note)
    electricity = dataclasses.replace(electricity, parts=with_partial_pv_bills(parts, y, electricity, billed_on,
                                                                               **bill_kw))
    ep = electricity.parts
    if ep.standing_usd.sum() > 0:
        notes.append(f"Standing charges (the bill of no load, paid in full from the first month a GPU operates): "
                     f"{ep.standing_usd.sum():,.0f} USD a year at the tariff's prices (fixed customer charges "
                     f"{ep.fixed_usd.sum():,.0f} USD, contract-demand floor {ep.floor_demand_usd.sum():,.0f} USD)")
    by_age = electricity.monthly_usd[:pv_ages_billed(inputs)].sum(axis=1)  # the ages the horizon bills
    if site.solar.dc_kw > 0:
        notes.append(f"PV output falls {electricity.degradation_frac_per_year:.2%} of its first year's per year of "
                     f"age: the bill at the tariff's prices is {by_age[0]:,.0f} USD with new PV and "
                     f"{by_age[-1]:,.0f} USD in its year {len(by_age)} of service, the last the horizon bills "
                     f"(+{by_age[-1] - by_age[0]:,.0f} USD)")
    from .tco import run_tco
    bill_hours_h = 8760.0 / per_year  # the hours the typical-year bill covers (8,784 in a leap year)
    result = run_tco(inputs, electricity, facility_energy_kwh=facility_energy_kwh, bill_hours_h=bill_hours_h)
    # the same case at the site's median grid delay (dcplan.grid), in whole months by the month rule
    med = median_delay_case(inputs, site.interconnection, scenario)
    med_result = (run_tco(med.inputs, electricity, facility_energy_kwh=facility_energy_kwh,
                          bill_hours_h=bill_hours_h)
                  if med is not None and med.inputs is not None else None)
    return SiteTco(site=site, scenario=scenario, year=y, tariff=tariff, bill=bill, billed_on=billed_on,
                   bill_kwargs=bill_kw, per_year=per_year, it_energy_kwh=it_energy_kwh,
                   facility_energy_kwh=facility_energy_kwh, delay_months=delay_months, delay_used=delay_used,
                   live_fleet_frac=live_frac, grid_phases=grid_ph, design_facility_kw=design_kw, inputs=inputs,
                   electricity=electricity, pv_age_bills_usd=np.asarray(by_age), result=result, median=med,
                   median_result=med_result, leap_note=leap_note, electricity_price_note=price_note,
                   notes=tuple(notes), tariff_caveat=tariff_note)


def tariff_caveat(bill, tariff, inputs) -> str:
    """What the tariff file says of its own validity for the bill the TCO's electricity opex rests on, ``""``
    when nothing: the bill's applicability notes (the load's peak outside ``peakkwcapacitymin/max``, an
    ``enddate`` passed: :func:`dcplan.tariff_applicability.applicability_notes`; an ``enddate`` is said against the
    months the TCO bills, the fleet's first operating month to the horizon's last:
    :func:`dcplan.tariff_applicability.superseded_years_text`) and a pending rate change
    (:func:`dcplan.tariff_pending.pending_change_text`, against the fleet's first operating month and the
    TCO's ``electricity_cost_mult`` range, :func:`dcplan.tco_ranges.default_ranges`: data/costs.csv's or the site's
    own ``finance.ranges``, named)."""
    from .tariff_applicability import is_applicability_note, superseded_years_text
    from .tariff_pending import pending_change, pending_change_text
    from .tco_input_types import calendar_months
    meta = dict(getattr(tariff, "metadata", None) or {})
    # an enddate against the months the TCO bills (the fleet's first to the horizon's last), not the weather year
    cal = calendar_months(inputs) if getattr(inputs, "fleet_start", None) is not None else None
    gone = superseded_years_text(meta, inputs.fleet_start, cal[-1]) if cal is not None else None
    parts = [f"Tariff applicability: {n}." for n in getattr(bill, "notes", ()) if is_applicability_note(n)
             and not (gone and str(n).lower().startswith("enddate"))]
    if gone:
        parts.append(f"Tariff applicability: enddate: {gone}.")
    if pending_change(meta) is not None:
        from .tco_ranges import default_ranges
        mult = default_ranges(inputs, keys=["electricity_cost_mult"]).get("electricity_cost_mult")
        own = "electricity_cost_mult" in (getattr(inputs, "ranges", None) or {})  # the site's (finance.ranges)
        parts.append(pending_change_text(meta, inputs.fleet_start, mult,
                                         "site.finance.ranges.electricity_cost_mult" if own else "data/costs.csv"))
    return " ".join(parts)


#: The TCO summary figures whose labels name the tariff's prices (:data:`dcplan.tco_labels.SUMMARY_LABELS`): the
#: bill of the typical year, the first operating year's, and the bill per facility MWh.
ELECTRICITY_LABEL_KEYS = ("electricity_typical_year_usd", "electricity_first_operating_year_usd",
                          "electricity_usd_per_mwh_facility")


def electricity_label(key: str, label: str, tariff) -> str:
    """``label`` of the summary figure ``key``, with the tariff's superseded rate said in its first clause when
    ``key`` is one of :data:`ELECTRICITY_LABEL_KEYS` and the tariff has an ``enddate``
    (:func:`dcplan.tariff_applicability.with_superseded`, as the site_analysis headline bill says it); else
    ``label`` unchanged.

    >>> from types import SimpleNamespace
    >>> electricity_label("electricity_typical_year_usd", "Electricity bill (x)", SimpleNamespace(
    ...     metadata={"enddate": "2024-12-31"}))[:57]
    'Electricity bill, on a rate superseded (its enddate 2024-'
    """
    from .tariff_applicability import with_superseded
    return with_superseded(label, getattr(tariff, "metadata", None)) if key in ELECTRICITY_LABEL_KEYS else label



def npv_tariff_clause(tariff, inputs, bill=None) -> str:
    """What the NPV labels say of the tariff whose bill is the TCO's electricity cost: the rate
    (:func:`dcplan.tco_electricity.rate_title`, its utility and name) and its price date
    (:func:`dcplan.tco_electricity.tariff_price_date`, the bill escalated from it by
    ``finance.electricity_escalation_frac``); the short clauses the site's bill label says of the rate
    (:func:`dcplan.site_bill.bill_label`), so the TCO's NPV headline does not say less than site_analysis's and the
    portfolio's: the status of its prices where the file's ``dcplan_price_status`` gives one
    (:func:`dcplan.input_status.bill_status_phrase`: "resting on partly estimated tariff prices"), a load outside the rate's demand range (:func:`dcplan.tariff_applicability.size_clause` of
    ``bill``'s notes, ``bill`` the typical year's bill, :attr:`SiteTco.bill`; None: not said) and a pending rate case
    (:func:`dcplan.tariff_pending.pending_clause`); and for a rate whose URDB ``enddate`` falls before or within the months
    the TCO bills (the fleet's first operating month to the horizon's last, :func:`tariff_caveat`'s), the superseded
    words the bills' labels say (:func:`dcplan.tariff_applicability.superseded_clause`) and where the date falls
    (the first clause of :func:`dcplan.tariff_applicability.superseded_years_text`). An ``enddate`` after the
    horizon's last month leaves every month billed on the rate: no superseded words; an undated case (no
    ``fleet_start``) says them. ``""`` without a tariff.

    >>> from types import SimpleNamespace
    >>> from dcplan.tco import TcoInputs
    >>> t = SimpleNamespace(name="x", metadata={"utility": "U", "name": "R", "startdate": "2026-01-01",
    ...                                         "enddate": "2030-06-01"})
    >>> npv_tariff_clause(t, TcoInputs(8, 100.0, 1e5, fleet_start="2026-10-01", horizon_years=15))[:73]
    'electricity cost: the bill on U rate "R" at its prices of 2026-01-01, esc'
    >>> t.metadata = {"dcplan_pending_rate_change": {"summary": "s", "source": "x", "change_frac_high": 0.45}}
    >>> bill = SimpleNamespace(notes=["peakkwcapacitymax 3,000 kW: the load's peak ..."])
    >>> npv_tariff_clause(t, TcoInputs(8, 100.0, 1e5), bill).split("escalation_frac")[1]
    ', on a rate this load is too large for, at prices a pending rate case may raise by up to 45 %'
    """
    if tariff is None:
        return ""
    from .tariff_applicability import enddate_day, size_clause, superseded_clause, superseded_years_text
    from .tariff_pending import pending_clause
    from .tco_electricity import rate_title, tariff_price_date
    from .tco_input_types import calendar_months
    day = tariff_price_date(tariff)[0]
    at = (f"at its prices of {day}, escalated by finance.electricity_escalation_frac" if day is not None else
          "at the project start's prices (the tariff gives no price date, startdate), escalated by "
          "finance.electricity_escalation_frac")
    meta = dict(getattr(tariff, "metadata", None) or {})
    # the status of its prices, the rate's size and a pending rate case, as the site's bill label says them
    # (dcplan.site_bill.bill_label: "resting on partly estimated tariff prices", dcplan.input_status)
    from .input_status import bill_status_phrase
    status = bill_status_phrase(tariff)
    text = (f"electricity cost: the bill on {rate_title(tariff)} {at}{', ' + status if status else ''}"
            + size_clause(getattr(bill, "notes", ())) + pending_clause(meta))
    end = enddate_day(meta)
    if end is None:
        return text
    cal = calendar_months(inputs) if getattr(inputs, "fleet_start", None) is not None else None
    import pandas as pd
    if cal is not None and pd.Timestamp(end[1]) > cal[-1].end_time:
        return text  # every month the TCO bills is on the rate
    years = superseded_years_text(meta, inputs.fleet_start, cal[-1]) if cal is not None else None
    return text + superseded_clause(meta) + (f": {years.split(': ', 1)[0]}" if years else "")
