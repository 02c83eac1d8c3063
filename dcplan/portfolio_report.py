"""The ``portfolio_comparison`` notebook's tables and sentences at any number of sites.

- :func:`display_names`: how every table, chart and sentence names a site: its ``name``, or
  ``name [id]`` when another site of the portfolio has the same name (as ``site_analysis``'s
  verdict does), so two "Phoenix, AZ (APS E-32)" sites are told apart.
- :class:`FigureTable`: published figures as one compact table (a row per site, a column per
  figure), carrying the same :data:`dcplan.results.MIME` records as :func:`dcplan.results.publish`.
  A table per site (each with its labels in full, in HTML and in text) made the key-figures
  cell 172,350 characters at 22 sites, and render left part of it out (100,000 per cell); a row
  is about 1,000 characters, and the notebook splits the figures over three cells, so 50 sites
  (and more) fit.
- :func:`score_ranks`, :func:`tie_groups`, :func:`ties_text`: ranks with ties shown as tied
  (competition ranks, "=2").
- :func:`short_text`, :func:`best_text`: the best-site headline, which names a site that
  scores lower but whose plant cannot carry its IT load in some hours of the typical year (not
  eligible for best: :class:`dcplan.portfolio_compare.Comparison`), with why. Every plant figure
  here is of the typical weather year, which leaves out extremes (a plant that carries its load in
  every hour of it can be short in a 1-in-10-year hour: ``site_climate``'s
  ``extreme_year_shortfall_kw``), and says so.
"""
from __future__ import annotations

import html
from numbers import Real
from typing import Mapping

import pandas as pd

from .portfolio_compare import FIGURES, TIE_TOLERANCE
from .portfolio_power import UNCONDITIONED_KEY
from .power_tokens import scenario_label
from .results import MIME, format_value, record
from .tariff_applicability import superseded_clause

__all__ = ["display_names", "FigureTable", "key_figures_table", "KEY_GROUPS", "score_ranks", "tie_groups",
           "score_digits", "score_text",
           "ties_text", "short_text", "best_text", "best_score", "score_table", "columns_text", "NO_COMMON_DATE",
           "score_scale_text",
           "not_scored_text", "single_scored_warning", "weight_label"]

#: The key figures, in the three tables (cells) the notebook shows them in, with each column's heading.
KEY_GROUPS = {
    "plant": {"annual_pue": "PUE", "free_cooling_h": "free cooling (plant model)", "derate_h": "derate",
              "derate_max_kw": "derate, worst hour", "facility_mwh": "facility energy", "wue_l_per_kwh": "WUE",
              "water_m3": "water a year"},
    "electricity": {"bill_usd": "electricity bill, own prices", "tariff_price_date": "tariff price date",
                    "escalation_factor": "escalation to common date",
                    "bill_at_common_date_usd": "electricity bill, common date",
                    "usd_per_m_tokens": "electricity per M tokens", "usd_per_gpu_h": "electricity per GPU-h",
                    "tokens_per_s_per_accelerator": "example throughput"},
    "power_carbon": {"first_energized_p50": "first power, median date", "first_power_months": "first power, months",
                     "time_to_power_median_months": "from filing, median",
                     "time_to_power_median_unconditioned_months": "from filing, median, whole wait",
                     "carbon_g_per_m_tokens":
                     "grid carbon per M tokens", "carbon_kg_per_gpu_h": "grid carbon per GPU-h"},
}


def display_names(names: Mapping[str, str]) -> dict[str, str]:
    """Site id -> how the comparison names it: its name, or ``name [id]`` when two or more sites
    share the name (``names``: site id -> name).

    >>> display_names({"phoenix-aps": "Phoenix, AZ", "phoenix-zero": "Phoenix, AZ", "chicago": "Chicago, IL"})
    {'phoenix-aps': 'Phoenix, AZ [phoenix-aps]', 'phoenix-zero': 'Phoenix, AZ [phoenix-zero]', 'chicago': 'Chicago, IL'}
    """
    count = pd.Series(list(names.values())).value_counts()
    return {sid: nm if count[nm] == 1 else f"{nm} [{sid}]" for sid, nm in names.items()}


