"""The winter-average sewer billing rule (finance.sewer_billing: winter_average; dcplan.tco_site_plant).

The City of Phoenix bills sewer on "the customer's average monthly water usage billed during the preceding
January, February and March" (phoenix.gov/waterservices/knowyourbill, primary), a business on 90 % of it
(AMWUA, "The Ins and Outs of Business Water Bills", 2014-08-04, secondary). data/SOURCES.md (Water and sewer
rates) derives for Phoenix's modelled typical year: January-March = 6.13 + 5.88 + 6.93 = 18.94 % of the year's
make-up, so 12 x 18.94 / 3 = 75.76 % billed, 68.19 % at the business 90 %. Expected figures below are computed
by hand from constructed monthly profiles, or from the plant model's hourly ``water_l`` grouped by month here,
not by the code under test.
"""
from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from dcplan.errors import InputError
from dcplan.pipeline import run_site_year
from dcplan.site import SiteError, _site_from_dict, load_site
from dcplan.tco import run_tco
from dcplan.tco_inputs import inputs_from_site, load_costs
from dcplan.tco_site_plant import site_sewer_billed, winter_average_billed_frac

ROOT = Path(__file__).resolve().parents[1]
PHOENIX = ROOT / "data" / "sites" / "phoenix-az.yaml"
RAW = yaml.safe_load(PHOENIX.read_text(encoding="utf-8"))
FILE = str(ROOT / "data" / "sites" / "px-sewer.yaml")  # a name in the sites folder: the relative files resolve


def _site(**finance):
    d = copy.deepcopy(RAW)
    d["finance"] = {k: v for k, v in d["finance"].items() if not k.startswith("sewer_")}
    # the file's source of its sewer rule goes with the rule (a source is only for a value the site sets)
    d["finance"]["sources"] = {k: v for k, v in d["finance"].get("sources", {}).items() if not k.startswith("sewer_")}
    d["finance"].update(finance)
    return _site_from_dict(d, FILE, "px-sewer")


@pytest.fixture(scope="module")
def phoenix_year():
    site = load_site("phoenix-az")
    return site, run_site_year(site)


def test_the_billed_share_of_a_constructed_year_by_hand():
    # make-up by month, Jan..Dec, in any unit: 2, 1, 3 in winter, the rest 4 each: a year of 6 + 9 x 4 = 42
    prof = [2, 1, 3] + [4] * 9
    # each month billed the Jan-Mar mean, (2 + 1 + 3) / 3 = 2, so a year bills 12 x 2 = 24 of 42
    assert winter_average_billed_frac(prof, [1, 2, 3]) == pytest.approx(24 / 42, rel=1e-12)
    assert winter_average_billed_frac(prof, [1, 2, 3], 0.9) == pytest.approx(0.9 * 24 / 42, rel=1e-12)
    # the months' order does not matter; one month alone: 12 x 1 of 42
    assert winter_average_billed_frac(prof, [3, 1, 2]) == pytest.approx(24 / 42, rel=1e-12)
    assert winter_average_billed_frac(prof, [2]) == pytest.approx(12 / 42, rel=1e-12)
    # December-February: (4 + 2 + 1) / 3 x 12 = 28 of 42
    assert winter_average_billed_frac(prof, [12, 1, 2]) == pytest.approx(28 / 42, rel=1e-12)


