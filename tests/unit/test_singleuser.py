"""alliancekit._singleuser: a hub server's costly optional imports happen on first use.

Each check runs in a fresh interpreter, since the point is what gets imported.
"""
from __future__ import annotations

import json
import subprocess
import sys

PRELUDE = ("import sys, json\n"
           "from alliancekit import _singleuser as s\n"
           "for module, names in s.DEFERRED.items():\n"
           "    s.defer(module, names)\n")


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PRELUDE + code], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.splitlines()[-1])


def test_jsonschema_loads_without_building_the_iri_grammar():
    got = run("import jsonschema\n"
              "real = type(sys.modules['rfc3987_syntax']).__name__ != '_StandIn'\n"
              "print(json.dumps({'real': real}))")
    assert got == {"real": False}


def test_the_iri_check_still_works_and_loads_the_real_module_when_used():
    got = run("import jsonschema\n"
              "check = jsonschema.Draft7Validator.FORMAT_CHECKER\n"
              "ok = [check.conforms('http://example.org/caf\\u00e9', 'iri'),\n"
              "      check.conforms('no iri ::', 'iri')]\n"
              "real = type(sys.modules['rfc3987_syntax']).__name__ != '_StandIn'\n"
              "print(json.dumps({'ok': ok, 'real': real}))")
    assert got == {"ok": [True, False], "real": True}


def test_setuptools_is_imported_only_when_an_archive_is_unpacked(tmp_path):
    archive = tmp_path / "a.zip"
    code = ("import zipfile\n"
            f"with zipfile.ZipFile({str(archive)!r}, 'w') as z:\n"
            "    z.writestr('inside.txt', 'hello')\n"
            "from setuptools.archive_util import unpack_archive\n"
            "before = 'setuptools' in sys.modules\n"
            f"unpack_archive({str(archive)!r}, {str(tmp_path / 'out')!r})\n"
            "print(json.dumps({'before': before, 'after': 'setuptools' in sys.modules}))")
    assert run(code) == {"before": False, "after": True}
    assert (tmp_path / "out" / "inside.txt").read_text() == "hello"


def test_a_module_already_imported_is_left_alone():
    got = run("import json as j\n"
              "print(json.dumps({'deferred': s.defer('json', ('dumps',)),\n"
              "                  'same': sys.modules['json'] is j}))")
    assert got == {"deferred": False, "same": True}
