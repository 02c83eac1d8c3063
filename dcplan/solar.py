"""On-site solar: hourly AC output of a PV array with pvlib, PVWatts-style.

:func:`pv_ac_kw` turns a dcplan weather frame (:func:`dcplan.weather.load_weather`)
into hourly AC power of a fixed-tilt or single-axis-tracking array. It runs a
pvlib :class:`~pvlib.modelchain.ModelChain` with the models NREL PVWatts uses,
plus PVWatts v8's row-to-row self-shading, so its annual energy can be checked
against NREL PVWatts v8 (PySAM ``Pvwattsv8``; see ``tests/test_solar_pysam.py``).
:func:`pv_for_site` does it for a :class:`~dcplan.site.Site`'s ``solar:`` section
and :func:`net_load_kw` (:mod:`dcplan.solar_meter`) subtracts PV from the facility
load for the tariff. The diffuse self-shading factors are in
:mod:`dcplan.solar_shading`, the glass reflection of diffuse light in
:mod:`dcplan.solar_iam`; this module re-exports their public functions. The solar
position, memoised per process, is :mod:`dcplan.solar_position`'s.

Model chain (every step a pvlib function unless marked)
--------------------------------------------------------
=========================  ===========================================================
step                       model
=========================  ===========================================================
time stamp                 interval-ending hourly labels; the sun is placed at the
                           interval **midpoint** (label - 30 min), as SAM's TMY2
                           and TMY3 readers do (hour - 1, minute 30), and in the
                           hour the sun rises or sets in at the midpoint of the
                           part it is up, as SAM's irradiance processor does
                           (:mod:`dcplan.solar_position`); output goes back on
                           the original labels
solar position             NREL SPA (``Location.get_solarposition``), with the
                           weather's pressure and air temperature (computed once
                           per process for the same place, times and weather)
mounting                   ``FixedMount`` or ``SingleAxisTrackerMount`` (axis tilt =
                           ``tilt_deg``, axis azimuth = ``azimuth_deg``, rotation
                           limit 45 deg, backtracking at ``gcr``) [2]_
transposition              Perez 1990 (``get_total_irradiance(model='perez')``),
                           albedo 0.2 or the weather's ``albedo`` column [2]_
self-shading (row-to-row)  PVWatts v8 [2]_ [3]_, infinitely long rows on flat ground:
                           beam x (1 - shaded fraction) from
                           ``pvlib.shading.shaded_fraction1d`` (the Appelbaum-Bany
                           shadow PVWatts v8 uses); sky diffuse x the row's mean
                           sky view factor relative to an unobstructed plane,
                           ``vf_row_sky_2d_integ / ((1 + cos tilt) / 2)``;
                           ground-reflected x Deline's reduction (dcplan code,
                           :func:`dcplan.solar_shading.ground_diffuse_factor`)
reflection (IAM)           glass (Fresnel/Snell + absorption, n 1.526, pvlib
                           ``iam.physical``) on all three components, as PVWatts v8
                           does: beam by its angle of incidence (``aoi_model=
                           'physical'``); sky diffuse and ground-reflected light by
                           the same model integrated over the sky dome and the
                           ground at the hour's surface tilt (Marion 2017,
                           :func:`dcplan.solar_iam.diffuse_iam`) [5]_
spectrum                   ``spectral_model='no_loss'``
cell temperature           SAM NOCT (``noct_sam``, NOCT 45 C, efficiency 19 %) [2]_
DC                         ``pvwatts_dc``, gamma -0.37 %/K [2]_
DC losses                  flat ``losses_frac`` (PVWatts "system losses", 14 %) [1]_
AC                         ``pvwatts_inverter``: AC rating = dc_kw / dc_ac_ratio,
                           nominal efficiency ``inverter_eff_frac`` [1]_
=========================  ===========================================================

Agreement with PVWatts v8
-------------------------
Same system (1000 kWdc, DC/AC 1.2, losses 14 %, inverter 96 %, GCR 0.3 with
self-shading in both, albedo 0.2), PySAM 7.1.1 reading the bundled files
(``tests/test_solar_pysam.py``; fixed: open rack, tilt = latitude; tracking:
horizontal N-S axis, backtracking); dcplan on the frame a site gets from
:func:`dcplan.weather.load_weather`, which keeps no albedo column, and SAM with
its weather-file albedo off (``use_wf_albedo`` 0)**::

    file              mount      PVWatts v8 MWh  dcplan MWh  dcplan/PVWatts  same frame*
    Phoenix EPW       fixed 33       1749.8        1753.9       +0.23 %        -0.65 %
    Phoenix EPW       tracking       2059.1        2077.5       +0.89 %        -0.36 %
    Dulles EPW        fixed 39       1303.8        1303.2       -0.04 %        -0.73 %
    Dulles EPW        tracking       1452.5        1451.7       -0.05 %        -0.69 %
    Chicago EPW       fixed 42       1236.0        1237.3       +0.11 %        -0.75 %
    Chicago EPW       tracking       1397.9        1396.7       -0.08 %        -0.75 %
    Greensboro TMY3   fixed 36       1363.6        1354.5       -0.67 %        -0.61 %
    Greensboro TMY3   tracking       1537.6        1529.3       -0.54 %        -0.49 %
    Miami TMY2        fixed 26       1459.4        1452.0       -0.51 %        -0.43 %
    Miami TMY2        tracking       1693.5        1688.3       -0.30 %        -0.18 %
    Sand Point TMY3   fixed 55        784.0         779.4       -0.58 %        -0.56 %
    Sand Point TMY3   tracking        853.7         846.5       -0.85 %        -0.79 %

    * SAM fed dcplan's own weather frame with every hour at its midpoint.
    ** The TMY3 files' own albedo: Greensboro's column is 0 (missing), which SAM
       replaces by 0.2, so its rows are the same either way; Sand Point's (0.11-0.25,
       mean 0.16) lowers both models, to 777.6 (SAM) and 773.2 MWh (dcplan) fixed and
       851.4 and 844.2 tracking (``tests/test_solar_pysam.py`` passes the file's albedo
       to dcplan as an ``albedo`` column, as SAM reads it). A site is modelled at its
       ``solar.albedo`` (default 0.2) whatever the weather file says
       (``tests/test_solar_albedo_path.py``).

Before diffuse light got its reflection loss dcplan was +1.1 to +2.0 % above
(+0.5 to +1.6 % in the same frame); the loss costs it 1.2 % (Phoenix) to
2.2 % of annual energy.
The self-shading loss itself (GCR 0.3 vs 0.01) agrees with PVWatts v8 within
0.5 percentage point (losses of 1-7 %) for the arrays above (tilt near the
latitude, and trackers); without it dcplan would be 3-10 % high. Steep arrays
differ more: at tilt 90 and GCR 0.3 (Greensboro) dcplan's shading loss is 8.5 %
against PVWatts v8's 3.1 %, and its energy 7 % below; a 2-D view-factor check of a
vertical row gives dcplan's sky factor (0.852 against dcplan's 0.853), so PVWatts
simplifies there. Tilts of 60 and 75 deg agree within 1.6 %; a fixed tilt above
75 deg warns (:data:`dcplan.specs.solar.FIXED_TILT_CHECKED_MAX_DEG`).
What is left:

* Cover (IAM) losses, SSC ``calculateIrradianceThroughCoverDeSoto``: PVWatts v8's
  "standard" module has anti-reflective glass, so its beam factor is 1 up to about
  60 deg, while dcplan's plain glass loses a little at every angle; and SAM's sky
  and ground factors are plain-glass values divided by the AR glass's normal
  transmittance, about 2 points (sky) and 2-3 points (ground) above dcplan's
  (:mod:`dcplan.solar_iam`). Both raise SAM. With SSC's diffuse factors in place
  of dcplan's, the same-frame ratio would be 0.998-1.005. SAM also drops all
  cover losses while the sun is behind the plane (aoi >= 89.5 deg); dcplan keeps
  the diffuse ones. The gap is seasonal, largest at the low sun of winter, when
  more light arrives at steep angles and as diffuse: month by month in the same
  frame dcplan is within 0.6 % of SAM from May to August but below it in
  December and January, by 1.2-1.8 % on the fixed arrays at 33-42 N and 2.2-2.9 %
  on the trackers (Miami, nearer the equator: 0.5-1.2 %), and in November by
  1.2-1.5 % (fixed) and 1.8-2.5 % (trackers); PySAM 7.1.1, the table's systems.
  Sand Point (55 N) is the exception: see the air-mass modifier below.
* PVWatts v8's DC model is linear in transmitted POA like ``pvwatts_dc`` (its
  single-diode option, ``en_sdm``, is off by default) but multiplies De Soto's
  air-mass modifier (SSC ``air_mass_modifier``), which dcplan leaves out
  (``spectral_model='no_loss'``): its energy-weighted mean is 0.998-1.003 at the
  bundled sites, but it falls at low sun. Measured at Sand Point, SAM's DC per
  unit of transmitted POA is 0.98 of its midday value at zenith 80-83 deg, 0.89
  at 83-85, 0.72 at 85-86 and 0.55-0.57 from 86 to 90 deg. At 55 N in December
  the sun stays above 78 deg zenith all day, so there dcplan is above SAM: +3.8 %
  (fixed, same frame; +1.8 % tracking; the other winter months -2.2 to +0.6 %),
  with the POA on the array 0.998 x SAM's and the DC 1.021 x in the hours the
  sun is up throughout; the sunrise and sunset hours add 0.9 point of it (next
  item).
* Sunrise and sunset hours: both models place the sun at the midpoint of the
  part of the hour it is up (SSC ``irrad::calc``; :mod:`dcplan.solar_position`),
  and agree there on the angle of incidence (median 0.11 deg, at most 0.46 deg)
  and, where SAM's Perez model runs (zenith <= 87.5 deg), on the light on the
  array (sum 1.001-1.003 x SAM's; ``tests/test_solar_pysam.py``). Above 87.5 deg
  SSC's ``perez`` gives isotropic sky light and no ground-reflected light, where
  pvlib keeps Perez 1990 (the horizontal's cos(zenith) held at cos 85 deg in the
  circumsolar term), 1.0-1.26 x SAM's POA in those hours; and SAM's DC falls
  there (above). dcplan's AC in these hours is 1.4-2.6 x SAM's (Miami,
  Greensboro, Sand Point, fixed), 0.05-0.15 % of the year's energy. Placing the
  sun at the hour's midpoint instead, as dcplan did before, misses the sun
  position by a median 2-3 deg (up to 7.5) and, in 27-48 % of these hours with
  measured light, puts the sun below the horizon, where pvlib's Perez model gives
  no sky light at all (its air mass is undefined): POA 0.86-0.96 x SAM's;
  moving it raised annual energy by 0.04-0.15 %.
* PVWatts v8's inverter is Sandia's model with a 0.49 % self-consumption offset;
  ``pvwatts_inverter`` is the PVWatts v5 curve (+0.4 to +0.5 % for dcplan).
* Time stamps: PySAM 7.1.1 reads the minute field of these EPW files (0) and
  places the sun at the *start* of each hour, while its TMY2/TMY3 readers and
  dcplan use the midpoint (up to +0.9 % on the EPW files for south-facing
  arrays, about -1.9 % facing south-east and +3.5 % facing south-west; see
  "same frame").
* SAM rebuilds GHI from DNI and DHI for ground reflection, reads albedo from
  TMY3 files unless told not to (the table: not; the cross-check passes it to
  dcplan as an ``albedo`` column), and weights
  its ground-reflected shading with one unshaded front row out of its estimated
  row count; dcplan takes infinitely many rows (< 0.1 %).

References
----------
.. [1] A. P. Dobos, "PVWatts Version 5 Manual," NREL/TP-6A20-62641, 2014.
.. [2] NREL SAM SSC, ``cmod_pvwattsv8.cpp`` and ``lib_pvshade.cpp``, SAM 2022.11
       and later, github.com/NREL/ssc: GCR 0.3, rotation limit 45 deg, albedo 0.2,
       "standard" module gamma -0.0037 /K and efficiency 0.19, NOCT 45 C open rack;
       tilt 20 deg is PySAM 7.1's ``Pvwattsv8.default("PVWattsNone")`` value.
.. [3] C. Deline, A. Dobos, S. Janzou, J. Meydbray, M. Donovan, "A simplified model
       of uniform shading in large photovoltaic arrays," Solar Energy 96, 2013.
.. [4] K. Anderson, M. Mikofski, "Slope-Aware Backtracking for Single-Axis
       Trackers," NREL/TP-5K00-76626, 2020 (pvlib backtracking).
.. [5] B. Marion, "Numerical method for angle-of-incidence correction factors for
       diffuse radiation incident photovoltaic modules," Solar Energy 147, 344-348,
       2017, doi:10.1016/j.solener.2017.03.027; SSC ``cmod_pvwattsv8.cpp`` (cover
       loss on beam, sky and ground light) and ``lib_pv_incidence_modifier.cpp``.
"""
from __future__ import annotations

