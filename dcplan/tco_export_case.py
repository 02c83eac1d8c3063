"""The case a TCO finance export describes, and its caveats (:mod:`dcplan.tco_export`'s
Summary and About rows): the site, the fleet, the scenario, the grid delay used, the share of
the fleet not delayed, the caveats the report states about the inputs, and the Monte Carlo's
NPV percentiles and probability of a loss beside the base case's NPV; the About sheet's texts on
bonus depreciation (:data:`BONUS_DEPRECIATION_RULE`, the caveat :func:`bonus_depreciation_note`), the
insured and taxed value of IT and PV (:data:`IT_PROPERTY_TAX_NOTE`) and a month's hours (:data:`HOURS_NOTE`).

Rows are ``(key, label, value, unit, note)``; a row that holds text has the text as ``note`` and
``value`` None (the site, the scenario, a caveat) or the number it counts (the fleet: its accelerators,
unit ``accelerators``, when the fleet table has them), so the Summary's ``value`` column holds only numbers.
:func:`median_delay_workbook` says how to get the workbook of the case at the site's median grid delay,
whose figures the export's Summary holds without its cash flows.
"""
from __future__ import annotations

import dataclasses
import math
import shlex
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .notebook_params import check_parameters_unchanged  # noqa: F401  (re-exported: the export's check)
from .tco import SCENARIOS, TcoResult, evaluate, metrics, whole_months
from .tco_delay import MEDIAN_SCENARIO, one_sided_note

__all__ = ["CASE_LABELS", "CASE_KEYS", "case_rows", "caveat_figures", "mc_rows", "figure_rows", "about_text",
           "RUN_PARAMETERS", "run_parameters", "check_parameters_unchanged", "BONUS_DEPRECIATION_RULE",
           "bonus_depreciation_note", "npv_at_bonus", "IT_PROPERTY_TAX_NOTE", "HOURS_NOTE", "median_delay_workbook"]

#: What the model does with bonus depreciation (the About sheet's ``tax`` row; the caveat
#: :func:`bonus_depreciation_note`). Source: 26 U.S.C. 168(k) as amended by P.L. 119-21 (2025), s.70301
#: (data/SOURCES.md, costs.csv section).
BONUS_DEPRECIATION_RULE = (
    "Bonus depreciation (IRC 168(k)): the input bonus_depreciation_frac (the site's finance.bonus_depreciation_frac, "
    "default 0) is the share of the basis of every MACRS class with a recovery period of 20 years or less (IT, PV, "
    "battery, the 15-year electrical and mechanical plant and interconnection; never the 39-year building shell) "
    "deducted in the tax year it is placed in service, the rest on its MACRS table. The base case takes no bonus "
    "depreciation (0: conservative); under 26 U.S.C. 168(k) as amended by P.L. 119-21 (2025), 100 % applies to "
    "qualified property acquired after 2025-01-19 unless the owner elects out (a tax adviser should confirm).")
#: How insurance and property tax treat the IT (the About sheet's ``fixed_costs`` row).
IT_PROPERTY_TAX_NOTE = (
    " Insurance and property tax on IT (insurance_frac, property_tax_frac), as IT maintenance (maintenance_it_frac), "
    "are levied on its ORIGINAL COST, the price each installed tranche was bought for (its first purchase or latest "
    "refresh, (1 + it_price_change_frac)^(project year bought - 1) x the year-1 price), inflated each project year, "
    "from purchase to the horizon, never on a depreciated value: "
    "conservative, as personal-property tax is usually assessed on a depreciated value (each jurisdiction's own "
    "schedule). The on-site PV is not charged insurance_frac: its O&M (pv_om_usd_per_kw_dc_year, NREL ATB) "
    "includes its insurance; its property tax is charged.")
#: The hours of a month (the About sheet's ``monthly`` row): the typical year has 365 days.
HOURS_NOTE = ("its calendar month's hours in a 365-day year (744 h in January, 672 h in February; leap days are not "
              "modelled: Feb 29 has no hours, revenue and bill)")

