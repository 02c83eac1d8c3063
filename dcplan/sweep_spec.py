"""Sweep specs: a base site (or portfolio) and parameter axes, expanded into cases.

This module checks a spec (:class:`SweepSpec`; every axis value is tried on every base site
before anything runs; :func:`load_sweep`, in :mod:`dcplan.sweep_load`, reads one from YAML)
and expands it into :class:`Case` objects with stable ids (:func:`case_id`).

Part of :mod:`dcplan.sweep` (import from there). A sweep spec in YAML::

    name: example
    portfolio: default                 # or  site: phoenix-az  (a bundled name or a YAML path)
    axes:
      site: [research-triangle-nc, phoenix-az]     # portfolio site ids, or "all"
      fleet.phases[0].count: [128, 256, 512]
      cooling.type: [air, liquid]
      solar.dc_kw: {min: 0, max: 6000, steps: 4}   # grid: np.linspace; sample: uniform
    fixed: {finance.horizon_years: 10}  # applied to every case
    mode: grid                          # grid (full product) | sample
    samples: 20                         # sample mode: points per site
    method: lhs                         # sample mode: lhs (Latin hypercube) | random
    seed: 1
    case: dcplan.pipeline:case_figures  # importable "module:function"

Axis names (other than ``site``) are dotted site-spec paths (``fleet.phases[0].count``);
:func:`apply_overrides` (:mod:`dcplan.sweep_overrides`; re-exported here) sets them on a
copy of the site and re-validates it. Files in the spec (``portfolio``, ``site``, values
of ``*.file`` axes) are resolved relative to the spec's folder first, then as the site
would resolve them.

The ``site`` axis is always crossed in full with the other axes (in sample mode
every site gets the same sample points), so sites are compared on equal terms.
"""
from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from typing import Any

import warnings

import numpy as np

from ._ts import did_you_mean
from .errors import DcplanWarning, InputError
from .site import Portfolio, Site
from .sweep_axes import (MAX_CHECKED_STEPS, Axis, _axis_from_raw, layout_axis_warnings,  # noqa: F401
                         nested_axes, shown)
from .sweep_load import load_sweep  # noqa: F401 (re-exported)
from .sweep_overrides import (_PATH_RE, _TOKEN_RE, _join, _resolve_file_value,  # noqa: F401 (re-exported)
                              _set_path, _short, apply_overrides, parse_path, schema_problems)

__all__ = ["apply_overrides", "parse_path", "case_id", "Axis", "Case", "SweepSpec", "load_sweep",
           "DEFAULT_CASE", "TCO_CASE"]

#: The case function used when a spec names none: the hourly chain of :mod:`dcplan.pipeline`.
DEFAULT_CASE = "dcplan.pipeline:case_figures"

#: A shipped case function with the site's deterministic TCO (:func:`dcplan.sweep_tco.case_tco`): it reads every
#: ``finance`` input, so its finance axes get no warning (:meth:`SweepSpec.axis_warnings`).
TCO_CASE = "dcplan.sweep_tco:case_tco"

#: The ``finance`` inputs :data:`DEFAULT_CASE` reads: those of the PV's and the site battery's
#: annual costs (:func:`dcplan.solar_value.pv_annual_cost`,
#: :func:`dcplan.battery_value.battery_annual_cost`: their rates, in ``finance:`` or
#: ``finance.costs``, and their capex and O&M prices). An axis of another finance input gets a
#: warning (:meth:`SweepSpec.axis_warnings`).
CASE_FIGURES_FINANCE = frozenset(
    [f"finance.{k}" for k in ("discount_rate_frac", "electricity_escalation_frac", "inflation_frac")]
    + [f"finance.costs.{k}" for k in ("discount_rate_frac", "electricity_escalation_frac", "inflation_frac",
                                      "pv_usd_per_kw_dc", "pv_om_usd_per_kw_dc_year",
                                      "battery_usd_per_kwh", "maintenance_facility_frac")])


# ---------------------------------------------------------------------------
# case ids

