"""Tests of dcplan.site_verdict: ranks, tone and the contract sentence by hand; the whole
verdict on the bundled portfolio with one site left out."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from dcplan import pipeline
from dcplan.errors import InputError
from dcplan.site import load_portfolio
from dcplan.site_verdict import RANKED, _contract_parts, rank_of, rank_text, site_verdict, tone


def test_rank_is_competition_rank_among_sites_with_a_figure():
    v = pd.Series({"a": 1.10, "b": 1.20, "c": 1.10, "d": math.nan})
    assert rank_of(v, "a") == (1, 3) and rank_of(v, "c") == (1, 3)  # tied: both take the better rank
    assert rank_of(v, "b") == (3, 3)                                 # 1, 1, then 3 (not 2)
    assert rank_of(v, "b", low_is_good=False) == (1, 3)
    assert rank_of(v, "d") is None                                   # no figure: not ranked


def test_tone_counts_no_place_on_a_figure_every_site_shares():
    """A grid planner's five copies of one site (same climate, same tariff) were each "a strong
    candidate": rank 1 of 5 on PUE and on electricity, all tied. A figure every ranked site shares
    counts neither as a first nor as a last place."""
    tied_all = {"annual_pue": (1, 5), "usd_per_m_tokens": (1, 5), "first_power_months": (5, 5)}
    assert tone(tied_all) == "a strong candidate"  # without the ties said
    assert tone(tied_all, tied=("annual_pue", "usd_per_m_tokens")) == "a middle-of-the-pack candidate"
    first_on_power = {**tied_all, "first_power_months": (1, 5)}
    assert tone(first_on_power, tied=("annual_pue", "usd_per_m_tokens")) == "a middle-of-the-pack candidate"
    # a tie between some sites only is still a shared first place
    assert tone({"x": (1, 4), "y": (1, 3), "z": (2, 2)}, tied=()) == "a strong candidate"


@pytest.mark.parametrize("ranks, expected", [
    ({"x": (1, 4), "y": (1, 3), "z": (2, 2)}, "a strong candidate"),
    ({"x": (4, 4), "y": (3, 3), "z": (1, 4)}, "a weak candidate"),
    ({"x": (1, 4), "y": (4, 4), "z": None}, "a middle-of-the-pack candidate"),
    # alone on every figure (a one-site portfolio): nothing to be strong or weak against
    ({"x": (1, 1), "y": (1, 1), "z": None}, "the only site ranked (no other site to compare it with)"),
    # alone on one figure beside one ranked among 3 (the only site with an interconnection: section):
    # that figure compares it with nothing, so one first in all: middle (a climate tester's Sand Point
    # was "a strong candidate" on PUE 1 of 5 and time to power 1 of 1, though last of 2 on electricity)
    ({"x": (1, 1), "y": (1, 3), "z": None}, "a middle-of-the-pack candidate"),
    ({"x": (1, 1), "y": (1, 3), "z": (1, 2)}, "a strong candidate"),
    ({"x": (1, 1), "y": (1, 5), "z": (2, 2)}, "a middle-of-the-pack candidate"),
    ({"x": (2, 4), "y": (3, 4), "z": (2, 4)}, "a middle-of-the-pack candidate"),
])
def test_tone_counts_firsts_and_lasts(ranks, expected):
    assert tone(ranks) == expected


def test_contract_sentence_counts_hours_and_compares_the_design_hour():
    # one hour over a 10 MW contract at a 10.5 MW peak; the design hour needs 12 MW at the facility
    over = {"hours_over_contract_h": 1.0, "peak_grid_kw": 10_500.0, "peak_excess_kw": 500.0}
    p = _contract_parts(over, 10.0, 12_000.0, 9_000.0)
    # (hourly means: the capacity check's step; the design hour's PUE 12,000 / 9,000 = 1.3333)
    assert p == ["the grid draw is over the contracted 10 MW in 1 hour of the typical year (peak 10.50 MW, 500 kW over), "
                 "counted on hourly means (the load's 1-s to 15-min peaks within an hour are higher)",
                 "at full design IT (9.00 MW) the design hour needs 12.00 MW at the facility, more than the contract "
                 "(the worst hour of the site's 0.4 % design days, PUE 1.3333)"]
    within = {"hours_over_contract_h": 0.0, "peak_grid_kw": 8_000.0}
    assert _contract_parts(within, 10.0, 10_000.0, 9_000.0) == [
        "the grid draw stays within the contracted 10 MW all year on hourly means (highest hourly mean 8.00 MW; the "
        "load's 1-s to 15-min peaks within an hour are higher)"]  # 10 MW is not more than 10 MW
    assert "in 3 hours of" in _contract_parts({**over, "hours_over_contract_h": 3.0}, 10.0, 0.0, 1.0)[0]


def test_verdict_on_the_bundled_portfolio_with_a_site_left_out():
    pf = load_portfolio()
    spec = pf["phoenix-az"]
    y = pipeline.run_site_year(spec)

    def variant(s):  # an override Chicago cannot take
        if s.id == "chicago-il":
            raise InputError("no such plant here", field="cooling")
        return s

    v = site_verdict(spec, y, pf, variant=variant)
    assert v.left_out == {"chicago-il": "cooling: no such plant here"}
    assert list(v.peers.index) == ["research-triangle-nc", "northern-virginia", "phoenix-az"]
    assert "ranked among 3 of the portfolio's 4 sites (chicago-il left out" in v.text
    # the PUE rank, by hand from the peers' own figures (competition rank, lowest first)
    pue = {sid: pipeline.figures(pipeline.run_site_year(pf[sid]))["annual_pue"] for sid in v.peers.index}
    expected = 1 + sum(p < pue["phoenix-az"] for p in pue.values())
    assert v.ranks["annual_pue"] == (expected, 3)
    assert f"annual PUE {pue['phoenix-az']:.3f} (rank {expected} of 3" in v.text
    assert set(v.ranks) == set(RANKED) and all(v.ranks[c] for c in RANKED)
    # Phoenix's air plant and B200s ranked against a liquid GB200 site: the tone says it ranks the fleets too
    assert v.text.endswith(f"On these numbers, its own fleet and plant against the others', it is {v.tone}.")
    # Phoenix's B200 fleet borrows the H100 throughput (dcplan.power.borrowed_throughput)
    assert "this site (hgx-b200)" in v.caveat and "; " + v.caveat + ";" in v.text


def _two_air_h100_sites(tmp_path):
    """A portfolio of two air-cooled sites on the same part (hgx-h100): the bundled Research Triangle
    (``rt-a``) and Chicago with Research Triangle's 512 HGX H100 (``chi-b``)."""
    import yaml
    from conftest import bundled_site_copy
    a = bundled_site_copy(tmp_path, "research-triangle-nc", "rt-a")
    b = bundled_site_copy(tmp_path, "chicago-il", "chi-b", fleet={"phases": [
        {"hardware": "hgx-h100", "count": 512, "start": "2026-04-01", "label": "Hall 1"}]})
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": [str(a), str(b)]}))
    return load_portfolio(pf_file)