#: Labels of the Summary rows the export adds (the notebook publishes the same keys and labels).
CASE_LABELS = {
    "site": "Site",
    "fleet": "Fleet (hardware key x count per phase, from the site spec)",
    "scenario": "Scenario (dcplan.tco.SCENARIOS)",
    "delay_months": "Grid energization delay used (whole months)",
    "live_fleet_frac": "Share of the fleet powered by grid capacity already in service (not delayed)",
    "price_note": "IT price note",
    "revenue_note": "Price per GPU-hour note (revenue)",
    "grid_delay_vs_site": "The case's grid delay against the site's own distribution (dcplan.grid)",
    "npv_grid_delay_p50": "NPV after tax at the site's median grid delay (dcplan.grid)",
    "tornado_grid_delay": "The tornado's grid-delay range",
    "tornado_price_range": ("The tornado's and Monte Carlo's price per GPU-hour reaches above every sourced price "
                            "(dcplan.tco_ranges.price_range_note)"),
    "tax_losses": "Loss years: negative income tax (a saving), offset against other income",
    "state_tax": "Income tax: the US federal rate only, no state income tax (dcplan.tco_notes.state_tax_note)",
    "us_tax_rules": "Tax: US federal rules for a site outside the US (dcplan.tco_notes.us_tax_rules_note)",
    "brownfield": "An existing campus: the NPV is the campus's, not the expansion's (dcplan.tco_notes.brownfield_note)",
    "mid_quarter": "Tax years that take the mid-quarter convention (IRC 168(d)(3); applied)",
    "residual_sale": "The NPV rests on the residual sale at the horizon (dcplan.tco_notes.residual_sale_note)",
    "residual_sale_grid_delay_p50": ("The NPV at the site's median grid delay rests on the residual sale at the "
                                     "horizon (dcplan.tco_notes.residual_sale_note)"),
    "pv_credit": "No PV tax credit or incentive is modelled (dcplan.tco_assumptions.pv_credit_note)",
    "npv_base_vs_montecarlo": ("The base case's NPV is a tail outcome of its own Monte Carlo "
                               "(dcplan.tco_notes.base_percentile_note)"),
    "npv_grid_delay_p50_vs_montecarlo": ("The NPV at the site's median grid delay is a tail outcome of the Monte "
                                         "Carlo (dcplan.tco_notes.median_delay_percentile_note)"),
    "battery_idle": "The site battery never discharges over the typical year, yet is paid for",
    "facility_phasing": ("The whole facility is bought before the first fleet phase, though phases start more than "
                         "12 months later (dcplan.tco_notes.facility_phasing_note)"),
    "phase_after_horizon": ("Fleet phases starting after the horizon: their IT is never bought, their facility "
                            "share is (dcplan.tco_notes.phase_after_horizon_note)"),
    "mc_npv_p10_usd": "NPV, 10th percentile of the Monte Carlo (downside; every draw valued at the base case's project start)",
    "mc_npv_p50_usd": "NPV, Monte Carlo median (50th percentile; every draw valued at the base case's project start)",
    "mc_npv_p90_usd": "NPV, 90th percentile of the Monte Carlo (upside; every draw valued at the base case's project start)",
    "mc_prob_npv_negative_frac": "Probability NPV < 0 in the Monte Carlo (share of its draws)",
    "montecarlo_one_sided": "Monte Carlo ranges with the base at one end",
    "montecarlo_held": "Inputs held at their base value in the Monte Carlo",
    "montecarlo_grid_delay": "How the Monte Carlo draws the grid delay (the site's own distribution)",
    "montecarlo_horizon": "Monte Carlo draws held at a cap to stay within the horizon",
    "montecarlo_sampling": "Sampling error of the Monte Carlo (dcplan.tco_sampling)",
    "utilization": "Utilization: held, no sourced range; the NPV at illustrative values (dcplan.tco_mc_notes)",
    "throughput_note": ("Throughput of the per-token figures: the H100's standing in, or an inference benchmark "
                        "for a training fleet (dcplan.tco_revenue.throughput_note)"),
    "tornado_horizon": "Tornado ranges held to stay within the horizon",
    "plan_as_of": "The day the site file dates its plan (as_of, dcplan.plan_dates.as_of_note)",
    "power_wait": "GPUs installed that wait for grid power (interconnection phases)",
    "leap_year": "A leap weather year: energies scaled to 365 days, the bill of 366",
    "bonus_depreciation": "Bonus depreciation (IRC 168(k)) taken by the case, and what 100 % would give",
    "electricity_price_date": ("The date the tariff's prices are at (its startdate), from the project start, and the "
                               "bill's escalation from it (dcplan.tco_electricity.electricity_price_note)"),
    "tariff": ("What the tariff file says of its own validity for this bill: a load outside its demand range (a "
               "stand-in rate), a rate case pending (dcplan.tco_site.tariff_caveat)"),
}
def npv_at_bonus(inputs, electricity, bonus_frac: float = 1.0) -> float:
    """The after-tax NPV of the case ``inputs`` with ``bonus_frac`` of bonus depreciation instead of its
    own (:attr:`dcplan.tco.TcoInputs.bonus_depreciation_frac`), every other input unchanged. [USD]"""
    alt = dataclasses.replace(inputs, bonus_depreciation_frac=bonus_frac)
    return float(metrics(evaluate(alt, electricity), alt.params()["discount_rate_frac"])["npv_usd"][0])


