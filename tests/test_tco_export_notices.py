"""What the finance export and the tco notebook tell a reader (finance review s18, findings 4-6):
every sheet a reader edits or reads numbers on says its cells are values; a figure that does not exist
is published as "n/a: <why>", never "None yr"; the tornado-source table prints plain numbers."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from dcplan import tco, tco_export
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_export_xlsx import CELLS_NOTE
from dcplan.tco_labels import plain_number


def _no_figures_case():
    """No revenue: no payback and no IRR (every flow is a cost); no facility energy given."""
    c = {k: 0.0 for k in tco.load_costs().index}
    c.update(facility_shell_frac=0.5, facility_electrical_frac_of_critical=0.5, electricity_cost_mult=1.0,
             server_usd_per_accelerator=10_000.0, it_refresh_years=3.0)
    return run_tco(TcoInputs(n_accelerators=10, it_capacity_kw=1000.0, it_energy_kwh=8.76e6, utilization_frac=0.5,
                             horizon_years=3, costs=c), 0.0)


@pytest.mark.parametrize("sheet", ["Assumptions", "Summary", "CashFlow", "Monthly"])
def test_sheets_say_their_cells_are_values_and_editing_one_changes_nothing(tmp_path, sheet):
    path = tco_export.write_workbook(_no_figures_case(), tmp_path / "tco.xlsx")
    comment = openpyxl.load_workbook(path)[sheet]["A1"].comment
    assert comment is not None, sheet
    assert comment.text == CELLS_NOTE
    assert "no formulas" in CELLS_NOTE and "changes no other cell" in CELLS_NOTE and "run dcplan again" in CELLS_NOTE


def test_every_missing_figure_has_a_reason_for_the_report():
    r = _no_figures_case()
    s = r.summary
    missing = [k for k, v in s.items() if v is None]
    # hand: no revenue, so the cumulative cash only falls (no payback) and every flow is <= 0 (no IRR);
    # no facility_energy_kwh given
    assert {"payback_years", "discounted_payback_years", "irr_frac", "tokens_per_j_facility",
            "electricity_usd_per_mwh_facility"} <= set(missing)
    for k in missing:
        why = tco_export.none_reason(r, k)
        assert why and why != "does not exist" and "None" not in why, (k, why)
    assert tco_export.none_reason(r, "payback_years") == "not paid back within the horizon"
    assert tco_export.none_reason(r, "irr_frac") == r.irr_reason and "all negative" in r.irr_reason
    assert "no facility energy given" in tco_export.none_reason(r, "tokens_per_j_facility")


def _tco_code() -> str:
    import nbformat
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "tco.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def test_the_notebook_publishes_every_missing_summary_figure_as_na_with_why():
    """The publish cell's n/a list left out the paybacks, the IRR and the facility figures, which
    then read "None yr" in the HTML report and null without a reason in results.json."""
    src = _tco_code()
    assert "na_keys" not in src
    # (the per-token figures' labels with their throughput caveat: dcplan.tco_revenue.throughput_caveat)
    # (and the electricity figures' labels with a superseded rate's words: dcplan.tariff_applicability)
    assert ('publish({k: figure(k, result.units[k], electricity_label(k, with_tokens(k, summary_label(k, s) or k),\n'
            '                                                         case.billed_on)) for k in s\n'
            '         if k not in ("npv_usd", "usd_per_gpu_hour", "tco_pv_usd", *heads)})') in src
    assert "why = why_none if key in na_output else tco_export.none_reason(result, key)" in src
    # executed on a case without those figures, the notebook's figure() gives "n/a: <why>" and no unit
    ns = {"s": None, "why_none": "no output", "na_output": ("usd_per_gpu_hour",), "tco_export": tco_export}
    start = src.index("def figure(key, unit, text):")
    exec(src[start:src.index("\n\n\n", start)], ns)
    r = _no_figures_case()
    ns.update(s=r.summary, result=r)
    for k in ("payback_years", "discounted_payback_years", "irr_frac", "tokens_per_j_facility",
              "electricity_usd_per_mwh_facility"):
        value, unit, _ = ns["figure"](k, r.units[k], "label")
        assert value == f"n/a: {tco_export.none_reason(r, k)}" and unit is None, k


@pytest.mark.parametrize("v, text", [
    (11_700_000.0, "11,700,000"),      # was 1.17e+07 with f"{v:,.6g}"
    (1e7, "10,000,000"),
    (123_456_789.4, "123,456,789"),
    (4.916, "4.916"),
    (0.08, "0.08"),
    (0.0025, "0.0025"),
    (1.5e-7, "0.00000015"),            # a small fraction stays readable, 6 significant digits
    (2.0 / 3.0, "0.666667"),
    (-2_500.0, "-2,500"),
    (0.0, "0"),
    (np.float64(24.0), "24"),
])
def test_plain_number_has_thousands_separators_and_no_e_notation(v, text):
    assert plain_number(v) == text
    assert "e" not in plain_number(v)


def test_the_tornado_source_table_prints_plain_numbers():
    src = _tco_code()
    assert "src = tornado_sources_table(result, tr, inputs" in src   # dcplan.tco_tornado_table: plain numbers
    assert ",.6g" not in src
    import inspect

    from dcplan import tco_tornado_table
    assert 'src[col] = [plain_number(v) for v in src[col]]' in inspect.getsource(tco_tornado_table)
