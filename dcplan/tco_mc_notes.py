"""What the TCO's Monte Carlo holds fixed, in words, and the effect of the utilization it never varies.

The tco notebook's Monte Carlo draws the ``data/costs.csv`` rows that have a range
(:func:`dcplan.tco_uncertainty.default_distributions`, the site's own grid delay); every other input
is held at the case's value in every draw. :func:`held_inputs_note` lists them all (the report's
line and the export's caveat ``montecarlo_held``), :func:`scenario_held_text` says what a scenario
holds (the ``grid-delay-p90`` scenario: the delay at the site's 90th percentile in every draw) and
:func:`mc_label` adds it to the Monte Carlo's headline labels, with the draws held within the horizon
(:func:`dcplan.tco_horizon.held_label`), so the report and the export's Summary read alike.

Utilization (``utilization_frac``, the site's ``fleet.utilisation_frac``) has no sourced range:
neither ``data/costs.csv`` nor docs/reference-data.md gives one (its one figure, a "debt-financed
utilization breakeven ~70 %", aidatacenterguide 2026, is unverified and no range). It is therefore
in neither the tornado nor the Monte Carlo, and :func:`utilization_npvs` shows the NPV at
:data:`UTILIZATION_ILLUSTRATIVE` values instead, labelled as illustrations.
"""
from __future__ import annotations

import numpy as np

from .paths import doc_ref
from .tco_horizon import held_label
from .tco_grid_dates import delay_whole_months
from .tco_input_types import TcoInputs
from .tco_inputs import scenario, scenario_range_text
from .tco_labels import input_label

__all__ = ["UTILIZATION_ILLUSTRATIVE", "scenario_held_text", "mc_label", "held_inputs_note", "utilization_npvs",
           "utilization_note", "utilization_figures", "SITE_FACTS_HELD", "distribution_line", "mc_provenance_figures"]

#: Utilizations at which the report shows the NPV (:func:`utilization_npvs`): illustrative values, NOT a
#: sourced range (none is sourced: module docstring). They span the bundled example sites' own settings
#: (data/sites: 0.6 to 0.85) and the site format's default 0.8 (itself an estimate, docs/site-format.md).
UTILIZATION_ILLUSTRATIVE = (0.6, 0.7, 0.8, 0.9)
#: The site's facts every case and draw takes as the site file and its models give them (no range).
SITE_FACTS_HELD = ("the fleet (n_accelerators, its phases and their dates), its hourly load and the tariff bill of "
                   "it (it_energy_kwh, the electricity bill by month), horizon_years, pv_kw_dc, battery_kwh, the tax "
                   "depreciation method and bonus_depreciation_frac")


def scenario_held_text(name: str, delay_months: float | None = None, inputs: TcoInputs | None = None) -> str:
    """What scenario ``name`` holds at its own value in every Monte Carlo draw (``""`` for none): its grid
    delay at the site's percentile (``delay_months``, the scenario's delay, shown in whole months as the
    model runs it: :func:`dcplan.tco_grid_dates.delay_whole_months` of the case's ``inputs``, the month rule
    for a site's case, e.g. northern-virginia's 53.05 months as 54; without ``inputs``, rounded half up) and
    its cost overrides, saying where one is not the case's own range of that input (``inputs.ranges``, a site's
    ``finance.ranges``: the scenarios are the same for every site, :func:`dcplan.tco_inputs.scenario_range_text`).

    >>> scenario_held_text("grid-delay-p90", 52.96)
    "the grid delay held at the site's 90th percentile (dcplan.grid), 53 months, in every draw: scenario grid-delay-p90"
    >>> scenario_held_text("low-price")
    'revenue_usd_per_gpu_h at 1.99 and revenue_escalation_frac at -0.1 in every draw: scenario low-price'
    >>> scenario_held_text("base")
    ''
    """
    sc = scenario(name)
    parts = []
    q = sc["delay_quantile"]
    if q is not None:
        months = "" if delay_months is None else f", {delay_whole_months(inputs, delay_months):.0f} months,"
        parts.append(f"the grid delay held at the site's {100 * q:g}th percentile (dcplan.grid){months} in every draw: "
                     f"scenario {name}")
    if sc["costs"]:
        held = " and ".join(f"{k} at {v:g}" for k, v in sc["costs"].items())
        parts.append(f"{held} in every draw: scenario {name}")
        if mine := scenario_range_text(name, getattr(inputs, "ranges", None)):  # the same for every site
            parts[-1] += f" ({mine})"
    return "; ".join(parts)


