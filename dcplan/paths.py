"""Where dcplan's bundled data, notebooks and documentation are.

From a checkout, ``data/``, ``notebooks/`` and ``docs/`` sit beside the package. From an
installed wheel they are packaged as ``dcplan/_bundled/{data,notebooks,docs}`` (pyproject.toml's
wheel ``sources``; a checkout's JupyterLab scratch and exports are left out); ``dcplan docs`` prints where.
"""
from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


_CHECKOUT = _PKG.parent if (_PKG.parent / "pyproject.toml").is_file() else None


def _locate(name: str) -> Path:
    bundled = _PKG / "_bundled" / name          # inside an installed wheel
    if bundled.is_dir():
        return bundled
    if _CHECKOUT is not None:                   # a source checkout (also editable installs)
        return _CHECKOUT / name
    return bundled


def is_installed(p: Path) -> bool:
    """Whether ``p`` lies in an installed wheel's bundled files (``dcplan/_bundled/``, see the module
    docstring), which a reinstall or upgrade of dcplan replaces, rather than in a checkout's folders."""
    bundle = (_PKG / "_bundled").resolve()
    q = Path(p).resolve()
    return q == bundle or bundle in q.parents


def data_dir() -> Path:
    """Directory holding the bundled data (sites, weather, tariffs, catalogs)."""
    return _locate("data")


def notebooks_dir() -> Path:
    """Directory holding the bundled notebooks."""
    return _locate("notebooks")


def docs_dir() -> Path:
    """Directory holding the documentation (``site-format.md``: every key of a site file;
    ``glossary.md``: the names and units)."""
    return _locate("docs")


#: The documents of :func:`docs_dir`, each with what it is for (``dcplan docs`` lists them).
DOCS = {"site-format.md": "every key of a site YAML: type, default, allowed range, meaning",
        "glossary.md": "the terms and the unit suffixes of names (_kw, _frac, _degc, ...)",
        "notebooks.md": "writing a notebook of your own for dcplan render: parameters, publish, exports",
        "reference-data.md": "the published figures, with sources and status, that labels citing "
                             "docs/reference-data.md (s.1, 3c, ...) refer to"}


def doc_ref(name: str, section: str = "") -> str:
    """How a message, label or note names a document of :data:`DOCS` (``section``: the part of it, after its
    name), saying how to find it: an installed wheel has no ``docs/`` folder beside the user's files (its
    documents are in ``dcplan/_bundled/docs``), and ``dcplan docs`` prints where each one is.

    >>> doc_ref("site-format.md"), doc_ref("reference-data.md", "s.2")
    ('docs/site-format.md (dcplan docs shows where)', 'docs/reference-data.md s.2 (dcplan docs shows where)')
    """
    if name not in DOCS:
        raise ValueError(f"doc_ref: {name!r} is not one of dcplan's documents; allowed: {', '.join(DOCS)}")
    return f"docs/{name}{' ' + section if section else ''} (dcplan docs shows where)"


def doc_path(name: str) -> Path:
    """Path of a document in :func:`docs_dir` (``doc_path("site-format.md")``)."""
    return docs_dir() / name


def data_path(*parts: str) -> Path:
    """Path of a file inside the bundled data directory."""
    return data_dir().joinpath(*parts)


def default_portfolio() -> Path:
    """The bundled example portfolio file."""
    return data_path("portfolio.yaml")


def _bundled(p: Path) -> Path | None:
    """The bundled copy a ``data/...`` name means (``data/tariffs/x.json`` ->
    ``data_dir()/tariffs/x.json``); None for any other name."""
    return data_dir().joinpath(*p.parts[1:]) if p.parts[:1] == ("data",) and len(p.parts) > 1 else None


def bundled_hint(name: str | Path) -> str:
    """For a relative name found nowhere that the bundled data holds (``sites/phoenix-az.yaml``,
    ``tariffs/x.json``, ``sweeps/example.yaml``: the README's commands name them ``data/...``, which
    :func:`input_path` finds from any folder), how to name the bundled copy: ``"; the bundled data has
    sites/phoenix-az.yaml: name it data/sites/phoenix-az.yaml to use that copy"``; else ``""``. Not a silent
    fallback: a project's own missing file is not swapped for a bundled one of that name."""
    p = Path(name).expanduser()
    if p.is_absolute() or p.parts[:1] == ("data",) or not p.parts or not (data_dir() / p).is_file():
        return ""
    return f"; the bundled data has {p.as_posix()}: name it data/{p.as_posix()} to use that copy"


def input_path(name: str | Path) -> Path:
    """A file named on the command line: as given when it exists (relative to the current
    folder) or is absolute; else, for a ``data/...`` name, the bundled copy, so the README's
    examples work from an installed wheel too. Only an explicit ``data/`` prefix falls back
    (a missing ``tariffs/my.json`` of one's own project must not silently become a bundled
    file of that name). A name found nowhere is returned as given, for the caller's "not
    found" message."""
    p = Path(name).expanduser()
    if p.exists() or p.is_absolute():
        return p
    cand = _bundled(p)
    return cand if cand is not None and cand.exists() else p


