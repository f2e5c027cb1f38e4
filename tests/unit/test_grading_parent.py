"""The grader's side of a warm parent: one reply per request, and an error that names the parent."""
from __future__ import annotations

import json
import os
import platform
import socket
import subprocess
import sys

import pytest

from alliancekit.grading.parent import SandboxedParent, userns_filter_fd


class ParentGone(RuntimeError):
    pass


class _Parent(SandboxedParent):
    who = "the test's parent"
    error = ParentGone

    def __init__(self):
        self.control, self.other = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        self.warmed = set()

    def reply(self, data: bytes) -> None:
        self.other.send(data)

    def close(self) -> None:
        self.kill()
        self.process.wait()
        self.control.close()
        self.other.close()


@pytest.fixture
def parent():
    made = _Parent()
    yield made
    made.close()


def test_a_reply_is_read_as_one_json_object(parent):
    parent.reply(json.dumps({"op": "ready"}).encode())
    assert parent._ask(None, 1.0) == {"op": "ready"}


def test_a_parent_that_does_not_answer_is_named_with_the_wait(parent):
    with pytest.raises(ParentGone, match="the test's parent did not answer within 0.1 s"):
        parent._ask({"op": "warm", "modules": []}, 0.1)


@pytest.mark.parametrize("data", [b"[1, 2]", b"not json", b'"ready"'])
def test_a_reply_that_is_not_a_json_object_is_refused(parent, data):
    parent.reply(data)
    with pytest.raises(ParentGone, match="sent something that is not a message"):
        parent._ask(None, 1.0)


def test_a_closed_control_socket_means_the_parent_stopped(parent):
    parent.other.close()
    with pytest.raises(ParentGone, match="the test's parent stopped"):
        parent._ask(None, 1.0)


def test_modules_are_imported_once_each(parent):
    parent.reply(b'{"op": "warmed"}')
    parent.warm(["json", "csv"], 1.0)
    asked = json.loads(parent.other.recv(1 << 16))
    assert asked == {"op": "warm", "modules": ["json", "csv"]}
    parent.warm(["csv"], 0.1)  # nothing new: nothing asked, so no wait for a reply
    assert parent.warmed == {"json", "csv"}


def test_a_parent_that_does_not_confirm_the_imports_fails_them(parent):
    parent.reply(b'{"op": "error"}')
    with pytest.raises(ParentGone, match="did not import the library"):
        parent.warm(["json"], 1.0)
    assert parent.warmed == set()


def test_kill_ends_the_parent(parent):
    assert parent.alive()
    parent.kill()
    parent.process.wait(5)
    assert not parent.alive()


def test_the_seccomp_filter_is_handed_over_as_a_readable_pipe():
    fd = userns_filter_fd()
    if platform.machine() not in ("x86_64", "aarch64"):
        assert fd is None
        return
    try:
        program = os.read(fd, 1 << 16)
    finally:
        os.close(fd)
    assert program and len(program) % 8 == 0  # an array of struct sock_filter, 8 bytes each
