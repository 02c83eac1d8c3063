"""Reading site and portfolio YAML, and wording what is wrong with it.

The helpers :mod:`dcplan.site` loads and reports with, none of which knows a site's fields:

- :func:`_read_yaml`: a YAML file read safely (``dcplan._yaml.safe_load``); an unreadable
  file or bad YAML becomes an :class:`~dcplan.errors.InputError`, a refused value (an
  impossible date, a repeated key) naming its field path (:func:`_node_path`).
- :func:`_problems`: a pydantic ``ValidationError`` as ``(field, message)`` pairs, with the
  field path (``fleet.phases[0].count``), the value (echoed short, :func:`_short_repr`), what
  is allowed and, for an unknown key, a "did you mean"; a fraction given as a percentage or a
  demand charge given per MW says so (:func:`_percent_hint`, :func:`_unit_hint`).
- :func:`_duplicate_id_problems`: site ids given by more than one entry of a portfolio.
- :func:`timezone_name_problem`: why a time-zone name is no site's zone (a UTC offset, a
  fixed-offset name such as ``EST`` or ``Etc/GMT+5``, an alias such as ``US/Eastern``, a
  folder such as ``America``, an unknown name such as ``CST``), with the Region/City zones to
  give instead: those whose cities are nearest the site (:mod:`dcplan.tz_places`) when within
  :data:`NEAR_ZONE_KM`, else :data:`OFFSET_EXAMPLES`'.

:mod:`dcplan.site` re-imports ``_read_yaml``, ``_problems``, ``_short_repr``,
``_duplicate_id_problems`` and ``MAX_VALUE_ECHO`` and is where other modules and tests take
them from; its loaders look ``_read_yaml`` up there, so patch ``dcplan.site._read_yaml``
(as :mod:`dcplan.validate` does), not this module's, to change what they read.
"""
from __future__ import annotations

import difflib
import itertools
import math
import os
import re
import reprlib
import types
import typing
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from ._text import did_you_mean
from ._yaml import BadDate, bad_date_problems, error_text, safe_load, safe_load_keeping_bad_dates  # noqa: F401
from .errors import InputError
from .paths import doc_ref

if TYPE_CHECKING:
    from pathlib import Path

    from .site import Site


