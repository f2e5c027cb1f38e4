"""The shape of a set's variant rules: per question, a small table of options and its words."""
from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Question:
    """One question's variant rule.

    Attributes
    ----------
    options : tuple of dict
        The inputs of each variant: option 0 is the public variant (the numbers of
        ``solutions/``), options 1..K the keyed ones. Empty when ``same_as`` is given.
    words : callable
        ``words(inputs) -> list of str``: the inputs in plain words, one line each.
    same_as : str, optional
        Another question whose inputs this one reuses (e.g. "Q2 keeps Q1's inputs").
    answer : str
        The range the answer lies in for every variant, in words (the tests check it).
    """

    words: Callable[[dict], list[str]]
    options: tuple[Mapping, ...] = ()
    same_as: str | None = None
    answer: str = ""


@dataclass(frozen=True)
class SetRules:
    """A set's variants: how many keyed variants, the rule of each varying question, and why the
    others do not vary.

    Attributes
    ----------
    set_id : str
        The set's folder name, e.g. ``"ex01-theory"``.
    variants : int
        K, the number of keyed variants (1..K); 0 is the public one. At most 4, so that in a class
        of 40 each variant has about 10 students for the item report.
    questions : dict of str to Question
        The varying questions by label.
    fixed : dict of str to str
        The autograded questions that do not vary, and why.
    written : dict of str to tuple of str
        The written questions (marked by hand) whose answer rests on a varying question's inputs,
        and which: ``{"Q5": ("Q3",)}``. Formgrader shows those inputs beside the answer
        (`alliancekit.grading.variantview`).
    """

    set_id: str
    variants: int
    questions: dict[str, Question]
    fixed: dict[str, str] = field(default_factory=dict)
    written: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def question(self, label: str) -> Question:
        """The rule of one question (error naming the set's varying questions when unknown)."""
        from alliancekit.variants import VariantError

        if label not in self.questions:
            raise VariantError(f"question {label!r} of {self.set_id} has no variant rule; "
                               f"questions with one: {', '.join(self.questions)}")
        return self.questions[label]

    def inputs(self, label: str, variant: int) -> dict:
        """A fresh copy of one question's inputs in one variant (0..K)."""
        from alliancekit.variants import VariantError

        rule = self.question(label)
        if rule.same_as:
            rule = self.question(rule.same_as)
        if isinstance(variant, bool) or not isinstance(variant, int) or not (
                0 <= variant <= self.variants):
            raise VariantError(f"variant must be a whole number from 0 to {self.variants} for "
                               f"{self.set_id}, got {variant!r}")
        return copy.deepcopy(dict(rule.options[variant]))

    def words(self, label: str, values: dict) -> list[str]:
        """The plain-words lines shown for one question's inputs."""
        return self.question(label).words(values)
