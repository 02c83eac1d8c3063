"""A sweep never replaces a user's own file where it keeps its previous results.

A security review: ``precious/budget.previous.csv`` holding "keep me", a sweep with ``out:
../precious/budget.parquet`` and ``csv: true`` run, an axis changed, run again: the second run kept
its previous results as ``budget.previous.csv`` and "keep me" was gone. The results files were
checked ("exists and is not a dcplan sweep result"), the ``.previous`` names were not.
"""
from __future__ import annotations

import pandas as pd
import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.site import load_portfolio
from dcplan.sweep import SweepSpec, read_results, run_sweep

# Their cases' sites get dcplan validate's warnings (dcplan.sweep_checks: "... [sweep case <site> with ...]"), which
# the test settings turn into errors that fail a case; these tests are not of them (the HGX servers on a liquid plant,
# the few-kW PV values that number a test's cases): tests/test_sweep_case_warnings.py is
pytestmark = pytest.mark.filterwarnings(r"ignore:.*\[sweep case :dcplan.errors.DcplanWarning")

CASE = "test_sweep_previous:constant_case"
_CALLS = {"n": 0}


def constant_case(site, weather):
    """A sweep case that counts its calls."""
    _CALLS["n"] += 1
    return {"one_kw": 1.0}


@pytest.fixture(scope="module")
def phoenix():
    return next(s for s in load_portfolio().sites if s.id == "phoenix-az")


@pytest.mark.parametrize("name, own", [("budget.previous.csv", b"keep me\n"),
                                       ("budget.previous.parquet", b"not parquet, my notes\n")])
def test_a_users_previous_file_is_refused_before_any_case_runs(tmp_path, phoenix, name, own):
    out = tmp_path / "budget.parquet"
    first = SweepSpec(sites=[phoenix], case=CASE, name="budget", axes={"solar.dc_kw": [0.0, 1.0]})
    changed = SweepSpec(sites=[phoenix], case=CASE, name="budget", axes={"solar.dc_kw": [0.0, 2.0]})
    (tmp_path / name).write_bytes(own)
    with pytest.raises(InputError) as e:
        run_sweep(first, jobs=1, out=out, csv=True)
    assert str(e.value) == (f"{tmp_path / name}: --out: exists and is not a dcplan sweep result (no case_id/status "
                            "columns); the sweep keeps its previous results under this name and would overwrite "
                            "it: move it or choose another --out")
    # the run that would keep (and so replace) it: refused before any case runs, nothing written
    _CALLS["n"] = 0
    (tmp_path / name).rename(tmp_path / "aside")
    assert run_sweep(first, jobs=1, out=out, csv=True).ok
    (tmp_path / "aside").rename(tmp_path / name)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    _CALLS["n"] = 0
    with pytest.raises(InputError, match="would overwrite it"):
        run_sweep(changed, jobs=1, out=out, csv=True)
    assert _CALLS["n"] == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    assert (tmp_path / name).read_bytes() == own


def test_the_cli_exits_2_naming_the_file(tmp_path, capsys):
    own = tmp_path / "precious" / "budget.previous.csv"
    own.parent.mkdir()
    own.write_text("keep me\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"site: phoenix-az\nout: {own.parent / 'budget.parquet'}\ncsv: true\n"
                    "axes:\n  solar.dc_kw: [0, 1]\n")
    assert main(["sweep", str(spec), "-j", "1", "-q", "--case", CASE]) == 2
    assert f"{own}: --out: exists and is not a dcplan sweep result" in capsys.readouterr().err
    assert own.read_text() == "keep me\n" and not (own.parent / "budget.parquet").exists()


def test_a_sweeps_own_previous_files_are_still_replaced(tmp_path, phoenix):
    # the check refuses only files that are not sweep results: one generation of .previous as before
    out = tmp_path / "b.parquet"
    specs = [SweepSpec(sites=[phoenix], case=CASE, name="b", axes={"solar.dc_kw": [float(k)]}) for k in range(3)]
    run_sweep(specs[0], jobs=1, out=out, csv=True)
    run_sweep(specs[1], jobs=1, out=out, csv=True)
    assert read_results(tmp_path / "b.previous.parquet")["solar.dc_kw"].tolist() == [0.0]
    r = run_sweep(specs[2], jobs=1, out=out, csv=True)
    assert r.ok and read_results(tmp_path / "b.previous.parquet")["solar.dc_kw"].tolist() == [1.0]
    assert pd.read_csv(tmp_path / "b.previous.csv")["solar.dc_kw"].tolist() == [1.0]


def test_an_earlier_runs_csv_is_not_kept_beside_newer_previous_results_and_no_temporary_is_left(tmp_path, phoenix):
    # a CLI tester's finding: run 1 with --csv, run 2 (other cases) without it, run 3 (other cases again): run 2 kept
    # run 1's CSV as b.previous.csv (a hard link of b.csv); run 3 linked b.csv onto b.previous.csv again, a rename
    # onto the same file that does nothing, leaving .b.previous.csv.<pid>-<hex>.tmp, and b.previous.csv stayed run 1's
    # CSV beside run 2's b.previous.parquet
    out = tmp_path / "b.parquet"
    specs = [SweepSpec(sites=[phoenix], case=CASE, name="b", axes={"solar.dc_kw": [float(k)]}) for k in range(3)]
    run_sweep(specs[0], jobs=1, out=out, csv=True)
    run_sweep(specs[1], jobs=1, out=out, csv=False)
    # run 2 kept run 1's results, its CSV with them (the CSV is of those results)
    assert read_results(tmp_path / "b.previous.parquet")["solar.dc_kw"].tolist() == [0.0]
    assert pd.read_csv(tmp_path / "b.previous.csv")["solar.dc_kw"].tolist() == [0.0]
    r = run_sweep(specs[2], jobs=1, out=out, csv=False)
    assert r.ok and read_results(tmp_path / "b.previous.parquet")["solar.dc_kw"].tolist() == [1.0]
    # b.csv is run 1's (left as it was, never deleted): not of run 2's results, so not kept beside them
    assert pd.read_csv(tmp_path / "b.csv")["solar.dc_kw"].tolist() == [0.0]
    assert not (tmp_path / "b.previous.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dcplan-exports.json", "b.csv", "b.parquet",
                                                          "b.previous.parquet"]


def test_an_out_the_sweep_file_names_is_named_as_its_out_not_as_out_option(tmp_path, phoenix):
    # a CLI tester's finding: a spec's unwritable out: was reported as "--out", which the user had not given
    (tmp_path / "afile").write_text("a file, not a folder\n")
    bad = tmp_path / "afile" / "x.parquet"
    spec = SweepSpec(sites=[phoenix], case=CASE, name="b", axes={"solar.dc_kw": [0.0]}, out=str(bad),
                     file=str(tmp_path / "s.yaml"))
    with pytest.raises(InputError, match=r"is a file, not a folder") as e:
        run_sweep(spec, jobs=1)
    assert e.value.field == f"out (of {tmp_path / 's.yaml'})"
    with pytest.raises(InputError) as e:  # given on the command line: --out
        run_sweep(spec, jobs=1, out=bad)
    assert e.value.field == "--out"
