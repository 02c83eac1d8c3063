"""The site's plausibility warnings reach its reports (results.json ``warnings`` and the HTML report).

Finding of an owner's project scheduler: a Phoenix copy with its fleet ``start: 2024-01-01``, before its
``interconnection.filed: 2025-01-15``, was warned on the console by render's up-front checks ("...the grid
figures (deployment ramp, stranded GPUs, cost of waiting) start at the filing date, so its GPUs' wait
before it is not counted"), but ``warnings`` was [] in every results.json and no report.html said it.
"""
from __future__ import annotations

import json
import warnings

import pytest

from conftest import gc_noise as _gc_noise

from conftest import bundled_site_copy

from dcplan.errors import DcplanWarning
from dcplan.report import render
from dcplan.report_fingerprint import run_fingerprint
from dcplan.report_plan import plan_runs
from dcplan.site import load_site
from dcplan.site_plausibility import phase_start_warnings, site_warnings

# the filing-date warning, as dcplan.site_plausibility.phase_start_warnings words it
FILING = ("fleet.phases[0].start: 2024-01-01 is before interconnection.filed (2025-01-15) and no interconnection "
          "phase is in_service: nothing powers the phase until the request is filed, and the grid figures "
          "(deployment ramp, stranded GPUs, cost of waiting) start at the filing date, so its GPUs' wait before it "
          "is not counted. A site with power already: mark that interconnection phase in_service: true; otherwise "
          "start the phase on or after 2025-01-15")


def _early(tmp_path):
    fleet = {"phases": [{"hardware": "hgx-b200", "count": 384, "start": "2024-01-01", "label": "Hall 1"}]}
    f = bundled_site_copy(tmp_path, "phoenix-az", "early", fleet=fleet, name="Phoenix, AZ (early)")
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: t\nsites: [{f}]\n")
    return f, pf


def test_the_plan_records_the_sites_warnings_in_each_of_its_runs_asked_or_not(tmp_path):
    f, pf = _early(tmp_path)
    want = site_warnings(load_site(f))
    assert phase_start_warnings(load_site(f)) == [f"{f}: {FILING}"] and f"{f}: {FILING}" in want
    runs = plan_runs(pf, notebooks=["site_climate", "rack_power"], out=tmp_path / "r")  # not issued
    assert [list(r.site_warnings) for r in runs] == [want, want]
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always", DcplanWarning)
        asked = plan_runs(pf, notebooks=["site_climate"], out=tmp_path / "r", plausibility_warnings=True)
    assert [str(w.message) for w in got if not _gc_noise(w)] == want and list(asked[0].site_warnings) == want
    # the fingerprint is the same with or without them (they follow from the files it hashes)
    assert run_fingerprint(asked[0], False) == run_fingerprint(runs[0], False)


@pytest.mark.slow
def test_a_render_of_site_climate_records_and_shows_the_sites_warnings(tmp_path):
    f, pf = _early(tmp_path)
    want = site_warnings(load_site(f))
    with pytest.warns(DcplanWarning) as rec:  # the console's, as before
        s = render(portfolio=pf, notebooks=["site_climate"], out=tmp_path / "r", jobs=1, progress=False,
                   plausibility_warnings=True)
    assert s.ok, s.table()
    assert [str(w.message) for w in rec if not _gc_noise(w)] == want
    run = tmp_path / "r" / "early" / "site_climate"
    got = json.loads((run / "results.json").read_text())["warnings"]
    assert got[:len(want)] == want and f"{f}: {FILING}" in got  # first, as validate words them
    page = (run / "report.html").read_text()
    # the report's warnings block, as for the notebook's own warnings (dcplan.report_execute._with_notes)
    assert 'class="dcplan-warnings"' in page and f"<strong>{len(got)} warnings in this run</strong>" in page
    assert "<li>Warning: " + f"{f}: {FILING}" + "</li>" in page
