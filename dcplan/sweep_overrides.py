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
An override of a finance value drops the site file's ``finance.sources`` text of it, which is the file's value's.

An override that switches ``solar.tracking`` does not carry over the site file's ``solar.tilt_deg``
and ``solar.azimuth_deg`` (:data:`ORIENTATION_KEYS`): a fixed array's tilt and facing bearing are a
tracker's axis tilt and axis bearing, another thing (Chicago's fixed 35 deg became a tracker axis tilted
35 deg, +20.8 % of PV against +11.2 % for the horizontal-axis tracker; Phoenix's tracker axis tilt 0
became a flat fixed array). The case takes the new mount's defaults
(:func:`dcplan.solar.default_orientation_deg`) unless the overrides set the key too;
:func:`orientation_resets` says which keys, :func:`orientation_reset_note` says it in words (a sweep
row's ``pv_orientation_note``), and :func:`pv_orientation_columns` gives the tilt and azimuth a case's
PV uses (a sweep row's ``pv_tilt_deg``, ``pv_azimuth_deg``).

An override that sets ``finance.sewer_billing`` to a rule other than ``winter_average`` does not carry over the site
file's ``finance.sewer_winter_months`` and ``sewer_billed_share_frac``
(:data:`dcplan.specs.finance.SEWER_WINTER_FIELDS`) or their ``finance.sources`` text: they are that rule's and
refused with any other, so Phoenix's ``on_supply`` case of a ``finance.sewer_billing`` axis was refused for the
file's months. Set by the overrides too, they are kept (and refused: the overrides asked for both).
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from .errors import InputError
from .site import Site, _battery_horizon_problems, _problems

__all__ = ["apply_overrides", "parse_path", "schema_problems", "ORIENTATION_KEYS", "orientation_resets",
           "orientation_reset_note", "pv_orientation_columns", "tracking_switch_warnings"]

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


def _in_set_order(overrides: dict[str, Any]) -> list[tuple[str, Any]]:
    """``overrides``' items in the order they are set: a whole section before any path inside it,
    whatever the dict's order, each value a deep copy.

    A sweep case's overrides are its ``fixed`` values, then its axis values; a fixed
    ``interconnection.battery.target: bill`` with an axis of whole ``interconnection.battery``
    values was set first and then replaced by the axis's section, so every case ran the default
    target while its ``overrides_json`` said ``bill``. Set shallower paths first (a stable sort on
    the number of keys and indices: a path is always shorter than the paths inside it), the field
    is set inside the section. The copy keeps a field set inside a section value from writing into
    the caller's value: a sweep spec's value is shared by its cases, whose rows and case ids show it.
    """
    return sorted(((k, copy.deepcopy(v)) for k, v in overrides.items()), key=lambda kv: len(parse_path(kv[0])))


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

    Notes
    -----
    An override of ``solar.tracking`` that switches the mount (fixed to tracker or back) drops the
    site file's ``solar.tilt_deg`` and ``solar.azimuth_deg`` unless the overrides set them too
    (:func:`orientation_resets`): the case takes the new mount's defaults.
    """
    if not overrides:
        return site
    # the fields the file set, at every level, as if the file had been written with the
    # overrides: a full dump would mark every default as set, so that a site without cooling
    # kept the plant of its old hardware, a measured fleet took the default utilisation_frac,
    # and finance.costs.<x> clashed with the (unset) finance.<x> ("set twice")
    d = site.model_dump(exclude_unset=True)
    _drop_replaced_forms(d, overrides)
    _drop_replaced_sources(d, overrides)
    _drop_other_rules_fields(d, overrides)
    for key in orientation_resets(site, overrides):  # a fixed array's tilt is not a tracker axis's
        d["solar"].pop(key, None)
    for path, value in _in_set_order(overrides):
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
        raise InputError(f"weather file not found: {_looked_in(new.weather.file, new, base_dir)}", file=file,
                         field="weather.file")
    if any(k.startswith("tariff") for k in keys) and new.tariff_path is not None \
            and not new.tariff_path.is_file():
        raise InputError(f"tariff file not found: {_looked_in(new.tariff.file, new, base_dir)}", file=file,
                         field="tariff.file")
    return new


def _looked_in(rel: str, site: Site, base_dir: str | Path | None) -> str:
    """A ``*.file`` override not found, with every folder it was looked for in, in order: the sweep
    spec's folder (``base_dir``, :func:`_resolve_file_value`), then as the site's own files are
    (:func:`dcplan.site_files.resolve_path`: the site file's folder, its parent, a portfolio's
    folder, the bundled ``data/``). It named only the last, ``data/``, as if nowhere else was tried."""
    from .site_files import _search_folders
    if Path(rel).expanduser().is_absolute():
        return str(rel)
    where = [] if base_dir is None else [Path(base_dir).resolve()]
    where += _search_folders(Path(site.source_file).parent if site.source_file else None)
    where = list(dict.fromkeys(where))
    places = str(where[0]) if len(where) == 1 else f"{', '.join(map(str, where[:-1]))} and {where[-1]}"
    return f"{rel} (looked in {places})"


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


def _drop_replaced_sources(d: dict, overrides: dict) -> None:
    """Remove from the dump ``d`` the ``finance.sources`` text of each finance value an override sets
    (``finance.<key>``, ``finance.costs.<key>``; ``finance.costs`` whole: every cost key's): the text says where
    the file's value comes from, not the override's (:mod:`dcplan.specs.finance_sources`)."""
    fin = d.get("finance")
    if not isinstance(fin, dict) or not fin.get("sources"):
        return
    src = dict(fin["sources"])
    for path, value in overrides.items():
        parts = str(path).split(".")
        if parts[0] != "finance" or len(parts) < 2 or parts[1].split("[")[0] == "sources":
            continue
        if parts[1] == "costs" and len(parts) == 2:  # the whole mapping: the file's cost values are gone
            gone = set(fin.get("costs") or {}) | set(value if isinstance(value, dict) else {})
        else:
            gone = {parts[2] if parts[1] == "costs" and len(parts) > 2 else parts[1]}
        for k in gone:
            src.pop(k, None)
    if src:
        fin["sources"] = src
    else:
        fin.pop("sources", None)


def _drop_other_rules_fields(d: dict, overrides: dict) -> None:
    """Remove from the dump ``d`` the site file's winter-average sewer fields
    (:data:`dcplan.specs.finance.SEWER_WINTER_FIELDS`) and their ``finance.sources`` text when an override sets
    ``finance.sewer_billing`` to another rule (or to null, the default ``on_supply``) and the overrides do not set
    them: they belong to the file's rule and are refused with any other."""
    from .specs.finance import SEWER_WINTER_FIELDS
    fin = d.get("finance")
    if "finance.sewer_billing" not in overrides or overrides["finance.sewer_billing"] == "winter_average" \
            or not isinstance(fin, dict):
        return
    src = dict(fin.get("sources") or {})
    for k in SEWER_WINTER_FIELDS:
        if f"finance.{k}" not in overrides:
            fin.pop(k, None)
            src.pop(k, None)
    if "sources" in fin:
        if src:
            fin["sources"] = src
        else:
            fin.pop("sources")


def _whose(msg: str, field: str, overrides: dict) -> str:
    """``msg`` saying whether the bad value at ``field`` is the override's or the file's."""
    if field in overrides:  # the value is the override's, not the file's: say so
        return msg + f" (the override {field}={overrides[field]!r}, not the file's value)"
    return msg + f" (with overrides {_short(overrides)})"


def _short(overrides: dict) -> str:
    s = json.dumps(overrides, default=str, sort_keys=True)
    return s if len(s) <= 200 else s[:197] + "..."


# ---------------------------------------------------------------------------
# a tracking override and the site file's orientation

#: The ``solar:`` keys whose meaning changes with ``solar.tracking``: a fixed array's surface tilt and
#: the bearing it faces; a tracker's axis tilt and the bearing of its axis (:mod:`dcplan.specs.solar`).
ORIENTATION_KEYS = ("tilt_deg", "azimuth_deg")


def _tracking_set(overrides: dict) -> bool | None:
    """The ``solar.tracking`` the overrides set, or None (not set, or not a bool: validation's to refuse)."""
    import numpy as np
    v = overrides.get("solar.tracking")
    return bool(v) if isinstance(v, (bool, np.bool_)) else None


def orientation_resets(site: Site, overrides: dict[str, Any] | None) -> dict[str, float]:
    """The site file's orientation values that ``overrides`` do not carry over, ``{key: file value}``.

    When ``overrides`` switch ``solar.tracking`` (to the other mount than ``site``'s), each of
    :data:`ORIENTATION_KEYS` the site file gives and the overrides do not set: a fixed array's tilt
    would otherwise become a tracker's axis tilt (or the reverse). :func:`apply_overrides` drops
    them, so the case takes the new mount's defaults. Empty otherwise (also when the overrides
    replace the whole ``solar`` section, which keeps nothing of the file's).

    >>> from dcplan.site import load_site
    >>> orientation_resets(load_site("chicago-il"), {"solar.tracking": True})
    {'tilt_deg': 35.0}
    >>> orientation_resets(load_site("chicago-il"), {"solar.tracking": True, "solar.tilt_deg": 10})
    {}
    """
    new = _tracking_set(overrides or {})
    s = site.solar
    if new is None or new == bool(s.tracking) or "solar" in (overrides or {}):
        return {}
    return {k: float(getattr(s, k)) for k in ORIENTATION_KEYS
            if k in s.model_fields_set and getattr(s, k) is not None and f"solar.{k}" not in overrides}


def _latitude(site: Site, overrides: dict) -> float:
    import numbers
    v = overrides.get("latitude")
    return float(v) if isinstance(v, numbers.Real) and not isinstance(v, bool) else float(site.latitude)


def orientation_reset_note(site: Site, overrides: dict[str, Any] | None) -> str:
    """What :func:`orientation_resets` drops and what the case uses instead, in words ('' if nothing).

    >>> from dcplan.site import load_site
    >>> orientation_reset_note(load_site("chicago-il"), {"solar.tracking": True}).split(":")[0]
    "solar.tracking true (the override) makes the site file's fixed array a single-axis tracker"
    """
    resets = orientation_resets(site, overrides)
    if not resets:
        return ""
    from .solar import default_orientation_deg
    tracking = bool(_tracking_set(overrides))
    lat = _latitude(site, overrides)
    tilt0, az0 = default_orientation_deg(lat, tracking)
    old, new = ("fixed array", "single-axis tracker") if tracking else ("single-axis tracker", "fixed array")
    what = {"tilt_deg": ("a tracker's axis tilt" if not tracking else "a fixed array's tilt"),
            "azimuth_deg": ("a tracker's axis bearing" if not tracking else "the bearing a fixed array faces")}
    if tracking:
        dflt = {"tilt_deg": f"axis tilt {tilt0:g} deg (a horizontal axis, as PVWatts v8 models trackers)",
                "azimuth_deg": f"axis azimuth {az0:g} (a north-south axis)"}
    else:
        dflt = {"tilt_deg": f"tilt {tilt0:g} deg (PVWatts v8's default)",
                "azimuth_deg": f"azimuth {az0:g} (facing the equator at latitude {lat:g})"}
    given = "; ".join(f"solar.{k} {v:g} is {what[k]}" for k, v in resets.items())
    keys = " and ".join(f"solar.{k}" for k in resets)
    return (f"solar.tracking {str(tracking).lower()} (the override) makes the site file's {old} a {new}: the "
            f"file's {given}, not a {new}'s, so this case uses the {new}'s default "
            f"{', '.join(dflt[k] for k in resets)}; to choose, set {keys} beside the tracking override")


#: :func:`pv_orientation_columns`' recent results: ``{(id(site), overrides' JSON): (site, columns)}`` (the
#: site is kept so that its id is not reused); a sweep's cases share a few sites and solar overrides.
_COLUMNS_MEMO: dict = {}
_COLUMNS_MEMO_MAX = 256


def pv_orientation_columns(site: Site, overrides: dict[str, Any] | None,
                           base_dir: str | Path | None = None) -> dict[str, Any]:
    """A sweep row's PV orientation: ``pv_tilt_deg`` and ``pv_azimuth_deg``, the tilt and azimuth the
    case's PV is modelled with (a tracker: its axis's; :func:`dcplan.solar_orientation.resolved_orientation_deg`
    of the case's site, after :func:`apply_overrides`; None without PV, ``solar.dc_kw`` 0), and, when the
    overrides switch the mount and the site file's orientation is not carried over,
    ``pv_orientation_note`` (:func:`orientation_reset_note`). Only the overrides of ``solar`` and
    ``latitude`` are applied (the others do not change the orientation).

    Raises
    ------
    InputError
        As :func:`apply_overrides`, for a bad ``solar`` or ``latitude`` override.
    """
    from .solar_orientation import resolved_orientation_deg
    sub = {k: v for k, v in (overrides or {}).items()
           if str(k).split(".", 1)[0].split("[", 1)[0] in ("solar", "latitude")}
    key = (id(site), json.dumps(sub, sort_keys=True, default=str), str(base_dir))
    hit = _COLUMNS_MEMO.get(key)
    if hit is not None and hit[0] is site:
        return dict(hit[1])
    new = apply_overrides(site, sub, base_dir) if sub else site
    tilt, az = resolved_orientation_deg(new) if new.solar.dc_kw > 0 else (None, None)
    cols: dict[str, Any] = {"pv_tilt_deg": tilt, "pv_azimuth_deg": az}
    note = orientation_reset_note(site, sub) if new.solar.dc_kw > 0 else ""
    if note:
        cols["pv_orientation_note"] = note
    if len(_COLUMNS_MEMO) >= _COLUMNS_MEMO_MAX:
        _COLUMNS_MEMO.pop(next(iter(_COLUMNS_MEMO)))
    _COLUMNS_MEMO[key] = (site, cols)
    return dict(cols)


def tracking_switch_warnings(sites: list, fixed: dict, axes: dict[str, list], base_dir: str | Path | None = None,
                             where: str = "") -> list[str]:
    """A sweep's warnings (:meth:`dcplan.sweep_spec.SweepSpec.axis_warnings`) of a ``solar.tracking``
    axis or fixed value that switches the PV mount of a base site whose file gives its orientation
    (:func:`orientation_resets`, with PV): those cases take the new mount's default orientation, not
    the file's. ``axes``: ``{name: values}`` of the sweep's axes; an axis of ``solar.tilt_deg`` or
    ``solar.azimuth_deg`` sets that key in every case (no reset of it). One text per axis or fixed value."""
    given = {k: v[0] for k, v in axes.items() if k in [f"solar.{x}" for x in ORIENTATION_KEYS] and v}
    found = [("fixed.solar.tracking", [fixed["solar.tracking"]])] if "solar.tracking" in fixed else []
    found += [("axes.solar.tracking", list(axes["solar.tracking"]))] if "solar.tracking" in axes else []
    out = []
    for field, values in found:
        hit: list[str] = []
        for site in sites:
            for v in values:
                ov = {**fixed, **given, "solar.tracking": v}
                try:
                    note = pv_orientation_columns(site, ov, base_dir).get("pv_orientation_note")
                except InputError:  # the value's own problem is said elsewhere
                    continue
                if note:
                    kind = "a tracker" if _tracking_set(ov) else "a fixed array"
                    vals = ", ".join(f"solar.{k} {x:g}" for k, x in orientation_resets(site, ov).items())
                    hit.append(f"{site.id} as {kind} ({vals} not used)")
        if hit:
            out.append(f"{where}{field}: switches the PV mount of {'; '.join(hit)}: a fixed array's tilt and "
                       "facing bearing are not a tracker's axis tilt and axis bearing, so those cases take the new "
                       "mount's defaults instead of the site file's values (a tracker: a horizontal north-south "
                       "axis; a fixed array: tilt 20 deg facing the equator; dcplan.solar.default_orientation_deg); "
                       "each row's pv_tilt_deg and pv_azimuth_deg say what was used and pv_orientation_note why; "
                       "to choose, set solar.tilt_deg and solar.azimuth_deg in fixed or as axes")
    # a tilt or azimuth the sweep gives both mounts is one figure with two meanings (a verifier's finding: tracking
    # [false, true] x tilt [10, 35] ran 35-deg-tilted tracker axes, +20.8 % over the fixed array, silently)
    modes = {bool(v) for _, values in found for v in values if isinstance(v, (bool, np.bool_))}
    shared = [k for k in (f"solar.{x}" for x in ORIENTATION_KEYS) if k in axes or k in fixed]
    if len(modes) == 2 and shared:
        out.append(f"{where}{', '.join(shared)} with solar.tracking false and true: the same value is a fixed array's "
                   "panel tilt / facing bearing in the fixed cases and the tracker's axis tilt / axis bearing in the "
                   "tracker cases (a tilted-axis tracker, not the usual horizontal one); to compare the usual "
                   "mounts, sweep each mount apart (a tracker at solar.tilt_deg 0)")
    return out
