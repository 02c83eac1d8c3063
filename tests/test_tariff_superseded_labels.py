"""A superseded rate (URDB ``enddate``) said in every report's labels that name the tariff or its bill, and
against the years the fleet runs, not only the billed weather year; a price date after the fleet starts says
that the TCO deflates the bill to the months before it.

The bundled Phoenix site (copied, its APS file given an ``enddate``): first operating month 2026-10 (its
first fleet phase starts 2026-10-01), ``finance.horizon_years`` 10 and data/costs.csv's ``build_months`` 12,
so the TCO bills 2025-10 (the project start) to 2035-09 (120 months on, less one). Its weather is TMY3
(typical months of 1973-2005, billed as one calendar year well before any of these enddates).
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest

from conftest import DATA, bundled_site_copy

APS = DATA / "tariffs" / "aps-az-e32-tou-l.json"


def _site_ending(tmp_path, enddate: str):
    """The Phoenix site copy on an APS file with ``enddate`` added (nothing else changed), and its Tariff."""
    from dcplan import pipeline
    from dcplan.site import load_site
    doc = json.loads(APS.read_text())
    item = doc["items"][0] if "items" in doc else doc
    assert "enddate" not in item  # the bundled file has none
    item["enddate"] = enddate
    path = tmp_path / f"aps-end-{enddate}.json"
    path.write_text(json.dumps(doc))
    spec = load_site(bundled_site_copy(tmp_path, "phoenix-az", "phx-end", tariff={"file": str(path)}))
    return spec, pipeline.site_tariff(spec)


def test_fleet_months_are_the_tcos_first_operating_and_last_months(tmp_path):
    from dcplan.site_bill import fleet_months
    spec, _ = _site_ending(tmp_path, "2026-01-01")
    first, last = fleet_months(spec)
    # 2026-10-01 is a month's first day: 2026-10; 2026-10 - 12 months + 120 months - 1 = 2035-09
    assert (str(first), str(last)) == ("2026-10", "2035-09")


def test_an_enddate_after_the_weather_year_but_before_the_fleet_is_said_in_the_bill_notes(tmp_path):
    """2026-01-01 is after the billed weather year, so Bill.notes says nothing (the old bill_notes did not say it);
    the fleet's first month is 2026-10: no month it runs is on this rate."""
    from dcplan.site_bill import bill_notes
    spec, tariff = _site_ending(tmp_path, "2026-01-01")
    bill = SimpleNamespace(notes=())  # the bill of the weather year: no enddate note
    notes = bill_notes(bill, tariff, 60.0, spec=spec)
    got = [n for n in notes if n.startswith("enddate")]
    assert len(got) == 1
    assert "the rate ended 2026-01-01, before the fleet's first operating month (2026-10)" in got[0]
    assert "does not know the successor rate" in got[0]


def test_an_enddate_during_the_project_names_the_months_not_on_it(tmp_path):
    from dcplan.site_bill import bill_notes
    spec, tariff = _site_ending(tmp_path, "2030-06-15")
    # a weather-year note of the bill (as Bill.notes words it) is replaced, not repeated
    bill = SimpleNamespace(notes=("enddate '2030-06-15' (2030-06-15): the rate had ended before the billed period",))
    got = [n for n in bill_notes(bill, tariff, 60.0, spec=spec) if n.startswith("enddate")]
    assert len(got) == 1
    # operations 2026-10 to the horizon's 2035-09; 2030-06-15 lies within them
    assert "the rate ends 2030-06-15, while the fleet operates (2026-10 to 2035-09): from 2030-06 on" in got[0]


def test_an_enddate_after_the_horizon_says_every_month_is_on_it():
    from dcplan.tariff_applicability import superseded_years_text
    text = superseded_years_text({"EndDate": "2040-01-01"}, "2026-10", "2035-09")
    assert text == ("the rate ends 2040-01-01 (EndDate, URDB), after the project's last month (2035-09): every "
                    "month of operations is billed on it")
    assert superseded_years_text({}, "2026-10", "2035-09") is None


def test_the_tco_tariff_caveat_compares_the_enddate_with_the_fleets_years():
    """An enddate of 2026-01-01: a weather year of 2023 gives no Bill note, the TCO bills 2026-10 on."""
    from dcplan.tco_input_types import TcoInputs
    from dcplan.tco_site import tariff_caveat
    inp = TcoInputs(8, 100.0, 1e5, fleet_start="2026-10-01")
    text = tariff_caveat(SimpleNamespace(notes=()), SimpleNamespace(metadata={"enddate": "2026-01-01"}), inp)
    assert text.startswith("Tariff applicability: enddate: the rate ended 2026-01-01, before the fleet's first "
                           "operating month (2026-10)")


