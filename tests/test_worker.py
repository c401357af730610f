"""The grading worker's own start-up and limits (dlcourse.grading.worker, .startup): nbgrader
runs in the worker's process with the course's configuration; a submission that outlasts the
wall limit is reported as failed and leaves no process and no folder behind; the two
start-up shortcuts give nbgrader the same answers as the slow paths they replace."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from classroom_support import NOTEBOOK, WEEK, looping, solved
from contract import copy_course

from dlcourse.grading.release import register
from dlcourse.grading.startup import alembic_head


def _submit(course, student: str, nb: nbformat.NotebookNode) -> None:
    folder = course.submitted_dir / student / WEEK
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / NOTEBOOK)


def _worker(course, student: str, template: Path, *extra: str) -> tuple[dict, float]:
    cmd = [sys.executable, "-m", "dlcourse.grading.worker", "--root", str(course.root),
           "--week", WEEK, "--student", student, "--template-db", str(template),
           "--threads", "1", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("worker") / "course")
    template = course.root / "template.db"
    register(course, WEEK, db_url=f"sqlite:///{template}")
    _submit(course, "solver", solved(course))
    _submit(course, "spinner", looping(course))
    return course, template


@pytest.mark.slow
def test_worker_grades_with_nbgrader_in_its_own_process(course):
    """Full marks for the solution, nbgrader's log kept with the private course, and no second
    Python process for nbgrader (the worker's only child processes are the kernel's)."""
    course, template = course
    result, _ = _worker(course, "solver", template)
    work = Path(result["work"])
    try:
        assert result["status"] == "graded", result["reason"]
        auto = [g for g in result["grades"] if g["auto"]]
        assert auto and all(g["auto_score"] == g["max_score"] for g in auto), auto
        log = (work / "autograde" / "nbgrader.log").read_text(encoding="utf-8")
        assert "[AutogradeApp | INFO] Autograding" in log, log[:500]
        assert (Path(result["autograded"]) / NOTEBOOK).is_file()
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.mark.slow
def test_wall_limit_fails_the_submission_and_leaves_nothing_running(course):
    """No per-cell timeout and a loop: the wall limit (6 s) ends grading with its reason; the
    worker's kernel (and its sandbox) is killed and the private course copy removed. Only this
    worker's own descendants are watched: other tests may run kernels at the same time."""
    course, template = course
    cmd = [sys.executable, "-m", "dlcourse.grading.worker", "--root", str(course.root),
           "--week", WEEK, "--student", "spinner", "--template-db", str(template),
           "--threads", "1", "--wall-limit", "6"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started, kernels = time.monotonic(), []
    while not kernels and proc.poll() is None and time.monotonic() - started < 60:
        with contextlib.suppress(psutil.Error):
            kernels = [p for p in psutil.Process(proc.pid).children(recursive=True)
                       if "ipykernel" in " ".join(p.cmdline())]
        time.sleep(0.2)
    stdout, stderr = proc.communicate(timeout=120)
    assert kernels, f"the worker never started a kernel: {stderr[-1500:]}"
    result = json.loads(stdout.strip().splitlines()[-1])
    assert result["status"] == "failed"
    assert result["reason"] == "grading took longer than 6 s"
    assert result["student"] == "spinner" and result["work"] == ""
    gone, alive = psutil.wait_procs(kernels, timeout=10)
    assert not alive, [p.cmdline() for p in alive]
    assert not list(Path(tempfile.gettempdir()).glob(f"dlcourse-{WEEK}-*/autograde/submitted"
                                                      "/spinner"))


def test_alembic_head_is_what_the_alembic_command_prints(tmp_path):
    """The in-process answer equals `alembic heads` on nbgrader's migration scripts."""
    from nbgrader.dbutil import _temp_alembic_ini

    alembic = Path(sys.executable).parent / "alembic"
    with _temp_alembic_ini(f"sqlite:///{tmp_path / 'gradebook.db'}") as ini:
        printed = subprocess.run([str(alembic), "-c", ini, "heads"], capture_output=True,
                                 text=True, check=True).stdout
    assert alembic_head() == printed.split()[0]


def test_new_gradebook_records_the_schema_version_without_the_alembic_command(tmp_path):
    """A gradebook created through the course (which installs the in-process lookup) carries
    the current schema revision, with no `alembic` on PATH to run."""
    code = (
        "import os, sqlite3, sys\n"
        "from dlcourse.grading.course import ensure_scripts_on_path\n"
        "ensure_scripts_on_path()\n"
        "os.environ['PATH'] = ''  # the command could not be started now\n"
        "from nbgrader.api import Gradebook\n"
        f"Gradebook('sqlite:///{tmp_path / 'gb.db'}', 'dl-course').close()\n"
        f"print(sqlite3.connect({str(tmp_path / 'gb.db')!r})"
        ".execute('select version_num from alembic_version').fetchone()[0])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert proc.stdout.strip() == alembic_head()


def test_slow_iri_checker_is_skipped_and_notebooks_still_validate():
    """After the start-up fix nbformat reads and validates a course notebook, and jsonschema
    was imported without rfc3987_syntax (the 0.75 s Lark grammar)."""
    code = (
        "import sys\n"
        "from dlcourse.grading.startup import skip_slow_optional_imports\n"
        "print(skip_slow_optional_imports())\n"
        "import nbformat, jsonschema\n"
        f"nb = nbformat.read({str(Path('course') / WEEK / NOTEBOOK)!r}, as_version=4)\n"
        "nbformat.validate(nb)\n"
        "print(sys.modules['rfc3987_syntax'] is None, len(nb.cells) > 0)\n"
    )
    from conftest import REPO

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert proc.stdout.split("\n")[:2] == ["['rfc3987_syntax']", "True True"]
