"""What a render counts as its own: the empty file parameter means each notebook's default,
a run's fingerprint is its own notebook (not the folder's other files), and the index
lists this render's runs apart from the other reports the folder holds."""
from __future__ import annotations

import json
import shutil

import pytest

from dcplan.cli import main
from dcplan.errors import InputError
from dcplan.report import plan_runs, render
from dcplan.report_html import write_index

from conftest import DATA
from test_report import TWO_SITES, _nb
from test_render_reuse import TOKEN_NB, _tokens

TOK_PARAMS = 'site: str = "x"\nportfolio: str = "default"\nscale: float = 1.0'


@pytest.fixture
def ws(tmp_path):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "tok.ipynb", TOK_PARAMS, TOKEN_NB)
    _nb(nbdir / "tok2.ipynb", TOK_PARAMS, TOKEN_NB)
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    return tmp_path, nbdir, pf, tmp_path / "out"


# -- 5: an empty file parameter ----------------------------------------------------------

def test_an_empty_file_parameter_means_each_notebooks_own_default(tmp_path):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    # the bundled notebooks' two conventions: site_analysis keeps the site's tariff with
    # "site", tco with ""
    _nb(nbdir / "keeps_site.ipynb", 'site: str = "x"\nportfolio: str = "default"\ntariff_file: str = "site"', "1")
    _nb(nbdir / "keeps_empty.ipynb", 'site: str = "x"\nportfolio: str = "default"\ntariff_file: str = ""', "1")
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    for value in ("", "  "):
        runs = plan_runs(pf, sites=["phoenix-az"], notebook_dir=nbdir, out=tmp_path / "o",
                         parameters={"tariff_file": value})
        got = {r.notebook.stem: r.parameters["tariff_file"] for r in runs}
        assert got == {"keeps_site": "site", "keeps_empty": ""}


def test_the_bundled_notebooks_take_an_empty_tariff_file_as_the_sites_tariff(tmp_path):
    runs = plan_runs(None, sites=["phoenix-az"], notebooks=["site_analysis", "tco"], out=tmp_path / "o",
                     parameters={"tariff_file": ""})
    assert {r.notebook.stem: r.parameters["tariff_file"] for r in runs} == {"site_analysis": "site", "tco": ""}


def test_an_empty_file_parameter_without_a_default_and_a_missing_file_are_bad_input(tmp_path, capsys):
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    _nb(nbdir / "needs.ipynb", 'site: str = "x"\nportfolio: str = "default"\nload_csv: str = None', "1")
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    with pytest.raises(InputError, match=r"^-p load_csv: '': empty, and needs has no default for it"):
        plan_runs(pf, notebook_dir=nbdir, out=tmp_path / "o", parameters={"load_csv": ""})
    # a file found nowhere: one line naming the parameter, the value, the places looked in
    # and what works instead
    rc = main(["render", "--notebooks", "tco", "--sites", "phoenix-az", "-p", "tariff_file", "nope.json",
               "--out", str(tmp_path / "o"), "-q"])
    err = capsys.readouterr().err
    assert rc == 2 and len(err.strip().splitlines()) == 1
    assert "-p tariff_file: 'nope.json': no such file for tco (looked in " in err
    assert str(DATA / "sites") in err and str(DATA) in err
    assert "or \"\" for each notebook's own default (tco's is ''), or \"site\" for the site's tariff: section" in err
    assert not (tmp_path / "o").exists()  # refused before any run


def test_site_means_the_sites_own_section_where_the_notebook_takes_it(tmp_path, monkeypatch):
    """Both tariff notebooks take "site" (and "") for the site's own tariff: site_analysis as
    its default, tco because its metadata says tariff_file stands in for the tariff: section
    (``requires: [{section: tariff, or_parameter: tariff_file}]``). render refused "site" for
    tco, looking it up as a file."""
    runs = plan_runs(None, sites=["phoenix-az"], notebooks=["site_analysis", "tco"], out=tmp_path / "o",
                     parameters={"tariff_file": "site"})
    assert {r.notebook.stem: r.parameters["tariff_file"] for r in runs} == {"site_analysis": "site", "tco": "site"}
    for r in runs:  # the site's own tariff: nothing given by the parameter, nothing replaced
        assert r.replaced_inputs == {} and not any(k.startswith("param:") for k in r.input_files)
        assert r.not_applicable is None
    # a file called "site" where render looks does not change what the notebook reads
    (tmp_path / "site").write_text("{}")
    monkeypatch.chdir(tmp_path)
    run = plan_runs(None, sites=["phoenix-az"], notebooks=["tco"], out=tmp_path / "o",
                    parameters={"tariff_file": "site"})[0]
    assert run.parameters["tariff_file"] == "site" and "param:tariff_file" not in run.input_files


