"""How far the ``portfolio_comparison`` ranking can be trusted, and what it leaves beside the score.

A weighted score ranks sites on weights someone chose; a finance committee needs to know whether the
order survives other reasonable weights. Here (all vectorised numpy; a 4-site portfolio takes a few
milliseconds):

- :func:`win_shares`: the share of random weight draws in which each site scores lowest (seeded,
  :data:`N_DRAWS` draws of the weights of the criteria the score uses). Two draws are reported:
  ``"uniform"``, uniform on the simplex (Dirichlet with every alpha 1: any weights at all), and
  ``"near"``, Dirichlet around the stated weights (alpha = :data:`NEAR_CONCENTRATION` x each weight's
  share: a share of 0.4 then varies with a standard deviation of sqrt(0.4 x 0.6 / 21) = 0.107).
  A site whose plant is short of its IT load is not eligible for best (as
  :class:`dcplan.portfolio_compare.Comparison`), and sites tied in a draw share it equally.
- :func:`swap_changes`: for each pair of sites adjacent in the ranking, the smallest change of one
  weight parameter (the others as given) at which the two tie; beyond it they swap.
- :func:`best_challenge`: over every other site eligible for best (scored, plant not short), the
  smallest change of one weight at which it ties the best site: the challenger need not be ranked
  second (one further down, better on a criterion that gains weight, can overtake sooner), and a
  short site ranked above the best is no challenger (it cannot be best).
- :func:`first_power_flag`: when the median first-power dates of the scored sites lie closer together
  than the narrowest site's 10th-90th percentile band, ranking them by median orders differences the
  uncertainty of each date swamps.
- :func:`robustness_text`: the headline: "not robust" when some eligible site ties the best site under a
  change of one weight of at most :data:`SMALL_CHANGE_FRAC` of the weights' sum; a tie for best has no best
  site to test, and says so.
- :func:`add_water`, :func:`price_dates`, :func:`price_date_warning`: the table's water columns and
  each site's tariff price date, with a warning when they are far apart; :func:`superseded_warning`, the sites on
  a superseded rate (a URDB ``enddate``), and :func:`best_superseded_text`, the best site's rank resting on one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .rank_ties import tied

__all__ = ["N_DRAWS", "SEED", "NEAR_CONCENTRATION", "SMALL_CHANGE_FRAC", "PRICE_DATE_GAP_DAYS", "scaled_criteria",
           "win_shares", "swap_changes", "best_challenge", "first_power_flag", "Robustness", "robustness",
           "robustness_text", "robustness_records", "add_water", "price_dates", "price_date_warning",
           "superseded_warning", "best_superseded_text",
           "rebase_first_power"]

#: Random weight draws per win-share estimate; with 20,000 the standard error of a share p is
#: sqrt(p (1 - p) / 20,000) <= 0.0035.
N_DRAWS = 20_000
#: Seed of the draws, so a report shows the same shares on every run.
SEED = 0
#: Concentration of the Dirichlet draws around the stated weights (alpha_j = this x share_j). dcplan's
#: choice, an estimate of how far a committee's weights plausibly differ: about +-0.1 on a share of 0.4.
NEAR_CONCENTRATION = 20.0
#: A change of one weight parameter of at most this share of the weights' sum counts as small (0.1 on the
#: default weights, which sum to 1: e.g. weight_cost 0.4 -> 0.5). dcplan's choice, an estimate: the step
#: by which stated weights are usually argued over.
SMALL_CHANGE_FRAC = 0.1
#: Tariff price dates further apart than this are warned of (a year: about one escalation step). [days]
PRICE_DATE_GAP_DAYS = 365


def scaled_criteria(t: pd.DataFrame, columns, ids) -> pd.DataFrame:
    """Each of ``columns`` min-max scaled over the sites ``ids`` of ``t`` (0 best, 1 worst), a column tied
    at every site (:func:`dcplan.rank_ties.tied`) 0 for all, as :func:`dcplan.portfolio_score.weighted_score`
    scales them. Columns that some of the sites lack (NaN) are left out."""
    ok = t.loc[list(ids), [c for c in dict.fromkeys(columns) if c in t]].astype(float)
    ok = ok.loc[:, ok.notna().all()]
    lo, hi = ok.min(), ok.max()
    span = (hi - lo).where([not tied(a, b) for a, b in zip(hi, lo)])
    return ((ok - lo) / span).fillna(0.0)


def win_shares(scaled: pd.DataFrame, weights: dict, *, mode: str = "uniform", eligible=None, n: int = N_DRAWS,
               seed: int = SEED) -> pd.Series:
    """Share of ``n`` random weight draws in which each site of ``scaled`` (sites x criteria, 0-1) scores
    lowest among ``eligible`` (default: all). ``weights``: column -> stated weight (> 0) of the criteria
    drawn; ``mode`` ``"uniform"`` (uniform on the simplex) or ``"near"`` (Dirichlet, alpha =
    :data:`NEAR_CONCENTRATION` x share). Shares sum to 1; a draw tied between sites is split between them."""
    cols = [c for c, w in weights.items() if w > 0 and c in scaled]
    if mode not in ("uniform", "near"):
        raise ValueError(f"mode must be 'uniform' or 'near', got {mode!r}")
    ids = [i for i in scaled.index if eligible is None or i in eligible] or list(scaled.index)
    if not cols or not ids:
        return pd.Series(1.0 / max(len(ids), 1), index=ids, dtype=float)
    w = np.array([float(weights[c]) for c in cols])
    alpha = np.ones(len(cols)) if mode == "uniform" else NEAR_CONCENTRATION * w / w.sum()
    draws = np.random.default_rng(seed).dirichlet(alpha, size=n)  # rows sum to 1: the score's denominator
    scores = draws @ scaled.loc[ids, cols].to_numpy().T  # (n, sites)
    top = scores <= scores.min(axis=1, keepdims=True) + 1e-12
    return pd.Series((top / top.sum(axis=1, keepdims=True)).mean(axis=0), index=ids, dtype=float)


def swap_changes(scaled: pd.DataFrame, params: dict, order) -> list[dict]:
    """For each pair ``(a, b)`` adjacent in ``order`` (best first), the smallest change of one weight
    parameter at which ``b`` ties ``a`` (beyond it, ``b`` ranks above ``a``).

    ``params``: weight parameter -> (criterion column, weight as given). With the others fixed, the score
    difference has the sign of ``N(w) = sum_j w_j (S_aj - S_bj)``, linear in each weight: changing ``w_k``
    by ``d = -N / (S_ak - S_bk)`` ties them, allowed when ``w_k + d >= 0`` and some weight stays above 0.
    Returns dicts ``{"a", "b", "param", "from", "to", "change"}`` (``param`` None when no single weight
    swaps them, e.g. identical sites)."""
    out = []
    for a, b in zip(order, list(order)[1:]):
        d = {p: float(scaled.at[a, c] - scaled.at[b, c]) for p, (c, _) in params.items() if c in scaled}
        n = sum(float(w) * d[p] for p, (c, w) in params.items() if p in d)
        best = {"a": a, "b": b, "param": None, "from": float("nan"), "to": float("nan"), "change": float("inf")}
        for p, dk in d.items():
            w = float(params[p][1])
            if dk == 0:
                continue
            step = -n / dk
            others = sum(float(v) for q, (_, v) in params.items() if q != p)
            if w + step < -1e-12 or (w + step <= 0 and others <= 0) or abs(step) >= best["change"]:
                continue
            best.update(param=p, to=max(w + step, 0.0), change=abs(step), **{"from": w})
        out.append(best)
    return out


def best_challenge(scaled: pd.DataFrame, params: dict, best, eligible) -> dict | None:
    """The smallest change of one weight parameter at which some site of ``eligible`` other than ``best``
    ties ``best`` (beyond it, that site scores lower): :func:`swap_changes` of the pair ``(best, s)`` for
    every such ``s``, the smallest ``change`` kept (on equal changes the first of ``eligible``).

    Every eligible site is tried, not only the one ranked second: the change is ``|N| / |S_ak - S_bk|``,
    so a site further down that differs more on criterion ``k`` can need less. Returns the dict of
    :func:`swap_changes` (``param`` None when no single weight puts any of them level), or None when
    ``eligible`` holds no other site."""
    out = None
    for s in eligible:
        if s == best:
            continue
        w = swap_changes(scaled, params, [best, s])[0]
        if out is None or w["change"] < out["change"]:
            out = w
    return out


def first_power_flag(t: pd.DataFrame, ids) -> dict | None:
    """``{"spread_months", "band_lo_months", "band_hi_months"}`` when the median first-power dates
    (``first_energized_p50``) of the sites ``ids`` lie within a spread smaller than the narrowest site's
    10th-90th percentile band (``first_energized_p90 - first_energized_p10``), in calendar months
    (:func:`dcplan.grid._months_between`, as the dates are built); None when they do not, or fewer than two
    sites have the dates."""
    from .grid import _months_between
    cols = ["first_energized_p10", "first_energized_p50", "first_energized_p90"]
    if not set(cols) <= set(t.columns):
        return None
    d = t.loc[list(ids), cols].apply(pd.to_datetime).dropna()
    if len(d) < 2:
        return None
    spread = _months_between(d["first_energized_p50"].min(), d["first_energized_p50"].max())
    band = pd.Series([_months_between(a, b) for a, b in zip(d["first_energized_p10"], d["first_energized_p90"])])
    if spread >= band.min():
        return None
    return {"spread_months": float(spread), "band_lo_months": float(band.min()), "band_hi_months": float(band.max())}


@dataclass
class Robustness:
    """Output of :func:`robustness`: win shares (``uniform``, ``near``: site id -> share), the adjacent
    pairs' swaps (:func:`swap_changes`), the first-power flag, the best site (``best``, None when there is
    none: ``tie`` then holds the sites tied for it, empty when no scored site is eligible), the smallest
    single-weight change at which another eligible site ties it (``challenge``: :func:`best_challenge`) and
    whether that change is small (``robust``: False then, True when it is not or no other site is eligible;
    None with fewer than two scored sites or no best site)."""

    uniform: pd.Series
    near: pd.Series
    swaps: list = field(default_factory=list)
    flag: dict | None = None
    robust: bool | None = None
    small: float = 0.0
    best: str | None = None
    tie: tuple = ()
    challenge: dict | None = None


def robustness(t: pd.DataFrame, c, params: dict) -> Robustness:
    """The robustness of the ranking of :class:`dcplan.portfolio_compare.Comparison` ``c`` of the table
    ``t`` on the weight parameters ``params`` (parameter -> (criterion column, weight as given))."""
    order = list(c.score.score.index)
    used = {col: w for col, w in params.values() if w > 0 and col not in c.score.left_out}
    scaled = scaled_criteria(t, [col for col, _ in params.values()], order)
    eligible = [s for s in order if s not in c.short] or order
    uni = win_shares(scaled, used, mode="uniform", eligible=eligible)
    near = win_shares(scaled, used, mode="near", eligible=eligible)
    swaps = swap_changes(scaled, params, order)
    small = SMALL_CHANGE_FRAC * float(sum(w for _, w in params.values()))
    # the best site against every other eligible one (not the top two: the top site can be short, and a site
    # further down can overtake sooner); no best site (a tie, or every plant short): nothing to test
    best = c.best if len(order) >= 2 else None
    challenge = None if best is None else best_challenge(scaled, params, best, [s for s in order if s not in c.short])
    robust = None if best is None else not (challenge is not None and challenge["param"] is not None
                                            and challenge["change"] <= small + 1e-12)
    return Robustness(uni, near, swaps, first_power_flag(t, order), robust, small, best, tuple(c.best_tie), challenge)


def _pct(x: float) -> str:
    """A win share [frac] in the headline's words, to a whole percent: never rounded to none or all of the draws
    (0.99995, a site best in all but one of 20,000 draws, is "> 99 %", not "100 %"); 0 and 1 only when exact."""
    text = f"{100 * x:.0f}"
    if text == "0" and x > 0:
        return "< 1 %"
    if text == "100" and x < 1:
        return "> 99 %"
    return f"{text} %"


def robustness_text(r: Robustness, names: dict) -> str:
    """The headline: whether another eligible site ties the best site under a small change of one weight
    (a tie for best says so: no best site to test), the win shares and the first-power flag, in one
    paragraph."""
    if len(r.swaps) < 1:
        return "fewer than two sites scored: no ranking to test"
    ch = r.challenge
    if r.best is None and r.tie:
        head = (f"no best site to test: {', '.join(names[s] for s in r.tie)} tie for the lowest score among the "
                "sites eligible for best, so the stated weights already leave the choice open")
    elif r.best is None:
        head = "no best site to test: no scored site is eligible for best (every scored site's plant is short)"
    elif ch is None:
        head = (f"robust to weight changes: no other scored site is eligible for best (their plants are short), "
                f"so no change of the weights makes another site best instead of {names[r.best]}")
    else:
        top = names[r.best]
        if ch["param"] is None:
            how = f"no change of one weight puts any other eligible site level with {top}"
        else:
            how = (f"{ch['param']} {ch['from']:g} -> {ch['to']:.3g} (a change of {ch['change']:.3g}) makes "
                   f"{names[ch['b']]} tie with {top}, and beyond it rank above it (the smallest such change over "
                   "every other site eligible for best)")
        head = ("NOT ROBUST: " if not r.robust else "robust to small single-weight changes: ") + how
        head += f" (small: a change of at most {r.small:.3g}, {100 * SMALL_CHANGE_FRAC:g} % of the weights' sum)"
    shares = ", ".join(f"{names[s]} {_pct(v)}" for s, v in r.uniform.sort_values(ascending=False).items() if v > 0)
    near = ", ".join(f"{names[s]} {_pct(v)}" for s, v in r.near.sort_values(ascending=False).items() if v > 0)
    head += (f"; best in {N_DRAWS:,} random weight draws (seed {SEED}): uniform on the simplex of the weighted "
             f"criteria {shares}; Dirichlet around the stated weights (concentration {NEAR_CONCENTRATION:g}) {near}")
    # adjacent pairs of the ranking that a small change reorders, but for the pair the headline already gives
    said = (ch["a"], ch["b"]) if ch is not None and ch["param"] is not None else None
    lower = [w for w in r.swaps if w["param"] is not None and w["change"] <= r.small + 1e-12
             and (w["a"], w["b"]) != said and not {w["a"], w["b"]} <= set(r.tie)]  # a tie for best: said above
    if lower:
        head += "; elsewhere in the ranking, small changes reorder: " + "; ".join(
            f"{names[w['b']]} ties {names[w['a']]} at {w['param']} {w['from']:g} -> {w['to']:.3g}" for w in lower)
    if r.flag:
        f = r.flag
        head += (f"; the scored sites' median first-power dates lie within {f['spread_months']:.1f} months of each "
                 f"other while each site's 10th-90th percentile band spans {f['band_lo_months']:.0f}-"
                 f"{f['band_hi_months']:.0f} months: 'when power arrives' ranks differences inside that uncertainty")
    return head


def robustness_records(r: Robustness, names: dict) -> dict:
    """:func:`dcplan.results.publish` records of the win shares (``<site>.best_share_uniform_frac``,
    ``<site>.best_share_near_frac``) and each adjacent pair's smallest swapping change
    (``rank_swap_<k>``: the pair ranked k and k+1), labelled with what they are."""
    out = {}
    for sid in r.uniform.index:
        out[f"{sid}.best_share_uniform_frac"] = (float(r.uniform[sid]), None, (
            f"{names[sid]}: share of {N_DRAWS:,} random weight draws (uniform on the simplex, seed {SEED}) in which "
            "it is the best site"))
        out[f"{sid}.best_share_near_frac"] = (float(r.near[sid]), None, (
            f"{names[sid]}: share of {N_DRAWS:,} weight draws around the stated weights (Dirichlet, concentration "
            f"{NEAR_CONCENTRATION:g}, seed {SEED}) in which it is the best site"))
    for k, w in enumerate(r.swaps, start=1):
        what = (f"{w['param']} {w['from']:g} -> {w['to']:.4g} (change {w['change']:.3g})" if w["param"] is not None
                else "no change of one weight")
        out[f"rank_swap_{k}"] = (what, None, f"Smallest change of one weight at which {names[w['b']]} (rank {k + 1}) "
                                             f"ties {names[w['a']]} (rank {k}); beyond it they swap")
    return out


def rebase_first_power(t: pd.DataFrame, ids) -> pd.Timestamp:
    """Set ``t["first_power_months"]`` to calendar months after the earliest median first-power date among the sites
    ``ids`` (the scored ones; all sites when none of them has a date), so the reference named is a scored
    site's; a site outside them that is earlier reads negative. Returns the reference date (NaT: none).
    Min-max scaling is unchanged by the shift, so no score moves."""
    from .portfolio_compare import months_after
    d = pd.to_datetime(t["first_energized_p50"])
    pool = d.loc[[i for i in ids if i in d.index]].dropna()
    ref = pool.min() if len(pool) else d.min()
    t["first_power_months"] = months_after(d, ref).to_numpy()  # calendar months, as first_power_months
    return ref


def add_water(t: pd.DataFrame) -> pd.DataFrame:
    """``t`` with ``water_m3``: the cooling plant's water a year, ``wue_l_per_kwh x it_mwh`` (L/kWh x MWh =
    m3), as ``site_analysis``'s ``water_m3`` (:func:`dcplan.sustainability`); NaN without the figures."""
    if {"wue_l_per_kwh", "it_mwh"} <= set(t.columns):
        t["water_m3"] = t["wue_l_per_kwh"].astype(float) * t["it_mwh"].astype(float)
    else:
        t["water_m3"] = float("nan")
    return t