def case_id(site_id: str, overrides: dict[str, Any]) -> str:
    """Stable id of a case: first 16 hex digits of SHA-256 of the site id and overrides (JSON)."""
    doc = json.dumps({"site": site_id, "overrides": overrides}, sort_keys=True, default=str,
                     separators=(",", ":"))
    return hashlib.sha256(doc.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------
# axes, cases, spec

#: Most cases one sweep may hold (sites x grid points, or sites x samples): each is a row and a task's memory;
#: a million site-year cases is about 17 core-hours (:data:`dcplan.sweep_messages.CASE_CPU_S`, 60 ms CPU each).
MAX_CASES = 1_000_000


@dataclasses.dataclass(frozen=True)
class Case:
    """One case: a site and the overrides (fixed + axis values) to run it with."""

    case_id: str
    site: Site
    overrides: dict
    axis_values: dict
    base_dir: str | None = None
    #: Sample mode: how many of the site's draws fell on this case (repeated draws of discrete
    #: axes run once; weight statistics by it). None in grid mode.
    draws: int | None = None

    @property
    def site_id(self) -> str:
        return self.site.id


def _run_checked(site: Site, names) -> Site:
    """``site``, once the checks a run would make first pass for overridden ``names``: every
    fleet phase's hardware is a catalog server or rack (a ``fleet.*`` name;
    :func:`dcplan.site._hardware_problems`), the tariff file parses
    (a ``tariff.*`` name). Raises the run's InputError (its field: the site's)."""
    names = list(names)
    if any(n.split(".", 1)[0].split("[", 1)[0] == "fleet" for n in names):
        from .site import _hardware_problems  # catalog look-ups only: cheap; as load_site checks them
        fleet = {"phases": [{"hardware": ph.hardware, "count": ph.count} for ph in site.fleet.phases]}
        # (not the plant's cooling type: another axis may change it; an air case of a liquid-only
        # rack fails in its own run, with the reason)
        for field, msg in _hardware_problems(fleet, None)[:1]:
            raise InputError(msg, field=field)
    if site.tariff is not None and any(n.split(".", 1)[0] == "tariff" for n in names):
        from .pipeline import site_tariff
        site_tariff(site)
    return site


#: SweepSpec's problem when built without a base site (``_no_base``) and nothing else is wrong.
_NO_BASE = "no base site loaded"

@dataclasses.dataclass
class SweepSpec:
    """A sweep: base sites x axes (grid or sampled) -> cases.

    Build from YAML with :func:`load_sweep`, or in Python::

        SweepSpec(sites=[load_site("phoenix-az")],
                  axes={"cooling.type": ["air", "liquid"], "solar.dc_kw": [0, 2000]})

    ``axes`` maps a site-spec path to a list of values or to a range dict
    ``{"min": .., "max": .., "steps": ..}`` (``steps`` needed in grid mode).
    """

    sites: list[Site]
    axes: dict[str, Any] = dataclasses.field(default_factory=dict)
    fixed: dict[str, Any] = dataclasses.field(default_factory=dict)
    mode: str = "grid"
    samples: int | None = None
    method: str = "lhs"
    seed: int = 0
    case: str = DEFAULT_CASE
    name: str = "sweep"
    out: str | None = None
    csv: bool = False
    file: str | None = None          # the YAML it came from (for error messages)
    base_dir: str | None = None      # folder relative *.file values are looked up in first

    #: Not a field: True when the caller (:func:`load_sweep`) could not load the base site or
    #: portfolio and has said why; the axes and fixed values are then checked against the site
    #: schema alone (:func:`dcplan.sweep_overrides.schema_problems`), and the spec is refused.
    _no_base: dataclasses.InitVar[bool] = False

    def __post_init__(self, _no_base: bool = False):
        f = self.file
        problems: list[InputError] = []  # every problem is reported at once

        def bad(msg: str, field: str) -> None:
            problems.append(InputError(msg, file=f, field=field))

        if isinstance(self.sites, (Site,)):
            self.sites = [self.sites]
        pf = self.sites if isinstance(self.sites, Portfolio) else None
        self.sites = [] if _no_base else list(self.sites.sites if pf is not None else self.sites)
        # sites whose weather or tariff file is not there: refused if run, named once if the site axis leaves
        # them out, as render does (dcplan.sweep_held)
        from .sweep_held import held_site_errors
        held = held_site_errors(self.sites, None if pf is None else pf.file_problems)
        self._held_left_out, self._held_portfolio = {}, None if pf is None else pf.source_file or None
        if not self.sites and not _no_base:
            bad("a sweep needs at least one site", "site")
        nm = self.name
        if not isinstance(nm, str):
            bad(f"name must be a string, got {nm!r}", "name")
        elif self.out is None and (not nm.strip() or nm.strip(" .") == "" or any(c in nm for c in "/\\:")
                                   or any(ord(c) < 32 for c in nm)):   # with out:, the name is a label only
            bad(f"name {nm!r} is not allowed: it names the default results file "
                "sweeps/<name>.parquet, so it must be a file name (no / \\ : or control "
                "characters, not . or ..); give a path as out: instead", "name")
        if self.mode not in ("grid", "sample"):
            bad(f"mode {self.mode!r} not allowed{did_you_mean(str(self.mode), ['grid', 'sample'])}; "
                "allowed: grid, sample", "mode")
        if self.method not in ("lhs", "random"):
            bad(f"method {self.method!r} not allowed; allowed: lhs, random", "method")
        if self.mode == "sample" and (isinstance(self.samples, bool) or not isinstance(self.samples, int)
                                      or self.samples < 1):
            bad(f"sample mode needs samples: an integer >= 1, got {self.samples!r}", "samples")
        if self.seed is None or isinstance(self.seed, bool) or not isinstance(self.seed, int) \
                or self.seed < 0:
            bad(f"seed must be an integer >= 0, got {self.seed!r}", "seed")
        if not isinstance(self.case, str) or ":" not in self.case:
            bad(f"case must be an importable 'module:function', got {self.case!r}", "case")
        axes = self.axes
        if not isinstance(axes, dict):
            bad(f"axes must be a mapping of site-spec path to values, got {axes!r}", "axes")
            axes = {}
        if "site" in axes and self.sites:
            # an unknown site is a problem of its own: the axes are checked on the sites known
            self.sites, errs = self._pick_sites(axes["site"])
            problems += errs
            if not any(e.field == "axes.site" for e in errs):  # (a site axis that is no list runs no site)
                picked = {s.id for s in self.sites}
                self._held_left_out = {k: e for k, e in held.items() if k not in picked}
        problems += [held[s.id] for s in self.sites if s.id in held]  # load_site's error for each site it runs
        self._axes = []
        for k, v in axes.items():  # one problem per axis
            if k == "site":
                continue
            try:
                a = self._axis(k, v)
                if self.mode == "grid" and a.is_range and a.steps is None:
                    raise InputError("a range axis needs steps in grid mode (or use mode: sample)",
                                     file=f, field=f"axes.{a.name}")
                self._axes.append(a)
            except InputError as e:
                problems.append(e)
        problems += nested_axes(self._axes, f)
        sized = not any(e.field in ("samples", "mode") or str(e.field).startswith("axes.") for e in problems)
        if sized and self.sites:  # (the count needs every axis, the mode and the samples)
            try:
                self._check_size()
            except InputError as e:
                problems.append(e)
        problems += self._check_values() if self.sites else self._check_schema()
        if _no_base and not problems:  # load_sweep raises the base's problem (and drops this one)
            bad(_NO_BASE, "site")
        _raise_all(f, problems)
        for text in self.axis_warnings():
            warnings.warn(text, DcplanWarning, stacklevel=3)

    # -- validation ------------------------------------------------------
    def axis_warnings(self) -> list[str]:
        """Axes that are valid but likely not what was meant, one text each (issued as
        :class:`~dcplan.errors.DcplanWarning` when the spec is built):

        * an axis under ``finance.`` that the default case function
          (:data:`DEFAULT_CASE`, :func:`dcplan.pipeline.case_figures`) does not read: of the
          finance inputs it reads only the PV's and battery's annual costs' (:data:`CASE_FIGURES_FINANCE`),
          so such an axis's cases give the same figures (none with :data:`TCO_CASE`, whose TCO reads them all);
        * a ``tariff.file`` axis over several sites: every site is billed on every tariff
          listed, other utilities' too (Phoenix on ComEd). Not refused: billing every site on
          one tariff is a way to compare the sites without their tariffs;
        * a ``fleet.phases[i].units_per_rack`` axis with the default case function or :data:`TCO_CASE`, of whose
          row only the rack figures (``racks_total``, ``rack_kw_max``) follow the layout
          (:func:`dcplan.sweep_axes.layout_axis_warnings`);
        * ``samples`` given in grid mode (``mode`` left out), where it is not read;
        * a ``solar.tracking`` axis or fixed value that switches a site's PV mount whose file
          gives ``solar.tilt_deg`` or ``azimuth_deg``: those cases take the new mount's defaults
          (:func:`dcplan.sweep_overrides.tracking_switch_warnings`).
        """
        out = []
        where = (f"{self.file}: " if self.file else "")
        if self._held_left_out:
            from .sweep_held import held_left_out_text
            out.append(held_left_out_text(self._held_left_out, self._held_portfolio, where))
        if self.case == DEFAULT_CASE:  # (dcplan.sweep_tco:case_tco reads every finance input: no such warning)
            for a in self._axes:
                if a.name.startswith("finance.") and a.name not in CASE_FIGURES_FINANCE \
                        and a.name != "finance.costs":
                    out.append(f"{where}axes.{a.name}: the case function {DEFAULT_CASE} does not read {a.name}, "
                               "so its cases give the same figures; of the finance inputs it reads only the PV's "
                               "and the site battery's annual costs' (finance.discount_rate_frac, "
                               "electricity_escalation_frac, inflation_frac, also under finance.costs, and "
                               "finance.costs.pv_usd_per_kw_dc, pv_om_usd_per_kw_dc_year, battery_usd_per_kwh, "
                               "maintenance_facility_frac); drop the axis, or run a case function that reads it: "
                               f"{TCO_CASE} adds the site's TCO (npv_usd, irr_frac, ...) and reads every finance "
                               f"input (dcplan sweep --case {TCO_CASE}), or your own (--case MODULE:FUNCTION)")
        if self.case in (DEFAULT_CASE, TCO_CASE):  # the TCO takes no rack layout either
            out += layout_axis_warnings(self._axes, where, self.case)
        from .sweep_overrides import tracking_switch_warnings  # a fixed array's tilt is not a tracker axis's
        out += tracking_switch_warnings(self.sites, self.fixed, {a.name: a.values for a in self._axes},
                                        self.base_dir, where)
        if self.mode == "grid" and self.samples is not None:  # (a sample sweep's usual key, mode left out)
            out.append(f"{where}samples: {self.samples!r} is read only with mode: sample; this grid sweep runs "
                       "every combination of its axes' values and ignores it: add mode: sample to draw that many "
                       "points a site, or drop samples")
        files = [a for a in self._axes if a.name == "tariff.file" and len(a.values) > 1]
        if files and len(self.sites) > 1:
            ids = ", ".join(s.id for s in self.sites)
            out.append(f"{where}axes.tariff.file: every one of the {len(self.sites)} sites ({ids}) is billed "
                       f"on each of the {len(files[0].values)} tariffs, other utilities' too; a tariff is a "
                       "utility's, so compare tariffs in a sweep of one site (site: ID), or keep this to bill "
                       "every site on the same tariffs on purpose")
        return out

    def _pick_sites(self, chosen: Any) -> tuple[list[Site], list[InputError]]:
        """The ``site`` axis: ``"all"`` or a list of ids among ``sites``. Returns the sites
        it names that are known and one error per unknown id (none known, or a ``site`` axis
        that is no list: no sites, so the other axes are checked on the site schema)."""
        if chosen == "all":
            return self.sites, []
        ids = [s.id for s in self.sites]
        if not isinstance(chosen, (list, tuple)) or not chosen:
            return [], [InputError(f"site axis must be 'all' or a list of site ids, got {chosen!r}",
                                   file=self.file, field="axes.site")]
        errs = [InputError(f"value {sid!r}: no such site{did_you_mean(str(sid), ids)}; sites: "
                           f"{', '.join(ids)}", file=self.file, field="axes.site")
                for sid in chosen if sid not in ids]
        # a site given twice ran once, silently, where any other axis refuses a repeated value
        errs += [InputError(f"value {sid!r} (item {j}) repeats {sid!r} (item {list(chosen).index(sid)}); "
                            "each value once", file=self.file, field="axes.site")
                 for j, sid in enumerate(chosen) if sid in ids and list(chosen).index(sid) != j]
        return [self.sites[ids.index(sid)] for sid in chosen if sid in ids], errs

    def _axis(self, name: str, raw: Any) -> Axis:
        try:
            parse_path(name)
        except InputError as e:
            raise InputError(e.detail, file=self.file, field=f"axes.{name}") from None
        if name in self.fixed:
            raise InputError(f"{name!r} is both an axis and in fixed; keep one", file=self.file,
                             field=f"axes.{name}")
        return _axis_from_raw(name, raw, self.file)

    def _check_size(self) -> None:
        """Refuse more than :data:`MAX_CASES` cases before any is built (a grid of three
        1,000-step axes is 10⁹ cases: it filled memory and never started)."""
        per = [len(a.values) if not a.is_range else (a.steps or 1) for a in self._axes]
        points = math.prod(per) if self.mode == "grid" else self.samples
        n = points * len(self.sites)
        if n <= MAX_CASES:
            return
        if self.mode == "grid":
            sizes = " x ".join(f"{a.name} {k:,}" for a, k in zip(self._axes, per))
            what = f"{len(self.sites)} site(s) x {sizes} = {n:,} cases"
            field = "axes." + self._axes[int(np.argmax(per))].name
            hint = "fewer values or steps, or mode: sample with samples"
        else:
            what = f"{len(self.sites)} site(s) x {self.samples:,} samples = {n:,} cases"
            field, hint = "samples", "fewer samples"
        from .sweep_messages import CASE_CPU_S as per  # the measured per-case time the README states
        raise InputError(f"{what}; allowed: at most {MAX_CASES:,} cases in one sweep (about {MAX_CASES * per / 3600:,.0f} "
                         f"core-hours of site-years at about {1000 * per:.0f} ms CPU each): use {hint}, or split the sweep",
                         file=self.file, field=field)

    def _check_values(self) -> list[InputError]:
        """Every fixed value and every axis value, alone, on every base site: the spec's
        validation, and what a run would trip on first for fleet and tariff values (a
        hardware key not in the catalog, a tariff file that does not parse). Fixed values
        refused alone are checked again with the first case's axis values (a fixed value
        valid only beside an axis's, as a flat tariff's charges beside its swept rate); when
        that passes, each axis value is checked on that site. Returns the first bad fixed
        value and the first bad value of each axis, one error each.

        An axis value is checked with the overrides its site passed with (the fixed values, with the first case's
        axis values if they needed them) beside it in one set, as a case sets them: on the site those made, it
        passed where the case is refused (a fixed ``finance.sewer_winter_months`` beside a ``finance.sewer_billing``
        axis's ``on_supply``, read as the file's months, which that rule drops)."""
        base, out = {}, []
        grid = self.mode == "grid"
        # the first case's axis values: fixed values that are valid only with an axis's value
        # beside them (a flat tariff's fixed charges, its rate on an axis) are checked with them
        first = {a.name: a.check_values(grid=grid)[0] for a in self._axes}
        for site in self.sites:
            try:
                _run_checked(apply_overrides(site, self.fixed, self.base_dir), self.fixed)
                base[site.id] = self.fixed
            except InputError as e:
                if first:
                    both = {**self.fixed, **first}
                    try:
                        _run_checked(apply_overrides(site, both, self.base_dir), both)
                        base[site.id] = both
                        continue
                    except InputError:
                        pass  # wrong with the axes too: the fixed value's error, as found alone
                k = e.field if e.field in self.fixed else next(iter(self.fixed))
                where = "" if not e.field or e.field == k else f"{e.field}: "
                if not out:  # the first bad fixed value; the axes are then checked on the site as it is
                    out.append(InputError(f"value {shown(self.fixed.get(k))}: {where}{e.detail} (site {site.id})",
                                          file=self.file, field=f"fixed.{k}"))
                base[site.id] = {}
        for a in self._axes:
            try:
                for v in a.check_values(grid=grid):
                    for site in self.sites:
                        try:
                            _run_checked(apply_overrides(site, {**base[site.id], a.name: v}, self.base_dir),
                                         (a.name,))
                        except InputError as e:
                            where = "" if e.field == a.name else f"{e.field}: "
                            hint = a.grid_hint() if grid else ""
                            raise InputError(f"value {shown(v)}: {where}{e.detail} (site {site.id}){hint}",
                                             file=self.file, field=f"axes.{a.name}") from None
            except InputError as e:
                out.append(e)
        return out

    def _check_schema(self) -> list[InputError]:
        """Without a base site (none loaded, or the ``site`` axis names none known): every
        fixed value and the first bad value of each axis, checked on the site schema alone
        (:func:`dcplan.sweep_overrides.schema_problems`), one error each."""
        out = []
        why = "(no base site to check it on: checked on the site schema only)"
        fixed = self.fixed if isinstance(self.fixed, dict) else {}
        for k, v in fixed.items():
            for field, msg in schema_problems({k: v}):
                where = "" if field == k else f"{field}: "
                out.append(InputError(f"value {shown(v)}: {where}{msg} {why}", file=self.file, field=f"fixed.{k}"))
        for a in self._axes:
            for v in a.check_values(grid=self.mode == "grid"):
                found = schema_problems({a.name: v})
                if found:
                    field, msg = found[0]
                    where = "" if field == a.name else f"{field}: "
                    out.append(InputError(f"value {shown(v)}: {where}{msg} {why}", file=self.file,
                                          field=f"axes.{a.name}"))
                    break
        return out

    # -- expansion -------------------------------------------------------
    def points(self) -> list[dict]:
        """Axis-value combinations (without the site axis), in a stable order."""
        if not self._axes:
            return [{}]
        names = [a.name for a in self._axes]
        if self.mode == "grid":
            return [dict(zip(names, combo))
                    for combo in itertools.product(*[a.grid_values() for a in self._axes])]
        rng = np.random.default_rng(self.seed)
        if self.method == "lhs":
            from scipy.stats import qmc
            try:
                lhs = qmc.LatinHypercube(d=len(self._axes), rng=rng)
            except TypeError:  # scipy < 1.15 (requirements allow 1.12) names it seed; same stream
                lhs = qmc.LatinHypercube(d=len(self._axes), seed=rng)
            u = lhs.random(self.samples)
        else:
            u = rng.random((self.samples, len(self._axes)))
        return [{a.name: _py(a.at(float(row[j]))) for j, a in enumerate(self._axes)} for row in u]

    def cases(self) -> list[Case]:
        """All cases, sites outermost; duplicates (same id) kept once, in sample mode with
        the number of draws that fell on them (``Case.draws``)."""
        out: dict[str, Case] = {}
        draws: dict[str, int] = {}
        pts = self.points()
        for site in self.sites:
            for p in pts:
                ov = {**self.fixed, **p}
                cid = case_id(site.id, ov)
                draws[cid] = draws.get(cid, 0) + 1
                if cid not in out:
                    out[cid] = Case(cid, site, ov, {a.name: p.get(a.name) for a in self._axes}, self.base_dir)
        if self.mode != "sample":
            return list(out.values())
        return [dataclasses.replace(c, draws=draws[cid]) for cid, c in out.items()]

    @property
    def axis_names(self) -> list[str]:
        return [a.name for a in self._axes]


def _raise_all(file: str | None, errors: list[InputError]) -> None:
    """Raise nothing, the one error, or a :class:`~dcplan.site.SiteError` holding every
    problem, with the errors themselves as ``errors`` (each keeps its own file: a base site
    file's problems are that file's)."""
    if not errors:
        return
    if len(errors) == 1:
        raise errors[0]
    from .site import SiteError
    pairs = []
    for e in errors:
        if e.file in (None, file):
            pairs += list(getattr(e, "problems", None) or [(e.field or "", e.detail)])
        else:  # another file's (the base site's): each problem naming that file
            pairs += [("", f"{e.file}: {fld + ': ' if fld else ''}{msg}")
                      for fld, msg in (getattr(e, "problems", None) or [(e.field or "", e.detail)])]
    err = SiteError(file, pairs)
    err.errors = [x for e in errors for x in (getattr(e, "errors", None) or [e])]
    raise err


def _py(v: Any) -> Any:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v
