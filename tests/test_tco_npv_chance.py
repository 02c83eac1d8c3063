"""The TCO leads with the NPV at the site's median grid delay and says what chance the grid model gives the
deterministic case's planned dates (a grid planner's finding: every bundled site's chance of power by its planned
date is below 0.5 %, and the headline NPV took those dates)."""
import numpy as np
import pytest

from dcplan import grid
from dcplan.site import load_portfolio
from tests.conftest import run_cells_until


@pytest.mark.slow
def test_northern_virginia_tco_headlines_lead_with_the_median_delay(monkeypatch):
    ns, _ = run_cells_until("tco", "heads.update(base_head)", monkeypatch, site="northern-virginia")
    heads = ns["heads"]
    assert list(heads)[:2] == ["npv_grid_delay_p50_usd", "npv_usd"]
    # independently: the site's time-to-power CDF at the planned lead, filed 2024-06-01 -> energized 2027-01-01,
    # 31 months (data/sites/northern-virginia.yaml); the base case's first operating month is the planned one
    ic = load_portfolio()["northern-virginia"].interconnection
    # the case holds every delay whose energization date rounds to the planned day: under half a day, 0.5/31 of a
    # month (January has 31 days), so the chance is the CDF there (0.4408 %; at 31.0 months exactly 0.4354 %)
    p = float(grid.time_to_power_cdf(ic, months=np.array([31.0 + 0.5 / 31])).iloc[0, -1])
    assert 0.001 < p < 0.01  # 0.44 %: the model's share, rounded to 0.1 % in the label
    chance = heads["npv_case_grid_on_time_frac"]
    assert list(heads)[2] == "npv_case_grid_on_time_frac"  # right beside the NPV it qualifies
    assert chance[0] == pytest.approx(p, rel=1e-5)  # (the case's bound found by bisection to 1e-6 month)
    assert f"(0 months of grid delay): {100 * p:.1f} %, later in {100 * (1 - p):.1f} % of its outcomes" in chance[2]


@pytest.mark.slow
def test_phoenix_median_delay_label_says_how_long_the_fleet_waits(monkeypatch):
    """A newcomer's finding: the TCO's median delay (18 months at Phoenix) and the interconnection notebook's
    stranded months (17 x 3,072 GPUs) differ by the plan's own slack, said nowhere. data/sites/phoenix-az.yaml:
    the first phase is planned 2026-09-01, the fleet starts 2026-10-01: one month of slack."""
    import yaml

    from tests.conftest import DATA
    y = yaml.safe_load((DATA / "sites" / "phoenix-az.yaml").read_text())
    planned, start = str(y["interconnection"]["phases"][0]["energized"]), str(y["fleet"]["phases"][0]["start"])
    slack = (int(start[:4]) * 12 + int(start[5:7])) - (int(planned[:4]) * 12 + int(planned[5:7]))
    assert slack == 1
    ns, _ = run_cells_until("tco", "heads.update(base_head)", monkeypatch, site="phoenix-az")
    used = ns["med"].months_used
    label = ns["heads"]["npv_grid_delay_p50_usd"][2]
    assert (f"the fleet's first GPUs are bought and run {used - slack:.0f} months later than planned: the delay "
            f"less the {slack} month the plan left between the grid's planned date and the fleet's start") in label


def test_a_site_without_phases_is_said_to_be_planned_at_filing():
    from dcplan.tco_grid_dates import delay_months_note
    from dcplan.tco_input_types import TcoInputs
    inp = TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5,
                    grid_dates=((0.0, "2025-03-01", "2025-03-01"),))
    note = delay_months_note(inp, 40.2)
    assert ("planned 2025-03-01, the filing date: the site file gives no interconnection.phases, so the requested "
            "MW is planned at filing") in note
    # a phase of its own keeps the short form
    inp2 = TcoInputs(n_accelerators=8, it_capacity_kw=100.0, it_energy_kwh=1e5,
                     grid_dates=((0.0, "2025-03-01", "2027-06-01"),))
    assert "filing date" not in delay_months_note(inp2, 10.0)
