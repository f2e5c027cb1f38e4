"""The package as a whole: cheap to import, lazy submodules, citations at hand."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import alliancekit


def _modules_loaded_by(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the names of the modules it loaded."""
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_importing_the_package_loads_neither_pandas_nor_altair():
    loaded = _modules_loaded_by("import alliancekit")
    assert not {"pandas", "altair", "numpy", "networkx", "ipywidgets"} & loaded


def test_a_submodule_loads_on_first_attribute_access():
    loaded = _modules_loaded_by("import alliancekit as ak; ak.cases")
    assert "alliancekit.cases" in loaded


def test_unknown_attribute_raises_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="no_such_thing"):
        alliancekit.no_such_thing  # noqa: B018


def test_dir_lists_the_public_modules():
    assert {"cases", "cohesion", "networks", "charts", "widgets"} <= set(dir(alliancekit))


def test_cite_gives_the_full_reference_for_a_key():
    assert "Alliance Treaty Obligations and Provisions" in alliancekit.cite("atop401")


def test_data_versions_name_every_public_dataset():
    versions = alliancekit.data_versions()
    assert {"ATOP", "NMC", "COW state system"} <= set(versions)


def test_the_course_reference_list_names_every_source_in_the_data():
    import re
    from pathlib import Path

    from alliancekit import cases

    listed = set(re.findall(r"`\[([a-z0-9_]+)\]`",
                            (Path(__file__).parents[2] / "course" / "REFERENCES.md").read_text()))
    missing = set(cases.table("sources")["key"]) - listed
    assert not missing, f"course/REFERENCES.md lacks these sources.csv keys: {sorted(missing)}"
