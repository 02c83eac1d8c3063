"""A portfolio site's tariff with a pending rate change, said where the portfolio reports rank its cost.

A tariff file may record a rate case the utility has filed and the regulator has not decided
(``dcplan_pending_rate_change``, :mod:`dcplan.tariff_pending`: the bundled APS E-32 TOU L file, priced
2024-03-08, carries APS's case, +16 % on average and up to +45 % proposed for the extra-high-load-factor
class, new rates from 2026-07-08). The tco notebook and site_analysis say it; the portfolio reports ranked
that site's bill at the old prices, escalated at ``electricity_escalation_frac`` to the common price date
(:mod:`dcplan.portfolio_prices`: x1.0927 for APS's three years), without a word of the proposal, although
with it in full the bundled ranking per installed GPU-hour changes (Phoenix, best by 0.022 of score, falls
behind Research Triangle and Chicago).

* :func:`pending_changes`: site id -> its tariff's pending change (sites without one left out).
* :func:`pending_rank_text`: the portfolio_comparison's sentence: each scored site with a pending change,
  and the best site on both bases when each such bill at the common date is multiplied by
  ``1 + change_frac_high``, as the tco notebook's ``electricity_cost_mult`` high end applies it to the bill
  (the site file's ``finance.ranges``: 1.45 for the bundled Phoenix).
* :func:`sweep_pending_text`: the portfolio_sweep's sentence: the sites of the cases with a pending change,
  and the lowest-cost case with their bills so raised.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["pending_changes", "pending_rank_text", "sweep_pending_text", "raised_costs"]


def pending_changes(sites) -> dict[str, dict]:
    """Site id -> the pending rate change of its tariff (:func:`dcplan.tariff_pending.pending_change`: ``summary``,
    ``source``, and when given ``effective_earliest`` as ``YYYY-MM-DD`` and ``change_frac_high`` [frac]); sites
    without a tariff or whose tariff has none are left out."""
    from .pipeline import site_tariff
    from .tariff_checks import startdate_day
    from .tariff_pending import pending_change
    out = {}
    for s in sites:
        if getattr(s, "tariff", None) is None:
            continue
        pc = pending_change(getattr(site_tariff(s), "metadata", None))
        if pc is None:
            continue
        pc = dict(pc)
        if pc.get("effective_earliest") not in (None, ""):
            pc["effective_earliest"] = startdate_day(pc["effective_earliest"])
        out[s.id] = pc
    return out


def _said(sid: str, pc: dict, names: dict, price_at: str | None) -> str:
    """One site's pending change in words, its effective date against the common price date ``price_at``."""
    text = f"{names.get(sid, sid)}'s tariff has a pending rate change ({str(pc['summary']).rstrip('.')})"
    eff = pc.get("effective_earliest")
    if eff:
        where = ("" if not price_at else f", {'on or before' if eff <= price_at else 'after'} the common price date "
                                         f"{price_at}")
        text += f", new rates from {eff}{where}"
    return text


def raised_costs(t: pd.DataFrame, raise_frac: dict) -> pd.DataFrame:
    """``t`` (:func:`dcplan.portfolio_compare.comparison_table`) with each site's of ``raise_frac`` (site id ->
    ``change_frac_high``) ``bill_at_common_date_usd`` multiplied by ``1 + change_frac_high`` and its
    ``usd_per_m_tokens`` and ``usd_per_gpu_h`` recomputed from it (:func:`dcplan.portfolio_score.unit_figures`:
    (bill + PV's and battery's costs a year) / million tokens or GPU-hours; the PV and battery costs are not
    tariff prices and stay)."""
    from .portfolio_score import unit_figures
    t = t.copy()
    for sid, x in raise_frac.items():
        t.loc[sid, "bill_at_common_date_usd"] = float(t.at[sid, "bill_at_common_date_usd"]) * (1.0 + float(x))
    u = unit_figures(t.assign(bill_usd=t["bill_at_common_date_usd"]))
    for c in ("usd_per_m_tokens", "usd_per_gpu_h"):
        if c in u:
            t[c] = u[c]
    return t