class FigureTable:
    """Published records shown as one table: ``rows`` is a list of ``(row heading, {column:
    record or text})``; a record (:func:`dcplan.results.record`) is shown as
    :func:`dcplan.results.format_value` of its value and unit in a cell carrying its key
    (``data-key``), text as given; ``formats`` (column -> function of the value) shows a column's
    records otherwise (the scores, to as many digits as tell them apart: :func:`score_digits`).
    Its MIME bundle carries every record, as :func:`dcplan.results.publish`'s does, so ``dcplan
    render`` reads them into results.json."""

    def __init__(self, columns: list[str], rows: list[tuple[str, dict]], corner: str = "site",
                 formats: Mapping | None = None):
        self.columns, self.rows, self.corner = list(columns), rows, corner
        self.formats = dict(formats or {})

    @property
    def records(self) -> list[dict]:
        return [v for _, cells in self.rows for v in cells.values() if isinstance(v, dict)]

    def _text(self, v, column: str | None = None) -> str:
        if isinstance(v, dict):
            fmt = self.formats.get(column)
            if fmt is not None and isinstance(v["value"], Real) and not isinstance(v["value"], bool):
                return fmt(v["value"])
            return format_value(v["value"], v["unit"], v.get("key"))
        return "" if v is None else str(v)

    def _html(self) -> str:
        e = html.escape
        head = "".join(f"<th>{e(c)}</th>" for c in [self.corner, *self.columns])
        body = []
        for name, cells in self.rows:
            tds = []
            for c in self.columns:
                v = cells.get(c)
                if isinstance(v, dict):
                    tds.append(f"<td data-key='{e(v['key'])}'>{e(self._text(v, c))}</td>")
                else:
                    tds.append(f"<td>{e(self._text(v, c))}</td>")
            body.append(f"<tr><th>{e(name)}</th>{''.join(tds)}</tr>")
        return f"<table class='dcplan-results'><tr>{head}</tr>{''.join(body)}</table>"

    def _plain(self) -> str:
        frame = pd.DataFrame([[self._text(cells.get(c), c) for c in self.columns] for _, cells in self.rows],
                             index=[n for n, _ in self.rows], columns=self.columns)
        frame.index.name = self.corner
        return frame.to_string()

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {MIME: {"records": self.records}, "text/html": self._html(), "text/plain": self._plain()}


#: The figures of :func:`key_figures_table` that are given the months a site has waited without power
#: (:func:`dcplan.portfolio_compare.site_row`'s ``time_to_power_given``), which their labels then say.
_TTP_KEYS = ("first_energized_p50", "first_power_months", "time_to_power_median_months")


