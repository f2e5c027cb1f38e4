"""A student's server hands its warm spare kernel to the first notebook (alliancekit._warmkernel).

One real Jupyter server on 127.0.0.1 with a token, the hub's kernel manager, and the spare started
at once. The spare must behave, for the notebook that gets it, exactly like a kernel started for
that notebook: its folder, its session variables, nothing extra in the student's namespace, and
the same after a restart. Later notebooks get kernels started as usual.
"""
from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from process_support import stop_process_group

PROBE = (
    "import json, os, sys\n"
    "print(json.dumps({'cwd': os.getcwd(), 'session': os.environ.get('JPY_SESSION_NAME'),\n"
    "                  'dunder': globals().get('__session__'),\n"
    "                  'warm': 'altair' in sys.modules and 'alliancekit.widgets' in sys.modules,\n"
    "                  'names': sorted(n for n in globals() if not n.startswith('_'))}))\n"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A Jupyter server with the warm kernel manager, stopped by its process group."""

    def __init__(self, root: Path, scratch: Path, *, busy_at: float = 1e9):
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.log = scratch / "server.log"
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(scratch / "config"),
                   JUPYTER_RUNTIME_DIR=str(scratch / "runtime"), JUPYTER_PLATFORM_DIRS="1")
        env.pop("JPY_SESSION_NAME", None)
        command = [sys.executable, "-m", "jupyter_server", "--no-browser",
                   "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                   "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={root}",
                   "--ServerApp.kernel_manager_class=alliancekit._warmkernel.WarmKernelManager",
                   "--WarmKernelManager.spare_delay=0",
                   # by default a busy test machine must not put the spare off (its own test
                   # below gives 0: the machine then always counts as busy)
                   f"--WarmKernelManager.spare_busy_at={busy_at}"]
        if os.geteuid() == 0:
            command.append("--allow-root")
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(command, cwd=scratch, env=env, stdout=handle,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_for(lambda: self.request("GET", "api/status")[0] == 200, "answer")

    def wait_for(self, condition, what: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log.read_text()[-3000:]}")
            try:
                if condition():
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the server did not {what}:\n{self.log.read_text()[-3000:]}")

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/{path}", data=data, method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def open_notebook(self, path: str) -> str:
        status, session = self.request("POST", "api/sessions", {
            "path": path, "name": Path(path).name, "type": "notebook",
            "kernel": {"name": "python3"}})
        assert status == 201, session
        return session["kernel"]["id"]

    def run(self, kernel_id: str, code: str) -> dict:
        return asyncio.run(self._run(kernel_id, code))

    async def _run(self, kernel_id: str, code: str) -> dict:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{self.port}/api/kernels/{kernel_id}/channels"
        conn = await websocket_connect(
            HTTPRequest(url, headers={"Authorization": f"token {self.token}"}))
        msg_id = uuid.uuid4().hex
        conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "t",
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False}}))
        out, status, idle = [], None, False
        try:  # the reply (shell) can come before the output (iopub): wait for both
            while status is None or not idle:
                msg = json.loads(await asyncio.wait_for(conn.read_message(), 120))
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])
                elif msg["msg_type"] == "error":
                    out.append(msg["content"]["evalue"])
                elif msg["msg_type"] == "execute_reply":
                    status = msg["content"]["status"]
                elif msg["msg_type"] == "status":
                    idle = msg["content"]["execution_state"] == "idle"
        finally:
            conn.close()
        assert status == "ok", out
        return json.loads("".join(out).strip().splitlines()[-1])

    def stop(self) -> None:
        stop_process_group(self.process, grace=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("home")
    (root / "course").mkdir()
    (root / "my-work").mkdir()
    started = Server(root, tmp_path_factory.mktemp("scratch"))
    try:
        started.wait_for(lambda: "is warm" in started.log.read_text(), "warm its spare")
        started.root = root
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def first(server):
    """The first notebook opened, its kernel, and what the kernel reports."""
    spare = [k["id"] for k in server.request("GET", "api/kernels")[1]]
    kernel = server.open_notebook("course/05-erosion.ipynb")
    return {"spare": spare, "kernel": kernel, "probe": server.run(kernel, PROBE)}


def test_the_first_notebook_gets_the_warm_spare(first):
    assert first["spare"] == [first["kernel"]]
    assert first["probe"]["warm"]


def test_the_spare_runs_in_the_notebooks_folder_with_its_session(server, first):
    notebook = server.root / "course" / "05-erosion.ipynb"
    assert first["probe"]["cwd"] == str(server.root / "course")
    assert first["probe"]["session"] == str(notebook)
    assert first["probe"]["dunder"] == str(notebook)


def test_a_restarted_spare_comes_back_in_the_notebooks_folder(server, first):
    status, _ = server.request("POST", f"api/kernels/{first['kernel']}/restart")
    assert status == 200
    after = server.run(first["kernel"], PROBE)
    assert after["cwd"] == str(server.root / "course")
    assert after["session"] == first["probe"]["session"]


@pytest.fixture(scope="module")
def later(server, first):
    """A second notebook, opened after the first: its kernel and what it reports."""
    kernel = server.open_notebook("my-work/ex01-theory.ipynb")
    return {"kernel": kernel, "probe": server.run(kernel, PROBE)}


def test_later_notebooks_get_kernels_started_as_usual(server, first, later):
    assert later["kernel"] != first["kernel"]
    assert later["probe"]["cwd"] == str(server.root / "my-work")
    assert not later["probe"]["warm"]


def test_the_warm_up_leaves_no_name_in_the_students_namespace(first, later):
    assert first["probe"]["names"] == later["probe"]["names"]


def test_a_busy_machine_puts_the_spare_off_and_the_notebook_gets_a_kernel_as_usual(
        tmp_path_factory):
    """While every core is taken (here: always, ``spare_busy_at=0``), no spare competes with the
    servers still starting; the first notebook then gets a kernel started for it, as without one."""
    root = tmp_path_factory.mktemp("busy-home")
    (root / "course").mkdir()
    busy = Server(root, tmp_path_factory.mktemp("busy-scratch"), busy_at=0)
    try:
        busy.wait_for(lambda: busy.log.read_text().count("Spare kernel put off") >= 2,
                      "put its spare off twice")
        assert busy.request("GET", "api/kernels")[1] == []
        kernel = busy.open_notebook("course/05-erosion.ipynb")
        probe = busy.run(kernel, PROBE)
        assert probe["cwd"] == str(root / "course")
        assert not probe["warm"]
        time.sleep(1.5)  # past the next look at the machine: the spare is not started after all
        assert [k["id"] for k in busy.request("GET", "api/kernels")[1]] == [kernel]
        assert "is warm" not in busy.log.read_text()
    finally:
        busy.stop()
