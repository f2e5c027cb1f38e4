"""Wait until a new kernel answers, without jupyter_client's fixed pauses.

`jupyter_client`'s ``wait_for_ready`` asks for ``kernel_info`` and, once the reply is in, checks
that the output (iopub) channel is connected by waiting up to 0.2 s for any message on it; then
it drains that channel until it has been quiet for 0.2 s. The drain alone adds 0.2 s to every
kernel start, which is a fifth of a second per graded submission.

Here the output channel counts as connected when the kernel's ``idle`` status for one of our
``kernel_info`` requests arrives on it. The kernel publishes that status after it sent the reply,
and a PUB socket delivers in order, so everything the kernel published before (its ``starting``
and ``busy`` statuses) has arrived too and was read on the way: nothing is left to drain. If the
status does not come within 0.2 s (the subscription was not yet joined when it was published: the
"slow joiner" of ZMQ), the request is sent again, as jupyter_client does.
"""
from __future__ import annotations

import time
from queue import Empty

__all__ = ["wait_until_ready"]

_REPLY_WAIT = 1.0  # s for a kernel_info reply before asking again (jupyter_client's figure)
_STATUS_WAIT = 0.2  # s for the idle status on the output channel before asking again


async def _next(channel, until: float) -> dict | None:
    """The channel's next message before the monotonic time ``until``, or None."""
    left = until - time.monotonic()
    if left <= 0:
        return None
    try:
        return await channel.get_msg(timeout=left)
    except Empty:
        return None


async def wait_until_ready(client, timeout: float | None = None) -> None:
    """Return once ``client``'s kernel has answered ``kernel_info`` and its outputs reach us.

    Parameters
    ----------
    client : jupyter_client.asynchronous.AsyncKernelClient
        A client whose channels are started.
    timeout : float, optional
        Seconds to wait in all; None waits as long as the kernel lives.

    Raises
    ------
    RuntimeError
        If the kernel dies first, or does not answer within ``timeout``.
    """
    deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
    asked: set = set()
    while True:
        asked.add(client.kernel_info())
        until = time.monotonic() + _REPLY_WAIT
        while (reply := await _next(client.shell_channel, until)) is not None:
            if (reply.get("msg_type") == "kernel_info_reply"
                    and reply.get("parent_header", {}).get("msg_id") in asked):
                break
        if reply is not None:
            until = time.monotonic() + _STATUS_WAIT
            while (status := await _next(client.iopub_channel, until)) is not None:
                if (status.get("msg_type") == "status"
                        and status.get("content", {}).get("execution_state") == "idle"
                        and status.get("parent_header", {}).get("msg_id") in asked):
                    client._handle_kernel_info_reply(reply)
                    return
        if not await client._async_is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
