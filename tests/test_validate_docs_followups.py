"""Docs review (fixer M): ``dcplan validate``'s help, the README and data/SOURCES.md say it checks the
data catalogs (and an edited copy of one); docs/glossary.md defines the published keys of rack_power,
tco and site_analysis, and says which electricity cost keys are the bill only and which add the PV."""
from __future__ import annotations

import re
import shutil

import pytest
from conftest import DATA, ROOT

from dcplan import validate as V
from dcplan.cli import build_parser

GLOSSARY = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")


def _rows() -> dict[str, str]:
    """``{name: meaning}`` of every glossary table row (each backticked name of its first cell)."""
    out = {}
    for line in GLOSSARY.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 5 and cells[1] not in ("name", "---"):
            for name in re.findall(r"`([^`]+)`", cells[1]):
                out.setdefault(name, cells[3])
    return out


PUBLISHED = {
    "rack_power": ["peak_to_average", "peak_to_average_headline", "electrical_losses_mwh", "annual_it_energy_mwh",
                   "cap_energy_change_frac", "cap_peak_reduction_frac"],
    "tco": ["npv_valued_month", "power_wait_note", "electricity_usd_per_mwh_facility", "irr_reason", "scenario",
            "n_accelerators", "design_it_kw"],
    "site analysis": ["annual_pue", "typical_year_worst_hour_pue", "temp_air_mean_degc", "temp_air_max_degc",
                      "temp_wet_bulb_p99_degc", "plant", "derate_h", "throttled_frac", "pv_specific_yield_kwh_per_kwp",
                      "pv_capacity_factor_frac", "pv_share_frac", "facility_kwh_per_gpu_h",
                      "electricity_usd_per_gpu_h", "electricity_usd_per_m_tokens", "carbon_kg_per_gpu_h",
                      "facility_kwh_per_m_tokens", "n_accelerators", "tariff", "verdict",
                      "time_to_power_median_months", "time_to_power_p90_months", "grid_mwh", "grid_carbon_t",
                      "grid_carbon_kg_per_mwh", "pv_avoided_carbon_t", "water_m3", "water_free_cooling_frac"],
}


@pytest.mark.parametrize("notebook", list(PUBLISHED))
def test_glossary_defines_each_published_key(notebook):
    rows = _rows()
    missing = [k for k in PUBLISHED[notebook] if k not in rows]
    assert missing == []
    # each row names the notebook that publishes it (the time-to-power row is shared with interconnection)
    assert [k for k in PUBLISHED[notebook] if notebook not in rows[k]] == []


def test_glossary_says_bill_only_or_bill_plus_pv():
    rows = _rows()
    # tco: the typical-year bill per facility MWh (dcplan.tco.run_tco: elec12.sum() / MWh), no PV cost
    assert rows["electricity_usd_per_mwh_facility"].startswith("tco: **bill only**")
    assert rows["usd_per_mwh_facility"].startswith("bill per MWh of facility energy, PV-supplied energy included; "
                                                   "**bill only**")
    # site analysis and sweeps: electricity_cost_usd = bill + pv_annual_cost_usd (dcplan.pipeline.figures)
    for k in ("electricity_usd_per_gpu_h", "electricity_usd_per_m_tokens", "electricity_cost_usd_per_mwh_facility"):
        assert "**bill + PV cost**" in rows[k], k
    # each row of a pair names the other meaning
    assert "electricity_cost_usd_per_mwh_facility" in rows["electricity_usd_per_mwh_facility"]
    assert "electricity_usd_per_mwh_facility" in rows["electricity_cost_usd_per_mwh_facility"]
    assert "electricity_usd_per_mwh_facility" in rows["electricity_usd_per_gpu_h"]
    assert rows["electricity_typical_year_usd"].startswith("not a project year's bill:")


def test_validate_help_readme_and_sources_say_the_catalogs():
    sub = build_parser()._subparsers._group_actions[0].choices["validate"]
    paths = next(a for a in sub._actions if a.dest == "paths")
    assert paths.help == ("files to check (default: the bundled example portfolio, its sites, weather and tariffs); "
                          "a site or portfolio also checks the bundled data catalogs (data/costs.csv, hardware.csv, "
                          "cooling_defaults.csv, interconnection.csv, equipment_lead_times.csv, "
                          "system_load_example.csv), and a catalog CSV given (or an edited copy) is checked as that "
                          "catalog")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ("dcplan validate                     # the bundled portfolio, its sites, weather and tariffs, and the "
            "data catalogs\n") in readme
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    section = sources.split("## Adding or editing a row", 1)[1].split("\n## ", 1)[0]
    assert "`dcplan validate data/costs.csv`" in section and "`dcplan validate my-costs.csv`" in section


def test_validate_checks_an_edited_copy_of_a_catalog(tmp_path):
    # what SOURCES.md now says: a copy under another name is told by its header and checked
    copy = tmp_path / "my-costs.csv"
    shutil.copy(DATA / "costs.csv", copy)
    assert V.validate_file(copy) == []
    lines = copy.read_text(encoding="utf-8").splitlines()
    n = next(i for i, ln in enumerate(lines, 1) if ln.startswith("facility_usd_per_mw,"))
    lines[n - 1] = lines[n - 1].replace("USD/MW", "USD/kW", 1)
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert [p.line() for p in V.validate_file(copy)] == [
        f"{copy}: line {n}, key 'facility_usd_per_mw', unit: 'USD/kW' is not the unit the model reads "
        "facility_usd_per_mw in; allowed: 'USD/MW' (convert the figures to USD/MW, do not relabel them)"]
