"""The one PATH rule: this environment's bin/ first, once, whatever PATH the caller had."""
from __future__ import annotations

import os

from alliancekit import _env


def test_the_environment_puts_this_interpreters_bin_first():
    env = _env.environment({"PATH": "/usr/bin"})
    assert env["PATH"].split(os.pathsep) == [_env.bin_dir(), "/usr/bin"]


def test_the_bin_folder_is_added_only_once():
    once = _env.environment({"PATH": "/usr/bin"})
    assert _env.environment(once)["PATH"] == once["PATH"]


def test_an_empty_path_becomes_the_bin_folder_alone():
    assert _env.environment({})["PATH"] == _env.bin_dir()


def test_the_callers_mapping_is_left_untouched():
    base = {"PATH": "/usr/bin", "OTHER": "x"}
    env = _env.environment(base)
    assert base == {"PATH": "/usr/bin", "OTHER": "x"} and env["OTHER"] == "x"
