"""Base class of every spec: frozen, strict types, finite numbers, unknown keys are errors.

A spec's mappings (``finance.costs``, ``fleet.profile``) are :class:`FrozenDict`: read-only, as
the spec's own fields are, so a value is not changed around the validation that load_site made.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(v):
    """``'2026-10-01'`` (a quoted YAML date, a JSON or command-line string) as that date:
    strict mode takes only date objects, and said a valid ISO date was not one."""
    if isinstance(v, str) and _ISO_DATE.fullmatch(v.strip()):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            raise ValueError(f"{v!r} is not a calendar date") from None
    return v


#: A date field: a date (an unquoted YAML date) or an ISO 8601 ``YYYY-MM-DD`` string.
Date = Annotated[dt.date, BeforeValidator(_iso_date)]


def _machine_today() -> dt.date:
    """The machine's local date (its own function, so a test can set it)."""
    return dt.date.today()


def _not_after_today(v: dt.date) -> dt.date:
    """``v`` when it is on or before today: the machine's date (a day's grace for the time zones: a file
    dated today in Tokyo is read in California the day before) or, when later, ``DCPLAN_TODAY``
    (:func:`dcplan.plan_dates.today`, the plan-date checks' today: a render as of 2100-01-01 takes a plan
    of 2099). An earlier ``DCPLAN_TODAY`` (the test suite's 2000-01-01, a report rendered as of a past
    day) reads a plan as of that day but does not make a day already come a future one. Else an error.

    Within :func:`dcplan.plan_dates.fixed_today` (a sweep's case, on whichever worker) the dates fixed take the
    place of this process's (:func:`dcplan.plan_dates.machine_today`): the machine's date where the sweep started,
    and its ``DCPLAN_TODAY``; this process's clock and ``DCPLAN_TODAY`` are not read, so a case's site is checked as
    the sweep's sites were where it started (a worker a day behind took the bound a day early)."""
    from ..plan_dates import TODAY_ENV, _env_given, fixed_state, machine_today, today
    fixed = fixed_state()
    day = machine_today()
    which = ("the machine's date where the sweep started" if fixed is not None and fixed[2] is not None
             else "the machine's date")
    bound = day + dt.timedelta(days=1)
    if _env_given():  # set (or fixed from it); a bad one: its InputError names the variable
        given = today()
        if given > bound:
            day, which, bound = given, TODAY_ENV, given
        else:
            which += f"; {TODAY_ENV}, {given.isoformat()}, is earlier"
    if v > bound:
        raise ValueError(f"{v.isoformat()} is after today ({day.isoformat()}, {which}): a plan is "
                         "made on a day already come; allowed: a date on or before today")
    return v


#: A date that has come (a site's ``as_of``, the day its plan was made): a :data:`Date` on or before today
#: (the machine's date, or ``DCPLAN_TODAY`` when that is later: :func:`_not_after_today`).
PastDate = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(_not_after_today)]


#: Characters no text field of a site or portfolio takes: the C0 and C1 control characters and
#: DEL (a shared YAML's ``"\\x1b[31m"`` or ``"\\x07"`` would reach the user's terminal through
#: ``dcplan sites``, and a workbook cell refuses them: openpyxl's IllegalCharacterError), and the
#: Unicode bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069), which display text
#: in another order than it is stored ("Phoenix\\u202e xslx.exe" shows as "Phoenixexe.xslx ").
#: Unicode TR #9 (bidi), ECMA-48 (control functions); CVE-2021-42574 ("Trojan Source").
_REFUSED_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
#: The same, with tab and newline allowed: multi-line notes and descriptions (``notes: |``).
_REFUSED_IN_NOTES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

#: Longest name or label (a site's or portfolio's name, a fleet phase's label, a tariff item's
#: label, a utility's name) [characters]: it heads report titles and fills table cells, chart
#: legends and the index page; 200 characters is about two lines of a report title. A dcplan
#: choice (2026), not a published figure: a 1,000,000-character name made site_climate take
#: 164 s instead of 1.6 s and write a 4.3 MB report.
MAX_NAME_CHARS = 200
#: Longest source (``weather.source``, ``tariff.source``) [characters]: a citation with its
#: address fits in a few hundred; longer text belongs in the site's notes. A dcplan choice (2026).
MAX_SOURCE_CHARS = 1000
#: Longest notes or description [characters]: about a printed page, shown at the top of each of
#: the site's reports. A dcplan choice (2026).
MAX_NOTES_CHARS = 5000
#: Longest file name (``weather.file``, ``tariff.file``) [characters]: PATH_MAX, the longest path
#: Linux opens (limits.h, 4096 bytes).
MAX_PATH_CHARS = 4096

