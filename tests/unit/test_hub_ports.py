"""The hub hands each student's server its own port (hub/ports.py)."""
from __future__ import annotations

import random
import socket
import sys
import threading
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "hub"))

from ports import HIGH, LOW, PortPool  # noqa: E402


def test_a_class_logging_in_at_once_gets_distinct_ports():
    pool = PortPool(rng=random.Random(1))
    got: list[int] = []
    threads = [threading.Thread(target=lambda: got.append(pool.claim())) for _ in range(120)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(got)) == 120


def test_ports_come_from_below_the_ephemeral_range():
    ephemeral_low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    pool = PortPool(rng=random.Random(2))
    ports = [pool.claim() for _ in range(50)]
    assert all(LOW <= p < HIGH <= ephemeral_low for p in ports)


def test_a_port_something_listens_on_is_never_handed_out():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        pool = PortPool(low=port, high=port + 1)
        with pytest.raises(RuntimeError, match="no free port"):
            pool.claim(attempts=5)


def test_a_released_port_can_be_handed_out_again():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pool = PortPool(low=port, high=port + 1)
    assert pool.claim() == port
    with pytest.raises(RuntimeError, match="1 held by servers"):
        pool.claim(attempts=3)
    pool.release(port)
    assert pool.claim() == port


@pytest.mark.parametrize("low, high", [(80, 2000), (30000, 30000), (30000, 70000), ("1", 9)])
def test_a_bad_range_is_refused_with_what_is_allowed(low, high):
    with pytest.raises(ValueError, match="1024 <= low < high <= 65536"):
        PortPool(low=low, high=high)
