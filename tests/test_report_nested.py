"""A render never deletes another render's reports, and refuses a nested ``--out`` before it starts anything.

A reviewer's finding: the ``--out``-inside-another-render refusal (tests/test_robust_render.py) came after
such folders could be made; one made before it (``k2/phoenix-az/fig/nested``, its own ``.dcplan-reports``
marker) was still deleted, silently, by ``render --out k2 --force``, which replaces each run folder whole.
And the refusal came after the warm-kernel server had started and the portfolio was planned.
"""
from __future__ import annotations

import shutil

import pytest

import dcplan.report as report
from dcplan.cli import main
from dcplan.errors import InputError

from test_render_not_current import _render, ws  # noqa: F401 (the fixture)


def _nested_render_inside_a_run_folder(ws, tmp_path):  # noqa: F811
    """``out`` rendered, then another render's folder moved into its run folder ``phoenix-az/fig``
    (as a render with ``--out k2/phoenix-az/fig/nested`` made it before that was refused)."""
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    elsewhere = tmp_path / "elsewhere"
    assert _render((nbdir, pf, elsewhere), sites=["phoenix-az"]).ok
    nested = out / "phoenix-az" / "fig" / "nested"
    shutil.copytree(elsewhere, nested)
    return nested


@pytest.mark.parametrize("force", [True, False])
def test_a_render_inside_a_run_folder_is_never_deleted(ws, tmp_path, force):  # noqa: F811
    nbdir, pf, out = ws
    nested = _nested_render_inside_a_run_folder(ws, tmp_path)
    before = {p.relative_to(nested): p.read_bytes() for p in nested.rglob("*") if p.is_file()}
    run_files = sorted(p.name for p in (out / "phoenix-az" / "fig").iterdir())
    # --force executes the run again and replaces its folder; without it the run would be kept this time, but
    # any change of its inputs replaces it: refused either way, before the render starts
    with pytest.raises(InputError) as ei:
        _render(ws, sites=["phoenix-az"], force=force)
    e = ei.value
    assert e.field == "--out" and e.file == str(out)
    assert f"holds the reports of another render in {nested} (its marker {nested / '.dcplan-reports'}), inside " \
           "the run folder phoenix-az/fig that this render replaces whole" in str(e)
    assert "nothing was written" in str(e)
    after = {p.relative_to(nested): p.read_bytes() for p in nested.rglob("*") if p.is_file()}
    assert after == before  # every file of the inner render, byte for byte
    assert sorted(p.name for p in (out / "phoenix-az" / "fig").iterdir()) == run_files
    # the CLI: bad input, exit 2
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--notebooks", "fig",
                 "--sites", "phoenix-az", "--out", str(out), "-q", "-j", "1", "--cold-kernels", "--force"]) == 2
    assert (nested / ".dcplan-reports").is_file()
    # once it is moved out, the render goes on, and a run folder of the site not holding it is no matter
    shutil.move(str(nested), str(tmp_path / "moved"))
    assert _render(ws, sites=["phoenix-az"], force=True).ok
    assert (tmp_path / "moved" / ".dcplan-reports").is_file()


def test_the_folder_being_rendered_again_is_no_other_render(ws):  # noqa: F811
    """``out``'s own marker: a --force render of it is as before (each run executed again)."""
    assert _render(ws, sites=["phoenix-az"]).ok
    s = _render(ws, sites=["phoenix-az"], force=True)
    assert s.ok and s.results[0].reused_from is None


def test_a_nested_out_is_refused_before_anything_starts(ws, monkeypatch):  # noqa: F811
    """The refusal comes first: no warm-kernel server started, no portfolio planned (whose checks warn)."""
    nbdir, pf, out = ws
    assert _render(ws, sites=["phoenix-az"]).ok
    nested = out / "phoenix-az" / "fig" / "nested"

    def started(*a, **kw):
        raise AssertionError("started before the --out refusal")
    import dcplan._kernel_zygote as zygote
    monkeypatch.setattr(zygote, "start", started)
    monkeypatch.setattr(zygote, "prestart", started)
    monkeypatch.setattr(report, "plan_runs", started)
    with pytest.raises(InputError, match="is inside the reports folder"):
        report.render(portfolio=pf, out=nested, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=True,
                      notebooks=["fig"])
    assert main(["render", "--portfolio", str(pf), "--notebook-dir", str(nbdir), "--notebooks", "fig",
                 "--out", str(nested), "-q"]) == 2  # warm kernels (the default): refused before prestart
    assert not nested.exists()


def test_a_parent_of_a_render_says_which_folder_is_the_render(ws, tmp_path):  # noqa: F811
    """``render --out reports/a`` then ``render --out reports``: refused (reports is not a reports folder),
    naming the render folder inside it."""
    nbdir, pf, _ = ws
    parent = tmp_path / "parent"
    assert _render((nbdir, pf, parent / "a"), sites=["phoenix-az"]).ok
    with pytest.raises(InputError) as ei:
        _render((nbdir, pf, parent), sites=["phoenix-az"], force=True)
    assert "it holds the reports folder of another render (a): give --out " + str(parent / "a") in str(ei.value)
    assert (parent / "a" / ".dcplan-reports").is_file() and sorted(p.name for p in parent.iterdir()) == ["a"]


def test_a_render_inside_a_run_folder_is_refused_before_the_server_starts_and_the_plan_warns(
        ws, tmp_path, monkeypatch):  # noqa: F811
    """The refusal of a run folder holding another render (which needs the plan's runs) comes before the
    warm-kernel server starts (about 10 s), and the plan's warnings are held until the --out checks pass:
    refused, none is issued; once the inner render is moved out, they are, and the render goes on."""
    import warnings

    import dcplan._kernel_zygote as zygote
    import dcplan.report_plan as report_plan
    from dcplan.errors import DcplanWarning
    nbdir, pf, out = ws
    nested = _nested_render_inside_a_run_folder(ws, tmp_path)

    def started(*a, **kw):
        raise AssertionError("the warm-kernel server started before the --out refusal")
    monkeypatch.setattr(zygote, "start", started)
    monkeypatch.setattr(zygote, "prestart", started)
    real = report_plan.warn_rendered_sites

    def warn(pf_, runs):  # a plan warning for certain (the bundled sites may have none)
        warnings.warn("a site's plausibility warning", DcplanWarning)
        return real(pf_, runs)
    monkeypatch.setattr(report_plan, "warn_rendered_sites", warn)
    with warnings.catch_warnings(record=True) as issued:
        warnings.simplefilter("always")
        with pytest.raises(InputError, match="holds the reports of another render"):
            report.render(portfolio=pf, out=out, jobs=1, notebook_dir=nbdir, progress=False, warm_kernels=True,
                          notebooks=["fig"], sites=["phoenix-az"], force=True, plausibility_warnings=True)
    assert not [w for w in issued if "plausibility warning" in str(w.message)]
    assert (nested / ".dcplan-reports").is_file()
    shutil.move(str(nested), str(tmp_path / "moved"))
    with pytest.warns(DcplanWarning, match="a site's plausibility warning"):
        assert _render(ws, sites=["phoenix-az"], force=True, plausibility_warnings=True).ok
