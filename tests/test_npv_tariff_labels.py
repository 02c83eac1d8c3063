"""The tariff named beside the TCO's NPV (its utility, rate, price date and, when its URDB ``enddate`` falls before or
within the months the TCO bills, the superseded words the bills' labels say), and the portfolio's best site said to
rank on a superseded rate (site, rate, end date).

The Phoenix copy of :mod:`test_tariff_superseded_labels` (its APS file with an ``enddate`` added): first operating
month 2026-10, ``finance.horizon_years`` 10 and data/costs.csv's ``build_months`` 12, so the TCO bills 2025-10 to
2035-09. The APS file's ``utility`` "Arizona Public Service Co", ``name`` "Modeled on Rate Schedule E-32 TOU L (Large
General Service, Time-of-Use, >= 401 kW)" and ``startdate`` 2024-03-08 (data/tariffs/aps-az-e32-tou-l.json).
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import DATA
from test_tariff_superseded_labels import _site_ending

ROOT = Path(__file__).resolve().parents[1]
APS_RATE = ('Arizona Public Service Co rate "Modeled on Rate Schedule E-32 TOU L (Large General Service, '
            'Time-of-Use, >= 401 kW)"')
#: the APS file's dcplan_price_status "secondary, partly estimated (...)": the bill label's status words
#: (dcplan.input_status.bill_status_phrase), said in the NPV clause too
STATUS = ", resting on partly estimated tariff prices"
HEAD = f"electricity cost: the bill on {APS_RATE} at its prices of 2024-03-08, escalated by " \
       "finance.electricity_escalation_frac" + STATUS
#: the APS file's pending rate case (dcplan_pending_rate_change, change_frac_high 0.45), as the bill label says it
PENDING = ", at prices a pending rate case may raise by up to 45 %"
#: superseded_text's words for an enddate after the startdate (dcplan.tariff_applicability), as the bills say them
GONE = (", on a rate superseded (its enddate {d} is the date the rate stops applying (URDB sets it when a newer rate "
        "replaces it), so its prices are not those the utility charges from that date on)")


def _inputs():
    from dcplan.tco_input_types import TcoInputs
    from dcplan.tco_input_types import calendar_months
    inp = TcoInputs(8, 100.0, 1e5, fleet_start="2026-10-01", horizon_years=10)  # build 12 months by default
    cal = calendar_months(inp)
    assert (str(cal[0]), str(cal[-1])) == ("2025-10", "2035-09")  # the Phoenix site's months (module docstring)
    return inp


def test_rate_title_names_the_utility_and_the_rate():
    from dcplan.pipeline import site_tariff
    from dcplan.site import load_site
    from dcplan.tco_electricity import rate_title
    assert rate_title(site_tariff(load_site(DATA / "sites" / "phoenix-az.yaml"))) == APS_RATE
    # no utility, no name: the tariff as messages name it (dcplan.tco_electricity.tariff_label)
    assert rate_title(SimpleNamespace(name="flat 0.08", metadata={})) == "tariff 'flat 0.08'"
    assert rate_title(SimpleNamespace(name="x", metadata={"utilityname": "U"})) == "U"


@pytest.mark.parametrize("enddate, where", [
    ("2030-06-15", ": the rate ends 2030-06-15, while the fleet operates (2026-10 to 2035-09)"),
    ("2026-01-01", ": the rate ended 2026-01-01, before the fleet's first operating month (2026-10)"),
])
def test_npv_clause_names_the_rate_and_says_an_enddate_within_or_before_the_years(tmp_path, enddate, where):
    from dcplan.tco_site import npv_tariff_clause
    _, tariff = _site_ending(tmp_path, enddate)
    assert npv_tariff_clause(tariff, _inputs()) == HEAD + PENDING + GONE.format(d=enddate) + where


def test_npv_clause_of_a_current_rate_or_one_ending_after_the_horizon_has_no_superseded_words(tmp_path):
    from dcplan.pipeline import site_tariff
    from dcplan.site import load_site
    from dcplan.tco_site import npv_tariff_clause
    _, later = _site_ending(tmp_path, "2036-01-01")  # after 2035-09: every month billed is on the rate
    assert npv_tariff_clause(later, _inputs()) == HEAD + PENDING
    current = site_tariff(load_site(DATA / "sites" / "phoenix-az.yaml"))  # the bundled file: no enddate
    assert npv_tariff_clause(current, _inputs()) == HEAD + PENDING
    assert npv_tariff_clause(None, _inputs()) == ""
    # no price date (a flat tariff): the project start's prices, as the TCO takes them
    flat = SimpleNamespace(name="flat 0.08", metadata={})
    assert npv_tariff_clause(flat, _inputs()) == (
        "electricity cost: the bill on tariff 'flat 0.08' at the project start's prices (the tariff gives no price "
        "date, startdate), escalated by finance.electricity_escalation_frac")


def test_the_export_npv_rows_carry_the_tariff_as_the_report_labels_do(tmp_path):
    """The notebook joins the clause and the stand-in caveat (npv_rests) into the labels and the export alike."""
    import nbformat
    nb = nbformat.read(ROOT / "notebooks" / "tco.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert ('npv_rests = "; ".join(t for t in (npv_tariff_clause(case.billed_on, inputs, case.bill), stand_in) '
            'if t)\n'
            'with_stand_in = (lambda text: f"{text}; {npv_rests}" if npv_rests else text)') in code
    assert "npv_caveat=npv_rests," in code and "npv_caveat=stand_in" not in code
    # the export's Summary: npv_usd's label ends with what it is given
    from dcplan import tco_export
    from dcplan.tco import run_tco
    from dcplan.tco_site import npv_tariff_clause
    _, tariff = _site_ending(tmp_path, "2030-06-15")
    inp = _inputs()
    clause = npv_tariff_clause(tariff, inp)
    frames = tco_export.workbook_frames(run_tco(inp, 1.0e5), npv_caveat=clause)
    lab = frames["Summary"].set_index("key").loc["npv_usd", "label"]
    assert lab.endswith("; " + HEAD + PENDING + GONE.format(d="2030-06-15")
                        + ": the rate ends 2030-06-15, while the fleet operates (2026-10 to 2035-09)")


def test_best_site_on_a_superseded_rate_is_said_with_its_rate_and_date():
    from dcplan.portfolio_robustness import best_superseded_text
    ended = pd.Series({"phx": "2024-12-31", "chi": None})
    names, rates = {"phx": "Phoenix", "chi": "Chicago"}, {"phx": APS_RATE, "chi": "ComEd rate"}
    assert best_superseded_text("phx", ended, names, rates, "2027-06-01") == (
        f"the best site, Phoenix, ranks on the electricity cost of {APS_RATE}, a rate superseded: its enddate "
        "2024-12-31 (URDB) is on or before the common price date the costs are ranked at (2027-06-01), so the cost "
        "it ranks on is at prices the utility had stopped charging by then; rank it again on the rate that "
        "replaced it")
    later = best_superseded_text("phx", pd.Series({"phx": "2030-01-01"}), names, rates, "2027-06-01")
    assert "its enddate 2030-01-01 (URDB) is after the common price date the costs are ranked at (2027-06-01): " \
           "from it on the utility does not charge the prices its cost is at" in later
    # a current best site, no best site, a score that does not weigh the cost: nothing
    assert best_superseded_text("chi", ended, names, rates, "2027-06-01") == ""
    assert best_superseded_text(None, ended, names, rates, "2027-06-01") == ""
    assert best_superseded_text("phx", ended, names, rates, "2027-06-01", weight_cost=0.0) == ""
    # a tie for best: each tied site on a superseded rate, said as tied
    assert best_superseded_text(("phx", "chi"), ended, names, rates, "2027-06-01").startswith(
        "the best site (tied), Phoenix, ranks on")


def test_portfolio_notebooks_add_the_best_sites_superseded_rate():
    import nbformat
    for name, call in (("portfolio_comparison", "robust.best_superseded_text(c.best if c.best is not None else "
                                                "c.best_tie, t[\"bill_enddate\"], names,"),
                       ("portfolio_sweep", "gone = best_superseded_text(best[\"site\"], df.groupby(\"site\")"
                                           "[\"bill_enddate\"].first(), names,")):
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert call in code.replace("\n" + " " * 43, " ").replace("\n" + " " * 36, " "), name
    nb = nbformat.read(ROOT / "notebooks" / "portfolio_comparison.ipynb", as_version=4)
    assert "far apart, a superseded rate, a pending rate change, " in "\n".join(c.source for c in nb.cells)


def test_npv_clause_says_the_rates_size_and_a_pending_rate_case_as_the_bill_label_does():
    """A finance reviewer: Phoenix's TCO NPV labels named the APS rate but not what the site_analysis and portfolio
    headlines say of it: E-32 TOU L serves loads below 3,000 kW (the file's peakkwcapacitymax) and an APS rate case
    is pending (dcplan_pending_rate_change, change_frac_high 0.45). The NPV clause now carries the bill label's
    words (dcplan.site_bill.bill_label), for any tariff with them: the size clause from the bill's notes, so a load
    within the rate's range has none."""
    import numpy as np

    from dcplan.pipeline import site_tariff
    from dcplan.site import load_site
    from dcplan.tco_site import npv_tariff_clause
    tariff = site_tariff(load_site(DATA / "sites" / "phoenix-az.yaml"))
    idx = pd.date_range("2025-01-01", periods=8760, freq="h", tz="America/Phoenix")
    big = tariff.bill(pd.Series(5_562.0, index=idx), stamps="start")    # Phoenix's load, above 3,000 kW
    small = tariff.bill(pd.Series(1_000.0, index=idx), stamps="start")  # within the rate's range
    assert npv_tariff_clause(tariff, _inputs(), big) == HEAD + ", on a rate this load is too large for" + PENDING
    assert npv_tariff_clause(tariff, _inputs(), small) == HEAD + PENDING
    # the same words as the site's bill label (its first clause), from the same bill
    from dcplan.tariff_applicability import size_clause
    from dcplan.tariff_pending import pending_clause
    assert npv_tariff_clause(tariff, _inputs(), big).endswith(size_clause(big.notes) + pending_clause(tariff.metadata))
    # a tariff without either (ComEd's file: no demand range, no rate case pending): the clause as before
    comed = site_tariff(load_site(DATA / "sites" / "chicago-il.yaml"))
    bill = comed.bill(pd.Series(5_562.0, index=idx.tz_convert("America/Chicago")), stamps="start")
    clause = npv_tariff_clause(comed, _inputs(), bill)
    assert "too large" not in clause and "pending" not in clause
    # ComEd's file's prices are estimates (dcplan_price_status "estimate: ..."): said as its bill label says it
    assert clause.endswith("escalation_frac, resting on estimated tariff prices")
    assert np.isfinite(bill.total_usd)
    # the notebook passes the typical year's bill (SiteTco.bill) to it
    import nbformat
    nb = nbformat.read(ROOT / "notebooks" / "tco.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "npv_tariff_clause(case.billed_on, inputs, case.bill)" in code


def test_npv_clause_says_the_tariffs_price_status_as_the_site_bill_label_does():
    """A finance reviewer: site_analysis's bill headline says Phoenix's APS bill rests "on partly estimated tariff
    prices" (its file's dcplan_price_status "secondary, partly estimated (winter rates, seasons, basic charge ...)")
    and Chicago's ComEd bill "on estimated tariff prices" ("estimate: all delivery and supply prices ..."), while the
    TCO's NPV labels, which carry the bill's other clauses, did not say it. The status words follow the escalation
    clause, as in the bill label ("at 2024-03-08 prices, not escalated, resting on partly estimated tariff prices,
    on a rate this load is too large for, ...")."""
    from dcplan.pipeline import site_tariff
    from dcplan.site import load_site
    from dcplan.site_bill import bill_label
    from dcplan.tco_site import npv_tariff_clause
    idx = pd.date_range("2025-01-01", periods=8760, freq="h", tz="America/Phoenix")
    for name, tz, words in (("phoenix-az", "America/Phoenix", "resting on partly estimated tariff prices"),
                            ("chicago-il", "America/Chicago", "resting on estimated tariff prices")):
        site = load_site(DATA / "sites" / f"{name}.yaml")
        tariff = site_tariff(site)
        bill = tariff.bill(pd.Series(5_562.0, index=idx.tz_convert(tz)), stamps="start")
        clause = npv_tariff_clause(tariff, _inputs(), bill)
        assert "escalated by finance.electricity_escalation_frac, " + words in clause, clause
        assert ", " + words in bill_label(site, tariff, bill).split(" (")[0]
    # a file that gives no status (a flat tariff): no words
    flat = SimpleNamespace(name="flat 0.08", metadata={})
    assert "resting on" not in npv_tariff_clause(flat, _inputs())
