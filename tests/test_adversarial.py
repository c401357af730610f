"""Issue 6: a cohort of adversarial week-02 submissions, graded in parallel. Each case is graded
right (zero or partial where due, never full marks by cheating) or rejected with a logged
reason; the grader finishes; other students' grades and the gradebook stay intact; tampering
is flagged; hidden tests never reach the feedback; regrading gives identical scores."""

from __future__ import annotations

import http.server
import json
import re
import sqlite3
import threading

import nbformat
import pytest
from adversarial import ALL_TESTS, CASES, NOTEBOOK, WEEK, write_cohort
from contract import copy_course

from dlcourse.grading.autograde import autograde, read_report, read_scores
from dlcourse.grading.feedback import generate_feedback
from dlcourse.grading.grades import grade_rows
from dlcourse.grading.sandbox import bwrap_works

SECRET = b"the grader's secret"
pytestmark = pytest.mark.slow


class _Secret(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(SECRET)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Secret)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    course = copy_course(tmp_path_factory.mktemp("cohort"))
    inbox = write_cohort(
        course.root,
        course.release_dir / WEEK / NOTEBOOK,
        course.source_notebooks(WEEK)[0],
        port=server.server_address[1],
    )
    results = autograde(course, WEEK, submissions=inbox, jobs=2, timeout=30)
    server.shutdown()
    return course, {r.student: r for r in results}


def test_grader_finishes_every_submission(cohort):
    course, results = cohort
    assert sorted(results) == sorted(c.student for c in CASES)
    for case in CASES:
        result = results[case.student]
        if case.zero:
            assert result.auto_score == 0, case.student
        else:
            assert result.status == "graded", f"{case.student}: {result.reason}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.student)
def test_case_is_graded_right(cohort, case):
    course, results = cohort
    result = results[case.student]
    full = read_scores(course, WEEK, "honest")
    assert result.auto_score <= full.auto_score, "cheating must never gain points"
    if case.zero:
        assert result.auto_score == 0
        report = read_report(course, WEEK, case.student)
        assert case.reason in report["reason"], report
        return
    scores = {c.grade_id: c for c in result.cells if c.auto}
    assert set(ALL_TESTS) <= set(scores), f"missing test cells: {set(ALL_TESTS) - set(scores)}"
    for grade_id in ALL_TESTS:
        cell = scores[grade_id]
        if grade_id in case.lost:
            assert cell.score == 0, f"{case.student}: {grade_id} kept {cell.score}"
        else:
            assert cell.score == cell.max_score, f"{case.student}: {grade_id} lost points"
    assert result.auto_max_score == full.auto_max_score, "points metadata must not change"
    if case.flagged:
        assert result.flags, f"{case.student} should be flagged for review"
    elif case.student in ("honest", "bad-kernelspec", "infinite-loop", "memory-bomb"):
        assert not result.flags, f"{case.student} flagged without cause: {result.flags}"


def _output_text(course, student) -> str:
    path = course.autograded_dir / student / WEEK / NOTEBOOK
    nb = nbformat.read(path, as_version=4)
    return json.dumps([c.get("outputs", []) for c in nb.cells])


def test_kernel_death_is_explained(cohort):
    course, _ = cohort
    text = _output_text(course, "kill-9")
    assert "the kernel died while running this cell" in text
    assert "not run: the kernel died in conv2d_multi" in text


def test_timeout_and_memory_cap_act_per_cell(cohort):
    course, _ = cohort
    assert "CellTimeoutError" in _output_text(course, "infinite-loop")
    assert "MemoryError" in _output_text(course, "memory-bomb")


def test_huge_output_is_truncated(cohort):
    course, _ = cohort
    path = course.autograded_dir / "huge-output" / WEEK / NOTEBOOK
    assert path.stat().st_size < 20_000_000


needs_bwrap = pytest.mark.skipif(
    not bwrap_works(), reason="bubblewrap is not usable here: no file-system/network isolation"
)


@needs_bwrap
def test_network_fails_fast_inside_the_sandbox(cohort):
    course, _ = cohort
    text = _output_text(course, "network")
    assert "network blocked" in text
    assert SECRET.decode() not in text


@needs_bwrap
def test_attack_on_the_grader_files_is_blocked(cohort):
    course, results = cohort
    text = _output_text(course, "attack-gradebook")
    # Inside the sandbox the course is read-only, or (under /tmp) not there at all.
    assert "blocked:" in text
    assert "Read-only file system" in text or "No such file or directory" in text
    assert results["attack-gradebook"].auto_score == results["honest"].auto_score


def test_gradebook_and_other_students_intact(cohort):
    course, results = cohort
    db = course.autograde_dir / "gradebook.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = {r.student: r for r in grade_rows(course, WEEK)}
    assert set(rows) == set(results)
    assert rows["honest"].auto_score == rows["honest"].auto_max_score > 0
    for student in results:
        assert (course.submitted_dir / student / WEEK).is_dir()


def test_flags_and_reasons_reach_the_grades_output(cohort):
    course, _ = cohort
    rows = {r.student: r for r in grade_rows(course, WEEK)}
    assert rows["monkeypatch-allclose"].flagged
    assert "monkeypatch" in rows["monkeypatch-allclose"].reason
    assert rows["wrong-name"].flagged
    assert "submitted as my_notebook.ipynb" in rows["wrong-name"].reason
    assert "not a readable notebook" in rows["invalid-json"].reason
    assert not rows["honest"].flagged and rows["honest"].reason == ""


def test_feedback_holds_no_hidden_tests(cohort):
    course, results = cohort
    students = [s for s in results if (course.autograded_dir / s / WEEK / NOTEBOOK).is_file()]
    files = generate_feedback(course, WEEK, students)
    assert len(files) == len(students)
    source = nbformat.read(course.source_notebooks(WEEK)[0], as_version=4)
    hidden_lines = set()
    for c in source.cells:
        for region in re.findall(r"### BEGIN HIDDEN TESTS(.*?)### END HIDDEN TESTS", c.source,
                                 re.S):
            hidden_lines |= {line.strip() for line in region.splitlines() if len(line.strip()) > 20}
    assert hidden_lines
    for path in files:
        html = path.read_text(encoding="utf-8")
        assert "HIDDEN TESTS" not in html, path
        leaked = [line for line in hidden_lines if line in html]
        assert not leaked, f"{path} leaks hidden tests: {leaked[:2]}"
    mutant_feedback = course.feedback_dir / "monkeypatch-allclose" / WEEK / NOTEBOOK.replace(
        ".ipynb", ".html"
    )
    assert "first difference at index" in mutant_feedback.read_text(encoding="utf-8")


def test_regrading_gives_identical_scores(cohort):
    """One submission of each kind of outcome: full marks, a restored test cell, repaired
    metadata, a kernel that exits mid-notebook."""
    course, first = cohort
    students = ["honest", "test-edited-to-pass", "changed-metadata", "os-exit"]
    again = {r.student: r for r in autograde(course, WEEK, students=students, jobs=2, timeout=30)}
    for student in students:
        before = {c.grade_id: c.score for c in first[student].cells}
        after = {c.grade_id: c.score for c in again[student].cells}
        assert before == after, student
