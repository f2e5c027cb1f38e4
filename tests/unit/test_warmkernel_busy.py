"""When a student's server may warm its spare kernel: only while the machine has a core to spare."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit._warmkernel import machine_is_busy, runnable_tasks


def test_runnable_tasks_reads_procs_running(tmp_path):
    stat = tmp_path / "stat"
    stat.write_text("cpu  1 2 3\nprocs_running 7\nprocs_blocked 0\n")
    assert runnable_tasks(stat) == 7


def test_runnable_tasks_is_zero_where_the_file_is_missing(tmp_path):
    assert runnable_tasks(tmp_path / "absent") == 0


def test_runnable_tasks_counts_this_machine():
    assert runnable_tasks() >= 1  # the test itself is running


def test_two_other_tasks_on_two_cores_make_the_machine_busy():
    assert machine_is_busy([3, 3, 3], cores=2, busy_at=1.0)


def test_one_other_task_on_two_cores_leaves_a_core_to_spare():
    assert not machine_is_busy([2, 2, 2], cores=2, busy_at=1.0)


def test_the_median_sample_decides_so_one_spike_does_not():
    assert not machine_is_busy([1, 9, 1, 1, 2], cores=2, busy_at=1.0)


@given(st.lists(st.integers(0, 500), min_size=1, max_size=9), st.integers(1, 64),
       st.floats(0, 10))
def test_more_runnable_tasks_never_make_a_busy_machine_idle(samples, cores, busy_at):
    if machine_is_busy(samples, cores, busy_at):
        assert machine_is_busy([n + 1 for n in samples], cores, busy_at)


@given(st.lists(st.integers(1, 500), min_size=1, max_size=9), st.integers(1, 64))
def test_a_zero_threshold_always_counts_the_machine_busy(samples, cores):
    assert machine_is_busy(samples, cores, 0.0)


def test_no_samples_is_refused_with_what_is_needed():
    with pytest.raises(ValueError, match="at least one"):
        machine_is_busy([], cores=2, busy_at=1.0)


def test_zero_cores_is_refused():
    with pytest.raises(ValueError, match="cores must be at least 1"):
        machine_is_busy([2], cores=0, busy_at=1.0)
