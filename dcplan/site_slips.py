"""Unit slips in a loaded site: figures that load, but whose size reads as another unit.

Part of :mod:`dcplan.site_plausibility`, which issues these warnings with its own
(:func:`dcplan.site_plausibility.site_warnings`; ``dcplan validate`` and ``dcplan render`` show
them). Each is a :class:`~dcplan.errors.DcplanWarning` text ``file: field: message`` naming the
value, what was expected and, where the size gives it away, the unit the figure looks like.
Warnings, not errors: each threshold is a plausibility heuristic, and a real value may lie
beyond it.

===============================  ================================================================
check                            what
===============================  ================================================================
:func:`cost_override_warnings`   a positive ``finance.costs`` override more than
                                 :data:`COST_OUTSIDE_RANGE_FACTOR` x outside its ``data/costs.csv``
                                 range (11,700 USD/MW for 11.7 M USD/MW), with the unit slip it
                                 looks like when 1,000 or 1,000,000 x it is inside the range
:func:`contract_demand_warnings` ``tariff.contract_demand_kw`` above
                                 :data:`CONTRACT_ABOVE_REQUEST_RATIO` x ``interconnection.requested_mw``
                                 or below :data:`CONTRACT_BELOW_REQUEST_FRAC` of it (MW typed as kW)
:func:`time_to_power_warnings`   ``interconnection.time_to_power.median_months`` below
                                 :data:`TIME_TO_POWER_MIN_MEDIAN_MONTHS` (years typed as months)
:func:`grid_carbon_warnings`     ``grid_carbon_kg_per_mwh`` above 0 and below
                                 :data:`GRID_CARBON_MIN_KG_PER_MWH` (t/MWh typed as kg/MWh), above
                                 :data:`GRID_CARBON_MAX_KG_PER_MWH` (lb/MWh typed as kg/MWh), within
                                 :data:`EGRID_LB_MATCH_FRAC` of an eGRID2022 lb/MWh figure
                                 (:data:`EGRID2022_LB_PER_MWH`), or 0 (a market-based figure ranked
                                 beside location-based ones)
:func:`pv_size_warnings`         ``solar.dc_kw`` above 0 and below :data:`PV_MIN_DC_KW` on a fleet of
                                 over :data:`PV_CHECK_MIN_IT_KW` design IT (MW typed as kW), or
                                 above :data:`PV_MAX_DC_PER_DESIGN_IT` x the design IT (spilled)
:func:`leap_year_warnings`       ``weather.year`` a leap year: 29 Feb is a copy of 28 Feb; or a file
                                 with 29 Feb (a leap year's record) in another year: left out
:func:`weather_timing_warnings`  ``weather.file`` whose irradiance centres more than
                                 :data:`dcplan.weather_timing.MAX_OFFSET_H` from solar noon on its
                                 own clock (rows in UTC, or labelled at the hour's start)
===============================  ================================================================
"""
from __future__ import annotations

import calendar
import csv
import functools
import math
import re

from .errors import InputError

__all__ = ["slip_warnings", "cost_override_warnings", "contract_demand_warnings", "time_to_power_warnings",
           "grid_carbon_warnings", "pv_size_warnings", "leap_year_warnings", "weather_timing_warnings",
           "tariff_country_warnings", "grid_carbon_country_warnings", "LOADER_LEAP_WARNING",
           "said_by_site", "COST_OUTSIDE_RANGE_FACTOR",
           "CONTRACT_ABOVE_REQUEST_RATIO", "CONTRACT_BELOW_REQUEST_FRAC", "TIME_TO_POWER_MIN_MEDIAN_MONTHS",
           "GRID_CARBON_MIN_KG_PER_MWH", "GRID_CARBON_MAX_KG_PER_MWH", "LB_TO_KG", "EGRID2022_LB_PER_MWH",
           "EGRID_LB_MATCH_FRAC", "PV_MIN_DC_KW", "PV_CHECK_MIN_IT_KW", "PV_MAX_DC_PER_DESIGN_IT"]


