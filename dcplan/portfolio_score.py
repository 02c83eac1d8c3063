"""Weighted operating score of a portfolio's sites (the ``portfolio_comparison`` notebook).

Each criterion (a column of :func:`dcplan.pipeline.case_figures` figures, lower is better)
is min-max scaled across the scored sites, best 0 and worst 1, and the score is the
weighted mean of the scaled criteria (0 = best on every criterion). Scaling is relative:
adding or removing a site changes the other sites' scaled values and can change which
site is best. A site without a figure a weighted criterion needs (a site with no
``tariff:`` section has no electricity cost) is not scored, and is left out of every
criterion's range, so it does not move the others' scores; it is listed with the reason.
A weighted criterion that no site has (no site of the portfolio has a tariff) is left out
of the score and listed in :attr:`Score.left_out`; the others are weighted as given.

Cost and carbon must be put on a basis the sites share before they are scored
(:func:`unit_figures`). An installed GPU-hour is not such a basis across GPU generations:
a GB200 GPU draws about 1.2 kW against an H100's 0.7 kW and, in the example figures of
:data:`dcplan.power.THROUGHPUT_EXAMPLES`, serves about 4 times the tokens per second, so per
GPU-hour it looks dear although it is the cheapest per token. Per million tokens is the
comparable basis; per GPU-hour only compares fleets of one generation.

A like-for-like ranking applies one change to every site of the portfolio (the
``site_analysis`` notebook's ``fleet_scale``): :func:`fleet_scale_overrides` gives a site's
scaled unit counts, or refuses a scale the site cannot take (so the ranking leaves it out).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from .errors import InputError

__all__ = ["weighted_score", "Score", "unit_figures", "fleet_scale_overrides"]


@dataclass
class Score:
    """Output of :func:`weighted_score`.

    Attributes
    ----------
    score : pandas.Series
        Score of each scored site, lowest (best) first. [0-1]
    scaled : pandas.DataFrame
        Each weighted criterion scaled 0 (best) to 1 (worst) across the scored sites. [0-1]
    unscored : dict
        Site -> why it has no score (the criteria it lacks).
    left_out : list
        Weighted criteria that no site has, left out of the score.
    """

    score: pd.Series
    scaled: pd.DataFrame
    unscored: dict
    left_out: list = field(default_factory=list)


def unit_figures(table: pd.DataFrame) -> pd.DataFrame:
    """Electricity cost and grid carbon per installed GPU-hour and per million tokens.

    ``gpu_h = n * h`` and ``tokens = u * n * r * 3600 * h``, with ``n`` accelerators, ``h``
    hours in the site's year (its weather year's hourly index: 8,784 in a leap year), utilisation ``u`` and ``r`` tokens/s per accelerator (the throughput
    of :func:`dcplan.power.fleet_tokens_per_s`). GPU-hours of different generations are not
    comparable (module docstring): compare sites of mixed fleets per million tokens.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per site with ``n_accelerators`` and ``hours_h`` [h], and optionally
        ``utilisation_frac`` [0-1] with ``tokens_per_s_per_accelerator`` [tokens/s] (for the
        per-token columns), ``bill_usd`` [USD], ``pv_annual_cost_usd`` [USD] (the on-site PV's
        annualised cost, :func:`dcplan.solar_value.pv_annual_cost`), ``battery_annual_cost_usd``
        [USD] (the site battery's, :func:`dcplan.battery_value.battery_annual_cost`; the
        electricity cost is the bill plus both, so a site's PV and battery are paid for, not only
        their saving counted) and ``grid_carbon_t`` [t CO2].

    Returns
    -------
    pandas.DataFrame
        ``usd_per_gpu_h`` [USD/GPU-h], ``carbon_kg_per_gpu_h`` [kg CO2/GPU-h] and, with a
        throughput, ``usd_per_m_tokens`` [USD/M tokens] and ``carbon_g_per_m_tokens``
        [g CO2/M tokens]. NaN where the site has no bill (no tariff), no carbon figure, or
        no GPU-hours or tokens (a fleet without accelerators).

    Examples
    --------
    >>> t = pd.DataFrame({"n_accelerators": [100], "hours_h": [8784.0], "bill_usd": [878400.0],
    ...                   "utilisation_frac": [0.5], "tokens_per_s_per_accelerator": [1000.0]})
    >>> unit_figures(t)[["usd_per_gpu_h", "usd_per_m_tokens"]].round(6).iloc[0].tolist()
    [1.0, 0.555556]
    """
    for c in ("n_accelerators", "hours_h"):
        if c not in table.columns:
            raise InputError(f"unit_figures needs the column; got {', '.join(map(str, table.columns))}", field=c)
    nan = pd.Series(float("nan"), index=table.index)
    gpu_h = table["n_accelerators"].astype(float) * table["hours_h"].astype(float)
    gpu_h = gpu_h.where(gpu_h > 0)  # no accelerators: no figure per GPU-hour, not inf
    bill = table["bill_usd"].astype(float) if "bill_usd" in table else nan
    # the PV's and the battery's costs beside the bill they lower (dcplan.solar_value, dcplan.battery_value)
    for c in ("pv_annual_cost_usd", "battery_annual_cost_usd"):
        if c in table:
            bill = bill + table[c].astype(float).fillna(0.0)
    carbon_t = table["grid_carbon_t"].astype(float) if "grid_carbon_t" in table else nan
    out = pd.DataFrame({"usd_per_gpu_h": bill / gpu_h, "carbon_kg_per_gpu_h": carbon_t * 1000.0 / gpu_h},
                       index=table.index)
    if "tokens_per_s_per_accelerator" in table and "utilisation_frac" in table:
        tok_m = (table["utilisation_frac"].astype(float) * table["tokens_per_s_per_accelerator"].astype(float)
                 * gpu_h * 3600.0 / 1e6)
        tok_m = tok_m.where(tok_m > 0)
        out["usd_per_m_tokens"] = bill / tok_m
        out["carbon_g_per_m_tokens"] = carbon_t * 1e6 / tok_m
    return out


def weighted_score(table: pd.DataFrame, weights: dict[str, float]) -> Score:
    """Score the sites (rows of ``table``) on the ``weights``' columns, lower is better.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per site, a column per criterion (lower is better).
    weights : dict
        Column -> weight, each a finite number >= 0, summing to > 0 (a negative weight
        would reward the worse value). Only their ratios matter: they are divided by the
        largest before use, so weights near the float maximum score as their ratios do. A criterion of weight 0 is not used; one that no
        site has (all NaN) is left out (:attr:`Score.left_out`) and the score is the
        weighted mean of the rest.

    Notes
    -----
    Put cost and carbon on a basis the sites share first (:func:`unit_figures`): per
    million tokens across GPU generations, not per installed GPU-hour.
    """
    for k, w in weights.items():
        if isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0:
            raise InputError(f"must be a finite weight >= 0 (a negative weight rewards the worse value), got {w!r}",
                             field=k)
        if k not in table.columns:
            raise InputError(f"no such criterion; allowed: {', '.join(map(str, table.columns))}", field=k)
    if not weights or max(weights.values()) <= 0:
        raise InputError(f"the weights must sum to > 0, got {weights}", field="weights")
    # relative weights, largest 1: their sum stays finite however large the weights given
    # (two weights of 1e308 summed to inf, and every score to inf / inf = NaN)
    top = float(max(weights.values()))
    weights = {k: float(w) / top for k, w in weights.items()}
    used = [k for k, w in weights.items() if w > 0]
    left_out = [k for k in used if table[k].isna().all()]
    used = [k for k in used if k not in left_out]
    if not used:  # every weighted criterion is one no site has
        why = "no site has any weighted criterion (" + ", ".join(left_out) + ")"
        return Score(pd.Series(dtype=float), pd.DataFrame(index=table.index[:0]), {sid: why for sid in table.index},
                     left_out)
    total = float(sum(weights[k] for k in used))
    crit = table[used].astype(float)
    missing = crit.isna()
    unscored = {sid: "no " + ", ".join(c for c in used if missing.at[sid, c]) for sid in crit.index
                if missing.loc[sid].any()}
    ok = crit[~missing.any(axis=1)]
    from .rank_ties import tied
    span = ok.max() - ok.min()
    # a criterion all sites tie on (float noise included, dcplan.rank_ties): 0 for all, not 0 and 1
    flat = pd.Series({c: len(ok) == 0 or tied(ok[c].max(), ok[c].min()) for c in ok.columns}, dtype=bool)
    scaled = ((ok - ok.min()) / span.where((span > 0) & ~flat)).fillna(0.0)
    score = sum(scaled[k] * weights[k] for k in used) / total if len(ok) else pd.Series(dtype=float)
    return Score(pd.Series(score, dtype=float).sort_values(kind="stable"), scaled, unscored, left_out)


def _inward(x: float, *, up: bool) -> str:
    """``x`` > 0 to 6 significant figures rounded inward (``up``: a lower bound rounds up), so
    the number shown lies inside the range it bounds; 1e-9 absorbs the float error of exact
    quotients (0.5 / 500 shows 0.001, not 0.00100001)."""
    q = 10.0 ** (math.floor(math.log10(x)) - 5)
    v = (math.ceil(x / q - 1e-9) if up else math.floor(x / q + 1e-9)) * q
    return f"{v:.10g}"


def fleet_scale_overrides(site, fleet_scale: float) -> dict[str, int]:
    """Overrides that multiply every fleet phase's unit count of ``site`` by ``fleet_scale``.

    ``count_i' = round_half_up(count_i * fleet_scale)``, rounded on the decimal value given
    (``repr`` of the float: 2.3 x 25 = 57.5 gives 58, where the binary product 57.49999... would
    give 57), half up: 5 x 0.5 = 2.5 gives 3 (Python's ``round`` rounds half to even: 2).

    Parameters
    ----------
    site : dcplan.site.Site
        The site whose ``fleet.phases`` are scaled (a ``workload: data`` fleet's
        ``data_file`` is read, relative to the site YAML).
    fleet_scale : float
        Multiplier of every phase's unit count, finite and > 0. [-]

    Returns
    -------
    dict
        ``{"fleet.phases[i].count": n}`` for :func:`dcplan.sweep_spec.apply_overrides`;
        empty for ``fleet_scale == 1``.

    Raises
    ------
    InputError
        ``field="fleet_scale"``, naming the site, when:

        - the fleet is measured site power (``workload: data`` with an ``it_kw`` file): the
          model takes that power as given, so more units would add accelerators (GPU-hours,
          tokens, design IT) but no power; a ``utilisation_frac`` file drives the hardware
          model per unit, so its power scales with the count and is not refused;
        - a phase that has units would round to 0 units (names the phase; all of them:
          "the fleet has no units");
        - a phase would exceed :data:`dcplan.specs.fleet.MAX_UNITS_PER_PHASE`.

        Each message gives the range of ``fleet_scale`` the site allows.

    Examples
    --------
    >>> from dcplan.site import load_site
    >>> fleet_scale_overrides(load_site("research-triangle-nc"), 0.5)  # 2 halls of 256 HGX H100
    {'fleet.phases[0].count': 128, 'fleet.phases[1].count': 128}
    """
    from .specs.fleet import MAX_UNITS_PER_PHASE

    if (isinstance(fleet_scale, bool) or not isinstance(fleet_scale, (int, float))
            or not math.isfinite(fleet_scale) or fleet_scale <= 0):
        raise InputError(f"must be a finite number > 0, got {fleet_scale!r}", field="fleet_scale")
    if fleet_scale == 1:
        return {}
    fleet, who = site.fleet, f"site {site.id!r}"
    if fleet.workload == "data":
        from .workload import read_profile_csv
        data = read_profile_csv(site.path(fleet.data_file))
        if data.name == "it_kw":
            raise InputError(f"{fleet_scale:g} for {who}: its fleet is measured site power (workload: data, "
                             f"{fleet.data_file} gives it_kw), which does not scale with the unit count, so "
                             "scaling the count would only add accelerators (GPU-hours, tokens, design IT) "
                             "without their power; allowed for this site: 1 (or a data file of "
                             "utilisation_frac, which the hardware model scales per unit)", field="fleet_scale")
    scale = Decimal(repr(float(fleet_scale)))
    counts = [int((Decimal(ph.count) * scale).to_integral_value(rounding=ROUND_HALF_UP)) for ph in fleet.phases]
    names = [f"{ph.label or f'phase {i + 1}'!r} ({ph.count:,} unit{'' if ph.count == 1 else 's'})"
             for i, ph in enumerate(fleet.phases)]
    have = [ph.count for ph in fleet.phases if ph.count > 0]
    # the range this site allows: its smallest phase keeps >= 1 unit (>= 0.5 rounds up), its
    # largest stays <= MAX_UNITS_PER_PHASE (< MAX + 0.5 rounds down)
    lo, hi = 0.5 / min(have), (MAX_UNITS_PER_PHASE + 0.5) / max(have)
    allowed = f"allowed for this site: fleet_scale in [{_inward(lo, up=True)}, {_inward(hi, up=False)}]"
    dropped = [n for n, ph, c in zip(names, fleet.phases, counts) if ph.count > 0 and c == 0]
    if dropped:
        what = "the fleet has no units" if not any(counts) else "a phase would have no units"
        raise InputError(f"{fleet_scale:g} for {who}: {what}: " + ", ".join(f"{n} x {fleet_scale:g} rounds to 0"
                                                                            for n in dropped)
                         + f"; {allowed} (every phase keeps at least 1 unit)", field="fleet_scale")
    over = [(n, c) for n, c in zip(names, counts) if c > MAX_UNITS_PER_PHASE]
    if over:
        raise InputError(f"{fleet_scale:g} for {who}: " + ", ".join(f"{n} x {fleet_scale:g} = {c:,} units"
                                                                   for n, c in over)
                         + f", above the {MAX_UNITS_PER_PHASE:,} units a phase may hold "
                           f"(dcplan.specs.fleet.MAX_UNITS_PER_PHASE); {allowed}", field="fleet_scale")
    return {f"fleet.phases[{i}].count": c for i, c in enumerate(counts)}
