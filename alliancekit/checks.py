"""Self-checks for learners working through the exercises without an instructor.

Each visible test cell of an exercise notebook wraps its assertions in :func:`check`::

    from alliancekit.checks import check

    with check("Q1"):
        assert isinstance(margin, float), "margin should be a single number (a float)"
        assert -1 <= margin <= 1, "a commitment margin lies between -1 and 1"

What the learner sees is one short block, never a traceback:

- a pass is one line: ``[PASS] Q1: correct, all visible checks pass.``
- a failure is a framed block headed ``[NOT YET] Q1`` with the reason and a hint;
- a question whose answer cell still holds ``raise NotImplementedError()`` (or whose answer has not
  been run) gets a framed block headed ``[NOT ANSWERED YET] Q1``.

Pass and failure differ in word and in shape (one line against a framed block), so they read apart
even where no emoji font is installed. A failure is raised as :class:`CheckFailed`, an
``AssertionError`` whose ``_render_traceback_`` IPython shows in place of a traceback; the cell
still ends in an error, so nbgrader scores it as failed. Exercise notebooks tag their answer and
test cells ``raises-exception``: JupyterLab, Notebook 7 and nbclient then carry on past the
failing cell, so Run All shows the state of every check at once. The tag lives in the notebook, not
in code a submission could run, and nbgrader grades from the recorded error whatever the tag says.

:func:`start` (called in each set's first code cell) also shows an answer cell that still raises
``NotImplementedError`` as a one-line "not answered yet" note, and :func:`summary` (the last cell)
prints one line such as ``5 of 7 checks pass``.

For multiple-choice and short numeric answers the visible test compares a *digest* of the answer
(:func:`digest`), so the expected answer is not printed in the student's notebook. An instructor who
changes a question prints the new digest with ``digest(answer)`` and pastes it into the test.

This module is imported by every exercise, so it imports nothing heavy.
"""
from __future__ import annotations

import hashlib
import math
from contextlib import contextmanager
from typing import Callable, Iterator

from alliancekit import _validate as vd

__all__ = ["check", "digest", "matches", "close", "start", "summary", "CheckFailed",
           "NotAnswered"]

PASS_WORD = "[PASS]"
FAIL_WORD = "[NOT YET]"
MISSING_WORD = "[NOT ANSWERED YET]"
DEFAULT_HINT = "change your answer in the cell above, run it, then run this check again."
_RULE = "-" * 60

#: The latest outcome of each question checked in this kernel: "pass", "fail" or "missing".
RESULTS: dict[str, str] = {}


def _block(head: str, lines: list[str]) -> str:
    return "\n".join([f"+{_RULE}", f"| {head}"] + [f"|   {line}" for line in lines] + [f"+{_RULE}"])


class CheckFailed(AssertionError):
    """A visible check that did not hold, shown to the learner as one short block.

    IPython calls ``_render_traceback_`` instead of printing a traceback; nbgrader still sees the
    cell end in an error and scores it as failed.
    """

    word = FAIL_WORD

    def __init__(self, question: str, reason: str, hint: str = DEFAULT_HINT) -> None:
        super().__init__(f"{question}: {reason}")
        self.question, self.reason, self.hint = question, reason, hint

    def render(self) -> str:
        """The block the learner reads: question, what is wrong, and what to try."""
        return _block(f"{self.word} {self.question}",
                      [f"what is wrong: {self.reason}", f"hint: {self.hint}"])

    def _render_traceback_(self) -> list[str]:
        return self.render().splitlines()


class NotAnswered(CheckFailed):
    """A check whose answer is missing (still ``NotImplementedError``, or never run)."""

    word = MISSING_WORD


