"""A real JupyterHub for tests and benchmarks: install, start, talk to it, stop it by PID.

Used by ``tests/integration/test_hub.py``, ``tests/integration/test_hub_browser.py`` and
``benchmarks/bench_hub.py``. Everything binds to 127.0.0.1; the hub's API is reached with a
service token made for the run, each user's server with a token the hub issues for that user.
"""
from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
HUB_DIR = ROOT / "hub"
sys.path.insert(0, str(HUB_DIR))

import install as hub_install  # noqa: E402
import roster as hub_roster  # noqa: E402

# The shared environment is cached here between runs (rebuilt when the library changes).
TEST_PREFIX = Path(os.environ.get("ALLIANCEKIT_HUB_TEST_PREFIX", "/opt/alliancekit-hub-test"))


# A file in the home of every user the harness creates, so a later run may remove leftovers.
MARKER = ".alliancekit-test-user"


def missing_requirements() -> str | None:
    """Why a real hub cannot run here, or None when it can."""
    if sys.platform != "linux":
        return "a real JupyterHub class needs Linux (Unix users, cgroups)"
    if os.geteuid() != 0:
        return "a real JupyterHub class needs root (it creates Unix users and spawns as them)"
    for tool in ("useradd", "userdel", "npm", "node"):
        if shutil.which(tool) is None:
            return f"`{tool}` is not installed"
    if shutil.which("jupyterhub", path=os.path.dirname(sys.executable)) is None:
        return "jupyterhub is not installed in this environment (the [test] extra pins it)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pids_of_users(uids: set[int]) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                pass
    return pids


