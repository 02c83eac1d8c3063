"""Carbon and water figures a sustainability committee reads (a sustainability analyst's findings).

site_analysis published carbon only per GPU-hour and per million tokens: no annual t CO2, grid
MWh, intensity or water volume; no label said the carbon's basis (a flat annual eGRID subregion
average: location-based, CO2 only); a market-based 0 and a figure in lb/MWh typed as kg/MWh
validated silently; data/SOURCES.md called the eGRID2022 intensities synthetic; the off-peak page
never said its schedules leave the modelled emissions alone.

Hand figures (the analyst's, from the bundled example, each site's own plant): Chicago's grid import
is its facility energy less the PV it uses (no spill, no battery), (45,783.5 - 627.3) MWh x 453.6
kg/MWh (eGRID2022 RFCW, 1000.053 lb/MWh x 0.45359237) = 20,482.8 t CO2; its PV avoids 627.3 MWh x
453.6 kg/MWh = 284.6 t. A year's water is WUE x IT energy: Research Triangle 71,423, Northern
Virginia 41,565, Phoenix 79,457, Chicago 60,532 m3. The analyst's facility energy (45,198.5 MWh, so
20,217.5 t) and water (70,719, 41,166, 78,464, 59,929 m3) were on the plant with a constant 3.9 K tower
approach; since the approach is Merkel's (2026-12: wider at low wet bulb, fewer free-cooling hours, more
chiller energy, whose heat the towers reject too) the facility energy and water are the new plant's.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, bundled_site_copy, published_until
from dcplan import pipeline
from dcplan.errors import DcplanWarning
from dcplan.portfolio_compare import CARBON_BASIS, CRITERIA, FIGURES
from dcplan.site import load_portfolio, load_site
from dcplan.site_carbon import carbon_basis_text
from dcplan.site_slips import slip_warnings
from dcplan.validate import validate_file

#: The words every carbon label of a bundled site carries (its basis and, from its grid_carbon_source, eGRID2022).
#: Until 2027-01 every label also said "market-based" and "eGRID2022" whatever the site's figure was: now a label
#: prints the site's own basis and source (dcplan.site_carbon; tests/test_site_carbon.py).
BASIS_WORDS = ("flat annual-average", "location-based", "eGRID2022", "CO2 only, not CO2e",
               "no hourly or marginal signal")
#: The words the portfolio comparison's carbon labels carry: no publication claimed (the sites' sources differ).
PORTFOLIO_BASIS_WORDS = ("flat annual-average", "location-based", "market-based", "grid_carbon_basis",
                         "CO2 only, not CO2e", "no hourly or marginal signal")


@pytest.fixture(scope="module")
def chicago():
    """site_analysis at Chicago, run in this process up to its per-GPU-hour cell: what it published."""
    return published_until("site_analysis", 'unit["carbon_kg_per_gpu_h"]', site="chicago-il")


def test_site_analysis_publishes_the_years_grid_energy_carbon_and_water(chicago):
    _, got = chicago
    # the chain's input, Chicago's facility energy, is the plant model's: 45,783.5 MWh (IT 38,591.1 MWh x annual
    # PUE 1.1864); was 45,198.5 MWh (PUE 1.1712) with a constant 3.9 K tower approach: Merkel's approach widens
    # at low wet bulb, so fewer free-cooling hours (6,256 -> 5,179 h) and more chiller energy (694 -> 1,075 MWh)
    # 2026-12: 45,227.2 MWh (PUE 1.1720) with the CRAH fans and loop pumps on their part-load curves (was 45,783.5,
    # PUE 1.1864, with them linear in the heat: less mover power in part-load hours, the same IT energy)
    # 45,227.8 MWh (PUE 1.17197, +0.6 MWh) since the weather reader takes a sub-zero dew point over water, the file's
    # convention (ca51aaf; it read a frost point): O'Hare's wet bulb in those hours is up to 0.59 K higher, so the
    # tower fans run faster for the same water (2,124.68 -> 2,125.25 MWh); free-cooling hours unchanged
    # 45,228.7 MWh (PUE 1.17200, +1.0 MWh) since the rated water-cooled COP is 6.28 (2026-12, ASHRAE 90.1-2016's
    # >= 600 tons row; was 6.1): a smaller design condenser heat sizes a smaller tower, 4 free-cooling hours fewer
    assert got["facility_mwh"][0] == pytest.approx(45228.7, abs=0.1)
    assert got["facility_mwh"][0] == pytest.approx(got["it_mwh"][0] * got["annual_pue"][0], rel=1e-9)
    # the PV all used on site: 627.7 MWh, the fixed 35-deg array of tests/test_sweep_tracking_switch.py (PVWatts v8
    # fed the same hours: 625.2 MWh); 627.3 MWh until the sun of the sunrise and sunset hours sat at the midpoint of
    # the part of the hour it is up (2026-12, dcplan.solar_position: +0.4 MWh, mostly sky light of the hours whose
    # midpoint sun was below the horizon and so got none)
    assert got["grid_mwh"][:2] == (pytest.approx(45228.7 - 627.7, abs=0.1), "MWh")
    assert got["grid_carbon_kg_per_mwh"][:2] == (453.6, "kg CO2/MWh")
    # (45,228.7 - 627.7) MWh x 0.4536 t/MWh = 44,601.0 x 0.4536 = 20,231.0 t (20,231.2 t with the sun at the
    # whole sunrise and sunset hours' midpoint, -0.2 t for the PV's +0.4 MWh; 20,230.8 t at the rated COP 6.1;
    # 20,230.5 t reading a frost point;
    # 20,482.8 t with linear CRAH fans and loop pumps until 2026-12; 20,217.5 t on the constant-approach plant)
    assert got["grid_carbon_t"][:2] == (pytest.approx(20231.0, abs=0.1), "t CO2")
    assert got["pv_avoided_carbon_t"][:2] == (pytest.approx(627.7 * 0.4536, abs=0.05), "t CO2")
    # regression value of the plant (WUE x IT energy is checked below): was 59,929 m3 with a constant 3.9 K tower
    # approach; with Merkel's the chillers run more hours and the tower rejects their heat too: 60,532 m3 (+1.0 %).
    # 2026: the tower's air is the fans' (design airflow x fan speed), not the heat's at the design L/G: more air
    # through the same water evaporates more, 62,482 m3 (+3.2 %); re-derived with an independent SaturatedExit
    # solve (ASHRAE eqs., brentq) on the plant's hourly tower heat and fan speed
    # 2026-12: 61,820 m3 (-1.1 %) with the CRAH fans and loop pumps on their part-load curves: less of their heat
    # for the tower to reject in part-load hours (62,482 m3 with them linear in the heat). 61,742 m3 (-0.13 %) since
    # a sub-zero dew point is read over water (ca51aaf): the moister inlet air of those hours leaves the tower
    # saturated having taken up less water for the same heat (per kg of air, d(evaporation) = -dW_in x cp / (cp + L
    # dWs/dT) at the exit), the towers' heat all but unchanged. 61,735 m3 since the rated COP 6.28 (2026-12): less
    # compressor heat on the tower in chiller hours
    assert got["water_m3"][:2] == (pytest.approx(61735, abs=1), "m3")
    # the labels say what each counts
    assert got["grid_mwh"][2].startswith("Grid import a year (facility energy less on-site PV used or stored")
    assert "spilled PV avoids nothing" in got["pv_avoided_carbon_t"][2]
    assert "not the marginal plant the PV displaces" in got["pv_avoided_carbon_t"][2]
    assert "evaporation and blowdown" in got["water_m3"][2] and "= WUE x IT energy" in got["water_m3"][2]


def test_every_carbon_label_of_site_analysis_says_its_basis(chicago):
    _, got = chicago
    ns, _ = chicago
    basis = carbon_basis_text(ns["spec"])  # the site's own basis and source, not the comparison's generic text
    for k in ("grid_carbon_kg_per_mwh", "grid_carbon_t", "carbon_kg_per_gpu_h", "carbon_g_per_m_tokens"):
        label = got[k][2]
        assert basis in label and CARBON_BASIS not in label, k
        assert [w for w in BASIS_WORDS if w not in label] == [], (k, label)
        # Chicago's file gives its source: the eGRID2022 RFCW rate as published
        assert "source: EPA eGRID2022 (released Jan 2024), RFCW (RFC West) subregion" in label, k
        assert "1000.053 lb/MWh x 0.45359237 kg/lb = 453.6 kg/MWh" in label, k
    assert got["carbon_kg_per_gpu_h"][2].startswith("Grid carbon per installed GPU-hour: grid import x the site "
                                                    "file's flat annual-average grid_carbon_kg_per_mwh, 453.6 kg "
                                                    "CO2/MWh for every hour (scope 2 location-based")
    # the PV's avoided carbon: not the Scope 2 basis text (it is not part of the inventory)
    assert "scope 2" not in got["pv_avoided_carbon_t"][2] and "Not part of the Scope 2 inventory" in \
        got["pv_avoided_carbon_t"][2]


def test_pue_boundary_wue_name_and_free_cooling_water(chicago):
    ns, got = chicago
    # was == the boundary clause + ")": the label now goes on with what the PUE's parts rest on (and the chiller
    # COP cap's hours), checked in tests/test_pue_inputs_status.py; the boundary clause is unchanged
    assert got["annual_pue"][2].startswith("Annual PUE (from the weather; facility energy = IT + electrical losses + "
                                           "cooling: lighting, offices and other ancillary loads are not modelled, so it "
                                           "reads slightly below an ISO/IEC 30134-2 PUE of all the facility's energy; "
                                           "electrical part ")
    assert got["wue_l_per_kwh"][2].startswith("Water Usage Effectiveness (site WUE, L per kWh of IT energy; The "
                                              "Green Grid, ISO/IEC 30134-9: all the site's water over the IT energy): "
                                              "here only the cooling towers' evaporation and blowdown")
    # the tower's water in the hours no compressor runs, summed by hand from the plant's hours
    p = ns["y"].plant
    frac = float(p.loc[p["free_cooling"], "water_l"].sum() / p["water_l"].sum())
    # 50 % at Chicago (30,068 of 60,532 m3). The analyst's 64 % (0.636: 38,142 of 59,929 m3) was on a constant
    # 3.9 K tower approach; Merkel's approach widens at low wet bulb, so fewer hours are free (6,256 -> 5,179 h)
    # and more of the year's heat, with the chillers' own, is rejected in chiller hours. 2026, the tower's air the
    # fans' (full speed in chiller hours, more air there than the heat's at the design L/G): 49 % (30,907 of 62,482
    # m3), the chiller hours' water up more than the free hours'
    # 2026-12, the CRAH fans and loop pumps on their part-load curves: 49.8 % (30,812 of 61,820 m3; 5,218 free
    # hours, was 5,179), so the label's rounded share reads 50 % (49 % with them linear in the heat)
    assert 0.49 < frac < 0.50
    assert got["water_free_cooling_frac"][0] == pytest.approx(frac, rel=1e-12)
    assert "; the cooling tower still evaporates water in them: 50 % of the year's water" in got["free_cooling_h"][2]


def test_each_bundled_sites_water_is_wue_times_it_energy():
    """The water site_analysis publishes (the plant's y.cooling["water_m3"], as at Chicago above) is WUE x
    IT energy, and the analyst's figures re-run on the plant with the tower's Merkel approach (2026-12): regression
    values of the model. The analyst's, on a constant 3.9 K approach: 70,719, 41,166, 78,464, 59,929 m3; each is
    1.0-1.3 % higher now, as the chillers run more hours (e.g. Phoenix 5,446 -> 3,633 free-cooling hours, chiller
    energy 861 -> 1,338 MWh) and the towers reject the compressors' heat with the IT heat: 71,423, 41,565, 79,457,
    60,532 m3. 2026: the tower's air is its fans' (design airflow x fan speed, EnergyPlus's; full speed whenever a
    compressor runs), not the heat's at the design L/G: more air through the same water, more evaporation, most in
    Phoenix's dry air (+12.7 %; +2.0, +1.8, +3.2 % at the others), each re-derived to 1e-8 by an independent
    SaturatedExit solve on the plant's hourly tower heat and fan speed."""
    # 2026-12: CRAH fans and loop pumps on part-load curves (dcplan.thermal_part_load): less fan and pump power in
    # part-load hours, so less heat for the towers to reject and less water, -0.5 to -1.1 % (was 72,867, 42,315,
    # 89,521, 62,482 m3 with them linear in the heat); IT energy unchanged, so WUE falls by the same share.
    # Since the weather reader takes a sub-zero dew point over water (ca51aaf; it read a frost point, 72,369, 42,121,
    # 88,824, 61,820 m3): -0.02 to -0.13 %, most where the most tower heat meets such hours (Chicago, Dulles), least
    # in Phoenix (10 more chiller hours put their compressor heat on its tower): the moister inlet air of those
    # hours takes up less water for the same heat (the Chicago figure in the test above). Since the rated
    # water-cooled COP 6.28 (2026-12; was 6.1: 72,322, 42,086, 88,807, 61,742 m3): less compressor heat on the towers
    want = {"research-triangle-nc": 72312, "northern-virginia": 42082, "phoenix-az": 88747, "chicago-il": 61735}
    for s in load_portfolio():
        y = pipeline.run_site_year(s)
        f = pipeline.figures(y)
        assert y.cooling["water_m3"] == pytest.approx(want[s.id], abs=1), s.id
        assert y.cooling["water_m3"] == pytest.approx(f["wue_l_per_kwh"] * f["it_mwh"], rel=1e-12), s.id


# ----------------------------------------------------------------------------- portfolio comparison labels

def test_portfolio_comparison_carbon_labels_say_their_basis():
    for k in ("carbon_g_per_m_tokens", "carbon_kg_per_gpu_h"):
        assert CARBON_BASIS in FIGURES[k][0] and CARBON_BASIS in CRITERIA[k][1], k
        # as site_analysis's grid_carbon_t: the grid import is already net of the PV (item 1 of the ESG audit)
        assert "net of on-site PV used on site or stored, counted at 0" in FIGURES[k][0], k
        assert "net of on-site PV used on site or stored, counted at 0" in CRITERIA[k][1], k
    assert [w for w in PORTFOLIO_BASIS_WORDS if w not in CARBON_BASIS] == []
    # the sites compared may give figures of different sources: the comparison claims none (was "as the bundled
    # EPA eGRID2022 figures are" for every site, a user's own figure included)
    assert "eGRID" not in CARBON_BASIS
    nb = json.loads((ROOT / "notebooks" / "portfolio_comparison.ipynb").read_text())
    intro = " ".join("".join(nb["cells"][0]["source"]).split())
    # (since the mixed-basis warning, 2026-12: "is market-based, and is ranked beside the others" gained how a site
    # file declares it and that a mixed comparison is warned of)
    assert "a location-based basis" in intro and "is market-based (a site file says so with `grid_carbon_basis: " \
        "market`), and is ranked beside the others as given: a comparison of sites on mixed bases is warned of" in intro


# ----------------------------------------------------------------------------- unit slips: 0 and lb/MWh

def _site(tmp_path, value) -> Path:
    f = bundled_site_copy(tmp_path, "chicago-il", "carbon")
    f.write_text(re.sub(r"grid_carbon_kg_per_mwh: \S+", f"grid_carbon_kg_per_mwh: {value}", f.read_text()))
    return f


def test_chicagos_lb_per_mwh_typed_as_kg_is_warned(tmp_path):
    """eGRID2022 RFCW: 1000.053 lb/MWh (the bundled YAML's comment) x 0.45359237 kg/lb = 453.6 kg/MWh."""
    f = _site(tmp_path, 1000.053)
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(f) == []
    msgs = [str(w.message) for w in rec if "grid_carbon_kg_per_mwh" in str(w.message)]
    assert msgs == [f"{f}: grid_carbon_kg_per_mwh: 1,000.05 kg/MWh is above 800 kg/MWh, the intensity of a grid "
                    "about three quarters coal-fired (US coal plants: 1,050 kg/MWh, EIA 2023), while the highest "
                    "eGRID2022 subregion in data/SOURCES.md is RFCW's 453.6 kg/MWh. A figure in lb/MWh typed as "
                    "kg/MWh (1,000.05 lb/MWh x 0.4536 = 453.6 kg/MWh)? Expected: kg of CO2 per MWh; keep it if the "
                    "grid really is that carbon-intensive"]
    assert slip_warnings(load_site(_site(tmp_path, 800))) == []  # the threshold itself
    assert len(slip_warnings(load_site(_site(tmp_path, 800.1)))) == 1


def test_a_market_based_zero_is_warned(tmp_path):
    f = _site(tmp_path, 0)
    with pytest.warns(DcplanWarning) as rec:
        assert validate_file(f) == []
    msgs = [str(w.message) for w in rec if "grid_carbon_kg_per_mwh" in str(w.message)]
    assert msgs == [f"{f}: grid_carbon_kg_per_mwh: 0 kg/MWh is a market-based or contractual figure (a 100 % "
                    "renewable PPA or certificates), not a grid's average: every report counts this site's grid "
                    "import as carbon-free, and the portfolio comparison ranks it beside the other sites' "
                    "location-based figures (the bundled sites' EPA eGRID2022 subregion averages, data/SOURCES.md) "
                    "as if it were one. Expected: the location-based average of the site's grid subregion in kg "
                    "CO2/MWh; keep 0 only when every site compared is given its market-based figure"]


def test_the_bundled_sites_raise_no_carbon_warning():
    for s in load_portfolio():
        assert [w for w in slip_warnings(s) if "grid_carbon" in w] == [], s.id


# ----------------------------------------------------------------------------- documents

def test_sources_no_longer_calls_the_egrid_figures_synthetic():
    text = (ROOT / "data" / "SOURCES.md").read_text()
    assert "grid carbon intensities are synthetic" not in " ".join(text.split())
    assert ("grid carbon intensities are EPA eGRID2022 subregion averages read from a public transcription"
            in " ".join(text.split()))


def test_site_format_and_glossary_say_the_basis():
    fmt = (ROOT / "docs" / "site-format.md").read_text()
    row = next(line for line in fmt.splitlines() if line.startswith("| `grid_carbon_kg_per_mwh` |"))
    for w in ("not lb/MWh", "flat annual average", "CO2 only, not CO2e", "location-based", "eGRID2022",
              "market-based"):
        assert w in row, w
    gl = (ROOT / "docs" / "glossary.md").read_text()
    row = next(line for line in gl.splitlines() if line.startswith("| `grid_carbon_t`, `grid_carbon_kg_per_mwh` |"))
    for w in ("flat annual average", "CO2 only (not CO2e)", "**location-based**", "eGRID2022", "market-based"):
        assert w in row, w


def test_offpeak_says_what_moves_a_shifted_jobs_emissions():
    """The schedule's PUE is hourly (the plant at full design IT), so a shift does change grid energy: a
    sustainability officer measured 0.17 MWh less in a Phoenix week. The notebook and README said the
    schedules change the cost, not the modelled emissions; they now say the PUE and spilled PV move it."""
    nb = json.loads((ROOT / "notebooks" / "offpeak_scheduling.ipynb").read_text())
    intro = "".join(nb["cells"][0]["source"])
    assert ("a shifted job's grid CO2 changes only with the grid energy it takes: the hour's PUE (the\nplant's at "
            "full design IT, lower in cool hours) and the PV it no longer spills") in intro
    assert "not the modelled emissions" not in intro
    assert ("a shift changes grid CO2 only through the hour's PUE and spilled PV"
            in (ROOT / "README.md").read_text())
