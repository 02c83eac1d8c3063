"""``dcplan validate``'s (and ``dcplan render``'s up-front) warning for a fleet phase that starts before
its hardware existed, part of :func:`dcplan.site_plausibility.site_warnings`.

A black-box tester's H100 phase with ``start: 2012-01-01`` (ten years before the H100 shipped) was accepted
without a word, and every report ran those GPUs from 2012. The earliest sensible start of a phase is
January 1 of the ``vintage`` year that data/hardware.csv gives the phase's accelerator (its row of
``kind`` ``accelerator``: ``h100-sxm`` 2022, ``mi300x`` 2023, ``h200-sxm`` 2024, ``gb200-gpu`` 2024,
``b200`` 2025; data/hardware.md: "year of the product / figure"). The accelerator's row is used, not
the server's or rack's, whose vintage may be the year of its power figure (``hgx-h100`` 2023). The check
is lenient to the year: a phase within the vintage year is not warned. Units without an accelerator
(CPU servers, switches: generic products whose vintage is the figure's year), phases of 0 units, an
unknown hardware key (the fleet's own error) and a vintage with no year (``undated ...``) are left out.
A phase of an existing campus (an interconnection phase ``in_service``) follows the same rule: hardware
already running cannot predate its release either.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from .errors import InputError

__all__ = ["earliest_start", "vintage_warnings"]

_YEAR = re.compile(r"\s*(\d{4})(?:-(\d{2}))?")


def earliest_start(hardware_key: str) -> tuple[dt.date, str, str] | None:
    """(earliest sensible start, catalog row, its vintage as written) of ``hardware_key``: January 1 of the
    ``vintage`` year of its accelerator's data/hardware.csv row (the first of the month for a ``YYYY-MM``
    vintage); None for a unit without an accelerator, an unknown key or a vintage with no year.

    >>> earliest_start("hgx-h100")
    (datetime.date(2022, 1, 1), 'h100-sxm', '2022')
    """
    from .power import catalog, hardware
    try:
        hw = hardware(hardware_key)
    except InputError:
        return None
    if not hw.accelerators_per_unit or not hw.accelerator:
        return None
    cat = catalog()
    row = hw.accelerator if hw.accelerator in cat.index else hw.key
    v = cat.loc[row, "vintage"] if "vintage" in cat.columns else None
    if v is None or pd.isna(v):
        return None
    text = str(int(v)) if isinstance(v, float) and float(v).is_integer() else str(v).strip()
    m = _YEAR.match(text)
    if m is None:
        return None
    return dt.date(int(m.group(1)), int(m.group(2) or 1), 1), row, text


def vintage_warnings(site) -> list[str]:
    """One warning per fleet phase (of at least one unit) starting before :func:`earliest_start` of its
    hardware: ``<file>: fleet.phases[i].start: <start> is before ...; allowed: ...``."""
    where = site.source_file or f"site {site.id!r}"
    ic = site.interconnection
    campus = ic is not None and any(p.in_service for p in (ic.phases or ()))
    out = []
    for i, ph in enumerate(site.fleet.phases):
        if ph.count <= 0 or (e := earliest_start(ph.hardware)) is None:
            continue
        first, row, vintage = e
        if ph.start >= first:
            continue
        out.append(
            f"{where}: fleet.phases[{i}].start: {ph.start} is before its hardware existed: {ph.hardware!r} holds "
            f"{row!r} accelerators, whose vintage in data/hardware.csv (row {row!r}, column vintage: the year of the "
            f"product) is {vintage}, so its earliest sensible start is {first}"
            + (" (a phase of an existing campus, on capacity in service, follows the same rule)" if campus else "")
            + f"; every report runs those units from {ph.start}. allowed: a start on or after {first} "
            "(a mistyped year?), or the hardware key of the units that ran then")
    return out