def key_figures_table(t: pd.DataFrame, labels: Mapping[str, str], group: str, lacks, ref=None) -> FigureTable:
    """The key figures of :data:`KEY_GROUPS` ``group`` of every site of the comparison table ``t``
    (:func:`dcplan.portfolio_compare.comparison_table`), as records ``<site id>.<column>`` labelled
    ``<site label>: <FIGURES label>`` (the throughput with its key, the months with the reference
    date ``ref``); a figure a site has no section for is published as why (``lacks(t, sid, col)``:
    "no tariff"). ``time_to_power_median_unconditioned_months`` (the whole wait from filing) is published only for a
    site whose time to power is given months waited (``time_to_power_given``), as site_analysis publishes it; an
    empty cell for the others (their time to power from filing is the whole wait's). The ``plant`` group adds a
    column saying when the plant is short of the IT load (in the typical year: the hours of the weather file's
    typical year, which leaves out extremes)."""
    cols = KEY_GROUPS[group]
    rows = []
    for sid, row in t.iterrows():
        cells = {}
        for k, head in cols.items():
            if k == UNCONDITIONED_KEY and not (isinstance(row.get(k), float) and pd.notna(row[k])):
                continue  # no months waited given (or nothing pending): the months from filing are the whole wait's
            v, u = FIGURES[k]
            key = str(row.get("throughput_key", ""))  # the figure and its MLPerf scenario (unknown for the GB200's)
            lab = f"{labels[sid]}: {v}" + (f" ({'; '.join(filter(None, (key, scenario_label(key))))})"
                                           if k == "tokens_per_s_per_accelerator" else "")
            lab += f" ({ref:%Y-%m-%d})" if k == "first_power_months" and ref is not None and pd.notna(ref) else ""
            # the time to power given the months the site has waited without power (dcplan.plan_dates.with_wait)
            if k in _TTP_KEYS and isinstance(given := row.get("time_to_power_given"), str) and given:
                lab += f", {given}"
            elif k == UNCONDITIONED_KEY:  # the figure beside it: not given the wait (site_analysis's label says so)
                lab = lab.replace("(not given the months waited)", f"(not {row.get('time_to_power_given')})")
            # the bills are of different years' prices (site_analysis's bill_usd says its own date): the date here too
            if k == "bill_usd" and isinstance(at := row.get("tariff_price_date"), str) and at:
                lab = lab.replace("(tariff_price_date)", f"(of {at}, tariff_price_date)")
            # a superseded rate (its enddate, dcplan.pipeline.figures' bill_enddate): said by every bill and date
            if k in ("bill_usd", "tariff_price_date", "bill_at_common_date_usd") and isinstance(
                    end := row.get("bill_enddate"), str) and end:
                lab += ";" + superseded_clause({"enddate": end})[1:]
            # the costs ranked are the bills restated at one date (dcplan.portfolio_prices): which, in every label
            if isinstance(common := row.get("cost_price_date"), str) and common:
                lab = lab.replace("(cost_price_date)", f"({common}, cost_price_date)")
            elif "cost_price_date" in row.index:  # no site's tariff gives a date: none, and nothing escalated
                lab = lab.replace("(cost_price_date)", f"({NO_COMMON_DATE}; cost_price_date)")
            if k == "escalation_factor" and pd.notna(row.get(k)):
                lab += _escalation_detail(row)
            if k not in row or (row[k] is None or (not isinstance(row[k], str) and pd.isna(row[k]))):
                why = lacks(t, sid, "bill_usd" if k == "tariff_price_date" else k)
                if k == "tariff_price_date" and why == "no accelerators":  # a bill, but its tariff has no startdate
                    why = "no startdate: prices taken as at the project start"
                cells[head] = record(f"{sid}.{k}", why, label=lab)
            elif k == "tariff_price_date":
                cells[head] = record(f"{sid}.{k}", str(row[k]), label=lab)
            else:
                if k == "first_power_months" and float(row[k]) < 0:  # a site not scored, earlier than every scored one
                    lab += " (negative: earlier than every scored site; this site is not scored)"
                cells[head] = record(f"{sid}.{k}", row[k].date() if k == "first_energized_p50" else float(row[k]),
                                     unit=u, label=lab)
        if group == "plant":
            h = row.get("derate_h")
            cells["plant"] = ("carries the IT load in every hour of the typical year" if pd.notna(h) and h == 0 else
                              f"SHORT of the IT load in {h:,.0f} h of the typical year: its PUE reads low"
                              if pd.notna(h) else "")
        if group == "electricity":
            cells["throughput figure"] = str(row.get("throughput_key", ""))
        rows.append((labels[sid], cells))
    extra = {"plant": ["plant"], "electricity": ["throughput figure"]}.get(group, [])
    return FigureTable(list(cols.values()) + extra, rows)


#: What a label says in place of the common price date when no site's tariff gives a price date (startdate):
#: :func:`dcplan.portfolio_prices.at_common_date` then has none and escalates no bill.
NO_COMMON_DATE = "none: no site's tariff gives a price date (startdate), so no bill is escalated"