def _classify(question: str, exc: BaseException, hint: str) -> CheckFailed:
    if isinstance(exc, CheckFailed):
        return exc
    if isinstance(exc, NotImplementedError):
        return NotAnswered(question, "not answered yet: the answer cell above still says "
                           "`raise NotImplementedError()`.",
                           "replace that line with your answer, run the cell, then this one.")
    if isinstance(exc, NameError):
        return NotAnswered(question, f"not answered yet: {exc}.",
                           "run the answer cell above (and the set-up cells at the top) first, "
                           "and keep the name the question asks for.")
    if isinstance(exc, AssertionError):
        return CheckFailed(question, str(exc) or "one of the checks did not hold.", hint)
    return CheckFailed(question, f"your code raised {type(exc).__name__}: {exc}", hint)


@contextmanager
def _checking(question: str, hint: str) -> Iterator[None]:
    try:
        yield
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: B036 (every error becomes one plain block)
        failure = _classify(question, exc, hint)
        RESULTS[question] = "missing" if isinstance(failure, NotAnswered) else "fail"
        raise failure from None
    else:
        RESULTS[question] = "pass"
        print(f"{PASS_WORD} {question}: correct, all visible checks pass.")


def check(question: str, test: Callable[[], object] | None = None, hint: str = DEFAULT_HINT):
    """Run the checks of one question and report a plain pass or a short failure block.

    Parameters
    ----------
    question : str
        The question's label as the learner sees it, for example ``"Q2"``.
    test : callable, optional
        A function of no arguments that raises ``AssertionError`` (or any error) when the answer
        is wrong. When given it is run at once; when omitted, ``check`` returns a context manager
        for a ``with`` block holding plain ``assert`` statements.
    hint : str, optional
        What to try when the check fails, shown under the reason.

    Returns
    -------
    None or context manager
        With ``test``: ``None`` after printing the pass line. Without: a context manager.

    Raises
    ------
    CheckFailed
        When a check does not hold (:class:`NotAnswered` when the answer is missing). It is an
        ``AssertionError`` that IPython shows as a short block without a traceback.
    ValueError
        If ``question`` is not a non-empty string.

    Examples
    --------
    >>> with check("Q0"):
    ...     assert 1 + 1 == 2
    [PASS] Q0: correct, all visible checks pass.
    >>> check("Q0", lambda: None)
    [PASS] Q0: correct, all visible checks pass.
    """
    if not isinstance(question, str) or not question.strip():
        raise ValueError(
            f"check: question must be a non-empty label such as 'Q1', got {question!r}")
    hint = vd.text("hint", hint)
    if test is None:
        return _checking(question, hint)
    if not callable(test):
        raise ValueError(
            f"check: test must be a function of no arguments, got {type(test).__name__}")
    with _checking(question, hint):
        test()
    return None


NOT_ANSWERED_NOTE = ("[NOT ANSWERED YET] this answer cell still says `raise NotImplementedError()`:"
                     " replace that line with your answer and run the cell.")


def _not_answered_handler(shell, etype, value, tb, tb_offset=None):  # noqa: ANN001 (IPython API)
    """IPython custom-exception handler: one line instead of a traceback, still an error."""
    lines = [NOT_ANSWERED_NOTE]
    show = getattr(shell, "_showtraceback", None)  # ipykernel publishes it as an error output
    if show is not None:
        show(etype, value, lines)
    else:
        print(NOT_ANSWERED_NOTE)
    return lines


def start() -> None:
    """Begin a set: forget earlier results and show unanswered cells as a one-line note.

    Inside IPython, an answer cell that still raises ``NotImplementedError`` then shows one line
    saying it is not answered yet instead of a traceback (the cell still ends in an error). Outside
    IPython only the results are reset.

    Examples
    --------
    >>> start()
    """
    RESULTS.clear()
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to register
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((NotImplementedError,), _not_answered_handler)


class SummaryLine(str):
    """The line `summary` prints, as a string that a notebook does not show a second time.

    `summary` is the last expression of every set's last cell, so Jupyter would display its value
    (the same sentence again, in quotes) under the line it printed. This string tells IPython's
    display machinery that it has already been shown; in code it is an ordinary ``str``.
    """

    def _ipython_display_(self) -> None:
        """Show nothing: `summary` has printed the line already."""