def test_the_per_token_rank_says_it_compares_the_hardware_when_the_sites_differ(tmp_path):
    """A wheel user's GB200 site ranked first per million tokens against an H200 site and was called
    "a strong candidate" with no hedge, though its electricity per installed GPU-hour was twice the
    other's: the GB200's example throughput is 3.9 x the H100's. The verdict now says the rank
    compares the accelerators when the ranked sites' parts differ, and says nothing when they match."""
    pf = load_portfolio()
    spec = pf["phoenix-az"]
    text = site_verdict(spec, pipeline.run_site_year(spec), pf).text
    # data/hardware.csv: hgx-b200 -> b200; the others' hgx-h100, gb200-nvl72, hgx-h200
    assert ("the rank per million tokens compares the accelerators as well as the sites (this site's b200; the "
            "others' gb200-gpu, h100-sxm, h200-sxm), so it is not a verdict on the location alone") in text
    # two sites on the same part: no such clause
    two = _two_air_h100_sites(tmp_path)
    text = site_verdict(two["rt-a"], pipeline.run_site_year(two["rt-a"]), two).text
    assert "USD per installed GPU-hour at its tariff's prices (2026-01-01" in text  # rt-a's Duke tariff, escalated
    assert "compares the accelerators" not in text


def test_identical_sites_are_not_each_a_strong_candidate(tmp_path):
    import yaml
    from conftest import bundled_site_copy
    files = [str(bundled_site_copy(tmp_path, "research-triangle-nc", sid)) for sid in ("rt-a", "rt-b")]
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": files}))
    pf = load_portfolio(pf_file)
    v = site_verdict(pf["rt-a"], pipeline.run_site_year(pf["rt-a"]), pf)
    assert v.ranks["annual_pue"] == (1, 2) and v.ranks["usd_per_m_tokens"] == (1, 2)  # tied: both first
    assert v.tone == "a middle-of-the-pack candidate", v.text


def test_the_pue_rank_says_it_compares_the_plants_when_the_sites_differ(tmp_path):
    """A site-selection analyst: the bundled Northern Virginia verdict ranked its PUE first of 4 and
    called it "a strong candidate", but it is the only liquid plant among three air ones; with the
    others' air plant its climate ranks last. The verdict now says the PUE rank compares the plants,
    counting the others' (data/sites: research-triangle, phoenix, chicago air; virginia liquid W45),
    and says nothing when every site runs the same plant."""
    pf = load_portfolio()
    spec = pf["northern-virginia"]
    v = site_verdict(spec, pipeline.run_site_year(spec), pf)
    assert v.ranks["annual_pue"] == (1, 4)
    assert ("annual PUE " in v.text and "; the PUE rank compares the cooling plants as well as the climates (this "
            "site's plant: liquid W45; the others': 3 air), so it is not a verdict on the location alone"
            in v.text)
    assert v.text.endswith(f"On these numbers, its own fleet and plant against the others', it is {v.tone}.")
    # two air sites on the same part: neither clause, and the plain tone
    two = _two_air_h100_sites(tmp_path)
    v2 = site_verdict(two["rt-a"], pipeline.run_site_year(two["rt-a"]), two)
    assert "compares the cooling plants" not in v2.text
    assert v2.text.endswith(f"On these numbers it is {v2.tone}.")


