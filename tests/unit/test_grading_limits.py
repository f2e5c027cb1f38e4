"""The pure parts of the grader's hard limits: where cgroups go, the seccomp program, the byte
budget, the checks of an inbound folder and the sandbox's command line."""
from __future__ import annotations

import json
import os
import struct

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from alliancekit.grading import budget, collect, limits, sandbox

HYBRID_CGROUP = """\
9:name=systemd:/
8:pids:/
4:memory:/process_api/abc
1:cpu:/
0::/
"""
HYBRID_MOUNTS = """\
30 25 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
31 25 0:27 / /sys/fs/cgroup/pids rw,relatime shared:10 - cgroup cgroup rw,pids
32 25 0:28 / /sys/fs/cgroup/unified rw,relatime shared:11 - cgroup2 cgroup2 rw
"""
UNIFIED_CGROUP = "0::/user.slice/user-1000.slice/session-3.scope\n"
UNIFIED_MOUNTS = "30 25 0:26 / /sys/fs/cgroup rw,relatime shared:9 - cgroup2 cgroup2 rw\n"


# --------------------------------------------------------------------------------------------
# cgroups
# --------------------------------------------------------------------------------------------
def test_a_hybrid_host_gets_v1_memory_and_pids_folders_under_its_own_cgroups():
    plan = limits.plan_cgroups(HYBRID_CGROUP, HYBRID_MOUNTS)
    assert plan == limits.CgroupPlan(1, memory="/sys/fs/cgroup/memory/process_api/abc",
                                     pids="/sys/fs/cgroup/pids")


def test_a_unified_host_gets_one_v2_folder():
    plan = limits.plan_cgroups(UNIFIED_CGROUP, UNIFIED_MOUNTS)
    assert plan.version == 2
    assert plan.memory == "/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope"


def test_a_host_without_a_memory_cgroup_says_so():
    plan = limits.plan_cgroups("1:cpu:/\n", "30 25 0:26 / /c rw - cgroup cgroup rw,cpu\n")
    assert plan.version == 0 and "no memory cgroup" in plan.problem


def test_the_bound_without_a_cgroup_is_said_with_its_gaps():
    text = limits.rlimit_bound(2048, 64, 256)
    assert "2048 MiB" in text and "64 processes" in text and "NOT bounded" in text


def test_a_cgroup_needs_a_v1_or_v2_plan():
    with pytest.raises(ValueError, match="plan"):
        limits.SubmissionCgroup(limits.CgroupPlan(0), 1, 1)


def test_a_cgroup_is_entered_by_a_shell_that_then_runs_the_command(tmp_path):
    group = object.__new__(limits.SubmissionCgroup)
    group.folders = [tmp_path / "m", tmp_path / "p"]
    command = group.wrap(["bwrap", "--", "python"])
    assert command[:2] == ["/bin/sh", "-c"]
    assert command[-3:] == ["bwrap", "--", "python"]
    assert command[4:6] == [str(tmp_path / "m" / "cgroup.procs"),
                            str(tmp_path / "p" / "cgroup.procs")]


