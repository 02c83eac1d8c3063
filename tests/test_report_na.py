"""A notebook that needs a site section the site leaves out is *not applicable* there:
render does not run it, lists it as n/a with the reason, and it is no failure."""
from __future__ import annotations

import json

import pytest
from conftest import DATA

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report import plan_runs, render
from dcplan.report_plan import notebook_requires

ROOT = DATA.parent


def test_bundled_notebooks_declare_the_sections_they_need():
    nb = ROOT / "notebooks"
    assert notebook_requires(nb / "offpeak_scheduling.ipynb") == [("tariff", None)]
    assert notebook_requires(nb / "tco.ipynb") == [("tariff", "tariff_file")]
    assert notebook_requires(nb / "interconnection.ipynb") == [("interconnection", None)]
    for name in ("site_climate", "site_analysis", "cooling_lag", "rack_power"):
        assert notebook_requires(nb / f"{name}.ipynb") == []


def test_plan_marks_a_site_without_the_section_not_applicable(bare_portfolio, tmp_path):
    runs = {r.key: r for r in plan_runs(bare_portfolio, notebooks=["offpeak_scheduling", "tco", "interconnection",
                                                                   "site_climate"], out=tmp_path / "r")}
    assert runs["bare/offpeak_scheduling"].not_applicable == \
        "site 'bare' has no tariff: section; offpeak_scheduling needs it"
    assert runs["bare/tco"].not_applicable == \
        "site 'bare' has no tariff: section (or pass -p tariff_file FILE); tco needs it"
    assert "no interconnection: section" in runs["bare/interconnection"].not_applicable
    assert runs["bare/site_climate"].not_applicable is None
    assert all(r.not_applicable is None for k, r in runs.items() if k.startswith("chicago-il/"))
    # a tariff file given by parameter stands in for the section
    given = plan_runs(bare_portfolio, sites=["bare"], notebooks=["tco"], out=tmp_path / "r",
                      parameters={"tariff_file": "tariffs/aps-az-e32-tou-l.json"})
    assert given[0].not_applicable is None
    # "site" (as "") is the site's own section, which the bare site lacks: still n/a
    for value in ("site", ""):
        keep = plan_runs(bare_portfolio, sites=["bare"], notebooks=["tco"], out=tmp_path / "r",
                         parameters={"tariff_file": value})
        assert keep[0].not_applicable == \
            "site 'bare' has no tariff: section (or pass -p tariff_file FILE); tco needs it"


def test_render_lists_not_applicable_runs_and_exits_0(bare_portfolio, tmp_path, capsys):
    out = tmp_path / "r"
    # none of these runs applies to the bare site: nothing executes (no kernel starts)
    code = main(["render", "-q", "--portfolio", str(bare_portfolio), "--sites", "bare", "--notebooks",
                 "offpeak_scheduling", "interconnection", "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "bare/offpeak_scheduling  n/a" in text and "not applicable: site 'bare' has no tariff" in text
    assert "no runs executed; 2 not applicable (each run's line says why)" in text
    status = json.loads((out / "runs.json").read_text())
    assert status["bare/interconnection"]["not_applicable"].startswith("site 'bare' has no interconnection")
    assert status["bare/interconnection"]["ok"] is None
    assert not (out / "bare" / "offpeak_scheduling").exists()  # nothing written for a run not run
    index = (out / "index.html").read_text()
    assert index.count("not applicable: site &#x27;bare&#x27; has no") == 2


def test_an_earlier_report_stays_and_is_labelled_not_current(bare_portfolio, tmp_path):
    # a report rendered when the site still had its tariff: kept on disk, listed as n/a now
    out = tmp_path / "r"
    folder = out / "bare" / "offpeak_scheduling"
    folder.mkdir(parents=True)
    (out / ".dcplan-reports").write_text("")
    (folder / "results.json").write_text(json.dumps({"site_name": "Bare", "notebook": "offpeak_scheduling",
                                                     "results": {}, "run": {"started_utc": "2026-01-01"}}))
    (folder / "report.html").write_text("<html>earlier</html>")
    s = render(portfolio=bare_portfolio, sites=["bare"], notebooks=["offpeak_scheduling"], out=out, progress=False)
    assert s.ok and [r.run.not_applicable is not None for r in s.results] == [True]
    # kept, and marked not current: a banner atop the report, run.status in its results.json
    from dcplan.report_stale import _BANNER_RE
    page = (folder / "report.html").read_text()
    assert _BANNER_RE.sub("", page) == "<html>earlier</html>"
    assert "<strong>Not current.</strong> not applicable now (render of " in page
    status = json.loads((folder / "results.json").read_text())["run"]["status"]
    assert status.startswith("not applicable now (render of ") and status.endswith(
        "site 'bare' has no tariff: section; offpeak_scheduling needs it")
    index = (out / "index.html").read_text()
    assert "not applicable now" in index and "the report shown is from an earlier render" in index


@pytest.mark.parametrize("requires,match", [
    (["tarif"], r"got 'tarif' \(did you mean 'tariff'\?\)"),
    ("tariff", r"got 'tariff'; allowed: a list of site sections"),
    ([{"section": "tariff", "or_parameter": "nope"}], r"or_parameter 'nope' is not a parameter the notebook declares"),
    ([{"section": "tariff", "unless": "x"}], r"got \{'section': 'tariff', 'unless': 'x'\}"),
])
def test_bad_requires_metadata_names_notebook_and_field(tmp_path, requires, match):
    doc = json.loads((ROOT / "notebooks" / "site_climate.ipynb").read_text())
    doc["metadata"]["dcplan"] = {"requires": requires}
    nbdir = tmp_path / "nb"
    nbdir.mkdir()
    (nbdir / "x.ipynb").write_text(json.dumps(doc))
    with pytest.raises(InputError, match=match) as e:
        plan_runs(notebook_dir=nbdir, out=tmp_path / "r")
    assert str(nbdir / "x.ipynb") in str(e.value) and "metadata.dcplan.requires" in str(e.value)
