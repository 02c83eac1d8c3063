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
import functools
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
        where = "" if path.is_absolute() else f" (looked for {path.resolve()})"
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
_WEATHER_SUFFIXES = (".epw", ".tm2", ".tmy2")


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
        return (f"{path.name} is not a site YAML but a JSON file (a tariff?); a site names its tariff under "
                "'tariff: file:'; list site YAML files here")
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
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(cur, type) and issubclass(cur, BaseModel)) or part not in cur.model_fields:
            return None
        cur = _unwrap(cur.model_fields[part].annotation)
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


def _text_number_hint(e: dict) -> str:
    """``: YAML reads 5.0e3 as text, not a number (...): write 5.0e+3 or 5000`` when a number
    field got text that is a number YAML 1.1 does not read as one (:data:`_TEXT_NUMBER_RE`), else ''."""
    inp = e.get("input")
    if e["type"] not in ("float_type", "int_type", "float_parsing", "int_parsing") or not isinstance(inp, str):
        return ""
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
            msg = (f"unknown key {key!r}{did_you_mean(key, allowed)}; "
                   f"allowed: {', '.join(allowed)}")
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
                msg += _percent_hint(loc, e) + _unit_hint(loc, e) + _text_number_hint(e)
        out.append((field, msg))
    return _fold_typos(out, errs, model)


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


# ---------------------------------------------------------------------------
# Time-zone names that are not a site's zone (dcplan.site.Site's timezone check)

#: Areas of the tz database whose zones are places, named ``Region/City`` (``America/New_York``).
#: Every other name is a fixed offset (``EST``, ``Etc/GMT+5``, ``UTC``) or an old alias kept for
#: backward compatibility (``US/Eastern``, ``EST5EDT``, ``Japan``): tz database, files ``etcetera``
#: and ``backward`` (https://data.iana.org/time-zones/tz-link.html, "Theory and pragmatics").
PLACE_AREAS = frozenset({"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
                         "Europe", "Indian", "Pacific"})

#: Names the tz database resolves to one UTC offset all year that are no place's zone
#: (besides every ``Etc/...`` name): the tz database's ``EST``, ``MST`` and ``HST``, and UTC's names.
_FIXED_NAMES = frozenset({"EST", "MST", "HST", "UTC", "UCT", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich",
                          "Universal", "Zulu"})

#: The US zones of the POSIX-style names, which the tz database made links only in release
#: 2024b (before, zones of their own with the same rules since 1967; tz NEWS 2024b).
_POSIX_DST_NAMES = {"EST5EDT": "America/New_York", "CST6CDT": "America/Chicago",
                    "MST7MDT": "America/Denver", "PST8PDT": "America/Los_Angeles"}

#: Example zones per standard UTC offset [h]: one that keeps daylight saving and one that
#: does not (None: no example), each with where it is the clock. US zones first (the
#: bundled sites and URDB tariffs are US); the tz database's zone1970.tab lists the rest.
#: Examples only: the site's own Region/City zone is the one to give. A test checks each
#: one's offset and daylight saving against the tz database.
OFFSET_EXAMPLES = {
    -10.0: (("America/Adak", "the western Aleutians"), ("Pacific/Honolulu", "Hawaii")),
    -9.0: (("America/Anchorage", "most of Alaska"), None),
    -8.0: (("America/Los_Angeles", "US Pacific"), None),
    -7.0: (("America/Denver", "US Mountain"), ("America/Phoenix", "most of Arizona")),
    -6.0: (("America/Chicago", "US Central"), ("America/Regina", "Saskatchewan")),
    -5.0: (("America/New_York", "US Eastern"), ("America/Panama", "Panama")),
    -4.0: (("America/Halifax", "Atlantic Canada"), ("America/Puerto_Rico", "Puerto Rico")),
    -3.5: (("America/St_Johns", "Newfoundland"), None),
    0.0: (("Europe/London", "the UK"), ("Africa/Abidjan", "Cote d'Ivoire")),
    1.0: (("Europe/Paris", "France"), ("Africa/Lagos", "Nigeria")),
    2.0: (("Europe/Athens", "Greece"), ("Africa/Johannesburg", "South Africa")),
    5.5: (None, ("Asia/Kolkata", "India")),
    8.0: (None, ("Asia/Singapore", "Singapore")),
    9.0: (None, ("Asia/Tokyo", "Japan")),
    10.0: (("Australia/Sydney", "New South Wales"), ("Australia/Brisbane", "Queensland")),
}

