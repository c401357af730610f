"""The classroom's configuration and student identity, without a hub: the files
`dlcourse classroom` writes, the exchange checks, and two students who are the same OS user
submitting through one exchange without overwriting each other."""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from classroom_support import (
    NOTEBOOK,
    WEEK,
    check,
    inbound,
    instructor_api,
    make_classroom,
    nbgrader_as,
    solved,
    student_notebook,
)
from conftest import REPO

from dlcourse.classroom import (
    INSTRUCTOR_ONLY_LAB_PLUGINS,
    check_exchange,
    find_proxy,
    free_port,
    hub_config_text,
    leftover_processes,
)
from dlcourse.grading.autograde import autograde
from dlcourse.grading.course import Course, CourseError
from dlcourse.grading.release import register


@pytest.fixture
def room(tmp_path, monkeypatch):
    monkeypatch.delenv("DLCOURSE_EXCHANGE", raising=False)
    room = make_classroom(tmp_path, ("alice", "bob"))
    yield room


def test_hub_config_is_python_with_the_demo_users_and_local_spawner(room):
    text = hub_config_text(room, "/usr/bin/configurable-http-proxy")
    ast.parse(text)
    assert "c.JupyterHub.authenticator_class = 'dummy'" in text
    assert "c.JupyterHub.spawner_class = 'simple'" in text
    for user in ("instructor", "alice", "bob"):
        assert repr(user) in text
    assert str(room.homes / "{username}") in text