def _where(site) -> str:
    return site.source_file or f"site {site.id!r}"


def _num(x: float) -> str:
    """``x`` as a reader writes it: 11,700,000 (whole), 1.5, 0.389, 12,345.7 (6 significant digits)."""
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.6g}"


# ----------------------------------------------------------------------------- finance.costs

#: An override below ``low / this`` or above ``high x this`` of its ``data/costs.csv`` row is
#: warned. The rows' low-high spans are tornado ranges of planning figures, at most 5 x wide
#: (interconnection_usd_per_mw 0.4-2 M USD/MW); 20 x beyond a bound leaves more than an order of
#: magnitude for a real figure the range does not hold (a region, a vintage, a special contract),
#: while a figure in another unit, per kW for per MW or per W for per kW, is 1,000 x off. A
#: plausibility heuristic of dcplan's (no published source). [-]
COST_OUTSIDE_RANGE_FACTOR = 20.0
#: Factors of the unit slips named (kW for MW and W for kW: 1,000; W for MW: 1,000,000). [-]
_SLIP_FACTORS = (1e3, 1e6)
#: A slip is named when the value times (or divided by) its factor lies within the row's range
#: widened this many times either side (a per-kW figure of another region is not exactly in it). [-]
_SLIP_SLACK = 2.0
#: SI prefixes of the power and energy units a cost is given per.
_PREFIX_SCALE = {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9}


@functools.lru_cache(maxsize=1)
def _cost_ranges() -> dict[str, tuple[float, float, str]]:
    """``{key: (low, high, unit)}`` of the ``data/costs.csv`` rows a size check applies to: a
    positive low (a range that may hold 0 says nothing of a unit) and not a fraction (``frac``
    units: the spec refuses one above 1)."""
    from .tco_input_types import load_costs
    t = load_costs()
    return {str(k): (float(r["low"]), float(r["high"]), str(r["unit"])) for k, r in t.iterrows()
            if float(r["low"]) > 0 and not str(r["unit"]).startswith("frac") and not str(k).endswith("_frac")}


def _slip_unit(unit: str, factor: float, low: bool) -> str:
    """The unit slip a cost in ``unit`` ``factor`` x too low (``low``) or too high looks like:
    ``a figure per kW typed as per MW``, ``in thousands``."""
    m = re.search(r"/([kMG]?)(Wh|W)", unit)
    if m:
        pre, base = m.groups()
        scale = _PREFIX_SCALE[pre] / factor if low else _PREFIX_SCALE[pre] * factor
        new = next((p for p, s in _PREFIX_SCALE.items() if math.isclose(s, scale)), None)
        if new is not None:
            return f"a figure per {new}{base} typed as per {pre}{base}"
    word = {1e3: "thousands", 1e6: "millions"}[factor]
    return f"a figure in {word}" if low else f"a figure {_num(factor)} x too large"


def cost_override_warnings(site) -> list[str]:
    """One warning per positive ``finance.costs`` override more than
    :data:`COST_OUTSIDE_RANGE_FACTOR` x outside its ``data/costs.csv`` range (below low / factor,
    above high x factor), for the keys of :func:`_cost_ranges`. When the value times (or divided
    by) 1,000 or 1,000,000 lies in the range (widened :data:`_SLIP_SLACK` x), the warning names
    the unit slip (``facility_usd_per_mw: 11700``: a figure per kW typed as per MW). 0 is never
    warned (a cost that does not apply)."""
    ranges = _cost_ranges()
    out = []
    for k, v in site.finance.costs.items():
        if k not in ranges or not v > 0:
            continue
        lo, hi, unit = ranges[k]
        f = COST_OUTSIDE_RANGE_FACTOR
        low = v < lo / f
        if not (low or v > hi * f):
            continue
        side = f"below low / {f:g}" if low else f"above high x {f:g}"
        head = (f"{_where(site)}: finance.costs.{k}: {_num(v)} {unit} is far {'below' if low else 'above'} "
                f"data/costs.csv's range for it, {_num(lo)}-{_num(hi)} {unit} ({side})")
        slip = ""
        for factor in _SLIP_FACTORS:
            x = v * factor if low else v / factor
            if lo / _SLIP_SLACK <= x <= hi * _SLIP_SLACK:
                slip = (f"; {'x' if low else '/'} {_num(factor)} it is {_num(x)} {unit}, in the range: "
                        f"{_slip_unit(unit, factor, low)}?")
                break
        out.append(f"{head}{slip} The TCO takes the override as given (capex, opex, NPV); give it in {unit}, or "
                   "keep it if it really is so")
    return out


