"""Write docs/site-format.md, the reference of every key a site YAML may hold, from the spec
models themselves (python -m tools.build_site_format from the repo root).

tests/test_site_format_doc.py checks that the committed file is what this writes, so the
reference cannot fall behind the specs.
"""
from __future__ import annotations

import datetime as dt
import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from dcplan.site import Portfolio, Site

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "site-format.md"

#: Keys load_site sets itself (not written in a site file).
_SET_BY_LOADER = {"source_file"}
#: Defaults the loader fills in, as a reader should see them (dcplan.site._site_from_dict).
_LOADER_DEFAULTS = {"id": "the YAML file's stem, slugified: lower-case ASCII letters, digits, '-' and '_', "
                          "other characters '-' ('Zürich DC.yaml': `zurich-dc`)",
                    "cooling.type": "follows the fleet: `air` for a fleet of only air-cooled servers (data/hardware.csv "
                                    "`cooling`) and no liquid-loop keys in the section, else `liquid`"}
#: The data table whose row of the same key gives a section's defaults when a field's own default
#: is None ("use the table's value"; dcplan.specs.finance and dcplan.specs.cooling say so).
_DEFAULT_TABLES = {"finance": "costs.csv", "cooling": "cooling_defaults.csv"}


def _default_notes(value: float) -> dict[str, str]:
    """What a table default ``value`` of _DEFAULT_TABLES is bent by, per key path."""
    from dcplan.thermal_plant_params import ASHRAE_AIR_CLASSES
    capped = ", ".join(f"{rec_hi:g} for {c}" for c, (_, rec_hi, _, _) in ASHRAE_AIR_CLASSES.items() if rec_hi < value)
    return {"cooling.inlet_setpoint_degc": f"at most the ashrae_class's recommended maximum, {capped}"}


def _enforced() -> dict[str, tuple[float | None, float | None, str]]:
    """Bounds the specs enforce in a validator rather than in the field's ``ge``/``le`` (so
    pydantic's metadata does not hold them): key path -> (low, high, note), each from the
    constant the check uses."""
    from dcplan.catalog_bands import BANDS
    from dcplan.specs.cooling import _setpoint_bounds
    from dcplan.specs.interconnection import (EQUIPMENT_ORDERED_MAX_MONTHS_AFTER_FILED,
                                             EQUIPMENT_ORDERED_MAX_MONTHS_BEFORE_FILED, TIME_TO_POWER_MAX_MONTHS)
    from dcplan.specs.solar import PV_DEGRADATION_MAX_FRAC_PER_YEAR
    from dcplan.tariff_checks import MAX_ENERGY_USD_PER_KWH
    from dcplan.tco_tax_schedule import TAX_YEAR_MAX, TAX_YEAR_MIN
    from dcplan.thermal_plant_params import ASHRAE_AIR_CLASSES
    lo, hi = _setpoint_bounds()
    # the classes' allowable ranges as ASHRAE gives them, then their overlap with the field's own bounds (the
    # setpoints a site may give): two lists, so the overlap is not read as ASHRAE's range (A3 is 5-40, not 10-40)
    # (H1's lower bound is dcplan's assumption: reference-data gives only "up to 25", thermal_plant_params)
    classes = ", ".join(f"{c} {a_lo:g}-{a_hi:g}" + (" (its 5 assumed)" if c == "H1" else "")
                        for c, (_, _, a_lo, a_hi) in ASHRAE_AIR_CLASSES.items())
    spans = ", ".join(f"{c} {max(a_lo, lo):g}-{min(a_hi, hi):g}"
                      for c, (_, _, a_lo, a_hi) in ASHRAE_AIR_CLASSES.items())
    return {"tariff.flat_usd_per_kwh": (None, MAX_ENERGY_USD_PER_KWH, ""),
            # dcplan.specs.finance.FinanceSpec._rate_or_schedule (a number: the float member's ge/lt)
            "finance.tax_rate_frac": (None, None, (
                f"[0, 1); a schedule: each rate in [0, 1), years integers in {TAX_YEAR_MIN}-{TAX_YEAR_MAX}, "
                "listed in ascending order")),
            "solar.degradation_frac_per_year": (0.0, PV_DEGRADATION_MAX_FRAC_PER_YEAR, ""),
            "interconnection.time_to_power.p90_months": (None, TIME_TO_POWER_MAX_MONTHS, ""),
            "interconnection.equipment_ordered": (None, None, (
                f"from {EQUIPMENT_ORDERED_MAX_MONTHS_BEFORE_FILED} months before `filed` to "
                f"{EQUIPMENT_ORDERED_MAX_MONTHS_AFTER_FILED} months after")),
            "cooling.inlet_setpoint_degc": (None, None, (
                f"within the ashrae_class's allowable inlet range (ASHRAE TC9.9: {classes}); with [{lo:g}, {hi:g}]: "
                f"{spans}")),
            # dcplan.specs.fleet.FleetPhase._layout_of_a_server: a rack-scale unit is its own rack
            "fleet.phases[].units_per_rack": (None, BANDS["hardware.csv"]["units_per_rack"].hi,
                                              "1 for a rack-scale unit (data/hardware.csv kind rack)")}


