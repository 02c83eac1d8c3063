"""What a site's modelled typical year gives the TCO's inputs: its plant's water use per kWh of IT
(``wue_l_per_kwh``) and the shares of a year's IT energy and water by calendar month.

:func:`dcplan.tco_inputs.inputs_from_site` takes the site's own plant's WUE (:func:`site_plant_wue`) unless
the site file (``finance.costs.wue_l_per_kwh``) or its caller sets one: ``data/costs.csv``'s generic
0.3 L/kWh ("liquid-cooled with mostly dry heat rejection", an estimate) is no figure for a modelled plant
(Phoenix's air plant with a cooling tower models 2.47 L/kWh: its water opex was 8 x too low and its NPV about
1.2 M USD too high through the library while the tco notebook, which passed the plant's figure, published
the right one). The figure is the notebook's, :func:`plant_wue_l_per_kwh`: the plant model's water over the
typical year's IT energy (:mod:`dcplan.thermal_plant`, via :func:`dcplan.pipeline.run_site_year`).

:func:`site_sewer_billed`: the share of that water the utility bills sewer on (``finance.sewer_billing``): all of
it, the plant's blowdown share, 1 / ``tower_cycles``, with an evaporation deduct meter, or a winter average
(:func:`winter_average_billed_frac` of the plant's make-up by calendar month: the City of Phoenix's rule).

:func:`month_shares` moved here from :mod:`dcplan.tco_inputs` (which re-exports it).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["check_site_year", "month_shares", "needs_site_year", "plant_wue_l_per_kwh", "quiet_site_year",
           "site_plant_wue", "site_sewer_billed", "site_sewer_month_frac", "winter_average_billed_frac",
           "PLANT_WUE_SOURCE", "SITE_YEAR_UNREAD"]

#: Source text of a WUE taken from the site's plant model (the Assumptions table's ``source``; status derived).
PLANT_WUE_SOURCE = ("derived: the site's plant model, typical year: its water use over the IT energy "
                    "(dcplan.thermal_plant via dcplan.pipeline.run_site_year)")


def month_shares(hourly: pd.Series) -> tuple[float, ...]:
    """Shares of a year's total in each calendar month, January..December, of an hourly (or
    any regular) series on a DatetimeIndex with dcplan's interval-ending labels: for
    ``TcoInputs.it_energy_month_frac`` and ``water_month_frac``. An interval belongs to the month
    it starts in, as the tariff bill counts it (the hour ending 00:00 on 1 February is January's).
    A month the series does not cover has share 0. [frac]

    The intervals that start on 29 February are left out: the TCO's months are those of a 365-day year
    (:data:`dcplan.tco_electricity.HOURS_BY_CALENDAR_MONTH`, February 672 h; Feb 29 is not modelled), so a
    leap weather year's (8,784 h, 29 Feb a copy of 28 Feb: :func:`dcplan.weather.load_weather`) February
    share of 29/366 gave a constant draw 3.6 % more energy per hour in February than in January.

    >>> idx = pd.date_range("2021-01-01", periods=8760, freq="h")
    >>> s = month_shares(pd.Series(1.0, idx))        # a constant draw: each month's days / 365
    >>> round(s[0] * 365, 9), round(s[1] * 365, 9)
    (31.0, 28.0)
    >>> leap = pd.date_range("2028-01-01 01:00", periods=8784, freq="h")
    >>> s = month_shares(pd.Series(1.0, leap))       # a leap year too: 29 Feb left out
    >>> round(s[0] * 365, 9), round(s[1] * 365, 9)
    (31.0, 28.0)
    """
    if not isinstance(hourly, pd.Series) or not isinstance(hourly.index, pd.DatetimeIndex):
        raise InputError(f"need a pandas Series on a DatetimeIndex, got {type(hourly).__name__}", field="hourly")
    from ._ts import interval_start
    idx = hourly.index if hourly.index.tz is not None else hourly.index.tz_localize("UTC")  # naive: its wall clock
    start = interval_start(idx)
    keep = ~((start.month == 2) & (start.day == 29))  # no 29 Feb in the TCO's 365-day year
    hourly, start = hourly[keep], start[keep]
    months = start.month
    missing = sorted(set(range(1, 13)) - set(months))
    if missing:  # a month with no data is no month of zero use
        raise InputError(f"the series covers {12 - len(missing)} calendar months, not months "
                         f"{', '.join(map(str, missing))}; allowed: a whole year (each month's share is its part "
                         "of the year)", field="hourly")
    by = hourly.astype(float).groupby(months).sum().reindex(range(1, 13), fill_value=0.0)
    if not np.isfinite(by).all() or (by < 0).any() or by.sum() <= 0:
        raise InputError("the monthly totals must be finite, >= 0 and not all 0, got "
                         f"{[round(float(x), 6) for x in by]}", field="hourly")
    return tuple(float(x) for x in by / by.sum())


def year_energies(y) -> tuple[float, float, float]:
    """``(per_year, it_energy_kwh, facility_energy_kwh)`` of a site year ``y``
    (:class:`dcplan.pipeline.SiteYear`): the energies of the TCO's 365-day year (8,760 h), a leap weather
    year's (8,784 h) scaled down by ``per_year = 8760 / hours``. [-, kWh, kWh]"""
    from .power import energy_from_power
    per_year = 8760.0 / len(y.it_kw)
    return (per_year, float(energy_from_power(y.it_kw).sum()) * per_year,
            float(energy_from_power(y.facility_kw).sum()) * per_year)


def plant_wue_l_per_kwh(y) -> float:
    """The plant's water use per kWh of IT energy of a site year ``y`` (:class:`dcplan.pipeline.SiteYear`):
    its hourly ``water_l`` summed over the year, over the year's IT energy, both scaled to 8,760 h
    (:func:`year_energies`), as the tco notebook has computed it (the same figure as
    ``y.cooling["wue_l_per_kwh"]``, :func:`dcplan.thermal_plant.plant_summary`, to rounding). [L/kWh]"""
    per_year, it_energy_kwh, _ = year_energies(y)
    if not it_energy_kwh > 0:
        raise InputError(f"the site year's IT energy is {it_energy_kwh!r} kWh: no water per kWh of IT without IT "
                         "energy; allowed: a site year whose fleet draws power", field="it_kw")
    return float(y.plant["water_l"].sum()) * per_year / it_energy_kwh


def site_plant_wue(site, site_year=None, *, run_here: bool = False) -> tuple[float, str] | None:
    """``(wue_l_per_kwh, source)`` of the site's own plant, or None for an object that is no
    :class:`dcplan.site.Site` (a stand-in without a plant to model: the ``data/costs.csv`` default stays).

    ``site_year`` is the site's :class:`dcplan.pipeline.SiteYear` when the caller has run it; else
    :func:`dcplan.pipeline.run_site_year` runs it here (about 0.1 s once the site's weather is cached; its
    warnings are silenced: they are the site's own, which the caller's run of the site gives). A site year
    of another site, or of another version of it, is refused (:func:`check_site_year`). ``run_here``: the
    ``site_year`` given is one :func:`dcplan.tco_inputs.inputs_from_site` ran itself (:func:`quiet_site_year`),
    for this and the winter-average sewer rule's months at once: the source says so, as of a year run here.
    """
    from .site import Site
    if not isinstance(site, Site):
        return None
    if site_year is None or run_here:
        site_year = quiet_site_year(site) if site_year is None else site_year
        src = PLANT_WUE_SOURCE + "; run by dcplan.tco_inputs.inputs_from_site"
    else:
        check_site_year(site, site_year)
        src = PLANT_WUE_SOURCE + "; the caller's site_year"
    return plant_wue_l_per_kwh(site_year), src


def quiet_site_year(site):
    """:func:`dcplan.pipeline.run_site_year` of ``site`` with its warnings silenced: they are the site's own,
    which the caller's run of the site gives (about 0.1 s once the site's weather is cached)."""
    import warnings

    from .errors import DcplanWarning
    from .pipeline import run_site_year
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)
        return run_site_year(site)


