"""Utility holiday calendars for time-of-use bills: date rules, computed for any year.

Many TOU schedules name holidays that are billed like a weekend (off-peak all
day). A tariff carries them as date rules in the dcplan extension key
``dcplan_holidays`` of its URDB item (read by :mod:`dcplan.tariff_urdb`); the
billing engine bills those days on the weekend schedules, for energy and demand
(:func:`dcplan.tariff_engine.calendar`). Each entry::

    {"name": "Thanksgiving Day", "rule": "4th Thu of Nov", "observed": "none",
     "source": "utility tariff leaf ...", "vintage": "2025"}

Rule grammar (case-insensitive; months and weekdays by English name or
three-letter abbreviation):

=========================  ===========================================================
``"Jan 1"``                a fixed month and day
``"4th Thu of Nov"``       the n-th weekday of a month (``1st`` .. ``5th``, or ``last``)
``"last Mon of May"``      (a ``5th`` that a month lacks is skipped that year)
``"Easter"``               Western (Gregorian) Easter Sunday [1]_
``<any of these> +N/-N``   shifted by N days (at most 100): ``"Easter -2"`` = Good Friday,
                           ``"4th Thu of Nov +1"`` = the day after Thanksgiving
=========================  ===========================================================

``observed`` (what the source says of a holiday on a weekend):

=====================  =======================================================
``"none"`` (default)   only the date itself
``"sat_fri_sun_mon"``  on a Saturday the Friday before, on a Sunday the Monday
                       after is also billed as a holiday
``"sun_mon"``          on a Sunday the Monday after is also a holiday; on a
                       Saturday nothing moves
=====================  =======================================================

The date itself always stays a holiday: it is a weekend day when it is moved, so
billing it on the weekend schedule changes nothing.

References
----------
.. [1] Anonymous Gregorian computus (Meeus/Jones/Butcher), J. Meeus, *Astronomical
   Algorithms*, 2nd ed., Willmann-Bell, 1998, ch. 8.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ._text import did_you_mean, unknown_key_message
from .errors import InputError

__all__ = ["HolidayRule", "HolidayCalendar", "easter", "OBSERVED"]

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NTH = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "last": -1,
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
#: Allowed ``observed`` values (see the module docstring).
OBSERVED = ("none", "sat_fri_sun_mon", "sun_mon")
_KEYS = ("name", "rule", "observed", "source", "vintage")
_RULE_HELP = ("a rule like 'Jan 1', '4th Thu of Nov', 'last Mon of May' or 'Easter', "
              "optionally shifted '+N'/'-N' days (e.g. 'Easter -2')")
_SHIFT_RE = re.compile(r"^(.*?)\s*([+-])\s*(\d{1,3})$")


def easter(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday of ``year`` (anonymous Gregorian computus [1]_).

    >>> easter(2025), easter(2024)
    (datetime.date(2025, 4, 20), datetime.date(2024, 3, 31))
    """
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for names in (_MONTHS, _FULL_MONTHS):
        if w in names:
            return names.index(w) + 1
    return None