def test_a_constructed_profile_sets_the_tcos_sewer_line():
    site = _site(sewer_billing="winter_average", sewer_winter_months=[1, 2, 3], sewer_billed_share_frac=0.9)
    prof = tuple(float(x) for x in [2, 1, 3] + [4] * 9)
    inp = inputs_from_site(site, n_accelerators=1024, it_capacity_kw=1000.0, it_energy_kwh=5e6,
                           water_month_frac=prof, wue_l_per_kwh=2.0)  # no plant run: the caller's figures
    assert inp.sewer_billed_frac == pytest.approx(0.9 * 24 / 42, rel=1e-12)   # the caller's profile, above
    src = inp.sources["sewer_billed_frac"]
    assert src.startswith("derived: site.finance.sewer_billing: winter_average")
    assert "months 1, 2, 3" in src and "x 0.9 (site.finance.sewer_billed_share_frac)" in src
    # a full year after the build: sewer on that share of the make-up, water on all of it
    r = run_tco(inp, np.zeros(12))
    year = int(np.ceil(load_costs().loc["build_months", "value"] / 12)) + 1
    water, sewer = r.annual.loc["opex_water_usd", year], r.annual.loc["opex_sewer_usd", year]
    price_w = site.finance.costs["water_usd_per_m3"]
    price_s = load_costs().loc["sewer_usd_per_m3", "value"]                  # the estimate: Phoenix gives none
    assert sewer / water == pytest.approx(0.9 * 24 / 42 * price_s / price_w, rel=1e-9)


def test_a_winter_average_bills_the_same_every_month():
    # Phoenix bills every month on the winter average x 0.9, whatever the month's own make-up: a year's sewer in
    # 12 equal bills. Make-up 2.0 L/kWh x 5e6 kWh = 10,000 m3 a year, by month 2, 1, 3, then 4 each (of 42);
    # billed share 0.9 x 24 / 42 (the constructed year above), at the data/costs.csv sewer estimate
    site = _site(sewer_billing="winter_average", sewer_winter_months=[1, 2, 3], sewer_billed_share_frac=0.9)
    prof = tuple(float(x) for x in [2, 1, 3] + [4] * 9)
    inp = inputs_from_site(site, n_accelerators=1024, it_capacity_kw=1000.0, it_energy_kwh=5e6,
                           water_month_frac=prof, wue_l_per_kwh=2.0)
    r = run_tco(inp, np.zeros(12))
    costs = load_costs()
    year = int(np.ceil(costs.loc["build_months", "value"] / 12)) + 1      # the first full operating year
    infl = (1 + costs.loc["inflation_frac", "value"]) ** (year - 1)
    price_s, price_w = costs.loc["sewer_usd_per_m3", "value"], site.finance.costs["water_usd_per_m3"]
    rows = r.monthly.iloc[12 * (year - 1):12 * year]
    assert (rows["gpu_hours"] > 0).all()                                  # operating all year, at full build-out
    bill = 10_000 * 0.9 * 24 / 42 / 12 * price_s * infl                  # 658.93 USD a month in year 2
    np.testing.assert_allclose(rows["opex_sewer_usd"].to_numpy(), bill, rtol=1e-9)
    # the water stays seasonal: a January bills 2 / 42 of the year's make-up, a July 4 / 42
    cal = r.calendar_months[12 * (year - 1):12 * year].month
    water = dict(zip(cal, rows["opex_water_usd"]))
    assert water[1] == pytest.approx(10_000 * 2 / 42 * price_w * infl, rel=1e-9)
    assert water[7] == pytest.approx(10_000 * 4 / 42 * price_w * infl, rel=1e-9)
    # the year's sewer is the rule's: unchanged by spreading it evenly
    assert r.annual.loc["opex_sewer_usd", year] == pytest.approx(12 * bill, rel=1e-9)
    # the Assumptions say so: one row, 1/12, from the site's rule
    row = r.assumptions.set_index("key").loc["sewer_month_frac"]
    assert row["value"] == pytest.approx(1 / 12, rel=1e-12) and "the same every month" in row["description"]
    assert row["source"].startswith("derived: site.finance.sewer_billing: winter_average") and row["status"] == "derived"
    # on supply, sewer follows each month's make-up, as the water
    sup = inputs_from_site(_site(), n_accelerators=1024, it_capacity_kw=1000.0, it_energy_kwh=5e6,
                           water_month_frac=prof, wue_l_per_kwh=2.0)
    assert sup.sewer_month_frac is None
    assert run_tco(sup, np.zeros(12)).assumptions.set_index("key").loc["sewer_month_frac", "status"] == "not given"
    rs = run_tco(sup, np.zeros(12)).monthly.iloc[12 * (year - 1):12 * year]
    np.testing.assert_allclose(rs["opex_sewer_usd"] / rs["opex_water_usd"], price_s / price_w, rtol=1e-9)