#: Names of the refused characters a message names beside their code point.
_CHAR_NAMES = {0x00: "NUL", 0x07: "BEL, bell", 0x08: "backspace", 0x09: "tab", 0x0A: "newline",
               0x0B: "vertical tab", 0x0C: "form feed", 0x0D: "carriage return", 0x1B: "ESC, escape",
               0x7F: "DEL", 0x85: "NEL, next line"}

#: (what it is, longest [characters], whether tab and newline are allowed, what to do instead)
_TEXT_KINDS = {
    "name": ("a name or label", MAX_NAME_CHARS, False, "one line of printable text"),
    "source": ("a source", MAX_SOURCE_CHARS, False, "one line of printable text"),
    "notes": ("notes or a description", MAX_NOTES_CHARS, True, "printable text, tabs and newlines"),
    "path": ("a file name", MAX_PATH_CHARS, False, "one line of printable text"),
}


def _char_text(ch: str) -> str:
    """``U+0007 (BEL, bell: a control character)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE: a
    bidirectional override)``."""
    import unicodedata
    code = ord(ch)
    what = "a bidirectional override" if code >= 0x202A else "a control character"
    name = _CHAR_NAMES.get(code) or unicodedata.name(ch, "")
    return f"U+{code:04X} ({name + ': ' if name else ''}{what})"


def _echo_around(v: str, i: int, width: int = 30) -> str:
    """``v`` as Python's repr writes it (control characters escaped: ``\\x1b``, ``\\u202e``),
    whole when short, else the ``width`` characters either side of position ``i``."""
    if len(v) <= 2 * width:
        return repr(v)
    lo, hi = max(0, i - width), min(len(v), i + width)
    return f"{'...' if lo else ''}{v[lo:hi]!r}{'...' if hi < len(v) else ''}"


def text_problem(v: str, kind: str = "name") -> str | None:
    """Why ``v`` cannot be a text field of kind ``kind`` (:data:`_TEXT_KINDS`: ``"name"``,
    ``"source"``, ``"notes"``, ``"path"``), or None: longer than the kind's limit
    (:data:`MAX_NAME_CHARS`, ...), or holding a character of :data:`_REFUSED_CHARS` (tab and
    newline allowed in notes), named as ``U+XXXX`` with its position (1 = the first character);
    the value is echoed with its control characters escaped, never raw."""
    what, most, multiline, allowed = _TEXT_KINDS[kind]
    if len(v) > most:
        return (f"is {len(v):,} characters long, starting {_echo_around(v[:40], 0)}...; allowed: at most "
                f"{most:,} characters in {what}" + (" (put longer text in the site's notes)" if kind != "notes" else ""))
    m = (_REFUSED_IN_NOTES if multiline else _REFUSED_CHARS).search(v)
    if m is None:
        return None
    i = m.start()
    rest = len((_REFUSED_IN_NOTES if multiline else _REFUSED_CHARS).findall(v, i + 1))
    more = f" (and {rest:,} more such character{'s' if rest > 1 else ''})" if rest else ""
    cc = ("U+0000-U+0008, U+000B-U+001F, U+007F-U+009F" if multiline
          else "U+0000-U+001F and U+007F-U+009F, tab and newline included")
    return (f"contains {_char_text(m.group())} at character {i + 1}{more}: {_echo_around(v, i)}; allowed in "
            f"{what}: {allowed}, without control characters ({cc}) or bidirectional overrides "
            "(U+202A-U+202E, U+2066-U+2069)")


def _text_check(kind: str):
    def check(v: str) -> str:
        why = text_problem(v, kind)
        if why:
            raise ValueError(why)
        return v
    return AfterValidator(check)


#: A name or label: one line, at most :data:`MAX_NAME_CHARS` characters, no control character
#: or bidirectional override (:func:`text_problem`).
Name = Annotated[str, _text_check("name")]
#: Where figures come from: one line, at most :data:`MAX_SOURCE_CHARS` characters.
SourceText = Annotated[str, _text_check("source")]
#: Free text for the reader: tabs and newlines allowed, at most :data:`MAX_NOTES_CHARS` characters.
NotesText = Annotated[str, _text_check("notes")]
#: A file name: one line, at most :data:`MAX_PATH_CHARS` characters.
PathText = Annotated[str, _text_check("path")]