def price_dates(sites) -> pd.Series:
    """Site id -> the date its tariff's prices are at (:func:`dcplan.tco_electricity.tariff_price_date`,
    ``YYYY-MM-DD``), None for a site without a tariff or a tariff without a ``startdate``."""
    from .pipeline import site_tariff
    from .tco_electricity import tariff_price_date
    out = {}
    for s in sites:
        out[s.id] = None if getattr(s, "tariff", None) is None else tariff_price_date(site_tariff(s))[0]
    return pd.Series(out, dtype=object)


def superseded_warning(ended: pd.Series, names: dict, ids) -> str:
    """A sentence ("" when none) naming the sites among ``ids`` whose tariff is a superseded rate: ``ended``, site
    id -> its URDB ``enddate`` (``YYYY-MM-DD``, a frame's ``bill_enddate``: :func:`dcplan.pipeline.figures`; None or
    NaN: none), as :func:`dcplan.tariff_applicability.superseded_text` says it. Their costs are at prices the
    utility no longer charges, restated at the common price date as the tco notebook escalates a bill: neither
    knows the rate that replaced them.

    >>> superseded_warning(pd.Series({"a": "2024-12-31", "b": None}), {"a": "A", "b": "B"}, ["a", "b"])[:70]
    'A is on a rate superseded (its enddate 2024-12-31 is the date the rate'
    """
    from .tariff_applicability import superseded_clause
    got = [(s, str(ended[s])) for s in ids if s in ended.index and isinstance(ended[s], str) and ended[s]]
    if not got:
        return ""
    each = "; ".join(f"{names.get(s, s)} is {superseded_clause({'enddate': d})[2:]}" for s, d in got)
    return (f"{each}: {'its' if len(got) == 1 else 'their'} electricity cost is at those prices, escalated as the tco "
            "notebook escalates a bill, not at the rate that replaced it, which dcplan does not know")


