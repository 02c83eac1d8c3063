"""Checks of the bundled data catalogs, so a bad edit is refused where it is made.

One checker per catalog of ``data/``, each taking the table as read (a DataFrame) and its path,
and raising :class:`CatalogError` (an :class:`~dcplan.errors.InputError`) that lists **every**
problem, each naming the file, the line and row key, the column, the value and what is allowed:

==============================  ============================  ==================================
catalog                         checker                       read by
==============================  ============================  ==================================
``costs.csv``                   :func:`check_costs`           ``dcplan.tco_input_types``
``hardware.csv``                :func:`check_hardware`        :mod:`dcplan.power`
``cooling_defaults.csv``        :func:`check_cooling`         :mod:`dcplan.thermal_plant_params`
``interconnection.csv``         :func:`check_interconnection` :mod:`dcplan.grid_lead_time`
``equipment_lead_times.csv``    :func:`check_equipment`       :mod:`dcplan.grid_lead_time`
==============================  ============================  ==================================

The rules (``data/SOURCES.md``, "Adding or editing a row"): the columns of the header are all
there; row keys are unique and not blank; numbers are numbers (a unit or a decimal comma in a cell
is refused) and finite; a cell is blank only where its catalog says it may be; a ``unit`` is the
unit the code reads the key in (:data:`COST_UNITS`; :func:`cooling_unit`, from the key's suffix);
``low <= value <= high`` (a row without a range writes ``low = high = value``: a blank range is
refused, so an input is never left out of the tornado and Monte Carlo silently); every key the
code reads has a row and no row has a key the code does not read; ``source``, ``vintage`` and
``status`` are given, ``status`` in :data:`STATUS_WORDS`; hardware ``cooling`` is exactly ``air``
or ``liquid``, ``max_kw`` is in kW (at least the accelerators' power at the wall and at most
:data:`MAX_KW_PER_ACCELERATOR_WALL_KW` times it; without accelerators at most
:data:`MAX_KW_NO_ACCELERATORS`) and ``idle_kw <= max_kw``. A figure the model takes but whose size
reads as another unit (11700 USD/MW: the USD/kW figure) is outside its plausibility band
(:mod:`dcplan.catalog_bands`, one table with each band's reason) and refused, naming the slip.

:func:`read_catalog` reads a catalog so that a row with too many cells (a comma inside a value,
a decimal comma) names the file and line (:mod:`dcplan.catalog_table`: the reading and the collecting of
problems that every checker shares, re-exported here). :func:`check_all` checks every catalog of a data folder
(for ``dcplan validate``), :func:`check_example_series` its example system-load series; :func:`catalog_name`
tells a catalog from its header and :func:`catalog_problems` / :func:`check_file` check one file.
"""
from __future__ import annotations

import csv
import math
import re
import warnings
from pathlib import Path

import pandas as pd

from .catalog_bands import (BANDS, COST_UNITS, MAX_KW_NO_ACCELERATORS, MAX_KW_PER_ACCELERATOR_WALL_KW, air_rack_problem,
                            cooling_unit)
# reading a catalog and collecting its problems (re-exported: dcplan.equipment_checks, power, grid_lead_time,
# thermal_plant_params, tco_input_types and tests import them here)
from .catalog_table import (_SOURCES, _TEXT_ALLOWED, STATUS_WORDS, CatalogError, _band, _blank,  # noqa: F401
                            _data_rows, _g, _show, _Table, _width_problem, read_catalog)
from .errors import DcplanWarning, InputError

__all__ = ["CatalogError", "read_catalog", "check_costs", "check_hardware", "check_cooling", "check_interconnection",
           "check_equipment", "check_all", "check_example_series", "EXAMPLE_SERIES", "check_file",
           "catalog_warnings", "catalog_problems", "hardware_warnings", "catalog_name", "cooling_unit", "CATALOGS",
           "COST_UNITS", "STATUS_WORDS", "HARDWARE_KINDS", "MAX_KW_PER_ACCELERATOR_WALL_KW",
           "MAX_KW_NO_ACCELERATORS"]

#: Figure names a hardware.csv ``status`` may use besides :data:`STATUS_WORDS`, one status per figure
#: ("max secondary; idle estimate").
_HW_STATUS_EXTRA = ("max", "idle")