class Spec(BaseModel):
    """Frozen pydantic model; a typo'd key is an error (``dcplan.site`` adds "did you mean").

    Numbers must be finite: YAML's ``.inf``/``.nan`` would pass every lower bound
    (``requested_mw: .inf`` is "> 0") and fail, or mislead, only deep in a model.

    Frozen all through: a field cannot be set, nor a mapping or list field changed in place
    (:class:`FrozenDict`, :class:`FrozenList`: a ``TypeError`` saying how to change it). To
    change a site, edit its YAML or use :func:`dcplan.sweep_overrides.apply_overrides`, which
    validates the copy again; pydantic's ``model_copy(update=...)`` does **not** validate (a
    negative cost or an unknown key goes through), so it is not a way to change a spec.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


#: How a frozen spec is changed: the text every refused change ends with.
HOW_TO_CHANGE = ("set it in the site YAML, or make a validated copy with "
                 "dcplan.sweep_overrides.apply_overrides(site, {{'{path}': value}}) "
                 "(model_copy(update=...) does not validate)")


class FrozenDict(dict):
    """A read-only ``dict``: a mapping field of a frozen spec (``finance.costs``, ``fleet.profile``).

    Reading, iterating, ``dict(d)``, ``{**d}``, ``d | {...}`` and ``d.copy()`` (plain ``dict`` s),
    ``json.dumps`` and pickling work as for a dict, and it is hashable (so a spec holding it is);
    each change in place (``d[k] = v``, ``del``, ``update``, ``pop``, ...) raises a
    :class:`TypeError` naming the field (``where``, e.g. ``"finance.costs"``) and how to change a
    spec: the site YAML, or :func:`dcplan.sweep_overrides.apply_overrides`, which validates again.
    """

    __slots__ = ("_where",)

    def __init__(self, data=(), where: str = ""):
        dict.__init__(self, data)
        self._where = where

    def _refuse(self, key=None) -> TypeError:
        where = self._where or "this mapping"
        path = f"{where}.{key}" if key is not None and isinstance(key, str) else f"{where}.<key>"
        return TypeError(f"{path if key is not None else where}: cannot be changed in place: a site spec is "
                         f"frozen (validated once, on load); {HOW_TO_CHANGE.format(path=path)}")

    def __setitem__(self, key, value):
        raise self._refuse(key)

    def __delitem__(self, key):
        raise self._refuse(key)

    def setdefault(self, key, default=None):
        raise self._refuse(key)

    def pop(self, key, *default):
        raise self._refuse(key)

    def popitem(self):
        raise self._refuse()

    def clear(self):
        raise self._refuse()

    def update(self, *args, **kwargs):
        raise self._refuse()

    def __ior__(self, other):
        raise self._refuse()

    def copy(self) -> dict:
        """A plain (mutable) ``dict`` of the same items."""
        return dict(self)

    def __reduce__(self):  # pickle, copy and deepcopy: built whole, not item by item
        return (type(self), (dict(self), self._where))

    def __hash__(self) -> int:
        return hash(frozenset(self.items()))


class FrozenList(list):
    """A read-only ``list``: a list field of a frozen spec (``tariff.coincident_peaks``), as
    :class:`FrozenDict` is for a mapping (a change in place raises a :class:`TypeError`; hashable)."""

    __slots__ = ("_where",)

    def __init__(self, data=(), where: str = ""):
        list.__init__(self, data)
        self._where = where

    def _refuse(self, *args, **kwargs):
        where = self._where or "this list"
        raise TypeError(f"{where}: cannot be changed in place: a site spec is frozen (validated once, on load); "
                        f"{HOW_TO_CHANGE.format(path=where)}")

    __setitem__ = __delitem__ = append = extend = insert = pop = remove = clear = sort = reverse = _refuse
    __iadd__ = __imul__ = _refuse

    def copy(self) -> list:
        """A plain (mutable) ``list`` of the same items."""
        return list(self)

    def __reduce__(self):  # pickle, copy and deepcopy: built whole, not item by item
        return (type(self), (list(self), self._where))

    def __hash__(self) -> int:
        return hash(tuple(self))


def frozen_list(where: str):
    """An after-validator making a list field read-only (:class:`FrozenList` named ``where``)."""
    def freeze(v):
        return v if v is None or isinstance(v, FrozenList) and v._where == where else FrozenList(v, where)
    return freeze


def frozen_mapping(where: str):
    """An after-validator making a mapping field read-only (:class:`FrozenDict` named ``where``)."""
    def freeze(v):
        return v if v is None or isinstance(v, FrozenDict) and v._where == where else FrozenDict(v, where)
    return freeze
