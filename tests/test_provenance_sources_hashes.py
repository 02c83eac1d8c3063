"""data/SOURCES.md lists a SHA-256 prefix for bundled files: each must be the file's own.

A table row naming a file in backticks and ending with a backticked hex digest (the
"SHA-256 (first 16)" column) is checked against the SHA-256 of that file, found by name
under ``data/``. A wrong prefix (the Dulles EPW's was listed as ``...114`` for ``...113``)
would make SOURCES.md vouch for a file that is not the one shipped.
"""
from __future__ import annotations

import hashlib
import re

import pytest

from dcplan.paths import data_dir

SOURCES = data_dir() / "SOURCES.md"
#: | `file` | ... | `hexprefix` |   (a prefix of 8 to 64 hex digits, the row's last cell)
_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|.*\|\s*`([0-9a-f]{8,64})`\s*\|\s*$")


def _listed() -> list[tuple[str, str]]:
    return [m.groups() for line in SOURCES.read_text(encoding="utf-8").splitlines()
            if (m := _ROW.match(line.strip()))]


def test_sources_md_lists_hashes():
    # the weather table lists six files (3 EPW, 2 TMY3 CSV, 1 TMY2); at least those are checked
    assert len(_listed()) >= 6, _listed()


@pytest.mark.parametrize("name, prefix", _listed(), ids=[n for n, _ in _listed()])
def test_sources_md_hash_prefix_matches_the_bundled_file(name, prefix):
    hits = [p for p in data_dir().rglob(name) if p.is_file()]
    assert len(hits) == 1, f"{name}: expected one file of that name under data/, found {hits}"
    got = hashlib.sha256(hits[0].read_bytes()).hexdigest()
    assert got.startswith(prefix), f"{name}: SOURCES.md lists {prefix}, the file's SHA-256 is {got}"
