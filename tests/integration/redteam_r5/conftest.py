"""The round-5 red team's scripts are run by hand (see README.md here), never collected by pytest.

pytest's ``--doctest-modules`` would otherwise import each of them, and they import one another
by file name (``common``, ``run_all``), which clashes with other folders' modules of those names.
"""
collect_ignore_glob = ["*.py", "payloads/*.py"]