# --------------------------------------------------------------------------------------------
# seccomp
# --------------------------------------------------------------------------------------------
def _run_filter(program: bytes, arch: int, nr: int, arg0: int = 0) -> int:
    """A small classic-BPF interpreter for the instructions the filter uses."""
    ops = [struct.unpack("<HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    data = {0: nr, 4: arch, 16: arg0 & 0xFFFFFFFF}
    a, pc = 0, 0
    while True:
        code, jt, jf, k = ops[pc]
        if code == 0x20:
            a = data[k]
        elif code == 0x06:
            return k
        else:
            taken = {0x15: a == k, 0x35: a >= k, 0x45: bool(a & k)}[code]
            pc += jt if taken else jf
        pc += 1


X86 = 0xC000003E
ALLOW = 0x7FFF0000


@pytest.mark.parametrize("nr", [272, 56])  # unshare, clone
def test_the_filter_refuses_a_new_user_namespace(nr):
    program = limits.userns_filter("x86_64")
    assert _run_filter(program, X86, nr, 0x10000000) == 0x00050000 | 1


@pytest.mark.parametrize("nr, flags", [(56, 0x01200011), (272, 0x00020000), (0, 0), (39, 0)])
def test_the_filter_allows_threads_forks_other_namespaces_and_other_calls(nr, flags):
    assert _run_filter(limits.userns_filter("x86_64"), X86, nr, flags) == ALLOW


@pytest.mark.parametrize("nr", [248, 249, 250])  # add_key, request_key, keyctl
def test_the_filter_refuses_the_kernels_keyrings(nr):
    assert _run_filter(limits.userns_filter("x86_64"), X86, nr) == 0x00050000 | 1


def test_clone3_is_told_it_does_not_exist_so_that_libc_falls_back_to_clone():
    assert _run_filter(limits.userns_filter("x86_64"), X86, 435) == 0x00050000 | 38


def test_another_abi_is_refused():
    assert _run_filter(limits.userns_filter("x86_64"), 0x40000003, 0) != ALLOW
    assert _run_filter(limits.userns_filter("x86_64"), X86, 0x40000000 + 272) != ALLOW


def test_an_unknown_architecture_has_no_filter():
    assert limits.userns_filter("riscv64") is None


# --------------------------------------------------------------------------------------------
# the byte budget
# --------------------------------------------------------------------------------------------
def _msg(kind: str, **content) -> dict:
    return {"msg_type": kind, "header": {"msg_type": kind}, "parent_header": {},
            "content": content}


def test_messages_within_the_budget_pass_unchanged():
    b = budget.OutputBudget(1000)
    msg = _msg("stream", name="stdout", text="hello")
    assert b.admit(msg) is msg


def test_status_messages_never_count():
    b = budget.OutputBudget(10)
    for _ in range(100):
        assert b.admit(_msg("status", execution_state="idle"))["msg_type"] == "status"


def test_past_the_budget_one_note_then_nothing():
    b = budget.OutputBudget(1000)
    first = b.admit(_msg("stream", name="stdout", text="x" * 2000))
    assert first["msg_type"] == "stream" and "output cut" in first["content"]["text"]
    assert b.admit(_msg("stream", name="stdout", text="y")) is None


def test_display_updates_count_once_per_output_they_update():
    b = budget.OutputBudget(10_000)
    for _ in range(50):
        assert b.admit(_msg("display_data", data={"text/plain": "a"}, metadata={},
                            transient={"display_id": "d"})) is not None
    update = _msg("update_display_data", data={"text/plain": "z" * 300}, metadata={},
                  transient={"display_id": "d"})
    assert b.admit(update)["msg_type"] == "stream"  # 50 copies of 300 bytes: over 10 000


def test_errors_always_pass_trimmed_so_that_a_failed_test_still_fails():
    b = budget.OutputBudget(100)
    b.admit(_msg("stream", name="stdout", text="x" * 500))
    err = b.admit(_msg("error", ename="AssertionError", evalue="v" * 10_000,
                       traceback=["line"] * 1000))
    assert err["msg_type"] == "error"
    assert len(err["content"]["evalue"]) <= 2000 and len(err["content"]["traceback"]) <= 30


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "5"])
def test_a_budget_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError, match="max_bytes"):
        budget.OutputBudget(bad)


def _nb_with_outputs(n: int, size: int) -> nbformat.NotebookNode:
    cells = []
    for _ in range(n):
        cell = new_code_cell("print('x')")
        cell.outputs = [new_output("stream", name="stdout", text="x" * size)]
        cells.append(cell)
    failing = new_code_cell("assert False")
    failing.outputs = [new_output("error", ename="AssertionError", evalue="",
                                  traceback=["AssertionError"])]
    return new_notebook(cells=cells + [failing])


def test_a_notebook_is_cut_to_its_budget_and_keeps_its_errors():
    nb = _nb_with_outputs(20, 10_000)
    assert budget.cap_notebook(nb, 50_000)
    assert len(json.dumps([c.outputs for c in nb.cells])) < 60_000
    assert nb.cells[-1].outputs[0].output_type == "error"
    assert any("output cut" in o.get("text", "") for c in nb.cells for o in c.outputs)


def test_a_notebook_within_its_budget_is_left_alone():
    nb = _nb_with_outputs(2, 100)
    before = json.dumps(nb)
    assert not budget.cap_notebook(nb, 50_000)
    assert json.dumps(nb) == before


def test_a_feedback_page_counts_the_students_text_as_html():
    nb = new_notebook(cells=[new_markdown_cell("<" * 100_000), new_markdown_cell("fine")])
    assert budget.cap_notebook(nb, 50_000, sources=True, for_html=True)
    assert "text cut" in nb.cells[0].source and nb.cells[1].source == "fine"