def test_a_rank_no_other_site_has_is_said_as_such():
    assert rank_text((2, 4)) == "2 of 4"
    assert rank_text((1, 1)) == "1 of 1, the only site with this figure"


def test_weather_text_gives_the_station_and_site_heights():
    """The figures are the station's: a climate tester's site 493 m above its station read only "0 km from
    the site". Phoenix Sky Harbor's EPW header gives 337 m; data/sites/phoenix-az.yaml 337 m."""
    from dcplan.site_verdict import weather_text
    from dcplan.weather import load_site_weather
    spec = load_portfolio()["phoenix-az"]
    text = weather_text(spec, load_site_weather(spec).attrs)
    assert text.endswith(f"km from the site (33.45, -111.98); station 337 m, site {spec.elevation_m:g} m above sea level")


def test_a_site_over_its_contract_with_a_battery_is_told_a_larger_battery(tmp_path):
    """A verifier: a site whose own battery cannot hold its contract was advised "a battery". Phoenix
    with 768 HGX B200 units (twice the file's) draws over its 10 MW contract (test_site_analysis); a
    0.5 MW / 2 MWh battery shaving to the contract does not hold it."""
    import yaml
    from conftest import bundled_site_copy
    path = bundled_site_copy(tmp_path, "phoenix-az", "phx-big", fleet={"phases": [
        {"hardware": "hgx-b200", "count": 768, "start": "2026-09-01", "label": "Hall 1"}]},
        interconnection={"battery": {"power_mw": 0.5, "energy_mwh": 2}})
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": [str(path)]}))
    pf = load_portfolio(pf_file)
    y = pipeline.run_site_year(pf["phx-big"])
    assert float(y.grid_kw.max()) > 10_000.0   # the battery, in that draw, does not hold the contract
    text = site_verdict(pf["phx-big"], y, pf).text
    assert text.endswith("As planned it draws more than its contracted capacity: that must be covered first (a "
                         "larger contract, curtailment, a larger battery or on-site generation: its own battery, "
                         "counted in that grid draw, does not hold the contract).")


# -- the contract on hourly means, and the two design facility figures (electrical tester, finding 2) ------

def _worst(facility_kw: float, pue: float, short: bool = False) -> dict:
    """A typical-year worst hour (dcplan.design_hours.typical_year_worst_hour) as the verdict reads it."""
    return {"facility_kw": facility_kw, "pue": pue, "short": short, "temp_air_degc": 36.7,
            "temp_wet_bulb_degc": 26.70601712769519,
            "hour": pd.Timestamp("2025-07-09 16:00", tz="America/New_York")}


