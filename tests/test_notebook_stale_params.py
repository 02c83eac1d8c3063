"""A parameter edited in JupyterLab, then only the parameters cell and a later cell run: the later cell refuses,
naming the parameter (README: "a result cell whose inputs changed since an earlier cell computed them refuses to
run, naming the parameter"). Before, only site_analysis's verdict and exports, tco's TCO and export and
offpeak_scheduling's year checked: rack_power printed the 0.8-TDP cap under the label of cap_tdp_frac 0.5, and
site_analysis the 1x fleet's design IT after fleet_scale 2.0 (audit a3 F1).

Each notebook is run as JupyterLab runs it (its cells in one namespace, tests/conftest.run_cells_until) up to the
cell that records its parameters; the parameters cell is then run again as the user edited it (every value the
run had, one changed) and one later result cell run: it must refuse at its first line, naming that parameter
with its value now and when computed. Unchanged, the same line passes."""
from __future__ import annotations

import ast
import json
import re

import pytest

from conftest import DATA, ROOT, run_cells_until
from dcplan.errors import InputError

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
#: What a recording cell holds: dcplan.notebook_params.parameter_values, or tco's tco_export.run_parameters.
RECORDS = ("parameter_values(globals()", "run_parameters(globals()")
GUARD = re.compile(r"^(tco_export\.)?check_parameters_unchanged\(globals\(\), \w+=")


def _cells(notebook: str) -> list[dict]:
    return json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]


def _code(notebook: str) -> list[str]:
    return ["".join(c["source"]) for c in _cells(notebook) if c["cell_type"] == "code"]


def _first_statement(src: str) -> str:
    return next((ln for ln in src.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_cell_after_the_recording_cell_checks_the_parameters_first(notebook):
    """Each bundled notebook records its parameters where its results are computed (the first code cell holding
    parameter_values / run_parameters, after the check cell), and every later code cell starts with the check
    (comments aside): no cell reads a result of other parameters than the parameters cell's."""
    code = _code(notebook)
    first = next((i for i, src in enumerate(code) if any(r in src for r in RECORDS)), None)
    assert first is not None and first >= 2, f"{notebook}: no cell records its parameters after the check cell"
    later = code[first + 1:]
    assert later, notebook
    unguarded = [i for i, src in enumerate(later, first + 1) if not GUARD.match(_first_statement(src))]
    assert unguarded == [], f"{notebook}: code cells {unguarded} do not start with check_parameters_unchanged"


def _rerun_parameters(notebook: str, ns: dict, **edits) -> None:
    """The notebook's parameters cell as the user has it after the run (each value the run had: the injected
    site too), with ``edits`` typed in, run again in ``ns`` (JupyterLab: shift-enter on that cell alone)."""
    src = next("".join(c["source"]) for c in _cells(notebook) if "parameters" in c["metadata"].get("tags", []))
    lines = src.splitlines()
    for n in reversed(ast.parse(src).body):  # right to left: the offsets of the lines before stay valid
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name):
            name, v = n.target.id, n.value
            new = repr(edits.pop(name) if name in edits else ns[name])
            ln = lines[v.lineno - 1]
            lines[v.lineno - 1] = ln[:v.col_offset] + new + ln[v.end_col_offset:]
    assert not edits, f"not parameters of {notebook}: {edits}"
    exec("\n".join(lines), ns)


def _later_cell(notebook: str, marker: str) -> str:
    return next(src for src in _code(notebook) if marker in src)


def _refused(notebook: str, ns: dict, marker: str, name: str, new, binds: tuple = ()) -> None:
    """Unchanged, the later cell's check passes; ``name`` set to ``new`` in the parameters cell, the later
    cell refuses before it computes anything (``binds``: names it would bind, still unbound), naming ``name``."""
    cell = _later_cell(notebook, marker)
    guard = _first_statement(cell)
    assert GUARD.match(guard), guard
    _rerun_parameters(notebook, ns)
    exec(guard, ns)  # the parameters as the run had them: no refusal
    old = ns[name]
    assert old != new
    _rerun_parameters(notebook, ns, **{name: new})
    assert ns[name] == new
    with pytest.raises(InputError) as e:
        exec(cell, ns)
    assert e.value.field == name
    msg = str(e.value)
    assert f"({name} = {new!r} now, {old!r} when the " in msg and "run the notebook from the top" in msg
    assert "nothing was computed" in msg
    assert not [k for k in binds if k in ns]  # refused at its first line


#: (notebook, the recording cell's marker, parameters of the run, the parameter edited and its new value, a later
#: result cell's marker, names that cell binds and the run so far did not). Each edit is one a reader makes:
#: rack_power's is the audit's.
CASES = {
    "rack_power": ("run_params = parameter_values", {}, ("cap_tdp_frac", 0.5), "peak_window(", ("capped",)),
    "cooling_lag": ("run_params = parameter_values", {}, ("low_s", 300.0), "fleet_load_kw(",
                    ("fleet_it",)),
    "site_climate": ("run_params = parameter_values", {}, ("tower_approach_k", 5.0), "extreme_figures", ()),
    "site_analysis": ("year_params = {", {}, ("fleet_scale", 2.0), '"Design IT load"', ()),
    "interconnection": ("run_params = parameter_values", {}, ("order_delay_months", 6.0), "grid.equipment_plan(",
                        ()),
    "tco": ("tco_params = tco_export.run_parameters", {"n_draws": 100, "export_dir": ""}, ("scenario", "low-price"),
            "tot = result.annual.sum(axis=1)", ("tot",)),
}


#: Whose run up to the recording cell takes more than a few seconds (cooling_lag's 12 h load, tco's TCO).
SLOW = {"cooling_lag", "tco"}


@pytest.mark.parametrize("notebook", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n
                                      for n in sorted(CASES)])
