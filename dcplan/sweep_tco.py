"""A sweep case function with the site's TCO: :func:`case_tco` (``dcplan sweep --case dcplan.sweep_tco:case_tco``).

The default case function (:func:`dcplan.pipeline.case_figures`) gives a site-year's figures and, of the finance
inputs, reads only the PV's and the site battery's annual costs (:data:`dcplan.sweep_spec.CASE_FIGURES_FINANCE`).
:func:`case_tco` adds to its row the deterministic TCO of the ``base`` scenario, as the tco notebook computes it
(:func:`dcplan.tco_site.site_tco`) and under the keys it publishes (``npv_usd``, ``irr_frac``, ``payback_years``,
``tco_pv_usd``, ``usd_per_gpu_hour``, ``npv_grid_delay_p50_usd``, ...; docs/glossary.md), so an axis of any finance
input (``finance.discount_rate_frac``, ``finance.sewer_billing``, ``finance.costs.pv_usd_per_kw_dc``) or of the
fleet's ``utilisation_frac`` moves the NPV without a line of Python.
"""
from __future__ import annotations

import math
from typing import Any

from .errors import InputError
from .paths import doc_ref
from .sweep_spec import TCO_CASE  # (its name as --case and a sweep file's case: give it)

__all__ = ["case_tco", "tco_figures", "no_tariff_error", "TCO_CASE", "GRID_DELAY_P50_KEYS"]

#: The figures of the case at the site's median grid delay, as the tco notebook publishes them: each key and the
#: summary key of that case's result it is (``grid_delay_p50_months``, the delay itself, is set apart).
GRID_DELAY_P50_KEYS = {"npv_grid_delay_p50_usd": "npv_usd", "irr_grid_delay_p50_frac": "irr_frac",
                       "residual_sale_pv_grid_delay_p50_usd": "residual_sale_pv_usd",
                       "npv_without_residual_sale_grid_delay_p50_usd": "npv_without_residual_sale_usd"}


def _num(v: Any) -> float:
    """A summary figure as a float column's value: None (a figure that does not exist) is NaN."""
    return math.nan if v is None else float(v)


def tco_figures(case) -> dict[str, Any]:
    """The deterministic TCO figures of a :func:`dcplan.tco_site.site_tco` result, as one flat row.

    Every key of its summary (:func:`dcplan.tco.run_tco`: ``npv_usd``, ``residual_sale_pv_usd``,
    ``npv_without_residual_sale_usd``, ``tco_usd``, ``tco_pv_usd``, ``usd_per_gpu_hour``, ``usd_per_mwh_it``,
    ``usd_per_million_tokens``, ``irr_frac``, ``payback_years``, ``discounted_payback_years``, ``capex_initial_usd``,
    ``discount_rate_frac``, ``share_<category>_frac``, ...) [USD, frac, years, ...: docs/glossary.md, TCO], with
    NaN where the notebook publishes "n/a" (None in the summary: no IRR, no payback within the horizon, no output
    to divide by); right after ``irr_frac``, ``irr_reason`` (text), the notebook's: how the IRR was found
    (``unique IRR``, several IRRs and which one is given) or why there is none
    (:attr:`dcplan.tco.TcoResult.irr_reason`, :func:`dcplan.finance.irr_result`); ``delay_months``, the case's
    grid delay in whole months as the model runs it [months];
    ``npv_valued_month`` (``YYYY-MM``, the month the NPV is discounted to; None without fleet dates); and the case
    at the site's median grid delay (:func:`dcplan.tco_delay.median_delay_case`): ``npv_grid_delay_p50_usd``,
    ``irr_grid_delay_p50_frac``, ``residual_sale_pv_grid_delay_p50_usd``,
    ``npv_without_residual_sale_grid_delay_p50_usd`` [USD, frac] and ``grid_delay_p50_months`` [months].

    Where the case's own delay is already the median in whole months (no second case is run, and the notebook
    publishes only the case's), the median figures are the case's own; they are NaN without an
    ``interconnection:`` section (no delay distribution) and, but for ``grid_delay_p50_months``, when operations
    at the median delay would start after the horizon (the notebook's ``npv_grid_delay_p50_note``).
    """
    s = case.summary
    row: dict[str, Any] = {}
    for k, v in s.items():
        row[k] = _num(v)
        if k == "irr_frac":  # beside it, as the notebook publishes it: how the IRR was found, or why there is none
            row["irr_reason"] = case.result.irr_reason
    row["delay_months"] = float(case.delay_used)
    cal = case.result.calendar_months
    row["npv_valued_month"] = None if cal is None else str(cal[0])
    med, med_result = case.median, case.median_result
    if case.site.interconnection is None:  # no delay distribution: no median
        row.update({k: math.nan for k in GRID_DELAY_P50_KEYS}, grid_delay_p50_months=math.nan)
    elif med is None:  # the case's delay is the median already (dcplan.tco_delay.median_delay_case)
        row.update({k: row[v] for k, v in GRID_DELAY_P50_KEYS.items()}, grid_delay_p50_months=row["delay_months"])
    else:
        ms = med_result.summary if med_result is not None else {}  # None: operations after the horizon
        row.update({k: _num(ms.get(v)) for k, v in GRID_DELAY_P50_KEYS.items()},
                   grid_delay_p50_months=float(med.months_used))
    return row


