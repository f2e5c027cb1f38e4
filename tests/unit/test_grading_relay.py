"""The grader's relay handle: stopping it is quiet, and only an unasked-for end counts as dying."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from alliancekit.grading import relay as relay_module
from alliancekit.grading.relay import Relay

CHANNELS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _relay(on_lost=None) -> Relay:
    kernel = {"transport": "tcp", "ip": "127.0.0.1",
              **dict(zip(CHANNELS, _free_ports(len(CHANNELS)), strict=True))}
    return Relay(kernel, reply_bytes=2**20, output_bytes=2**20, output_total=2**22,
                 on_lost=on_lost)


@pytest.fixture
def thread_errors(monkeypatch):
    seen = []
    monkeypatch.setattr(threading, "excepthook", seen.append)
    return seen


class _SlowThread(threading.Thread):
    """A listener that starts late, as on a loaded machine: the pipe is closed before it reads."""

    def run(self):
        time.sleep(0.3)
        super().run()


def test_stopping_a_relay_before_its_listener_reads_raises_nothing(thread_errors, monkeypatch):
    monkeypatch.setattr(relay_module.threading, "Thread", _SlowThread)
    lost = []
    relay = _relay(on_lost=lambda: lost.append(True))
    relay.stop()
    time.sleep(0.6)
    assert thread_errors == []
    assert lost == [] and not relay.died


def test_a_relay_killed_while_the_grader_needs_it_counts_as_died():
    lost = threading.Event()
    relay = _relay(on_lost=lost.set)
    try:
        relay.process.kill()
        assert lost.wait(10)
        assert relay.died
        assert any("relay to its kernel stopped" in note for note in relay.notes())
    finally:
        relay.stop()
