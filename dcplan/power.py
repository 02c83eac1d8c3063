"""Rack power draw: hardware catalog, power versus utilisation, electrical chain, metrics.

The model every other analysis starts from. Layers:

* :func:`hardware` / :func:`catalog` read ``data/hardware.csv`` (sourced rows, see
  ``data/hardware.md``) once per process, checked by :func:`dcplan.catalog_checks.check_hardware`.
* :func:`unit_power_kw` gives one catalog unit's wall power from utilisation,
  with a power-curve shape, optional power caps and PSU efficiency;
  :func:`rack_power_kw` gives one compute rack's (its servers alone), :func:`rack_gear_power_kw` its
  share of the per-rack network, storage and CDU gear, which sits in other racks.
* :func:`fleet_it_kw`, :func:`site_it_kw`, :func:`fleet_design_it_kw` (in
  :mod:`dcplan.power_fleet`, re-exported here) aggregate a site's ``fleet:`` over time
  (:func:`fleet_it_kw_at`: at a constant utilisation, every phase deployed);
  :func:`fleet_cap_notes` checks a per-accelerator cap against a fleet's hardware
  (:func:`fleet_unit_cap_notes`: the fleet's own per-unit cap).
* :func:`electrical_losses_kw` (in :mod:`dcplan.power_electrical`, re-exported here) adds
  transformer, UPS and PDU losses (site electrical input = IT + losses; cooling comes from
  the thermal module).
* :func:`energy_from_power` is the one place kW becomes kWh.
* :func:`design_it_label` and :func:`cap_label` (in :mod:`dcplan.power_labels`, re-exported here)
  say in a label what the design IT counts (caps, diversity) and what share of each accelerator's
  TDP a per-GPU cap is.
* :func:`token_metrics` (in :mod:`dcplan.power_tokens`, re-exported here) gives tokens per
  kWh, tokens per joule and kWh per million tokens.

Server power model
------------------
With catalog wall power :math:`P_{max}`, :math:`P_{idle}` rated at PSU efficiency
:math:`\\eta_0`, the DC (component) power is split into accelerators
(:math:`n` of TDP :math:`T` and idle :math:`I`) and the rest of the unit:

.. math::

    P_{acc}(u) = n\\,\\min\\big(I + (T - I)\\,f(u),\\; C\\big), \\qquad
    P_{rest}(u) = R_{idle} + (R_{max} - R_{idle})\\,f(u)

    P_{wall}(u) = \\min\\big((P_{acc} + P_{rest}) / \\eta,\\; C_{unit}\\big)

with :math:`R = \\eta_0 P - nT` (resp. :math:`nI`), cap :math:`C` per accelerator
[W], :math:`C_{unit}` per unit [kW], :math:`\\eta` = PSU efficiency (default
:math:`\\eta_0`, so the endpoints equal the catalog values), and curve shape
:math:`f`:

* ``linear``: :math:`f(u) = u` (default; energy proportional above idle),
* ``concave``: :math:`f(u) = 2u - u^r`, :math:`r = 1.4` — the empirical server curve of
  Fan, Weber & Barroso, "Power provisioning for a warehouse-sized computer",
  ISCA 2007, DOI 10.1145/1250662.1250665,
* ``convex``: :math:`f(u) = u^r` (a modelling option: power rising late, as for
  memory-bound work; not calibrated).

The exponent must keep :math:`f` monotone from :math:`f(0) = 0` to :math:`f(1) = 1`,
so power stays between idle and max: :math:`1 \\le r \\le 2` for ``concave``
(:math:`f'(u) = 2 - r u^{r-1}`), :math:`r > 0` for ``convex``; other values raise
:class:`~dcplan.errors.InputError`.

A cap clips power at a fixed utilisation profile: it never raises power or energy;
the longer run time of throttled work is not modelled here. A cap below what the hardware
draws idle (``cap_w_per_accelerator`` below the catalog ``accelerator_idle_w``,
``cap_kw_per_unit`` below the unit's ``idle_kw``) raises :class:`~dcplan.errors.InputError`:
power capping cannot hold a switched-on unit below its idle draw.
"""
from __future__ import annotations

