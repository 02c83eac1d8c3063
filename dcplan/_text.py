"""Message helpers for errors that name a bad key or value (standard library only, so
light modules such as :mod:`dcplan.site` and :mod:`dcplan.report` need no pandas)."""
from __future__ import annotations

import difflib


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else ''."""
    m = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {m[0]!r}?)" if m else ""


def unknown_key_message(word: str, choices) -> str:
    """Message for an unknown key: suggestion plus the list of allowed keys."""
    allowed = ", ".join(sorted(map(str, choices)))
    return f"unknown {word!r}{did_you_mean(word, choices)}; allowed: {allowed}"