import math
import numbers
import warnings

import numpy as np
import pandas as pd

from ._text import percent_hint, ratio_percent_hint
from .api_inputs import station_distance_warning_text
from .errors import DcplanWarning, InputError
from .solar_iam import diffuse_iam
from .solar_meter import net_load_kw  # noqa: F401  (re-exported)
# solar position, memoised once per place, times and weather (re-exported: tests and benchmarks
# reach the memo through dcplan.solar)
from .solar_position import (_SOLPOS_CACHE, _SOLPOS_CACHE_MAX, _SOLPOS_CACHE_MAX_ROWS,  # noqa: F401
                             _SOLPOS_LOCK, _digest, _location, _memo_location_class)
from .solar_shading import ground_diffuse_factor, sky_diffuse_factor
from .solar_weather import (_WEATHER_RANGES, KW_PER_M2_MAX_GHI, KW_PER_M2_MIN_DAYS,  # noqa: F401 (re-exported)
                            REQUIRED_WEATHER_COLUMNS, _check_weather)
# DC/AC ratio range (0.8-3) and largest array (1e7 kW): the solar: spec's bounds, basis there
from .specs.solar import DC_AC_RATIO_MAX, DC_AC_RATIO_MIN, PV_DC_MAX_KW  # noqa: F401  (re-exported)
# a tracker axis steeper than the range checked against PVWatts v8 warns; tracker-only keys on
# a fixed array warn (the solar: spec's checks, basis there)
# (BOUND_UNITS: the unit each bound of _number's errors is in)
from .specs.solar import (BOUND_UNITS, GCR_MAX, TRACKER_AXIS_TILT_CHECKED_MAX_DEG, bearing_hint,  # noqa: F401
                          model_range_notes, site_solar_warnings, solar_warnings, tracker_axis_tilt_note,
                          warn_site_solar)

