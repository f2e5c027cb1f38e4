"""What a kernel could change in its warm parent is seen: limits, niceness, CPUs, scheduling."""
from __future__ import annotations

import json
import subprocess
import sys

from alliancekit.grading.procstate import changed, process_settings

CHANGE = """
import json, os, resource
from alliancekit.grading.procstate import changed, process_settings
start = process_settings()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, 64), min(hard, 64)))
os.setpriority(os.PRIO_PROCESS, 0, os.getpriority(os.PRIO_PROCESS, 0) + 1)
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
print(json.dumps(changed(start, process_settings())))
"""


def test_the_same_settings_twice_show_no_change():
    assert changed(process_settings(), process_settings()) == []


def test_each_setting_a_process_changed_is_named():
    found = json.loads(subprocess.run([sys.executable, "-c", CHANGE], capture_output=True,
                                      text=True, check=True).stdout)
    assert {"RLIMIT_NOFILE", "nice"} <= set(found)
    assert set(found) <= {"RLIMIT_NOFILE", "nice", "cpus", "io priority"}  # follows nice


def test_a_setting_present_on_one_side_only_counts_as_changed():
    assert changed({"nice": 0}, {"nice": 0, "cpus": (0,)}) == ["cpus"]


def test_settings_are_plain_values_that_compare_equal():
    settings = process_settings()
    assert "RLIMIT_NOFILE" in settings and "nice" in settings and "io priority" in settings
    assert settings == process_settings()
