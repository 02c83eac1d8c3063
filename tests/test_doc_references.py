"""Every dcplan name the documentation cites in backticks exists.

An API user followed data/SOURCES.md and data/jobs_example.md to
``dcplan.schedule_jobs.GENERATOR_DEFAULTS`` and ``dcplan.schedule_jobs.generate_jobs``; both live in
``dcplan.schedule_generate``. The README, docs/*.md and data/**/*.md name modules, functions and
constants as `` `dcplan.module.name` `` (with or without ``()``); each must import and resolve."""
from __future__ import annotations

import importlib
import re

import pytest
from conftest import ROOT

_REF = re.compile(r"`(dcplan(?:\.[A-Za-z_][A-Za-z0-9_]*)+)(?:\(\))?`")
_DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "data").rglob("*.md"))]


def _resolves(ref: str) -> bool:
    parts = ref.split(".")
    for i in range(len(parts), 0, -1):  # the longest importable module, then attributes
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_the_documents_cite_dcplan_names():
    refs = {(p.relative_to(ROOT).as_posix(), m.group(1)) for p in _DOCS for m in _REF.finditer(p.read_text())}
    assert len(refs) > 50  # the pattern still finds the citations


@pytest.mark.parametrize("doc", [p.relative_to(ROOT).as_posix() for p in _DOCS])
def test_every_cited_dcplan_name_exists(doc):
    bad = sorted({m.group(1) for m in _REF.finditer((ROOT / doc).read_text()) if not _resolves(m.group(1))})
    assert not bad, f"{doc} cites names that do not exist: {', '.join(bad)}"


def test_a_wrong_name_is_caught():
    assert _resolves("dcplan.schedule_generate.GENERATOR_DEFAULTS")
    assert not _resolves("dcplan.schedule_jobs.GENERATOR_DEFAULTS")
    assert not _resolves("dcplan.no_such_module")
