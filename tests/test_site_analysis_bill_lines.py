"""The site analysis's bill: its lines add up to it (a minimum-charge top-up had no line), the headline
says where a user's own tariff's prices come from, the bill's notes and a demand window shorter than
the load's hours are said, the monthly chart says which layers it is too coarse to show, and a peer
site's warning is said as the peer's (tester findings T2, T6, T7, T11, A1, P3)."""
from __future__ import annotations

import json
import warnings

import matplotlib
import pandas as pd
import pytest

from conftest import DATA, bundled_site_copy, check_subhourly_evidence
from dcplan.errors import DcplanWarning

matplotlib.use("Agg")

#: a minimum charge above every month's charges of the Research Triangle site (its Duke OPT-V bill
#: is about 0.3 MUSD a month): the bill is then 12 x the minimum, whatever the charges
MIN_USD_PER_MONTH = 1_000_000.0
SOURCE = "Tester Power rate sheet TP-7 (2025), copied by hand"


def _own_tariff(tmp_path, **extra):
    d = json.loads((DATA / "tariffs" / "duke-nc-opt-tou.json").read_text())
    d.pop("dcplan_startdate_note", None)
    d.update(source=SOURCE, **extra)
    p = tmp_path / "own.json"
    p.write_text(json.dumps(d))
    return p


def _bill_cell(monkeypatch, tmp_path, capsys, **extra):
    from conftest import run_cells_until
    import dcplan.results
    got = {}

    def publish(values, *a, **k):
        if isinstance(values, dict):
            got.update(values)
    monkeypatch.setattr(dcplan.results, "publish", publish)
    ns, shown = run_cells_until("site_analysis", '"bill_usd"', monkeypatch, site="research-triangle-nc",
                                tariff_file=str(_own_tariff(tmp_path, **extra)))
    return ns, shown, got, capsys.readouterr().out


def test_minimum_charge_top_up_is_a_line_and_the_lines_add_up(monkeypatch, tmp_path, capsys):
    ns, shown, got, out = _bill_cell(monkeypatch, tmp_path, capsys, mincharge=MIN_USD_PER_MONTH,
                                     minchargeunits="$/month")
    total = got["bill_usd"][0]
    assert total == pytest.approx(12 * MIN_USD_PER_MONTH, rel=1e-12)  # every month topped up to the minimum
    lines = {k: got[k][0] for k in ("energy_usd", "demand_usd", "fixed_usd", "minimum_usd")}
    assert sum(lines.values()) == pytest.approx(total, rel=1e-12)
    assert lines["minimum_usd"] == pytest.approx(12 * MIN_USD_PER_MONTH - lines["energy_usd"] - lines["demand_usd"]
                                                 - lines["fixed_usd"], rel=1e-12)
    assert lines["minimum_usd"] > 0 and got["minimum_usd"][2].startswith("Minimum-bill top-up")
    # a user's own tariff: its own source, not data/SOURCES.md
    # with its price date (the file's startdate 2026-01-01, no "assumed" note: popped above; 181 days = 0.5 years
    # before the fleet's first operating month 2026-07); was "Annual electricity bill (Modeled on ... {SOURCE})"
    # the copied Duke file keeps its dcplan_price_status "estimate: ..." (input-status review, 2026; was "...
    # not escalated (Modeled on ...")
    assert got["bill_usd"][2] == ("Annual electricity bill at 2026-01-01 prices, not escalated, resting on estimated "
                                  "tariff prices (Modeled on Schedule "
                                  "OPT-V (Optional Power Service, Time of Use, "
                                  "Large General Service) - rates estimated; its prices as the tariff's own source "
                                  f"gives them: {SOURCE}; 2026-01-01 is the tariff's startdate, the date its prices "
                                  "are in force from, 0.5 years before the fleet's first operating month (2026-07); "
                                  "sites whose tariffs are of different dates show bills of different years: the tco "
                                  "notebook escalates this bill by finance.electricity_escalation_frac from that date "
                                  "to each year it pays)")
    # the chart: the top-up is a layer, the legend beside the bars (not over them)
    import matplotlib.pyplot as plt
    ax = next(a for f in shown for a in f.axes if "monthly bill by charge type" in a.get_title())
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "minimum-bill top-up"
    fig = ax.figure
    fig.canvas.draw()
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1
    plt.close("all")


