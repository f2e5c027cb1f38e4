"""Run each submission's kernel in a bubblewrap sandbox while nbgrader grades it.

nbgrader executes a submission with the grader's own rights: the student's code could read
``solutions/``, rewrite the gradebook, other students' work or the installed library. Here
nbgrader still does all the grading (sanitising, ``OverwriteCells`` with its checksums and
``add_missing_cells``, executing cell by cell, ``SaveAutoGrades``), but the *kernel* it talks to
runs in a sandbox made with `bubblewrap <https://github.com/containers/bubblewrap>`_ (``bwrap``):

- the sandbox sees a read-only Python (``sys.prefix`` and ``sys.base_prefix``), a read-only
  ``alliancekit`` (with the editable install that is the repository's ``alliancekit/`` folder, and
  nothing else of the repository), ``/usr`` and a few files of ``/etc``, all read-only;
- its only writable places are a private ``/tmp`` and a private home holding a copy of that one
  submission's folder, both small size-limited in-memory file systems that vanish with it; it sees
  no gradebook, no ``solutions/`` or ``source/``, and no other student's files at all;
- it has its own network namespace (no network at all), process namespace (it sees only its own
  processes) and IPC namespace, and it is killed with everything it started when grading of that
  submission ends (``--unshare-pid``, ``--die-with-parent``);
- limits on memory (``RLIMIT_DATA``), processes and threads, file size, open files and CPU time
  are set inside, by ``alliancekit/grading/_jail.py``; the grader adds a wall-clock limit per
  submission;
- as root the kernel runs as a separate unprivileged uid, because root ignores ``RLIMIT_NPROC``;
  as an ordinary user it runs in a user namespace, where the limit counts only its own processes.

The kernel talks to nbgrader over ZMQ's ``ipc`` transport (Unix sockets), because the sandbox has
no network, not even 127.0.0.1 shared with the grader. As root the sockets live in a private folder
that is made read-only for the sandbox's uid as soon as the kernel is up; as an ordinary user they
live in the sandbox's own in-memory folder and the grader reaches them through
``/proc/<pid>/root``. Either way the submission has nowhere on disk to write.

Scores are written by the grading process (nbgrader's ``SaveAutoGrades``), never from inside the
sandbox, and no test cell runs in this kernel: the tests run in a separate judge sandbox that
receives the answers as plain data (`alliancekit.grading.judging`).

Where no sandbox can be made (not Linux, no ``bwrap``, user namespaces disabled),
``alliancekit-grade`` refuses to grade unless told ``--unsafe-trust-submissions``.
"""
from __future__ import annotations

import atexit
import functools
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync
from nbgrader.preprocessors import Execute
from traitlets import DottedObjectName, Enum, Float, Instance, Integer, Type, Unicode

from alliancekit.grading import limits as _hard
from alliancekit.grading import plaindata
from alliancekit.grading.budget import BudgetedKernelClient
from alliancekit.grading.context import GradingProcess, Submission
from alliancekit.grading.envpipe import env_pipe
from alliancekit.grading.metadata import nbgrader_of
from alliancekit.grading.parent import userns_filter_fd
from alliancekit.grading.ready import wait_until_ready

__all__ = ["Limits", "SandboxError", "sandbox_problem", "check_course_hidden",
           "SandboxKernelManager", "CappedKernelClient", "REPLY_BYTES", "GradingExecute",
           "suspicious_code", "library_dirs"]

MiB = 1024 ** 2
_HOME = "/home/student"
_ETC = ["/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/hosts", "/etc/localtime",
        "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/fonts", "/etc/ssl",
        "/etc/mime.types", "/etc/alternatives", "/etc/timezone"]
_SUSPICIOUS = ("get_ipython", "ast_transformers", "input_transformers", "set_custom_exc",
               "excepthook", "events.register", "sys.modules", "builtins", "ctypes", "ipykernel",
               "showtraceback", "settrace", "setprofile", "signal.", "threading", "os.fork",
               "subprocess", "socket", "sqlite3", "gradebook", "solutions",
               "__class__", "gc.", "/proc/", "alliancekit.checks", "__file__",
               "importlib", "exec(", "eval(", "compile(", "mmap")


