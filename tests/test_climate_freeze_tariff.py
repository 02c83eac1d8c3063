"""A cooling tower in a freezing climate, a tariff of another utility, PV under snow, and a portfolio
"best site" among one scored site (a climate tester's Miami / Sand Point, AK findings).

Every expected hour count is recounted here from pvlib's own read of the weather file."""
from __future__ import annotations

import json
import os

import pandas as pd
import pytest
import yaml

from conftest import DATA, ROOT, bundled_site_copy

from dcplan.site import load_portfolio, load_site
from dcplan.site_climate_checks import FREEZE_HOURS_SHARE, snow_clause, tower_freeze_warnings
from dcplan.site_tariff_utility import same_utility, tariff_utility, tariff_utility_warnings
from dcplan.weather import freeze_note

pvlib = pytest.importorskip("pvlib")
SAND_POINT = os.path.join(os.path.dirname(pvlib.__file__), "data", "703165TY.csv")


def _sand_point(tmp_path, cooling=None, utility="Alaska Electric (SYNTHETIC)"):
    d = {"name": "Sand Point, AK", "latitude": 55.317, "longitude": -160.517, "timezone": "America/Anchorage",
         "elevation_m": 7,
         "weather": {"file": SAND_POINT, "format": "tmy3", "year": 2025, "source": "NREL TMY3 703165, pvlib"},
         "fleet": {"phases": [{"hardware": "gb200-nvl72", "count": 60, "start": "2029-10-01", "label": "Hall 1"}],
                   "workload": "training", "utilisation_frac": 0.8},
         "tariff": {"file": str(DATA / "tariffs" / "aps-az-e32-tou-l.json")},
         "interconnection": {"utility": utility, "iso": "none", "requested_mw": 12, "filed": "2029-01-15",
                             "time_to_power": {"p10_months": 18, "median_months": 30, "p90_months": 48,
                                               "source": "test"}},
         "solar": {"dc_kw": 2000, "tilt_deg": 40},
         "finance": {"discount_rate_frac": 0.08, "horizon_years": 10}}
    if cooling is not None:
        d["cooling"] = cooling
    p = tmp_path / "sand-point-ak.yaml"
    p.write_text(yaml.safe_dump(d, sort_keys=False))
    return load_site(p)


def _raw():
    raw, _ = pvlib.iotools.read_tmy3(SAND_POINT, map_variables=True)
    return raw


# ---------------------------------------------------------------------------- 1. the tower in a freezing climate

def test_sand_points_default_tower_is_warned_with_its_hours_and_the_dry_cooler(tmp_path):
    """Default plant (no cooling: section, a GB200 fleet): a W32 liquid loop on a tower. The file's own
    counts (test_climate_envelope recounts the wet bulb with PsychroLib, the dew point over water): 2,375 h wet
    bulb < 0 °C (2,390 while a sub-zero dew point was read as a frost point, before ca51aaf: over water, the
    file's convention, 15 of those hours' wet bulbs are at or above 0 °C), 1,640 h dry bulb < 0 °C, both far
    above 0.4 % of 8,760 h = 35 h. A dry cooler holds the 30 °C supply (W32's 32 °C less
    data/cooling_defaults.csv's liquid_supply_margin_k 2 K) at full design heat whenever the dry bulb is at
    most 30 - 8 = 22 °C (drycooler_approach_k 8 K; no plate heat exchanger on a dry loop); the file's hottest
    hour is below 21 °C (pvlib's read), so in all 8,760 h."""
    raw = _raw()
    assert raw["temp_air"].max() < 21.0          # the file's hottest hour (pvlib's read)
    assert (raw["temp_air"] < 0).sum() == 1640
    site = _sand_point(tmp_path)
    w = tower_freeze_warnings(site)
    assert len(w) == 1
    text = w[0]
    assert text.startswith(f"{site.source_file}: cooling.heat_rejection: ")
    assert "2,375 h of wet bulb below 0 °C and 1,640 h of dry bulb below 0 °C" in text
    assert "basin heaters" in text and "not modelled" in text
    assert "holds its 30 °C supply with no compressor in 8,760 of the 8,760 h" in text
    assert "the default: the file has no cooling: section" in text
    assert "heat_rejection: dry, air_heat_rejection: dry" in text