#: ``kind`` of a hardware.csv row (data/hardware.md); a fleet counts ``server`` and ``rack`` rows.
HARDWARE_KINDS = ("accelerator", "server", "rack", "network", "storage", "cdu")


def _ratio(r: float) -> str:
    return f"{r:,.0f}" if r >= 10 else f"{r:.3g}"


# ----------------------------------------------------------------------------- costs.csv
_COST_COLUMNS = ("key", "value", "low", "high", "unit", "description", "source", "vintage", "status")


def check_costs(df: pd.DataFrame, path) -> None:
    """Check ``data/costs.csv`` as read (``pandas.read_csv(path, comment="#")``, not yet indexed);
    raise :class:`CatalogError` listing every problem. Each key of :data:`COST_UNITS` has exactly one
    row and no other key does; value, low and high are finite numbers with ``low <= value <= high``
    (``low = high = value``: no range, the input is held in the tornado and Monte Carlo) and within
    the range ``dcplan.tco.TcoInputs`` allows the key and inside its band (:mod:`dcplan.catalog_bands`);
    ``unit`` is :data:`COST_UNITS`' unit;
    description, source, vintage non-empty and status one of :data:`STATUS_WORDS`; the optional
    ``range_status`` (the status of low/high) blank or one of :data:`STATUS_WORDS`."""
    from .tco_input_types import _BOUNDS, _NONNEG  # the model's allowed ranges (imported here: it reads costs.csv)
    t = _Table(df, path, "key", _COST_COLUMNS)
    keys = t.keys(COST_UNITS, "the cost inputs of dcplan.tco.TcoInputs (data/costs.md)")
    for i, k in enumerate(keys):
        unit = COST_UNITS.get(k) if k else None
        got = t.text(i, "unit")
        if unit and got is not None and got != unit:
            t.add(i, "unit", f"{got!r} is not the unit the model reads {k} in; allowed: {unit!r} (convert the "
                             f"figures to {unit}, do not relabel them)")
        u = unit or got or "the row's unit"
        vals = [t.number(i, c, u, blank="a blank is refused; a row without a range writes low = high = value")
                for c in ("low", "value", "high")]
        t.ordered(i, ("low", "value", "high"), vals, u)
        if k in COST_UNITS:
            lo, lo_in, hi, hi_in, what = _BOUNDS.get(k, (0.0, True, math.inf, True, _NONNEG))
            inside = []
            for c, v in zip(("low", "value", "high"), vals):
                if v is not None and not (v >= lo if lo_in else v > lo):  # (what may speak of larger figures only)
                    t.add(i, c, f"{_g(v)} is below what the model allows for {k}, {'at least' if lo_in else 'above'} "
                                f"{_g(lo)}; allowed: {re.sub(r'; a larger figure is a slip[^)]*', '', what)}")
                elif v is not None and not (v <= hi if hi_in else v < hi):
                    t.add(i, c, f"{_g(v)} is outside what the model allows for {k}; allowed: {what}")
                else:
                    inside.append((c, v))
            if got == unit:  # (a wrong unit label is its own problem: convert first)
                _band(t, i, "costs.csv", k, inside, unit)
        t.text(i, "description")
        t.provenance(i)
        # the optional range_status: the status of low/high where it is not the value's (blank: the row's status)
        rs = t.cell(i, "range_status") if "range_status" in df.columns else None
        if not _blank(rs) and str(rs).strip() not in STATUS_WORDS:
            t.add(i, "range_status", f"{_show(rs)} is not a status word; allowed: {', '.join(STATUS_WORDS)}, or blank "
                                     "(= the row's status)")
    t.fail()


# -------------------------------------------------------------------------- hardware.csv
_HW_COLUMNS = ("key", "name", "kind", "vendor", "accelerator", "accelerators_per_unit", "accelerator_tdp_w",
               "accelerator_idle_w", "max_kw", "idle_kw", "psu_efficiency_frac", "units_per_rack", "cooling",
               "rack_addons", "vintage", "status", "source", "notes")
_ADDON_KINDS = ("network", "storage", "cdu")


