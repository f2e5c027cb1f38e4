"""A relay between the grader and a sandboxed kernel that bounds every message as a whole.

`alliancekit.grading.sandbox` runs this file next to each student's kernel (outside its sandbox),
with ``python -I``, and connects the grader's kernel client to the relay instead of the kernel.
ZMQ hands a message over only once all its frames have arrived, and its ``MAXMSGSIZE`` bounds
each frame, not their number: a kernel that sends a reply of many frames under the cap makes the
receiving process hold all of them. That receiving process is now this relay, whose memory is
bounded (``RLIMIT_DATA``): messages from the kernel over their channel's byte or frame budget are
dropped here and never reach the grader; a kernel that sends more than the relay can hold kills
the relay (the grader then hears nothing more from that kernel), never the grader.

On shell, control, stdin and heartbeat the kernel only ever answers: the relay passes on at most
one message from the kernel per message the grader sent on that channel, and drops the rest
unread (``"unasked"``). Without that, a kernel could send thousands of replies each under the cap,
which the grader's ZMQ would queue (up to its high-water mark of 1000 messages) whether or not
anything reads them. The grader never asks for input, so nothing from the kernel's stdin passes.

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
    asked = {"shell": 0, "control": 0, "stdin": 0, "hb": 0}  # requests not answered yet
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
                if pairs[back][1] in asked:
                    asked[pairs[back][1]] += 1
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
                if not over and asked[channel] <= 0:
                    _say({"unasked": channel, "bytes": size})
                    continue
                asked[channel] -= 0 if over else 1
            if over:
                _say({"dropped": channel, "frames": len(frames), "bytes": size})
                continue
            out.send_multipart(frames, copy=False)
            del frames
    return 0


if __name__ == "__main__":
    sys.exit(main())
