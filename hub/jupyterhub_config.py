"""JupyterHub configuration for one alliancekit class on one machine.

Start it with ``python3 tasks.py hub`` (a trial on 127.0.0.1) or, for a class, as root::

    sudo python3 hub/install.py                      # the shared environment, once
    sudo python3 hub/roster.py init --instructor amensah
    sudo python3 hub/roster.py add-student s1 s2 s3
    sudo /opt/alliancekit-hub/env/bin/jupyterhub -f hub/jupyterhub_config.py

What it sets up (INSTRUCTORS.md, "Teaching a class on JupyterHub", explains each part):

- **Log-in.** By default the machine's own accounts (PAM): each student signs in with the Unix
  password the administrator gave them. For an institution's single sign-on, use OAuth
  (``oauthenticator``'s ``LocalGenericOAuthenticator``, see the guide). ``ALLIANCEKIT_HUB_AUTH=
  shared-password`` (one password for the whole class, ``ALLIANCEKIT_HUB_PASSWORD``) is for trials
  and tests only.
- **One server per person, as that person's Unix user** (``LocalProcessSpawner``): nbgrader names a
  submission after the Unix user, and Unix permissions keep students' files apart.
- **Per-user memory and CPU limits**, enforced with cgroups (``hub/limits.py``).
- **The course for everyone**: alliancekit, JupyterLab and nbgrader in the shared environment, and
  the lessons copied into each user's ``~/lessons`` on first start.
- **nbgrader**: the course service ``alliancekit`` (the Formgrader of the course directory, run as
  the instructor's Unix user) and the groups ``formgrade-alliancekit`` (graders) and
  ``nbgrader-alliancekit`` (students); the exchange from ``hub/install.py``. A student's server
  runs with the student configuration (``PREFIX/student-config``): the Assignment List and
  Validate, but no Formgrader, course list or Create Assignment, and no ``solutions`` folder.
- **An idle culler** that stops servers nobody has used for an hour.
- **Per-student variants**: when the course secret file exists, each student's server gets its
  own key (``ALLIANCEKIT_VARIANT_KEY``), so the graded questions show the student's own numbers.
- **Servers started before class** by ``hub/prestart.py``, with the token of the service
  ``prestart`` (kept in ``STATE/prestart-token``); each user's server starts through
  ``alliancekit._singleuser``, which defers two costly imports, and a student's server runs
  without terminals or the language-server bridge (``hub/install.py``).

Every setting that differs between a trial, the tests and a class comes from an environment
variable ``ALLIANCEKIT_HUB_*`` (defaults in brackets): ``PREFIX`` [/opt/alliancekit-hub],
``IP`` [127.0.0.1], ``PORT`` [8000], ``HUB_PORT`` [8081], ``PROXY_API_PORT`` [8001],
``SERVICE_PORT`` [9999], ``STATE`` [PREFIX/state], ``ROSTER`` [PREFIX/roster.json], ``AUTH``
[pam], ``MEM_LIMIT`` [1G], ``CPU_LIMIT`` [1.0], ``CULL_TIMEOUT`` [3600 s], ``VARIANT_SECRET``
[STATE/variant-secret], ``VARIANT_OVERRIDES`` [STATE/variant-overrides.json].
"""
import json
import os
import pwd
import secrets
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from jupyterhub.objects import Server  # noqa: E402
from limits import LimitedLocalProcessSpawner  # noqa: E402
from roster import COURSE_ID, load  # noqa: E402

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)


def setting(name: str, default: str) -> str:
    """The value of ``ALLIANCEKIT_HUB_<name>``, or ``default``."""
    return os.environ.get(f"ALLIANCEKIT_HUB_{name}", default)


PREFIX = Path(setting("PREFIX", "/opt/alliancekit-hub"))
ENV = PREFIX / "env"
STATE = Path(setting("STATE", str(PREFIX / "state")))
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)
ROSTER = load(Path(setting("ROSTER", str(PREFIX / "roster.json"))))
IP = setting("IP", "127.0.0.1")
INSTRUCTOR = ROSTER["instructor"]
GRADERS = [INSTRUCTOR, *ROSTER["graders"]]
STUDENTS = ROSTER["students"]
PATH = f"{ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin"