def check_hardware(df: pd.DataFrame, path) -> None:
    """Check ``data/hardware.csv`` as read; raise :class:`CatalogError` listing every problem
    (module docstring; ``data/hardware.md``): unique keys; ``kind`` in :data:`HARDWARE_KINDS`;
    ``cooling`` exactly ``air`` or ``liquid`` (blank only on an accelerator row); a unit holding
    accelerators names an ``accelerator`` row with the same TDP and idle, and its ``max_kw`` is at
    least the accelerators at the wall (count x TDP / PSU efficiency) and at most
    :data:`MAX_KW_PER_ACCELERATOR_WALL_KW` x that (a figure in W caught); ``0 <= idle_kw <= max_kw``;
    ``rack_addons`` name network/storage/cdu rows; TDP, idle and ``units_per_rack`` inside their bands
    (:mod:`dcplan.catalog_bands`); no air-cooled server or rack whose full rack is at or above 60 kW, where
    liquid-cooled racks start (:func:`~dcplan.catalog_bands.air_rack_problem`; above 40.8 kW a warning,
    :func:`hardware_warnings`)."""
    t = _Table(df, path, "key", _HW_COLUMNS)
    keys = t.keys()
    kinds = {k: str(r.get("kind")).strip() for k, r in zip(keys, t.records) if k}
    rows = {k: r for k, r in zip(keys, t.records) if k}
    for i, k in enumerate(keys):
        first = len(t.problems)
        kind = t.text(i, "kind")
        if kind is not None and kind not in HARDWARE_KINDS:
            t.add(i, "kind", f"{kind!r}; allowed: {', '.join(HARDWARE_KINDS)}")
        t.text(i, "name")
        t.text(i, "vendor")
        cooling = t.text(i, "cooling", required=kind != "accelerator")
        if cooling is not None and cooling not in ("air", "liquid"):
            t.add(i, "cooling", f"{cooling!r}; allowed: air or liquid, lower case (blank only on an accelerator row; "
                                "anything else would make a site's default plant liquid)")
        n = t.number(i, "accelerators_per_unit", "count (0 for a unit without accelerators)")
        if n is not None and (n < 0 or not float(n).is_integer()):
            t.add(i, "accelerators_per_unit", f"{n:g}; allowed: a whole number >= 0")
            n = None
        has = bool(n)
        tdp = t.number(i, "accelerator_tdp_w", "W", required=has, blank="blank only where accelerators_per_unit is 0")
        idle_w = t.number(i, "accelerator_idle_w", "W", required=has, blank="blank only where accelerators_per_unit is 0")
        acc = t.text(i, "accelerator", required=has)
        if has and acc is not None:
            if kinds.get(acc) != "accelerator":
                t.add(i, "accelerator", f"{acc!r} is not an accelerator row of this file; allowed: "
                                        + ", ".join(sorted(a for a, v in kinds.items() if v == "accelerator")))
            else:
                for col, v in (("accelerator_tdp_w", tdp), ("accelerator_idle_w", idle_w)):
                    ref = pd.to_numeric(pd.Series([rows[acc].get(col)]), errors="coerce").iloc[0]
                    if v is not None and acc != k and not pd.isna(ref) and float(ref) != v:
                        t.add(i, col, f"{v:g} W differs from the {acc!r} row's {float(ref):g} W; allowed: the "
                                      "accelerator row's figure (edit both together)")
        if tdp is not None and idle_w is not None:
            t.ordered(i, ("accelerator_idle_w", "accelerator_tdp_w"), [idle_w, tdp], "W")
        for col, v in (("accelerator_tdp_w", tdp), ("accelerator_idle_w", idle_w)):
            _band(t, i, "hardware.csv", col, [(col, v)], "W")
        psu = t.number(i, "psu_efficiency_frac", "frac (0-1]")
        if psu is not None and not 0 < psu <= 1:
            t.add(i, "psu_efficiency_frac", f"{psu:g}; allowed: a fraction in (0, 1] (0.96, not 96)")
            psu = None
        mx = t.number(i, "max_kw", "kW")
        idle = t.number(i, "idle_kw", "kW")
        if mx is not None and mx <= 0:
            t.add(i, "max_kw", f"{mx:g}; allowed: a power > 0 kW")
        if idle is not None and idle < 0:
            t.add(i, "idle_kw", f"{idle:g}; allowed: a power >= 0 kW")
        if mx is not None and idle is not None:
            t.ordered(i, ("idle_kw", "max_kw"), [idle, mx], "kW")
        if mx is not None and mx > 0 and n is not None and psu is not None:
            if has and tdp:
                wall = n * tdp / 1000.0 / psu
                hi = MAX_KW_PER_ACCELERATOR_WALL_KW * wall
                calc = f"{n:g} x {tdp:g} W / {psu:g}"
                if mx < wall * (1 - 1e-9) or mx > hi:
                    slip = " (a figure in W? max_kw is in kW)" if mx > hi else ""
                    t.add(i, "max_kw", f"{mx:g} kW is {_ratio(mx / wall)} x the accelerators' wall power {wall:.4g} kW "
                                       f"({calc}){slip}; allowed: {wall:.4g} to {hi:.4g} kW (at most "
                                       f"{MAX_KW_PER_ACCELERATOR_WALL_KW:g} x; dcplan.catalog_checks)")
                if idle is not None and idle_w is not None and idle < n * idle_w / 1000.0 / psu * (1 - 1e-9):
                    t.add(i, "idle_kw", f"{idle:g} kW is below the accelerators' idle at the wall "
                                        f"{n * idle_w / 1000.0 / psu:.4g} kW ({n:g} x {idle_w:g} W / {psu:g}); allowed: "
                                        "at least that")
            elif not has and mx > MAX_KW_NO_ACCELERATORS:
                t.add(i, "max_kw", f"{mx:g} kW for a unit without accelerators (a figure in W? max_kw is in kW); "
                                   f"allowed: at most {MAX_KW_NO_ACCELERATORS:g} kW (dcplan.catalog_checks)")
        per_rack = t.number(i, "units_per_rack", "count", required=kind in ("server", "rack"),
                            blank="blank only on accelerator, network, storage and cdu rows")
        if per_rack is not None and (per_rack < 1 or not float(per_rack).is_integer()):
            t.add(i, "units_per_rack", f"{per_rack:g}; allowed: a whole number >= 1")
        elif per_rack is not None:
            _band(t, i, "hardware.csv", "units_per_rack", [("units_per_rack", per_rack)], "per rack")
            # (a count outside its band, a max_kw in W or a bad cooling is its own problem: a slip)
            own = any(w.endswith((", max_kw", ", units_per_rack", ", cooling")) for w, _ in t.problems[first:])
            got = None if own else air_rack_problem(kind, cooling, per_rack, mx)
            if got is not None and got[0] == "error":
                t.add(i, "cooling" if per_rack == 1 else "units_per_rack", got[1])
        addons = t.text(i, "rack_addons", required=False)
        for part in (addons.split(";") if addons else []):
            name, _, cnt = part.strip().partition("*")
            try:
                c = float(cnt) if cnt.strip() else 1.0
            except ValueError:
                c = None
            if c is None or not math.isfinite(c) or c < 0 or kinds.get(name.strip()) not in _ADDON_KINDS:
                t.add(i, "rack_addons", f"{part.strip()!r}; allowed: key*count with a count >= 0 and a key of a "
                                        f"network, storage or cdu row ("
                                        + ", ".join(sorted(a for a, v in kinds.items() if v in _ADDON_KINDS)) + ")")
        t.provenance(i, _HW_STATUS_EXTRA)
    t.fail()