import dataclasses
import functools
import importlib
import math
import numbers
import numpy as np
import pandas as pd

from ._ts import numeric_problem, step_s as _step_s, unknown_key_message
from .catalog_checks import check_hardware, read_catalog
from .errors import InputError
from .paths import data_path

__all__ = ["Hardware", "catalog", "hardware", "unit_power_kw", "rack_power_kw", "rack_gear_power_kw",
           "rack_addons",
           "CURVES", "DEFAULT_CURVE_EXPONENT", "MAX_UNIT_CAP_RATIO", "energy_from_power", "ELECTRICAL_STAGES",
           "DEFAULT_CHAIN", "stage_efficiency_frac", "electrical_losses_kw", "THROUGHPUT_EXAMPLES",
           "example_throughput", "own_throughput", "borrowed_throughput", "throughput_caveat", "design_it_label",
           "cap_label", "fleet_tokens_per_s", "token_metrics", "MAX_LOAD_FRAC",
           "fleet_it_kw", "fleet_it_kw_at", "site_it_kw", "fleet_design_it_kw", "fleet_table", "fleet_accelerators",
           "fleet_cap_notes", "fleet_unit_cap_notes", "main_accelerator", "default_cap_w",
           "fleet_peak_utilisation_frac", "cap_bite_utilisation_frac", "fleet_cap_bite_notes",
           "electrical_design_it_kw", "cap_sizing_note", "power_steps", "REFERENCE_UNIT", "unit_kw_per_accelerator"]

CURVES = ("linear", "concave", "convex")
#: Exponent r of the concave curve 2u - u^r, Fan, Weber & Barroso (ISCA 2007) fit.
DEFAULT_CURVE_EXPONENT = 1.4


# ------------------------------------------------------------------------------- catalog
@dataclasses.dataclass(frozen=True)
class Hardware:
    """One catalog unit (server, rack, accelerator, network/storage/CDU gear).

    Powers are wall (AC input) powers at ``psu_efficiency_frac`` [kW]; accelerator
    figures are per accelerator [W]. ``rack_addons`` maps gear keys to counts per rack.
    """
    key: str
    name: str = ""
    kind: str = "server"
    max_kw: float = 0.0
    idle_kw: float = 0.0
    accelerators_per_unit: int = 0
    accelerator_tdp_w: float = 0.0
    accelerator_idle_w: float = 0.0
    psu_efficiency_frac: float = 1.0
    units_per_rack: int = 1
    cooling: str = ""
    rack_addons: tuple = ()
    accelerator: str = ""

    def __post_init__(self):
        f = f"hardware[{self.key!r}]"
        for name in ("max_kw", "idle_kw", "accelerator_tdp_w", "accelerator_idle_w", "psu_efficiency_frac"):
            _number(getattr(self, name), f"{f}.{name}", "a finite number", math.isfinite)
        for name in ("accelerators_per_unit", "units_per_rack"):
            v = getattr(self, name)
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
                raise InputError(f"must be a whole number, got {v!r}", field=f"{f}.{name}")
        if not (self.max_kw > 0 and 0 <= self.idle_kw <= self.max_kw):
            raise InputError(f"need 0 <= idle_kw <= max_kw and max_kw > 0, got idle_kw={self.idle_kw}, "
                             f"max_kw={self.max_kw}", field=f)
        if not 0 < self.psu_efficiency_frac <= 1:
            raise InputError(f"psu_efficiency_frac must be in (0, 1], got {self.psu_efficiency_frac}", field=f)
        n = self.accelerators_per_unit
        if n < 0 or self.units_per_rack < 1:
            raise InputError(f"accelerators_per_unit must be >= 0 and units_per_rack >= 1, got {n}, "
                             f"{self.units_per_rack}", field=f)
        if n and not (0 <= self.accelerator_idle_w <= self.accelerator_tdp_w):
            raise InputError("need 0 <= accelerator_idle_w <= accelerator_tdp_w", field=f)
        eta = self.psu_efficiency_frac
        if n * self.accelerator_tdp_w / 1000 > self.max_kw * eta + 1e-9 or \
                n * self.accelerator_idle_w / 1000 > self.idle_kw * eta + 1e-9:
            raise InputError("accelerator power exceeds the unit's DC power (max_kw or idle_kw x "
                             "psu_efficiency_frac)", field=f)

    @property
    def accelerators_per_rack(self) -> int:
        return self.accelerators_per_unit * self.units_per_rack


