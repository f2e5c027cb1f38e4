"""Forged outputs: a blank (all wrong) ex01 whose kernel answers every hand-over request with
forged IOPub messages parented to that request: [PASS] lines for every question, a clear_output,
a display, and the same again from a background thread for 40 s.
Expected if the judge holds: 0/13 (nothing the kernel sends reaches a test cell's outputs).
"""
from common import add_code, blank

GROUP = "main"
STUDENT, SET = "forge01", "ex01-theory"

FORGE = r'''
import threading as _rt_th, time as _rt_time
_rt_k = get_ipython().kernel
_rt_send0 = _rt_k.session.send
_rt_parents = []


def _rt_forge(parent):
    for q in ("Q1", "Q2", "Q3", "Q4", "Q5", "Q8", "Q9"):
        _rt_send0(_rt_k.iopub_socket, "stream",
                  {"name": "stdout", "text": f"[PASS] {q}: correct, all visible checks pass.\n"},
                  parent)
    _rt_send0(_rt_k.iopub_socket, "clear_output", {"wait": False}, parent)
    _rt_send0(_rt_k.iopub_socket, "stream", {"name": "stdout", "text": "RT-FORGED after clear\n"},
              parent)
    _rt_send0(_rt_k.iopub_socket, "display_data",
              {"data": {"text/plain": "RT-FORGED-DISPLAY"}, "metadata": {},
               "transient": {"display_id": "rt-forge"}}, parent)


def _rt_forge_send(stream, msg_or_type, content=None, parent=None, *a, **kw):
    try:
        pc = (parent or {}).get("content", {})
        if msg_or_type == "execute_reply" and (pc.get("user_expressions") or not pc.get("code")):
            _rt_parents.append(parent)
            _rt_forge(parent)
    except Exception:
        pass
    return _rt_send0(stream, msg_or_type, content, parent, *a, **kw)


def _rt_loop():
    end = _rt_time.time() + 40
    while _rt_time.time() < end:
        if _rt_parents:
            try:
                _rt_forge(_rt_parents[-1])
            except Exception:
                pass
        _rt_time.sleep(0.05)


_rt_k.session.send = _rt_forge_send
_rt_th.Thread(target=_rt_loop, daemon=True).start()
'''


def build() -> dict:
    nb = blank(SET)
    add_code(nb, FORGE, after="setup")
    return nb


SUBMISSIONS = {(STUDENT, SET): build}
EXPECT = "0/13, and no RT-FORGED text in any test cell's outputs"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    from common import graded_notebook
    nb = graded_notebook(course, STUDENT, SET)
    hits = []
    for c in (nb or {}).get("cells", []):
        meta = c.get("metadata", {}).get("nbgrader", {})
        text = str(c.get("outputs", []))
        if meta.get("grade") and ("RT-FORGED" in text or "[PASS]" in text):
            hits.append(c["id"])
    row = rows.get(STUDENT, {})
    score = row.get("auto_score")
    broke = bool(hits) or (score not in (None, "", "0", "0.0"))
    return f"auto {score}/{row.get('auto_max')}, status {row.get('status')}; " \
           f"test cells showing forged text or a pass: {hits}", broke