# ---- Network: the proxy is the only public port; the hub and its API stay on loopback ----------
c.JupyterHub.bind_url = f"http://{IP}:{setting('PORT', '8000')}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{setting('HUB_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{setting('PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [str(PREFIX / "node/node_modules/.bin/configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
# Restarting the hub (to add a grader, say) leaves students' servers running.
c.JupyterHub.cleanup_servers = False

# ---- Who may log in ------------------------------------------------------------------------------
c.Authenticator.allowed_users = set(GRADERS + STUDENTS)
AUTH = setting("AUTH", "pam")
if AUTH == "pam":
    c.JupyterHub.authenticator_class = "pam"
elif AUTH == "shared-password":  # trials and tests only: one password for everybody
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["ALLIANCEKIT_HUB_PASSWORD"]
else:
    raise ValueError(f"ALLIANCEKIT_HUB_AUTH={AUTH!r}: use 'pam' (a class on this machine's "
                     "accounts) or 'shared-password' (a trial); for OAuth see INSTRUCTORS.md")

# ---- Groups and what they may reach (nbgrader's multi-course convention) ------------------------
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE_ID}": {"users": GRADERS},
    f"nbgrader-{COURSE_ID}": {"users": [INSTRUCTOR, *STUDENTS]},
}
c.JupyterHub.load_roles = [
    # A user's server asks the hub which nbgrader-<course> groups its user is in; nbgrader's
    # demo gives servers their owner's permissions ("inherit") for that.
    {"name": "server", "scopes": ["inherit"]},
    {"name": f"formgrade-{COURSE_ID}", "groups": [f"formgrade-{COURSE_ID}"],
     "scopes": [f"access:services!service={COURSE_ID}", "list:services",
                f"read:services!service={COURSE_ID}"]},
    {"name": f"nbgrader-{COURSE_ID}", "groups": [f"nbgrader-{COURSE_ID}"],
     "scopes": ["list:services", f"read:services!service={COURSE_ID}"]},
    # The course service's nbgrader reads users' groups (JupyterHubAuthPlugin) and enrols
    # students it adds in the Formgrader into nbgrader-<course>.
    {"name": f"{COURSE_ID}-service", "services": [COURSE_ID],
     "scopes": ["list:users", "read:users:name", "read:users:groups", "list:groups",
                f"groups!group=nbgrader-{COURSE_ID}"]},
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    # hub/prestart.py starts the students' servers before class with this service's token.
    {"name": "prestart", "services": ["prestart"], "scopes": ["read:users:name", "servers"]},
]

# ---- Services: the course's Formgrader (as the instructor) and the idle culler ------------------
# JupyterHub 5.5 gives a managed service ten one-second tries to answer at start-up, then exits.
# The course service is a whole Jupyter server, which on a busy machine needs longer (10-20 s was
# seen here with other work running). Make every such check wait at least 15 s per try. Only the
# start-up and health checks of services use shorter timeouts than that.
_wait_up = Server.wait_up


def _patient_wait_up(self, timeout=10, **kwargs):
    return _wait_up(self, max(timeout, 15), **kwargs)


Server.wait_up = _patient_wait_up

# Kernels talk to their server over Unix sockets in the user's own runtime folder, not TCP ports.
# Over TCP, each server picks ports that are free, releases them and lets the new kernel bind them;
# when a class starts kernels in the same minute, another process can take a port in between. The
# kernel then dies, and its restarts reuse the same ports (jupyter_client issue #276). This was
# seen here with 20 students in benchmarks/bench_hub.py; with Unix sockets there are no ports to
# share.
KERNELS_OVER_UNIX_SOCKETS = ["--KernelManager.transport=ipc"]