def _escalation_detail(row) -> str:
    """How a site's bill was escalated to the common date, for its ``escalation_factor`` label:
    " (1.03 ** 3: electricity_escalation_frac 0.03, 3 steps from 2024-03-08)", or why it was not."""
    steps, e = row.get("escalation_steps"), row.get("electricity_escalation_frac")
    if not (isinstance(row.get("cost_price_date"), str) and row.get("cost_price_date")):
        return " (1: no bill is escalated, no site's tariff giving a price date)"
    if steps is None or pd.isna(steps):
        return " (its tariff gives no price date (startdate): taken as at the common date, not escalated)"
    return (f" ({1 + float(e):g} ** {float(steps):g}: electricity_escalation_frac {float(e):g}, {float(steps):g} "
            f"whole 12-month steps from {row.get('bill_price_date')})")


def columns_text(group: str, price_date: str | None = None) -> str:
    """What each column of a :func:`key_figures_table` is, in one line (its heading: the figure's
    label in full, with its unit), said once above the table rather than in every site's labels;
    ``price_date``: the common price date the costs are restated at (``cost_price_date``), said with it
    (:data:`NO_COMMON_DATE` when there is none)."""
    def label(k):
        lab = FIGURES[k][0]
        sep = "; " if price_date == NO_COMMON_DATE else ", "
        return lab.replace("(cost_price_date)", f"({price_date}{sep}cost_price_date)") if price_date else lab
    return "; ".join(f"{head}: {label(k)}" + (f" [{FIGURES[k][1]}]" if FIGURES[k][1] else "")
                     for k, head in KEY_GROUPS[group].items())


def score_ranks(score: pd.Series, tol: float = TIE_TOLERANCE) -> pd.Series:
    """Competition rank of each score, lowest first, ``"=k"`` for sites sharing a score (within
    ``tol``): scores 0.1, 0.2, 0.2, 0.3 rank "1", "=2", "=2", "4".

    >>> score_ranks(pd.Series([0.3, 0.1, 0.2, 0.2], index=list("abcd"))).to_dict()
    {'b': '1', 'c': '=2', 'd': '=2', 'a': '4'}
    """
    sc = score.sort_values(kind="stable")
    out, i = {}, 0
    vals = sc.to_numpy()
    while i < len(sc):
        j = i
        while j + 1 < len(sc) and abs(vals[j + 1] - vals[i]) <= tol:
            j += 1
        for k in range(i, j + 1):
            out[sc.index[k]] = f"={i + 1}" if j > i else f"{i + 1}"
        i = j + 1
    return pd.Series(out, dtype=object)


def score_digits(score: pd.Series, tol: float = TIE_TOLERANCE, least: int = 3) -> int:
    """Significant digits (at least ``least``, at most 15) at which no two scores that differ by
    more than ``tol`` (are not tied: :func:`score_ranks`) print the same: 0.2629 and 0.2632 are
    both "0.263" at 3, so 4.

    >>> score_digits(pd.Series([0.2629, 0.2632, 0.5])), score_digits(pd.Series([0.25, 0.25, 0.5]))
    (4, 3)
    """
    vals = sorted(float(v) for v in score.dropna())
    for n in range(least, 16):
        if all(f"{a:.{n}g}" != f"{b:.{n}g}" for a, b in zip(vals, vals[1:]) if abs(b - a) > tol):
            return n
    return 15


def score_text(score: pd.Series):
    """A function showing one of ``score`` 's values to :func:`score_digits` significant digits
    (0.2629, 0.2632; 0 and 1 as "0" and "1"; a rounded 0.27000004 as "0.270", as
    :func:`dcplan.results.format_value` shows it on the index)."""
    from .results import _sig3
    n = score_digits(score)
    return lambda v: _sig3(float(v), n)


def tie_groups(score: pd.Series, tol: float = TIE_TOLERANCE) -> list[tuple]:
    """Groups of two or more sites sharing a score (within ``tol``), lowest score first."""
    ranks = score_ranks(score, tol)
    groups: dict[str, list] = {}
    for sid, r in ranks.items():
        if r.startswith("="):
            groups.setdefault(r, []).append(sid)
    return [tuple(g) for g in groups.values()]