def bonus_depreciation_note(inputs, npv_usd: float | None = None, npv_full_bonus_usd: float | None = None) -> str:
    """The report's sentence on bonus depreciation (IRC 168(k)) of the case ``inputs``: the share taken
    (``bonus_depreciation_frac``, the site's ``finance.bonus_depreciation_frac``), that the base case takes
    none and that P.L. 119-21 allows 100 % for property acquired after 2025-01-19; with ``npv_usd`` and
    ``npv_full_bonus_usd`` (:func:`npv_at_bonus`) the NPV at 100 % beside the case's. Always a sentence:
    the choice moves the after-tax NPV.

    >>> from dcplan.tco import TcoInputs
    >>> bonus_depreciation_note(TcoInputs(8, 100.0, 1e5))[:60]
    'No bonus depreciation is taken (bonus_depreciation_frac = 0,'
    """
    b = float(inputs.bonus_depreciation_frac)
    law = ("under 26 U.S.C. 168(k) as amended by P.L. 119-21 (2025), 100 % applies to qualified property acquired "
           "after 2025-01-19 (MACRS classes of 20 years or less: IT, PV, battery, the 15-year plant and "
           "interconnection; never the 39-year building shell) unless the owner elects out; a tax adviser should "
           "confirm")
    if b == 0:
        text = ("No bonus depreciation is taken (bonus_depreciation_frac = 0, the site's "
                f"finance.bonus_depreciation_frac; the base case, conservative): {law}.")
    else:
        text = (f"Bonus depreciation of {b:.0%} is taken (bonus_depreciation_frac = {b:g}, the site's "
                "finance.bonus_depreciation_frac): that share of the basis of the MACRS classes is deducted in the "
                "tax year placed in service, the rest on their MACRS tables; the base case takes none (0). "
                f"{law[0].upper()}{law[1:]}.")
    if npv_usd is not None and npv_full_bonus_usd is not None and b != 1.0:
        d = npv_full_bonus_usd - npv_usd
        text += (f" With 100 % bonus depreciation the NPV after tax would be {npv_full_bonus_usd / 1e6:,.2f} M USD, "
                 f"{d / 1e6:+,.2f} M USD against this case's {npv_usd / 1e6:,.2f} M USD (the loss years' tax saving "
                 "offset against other income, as the model assumes; a larger gain taxed at the residual sale).")
    return text


#: Summary keys of the case itself (the About sheet names its other rows ``caveat_<key>``).
CASE_KEYS = ("site", "fleet", "scenario", "delay_months", "live_fleet_frac")