def best_superseded_text(best, ended: pd.Series, names: dict, rates: dict, price_at=None,
                         weight_cost: float = 1.0) -> str:
    """A sentence ("" when none) saying that the best site's rank rests on a superseded rate: for each site of
    ``best`` (the best site's id, or the ids tied for best; None: none) whose tariff has a URDB ``enddate``
    (``ended``, site id -> ``YYYY-MM-DD`` or None/NaN: a frame's ``bill_enddate``, as :func:`superseded_warning`
    reads it), the site, its rate (``rates``, site id -> :func:`dcplan.tco_electricity.rate_title`) and the end
    date, placed against the common price date ``price_at`` the electricity costs are ranked at
    (:func:`dcplan.portfolio_prices.common_price_date`; None: no date to place it against). On or before it, the cost
    the site ranks on is at prices the utility had stopped charging by then; after it, it does not charge them from
    the ``enddate`` on. ``weight_cost`` 0: the score does not weigh the electricity cost, so no rank rests on it
    (``""``).

    >>> best_superseded_text("a", pd.Series({"a": "2024-12-31"}), {"a": "A"}, {"a": 'U rate "R"'}, "2026-01-01")[:98]
    'the best site, A, ranks on the electricity cost of U rate "R", a rate superseded: its enddate 2024'
    """
    ids = [best] if isinstance(best, str) else [] if best is None else list(best)
    if not weight_cost:
        return ""
    out = []
    for sid in ids:
        day = ended.get(sid) if sid in ended.index else None
        if not isinstance(day, str) or not day:
            continue
        if not isinstance(price_at, str) or not price_at:
            when = "from that date on the utility does not charge its prices"
        elif day <= price_at:
            when = (f"on or before the common price date the costs are ranked at ({price_at}), so the cost it ranks "
                    "on is at prices the utility had stopped charging by then")
        else:
            when = (f"after the common price date the costs are ranked at ({price_at}): from it on the utility "
                    "does not charge the prices its cost is at")
        tied_ = "" if len(ids) == 1 else " (tied)"
        out.append(f"the best site{tied_}, {names.get(sid, sid)}, ranks on the electricity cost of "
                   f"{rates.get(sid, 'its tariff')}, a rate superseded: its enddate {day} (URDB) is {when}; rank it "
                   "again on the rate that replaced it")
    return "; ".join(out)