# ----------------------------------------------------------------------------- contract demand

#: A contract demand above this many times the capacity requested is warned: billing demand is
#: at least the contract every month, and a site cannot draw more than its connection, so a
#: contract above the request bills demand that is never drawn. 1.5 x leaves room for a contract
#: stated in kVA (at a power factor of 0.9, 1.11 x the kW) and for a request of a first stage
#: only, while a contract of another site or a unit slip (1,000 x) is caught. A plausibility
#: heuristic of dcplan's (no published source). [-]
CONTRACT_ABOVE_REQUEST_RATIO = 1.5
#: A positive contract demand below this share of the capacity requested is warned: such a floor
#: never binds for a site drawing near its request, and a figure in MW typed as kW (8 for
#: 8,000 kW) is 0.1 % or less of a request of 8 MW or more. A plausibility heuristic of dcplan's. [-]
CONTRACT_BELOW_REQUEST_FRAC = 0.01


def contract_demand_warnings(site) -> list[str]:
    """The warning for a ``tariff.contract_demand_kw`` [kW] above
    :data:`CONTRACT_ABOVE_REQUEST_RATIO` x ``interconnection.requested_mw`` x 1000, or above 0
    and below :data:`CONTRACT_BELOW_REQUEST_FRAC` of it. Empty without a contract demand or an
    interconnection."""
    t, ic = site.tariff, site.interconnection
    if t is None or ic is None or t.contract_demand_kw is None or not t.contract_demand_kw > 0:
        return []
    c, req_kw = float(t.contract_demand_kw), 1000.0 * float(ic.requested_mw)
    req = f"interconnection.requested_mw, {_num(ic.requested_mw)} MW ({_num(req_kw)} kW)"
    if c > CONTRACT_ABOVE_REQUEST_RATIO * req_kw:
        return [f"{_where(site)}: tariff.contract_demand_kw: {_num(c)} kW is {c / req_kw:,.3g} x {req}: more than "
                f"{CONTRACT_ABOVE_REQUEST_RATIO:g} x the capacity the site requested, so every month is billed on at "
                f"least {_num(c)} kW of demand, more than the connection can deliver. A figure of another site, or "
                "in another unit? Expected: at most about the request (contract_demand_kw is in kW); keep it if "
                "the contract really is so"]
    if c < CONTRACT_BELOW_REQUEST_FRAC * req_kw:
        return [f"{_where(site)}: tariff.contract_demand_kw: {_num(c)} kW is {100 * c / req_kw:.2g} % of {req}: "
                f"below {100 * CONTRACT_BELOW_REQUEST_FRAC:g} %, a billing floor that never binds. A figure in MW "
                f"typed as kW ({_num(c)} MW = {_num(1000 * c)} kW)? contract_demand_kw is in kW; keep it if the "
                "contract really is so"]
    return []


# ----------------------------------------------------------------------------- time to power

#: A site's own median time to power below this is warned [months]: the shortest median of
#: ``data/interconnection.csv`` is 24 months (p10 18; APS, Arizona), so a median of under half a
#: year is four times faster than any region there, while figures in years typed as months (2.5
#: for 30 months) give 1-8. A plausibility heuristic of dcplan's. [months]
TIME_TO_POWER_MIN_MEDIAN_MONTHS = 6.0


