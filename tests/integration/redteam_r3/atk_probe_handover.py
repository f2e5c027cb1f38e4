"""Probe: what does the grader ask the student's kernel for, and does the judge call back into it?

Honest answers, plus a student cell that (1) shadows common builtins in the student namespace with
logging wrappers (if the judge proxied them, its calls would be logged with their arguments, which
come from the hidden tests), (2) logs every hand-over request (user_expressions) and the kernel's
reply, (3) records the sandbox's CPU bounds. Q4's answer is a function, to see how a callable answer
is handled. A last student cell prints the log into the graded notebook.
Expected if the judge holds: no builtin called from a hand-over; only answer names requested;
12/13 (Q4 lost to the function).
"""
from common import add_code, honest, set_source

GROUP = "main"
STUDENT, SET = "probe01", "ex01-theory"

INSTRUMENT = r'''
import builtins as _rt_b, json as _rt_json, os as _rt_os, resource as _rt_res
_RT = {"calls": [], "handover": [], "env": {}, "limits": {}}
_RT["env"] = {k: v for k, v in _rt_os.environ.items()
              if any(w in k for w in ("ALLIANCE", "JPY", "JUPYTER", "KEY", "SECRET"))}
for _rt_n in ("RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_DATA", "RLIMIT_AS", "RLIMIT_NOFILE"):
    _RT["limits"][_rt_n] = _rt_res.getrlimit(getattr(_rt_res, _rt_n))
for _rt_f in ("/proc/self/cgroup", "/proc/self/autogroup", "/proc/self/loginuid"):
    try:
        _RT["limits"][_rt_f] = open(_rt_f).read()[:400]
    except OSError as _rt_e:
        _RT["limits"][_rt_f] = repr(_rt_e)
_RT["limits"]["sid_pid"] = [_rt_os.getsid(0), _rt_os.getpid(), _rt_os.getuid()]
_rt_kernel = get_ipython().kernel


def _rt_where():
    try:
        p = _rt_kernel.get_parent("shell")
        code = p.get("content", {}).get("code", "")
        mine_cell = code != "" and code in get_ipython().user_ns.get("In", [])
        return [p.get("header", {}).get("msg_type"), code[:200], mine_cell,
                _rt_b.sorted((p.get("content", {}).get("user_expressions") or {}))[:5]]
    except Exception as e:
        return [repr(e), "", False, []]


_RT_BUSY = []


def _rt_wrap(name, real):
    def inner(*a, **k):
        if not _RT_BUSY:
            _RT_BUSY.append(1)
            try:
                _RT["calls"].append([name, _rt_b.repr(a)[:160], _rt_where()])
            except Exception:
                pass
            finally:
                _RT_BUSY.clear()
        return real(*a, **k)
    inner.__name__ = name
    return inner


for _rt_n in ("abs", "int", "bool", "str", "list", "set", "isinstance", "float", "len", "all",
              "round", "sorted", "any", "min", "max", "sum"):
    globals()[_rt_n] = _rt_wrap(_rt_n, getattr(_rt_b, _rt_n))
_rt_send = _rt_kernel.session.send


def _rt_log_send(stream, msg_or_type, content=None, parent=None, *a, **kw):
    try:
        pc = (parent or {}).get("content", {})
        if msg_or_type == "execute_reply" and pc.get("user_expressions"):
            _RT["handover"].append({
                "code": pc.get("code", "")[:200], "silent": pc.get("silent"),
                "exprs": {k: v[:400] for k, v in pc["user_expressions"].items()},
                "reply": _rt_json.dumps(content, default=str)[:1500]})
    except Exception as exc:
        _RT["handover"].append(_rt_b.repr(exc))
    return _rt_send(stream, msg_or_type, content, parent, *a, **kw)


_rt_kernel.session.send = _rt_log_send
print("probe installed")
'''

REPORT = r'''
_RT["calls_during_handover"] = [c for c in _RT["calls"] if not c[2][2]]
print("RT-PROBE-BEGIN")
for _rt_key in ("env", "limits", "handover", "calls_during_handover"):
    print(_rt_key, _rt_json.dumps(_RT[_rt_key], default=str)[:50000])
print("RT-PROBE-END", _rt_b.len(_RT["calls"]), "builtin calls logged in all")
'''


def build() -> dict:
    nb = honest(SET)
    add_code(nb, INSTRUMENT, after="setup")
    set_source(nb, "q4-answer", 'def answer_q4():\n    return "a"\n')
    add_code(nb, REPORT)
    return nb


SUBMISSIONS = {(STUDENT, SET): build}
EXPECT = "12/13 (Q4 is a function); no builtin called back during a hand-over"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    from common import graded_notebook, outputs_text
    text = outputs_text(graded_notebook(course, STUDENT, SET))
    start, end = text.find("RT-PROBE-BEGIN"), text.find("RT-PROBE-END")
    log = text[start:end + 80] if start >= 0 else "(probe log not found)"
    row = rows.get(STUDENT, {})
    called_back = "calls_during_handover []" not in log
    return (f"auto {row.get('auto_score')}/{row.get('auto_max')}; status {row.get('status')}; "
            f"notes {row.get('notes')}\n{log[:6000]}", called_back)
