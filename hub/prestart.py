#!/usr/bin/env python3
"""Start every student's server before class, a few seconds apart, so nobody waits at log-in.

    sudo python3 hub/prestart.py                    # every student of the roster, 2 s apart
    sudo python3 hub/prestart.py --stagger 3 s1 s2  # some students, 3 s apart
    sudo python3 hub/prestart.py --wait 300         # then wait until all are ready (at most 300 s)

Each server needs 2-4 s of CPU to start. When a whole class logs in in the same minute those
starts queue for the machine's cores and the last student waits about a minute; started one after
another ahead of the lesson, they cost the same CPU while nobody is waiting. For each student this
asks the hub's REST API for the server (``POST /hub/api/users/NAME/server``) and waits
``--stagger`` seconds before the next. A server that is already running or starting is left as it
is. The idle culler (``hub/jupyterhub_config.py``) stops servers unused for an hour, so run this
less than an hour before class.

The request carries the token of the hub service ``prestart`` (``hub/jupyterhub_config.py``),
which may start, stop and see users' servers and nothing else. The hub writes that token to
``STATE/prestart-token``, readable by root only; ``--token-file`` or the environment variable
``JUPYTERHUB_API_TOKEN`` give another. Settings default to those of the hub's configuration
(``ALLIANCEKIT_HUB_PREFIX``, ``..._STATE``, ``..._ROSTER``, ``..._HUB_PORT``).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from roster import load  # noqa: E402


def setting(name: str, default: str) -> str:
    """The value of ``ALLIANCEKIT_HUB_<name>``, or ``default`` (as hub/jupyterhub_config.py)."""
    return os.environ.get(f"ALLIANCEKIT_HUB_{name}", default)


PREFIX = Path(setting("PREFIX", "/opt/alliancekit-hub"))
STATE = Path(setting("STATE", str(PREFIX / "state")))
#: Where the hub keeps the prestart service's token (hub/jupyterhub_config.py writes it).
TOKEN_FILE = STATE / "prestart-token"


class HubAPI:
    """The few REST calls this needs, with one token (standard library only)."""

    def __init__(self, url: str, token: str, timeout: float = 30.0):
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, method: str, path: str) -> tuple[int, dict]:
        """``method`` on ``path`` (below /hub/api); the HTTP status and the JSON answer."""
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                status, body = answer.status, answer.read()
        except urllib.error.HTTPError as err:
            status, body = err.code, err.read()
        try:
            return status, json.loads(body or b"{}")
        except ValueError:
            return status, {"message": body[:200].decode(errors="replace")}


def start(api: HubAPI, name: str) -> str:
    """Ask for ``name``'s server; one word for what happened (started, starting, running)."""
    status, answer = api.call("POST", f"/users/{name}/server")
    if status == 201:
        return "started"
    if status == 202:
        return "starting"
    if status == 400 and "already" in str(answer.get("message", "")).lower():
        return "running"
    raise RuntimeError(f"the hub answered {status} for {name}: {answer.get('message', answer)}")


def is_ready(api: HubAPI, name: str) -> bool:
    """True when ``name``'s default server is up and answering."""
    status, answer = api.call("GET", f"/users/{name}")
    if status != 200:
        raise RuntimeError(f"the hub answered {status} for {name}: {answer.get('message', answer)}")
    server = (answer.get("servers") or {}).get("")
    return bool(server and server.get("ready"))


def prestart(api: HubAPI, names: list[str], stagger: float, wait: float = 0.0,
             sleep=time.sleep, clock=time.monotonic, say=print) -> dict[str, str]:
    """Start each user's server, ``stagger`` seconds apart; then wait up to ``wait`` s for all.

    Parameters
    ----------
    api : HubAPI
        The hub's REST API, with a token that may start users' servers.
    names : list of str
        Users whose servers to start, in this order.
    stagger : float
        Seconds between two requests (>= 0).
    wait : float
        Seconds to wait, after the last request, for every server to be ready (0: do not wait).
    sleep, clock, say : callables
        Time and output (replaced in tests).

    Returns
    -------
    dict
        User -> ``started``, ``starting``, ``running`` or ``failed: <reason>``; after a wait,
        ``ready`` or ``not ready`` for each server that was asked for.
    """
    if stagger < 0 or wait < 0:
        raise ValueError(f"stagger and wait must be >= 0 seconds; got {stagger} and {wait}")
    outcome = {}
    for i, name in enumerate(names):
        if i:
            sleep(stagger)
        try:
            outcome[name] = start(api, name)
        except (RuntimeError, OSError) as err:
            outcome[name] = f"failed: {err}"
        say(f"{name}: {outcome[name]}")
    pending = [n for n in names if not outcome[n].startswith("failed")]
    if wait and pending:
        deadline = clock() + wait
        while pending and clock() < deadline:
            pending = [n for n in pending if not is_ready(api, n)]
            if pending:
                sleep(2)
        for name in names:
            if not outcome[name].startswith("failed"):
                outcome[name] = "not ready" if name in pending else "ready"
        say(f"ready: {sum(v == 'ready' for v in outcome.values())} of {len(names)}")
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("users", nargs="*", help="users to start (default: every student)")
    parser.add_argument("--stagger", type=float, default=2.0,
                        help="seconds between two servers (default 2)")
    parser.add_argument("--wait", type=float, default=0.0,
                        help="then wait up to this many seconds until all are ready (default 0)")
    parser.add_argument("--hub-api", default=f"http://127.0.0.1:{setting('HUB_PORT', '8081')}"
                        "/hub/api", help="the hub's REST API (default: the hub's own port)")
    parser.add_argument("--token-file", type=Path, default=TOKEN_FILE,
                        help=f"file holding the token (default {TOKEN_FILE})")
    parser.add_argument("--roster", type=Path,
                        default=Path(setting("ROSTER", str(PREFIX / "roster.json"))))
    args = parser.parse_args(argv)
    if args.stagger < 0 or args.wait < 0:
        parser.error("--stagger and --wait must be >= 0 seconds")
    token = os.environ.get("JUPYTERHUB_API_TOKEN")
    if not token:
        try:
            token = args.token_file.read_text(encoding="utf-8").strip()
        except OSError as err:
            parser.error(f"no token: set JUPYTERHUB_API_TOKEN or give --token-file ({err})")
    names = args.users or load(args.roster)["students"]
    if not names:
        print("no students to start")
        return 0
    outcome = prestart(HubAPI(args.hub_api, token), names, args.stagger, args.wait)
    bad = [n for n, v in outcome.items() if v.startswith("failed") or v == "not ready"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
