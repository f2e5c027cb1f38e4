"""Self-checks for learners working through the exercises without an instructor.

Each visible test cell of an exercise notebook wraps its assertions in :func:`check`::

    from alliancekit.checks import check

    with check("Q1"):
        assert isinstance(margin, float), "margin should be a single number (a float)"
        assert -1 <= margin <= 1, "a commitment margin lies between -1 and 1"

Run the cell and you see ``✅ Q1: correct, all visible checks pass.`` or ``❌ Q1: not yet: margin
should be a single number (a float)``. The failure is still raised (as the original
``AssertionError``), so nbgrader scores the cell as failed when an instructor autogrades it: the
same cell serves self-learners and graded classes. No nbgrader server is needed.

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

__all__ = ["check", "digest", "matches", "close"]

PASS = "✅"
FAIL = "❌"


def _explain(exc: BaseException) -> str:
    """A short, friendly explanation of why a check failed."""
    if isinstance(exc, NotImplementedError):
        return ("the answer cell above still raises NotImplementedError: replace "
                "`raise NotImplementedError()` with your answer and run that cell first.")
    if isinstance(exc, NameError):
        return (f"{exc}. Run the answer cell above first (and the set-up cells at the top of the "
                "notebook), and keep the variable or function name the question asks for.")
    if isinstance(exc, AssertionError):
        return str(exc) or "one of the checks did not hold (no message)."
    return f"your code raised {type(exc).__name__}: {exc}"


@contextmanager
def _checking(question: str) -> Iterator[None]:
    try:
        yield
    except BaseException as exc:  # noqa: B036 (reported, then re-raised unchanged)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        print(f"{FAIL} {question}: not yet: {_explain(exc)}")
        raise
    else:
        print(f"{PASS} {question}: correct, all visible checks pass.")


def check(question: str, test: Callable[[], object] | None = None):
    """Run the checks of one question and print a friendly pass or fail message.

    Parameters
    ----------
    question : str
        The question's label as the learner sees it, for example ``"Q2"``.
    test : callable, optional
        A function of no arguments that raises ``AssertionError`` (or any error) when the answer
        is wrong. When given it is run at once; when omitted, ``check`` returns a context manager
        for a ``with`` block holding plain ``assert`` statements.

    Returns
    -------
    None or context manager
        With ``test``: ``None`` after printing the message. Without: a context manager.

    Raises
    ------
    AssertionError, or whatever the checks raised
        Re-raised unchanged after the message is printed, so that nbgrader marks the cell failed.
    ValueError
        If ``question`` is not a non-empty string.

    Examples
    --------
    >>> with check("Q0"):
    ...     assert 1 + 1 == 2
    ✅ Q0: correct, all visible checks pass.
    >>> check("Q0", lambda: None)
    ✅ Q0: correct, all visible checks pass.
    """
    if not isinstance(question, str) or not question.strip():
        raise ValueError(
            f"check: question must be a non-empty label such as 'Q1', got {question!r}")
    if test is None:
        return _checking(question)
    if not callable(test):
        raise ValueError(
            f"check: test must be a function of no arguments, got {type(test).__name__}")
    with _checking(question):
        test()
    return None


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
    if decimals is not None and (not isinstance(decimals, int) or decimals < 0):
        raise ValueError(f"digest: decimals must be a non-negative integer, got {decimals!r}")
    text = _normalise(value, decimals)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def matches(value: object, expected_digest: str, decimals: int | None = None) -> bool:
    """Whether ``digest(value, decimals)`` equals ``expected_digest`` (False for a wrong type)."""
    try:
        return digest(value, decimals) == expected_digest
    except ValueError:
        return False


def close(actual: object, expected: float, tol: float = 1e-6) -> bool:
    """Whether ``actual`` is a number within ``tol`` of ``expected`` (False for non-numbers)."""
    try:
        return abs(float(actual) - float(expected)) <= tol
    except (TypeError, ValueError):
        return False
