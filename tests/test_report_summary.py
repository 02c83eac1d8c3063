"""``dcplan render``'s terminal summary fits a 100-column terminal (dcplan.report_summary).

A reviewer's finding: the summary printed up to three whole headline labels on one line, several hundred
characters each (the TCO's NPV label names every stand-in figure it rests on). Now each headline is on a
line of its own, its label cut to its first clause (and with an ellipsis where needed), its value and unit
whole; the full label stays in results.json, index.html and the report.
"""
from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from dcplan.cli import main
from dcplan.report import RenderSummary
from dcplan.report_summary import SUMMARY_WIDTH, headline_text, short_label

from test_report import TWO_SITES, _nb

# a label as long as the bundled TCO's (661 characters there): its first clause, then the caveats
LONG = ("NPV after tax at the site's median grid delay (29 months, dcplan.grid; the grid-delay-p50 scenario's "
        "delay); the fleet's first GPUs are bought and run 28 months later than planned: the delay less the 1 "
        "month the plan left between the grid's planned date and the fleet's start; rests on H100 stand-in "
        "figures: IT capex at the H100 server price of 33,750 USD per accelerator for hgx-h200")


def _summary(records: dict, key="chicago-il/tco", warnings=(), site_name="Chicago, IL"):
    run = SimpleNamespace(key=key, not_applicable=None, bad_input=None, notebook=Path("x.ipynb"),
                          site_name=site_name)
    res = SimpleNamespace(run=run, ok=True, results=records, warnings=list(warnings), seconds=12.3,
                          reused_from=None, error=None, failed_cell=None)
    return RenderSummary(results=[res], out=Path("/r"), seconds=12.3)


def _rec(key, value, unit, label):
    return {"key": key, "value": value, "unit": unit, "label": label, "headline": True}


def test_short_labels_are_the_first_clause():
    assert short_label(LONG) == "NPV after tax at the site's median grid delay"
    # a parenthesis the sentence goes on after is part of a name or date, not the end of the clause
    assert short_label("Northern Virginia (Ashburn), VA: share of GPU-hours throttled (typical year)") == \
        "Northern Virginia (Ashburn), VA: share of GPU-hours throttled"
    assert short_label("Time to power from filing (2025-02-01), median (set by the grid wait (estimate); x)") == \
        "Time to power from filing (2025-02-01), median"
    assert short_label("Mean dry bulb") == "Mean dry bulb"
    # a caveat the label ends with stays (its head): a figure of another fleet is never shown as the site's
    assert short_label("Run-ASAP bill (52 weeks) [NOT the site's fleet: a fleet at 0.75 (must-run 0.5)]") == \
        "Run-ASAP bill [NOT the site's fleet]"


def test_a_site_name_with_a_parenthesis_stays_whole_in_its_headline():
    """A planner's own site named "Miami, FL (small)" beside "Miami, FL (liquid, URDB)": the cooling_lag headline
    (its label starts with the site's name) printed "Miami, FL: 0 %" for both, cut at the name's own parenthesis,
    a figure with neither its subject nor which site it is. The name is the run's site name, kept whole."""
    label = ("Miami, FL (small): share of GPU-hours throttled for lack of hourly plant capacity, typical year "
             "(the control lag's throttling is not in it)")
    assert short_label(label) == "Miami, FL"  # without the run's name: as before (the bug's reading)
    assert short_label(label, ("Miami, FL (small)",)) == \
        "Miami, FL (small): share of GPU-hours throttled for lack of hourly plant capacity, typical year"
    # inside a later clause too ("..., Miami, FL (small)'s own fleet load (...)"), and a ';' in the name
    assert short_label("throttle episodes, Miami, FL (small)'s own fleet load (1 s)", ("Miami, FL (small)",)) == \
        "throttle episodes, Miami, FL (small)'s own fleet load"
    assert short_label("Site A; B (x): PUE (typical year); more", ("Site A; B (x)",)) == "Site A; B (x): PUE"
    # a parenthesis outside the name still ends the clause; bundled names (no parenthesis) read as before
    assert short_label("Annual PUE (from the weather)", ("Miami, FL (small)",)) == "Annual PUE"
    lines = _summary({"lag_site_throttled_frac": _rec("lag_site_throttled_frac", 0.0, "frac", label)},
                     key="miami-small/cooling_lag", site_name="Miami, FL (small)").table().splitlines()
    head = next(ln for ln in lines if ": 0 %" in ln)
    assert head.strip().startswith("Miami, FL (small): share of GPU-hours throttled") and len(head) <= SUMMARY_WIDTH