def needs_site_year(site, costs, water_month_frac) -> tuple[bool, bool]:
    """``(wue, months)``: whether :func:`dcplan.tco_inputs.inputs_from_site` reads the typical year of ``site``
    for its plant's WUE (:func:`site_plant_wue`: a :class:`dcplan.site.Site` whose ``costs``, the site's and the
    caller's merged, give no ``wue_l_per_kwh``) and for the make-up water by calendar month of a winter-average
    sewer rule (:func:`site_sewer_billed`: no ``water_month_frac`` given). Both: one run serves both."""
    from .site import Site
    if not isinstance(site, Site):
        return False, False
    winter = getattr(getattr(site, "finance", None), "sewer_billing", None) == "winter_average"
    return "wue_l_per_kwh" not in costs, winter and water_month_frac is None


def winter_average_billed_frac(water_month_frac, months, share_frac: float = 1.0) -> float:
    """Share of a year's make-up water billed for sewer under a winter-average rule: every month the utility
    bills the average monthly make-up of the winter ``months`` times ``share_frac``, so a year bills

        f = 12 x mean(s_m for m in the winter months) x share = (12 / n) x sum(s_m, winter) x share

    of the year's make-up, with ``s_m`` month ``m``'s share of the year (``water_month_frac``, January..
    December, divided by its sum as :class:`dcplan.tco_input_types.TcoInputs` does) and ``n`` the number of
    winter months. The City of Phoenix bills sewer on "the customer's average monthly water usage billed during
    the preceding January, February and March" (phoenix.gov/waterservices/knowyourbill), a business on 90 % of
    it (AMWUA 2014; data/SOURCES.md, Water and sewer rates). [frac]

    Parameters
    ----------
    water_month_frac : 12 numbers
        The typical year's make-up water by calendar month (:func:`month_shares` of the plant's hourly
        ``water_l``), non-negative with a positive sum. [frac]
    months : sequence of int
        The winter months, 1 (January) to 12 (December), distinct, at least one.
    share_frac : float, default 1
        Share of the winter average billed, in (0, 1]. [frac]

    Returns
    -------
    float
        The billed share of the year's make-up: below 1 when the winter months use less than the year's average
        month (a cooling tower's), above 1 when they use more. [frac]

    >>> round(winter_average_billed_frac([1] * 12, [1, 2, 3]), 12)            # a flat year: all of it
    1.0
    >>> round(winter_average_billed_frac([1, 1, 1] + [3] * 9, [1, 2, 3], 0.9), 12)  # 12 x 1/30 x 0.9
    0.36
    """
    from .specs.finance import winter_months_problem
    why = winter_months_problem(list(months) if isinstance(months, (list, tuple)) else months)
    if why:
        raise InputError(why, field="finance.sewer_winter_months")
    if isinstance(share_frac, bool) or not isinstance(share_frac, (int, float)) or not 0.0 < share_frac <= 1.0:
        raise InputError(f"got {share_frac!r}; allowed: a share of the winter average in (0, 1] (0.9 for 90 %)",
                         field="finance.sewer_billed_share_frac")
    s = np.asarray(water_month_frac, dtype=float)
    if s.shape != (12,) or not np.isfinite(s).all() or (s < 0).any() or not s.sum() > 0:
        raise InputError(f"got {water_month_frac!r}; allowed: 12 finite numbers >= 0 with a positive sum, the "
                         "make-up water by calendar month January..December", field="water_month_frac")
    s = s / s.sum()
    return 12.0 * float(np.mean([s[m - 1] for m in months])) * float(share_frac)


