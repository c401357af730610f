"""Support for the classroom tests: a course copy with a classroom state folder, the
instructor's nbgrader calls against the classroom's exchange, and nbgrader apps run as a
student (that student's JUPYTERHUB_USER, HOME and Jupyter configuration)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
from contract import copy_course

from dlcourse.classroom import Classroom, prepare
from dlcourse.grading.course import COURSE_ID, Course
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
