"""The student launch's one path resolver: every spelling of solutions/ is withheld, nothing else.

The server-side tests (every route, in a running launch) are in
tests/integration/test_student_launch.py; these check the resolver itself, over wide input.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancekit.studentview import canonical_path, is_withheld, refresh_git_entry, withheld_url

#: Ways to write "stay here" or "go somewhere and come back" before a path segment.
DETOURS = st.sampled_from(["", "./", "//", "%2E/", "%2e/", "course/../", "my-work/../",
                           "course/%2E%2E/", "a/b/../../", "%252E/", "course\\..\\", ".\\",
                           "../", "course%2F..%2F", "x/./../"])
SOLUTIONS = st.sampled_from(["solutions", "SOLUTIONS", "Solutions", "solutions.", "solutions ",
                             "%73olutions", "solution%73", "ｓｏｌｕｔｉｏｎｓ"])
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)
TAILS = st.lists(NAMES, max_size=3).map("/".join)


@given(st.lists(DETOURS, max_size=4), SOLUTIONS, TAILS, st.sampled_from(["", "/", "/."]))
def test_every_spelling_of_a_path_into_solutions_is_withheld(detours, name, tail, end):
    path = "".join(detours) + name + ("/" + tail if tail else "") + end
    assert is_withheld(path), path


@given(st.lists(DETOURS, max_size=3), NAMES.filter(lambda n: n != "solutions"), TAILS)
def test_a_path_elsewhere_is_served_whatever_its_detours(detours, first, tail):
    path = "".join(detours) + first + ("/" + tail if tail else "")
    assert not is_withheld(path), path


@given(st.lists(DETOURS, max_size=2), NAMES, TAILS)
def test_solutions_below_the_top_level_is_an_ordinary_folder(detours, first, tail):
    path = "".join(detours) + f"{first}/solutions/" + tail
    assert not is_withheld(path), path


@given(st.text(max_size=40))
def test_the_canonical_spelling_is_a_fixed_point_without_dot_segments(text):
    once = canonical_path(text)
    assert canonical_path(once) == once
    assert not {".", "..", ""} & set(once.split("/")) or once == ""


def test_a_path_that_is_not_a_string_is_refused_by_name():
    with pytest.raises(TypeError, match="path must be a str"):
        canonical_path(None)


@pytest.fixture
def root(tmp_path):
    (tmp_path / "solutions" / "ex01").mkdir(parents=True)
    (tmp_path / "solutions" / "ex01" / "ex01.ipynb").write_text("{}")
    (tmp_path / "my-work").mkdir()
    (tmp_path / "course").mkdir()
    return tmp_path


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32",
                    reason="symlinks need privileges on Windows")
def test_a_symlink_a_student_makes_into_solutions_is_followed_and_withheld(root):
    (root / "my-work" / "link").symlink_to(os.path.join("..", "solutions"))
    (root / "my-work" / "one").symlink_to(os.path.join("..", "solutions", "ex01", "ex01.ipynb"))
    (root / "my-work" / "up").symlink_to("..")
    for path in ("my-work/link", "my-work/link/ex01/ex01.ipynb", "my-work/one",
                 "my-work/up/solutions/ex01", "my-work/link/new.ipynb"):
        assert is_withheld(path, root), path
        assert not is_withheld(path), path  # the spelling alone does not say it
    assert not is_withheld("my-work/up/course", root)


def test_a_folder_named_solutions_inside_my_work_is_the_students_own(root):
    (root / "my-work" / "solutions").mkdir()
    assert not is_withheld("my-work/solutions", root)
    assert is_withheld("my-work/../solutions", root)


@pytest.mark.parametrize("url", [
    "/api/contents/solutions", "/api/contents/./solutions/ex01", "/files/%2E/solutions/x",
    "/nbconvert/html/course/../solutions/x.ipynb", "/view/solutions/x", "/tree/SOLUTIONS",
    "/notebooks/my-work/../solutions/x.ipynb", "/lab/tree/solutions",
    "/lab/workspaces/auto-a/tree/solutions/x.ipynb", "/doc/tree/solutions", "/edit/solutions/x",
    "/api/contents//solutions", "/api%2Fcontents/solutions", "/api/contents/solutions%2Fx",
])
def test_urls_that_name_solutions_on_a_path_route_are_withheld(url):
    assert withheld_url(url)
    assert withheld_url("/user/s1" + url, base_url="/user/s1/")


@pytest.mark.parametrize("url", ["/api/contents", "/api/contents/course/01.ipynb", "/lab",
                                 "/lab/tree/course/00-welcome.ipynb", "/static/solutions",
                                 "/api/contents/my-work/solutions", "/user/s2/lab/tree/solutions"])
def test_other_urls_are_not(url):
    assert not withheld_url(url, base_url="/user/s1/" if url.startswith("/user") else "/")


def _git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.skipif(not (shutil.which("git") and shutil.which("grep")),
                    reason="git and grep are needed")
def test_a_saved_run_of_a_filtered_file_is_refreshed_and_an_edited_one_is_not(tmp_path):
    # A stand-in for nbstripout (the real filter is exercised in test_student_launch.py): the
    # clean filter drops "OUT" lines, as nbstripout drops outputs.
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "filter.strip.clean", "grep -v '^OUT'")
    (tmp_path / ".gitattributes").write_text("*.ipynb filter=strip\n")
    lesson = tmp_path / "lesson.ipynb"
    lesson.write_text("print(1)\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "lesson")
    lesson.write_text("print(1)\nOUT 1\n")
    assert _git(tmp_path, "status", "--porcelain") == " M lesson.ipynb\n"  # git's size check
    assert refresh_git_entry(lesson)
    assert _git(tmp_path, "status", "--porcelain") == ""
    assert "OUT 1" in lesson.read_text()  # the outputs stay on disk
    lesson.write_text("print(2)\nOUT 2\n")
    assert not refresh_git_entry(lesson)
    assert _git(tmp_path, "status", "--porcelain") == " M lesson.ipynb\n"
    (tmp_path / "notes.txt").write_text("mine")
    assert not refresh_git_entry(tmp_path / "notes.txt")  # no filter: left alone
    assert not refresh_git_entry(tmp_path / "elsewhere.ipynb")