def mc_label(label: str, prov: dict | None) -> str:
    """A Monte Carlo headline ``label`` with what its draws hold: the share held at a cap within the horizon
    (:func:`dcplan.tco_horizon.held_label`, ``prov["held_within_horizon"]``) and the scenario's own inputs
    (``prov["held_in_every_draw"]``, :func:`scenario_held_text`). ``prov`` is the Monte Carlo's
    ``attrs["monte_carlo"]``; the export's Summary labels the same rows with it."""
    prov = prov or {}
    label = held_label(label, prov.get("held_within_horizon"))
    held = prov.get("held_in_every_draw")
    if not held:
        return label
    return label[:-1] + f"; {held})" if label.endswith(")") else f"{label} ({held})"


def held_inputs_note(inputs: TcoInputs, distributions, scenario_name: str = "base",
                     delay_months: float | None = None) -> str:
    """Every input the Monte Carlo holds at the case's value, in a sentence: the numeric inputs not in
    ``distributions`` (the discount rate, which prices the risk the draws spread; the scenario's own inputs;
    utilization, which has no sourced range; any other without a range), then the site's facts
    (:data:`SITE_FACTS_HELD`)."""
    p = inputs.params()
    sc_keys = set(scenario(scenario_name)["costs"]) | (
        {"delay_months"} if scenario(scenario_name)["delay_quantile"] is not None else set())
    why = {"discount_rate_frac": "it prices the risk the draws spread; the tornado swings it",
           "utilization_frac": (f"the site's fleet.utilisation_frac, {p['utilization_frac']:.0%}: no sourced range, so "
                                "the tornado does not swing it either; its effect at illustrative values: "
                                "caveat_utilization")}
    parts = []
    for k in sorted(k for k in p if k not in distributions):
        if k in sc_keys:
            shown = float(delay_whole_months(inputs, p[k])) if k == "delay_months" else p[k]  # the month rule
            parts.append(f"{k} ({shown:g}, set by the scenario {scenario_name})")
        elif k in why:
            parts.append(f"{k} ({why[k]})")
        else:
            parts.append(f"{k} ({p[k]:g}: no range)")
    return ("Held at the base case in the Monte Carlo (the same value in every draw): " + "; ".join(parts)
            + f"; and the site's facts: {SITE_FACTS_HELD}.")


def utilization_npvs(inputs: TcoInputs, electricity, values=UTILIZATION_ILLUSTRATIVE) -> dict[float, float]:
    """The NPV [USD] at each utilization of ``values`` and at the case's own, the other inputs at the case's
    (valued at the case's project start, as the tornado's; :func:`dcplan.tco_uncertainty.tornado`'s model).

    Utilization moves the GPU-hours sold, the revenue and the tokens; the electricity bill and IT energy
    stay the site's modelled load at its own ``fleet.utilisation_frac`` (``electricity``), as in the Monte
    Carlo (:mod:`dcplan.tco_uncertainty`): at a lower utilization a real fleet draws less power, so these
    NPVs understate it there and overstate it above the site's value.
    """
    from .tco_uncertainty import _batch_metrics
    u = sorted({float(v) for v in values} | {float(inputs.utilization_frac)})
    m = _batch_metrics(inputs, electricity, {"utilization_frac": np.array(u)})
    return {v: float(x) for v, x in zip(u, m["npv_usd"])}


def _key(u: float) -> str:
    return f"npv_utilization_{100 * u:g}pct_usd".replace(".", "p")


def utilization_figures(npvs: dict[float, float], base_frac: float) -> dict[str, tuple]:
    """The NPVs of :func:`utilization_npvs` as figures to publish, ``{key: (value, unit, label)}``, the
    case's own utilization left out (it is the NPV headline)."""
    return {_key(u): (v, "USD", f"NPV after tax at an illustrative utilization of {u:.0%} (not a sourced range; "
                                f"revenue, GPU-hours and tokens at it, the electricity bill the site's load at its "
                                f"{base_frac:.0%}; valued as the NPV)")
            for u, v in npvs.items() if u != base_frac}


