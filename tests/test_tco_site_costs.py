"""Which ``data/costs.csv`` rows a site's ``finance.costs`` may set (finance committee review, finding 1).

A copy of phoenix-az.yaml with ``finance: {costs: {delay_months: 6}}`` validated ok; the TCO used the
6 months (operations from month 17, not 12) while the headline, results.json (``delay_months`` 0) and
the export said the scenario's 0 months, and the default render failed in the export cell ("delay_months
0 is not the delay this run used (6 months ..."). The grid delay is the run's (the tco notebook's
scenario, from the site's ``interconnection:`` section), so the site file's key is refused, saying where
a delay is given. ``wue_l_per_kwh`` had the same kind of problem: accepted, then replaced by the cooling
plant's figure without a word. ``build_months`` is a cost-table input a site may set: labelled as the
site's, it moves the project start.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import yaml

from dcplan import tco, tco_export
from dcplan.errors import InputError
from dcplan.site import SiteError, load_portfolio, load_site
from dcplan.specs.finance import NOT_SITE_COSTS, FinanceSpec, site_cost_keys

from conftest import DATA

KW = dict(n_accelerators=3072, it_capacity_kw=5000.0, it_energy_kwh=3.5e7)
BILL = np.linspace(3e5, 4e5, 12)


def _site(tmp_path, costs: dict):
    d = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    d["weather"]["file"] = str(DATA / d["weather"]["file"])
    d["finance"] = {**d.get("finance", {}), "costs": {**d.get("finance", {}).get("costs", {}), **costs}}  # (its water)
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(d, sort_keys=False))
    return f


def test_a_grid_delay_in_the_site_costs_is_refused_saying_where_a_delay_is_given(tmp_path):
    f = _site(tmp_path, {"delay_months": 6})
    with pytest.raises(SiteError) as ei:
        load_site(f)
    line = next(l for l in ei.value.all_lines() if "finance.costs.delay_months" in l)
    assert line.startswith(f"{f}: finance.costs.delay_months: the grid energization delay is not a site cost input: "
                           "the tco notebook takes it from its scenario parameter (base: the planned energization "
                           "dates, 0 months; grid-delay-p50 / grid-delay-p90: the median / 90th percentile of the "
                           "site's own delay, dcplan.grid)")
    assert "give the site's wait for power in its interconnection: section (region, or time_to_power:" in line
    assert "run the tco notebook with -p scenario grid-delay-p50 or grid-delay-p90; got 6.0" in line
    # the keys a site may set, without the two it may not
    assert line.endswith(f"allowed in finance.costs: the other keys of data/costs.csv, {', '.join(site_cost_keys())}")
    assert "delay_months" not in line.split("allowed in finance.costs")[1]


def test_a_water_use_in_the_site_costs_is_refused_as_the_plant_models(tmp_path):
    with pytest.raises(SiteError, match=re.escape(
            "finance.costs.wue_l_per_kwh: the water use is not a site cost input: the tco notebook takes it from "
            "the site's cooling plant model")):
        load_site(_site(tmp_path, {"wue_l_per_kwh": 1.8}))


def test_the_refused_keys_are_rows_of_the_cost_table_and_no_bundled_site_sets_them():
    keys = tco.load_costs().index
    assert set(NOT_SITE_COSTS) == {"delay_months", "wue_l_per_kwh"} and set(NOT_SITE_COSTS) <= set(keys)
    assert site_cost_keys() == [k for k in keys if k not in NOT_SITE_COSTS]
    for site in load_portfolio().sites:
        assert not set(site.finance.costs) & set(NOT_SITE_COSTS), site.name
    # an unknown key's list of what is allowed leaves them out too
    with pytest.raises(Exception, match=re.escape(f"allowed: the keys of data/costs.csv, {', '.join(site_cost_keys())}")):
        FinanceSpec(costs={"no_such_cost": 1.0})


def test_a_site_built_without_the_file_check_is_refused_by_the_tco_inputs(tmp_path):
    """A spec changed in code (model_copy does not validate) meets the same rule in inputs_from_site."""
    site = load_site(_site(tmp_path, {}))
    bad = site.model_copy(update={"finance": site.finance.model_copy(update={"costs": {"delay_months": 6.0}})})
    with pytest.raises(InputError, match=r"delay_months: the grid energization delay is not a site cost input") as ei:
        tco.inputs_from_site(bad, **KW)
    assert ei.value.field == "finance.costs.delay_months"


def test_a_build_time_override_is_labelled_as_the_sites_and_moves_the_project_start(tmp_path):
    """build_months: 18 from the site file (data/costs.csv: 12): the Assumptions row names the site file
    (status input), operations start in month 18 (18 + 0 months of delay, the whole fleet's first tranche
    at offset 0), the project starts 18 months before the fleet's first start (phoenix-az.yaml:
    2026-10-01, so 2025-04), and the export's delay row and NPV label say 0 months."""
    site = load_site(_site(tmp_path, {"build_months": 18}))
    inp = tco.inputs_from_site(site, **KW, phases=tco.fleet_phases(site.fleet))
    r = tco.run_tco(inp, BILL)
    a = r.assumptions.set_index("key")
    assert a.loc["build_months", ["value", "source", "status"]].tolist() == [18.0, "site.finance.costs.build_months",
                                                                            "input"]
    assert a.loc["delay_months", "value"] == 0.0
    assert r.summary["operations_start_month"] == 18.0
    assert str(r.calendar_months[0]) == str(pd.Period("2026-10", "M") - 18) == "2025-04"
    summ = tco_export.workbook_frames(r, scenario="base", delay_months=0.0)["Summary"].set_index("key")
    assert summ.loc["delay_months", "value"] == 0.0
    assert "(scenario base: grid delay 0 months, the planned energization dates;" in summ.loc["npv_usd", "label"]
