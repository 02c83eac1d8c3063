"""The weather check's memory between processes (part of :mod:`dcplan.weather_check`, whose docstring says what
is remembered, where and under which key): the cache folder, the code digest in every key, and reading and
writing one entry atomically."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from pathlib import Path

__all__: list[str] = []

_CACHE_FORMAT = 5  # 2: the station's number (station_id, station_id_kind) too; 3: file_hours, file_year;
# 4: irradiance_offset_h, irradiance_days (dcplan.weather_timing); 5: rows_utc_offset_h (PVGIS's rows in UTC)
#: Entries kept (the oldest go first); each is one checked file content at one code version.
_CACHE_MAX_ENTRIES = 64
#: Age after which a temporary entry file is a leftover of a killed process, not a write in progress. [s]
_STALE_TMP_S = 3600.0
_TEXT_KEYS = ("station", "station_id", "station_id_kind")  # of a remembered station; the others are numbers


def _cache_dir() -> Path | None:
    from .paths import cache_root
    root = cache_root()  # CACHE_DIR_ENV's folder (empty: None), else the user's cache folder
    return None if root is None else root / "weather-checks"


@functools.lru_cache(maxsize=1)
def _code_digest() -> str:
    """What a check's outcome depends on besides the file: the checking code and libraries."""
    from importlib import metadata
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("weather.py", "weather_check.py", "weather_check_cache.py", "weather_header.py", "weather_nsrdb.py", "weather_timing.py",
                 "weather_pvgis.py", "weather_hourly.py"):
        try:
            h.update((here / name).read_bytes())
        except OSError:  # (no source: a zip import) the versions below still change
            h.update(name.encode())
    for lib in ("dcplan", "pvlib", "pandas", "numpy"):
        try:
            h.update(f"{lib}={metadata.version(lib)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=?;".encode())
    return h.hexdigest()


def _cache_get(file: Path) -> dict | None:
    try:
        entry = json.loads(file.read_text(encoding="utf-8"))
        st = entry["station"]
        return {k: (str(st[k]) if k in _TEXT_KEYS else float(st[k]))
                for k in ("station", "latitude", "longitude", "altitude_m", "utc_offset_h", "rows_utc_offset_h",
                          "station_id", "station_id_kind", "file_hours", "file_year", "irradiance_offset_h",
                          "irradiance_days")}
    except Exception:  # noqa: BLE001 - absent, half-written elsewhere, edited: check instead
        return None


def _cache_put(folder: Path, key: str, station: dict) -> None:
    import tempfile
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"format": _CACHE_FORMAT, "station": station}, fh)
        os.replace(tmp, folder / f"{key}.json")  # atomic: a reader sees the whole entry or none
        tmp = None
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in entries[:-_CACHE_MAX_ENTRIES]:
            old.unlink(missing_ok=True)
        now = time.time()
        for stale in folder.glob(".*.tmp"):  # left by a process killed mid-write (an hour is ample)
            try:
                if now - stale.stat().st_mtime > _STALE_TMP_S:
                    stale.unlink()
            except OSError:
                pass
    except Exception:  # noqa: BLE001 - remembering is an optimisation; the check was made
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
