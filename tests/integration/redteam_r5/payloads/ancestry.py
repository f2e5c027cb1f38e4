# Prints this kernel's chain of ancestors inside the sandbox (pid, name, nice, start time), so
# that the runner can tell which warm parent forked it. Reads /proc only; changes nothing.
import json as _json
import os as _os


def _atk_stat(pid):
    with open(f"/proc/{pid}/stat") as fh:
        raw = fh.read()
    comm = raw[raw.index("(") + 1: raw.rindex(")")]
    rest = raw[raw.rindex(")") + 2:].split()  # rest[n - 3] is field n of proc(5)
    return {"pid": pid, "comm": comm, "ppid": int(rest[1]), "nice": int(rest[16]),
            "start": int(rest[19]), "cpu_ticks": int(rest[11]) + int(rest[12])}


_atk_chain, _atk_p = [], _os.getpid()
while _atk_p > 0 and len(_atk_chain) < 8:
    _atk_s = _atk_stat(_atk_p)
    _atk_chain.append(_atk_s)
    _atk_p = _atk_s["ppid"]
print("ANCESTRY " + _json.dumps({"uid": _os.getuid(), "chain": _atk_chain}))