def pending_rank_text(t: pd.DataFrame, weights: dict, basis: str, names: dict, pending: dict,
                      price_at: str | None = None) -> str:
    """The sentence ("" when no scored site has a pending change, or the score does not weigh the cost) saying
    which scored sites' costs are at prices a pending rate case may replace, and which site is best on each
    basis (per million tokens, per installed GPU-hour) with each such site's bill at the common date multiplied
    by ``1 + change_frac_high`` (the largest change proposed; a site whose change gives none is named but not
    raised).

    Parameters
    ----------
    t : pandas.DataFrame
        The comparison table (:func:`dcplan.portfolio_compare.comparison_table`), indexed by site id.
    weights : dict
        Criterion column -> weight on ``basis`` (:func:`dcplan.portfolio_compare.score_criteria`).
    basis : str
        ``"tokens"`` or ``"gpu_h"``.
    names : dict
        Site id -> name.
    pending : dict
        :func:`pending_changes` of the sites.
    price_at : str, optional
        The common price date (``cost_price_date``).
    """
    from .portfolio_compare import basis_columns, compare
    cost = basis_columns(basis)[0]
    if not weights.get(cost):
        return ""
    base = compare(t, weights, basis)
    scored = [sid for sid in base.score.score.index if sid in pending]
    if not scored:
        return ""
    text = "; ".join(_said(sid, pending[sid], names, price_at) for sid in scored)
    text += (f": {'its' if len(scored) == 1 else 'their'} electricity cost is at the tariff's prices before the "
             "change, escalated at electricity_escalation_frac, not at the proposed rates")
    raise_frac = {sid: float(pending[sid]["change_frac_high"]) for sid in scored
                  if pending[sid].get("change_frac_high") is not None}
    if not raise_frac:
        return text + " (the file gives no size of the change, so the ranking is not retested with it)"
    how = ", ".join(f"{names.get(s, s)} x{1.0 + x:g}" for s, x in raise_frac.items())
    after = compare(raised_costs(t, raise_frac), weights, basis)
    other = "installed GPU-hour" if basis == "tokens" else "million tokens"
    this = "million tokens" if basis == "tokens" else "installed GPU-hour"

    def verdict(was, now, was_tie, now_tie, per):
        def who(b, tie):
            return names.get(b, b) if b is not None else ("no site (" + ", ".join(names.get(i, i) for i in tie)
                                                          + " tie)" if tie else "no site")
        if was == now and tuple(was_tie) == tuple(now_tie):
            return f"per {per} the best site stays {who(now, now_tie)}"
        return f"per {per} the best site becomes {who(now, now_tie)}, not {who(was, was_tie)}"
    return (f"{text}; with the largest change proposed applied to the bill at the common date ({how}, as the tco "
            "notebook's electricity_cost_mult high end applies it), "
            + verdict(base.best, after.best, base.best_tie, after.best_tie, this) + ", and "
            + verdict(base.best_other_basis, after.best_other_basis, base.best_other_tie, after.best_other_tie,
                      other))


def sweep_pending_text(cases: pd.DataFrame, names: dict, pending: dict) -> str:
    """The portfolio_sweep's sentence ("" when no site of a case that ran with a cost has a pending change): the
    sites whose cases' costs are at prices a pending rate case may replace, and the lowest-cost case with each
    such case's bill at the common date multiplied by ``1 + change_frac_high``: ``cost_usd_per_it_mwh`` +
    ``bill_at_common_date_usd x change_frac_high / it_mwh`` (:func:`dcplan.portfolio_compare.sweep_case_table`)."""
    need = {"status", "site", "cost_usd_per_it_mwh", "bill_at_common_date_usd", "it_mwh"}
    if not need <= set(cases.columns):
        return ""
    ran = cases[(cases["status"] == "ok") & cases["cost_usd_per_it_mwh"].notna()]
    sites = [s for s in dict.fromkeys(ran["site"]) if s in pending]
    if not sites:
        return ""
    price_at = next(iter(ran["cost_price_date"].dropna()), None) if "cost_price_date" in ran else None
    text = "; ".join(_said(s, pending[s], names, price_at) for s in sites)
    text += (f": {'its' if len(sites) == 1 else 'their'} cases' costs are at the tariff's prices before the change, "
             "escalated at electricity_escalation_frac, not at the proposed rates")
    hi = {s: float(pending[s]["change_frac_high"]) for s in sites if pending[s].get("change_frac_high") is not None}
    if not hi:
        return text
    add = ran["site"].map(hi).fillna(0.0) * pd.to_numeric(ran["bill_at_common_date_usd"], errors="coerce").fillna(0.0)
    raised = pd.to_numeric(ran["cost_usd_per_it_mwh"], errors="coerce") + add / pd.to_numeric(ran["it_mwh"],
                                                                                            errors="coerce")
    was, now = ran["cost_usd_per_it_mwh"].astype(float).idxmin(), raised.idxmin()
    how = ", ".join(f"{names.get(s, s)} x{1.0 + x:g}" for s, x in hi.items())
    if ran.at[was, "site"] in hi:
        what = (f"the lowest-cost case, of {names.get(ran.at[was, 'site'], ran.at[was, 'site'])}, costs "
                f"{float(raised[was]):.1f} USD per IT MWh, not {float(ran.at[was, 'cost_usd_per_it_mwh']):.1f}")
        if now != was:
            what += (f", and the lowest is then a case of {names.get(ran.at[now, 'site'], ran.at[now, 'site'])} "
                     f"({float(raised[now]):.1f})")
    else:  # only the raised sites' cases cost more: a lowest case of another site stays the lowest
        what = "the lowest-cost case is unchanged"
    return f"{text}; with the largest change proposed applied to the bill at the common date ({how}), {what}"
