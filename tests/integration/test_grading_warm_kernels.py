"""Red team for the kernels' parent: a submission's kernel leaves nothing to the next one.

Each submission's kernel is forked from one warm parent per grading process
(`alliancekit.grading.kernelserver`, started by `alliancekit.grading.warmkernel`). Here a first
kernel runs a hostile submission: it leaves files in every writable folder (one behind a folder
it made unreadable), a process that would outlive it, a System V shared memory segment, a
patched library module, tries a POSIX message queue and tries to read its parent's memory. The
next kernel, forked from the same parent, finds none of it, and sits in a memory cgroup of its
own where the grader can make one. It also searches its own memory (which it may read, as a
kernel started on its own may) for the first kernel's connection key and its owner's variant
key: both went to the first kernel alone, never through the parent whose memory it inherits.
"""
from __future__ import annotations

import hashlib
import json
import os
import uuid

import nbformat
import pytest
from nbclient import NotebookClient

from alliancekit.grading import limits, sandbox, warmkernel
from alliancekit.grading.context import VARIANT_VARIABLES, Submission

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
import hashlib, json, os, re
import pandas
def _listing(folder):
    return sorted(n for n in os.listdir(folder) if n == "left-behind" or n == "locked")
def _described(pid):  # "pid (name) state ppid", so that a failure says what was left
    try:
        with open(f"/proc/{{pid}}/stat") as stat:
            return " ".join(stat.read().split()[:4])
    except OSError:
        return None  # gone while we looked
def _in_memory(hashes):
    pattern = re.compile(rb"[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}"
                         rb"|first-owners-variant-[0-9a-f]{{32}}")
    found = set()
    with open("/proc/self/maps") as maps, open("/proc/self/mem", "rb", 0) as mem:
        for line in maps:
            span, perms = line.split()[:2]
            start, end = (int(x, 16) for x in span.split("-"))
            if not perms.startswith("rw") or "[v" in line or end - start > 1 << 29:
                continue
            for at in range(start, end, 1 << 24):
                try:
                    mem.seek(at)
                    chunk = mem.read(min(1 << 24, end - at) + 64)
                except (OSError, ValueError, OverflowError):
                    continue
                found |= {{hashlib.sha256(m).hexdigest() for m in pattern.findall(chunk)}}
    return sorted(found & set(hashes))
print("REPORT", json.dumps({{
    "files": _listing("/tmp") + _listing(os.environ["HOME"]) + _listing("/dev/shm"),
    "others": sorted(filter(None, (_described(int(p)) for p in os.listdir("/proc") if p.isdigit()
                                   and int(p) not in (1, os.getpid(), os.getppid())))),
    "patched": hasattr(pandas, "LEFT_BEHIND"),
    "shm": open("/proc/sysvipc/shm").read().splitlines()[1:],
    "secrets": _in_memory({hashes!r}),
}}))
"""

#: The first kernel's owner's variant key (never to be found by a later kernel).
FIRST_VARIANT = f"first-owners-variant-{uuid.uuid4().hex}"
KEYS: list = []

SEEN: list = []


class _Watched(warmkernel.WarmKernelManager):
    """Records, just after each launch, the kernel's pid, the pids of its cgroup and its key."""

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        await super()._async_launch_kernel(kernel_cmd, **kw)
        SEEN.append((self.provisioner.pid,
                     self._cgroup.processes() if self._cgroup is not None else None))
        KEYS.append(self.session.key)


class _FirstOwner(_Watched):
    """A kernel whose owner has a variant (`FIRST_VARIANT`)."""

    async def _async_pre_start_kernel(self, **kw):
        self.submission = Submission(variant=((VARIANT_VARIABLES[0], FIRST_VARIANT),))
        return await super()._async_pre_start_kernel(**kw)


def _run(code: str, manager: type = _Watched) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    client = NotebookClient(nb, timeout=60, kernel_name="python3",
                            kernel_manager_class=manager)
    try:
        client.execute()
    finally:
        if client.km is not None:
            client.km.remove_box()
    outputs = nb.cells[0].outputs
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    return "".join(o.get("text", "") for o in outputs if o.output_type == "stream")


