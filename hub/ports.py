"""Ports for the students' servers: each one distinct, and outside the kernel's ephemeral range.

JupyterHub's ``LocalProcessSpawner`` asks the operating system for a free port (bind to port 0,
read the number, close the socket) and passes it to the new server, which binds it a second or
more later. When a whole class logs in in the same minute, two servers can be handed the same
port in that gap, and so can an outgoing connection, since the port came from the range the kernel
uses for those (``/proc/sys/net/ipv4/ip_local_port_range``). The second server then fails to start,
and the hub's proxy sends its student to a classmate's server, which refuses them ("Not allowing
user"). ``benchmarks/bench_hub.py`` met this with 45 and 60 students on 7 December 2026.

Here the hub hands out ports itself: from a range below the ephemeral one, never one it has
handed out and not yet taken back, and only one that nothing is listening on at that moment.
"""
from __future__ import annotations

import random
import socket
import threading

LOW, HIGH = 20000, 32000  # below Linux's default ephemeral range, 32768-60999


class PortPool:
    """Ports handed to servers that are starting or running, and no others.

    Parameters
    ----------
    low, high : int
        The range to pick from, ``low`` included and ``high`` excluded (TCP port numbers).
    rng : random.Random, optional
        Source of the random choice (seed it in tests).
    """

    def __init__(self, low: int = LOW, high: int = HIGH, rng: random.Random | None = None):
        if not (isinstance(low, int) and isinstance(high, int) and 1024 <= low < high <= 65536):
            raise ValueError(f"low and high must be integers with 1024 <= low < high <= 65536; "
                             f"got low={low!r}, high={high!r}")
        self.low, self.high = low, high
        self._rng = rng or random.SystemRandom()
        self._taken: set[int] = set()
        self._lock = threading.Lock()

    def claim(self, attempts: int = 200) -> int:
        """A port no other claim holds and nothing listens on; it is held until :meth:`release`.

        Parameters
        ----------
        attempts : int
            How many random ports to try before giving up.
        """
        with self._lock:
            for _ in range(attempts):
                port = self._rng.randrange(self.low, self.high)
                if port not in self._taken and _free(port):
                    self._taken.add(port)
                    return port
        raise RuntimeError(f"no free port found in {self.low}-{self.high - 1} after {attempts} "
                           f"tries ({len(self._taken)} held by servers of this hub)")

    def release(self, port: int) -> None:
        """Give ``port`` back (a stopped server's); releasing a port not held does nothing."""
        with self._lock:
            self._taken.discard(port)

    def held(self) -> frozenset[int]:
        """The ports held now."""
        with self._lock:
            return frozenset(self._taken)


def _free(port: int) -> bool:
    """True when ``port`` can be bound on the loopback address right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
