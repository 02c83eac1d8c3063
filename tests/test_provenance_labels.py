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


def test_ashrae_cooling_figures_are_the_transcribed_table_values():
    """ASHRAE 90.1 chiller and tower rows as NREL openstudio-standards transcribes the tables, read 2026-12:
    90.1-2016 (ashrae_90_1_2016.chillers.json, .heat_rejection.json; 90.1-2019's the same) air-cooled with
    condenser >= 150 tons 1.188 kW/ton, open tower with a propeller fan 40.2 gpm/hp; water-cooled Table 6.8.1-3
    path A centrifugal >= 400 tons 0.560 kW/ton, the bundled air plants' class: they carry 5,616-5,786 kW of
    design IT, 5,616 / 3.517 = 1,597 tons to 5,786 x 1.1 / 3.517 = 1,810 tons. The same transcription asks
    0.610 kW/ton below 150 tons (the site chain warns there). The row says what it was until 2026-12: 90.1-2010's
    Table 6.8.1C >= 300 and < 600 tons, 0.576 kW/ton, COP 6.1. COP = 3.517 / (kW/ton) (AHRI conversion,
    docs/reference-data.md 3c). Until 2026-12 the three rows were "recalled" and unverified."""
    rows = {r["key"]: r for r in csv.DictReader(open(data_path("cooling_defaults.csv"), newline=""))}
    for k in ("chiller_cop_rated_water", "chiller_cop_rated_air", "tower_fan_kw_per_kw"):
        assert "openstudio-standards" in rows[k]["source"] and "recalled" not in rows[k]["source"], k
        assert rows[k]["status"] == "secondary", k
        assert rows[k]["vintage"] == "2016", k
    water = rows["chiller_cop_rated_water"]["source"]
    assert water.startswith("ASHRAE 90.1-2016 Table 6.8.1-3 path A water-cooled centrifugal >= 400 tons: 0.560 kW/ton "
                            "full load (90.1-2019 the same)")
    assert "0.610 (COP 5.77) below 150 tons" in water and "The bundled air plants are 1,600-1,810 tons" in water
    assert "until 2026-12 the row was 6.1 (90.1-2010 Table 6.8.1C, >= 300 and < 600 tons, 0.576 kW/ton)" in water
    assert 400 < 5_616 / 3.517 and 5_786 * 1.1 / 3.517 < 1_811   # the plants sit in the >= 400 tons class
    # 3.517 / 0.560 = 6.2804, 3.517 / 0.610 = 5.7656, 3.517 / 0.576 = 6.1059: the CSV's and the texts' roundings
    assert (round(3.517 / 0.560, 2), round(3.517 / 0.610, 2), round(3.517 / 0.576, 1)) == (6.28, 5.77, 6.1)
    # the CSV rounds: 3.517 / 0.560 = 6.2804, 3.517 / 1.188 = 2.9604
    assert float(rows["chiller_cop_rated_water"]["value"]) == pytest.approx(3.517 / 0.560, abs=1e-2)
    assert float(rows["chiller_cop_rated_air"]["value"]) == pytest.approx(3.517 / 1.188, abs=5e-3)
    # 40.2 gpm x 10 degF x 500 Btu/h per gpm-degF = 201,000 Btu/h = 58.91 kW rejected per hp (0.7457 kW)
    assert float(rows["tower_fan_kw_per_kw"]["value"]) == pytest.approx(0.7457 / (40.2 * 10 * 500 / 3412.14), abs=5e-5)
    for k in ("chiller_design_db_degc", "chiller_design_wb_degc"):
        assert "Climate Design Data 2009" in rows[k]["source"] and rows[k]["vintage"] == "2009", k


def test_chiller_cop_cap_names_its_nearest_data_and_the_range_to_test():
    """chiller_cop_max stays an estimate (no source gives a COP at a 19 degC supply); its row names the
    nearest data, EnergyPlus datasets/Chillers.idf's highest centrifugal reference COP 11.77 (Trane CVHF
    2567 kW VSD), and the range 9-18: hand-evaluated from that dataset's curves (data/SOURCES.md), the VSD
    chiller's best part-load COP inside its curves' range is 17.8 and an inlet-vane chiller's best 9.6. Until
    2026-12 its source read only "typical part-load ceiling"."""
    row = {r["key"]: r for r in csv.DictReader(open(data_path("cooling_defaults.csv"), newline=""))}["chiller_cop_max"]
    assert row["status"] == "estimate" and float(row["value"]) == 12.0
    assert "Chillers.idf" in row["source"] and "11.77" in row["source"] and "test 9-18" in row["source"]
    # the Trane CVHF 2567 kW VSD record (EnergyPlus Chiller:Electric:EIR; coefficients as the dataset's):
    # COP = COP_ref x PLR / (EIRFT(Tchw, Tcw) x EIRFPLR(PLR)); at its best, Tchw 8.89, Tcw 12.78, PLR 0.4665
    eirft = (4.561990e-01, -3.333063e-02, -1.763576e-03, 5.624520e-02, -8.535085e-05, 3.567604e-04)
    c = (1.039419e-01, 4.184975e-01, 4.774210e-01)
    t, w = 8.89, 12.78
    f_t = eirft[0] + eirft[1] * t + eirft[2] * t * t + eirft[3] * w + eirft[4] * w * w + eirft[5] * t * w
    p = (c[0] / c[2]) ** 0.5    # PLR / EIRFPLR(PLR) is largest where PLR^2 = c0 / c2
    assert 11.77 / f_t == pytest.approx(15.37, abs=0.01)   # full load
    assert 11.77 * p / (f_t * (c[0] + c[1] * p + c[2] * p * p)) == pytest.approx(17.79, abs=0.01)


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