def hardware_warnings(df: pd.DataFrame, path) -> list[tuple[str, str]]:
    """``(where, message)`` of each air-cooled row of a passing ``hardware.csv`` whose full rack is above 40.8 kW
    (:func:`~dcplan.catalog_bands.air_rack_problem`; the bundled hgx-b200, 57.2 kW: a site sets its own
    ``fleet.phases[i].units_per_rack``), which ``dcplan validate hardware.csv`` warns (:func:`catalog_problems`)."""
    t = _Table(df, path, "key", _HW_COLUMNS)
    for i, r in enumerate(t.records):
        got = air_rack_problem(r.get("kind"), r.get("cooling"), r.get("units_per_rack"), r.get("max_kw"))
        if got is not None and got[0] == "warning":
            t.add(i, "units_per_rack", got[1])
    return t.problems


# ------------------------------------------------------------------ cooling_defaults.csv
_COOL_COLUMNS = ("key", "value", "unit", "description", "source", "vintage", "status")


def check_cooling(df: pd.DataFrame, path) -> None:
    """Check ``data/cooling_defaults.csv`` as read; raise :class:`CatalogError` listing every problem:
    one row per key the plant model reads (``dcplan.thermal_plant_params._OVERRIDE_BOUNDS``) and no
    other; ``unit`` :func:`cooling_unit` of the key; ``value`` a number inside the key's allowed range
    (the one an override must meet) and its band (:mod:`dcplan.catalog_bands`), blank only on the rows
    of ``_BLANK_MEANS``."""
    from .thermal_plant_params import _BLANK_MEANS, _OVERRIDE_BOUNDS, _OVERRIDE_NOTES, _range_text
    t = _Table(df, path, "key", _COOL_COLUMNS)
    keys = t.keys(_OVERRIDE_BOUNDS, "the cooling-plant parameters of dcplan.thermal_plant_params "
                                    "(data/cooling_defaults.md)")
    for i, k in enumerate(keys):
        unit = cooling_unit(k) if k in _OVERRIDE_BOUNDS else None
        got = t.text(i, "unit")
        if unit and got is not None and got != unit:
            t.add(i, "unit", f"{got!r} is not the unit the plant model reads {k} in; allowed: {unit!r} (convert "
                             "the figure, do not relabel it)")
        blank = "blank only on " + ", ".join(f"{a} ({b})" for a, b in _BLANK_MEANS.items())
        v = t.number(i, "value", unit or got or "the row's unit", required=k not in _BLANK_MEANS, blank=blank)
        if v is not None and k in _OVERRIDE_BOUNDS:
            lo, hi, lo_in, hi_in = _OVERRIDE_BOUNDS[k]
            if not ((v >= lo if lo_in else v > lo) and (v <= hi if hi_in else v < hi)):
                note = f" ({_OVERRIDE_NOTES[k]})" if k in _OVERRIDE_NOTES else ""
                t.add(i, "value", f"{_g(v)} {unit} is outside the allowed range; allowed: "
                                  f"{_range_text(lo, hi, lo_in, hi_in)} {unit}{note}")
            elif got == unit:
                _band(t, i, "cooling_defaults.csv", k, [("value", v)], unit)
        t.text(i, "description")
        t.provenance(i)
    t.fail()