def _table_default(path: str) -> str | None:
    """``data/costs.csv value (`0.21`)`` for a key path whose section takes its defaults from a
    data table (:data:`_DEFAULT_TABLES`) with a value for that key; None otherwise."""
    import csv
    from dcplan.paths import data_path
    section, _, key = path.partition(".")
    table = _DEFAULT_TABLES.get(section)
    if table is None or "." in key:
        return None
    with open(data_path(table), newline="", encoding="utf-8") as fh:
        rows = {r["key"]: r["value"] for r in csv.DictReader(line for line in fh if not line.startswith("#"))}
    value = (rows.get(key) or "").strip()
    if not value:
        return None
    note = _default_notes(float(value)).get(path)
    return f"data/{table} value (`{value}`{'; ' + note if note else ''})"

HEADER = """# Site file format

Every key a site YAML (`data/sites/*.yaml`) may hold, with its type, default, allowed range and
meaning. This page is generated from the spec models in `dcplan/site.py` and `dcplan/specs/`
(`python -m tools.build_site_format`); a test keeps it in step with them. `dcplan validate
<site.yaml>` checks a file against the same models and names every problem (file, key path,
value, what is allowed, and "did you mean" for a typo'd key). Units are part of key names
(`_kw`, `_mw`, `_frac` 0-1, `_degc`, `_s`, `_usd`; docs/glossary.md). A relative file path
(`weather.file`, `tariff.file`, ...) is looked for, in order, in the site YAML's folder, its parent
folder (a copy of `data/`: `sites/x.yaml` naming `tariffs/y.json`), the folder of the portfolio
the site was loaded through, and the bundled `data/`; a missing file's error lists the folders
looked in. `data/sites/*.yaml` are worked examples; a portfolio file (`data/portfolio.yaml`)
lists site files under `sites:`, relative to the portfolio file, beside its `name:` and
`description:` (its keys: "Portfolio file", at the end).

A section marked *optional* may be left out: a site without `tariff:` has no electricity bill,
one without `interconnection:` no time to power. A site without `cooling:` gets the plant its
hardware needs (an air plant when every unit is air-cooled in `data/hardware.csv`, W32 direct
liquid cooling otherwise). Cost inputs beyond the `finance:` keys below go under
`finance.costs:`, one key per row of `data/costs.csv` (`data/costs.md` gives each its source) but
`delay_months` (the grid delay is the TCO scenario's and the `interconnection:` section's) and
`wue_l_per_kwh` (the cooling plant model's figure). Where a value the site gives comes from goes in
`finance.sources:`, keyed by the input as `finance.ranges` is (`tax_rate_frac: "federal 21 % + state ..."`;
`server_usd_per_accelerator:` for `finance.costs.server_usd_per_accelerator`): the TCO's Assumptions (report,
workbook, CSV) show it after the field in the source column, as the bundled sites' tax rates do.
A default "data/costs.csv value" (or `data/cooling_defaults.csv`) is that table's row of the same
key, used when the key is left out or null.

**A new site.** `weather.file` may also be an absolute path (a TMY2/TMY3/EPW file or an NSRDB
CSV anywhere on disk). Besides the four bundled sites' files, `data/weather/` holds two files from pvlib's test
data a new site can name as they are: `weather/12839.tm2` (Miami FL, WBAN 12839, NREL TMY2) and
`weather/703165TY.csv` (Sand Point AK, USAF 703165, NREL TMY3); their stations and sources are
listed in `data/SOURCES.md` (Weather). Neither has the ASHRAE design conditions an EPW header can state, so
site_climate's design extremes (`extreme_year_shortfall_kw`) are n/a for them and the chillers' design condition
takes the typical year's 99.6th percentile for ASHRAE's 0.4 % value; TMY3 EPWs of more US stations ship in PyPI
wheels listed in `docs/reference-data.md` section 0 (`pyenergyplus-lbnl`: Miami, Orlando, Tampa, Las Vegas and
others), and NREL's NSRDB serves a typical year for any US point (the NSRDB CSV above). `grid_carbon_kg_per_mwh`
has figures only for the bundled sites' grid subregions (SRVC, AZNM, RFCW; `data/SOURCES.md`). For another site
take its EPA eGRID subregion's total output CO2 emission rate (eGRID publishes lb/MWh: multiply by 0.45359237 for
kg/MWh), set `grid_carbon_basis: location` and name the edition, subregion and lb/MWh figure in
`grid_carbon_source` (every carbon label prints it, and a report's provenance lists it); a
supplier's or PPA's figure is `grid_carbon_basis: market`. Left out, the site has no carbon
figures (site_analysis prints that it has none), and the portfolio comparison, when it weights
carbon, does not score the site ("no grid carbon figure") while other sites have a figure, or
leaves the carbon criterion out when no site has one (`dcplan.portfolio_compare`).
"""