# --------------------------------------------------------------------------------------------
# inbound folders
# --------------------------------------------------------------------------------------------
def _folder(tmp_path):
    folder = tmp_path / "student+ex01-theory+2026-12-01 10:00:00.000000 UTC+abc"
    folder.mkdir()
    (folder / "ex01-theory.ipynb").write_text("{}")
    (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    return folder


def test_a_clean_folder_passes(tmp_path):
    verdict = collect.check_folder(_folder(tmp_path), "nobody-here", {"ex01-theory.ipynb"})
    assert not verdict.refused and verdict.unexpected == ()


def test_a_symlink_anywhere_is_refused(tmp_path):
    folder = _folder(tmp_path)
    (folder / "deep").mkdir()
    os.symlink("/etc/passwd", folder / "deep" / "gradebook.db")
    verdict = collect.check_folder(folder, "nobody-here", {"ex01-theory.ipynb"})
    assert verdict.refused and "deep/gradebook.db is a symbolic link" in verdict.problems[0]


def test_a_fifo_is_refused(tmp_path):
    folder = _folder(tmp_path)
    os.mkfifo(folder / "pipe")
    assert collect.check_folder(folder, "nobody-here", {"ex01-theory.ipynb"}).refused


def test_an_oversized_file_is_refused(tmp_path):
    folder = _folder(tmp_path)
    with open(folder / "big.bin", "wb") as handle:
        handle.truncate(3 * 1024 ** 2)
    verdict = collect.check_folder(folder, "nobody-here", {"ex01-theory.ipynb"}, max_file_mb=2)
    assert verdict.refused and "over the 2 MiB limit" in verdict.problems[0]


def test_sparse_files_under_the_file_limit_are_refused_by_their_total(tmp_path):
    # a red-team finding: 60 sparse 19 MiB files took 40 KB inbound, 1.2 GB in autograded/
    folder = _folder(tmp_path)
    for k in range(6):
        with open(folder / f"part{k}.bin", "wb") as handle:
            handle.truncate(19 * 1024 ** 2)
    verdict = collect.check_folder(folder, "nobody-here", {"ex01-theory.ipynb"})
    assert verdict.refused
    assert "its files total 114 MiB, over the limit of 50 MiB" in verdict.problems


def test_files_under_the_total_pass(tmp_path):
    folder = _folder(tmp_path)
    with open(folder / "data.bin", "wb") as handle:
        handle.truncate(19 * 1024 ** 2)
    verdict = collect.check_folder(folder, "nobody-here", {"ex01-theory.ipynb"})
    assert not verdict.refused


def test_a_copy_stops_at_the_bytes_left_to_the_submission(tmp_path):
    import logging

    (tmp_path / "a.bin").write_bytes(b"x" * 1000)
    assert collect._copy_regular(str(tmp_path / "a.bin"), str(tmp_path / "b.bin"), 999,
                                 logging.getLogger("test")) == 0
    assert not (tmp_path / "b.bin").exists()
    assert collect._copy_regular(str(tmp_path / "a.bin"), str(tmp_path / "b.bin"), 1000,
                                 logging.getLogger("test")) == 1000
    assert (tmp_path / "b.bin").read_bytes() == b"x" * 1000


def test_a_folder_owned_by_another_user_is_refused(tmp_path):
    folder = _folder(tmp_path)
    student = "root" if os.getuid() != 0 else "nobody"
    verdict = collect.check_folder(folder, student, {"ex01-theory.ipynb"})
    assert verdict.refused and "belongs to uid" in " ".join(verdict.problems)


def test_extra_files_are_reported_not_refused(tmp_path):
    folder = _folder(tmp_path)
    (folder / "notes.txt").write_text("hi")
    verdict = collect.check_folder(folder, "nobody-here", {"ex01-theory.ipynb"})
    assert not verdict.refused and verdict.unexpected == ("notes.txt",)


def test_the_released_files_are_read_from_the_release_folder(tmp_path):
    (tmp_path / "release" / "ex01").mkdir(parents=True)
    (tmp_path / "release" / "ex01" / "ex01.ipynb").write_text("{}")
    (tmp_path / "release" / "ex01" / "x.pyc").write_text("")
    assert collect.released_files(tmp_path, "ex01", ignore=["*.pyc"]) == {"ex01.ipynb"}


def test_from_the_source_folder_only_notebooks_count(tmp_path):
    (tmp_path / "source" / "ex01").mkdir(parents=True)
    (tmp_path / "source" / "ex01" / "ex01.ipynb").write_text("{}")
    (tmp_path / "source" / "ex01" / "ex01.py").write_text("# solutions")
    assert collect.released_files(tmp_path, "ex01") == {"ex01.ipynb"}


# --------------------------------------------------------------------------------------------
# the sandbox's command line and limits
# --------------------------------------------------------------------------------------------
def _bwrap_args(*args, **kwargs) -> list[str]:
    """bubblewrap's command line, the environment pipe it would read closed again."""
    opened: list = []
    try:
        return sandbox._bwrap_args(*args, opened=opened, **kwargs)
    finally:
        for fd in opened:
            os.close(fd)


def test_the_sandbox_has_a_read_only_root_and_no_nested_user_namespaces(tmp_path):
    args = _bwrap_args(tmp_path, sandbox.Limits(), uid=None, ipc_host=False, seccomp_fd=7)
    command = args[:args.index("--")]
    assert "--disable-userns" in command
    assert command[command.index("--seccomp") + 1] == "7"
    remounts = [command[i + 1] for i, a in enumerate(command) if a == "--remount-ro"]
    assert remounts == ["/dev", "/"]
    last_mount = max(i for i, a in enumerate(command) if a in ("--bind", "--ro-bind", "--tmpfs",
                                                                "--file", "--dir"))
    assert command.index("--remount-ro") > last_mount


def test_as_root_the_filter_alone_stops_nested_user_namespaces(tmp_path):
    args = _bwrap_args(tmp_path, sandbox.Limits(), uid=61000, ipc_host=True, seccomp_fd=7)
    assert "--disable-userns" not in args and "--seccomp" in args


def test_the_sandbox_binds_no_home_and_no_course(tmp_path):
    args = _bwrap_args(tmp_path, sandbox.Limits(), uid=None, ipc_host=False)
    sources = {args[i + 1] for i, a in enumerate(args) if a in ("--bind", "--ro-bind")}
    assert os.path.expanduser("~") not in sources
    assert all(s.startswith(("/usr", "/bin", "/sbin", "/lib", "/etc", str(tmp_path)))
               or s in sandbox.library_dirs() for s in sources)


@pytest.mark.parametrize("field, bad", [("memory_mb", 0), ("processes", -1), ("seconds", 0),
                                        ("output_mb", -2), ("disk_mb", 1.5)])
def test_limits_must_be_positive(field, bad):
    with pytest.raises(ValueError, match=f"Limits.{field}"):
        sandbox.Limits(**{field: bad})


@pytest.mark.parametrize("cls", [budget.CapNotebookOutputs, budget.CapFeedbackOutputs])
def test_the_budget_preprocessors_are_on_by_default(cls):
    # nbconvert's preprocessors are off unless enabled: an off budget would cap nothing
    assert cls().enabled


def test_the_sandboxs_kernels_talk_through_the_budgeted_client():
    manager = sandbox.SandboxKernelManager()
    assert issubclass(manager.client_factory, budget.BudgetedKernelClient)
    assert manager.client_factory is sandbox.CappedKernelClient  # replies capped as they arrive


def test_a_student_id_cannot_write_a_formula_or_an_escape_into_what_the_instructor_reads():
    from alliancekit.grading import GradeResult, summary_table
    from alliancekit.grading.collect import shown

    assert shown("=HYPERLINK(1)", spreadsheet=True).startswith("'")
    assert "\x1b" not in shown("\x1b]0;owned\x07name")
    row = GradeResult("\x1b[2J+1+1", "graded", 1, 1, 1, 1, False)
    assert "\x1b" not in summary_table([row])


def test_the_jail_refuses_a_posix_message_queue(tmp_path):
    # a queue outlives its maker in the IPC namespace: nothing run in the jail may make one
    import subprocess
    import sys

    from alliancekit.grading import _jail

    probe = ("import ctypes, ctypes.util, sys\n"
             "rt = ctypes.CDLL(ctypes.util.find_library('rt'), use_errno=True)\n"
             "q = rt.mq_open(b'/ak-jail-probe', 0o100 | 0o2, 0o600, None)\n"
             "if q != -1: rt.mq_unlink(b'/ak-jail-probe')\n"
             "sys.exit(0 if q == -1 else 3)\n")
    done = subprocess.run([sys.executable, "-I", "-S", _jail.__file__, "--",
                           sys.executable, "-c", probe], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
