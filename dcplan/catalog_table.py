"""Reading a data catalog and collecting its problems: the machinery of :mod:`dcplan.catalog_checks`.

:func:`read_catalog` reads a catalog CSV so that a row with too many cells (a comma inside a value, a
decimal comma) names the file and line; ``_Table`` holds one table as read and collects its problems,
each naming the file line, the row key and the column (a cell pandas read as missing but that holds
text, ``nan`` or ``NA``, is that text), with its checks of text, numbers, keys, order, status words
(:data:`STATUS_WORDS`) and plausibility bands (:mod:`dcplan.catalog_bands`); :class:`CatalogError`
raises them all at once. Split from :mod:`dcplan.catalog_checks` (the checker of each catalog), which
re-exports every name here; :mod:`dcplan.equipment_checks` builds its checks on ``_Table`` too.
"""
from __future__ import annotations

import csv
import math

import pandas as pd

from ._text import did_you_mean
from .catalog_bands import band_problem
from .errors import InputError

#: Words a ``status`` may use (docs/reference-data.md's legend): primary (read from the issuer),
#: secondary (a third party citing it), unverified (not confirmed), derived (computed from sourced
#: figures), estimate (no source found). hardware.csv gives one per figure ("max secondary; idle
#: estimate"): there the figure names ``max`` and ``idle`` are allowed besides these words.
STATUS_WORDS = ("primary", "secondary", "unverified", "derived", "estimate")
_SOURCES = "data/SOURCES.md, 'Adding or editing a row'"


class CatalogError(InputError):
    """A data catalog has problems; ``problems`` lists each as ``(where, message)``, ``where``
    naming the line, row key and column (``dcplan validate`` prints one line each)."""

    def __init__(self, file, problems: list[tuple[str, str]]):
        self.problems = list(problems)
        n = len(self.problems)
        lines = "".join(f"\n  {w}: {m}" for w, m in self.problems)
        # the file in the message itself (``detail`` too): a caller that re-words the error as a
        # problem of its own input (a site's fleet.phases[0].hardware) still names the catalog
        super().__init__(f"{file}: {n} problem{'s' if n != 1 else ''} (the rules: {_SOURCES}):{lines}")
        self.file = str(file)

    def all_lines(self) -> list[str]:
        """One line per problem: ``file: where: message``."""
        return [f"{self.file}: {w}: {m}" for w, m in self.problems]


# ------------------------------------------------------------------------------ reading
def _data_rows(path) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """The header and, per data row, the file line it starts on and its cells as written (``#``
    comment lines and empty lines skipped, as ``pandas.read_csv(comment="#")`` skips them); None
    when unreadable."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rdr, out, start, header = csv.reader(fh), [], 1, None
            for row in rdr:
                if row and not row[0].lstrip().startswith("#"):
                    if header is None:
                        header = [c.strip() for c in row]
                    else:
                        out.append((start, row))
                start = rdr.line_num + 1
            return header or [], out
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _width_problem(path) -> str | None:
    """The first data line whose number of cells differs from the header's, in words."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rdr, width, start = csv.reader(fh), None, 1
            for row in rdr:
                if row and not row[0].lstrip().startswith("#"):
                    if width is None:
                        width = len(row)
                    elif len(row) != width:
                        return (f"line {start} has {len(row)} cells, the header {width}: a comma inside a value needs "
                                "double quotes (\"a, b\"), and a decimal comma splits a number in two (write 11.7, "
                                "not 11,7)")
                start = rdr.line_num + 1
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        return f"cannot be read as CSV: {e}"
    return None


def read_catalog(path, **kw) -> pd.DataFrame:
    """``pandas.read_csv(path, comment="#", **kw)``; a file that does not parse raises
    :class:`~dcplan.errors.InputError` naming the file and the line (instead of pandas'
    ``ParserError: Expected 18 fields in line 11, saw 19``)."""
    try:
        return pd.read_csv(path, comment="#", **kw)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        why = _width_problem(path) if isinstance(e, pd.errors.ParserError) else None
        raise InputError(why or f"cannot be read as CSV ({type(e).__name__}: {e}); allowed: a comma-separated "
                                "table with one header line (see its data dictionary, data/*.md)",
                         file=str(path)) from None


# ------------------------------------------------------------------------- row checks
def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def _g(x: float) -> str:
    return f"{x:.10g}"


#: What a blank text cell should hold instead.
_TEXT_ALLOWED = {"source": "where the figure comes from (\"estimate; no source found\" for none)",
                 "vintage": "the date of the figure (a year, YYYY-MM, or \"undated (read 2026)\")",
                 "description": "what the number is"}


def _show(v) -> str:
    return "blank" if _blank(v) else repr(v.strip() if isinstance(v, str) else v)