def test_bill_notes_and_the_demand_window_are_said(monkeypatch, tmp_path, capsys):
    ns, shown, got, out = _bill_cell(monkeypatch, tmp_path, capsys, demandwindow=30,
                                     demandratchetpercentage=[0.5] * 12)
    notes = got["bill_notes"][0]
    # Bill.notes: the ratchet billed as a repeating year (dcplan.tariff_ratchet.ratchet_note)
    assert "(1) demand ratchet (the all-hours demand charge): billed as a steady-state year that repeats" in notes
    assert ("(2) demand window: the tariff bills demand on 30-min means (demandwindow), the site's load is 1-h "
            "means, so the demand charges here are billed on the 1-h peaks, which understate the 30-min peaks") in notes
    # said once, in bill_notes' numbered list: no longer printed again as "Note: demand window: ..." under the
    # table (a climate tester read the caveat twice in a row; was: assert "Note: demand window: ..." in out)
    assert "Note: demand window:" not in out
    ev = ns["evidence"]
    check_subhourly_evidence(ns["spec"], ns["y"], ev, 30)
    # the Duke site's fleet is steady within those hours (as the 1-s run above shows): said so
    assert ev["max_excess_kw"] < 0.5
    assert ("the fleet's IT at 1 s is steady within each month's peak hour of grid draw: no 30-min mean above the "
            "hour's by 0.5 kW or more") in notes


def test_chicago_demand_window_evidence():
    """ComEd's bundled tariff bills 30-min demand (demandwindow 30) on the site's hourly load: the
    fleet's 1-s IT in each month's peak hour has a 30-min block above the hour's mean, said in kW and %."""
    from dcplan import pipeline, site_bill
    from dcplan.site import load_portfolio
    spec = load_portfolio()["chicago-il"]
    y = pipeline.run_site_year(spec)
    tariff = pipeline.site_tariff(spec)
    ev = site_bill.subhourly_demand_excess(spec, y, tariff.demand_window_min, method=tariff.demand_window_method)
    assert tariff.demand_window_min == 30 and ev["max_excess_kw"] > 0.5
    check_subhourly_evidence(spec, y, ev, 30)
    note = site_bill.demand_window_note(tariff, 60.0, ev)
    assert note.endswith(f"(the fleet's IT alone at 1 s shows 30-min means up to {ev['max_excess_kw']:,.0f} kW "
                         f"({100 * ev['max_excess_frac']:.2g} %) above the hour's mean in each month's peak hour of "
                         f"grid draw, the most in {ev['month']}: the demand billed that month would be at least that "
                         "much higher; IT only: cooling and losses add to it)")
    # a bundled site's notes: a note, not a DcplanWarning (pytest turns those into errors); with the bill, the
    # money: the kW x ComEd's all-hours demand rate in that month (18.042 $/kW-month, the tariff file)
    usd = ev["max_excess_kw"] * 18.042
    assert site_bill.bill_notes(y.bill, tariff, 60.0, ev)[-1] == note.replace(
        "; IT only:", f", {usd:,.0f} USD more that month at the demand rates billed in its peak hour (18.04 "
                      "USD/kW); IT only:")


