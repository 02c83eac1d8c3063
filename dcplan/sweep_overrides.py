"""Site overrides: set dotted site-spec paths on a copy of a site and re-validate it.

Part of :mod:`dcplan.sweep` (import from there; :mod:`dcplan.sweep_spec` re-exports these
too). A sweep's axes and fixed values, and :func:`dcplan.pipeline.case_figures`'s keyword
arguments, are such overrides::

    apply_overrides(site, {"fleet.phases[0].count": 256, "cooling.type": "air",
                           "tariff.file": "tariffs/x.json"}, base_dir="sweeps/")

:func:`parse_path` splits a path into keys and list indices; :func:`apply_overrides`
sets each value (a relative ``*.file`` value is looked up in ``base_dir`` first), rebuilds
the site with ``Site.model_validate``, runs the checks across sections that
:func:`dcplan.site.load_site` runs (a horizon past the battery's life) and checks that an
overridden weather or tariff file exists. Errors name the field path and say whether the bad value is the override's.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import InputError
from .site import Site, _battery_horizon_problems, _problems

__all__ = ["apply_overrides", "parse_path", "schema_problems"]

_PATH_RE = re.compile(r"^[A-Za-z_]\w*(\[\d+\])*(\.[A-Za-z_]\w*(\[\d+\])*)*$")
_TOKEN_RE = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


def parse_path(path: str) -> list[str | int]:
    """Split a dotted site-spec path into keys and list indices.

    ``"fleet.phases[0].count"`` -> ``["fleet", "phases", 0, "count"]``.
    """
    if not isinstance(path, str) or not _PATH_RE.match(path):
        raise InputError(f"{path!r} is not a site-spec path; write keys joined by '.', list items "
                         "as [i], e.g. 'fleet.phases[0].count'", field=str(path))
    return [m.group(1) if m.group(1) is not None else int(m.group(2))
            for m in _TOKEN_RE.finditer(path)]


def _set_path(d: dict, parts: list, value: Any, path: str) -> None:
    cur: Any = d
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        where = path if last else _join(parts[:i + 1])
        if isinstance(part, int):
            if not isinstance(cur, list):
                raise InputError(f"{_join(parts[:i]) or 'site'} is not a list; cannot index [{part}]",
                                 field=path)
            if part >= len(cur):
                raise InputError(f"index [{part}] out of range: {_join(parts[:i])} has {len(cur)} "
                                 f"item{'s' if len(cur) != 1 else ''}", field=path)
            key = part
        else:
            if not isinstance(cur, dict):
                raise InputError(f"{_join(parts[:i]) or 'site'} is a value, not a section; "
                                 f"cannot set {part!r}", field=path)
            key = part
        if last:
            cur[key] = value
            return
        nxt = cur.get(key) if isinstance(cur, dict) else cur[key]
        if nxt is None:        # unset optional section (e.g. tariff: null): start an empty one
            nxt = {}
        elif isinstance(nxt, tuple):
            nxt = list(nxt)
        elif not isinstance(nxt, (dict, list)):
            raise InputError(f"{where} is a value ({nxt!r}), not a section", field=path)
        cur[key] = nxt
        cur = nxt


def _join(parts: list) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (("." if out else "") + p)
    return out


def _resolve_file_value(path: str, value: Any, base_dir: Path | None) -> Any:
    """A relative ``*.file`` value that exists under ``base_dir`` becomes absolute."""
    if base_dir is None or not path.endswith("file") or not isinstance(value, str):
        return value
    p = Path(value).expanduser()
    if not p.is_absolute() and (Path(base_dir) / p).is_file():
        return str((Path(base_dir) / p).resolve())
    return value


def apply_overrides(site: Site, overrides: dict[str, Any] | None,
                    base_dir: str | Path | None = None) -> Site:
    """A copy of ``site`` with dotted-path overrides set, validated like a site file.

    Parameters
    ----------
    site : Site
        The base site (not modified).
    overrides : dict
        ``{"fleet.phases[0].count": 256, "cooling.type": "air", "solar.dc_kw": 2000,
        "tariff.file": "tariffs/x.json"}``. A path into an unset optional section
        (``tariff`` when the site has none) starts that section empty.
    base_dir : path, optional
        Folder that relative ``*.file`` values are looked up in first (the sweep
        spec's folder); otherwise they resolve as the site's own files do.

    Returns
    -------
    Site
        Rebuilt with ``Site.model_validate`` (so every section validator runs;
        ``model_copy(update=...)`` would not validate).

    Raises
    ------
    InputError
        Naming the field path, the value and what is allowed (pydantic's message,
        with "did you mean" for an unknown key); also when an overridden weather
        or tariff file does not exist, and for the checks across sections that
        :func:`dcplan.site.load_site` makes on a site file: a ``finance.horizon_years``
        longer than the battery's economic life with an ``interconnection.battery``
        (:data:`dcplan.specs.finance.BATTERY_LIFE_YEARS`), whichever of the two the
        overrides set.
    """
    if not overrides:
        return site
    # the fields the file set, at every level, as if the file had been written with the
    # overrides: a full dump would mark every default as set, so that a site without cooling
    # kept the plant of its old hardware, a measured fleet took the default utilisation_frac,
    # and finance.costs.<x> clashed with the (unset) finance.<x> ("set twice")
    d = site.model_dump(exclude_unset=True)
    _drop_replaced_forms(d, overrides)
    for path, value in overrides.items():
        _set_path(d, parse_path(path), _resolve_file_value(path, value, base_dir), path)
    file = site.source_file or None
    try:
        new = Site.model_validate(d)
    except ValidationError as e:
        field, msg = _problems(e, Site)[0]
        raise InputError(_whose(msg, field, overrides), file=file, field=field or None) from None
    # the checks across sections load_site makes after validating (the same rule, not a copy): a
    # horizon past the battery's life, whether the override sets the horizon or adds the battery
    for field, msg in _battery_horizon_problems(new)[:1]:
        raise InputError(_whose(msg, field, overrides), file=file, field=field)
    keys = set(overrides)
    if any(k.startswith("weather") for k in keys) and not new.weather_path.is_file():
        raise InputError(f"weather file not found: {new.weather_path}", file=file, field="weather.file")
    if any(k.startswith("tariff") for k in keys) and new.tariff_path is not None \
            and not new.tariff_path.is_file():
        raise InputError(f"tariff file not found: {new.tariff_path}", file=file, field="tariff.file")
    return new


def schema_problems(overrides: dict[str, Any]) -> list[tuple[str, str]]:
    """Problems of dotted-path overrides found from the site schema alone, without a base site.

    For a sweep whose base site or portfolio does not load (or whose ``site`` axis names no
    site it has): each path must be a site-spec path of known keys, and each value must be
    of the type and in the range its field allows (``fleet.phases[0].count`` >= 0), and a
    hardware key must be a server or rack of data/hardware.csv. What needs a site (a list
    index in range, a file relative to the site, checks across fields) is not checked.
    Returns ``(path, message)`` pairs, at most one per path.

    Examples
    --------
    >>> schema_problems({"cooling.typ": "air", "solar.dc_kw": 100})[0][1][:20]
    "unknown key 'typ' (d"
    """
    out = []
    for path, value in overrides.items():
        try:
            parts = parse_path(path)
        except InputError as e:
            out.append((str(path), e.detail))
            continue
        # the value alone in an otherwise empty site: every other field is "missing", which is
        # not this override's problem; what is wrong at the path (or inside the value) is
        d: dict = {}
        cur: Any = d
        for part, nxt in zip(parts, parts[1:] + [None]):
            child = value if nxt is None else ([] if isinstance(nxt, int) else {})
            if isinstance(part, int):  # items before it: empty (only "missing" problems)
                cur.extend({} for _ in range(part + 1 - len(cur)))
            cur[part] = child
            cur = child

        def mine(found: list[tuple[str, str]], path: str = path) -> list[tuple[str, str]]:
            return [(f, m) for f, m in found if f == path or f.startswith((path + ".", path + "["))]

        try:
            Site.model_validate(d)
            found = []
        except ValidationError as e:
            found = mine(_problems(e, Site))
        if not found:  # the schema takes it: a hardware key must still be in the catalog
            from .site import _hardware_problems
            found = mine(_hardware_problems(d.get("fleet"), None))
        out += found[:1]
    return out


#: Sections written in one of two forms: an override of a key of one form replaces the other form
#: (a tariff_file parameter on a site with a flat tariff; a region on a site with its own figures).
_FORMS = {"tariff": (("file", "label"), ("flat_usd_per_kwh", "demand_usd_per_kw", "fixed_usd_per_month", "source")),
          "interconnection": (("region",), ("time_to_power",))}


def _drop_replaced_forms(d: dict, overrides: dict) -> None:
    """Remove from the dump ``d`` the keys of the form an override replaces (see :data:`_FORMS`)."""
    for section, forms in _FORMS.items():
        sec = d.get(section)
        if not isinstance(sec, dict):
            continue
        given = {str(k).split(".", 2)[1].split("[")[0] for k in overrides
                 if str(k).startswith(section + ".") and str(k).count(".") >= 1}
        for mine, other in (forms, forms[::-1]):
            if given & set(mine) and not given & set(other):
                for k in other:
                    sec.pop(k, None)


def _whose(msg: str, field: str, overrides: dict) -> str:
    """``msg`` saying whether the bad value at ``field`` is the override's or the file's."""
    if field in overrides:  # the value is the override's, not the file's: say so
        return msg + f" (the override {field}={overrides[field]!r}, not the file's value)"
    return msg + f" (with overrides {_short(overrides)})"


def _short(overrides: dict) -> str:
    s = json.dumps(overrides, default=str, sort_keys=True)
    return s if len(s) <= 200 else s[:197] + "..."
