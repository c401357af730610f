"""Grading on Dask distributed with real processes: a scheduler and two workers in their own
folders, one of them SIGKILLed while it grades; an unreachable scheduler; a result merged twice."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from adversarial import NOTEBOOK, WEEK, honest, mutant_source, replaced, with_prefix
from contract import copy_course

from dlcourse.grading.autograde import (
    GradebookKeeper,
    _ensure_registered,
    merge_result,
    read_report,
    read_scores,
)

DASK = str(Path(sys.executable).parent / "dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dlcourse", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def gradebook_rows(course) -> list[tuple]:
    db = sqlite3.connect(course.root / "autograde" / "gradebook.db")
    try:
        return db.execute(
            "SELECT student.id, assignment.name FROM submitted_assignment "
            "JOIN student ON student.id = submitted_assignment.student_id "
            "JOIN assignment ON assignment.id = submitted_assignment.assignment_id"
        ).fetchall()
    finally:
        db.close()


def write_cohort(course, inbox: Path) -> dict[str, str]:
    """Solutions, an untouched notebook, a wrong answer and a looping one; returns
    student -> kind."""
    solution_nb = nbformat.read(course.solutions_dir / WEEK / NOTEBOOK, as_version=4)
    student_nb = nbformat.read(course.release_dir / WEEK / NOTEBOOK, as_version=4)
    loop = with_prefix("conv2d_valid", "while True:\n    pass")
    wrong = replaced("conv2d_valid", mutant_source("flips the kernel (true convolution)"))
    kinds = {"s1": "solution", "b1": "blank", "s2": "solution", "w1": "wrong", "loop": "loop"}
    for student, kind in kinds.items():
        nb = {"solution": honest(student_nb, solution_nb), "blank": student_nb,
              "wrong": wrong(student_nb, solution_nb), "loop": loop(student_nb, solution_nb)}[kind]
        (inbox / student).mkdir(parents=True)
        nbformat.write(nb, inbox / student / NOTEBOOK)
    return kinds


def test_unreachable_scheduler_is_one_sentence_and_leaves_the_gradebook(tmp_path):
    course = copy_course(tmp_path / "c")
    inbox = tmp_path / "inbox" / "s1"
    inbox.mkdir(parents=True)
    nbformat.write(nbformat.read(course.release_dir / WEEK / NOTEBOOK, as_version=4),
                   inbox / NOTEBOOK)
    db = course.root / "autograde" / "gradebook.db"
    before = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else None
    proc = run_cli("autograde", WEEK, "--submissions", str(tmp_path / "inbox"),
                   "--scheduler", f"tcp://127.0.0.1:{free_port()}", cwd=course.root)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Cannot reach the Dask scheduler at tcp://127.0.0.1:" in lines[0]
    after = hashlib.sha256(db.read_bytes()).hexdigest() if db.exists() else None
    assert after == before


def test_a_result_delivered_twice_is_merged_once(tmp_path):
    course = copy_course(tmp_path / "c")
    _ensure_registered(course, WEEK)
    keeper = GradebookKeeper(course)
    merged: set[tuple] = set()
    raw = {"week": WEEK, "student": "alice", "attempt": "abc", "status": "graded",
           "reason": "", "flags": [], "grades": [], "worker": "tcp://10.0.0.7:4000",
           "seconds": 3.0, "task_seconds": 3.5}
    try:
        first = merge_result(course, keeper, raw, merged)
        again = merge_result(course, keeper, dict(raw), merged)
    finally:
        keeper.close()
    assert first is not None and first.score == 0 and again is None
    assert gradebook_rows(course) == [("alice", WEEK)]
    assert read_report(course, WEEK, "alice")["worker"] == "tcp://10.0.0.7:4000"


@pytest.fixture
def dask_cluster(tmp_path):
    """A real `dask scheduler` and two `dask worker` processes, each in its own folder."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "3"}
    sched_dir = tmp_path / "scheduler"
    sched_dir.mkdir()
    procs.append(subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
         "--dashboard-address", ":0"], cwd=sched_dir, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    workers = []
    for name in ("w1", "w2"):
        home = tmp_path / f"machine-{name}"
        (home / "scratch").mkdir(parents=True)
        workers.append(subprocess.Popen(
            [DASK, "worker", address, "--nthreads", "1", "--no-nanny", "--name", name,
             "--local-directory", str(home / "scratch"), "--dashboard-address", ":0",
             "--host", "127.0.0.1"], cwd=home, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    procs += workers
    from distributed import Client

    client = Client(address, timeout="30s")
    try:
        client.wait_for_workers(2, timeout=60)
        yield address, client, workers
    finally:
        client.close()
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.mark.slow
def test_cluster_grading_survives_a_killed_worker(tmp_path, dask_cluster):
    address, client, workers = dask_cluster
    course = copy_course(tmp_path / "c")
    kinds = write_cohort(course, tmp_path / "inbox")
    grading = subprocess.Popen(
        [sys.executable, "-m", "dlcourse", "autograde", WEEK, "--submissions",
         str(tmp_path / "inbox"), "--scheduler", address, "--timeout", "15"],
        cwd=course.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    by_name = dict(zip(("w1", "w2"), workers, strict=True))
    victim = None
    deadline = time.monotonic() + 120
    while victim is None and time.monotonic() < deadline:
        processing = client.processing()
        info = client.scheduler_info()["workers"]
        busy = [addr for addr, keys in processing.items() if keys]
        if busy:
            time.sleep(3)  # let the task get into grading
            victim = by_name[info[busy[0]]["name"]]
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
        else:
            time.sleep(0.2)
    assert victim is not None, "no task ever processed on a worker"
    out, err = grading.communicate(timeout=300)
    assert grading.returncode == 0, out + err
    assert f"{len(kinds)} submission(s): {len(kinds)} graded" in out, out + err

    rows = gradebook_rows(course)
    assert sorted(rows) == sorted((s, WEEK) for s in kinds)  # no duplicate, none missing
    survivor_address = next(iter(client.scheduler_info()["workers"]))  # the one left
    for student, kind in kinds.items():
        scores = read_scores(course, WEEK, student)
        report = read_report(course, WEEK, student)
        assert report["worker"].startswith("tcp://127.0.0.1:") and report["task_seconds"] > 0
        if kind == "solution":
            assert scores.auto_score == scores.auto_max_score > 0, student
        elif kind == "blank":
            assert scores.auto_score == 0, student
        elif kind == "wrong":
            assert scores.cell("test_conv2d_valid").score == 0, student
            assert 0 < scores.auto_score < scores.auto_max_score, student
        else:
            assert scores.cell("test_conv2d_valid").score == 0
            graded_nb = (course.autograded_dir / student / WEEK / NOTEBOOK).read_text()
            assert "CellTimeoutError" in graded_nb  # the reason, in the notebook it sent back
    assert survivor_address in {read_report(course, WEEK, s)["worker"] for s in kinds}

    # the same cohort graded locally, one at a time: the same score in every cell
    local = copy_course(tmp_path / "local")
    proc = run_cli("autograde", WEEK, "--submissions", str(tmp_path / "inbox"), "--jobs", "1",
                   "--timeout", "15", "--no-progress", cwd=local.root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for student in kinds:
        on_dask = {c.grade_id: c.score for c in read_scores(course, WEEK, student).cells if c.auto}
        at_home = {c.grade_id: c.score for c in read_scores(local, WEEK, student).cells if c.auto}
        assert on_dask == at_home, f"{student}: Dask {on_dask} != --jobs 1 {at_home}"


@pytest.mark.slow
def test_ctrl_c_keeps_what_was_merged_and_names_what_was_not_graded(tmp_path):
    """SIGINT to the coordinator after its first merged result (a real scheduler and one
    worker, so the tasks run one after another): exit 130, the merged student in the
    gradebook, the others named as not graded and absent from it."""
    from dlcourse.benchmark import DaskProcesses

    course = copy_course(tmp_path / "c")
    student_nb = nbformat.read(course.release_dir / WEEK / NOTEBOOK, as_version=4)
    students = ("u1", "u2", "u3")
    for student in students:
        (tmp_path / "inbox" / student).mkdir(parents=True)
        nbformat.write(student_nb, tmp_path / "inbox" / student / NOTEBOOK)
    with DaskProcesses(tmp_path / "dask", 1) as cluster:
        grading = subprocess.Popen(
            [sys.executable, "-m", "dlcourse", "autograde", WEEK, "--submissions",
             str(tmp_path / "inbox"), "--scheduler", cluster.address, "--no-progress"],
            cwd=course.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        first = grading.stdout.readline()
        grading.send_signal(signal.SIGINT)
        out, err = grading.communicate(timeout=120)
    assert first.split(":")[0] in students, first + out + err
    assert grading.returncode == 130, out + err
    message = err.strip().splitlines()[-1]
    assert message.startswith("dlcourse autograde: interrupted. "), err
    merged = sorted(s for s in students if f"{s}: " in first + out)
    left = sorted(set(students) - set(merged))
    assert left, "every submission was graded before the interrupt: the test shows nothing"
    assert f"not graded: {', '.join(left)}." in message, message
    assert f"--student {left[0]}" in message
    assert sorted(gradebook_rows(course)) == [(s, WEEK) for s in merged]


def test_grading_environment_drops_only_what_the_nanny_set():
    from dlcourse.grading.cluster import environment_for_grading

    env = environment_for_grading({"MALLOC_TRIM_THRESHOLD_": "65536", "OMP_NUM_THREADS": "1",
                                   "MKL_NUM_THREADS": "4", "PATH": "/usr/bin"})
    assert env == {"MKL_NUM_THREADS": "4", "PATH": "/usr/bin"}  # 4: not the nanny's value