def _report(text: str) -> str:
    return text.split("REPORT ", 1)[1].strip()


@pytest.fixture(scope="module")
def after_a_hostile_kernel():
    warmkernel.stop_kernels()
    SEEN.clear()
    KEYS.clear()
    try:
        variant = f"import os\nprint('VARIANT', os.environ.get({VARIANT_VARIABLES[0]!r}))\n"
        first = _run(variant + HOSTILE, _FirstOwner)
        server = warmkernel._SERVER["server"]
        hashes = [hashlib.sha256(secret).hexdigest() for secret in
                  (KEYS[0], FIRST_VARIANT.encode())]
        second = json.loads(_report(_run(LOOK.format(hashes=hashes))))
        yield (_report(first), second, warmkernel._SERVER.get("server") is server,
               first.split("VARIANT ", 1)[1].split()[0])
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


def test_the_first_kernel_got_its_owners_variant(after_a_hostile_kernel):
    assert after_a_hostile_kernel[3] == FIRST_VARIANT


def test_the_next_kernel_finds_no_earlier_key_or_variant_in_its_memory(after_a_hostile_kernel):
    assert after_a_hostile_kernel[1]["secrets"] == []


# --------------------------------------------------------------------------------------------
# A kernel that changes its parent (same uid): the next kernel gets a new, untouched parent
# --------------------------------------------------------------------------------------------
TAMPER = """\
import os, resource
parent = os.getppid()
resource.prlimit(parent, resource.RLIMIT_NOFILE, (40, 40))
os.setpriority(os.PRIO_PROCESS, parent, 19)
print('TAMPERED')
"""
SETTINGS = """\
import os, resource
print('REPORT', resource.getrlimit(resource.RLIMIT_NOFILE)[0], os.getpriority(os.PRIO_PROCESS, 0))
"""


NOTES: list = []


class _Noted(_Watched):
    """Keeps the notes the grader makes on this kernel's submission."""

    async def _async_pre_start_kernel(self, **kw):
        self.submission = Submission(student="tamperer")
        NOTES.append(self.submission)
        return await super()._async_pre_start_kernel(**kw)


@pytest.fixture(scope="module")
def after_a_kernel_that_changed_its_parent():
    warmkernel.stop_kernels()
    NOTES.clear()
    try:
        before = _report(_run(SETTINGS))
        server = warmkernel._SERVER["server"]
        assert "TAMPERED" in _run(TAMPER, _Noted)
        after = _report(_run(SETTINGS))
        yield (before, after, warmkernel._SERVER.get("server") is server,
               NOTES[0].notes.take(NOTES[0].student))
    finally:
        warmkernel.stop_kernels()


def test_a_kernel_that_changed_its_parent_leaves_the_next_kernel_untouched(
        after_a_kernel_that_changed_its_parent):
    before, after, _, _ = after_a_kernel_that_changed_its_parent
    assert after == before


def test_the_next_kernel_after_a_changed_parent_comes_from_a_new_one(
        after_a_kernel_that_changed_its_parent):
    assert not after_a_kernel_that_changed_its_parent[2]


def test_a_kernel_that_changed_its_parent_is_noted(after_a_kernel_that_changed_its_parent):
    notes = after_a_kernel_that_changed_its_parent[3]
    assert any("tampered" in n and "RLIMIT_NOFILE" in n and "nice" in n for n in notes), notes


KEYRING = """\
import ctypes, platform
add_key = {"x86_64": 248, "aarch64": 217}[platform.machine()]
libc = ctypes.CDLL(None, use_errno=True)
made = libc.syscall(add_key, b"user", b"ak-probe", b"x", 1, -4)  # the uid's own keyring
print('REPORT', made, ctypes.get_errno())
"""


def test_a_kernel_cannot_leave_a_key_in_its_uids_keyring():
    warmkernel.stop_kernels()
    try:
        assert _report(_run(KEYRING)) == "-1 1"  # refused: EPERM
    finally:
        warmkernel.stop_kernels()
