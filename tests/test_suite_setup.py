"""The test suite's own set-up (tests/conftest.py): the order the modules run in, and the shared zygote that the
suite's renders and papermill runs fork their kernels from. Both only save time; these tests say that they
still do what they claim, so that a rename or a refactor cannot quietly undo them."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from conftest import FIRST_MODULES, OWN_ZYGOTE_MODULES, papermill_execute, pytest_collection_modifyitems

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("names", [FIRST_MODULES, OWN_ZYGOTE_MODULES], ids=["first", "own-zygote"])
def test_the_modules_named_are_test_modules_of_this_folder_each_once(names):
    assert sorted(n for n in names if not (HERE / f"{n}.py").is_file()) == []
    assert len(set(names)) == len(names)


def test_the_first_modules_come_first_in_their_order_and_the_rest_keep_theirs():
    def item(nodeid):
        return SimpleNamespace(nodeid=nodeid)
    items = [item("tests/test_a.py::t1"), item(f"tests/{FIRST_MODULES[1]}.py::t1"), item("tests/test_b.py::t1"),
             item(f"tests/{FIRST_MODULES[0]}.py::t1"), item(f"tests/{FIRST_MODULES[1]}.py::t2"),
             item("tests/test_a.py::t2")]
    pytest_collection_modifyitems(None, items)
    assert [i.nodeid for i in items] == [
        f"tests/{FIRST_MODULES[0]}.py::t1", f"tests/{FIRST_MODULES[1]}.py::t1", f"tests/{FIRST_MODULES[1]}.py::t2",
        "tests/test_a.py::t1", "tests/test_b.py::t1", "tests/test_a.py::t2"]


def test_papermill_runs_fork_their_kernel_from_the_sessions_zygote_unless_cold(tmp_path):
    from dcplan import _kernel_zygote as kz
    if not kz.SUPPORTED:
        pytest.skip("warm kernels need fork (Linux)")
    assert __name__.rpartition(".")[2] not in OWN_ZYGOTE_MODULES and kz._shared  # shared_kernels
    zygote = kz._shared[-1]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import os\nprint(os.getppid())")]
    nbformat.write(nb, str(tmp_path / "ppid.ipynb"))
    parents = {}
    for cold in (False, True):
        out = papermill_execute(tmp_path / "ppid.ipynb", tmp_path / f"out-{cold}.ipynb", kernel_name="python3",
                                cold=cold)
        parents[cold] = int(out.cells[0].outputs[0]["text"].strip())
    assert parents[False] == zygote.proc.pid  # forked by the zygote
    assert parents[True] == os.getpid()  # started by papermill's kernel manager in this process, as a user's
