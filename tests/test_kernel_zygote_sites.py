"""The zygote warms the render's own sites (dcplan._zygote_sites: KEPT_CACHES, Zygote.warm_sites):
their cooling towers' Merkel tables come with each forked kernel; every other cache is still emptied."""
from __future__ import annotations

import json
import time

import numpy as np
import pytest

from dcplan import _kernel_zygote as kz
from dcplan import _zygote_sites as zs
from dcplan import pipeline, thermal_tower_merkel as tm

from conftest import DATA


def _cache(name: str):
    import importlib
    mod, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(mod), attr)


@pytest.mark.parametrize("name", zs.KEPT_CACHES)
def test_each_kept_cache_is_a_functools_cache_of_that_name(name):
    # a renamed function would silently stop being kept (and its tables be solved in every kernel again)
    f = _cache(name)
    assert callable(getattr(f, "cache_clear", None)) and hasattr(f, "cache_info")


def test_clearing_keeps_the_tower_tables_and_empties_every_file_cache():
    from dcplan import site_climate_checks, thermal_plant_params, thermal_screen_basis
    from dcplan.site import load_portfolio
    kz._clear_dcplan_caches()
    tm._approach_table.cache_clear()
    thermal_plant_params._merkel_limit.cache_clear()
    spec = load_portfolio("default")["research-triangle-nc"]
    y = pipeline.run_site_year(spec)
    site_climate_checks.freeze_figures(spec, y.weather)
    assert tm._approach_table.cache_info().currsize == 1
    assert thermal_plant_params._merkel_limit.cache_info().currsize >= 1
    assert pipeline.load_counts()  # its weather was read
    # another module holds the same cache under its own name: kept all the same (by identity)
    assert thermal_screen_basis._merkel_limit is thermal_plant_params._merkel_limit
    kz._clear_dcplan_caches()
    assert tm._approach_table.cache_info().currsize == 1   # kept: numbers in, numbers out
    assert thermal_plant_params._merkel_limit.cache_info().currsize >= 1
    assert pipeline.load_counts() == {}                    # the file caches are not
    assert pipeline._weather_cached.cache_info().currsize == 0


def test_a_kept_table_is_the_table_solved_afresh():
    # what a kernel gets from the fork is what it would solve itself: the same numbers, read-only
    key = (24.0, 4.0, 5.6, 1.6)
    kept = tm._approach_table(key)
    fresh = tm._solve_approach_table(key)  # solved here, not read from dcplan._solved_cache's folder
    assert kept is not fresh
    np.testing.assert_array_equal(kept[0], fresh[0])
    np.testing.assert_array_equal(kept[1], fresh[1])
    assert not kept[1].flags.writeable


def test_warm_sites_writes_the_list_whole_once_and_in_order(tmp_path):
    z = kz.Zygote(str(tmp_path), proc=None, log=None)
    a, b = DATA / "sites" / "phoenix-az.yaml", DATA / "sites" / "chicago-il.yaml"
    z.warm_sites([a, b, a])
    assert json.loads((tmp_path / zs.SITES_FILE).read_text()) == [str(a), str(b)]
    assert not list(tmp_path.glob("*.tmp"))
    w = zs.SiteWarmUp(str(tmp_path / zs.SITES_FILE))
    steps = w.steps()
    assert [s.args for s in steps] == [(str(a),), (str(b),)]
    assert w.steps() == []  # each site once


@pytest.mark.parametrize("text", ["", "{not json", '{"a": 1}'])
def test_an_unreadable_sites_file_warms_nothing(tmp_path, text):
    (tmp_path / zs.SITES_FILE).write_text(text)
    assert zs.SiteWarmUp(str(tmp_path / zs.SITES_FILE)).steps() == []
    assert zs.SiteWarmUp(str(tmp_path / "missing.json")).steps() == []


def test_a_bad_site_path_is_a_skipped_warm_up_step(tmp_path):
    (tmp_path / zs.SITES_FILE).write_text(json.dumps([str(tmp_path / "no-such-site.yaml")]))
    (step,) = zs.SiteWarmUp(str(tmp_path / zs.SITES_FILE)).steps()
    assert kz.warm_up(step) is False


