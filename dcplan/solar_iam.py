"""Reflection (incidence-angle modifier, IAM) losses of a PV module's glass (part of ``dcplan.solar``).

Beam light loses to reflection by its own angle of incidence (pvlib's ``physical``
model, applied by :func:`dcplan.solar.pv_detail` through ModelChain's
``aoi_model='physical'``). Sky-diffuse and ground-reflected light arrive from a whole
region of directions, so each gets one factor per surface tilt: :func:`diffuse_iam`,
the same glass model integrated over the sky dome and over the ground (Marion [1]_).

Equations
---------
Beam (pvlib ``iam.physical``; De Soto et al. [2]_, Duffie & Beckman [3]_ sec. 5.3),
plain glass with refractive index ``n = 1.526``, extinction ``K = 4 /m``, thickness
``L = 2 mm`` (pvlib's defaults, which are also SSC's ``n_glass``, ``k_glass``,
``l_glass``)::

    theta_r = asin(sin(theta) / n)
    tau(theta) = [1 - (sin^2(theta_r - theta) / sin^2(theta_r + theta)
                       + tan^2(theta_r - theta) / tan^2(theta_r + theta)) / 2]
                 * exp(-K L / cos(theta_r))
    IAM(theta) = tau(theta) / tau(0)

Diffuse, for an isotropic region ``R`` (sky: zenith <= 90 deg; ground: zenith >= 90
deg) seen from a plane of tilt ``beta`` (``pvlib.iam.marion_integrate``, Marion [1]_:
cells of pi/180 rad in zenith and azimuth, directions behind the plane dropped)::

    K_R(beta) = sum_R IAM(theta_i) cos(theta_i) dOmega_i / sum_R cos(theta_i) dOmega_i

``K_sky(0) = 0.9444`` (horizontal), ``K_gnd(0) = 0`` (no ground in view); at the
bundled sites' tilts (25-42 deg) ``K_sky = 0.956-0.960`` and ``K_gnd = 0.72-0.84``.
A surface facing down (``beta > 90``) sees the ground as a surface at ``180 - beta``
sees the sky: ``K_sky(beta) = K_gnd(180 - beta)`` and vice versa.

Speed: ``marion_integrate`` costs about 5 ms per tilt and region, too slow for every
hour of a tracker (and memory-hungry on 8,760 tilts at once). :func:`diffuse_iam`
evaluates it once per process on a 5-deg grid of tilts (0, 5, ..., 90; about 0.2 s)
and interpolates with a cubic spline: within 5e-5 of the direct integral for sky
diffuse at any tilt, within 1e-3 for ground-reflected light above 5 deg, and within
5e-5 of ground-reflected irradiance per unit ``albedo x GHI`` below 5 deg, where the
ground is barely in view (``tests/test_solar.py``).

What NREL PVWatts v8 does
-------------------------
SSC ``cmod_pvwattsv8.cpp`` (``exec``, after soiling): when ``0.5 < aoi < 89.5`` deg
and the front POA is positive, ``tpoa = calculateIrradianceThroughCoverDeSoto(aoi,
surface tilt, beam, sky, ground, ar_glass)`` and the POA used for power is scaled by
``f_cover = tpoa / poa_front``; otherwise ``f_cover = 1``. The "standard" module has
``ar_glass = true``. ``lib_pv_incidence_modifier.cpp``, as PySAM 7.1.1 runs it (an
older SSC normalised by plain glass and had no cap)::

    theta_sky = 59.7 - 0.1388 beta + 0.001497 beta^2     (Duffie & Beckman eq. 5.4.2)
    theta_gnd = 90 - 0.5788 beta + 0.002693 beta^2       (Duffie & Beckman eq. 5.4.1)
    K_beam = min(1, tau_AR(theta) tau_glass,AR(theta') / tau_norm)
    K_sky  = min(1, tau_glass(theta_sky) / tau_norm)
    K_gnd  = min(1, tau_glass(theta_gnd) / tau_norm)

with ``tau`` the transmittance above, ``tau_AR`` that of an n = 1.3 coating 1/100 of
the glass thick, ``theta'`` the angle refracted by it, and ``tau_norm = tau_AR(1 deg)
tau_glass(theta') = 0.93280`` (coated glass at normal incidence), but the diffuse
``tau_glass`` of *uncoated* glass. So SAM's diffuse factors are Brandemuehl-Beckman effective-angle values [4]_
of plain glass, raised by ``tau_glass(0) / tau_norm = 1.0174``: ``K_sky = 0.964``
(horizontal) to 0.978 (45 deg), ``K_gnd = 0.66`` (20 deg) to 0.88 (45 deg), about
2 points above this module's; and its beam factor stays 1 up to about 60 deg. These
values are measured, not just read: PySAM 7.1.1 ``Pvwattsv8`` run on beam-only and
diffuse-only weather at two albedos gives ``tpoa / poa`` equal to the formulas above
to 5 decimals at tilts 0-90 deg. dcplan keeps pvlib's plain-glass model for beam and
diffuse alike (one glass, one normalisation), and applies the diffuse factors whatever
the sun's position (SAM skips all cover losses while the sun is behind the plane).

References
----------
.. [1] B. Marion, "Numerical method for angle-of-incidence correction factors for
       diffuse radiation incident photovoltaic modules," Solar Energy 147, 344-348,
       2017, doi:10.1016/j.solener.2017.03.027.
.. [2] W. De Soto, S. A. Klein, W. A. Beckman, "Improvement and validation of a model
       for photovoltaic array performance," Solar Energy 80(1), 78-88, 2006,
       doi:10.1016/j.solener.2005.06.010.
.. [3] J. A. Duffie, W. A. Beckman, "Solar Engineering of Thermal Processes," 4th ed.,
       Wiley, 2013, sec. 5.3-5.4.
.. [4] G. L. Brandemuehl, W. A. Beckman, "Transmission of diffuse radiation through
       CPC and flat plate collector glazings," Solar Energy 24(5), 511-513, 1980.
"""
from __future__ import annotations