def test_the_same_site_on_dry_coolers_is_not_warned(tmp_path):
    site = _sand_point(tmp_path, cooling={"type": "liquid", "heat_rejection": "dry", "air_heat_rejection": "dry"})
    assert tower_freeze_warnings(site) == []


def test_threshold_is_ashraes_0_4_percent():
    # 0.4 % of 8,760 h (ASHRAE's 99.6 % heating design condition leaves out the coldest 0.4 %)
    assert FREEZE_HOURS_SHARE * 8760 == pytest.approx(35.04)


@pytest.mark.parametrize("sid", ["research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"])
def test_bundled_sites_are_not_warned(sid):
    """Chicago's air plant has 2,488 h of wet bulb below 0 °C, but its tower serves a chiller whose 19 °C-ish
    chilled water no dry cooler makes in summer (its TMY3 has 1,000+ h above 19 °C dry bulb), so the tower is
    the climate's choice: no warning (the labels say freeze protection is not modelled). Phoenix: 20 h, under 35."""
    site = load_portfolio("default")[sid]
    assert tower_freeze_warnings(site) == []
    assert tariff_utility_warnings(site) == []


# ---------------------------------------------------------------------------- site_climate's two statements

def test_freeze_note_says_the_minus_10_clamp():
    h = {"drybulb_below_0_h": 1640.0, "wetbulb_below_0_h": 2390.0}
    note = freeze_note(h, ["tower"], wetbulb_below_m10_h=56.0)
    assert "56 h below about -10 °C wet bulb" in note and "as in any other hour" in note
    assert freeze_note(h, ["tower"]) == freeze_note(h, ["tower"], wetbulb_below_m10_h=0.0)