class Hub:
    """One real hub (jupyterhub + configurable-http-proxy) with its own Unix users.

    Parameters
    ----------
    instructor : str
        The instructor's user name.
    students : list of str
        The students' user names.
    prefix : Path
        Where the shared environment is installed (``hub/install.py``).
    mem_limit : str
        Per-user memory limit (``Spawner.mem_limit``), e.g. ``"1G"``.
    """

    def __init__(self, instructor: str, students: list[str], prefix: Path = TEST_PREFIX,
                 mem_limit: str = "1G", cpu_limit: str = "1.0", extra_config: str = "") -> None:
        self.instructor = instructor
        self.students = list(students)
        self.prefix = prefix
        self.run_dir = prefix / f"run-{uuid.uuid4().hex[:8]}"
        self.exchange = self.run_dir / "exchange"
        self.password = secrets.token_urlsafe(12)
        self.admin_token = secrets.token_hex(32)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mem_limit, self.cpu_limit = mem_limit, cpu_limit
        self.extra_config = extra_config
        self.process: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}
        self.created_users: list[str] = []
        self.log_path = self.run_dir / "jupyterhub.log"

    # ---- set-up ---------------------------------------------------------------------------------
    def install(self) -> None:
        """Build the shared environment (cached) and this run's exchange, roster and users."""
        import fcntl

        self.prefix.mkdir(parents=True, exist_ok=True)
        with open(self.prefix.parent / f".{self.prefix.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one install at a time
            hub_install.install(self.prefix, self.exchange)
        self.run_dir.mkdir(mode=0o755, exist_ok=True)
        hub_install.make_exchange(self.exchange)
        os.chmod(self.run_dir, 0o755)
        import pwd

        for name in [self.instructor, *self.students]:
            try:
                home = Path(pwd.getpwnam(name).pw_dir)
            except KeyError:
                pass
            else:  # left over by a run that was killed: remove it if this harness made it
                if not (home / MARKER).exists():
                    raise RuntimeError(f"user {name} already exists and was not made by these "
                                       "tests; the tests make (and remove) their own users")
                hub_roster.remove_unix_user(name)
            entry = hub_roster.ensure_unix_user(name)
            (Path(entry.pw_dir) / MARKER).write_text("made by tests/integration/hub_support.py\n")
            self.created_users.append(name)
        hub_roster.setup_instructor(self.instructor, self.prefix)
        hub_roster.save(self.run_dir / "roster.json", {"instructor": self.instructor,
                                                        "graders": [], "students": self.students})

    def _config(self) -> Path:
        path = self.run_dir / "test_config.py"
        path.write_text(
            "c = get_config()  # noqa: F821\n"
            f"load_subconfig({str(HUB_DIR / 'jupyterhub_config.py')!r})  # noqa: F821\n"
            "c.JupyterHub.services.append({'name': 'test-admin', 'admin': True,\n"
            "                              'api_token': "
            f"{self.admin_token!r}}})\n"
            + self.extra_config
        )
        return path

    def start(self, timeout: float = 120) -> None:
        """Start jupyterhub (which starts the proxy and services); wait until its API answers."""
        env = dict(os.environ)
        env.update({
            "ALLIANCEKIT_HUB_PREFIX": str(self.prefix),
            "ALLIANCEKIT_HUB_STATE": str(self.run_dir / "state"),
            "ALLIANCEKIT_HUB_ROSTER": str(self.run_dir / "roster.json"),
            "ALLIANCEKIT_HUB_PORT": str(self.port),
            "ALLIANCEKIT_HUB_HUB_PORT": str(free_port()),
            "ALLIANCEKIT_HUB_PROXY_API_PORT": str(free_port()),
            "ALLIANCEKIT_HUB_SERVICE_PORT": str(free_port()),
            "ALLIANCEKIT_HUB_AUTH": "shared-password",
            "ALLIANCEKIT_HUB_PASSWORD": self.password,
            "ALLIANCEKIT_HUB_MEM_LIMIT": self.mem_limit,
            "ALLIANCEKIT_HUB_CPU_LIMIT": self.cpu_limit,
        })
        jupyterhub = Path(sys.executable).parent / "jupyterhub"
        log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        self._log = log
        self.process = subprocess.Popen([str(jupyterhub), "-f", str(self._config())],
                                        cwd=self.run_dir, env=env, stdout=log, stderr=log,
                                        start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {self.process.returncode}:\n"
                                   + self.log_tail())
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise TimeoutError("jupyterhub did not answer in time:\n" + self.log_tail())

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    # ---- the hub's REST API ---------------------------------------------------------------------
    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {token or self.admin_token}"}
        kwargs.setdefault("timeout", 60)
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, **kwargs)

    def token_for(self, name: str) -> str:
        """A new API token of user ``name`` (issued by the hub through its admin API)."""
        if name not in self.tokens:
            reply = self.api("POST", f"/users/{name}/tokens", json={"note": "alliancekit test"})
            reply.raise_for_status()
            self.tokens[name] = reply.json()["token"]
        return self.tokens[name]

    def start_server(self, name: str, timeout: float = 150) -> float:
        """Start ``name``'s server and wait until it is ready; return the seconds it took."""
        began = time.monotonic()
        reply = self.api("POST", f"/users/{name}/server")
        if reply.status_code not in (201, 202, 400):
            reply.raise_for_status()
        while time.monotonic() - began < timeout:
            info = self.api("GET", f"/users/{name}").json()
            server = info.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - began
            time.sleep(0.5)
        raise TimeoutError(f"the server of {name} was not ready in {timeout} s:\n"
                           + self.log_tail())

    def server(self, name: str, method: str, path: str, token: str | None = None,
               **kwargs) -> requests.Response:
        """A request to user ``name``'s server through the proxy (``/user/<name>/...``)."""
        token = token or self.token_for(name)
        headers = {"Authorization": f"token {token}"}
        return requests.request(method, f"{self.url}/user/{name}{path}", headers=headers,
                                timeout=120, **kwargs)

    def service(self, method: str, path: str, token: str, **kwargs) -> requests.Response:
        """A request to the course's Formgrader service (``/services/alliancekit/...``)."""
        headers = {"Authorization": f"token {token}"}
        return requests.request(method, f"{self.url}/services/alliancekit{path}",
                                headers=headers, timeout=120, allow_redirects=False, **kwargs)

    # ---- kernels over the websocket -------------------------------------------------------------
    def start_kernel(self, name: str) -> str:
        reply = self.server(name, "POST", "/api/kernels", json={"name": "python3"})
        reply.raise_for_status()
        return reply.json()["id"]

    def open_notebook(self, name: str, path: str) -> str:
        """Open a notebook as JupyterLab does (a session, so the kernel knows its notebook);
        return the kernel's id."""
        reply = self.server(name, "POST", "/api/sessions",
                            json={"path": path, "name": path.rsplit("/", 1)[-1],
                                  "type": "notebook", "kernel": {"name": "python3"}})
        reply.raise_for_status()
        return reply.json()["kernel"]["id"]

    def execute(self, name: str, kernel_id: str, code: str, timeout: float = 300) -> dict:
        """Run ``code`` in a kernel of ``name`` over the websocket; return its output and status."""
        return asyncio.run(self._execute(name, kernel_id, code, timeout))

    async def _execute(self, name: str, kernel_id: str, code: str, timeout: float) -> dict:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{self.port}/user/{name}/api/kernels/{kernel_id}/channels"
        request = HTTPRequest(url, headers={"Authorization": f"token {self.token_for(name)}"})
        conn = await websocket_connect(request)
        msg_id = uuid.uuid4().hex
        conn.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": name,
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False},
        }))
        out, status, error = [], None, None
        deadline = time.monotonic() + timeout
        idle = False
        try:
            while not (idle and status is not None):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"kernel of {name} did not finish in {timeout} s")
                raw = await asyncio.wait_for(conn.read_message(), remaining)
                if raw is None:
                    raise RuntimeError(f"the kernel websocket of {name} closed")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
                elif kind == "execute_reply":
                    status = msg["content"]["status"]
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
        finally:
            conn.close()
        return {"stdout": "".join(out), "status": status, "error": error}

    def shell(self, name: str, kernel_id: str, command: list[str], cwd: str = "~") -> dict:
        """Run a command as ``name`` from a kernel in their server (as a terminal would)."""
        code = (
            "import json, os, subprocess\n"
            f"_r = subprocess.run({command!r}, cwd=os.path.expanduser({cwd!r}),\n"
            "                   capture_output=True, text=True)\n"
            "print(json.dumps({'code': _r.returncode, 'out': _r.stdout, 'err': _r.stderr}))\n"
        )
        result = self.execute(name, kernel_id, code)
        if result["error"]:
            raise RuntimeError(f"kernel of {name}: {result['error']}")
        return json.loads(result["stdout"].strip().splitlines()[-1])

    # ---- tear-down ------------------------------------------------------------------------------
    def stop(self) -> list[str]:
        """Stop servers, the hub, the proxy and every process of the test users, by PID.

        Returns
        -------
        list of str
            What had to be killed forcibly (empty when everything stopped cleanly).
        """
        forced = []
        if self.process is not None and self.process.poll() is None:
            for name in [self.instructor, *self.students]:
                try:
                    self.api("DELETE", f"/users/{name}/server", timeout=30)
                except requests.RequestException:
                    pass
        proxy_pid = None
        pid_file = self.run_dir / "state" / "jupyterhub-proxy.pid"
        if pid_file.exists():
            proxy_pid = int(pid_file.read_text().strip() or 0) or None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(10)
                    forced.append(f"jupyterhub {self.process.pid}")
            self._log.close()
        if proxy_pid and Path(f"/proc/{proxy_pid}").exists():
            os.kill(proxy_pid, signal.SIGTERM)
            forced.append(f"configurable-http-proxy {proxy_pid}")
        import pwd

        uids = set()
        for name in self.created_users:
            try:
                uids.add(pwd.getpwnam(name).pw_uid)
            except KeyError:
                pass
        for _ in range(20):
            pids = _pids_of_users(uids)
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                    forced.append(f"process {pid} of a test user")
                except ProcessLookupError:
                    pass
            time.sleep(0.25)
        return forced

    def remove(self) -> None:
        """Remove the Unix users this run created, their cgroups and the run's folder."""
        for name in self.created_users:
            hub_roster.remove_unix_user(name)
            for base in ("memory", "cpu"):
                for group in Path(f"/sys/fs/cgroup/{base}").rglob(f"alliancekit-{name}"):
                    try:
                        group.rmdir()
                    except OSError:
                        pass
        shutil.rmtree(self.run_dir, ignore_errors=True)