def _read_yaml(path: Path, keep_bad_dates: bool = False) -> Any:
    """The YAML file ``path`` read safely, or an InputError naming the file (and the line, column
    and field of an impossible date). ``keep_bad_dates``: such a date is kept as a
    :class:`~dcplan._yaml.BadDateText` for the loader to report beside the file's other problems
    (:func:`dcplan._yaml.bad_date_problems`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        # a relative path: where it was looked for (the current folder is not always the one
        # the user thinks, e.g. a notebook's or a batch job's)
        from .paths import bundled_hint
        where = "" if path.is_absolute() else f" (looked for {path.resolve()}){bundled_hint(path)}"
        raise InputError(f"file not found{where}", file=str(path)) from None
    except UnicodeDecodeError as e:
        raise InputError(_not_utf8(path, e), file=str(path)) from None
    except OSError as e:
        raise InputError(f"cannot read file: {e}", file=str(path)) from None
    try:
        return safe_load_keeping_bad_dates(text) if keep_bad_dates else safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        field = _node_path(text, mark) if isinstance(e, BadDate) and mark else None
        raise InputError(error_text(e), file=str(path), field=field) from None


def _not_utf8(path: Path, e: UnicodeDecodeError) -> str:
    """Where a file stops being UTF-8: its line and column, not the byte offset Python gives."""
    try:
        raw = path.read_bytes()[:e.start]
    except OSError:
        return f"cannot read file: {e}"
    line = raw.count(b"\n") + 1
    col = len(raw) - (raw.rfind(b"\n") + 1) + 1
    bad = e.object[e.start:e.start + 1].hex() if isinstance(e.object, bytes) else "?"
    return (f"not UTF-8 text: byte 0x{bad} on line {line}, column {col} is not UTF-8 (saved as Latin-1 or "
            "Windows-1252?); save the file as UTF-8")


#: Suffixes of the weather files a site names (dcplan.weather): not site YAML.
_WEATHER_SUFFIXES = (".epw", ".tm2", ".tmy2")  # (a .json is a tariff's, or PVGIS's: told by its content)


def _not_a_site(path: Path) -> str | None:
    """Why the file ``path``, listed as a site, is no site YAML (a weather file, a tariff's
    JSON), or None when it may be one (the loader then says what is wrong with it)."""
    from .weather_header import _FIRST_LINE, first_line_kind
    suf = path.suffix.lower()
    kind = "weather" if suf in _WEATHER_SUFFIXES else None
    if kind is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                first = fh.readline(4096).lstrip("\ufeff").strip()
        except OSError:
            return None
        k = first_line_kind(first)
        if k in _FIRST_LINE:
            return (f"{path.name} is not a site YAML but a weather file (its first line is {_FIRST_LINE[k]}); "
                    "a site names its weather file under 'weather: file:'; list site YAML files here")
    if kind == "weather":
        return (f"{path.name} is not a site YAML but a weather file ({suf}); a site names its weather file "
                "under 'weather: file:'; list site YAML files here")
    if suf == ".json":
        return (f"{path.name} is not a site YAML but a JSON file (a tariff, or PVGIS weather?); a site names its "
                "tariff under 'tariff: file:' and its weather under 'weather: file:'; list site YAML files here")
    return None


def _node_path(text: str, mark) -> str | None:
    """The field path (``fleet.phases[0].start``) of the YAML scalar, value or key, that
    starts at ``mark``: where a value the loader refused (an impossible date, a repeated
    key) sits. None when the text does not compose or nothing starts there. Each node is
    visited once (an alias repeats a node: no blow-up, no loop)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: no dates constructed
    except yaml.YAMLError:
        return None
    seen: set[int] = set()

    def join(path: str, key) -> str:
        return f"{path}.{key}" if path else str(key)

    def walk(node, path: str) -> str | None:
        if id(node) in seen:
            return None
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return path if node.start_mark.index == mark.index else None
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                hit = walk(item, f"{path}[{i}]")
                if hit is not None:
                    return hit
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                name = k.value if isinstance(k, yaml.ScalarNode) else "?"
                if k.start_mark.index == mark.index:
                    return join(path, name)
                hit = walk(v, join(path, name))
                if hit is not None:
                    return hit
        return None

    try:
        return walk(root, "") or None if root is not None else None
    except RecursionError:  # nested deeper than Python recurses: no path, the line/column stay
        return None


