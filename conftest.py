"""The one pytest hook every test and doctest shares: in CI a skip is a failure.

``.ci/run`` exports ``ALLIANCEKIT_CI=1``. Under it, a test, fixture, module or doctest that skips
(``pytest.skip``, ``skipif``, ``importorskip``, ``# doctest: +SKIP`` on every example) is reported
as failed, with its reason, so a missing tool, data folder or lesson cannot pass CI unseen.
Nothing is allowed to skip there. This file sits at the repository root, not in ``tests/``, so that
it also covers the doctests collected from ``alliancekit/``.
"""
from __future__ import annotations

import os

import pytest

#: ``pytester`` lets tests/unit/test_ci_skips.py run this hook on a small suite of its own.
pytest_plugins = ["pytester"]

#: The environment variable ``.ci/run`` sets; "1" turns every skip into a failure.
CI_FLAG = "ALLIANCEKIT_CI"


def skips_fail() -> bool:
    """Whether this run is CI (``ALLIANCEKIT_CI=1``), where nothing may skip."""
    return os.environ.get(CI_FLAG) == "1"


def _as_failure(report) -> None:
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"skipped under {CI_FLAG}=1, where every test must run: {reason}\n"
                       "Install what it needs, or fix the test, rather than skipping it in CI.")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if skips_fail() and report.skipped and not hasattr(report, "wasxfail"):
        _as_failure(report)


class SkippedInCI(pytest.Item):
    """Stands for a module that skipped as a whole, and fails with its reason (no collection
    error, so the rest of the run goes on)."""

    def __init__(self, *, reason: str, **kwargs):
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        pytest.fail(f"skipped under {CI_FLAG}=1, where every test must run: {self.reason}",
                    pytrace=False)

    def reportinfo(self):
        return self.path, None, f"{self.name}: {self.reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if skips_fail() and report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        item = SkippedInCI.from_parent(collector, name="skipped-in-CI", reason=reason)
        outcome.force_result(pytest.CollectReport(report.nodeid, "passed", None, [item]))
