"""An existing campus is ranked on when its new capacity arrives, not on its capacity in service.

Finding of a black-box tester modelling an existing campus (grid capacity in service since 2022 powering
running H100 halls; new halls on a new request): the site_analysis verdict and the portfolio comparison
ranked it "earliest power" on its in-service date, though its new capacity arrived about 4 months after a
greenfield peer's. Both sites here are Chicago copies filed 2025-01-15 with a wait known to the month
(their own time_to_power figures, p10 = median = p90), their new phase planned 2026-01-15, before it:

* greenfield: median time to power 36 months -> energized 2028-01-15;
* campus: 4 MW in service since 2022-01-01, median 40 months -> its new phase energized 2028-05-15.

Time to power is the later of the grid wait and the long-lead equipment (data/equipment_lead_times.csv:
transformer median 150 weeks = 34.5 months, switchgear below 12 months), so with a step wait at 36 or 40
months, beyond the equipment's median, the median is the step: 36 and 40 exactly
(tests/test_site_verdict_first_power.py, step inversion). 2028-01-15 to 2028-05-15 is 16 + 29 + 31 + 30
+ 15 = 121 days, 121 / 30.4375 = 3.975 months (grid.DAYS_PER_MONTH, 365.25 / 12).
"""
from __future__ import annotations

import pandas as pd
import pytest
import yaml

from conftest import bundled_site_copy

from dcplan import pipeline
from dcplan.portfolio_compare import FIGURES, compare, comparison_table, site_row
from dcplan.site import load_portfolio, load_site
from dcplan.site_verdict import site_verdict


def _wait(months: float) -> dict:
    return {"p10_months": months, "median_months": months, "p90_months": months, "source": "test: a utility letter"}


def _site(tmp_path, sid, ic):
    f = bundled_site_copy(tmp_path, "chicago-il", sid, name=sid.title())
    d = yaml.safe_load(f.read_text())
    d["interconnection"] = {"utility": "Commonwealth Edison", "iso": "PJM", "filed": "2025-01-15", **ic}
    f.write_text(yaml.safe_dump(d, sort_keys=False))  # its own wait (no region row)
    return f


def _sites(tmp_path):
    campus = _site(tmp_path, "campus", {
        "requested_mw": 14, "time_to_power": _wait(40),
        "phases": [{"energized": "2022-01-01", "mw": 4, "in_service": True, "label": "existing"},
                   {"energized": "2026-01-15", "mw": 10, "label": "new"}]})
    green = _site(tmp_path, "green", {
        "requested_mw": 10, "time_to_power": _wait(36), "phases": [{"energized": "2026-01-15", "mw": 10, "label": "new"}]})
    return campus, green


def test_the_campus_is_compared_on_its_new_capacity(tmp_path):
    campus, green = _sites(tmp_path)
    t = comparison_table([load_site(campus), load_site(green)])
    assert t.at["campus", "first_energized_p50"] == pd.Timestamp("2028-05-15")  # not 2022-01-01
    assert t.at["green", "first_energized_p50"] == pd.Timestamp("2028-01-15")
    # the capacity in service is shown apart, not ranked; a greenfield site has none
    assert t.at["campus", "in_service_since"] == pd.Timestamp("2022-01-01") and pd.isna(t.at["green", "in_service_since"])
    assert t.at["green", "first_power_months"] == 0.0
    # 2028-01-15 .. 2028-05-15: 4 calendar months, as the dates are built (121 days were 3.975 of 30.4375 days)
    assert t.at["campus", "first_power_months"] == pytest.approx(4.0, rel=1e-12)
    # scored on when power arrives alone, the greenfield peer is best (the campus was, on 2022)
    c = compare(t, {"first_power_months": 1.0}, "tokens")
    assert c.best == "green" and c.score.score.to_dict() == {"green": 0.0, "campus": 1.0}
    # the labels say which capacity is dated
    assert FIGURES["first_energized_p50"][0].startswith("first power for new capacity, median date (the first "
                                                        "phase not already in service")
    assert FIGURES["first_power_months"][0].startswith("first power for new capacity")


