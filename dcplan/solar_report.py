"""A site's PV as dcplan models it, in two tables for a report (not yet wired into a notebook).

* :func:`solar_inputs_table` — every ``solar:`` field with the value the model uses, its unit and where
  it comes from: ``"site file"`` (the site file gives it) or ``"default"`` (left out: the
  :class:`~dcplan.specs.solar.SolarSpec` default, or for ``tilt_deg`` and ``azimuth_deg`` the
  orientation :func:`dcplan.solar.default_orientation_deg` resolves at the site's latitude); a
  tracker-only key on a fixed array says it is not used.
* :func:`pv_monthly_table` — per calendar month: PV energy, peak AC output, the array's DC and the DC the
  inverter turns away at its AC rating (clipped; its share of the DC), from :func:`dcplan.solar.pv_detail`'s
  hourly DC and AC (hourly means: clipping within an hour is not counted).

Call them as::

    from dcplan.pipeline import site_weather
    from dcplan.site import load_site
    from dcplan.solar_report import pv_monthly_table, solar_inputs_table
    site = load_site("chicago-il")
    solar_inputs_table(site)                       # 13 rows: field, value, unit, source, note
    pv_monthly_table(site, site_weather(site))     # 12 rows (months 1-12) and their columns below
"""
from __future__ import annotations

import pandas as pd

from .specs.solar import FIELD_UNITS

__all__ = ["SOLAR_FIELD_UNITS", "solar_inputs_table", "pv_monthly_table"]

#: The unit of each ``solar:`` field, as :mod:`dcplan.specs.solar` gives it ("-" for a ratio, fraction or flag):
#: :data:`dcplan.specs.solar.FIELD_UNITS`.
SOLAR_FIELD_UNITS = FIELD_UNITS


def solar_inputs_table(site) -> pd.DataFrame:
    """Every ``solar:`` field of ``site`` as the PV model uses it.

    Returns
    -------
    pandas.DataFrame
        One row per :class:`~dcplan.specs.solar.SolarSpec` field, in the spec's order; columns
        ``field`` (``solar.<name>``), ``value`` (the value used: a left-out ``tilt_deg`` or
        ``azimuth_deg`` resolved by :func:`dcplan.solar.default_orientation_deg` for the site's
        latitude and ``tracking``), ``unit`` (:data:`SOLAR_FIELD_UNITS`), ``source`` (``"site file"``
        when the site's ``solar:`` section gives the field, else ``"default"``; a site changed with
        :func:`dcplan.sweep_overrides.apply_overrides` counts the overrides as given) and ``note``
        (why a field is not used: the tracker-only ``max_angle_deg`` and ``backtrack`` on a fixed
        array, everything but ``dc_kw`` without PV; ``degradation_frac_per_year``: the TCO's later
        years, not the typical year; else '').
    """
    from .solar_orientation import resolved_orientation_deg
    from .specs.solar import TRACKER_ONLY_KEYS, SolarSpec
    s = site.solar
    tilt, az = resolved_orientation_deg(site)
    rows = []
    for name in SolarSpec.model_fields:
        value = {"tilt_deg": tilt, "azimuth_deg": az}.get(name, getattr(s, name))
        if not s.dc_kw > 0 and name != "dc_kw":
            note = "not used: no PV (solar.dc_kw 0)"
        elif name in TRACKER_ONLY_KEYS and not s.tracking:
            note = "not used: a fixed array (solar.tracking false)"
        elif name == "degradation_frac_per_year":
            note = "used by the TCO's later years; the typical year is the PV's first"
        elif name in ("tilt_deg", "azimuth_deg"):
            note = ("the tracker's rotation axis" if s.tracking else
                    "the array's plane" if name == "tilt_deg" else "the bearing the array faces")
        else:
            note = ""
        rows.append({"field": f"solar.{name}", "value": value, "unit": SOLAR_FIELD_UNITS[name],
                     "source": "site file" if name in s.model_fields_set else "default", "note": note})
    return pd.DataFrame(rows, columns=["field", "value", "unit", "source", "note"])


#: The last :func:`_site_pv_detail` call's (site, weather, result): the site_analysis notebook asks for the same
#: site's detail twice (the monthly PV table, the hourly export), about 1 s each. Keyed on the objects themselves
#: (``is``), so a changed site or a re-read weather frame is computed afresh.
_LAST_DETAIL: dict = {}