def _num(v, default=0.0):
    return default if v is None or (isinstance(v, float) and math.isnan(v)) or v == "" else float(v)


def _parse_addons(text, key) -> tuple:
    if text is None or (isinstance(text, float) and math.isnan(text)) or not str(text).strip():
        return ()
    out = []
    for part in str(text).split(";"):
        name, _, cnt = part.strip().partition("*")
        try:
            c = float(cnt) if cnt else 1.0
        except ValueError:
            raise InputError(f"bad rack_addons entry {part!r}; use key*count", field=f"hardware[{key!r}]") from None
        out.append((name.strip(), c))
    return tuple(out)


@functools.lru_cache(maxsize=4)
def _read_catalog(path: str) -> pd.DataFrame:
    """The hardware catalog at ``path`` as read, checked once per process
    (:func:`dcplan.catalog_checks.check_hardware`: a bad edit names its file, line, column and value)."""
    df = read_catalog(path, dtype={"key": str})
    check_hardware(df, path)
    return df


@functools.lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Hardware]:
    df = _read_catalog(path)
    out = {}
    for r in df.to_dict("records"):
        out[r["key"]] = Hardware(
            key=r["key"], name=str(r["name"]), kind=str(r["kind"]), max_kw=_num(r["max_kw"]),
            idle_kw=_num(r["idle_kw"]), accelerators_per_unit=int(_num(r["accelerators_per_unit"])),
            accelerator_tdp_w=_num(r["accelerator_tdp_w"]), accelerator_idle_w=_num(r["accelerator_idle_w"]),
            psu_efficiency_frac=_num(r["psu_efficiency_frac"], 1.0),
            units_per_rack=int(_num(r["units_per_rack"], 1.0)),
            cooling="" if pd.isna(r["cooling"]) else str(r["cooling"]),
            rack_addons=_parse_addons(r["rack_addons"], r["key"]),
            accelerator="" if pd.isna(r["accelerator"]) else str(r["accelerator"]))
    for hw in out.values():
        for k, c in hw.rack_addons:
            if k not in out or c < 0:
                raise InputError(f"rack_addons names {k!r} (count {c}); {unknown_key_message(k, out)}",
                                 file=path, field=f"hardware[{hw.key!r}]")
    return out


@functools.lru_cache(maxsize=1)
def _catalog_path() -> str:
    return str(data_path("hardware.csv"))


def catalog() -> pd.DataFrame:
    """The bundled hardware catalog ``data/hardware.csv`` as a DataFrame indexed by key (a copy;
    read and checked once per process)."""
    return _read_catalog(_catalog_path()).set_index("key").copy()


def hardware(key: str | Hardware) -> Hardware:
    """Look up a catalog unit by key (``'hgx-h100'``); a :class:`Hardware` passes through.

    Unknown keys raise :class:`~dcplan.errors.InputError` with a suggestion.
    """
    if isinstance(key, Hardware):
        return key
    cat = _load(_catalog_path())
    if key not in cat:
        raise InputError(unknown_key_message(key, cat), field="hardware")
    return cat[key]


#: The catalog unit dcplan's fallback kW per accelerator is read from where no fleet says its own (a job file's
#: accelerators, the scheduler's throttling penalty, the cooling-lag hall's GPU-hours): the 8-GPU HGX/DGX H100
#: server of ``data/hardware.csv``, 10.2 kW / 8 = 1.275 kW (DGX H100 user guide, via reference-data s.1).
REFERENCE_UNIT = "hgx-h100"


