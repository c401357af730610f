"""Shared fixtures: the course's weeks, a graded copy of each week, the data mirror."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MIRROR = REPO.parent / "shared" / "datasets"

# Tests and the kernels they start read online assets from the mirror, when there is one,
# and never from the network (CI has none).
if "DLCOURSE_MIRROR" not in os.environ and MIRROR.is_dir():
    os.environ["DLCOURSE_MIRROR"] = str(MIRROR)
os.environ.setdefault("DLCOURSE_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# Keras writes keras.json (and downloaded weights) into KERAS_HOME: tests and their kernels get
# a throw-away one, never ~/.keras (weeks 04 and 05 copy the mirror's weights into it).
os.environ["KERAS_HOME"] = tempfile.mkdtemp(prefix="dlcourse-keras-home-")
atexit.register(shutil.rmtree, os.environ["KERAS_HOME"], ignore_errors=True)
# Likewise the download cache: never ~/.cache/dlcourse, whose copies would outlive the run.
os.environ["DLCOURSE_CACHE"] = tempfile.mkdtemp(prefix="dlcourse-cache-")
atexit.register(shutil.rmtree, os.environ["DLCOURSE_CACHE"], ignore_errors=True)


def _share_cores_between_workers() -> None:
    """Give each pytest-xdist worker its own share of the cores. The kernels a worker starts
    inherit it, and the grader sizes their thread pools from it (one thread per core of the
    share), so two workers never run four TensorFlow thread pools on two cores."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not worker.startswith("gw") or count < 2 or not hasattr(os, "sched_setaffinity"):
        return
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) >= count:
        os.sched_setaffinity(0, cpus[int(worker[2:]) % count :: count])


_share_cores_between_workers()


def course_weeks() -> list[str]:
    from dlcourse.grading.course import Course

    return Course(REPO).weeks()


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def graded(tmp_path_factory: pytest.TempPathFactory):
    """Grade each week once per test session (lazily), shared by every contract test."""
    from contract import copy_course, grade_week

    cache: dict = {}

    def get(week: str):
        if week not in cache:
            course = copy_course(tmp_path_factory.mktemp(f"course-{week}"))
            cache[week] = grade_week(course, week)
        return cache[week]

    return get


@pytest.fixture(scope="session")
def exercise_mutants():
    """Run each week's mutants, and the alternatives that the combined submission does not hold,
    at the exercise level once per test session (lazily)."""
    from contract import split_alternatives
    from exercise_runner import run_exercise_mutants
    from mutants import mutants_for

    from dlcourse.grading.course import Course

    cache: dict = {}

    def get(week: str):
        if week not in cache:
            course = Course(REPO)
            outcomes, solution_tests = [], {}
            for notebook in course.source_notebooks(week):
                names = {
                    c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                    for c in __import__("nbformat").read(notebook, as_version=4).cells
                }
                mutants = [m for m in mutants_for(week) if m.cell in names]
                others = [a for a in split_alternatives(course, week)[1] if a.cell in names]
                o, s = run_exercise_mutants(notebook, mutants, alternatives=others)
                outcomes += o
                solution_tests.update(s)
            cache[week] = (outcomes, solution_tests)
        return cache[week]

    return get


@pytest.fixture(scope="session")
def tiny_graded_course(tmp_path_factory: pytest.TempPathFactory):
    """The graded week with known properties of ``report_cohort.py`` (for the instructor's
    report), built once per test session: a new gradebook costs nbgrader an ``alembic``
    process. Tests that write into the course take a copy (``report_cohort.copy_built``)."""
    from report_cohort import build

    return build(tmp_path_factory.mktemp("tiny-cohort") / "course")


@pytest.fixture(autouse=True)
def _restore_the_exchange_setting():
    """Tests that talk to a classroom's exchange set DLCOURSE_EXCHANGE for nbgrader's API in
    this process; put it back afterwards, so that it never leaks into the next test."""
    before = os.environ.get("DLCOURSE_EXCHANGE")
    yield
    if before is None:
        os.environ.pop("DLCOURSE_EXCHANGE", None)
    else:
        os.environ["DLCOURSE_EXCHANGE"] = before