def test_a_layer_thinner_than_two_pixels_is_named():
    """A 400-px-high axes spanning 0-1,000 draws 0.4 px per unit: a layer of at most 4 is 1.6 px
    (thin), one of 6 is 2.4 px (drawn)."""
    import matplotlib.pyplot as plt
    from dcplan.plotting import thin_layers
    fig = plt.figure(figsize=(4, 4), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_ylim(0, 1000)
    frame = pd.DataFrame({"big": [900.0, 800.0], "thin": [4.0, 3.0], "drawn": [6.0, 1.0], "none": [0.0, 0.0]})
    assert thin_layers(frame, ax) == ["thin"]
    plt.close(fig)


def test_the_site_bill_names_a_fixed_charge_too_thin_to_see(monkeypatch, capsys):
    """Research Triangle's Duke customer charge, 350 USD a month (its URDB JSON), beside a bill of
    about 0.3 MUSD a month: under 2 px on the chart, said in figures."""
    from conftest import run_cells_until
    import matplotlib.pyplot as plt
    ns, _ = run_cells_until("site_analysis", "monthly bill by charge type", monkeypatch, site="research-triangle-nc")
    out = capsys.readouterr().out
    assert ("Note: the fixed charges (350 USD in the highest month, 4,200 USD in the year) are under 2 pixels high "
            "on this chart's scale") in out
    plt.close("all")


@pytest.mark.slow
def test_a_peers_warning_names_the_peer(tmp_path):
    """A site of weather year 2025 ranked beside a copy of itself in 2024: the 2024 weather's leap-day
    warning is the peer's, said naming it, and none of this site's own."""
    from dcplan import pipeline
    from dcplan.site import load_portfolio
    from dcplan.site_verdict import site_verdict
    mine = bundled_site_copy(tmp_path, "research-triangle-nc", "mine")
    leap = bundled_site_copy(tmp_path, "research-triangle-nc", "leap", weather={"year": 2024})
    (tmp_path / "pf.yaml").write_text(f"name: t\nsites: [{mine}, {leap}]\n")
    pf = load_portfolio(tmp_path / "pf.yaml")
    pipeline.clear_caches()  # the 2024 weather loads (and warns) afresh
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DcplanWarning)
        spec = pf["mine"]
        site_verdict(spec, pipeline.run_site_year(spec), pf)
    said = [str(w.message) for w in caught if issubclass(w.category, DcplanWarning)]
    assert said == [f"peer site {pf['leap'].name} (leap), ranked beside this site: 723170TYA.CSV: 2024 is a leap "
                    "year; 29 Feb filled with a copy of 28 Feb"], said


def test_site_figures_carry_the_minimum_charge_top_up(tmp_path):
    """pipeline.figures (a sweep's row, the portfolio table) had energy, demand and fixed charges
    but no minimum-charge top-up, so its lines did not add up to bill_usd; with a minimum above every
    month's charges the bill is 12 x the minimum and the top-up is the rest."""
    from conftest import bundled_site_copy
    from dcplan import pipeline
    from dcplan.site import load_site
    src = _own_tariff(tmp_path, mincharge=MIN_USD_PER_MONTH, minchargeunits="$/month")
    site = load_site(bundled_site_copy(tmp_path, "research-triangle-nc", "rtp-min", tariff={"file": str(src)}))
    f = pipeline.figures(pipeline.run_site_year(site))
    assert f["bill_usd"] == pytest.approx(12 * MIN_USD_PER_MONTH, rel=1e-12)
    assert f["minimum_usd"] == pytest.approx(12 * MIN_USD_PER_MONTH - f["energy_usd"] - f["demand_usd"] - f["fixed_usd"],
                                             rel=1e-12)
    assert f["minimum_usd"] > 0.5 * f["bill_usd"]


def test_site_bill_notes_name_the_site_key_for_system_peaks():
    """Bill.notes name the Python argument (coincident_peaks); a site report names the site file's
    key, tariff.coincident_peaks, which is what its reader can edit."""
    from types import SimpleNamespace

    from dcplan.site_bill import bill_notes
    from dcplan.tariff_coincident import unstamped_months_note
    note = unstamped_months_note(list(range(1, 13)), [7, 8])
    got = bill_notes(SimpleNamespace(notes=[note]), SimpleNamespace(demand_window_min=None))
    assert len(got) == 1 and "system-peak stamps (tariff.coincident_peaks) in months 7" in got[0], got
