"""The reply size cap, from the kernel's side of the socket.

INSTRUCTORS.md: any reply or control message over 33 MiB is refused "from the size announced in
its header, before reading the rest, so an oversized reply is never held in the grader's memory";
outputs are not capped that way. ZMQ's MAXMSGSIZE is checked per *frame*, and a Jupyter message
may carry any number of extra frames (buffers). Each student here is honest except for one cell
near the end that makes the kernel send, once, 24 frames of 32 MiB (768 MiB in all, each frame
under the cap) on one channel:

- bigframe01 (control): ONE 40 MiB frame appended to the next hand-over reply: the documented
  refusal (needs attention, 0);
- frames01: appended to the next hand-over reply (execute_reply with user_expressions), shell;
- frames96: the same with 96 frames (3 GiB, more than the submission's whole 2 GiB memory limit);
- stdin01: an unsolicited input_request on the stdin channel, which the grader never reads;
- iopub01: a stream output on IOPub carrying one 160 MiB frame (is there any per-frame cap there?).

The kernel sends the same 32 MiB buffer each time (zero copy), so its own memory cgroup does not
bound it. Each is graded alone while the grader's processes are watched (peak RSS).
Expected if the cap holds: the grader's peak stays near the honest baseline (a few hundred MB).
"""
from common import add_code, honest

GROUP = "mem"

SETUP = r'''
_rt_k = get_ipython().kernel
_rt_big = memoryview(bytearray(32 << 20))
'''

FRAMES = SETUP + r'''
_rt_send0 = _rt_k.session.send
_rt_done = []


def _rt_frames_send(stream, msg_or_type, content=None, parent=None, *a, **kw):
    pc = (parent or {}).get("content", {})
    if not _rt_done and msg_or_type == "execute_reply" and pc.get("user_expressions"):
        _rt_done.append(1)
        kw["buffers"] = [_rt_big] * 24
    return _rt_send0(stream, msg_or_type, content, parent, *a, **kw)


_rt_k.session.send = _rt_frames_send
'''

ONEBIG = FRAMES.replace("kw[\"buffers\"] = [_rt_big] * 24",
                       "kw[\"buffers\"] = [memoryview(bytearray(40 << 20))]")

MANY = FRAMES.replace("[_rt_big] * 24", "[_rt_big] * 96")

STDIN = SETUP + r'''
_rt_k.session.send(_rt_k.stdin_socket, "input_request", {"prompt": "", "password": False},
                   _rt_k.get_parent("shell"), ident=_rt_k._parent_ident["shell"],
                   buffers=[_rt_big] * 24)
print("stdin frames sent")
'''

IOPUB = SETUP + r'''
_rt_huge = memoryview(bytearray(160 << 20))
_rt_k.session.send(_rt_k.iopub_socket, "stream", {"name": "stdout", "text": "iopub frame sent\n"},
                   _rt_k.get_parent("shell"), buffers=[_rt_huge])
import time as _rt_t
_rt_t.sleep(3)
'''


def _build(src):
    def build():
        nb = honest("ex01-theory")
        add_code(nb, src, after="q9-answer")
        return nb
    return build


SUBMISSIONS = {("bigframe01", "ex01-theory"): _build(ONEBIG),
               ("frames01", "ex01-theory"): _build(FRAMES),
               ("frames96", "ex01-theory"): _build(MANY),
               ("stdin01", "ex01-theory"): _build(STDIN),
               ("iopub01", "ex01-theory"): _build(IOPUB)}
EXPECT = "grader peak RSS near the honest baseline; the 768 MiB never held by the grader"
