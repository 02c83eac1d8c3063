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
``first_power_months`` is the median date the site's first phase is energized
(:func:`dcplan.grid.energization_dates`, ``first_energized_p50``) as months after the
earliest such date among the compared sites (:func:`first_power_months`); the months from
filing (``time_to_power_median_months``) are shown beside it, labelled "from filing".
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import grid, pipeline, power
from .errors import InputError
from .portfolio_score import Score, unit_figures, weighted_score

__all__ = ["BASES", "FIGURES", "site_row", "first_power_months", "comparison_table", "basis_columns", "lacks",
           "Comparison", "compare"]

#: Bases of the electricity and carbon criteria.
BASES = ("tokens", "gpu_h")

#: Figures of the comparison: column -> (label, unit).
FIGURES = {
    "annual_pue": ("PUE", None), "free_cooling_h": ("free cooling", "h"), "derate_h": ("derate", "h"),
    "facility_mwh": ("facility energy", "MWh"), "bill_usd": ("electricity bill", "USD"),
    "usd_per_m_tokens": ("electricity per million tokens", "USD/M tokens"),
    "usd_per_gpu_h": ("electricity per installed GPU-hour", "USD/GPU-h"),
    "first_energized_p50": ("first power, median date (first phase energized)", None),
    "first_power_months": ("first power, median: months after the earliest site's median date", "months"),
    "time_to_power_median_months": ("time to power from filing, median", "months"),
    "carbon_g_per_m_tokens": ("grid carbon per million tokens", "g CO2/M tokens"),
    "carbon_kg_per_gpu_h": ("grid carbon per installed GPU-hour", "kg CO2/GPU-h"),
    "tokens_per_s_per_accelerator": ("example throughput", "tokens/s per GPU"),
}

# why a site has no figure: the figure a unit figure comes from, and the site-file section it lacks
_SOURCE = {"usd_per_gpu_h": "bill_usd", "usd_per_m_tokens": "bill_usd",
           "carbon_kg_per_gpu_h": "grid_carbon_t", "carbon_g_per_m_tokens": "grid_carbon_t"}
_TTP = ("time_to_power_median_months", "first_energized_p50", "first_power_months")
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
    ``y``: the site's :func:`dcplan.pipeline.run_site_year`, when already run.

    A site with an ``interconnection:`` section also gets the dates its first phase is
    energized at the 10th, 50th and 90th percentile of the wait (``first_energized_p10``,
    ``first_energized_p50``, ``first_energized_p90``: the earliest phase's
    :func:`dcplan.grid.energization_dates`, as the interconnection notebook publishes them)."""
    y = pipeline.run_site_year(s) if y is None else y
    rate, key = ((tokens_per_s_per_accelerator, "parameter") if tokens_per_s_per_accelerator > 0
                 else power.example_throughput(s))
    row = {**pipeline.figures(y), "hours_h": float(len(y.weather)), "utilisation_frac": s.fleet.utilisation_frac,
           "tokens_per_s_per_accelerator": rate, "throughput_key": key}
    if s.interconnection is not None:
        dates = grid.energization_dates(s.interconnection)
        row.update({f"first_energized_{q}": pd.Timestamp(dates[f"energized_{q}"].min()) for q in ("p10", "p50", "p90")})
    return row


def first_power_months(dates: pd.Series) -> pd.Series:
    """Months from the earliest of ``dates`` to each date: a common reference for every site.

    ``(date - min(dates)).days / 30.4375`` (:data:`dcplan.grid.DAYS_PER_MONTH`, 365.25 / 12
    days); NaN where there is no date (NaT: no interconnection request). Any common reference
    ranks and min-max scales the sites alike; the earliest site's date reads as 0.

    Examples
    --------
    >>> first_power_months(pd.Series(pd.to_datetime(["2028-02-29", "2028-08-26", None]), index=list("abc")))
    a    0.000000
    b    5.880903
    c         NaN
    Name: first_power_months, dtype: float64
    """
    d = pd.to_datetime(pd.Series(dates))
    return ((d - d.min()).dt.days / grid.DAYS_PER_MONTH).astype(float).rename("first_power_months")


def comparison_table(sites) -> pd.DataFrame:
    """:func:`site_row` of every site joined with its :func:`unit_figures`, indexed by site id.

    Every column of :data:`FIGURES`, the time-to-power percentiles and the first-energization
    dates are there, NaN (NaT for the dates) for a site without the figure (no ``tariff:`` or
    ``interconnection:`` section). ``first_power_months`` is :func:`first_power_months` of
    ``first_energized_p50`` across these sites."""
    t = pd.DataFrame([site_row(s) for s in sites]).set_index("site")
    t = t.join(unit_figures(t))
    for q in ("p10", "p50", "p90"):
        c = f"first_energized_{q}"
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
    there are no GPU-hours or tokens to divide it by."""
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
        Id of the best (lowest-score) site; None when no site is scored.
    best_other_basis : str or None
        Id of the best site on the other basis.
    borrowed : dict
        Site id -> hardware keys whose tokens borrow the H100 figure (scored sites).
    throughput : dict
        Site id -> (throughput key, tokens/s per accelerator) of the scored sites, when the
        table has them.
    """

    score: Score
    not_scored: dict
    left_out: dict
    best: str | None
    best_other_basis: str | None
    borrowed: dict = field(default_factory=dict)
    throughput: dict = field(default_factory=dict)

    def caveat(self, names: dict, basis: str) -> str:
        """What the best site depends on: the best site on the other basis, and (per token)
        the fleets whose tokens are the H100 figure; or that neither applies."""
        other = "installed GPU-hour" if basis == "tokens" else "million tokens"
        notes = []
        if self.best is not None and self.best_other_basis is not None and self.best_other_basis != self.best:
            notes.append(f"per {other} the best site is {names[self.best_other_basis]}")
        if basis == "tokens" and any(self.borrowed.values()):
            notes.append("the tokens of " + ", ".join(f"{names[sid]} ({', '.join(hw)})"
                                                       for sid, hw in self.borrowed.items() if hw)
                         + " are the H100 figure (no sourced figure of their own), so their per-token figures are "
                           "illustrations")
        rates = {}  # throughput key -> tokens/s per accelerator, of the scored sites
        for sid, (key, rate) in self.throughput.items():
            rates.setdefault(key, rate)
        if basis == "tokens" and len(set(rates.values())) > 1:
            lo, hi = min(rates.values()), max(rates.values())
            notes.append("the fleets' example throughputs differ " + f"({hi / lo:.1f}x: "
                         + ", ".join(f"{k} {r:,.0f}" for k, r in sorted(rates.items(), key=lambda kv: -kv[1]))
                         + " tokens/s per accelerator), so per million tokens the score compares the hardware "
                           "as well as the sites")
        return "; ".join(notes) or (f"the same best site per {other}" if self.best is not None else "no best site")


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
    return Comparison(score=s, not_scored=not_scored, left_out=left_out,
                      best=s.score.index[0] if len(s.score) else None,
                      best_other_basis=alt.index[0] if len(alt) else None,
                      borrowed={sid: hw for sid, hw in (borrowed or {}).items() if sid in t.index},
                      throughput=throughput)
