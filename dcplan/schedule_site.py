"""The scheduled bill beside the site's own over the same weeks (the off-peak notebook's last section).

A rolling horizon (:func:`dcplan.schedule_rolling.rolling_horizon`) bills the *scheduled* load: must-run IT,
the flexible capacity's idle power and a synthetic job mix, at the PUE of the plant at full design IT, after
the site's PV. :func:`same_weeks` bills the site chain's own year (:func:`dcplan.pipeline.run_site_year`: the
fleet model's IT, its plant, PV and battery) over the same weeks on the same tariff, before and after the PV,
and :func:`same_weeks_text` says why the two bills differ. :func:`saving_vs_site` is the optimized schedule's
bill against the site's own over the same weeks, with what differs between the two bills: the saving against
the site's bill, beside the one against run-ASAP (a baseline schedule of the same synthetic jobs).
:func:`site_pv_kw_on` gives the site's own load after its PV at a schedule's finer step (the week's 15 min), so its
billed demand is of the same interval as the scheduled loads'.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import _ts, power
from .errors import InputError
from .schedule_demand import peaks_in

__all__ = ["SameWeeks", "import_mwh", "same_weeks", "same_weeks_text", "saving_vs_site", "VS_SITE", "ASAP_ROW",
           "ASAP_PV_ROW", "SITE_ROW", "SITE_PV_ROW", "SITE_ROW_AS_SPECIFIED", "site_pv_kw_on"]

#: The rows of :attr:`SameWeeks.basis`.
ASAP_ROW, ASAP_PV_ROW = "run-ASAP schedule, no PV", "run-ASAP schedule, PV (as billed above)"
SITE_ROW, SITE_PV_ROW = "site, no PV or battery", "site, PV, no battery"
SITE_ROW_AS_SPECIFIED = "site as specified (its PV and battery, if any)"
#: The key of :func:`saving_vs_site`'s reasons (``why``) where it has no figure.
VS_SITE = "vs_site_usd"


def import_mwh(kw: pd.Series) -> float:
    """Energy of the positive part (grid import) of a power series. [MWh]

    >>> import_mwh(pd.Series([1000.0, -500.0], index=pd.date_range("2025-01-01 01:00", periods=2, freq="h", tz="UTC")))
    1.0
    """
    return float(power.energy_from_power(kw.clip(lower=0.0)).sum()) / 1000.0


@dataclass
class SameWeeks:
    """The run-ASAP schedule's and the site's IT, grid import and bill over the same weeks (:func:`same_weeks`).

    ``basis``: rows :data:`ASAP_ROW`, :data:`ASAP_PV_ROW` (the run-ASAP bill of the rolling horizon),
    :data:`SITE_ROW`, :data:`SITE_PV_ROW`, :data:`SITE_ROW_AS_SPECIFIED`; columns ``it_mwh``,
    ``grid_import_mwh``, ``bill_usd`` [MWh, USD]. ``site_pv_kw``: the site's load after its PV, before any
    battery [kW]; ``site_pv_bill``: its bill; ``asap_no_pv_usd``: the run-ASAP bill without PV [USD];
    ``pv_mwh``: the site's PV energy [MWh]; ``spilled_mwh``: ``{"asap", "optimized"}`` PV each schedule leaves
    over (no export credit) [MWh]; ``hours``: the weeks' hours [h]; ``asap_short``: ``{"asap": why}`` where
    run-ASAP left jobs unplaced (its rows are then of less work), else empty.
    """

    basis: pd.DataFrame
    site_pv_kw: pd.Series
    site_pv_bill: object
    asap_no_pv_usd: float
    pv_mwh: float
    spilled_mwh: dict
    hours: float
    asap_short: dict


def _drawn_it_kw(load: pd.DataFrame, k: str) -> pd.Series:
    """Strategy ``k``'s IT drawn (``drawn_it_kw_<k>``: the must-run the plant cannot cool draws nothing), else its
    ``it_kw_<k>`` (a load without it). [kW]"""
    return load[f"drawn_it_kw_{k}"] if f"drawn_it_kw_{k}" in load else load[f"it_kw_{k}"]


def site_pv_kw_on(site_year, index: pd.DatetimeIndex, seed: int = 0) -> pd.Series:
    """The site's own load after its on-site PV, no battery, on a schedule's ``index`` (e.g. 15 min). [kW]

    The site chain (:func:`dcplan.pipeline.run_site_year`) is hourly: its plant and PV are of the hourly weather, so
    its facility load is an hour's mean and its billed demand a 1-h peak, which understates a 15-min one. The fleet
    model's IT is not hourly: :func:`dcplan.power.site_it_kw` gives it at any step, each hour's mean equal to the
    hourly IT (:mod:`dcplan.workload`, resolution consistency). So on ``index`` (interval-ending, a step dividing the
    hour, within the site year), in interval ``i`` of hour ``h`` with fine IT :math:`I_i` and its mean over the hour's
    intervals in ``index`` :math:`\\bar I_h`, hourly facility load :math:`F_h` and PV :math:`P_h`:

    .. math:: S_i = \\max\\big(0,\\; F_h\\, I_i / \\bar I_h - P_h\\big)

    (:math:`F_h` where :math:`\\bar I_h = 0`): the plant's cooling and losses in proportion to the IT within the
    hour, as the schedule's loads take each hour's PUE and PV on their 15-min IT, and each hour's mean facility
    load the site chain's (exactly, for an hour wholly in ``index``, before the PV and the clip at zero). On the
    hourly index it is the site chain's ``facility_kw - pv_kw``, never below zero. The within-hour shape is the IT
    model's only (the plant has no within-hour dynamics here; the PV is held over the hour).

    Parameters
    ----------
    site_year : dcplan.pipeline.SiteYear
        The site chain's year (``site``, ``facility_kw``, ``pv_kw`` hourly).
    index : pandas.DatetimeIndex
        The schedule's interval ends, tz-aware, regular, a step of at most 1 h that divides it. [-]
    seed : int, default 0
        The workload seed ``site_year`` was run with (:func:`dcplan.pipeline.run_site_year`'s; 0 in
        :func:`dcplan.schedule_setup.site_schedule_inputs`): the shape within each hour is that draw's.

    Returns
    -------
    pandas.Series
        ``site_pv_kw`` on ``index``. [kW]
    """
    from .schedule_inputs import _coarse_positions

    fac = site_year.facility_kw
    st, own = _ts.step_s(fac, "facility_kw"), _ts.step_s(index, "index")
    if own > st or abs(st / own - round(st / own)) > 1e-9:
        raise InputError(f"step {own / 60:g} min does not divide the site chain's {st / 60:g} min step; give the "
                         "schedule's index (a finer step that divides it)", field="index")
    k = _coarse_positions(fac.index, index, st, own, "index")
    it = power.site_it_kw(site_year.site, index, seed=seed, deployed="all").to_numpy(dtype=float)
    n = len(fac)
    mean = np.bincount(k, weights=it, minlength=n) / np.maximum(np.bincount(k, minlength=n), 1)
    share = np.divide(it, mean[k], out=np.ones_like(it), where=mean[k] > 0)
    kw = fac.to_numpy(dtype=float)[k] * share - site_year.pv_kw.reindex(fac.index).to_numpy(dtype=float)[k]
    return pd.Series(np.maximum(kw, 0.0), index=index, name="site_pv_kw")


def same_weeks(roll, site_year, tariff, coincident_peaks=None) -> SameWeeks:
    """Bill the site's year over the weeks the rolling horizon ``roll`` scheduled, beside its run-ASAP bill.

    ``roll`` is a :class:`dcplan.schedule_rolling.RollingResult` on the site's weather clock, ``site_year``
    :func:`dcplan.pipeline.run_site_year`'s result, ``tariff`` the site's, ``coincident_peaks`` its system peaks
    (``tariff.coincident_peaks``; each bill takes those in the weeks, :func:`dcplan.schedule_demand.peaks_in`).
    Every bill is of the import, never below zero. The run-ASAP rows are of the run-ASAP load, its IT included.
    """
    weeks = roll.load.index
    peaks = peaks_in(coincident_peaks, weeks)

    def bill(kw):
        return tariff.bill(kw, coincident_peaks=peaks, stamps="end")

    site_pv_kw = (site_year.facility_kw - site_year.pv_kw).loc[weeks]  # after its PV, before any battery
    site_pv_bill = bill(site_pv_kw.clip(lower=0.0))
    asap_no_pv_usd = float(bill(roll.load["site_kw_asap"]).total_usd)
    site_it = import_mwh(site_year.it_kw.loc[weeks])
    rows = {
        ASAP_ROW: (import_mwh(_drawn_it_kw(roll.load, "asap")), import_mwh(roll.load["site_kw_asap"]), asap_no_pv_usd),
        ASAP_PV_ROW: (import_mwh(_drawn_it_kw(roll.load, "asap")), import_mwh(roll.load["grid_import_kw_asap"]),
                      roll.costs.at["asap", "bill_total_usd"]),
        SITE_ROW: (site_it, import_mwh(site_year.facility_kw.loc[weeks]),
                   bill(site_year.facility_kw.loc[weeks]).total_usd),
        SITE_PV_ROW: (site_it, import_mwh(site_pv_kw), site_pv_bill.total_usd),
        SITE_ROW_AS_SPECIFIED: (site_it, import_mwh(site_year.grid_kw.loc[weeks]),
                                bill(site_year.grid_kw.loc[weeks].clip(lower=0.0)).total_usd),
    }
    basis = pd.DataFrame(rows, index=["it_mwh", "grid_import_mwh", "bill_usd"]).T
    spilled = {k: round(import_mwh(roll.load["pv_kw"] - roll.load[f"site_kw_{k}"]), 6) + 0.0
               for k in ("asap", "optimized")}
    hours = float(power.energy_from_power(pd.Series(1.0, index=weeks)).sum())
    return SameWeeks(basis, site_pv_kw, site_pv_bill, asap_no_pv_usd, import_mwh(site_year.pv_kw.loc[weeks]),
                     spilled, hours, {k: v for k, v in roll.work_short.items() if k == "asap"})


def same_weeks_text(sw: SameWeeks, roll, n_weeks: str, *, one_week: bool, fleet_note: str = "",
                    has_battery: bool = False) -> str:
    """Why the run-ASAP bill and the site's bill over the same weeks differ, in numbers (or, where run-ASAP left
    jobs unplaced, that its bills are not published). ``n_weeks``: the weeks in words (``"52 weeks"``),
    ``one_week``: a single week; ``fleet_note``: :attr:`dcplan.offpeak_params.Setup.fleet_note`."""
    b = sw.basis
    asap_usd, site_usd = float(b.at[ASAP_PV_ROW, "bill_usd"]), float(b.at[SITE_ROW_AS_SPECIFIED, "bill_usd"])
    these = "this" if one_week else "these"
    if sw.asap_short:
        return (f"Over {these} {n_weeks} {sw.asap_short['asap']}: the run-ASAP rows of the table are of that load "
                f"({b.at[ASAP_ROW, 'it_mwh']:,.0f} MWh of IT), and its bills are not published. The site's bill over "
                f"the same weeks is {site_usd:,.0f} USD, of the site's {b.at[SITE_ROW, 'it_mwh']:,.0f} MWh of IT.")
    fleet_and = f"; and {fleet_note}" if fleet_note else ""
    asap_bill = roll.bills["asap"]
    return (f"Over {these} {n_weeks} the run-ASAP bill is {asap_usd:,.0f} USD and "
            f"the site's bill {site_usd:,.0f} USD ({asap_usd / site_usd - 1:+.1%}). Why: the scheduled IT (run-ASAP's) "
            f"is {b.at[ASAP_ROW, 'it_mwh']:,.0f} MWh against the site's {b.at[SITE_ROW, 'it_mwh']:,.0f} MWh "
            f"(synthetic mix vs fleet model, both with idle power{fleet_and}); run-ASAP's demand charges are "
            f"{asap_bill.demand_usd:,.0f} USD against the site's "
            f"{sw.site_pv_bill.demand_usd:,.0f} USD with its PV, no battery (peak grid import over all hours, not "
            f"the billed demand, which a TOU demand charge measures in its hours only: run-ASAP "
            f"{roll.costs.at['asap', 'peak_grid_kw']:,.0f} kW, the site {sw.site_pv_kw.max():,.0f} kW; run-ASAP "
            f"starts every job as soon as it may), its energy charges {asap_bill.energy_usd:,.0f} USD against "
            f"{sw.site_pv_bill.energy_usd:,.0f} USD (the PUE: the schedule's plant at full design IT, the site's at "
            "each hour's IT)"
            + (", and the site's battery is not in the scheduled bill" if has_battery else "")
            + f". The site's {sw.pv_mwh:,.0f} MWh of on-site PV is in both: the run-ASAP schedule spills "
            f"{sw.spilled_mwh['asap']:,.0f} MWh of it, the optimized one {sw.spilled_mwh['optimized']:,.0f} MWh; "
            f"without the PV the run-ASAP bill would be {sw.asap_no_pv_usd:,.0f} USD.")


def saving_vs_site(sw: SameWeeks, roll, n_weeks: str, *, fleet_note: str = "", has_battery: bool = False,
                   part: str = "") -> tuple[float, float, str, str, dict]:
    """The optimized schedule's billed saving against the site's own modelled bill over the same weeks:
    ``(usd, frac, usd label, frac label, why)``.

    The site's bill is :data:`SITE_PV_ROW` of ``sw`` (:func:`same_weeks`): the site chain's load (fleet model IT
    at ``fleet.utilisation_frac``, its plant at each hour's IT) after its on-site PV, before any battery, the basis
    the scheduled bills share; ``usd`` is that bill less the optimized schedule's (``roll.costs``), ``frac`` its
    share of the site's bill. The two bills are of different loads (the synthetic mix against the fleet model, the
    plant at full design IT against each hour's), so the label gives each bill's energy and demand charges, IT
    energy and peak grid import. ``why`` (key :data:`VS_SITE`) says why there is no figure: the optimized schedule
    left jobs unplaced (``roll.work_short``), or the schedules are of another fleet than the site's
    (``fleet_note``, :attr:`dcplan.offpeak_params.Setup.fleet_note`). ``part``: the partly scheduled billing
    months in words (``" (2025-12 only partly scheduled, ...)"``), appended to the labels.
    """
    site_bill, opt_bill = sw.site_pv_bill, roll.bills["optimized"]
    site_usd, opt_usd = float(site_bill.total_usd), float(roll.costs.at["optimized", "bill_total_usd"])
    usd = site_usd - opt_usd
    why = {}
    if "optimized" in roll.work_short:
        why[VS_SITE] = roll.work_short["optimized"]
    elif fleet_note:
        why[VS_SITE] = ("the schedules are not of the site's fleet (utilisation_frac given), so against the site's "
                        "bill they would count the two fleets' difference, not the schedule's saving")
    pv = "after its on-site PV" if sw.pv_mwh > 0 else "no on-site PV"
    battery = ", before its battery (which the scheduler does not dispatch)" if has_battery else ", no battery"
    site_it, opt_it = float(sw.basis.at[SITE_PV_ROW, "it_mwh"]), import_mwh(_drawn_it_kw(roll.load, "optimized"))
    site_peak = float(sw.site_pv_kw.clip(lower=0.0).max())
    opt_peak = float(roll.costs.at["optimized", "peak_grid_kw"])
    what = (f"the site's bill {site_usd:,.0f} USD (the site chain's load as site_analysis models it: fleet model IT "
            f"at fleet.utilisation_frac, the plant at each hour's IT, {pv}{battery}), the optimized schedule's "
            f"{opt_usd:,.0f} USD (the scheduled load: synthetic jobs + must-run IT + idle flexible capacity, the plant "
            "at full design IT, after the same PV). The two loads "
            f"differ: energy charges {float(site_bill.energy_usd):,.0f} USD (the site) vs "
            f"{float(opt_bill.energy_usd):,.0f} USD (optimized) on IT of {site_it:,.0f} vs {opt_it:,.0f} MWh; "
            f"demand charges {float(site_bill.demand_usd):,.0f} vs {float(opt_bill.demand_usd):,.0f} USD, peak grid "
            f"import over all hours {site_peak:,.0f} vs {opt_peak:,.0f} kW; fixed charges "
            f"{float(site_bill.fixed_usd):,.0f} vs {float(opt_bill.fixed_usd):,.0f} USD")
    return (usd, usd / site_usd if site_usd > 0 else float("nan"),
            f"Billed saving of the optimized schedule vs the site's own modelled bill over the same {n_weeks} (not vs "
            f"run-ASAP): {what}{part}",
            f"Saving as a share of the site's own modelled bill over the same {n_weeks} (rolling_saving_vs_site_usd "
            f"over {site_usd:,.0f} USD: fleet model IT, {pv}{battery}; not the run-ASAP bill){part}", why)


#: What the saving against the site's bill compares (:func:`saving_vs_site`): two load models, not one load
#: scheduled two ways (:func:`two_model_labels` says it in the published labels).
TWO_MODELS = ("the two bills are of different load models (the site's: fleet model IT, the plant at each hour's IT; "
              "the optimized: synthetic jobs, the plant at full design IT), so the difference includes the models' "
              "difference, not only the schedule's")


def two_model_labels(usd_label: str, frac_label: str) -> tuple[str, str]:
    """:func:`saving_vs_site`'s two labels with :data:`TWO_MODELS` said in each: after the USD label's head
    (before the bills' figures), at the end of the share's label.

    >>> two_model_labels("Billed saving (not vs run-ASAP): the site's bill 1 USD", "Saving as a share")[0][:60]
    'Billed saving (not vs run-ASAP): the two bills are of differ'
    """
    head, sep, rest = usd_label.partition(": ")
    usd = f"{head}: {TWO_MODELS}; {rest}" if sep else f"{usd_label}; {TWO_MODELS}"
    return usd, f"{frac_label}; {TWO_MODELS}"

