"""Words of the off-peak notebook's figures (``notebooks/offpeak_scheduling.ipynb``), for :mod:`dcplan.schedule`.

Each function turns what a schedule computed into the label or sentence a reader sees beside a
published figure, so the notebook only calls them:

* :func:`of_fleet`, :func:`figure`: a figure of the scheduled fleet, the number or ``"n/a: <why>"``,
  its label saying where that fleet is not the site's;
* :func:`week_bill_note`, :func:`coincident_note`: what a week's bill holds (the week's energy, the
  whole month's demand and fixed charges, the coincident peaks that fall in the week);
* :func:`reduction_label`, :func:`top_charge_note`: the billed demand a reduction is of, and the demand
  charge that saves most;
* :func:`case_text`, :func:`sensitivity_point`: a sensitivity case in words, and its figure or why it
  has none;
* :func:`partial_months`: billing months a run covers only in part;
* :func:`site_assets_text`, :func:`it_gap_text`: the site's PV and battery, and the scheduled IT
  against the site's, cause by cause (:func:`dcplan.schedule_idle.it_gap_mwh`);
* :func:`burst_text`: run-ASAP's site peak in numbers, how near the site cap it comes and the optimized one's;
* :func:`one_price_note`: under one energy price and no demand charge, the saving against the site's own bill is
  the load models' difference;
* :func:`rolling_asap_labels`, :func:`asap_bound_text`: the labels of the rolling horizon's saving vs run-ASAP, saying
  that baseline is not the site's bill, and what the saving against it is (largely its burst only where it is);
* :func:`greedy_burst_text`: greedy's bill against the site's own, and the part of the saving vs greedy that only
  cuts greedy's burst above the site's billed demand;
* :func:`above_site_months_text`: the monthly billed demands behind the demand saving above the site's
  (:func:`dcplan.schedule_demand.above_site_by_month`);
* :func:`window_caveat`: the bills' demand-window caveat (``Bill.notes``), once for all the strategies' bills.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .schedule_demand import OWN_PEAK_CHARGES

__all__ = ["mix_misfit_fix", "of_fleet", "figure", "on_superseded_rate", "week_bill_note", "coincident_note", "reduction_label",
           "top_charge_note",
           "case_text", "sensitivity_point", "partial_months", "site_assets_text", "it_gap_text",
           "above_site_months_text", "burst_text", "one_price_note", "rolling_asap_labels", "ASAP_BASELINE",
           "burst_note", "window_caveat", "AT_CAP_REL", "asap_bound_text", "LARGELY_FRAC",
           "ASAP_RULE", "greedy_burst_text"]

#: What run-ASAP does (:func:`dcplan.schedule_baselines.asap`: an earliest-deadline-first list scheduler).
ASAP_RULE = ("the jobs in deadline order, each at full power from its earliest start in the first intervals the "
             "site's limits leave room")
#: What the run-ASAP baseline is, in the labels of a saving against it.
ASAP_BASELINE = (f"baseline run-ASAP: the same synthetic jobs, {ASAP_RULE.removeprefix('the jobs ')}; "
                 "not the site's bill")

#: The share of the demand-charge part of a saving vs run-ASAP above which a label calls that part "largely"
#: run-ASAP's burst above the site's own billed demand: more than half, what "largely" says. (The labels called it
#: largely burst at Phoenix, where the burst was 43 % of it in the week and 30 % over the year.) [-]
LARGELY_FRAC = 0.5


def asap_bound_text(above_usd: float, demand_saving_usd: float) -> str:
    """What a saving vs run-ASAP is, for its label: an upper bound of what scheduling saves (run-ASAP weighs neither
    price nor peak), and, only where more than :data:`LARGELY_FRAC` of its demand-charge part ``demand_saving_usd``
    only cuts run-ASAP's burst above the site's own billed demand (``above_usd``,
    :func:`dcplan.schedule_demand.saving_above_site`), that this part is largely that burst. [USD]

    >>> asap_bound_text(43.0, 100.0)
    'an upper bound of what scheduling saves: run-ASAP weighs neither price nor peak'
    >>> asap_bound_text(66.0, 100.0)[79:]
    "; its demand-charge part is largely (66 %) a cut of run-ASAP's burst above the site's modelled billed demand"
    """
    head = "an upper bound of what scheduling saves: run-ASAP weighs neither price nor peak"
    ok = np.isfinite(above_usd) and np.isfinite(demand_saving_usd) and demand_saving_usd > 0.0
    frac = above_usd / demand_saving_usd if ok else np.nan
    if not frac > LARGELY_FRAC:
        return head
    return (f"{head}; its demand-charge part is largely ({f'{frac:.0%}'.replace('%', ' %')}) a cut of run-ASAP's "
            "burst above the site's modelled billed demand")


def greedy_burst_text(above_usd: float, demand_saving_usd: float, greedy_over_site_usd: float, *,
                      key: str = "rolling_demand_saving_vs_greedy_above_site_usd", span: str = "the same weeks",
                      step: str = "", kws: str = "") -> str:
    """What the saving vs the cheapest-hours greedy baseline rests on, for its label (``""`` where nothing is known).

    Greedy is blind to demand charges: it piles work into the cheapest hours and can peak above the site's own
    modelled load, so, as for run-ASAP (:func:`asap_bound_text`), the label gives greedy's bill against the site's own
    over the same weeks (``greedy_over_site_usd``, greedy's bill less the site's, after PV, no battery) and the part
    ``above_usd`` of the saving's demand-charge part ``demand_saving_usd`` that only cuts greedy's own burst above
    the site's billed demand (:func:`dcplan.schedule_demand.saving_above_reference` of greedy, the optimized
    schedule and the site's bill: ``max(0, G - max(S, O))`` kW each month and charge, at greedy's rate), called
    largely that burst where more than :data:`LARGELY_FRAC` of it is. (Chicago's headline, 282,049 USD "what the
    optimization adds over greedy", did not say that greedy's bill is 231,069 USD above the site's own and that
    227,404 USD of it is that cut.) ``key``: the published figure of that part; ``span``: what the bills are over
    (``"the same hours"`` for a week); ``step``: the site load's interval, where said (``", at 15 min"``); ``kws``:
    the billed demands behind the part (:func:`dcplan.schedule_demand.highest_kw_text`), said beside it. [USD]

    >>> greedy_burst_text(80.0, 100.0, 90.0)
    "; greedy's bill is 90 USD above the site's own modelled bill over the same weeks (after PV, no battery); its \
demand-charge part is largely (80 %) a cut of greedy's own burst above the site's modelled billed demand: of its 100 \
USD demand-charge part, 80 USD only cuts greedy's peaks above the site's billed demand \
(rolling_demand_saving_vs_greedy_above_site_usd)"
    >>> greedy_burst_text(0.0, 100.0, -5.0)
    "; greedy's bill is 5 USD below the site's own modelled bill over the same weeks (after PV, no battery)"
    """
    parts = []
    if np.isfinite(greedy_over_site_usd):
        parts.append(f"greedy's bill is {abs(greedy_over_site_usd):,.0f} USD "
                     f"{'above' if greedy_over_site_usd >= 0 else 'below'} the site's own modelled bill over {span} "
                     f"(after PV, no battery{step})")
    if np.isfinite(above_usd) and np.isfinite(demand_saving_usd) and demand_saving_usd > 0.0 and above_usd > 0.0:
        frac = above_usd / demand_saving_usd
        share = f"{frac:.0%}".replace("%", " %")
        head = (f"its demand-charge part is largely ({share}) a cut of greedy's own burst above the site's modelled "
                f"billed demand: of its {demand_saving_usd:,.0f} USD demand-charge part, {above_usd:,.0f} USD only "
                if frac > LARGELY_FRAC else
                f"of its {demand_saving_usd:,.0f} USD demand-charge part, {above_usd:,.0f} USD ({share}) only ")
        parts.append(head + f"cuts greedy's peaks above the site's billed demand ({kws + '; ' if kws else ''}{key})")
    return "".join(f"; {p}" for p in parts)


def of_fleet(text: str, fleet_note: str = "") -> str:
    """A label of a figure of the scheduled fleet: says so where that fleet is not the site's (``fleet_note``,
    :attr:`dcplan.offpeak_params.Setup.fleet_note`: a ``utilisation_frac`` whose fleet, must-run + the job mix,
    runs at another share than the site's ``fleet.utilisation_frac``; empty: the site's fleet).

    >>> of_fleet("Week bill", "NOT the site's fleet"), of_fleet("Week bill")
    ("Week bill [NOT the site's fleet]", 'Week bill')
    """
    return f"{text} [{fleet_note}]" if fleet_note else text


#: The flexible share's default (the off-peak notebook's ``flex_share_frac``,
#: :func:`dcplan.schedule_setup.site_schedule_inputs`): a dcplan assumption, no source (data/SOURCES.md lists it).
FLEX_SHARE_DEFAULT = 0.5


def flex_share_note(flex_share_frac: float) -> str:
    """What the savings' labels say of the flexible share they rest on: the share of the design IT that runs
    flexible jobs, ``flex_share_frac``, is an assumption (dcplan's default 0.5, unsourced: data/SOURCES.md), and
    the savings scale with it (only flexible jobs are moved).

    >>> flex_share_note(0.5)[:75]
    'flexible share flex_share_frac 0.5 of the design IT: a dcplan assumption (t'
    """
    which = "the default" if float(flex_share_frac) == FLEX_SHARE_DEFAULT else f"the default is {FLEX_SHARE_DEFAULT:g}"
    return (f"flexible share flex_share_frac {float(flex_share_frac):g} of the design IT: a dcplan assumption "
            f"({which}), not sourced (data/SOURCES.md); the savings scale with it")


#: A USD figure closer to 0 than this is published as 0: half a cent, below which a saving rounds to 0 cents (a
#: bill is paid in cents). A saving that is the difference of two equal bills summed in another order (-1.46e-11
#: USD), or of two rolling-horizon bills whose schedules differ by a HiGHS tolerance (-2.35e-06 USD, phoenix-az
#: with jobs_example.csv over 4 weeks), is no saving, and a reader of "-2.35e-06 USD" looks for one. (Was 1e-6 USD,
#: which let the -2.35e-06 through.) [USD]
USD_ZERO = 0.005


def figure(value, unit, text: str, key, why: dict, fleet_note: str = "") -> tuple:
    """A figure of the scheduled fleet to publish, ``(value, unit, label)``: the number, or where there is none
    (``key`` in ``why``, or a NaN) ``"n/a: "`` and the reason, without a unit; its label says where that fleet
    is not the site's (:func:`of_fleet`). A USD figure below :data:`USD_ZERO` (half a cent) in magnitude is 0.

    >>> figure(12.0, "USD", "Week: saving", "vs_asap_usd", {})
    (12.0, 'USD', 'Week: saving')
    >>> figure(12.0, "USD", "Week: saving", "vs_asap_usd", {"vs_asap_usd": "run-ASAP left 2 jobs unplaced"})
    ('n/a: run-ASAP left 2 jobs unplaced', None, 'Week: saving')
    >>> figure(-1.4551915228366852e-11, "USD", "Week: saving", "vs_asap_usd", {})
    (0.0, 'USD', 'Week: saving')
    >>> figure(-2.35e-06, "USD", "Rolling: saving vs greedy", "vs_greedy_usd", {})
    (0.0, 'USD', 'Rolling: saving vs greedy')
    """
    if key in why or not np.isfinite(value):
        return f"n/a: {why.get(key, 'no figure')}", None, of_fleet(text, fleet_note)
    value = float(value)
    if unit == "USD" and abs(value) < USD_ZERO:  # rounds to 0 cents (a difference of two bills' rounding): 0
        value = 0.0
    return value, unit, of_fleet(text, fleet_note)


def week_bill_note(bill_months, has_demand: bool, has_fixed: bool) -> tuple[str, str, str]:
    """What a bill of a week holds: ``(months, whole, note)``.

    A bill of the week charges the demand and the fixed charge of each month it touches for the whole month
    (:meth:`dcplan.tariff.Tariff.bill`); ``months`` names those billing months, ``whole`` the whole-month
    charges there are (``"demand and fixed"``, ``"demand"``, ``"fixed"`` or ``""``) and ``note`` says it all.

    >>> week_bill_note(["2025-07"], True, True)[2]
    "the week's energy + the whole month's demand and fixed charges of billing month 2025-07"
    >>> week_bill_note(["2025-10", "2025-11"], True, False)[0]
    'each of billing months 2025-10, 2025-11'
    """
    bill_months = [str(m) for m in bill_months]
    months = (f"billing month {bill_months[0]}" if len(bill_months) == 1 else
              f"each of billing months {', '.join(bill_months)}")
    whole = " and ".join(k for k, on in (("demand", has_demand), ("fixed", has_fixed)) if on)
    note = f"the week's energy + the whole month's {whole} charges of {months}" if whole else "the week's energy"
    return months, whole, note


def coincident_note(peaks, used, span: str = "the week") -> str:
    """Words for a bill's coincident-peak charges: which system peaks it takes. ``""`` without such charges
    (``peaks`` None).

    ``peaks`` are the site's ``tariff.coincident_peaks`` (:func:`dcplan.tariff_site.site_coincident_peaks`),
    ``used`` those whose interval lies in the billed load (:func:`dcplan.schedule_demand.peaks_in`): a bill of
    ``span`` sees only the load there, so each month's coincident demand is the mean at its peaks in ``span``
    and a month with none there bills no coincident charge.

    >>> coincident_note(["a", "b", "c"], ["b"])
    "; coincident-peak charges at the 1 of the site's 3 system peaks in the week (tariff.coincident_peaks)"
    """
    if peaks is None:
        return ""
    n, k = len(list(peaks)), len(list(used or []))
    return f"; coincident-peak charges at the {k} of the site's {n} system peaks in {span} (tariff.coincident_peaks)"


def reduction_label(dem: pd.DataFrame, why: dict) -> tuple[str, dict]:
    """The label of the week's billed-demand reduction and its reasons: ``(label, why)``.

    ``dem`` is :attr:`dcplan.schedule.ScheduleResult.demand_by_charge`, ``why`` the result's
    ``not_comparable``. One billed demand says what the schedule cut only where one demand charge on the
    site's own peak is priced (:data:`dcplan.schedule_demand.OWN_PEAK_CHARGES`): the label then names it;
    otherwise the figure is n/a with a reason under ``billed_demand_reduction_kw``.
    """
    own = dem[dem["charge"].isin(OWN_PEAK_CHARGES)]
    if len(own) == 1:
        one = own.iloc[0]
        return (f"Week: reduction in billed demand vs run-ASAP ({one.text}: the tariff's one demand charge on the "
                "site's own peak; grid import after on-site PV in its hours, as the bill measures it; negative: the "
                "optimized billed demand is higher)"), why
    return "Week: reduction in billed demand vs run-ASAP", {
        "billed_demand_reduction_kw": "the tariff bills no demand charge on the site's own peak" if own.empty
        else f"the tariff bills {len(own)} demand charges, each on the peak of its own hours at its own rate "
        f"({'; '.join(own.text)}), so no one billed demand says what the schedule cut: each charge's billed "
        "demand and saving is published (week_billed_demand_<charge>_asap_kw, _optimized_kw, "
        "week_demand_saving_<charge>_usd), their sum in week_saving_demand_vs_asap_usd"}


def top_charge_note(dem: pd.DataFrame) -> str:
    """``"; most of it on <charge>: <USD> USD"``: the demand charge with the largest saving, named where there
    are several (each with a saving); ``""`` otherwise."""
    if len(dem) > 1 and dem["saving_usd"].notna().all():
        k = dem["saving_usd"].idxmax()
        return f"; most of it on {dem.at[k, 'text']}: {dem.at[k, 'saving_usd']:,.0f} USD"
    return ""


def case_text(case) -> str:
    """A sensitivity case in words.

    >>> case_text(("slack", 0.0)), case_text(("spread", 2.0))
    ('deadline slack kept 0 of the original (no flexibility)', "price spread 2 x the tariff's")
    """
    kind, k = case
    if kind == "slack":
        return f"deadline slack kept {k:g} of the original" + (" (no flexibility)" if k == 0 else "")
    return f"price spread {k:g} x the tariff's" + (" (flat price)" if k == 0 else "")


def sensitivity_point(r, what: str) -> tuple[float, str]:
    """A sensitivity case's figure, ``(value, why not)``: ``what`` ``"bill"`` (the optimized bill) or
    ``"saving"`` (the billed saving vs run-ASAP) of ``r``, a :class:`dcplan.schedule.ScheduleResult` or the
    :class:`dcplan.schedule.ScheduleInfeasible` of a mix that does not fit. Where there is no figure (the mix does
    not fit; for a saving, run-ASAP leaves jobs unplaced) the value is NaN and ``why not`` says why; else
    ``why not`` is ``""``. [USD]"""
    from .schedule import ScheduleInfeasible
    if isinstance(r, ScheduleInfeasible):  # the mix does not fit: say which jobs, plot nothing
        return np.nan, (f"infeasible, {len(r.shortfall)} jobs short, {r.shortfall['unplaced_kwh'].sum():,.0f} kWh "
                        "in total")
    if what == "bill":
        return float(r.costs.at["optimized", "bill_total_usd"]), ""
    if "vs_asap_usd" in r.not_comparable:  # ASAP did less work: no saving, plot nothing
        return np.nan, r.not_comparable["vs_asap_usd"]
    return float(r.savings["vs_asap_usd"]), ""


def partial_months(index: pd.DatetimeIndex, step: str = "1h") -> list[str]:
    """Billing months an interval-ending ``index`` of ``step`` covers only in part (local interval starts).

    >>> partial_months(pd.date_range("2025-01-01 01:00", "2025-12-31 00:00", freq="h", tz="UTC"))
    ['2025-12']
    """
    s = (index - pd.Timedelta(step)).tz_localize(None)
    return [str(m) for m in s.to_period("M").unique()
            if s[0] > m.start_time or s[-1] + pd.Timedelta(step) <= m.end_time]


def site_assets_text(has_pv: bool, has_battery: bool) -> tuple[str, str]:
    """``(what the site has, a bill without them)`` in words, naming only what the site has.

    >>> site_assets_text(True, False)
    ('on-site PV, no battery', 'without its on-site PV (it has no battery)')
    """
    has = (bool(has_pv), bool(has_battery))
    site_has = {(True, True): "on-site PV and battery", (True, False): "on-site PV, no battery",
                (False, True): "battery, no on-site PV", (False, False): "no on-site PV or battery"}[has]
    without = {(True, True): "without its on-site PV and battery", (True, False): "without its on-site PV (it has "
               "no battery)", (False, True): "without its battery (it has no on-site PV)",
               (False, False): "(it has no on-site PV or battery)"}[has]
    return site_has, without


def it_gap_text(sched_it_mwh: float, site_it_mwh: float, it_gap: dict, *, fill_frac: float, asked_frac: float,
                idle_frac: float, curve: str, diversity_frac: float) -> str:
    """The scheduled IT (run-ASAP's) against the site's, with the gap by cause (``it_gap``:
    :func:`dcplan.schedule_idle.it_gap_mwh`; a cause under 0.5 MWh is left out), the fill the year's mixes
    achieve (``fill_frac``) against the fill asked, the fleet's idle share, power curve and ``diversity_frac``.

    >>> it_gap_text(7650.0, 7500.0, {"the job mixes' fill": 50.0, "diversity_frac": 0.0}, fill_frac=0.41,
    ...             asked_frac=0.4, idle_frac=0.2, curve="linear", diversity_frac=1.0)[:92]
    "scheduled IT (run-ASAP's) 7,650 MWh vs the site's 7,500 MWh (+2.0%), both with idle power; t"
    """
    return (f"scheduled IT (run-ASAP's) {sched_it_mwh:,.0f} MWh vs the site's {site_it_mwh:,.0f} MWh "
            f"({sched_it_mwh / site_it_mwh - 1:+.1%}), both with idle power; the gap by cause: "
            + (", ".join(f"{k} {v:+,.0f} MWh" for k, v in it_gap.items() if abs(v) >= 0.5) or "none of 1 MWh")
            + f" (the year's mixes fill {fill_frac:.4g} of the flexible capacity, asked {asked_frac:.4g}; the "
            f"fleet's idle share {idle_frac:.4g}, power curve {curve}, diversity_frac {float(diversity_frac):g})")


def above_site_months_text(by_month: pd.DataFrame) -> str:
    """The monthly billed demands behind the part of the demand saving above the site's
    (:func:`dcplan.schedule_demand.above_site_by_month`) in words, and how that part differs from run-ASAP's
    demand charges less the site's; ``""`` without a row. Each month: the billed demand of run-ASAP, the site and
    the optimized schedule, the cut above both ``max(0, run-ASAP - max(site, optimized))`` and its USD at
    run-ASAP's rate of the charge; the charge's key leads where there are several.

    >>> t = pd.DataFrame({"charge": ["all_hours"] * 2, "month": ["2025-07", "2025-08"], "base_kw": [500.0, 400.0],
    ...                   "ref_kw": [300.0, 450.0], "to_kw": [250.0, 300.0], "above_ref_kw": [200.0, 0.0],
    ...                   "usd_per_kw": [10.0, 10.0], "base_usd": [5000.0, 4000.0], "ref_usd": [3000.0, 4500.0],
    ...                   "above_ref_usd": [2000.0, 0.0]})
    >>> print(above_site_months_text(t))
    2025-07: run-ASAP 500 kW, the site 300 kW, optimized 250 kW, above both 200 kW x 10 $/kW = 2,000 USD; 2025-08: \
run-ASAP 400 kW, the site 450 kW, optimized 300 kW, above both 0 kW x 10 $/kW = 0 USD. Sum: 2,000 USD. Run-ASAP's \
demand charges less the site's on these charges: 1,500 USD (a month the site bills more counts negative there, 0 \
here; the part of run-ASAP's excess the optimized schedule does not cut counts there, not here)
    """
    if by_month.empty:
        return ""
    several = by_month["charge"].nunique() > 1
    months = "; ".join(
        f"{f'{r.charge} ' if several else ''}{r.month}: run-ASAP {r.base_kw:,.0f} kW, the site {r.ref_kw:,.0f} kW, "
        f"optimized {r.to_kw:,.0f} kW, above both {r.above_ref_kw:,.0f} kW x {r.usd_per_kw:.5g} $/kW = "
        f"{r.above_ref_usd:,.0f} USD" for r in by_month.itertuples())
    diff = float((by_month["base_usd"] - by_month["ref_usd"]).sum())
    return (f"{months}. Sum: {by_month['above_ref_usd'].sum():,.0f} USD. Run-ASAP's demand charges less the site's "
            f"on these charges: {diff:,.0f} USD (a month the site bills more counts negative there, 0 here; the part "
            "of run-ASAP's excess the optimized schedule does not cut counts there, not here)")


#: Run-ASAP's site load within this share of the site cap (at the same interval) is said to reach the cap: a
#: hundredth, well above the solver's tolerances and below the hundreds of kW by which the example sites that do not
#: reach it stay below (Phoenix 1,462 kW of a 6,649-7,286 kW cap). [-]
AT_CAP_REL = 0.01


def burst_text(asap_site_kw: pd.Series, cap_kw, optimized_site_kw: pd.Series) -> str:
    """Run-ASAP's burst in numbers, for the labels of a saving against it: its highest site load (all hours, before
    PV), whether it reaches the site cap (within :data:`AT_CAP_REL` of the cap at the same interval) or how far below
    the cap it stays at its closest, and the optimized schedule's highest site load. ``cap_kw``: a number or a
    Series on the same index (inf or NaN: no cap). A reader is told what the burst is, not that it is at the cap
    (a saving vs run-ASAP at Phoenix, whose run-ASAP stays 1,462 kW below the cap, was labelled "its demand sits
    at the cap").

    >>> i = pd.RangeIndex(3)
    >>> burst_text(pd.Series([50.0, 99.5, 60.0], i), 100.0, pd.Series([70.0, 70.0, 70.0], i))
    "run-ASAP's site load (all hours, before PV) peaks at 100 kW, at the site cap (100 kW); the optimized \
schedule's at 70 kW"
    >>> burst_text(pd.Series([50.0, 80.0, 60.0], i), pd.Series([100.0, 90.0, 100.0], i), pd.Series([90.0] * 3, i))
    "run-ASAP's site load (all hours, before PV) peaks at 80 kW, 10 kW below the site cap at its closest; the \
optimized schedule's at 90 kW (higher: it moves work into hours a demand charge measures less or not at all)"

    A cap that varies is given where the peak meets it, not where the load comes nearest to it elsewhere:

    >>> burst_text(pd.Series([60.0, 70.0], pd.RangeIndex(2)), pd.Series([60.0, 70.0]), pd.Series([50.0, 50.0]))
    "run-ASAP's site load (all hours, before PV) peaks at 70 kW, at the site cap (70 kW); the optimized schedule's \
at 50 kW"
    """
    asap = pd.Series(asap_site_kw, dtype=float)
    cap = (pd.Series(cap_kw, dtype=float).reindex(asap.index) if isinstance(cap_kw, pd.Series)
           else pd.Series(float(cap_kw), index=asap.index))
    head = f"run-ASAP's site load (all hours, before PV) peaks at {asap.max():,.0f} kW"
    gap = (cap - asap)[np.isfinite(cap)]
    tp = asap.idxmax()
    if gap.empty:
        where = ", with no site cap"
    elif tp in gap.index and gap[tp] <= AT_CAP_REL * cap[tp]:
        # the cap of the peak's own interval: a cap that varies (the hour's PUE) is given where the peak meets it
        # (Chicago read "peaks at 7,060 kW, at the site cap (6,456 kW)", the cap of a December hour)
        where = f", at the site cap ({cap[tp]:,.0f} kW)"
    else:
        t = gap.idxmin()
        where = (f", {gap[tp]:,.0f} kW below the site cap there; at the site cap ({cap[t]:,.0f} kW) in another "
                 "interval" if tp in gap.index and gap[t] <= AT_CAP_REL * cap[t]
                 else f", {gap[t]:,.0f} kW below the site cap at its closest")
    opt = float(pd.Series(optimized_site_kw).max())
    why = (" (higher: it moves work into hours a demand charge measures less or not at all)"
           if opt > float(asap.max()) + 0.5 else "")
    return f"{head}{where}; the optimized schedule's at {opt:,.0f} kW{why}"


def one_price_note(tariff, index: pd.DatetimeIndex) -> str:
    """``"; ..."`` for the labels of the saving against the site's own bill when ``tariff`` has one energy price over
    ``index`` and no demand charge: a schedule then changes the bill only through the plant's hour-by-hour
    efficiency, so that saving (of two load models) is nearly all the models' difference, not a scheduling saving.
    "" otherwise. (A flat-tariff site's headline read -28,321 USD, -0.7 %, "saved" by scheduling that can save
    nothing there: a planner-tester's finding.)

    >>> from dcplan.tariff import Tariff
    >>> i = pd.date_range("2025-01-01 01:00", periods=48, freq="h", tz="UTC")
    >>> one_price_note(Tariff.flat(0.1), i)[:80]
    '; the tariff has one energy price over these hours and no demand charge: a sched'
    >>> one_price_note(Tariff.flat(0.1).with_demand_charge(12.0), i)
    ''
    """
    if (tariff.demand_charges()["usd_per_kw"] > 0).any():
        return ""
    price = np.asarray(tariff.energy_price(index), float)
    if price.size == 0 or np.ptp(price) > 1e-12 * max(1.0, float(np.abs(price).max())):
        return ""
    return ("; the tariff has one energy price over these hours and no demand charge: a schedule changes the bill "
            "only through the plant's hour-by-hour efficiency, so this figure is nearly all the two load models' "
            "difference, not a saving of scheduling")


def rolling_asap_labels(n_weeks: str, idle_kw: float, above_text: str = "", above_short: str = "",
                        part: str = "", jobs_note: str = "", asap_over_site_usd: float = np.nan,
                        burst: str = "", above_usd: float = np.nan, demand_saving_usd: float = np.nan
                        ) -> tuple[str, str]:
    """The labels of the rolling horizon's saving vs run-ASAP and of its share of the run-ASAP bill, each saying
    the baseline is run-ASAP, not the site's bill (:data:`ASAP_BASELINE`; the saving against the site's own bill
    is :func:`dcplan.schedule_site.saving_vs_site`'s), and that the saving is an upper bound, its demand part
    called largely run-ASAP's burst only where more than half of it is (:func:`asap_bound_text` of ``above_usd``,
    the part above the site's billed demand, and ``demand_saving_usd``, the demand-charge part [USD]); its demand
    part is the gap between the two strategies' billed demands at the demand rate; ``burst``: :func:`burst_text`'s
    numbers of run-ASAP's peak (how near the cap it comes), said in the label. ``idle_kw``: the flexible capacity's
    idle draw [kW]; ``above_text``, ``above_short``: :func:`dcplan.schedule_demand.saving_above_site`'s words;
    ``part``: the partly scheduled billing months in words; ``jobs_note``: what else to say of the year's jobs
    (``"; the year's jobs are the synthetic mix, not the jobs of my.csv ..."``), put in both labels' parentheses;
    ``asap_over_site_usd``: run-ASAP's bill less the site's own modelled bill over the same weeks (after PV, no
    battery), said in the share's label (in USD: the label carries no share but its own). [USD]

    >>> rolling_asap_labels("52 weeks", 0.0, burst="run-ASAP's site load peaks at 80 kW, ...", above_usd=30.0,
    ...                     demand_saving_usd=100.0)[0]
    "Billed saving vs run-ASAP over 52 weeks, an upper bound of what scheduling saves: run-ASAP weighs neither price \
nor peak (baseline run-ASAP: the same synthetic jobs, in deadline order, each at full power from its earliest start \
in the first intervals the site's limits leave room; not the site's bill; run-ASAP's site load peaks at 80 kW, ...: \
its demand part is the gap between the two strategies' billed demands at the demand rate; rolling horizon)"
    """
    idle = (f"; flexible accelerators with no job draw idle power, {idle_kw:,.0f} kW, in every strategy"
            if idle_kw > 0 else "")
    site = (f"; that bill is {asap_over_site_usd:,.0f} USD {'above' if asap_over_site_usd >= 0 else 'below'} the "
            "site's own modelled bill over the same weeks (after PV, no battery): not a share of the site's bill, "
            "which rolling_saving_vs_site_frac is" if np.isfinite(asap_over_site_usd) else "")
    return (f"Billed saving vs run-ASAP over {n_weeks}, {asap_bound_text(above_usd, demand_saving_usd)} "
            f"({ASAP_BASELINE}; {burst + ': its' if burst else 'its'} demand part is the gap between the two "
            f"strategies' billed demands at the demand rate; rolling horizon{idle}{jobs_note}){above_text}",
            "Saving as a share of the run-ASAP bill of the scheduled load (synthetic jobs + must-run IT + idle "
            f"flexible capacity, after on-site PV; no battery; {ASAP_BASELINE}{jobs_note}{site}){part}{above_short}")


def burst_note(n_weeks: str, saving_usd: float, above_text: str) -> str:
    """The rolling horizon's saving vs run-ASAP with the part of it that only cuts run-ASAP's burst above the site's
    own load (``above_text``: :func:`dcplan.schedule_demand.saving_above_site`'s words), printed."""
    saving_usd = 0.0 if abs(saving_usd) < USD_ZERO else saving_usd  # float noise: "0 USD", not "-0 USD"
    return (f"Billed saving vs run-ASAP over {n_weeks}: {saving_usd:,.0f} USD{above_text}. Run-ASAP starts each job "
            "at full power from its earliest start (in deadline order, within the site's limits), and in some months "
            "its billed demand lies above the site's own load's: the saving on that part is a saving over the "
            "baseline, not over the site's bill (rolling_saving_vs_site_usd is the saving against the site's bill).")


def window_caveat(bills) -> str:
    """The demand-window caveat of the bills of one run (a ``bills`` dict of :class:`dcplan.tariff_bill.Bill`
    by strategy; :mod:`dcplan.tariff_window_note`), once for them all: each distinct note of theirs that starts
    with :data:`~dcplan.tariff_window_note.WINDOW_NOTE_START`, joined by "; also "; "" when none has one (a
    load on the tariff's demand window or finer, a tariff without demand charges).

    The strategies' bills and the savings between them rest on the same step's means: the note says their
    demand charges are a lower bound where the utility bills a shorter window.

    >>> from types import SimpleNamespace as B
    >>> window_caveat({"asap": B(notes=("demand window: x",)), "optimized": B(notes=("demand window: x", "y"))})
    'demand window: x'
    >>> window_caveat({"asap": B(notes=())})
    ''
    """
    from .tariff_window_note import WINDOW_NOTE_START
    notes = dict.fromkeys(n for b in bills.values() for n in getattr(b, "notes", ()) or ()
                          if n.startswith(WINDOW_NOTE_START))
    return "; also ".join(notes)


def mix_misfit_fix(fill_achieved: float, util_frac: float, util_note: str, flex_share_frac: float, n_jobs,
                   flex_accelerators: float) -> str:
    """What to change when the week's synthetic mix does not fit the site (the notebook's error ends with it).

    The generator gives every job at least one whole accelerator (:func:`dcplan.schedule_generate.generate_jobs`),
    so on a flexible share of a few accelerators ``n_jobs`` jobs fill more than the ``utilisation_frac`` asked
    (a fill above it by more than :data:`dcplan.schedule_generate.FILL_WARN_REL` of it): there fewer jobs, or a larger
    flexible share, make it fit, and a lower ``utilisation_frac`` does not (the jobs are at their floor already).
    ``n_jobs`` is the count, or the :class:`dcplan.schedule_mix.MixSize` the notebook drew with: where that chose
    the count itself (``n_jobs`` -1), the mix is sized to the flexible share already, so only a larger flexible
    share is left to try.

    >>> mix_misfit_fix(0.41, 0.4, " (the site's)", 0.5, 200, 2400.0)
    "lower utilisation_frac (now 0.4 (the site's)) or flex_share_frac (now 0.5)"
    """
    from .schedule_generate import FILL_WARN_REL
    auto = bool(getattr(n_jobs, "auto", False))
    n = int(getattr(n_jobs, "n_jobs", n_jobs))
    if fill_achieved > util_frac * (1.0 + FILL_WARN_REL):
        head = (f"the mix fills {fill_achieved:.3g} of the flexible capacity, not the {util_frac:.3g} asked: its "
                f"{n:,} jobs take at least one whole accelerator each, and the flexible share holds "
                f"{flex_accelerators:,.1f} accelerators, so a lower utilisation_frac does not shrink it; ")
        if auto:
            return head + (f"n_jobs -1 sized the mix to this flexible share already ({n:,} jobs, "
                           "dcplan.schedule_mix), so raise flex_share_frac (now "
                           f"{flex_share_frac:g}) for more accelerators to schedule")
        return head + ("lower n_jobs (and n_nonpreemptible) until the fill printed with the week's jobs is near the "
                       f"one asked, or raise flex_share_frac (now {flex_share_frac:g})")
    return f"lower utilisation_frac (now {util_frac:.3g}{util_note}) or flex_share_frac (now {flex_share_frac:g})"


def on_superseded_rate(figs: dict, tariff) -> dict:
    """``figs`` (key -> ``(value, unit, label)``, as :func:`figure` makes them) with each bill's and saving's
    label (a key naming ``bill`` or ``saving``) saying that ``tariff`` is a superseded rate, its URDB ``enddate``
    (:func:`dcplan.tariff_applicability.with_superseded`); ``figs`` unchanged for a rate without one.

    >>> from types import SimpleNamespace
    >>> on_superseded_rate({"week_bill_usd": (1.0, "USD", "Week bill: x")},
    ...                    SimpleNamespace(metadata={"enddate": "2024-12-31"}))["week_bill_usd"][2][:33]
    'Week bill, on a rate superseded ('
    """
    from .tariff_applicability import with_superseded
    meta = getattr(tariff, "metadata", None)
    return {k: ((*v[:2], with_superseded(v[2], meta), *v[3:]) if ("bill" in k or "saving" in k)
                and isinstance(v, tuple) and len(v) >= 3 and isinstance(v[2], str) else v)
            for k, v in figs.items()}

