"""Support for the classroom tests: a course copy with a classroom state folder, the
instructor's nbgrader calls against the classroom's exchange, and nbgrader apps run as a
student (that student's JUPYTERHUB_USER, HOME and Jupyter configuration)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import REPO
from contract import copy_course

from dlcourse.classroom import Classroom, find_proxy, prepare
from dlcourse.grading.course import COURSE_ID, Course, CourseError
from dlcourse.grading.synthetic import answered, nbgrader_meta

WEEK = "02_convolution"
NOTEBOOK = "convolution_by_hand.ipynb"


def make_classroom(base: Path, students: tuple[str, ...], proxy: str = "unused",
                   port: int = 8000) -> Classroom:
    """A course copy in ``base/course`` and its classroom in ``base/classroom``, prepared."""
    course = copy_course(base / "course")
    course.autograde_dir.mkdir(exist_ok=True)
    room = Classroom(course=course, state=base / "classroom", students=students, port=port)
    prepare(room, proxy)
    return room


def instructor_api(room: Classroom):
    """nbgrader's API on the instructor's course, with the classroom's exchange."""
    os.environ["DLCOURSE_EXCHANGE"] = str(room.exchange)
    return room.course.api(room.course.config())


def check(result: dict, what: str) -> dict:
    assert result.get("success"), f"{what} failed: {result.get('error') or result.get('log')}"
    return result


def nbgrader_as(room: Classroom, user: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` as student ``user`` would in a terminal of their server."""
    env = {**os.environ, **room.student_env(user)}
    env.pop("DLCOURSE_ROOT", None)
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=room.home(user), env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )


def student_notebook(course: Course) -> nbformat.NotebookNode:
    return nbformat.read(course.release_dir / WEEK / NOTEBOOK, as_version=4)


def solved(course: Course) -> nbformat.NotebookNode:
    solution = nbformat.read(course.solutions_dir / WEEK / NOTEBOOK, as_version=4)
    return answered(student_notebook(course), solution)


def looping(course: Course) -> nbformat.NotebookNode:
    """The student version whose first answer cell never finishes."""
    nb = student_notebook(course)
    first = next(c for c in nb.cells if nbgrader_meta(c).get("solution"))
    first.source = "while True:\n    pass"
    return nb


def inbound(room: Classroom) -> list[str]:
    folder = room.exchange / COURSE_ID / "inbound"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def proxy() -> str:
    """configurable-http-proxy; installed from npm when node is there, else the test skips."""
    try:
        return find_proxy(Course(REPO))
    except CourseError:
        if shutil.which("npm") is None or shutil.which("node") is None:
            pytest.skip("node/npm missing: configurable-http-proxy (npm) cannot be installed")
        subprocess.run(["npm", "install", "--prefix", str(REPO / ".node"), "--no-audit",
                        "--no-fund", "configurable-http-proxy@5.3.0"], check=True,
                       capture_output=True, timeout=300)
        return find_proxy(Course(REPO))


class Hub:
    """The hub's REST API and the users' servers behind its proxy, with the admin token."""

    def __init__(self, room: Classroom) -> None:
        self.room = room
        self.headers = {"Authorization": f"token {room.admin_token()}"}

    def request(self, method: str, path: str, data: dict | None = None,
                timeout: float = 120) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(f"{self.room.url}{path}", data=body, method=method,
                                     headers=self.headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def spawn(self, users: tuple[str, ...], timeout: float = 240) -> None:
        for user in users:
            status, text = self.request("POST", f"/hub/api/users/{user}/server")
            assert status in (201, 202), f"spawning {user}: {status} {text}"
        deadline = time.monotonic() + timeout
        waiting = set(users)
        while waiting and time.monotonic() < deadline:
            for user in sorted(waiting):
                _, text = self.request("GET", f"/hub/api/users/{user}")
                server = json.loads(text).get("servers", {}).get("", {})
                if server.get("ready"):
                    waiting.discard(user)
            time.sleep(1)
        assert not waiting, f"servers not ready after {timeout:g} s: {sorted(waiting)}"

    def nbgrader(self, user: str, action: str = "") -> dict:
        """A student's nbgrader action on their own server (the Assignments panel's calls)."""
        data = {"course_id": COURSE_ID, "assignment_id": WEEK}
        if action:
            status, text = self.request("POST", f"/user/{user}/assignments/{action}", data)
        else:
            status, text = self.request("GET", f"/user/{user}/assignments?course_id={COURSE_ID}")
        assert status == 200, f"{user} {action or 'list'}: {status} {text[:300]}"
        result = json.loads(text)
        assert result.get("success"), f"{user} {action or 'list'}: {result.get('value')}"
        return result