def test_phoenix_bills_68_19_percent_of_its_make_up(phoenix_year):
    site, y = phoenix_year
    assert site.finance.sewer_billing == "winter_average"
    assert tuple(site.finance.sewer_winter_months) == (1, 2, 3) and site.finance.sewer_billed_share_frac == 0.9
    # the plant's hourly make-up by the month each hour starts in (hour-ending labels: the hour ending 00:00 on
    # 1 February is January's), computed here: groupby on the start times
    w = y.plant["water_l"]
    start = w.index - (w.index[1] - w.index[0])
    by = w.groupby(start.month).sum()
    assert len(w) == 8760                                 # weather year 2025: no 29 February to drop
    own = 12 * by.loc[[1, 2, 3]].mean() / by.sum() * 0.9
    # SOURCES.md's 68.19 % (rounded to 0.01 %): abs 5e-5
    assert own == pytest.approx(0.6819, abs=5e-5)
    assert by.loc[[1, 2, 3]].sum() / by.sum() == pytest.approx(0.1894, abs=5e-5)   # SOURCES.md's 18.94 %
    frac, src = site_sewer_billed(site, y)
    assert frac == pytest.approx(own, rel=1e-9)          # float summation only
    assert "12 x (6.13 % + 5.88 % + 6.93 %) / 3 x 0.9" in src
    # the TCO of the site takes it, with the year's make-up: sewer on 68.19 % of it at the estimate's price
    make_up_m3 = float(w.sum()) / 1000.0
    inp = inputs_from_site(site, n_accelerators=y.n_accelerators, it_capacity_kw=y.design_it_kw,
                           it_energy_kwh=float(y.it_kw.sum()), site_year=y)
    assert inp.sewer_billed_frac == pytest.approx(own, rel=1e-9)
    year = int(np.ceil(load_costs().loc["build_months", "value"] / 12)) + 1
    infl = (1 + load_costs().loc["inflation_frac", "value"]) ** (year - 1)
    sewer = run_tco(inp, np.zeros(12)).annual.loc["opex_sewer_usd", year]
    assert sewer == pytest.approx(make_up_m3 * own * 1.5 * infl, rel=1e-6)  # 1.5 USD/m3: data/costs.csv estimate


def test_the_sites_source_text_follows_the_rule():
    site = _site(sewer_billing="winter_average", sewer_winter_months=[1, 2, 3],
                 sources={**RAW["finance"]["sources"], "sewer_billing": "City of Phoenix, knowyourbill"})
    prof = tuple([1.0] * 12)                             # a flat year: all of it billed
    frac, src = site_sewer_billed(site, water_month_frac=prof)
    assert frac == pytest.approx(1.0, rel=1e-12)
    assert "x 1 (default 1)" in src and src.endswith("; site.finance.sources.sewer_billing: City of Phoenix, "
                                                      "knowyourbill")


def test_a_winter_above_the_years_average_is_refused():
    # winter months using more than the average month would bill more sewer than the water supplied
    site = _site(sewer_billing="winter_average", sewer_winter_months=[1, 2, 3])
    prof = tuple(float(x) for x in [5, 5, 5] + [1] * 9)   # 12 x 5 / 24 = 2.5 of the make-up
    with pytest.raises(InputError, match=r"months \[1, 2, 3\] use more make-up than the year's average month.*"
                                         r"= 2\.5 of the year's make-up.*allowed: winter months at or below") as e:
        site_sewer_billed(site, water_month_frac=prof)
    assert e.value.field == "finance.sewer_winter_months"


