"""Per-student variants of the graded questions: each student works on their own numbers.

Who gets which variant
    The instructor holds a course secret (32 random bytes, written as 64 hexadecimal characters in
    a file only the instructor and the hub can read). Each student's *key* is
    ``HMAC-SHA256(secret, student id)`` (`student_key`). The hub gives every student's server its
    key in ``ALLIANCEKIT_VARIANT_KEY``; the secret never reaches a student's kernel, so nobody can
    work out a classmate's key from their own. The variant of a set is a pure function of the
    key, the set and an instructor's override table (`variant_number`): keyed students get one of
    the variants ``1..K``; without a key (a laptop, Binder, the website) everyone gets the public
    variant ``0``, whose numbers are those of the worked solutions in ``solutions/``.

What a variant is
    Each converted set has a small table of options per question (`alliancekit.variants._ex01`,
    `_ex05`, `_ex07`): option 0 is the public variant, options 1..K were chosen by the question's
    author so that each teaches the same thing at the same difficulty. A notebook shows the
    student's own inputs in plain words at the top of each question (`YourNumbers.show`), and its
    visible checks compare the answer with the digest of the student's own variant
    (`YourNumbers.digest`). The digests are made by ``scripts/variant_digests.py`` from the
    solution code of every variant; the expected answers themselves are computed only there and in
    the hidden tests.

This module reads no file except the secret (`read_secret`, for instructors and the hub) and
imports nothing heavy: every exercise imports it.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from alliancekit.variants import _ex01, _ex02, _ex03, _ex04, _ex05, _ex06, _ex07, _ex09, _ex10
from alliancekit.variants._digests import DIGESTS
from alliancekit.variants._rules import Question, SetRules

__all__ = ["VariantError", "student_key", "variant_number", "current_key", "current_overrides",
           "parse_overrides", "read_secret", "new_secret", "rules", "sets", "inputs", "show",
           "YourNumbers", "KEY_VARIABLE", "OVERRIDES_VARIABLE", "Question", "SetRules"]

#: Environment variable holding the student's key (set by the hub's spawner, or by the student).
KEY_VARIABLE = "ALLIANCEKIT_VARIANT_KEY"
#: Environment variable holding this student's overrides, e.g. ``"ex05-erosion=3"`` (a resit).
OVERRIDES_VARIABLE = "ALLIANCEKIT_VARIANT_OVERRIDES"

_SETS: dict[str, SetRules] = {r.set_id: r for r in (_ex01.RULES, _ex05.RULES, _ex07.RULES)}
_SETS.update({r.set_id: r for r in (_ex02.RULES, _ex03.RULES, _ex04.RULES)})
_SETS.update({r.set_id: r for r in (_ex06.RULES, _ex09.RULES, _ex10.RULES)})
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class VariantError(ValueError):
    """Bad input to the variants: an unknown set or question, a malformed key, secret or
    override."""


# ---------------------------------------------------------------------------------------------
# Keys and variant numbers (pure)
# ---------------------------------------------------------------------------------------------
def student_key(secret: bytes, student_id: str) -> str:
    """A student's key: HMAC-SHA256 of the student id under the course secret, in hexadecimal.

    Parameters
    ----------
    secret : bytes
        The course secret (at least 16 bytes; `read_secret` gives the 32 bytes of the file).
    student_id : str
        The student's id as nbgrader and the hub know it (the Unix or hub user name).

    Returns
    -------
    str
        64 lowercase hexadecimal characters.

    Raises
    ------
    VariantError
        If ``secret`` is not bytes of at least 16, or ``student_id`` is not a non-empty string.

    Examples
    --------
    >>> key = student_key(bytes(32), "s1")
    >>> len(key), key == student_key(bytes(32), "s1") != student_key(bytes(32), "s2")
    (64, True)
    """
    if not isinstance(secret, (bytes, bytearray)) or len(secret) < 16:
        raise VariantError("secret must be bytes, at least 16 of them (the course secret file "
                           "holds 32, as 64 hexadecimal characters)")
    if not isinstance(student_id, str) or not student_id.strip():
        raise VariantError(f"student_id must be a non-empty string, got {student_id!r}")
    return hmac.new(bytes(secret), student_id.encode("utf-8"), hashlib.sha256).hexdigest()


def _check_key(key: str) -> str:
    if not isinstance(key, str) or not _HEX64.match(key.strip().lower()):
        got = repr(key[:70]) if isinstance(key, str) else "a " + type(key).__name__
        raise VariantError("a variant key is 64 hexadecimal characters (what `alliancekit-grade "
                           f"key STUDENT` prints); got {got}")
    return key.strip().lower()


def rules(set_id: str) -> SetRules:
    """The variant rules of one set (its questions and their tables of options).

    Raises
    ------
    VariantError
        If the set has no variants; the message lists the sets that have.
    """
    if set_id not in _SETS:
        raise VariantError(f"set {set_id!r} has no variants; sets with variants: "
                           f"{', '.join(sorted(_SETS))}")
    return _SETS[set_id]


def sets() -> list[str]:
    """The sets that have variants, sorted."""
    return sorted(_SETS)


def variant_number(key: str | None, set_id: str,
                   overrides: Mapping[str, int] | None = None) -> int:
    """The variant a key gets in a set: 0 without a key, else 1..K (or the override).

    A pure function: the same key, set and overrides give the same variant anywhere, with no
    environment or file read.

    Parameters
    ----------
    key : str or None
        The student's key (64 hexadecimal characters), or None for no key (the public variant).
    set_id : str
        The set, e.g. ``"ex01-theory"``; must be a set with variants (`sets`).
    overrides : mapping of str to int, optional
        This student's chosen variants by set, from the instructor (a resit): each 1..K of its set.

    Returns
    -------
    int
        0 (public) when ``key`` is None, otherwise a variant 1..K of the set.

    Raises
    ------
    VariantError
        If the set is unknown, the key is malformed, or an override is not a variant 1..K.

    Examples
    --------
    >>> variant_number(None, "ex01-theory")
    0
    >>> variant_number("ab" * 32, "ex01-theory", {"ex01-theory": 3})
    3
    """
    set_rules = rules(set_id)
    checked = dict(parse_overrides(overrides)) if overrides else {}
    if key is None:
        return 0
    key = _check_key(key)
    if set_id in checked:
        return checked[set_id]
    mac = hmac.new(bytes.fromhex(key), set_id.encode("utf-8"), hashlib.sha256).digest()
    return 1 + int.from_bytes(mac[:8], "big") % set_rules.variants


def parse_overrides(value: str | Mapping[str, int] | None) -> dict[str, int]:
    """Check an override table: ``{"ex05-erosion": 3}`` or the text ``"ex05-erosion=3,..."``.

    Raises
    ------
    VariantError
        For an unknown set, or a variant outside 1..K of its set.
    """
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        pairs = {}
        for part in value.replace(";", ",").split(","):
            if not part.strip():
                continue
            name, sep, number = part.partition("=")
            if not sep or not number.strip().isdigit():
                raise VariantError(f"overrides are written SET=VARIANT, comma-separated (e.g. "
                                   f"'ex05-erosion=3'); got {part.strip()!r}")
            pairs[name.strip()] = int(number)
        value = pairs
    if not isinstance(value, Mapping):
        raise VariantError("overrides must map sets to variant numbers, got "
                           f"{type(value).__name__}")
    out = {}
    for set_id, number in value.items():
        k = rules(str(set_id)).variants
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= k:
            raise VariantError(f"override for {set_id!r} must be a variant from 1 to {k} (0 is "
                               f"the public one, never given to a keyed student); got {number!r}")
        out[str(set_id)] = number
    return out


# ---------------------------------------------------------------------------------------------
# The environment (the kernel's view) and the secret (the instructor's)
# ---------------------------------------------------------------------------------------------
def current_key() -> str | None:
    """The key in ``ALLIANCEKIT_VARIANT_KEY``, or None when it is unset or empty.

    ``JUPYTERHUB_USER`` alone (Binder sets it) is not a key: without a key the variant is public.

    Raises
    ------
    VariantError
        If the variable holds something that is not a key.
    """
    value = os.environ.get(KEY_VARIABLE, "").strip()
    if not value:
        return None
    try:
        return _check_key(value)
    except VariantError:
        raise VariantError(f"{KEY_VARIABLE} is set but is not a key (64 hexadecimal "
                           "characters); ask your instructor for yours, or unset it to work on "
                           "the public numbers") from None


def current_overrides() -> dict[str, int]:
    """This student's overrides from ``ALLIANCEKIT_VARIANT_OVERRIDES`` (empty when unset)."""
    return parse_overrides(os.environ.get(OVERRIDES_VARIABLE, ""))