def _make_up_month_shares(site, site_year, water_month_frac,
                          run_here: bool = False) -> tuple[tuple[float, ...], str]:
    """The typical year's make-up water by calendar month for the winter-average rule, and where it came from:
    the TCO's own ``water_month_frac`` when given, else the plant water of ``site_year`` (run here when not
    given, for a :class:`dcplan.site.Site`; ``run_here``: ``site_year`` is the one
    :func:`dcplan.tco_inputs.inputs_from_site` ran, as :func:`site_plant_wue`); a plant that uses no water (or a
    stand-in with neither): a constant draw, each month's hours over 8,760 h, as the TCO takes water_month_frac
    None."""
    from .tco_electricity import HOURS_BY_CALENDAR_MONTH
    if water_month_frac is not None:
        return tuple(water_month_frac), "the TCO's water_month_frac (the plant model's make-up by calendar month)"
    from .site import Site
    if isinstance(site, Site) and (site_year is None or run_here):
        site_year = quiet_site_year(site) if site_year is None else site_year
        where = "the site's plant model, typical year, run by dcplan.tco_inputs.inputs_from_site"
    else:
        if isinstance(site, Site) and site_year is not None:
            check_site_year(site, site_year)  # of this very site
        where = "the site's plant model, typical year (the caller's site_year)"
    water = getattr(site_year, "plant", None)
    if water is not None and "water_l" in water and float(water["water_l"].sum()) > 0:
        return month_shares(water["water_l"]), where + ", its water_l by calendar month (month_shares)"
    return (tuple(h / 8760.0 for h in HOURS_BY_CALENDAR_MONTH),
            "a constant draw, each month's hours over 8,760 h (no plant water by month)")


