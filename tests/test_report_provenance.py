"""A run's provenance as the reader sees it, and runs that execute render's own code.

* Cold kernels run render's own interpreter and environment, whatever Jupyter's ``python3``
  kernelspec says (one on ``JUPYTER_PATH`` with a ``PYTHONPATH`` of its own made a cold TCO run
  give another NPV under render's fingerprint); a kernel that is not render's own is refused.
* ``report.html`` ends with a collapsed provenance block and a workbook written in the run has a
  Provenance sheet, both listing each input's SHA-256 (computed here with hashlib) and a file
  parameter's path as given (relative to the working folder).
* Two renders of the same inputs give the same bytes (no random cell ids; ``SOURCE_DATE_EPOCH``).
* The bundled example system load is an input only of a notebook that may read it, and a
  replaced one when ``-p system_load_csv`` names a file.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path

import pytest

import dcplan
from dcplan.report import execute_run, plan_runs, render

from conftest import DATA
from test_report import _nb

ONE_SITE = f"name: one site\nsites:\n  - {DATA / 'sites' / 'phoenix-az.yaml'}\n"
WHO = ("import os, sys, dcplan\nfrom dcplan.results import publish\n"
       "publish('exe', sys.executable)\npublish('dcplan_file', dcplan.__file__)\n"
       "publish('pythonpath', os.environ.get('PYTHONPATH', ''))\n")


def _sha(p: Path) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def _fake_dcplan(tmp_path: Path) -> Path:
    """A folder with another ``dcplan`` package: a kernel with it on its path runs other code."""
    fake = tmp_path / "other-env"
    (fake / "dcplan").mkdir(parents=True)
    (fake / "dcplan" / "__init__.py").write_text("OTHER = True\n")
    return fake


def test_a_cold_kernel_runs_renders_interpreter_whatever_the_python3_kernelspec(tmp_path, monkeypatch):
    """A ``python3`` kernelspec on ``JUPYTER_PATH`` whose ``env`` puts another dcplan first (the
    auditor's repro): the cold kernel still runs ``sys.executable`` with render's own dcplan and
    without that ``PYTHONPATH``."""
    fake = _fake_dcplan(tmp_path)
    spec = tmp_path / "jp" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "another environment", "language": "python", "env": {"PYTHONPATH": str(fake)}}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jp"))
    from jupyter_client.kernelspec import KernelSpecManager
    # the set-up bites: this is the python3 kernel Jupyter itself would start
    assert KernelSpecManager().get_kernel_spec("python3").env == {"PYTHONPATH": str(fake)}
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "who.ipynb", 'site: str = "x"\nportfolio: str = "default"', WHO)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    run = plan_runs(pf, out=tmp_path / "o", notebook_dir=nbdir)[0]
    res = execute_run(run, zygote=None)  # cold, as --cold-kernels and every kernel on macOS/Windows
    assert res.ok, res.error
    got = {k: v["value"] for k, v in res.results.items()}
    assert got["exe"] == sys.executable
    assert os.path.realpath(got["dcplan_file"]) == os.path.realpath(dcplan.__file__)
    assert str(fake) not in got["pythonpath"]


def test_a_kernel_that_is_not_renders_own_is_refused(tmp_path):
    """A kernel that imports another dcplan (here: ``PYTHONPATH`` in its environment) fails at its
    start with an error naming both dcplans; no cell runs."""
    import papermill as pm

    from dcplan import _sockdirs
    from dcplan.report_kernel import KernelNotOwnError, _engine_name, _ipc_kernel_manager
    fake = _fake_dcplan(tmp_path)
    nb = _nb(tmp_path / "x.ipynb", "a = 1", "open('ran', 'w').write('yes')\n")
    sock = _sockdirs.make("k")
    try:
        with pytest.raises(KernelNotOwnError) as err:
            pm.execute_notebook(str(nb), str(tmp_path / "out.ipynb"), kernel_name="python3", progress_bar=False,
                                engine_name=_engine_name(),
                                kernel_manager_class=_ipc_kernel_manager(sock, tmp_path / "k.log", None, str(tmp_path),
                                                                         {"PYTHONPATH": str(fake)}, []))
    finally:
        shutil.rmtree(sock, ignore_errors=True)
    msg = str(err.value)
    assert str(fake / "dcplan" / "__init__.py") in msg and os.path.realpath(dcplan.__file__) in msg
    assert sys.executable in msg
    assert not (tmp_path / "ran").exists()


def test_check_own_kernel_compares_interpreter_and_dcplan():
    from dcplan.report_kernel import KernelNotOwnError, check_own_kernel

    def ok(v):
        return {"status": "ok", "data": {"text/plain": repr(v)}}
    check_own_kernel({"executable": ok(sys.executable), "dcplan": ok(dcplan.__file__)})
    with pytest.raises(KernelNotOwnError, match="/opt/other/bin/python"):
        check_own_kernel({"executable": ok("/opt/other/bin/python"), "dcplan": ok(dcplan.__file__)})
    with pytest.raises(KernelNotOwnError, match="ModuleNotFoundError"):
        check_own_kernel({"executable": ok(sys.executable),
                          "dcplan": {"status": "error", "ename": "ModuleNotFoundError", "evalue": "dcplan"}})


EXPORTER = ("import os\nimport pandas as pd\nfrom dcplan.results import publish\n"
            "from dcplan.tco_export_xlsx import xlsx_writer\n"
            "os.makedirs('outputs', exist_ok=True)\n"
            "xlsx_writer({'Data': pd.DataFrame({'key': ['a'], 'value': [1.0]})})('outputs/t.xlsx')\n"
            "publish('tariff_name', os.path.basename(tariff_file))\n")


def test_report_and_workbook_show_each_input_with_its_sha256(tmp_path, monkeypatch):
    """``-p tariff_file mytariffs/x.json`` from the working folder: report.html's provenance block
    (collapsed) and the workbook's Provenance sheet list the file as ``mytariffs/x.json`` with its
    SHA-256 (hashlib here), the site's own tariff as replaced, dcplan's version and source digest;
    both from the provenance of results.json."""
    import openpyxl
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mytariffs").mkdir()
    tariff = tmp_path / "mytariffs" / "x.json"
    shutil.copyfile(DATA / "tariffs" / "aps-az-e32-tou-l.json", tariff)
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "exp.ipynb", 'site: str = "x"\nportfolio: str = "default"\ntariff_file: str = ""', EXPORTER)
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    s = render(portfolio=pf, out=tmp_path / "o", jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False,
               parameters={"tariff_file": "mytariffs/x.json"})
    assert s.ok, s.table()
    folder = tmp_path / "o" / "phoenix-az" / "exp"
    doc = json.loads((folder / "results.json").read_text())
    want = _sha(tariff)
    assert doc["provenance"]["inputs_sha256"]["param:tariff_file"] == want

    page = (folder / "report.html").read_text()
    block = page[page.index("<details class='dcplan-provenance'"):]
    assert block.index("</details>") < block.index("</main>")  # at the end of the report, inside it
    assert "<details class='dcplan-provenance' style" in page and " open" not in block.split(">")[0]
    row = next(r for r in block.split("<tr>") if "param:tariff_file" in r and "<td>input</td>" in r)
    assert "<code>mytariffs/x.json</code>" in row and want in row
    site_tariff = next(r for r in block.split("<tr>") if "<td>input</td><td>tariff</td>" in r)
    assert "replaced by param:tariff_file" in site_tariff
    assert _sha(DATA / "tariffs" / "aps-az-e32-tou-l.json") in site_tariff
    assert doc["provenance"]["dcplan_source_sha256"] in block and dcplan.__version__ in block

    wb = openpyxl.load_workbook(folder / "outputs" / "t.xlsx")
    assert wb.sheetnames == ["Data", "Provenance"]
    sheet = [tuple(r) for r in wb["Provenance"].iter_rows(min_row=2, values_only=True)]
    assert ("input", "param:tariff_file", "mytariffs/x.json", want) in sheet
    items = {(a, b): c for a, b, c, _ in sheet}
    assert items[("dcplan", "version")] == dcplan.__version__
    assert items[("dcplan", "source digest (SHA-256 of dcplan/**/*.py)")] == doc["provenance"]["dcplan_source_sha256"]
    assert items[("parameter", "tariff_file")] == "mytariffs/x.json"
    assert items[("run", "started (UTC)")] == doc["run"]["started_utc"]
    # the artifact's hash in results.json is that of the workbook with its Provenance sheet
    assert {a["path"]: a["sha256"] for a in doc["artifacts"]}["outputs/t.xlsx"] == _sha(folder / "outputs" / "t.xlsx")


def test_a_workbook_written_outside_render_has_no_provenance_sheet(tmp_path, monkeypatch):
    import openpyxl
    import pandas as pd

    from dcplan.report_provenance import PROVENANCE_ENV
    from dcplan.tco_export_xlsx import xlsx_writer
    monkeypatch.delenv(PROVENANCE_ENV, raising=False)
    xlsx_writer({"Data": pd.DataFrame({"key": ["a"], "value": [1.0]})})(tmp_path / "t.xlsx")
    assert openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == ["Data"]


def test_two_renders_of_the_same_inputs_give_the_same_bytes(tmp_path, monkeypatch):
    """report.html and notebook.ipynb of two forced renders (same folder, same inputs) hash alike with
    SOURCE_DATE_EPOCH set: papermill's injected-parameters cell had a random id (in both files), the
    cells' clock readings differ; the report's time is SOURCE_DATE_EPOCH's (2023-11-14T22:13:20 UTC
    for 1700000000 s: 19675 days = 2023-11-14, 80000 s = 22:13:20)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "fig.ipynb", 'site: str = "x"\nportfolio: str = "default"\nscale: float = 1.0',
        "from dcplan.results import publish\npublish('scaled', 1000.0 * scale, unit='h', headline=True)\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    got = []
    for _ in range(2):
        s = render(portfolio=pf, out=tmp_path / "o", jobs=1, notebook_dir=nbdir, progress=False,
                   warm_kernels=False, parameters={"scale": 2.0}, force=True)
        assert s.ok, s.table()
        folder = tmp_path / "o" / "phoenix-az" / "fig"
        got.append({f: _sha(folder / f) for f in ("report.html", "notebook.ipynb")})
    assert got[0] == got[1]
    nb = json.loads((folder / "notebook.ipynb").read_text())
    injected = [c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert [c["id"] for c in injected] == ["dcplan-injected-parameters-2"]
    assert "2023-11-14T22:13:20+00:00 (SOURCE_DATE_EPOCH)" in (folder / "report.html").read_text()


def test_source_date_epoch_is_the_runs_one_start_time_in_every_output(tmp_path, monkeypatch):
    """With SOURCE_DATE_EPOCH set, report.html, results.json's ``run.started_utc``, results.csv's
    ``rendered_utc`` and the index state the same start (a run stated 2023-11-14 in its report
    and the wall clock in results.json and results.csv); results.json says where it came from.
    1700000000 s = 19675 days + 80000 s = 2023-11-14T22:13:20 UTC (as above)."""
    import csv
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    when = "2023-11-14T22:13:20+00:00"
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "fig.ipynb", 'site: str = "x"\nportfolio: str = "default"',
        "from dcplan.results import publish\npublish('one_h', 1.0, unit='h', headline=True)\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    out = tmp_path / "o"
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False)
    assert s.ok, s.table()
    folder = out / "phoenix-az" / "fig"
    doc = json.loads((folder / "results.json").read_text())
    assert doc["run"]["started_utc"] == when and doc["run"]["started_from"] == "SOURCE_DATE_EPOCH"
    assert f"started {when} (SOURCE_DATE_EPOCH)" in (folder / "report.html").read_text()
    rows = list(csv.DictReader((out / "results.csv").read_text(encoding="utf-8-sig").splitlines()))
    # results.csv: the same time as a spreadsheet reads a date and time (UTC, no "T", no offset)
    assert rows and {r["rendered_utc"] for r in rows} == {"2023-11-14 22:13:20"}
    # the index: the time as recorded, sorted by it as results.csv writes it (dcplan.index_sort)
    assert f"<td data-sort='2023-11-14 22:13:20'>{when}</td>" in (out / "index.html").read_text()
    # without it: the clock, said so
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False, force=True)
    doc = json.loads((folder / "results.json").read_text())
    assert doc["run"]["started_utc"] > when and doc["run"]["started_from"] == "clock"
    assert "SOURCE_DATE_EPOCH" not in (folder / "report.html").read_text()