__all__ = ["pv_ac_kw", "pv_detail", "pv_for_site", "net_load_kw", "ground_diffuse_factor",
           "sky_diffuse_factor", "diffuse_iam", "REQUIRED_WEATHER_COLUMNS", "PVWATTS_GAMMA_PDC_PER_DEGC",
           "PVWATTS_NOCT_DEGC", "PVWATTS_MODULE_EFFICIENCY_FRAC", "PVWATTS_MAX_ANGLE_DEG",
           "PVWATTS_GCR", "PVWATTS_ALBEDO", "PVWATTS_TILT_DEG", "INVERTER_EFF_RANGE_FRAC",
           "DC_AC_RATIO_MAX", "DC_AC_RATIO_MIN", "PV_DC_MAX_KW", "default_orientation_deg",
           "TRACKER_AXIS_TILT_CHECKED_MAX_DEG", "solar_warnings", "site_solar_warnings", "warn_site_solar"]

#: Power temperature coefficient of PVWatts v8's "standard" module [1/K] (SSC cmod_pvwattsv8).
PVWATTS_GAMMA_PDC_PER_DEGC = -0.0037
#: NOCT of an open-rack array in PVWatts v8 [degC] (SSC cmod_pvwattsv8, ``Tnoct = 45``).
PVWATTS_NOCT_DEGC = 45.0
#: STC efficiency of PVWatts v8's "standard" module, used by the NOCT model (SSC cmod_pvwattsv8).
PVWATTS_MODULE_EFFICIENCY_FRAC = 0.19
#: Single-axis tracker rotation limit, PVWatts v8 default ``rotlim`` [deg].
PVWATTS_MAX_ANGLE_DEG = 45.0
#: Ground coverage ratio, PVWatts v8 default ``gcr`` (module area / ground area).
PVWATTS_GCR = 0.3
#: Ground albedo, PVWatts v8 ``albedo_default``.
PVWATTS_ALBEDO = 0.2
#: Array tilt [deg], PySAM 7.1 ``Pvwattsv8.default("PVWattsNone")`` (the SAM PVWatts default).
PVWATTS_TILT_DEG = 20.0

