"""Caveats of a TCO run that the report states in words: how much of the NPV is the assumed sale
of the assets at the horizon, a site battery the TCO pays for that never discharges, where the
base case's NPV (and the NPV at the site's median grid delay) lies among its own Monte Carlo draws, an
income tax that is federal only, a phased campus's facility bought whole before its first phase, and a
fleet phase starting after the horizon.

Each function returns the report's sentence, or ``""`` when there is nothing to say; the ``tco``
notebook prints it and passes it to the finance export's caveats (``caveat_<key>`` rows), as
:func:`dcplan.tco_assumptions.pv_credit_note`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .tco import whole_months
from .tco_inputs import month_on_or_after
from .tco_delay import one_sided_inputs
from .tco_grid_dates import delay_whole_months

__all__ = ["RESIDUAL_SALE_SHARE_MAX", "residual_sale_note", "residual_sale_caveat", "economic_lives_text",
           "battery_idle_note",
           "BASE_TAIL_FRAC", "BASE_PERCENTILE_LABEL", "base_npv_shares", "base_percentile_note",
           "MEDIAN_DELAY_PERCENTILE_LABEL", "median_delay_percentile_note", "POWER_WAIT_LEAD",
           "power_wait_text", "FEDERAL_TAX_RATE_FRAC", "state_tax_note", "us_tax_rules_note", "FACILITY_CAPEX_LINES",
           "PHASED_FACILITY_GAP_MONTHS", "facility_phasing_note", "phase_after_horizon_note", "water_sewer_note"]

#: Above this share of a positive NPV, the residual sale at the horizon is said to carry the NPV: the
#: report names it with the NPV without it. Half: most of the NPV is then a sale assumed at book value,
#: not cash earned during the horizon (a finance reviewer's rule of thumb, not a standard).
RESIDUAL_SALE_SHARE_MAX = 0.5


#: The US federal corporate income tax rate, 26 U.S.C. 11(b) as amended by P.L. 115-97 (2017): ``data/costs.csv``'s
#: ``tax_rate_frac``, which charges no state income tax.
FEDERAL_TAX_RATE_FRAC = 0.21


def state_tax_note(result) -> str:
    """The report's sentence when the run's income tax rate is ``data/costs.csv``'s federal-only default.

    The default ``tax_rate_frac`` is the US federal rate, 21 %: no state corporate income tax, which 44
    states levy (North Carolina 2.25 % to New Jersey 11.5 % in 2025). A site sets its combined rate in
    ``finance.tax_rate_frac``, ``0.21 + s x (1 - 0.21)`` for a state rate ``s`` (state tax is deductible
    from federal taxable income): Illinois' 7 % + 2.5 % replacement tax gives 0.21 + 0.095 x 0.79 =
    0.28505. ``""`` when the rate was given (site, caller or scenario: its Assumptions row's source is not
    the ``data/costs.csv`` row) or the Assumptions have no tax rate.

    Parameters
    ----------
    result : TcoResult
        :func:`dcplan.tco.run_tco`'s result (its Assumptions row ``tax_rate_frac`` and the costs.csv range).

    >>> from dcplan.tco import TcoInputs, run_tco
    >>> note = state_tax_note(run_tco(TcoInputs(n_accelerators=8, it_capacity_kw=10.0, it_energy_kwh=8e4), 1e4))
    >>> note.startswith("Income tax: the US federal rate only, 21 % (data/costs.csv tax_rate_frac)")
    True
    """
    from .tco import load_costs
    a = result.assumptions.set_index("key")
    if "tax_rate_frac" not in a.index or not str(a.loc["tax_rate_frac", "source"]).startswith(
            "data/costs.csv row tax_rate_frac"):
        return ""
    rate = float(a.loc["tax_rate_frac", "value"])
    lo, hi = (float(load_costs().loc["tax_rate_frac", c]) for c in ("low", "high"))
    return (f"Income tax: the US federal rate only, {100 * rate:g} % (data/costs.csv tax_rate_frac): the base case charges "
            "no state income tax. In a state with a corporate income tax, set the site's combined rate in "
            f"finance.tax_rate_frac: {FEDERAL_TAX_RATE_FRAC:g} + s x (1 - {FEDERAL_TAX_RATE_FRAC:g}) for a state rate "
            f"s, state tax being deductible federally (for example Illinois, 9.5 %: 0.21 + 0.095 x 0.79 = 0.28505). The tornado "
            f"and the Monte Carlo take it from {100 * lo:.1f} % to {100 * hi:.1f} % (federal plus the top state rate, New Jersey's "
            "11.5 %), so its range lies at or above the base case's rate.")


def us_tax_rules_note(site) -> str:
    """The report's sentence for a site whose time zone is not a US zone (the tz database's zone tables,
    :func:`dcplan.tz_places.zone_countries`): the TCO's tax is US federal law throughout (the 21 % rate of
    26 U.S.C. 11(b), MACRS depreciation of IRC 168, bonus depreciation of 168(k), the IRC 48/48E PV credit
    it names), which the finance reader of a site in Italy or India must know. ``""`` for a US zone, or a
    zone the tables do not list.

    >>> from types import SimpleNamespace
    >>> us_tax_rules_note(SimpleNamespace(timezone="America/Chicago"))
    ''
    >>> us_tax_rules_note(SimpleNamespace(timezone="Europe/Rome"))[:79]
    "Tax: US federal rules, though the site's time zone Europe/Rome is not a US zone"
    """
    from .tz_places import zone_countries
    countries = zone_countries().get(str(getattr(site, "timezone", "")))
    if not countries or "US" in countries:
        return ""
    where = "/".join(sorted(countries))
    fin = getattr(site, "finance", None)
    own = getattr(fin, "tax_rate_frac", None) if fin is not None else None
    if own is None:
        costs = getattr(fin, "costs", None) or {}
        own = costs.get("tax_rate_frac") if hasattr(costs, "get") else None
    from .tco import load_costs
    lo, hi = (float(load_costs().loc["tax_rate_frac", c]) for c in ("low", "high"))
    if isinstance(own, Mapping):  # a schedule by calendar year (dcplan.tco_tax_schedule)
        from .tco_tax_schedule import as_schedule, schedule_text
        own_text = f"by calendar year, {schedule_text(as_schedule(own))}"
    elif own is not None:
        own_text = f"{100 * float(own):g} %"
    rate = (f"the site's own tax rate ({own_text}, finance.tax_rate_frac) is used, but MACRS depreciation "
            "(IRC 168) and its bonus (168(k)), the IRC 48/48E PV credit named and the tornado's and Monte Carlo's "
            f"tax range ({100 * lo:.3g} % federal to {100 * hi:.3g} % with a US state's) are US law and US figures"
            if own is not None else
            "the 21 % federal rate (26 U.S.C. 11(b)), MACRS depreciation (IRC 168) and its bonus (168(k)), and the "
            "IRC 48/48E PV credit named are US law. Set finance.tax_rate_frac to the country's rate")
    return (f"Tax: US federal rules, though the site's time zone {site.timezone} is not a US zone (a zone of "
            f"{where}): {rate}; the country's own depreciation schedules, allowances and credits are not modelled, "
            "so the after-tax figures are indicative only.")


def brownfield_note(site) -> str:
    """The report's sentence for an existing campus: a site whose interconnection has capacity in service
    (``in_service`` phases) and fleet phases running by the request's filing date. The TCO values the whole
    campus from its project start, so those halls' IT and the whole facility are bought in its cash flows as
    if still to be spent (not sunk), and the NPV is the campus's, not the expansion's: a brownfield
    developer's expansion added +26 M USD on the plan but -6 M at the median grid delay, while the campus's
    NPV read 85.5 M. ``""`` otherwise.

    >>> from types import SimpleNamespace as N
    >>> brownfield_note(N(interconnection=None, fleet=N(phases=())))
    ''
    """
    ic = getattr(site, "interconnection", None)
    if ic is None or not any(p.in_service for p in (ic.phases or ())):
        return ""
    running = [ph for ph in site.fleet.phases if ph.count > 0 and ph.start <= ic.filed]
    if not running:
        return ""
    halls = ", ".join(f"{ph.label or ph.hardware} (from {ph.start})" for ph in running)
    return (f"An existing campus: {halls} ran by the request's filing ({ic.filed}) on capacity already in service. The "
            "TCO values the whole campus from its project start: those halls' IT and the whole facility are bought "
            "in its cash flows as if still to be spent (not sunk), so the NPV is the campus's, not the expansion's. "
            "For the expansion's own value, render this notebook for a copy of the site file with only the "
            "existing halls (and the capacity in service) and take the difference of the NPVs, at the median grid "
            "delay too.")


#: The lead-in of :func:`dcplan.tco_ramp.power_wait_note`'s sentence.
POWER_WAIT_LEAD = "GPUs wait for grid power: "


def power_wait_text(note: str) -> str:
    """:func:`dcplan.tco_ramp.power_wait_note`'s sentence without its lead-in :data:`POWER_WAIT_LEAD`, for a
    figure whose label already says it (``power_wait_note``, "GPUs waiting for grid power"; the export's
    ``power_wait`` row): the report printed "GPUs waiting for grid power: GPUs wait for grid power: up to ...".
    ``""`` stays ``""``.

    >>> power_wait_text("GPUs wait for grid power: up to 655 GPUs for 5 months"), power_wait_text("")
    ('up to 655 GPUs for 5 months', '')
    """
    return note[len(POWER_WAIT_LEAD):] if note.startswith(POWER_WAIT_LEAD) else note


def _usd(x: float) -> str:
    return f"{x:,.0f} USD"


#: Short names of the asset classes of :data:`dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS` in the residual caveat.
_LIFE_NAMES = {"facility_shell": "shell", "facility_electrical": "electrical plant",
               "facility_mechanical": "mechanical plant", "interconnection": "interconnection", "pv": "PV",
               "battery": "battery"}


def economic_lives_text() -> str:
    """``"book value on estimated economic lives (dcplan.tco.ECONOMIC_LIFE_YEARS: shell 39, ... yr; IT its refresh
    cycle, at most 6), not varied in the tornado or Monte Carlo"``: what the residual sale rests on, its lives read from
    :data:`dcplan.tco_assumptions.ECONOMIC_LIFE_YEARS` (dcplan estimates, no source)."""
    from .tco_assumptions import ECONOMIC_LIFE_YEARS
    from .tco_it_life import IT_RESIDUAL_LIFE_MAX_YEARS
    lives = ", ".join(f"{_LIFE_NAMES.get(k, k)} {v:g}" for k, v in ECONOMIC_LIFE_YEARS.items())
    return (f"book value on estimated economic lives (dcplan.tco.ECONOMIC_LIFE_YEARS, estimates: {lives} yr; IT its "
            f"refresh cycle, at most {IT_RESIDUAL_LIFE_MAX_YEARS:g}), not varied in the tornado or Monte Carlo")


def residual_sale_note(result, case: str = "", key_suffix: str = "") -> str:
    """The report's sentence when the residual sale at the horizon carries the NPV.

    The model sells every asset at its residual (straight-line book) value at the end of the horizon
    (:mod:`dcplan.tco`); NPV and IRR count the sale, less the tax on its gain. Over a short horizon
    the assets are nearly new and that sale is most of the NPV (a 1-year NPV of +8 M USD was -158 M
    without it). Said when the NPV is positive and the sale's present value
    (``summary["residual_sale_pv_usd"]``) is more than :data:`RESIDUAL_SALE_SHARE_MAX` of it, with
    the NPV without it (``npv_without_residual_sale_usd``); ``""`` otherwise.

    Parameters
    ----------
    result : TcoResult
        :func:`dcplan.tco.run_tco`'s result: the report's case, or another case it publishes (the NPV at
        the site's median grid delay).
    case : str, optional
        Which case ``result`` is, after "The NPV" (e.g. ``"at the site's median grid delay (18 months)"``);
        ``""``: the report's own.
    key_suffix : str, optional
        The suffix of the published keys of that case's figures: ``"_grid_delay_p50"`` names
        ``residual_sale_pv_grid_delay_p50_usd`` and ``npv_without_residual_sale_grid_delay_p50_usd``.
    """
    s = result.summary
    npv, sale = s.get("npv_usd"), s.get("residual_sale_pv_usd")
    if npv is None or sale is None or not npv > 0 or not sale > RESIDUAL_SALE_SHARE_MAX * npv:
        return ""
    rest = npv - sale
    years = len(result.annual.columns)
    sale_key, rest_key = f"residual_sale_pv{key_suffix}_usd", f"npv_without_residual_sale{key_suffix}_usd"
    which = f"The NPV {case}, {_usd(npv)}," if case else f"The NPV of {_usd(npv)}"
    head = (f"{which} rests on the assumed sale of every asset at its residual (book) value at the "
            f"end of the {years}-year horizon: that sale, less the tax on its gain, is worth {_usd(sale)} at the "
            f"project start ({sale_key}), ")
    if rest <= 0:
        body = (f"more than the whole NPV: without it the NPV is {_usd(rest)} ({rest_key}), "
                "so the NPV is positive only because of the sale. ")
    else:
        body = f"{sale / npv:.0%} of the NPV; without it the NPV is {_usd(rest)} ({rest_key}). "
    return (head + body + "The IRR counts the sale too and the levelized unit costs net the residual value out of "
            "the costs; the paybacks leave it out. A sale at book value assumes a buyer at that price at the "
            f"horizon; the sale is at {economic_lives_text()}; a longer horizon_years relies less on it.")


def residual_sale_caveat(result) -> str:
    """The short form of :func:`residual_sale_note` for a figure's label: ``"positive only because of the
    assumed residual sale at the horizon (PV <sale> USD; without it <rest> USD; book value on estimated economic
    lives ...)"`` or ``"<share> of it is the assumed residual sale at the horizon (PV ...; without it ...; ...)"``
    (:func:`economic_lives_text`); ``""`` when the note says nothing.
    """
    if not residual_sale_note(result):
        return ""
    s = result.summary
    npv, sale = s["npv_usd"], s["residual_sale_pv_usd"]
    rest = npv - sale
    what = ("positive only because of the assumed sale of every asset at book value at the horizon" if rest <= 0
            else f"{sale / npv:.0%} of it is the assumed sale of every asset at book value at the horizon")
    return f"{what} (that sale's PV {_usd(sale)}; without it {_usd(rest)}; {economic_lives_text()})"


def battery_idle_note(interconnection, dispatch: pd.DataFrame | None, result) -> str:
    """The report's sentence when the site's battery never discharges over the typical year, yet the
    TCO pays for it.

    The pipeline dispatches ``interconnection.battery`` against the net load behind the meter
    (:func:`dcplan.grid.battery_dispatch`, ``SiteYear.battery``); with ``target: contract`` it only
    shaves the grid draw above the contracted capacity, so a load that never reaches it leaves the
    battery idle and the bill as without it, while the TCO charges its capex
    (``capex_battery_usd``) and its O&M, insurance and property tax. ``target: demand`` (shave each
    month's peak, the demand charge) would use it. ``""`` when there is no battery, it discharges, or
    the TCO charges nothing for it.

    Parameters
    ----------
    interconnection : InterconnectionSpec or None
        The site's ``interconnection`` section (its ``battery``).
    dispatch : DataFrame or None
        The battery's dispatch over the typical year (``SiteYear.battery``: ``load_kw``,
        ``target_kw``, ``discharge_kw`` [kW]).
    result : TcoResult
        :func:`dcplan.tco.run_tco`'s result (the battery's capex).
    """
    from .grid_battery import battery_idle_reason  # the words the interconnection notebook prints
    what, fix = battery_idle_reason(getattr(interconnection, "battery", None), dispatch)
    if not what:
        return ""
    m = result.monthly
    capex = float(m["capex_battery_usd"].sum()) if "capex_battery_usd" in m else 0.0
    if not capex > 0:
        return ""
    return (f"{what}. The electricity bill is the same as without it, yet the TCO pays its {_usd(capex)} capex and "
            f"its O&M, insurance and property tax. {fix}.")


#: The base case is said to be a tail outcome of its own Monte Carlo when fewer than this share of the
#: draws reach it (at or above: the base above the draws' 75th percentile) or fall to it (at or below:
#: below their 25th): outside the interquartile range a "base case" no longer reads as a central
#: estimate (the quartiles are the usual bounds of a central range; a reviewer's rule, not a standard).
BASE_TAIL_FRAC = 0.25

#: Label of the published figure ``mc_npv_base_percentile_frac`` (results.json, the export's Summary).
BASE_PERCENTILE_LABEL = ("Base case's NPV as a percentile of the Monte Carlo NPVs (share of the draws with NPV at "
                         "or below the base case's; 0.95 = the 95th percentile: only about 5 % of the draws reach it)")


#: Label of the published figure ``mc_npv_grid_delay_p50_percentile_frac`` (results.json, the export's Summary):
#: where the report's first headline, the NPV at the site's median grid delay, lies among the Monte Carlo's draws.
MEDIAN_DELAY_PERCENTILE_LABEL = (
    "NPV at the site's median grid delay (npv_grid_delay_p50_usd) as a percentile of the Monte Carlo NPVs (share of "
    "the draws with NPV at or below it; the draws take the grid delay from the site's own distribution and every "
    "other input over its range, while that case holds them at their base values: 0.90 = the 90th percentile, only "
    "about 10 % of the draws reach it)")


def base_npv_shares(npv_draws, base_npv: float) -> tuple[float, float]:
    """Where the base case's NPV lies among the Monte Carlo draws.

    Parameters
    ----------
    npv_draws : array-like
        The draws' NPV (:func:`dcplan.tco_uncertainty.monte_carlo`'s ``npv_usd``); non-finite
        draws are left out. [USD]
    base_npv : float
        The base (deterministic) case's NPV. [USD]

    Returns
    -------
    (float, float)
        ``(at_or_below, at_or_above)``: the shares of the finite draws with NPV <= and >= the base
        case's [frac]. The first is the base case's percentile in the draws (the notebook's pXX
        convention: XX % of the draws at or below); they add up to 1 plus the share of ties. NaN
        for both with no finite draw.

    >>> base_npv_shares(range(1, 101), 96.5)   # draws 1..100: 96 at or below, 4 (97..100) at or above
    (0.96, 0.04)
    """
    x = np.asarray(npv_draws, dtype=float)
    x = x[np.isfinite(x)]
    if not len(x) or not math.isfinite(base_npv):
        return math.nan, math.nan
    return float((x <= base_npv).mean()), float((x >= base_npv).mean())


def _m(x: float) -> str:
    return f"{x / 1e6:,.1f} M USD"


def base_percentile_note(npv_draws, base_npv: float, distributions, base, tornado: pd.DataFrame | None = None,
                         held: str = "", inputs=None, case: str = "") -> str:
    """The report's sentence when the base case's NPV is a tail outcome of its own Monte Carlo.

    Said when fewer than :data:`BASE_TAIL_FRAC` of the draws reach the base case's NPV (at or above
    it: the base above the draws' 75th percentile, an optimistic case) or fall to it (at or below: a
    pessimistic one), with the share of the draws at or above it, its percentile and the draws'
    median. It names the inputs whose base value sits at the end of a one-sided range
    (:func:`dcplan.tco_delay.one_sided_inputs`: a triangular range with its mode at an end, the
    site's grid delay with the case's at or beyond every draw) that favours the case's side: for an
    optimistic case the end that raises the NPV. Which end raises it is read from the ``tornado``
    (:func:`dcplan.tco_uncertainty.tornado` of ``npv_usd``, the same inputs): a base at the low end
    is the favourable end when raising the input lowers the NPV (``metric_at_high`` below
    ``base_metric``), a base at the high end when lowering it does (``metric_at_low`` below it). An
    input the tornado does not swing is not named. ``""`` when the base case lies within the draws'
    25th-75th percentile, or there are no finite draws.

    Parameters
    ----------
    npv_draws : array-like
        The draws' NPV. [USD]
    base_npv : float
        The base (deterministic) case's NPV. [USD]
    distributions : mapping of str to tuple
        The Monte Carlo's distributions (:func:`dcplan.tco_uncertainty.monte_carlo`).
    base : mapping of str to float
        The case's inputs (``TcoInputs.params()``).
    tornado : DataFrame, optional
        The tornado of ``npv_usd`` (``input, metric_at_low, metric_at_high, base_metric``).
    held : str, optional
        What every draw holds at the case's value, set by the scenario
        (:func:`dcplan.tco_mc_notes.scenario_held_text`: the ``grid-delay-p90`` scenario's delay at the
        site's 90th percentile). The percentile then ranks the case among draws that share it: the
        sentence says it is an outcome of the other inputs' ranges, and that it says nothing of the held
        ones (a case at the p90 delay is not optimistic about the grid).
    inputs : TcoInputs, optional
        The case: its ``delay_months`` in ``base`` is put in whole months as its ramp runs it
        (:func:`dcplan.tco_grid_dates.delay_whole_months`, the month rule); without it, rounded half up.
    case : str, optional
        The words naming another case than the base (:func:`median_delay_percentile_note`); ``""``: the base
        case's NPV.
    """
    below, above = base_npv_shares(npv_draws, base_npv)
    if math.isnan(below) or (above >= BASE_TAIL_FRAC and below >= BASE_TAIL_FRAC):
        return ""
    x = np.asarray(npv_draws, dtype=float)
    x = x[np.isfinite(x)]
    optimistic = above < BASE_TAIL_FRAC
    median = float(np.median(x))
    ranges = "the other inputs' ranges" if held else "these ranges"
    subject = case or "The base case's NPV"
    if optimistic:
        head = (f"{subject}, {_m(base_npv)}, is at percentile {100 * below:.1f} of its own Monte Carlo "
                f"({len(x):,} draws): only {above:.1%} of the draws reach it (NPV at or above it), so it is an "
                f"optimistic outcome of {ranges}, not a central estimate (Monte Carlo median {_m(median)}).")
    else:
        head = (f"{subject}, {_m(base_npv)}, is at percentile {100 * below:.1f} of its own Monte Carlo "
                f"({len(x):,} draws): {above:.1%} of the draws reach it (NPV at or above it), so it is a "
                f"pessimistic outcome of {ranges}, not a central estimate (Monte Carlo median {_m(median)}).")
    if case:
        head += (" Its grid delay is the site's median, but its other inputs are at their base values, which the "
                 "draws spread over their ranges: the NPV at the median delay is not the median NPV.")
    if held:
        head += (f" Every draw shares what the scenario sets ({held}): this percentile ranks the case on the other "
                 "inputs only and says nothing of the held ones.")
    tr = tornado.set_index("input") if tornado is not None and "input" in tornado.columns else None
    named = []
    for k, why in one_sided_inputs(distributions, base, inputs).items():
        if tr is None or k not in tr.index:
            continue
        d = distributions[k]
        if d[0] == "triangular":             # ("triangular", low, mode = base, high)
            low_end = d[2] <= d[1]
        else:                                # ("quantiles", q, values): the case at or below every draw
            b = float(base[k])
            # the delay in whole months as the case runs it (the month rule, dcplan.tco_grid_dates; ``inputs``)
            low_end = (float(delay_whole_months(inputs, b)) if k == "delay_months" else b) <= float(np.min(d[2]))
        row = tr.loc[k]
        b, at_lo, at_hi = (float(row[c]) for c in ("base_metric", "metric_at_low", "metric_at_high"))
        # the base end is the one that raises the NPV when moving away from it lowers it
        raises = at_hi < b if low_end else at_lo < b
        lowers = at_hi > b if low_end else at_lo > b
        if raises if optimistic else lowers:
            move = ("raising it" if low_end else "lowering it") + (" lowers the NPV" if optimistic else " raises the NPV")
            named.append(f"{k} ({why}; {move})")
    if not named:
        return head
    side = "optimistic" if optimistic else "pessimistic"
    return (head + f" Inputs whose base value sits at the {side} end of a one-sided range: " + "; ".join(named)
            + ". The draws can only move these inputs away from the base case, towards a "
            + ("lower" if optimistic else "higher") + " NPV.")


def median_delay_percentile_note(npv_draws, npv: float, months_used: float, distributions, base,
                                 tornado: pd.DataFrame | None = None, held: str = "", inputs=None) -> str:
    """The report's sentence when the NPV at the site's median grid delay (``npv_grid_delay_p50_usd``, the tco
    report's first headline) is a tail outcome of the Monte Carlo: :func:`base_percentile_note` of that case.

    The case runs the site's median delay with every other input at its base value (the mode of its triangular
    range); the draws take the delay from the site's own distribution and the other inputs over their ranges,
    several of them skewed or one-sided. So the NPV at the median delay need not be the median NPV: at every
    bundled site (base scenario, 10,000 draws) it lay at the 89th to 91st percentile of the draws, with a
    probability of NPV < 0 of 47 to 83 %, while nothing said so (only the base case's percentile was given).
    Compare it only with draws that take the delay from the site's distribution (the ``base`` scenario, not
    ``grid-delay-p90``, whose draws all hold the 90th-percentile delay).

    Parameters
    ----------
    npv_draws : array-like
        The draws' NPV. [USD]
    npv : float
        The NPV at the site's median grid delay. [USD]
    months_used : float
        That delay in whole months as the case runs it (:class:`dcplan.tco_delay.MedianDelayCase`). [months]
    distributions, base, tornado, held, inputs
        As :func:`base_percentile_note`, of the median-delay case: ``base`` its ``params()`` (its delay at the
        site's median, inside the draws: not a one-sided input), ``inputs`` its :class:`dcplan.tco.TcoInputs`.

    Returns
    -------
    str
        ``""`` when the NPV lies within the draws' 25th-75th percentile (:data:`BASE_TAIL_FRAC`).
    """
    return base_percentile_note(npv_draws, npv, distributions, base, tornado, held=held, inputs=inputs,
                                case=f"The NPV at the site's median grid delay ({months_used:.0f} months)")


#: The TCO's capex lines of the facility and its interconnection, bought over the build before the fleet's first
#: phase (:mod:`dcplan.tco`): the whole campus at once, whatever the fleet's phases.
FACILITY_CAPEX_LINES = ("capex_facility_shell_usd", "capex_facility_electrical_usd", "capex_facility_mechanical_usd",
                        "capex_interconnection_usd", "capex_pv_usd", "capex_battery_usd")

#: Fleet phases starting more than this many months after the first are said to be built later than the
#: facility the TCO buys for them (:func:`facility_phasing_note`): a year, within which a campus would build its
#: halls together (a reviewer's rule, not a standard). [months]
PHASED_FACILITY_GAP_MONTHS = 12


def _phases(fleet):
    """``(index, phase, month, design IT kW)`` of each phase of at least one unit: its start counted from the
    first whole month on or after it (as the TCO counts it), its design IT as
    :func:`dcplan.power.fleet_design_it_kw` of the phase alone (caps and diversity_frac applied)."""
    from .power_fleet import fleet_design_it_kw
    return [(i, ph, month_on_or_after(ph.start), fleet_design_it_kw(fleet.model_copy(update={"phases": (ph,)})))
            for i, ph in enumerate(fleet.phases) if ph.count > 0]


def _facility_capex(result) -> float:
    m = result.monthly
    return float(sum(m[k].sum() for k in FACILITY_CAPEX_LINES if k in m))


def _named(i, ph) -> str:
    return f"{ph.label} (fleet.phases[{i}])" if ph.label else f"fleet.phases[{i}]"


def facility_phasing_note(fleet, inputs, result) -> str:
    """The report's sentence when the fleet's phases start more than :data:`PHASED_FACILITY_GAP_MONTHS` apart.

    The TCO buys the whole facility and its interconnection (:data:`FACILITY_CAPEX_LINES`: shell, electrical and
    mechanical plant, interconnection, PV, battery) over the ``build_months`` before the fleet's first phase and
    carries it from the end of the build (maintenance, insurance and property tax; operations staff from the first
    GPU), whatever the phases: no input phases the facility. A campus that builds hall by hall spends later, so the
    NPV is conservative by the value of that deferral. The sentence sizes it: the facility capex of the phases
    starting more than :data:`PHASED_FACILITY_GAP_MONTHS` after the first, at their share of the fleet's design IT
    (each phase's :func:`dcplan.power.fleet_design_it_kw`). ``""`` when every phase starts within that gap of the
    first, or the TCO buys no facility.

    Parameters
    ----------
    fleet : FleetSpec
        The site's ``fleet:`` section.
    inputs : TcoInputs
        The case's inputs (``build_months``).
    result : TcoResult
        :func:`dcplan.tco.run_tco`'s result (its facility capex, its calendar months).
    """
    rows = _phases(fleet)
    if not rows:
        return ""
    first = min(m for _, _, m, _ in rows)
    late = [r for r in rows if (r[2] - first).n > PHASED_FACILITY_GAP_MONTHS]
    capex, design = _facility_capex(result), sum(r[3] for r in rows)
    if not late or not capex > 0 or not design > 0 or not inputs.it_capacity_kw > 0:
        return ""
    late_kw = sum(r[3] for r in late)
    share = late_kw / design
    build = int(whole_months(inputs.params()["build_months"]))
    each = "; ".join(f"{_named(i, ph)} from {m} ({(m - first).n} months after the first)" for i, ph, m, _ in late)
    return (f"The facility is bought at once: the TCO buys the whole facility and its interconnection (shell, "
            f"electrical and mechanical plant, interconnection, PV, battery: {_m(capex)} for "
            f"{inputs.it_capacity_kw:,.0f} kW of design IT) over the {build} months of the build before the first phase ({first}), and carries its "
            "maintenance, insurance and property tax from then (operations staff from the first GPU), though "
            f"phases start more than {PHASED_FACILITY_GAP_MONTHS} months later: {each}. Their share of the design "
            f"IT, {share:.1%} ({late_kw:,.0f} kW), is {_m(share * capex)} of that facility capex. A campus that "
            "builds hall by hall spends it later and carries less meanwhile, so this NPV is conservative by the "
            "value of that deferral (no input phases the facility capex).")


def phase_after_horizon_note(fleet, inputs, result) -> str:
    """The report's sentence when a fleet phase (of at least one unit) starts after the TCO's horizon: the model
    buys none of its IT and it earns nothing (its tranche starts after the last month), while its share of the
    facility (:func:`facility_phasing_note`'s share of the design IT) is bought and carried with the rest, and
    ``n_accelerators`` still counts its accelerators. Names each such phase, its start and the horizon's last
    month. ``""`` when every phase starts within the horizon, or the case is undated."""
    cal = result.calendar_months
    rows = _phases(fleet)
    if cal is None or not len(cal) or not rows:
        return ""
    end = cal[-1]
    late = [r for r in rows if r[2] > end]
    if not late:
        return ""
    from .power import hardware
    design = sum(r[3] for r in rows)
    capex = _facility_capex(result)
    acc = sum(ph.count * hardware(ph.hardware).accelerators_per_unit for _, ph, _, _ in late)
    share = sum(r[3] for r in late) / design if design > 0 else 0.0
    each = "; ".join(f"{_named(i, ph)}, {ph.count:,} x {ph.hardware}, from {ph.start}" for i, ph, _, _ in late)
    one = len(late) == 1
    it, its = ("it", "its") if one else ("they", "their")
    return (f"Phases after the horizon: {each}: {it} start{'s' if one else ''} after the TCO's horizon ends ({end}: "
            f"horizon_years {inputs.horizon_years} from the project start {cal[0]}), so {its} IT ({acc:,} "
            f"accelerators, counted in n_accelerators) is never bought and earns nothing, while {its} share of the "
            f"facility, {share:.1%} of the design IT ({_m(share * capex)}), is bought and carried with the rest. "
            f"Lengthen finance.horizon_years to count {'it' if one else 'them'}, or leave "
            f"{'the phase' if one else 'them'} out of the site.")


def water_sewer_note(result) -> str:
    """How the cooling towers' make-up water is billed, from the run's Assumptions: ``"Water and sewer: water
    1.34019 USD/m3 (the site's own figure) on every m3 of the cooling towers' make-up; sewer 1.5 USD/m3 (estimate)
    on 0.6819 of it: derived: site.finance.sewer_billing: winter_average, ..."``, the last part the source of
    ``sewer_billed_frac`` (the billing rule, :func:`dcplan.tco_site_plant.site_sewer_billed`). ``""`` when no
    year bills any water (``opex_water_usd`` all 0: a plant without evaporative cooling) or the Assumptions lack
    the rows (a caller's own result). The report says the basis the Assumptions sheet gives; the Monthly sheet
    bills it (``opex_water_usd`` = make-up x water price, ``opex_sewer_usd`` = make-up x share x sewer price)."""
    a = result.assumptions.set_index("key")
    keys = ("water_usd_per_m3", "sewer_usd_per_m3", "sewer_billed_frac")
    annual = result.annual
    if any(k not in a.index for k in keys) or "opex_water_usd" not in annual.index:
        return ""
    if not float(annual.loc["opex_water_usd"].abs().sum()) > 0:
        return ""
    w, s, f = (float(a.loc[k, "value"]) for k in keys)

    def status(k: str) -> str:  # the Assumptions' status; "input": the site's (or caller's) own figure
        st = str(a.loc[k, "status"])
        return "the site's own figure" if st == "input" else st
    return (f"Water and sewer: water {w:g} USD/m3 ({status('water_usd_per_m3')}) on every m3 of the cooling "
            f"towers' make-up; sewer {s:g} USD/m3 ({status('sewer_usd_per_m3')}) on {f:.4g} of it: "
            f"{a.loc['sewer_billed_frac', 'source']}.")