def test_a_greenfield_row_is_unchanged(tmp_path):
    """A site with nothing in service: its first phase's dates, as before (the bundled Phoenix, 2028-03-01:
    tests/test_portfolio_first_power.py)."""
    spec = load_portfolio()["phoenix-az"]
    row = site_row(spec)
    assert str(row["first_energized_p50"].date()) == "2028-03-01" and pd.isna(row["in_service_since"])


def test_the_verdict_ranks_the_campus_after_the_greenfield_peer(tmp_path):
    campus, green = _sites(tmp_path)
    pf_file = tmp_path / "pf.yaml"
    pf_file.write_text(yaml.safe_dump({"name": "t", "sites": [str(campus), str(green)]}))
    pf = load_portfolio(pf_file)
    spec = pf["campus"]
    y = pipeline.run_site_year(spec)
    v = site_verdict(spec, y, pf)
    assert v.ranks["first_power_months"] == (2, 2)
    assert ("new capacity first energized (median) on 2028-05-15, its first pending phase (new, 10 MW; rank 2 of 2 "
            "on this date, earliest first; time to power 40.0 months from its filing on 2025-01-15); power already "
            "in service since 2022-01-01 (4 MW, powering the halls running on it: not ranked)") in v.text


def test_the_sweep_dates_the_campus_on_its_new_capacity(tmp_path):
    """A sweep's row (pipeline.figures, first_energized_median) took the earliest date of every phase, the
    campus's 2022-01-01 in service, so the sweep's first_power_months put it first; it is now the new
    capacity's first phase, 2028-05-15 (module docstring), 121 days = 3.975 months after the greenfield
    peer's 2028-01-15, and the in-service date is carried apart."""
    from dcplan.portfolio_compare import sweep_case_table
    campus, green = _sites(tmp_path)
    fc, fg = (pipeline.figures(pipeline.run_site_year(load_site(f))) for f in (campus, green))
    assert (fc["first_energized_median"], fc["in_service_since"]) == ("2028-05-15", "2022-01-01")
    assert fg["first_energized_median"] == "2028-01-15" and "in_service_since" not in fg
    frame = pd.DataFrame([{"case_id": i, "site": sid, "status": "ok", **f}
                          for i, (sid, f) in enumerate((("campus", fc), ("green", fg)))])
    cases = sweep_case_table(frame).set_index("site")
    assert cases.at["green", "first_power_months"] == 0.0
    assert cases.at["campus", "first_power_months"] == pytest.approx(4.0, rel=1e-12)  # 01-15 .. 05-15


def test_the_interconnection_notebook_publishes_the_new_capacitys_date(tmp_path, monkeypatch):
    """first_energized_p50 meant the in-service date (2022-01-01) in the interconnection notebook but the new
    capacity's in site_analysis and the comparison; it is the new capacity's first phase everywhere
    (2028-05-15), the capacity in service published apart (in_service_since)."""
    import dcplan.results
    from conftest import run_cells_until
    from dcplan import grid
    from dcplan.results import publish as real_publish
    out = {}

    def publish(*a, **k):
        for rec in real_publish(*a, **{**k, "show": False}):
            out[rec["key"]] = rec
    monkeypatch.setattr(dcplan.results, "publish", publish)
    campus, _ = _sites(tmp_path)
    pf = tmp_path / "one.yaml"
    pf.write_text(yaml.safe_dump({"name": "t", "sites": [str(campus)]}))
    run_cells_until("interconnection", "publish(head, headline=True)", monkeypatch, site="campus", portfolio=str(pf))
    assert out["first_energized_p50"]["value"] == "2028-05-15"  # results hold a date as its ISO text
    assert out["first_energized_p50"]["label"].startswith(
        "First power for new capacity, median: the first pending phase (new, 10 MW) energized (")
    assert out["in_service_since"]["value"] == "2022-01-01"
    assert "not the date the site is ranked on" in out["in_service_since"]["label"]
    # p90: the new phase's own p90 date (the equipment's p90 may outlast the 40-month wait), not 2022-01-01
    new_p90 = grid.energization_dates(load_site(campus).interconnection).set_index("label").at["new", "energized_p90"]
    assert out["first_energized_p90"]["value"] == f"{pd.Timestamp(new_p90):%Y-%m-%d}"
    assert pd.Timestamp(new_p90) >= pd.Timestamp("2028-05-15")
    assert not any(k.startswith("first_pending") for k in out)
