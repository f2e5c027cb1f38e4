"""The gradebook engine shared within a grading process (alliancekit.grading.engines)."""
from __future__ import annotations

import nbgrader.api
import pytest
from nbgrader.api import Gradebook

from alliancekit.grading.engines import shared_engines


@pytest.fixture(scope="module")
def gradebook_url(tmp_path_factory) -> str:
    """A gradebook with one student (made once: nbgrader takes seconds to set a new one up)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('engines') / 'gradebook.db'}"
    with Gradebook(url) as gradebook:
        gradebook.add_student("ann")
    return url


def test_gradebooks_opened_in_the_block_share_one_engine_and_still_work(gradebook_url):
    engines: dict = {}
    with shared_engines(engines):
        with Gradebook(gradebook_url) as first:
            pass
        with Gradebook(gradebook_url) as second:  # the first closed (disposed of) the pool
            assert second.engine is first.engine
            assert [s.id for s in second.students] == ["ann"]
    assert len(engines) == 1


def test_outside_the_block_nbgrader_makes_its_own_engines_again(gradebook_url):
    with shared_engines({}), Gradebook(gradebook_url) as inside:
        pass
    with Gradebook(gradebook_url) as outside:
        assert outside.engine is not inside.engine


def test_each_database_and_each_set_of_options_gets_its_own_engine():
    with shared_engines({}):
        a = nbgrader.api.create_engine("sqlite:///a.db", future=True)
        b = nbgrader.api.create_engine("sqlite:///b.db", future=True)
        echoing = nbgrader.api.create_engine("sqlite:///a.db", future=True, echo=True)
        assert len({id(a), id(b), id(echoing)}) == 3
        assert nbgrader.api.create_engine("sqlite:///a.db", future=True) is a


def test_the_engines_outlive_the_block_for_the_next_one():
    engines: dict = {}
    with shared_engines(engines):
        first = nbgrader.api.create_engine("sqlite://", future=True)
    with shared_engines(engines):
        assert nbgrader.api.create_engine("sqlite://", future=True) is first


def test_nbgraders_factory_is_put_back_when_the_block_fails():
    factory = nbgrader.api.create_engine
    with pytest.raises(RuntimeError), shared_engines({}):
        assert nbgrader.api.create_engine is not factory
        raise RuntimeError("grading failed")
    assert nbgrader.api.create_engine is factory
