"""A new kernel is ready when its idle status for our kernel_info request reaches us.

`alliancekit.grading.ready.wait_until_ready` against a scripted client: each ``kernel_info``
request makes the script put the kernel's answers on the shell and output channels (or not).
"""
from __future__ import annotations

import asyncio
from queue import Empty

import pytest

from alliancekit.grading.ready import wait_until_ready


class _Channel:
    def __init__(self) -> None:
        self.queue: list[dict] = []

    async def get_msg(self, timeout: float) -> dict:
        if not self.queue:
            raise Empty
        return self.queue.pop(0)


def _reply(parent: str) -> dict:
    return {"msg_type": "kernel_info_reply", "parent_header": {"msg_id": parent},
            "content": {"status": "ok"}}


def _status(state: str, parent: str | None) -> dict:
    return {"msg_type": "status", "content": {"execution_state": state},
            "parent_header": {"msg_id": parent} if parent else {}}


class _Client:
    """Answers the n-th kernel_info request as ``script(n, msg_id, client)`` says."""

    def __init__(self, script, alive: bool = True) -> None:
        self.shell_channel, self.iopub_channel = _Channel(), _Channel()
        self.script, self.alive = script, alive
        self.asked: list[str] = []
        self.handled: list[dict] = []

    def kernel_info(self) -> str:
        msg_id = f"info-{len(self.asked)}"
        self.asked.append(msg_id)
        self.script(len(self.asked), msg_id, self)
        return msg_id

    async def _async_is_alive(self) -> bool:
        return self.alive

    def _handle_kernel_info_reply(self, msg: dict) -> None:
        self.handled.append(msg)


def _answers(client: _Client, msg_id: str, *, outputs: bool = True) -> None:
    client.shell_channel.queue.append(_reply(msg_id))
    if outputs:
        client.iopub_channel.queue += [_status("busy", msg_id), _status("idle", msg_id)]


def test_a_kernel_that_answers_is_ready_after_one_request():
    client = _Client(lambda n, msg_id, c: _answers(c, msg_id))
    client.iopub_channel.queue.append(_status("starting", None))
    asyncio.run(wait_until_ready(client, timeout=5))
    assert client.asked == ["info-0"]
    assert client.handled == [_reply("info-0")]


def test_nothing_is_left_on_the_output_channel_once_ready():
    client = _Client(lambda n, msg_id, c: _answers(c, msg_id))
    client.iopub_channel.queue.append(_status("starting", None))
    asyncio.run(wait_until_ready(client, timeout=5))
    assert client.iopub_channel.queue == []


def test_a_missed_output_status_means_asking_again():
    # the first idle status was published before our subscription joined (ZMQ's slow joiner)
    client = _Client(lambda n, msg_id, c: _answers(c, msg_id, outputs=n > 1))
    asyncio.run(wait_until_ready(client, timeout=5))
    assert client.asked == ["info-0", "info-1"]


def test_a_late_idle_status_of_an_earlier_request_counts():
    def script(n, msg_id, c):
        if n == 1:
            c.shell_channel.queue.append(_reply(msg_id))
        else:  # the first request's status arrives now, with the second's reply
            _answers(c, msg_id, outputs=False)
            c.iopub_channel.queue.append(_status("idle", "info-0"))

    client = _Client(script)
    asyncio.run(wait_until_ready(client, timeout=5))
    assert client.asked == ["info-0", "info-1"]


def test_a_reply_to_another_request_does_not_count():
    def script(n, msg_id, c):
        c.shell_channel.queue.append(_reply("someone-else" if n == 1 else msg_id))
        c.iopub_channel.queue.append(_status("idle", msg_id))

    client = _Client(script)
    asyncio.run(wait_until_ready(client, timeout=5))
    assert client.handled == [_reply("info-1")]


@pytest.mark.parametrize("first_status", [_status("idle", "someone-else"),
                                          _status("busy", "info-0")],
                         ids=["another request's idle", "our request's busy"])
def test_only_the_idle_status_of_our_request_shows_the_outputs_reach_us(first_status):
    def script(n, msg_id, c):
        if n == 1:
            c.shell_channel.queue.append(_reply(msg_id))
            c.iopub_channel.queue.append(first_status)
        else:
            _answers(c, msg_id)

    client = _Client(script)
    asyncio.run(wait_until_ready(client, timeout=5))
    assert client.asked == ["info-0", "info-1"]


def test_an_idle_status_without_a_reply_does_not_count():
    client = _Client(lambda n, msg_id, c: c.iopub_channel.queue.append(_status("idle", msg_id)),
                     alive=True)
    with pytest.raises(RuntimeError, match="didn't respond"):
        asyncio.run(wait_until_ready(client, timeout=0))
    assert client.handled == []


def test_a_dead_kernel_is_reported_as_dead():
    client = _Client(lambda n, msg_id, c: None, alive=False)
    with pytest.raises(RuntimeError, match="died"):
        asyncio.run(wait_until_ready(client, timeout=5))


def test_a_silent_kernel_is_given_up_after_the_timeout():
    client = _Client(lambda n, msg_id, c: None)
    with pytest.raises(RuntimeError, match="didn't respond in 0 seconds"):
        asyncio.run(wait_until_ready(client, timeout=0))