@functools.lru_cache(maxsize=1)
def _table_fastest() -> tuple[float, float]:
    """(shortest median, shortest p10) of ``data/interconnection.csv`` [months]."""
    from .paths import data_path
    with open(data_path("interconnection.csv"), newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return min(float(r["median_months"]) for r in rows), min(float(r["p10_months"]) for r in rows)


def time_to_power_warnings(site) -> list[str]:
    """The warning for an ``interconnection.time_to_power`` whose median is below
    :data:`TIME_TO_POWER_MIN_MEDIAN_MONTHS` (figures in years typed as months?). Empty for a
    site on a ``data/interconnection.csv`` region."""
    ic = site.interconnection
    ttp = None if ic is None else ic.time_to_power
    if ttp is None or not ttp.median_months < TIME_TO_POWER_MIN_MEDIAN_MONTHS:
        return []
    med, p10 = _table_fastest()
    return [f"{_where(site)}: interconnection.time_to_power.median_months: {ttp.median_months:g} months (p10 "
            f"{ttp.p10_months:g}, median {ttp.median_months:g}, p90 {ttp.p90_months:g} months) is below "
            f"{TIME_TO_POWER_MIN_MEDIAN_MONTHS:g} months; the figures are months, and data/interconnection.csv's "
            f"shortest median is {med:g} months (p10 {p10:g}). Figures in years ({ttp.median_months:g} years = "
            f"{12 * ttp.median_months:g} months)? Give months; keep them if the utility really energizes that soon"]


# ----------------------------------------------------------------------------- grid carbon

#: A positive ``grid_carbon_kg_per_mwh`` below this is warned [kg/MWh]: an average grid's
#: intensity is tens to hundreds of kg CO2 per MWh (the bundled sites' 283-454, EPA eGRID2022), while a figure in
#: t/MWh or kg/kWh typed as kg/MWh is 1,000 x smaller (0.389 for 389). A plausibility heuristic
#: of dcplan's; a supply that really is near carbon-free (a hydro grid) may keep its figure. [kg/MWh]
GRID_CARBON_MIN_KG_PER_MWH = 5.0
#: A ``grid_carbon_kg_per_mwh`` above this is warned [kg/MWh]: a figure in lb/MWh, as EPA eGRID
#: publishes them, typed as kg/MWh is 2.2046 x too large (Chicago's RFCW 1000.053 lb/MWh is 453.6
#: kg/MWh). 800 kg/MWh is 1.76 x the highest eGRID2022 subregion figure data/SOURCES.md lists (RFCW,
#: 453.6 kg/MWh; no world maximum is sourced in the bundle) and 2.2 x the US average of 2023 (366
#: kg/MWh: 1,532 Mt CO2 over 4,183 TWh), and a grid at it would be about three quarters coal-fired:
#: US coal plants emitted 1,050 kg/MWh in 2023 (709 Mt CO2 over 675 TWh; U.S. EIA, "How much carbon
#: dioxide is produced per kilowatthour of U.S. electricity generation?", FAQ 74). Any subregion above
#: 363 kg/MWh (800 / 2.2046) typed in lb/MWh is caught; a cleaner one's slip (SRVC's 622.987 lb/MWh)
#: is not. A plausibility heuristic of dcplan's: a coal-heavy grid may keep its figure. [kg/MWh]
GRID_CARBON_MAX_KG_PER_MWH = 800.0
#: kg per avoirdupois pound (exact by definition, NIST SP 811 App. B). [kg/lb]
LB_TO_KG = 0.45359237
#: EPA eGRID2022 subregion total output CO2 rates as eGRID publishes them, in lb/MWh (the bundled
#: sites' figures, data/SOURCES.md; status secondary). A ``grid_carbon_kg_per_mwh`` within
#: :data:`EGRID_LB_MATCH_FRAC` of one is that figure in lb/MWh typed as kg/MWh, caught where
#: :data:`GRID_CARBON_MAX_KG_PER_MWH` cannot (SRVC's 622.987 and AZNM's 776.036 lie below it). [lb/MWh]
EGRID2022_LB_PER_MWH = {"SRVC": 622.987, "AZNM": 776.036, "RFCW": 1000.053}
#: Relative distance to a listed eGRID lb/MWh figure that reads as that figure (a copy, rounded). [-]
EGRID_LB_MATCH_FRAC = 0.005


def grid_carbon_warnings(site) -> list[str]:
    """The warning for a ``grid_carbon_kg_per_mwh`` above 0 and below
    :data:`GRID_CARBON_MIN_KG_PER_MWH` (t/MWh typed as kg/MWh?), above
    :data:`GRID_CARBON_MAX_KG_PER_MWH` (lb/MWh typed as kg/MWh?), or of 0: no grid region
    averages 0, so 0 is a market-based or contractual figure (a 100 % renewable PPA or
    certificates), which the portfolio comparison ranks beside the other sites' location-based
    grid averages as if it were one; not when the site declares it so (``grid_carbon_basis: market``).
    Whether the other sites of a portfolio are market-based too is not checked here."""
    v = site.grid_carbon_kg_per_mwh
    if v is None:
        return []
    if v == 0 and getattr(site, "grid_carbon_basis", None) == "market":
        return []  # declared market-based (grid_carbon_basis: market): every label says so (dcplan.site_carbon)
    if v == 0:
        return [f"{_where(site)}: grid_carbon_kg_per_mwh: 0 kg/MWh is a market-based or contractual figure (a 100 % "
                "renewable PPA or certificates), not a grid's average: every report counts this site's grid import "
                "as carbon-free, and the portfolio comparison ranks it beside the other sites' location-based "
                "figures (the bundled sites' EPA eGRID2022 subregion averages, data/SOURCES.md) as if it were one. "
                "Expected: the location-based average of the site's grid subregion in kg CO2/MWh; keep 0 only when "
                "every site compared is given its market-based figure"]
    if 0 < v < GRID_CARBON_MIN_KG_PER_MWH:
        return [f"{_where(site)}: grid_carbon_kg_per_mwh: {v:g} kg/MWh is below {GRID_CARBON_MIN_KG_PER_MWH:g} kg/MWh, "
                f"while grids average tens to hundreds of kg/MWh. A figure in t/MWh or kg/kWh typed as kg/MWh ({v:g} "
                f"t/MWh = {_num(1000 * v)} kg/MWh)? Expected: kg of CO2 per MWh; keep it if the supply really is that "
                "clean"]
    lb = next(((k, f) for k, f in EGRID2022_LB_PER_MWH.items() if abs(v - f) <= EGRID_LB_MATCH_FRAC * f), None)
    if lb is not None and v <= GRID_CARBON_MAX_KG_PER_MWH:
        return [f"{_where(site)}: grid_carbon_kg_per_mwh: {_num(v)} kg/MWh is EPA eGRID2022's {lb[0]} subregion rate "
                f"in lb/MWh ({_num(lb[1])} lb/MWh, data/SOURCES.md), typed as kg/MWh? In kg/MWh it is "
                f"{lb[1] * LB_TO_KG:,.1f} ({_num(lb[1])} x {LB_TO_KG:.4f}); as written every carbon figure of this site "
                f"is {1 / LB_TO_KG:.4f} x too high. Expected: kg of CO2 per MWh"]
    if v > GRID_CARBON_MAX_KG_PER_MWH:
        return [f"{_where(site)}: grid_carbon_kg_per_mwh: {_num(v)} kg/MWh is above {GRID_CARBON_MAX_KG_PER_MWH:g} "
                "kg/MWh, the intensity of a grid about three quarters coal-fired (US coal plants: 1,050 kg/MWh, EIA "
                "2023), while the highest eGRID2022 subregion in data/SOURCES.md is RFCW's 453.6 kg/MWh. A figure in "
                f"lb/MWh typed as kg/MWh ({_num(v)} lb/MWh x {LB_TO_KG:.4f} = {v * LB_TO_KG:,.1f} kg/MWh)? Expected: "
                "kg of CO2 per MWh; keep it if the grid really is that carbon-intensive"]
    return []


# ----------------------------------------------------------------------------- PV size

#: A positive ``solar.dc_kw`` below this is warned on a large fleet [kW]: a few rooftop panels'
#: worth, nothing to a site of MW, while a figure in MW typed as kW is 1,000 x smaller (3 for
#: 3,000 kW). A plausibility heuristic of dcplan's. [kW]
PV_MIN_DC_KW = 10.0
#: ... on a fleet whose design IT power (:func:`dcplan.power.fleet_design_it_kw`) is above this. [kW]
PV_CHECK_MIN_IT_KW = 1000.0


#: A ``solar.dc_kw`` above this multiple of the fleet's IT nameplate power (design IT before
#: ``diversity_frac``) is warned: an array's AC
#: output peaks near 0.7 x its DC nameplate (DC/AC ratio 1.2 and losses; dcplan.solar), so at 3 x
#: its midday output is about twice the IT load, and dcplan bills no export credit: most of what it
#: adds is spilled unpaid (a tester's 10 GW on a 5 MW site spilled 99.9 %). A plausibility
#: heuristic of dcplan's. [-]
PV_MAX_DC_PER_DESIGN_IT = 3.0


def pv_size_warnings(site) -> list[str]:
    """The warning for a ``solar.dc_kw`` above 0 and below :data:`PV_MIN_DC_KW` on a fleet of
    more than :data:`PV_CHECK_MIN_IT_KW` design IT (MW typed as kW?), or above
    :data:`PV_MAX_DC_PER_DESIGN_IT` x the fleet's IT nameplate power (most of it spilled)."""
    dc = site.solar.dc_kw
    if not dc > 0:
        return []
    from .power_fleet import fleet_design_it_kw
    try:
        design_kw = float(fleet_design_it_kw(site))
    except InputError:  # an unknown hardware key: the fleet's own problem
        return []
    # against the nameplate (design IT before diversity_frac): a diversity slip is its own problem
    div = float(getattr(site.fleet, "diversity_frac", 1.0) or 1.0)
    nameplate_kw = design_kw / div
    if nameplate_kw > 0 and dc > PV_MAX_DC_PER_DESIGN_IT * nameplate_kw:
        return [f"{_where(site)}: solar.dc_kw: {_num(dc)} kW of PV is {dc / nameplate_kw:,.3g} x the fleet's "
                f"{nameplate_kw:,.0f} kW IT nameplate power (more than {PV_MAX_DC_PER_DESIGN_IT:g} x): its midday output "
                "far exceeds the load, and dcplan credits no export, so most of it is spilled unpaid while its "
                "cost counts in full. A figure in W typed as kW? dc_kw is the DC nameplate in kW"]
    if not (dc < PV_MIN_DC_KW and design_kw > PV_CHECK_MIN_IT_KW):
        return []
    return [f"{_where(site)}: solar.dc_kw: {dc:g} kW of PV beside a fleet of {design_kw:,.0f} kW design IT power is "
            f"below {PV_MIN_DC_KW:g} kW, a few panels' worth. A figure in MW typed as kW ({dc:g} MW = "
            f"{_num(1000 * dc)} kW)? dc_kw is the DC nameplate in kW; keep it if the array really is that small"]


# ----------------------------------------------------------------------------- leap year

def leap_year_warnings(site) -> list[str]:
    """The warning for a leap ``weather.year``: a typical-year file has 8,760 hours and no
    29 Feb, which :func:`dcplan.weather.load_weather` fills with a copy of 28 Feb (saying so
    when a run loads the weather; ``dcplan validate`` does not load it, so this says it there).
    A file with 29 Feb (8,784 hours, a leap year's record) is the other way round: no warning in
    a leap year, and one in another year, whose runs leave its 29 Feb out. Nothing when the
    file cannot be read (its problems are reported on ``weather.file``)."""
    from .weather_check import site_checked_file
    y = site.weather.year
    leap = calendar.isleap(y)
    problems, station = site_checked_file(site)
    if problems or station is None:
        return []
    if station.get("file_hours") == 8784:
        if leap:
            return []
        own = int(station.get("file_year") or 0)
        prior = next(k for k in range(y - 1, y - 9, -1) if calendar.isleap(k))
        keep = f"weather.year: {own}, the file's own year," if own else f"a leap weather.year (e.g. {prior})"
        return [f"{_where(site)}: weather.year: {y} is not a leap year, but the file {site.weather_path.name} has "
                "29 Feb (8,784 hours, a leap year's record), so every run leaves its 29 Feb out (8,760 hours). "
                f"Give {keep} to keep it"]
    if not leap:
        return []
    return [f"{_where(site)}: weather.year: {y} is a leap year; the typical-year file {site.weather_path.name} has "
            "no 29 Feb (8,760 hours), so every run fills 29 Feb with a copy of 28 Feb (8,784 hours). Keep it to model "
            f"that calendar year; a non-leap year (e.g. {y + 1}) runs the typical year as recorded"]


def weather_timing_warnings(site) -> list[str]:
    """The warning for a weather file whose irradiance centres more than half an hour from solar noon on its
    own clock (:mod:`dcplan.weather_timing`: rows stamped in UTC or labelled at the hour's start), which every
    run would take at face value. Nothing when the file cannot be read (its problems are reported on
    ``weather.file``)."""
    from .weather_check import site_checked_file
    from .weather_timing import timing_problem
    problems, station = site_checked_file(site)
    if problems or station is None:
        return []
    text = timing_problem(station, site.weather_path.name)
    return [f"{_where(site)}: weather.file: {text}"] if text else []


#: The weather loader's leap-day warnings (:func:`dcplan.weather._leap_day`), a regular expression (for
#: ``re.match`` and ``warnings.filterwarnings``); group ``file``: the weather file's name.
LOADER_LEAP_WARNING = (r"(?P<file>[^:]+): [0-9]+ is (a leap year; 29 Feb filled with a copy of 28 Feb"
                       r"|not a leap year; the file's 29 Feb .* is left out .*)$")


def tariff_country_warnings(site) -> list[str]:
    """A site whose time zone is another country's than the US (:func:`dcplan.tz_places.zone_countries`: the tz
    database's zone tables) on a ``tariff.file`` whose rate item is a US utility's: its ``country`` the USA, or
    no country (URDB, whose format the file is in, is the US Utility Rate Database: its items are US utilities'
    unless their country says otherwise). Its prices, time-of-use hours and demand charges are another
    country's grid's, as :func:`dcplan.grid_lead_time.region_country_warning` says of a region, and it is
    issued beside it (:func:`dcplan.site_station.station_problems`: once the zone fits the weather station, so
    the zone's country is the site's). Nothing for a flat tariff, a rate of another country (its currency is
    :func:`dcplan.tariff_lint.country_message`'s), a zone the tables do not list, or a file that cannot be read
    (its problems are reported on ``tariff.file``)."""
    from .tariff_lint import US_COUNTRY
    from .tz_places import countries_text, zone_countries
    path = site.tariff_path
    zone_cc = zone_countries().get(site.timezone)
    if path is None or not zone_cc or "US" in zone_cc:
        return []
    try:
        st = path.stat()
    except OSError:
        return []
    rate = _rate_country(str(path), st.st_mtime_ns, st.st_size, site.tariff.label)
    if rate is None:
        return []
    country, utility = rate
    if country and country.upper() not in US_COUNTRY:
        return []
    what = f"country {country!r}" if country else "no country: URDB is the US Utility Rate Database"
    who = f"{utility}'s " if utility else "a US "
    return [f"{_where(site)}: tariff.file: {path.name} is {who}rate, a US utility's ({what}), but the site's "
            f"timezone {site.timezone!r} is a zone of {countries_text(zone_cc)}: its prices, time-of-use hours and "
            "demand charges are another country's grid's. Expected: the rates of the site's own utility, in the "
            "flat form (tariff.flat_usd_per_kwh with its source) or as a URDB-format file with their country and "
            "prices converted to USD"]


@functools.lru_cache(maxsize=32)
def _rate_country(path: str, mtime_ns: int, size: int, label: str | None) -> tuple[str, str] | None:
    """(``country``, ``utility``) of a URDB file's rate item, stripped ("" where absent), or None when it cannot be
    read; kept per file version (path, modification time, size): the check runs wherever a site's weather is read
    (:func:`dcplan.site_station.station_problems`), every case of a sweep included."""
    from .tariff_urdb import load_item
    try:
        item, _ = load_item(path, label)
    except InputError:
        return None
    low = {str(k).lower(): v for k, v in item.items()}
    utility = low.get("utility")
    return str(low.get("country") or "").strip(), utility.strip() if isinstance(utility, str) else ""


def grid_carbon_country_warnings(site) -> list[str]:
    """A site whose time zone is not a US zone (:func:`dcplan.tz_places.zone_countries`) keeping a
    ``grid_carbon_kg_per_mwh`` within :data:`EGRID_LB_MATCH_FRAC` of an EPA eGRID2022 US subregion's rate in kg/MWh
    (:data:`EGRID2022_LB_PER_MWH` x :data:`LB_TO_KG`: the bundled sites' figures): a copied US site's figure, not
    the site's grid. Issued beside :func:`tariff_country_warnings` (once the zone fits the weather station)."""
    from .tz_places import countries_text, zone_countries
    v = site.grid_carbon_kg_per_mwh
    zone_cc = zone_countries().get(site.timezone)
    if v is None or not zone_cc or "US" in zone_cc:
        return []
    sub = next((k for k, f in EGRID2022_LB_PER_MWH.items()
                if abs(v - f * LB_TO_KG) <= EGRID_LB_MATCH_FRAC * f * LB_TO_KG), None)
    if sub is None:
        return []
    return [f"{_where(site)}: grid_carbon_kg_per_mwh: {_num(v)} kg/MWh is EPA eGRID2022's {sub} subregion average, "
            f"a US grid's (data/SOURCES.md), but the site's timezone {site.timezone!r} is a zone of "
            f"{countries_text(zone_cc)}: every carbon figure of this site is another country's grid's. Expected: the "
            "location-based average of the site's own grid in kg CO2/MWh, with its source"]


def said_by_site(text: str, site_texts) -> bool:
    """Whether ``text`` is the weather loader's leap-day warning (:data:`LOADER_LEAP_WARNING`) about a
    file that one of ``site_texts`` (a site's warnings: :func:`leap_year_warnings`) already names:
    a run that loads the weather would otherwise say it twice, in the loader's shorter words."""
    m = re.match(LOADER_LEAP_WARNING, text)
    return m is not None and any("weather.year: " in t and f"file {m['file']} has" in t for t in site_texts)


def slip_warnings(site) -> list[str]:
    """Every warning of this module for ``site`` (see the module docstring)."""
    return (cost_override_warnings(site) + contract_demand_warnings(site) + time_to_power_warnings(site)
            + grid_carbon_warnings(site) + pv_size_warnings(site) + leap_year_warnings(site)
            + weather_timing_warnings(site))
