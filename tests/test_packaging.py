"""Packaging: the wheel carries data, notebooks and docs; requirements.txt matches pyproject."""
from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_requirements_txt_matches_pyproject_runtime_set():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    reqs = [l.strip() for l in (ROOT / "requirements.txt").read_text().splitlines()
            if l.strip() and not l.startswith("#")]
    assert sorted(deps) == sorted(reqs)


def test_the_wheel_and_sdist_list_docs_and_paths_find_them():
    # the README points at docs/site-format.md and docs/glossary.md; the wheel had no docs/
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]
    assert cfg["wheel"]["force-include"]["docs"] == "dcplan/_bundled/docs"
    assert "docs" in cfg["sdist"]["include"] and "tools" in cfg["sdist"]["include"]
    from dcplan.paths import DOCS, doc_path, docs_dir
    assert docs_dir() == ROOT / "docs"  # from a checkout
    assert sorted(DOCS) == sorted(p.name for p in (ROOT / "docs").glob("*.md")) == ["glossary.md", "notebooks.md",
                                                                                  "reference-data.md",
                                                                                  "site-format.md"]
    assert all(doc_path(n).is_file() for n in DOCS)


def test_an_installed_layout_finds_docs_in_bundled(tmp_path, monkeypatch):
    # the wheel's layout: dcplan/_bundled/docs beside the package wins over a checkout's docs/
    import dcplan.paths as paths
    (tmp_path / "_bundled" / "docs").mkdir(parents=True)
    monkeypatch.setattr(paths, "_PKG", tmp_path)
    assert paths.docs_dir() == tmp_path / "_bundled" / "docs"
    assert paths.doc_path("glossary.md") == tmp_path / "_bundled" / "docs" / "glossary.md"


@pytest.mark.slow
def test_wheel_bundles_data_and_notebooks(tmp_path):
    # builds the real wheel (hatchling from the package index) and looks inside
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    whl = next(tmp_path.glob("dcplan-*.whl"))
    names = set(zipfile.ZipFile(whl).namelist())
    tracked = subprocess.run(["git", "ls-files", "data", "notebooks", "docs"], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    if not tracked:  # not a git checkout (e.g. an sdist): fall back to the folders
        tracked = [str(p.relative_to(ROOT)) for d in ("data", "notebooks", "docs") for p in (ROOT / d).rglob("*")
                   if p.is_file()]
    assert "docs/site-format.md" in tracked and "docs/glossary.md" in tracked
    for f in tracked:
        assert f"dcplan/_bundled/{f}" in names, f"{f} missing from the wheel"
    modules = subprocess.run(["git", "ls-files", "dcplan/*.py", "dcplan/**/*.py"], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    for m in modules or ["dcplan/cli.py", "dcplan/_kernel_zygote.py"]:  # e.g. render's warm-kernel server
        assert m in names, f"{m} missing from the wheel"
    for t in ("conf.json", "index.html.j2"):  # the report page's nbconvert template
        assert f"dcplan/templates/dcplan_report/{t}" in names, f"report template {t} missing from the wheel"
    # pyproject declares BSD-3-Clause with license-files = ["LICENSE"]: the text travels in the wheel
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), "LICENSE missing from the wheel"
    assert "dcplan/_bundled/data/sweeps/example.yaml" in names  # was .gitignore'd by a bare `sweeps/`
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "dcplan = dcplan.cli:main" in zipfile.ZipFile(whl).read(entry).decode()


@pytest.mark.parametrize("module", ["PySAM.Utilityrate5", "PySAM.Pvwattsv8", "psychrolib", "numpy_financial",
                                    "distributed", "hypothesis", "hatchling"])
def test_reference_tools_of_the_test_extras_are_installed(module):
    # cross-check tests importorskip these; with the test extras installed none may be skipped
    import importlib
    importlib.import_module(module)
