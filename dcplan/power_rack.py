"""One compute rack's power: its servers (:func:`rack_power_kw`) and its share of the rack gear
(:func:`rack_gear_power_kw`), which sits in separate network/storage racks; re-exported by :mod:`dcplan.power`.

A compute rack is ``units_per_rack`` servers (a fleet phase's own, else data/hardware.csv's), or one rack-scale
unit (``gb200-nvl72``): what its busway tap-off or rack PDU sees, and what the rack_power and site_analysis
reports publish as ``rack_kw.<key>`` (:func:`dcplan.rack_density.rack_kw`, at full load). The catalog's
``rack_addons`` (switches, a storage share, a CDU share) scale with the servers: ``units_per_rack`` / the
catalog's ``units_per_rack`` of a catalog rack's gear per compute rack.
"""
from __future__ import annotations

import numpy as np

from .errors import InputError
from .power import Hardware, _addons_kw_array, _as_array, _check_range, _number, hardware, unit_power_kw

__all__ = ["rack_power_kw", "rack_gear_power_kw"]


def _rack_units(hw: Hardware, units_per_rack) -> int:
    """``units_per_rack`` of a compute rack of ``hw`` (None: the catalog's); a whole number >= 1, 1 for a
    rack-scale unit (as a fleet phase's, :class:`dcplan.specs.fleet.FleetPhase`)."""
    if units_per_rack is None:
        return hw.units_per_rack
    n = int(_number(units_per_rack, "units_per_rack", "a whole number of units >= 1", lambda x: x >= 1 and x == int(x)))
    if hw.kind == "rack" and n != 1:
        raise InputError(f"{n} for {hw.key!r}, a rack-scale unit in data/hardware.csv (the whole rack is the unit); "
                         "allowed: 1, or leave units_per_rack out", field="units_per_rack")
    return n


def _rack_unit_kind(hw: Hardware) -> None:
    """Refuse a catalog row that makes no rack (only a server or a rack does, as only those make a fleet phase)."""
    if hw.kind not in ("server", "rack"):
        from .power_fleet import fleet_unit_keys
        raise InputError(f"{hw.key!r} is a{'n' if hw.kind[:1] in 'aeiou' else ''} {hw.kind} in data/hardware.csv, "
                         "not a server or rack: a rack holds servers (units_per_rack of them) or is one, with its "
                         "switches and storage share; use unit_power_kw for one part's power; allowed: "
                         + ", ".join(fleet_unit_keys()), field="hardware_key")


def rack_power_kw(utilisation_frac, hardware_key: str | Hardware, *, units_per_rack: int | None = None,
                  include_addons: bool = False, **kw):
    """Wall power of one full compute rack: ``units_per_rack`` units, the servers alone, by default.

    What the rack's PDU sees, and what the reports publish as ``rack_kw.<key>`` (at utilisation 1:
    :func:`dcplan.rack_density.rack_kw`). Its share of the catalog's rack gear (``rack_addons``: switches,
    a storage share, a CDU share), which sits in separate network/storage racks, is
    :func:`rack_gear_power_kw`; ``include_addons=True`` adds it (the IT power the rack stands for, as
    the fleet's IT power counts it). Only a server or a rack (catalog ``kind``) makes a rack: a bare GPU
    board (``h100-sxm``), a switch or a storage node is refused (:func:`unit_power_kw` gives a part's power).

    Parameters
    ----------
    utilisation_frac : float, numpy.ndarray or pandas.Series
        Accelerator (or CPU) utilisation, 0-1. [-]
    hardware_key : str or Hardware
        Catalog key of a server or rack, e.g. ``'hgx-b200'``.
    units_per_rack : int, optional
        Servers per compute rack (a fleet phase's ``units_per_rack``); default data/hardware.csv's.
    include_addons : bool, default False
        Add the rack's share of its gear, :func:`rack_gear_power_kw`.
    **kw
        Go to :func:`unit_power_kw` (curve, caps, PSU efficiency).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``rack_kw``. [kW]

    Examples
    --------
    >>> rack_power_kw(1.0, 'hgx-b200'), rack_power_kw(1.0, 'hgx-b200', units_per_rack=2)   # 4 and 2 x 14.3
    (57.2, 28.6)
    >>> round(rack_power_kw(1.0, 'hgx-b200', include_addons=True), 6)   # + 1.5 x 1.7 + 0.15 + 0.25 x 1.5
    60.275
    """
    hw = hardware(hardware_key)
    _rack_unit_kind(hw)
    n = _rack_units(hw, units_per_rack)
    arr, back = _as_array(utilisation_frac, "utilisation_frac")
    p = n * np.asarray(unit_power_kw(arr, hw, **kw))
    return back(p + (_addons_kw_array(arr, hw) * n / hw.units_per_rack if include_addons else 0.0), "rack_kw")


def rack_gear_power_kw(utilisation_frac, hardware_key: str | Hardware, *, units_per_rack: int | None = None):
    """A compute rack's share of its catalog rack gear (``rack_addons``: switches, a storage share, a CDU share),
    each gear unit linear between its idle and max in the utilisation: the catalog rack's gear x
    ``units_per_rack`` / the catalog's ``units_per_rack`` (the gear scales with the servers; a phase's partial
    last rack carries a full rack's share, :func:`dcplan.power_fleet.phase_layout`). The gear sits in separate
    network/storage racks. Returns ``rack_gear_kw`` [kW].

    >>> round(rack_gear_power_kw(1.0, 'hgx-b200'), 6), round(rack_gear_power_kw(1.0, 'hgx-b200', units_per_rack=2), 6)
    (3.075, 1.5375)
    """
    hw = hardware(hardware_key)
    _rack_unit_kind(hw)
    n = _rack_units(hw, units_per_rack)
    arr, back = _as_array(utilisation_frac, "utilisation_frac")
    _check_range(arr, "utilisation_frac")
    return back(_addons_kw_array(arr, hw) * n / hw.units_per_rack, "rack_gear_kw")
