"""Message helpers for errors that name a bad key or value (standard library only, so
light modules such as :mod:`dcplan.site` and :mod:`dcplan.report` need no pandas)."""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import math
import numbers
import re


#: Words of a key a user may write for the word dcplan's keys use (``server_usd_per_gpu`` for
#: ``server_usd_per_accelerator``; ``tax_rate_pct`` for ``tax_rate_frac``).
_SYNONYMS = {"gpu": "accelerator", "gpus": "accelerators", "pct": "frac", "percent": "frac",
             "fraction": "frac", "share": "frac"}


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else ''.

    The closest of ``choices`` to ``word`` as written or with its ``_``-separated words put in
    dcplan's terms (:data:`_SYNONYMS`), whichever matches better (difflib ratio >= 0.6),
    compared case-insensitively and suggested as ``choices`` spell it (``load_KW`` ->
    ``'load_kw'``, ``NC-Duke`` -> ``'nc-duke'``, ``us`` -> ``'US'``). A key that differs only in
    case is the suggestion, before any closer-looking key of another spelling.

    >>> did_you_mean("load_KW", ["load_kw", "load_mw"]), did_you_mean("NC-Duke", ["nc-duke", "va-dominion"])
    (" (did you mean 'load_kw'?)", " (did you mean 'nc-duke'?)")
    """
    best = _closest(word, choices)
    return f" (did you mean {best!r}?)" if best is not None else ""


def _closest(word: str, choices) -> str | None:
    """:func:`did_you_mean`'s suggestion itself, as ``choices`` spell it; None when none is close."""
    canon: dict[str, str] = {}
    for c in map(str, choices):
        canon.setdefault(c.lower(), c)
    word = str(word)
    low = word.lower()
    if low in canon and canon[low] != word:  # a pure case difference
        return canon[low]
    norm = "_".join(_SYNONYMS.get(w, w) for w in low.split("_"))
    best, best_r = None, 0.0
    for w in dict.fromkeys((low, norm)):
        for m in difflib.get_close_matches(w, list(canon), n=1, cutoff=0.6):
            r = difflib.SequenceMatcher(None, w, m).ratio()
            if r > best_r:
                best, best_r = m, r
    return canon[best] if best else None


#: At most this many folder entries are read for one :func:`file_did_you_mean` (a working folder may be a home
#: folder: the hint is not worth a long listing).
_MAX_LISTED = 2000


def _listing(folder, depth: int, budget: list) -> list[str]:
    """Names of the files in ``folder`` (``depth`` 2: also ``sub/name`` of the files one folder down), relative
    to it, no hidden ones; reads at most ``budget[0]`` entries in all (and lowers it)."""
    out: list[str] = []
    try:
        it = folder.iterdir()
        entries = []
        for e in it:
            if budget[0] <= 0:
                break
            budget[0] -= 1
            entries.append(e)
    except OSError:
        return out
    for e in sorted(entries):
        if e.name.startswith("."):
            continue
        try:
            if e.is_file():
                out.append(e.name)
            elif depth > 1 and e.is_dir():
                out += [f"{e.name}/{n}" for n in _listing(e, depth - 1, budget)]
        except OSError:
            continue
    return out


def _closest_file(name: str, names) -> str | None:
    """The closest of file names ``names`` to ``name``: among those of its extension by the part before it (a
    shared ``.json`` made ``my.json`` "close" to ``nope.json``), else among the others by the whole name
    (``.jsn`` for ``.json``)."""
    names = list(names)
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 and "/" not in name[dot:] else ""
    if not ext:
        return _closest(name, names)
    stems = {n[:-len(ext)]: n for n in names if n.lower().endswith(ext) and len(n) > len(ext)}
    best = _closest(name[:-len(ext)], stems)
    if best is not None:
        return stems[best]
    return _closest(name, [n for n in names if not n.lower().endswith(ext)])


#: The file types a file parameter is suggested from when its own name does not say (:func:`input_suffixes`):
#: the inputs dcplan reads (site and sweep YAML, URDB JSON, CSV tables and loads, weather files).
INPUT_SUFFIXES = (".csv", ".json", ".yaml", ".yml", ".epw", ".tm2", ".tm3", ".parquet")


def input_suffixes(parameter: str) -> tuple[str, ...]:
    """The file types a file parameter takes, for :func:`file_did_you_mean`'s ``suffixes``: ``*_csv`` and
    ``jobs_file`` a CSV, ``tariff_file`` a URDB JSON, any other :data:`INPUT_SUFFIXES`.

    >>> input_suffixes("system_load_csv"), input_suffixes("-p tariff_file"), len(input_suffixes("x_file"))
    (('.csv',), ('.json',), 8)
    """
    name = parameter.rsplit(" ", 1)[-1]
    if name.endswith("_csv") or name == "jobs_file":
        return (".csv",)
    if name == "tariff_file":
        return (".json",)
    return INPUT_SUFFIXES


