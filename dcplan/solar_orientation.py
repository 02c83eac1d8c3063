"""The PV array's orientation as dcplan models it, in a report's words (``site_analysis``'s PV section).

* :func:`pv_orientation_figures` — tilt, azimuth and tracking as :func:`dcplan.solar.pv_for_site` uses
  them (the site file's ``solar:`` or the defaults), each labelled with where it comes from and which way
  the array faces at the site's latitude (:data:`AZIMUTH_CONVENTION`, :func:`compass_text`).
* :func:`resolved_orientation_deg` — the ``(tilt, azimuth)`` those are, as numbers (a sweep row's
  ``pv_tilt_deg`` and ``pv_azimuth_deg``, :mod:`dcplan.sweep`).
"""
from __future__ import annotations

__all__ = ["AZIMUTH_CONVENTION", "compass_text", "pv_orientation_figures", "resolved_orientation_deg"]


#: The 16 points of the compass, from north clockwise (22.5 deg apart).
_COMPASS = ("north", "north-northeast", "northeast", "east-northeast", "east", "east-southeast", "southeast",
            "south-southeast", "south", "south-southwest", "southwest", "west-southwest", "west", "west-northwest",
            "northwest", "north-northwest")
#: How dcplan reads an azimuth (:mod:`dcplan.specs.solar`, ``azimuth_deg``), in a report's words.
AZIMUTH_CONVENTION = ("degrees clockwise from north: 0 = north (equator-facing in the southern hemisphere), "
                      "90 = east, 180 = south (equator-facing in the northern hemisphere), 270 = west")


def compass_text(bearing_deg: float) -> str:
    """The nearest of the 16 compass points to ``bearing_deg`` (clockwise from north): 200 -> "south-southwest"."""
    return _COMPASS[int(((float(bearing_deg) % 360.0) + 11.25) // 22.5) % 16]


def resolved_orientation_deg(site) -> tuple[float, float]:
    """``(tilt_deg, azimuth_deg)`` of a site's array as :func:`dcplan.solar.pv_for_site` models it: the
    site's ``solar.tilt_deg`` and ``solar.azimuth_deg``, each left out resolved by
    :func:`dcplan.solar.default_orientation_deg` at the site's latitude for its ``solar.tracking`` (a
    tracker: the axis tilt and the axis bearing). [deg]"""
    from .solar import default_orientation_deg
    s = site.solar
    tilt0, az0 = default_orientation_deg(float(site.latitude), s.tracking)
    return (tilt0 if s.tilt_deg is None else float(s.tilt_deg),
            az0 if s.azimuth_deg is None else float(s.azimuth_deg))


def pv_orientation_figures(site) -> dict:
    """The PV array's orientation as :func:`dcplan.solar.pv_for_site` models it, for ``site_analysis``'s
    PV section, as ``{key: (value, unit, label)}``: ``pv_tilt_deg`` (a fixed array's tilt, a tracker's
    axis tilt) and ``pv_azimuth_deg`` (the bearing a fixed array faces, a tracker's axis) [deg], each
    from the site file's ``solar:`` or, left out there, "default" (:func:`dcplan.solar.default_orientation_deg`
    at the site's latitude: a fixed array 20 deg, a tracker's axis 0; facing the equator), and
    ``pv_tracking`` (a single-axis tracker). The azimuth's label says the convention
    (:data:`AZIMUTH_CONVENTION`) and which way the array faces at the site's latitude."""
    s, lat = site.solar, float(site.latitude)
    tilt, az = resolved_orientation_deg(site)
    hemi = f"latitude {lat:g}, {'southern' if lat < 0 else 'northern'} hemisphere"
    if s.tilt_deg is not None:
        tilt_src = "the site file's solar.tilt_deg"
    else:
        tilt_src = ("default: the site file gives no solar.tilt_deg; a tracker's axis is horizontal, as PVWatts v8 "
                    "models trackers" if s.tracking else
                    "default: the site file gives no solar.tilt_deg; 20 deg, the PVWatts v8 default (PySAM 7.1)")
    track_src = "the site file" if "tracking" in s.model_fields_set else "default"
    if s.tracking:
        a = az % 180.0
        az_src = ("the site file's solar.azimuth_deg" if s.azimuth_deg is not None else
                  "default: the site file gives no solar.azimuth_deg; a north-south axis")
        tilt_label = f"PV tracker axis tilt from horizontal, as modelled ({tilt_src})"
        az_label = (f"PV tracker axis azimuth, as modelled ({az_src}), {AZIMUTH_CONVENTION}: the axis runs "
                    f"{compass_text(a)}-{compass_text(a + 180.0)}, the modules turning about it toward the "
                    f"{compass_text(a + 90.0)} and the {compass_text(a + 270.0)} ({hemi})")
        track_label = (f"PV mounting: single-axis tracker ({track_src}; rotation limit {s.max_angle_deg:g} deg, "
                       f"backtracking {'on' if s.backtrack else 'off'})")
    else:
        az_src = ("the site file's solar.azimuth_deg" if s.azimuth_deg is not None else
                  "default: the site file gives no solar.azimuth_deg, so the array faces the equator")
        equator = 180.0 if lat >= 0 else 0.0
        off = abs((az - equator + 180.0) % 360.0 - 180.0)
        way = ("toward the equator" if off <= 45.0 else "away from the equator (pole-facing)" if off >= 135.0
               else f"{off:.0f} deg off the equator's bearing ({equator:g})")
        faces = (f"this array faces {compass_text(az)}, {way} ({hemi})" if tilt > 0
                 else f"this array lies flat (tilt 0), so its azimuth does not change its sun ({hemi})")
        tilt_label = f"PV array tilt from horizontal, as modelled ({tilt_src})"
        az_label = (f"PV array azimuth, the bearing the modules face, as modelled ({az_src}), "
                    f"{AZIMUTH_CONVENTION}: {faces}")
        track_label = ("PV mounting: fixed tilt, no tracker (" + ("the site file's solar.tracking: false"
                       if track_src != "default" else "default: the site file gives no solar.tracking") + ")")
    return {"pv_tilt_deg": (tilt, "deg", tilt_label), "pv_azimuth_deg": (az, "deg", az_label),
            "pv_tracking": (bool(s.tracking), None, track_label)}