def test_a_later_cell_refuses_a_parameter_edited_since_the_results(notebook, monkeypatch):
    marker, params, (name, new), later, binds = CASES[notebook]
    ns, _ = run_cells_until(notebook, marker, monkeypatch, as_render=False, **params)
    _refused(notebook, ns, later, name, new, binds)


def test_rack_power_keeps_the_cap_of_the_edit_out_of_the_window_cell(monkeypatch):
    """The audit's case in full: detail_hours 0.5 and cap_tdp_frac 0.5 typed in, the 1 s window cell run alone:
    refused naming both (before: the 0.5 h window with the 560 W cap of 0.8 x TDP, labelled 80 %)."""
    ns, _ = run_cells_until("rack_power", "run_params = parameter_values", monkeypatch, as_render=False,
                            site="research-triangle-nc")  # the audit's site: an H100 fleet with no cap of its own
    _rerun_parameters("rack_power", ns, detail_hours=0.5, cap_tdp_frac=0.5)
    with pytest.raises(InputError) as e:
        exec(_later_cell("rack_power", "peak_window("), ns)
    assert e.value.field == "cap_tdp_frac, detail_hours"
    assert "cap_tdp_frac = 0.5 now, 0.8 when the set up was computed" in str(e.value)
    # run from the recording cell on, the new cap is the one compared: 0.5 x the H100's 700 W TDP
    exec(_later_cell("rack_power", "run_params = parameter_values"), ns)
    assert ns["cap_w"] == pytest.approx(0.5 * 700.0)  # data/hardware.csv h100-sxm accelerator_tdp_w 700
    exec(_later_cell("rack_power", "power.cap_label("), ns)  # the check passes, the label is of the new share


def test_site_analysis_per_token_cell_takes_a_new_throughput(monkeypatch):
    """tokens_per_s_per_accelerator shapes only the per-token figures, which its cell computes from the parameter
    itself: that cell (and the exports) checks the year's parameters without it; any other parameter refused."""
    ns, _ = run_cells_until("site_analysis", "year_params = {", monkeypatch, as_render=False)
    assert "tokens_per_s_per_accelerator" in ns["site_params"] and "tokens_per_s_per_accelerator" not in \
        ns["year_params"]
    guard = _first_statement(_later_cell("site_analysis", "tps, tps_src = "))
    _rerun_parameters("site_analysis", ns, tokens_per_s_per_accelerator=5000.0)
    exec(guard, ns)  # no refusal
    _rerun_parameters("site_analysis", ns, pv_dc_kw=0.0)
    with pytest.raises(InputError, match=r"pv_dc_kw = 0.0 now, -1.0 when the site year was computed"):
        exec(guard, ns)


@pytest.mark.slow
def test_offpeak_week_cells_refuse_a_week_start_edited_since_the_week(monkeypatch):
    """The week's cells (Gantt, load, bills, savings) read the week computed above: a new week_start and the
    Gantt cell run alone refused (the year's cells check the year's record, tests/test_jupyter_interactive)."""
    ns, _ = run_cells_until("offpeak_scheduling", "week_params = parameter_values", monkeypatch, as_render=False,
                            rolling_weeks=1, n_jobs=20, n_nonpreemptible=2)
    try:
        assert ns["week_params"]["week_start"] == "" and "rolling_weeks" not in ns["week_params"]
        _refused("offpeak_scheduling", ns, "top = res.jobs.sort_values", "week_start", "2025-03-03")
    finally:
        ns["year"].result()  # the background year: let it end within the test


def _one_site_pair(tmp_path):
    """Two bundled sites in a portfolio of their own (the comparison needs two to score)."""
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{DATA / 'sites' / 'phoenix-az.yaml'}, {DATA / 'sites' / 'chicago-il.yaml'}]\n")
    return str(pf)


@pytest.mark.slow
def test_portfolio_comparison_cells_refuse_a_weight_edited_since_the_scores(monkeypatch, tmp_path):
    ns, _ = run_cells_until("portfolio_comparison", "run_params = parameter_values", monkeypatch, as_render=False,
                            portfolio=_one_site_pair(tmp_path))
    _refused("portfolio_comparison", ns, "best_text(", "weight_pue", 2.0, ("best",))


@pytest.mark.slow
def test_portfolio_sweep_cells_refuse_a_margin_edited_since_the_sweep(monkeypatch, tmp_path):
    """margin_frac shapes the sweep's cases; jobs (where it runs) is not recorded: a new one is not refused."""
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{DATA / 'sites' / 'phoenix-az.yaml'}]\n")
    ns, _ = run_cells_until("portfolio_sweep", "run_params = parameter_values", monkeypatch, as_render=False,
                            portfolio=str(pf), pv_dc_kw=0.0, jobs=1)
    assert {"jobs", "scheduler", "export_dir"}.isdisjoint(ns["run_params"])
    _rerun_parameters("portfolio_sweep", ns, jobs=2)
    exec(_first_statement(_later_cell("portfolio_sweep", "as_specified(")), ns)  # no refusal
    _refused("portfolio_sweep", ns, "as_specified(", "margin_frac", 0.2)