class SandboxError(RuntimeError):
    """A sandbox cannot be made here, or would expose the course (says why and what to do)."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission's sandbox.

    Attributes
    ----------
    memory_mb : int
        Writable memory of each process (heap and private mappings), in MiB (``RLIMIT_DATA``).
    processes : int
        Processes and threads at once (``RLIMIT_NPROC``).
    file_mb : int
        Largest file the submission may write, in MiB (``RLIMIT_FSIZE``).
    disk_mb : int
        Size of each of its two in-memory folders (``/tmp`` and its home), in MiB.
    open_files : int
        Open file descriptors (``RLIMIT_NOFILE``).
    seconds : float
        Wall-clock time for the whole submission, in seconds; also its CPU-time limit.
    output_kb : int
        Output kept per cell, in KiB (text, images and tracebacks together).
    output_mb : float
        Output kept per graded notebook, in MiB: every output message counts, display updates
        too (`alliancekit.grading.budget`).
    feedback_mb : float
        Cells and outputs kept per feedback page, in MiB.

    ``memory_mb`` and ``processes`` also hold the whole submission together, through a memory and
    a pids cgroup, where one can be made (`alliancekit.grading.limits`).
    """

    memory_mb: int = 2048
    processes: int = 64
    file_mb: int = 64
    disk_mb: int = 256
    open_files: int = 512
    seconds: float = 600.0
    output_kb: int = 256
    output_mb: float = 5.0
    feedback_mb: float = 2.0

    def __post_init__(self):
        for name in ("memory_mb", "processes", "file_mb", "disk_mb", "open_files", "output_kb"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Limits.{name} must be a positive whole number, got {value!r}")
        for name in ("seconds", "output_mb", "feedback_mb"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(f"Limits.{name} must be a positive number, got {value!r}")


# --------------------------------------------------------------------------------------------
# Where the sandbox can run, and what it shows
# --------------------------------------------------------------------------------------------
def _bwrap() -> str | None:
    return shutil.which("bwrap") or (
        "/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None)


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def library_dirs() -> list[str]:
    """Folders the sandbox shows read-only: Python, the environment and the alliancekit package."""
    import alliancekit

    dirs = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
            str(Path(alliancekit.__file__).resolve().parent)]
    real = Path(sys.executable).resolve().parent.parent
    dirs.append(str(real))
    out = []
    for d in dirs:
        d = str(Path(d).resolve())
        if d not in out and d != "/":
            out.append(d)
    return out


@functools.lru_cache(maxsize=1)
def sandbox_problem() -> str | None:
    """Why a grading sandbox cannot be made here, or None when it can (checked once, by a trial).

    Returns
    -------
    str or None
        A sentence saying what is missing and how to grade safely instead.
    """
    answer = None
    safe = ("Grade on Linux with bubblewrap installed (Debian/Ubuntu: apt-get install bubblewrap), "
            "in a Linux container, or on the course JupyterHub")
    if not sys.platform.startswith("linux"):
        answer = f"no sandbox on {sys.platform}: bubblewrap needs Linux. {safe}"
    elif _bwrap() is None:
        answer = f"bubblewrap (bwrap) is not installed. {safe}"
    else:
        with tempfile.TemporaryDirectory(prefix="ak-sandbox-probe-") as box:
            opened: list = []
            cmd = _bwrap_args(Path(box), Limits(), uid=_pick_uid() if _as_root() else None,
                              ipc_host=_as_root(), opened=opened)
            cmd += ["/bin/true"]
            try:
                done = subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                                      pass_fds=tuple(opened))
            except (OSError, subprocess.TimeoutExpired) as exc:
                answer = f"bubblewrap could not start ({exc}). {safe}"
            else:
                if done.returncode != 0:
                    why = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
                    answer = (f"bubblewrap could not make a sandbox here ({why[0]}; are "
                              f"unprivileged user namespaces disabled?). {safe}")
            finally:
                for fd in opened:
                    os.close(fd)
    return answer


def check_course_hidden(course: Path) -> None:
    """Refuse when the course folder lies inside a folder the sandbox must show (e.g. the venv).

    Raises
    ------
    SandboxError
        If the course root is inside Python's or the library's folder.
    """
    course = Path(course).resolve()
    for d in library_dirs():
        if course == Path(d) or Path(d) in course.parents:
            raise SandboxError(
                f"the course folder {course} lies inside {d}, which the grading sandbox shows "
                "read-only (Python, its environment or the alliancekit library), so students "
                "could read solutions/ and the gradebook; keep the course outside it")


def _pick_uid() -> int:
    """An unused uid for this grading process's sandboxes (root only)."""
    uid = 61000 + os.getpid() % 3000
    for candidate in range(uid, uid + 3000):
        try:
            pwd.getpwuid(candidate)
        except KeyError:
            return candidate
    return 65534


def _bwrap_args(box: Path, limits: Limits, *, uid: int | None, ipc_host: bool,
                files: list | None = None, info_fd: int | None = None,
                workdir: str = _HOME, seccomp_fd: int | None = None,
                extra_env: dict | None = None, opened: list | None = None) -> list[str]:
    """The bubblewrap command line up to (not including) the command run inside.

    No nested user namespaces: ``--disable-userns`` in user-namespace mode, and ``seccomp_fd``
    (`alliancekit.grading.limits.userns_filter`) in both. The root and ``/dev`` are remounted
    read-only last, so the only writable places are the size-limited in-memory folders. The
    sandbox starts from an empty environment: of the caller's it gets ``extra_env`` only (for a
    student's kernel, the owner's variant variables, `alliancekit.grading.context.Submission`).
    The environment goes through a pipe (``--args FD``, `alliancekit.grading.envpipe`), never on
    the command line, which every local user can read: the pipe's descriptor is appended to
    ``opened``, for the caller to pass to bubblewrap and close once it has started.
    """
    args = [_bwrap() or "bwrap", "--die-with-parent", "--new-session", "--unshare-ipc",
            "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            "--hostname", "grading"]
    if uid is None:
        args += ["--unshare-user", "--disable-userns"]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]
    args += ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for path in _ETC:
        args += ["--ro-bind-try", path, path]
    size = str(limits.disk_mb * MiB)
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(16 * MiB), "--tmpfs", "/dev/shm",
             "--size", size, "--tmpfs", "/tmp", "--chmod", "1777", "/tmp",
             "--size", size, "--tmpfs", _HOME, "--chmod", "0777", _HOME]
    # after the private /tmp and home, so that a library kept under /tmp stays visible
    binds = [d for d in library_dirs() if not d.startswith("/usr/")]
    parents = sorted({str(p) for d in binds for p in Path(d).parents if str(p) != "/"},
                     key=len)
    for parent in parents:  # made world-traversable, whatever the host's (e.g. /root is 0700)
        if (parent not in binds and parent not in ("/tmp", _HOME)
                and not any(parent.startswith(b + "/") for b in binds)):
            args += ["--perms", "0755", "--dir", parent]
    for d in binds:
        args += ["--ro-bind", d, d]
    if workdir != _HOME:
        args += ["--dir", workdir, "--chmod", "0777", workdir]
    for fd, dest in files or []:
        args += ["--perms", "0666", "--file", str(fd), dest]
    (box / "conn").mkdir(exist_ok=True)
    (box / "ipc").mkdir(exist_ok=True)
    args += ["--perms", "0755", "--dir", str(box),
             "--ro-bind", str(box / "conn"), str(box / "conn")]
    if ipc_host:
        os.chmod(box, 0o755)
        os.chmod(box / "conn", 0o755)
        os.chmod(box / "ipc", 0o777)
        args += ["--bind", str(box / "ipc"), str(box / "ipc")]
    else:
        args += ["--size", str(MiB), "--tmpfs", str(box / "ipc")]
    if info_fd is not None:
        args += ["--info-fd", str(info_fd)]
    args += ["--remount-ro", "/dev", "--remount-ro", "/"]
    if uid is not None:
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    env = {"HOME": _HOME, "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
           "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "MPLCONFIGDIR": "/tmp/mpl",
           "IPYTHONDIR": "/tmp/ipython", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime",
           "JUPYTER_CONFIG_DIR": "/tmp/jupyter-config", "JUPYTER_DATA_DIR": "/tmp/jupyter-data",
           "XDG_CACHE_HOME": "/tmp/cache", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1", "NBGRADER_EXECUTION": "autograde",
           "JPY_PARENT_PID": "1"}
    # the kernel imports the very alliancekit the grader runs (its folder is bound read-only)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    env.update(extra_env or {})
    env_fd = env_pipe(env)
    if opened is None:
        os.close(env_fd)
        raise ValueError("opened: a list is needed, to receive the environment pipe's descriptor")
    opened.append(env_fd)
    args += ["--clearenv", "--args", str(env_fd)]
    args += ["--chdir", workdir]
    jail = str(Path(__file__).resolve().parent / "_jail.py")
    args += ["--", sys.executable, "-I", "-S", jail]
    if uid is not None:
        args += ["--uid", str(uid)]
    args += ["--nproc", str(limits.processes), "--data", str(limits.memory_mb * MiB),
             "--fsize", str(limits.file_mb * MiB), "--nofile", str(limits.open_files),
             "--cpu", str(int(limits.seconds) + 5), "--"]
    return args