def _loc_str(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(model: type, loc: tuple) -> type | None:
    """The pydantic model class reached by following ``loc`` from ``model``."""
    cur: Any = model
    keyed = False  # the field before was a mapping of sections (finance.ranges): this part is its key
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        if not (isinstance(cur, type) and issubclass(cur, BaseModel)) or part not in cur.model_fields:
            return None
        ann = cur.model_fields[part].annotation
        keyed = typing.get_origin(ann) is dict
        cur = _unwrap(typing.get_args(ann)[1] if keyed else ann)
    return cur if isinstance(cur, type) and issubclass(cur, BaseModel) else None


def _unwrap(tp: Any) -> Any:
    """Find the BaseModel inside Optional[...], tuple[X, ...], list[X]."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType, tuple, list):
        for a in typing.get_args(tp):
            m = _unwrap(a)
            if m is not None:
                return m
    return None


#: Longest echo of a bad value in an error message (a pasted list, or a YAML alias bomb that
#: expands 1 KB into 80 MB of text, would otherwise fill the terminal). [characters]
MAX_VALUE_ECHO = 200


class _Echo(reprlib.Repr):
    """``reprlib.Repr`` echoing values as a YAML file writes them: a date as ``2026-10-01``
    (not ``datetime.date(2026, 10, 1)``), a mapping's keys in the file's order (not sorted)."""

    def repr_date(self, x, level):
        return x.isoformat()

    def repr_datetime(self, x, level):
        return x.isoformat(sep=" ")

    def repr_dict(self, x, level):
        if not x:
            return "{}"
        if level <= 0:
            return "{...}"
        pieces = [f"{self.repr1(k, level - 1)}: {self.repr1(x[k], level - 1)}"
                  for k in itertools.islice(x, self.maxdict)]
        if len(x) > self.maxdict:
            pieces.append("...")
        return "{" + ", ".join(pieces) + "}"


def _short_repr(v) -> str:
    """``repr(v)``, cut to :data:`MAX_VALUE_ECHO` characters with how long it was. The repr is
    built piecewise for containers, so a huge nested value is never rendered in full."""
    r = _Echo()
    r.maxstring, r.maxother, r.maxlist, r.maxtuple, r.maxdict, r.maxlevel = 120, 120, 8, 8, 8, 3
    text = r.repr(v)
    return text if len(text) <= MAX_VALUE_ECHO else text[:MAX_VALUE_ECHO - 3] + "..."


#: A field path as a section's own check names it: ``profile.burst_s``, ``phases[0].start``.
_FIELD_PATH_RE = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*$")


def _percent_hint(loc: tuple, e: dict) -> str:
    """`` (a fraction: 0.10 for 10 %...)`` when a ``*_frac`` field above its upper bound got a
    number above 1 (``tax_rate_frac: 21`` meant as a percentage), else ''."""
    inp = e.get("input")
    if (not loc or not str(loc[-1]).endswith("_frac") or isinstance(inp, bool)
            or not isinstance(inp, (int, float)) or not inp > 1
            or e["type"] not in ("less_than", "less_than_equal")):
        return ""
    from ._text import percent_hint
    return percent_hint(inp)


#: Fields whose value above its upper bound is likely a unit slip: (field-name pattern, the unit
#: it looks like, the divisor to the field's unit, the field's unit). A demand charge
#: (``tariff.demand_usd_per_kw``, at most :data:`dcplan.specs.tariff.MAX_DEMAND_USD_PER_KW_MONTH`)
#: of 13,000 is 13 $/kW-month typed per MW, as the energy rate's check says cents and $/MWh
#: (:func:`dcplan.tariff_checks.rate_slip_message`).
_UNIT_SLIPS = ((re.compile(r"^demand\w*_usd_per_kw$"), "USD per MW-month", 1000.0, "$/kW-month"),)


def _unit_hint(loc: tuple, e: dict) -> str:
    """`` (looks like USD per MW-month: divide by 1000, 12 $/kW-month)`` when a field of
    :data:`_UNIT_SLIPS` got a number above its upper bound, else ''."""
    inp = e.get("input")
    if (not loc or isinstance(inp, bool) or not isinstance(inp, (int, float))
            or e["type"] not in ("less_than", "less_than_equal")):
        return ""
    for pattern, unit, div, own in _UNIT_SLIPS:
        if pattern.match(str(loc[-1])):
            return f" (looks like {unit}: divide by {div:g}, {inp / div:g} {own})"
    return ""


#: A number YAML 1.1 (PyYAML) reads as text: an exponent without a '.' before it or a sign after
#: the e (``1e3``, ``5.0e3``, ``25e-5``; YAML 1.1's float needs both: ``5.0e+3``), or thousands
#: separated by commas (``5,000``).
_TEXT_NUMBER_RE = re.compile(r"^([-+]?)(\d[\d_]*)?(?:\.(\d*))?[eE]([-+]?)(\d+)$|^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$")


#: A number written with a decimal comma (``0,12``, ``-1,5``): one comma, not before a group of three
#: digits (``5,000`` reads as thousands), or after a lone 0 (``0,125``: no thousands start with 0).
_DECIMAL_COMMA_RE = re.compile(r"^([-+]?)(0|\d+(?=,(?!\d{3}$)))\s*,\s*(\d+)$")


def _text_number_hint(e: dict) -> str:
    """``: YAML reads 5.0e3 as text, not a number (...): write 5.0e+3 or 5000`` when a number
    field got text that is a number YAML 1.1 does not read as one (:data:`_TEXT_NUMBER_RE`), or a
    number with a decimal comma (:data:`_DECIMAL_COMMA_RE`: ``0,12``, write 0.12), else ''."""
    inp = e.get("input")
    if e["type"] not in ("float_type", "int_type", "float_parsing", "int_parsing") or not isinstance(inp, str):
        return ""
    dec = _DECIMAL_COMMA_RE.match(inp.strip())
    if dec:
        why = (f"YAML reads {inp.strip()} as text, not a number (a decimal comma: YAML numbers take a '.' before "
               "the decimals)")
        if e["type"].startswith("int"):
            return f": {why}; a whole number is needed here"
        return f": {why}: write {dec.group(1)}{dec.group(2)}.{dec.group(3)}"
    m = _TEXT_NUMBER_RE.match(inp.strip())
    try:
        x = float(inp.strip().replace(",", "").replace("_", "")) if m else math.nan
    except ValueError:
        return ""
    if not math.isfinite(x):  # 1e400: no number to write instead
        return ""
    plain = f"{x:.15g}"
    plain = plain if "e" not in plain else None
    if "," in inp:
        why, fix = "a comma is no part of a YAML number", plain
    else:
        why = "YAML 1.1 reads an exponent only with a '.' in the number and a sign after the e"
        fix = (f"{m.group(1)}{m.group(2) or '0'}.{m.group(3) or '0'}e{m.group(4) or '+'}{m.group(5)}"
               + (f" or {plain}" if plain else ""))
    if e["type"].startswith("int"):
        if not x.is_integer() or abs(x) >= 1e18:
            return f": YAML reads {inp.strip()} as text, not a number ({why}); a whole number is needed here"
        fix = str(int(x))
    return f": YAML reads {inp.strip()} as text, not a number ({why}): write {fix}" if fix else ""


#: A coordinate in degrees, minutes and seconds or with a hemisphere letter (``55°19'N``, ``55 19 N``,
#: ``160.517 W``): degrees, optional minutes and seconds, a hemisphere letter.
_DMS_RE = re.compile(r"""^\s*(\d+(?:\.\d+)?)\s*(?:°|deg|d)?\s*(?:(\d+(?:\.\d+)?)\s*(?:'|′|m|min)?\s*)?"""
                     r"""(?:(\d+(?:\.\d+)?)\s*(?:"|″|''|s|sec)?\s*)?([NSEWnsew])\s*$""")

#: A coordinate as degrees and minutes without a hemisphere letter (``25 48``, a TMY2 header's ``N 25 48``).
_DM_RE = re.compile(r"^\s*(-)?\s*(\d+)\s+(\d+(?:\.\d+)?)\s*$")

#: A number followed by a unit (``7 m``, ``2.5 MW``, ``0.22 $/kWh``): the number, the unit as written.
_NUMBER_UNIT_RE = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*([^\d\s.,+-].*?)\s*$")

#: A key name's unit suffix (docs/glossary.md): what it is called and the ways it is written after a number.
_KEY_UNITS = (("_usd_per_kwh", "USD per kWh", ("$/kwh", "usd/kwh")), ("_usd_per_kw", "USD per kW-month",
              ("$/kw", "$/kw-month", "$/kw-mo", "usd/kw")), ("_kg_per_mwh", "kg per MWh", ("kg/mwh",)),
              ("_kw", "kW", ("kw", "kwp", "kwdc")), ("_mw", "MW", ("mw",)), ("_mwh", "MWh", ("mwh",)),
              ("_m", "metres", ("m", "meters", "metres")), ("_degc", "°C", ("°c", "c", "degc", "deg c")),
              ("_deg", "degrees", ("°", "deg", "degrees")), ("_months", "months", ("months", "month", "mo")),
              ("_years", "years", ("years", "year", "yr", "yrs")), ("_s", "seconds", ("s", "sec", "seconds")),
              ("_h", "hours", ("h", "hours", "hr")), ("_usd", "USD", ("$", "usd")),
              ("_frac", "a fraction 0-1", ()))


def _unit_text_hint(loc: tuple, e: dict) -> str:
    """What to write when a number field got text with a unit (``elevation_m: 7 m``) or a latitude or
    longitude in degrees and minutes or with a hemisphere letter (``55°19'N``, ``160.517 W``), else ''.
    The unit is in the key's name (docs/glossary.md): the number alone, in that unit; a coordinate in
    decimal degrees, north and east positive (west and south negative)."""
    inp = e.get("input")
    if e["type"] not in ("float_type", "float_parsing", "int_type", "int_parsing") or not isinstance(inp, str) \
            or not loc:
        return ""
    key = str(loc[-1])
    if key in ("latitude", "longitude"):
        m = _DMS_RE.match(inp)
        dm = None if m else _DM_RE.match(inp)
        if dm and float(dm.group(3)) < 60:  # '25 48' as a TMY2 header writes it (its hemisphere a field before)
            deg = float(dm.group(2)) + float(dm.group(3)) / 60
            side = "west (every site in the Americas)" if key == "longitude" else "south"
            value = f"-{deg:.4f}" if dm.group(1) else f"{deg:.4f}, or -{deg:.4f} if {side}"
            return (f": degrees and minutes? Write decimal degrees, north and east positive (west and south "
                    f"negative): {key}: {value}")
        if not m:
            return ""
        deg = float(m.group(1)) + float(m.group(2) or 0) / 60 + float(m.group(3) or 0) / 3600
        sign = -1 if m.group(4).upper() in "SW" else 1
        return (f": write decimal degrees, north and east positive (west and south negative): "
                f"{key}: {sign * deg:.4f}")
    m = _NUMBER_UNIT_RE.match(inp)
    if not m or _TEXT_NUMBER_RE.match(inp.strip()) or _DECIMAL_COMMA_RE.match(inp.strip()):
        return ""  # 5.0e3, 0,12: a number YAML reads as text (_text_number_hint)
    num, unit = m.group(1), m.group(2).strip().lower()
    if key.endswith("_frac") and unit in ("%", "percent", "pct"):
        return f": a fraction, not a percentage: write {key}: {float(num) / 100:g}"
    for suffix, name, spellings in _KEY_UNITS:
        if key.endswith(suffix):
            if unit in spellings:
                return f": the unit is in the key's name ({name}): write the number alone, {key}: {num}"
            return (f": the unit is in the key's name ({name}), not after the number: write the number alone, "
                    f"converted to {name} ({doc_ref('glossary.md')})")
    return ""


def _problems(err: ValidationError, model: type) -> list[tuple[str, str]]:
    out = []
    errs = err.errors(include_url=False)
    for e in errs:
        loc = tuple(e["loc"])
        if e["type"] == "too_short" and any(
                len(o["loc"]) > len(loc) and tuple(o["loc"][:len(loc)]) == loc for o in errs):
            continue  # a consequence of an item error reported on its own
        field = _loc_str(loc)
        if e["type"] == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            allowed = sorted(parent.model_fields) if parent else []
            allowed = [a for a in allowed if a != "source_file"]
            key = loc[-1]
            hint = _unknown_key_hint(model, str(key), loc[:-1], allowed)
            msg = f"unknown key {key!r}{hint}; allowed: {', '.join(allowed)}"
        elif e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"] == "date_type":
            msg = f"must be a date as YYYY-MM-DD (for example 2026-10-01), got {_short_repr(e.get('input'))}"
        elif e["type"] in ("tuple_type", "list_type") and isinstance(e.get("input"), dict):
            msg = (f"must be a list, each item on its own line starting with '- ', got a mapping: "
                   f"{_short_repr(e['input'])}")
        elif e["type"] == "literal_error":
            choices = re.findall(r"'((?:[^'\\]|\\.)*)'", str((e.get("ctx") or {}).get("expected", "")))
            inp = e.get("input")
            hint = did_you_mean(inp, choices) if isinstance(inp, str) else ""
            msg = f"{e['msg']}, got {_short_repr(inp)}{hint}"
        else:
            msg = e["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
                # a section's own check names the key it refused ("profile.burst_s: must be
                # > 0"): that key belongs in the field path (fleet.profile.burst_s)
                # (a field of that section, given or left to its default: fleet.utilisation_frac)
                head, sep, rest = msg.partition(": ")
                inp = e.get("input")
                sect = _model_at(model, loc)
                key = re.split(r"[.\[]", head, maxsplit=1)[0]
                if sep and isinstance(inp, dict) and _FIELD_PATH_RE.match(head) and (
                        key in inp or (sect is not None and key in sect.model_fields)):
                    field, msg = f"{field}.{head}" if field else head, rest
            if "input" in e and e["type"] not in ("value_error",):
                msg += f", got {_short_repr(e['input'])}"
                msg += _percent_hint(loc, e) + _unit_hint(loc, e) + _text_number_hint(e) + _unit_text_hint(loc, e)
        out.append((field, msg))
    missing = {_loc_str(tuple(e["loc"])): tuple(e["loc"]) for e in errs if e["type"] == "missing"}
    return [(f, m + _missing_what(model, missing[f]) if m == "required field is missing" and f in missing else m)
            for f, m in _fold_typos(out, errs, model)]


def _missing_what(model: type, loc: tuple) -> str:
    """What a missing required field (not a misspelt one, :func:`_fold_typos`) is to hold: a section's required
    keys (``; add fleet: with phases: under it (a list of items with hardware:, count:, start:)``), a value's
    meaning and range (``; add longitude: [deg E], allowed: -180 to 180``), and, in a site file, where every key
    is listed; '' when the field cannot be found."""
    parent = _model_at(model, loc[:-1]) if loc else None
    name = str(loc[-1]) if loc else ""
    f = parent.model_fields.get(name) if parent else None
    if f is None:
        return ""
    where = f"; {doc_ref('site-format.md')} lists every key" if model.__name__ == "Site" else ""

    def required(m: type) -> list[str]:
        return [f"{n}:" for n, ff in m.model_fields.items() if ff.is_required() and n != "source_file"]
    sub = _unwrap(f.annotation)
    if sub is not None:
        keys = []
        for k in required(sub):
            kk = _unwrap(sub.model_fields[k[:-1]].annotation)
            keys.append(f"{k} (a list of items with {', '.join(required(kk))})" if kk is not None else k)
        return f"; add {name}: with {', '.join(keys)} under it{where}" if keys else f"; add {name}:{where}"
    lo = next((m.ge for m in f.metadata if type(m).__name__ == "Ge"), None)
    hi = next((m.le for m in f.metadata if type(m).__name__ == "Le"), None)
    def num(x) -> str:
        return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"
    allowed = (f"allowed: {num(lo)} to {num(hi)}" if lo is not None and hi is not None else
               f"allowed: at least {num(lo)}" if lo is not None else f"allowed: at most {num(hi)}" if hi is not None
               else "")
    what = ", ".join(x for x in (f.description or "", allowed) if x)
    return f"; add {name}: {what}{where}" if what else f"; add {name}:{where}"


def _key_homes(model: type, key: str, path: str = "", depth: int = 3) -> list[str]:
    """The section paths (``""`` the top level, ``cooling``, ``fleet.phases[]``, ``finance.ranges.<key>``) of
    ``model`` whose fields include ``key``, down to ``depth`` levels."""
    fields = {n: f for n, f in model.model_fields.items() if n != "source_file"}
    out = [path] if key in fields else []
    if depth > 0:
        for name, f in fields.items():
            ann = f.annotation
            keyed = typing.get_origin(ann) is dict
            sub = _unwrap(typing.get_args(ann)[1] if keyed else ann)
            if sub is not None:
                many = typing.get_origin(ann) in (tuple, list) or any(
                    typing.get_origin(a) in (tuple, list) for a in typing.get_args(ann))
                tail = ".<key>" if keyed else "[]" if many else ""
                out += _key_homes(sub, key, f"{path}.{name}".lstrip(".") + tail, depth - 1)
    return out


def _unknown_key_hint(model: type, key: str, here: tuple, allowed: list[str]) -> str:
    """The did-you-mean of an unknown ``key`` in the section at ``here``: a close key of the section, or, when
    ``key`` is a key of another section (:func:`_elsewhere_hint`), that, beside the close key only when it is
    nearly ``key`` (difflib ratio >= 0.85: ``source`` for finance's ``sources``; ``tilt_deg`` at the top level
    is solar's, not ``latitude``)."""
    close, there = did_you_mean(key, allowed), _elsewhere_hint(model, key, here)
    if close and there:
        name = re.search(r"'(.*)'", close).group(1)
        if difflib.SequenceMatcher(None, key.lower(), name.lower()).ratio() < 0.85:
            close = ""
    return close + there


def _elsewhere_hint(model: type, key: str, here: tuple) -> str:
    """For an unknown key that is a key of another section (a line indented less or more than its section's
    keys: ``ashrae_class`` at the left margin, ``timezone`` under ``weather:``): `` (a key of the cooling:
    section: indent it under cooling:)`` or `` (a top-level key: ...)``; else ''."""
    at = re.sub(r"\[\d+\]", "[]", _loc_str(here)) if here else ""
    homes = [h for h in _key_homes(model, key) if h != at]
    if not homes:
        return ""
    if homes == [""]:
        return f" (a top-level key: write it at the left margin, not indented under {at}:)"
    if len(homes) == 1:
        return f" (a key of the {homes[0]}: section: indent it under {homes[0]}:, with that section's other keys)"
    named = ", ".join(f"{h}:" if h else "the top level" for h in homes[:4]) + (", ..." if len(homes) > 4 else "")
    return f" (a key of {named}: indent it under the section it belongs to)"


def _fold_typos(out: list[tuple[str, str]], errs: list, model: type) -> list[tuple[str, str]]:
    """A required field that is missing because its key is misspelled says so itself:
    ``latitude: required field is missing; the file has unknown key 'latitud' (did you mean
    'latitude'?)`` (otherwise the one-line error shows "missing" and hides the did-you-mean
    behind "+1 more"). The unknown key stays listed as its own problem too."""
    missing = {tuple(e["loc"]) for e in errs if e["type"] == "missing"}
    folded: dict[str, str] = {}  # missing field path -> the unknown key that suggests it
    for e in errs:
        loc = tuple(e["loc"])
        if e["type"] != "extra_forbidden" or not loc:
            continue
        parent = _model_at(model, loc[:-1])
        names = [n for n in (parent.model_fields if parent else []) if loc[:-1] + (n,) in missing]
        hit = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        if hit and _loc_str(loc[:-1] + (hit[0],)) not in folded:
            folded[_loc_str(loc[:-1] + (hit[0],))] = str(loc[-1])
    res = []
    for field, msg in out:
        if field in folded and msg == "required field is missing":
            name = field.rsplit(".", 1)[-1]
            msg += f"; the file has unknown key {folded[field]!r} (did you mean {name!r}?)"
        res.append((field, msg))
    return res


def _duplicate_id_problems(sites: list[Site], listed: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """One problem per site id given by more than one entry of a portfolio's ``sites:``,
    naming the entries as the portfolio lists them (``other/phx.yaml``, not two ``phx.yaml``):
    one file listed twice is that; different files with one id need their own ``id:``."""
    out = []
    ids = [s.id for s in sites]
    for sid in dict.fromkeys(i for i in ids if ids.count(i) > 1):
        idx = [k for k, s in enumerate(sites) if s.id == sid]
        real = {k: os.path.realpath(sites[k].source_file) for k in idx}
        if len(set(real.values())) == 1:
            times = "twice" if len(idx) == 2 else f"{len(idx)} times"
            at = ", ".join(f"sites[{listed[k][0]}]" for k in idx)
            out.append(("sites", f"duplicate site id {sid!r}: {listed[idx[0]][1]} is listed {times} ({at}); "
                                 "list each site file once"))
            continue
        files = ", ".join(dict.fromkeys(listed[k][1] for k in idx))
        twice = [listed[k][1] for k in idx if list(real.values()).count(real[k]) > 1]
        also = f"; {', '.join(dict.fromkeys(twice))} listed more than once" if twice else ""
        out.append(("sites", f"duplicate site id {sid!r} (from {files}){also}; site ids must be unique: "
                             "give each site its own 'id:'"))
    return out


# time-zone names (dcplan.site_timezone): import them from here
from .site_timezone import (  # noqa: E402,F401
    MAX_ALTERNATIVE_KM, MAX_STATION_ZONE_KM, NEAR_ZONE_KM, OFFSET_EXAMPLES, PLACE_AREAS, _FIXED_NAMES,
    _OFFSET_RE, _POSIX_DST_NAMES, _WHY_FIXED, _allowed, _base60_text, _examples, _link_targets,
    _COMMON_ALIASES, _offset_text, _place_examples, place_alias, timezone_name_problem)
