"""The ``site_analysis`` notebook's verdict: one site ranked against its portfolio, in words.

A site is ranked, among the portfolio's sites under the same overrides (the notebook's
``fleet_scale``, PV size, tariff and reference plant, applied to every site by ``variant``),
on three figures, lowest first:

- annual PUE from the weather (``annual_pue``);
- electricity cost per million tokens (``usd_per_m_tokens``, :func:`dcplan.portfolio_score.unit_figures`:
  the tariff bill plus the on-site PV's and the site battery's annualised costs,
  :func:`dcplan.solar_value.pv_annual_cost`, :func:`dcplan.battery_value.battery_annual_cost`),
  each site over its own weather year's hours at its fleet's utilisation and example
  throughput (:func:`dcplan.power.example_throughput`), or the throughput given for all:
  GPU-hours of different generations are not comparable, tokens are; each bill restated at one price date, as
  the portfolio comparison ranks it (:func:`dcplan.portfolio_prices.with_costs_at_common_date`: the latest tariff
  price date, escalated as the TCO escalates a bill), the text giving the site's own cost at its tariff's prices
  and, when a bill was escalated, the date, rate and factor (:func:`dcplan.verdict_inputs.electricity_text`);
- when power arrives: the median date the site's new capacity is first energized
  (``first_energized_p50``, :func:`dcplan.portfolio_compare.site_row`: the first phase not already
  in service, :func:`dcplan.grid.first_power`'s ``new_power``), as months after the earliest such
  date among the ranked sites (``first_power_months``,
  :func:`dcplan.portfolio_compare.first_power_months`). Not the months from each site's own
  filing: sites file on different dates, and a site that filed earlier would look slower
  although its power comes first. The text gives the months from filing beside the date (both given the
  months waited without power by the plan's date, :func:`dcplan.plan_dates.with_wait`, as every report's).
  For a site with capacity already in service (``in_service: true``, an existing campus) the
  ranked date is its first pending phase's: the capacity in service powers the halls running
  on it, the planned new halls wait for the new request; the text gives the in-service date
  apart, as not ranked, and ranks the in-service date only when no phase is pending
  (:func:`first_power_text`).

When the site's on-site PV pays for itself (over its life, before tax: :mod:`dcplan.solar_value`)
only with its demand-charge saving, an upper bound from hourly-mean PV, the text says so with the
PV's net value without it (:func:`dcplan.solar_value.pv_verdict_clause`).

Ranks are competition ranks: tied sites (within a relative 1e-9, :mod:`dcplan.rank_ties`) share the
better rank. A site without a figure (no ``tariff:`` or ``interconnection:`` section) is not ranked on it, and
the verdict says why. The tone: a strong candidate when the site ranks first on two or more
of the three, a weak one when it ranks last on two or more, middle of the pack otherwise; but
"not a candidate as specified", whatever its ranks, when its cooling plant cannot remove the hour's
own IT load in some hour of the typical year (``derate_h`` > 0) or its contract leaves GPUs never
powered (``gpus_never_powered`` > 0, below): the closing sentence says what to fix first
(:func:`blocked_text`).
A site whose grid draw is over its contracted capacity in any hour is told that this must be
covered first, whatever its ranks. That check is on hourly means (the capacity check's step; the
load's 1-s to 15-min peaks within an hour are higher), so the text says so, and it says when the
facility at full design IT needs more than the contract, in either of two hours, each named
(:mod:`dcplan.design_hours`): the design hour (the worst hour of the site's 0.4 % design days, what
the plant's chillers are selected for) and the typical year's worst hour (the ``interconnection``
notebook's ``facility_design_kw``, with the GPUs it leaves unpowered, its ``gpus_never_powered``);
a draw within the contract is then followed by "but", and the paragraph ends saying the contract
does not cover the full fleet at full design IT. It also says in how many hours of the
typical year the cooling plant cannot remove the hour's own IT load (``derate_h``: the
plant model at the fleet's hourly IT, not at full design IT; the cooling_lag notebook's
margins are at full design IT), and when the plant cannot carry the full design IT on its
design days (:func:`dcplan.thermal.design_hour_pue`, ``short``), by how much: its design-hour
PUE then counts cooling only for the heat the plant removes. A phased plan that installs GPUs before
their grid phase is said with the GPU-months they wait (:mod:`dcplan.verdict_phasing`, the
``interconnection`` notebook's count; a mixed fleet each hall at its own kW, as the TCO). A plant short in
the extreme hours the weather file states is said (:mod:`dcplan.verdict_extremes`), not counted in the tone.
A phase of the interconnection planned
to count only after the finance horizon (:func:`after_horizon_text`) is said after the tone: the
ranks do not see it.

Warnings raised while a peer site is modelled are re-issued naming that peer
(:func:`dcplan.peer_warnings.as_peer`): they concern the peer's figures in the ranking, not
this site's own.

Per-token ranks rest on throughput figures: a part with no sourced figure of its own (B200,
H200, MI300X) borrows the H100 figure (:func:`dcplan.power.borrowed_throughput`), and the
verdict names the sites whose tokens are borrowed (:attr:`Verdict.caveat`), and those whose tokens
are their site file's own figure (:func:`dcplan.power.own_throughput`, ``finance: costs:
tokens_per_s_per_accelerator``), which is no benchmark of dcplan's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from . import design_hours, grid, pipeline, power, thermal
from .battery_value import paid_for_text
from .errors import InputError
from .peer_warnings import as_peer
from .plan_dates import with_wait
from .portfolio_compare import first_power_months, site_row
from .portfolio_prices import with_costs_at_common_date
from .rank_ties import all_tied, competition_ranks, decimals_apart
from .input_status import pv_basis_text
from .solar_value import pv_annual_cost, pv_value_of_year, pv_verdict_clause
from .verdict_extremes import extremes_clause, site_extremes
from .verdict_inputs import electricity_text
from .verdict_phasing import plan_gap_text

__all__ = ["Verdict", "RANKED", "site_verdict", "rank_of", "tone", "derate_text", "design_short_text",
           "NOT_A_CANDIDATE", "blocked_text",
           "first_power_text", "horizon_last_month", "after_horizon_text",
           "LEAD_TIME_STATUS", "weather_text", "lead_time_status"]

#: The figures a site is ranked on, lowest first (see the module docstring).
RANKED = ("annual_pue", "usd_per_m_tokens", "first_power_months")


@dataclass(frozen=True)
class Verdict:
    """Output of :func:`site_verdict`.

    Attributes
    ----------
    text : str
        The verdict, one paragraph.
    caveat : str
        What the per-token figures rest on (borrowed throughput, a site file's own throughput, the
        throughput given for all, or none).
    tone : str
        ``"a strong candidate"``, ``"a weak candidate"`` or ``"a middle-of-the-pack candidate"`` (:func:`tone`);
        :data:`NOT_A_CANDIDATE` whatever the ranks when the plant is short of the hour's IT in some hour or
        the contract leaves GPUs never powered (:func:`blocked_text`).
    ranks : dict
        Figure (:data:`RANKED`) -> (rank, sites ranked), or None where the site has no figure.
    peers : pandas.DataFrame
        The ranked sites' figures (:func:`dcplan.portfolio_compare.site_row`, with the costs per GPU-hour and per
        million tokens at the common price date: :func:`dcplan.portfolio_prices.with_costs_at_common_date`; ``bill_usd``
        at each tariff's own prices), indexed by site id.
    left_out : dict
        Site id -> why it is not ranked (an override it cannot take).
    """

    text: str
    caveat: str
    tone: str
    ranks: dict
    peers: pd.DataFrame
    left_out: dict = field(default_factory=dict)


def rank_of(values: pd.Series, site: str, *, low_is_good: bool = True) -> tuple[int, int] | None:
    """(rank, sites ranked) of ``site`` among the sites of ``values`` that have a figure
    (NaN: none), competition ranking (ties, within :data:`dcplan.rank_ties.REL_TOL`, share the better rank);
    None when ``site`` has none."""
    r = competition_ranks(values, low_is_good=low_is_good)
    return (int(r[site]), len(r)) if site in r.index else None


def tone(ranks: dict, tied: tuple = ()) -> str:
    """Strong when first on two or more figures, weak when last on two or more, else middle.

    A site ranked alone on every figure it has (a one-site portfolio) has nothing to be strong
    or weak against: "the only site ranked (no other site to compare it with)"; a figure on which
    it is ranked alone while others are ranked among several sites counts neither as a first nor a
    last. ``tied``: figures on which every ranked site has the same value; they tell the sites
    apart in nothing and count neither as a first nor as a last (five identical sites were each
    "a strong candidate", rank 1 of 5 on two tied figures).
    """
    if any(ranks.get(k) and ranks[k][1] > 1 for k in tied):
        ranks = {k: (None if k in tied and r and r[1] > 1 else r) for k, r in ranks.items()}
    got = [r for r in ranks.values() if r]
    if got and all(r[1] == 1 for r in got):
        return "the only site ranked (no other site to compare it with)"
    # a figure only this site has (1 of 1 beside figures ranked among several) compares it with
    # nothing: no first place on it (Sand Point, the only site with an interconnection: section, was
    # "a strong candidate" on its PUE first of 5 and that 1 of 1, though last of 2 on electricity)
    got = [r for r in got if r[1] > 1]
    best = sum(r[0] == 1 for r in got)
    worst = sum(r[0] == r[1] for r in got)
    return "a strong candidate" if best >= 2 else "a weak candidate" if worst >= 2 else "a middle-of-the-pack candidate"


def _accelerators(spec) -> tuple[str, ...]:
    """The accelerator parts of a site's fleet (data/hardware.csv ``accelerator``), sorted; () for a
    CPU-only fleet or an unknown key (the fleet's own checks report it)."""
    out = set()
    for ph in spec.fleet.phases:
        try:
            acc = power.hardware(ph.hardware).accelerator
        except InputError:
            continue
        if isinstance(acc, str) and acc:
            out.add(acc)
    return tuple(sorted(out))


def _hardware_mix(specs: dict, tok_sites: list, site: str) -> str | None:
    """The clause saying the per-token rank compares the hardware too, when the sites ranked per
    million tokens run different accelerators (a GB200 site's tokens per kWh are several times an H100
    site's, whatever the site): None when they all run the same parts."""
    mine = _accelerators(specs[site])
    others = sorted({a for sid in tok_sites if sid != site for a in _accelerators(specs[sid])} - set(mine))
    if not others and all(_accelerators(specs[sid]) == mine for sid in tok_sites):
        return None
    return (f"the rank per million tokens compares the accelerators as well as the sites (this site's "
            f"{', '.join(mine) or 'none'}; the others' {', '.join(others) or ', '.join(mine)}), so it is not "
            "a verdict on the location alone")


def _plant(spec) -> str:
    """A site's cooling plant in words: its type (``cooling.type``), with a liquid plant's class and
    heat rejection (``liquid W32, tower``); "default" without a ``cooling:`` section."""
    c = spec.cooling
    if c is None:
        return "default"
    if c.type != "liquid":
        return c.type
    return ", ".join(x for x in (f"liquid {c.liquid_class or ''}".strip(), c.heat_rejection) if x)


def _plant_mix(specs: dict, pue_sites, site: str) -> str | None:
    """The clause saying the PUE rank compares the cooling plants too, when the sites ranked on PUE
    run different plants (a liquid plant's PUE is lower than an air plant's in any climate: the
    bundled example's only liquid site ranked first on PUE, though with the others' air plant its
    climate ranks last); None when they all run the same plant."""
    mine = _plant(specs[site])
    others = pd.Series([_plant(specs[sid]) for sid in pue_sites if sid != site], dtype=object)
    if others.empty or (others == mine).all():
        return None
    counts = others.value_counts(sort=False)
    listed = ", ".join(f"{n} {p}" for p, n in counts.items())
    return (f"the PUE rank compares the cooling plants as well as the climates (this site's plant: {mine}; "
            f"the others': {listed}), so it is not a verdict on the location alone: for that, give every site "
            "the same plant (the notebook's cooling parameter: one reference plant for all) and compare again")


def rank_text(r: tuple[int, int]) -> str:
    """``"2 of 4"``; ``"1 of 1, the only site with this figure"`` for a figure no other site has."""
    return "1 of 1, the only site with this figure" if r[1] == 1 else "%d of %d" % r


def _names(specs: dict, site: str) -> dict:
    """Site id -> how the text names it: "this site", its name, or name [id] when two share a name."""
    names = pd.Series({sid: v.name for sid, v in specs.items()})
    return {sid: "this site" if sid == site else nm if (names == nm).sum() == 1 else f"{nm} [{sid}]"
            for sid, nm in names.items()}


def own_text(own: dict, who: dict) -> str:
    """The caveat's clause for the sites whose tokens are their site file's own figure: ``own`` site id ->
    tokens/s per accelerator (:func:`dcplan.power.own_throughput`), ``who`` site id -> how the text names it.

    >>> own_text({"a": 11264.0}, {"a": "this site"})
    "the tokens of this site are its site file's own figure (11,264 tokens/s per accelerator, finance.costs.tokens_per_s_per_accelerator, as the TCO takes it), not a benchmark dcplan sources"
    """
    if len(own) == 1:
        (sid, rate), = own.items()
        return (f"the tokens of {who[sid]} are its site file's own figure ({rate:,.6g} tokens/s per accelerator, "
                "finance.costs.tokens_per_s_per_accelerator, as the TCO takes it), not a benchmark dcplan sources")
    each = ", ".join(f"{who[sid]} ({rate:,.6g} tokens/s per accelerator)" for sid, rate in own.items())
    return (f"the tokens of {each} are their site files' own figures (finance.costs.tokens_per_s_per_accelerator, "
            "as the TCO takes them), not benchmarks dcplan sources")


def _caveat(borrowed: dict, who: dict, ranked_on_tokens: bool, tokens_per_s_per_accelerator: float,
            own: dict | None = None, n_sites: int = 1) -> str:
    """What the per-token figures rest on: the sites whose tokens borrow the H100 figure (``borrowed``: site
    id -> hardware keys), those whose tokens are their site file's own figure (``own``: site id -> tokens/s
    per accelerator; ``n_sites`` the sites per-token figures are compared over), the parameter's figure
    for all, or none of these."""
    own = own or {}
    if borrowed:
        out = ("the tokens of " + ", ".join(f"{who[sid]} ({', '.join(hw)})" for sid, hw in borrowed.items())
               + " are the H100 figure (no sourced figure of their own), so "
               + ("the rank per million tokens is an illustration" if ranked_on_tokens
                  else "the per-token figures are illustrations"))
        return out + (f"; {own_text(own, who)}" if own else "")
    if tokens_per_s_per_accelerator > 0:
        return f"every site's tokens at the parameter's {tokens_per_s_per_accelerator:,.6g} tokens/s per accelerator"
    if own:
        rest = len(own) < n_sites
        return own_text(own, who) + ("; every other fleet's tokens are its own part's example throughput" if rest
                                     else "")
    return "none: every fleet's tokens are its own part's example throughput"


def derate_text(derate_h: float) -> str:
    """The verdict's derate clause: the hours of the typical year in which the cooling plant
    cannot remove the hour's own IT load (``derate_h`` [h], at the fleet's hourly IT)."""
    if derate_h == 0:
        return "the cooling plant removes the hour's IT load in every hour of the typical year"
    n = f"{derate_h:,.0f}"
    return (f"the cooling plant cannot remove the hour's IT load in {n} hour{'' if n == '1' else 's'} "
            "of the typical year")


def design_short_text(design_hour: dict, design_it_kw: float) -> str | None:
    """The verdict's clause for a plant that cannot carry the full design IT on its design days
    (``design_hour``: :func:`dcplan.thermal.design_hour_pue` at ``design_it_kw`` [kW]), or None
    when it carries it."""
    if not design_hour.get("short"):
        return None
    return (f"at full design IT ({design_it_kw / 1000:,.2f} MW) the cooling plant is short on its design days: "
            f"it removes the heat of at most {design_hour['min_capacity_kw'] / 1000:,.2f} MW of IT "
            f"({design_hour['max_derate_kw']:,.0f} kW short), so its design-hour PUE "
            f"{design_hour['pue']:.3f} counts cooling only for the heat it removes")


#: The verdict's tone for a site that cannot run its fleet as specified (:func:`blocked_text`).
NOT_A_CANDIDATE = "not a candidate as specified"


def blocked_text(derate_h: float, derate_max_kw: float, never: int, n_gpus: int) -> str | None:
    """What must be fixed first before a site's ranks mean anything, or None: its cooling plant short of
    the hour's own IT in ``derate_h`` [h] of the typical year (``derate_max_kw`` [kW]: the most IT heat it
    cannot remove in an hour), and its contract leaving ``never`` of its ``n_gpus`` GPUs never powered in
    the typical year's worst hour at full design IT (:func:`dcplan.design_hours.gpus_never_powered`).

    >>> blocked_text(0.0, 0.0, 755, 9_216).endswith("leaves 755 of its 9,216 GPUs never powered in the typical "
    ...                                            "year's worst hour at full design IT; fix the contract (and compare again)")
    True
    """
    what, fix = [], []
    if derate_h > 0:
        what.append(f"its cooling plant is short of its IT in {derate_h:,.0f} h of the typical year (up to "
                    f"{derate_max_kw:,.0f} kW of IT heat it cannot remove)")
        fix.append("the plant")
    if never > 0:
        what.append(f"its contract leaves {never:,} of its {n_gpus:,} GPUs never powered in the typical year's "
                    "worst hour at full design IT")
        fix.append("the contract")
    if not what:
        return None
    return f"{', and '.join(what)}; fix {' and '.join(fix)} (and compare again)"


def first_power_text(interconnection, time_to_power_median_months: float, rank: str) -> str:
    """The verdict's clause on when power arrives, ranked ``rank`` ("2 of 4") on the median date the
    site's new capacity is first energized (:func:`dcplan.grid.first_power`'s ``new_power`` of
    :func:`dcplan.grid.energization_dates`).

    With capacity already in service (``in_service: true``) the rank is on the first pending phase's
    date, which the planned new halls wait for, and the capacity in service is said apart, with its
    date, as not ranked; with no phase pending, on the in-service date (the capacity is there). Given months
    waited (:func:`dcplan.plan_dates.with_wait`), the clause says so: "given 9.0 months waited without power by ..."."""
    fp = grid.first_power(grid.energization_dates(interconnection))
    filed = f"{pd.Timestamp(interconnection.filed):%Y-%m-%d}"
    T = time_to_power_median_months
    given = f", {w}" if (w := grid.wait_words(interconnection)) else ""
    if fp["in_service_since"] is None:
        return (f"first power (median) on {fp['date']:%Y-%m-%d} (rank {rank}, earliest first; "
                f"{T:.1f} months from its filing on {filed}{given})")
    live = f"power already in service since {fp['in_service_since']:%Y-%m-%d} ({fp['in_service_mw']:,.4g} MW"
    if fp["pending"] is None:
        return live + f"; rank {rank}, earliest first); no phase pending"
    return (f"new capacity first energized (median) on {fp['pending']:%Y-%m-%d}, its first pending phase "
            f"({fp['pending_label']}, {fp['pending_mw']:,.4g} MW; rank {rank} on this date, earliest first; "
            f"time to power {T:.1f} months from its filing on {filed}{given}); {live}, powering the halls running on "
            "it: not ranked)")


def horizon_last_month(spec, y) -> pd.Period:
    """The finance horizon's last calendar month (:func:`dcplan.tco.calendar_months` of the TCO's
    inputs for the site: ``fleet_start - build_months + 12 horizon_years - 1``)."""
    from .tco import calendar_months, inputs_from_site
    inputs = inputs_from_site(spec, n_accelerators=int(y.n_accelerators), it_capacity_kw=float(y.design_it_kw),
                              it_energy_kwh=float(pipeline.figures(y)["it_mwh"]) * 1000.0, site_year=y)
    return calendar_months(inputs)[-1]


def after_horizon_text(interconnection, last_month) -> str | None:
    """The verdict's warning for phases planned to count only after the finance horizon's last month
    (:func:`dcplan.grid.phases_after`), or None when every phase counts within it."""
    late = grid.phases_after(interconnection, last_month)
    if not late:
        return None
    which = ", ".join(f"{lab} ({mw:,.4g} MW, planned {d:%Y-%m-%d})" for lab, mw, d in late)
    return (f"{which} {'is' if len(late) == 1 else 'are'} planned after the finance horizon, which ends "
            f"{last_month:%Y-%m}: GPUs that need that capacity, bought on plan, sit idle for the whole horizon "
            "(in the TCO and in the cost of waiting)")


def never_powered(cap_mw: float, facility_kw: float, n_gpus: int, unit: int = 1) -> int:
    """GPUs a contract of ``cap_mw`` [MW] never powers at ``facility_kw`` [kW] for the ``n_gpus`` GPUs, in whole
    units of ``unit`` GPUs (a rack or server, :func:`dcplan.grid_ramp.power_unit_gpus`), as the interconnection
    notebook's ``gpus_never_powered``: :func:`dcplan.design_hours.gpus_never_powered` of the units.

    >>> never_powered(17.0, 18_516.5, 9_216), never_powered(17.0, 18_516.5, 9_216, 72)   # 117 racks powered
    (755, 792)
    """
    from .design_hours import gpus_never_powered
    if n_gpus <= 0 or n_gpus % unit:
        unit = 1
    return unit * gpus_never_powered(cap_mw, facility_kw / n_gpus * unit if n_gpus > 0 else 0.0, n_gpus // unit)


def _contract_parts(f: dict, cap_mw: float, design_facility_kw: float, design_it_kw: float, *,
                    short: bool = False, worst: dict | None = None, n_gpus: int = 0, unit: int = 1) -> list[str]:
    """The grid draw against the contracted capacity (every phase energized), on hourly means (the
    capacity check's step: the load's peaks within an hour are higher), and the facility power at full
    design IT against it: in the design hour (``design_facility_kw``, :func:`dcplan.thermal.design_hour_pue`:
    the worst hour of the site's 0.4 % design days; ``short``: the plant cannot carry the design IT
    there, so a plant that does would draw more) and in the typical year's worst hour (``worst``,
    :func:`dcplan.design_hours.typical_year_worst_hour`: the ``interconnection`` notebook's
    ``facility_design_kw``, with the ``n_gpus`` GPUs its ``gpus_never_powered`` counts). The two
    are different hours, so each is named; a draw within the contract on hourly means is followed by
    "but" when either needs more than the contract."""
    from .design_hours import hour_text
    over_h = f.get("hours_over_contract_h", 0.0)
    sub = "the load's 1-s to 15-min peaks within an hour are higher"
    if over_h > 0:
        parts = [f"the grid draw is over the contracted {cap_mw:,.4g} MW in {over_h:,.0f} "
                 f"hour{'' if over_h == 1 else 's'} of the typical year (peak {f['peak_grid_kw'] / 1000:,.2f} MW, "
                 f"{f['peak_excess_kw']:,.0f} kW over), counted on hourly means ({sub})"]
    else:
        parts = [f"the grid draw stays within the contracted {cap_mw:,.4g} MW all year on hourly means "
                 f"(highest hourly mean {f['peak_grid_kw'] / 1000:,.2f} MW; {sub})"]
    but = "but " if over_h <= 0 else ""
    cap_kw = 1000.0 * cap_mw
    dh_over = design_facility_kw > cap_kw
    dh_pue = design_facility_kw / design_it_kw if design_it_kw > 0 else float("nan")
    dh_what = f"the worst hour of the site's 0.4 % design days, PUE {dh_pue:.4f}"
    if dh_over:
        parts.append(f"{but}at full design IT ({design_it_kw / 1000:,.2f} MW) the design hour needs "
                     f"{'at least ' if short else ''}{design_facility_kw / 1000:,.2f} MW at the facility"
                     f"{' (its cooling plant is short on the design days)' if short else ''}, more than the contract "
                     f"({dh_what})")
    if worst is None:
        return parts
    wk = float(worst["facility_kw"])
    when = (f"{hour_text(worst)}, PUE {worst['pue']:.4f}"
            + ("; its plant is short then, so this counts cooling only for the heat it removes" if worst["short"]
               else ""))
    need = f"{'at least ' if worst['short'] else ''}{wk / 1000:,.2f} MW"
    if wk > cap_kw:
        gpus = ""
        if n_gpus > 0:
            never = never_powered(cap_mw, wk, n_gpus, unit)
            gpus = (f": the contract powers {n_gpus - never:,} of the {n_gpus:,} GPUs then, {never:,} never "
                    "(its gpus_never_powered" + (f"; in whole units of {unit} GPUs, a rack or server" if unit > 1
                                                 else "") + ")")
        if dh_over:
            parts.append(f"the typical year's own worst hour ({when}) needs {need}, the interconnection notebook's "
                         f"design facility power (facility_design_kw){gpus}")
        else:
            parts.append(f"{but}at full design IT ({design_it_kw / 1000:,.2f} MW) the typical year's worst hour "
                         f"({when}) needs {need} at the facility, more than the contract: the interconnection "
                         f"notebook's design facility power (facility_design_kw){gpus}; the design hour "
                         f"({dh_what}) needs {design_facility_kw / 1000:,.2f} MW")
    elif dh_over:
        parts.append(f"the typical year's own worst hour ({when}) needs {need}, within the contract (the "
                     "interconnection notebook's facility_design_kw: no GPU left unpowered)")
    return parts


def site_verdict(spec, y, portfolio, *, variant: Callable = lambda s: s,
                 tokens_per_s_per_accelerator: float = 0.0, design_facility_kw: float | None = None,
                 design_hour: dict | None = None, worst_hour: dict | None = None,
                 extremes: pd.DataFrame | None = None) -> Verdict:
    """Rank ``spec`` against the other sites of ``portfolio`` and say it in one paragraph.

    Parameters
    ----------
    spec : Site
        The site, with the overrides already applied (``variant(portfolio[spec.id])``).
    y : SiteYear
        ``pipeline.run_site_year(spec)``.
    portfolio : Portfolio
        Its portfolio; every other site is ranked as ``variant(site)``. A site ``variant``
        refuses (:class:`~dcplan.errors.InputError`: an override it cannot take) is left out
        and listed in :attr:`Verdict.left_out` and the text.
    variant : callable
        The notebook's overrides, applied to a peer site.
    tokens_per_s_per_accelerator : float
        Throughput for every site [tokens/s per accelerator]; 0: each fleet's example figure.
    design_facility_kw : float, optional
        Facility power in the design hour at full design IT [kW]
        (:func:`dcplan.thermal.design_hour_pue`); taken from ``design_hour`` (or computed) when
        not given.
    design_hour : dict, optional
        :func:`dcplan.thermal.design_hour_pue` of the site at ``y.design_it_kw`` (its
        ``facility_kw`` and whether the plant is ``short`` on its design days); computed when not
        given (on the site's ``electrical:`` chain, as the pipeline).
    worst_hour : dict, optional
        :func:`dcplan.design_hours.typical_year_worst_hour` of the site at ``y.design_it_kw`` on
        ``y.weather`` (the ``interconnection`` notebook's ``facility_design_kw``); computed when not given
        (about 10 ms; on the site's ``electrical:`` chain).
    extremes : pandas.DataFrame, optional
        :func:`dcplan.verdict_extremes.site_extremes` (computed when not given, about 30 ms).
    """
    site = spec.id
    f = pipeline.figures(y)
    rows, left_out, specs = [], {}, {site: spec}
    for s in portfolio:
        if s.id == site:
            rows.append(site_row(spec, y, tokens_per_s_per_accelerator=tokens_per_s_per_accelerator))
            continue
        # a warning the peer's loading or modelling raises (its leap weather year, its plant short in
        # its hot hours) is the peer's: said naming it, not as this site's own caveat
        with as_peer(s.name, s.id):
            try:
                v = variant(s)
            except InputError as e:  # air for a liquid-only fleet, a count out of range, measured it_kw
                left_out[s.id] = str(e)  # power that fleet_scale cannot scale
                continue
            rows.append(site_row(v, tokens_per_s_per_accelerator=tokens_per_s_per_accelerator))
        specs[s.id] = v
    # the electricity costs at one price date, as the portfolio comparison ranks them (dcplan.portfolio_prices)
    peers = with_costs_at_common_date(pd.DataFrame(rows).set_index("site"))
    if "first_energized_p50" in peers:  # when power arrives, on a date common to the ranked sites
        peers["first_energized_p50"] = pd.to_datetime(peers["first_energized_p50"])
        peers["first_power_months"] = first_power_months(peers["first_energized_p50"])
    ranks = {c: rank_of(peers[c], site) if c in peers else None for c in RANKED}

    dp = decimals_apart(peers["annual_pue"], 3) if ranks["annual_pue"] else 3
    parts = [f"{spec.name}: annual PUE {f['annual_pue']:.{dp}f} (rank {rank_text(ranks['annual_pue'])} "
             "in the portfolio, lowest first)"]
    plants = _plant_mix(specs, peers["annual_pue"].dropna().index, site) if ranks["annual_pue"] else None
    differs = plants is not None  # the sites ranked run other plants or parts than this site
    if plants:
        parts.append(plants)
    # the sites the per-token rank compares, or this site alone
    tok_sites = [site] + [sid for sid in (peers["usd_per_m_tokens"].dropna().index if ranks["usd_per_m_tokens"] else [])
                          if sid != site]
    borrowed = {} if tokens_per_s_per_accelerator > 0 else {
        sid: hw for sid in tok_sites if (hw := power.borrowed_throughput(specs[sid]))}
    own = {} if tokens_per_s_per_accelerator > 0 else {
        sid: rate for sid in tok_sites if (rate := power.own_throughput(specs[sid])) is not None}
    caveat = _caveat(borrowed, _names(specs, site), bool(ranks["usd_per_m_tokens"]), tokens_per_s_per_accelerator,
                     own, len(tok_sites))
    if ranks["usd_per_m_tokens"]:
        paid = paid_for_text(peers.loc[site].get("pv_annual_cost_usd", 0.0),
                             peers.loc[site].get("battery_annual_cost_usd", 0.0))
        # its own cost at its tariff's prices; the rank at the common date, and the escalation it rests on
        parts += electricity_text(peers, site, _names(specs, site), tok_sites, rank_text(ranks["usd_per_m_tokens"]),
                                  paid)
        if borrowed or own:  # the rank per million tokens rests on borrowed or site-given figures: said
            parts.append(caveat)
        if (mix := _hardware_mix(specs, tok_sites, site)) is not None:
            parts.append(mix)
            differs = True
    elif spec.tariff is None:
        parts.append("no electricity cost (the site has no tariff: section)")
    # whether the on-site PV pays for itself can rest on its demand-charge saving, an upper bound from
    # hourly-mean PV (a tester's Phoenix: +41,687 USD a year with it, -29,631 without): said when it does
    # with the price it rests on (an estimate unless the site gives its own) and its break-even (dcplan.input_status)
    if (pv := pv_verdict_clause(pv_value := pv_value_of_year(y))) is not None:
        parts.append(f"{pv}, {pv_basis_text(pv_value, pv_annual_cost(y.site))}")
    if ranks["first_power_months"]:
        parts.append(first_power_text(with_wait(spec).interconnection, f["time_to_power_median_months"],
                                      rank_text(ranks["first_power_months"])))
    elif spec.interconnection is None:
        parts.append("no time to power (the site has no interconnection: section)")
    if left_out:
        parts.append(f"ranked among {len(peers)} of the portfolio's {len(portfolio.sites)} sites "
                     f"({', '.join(left_out)} left out: the overrides do not apply to them)")
    parts.append(derate_text(f["derate_h"]))
    if (ext := extremes_clause(site_extremes(spec, y) if extremes is None else extremes)) is not None:
        parts.append(ext)
    if design_hour is None:
        design_hour = thermal.design_hour_pue(y.design_it_kw, y.weather, spec.cooling,
                                              electrical_chain=spec.electrical.stages())
    if (short := design_short_text(design_hour, y.design_it_kw)) is not None:
        parts.append(short)
    short_of_design = False  # the facility at full design IT needs more than the contract (either hour)
    never = 0  # GPUs the contract never powers in the typical year's worst hour at full design IT
    if spec.interconnection is not None:
        if design_facility_kw is None:
            design_facility_kw = design_hour["facility_kw"]
        if worst_hour is None:
            worst_hour = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling,
                                                              electrical_chain=spec.electrical.stages())
        cap_kw = 1000.0 * grid.contracted_mw(spec.interconnection)
        short_of_design = max(design_facility_kw, worst_hour["facility_kw"]) > cap_kw
        from .grid_ramp import power_unit_gpus
        unit = power_unit_gpus([p.hardware for p in spec.fleet.phases if p.count > 0])  # racks / servers, whole
        if worst_hour["facility_kw"] > cap_kw and y.n_accelerators > 0:
            never = never_powered(grid.contracted_mw(spec.interconnection), worst_hour["facility_kw"],
                                  int(y.n_accelerators), unit)
        parts += _contract_parts(f, grid.contracted_mw(spec.interconnection), design_facility_kw, y.design_it_kw,
                                 short=bool(design_hour.get("short")), worst=worst_hour,
                                 n_gpus=int(y.n_accelerators), unit=unit)
        # GPUs installed before a later grid phase: the hourly check is on the full build-out only
        if (gap := plan_gap_text(spec, float(worst_hour["facility_kw"]))) is not None:
            parts.append(gap)
    late = (after_horizon_text(spec.interconnection, horizon_last_month(spec, y))
            if spec.interconnection is not None and spec.interconnection.phases else None)
    # a figure every ranked site shares tells them apart in nothing: no first or last place on it
    tied = tuple(c for c in RANKED if ranks[c] and c in peers and all_tied(peers[c]))
    t = tone(ranks, tied)
    # a plant short of its own IT or a contract that never powers some GPUs blocks the site whatever its
    # ranks (a tester's plant short in 4,110 h and a contract leaving 755 GPUs unpowered were each "a strong
    # candidate" on ranks alone)
    blocked = blocked_text(f["derate_h"], float(y.plant["derate_kw"].max()) if "derate_kw" in y.plant else 0.0,
                           never, int(y.n_accelerators))
    if blocked is not None:
        t = NOT_A_CANDIDATE
    # the tone ranks this site's fleet and plant against the others' when they differ, not its location
    own = ", its own fleet and plant against the others'," if differs else ""
    text = "; ".join(parts) + f". On these numbers{own} it is {t}" + (f": {blocked}." if blocked else ".")
    if f.get("hours_over_contract_h", 0.0) <= 0 and short_of_design and not never:
        text += (" Its contract does not cover the full fleet at full design IT (above): contract more, or plan for "
                 "the GPUs it leaves unpowered.")
    if late:
        text += f" But {late}."
    if f.get("hours_over_contract_h", 0.0) > 0:
        has_battery = spec.interconnection is not None and spec.interconnection.battery is not None
        text += (" As planned it draws more than its contracted capacity: that must be covered first "
                 + ("(a larger contract, curtailment, a larger battery or on-site generation: its own battery, "
                    "counted in that grid draw, does not hold the contract)." if has_battery else
                    "(a larger contract, curtailment, a battery or on-site generation)."))
    return Verdict(text=text, caveat=caveat, tone=t, ranks=ranks, peers=peers, left_out=left_out)


from .verdict_inputs import LEAD_TIME_STATUS, lead_time_status, weather_text  # noqa: E402,F401  (re-exported)