# ------------------------------------------------------ interconnection.csv, equipment
_IC_COLUMNS = ("region", "name", "country", "iso", "utility", "median_months", "p10_months", "p90_months", "basis",
               "source", "vintage", "status")
_EQ_COLUMNS = ("item", "low_weeks", "median_weeks", "high_weeks", "notes", "source", "vintage", "status")


def check_interconnection(df: pd.DataFrame, path) -> None:
    """Check ``data/interconnection.csv`` as read; raise :class:`CatalogError` listing every problem:
    unique regions; ``0 < p10_months <= median_months <= p90_months <= 240`` (as a site's own
    ``time_to_power``) and inside the band of :mod:`dcplan.catalog_bands` (years typed as months); name,
    country, basis, source, vintage, status given (iso, utility may be blank)."""
    from .specs.interconnection import TIME_TO_POWER_MAX_MONTHS as top
    t = _Table(df, path, "region", _IC_COLUMNS)
    t.keys()
    cols = ("p10_months", "median_months", "p90_months")
    for i in range(len(t.records)):
        vals = [t.number(i, c, "months") for c in cols]
        for c, v in zip(cols, vals):
            if v is not None and not 0 < v <= top:
                t.add(i, c, f"{v:g} months; allowed: > 0 and <= {top:g} months")
        t.ordered(i, cols, vals, "months")
        _band(t, i, "interconnection.csv", "*", [(c, v) for c, v in zip(cols, vals) if v is not None and 0 < v <= top],
              "months", "a wait for power")
        for c in ("name", "country", "basis"):
            t.text(i, c)
        t.provenance(i)
        if "source_load_mw" in df.columns or "source_load_basis" in df.columns:
            _source_load(t, i)
    t.fail()


#: ``data/interconnection.csv`` ``source_load_basis`` words: what the row's ``source_load_mw`` is.
SOURCE_LOAD_BASES = ("minimum", "average")