def test_every_summary_line_fits_and_keeps_the_value_and_unit():
    recs = {"npv_grid_delay_p50_usd": _rec("npv_grid_delay_p50_usd", 140702696.0, "USD", LONG),
            "x_frac": _rec("x_frac", 0.0244, "frac", "Saving as a share of the site's own modelled bill over the "
                                                      "same 52 weeks, which is a very long clause indeed " * 3),
            "site": _rec("site", "Northern Virginia (Ashburn), VA " * 10, None, "Best site on the weighted score"),
            "hidden_h": {"key": "hidden_h", "value": 5.0, "unit": "h", "label": "not a headline",
                         "headline": False}}
    lines = _summary(recs, warnings=["w1", "w2"]).table().splitlines()
    body = lines[1:-1]
    assert all(len(ln) <= SUMMARY_WIDTH for ln in body), [len(ln) for ln in body]
    run_line, npv, frac, site = body
    assert run_line.startswith("chicago-il/tco  ok") and \
        run_line.endswith("2 warnings (see the report)")
    # values formatted by hand: 140,702,696 USD (a whole number, thousands separated); 0.0244 -> 2.44 %
    # (the run key is 14 characters: 100 - 14 - 19 = 67 for a headline, room for this one whole)
    assert npv.strip() == "NPV after tax at the site's median grid delay: 140,702,696 USD"
    assert frac.endswith("…: 2.44 %") and frac.strip().startswith("Saving as a share of the site's own")
    assert site.strip().startswith("Best site on the weighted score: Northern Virginia (Ashburn), VA") and \
        site.endswith("…")  # a text value is cut after its label
    assert "not a headline" not in "\n".join(lines)
    # each headline line (the run's line holds its warnings) is indented under the run, with nearly the whole
    # width for its label (it was under the headline / error column: a long run key left a label "Time…")
    assert all(ln.startswith(" " * 4) and ln[4] != " " for ln in (npv, frac, site))


def test_a_long_run_key_still_keeps_the_value_whole():
    """A run key nearly as wide as the terminal: the label is cut to 16 characters at the least, the figure never."""
    text = headline_text(short_label(LONG), "140,702,696 USD", 20)
    assert text.endswith(": 140,702,696 USD") and text.startswith("NPV after tax") and "…" in text


def test_two_headlines_that_read_alike_carry_their_keys():
    """A platform engineer's finding: research-triangle-nc/tco printed "NPV after tax at the…: 153,638,755 USD" and
    "NPV after tax…: 247,978,933 USD", the median-delay and the on-plan NPV, indistinguishable in a batch log
    (headlines now have nearly the whole line, so such cuts are rare); and site_climate's two "Hours the cooling
    tower alone can make the 19 °C chilled water" (at full design heat, at full design IT) read alike whole. Lines
    whose labels read the same as printed get the record's key after the whole label where the line has room; a run whose labels differ
    is printed as before."""
    from dcplan.report_summary import headline_lines
    from dcplan.results import format_value
    heat = "Hours the cooling tower alone can make the 19 °C chilled water (climate screen: at full design heat)"
    it = "Hours the cooling tower alone can make the 19 °C chilled water (at full design IT)"
    recs = [_rec("tower_only_heat_h", 1567.0, "h", heat), _rec("tower_only_it_h", 2406.0, "h", it)]
    a, b = headline_lines(recs, format_value, SUMMARY_WIDTH)
    # by hand: the short label (61 characters) + " [key]" + ": " + value, 90 and 87 characters
    assert a == "Hours the cooling tower alone can make the 19 °C chilled water [tower_only_heat_h]: 1,567 h"
    assert b == "Hours the cooling tower alone can make the 19 °C chilled water [tower_only_it_h]: 2,406 h"
    # cut alike at a narrow width, where the key would not fit: the lines as they were, within the width
    plan = LONG.replace("at the site's median grid delay", "at the planned grid date")
    npv = [_rec("npv_grid_delay_p50_usd", 153638755.0, "USD", LONG), _rec("npv_usd", 247978933.0, "USD", plan)]
    narrow = headline_lines(npv, format_value, 36)
    assert narrow == [headline_text(short_label(r["label"]), format_value(r["value"], "USD"), 36) for r in npv]
    assert narrow[0].split(":")[0] == narrow[1].split(":")[0] and all(len(x) <= 36 for x in narrow)
    # labels that differ as printed: no key added
    wide = headline_lines(npv, format_value, SUMMARY_WIDTH)
    assert wide == [headline_text(short_label(r["label"]), format_value(r["value"], "USD"), SUMMARY_WIDTH)
                    for r in npv] and "[npv_usd]" not in wide[1]


@pytest.mark.slow
def test_render_prints_short_labels_and_the_index_keeps_the_full_one(tmp_path, capsys):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "long.ipynb", 'site: str = "x"\nportfolio: str = "default"',
        "from dcplan.results import publish\n"
        f"publish('npv_usd', 140702696.0, unit='USD', label={LONG!r}, headline=True)\n"
        "publish('hours_h', 4219.0, label='Hours the cooling tower alone can make the 19 °C chilled water (climate "
        "screen: wet bulb at most 7.29 °C; at full design heat; the tower selected for a 3.9 K approach)', "
        "headline=True)\n")
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    out = tmp_path / "reports"
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--sites", "phoenix-az",
                 "--out", str(out), "-q", "-j", "1", "--cold-kernels"]) == 0
    stdout = capsys.readouterr().out.splitlines()
    i = next(i for i, ln in enumerate(stdout) if ln.startswith("phoenix-az/long"))
    run_line, hours_line = stdout[i], stdout[i + 1]
    assert len(run_line) <= SUMMARY_WIDTH and len(hours_line) <= SUMMARY_WIDTH
    assert run_line.endswith("NPV after tax at the site's median grid delay: 140,702,696 USD")
    # on a line of its own, indented 4, so 96 characters: its first clause with the value (71) whole (beside the
    # run, 100 - 34 = 66, it was cut to "Hours the cooling tower alone can make the 19 °C…")
    assert hours_line == "    Hours the cooling tower alone can make the 19 °C chilled water: 4,219 h"
    assert LONG not in "\n".join(stdout)
    # the full label is where a reader looks it up
    doc = json.loads((out / "phoenix-az" / "long" / "results.json").read_text())
    assert doc["results"]["npv_usd"]["label"] == LONG
    assert LONG.replace("'", "&#x27;") in (out / "index.html").read_text()