import numpy as np

__all__ = ["diffuse_iam", "DIFFUSE_IAM_GRID_DEG"]

#: Surface tilts at which :func:`diffuse_iam` integrates Marion's sums exactly [deg];
#: a cubic spline interpolates between them (error bounds in the module docstring).
DIFFUSE_IAM_GRID_DEG = np.arange(0.0, 90.0 + 1e-9, 5.0)


#: The two splines once built (0.1-0.2 s). A plain holder, not a functools cache: they come
#: from constants only (no file), so render's warm kernels may inherit them from the
#: zygote's warm-up, which empties dcplan's caches of file data.
_SPLINES: list = []


def _splines():
    if not _SPLINES:
        import pvlib
        from scipy.interpolate import CubicSpline

        g = DIFFUSE_IAM_GRID_DEG
        sky = np.asarray(pvlib.iam.marion_integrate(pvlib.iam.physical, g, "sky"), float)
        gnd = np.asarray(pvlib.iam.marion_integrate(pvlib.iam.physical, g, "ground"), float)
        _SPLINES[:] = [CubicSpline(g, sky), CubicSpline(g, gnd)]
    return _SPLINES[0], _SPLINES[1]


def diffuse_iam(surface_tilt_deg):
    """Reflection factors of a module's glass for sky-diffuse and ground-reflected light.

    pvlib's ``physical`` IAM (plain glass, n 1.526, K 4 /m, L 2 mm, the beam model of
    :func:`dcplan.solar.pv_detail`) integrated over the isotropic sky dome and ground
    with Marion's method, tabulated every 5 deg of tilt and interpolated; equations,
    accuracy and the comparison with PVWatts v8 in the module docstring.

    Parameters
    ----------
    surface_tilt_deg : float or array
        Surface tilt [deg], in [0, 180] (above 90 faces the ground); negative values
        (tracker rotation) use their magnitude. NaN gives NaN.

    Returns
    -------
    (sky, ground) : tuple of float or ndarray
        Transmitted / incident irradiance for each region, in [0, 1]; the ground factor
        is 0 for a horizontal surface (no ground in view). [-]

    Examples
    --------
    >>> sky, gnd = diffuse_iam([0.0, 33.0])
    >>> [round(float(x), 3) for x in sky], [round(float(x), 3) for x in gnd]
    ([0.944, 0.958], [0.0, 0.785])
    """
    beta = np.clip(np.abs(np.asarray(surface_tilt_deg, dtype=float)), 0.0, 180.0)
    down = beta > 90.0
    b = np.where(down, 180.0 - beta, beta)
    s_sky, s_gnd = _splines()
    sky = np.clip(s_sky(b), 0.0, 1.0)
    gnd = np.clip(s_gnd(b), 0.0, 1.0)
    gnd = np.where(b == 0.0, 0.0, gnd)
    sky, gnd = np.where(down, gnd, sky), np.where(down, sky, gnd)
    if np.ndim(sky) == 0:
        return float(sky), float(gnd)
    return sky, gnd
