"""Which answer names a test reads (alliancekit.grading.testnames): only these are asked for."""
from __future__ import annotations

import builtins
import keyword

from hypothesis import given
from hypothesis import strategies as st

from alliancekit.grading.testnames import answer_names, bound_names

TEST = '''\
_toy = make(3)
with check("Q1"):
    assert isinstance(share_alive(_toy, 0), float), "return a float"
### BEGIN HIDDEN TESTS
for _t in (0, 2.5):
    assert close(share_alive(_toy, _t), reference[_t])
assert {k for k in hidden_answer} == {1}
### END HIDDEN TESTS
'''


def test_answers_read_by_visible_and_hidden_tests_are_found():
    assert answer_names(TEST, {"check", "close", "make"}) == ["hidden_answer", "reference",
                                                              "share_alive"]


def test_names_the_test_binds_builtins_and_set_up_names_are_not_asked_for():
    names = answer_names(TEST, {"check", "close", "make", "reference"})
    assert "_toy" not in names and "_t" not in names and "k" not in names
    assert "isinstance" not in names and "reference" not in names


def test_a_test_that_looks_answers_up_in_globals_asks_for_those_names():
    source = 'for _n in ("p_base", "p_shock"):\n    assert isinstance(globals()[_n], float)\n'
    assert answer_names(source) == ["p_base", "p_shock"]


def test_set_up_cells_bind_their_imports_and_constants():
    source = "import numpy as np\nimport alliancekit as ak\nfrom x import a, b as c\nyears = 3\n"
    assert bound_names(source) >= {"np", "ak", "a", "c", "years"}


_names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda n: not keyword.iskeyword(n) and n not in vars(builtins))


@given(answer=_names, own=_names, setup=_names)
def test_only_a_name_neither_the_test_nor_the_set_up_binds_is_asked_for(answer, own, setup):
    source = f"{own} = 2\nassert {answer} + {own} == {setup}\n"
    assert answer_names(source, {setup}) == sorted({answer} - {own, setup})


@given(_names)
def test_a_builtin_is_never_asked_for(name):
    assert answer_names(f"assert len({name}) == abs(-1)\n") == [name]