@pytest.mark.parametrize("finance, field, words", [
    ({"sewer_billing": "winter_average"}, "finance.sewer_winter_months",
     "required with sewer_billing: winter_average (got none); allowed: the calendar months"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": []}, "finance.sewer_winter_months",
     "got an empty list: the winter average needs at least one month; allowed: a non-empty list of distinct "
     "calendar months, 1 (January) to 12 (December)"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": [1, 2, 13]}, "finance.sewer_winter_months",
     "got [1, 2, 13], month 13 is no calendar month; allowed:"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": [0, 1]}, "finance.sewer_winter_months",
     "got [0, 1], month 0 is no calendar month; allowed:"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": [1, 1, 3]}, "finance.sewer_winter_months",
     "got [1, 1, 3], month 1 given twice; allowed:"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": [1, 2.5]}, "finance.sewer_winter_months",
     "month 2.5 is no calendar month"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": "1-3"}, "finance.sewer_winter_months",
     "got '1-3'; allowed: a non-empty list"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": [1, 2, 3], "sewer_billed_share_frac": 0},
     "finance.sewer_billed_share_frac",
     "got 0; allowed: a share of the winter average in (0, 1] (0 < share <= 1, e.g. 0.9"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": [1, 2, 3], "sewer_billed_share_frac": 90},
     "finance.sewer_billed_share_frac", "got 90 (a fraction: 0.10 for 10 %; for 90 % write 0.9); allowed: a share "
     "of the winter average in (0, 1]"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": [1, 2, 3], "sewer_billed_share_frac": 1.2},
     "finance.sewer_billed_share_frac", "got 1.2 (a fraction: 0.10 for 10 %; for 1.2 % write 0.012); allowed:"),
    ({"sewer_billing": "winter_average", "sewer_winter_months": [1, 2, 3], "sewer_billed_share_frac": -0.9},
     "finance.sewer_billed_share_frac", "got -0.9; allowed: a share of the winter average in (0, 1]"),
    ({"sewer_winter_months": [1, 2, 3]}, "finance.sewer_winter_months",
     "[1, 2, 3] is for sewer_billing: winter_average only, but sewer_billing is 'on_supply' (the default); "
     "allowed: set sewer_billing: winter_average, or leave sewer_winter_months out"),
    ({"sewer_billing": "on_discharge", "sewer_billed_share_frac": 0.9}, "finance.sewer_billed_share_frac",
     "0.9 is for sewer_billing: winter_average only, but sewer_billing is 'on_discharge'; allowed:"),
    ({"sewer_billing": "winter_average", "sewer_winter_month": [1, 2, 3]}, "finance.sewer_winter_month",
     "unknown key 'sewer_winter_month' (did you mean 'sewer_winter_months'?)"),
    ({"sewer_billing": "winter_averge", "sewer_winter_months": [1, 2, 3]}, "finance.sewer_billing",
     "unknown sewer billing 'winter_averge' (did you mean 'winter_average'?); allowed: on_supply"),
])
def test_bad_winter_input_is_refused_naming_file_field_value_and_what_is_allowed(finance, field, words):
    with pytest.raises(SiteError) as e:
        _site(**finance)
    msg = "\n".join(e.value.all_lines())
    assert any(ln.startswith(f"{FILE}: {field}: ") and words in ln for ln in msg.splitlines()), msg


@pytest.mark.parametrize("args, field", [
    (([1.0] * 12, [1, 13]), "finance.sewer_winter_months"),
    (([1.0] * 12, []), "finance.sewer_winter_months"),
    (([1.0] * 12, [1, 2], 0.0), "finance.sewer_billed_share_frac"),
    (([1.0] * 12, [1, 2], 1.5), "finance.sewer_billed_share_frac"),
    (([1.0] * 11, [1, 2]), "water_month_frac"),
    (([0.0] * 12, [1, 2]), "water_month_frac"),
    (([-1.0] + [1.0] * 11, [1, 2]), "water_month_frac"),
])
def test_the_function_refuses_what_the_spec_would(args, field):
    with pytest.raises(InputError) as e:
        winter_average_billed_frac(*args)
    assert e.value.field == field