def test_student_servers_get_hub_identity_and_no_formgrader(room):
    config = (room.student_config_dir / "nbgrader_config.py").read_text()
    assert 'c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]' in config
    page = json.loads((room.student_config_dir / "labconfig" / "page_config.json").read_text())
    assert set(page["disabledExtensions"]) == set(INSTRUCTOR_ONLY_LAB_PLUGINS)
    server = json.loads((room.student_config_dir / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"][
        "nbgrader.server_extensions.formgrader"] is False


def test_missing_exchange_says_how_to_create_it(tmp_path):
    missing = tmp_path / "exchange"
    with pytest.raises(CourseError, match=r"does not exist: create it with `mkdir -p .*chmod 777"):
        check_exchange(missing)


def test_exchange_students_cannot_write_says_chmod(tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir(mode=0o755)
    exchange.chmod(0o755)
    with pytest.raises(CourseError, match=r"has mode 755, so students cannot submit there: run "
                                          r"`chmod 777"):
        check_exchange(exchange)


def test_two_students_of_one_os_user_never_overwrite_each_other(room):
    """alice and bob are the same OS user (the hub's SimpleLocalProcessSpawner); each submits
    through the exchange as their hub user, and the instructor collects two submissions."""
    api = instructor_api(room)
    register(room.course, WEEK)
    check(api.release_assignment(WEEK), "release")
    for user in ("alice", "bob"):
        fetched = nbgrader_as(room, user, "fetch_assignment", WEEK)
        assert fetched.returncode == 0, fetched.stderr
        path = room.home(user) / WEEK / NOTEBOOK
        nb = nbformat.read(path, as_version=4)
        nb.cells[0].source += f"\n\nwritten by {user}"
        nbformat.write(nb, path)
        submitted = nbgrader_as(room, user, "submit", WEEK)
        assert submitted.returncode == 0, submitted.stderr
    names = inbound(room)
    assert [n.split("+")[0] for n in names] == ["alice", "bob"], names
    # Each student's list shows only their own submission.
    listed = nbgrader_as(room, "alice", "list", "--inbound", WEEK)
    assert "alice" in listed.stdout + listed.stderr
    assert "bob" not in listed.stdout + listed.stderr
    check(api.collect(WEEK), "collect")
    for user, other in (("alice", "bob"), ("bob", "alice")):
        nb = nbformat.read(room.course.submitted_dir / user / WEEK / NOTEBOOK, as_version=4)
        assert f"written by {user}" in nb.cells[0].source
        assert f"written by {other}" not in nb.cells[0].source
    untouched = student_notebook(room.course).cells[0].source
    assert untouched.strip() and "written by" not in untouched


@pytest.mark.slow
def test_renamed_extra_and_deleted_notebooks_are_graded_with_a_reason(tmp_path, monkeypatch):
    """Bad submissions through the exchange: alice renames her (solved) notebook and adds a
    scratch file, bob deletes the notebook and submits only a text file, carol submits the
    solution plus an extra notebook and a data folder. nbgrader's submit warns about the
    missing notebook; collect takes the folders as they are; the autograder grades alice's
    renamed notebook under its expected name (flagged), gives bob zero with the reason, grades
    carol in full ignoring the extras, and no one's files are touched by another's."""
    monkeypatch.delenv("DLCOURSE_EXCHANGE", raising=False)
    room = make_classroom(tmp_path, ("alice", "bob", "carol"))
    course = room.course
    api = instructor_api(room)
    register(course, WEEK)
    check(api.release_assignment(WEEK), "release")
    for user in ("alice", "bob", "carol"):
        fetched = nbgrader_as(room, user, "fetch_assignment", WEEK)
        assert fetched.returncode == 0, fetched.stderr
    folders = {user: room.home(user) / WEEK for user in ("alice", "bob", "carol")}
    (folders["alice"] / NOTEBOOK).unlink()
    nbformat.write(solved(course), folders["alice"] / "convolution_by_hand-Copy1.ipynb")
    (folders["alice"] / "scratch.py").write_text("print('trying things')\n")
    (folders["bob"] / NOTEBOOK).unlink()
    (folders["bob"] / "notes.txt").write_text("I could not do it\n")
    nbformat.write(solved(course), folders["carol"] / NOTEBOOK)
    nbformat.write(student_notebook(course), folders["carol"] / "scratch.ipynb")
    (folders["carol"] / "data").mkdir()
    (folders["carol"] / "data" / "kernel.csv").write_text("1,0,-1\n")

    logs = {}
    for user in ("alice", "bob", "carol"):
        submitted = nbgrader_as(room, user, "submit", WEEK)
        assert submitted.returncode == 0, submitted.stderr
        logs[user] = submitted.stdout + submitted.stderr
    # nbgrader's own warning, naming what is missing and what came instead
    assert re.search(r"missing notebooks", logs["bob"], re.I), logs["bob"][-800:]
    assert f"{NOTEBOOK}: MISSING" in logs["bob"]
    assert "convolution_by_hand-Copy1.ipynb: EXTRA" in logs["alice"]
    check(api.collect(WEEK), "collect")
    carol_dir = course.submitted_dir / "carol" / WEEK
    assert (carol_dir / "data" / "kernel.csv").is_file()  # collected as submitted

    shown: list[str] = []
    results = {r.student: r for r in autograde(
        course, WEEK, jobs=2, on_result=lambda r: shown.append(f"{r.student}: {r.reason} "
                                                               f"{'; '.join(r.flags)}"))}
    alice, bob, carol = results["alice"], results["bob"], results["carol"]
    assert alice.status == "graded" and alice.auto_score == alice.auto_max_score > 0
    assert any("submitted as convolution_by_hand-Copy1.ipynb; graded as "
               f"{NOTEBOOK}" in flag for flag in alice.flags), alice.flags
    assert bob.auto_score == 0 and f"no notebook {NOTEBOOK} was submitted" in bob.reason
    assert carol.auto_score == carol.auto_max_score and not carol.reason
    assert any(line.startswith("bob: no notebook") for line in shown), shown
    with course.gradebook() as gb:
        assert gb.find_submission(WEEK, "bob").score == 0
        assert gb.find_submission_notebook(NOTEBOOK.removesuffix(".ipynb"), WEEK,
                                           "alice").flagged
    # the students' own folders are as they left them
    assert not (folders["alice"] / NOTEBOOK).exists()
    assert (folders["bob"] / "notes.txt").read_text() == "I could not do it\n"
    assert (folders["carol"] / "scratch.ipynb").is_file()


def test_ctrl_c_stops_the_hub_its_servers_and_the_proxy(tmp_path):
    """`dlcourse classroom` as started from a terminal: a student's server running, then Ctrl-C
    (SIGINT to the foreground process group) leaves no process of the classroom behind."""
    try:
        find_proxy(Course(REPO))
    except CourseError as err:
        pytest.skip(str(err))
    state, port = tmp_path / "state", free_port()
    cmd = [str(Path(sys.executable).parent / "dlcourse"), "classroom", "--state", str(state),
           "--port", str(port), "--students", "alice"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, start_new_session=True)
    try:
        seen = []  # the proxy and the servers also write to this terminal
        while not any("The classroom is open at" in line for line in seen[-1:]):
            line = proc.stdout.readline()
            assert line, "dlcourse classroom ended before the hub answered: " + "".join(seen)
            seen.append(line)
        headers = {"Authorization": f"token {(state / 'admin-token').read_text().strip()}"}
        url = f"http://127.0.0.1:{port}/hub/api/users/alice"
        urllib.request.urlopen(urllib.request.Request(f"{url}/server", data=b"", method="POST",
                                                      headers=headers), timeout=120)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
                if json.load(r).get("servers", {}).get("", {}).get("ready"):
                    break
            time.sleep(1)
        else:
            pytest.fail("alice's server did not start within 180 s")
        assert len(leftover_processes(state)) >= 3  # hub, proxy, alice's server
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        assert "nothing of it is running" in out
        assert leftover_processes(state) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        for pid in leftover_processes(state):
            os.kill(pid, signal.SIGKILL)
