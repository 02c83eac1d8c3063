"""Reading a sweep spec's YAML file into a :class:`dcplan.sweep_spec.SweepSpec` (:func:`load_sweep`).

Part of :mod:`dcplan.sweep` (import from there; the format: :mod:`dcplan.sweep_spec`). The file's own keys are
checked here (unknown keys, their types, a ``case`` that is not dcplan's own, a base ``site`` or ``portfolio``
that does not load, an ``out`` that is not a parquet file), then :class:`~dcplan.sweep_spec.SweepSpec` checks
the axes and fixed values; every problem is reported at once.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._ts import did_you_mean
from .errors import InputError
from .site import Site, load_portfolio, load_site

if TYPE_CHECKING:
    from .sweep_spec import SweepSpec

__all__ = ["load_sweep"]

_SPEC_KEYS = ("name", "description", "portfolio", "site", "axes", "fixed", "mode", "samples",
              "method", "seed", "case", "out", "csv")


def _local(value: str, base: Path) -> str | Path:
    p = Path(value).expanduser()
    if not p.is_absolute() and (base / p).exists():
        return base / p
    return value


def _is_dcplan_callable(name: str) -> bool:
    mod = str(name).partition(":")[0]
    return mod == "dcplan" or mod.startswith("dcplan.")


@contextlib.contextmanager
def _base_errors(file: str, key: str, value: Any, base: Path | None = None):
    """A base site or portfolio that cannot be found is an error of the sweep file's ``key``
    (errors inside the site or portfolio YAML keep naming that file); a relative path not
    found says both folders it was looked for in (``_local``: beside the sweep file, then the
    current folder)."""
    try:
        yield
    except InputError as e:
        if e.file is not None and Path(e.file).is_file():
            raise
        detail = e.detail
        if (base is not None and detail.startswith("file not found") and isinstance(value, str)
                and not Path(value).expanduser().is_absolute()):
            detail = (f"file not found (looked for {(base / value).resolve()} beside the sweep file and "
                      f"{Path(value).resolve()} in the current folder)")
        raise InputError(f"value {value!r}: {detail}", file=file, field=key) from None


def load_sweep(path: str | Path, *, case: str | None = None) -> SweepSpec:
    """Read and validate a sweep spec YAML (its format: :mod:`dcplan.sweep_spec`).

    ``case``: a case function that replaces the file's (``run_sweep(..., case=)``, ``dcplan
    sweep --case``): the spec's ``case`` is it, so the warnings about axes the case function
    does not read (:meth:`SweepSpec.axis_warnings`) are about the one that will run. It is
    not checked here (the run imports it first).

    Raises
    ------
    InputError
        Naming the file, the key or axis, the value and what is allowed. Every
        axis value is checked against every base site before anything runs. With
        several problems, a :class:`~dcplan.site.SiteError` listing each (its
        ``errors``: one InputError per problem, each naming its own file): every
        unknown key, each bad setting, an unknown site of the ``site`` axis beside the
        problems of the axes on the sites known, and, when the base site or portfolio
        does not load, the axes and fixed values checked on the site schema. A site of the
        base portfolio whose weather or tariff file is not there (held by
        :func:`~dcplan.site.load_portfolio`) is refused, when the sweep runs it, with the error
        :func:`~dcplan.site.load_site` raises for it (where the file was looked for), and named in one
        warning when the ``site`` axis leaves it out (:mod:`dcplan.sweep_held`, as for a sweep built in Python).
    """
    from .site import _read_yaml
    # (here, not at the top: dcplan.sweep_spec imports this module to re-export load_sweep)
    from .sweep_spec import _NO_BASE, DEFAULT_CASE, SweepSpec, _raise_all
    path = Path(path)
    file = str(path)
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise InputError("expected a mapping with portfolio or site, and axes", file=file)
    problems: list[InputError] = []
    said: set[str] = set()  # keys with a problem here: not reported again by SweepSpec

    def bad(msg: str, field: str) -> None:
        problems.append(InputError(msg, file=file, field=field))
        said.add(field)

    for k in raw:
        if k not in _SPEC_KEYS:
            bad(f"unknown key {k!r}{did_you_mean(str(k), _SPEC_KEYS)}; allowed: {', '.join(_SPEC_KEYS)}", str(k))
    raw = {k: v for k, v in raw.items() if k in _SPEC_KEYS}  # the rest is checked without them
    base = path.parent.resolve()
    axes = raw.get("axes") or {}
    if not isinstance(axes, dict):
        bad(f"axes must be a mapping of site-spec path to values, got {axes!r}", "axes")
        axes = {}
    axes = dict(axes)
    sites: list[Site] | None = None  # None: no base loaded (its problem is said)
    pf = None  # the base portfolio: SweepSpec refuses its sites whose weather or tariff file is not there if run
    if "site" in raw and "portfolio" in raw:
        bad("give either site or portfolio, not both", "site")
    elif "site" in raw:
        if "site" in axes:
            bad("a site axis needs a portfolio base (portfolio: ...), not site:", "axes.site")
            del axes["site"]
        try:
            with _base_errors(file, "site", raw["site"], base):
                sites = [load_site(_local(str(raw["site"]), base))]
        except InputError as e:
            problems.append(e)
    else:
        pf_raw = raw.get("portfolio", "default")
        try:
            with _base_errors(file, "portfolio", pf_raw, base):
                pf = load_portfolio(None if pf_raw in (None, "default") else _local(str(pf_raw), base))
            sites = list(pf.sites)  # the site axis (if any) picks among them in SweepSpec
        except InputError as e:
            problems.append(e)
    if sites is None:
        axes.pop("site", None)  # no site ids to pick among
    fixed = raw.get("fixed") or {}
    if not isinstance(fixed, dict):
        bad(f"fixed must be a mapping of site-spec path to value, got {fixed!r}", "fixed")
        fixed = {}
    out = raw.get("out")
    if out is not None:
        if not isinstance(out, str) or Path(out).suffix.lower() not in (".parquet", ".pq"):
            bad(f"out must be a .parquet file name, got {out!r}", "out")
            out = None
        else:
            out = str((base / Path(out).expanduser()) if not Path(out).expanduser().is_absolute()
                      else Path(out).expanduser())
    for key, typ in (("samples", int), ("seed", int), ("csv", bool), ("name", str), ("case", str)):
        v = raw.get(key)
        if v is not None and (not isinstance(v, typ) or (typ is int and isinstance(v, bool))):
            bad(f"{key} must be {typ.__name__}, got {v!r}", key)
    override, case = case, raw.get("case")
    if "case" in said:
        case = None
    elif case is not None and not _is_dcplan_callable(case):
        # a data file must not choose arbitrary code to run (no code execution from data)
        bad(f"case {case!r}: a sweep file may only name dcplan's own case functions "
            f"('dcplan.<module>:<function>', e.g. {DEFAULT_CASE!r}); to run your own, pass "
            "it on the command line (dcplan sweep --case MODULE:FUNCTION) or as "
            "run_sweep(..., case=...)", "case")
        case = None
    elif case is not None:
        from .sweep_worker import resolve_case
        try:
            resolve_case(case)  # a typo is this file's error, found before anything runs
        except InputError as e:
            bad(e.detail, "case")
            case = None

    def ok(key: str, default: Any) -> Any:
        return default if key in said or raw.get(key) is None else raw[key]

    try:
        spec = SweepSpec(sites=pf if pf is not None else sites or [], axes=axes, fixed=fixed,
                         mode=raw.get("mode", "grid"),
                         samples=ok("samples", None), method=raw.get("method", "lhs"),
                         seed=ok("seed", 0), case=override or case or DEFAULT_CASE,
                         name=str(ok("name", None) or path.stem), out=out, csv=bool(ok("csv", False)),
                         file=file, base_dir=str(base), _no_base=sites is None)
    except InputError as e:
        problems += [x for x in (getattr(e, "errors", None) or [e])
                     if not (x.file == file and x.field in said) and x.detail != _NO_BASE]
    _raise_all(file, problems)
    return spec