def test_the_example_system_load_is_an_input_only_where_it_may_be_read(tmp_path):
    """data/system_load_example.csv: listed for interconnection (which reads it when
    system_load_csv is empty), not for rack_power; replaced when -p system_load_csv names a file."""
    from dcplan.report_fingerprint import provenance
    key = "data:system_load_example.csv"
    runs = plan_runs(None, sites=["phoenix-az"], notebooks=["interconnection", "rack_power"], out=tmp_path / "o")
    by = {r.notebook.stem: r for r in runs}
    assert key in by["interconnection"].input_files and key not in by["interconnection"].replaced_inputs
    assert key not in by["rack_power"].input_files
    mine = tmp_path / "myload.csv"
    shutil.copyfile(DATA / "system_load_example.csv", mine)
    run = plan_runs(None, sites=["phoenix-az"], notebooks=["interconnection"], out=tmp_path / "o",
                    parameters={"system_load_csv": str(mine)})[0]
    assert run.replaced_inputs[key] == "param:system_load_csv"
    prov = provenance(run.input_files, run.vintages, run.replaced_inputs)
    assert prov["replaced_inputs"][key] == "param:system_load_csv"
    assert prov["inputs_sha256"]["param:system_load_csv"] == _sha(mine)


def test_provenance_records_the_versions_of_holidays_tzdata_pyyaml_and_ipykernel():
    from dcplan.report_fingerprint import provenance
    libs = provenance({})["libraries"]
    for name in ("holidays", "tzdata", "PyYAML", "ipykernel"):
        assert libs[name] == metadata.version(name), name