#: A UTC offset written as a time zone: ``-5``, ``UTC-5``, ``GMT+5:30``, ``-05:00``, ``5.5``.
_OFFSET_RE = re.compile(r"^(?:UTC|GMT)?\s*([+\-\u2212]?)\s*(\d{1,2}(?:\.\d+)?)(?::?(\d{2}))?$", re.IGNORECASE)


def _offset_text(h: float) -> str:
    return f"UTC{h:+g} h"


@functools.lru_cache(maxsize=1)
def _link_targets() -> dict[str, str]:
    """``{alias: zone}`` from the ``L`` (link) lines of the tz database's ``tzdata.zi``, read
    where :mod:`zoneinfo` reads zones (``zoneinfo.TZPATH``, then the ``tzdata`` package); {}
    when there is none."""
    import zoneinfo
    text = None
    for root in zoneinfo.TZPATH:
        try:
            with open(os.path.join(root, "tzdata.zi"), encoding="utf-8") as fh:
                text = fh.read()
            break
        except OSError:
            continue
    if text is None:
        try:
            import importlib.resources
            text = importlib.resources.files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text(encoding="utf-8")
        except (ImportError, OSError):
            return {}
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            out[parts[2]] = parts[1]
    return out


def _examples(h: float) -> str:
    """``, e.g. 'America/New_York' (US Eastern: UTC-5 h in winter, with daylight saving), or
    where clocks stay on UTC-5 h all year, that place's zone, e.g. 'America/Panama' (Panama)``
    for the standard offset ``h`` [h] (:data:`OFFSET_EXAMPLES`); where to look when it has none.
    For a site whose place is not known, or without the tz database's zone table."""
    dst, fixed = OFFSET_EXAMPLES.get(float(h), (None, None))
    out = ""
    if dst:
        out += f", e.g. {dst[0]!r} ({dst[1]}: {_offset_text(h)} in winter, with daylight saving)"
    if fixed:
        out += (f"{', or' if dst else ';'} where clocks stay on {_offset_text(h)} all year, that place's zone, "
                f"e.g. {fixed[0]!r} ({fixed[1]})")
    return out or " (the tz database's zone1970.tab lists them)"


#: Farthest the city of a zone keeping the other daylight-saving rule is named as a second
#: example (:func:`_place_examples`): the farthest a site's weather station may be
#: (:data:`dcplan.site.MAX_STATION_DISTANCE_KM`); beyond it, no candidate for the site's clock
#: (Phoenix to Denver, 939 km, is within). [km]
MAX_ALTERNATIVE_KM = 1000.0

#: Farthest the nearest zone city on the standard time of a site's weather station may be for
#: the examples to follow the station (:func:`_allowed`): twice the farthest a station may be
#: from its site (:data:`dcplan.site.MAX_STATION_DISTANCE_KM`; Sand Point, AK, to Anchorage is
#: 901 km). Farther, the file is another place's (its own check says so when the weather is
#: loaded) and the examples follow the site's place. [km]
MAX_STATION_ZONE_KM = 2000.0
#: A zone whose city is this near the site is named first [km]; farther, the nearest city is no
#: guide to the site's own zone (Miami's nearest on UTC-5 is Havana, 365 km; Research Triangle's
#: America/Kentucky/Monticello, while New York is 682 km): the :data:`OFFSET_EXAMPLES` zones instead.
#: A dcplan choice (2026), not a published figure: about the radius of a metropolitan region.
NEAR_ZONE_KM = 250.0


