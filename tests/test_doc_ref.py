"""A message that points a user at ``docs/<file>.md`` says how to find it (dcplan.paths.doc_ref): an installed wheel
has no docs/ folder beside the user's files (its documents are in dcplan/_bundled/docs), and ``dcplan docs`` prints
where each one is. A reviewer who installed the wheel read "set it in the site file's finance.costs: (...;
docs/site-format.md)" and found no such folder.

Every string of the package (not a docstring or a comment) that names a document is checked, by tokenize."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

import dcplan
from dcplan.catalog_copy import HOW_TO_CHANGE
from dcplan.cli import main
from dcplan.paths import DOCS, doc_ref

PKG = Path(dcplan.__file__).parent
#: "docs/<name>.md", where a message would name a document
_NAMED = re.compile(r"docs/([\w-]+\.md)")
#: paths.DOCS is what `dcplan docs` prints beside each path: the place it is said
_EXEMPT = {("paths.py", "docs/reference-data.md (s.1, 3c, ...) refer to")}


def _strings(path: Path):
    """(line, text) of each string literal of ``path`` that is not a docstring (a string alone on its line)."""
    toks = [t for t in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
            if t.type not in (tokenize.NL, tokenize.COMMENT)]
    starts = {tokenize.STRING, getattr(tokenize, "FSTRING_START", tokenize.STRING)}
    for i, t in enumerate(toks):
        if t.type not in starts:
            continue
        j = i
        if t.type != tokenize.STRING:  # Python 3.12: an f-string is a run of tokens
            while toks[j].type != tokenize.FSTRING_END:
                j += 1
        prev = toks[i - 1].type if i else None
        alone = prev in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, None) and toks[j + 1].type == tokenize.NEWLINE
        if not alone:
            yield t.start[0], "".join(x.string for x in toks[i:j + 1])


def test_doc_ref_names_the_document_and_how_to_find_it():
    assert doc_ref("site-format.md") == "docs/site-format.md (dcplan docs shows where)"
    assert doc_ref("reference-data.md", "s.2") == "docs/reference-data.md s.2 (dcplan docs shows where)"
    with pytest.raises(ValueError, match="'site_format.md' is not one of dcplan's documents; allowed: site-format.md"):
        doc_ref("site_format.md")


def test_no_message_names_a_document_without_saying_how_to_find_it():
    bare = []
    for path in sorted(PKG.rglob("*.py")):
        if "_bundled" in path.parts:
            continue
        for line, text in _strings(path):
            if _NAMED.search(text) and not any(path.name == f and s in text for f, s in _EXEMPT):
                bare.append(f"{path.relative_to(PKG)}:{line}: {text[:80]}")
    # before doc_ref: 34 string literals in 9 modules (catalog_copy's five "docs/site-format.md", catalog_bands' ...)
    assert bare == []


def test_the_catalog_copy_warning_says_where_the_site_format_is_and_dcplan_docs_does(capsys):
    said = [v for v in HOW_TO_CHANGE.values() if "site-format.md" in v]
    assert len(said) == 5 and all(doc_ref("site-format.md") in v for v in said)
    # and what it promises: `dcplan docs` prints each document's path, the cited ones among them
    assert main(["docs"]) == 0
    out = capsys.readouterr().out
    for name in ("site-format.md", "reference-data.md"):
        line = next(x for x in out.splitlines() if x.strip().startswith(name))
        assert Path(line.split(None, 1)[1].strip()).is_file() and name in DOCS