def test_tco_electricity_labels_say_superseded_and_others_do_not():
    from dcplan.tco_labels import SUMMARY_LABELS
    from dcplan.tco_site import electricity_label
    t = SimpleNamespace(metadata={"enddate": 1735603200})  # 2024-12-31T00:00Z in epoch seconds, URDB's form
    for k in ("electricity_typical_year_usd", "electricity_first_operating_year_usd",
              "electricity_usd_per_mwh_facility"):
        lab = electricity_label(k, SUMMARY_LABELS[k], t)
        assert ", on a rate superseded (its enddate 2024-12-31 is the date the rate stops applying" in lab
        assert electricity_label(k, SUMMARY_LABELS[k], SimpleNamespace(metadata={})) == SUMMARY_LABELS[k]
    assert electricity_label("npv_usd", SUMMARY_LABELS["npv_usd"], t) == SUMMARY_LABELS["npv_usd"]


def test_the_short_label_keeps_the_superseded_clause():
    from dcplan.report_summary import short_label
    from dcplan.schedule_labels import on_superseded_rate
    figs = on_superseded_rate({"rolling_asap_bill_usd": (1.0, "USD", "Run-ASAP bill over 52 weeks (after PV)"),
                               "week_start": ("2025-07-07", None, "First day (local)")},
                              SimpleNamespace(metadata={"enddate": "2024-12-31"}))
    assert short_label(figs["rolling_asap_bill_usd"][2]) == "Run-ASAP bill over 52 weeks, on a rate superseded"
    assert figs["week_start"][2] == "First day (local)"  # no bill, no saving: unchanged


def test_portfolio_labels_and_warning_name_the_superseded_site():
    from dcplan.portfolio_report import key_figures_table
    from dcplan.portfolio_robustness import superseded_warning
    t = pd.DataFrame({"bill_usd": [1.0e6, 2.0e6], "tariff_price_date": ["2024-03-08", "2027-06-01"],
                      "bill_enddate": ["2024-12-31", None], "throughput_key": ["x", "x"]}, index=["phx", "chi"])
    names = {"phx": "Phoenix", "chi": "Chicago"}
    labels = {r["key"]: r["label"] for r in key_figures_table(t, names, "electricity", lambda *a: "n/a").records}
    for k in ("bill_usd", "tariff_price_date"):
        assert labels[f"phx.{k}"].endswith("; on a rate superseded (its enddate 2024-12-31 is the date the rate "
                                           "stops applying (URDB sets it when a newer rate replaces it), so its "
                                           "prices are not those the utility charges from that date on)")
        assert "superseded" not in labels[f"chi.{k}"]
    w = superseded_warning(t["bill_enddate"], names, ["phx", "chi"])
    assert w.startswith("Phoenix is on a rate superseded (its enddate 2024-12-31") and "Chicago" not in w


def test_sweep_price_note_names_a_superseded_site_even_with_dates_close():
    from dcplan.portfolio_sweep_notes import price_date_note
    cases = pd.DataFrame({"site": ["a", "b"], "status": ["ok", "ok"], "cost_usd_per_it_mwh": [50.0, 60.0],
                          "bill_price_date": ["2026-01-01", "2026-01-01"], "bill_enddate": [None, "2025-12-31"]})
    note = price_date_note(cases, {"a": "A", "b": "B"})
    assert note.startswith("B is on a rate superseded (its enddate 2025-12-31")
    assert price_date_note(cases.drop(columns="bill_enddate"), {"a": "A", "b": "B"}) == ""


def test_a_price_date_after_the_fleet_starts_says_the_tco_deflates_before_it():
    """ComEd's 2027-06-01 after Chicago's first month 2026-04: the TCO's price_years gives the fleet's start
    floor((2026-04 - 2027-06) / 12) = floor(-14 / 12) = -2 steps, 1.03 ** -2 = 0.943 of the tariff's prices."""
    from dcplan import pipeline
    from dcplan.site import load_site
    from dcplan.site_bill import price_date_texts
    from dcplan.tco_electricity import price_escalation
    spec = load_site(DATA / "sites" / "chicago-il.yaml")
    _, detail, _ = price_date_texts(spec, pipeline.site_tariff(spec))
    assert "deflates it at the same rate, a step each 12 months, to the months before that date" in detail
    steps, factor = price_escalation("2027-06-01", "2026-04-01", 0.03)
    assert steps == -2 and factor == pytest.approx(1.03 ** -2, rel=1e-12)
    # a price date before the fleet (Phoenix's APS 2024-03-08 before 2026-10) says no deflation
    phx = load_site(DATA / "sites" / "phoenix-az.yaml")
    assert "deflates" not in price_date_texts(phx, pipeline.site_tariff(phx))[1]