class _Table:
    """Problems of one catalog table, collected with the line and key of each."""

    def __init__(self, df: pd.DataFrame, path, key_col: str, columns: tuple[str, ...]):
        self.df, self.path, self.key_col, self.problems = df, str(path), key_col, []
        self.records = df.to_dict("records")
        self._lines = None
        missing = [c for c in columns if c not in df.columns]
        if missing:
            self.add(None, None, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the header "
                                 f"must have: {', '.join(columns)}")
            self.fail()

    def _file(self) -> tuple[list[str], list[tuple[int, list[str]]]]:
        """The file's header and rows as written (empty when they do not match the table)."""
        if self._lines is None:
            got = _data_rows(self.path)
            self._lines = got if got is not None and len(got[1]) == len(self.records) else ([], [])
        return self._lines

    def cell(self, i: int, col: str):
        """The table's cell; where pandas read it as missing but the file has text there
        (``nan``, ``NA``, ``None``), that text, so it is not called blank."""
        v = self.records[i].get(col)
        if _blank(v) and not isinstance(v, str):
            header, rows = self._file()
            cells = rows[i][1] if rows else []
            j = header.index(col) if col in header else len(cells)
            if j < len(cells) and cells[j].strip():
                return cells[j].strip()
        return v

    def where(self, i: int | None, col: str | None) -> str:
        if i is None:
            return f"column {col}" if col else "header"
        rows = self._file()[1]
        at = f"line {rows[i][0]}" if rows else f"row {i + 1}"
        key = self.cell(i, self.key_col)
        text = f"{at}, {self.key_col} {_show(key)}"
        return f"{text}, {col}" if col else text

    def add(self, i, col, message: str) -> None:
        self.problems.append((self.where(i, col), message))

    def fail(self) -> None:
        if self.problems:
            raise CatalogError(self.path, self.problems)

    def text(self, i: int, col: str, required: bool = True) -> str | None:
        v = self.cell(i, col)
        if _blank(v):
            if required:
                self.add(i, col, "blank; allowed: " + _TEXT_ALLOWED.get(col, "a non-empty text"))
            return None
        return str(v).strip()

    def number(self, i: int, col: str, unit: str, required: bool = True, blank: str = "") -> float | None:
        """The cell as a finite float; None (and a problem unless allowed) when blank or not a number.
        ``blank``: when a blank is allowed, for the message."""
        v = self.cell(i, col)
        if _blank(v):
            if required:
                self.add(i, col, f"blank; allowed: a number in {unit}" + (f" ({blank})" if blank else ""))
            return None
        try:
            if isinstance(v, bool):
                raise ValueError
            x = float(v.strip()) if isinstance(v, str) else float(v)
        except (TypeError, ValueError):
            self.add(i, col, f"{_show(v)} is not a number; allowed: a plain number in {unit}, without a unit, "
                             "thousands separator or decimal comma in the cell (11700000, not 11.7M or 11,700,000; "
                             "14.5, not 14.5kW)")
            return None
        if not math.isfinite(x):
            self.add(i, col, f"{_show(v)} is not a finite number; allowed: a finite number in {unit}")
            return None
        return x

    def keys(self, known=None, what: str = "") -> list[str | None]:
        """Each row's key (None when blank); blank, duplicate and (``known`` given) unknown keys
        are problems, and so is a key of ``known`` with no row."""
        out, first = [], {}
        for i, r in enumerate(self.records):
            k = None if _blank(self.cell(i, self.key_col)) else str(self.cell(i, self.key_col)).strip()
            out.append(k)
            if k is None:
                self.add(i, self.key_col, "blank; allowed: a unique key")
            elif k in first:
                self.add(i, self.key_col, f"duplicate key {k!r}, also on {self.where(first[k], None).split(',')[0]}: "
                                          "keys must be unique (the last row would silently win, or the table "
                                          "could not be read); allowed: one row per key")
            else:
                first[k] = i
            if known is not None and k is not None and k not in known:
                self.add(i, self.key_col, f"{k!r} is not a key the code reads{did_you_mean(k, sorted(known))} "
                                          f"(a row for it would be shown but never used); allowed: {what}")
        if known is not None:
            for k in known:
                if k not in first:
                    self.add(None, self.key_col, f"no row for {k!r}, which the code reads; allowed: one row per key "
                                                 f"of {what}")
        return out

    def status(self, i: int, extra: tuple[str, ...] = ()) -> None:
        s = self.text(i, "status", required=False)
        if s is None:
            self.add(i, "status", f"blank; allowed: {', '.join(STATUS_WORDS)}")
            return
        words = s.replace(";", " ").replace("(", " ").replace(")", " ").replace(",", " ").split()
        bad = [w for w in words if w not in STATUS_WORDS + extra]
        if bad or not any(w in STATUS_WORDS for w in words):
            also = " (per figure, e.g. 'max secondary; idle estimate')" if extra else ""
            if not bad:
                what = f"{s!r} has no status word"
            elif words == bad[:1]:
                what = f"{s!r} is not a status word"
            else:
                what = f"{s!r} has {', '.join(map(repr, bad))}"
            self.add(i, "status", f"{what}; allowed: {', '.join(STATUS_WORDS)}{also}")

    def provenance(self, i: int, extra: tuple[str, ...] = ()) -> None:
        self.text(i, "source")
        self.text(i, "vintage")
        self.status(i, extra)

    def ordered(self, i: int, cols: tuple[str, ...], vals: list, unit: str) -> None:
        """A problem unless ``vals`` (those not None) are in non-decreasing order."""
        got = [(c, v) for c, v in zip(cols, vals) if v is not None]
        for (c1, v1), (c2, v2) in zip(got, got[1:]):
            if v1 > v2:
                self.add(i, f"{c1}/{c2}", f"{c1} {_g(v1)} > {c2} {_g(v2)} {unit} (swapped?); allowed: "
                                          f"{' <= '.join(cols)}")
                return


def _band(t: _Table, i: int, catalog: str, name: str, cells, unit: str, label: str | None = None) -> None:
    """A problem when the cells of row ``i`` lie outside their plausibility band
    (:func:`dcplan.catalog_bands.band_problem`: a figure in the wrong unit)."""
    got = band_problem(catalog, name, [(c, v) for c, v in cells if v is not None], unit, label)
    if got:
        t.add(i, got[0], got[1])