def new_secret() -> str:
    """A new course secret: 32 random bytes as 64 hexadecimal characters (for the secret file)."""
    return secrets.token_hex(32)


def read_secret(path: str | os.PathLike) -> bytes:
    """Read the course secret from its file (64 hexadecimal characters, spaces ignored).

    Raises
    ------
    VariantError
        If the file is missing or unreadable, or does not hold exactly 64 hexadecimal characters.
    """
    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise VariantError(f"cannot read the variant secret file {str(path)!r} "
                           f"({type(exc).__name__}); make one with `alliancekit-grade key "
                           "--new-secret FILE`") from None
    text = "".join(text.split()).lower()
    if not _HEX64.match(text):
        raise VariantError(f"the variant secret file {str(path)!r} must hold exactly 64 "
                           "hexadecimal characters (32 bytes); it holds something else. Make "
                           "one with `alliancekit-grade key --new-secret FILE`")
    return bytes.fromhex(text)


# ---------------------------------------------------------------------------------------------
# A student's own numbers
# ---------------------------------------------------------------------------------------------
def inputs(set_id: str, question: str, variant: int) -> dict:
    """The inputs of one question in one variant (a fresh copy).

    Raises
    ------
    VariantError
        If the set or question has no variant rule, or the variant is not 0..K.
    """
    return rules(set_id).inputs(question, variant)


