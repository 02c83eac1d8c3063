"""Which time zone a ``dcplan bill`` load file's stamps are on: the zone to suggest for ``--tz``.

Two questions, asked when the stamps and ``--tz`` disagree:

* :func:`zone_with_offsets`: a zone whose UTC offset at every stamp is the offset the file
  writes (``-05:00`` in winter, ``-04:00`` in summer: ``America/New_York``);
* :func:`fall_back_zone`: for naive stamps whose clock repeats a time (the hour a
  daylight-saving clock falls back), a zone whose clock repeats that time.

Candidates, in order: the example zones of :data:`dcplan.site_problems.OFFSET_EXAMPLES` (US
zones first: the bundled sites and URDB tariffs are US), then every zone of the tz
database's zone table (:func:`dcplan.tz_places.zone_places`), so the suggestion is a place's
``Region/City`` zone, never a fixed offset or an old alias. Standard library and pandas only.
"""
from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import numpy as np
import pandas as pd


@functools.lru_cache(maxsize=1)
def candidate_zones() -> tuple[str, ...]:
    """The zones a suggestion is chosen from, in order of preference (see the module docstring)."""
    names: list[str] = []
    try:  # (pydantic and yaml come with it: only imported when a zone is to be suggested)
        from .site_problems import OFFSET_EXAMPLES
        for pair in OFFSET_EXAMPLES.values():
            names += [p[0] for p in pair if p]
    except ImportError:  # pragma: no cover - dcplan.site_problems is part of the package
        pass
    from .tz_places import zone_places
    names += [p.zone for p in zone_places()]
    out = []
    for z in dict.fromkeys(names):
        try:
            zoneinfo.ZoneInfo(z)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            continue
        out.append(z)
    return tuple(out)


def offsets_min(utc_ns: np.ndarray, zone: str) -> np.ndarray:
    """UTC offset of ``zone`` at each instant (``utc_ns``, ns since the epoch). [min]"""
    idx = pd.DatetimeIndex(np.asarray(utc_ns, dtype="int64").view("M8[ns]"), tz="UTC").tz_convert(zone)
    return ((idx.tz_localize(None).as_unit("ns").asi8 - idx.as_unit("ns").asi8) // 60_000_000_000)


def zone_with_offsets(utc_ns, file_min, exclude: str | None = None) -> str | None:
    """A zone (:func:`candidate_zones`) whose UTC offset at each instant ``utc_ns`` [ns] is
    ``file_min`` [min], the offset the file writes there; None when none is. ``exclude``: a zone
    not to suggest (the one already given). First checked at a sample (the instants around each
    change of offset, both ends and about 200 more), then at every instant."""
    utc_ns = np.asarray(utc_ns, dtype="int64")
    file_min = np.asarray(file_min, dtype="int64")
    if not len(utc_ns):
        return None
    change = np.flatnonzero(np.diff(file_min) != 0)
    pick = np.unique(np.r_[0, len(utc_ns) - 1, change, change + 1,
                           np.linspace(0, len(utc_ns) - 1, min(200, len(utc_ns))).astype(int)])
    when = [dt.datetime.fromtimestamp(int(v) // 10**9, dt.timezone.utc) for v in utc_ns[pick]]
    want = file_min[pick]
    for z in candidate_zones():
        if z == exclude:
            continue
        info = zoneinfo.ZoneInfo(z)
        if all(int(w.astimezone(info).utcoffset().total_seconds() // 60) == o for w, o in zip(when, want)) \
                and (offsets_min(utc_ns, z) == file_min).all():
            return z
    return None


def fall_back_zone(wall: pd.Timestamp, standard_min: int | None = None) -> str | None:
    """A zone (:func:`candidate_zones`) whose clock shows the naive time ``wall`` twice (it falls
    back over it), and whose offset after the fall-back is ``standard_min`` [min] when given (the
    fixed offset given as ``--tz``: a New York clock's repeat, not London's, for ``EST``); None
    when no such zone repeats ``wall`` (a duplicated row, not daylight-saving data)."""
    t = pd.Timestamp(wall).to_pydatetime().replace(tzinfo=None)
    for z in candidate_zones():
        info = zoneinfo.ZoneInfo(z)
        before = info.utcoffset(t.replace(fold=0))
        after = info.utcoffset(t.replace(fold=1))
        if before is None or after is None or before <= after:
            continue  # not a time this zone's clock repeats
        if standard_min is None or int(after.total_seconds() // 60) == standard_min:
            return z
    return None


def offset_text(minutes) -> str:
    """An offset in minutes as ISO 8601 writes it: ``-05:00``, ``+10:30``."""
    v = int(minutes)
    return f"{'-' if v < 0 else '+'}{abs(v) // 60:02d}:{abs(v) % 60:02d}"
