"""Red team for the kernels' parent: a submission's kernel leaves nothing to the next one.

Each submission's kernel is forked from one warm parent per grading process
(`alliancekit.grading.kernelserver`, started by `alliancekit.grading.warmkernel`). Here a first
kernel runs a hostile submission: it leaves files in every writable folder (one behind a folder
it made unreadable), a process that would outlive it, a System V shared memory segment, a
patched library module, tries a POSIX message queue and tries to read its parent's memory. The
next kernel, forked from the same parent, finds none of it, and sits in a memory cgroup of its
own where the grader can make one.
"""
from __future__ import annotations

import json
import os

import nbformat
import pytest
from nbclient import NotebookClient

from alliancekit.grading import limits, sandbox, warmkernel

if sandbox.sandbox_problem() and not os.environ.get("CI"):
    pytest.skip(f"no grading sandbox here: {sandbox.sandbox_problem()}", allow_module_level=True)

HOSTILE = """\
import ctypes, os, subprocess
import pandas
for folder in ("/tmp", os.environ["HOME"], "/dev/shm"):
    try:
        with open(os.path.join(folder, "left-behind"), "w") as handle:
            handle.write("from the last submission")
    except PermissionError:
        pass
os.makedirs("/tmp/locked/inner")
open("/tmp/locked/inner/file", "w").close()
os.chmod("/tmp/locked/inner", 0)
os.chmod("/tmp/locked", 0)
subprocess.Popen(["sleep", "600"], start_new_session=True)
pandas.LEFT_BEHIND = "from the last submission"
libc = ctypes.CDLL(None, use_errno=True)
segment = libc.shmget(0x4B4B, 4096, 0o1600)  # IPC_CREAT
rt = ctypes.CDLL("librt.so.1", use_errno=True)
queue = rt.mq_open(b"/left-behind", 0o100 | 0o2, 0o600, None)  # O_CREAT | O_RDWR
try:
    with open(f"/proc/{os.getppid()}/mem", "rb") as memory:
        memory.read(1)
    memory = "readable"
except OSError as exc:
    memory = "refused"
print("REPORT", segment >= 0, queue >= 0, memory)
"""

LOOK = """\
import json, os
import pandas
def _listing(folder):
    return sorted(n for n in os.listdir(folder) if n == "left-behind" or n == "locked")
print("REPORT", json.dumps({
    "files": _listing("/tmp") + _listing(os.environ["HOME"]) + _listing("/dev/shm"),
    "others": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()
                     and int(p) not in (1, os.getpid(), os.getppid())),
    "patched": hasattr(pandas, "LEFT_BEHIND"),
    "shm": open("/proc/sysvipc/shm").read().splitlines()[1:],
}))
"""

SEEN: list = []


class _Watched(warmkernel.WarmKernelManager):
    """Records, just after each launch, the kernel's pid and the pids of its cgroup."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        await super()._async_launch_kernel(kernel_cmd, **kw)
        SEEN.append((self.provisioner.pid,
                     self._cgroup.processes() if self._cgroup is not None else None))


def _run(code: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(nb, timeout=60, kernel_name="python3",
                            kernel_manager_class=_Watched)
    try:
        client.execute()
    finally:
        if client.km is not None:
            client.km.remove_box()
    outputs = nb.cells[0].outputs
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    return text.split("REPORT ", 1)[1].strip()


@pytest.fixture(scope="module")
def after_a_hostile_kernel():
    warmkernel.stop_kernels()
    SEEN.clear()
    try:
        first = _run(HOSTILE)
        server = warmkernel._SERVER["server"]
        second = json.loads(_run(LOOK))
        yield first, second, warmkernel._SERVER.get("server") is server
    finally:
        warmkernel.stop_kernels()


def test_the_next_kernel_comes_from_the_same_parent(after_a_hostile_kernel):
    assert after_a_hostile_kernel[2]


def test_a_kernel_cannot_read_its_parents_memory(after_a_hostile_kernel):
    assert after_a_hostile_kernel[0].endswith("refused")


def test_a_kernel_cannot_make_a_posix_message_queue(after_a_hostile_kernel):
    made_segment, made_queue, _ = after_a_hostile_kernel[0].split()
    assert (made_segment, made_queue) == ("True", "False")


def test_the_next_kernel_finds_no_file_left_behind(after_a_hostile_kernel):
    assert after_a_hostile_kernel[1]["files"] == []


def test_the_next_kernel_finds_no_process_left_behind(after_a_hostile_kernel):
    assert after_a_hostile_kernel[1]["others"] == []


def test_the_next_kernel_finds_no_shared_memory_segment_left_behind(after_a_hostile_kernel):
    assert after_a_hostile_kernel[1]["shm"] == []


def test_the_next_kernel_finds_the_library_as_imported(after_a_hostile_kernel):
    assert not after_a_hostile_kernel[1]["patched"]


def test_each_kernel_sits_in_a_cgroup_of_its_own(after_a_hostile_kernel):
    made = limits.find_cgroups().version != 0  # else the bound enforced is the rlimits
    assert len(SEEN) == 2
    for pid, members in SEEN:
        assert members == ([pid] if made else None)
