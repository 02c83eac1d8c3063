"""A portfolio site billed on a rate that does not apply to its load, said where the portfolio reports rank its cost.

A URDB rate may give the demand range it serves (``peakkwcapacitymax`` / ``peakkwcapacitymin``); a load whose
peak lies outside it would be billed on another of the utility's rates. The bill says so
(:func:`dcplan.tariff_applicability.applicability_notes`, with the tariff file's own
``dcplan_applicability_note`` when it is a stand-in), and site_analysis and the tco notebook show it; the
portfolio reports ranked such a bill beside the others without a word: the bundled Phoenix site (peak grid
draw about 5,600 kW) is billed on APS E-32 TOU L, which serves loads below 3,000 kW and stands in for E-34/E-35,
whose rates were not found.

* :func:`fit_notes`: site id -> the applicability notes of its tariff at a peak grid draw.
* :func:`fit_text`: the sentence the portfolio_comparison's caveat and portfolio_sweep's lowest cost add.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["fit_notes", "fit_text"]


def fit_notes(sites, peak_kw: dict) -> dict[str, list[str]]:
    """Site id -> the notes of :func:`dcplan.tariff_applicability.applicability_notes` of the site's tariff at
    ``peak_kw[site id]`` (its peak grid draw [kW], the demand the utility's rate ranges are of), for the sites
    with a tariff, a finite peak and at least one note (the ``enddate`` note is not one of these: a superseded
    rate is said by :func:`dcplan.portfolio_robustness.superseded_warning`)."""
    from .pipeline import site_tariff
    from .tariff_applicability import applicability_notes
    out = {}
    for s in sites:
        pk = peak_kw.get(s.id)
        if getattr(s, "tariff", None) is None or pk is None or not np.isfinite(float(pk)):
            continue
        # no billed months: the range notes only (the enddate is said apart)
        notes = applicability_notes(getattr(site_tariff(s), "metadata", None) or {}, np.array([float(pk)]),
                                    pd.PeriodIndex([], freq="M"))
        if notes:
            out[s.id] = notes
    return out


def fit_text(sites, peak_kw: dict, names: dict, ids=None, what: str = "its electricity cost") -> str:
    """A sentence ("" when none) naming each site of ``ids`` (default: every site of ``sites``) whose tariff does
    not apply to its peak grid draw (``peak_kw``, site id -> kW): its rate (:func:`dcplan.tco_electricity.rate_title`)
    and the note, and that ``what`` is that rate's bill, not the bill of the rate the utility would bill the load on.

    """
    from .pipeline import site_tariff
    from .tco_electricity import rate_title
    keep = None if ids is None else set(ids)
    chosen = [s for s in sites if keep is None or s.id in keep]
    notes = fit_notes(chosen, peak_kw)
    if not notes:
        return ""
    by_id = {s.id: s for s in chosen}
    each = "; ".join(f"{names.get(sid, sid)}'s bill is on {rate_title(site_tariff(by_id[sid]))}: {' '.join(n)}"
                     for sid, n in notes.items())
    return f"{each} ({what} is that rate's bill, not the one of the rate the utility would bill the load on)"
