"""The classroom on a real JupyterHub (``dlcourse classroom``, ``make classroom``).

One hub on localhost, one instructor and a few demo students (``DummyAuthenticator`` with a
demo password), every user's single-user JupyterLab started by
``SimpleLocalProcessSpawner`` as this OS user, each with their own home under the state folder
(``classroom/`` by default, git-ignored). Everything here is configuration the hub reads from
the files :func:`prepare` writes into the state folder:

- ``jupyterhub_config.py`` the hub (authenticator, spawner, ports, the admin service); an
  optional file passed with ``--config`` is loaded last, so a real authenticator
  (OAuthenticator, LTI) is a matter of configuration only;
- ``exchange/`` the one nbgrader exchange of the class (mode 777, as nbgrader asks);
- ``student-config/`` the Jupyter configuration of every student server: the nbgrader student
  id is the hub user name (``JUPYTERHUB_USER``; nbgrader would take the OS user name, the same
  for everybody here), the shared exchange, and no Formgrader or assignment-creation tools;
- ``home/USER/`` each user's home (the instructor's server serves the course folder itself, so
  the Formgrader manages the course's gradebook).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dlcourse.grading.course import COURSE_ID, Course, CourseError

DEFAULT_STUDENTS = ("alice", "bob", "carol")
DEFAULT_INSTRUCTOR = "instructor"
DEFAULT_PASSWORD = "dlcourse-demo"
#: The hub service whose token drives the hub's REST API (tests, scripts).
ADMIN_SERVICE = "classroom-admin"
PROXY_PACKAGE = "configurable-http-proxy@5.3.0"
#: nbgrader's JupyterLab plug-ins an instructor needs and a student must not have.
INSTRUCTOR_ONLY_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
)
INSTRUCTOR_ONLY_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)

#: nbgrader configuration of every student's server. The same file serves a real hub: copy it
#: to /etc/jupyter/nbgrader_config.py of the single-user image and set DLCOURSE_EXCHANGE.
STUDENT_NBGRADER_CONFIG = '''\
"""nbgrader settings of a student's single-user server (written by `dlcourse classroom`)."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.Exchange.root = os.environ.get("DLCOURSE_EXCHANGE", {exchange!r})
# nbgrader takes the student id from the OS user name, which is the same for every student of
# a hub that starts all servers as one OS user: the hub user name is the student id instead.
# nbgrader's submit and fetch_feedback honour an explicit CourseDirectory.student_id.
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
'''


@dataclass(frozen=True)
class Classroom:
    """Where a classroom keeps its state and who is in it."""

    course: Course
    state: Path
    port: int = 8000
    instructor: str = DEFAULT_INSTRUCTOR
    students: tuple[str, ...] = DEFAULT_STUDENTS
    password: str = DEFAULT_PASSWORD
    extra_config: Path | None = None
    hub_port: int = field(default_factory=lambda: free_port())
    proxy_api_port: int = field(default_factory=lambda: free_port())

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def homes(self) -> Path:
        return self.state / "home"

    @property
    def student_config_dir(self) -> Path:
        return self.state / "student-config"

    @property
    def instructor_config_dir(self) -> Path:
        return self.state / "instructor-config"

    @property
    def hub_config(self) -> Path:
        return self.state / "jupyterhub_config.py"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def home(self, user: str) -> Path:
        return self.homes / user

    def admin_token(self) -> str:
        """The token of :data:`ADMIN_SERVICE` (made once, kept in the state folder)."""
        path = self.state / "admin-token"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def student_env(self, user: str) -> dict[str, str]:
        """The environment a student's server (and nbgrader apps run as that student) gets."""
        return {
            "JUPYTERHUB_USER": user,
            "HOME": str(self.home(user)),
            "USER": user,
            "JUPYTER_CONFIG_DIR": str(self.student_config_dir),
            "DLCOURSE_EXCHANGE": str(self.exchange),
        }

    def instructor_env(self) -> dict[str, str]:
        return {
            "JUPYTER_CONFIG_DIR": str(self.instructor_config_dir),
            "DLCOURSE_ROOT": str(self.course.root),
            "DLCOURSE_EXCHANGE": str(self.exchange),
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_exchange(exchange: Path) -> None:
    """Raise one sentence saying what to fix when ``exchange`` cannot serve a class."""
    if not exchange.is_dir():
        raise CourseError(
            f"The nbgrader exchange {exchange} does not exist: create it with "
            f"`mkdir -p {exchange} && chmod 777 {exchange}` (or let `dlcourse classroom` do it)."
        )
    mode = stat.S_IMODE(exchange.stat().st_mode)
    if mode & 0o777 != 0o777:
        raise CourseError(
            f"The nbgrader exchange {exchange} has mode {mode:o}, so students cannot submit "
            f"there: run `chmod 777 {exchange}`."
        )


def find_proxy(course: Course) -> str:
    """The ``configurable-http-proxy`` command (npm), or one sentence saying how to get it."""
    local = course.root / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.is_file():
        return str(local)
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    raise CourseError(
        "configurable-http-proxy (npm) is missing: run `make classroom` (it installs it into "
        f".node/), or `npm install --prefix .node {PROXY_PACKAGE}` in {course.root}."
    )


def hub_config_text(room: Classroom, proxy: str) -> str:
    """The hub's ``jupyterhub_config.py``."""
    bin_dir = Path(sys.executable).parent
    users = sorted({room.instructor, *room.students})
    path = str(bin_dir) + os.pathsep + os.environ.get("PATH", "")
    token = room.admin_token()
    lines = [
        '"""JupyterHub configuration of the dl-course classroom (written by dlcourse classroom;',
        'edit the --config file instead, it is loaded last)."""',
        "c = get_config()  # noqa: F821",
        "c.JupyterHub.ip = '127.0.0.1'",
        f"c.JupyterHub.port = {room.port}",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {room.hub_port}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{room.proxy_api_port}'",
        f"c.ConfigurableHTTPProxy.command = [{proxy!r}]",
        f"c.ConfigurableHTTPProxy.pid_file = {str(room.state / 'proxy.pid')!r}",
        f"c.JupyterHub.db_url = {'sqlite:///' + str(room.state / 'jupyterhub.sqlite')!r}",
        f"c.JupyterHub.cookie_secret_file = {str(room.state / 'jupyterhub_cookie_secret')!r}",
        f"c.JupyterHub.pid_file = {str(room.state / 'jupyterhub.pid')!r}",
        "# The demo's sign-in: any listed user with the demo password.",
        "c.JupyterHub.authenticator_class = 'dummy'",
        f"c.DummyAuthenticator.password = {room.password!r}",
        f"c.Authenticator.allowed_users = {set(users)!r}",
        f"c.Authenticator.admin_users = {{{room.instructor!r}}}",
        "# Every server runs as this OS user, each in its own home.",
        "c.JupyterHub.spawner_class = 'simple'",
        f"c.SimpleLocalProcessSpawner.home_dir_template = {str(room.homes / '{username}')!r}",
        f"c.Spawner.cmd = [{str(bin_dir / 'jupyterhub-singleuser')!r}]",
        "c.Spawner.default_url = '/lab'",
        "c.Spawner.start_timeout = 180",
        "c.Spawner.http_timeout = 180",
        f"c.Spawner.environment = {{'PATH': {path!r}}}",
        "c.JupyterHub.cleanup_servers = True",
        *(["c.Spawner.args = ['--allow-root']  # CI and containers run as root"]
          if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        f"c.JupyterHub.services = [{{'name': {ADMIN_SERVICE!r}, 'api_token': {token!r}}}]",
        "c.JupyterHub.load_roles = [{",
        f"    'name': {ADMIN_SERVICE!r}, 'services': [{ADMIN_SERVICE!r}],",
        "    'scopes': ['admin:users', 'admin:servers', 'access:servers', 'list:users',",
        "               'read:users'],",
        "}]",
        "",
        f"INSTRUCTOR = {room.instructor!r}",
        f"INSTRUCTOR_ENV = {room.instructor_env()!r}",
        f"COURSE_ROOT = {str(room.course.root)!r}",
        f"STUDENT_CONFIG_DIR = {str(room.student_config_dir)!r}",
        f"EXCHANGE = {str(room.exchange)!r}",
        "",
        "",
        "def pre_spawn(spawner):",
        "    \"\"\"The instructor serves the course (Formgrader); students their home.\"\"\"",
        "    name = spawner.user.name",
        "    if name == INSTRUCTOR:",
        "        spawner.notebook_dir = COURSE_ROOT",
        "        spawner.environment.update(INSTRUCTOR_ENV)",
        "    else:",
        "        spawner.environment.update(",
        "            {'JUPYTER_CONFIG_DIR': STUDENT_CONFIG_DIR, 'DLCOURSE_EXCHANGE': EXCHANGE}",
        "        )",
        "",
        "",
        "c.Spawner.pre_spawn_hook = pre_spawn",
    ]
    if room.extra_config is not None:
        lines += ["", f"load_subconfig({str(room.extra_config.resolve())!r})"]
    return "\n".join(lines) + "\n"


def prepare(room: Classroom, proxy: str) -> Path:
    """Write the state folder (exchange, homes, configurations); return the hub's config."""
    room.state.mkdir(parents=True, exist_ok=True)
    if not room.exchange.exists():
        room.exchange.mkdir(parents=True)
        room.exchange.chmod(0o777)
    check_exchange(room.exchange)
    for user in (room.instructor, *room.students):
        room.home(user).mkdir(parents=True, exist_ok=True)
    config = room.student_config_dir
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "nbgrader_config.py").write_text(
        STUDENT_NBGRADER_CONFIG.format(course_id=COURSE_ID, exchange=str(room.exchange)),
        encoding="utf-8",
    )
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": dict.fromkeys(INSTRUCTOR_ONLY_LAB_PLUGINS, True)},
                   indent=2) + "\n",
        encoding="utf-8",
    )
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": dict.fromkeys(
            INSTRUCTOR_ONLY_SERVER_EXTENSIONS, False)}}, indent=2) + "\n",
        encoding="utf-8",
    )
    # The instructor's server starts in their home, where nbgrader finds no configuration:
    # their Jupyter configuration folder loads the course's.
    room.instructor_config_dir.mkdir(parents=True, exist_ok=True)
    (room.instructor_config_dir / "nbgrader_config.py").write_text(
        '"""The instructor\'s nbgrader settings: the course\'s (dlcourse classroom)."""\n'
        f"load_subconfig({str(room.course.root / 'nbgrader_config.py')!r})  # noqa: F821\n",
        encoding="utf-8",
    )
    room.hub_config.write_text(hub_config_text(room, proxy), encoding="utf-8")
    return room.hub_config


def hub_command(room: Classroom) -> list[str]:
    return [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(room.hub_config)]


def start_hub(room: Classroom, log: Path | None = None) -> subprocess.Popen:
    """Start the hub in its own process group (working folder: the state folder)."""
    out = open(log, "ab") if log is not None else None  # noqa: SIM115  (the hub owns it)
    return subprocess.Popen(
        hub_command(room), cwd=room.state, start_new_session=True,
        stdout=out, stderr=subprocess.STDOUT if out else None,
    )


def wait_for_hub(room: Classroom, proc: subprocess.Popen, timeout: float = 90) -> None:
    """Wait until the hub answers through the proxy, or raise with the reason."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise CourseError(f"JupyterHub exited with status {proc.returncode}: see its log.")
        try:
            with urllib.request.urlopen(f"{room.url}/hub/api/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise CourseError(f"JupyterHub did not answer at {room.url} within {timeout:g} s.")


def leftover_processes(state: Path) -> list[int]:
    """Processes whose working folder lies in ``state`` (the hub, the proxy, user servers)."""
    found = []
    state = state.resolve()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if cwd == state or state in cwd.parents:
            found.append(int(entry.name))
    return found


def stop_hub(room: Classroom, proc: subprocess.Popen, timeout: float = 30) -> list[int]:
    """Stop the hub (it stops the servers and the proxy), then anything left of the classroom.
    Return the processes that had to be killed."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    killed = []
    for pid in leftover_processes(room.state):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(os.getpgid(pid), signal.SIGKILL)
            killed.append(pid)
    return killed


def run(room: Classroom) -> int:
    """Start the classroom and serve until Ctrl-C; stop everything before returning."""
    from dlcourse.lab import install_settings

    proxy = find_proxy(room.course)
    install_settings()  # the JupyterLab settings of `make lab` (no news pop-up, ...)
    prepare(room, proxy)
    proc = start_hub(room)
    try:
        wait_for_hub(room, proc)
        print(describe(room))
        proc.wait()
        return proc.returncode or 0
    except KeyboardInterrupt:
        print("\nstopping the classroom ...")
        return 0
    finally:
        killed = stop_hub(room, proc)
        if killed:
            print(f"stopped {len(killed)} leftover process(es) of the classroom")
        print("the classroom is stopped; nothing of it is running.")


def describe(room: Classroom) -> str:
    users = ", ".join(room.students)
    return (
        f"The classroom is open at {room.url}/ (Ctrl-C stops it).\n"
        f"  instructor: {room.instructor} (Formgrader; the course in {room.course.root})\n"
        f"  students:   {users}\n"
        f"  password:   {room.password} (every demo user)\n"
        f"  exchange:   {room.exchange}\n"
        f"  state:      {room.state} (homes, hub database; delete it to start afresh)"
    )


def parse_users(text: str | None, default: Sequence[str]) -> tuple[str, ...]:
    if not text:
        return tuple(default)
    users = tuple(u.strip() for u in text.split(",") if u.strip())
    bad = [u for u in users if not u.replace("-", "").replace("_", "").isalnum()]
    if bad:
        raise CourseError(
            f"User names may hold letters, digits, '-' and '_' only; fix {', '.join(bad)}."
        )
    return users