def test_site_is_no_file_where_the_notebook_does_not_take_it(tmp_path):
    # interconnection reads system_load_csv as a file unless it is "": "site" is refused
    with pytest.raises(InputError, match=r"^-p system_load_csv: 'site': no such file for interconnection "
                                         r"\(looked in "):
        plan_runs(None, sites=["phoenix-az"], notebooks=["interconnection"], out=tmp_path / "o",
                  parameters={"system_load_csv": "site"})
    # a notebook of its own: "site" only with the metadata that says the parameter stands
    # in for a site section
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    params = 'site: str = "x"\nportfolio: str = "default"\ntariff_file: str = ""'
    plain = _nb(nbdir / "plain.ipynb", params, "1")
    pf = tmp_path / "pf.yaml"
    pf.write_text(TWO_SITES)
    kw = dict(sites=["phoenix-az"], notebook_dir=nbdir, out=tmp_path / "o", parameters={"tariff_file": "site"})
    with pytest.raises(InputError, match=r"^-p tariff_file: 'site': no such file for plain"):
        plan_runs(pf, **kw)
    doc = json.loads(plain.read_text())
    doc["metadata"]["dcplan"]["requires"] = [{"section": "tariff", "or_parameter": "tariff_file"}]
    plain.write_text(json.dumps(doc))
    assert plan_runs(pf, **kw)[0].parameters["tariff_file"] == "site"


# -- 6: a run's fingerprint is its own notebook -----------------------------------------

def test_other_files_in_the_notebook_folder_do_not_execute_runs_again(ws):
    tmp, nbdir, pf, out = ws
    kw = dict(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False)
    assert render(**kw).ok
    t0 = _tokens(out)
    assert len(t0) == 4
    # a README, a helper file and JupyterLab's autosave: none is read by a run (its kernel
    # runs in a scratch folder of its own, which is its sys.path[0])
    (nbdir / "README.txt").write_text("notes\n")
    (nbdir / "helper.py").write_text("VALUE = 1\n")
    (nbdir / "Untitled.ipynb").write_text("{}")  # not a notebook render can read: not a run either
    (nbdir / "Untitled.ipynb").unlink()
    s = render(**kw)
    assert all(r.reused_from is not None for r in s.results), s.table()
    assert _tokens(out) == t0
    # editing one notebook executes that notebook's runs only
    _nb(nbdir / "tok2.ipynb", TOK_PARAMS, TOKEN_NB + "# edited\n")
    s = render(**kw)
    assert {r.run.key: r.reused_from is not None for r in s.results} == {
        "phoenix-az/tok": True, "chicago-il/tok": True, "phoenix-az/tok2": False, "chicago-il/tok2": False}
    t1 = _tokens(out)
    assert {k: t1[k] == t0[k] for k in t0} == {
        "phoenix-az/tok": True, "chicago-il/tok": True, "phoenix-az/tok2": False, "chicago-il/tok2": False}


# -- 7: the index lists this render's runs, others apart ---------------------------------

def _split_index(out):
    page = (out / "index.html").read_text()
    main_part, _, other = page.partition("<h2>Other reports in this folder (not part of this render)</h2>")
    return main_part, other


def test_the_index_lists_this_renders_runs_and_the_folders_others_apart(ws):
    tmp, nbdir, pf, out = ws
    # an earlier render of another selection (here: Phoenix), whose run then failed
    assert render(portfolio=pf, sites=["phoenix-az"], notebooks=["tok"], out=out, jobs=1,
                  notebook_dir=nbdir, progress=False).ok
    shutil.copytree(out / "phoenix-az" / "tok", out / "phoenix-az" / "gone")  # a notebook since removed
    status = json.loads((out / "runs.json").read_text())
    status["phoenix-az/tok"].update(ok=False, error="ValueError: boom", failed_cell=2)
    status["elsewhere/tok"] = {"ok": False, "error": "ValueError: never good", "failed_cell": 2,
                               "site_name": "Elsewhere", "notebook": "tok", "when": "2020-01-01T00:00:00+00:00"}
    (out / "runs.json").write_text(json.dumps(status))
    # this render: Chicago only, ok
    s = render(portfolio=pf, sites=["chicago-il"], notebooks=["tok"], out=out, jobs=1,
               notebook_dir=nbdir, progress=False)
    assert s.ok and "1/1 runs ok" in s.table()
    main_part, other = _split_index(out)
    assert "chicago-il/tok/report.html" in main_part and "1 run(s) in this render: 1 executed; 1 report(s) shown." in main_part
    for key in ("phoenix-az/tok/report.html", "phoenix-az/gone/report.html", "elsewhere/tok"):
        assert key not in main_part and key in other
    main_rows = main_part.split("<tbody>", 1)[1]
    assert "failed" not in main_rows and "never good" in other and "ValueError: boom" in other
    # rendering Phoenix again brings it back among this render's runs
    assert render(portfolio=pf, sites=["phoenix-az"], notebooks=["tok"], out=out, jobs=1,
                  notebook_dir=nbdir, progress=False).ok
    main_part, other = _split_index(out)
    assert "phoenix-az/tok/report.html" in main_part and "chicago-il/tok/report.html" in other


def test_an_index_of_nothing_but_this_render_has_no_other_section(tmp_path):
    out = tmp_path / "o"
    (out / "a" / "nb").mkdir(parents=True)
    (out / "a" / "nb" / "results.json").write_text(json.dumps({"site_name": "A", "notebook": "nb", "results": {}}))
    write_index(out, {"a/nb": {"ok": True}}, current=["a/nb"])
    main_part, other = _split_index(out)
    assert "a/nb/report.html" in main_part and other == ""
