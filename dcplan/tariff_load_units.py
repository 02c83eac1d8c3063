"""The unit of a ``dcplan bill`` load column, read from its name, and the conversion to kW.

Split from :mod:`dcplan.cli_bill` (which re-exports these names); see its docstring for
the units accepted: kW and MW (power), kWh and MWh per interval (energy); other unit
words (W, GW, Wh, GWh, kVA, ...) are refused, a name without a unit is read as kW.
"""
from __future__ import annotations

from .errors import InputError

# (no pandas at import: dcplan.cli_bill imports this module when any dcplan command starts)

#: Units of the load column, read from its name (:func:`dcplan.grid_headroom.name_unit`):
#: unit word -> (label, factor to kW or to kWh, energy per interval?). [kW or kWh per unit]
LOAD_UNITS = {"kw": ("kW", 1.0, False), "mw": ("MW", 1000.0, False),
              "kwh": ("kWh", 1.0, True), "mwh": ("MWh", 1000.0, True)}
_ALLOWED_UNITS = ("kW or MW (power, e.g. load_kw, demand_mw) or kWh or MWh (energy per interval, "
                  "e.g. energy_kwh); a name without a unit (e.g. load) is read as kW")


#: Spelled-out unit words and their symbols (``megawatts`` -> ``mw``); a power word followed
#: by ``hour``/``hours`` is the energy unit (``kilowatt_hours`` -> ``kwh``).
_SPELLED = {"watt": "w", "watts": "w", "kilowatt": "kw", "kilowatts": "kw", "megawatt": "mw",
            "megawatts": "mw", "gigawatt": "gw", "gigawatts": "gw"}


def name_units(name: str) -> list:
    """The unit words of a column name, lower case, in order (no repeats).

    As :func:`dcplan.grid_headroom.name_unit` (words split at every character that is not a
    letter or digit, kept when in its ``UNIT_WORDS``), after two normalisations: a unit
    symbol, separator and ``h`` is one energy unit (``kW-h``, ``kW.h``, ``kW·h`` -> ``kwh``),
    and spelled-out units are their symbols (``megawatts`` -> ``mw``, ``power_watts`` -> ``w``,
    ``kilowatt_hours`` / ``kilowatthours`` -> ``kwh``).
    """
    import re
    from .grid_headroom import UNIT_WORDS
    low = re.sub(r"(?<![a-z0-9])([kmg]?w)\s*[-.\u00b7*]\s*h(?![a-z0-9])", r"\1h", str(name).lower())
    low = re.sub(r"((?:kilo|mega|giga)?watts?)[\s_-]*hours?(?![a-z0-9])", r"\1hour", low)
    words = []
    for w in re.split(r"[^a-z0-9]+", low):
        base = w[:-4] if w.endswith("hour") else w
        if base in _SPELLED:
            w = _SPELLED[base] + ("h" if w.endswith("hour") else "")
        if w in UNIT_WORDS and w not in words:
            words.append(w)
    return words


def load_column_unit(column, path: str | None = None) -> str | None:
    """The unit word (a key of :data:`LOAD_UNITS`) of a load column's name (:func:`name_units`),
    or None when the name has no unit (read as kW); another unit word, or two, is an error
    naming the column."""
    found = name_units(str(column))
    if len(found) > 1:
        raise InputError(f"column {str(column)!r} names more than one unit ({', '.join(found)}); name one; "
                         f"allowed: {_ALLOWED_UNITS}", file=path, field=str(column))
    unit = found[0] if found else None
    if unit is not None and unit not in LOAD_UNITS:
        raise InputError(f"column {str(column)!r} has unit {unit!r} in its name, which dcplan bill does not "
                         f"read; allowed: {_ALLOWED_UNITS}", file=path, field=str(column))
    return unit


def _to_kw(load: pd.Series, unit: str | None, path: str, column: str) -> pd.Series:
    """``load`` in kW: MW x 1000; energy per interval (kWh, MWh) over the interval length."""
    if unit is None or unit == "kw":
        return load
    label, factor, energy = LOAD_UNITS[unit]
    out = (load * factor).rename("load_kw")
    if energy:
        from ._ts import irregularity
        if len(load) < 2:
            raise InputError(f"one row: cannot tell the interval length that turns {label} per interval "
                             "into kW", file=path, field=column)
        irr = irregularity(load.index)
        if irr:
            raise InputError(f"column {column!r} holds energy per interval ({label}), which needs a regular "
                             f"step to become kW: {irr}; fill the file's gaps, or give power (kW) and "
                             "--fill interpolate", file=path, field=column)
        out = out / ((load.index[1] - load.index[0]).total_seconds() / 3600.0)
    return out


def _name_unit_problem(name) -> str | None:
    """Why a load named ``name`` is not in kW (a unit word other than kW, or several), else None."""
    units = name_units(str(name))
    if not units or units == ["kw"]:
        return None
    if len(units) > 1:
        return f"names more than one unit ({', '.join(units)}); bill() takes kW: name it in kW, e.g. load_kw"
    u = units[0]
    how = (f"multiply by {LOAD_UNITS[u][1]:g} for kW" if u in LOAD_UNITS and not LOAD_UNITS[u][2]
           else "convert it to kW of mean power per step" if u in ("kwh", "mwh")
           else "convert it to kW")
    return f"a load in {u}; bill() takes kW: {how} (and name it in kW, e.g. load_kw, or leave it unnamed)"


def check_series_unit(load_kw) -> None:
    """Refuse a Series whose name, or a DataFrame whose column names, give a unit other than kW
    (``demand_mw``, ``load_gw``, ``energy_kwh``): :meth:`Tariff.bill` takes kW and a load in MW billed
    as kW is 1,000 x too small, silently (a tester's ``demand_mw`` Series: 4,171 USD for a 2,964,987 USD
    bill; a DataFrame column ``a_mw`` likewise). ``dcplan bill`` converts a CSV column by its name's unit
    (:data:`LOAD_UNITS`); here the caller converts. A name without a unit word is taken as kW."""
    import pandas as pd
    if isinstance(load_kw, pd.Series):
        names, what = ([] if load_kw.name is None else [load_kw.name]), "the Series is named"
    elif isinstance(load_kw, pd.DataFrame):
        names, what = list(load_kw.columns), "the DataFrame has a column"
    else:
        return
    for name in names:
        why = _name_unit_problem(name)
        if why is not None:
            raise InputError(f"{what} {str(name)!r}, {why}", field="load_kw")