def summary(*questions: str) -> str:
    """Print and return one line saying how many of the set's checks pass.

    In a notebook the line appears once: the returned `SummaryLine` is not displayed again as the
    cell's value.

    Parameters
    ----------
    *questions : str
        The labels of the set's autograded questions, for example ``"Q1", "Q2"``.

    Returns
    -------
    str
        For example ``"5 of 7 checks pass; not yet: Q3; not answered yet: Q6."``

    Examples
    --------
    >>> RESULTS.clear(); RESULTS.update({"Q1": "pass", "Q2": "fail"})
    >>> _ = summary("Q1", "Q2", "Q3")
    1 of 3 checks pass; not yet: Q2; not run yet: Q3.
    """
    if not questions or not all(isinstance(q, str) and q.strip() for q in questions):
        raise ValueError("summary: name the set's questions, for example summary('Q1', 'Q2')")
    passed = [q for q in questions if RESULTS.get(q) == "pass"]
    groups = [("not yet", "fail"), ("not answered yet", "missing"), ("not run yet", None)]
    parts = [f"{len(passed)} of {len(questions)} checks pass"]
    for label, state in groups:
        named = [q for q in questions if RESULTS.get(q) == state]
        if named:
            parts.append(f"{label}: {', '.join(named)}")
    line = SummaryLine("; ".join(parts) + ".")
    print(line)
    return line


def _normalise(value: object, decimals: int | None) -> str:
    if isinstance(value, str):
        return " ".join(value.strip().lower().split())
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        number = float(value)
        if math.isnan(number):
            return "nan"
        if decimals is not None:
            number = round(number, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
            return f"{number:.{decimals}f}"
        return repr(number)
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_normalise(v, decimals) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_normalise(v, decimals) for v in value) + "]"
    raise ValueError(
        f"digest: value must be a string, number, bool, or a list/tuple/set of them, "
        f"got {type(value).__name__}")


def digest(value: object, decimals: int | None = None) -> str:
    """A short fingerprint of an answer, for checking it without printing it.

    Strings are compared case-insensitively with spaces collapsed; numbers are rounded to
    ``decimals`` places first (use it for anything computed); sets are order-free.

    Parameters
    ----------
    value : str, number, bool, or list/tuple/set of them
        The answer.
    decimals : int, optional
        Round numbers to this many decimal places before fingerprinting.

    Returns
    -------
    str
        Twelve hexadecimal characters (the start of a SHA-256 digest).

    Examples
    --------
    >>> digest(" B ") == digest("b")
    True
    >>> digest(0.12345, decimals=2) == digest(0.12, decimals=2)
    True
    """
    if decimals is not None:
        decimals = vd.integer("decimals", decimals, 0, 15)
    text = _normalise(value, decimals)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def matches(value: object, expected_digest: str, decimals: int | None = None) -> bool:
    """Whether ``digest(value, decimals)`` equals ``expected_digest`` (False for a wrong type).

    ``value`` is the learner's answer, any value; ``expected_digest`` (text) and ``decimals`` (a
    whole number in 0-15, or None) are the course's, and bad ones are refused.
    """
    vd.text("expected_digest", expected_digest)
    if decimals is not None:
        vd.integer("decimals", decimals, 0, 15)
    try:
        return digest(value, decimals) == expected_digest
    except ValueError:
        return False


def close(actual: object, expected: float, tol: float = 1e-6) -> bool:
    """Whether ``actual`` is a number within ``tol`` of ``expected`` (False for non-numbers).

    ``actual`` is the learner's answer, any value; ``expected`` (a finite number) and ``tol``
    (>= 0) are the course's, and bad ones are refused.
    """
    expected = vd.number("expected", expected)
    tol = vd.number("tol", tol, 0, None)
    try:
        return abs(float(actual) - float(expected)) <= tol
    except (TypeError, ValueError):
        return False