def _weekday(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for names in (_DAYS, _FULL_DAYS):
        if w in names:
            return names.index(w)
    return None


#: Largest shift of a rule [days]: the movable feasts tied to Easter lie within -48 (Carnival
#: Monday) .. +60 (Corpus Christi) days of it; 100 leaves room and refuses typos such as +400.
MAX_SHIFT_DAYS = 100


def _parse(rule: str) -> tuple:
    """``rule`` -> (kind, a, b, shift_days); ValueError with what is allowed."""
    text = " ".join(str(rule).split())
    shift = 0
    m = _SHIFT_RE.match(text)
    if m and m.group(1):
        text, shift = m.group(1), int(m.group(3)) * (1 if m.group(2) == "+" else -1)
        if abs(shift) > MAX_SHIFT_DAYS:
            raise ValueError(f"shift {m.group(2)}{m.group(3)} days is more than {MAX_SHIFT_DAYS} days from its date; "
                             "shifted holidays are near their base (Carnival is Easter -48, Corpus Christi Easter "
                             "+60): write a holiday that far off as its own date")
    words = text.split(" ")
    if len(words) == 1 and words[0].lower() == "easter":
        return ("easter", 0, 0, shift)
    if len(words) == 2 and _month(words[0]) and words[1].isdigit():
        mo, day = _month(words[0]), int(words[1])
        try:
            dt.date(2000, mo, day)  # a leap year: Feb 29 is allowed (skipped in other years)
        except ValueError:
            raise ValueError(f"{text!r}: {words[0]} has no day {day}") from None
        return ("fixed", mo, day, shift)
    if len(words) == 4 and words[2].lower() == "of":
        nth = _NTH.get(words[0].lower())
        wd, mo = _weekday(words[1]), _month(words[3])
        if nth is None:
            raise ValueError(f"{text!r}: unknown {words[0]!r}{did_you_mean(words[0].lower(), _NTH)}; "
                             "use 1st..5th or last")
        if wd is None:
            raise ValueError(f"{text!r}: unknown weekday {words[1]!r}"
                             f"{did_you_mean(words[1].lower(), _DAYS + _FULL_DAYS)}")
        if mo is None:
            raise ValueError(f"{text!r}: unknown month {words[3]!r}"
                             f"{did_you_mean(words[3].lower(), _MONTHS + _FULL_MONTHS)}")
        return ("nth", mo, (nth, wd), shift)
    raise ValueError(f"cannot read {str(rule)!r}; need {_RULE_HELP}")


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date | None:
    if nth > 0:
        first = dt.date(year, month, 1)
        d = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
        return d if d.month == month else None
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


@dataclass(frozen=True)
class HolidayRule:
    """One named holiday: a date rule, how a weekend date is observed, and its source.

    Parameters
    ----------
    name : str
        E.g. ``"Thanksgiving Day"``.
    rule : str
        Date rule (grammar in the module docstring), e.g. ``"4th Thu of Nov"``.
    observed : {"none", "sat_fri_sun_mon", "sun_mon"}, default "none"
        Weekday also billed as the holiday when the date falls on a weekend.
    source, vintage : str
        Where the rule comes from and the tariff version it was read from.
    """

    name: str
    rule: str
    observed: str = "none"
    source: str = ""
    vintage: str = ""
    _parsed: tuple = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self):
        if not str(self.name).strip():
            raise InputError("holiday needs a non-empty name", field="name")
        if self.observed not in OBSERVED:
            raise InputError(unknown_key_message(self.observed, OBSERVED), field="observed")
        try:
            parsed = _parse(self.rule)
        except ValueError as exc:
            raise InputError(f"holiday {self.name!r}: {exc}", field="rule") from None
        object.__setattr__(self, "_parsed", parsed)

    def date(self, year: int) -> dt.date | None:
        """The holiday's date in ``year`` (before observance); None if the year lacks it."""
        kind, a, b, shift = self._parsed
        if kind == "easter":
            base = easter(year)
        elif kind == "fixed":
            try:
                base = dt.date(year, a, b)
            except ValueError:  # Feb 29 outside a leap year
                return None
        else:
            base = _nth_weekday(year, a, *b)
            if base is None:
                return None
        return base + dt.timedelta(days=shift)

    def dates(self, year: int) -> list[dt.date]:
        """The holiday in ``year`` plus the weekday it is observed on, if moved."""
        d = self.date(year)
        if d is None:
            return []
        out = [d]
        wd = d.weekday()
        if wd == 5 and self.observed == "sat_fri_sun_mon":
            out.append(d - dt.timedelta(days=1))
        elif wd == 6 and self.observed in ("sat_fri_sun_mon", "sun_mon"):
            out.append(d + dt.timedelta(days=1))
        return out


