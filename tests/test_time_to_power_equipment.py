"""Time to power: which part sets it (grid wait or the site's long-lead equipment), and the site
keys that say the equipment is already ordered or not needed.

A site-selection analyst gave Miami its own ``time_to_power`` (p10 12 / median 18 / p90 36 months,
filed 2025-03-01, a phase planned 2026-05-01) and read "First phase energized, median (lead time:
site figures): 2028-02-24" and a 35.8-month time to power: the date came from the bundled power
transformer (data/equipment_lead_times.csv, 130 / 150 / 208 weeks, ordered at filing), not from
the site's figures, and no site key could say the transformer was ordered or not needed. The
unknown-region error did not name ``time_to_power``.

Hand values: weeks to months at 365.25 / 12 days a month (dcplan.grid), 7 / 30.4375 months a week:
transformer 130 / 150 / 208 weeks = 29.8973 / 34.4969 / 47.8357 months; switchgear 46-48 weeks =
10.58-11.04 months (delivered before 12 months always, so the two items' median is the transformer's).
"""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from dcplan import grid
from dcplan.errors import InputError
from dcplan.site import SiteError, load_site
from dcplan.specs.interconnection import InterconnectionSpec

from conftest import MIAMI_TMY2

WEEK_MONTHS = 7 / (365.25 / 12)
TRANSFORMER = (130 * WEEK_MONTHS, 150 * WEEK_MONTHS, 208 * WEEK_MONTHS)  # 29.8973, 34.4969, 47.8357
SOURCE = "analyst estimate from FPL's 2025 large-load tariff filing"
#: what the driver words end with when both parts count (the median of the later of two dates)
LATER = "; the later of the two dates, drawn independently, so its median is at or above both"


def _ic(**kw) -> InterconnectionSpec:
    base = dict(time_to_power=dict(p10_months=12, median_months=18, p90_months=36, source=SOURCE),
                utility="Florida Power & Light", requested_mw=3.0, filed=dt.date(2025, 3, 1),
                phases=[dict(energized=dt.date(2026, 5, 1), mw=3.0)])
    base.update(kw)
    return InterconnectionSpec(**base)


def test_hand_values():
    assert TRANSFORMER == pytest.approx((29.8973, 34.4969, 47.8357), abs=1e-4)


# -- (a) the label says which part sets the date, with both medians -------------------------------

def test_the_testers_site_is_set_by_the_transformer_and_says_so():
    ic = _ic()
    ttp = grid.time_to_power(ic)
    # the equipment's median is the transformer's (switchgear is in by 11.04 months)
    assert ttp.loc[0.5, "equipment_months"] == pytest.approx(TRANSFORMER[1], abs=0.01)
    # the site file lists no equipment: dcplan's default list, said so (was "set by the equipment (...)": the
    # list is "a dcplan default, not a sourced figure", data/SOURCES.md)
    assert grid.time_to_power_driver(ic, ttp) == (
        "set by dcplan's default equipment list (power_transformer, switchgear, ordered at filing; the site file "
        "gives no interconnection.equipment), median 34.5 months; grid wait (site figures) median 18.0" + LATER)


def test_a_region_whose_wait_is_longer_says_the_grid_wait_sets_it():
    # nc-duke: p10 24 / median 36 / p90 60 months (data/interconnection.csv, status estimate) > 34.5
    ttp = grid.time_to_power("nc-duke")
    assert grid.time_to_power_driver("nc-duke", ttp) == (
        "set by the grid wait (estimate), median 36.0 months; "
        "dcplan's default equipment list (power_transformer, switchgear, ordered at filing) median 34.5" + LATER)
    # (was "equipment (power_transformer, ...)": a region key lists no equipment, so it is dcplan's default)


def test_no_equipment_says_the_grid_wait_alone():
    ic = _ic(equipment="none")
    assert grid.time_to_power_driver(ic, grid.time_to_power(ic)) == (
        "set by the grid wait (site figures) alone, median 18.0 months: no long-lead equipment "
        "(interconnection.equipment: none)")


# -- (b) equipment: none / a list / equipment_ordered -------------------------------------------

def test_equipment_none_makes_the_time_to_power_the_grid_wait():
    ic = _ic(equipment="none")
    ttp = grid.time_to_power(ic)
    # the grid wait alone: the site's own figures exactly
    assert ttp["time_to_power_months"].tolist() == pytest.approx([12.0, 18.0, 36.0], abs=1e-9)
    # planned 14 months after filing, median 18: 4 months late, filed + 18 months = 2026-09-01
    assert grid.first_power(grid.energization_dates(ic))["date"] == dt.datetime(2026, 9, 1)
    # the default (transformer ordered at filing) is what the tester saw: later than the grid wait
    assert grid.time_to_power(_ic()).loc[0.5, "time_to_power_months"] > TRANSFORMER[1]


