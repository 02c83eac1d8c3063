"""The kernel client render uses: ready when the kernel_info request's ``idle`` arrives.

Scripted channels stand in for a kernel, so each branch of the protocol is exercised:
idle seen, IOPub not yet connected (silent), connected just after the request's status
went out (``iopub_welcome`` first), a kernel that never says idle, a dead kernel, and
the timeout. A last test drives a real kernel through render's manager.
"""
from __future__ import annotations

import asyncio
from pathlib import Path
from queue import Empty

import pytest

from dcplan.report import _ready_client_class


class _Chan:
    """A channel whose ``get_msg`` returns scripted messages, then raises Empty."""

    def __init__(self, script):
        self.script = list(script)
        self.waited = 0.0

    async def get_msg(self, timeout=None):
        while self.script:
            item = self.script.pop(0)
            if isinstance(item, float):  # silence of that many seconds (not really slept)
                if timeout is not None and item >= timeout:
                    self.waited += timeout
                    raise Empty
                self.waited += item
                continue
            return item(self.sent[-1]) if callable(item) else item
        self.waited += timeout or 0.0
        raise Empty


def _reply(_mid):
    return {"msg_type": "kernel_info_reply", "content": {"protocol_version": "5.3"}, "parent_header": {}}


def _status(state):
    return lambda mid: {"msg_type": "status", "parent_header": {"msg_id": mid},
                        "content": {"execution_state": state}}


def _client(shell, iopub, alive=True):
    base = _ready_client_class()

    class Scripted(base):
        sent: list = []

        def kernel_info(self):
            Scripted.sent.append(f"ki-{len(Scripted.sent)}")
            return Scripted.sent[-1]

        async def _async_is_alive(self):
            return alive

        async def _check_own(self, abs_timeout):  # the identity question once ready (tests/test_report_provenance.py)
            Scripted.checked += 1

    Scripted.sent = []
    Scripted.checked = 0
    c = Scripted()
    sh, io = _Chan(shell), _Chan(iopub)
    sh.sent = io.sent = Scripted.sent
    c.__dict__["_shell"], c.__dict__["_iopub"] = sh, io
    type(c).shell_channel = property(lambda self: self.__dict__["_shell"])
    type(c).iopub_channel = property(lambda self: self.__dict__["_iopub"])
    return c, sh, io


def test_ready_at_the_requests_idle_without_waiting_for_silence():
    c, sh, io = _client([_reply], [_status("busy"), _status("idle"), _status("extra")])
    asyncio.run(c.wait_for_ready(timeout=5))
    assert c.sent == ["ki-0"]
    assert c.checked == 1  # then asked which Python and dcplan it runs (dcplan.report_kernel.check_own_kernel)
    assert io.waited == 0.0  # jupyter_client would wait 0.2 s more for silence
    assert len(io.script) == 1  # later messages are left for the run


def test_silent_iopub_means_not_connected_and_the_request_is_sent_again():
    c, sh, io = _client([_reply, _reply], [1.0, _status("busy"), _status("idle")])
    asyncio.run(c.wait_for_ready(timeout=5))
    assert c.sent == ["ki-0", "ki-1"]
    assert io.waited == pytest.approx(0.2, abs=1e-3)


def test_welcome_before_the_requests_busy_means_its_status_was_lost_so_ask_again():
    welcome = {"msg_type": "iopub_welcome", "parent_header": {}, "content": {}}
    c, sh, io = _client([_reply, _reply], [welcome, _status("busy"), _status("idle")])
    asyncio.run(c.wait_for_ready(timeout=5))
    assert c.sent == ["ki-0", "ki-1"]  # the busy/idle that followed belong to the second request
    assert io.waited == 0.0  # no 0.2 s wait for an idle that will never come
    # a welcome after the request's busy changes nothing: its idle follows
    c, sh, io = _client([_reply], [_status("busy"), welcome, _status("idle")])
    asyncio.run(c.wait_for_ready(timeout=5))
    assert c.sent == ["ki-0"] and not io.script


def test_a_kernel_that_never_says_idle_is_accepted_once_iopub_speaks():
    c, sh, io = _client([_reply], [{"msg_type": "stream", "parent_header": {}, "content": {}}])
    asyncio.run(c.wait_for_ready(timeout=5))
    assert c.sent == ["ki-0"]


def test_idle_of_another_request_does_not_count():
    other = {"msg_type": "status", "parent_header": {"msg_id": "someone-else"},
             "content": {"execution_state": "idle"}}
    c, sh, io = _client([_reply], [other, _status("idle")])
    asyncio.run(c.wait_for_ready(timeout=5))
    assert not io.script and c.sent == ["ki-0"]


def test_dead_kernel_and_timeout_raise():
    c, _, _ = _client([2.0], [], alive=False)
    with pytest.raises(RuntimeError, match="Kernel died"):
        asyncio.run(c.wait_for_ready(timeout=5))
    c, _, _ = _client([2.0], [])
    with pytest.raises(RuntimeError, match="didn't respond"):
        asyncio.run(c.wait_for_ready(timeout=0))


def test_a_real_kernel_through_renders_manager(tmp_path):
    # the run's first output is the cell's own: nothing of the kernel_info request is left over
    import nbformat
    from nbclient import NotebookClient
    from dcplan.report import _ipc_kernel_manager
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('hello')")]
    km = _ipc_kernel_manager(str(tmp_path), tmp_path / "k.log")(kernel_name="python3")
    assert isinstance(km.client(), _ready_client_class())
    NotebookClient(nb, km=km, timeout=60).execute()
    assert [o.get("text") for o in nb.cells[0].outputs] == ["hello\n"]


def test_the_kernels_connection_file_is_in_the_runs_socket_folder(tmp_path):
    """It was a tmpXXXX.json in the system temp folder (the kernel's HMAC key), left behind by every
    killed render; in the run's socket folder the next render's stale-folder cleanup removes it."""
    import nbformat
    from nbclient import NotebookClient
    from dcplan.report import _ipc_kernel_manager
    km = _ipc_kernel_manager(str(tmp_path), tmp_path / "k.log")(kernel_name="python3")
    assert Path(km.connection_file).parent == tmp_path
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, ipykernel.connect as c; print(os.path.dirname(c.get_connection_file()))")])
    NotebookClient(nb, km=km, timeout=60).execute()
    assert nb.cells[0].outputs[0]["text"].strip() == str(tmp_path)
