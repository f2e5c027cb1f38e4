"""A kernel's reply over the cap is refused as it arrives (alliancekit.grading.sandbox).

The answers the judge asks for come back on the shell channel. The grader's client of a sandboxed
kernel (`CappedKernelClient`) refuses any message over `REPLY_BYTES` from the size in its header,
before its body is read, and says that the connection was dropped (the grader then stops that
kernel). A fake kernel (a ZMQ ROUTER socket) plays the attacker.
"""
from __future__ import annotations

import asyncio

import zmq
from jupyter_client.asynchronous import AsyncKernelClient

from alliancekit.grading.sandbox import REPLY_BYTES, CappedKernelClient


async def _exchange(kind, tmp_path, size: int) -> tuple:
    """Ask once; the fake kernel answers ``size`` bytes. (bytes arrived or None, dropped?)"""
    kernel = zmq.Context.instance().socket(zmq.ROUTER)
    kernel.linger = 0
    kernel.bind(f"ipc://{tmp_path / 'k'}-1")
    client = kind(transport="ipc", ip=str(tmp_path / "k"), shell_port=1, iopub_port=2,
                  stdin_port=3, hb_port=4, control_port=5)
    shell = client.connect_shell()
    try:
        await shell.send(b"request")
        assert kernel.poll(10_000), "the request never reached the fake kernel"
        who, _ = kernel.recv_multipart()
        kernel.send_multipart([who, b"x" * size])
        got = len(await shell.recv()) if await shell.poll(3_000) else None
        dropped = await client.shell_dropped() if kind is CappedKernelClient else False
    finally:
        shell.close(linger=0)
        kernel.close()
        if kind is CappedKernelClient:
            client.stop_channels()
    return got, dropped


def test_a_reply_over_the_cap_never_arrives_and_the_connection_is_known_dropped(tmp_path):
    assert asyncio.run(_exchange(CappedKernelClient, tmp_path, REPLY_BYTES + 1)) == (None, True)


def test_a_reply_just_under_the_cap_arrives_whole(tmp_path):
    size = REPLY_BYTES - 4096
    assert asyncio.run(_exchange(CappedKernelClient, tmp_path, size)) == (size, False)


def test_without_the_cap_the_whole_reply_is_read(tmp_path):
    size = REPLY_BYTES + 1
    assert asyncio.run(_exchange(AsyncKernelClient, tmp_path, size)) == (size, False)