def no_tariff_error(site) -> InputError:
    """The error of :func:`case_tco` on a site without a ``tariff:`` section, naming the site file and its
    ``tariff`` field and what a sweep's user can give: a section in the site file or a ``tariff.file`` for every
    case in the sweep file (:func:`dcplan.tco_site.site_year_bill`'s "pass tariff_file" is an argument a sweep
    does not take)."""
    where = "" if site.source_file else f"site {site.id} (built without a file): "
    return InputError(
        f"{where}no tariff: section, and the TCO case ({TCO_CASE}) bills the site's year on its tariff (the TCO's "
        "electricity opex): give the site file a tariff: section (tariff: {file: <URDB JSON>}, or a flat rate: "
        f"tariff: {{flat_usd_per_kwh: <USD/kWh>, source: <where the rate comes from>}}; {doc_ref('site-format.md')}), "
        "or give "
        "the sweep's cases one in the sweep file (fixed: {tariff.file: <URDB JSON>}: one utility's tariff, for a "
        "sweep of that utility's site)", file=site.source_file or None, field="tariff")


def case_tco(site, seed: int = 0, **overrides) -> dict[str, Any]:
    """One sweep row: :func:`dcplan.pipeline.case_figures`' row and the site's deterministic TCO.

    The site year is run once (:func:`dcplan.pipeline.run_site_year`, with ``seed``) and serves both: the row of
    :func:`dcplan.pipeline.case_row` and :func:`dcplan.tco_site.site_tco` (``scenario="base"``,
    ``site_year=`` that year: the call the tco notebook makes, so a case without overrides gives the notebook's
    ``npv_usd``). Its figures follow (:func:`tco_figures`): the base scenario's summary, ``delay_months`` and the
    case at the site's median grid delay, under the keys the tco notebook publishes. The TCO reads every
    ``finance:`` input and the fleet (``fleet.utilisation_frac``, its phases' dates), so every finance axis moves it.

    No Monte Carlo, tornado or export: the deterministic TCO already takes about a second a case (1.2 s for Phoenix
    on a shared 2-core VM, December 2026, against about 0.1 s for the site year), and the notebook's Monte Carlo
    (10,000 draws of the cash flows) would add to that in every case of a sweep; run the tco notebook
    (``dcplan render --notebooks tco``) for a case's percentiles.

    Parameters
    ----------
    site : dcplan.site.Site
        The case's site (a sweep passes it with its overrides applied).
    seed : int, default 0
        Seed of the workload profile (:func:`dcplan.pipeline.run_site_year`); the tco notebook's year is seed 0.
    **overrides
        Dotted spec paths applied first (:func:`dcplan.pipeline.case_site`), as :func:`~dcplan.pipeline.case_figures`
        takes them.

    Returns
    -------
    dict
        The case's row: :func:`dcplan.pipeline.case_row`'s keys, then :func:`tco_figures`' (none is both).

    Raises
    ------
    InputError
        A site without a ``tariff:`` section (the TCO's electricity opex is the year's bill): the message names the
        site file and its ``tariff`` field and says what to give (:func:`no_tariff_error`). A site without a
        ``finance:`` section runs on the finance defaults (:class:`dcplan.specs.finance.FinanceSpec`,
        data/costs.csv), as the tco notebook does.

    In a sweep a case that fails is a ``failed`` row with the message in ``error``. When its site year fails, the
    row keeps the rack layout's figures, as the default case's does (:func:`dcplan.sweep_worker._known_figures`);
    when the year runs and the TCO fails (no tariff, a finance input the TCO refuses), it keeps the whole site-year
    row (:func:`dcplan.pipeline.case_row`'s figures, the TCO's columns empty), its ``error`` saying that the TCO
    failed and why (:func:`dcplan.sweep_worker.keep_figures`).
    """
    from .pipeline import case_row, case_site, run_site_year
    from .sweep_worker import keep_figures
    from .tco_site import site_tco
    site = case_site(site, overrides)
    y = run_site_year(site, seed=seed)
    row = case_row(site, y)
    try:
        if site.tariff is None:  # site_tco's own advice ("or pass tariff_file") is no sweep's to follow
            raise no_tariff_error(site)
        tco = tco_figures(site_tco(site, scenario="base", site_year=y))
    except Exception as err:
        raise keep_figures(err, row, "the TCO")  # the site year's figures are the row's, as they are
    both = sorted(set(row) & set(tco))
    if both:  # one column, two meanings: refused rather than one silently overwriting the other
        raise ValueError(f"case_tco: the site-year row and the TCO both give {', '.join(both)}")
    return {**row, **tco}