@dataclass(frozen=True)
class HolidayCalendar:
    """The holidays a tariff bills on its weekend schedule (hashable, compared by value).

    Build with :meth:`from_urdb` (the ``dcplan_holidays`` list of a URDB item) or
    from :class:`HolidayRule` objects. Give it to :meth:`dcplan.tariff.Tariff.bill`
    as ``holidays=`` like a list of dates.
    """

    rules: tuple[HolidayRule, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "rules", tuple(self.rules))
        for i, r in enumerate(self.rules):
            if not isinstance(r, HolidayRule):
                raise InputError(f"need HolidayRule objects, got {type(r).__name__}", field=f"rules[{i}]")

    def __len__(self) -> int:
        return len(self.rules)

    def dates(self, first_year: int, last_year: int) -> list[dt.date]:
        """Every holiday date (observed days included) of the years ``first_year`` .. ``last_year``.

        The years just outside are included too, so a New Year's Day observed on
        the Friday before (31 December) is in the list of the earlier year.
        """
        out: set[dt.date] = set()
        for y in range(int(first_year) - 1, int(last_year) + 2):
            for r in self.rules:
                out.update(r.dates(y))
        return sorted(out)

    def table(self, year: int):
        """One row per holiday in ``year``: ``holiday``, ``date``, ``observed_date`` (or NaT)."""
        import pandas as pd
        rows = []
        for r in self.rules:
            ds = r.dates(year)
            if ds:
                rows.append((r.name, pd.Timestamp(ds[0]), pd.Timestamp(ds[1]) if len(ds) > 1 else pd.NaT))
        return pd.DataFrame(rows, columns=["holiday", "date", "observed_date"])

    @classmethod
    def from_urdb(cls, value, file: str | None = None,
                  field_name: str = "dcplan_holidays") -> "HolidayCalendar":
        """Parse the ``dcplan_holidays`` list of a URDB item (entries as in the module docstring)."""
        if not isinstance(value, list):
            raise InputError(f"must be a list of holidays ({{'name': ..., 'rule': ...}}), got "
                             f"{type(value).__name__}", file=file, field=field_name)
        rules = []
        for i, entry in enumerate(value):
            where = f"{field_name}[{i}]"
            if not isinstance(entry, dict):
                raise InputError(f"must be an object with keys {', '.join(_KEYS)}, got {entry!r:.60}",
                                 file=file, field=where)
            for k in entry:
                if k not in _KEYS:
                    raise InputError(unknown_key_message(k, _KEYS), file=file, field=f"{where}.{k}")
            for k in ("name", "rule"):
                if not isinstance(entry.get(k), str):
                    raise InputError(f"needs a text {k!r}, got {entry.get(k)!r}", file=file,
                                     field=f"{where}.{k}")
            for k in ("observed", "source", "vintage"):
                if k in entry and not isinstance(entry[k], str):
                    raise InputError(f"must be text, got {entry[k]!r}", file=file, field=f"{where}.{k}")
            try:
                rules.append(HolidayRule(**entry))
            except InputError as exc:
                raise InputError(exc.detail, file=file, field=f"{where}.{exc.field}") from None
        names = [r.name for r in rules]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise InputError(f"holiday {dup[0]!r} is listed twice; keep one", file=file, field=field_name)
        return cls(tuple(rules))


