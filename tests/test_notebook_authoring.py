"""Writing a notebook of your own for dcplan render (docs/notebooks.md): the in-notebook check
reads the notebook render runs, a parameter without an annotation gets its default's type, and
mistakes in the metadata ``dcplan`` are refused before any run."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from dcplan.errors import InputError
from dcplan.notebook_params import check_parameters, notebook_path
from dcplan.report import plan_runs, render
from dcplan.report_params import NOTEBOOK_ENV, notebook_parameters, notebook_rules

from conftest import DATA

ONE_SITE = f"name: one site\nsites:\n  - {DATA / 'sites' / 'phoenix-az.yaml'}\n"
PARAMS = 'site: str = "x"  # site id\nportfolio: str = "default"  # portfolio YAML\n'


def _write(folder: Path, name: str, params: str, body: str, dcplan: dict | None = None) -> Path:
    """A notebook as docs/notebooks.md describes it: parameters cell, the check, a body."""
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(
        f'from dcplan.notebook_params import check_parameters; check_parameters(globals(), "{name}")'),
        nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["dcplan"] = {"scope": "site", "peers": False, **(dcplan or {})}
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


def _results(out: Path, name: str) -> dict:
    doc = json.loads((out / "phoenix-az" / name / "results.json").read_text())
    return {k: r["value"] for k, r in doc["results"].items()}


@pytest.fixture
def pf(tmp_path):
    f = tmp_path / "pf.yaml"
    f.write_text(ONE_SITE)
    return f


# ---------------------------------------------------------------- finding 2: the check reads its own notebook

def test_a_notebook_of_your_own_that_calls_the_check_renders(tmp_path, pf):
    # it failed "notebook: no such notebook 'monthly_peak'; bundled: cooling_lag, ...": the check looked
    # only in the bundled folder; two notebooks in one warm render: each kernel is told its own file
    nbdir = tmp_path / "mine"
    body = 'import os\nfrom dcplan.results import publish\npublish("runs_nb", os.path.basename(os.environ["DCPLAN_NOTEBOOK"]))'
    _write(nbdir, "monthly_peak", PARAMS + "threshold_kw: float = 5000.0  # [kW]\n", body,
           {"parameters": {"threshold_kw": {"min": 0}}})
    _write(nbdir, "other_one", PARAMS, body)
    out = tmp_path / "o"
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=True)
    assert s.ok, s.table()
    assert _results(out, "monthly_peak")["runs_nb"] == "monthly_peak.ipynb"
    assert _results(out, "other_one")["runs_nb"] == "other_one.ipynb"


@pytest.mark.parametrize("warm", [True, False])
def test_a_copy_with_its_own_rule_is_checked_by_that_rule_in_the_notebook(tmp_path, pf, warm):
    # a copy of site_climate with tower_approach_k's max raised from 25 (bundled) to 40: -p ... 35
    # passed render's pre-check (the copy) and failed in the notebook (the bundled rule)
    nbdir = tmp_path / "copy"
    _write(nbdir, "site_climate", PARAMS + "tower_approach_k: float = -1.0  # [K]\n",
           'from dcplan.results import publish\npublish("approach_k", tower_approach_k)',
           {"parameters": {"tower_approach_k": {"min": 0, "min_exclusive": True, "max": 40, "also": [-1]}}})
    out = tmp_path / "o"
    s = render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=warm,
               parameters={"tower_approach_k": "35"})
    assert s.ok, s.table()
    assert _results(out, "site_climate")["approach_k"] == 35.0


def test_notebook_path_takes_the_running_notebook_of_that_name_else_the_bundled_one(tmp_path, monkeypatch):
    mine = _write(tmp_path / "mine", "tco", PARAMS, "pass")
    bundled = notebook_path("tco")
    assert bundled.parent.name == "notebooks" and bundled != mine
    monkeypatch.setenv(NOTEBOOK_ENV, str(mine))
    assert notebook_path("tco") == mine
    assert notebook_path("tco.ipynb") == mine
    assert notebook_path("rack_power") == bundled.parent / "rack_power.ipynb"  # another name: the bundled one
    with pytest.raises(InputError) as e:
        notebook_path("monthly_peak")
    assert str(e.value).startswith("notebook: no such notebook 'monthly_peak'; bundled: cooling_lag, ")
    assert str(e.value).endswith(f"; dcplan render runs {mine} in this kernel")
    monkeypatch.delenv(NOTEBOOK_ENV)
    with pytest.raises(InputError) as e:
        notebook_path("monthly_peak")
    assert str(e.value).endswith('; outside dcplan render, give your notebook\'s file: '
                                 'check_parameters(globals(), "path/to/monthly_peak.ipynb")')


# ---------------------------------------------------------------- finding 3: no annotation: the default's type

UNANNOTATED = PARAMS + 'threshold_kw = 5000  # [kW]\nlabel = "peak"\nratio = 0.5\nstrict = False\nextra = None\n'


def test_a_parameter_without_annotation_takes_its_defaults_type(tmp_path):
    path = _write(tmp_path / "mine", "monthly_peak", UNANNOTATED, "pass")
    declared = notebook_parameters(path)
    assert {k: d["inferred_type_name"] for k, d in declared.items()} == {
        "site": "str", "portfolio": "str", "threshold_kw": "int", "label": "str", "ratio": "float",
        "strict": "bool", "extra": "None"}
    runs = plan_runs(notebooks=["monthly_peak"], sites=["phoenix-az"], out=tmp_path / "o", notebook_dir=path.parent,
                     parameters={"threshold_kw": "6000", "label": "123", "ratio": "1", "strict": "yes", "extra": "7"})
    p = runs[0].parameters
    assert (p["threshold_kw"], p["label"], p["ratio"], p["strict"], p["extra"]) == (6000, "123", 1.0, True, 7)
    assert type(p["threshold_kw"]) is int and type(p["ratio"]) is float


def test_a_wrong_value_for_an_unannotated_parameter_is_refused_before_any_run(tmp_path):
    # -p threshold_kw abc passed as text and failed deep in the notebook with a TypeError
    path = _write(tmp_path / "mine", "monthly_peak", UNANNOTATED, "pass")
    with pytest.raises(InputError) as e:
        plan_runs(notebooks=["monthly_peak"], sites=["phoenix-az"], out=tmp_path / "o", notebook_dir=path.parent,
                  parameters={"threshold_kw": "abc"})
    assert str(e.value) == ("-p threshold_kw: 'abc': monthly_peak declares threshold_kw = 5000 (no annotation: int, "
                            "the type of its default); give a whole number")


def test_the_notebook_check_types_an_unannotated_parameter_too(tmp_path):
    path = _write(tmp_path / "mine", "monthly_peak", UNANNOTATED, "pass")
    with pytest.raises(InputError) as e:
        check_parameters({"threshold_kw": "abc"}, path)
    assert str(e.value) == ("threshold_kw: 'abc': monthly_peak declares threshold_kw = 5000 (no annotation: int, "
                            "the type of its default); give a whole number")
    check_parameters({"threshold_kw": 4000, "extra": [1, 2]}, path)  # a None default: no type to check


# ---------------------------------------------------------------- finding 4: metadata mistakes

def _plan(path: Path, tmp_path: Path):
    return plan_runs(notebooks=[path.stem], sites=["phoenix-az"], out=tmp_path / "o", notebook_dir=path.parent)


def test_a_rule_whose_min_is_above_its_max_is_refused_before_any_run(tmp_path):
    path = _write(tmp_path / "mine", "sweep_x", PARAMS + "margin_frac: float = 0.15\n", "pass",
                  {"parameters": {"margin_frac": {"min": 2, "max": 1}}})
    with pytest.raises(InputError) as e:
        _plan(path, tmp_path)
    assert str(e.value) == (f"{path}: metadata.dcplan.parameters.margin_frac: margin_frac: min 2 and max 1 allow "
                            "no value; give min below max")


def test_an_empty_exclusive_range_is_refused(tmp_path):
    path = _write(tmp_path / "mine", "sweep_x", PARAMS + "margin_frac: float = 0.15\n", "pass",
                  {"parameters": {"margin_frac": {"min": 0.5, "max": 0.5, "max_exclusive": True}}})
    with pytest.raises(InputError, match=r"margin_frac: min 0\.5 and max 0\.5 allow no value"):
        notebook_rules(path, notebook_parameters(path))


def test_a_default_outside_its_own_rule_is_refused_before_any_run(tmp_path):
    path = _write(tmp_path / "mine", "sweep_x", PARAMS + "margin_frac: float = 1.5\n", "pass",
                  {"parameters": {"margin_frac": {"min": 0, "max": 1}}})
    with pytest.raises(InputError) as e:
        _plan(path, tmp_path)
    assert str(e.value) == (f"{path}: metadata.dcplan.parameters.margin_frac: the default of margin_frac is outside "
                            "its own rule: 1.5: sweep_x allows margin_frac in [0, 1]; change the default or the rule")


def test_a_misspelled_metadata_key_is_refused_with_a_did_you_mean(tmp_path):
    path = _write(tmp_path / "mine", "sweep_x", PARAMS + "margin_frac: float = 0.15\n", "pass",
                  {"paramters": {"margin_frac": {"min": 0, "max": 1}}})
    with pytest.raises(InputError) as e:
        _plan(path, tmp_path)
    assert str(e.value) == (f"{path}: metadata.dcplan: unknown key 'paramters' (did you mean 'parameters'?); "
                            "allowed: scope, peers, requires, parameters, precheck")