def unit_kw_per_accelerator(key: str | Hardware = REFERENCE_UNIT) -> float:
    """A catalog unit's maximum input (wall) power per accelerator, its ``data/hardware.csv`` row's
    ``max_kw / accelerators_per_unit`` (host, memory and NICs included; the rack's switches and storage,
    ``rack_addons``, not). Default :data:`REFERENCE_UNIT`. [kW]

    >>> round(unit_kw_per_accelerator("hgx-h100"), 3)
    1.275
    """
    hw = hardware(key)
    if hw.accelerators_per_unit <= 0:
        raise InputError(f"{hw.key!r} has no accelerators (accelerators_per_unit {hw.accelerators_per_unit}); "
                         "a kW per accelerator needs a unit that holds them", file="data/hardware.csv",
                         field=f"hardware[{hw.key!r}].accelerators_per_unit")
    return hw.max_kw / hw.accelerators_per_unit


def liquid_only_phases(fleet) -> list[int]:
    """Phases (indices) of a fleet (a Site or FleetSpec) whose units the catalog lists as
    liquid-cooled only (``cooling`` liquid in data/hardware.csv, e.g. the 120 kW GB200 NVL72
    rack) and that hold units: such a fleet cannot be air-cooled. Unknown keys are skipped
    (the fleet's own checks name them)."""
    fleet = getattr(fleet, "fleet", fleet)
    out = []
    for i, ph in enumerate(fleet.phases):
        try:
            hw = hardware(ph.hardware)
        except InputError:
            continue
        if ph.count > 0 and hw.cooling == "liquid":
            out.append(i)
    return out


def check_air_coolable(site) -> None:
    """Raise InputError when ``site`` is air-cooled but a phase's units are liquid-cooled only
    (:func:`liquid_only_phases`) or a phase's compute rack is at or above the 60 kW where liquid-cooled racks
    start (:func:`dcplan.rack_density.air_rack_errors`, the rule a data/hardware.csv row is refused by): the run
    would model air cooling a fleet it cannot cool."""
    if site.cooling.type != "air":
        return
    file = getattr(site, "source_file", "") or None
    liquid = liquid_only_phases(site)
    if liquid:
        i = liquid[0]
        key = site.fleet.phases[i].hardware
        raise InputError(liquid_on_air_message(key), file=file, field=f"fleet.phases[{i}].hardware")
    from .rack_density import air_rack_errors  # (it imports this module)
    for field, message in air_rack_errors(site)[:1]:
        raise InputError(message, file=file, field=field)


def liquid_on_air_message(key: str) -> str:
    """What is wrong with liquid-cooled-only unit ``key`` on an air-cooled site."""
    return (f"{key!r} is liquid-cooled (data/hardware.csv cooling: liquid, {hardware(key).max_kw:g} kW a unit) "
            "and cooling.type is 'air'; allowed: cooling.type liquid for this fleet")


# ------------------------------------------------------------------------ input handling
def _number(v, field: str, allowed: str, ok=None) -> float:
    """``v`` as a float when it is one real number -- a Python or numpy integer or float
    (``np.int64(500)`` was refused while ``np.float64(500)`` passed) -- for which ``ok``
    holds; a bool, text, None or a number ``ok`` refuses raises InputError "``field``: must
    be ``allowed``, got ``v``"."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real) or (ok is not None and not ok(float(v))):
        raise InputError(f"must be {allowed}, got {v!r}", field=field)
    return float(v)


def _finite_gt0(x: float) -> bool:
    return math.isfinite(x) and x > 0


def _finite_ge0(x: float) -> bool:
    return math.isfinite(x) and x >= 0


def _as_array(x, name: str):
    """(float ndarray, rebuild) for scalar / ndarray / Series input of numbers (integer or
    float dtypes; bools and text are refused). Ranges are the caller's (:func:`_check_range`)."""
    if isinstance(x, pd.Series):
        if x.dtype.kind not in "iuf":
            raise InputError(f"must hold numbers, got a Series of dtype {x.dtype}", field=name)
        arr = x.to_numpy(dtype=float)
        return arr, lambda v, n: pd.Series(v, index=x.index, name=n)
    if isinstance(x, (bool, np.bool_, str)):
        raise InputError(f"must be a number, array or Series, got {x!r}", field=name)
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):   # ragged nested lists
        arr = np.asarray(None)
    if arr.dtype.kind not in "iuf":
        raise InputError(f"must be a number, array or Series of numbers, got {x!r:.80}", field=name)
    arr = arr.astype(float)
    if arr.ndim == 0:
        return arr, lambda v, n: float(v)
    return arr, lambda v, n: v


