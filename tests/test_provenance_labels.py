"""Provenance labels of bundled figures (a data audit, 2026): vintages, statuses and the figures
behind range ends. Each test names the source it checks against."""
from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from dcplan import grid, tco
from dcplan.paths import data_path
from dcplan.report_fingerprint import KEY_LIBRARIES, data_vintage
from dcplan.site import load_portfolio

WEEKS_PER_MONTH = 365.25 / 12 / 7  # 4.348


@pytest.fixture(scope="module")
def pf():
    return load_portfolio()


# ---------------------------------------------------------------------------------- weather

def test_site_weather_source_states_the_files_own_vintage(pf):
    """The EPW headers say "NREL TMY Data Set (2008); Period of Record 1973-2005"; a site said
    "NREL TMY3 (1991-2005)", which the months' own years (1976-2004) contradict."""
    for sid in pf.ids:
        site = pf[sid]
        src = site.weather.source
        assert "1991" not in src, (sid, src)
        f = data_path(site.weather.file)  # the bundled sites name it relative to data/
        if f.suffix.lower() == ".epw":
            header = f.read_text(encoding="latin-1").splitlines()[5]
            assert "NREL TMY Data Set (2008); Period of Record 1973-2005" in header, header
            assert "2008" in src and "1973-2005" in src, (sid, src)
        else:  # a TMY3 CSV: the source years of its months, from its own dates
            years = {int(r[0].split("/")[2]) for r in list(csv.reader(open(f, newline="")))[2:]}
            assert f"{min(years)}-{max(years)}" in src, (sid, src, min(years), max(years))


# ---------------------------------------------------------------------------------- results.json

def test_provenance_records_the_xlsx_writer():
    # the TCO exports are written by openpyxl (dcplan.tco_export): its version is in results.json
    assert "openpyxl" in KEY_LIBRARIES


def test_cooling_defaults_have_a_vintage_and_its_span_is_reported():
    rows = list(csv.DictReader(open(data_path("cooling_defaults.csv"), newline="")))
    assert all(None not in r for r in rows)  # no row with an unquoted comma spilling into extra columns
    assert all(r["vintage"].strip() for r in rows), [r["key"] for r in rows if not r["vintage"].strip()]
    years = sorted(int(y) for r in rows for y in re.findall(r"\b(?:19|20)\d\d\b", r["vintage"]))
    # 2009: ASHRAE Climate Design Data in the EPW headers; 2026: dcplan's estimates (compiled 2026)
    assert (years[0], years[-1]) == (2009, 2026)
    assert data_vintage(data_path("cooling_defaults.csv")) == "2009-2026"


def test_recalled_cooling_figures_are_unverified():
    """docs/reference-data.md's legend: a figure without a confirmed source is unverified. The ASHRAE 90.1
    rows say of their value "recalled; verify"."""
    rows = {r["key"]: r for r in csv.DictReader(open(data_path("cooling_defaults.csv"), newline=""))}
    for k in ("chiller_cop_rated_water", "chiller_cop_rated_air", "tower_fan_kw_per_kw"):
        assert "recalled" in rows[k]["source"] and rows[k]["status"] == "unverified", k
        # ASHRAE 90.1-2016; the water-cooled chiller's 0.576 kW/ton is the 2010 edition's (Table 6.8.1C), which
        # its row now cites (a sources audit: it was cited to 2016, whose figure is 0.560 kW/ton)
        assert rows[k]["vintage"] == ("2010" if k == "chiller_cop_rated_water" else "2016"), k
    assert "90.1-2010 Table 6.8.1C" in rows["chiller_cop_rated_water"]["source"]
    assert rows["chiller_cop_rated_water"]["value"] == "6.1"  # 3.517 / 0.576 = 6.106 kW/kW
    for k in ("chiller_design_db_degc", "chiller_design_wb_degc"):
        assert "Climate Design Data 2009" in rows[k]["source"] and rows[k]["vintage"] == "2009", k


# ---------------------------------------------------------------------------------- lead times and build

