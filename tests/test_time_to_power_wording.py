"""Time to power in words: the equipment key's null and None, before/after filing with a positive
number of months, a median above both medians said as such, and the ramp's wait named by its source.

A black-box tester of the grid planner found:

1. ``equipment: null`` (or ``~``) gave the default, transformer + switchgear (39.2 months), while
   ``equipment: None`` (a YAML string) was taken as ``none``, the grid wait alone (30 months); and
   docs/site-format.md gave the default as "none". Now an explicit null and any spelling of none but
   ``none`` itself are refused (the item keys are exact too: ``None`` could mean either, with answers
   9 months apart), and the docs give the default, ``power_transformer``, ``switchgear``.
3. the interconnection notebook printed "ordered 2023-03-01, -24.0 months before filing", and with
   ``-p order_delay_months -6`` "ordered -6 months after filing".
5. "Time to power from filing, median (set by the equipment ..., median 34.5 months; grid wait ...
   median 30.0): 39.2 months": both medians below the result, unexplained.
6. the Deployment ramp said "as energized with the regional wait" for a site's own figures too.
"""
from __future__ import annotations

import datetime as dt
import math

import pytest
import yaml

from dcplan import grid
from dcplan.site import SiteError, load_site
from dcplan.specs.interconnection import InterconnectionSpec

from test_time_to_power_equipment import SOURCE, _ic, _yaml

# -- 1. equipment: null / None ------------------------------------------------------------------

NULL = ("interconnection.equipment: is null; leave the key out for the default equipment (power_transformer, "
        "switchgear, ordered at filing), or write equipment: none for no long-lead equipment of the site's own "
        "(the time to power is then the grid wait alone); allowed: none, or a list of items of "
        "data/equipment_lead_times.csv")


def _lines(path) -> list[str]:
    with pytest.raises(SiteError) as ei:
        load_site(path)
    return ei.value.all_lines()


@pytest.mark.parametrize("text", ["null", "~", "Null"])
def test_an_explicit_null_is_refused_with_what_leaving_it_out_means(tmp_path, text):
    f = _yaml(tmp_path)
    f.write_text(f.read_text().replace("interconnection:\n", f"interconnection:\n  equipment: {text}\n", 1))
    assert yaml.safe_load(f.read_text())["interconnection"]["equipment"] is None  # YAML's null, as written
    lines = _lines(f)
    assert any(NULL in ln for ln in lines), lines


@pytest.mark.parametrize("text", ["None", "NONE", "' none'"])
def test_none_is_exact_as_the_item_keys(tmp_path, text):
    f = _yaml(tmp_path)
    f.write_text(f.read_text().replace("interconnection:\n", f"interconnection:\n  equipment: {text}\n", 1))
    value = yaml.safe_load(f.read_text())["interconnection"]["equipment"]
    lines = _lines(f)
    want = (f"interconnection.equipment: got {value!r}; write none in lower case for no long-lead equipment of the "
            "site's own, or leave the key out for the default (power_transformer, switchgear); allowed: none, or a "
            "list of items of data/equipment_lead_times.csv")
    assert any(want in ln for ln in lines), lines


def test_left_out_is_the_transformer_and_switchgear_and_none_is_none(tmp_path):
    assert load_site(_yaml(tmp_path)).interconnection.equipment == ("power_transformer", "switchgear")
    assert load_site(_yaml(tmp_path, equipment="none")).interconnection.equipment == "none"
    # the two give the answers the tester saw apart: the grid wait alone is the site's figures exactly
    assert grid.time_to_power(_ic(equipment="none")).loc[0.5, "time_to_power_months"] == pytest.approx(18.0)
    assert grid.time_to_power(_ic()).loc[0.5, "time_to_power_months"] > 34.4969  # the transformer's median


def test_the_docs_give_the_default_equipment():
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[1] / "docs" / "site-format.md").read_text(encoding="utf-8")
    row = next(ln for ln in doc.splitlines() if ln.startswith("| `interconnection.equipment` |"))
    assert row.startswith("| `interconnection.equipment` | list of text or `none` | `power_transformer`, "
                          "`switchgear` |")


# -- 3. before / after filing, a positive number ------------------------------------------------

@pytest.mark.parametrize("months, words", [
    (0.0, "at filing"), (-24.0, "24 months before filing"), (-6.0, "6 months before filing"),
    (6.0, "6 months after filing"), (-23.967741935, "23.97 months before filing"), (1e-9, "at filing")])
def test_order_delay_words(months, words):
    assert grid.order_delay_words(months) == words


def test_the_driver_says_before_filing_with_a_positive_number():
    ic = _ic(time_to_power=dict(p10_months=1, median_months=1, p90_months=1, source=SOURCE),
             equipment=["power_transformer"])
    assert "ordered 6 months before filing), median" in grid.time_to_power_driver(
        ic, grid.time_to_power(ic, order_delay_months=-6.0), order_delay_months=-6.0)


def test_the_notebook_formats_the_order_delay_with_its_words():
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "interconnection.ipynb", as_version=4)
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "{d_order:.1f} months" not in src and "ordered {d_order:g} months after filing" not in src
    assert ('f"ordered {ic.equipment_ordered}, {grid.order_delay_words(d_order)} (interconnection.equipment_ordered)"'
            in src)


# -- 5. the median of the later of two dates ----------------------------------------------------

def _two_piece_cdf(t, p10, med, p90):
    """The two-piece lognormal's CDF by hand (z_0.9 = 1.2815515655446004)."""
    z90 = 1.2815515655446004
    s = math.log((med / p10) if t < med else (p90 / med)) / z90
    return 0.5 * (1.0 + math.erf(math.log(t / med) / s / math.sqrt(2.0)))


def test_the_time_to_power_median_is_above_both_and_the_words_say_why():
    """Miami (grid 12 / 18 / 36 months, transformer 130 / 150 / 208 weeks = 29.8973 / 34.4969 / 47.8357
    months, switchgear in by 11.04): the median time to power m solves F_grid(m) x F_transformer(m) = 0.5,
    above both medians (18, 34.5)."""
    ic = _ic()
    ttp = grid.time_to_power(ic)
    m = float(ttp.loc[0.5, "time_to_power_months"])
    w = 7 / (365.25 / 12)
    assert _two_piece_cdf(m, 12, 18, 36) * _two_piece_cdf(m, 130 * w, 150 * w, 208 * w) == pytest.approx(0.5, abs=1e-5)
    assert m > 34.4969 + 0.1
    assert grid.time_to_power_driver(ic, ttp).endswith(
        "median 34.5 months; grid wait (site figures) median 18.0; the later of the two dates, drawn independently, so "
        "its median is at or above both")
    # the grid wait alone has no second date: no such words
    assert "drawn independently" not in grid.time_to_power_driver(_ic(equipment="none"),
                                                             grid.time_to_power(_ic(equipment="none")))


# -- 6. the ramp's wait by its source ---------------------------------------------------------------

def test_the_wait_is_named_by_its_source():
    assert grid.wait_source(_ic()) == "the site's own figures (interconnection.time_to_power)"
    ic = InterconnectionSpec(region="nc-duke", requested_mw=12, filed=dt.date(2025, 3, 1))
    assert grid.wait_source(ic) == "data/interconnection.csv row nc-duke"
    assert grid.wait_source("az-aps") == "data/interconnection.csv row az-aps"


def test_the_ramp_text_says_no_regional_wait():
    import nbformat
    from pathlib import Path
    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "interconnection.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "regional wait" not in text
    assert "grid.wait_source(ic)" in text
