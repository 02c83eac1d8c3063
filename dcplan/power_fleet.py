"""Fleet aggregation: a site's ``fleet:`` section to rack, hall and site IT power.

Re-exported by :mod:`dcplan.power`; see there for the unit power model.

Time series
-----------
For each interval the workload process (:mod:`dcplan.workload`) gives utilisation
levels and the fraction of time at each. The fleet power is

.. math::

    P(t) = s \\sum_l w_l(t)\\,P_{fleet}(u_l(t))
         + (1 - s) \\sum_l \\bar w_l(t)\\,P_{fleet}(\\bar u_l(t))

where :math:`P_{fleet}(u) = \\sum_{phases\\ active} \\big(N_p P_{unit,p}(u) + G_p P_{addons,p}(u)\\big)`
(:math:`N_p` units in :math:`R_p = \\lceil N_p / n_p \\rceil` racks of :math:`n_p` units, the phase's
``units_per_rack`` or the catalog's :math:`n_c`; :math:`G_p = R_p n_p / n_c` catalog racks' worth of
gear: the gear scales with the servers, so the layout changes the rack count, not the IT power),
:math:`s` = ``sync_frac`` is the share of the fleet that moves in lock-step
(one realisation; large training jobs: no diversity) and the rest is
:math:`(1 - s) N_p` independent units per phase. Their sum's swings fall as
:math:`1/\\sqrt{(1 - s) N_p}`: for many units they average out (:math:`\\bar w, \\bar u`:
the expectation, law of large numbers), but a phase (or, at rack level, a rack) of at
most :data:`dcplan.power_units.MAX_SIMULATED_UNITS` (64) independent units is drawn unit
by unit instead, each with its own seeded realisation (exact for whole units; a fractional
share is a weight, :mod:`dcplan.power_units`). Above 64 the expectation understates the peaks
(about 6 % for 65 batch units, < 1 % above ~2,600) and a :class:`DcplanWarning` says so
where that exceeds 1 % (:mod:`dcplan.power_units`). A phase counts from local midnight of its
``start`` date (interval starts on or after it); 0 before.

Design power
------------
:func:`fleet_design_it_kw` = ``diversity_frac`` x sum over phases of the power at
full utilisation held to the fleet's power caps (an operating limit, not a rating: see
:mod:`dcplan.power_design`, whose uncapped figure rates the electrical chain)
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
import warnings

import numpy as np
import pandas as pd
from numba import njit
from pydantic import ValidationError

from .errors import DcplanWarning, InputError
from .power import (_addons_kw_array, _check_caps, _check_psu, _check_range, _number,
                    _unit_kw_array, CURVES, catalog, hardware)
from .specs.fleet import FleetSpec
from .power_timegrid import Grid, _chunks
from .power_units import unit_draws, unit_mixture
from .workload import DataProcess, make_process, read_profile_csv
from .workload_data import DATA_UTILISATION_TOL_FRAC, check_data_utilisation  # noqa: F401 (re-exported)

__all__ = ["fleet_it_kw", "site_it_kw", "fleet_design_it_kw", "fleet_table", "fleet_accelerators",
           "fleet_is_air_cooled", "fleet_cap_notes", "fleet_unit_cap_notes", "fleet_psu_efficiency_frac",
           "fleet_unit_keys", "unknown_unit_message", "phase_layout", "fleet_it_kw_at"]

_FROM_SPEC = object()
LEVELS = ("site", "hall", "rack")


def _as_fleet(obj) -> tuple[FleetSpec, object]:
    """(FleetSpec, Site or None) from a Site, FleetSpec or plain dict."""
    if isinstance(obj, FleetSpec):
        return obj, None
    fl = getattr(obj, "fleet", None)
    if isinstance(fl, FleetSpec):
        return fl, obj
    if isinstance(obj, dict):
        try:
            return FleetSpec.model_validate(obj, strict=False), None
        except ValidationError as e:
            err = e.errors()[0]
            loc = "fleet." + ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in err["loc"])
            msg = err["msg"].removeprefix("Value error, ")  # a spec's own check names the value
            got = "" if err["type"] == "value_error" else f" (got {err.get('input')!r})"
            raise InputError(msg + got, field=loc.replace(".[", "[").rstrip(".")) from None
    raise InputError(f"need a Site, FleetSpec or dict, got {type(obj).__name__}", field="fleet")


def _phase_hw(fleet: FleetSpec):
    out = []
    for i, ph in enumerate(fleet.phases):
        try:
            hw = hardware(ph.hardware)
        except InputError:
            raise InputError(unknown_unit_message(ph.hardware), field=f"fleet.phases[{i}].hardware") from None
        if hw.kind not in _FLEET_UNIT_KINDS:  # as the site loader refuses it (dcplan.site._hardware_problems)
            units = fleet_unit_keys()
            raise InputError(f"{ph.hardware!r} is a{'n' if hw.kind[0] in 'aeiou' else ''} {hw.kind} in "
                             "data/hardware.csv, not a server or rack: a phase counts whole servers or racks (each "
                             "rack's network and storage gear, its catalog rack_addons, is added per rack); allowed: "
                             f"{', '.join(units)}",
                             field=f"fleet.phases[{i}].hardware")
        if ph.count < 0:
            raise InputError(f"must be >= 0, got {ph.count}", field=f"fleet.phases[{i}].count")
        out.append(hw)
    return out


#: The catalog kinds a fleet phase counts (dcplan.site.FLEET_UNIT_KINDS: a bare GPU board, a switch,
#: a storage node or a CDU share is a rack add-on or a part, not a unit; the site loader refuses them and
#: so does the API: fleet_design_it_kw on 8 x h100-sxm gave 5.6 kW, a board's DC power with no server).
_FLEET_UNIT_KINDS = ("server", "rack")


def phase_layout(ph, hw) -> tuple[int, int, float]:
    """``(units_per_rack, racks, gear_racks)`` of one fleet phase ``ph`` of catalog unit ``hw``: the phase's own
    ``units_per_rack`` (else the catalog's), its ``racks = ceil(count / units_per_rack)`` compute racks and the
    catalog racks' worth of rack gear it carries, ``racks x units_per_rack / catalog units_per_rack`` (the gear,
    switches and a storage share sized per catalog rack, scales with the servers). 384 hgx-b200 at 2 a rack:
    (2, 192, 96.0), the 96 racks' worth of gear of the catalog's 4 a rack."""
    n = getattr(ph, "units_per_rack", None) or hw.units_per_rack
    racks = math.ceil(ph.count / n)
    return n, racks, racks * n / hw.units_per_rack


def fleet_unit_keys() -> list[str]:
    """The data/hardware.csv keys a fleet phase may count (servers and racks), sorted."""
    return sorted(k for k, kind in catalog()["kind"].items() if kind in _FLEET_UNIT_KINDS)


def unknown_unit_message(key) -> str:
    """The message for a fleet phase's hardware key not in data/hardware.csv: "did you mean" and the keys a
    phase may count (:func:`fleet_unit_keys`), not the switches, boards and CDU shares it would refuse."""
    from ._text import unknown_key_message
    return unknown_key_message(str(key), fleet_unit_keys())


def fleet_is_air_cooled(fleet) -> bool:
    """Whether every unit of a fleet is air-cooled in the catalog (``cooling`` air in
    data/hardware.csv, e.g. the HGX servers): the default plant of a site without a
    ``cooling:`` section (:class:`dcplan.site.Site`). ``fleet`` is a Site, a FleetSpec or the
    ``fleet:`` mapping as read from YAML (not yet validated). Phases of 0 units are ignored;
    an unknown hardware key, a catalog row without a cooling type or a malformed fleet give
    False (the fleet's own checks report those)."""
    fleet = getattr(fleet, "fleet", fleet)
    phases = fleet.get("phases") if isinstance(fleet, dict) else getattr(fleet, "phases", None)
    if not isinstance(phases, (list, tuple)) or not phases:
        return False
    seen = False
    for ph in phases:
        key = ph.get("hardware") if isinstance(ph, dict) else getattr(ph, "hardware", None)
        count = ph.get("count") if isinstance(ph, dict) else getattr(ph, "count", None)
        if isinstance(count, int) and not isinstance(count, bool) and count == 0:
            continue
        try:
            hw = hardware(key) if isinstance(key, str) else None
        except InputError:
            hw = None
        if hw is None or hw.cooling != "air":
            return False
        seen = True
    return seen


def _opts(fleet, curve, cap_w, cap_kw):
    curve = fleet.curve if curve is None else curve
    if curve not in CURVES:
        raise InputError(f"unknown {curve!r}; allowed: {', '.join(CURVES)}", field="curve")
    cap_w = fleet.cap_w_per_accelerator if cap_w is _FROM_SPEC else cap_w
    cap_kw = fleet.cap_kw_per_unit if cap_kw is _FROM_SPEC else cap_kw
    return curve, cap_w, cap_kw


def _check_fleet_caps(hws, cap_w, cap_kw, eta, spec_caps: tuple[bool, bool], site) -> None:
    """:func:`dcplan.power._check_caps` for each unit type; a cap that is the spec's (not an
    argument) is named as the YAML names it (``fleet.cap_kw_per_unit``), with the site's file.
    (The spec refuses a cap below idle as it loads; this catches a spec changed unvalidated.)"""
    try:
        for hw in hws:
            _check_caps(hw, cap_w, cap_kw, eta)
    except InputError as e:
        if spec_caps[e.field == "cap_kw_per_unit"]:
            raise InputError(e.detail, file=getattr(site, "source_file", "") or None,
                             field=f"fleet.{e.field}") from None
        raise


def _check_deployed(deployed) -> None:
    if deployed not in ("dated", "all"):
        raise InputError(f"unknown {deployed!r}; allowed: dated, all", field="deployed")


def fleet_it_kw_at(fleet_or_site, utilisation_frac) -> np.ndarray:
    """The fleet's IT power [kW] held at a constant utilisation, every phase deployed.

    ``P_fleet(u) = sum_p (N_p P_unit,p(u) + G_p P_addons,p(u))`` (module docstring) at the spec's
    curve and power caps and the catalog's PSU efficiencies: what :func:`fleet_it_kw` gives for a
    ``utilisation_frac`` series constant at ``u`` with ``deployed='all'`` (no ``diversity_frac``:
    that sizes the design, :func:`fleet_design_it_kw`). ``P_fleet(1)`` is the fleet's nameplate, and
    :func:`dcplan.workload_data.check_data_utilisation` inverts it for a measured ``it_kw`` file.
    ``utilisation_frac`` is a number or an array in [0, 1]; returns an array of its shape."""
    fleet, site = _as_fleet(fleet_or_site)
    hws = _phase_hw(fleet)
    curve, cap_w, cap_kw = _opts(fleet, None, _FROM_SPEC, _FROM_SPEC)
    _check_fleet_caps(hws, cap_w, cap_kw, None, (True, True), site)
    u = np.atleast_1d(np.asarray(utilisation_frac, dtype=float))
    _check_range(u, "utilisation_frac", 0.0, 1.0)
    total = np.zeros_like(u)
    for ph, hw in zip(fleet.phases, hws):
        unit = _unit_kw_array(u, hw, curve, cap_w_per_accelerator=cap_w, cap_kw_per_unit=cap_kw)
        total = total + ph.count * unit + phase_layout(ph, hw)[2] * _addons_kw_array(u, hw)
    return total.reshape(np.shape(utilisation_frac))


def fleet_table(fleet_or_site) -> pd.DataFrame:
    """One row per phase: label, hardware, count, start, ``units_per_rack`` (the phase's, else the catalog's),
    ``racks`` (compute racks, :func:`phase_layout`; the network/storage racks are not counted), ``last_rack_units``
    (units in the last rack: below ``units_per_rack`` when it is partial), accelerators, unit kW, and at full
    load [kW]: ``compute_rack_max_kw`` (one full compute rack), ``rack_gear_max_kw`` (its share of the rack gear,
    which sits in separate network/storage racks), ``rack_max_kw`` (the two together) and ``phase_max_kw``."""
    fleet, _ = _as_fleet(fleet_or_site)
    rows = []
    for i, (ph, hw) in enumerate(zip(fleet.phases, _phase_hw(fleet))):
        n, racks, gear_racks = phase_layout(ph, hw)
        gear = float(_addons_kw_array(np.ones(1), hw)[0])
        rows.append({"label": ph.label or f"phase {i + 1}", "hardware": ph.hardware, "count": ph.count,
                     "start": ph.start, "units_per_rack": n, "racks": racks,
                     "last_rack_units": ph.count - (racks - 1) * n if racks else 0,
                     "accelerators": ph.count * hw.accelerators_per_unit,
                     "unit_max_kw": hw.max_kw, "unit_idle_kw": hw.idle_kw,
                     "compute_rack_max_kw": n * hw.max_kw, "rack_gear_max_kw": gear * n / hw.units_per_rack,
                     "rack_max_kw": n * hw.max_kw + gear * n / hw.units_per_rack,
                     "phase_max_kw": ph.count * hw.max_kw + gear_racks * gear})
    return pd.DataFrame(rows)


def fleet_design_it_kw(fleet_or_site, *, at=None, include_addons: bool = True, curve=None,
                       cap_w_per_accelerator=_FROM_SPEC, cap_kw_per_unit=_FROM_SPEC,
                       psu_efficiency_frac=None) -> float:
    """Design (peak) IT power of a fleet [kW], for grid and cooling sizing.

    ``diversity_frac * sum_p (N_p P_unit,p(1) + G_p P_addons,p(1))`` (:func:`phase_layout`) over the phases
    started by ``at`` (a date; default: all phases, the full build-out). Power caps from the spec (or given)
    apply: a software limit, so the capped figure is an operating limit (:mod:`dcplan.power_design`).
    """
    fleet, site = _as_fleet(fleet_or_site)
    curve, cap_w, cap_kw = _opts(fleet, curve, cap_w_per_accelerator, cap_kw_per_unit)
    _check_psu(psu_efficiency_frac)
    at = None if at is None else _as_date(at, "at")
    total = 0.0
    one = np.ones(1)
    spec_caps = (cap_w_per_accelerator is _FROM_SPEC, cap_kw_per_unit is _FROM_SPEC)
    for ph, hw in zip(fleet.phases, _phase_hw(fleet)):
        if at is not None and ph.start > at:
            continue
        _check_fleet_caps([hw], cap_w, cap_kw, psu_efficiency_frac, spec_caps, site)
        unit = float(_unit_kw_array(one, hw, curve, cap_w_per_accelerator=cap_w, cap_kw_per_unit=cap_kw,
                                    psu_efficiency_frac=psu_efficiency_frac)[0])
        gear_racks = phase_layout(ph, hw)[2]
        total += ph.count * unit + (gear_racks * float(_addons_kw_array(one, hw)[0]) if include_addons else 0.0)
    return total * fleet.diversity_frac


def fleet_psu_efficiency_frac(fleet_or_site, *, include_addons: bool = True, curve=None,
                              cap_w_per_accelerator=_FROM_SPEC, cap_kw_per_unit=_FROM_SPEC,
                              psu_efficiency_frac=None) -> float | None:
    """The fleet's power-weighted PSU efficiency: DC power / wall power at full build-out [frac].

    ``sum(P_wall,i x eta_i) / sum(P_wall,i)`` over the catalog rows the power model draws: each
    phase's units (``N_p`` x their full-utilisation wall power with the fleet's caps, as
    :func:`fleet_design_it_kw` counts them, at ``psu_efficiency_frac`` when given, else the row's
    ``psu_efficiency_frac``) and, with ``include_addons``, its racks' add-on gear (``R_p`` x count
    x ``max_kw``). A row rated at wall power with no PSU model (``psu_efficiency_frac`` 1.0:
    switches, storage nodes, CDU shares) counts at 1.0, as the power model counts it. So 4
    ``hgx-h100`` (0.96) with their rack gear (3.075 kW at 1.0) give
    ``(40.8 x 0.96 + 3.075) / 43.875 = 0.9628``. Every phase counts (``deployed='all'``), whatever
    its start date. The cooling plant splits IT power into compute and server fans with it
    (:func:`dcplan.thermal.plant_hourly`, ``compute_kw``, ITUE and TUE). None for a fleet without
    power (every phase 0 units).
    """
    fleet, site = _as_fleet(fleet_or_site)
    curve, cap_w, cap_kw = _opts(fleet, curve, cap_w_per_accelerator, cap_kw_per_unit)
    _check_psu(psu_efficiency_frac)
    one = np.ones(1)
    wall = dc = 0.0
    for ph, hw in zip(fleet.phases, _phase_hw(fleet)):
        if ph.count <= 0:
            continue
        _check_fleet_caps([hw], cap_w, cap_kw, psu_efficiency_frac,
                          (cap_w_per_accelerator is _FROM_SPEC, cap_kw_per_unit is _FROM_SPEC), site)
        unit = ph.count * float(_unit_kw_array(one, hw, curve, cap_w_per_accelerator=cap_w, cap_kw_per_unit=cap_kw,
                                               psu_efficiency_frac=psu_efficiency_frac)[0])
        eta = hw.psu_efficiency_frac if psu_efficiency_frac is None else psu_efficiency_frac
        wall, dc = wall + unit, dc + unit * eta
        if include_addons:
            racks = phase_layout(ph, hw)[2]   # catalog racks' worth of gear
            for key, c in hw.rack_addons:
                g = hardware(key)
                wall, dc = wall + racks * c * g.max_kw, dc + racks * c * g.max_kw * g.psu_efficiency_frac
    return dc / wall if wall > 0 else None


def _as_date(v, field: str):
    """``v`` (a date, datetime, Timestamp or ISO date text) as a ``datetime.date``.

    A number is refused: ``pd.Timestamp(5)`` is 5 ns after 1970, so ``at=5`` summed no phase
    and gave a design power of 0 kW.
    """
    if isinstance(v, (bool, np.bool_, numbers.Number)) or not isinstance(v, (str, dt.date, np.datetime64)):
        raise InputError(f"must be a date (datetime.date, Timestamp or 'YYYY-MM-DD'), got {v!r}", field=field)
    try:
        ts = pd.Timestamp(v)
    except ValueError:
        ts = pd.NaT
    if ts is pd.NaT:
        raise InputError(f"must be a date (datetime.date, Timestamp or 'YYYY-MM-DD'), got {v!r}", field=field)
    return ts.date()


def _start_index(g: Grid, index: pd.DatetimeIndex, day) -> int:
    """First interval whose start is at or after local midnight of ``day``.

    Where clocks skip midnight (DST starts at 00:00, e.g. America/Santiago) the day
    begins at the first local time that exists; a repeated midnight counts from the first.
    """
    ts = pd.Timestamp(day).tz_localize(index.tz, ambiguous=True, nonexistent="shift_forward").value / 1e9
    i = math.ceil((ts - g.start_s) / g.step_s - 1e-9)
    return int(min(max(i, 0), g.n))


def fleet_accelerators(fleet_or_site, index: pd.DatetimeIndex, *, deployed: str = "dated") -> pd.Series:
    """Number of deployed accelerators per interval (``accelerators``), for throughput."""
    fleet, _ = _as_fleet(fleet_or_site)
    _check_deployed(deployed)
    g = Grid.from_index(index)
    out = np.zeros(len(index))
    for ph, hw in zip(fleet.phases, _phase_hw(fleet)):
        i0 = 0 if deployed == "all" else _start_index(g, index, ph.start)
        out[i0:] += ph.count * hw.accelerators_per_unit
    return pd.Series(out, index=index, name="accelerators")


def fleet_it_kw(fleet_or_site, index: pd.DatetimeIndex, *, seed: int = 0, level: str = "site",
                sync_frac: float | None = None, deployed: str = "dated", data: pd.Series | None = None,
                include_addons: bool = True, curve: str | None = None,
                cap_w_per_accelerator=_FROM_SPEC, cap_kw_per_unit=_FROM_SPEC,
                psu_efficiency_frac: float | None = None, dtype="float64"):
    """IT power of a fleet over ``index`` at rack, hall or site level.

    Parameters
    ----------
    fleet_or_site : Site, FleetSpec or dict
        The ``fleet:`` section (phases, workload, utilisation_frac, profile, caps).
    index : pandas.DatetimeIndex
        tz-aware, regular, interval-ending labels, step 1 s .. 1 h.
    seed : int
        Seed of the workload process (deterministic).
    level : {'site', 'hall', 'rack'}
        ``site``: Series ``it_kw``; ``hall``: DataFrame, one column per phase label;
        ``rack``: DataFrame, power of one full rack of each phase (0 before its start).
    sync_frac : float, optional
        Share of the fleet in lock-step (module docstring); default the spec's, else 1
        for ``training`` and 0 for other workloads. The rest, ``(1 - sync_frac) x units``
        per phase (per rack at ``level='rack'``), is independent units: drawn one by one
        up to :data:`dcplan.power_units.MAX_SIMULATED_UNITS` (64), else their expectation
        (a :class:`DcplanWarning` where that understates the peaks by more than 1 %).
    deployed : {'dated', 'all'}
        ``dated``: phases count from their start dates; ``all``: every phase deployed
        throughout (a full build-out year, e.g. for a typical weather year).
    data : pandas.Series, optional
        For workload ``data``: a series from :func:`dcplan.workload.read_profile_csv`
        (``utilisation_frac`` drives the hardware model; ``it_kw`` is returned as the
        site IT power, averaged onto ``index``). Default: read ``fleet.data_file``
        relative to the site YAML.
    include_addons : bool
        Count per-rack network/storage/CDU gear.
    curve, cap_w_per_accelerator, cap_kw_per_unit, psu_efficiency_frac
        Override the spec / catalog (None removes a cap); see :func:`unit_power_kw`.
    dtype : str
        Output dtype; ``'float32'`` halves memory for 1 s years (relative precision 6e-8).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        IT power [kW]. The site Series carries the fleet's power-weighted PSU efficiency in
        ``attrs["psu_efficiency_frac"]`` (:func:`fleet_psu_efficiency_frac`, at these options), which
        :func:`dcplan.thermal.plant_hourly` uses for its compute / server-fan split.
    """
    fleet, site = _as_fleet(fleet_or_site)
    if level not in LEVELS:
        raise InputError(f"unknown {level!r}; allowed: {', '.join(LEVELS)}", field="level")
    _check_deployed(deployed)
    hws = _phase_hw(fleet)
    curve, cap_w, cap_kw = _opts(fleet, curve, cap_w_per_accelerator, cap_kw_per_unit)
    _check_psu(psu_efficiency_frac)
    _check_fleet_caps(hws, cap_w, cap_kw, psu_efficiency_frac,
                      (cap_w_per_accelerator is _FROM_SPEC, cap_kw_per_unit is _FROM_SPEC), site)
    g = Grid.from_index(index)

    proc, s = _workload(fleet, site, data, seed, sync_frac)
    if proc is None:   # measured it_kw (s is the series)
        if level != "site":
            raise InputError("measured it_kw data give site power only; use level='site'", field="level")
        try:  # (DataProcess names its series utilisation_frac: say what these data are)
            lv, w = DataProcess(s.rename("utilisation_frac")).mixture(g)
        except InputError as e:
            if e.field != "utilisation_frac":
                raise
            raise InputError(e.detail.replace("utilisation_frac", "data (it_kw)"), file=e.file,
                             field="data (it_kw)") from None
        vals = (lv * w).sum(axis=1)
        return _with_psu(pd.Series(vals.astype(dtype), index=index, name="it_kw"), fleet, include_addons, curve,
                         cap_w, cap_kw, psu_efficiency_frac)

    labels = [ph.label or f"phase {i + 1}" for i, ph in enumerate(fleet.phases)]
    if level == "site":
        cols, col_of = ["it_kw"], [0] * len(hws)
    elif level == "hall":
        cols = list(dict.fromkeys(labels))
        col_of = [cols.index(lb) for lb in labels]
    else:
        cols = [f"{lb} ({ph.hardware})" for lb, ph in zip(labels, fleet.phases)]
        col_of = list(range(len(hws)))
    starts = [0 if deployed == "all" else _start_index(g, index, ph.start) for ph in fleet.phases]
    if all(i0 >= g.n for i0 in starts):
        warnings.warn(f"no fleet phase is deployed between {index[0]} and {index[-1]} (first start "
                      f"{min(ph.start for ph in fleet.phases)}); IT power is 0. Pass deployed='all' for a "
                      "full build-out year.", DcplanWarning, stacklevel=2)
    mult = []
    for ph, hw in zip(fleet.phases, hws):
        n, _, gear_racks = phase_layout(ph, hw)
        if level == "rack":   # one compute rack and its share of the gear
            mult.append((n if ph.count else 0, n / hw.units_per_rack if (ph.count and include_addons) else 0.0))
        else:
            mult.append((ph.count, gear_racks if include_addons else 0.0))

    out = np.zeros((len(cols), g.n), dtype=dtype)
    parts = ([(s, False)] if s > 0 else []) + ([(1.0 - s, True)] if s < 1 else [])
    draws = unit_draws(fleet, proc, s, seed, [nu for nu, _ in mult], starts, g.n, level, labels)

    def add(k, a, i0, i1, lv, w, weight):
        hw, (nu, nr) = hws[k], mult[k]
        p = nu * _unit_kw_array(lv, hw, curve, cap_w_per_accelerator=cap_w, cap_kw_per_unit=cap_kw,
                                psu_efficiency_frac=psu_efficiency_frac)
        if nr:
            p = p + nr * _addons_kw_array(lv, hw)
        if p.ndim == 1:
            _accumulate(out[col_of[k], i0 + a:i1], w[a:], p * weight)
        else:
            out[col_of[k], i0 + a:i1] += (w[a:] * p[a:]).sum(axis=1) * weight

    for i0, i1 in _chunks(g):
        gp = g.part(i0, i1)
        for weight, expected in parts:
            lv, w = _mixture(proc, gp, expected)
            for k, (nu, nr) in enumerate(mult):
                a = max(starts[k], i0) - i0
                if a >= i1 - i0 or (nu == 0 and nr == 0):
                    continue
                if not (expected and draws[k]):
                    add(k, a, i0, i1, lv, w, weight)
                    continue
                for j, useed in enumerate(draws[k]):  # a small phase's independent units, one by one
                    ulv, uw = (_mixture(proc, gp, False) if useed is None
                               else unit_mixture(proc, useed, gp, lv))
                    add(k, a, i0, i1, ulv, uw, weight / len(draws[k]))
    if level == "site":
        return _with_psu(pd.Series(out[0], index=index, name="it_kw"), fleet, include_addons, curve,
                         cap_w, cap_kw, psu_efficiency_frac)
    return pd.DataFrame(out.T, index=index, columns=cols)


def _with_psu(s: pd.Series, fleet, include_addons, curve, cap_w, cap_kw, eta) -> pd.Series:
    """``s`` with ``attrs["psu_efficiency_frac"]``: the fleet's :func:`fleet_psu_efficiency_frac`,
    which :func:`dcplan.thermal.plant_hourly` splits the IT power into compute and fans with."""
    frac = fleet_psu_efficiency_frac(fleet, include_addons=include_addons, curve=curve, cap_w_per_accelerator=cap_w,
                                     cap_kw_per_unit=cap_kw, psu_efficiency_frac=eta)
    if frac is not None:
        s.attrs["psu_efficiency_frac"] = frac
    return s


def _workload(fleet: FleetSpec, site, data, seed, sync_frac):
    """(utilisation process, share of the fleet in lock-step) of a fleet's workload (as
    :func:`fleet_it_kw` documents its arguments); ``(None, series)`` for measured ``it_kw`` data,
    which has no utilisation."""
    if data is not None and not isinstance(data, pd.Series):
        from .api_inputs import given
        raise InputError("need a pandas Series named 'utilisation_frac' or 'it_kw' "
                         f"(dcplan.workload.read_profile_csv), got {given(data)}"
                         + ("; pass one column, e.g. data['it_kw']" if isinstance(data, pd.DataFrame) else ""),
                         field="data")
    if fleet.workload == "data":
        if data is None:
            if site is None:
                raise InputError("workload 'data' needs data= (a Series) when no Site is given", field="data")
            data = read_profile_csv(site.path(fleet.data_file))
            check_data_utilisation(fleet.utilisation_frac, data, file=getattr(site, "source_file", None) or None,
                                   data_file=str(fleet.data_file), fleet=fleet)
        if data.name in ("utilisation_frac", "it_kw"):   # as read_profile_csv checks a file
            _check_data_values(data)
        if data.name == "it_kw":
            return None, data
        if data.name != "utilisation_frac":
            raise InputError(f"data must be named 'utilisation_frac' or 'it_kw', got {data.name!r}", field="data")
        return DataProcess(data), 1.0
    proc = make_process(fleet.workload, fleet.utilisation_frac, seed=seed, **fleet.profile)
    s = fleet.sync_frac if sync_frac is None and fleet.sync_frac is not None else sync_frac
    if s is None:
        s = 1.0 if fleet.workload == "training" else 0.0
    return proc, _number(s, "sync_frac", "a number in [0, 1]", lambda x: 0.0 <= x <= 1.0)


def _check_data_values(data: pd.Series) -> None:
    """NaN or out-of-range values of ``data`` (``utilisation_frac`` in [0, 1], ``it_kw`` >= 0), named
    by the first bad value's timestamp (its row when the index holds no times), as
    :func:`dcplan.power._check_range` words them."""
    arr = np.asarray(data, dtype=float)
    hi = 1.0 if data.name == "utilisation_frac" else None
    bad = ~np.isfinite(arr) | (arr < 0.0) | ((arr > hi) if hi is not None else False)
    if bad.any():
        i = int(np.argmax(bad))
        where = f"at {data.index[i]}" if isinstance(data.index, pd.DatetimeIndex) else f"in row {i}"
        try:
            _check_range(arr[i:i + 1], f"data ({data.name})", 0.0, hi)
        except InputError as e:
            raise InputError(e.detail.replace("(element 0)", where), field=e.field) from None


_MIX_CACHE: dict = {}
_MIX_CACHE_SIZE = [0]
_MIX_CACHE_MAX_POINTS = 4_000_000   # bound on cached intervals (~100 MB)


def _mixture(proc, g: Grid, expected: bool):
    """``proc.(expected_)mixture(g)``, memoised for small grids.

    Processes and grids are immutable, so the same (process, grid) always gives the
    same mixture: sites sharing a workload and seed (e.g. a portfolio run with the
    default seed) reuse it.
    """
    if g.n > 200_000 or isinstance(proc, DataProcess):
        return (proc.expected_mixture if expected else proc.mixture)(g)
    key = (proc, g, expected)
    hit = _MIX_CACHE.get(key)
    if hit is None:
        hit = (proc.expected_mixture if expected else proc.mixture)(g)
        if _MIX_CACHE_SIZE[0] + hit[1].size > _MIX_CACHE_MAX_POINTS:
            _MIX_CACHE.clear()
            _MIX_CACHE_SIZE[0] = 0
        _MIX_CACHE[key] = hit
        _MIX_CACHE_SIZE[0] += hit[1].size
    return hit


@njit(cache=True)
def _accumulate(out, w, p):
    """out += w @ p for constant levels (one fused pass, no temporaries)."""
    for i in range(out.shape[0]):
        acc = 0.0
        for j in range(p.shape[0]):
            acc += w[i, j] * p[j]
        out[i] += acc


def site_it_kw(site_or_fleet, index: pd.DatetimeIndex, seed: int = 0, **kw) -> pd.Series:
    """Site IT power ``it_kw`` [kW] over ``index`` (see :func:`fleet_it_kw`, level 'site').

    The entry point the pipeline and site notebooks call, on a typical weather year:
    ``it_kw = site_it_kw(site, weather.index, deployed="all")``. ``deployed="all"`` counts every
    phase as built out all year; the default ``"dated"`` counts a phase from its start date only,
    so on the bundled 2025 weather years, before the bundled fleets start (2026-27), it is 0 kW in
    every hour (with a :class:`~dcplan.errors.DcplanWarning`).
    """
    kw.pop("level", None)
    return fleet_it_kw(site_or_fleet, index, seed=seed, level="site", **kw)


_CAPS_NAMES = ("main_accelerator", "default_cap_w", "fleet_cap_notes", "fleet_unit_cap_notes")


def __getattr__(name):
    """The cap helpers moved to :mod:`dcplan.power_caps`, still importable from here (PEP 562: imported on
    first use, as power_caps imports this module's fleet helpers)."""
    if name in _CAPS_NAMES:
        from . import power_caps
        return getattr(power_caps, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