def site_sewer_billed(site, site_year=None, water_month_frac=None, *,
                      run_here: bool = False) -> tuple[float, str]:
    """``(sewer_billed_frac, source)`` of a site (:class:`dcplan.tco_input_types.TcoInputs`): its ``finance.sewer_billing``
    (:data:`dcplan.specs.finance.SEWER_BILLING`, default ``on_supply``): 1 on supply; on discharge the blowdown share
    of the make-up, 1 / ``tower_cycles`` (:func:`dcplan.thermal_plant_summary.water_split_m3`) of the plant the
    site year ran (its ``plant.attrs``), else of the site's ``cooling:`` section resolved
    (:func:`dcplan.thermal_plant_params.plant_params`), the plant model's own figure, not a second one.

    ``winter_average``: :func:`winter_average_billed_frac` of ``finance.sewer_winter_months`` and
    ``finance.sewer_billed_share_frac`` (default 1) over the typical year's make-up by calendar month, the TCO's
    ``water_month_frac`` when given, else ``site_year``'s plant water (:func:`month_shares`; run here when not
    given; ``run_here``: a year :func:`dcplan.tco_inputs.inputs_from_site` ran, as :func:`site_plant_wue`).
    The share is a property of the plant's typical-year profile, applied as one number to the year's make-up
    and billed in 12 equal monthly bills (:func:`site_sewer_month_frac`): a ramp or partial year bills
    that share of its own operating months' make-up, not the preceding winter's actual use (which in a ramp lags
    the fleet: the first winter of a fleet that starts in October bills its autumn). A winter average above the year's mean month (``sewer_billed_frac`` > 1: more
    billed than supplied) is refused: ``TcoInputs`` bills sewer on at most all the make-up. The site's
    ``finance.sources`` text on ``sewer_billing`` and the winter fields follows the source."""
    from .specs.finance import SEWER_BILLING, SEWER_BILLING_DEFAULT, SEWER_WINTER_FIELDS
    fin = getattr(site, "finance", None)
    given = getattr(fin, "sewer_billing", None)
    mode = given or SEWER_BILLING_DEFAULT
    where = ("site.finance.sewer_billing" if given else
             "site spec default (dcplan.specs.finance.SEWER_BILLING_DEFAULT; the site file does not set it)")
    notes = "".join(f"; site.finance.sources.{k}: {t}" for k, t in (getattr(fin, "sources", None) or {}).items()
                    if k in ("sewer_billing",) + SEWER_WINTER_FIELDS)
    if mode == "on_supply":
        return 1.0, f"{where}: on_supply, sewer billed on {SEWER_BILLING['on_supply']}{notes}"
    if mode == "winter_average":
        months = tuple(fin.sewer_winter_months)
        share = fin.sewer_billed_share_frac
        share_where = "site.finance.sewer_billed_share_frac" if share is not None else "default 1"
        share = 1.0 if share is None else float(share)
        shares, swhere = _make_up_month_shares(site, site_year, water_month_frac, run_here)
        frac = winter_average_billed_frac(shares, months, share)
        tot = sum(shares)
        each = " + ".join(f"{100 * shares[m - 1] / tot:.2f} %" for m in months)
        text = (f"12 x ({each}) / {len(months)} x {share:g} ({share_where}) = {frac:.6g} of the year's make-up")
        if frac > 1.0 + 1e-12:
            raise InputError(f"months {list(months)} use more make-up than the year's average month: the winter "
                             f"average bills {text}, more than the water supplied ({swhere}); allowed: winter "
                             "months at or below the year's average month (dcplan bills sewer on at most all the "
                             "make-up), or sewer_billing: on_supply", field="finance.sewer_winter_months",
                             file=getattr(site, "source_file", None))
        return frac, (f"derived: {where}: winter_average, sewer billed every month on the average monthly make-up "
                      f"of months {', '.join(map(str, months))} (site.finance.sewer_winter_months): {text} ({swhere}; "
                      f"dcplan.tco_site_plant.winter_average_billed_frac), in 12 equal monthly bills (the Monthly "
                      f"sheet's opex_sewer_usd the same each month of a year at full build-out, not seasonal as "
                      f"the make-up){notes}")
    from .thermal_plant_summary import water_split_m3
    rec = getattr(getattr(site_year, "plant", None), "attrs", {}).get("plant", {}) if site_year is not None else {}
    if "tower_cycles" in rec:
        cycles, cwhere = float(rec["tower_cycles"]), "the site year's plant"
    else:
        from .thermal_plant_params import plant_params
        cycles, cwhere = float(plant_params(site.cooling).values["tower_cycles"]), "the site's cooling: section"
    frac = water_split_m3(1.0, cycles)["water_blowdown_m3"]
    return frac, (f"derived: {where}: on_discharge, sewer billed on {SEWER_BILLING['on_discharge']}: 1 / {cycles:g} "
                  f"= {frac:.6g} at tower_cycles {cycles:g} ({cwhere}; dcplan.thermal_plant_summary.water_split_m3)"
                  f"{notes}")