def test_equipment_ordered_before_filing_moves_the_deliveries_earlier():
    # grid wait known to the month (1 / 1 / 1), the transformer alone, ordered 12 months before filing:
    # time to power = the transformer's lead time less 12 months
    ic = _ic(time_to_power=dict(p10_months=1, median_months=1, p90_months=1, source=SOURCE),
             equipment=["power_transformer"], equipment_ordered=dt.date(2024, 3, 1))
    assert grid.equipment_plan(ic) == (("power_transformer",), -12.0)
    ttp = grid.time_to_power(ic)
    assert ttp["time_to_power_months"].tolist() == pytest.approx([t - 12 for t in TRANSFORMER], abs=0.01)
    assert grid.time_to_power_driver(ic, ttp) == (
        "set by the equipment (power_transformer, ordered 2024-03-01), median 22.5 months; "
        "grid wait (site figures) median 1.0" + LATER)
    # the median date: filed + 22.4969 months = 2027-01-01 + 0.4969 x 31 days (15.4) = 2027-01-16
    assert grid.first_power(grid.energization_dates(ic))["date"] == dt.datetime(2027, 1, 16)
    # an explicit argument still wins over the site's date (ordered at filing)
    again = grid.time_to_power(ic, order_delay_months=0.0)["time_to_power_months"].tolist()
    assert again == pytest.approx(list(TRANSFORMER), abs=0.01)


def test_a_distribution_served_site_with_switchgear_only():
    ic = _ic(equipment=["switchgear"])
    # switchgear is in by 11.04 months, the grid's p10 is 12: the grid wait sets every quantile
    assert grid.time_to_power(ic)["time_to_power_months"].tolist() == pytest.approx([12.0, 18.0, 36.0], abs=0.01)


def test_the_tco_delay_reads_the_same_equipment():
    from dcplan.tco_delay import scenario_delay_months, site_delay_percentiles
    # equipment none: delay = the grid wait less the 14 planned months: p10 12 -> 0, median 18 -> 4, p90 36 -> 22
    assert site_delay_percentiles(_ic(equipment="none")).tolist() == pytest.approx([0.0, 4.0, 22.0], abs=1e-9)
    assert scenario_delay_months("grid-delay-p50", _ic(equipment="none")) == pytest.approx(4.0, abs=1e-9)


def _yaml(tmp_path, **interconnection):
    raw = {
        "name": "Miami, FL", "latitude": 25.8, "longitude": -80.27, "timezone": "America/New_York",
        "elevation_m": 2,
        "weather": {"file": str(MIAMI_TMY2), "format": "tmy2", "year": 2025, "source": "NREL TMY2 12839"},
        "fleet": {"phases": [{"hardware": "hgx-h200", "count": 128, "start": dt.date(2026, 5, 1)}],
                  "workload": "mixed", "utilisation_frac": 0.7},
        "interconnection": {"utility": "Florida Power & Light", "requested_mw": 3, "filed": dt.date(2025, 3, 1),
                            "time_to_power": {"p10_months": 12, "median_months": 18, "p90_months": 36,
                                              "source": SOURCE},
                            "phases": [{"energized": dt.date(2026, 5, 1), "mw": 3}], **interconnection},
    }
    f = tmp_path / "miami-fl.yaml"
    f.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return f


def test_the_site_file_keys_load(tmp_path):
    ic = load_site(_yaml(tmp_path, equipment="none")).interconnection
    assert ic.equipment == "none"
    ic = load_site(_yaml(tmp_path, equipment=["switchgear"], equipment_ordered=dt.date(2024, 6, 1))).interconnection
    assert ic.equipment == ("switchgear",) and ic.equipment_ordered == dt.date(2024, 6, 1)


@pytest.mark.parametrize("keys, message", [
    (dict(equipment="power_transformer"),
     "interconnection.equipment: 'power_transformer' is one item: give a list, equipment: [power_transformer]; "
     "allowed: none, or a list of items of data/equipment_lead_times.csv"),
    (dict(equipment=["transformer"]),
     "interconnection.equipment: unknown item 'transformer' (did you mean 'power_transformer'?); allowed: chiller, "
     "generator, power_transformer, switchgear, ups (data/equipment_lead_times.csv), or equipment: none"),
    (dict(equipment=[]), "interconnection.equipment: is an empty list; for no long-lead equipment write equipment: none"),
    (dict(equipment=["switchgear", "switchgear"]),
     "interconnection.equipment: lists an item twice: ['switchgear', 'switchgear']; give each item once"),
    (dict(equipment="none", equipment_ordered=dt.date(2024, 6, 1)),
     "interconnection: equipment_ordered 2024-06-01 with equipment: none: there is no long-lead equipment to order"),
    (dict(equipment_ordered=dt.date(2015, 2, 28)),
     "interconnection: equipment_ordered 2015-02-28 is more than 120 months before filed (2025-03-01); allowed: "
     "2015-03-01 to 2075-03-01"),
    (dict(equipment_ordered=dt.date(2205, 3, 1)),
     "interconnection: equipment_ordered 2205-03-01 is more than 600 months after filed (2025-03-01); allowed: "
     "2015-03-01 to 2075-03-01 (a mistyped year?)"),
])
def test_bad_equipment_keys_are_refused_with_the_field_and_what_is_allowed(tmp_path, keys, message):
    with pytest.raises(SiteError) as ei:
        load_site(_yaml(tmp_path, **keys))
    lines = ei.value.all_lines()
    assert any(message in line for line in lines), lines