# --------------------------------------------------------------------------------------------
# A word match on a submission's code (a note for the instructor, never a score)
# --------------------------------------------------------------------------------------------
def suspicious_code(nb) -> list[str]:
    """Words in a submission's code cells that reach into the kernel (a word match: a note only)."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or nbgrader_of(cell).get("locked"):
            continue
        found += [w for w in _SUSPICIOUS if w in cell.source and w not in found]
    return found


# --------------------------------------------------------------------------------------------
# The kernel manager: an ipykernel in a bubblewrap sandbox
# --------------------------------------------------------------------------------------------
_TAIL_BYTES = 4096
_LIVE: "weakref.WeakSet[SandboxKernelManager]" = weakref.WeakSet()


@atexit.register
def _remove_live_boxes() -> None:
    """At exit, kill and remove every sandbox this process still has (whatever went wrong)."""
    for manager in list(_LIVE):
        manager.remove_box()


REPLY_BYTES = plaindata.MAX_BYTES + MiB  # a plain-data reply and its message's envelope


class CappedKernelClient(BudgetedKernelClient):
    """The grader's client of a sandboxed kernel: replies over `REPLY_BYTES` refused as they arrive.

    The answers the judge asks for come back as the reply to an execute request on the shell
    channel. ZMQ's ``MAXMSGSIZE`` on the shell and control sockets makes ZMQ drop the connection
    as soon as a message's header announces more bytes than that, before reading its body: an
    over-size reply is never held in the grader's memory, the request goes unanswered and times out
    (the test then fails, saying the kernel did not hand over its answers), and ZMQ reconnects for
    the next request. Outputs (the iopub channel) have their own byte budget
    (`alliancekit.grading.budget`).

    ``MAXMSGSIZE`` bounds frames, not their number, and ZMQ holds a message until all its frames
    have arrived; so the client connects to the kernel's relay (`alliancekit.grading.relay`), not
    to the kernel, and the relay bounds each message whole. `shell_dropped` also reports a reply
    the relay dropped, or the relay giving up.
    """

    _shell_watch = None
    _dropped = False

    def _create_connected_socket(self, channel: str, identity: bytes | None = None):
        if channel not in ("shell", "control"):
            return super()._create_connected_socket(channel, identity=identity)
        import zmq
        from jupyter_client.connect import channel_socket_types

        sock = self.context.socket(channel_socket_types[channel])
        sock.setsockopt(zmq.MAXMSGSIZE, REPLY_BYTES)  # before connecting: it binds the pipe
        sock.linger = 1000
        if identity:
            sock.identity = identity
        if getattr(self, "curve_publickey", None) is not None:
            sock.curve_secretkey = self.curve_secretkey
            sock.curve_publickey = self.curve_publickey
            sock.curve_serverkey = self.curve_publickey
        if channel == "shell":
            self._shell_watch = sock.get_monitor_socket(zmq.EVENT_DISCONNECTED)
        sock.connect(self._make_url(channel))
        return sock

    async def shell_dropped(self) -> bool:
        """Whether the shell connection was dropped (an over-size reply; ZMQ does not reconnect).

        Returns
        -------
        bool
            True once the connection to the kernel's shell socket has been lost.
        """
        relay = getattr(self.parent, "_relay", None)
        if relay is not None and relay.lost_reply():
            self._dropped = True
        watch = self._shell_watch
        while watch is not None and not self._dropped and await watch.poll(0):
            await watch.recv_multipart()  # the only event watched is a disconnection
            self._dropped = True
        return self._dropped

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait for the kernel's first answer (`alliancekit.grading.ready`: no fixed pauses)."""
        await wait_until_ready(self, timeout)

    def stop_channels(self) -> None:
        """Stop the channels, and the watch on the shell connection."""
        watch, self._shell_watch = self._shell_watch, None
        if watch is not None:
            watch.close(linger=0)
        super().stop_channels()


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside a bubblewrap sandbox (see module doc).

    Besides the sandbox, each kernel gets: a memory and pids cgroup holding all its processes
    (where one can be made; `alliancekit.grading.limits`), a seccomp filter against new user
    namespaces, an output budget for its notebook (`alliancekit.grading.budget`), only the set's
    own files from the submission folder, and its stdout/stderr sent to a pipe whose last
    ``_TAIL_BYTES`` are kept (``output_tail``), never to the grader's terminal.
    """

    memory_mb = Integer(Limits.memory_mb, help="memory of the whole submission, in MiB"
                        ).tag(config=True)
    processes = Integer(Limits.processes, help="processes and threads at once").tag(config=True)
    file_mb = Integer(Limits.file_mb, help="largest file written, in MiB").tag(config=True)
    disk_mb = Integer(Limits.disk_mb, help="size of /tmp and of the home, in MiB").tag(config=True)
    open_files = Integer(Limits.open_files, help="open file descriptors").tag(config=True)
    seconds = Float(Limits.seconds, help="wall-clock seconds per submission").tag(config=True)
    output_mb = Float(Limits.output_mb, help="output kept per graded notebook, in MiB"
                      ).tag(config=True)
    course_root = Unicode("", help="the course root, to learn a set's own file names; empty: "
                          "no file of the submission is shown to the kernel").tag(config=True)
    client_class = DottedObjectName("alliancekit.grading.sandbox.CappedKernelClient")
    client_factory = Type(CappedKernelClient, klass=AsyncKernelClient, config=True)

    _box: Path | None = None
    _files: tuple | list = ()
    _info_read = None
    _root_mode = False
    _cgroup = None
    _seccomp_fd = None
    output_budget = None
    output_tail = b""
    #: The submission this kernel runs (set by `GradingExecute`): its owner's variant variables
    #: are all the sandbox gets of the grader's environment, and its notes go there.
    submission: Submission | None = None

    def _note(self, text: str) -> None:
        if self.submission is not None:
            self.submission.note(text)

    def _limits(self) -> Limits:
        return Limits(memory_mb=self.memory_mb, processes=self.processes, file_mb=self.file_mb,
                      disk_mb=self.disk_mb, open_files=self.open_files, seconds=self.seconds)

    def _own_files(self, source: Path) -> list[Path]:
        """The files of the submission folder the kernel may see: the set's own, by name.

        Never a notebook: the one being graded holds the hidden tests nbgrader restored, and the
        kernel receives its cells from the grader anyway. What is left is a set's data files.
        """
        from alliancekit.grading.collect import released_files

        expected: set[str] = set()
        if self.course_root:
            coursedir = self.config.CourseDirectory
            expected = released_files(Path(self.course_root), source.name,
                                      coursedir.get("release_directory", "release"),
                                      coursedir.get("source_directory", "source"),
                                      coursedir.get("ignore", ()))
        found = []
        for path in sorted(source.iterdir())[:1000]:
            allowed = path.name in expected and path.suffix.lower() != ".ipynb"
            if allowed and not path.is_symlink() and path.is_file() and (
                    path.stat().st_size < 50 * MiB):
                found.append(path)
        return found

    def _start_cgroup(self) -> None:
        plan = _hard.find_cgroups()
        if plan.version == 0:
            return
        try:
            self._cgroup = _hard.SubmissionCgroup(plan, self.memory_mb * MiB, self.processes)
        except OSError as exc:
            self._note(f"no memory cgroup could be made ({exc}); rlimits only")

    def _drain(self, read_fd: int) -> None:
        """Keep the last bytes the kernel wrote to its stdout/stderr; drop the rest."""
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while True:
                chunk = pipe.read(65536)
                if not chunk:
                    return
                self.output_tail = (self.output_tail + chunk)[-_TAIL_BYTES:]

    async def _async_pre_start_kernel(self, **kw):
        from alliancekit.grading.budget import OutputBudget

        self._root_mode = _as_root()
        self._stop_relay()  # a restart: the old kernel's relay
        _LIVE.add(self)
        self.output_budget = OutputBudget(int(self.output_mb * MiB))
        self.output_tail = b""
        self._start_cgroup()
        self._box = Path(tempfile.mkdtemp(prefix="ak-sandbox-"))
        (self._box / "conn").mkdir()
        (self._box / "ipc").mkdir()
        self.transport = "ipc"
        self.ip = str(self._box / "ipc" / "k")
        self.connection_file = str(self._box / "conn" / "kernel.json")
        # interrupts go as messages: a signal to bubblewrap itself would not reach the kernel
        self.kernel_spec.interrupt_mode = "message"
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        if self._root_mode:
            os.chmod(self.connection_file, 0o644)
        workdir = f"{_HOME}/{Path(kw.get('cwd') or '.').name or 'work'}"
        files = []
        source = Path(kw.get("cwd") or ".")
        if source.is_dir():
            for path in self._own_files(source):
                files.append((os.open(path, os.O_RDONLY | os.O_NOFOLLOW),
                              f"{workdir}/{path.name}"))
        self._files = [fd for fd, _ in files]
        info_fd = None
        if not self._root_mode:
            self._info_read, info_fd = os.pipe()
        self._seccomp_fd = userns_filter_fd()
        if self._seccomp_fd is not None:
            self._files.append(self._seccomp_fd)
        wrapper = _bwrap_args(self._box, self._limits(),
                              uid=_pick_uid() if self._root_mode else None,
                              ipc_host=self._root_mode, files=files, info_fd=info_fd,
                              workdir=workdir, seccomp_fd=self._seccomp_fd,
                              extra_env=self.submission.variant_env if self.submission else None,
                              opened=self._files)
        kw["pass_fds"] = tuple(self._files) + ((info_fd,) if info_fd is not None else ())
        self._info_write = info_fd
        read, write = os.pipe()
        threading.Thread(target=self._drain, args=(read,), daemon=True).start()
        self._files.append(write)
        kw["stdin"] = subprocess.DEVNULL
        kw["stdout"] = write
        kw["stderr"] = write
        command = wrapper + list(cmd)
        if self._cgroup is not None:
            command = self._cgroup.wrap(command)
        return command, kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        try:
            result = await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            for fd in [*self._files, *([self._info_write] if self._info_write else [])]:
                os.close(fd)
            self._files, self._info_write = [], None
        if self._info_read is not None:
            pid = self._read_child_pid()
            self.ip = f"/proc/{pid}/root{self._box}/ipc/k"
        self._start_relay()
        return result

    _relay = None

    def _start_relay(self) -> None:
        """Put a relay between the grader and the kernel: every message is bounded whole."""
        from alliancekit.grading.relay import Relay

        output = int(self.output_mb * MiB) + MiB
        self._relay = Relay(self.get_connection_info(), reply_bytes=REPLY_BYTES,
                            output_bytes=output, output_total=max(64 * MiB, 8 * output),
                            on_lost=self._relay_lost)
        self.ip = self._relay.front

    def _relay_lost(self) -> None:
        """The relay lost the kernel, or died: if the kernel still runs, stop it.

        A kernel still running when the relay lost it sent more than the relay could hold. A
        relay that died leaves no way to talk to the kernel (the client knows only the relay's
        sockets): the kernel is stopped, so the submission fails with the relay's note.
        """
        process = getattr(getattr(self, "provisioner", None), "process", None)
        relay = self._relay
        if relay is None or process is None:
            return
        try:  # a kernel that is ending (shut down, or being killed) closes its sockets first
            process.wait(timeout=2.0)
            return
        except subprocess.TimeoutExpired:
            pass
        relay.overflowed = not relay.died
        self.kill_now()

    def _stop_relay(self) -> None:
        relay, self._relay = self._relay, None
        if relay is not None:
            for text in relay.notes():
                self._note(text)
            relay.stop()

    _info_write = None

    def _read_child_pid(self) -> int:
        buffer = b""
        deadline = time.monotonic() + 30
        while b"}" not in buffer:
            if time.monotonic() > deadline:
                raise SandboxError("bubblewrap did not report its sandbox's process id")
            chunk = os.read(self._info_read, 4096)
            if not chunk:
                raise SandboxError("bubblewrap exited before starting the kernel")
            buffer += chunk
        os.close(self._info_read)
        self._info_read = None
        return int(json.loads(buffer[:buffer.index(b"}") + 1])["child-pid"])

    def seal(self) -> None:
        """Once the kernel is up, take away its right to create files in the sockets' folder."""
        if self._root_mode and self._box is not None:
            os.chmod(self._box / "ipc", 0o755)

    def kill_now(self) -> None:
        """Kill the sandbox (bubblewrap and, through its process namespace, all it started)."""
        provisioner = getattr(self, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                process.kill()

    def remove_box(self) -> None:
        """Kill the sandbox, note an out-of-memory kill, remove its cgroup and its folder."""
        self.kill_now()
        self._stop_relay()
        if self._cgroup is not None:
            kills = self._cgroup.oom_kills()
            if kills:
                self._note(f"over its memory limit: {self.memory_mb} MiB for all its processes "
                           f"together; the system killed {kills} of its processes")
            self._cgroup.remove()
            self._cgroup = None
        if self._box is not None:
            shutil.rmtree(self._box, ignore_errors=True)
            self._box = None

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super()._async_cleanup_resources(restart=restart)
        except OSError:
            pass  # the ipc socket paths through /proc may already be gone
        finally:
            if not restart:
                self.remove_box()

    # jupyter_client binds ``cleanup_resources`` to its own function, not to the override above:
    # nbclient calls it (and not shutdown_kernel) when the kernel has died.
    cleanup_resources = _async_cleanup_resources


# --------------------------------------------------------------------------------------------
# nbgrader's Execute, sandboxed: resets before tests, output cap, wall-clock limit
# --------------------------------------------------------------------------------------------
class GradingExecute(Execute):
    """nbgrader's ``Execute`` with the protections of ``alliancekit-grade`` that need no sandbox.

    - the output kept per cell is capped by bytes (``output_kb``), as it arrives;
    - the whole submission is stopped after ``seconds`` of wall-clock time;
    - the kernel is stopped at once after the last cell (``shutdown_kernel = "immediate"``);
    - the gradebook lock is released while the notebook runs (``process``, the grading process's
      `alliancekit.grading.context.GradingProcess`, given in the configuration by
      `alliancekit.grading`), so that other worker processes can save their scores meanwhile;
    - the submission (`alliancekit.grading.context.Submission`, made from nbgrader's resources)
      goes to the kernel manager: its owner's variant variables, and where its notes go.

    This is what ``--unsafe-trust-submissions`` uses: the kernel runs with the grader's rights.
    """

    seconds = Float(Limits.seconds).tag(config=True)
    output_kb = Integer(Limits.output_kb).tag(config=True)
    # every output has arrived when the last cell is done, and the kernel is thrown away: no need
    # to wait for it to exit on its own (nbclient's "graceful" waits up to seconds for that)
    shutdown_kernel = Enum(["graceful", "immediate"], default_value="immediate",
                           help="How the kernel is stopped after the last cell").tag(config=True)

    process = Instance(GradingProcess, allow_none=True, help="The grading process's gradebook "
                       "lock and notes (set by alliancekit.grading); None: no lock, and the notes "
                       "stay with the submission").tag(config=True)

    sandboxed = False
    submission: Submission | None = None

    def variant_of(self, resources: dict | None) -> dict[str, str]:
        """The owner's variant variables for the notebook in ``resources`` (none: public)."""
        return {}

    def submission_of(self, resources: dict | None) -> Submission:
        """The submission nbgrader's ``resources`` describe, its notes going to ``process``."""
        notes = self.process.notes if self.process is not None else None
        return Submission.of(resources, self.variant_of(resources), notes)

    # ---- the whole notebook -------------------------------------------------------------
    def preprocess(self, nb, resources=None, km=None):
        self.submission = self.submission_of(resources)
        self._ak_bytes: dict = {}
        self._ak_timer_fired = False
        process = self.process or GradingProcess()
        timer = threading.Timer(self.seconds, self._ak_out_of_time)
        timer.daemon = True
        process.unlock()
        timer.start()
        try:
            return super().preprocess(nb, resources, km)
        except Exception:
            if self._ak_timer_fired:
                self.submission.note(f"stopped after the wall-clock limit of {self.seconds:g} s "
                                     "per submission")
            raise
        finally:
            timer.cancel()
            if isinstance(self.km, SandboxKernelManager):
                self.km.remove_box()
            process.relock()

    def create_kernel_manager(self):
        """nbclient's kernel manager, told which submission it runs."""
        km = super().create_kernel_manager()
        if isinstance(km, SandboxKernelManager):
            km.submission = self.submission
        return km

    async def async_start_new_kernel(self, **kwargs) -> None:
        """Start the kernel; without a sandbox, with the owner's variant in its environment."""
        if not isinstance(self.km, SandboxKernelManager):  # it inherits the grader's otherwise
            kwargs.setdefault("env", self.submission.kernel_environment(os.environ))
        await super().async_start_new_kernel(**kwargs)

    # nbclient binds ``start_new_kernel`` to its own coroutine, not to the override above
    start_new_kernel = run_sync(async_start_new_kernel)

    def _ak_out_of_time(self) -> None:
        self._ak_timer_fired = True
        km = self.km
        if isinstance(km, SandboxKernelManager):
            km.kill_now()
            return
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                process.kill()

    def output(self, outs, msg, display_id, cell_index):
        budget = self.output_kb * 1024
        used = self._ak_bytes.get(cell_index, 0)
        if used > budget:
            return None
        size = len(json.dumps(msg.get("content", {}), default=str))
        self._ak_bytes[cell_index] = used + size
        if used + size > budget:
            outs.append(_stream_output(
                f"\n... output cut: this cell printed more than {self.output_kb} KiB ...\n"))
            self.submission.note("huge output cut short")
            return None
        return super().output(outs, msg, display_id, cell_index)


def _stream_output(text: str):
    from nbformat.v4 import new_output

    return new_output("stream", name="stdout", text=text)