def test_site_climate_intro_and_freezing_section_agree():
    """The intro said freezing hours were 'wet bulb below about -10 °C' while the note counts every hour
    below 0 °C: both now say below 0 °C the tower runs unprotected, and below about -10 °C at that approach."""
    nb = json.loads((ROOT / "notebooks" / "site_climate.ipynb").read_text())
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Freezing hours (wet bulb below about -10 °C" not in text
    assert "below 0 °C wet bulb it runs the tower as in any other hour" in text
    assert "below -10 °C wet bulb, where it takes the tower's approach at -10 °C" in text


# ---------------------------------------------------------------------------- 3. the tariff's utility

@pytest.mark.parametrize("sid", ["research-triangle-nc", "northern-virginia", "phoenix-az", "chicago-il"])
def test_bundled_tariffs_are_their_sites_utilities(sid):
    site = load_portfolio("default")[sid]
    assert same_utility(site.interconnection.utility, tariff_utility(site.tariff_path))


def test_miamis_duke_tariff_is_warned(tmp_path):
    p = bundled_site_copy(tmp_path, "research-triangle-nc", "miami-fl",
                          interconnection={"utility": "Florida Power & Light"})
    site = load_site(p)
    w = tariff_utility_warnings(site)
    assert len(w) == 1
    assert "'Duke Energy Carolinas, LLC'" in w[0] and "'Florida Power & Light'" in w[0] and "tariff.file" in w[0]


def test_alaska_on_aps_is_warned_and_an_example_tariff_is_not(tmp_path):
    site = _sand_point(tmp_path)
    assert "'Arizona Public Service Co'" in tariff_utility_warnings(site)[0]
    assert same_utility("Dominion Energy Virginia", "Virginia Electric & Power Co (Dominion Energy Virginia)")
    assert not same_utility("Florida Power & Light", "Duke Energy Carolinas, LLC")
    assert tariff_utility(DATA / "tariffs" / "rtp-example.json") == "Example (synthetic)"
    p = bundled_site_copy(tmp_path, "research-triangle-nc", "rtp-x",
                          tariff={"file": str(DATA / "tariffs" / "rtp-example.json")})
    assert tariff_utility_warnings(load_site(p)) == []


# ---------------------------------------------------------------------------- 4. PV under snow

def test_snow_clause_counts_the_sub_zero_hours_and_months(tmp_path):
    from dcplan.pipeline import site_weather
    site = _sand_point(tmp_path)
    clause = snow_clause(site, site_weather(site))
    raw = _raw()
    n = int((raw["temp_air"] < 0).sum())   # 1,640 (pvlib's read)
    assert f"{n:,} h of the typical year are below 0 °C dry bulb" in clause
    months = sorted(set(raw.index[raw["temp_air"] < 0].month))
    assert months == [1, 2, 3, 4, 5, 10, 11, 12]
    assert "(Jan, Feb, Mar, Apr, May, Oct, Nov, Dec)" in clause and "no snow model" in clause
    phx = load_portfolio("default")["phoenix-az"]   # no hour below 0 °C dry bulb
    assert snow_clause(phx, site_weather(phx)) == ""


# ---------------------------------------------------------------------------- 2. one site scored

def test_one_scored_site_is_not_called_best_among_three():
    from dcplan.portfolio_compare import compare
    from dcplan.portfolio_report import best_text, score_scale_text, score_table, single_scored_warning
    t = pd.DataFrame({"usd_per_m_tokens": [0.1, 0.2, 0.3], "carbon_g_per_m_tokens": [1.0, None, None],
                      "grid_carbon_t": [100.0, None, None], "annual_pue": [1.2, 1.1, 1.3],
                      "derate_h": [0.0, 0.0, 0.0]}, index=pd.Index(["phx", "mia", "snd"], name="site"))
    c = compare(t, {"usd_per_m_tokens": 0.5, "carbon_g_per_m_tokens": 0.5}, "tokens")
    names = {"phx": "Phoenix, AZ", "mia": "Miami, FL", "snd": "Sand Point, AK"}
    assert list(c.score.score.index) == ["phx"]
    head = best_text(c, names)
    assert head.startswith("Phoenix, AZ, the only site scored (2 of 3 sites not scored, no grid carbon figure: "
                           "Miami, FL, Sand Point, AK)")
    assert "Phoenix, AZ is the only site scored" in single_scored_warning(c, names)
    # the score's scale: with one site every criterion scales to 0, so "0 worst possible" was nonsense
    assert "worst possible" not in score_scale_text(0.0, 1)
    assert score_scale_text(0.7, 3) == "0 best, 0.7 worst possible"
    rec = score_table(c, names, 0.0).records
    assert not any("0 worst possible" in str(r) for r in rec)
    # with all three scored there is no warning and the headline is the plain name
    t2 = t.assign(carbon_g_per_m_tokens=[1.0, 2.0, 3.0], grid_carbon_t=[1.0, 2.0, 3.0])
    c2 = compare(t2, {"usd_per_m_tokens": 0.5, "carbon_g_per_m_tokens": 0.5}, "tokens")
    assert single_scored_warning(c2, names) is None and best_text(c2, names) == "Phoenix, AZ"


def test_a_site_not_scored_beside_several_scored_is_named_in_the_best_site_headline():
    """A fifth site added without grid_carbon_kg_per_mwh (Miami, in an audit) was left out of the ranking while the
    headline said only "Northern Virginia (Ashburn), VA": read on the index as the new site having lost. Two sites
    scored here: Phoenix lowest on both criteria (cost 0.1 < 0.3, carbon 1 < 3: scaled 0 and 1), Miami no carbon."""
    from dcplan.portfolio_compare import compare
    from dcplan.portfolio_report import best_text
    t = pd.DataFrame({"usd_per_m_tokens": [0.1, 0.2, 0.3], "carbon_g_per_m_tokens": [1.0, None, 3.0],
                      "grid_carbon_t": [100.0, None, 300.0], "annual_pue": [1.2, 1.1, 1.3],
                      "derate_h": [0.0, 0.0, 0.0]}, index=pd.Index(["phx", "mia", "snd"], name="site"))
    c = compare(t, {"usd_per_m_tokens": 0.5, "carbon_g_per_m_tokens": 0.5}, "tokens")
    names = {"phx": "Phoenix, AZ", "mia": "Miami, FL", "snd": "Sand Point, AK"}
    assert sorted(c.score.score.index) == ["phx", "snd"] and c.best == "phx"
    assert best_text(c, names) == ("Phoenix, AZ (1 of 3 sites not scored, no grid carbon figure: Miami, FL, "
                                   "so not ranked)")