def test_ten_years_before_filing_is_the_models_range():
    # the earliest order date allowed is exactly -120 months, which dcplan.grid.time_to_power takes
    ic = _ic(equipment_ordered=dt.date(2015, 3, 1))
    assert grid.equipment_plan(ic)[1] == -120.0
    grid.time_to_power(ic)  # no InputError


# -- (d) the unknown-region error names time_to_power -------------------------------------------

HINT = ("For a region the table has no row for, drop region and give the site's own figures: "
        'time_to_power: {p10_months: ..., median_months: ..., p90_months: ..., source: "..."}')


def test_unknown_region_names_time_to_power(tmp_path):
    with pytest.raises(InputError) as ei:
        grid.region_lead_time("fl-fpl")
    assert str(ei.value).endswith("(data/interconnection.csv). " + HINT)
    raw = yaml.safe_load(_yaml(tmp_path).read_text())
    del raw["interconnection"]["time_to_power"]
    raw["interconnection"]["region"] = "fl-fpl"
    f = tmp_path / "fl.yaml"
    f.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(SiteError) as si:
        load_site(f)
    assert any("interconnection.region: unknown region 'fl-fpl'" in ln and ln.endswith(HINT)
               for ln in si.value.all_lines()), si.value.all_lines()


# -- (a) in the reports: site_analysis and interconnection -----------------------------------------

@pytest.mark.slow
def test_the_reports_say_the_transformer_sets_the_testers_date(tmp_path):
    import json
    from dcplan.report import render
    _yaml(tmp_path)
    pf = tmp_path / "pf.yaml"
    pf.write_text("name: t\nsites: [miami-fl.yaml]\n")
    s = render(portfolio=pf, notebooks=["site_analysis", "interconnection"], out=tmp_path / "r", jobs=1,
               progress=False)
    assert s.ok, s.table()
    res = {nb: json.loads((tmp_path / "r" / "miami-fl" / nb / "results.json").read_text())["results"]
           for nb in ("site_analysis", "interconnection")}
    # (was "set by the equipment (...)": the site file lists none, so the label names dcplan's default list)
    driver = ("set by dcplan's default equipment list (power_transformer, switchgear, ordered at filing; the site "
              "file gives no interconnection.equipment), median 34.5 months; grid wait (site figures) median 18.0"
              + LATER)
    sa, ic = res["site_analysis"], res["interconnection"]
    assert sa["first_energized_p50"]["label"] == f"First phase energized, median ({driver})"
    # the label ends at the driver's words; the caveats (grid_lead_time.time_to_power_caveats: drawn independently,
    # commissioning not modelled) are their own text figure, not a headline (they made the label ~1,260 characters)
    assert sa["time_to_power_median_months"]["label"] == f"Time to power from filing (2025-03-01), median ({driver})"
    assert ic["time_to_power_median_months"]["label"] == f"Time to power from filing, median ({driver})"
    # one name for the one median in both reports (interconnection's was time_to_power_p50_months: a reader of
    # results.json could not tell it was the same figure)
    assert ic["time_to_power_median_months"]["value"] == sa["time_to_power_median_months"]["value"]
    assert not [k for d in res.values() for k in d if k.startswith("time_to_power_p50")]
    for r in (sa, ic):
        cav = r["time_to_power_caveats"]
        assert cav["value"].startswith("The grid wait and the equipment are drawn independently")
        assert not cav["headline"]
        assert "commissioning after delivery are not modelled" in cav["value"]
    assert ic["first_energized_p50"]["label"] == f"First phase energized, median ({driver})"
    assert not any("lead time: site figures" in r["label"] for d in res.values() for r in d.values())
    # the interconnection notebook's default order date is the site's (none given: at filing)
    nb = json.loads((tmp_path / "r" / "miami-fl" / "interconnection" / "notebook.ipynb").read_text())
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert ("long-lead equipment (power_transformer, switchgear: data/equipment_lead_times.csv, ordered at "
            "filing)") in text
