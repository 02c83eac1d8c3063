"""What a run exports: the regular files its notebook writes under ``outputs/``, and nothing else silently.

Black-box review: ``stray.csv`` and ``exports/other.csv`` written beside ``outputs/`` vanished without a
word, and ``os.symlink(<file outside>, "outputs/link.txt")`` was moved into the report folder as a link,
listed under artifacts with the target's hash and linked from the index. Now a link (or a FIFO) under
``outputs/`` is removed and not listed, with a warning naming it and why (report, results.json
``warnings`` and ``not_exported``); the files left elsewhere in the working folder are named in one line
of results.json ``not_exported``.
"""
from __future__ import annotations

import hashlib
import json
import os

import pytest

from dcplan.report_trim import _collect_exports

pytestmark = pytest.mark.skipif(os.name == "nt" or not hasattr(os, "symlink"), reason="needs os.symlink")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_only_regular_files_under_outputs_are_exported_and_the_rest_is_named(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours\n")
    tmp_dir, work = tmp_path / "run", tmp_path / "run" / ".work"
    (work / "outputs" / "sub").mkdir(parents=True)
    (work / "outputs" / "a.csv").write_bytes(b"x,y\n1,2\n")
    (work / "outputs" / "sub" / "b.csv").write_bytes(b"b\n")
    os.symlink(secret, work / "outputs" / "link.txt")
    os.symlink(tmp_path, work / "outputs" / "dirlink")
    if hasattr(os, "mkfifo"):
        os.mkfifo(work / "outputs" / "pipe")
    (work / "exports").mkdir()
    (work / "stray.csv").write_text("s\n")
    (work / "exports" / "other.csv").write_text("o\n")

    artifacts, not_exported, warned = _collect_exports(work, tmp_dir)

    assert artifacts == [{"path": "outputs/a.csv", "sha256": _sha(b"x,y\n1,2\n"), "bytes": 8},
                         {"path": "outputs/sub/b.csv", "sha256": _sha(b"b\n"), "bytes": 2}]
    link = (f"outputs/link.txt was not exported: a symbolic link to {secret} (only regular files under outputs/ "
            "are kept, listed and linked)")
    dirlink = (f"outputs/dirlink was not exported: a symbolic link to {tmp_path} (only regular files under "
               "outputs/ are kept, listed and linked)")
    pipe = ("outputs/pipe was not exported: not a regular file (a FIFO, socket or device) (only regular files "
            "under outputs/ are kept, listed and linked)")
    assert sorted(warned) == sorted([link, dirlink] + ([pipe] if hasattr(os, "mkfifo") else []))
    assert not_exported[:-1] == warned
    assert not_exported[-1] == ("not exported: exports/other.csv, stray.csv (files the notebook left in its "
                                "working folder; only outputs/ is kept)")
    kept = sorted(p.relative_to(tmp_dir).as_posix() for p in (tmp_dir / "outputs").rglob("*"))
    assert kept == ["outputs/a.csv", "outputs/sub", "outputs/sub/b.csv"]  # no link, no FIFO
    assert secret.read_text() == "not yours\n" and (tmp_path / "run").is_dir()  # link targets untouched


def test_an_outputs_link_is_not_exported_and_a_clean_run_says_nothing(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.csv").write_text("x\n")
    work = tmp_path / "run" / ".work"
    work.mkdir(parents=True)
    os.symlink(elsewhere, work / "outputs")
    artifacts, not_exported, warned = _collect_exports(work, tmp_path / "run")
    assert artifacts == [] and not (tmp_path / "run" / "outputs").exists()
    assert warned == not_exported == ["outputs/ was not exported: it is a symbolic link (exports are regular "
                                      "files in an outputs/ folder of the notebook's working folder)"]
    assert (elsewhere / "x.csv").read_text() == "x\n"

    work2 = tmp_path / "run2" / ".work"
    (work2 / "outputs").mkdir(parents=True)
    (work2 / "outputs" / "t.xlsx").write_bytes(b"PK")
    assert _collect_exports(work2, tmp_path / "run2") == (
        [{"path": "outputs/t.xlsx", "sha256": _sha(b"PK"), "bytes": 2}], [], [])
    work3 = tmp_path / "run3" / ".work"
    work3.mkdir(parents=True)
    assert _collect_exports(work3, tmp_path / "run3") == ([], [], [])


BODY = """import os
from pathlib import Path
from dcplan.results import publish
Path('outputs').mkdir()
Path('outputs/table.csv').write_text('a\\n1\\n')
os.symlink(OUTSIDE, 'outputs/link.txt')
Path('stray.csv').write_text('s\\n')
Path('exports').mkdir()
Path('exports/other.csv').write_text('o\\n')
publish('n_h', 1.0, headline=True)
"""


@pytest.mark.slow
def test_render_keeps_the_file_drops_the_link_and_says_so(tmp_path):
    from dcplan.report import render

    from test_report import TWO_SITES, _nb
    outside = tmp_path / "outside.txt"
    outside.write_text("private\n")
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "exporter.ipynb", 'site: str = "x"\nportfolio: str = "default"',
        BODY.replace("OUTSIDE", repr(str(outside))))
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    out = tmp_path / "reports"
    s = render(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False,
               warm_kernels=False)
    assert s.ok, s.table()
    run = out / "phoenix-az" / "exporter"
    doc = json.loads((run / "results.json").read_text())
    assert [a["path"] for a in doc["artifacts"]] == ["outputs/table.csv"]
    assert doc["artifacts"][0]["sha256"] == _sha(b"a\n1\n")
    why = (f"outputs/link.txt was not exported: a symbolic link to {outside} (only regular files under outputs/ "
           "are kept, listed and linked)")
    assert doc["warnings"] == [why]
    assert doc["not_exported"] == [why, "not exported: exports/other.csv, stray.csv (files the notebook left in "
                                        "its working folder; only outputs/ is kept)"]
    assert not os.path.lexists(run / "outputs" / "link.txt")
    assert "outputs/link.txt was not exported" in (run / "report.html").read_text()
    index = (out / "index.html").read_text()
    assert "link.txt'" not in index and "outputs/table.csv" in index
