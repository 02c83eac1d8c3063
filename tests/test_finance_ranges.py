"""A site's own tornado and Monte Carlo range of a data/costs.csv input (``finance.ranges``,
dcplan.specs.finance_ranges): refused at load when wrong, taken by default_ranges, drawn by the Monte Carlo and
named as the site's in the range tables.

The bundled phoenix-az is billed at APS prices that predate Docket E-01345A-25-0105 (+45 % proposed for the
extra-high-load-factor class): its file sets ``electricity_cost_mult`` 0.8-1.45. Expected values are derived
here (the triangular distribution's closed forms; the data/costs.csv row read as text), not read back from
dcplan's helpers.
"""
from __future__ import annotations

import copy
import csv
import math
from pathlib import Path

import pytest
import yaml

from dcplan.site import SiteError, _site_from_dict, load_site
from dcplan.tariff_pending import pending_change_text
from dcplan.tco import TcoInputs, run_tco
from dcplan.tco_inputs import inputs_from_site
from dcplan.tco_ranges import default_distributions, default_ranges
from dcplan.tco_tornado_table import range_statuses
from dcplan.tco_uncertainty import monte_carlo, tornado

ROOT = Path(__file__).resolve().parents[1]
PHOENIX = ROOT / "data" / "sites" / "phoenix-az.yaml"
RAW = yaml.safe_load(PHOENIX.read_text(encoding="utf-8"))
FILE = str(ROOT / "data" / "sites" / "px-ranges.yaml")  # a name in the sites folder: the relative files resolve

# the docket's largest proposed change (ACC Docket E-01345A-25-0105, data/tariffs/aps-az-e32-tou-l.json)
HIGH = 1.45


