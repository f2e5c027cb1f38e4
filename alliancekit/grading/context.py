"""What the grading wing passes around: one grading run, one grading process, one submission.

The grading code used to talk through process globals (a worker dictionary, a list of notes, the
variant variables of the submission being graded) and through class attributes patched from
another module (the gradebook lock's ``unlock``/``relock`` on the Execute preprocessor). Here each
of those is a field of a small record, made once and handed on explicitly:

`GradingRun`
    The settings of one ``alliancekit-grade`` run (course, limits, time-outs, the variant secret).
    Frozen and picklable: it is what each worker process receives.
`GradingProcess`
    What one grading process holds while it grades: the gradebook lock (`filelock`) and the notes
    gathered per student. The grader puts it in the nbgrader configuration
    (``c.GradingExecute.process``), which is how nbgrader's own machinery hands it to the Execute
    preprocessor it makes for each notebook.
`Submission`
    One submission being graded: its assignment, its owner, the owner's variant variables and
    where its notes go. The Execute preprocessor makes it from nbgrader's resources and hands it
    to the kernel manager (the student's sandbox) and to the judge.

This module imports nothing of nbgrader or jupyter_client, so every part of the wing (the judges'
parent in its sandbox included) can use it.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from alliancekit.variants import KEY_VARIABLE, OVERRIDES_VARIABLE

if TYPE_CHECKING:
    from alliancekit.grading.sandbox import Limits

__all__ = ["VARIANT_VARIABLES", "Notes", "GradingRun", "GradingProcess", "Submission"]

#: The environment variables that carry a submission owner's variant into their kernel and judge,
#: and the only ones a fork request may set in a judge (`alliancekit.grading.judgeserver`).
VARIANT_VARIABLES = (KEY_VARIABLE, OVERRIDES_VARIABLE)


class Notes:
    """Plain-language notes per student, gathered while one process grades its submissions.

    Examples
    --------
    >>> notes = Notes()
    >>> notes.add("ann", "huge output cut short")
    >>> notes.add("ann", "huge output cut short")
    >>> notes.take("ann"), notes.take("ann")
    (['huge output cut short'], [])
    """

    def __init__(self) -> None:
        self._by_student: dict[str, list[str]] = {}

    def add(self, student: str, text: str) -> None:
        """Note ``text`` (a sentence for the instructor) about ``student``'s submission."""
        self._by_student.setdefault(student, []).append(text)

    def take(self, student: str) -> list[str]:
        """Return and forget ``student``'s notes, each once, in the order first noted."""
        return list(dict.fromkeys(self._by_student.pop(student, [])))


@dataclass(frozen=True)
class GradingRun:
    """The settings of one grading run, the same in every worker process (picklable).

    Attributes
    ----------
    course : str
        The course root (absolute path), holding ``nbgrader_config.py``.
    timeout : float or None
        Per-cell time limit in seconds; None keeps ``Execute.timeout`` of the configuration.
    unsafe : bool
        Whether submissions run without a sandbox (``--unsafe-trust-submissions``).
    limits : alliancekit.grading.sandbox.Limits
        Resource limits of each submission's sandbox.
    gradebook_wait : float
        Seconds to wait for the gradebook lock before a student's grading is retried.
    variant_secret : str
        The course secret file for sets graded by variant ("" keeps ``c.Variants.secret_file``).
    """

    course: str
    timeout: float | None
    unsafe: bool
    limits: Limits
    gradebook_wait: float
    variant_secret: str = ""


@dataclass(frozen=True, eq=False)
class GradingProcess:
    """What one grading process holds while it grades: the gradebook lock and the notes.

    Attributes
    ----------
    lock : filelock.FileLock or None
        The lock that serialises gradebook access among grading processes (re-entrant); None
        when the database handles concurrent writers itself.
    notes : Notes
        The notes gathered per student by the sandbox, the Execute preprocessor and the judge.
    """

    lock: object | None = None
    notes: Notes = field(default_factory=Notes)

    def __deepcopy__(self, memo: dict) -> GradingProcess:
        # traitlets deep-copies configured values; this record is shared on purpose (one lock)
        return self

    @contextmanager
    def locked(self):
        """Hold the gradebook lock while inside (raises ``filelock.Timeout`` when it stays busy)."""
        if self.lock is None:
            yield
            return
        with self.lock:
            yield

    def unlock(self) -> None:
        """Let go of the gradebook entirely (while a notebook executes, and between students)."""
        if self.lock is not None:
            self.lock.release(force=True)

    def relock(self) -> None:
        """Take the gradebook lock again (after a notebook has executed)."""
        if self.lock is not None:
            self.lock.acquire()


@dataclass(frozen=True)
class Submission:
    """One submission being graded.

    Attributes
    ----------
    assignment : str
        The assignment (nbgrader's name, e.g. ``"ex01-theory"``).
    student : str
        The owner (nbgrader's student id, the submission's folder name).
    variant : tuple of (str, str)
        The owner's variant variables (`VARIANT_VARIABLES`), empty for the public variant.
    notes : Notes
        Where notes on this submission go (the grading process's, or a private one).
    """

    assignment: str = ""
    student: str = ""
    variant: tuple[tuple[str, str], ...] = ()
    notes: Notes = field(default_factory=Notes, compare=False, repr=False)

    @classmethod
    def of(cls, resources: Mapping | None, variant: Mapping[str, str] | None = None,
           notes: Notes | None = None) -> Submission:
        """The submission nbgrader's ``resources`` describe (``resources["nbgrader"]``).

        Parameters
        ----------
        resources : dict or None
            nbgrader's resources for the notebook being graded.
        variant : dict, optional
            The owner's variant variables (names from `VARIANT_VARIABLES`).
        notes : Notes, optional
            Where its notes go (default: a private collection).
        """
        info = (resources or {}).get("nbgrader") or {}
        return cls(assignment=str(info.get("assignment", "")),
                   student=str(info.get("student", "")),
                   variant=tuple(sorted((variant or {}).items())),
                   notes=Notes() if notes is None else notes)

    def note(self, text: str) -> None:
        """Note ``text`` about this submission for the instructor."""
        self.notes.add(self.student, text)

    @property
    def variant_env(self) -> dict[str, str]:
        """The owner's variant variables as a new dictionary."""
        return dict(self.variant)

    def kernel_environment(self, base: Mapping[str, str]) -> dict[str, str]:
        """``base`` without the grader's own variant variables, with the owner's instead.

        For a kernel run without a sandbox, which would otherwise inherit the grader's
        environment (a sandbox starts from an empty one). ``JPY_SESSION_NAME`` goes too: a
        grader started from a notebook cell inherits it, and a kernel that has it takes itself
        for a live notebook whose browser draws the charts (``alliancekit.render.live_frontend``),
        so the graded notebook and its feedback would lose their pictures.
        """
        env = {k: v for k, v in base.items()
               if k not in VARIANT_VARIABLES and k != "JPY_SESSION_NAME"}
        env.update(self.variant)
        return env