def test_a_draw_within_the_contract_on_hourly_means_is_not_all_clear_when_design_needs_more():
    """Northern Virginia on a 17 MW contract (8.5 + 8.5): the verdict said "the grid draw stays within the
    contracted 17 MW all year (peak 16.51 MW)", though its 1-s / 15-min peaks pass 17 MW and at full design
    IT (16,215 kW) the facility needs 18.34 MW in the design hour and 18.52 MW in the typical year's worst
    hour, which the interconnection notebook counts: 755 GPUs never powered. Hand: 9,216 GPUs (128 x 72);
    18,516.5 kW / 9,216 = 2.00917 kW per GPU; 17,000 / 2.00917 = 8,461.2, so 8,461 powered, 755 never.
    Design-hour PUE 18,337.9 / 16,215.04 = 1.1309."""
    within = {"hours_over_contract_h": 0.0, "peak_grid_kw": 16_512.06}
    p = _contract_parts(within, 17.0, 18_337.9, 16_215.04, worst=_worst(18_516.5, 1.14193), n_gpus=9_216)
    assert p == [
        "the grid draw stays within the contracted 17 MW all year on hourly means (highest hourly mean 16.51 MW; "
        "the load's 1-s to 15-min peaks within an hour are higher)",
        "but at full design IT (16.22 MW) the design hour needs 18.34 MW at the facility, more than the contract "
        "(the worst hour of the site's 0.4 % design days, PUE 1.1309)",
        "the typical year's own worst hour (2025-07-09 16:00 (local clock, UTC-4 h; interval end), 36.7 °C dry bulb, 26.7 °C wet bulb, "
        "PUE 1.1419) needs 18.52 MW, the interconnection notebook's design facility power (facility_design_kw): the "
        "contract powers 8,461 of the 9,216 GPUs then, 755 never (its gpus_never_powered)"]
    # in whole 72-GPU NVL72 racks, as the site's fleet is bought and powered: 17,000 / (72 x 2.00917) = 117.5 racks,
    # 117 powered (8,424 GPUs), 11 never (792)
    p = _contract_parts(within, 17.0, 18_337.9, 16_215.04, worst=_worst(18_516.5, 1.14193), n_gpus=9_216, unit=72)
    assert p[-1].endswith("the contract powers 8,424 of the 9,216 GPUs then, 792 never (its gpus_never_powered; in "
                          "whole units of 72 GPUs, a rack or server)")
    # only the typical year's worst hour above the contract (18.4 MW): it leads, the design hour beside it;
    # 18,400 / 2.00917 = 9,158.0, so 58 never powered
    p = _contract_parts(within, 18.4, 18_337.9, 16_215.04, worst=_worst(18_516.5, 1.14193), n_gpus=9_216)
    assert p[1:] == [
        "but at full design IT (16.22 MW) the typical year's worst hour (2025-07-09 16:00 (local clock, UTC-4 h; interval end), 36.7 °C "
        "dry bulb, 26.7 °C wet bulb, PUE 1.1419) needs 18.52 MW at the facility, more than the contract: the "
        "interconnection notebook's design facility power (facility_design_kw): the contract powers 9,158 of the "
        "9,216 GPUs then, 58 never (its gpus_never_powered); the design hour (the worst hour of the site's 0.4 % "
        "design days, PUE 1.1309) needs 18.34 MW"]
    # neither above a 24 MW contract (the bundled file's): nothing more said
    assert len(_contract_parts(within, 24.0, 18_337.9, 16_215.04, worst=_worst(18_516.5, 1.14193), n_gpus=9_216)) == 1


def test_the_verdict_of_a_contract_below_the_design_facility_power_says_both_hours(tmp_path):
    """The tester's file end to end: data/sites/northern-virginia.yaml with requested_mw 17 (8.5 + 8.5 MW)."""
    import yaml
    from conftest import bundled_site_copy
    from dcplan import design_hours, thermal
    path = bundled_site_copy(tmp_path, "northern-virginia", "nv-17", interconnection={
        "requested_mw": 17, "phases": [{"energized": "2027-01-01", "mw": 8.5}, {"energized": "2028-07-01", "mw": 8.5}]})
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": [str(path)]}))
    pf = load_portfolio(pf_file)
    spec = pf["nv-17"]
    y = pipeline.run_site_year(spec)
    assert pipeline.figures(y)["hours_over_contract_h"] == 0.0 and y.n_accelerators == 128 * 72
    dh = thermal.design_hour_pue(y.design_it_kw, y.weather, spec.cooling)
    worst = design_hours.typical_year_worst_hour(y.design_it_kw, y.weather, spec.cooling)
    # the two figures are two hours at the same design IT through the same plant: the design days'
    # worst hour (0.4 % dry bulb 34.1 degC with 23.9 degC coincident wet bulb) and the TMY3's 2025-07-09 16:00
    # (36.7 degC dry bulb, 26.7 degC wet bulb), harsher. The worst hour was 18,516 kW (PUE 1.1419) with the
    # tower's approach held at 3.9 K x the heat; with Merkel's approach (the tower selected for 3.9 K at the
    # 25.5 degC design wet bulb) it is narrower at 26.7 degC wet bulb (colder condenser water, less chiller
    # power): 18,512 kW, PUE 1.1417, and 18,502 kW, PUE 1.1410, since the water-cooled chillers' rated COP 6.28
    # (2026-12; was 6.1), as tests/test_contract_adequacy.py. The design hour is unchanged: its
    # chiller runs at its COP cap through that day (the same chiller kW every hour), so the tower water moves
    # nothing there. Regression values of the model
    assert round(dh["facility_kw"]) == 18_338 and round(worst["facility_kw"]) == 18_502
    assert worst["pue"] == pytest.approx(1.1410, abs=5e-5) and worst["pue"] < 1.1419
    assert worst["hour"] == pd.Timestamp("2025-07-09 16:00", tz="America/New_York")
    v = site_verdict(spec, y, pf)
    assert ("the grid draw stays within the contracted 17 MW all year on hourly means (highest hourly mean "
            f"{float(y.grid_kw.max()) / 1000:,.2f} MW; the load's 1-s to 15-min peaks within an hour are higher); "
            "but at full design IT (16.22 MW) the design hour needs 18.34 MW at the facility, more than the contract "
            "(the worst hour of the site's 0.4 % design days, PUE 1.1309); the typical year's own worst hour "
            "(2025-07-09 16:00 (local clock, UTC-4 h; interval end), 36.7 °C dry bulb, 26.7 °C wet bulb, PUE 1.1410) needs 18.50 MW") in v.text
    # whole 72-GPU NVL72 racks: 18,502.0 / 9,216 = 2.0076 kW per GPU; 17,000 / (72 x 2.0076) = 117.6, 117 racks
    # (8,424 GPUs) powered, 11 racks (792 GPUs) never
    per_gpu = worst["facility_kw"] / 9_216
    assert math.floor(17_000 / (72 * per_gpu)) == 117 and 9_216 - 117 * 72 == 792
    assert ("the contract powers 8,424 of the 9,216 GPUs then, 792 never (its gpus_never_powered; in whole units of "
            "72 GPUs, a rack or server)") in v.text
    # the GPUs it never powers block the site whatever its ranks (verifier 3, finding 1): what to fix closes it
    assert v.tone == "not a candidate as specified"
    assert v.text.endswith(". On these numbers it is not a candidate as specified: its contract leaves 792 of its "
                           "9,216 GPUs never powered in the typical year's worst hour at full design IT; fix the "
                           "contract (and compare again).")
    assert "Its contract does not cover the full fleet" not in v.text  # said once, in the closing sentence