def _check_range(arr, name, lo=0.0, hi=1.0):
    bad = ~np.isfinite(arr)
    if lo is not None:
        bad |= arr < lo
    if hi is not None:
        bad |= arr > hi
    if bad.any():
        i = int(np.argmax(bad.ravel()))
        allowed = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        v = arr.ravel()[i]
        # a fraction given as a percentage (80 for 0.8): say so
        hint = (f" (a fraction: {v:g} looks like a percentage; write {v / 100:g})"
                if (lo, hi) == (0.0, 1.0) and 1 < v <= 100 else "")
        raise InputError(f"value {v} (element {i}) outside {allowed}{hint}", field=name)


def _check_exponent(curve: str, r) -> None:
    """Exponent range that keeps ``f`` monotone with ``f(0) = 0``, ``f(1) = 1`` (power in [idle, max]).

    concave ``f = 2u - u^r``: ``f'(u) = 2 - r u^(r-1) >= 0`` on (0, 1] needs ``r >= 1``
    (else ``f' -> -inf`` at 0) and ``r <= 2`` (``f'(1) = 2 - r``); convex ``f = u^r``
    needs ``r > 0`` (``r = 0`` is max power at idle, ``r < 0`` is infinite at 0).
    """
    if curve == "linear":
        return
    x = _number(r, "curve_exponent", "a number")
    if curve == "concave" and not 1.0 <= x <= 2.0:
        raise InputError(f"concave curve 2u - u^r needs r in [1, 2] to stay monotone between idle "
                         f"and max power, got {r!r}", field="curve_exponent")
    if curve == "convex" and not (math.isfinite(x) and x > 0.0):
        raise InputError(f"convex curve u^r needs a finite r > 0 to stay monotone between idle and "
                         f"max power, got {r!r}", field="curve_exponent")


def _curve(u: np.ndarray, curve: str, r: float) -> np.ndarray:
    _check_exponent(curve, r)
    if curve == "linear":
        return u
    if curve == "concave":
        return 2.0 * u - u ** r
    if curve == "convex":
        return u ** r
    raise InputError(unknown_key_message(curve, CURVES), field="curve")


def unit_idle_kw(hw: Hardware, psu_efficiency_frac: float | None = None) -> float:
    """Wall power of one unit at zero utilisation [kW]: the catalog ``idle_kw`` (rated at the
    catalog PSU efficiency), rescaled when another PSU efficiency is given."""
    eta = hw.psu_efficiency_frac if psu_efficiency_frac is None else psu_efficiency_frac
    return hw.idle_kw * hw.psu_efficiency_frac / eta


def _check_psu(eta) -> None:
    """Refuse a PSU efficiency that is not a number in (0, 1] (None: the catalog's)."""
    if eta is not None:
        _number(eta, "psu_efficiency_frac", "a number in (0, 1]", lambda x: 0 < x <= 1)


