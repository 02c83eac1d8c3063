"""The interconnection report of a tester's site: a battery that never discharges, equipment ordered
before filing, the time to power's median and the ramp's wait, as printed and published.

A black-box tester found (site battery 2 MW / 4 MWh, target: contract, contract 12 MW above a load
peaking near 6.2 MW):

* "Battery losses 0 kWh" and identical PV-only and PV + battery reductions, unexplained (only the TCO
  said why, dcplan.tco_notes.battery_idle_note);
* "ordered 2023-03-01, -24.0 months before filing", and with ``-p order_delay_months -6`` "ordered -6
  months after filing" beside a headline "ordered 6 months before filing";
* a median time to power above both medians printed beside it, unexplained;
* "as energized with the regional wait" for any site.
"""
from __future__ import annotations

import json

import pytest

from conftest import bundled_site_copy

# what the driver words end with when both parts count (tests/test_time_to_power_wording.py)
LATER = "; the later of the two dates, drawn independently, so its median is at or above both"


def _run(tmp_path, name, **parameters):
    from dcplan.report import render
    f = bundled_site_copy(tmp_path, "research-triangle-nc", "idle-bat", interconnection={
        "battery": {"power_mw": 2, "energy_mwh": 4, "target": "contract"}, "equipment_ordered": "2023-03-01"})
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f.name}]\n")
    s = render(portfolio=pf, notebooks=["interconnection"], out=tmp_path / name, jobs=1, progress=False,
               parameters=parameters or None)
    assert s.ok, s.table()
    run = tmp_path / name / "idle-bat" / "interconnection"
    nb = json.loads((run / "notebook.ipynb").read_text())
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    return json.loads((run / "results.json").read_text())["results"], text


@pytest.mark.slow
def test_the_report_says_why_the_battery_is_idle_and_orders_before_filing_in_positive_months(tmp_path):
    res, text = _run(tmp_path, "r")
    # 4. the battery: 12,000 kW contract (research-triangle-nc's two 6 MW phases) above the load's peak
    note = res["battery_idle_note"]["value"]
    assert note.startswith("The site's battery (interconnection.battery: 2 MW / 4 MWh, target: contract) never "
                           "discharges over the typical year: it holds the grid draw to the contracted capacity, "
                           "12,000 kW, and the load behind the meter (facility less on-site PV) peaks at ")
    # the TCO's capex: data/costs.csv battery_usd_per_kwh 400 x 4,000 kWh = 1,600,000 USD
    assert ("So its losses are 0 kWh and the PV + battery peak reduction equals the PV-only one, while the TCO pays "
            "1,600,000 USD of capex for it. target: demand (shave each month's peak") in note
    assert note in text
    assert res["battery_losses_kwh"]["value"] == 0.0
    assert res["peak_reduction_kw_mean"]["value"] == res["peak_reduction_pv_kw_mean"]["value"]
    assert res["peak_reduction_kw_mean"]["label"].endswith("(it never discharges: the same as PV only)")
    # 3. ordered 2023-03-01, filed 2025-03-01: 24 months before filing, a positive number
    assert ("ordered 2023-03-01, 24 months before filing (interconnection.equipment_ordered)") in text
    assert "-24.0 months" not in text and ", -24" not in text
    # 5. the median's words
    # the label ends at the driver's words; the caveats are their own figure, printed once
    assert res["time_to_power_median_months"]["label"].endswith(LATER + ")")
    cav = res["time_to_power_caveats"]["value"]
    assert cav.startswith("The grid wait and the equipment are drawn independently") and text.count(cav) == 1
    # 6. the ramp names the site's wait by its source
    assert ("Energized after the time to power: the later of the grid wait (data/interconnection.csv row nc-duke) "
            "and the site's long-lead equipment (power_transformer, switchgear, ordered 24 months before filing).") in text

    # the parameter: the transformer's median, 150 weeks = 34.4969 months, less 6 = 28.5 months after filing
    res, text = _run(tmp_path, "r6", order_delay_months=-6.0)
    # (was "ordered 6 months before filing) median 28.5": the site file lists no equipment, so the label names
    # dcplan's default list and says so after the order date)
    assert ("ordered 6 months before filing; the site file gives no interconnection.equipment) median 28.5"
            in res["time_to_power_median_months"]["label"])
    assert "(power_transformer, switchgear: data/equipment_lead_times.csv, ordered 6 months before filing)" in text
    assert "-6 months" not in text and "after filing" not in text