# -- a site that cannot run its fleet as specified is no candidate, whatever its ranks (verifier 3, finding 1) --

def _short_plant_portfolio(tmp_path):
    """The verifier's Phoenix with 40 GB200 NVL72 on a W32 liquid loop with dry coolers only (no trim chiller,
    no margin) and a flat 0.01 USD/kWh tariff, ranked against the bundled Chicago: first on PUE, electricity
    and first power, so its ranks alone made it "a strong candidate"."""
    import yaml
    from conftest import bundled_site_copy
    a = bundled_site_copy(tmp_path, "phoenix-az", "phx-short", name="Phoenix short plant",
                          fleet={"phases": [{"hardware": "gb200-nvl72", "count": 40, "start": "2026-10-01",
                                             "label": "Hall 1"}], "workload": "training", "utilisation_frac": 0.85},
                          cooling={"type": "liquid", "ashrae_class": "A2", "liquid_class": "W32",
                                   "heat_rejection": "dry", "trim_chiller": False, "margin_frac": 0},
                          tariff={"flat_usd_per_kwh": 0.01, "source": "test: cheap flat tariff"})
    d = yaml.safe_load(a.read_text())
    d["tariff"] = {"flat_usd_per_kwh": 0.01, "source": "test: cheap flat tariff"}  # no tariff file beside it
    a.write_text(yaml.safe_dump(d, sort_keys=False))
    b = bundled_site_copy(tmp_path, "chicago-il", "chi")
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": [str(a), str(b)]}))
    return load_portfolio(pf_file)


def test_a_site_whose_plant_is_short_of_its_it_is_not_a_strong_candidate(tmp_path):
    """The verifier's site: its plant cannot remove the hour's IT in 4,110 h of the typical year (the tester's
    site_analysis run's figure), removing nothing in its worst hour (the fleet's whole hourly IT then, 4,591 kW),
    yet ranked first on all three figures it was "a strong candidate"."""
    import warnings
    from dcplan import thermal
    from dcplan.errors import DcplanWarning
    pf = _short_plant_portfolio(tmp_path)
    spec = pf["phx-short"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DcplanWarning)  # the plant-short warnings are the point here
        y = pipeline.run_site_year(spec)
        v = site_verdict(spec, y, pf)
    assert all(v.ranks[c] == (1, 2) for c in RANKED)   # first on every figure: strong on ranks alone
    assert tone(v.ranks) == "a strong candidate"
    short = thermal.derate_hours(y.plant)
    assert len(short) == 4_110
    # its worst hour: capacity 0, so the whole hour's IT is the heat it cannot remove
    worst = short["derate_kw"].idxmax()
    assert short.loc[worst, "capacity_it_kw"] == 0.0 and short.loc[worst, "derate_kw"] == short.loc[worst, "it_kw"]
    assert round(short.loc[worst, "derate_kw"]) == 4_591
    assert v.tone == "not a candidate as specified"
    assert v.text.endswith(". On these numbers, its own fleet and plant against the others', it is not a candidate "
                           "as specified: its cooling plant is short of its IT in 4,110 h of the typical year (up to "
                           "4,591 kW of IT heat it cannot remove); fix the plant (and compare again).")
    assert "strong candidate" not in v.text and "middle-of-the-pack" not in v.text


def test_blocked_text_names_both_the_plant_and_the_contract():
    from dcplan.site_verdict import blocked_text
    assert blocked_text(0.0, 0.0, 0, 9_216) is None
    assert blocked_text(1.0, 12.4, 58, 9_216) == (
        "its cooling plant is short of its IT in 1 h of the typical year (up to 12 kW of IT heat it cannot remove), "
        "and its contract leaves 58 of its 9,216 GPUs never powered in the typical year's worst hour at full design "
        "IT; fix the plant and the contract (and compare again)")