def test_transformer_lead_time_range_is_the_cited_figures():
    """Cited: ~2.5 yr in 2024 (Wood Mackenzie via Robeco), ~150 wk average (Wood Mackenzie), up to
    4 yr (PwC via pv magazine USA): 2.5 x 52 = 130, 150, 4 x 52 = 208 weeks. The low end was 120."""
    e = grid.equipment_lead_times().loc["power_transformer"]
    assert (e.low_weeks, e.median_weeks, e.high_weeks) == (2.5 * 52, 150, 4 * 52)


def test_build_months_is_an_estimate_within_the_lead_times_it_cites():
    """A build cannot end before the switchgear ordered at its start arrives: 46 weeks = 10.6
    months (C&W 2025), rounded up 11; generators up to 110 weeks = 25.3 months, rounded up 26."""
    c = tco.load_costs()
    b = c.loc["build_months"]
    assert b["status"] == "estimate" and b["source"].startswith("estimate")
    sw = grid.equipment_lead_times().loc["switchgear", "low_weeks"] / WEEKS_PER_MONTH
    gen_max = 110 / WEEKS_PER_MONTH
    assert sw == pytest.approx(10.58, abs=0.01) and gen_max == pytest.approx(25.30, abs=0.01)
    assert (b["low"], b["high"]) == (11.0, 26.0)
    assert b["low"] >= sw
    d = c.loc["delay_months"]
    assert d["status"] == "estimate" and d["vintage"] != "-" and "site input" not in d["source"]


def test_price_per_gpu_hour_vintage_is_the_rates_year():
    # AWS Capacity Blocks rate "valid to 1 Jan 2025" (docs/reference-data.md s.7): a 2024 rate, not 2025-01
    v = tco.load_costs().at["revenue_usd_per_gpu_h", "vintage"]
    assert v.startswith("2024") and "valid to 2025-01-01" in v


def test_discount_rate_quotes_the_cap_rates_as_published():
    # JLL via apers.app, Q1 2026: hyperscale 5.5-6.5 %, colocation 6-7 %, powered shell 7-8 %
    d = tco.load_costs().at["discount_rate_frac", "description"]
    assert "5.5-7 %" not in d
    assert all(s in d for s in ("5.5-6.5 %", "6-7 %", "7-8 %"))


def test_generator_queue_percentiles_are_the_cited_spread_and_an_estimate():
    """Enverus per-ISO average development time ISO-NE 3.8 yr to CAISO 9.2 yr: 45.6 -> 46 and
    110.4 -> 110 months, mapped to p10 / p90 by dcplan (averages, not percentiles): estimate."""
    r = grid.lead_times().loc["us-gen-queue-lbnl"]
    assert (r.median_months, r.p10_months, r.p90_months) == (60, round(3.8 * 12), round(9.2 * 12))
    assert r.status == "estimate" and "mapping" in r.basis
    assert "mapping" in grid.lead_times().loc["va-dominion", "basis"]


def test_b200_idle_note_does_not_call_load_power_tdp():
    # serialalice.pt (docs/reference-data.md s.1): H200 80.3 W idle vs 592.8 W at load; TDP 700 W
    note = pd.read_csv(data_path("hardware.csv"), comment="#").set_index("key").at["b200", "notes"]
    assert "idle/TDP ratio (80/593" not in note
    assert "80.3 / 700 = 11.5 %" in note and "80.3 / 592.8 W = 13.5 %" in note
    assert f"{80.3 / 700:.3f}" == "0.115" and f"{80.3 / 592.8:.3f}" == "0.135"


def test_duke_tariff_startdate_is_said_to_be_assumed():
    import json
    doc = json.loads(data_path("tariffs", "duke-nc-opt-tou.json").read_text())
    item = doc["items"][0] if "items" in doc else doc
    assert item["startdate"] == "2026-01-01" and "assumed" in item["description"]
    assert "2026-01-01,\n  **assumed**" in data_path("SOURCES.md").read_text()
