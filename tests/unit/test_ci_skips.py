"""In CI (``ALLIANCEKIT_CI=1``, set by ``.ci/run``) every kind of skip fails, with its reason.

The hook lives in the repository's root ``conftest.py``; each test runs it on a one-file suite.
"""
from __future__ import annotations

from pathlib import Path

HOOK = (Path(__file__).resolve().parents[2] / "conftest.py").read_text(encoding="utf-8")
CI_RUN = Path(__file__).resolve().parents[2] / ".ci" / "run"

SKIPS = {
    "a call": "import pytest\ndef test_it():\n    pytest.skip('no tool here')\n",
    "a marker": "import pytest\n@pytest.mark.skipif(True, reason='no tool here')\n"
                "def test_it():\n    pass\n",
    "a fixture": "import pytest\n@pytest.fixture\ndef tool():\n    pytest.skip('no tool here')\n"
                 "def test_it(tool):\n    pass\n",
    "a whole module": "import pytest\npytest.skip('no tool here', allow_module_level=True)\n"
                      "def test_it():\n    pass\n",
    "a doctest": "def f():\n    '''\n    >>> f()  # doctest: +SKIP\n    '''\n",
    "an import": "import pytest\npytest.importorskip('no_such_module_here')\n"
                 "def test_it():\n    pass\n",
}


def _run(pytester, monkeypatch, ci: bool) -> dict[str, str]:
    """Run one file per kind of skip; return each file's outcomes, joined, and the output."""
    pytester.makeconftest(HOOK)
    files = {f"test_{n}": source for n, source in enumerate(SKIPS.values())}
    pytester.makepyfile(**files)
    if ci:
        monkeypatch.setenv("ALLIANCEKIT_CI", "1")
    else:
        monkeypatch.delenv("ALLIANCEKIT_CI", raising=False)
    recorder = pytester.inline_run("--doctest-modules", "-p", "no:cacheprovider", "-q")
    outcomes = {kind: set() for kind in SKIPS}
    text = {kind: "" for kind in SKIPS}
    for report in recorder.getreports("pytest_collectreport pytest_runtest_logreport"):
        if not report.nodeid.startswith("test_"):
            continue
        kind = list(SKIPS)[int(report.nodeid.split("::")[0].removesuffix(".py").split("_")[1])]
        if getattr(report, "when", None) == "call" or report.outcome != "passed":
            outcomes[kind].add(report.outcome)
            text[kind] += str(report.longrepr or "")
    return outcomes, text


def test_in_ci_a_skip_by_any_means_fails_and_says_why(pytester, monkeypatch):
    outcomes, text = _run(pytester, monkeypatch, ci=True)
    for kind in SKIPS:
        assert outcomes[kind] == {"failed"}, (kind, outcomes[kind])
        assert "skipped under ALLIANCEKIT_CI=1" in text[kind], kind
    assert "no tool here" in text["a call"] + text["a marker"] + text["a whole module"]


def test_outside_ci_a_skip_stays_a_skip(pytester, monkeypatch):
    outcomes, _ = _run(pytester, monkeypatch, ci=False)
    assert all(found == {"skipped"} for found in outcomes.values()), outcomes


def test_in_ci_an_expected_failure_is_still_an_expected_failure(pytester, monkeypatch):
    pytester.makeconftest(HOOK)
    pytester.makepyfile("import pytest\n@pytest.mark.xfail(reason='known')\n"
                        "def test_it():\n    assert 0\n")
    monkeypatch.setenv("ALLIANCEKIT_CI", "1")
    recorder = pytester.inline_run("-p", "no:cacheprovider", "-q")
    recorder.assertoutcome(passed=0, skipped=1, failed=0)   # an xfail is counted as a skip here
    assert all(hasattr(r, "wasxfail") for r in recorder.getreports("pytest_runtest_logreport")
               if r.skipped)


def test_the_ci_script_turns_the_rule_on():
    assert "export ALLIANCEKIT_CI=1" in CI_RUN.read_text(encoding="utf-8")