def _csv_row(key: str) -> tuple[float, float, float]:
    """data/costs.csv's (value, low, high) of ``key``, read as text (not through dcplan.tco_cost_table)."""
    lines = [ln for ln in (ROOT / "data" / "costs.csv").read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    for row in csv.DictReader(lines):
        if row["key"] == key:
            return float(row["value"]), float(row["low"]), float(row["high"])
    raise KeyError(key)


def _site(ranges):
    d = copy.deepcopy(RAW)
    d["finance"] = {**{k: v for k, v in d["finance"].items() if k != "ranges"}, "ranges": ranges}
    return _site_from_dict(d, FILE, "px-ranges")


def _inputs(site):
    # the water use given: the site's plant model (a year's pipeline run) is not what these tests are about
    return inputs_from_site(site, n_accelerators=3072, it_capacity_kw=4000.0, it_energy_kwh=2.0e7, wue_l_per_kwh=0.3)


@pytest.mark.parametrize("ranges, field, words", [
    ({"electricity_cost_mul": {"low": 0.8, "high": 1.45, "source": "docket"}},
     "finance.ranges.electricity_cost_mul", "did you mean 'electricity_cost_mult'"),
    ({"delay_months": {"low": 0, "high": 12, "source": "docket"}}, "finance.ranges.delay_months",
     "interconnection: section"),
    ({"wue_l_per_kwh": {"low": 0.1, "high": 1.0, "source": "x"}}, "finance.ranges.wue_l_per_kwh", "plant model"),
    ({"electricity_cost_mult": {"low": 0.8, "high": 1.45}}, "finance.ranges.electricity_cost_mult.source",
     "required"),
    ({"electricity_cost_mult": {"low": 0.8, "high": 1.45, "source": "   "}},
     "finance.ranges.electricity_cost_mult.source", "non-empty text"),
    ({"electricity_cost_mult": {"low": 1.2, "high": 0.8, "source": "x"}}, "finance.ranges.electricity_cost_mult",
     "low 1.2 is not below high 0.8; allowed: low < high"),
    # 145 typed for 1.45: outside the catalog band 0.25-4 x, which names the percentage
    ({"electricity_cost_mult": {"low": 0.8, "high": 145, "source": "x"}},
     "finance.ranges.electricity_cost_mult.high", "145 x is above the plausible band"),
    ({"electricity_cost_mult": {"low": 0.8, "high": float("inf"), "source": "x"}},
     "finance.ranges.electricity_cost_mult.high", "finite"),
    ({"tax_rate_frac": {"low": 0.21, "high": 25, "source": "x"}}, "finance.ranges.tax_rate_frac.high",
     "got 25"),
    # the base the TCO takes (1.0, the costs.csv value) below the low end
    ({"electricity_cost_mult": {"low": 1.1, "high": 1.45, "source": "x"}},
     "finance.ranges.electricity_cost_mult.low", "allowed: low <= 1 <= high"),
    ({"electricity_cost_mult": {"low": 0.8, "hi": 1.45, "source": "x"}},
     "finance.ranges.electricity_cost_mult.hi", "did you mean 'high'"),
])
def test_a_wrong_range_is_refused_naming_file_field_value_and_what_is_allowed(ranges, field, words):
    with pytest.raises(SiteError) as e:
        _site(ranges)
    msg = "\n".join(e.value.all_lines())  # every problem: file: field: message
    assert any(ln.startswith(f"{FILE}: {field}: ") and words in ln for ln in msg.splitlines()), msg


def test_base_is_checked_against_the_sites_own_value():
    # finance.costs sets the case's multiplier at 1.16 (the +16 % average): a range 1.2-1.45 leaves it out ...
    d = copy.deepcopy(RAW)
    d["finance"]["costs"] = {**d["finance"].get("costs", {}), "electricity_cost_mult": 1.16}  # (and its water price)
    d["finance"]["ranges"] = {"electricity_cost_mult": {"low": 1.2, "high": 1.45, "source": "x"}}
    with pytest.raises(SiteError, match=r"finance\.ranges\.electricity_cost_mult\.low: 1\.2 leaves out the base value "
                                        r"the TCO takes, 1\.16 \(finance\.costs\.electricity_cost_mult\)"):
        _site_from_dict(d, FILE, "px-ranges")
    # ... while 1.0-1.45 contains it
    d["finance"]["ranges"] = {"electricity_cost_mult": {"low": 1.0, "high": 1.45, "source": "x"}}
    assert _site_from_dict(d, FILE, "px-ranges").finance.ranges["electricity_cost_mult"].low == 1.0


def test_the_bundled_phoenix_range_is_the_dockets_proposal_with_its_source():
    r = load_site("phoenix-az").finance.ranges["electricity_cost_mult"]
    assert (r.low, r.high) == (0.8, HIGH)
    assert "E-01345A-25-0105" in r.source and "+45 %" in r.source


def test_default_ranges_take_the_sites_range_and_leave_other_sites_alone():
    _, lo_csv, hi_csv = _csv_row("electricity_cost_mult")
    assert (lo_csv, hi_csv) == (0.8, 1.2)  # the generic row, data/costs.csv
    inp = _inputs(load_site("phoenix-az"))
    assert default_ranges(inp)["electricity_cost_mult"] == (0.8, HIGH)
    assert default_distributions(inp)["electricity_cost_mult"] == ("triangular", 0.8, 1.0, HIGH)
    # every other input keeps its range: the same as a site without finance.ranges
    plain = _inputs(_site({}))
    assert {k: v for k, v in default_ranges(inp).items() if k != "electricity_cost_mult"} == \
        {k: v for k, v in default_ranges(plain).items() if k != "electricity_cost_mult"}
    assert default_ranges(plain)["electricity_cost_mult"] == (lo_csv, hi_csv)
    for other in ("northern-virginia", "chicago-il", "research-triangle-nc"):
        s = load_site(other)
        assert dict(s.finance.ranges) == {}
        assert default_ranges(_inputs(s))["electricity_cost_mult"] == (lo_csv, hi_csv), other


def test_a_site_range_on_an_input_costs_csv_gives_no_range(monkeypatch):
    """A row of data/costs.csv with no range (low == high == value: none in the bundled file, so one is made here
    by setting water_usd_per_m3's low and high to its value) is left out of the default keys, unless the site gives
    it a range of its own: then it is swung over that range, as absolute bounds."""
    import dcplan.tco_ranges as tr
    value, _, _ = _csv_row("water_usd_per_m3")
    real = tr.load_costs

    def flat_water(*a, **k):
        t = real(*a, **k).copy()
        t.loc["water_usd_per_m3", ["low", "high"]] = value
        return t
    monkeypatch.setattr(tr, "load_costs", flat_water)
    assert "water_usd_per_m3" not in default_ranges(TcoInputs(8, 100.0, 1e5))  # no range, none given
    inp = TcoInputs(8, 100.0, 1e5, ranges={"water_usd_per_m3": (1.0, 9.0, "utility quote")})
    assert default_ranges(inp)["water_usd_per_m3"] == (1.0, 9.0)  # the default keys take the site's own
    assert default_ranges(inp, keys=["water_usd_per_m3"]) == {"water_usd_per_m3": (1.0, 9.0)}


def test_monte_carlo_draws_the_multiplier_above_1_2():
    # triangular(a=0.8, c=1.0, b=1.45): mean (a + b + c) / 3 = 3.25 / 3 = 1.08333; P(x > 1.2) = (b - x)^2 /
    # ((b - a)(b - c)) = 0.25^2 / (0.65 x 0.45) = 0.0625 / 0.2925 = 0.213675; sd^2 = (a^2 + b^2 + c^2 - ab - ac - bc)
    # / 18 = 0.3325 / 18. Tolerances: 5 standard errors of the mean and of the share over n draws.
    a, c, b, n = 0.8, 1.0, HIGH, 20_000
    mean, p_above = (a + b + c) / 3, (b - 1.2) ** 2 / ((b - a) * (b - c))
    assert mean == pytest.approx(1.0833333, abs=1e-7) and p_above == pytest.approx(0.2136752, abs=1e-7)
    sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
    inp = TcoInputs(n_accelerators=3072, it_capacity_kw=4000.0, it_energy_kwh=2.0e7,
                    ranges={"electricity_cost_mult": (a, b, "docket")})
    mc = monte_carlo(inp, 4.0e6, default_distributions(inp, keys=["electricity_cost_mult"]), n_draws=n, seed=0)
    x = mc["electricity_cost_mult"].to_numpy()
    assert x.max() > 1.4 and x.min() >= a and x.max() <= b
    assert x.mean() == pytest.approx(mean, abs=5 * sd / math.sqrt(n))
    assert (x > 1.2).mean() == pytest.approx(p_above, abs=5 * math.sqrt(p_above * (1 - p_above) / n))
    # the old range never reaches above 1.2
    old = TcoInputs(n_accelerators=3072, it_capacity_kw=4000.0, it_energy_kwh=2.0e7)
    mc_old = monte_carlo(old, 4.0e6, default_distributions(old, keys=["electricity_cost_mult"]), n_draws=2000, seed=0)
    assert mc_old["electricity_cost_mult"].max() <= 1.2


def test_tornado_swings_the_sites_ends_and_the_tables_name_them():
    inp = TcoInputs(n_accelerators=3072, it_capacity_kw=4000.0, it_energy_kwh=2.0e7,
                    ranges={"electricity_cost_mult": (0.8, HIGH, "ACC Docket E-01345A-25-0105: +45 % proposed")})
    row = tornado(inp, 4.0e6, ranges=default_ranges(inp, keys=["electricity_cost_mult"])).iloc[0]
    assert (row["low"], row["high"]) == (0.8, HIGH)
    assert range_statuses(["electricity_cost_mult", "server_usd_per_accelerator"], inp)[0].startswith("the site's own")
    a = run_tco(inp, 4.0e6).assumptions.set_index("key")
    src, status = a.loc["electricity_cost_mult", "source"], a.loc["electricity_cost_mult", "status"]
    assert "site.finance.ranges.electricity_cost_mult" in src and "E-01345A-25-0105" in src
    assert "range 0.8-1.45" in src and "not data/costs.csv's (0.8-1.2)" in src
    assert status.endswith("(range: the site's own)")
    # an input without a site range keeps its costs.csv source alone
    assert "finance.ranges" not in a.loc["server_usd_per_accelerator", "source"]


def test_the_pending_rate_caveat_names_whose_range_covers_the_proposal():
    meta = {"startdate": "2024-03-08", "dcplan_pending_rate_change": {
        "summary": "rate case", "source": "docket", "effective_earliest": "2026-07-08", "change_frac_high": 0.45}}
    old = pending_change_text(meta, "2026-10", (0.8, 1.2))
    assert "beyond the TCO's electricity_cost_mult range (0.8-1.2, data/costs.csv)" in old
    assert "finance.ranges.electricity_cost_mult: {low: 0.8, high: 1.45" in old
    new = pending_change_text(meta, "2026-10", (0.8, 1.45), "site.finance.ranges.electricity_cost_mult")
    assert "within the TCO's electricity_cost_mult range (0.8-1.45, site.finance.ranges.electricity_cost_mult)" in new


@pytest.mark.parametrize("ranges, words", [
    ({"electricity_cost_mul": (0.8, 1.45, "x")}, "did you mean 'electricity_cost_mult'"),
    ({"electricity_cost_mult": (1.45, 0.8, "x")}, "not below high"),
    ({"electricity_cost_mult": (0.8, 1.45, "")}, "non-empty text"),
    ({"electricity_cost_mult": (0.8, 1.45)}, "need (low, high, source)"),
])
def test_tco_inputs_ranges_are_checked(ranges, words):
    from dcplan.errors import InputError
    with pytest.raises(InputError, match=r"ranges") as e:
        TcoInputs(8, 100.0, 1e5, ranges=ranges)
    assert words in str(e.value)


# A case built by an API caller: the site file's checks of finance.ranges (dcplan.specs.finance_ranges), which
# TcoInputs did not apply (it accepted each of these). data/costs.csv: revenue_usd_per_gpu_h 4.916 (its default,
# the TCO's base without an override); discount_rate_frac must be a rate in [0, 1]; the revenue price's plausible
# band is 0.6-30 USD/GPU-h (dcplan.catalog_bands).
@pytest.mark.parametrize("ranges, costs, field, words", [
    ({"delay_months": (0.0, 12.0, "x")}, {}, "ranges.delay_months", "the grid delay's range is the site's own"),
    ({"wue_l_per_kwh": (0.1, 2.0, "x")}, {}, "ranges.wue_l_per_kwh", "spread about the site's own plant model"),
    ({"revenue_usd_per_gpu_h": (5.0, 7.0, "quote")}, {}, "ranges.revenue_usd_per_gpu_h.low",
     "5.0 leaves out the base value the TCO takes, 4.916 (data/costs.csv, the air-cooled default)"),
    ({"revenue_usd_per_gpu_h": (2.0, 3.0, "quote")}, {"revenue_usd_per_gpu_h": 4.0},
     "ranges.revenue_usd_per_gpu_h.high", "3.0 leaves out the base value the TCO takes, 4 (costs.revenue_usd_per"),
    ({"discount_rate_frac": (-0.5, 0.1, "x")}, {}, "ranges.discount_rate_frac.low",
     "must be a rate per year in [0, 1] as a fraction (0.08 for 8 %), got -0.5"),
    ({"revenue_usd_per_gpu_h": (0.01, 6.0, "x")}, {}, "ranges.revenue_usd_per_gpu_h.low",
     "below the plausible band"),
])
def test_tco_inputs_ranges_get_the_site_files_checks(ranges, costs, field, words):
    from dcplan.errors import InputError
    with pytest.raises(InputError) as e:
        TcoInputs(8, 100.0, 1e5, costs=costs, ranges=ranges)
    assert e.value.field == field and words in str(e.value)
    assert "allowed" in str(e.value) or "must be" in str(e.value)  # and what is allowed


def test_tco_inputs_ranges_that_hold_the_base_or_a_scenarios_value_pass():
    own = {"revenue_usd_per_gpu_h": (5.0, 7.0, "signed offtake")}
    # the case's own price inside its own range (ends inclusive, as the site file's check)
    assert TcoInputs(8, 100.0, 1e5, costs={"revenue_usd_per_gpu_h": 5.0}, ranges=own).ranges == own
    # a named scenario's value outside it is the scenario's to hold (default_ranges widens the range to it)
    inp = TcoInputs(8, 100.0, 1e5, costs={"revenue_usd_per_gpu_h": 4.0}, ranges=own,
                    sources={"revenue_usd_per_gpu_h": "scenario low-price: the site's range's low"})
    assert default_ranges(inp, keys=["revenue_usd_per_gpu_h"]) == {"revenue_usd_per_gpu_h": (4.0, 7.0)}


def test_the_tornado_sources_table_lists_a_site_range_outside_its_top_bars():
    from dcplan.tco_tornado_table import tornado_sources_table
    # water's price moves the NPV little: outside the top 3 bars, listed all the same, named as the site's
    inp = TcoInputs(n_accelerators=3072, it_capacity_kw=4000.0, it_energy_kwh=2.0e7,
                    ranges={"water_usd_per_m3": (1.0, 9.0, "utility quote 2026")})
    tr = tornado(inp, 4.0e6)
    assert "water_usd_per_m3" not in set(tr.head(3)["input"])
    table = tornado_sources_table(run_tco(inp, 4.0e6), tr, inp, top=3)
    row = table.loc["water_usd_per_m3"]
    assert (row["low"], row["high"]) == ("1", "9")
    assert row["range_status"].startswith("the site's own") and "utility quote 2026" in row["source"]
    # the export's Sensitivity sheet says the same in its range_source column (once: not again in the note)
    from dcplan.tco_export import _sensitivity
    sheet, about = _sensitivity(tr)
    water = sheet.set_index("input").loc["water_usd_per_m3"]
    assert "site.finance.ranges.water_usd_per_m3" in water["range_source"]
    assert "utility quote 2026" in water["range_source"] and "utility quote 2026" not in water["note"]
    assert "the site's own range, finance.ranges" in about
    assert "finance.ranges" not in sheet.set_index("input").loc["electricity_cost_mult", "range_source"]
    # said once in the report's table (the Assumptions' source carries it already)
    assert row["source"].count("utility quote 2026") == 1


def test_a_copy_with_other_costs_keeps_the_sites_range():
    """TcoInputs.with_costs copied the fields one by one and left out ``ranges`` (added after it was written): a
    tornado end or Monte Carlo draw of build_months (dcplan.tco_revalue.overrun_inputs) lost Phoenix's 0.8-1.45,
    and default_ranges of such a copy swung data/costs.csv's 0.8-1.2 again."""
    from dcplan.tco_revalue import overrun_inputs
    own = {"electricity_cost_mult": (0.8, HIGH, "ACC Docket E-01345A-25-0105")}
    src = {"discount_rate_frac": "site.finance.discount_rate_frac"}
    inp = TcoInputs(n_accelerators=3072, it_capacity_kw=4000.0, it_energy_kwh=2.0e7, fleet_start="2026-10-01",
                    costs={"build_months": 12.0}, ranges=own, cooling_type="liquid", sources=src)
    w = inp.with_costs(server_usd_per_accelerator=40_000.0, utilization_frac=0.7)
    late = overrun_inputs(inp, 18.0)  # 6 months' overrun: the fleet starts 2027-04
    for c in (w, late):
        assert c.ranges == own and c.cooling_type == "liquid"
        assert default_ranges(c, keys=["electricity_cost_mult"]) == {"electricity_cost_mult": (0.8, HIGH)}
    assert w.costs == {"build_months": 12.0, "server_usd_per_accelerator": 40_000.0}
    assert w.utilization_frac == 0.7 and inp.utilization_frac == 0.8  # the original is untouched
    assert dict(w.sources) == src and str(w.fleet_start) == "2026-10" and str(late.fleet_start) == "2027-04"


def test_a_scenario_is_the_same_for_every_site_and_says_so_where_the_site_has_its_own_range():
    """The named scenarios (dcplan.tco_inputs.SCENARIOS) are deliberately site-independent: low-price's 1.99
    USD/GPU-h (data/costs.csv's low, RunPod H100) at every site, so the index's NPVs of one scenario compare. A site
    that sets its own price range (here a hand-built 4-7 USD/GPU-h on phoenix-az, whose base is data/costs.csv's
    4.916) keeps that value, and the scenario's labels say it is not the site's range (they said nothing)."""
    from dcplan.tco_mc_notes import scenario_held_text
    from dcplan.tco_tornado_table import notebook_sources
    site = _site({"revenue_usd_per_gpu_h": {"low": 4.0, "high": 7.0, "source": "offtake term sheet, 2026"}})
    inp = inputs_from_site(site, n_accelerators=3072, it_capacity_kw=4000.0, it_energy_kwh=2.0e7, wue_l_per_kwh=0.3,
                           sources=notebook_sources("low-price", False), revenue_usd_per_gpu_h=1.99,
                           revenue_escalation_frac=-0.10)
    assert inp.params()["revenue_usd_per_gpu_h"] == 1.99  # the scenario's value, not the site's low 4
    mine = ("revenue_usd_per_gpu_h 1.99 is data/costs.csv's low, the same for every site: not the site's own range "
            "4-7 (site.finance.ranges.revenue_usd_per_gpu_h), below it")
    # the Monte Carlo's label of what the scenario holds
    assert scenario_held_text("low-price", None, inp) == (
        "revenue_usd_per_gpu_h at 1.99 and revenue_escalation_frac at -0.1 in every draw: scenario low-price "
        f"(scenario low-price's {mine})")
    # the Assumptions' source of the price (the escalation has no site range: its source unchanged)
    a = run_tco(inp, 4.0e6).assumptions.set_index("key")["source"]
    assert a["revenue_usd_per_gpu_h"].startswith("scenario low-price: data/costs.csv row revenue_usd_per_gpu_h's low")
    assert mine in a["revenue_usd_per_gpu_h"]
    assert "finance.ranges" not in a["revenue_escalation_frac"].split("range")[0]
    assert "the same for every site" not in a["revenue_escalation_frac"]
    # without a site range of its inputs, or a scenario that sets none: nothing added
    assert scenario_held_text("low-price", None, _inputs(_site({}))).endswith("in every draw: scenario low-price")
    from dcplan.tco_inputs import scenario_range_text
    assert scenario_range_text("base", inp.ranges) == ""
    # the workbook's Summary scenario row says it too (it said only what the scenario sets), as the notebook's
    # published scenario label does: the notebook gives the export the case's ranges
    from dcplan.tco_export import workbook_frames
    r = run_tco(inp, 4.0e6)
    note = workbook_frames(r, scenario="low-price", ranges=inp.ranges)["Summary"].set_index("key").at["scenario",
                                                                                                        "note"]
    assert note == ("low-price: revenue_usd_per_gpu_h = 1.99; revenue_escalation_frac = -0.1; scenario low-price's "
                    + mine)
    assert "site's own range" not in workbook_frames(r, scenario="low-price")["Summary"].set_index("key").at[
        "scenario", "note"]  # no ranges given: what the scenario sets only
    assert "ranges=inputs.ranges)" in (ROOT / "tools" / "build_tco.py").read_text()