def test_paths_under_the_working_folder_read_relative(tmp_path):
    from dcplan.report_provenance import shown_path
    assert shown_path(str(tmp_path / "a" / "x.json"), str(tmp_path)) == os.path.join("a", "x.json")
    assert shown_path("/elsewhere/x.json", str(tmp_path)) == "/elsewhere/x.json"
    assert shown_path(str(tmp_path.parent / "x.json"), str(tmp_path)) == str(tmp_path.parent / "x.json")


def test_a_failed_runs_time_is_source_date_epochs_too_and_a_malformed_one_is_refused(tmp_path, monkeypatch):
    """A failed (or n/a) run's row of results.csv and runs.json's ``when`` were the clock under SOURCE_DATE_EPOCH
    (a reviewer's finding: results.csv then differed between two renders of the same inputs); and a value that is
    no whole number of seconds was read as the clock while the cell timings were dropped: now refused (exit 2)."""
    import csv

    from dcplan.cli import main
    from dcplan.errors import InputError
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    when = "2023-11-14T22:13:20+00:00"
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "bad.ipynb", 'site: str = "x"\nportfolio: str = "default"', "raise RuntimeError('boom')\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(ONE_SITE)
    out = tmp_path / "o"
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False)
    assert not s.ok
    rows = list(csv.DictReader((out / "results.csv").read_text(encoding="utf-8-sig").splitlines()))
    # results.csv: the same time as a spreadsheet reads a date and time (UTC, no "T", no offset)
    assert rows and {r["rendered_utc"] for r in rows} == {"2023-11-14 22:13:20"}
    assert {e["when"] for e in json.loads((out / "runs.json").read_text()).values()} == {when}
    for bad in ("1700000000.5", "abc", "99999999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", bad)
        with pytest.raises(InputError, match=r"SOURCE_DATE_EPOCH.*is not a whole number of seconds"):
            render(portfolio=pf, out=tmp_path / "o2", jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=False)
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--out", str(tmp_path / "o3")]) == 2
