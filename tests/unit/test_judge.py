"""The judge's own logic (alliancekit.grading.judge), in this process, with a fake grader channel.

The judge runs set-up and test cells; answers reach it only as plain data; set-up names are its
own; a student's function is reached only through the channel, and its result is plain data.
"""
from __future__ import annotations

from alliancekit.grading import plaindata
from alliancekit.grading.judge import Judge

SETUP = "from alliancekit.checks import check, matches, start\nstart()\nLIMIT = 3\n"


def _judge(replies=()) -> tuple[Judge, list]:
    sent: list = []
    queue = list(replies)
    judge = Judge(sent.append, lambda: queue.pop(0))
    assert judge.setup(SETUP) == []
    return judge, sent


def _answers(**values) -> str:
    return plaindata.pack({k: v if isinstance(v, dict) and "t" in v else plaindata.encode(v)
                           for k, v in values.items()})


def _failed(outputs) -> bool:
    return any(o["output_type"] == "error" for o in outputs)


def test_a_right_answer_passes_with_the_learners_pass_line():
    judge, _ = _judge()
    outputs = judge.test('with check("Q1"):\n    assert answer == LIMIT, "no"', _answers(answer=3))
    assert not _failed(outputs) and "[PASS] Q1" in outputs[0]["text"]


def test_a_wrong_answer_fails_with_the_visible_checks_message():
    judge, _ = _judge()
    outputs = judge.test('with check("Q1"):\n    assert answer == LIMIT, "try again"',
                         _answers(answer=4))
    assert _failed(outputs) and "try again" in "\n".join(outputs[-1]["traceback"])


def test_answers_cannot_replace_the_names_the_set_up_cells_defined():
    judge, _ = _judge()
    outputs = judge.test('with check("Q1"):\n    assert LIMIT == 3 and check is not None',
                         _answers(LIMIT=99, check=None, __builtins__=None))
    assert not _failed(outputs)


def test_an_unreadable_answer_fails_its_test_and_says_why():
    judge, _ = _judge()
    why = {"t": "unreadable", "why": "a value of type Liar cannot be graded"}
    outputs = judge.test('with check("Q1"):\n    assert answer == 3, "no"', _answers(answer=why))
    assert _failed(outputs) and "cannot be graded" in outputs[0]["text"]


def test_a_missing_answer_is_not_answered_yet():
    judge, _ = _judge()
    outputs = judge.test('with check("Q1"):\n    assert answer == 3', _answers(
        answer=plaindata.MISSING))
    assert _failed(outputs) and outputs[-1]["ename"] == "NotAnswered"


def test_a_students_function_is_called_through_the_grader_with_plain_arguments():
    result = {"op": "result", "payload": plaindata.pack({"ok": plaindata.encode(4.0)})}
    judge, sent = _judge([result])
    outputs = judge.test('with check("Q1"):\n    assert double(2.0) == 4.0',
                         _answers(double=plaindata.FUNCTION))
    assert not _failed(outputs)
    call = sent[0]
    assert call["op"] == "call" and call["name"] == "double"
    assert plaindata.decode(plaindata.unpack(call["args"])["args"]) == [2.0]


def test_a_students_not_implemented_function_is_not_answered_yet():
    raised = {"op": "result", "payload": plaindata.pack({"raised": ["NotImplementedError", ""]})}
    judge, _ = _judge([raised])
    outputs = judge.test('with check("Q1"):\n    assert double(2.0) == 4.0',
                         _answers(double=plaindata.FUNCTION))
    assert outputs[-1]["ename"] == "NotAnswered"


def test_a_function_that_timed_out_is_not_called_again_in_the_same_test():
    stop = {"op": "result", "error": "the kernel did not hand over the function", "stop": True}
    judge, sent = _judge([stop])
    code = ('with check("Q1"):\n    try:\n        double(1.0)\n    except TimeoutError:\n'
            '        pass\n    assert double(2.0) == 4.0')
    outputs = judge.test(code, _answers(double=plaindata.FUNCTION))
    assert _failed(outputs) and len(sent) == 1


def test_a_forged_envelope_fails_the_test_without_stopping_the_judge():
    judge, _ = _judge()
    assert _failed(judge.test('with check("Q1"):\n    assert True', "not base64!"))
    assert not _failed(judge.test('with check("Q2"):\n    assert True', _answers()))


def _raising(kind: str, message: str) -> list[dict]:
    raised = {"op": "result", "payload": plaindata.pack({"raised": [kind, message]})}
    judge, _ = _judge([raised])
    return judge.test('with check("Q1"):\n    assert double(2.0) == 4.0, "double 2.0"',
                      _answers(double=plaindata.FUNCTION))


def test_a_students_assertion_never_reads_as_the_checks_own_message():
    outputs = _raising("AssertionError", "the hidden inputs were 2.5 and 7")
    assert outputs[-1]["evalue"].startswith("Q1: your code raised StudentError: AssertionError")


def test_a_students_name_error_never_reads_as_a_missing_answer():
    outputs = _raising("NameError", "name 'hidden_2_5_and_7' is not defined")
    assert outputs[-1]["ename"] == "CheckFailed"
    assert "your code raised StudentError: NameError" in outputs[-1]["evalue"]


def test_a_students_other_builtin_error_keeps_its_kind():
    outputs = _raising("ValueError", "bad frame")
    assert outputs[-1]["evalue"] == "Q1: your code raised ValueError: bad frame"