def file_did_you_mean(value: str, folders, suffixes: tuple[str, ...] | None = None) -> str:
    """`` (did you mean 'x'?)`` for a relative file name found in none of ``folders``, when a file of a close
    name exists there, suggested as ``value`` would be written (:func:`did_you_mean`'s match, difflib ratio
    >= 0.6): the closest name in the folder ``value`` names under each of them (``tariffs/`` of
    ``tariffs/comed-il-large-lod.json``); when no folder has that subfolder (``tarifs/comed-il-large-load.json``)
    or the name is bare (``comed-il-large-lod.json``), the closest file one folder down. '' when none is close.
    With ``suffixes`` (:func:`input_suffixes`), only files of those types (any case) are suggested: a
    ``system_load_csv`` of ``site`` run from a checkout is not offered ``dcplan/site.py``.

    >>> import dcplan.paths
    >>> file_did_you_mean("tariffs/comed-il-large-lod.json", [dcplan.paths.data_dir()])
    " (did you mean 'tariffs/comed-il-large-load.json'?)"
    """
    from pathlib import Path, PurePath
    p = PurePath(value)
    folders = [Path(f) for f in folders]
    if p.is_absolute() or not p.name or ".." in p.parts:
        return ""
    budget = [_MAX_LISTED]
    ok = (lambda n: n.lower().endswith(tuple(s.lower() for s in suffixes))) if suffixes else (lambda n: True)
    here = [f / p.parent for f in folders if (f / p.parent).is_dir()]
    best = _closest_file(p.name, [n for f in here for n in _listing(f, 1, budget) if ok(n)])
    if best is not None:
        return f" (did you mean {(p.parent / best).as_posix()!r}?)"
    if here and len(p.parts) > 1 or len(p.parts) > 2:  # the folder exists, no file in it is close
        return ""
    below = [n for f in folders if f.is_dir() for n in _listing(f, 2, budget) if "/" in n and ok(n)]
    if len(p.parts) == 2:  # the folder mistyped: sub/name against sub/name
        best = _closest_file(p.as_posix(), below)
    else:  # a bare name: the file of that name one folder down (the first folder's, in order)
        by_name: dict[str, str] = {}
        for n in below:
            by_name.setdefault(n.rsplit("/", 1)[1], n)
        best = by_name.get(_closest_file(p.name, by_name) or "")
    return f" (did you mean {best!r}?)" if best else ""


def unknown_key_message(word: str, choices) -> str:
    """Message for an unknown key: suggestion plus the list of allowed keys."""
    allowed = ", ".join(sorted(map(str, choices)))
    return f"unknown {word!r}{did_you_mean(word, choices)}; allowed: {allowed}"


def percent_hint(value, lo: float = 0.0) -> str:
    """`` (a fraction: 0.10 for 10 %; for 14 % write 0.14)`` for a number a fraction field
    (0-1) refused as above its upper bound when it reads as a percentage, else ''.

    A number above 1 reads as one (up to 100 the hint gives the fraction; above, only the
    convention); exactly 1 only when 1 % (0.01) is allowed, ``lo`` <= 0.01 (``losses_frac: 1``
    is 1 %; ``inverter_eff_frac: 1`` is 100 %, and its hint would mislead). The site loader's
    hint on a ``*_frac`` field above its bound (:func:`dcplan.site_problems._percent_hint`) is this.

    >>> percent_hint(14), percent_hint(1), percent_hint(1, lo=0.9), percent_hint(0.5)
    (' (a fraction: 0.10 for 10 %; for 14 % write 0.14)', ' (a fraction: 0.10 for 10 %; for 1 % write 0.01)', '', '')
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 1.0:
        return ""
    if value == 1.0 and not lo <= 0.01:
        return ""
    return " (a fraction: 0.10 for 10 %" + (f"; for {value:g} % write {value / 100:g})" if value <= 100 else ")")


def ratio_percent_hint(value, lo: float, hi: float) -> str:
    """`` (a ratio, not a percentage: for 120 % write 1.2)`` for a ratio field (allowed
    ``[lo, hi]``) given a number above ``hi`` whose hundredth is allowed, else ''.

    >>> ratio_percent_hint(120, 0.8, 3.0), ratio_percent_hint(12, 0.8, 3.0)
    (' (a ratio, not a percentage: for 120 % write 1.2)', '')
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= hi:
        return ""
    return f" (a ratio, not a percentage: for {value:g} % write {value / 100:g})" if lo <= value / 100 <= hi else ""


def missing_day(text) -> str:
    """Why ``text``, written as a date ``YYYY-MM-DD``, names no calendar day, naming the month's last day:
    ``'2025 has no 29 February (not a leap year); the month's last day is 2025-02-28'``; ``''`` when it
    is a calendar day or is not written ``YYYY-MM-DD`` (the caller's own message says the form).

    >>> missing_day("2025-02-29")
    "2025 has no 29 February (not a leap year); the month's last day is 2025-02-28"
    >>> missing_day("2025-04-31"), missing_day("2025-13-01"), missing_day("2024-02-29")
    ("2025 has no 31 April; the month's last day is 2025-04-30", 'there is no month 13 (01 to 12)', '')
    """
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text) if isinstance(text, str) else None
    if m is None:
        return ""
    year, month, day = (int(g) for g in m.groups())
    if year < dt.MINYEAR:
        return f"there is no year {m[1]} (years from {dt.MINYEAR:04d})"
    if not 1 <= month <= 12:
        return f"there is no month {m[2]} (01 to 12)"
    last = calendar.monthrange(year, month)[1]
    if 1 <= day <= last:
        return ""
    name = calendar.month_name[month]
    leap = " (not a leap year)" if month == 2 and day == 29 else ""
    what = f"day {m[3]} (days count from 01)" if day == 0 else f"{year} has no {day} {name}{leap}"
    return f"{what}; the month's last day is {dt.date(year, month, last).isoformat()}"
