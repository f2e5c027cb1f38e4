"""The class hub's configuration files, checked without starting anything.

- ``hub/k8s/values.yaml`` is valid for the Zero to JupyterHub chart 4.4.0: merged over the chart's
  default values (as Helm does) and checked against the chart's values schema, both read from
  ``../shared/reference/`` (skipped where that folder is absent, never in CI);
- ``hub/jupyterhub_config.py`` builds the groups, roles and services of the class from a roster,
  and ``hub/roster.py`` rejects a bad roster with a clear message.
"""
from __future__ import annotations

import copy
import json
import os
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference"
sys.path.insert(0, str(ROOT / "hub"))

import roster as hub_roster  # noqa: E402


def helm_merge(defaults, values):
    """Merge ``values`` over ``defaults`` as Helm does: maps recursively, a null deletes a key,
    anything else (lists included) replaces."""
    if not isinstance(defaults, dict) or not isinstance(values, dict):
        return copy.deepcopy(values)
    merged = copy.deepcopy(defaults)
    for key, value in values.items():
        if value is None:
            merged.pop(key, None)
        elif key in merged and isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@pytest.fixture(scope="module")
def chart():
    schema_file = REFERENCE / "z2jh-4.4.0-values.schema.yaml"
    if not schema_file.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{schema_file} is missing in CI")
        pytest.skip(f"the chart's schema is not here ({schema_file}); it lives in ../shared")
    schema = yaml.safe_load(schema_file.read_text())
    defaults = yaml.safe_load((REFERENCE / "z2jh-4.4.0-values.yaml").read_text())
    return schema, defaults


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load((ROOT / "hub" / "k8s" / "values.yaml").read_text())


def test_helm_merge_follows_helm():
    merged = helm_merge({"a": {"b": 1, "c": [1]}, "d": 2}, {"a": {"c": [2]}, "d": None})
    assert merged == {"a": {"b": 1, "c": [2]}}


def test_the_kubernetes_values_pass_the_charts_schema(chart, values):
    schema, defaults = chart
    jsonschema.validate(helm_merge(defaults, values), schema)


def test_a_misspelt_key_fails_the_charts_schema(chart, values):
    schema, defaults = chart
    broken = copy.deepcopy(values)
    broken["singleuser"]["memory"]["limt"] = "1G"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(helm_merge(defaults, broken), schema)