def utilization_note(npvs: dict[float, float], base_frac: float, tornado=None) -> str:
    """The NPV at the illustrative utilizations in a sentence (the report's line, the export's caveat
    ``utilization``), with its swing over them against the tornado's largest bar."""
    us = sorted(npvs)
    vals = ", ".join(f"{u:.0%}{' (the case)' if u == base_frac else ''}: {npvs[u] / 1e6:,.1f} M USD" for u in us)
    swing = abs(npvs[us[-1]] - npvs[us[0]])
    text = (f"Utilization ({base_frac:.0%}, the site's fleet.utilisation_frac) is held in the tornado and the Monte "
            "Carlo: no range of it is sourced (data/costs.csv, "
            f"{doc_ref('reference-data.md')}). NPV after tax at illustrative "
            f"utilizations, not a sourced range: {vals}; a swing of {swing / 1e6:,.1f} M USD from {us[0]:.0%} to "
            f"{us[-1]:.0%}")
    if tornado is not None and len(tornado):
        top = tornado.iloc[0]
        name = input_label(str(top["input"]), str(top["unit"]) if "unit" in top.index else "")
        text += (f", against the tornado's largest bar, {name} ({top['input']}), "
                 f"{float(top['swing']) / 1e6:,.1f} M USD")
    return text + (". Utilization moves revenue, GPU-hours and tokens; the electricity bill is the site's modelled load "
                   f"at its {base_frac:.0%} (a lower utilization would also lower it). Set fleet.utilisation_frac to "
                   "the share of GPU-hours the fleet will sell.")


def _num(x: float) -> str:
    x = float(x)
    return f"{x:,.0f}" if abs(x) >= 1e4 else f"{x:,.6g}"     # 16,380,000, not 1.638e+07


def distribution_line(d, unit: str = "") -> str:
    """A Monte Carlo distribution (:mod:`dcplan.tco_uncertainty`'s tuples) in one line, with the input's
    ``unit`` (a ``quantiles`` table, a site's grid delay, summarised by its 10th, 50th and 90th percentiles
    and its range: the site file reproduces it).

    >>> distribution_line(("triangular", 25000.0, 33750.0, 40000.0), "USD/accelerator")
    'triangular: low 25,000, mode 33,750, high 40,000 [USD/accelerator]'
    >>> distribution_line(("quantiles", [0.0, 0.5, 1.0], [0.0, 10.0, 40.0]), "months")
    'quantiles (inverse CDF through 3 points): 10th / 50th / 90th percentile 2 / 10 / 34, range 0 to 40 [months]'
    """
    kind, *p = d
    u = f" [{unit}]" if unit else ""
    if kind == "quantiles":
        probs, vals = np.asarray(p[0], dtype=float), np.asarray(p[1], dtype=float)
        p10, p50, p90 = np.interp([0.1, 0.5, 0.9], probs, vals)
        return (f"quantiles (inverse CDF through {len(probs)} points): 10th / 50th / 90th percentile {_num(p10)} / "
                f"{_num(p50)} / {_num(p90)}, range {_num(vals[0])} to {_num(vals[-1])}{u}")
    names = {"normal": ("mean", "sd"), "truncnormal": ("mean", "sd", "low", "high"), "lognormal": ("median", "sigma"),
             "uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "fixed": ("value",)}.get(kind)
    if names is None or len(names) != len(p):
        return f"{d!r}{u}"
    return f"{kind}: " + ", ".join(f"{n} {_num(v)}" for n, v in zip(names, p)) + u


def mc_provenance_figures(prov: dict) -> dict[str, tuple]:
    """The Monte Carlo's seed and its distributions as figures to publish (results.json), ``{key: (value,
    unit, label)}``: ``mc_seed`` (the integer root of the per-input streams: the same seed, ``n_draws`` and
    distributions repeat the draws) and ``mc_distribution.<input>`` (:func:`distribution_line`, with the
    input's ``data/costs.csv`` unit) for each sampled input. ``prov`` is the Monte Carlo's
    ``attrs["monte_carlo"]`` (:func:`dcplan.tco_uncertainty.monte_carlo`); the export's About sheet records
    the same (``montecarlo_seed``, ``montecarlo_distributions``)."""
    from .tco_inputs import load_costs
    units = load_costs()["unit"]
    seed = prov["seed"]
    how = "" if prov.get("seed_from", "caller") == "caller" else f", drawn from the {prov['seed_from']}"
    out = {"mc_seed": (int(seed), None,
                       f"Monte Carlo root seed{how} ({prov.get('n_draws', '?'):,} draws; {prov.get('streams', '')}): "
                       "the same seed, draws and distributions repeat them")}
    for k, d in (prov.get("distributions") or {}).items():
        unit = units.get(k, "frac" if k.endswith("_frac") else "")
        unit = unit if isinstance(unit, str) else ""
        line = distribution_line(d, unit)
        if k == "tax_rate_frac" and prov.get("tax_rate_schedule"):  # a draw shifts the whole schedule
            from .tco_tax_schedule import shift_text
            line += f"; {shift_text(prov['tax_rate_schedule'], prov.get('tax_rate_range'))}"
        out[f"mc_distribution.{k}"] = (line, None,
                                       f"Monte Carlo distribution of {k} (dcplan.tco_uncertainty)")
    return out
