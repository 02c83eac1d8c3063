"""dcplan's one YAML reader: PyYAML's safe loader, strict about what it quietly accepts.

* A key given twice in one mapping is an error (PyYAML keeps the last one silently, so a
  second ``cooling:`` section would quietly replace the first).
* An impossible date (``2026-13-01``, ``2025-02-30``) is a YAML error naming its line and
  column (PyYAML raises a bare ``ValueError`` from its date constructor, which escaped
  every "bad input" handler as a traceback).

Safe: a ``yaml.SafeLoader`` subclass (no code execution, no arbitrary tags).
"""
from __future__ import annotations

from typing import Any

import yaml

__all__ = ["SafeUniqueLoader", "BadDate", "BadDateText", "safe_load", "safe_load_keeping_bad_dates", "error_text",
           "bad_date_problems"]


def error_text(e: "yaml.YAMLError") -> str:
    """One line for a YAML error: ``line L, column C: problem`` (an impossible date as
    such; anything else prefixed "not valid YAML"), and for the slips a hand-edited file makes
    most, what PyYAML's words mean there (:func:`_hint`)."""
    mark = getattr(e, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    hint = _hint(problem, e)
    return f"{'' if isinstance(e, BadDate) else 'not valid YAML: '}{where}{problem}{'; ' + hint if hint else ''}"


#: Characters PyYAML's scanner cannot start a plain (unquoted) value with.
_RESERVED_START = "@`%"


def _hint(problem: str, e: "yaml.YAMLError") -> str:
    """What PyYAML's ``problem`` means for a hand-edited site, portfolio or sweep file, or "" (PyYAML's
    words are a parser's: "found character '\\t' that cannot start any token", "mapping values are
    not allowed here", "expected <block end>, but found ...")."""
    context = getattr(e, "context", None) or ""
    opened = getattr(e, "context_mark", None)
    at = f" on line {opened.line + 1}" if opened is not None else ""
    if "found character '\\t'" in problem:
        return "YAML indents with spaces, not tabs: replace the tab with spaces"
    for c in _RESERVED_START:
        if f"found character '{c}' that cannot start any token" in problem:
            return f"a value beginning with {c} must be in quotes, e.g. \"{c}...\""
    if problem.startswith("mapping values are not allowed here"):
        return ("a value holding ': ' must be in quotes (name: \"Site: Phoenix\"); else this line or the one above "
                "it is indented deeper than its neighbours, or lacks the space after a colon (key: value)")
    if problem.startswith("expected <block end>, but found"):
        return ("a line is indented differently from the keys of its section: the keys of one section start in "
                "the same column (spaces only), and a list's items each begin with '- '")
    if problem.startswith("found unexpected end of stream") and "quoted scalar" in context:
        return f"a quote opened{at} is never closed"
    if problem.startswith("expected ',' or ']'"):
        return f"a [list] opened{at} is not closed with ] before the next key"
    if problem.startswith("expected ',' or '}'"):
        return f"a {{mapping}} opened{at} is not closed with }} before the next key"
    return ""


class BadDate(yaml.constructor.ConstructorError):
    """A value written as a date that is not a calendar date."""


class SafeUniqueLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` refusing repeated keys and impossible dates (module docstring)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    dup = key in seen
                except TypeError:  # unhashable key: the base class reports it
                    continue
                if dup:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark,
                        f"key {key!r} is given twice; keep one", key_node.start_mark)
                seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as e:
            raise BadDate(None, None, f"{node.value!r} is not a calendar date ({e}); a date is written YYYY-MM-DD, "
                          "for example 2026-10-01",
                          node.start_mark) from None


SafeUniqueLoader.add_constructor("tag:yaml.org,2002:timestamp", SafeUniqueLoader.construct_yaml_timestamp)


class BadDateText(str):
    """An impossible date kept as its text by :func:`safe_load_keeping_bad_dates`; ``problem`` is
    the :class:`BadDate` line (``line L, column C: '2026-02-30' is not a calendar date ...``)."""

    problem: str = ""


class _KeepBadDatesLoader(SafeUniqueLoader):
    """:class:`SafeUniqueLoader` that keeps an impossible date as a :class:`BadDateText` instead
    of stopping the whole file at it."""

    def construct_yaml_timestamp(self, node):
        try:
            return SafeUniqueLoader.construct_yaml_timestamp(self, node)
        except BadDate as e:
            kept = BadDateText(node.value)
            kept.problem = error_text(e)
            return kept


_KeepBadDatesLoader.add_constructor("tag:yaml.org,2002:timestamp", _KeepBadDatesLoader.construct_yaml_timestamp)


def safe_load_keeping_bad_dates(text: str) -> Any:
    """:func:`safe_load`, but an impossible date is kept as a :class:`BadDateText` (its text, with
    the problem) rather than an error: the site loader then reports it with the file's other
    problems (a date field refuses the text), instead of stopping at it."""
    return yaml.load(text, Loader=_KeepBadDatesLoader)  # noqa: S506 - a SafeLoader subclass


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` with :class:`SafeUniqueLoader`; errors are ``yaml.YAMLError``."""
    return yaml.load(text, Loader=SafeUniqueLoader)  # noqa: S506 - a SafeLoader subclass


def bad_date_problems(raw: Any, found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``found`` (field, message) with the message of each field whose value in ``raw`` is an
    impossible date kept by :func:`safe_load_keeping_bad_dates` (the site loader's
    ``_read_yaml(keep_bad_dates=True)``) replaced by that date's own problem (its line and column,
    and how a date is written): pydantic said only "Input should be a valid date". Fields holding
    such a date that ``found`` does not name (a text field takes any text) are left as they are."""
    dates: dict[str, str] = {}

    def walk(x, path: str) -> None:
        if isinstance(x, BadDateText):
            dates[path] = x.problem
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{path}[{i}]")

    walk(raw, "")
    return [(f, dates.get(f, m)) for f, m in found]