def _two_bills(late_bill_usd=1.05e6, late_date="2027-06-01"):
    """Two hand-built sites, identical but for their bills and price dates: 1,000 GPUs over 8,760 h at 0.5
    utilisation and 1,000 tokens/s each (8.76e6 GPU-h; 0.5 x 1,000 x 1,000 x 3,600 x 8,760 = 15.768e6 M tokens), no PV
    or battery; ``old`` billed 1.00e6 USD at 2024-03-08 prices, ``new`` ``late_bill_usd`` at ``late_date``'s, both
    at data/costs.csv's 3 %/yr."""
    return pd.DataFrame({"n_accelerators": [1000, 1000], "hours_h": [8760.0, 8760.0], "utilisation_frac": [0.5, 0.5],
                         "tokens_per_s_per_accelerator": [1000.0, 1000.0], "bill_usd": [1.0e6, late_bill_usd],
                         "bill_price_date": ["2024-03-08", late_date], "electricity_escalation_frac": [0.03, 0.03]},
                        index=pd.Index(["old", "new"], name="site"))


def test_the_electricity_rank_is_at_the_common_price_date_and_says_so():
    """site_analysis ranked each bill at its own tariff's prices while portfolio_comparison ranked them at one
    date (the latest: dcplan.portfolio_prices), so the two could order the same sites differently on the same
    figure. ``old``'s 1.00e6 USD at 2024-03-08 prices is cheaper than ``new``'s 1.05e6 USD at 2027-06-01's, but
    escalated as the TCO escalates it, 2024-04 -> 2027-06 = 38 months, 3 whole 12-month steps: 1.03 ** 3 =
    1.092727, 1.092727e6 USD > 1.05e6 USD, and the order flips."""
    from dcplan.portfolio_prices import with_costs_at_common_date
    from dcplan.portfolio_score import unit_figures
    from dcplan.verdict_inputs import electricity_text
    t = _two_bills()
    assert rank_of(unit_figures(t)["usd_per_m_tokens"], "old") == (1, 2)  # at their own prices: old first
    peers = with_costs_at_common_date(t)
    # by hand: 1.00e6 x 1.03 ** 3 / 15.768e6 M tokens = 0.069300; 1.05e6 / 15.768e6 = 0.066591 (new as billed)
    assert peers.loc["old", "usd_per_m_tokens"] == pytest.approx(1.0e6 * 1.03 ** 3 / 15.768e6, rel=1e-12)
    assert peers.loc["new", "usd_per_m_tokens"] == pytest.approx(1.05e6 / 15.768e6, rel=1e-12)
    assert rank_of(peers["usd_per_m_tokens"], "old") == (2, 2)  # at one date: old second
    who = {"old": "this site", "new": "New"}
    # the cost stated is old's own at its tariff's prices: 1.00e6 / 15.768e6 = 0.06342 USD/M tokens, 1.00e6 / 8.76e6
    # = 0.114 USD/GPU-h; the rank at 2027-06-01 prices, with this site's factor and its cost at that date
    assert electricity_text(peers, "old", who, ["old", "new"], rank_text((2, 2))) == [
        "electricity 0.06342 USD per million tokens and 0.114 USD per installed GPU-hour at its tariff's prices "
        "(2024-03-08), rank 2 of 2 at 2027-06-01 prices",
        "the rank compares the sites at 2027-06-01 prices, the latest of their tariffs' price dates (this site "
        "2024-03-08, New 2027-06-01), as the portfolio comparison does: each bill escalated to it at "
        "electricity_escalation_frac (+3.0%/yr) in whole 12-month steps, as the tco notebook escalates a bill (this "
        "site's by x1.0927, 1.03 ** 3: 0.0693 USD per million tokens at 2027-06-01 prices), so the rank rests in part "
        "on that assumed escalation, not on the tariffs alone"]
    # the site with the latest prices: its own cost is the ranked one (1.05e6 / 15.768e6 = 0.06659; / 8.76e6 = 0.120)
    new = electricity_text(peers, "new", {"old": "Old", "new": "this site"}, ["old", "new"], rank_text((1, 2)),
                           "on-site PV's annualised cost")
    assert new[0] == ("electricity 0.06659 USD per million tokens and 0.120 USD per installed GPU-hour at its "
                      "tariff's prices (2027-06-01; the bill plus the on-site PV's annualised cost), rank 1 of 2 at "
                      "2027-06-01 prices")
    assert "(Old 2024-03-08, this site 2027-06-01)" in new[1]
    assert "(this site's not: its tariff's prices are the latest)" in new[1]


