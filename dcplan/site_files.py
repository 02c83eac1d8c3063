"""Where a site's files are looked for, and what is wrong with the weather and tariff files it
names (split from :mod:`dcplan.site`, which re-exports every name here).

A relative name is looked for beside the site YAML, then in its parent folder (a copy of
``data/``'s layout), then in the bundled ``data/`` (:func:`resolve_path`); a portfolio's site
entry only beside the portfolio file.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError
from .paths import data_dir

__all__ = ["bundled_site_hint", "resolve_path"]


def _search_folders(base: Path | None, parent: bool = True) -> list[Path]:
    """Where :func:`resolve_path` looks for a relative name, in order: ``base`` (the YAML's folder),
    with ``parent`` its parent (a copy of ``data/``: ``sites/x.yaml`` names ``tariffs/y.json``
    beside ``sites/``) and then the bundled ``data/``; without ``parent`` (a portfolio's site
    entries) ``base`` alone (the bundled ``data/`` when there is no ``base``)."""
    if base is not None and not parent:
        return [Path(base).resolve()]
    out = [] if base is None else [Path(base).resolve(), Path(base).resolve().parent]
    return list(dict.fromkeys(out + [data_dir().resolve()]))


def resolve_path(rel: str | Path, base: Path | None = None, *, parent: bool = True) -> Path:
    """Resolve a file named in a spec: absolute; else relative to ``base`` (the YAML's folder);
    else (``parent``, a site's weather and tariff files) to its parent folder; else to the bundled
    ``data/``.

    The parent comes before the bundle: a copied portfolio (``cp -r data mine``, its sites naming
    ``tariffs/x.json``) read the bundled tariff and weather, not its own edited copies, silently
    (a tester doubled the copy's energy rates and got the bundled bill). A portfolio's site
    entries (``parent=False``) are relative to the portfolio file only: a copied portfolio whose
    ``sites/chicago-il.yaml`` was not copied along loaded the bundled SYNTHETIC example in its
    place, silently (:func:`bundled_site_hint` says where the bundled one is)."""
    p = Path(rel).expanduser()
    if p.is_absolute():
        return p
    folders = _search_folders(base, parent)
    for folder in folders[:-1]:
        if (folder / p).exists():
            return (folder / p).resolve()
    return (folders[-1] / p).resolve()


def _looked_for(rel: str, found: Path, folder: Path | None, parent: bool = True) -> str:
    """A file name that was not found, with where :func:`resolve_path` looked for it: a
    relative name in ``folder`` (the YAML's), its parent and the bundled ``data/`` (``parent``),
    or ``folder`` alone (a portfolio's site entry)."""
    if Path(rel).expanduser().is_absolute() or folder is None:
        return str(found)
    where = _search_folders(folder, parent)
    if len(where) == 1:
        return f"{rel} (looked in {where[0]} only: a portfolio's site files are relative to the portfolio file)"
    return f"{rel} (looked in {', '.join(map(str, where[:-1]))} and {where[-1]})"


def bundled_site_hint(rel: str, folder: Path) -> str:
    """For a portfolio's site entry ``rel`` not found beside the portfolio (in ``folder``): how to
    use the bundled example of that name, if the bundle has one (``data/<rel>``, else
    ``data/sites/<its file name>``); "" otherwise."""
    p = Path(rel).expanduser()
    if p.is_absolute():
        return ""
    bundled = next((c for c in (data_dir() / p, data_dir() / "sites" / p.name) if c.is_file()), None)
    if bundled is None:
        return ""
    rel_in_data = bundled.resolve().relative_to(data_dir().resolve()).as_posix()
    return (f"; the bundled examples have a file of that name ({bundled.resolve()}, a SYNTHETIC example "
            f"fleet): copy it there (cp \"$(dcplan docs --path data)/{rel_in_data}\" "
            f"{(Path(folder).resolve() / p).as_posix()}) or list its full path")


def _file_problems(source: str, weather_file: str | None, weather_format: str | None,
                   tariff_file: str | None) -> list[tuple[str, str]]:
    """Problems of the weather and tariff files a site YAML (``source``) names: not found, a
    folder, a weather file whose first line is not its format's (``weather_format`` None:
    that line is not checked). A file given as None is not checked."""
    problems = []
    folder = Path(source).parent if source else None
    if weather_file is not None:
        wp = resolve_path(weather_file, folder)
        if wp.is_dir():
            problems.append(("weather.file", f"{wp} is a folder, not a weather file; allowed: a TMY2 "
                                             "(.tm2), TMY3 (.csv) or EPW (.epw) file"))
        elif not wp.is_file():
            problems.append(("weather.file", _not_regular(wp, "weather") if wp.exists() else
                             f"weather file not found: {_looked_for(weather_file, wp, folder)}"))
        elif weather_format is not None:  # its first line: a garbled file is an input error before any run
            from .weather import header_problem
            try:
                head = header_problem(wp, weather_format)
            except InputError as e:  # an extension that says no format
                head = e.detail
            if head:
                problems.append(("weather.file", f"{wp}: {head}"))
    if tariff_file is not None:
        tp = resolve_path(tariff_file, folder)
        if tp.is_dir():
            problems.append(("tariff.file", f"{tp} is a folder, not a tariff file; allowed: a URDB-format JSON file"))
        elif not tp.is_file():
            problems.append(("tariff.file", _not_regular(tp, "tariff") if tp.exists() else
                             f"tariff file not found: {_looked_for(tariff_file, tp, folder)}"))
    return problems


#: What a weather or tariff file may be (:func:`_not_regular`).
_FILE_KINDS = {"weather": "a TMY2 (.tm2), TMY3 (.csv) or EPW (.epw) file", "tariff": "a URDB-format JSON file"}


def _not_regular(p: Path, kind: str) -> str:
    """Why ``p``, which exists and is no folder, is not a ``kind`` file: it is no regular file
    (``/dev/null``, ``/dev/zero``: a device; a named pipe; a socket), which reads empty or never
    ends."""
    import stat
    try:
        mode = os.stat(p).st_mode
    except OSError as e:
        return f"{p}: cannot read it ({e.strerror or e}); allowed: {_FILE_KINDS[kind]}"
    what = ("a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "another kind of entry")
    return f"{p} exists but is {what}, not a regular file; allowed: {_FILE_KINDS[kind]}"