#: The six NERC "Additional Off-Peak Days", the holidays most US utility TOU schedules and PJM/MISO
#: on/off-peak blocks bill off-peak, as ``dcplan_holidays`` entries: New Year's, Independence and
#: Christmas Day move to the Monday after when on a Sunday, stay put on a Saturday (``sun_mon``);
#: the other three fall on weekdays. Source: NERC Resources Subcommittee, "Additional Off-peak Days
#: (aka NERC Holidays)" (lists for 2010-2015, the rule as stated there; on/off-peak hours now in
#: NAESB WEQ); Lansing Board of Water & Light, "Are holidays included in time of use?" (lbwl.com FAQ,
#: retrieved 2026: the six NERC/MISO off-peak holidays, Sunday -> Monday). A tariff's own list can
#: differ (PG&E's non-residential TOU holidays add Presidents Day and Veterans Day, pge.com "TOU
#: holidays"): use the utility's where it names one.
NERC_OFF_PEAK = tuple(
    {"name": n, "rule": r, "observed": "sun_mon",
     "source": "NERC Additional Off-Peak Days (NERC Resources Subcommittee)", "vintage": "2010-2015 rule"}
    for n, r in (("New Year's Day", "Jan 1"), ("Memorial Day", "last Mon of May"), ("Independence Day", "Jul 4"),
                 ("Labor Day", "1st Mon of Sep"), ("Thanksgiving Day", "4th Thu of Nov"),
                 ("Christmas Day", "Dec 25")))


def nerc_calendar() -> HolidayCalendar:
    """:data:`NERC_OFF_PEAK` as a calendar (``Tariff.bill(..., holidays=nerc_calendar())``)."""
    return HolidayCalendar.from_urdb([dict(e) for e in NERC_OFF_PEAK])


def lists_holidays(spec) -> bool:
    """Whether a holiday calendar (what :meth:`dcplan.tariff.Tariff.bill` takes as ``holidays``) lists any:
    False for None, a :class:`HolidayCalendar` without rules (``"dcplan_holidays": []``), an empty string
    and an empty list of dates; True for a country code or a ``holidays.HolidayBase`` (whose dates are
    made for the years asked) and any other calendar or list."""
    if spec is None:
        return False
    if isinstance(spec, (HolidayCalendar, str)):
        return len(spec) > 0
    if hasattr(spec, "get_list"):  # a holidays.HolidayBase: filled year by year when asked
        return True
    try:
        return len(spec) > 0
    except TypeError:  # an iterable without a length (a generator of dates): it is a list of holidays
        return True


def schedule_day_names(spec) -> tuple[str, str]:
    """What a tariff's weekday and weekend schedules' days are called in words, ``(weekday, weekend)``:
    ``("weekdays except holidays", "weekends and holidays")`` when the holiday calendar ``spec`` lists any
    (:func:`lists_holidays`; its days are billed on the weekend schedules, :func:`dcplan.tariff_engine.calendar`),
    else ``("weekdays", "weekends")``."""
    if lists_holidays(spec):
        return "weekdays except holidays", "weekends and holidays"
    return "weekdays", "weekends"


def holiday_names(spec, first: dt.date, last: dt.date) -> dict:
    """``{date: name}`` of the days ``first`` .. ``last`` a holiday calendar bills as holidays:
    ``spec`` a :class:`HolidayCalendar` (an observed day is named ``"<name> (observed)"``), a
    country code for the ``holidays`` package (``"US"``, ``"US-VA"``), a ``holidays.HolidayBase``
    or a list of dates (named ``"holiday"``)."""
    years = range(first.year - 1, last.year + 2)
    out: dict = {}
    if isinstance(spec, HolidayCalendar):
        for y in years:
            for r in spec.rules:
                for i, d in enumerate(r.dates(y)):
                    out.setdefault(d, r.name + (" (observed)" if i else ""))
    elif isinstance(spec, str):
        import holidays as _hol
        country, _, subdiv = spec.partition("-")
        out = dict(_hol.country_holidays(country, subdiv=subdiv or None, years=years).items())
    elif hasattr(spec, "get_list"):  # a holidays.HolidayBase
        for y in years:
            spec.get(f"{y}-01-01")
        out = dict(spec.items())
    else:
        import pandas as pd
        out = {pd.Timestamp(d).date(): "holiday" for d in spec}
    return {d: out[d] for d in sorted(out) if first <= d <= last}