def _rate_range_words(lo_frac: float, hi_frac: float) -> str:
    """An escalation rate, or the range of a site's rates, per year: ``"+3.0%/yr"``, ``"+3.0 to +6.0%/yr"``.

    >>> _rate_range_words(0.03, 0.06)
    '+3.0 to +6.0%/yr'
    """
    if f"{lo_frac:+.1%}" == f"{hi_frac:+.1%}":
        return f"{lo_frac:+.1%}/yr"
    return f"{lo_frac * 100:+.1f} to {hi_frac * 100:+.1f}%/yr"


def price_date_warning(dates: pd.Series, names: dict, ids, whose: str = "the sites'",
                       comparison: str = "the cost criterion", escalated: pd.DataFrame | None = None) -> str:
    """A sentence ("" when none) when the tariff price dates of the sites ``ids`` differ by more than
    :data:`PRICE_DATE_GAP_DAYS`, naming each. ``whose`` and ``comparison`` name what is compared (a sweep's:
    "the cases'", "the lowest cost").

    Without ``escalated`` the costs compared are at their tariffs' own price dates: of different years' prices,
    which the sentence says. With ``escalated`` (:func:`dcplan.portfolio_prices.at_common_date` of the sites,
    indexed by site id) the costs are restated at one date, and the sentence says which (``cost_price_date``), at
    what rate and by how much at most (``escalation_factor``): the ranking then rests in part on that assumed
    escalation, not on the tariffs alone. A site whose cases run several rates (a sweep's) gives its lowest as
    ``electricity_escalation_frac`` and its highest as ``electricity_escalation_max_frac``, said as a range."""
    d = pd.to_datetime(dates.loc[[i for i in ids if i in dates.index]].dropna())
    if len(d) < 2 or (d.max() - d.min()).days <= PRICE_DATE_GAP_DAYS:
        return ""
    listed = ", ".join(f"{names[s]} {v:%Y-%m-%d}" for s, v in d.sort_values().items())
    apart = f"{(d.max() - d.min()).days / 365.25:.1f} years apart ({listed})"
    at = None if escalated is None else next(iter(escalated["cost_price_date"].dropna()), None)
    if at is None:
        return (f"{whose} electricity costs are at their tariffs' own price dates, {apart}: {comparison} compares "
                "prices of different years, not only of different tariffs; restate the tariffs at one date (or read "
                "the tco notebook, which escalates each to the project start) before relying on the electricity "
                "ranking")
    e = escalated.loc[[i for i in d.index if i in escalated.index]]
    # a sweep's site may run several rates (a finance.electricity_escalation_frac axis): its lowest and highest
    lo = e["electricity_escalation_frac"].astype(float)
    hi = e["electricity_escalation_max_frac"].astype(float) if "electricity_escalation_max_frac" in e else lo
    words = pd.Series([_rate_range_words(a, b) for a, b in zip(lo, hi)], index=e.index)
    rate = (words.iloc[0] if words.nunique() == 1 else ", ".join(f"{names[s]} {w}" for s, w in words.items()))
    far = (e["escalation_factor"].astype(float) - 1.0).abs().idxmax()
    # the common date is the latest of every billed row's (portfolio_prices), which may be a site not compared here
    latest = ("the latest of these price dates" if pd.Timestamp(at) == d.max() else
              "cost_price_date, the latest price date of all the sites with a bill, a site's not compared here")
    return (f"{whose} tariffs are priced {apart}: {comparison} ranks each bill escalated to {at} ({latest}) at "
            f"electricity_escalation_frac ({rate}) in whole 12-month steps, as the tco notebook "
            f"escalates a bill, up to x{float(e.at[far, 'escalation_factor']):.4f} ({names[far]}), so it rests in "
            "part on that assumed escalation, not on the tariffs alone; each bill at its own tariff's prices is "
            "shown beside it (bill_usd)")
