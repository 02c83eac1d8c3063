"""Render's folder and disk failures (a platform engineer's kill and disk-full trials):

* an ``--out`` inside another render's folder is refused (a later ``render --out k2 --force``
  replaced ``k2/phoenix-az/fig`` whole and deleted the reports rendered into its ``nested/``);
* a full disk while writing ``runs.json`` is exit 1 naming the file ("disk full at ..."), not
  bad input (exit 2, "make it writable"), and says which runs had ended;
* a failed run whose executed notebook was cut short by a full disk leaves no invalid
  ``_failed/<site>/<nb>.ipynb``, and its error names the path.
"""
from __future__ import annotations

import errno
import json

import pytest

import dcplan.report_records as report_records
from dcplan.cli import main
from dcplan.errors import InputError

from test_render_not_current import _render, ws  # noqa: F401 (the fixture)


def test_an_out_inside_another_renders_folder_is_refused(ws, tmp_path):  # noqa: F811
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    nested = out / "phoenix-az" / "fig" / "nested"
    with pytest.raises(InputError) as ei:
        _render((nbdir, pf, nested), sites=["phoenix-az"])
    assert ei.value.field == "--out" and ei.value.file == str(nested)
    assert f"is inside the reports folder {out} of another render (it holds its marker {out / '.dcplan-reports'})" \
        in str(ei.value)
    assert not nested.exists()  # nothing was written
    # the CLI: bad input, exit 2, before any run
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--notebooks", "fig",
                 "--sites", "phoenix-az", "--out", str(out / "phoenix-az"), "-q", "-j", "1", "--cold-kernels"]) == 2
    # a folder beside it is fine
    assert _render((nbdir, pf, tmp_path / "beside"), sites=["phoenix-az"]).ok


def _enospc(*a, **kw):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_writing_runs_json_is_exit_1_naming_it_not_bad_input(ws, monkeypatch, capsys):  # noqa: F811
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    real = report_records.atomic_write_text

    def full_for_runs_json(path, text):
        if path.name == "runs.json":
            _enospc()
        return real(path, text)

    monkeypatch.setattr(report_records, "atomic_write_text", full_for_runs_json)
    rc = main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--notebooks", "fig", "other",
               "--sites", "phoenix-az", "--out", str(out), "-q", "-j", "1", "--cold-kernels"])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert f"dcplan: error: disk full at {out / 'runs.json'} (No space left on device)" in err
    assert "writable" not in err and "bad input" not in err
    assert "the render stopped: " in err  # with what it could say of the runs that ended
    # the runs.json in place is the earlier render's, whole
    assert json.loads((out / "runs.json").read_text())["phoenix-az/fig"]["ok"] is True


def test_a_full_disk_after_runs_json_says_once_what_was_and_was_not_written(ws, monkeypatch, capsys):  # noqa: F811
    # the auditor's trial: runs.json (small) was rewritten, results.csv was not; the stop message said "runs.json and
    # index.html could not be rewritten" and repeated the disk-full clause
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    monkeypatch.setattr(report_records, "write_results_csv", _enospc)
    rc = main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--notebooks", "fig", "other",
               "--sites", "phoenix-az", "--out", str(out), "-q", "-j", "1", "--cold-kernels"])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert err.count("No space left on device") == 1, err
    assert ("; runs.json rewritten for them, but results.csv and index.html could not be: they may list earlier "
            "reports; render again once the folder can be written") in err, err
    assert "run(s) had ended" in err


def test_other_write_errors_stay_bad_input():
    with pytest.raises(InputError, match="make it and its folder writable"):
        with report_records._cannot_write(__import__("pathlib").Path("/x/runs.json")):
            raise PermissionError(errno.EACCES, "Permission denied")
    with pytest.raises(OSError, match=r"disk full at /x/runs.json \(Disk quota exceeded\)") as ei:
        with report_records._cannot_write(__import__("pathlib").Path("/x/runs.json")):
            raise OSError(errno.EDQUOT, "Disk quota exceeded")
    assert not isinstance(ei.value, InputError)


def test_a_notebook_cut_short_by_a_full_disk_is_not_kept_and_the_error_names_it(ws, monkeypatch):  # noqa: F811
    import papermill
    nbdir, pf, out = ws

    def write_half_then_full(src, dst, *a, **kw):
        open(dst, "w").write('{"cells": [{"cell_type": "code", "sou')  # what a full disk left
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(papermill, "execute_notebook", write_half_then_full)  # report_execute imports it per run
    s = _render(ws, sites=["phoenix-az"])
    (res,) = s.results
    assert not res.ok
    assert "disk full at " in res.error and "notebook.ipynb (No space left on device)" in res.error, res.error
    failed = out / "_failed" / "phoenix-az" / "fig.ipynb"
    assert not failed.exists()  # no truncated, invalid notebook left as the failure's
