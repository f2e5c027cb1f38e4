"""hub/prestart.py starts every student's server before class, through the hub's REST API.

Checked against a stand-in for the hub's API on 127.0.0.1 that wants a token, records each
request and answers as JupyterHub 5 does (201 started, 202 starting, 400 already running).
"""
from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "hub"))

import prestart  # noqa: E402

TOKEN = "stub-token-1234"


class StubHub:
    """The hub's REST API for a few users: POST .../server and GET /users/NAME."""

    def __init__(self, running=(), slow=(), ready_after=0):
        self.requests: list[tuple[str, str]] = []
        self.running = set(running)       # already up: POST answers 400
        self.slow = set(slow)             # POST answers 202 (still starting)
        self.ready_after = ready_after    # GETs of a user before its server reads as ready
        self.gets: dict[str, int] = {}
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self):
                if self.headers.get("Authorization") != f"token {TOKEN}":
                    self._answer(403, {"status": 403, "message": "Missing or invalid token"})
                    return False
                return True

            def do_POST(self):
                hub.requests.append(("POST", self.path))
                if not self._authorised():
                    return
                name = self.path.split("/")[-2]
                if name in hub.running:
                    self._answer(400, {"status": 400,
                                       "message": f"{name} is already running"})
                elif name in hub.slow:
                    self._answer(202, {})
                else:
                    hub.running.add(name)
                    self._answer(201, {})

            def do_GET(self):
                hub.requests.append(("GET", self.path))
                if not self._authorised():
                    return
                name = self.path.split("/")[-1]
                hub.gets[name] = hub.gets.get(name, 0) + 1
                ready = hub.gets[name] > hub.ready_after
                self._answer(200, {"name": name, "servers": {"": {"ready": ready}}})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub/api"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def run(hub, names, stagger=2.0, wait=0.0, token=TOKEN):
    """prestart() with a fake clock: returns the outcome and the pauses it made."""
    pauses = []
    now = [0.0]

    def sleep(seconds):
        pauses.append(seconds)
        now[0] += seconds

    outcome = prestart.prestart(prestart.HubAPI(hub.url, token), names, stagger, wait,
                                sleep=sleep, clock=lambda: now[0], say=lambda _: None)
    return outcome, pauses


def test_every_server_is_asked_for_in_order_with_the_stagger_between():
    with StubHub() as hub:
        outcome, pauses = run(hub, ["s1", "s2", "s3"], stagger=2.5)
    assert hub.requests == [("POST", "/hub/api/users/s1/server"),
                            ("POST", "/hub/api/users/s2/server"),
                            ("POST", "/hub/api/users/s3/server")]
    assert pauses == [2.5, 2.5]
    assert outcome == {"s1": "started", "s2": "started", "s3": "started"}


def test_a_running_or_starting_server_is_left_as_it_is():
    with StubHub(running={"s1"}, slow={"s2"}) as hub:
        outcome, _ = run(hub, ["s1", "s2"])
    assert outcome == {"s1": "running", "s2": "starting"}


def test_a_wrong_token_is_reported_for_each_user_and_starts_nothing():
    with StubHub() as hub:
        outcome, _ = run(hub, ["s1", "s2"], token="wrong")
    assert hub.running == set()
    assert all(v.startswith("failed: the hub answered 403") for v in outcome.values())


def test_with_wait_it_polls_until_every_server_is_ready():
    with StubHub(ready_after=2) as hub:
        outcome, pauses = run(hub, ["s1", "s2"], stagger=1.0, wait=60)
    assert outcome == {"s1": "ready", "s2": "ready"}
    assert hub.gets == {"s1": 3, "s2": 3}
    assert pauses == [1.0, 2, 2]


def test_a_server_not_ready_in_time_is_reported():
    with StubHub(ready_after=1000) as hub:
        outcome, _ = run(hub, ["s1"], wait=5)
    assert outcome == {"s1": "not ready"}


@pytest.mark.parametrize("stagger, wait", [(-1, 0), (0, -1)])
def test_negative_times_are_refused(stagger, wait):
    with pytest.raises(ValueError, match="stagger and wait must be >= 0"):
        prestart.prestart(prestart.HubAPI("http://127.0.0.1:9/hub/api", TOKEN), ["s1"],
                          stagger, wait)


def test_the_command_reads_the_roster_and_the_token_file(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("JUPYTERHUB_API_TOKEN", raising=False)
    (tmp_path / "roster.json").write_text(json.dumps(
        {"instructor": "teach", "graders": ["ta"], "students": ["s1", "s2"]}))
    (tmp_path / "token").write_text(TOKEN + "\n")
    with StubHub() as hub:
        code = prestart.main(["--stagger", "0", "--hub-api", hub.url,
                              "--token-file", str(tmp_path / "token"),
                              "--roster", str(tmp_path / "roster.json")])
    assert code == 0
    assert hub.running == {"s1", "s2"}          # the students, not the instructor or graders
    assert "s2: started" in capsys.readouterr().out