def _site_pv_detail(site, weather: pd.DataFrame) -> pd.DataFrame:
    """:func:`dcplan.solar.pv_detail` for ``site``'s ``solar:`` section, with the section's warnings naming
    the site file, as :func:`dcplan.solar.pv_for_site` runs it."""
    from .solar import _pv_detail, warn_site_solar
    last = _LAST_DETAIL.get("call")
    if last is not None and last[0] is site and last[1] is weather:  # the monthly table, then the hourly export
        warn_site_solar(site)
        return last[2].copy()
    s = site.solar
    out = _pv_detail(weather, site.latitude, site.longitude, dc_kw=s.dc_kw, tilt_deg=s.tilt_deg,
                     azimuth_deg=s.azimuth_deg, dc_ac_ratio=s.dc_ac_ratio, losses_frac=s.losses_frac,
                     inverter_eff_frac=s.inverter_eff_frac, gcr=s.gcr, tracking=s.tracking, backtrack=s.backtrack,
                     max_angle_deg=s.max_angle_deg, albedo=s.albedo, self_shading=s.self_shading,
                     elevation_m=site.elevation_m, warn_tilt=False)
    warn_site_solar(site)
    _LAST_DETAIL["call"] = (site, weather, out.copy())
    return out


def pv_monthly_table(site, weather: pd.DataFrame) -> pd.DataFrame:
    """Monthly PV energy, peak AC output and clipping of ``site``'s array on ``weather``.

    The inverter (PVWatts v5 curve, :func:`pvlib.inverter.pvwatts`) reaches its AC rating
    ``P_ac = dc_kw / dc_ac_ratio`` at the DC input ``P_dc,max = P_ac / inverter_eff_frac``; above it the
    output stays at ``P_ac`` and the rest of the DC is clipped. Hourly (interval-ending hours, assigned to
    the month of their midpoint)::

        clipped_dc_kw = max(0, dc_kw - P_dc,max)      (dc_kw: array DC after losses)
        clipped_frac  = sum(clipped_dc_kw) / sum(dc_kw)   (DC over DC, the month's)

    ``clipped_frac`` is a share of DC energy: the clipped DC over the DC the array delivers before the
    inverter's cap (``dc_mwh``). Taken over AC energy + clipped DC instead it mixes the two sides of the
    inverter and comes out about 1 / inverter efficiency too high (4 % relative at 96 %).

    The clipping figures come from hourly means, as the model runs (PVWatts too): within an hour whose
    mean DC is under ``P_dc,max`` the array can pass it for minutes (a cloud edge, a clear noon), and
    that clipping is not counted, so ``clipped_dc_mwh``, ``clipped_h`` and ``clipped_frac`` are lower
    bounds, the more so the higher the DC/AC ratio.

    Parameters
    ----------
    site : Site
    weather : pandas.DataFrame
        The site's hourly weather (:func:`dcplan.pipeline.site_weather`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``month`` (1-12), columns ``pv_mwh`` (AC energy) [MWh], ``peak_pv_kw`` (highest hourly
        mean AC output) [kW], ``ac_rating_kw`` (``P_ac``) [kW], ``dc_mwh`` (the array's DC after losses,
        before the inverter clips it) [MWh], ``clipped_dc_mwh`` (DC energy clipped, from hourly means)
        [MWh], ``clipped_h`` (hours whose mean clips) [h] and ``clipped_frac`` (``clipped_dc_mwh /
        dc_mwh``: the share of the array's DC the inverter's rating turns away, from hourly means) [-].
        Without PV (``dc_kw`` 0): zeros. ``pv_mwh`` sums to :func:`dcplan.solar.pv_for_site`'s annual energy.

    Warns
    -----
    DcplanWarning
        The site's ``solar:`` warnings (:func:`dcplan.specs.solar.site_solar_warnings`), as
        :func:`dcplan.solar.pv_for_site` gives them.
    """
    s = site.solar
    det = _site_pv_detail(site, weather)
    ac_rating_kw = s.dc_kw / s.dc_ac_ratio
    dc_max_kw = ac_rating_kw / s.inverter_eff_frac
    step_h = weather.index.freq.nanos / 3.6e12
    clipped_kw = (det["dc_kw"] - dc_max_kw).clip(lower=0.0) if s.dc_kw > 0 else det["dc_kw"] * 0.0
    month = (det.index - pd.Timedelta(hours=step_h / 2.0)).month
    g = pd.DataFrame({"pv_mwh": det["pv_kw"] * step_h / 1000.0, "peak_pv_kw": det["pv_kw"],
                      "dc_mwh": det["dc_kw"] * step_h / 1000.0, "clipped_dc_mwh": clipped_kw * step_h / 1000.0,
                      "clipped_h": (clipped_kw > 0.0) * step_h}, index=det.index).groupby(month)
    out = g.agg({"pv_mwh": "sum", "peak_pv_kw": "max", "dc_mwh": "sum", "clipped_dc_mwh": "sum",
                 "clipped_h": "sum"})
    out.index = out.index.rename("month")
    out.insert(2, "ac_rating_kw", ac_rating_kw)
    dc = out["dc_mwh"]
    out["clipped_frac"] = (out["clipped_dc_mwh"] / dc.where(dc > 0)).fillna(0.0)
    return out
