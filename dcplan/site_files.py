"""Where a site's files are looked for, and what is wrong with the weather and tariff files it
names (split from :mod:`dcplan.site`, which re-exports every name here).

A relative name is looked for beside the site YAML, then in its parent folder (a copy of
``data/``'s layout), then, for a site loaded through a portfolio, in the portfolio file's folder
(:func:`note_portfolio_folder`), then in the bundled ``data/`` (:func:`resolve_path`); a
portfolio's site entry only beside the portfolio file. A site outside the bundle whose relative
weather or tariff name was found only in the bundled ``data/`` while a file of that name sits in a
folder above it that is not searched is warned (:func:`bundled_fallback_warnings`: ``dcplan
validate`` and ``dcplan render`` say it).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import InputError
from .paths import data_dir

__all__ = ["bundled_fallback_warnings", "bundled_site_hint", "entry_problem", "note_portfolio_folder", "resolve_path",
           "site_entry_hint"]


#: ``{site YAML folder (resolved): [portfolio folders, the latest first]}``: the folders of the
#: portfolios a site file in that folder was loaded through (:func:`note_portfolio_folder`). Kept
#: by folder, not on the :class:`~dcplan.site.Site`, so a site rebuilt from its fields (a sweep's
#: overrides, a reference plant) still looks there.
_PORTFOLIO_FOLDERS: dict[str, list[Path]] = {}


def note_portfolio_folder(site_file: str | Path, portfolio_folder: str | Path) -> None:
    """Record that the site YAML ``site_file`` is loaded through a portfolio in
    ``portfolio_folder``: its relative weather and tariff names are then looked for there too,
    after its own folder and that folder's parent, before the bundled ``data/``
    (:func:`dcplan.site.load_portfolio` calls it). A site one folder deeper than a copy of
    ``data/``'s layout (``m3/sites/az/phoenix-az.yaml`` naming ``tariffs/x.json``, the edited copy
    in ``m3/tariffs/``) read the bundled tariff and weather instead, silently: a TCO's electricity
    of 3,031,300 USD where the edited copy's doubled rate gives 3,905,236 USD."""
    key = str(Path(site_file).resolve().parent)
    folder = Path(portfolio_folder).resolve()
    _PORTFOLIO_FOLDERS[key] = [folder] + [f for f in _PORTFOLIO_FOLDERS.get(key, []) if f != folder]


def _search_folders(base: Path | None, parent: bool = True) -> list[Path]:
    """Where :func:`resolve_path` looks for a relative name, in order: ``base`` (the YAML's folder),
    with ``parent`` its parent (a copy of ``data/``: ``sites/x.yaml`` names ``tariffs/y.json``
    beside ``sites/``), the folders of the portfolios a site there was loaded through
    (:func:`note_portfolio_folder`) and then the bundled ``data/``; without ``parent`` (a
    portfolio's site entries) ``base`` alone (the bundled ``data/`` when there is no ``base``)."""
    if base is not None and not parent:
        return [Path(base).resolve()]
    b = None if base is None else Path(base).resolve()
    out = [] if b is None else [b, b.parent] + _PORTFOLIO_FOLDERS.get(str(b), [])
    return list(dict.fromkeys(out + [data_dir().resolve()]))