def _check_caps(hw: Hardware, cap_w, cap_kw, psu_efficiency_frac: float | None = None):
    """Refuse a power cap that is not a positive number, or that is below what the unit draws
    idle: the accelerator's idle power (``cap_w_per_accelerator``, data/hardware.csv
    ``accelerator_idle_w``) or the unit's idle wall power (``cap_kw_per_unit``, data/hardware.csv
    ``idle_kw``). A cap cannot hold hardware below its idle draw: the model would report
    less power and energy than the hardware can draw when switched on."""
    if cap_w is not None:
        cap_w = _number(cap_w, "cap_w_per_accelerator", "a positive number [W]", _finite_gt0)
        if hw.accelerators_per_unit and cap_w < hw.accelerator_idle_w:
            raise InputError(f"{cap_w:g} W is below the accelerator idle power {hw.accelerator_idle_w:g} W "
                             f"of {hw.key!r} (data/hardware.csv accelerator_idle_w); allowed: a cap of at "
                             f"least {hw.accelerator_idle_w:g} W (its TDP is {hw.accelerator_tdp_w:g} W), "
                             "or no cap", field="cap_w_per_accelerator")
    if cap_kw is not None:
        cap_kw = _number(cap_kw, "cap_kw_per_unit", "a positive number [kW]", _finite_gt0)
        idle = unit_idle_kw(hw, psu_efficiency_frac)
        if cap_kw < idle * (1 - 1e-12):  # (a cap equal to idle, rescaled by the PSU, is allowed)
            at = ("" if psu_efficiency_frac is None or psu_efficiency_frac == hw.psu_efficiency_frac else
                  f"; {idle:.4g} kW at psu_efficiency_frac {psu_efficiency_frac:g}")
            raise InputError(f"{cap_kw:g} kW is below the idle power of one {hw.key!r} unit, "
                             f"{hw.idle_kw:g} kW (data/hardware.csv idle_kw{at}); allowed: a cap of at "
                             f"least {idle:.4g} kW (the unit draws {hw.max_kw:g} kW at full load), or no cap",
                             field="cap_kw_per_unit")


#: Largest ``cap_kw_per_unit`` :func:`unit_power_kw` takes, as a multiple of the unit's full-load
#: wall power. A cap at or above full load never binds; one 100 x above it is a slip, a cap in W typed
#: as kW (a real cap, between idle and full load, typed in W is 250 to 1,000 x the full-load kW
#: figure: idle is about a quarter of full load, data/hardware.csv). A dcplan plausibility bound.
MAX_UNIT_CAP_RATIO = 100.0


def _check_unit_cap_scale(hw: Hardware, cap_kw, psu_efficiency_frac=None) -> None:
    """InputError when ``cap_kw`` [kW] is above :data:`MAX_UNIT_CAP_RATIO` x one ``hw`` unit's
    full-load wall power: a cap in W typed as kW (10,000 for a 10 kW cap) that would pass silently,
    never binding. (A fleet's ``cap_kw_per_unit`` that never binds is warned instead,
    :func:`dcplan.power_fleet.fleet_unit_cap_notes`: one cap holds every unit type of a fleet.)"""
    if cap_kw is None:
        return
    full = float(_unit_kw_array(np.ones(1), hw, psu_efficiency_frac=psu_efficiency_frac)[0])
    if float(cap_kw) > MAX_UNIT_CAP_RATIO * full:
        raise InputError(f"{float(cap_kw):g} kW is {float(cap_kw) / full:,.0f} x the {full:.4g} kW full-load power of "
                         f"one {hw.key!r} unit (data/hardware.csv max_kw): a cap in W typed as kW? allowed: at most "
                         f"{MAX_UNIT_CAP_RATIO:g} x its full-load power ({MAX_UNIT_CAP_RATIO * full:,.4g} kW); a cap "
                         "at or above the full-load power never binds, so leave it out for no cap",
                         field="cap_kw_per_unit")


