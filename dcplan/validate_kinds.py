"""Tell what kind of input file a path is, for ``dcplan validate``.

:func:`detect_kind` returns one of :data:`KINDS` (or None), which
:func:`dcplan.validate.validate_file` uses to pick the loader and problem collector it
runs (see :mod:`dcplan.validate` for what each kind's check collects; both names are
re-exported there). It reads at most :data:`_SNIFF_BYTES` of a CSV or unknown file, and
parses a YAML file to look at its keys.

The kind comes from the content where the extension is ambiguous: a YAML mapping
with ``sites`` is a portfolio, one with sweep keys (``axes``, ``mode``, ...) or a
``site:`` string a sweep, a ``jobs:`` list or a list of job mappings a jobs file,
an empty file whose name says portfolio (``portfolio.yaml``) a portfolio, anything else a site; a CSV whose header has ``earliest_start``/``deadline`` is a
jobs table, one with a TMY3 second line or a first line of an EPW, a TMY3, an NSRDB
PSM3/PSM4 or a PVGIS TMY CSV weather (the weather check says which format to set), one with a ``system_load_mw``
(``_kw``, ``_gw``) column a utility's system load, anything else a (meter) load.
``.epw``/``.tm2``/``.tmy2`` files are weather, ``.json`` files tariffs (PVGIS's TMY JSON weather), and a file of
another extension that holds a JSON object a tariff. URDB's bulk CSV export (a first line of columns such as
``energyratestructure/period0/tier0rate``, :func:`dcplan.tariff_urdb.bulk_csv_message`) is a tariff whatever its
extension, which the tariff check refuses with ``dcplan bill``'s message and the JSON to download instead: as a
load CSV it was told to "pick one with --column" of its rate columns (``dcplan validate`` alone said it right).
"""
from __future__ import annotations

from pathlib import Path

from ._ts import did_you_mean

__all__ = ["KINDS", "detect_kind"]

#: File kinds :func:`~dcplan.validate.validate_file` knows.
KINDS = ("site", "portfolio", "tariff", "jobs", "sweep", "weather", "load", "system_load", "catalog")

_WEATHER_SUFFIXES = {".epw": "epw", ".tm2": "tmy2", ".tmy2": "tmy2"}
_JOB_HINTS = {"earliest_start", "deadline"}
#: What a PVGIS TMY JSON holds near its start (its ``outputs``: the months' years, then the hours): weather.
_PVGIS_JSON = '"months_selected"'
_SWEEP_HINTS = {"axes", "fixed", "mode", "samples", "method", "seed", "case", "csv"}
_SITE_HINTS = {"latitude", "longitude", "timezone", "fleet", "weather", "cooling", "elevation_m"}
#: Hard limit on a file read just to detect its kind.
_SNIFF_BYTES = 64 * 1024


def _sniff_text(path: Path) -> str:
    with open(path, "rb") as fh:
        raw = fh.read(_SNIFF_BYTES)
    return raw.decode("utf-8", errors="replace")


def detect_kind(path: str | Path) -> str | None:
    """Guess the kind of ``path`` from its content, falling back to its extension.

    Returns one of :data:`KINDS`, or None when the kind cannot be told.
    """
    path = Path(path)
    suf = path.suffix.lower()
    if suf in _WEATHER_SUFFIXES:
        return "weather"
    from .tariff_urdb import bulk_csv_message
    if suf not in (".yaml", ".yml") and bulk_csv_message(path):
        return "tariff"  # URDB's bulk CSV export: a tariff in a form dcplan does not read (the module docstring)
    if suf == ".json":
        return "weather" if _PVGIS_JSON in _sniff_text(path) else "tariff"
    if suf == ".csv":
        text = _sniff_text(path)
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        head = lines[0].lower() if lines else ""
        second = lines[1].lower() if len(lines) > 1 else ""
        if "date (mm/dd/yyyy)" in second or "date (mm/dd/yyyy)" in head:
            return "weather"
        from .weather_header import first_line_kind
        if lines and first_line_kind(lines[0].lstrip("\ufeff").strip()) in ("epw", "tmy3", "nsrdb", "pvgis"):
            return "weather"  # an EPW saved as .csv, an NSRDB or a PVGIS CSV
        from .catalog_checks import catalog_name
        if catalog_name(path):
            return "catalog"  # a copy of a data/ catalog (costs, hardware, ...), checked as one
        cols = {c.strip() for c in head.split(",")}
        if cols & _JOB_HINTS:
            return "jobs"
        if cols & {"system_load_mw", "system_load_kw", "system_load_gw"}:
            # a utility's system load (dcplan.grid.headroom_curve), not a meter's: named so only in
            # dcplan's system-load format (a gridstatus export looks like a meter's load: checked as one)
            return "system_load"
        return "load"
    if suf in (".yaml", ".yml"):
        import yaml

        from ._yaml import safe_load
        try:
            head = safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            return "site"  # the site loader reports where the YAML breaks
        if head is None and "portfolio" in path.stem.lower():
            return "portfolio"  # an empty portfolio.yaml: "expected 'name' and a 'sites' list", as render says
        if isinstance(head, dict):
            keys = set(head)
            from .site import Site
            near = {str(k) for k in keys
                    if str(k) not in Site.model_fields and did_you_mean(str(k), ["sites"])}
            if "sites" in keys or (keys and keys <= {"name", "description"}):
                return "portfolio"  # name/description alone: a portfolio that lists no sites yet
            if not keys & _SITE_HINTS:
                if keys & _SWEEP_HINTS or isinstance(head.get("site"), str) or any(
                        did_you_mean(str(k), sorted(_SWEEP_HINTS)) for k in keys):
                    return "sweep"
                if "jobs" in keys:
                    return "jobs"
                if near:
                    return "portfolio"
        if isinstance(head, list) and head and all(isinstance(r, dict) for r in head) \
                and any(set(r) & _JOB_HINTS for r in head):
            return "jobs"
        return "site"
    if _sniff_text(path).lstrip().startswith("{"):  # a JSON object under another name
        return "tariff"
    return None