def _type_name(t) -> str:
    """A short, readable name of an annotation."""
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in args if a is not type(None)]
        name = " or ".join(_type_name(a) for a in parts)
        return name + (" or null" if len(parts) < len(args) else "")
    if origin in (list, tuple):
        inner = _type_name(args[0]) if args else "value"
        return f"list of {inner}"
    if origin is dict:
        return f"mapping {_type_name(args[0])} to {_type_name(args[1])}" if args else "mapping"
    if isinstance(t, type) and issubclass(t, BaseModel):
        return "section"
    return {float: "number", int: "integer", str: "text", bool: "true/false",
            dt.date: "date (YYYY-MM-DD)"}.get(t, getattr(t, "__name__", str(t)))


def _default(f: FieldInfo) -> str:
    if f.is_required():
        return "**required**"
    d = f.default
    if d is PydanticUndefined:
        d = f.default_factory() if f.default_factory is not None else None
    if isinstance(d, BaseModel):
        return "(section defaults)"
    if d is None:
        return "none"
    if isinstance(d, bool):
        return "true" if d else "false"
    if isinstance(d, (dict, list, tuple)) and not d:
        return "empty"
    if isinstance(d, (list, tuple)):  # a list of keys (interconnection.equipment: power_transformer, switchgear)
        return ", ".join(f"`{x}`" for x in d)
    if isinstance(d, str) and not d:
        return '""'
    return f"`{d}`"


def _range(f: FieldInfo, path: str = "") -> str:
    lo = hi = None
    lo_open = hi_open = False
    extra = []
    for m in f.metadata:
        for attr, kind in (("ge", "lo"), ("gt", "lo_open"), ("le", "hi"), ("lt", "hi_open")):
            v = getattr(m, attr, None)
            if v is None:
                continue
            if kind.startswith("lo"):
                lo, lo_open = v, kind == "lo_open"
            else:
                hi, hi_open = v, kind == "hi_open"
        for attr, word in (("min_length", "at least {} long"), ("max_length", "at most {} long")):
            v = getattr(m, attr, None)
            if v is not None:
                extra.append(word.format(v))
    e_lo, e_hi, note = _enforced().get(path, (None, None, ""))
    if e_lo is not None and (lo is None or e_lo > lo):
        lo, lo_open = e_lo, False
    if e_hi is not None and (hi is None or e_hi < hi):
        hi, hi_open = e_hi, False
    if note:
        extra.append(note)
    from dcplan.report_params import _exact  # every digit: 1000000, not 1e+06
    if lo is not None and hi is not None:
        r = f"{'(' if lo_open else '['}{_exact(lo)}, {_exact(hi)}{')' if hi_open else ']'}"
    elif lo is not None:
        r = f"{'>' if lo_open else '>='} {_exact(lo)}"
    elif hi is not None:
        r = f"{'<' if hi_open else '<='} {_exact(hi)}"
    else:
        r = ""
    return ", ".join(x for x in [r, *extra] if x)