def _unit_kw_array(u: np.ndarray, hw: Hardware, curve="linear", curve_exponent=DEFAULT_CURVE_EXPONENT,
                   cap_w_per_accelerator=None, cap_kw_per_unit=None, psu_efficiency_frac=None):
    """Core of :func:`unit_power_kw` on a checked ndarray (no validation of ``u``)."""
    eta0 = hw.psu_efficiency_frac
    eta = eta0 if psu_efficiency_frac is None else psu_efficiency_frac
    f = _curve(u, curve, curve_exponent)
    n = hw.accelerators_per_unit
    acc_max, acc_idle = n * hw.accelerator_tdp_w / 1000.0, n * hw.accelerator_idle_w / 1000.0
    r_max, r_idle = hw.max_kw * eta0 - acc_max, hw.idle_kw * eta0 - acc_idle
    acc = acc_idle + (acc_max - acc_idle) * f
    if cap_w_per_accelerator is not None and n:
        acc = np.minimum(acc, n * cap_w_per_accelerator / 1000.0)
    p = (acc + r_idle + (r_max - r_idle) * f) / eta
    if cap_kw_per_unit is not None:
        p = np.minimum(p, cap_kw_per_unit)
    return p


def unit_power_kw(utilisation_frac, hardware_key: str | Hardware, *, curve: str = "linear",
                  curve_exponent: float = DEFAULT_CURVE_EXPONENT, cap_w_per_accelerator: float | None = None,
                  cap_kw_per_unit: float | None = None, psu_efficiency_frac: float | None = None):
    """Wall power of one catalog unit (server, rack or gear) at a utilisation.

    Parameters
    ----------
    utilisation_frac : float, numpy.ndarray or pandas.Series
        Accelerator (or CPU) utilisation, 0-1. [-]
    hardware_key : str or Hardware
        Catalog key, e.g. ``'hgx-h100'``.
    curve : {'linear', 'concave', 'convex'}
        Shape f(u) of the dynamic part (module docstring; concave after Fan et al. 2007).
    curve_exponent : float, default 1.4
        r in the concave/convex curves (Fan et al. 2007 fit); concave needs
        r in [1, 2], convex r > 0, so power stays monotone between idle and max.
    cap_w_per_accelerator : float, optional
        Accelerator power limit (e.g. ``nvidia-smi -pl``). [W]
    cap_kw_per_unit : float, optional
        Unit wall-power limit (BMC/node power capping), at least the unit's idle power and at most
        :data:`MAX_UNIT_CAP_RATIO` (100) x its full-load power (above: a cap in W typed as kW). [kW]
    psu_efficiency_frac : float, optional
        PSU efficiency; default the catalog's, so idle and full load equal the catalog values.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        ``unit_kw``, same kind as the input. [kW]

    Examples
    --------
    >>> round(unit_power_kw(0.7, 'hgx-h100'), 6)   # 2.6 + 0.7 * (10.2 - 2.6)
    7.92
    """
    hw = hardware(hardware_key)
    arr, back = _as_array(utilisation_frac, "utilisation_frac")
    _check_range(arr, "utilisation_frac")
    _check_psu(psu_efficiency_frac)
    _check_caps(hw, cap_w_per_accelerator, cap_kw_per_unit, psu_efficiency_frac)
    _check_unit_cap_scale(hw, cap_kw_per_unit, psu_efficiency_frac)
    if curve not in CURVES:
        raise InputError(unknown_key_message(curve, CURVES), field="curve")
    p = _unit_kw_array(arr, hw, curve, curve_exponent, cap_w_per_accelerator, cap_kw_per_unit,
                       psu_efficiency_frac)
    return back(p, "unit_kw")


def rack_addons(hardware_key: str | Hardware) -> dict[str, float]:
    """Per-rack network/storage/CDU gear of a unit type: ``{gear key: count}``."""
    return dict(hardware(hardware_key).rack_addons)


def _addons_kw_array(u: np.ndarray, hw: Hardware) -> np.ndarray:
    """Per-rack add-on power: each gear unit linear between its idle and max in ``u``."""
    p = np.zeros_like(u, dtype=float)
    for k, c in hw.rack_addons:
        g = hardware(k)
        p = p + c * (g.idle_kw + (g.max_kw - g.idle_kw) * u)
    return p