def _place_examples(latitude: float, longitude: float, h: float | None, near_km: float = NEAR_ZONE_KM) -> str | None:
    """``, e.g. the zone whose city is nearest the site on UTC-7 h: 'America/Phoenix' (Phoenix,
    9 km away: UTC-7 h all year), or where clocks go forward in summer, the nearest such
    zone: 'America/Ciudad_Juarez' (Ciudad Juarez, 549 km away)``: the zone of the tz
    database's zone table (:mod:`dcplan.tz_places`) whose city is nearest the site [deg],
    among those keeping standard time ``h`` [h] this year (any, when None), and the nearest
    keeping the other daylight-saving rule, within :data:`MAX_ALTERNATIVE_KM`; None when the
    nearest is farther than :data:`NEAR_ZONE_KM` (the caller names :data:`OFFSET_EXAMPLES`'). When the
    nearest keeps the same clock all year as the :data:`OFFSET_EXAMPLES` zone of its rule
    (America/Kentucky/Monticello and America/New_York), that zone is named too. None
    without a zone table or a zone on ``h``."""
    import datetime as dt

    from .tz_places import nearest_zone, same_clock, zone_rule
    year = dt.date.today().year
    near = nearest_zone(latitude, longitude, year, h)
    if near is None:
        return None
    p, km = near
    if km > near_km:
        return None
    std, dst = zone_rule(p.zone, year)
    rule = f"standard time {_offset_text(std)}, with daylight saving" if dst else f"{_offset_text(std)} all year"
    ref = OFFSET_EXAMPLES.get(std, (None, None))[0 if dst else 1]
    if ref and ref[0] != p.zone and same_clock(ref[0], p.zone, year):
        rule += f"; in {year} the same clock as {ref[0]!r}, {ref[1]}"
    out = (f", e.g. the zone whose city is nearest the site on {_offset_text(std)}: {p.zone!r} ({p.city}, "
           f"{km:,.0f} km away: {rule})")
    alt = nearest_zone(latitude, longitude, year, std, not dst)
    if alt is not None and alt[1] <= MAX_ALTERNATIVE_KM:
        where = f"stay on {_offset_text(std)} all year" if dst else "go forward in summer"
        out += (f", or where clocks {where}, the nearest such zone: {alt[0].zone!r} ({alt[0].city}, "
                f"{alt[1]:,.0f} km away)")
    return out


def _allowed(h: float | None, latitude: float | None, longitude: float | None,
             station_h: float | None = None) -> str:
    """What a site's ``timezone`` may be, with example zones for the standard offset its
    weather file states for the station, ``station_h`` [h], when known; else for the offset
    ``h`` [h], or where the site's longitude [deg E] is more than 2 h of sun time from it
    (``UTC`` given for a US site) for the whole hour nearest the longitude's. With the site's
    ``latitude`` and ``longitude`` [deg], the examples are the zones nearest it when the nearest
    city is within :data:`NEAR_ZONE_KM` (:func:`_place_examples`; for ``h`` None, an unknown
    name, the nearest of any offset), and
    a station with no zone city on its offset within :data:`MAX_STATION_ZONE_KM` of the site
    is not followed; else the examples are :data:`OFFSET_EXAMPLES`'."""
    import datetime as dt

    from .tz_places import nearest_zone, zone_places
    head = "allowed: the IANA Region/City zone of the site"
    placed = latitude is not None and longitude is not None and bool(zone_places())
    if station_h is not None and placed:
        near = nearest_zone(latitude, longitude, dt.date.today().year, station_h)
        if near is None or near[1] > MAX_STATION_ZONE_KM:
            station_h = None  # the weather file of another place
    if station_h is not None:
        head, h = f"{head} (the station of its weather file keeps {_offset_text(station_h)})", station_h
    elif h is not None and longitude is not None and abs(h - longitude / 15.0) > 2.0:
        # the offset given is not the place's (UTC for a US site): the zone nearest the site, if near
        near_text = _place_examples(latitude, longitude, None) if placed else None
        if near_text is not None:
            return head + near_text
        h = float(round(longitude / 15.0))
        head = f"{head} (its longitude {longitude:g} is near {_offset_text(h)})"
    if placed:
        # no offset to go by (an unknown name, no station): the nearest zone city however far
        near_text = _place_examples(latitude, longitude, h, near_km=NEAR_ZONE_KM if h is not None else math.inf)
        if near_text is not None:
            return head + near_text
    if h is None:
        return "allowed: an IANA Region/City zone, e.g. 'America/New_York'"
    return head + _examples(h)


#: Why a fixed offset is wrong for a site: its tariff hours are its clock's.
_WHY_FIXED = ("a site's tariff hours are its local clock hours, and a fixed offset keeps standard time all year: "
              "where clocks go forward in summer, every summer hour would be billed an hour off")