#: The portfolio file's keys as written (its model holds the loaded sites): key -> (type, loader default),
#: as dcplan.site.load_portfolio reads them.
_PORTFOLIO_KEYS = {"name": ("text", "the file's name without its extension (`data/portfolio.yaml`: `portfolio`)"),
                   "sites": ("list of paths", None),
                   "description": ("text", None)}


def _portfolio_section() -> list[str]:
    """The portfolio file's keys (:class:`dcplan.site.Portfolio`'s fields but the one the loader sets)."""
    rows = []
    for name, f in Portfolio.model_fields.items():
        if name in _SET_BY_LOADER:
            continue
        kind, default = _PORTFOLIO_KEYS[name]  # a new field: say here how a portfolio file writes it
        desc = (f.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{name}` | {kind} | {default or _default(f)} | | {desc} |")
    return ["## Portfolio file", "",
            "A portfolio YAML (`data/portfolio.yaml`; `dcplan render --portfolio`, `dcplan validate`) lists "
            "sites by their files; any other key is refused.", "",
            "| key | type | default | allowed | meaning |", "| --- | --- | --- | --- | --- |", *rows, ""]


#: Type names the annotation does not say plainly: key path -> text.
_TYPE_NAMES = {"finance.tax_rate_frac": "number, or mapping year (integer) to number; or null"}


def _model_of(t):
    """The spec model inside an annotation (a section, a list of sections), or None."""
    if isinstance(t, type) and issubclass(t, BaseModel):
        return t
    for a in typing.get_args(t):
        inner = _model_of(a)
        if inner is not None:
            return inner
    return None


def _rows(model: type[BaseModel], prefix: str, sections: list) -> list[str]:
    rows = []
    for name, f in model.model_fields.items():
        if prefix == "" and name in _SET_BY_LOADER:
            continue
        path = f"{prefix}{name}"
        sub = _model_of(f.annotation)
        if sub is not None:
            is_list = typing.get_origin(f.annotation) in (list, tuple) or any(
                typing.get_origin(a) in (list, tuple) for a in typing.get_args(f.annotation))
            is_map = typing.get_origin(f.annotation) is dict  # a section per key (finance.ranges.<key>)
            sections.append((path + ("[]" if is_list else ".<key>" if is_map else ""), sub, f))
            continue
        desc = (f.description or "").replace("|", "\\|").replace("\n", " ")
        default = _LOADER_DEFAULTS.get(path) or _default(f)
        if default == "none":  # None: the data table's value, where the section takes its defaults from one
            default = _table_default(path) or default
        kind = _TYPE_NAMES.get(path) or _type_name(f.annotation)
        rows.append(f"| `{path}` | {kind} | {default} | {_range(f, path)} | {desc} |")
    return rows


def build() -> str:
    out = [HEADER]
    sections: list = []
    top = _rows(Site, "", sections)
    out += ["## Top level", "", "| key | type | default | allowed | meaning |", "| --- | --- | --- | --- | --- |",
            *top, ""]
    after = _portfolio_section()  # after the site's sections
    seen = set()
    while sections:
        path, model, f = sections.pop(0)
        if path in seen:
            continue
        seen.add(path)
        optional = not f.is_required()
        doc = " ".join((model.__doc__ or "").strip().split("\n\n")[0].split())
        out += [f"## `{path}`" + (" (optional)" if optional else ""), ""]
        if f.description:
            out += [f.description, ""]
        if doc:
            out += [doc, ""]
        sub: list = []
        rows = _rows(model, path.rstrip("[]") + ("[]." if path.endswith("[]") else "."), sub)
        out += ["| key | type | default | allowed | meaning |", "| --- | --- | --- | --- | --- |", *rows, ""]
        sections = sub + sections
    return "\n".join(out + after).rstrip() + "\n"


if __name__ == "__main__":
    text = build()
    if "--check" in sys.argv:
        sys.exit(0 if OUT.is_file() and OUT.read_text(encoding="utf-8") == text else 1)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