# --------------------------------------------------------------------------------- energy
def energy_from_power(power_kw, step_s: float | None = None):
    """Energy per interval [kWh] from interval-mean power [kW]: ``E = P * step / 3600``.

    The one place dcplan turns kW into kWh. A Series needs a tz-aware regular index
    (its step is read from it; a ``step_s`` given too must equal that step, else
    InputError); scalars and arrays need ``step_s`` [s]. The Series name ``x_kw``
    becomes ``x_kwh``.

    Examples
    --------
    >>> energy_from_power(100.0, 3600.0)
    100.0
    """
    if isinstance(power_kw, pd.Series):
        st = _step_s(power_kw, power_kw.name or "power_kw")
        if step_s is not None:  # never ignored: a step that contradicts the index is a mistake
            given = _number(step_s, "step_s", "a finite number > 0 [s]", _finite_gt0)
            if not math.isclose(given, st, rel_tol=1e-9):
                raise InputError(f"{given:g} s contradicts the Series' own step {st:g} s (from its index); "
                                 "allowed: the same step, or leave step_s out for a Series", field="step_s")
        problem = numeric_problem(power_kw)  # astype(float) would read "4" as 4 kW
        if problem:
            raise InputError(f"need numbers in kW, got {problem}; convert first, e.g. pd.to_numeric(x)",
                             field=power_kw.name or "power_kw")
        name = power_kw.name
        new = f"{name[:-3]}_kwh" if isinstance(name, str) and name.endswith("_kw") else "energy_kwh"
        return (power_kw.astype(float) * (st / 3600.0)).rename(new)
    step_s = _number(step_s, "step_s", "a finite number > 0 [s] for non-Series input", _finite_gt0)
    arr, back = _as_array(power_kw, "power_kw")
    return back(arr * (step_s / 3600.0), "energy_kwh")


# ------------------------------------------------------------------- companion modules
#: Names this module re-exports from :mod:`dcplan.power_fleet`, :mod:`dcplan.power_rack`, :mod:`dcplan.power_cap_bite`,
#: :mod:`dcplan.power_design`, :mod:`dcplan.power_steps`,
#: :mod:`dcplan.power_electrical` and :mod:`dcplan.power_tokens`, imported on first use (PEP 562 module ``__getattr__``). They
#: import from this module, so importing them at its end failed when one of them was imported
#: first (``import dcplan.power_fleet`` in a fresh process: a circular-import error).
_REEXPORTS = {**dict.fromkeys(("fleet_accelerators", "fleet_cap_notes", "fleet_design_it_kw", "fleet_is_air_cooled",
                               "fleet_it_kw", "fleet_it_kw_at", "fleet_table", "site_it_kw", "main_accelerator",
                               "default_cap_w", "fleet_unit_cap_notes"),
                              "power_fleet"),
              **dict.fromkeys(("fleet_peak_utilisation_frac", "cap_bite_utilisation_frac", "fleet_cap_bite_notes",
                               "unit_peak_utilisation", "cap_binding", "cap_binding_words"), "power_cap_bite"),
              **dict.fromkeys(("design_it_label", "cap_label"), "power_labels"),
              **dict.fromkeys(("electrical_design_it_kw", "cap_sizing_note", "design_kw_per_accelerator"),
                              "power_design"),
              "power_steps": "power_steps",
              **dict.fromkeys(("rack_power_kw", "rack_gear_power_kw"), "power_rack"),
              **dict.fromkeys(("ELECTRICAL_STAGES", "DEFAULT_CHAIN", "MAX_LOAD_FRAC", "stage_efficiency_frac",
                               "electrical_losses_kw"), "power_electrical"),
              **dict.fromkeys(("THROUGHPUT_EXAMPLES", "example_throughput", "own_throughput",
                               "borrowed_throughput",
                               "throughput_caveat", "fleet_tokens_per_s", "token_metrics"), "power_tokens")}


def __getattr__(name: str):
    mod = _REEXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__package__}.{mod}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_REEXPORTS))