def resolve_path(rel: str | Path, base: Path | None = None, *, parent: bool = True) -> Path:
    """Resolve a file named in a spec: absolute; else relative to ``base`` (the YAML's folder);
    else (``parent``, a site's weather and tariff files) to its parent folder; else to the folder
    of a portfolio the site was loaded through (:func:`note_portfolio_folder`); else to the
    bundled ``data/``.

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


#: The bundled ``data/`` folder of each kind of file a site names (:func:`_other_spelling_hint`).
_KIND_FOLDERS = {"weather": "weather", "tariff": "tariffs"}
#: The file types a site's weather or tariff name is suggested from (:func:`_other_spelling_hint`).
_KIND_SUFFIXES = {"weather": (".epw", ".csv", ".tm2", ".tmy2", ".json"), "tariff": (".json",)}


def _other_spelling_hint(rel: str, folder: Path | None, kind: str) -> str:
    """For a relative ``kind`` (weather, tariff) name ``rel`` of a site YAML in ``folder`` that was
    found nowhere: the name that does find a file, as a new site's author most often mistypes it.
    First a name with the bundled folder's ``data/`` in front (``data/weather/12839.tm2``: the bundled
    ``data/`` is itself a place looked in, so ``weather/12839.tm2``) or a bare file name of a file in a
    ``weather/`` or ``tariffs/`` folder looked in (``12839.tm2``); else a name written from the folder
    the command runs in (``mine/weather/x.epw``: relative names are read from the site YAML's folder,
    not the working folder); else the closest name of a file of its kind in the places looked
    (:func:`dcplan._text.file_did_you_mean`: ``weather/12893.tm2`` -> ``weather/12839.tm2``). "" when none is
    found; else ``"; ..."``, naming the file found and the name to write, or the name meant."""
    p = Path(rel).expanduser()
    if p.is_absolute() or folder is None:
        return ""
    here = Path(folder).resolve()
    parts = p.parts
    tries = [Path(*parts[i + 1:]) for i, part in enumerate(parts[:-1]) if part == "data"]
    tries.append(Path(_KIND_FOLDERS[kind]) / p.name)
    for cand in dict.fromkeys(tries):
        if not cand.parts or cand == p:
            continue
        found = resolve_path(cand, here)
        if found.is_file():
            return f"; {found} is found as {cand.as_posix()}: write that name"
    cwd = Path.cwd() / p
    if cwd.is_file():
        try:
            fix = os.path.relpath(cwd.resolve(), here)
        except ValueError:  # another drive (Windows): the full path only
            fix = str(cwd.resolve())
        return (f"; a file of that name is in the folder the command runs in ({cwd.resolve()}), but a site's relative "
                f"names are read from its YAML's folder ({here}) and the places above: write {Path(fix).as_posix()} "
                "(or its full path)")
    # a typo'd name (weather/12893.tm2, weather/12839.TM2): the closest file of its kind in the places looked
    from ._text import file_did_you_mean
    hint = file_did_you_mean(p.as_posix(), _search_folders(here), _KIND_SUFFIXES[kind])
    return f"; {hint[2:-1]}" if hint else ""


def site_entry_hint(entry: str, folder: Path) -> str:
    """For a portfolio's ``sites:`` entry ``entry`` not found beside the portfolio file (in ``folder``): the
    entry that finds a site YAML, as a new portfolio's author most often mistypes it. A site id or file name of a
    site in the ``sites/`` folder beside the portfolio (``miami-fl`` or ``miami-fl.yaml`` for
    ``sites/miami-fl.yaml``, the layout ``data/portfolio.yaml`` has); else a path written from the folder the
    command runs in (``mine/sites/x.yaml`` for ``mine/portfolio.yaml``: entries are read from the portfolio
    file's folder). "" when none is found; else ``"; ..."``, naming the file and the entry to write."""
    p = Path(entry).expanduser()
    if p.is_absolute():
        return ""
    here = Path(folder).resolve()
    names = [p.name] if p.suffix else [p.name + ".yaml", p.name + ".yml", p.name]
    for name in names:
        cand = Path("sites") / name
        if cand != p and (here / cand).is_file():
            return f"; {(here / cand).resolve()} is there as {cand.as_posix()}: write that entry"
    cwd = Path.cwd() / p
    if cwd.is_file():
        try:
            fix = Path(os.path.relpath(cwd.resolve(), here)).as_posix()
        except ValueError:  # another drive (Windows): the full path only
            fix = str(cwd.resolve())
        return (f"; a file of that name is in the folder the command runs in ({cwd.resolve()}), but a portfolio's "
                f"entries are read from its own folder ({here}): write {fix} (or its full path)")
    return ""


def entry_problem(entry: str, sp: Path, folder: Path) -> str | None:
    """Why the file ``sp`` that a portfolio's ``sites:`` entry ``entry`` names cannot be a
    site YAML: not found, a folder, a weather or tariff file (None: load it)."""
    if sp.is_dir():
        return (f"{entry} is a folder ({sp}), not a site file; list the site YAML files in it, "
                "one entry each")
    if not sp.is_file():
        if not sp.suffix and sp.with_name(sp.name + ".yaml").is_file():  # a site id, as --sites takes
            return (f"site file not found: {_looked_for(entry, sp, folder, parent=False)}; a portfolio lists site "
                    f"files, not ids: did you mean {entry}.yaml ({sp.with_name(sp.name + '.yaml')})?")
        own = site_entry_hint(entry, folder)  # sites/<entry>.yaml beside the portfolio, or a path from the cwd
        if own:
            return f"site file not found: {_looked_for(entry, sp, folder, parent=False)}{own}"
        hint = bundled_site_hint(entry, folder) or (bundled_site_hint(entry + ".yaml", folder) if not sp.suffix
                                                     else "")
        if hint and not sp.suffix:
            hint = f"; a portfolio lists site files, not ids ({entry}.yaml){hint}"
        return f"site file not found: {_looked_for(entry, sp, folder, parent=False)}{hint}"
    from .site_problems import _not_a_site
    return _not_a_site(sp)


def _inside(p: Path, folder: Path) -> bool:
    try:
        p.relative_to(folder)
    except ValueError:
        return False
    return True


def _copies_above(rel: str, folder: Path, searched: list[Path]) -> list[Path]:
    """Files named ``rel`` under the folders above ``folder`` (its ancestors) that
    :func:`resolve_path` does not search (``searched``): an edited copy it does not read."""
    out = []
    for anc in folder.parents:
        if anc in searched:
            continue
        try:
            if (anc / rel).is_file():
                out.append(anc / rel)
        except OSError:
            continue
    return out


def bundled_fallback_warnings(site) -> list[str]:
    """One text per relative weather or tariff name of ``site`` (a site YAML outside the bundled
    ``data/``) that was found in none of the site's own places (its folder, that folder's parent,
    its portfolio's folder: :func:`_search_folders`), so the bundled ``data/`` file of that name is
    read, while a file of that name sits in a folder above the site's that is not searched (an
    edited copy, ``m3/tariffs/x.json`` for ``m3/sites/az/site.yaml`` validated alone): that copy
    is not read, and nothing else says so. The texts name the places looked and the copy.

    Only then: a site copied anywhere without copies of the files (as most tests' and many users'
    site files are) reads the bundled files as meant, and is not warned. An absolute name, a file
    found in the site's own places, and a bundled site are not warned either."""
    src = getattr(site, "source_file", "") or ""
    if not src:
        return []
    folder = Path(src).resolve().parent
    bundle = data_dir().resolve()
    if _inside(folder, bundle):
        return []
    tariff = getattr(site, "tariff", None)
    names = [("weather.file", site.weather.file),
             ("tariff.file", None if tariff is None or tariff.is_flat else tariff.file)]
    out = []
    for field, rel in names:
        if not rel or Path(rel).expanduser().is_absolute():
            continue
        where = _search_folders(folder)
        own, used = where[:-1], where[-1] / rel
        if any((f / rel).exists() for f in own) or not used.is_file():
            continue  # found in the site's own places, or not found at all (an error of its own)
        copies = _copies_above(rel, folder, where)
        if not copies:
            continue
        out.append(f"{src}: {field}: {rel} is in none of the site's own folders (looked in "
                   f"{', '.join(str(f) for f in own)}), so the bundled {used.resolve()} is read, not "
                   f"{copies[0]}; to read that copy, load the site through a portfolio in {copies[0].parent.parent} "
                   f"(or put the copy at {own[0] / rel}, or give its full path); give the bundled file's full "
                   "path to use it without this warning")
    return out


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
            problems.append(("weather.file",
                             f"{wp} is a folder, not a weather file; allowed: {_FILE_KINDS['weather']}"))
        elif not wp.is_file():
            problems.append(("weather.file", _not_regular(wp, "weather") if wp.exists() else
                             f"weather file not found: {_looked_for(weather_file, wp, folder)}"
                             f"{_other_spelling_hint(weather_file, folder, 'weather')}"))
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
                             f"tariff file not found: {_looked_for(tariff_file, tp, folder)}"
                             f"{_other_spelling_hint(tariff_file, folder, 'tariff')}"))
    return problems


