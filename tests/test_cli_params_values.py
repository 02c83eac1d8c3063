"""``dcplan render -p NAME VALUE`` values a black-box tester met: a value starting with '-'
(``-inf``, ``-1e3``) was read as an option ("expected 2 arguments"), and ``1_0`` (Python's
digit separator) was taken as 10."""
from __future__ import annotations

from pathlib import Path

import pytest

from dcplan.cli import build_parser, main
from dcplan.errors import InputError
from dcplan.report_params import coerce_parameter


@pytest.mark.parametrize("value", ["-inf", "-1e3", "-1.5e+3", "-nan", "-.5", "-1"])
def test_a_value_starting_with_a_minus_is_taken_as_the_value(value):
    args = build_parser().parse_args(["render", "-p", "tower_approach_k", value, "--param", "n", "-2E3",
                                      "-p", "week_start", "2025-07-21", "--out", "o"])
    assert args.param == [["tower_approach_k", value], ["n", "-2E3"], ["week_start", "2025-07-21"]]
    assert args.out == "o"


def test_a_missing_value_before_an_option_is_still_a_usage_error(capsys):
    # '--out' is no number: argparse reads it as the option it is, and -p lacks its value
    with pytest.raises(SystemExit) as ei:
        build_parser().parse_args(["render", "-p", "tower_approach_k", "--out", "o"])
    assert ei.value.code == 2
    assert "argument -p/--param: expected 2 arguments" in capsys.readouterr().err


def test_minus_inf_reaches_the_notebooks_check_and_is_refused_there(tmp_path, capsys):
    rc = main(["render", "--sites", "phoenix-az", "--notebooks", "site_climate", "-p", "tower_approach_k", "-inf",
               "--out", str(tmp_path / "o"), "-q"])
    assert rc == 2
    assert capsys.readouterr().err == ("dcplan: error: -p tower_approach_k: '-inf': site_climate declares "
                                       "tower_approach_k: float; give a finite number\n")
    assert not (tmp_path / "o").exists()


def test_a_digit_separator_is_refused_naming_the_parameter_and_value(tmp_path, capsys):
    rc = main(["render", "--sites", "phoenix-az", "--notebooks", "site_climate", "-p", "tower_approach_k", "1_0",
               "--out", str(tmp_path / "o"), "-q"])
    assert rc == 2
    assert capsys.readouterr().err == (
        "dcplan: error: -p tower_approach_k: '1_0': site_climate declares tower_approach_k: float; give a number "
        "written with digits, '.' and an exponent only: '_' is Python's digit separator (it reads 1_0 as 10), "
        "not a number format dcplan takes\n")


@pytest.mark.parametrize("type_name, value, read_as", [("int", "2_000", "2000"), ("float", "2_000.5", "2000.5"),
                                                       ("float", "-1_0e3", "-10000.0")])
def test_coerce_parameter_refuses_digit_separators(type_name, value, read_as):
    # read_as: what Python's int/float (and YAML 1.1) make of the text, 2_000 -> 2000
    with pytest.raises(InputError) as ei:
        coerce_parameter("x", value, type_name, Path("nb.ipynb"))
    assert str(ei.value) == (f"-p x: {value!r}: nb declares x: {type_name}; give a number written with digits, '.' "
                             f"and an exponent only: '_' is Python's digit separator (it reads {value} as "
                             f"{read_as}), not a number format dcplan takes")


def test_an_untyped_parameter_refuses_digit_separators_and_text_keeps_them():
    with pytest.raises(InputError) as ei:
        coerce_parameter("x", "1_0", None, Path("nb.ipynb"))
    assert str(ei.value) == ("-p x: '1_0': give a number written with digits, '.' and an exponent only: '_' is "
                             "Python's digit separator (it reads 1_0 as 10), not a number format dcplan takes")
    assert coerce_parameter("x", "1_0", "str", Path("nb.ipynb")) == "1_0"  # text stays text
    assert coerce_parameter("x", "hall_1", None, Path("nb.ipynb")) == "hall_1"  # no number
    assert coerce_parameter("x", "-1e3", "float", Path("nb.ipynb")) == -1000.0