def ties_text(score: pd.Series, labels: Mapping[str, str]) -> str:
    """The ties of ``score`` in one sentence ("" when none): "Tied (equal score, shown as =k):
    A and B at 0.483 (=14); C and D at 0.558 (=19)"."""
    groups = tie_groups(score)
    if not groups:
        return ""
    ranks, show = score_ranks(score), score_text(score)
    return "Tied (equal scores, ranks shown as =k): " + "; ".join(
        f"{' and '.join(labels[s] for s in g)} at {show(score[g[0]])} ({ranks[g[0]]})" for g in groups)


def short_text(f: Mapping) -> str:
    """Why a site whose plant cannot carry the hour's IT load in some hours of the typical year is not
    compared as it stands (``f``: :func:`dcplan.portfolio_compare.plant_short`'s entry of the site).

    >>> short_text({"derate_h": 526.0, "derate_max_kw": 6677.4})
    "its plant is short of the hour's IT load in 526 h of the typical year (up to 6,677 kW): its PUE reads low (cooling counted only for the heat it removes); fix the plant before comparing"
    """
    up = f" (up to {f['derate_max_kw']:,.0f} kW)" if pd.notna(f.get("derate_max_kw")) else ""
    return (f"its plant is short of the hour's IT load in {f['derate_h']:,.0f} h of the typical year{up}: its PUE "
            "reads low (cooling counted only for the heat it removes); fix the plant before comparing")


def _passed_text(c, labels) -> str:
    sc = c.score.score
    show = score_text(sc)
    return "; ".join(f"{labels[s]} scores lower ({show(sc[s])}) but {short_text(c.short[s])}" for s in c.passed_over)


def best_text(c, labels: Mapping[str, str]) -> str:
    """The best-site headline of a :class:`dcplan.portfolio_compare.Comparison`: the best site's
    label; a tie or no scored site as "none: ..."; the sites not scored, when there are, with why
    (:func:`not_scored_text`); and every site that scores lower but whose plant is short (not eligible
    for best), named with :func:`short_text`."""
    passed = _passed_text(c, labels)
    if c.best is not None and len(c.score.score) == 1 and c.not_scored:
        # one site scored is no comparison: said, with the sites that were not scored and why
        head = f"{labels[c.best]}, the only site scored ({not_scored_text(c, labels)}): no other site was ranked against it"
    elif c.best is not None:
        head = labels[c.best]
    elif c.best_tie:
        head = f"none: {', '.join(labels[s] for s in c.best_tie)} tie on the weighted criteria"
    elif c.passed_over:
        head = "none: no scored site's plant carries its IT load in every hour of the typical year"
    else:
        return "none: no site has every weighted figure"
    if (c.best is not None or c.best_tie) and len(c.score.score) > 1 and c.not_scored:
        # a site not scored (a site file without grid_carbon_kg_per_mwh, say) is not in the ranking: said here,
        # not only in the score table, so a site added to a portfolio is not read as having lost
        head += f" ({not_scored_text(c, labels)}, so not ranked)"
    return f"{head}; {passed}" if passed else head


def not_scored_text(c, labels: Mapping[str, str]) -> str:
    """The sites of a :class:`dcplan.portfolio_compare.Comparison` that are not scored, counted against
    every site and grouped by why: "2 of 3 sites not scored, no grid carbon figure: Miami, FL; Sand Point, AK"."""
    n = len(c.score.score) + len(c.not_scored)
    by_why: dict = {}
    for sid, why in c.not_scored.items():
        by_why.setdefault(why, []).append(labels[sid])
    parts = "; ".join(f"{why}: {', '.join(who)}" for why, who in by_why.items())
    return f"{len(c.not_scored)} of {n} sites not scored, {parts}"


