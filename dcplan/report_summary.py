"""The headline figures of ``dcplan render``'s terminal summary (part of :mod:`dcplan.report`), fitted to
a terminal: each headline on a line of its own, under its run's line, as a short label (the label up
to its first parenthesis or semicolon, a caveat in square brackets kept: :func:`short_label`) and its value
with its unit, the label cut with an ellipsis where the line would be wider than :data:`SUMMARY_WIDTH`.
The value and unit are never cut (a text value is, after its label, when nothing else fits). The full
labels stay in ``results.json``, ``index.html`` and each report.

A reviewer's finding: the summary printed up to three whole labels on one line, several hundred
characters (a TCO label names every stand-in figure the NPV rests on), unreadable in a terminal.
"""
from __future__ import annotations

#: Widest summary line with a headline [characters]: a 100-column terminal, the narrower of the
#: 100-120 columns a planner's terminal has (a dcplan choice). A run's error line is not cut: it names
#: the file, field and value to mend.
SUMMARY_WIDTH = 100
#: Indent of a headline on a line of its own, under its run's line [characters].
SUMMARY_INDENT = 4
#: Shortest a cut label is kept [characters] (with its ellipsis) before the line may run wider: a key
#: as wide as the terminal leaves no room, and a label cut to a few letters says nothing.
MIN_LABEL = 16
ELLIPSIS = "…"
#: Headlines shown per run in the summary (the index lists them all): the run's first, then those its notebook
#: marks ``summary`` (:func:`dcplan.results.publish`), then the others in publish order (:func:`summary_records`).
MAX_HEADLINES = 3


def short_label(label: str, names: tuple[str, ...] = ()) -> str:
    """The summary's label of a headline: ``label`` up to its first clause, before the first `` (`` or
    ``;`` that leaves at least a word before it (a parenthesis the sentence goes on after, "Northern
    Virginia (Ashburn), VA: ...", is kept); a caveat in square brackets that ends the label ("Week bill
    [NOT the site's fleet: ...]", :func:`dcplan.schedule_labels.of_fleet`) is kept, up to its first colon.
    A `` (`` or ``;`` inside one of ``names`` (the run's site name) is not a clause's end: a site named
    "Miami, FL (small)" keeps its parenthesis, so its cooling_lag headline does not read "Miami, FL: 0 %",
    a figure without its subject that two sites named "Miami, FL (...)" would share (a reviewer's finding).

    >>> short_label("Time to power from filing, median (set by the grid wait; ...)")
    'Time to power from filing, median'
    >>> short_label("Annual PUE (from the weather; facility energy = IT + ...)")
    'Annual PUE'
    >>> short_label("Saving vs greedy (52 weeks) [NOT the site's fleet: a fleet at 0.75 (must-run 0.5)]")
    "Saving vs greedy [NOT the site's fleet]"
    >>> short_label("Miami, FL (small): share of GPU-hours throttled (typical year)", ("Miami, FL (small)",))
    'Miami, FL (small): share of GPU-hours throttled'
    """
    text = " ".join(str(label).split())
    main, caveat = _split_caveat(text)
    spans = [(m, m + len(n)) for n in {" ".join(str(x).split()) for x in names} if n
             for m in _occurrences(main, n)]

    def named(j: int) -> int:
        """The end of the name ``main[j]`` lies in, or -1 (not in a name)."""
        return max((b for a, b in spans if a <= j < b), default=-1)

    end = len(main)
    semi = main.find(";")
    while semi >= 0 and named(semi) >= 0:
        semi = main.find(";", named(semi))
    if semi >= 3:
        end = semi
    i = main.find(" (")
    while 0 <= i < end:
        if named(i + 1) >= 0:  # the site's own name: not a clause's end
            i = main.find(" (", named(i + 1))
            continue
        close = _closing(main, i + 1, "()")
        # a parenthesis inside a name or a date, the sentence going on after it ("Northern Virginia
        # (Ashburn), VA: ...", "from filing (2025-02-01), median (...)"): not the end of the first clause
        if i >= 3 and not (close > 0 and main.startswith(", ", close + 1)):
            end = i
            break
        i = main.find(" (", max(i + 2, close))
    main = main[:end].rstrip(" ,:")
    return f"{main} [{caveat.split(':', 1)[0].strip()}]" if caveat else main


def _split_caveat(text: str) -> tuple[str, str]:
    """``("Week bill", "NOT the site's fleet: ...")`` of ``"Week bill [NOT the site's fleet: ...]"``;
    ``(text, "")`` when the label does not end in a bracketed caveat."""
    if not text.endswith("]"):
        return text, ""
    depth = 0
    for j in range(len(text) - 1, -1, -1):
        depth += {"]": 1, "[": -1}.get(text[j], 0)
        if depth == 0:
            return (text[:j].rstrip(), text[j + 1:-1]) if j > 0 else (text, "")
    return text, ""


def _occurrences(text: str, name: str) -> list[int]:
    """Every index at which ``name`` starts in ``text`` (overlaps included)."""
    out, j = [], text.find(name)
    while j >= 0:
        out.append(j)
        j = text.find(name, j + 1)
    return out