#: Nominal inverter efficiency range PVWatts v8 accepts [-] (SSC ``cmod_pvwattsv8`` var
#: table, ``inv_eff`` MIN=90, MAX=99.5 %; PySAM 7.1 refuses values outside it). The PVWatts
#: v5 part-load curve peaks at ``inverter_eff_frac x 1.00264``, so 99.5 % keeps AC below DC.
INVERTER_EFF_RANGE_FRAC = (0.90, 0.995)
_HOUR_S = 3600.0


# ---------------------------------------------------------------------------
# validation helpers

def _number(name: str, value, lo: float | None = None, hi: float | None = None,
            lo_open: bool = False, hi_open: bool = False, hint=None) -> float:
    """``value`` as a float in the range, else an InputError on ``name`` with the range's unit
    (:data:`dcplan.specs.solar.BOUND_UNITS`: ``must be in [0, 1e+07] kW, got -5``); ``hint(value)``: text
    added to that error (the value meant, for a percentage typed as a fraction)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise InputError(f"must be a finite number, got {value!r}", field=name)
    v = float(value)
    bad_lo = lo is not None and (v <= lo if lo_open else v < lo)
    bad_hi = hi is not None and (v >= hi if hi_open else v > hi)
    if bad_lo or bad_hi:
        lb = "(" if lo_open else "["
        rb = ")" if hi_open else "]"
        lo_s = "-inf" if lo is None else f"{lo:g}"
        hi_s = "inf" if hi is None else f"{hi:g}"
        unit = BOUND_UNITS.get(name)
        raise InputError(f"must be in {lb}{lo_s}, {hi_s}{rb}{' ' + unit if unit else ''}, got {value!r}"
                         f"{hint(value) if hint else ''}",
                         field=name)
    return v


def default_orientation_deg(latitude: float, tracking: bool) -> tuple[float, float]:
    """Default ``(tilt_deg, azimuth_deg)`` of an array at ``latitude``. [deg]

    Tilt: a fixed array 20 deg (:data:`PVWATTS_TILT_DEG`); a tracker's rotation axis 0
    (horizontal single-axis tracker, as PVWatts v8 models trackers). Azimuth: facing the
    equator, 180 (south) in the northern hemisphere and on the equator, 0 (north) in the
    southern (``latitude < 0``); for a tracker it is the axis azimuth, a N-S axis either way.
    """
    return (0.0 if tracking else PVWATTS_TILT_DEG), (0.0 if latitude < 0 else 180.0)


# ---------------------------------------------------------------------------
# the model

def pv_detail(weather: pd.DataFrame, latitude: float, longitude: float, *, dc_kw: float,
              tilt_deg: float | None = None, azimuth_deg: float | None = None,
              dc_ac_ratio: float = 1.2, losses_frac: float = 0.14,
              inverter_eff_frac: float = 0.96, gcr: float = PVWATTS_GCR,
              tracking: bool = False, backtrack: bool = True,
              max_angle_deg: float = PVWATTS_MAX_ANGLE_DEG, albedo: float = PVWATTS_ALBEDO,
              self_shading: bool = True, elevation_m: float | None = None) -> pd.DataFrame:
    """Hourly PV model with its intermediate quantities (see :func:`pv_ac_kw`).

    An array (``dc_kw`` > 0) tilted beyond the range checked against PVWatts v8 (a tracker axis
    above 45 deg, a fixed tilt above 75) or with ``losses_frac`` above 0.5 warns
    (:class:`~dcplan.errors.DcplanWarning`, :func:`dcplan.specs.solar.model_range_notes`).

    Returns
    -------
    pandas.DataFrame
        On the weather's index (interval-ending labels), columns:
        ``surface_tilt_deg``, ``surface_azimuth_deg``, ``aoi_deg`` (with the sun at the
        interval midpoint, or in a sunrise or sunset hour at the midpoint of the part the
        sun is up: :mod:`dcplan.solar_position`); ``beam_shaded_frac``, ``sky_diffuse_factor_frac``,
        ``ground_diffuse_factor_frac`` (self-shading, 0 / 1 / 1 when off);
        ``sky_diffuse_iam_frac``, ``ground_diffuse_iam_frac`` (glass reflection
        factors of the diffuse light, :func:`dcplan.solar_iam.diffuse_iam`);
        ``poa_global_w_per_m2`` (after shading, before reflection),
        ``effective_irradiance_w_per_m2`` (after reflection),
        ``cell_temp_degc``, ``dc_kw`` (after losses), ``pv_kw`` (AC).
    """
    return _pv_detail(**locals(), warn_tilt=True)


def _pv_detail(weather, latitude, longitude, *, dc_kw, tilt_deg, azimuth_deg, dc_ac_ratio, losses_frac,
               inverter_eff_frac, gcr, tracking, backtrack, max_angle_deg, albedo, self_shading, elevation_m,
               warn_tilt: bool) -> pd.DataFrame:
    """:func:`pv_detail`; ``warn_tilt`` False: the caller warns of a steep tilt or high losses itself
    (:func:`pv_for_site`, naming the site file)."""
    import pvlib
    from pvlib.modelchain import ModelChain
    from pvlib.pvsystem import Array, FixedMount, PVSystem, SingleAxisTrackerMount

    weather = _check_weather(weather)
    latitude = _number("latitude", latitude, -90.0, 90.0)
    longitude = _number("longitude", longitude, -180.0, 180.0)
    dc_kw = _number("dc_kw", dc_kw, 0.0, PV_DC_MAX_KW)
    if warn_tilt and dc_kw > 0 and (far := station_distance_warning_text(weather, latitude, longitude)):
        warnings.warn(far, DcplanWarning, stacklevel=3)  # (a site's own position is checked when it loads)
    for name, flag in (("tracking", tracking), ("backtrack", backtrack), ("self_shading", self_shading)):
        if not isinstance(flag, (bool, np.bool_)):
            raise InputError(f"must be true or false, got {flag!r}", field=name)
    tilt_default, azimuth_default = default_orientation_deg(latitude, tracking)
    tilt_deg = _number("tilt_deg", tilt_default if tilt_deg is None else tilt_deg, 0.0, 90.0)
    azimuth_deg = _number("azimuth_deg", azimuth_default if azimuth_deg is None else azimuth_deg,
                          0.0, 360.0, hi_open=True, hint=bearing_hint)
    dc_ac_ratio = _number("dc_ac_ratio", dc_ac_ratio, DC_AC_RATIO_MIN, DC_AC_RATIO_MAX,
                          hint=lambda v: ratio_percent_hint(v, DC_AC_RATIO_MIN, DC_AC_RATIO_MAX))
    losses_frac = _number("losses_frac", losses_frac, 0.0, 1.0, hi_open=True, hint=percent_hint)
    inverter_eff_frac = _number("inverter_eff_frac", inverter_eff_frac, *INVERTER_EFF_RANGE_FRAC,
                                hint=lambda v: percent_hint(v, INVERTER_EFF_RANGE_FRAC[0]))
    gcr = _number("gcr", gcr, 0.0, GCR_MAX, lo_open=True,  # 0.99, PVWatts v8's maximum
                  hint=lambda v: " (PVWatts v8's maximum: at 1 the rows touch)" if GCR_MAX < v <= 1 else "")
    max_angle_deg = _number("max_angle_deg", max_angle_deg, 0.0, 90.0, lo_open=True)
    albedo = _number("albedo", albedo, 0.0, 1.0, hint=percent_hint)
    if elevation_m is not None:
        elevation_m = _number("elevation_m", elevation_m, -450.0, 9000.0)

    idx = weather.index
    n = len(idx)
    if dc_kw == 0.0:
        zeros = np.zeros(n)
        return pd.DataFrame({
            "surface_tilt_deg": np.nan, "surface_azimuth_deg": np.nan, "aoi_deg": np.nan,
            "beam_shaded_frac": zeros, "sky_diffuse_factor_frac": 1.0,
            "ground_diffuse_factor_frac": 1.0, "sky_diffuse_iam_frac": np.nan,
            "ground_diffuse_iam_frac": np.nan, "poa_global_w_per_m2": zeros,
            "effective_irradiance_w_per_m2": zeros, "cell_temp_degc": weather["temp_air"].to_numpy(float),
            "dc_kw": zeros, "pv_kw": zeros}, index=idx)
    notes = model_range_notes(tilt_deg=tilt_deg, tracking=tracking, losses_frac=losses_frac) if warn_tilt else []
    for fld, note in notes:  # a tilt beyond the range checked against PVWatts v8, implausible losses
        warnings.warn(f"{fld}: {note}", DcplanWarning, stacklevel=3)

    # the model below is a pure function of the weather and the checked arguments: kept per process (dcplan.solar_memo)
    from . import solar_memo
    memo = solar_memo.key(weather, (latitude, longitude, dc_kw, tilt_deg, azimuth_deg, dc_ac_ratio, losses_frac,
                                    inverter_eff_frac, gcr, tracking, backtrack, max_angle_deg, albedo, self_shading,
                                    elevation_m))
    if (kept := solar_memo.get(memo, idx)) is not None:
        return kept

    # Sun at the middle of each interval-ending hour (SAM: hour - 1, minute 30), or, in the hour the
    # sun rises or sets in, at the middle of the part it is up (SAM's irradiance processor; the
    # "Sunrise and sunset intervals" of dcplan.solar_position). ``mid`` labels the model's rows.
    cols = ["ghi", "dni", "dhi", "temp_air", "wind_speed"] + [c for c in ("pressure",) if c in weather]
    wx = {c: weather[c].to_numpy(dtype=float) for c in cols}
    alb = weather["albedo"].to_numpy(dtype=float) if "albedo" in weather else albedo

    # tz-aware times carry their own offset; Location.tz only labels naive ones
    loc = _location(latitude, longitude, elevation_m)
    if "pressure" not in wx:  # standard atmosphere at the site (pvlib looks altitude up if None)
        wx["pressure"] = np.full(n, pvlib.atmosphere.alt2pres(loc.altitude))
    mid, solpos = loc.sunlit_solarposition(idx - pd.Timedelta(seconds=_HOUR_S), idx,
                                           pressure=wx["pressure"], temperature=wx["temp_air"])
    wx = pd.DataFrame(wx, index=mid)
    zen = solpos["apparent_zenith"].to_numpy()
    saz = solpos["azimuth"].to_numpy()

    if tracking:
        mount = SingleAxisTrackerMount(axis_tilt=tilt_deg, axis_azimuth=azimuth_deg,
                                       max_angle=max_angle_deg, backtrack=bool(backtrack), gcr=gcr)
        trk = pvlib.tracking.singleaxis(zen, saz, axis_tilt=tilt_deg, axis_azimuth=azimuth_deg,
                                        max_angle=max_angle_deg, backtrack=bool(backtrack), gcr=gcr)
        # sun down: pvlib returns NaN; park flat (irrelevant, no light)
        rotation = np.nan_to_num(np.asarray(trk["tracker_theta"], float), nan=0.0)
        s_tilt = np.nan_to_num(np.asarray(trk["surface_tilt"], float), nan=tilt_deg)
        s_az = np.nan_to_num(np.asarray(trk["surface_azimuth"], float), nan=azimuth_deg)
        axis_azimuth, axis_tilt = azimuth_deg, tilt_deg
    else:
        mount = FixedMount(surface_tilt=tilt_deg, surface_azimuth=azimuth_deg)
        s_tilt = np.full(n, tilt_deg)
        s_az = np.full(n, azimuth_deg)
        # a fixed row is a "tracker" with its axis along the row, rotated by the tilt
        rotation = np.full(n, tilt_deg)
        axis_azimuth, axis_tilt = (azimuth_deg - 90.0) % 360.0, 0.0

    # day of year in UTC, as pvlib derives it from a DatetimeIndex (avoids a pandas deprecation)
    doy = mid.tz_convert("UTC").day_of_year.to_numpy()
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(doy, epoch_year=int(mid[0].year)), float)
    am_rel = pvlib.atmosphere.get_relative_airmass(zen)
    poa = pvlib.irradiance.get_total_irradiance(
        s_tilt, s_az, zen, saz, wx["dni"].to_numpy(), wx["ghi"].to_numpy(), wx["dhi"].to_numpy(),
        dni_extra=dni_extra, airmass=am_rel, albedo=alb, model="perez")
    beam = np.nan_to_num(np.asarray(poa["poa_direct"], float))
    sky = np.nan_to_num(np.asarray(poa["poa_sky_diffuse"], float))
    gnd = np.nan_to_num(np.asarray(poa["poa_ground_diffuse"], float))

    if self_shading:
        fs = np.asarray(pvlib.shading.shaded_fraction1d(
            zen, saz, axis_azimuth, rotation, collector_width=1.0, pitch=1.0 / gcr,
            axis_tilt=axis_tilt), float)
        fs = np.clip(np.nan_to_num(fs), 0.0, 1.0)
        fs = np.where(beam > 0.0, fs, 0.0)
        f_sky = sky_diffuse_factor(s_tilt, gcr)
        gbh = wx["dni"].to_numpy() * np.clip(np.cos(np.radians(zen)), 0.0, None)
        f_gnd = ground_diffuse_factor(s_tilt, 90.0 - zen, gcr, gbh, wx["dhi"].to_numpy())
    else:
        fs, f_sky, f_gnd = np.zeros(n), np.ones(n), np.ones(n)
    beam = beam * (1.0 - fs)
    sky, gnd = sky * f_sky, gnd * f_gnd
    k_sky, k_gnd = diffuse_iam(s_tilt)
    # ModelChain applies the beam IAM (aoi_model) to poa_direct only and takes poa_diffuse as
    # it comes, so poa_diffuse carries the diffuse IAM; poa_global stays the light reaching the
    # glass, which the NOCT cell temperature uses (as SAM's, on POA before cover losses).
    poa_in = pd.DataFrame({"poa_global": beam + sky + gnd, "poa_direct": beam,
                           "poa_diffuse": sky * k_sky + gnd * k_gnd,
                           "temp_air": wx["temp_air"], "wind_speed": wx["wind_speed"],
                           "pressure": wx["pressure"]}, index=mid)

    ac_kw = dc_kw / dc_ac_ratio
    array = Array(mount=mount, albedo=albedo,
                  module_parameters={"pdc0": dc_kw, "gamma_pdc": PVWATTS_GAMMA_PDC_PER_DEGC},
                  temperature_model_parameters={"noct": PVWATTS_NOCT_DEGC,
                                                "module_efficiency": PVWATTS_MODULE_EFFICIENCY_FRAC})
    system = PVSystem(arrays=[array], inverter_parameters={"pdc0": ac_kw / inverter_eff_frac,
                                                           "eta_inv_nom": inverter_eff_frac})

    def _flat_losses(mc):
        mc.results.losses = 1.0 - losses_frac
        mc.results.dc = mc.results.dc * (1.0 - losses_frac)

    mc = ModelChain(system, loc, dc_model="pvwatts", ac_model="pvwatts", aoi_model="physical",
                    spectral_model="no_loss", temperature_model="noct_sam",
                    losses_model=_flat_losses, transposition_model="perez")
    mc.run_model_from_poa(poa_in)
    res = mc.results
    out = pd.DataFrame({
        "surface_tilt_deg": s_tilt, "surface_azimuth_deg": s_az,
        "aoi_deg": np.asarray(res.aoi, float),
        "beam_shaded_frac": fs, "sky_diffuse_factor_frac": f_sky * np.ones(n),
        "ground_diffuse_factor_frac": f_gnd * np.ones(n),
        "sky_diffuse_iam_frac": k_sky, "ground_diffuse_iam_frac": k_gnd,
        "poa_global_w_per_m2": poa_in["poa_global"].to_numpy(),
        "effective_irradiance_w_per_m2": np.asarray(res.effective_irradiance, float),
        "cell_temp_degc": np.asarray(res.cell_temperature, float),
        "dc_kw": np.clip(np.nan_to_num(np.asarray(res.dc, float)), 0.0, None),
        "pv_kw": np.clip(np.nan_to_num(np.asarray(res.ac, float)), 0.0, ac_kw),
    }, index=idx)
    solar_memo.put(memo, out)
    return out


def pv_ac_kw(weather: pd.DataFrame, latitude: float, longitude: float, *, dc_kw: float,
             tilt_deg: float | None = None, azimuth_deg: float | None = None,
             dc_ac_ratio: float = 1.2, losses_frac: float = 0.14, inverter_eff_frac: float = 0.96,
             gcr: float = PVWATTS_GCR, tracking: bool = False, backtrack: bool = True,
             max_angle_deg: float = PVWATTS_MAX_ANGLE_DEG, albedo: float = PVWATTS_ALBEDO,
             self_shading: bool = True, elevation_m: float | None = None) -> pd.Series:
    """Hourly AC output of a PV array, PVWatts-style, with row-to-row shading.

    Parameters
    ----------
    weather : pandas.DataFrame
        From :func:`dcplan.weather.load_weather`: hourly, tz-aware, regular,
        interval-ending labels; columns ``ghi``, ``dni``, ``dhi`` [W/m2],
        ``temp_air`` [degC], ``wind_speed`` [m/s]; optional ``pressure`` [Pa]
        (else from ``elevation_m``) and ``albedo`` [-] (else ``albedo``).
    latitude, longitude : float
        Site [deg N, deg E].
    dc_kw : float
        DC nameplate at STC, in [0, 1e7] (0 gives zeros; :data:`PV_DC_MAX_KW`). [kW]
    tilt_deg : float, optional
        Fixed: surface tilt; default 20, PVWatts v8's [2]_. Tracking: tilt of the
        rotation axis; default 0, the usual horizontal single-axis tracker (PVWatts
        v8 models trackers with a horizontal axis). In [0, 90]. A tracker axis above
        :data:`TRACKER_AXIS_TILT_CHECKED_MAX_DEG` (45) warns: 0-45 deg agree with PVWatts
        v8 within 1 %, steeper axes come out below it (8-9 % at 90 deg). [deg]
    azimuth_deg : float, optional
        Fixed: surface azimuth. Tracking: axis azimuth (180 or 0 = N-S axis). In
        [0, 360), clockwise from north. Default: facing the equator, 180 (south)
        at ``latitude >= 0`` and 0 (north) at ``latitude < 0``
        (:func:`default_orientation_deg`). [deg]
    dc_ac_ratio : float, default 1.2
        DC nameplate / inverter AC rating, in [0.8, 3] (issue 6 default; the PVWatts
        web calculator's default is also 1.2, SSC's own 1.1; range: :data:`DC_AC_RATIO_MIN`,
        :data:`DC_AC_RATIO_MAX`). [-]
    losses_frac : float, default 0.14
        DC system losses (soiling, wiring, mismatch, availability...), PVWatts'
        default total 14 % [1]_. In [0, 1). [-]
    inverter_eff_frac : float, default 0.96
        Nominal inverter efficiency, PVWatts default 96 % [1]_. In [0.90, 0.995],
        the range PVWatts v8 accepts [2]_: the part-load curve peaks 0.26 % above
        the nominal value, so 1.0 would give more AC than DC. [-]
    gcr : float, default 0.3
        Ground coverage ratio (module slant length / row pitch), in (0, 0.99]
        (PVWatts v8's range top, :data:`GCR_MAX`: at 1 the rows touch); PVWatts v8
        default 0.3 [2]_. Sets self-shading and backtracking. [-]
    tracking : bool, default False
        Single-axis tracker instead of fixed tilt.
    backtrack : bool, default True
        Trackers backtrack to avoid row-to-row shading (PVWatts array type 3);
        False gives true tracking with beam shading (array type 2). Tracking only.
    max_angle_deg : float, default 45
        Tracker rotation limit, PVWatts v8 default [2]_. Tracking only. [deg]
    albedo : float, default 0.2
        Ground albedo when the weather has no ``albedo`` column (PVWatts v8
        default [2]_). [-]
    self_shading : bool, default True
        Row-to-row shading as PVWatts v8 models it (beam shadow of the row in
        front, sky and ground views blocked); False models an isolated row.
    elevation_m : float, optional
        Site elevation, used for pressure when the weather has none. [m]

    Returns
    -------
    pandas.Series
        ``pv_kw``: mean AC output over each hour, on the weather's
        interval-ending labels, in [0, dc_kw / dc_ac_ratio]. [kW]

    Notes
    -----
    Each label ``t`` stands for the hour ``(t - 1 h, t]``; the sun position is
    taken at ``t - 30 min`` (in the hour the sun rises or sets in, at the midpoint
    of the part it is up, :mod:`dcplan.solar_position`) and the result is returned
    on ``t``. The model chain,
    its sources and its differences from PVWatts v8 are in the module docstring.

    Raises
    ------
    InputError
        Negative ``dc_kw``, ``tilt_deg`` outside [0, 90], ``gcr`` outside (0, 0.99],
        other out-of-range numbers (a fraction given as a percentage, ``losses_frac=14``,
        says the fraction meant), missing weather columns, NaN weather, weather
        outside physical ranges (negative wind, air temperature in kelvin...), a
        non-hourly or irregular index.

    Warns
    -----
    DcplanWarning
        ``latitude``/``longitude`` farther than 1,000 km from the station the weather's ``attrs`` name
        (:func:`dcplan.api_inputs.station_distance_warning_text`: a longitude of the wrong sign).
        A tracker axis steeper than :data:`TRACKER_AXIS_TILT_CHECKED_MAX_DEG` (45 deg), a fixed
        tilt above ``FIXED_TILT_CHECKED_MAX_DEG`` (75), ``losses_frac`` above 0.5
        (:func:`dcplan.specs.solar.model_range_notes`); irradiance that reads as kW/m2.
    """
    out = pv_detail(weather, latitude, longitude, dc_kw=dc_kw, tilt_deg=tilt_deg,
                    azimuth_deg=azimuth_deg, dc_ac_ratio=dc_ac_ratio, losses_frac=losses_frac,
                    inverter_eff_frac=inverter_eff_frac, gcr=gcr, tracking=tracking,
                    backtrack=backtrack, max_angle_deg=max_angle_deg, albedo=albedo,
                    self_shading=self_shading, elevation_m=elevation_m)
    s = out["pv_kw"]
    s.name = "pv_kw"
    return s


def pv_for_site(site, weather: pd.DataFrame) -> pd.Series:
    """:func:`pv_ac_kw` for a :class:`dcplan.site.Site`'s ``solar:`` section.

    Uses the site's latitude, longitude and elevation. ``dc_kw: 0`` (the
    default when a site has no ``solar:`` section) gives a zero series. Issues the
    section's warnings naming the site file (:func:`warn_site_solar`).

    Returns
    -------
    pandas.Series
        ``pv_kw`` on the weather's index. [kW]
    """
    s = site.solar
    try:
        out = _pv_detail(weather, site.latitude, site.longitude, dc_kw=s.dc_kw, tilt_deg=s.tilt_deg,
                         azimuth_deg=s.azimuth_deg, dc_ac_ratio=s.dc_ac_ratio,
                         losses_frac=s.losses_frac, inverter_eff_frac=s.inverter_eff_frac,
                         gcr=s.gcr, tracking=s.tracking, backtrack=s.backtrack,
                         max_angle_deg=s.max_angle_deg, albedo=s.albedo,
                         self_shading=s.self_shading, elevation_m=site.elevation_m, warn_tilt=False)
    except InputError as e:
        if e.field and not e.field.startswith("weather"):
            e.field = f"solar.{e.field}"
        if e.file is None and getattr(site, "source_file", ""):
            e.file = site.source_file
        raise InputError(e.detail, file=e.file, field=e.field) from None
    warn_site_solar(site)
    pv = out["pv_kw"]
    pv.name = "pv_kw"
    return pv

