"""A relay between the grader and a sandboxed kernel that bounds every message as a whole.

`alliancekit.grading.sandbox` runs this file next to each student's kernel (outside its sandbox),
with ``python -I``, and connects the grader's kernel client to the relay instead of the kernel.
ZMQ hands a message over only once all its frames have arrived, and its ``MAXMSGSIZE`` bounds
each frame, not their number: a kernel that sends a reply of many frames under the cap makes the
receiving process hold all of them. That receiving process is now this relay, whose memory is
bounded (``RLIMIT_DATA``): messages from the kernel over their channel's byte or frame budget are
dropped here and never reach the grader; a kernel that sends more than the relay can hold kills
the relay (the grader then hears nothing more from that kernel), never the grader.

On shell, control, stdin and heartbeat the kernel only ever answers: the relay passes on one reply
per request the grader sent (on shell and control, the one whose parent header names the
request's ``msg_id``; on the heartbeat, one echo per ping) and drops the rest unread
(``"unasked"``). Without that, a kernel could send thousands of replies each under the cap, which
the grader's ZMQ would queue (up to its high-water mark of 1000 messages) whether or not anything
reads them. The grader never asks for input, so nothing from the kernel's stdin passes.

It reads one JSON plan on stdin::

    {"kernel": <the kernel's connection info: transport, ip and the five ports>,
     "front": <ipc path prefix the relay binds for the grader, one socket per port>,
     "reply_bytes": <largest message on shell, control, stdin and heartbeat>,
     "output_bytes": <largest message on iopub>,
     "output_total": <iopub bytes forwarded before only small messages pass>,
     "memory": <the relay's RLIMIT_DATA, bytes>}

and writes one JSON line per event on stdout: ``{"ready": true}`` once bound, then
``{"dropped": <channel>, "frames": n, "bytes": b}`` for each message it drops as too large,
``{"unasked": <channel>, "bytes": b}`` for each message the grader did not ask for, and
``{"lost": <channel>}`` before it exits (status 3) when the kernel's side of a channel went away:
the kernel died, or sent a message larger than the relay could hold. The key is not
needed: the relay counts frames and bytes, it neither reads nor signs a message.
"""
import json
import os
import resource
import sys

import zmq

# parts of a message the kernel may send: routing id, delimiter, signature, header, parent,
# metadata, content (7), plus one spare; iopub may carry a few buffers (widgets' comm messages)
MAX_FRAMES = 8
MAX_OUTPUT_FRAMES = 16
REPLIES_QUEUED = 4  # messages from the kernel the relay queues on a reply channel
SMALL = 64 * 1024  # messages that still pass once the iopub total is spent (status, errors)
DELIMITER = b"<IDS|MSG>"  # ends a Jupyter message's routing ids
HEADER_BYTES = 64 * 1024  # a header or parent header larger than this is not read


def _msg_id(frames: list, offset: int) -> str | None:
    """The ``msg_id`` of the header ``offset`` frames after the delimiter, or None."""
    for i, frame in enumerate(frames[:-offset]):
        if len(frame.buffer) == len(DELIMITER) and frame.bytes == DELIMITER:
            header = frames[i + offset]
            if len(header.buffer) > HEADER_BYTES:
                return None
            try:
                found = json.loads(header.bytes).get("msg_id")
            except (ValueError, AttributeError, RecursionError):
                return None
            return found if isinstance(found, str) else None
    return None


class Asked:
    """The requests the grader sent and the kernel has not answered yet, per channel."""

    def __init__(self) -> None:
        self.requests = {"shell": set(), "control": set()}  # their msg_ids
        self.pings = 0  # heartbeats not echoed yet

    def sent(self, channel: str, frames: list) -> None:
        """Count a message the grader sent to the kernel on ``channel``."""
        if channel in self.requests:
            request = _msg_id(frames, 2)  # delimiter, signature, header
            if request is not None:
                self.requests[channel].add(request)
        elif channel == "hb":
            self.pings += 1

    def answers(self, channel: str, frames: list) -> bool:
        """Whether a message from the kernel on ``channel`` answers a request (which it uses up)."""
        if channel in self.requests:
            request = _msg_id(frames, 3)  # delimiter, signature, header, parent header
            if request not in self.requests[channel]:
                return False
            self.requests[channel].discard(request)
            return True
        if channel == "hb" and self.pings > 0:
            self.pings -= 1
            return True
        return False  # stdin: the grader never asks for input


def _say(event: dict) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def main() -> int:
    """Run the relay until the grader closes its stdin or kills it."""
    plan = json.loads(sys.stdin.readline())
    memory = int(plan["memory"])
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    kernel, front = plan["kernel"], plan["front"]
    reply_bytes, output_bytes = int(plan["reply_bytes"]), int(plan["output_bytes"])
    output_left = int(plan["output_total"])
    context = zmq.Context(1)
    pairs = {}  # back socket (to the kernel) -> (front socket, channel)
    fronts = {}  # front socket -> back socket
    watches = {}  # monitor of a back socket -> its channel
    poller = zmq.Poller()
    asked = Asked()
    for channel in ("shell", "control", "stdin", "hb", "iopub"):
        port = kernel[f"{channel}_port"]
        kernel_url = f"ipc://{kernel['ip']}-{port}" if kernel["transport"] == "ipc" else (
            f"tcp://{kernel['ip']}:{port}")
        if channel == "iopub":
            back, out = context.socket(zmq.SUB), context.socket(zmq.PUB)
            back.setsockopt(zmq.SUBSCRIBE, b"")
        else:
            back, out = context.socket(zmq.DEALER), context.socket(zmq.ROUTER)
            # replies come one per request: a few queued here at most; a flood waits in the
            # kernel (its own memory) instead of filling the relay's
            back.rcvhwm = REPLIES_QUEUED
        back.linger = out.linger = 0
        out.bind(f"ipc://{front}-{port}")
        back.connect(kernel_url)
        pairs[back] = (out, channel)
        fronts[out] = back
        watch = back.get_monitor_socket(zmq.EVENT_DISCONNECTED)
        watches[watch] = channel
        for sock in (back, out, watch):
            poller.register(sock, zmq.POLLIN)
    _say({"ready": True})
    parent = os.getppid()
    while os.getppid() == parent:
        for sock, _ in poller.poll(1000):
            if sock in watches:
                # the kernel's side went away: it died, or sent a message the relay could not
                # hold (ZMQ drops the connection when it cannot allocate a frame); either way
                # nothing more will come, and the grader decides which it was
                _say({"lost": watches[sock]})
                return 3
            frames = sock.recv_multipart(copy=False)
            if sock in fronts:  # from the grader (trusted): to the kernel as it is
                back = fronts[sock]
                asked.sent(pairs[back][1], frames)
                back.send_multipart(frames, copy=False)
                continue
            out, channel = pairs[sock]
            size = sum(len(f.buffer) for f in frames)
            if channel == "iopub":
                over = len(frames) > MAX_OUTPUT_FRAMES or size > output_bytes or (
                    output_left <= 0 and size > SMALL)
                output_left -= 0 if over else size
            else:
                over = len(frames) > MAX_FRAMES or size > reply_bytes
                if not over and not asked.answers(channel, frames):
                    _say({"unasked": channel, "bytes": size})
                    continue
            if over:
                _say({"dropped": channel, "frames": len(frames), "bytes": size})
                continue
            out.send_multipart(frames, copy=False)
            del frames
    return 0


if __name__ == "__main__":
    sys.exit(main())