def test_a_site_less_than_a_step_before_the_common_date_says_before_what():
    """Three sites: ``old`` at 2024-03-08 (2024-04 -> 2027-06, 38 months, 3 steps), ``mid`` at 2026-09-01 (2026-09
    -> 2027-06, 9 months, 0 steps), ``new`` at 2027-06-01. ``mid``'s clause said "its 2026-09-01 is less than a whole
    12-month step before", before nothing."""
    from dcplan.portfolio_prices import with_costs_at_common_date
    from dcplan.verdict_inputs import electricity_text
    t = pd.concat([_two_bills(), _two_bills().loc[["old"]].rename(index={"old": "mid"})])
    t.loc["mid", "bill_price_date"] = "2026-09-01"
    peers = with_costs_at_common_date(t)
    assert peers["escalation_steps"].to_dict() == {"old": 3.0, "new": 0.0, "mid": 0.0}
    who = {"old": "Old", "new": "New", "mid": "this site"}
    text = electricity_text(peers, "mid", who, ["old", "new", "mid"], "1 of 3")
    assert "(this site's not: its price date 2026-09-01 is less than a whole 12-month step before 2027-06-01)" \
        in text[1], text


def test_the_electricity_clause_is_unchanged_when_no_bill_is_escalated():
    """One price date (or dates less than a whole 12-month step apart: 2026-07-01 -> 2027-06-01 is 11 months): the
    rank at the common date is the rank at the sites' own prices, and the clause is the one it always was."""
    from dcplan.portfolio_prices import with_costs_at_common_date
    from dcplan.verdict_inputs import electricity_text
    for late in ("2024-03-08", None):  # one date; old's date alone (new's tariff gives none: taken as at it)
        peers = with_costs_at_common_date(_two_bills(late_date=late))
        assert (peers["escalation_factor"] == 1.0).all()
        assert electricity_text(peers, "old", {"old": "this site", "new": "New"}, ["old", "new"], "1 of 2") == [
            "electricity 0.06342 USD per million tokens (rank 1 of 2; 0.114 USD per installed GPU-hour)"]
    t = _two_bills(late_date="2027-06-01").assign(bill_price_date=["2026-07-01", "2027-06-01"])
    peers = with_costs_at_common_date(t)
    assert peers.loc["old", "escalation_steps"] == 0.0
    assert len(electricity_text(peers, "old", {"old": "this site", "new": "New"}, ["old", "new"], "1 of 2")) == 1


def _phoenix_at_two_dates(tmp_path):
    """Two copies of Phoenix that differ in their tariff's price date and their throughput only: ``phx-old`` on
    the bundled APS tariff (startdate 2024-03-08) at 3,000 tokens/s per GPU, ``phx-new`` on a copy of it dated
    2027-06-01 at 2,900 tokens/s (each its site file's own figure, finance.costs)."""
    import json

    import yaml
    from conftest import DATA, bundled_site_copy
    doc = json.loads((DATA / "tariffs" / "aps-az-e32-tou-l.json").read_text())
    item = doc["items"][0] if "items" in doc else doc
    item["startdate"] = "2027-06-01"
    late = tmp_path / "aps-2027.json"
    late.write_text(json.dumps(doc))
    a = bundled_site_copy(tmp_path, "phoenix-az", "phx-old",
                          finance={"costs": {"tokens_per_s_per_accelerator": 3000.0}})
    b = bundled_site_copy(tmp_path, "phoenix-az", "phx-new", name="Phoenix, AZ (2027 prices)",
                          tariff={"file": str(late)}, finance={"costs": {"tokens_per_s_per_accelerator": 2900.0}})
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": [str(a), str(b)]}))
    return load_portfolio(pf_file)


def test_the_verdict_ranks_electricity_as_the_portfolio_comparison_does(tmp_path):
    """The same site at two price dates: at its own tariff's prices ``phx-old`` (2024-03-08, 3,000 tokens/s) is the
    cheaper per million tokens, the bills being equal and 3,000 > 2,900 tokens/s; with its bill escalated to
    2027-06-01 (x 1.03 ** 3, its PV's cost not escalated) it is the dearer, and the verdict ranks it so, as the
    portfolio comparison does."""
    from dcplan.portfolio_compare import comparison_table
    from dcplan.solar_value import pv_annual_cost
    pf = _phoenix_at_two_dates(tmp_path)
    spec = pf["phx-old"]
    y = pipeline.run_site_year(spec)
    bill, pv = pipeline.figures(y)["bill_usd"], pv_annual_cost(spec)["annual_cost_usd"]
    # data/sites/phoenix-az.yaml: 384 HGX B200 x 8 GPUs at 0.6 over the 8,760 h of 2025
    m_tokens = {sid: 0.6 * 3072 * r * 3600 * 8760 / 1e6 for sid, r in (("phx-old", 3000.0), ("phx-new", 2900.0))}
    own = {sid: (bill + pv) / m_tokens[sid] for sid in m_tokens}  # one bill (the same year, tariff prices, PV)
    assert own["phx-old"] < own["phx-new"]
    at_2027 = {"phx-old": (bill * 1.03 ** 3 + pv) / m_tokens["phx-old"], "phx-new": own["phx-new"]}
    assert at_2027["phx-old"] > at_2027["phx-new"]  # the order flips
    v = site_verdict(spec, y, pf)
    assert v.peers["usd_per_m_tokens"].to_dict() == pytest.approx(at_2027, rel=1e-9)
    assert v.ranks["usd_per_m_tokens"] == (2, 2)  # second, as at 2027-06-01 prices (first at its own)
    t = comparison_table(pf)
    assert t["usd_per_m_tokens"].idxmin() == "phx-new"  # the comparison orders them the same way
    assert (f"; electricity {own['phx-old']:.4g} USD per million tokens and {(bill + pv) / (3072 * 8760):.3f} USD per "
            "installed GPU-hour at its tariff's prices (2024-03-08; the bill plus the on-site PV's annualised cost), "
            "rank 2 of 2 at 2027-06-01 prices; the rank compares the sites at 2027-06-01 prices, the latest of their "
            "tariffs' price dates (this site 2024-03-08, Phoenix, AZ (2027 prices) 2027-06-01), as the portfolio "
            "comparison does: each bill escalated to it at electricity_escalation_frac (+3.0%/yr) in whole 12-month "
            f"steps, as the tco notebook escalates a bill (this site's by x1.0927, 1.03 ** 3: {at_2027['phx-old']:.4g} "
            "USD per million tokens at 2027-06-01 prices), so the rank rests in part on that assumed escalation, not "
            "on the tariffs alone;") in v.text, v.text


