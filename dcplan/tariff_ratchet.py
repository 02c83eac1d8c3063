"""Demand ratchets: what a bill takes for the months before the load (split from
:mod:`dcplan.tariff_bill`; conventions in :mod:`dcplan.tariff`, Ratchets).

* ``prior_peaks_kw=None``: 0 kW peaks, which understates the first months' billing demand;
  :attr:`Bill.notes <dcplan.tariff_bill.Bill>` says so (:func:`ratchet_note`).
* ``prior_peaks_kw="steady_state"`` (:data:`dcplan.tariff_bill.STEADY_STATE`): a year that
  repeats, as :mod:`dcplan.pipeline` bills a site's typical year (every annual figure of the
  model is such a year: the fleet fully built, the battery ending with the charge it starts
  with): the months before the load are the load's own months of the same calendar months
  (:func:`same_months`), the flat charge's on the all-hours peaks, each TOU period's on its own.
  The load must be 12 billing months, one of each calendar month (:func:`check_steady_state`).
"""
from __future__ import annotations

import numpy as np

from .errors import InputError


#: What a ratchet on TOU demand periods alone bills, against SAM (``Bill.notes``). A utility-rate audit
#: billed a 20 MW test load (2018, hourly) with an 80 % 11-month ratchet and 3 and 12 $/kW TOU periods
#: under PySAM Utilityrate5 with both periods flagged (``ur_dc_billing_demand_periods``): dcplan's bill
#: was 3.8 % below SAM's (13,549,475 vs 14,089,165 USD).
TOU_RATCHET_NOTE = ("each TOU period ratchets on its own history (its own peaks of the earlier months); SAM's "
                    "Utilityrate5, and many tariffs, bill a period flagged for the ratchet on the all-period "
                    "demand's ratchet instead, which bills more where another period set the earlier peak (3.8 % "
                    "more than here on an audit's 20 MW test load, every period flagged): check the tariff's "
                    "wording")


def ratchet_note(t, prior_peaks_kw) -> str | None:
    """What a ratchet bill took for the months before the load (``Bill.notes``): a repeating
    year, 0 kW (an understatement), or nothing to say (peaks given); with no flat (all-hours) demand
    charge, also how TOU periods ratchet (:data:`TOU_RATCHET_NOTE`)."""
    which = "the all-hours demand charge" if t.flat_rate is not None else "each TOU demand period"
    tou = "" if t.flat_rate is not None else TOU_RATCHET_NOTE
    if isinstance(prior_peaks_kw, str):
        return (f"demand ratchet ({which}): billed as a steady-state year that repeats: the months before the "
                "load take the load's own peaks of the same calendar months (prior_peaks_kw='steady_state')"
                + (f"; {tou}" if tou else ""))
    if prior_peaks_kw is None:
        return (f"demand ratchet ({which}): the months before the load are taken as 0 kW peaks (no "
                f"prior_peaks_kw), which understates the first {t.ratchet_lookback_months} months' billing demand"
                + (f"; {tou}" if tou else ""))
    return f"demand ratchet ({which}): {tou}" if tou else None


def check_steady_state(cal) -> None:
    """A repeating year needs 12 billing months, one of each calendar month."""
    if len(cal.month_moy) != 12 or len(set(cal.month_moy.tolist())) != 12:
        raise InputError(f"prior_peaks_kw='steady_state' bills a repeating year: it needs a load of 12 billing months, "
                         f"one of each calendar month; this load has {len(cal.month_moy)} "
                         f"({cal.month_label[0]} to {cal.month_label[-1]}); give prior_peaks_kw (12 monthly kW)",
                         field="prior_peaks_kw")


def same_months(peaks: np.ndarray, cal) -> np.ndarray:
    """(S, M) monthly peaks of a 12-month load as (S, 12) peaks by calendar month (Jan..Dec)."""
    out = np.zeros((peaks.shape[0], 12))
    out[:, cal.month_moy] = peaks
    return out
