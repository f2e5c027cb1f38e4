"""Set-up for the integration tests (notebooks, nbgrader, browser): a steadier nbclient.

Only these tests start kernels, so only they get the jupyter_client patch below.
"""
from __future__ import annotations

import asyncio
import time


def _patch_zmq_get_msg() -> None:
    """Poll kernel channels in short slices (works around jupyter/nbclient#312).

    Widget notebooks sometimes stall under nbclient until the whole cell timeout runs out, then
    pass anyway. Waiting in 0.25 s slices up to the same deadline removed the stall here (see
    the nbclient issue above). The deadline and the Empty error on time-out are unchanged.
    """
    from queue import Empty

    from jupyter_client.channels import AsyncZMQSocketChannel

    if getattr(AsyncZMQSocketChannel.get_msg, "_alliancekit_sliced", False):
        return
    original = AsyncZMQSocketChannel.get_msg

    async def get_msg(self, timeout=None):
        if timeout is None:
            return await original(self, timeout=None)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Empty
            try:
                return await original(self, timeout=min(0.25, remaining))
            except Empty:
                await asyncio.sleep(0)

    get_msg._alliancekit_sliced = True
    AsyncZMQSocketChannel.get_msg = get_msg


_patch_zmq_get_msg()