def _source_load(t, i: int) -> None:
    """``source_load_mw`` (the size of load a row's source describes) blank, or > 0 MW with ``source_load_basis``
    one of :data:`SOURCE_LOAD_BASES`; both blank or both given."""
    mw = t.number(i, "source_load_mw", "MW", required=False) if "source_load_mw" in t.df.columns else None
    basis = t.text(i, "source_load_basis", required=False) if "source_load_basis" in t.df.columns else None
    if mw is not None and not mw > 0:
        t.add(i, "source_load_mw", f"{mw:g} MW; allowed: blank, or the load size the row's source describes, > 0 MW")
    if (mw is None) != (basis is None):
        t.add(i, "source_load_basis" if basis is None else "source_load_mw",
              "one of source_load_mw / source_load_basis is blank; allowed: both blank (the source gives no load "
              f"size), or both given ({' or '.join(SOURCE_LOAD_BASES)} for the basis)")
    elif basis is not None and basis not in SOURCE_LOAD_BASES:
        t.add(i, "source_load_basis", f"{basis!r}; allowed: {', '.join(SOURCE_LOAD_BASES)} (a threshold the source "
                                      "names, or its MW per request)")


def check_equipment(df: pd.DataFrame, path) -> None:
    """Check ``data/equipment_lead_times.csv`` as read; raise :class:`CatalogError` listing every
    problem: unique items; ``0 < low_weeks <= median_weeks <= high_weeks`` (numbers of weeks, no
    unit in the cell) and inside the item's band (:mod:`dcplan.catalog_bands`: months typed as weeks);
    source, vintage, status given (notes may be blank)."""
    t = _Table(df, path, "item", _EQ_COLUMNS)
    keys = t.keys()
    cols = ("low_weeks", "median_weeks", "high_weeks")
    for i, k in enumerate(keys):
        vals = [t.number(i, c, "weeks") for c in cols]
        for c, v in zip(cols, vals):
            if v is not None and not v > 0:
                t.add(i, c, f"{v:g} weeks; allowed: > 0 weeks")
        t.ordered(i, cols, vals, "weeks")
        _band(t, i, "equipment_lead_times.csv", k or "*",
              [(c, v) for c, v in zip(cols, vals) if v is not None and v > 0], "weeks",
              f"{k} lead times" if k in BANDS["equipment_lead_times.csv"] else "a lead time")
        t.provenance(i)
    t.fail()
    # a row typed in days whose item's band is wide enough to hold it (generators: "up to 110 weeks"),
    # and a reported_max_weeks not above its p90 (dcplan.equipment_checks); lazy: it imports this module
    from .equipment_checks import check_equipment_more
    check_equipment_more(df, path)


# ----------------------------------------------------------------------- all catalogs
#: Each catalog file: its checker and the columns that tell it from its header.
CATALOGS = {"costs.csv": (check_costs, _COST_COLUMNS), "hardware.csv": (check_hardware, _HW_COLUMNS),
            "cooling_defaults.csv": (check_cooling, _COOL_COLUMNS),
            "interconnection.csv": (check_interconnection, _IC_COLUMNS),
            "equipment_lead_times.csv": (check_equipment, _EQ_COLUMNS)}
_READ_KW = {"hardware.csv": {"dtype": {"key": str}},
            "cooling_defaults.csv": {"dtype": str, "keep_default_na": False}}