def _closing(text: str, i: int, pair: str = "()") -> int:
    """Index of the bracket closing the one at ``text[i]`` (nested ones counted), or -1."""
    depth = 0
    for j in range(i, len(text)):
        depth += {pair[0]: 1, pair[1]: -1}.get(text[j], 0)
        if depth == 0:
            return j
    return -1


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, the last one an ellipsis when it is cut.

    >>> cut("Hours the cooling tower alone", 12), cut("short", 12)
    ('Hours the…', 'short')
    """
    if len(text) <= width:
        return text
    head = text[:max(0, width - 1)]
    space = head.rfind(" ")
    if space >= max(1, len(head) - 12):  # at a word's end when that loses little
        head = head[:space]
    return head.rstrip(" ,:;(") + ELLIPSIS


def headline_text(label: str, value: str, width: int, text_value: bool = False) -> str:
    """``label: value`` in at most ``width`` characters: the label cut (to :data:`MIN_LABEL` at the
    least), a number and its unit never (such a line may run wider than ``width`` when its run key is as
    wide as the terminal); a text value (``text_value``) is cut too, the label keeping up to half the line."""
    full = f"{label}: {value}"
    if len(full) <= width:
        return full
    room = width - len(value) - 2
    if not text_value:
        return f"{cut_label(label, max(room, min(MIN_LABEL, len(label))))}: {value}"
    # a text value: the label keeps up to half the line (more when the value is short), the value the rest
    lab = cut_label(label, max(min(len(label), room), min(len(label), max(MIN_LABEL, width // 2))))
    return f"{lab}: {cut(value, max(MIN_LABEL, width - len(lab) - 2))}"


def cut_label(label: str, width: int) -> str:
    """:func:`cut` of a short label, its bracketed caveat kept whole (the words before it are cut).

    >>> cut_label("Billed saving of the optimized schedule [NOT the site's fleet]", 40)
    "Billed saving… [NOT the site's fleet]"
    """
    main, caveat = _split_caveat(label)
    if not caveat:
        return cut(label, width)
    tail = f" [{caveat}]"
    return cut(main, max(MIN_LABEL // 2, width - len(tail))) + tail


def headline_lines(records, format_value, width: int, warned: str = "",
                   names: tuple[str, ...] = ()) -> list[str]:
    """The summary's lines of one run's headlines (:func:`summary_records`), each at most ``width``
    characters, after ``warned`` (its warnings, "2 warnings (see the report)") when it has any, which
    goes first (on the run's own line). ``records``: the run's published records (``results.json``'s);
    ``names``: the run's site name, kept whole in a short label (:func:`short_label`)."""
    heads = summary_records(records)
    out = [warned] if warned else []
    made = []
    for r in heads:
        value = format_value(r.get("value"), r.get("unit"), r.get("key"))
        label = short_label(r.get("label") or r.get("key", ""), names)
        line = headline_text(label, value, width, text_value=isinstance(r.get("value"), str))
        made.append((r, value, label, line))
    # two figures of one run whose lines read alike once cut ("NPV after tax…" at the median delay and on plan):
    # each gets its key after its whole label, so a reader of the log can tell them apart, where the line has room
    parts = [_label_part(line, value) for _, value, _, line in made]
    for (r, value, label, line), part in zip(made, parts):
        if parts.count(part) > 1 and r.get("key"):
            keyed = f"{label} [{r['key']}]: {value}"
            line = keyed if len(keyed) <= width else line  # no room for the label whole and its key: as it was
        out.append(line)
    return out


def summary_records(records) -> list[dict]:
    """The headline records the terminal summary shows (at most :data:`MAX_HEADLINES`): the run's first headline,
    then those marked ``summary`` (``publish(..., summary=True)``), then the other headlines, each group in
    publish order. A reviewer's finding: the summary showed a TCO run's first three headlines, the NPV at the
    median grid delay, the NPV at the planned dates and the chance of those dates (both NPVs near the top of the
    run's own Monte Carlo), and never its median NPV or P(NPV < 0), published later with the Monte Carlo.

    >>> recs = [{"key": k, "headline": True, **({"summary": True} if k in "cd" else {})} for k in "abcde"]
    >>> [r["key"] for r in summary_records(recs)]
    ['a', 'c', 'd']
    >>> [r["key"] for r in summary_records([{"key": "a", "headline": True}, {"key": "b", "headline": True}])]
    ['a', 'b']
    """
    heads = [r for r in records if r.get("headline")]
    first, rest = heads[:1], heads[1:]
    return (first + [r for r in rest if r.get("summary")] + [r for r in rest if not r.get("summary")])[:MAX_HEADLINES]


def _label_part(line: str, value: str) -> str:
    """The label of a summary ``line`` (``label: value``), as printed (cut or not)."""
    tail = f": {value}"
    return line[:-len(tail)] if line.endswith(tail) else line.split(": ", 1)[0]