PROBE = """\
from dcplan import pipeline, site_climate_checks, thermal_plant_params as pp, thermal_tower_merkel as tm
from dcplan.results import publish
from dcplan.site import load_site
before = tm._approach_table.cache_info().misses + pp._merkel_limit.cache_info().misses
spec = load_site(site_file)
site_climate_checks.freeze_figures(spec, pipeline.run_site_year(spec).weather)   # as site_analysis does
publish('tables_solved', tm._approach_table.cache_info().misses + pp._merkel_limit.cache_info().misses - before)
"""


def test_a_kernel_forked_after_the_site_is_warmed_solves_no_tower_table(tmp_path):
    import nbformat

    from dcplan.report import execute_run, plan_runs
    site = DATA / "sites" / "northern-virginia.yaml"   # not the site the fixed warm-up runs
    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(f'site: str = "x"\nportfolio: str = "default"\nsite_file: str = {str(site)!r}')
    p.metadata["tags"] = ["parameters"]
    nb.cells = [p, nbformat.v4.new_code_cell(PROBE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(nbdir / "probe.ipynb"))
    pf = tmp_path / "pf.yaml"
    pf.write_text(f"name: one site\nsites:\n  - {site}\n")
    run = plan_runs(pf, out=tmp_path / "o", notebook_dir=nbdir)[0]
    cold = execute_run(run, zygote=str(tmp_path / "no-such-socket"))
    assert cold.ok and cold.results["tables_solved"]["value"] >= 2   # a fresh process solves them
    with kz.start() as z:
        z.warm_sites([site])
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # until the zygote has warmed the site
            warm = execute_run(run, zygote=z.path)
            assert warm.ok
            if warm.results["tables_solved"]["value"] == 0:
                break
            time.sleep(0.5)
    assert warm.results["tables_solved"]["value"] == 0


def _reads_environment(node) -> bool:
    """``os.environ[...]``, ``os.environ.get(...)`` (or any method), ``... in os.environ``, ``os.getenv(...)``."""
    import ast

    def is_environ(n):
        return isinstance(n, ast.Attribute) and n.attr == "environ" and getattr(n.value, "id", None) == "os"
    for n in ast.walk(node):
        if isinstance(n, ast.Subscript) and is_environ(n.value):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and (
                is_environ(n.func.value) or (n.func.attr == "getenv" and getattr(n.func.value, "id", None) == "os")):
            return True
        if isinstance(n, ast.Compare) and any(is_environ(c) for c in n.comparators):
            return True
    return False


def _import_time_statements(body):
    """What runs when a module is imported: top-level statements, class bodies, and of a function only its
    decorators and default values."""
    import ast
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from node.decorator_list
            yield from (d for d in (*node.args.defaults, *node.args.kw_defaults) if d is not None)
        elif isinstance(node, ast.ClassDef):
            yield from node.decorator_list
            yield from _import_time_statements(node.body)
        else:
            yield node


def test_no_dcplan_module_reads_the_environment_when_imported():
    # the zygote imports dcplan's modules (PRELOAD, and what its warm-up imports) before it forks kernels
    # that each get their own environment (DCPLAN_THREADS, DCPLAN_NOTEBOOK, the shared-weather folder): a
    # value read at import would be the zygote's, not the kernel's
    import ast
    import pkgutil

    import dcplan
    offenders, n = [], 0
    for m in pkgutil.walk_packages(dcplan.__path__, "dcplan."):
        path = m.module_finder.find_spec(m.name.rpartition(".")[2]).origin
        tree = ast.parse(open(path, encoding="utf-8").read())
        n += 1
        if any(_reads_environment(s) for s in _import_time_statements(tree.body)):
            offenders.append(m.name)
    assert offenders == [] and n > 200
    # the check finds such a read where there is one, and only what runs at import
    assert _reads_environment(ast.parse("X = os.environ.get('A', '1')"))
    assert _reads_environment(ast.parse("X = 'A' in os.environ"))
    assert not _reads_environment(ast.parse("def f(environ=os.environ): pass").body[0].args)
    at_import = list(_import_time_statements(ast.parse("def f(x=1): return os.environ['B']").body))
    assert not any(_reads_environment(s) for s in at_import)
    at_import = list(_import_time_statements(ast.parse("class C:\n    X = os.getenv('A')").body))
    assert any(_reads_environment(s) for s in at_import)