def _base60_text(v: float) -> str:
    """How YAML 1.1 reads a number back to the ``h:mm`` it was written as: 330 -> ``5:30``,
    -300 -> ``-5:00`` (an unquoted ``5:30`` is a base-60 integer, 5 * 60 + 30)."""
    a = abs(v)
    hours = int(a // 60)
    return f"{'-' if v < 0 else ''}{hours}:{a - 60 * hours:02g}"


def timezone_name_problem(name: str | float, latitude: float | None = None, longitude: float | None = None,
                          station_h: float | None = None) -> str | None:
    """Why ``name`` is no site's time zone, or None when it is an IANA ``Region/City`` zone
    (:data:`PLACE_AREAS`) that :mod:`zoneinfo` loads.

    Refused: a UTC offset (``-5``, ``UTC-5``; a YAML number too, and one over 14 as the
    base-60 number YAML reads an unquoted ``5:30`` as, 330), a fixed-offset name (``EST``,
    ``Etc/GMT+5``, ``UTC``: standard time all year, wrong for a place that keeps daylight
    saving), an old alias (``US/Eastern``, ``EST5EDT``: the message names its Region/City zone,
    which keeps the same rules), a folder of the tz database (``America``) and a name it does
    not know (``CST``, ``Mountain``). The examples follow the standard offset of the site's
    weather station, ``station_h`` [h] (its file's header), when given, else the name's offset
    or the site's ``longitude`` [deg E]; with ``latitude`` [deg N] too, they are the zones
    whose cities are nearest the site, when within :data:`NEAR_ZONE_KM` (:func:`_allowed`).
    """
    import datetime as dt
    import zoneinfo
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        if not math.isfinite(name) or (abs(name) > 14 and not (name == int(name) and 60 <= abs(name) <= 14 * 60 + 45)):
            return (f"a number {name!r} is not a time zone; "
                    f"{_allowed(None, latitude, longitude, station_h)}")
        if abs(name) > 14:  # no hour offset: an unquoted h:mm (1:00 and later), read in base 60
            hm = _base60_text(name)
            h = -(abs(name) / 60.0) if name < 0 else name / 60.0
            return (f"a number {name:g}: YAML reads an unquoted {hm} as {name:g} (base 60); write the site's IANA "
                    f"Region/City zone (quoted or not), not a UTC offset: {_WHY_FIXED}; "
                    f"{_allowed(h, latitude, longitude, station_h)}")
        name = f"{name:g}"
    m = _OFFSET_RE.match(name.strip())
    if m and name not in _FIXED_NAMES:
        h = float(m.group(2)) + (int(m.group(3)) / 60.0 if m.group(3) else 0.0)
        h = -h if m.group(1) in ("-", "\u2212") else h
        return (f"{name!r} is a UTC offset ({_offset_text(h)}), not a time zone: {_WHY_FIXED}; "
                f"{_allowed(h, latitude, longitude, station_h)}")
    try:
        z = zoneinfo.ZoneInfo(name)
    except IsADirectoryError:  # a folder of zones (America, US, America/Indiana): OSError, not "not found"
        return (f"{name!r} is a folder of the tz database, not a time zone; "
                f"{_allowed(None, latitude, longitude, station_h)}")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        places = sorted(z for z in zoneinfo.available_timezones() if z.split("/", 1)[0] in PLACE_AREAS)
        return f"unknown IANA timezone {name!r}{did_you_mean(name, places)}; " + _allowed(
            None, latitude, longitude, station_h)
    if name.split("/", 1)[0] in PLACE_AREAS and "/" in name:
        return None
    jan = dt.datetime(2025, 1, 15, 12)
    h = (z.utcoffset(jan) - (z.dst(jan) or dt.timedelta(0))).total_seconds() / 3600.0
    if name in _FIXED_NAMES or name.startswith("Etc/"):
        sign = ""
        if re.fullmatch(r"Etc/GMT[+-]\d+", name):
            sign = (f" (POSIX signs: {name} is {abs(h):g} h {'west' if h < 0 else 'east'} of Greenwich, "
                    f"{_offset_text(h)})")
        return (f"{name!r} is a fixed offset, {_offset_text(h)} all year{sign}, not a place's time zone: "
                f"{_WHY_FIXED}; {_allowed(h, latitude, longitude, station_h)}")
    zone = _POSIX_DST_NAMES.get(name) or _link_targets().get(name)
    if zone and zone.split("/", 1)[0] in PLACE_AREAS:
        return (f"{name!r} is an old alias of {zone!r} (the tz database's 'backward' names); allowed: an IANA "
                f"Region/City zone: use {zone!r} (the same clock rules)")
    return (f"{name!r} is not a Region/City zone of the tz database; "
            f"{_allowed(h, latitude, longitude, station_h)}")