def input_paths(names) -> list[str]:
    """:func:`input_path` of each name; a ``data/...`` glob pattern the shell left unexpanded
    (no match in the current folder, e.g. ``data/sites/*.yaml`` outside a checkout) is
    expanded in the bundled data instead."""
    out = []
    for n in names:
        p = Path(n).expanduser()
        rel = _bundled(p)
        if not p.exists() and rel is not None and any(c in str(n) for c in "*?["):
            found = sorted(data_dir().glob(str(rel.relative_to(data_dir()))))
            if found:
                out += [str(f) for f in found]
                continue
        out.append(str(input_path(n)))
    return out


#: Letters that Unicode does not decompose into an ASCII letter and a mark (so NFKD
#: folding dropped them: ``phœnix`` -> ``phnix``), spelled as German, French and the
#: Nordic and Slavic languages transliterate them.
_ASCII_LETTERS = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O",
                  "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
                  "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "ng", "Ŋ": "NG", "ĸ": "q",
                  "ſ": "s", "ŉ": "n"}


def ascii_name(text: str) -> str:
    """``text`` in ASCII letters for a file or folder name: accents dropped (``Zürich`` ->
    ``Zurich``, NFKD), the letters of :data:`_ASCII_LETTERS` spelled out (``phœnix`` ->
    ``phoenix``, ``Straße`` -> ``Strasse``, ``Łódź`` -> ``Lodz``); any other non-ASCII
    character dropped."""
    import unicodedata
    spelled = "".join(_ASCII_LETTERS.get(ch, ch) for ch in str(text))
    return unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()


def default_site_id(stem: str) -> str:
    """The id of a site YAML without ``id:``, from its file name's stem: :func:`ascii_name` in lower
    case, each run of other characters one ``-`` (``Zürich Nord`` -> ``zurich-nord``); ``"site"`` when
    nothing is left."""
    import re
    return re.sub(r"[^a-z0-9_-]+", "-", ascii_name(stem).lower()).strip("-_") or "site"


#: Longest file name the file systems dcplan writes to allow (NAME_MAX of ext4, XFS, APFS; NTFS's 255 UTF-16
#: units are at least as many): a name longer in UTF-8 cannot be created. [bytes]
NAME_MAX_BYTES = 255
#: What :func:`atomic_write`'s temporary name adds to a file's name: ``.`` + name + ``.`` + 8 random characters +
#: ``.tmp``. [bytes]
TMP_NAME_EXTRA_BYTES = 14
#: Hex digits of the SHA-256 that :func:`fit_name` puts in a name it shortens (48 bits: two names colliding is a
#: one in 10**14 chance).
NAME_HASH_CHARS = 12


def fit_name(name: str, max_bytes: int, suffix: str = "") -> str:
    """``name + suffix`` as a file name of at most ``max_bytes`` bytes in UTF-8.

    A name that fits is returned as it is (so every name that fitted before keeps it). A longer one keeps
    the longest start of ``name`` that leaves room (never half a character), then ``-``, the first
    :data:`NAME_HASH_CHARS` hex digits of the SHA-256 of the whole ``name``, then ``suffix``: readable,
    distinct for distinct names (the hash is of all of ``name``) and the same on every run (a report or
    export written under it is found again).

    >>> fit_name("chicago-il", 40, "_hourly.csv")
    'chicago-il_hourly.csv'
    >>> fit_name("a" * 30, 30, ".txt")
    'aaaaaaaaaaaaa-3a54fc0cbc0b.txt'
    """
    import hashlib
    full = name + suffix
    if len(full.encode("utf-8")) <= max_bytes:
        return full
    tag = "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:NAME_HASH_CHARS]
    room = max_bytes - len((tag + suffix).encode("utf-8"))
    if room < 1:
        raise ValueError(f"no room for a name in {max_bytes} bytes with suffix {suffix!r}")
    return name.encode("utf-8")[:room].decode("utf-8", "ignore") + tag + suffix


#: Variable naming the folder dcplan keeps what it can compute again in (:func:`cache_root`); empty: keep nothing.
CACHE_DIR_ENV = "DCPLAN_CACHE_DIR"


def cache_root() -> Path | None:
    """The folder dcplan keeps what it can compute again in: :data:`CACHE_DIR_ENV` (``DCPLAN_CACHE_DIR``;
    set empty: None, keep nothing), else
    ``$XDG_CACHE_HOME/dcplan``, else ``~/.cache/dcplan``. Its users keep their entries in
    folders of their own: ``weather-checks`` (:mod:`dcplan.weather_check`), ``solved-tables``
    (:mod:`dcplan._solved_cache`)."""
    import os
    v = os.environ.get(CACHE_DIR_ENV)
    if v is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        v = os.path.join(base, "dcplan")
    return Path(v) if v else None