def test_the_kubernetes_values_set_limits_culler_and_exchange(values):
    single = values["singleuser"]
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    assert values["cull"]["enabled"] is True
    mounts = {m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert "/usr/local/share/nbgrader/exchange" in mounts
    assert "Exchange.root" in single["extraFiles"]["nbgrader-config"]["stringData"]


def test_the_user_image_pins_the_charts_jupyterhub():
    dockerfile = (ROOT / "hub" / "k8s" / "Dockerfile").read_text()
    assert '"jupyterhub==5.5.4"' in dockerfile
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"jupyterhub==5.5.4"' in pyproject


def test_kubernetes_students_get_the_student_configuration_and_the_instructor_does_not(values):
    from types import SimpleNamespace

    from traitlets.config import Config

    c = Config()
    exec(values["hub"]["extraConfig"]["studentConfig"], {"c": c})  # as the chart's hub does
    hook = c.KubeSpawner.pre_spawn_hook
    folder = "/srv/alliancekit/student-config"
    for name, expected in (("student1", folder), ("instructor", None)):
        spawner = SimpleNamespace(user=SimpleNamespace(name=name), environment={"PATH": "/bin"})
        hook(spawner)
        assert spawner.environment.get("JUPYTER_CONFIG_PATH") == expected, name
    dockerfile = (ROOT / "hub" / "k8s" / "Dockerfile").read_text()
    copied = [line.split()[1] for line in dockerfile.splitlines()
              if line.startswith("COPY") and line.rstrip().split()[-1].startswith(folder)]
    assert "alliancekit/student_config/jupyter_server_config.json" in copied
    assert "alliancekit/student_config/labconfig" in copied
    assert not any("no-exchange" in source for source in copied)


def _load_config(tmp_path, roster: dict) -> object:
    """Load hub/jupyterhub_config.py the way JupyterHub does, with a roster of our own."""
    from traitlets.config.loader import PyFileConfigLoader

    (tmp_path / "roster.json").write_text(json.dumps(roster))
    env = {"ALLIANCEKIT_HUB_PREFIX": str(tmp_path), "ALLIANCEKIT_HUB_AUTH": "pam",
           "ALLIANCEKIT_HUB_ROSTER": str(tmp_path / "roster.json")}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        loader = PyFileConfigLoader("jupyterhub_config.py", path=str(ROOT / "hub"))
        return loader.load_config()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_a_grader_joins_the_formgrade_group(tmp_path):
    config = _load_config(tmp_path, {"instructor": "root", "graders": ["daemon"],
                                     "students": ["nobody"]})
    groups = config.JupyterHub.load_groups
    assert groups["formgrade-alliancekit"]["users"] == ["root", "daemon"]
    assert groups["nbgrader-alliancekit"]["users"] == ["root", "nobody"]
    assert config.Authenticator.allowed_users == {"root", "daemon", "nobody"}
    service = next(s for s in config.JupyterHub.services if s["name"] == "alliancekit")
    assert service["user"] == "root"
    roles = {r["name"]: r for r in config.JupyterHub.load_roles}
    assert "access:services!service=alliancekit" in roles["formgrade-alliancekit"]["scopes"]
    assert not any(s.startswith("access:") for s in roles["nbgrader-alliancekit"]["scopes"])


def test_students_servers_get_the_student_configuration_and_graders_do_not(tmp_path):
    from types import SimpleNamespace

    config = _load_config(tmp_path, {"instructor": "root", "graders": ["daemon"],
                                     "students": ["nobody"]})
    hook = config.Spawner.pre_spawn_hook
    setup = hook.__globals__["student_environment"]
    for name, expected in (("nobody", str(tmp_path / "student-config")), ("root", None),
                           ("daemon", None)):
        spawner = SimpleNamespace(user=SimpleNamespace(name=name), environment={"PATH": "/bin"})
        setup(spawner)
        assert spawner.environment.get("JUPYTER_CONFIG_PATH") == expected, name
    install = __import__("install")
    copied = install.copy_student_config(tmp_path)
    server = json.loads((copied / "jupyter_server_config.json").read_text())["ServerApp"]
    assert server["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    assert "nbgrader.server_extensions.assignment_list" not in server["jpserver_extensions"]
    assert not (copied / "no-exchange").exists()


def test_students_servers_get_their_own_variant_key_and_never_the_secret(tmp_path):
    from types import SimpleNamespace

    from alliancekit import variants

    state = tmp_path / "state"
    state.mkdir()
    secret = variants.new_secret()
    (state / "variant-secret").write_text(secret + "\n")
    (state / "variant-overrides.json").write_text(json.dumps({"nobody": {"ex05-erosion": 2}}))
    config = _load_config(tmp_path, {"instructor": "root", "students": ["nobody"]})
    setup = config.Spawner.pre_spawn_hook.__globals__["student_environment"]
    spawner = SimpleNamespace(user=SimpleNamespace(name="nobody"), environment={"PATH": "/bin"})
    setup(spawner)
    env = spawner.environment
    assert env[variants.KEY_VARIABLE] == variants.student_key(bytes.fromhex(secret), "nobody")
    assert env[variants.OVERRIDES_VARIABLE] == "ex05-erosion=2"
    assert secret not in json.dumps(env)
    grader = SimpleNamespace(user=SimpleNamespace(name="root"), environment={})
    setup(grader)
    assert variants.KEY_VARIABLE not in grader.environment


def test_without_a_secret_students_get_the_public_numbers(tmp_path):
    from types import SimpleNamespace

    config = _load_config(tmp_path, {"instructor": "root", "students": ["nobody"]})
    setup = config.Spawner.pre_spawn_hook.__globals__["student_environment"]
    spawner = SimpleNamespace(user=SimpleNamespace(name="nobody"), environment={})
    setup(spawner)
    assert "ALLIANCEKIT_VARIANT_KEY" not in spawner.environment

def test_students_servers_on_the_hub_start_without_terminals_or_the_language_server(tmp_path):
    install = __import__("install")
    copied = install.copy_student_config(tmp_path)
    extensions = json.loads((copied / "jupyter_server_config.json").read_text())["ServerApp"][
        "jpserver_extensions"]
    assert extensions["jupyter_lsp"] is False
    assert extensions["jupyter_server_terminals"] is False
    assert extensions["alliancekit.studentview"] is True
    source = json.loads((ROOT / "alliancekit" / "student_config" / "jupyter_server_config.json")
                        .read_text())["ServerApp"]["jpserver_extensions"]
    assert "jupyter_server_terminals" not in source     # the local launch and Binder keep them


def test_servers_start_through_the_deferring_launcher(tmp_path):
    config = _load_config(tmp_path, {"instructor": "root", "students": ["nobody"]})
    assert list(config.Spawner.cmd)[-2:] == ["-m", "alliancekit._singleuser"]


def test_servers_keep_a_warm_spare_kernel_for_the_first_notebook(tmp_path):
    config = _load_config(tmp_path, {"instructor": "root", "students": ["nobody"]})
    assert ("--ServerApp.kernel_manager_class=alliancekit._warmkernel.WarmKernelManager"
            in config.Spawner.args)


def test_the_prestart_service_may_start_servers_and_keeps_its_token_private(tmp_path):
    config = _load_config(tmp_path, {"instructor": "root", "students": ["nobody"]})
    service = next(s for s in config.JupyterHub.services if s["name"] == "prestart")
    token_file = tmp_path / "state" / "prestart-token"
    assert service["api_token"] == token_file.read_text().strip()
    assert len(service["api_token"]) == 64
    assert token_file.stat().st_mode & 0o777 == 0o600
    role = next(r for r in config.JupyterHub.load_roles if r["name"] == "prestart")
    assert role["services"] == ["prestart"] and set(role["scopes"]) == {"read:users:name",
                                                                        "servers"}
    again = _load_config(tmp_path, {"instructor": "root", "students": ["nobody"]})
    assert next(s for s in again.JupyterHub.services
                if s["name"] == "prestart")["api_token"] == service["api_token"]


def test_the_config_limits_and_culls(tmp_path):
    config = _load_config(tmp_path, {"instructor": "root", "students": []})
    assert config.Spawner.mem_limit == "1G" and config.Spawner.cpu_limit == 1.0
    assert any(s["name"] == "idle-culler" for s in config.JupyterHub.services)
    assert config.JupyterHub.bind_url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("bad, message", [
    ({"students": ["s1"]}, "names no instructor"),
    ({"instructor": "Root"}, "bad user name 'Root'"),
    ({"instructor": "t", "students": ["a b"]}, "bad user name 'a b'"),
])
def test_a_bad_roster_says_what_is_wrong(tmp_path, bad, message):
    path = tmp_path / "roster.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ValueError, match=message):
        hub_roster.load(path)