def catalog_name(path) -> str | None:
    """Which catalog of :data:`CATALOGS` a CSV is, from its header: the one its file name names
    when the header has that catalog's key column (``key``, ``region``, ``item``: so a copy
    missing a column is still checked as what it is), else the one whose columns the header has
    (a copy under another name); None for any other file (a meter load, a jobs table)."""
    path = Path(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            head = next((r for r in csv.reader(fh) if r and not r[0].lstrip().startswith("#")), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    cols = {c.strip() for c in head}
    if path.name in CATALOGS and CATALOGS[path.name][1][0] in cols:
        return path.name
    for name, (_, need) in sorted(CATALOGS.items(), key=lambda kv: -len(kv[1][1])):
        if set(need) <= cols:
            return name
    return None


def catalog_problems(path, name: str | None = None, *, warn: bool = True) -> list[tuple[str, str]]:
    """Every problem of one catalog file as ``(where, message)`` pairs (empty: fine); ``where``
    names the line, row key and column ("" for a file that cannot be read). ``name``: which
    catalog (default :func:`catalog_name`). With ``warn``, a hardware catalog without problems has its
    :func:`hardware_warnings` issued as :class:`~dcplan.errors.DcplanWarning` (``dcplan validate hardware.csv``);
    :func:`check_file` and :func:`check_all` (the catalogs a site's runs read) do not warn: ``dcplan validate SITE`` says
    those catalogs' warnings in its catalog summary line (:func:`catalog_warnings`)."""
    name = name or catalog_name(path)
    if name not in CATALOGS:
        return [("", f"not a dcplan catalog; allowed: a CSV with the header of one of {', '.join(CATALOGS)}")]
    try:
        df = read_catalog(path, **_READ_KW.get(name, {}))
        CATALOGS[name][0](df, str(path))
    except CatalogError as e:
        return list(e.problems)
    except InputError as e:
        return [(e.field or "", e.detail)]
    for where, msg in hardware_warnings(df, str(path)) if warn and name == "hardware.csv" else []:
        warnings.warn(f"{path}: {where}: {msg}", DcplanWarning, stacklevel=2)
    return []


def check_file(path, name: str | None = None) -> list[str]:
    """:func:`catalog_problems` as ``file: where: message`` lines."""
    return [f"{path}: {w + ': ' if w else ''}{m}" for w, m in catalog_problems(path, name, warn=False)]


def catalog_warnings(data_dir=None) -> list[str]:
    """What ``dcplan validate`` warns for each catalog of ``data_dir`` (default: the bundled data folder) given as a
    file (:func:`hardware_warnings` of a hardware.csv that passes), as ``file: where: message`` lines, not issued:
    the catalog summary of ``dcplan validate SITE`` says them (the bundled hgx-b200 row, 57.2 kW air-cooled)."""
    from .paths import data_dir as _bundled
    p = (Path(data_dir) if data_dir is not None else _bundled()) / "hardware.csv"
    if not p.is_file() or catalog_problems(p, "hardware.csv", warn=False):
        return []
    return [f"{p}: {w}: {m}" for w, m in hardware_warnings(read_catalog(p, **_READ_KW["hardware.csv"]), str(p))]


#: The bundled example series a site's runs read besides the catalogs: the interconnection notebook's system load
#: when it is given no ``system_load_csv`` (:func:`dcplan.grid_headroom.example_system_load`). Read only from the
#: bundled ``data/`` too (:data:`dcplan.catalog_copy.CATALOG_FILES`), so ``dcplan validate SITE`` checks it
#: (:func:`check_example_series`) as it checks the catalogs.
EXAMPLE_SERIES = ("system_load_example.csv",)


def check_example_series(data_dir=None) -> list[str]:
    """Every problem of the example series (:data:`EXAMPLE_SERIES`) of ``data_dir`` (default: the bundled data
    folder), read as ``dcplan validate FILE`` reads a system-load CSV
    (:func:`dcplan.grid_headroom.read_system_load_csv`), as ``file: field: message`` lines; empty when it reads.
    ``dcplan validate`` of a site or portfolio left it out while it said the catalogs were checked: an edit of
    ``data/system_load_example.csv`` that cannot be read passed, and the interconnection run failed in a cell."""
    from .grid_headroom import read_system_load_csv
    from .paths import data_dir as _bundled
    folder = Path(data_dir) if data_dir is not None else _bundled()
    out = []
    for name in EXAMPLE_SERIES:
        p = folder / name
        if not p.is_file():
            out.append(f"{p}: file not found")
            continue
        try:
            read_system_load_csv(p)
        except InputError as e:
            out.append(f"{p}: {e.field + ': ' if e.field else ''}{e.detail}")
    return out


def check_all(data_dir=None) -> list[str]:
    """Every problem of the catalogs of ``data_dir`` (default: the bundled data folder), as
    ``file: where: message`` lines; empty when all pass. For ``dcplan validate``."""
    from .paths import data_dir as _bundled
    folder = Path(data_dir) if data_dir is not None else _bundled()
    out = []
    for name in CATALOGS:
        p = folder / name
        out += check_file(p, name) if p.is_file() else [f"{p}: file not found"]
    return out
