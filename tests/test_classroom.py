"""The classroom's configuration and student identity, without a hub: the files
`dlcourse classroom` writes, the exchange checks, and two students who are the same OS user
submitting through one exchange without overwriting each other."""

from __future__ import annotations

import ast
import json

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
    student_notebook,
)

from dlcourse.classroom import INSTRUCTOR_ONLY_LAB_PLUGINS, check_exchange, hub_config_text
from dlcourse.grading.course import CourseError
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