def single_scored_warning(c, labels: Mapping[str, str]) -> str | None:
    """The warning for a comparison in which one site is scored and the others are not (a weighted
    criterion's figure missing at them: a site file without ``grid_carbon_kg_per_mwh``), or None: its
    "best site" is the only site ranked, not the best of the portfolio. What to do: give the others the
    figure, or weight that criterion 0 so that every site is scored on the rest."""
    if len(c.score.score) != 1 or not c.not_scored:
        return None
    only = labels[c.score.score.index[0]]
    return (f"portfolio_comparison: {only} is the only site scored ({not_scored_text(c, labels)}), so the best site "
            "names no comparison; allowed: give the other sites the figures they lack, or set the weight of the "
            "criterion they lack to 0 so that every site is scored on the rest")


def weight_label(wt: pd.DataFrame, param: str) -> str:
    """The published label of the weight ``param``, from :func:`dcplan.portfolio_compare.weights_table`
    ``wt``: its criterion, column and share of the score; a criterion equal at every scored site (derate
    hours 0 at each) scales to 0 for all and separates no site, so its share is said as a share of the
    weights that adds nothing, not as "10 % of the score"."""
    r = wt.loc[param]
    head = f"Weight of {r['criterion']} ({r['column']}; lower is better): {100 * r['share_frac']:.3g} %"
    if str(r["note"]).startswith("equal at every"):
        return (f"{head} of the weights, but equal at every scored site ({r['min']:g}): it adds nothing to any "
                "score and separates no sites")
    return f"{head} of the score"


def score_scale_text(worst: float, n_scored: int) -> str:
    """What a score's scale is, for its labels: "0 best, <worst> worst possible" with two or more sites
    scored; with one, every criterion scales to 0 (no other site to scale it against), so its score of 0
    says nothing of how good it is."""
    if n_scored < 2:
        return "0 for the only site scored: with no other site, every criterion scales to 0, so it ranks nothing"
    return f"0 best, {worst:.3g} worst possible"


def best_score(c) -> tuple:
    """(value, label start) of the best-site score headline: the best site's score ("Its score"),
    the tied sites' score, or the lowest score when every scored site's plant is short."""
    sc = c.score.score
    if c.best is not None:
        return float(sc[c.best]), "Its score"
    if c.best_tie:
        return float(sc[c.best_tie[0]]), "The tied sites' score"
    if len(sc):
        return float(sc.iloc[0]), "Lowest score (a site whose plant is short of its IT load: not named best)"
    return "none", "Best score"


def score_table(c, labels: Mapping[str, str], worst: float, left_out: Mapping[str, str] | None = None) -> FigureTable:
    """Every site's score as a ranked table: scored sites lowest first (rank, ties "=k"), then the
    sites not scored and those the notebook left out (``left_out``: site id -> why), with a note
    on a site whose plant is short of its IT load (:func:`short_text`). Records
    ``<site id>.score``, labelled ``<site label>: score (0 best, <worst> worst possible)``."""
    sc = c.score.score
    ranks = score_ranks(sc)
    lab = f"score ({score_scale_text(worst, len(sc))})"
    rows = []
    for sid in sc.index:
        note = ("not eligible for best: " + short_text(c.short[sid])) if sid in c.short else ""
        rows.append((labels[sid], {"rank": ranks[sid], "score": record(f"{sid}.score", float(sc[sid]),
                                                                         label=f"{labels[sid]}: {lab}"),
                                   "note": note}))
    for sid, why in c.not_scored.items():
        rows.append((labels[sid], {"rank": "-", "score": record(f"{sid}.score", f"not scored: {why}",
                                                                 label=f"{labels[sid]}: {lab}"), "note": ""}))
    for sid, why in (left_out or {}).items():
        rows.append((labels[sid], {"rank": "-", "score": record(f"{sid}.score", f"left out: {why}",
                                                                 label=f"{labels[sid]}: {lab}"), "note": ""}))
    return FigureTable(["rank", "score", "note"], rows, formats={"score": score_text(sc)})
