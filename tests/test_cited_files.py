"""Every file a user-facing citation names ships with dcplan.

A wheel and JupyterLab auditor found report labels, warnings, data/hardware.csv's ``source`` column, a site YAML
and the rack_power notebook citing ``shared/reference-data.md``: a file beside the checkout, in neither the repo,
the sdist nor the wheel, so a reviewer of report.html or results.csv could not open it. The notes now ship as
docs/reference-data.md. Scanned here: the string literals of dcplan/ (labels, messages, docstrings), the
catalogs data/*.csv (their ``source`` columns), data/'s Markdown and YAML, docs/*.md, the README and every notebook
cell; docs/reference-data.md itself is the copied notes (its own "docs/source/..." is a web address), so it is not
scanned.
"""
from __future__ import annotations

import ast
import functools
import json
import re

import pytest
from conftest import ROOT

#: A ``docs/...`` or ``data/...`` path (not inside a longer path or a web address).
_PATH = re.compile(r"(?<![\w/.$-])((?:docs|data)/[\w./-]*\w)")
#: A path into the folder beside the checkout (``shared/``, ``../shared/``, ``/work/shared/``).
_SHARED = re.compile(r"(?<![\w.-])(?:\.\./|/work/)?shared/")
#: A citation of the notes with its section: "docs/reference-data.md s.2", "§3c", "section 6", "3c".
_SECTION = re.compile(r"docs/reference-data\.md(?:'s)?`?,? (?:s\. ?|§ ?|section )?(\d[a-d]?)\b")
#: Example names in docstrings, not files ("``data/tariffs/x.json`` -> the bundled copy").
_PLACEHOLDERS = {"data/tariffs/x.json"}


@functools.cache
def _texts() -> tuple[tuple[str, str], ...]:
    out = []
    for p in sorted((ROOT / "dcplan").rglob("*.py")):
        tree = ast.parse(p.read_text(encoding="utf-8"))
        out += [(p.relative_to(ROOT).as_posix(), n.value) for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        # a message's citation written by dcplan.paths.doc_ref("reference-data.md", "s.2"): "docs/<name> <section>"
        out += [(p.relative_to(ROOT).as_posix(), " ".join(["docs/" + n.args[0].value] + [a.value for a in n.args[1:]]))
                for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "doc_ref"
                and n.args and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in n.args)]
    for pattern in ("data/*.csv", "data/**/*.md", "data/**/*.yaml", "docs/*.md", "README.md"):
        out += [(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob(pattern))
                if p.name != "reference-data.md"]
    for p in sorted((ROOT / "notebooks").glob("*.ipynb")):
        out += [(p.relative_to(ROOT).as_posix(), "".join(c["source"]))
                for c in json.loads(p.read_text(encoding="utf-8"))["cells"]]
    return tuple(out)


def test_no_user_facing_text_names_the_folder_beside_the_checkout():
    bad = sorted({(f, t[max(m.start() - 40, 0):m.end() + 20]) for f, t in _texts() for m in _SHARED.finditer(t)})
    assert not bad, f"{len(bad)} citations of a file that does not ship, e.g. {bad[:5]}"


def test_every_cited_docs_and_data_path_exists():
    refs = {(f, m.group(1)) for f, t in _texts() for m in _PATH.finditer(t)}
    # the pattern still finds the citations: the notes, a catalog's data dictionary, a bundled site
    assert {r for _, r in refs} >= {"docs/reference-data.md", "data/SOURCES.md", "data/sites/phoenix-az.yaml"}
    missing = sorted((f, r) for f, r in refs if r not in _PLACEHOLDERS and not (ROOT / r).exists())
    assert not missing, f"{len(missing)} cited paths do not exist, e.g. {missing[:10]}"


def test_the_cited_sections_of_the_reference_notes_exist():
    notes = (ROOT / "docs" / "reference-data.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^##+ (\d[a-d]?)\.", notes, flags=re.M))
    assert {"1", "2", "3a", "3c", "7", "9a"} <= sections  # the headings still parse
    cited = {(f, m.group(1)) for f, t in _texts() for m in _SECTION.finditer(t)}
    assert {s for _, s in cited} >= {"1", "2", "3c", "7"}  # the pattern still finds the citations
    # and those a message writes with doc_ref (catalog_bands' "7", rack_density's "s.2", ...)
    assert {s for f, s in cited if f == "dcplan/catalog_bands.py"} >= {"1", "2", "3c", "5", "7", "8"}
    bad = sorted((f, s) for f, s in cited if s not in sections)
    assert not bad, f"sections cited that docs/reference-data.md does not have: {bad}"


@pytest.mark.parametrize("text, bad", [("(shared/reference-data.md s.2)", True),
                                       ("see ../shared/VALIDATION.md", True),
                                       ("/work/shared/reference-data.md", True),
                                       ("dcplan._render_shared/x", False),
                                       ("(docs/reference-data.md s.2)", False)])
def test_the_shared_pattern(text, bad):
    assert bool(_SHARED.search(text)) is bad
