"""Base class of every spec: frozen, strict types, finite numbers, unknown keys are errors.

A spec's mappings (``finance.costs``, ``fleet.profile``) are :class:`FrozenDict`: read-only, as
the spec's own fields are, so a value is not changed around the validation that load_site made.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

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
