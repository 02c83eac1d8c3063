"""The warning for a site whose tariff belongs to another utility than its interconnection's.

A tariff JSON's ``utility`` (URDB's field: "Duke Energy Carolinas, LLC") names the utility whose
schedule it is; ``interconnection.utility`` names the utility the site connects to. When they differ
(Miami on Duke's North Carolina OPT-V, a site in Alaska on APS Arizona's E-32), the bill, and every
cost figure built on it, is another utility's prices for this site's load: :func:`tariff_utility_warnings`
says so (``dcplan validate`` and ``dcplan render``, through
``dcplan.site_plausibility.site_warnings``).

Names are compared normalised (:func:`utility_words`: lower case, "&" as "and", punctuation and
company suffixes such as Co, LLC, Inc dropped): they match when one's words are all among the
other's ("Dominion Energy Virginia" within "Virginia Electric & Power Co (Dominion Energy
Virginia)"). A tariff whose utility is a synthetic example (its name says "example" or "synthetic")
belongs to no utility and is not compared; nor is a site without an interconnection utility or a flat
``tariff:`` section.
"""
from __future__ import annotations

import json
import re

__all__ = ["utility_words", "same_utility", "tariff_utility", "tariff_utility_warnings"]

#: Words that name a company's form, not the company: dropped before comparing. [-]
_FORM_WORDS = frozenset({"co", "company", "corp", "corporation", "inc", "incorporated", "llc", "ltd", "lp", "plc",
                         "the", "of", "and"})
#: A tariff utility with one of these words is a synthetic example, not a utility's. [-]
_EXAMPLE_WORDS = frozenset({"example", "synthetic"})


def utility_words(name: str) -> frozenset:
    """The words of a utility name, normalised for comparison.

    >>> sorted(utility_words("Virginia Electric & Power Co (Dominion Energy Virginia)"))
    ['dominion', 'electric', 'energy', 'power', 'virginia']
    >>> sorted(utility_words("Duke Energy Carolinas, LLC"))
    ['carolinas', 'duke', 'energy']
    """
    words = re.findall(r"[a-z0-9]+", str(name).lower().replace("&", " and "))
    return frozenset(w for w in words if w not in _FORM_WORDS)


def same_utility(a: str, b: str) -> bool:
    """Whether two utility names name one utility: one's words (:func:`utility_words`) all among the
    other's.

    >>> same_utility("Arizona Public Service", "Arizona Public Service Co")
    True
    >>> same_utility("Florida Power & Light", "Duke Energy Carolinas, LLC")
    False
    """
    wa, wb = utility_words(a), utility_words(b)
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


def tariff_utility(path) -> str | None:
    """The ``utility`` (or ``utilityname``) of a URDB tariff JSON (a rate, or an API response's first
    item), or None when the file gives none or does not read (the tariff's own checks say why)."""
    try:
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
    except (OSError, ValueError):
        return None
    if isinstance(d, dict) and isinstance(d.get("items"), list) and d["items"]:
        d = d["items"][0]
    if not isinstance(d, dict):
        return None
    u = d.get("utility") or d.get("utilityname")
    return str(u).strip() or None if u is not None else None


def tariff_utility_warnings(site) -> list[str]:
    """The warning for a site whose tariff JSON's utility is not its ``interconnection.utility``
    (see the module docstring); empty when they match or either is missing."""
    ic = site.interconnection
    path = site.tariff_path
    if ic is None or path is None or not str(getattr(ic, "utility", "") or "").strip():
        return []
    tu = tariff_utility(path)
    if tu is None or utility_words(tu) & _EXAMPLE_WORDS or same_utility(ic.utility, tu):
        return []
    where = site.source_file or f"site {site.id!r}"
    return [f"{where}: tariff.file: {site.tariff.file} is a tariff of {tu!r}, while interconnection.utility is "
            f"{ic.utility!r}: the bill (and the TCO's electricity cost, the portfolio's cost per token) is that "
            "utility's prices for this site's load, not its own utility's; allowed: a tariff of the site's own "
            "utility (its URDB rate JSON), or an interconnection.utility naming the tariff's utility; keep it only as "
            "a stand-in, said as such"]
