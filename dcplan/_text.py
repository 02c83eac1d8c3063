"""Message helpers for errors that name a bad key or value (standard library only, so
light modules such as :mod:`dcplan.site` and :mod:`dcplan.report` need no pandas)."""
from __future__ import annotations

import difflib


#: Words of a key a user may write for the word dcplan's keys use (``server_usd_per_gpu`` for
#: ``server_usd_per_accelerator``; ``tax_rate_pct`` for ``tax_rate_frac``).
_SYNONYMS = {"gpu": "accelerator", "gpus": "accelerators", "pct": "frac", "percent": "frac",
             "fraction": "frac", "share": "frac"}


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else ''.

    The closest of ``choices`` to ``word`` as written or with its ``_``-separated words put in
    dcplan's terms (:data:`_SYNONYMS`), whichever matches better (difflib ratio >= 0.6)."""
    choices = [str(c) for c in choices]
    word = str(word)
    norm = "_".join(_SYNONYMS.get(w.lower(), w) for w in word.split("_"))
    best, best_r = None, 0.0
    for w in dict.fromkeys((word, norm)):
        for m in difflib.get_close_matches(w, choices, n=1, cutoff=0.6):
            r = difflib.SequenceMatcher(None, w, m).ratio()
            if r > best_r:
                best, best_r = m, r
    return f" (did you mean {best!r}?)" if best else ""


def unknown_key_message(word: str, choices) -> str:
    """Message for an unknown key: suggestion plus the list of allowed keys."""
    allowed = ", ".join(sorted(map(str, choices)))
    return f"unknown {word!r}{did_you_mean(word, choices)}; allowed: {allowed}"