def prestart_token(path: Path) -> str:
    """The prestart service's token, made on the first start and kept (mode 600) in ``path``."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    return path.read_text().strip()


course_home = Path(pwd.getpwnam(INSTRUCTOR).pw_dir)
c.JupyterHub.services = [
    {
        "name": COURSE_ID,
        "url": f"http://127.0.0.1:{setting('SERVICE_PORT', '9999')}",
        "command": [str(ENV / "bin" / "jupyterhub-singleuser"), *KERNELS_OVER_UNIX_SOCKETS],
        "user": INSTRUCTOR,
        "cwd": str(course_home / COURSE_ID),
        "environment": {"PATH": PATH, "JUPYTERHUB_DEFAULT_URL": "/lab"},
        "oauth_no_confirm": True,
    },
    {
        "name": "idle-culler",
        "command": [str(ENV / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                    f"--timeout={setting('CULL_TIMEOUT', '3600')}", "--cull-every=300"],
    },
    # No process: only a token, for hub/prestart.py (root reads it from STATE/prestart-token).
    {"name": "prestart", "api_token": prestart_token(STATE / "prestart-token")},
]

# ---- Each user's server ------------------------------------------------------------------------
c.JupyterHub.spawner_class = LimitedLocalProcessSpawner
# jupyterhub-singleuser with two imports made on first use instead of at start-up (about 1 s of
# CPU less per server; alliancekit/_singleuser.py says which and why).
c.Spawner.cmd = [str(ENV / "bin" / "python"), "-m", "alliancekit._singleuser"]
# Each server warms one spare kernel a few seconds after it starts and gives it to the student's
# first notebook (alliancekit/_warmkernel.py): the lesson's first-time imports and data then cost
# the class nothing when it begins, if the servers were started before class (hub/prestart.py).
WARM_SPARE_KERNEL = ["--ServerApp.kernel_manager_class=alliancekit._warmkernel.WarmKernelManager"]
c.Spawner.args = KERNELS_OVER_UNIX_SOCKETS + WARM_SPARE_KERNEL
c.Spawner.environment = {"PATH": PATH}
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.mem_limit = setting("MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(setting("CPU_LIMIT", "1.0"))
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


#: The student launch's Jupyter configuration (alliancekit/studentview.py), copied here by
#: hub/install.py: no nbgrader instructor page or panel (the Formgrader, course list and Create
#: Assignment), nothing served from a ``solutions`` folder. Students keep the Assignment List.
STUDENT_CONFIG = PREFIX / "student-config"


#: The course's variant secret (INSTRUCTORS.md, "Per-student variants"): 64 hexadecimal
#: characters, readable by the hub (root) only. When it exists, every student's server gets the
#: student's own key, HMAC(secret, user name), in ALLIANCEKIT_VARIANT_KEY; the secret itself never
#: leaves the hub, so no student can work out a classmate's numbers. Optional overrides (a resit):
#: a JSON file {"student": {"set": variant}}.
VARIANT_SECRET = Path(setting("VARIANT_SECRET", str(STATE / "variant-secret")))
VARIANT_OVERRIDES = Path(setting("VARIANT_OVERRIDES", str(STATE / "variant-overrides.json")))


def variant_environment(name: str) -> dict:
    """The variables that give student ``name`` their own numbers ({} without a secret)."""
    if not VARIANT_SECRET.exists():
        return {}
    from alliancekit import variants

    env = {variants.KEY_VARIABLE: variants.student_key(variants.read_secret(VARIANT_SECRET),
                                                       name)}
    if VARIANT_OVERRIDES.exists():
        table = json.loads(VARIANT_OVERRIDES.read_text(encoding="utf-8")).get(name) or {}
        chosen = variants.parse_overrides(table)
        if chosen:
            env[variants.OVERRIDES_VARIABLE] = ",".join(f"{k}={v}" for k, v in chosen.items())
    return env


def student_environment(spawner) -> None:
    """Give a student's server the student configuration and the student's own variant key;
    graders keep nbgrader's full set (and the public numbers)."""
    if spawner.user.name not in GRADERS:
        spawner.environment = dict(spawner.environment, JUPYTER_CONFIG_PATH=str(STUDENT_CONFIG),
                                   **variant_environment(spawner.user.name))


def give_lessons(spawner) -> None:
    """Copy the lessons into ``~/lessons`` unless the user has them (never overwritten)."""
    student_environment(spawner)
    entry = pwd.getpwnam(spawner.user.name)
    lessons = Path(entry.pw_dir) / "lessons"
    if lessons.exists():
        return
    shutil.copytree(PREFIX / "course", lessons)
    for parent, _dirs, files in os.walk(lessons):
        os.chown(parent, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(parent, name), entry.pw_uid, entry.pw_gid)
            os.chmod(os.path.join(parent, name), 0o644)


c.Spawner.pre_spawn_hook = give_lessons
