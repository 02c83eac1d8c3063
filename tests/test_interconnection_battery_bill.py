"""The interconnection report of a site battery dispatched for the least bill (``target: bill``).

A planner-tester's finding (Phoenix with a 3 MW / 12 MWh battery, target bill, under APS's tariff,
whose demand charge measures weekday afternoons only): the headline "mean monthly peak reduction,
PV + the site's battery" was -1,699 kW, unexplained, and the section's prose said the battery "shaves each
month's peak with a threshold dispatch". The bill's least-cost dispatch charges in hours no demand charge
measures, above the facility's own peak: the year's peak grid import rises, and the grid connection must
carry it. The report now says so, with the figures of the site chain's own dispatch
(``pipeline.run_site_year``), which the notebook's must equal.
"""
from __future__ import annotations

import json

import pytest

from conftest import bundled_site_copy


@pytest.mark.slow
def test_a_bill_battery_that_raises_the_peak_says_so(tmp_path):
    from dcplan import pipeline
    from dcplan.report import render
    from dcplan.site import load_portfolio
    f = bundled_site_copy(tmp_path, "phoenix-az", "bill-bat", interconnection={
        "battery": {"power_mw": 3, "energy_mwh": 12, "target": "bill"}})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f.name}]\n")
    s = render(portfolio=pf, notebooks=["interconnection"], out=tmp_path / "r", jobs=1, progress=False)
    assert s.ok, s.table()
    run = tmp_path / "r" / "bill-bat" / "interconnection"
    res = json.loads((run / "results.json").read_text())["results"]
    nb = json.loads((run / "notebook.ipynb").read_text())
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    # independently: the site chain dispatches the same battery for the same bill; its grid import's peak and
    # the hours above the facility's own peak (hourly rows)
    y = pipeline.run_site_year(load_portfolio(str(pf))["bill-bat"])
    assert y.battery is not None
    peak, fac = float(y.grid_kw.max()), float(y.facility_kw.max())
    assert peak > fac + 100.0  # the finding: the dispatch charges above the facility's peak
    hours = int((y.grid_kw > fac).sum())
    said = (f"its charging raises the year's peak grid import to {peak:,.0f} kW, above the facility's own peak of "
            f"{fac:,.0f} kW, in {hours:,d} h of the year")
    head = res["peak_reduction_kw_mean"]
    assert head["headline"] and head["value"] < 0
    assert head["label"].endswith(f" (target bill: {said}; a negative reduction is a higher peak, which the grid "
                                  "connection must carry)")
    assert f"The site's battery (target bill, the least bill): {said}." in text
    # the prose names the three targets
    md = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "`bill` for the least bill under the site's tariff" in md