def show(set_id: str, question: str) -> dict:
    """Print the inputs of one question for whoever runs it, in plain words, and return them.

    Parameters
    ----------
    set_id : str
        The set, e.g. ``"ex01-theory"``.
    question : str
        The question's label, e.g. ``"Q1"``; it must have a variant rule.

    Returns
    -------
    dict
        The inputs of the variant of the key in the environment (public without one).

    Examples
    --------
    >>> values = show("ex05-erosion", "Q7")   # doctest: +ELLIPSIS
    Your input:
      year = 1930 ...
    """
    return YourNumbers(set_id).show(question)


class YourNumbers:
    """The numbers of one set for whoever runs it: the variant of the key in the environment.

    Parameters
    ----------
    set_id : str
        The set, e.g. ``"ex01-theory"``.

    Examples
    --------
    >>> mine = YourNumbers("ex01-theory")      # no key here: the public variant
    >>> mine.variant
    0
    """

    def __init__(self, set_id: str):
        self.rules = rules(set_id)
        self.set_id = set_id
        self.variant = variant_number(current_key(), set_id, current_overrides())

    def __repr__(self) -> str:
        if self.variant == 0:
            return (f"{self.set_id}: the public numbers (variant 0, the worked solutions' "
                    "numbers); with a key from your instructor you get your own.")
        return f"{self.set_id}: your own numbers (variant {self.variant})."

    def show(self, question: str) -> dict:
        """Print this question's inputs in plain words and return them (a dict)."""
        values = self.rules.inputs(question, self.variant)
        print("\n".join(self.rules.words(question, values)))
        return values

    def digest(self, question: str) -> str:
        """The digest of this variant's answer to ``question``, for `alliancekit.checks.matches`."""
        self.rules.question(question)
        try:
            return DIGESTS[self.set_id][question][self.variant]
        except (KeyError, IndexError):
            raise VariantError(f"no digest for {self.set_id} {question} variant {self.variant}; "
                               "run scripts/variant_digests.py") from None
