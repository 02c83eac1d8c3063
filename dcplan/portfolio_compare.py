"""The ``portfolio_comparison`` notebook's table, score and headline, as functions.

:func:`comparison_table` runs every site's typical year (:func:`dcplan.pipeline.run_site_year`)
and puts its figures beside the cost and carbon per installed GPU-hour and per million tokens
(:func:`dcplan.portfolio_score.unit_figures`). :func:`compare` scores the table
(:func:`dcplan.portfolio_score.weighted_score`) on a basis — per million tokens (``"tokens"``,
comparable across GPU generations) or per installed GPU-hour (``"gpu_h"``, comparable only
between fleets of one generation) — and says, for every site that is not scored, which
site-file section it lacks (``"no tariff"``), and what the best site depends on: the best site
on the other basis, and the fleets whose tokens borrow the H100 figure
(:func:`dcplan.power.borrowed_throughput`).

Time to power is scored by *when* power arrives, not by how long each site waits from its
own filing: sites file on different dates, so months from filing rank a site that filed
earlier as slower although its power may come first. The score's criterion
``first_power_months`` is the median date the site's new capacity is first energized
(``first_energized_p50``: the first phase not already in service, :func:`dcplan.grid.first_power`'s
``new_power``; for a greenfield site its first phase) as calendar months after the earliest such date
among the compared sites (:func:`first_power_months`). Capacity already in service on an
existing campus powers its running halls, not the planned new ones, so its date is not what
is ranked: it is shown apart (``in_service_since``). The months from filing
(``time_to_power_median_months``) are shown beside it, labelled "from filing".
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import grid, pipeline, power
from .errors import InputError
from .peer_warnings import as_site
from .portfolio_score import Score, weighted_score
from .power_tokens import OWN_THROUGHPUT_SOURCE, scenario_caveat

__all__ = ["BASES", "FIGURES", "site_row", "first_power_months", "months_after", "comparison_table", "basis_columns",
           "lacks",
           "Comparison", "compare", "WEIGHT_PARAMETERS", "CRITERIA", "SCALING", "score_criteria", "weights_text",
           "weights_table", "worst_possible_score", "tie_note", "portfolio_description", "description_text",
           "SWEEP_OBJECTIVES", "front_objectives", "front_note", "sweep_case_table", "case_text", "as_specified",
           "CARBON_BASIS", "plant_short", "throughput_rates", "TIE_TOLERANCE"]

#: Bases of the electricity and carbon criteria.
BASES = ("tokens", "gpu_h")

#: The intensity every grid carbon figure of the comparison is counted at (grid import x it): each
#: site file's one ``grid_carbon_kg_per_mwh`` for every hour, on the scope 2 basis that site file
#: gives (``grid_carbon_basis``: location by default; :mod:`dcplan.site_carbon`). No publication
#: is claimed for it: each site's own basis and source are in its site_analysis carbon labels
#: (:func:`dcplan.site_carbon.carbon_basis_text`); a market-based figure is ranked beside the others
#: as given (:func:`dcplan.site_slips.grid_carbon_warnings` warns of a 0 not declared market-based, and
#: :func:`comparison_table` of sites on mixed bases: :func:`dcplan.site_carbon.mixed_basis_warning`).
CARBON_BASIS = ("each site file's flat annual-average grid_carbon_kg_per_mwh for every hour, on the scope 2 basis "
                "the site file gives (grid_carbon_basis: location-based, the default, for the average of the grid "
                "where the energy is used; market-based for a supplier's, PPA's or certificates' figure; each "
                "site's basis and source are in its site_analysis carbon labels); CO2 only, not CO2e; no hourly or "
                "marginal signal")

#: Figures of the comparison: column -> (label, unit).
FIGURES = {
    "annual_pue": ("PUE", None),
    "free_cooling_h": ("free cooling: hours with no compressor running anywhere in the plant (plant model at each "
                       "hour's IT load, as site_analysis's free_cooling_h; not site_climate's screen of the tower "
                       "alone at full design heat)", "h"),
    "derate_h": ("derate", "h"),
    "derate_max_kw": ("IT heat the plant cannot remove, worst hour of the typical year (0: the plant carries the "
                      "hour's IT load in every hour)", "kW"),
    "facility_mwh": ("facility energy", "MWh"),
    "bill_usd": ("electricity bill, the typical year at its tariff's own prices (tariff_price_date), not escalated",
                 "USD"),
    "bill_at_common_date_usd": ("electricity bill at the common price date (cost_price_date): the typical year's bill "
                                "escalated from its tariff's price date at electricity_escalation_frac in whole "
                                "12-month steps, as the tco notebook escalates it", "USD"),
    "escalation_factor": ("escalation of the bill to the common price date (cost_price_date): (1 + "
                          "electricity_escalation_frac) ** whole 12-month steps from its tariff's price date", None),
    "usd_per_m_tokens": ("electricity per million tokens at the common price date (cost_price_date): the bill "
                         "escalated to that date + on-site PV's and battery's cost a year", "USD/M tokens"),
    "usd_per_gpu_h": ("electricity per installed GPU-hour at the common price date (cost_price_date): the bill "
                      "escalated to that date + on-site PV's and battery's cost a year", "USD/GPU-h"),
    "first_energized_p50": ("first power for new capacity, median date (the first phase not already in service; "
                            "capacity already in service is dated apart: in_service_since)", None),
    "first_power_months": ("first power for new capacity, median: calendar months after the earliest scored "
                           "site's median date", "months"),
    "time_to_power_median_months": ("time to power from filing, median", "months"),
    "time_to_power_median_unconditioned_months": ("time to power from filing, median, over the whole wait from filing "
                                                  "(not given the months waited): what a new request would face",
                                                  "months"),
    "carbon_g_per_m_tokens": (f"grid carbon per million tokens: grid import (net of on-site PV used on site or "
                              f"stored, counted at 0) x {CARBON_BASIS}", "g CO2/M tokens"),
    "carbon_kg_per_gpu_h": (f"grid carbon per installed GPU-hour: grid import (net of on-site PV used on site or "
                            f"stored, counted at 0) x {CARBON_BASIS}", "kg CO2/GPU-h"),
    "tokens_per_s_per_accelerator": ("example throughput", "tokens/s per GPU"),
    "wue_l_per_kwh": ("cooling-tower water per kWh of IT energy (WUE, evaporation + blowdown)", "L/kWh"),
    "water_m3": ("cooling-tower water a year: WUE x IT energy", "m3"),
    "tariff_price_date": ("date the tariff's prices are at (its startdate: dcplan.tco_electricity.tariff_price_date)", None),
}

# why a site has no figure: the figure a unit figure comes from, and the site-file section it lacks
_SOURCE = {"usd_per_gpu_h": "bill_usd", "usd_per_m_tokens": "bill_usd", "bill_at_common_date_usd": "bill_usd",
           "escalation_factor": "bill_usd",
           "carbon_kg_per_gpu_h": "grid_carbon_t", "carbon_g_per_m_tokens": "grid_carbon_t"}
_TTP = ("time_to_power_median_months", "first_energized_p50", "first_power_months")
# the months from filing, which a site with every phase in service has none of (its site_row's time_to_power_reason)
_TTP_MONTHS = ("time_to_power_p10_months", "time_to_power_median_months", "time_to_power_p90_months")
_LACKS = {"bill_usd": "no tariff", "grid_carbon_t": "no grid carbon figure",
          **{c: "no interconnection request" for c in _TTP}}
_NONE_HAS = {"bill_usd": "no site of the portfolio has a tariff: section",
             "grid_carbon_t": "no site of the portfolio has a grid_carbon_kg_per_mwh figure",
             **{c: "no site of the portfolio has an interconnection: section" for c in _TTP}}
_OTHER_BASIS = {"usd_per_m_tokens": "usd_per_gpu_h", "carbon_g_per_m_tokens": "carbon_kg_per_gpu_h",
                "usd_per_gpu_h": "usd_per_m_tokens", "carbon_kg_per_gpu_h": "carbon_g_per_m_tokens"}


def site_row(s, y=None, *, tokens_per_s_per_accelerator: float = 0.0) -> dict:
    """A site's :func:`dcplan.pipeline.figures` plus what :func:`unit_figures` needs: the
    weather year's hours (8,784 in a leap year), the fleet's utilisation and its throughput per
    accelerator (``tokens_per_s_per_accelerator`` when > 0, else the fleet's example
    throughput, :func:`dcplan.power.example_throughput`, whose key is ``throughput_key``).
    ``y``: the site's :func:`dcplan.pipeline.run_site_year`, when already run (without it, a row another run of
    the render modelled already is read back: :mod:`dcplan.site_rows_shared`).

    A site with an ``interconnection:`` section also gets the dates its new capacity is first
    energized at the 10th, 50th and 90th percentile of the wait (``first_energized_p10``,
    ``first_energized_p50``, ``first_energized_p90``: :func:`dcplan.grid.first_power`'s ``new_power``,
    the first phase not already in service; for a site with nothing in service its first phase, as the
    interconnection notebook publishes it) and the date its capacity already in service has been since
    (``in_service_since``, NaT when none: an existing campus's running halls, not ranked). When every phase
    with capacity is in service its time to power from filing is NaN (:func:`dcplan.pipeline.figures`,
    :func:`dcplan.grid.no_pending_note`) and ``time_to_power_reason`` says why, "no pending capacity (all 10 MW
    in service)" (:func:`lacks` gives it); its first power is the in-service date, as ranked. Its time to power
    and dates are given the months already waited without power by the plan's date
    (:func:`dcplan.plan_dates.with_wait`), as the interconnection notebook's; ``time_to_power_given`` says so,
    "given 9.0 months waited without power by 2025-03-01" (:func:`dcplan.grid.wait_words`; ``""`` when none), and
    ``time_to_power_median_unconditioned_months`` is then the median over the whole wait from filing, as
    site_analysis publishes it (:func:`dcplan.portfolio_power.power_columns`)."""
    if y is None:
        from .site_rows_shared import shared_row
        return shared_row(s, tokens_per_s_per_accelerator, lambda: site_row(
            s, pipeline.run_site_year(s), tokens_per_s_per_accelerator=tokens_per_s_per_accelerator))
    rate, key = ((tokens_per_s_per_accelerator, "parameter") if tokens_per_s_per_accelerator > 0
                 else power.example_throughput(s))
    row = {**pipeline.figures(y), "hours_h": float(len(y.weather)), "utilisation_frac": s.fleet.utilisation_frac,
           "tokens_per_s_per_accelerator": rate, "throughput_key": key,
           # the worst hour's IT heat the plant cannot remove (dcplan.thermal_plant.plant_hourly derate_kw)
           "derate_max_kw": float(y.plant["derate_kw"].max()) if "derate_kw" in y.plant else 0.0}
    if s.interconnection is not None:  # its dates, and what they are given (dcplan.portfolio_power)
        from .portfolio_power import power_columns
        row.update(power_columns(s))
    return row


def first_power_months(dates: pd.Series) -> pd.Series:
    """Months from the earliest of ``dates`` to each date: a common reference for every site.

    Calendar months (:func:`dcplan.grid._months_between`: whole months, then the fraction of the next month's
    days), the convention the dates themselves are built with (``first_energized_p50`` is the filing date plus
    the months to power, :func:`dcplan.grid._add_months`), so a date read back as months agrees with it to the
    day; months of 30.4375 days differed by 1-2 days over half a year. NaN where there is no date (NaT: no
    interconnection request). Any common reference ranks and min-max scales the sites alike; the earliest
    site's date reads as 0.

    Examples
    --------
    >>> first_power_months(pd.Series(pd.to_datetime(["2028-02-29", "2028-08-26", None]), index=list("abc")))
    a    0.000000
    b    5.903226
    c         NaN
    Name: first_power_months, dtype: float64
    """
    d = pd.to_datetime(pd.Series(dates))
    return months_after(d, d.min())


def months_after(dates: pd.Series, ref) -> pd.Series:
    """Calendar months from ``ref`` to each of ``dates`` (:func:`dcplan.grid._months_between`; negative before
    ``ref``), NaN where a date (or ``ref``) is NaT, named ``first_power_months``."""
    d = pd.to_datetime(pd.Series(dates))
    return d.map(lambda x: grid._months_between(ref, x) if pd.notna(x) and pd.notna(ref) else float("nan")
                 ).astype(float).rename("first_power_months")


def comparison_table(sites, *, price_date: str | None = None) -> pd.DataFrame:
    """:func:`site_row` of every site joined with its :func:`unit_figures`, indexed by site id.

    The electricity costs per GPU-hour and per million tokens are of each site's bill restated at one price
    date (:func:`dcplan.portfolio_prices.at_common_date`: ``cost_price_date``, by default the latest tariff price
    date among the sites; ``escalation_factor``, ``bill_at_common_date_usd``), escalated as the TCO escalates a
    bill (:func:`dcplan.tco_electricity.price_escalation`): the bills at their tariffs' own prices are of
    different years (the bundled ones 3.2 years apart) and ranked unlike with unlike. ``bill_usd`` stays the
    bill at its tariff's own prices.

    Every column of :data:`FIGURES`, the time-to-power percentiles, the first-energization
    dates and ``in_service_since`` are there, NaN (NaT for the dates) for a site without the figure
    (no ``tariff:`` or ``interconnection:`` section; NaT in ``in_service_since``: nothing in
    service; NaN months from filing with ``time_to_power_reason`` for a site with every phase in service:
    :func:`site_row`). ``first_power_months`` is :func:`first_power_months` of ``first_energized_p50`` across
    these sites.

    A :class:`~dcplan.errors.DcplanWarning` raised while a site is modelled is re-issued naming it,
    ``site <name> (<id>): <message>`` (:func:`dcplan.peer_warnings.as_site`): with 20 sites, "hourly
    plant: in 234 h ..." did not say which site's plant. Sites whose grid carbon figures are on different
    scope 2 bases are warned of (:func:`dcplan.site_carbon.mixed_basis_warning`)."""
    import warnings

    from .errors import DcplanWarning
    from .site_carbon import mixed_basis_warning
    sites = list(sites)
    if (mixed := mixed_basis_warning(sites)) is not None:
        warnings.warn(mixed, DcplanWarning, stacklevel=2)
    rows = []
    for s in sites:
        with as_site(s.name, s.id):
            rows.append(site_row(s))
    t = pd.DataFrame(rows).set_index("site")
    from .portfolio_prices import with_costs_at_common_date
    t = with_costs_at_common_date(t, price_date)  # every bill at one price date, as the TCO escalates it
    for c in ("first_energized_p10", "first_energized_p50", "first_energized_p90", "in_service_since"):
        t[c] = pd.to_datetime(t[c]) if c in t else pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    t["first_power_months"] = first_power_months(t["first_energized_p50"])
    for c in [*FIGURES, "time_to_power_p10_months", "time_to_power_p90_months"]:
        if c not in t:
            t[c] = float("nan")
    return t


def basis_columns(basis: str) -> tuple[str, str, str]:
    """(cost column, carbon column, cost unit) of a basis (:data:`BASES`)."""
    if basis not in BASES:
        raise InputError(f"must be 'tokens' or 'gpu_h', got {basis!r}", field="basis")
    if basis == "tokens":
        return "usd_per_m_tokens", "carbon_g_per_m_tokens", "USD per million tokens"
    return "usd_per_gpu_h", "carbon_kg_per_gpu_h", "USD per installed GPU-hour"


def lacks(t: pd.DataFrame, sid: str, col: str) -> str:
    """Why site ``sid`` has no ``col`` in the comparison table ``t``: the site-file section or
    figure it lacks ("no tariff"), or "no accelerators" when the bill or carbon is there but
    there are no GPU-hours or tokens to divide it by; for the time to power from filing of a site with
    every phase in service, its ``time_to_power_reason`` ("no pending capacity (all 10 MW in service)":
    no wait from filing applies, though the site has an interconnection request)."""
    if col in _TTP_MONTHS and "time_to_power_reason" in t and isinstance(t.at[sid, "time_to_power_reason"], str):
        return t.at[sid, "time_to_power_reason"]
    src = _SOURCE.get(col, col)
    if src in t and pd.notna(t.at[sid, src]):
        return "no accelerators"
    return _LACKS.get(src, "no figure")


@dataclass(frozen=True)
class Comparison:
    """Output of :func:`compare`.

    Attributes
    ----------
    score : Score
        The weighted score (:func:`dcplan.portfolio_score.weighted_score`).
    not_scored : dict
        Site id -> why it has no score, in site-file terms ("no tariff; no interconnection request").
    left_out : dict
        Weighted criterion no site has -> why ("no site of the portfolio has a tariff: section").
    best : str or None
        Id of the best (lowest-score) site among those whose plant carries the IT load in every
        hour (``short``); None when no such site is scored, or when two or more share the lowest
        score (``best_tie``).
    best_other_basis : str or None
        Id of the best site on the other basis, by the same rule (None on a tie: ``best_other_tie``).
    borrowed : dict
        Site id -> hardware keys whose tokens borrow the H100 figure (scored sites).
    throughput : dict
        Site id -> (throughput key, tokens/s per accelerator) of the scored sites, when the table has them.
    per_token : dict
        Site id -> ``usd_per_m_tokens`` of the scored sites that have it (for the throughput scenario's
        caveat: :func:`dcplan.power_tokens.scenario_caveat`).
    best_tie : tuple
        Ids of the sites that share the lowest score when more than one does (every weighted
        criterion equal between them): no site is named best.
    short : dict
        Site id -> ``{"derate_h", "derate_max_kw"}`` of the scored sites whose plant cannot carry
        the hour's IT load in some hours of the typical year (:func:`plant_short`). Such a site
        is not eligible for best: its PUE (and so its electricity and carbon) counts cooling only
        for the heat the plant removes, so its figures read low beside a plant that carries the
        load; ``best`` and ``best_other_basis`` are the lowest among the other sites.
    passed_over : tuple
        Ids of the sites of ``short`` that score lower than the best site (all of them, lowest
        first, when no scored site's plant carries the load): the headline names them, with why.
    best_other_tie : tuple
        As ``best_tie``, on the other basis (then ``best_other_basis`` is None).
    """

    score: Score
    not_scored: dict
    left_out: dict
    best: str | None
    best_other_basis: str | None
    borrowed: dict = field(default_factory=dict)
    throughput: dict = field(default_factory=dict)
    best_tie: tuple = ()
    short: dict = field(default_factory=dict)
    passed_over: tuple = ()
    best_other_tie: tuple = ()
    per_token: dict = field(default_factory=dict)

    def caveat(self, names: dict, basis: str, fleets: dict | None = None) -> str:
        """What the best site depends on: the best site on the other basis, (per token) the
        fleets whose tokens are the H100 figure, and fleets whose throughputs differ (per token:
        the score compares the hardware too; per GPU-hour: their GPU-hours are not comparable);
        or that none applies. ``fleets``: site id -> (cooling plant type, hardware keys) of the
        scored sites; when they differ, the PUE, electricity and carbon ranks compare the fleets and
        plants as well as the locations, which is said first (the bundled example's best site, a
        liquid GB200 plant among air HGX ones, was the worst location with one fleet at every site)."""
        other = "installed GPU-hour" if basis == "tokens" else "million tokens"
        notes = []
        scored = {sid: f for sid, f in (fleets or {}).items() if sid in self.score.score.index}
        if len({(plant, tuple(sorted(set(hw)))) for plant, hw in scored.values()}) > 1:
            listed = "; ".join(f"{names[sid]}: {', '.join(sorted(set(hw)))} ({plant} cooling)"
                               for sid, (plant, hw) in scored.items())
            notes.append(f"the sites run different fleets or cooling plants ({listed}), so the PUE, electricity "
                         "and carbon ranks compare those as well as the locations; for a choice of location, "
                         "give every site the same fleet and plant (copies of the site files with one fleet: "
                         "section) and compare again")
        if self.best is not None and self.best_other_basis is not None and self.best_other_basis != self.best:
            notes.append(f"per {other} the best site is {names[self.best_other_basis]} (the lowest weighted score "
                         f"with electricity and carbon taken per {other}, not the lowest electricity cost alone)")
        if self.best_other_tie:
            notes.append(f"per {other} no site is best: {', '.join(names[i] for i in self.best_other_tie)} tie for "
                         "the lowest score")
        if basis == "tokens" and any(self.borrowed.values()):
            notes.append("the tokens of " + ", ".join(f"{names[sid]} ({', '.join(hw)})"
                                                       for sid, hw in self.borrowed.items() if hw)
                         + " are the H100 figure (no sourced figure of their own), so their per-token figures are "
                           "illustrations")
        rates = throughput_rates(self.throughput, names)
        if len(set(rates.values())) > 1:
            lo, hi = min(rates.values()), max(rates.values())
            listed = ", ".join(f"{k} {r:,.0f}" for k, r in sorted(rates.items(), key=lambda kv: -kv[1]))
            # a site file's own figure is no example: said as the throughputs, not the example throughputs
            example = "" if any(k == OWN_THROUGHPUT_SOURCE for k, _ in self.throughput.values()) else "example "
            if basis == "tokens":
                notes.append(f"the fleets' {example}throughputs differ ({hi / lo:.1f}x: {listed} tokens/s per "
                             "accelerator), so per million tokens the score compares the hardware as well as the sites")
            else:  # per GPU-hour: a GPU-hour of one generation is not one of another
                notes.append(f"these fleets' GPU-hours are not comparable: their GPU generations differ ({hi / lo:.1f}x "
                             f"in {example}throughput: {listed} tokens/s per accelerator), so per installed GPU-hour "
                             "the score compares unlike hours; per million tokens is the like-for-like basis")
        if basis == "tokens" and (scen := scenario_caveat(self.throughput, self.per_token, names)):
            notes.append(scen)  # a GB200 figure of unstated MLPerf scenario beside the H100's Offline one
        return "; ".join(notes) or (f"the same best site per {other}" if self.best is not None else "no best site")


def throughput_rates(throughput: dict, names: dict) -> dict:
    """What :meth:`Comparison.caveat` lists as the scored fleets' throughputs: label -> tokens/s per
    accelerator, from ``throughput`` (site id -> (throughput key, tokens/s per accelerator)).

    An example figure is listed once under its key (``h100-sxm/llama-2-70b-offline``: the sites on it
    share one rate); a site file's own figure (key :data:`dcplan.power_tokens.OWN_THROUGHPUT_SOURCE`) is
    the site's alone, listed under the site's name: two sites giving figures of their own share that key
    but not their rates, and a difference between them is a difference all the same.

    >>> throughput_rates({"a": ("site.finance.costs.tokens_per_s_per_accelerator", 11264.0),
    ...                   "b": ("site.finance.costs.tokens_per_s_per_accelerator", 5000.0),
    ...                   "c": ("hgx", 3066.0), "d": ("hgx", 3066.0)}, {"a": "A", "b": "B", "c": "C", "d": "D"})
    {"A (site file's own figure)": 11264.0, "B (site file's own figure)": 5000.0, 'hgx': 3066.0}
    """
    rates = {}
    for sid, (key, rate) in throughput.items():
        rates.setdefault(f"{names.get(sid, sid)} (site file's own figure)" if key == OWN_THROUGHPUT_SOURCE else key,
                         rate)
    return rates


def compare(t: pd.DataFrame, weights: dict, basis: str, *, borrowed: dict | None = None) -> Comparison:
    """Score the comparison table ``t`` (:func:`comparison_table`) on ``weights`` (column ->
    weight; a column ``t`` lacks is a criterion no site has) and on the other basis too.

    ``borrowed``: site id -> hardware keys whose tokens are the H100 figure
    (:func:`dcplan.power.borrowed_throughput`), for :meth:`Comparison.caveat`.
    """
    basis_columns(basis)
    t = t.copy()
    for c in weights:
        if c not in t:
            t[c] = float("nan")
    s = weighted_score(t, weights)
    left_out = {c: _NONE_HAS.get(_SOURCE.get(c, c), "no site has the figure") for c in s.left_out}
    not_scored = {sid: "; ".join(dict.fromkeys(lacks(t, sid, c) for c in weights
                                               if weights[c] > 0 and c not in s.left_out and pd.isna(t.at[sid, c])))
                  or s.unscored[sid] for sid in s.unscored}
    other = {_OTHER_BASIS.get(c, c): w for c, w in weights.items()}
    for c in other:
        if c not in t:
            t[c] = float("nan")
    alt = weighted_score(t, other).score
    throughput = ({sid: (str(t.at[sid, "throughput_key"]), float(t.at[sid, "tokens_per_s_per_accelerator"]))
                   for sid in s.score.index}
                  if {"throughput_key", "tokens_per_s_per_accelerator"} <= set(t.columns) else {})
    # a site whose plant cannot carry its IT load in some hours is not eligible for best (Comparison.short)
    short = plant_short(t.loc[list(s.score.index)])
    top, passed = _best(s.score, short)
    alt_top, _ = _best(alt, short)
    return Comparison(score=s, not_scored=not_scored, left_out=left_out,
                      best=top[0] if len(top) == 1 else None, best_tie=top if len(top) > 1 else (),
                      best_other_basis=alt_top[0] if len(alt_top) == 1 else None,
                      best_other_tie=alt_top if len(alt_top) > 1 else (),
                      borrowed={sid: hw for sid, hw in (borrowed or {}).items() if sid in s.score.index},
                      throughput=throughput, short=short, passed_over=passed,
                      per_token=({sid: float(t.at[sid, "usd_per_m_tokens"]) for sid in s.score.index
                                  if pd.notna(t.at[sid, "usd_per_m_tokens"])} if "usd_per_m_tokens" in t else {}))


#: Scores closer than this are equal (tied): identical sites score exactly alike, and a difference
#: this small is float rounding, not a site being better.
TIE_TOLERANCE = 1e-12


def plant_short(t: pd.DataFrame) -> dict:
    """Site id -> ``{"derate_h": h, "derate_max_kw": kW}`` of the sites of the comparison table
    ``t`` whose cooling plant cannot carry the hour's IT load in some hours of the typical year
    (``derate_h`` > 0: :func:`dcplan.thermal_plant.plant_summary`, the figure ``site_analysis``
    publishes; ``derate_max_kw``: the worst hour's IT heat it cannot remove, NaN when ``t`` lacks it).

    >>> plant_short(pd.DataFrame({"derate_h": [0.0, 526.0], "derate_max_kw": [0.0, 6677.0]}, index=["a", "b"]))
    {'b': {'derate_h': 526.0, 'derate_max_kw': 6677.0}}
    """
    if "derate_h" not in t:
        return {}
    mx = t["derate_max_kw"] if "derate_max_kw" in t else pd.Series(float("nan"), index=t.index)
    return {sid: {"derate_h": float(h), "derate_max_kw": float(mx[sid])}
            for sid, h in t["derate_h"].items() if pd.notna(h) and h > 0}


def _best(sc: pd.Series, short: dict) -> tuple[tuple, tuple]:
    """(ids sharing the lowest score among the sites not in ``short``, ids of ``short`` scoring
    lower than that: all of them, lowest first, when every scored site is short)."""
    ok = sc[[i not in short for i in sc.index]]
    top = tuple(ok.index[(ok - ok.min()).abs().to_numpy() <= TIE_TOLERANCE]) if len(ok) else ()
    bar = float(ok.min()) if len(ok) else float("inf")
    return top, tuple(i for i in sc.index if i in short and sc[i] < bar - TIE_TOLERANCE)


# -- what a reader needs to read the score: the weights, the scaling, ties ---------------------

#: The score's weight parameters (``portfolio_comparison``) -> criterion, by basis
#: (:func:`score_criteria`).
WEIGHT_PARAMETERS = ("weight_cost", "weight_time_to_power", "weight_pue", "weight_carbon", "weight_derate",
                     "weight_water")

#: Criterion column -> (short name, what it measures). Every criterion is lower-is-better.
CRITERIA = {
    "usd_per_m_tokens": ("electricity", "annual electricity bill under the site's tariff (carries PUE, the PV's "
                                        "saving and the tariff), escalated to the common price date (cost_price_date: "
                                        "the latest tariff price date among the sites) as the tco notebook escalates "
                                        "it, plus the on-site PV's and site battery's costs a year "
                                        "(dcplan.solar_value, dcplan.battery_value), per million tokens "
                                        "[USD/M tokens]"),
    "usd_per_gpu_h": ("electricity", "annual electricity bill under the site's tariff, escalated to the common price "
                                     "date (cost_price_date) as the tco notebook escalates it, plus the on-site PV's "
                                     "and site battery's costs a year (dcplan.solar_value, dcplan.battery_value), per "
                                     "installed GPU-hour [USD/GPU-h]"),
    "first_power_months": ("when power arrives", "median date the site's new capacity is first energized (the "
                                                 "first phase not already in service), as months after the "
                                                 "earliest such date among the sites [months]"),
    "annual_pue": ("PUE", "annual facility energy / IT energy on the site's typical weather year [-]"),
    "carbon_g_per_m_tokens": ("grid carbon", (
        "CO2 of the year's grid import (net of on-site PV used on site or stored, counted at 0, and after the "
        f"battery) at {CARBON_BASIS}, per million tokens [g CO2/M tokens]")),
    "carbon_kg_per_gpu_h": ("grid carbon", (
        "CO2 of the year's grid import (net of on-site PV used on site or stored, counted at 0, and after the "
        f"battery) at {CARBON_BASIS}, per installed GPU-hour [kg CO2/GPU-h]")),
    "derate_h": ("derate hours", "hours of the typical year the cooling plant cannot hold the hour's IT load [h]"),
    "wue_l_per_kwh": ("water", "cooling-tower water (evaporation + blowdown) per kWh of IT energy, WUE [L/kWh]"),
}

#: How each criterion is put on 0-1 before weighting (:func:`dcplan.portfolio_score.weighted_score`).
SCALING = ("each criterion x is min-max scaled across the scored sites, (x - min) / (max - min): 0 for the "
           "best (lowest) site, 1 for the worst; a criterion equal at every scored site scales to 0 for all. "
           "The score is the weighted mean, sum(w x scaled) / sum(w) over the criteria used: 0 = best on every "
           "criterion, 1 = worst on every one; lower is better")


def score_criteria(basis: str) -> dict[str, str]:
    """Weight parameter (:data:`WEIGHT_PARAMETERS`) -> criterion column on ``basis``.

    >>> score_criteria("tokens")["weight_cost"]
    'usd_per_m_tokens'
    """
    cost, carbon, _ = basis_columns(basis)
    cols = (cost, "first_power_months", "annual_pue", carbon, "derate_h", "wue_l_per_kwh")
    return dict(zip(WEIGHT_PARAMETERS, cols))


# the basis of a per-unit criterion, said with its weight: per million tokens and per installed GPU-hour rank the
# bundled sites differently (best: Northern Virginia per token, Phoenix per GPU-hour), and the best-site headline
# on the index carried "electricity 0.4" with no basis
_PER = {"usd_per_m_tokens": "per million tokens", "carbon_g_per_m_tokens": "per million tokens",
        "usd_per_gpu_h": "per installed GPU-hour", "carbon_kg_per_gpu_h": "per installed GPU-hour"}


def weights_text(weights: dict, price_date: str | None = None) -> str:
    """The weights in one line, criterion by criterion (``weights``: column -> weight), electricity and grid
    carbon with their basis (per million tokens or per installed GPU-hour: the two rank sites differently), and
    electricity with the price date its bills are restated at (``price_date``: :func:`comparison_table`'s
    ``cost_price_date``; None: not said).

    >>> weights_text({"usd_per_m_tokens": 0.4, "first_power_months": 0.3, "derate_h": 0.1})
    'electricity per million tokens 0.4, when power arrives 0.3, derate hours 0.1'
    >>> weights_text({"usd_per_gpu_h": 0.4, "carbon_kg_per_gpu_h": 0.1}, "2027-06-01")
    'electricity per installed GPU-hour at 2027-06-01 prices 0.4, grid carbon per installed GPU-hour 0.1'
    """
    def at(c):
        return f" at {price_date} prices" if price_date and c in ("usd_per_m_tokens", "usd_per_gpu_h") else ""
    return ", ".join(f"{CRITERIA.get(c, (c,))[0]}{' ' + _PER[c] if c in _PER else ''}{at(c)} {w:g}"
                     for c, w in weights.items())


def weights_table(t: pd.DataFrame, weights: dict, score: Score) -> pd.DataFrame:
    """The score's criteria as a reader needs them, one row per weight parameter.

    Parameters
    ----------
    t : pandas.DataFrame
        The comparison table (:func:`comparison_table`).
    weights : dict
        Weight parameter (:data:`WEIGHT_PARAMETERS`) -> (criterion column, weight).
    score : Score
        :func:`dcplan.portfolio_score.weighted_score` of ``t`` on those weights.

    Returns
    -------
    pandas.DataFrame
        Indexed by parameter: ``criterion``, ``column``, ``weight``, ``share_frac`` (the
        weight over the sum of the weights used: what a criterion can add to a score at most)
        [0-1], ``measures``, ``direction``, ``min`` and ``max`` across the scored sites, and
        ``note`` (not used: weight 0; left out: no site has it; equal at every scored site:
        adds nothing).
    """
    from .rank_ties import tied
    used = [c for c, w in weights.values() if w > 0 and c not in score.left_out]
    total = float(sum(w for c, w in weights.values() if c in used))
    ok = t.loc[[s for s in score.score.index if s in t.index]]
    rows = {}
    for p, (c, w) in weights.items():
        lo = float(ok[c].min()) if c in ok and len(ok) else float("nan")
        hi = float(ok[c].max()) if c in ok and len(ok) else float("nan")
        if w <= 0:
            note = "weight 0: not used"
        elif c in score.left_out:
            note = "no site has it: left out of the score"
        elif len(ok) and tied(lo, hi):  # float noise is flat, as weighted_score scales it (dcplan.rank_ties)
            note = f"equal at every scored site ({lo:g}): adds 0 to every score"
        else:
            note = ""
        rows[p] = {"criterion": CRITERIA.get(c, (c,))[0], "column": c, "weight": float(w),
                   "share_frac": float(w) / total if c in used and total > 0 else 0.0,
                   "measures": CRITERIA.get(c, (c, c))[1], "direction": "lower is better",
                   "min": lo, "max": hi, "note": note}
    return pd.DataFrame.from_dict(rows, orient="index")


def worst_possible_score(table: pd.DataFrame) -> float:
    """The highest score any site can get with these criteria: 1 less the shares of the
    criteria equal at every scored site (they scale to 0 for all), from :func:`weights_table`."""
    tied = table["note"].str.startswith("equal at every")
    # shares summing to 1 leave float noise (1 - 1 = -2.2e-16 with one site): round it off
    return max(0.0, round(float(1.0 - table.loc[tied, "share_frac"].sum()), 12))


def tie_note(table: pd.DataFrame) -> str:
    """A sentence naming the criteria equal at every scored site, or "" when there are none."""
    tied = table[table["note"].str.startswith("equal at every")]
    if tied.empty:
        return ""
    what = ", ".join(f"{r.criterion} ({r.column}: {r['min']:g} at every site, weight {r.weight:g})"
                     for _, r in tied.iterrows())
    return (f"{what} {'is' if len(tied) == 1 else 'are'} equal at every scored site, so "
            f"{'it adds' if len(tied) == 1 else 'they add'} nothing to any score: the worst possible score here "
            f"is {worst_possible_score(table):.3g}, not 1, and the ranking rests on the other criteria")


def portfolio_description(pf) -> str:
    """The ``description`` of the portfolio ``pf`` (its YAML's; "" when it has none)."""
    return str(getattr(pf, "description", "") or "").strip()


def description_text(pf) -> str:
    """What the report says first about a portfolio: its name and description, or that its file
    says nothing of which inputs are measured and which are synthetic."""
    d = portfolio_description(pf)
    return (f"{pf.name}: {d}" if d else f"{pf.name}: the portfolio file has no description (it does not say "
                                          "which inputs are measured and which are synthetic; see each site file)")


# -- the portfolio_sweep notebook's case table, objectives and front (dcplan.portfolio_sweep_table), as before --
from .portfolio_sweep_table import (SWEEP_OBJECTIVES, as_specified, case_text, front_note,  # noqa: E402
                                    front_objectives, sweep_case_table)
