"""Row-to-row self-shading of diffuse light in a PV field (part of ``dcplan.solar``).

PVWatts v8's diffuse self-shading for infinitely long rows on flat ground, as
:func:`dcplan.solar.pv_detail` applies it (the beam shadow itself is pvlib's
``shading.shaded_fraction1d``):

* :func:`sky_diffuse_factor`: sky diffuse x the row's mean sky view factor relative
  to an unobstructed plane (pvlib ``bifacial.utils.vf_row_sky_2d_integ``; SSC
  ``sssky_diffuse_table`` [1]_);
* :func:`ground_diffuse_factor`: ground-reflected light x Deline's reduction [2]_ as
  SSC ``diffuse_reduce`` [1]_ computes it (dcplan code).

Both are pure geometry (plus the beam/diffuse split of the horizontal light), so
they take and return scalars or arrays. :mod:`dcplan.solar` re-exports them.

References
----------
.. [1] NREL SAM SSC, ``cmod_pvwattsv8.cpp`` and ``lib_pvshade.cpp``, SAM 2022.11
       and later, github.com/NREL/ssc.
.. [2] C. Deline, A. Dobos, S. Janzou, J. Meydbray, M. Donovan, "A simplified model
       of uniform shading in large photovoltaic arrays," Solar Energy 96, 2013.
"""
from __future__ import annotations

import numpy as np

__all__ = ["sky_diffuse_factor", "ground_diffuse_factor"]


def sky_diffuse_factor(surface_tilt_deg, gcr: float):
    """Fraction of sky diffuse a row keeps behind the row in front of it.

    ``F = VF_row-sky / ((1 + cos beta) / 2)``: the row's sky view factor averaged
    over its slant height (``pvlib.bifacial.utils.vf_row_sky_2d_integ``, infinite
    rows, isotropic sky) over that of an unobstructed plane at the same tilt
    ``beta``. This is PVWatts v8's sky-diffuse self-shading derate
    (``sssky_diffuse_table``, SSC ``lib_pvshade.cpp``), which integrates the same
    masking angle numerically; the two agree within 0.1 % for tilts up to 45 deg.

    Parameters
    ----------
    surface_tilt_deg : float or array
        Surface tilt [deg]; negative values (tracker rotation) use their magnitude.
    gcr : float
        Ground coverage ratio, slant length / row pitch. [-]

    Returns
    -------
    float or ndarray
        Factor in [0, 1]; 1 for a horizontal surface. [-]
    """
    from pvlib.bifacial.utils import vf_row_sky_2d_integ

    beta = np.abs(np.asarray(surface_tilt_deg, dtype=float))
    flat = beta < 1e-6
    b = np.where(flat, 1.0, beta)  # avoid 0/0 in the view-factor polynomial
    vf = vf_row_sky_2d_integ(b, gcr)
    f = np.where(flat, 1.0, vf / ((1.0 + np.cos(np.radians(b))) / 2.0))
    f = np.clip(f, 0.0, 1.0)
    # a scalar tilt gives a float (pvlib's integral returns a 1-element array for one)
    return float(np.ravel(f)[0]) if np.ndim(surface_tilt_deg) == 0 else f


def ground_diffuse_factor(surface_tilt_deg, solar_elevation_deg, gcr: float, gbh_w_per_m2,
                          dhi_w_per_m2):
    """Fraction of ground-reflected light a row keeps in a field of rows.

    Deline's reduction as PVWatts v8 uses it (SSC ``lib_pvshade.cpp``,
    ``diffuse_reduce``), for infinitely many rows. With slant length ``B = 1``,
    row pitch ``R = 1/gcr``, tilt ``beta``, solar elevation ``alpha``, albedo ``rho``::

        F1 = rho sin^2(beta/2)                  (unobstructed plane: rho (1 - cos beta)/2)
        Y1 = max(1e-5, R - B sin(180 - alpha - beta) / sin(alpha))   (unshaded ground)
        F2 = rho/2 (1 + Y1/B - sqrt(Y1^2/B^2 - 2 Y1/B cos(180 - beta) + 1))
        F3 = rho/2 (1 + R/B  - sqrt(R^2/B^2  - 2 R/B  cos(180 - beta) + 1))
        factor = (F2 Gbh + F3 Dhi) / (F1 (Gbh + Dhi))

    ``rho`` cancels. The beam-lit ground a row sees (F2) shrinks as the sun sinks
    and the rows' shadows cover it; diffuse-lit ground (F3) is the view past the
    row in front. PVWatts v8 averages in one unobstructed front row out of its
    estimated row count; with infinitely many rows that term vanishes.

    Parameters
    ----------
    surface_tilt_deg, solar_elevation_deg : float or array
        [deg]; the factor is 1 where the sun is down or the surface is flat.
    gcr : float
        Ground coverage ratio. [-]
    gbh_w_per_m2, dhi_w_per_m2 : float or array
        Beam on the horizontal (DNI cos zenith) and diffuse horizontal. [W/m2]

    Returns
    -------
    float or ndarray
        Factor in [0, 1]. [-]
    """
    beta = np.abs(np.asarray(surface_tilt_deg, dtype=float))
    alpha = np.asarray(solar_elevation_deg, dtype=float)
    gbh = np.asarray(gbh_w_per_m2, dtype=float)
    dhi = np.asarray(dhi_w_per_m2, dtype=float)
    r = 1.0 / gcr
    sa = np.sin(np.radians(np.clip(alpha, 1e-3, 90.0)))
    y1 = np.maximum(1e-5, r - np.sin(np.radians(180.0 - alpha - beta)) / sa)
    cb = np.cos(np.radians(180.0 - beta))
    f1 = np.sin(np.radians(beta / 2.0)) ** 2
    f2 = 0.5 * (1.0 + y1 - np.sqrt(y1 ** 2 - 2.0 * y1 * cb + 1.0))
    f3 = 0.5 * (1.0 + r - np.sqrt(r ** 2 - 2.0 * r * cb + 1.0))
    den = f1 * (gbh + dhi)
    ok = (den > 0) & (alpha > 0) & (beta > 1e-6)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(ok, (f2 * gbh + f3 * dhi) / np.where(ok, den, 1.0), 1.0)
    f = np.clip(f, 0.0, 1.0)
    return float(f) if np.ndim(f) == 0 else f