#: What a weather or tariff file may be (:func:`_not_regular`).
_FILE_KINDS = {"weather": "a TMY2 (.tm2), TMY3 (.csv), EPW (.epw), NSRDB (.csv) or PVGIS (.csv, .json) file",
               "tariff": "a URDB-format JSON file"}


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


def _site_file(name_or_path: str | Path) -> Path:
    """The YAML :func:`dcplan.site.load_site` reads for ``name_or_path``: a path as given (a ``.yaml``/``.yml``
    name, or anything that exists), else the bundled ``data/sites/<name>.yaml``; an :class:`InputError` naming
    the bundled sites (with a did-you-mean) when there is neither."""
    from ._text import did_you_mean
    from .paths import data_path
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    cand = data_path("sites", f"{name_or_path}.yaml")
    if cand.exists():
        return cand
    known = sorted(q.stem for q in data_path("sites").glob("*.yaml"))
    raise InputError(f"no site file or bundled site named {str(name_or_path)!r}"
                     f"{did_you_mean(str(name_or_path), known)}; bundled sites: {', '.join(known)}")


def site_input_files(site) -> dict[str, Path | None]:
    """The files a site's YAML names, by role: the YAML itself, weather, tariff and the
    measured load profile of a ``workload: data`` fleet."""
    files: dict[str, Path | None] = {"site": Path(site.source_file).resolve(), "weather": site.weather_path,
                                     "tariff": site.tariff_path}
    data_file = getattr(site.fleet, "data_file", None)
    if data_file:
        files["fleet_data"] = site.path(data_file)
    for i, f in enumerate(tariff_side_files(site.tariff_path)):
        files["tariff_prices" + (f":{i}" if i else "")] = f
    return files


def tariff_side_files(path: Path | None) -> list[Path]:
    """Files a tariff JSON names (``dcplan_rtp_price_file``, relative to the tariff's folder,
    in any of its items), so a run's fingerprint sees an edited price series."""
    if path is None:
        return []
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable: the run itself reports it
        return []
    items = doc.get("items") if isinstance(doc, dict) and isinstance(doc.get("items"), list) else [doc]
    out = []
    for it in items:
        name = it.get("dcplan_rtp_price_file") if isinstance(it, dict) else None
        if isinstance(name, str) and name:
            f = Path(name).expanduser()
            out.append((f if f.is_absolute() else Path(path).parent / f).resolve())
    return list(dict.fromkeys(out))
