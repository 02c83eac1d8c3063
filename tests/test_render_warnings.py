"""dcplan's warnings in a rendered run reach the people who read its outputs.

A notebook that issues a :class:`~dcplan.errors.DcplanWarning` (a weather station 969 km from
the site, say) used to show it in its report as Python prints it, in a stderr box: the path of
dcplan's source file, a line number and a line of dcplan's code. Finance reviewers read the
index and results.json, which said nothing. Now each one is

* a formatted caveat in the report ("Warning: <message>", no source path, line or code), in the
  cell that issued it and listed under the report's title;
* listed in the run's ``results.json`` (``warnings``: each message once);
* flagged on the run's row of ``index.html`` ("1 warning" and the message), and in the summary.

Warm (forked) and cold kernels alike: the kernel loads :mod:`dcplan.results` as an IPython
extension.
"""
from __future__ import annotations

import json
import re

import pytest

from dcplan.report import render
from dcplan.results import WARNING_MIME, collect_warnings

from test_report import TWO_SITES, _nb

MSG = "site.yaml: weather.file: the station is 969 km from the site; use a nearer station"
BODY = ("import warnings\nfrom dcplan.errors import DcplanWarning\nfrom dcplan.results import publish\n"
        "publish('scaled', 1000.0 * scale, unit='h', label='Scaled hours', headline=True)\n"
        "def check():\n"
        f"    warnings.warn(DcplanWarning({MSG!r}))\n"
        "check()\ncheck()\n"  # the same warning twice: listed once
        "warnings.warn(DcplanWarning('second caveat'))\n"
        "warnings.warn('a plain UserWarning stays as Python shows it')\n")


def _workspace(tmp_path, body=BODY):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "warns.ipynb", 'site: str = "x"\nportfolio: str = "default"\nscale: float = 1.0', body)
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    return nbdir, pf, tmp_path / "reports"


@pytest.mark.slow
@pytest.mark.parametrize("warm", [False, True])
def test_a_notebook_warning_is_a_caveat_in_report_results_and_index(tmp_path, warm):
    nbdir, pf, out = _workspace(tmp_path)
    s = render(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False,
               warm_kernels=warm)
    assert s.ok, s.table()
    run = out / "phoenix-az" / "warns"

    doc = json.loads((run / "results.json").read_text())
    assert doc["warnings"] == [MSG, "second caveat"]  # in order, each once; the plain UserWarning is not one

    page = (run / "report.html").read_text()
    assert f"<strong>Warning:</strong> {MSG}" in page  # where it was issued
    assert "2 warnings in this run" in page and f"<li>Warning: {MSG}</li>" in page  # under the title
    assert "DcplanWarning:" not in page  # no Python format: source path, line number, code line
    assert not re.search(r"\.py:\d+: DcplanWarning", page)
    assert "warnings.warn(DcplanWarning(" not in page  # code hidden: no line of source either
    # other warnings: printed, not caveats, and without the kernel's temp path or the line of code
    assert "UserWarning: a plain UserWarning stays as Python shows it" in page
    assert not re.search(r"\.py:\d+: UserWarning", page) and "warnings.warn('a plain" not in page

    nb = json.loads((run / "notebook.ipynb").read_text())
    assert collect_warnings(nb) == [MSG, "second caveat"]
    stderr = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
                     if o.get("output_type") == "stream")
    assert "DcplanWarning" not in stderr
    assert sum(WARNING_MIME in (o.get("data") or {}) for c in nb["cells"] for o in c.get("outputs", [])) == 2

    index = (out / "index.html").read_text()
    row = next(r for r in index.split("<tr") if "href='phoenix-az/warns/report.html'" in r)
    assert "2 warnings (in the report and its results.json)" in row
    assert f"<li>Warning: {MSG}</li>" in row and "<li>Warning: second caveat</li>" in row

    line = next(ln for ln in s.table().splitlines() if ln.startswith("phoenix-az"))
    assert "2 warnings (see the report)" in line


@pytest.mark.slow
def test_a_run_without_warnings_records_an_empty_list_and_no_flag(tmp_path):
    nbdir, pf, out = _workspace(tmp_path, "from dcplan.results import publish\npublish('x_h', 1.0, headline=True)\n")
    s = render(portfolio=pf, sites=["phoenix-az"], out=out, jobs=1, notebook_dir=nbdir, progress=False,
               warm_kernels=False)
    assert s.ok, s.table()
    assert json.loads((out / "phoenix-az" / "warns" / "results.json").read_text())["warnings"] == []
    assert "class='warn'" not in (out / "index.html").read_text()
    # the report's body before its provenance block, whose input paths hold this test's folder
    # (test_a_run_without_warnings...): no warnings block, no "warning" anywhere
    body = (out / "phoenix-az" / "warns" / "report.html").read_text().split("<details class='dcplan-provenance'")[0]
    assert "warning" not in body.lower().split("<body")[1]
