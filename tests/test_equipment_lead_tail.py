"""The generator's reported 110-week tail, and a generator row typed in days.

Finding of an owner's project scheduler: data/equipment_lead_times.csv has ``generator,30,34,38,"up to 110
weeks reported..."``: 38 is the p90, so a 110-week delivery has practically no probability, while the note
read as if it were modelled. And a generator row typed in days (210, 238, 266 for 30, 34, 38 weeks) was
accepted, because the generator's plausibility band is 10-330 weeks (3 x the 110-week tail), while the same
slip on a chiller is refused (its band 10-120 weeks).
"""
from __future__ import annotations

import math
import re

import pytest
from scipy.special import ndtr, ndtri

from dcplan import catalog_checks as cc
from dcplan import grid_lead_time as glt
from dcplan.equipment_checks import days_problem, tail_notes
from dcplan.paths import data_path

DAYS = ("low_weeks 210, median_weeks 238, high_weeks 266 weeks read as days typed as weeks: / 7 = 30, 34, 38 "
        "weeks, inside the plausible band for generator lead times, 10 to 330 weeks (Cushman & Wakefield 2025 lead "
        "times: 30-38 weeks, up to 110), while the low end 210 weeks is above the longest delivery that band allows "
        "for (330 / 3 = 110 weeks); allowed: the figures in weeks (30, 34, 38), or, for a real lead time that long, "
        "widen the band in dcplan.catalog_bands citing its source")


@pytest.fixture
def edited(tmp_path, monkeypatch):
    """A function writing a copy of the bundled CSV with ``old`` replaced by ``new`` and reading it as
    dcplan.grid_lead_time does (its cache cleared before and after)."""
    def read(old: str, new: str):
        text = data_path("equipment_lead_times.csv").read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        (tmp_path / "equipment_lead_times.csv").write_text(text.replace(old, new), encoding="utf-8")
        glt._read_equipment.cache_clear()
        monkeypatch.setattr(glt, "data_path", lambda name: tmp_path / name)
        return glt.equipment_lead_times()
    yield read
    monkeypatch.undo()
    glt._read_equipment.cache_clear()


def _line(start: str) -> int:
    lines = data_path("equipment_lead_times.csv").read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, ln in enumerate(lines) if ln.startswith(start))


def test_the_bundled_row_keeps_38_as_p90_and_the_110_as_a_tail_outside_it():
    eq = glt.equipment_lead_times()
    g = eq.loc["generator"]
    assert (g["low_weeks"], g["median_weeks"], g["high_weeks"], g["reported_max_weeks"]) == (30, 34, 38, 110)
    assert "a tail outside this row's distribution" in g["notes"]
    assert eq["reported_max_weeks"].drop("generator").isna().all()
    # the two-piece lognormal's upper half: sigma+ = ln(38 / 34) / z90 = 0.0868; 110 weeks is
    # ln(110 / 34) / 0.0868 = 13.5 sigma above the median: practically no probability
    sigma = math.log(38 / 34) / float(ndtri(0.9))
    assert round(sigma, 4) == 0.0868 and 1 - ndtr(math.log(110 / 34) / sigma) < 1e-30
    assert glt.equipment_tail_notes(["power_transformer", "generator", "switchgear"]) == [
        "generator: up to 110 weeks reported for some units, beyond the p90 of 38 weeks that its lead time is drawn "
        "with: that tail is not in the distribution (which puts practically no probability there), so the time to "
        "power does not count it (data/equipment_lead_times.csv reported_max_weeks)"]
    assert glt.equipment_tail_notes(["power_transformer", "switchgear"]) == []


def test_a_generator_row_typed_in_days_is_refused(edited):
    n = _line("generator,")
    with pytest.raises(cc.CatalogError) as e:
        edited("generator,30,34,38,", "generator,210,238,266,")
    assert e.value.problems == [(f"line {n}, item 'generator', low_weeks/median_weeks/high_weeks", DAYS)]
    assert days_problem("generator", [210, 238, 266]) == DAYS


def test_the_same_slip_on_a_chiller_is_still_the_bands(edited):
    with pytest.raises(cc.CatalogError, match=re.escape("210, 245, 280 are days (/ 7 = 30, 35, 40 weeks)?")):
        edited("chiller,30,35,40,", "chiller,210,245,280,")


def test_real_generator_figures_pass_even_with_the_tail_as_p90(edited):
    # 30, 34, 38 (the file's); a p90 widened to the 110-week tail (30, 40, 110, should a source support it)
    # has a low end of 30 weeks, well below 110: not days (/ 7 = 4.3 weeks is also below the band)
    assert days_problem("generator", [30, 34, 38]) is None and days_problem("generator", [30, 40, 110]) is None
    eq = edited("generator,30,34,38,", "generator,30,40,100,")  # reported_max_weeks 110 still above 100
    assert eq.loc["generator", "high_weeks"] == 100
    # an item without its own band is not judged on days (its band is every item's: 4-520 weeks)
    assert days_problem("new_item", [210, 238, 266]) is None


def test_a_reported_max_not_above_the_p90_is_refused(edited):
    n = _line("generator,")
    with pytest.raises(cc.CatalogError) as e:
        edited("primary,110,\n", "primary,38,\n")
    assert e.value.problems == [(f"line {n}, item 'generator', reported_max_weeks",
                                 "38 weeks is not above high_weeks 38; allowed: blank, or a longer delivery reported "
                                 "beyond the published range (> 38 weeks)")]


def test_tail_notes_without_the_column_say_nothing():
    import pandas as pd
    assert tail_notes(pd.DataFrame({"high_weeks": [38.0]}, index=["generator"]), ["generator"]) == []


def test_dcplan_validate_refuses_the_days_slip_in_a_catalog_copy(tmp_path, capsys):
    """`dcplan validate FILE` checks a catalog CSV with catalog_checks.check_equipment, which now ends with
    the days check: the same refusal as the run's reader, exit code 2."""
    from dcplan.cli import main
    text = data_path("equipment_lead_times.csv").read_text(encoding="utf-8")
    f = tmp_path / "equipment_lead_times.csv"
    f.write_text(text.replace("generator,30,34,38,", "generator,210,238,266,"), encoding="utf-8")
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err
    assert "weeks read as days typed as weeks: / 7 = 30, 34, 38 weeks" in err and "generator" in err