def about_text(value, unit: str, note: str) -> str:
    """A case row of the Summary in words, for the About sheet."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or unit == "accelerators":
        return note                                    # text, or a fleet (its note counts them)
    text = f"{100 * value:g} %" if unit == "frac" else f"{value:g} {unit}"
    return f"{text}: {note}" if note else text


def _text(value, field: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{field} must be text, got {value!r} ({type(value).__name__})", field=field)
    return value


def case_rows(result: TcoResult, site, fleet, scenario, delay_months, notes, ranges=None) -> list[tuple]:
    """Summary rows ``(key, label, value, unit, note)`` of the case and its caveats. ``ranges``: the case's own
    ranges (``TcoInputs.ranges``, a site's ``finance.ranges``), which the scenario row says the scenario leaves
    (:func:`dcplan.tco_inputs.scenario_range_text`, as the published scenario label and the Assumptions say it)."""
    rows = []
    if site is not None:
        rows.append(("site", CASE_LABELS["site"], None, "", _text(site, "site")))
    if fleet is not None:
        rows.append(("fleet", CASE_LABELS["fleet"], *_fleet(fleet)))
    if scenario is not None:
        rows.append(("scenario", CASE_LABELS["scenario"], None, "", _scenario_text(_text(scenario, "scenario"),
                                                                                 ranges)))
    at = result.assumptions.set_index("key")
    a = at["value"]
    used = float(a["delay_months"]) if "delay_months" in a.index else None
    # a site's case (dated grid phases) runs its delay in whole months by the month rule
    # (dcplan.tco_grid_dates.delay_whole_months); its Assumptions row says so, and how
    desc = str(at["description"].get("delay_months", "")) if "description" in at.columns else ""
    rule = desc.split("by the month rule: ", 1)[1].rstrip("]") if "by the month rule: " in desc else ""
    why = ""
    if scenario in SCENARIOS and SCENARIOS[scenario]["delay_quantile"] is not None:
        why = (f"scenario {scenario}: the {100 * SCENARIOS[scenario]['delay_quantile']:g}th percentile of the "
               "site's energization delay (dcplan.grid)")
    if delay_months is not None:
        d = _number(delay_months, "delay_months")
        if d < 0:
            raise InputError(f"delay_months must be >= 0, got {d:g}", field="delay_months")
        # the month rule moves by the delay rounded down or up (a partly powered month is one of waiting), and
        # the Assumptions give the delay passed ("[given 53.0453; ..."); without it, rounded half up
        if used is not None and (f"[given {d:g};" not in desc or used not in (math.floor(d), math.ceil(d))
                                 if rule else whole_months(d) != used):
            raise InputError(f"delay_months {d:g} is not the delay this run used ({used:g} months, its "
                             "Assumptions): pass the delay given to the inputs", field="delay_months")
        used = used if rule else whole_months(d)
        if d != used:
            how = (f"{d:.2f} months, in whole months by the month rule ({rule})" if rule
                   else f"{d:.2f} months, rounded half up to whole months")
            why = "; ".join(filter(None, [why, how]))
    if used is not None:
        rows.append(("delay_months", CASE_LABELS["delay_months"], used, "months", why))
    if "live_fleet_frac" in a.index:
        rows.append(("live_fleet_frac", CASE_LABELS["live_fleet_frac"], float(a["live_fleet_frac"]), "frac", ""))
    if notes is not None:
        if not isinstance(notes, Mapping):
            raise InputError(f"notes must be a mapping of key to text, got {type(notes).__name__}", field="notes")
        for k, text in notes.items():
            _text(k, "notes")
            if text is not None and _text(text, f"notes.{k}").strip():  # None or "": no caveat
                rows.append((k, CASE_LABELS.get(k, "Caveat about the inputs"), None, "", text))
    return rows


#: The reports folder the command of :func:`median_delay_workbook` renders into: not the report's own.
MEDIAN_DELAY_OUT = "reports-grid-delay-p50"
#: Why that command names a folder (said in its text).
OWN_FOLDER = (f"into a folder of its own, {MEDIAN_DELAY_OUT}/: rendered into this report's folder it would "
              "replace this report and workbook, the run folder <site>/tco/ being the same")


def median_delay_workbook(params: Mapping) -> str:
    """The About row ``grid_delay_p50_workbook``: the command whose workbook holds the cash flows of the case at
    the site's median grid delay (the tco notebook's first headline, ``npv_grid_delay_p50_usd``), which the
    export of another scenario holds only as Summary figures. ``params``: the run's parameters
    (:func:`run_parameters`: ``site``, ``portfolio``, ``scenario``, ``tariff_file``).

    That case is the ``grid-delay-p50`` scenario's delay with the run's other inputs
    (:func:`dcplan.tco_delay.median_delay_case`): for a scenario that sets no costs (``base``,
    ``grid-delay-p90``) it is the ``grid-delay-p50`` scenario, whose workbook ties to those figures exactly; a
    scenario that sets costs (``low-price``) has no scenario of its own at the median delay, and the text says
    the ``grid-delay-p50`` workbook differs from them by those costs. "" for the ``grid-delay-p50`` scenario
    itself (no other case).

    The command writes into a reports folder of its own (``--out`` :data:`MEDIAN_DELAY_OUT`): a run's folder
    is ``<site>/tco/`` whatever its scenario, so rendered into the folder of the report at hand (render's
    default ``reports/``, where the command as first given sent it) it replaced that report and its
    workbook, which the reviewer was checking, without a word.

    >>> median_delay_workbook({"site": "phoenix-az", "portfolio": "default", "scenario": "base",
    ...                        "tariff_file": ""}).split(": ")[-1]
    'dcplan render --sites phoenix-az --notebooks tco -p scenario grid-delay-p50 --out reports-grid-delay-p50.'
    """
    from .paths import default_portfolio
    name = str(params.get("scenario", "base"))
    if name == MEDIAN_SCENARIO:
        return ""
    cmd = ["dcplan", "render"]
    pf = str(params.get("portfolio") or "default")
    if pf != "default" and Path(pf).resolve() != default_portfolio().resolve():
        cmd += ["--portfolio", pf]
    cmd += ["--sites", str(params.get("site", "SITE")), "--notebooks", "tco", "-p", "scenario", MEDIAN_SCENARIO]
    tariff = str(params.get("tariff_file") or "").strip()
    if tariff not in ("", "site"):
        cmd += ["-p", "tariff_file", tariff]
    cmd += ["--out", MEDIAN_DELAY_OUT]  # not this report's folder: the same <site>/tco/ would be replaced
    line = " ".join(shlex.quote(c) for c in cmd)
    costs = SCENARIOS.get(name, {}).get("costs") or {}
    if costs:
        return (f"The figures at the site's median grid delay (*_grid_delay_p50) are the median delay "
                f"with scenario {name}'s other inputs ({', '.join(sorted(costs))}): no scenario's workbook holds "
                f"their cash flows. The nearest, the median delay with the base inputs (so its figures differ by "
                f"those inputs; {OWN_FOLDER}): {line}.")
    return (f"The figures at the site's median grid delay (*_grid_delay_p50, the report's first NPV headline) are "
            f"another case's than scenario {name}'s, whose cash flows this export holds. That case is the "
            f"{MEDIAN_SCENARIO} scenario; its workbook ties to those figures, cash flows included ({OWN_FOLDER}): "
            f"{line}.")


def caveat_figures(notes) -> dict[str, tuple]:
    """The caveats ``notes`` (``{key: text}``, the ``notes`` of :func:`dcplan.tco_export.write_export`)
    as figures for :func:`dcplan.results.publish`: ``{"caveat_<key>": (text, None, label)}``, named as the
    export's About rows and labelled as its Summary rows (:data:`CASE_LABELS`), so results.json carries
    the caveats the report prints and the workbook holds. Empty texts (None or ``""``: no caveat) are left
    out, as in the export.

    >>> caveat_figures({"leap_year": "", "tax_losses": "Years 1-2 ..."})
    {'caveat_tax_losses': ('Years 1-2 ...', None, 'Loss years: negative income tax (a saving), offset against other income')}
    """
    if not isinstance(notes, Mapping):
        raise InputError(f"notes must be a mapping of key to text, got {type(notes).__name__}", field="notes")
    out = {}
    for k, text in notes.items():
        _text(k, "notes")
        if text is not None and _text(text, f"notes.{k}").strip():
            out[f"caveat_{k}"] = (text, None, CASE_LABELS.get(k, "Caveat about the inputs"))
    return out


def _number(x, field: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)) or not math.isfinite(x):
        raise InputError(f"{field} must be a finite number, got {x!r}", field=field)
    return float(x)


def _fleet(fleet) -> tuple[float | None, str, str]:
    """``(accelerators, unit, text)`` of a fleet: a :func:`dcplan.power.fleet_table` frame, or
    anything it takes (a Site, a FleetSpec)."""
    if not isinstance(fleet, pd.DataFrame):
        from .power import fleet_table
        fleet = fleet_table(fleet)
    missing = [c for c in ("hardware", "count") if c not in fleet.columns]
    if missing or fleet.empty:
        raise InputError(f"fleet needs one row per phase with columns hardware and count (as "
                         f"dcplan.power.fleet_table), got columns {list(fleet.columns)}", field="fleet")
    parts = []
    for _, r in fleet.iterrows():
        text = f"{r['hardware']} x {int(r['count']):,}"
        if "accelerators" in fleet.columns:
            text += f" ({int(r['accelerators']):,} accelerators)"
        if r.get("label"):
            text = f"{r['label']}: {text}"
        if "start" in fleet.columns and not pd.isna(r["start"]):
            text += f" from {r['start']}"
        parts.append(text)
    if "accelerators" not in fleet.columns:
        return None, "", "; ".join(parts)
    total = float(fleet["accelerators"].sum())
    if len(parts) > 1:
        parts.append(f"{total:,.0f} accelerators in all")
    return total, "accelerators", "; ".join(parts)


def _scenario_text(name: str, ranges=None) -> str:
    """What scenario ``name`` of :data:`dcplan.tco.SCENARIOS` sets, and which of the case's own ``ranges`` it
    leaves (:func:`dcplan.tco_inputs.scenario_range_text`)."""
    from .tco_inputs import scenario_range_text
    sc = SCENARIOS.get(name)
    if sc is None:
        return f"{name} (not one of dcplan.tco.SCENARIOS: {', '.join(SCENARIOS)})"
    parts = [f"{k} = {v:g}" for k, v in sc["costs"].items()]
    if sc["delay_quantile"] is not None:
        parts.append(f"grid delay = the {100 * sc['delay_quantile']:g}th percentile of the site's energization "
                     "delay (dcplan.grid)")
    text = f"{name}: " + ("; ".join(parts) if parts else "overrides no input and takes no grid-delay percentile")
    own = scenario_range_text(name, ranges)
    return f"{text}; {own}" if own else text


def mc_rows(result: TcoResult, pct: pd.DataFrame | None, prob, scenario: str | None = None) -> tuple[list[tuple], str]:
    """Summary rows of the Monte Carlo (NPV 10th, 50th, 90th percentile, P(NPV < 0), the
    ranges with the base at one end) and the note of the base case's NPV that points to them."""
    rows = []
    # draws held at a cap to stay within the horizon (dcplan.tco_horizon) and the inputs the scenario holds in
    # every draw (dcplan.tco_mc_notes): said in the labels, as published
    from .tco_mc_notes import mc_label
    prov = pct.attrs.get("monte_carlo", {}) if pct is not None else {}
    if pct is not None and "npv_usd" in pct.columns:
        n = pct.attrs.get("monte_carlo", {}).get("n_draws")
        for q in ("p10", "p50", "p90"):
            if q in pct.index:
                v = float(pct.loc[q, "npv_usd"])
                ok = math.isfinite(v)
                lab = mc_label(CASE_LABELS[f"mc_npv_{q}_usd"], prov)
                rows.append((f"mc_npv_{q}_usd", lab, v if ok else None, "USD",
                             (f"of {n} draws" if n else "") if ok else "no finite draws"))
    if prob is not None:
        p = _number(prob, "mc_prob_npv_negative_frac")
        if not 0.0 <= p <= 1.0:
            raise InputError(f"mc_prob_npv_negative_frac must be in [0, 1], got {p:g}",
                             field="mc_prob_npv_negative_frac")
        rows.append(("mc_prob_npv_negative_frac", mc_label(CASE_LABELS["mc_prob_npv_negative_frac"], prov), p,
                     "frac", ""))
    dists = pct.attrs.get("monte_carlo", {}).get("distributions", {}) if pct is not None else {}
    # as the notebook prints them; the case's own inputs (delay_months in whole months) from its Assumptions
    base = result.assumptions.set_index("key")["value"].to_dict()
    one_sided = one_sided_note(dists, base)
    if one_sided:
        rows.append(("montecarlo_one_sided", CASE_LABELS["montecarlo_one_sided"], None, "", one_sided))
    got = {k: v for k, _, v, _, _ in rows}
    base = result.summary.get("npv_usd")
    if got.get("mc_npv_p50_usd") is None or base is None or not math.isfinite(base):
        return rows, ""
    p50 = got["mc_npv_p50_usd"]
    side = "below" if p50 < base else "above" if p50 > base else "at"
    case = ("every input at its base value" if scenario in (None, "base")
            else f"every input at the {scenario} scenario's value")
    note = f"deterministic case ({case}); the Monte Carlo median is {p50 / 1e6:,.1f} M USD, {side} it"
    lo, hi = got.get("mc_npv_p10_usd"), got.get("mc_npv_p90_usd")
    if lo is not None and hi is not None:
        note += f" (10th-90th percentile {lo / 1e6:,.1f} to {hi / 1e6:,.1f} M USD)"
    if got.get("mc_prob_npv_negative_frac") is not None:
        note += f"; P(NPV < 0) = {got['mc_prob_npv_negative_frac']:.1%}"
    return rows, note + " (rows mc_npv_*)"