def test_the_electricity_rank_says_when_the_tariffs_are_priced_years_apart(tmp_path):
    """A finance reviewer reading site_analysis beside portfolio_comparison: the comparison ranks the sites'
    electricity costs at one price date, 2027-06-01 (data/tariffs startdates: APS 2024-03-08, Duke and Dominion
    2026-01-01, ComEd 2027-06-01), each bill escalated as the TCO escalates it, while Phoenix's site verdict ranked
    the same figure at each tariff's own prices. The verdict now ranks at the common date and says so, with each
    date and this site's factor; two copies of one site (one tariff) keep the clause as it was."""
    pf = load_portfolio()
    spec = pf["phoenix-az"]
    text = site_verdict(spec, pipeline.run_site_year(spec), pf).text
    # Phoenix's own cost as site_analysis publishes it (0.02014), and at 2027-06-01 prices as portfolio_comparison
    # publishes it (0.02169: its bill x 1.03 ** 3, 2024-04 -> 2027-06 = 3 whole 12-month steps, its PV not escalated).
    # 0.02013 and 0.02168 since the sun of the sunrise and sunset hours sits at the midpoint of the part of the hour
    # it is up (2026-12, dcplan.solar_position; were 0.02014 and 0.02169): its PV's extra light in the sunset hours
    # that set its on-peak demand lowers the bill 2,585 USD (2,976,410 -> 2,973,825, tests/test_battery_bill.py)
    assert ("; electricity 0.02013 USD per million tokens and 0.133 USD per installed GPU-hour at its tariff's prices "
            "(2024-03-08; the bill plus the on-site PV's annualised cost), rank 4 of 4 at 2027-06-01 prices; the rank "
            "compares the sites at 2027-06-01 prices, the latest of their tariffs' price dates (this site 2024-03-08, "
            "Research Triangle, NC 2026-01-01, Northern Virginia (Ashburn), VA 2026-01-01, Chicago, IL 2027-06-01), "
            "as the portfolio comparison does: each bill escalated to it at electricity_escalation_frac (+3.0%/yr) in "
            "whole 12-month steps, as the tco notebook escalates a bill (this site's by x1.0927, 1.03 ** 3: 0.02168 "
            "USD per million tokens at 2027-06-01 prices), so the rank rests in part on that assumed escalation, not "
            "on the tariffs alone;") in text, text
    assert "price dates, 3.2 years apart" not in text  # the old clause: the rank no longer compares years
    import yaml
    from conftest import bundled_site_copy
    files = [str(bundled_site_copy(tmp_path, "research-triangle-nc", sid)) for sid in ("rt-a", "rt-b")]
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": files}))
    two = load_portfolio(pf_file)
    v = site_verdict(two["rt-a"], pipeline.run_site_year(two["rt-a"]), two)
    # one tariff, one date: the clause as it was, the site's own cost, tied first (nothing escalated)
    r = v.peers.loc["rt-a"]
    cost = r["bill_usd"] + r["pv_annual_cost_usd"]
    m_tokens = (r["utilisation_frac"] * r["n_accelerators"] * r["tokens_per_s_per_accelerator"] * 3600
                * r["hours_h"] / 1e6)
    assert (f"; electricity {cost / m_tokens:.4g} USD per million tokens (rank 1 of 2; "
            f"{cost / (r['n_accelerators'] * r['hours_h']):.3f} USD per installed GPU-hour; the bill plus the on-site "
            "PV's annualised cost);") in v.text, v.text
    assert "prices" not in v.text and (v.peers["escalation_factor"] == 1.0).all()