def site_sewer_month_frac(site) -> tuple[float, ...] | None:
    """The billed sewer volume by calendar month (:class:`dcplan.tco_input_types.TcoInputs` ``sewer_month_frac``):
    1/12 each under ``finance.sewer_billing: winter_average`` (every monthly bill is the winter average x the billed
    share, whatever the month's own make-up: phoenix.gov/waterservices/knowyourbill), so the year's
    ``sewer_billed_frac`` x make-up is billed in 12 equal parts; None under the other rules (sewer on each month's
    own make-up or blowdown, as the water)."""
    fin = getattr(site, "finance", None)
    return (1.0 / 12.0,) * 12 if getattr(fin, "sewer_billing", None) == "winter_average" else None


#: Sections of a site spec that :func:`dcplan.pipeline.run_site_year` does not read, nor the TCO from its year
#: (:func:`dcplan.tco_site.site_tco` reads the year's own site for its tariff, PV and battery only): a site year
#: serves every version of the site that differs only in them (:func:`check_site_year`). Read from the code (no
#: ``finance`` in run_site_year's calls: the weather, fleet, cooling, electrical chain, PV, battery, contract and
#: tariff) and tested: tests/test_tco_site_year_reuse.py records every read of the ``finance`` section while the
#: bundled sites' years run (none) and finds a year of a site with other finance figures identical.
SITE_YEAR_UNREAD = ("finance",)


def _first_difference(a, b, path: str = "", skip: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first field where two ``model_dump()`` s differ, with both values (None: equal);
    fields whose top-level section is in ``skip`` are not compared."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if not path and k in skip:
                continue
            if k not in a or k not in b:
                return f"{path}{k}"
            d = _first_difference(a[k], b[k], f"{path}{k}.")
            if d is not None:
                return d
        return None
    return None if a == b else f"{path.rstrip('.')} ({a!r} in the year's site, {b!r} in the site given)"


def check_site_year(site, site_year) -> None:
    """Refuse a site year (:func:`dcplan.pipeline.run_site_year`) of another site, or of another version of the
    same site: ``site_year.site`` must be ``site`` or equal to it field by field, but for the sections the year
    does not read (:data:`SITE_YEAR_UNREAD`: ``finance``), so a year serves every finance variant of its site
    (a discount-rate sweep: ``site_tco(apply_overrides(site, {"finance.discount_rate_frac": 0.1}),
    site_year=year)`` gives the variant's own TCO without a run of the same year again). An id is not enough:
    :func:`dcplan.sweep_spec.apply_overrides` keeps the id, and a year of ``cooling.type: liquid`` under the air
    site's TCO mixed the two sites' figures silently (52,970,783 USD against the site's own 51,301,014).
    The error names both and the first field that differs (outside ``finance``)."""
    other = getattr(site_year, "site", None)
    if other is site:
        return
    oid = getattr(other, "id", None)
    if oid != site.id:
        raise InputError(f"a site year of {oid!r}, not of the site {site.id!r}; allowed: "
                         "dcplan.pipeline.run_site_year(site) of the same site", field="site_year",
                         file=getattr(site, "source_file", None))
    if other == site:
        return
    try:
        diff = _first_difference(other.model_dump(), site.model_dump(), skip=SITE_YEAR_UNREAD)
    except Exception:  # noqa: BLE001 - a stand-in without model_dump: no field to name
        diff = "?"
    if diff is None:  # the same values but in finance (or which fields were set): the year the site's would be
        return
    raise InputError(f"a site year of another version of the site {site.id!r} (same id, other values: first "
                     f"difference {diff}); allowed: dcplan.pipeline.run_site_year(site) of this very site, or of "
                     "a version of it that differs only in its finance: section (which the year does not read)",
                     field="site_year", file=getattr(site, "source_file", None))