def figure_rows(figures, taken=()) -> list[tuple]:
    """Summary rows ``(key, label, value, unit, note)`` of further figures the report publishes
    (e.g. the NPV and IRR at the site's median grid delay), so the workbook holds them as numbers.

    ``figures`` maps key to ``(value, unit, label)`` (the tuples given to
    :func:`dcplan.results.publish`) or ``(value, unit, label, note)``; a value None (a figure that
    does not exist, e.g. no IRR) is an empty cell with the note. A key of the run's own summary or
    the case rows (``taken``) is refused: one key, one value.
    """
    if figures is None:
        return []
    if not isinstance(figures, Mapping):
        raise InputError(f"figures must be a mapping of key to (value, unit, label), got {type(figures).__name__}",
                         field="figures")
    rows = []
    for k, spec in figures.items():
        _text(k, "figures")
        if k in taken:
            raise InputError(f"figures.{k} is already a Summary row of the run; give another key", field=f"figures.{k}")
        if not isinstance(spec, tuple) or len(spec) not in (3, 4):
            raise InputError(f"figures.{k} must be (value, unit, label) or (value, unit, label, note), got {spec!r}",
                             field=f"figures.{k}")
        value, unit, label, note = (*spec, "")[:4]
        unit = "" if unit is None else _text(unit, f"figures.{k} unit")
        _text(label, f"figures.{k} label")
        note = _text(note or "", f"figures.{k} note")
        if value is not None:
            value = _number(value, f"figures.{k}")
        elif not note:
            note = "does not exist"
        rows.append((k, label, value, unit, note))
    return rows


#: The tco notebook's parameters that shape its result (``export_dir`` only says where it is written;
#: ``n_draws`` shapes the Monte Carlo, recorded by its own cell).
RUN_PARAMETERS = ("site", "portfolio", "scenario", "tariff_file")


def run_parameters(namespace: Mapping, *extra: str) -> dict:
    """The parameters a result is computed with, ``{name: value}`` from ``namespace`` (the notebook's
    ``globals()``): :data:`RUN_PARAMETERS` and the ``extra`` names (``"n_draws"`` for the Monte
    Carlo), recorded by the cell that computes it. The export names and titles the workbook from
    them and :func:`check_parameters_unchanged` refuses it when they have changed since.

    >>> run_parameters({"site": "phoenix-az", "portfolio": "default", "scenario": "base", "tariff_file": "",
    ...                 "n_draws": 100, "export_dir": "outputs"}, "n_draws")["n_draws"]
    100
    """
    return {k: namespace[k] for k in (*RUN_PARAMETERS, *extra)}
