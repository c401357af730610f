"""The classroom's whole loop on a real JupyterHub: a hub process with the configuration
`dlcourse classroom` writes, real single-user JupyterLab servers started by the hub through its
REST API (admin service token), and the students' nbgrader actions (list, fetch, submit, fetch
feedback) sent to their own servers' nbgrader endpoints through the hub's proxy. The instructor
releases, collects, autogrades with the project's sandbox (`dlcourse autograde`), writes and
releases feedback.

alice submits the untouched notebook and then the solution (the newest counts), bob the
untouched notebook, carol a notebook that loops forever (a short per-cell timeout), dave the
solution after the due date (the late policy of nbgrader_config.py, grace 0 in this copy).
The first three make one timed release -> feedback cycle; dave's late submission is collected,
graded and answered with feedback in a second round, as an instructor would after the deadline.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import nbformat
import pytest
from classroom_support import (
    NOTEBOOK,
    WEEK,
    Hub,
    check,
    inbound,
    instructor_api,
    looping,
    make_classroom,
    proxy,
    solved,
    student_notebook,
)
from conftest import REPO

from dlcourse.classroom import (
    Classroom,
    free_port,
    leftover_processes,
    start_hub,
    stop_hub,
    wait_for_hub,
)
from dlcourse.grading.autograde import autograde, read_report
from dlcourse.grading.course import Course
from dlcourse.grading.feedback import generate_feedback
from dlcourse.grading.release import register

pytestmark = pytest.mark.slow
STUDENTS = ("alice", "bob", "carol", "dave")
CELL_TIMEOUT = 20
ARTIFACTS = REPO / "artifacts" / "classroom"


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    base = tmp_path_factory.mktemp("classroom")
    room = make_classroom(base, STUDENTS, proxy=proxy(), port=free_port())
    log = base / "hub.log"
    started = time.monotonic()
    proc = start_hub(room, log)
    try:
        wait_for_hub(room, proc)
        hub = Hub(room)
        hub.spawn(("instructor", *STUDENTS))
        yield room, hub, time.monotonic() - started
    finally:
        killed = stop_hub(room, proc)
        print(f"hub log: {log}; processes killed after the hub stopped: {killed}")
    assert leftover_processes(room.state) == []


def _write(room: Classroom, user: str, nb: nbformat.NotebookNode) -> None:
    nbformat.write(nb, room.home(user) / WEEK / NOTEBOOK)


def _set_due_date(course: Course, due: datetime) -> None:
    with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write(f"\nc.LatePenalty.due_dates = {{{WEEK!r}: "
                 f"{due.strftime('%Y-%m-%d %H:%M:%S') + ' UTC'!r}}}\n"
                 "c.LatePenalty.grace_minutes = 0\n")


def _hidden_lines(course: Course) -> set[str]:
    source = nbformat.read(course.solutions_dir / WEEK / NOTEBOOK, as_version=4)
    lines: set[str] = set()
    for cell in source.cells:
        for region in re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS",
                                 cell.source, re.S):
            lines |= {line.strip() for line in region.splitlines() if len(line.strip()) > 20}
    return lines


def test_release_fetch_submit_collect_autograde_feedback(classroom):
    room, hub, start_seconds = classroom
    course = room.course
    loop_started = time.monotonic()

    # The instructor's server has the Formgrader; a student's does not.
    assert hub.request("GET", "/user/instructor/formgrader")[0] == 200
    assert hub.request("GET", "/user/alice/formgrader")[0] == 404

    # Release.
    cycle_started = time.monotonic()
    api = instructor_api(room)
    register(course, WEEK)
    check(api.release_assignment(WEEK), "release")

    # Every student sees the week in their Assignments panel and fetches it.
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        listed = list(pool.map(hub.nbgrader, STUDENTS))
        for user, result in zip(STUDENTS, listed, strict=True):
            weeks = {(a["assignment_id"], a["status"]) for a in result["value"]}
            assert (WEEK, "released") in weeks, (user, weeks)
        list(pool.map(lambda u: hub.nbgrader(u, "fetch"), STUDENTS))
    for user in STUDENTS:
        assert (room.home(user) / WEEK / NOTEBOOK).is_file()

    # Submit: alice twice (untouched, then the solution), bob untouched, carol loops forever.
    hub.nbgrader("alice", "submit")
    time.sleep(1.1)  # nbgrader's timestamps have a resolution finer than this; keep them apart
    _write(room, "alice", solved(course))
    hub.nbgrader("alice", "submit")
    hub.nbgrader("bob", "submit")
    _write(room, "carol", looping(course))
    hub.nbgrader("carol", "submit")
    # The due date passes (whole seconds, as the configuration gives it: the next second
    # after carol's submission); dave has not submitted yet.
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    _set_due_date(course, due)
    time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()) + 1.1)
    assert [n.split("+")[0] for n in inbound(room)] == ["alice", "alice", "bob", "carol"]
    submitted = {a["student_id"] for a in hub.nbgrader("alice")["value"]
                 if a["status"] == "submitted"}
    assert submitted == {"alice"}  # a student lists only their own submissions

    # Collect (the newest submission of each student) and autograde with the project's sandbox.
    on_time = ("alice", "bob", "carol")
    check(api.collect(WEEK), "collect")
    collected = nbformat.read(course.submitted_dir / "alice" / WEEK / NOTEBOOK, as_version=4)
    assert collected.cells == solved(course).cells  # alice's resubmission counts
    grading_started = time.monotonic()
    results = {r.student: r for r in autograde(course, WEEK, jobs=2, timeout=CELL_TIMEOUT)}
    grading_seconds = time.monotonic() - grading_started
    assert set(results) == set(on_time)
    alice, bob, carol = (results[s] for s in on_time)
    assert alice.auto_max_score > 0 and alice.auto_score == alice.auto_max_score
    assert bob.auto_score == 0
    assert carol.auto_score == 0
    graded_carol = (course.autograded_dir / "carol" / WEEK / NOTEBOOK).read_text()
    carol_reason = read_report(course, WEEK, "carol").get("reason", "") + graded_carol
    assert re.search(r"timed out|timeout", carol_reason, re.I), carol_reason[:500]

    # Feedback: generated, released, and each student fetches their own.
    generate_feedback(course, WEEK)
    check(api.release_feedback(WEEK), "release feedback")
    with ThreadPoolExecutor(len(on_time)) as pool:
        list(pool.map(lambda u: hub.nbgrader(u, "fetch_feedback"), on_time))
    cycle_seconds = time.monotonic() - cycle_started  # one release -> feedback cycle, 3 students

    # dave submits the solution after the due date: late. A second round grades only him.
    _write(room, "dave", solved(course))
    hub.nbgrader("dave", "submit")
    check(api.collect(WEEK), "collect the late submission")
    late = autograde(course, WEEK, students=["dave"], jobs=1, timeout=CELL_TIMEOUT)
    assert [r.student for r in late] == ["dave"]
    results["dave"] = dave = late[0]
    assert dave.auto_score == dave.auto_max_score
    with course.gradebook() as gb:
        assert {s.id for s in gb.students} >= set(STUDENTS)
        penalties = {s: gb.find_submission(WEEK, s).late_submission_penalty for s in STUDENTS}
    assert penalties["dave"] == pytest.approx(0.1 * dave.auto_score)  # 10 % per started day
    assert all(penalties[s] in (0, None) for s in on_time), penalties
    generate_feedback(course, WEEK)
    check(api.release_feedback(WEEK), "release feedback")
    hub.nbgrader("dave", "fetch_feedback")

    hidden = _hidden_lines(course)
    assert hidden
    for user in STUDENTS:
        files = sorted((room.home(user) / WEEK / "feedback").glob("*/*.html"))
        assert len(files) == 1, (user, files)  # only their own: one submission collected
        html = files[0].read_text(encoding="utf-8")
        score = results[user].score - (penalties[user] or 0)  # feedback shows it after the penalty
        total = re.search(r"Score: ([\d.]+) / ([\d.]+)\)</h4>", html)
        assert total and float(total.group(1)) == pytest.approx(score), (user, score)
        assert "HIDDEN TESTS" not in html
        leaked = [line for line in hidden if line in html]
        assert not leaked, f"{user}'s feedback leaks hidden tests: {leaked[:2]}"
    assert "written" not in student_notebook(course).cells[0].source

    loop_seconds = time.monotonic() - loop_started
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    timings = {
        "hub start and 5 servers ready (s)": round(start_seconds, 1),
        "loop, release to every student's feedback (s)": round(loop_seconds, 1),
        "release -> feedback cycle, 3 students (s)": round(cycle_seconds, 1),
        "autograde of 3 submissions, --jobs 2 (s)": round(grading_seconds, 1),
        "seconds per submission": {s: round(r.seconds, 1) for s, r in results.items()},
    }
    (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=2) + "\n")
    print(json.dumps(timings, indent=2))
