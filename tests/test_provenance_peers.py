"""A run whose notebook reads the portfolio's other sites records their files in its provenance.

site_analysis ranks its site among its peers ("first power ... rank 1 of 4"): a peer's
interconnection dates change its verdict, so its ``results.json`` ``provenance`` lists each peer's
site YAML, weather and tariff with their SHA-256 (``peer:<site id>:<role>``), as its own files
are listed; the index's "inputs changed since" compares them too.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat

from dcplan.report import render
from dcplan.report_stale import inputs_changed

from conftest import DATA
from test_report import _nb


def _sha(p: Path) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def _two_sites(tmp_path: Path) -> Path:
    """A portfolio of copies of the bundled Phoenix and Chicago sites (files by absolute paths)."""
    names = []
    for name in ("phoenix-az", "chicago-il"):
        text = (DATA / "sites" / f"{name}.yaml").read_text()
        text = text.replace("file: weather/", f"file: {DATA / 'weather'}/")
        text = text.replace("file: tariffs/", f"file: {DATA / 'tariffs'}/")
        (tmp_path / f"{name}.yaml").write_text(text)
        names.append(f"{name}.yaml")
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: t\nsites:\n" + "".join(f"  - {n}\n" for n in names))
    return pf


def _peer_files(tmp_path: Path) -> dict[str, Path]:
    text = (tmp_path / "chicago-il.yaml").read_text()
    weather = re.search(r"^weather:\n(?:  .*\n)*?  file: (\S+)", text, re.M).group(1)
    tariff = re.search(r"^tariff:\n(?:  .*\n)*?  file: (\S+)", text, re.M).group(1)
    return {"peer:chicago-il:site": tmp_path / "chicago-il.yaml", "peer:chicago-il:weather": Path(weather),
            "peer:chicago-il:tariff": Path(tariff)}


def test_site_analysis_provenance_lists_the_peers_files_and_their_hashes(tmp_path):
    pf = _two_sites(tmp_path)
    peer = _peer_files(tmp_path)
    assert peer["peer:chicago-il:tariff"].name == "comed-il-large-load.json"
    kw = dict(portfolio=pf, sites=["phoenix-az"], notebooks=["site_analysis"], jobs=1, progress=False,
              warm_kernels=False)
    s = render(out=tmp_path / "r1", **kw)
    assert s.ok, s.table()
    prov = json.loads((tmp_path / "r1" / "phoenix-az" / "site_analysis" / "results.json").read_text())["provenance"]
    for k, p in peer.items():
        assert prov["inputs"][k] == str(p.resolve())
        assert prov["inputs_sha256"][k] == _sha(p)
    # its own files keep their plain roles; only the other site is a peer
    assert prov["inputs"]["site"] == str((tmp_path / "phoenix-az.yaml").resolve())
    assert not any(k.startswith("peer:phoenix-az:") for k in prov["inputs"])
    assert prov["data_vintages"]["peer:chicago-il:tariff"] == (
        "dcplan-built tariff file (URDB format, not a URDB record; price status: estimate), startdate "
        f"{json.loads(peer['peer:chicago-il:tariff'].read_text())['startdate']}")
    # the finding: only the peer's interconnection dates change; its hash in the provenance changes
    y = tmp_path / "chicago-il.yaml"
    text = y.read_text()
    filed = re.search(r"^  filed: (\S+)", text, re.M).group(1)
    y.write_text(text.replace(f"  filed: {filed}", f"  filed: {int(filed[:4]) - 1}{filed[4:]}", 1))
    s = render(out=tmp_path / "r2", **kw)
    assert s.ok, s.table()
    prov2 = json.loads((tmp_path / "r2" / "phoenix-az" / "site_analysis" / "results.json").read_text())["provenance"]
    assert prov2["inputs_sha256"]["peer:chicago-il:site"] == _sha(y) != prov["inputs_sha256"]["peer:chicago-il:site"]
    assert prov2 != prov
    assert prov2["inputs_sha256"]["site"] == prov["inputs_sha256"]["site"]


def test_a_changed_peer_file_marks_the_report_inputs_changed_since(tmp_path):
    """The index's "inputs changed since" compares a peer's recorded hash (the report is kept, not
    rendered again, so only its provenance can say a peer changed); a notebook that reads only its
    own site (``peers: false``) records no peer."""
    pf = _two_sites(tmp_path)
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    for stem, peers in (("reads_peers", True), ("own_only", False)):
        p = _nb(nbdir / f"{stem}.ipynb", 'site: str = "x"\nportfolio: str = "default"',
                "from dcplan.results import publish\npublish('n', 1.0, unit='h', label='Hours')\n")
        nb = nbformat.read(str(p), as_version=4)
        nb.metadata["dcplan"] = {"scope": "site", "peers": peers}
        nbformat.write(nb, str(p))
    out = tmp_path / "r"
    s = render(portfolio=pf, out=out, sites=["phoenix-az"], jobs=1, notebook_dir=nbdir, progress=False,
               warm_kernels=False)
    assert s.ok, s.table()
    docs = {stem: json.loads((out / "phoenix-az" / stem / "results.json").read_text())
            for stem in ("reads_peers", "own_only")}
    assert not any(k.startswith("peer:") for k in docs["own_only"]["provenance"]["inputs"])
    assert inputs_changed(docs["reads_peers"]) == []
    y = tmp_path / "chicago-il.yaml"
    y.write_text(y.read_text() + "# a peer's comment\n")
    assert inputs_changed(docs["reads_peers"]) == ["peer:chicago-il:site"]
    assert inputs_changed(docs["own_only"]) == []
    # a peer that now resolves to another file (its tariff moved) is named with where it is now
    moved = tmp_path / "comed.json"
    moved.write_text((DATA / "tariffs" / "comed-il-large-load.json").read_text())
    y.write_text(re.sub(r"file: \S+comed-il-large-load\.json", f"file: {moved}", y.read_text()))
    s = render(portfolio=pf, out=out, sites=["chicago-il"], notebooks=["reads_peers"], jobs=1,
               notebook_dir=nbdir, progress=False, warm_kernels=False)
    assert s.ok, s.table()
    index = (out / "index.html").read_text()
    other = index[index.index("Other reports in this folder"):]
    row = next(r for r in other.split("<tr") if "href='phoenix-az/reads_peers/report.html'" in r)
    assert (f"inputs changed since it was rendered (peer:chicago-il:site, peer:chicago-il:tariff (now {moved})): "
            in row), row
